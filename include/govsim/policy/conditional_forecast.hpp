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

#include <cstdint>
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

/// Options of conditional_forecast_bands().
struct ForecastBandsOptions {
  double conf_sig = 0.8;   ///< probability mass inside the bands (Dynare's conf_sig), in (0, 1)
  int replic = 0;          ///< draws for the simulated percentile bands (Dynare's replic); 0: analytic bands only
  std::uint64_t seed = 0;  ///< seed of the standard normal draws when `draws` is empty
  /// Standard normal draws to use instead of generating them: one periods x n_exo matrix per
  /// replication (e.g. another program's draws, to reproduce its bands); sets the replications.
  std::vector<Matrix> draws;
  /// Throws OptionsError on invalid values.
  void validate() const;
};

/// Uncertainty of a first-order conditional forecast from the shocks that are not controlled
/// (Dynare's conditional_forecast with its `replic` and `conf_sig`): the targets are met exactly
/// in every draw, the free shocks are drawn from N(0, Sigma_e), and the controlled shocks are not
/// drawn (zero, or their baseline, where they are not solved for), as in Dynare's imcforecast.
///
/// The model is linear in the free shocks, so the paths are Gaussian: `std`, `lower` and `upper`
/// are exact (mean -/+ z std with z the standard normal quantile of (1 + conf_sig)/2). With
/// `replic` > 0 the paths are also simulated and summarised as Dynare does: the mean over the
/// draws and the order statistics round(replic (1 - conf_sig)/2) and round(replic (1 + conf_sig)/2).
/// Correlated shocks are drawn with the lower Cholesky factor of Sigma_e, as Dynare.
struct ConditionalForecastBands {
  ConditionalForecastResult forecast;  ///< mean forecast: the free shocks at their baseline
  double conf_sig = 0.8;  ///< probability mass inside the bands
  Matrix std;             ///< (periods + 1) x n_endo standard deviations of the paths (row 0: zero)
  Matrix lower, upper;    ///< analytic bands of the paths (levels)
  Matrix shock_std;       ///< periods x n_exo standard deviations of the shocks (controlled ones: through the free shocks)
  Matrix shock_lower, shock_upper;  ///< analytic bands of the shocks
  int replic = 0;         ///< simulated replications (0: none)
  Matrix sim_mean, sim_lower, sim_upper;  ///< (periods + 1) x n_endo mean and percentile bands over the draws
  Matrix sim_shock_mean, sim_shock_lower, sim_shock_upper;  ///< periods x n_exo, the same for the shocks
  Status status = Status::NotConverged;  ///< as ConditionalForecastResult
  std::string message;    ///< explanation on failure
  bool ok() const noexcept { return status == Status::Success; }  ///< targets met
};

/// First-order conditional forecast with uncertainty bands from the free shocks (see
/// ConditionalForecastBands).
/// \param sol first-order solution (its Sigma_e gives the distribution of the free shocks)
/// \param targets target paths (levels)
/// \param opts controlled shocks and horizon (timing must be Unanticipated)
/// \param bands probability of the bands, simulated replications, seed or draws
/// \param initial_deviation state in period 0 as deviations from the steady state (default 0, known)
/// \param baseline_shocks periods x n_exo mean of the shocks (default 0)
/// \throws as conditional_forecast(); OptionsError for invalid bands options; DimensionError for
///   draws of the wrong size
ConditionalForecastBands conditional_forecast_bands(const dsge::PerturbationResult& sol,
                                                    const std::vector<TargetPath>& targets,
                                                    const ConditionalForecastOptions& opts,
                                                    const ForecastBandsOptions& bands = {},
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
