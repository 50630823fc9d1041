#pragma once
/// \file osr.hpp
/// Optimal simple rules: choose rule coefficients that minimize a quadratic loss of the
/// unconditional moments (Dynare's `osr`), alone or robustly over several models.
///
/// Points where the model has no unique stable solution are infeasible: the objective returns
/// the penalty of MinimizeOptions and the optimizer moves away; nothing throws.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/policy/loss.hpp>
#include <govsim/numerics/optimizer.hpp>

#include <functional>
#include <string>
#include <vector>

namespace govsim::policy {

/// A constraint c(params, solution) <= 0 (or = 0) that may depend on the first-order solution at
/// the trial parameters (moments, IRFs), e.g. var(i) - cap <= 0. It is only evaluated where the
/// model has a unique stable solution; elsewhere it counts as violated.
struct SolutionConstraint {
  /// c(params, solution); NaN/Inf or a thrown govsim::Error count as violated.
  std::function<double(const Vector& params, const dsge::PerturbationResult& solution)> fn;
  bool equality = false;    ///< c = 0 instead of c <= 0
  double tolerance = 1e-8;  ///< feasibility tolerance
  std::string name;         ///< label used in reports
};

/// Options of optimal_simple_rule() and robust_simple_rule().
///
/// Constraints on the parameters alone go in `minimizer.constraints` (optionally with analytic
/// gradients); constraints on the solution go in `solution_constraints` (finite-difference
/// gradients). With constraints, MinimizeOptions::algorithm must be constraint-capable (Auto picks
/// COBYLA).
struct OsrOptions {
  Names params;           ///< rule parameters to tune (default: the model's osr_params)
  Vector start;           ///< starting values (default: the model's calibration)
  Vector lower;           ///< lower bounds (default: osr_params_bounds, else unbounded)
  Vector upper;           ///< upper bounds (default: osr_params_bounds, else unbounded)
  numerics::MinimizeOptions minimizer;  ///< algorithm, tolerances, budget, progress callback, parameter constraints
  std::vector<SolutionConstraint> solution_constraints;  ///< constraints on the solution (after minimizer's)
  /// Loss of the first-order solution at trial parameters. When set it replaces the quadratic
  /// loss of the weights (which may then be empty), e.g. a scenario loss or a user's loss; NaN/Inf
  /// or a thrown govsim::Error mark the point infeasible. Called with the solver's cached solve, so
  /// the objective and solution constraints at one point share one solution.
  std::function<double(const dsge::PerturbationResult& solution)> objective;
  /// Throws OptionsError on inconsistent options.
  void validate() const;
};

/// Result of optimal_simple_rule().
struct OsrResult {
  Names param_names;       ///< tuned parameters
  Vector params;           ///< optimum
  Vector start;            ///< starting point
  double loss = 0.0;       ///< loss at the optimum
  double loss_start = 0.0; ///< loss at the start (penalty if the start is infeasible)
  int iterations = 0;      ///< improvements of the best point
  int evaluations = 0;     ///< loss evaluations
  int infeasible = 0;      ///< evaluations without a unique stable solution
  std::string algorithm;   ///< algorithm name
  dsge::PerturbationResult solution;  ///< first-order solution at the optimum
  Matrix covariance;       ///< Var(y) at the optimum (all endogenous variables)
  Names constraint_names;  ///< parameter constraints, then solution constraints
  Vector constraint_values;  ///< their values at the optimum (<= tolerance, or |.| <= tolerance, when feasible)
  bool feasible = true;    ///< all constraints hold at the optimum
  Status status = Status::Success;  ///< Success, MaxIterations, UserStopped, NumericalIssue
  std::string message;     ///< diagnostic
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-paragraph report.
  std::string summary() const;
};

/// Minimize sum_ij W_ij cov(y_i,y_j) (or OsrOptions::objective) over the rule parameters.
/// Throws ModelError (unknown names), OptionsError/DimensionError (bad options).
OsrResult optimal_simple_rule(const dsge::Model& model, const LossWeights& weights, const OsrOptions& opts = {});

/// How robust_simple_rule() combines the per-model losses.
enum class RobustAggregation {
  WeightedAverage,  ///< sum_m p_m L_m
  WorstCase         ///< max_m L_m
};

/// Result of robust_simple_rule().
struct RobustResult {
  Names param_names;       ///< tuned parameters
  Vector params;           ///< robust optimum
  double loss = 0.0;       ///< aggregated loss at the optimum
  double loss_start = 0.0; ///< aggregated loss at the start
  Vector model_losses;     ///< each model's loss at the robust optimum
  Vector model_losses_start;  ///< each model's loss at the start
  int evaluations = 0;     ///< aggregated-loss evaluations
  Status status = Status::Success;  ///< as OsrResult
  std::string message;     ///< diagnostic
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-paragraph report.
  std::string summary() const;
};

/// One rule for several models (or parameterizations): minimize the weighted average or the
/// worst case of their losses. `weights[m]` is the loss of model m; `probabilities` defaults to
/// equal weights. Throws DimensionError on mismatched sizes.
RobustResult robust_simple_rule(const std::vector<dsge::Model>& models, const std::vector<LossWeights>& weights,
                                const Vector& probabilities, RobustAggregation aggregation,
                                const OsrOptions& opts);

}  // namespace govsim::policy
