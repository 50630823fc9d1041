// Bindings for dsge/run_commands.hpp: run_commands(), RunOptions, RunResult and the typed
// per-command results (govsim.dsge.run wraps them with pandas accessors).
#include "bindings.hpp"

#include <govsim/dsge/run_commands.hpp>
#include <govsim/policy/run_commands.hpp>

namespace govsim::python {
namespace {
using namespace govsim::dsge;
using govsim::policy::ConditionalForecastRunResult;
using govsim::policy::DiscretionRunResult;
using govsim::policy::OsrRunResult;
using govsim::policy::PlannerObjectiveRunResult;
using govsim::policy::PlotConditionalForecastRunResult;
using govsim::policy::RamseyRunResult;

void bind_run(py::module_& m) {
  py::class_<RunOptions> ro_cls(m, "RunOptions", "Options of run_commands");
  keyword_init(ro_cls, "RunOptions");
  ro_cls.def_readwrite("include_auxiliary", &RunOptions::include_auxiliary)
      .def_readwrite("seed", &RunOptions::seed)
      .def_readwrite("max_memory_bytes", &RunOptions::max_memory_bytes)
      .def_readwrite("on_progress", &RunOptions::on_progress)
      .def("validate", &RunOptions::validate);

  py::class_<RunWarning>(m, "RunWarning", "A warning of the run")
      .def_readonly("where", &RunWarning::where)
      .def_readonly("message", &RunWarning::message)
      .def_readonly("position", &RunWarning::position);

  py::class_<CommandResult, std::shared_ptr<CommandResult>>(m, "CommandResult", "Result of one command")
      .def_readonly("command", &CommandResult::command)
      .def_readonly("where", &CommandResult::where);
  py::class_<SteadyResult, CommandResult, std::shared_ptr<SteadyResult>>(m, "SteadyResult", "`steady`")
      .def_readonly("steady_state", &SteadyResult::steady_state);
  py::class_<CheckResult, CommandResult, std::shared_ptr<CheckResult>>(m, "CheckResult", "`check`")
      .def_readonly("eigenvalues", &CheckResult::eigenvalues)
      .def_readonly("n_explosive", &CheckResult::n_explosive)
      .def_readonly("n_forward", &CheckResult::n_forward)
      .def_readonly("status", &CheckResult::status)
      .def_readonly("message", &CheckResult::message)
      .def("blanchard_kahn_ok", &CheckResult::blanchard_kahn_ok);
  py::class_<StochSimulResult, CommandResult, std::shared_ptr<StochSimulResult>>(m, "StochSimulResult",
                                                                                 "`stoch_simul`")
      .def_readonly("order", &StochSimulResult::order)
      .def_readonly("loglinear", &StochSimulResult::loglinear)
      .def_property_readonly("options",
                             [](const StochSimulResult& s) {
                               std::vector<std::pair<std::string, std::string>> r;
                               for (const auto& o : s.options) r.emplace_back(o.key, o.value);
                               return r;
                             })
      .def_readonly("var_list", &StochSimulResult::var_list)
      .def_readonly("first", &StochSimulResult::first)
      .def_readonly("second", &StochSimulResult::second)
      .def_readonly("irfs", &StochSimulResult::irfs)
      .def_readonly("moments", &StochSimulResult::moments)
      .def_readonly("conditional_variance_decomposition", &StochSimulResult::conditional_variance_decomposition)
      .def_readonly("simulation", &StochSimulResult::simulation)
      .def_readonly("drop", &StochSimulResult::drop);
  py::class_<OsrRunResult, CommandResult, std::shared_ptr<OsrRunResult>>(m, "OsrRunResult", "`osr`")
      .def_readonly("result", &OsrRunResult::result)
      .def_readonly("var_list", &OsrRunResult::var_list)
      .def_readonly("var_list_covariance", &OsrRunResult::var_list_covariance);
  py::class_<EstimationRunResult, CommandResult, std::shared_ptr<EstimationRunResult>>(m, "EstimationRunResult",
                                                                                       "`estimation`")
      .def_readonly("labels", &EstimationRunResult::labels)
      .def_readonly("bayesian", &EstimationRunResult::bayesian)
      .def_readonly("initial", &EstimationRunResult::initial)
      .def_readonly("mode_compute", &EstimationRunResult::mode_compute)
      .def_readonly("at_initial", &EstimationRunResult::at_initial)
      .def_readonly("log_prior_initial", &EstimationRunResult::log_prior_initial)
      .def_readonly("mode", &EstimationRunResult::mode)
      .def_readonly("mcmc", &EstimationRunResult::mcmc);
  py::class_<PerfectForesightRunResult, CommandResult, std::shared_ptr<PerfectForesightRunResult>>(
      m, "PerfectForesightRunResult", "`perfect_foresight_solver`")
      .def_readonly("periods", &PerfectForesightRunResult::periods)
      .def_readonly("result", &PerfectForesightRunResult::result);
  py::class_<RamseyRunResult, CommandResult, std::shared_ptr<RamseyRunResult>>(m, "RamseyRunResult",
                                                                               "`ramsey_model` / `ramsey_policy`")
      .def_readonly("result", &RamseyRunResult::result);
  py::class_<DiscretionRunResult, CommandResult, std::shared_ptr<DiscretionRunResult>>(m, "DiscretionRunResult",
                                                                                       "`discretionary_policy`")
      .def_readonly("result", &DiscretionRunResult::result);
  py::class_<PlannerObjectiveRunResult, CommandResult, std::shared_ptr<PlannerObjectiveRunResult>>(
      m, "PlannerObjectiveRunResult", "`evaluate_planner_objective`")
      .def_readonly("policy", &PlannerObjectiveRunResult::policy)
      .def_readonly("ramsey", &PlannerObjectiveRunResult::ramsey)
      .def_readonly("discretion", &PlannerObjectiveRunResult::discretion);
  py::class_<ConditionalForecastRunResult, CommandResult, std::shared_ptr<ConditionalForecastRunResult>>(
      m, "ConditionalForecastRunResult", "`conditional_forecast` (with `conditional_forecast_paths`)")
      .def_readonly("parameter_set", &ConditionalForecastRunResult::parameter_set)
      .def_readonly("periods", &ConditionalForecastRunResult::periods)
      .def_readonly("constrained_periods", &ConditionalForecastRunResult::constrained_periods)
      .def_readonly("replic", &ConditionalForecastRunResult::replic)
      .def_readonly("conf_sig", &ConditionalForecastRunResult::conf_sig)
      .def_readonly("controlled_varexo", &ConditionalForecastRunResult::controlled_varexo)
      .def_readonly("constrained", &ConditionalForecastRunResult::constrained)
      .def_readonly("cond", &ConditionalForecastRunResult::cond)
      .def_readonly("uncond", &ConditionalForecastRunResult::uncond);
  py::class_<PlotConditionalForecastRunResult, CommandResult, std::shared_ptr<PlotConditionalForecastRunResult>>(
      m, "PlotConditionalForecastRunResult", "`plot_conditional_forecast`")
      .def_readonly("variables", &PlotConditionalForecastRunResult::variables)
      .def_readonly("periods", &PlotConditionalForecastRunResult::periods);

  py::enum_<RunFailure>(m, "RunFailure", "What stopped a run")
      .value("None_", RunFailure::None)
      .value("BadInput", RunFailure::BadInput)
      .value("Numerical", RunFailure::Numerical);

  py::class_<RunResult>(m, "RunResult", "Typed results of the commands of a .mod file, in order")
      .def_readonly("endo_names", &RunResult::endo_names)
      .def_readonly("exo_names", &RunResult::exo_names)
      .def_readonly("param_names", &RunResult::param_names)
      .def_readonly("params", &RunResult::params)
      .def_readonly("steady_state", &RunResult::steady_state)
      .def_property_readonly("results",
                             [](const RunResult& r) {
                               std::vector<std::shared_ptr<CommandResult>> out;
                               for (const auto& x : r.results) out.push_back(std::const_pointer_cast<CommandResult>(x));
                               return out;
                             })
      .def_readonly("warnings", &RunResult::warnings)
      .def_readonly("failure", &RunResult::failure)
      .def_readonly("status", &RunResult::status)
      .def_readonly("error_where", &RunResult::error_where)
      .def_readonly("error_message", &RunResult::error_message)
      .def("ok", &RunResult::ok);

  m.def("run_commands", &govsim::policy::run_commands, py::arg("model"), py::arg("options") = RunOptions{},
        py::call_guard<py::gil_scoped_release>(),
        "Run the model's commands in order with every command (policy::run_commands: steady, check, "
        "stoch_simul, estimation, perfect foresight, osr, optimal policy)");
  m.def("command_names", [] {
    std::vector<std::string> names;
    for (const auto* reg : {&govsim::policy::command_registry(), &command_registry()})
      for (const auto& s : *reg) names.push_back(s.name);
    return names;
  }, "Names of the commands run_commands executes or passes over (declarative blocks)");
}

const BindingRegistrar reg("dsge", 70, &bind_run);
}  // namespace
}  // namespace govsim::python
