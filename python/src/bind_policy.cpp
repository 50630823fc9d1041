// Bindings for govsim::policy: losses, the NLopt minimizer, optimal simple rules, robust rules.
// Options are keyword arguments; results are the C++ structs (read-only fields).
#include "bindings.hpp"

#include <govsim/core/error.hpp>
#include <govsim/policy/loss.hpp>
#include <govsim/numerics/optimizer.hpp>
#include <govsim/policy/osr.hpp>

#include <exception>
#include <memory>
#include <optional>

namespace govsim::python {
namespace {

using namespace govsim::policy;
using namespace govsim::numerics;
using OptVec = std::optional<Vector>;

// A Python callable held by C++ std::functions that are copied while the GIL is released: the
// copies share one reference, which is dropped with the GIL held.
std::shared_ptr<py::object> hold(py::object fn) {
  return std::shared_ptr<py::object>(new py::object(std::move(fn)), [](py::object* p) {
    py::gil_scoped_acquire gil;
    delete p;
  });
}

// The first Python exception raised inside a callback during a call (NLopt would swallow it);
// cleared when a call starts, re-raised when it ends (the optimizer runs on the calling thread).
thread_local std::exception_ptr pending_python_error;

template <class F>
auto guarded(F&& call) -> decltype(call()) {
  try {
    return call();
  } catch (const Error&) {
    throw;  // govsim errors: the optimizer penalises the point
  } catch (...) {
    if (!pending_python_error) pending_python_error = std::current_exception();
    throw;
  }
}

// fn(x) -> float, or with `analytic` fn(x, need_grad) -> float or (float, gradient).
double call_py(const py::object& fn, const Vector& x, Vector* g, bool analytic) {
  py::gil_scoped_acquire gil;
  return guarded([&] {
    const bool want = analytic && g && g->size();
    py::object r = analytic ? fn(x, want) : fn(x);
    if (py::isinstance<py::tuple>(r)) {
      auto t = r.cast<py::tuple>();
      if (t.size() != 2) throw py::value_error("a gradient-returning callable must return (value, gradient)");
      if (want) {
        Vector gv = t[1].cast<Vector>();
        if (gv.size() != g->size())
          throw py::value_error("gradient has " + std::to_string(gv.size()) + " entries, expected " +
                                std::to_string(g->size()));
        *g = gv;
      }
      return t[0].cast<double>();
    }
    if (want) throw py::value_error("the callable was asked for a gradient but returned a single value");
    return r.cast<double>();
  });
}

// Run `call` with the GIL released, then raise the first Python exception of its callbacks.
template <class F>
auto run_released(F&& call) -> decltype(call()) {
  pending_python_error = nullptr;
  auto r = [&] {
    try {
      py::gil_scoped_release nogil;
      return call();
    } catch (...) {
      pending_python_error = nullptr;  // the exception itself propagates
      throw;
    }
  }();
  if (pending_python_error) {
    auto e = pending_python_error;
    pending_python_error = nullptr;
    std::rethrow_exception(e);
  }
  return r;
}

void require_callable(const py::object& fn, const char* what) {
  if (!PyCallable_Check(fn.ptr())) throw OptionsError(std::string(what) + " is not callable");
}

void bind_policy(py::module_& m) {
  m.doc() = "Optimal simple rules, robust rules, losses and the NLopt minimizer";

  // ---- options --------------------------------------------------------------------------------
  py::enum_<Algorithm> algorithm(m, "Algorithm", "Optimization algorithm (a name such as 'cobyla' converts)");
  for (auto a : {Algorithm::Auto, Algorithm::NelderMead, Algorithm::Subplex, Algorithm::Bobyqa, Algorithm::Lbfgs,
                 Algorithm::Slsqp, Algorithm::GlobalMultistart, Algorithm::Crs, Algorithm::Cobyla, Algorithm::Mma,
                 Algorithm::Auglag})
    algorithm.value(to_string(a), a);
  algorithm.def(py::init([](const std::string& name) { return parse_algorithm(name); }), py::arg("name"));
  py::implicitly_convertible<py::str, Algorithm>();

  py::class_<Constraint> constraint(m, "Constraint", "A constraint fn(x) <= 0 (or = 0) on the parameter vector");
  constraint
      .def(py::init([](const py::object& fn, bool equality, double tolerance, bool analytic_gradient,
                       const std::string& name) {
             require_callable(fn, "constraint function");
             Constraint c;
             c.equality = equality;
             c.tolerance = tolerance;
             c.analytic_gradient = analytic_gradient;
             c.name = name;
             auto f = hold(fn);
             c.fn = [f, analytic_gradient](const Vector& x, Vector* g) { return call_py(*f, x, g, analytic_gradient); };
             return c;
           }),
           py::arg("fn"), py::arg("equality") = false, py::arg("tolerance") = 1e-8,
           py::arg("analytic_gradient") = false, py::arg("name") = "",
           "fn(x) -> float, or with analytic_gradient fn(x, need_grad) -> float or (float, gradient)")
      .def_readwrite("equality", &Constraint::equality)
      .def_readwrite("tolerance", &Constraint::tolerance)
      .def_readwrite("analytic_gradient", &Constraint::analytic_gradient)
      .def_readwrite("name", &Constraint::name);

  py::class_<SolutionConstraint>(m, "SolutionConstraint",
                                 "A constraint fn(params, solution) <= 0 (or = 0) on the first-order solution")
      .def(py::init([](const py::object& fn, bool equality, double tolerance, const std::string& name) {
             require_callable(fn, "solution constraint function");
             SolutionConstraint c;
             c.equality = equality;
             c.tolerance = tolerance;
             c.name = name;
             auto f = hold(fn);
             c.fn = [f](const Vector& x, const dsge::PerturbationResult& sol) {
               py::gil_scoped_acquire gil;
               return guarded([&] { return (*f)(x, sol).cast<double>(); });
             };
             return c;
           }),
           py::arg("fn"), py::arg("equality") = false, py::arg("tolerance") = 1e-8, py::arg("name") = "")
      .def_readwrite("equality", &SolutionConstraint::equality)
      .def_readwrite("tolerance", &SolutionConstraint::tolerance)
      .def_readwrite("name", &SolutionConstraint::name);

  py::class_<MinimizeOptions> mo(m, "MinimizeOptions", "Options of minimize()");
  keyword_init(mo, "MinimizeOptions");
  mo.def_readwrite("algorithm", &MinimizeOptions::algorithm)
      .def_readwrite("auglag_local", &MinimizeOptions::auglag_local)
      .def_readwrite("constraints", &MinimizeOptions::constraints)
      .def_readwrite("lower", &MinimizeOptions::lower)
      .def_readwrite("upper", &MinimizeOptions::upper)
      .def_readwrite("initial_step", &MinimizeOptions::initial_step)
      .def_readwrite("xtol_rel", &MinimizeOptions::xtol_rel)
      .def_readwrite("ftol_rel", &MinimizeOptions::ftol_rel)
      .def_readwrite("ftol_abs", &MinimizeOptions::ftol_abs)
      .def_readwrite("max_evaluations", &MinimizeOptions::max_evaluations)
      .def_readwrite("restarts", &MinimizeOptions::restarts)
      .def_readwrite("multistart", &MinimizeOptions::multistart)
      .def_readwrite("seed", &MinimizeOptions::seed)
      .def_readwrite("analytic_gradient", &MinimizeOptions::analytic_gradient)
      .def_readwrite("fd_step", &MinimizeOptions::fd_step)
      .def_readwrite("penalty", &MinimizeOptions::penalty)
      .def_readwrite("on_iteration", &MinimizeOptions::on_iteration)
      .def("validate", &MinimizeOptions::validate, py::arg("n"));

  py::class_<OsrOptions> oo(m, "OsrOptions", "Options of optimal_simple_rule() and robust_simple_rule()");
  keyword_init(oo, "OsrOptions");
  oo.def_readwrite("params", &OsrOptions::params)
      .def_readwrite("start", &OsrOptions::start)
      .def_readwrite("lower", &OsrOptions::lower)
      .def_readwrite("upper", &OsrOptions::upper)
      .def_readwrite("minimizer", &OsrOptions::minimizer)
      .def_readwrite("solution_constraints", &OsrOptions::solution_constraints)
      .def_property(
          "objective", [](const OsrOptions& o) { return static_cast<bool>(o.objective); },
          [](OsrOptions& o, const py::object& fn) {
            if (fn.is_none()) {
              o.objective = nullptr;
              return;
            }
            require_callable(fn, "objective");
            auto f = hold(fn);
            o.objective = [f](const dsge::PerturbationResult& sol) {
              py::gil_scoped_acquire gil;
              return guarded([&] { return (*f)(sol).cast<double>(); });
            };
          },
          "objective(solution) -> float replacing the quadratic loss (reads back as whether one is set)")
      .def("validate", &OsrOptions::validate);

  py::class_<LossWeights>(m, "LossWeights", "Symmetric loss weights over all endogenous variables")
      .def(py::init([](Names names, Matrix W) {
             if (W.rows() != static_cast<Index>(names.size()) || W.cols() != W.rows())
               throw DimensionError("LossWeights: W must be square with one row per variable");
             LossWeights w;
             w.var_names = std::move(names);
             w.W = std::move(W);
             return w;
           }),
           py::arg("var_names"), py::arg("W"))
      .def_static("from_model", &LossWeights::from_model, py::arg("model"))
      .def_static("from_entries", &LossWeights::from_entries, py::arg("endo_names"), py::arg("entries"))
      .def_readonly("var_names", &LossWeights::var_names)
      .def_readonly("W", &LossWeights::W);

  m.def("quadratic_loss", &quadratic_loss, py::arg("solution"), py::arg("weights"));
  m.def("scenario_loss", &scenario_loss, py::arg("solution"), py::arg("weights"), py::arg("shocks"),
        py::arg("periods"), py::arg("discount") = 1.0);

  py::class_<MinimizeResult>(m, "MinimizeResult", "Result of minimize")
      .def_readonly("x", &MinimizeResult::x)
      .def_readonly("f", &MinimizeResult::f)
      .def_readonly("f_start", &MinimizeResult::f_start)
      .def_readonly("evaluations", &MinimizeResult::evaluations)
      .def_readonly("iterations", &MinimizeResult::iterations)
      .def_readonly("infeasible", &MinimizeResult::infeasible)
      .def_readonly("nlopt_result", &MinimizeResult::nlopt_result)
      .def_readonly("algorithm", &MinimizeResult::algorithm)
      .def_readonly("constraint_values", &MinimizeResult::constraint_values)
      .def_readonly("feasible", &MinimizeResult::feasible)
      .def_readonly("status", &MinimizeResult::status)
      .def_readonly("message", &MinimizeResult::message)
      .def("ok", &MinimizeResult::ok)
      .def("summary", &MinimizeResult::summary)
      .def("__repr__", &MinimizeResult::summary);
  m.def(
      "minimize",
      [](const py::object& f, const Vector& x0, const MinimizeOptions& opts) {
        require_callable(f, "minimize: f");
        auto fh = hold(f);
        const bool gradient = opts.analytic_gradient;
        Objective obj = [fh, gradient](const Vector& x, Vector* g) { return call_py(*fh, x, g, gradient); };
        InterruptScope intr;
        const MinimizeOptions o = watch_interrupt(opts);
        auto r = run_released([&] { return minimize(obj, x0, o); });
        if (InterruptScope::interrupted()) r.message = "interrupted (Ctrl-C); " + r.message;
        return r;
      },
      py::arg("f"), py::arg("x0"), py::arg("opts") = MinimizeOptions(),
      "Minimize f(x) (with opts.analytic_gradient: f(x, need_grad) -> value or (value, gradient)).");
  m.def("finite_difference_hessian", &finite_difference_hessian, py::arg("f"), py::arg("x"), py::arg("step") = 1e-4);

  py::class_<OsrResult>(m, "OsrResult", "Result of optimal_simple_rule")
      .def_readonly("param_names", &OsrResult::param_names)
      .def_readonly("params", &OsrResult::params)
      .def_readonly("start", &OsrResult::start)
      .def_readonly("loss", &OsrResult::loss)
      .def_readonly("loss_start", &OsrResult::loss_start)
      .def_readonly("iterations", &OsrResult::iterations)
      .def_readonly("evaluations", &OsrResult::evaluations)
      .def_readonly("infeasible", &OsrResult::infeasible)
      .def_readonly("algorithm", &OsrResult::algorithm)
      .def_readonly("solution", &OsrResult::solution)
      .def_readonly("covariance", &OsrResult::covariance)
      .def_readonly("constraint_names", &OsrResult::constraint_names)
      .def_readonly("constraint_values", &OsrResult::constraint_values)
      .def_readonly("feasible", &OsrResult::feasible)
      .def_readonly("status", &OsrResult::status)
      .def_readonly("message", &OsrResult::message)
      .def("ok", &OsrResult::ok)
      .def("summary", &OsrResult::summary)
      .def("__repr__", &OsrResult::summary);
  m.def(
      "optimal_simple_rule",
      [](const dsge::Model& model, const LossWeights& w, const OsrOptions& opts) {
        InterruptScope intr;
        OsrOptions o = opts;
        o.minimizer = watch_interrupt(opts.minimizer);
        auto r = run_released([&] { return optimal_simple_rule(model, w, o); });
        if (InterruptScope::interrupted()) r.message = "interrupted (Ctrl-C); " + r.message;
        return r;
      },
      py::arg("model"), py::arg("weights"), py::arg("opts") = OsrOptions(),
      "Tune the rule parameters to minimize the quadratic loss of the weights (or opts.objective).");

  py::enum_<RobustAggregation>(m, "RobustAggregation")
      .value("WeightedAverage", RobustAggregation::WeightedAverage)
      .value("WorstCase", RobustAggregation::WorstCase);
  py::class_<RobustResult>(m, "RobustResult", "Result of robust_simple_rule")
      .def_readonly("param_names", &RobustResult::param_names)
      .def_readonly("params", &RobustResult::params)
      .def_readonly("loss", &RobustResult::loss)
      .def_readonly("loss_start", &RobustResult::loss_start)
      .def_readonly("model_losses", &RobustResult::model_losses)
      .def_readonly("model_losses_start", &RobustResult::model_losses_start)
      .def_readonly("evaluations", &RobustResult::evaluations)
      .def_readonly("status", &RobustResult::status)
      .def_readonly("message", &RobustResult::message)
      .def("ok", &RobustResult::ok)
      .def("summary", &RobustResult::summary)
      .def("__repr__", &RobustResult::summary);
  m.def(
      "robust_simple_rule",
      [](const std::vector<dsge::Model>& models, const std::vector<LossWeights>& w, const OptVec& probabilities,
         RobustAggregation aggregation, const OsrOptions& opts) {
        InterruptScope intr;
        OsrOptions o = opts;
        o.minimizer = watch_interrupt(opts.minimizer);
        return run_released(
            [&] { return robust_simple_rule(models, w, probabilities ? *probabilities : Vector(), aggregation, o); });
      },
      py::arg("models"), py::arg("weights"), py::arg("probabilities") = py::none(),
      py::arg("aggregation") = RobustAggregation::WeightedAverage, py::arg("opts") = OsrOptions());
}

const BindingRegistrar reg("policy", 50, &bind_policy);

}  // namespace
}  // namespace govsim::python
