#pragma once
/// \file conditional_forecast.hpp
/// Instrument paths that hit a target (conditional forecasts): the values of chosen shocks that
/// make chosen endogenous variables follow given paths, as Dynare's `conditional_forecast` and
/// IRIS's exogenize/endogenize plans do.
///
/// Variable k of the targets is paired with shock k of `controlled_shocks`. In a period where
/// variable k has a target (a finite value), shock k is solved for; elsewhere it keeps its
/// baseline value. Two timings:
/// - unanticipated: the controlled shocks are surprises, learnt in the period they hit (Dynare's
///   conditional_forecast; IRIS's unanticipated plans);
/// - anticipated: the whole controlled path is known from period 1 (IRIS's anticipated plans).
/// The first-order version uses the linear decision rules (unanticipated only, as Dynare); the
/// perfect-foresight version handles nonlinear models, occasionally binding constraints written
/// with max/min (e.g. a zero lower bound) and both timings.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perfect_foresight.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <string>
#include <vector>

namespace govsim::policy {

/// A target path: `values[t-1]` is the level of `variable` in period t (NaN: no target).
struct TargetPath {
  std::string variable;  ///< endogenous variable
  Vector values;         ///< levels in periods 1..values.size() (NaN = free in that period)
};

/// When agents learn the controlled shocks.
enum class ShockTiming {
  Unanticipated,  ///< each controlled shock is a surprise in the period it hits
  Anticipated     ///< the whole controlled path is known from period 1
};

/// Options of the conditional forecasts.
struct ConditionalForecastOptions {
  Names controlled_shocks;    ///< one shock per target path, in the same order
  int periods = 40;           ///< forecast horizon (at least the longest target path)
  ShockTiming timing = ShockTiming::Unanticipated;  ///< information structure
  double tolerance = 1e-10;   ///< perfect foresight: max |path - target| accepted
  int max_iterations = 50;    ///< perfect foresight: Newton iterations on the controlled shocks
  dsge::PerfectForesightOptions perfect_foresight;  ///< options of each perfect-foresight solve
  /// Throws OptionsError on invalid values.
  void validate() const;
};

/// Result of a conditional forecast.
struct ConditionalForecastResult {
  Names endo_names;        ///< columns of `paths`
  Names exo_names;         ///< columns of `shocks`
  Matrix paths;            ///< (periods + 1) x n_endo levels; row 0 is the initial state
  Matrix shocks;           ///< periods x n_exo: shocks used (controlled ones solved for)
  double max_target_error = 0.0;  ///< max |path - target| over the targets
  Status status = Status::NotConverged;  ///< Success, Singular (a shock cannot move its target), NotConverged...
  std::string message;     ///< explanation on failure
  bool ok() const noexcept { return status == Status::Success; }  ///< targets met
};

/// First-order conditional forecast with unanticipated controlled shocks (Dynare's
/// conditional_forecast, mean path without uncertainty about the other shocks).
/// \param sol first-order solution
/// \param targets target paths (levels)
/// \param opts controlled shocks and horizon (timing must be Unanticipated)
/// \param initial_deviation state in period 0 as deviations from the steady state (default 0)
/// \param baseline_shocks periods x n_exo shocks of the other exogenous variables (default 0)
/// \throws ModelError for unknown names; DimensionError for mismatched sizes; OptionsError
ConditionalForecastResult conditional_forecast(const dsge::PerturbationResult& sol,
                                               const std::vector<TargetPath>& targets,
                                               const ConditionalForecastOptions& opts,
                                               const Vector& initial_deviation = Vector(),
                                               const Matrix& baseline_shocks = Matrix());

/// Perfect-foresight conditional forecast (nonlinear, max/min constraints, either timing):
/// Newton's method on the controlled shock values with finite-difference derivatives, one
/// perfect-foresight solve per evaluation (unanticipated: period by period from the state
/// reached so far).
/// \param model the model
/// \param base baseline problem (make_perfect_foresight_problem): initial state and shock paths;
///   its horizon must cover opts.periods
/// \param targets target paths (levels)
/// \param opts controlled shocks, horizon, timing, tolerances
/// \throws ModelError for unknown names; OptionsError
ConditionalForecastResult conditional_forecast_perfect_foresight(const dsge::Model& model,
                                                                 const dsge::PerfectForesightProblem& base,
                                                                 const std::vector<TargetPath>& targets,
                                                                 const ConditionalForecastOptions& opts);

}  // namespace govsim::policy
