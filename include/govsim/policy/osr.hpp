#pragma once
/// @file osr.hpp
/// @brief Optimal simple rules: choose rule coefficients that minimize a quadratic loss of the
/// unconditional moments (Dynare's `osr`), alone or robustly over several models.
///
/// Points where the model has no unique stable solution are infeasible: the objective returns
/// the penalty of MinimizeOptions and the optimizer moves away; nothing throws.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/policy/loss.hpp>
#include <govsim/policy/optimizer.hpp>

#include <string>
#include <vector>

namespace govsim::policy {

/// Options of optimal_simple_rule() and robust_simple_rule().
struct OsrOptions {
  Names params;           ///< rule parameters to tune (default: the model's osr_params)
  Vector start;           ///< starting values (default: the model's calibration)
  Vector lower;           ///< lower bounds (default: osr_params_bounds, else unbounded)
  Vector upper;           ///< upper bounds (default: osr_params_bounds, else unbounded)
  MinimizeOptions minimizer;  ///< algorithm, tolerances, budget, progress callback
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
  Status status = Status::Success;  ///< Success, MaxIterations, UserStopped, NumericalIssue
  std::string message;     ///< diagnostic
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-paragraph report.
  std::string summary() const;
};

/// Minimize sum_ij W_ij cov(y_i,y_j) over the rule parameters.
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
