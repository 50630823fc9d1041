#pragma once
/// \file run_commands.hpp
/// The policy commands of `.mod` files, run by the command interpreter of dsge/run_commands.hpp:
/// `osr` (with `osr_params`, `osr_params_bounds`, `optim_weights`), `ramsey_model` and
/// `ramsey_policy` (commitment), `discretionary_policy`, `evaluate_planner_objective`, and
/// `conditional_forecast` (with `conditional_forecast_paths`) and `plot_conditional_forecast`. After an
/// optimal-policy command the `stoch_simul` commands (and the run's reported variables and steady
/// state) are those of the optimal-policy system (dsge::RunContext::use_system).
///
/// The interpreter lives in dsge/, which does not depend on policy/: these handlers reach it
/// through dsge::RunOptions::commands. policy::run_commands() runs a model with every command
/// (those of dsge/ and these), as `govsim run` and govsim.dsge.run() do.
///
/// \code
/// auto model = govsim::dsge::parse_model_file("nk_costpush_policy.mod");
/// govsim::dsge::RunResult r = govsim::policy::run_commands(model);
/// for (const auto* x : r.results_of<govsim::policy::RamseyRunResult>()) use(x->result.objective);
/// \endcode

#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/run_commands.hpp>
#include <govsim/policy/conditional_forecast.hpp>
#include <govsim/policy/discretion.hpp>
#include <govsim/policy/osr.hpp>
#include <govsim/policy/ramsey.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace govsim::policy {

/// `osr`: optimal simple rule.
struct OsrRunResult : dsge::CommandResult {
  OsrResult result;            ///< optimum, losses, solution and covariance at the optimum
  Names var_list;              ///< variables listed after the options (default: all reported)
  Matrix var_list_covariance;  ///< Var over var_list at the optimum (empty if unsolved)
};

/// `ramsey_model` / `ramsey_policy`: the Ramsey problem under commitment (its system replaces
/// the model for the commands after it; `ramsey_policy` adds a StochSimulResult of that system).
struct RamseyRunResult : dsge::CommandResult {
  RamseyResult result;  ///< derived model, steady state, first-order solution, welfare
};

/// `discretionary_policy`: optimal discretionary policy (its decision rules replace the model's
/// solution for the commands after it; the command also records a StochSimulResult).
struct DiscretionRunResult : dsge::CommandResult {
  DiscretionResult result;  ///< decision rules, loss weights, loss
};

/// `evaluate_planner_objective`: the planner objective of the last optimal-policy command.
struct PlannerObjectiveRunResult : dsge::CommandResult {
  std::string policy;                                   ///< "ramsey" or "discretion"
  int order = 1;  ///< approximation order of the welfare (that of the last stoch_simul on the Ramsey system)
  std::optional<PlannerObjectiveValue> ramsey;          ///< after ramsey_model / ramsey_policy
  std::optional<DiscretionObjectiveValue> discretion;   ///< after discretionary_policy
};

/// `conditional_forecast(parameter_set=calibration, controlled_varexo=(...), periods=, replic=,
/// conf_sig=)` with the model's `conditional_forecast_paths`, as Dynare's imcforecast: first-order
/// forecasts from the calibration, starting at the steady state (or at the histval values, the
/// variables histval does not set at 0, as Dynare), where the controlled shocks are surprises
/// chosen so that the constrained variables follow their paths and the other shocks are free.
/// `cond` is the conditional forecast, `uncond` the forecast with the controlled shocks at zero;
/// each holds the mean (free shocks at zero), the exact bands from the free shocks and the mean
/// and percentile bands of `replic` simulated replications (seeded by RunOptions::seed), as
/// Dynare reports them.
struct ConditionalForecastRunResult : dsge::CommandResult {
  std::string parameter_set = "calibration";  ///< parameters used
  int periods = 40;                 ///< forecast horizon
  int constrained_periods = 0;      ///< last period with a constrained value (Dynare's cL)
  int replic = 5000;                ///< simulated replications
  double conf_sig = 0.8;            ///< probability mass inside the bands
  Names controlled_varexo;          ///< controlled shocks, paired with `constrained`
  std::vector<TargetPath> constrained;  ///< constrained paths in levels (NaN: free in that period)
  ConditionalForecastBands cond;    ///< conditional forecast (rows: periods 0..periods, all endogenous)
  ConditionalForecastBands uncond;  ///< unconditional forecast (controlled shocks at zero)
};

/// `plot_conditional_forecast(periods=...) y pi;`: what to show of the last conditional forecast
/// (the command draws no file; `govsim run` prints the bands of these variables).
struct PlotConditionalForecastRunResult : dsge::CommandResult {
  Names variables;  ///< variables listed (required, as in Dynare)
  int periods = 0;  ///< periods shown after period 0 (capped at the forecast horizon, as Dynare)
  std::shared_ptr<const ConditionalForecastRunResult> forecast;  ///< the forecast shown
};

/// The policy commands, for dsge::RunOptions::commands (the declarative blocks they read,
/// `osr_params`, `optim_weights`, `planner_objective`..., are the model's: dsge passes over them).
const std::vector<dsge::CommandSpec>& command_registry();

/// Run the model's commands in order with every command: dsge::run_commands() with
/// command_registry() added to `opts.commands`.
/// \param model parsed model
/// \param opts options (commands already in opts.commands are kept and looked up first)
/// \return as dsge::run_commands()
/// \throws OptionsError when opts is invalid
dsge::RunResult run_commands(const dsge::Model& model, dsge::RunOptions opts = {});

}  // namespace govsim::policy
