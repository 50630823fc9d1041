// Bindings for govsim::policy: losses, the NLopt minimizer, optimal simple rules, robust rules.
// Options are keyword arguments; results are the C++ structs (read-only fields).
#include "bindings.hpp"

#include <govsim/core/error.hpp>
#include <govsim/policy/loss.hpp>
#include <govsim/policy/model_solver.hpp>
#include <govsim/policy/optimizer.hpp>
#include <govsim/policy/osr.hpp>

#include <exception>
#include <memory>
#include <optional>

namespace govsim::python {
namespace {

using namespace govsim::policy;
using OptVec = std::optional<Vector>;
using Callback = std::function<bool(const IterationInfo&)>;

using ErrorSlot = std::shared_ptr<std::exception_ptr>;

// Call a Python callable: fn(x) -> float, or with `analytic` fn(x, need_grad) -> float or
// (float, gradient). The callable is borrowed (kept alive by the caller's arguments) and called
// with the GIL held, so copies of the returned std::function never touch reference counts.
// A Python exception inside a callback is kept in `err` (NLopt would swallow it) and re-raised
// after the optimization by rethrow_python_error.
double call_py(py::handle fn, const Vector& x, Vector* g, bool analytic, const ErrorSlot& err) {
  py::gil_scoped_acquire gil;
  try {
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
  } catch (const Error&) {
    throw;  // govsim errors: the optimizer penalises the point
  } catch (...) {
    if (err && !*err) *err = std::current_exception();
    throw;
  }
}

void rethrow_python_error(const ErrorSlot& err) {
  if (err && *err) std::rethrow_exception(*err);
}

// Constraints from tuples (fn, equality, tolerance, analytic_gradient, name); see call_py.
std::vector<Constraint> make_constraints(const std::vector<py::tuple>& specs, const ErrorSlot& err) {
  std::vector<Constraint> out;
  for (const auto& t : specs) {
    if (t.size() != 5) throw OptionsError("constraint spec must be (fn, equality, tolerance, analytic_gradient, name)");
    Constraint c;
    py::handle fn = t[0];
    if (!PyCallable_Check(fn.ptr())) throw OptionsError("constraint function is not callable");
    c.equality = t[1].cast<bool>();
    c.tolerance = t[2].cast<double>();
    c.analytic_gradient = t[3].cast<bool>();
    c.name = t[4].cast<std::string>();
    bool analytic = c.analytic_gradient;
    c.fn = [fn, analytic, err](const Vector& x, Vector* g) { return call_py(fn, x, g, analytic, err); };
    out.push_back(std::move(c));
  }
  return out;
}

MinimizeOptions make_min_opts(const std::string& algorithm, double xtol_rel, double ftol_rel, int max_evaluations,
                              int restarts, int multistart, std::uint64_t seed, double penalty,
                              const OptVec& lower, const OptVec& upper, const Callback& cb) {
  MinimizeOptions o;
  o.algorithm = parse_algorithm(algorithm);
  o.xtol_rel = xtol_rel;
  o.ftol_rel = ftol_rel;
  o.max_evaluations = max_evaluations;
  o.restarts = restarts;
  o.multistart = multistart;
  o.seed = seed;
  o.penalty = penalty;
  if (lower) o.lower = *lower;
  if (upper) o.upper = *upper;
  o.on_iteration = cb;
  return o;
}

void bind_policy(py::module_& m) {
  m.doc() = "Optimal simple rules, robust rules, losses and the NLopt minimizer";
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

  py::class_<CovarianceResult>(m, "CovarianceResult", "Unconditional covariance of a first-order solution")
      .def_readonly("covariance", &CovarianceResult::covariance)
      .def_readonly("status", &CovarianceResult::status)
      .def_readonly("message", &CovarianceResult::message)
      .def("ok", &CovarianceResult::ok)
      .def("summary", &CovarianceResult::summary);
  m.def("unconditional_covariance", &unconditional_covariance, py::arg("solution"));
  m.def("quadratic_loss", &quadratic_loss, py::arg("solution"), py::arg("weights"));
  m.def("scenario_loss", &scenario_loss, py::arg("solution"), py::arg("weights"), py::arg("shocks"),
        py::arg("periods"), py::arg("discount") = 1.0);

  py::class_<ModelSolveResult>(m, "ModelSolveResult", "First-order solution at given free parameters")
      .def_readonly("solution", &ModelSolveResult::solution)
      .def_readonly("status", &ModelSolveResult::status)
      .def_readonly("message", &ModelSolveResult::message)
      .def("ok", &ModelSolveResult::ok)
      .def("summary", &ModelSolveResult::summary);
  py::class_<ModelSolver>(m, "ModelSolver", "Re-solve a model at new values of chosen parameters")
      .def(py::init([](const dsge::Model& model, const std::vector<std::string>& labels) {
             return ModelSolver(model, labels);
           }),
           py::arg("model"), py::arg("labels"))
      .def("labels", &ModelSolver::labels)
      .def("current_values", &ModelSolver::current_values)
      .def("sigma_e", &ModelSolver::sigma_e, py::arg("theta"))
      .def("solve", &ModelSolver::solve, py::arg("theta"), py::call_guard<py::gil_scoped_release>());

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
      [](const py::function& f, const Vector& x0, const std::string& algorithm, const OptVec& lower,
         const OptVec& upper, double xtol_rel, double ftol_rel, int max_evaluations, int restarts, int multistart,
         std::uint64_t seed, double penalty, const Callback& cb, bool gradient,
         const std::vector<py::tuple>& constraints, const std::string& auglag_local) {
        auto o = make_min_opts(algorithm, xtol_rel, ftol_rel, max_evaluations, restarts, multistart, seed, penalty,
                               lower, upper, cb);
        auto err = std::make_shared<std::exception_ptr>();
        o.analytic_gradient = gradient;
        o.constraints = make_constraints(constraints, err);
        o.auglag_local = parse_algorithm(auglag_local);
        py::handle fh = f;
        Objective obj = [fh, gradient, err](const Vector& x, Vector* g) { return call_py(fh, x, g, gradient, err); };
        InterruptScope intr;
        auto r = minimize(obj, x0, o);
        rethrow_python_error(err);
        if (InterruptScope::interrupted()) r.message = "interrupted (Ctrl-C); " + r.message;
        return r;
      },
      py::arg("f"), py::arg("x0"), py::kw_only(), py::arg("algorithm") = "auto", py::arg("lower") = py::none(),
      py::arg("upper") = py::none(), py::arg("xtol_rel") = 1e-10, py::arg("ftol_rel") = 1e-15,
      py::arg("max_evaluations") = 20000, py::arg("restarts") = 4, py::arg("multistart") = 8,
      py::arg("seed") = 12345, py::arg("penalty") = 1e10, py::arg("on_iteration") = Callback(),
      py::arg("gradient") = false, py::arg("constraints") = std::vector<py::tuple>(),
      py::arg("auglag_local") = "nelder-mead",
      "Minimize f(x) (or, with gradient=True, f(x, need_grad) -> value or (value, gradient)) subject to "
      "constraints given as tuples (fn, equality, tolerance, analytic_gradient, name), fn(x) <= 0 or = 0.");
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
      [](const dsge::Model& model, const LossWeights& w, const Names& params, const OptVec& start,
         const OptVec& lower, const OptVec& upper, const std::string& algorithm, double xtol_rel, double ftol_rel,
         int max_evaluations, int restarts, int multistart, std::uint64_t seed, double penalty, const Callback& cb,
         const std::vector<py::tuple>& constraints, const std::vector<py::tuple>& solution_constraints,
         const std::string& auglag_local) {
        OsrOptions o;
        o.params = params;
        if (start) o.start = *start;
        if (lower) o.lower = *lower;
        if (upper) o.upper = *upper;
        o.minimizer = make_min_opts(algorithm, xtol_rel, ftol_rel, max_evaluations, restarts, multistart, seed,
                                    penalty, std::nullopt, std::nullopt, cb);
        auto err = std::make_shared<std::exception_ptr>();
        o.minimizer.constraints = make_constraints(constraints, err);
        o.minimizer.auglag_local = parse_algorithm(auglag_local);
        for (const auto& t : solution_constraints) {
          if (t.size() != 4) throw OptionsError("solution constraint spec must be (fn, equality, tolerance, name)");
          py::handle fn = t[0];
          if (!PyCallable_Check(fn.ptr())) throw OptionsError("solution constraint function is not callable");
          SolutionConstraint c;
          c.equality = t[1].cast<bool>();
          c.tolerance = t[2].cast<double>();
          c.name = t[3].cast<std::string>();
          c.fn = [fn, err](const Vector& x, const dsge::PerturbationResult& sol) {
            py::gil_scoped_acquire gil;
            try {
              return fn(x, sol).cast<double>();
            } catch (const Error&) {
              throw;
            } catch (...) {
              if (!*err) *err = std::current_exception();
              throw;
            }
          };
          o.solution_constraints.push_back(std::move(c));
        }
        OsrResult r;
        {
          py::gil_scoped_release nogil;
          InterruptScope intr;
          r = optimal_simple_rule(model, w, o);
          if (InterruptScope::interrupted()) r.message = "interrupted (Ctrl-C); " + r.message;
        }
        rethrow_python_error(err);
        return r;
      },
      py::arg("model"), py::arg("weights"), py::kw_only(), py::arg("params") = Names(), py::arg("start") = py::none(),
      py::arg("lower") = py::none(), py::arg("upper") = py::none(), py::arg("algorithm") = "auto",
      py::arg("xtol_rel") = 1e-10, py::arg("ftol_rel") = 1e-15, py::arg("max_evaluations") = 20000,
      py::arg("restarts") = 4, py::arg("multistart") = 8, py::arg("seed") = 12345, py::arg("penalty") = 1e10,
      py::arg("on_iteration") = Callback(), py::arg("constraints") = std::vector<py::tuple>(),
      py::arg("solution_constraints") = std::vector<py::tuple>(), py::arg("auglag_local") = "nelder-mead");

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
         bool worst_case, const Names& params, const OptVec& start, const OptVec& lower, const OptVec& upper,
         const std::string& algorithm, double xtol_rel, int max_evaluations, const Callback& cb) {
        OsrOptions o;
        o.params = params;
        if (start) o.start = *start;
        if (lower) o.lower = *lower;
        if (upper) o.upper = *upper;
        o.minimizer = make_min_opts(algorithm, xtol_rel, 1e-15, max_evaluations, 4, 8, 12345, 1e10, std::nullopt,
                                    std::nullopt, cb);
        py::gil_scoped_release nogil;
        InterruptScope intr;
        return robust_simple_rule(models, w, probabilities ? *probabilities : Vector(),
                                  worst_case ? RobustAggregation::WorstCase : RobustAggregation::WeightedAverage, o);
      },
      py::arg("models"), py::arg("weights"), py::kw_only(), py::arg("probabilities") = py::none(),
      py::arg("worst_case") = false, py::arg("params") = Names(), py::arg("start") = py::none(),
      py::arg("lower") = py::none(), py::arg("upper") = py::none(), py::arg("algorithm") = "nelder-mead",
      py::arg("xtol_rel") = 1e-10, py::arg("max_evaluations") = 20000, py::arg("on_iteration") = Callback());
}

const BindingRegistrar reg("policy", 50, &bind_policy);

}  // namespace
}  // namespace govsim::python
