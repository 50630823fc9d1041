// Bindings for nonlinear shock simulation: perfect foresight (with shock events learnt at
// different dates), OccBin-style piecewise-linear solutions, second-order perturbation and
// scenarios. Names are the C++ names. Calls release the GIL unless an on_iteration callback
// (Python) is set.
#include "bindings.hpp"

#include <govsim/dsge/occbin.hpp>
#include <govsim/dsge/perfect_foresight.hpp>
#include <govsim/dsge/scenario.hpp>
#include <govsim/dsge/second_order.hpp>

#include <string>
#include <tuple>
#include <vector>

namespace govsim::python {
namespace {

void bind_nonlinear(py::module_& m) {
  using namespace govsim::dsge;

  // ---- perfect foresight -----------------------------------------------------------------------
  py::class_<PerfectForesightOptions> pfo_cls(m, "PerfectForesightOptions", "Options of solve_perfect_foresight");
  keyword_init(pfo_cls, "PerfectForesightOptions");
  pfo_cls.def_readwrite("periods", &PerfectForesightOptions::periods)
      .def_readwrite("tolerance", &PerfectForesightOptions::tolerance)
      .def_readwrite("step_tolerance", &PerfectForesightOptions::step_tolerance)
      .def_readwrite("max_iterations", &PerfectForesightOptions::max_iterations)
      .def_readwrite("polish_steps", &PerfectForesightOptions::polish_steps)
      .def_readwrite("line_search", &PerfectForesightOptions::line_search)
      .def_readwrite("homotopy", &PerfectForesightOptions::homotopy)
      .def_readwrite("homotopy_max_steps", &PerfectForesightOptions::homotopy_max_steps)
      .def_readwrite("homotopy_min_step", &PerfectForesightOptions::homotopy_min_step)
      .def_readwrite("on_iteration", &PerfectForesightOptions::on_iteration)
      .def("validate", &PerfectForesightOptions::validate)
      .def("__repr__", [](const PerfectForesightOptions& o) {
        return "PerfectForesightOptions(periods=" + std::to_string(o.periods) +
               ", tolerance=" + std::to_string(o.tolerance) + ")";
      });

  py::class_<PerfectForesightProblem>(m, "PerfectForesightProblem",
                                      "Stacked problem: initial/terminal conditions, exogenous paths (T+2 rows), guess")
      .def(py::init<>())
      .def_readwrite("endo_names", &PerfectForesightProblem::endo_names)
      .def_readwrite("exo_names", &PerfectForesightProblem::exo_names)
      .def_readwrite("initial", &PerfectForesightProblem::initial)
      .def_readwrite("terminal", &PerfectForesightProblem::terminal)
      .def_readwrite("steady_state", &PerfectForesightProblem::steady_state)
      .def_readwrite("exo", &PerfectForesightProblem::exo)
      .def_readwrite("guess", &PerfectForesightProblem::guess)
      .def_property_readonly("periods", &PerfectForesightProblem::periods)
      .def("__repr__", [](const PerfectForesightProblem& p) {
        return "PerfectForesightProblem(periods=" + std::to_string(p.periods()) + ")";
      });

  py::class_<PerfectForesightResult>(m, "PerfectForesightResult", R"pbdoc(
Perfect-foresight paths: (T+2) x n_endo, row 0 = initial period, row T+1 = terminal period.
)pbdoc")
      .def_readonly("endo_names", &PerfectForesightResult::endo_names)
      .def_readonly("exo_names", &PerfectForesightResult::exo_names)
      .def_readonly("paths", &PerfectForesightResult::paths)
      .def_readonly("exo", &PerfectForesightResult::exo)
      .def_readonly("status", &PerfectForesightResult::status)
      .def_readonly("message", &PerfectForesightResult::message)
      .def_readonly("iterations", &PerfectForesightResult::iterations)
      .def_readonly("max_residual", &PerfectForesightResult::max_residual)
      .def_readonly("worst_period", &PerfectForesightResult::worst_period)
      .def_readonly("worst_equation", &PerfectForesightResult::worst_equation)
      .def_readonly("worst_equation_name", &PerfectForesightResult::worst_equation_name)
      .def_readonly("homotopy_steps", &PerfectForesightResult::homotopy_steps)
      .def_readonly("shock_share", &PerfectForesightResult::shock_share)
      .def("ok", &PerfectForesightResult::ok)
      .def("summary", &PerfectForesightResult::summary)
      .def("__repr__", &PerfectForesightResult::summary);

  py::class_<ShockEvent>(m, "ShockEvent", "A shock value in a period, learnt in period known_from")
      .def(py::init([](std::string shock, int period, double value, int known_from) {
             return ShockEvent{std::move(shock), period, value, known_from};
           }),
           py::arg("shock"), py::arg("period"), py::arg("value"), py::arg("known_from") = 1)
      .def_readwrite("shock", &ShockEvent::shock)
      .def_readwrite("period", &ShockEvent::period)
      .def_readwrite("value", &ShockEvent::value)
      .def_readwrite("known_from", &ShockEvent::known_from)
      .def("__repr__", [](const ShockEvent& e) {
        return "ShockEvent(" + e.shock + ", period=" + std::to_string(e.period) + ", value=" +
               std::to_string(e.value) + ", known_from=" + std::to_string(e.known_from) + ")";
      });

  m.def("make_perfect_foresight_problem", &make_perfect_foresight_problem, py::arg("model"), py::arg("periods"),
        "Stacked problem from the model's steady state, histval, endval and shocks blocks");
  m.def(
      "solve_perfect_foresight",
      [](const Model& model, const PerfectForesightProblem& p, const PerfectForesightOptions& o) {
        if (o.on_iteration) return solve_perfect_foresight(model, p, o);
        py::gil_scoped_release rel;
        return solve_perfect_foresight(model, p, o);
      },
      py::arg("model"), py::arg("problem"), py::arg("options") = PerfectForesightOptions(),
      "Newton on the stacked system (sparse LU, line search, homotopy on the shock size)");
  m.def(
      "solve_perfect_foresight_events",
      [](const Model& model, const PerfectForesightProblem& p, const std::vector<ShockEvent>& ev,
         const PerfectForesightOptions& o) {
        if (o.on_iteration) return solve_perfect_foresight_events(model, p, ev, o);
        py::gil_scoped_release rel;
        return solve_perfect_foresight_events(model, p, ev, o);
      },
      py::arg("model"), py::arg("problem"), py::arg("events"), py::arg("options") = PerfectForesightOptions(),
      "Shock events learnt at different dates: one solve per information date, stitched");

  // ---- second order ----------------------------------------------------------------------------
  py::class_<SecondOrderOptions> soo_cls(m, "SecondOrderOptions", "Options of solve_second_order");
  keyword_init(soo_cls, "SecondOrderOptions");
  soo_cls.def_readwrite("compute_mean", &SecondOrderOptions::compute_mean)
      .def_readwrite("singular_tolerance", &SecondOrderOptions::singular_tolerance)
      .def("validate", &SecondOrderOptions::validate)
      .def("__repr__", [](const SecondOrderOptions& o) {
        return std::string("SecondOrderOptions(compute_mean=") + (o.compute_mean ? "True" : "False") + ")";
      });

  py::class_<SecondOrderResult>(m, "SecondOrderResult", R"pbdoc(
Second-order rule y = ys + ghs2/2 + ghx x + ghu u + ghxx (x kron x)/2 + ghxu (x kron u) + ghuu (u kron u)/2
(Dynare's convention; Kronecker columns with the first factor slow).
)pbdoc")
      .def_readonly("endo_names", &SecondOrderResult::endo_names)
      .def_readonly("n_declared", &SecondOrderResult::n_declared)
      .def_readonly("exo_names", &SecondOrderResult::exo_names)
      .def_readonly("state_names", &SecondOrderResult::state_names)
      .def_readonly("state_indices", &SecondOrderResult::state_indices)
      .def_readonly("steady_state", &SecondOrderResult::steady_state)
      .def_readonly("Sigma_e", &SecondOrderResult::Sigma_e)
      .def_readonly("ghx", &SecondOrderResult::ghx)
      .def_readonly("ghu", &SecondOrderResult::ghu)
      .def_readonly("ghxx", &SecondOrderResult::ghxx)
      .def_readonly("ghxu", &SecondOrderResult::ghxu)
      .def_readonly("ghuu", &SecondOrderResult::ghuu)
      .def_readonly("ghs2", &SecondOrderResult::ghs2)
      .def_readonly("mean", &SecondOrderResult::mean)
      .def_readonly("state_covariance", &SecondOrderResult::state_covariance)
      .def_readonly("sylvester_residual", &SecondOrderResult::sylvester_residual)
      .def_readonly("status", &SecondOrderResult::status)
      .def_readonly("message", &SecondOrderResult::message)
      .def("ok", &SecondOrderResult::ok)
      .def("summary", &SecondOrderResult::summary)
      .def("__repr__", &SecondOrderResult::summary);

  py::class_<PrunedSimulation>(m, "PrunedSimulation", "Pruned second-order simulation (levels, first and second parts)")
      .def_readonly("paths", &PrunedSimulation::paths)
      .def_readonly("first_order", &PrunedSimulation::first_order)
      .def_readonly("second_order", &PrunedSimulation::second_order)
      .def("__repr__", [](const PrunedSimulation& s) {
        return "PrunedSimulation(periods=" + std::to_string(s.paths.rows()) + ")";
      });

  m.def("solve_second_order", &solve_second_order, py::arg("model"), py::arg("first"),
        py::arg("options") = SecondOrderOptions(), py::call_guard<py::gil_scoped_release>(),
        "Second-order perturbation (ghxx, ghxu, ghuu, ghs2) around a first-order solution");
  m.def("solve_kronecker_sylvester", &solve_kronecker_sylvester, py::arg("A"), py::arg("B"), py::arg("G"),
        py::arg("C"), "Solve A X + B X (G kron G) = C by Schur forms (no n*m^2 system)");
  m.def("simulate_second_order", &simulate_second_order, py::arg("rule"), py::arg("shocks"),
        py::arg("pruned") = true, py::call_guard<py::gil_scoped_release>(),
        "Pruned (Andreasen et al. 2018) or plain second-order simulation from the steady state");
  m.def("evaluate_decision_rule", &evaluate_decision_rule, py::arg("rule"), py::arg("x"), py::arg("u"),
        py::arg("order") = 2, "Decision rule of order 1 or 2 at state deviation x and shock u (levels)");
  m.def("euler_equation_errors", &euler_equation_errors, py::arg("model"), py::arg("rule"), py::arg("states"),
        py::arg("order"), py::arg("nodes") = 10, py::call_guard<py::gil_scoped_release>(),
        "E_t residuals of every equation under the rule of the given order (Gauss-Hermite quadrature)");
  // ---- OccBin ----------------------------------------------------------------------------------
  py::class_<OccBinConstraint>(m, "OccBinConstraint", "variable >= bound (lower) or <= bound, shadow = notional value")
      .def(py::init([](std::string variable, std::string shadow, double bound, bool lower, Index equation) {
             return OccBinConstraint{std::move(variable), std::move(shadow), bound, lower, equation};
           }),
           py::arg("variable"), py::arg("shadow"), py::arg("bound"), py::arg("lower") = true,
           py::arg("equation") = -1)
      .def_readwrite("variable", &OccBinConstraint::variable)
      .def_readwrite("shadow", &OccBinConstraint::shadow)
      .def_readwrite("bound", &OccBinConstraint::bound)
      .def_readwrite("lower", &OccBinConstraint::lower)
      .def_readwrite("equation", &OccBinConstraint::equation)
      .def("__repr__", [](const OccBinConstraint& c) {
        return "OccBinConstraint(" + c.variable + (c.lower ? " >= " : " <= ") + std::to_string(c.bound) +
               ", shadow=" + c.shadow + ")";
      });
  py::class_<OccBinOptions> obo_cls(m, "OccBinOptions", "Options of solve_occbin");
  keyword_init(obo_cls, "OccBinOptions");
  obo_cls.def_readwrite("max_iterations", &OccBinOptions::max_iterations)
      .def_readwrite("qz_criterium", &OccBinOptions::qz_criterium)
      .def("validate", &OccBinOptions::validate)
      .def("__repr__", [](const OccBinOptions& o) {
        return "OccBinOptions(max_iterations=" + std::to_string(o.max_iterations) + ")";
      });
  py::class_<OccBinResult>(m, "OccBinResult", "Piecewise-linear paths ((T+2) x n_endo) and binding periods")
      .def_readonly("endo_names", &OccBinResult::endo_names)
      .def_readonly("paths", &OccBinResult::paths)
      .def_readonly("binding", &OccBinResult::binding)
      .def_readonly("status", &OccBinResult::status)
      .def_readonly("message", &OccBinResult::message)
      .def_readonly("iterations", &OccBinResult::iterations)
      .def("binding_periods", &OccBinResult::binding_periods)
      .def("ok", &OccBinResult::ok)
      .def("summary", &OccBinResult::summary)
      .def("__repr__", &OccBinResult::summary);
  m.def("solve_occbin", &solve_occbin, py::arg("model"), py::arg("constraint"), py::arg("problem"),
        py::arg("options") = OccBinOptions(), py::call_guard<py::gil_scoped_release>(),
        "Piecewise-linear (OccBin) solution with shocks known from period 1");
  // ---- scenarios -------------------------------------------------------------------------------
  using WeightTuple = std::tuple<std::string, std::string, double>;
  auto to_weights = [](const std::vector<WeightTuple>& w) {
    std::vector<OptimWeight> out;
    for (const auto& [a, b, v] : w) out.push_back(OptimWeight{a, b.empty() ? a : b, v});
    return out;
  };
  py::class_<Scenario>(m, "Scenario", "An external event: shock events over `periods` periods")
      .def(py::init([](std::string name, int periods, std::vector<ShockEvent> events, bool use_model_shocks) {
             return Scenario{std::move(name), periods, std::move(events), use_model_shocks};
           }),
           py::arg("name") = "scenario", py::arg("periods") = 100, py::arg("events") = std::vector<ShockEvent>(),
           py::arg("use_model_shocks") = false)
      .def_readwrite("name", &Scenario::name)
      .def_readwrite("periods", &Scenario::periods)
      .def_readwrite("events", &Scenario::events)
      .def_readwrite("use_model_shocks", &Scenario::use_model_shocks)
      .def("__repr__", [](const Scenario& s) {
        return "Scenario('" + s.name + "', periods=" + std::to_string(s.periods) + ", " +
               std::to_string(s.events.size()) + " events)";
      });
  py::class_<PolicyAlternative>(m, "PolicyAlternative", "A policy alternative: parameter values")
      .def(py::init([](std::string name, std::vector<std::pair<std::string, double>> params) {
             return PolicyAlternative{std::move(name), std::move(params)};
           }),
           py::arg("name"), py::arg("params"))
      .def_readwrite("name", &PolicyAlternative::name)
      .def_readwrite("params", &PolicyAlternative::params)
      .def("__repr__", [](const PolicyAlternative& a) { return "PolicyAlternative('" + a.name + "')"; });
  py::class_<ScenarioOutcome>(m, "ScenarioOutcome", "One alternative's paths and loss")
      .def_readonly("name", &ScenarioOutcome::name)
      .def_readonly("result", &ScenarioOutcome::result)
      .def_readonly("steady_state", &ScenarioOutcome::steady_state)
      .def_readonly("loss", &ScenarioOutcome::loss)
      .def("__repr__", [](const ScenarioOutcome& o) {
        return "ScenarioOutcome('" + o.name + "', loss=" + std::to_string(o.loss) + ")";
      });
  py::class_<ScenarioComparison>(m, "ScenarioComparison", "Alternatives side by side")
      .def_readonly("scenario", &ScenarioComparison::scenario)
      .def_readonly("outcomes", &ScenarioComparison::outcomes)
      .def_readonly("status", &ScenarioComparison::status)
      .def_readonly("message", &ScenarioComparison::message)
      .def("ok", &ScenarioComparison::ok)
      .def("best", &ScenarioComparison::best)
      .def("summary", &ScenarioComparison::summary)
      .def("__repr__", &ScenarioComparison::summary);
  m.def(
      "compare_policies",
      [to_weights](const Model& model, const Scenario& scenario, const std::vector<PolicyAlternative>& alts,
                   const std::vector<WeightTuple>& weights, double discount, const PerfectForesightOptions& solver) {
        ScenarioOptions o;
        o.weights = to_weights(weights);
        o.discount = discount;
        o.solver = solver;
        if (o.solver.on_iteration) return compare_policies(model, scenario, alts, o);
        py::gil_scoped_release rel;
        return compare_policies(model, scenario, alts, o);
      },
      py::arg("model"), py::arg("scenario"), py::arg("alternatives"),
      py::arg("weights") = std::vector<WeightTuple>(), py::arg("discount") = 1.0,
      py::arg("solver") = PerfectForesightOptions(),
      "Simulate the scenario under each alternative (perfect foresight) and score each with a quadratic loss; "
      "weights are (var1, var2, weight) tuples (default: the model's optim_weights)");
  m.def(
      "scenario_loss",
      [to_weights](const Names& names, const Matrix& paths, const Vector& ss, const std::vector<WeightTuple>& w,
                   double discount) { return scenario_loss(names, paths, ss, to_weights(w), discount); },
      py::arg("endo_names"), py::arg("paths"), py::arg("steady_state"), py::arg("weights"),
      py::arg("discount") = 1.0, "Discounted quadratic loss of a (T+2)-row path");
}

const BindingRegistrar reg("nonlinear", 50, &bind_nonlinear);

}  // namespace

}  // namespace govsim::python
