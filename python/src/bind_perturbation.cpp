// Bindings for the first-order solution layer: perturbation, IRFs, simulation, theoretical
// moments, variance decompositions. Names are the C++ names. The numerical calls release the GIL
// (they only touch their own arguments and results, so concurrent calls are safe).
#include "bindings.hpp"

#include <govsim/dsge/detail/solution_access.hpp>
#include <govsim/dsge/irf.hpp>
#include <govsim/dsge/linearized.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/model_solver.hpp>
#include <govsim/dsge/moments.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/simulation.hpp>

#include <complex>
#include <optional>
#include <string>

namespace govsim::python {

void bind_perturbation(py::module_& m) {
  using namespace govsim::dsge;
  using release = py::call_guard<py::gil_scoped_release>;

  // LinearizedModel is normally bound by bind_dsge; register it here only if it is missing.
  if (!py::detail::get_type_info(typeid(LinearizedModel))) {
    py::class_<LinearizedModel>(m, "LinearizedModel", "Dynamic Jacobian at the steady state in Dynare's layout")
        .def(py::init<>())
        .def_readwrite("endo_names", &LinearizedModel::endo_names)
        .def_readwrite("n_declared", &LinearizedModel::n_declared)
        .def_readwrite("exo_names", &LinearizedModel::exo_names)
        .def_readwrite("param_names", &LinearizedModel::param_names)
        .def_readwrite("params", &LinearizedModel::params)
        .def_readwrite("steady_state", &LinearizedModel::steady_state)
        .def_readwrite("lagged", &LinearizedModel::lagged)
        .def_readwrite("leads", &LinearizedModel::leads)
        .def_readwrite("jacobian", &LinearizedModel::jacobian)
        .def_readwrite("Sigma_e", &LinearizedModel::Sigma_e);
  }

  // ---- perturbation ---------------------------------------------------------------------------
  py::class_<PerturbationOptions> po_cls(m, "PerturbationOptions", "Options of solve_first_order");
  keyword_init(po_cls, "PerturbationOptions");
  po_cls.def_readwrite("qz_criterium", &PerturbationOptions::qz_criterium)
      .def_readwrite("qz_zero_threshold", &PerturbationOptions::qz_zero_threshold)
      .def_readwrite("rank_tolerance", &PerturbationOptions::rank_tolerance)
      .def("validate", &PerturbationOptions::validate)
      .def("__repr__", [](const PerturbationOptions& o) {
        return "PerturbationOptions(qz_criterium=" + std::to_string(o.qz_criterium) + ")";
      });

  py::class_<PerturbationResult>(m, "PerturbationResult", R"pbdoc(
First-order solution y_t - ybar = ghx (y_{t-1}[states] - ybar[states]) + ghu u_t.
Rows of ghx/ghu/A/B follow endo_names (declared first, auxiliaries last).
)pbdoc")
      .def_readonly("endo_names", &PerturbationResult::endo_names)
      .def_readonly("n_declared", &PerturbationResult::n_declared)
      .def_readonly("exo_names", &PerturbationResult::exo_names)
      .def_readonly("steady_state", &PerturbationResult::steady_state)
      .def_readonly("Sigma_e", &PerturbationResult::Sigma_e)
      .def_readonly("ghx", &PerturbationResult::ghx)
      .def_readonly("ghu", &PerturbationResult::ghu)
      .def_readonly("state_names", &PerturbationResult::state_names)
      .def_readonly("state_indices", &PerturbationResult::state_indices)
      .def_readonly("A", &PerturbationResult::A)
      .def_readonly("B", &PerturbationResult::B)
      .def_readonly("order_var", &PerturbationResult::order_var)
      .def_readonly("n_static", &PerturbationResult::n_static)
      .def_readonly("n_backward", &PerturbationResult::n_backward)
      .def_readonly("n_mixed", &PerturbationResult::n_mixed)
      .def_readonly("n_forward_only", &PerturbationResult::n_forward_only)
      .def_readonly("n_states", &PerturbationResult::n_states)
      .def_readonly("n_forward", &PerturbationResult::n_forward)
      .def_readonly("eigenvalues", &PerturbationResult::eigenvalues)
      .def_readonly("n_stable", &PerturbationResult::n_stable)
      .def_readonly("n_explosive", &PerturbationResult::n_explosive)
      .def_readonly("n_infinite", &PerturbationResult::n_infinite)
      .def_readonly("determinate", &PerturbationResult::determinate)
      .def_readonly("unique", &PerturbationResult::unique)
      .def_readonly("status", &PerturbationResult::status)
      .def_readonly("message", &PerturbationResult::message)
      .def("ok", &PerturbationResult::ok)
      .def("eigenvalue_moduli", &PerturbationResult::eigenvalue_moduli)
      .def("summary", &PerturbationResult::summary)
      .def("__repr__", [](const PerturbationResult& r) {
        return "PerturbationResult(" + std::to_string(r.endo_names.size()) + " variables, " +
               std::to_string(r.state_names.size()) + " states, " + (r.ok() ? "ok" : "failed: " + r.message) + ")";
      });

  m.def("solve_first_order", &solve_first_order, py::arg("model"), py::arg("opts") = PerturbationOptions{}, release(),
        "First-order perturbation solution as Dynare's stoch_simul(order=1). Blanchard-Kahn failures are "
        "reported in status, not raised.");
  m.def(
      "log_linear_rules",
      [](const PerturbationResult& level, const Model& model) { return log_linear_rules(level, model); },
      py::arg("solution"), py::arg("model"), release(),
      "The rules in logs (Dynare's stoch_simul(loglinear)) from the level solution of `model`; a steady state "
      "that is not strictly positive gives status NumericalIssue naming the variables.");

  // ---- IRFs -----------------------------------------------------------------------------------
  py::class_<IrfOptions> io_cls(m, "IrfOptions", "Options of the IRF functions");
  keyword_init(io_cls, "IrfOptions");
  io_cls.def_readwrite("periods", &IrfOptions::periods)
      .def_readwrite("include_auxiliary", &IrfOptions::include_auxiliary)
      .def("validate", &IrfOptions::validate);

  py::class_<IrfResult>(m, "IrfResult", "Responses to one impulse per shock (deviations, row 0 = impact)")
      .def_readonly("var_names", &IrfResult::var_names)
      .def_readonly("shock_names", &IrfResult::shock_names)
      .def_readonly("responses", &IrfResult::responses)
      .def_readonly("impulses", &IrfResult::impulses)
      .def_readonly("status", &IrfResult::status)
      .def_readonly("message", &IrfResult::message)
      .def("ok", &IrfResult::ok)
      .def("summary", &IrfResult::summary)
      .def("response", py::overload_cast<const std::string&>(&IrfResult::response, py::const_), py::arg("shock"))
      .def("response", py::overload_cast<const std::string&, const std::string&>(&IrfResult::response, py::const_),
           py::arg("shock"), py::arg("var"))
      .def("__repr__", &IrfResult::summary);

  m.def("impulse_responses", &impulse_responses, py::arg("solution"), py::arg("opts") = IrfOptions{}, release(),
        "One-standard-deviation IRFs (columns of chol(Sigma_e + 1e-14 I)), as Dynare.");
  m.def(
      "sized_impulse_responses",
      [](const PerturbationResult& s, const Vector& sizes, const IrfOptions& o) {
        return sized_impulse_responses(s, sizes, o);
      },
      py::arg("solution"), py::arg("shock_sizes"), py::arg("opts") = IrfOptions{}, release(),
      "IRFs to one impulse of a chosen size per shock (no Cholesky factor).");
  m.def(
      "shock_path_response",
      [](const PerturbationResult& s, const Matrix& path, const IrfOptions& o) { return shock_path_response(s, path, o); },
      py::arg("solution"), py::arg("shock_path"), py::arg("opts") = IrfOptions{}, release(),
      "Response (periods x vars, deviations) to an arbitrary shock path (rows = periods, cols = shocks).");

  // ---- simulation -----------------------------------------------------------------------------
  py::class_<SimulationOptions> so_cls(m, "SimulationOptions", "Options of simulate");
  keyword_init(so_cls, "SimulationOptions");
  so_cls.def_readwrite("periods", &SimulationOptions::periods)
      .def_readwrite("drop", &SimulationOptions::drop)
      .def_readwrite("seed", &SimulationOptions::seed)
      .def_readwrite("include_auxiliary", &SimulationOptions::include_auxiliary)
      .def_readwrite("deviations", &SimulationOptions::deviations)
      .def_readwrite("initial_deviation", &SimulationOptions::initial_deviation)
      .def("validate", &SimulationOptions::validate);

  py::class_<SimulationResult>(m, "SimulationResult", "Simulated paths and the shocks used")
      .def_readonly("var_names", &SimulationResult::var_names)
      .def_readonly("exo_names", &SimulationResult::exo_names)
      .def_readonly("paths", &SimulationResult::paths)
      .def_readonly("shocks", &SimulationResult::shocks)
      .def_readonly("seed", &SimulationResult::seed)
      .def_readonly("status", &SimulationResult::status)
      .def_readonly("message", &SimulationResult::message)
      .def("ok", &SimulationResult::ok)
      .def("summary", &SimulationResult::summary)
      .def("__repr__", &SimulationResult::summary);

  m.def("simulate", &simulate, py::arg("solution"), py::arg("opts") = SimulationOptions{}, release(),
        "Seeded stochastic simulation (std::mt19937_64, Box-Muller).");
  m.def(
      "simulate_with_shocks",
      [](const PerturbationResult& s, const Matrix& shocks, const SimulationOptions& o) {
        return simulate_with_shocks(s, shocks, o);
      },
      py::arg("solution"), py::arg("shocks"), py::arg("opts") = SimulationOptions{}, release(),
      "Deterministic simulation with given shocks (rows = periods).");

  // ---- moments --------------------------------------------------------------------------------
  py::class_<MomentsOptions> mo_cls(m, "MomentsOptions", "Options of theoretical_moments");
  keyword_init(mo_cls, "MomentsOptions");
  mo_cls.def_readwrite("allow_unit_roots", &MomentsOptions::allow_unit_roots)
      .def_readwrite("max_lag", &MomentsOptions::max_lag)
      .def_readwrite("include_auxiliary", &MomentsOptions::include_auxiliary)
      .def_readwrite("variance_decomposition", &MomentsOptions::variance_decomposition)
      .def_readwrite("zero_threshold", &MomentsOptions::zero_threshold)
      .def("validate", &MomentsOptions::validate);

  py::class_<MomentsResult>(m, "MomentsResult", "Theoretical moments (Dynare's th_autocovariances)")
      .def_readonly("var_names", &MomentsResult::var_names)
      .def_readonly("exo_names", &MomentsResult::exo_names)
      .def_readonly("mean", &MomentsResult::mean)
      .def_readonly("covariance", &MomentsResult::covariance)
      .def_readonly("std_dev", &MomentsResult::std_dev)
      .def_readonly("correlation", &MomentsResult::correlation)
      .def_readonly("autocorrelation", &MomentsResult::autocorrelation)
      .def_readonly("variance_decomposition", &MomentsResult::variance_decomposition)
      .def_readonly("state_covariance", &MomentsResult::state_covariance)
      .def_readonly("stationary", &MomentsResult::stationary)
      .def_readonly("status", &MomentsResult::status)
      .def_readonly("message", &MomentsResult::message)
      .def("ok", &MomentsResult::ok)
      .def("summary", &MomentsResult::summary)
      .def("__repr__", &MomentsResult::summary);

  m.def("theoretical_moments", &theoretical_moments, py::arg("solution"), py::arg("opts") = MomentsOptions{},
        release(), "Mean, covariance, correlations, autocorrelations and variance decomposition.");

  py::class_<ConditionalVarianceDecompositionResult>(m, "ConditionalVarianceDecompositionResult",
                                                     "Forecast-error variance decomposition by horizon (percent)")
      .def_readonly("var_names", &ConditionalVarianceDecompositionResult::var_names)
      .def_readonly("exo_names", &ConditionalVarianceDecompositionResult::exo_names)
      .def_readonly("horizons", &ConditionalVarianceDecompositionResult::horizons)
      .def_readonly("decomposition", &ConditionalVarianceDecompositionResult::decomposition)
      .def_readonly("variance", &ConditionalVarianceDecompositionResult::variance)
      .def_readonly("status", &ConditionalVarianceDecompositionResult::status)
      .def_readonly("message", &ConditionalVarianceDecompositionResult::message)
      .def("ok", &ConditionalVarianceDecompositionResult::ok)
      .def("summary", &ConditionalVarianceDecompositionResult::summary)
      .def("__repr__", &ConditionalVarianceDecompositionResult::summary);

  m.def("conditional_variance_decomposition", &conditional_variance_decomposition, py::arg("solution"),
        py::arg("horizons"), py::arg("opts") = MomentsOptions{}, release(),
        "Conditional variance decomposition at the given horizons (1 = impact).");

  py::class_<CovarianceResult>(m, "CovarianceResult", "Unconditional covariance of a first-order solution")
      .def_readonly("covariance", &CovarianceResult::covariance)
      .def_readonly("state_covariance", &CovarianceResult::state_covariance)
      .def_readonly("stationary", &CovarianceResult::stationary)
      .def_readonly("unit_root_vectors", &CovarianceResult::unit_root_vectors)
      .def_readonly("status", &CovarianceResult::status)
      .def_readonly("message", &CovarianceResult::message)
      .def("ok", &CovarianceResult::ok)
      .def("summary", &CovarianceResult::summary)
      .def("__repr__", &CovarianceResult::summary);
  m.def(
      "unconditional_covariance",
      [](const PerturbationResult& s, const std::optional<Matrix>& sigma_e, bool allow_unit_roots) {
        return unconditional_covariance(s, sigma_e ? *sigma_e : Matrix(), allow_unit_roots);
      },
      py::arg("solution"), py::arg("sigma_e") = py::none(), py::arg("allow_unit_roots") = false, release(),
      "Var(y) of every endogenous variable (auxiliary included); sigma_e overrides the solution's. With unit "
      "roots: status Singular, or with allow_unit_roots the stationary variables' entries (NaN elsewhere), as "
      "Dynare.");
  m.def("covariance_factor", &govsim::detail::covariance_factor, py::arg("sigma"), py::arg("jitter") = 1e-14,
        "Lower factor L with L L' = sigma + jitter I (Cholesky; eigen-decomposition when singular): "
        "column j is the one-standard-deviation impulse of shock j, as Dynare's IRFs.");
  m.def("autocovariances", &autocovariances, py::arg("solution"), py::arg("covariance"), py::arg("max_lag"),
        release(), "Cov(y_{t+k}, y_t) = A^k Var(y) for k = 1..max_lag.");

  // ---- re-solving at new parameter values -------------------------------------------------------
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
      .def("solve", &ModelSolver::solve, py::arg("theta"), release());

}

namespace {
const BindingRegistrar reg("dsge", 30, &bind_perturbation);
}  // namespace

}  // namespace govsim::python
