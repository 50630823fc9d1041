#pragma once
/// \file model_solver.hpp
/// Re-solve a DSGE model at new values of a chosen set of parameters.
///
/// The building block of optimal simple rules, calibration and estimation: each evaluation sets
/// the chosen parameters (ordinary parameters, shock standard deviations `stderr e`, shock
/// correlations `corr e1, e2`), recomputes the steady state (warm-started from the previous one),
/// linearizes and solves at first order. Failures are reported as a Status, never thrown.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <string>
#include <vector>

namespace govsim::dsge {

/// What one free parameter of a ModelSolver refers to.
struct FreeParameter {
  /// Kind of the parameter.
  enum class Kind {
    Parameter,  ///< an ordinary model parameter
    Stderr,     ///< the standard deviation of a shock (`stderr e`)
    Corr        ///< the correlation of two shocks (`corr e1, e2`)
  };
  Kind kind = Kind::Parameter;  ///< kind
  std::string name;             ///< parameter or shock
  std::string name2;            ///< second shock for Corr
  Index index = -1;             ///< parameter index, or shock index
  Index index2 = -1;            ///< second shock index for Corr

  /// Display name: `beta`, `stderr e`, `corr e1, e2`.
  std::string label() const;
};

/// Parse a display name (`phi_pi`, `stderr eps_d`, `corr e1, e2`) against a model.
/// Throws ModelError for an unknown name.
FreeParameter parse_free_parameter(const Model& model, const std::string& label);

/// Options of ModelSolver.
struct ModelSolverOptions {
  PerturbationOptions perturbation;  ///< QZ criterium and tolerances
  bool resolve_steady_state = true;        ///< recompute the steady state at each point
  /// Throws OptionsError on invalid values.
  void validate() const;
};

/// Result of one evaluation of ModelSolver.
struct ModelSolveResult {
  PerturbationResult solution;  ///< first-order solution (Sigma_e set from the free parameters)
  Status status = Status::Success;    ///< Success, or why no unique stable solution exists
  std::string message;                ///< diagnostic
  /// True when a unique stable solution was found.
  bool ok() const { return status == Status::Success; }
  /// One-line report.
  std::string summary() const;
};

/// A model with a vector of free parameters; `solve(theta)` gives the first-order solution there.
/// Each instance owns a copy of the model, so separate instances may run on separate threads.
class ModelSolver {
 public:
  /// \param model  the model (copied)
  /// \param labels free parameters (see parse_free_parameter)
  ModelSolver(const Model& model, const std::vector<std::string>& labels,
              const ModelSolverOptions& opts = {});

  /// Number of free parameters.
  Index size() const { return static_cast<Index>(free_.size()); }
  /// Display names of the free parameters.
  Names labels() const;
  /// The free parameters.
  const std::vector<FreeParameter>& free_parameters() const { return free_; }
  /// Current values of the free parameters in the model (calibration / shocks block).
  Vector current_values() const;
  /// The model copy (its parameters are those of the last solve).
  const Model& model() const { return model_; }
  /// Shock covariance implied by theta (base covariance with stderr/corr overridden).
  Matrix sigma_e(const Vector& theta) const;

  /// Set the parameters, solve the steady state and the first-order solution. The result of the
  /// last call is kept: asking again at the same theta (an optimizer's objective and constraints
  /// at one point) returns it without solving. The reference is valid until the next call.
  /// Throws DimensionError when theta has the wrong size; numerical failure is a Status.
  const ModelSolveResult& solve(const Vector& theta);

 private:
  Model model_;
  std::vector<FreeParameter> free_;
  ModelSolverOptions opts_;
  Matrix base_sigma_;
  Vector last_ss_;
  bool have_ss_ = false;
  Vector last_theta_;
  ModelSolveResult last_;
  bool have_last_ = false;

  ModelSolveResult compute(const Vector& theta);
};

}  // namespace govsim::dsge
