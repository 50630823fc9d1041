// Bindings for Kalman filtering, priors, estimation and MCMC (govsim._core.estimation).
#include "bindings.hpp"

#include <govsim/core/error.hpp>
#include <govsim/dsge/estimation.hpp>
#include <govsim/dsge/kalman.hpp>
#include <govsim/dsge/priors.hpp>

namespace govsim::python {
namespace {

using namespace govsim::dsge;

void bind_estimation(py::module_& m) {
  m.doc() = "Kalman filter and smoother, priors, likelihood estimation and MCMC";
  py::class_<StateSpace>(m, "StateSpace", "Linear Gaussian state space of a first-order solution")
      .def_readonly("state_names", &StateSpace::state_names)
      .def_readonly("obs_names", &StateSpace::obs_names)
      .def_readonly("obs_rows", &StateSpace::obs_rows)
      .def_readonly("T", &StateSpace::T)
      .def_readonly("R", &StateSpace::R)
      .def_readonly("Q", &StateSpace::Q)
      .def_readonly("obs_constant", &StateSpace::obs_constant)
      .def_readonly("exo_names", &StateSpace::exo_names);
  m.def("make_state_space", &make_state_space, py::arg("solution"), py::arg("varobs"));
  py::class_<KalmanOptions> ko(m, "KalmanOptions", "Options of the Kalman filter");
  keyword_init(ko, "KalmanOptions");
  ko.def_readwrite("lik_init", &KalmanOptions::lik_init)
      .def_readwrite("presample", &KalmanOptions::presample)
      .def_readwrite("riccati_tol", &KalmanOptions::riccati_tol)
      .def_readwrite("kalman_tol", &KalmanOptions::kalman_tol)
      .def_readwrite("store_filtered", &KalmanOptions::store_filtered)
      .def("validate", &KalmanOptions::validate);
  py::class_<KalmanResult>(m, "KalmanResult", "Result of kalman_filter")
      .def_readonly("log_likelihood", &KalmanResult::log_likelihood)
      .def_readonly("contributions", &KalmanResult::contributions)
      .def_readonly("n_observations", &KalmanResult::n_observations)
      .def_readonly("steady_state_from", &KalmanResult::steady_state_from)
      .def_readonly("status", &KalmanResult::status)
      .def_readonly("message", &KalmanResult::message)
      .def("ok", &KalmanResult::ok)
      .def("summary", &KalmanResult::summary);
  m.def("kalman_filter", &kalman_filter, py::arg("state_space"), py::arg("data"), py::arg("options") = KalmanOptions(),
        py::call_guard<py::gil_scoped_release>());
  py::class_<SmootherResult>(m, "SmootherResult", "Result of kalman_smoother")
      .def_readonly("state_names", &SmootherResult::state_names)
      .def_readonly("exo_names", &SmootherResult::exo_names)
      .def_readonly("states", &SmootherResult::states)
      .def_readonly("shocks", &SmootherResult::shocks)
      .def_readonly("filtered_states", &SmootherResult::filtered_states)
      .def_readonly("log_likelihood", &SmootherResult::log_likelihood)
      .def_readonly("status", &SmootherResult::status)
      .def_readonly("message", &SmootherResult::message)
      .def("ok", &SmootherResult::ok)
      .def("summary", &SmootherResult::summary);
  m.def("kalman_smoother", &kalman_smoother, py::arg("state_space"), py::arg("data"),
        py::arg("options") = KalmanOptions(), py::call_guard<py::gil_scoped_release>());
  py::class_<ShockDecomposition>(m, "ShockDecomposition", "Historical shock decomposition")
      .def_readonly("var_names", &ShockDecomposition::var_names)
      .def_readonly("components", &ShockDecomposition::components)
      .def_readonly("contributions", &ShockDecomposition::contributions);
  m.def("shock_decomposition", &shock_decomposition, py::arg("state_space"), py::arg("smoothed"));

  py::class_<Prior>(m, "Prior", "A Dynare prior from mean and standard deviation")
      .def_static("make", &Prior::make, py::arg("shape"), py::arg("mean"), py::arg("std"),
                  py::arg("p3") = std::nan(""), py::arg("p4") = std::nan(""))
      .def_readonly("mean", &Prior::mean)
      .def_readonly("std", &Prior::std)
      .def_readonly("lower", &Prior::lower)
      .def_readonly("upper", &Prior::upper)
      .def_readonly("a", &Prior::a)
      .def_readonly("b", &Prior::b)
      .def_property_readonly("shape", [](const Prior& p) { return std::string(to_string(p.shape)); })
      .def("log_pdf", &Prior::log_pdf, py::arg("x"))
      .def("summary", &Prior::summary)
      .def("__repr__", &Prior::summary);
  py::class_<EstimatedParameter>(m, "EstimatedParameter", "One estimated parameter")
      .def(py::init([](std::string label, double init, double lower, double upper, const Prior& prior) {
             EstimatedParameter p;
             p.label = std::move(label);
             p.init = init;
             p.lower = lower;
             p.upper = upper;
             p.prior = prior;
             return p;
           }),
           py::arg("label"), py::arg("init"), py::arg("lower") = -1e300, py::arg("upper") = 1e300,
           py::arg("prior") = Prior())
      .def_readonly("label", &EstimatedParameter::label)
      .def_readonly("init", &EstimatedParameter::init)
      .def_readonly("lower", &EstimatedParameter::lower)
      .def_readonly("upper", &EstimatedParameter::upper)
      .def_readonly("prior", &EstimatedParameter::prior)
      .def_readonly("jscale", &EstimatedParameter::jscale);
  m.def("estimated_parameters", py::overload_cast<const Model&>(&estimated_parameters), py::arg("model"));

  py::class_<Estimator>(m, "Estimator", "Likelihood and posterior of a model for a data set")
      .def(py::init([](const Model& model, std::vector<EstimatedParameter> params, Names varobs, Matrix data,
                       const KalmanOptions& k) { return Estimator(model, std::move(params), std::move(varobs), std::move(data), k); }),
           py::arg("model"), py::arg("params"), py::arg("varobs"), py::arg("data"), py::arg("kalman") = KalmanOptions())
      .def("labels", &Estimator::labels)
      .def("initial", &Estimator::initial)
      .def("lower", &Estimator::lower)
      .def("upper", &Estimator::upper)
      .def("bayesian", &Estimator::bayesian)
      .def("log_likelihood", &Estimator::log_likelihood, py::arg("theta"), py::call_guard<py::gil_scoped_release>())
      .def("log_prior", &Estimator::log_prior, py::arg("theta"))
      .def("log_posterior", &Estimator::log_posterior, py::arg("theta"), py::call_guard<py::gil_scoped_release>())
      .def("filter", &Estimator::filter, py::arg("theta"), py::call_guard<py::gil_scoped_release>())
      .def("smoother", [](Estimator& e, const Vector& th) {
        StateSpace ss;
        SmootherResult r;
        {
          py::gil_scoped_release nogil;
          r = e.smoother(th, &ss);
        }
        return py::make_tuple(r, ss);
      }, py::arg("theta"));

  py::class_<ModeResult>(m, "ModeResult", "Posterior mode / maximum likelihood estimate")
      .def_readonly("labels", &ModeResult::labels)
      .def_readonly("mode", &ModeResult::mode)
      .def_readonly("std_at_mode", &ModeResult::std_at_mode)
      .def_readonly("hessian", &ModeResult::hessian)
      .def_readonly("covariance", &ModeResult::covariance)
      .def_readonly("log_likelihood", &ModeResult::log_likelihood)
      .def_readonly("log_posterior", &ModeResult::log_posterior)
      .def_readonly("log_marginal_laplace", &ModeResult::log_marginal_laplace)
      .def_readonly("evaluations", &ModeResult::evaluations)
      .def_readonly("status", &ModeResult::status)
      .def_readonly("message", &ModeResult::message)
      .def("ok", &ModeResult::ok)
      .def("summary", &ModeResult::summary)
      .def("__repr__", &ModeResult::summary);
  py::class_<ModeOptions> mo(m, "ModeOptions", "Options of posterior_mode()");
  keyword_init(mo, "ModeOptions");
  mo.def_readwrite("algorithm", &ModeOptions::algorithm)
      .def_readwrite("max_evaluations", &ModeOptions::max_evaluations)
      .def_readwrite("xtol_rel", &ModeOptions::xtol_rel)
      .def_readwrite("hessian_step", &ModeOptions::hessian_step)
      .def_readwrite("on_iteration", &ModeOptions::on_iteration)
      .def("validate", &ModeOptions::validate);
  m.def(
      "posterior_mode",
      [](Estimator& est, const ModeOptions& o) {
        py::gil_scoped_release nogil;
        InterruptScope intr;
        ModeResult r = posterior_mode(est, watch_interrupt(o));
        if (InterruptScope::interrupted()) r.message = "interrupted (Ctrl-C); " + r.message;
        return r;
      },
      py::arg("estimator"), py::arg("options") = ModeOptions());

  py::class_<McmcResult>(m, "McmcResult", "Result of random_walk_metropolis")
      .def_readonly("labels", &McmcResult::labels)
      .def_readonly("chains", &McmcResult::chains)
      .def_readonly("log_posterior", &McmcResult::log_posterior)
      .def_readonly("acceptance", &McmcResult::acceptance)
      .def_readonly("rhat", &McmcResult::rhat)
      .def_readonly("summary_table", &McmcResult::summary_table)
      .def_readonly("draws_done", &McmcResult::draws_done)
      .def_readonly("status", &McmcResult::status)
      .def_readonly("message", &McmcResult::message)
      .def("ok", &McmcResult::ok)
      .def("summary", &McmcResult::summary)
      .def("__repr__", &McmcResult::summary);
  py::class_<McmcOptions> mco(m, "McmcOptions", "Options of random_walk_metropolis()");
  keyword_init(mco, "McmcOptions");
  mco.def_readwrite("chains", &McmcOptions::chains)
      .def_readwrite("draws", &McmcOptions::draws)
      .def_readwrite("burnin", &McmcOptions::burnin)
      .def_readwrite("jscale", &McmcOptions::jscale)
      .def_readwrite("init_scale", &McmcOptions::init_scale)
      .def_readwrite("seed", &McmcOptions::seed)
      .def_readwrite("threads", &McmcOptions::threads)
      .def_readwrite("checkpoint_dir", &McmcOptions::checkpoint_dir)
      .def_readwrite("checkpoint_every", &McmcOptions::checkpoint_every)
      .def_readwrite("resume", &McmcOptions::resume)
      .def_readwrite("on_iteration", &McmcOptions::on_iteration)
      .def("validate", &McmcOptions::validate);
  m.def(
      "random_walk_metropolis",
      [](const Estimator& est, const Vector& start, const Matrix& cov, const McmcOptions& o) {
        py::gil_scoped_release nogil;
        InterruptScope intr;
        McmcResult r = random_walk_metropolis(est, start, cov, watch_interrupt(o));
        if (InterruptScope::interrupted())
          r.message = "interrupted (Ctrl-C) after " + std::to_string(r.draws_done) + " draws per chain";
        return r;
      },
      py::arg("estimator"), py::arg("start"), py::arg("proposal_cov"), py::arg("options") = McmcOptions());
}

const BindingRegistrar reg("estimation", 51, &bind_estimation);

}  // namespace
}  // namespace govsim::python
