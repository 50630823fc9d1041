#pragma once
/// \file run_commands.hpp
/// The command interpreter of `.mod` files: run_commands() executes a model's commands in source
/// order, as Dynare does, and returns typed results (no text: `govsim run` renders them as tables
/// and JSON, Python exposes them as `govsim.dsge.RunResult`).
///
/// Commands: `steady`, `check`, `stoch_simul` (order 1 and 2), `estimation` (likelihood at the
/// initial values with `mode_compute=0`, posterior mode, Metropolis-Hastings),
/// `perfect_foresight_setup` and `perfect_foresight_solver`. The layers above add theirs through
/// RunOptions::commands: policy/run_commands.hpp adds `osr`, `ramsey_model`, `ramsey_policy`,
/// `discretionary_policy` and `evaluate_planner_objective`, and policy::run_commands() runs a
/// model with every command (as `govsim run` and govsim.dsge.run() do). Declarative blocks given
/// as commands (`varobs`, `osr_params`, ...) are passed over; any other command becomes a warning.
/// Option values are read and validated by CommandOptionReader.
///
/// Adding a command is one handler function and one entry in the table of command_registry()
/// (src/dsge/run_commands.cpp), or of a higher layer's table; its result type derives from
/// CommandResult.
///
/// \code
/// auto model = govsim::dsge::parse_model_file("rbc.mod");
/// govsim::dsge::RunResult r = govsim::dsge::run_commands(model);
/// if (r.ok())
///   for (const auto* s : r.results_of<govsim::dsge::StochSimulResult>()) use(s->first.ghx);
/// \endcode

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/estimation.hpp>
#include <govsim/dsge/irf.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/moments.hpp>
#include <govsim/dsge/perfect_foresight.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/second_order.hpp>
#include <govsim/dsge/simulation.hpp>

#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace govsim::dsge {

class RunContext;

/// A command handler: reads the command's options, computes, records results in the context.
using CommandHandler = std::function<void(const Command& cmd, RunContext& ctx)>;

/// One entry of the command table.
struct CommandSpec {
  std::string name;        ///< command name
  CommandHandler handler;  ///< empty for declarative blocks, which are passed over
};

/// Options of run_commands().
struct RunOptions {
  bool include_auxiliary = false;  ///< also report auxiliary variables
  std::uint64_t seed = 1;          ///< seed of simulations and Metropolis-Hastings chains
  /// Largest memory an option value may ask for (`irf=1e9` is refused up front), in bytes.
  double max_memory_bytes = 8e9;
  /// Progress of long commands (osr, estimation mode and MCMC): command name and iteration
  /// information; return false to stop (the command then reports UserStopped).
  std::function<bool(const std::string& command, const IterationInfo& info)> on_progress;
  /// Commands of the layers above dsge (policy::command_registry()), looked up before
  /// command_registry(); policy::run_commands() adds them.
  std::vector<CommandSpec> commands;
  /// Throws OptionsError for a non-positive memory limit.
  void validate() const;
};

/// A warning of the run (parse warnings first, then those of the commands), in order.
struct RunWarning {
  SourceLocation where;     ///< location (file empty when unknown)
  std::string message;      ///< what happened
  std::size_t position = 0; ///< number of command results recorded before it
};

/// Base of the typed result of one command.
struct CommandResult {
  std::string command;   ///< command name
  SourceLocation where;  ///< where the command is
  virtual ~CommandResult() = default;
};

/// `steady`: the steady state of the reported variables (RunResult::endo_names).
struct SteadyResult : CommandResult {
  Vector steady_state;  ///< values
};

/// `check`: eigenvalues and the Blanchard-Kahn conditions.
struct CheckResult : CommandResult {
  ComplexVector eigenvalues;  ///< generalized eigenvalues, as the solver orders them
  Index n_explosive = 0;      ///< eigenvalues larger than 1 in modulus
  Index n_forward = 0;        ///< forward-looking variables
  Status status = Status::Success;  ///< Success, Indeterminate, NoStableSolution...
  std::string message;        ///< diagnostic when status is not Success
  /// True when the Blanchard-Kahn conditions hold.
  bool blanchard_kahn_ok() const { return status == Status::Success; }
};

/// `stoch_simul`: decision rules, IRFs, moments, decompositions and simulations.
struct StochSimulResult : CommandResult {
  int order = 1;                       ///< 1 or 2
  std::vector<CommandOption> options;  ///< the options as written
  Names var_list;                      ///< variables listed after the options (default: all reported)
  bool print = true;                   ///< false with `noprint`
  bool graph = true;                   ///< false with `nograph` (and no `graph`)
  bool nocorr = false;                 ///< `nocorr`
  /// `loglinear`: `first` holds the rules in logs (log_linear_rules()), its steady state in
  /// logs; IRFs, moments and simulations are of the logged variables.
  bool loglinear = false;
  double irf_plot_threshold = 1e-10;   ///< responses below it are not charted
  PerturbationResult first;            ///< first-order solution (rows: all endogenous variables)
  std::optional<SecondOrderResult> second;  ///< order 2: ghxx, ghxu, ghuu, ghs2, pruned mean
  /// IRFs (`irf` > 0): order 1 as impulse_responses(); order 2 pruned, deviations from the
  /// no-shock path started at the steady state.
  std::optional<IrfResult> irfs;
  std::optional<MomentsResult> moments;    ///< first-order theoretical moments (unless `nomoments`)
  /// Conditional variance decomposition (`conditional_variance_decomposition=[...]`).
  std::optional<ConditionalVarianceDecompositionResult> conditional_variance_decomposition;
  std::optional<SimulationResult> simulation;  ///< `periods` > 0 (order 2: pruned)
  Index drop = 100;                    ///< burn-in of the simulation
};

/// `estimation`: likelihood at the initial values, posterior mode, MCMC.
struct EstimationRunResult : CommandResult {
  Names labels;          ///< estimated parameters (`rho`, `stderr eps`)
  bool bayesian = false; ///< every parameter has a prior
  Vector initial;        ///< initial values
  int mode_compute = 4;  ///< 0: likelihood at the initial values only
  std::optional<KalmanResult> at_initial;  ///< filter at the initial values (mode_compute=0)
  double log_prior_initial = 0.0;          ///< log prior at the initial values (0 without priors)
  std::optional<ModeResult> mode;          ///< posterior mode (mode_compute != 0)
  std::optional<McmcResult> mcmc;          ///< Metropolis-Hastings (mh_replic > 0)
  int mcmc_chains = 0;                     ///< mh_nblocks used
};

/// `perfect_foresight_solver`: paths of the stacked Newton problem.
struct PerfectForesightRunResult : CommandResult {
  int periods = 0;                  ///< T
  PerfectForesightResult result;    ///< paths (rows 0..T+1, all endogenous variables), status
};

/// What run_commands() stopped on.
enum class RunFailure {
  None,      ///< every command ran
  BadInput,  ///< bad option values, unknown names, missing files or blocks (the CLI's exit code 2)
  Numerical  ///< a numerical algorithm failed (exit code 3)
};

/// Outcome of run_commands(): results per command in source order, warnings, and failure.
struct RunResult {
  Names endo_names;    ///< reported variables (declared ones; auxiliaries too with include_auxiliary)
  Names exo_names;     ///< shocks
  Names param_names;   ///< parameters
  Vector params;       ///< their values
  Vector steady_state; ///< steady state of endo_names (empty when the run failed before it)
  std::vector<std::shared_ptr<const CommandResult>> results;  ///< one per command that produced output
  std::vector<RunWarning> warnings;  ///< warnings in order
  RunFailure failure = RunFailure::None;  ///< what stopped the run
  Status status = Status::Success;   ///< status of a numerical failure
  SourceLocation error_where;        ///< command that failed (file empty for global errors)
  std::string error_message;         ///< the error (starting with `file:line: command:` when located)

  /// True when every command ran.
  bool ok() const noexcept { return failure == RunFailure::None; }
  /// The results of one type, in order.
  template <class T>
  std::vector<const T*> results_of() const {
    std::vector<const T*> out;
    for (const auto& r : results)
      if (const auto* t = dynamic_cast<const T*>(r.get())) out.push_back(t);
    return out;
  }
};

/// What a command handler sees: the model, the options, cached steady state and solutions, and
/// where it records results and warnings.
class RunContext {
 public:
  /// \param model the model
  /// \param opts options of the run
  /// \param result the result being built
  RunContext(const Model& model, const RunOptions& opts, RunResult& result);
  const Model& model() const { return system_ ? *system_ : model_; }  ///< the model (or the installed system)
  const RunOptions& options() const { return opts_; }      ///< options of the run
  const Names& endo_names() const { return result_.endo_names; }  ///< reported variables
  const Names& all_endo_names() const { return all_endo_; }        ///< every endogenous variable
  /// Steady state of every endogenous variable (computed once).
  /// \throws SolveError when it cannot be found
  const Vector& steady();
  /// Replace the steady state (a `steady` command with options); cached solutions are dropped.
  /// \param ss steady state of every endogenous variable
  void set_steady(const Vector& ss);
  /// First-order solution at the steady state, cached per qz_criterium (not checked: see its status).
  /// \param qz_criterium eigenvalue modulus separating stable and unstable roots
  const PerturbationResult& first_order(double qz_criterium = 1.0 + 1e-6);
  /// Make an optimal-policy system the model of the commands that follow (steady(), first_order(),
  /// model(), endo_names()): `ramsey_model` installs the Ramsey model, `discretionary_policy` the
  /// model with its discretionary decision rules.
  /// \param model the system (its endogenous variables are the rows of `solution`)
  /// \param steady_state steady state of its endogenous variables
  /// \param solution its first-order solution, used whatever qz_criterium later commands ask for
  void use_system(std::shared_ptr<const Model> model, const Vector& steady_state, const PerturbationResult& solution);
  /// Record a warning at `where`.
  /// \param where location
  /// \param message text
  void warn(const SourceLocation& where, const std::string& message);
  /// Record a command result.
  /// \param r the result
  void add(std::shared_ptr<CommandResult> r);
  /// Warn about options the command does not handle (`command: unsupported option(s) ignored: ...`).
  /// \param cmd the command
  /// \param known options it handles
  void warn_unknown_options(const Command& cmd, const Names& known);
  /// Run `cmd` with the handler of the command `name` from the command tables (`ramsey_policy`
  /// runs its options through the `stoch_simul` handler).
  /// \param name command whose handler runs
  /// \param cmd the command (its name and location are those of the results)
  /// \throws OptionsError when no table has `name`
  void run(const std::string& name, const Command& cmd);
  /// The iteration callback of a long command: RunOptions::on_progress with its name (empty when
  /// there is none).
  /// \param command command name reported to on_progress
  std::function<bool(const IterationInfo&)> progress(const std::string& command) const;
  /// State shared between commands (e.g. the problem of perfect_foresight_setup).
  std::map<std::string, std::any> state;

 private:
  const Model& model_;
  const RunOptions& opts_;
  RunResult& result_;
  Names all_endo_;
  std::optional<Vector> ss_;
  std::vector<std::pair<double, PerturbationResult>> solutions_;
  std::shared_ptr<const Model> system_;          // installed by use_system()
  std::optional<PerturbationResult> pinned_;     // its solution
};

/// A new result of type T (derived from CommandResult) for `cmd`: command name and location set.
/// \param cmd the command
template <class T>
std::shared_ptr<T> make_result(const Command& cmd) {
  auto r = std::make_shared<T>();
  r->command = cmd.name;
  r->where = cmd.where;
  return r;
}

/// Raised by a handler to stop the run with a numerical failure and a status (other errors:
/// govsim::OptionsError / ModelError / DataError mean bad input, SolveError a numerical failure).
struct CommandFailure {
  Status status;        ///< status of the failed algorithm
  std::string message;  ///< full message
};

/// The commands of this layer run_commands() executes (and the declarative ones it passes over).
const std::vector<CommandSpec>& command_registry();

/// Run the model's commands in order with the commands of command_registry() and opts.commands
/// (policy::run_commands() runs every command).
/// \param model parsed model (its parse warnings come first in the result)
/// \param opts options
/// \return typed results; bad input and numerical failures are reported in the result (failure,
///         status, error_message), the results before the failure are kept
/// \throws OptionsError when opts is invalid
RunResult run_commands(const Model& model, const RunOptions& opts = {});

}  // namespace govsim::dsge
