#pragma once
/// \file scenario.hpp
/// Scenarios: an external event (shock paths on several shocks, anticipated or learnt later)
/// simulated under several policy alternatives (values of rule parameters), each scored by a
/// quadratic loss on the deviations from its own steady state:
///
///     L = Σ_{t=1..T} discount^{t−1} Σ_{(i,j)} w_ij (y_{i,t} − ȳ_i)(y_{j,t} − ȳ_j)
///
/// with the weights of Dynare's `optim_weights` (cross terms counted once per listed pair, as
/// written). Simulations are nonlinear perfect-foresight solves, so a zero lower bound in the
/// model is respected.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perfect_foresight.hpp>

#include <string>
#include <utility>
#include <vector>

namespace govsim::dsge {

/// The external event.
struct Scenario {
  std::string name = "scenario";     ///< label
  int periods = 100;                 ///< simulated periods T
  std::vector<ShockEvent> events;    ///< shocks (levels), with the period agents learn them
  bool use_model_shocks = false;     ///< also apply the model's own deterministic shocks block
};

/// One policy alternative: parameter values that differ from the model's.
struct PolicyAlternative {
  std::string name;                                      ///< label
  std::vector<std::pair<std::string, double>> params;    ///< parameter name and value
};

/// Options of compare_policies().
struct ScenarioOptions {
  std::vector<OptimWeight> weights;  ///< loss weights (empty: the model's optim_weights)
  double discount = 1.0;             ///< discount factor of the loss, in (0, 1]
  PerfectForesightOptions solver;    ///< options of each perfect-foresight solve (periods ignored)
  /// Throws OptionsError for a discount outside (0, 1].
  void validate() const;
};

/// Outcome of one alternative.
struct ScenarioOutcome {
  std::string name;                 ///< alternative's label
  PerfectForesightResult result;    ///< paths (T+2 rows) and solver status
  Vector steady_state;              ///< the alternative's terminal steady state
  double loss = 0.0;                ///< discounted quadratic loss (NaN when the solve failed)
};

/// All alternatives side by side.
struct ScenarioComparison {
  std::string scenario;                 ///< scenario label
  std::vector<ScenarioOutcome> outcomes;  ///< in the order given
  Status status = Status::Success;      ///< worst status of the solves
  std::string message;                  ///< which alternatives failed
  /// True when every alternative was solved.
  bool ok() const { return status == Status::Success; }
  /// Index of the alternative with the smallest loss (-1 if none succeeded).
  Index best() const;
  /// Table-like text: one line per alternative with its loss.
  std::string summary() const;
};

/// Quadratic loss of a path (rows periods 0..T+1, columns endo) around `steady_state`.
/// \throws ModelError for a weight on an unknown variable
double scenario_loss(const Names& endo_names, const Matrix& paths, const Vector& steady_state,
                     const std::vector<OptimWeight>& weights, double discount = 1.0);

/// Simulate the scenario under each alternative and score it.
/// \param model parsed model (copied for each alternative)
/// \param scenario the event
/// \param alternatives policy alternatives (an empty list compares the model as it is)
/// \param opts weights, discount, solver options
/// \throws ModelError for unknown parameters, shocks or weighted variables; OptionsError when
///         no weights are given or found in the model
/// \code
///   Scenario s{"demand", 60, {{"e_z", 1, -0.03, 1}}};
///   auto cmp = compare_policies(m, s, {{"Taylor", {{"phi_pi", 1.5}}}, {"hawk", {{"phi_pi", 3.0}}}});
/// \endcode
ScenarioComparison compare_policies(const Model& model, const Scenario& scenario,
                                    const std::vector<PolicyAlternative>& alternatives,
                                    const ScenarioOptions& opts = {});

}  // namespace govsim::dsge
