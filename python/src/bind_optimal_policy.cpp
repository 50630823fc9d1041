// Bindings for optimal policy: Ramsey (commitment) and discretion. Results are the C++ structs.
#include "bindings.hpp"

#include <govsim/policy/conditional_forecast.hpp>
#include <govsim/policy/discretion.hpp>
#include <govsim/policy/ramsey.hpp>

namespace govsim::python {
namespace {

using namespace govsim::policy;

void bind_optimal_policy(py::module_& m) {
  py::class_<RamseyOptions> ro_cls(m, "RamseyOptions", "Options of solve_ramsey");
  keyword_init(ro_cls, "RamseyOptions");
  ro_cls.def_readwrite("instruments", &RamseyOptions::instruments)
      .def_readwrite("planner_objective", &RamseyOptions::planner_objective)
      .def_readwrite("planner_discount", &RamseyOptions::planner_discount)
      .def_readwrite("tolerance", &RamseyOptions::tolerance)
      .def_readwrite("max_iterations", &RamseyOptions::max_iterations)
      .def_readwrite("perturbation", &RamseyOptions::perturbation)
      .def_readwrite("objective_order", &RamseyOptions::objective_order);
  py::class_<RamseyModel>(m, "RamseyModel", "The planner's first-order conditions as a model")
      .def_readonly("model", &RamseyModel::model)
      .def_readonly("mod_text", &RamseyModel::mod_text)
      .def_readonly("instruments", &RamseyModel::instruments)
      .def_readonly("multipliers", &RamseyModel::multipliers)
      .def_readonly("n_original_endo", &RamseyModel::n_original_endo)
      .def_readonly("planner_objective", &RamseyModel::planner_objective)
      .def_readonly("discount", &RamseyModel::discount);
  py::class_<PlannerObjectiveValue>(m, "PlannerObjectiveValue", "Welfare of the Ramsey solution at order 1 or 2")
      .def_readonly("unconditional", &PlannerObjectiveValue::unconditional)
      .def_readonly("conditional_steady_initial_multiplier",
                    &PlannerObjectiveValue::conditional_steady_initial_multiplier)
      .def_readonly("conditional_zero_initial_multiplier", &PlannerObjectiveValue::conditional_zero_initial_multiplier);
  py::class_<RamseyResult>(m, "RamseyResult", "Ramsey model, steady state, first-order solution, welfare")
      .def_readonly("ramsey", &RamseyResult::ramsey)
      .def_readonly("steady_state", &RamseyResult::steady_state)
      .def_readonly("params", &RamseyResult::params)
      .def_readonly("steady_state_residual", &RamseyResult::steady_state_residual)
      .def_readonly("steady_state_method", &RamseyResult::steady_state_method)
      .def_readonly("solution", &RamseyResult::solution)
      .def_readonly("second", &RamseyResult::second)
      .def_readonly("objective", &RamseyResult::objective)
      .def_readonly("status", &RamseyResult::status)
      .def_readonly("message", &RamseyResult::message)
      .def("ok", &RamseyResult::ok);
  m.def("derive_ramsey_model", &derive_ramsey_model, py::arg("model"), py::arg("options") = RamseyOptions(),
        "The planner's first-order conditions of a model (multipliers MULT_1..MULT_n).");
  m.def("solve_ramsey", &solve_ramsey, py::arg("model"), py::arg("options") = RamseyOptions(),
        py::call_guard<py::gil_scoped_release>(), "Ramsey policy: derive, steady state, first-order solution, welfare.");

  py::class_<DiscretionOptions> do_cls(m, "DiscretionOptions", "Options of solve_discretion");
  keyword_init(do_cls, "DiscretionOptions");
  do_cls.def_readwrite("instruments", &DiscretionOptions::instruments)
      .def_readwrite("planner_objective", &DiscretionOptions::planner_objective)
      .def_readwrite("planner_discount", &DiscretionOptions::planner_discount)
      .def_readwrite("tolerance", &DiscretionOptions::tolerance)
      .def_readwrite("max_iterations", &DiscretionOptions::max_iterations)
      .def_readwrite("qz_criterium", &DiscretionOptions::qz_criterium);
  py::class_<DiscretionObjectiveValue>(m, "DiscretionObjectiveValue", "Loss of the discretionary solution")
      .def_readonly("unconditional", &DiscretionObjectiveValue::unconditional)
      .def_readonly("conditional", &DiscretionObjectiveValue::conditional);
  py::class_<DiscretionResult>(m, "DiscretionResult", "Discretionary policy: decision rules and loss")
      .def_readonly("instruments", &DiscretionResult::instruments)
      .def_readonly("discount", &DiscretionResult::discount)
      .def_readonly("loss_weights", &DiscretionResult::loss_weights)
      .def_readonly("solution", &DiscretionResult::solution)
      .def_readonly("objective", &DiscretionResult::objective)
      .def_readonly("iterations", &DiscretionResult::iterations)
      .def_readonly("status", &DiscretionResult::status)
      .def_readonly("message", &DiscretionResult::message)
      .def("ok", &DiscretionResult::ok);
  m.def("solve_discretion", &solve_discretion, py::arg("model"), py::arg("options") = DiscretionOptions(),
        py::call_guard<py::gil_scoped_release>(), "Optimal discretionary policy (Dennis 2007, as Dynare).");

  py::enum_<ShockTiming>(m, "ShockTiming", "When agents learn the controlled shocks")
      .value("Unanticipated", ShockTiming::Unanticipated)
      .value("Anticipated", ShockTiming::Anticipated);
  py::class_<TargetPath>(m, "TargetPath", "Levels of a variable in periods 1..n (NaN: free)")
      .def(py::init([](std::string v, Vector values) { return TargetPath{std::move(v), std::move(values)}; }),
           py::arg("variable"), py::arg("values"))
      .def_readonly("variable", &TargetPath::variable)
      .def_readonly("values", &TargetPath::values);
  py::class_<ConditionalForecastOptions> cfo_cls(m, "ConditionalForecastOptions", "Options of the conditional forecasts");
  keyword_init(cfo_cls, "ConditionalForecastOptions");
  cfo_cls.def_readwrite("controlled_shocks", &ConditionalForecastOptions::controlled_shocks)
      .def_readwrite("periods", &ConditionalForecastOptions::periods)
      .def_readwrite("timing", &ConditionalForecastOptions::timing)
      .def_readwrite("tolerance", &ConditionalForecastOptions::tolerance)
      .def_readwrite("max_iterations", &ConditionalForecastOptions::max_iterations);
  py::class_<ConditionalForecastResult>(m, "ConditionalForecastResult", "Paths and shocks of a conditional forecast")
      .def_readonly("endo_names", &ConditionalForecastResult::endo_names)
      .def_readonly("exo_names", &ConditionalForecastResult::exo_names)
      .def_readonly("paths", &ConditionalForecastResult::paths)
      .def_readonly("shocks", &ConditionalForecastResult::shocks)
      .def_readonly("max_target_error", &ConditionalForecastResult::max_target_error)
      .def_readonly("status", &ConditionalForecastResult::status)
      .def_readonly("message", &ConditionalForecastResult::message)
      .def("ok", &ConditionalForecastResult::ok);
  m.def("conditional_forecast", &conditional_forecast, py::arg("solution"), py::arg("targets"), py::arg("options"),
        py::arg("initial_deviation") = Vector(), py::arg("baseline_shocks") = Matrix(),
        py::call_guard<py::gil_scoped_release>(), "First-order conditional forecast (unanticipated controlled shocks).");
  py::class_<ForecastBandsOptions> fbo_cls(m, "ForecastBandsOptions", "Options of conditional_forecast_bands");
  fbo_cls.def_readwrite("conf_sig", &ForecastBandsOptions::conf_sig)
      .def_readwrite("replic", &ForecastBandsOptions::replic)
      .def_readwrite("seed", &ForecastBandsOptions::seed)
      .def_readwrite("draws", &ForecastBandsOptions::draws);
  keyword_init(fbo_cls, "ForecastBandsOptions");
  py::class_<ConditionalForecastBands>(m, "ConditionalForecastBands",
                                       "Conditional forecast with uncertainty bands from the free shocks")
      .def_readonly("forecast", &ConditionalForecastBands::forecast)
      .def_readonly("conf_sig", &ConditionalForecastBands::conf_sig)
      .def_readonly("std", &ConditionalForecastBands::std)
      .def_readonly("lower", &ConditionalForecastBands::lower)
      .def_readonly("upper", &ConditionalForecastBands::upper)
      .def_readonly("shock_std", &ConditionalForecastBands::shock_std)
      .def_readonly("shock_lower", &ConditionalForecastBands::shock_lower)
      .def_readonly("shock_upper", &ConditionalForecastBands::shock_upper)
      .def_readonly("replic", &ConditionalForecastBands::replic)
      .def_readonly("sim_mean", &ConditionalForecastBands::sim_mean)
      .def_readonly("sim_lower", &ConditionalForecastBands::sim_lower)
      .def_readonly("sim_upper", &ConditionalForecastBands::sim_upper)
      .def_readonly("sim_shock_mean", &ConditionalForecastBands::sim_shock_mean)
      .def_readonly("sim_shock_lower", &ConditionalForecastBands::sim_shock_lower)
      .def_readonly("sim_shock_upper", &ConditionalForecastBands::sim_shock_upper)
      .def_readonly("status", &ConditionalForecastBands::status)
      .def_readonly("message", &ConditionalForecastBands::message)
      .def("ok", &ConditionalForecastBands::ok);
  m.def("conditional_forecast_bands", &conditional_forecast_bands, py::arg("solution"), py::arg("targets"),
        py::arg("options"), py::arg("bands") = ForecastBandsOptions(), py::arg("initial_deviation") = Vector(),
        py::arg("baseline_shocks") = Matrix(), py::call_guard<py::gil_scoped_release>(),
        "First-order conditional forecast with analytic (and simulated) bands from the free shocks.");
  m.def("conditional_forecast_perfect_foresight", &conditional_forecast_perfect_foresight, py::arg("model"),
        py::arg("base"), py::arg("targets"), py::arg("options"), py::call_guard<py::gil_scoped_release>(),
        "Perfect-foresight conditional forecast (nonlinear, max/min constraints, anticipated or not).");
}

const BindingRegistrar reg("optimal_policy", 55, &bind_optimal_policy);

}  // namespace
}  // namespace govsim::python
