// Estimator (likelihood, prior, posterior) and the posterior mode with Hessian standard errors.
#include <govsim/core/error.hpp>
#include <govsim/dsge/estimation.hpp>
#include <govsim/dsge/model_solver.hpp>
#include <govsim/numerics/optimizer.hpp>

#include <Eigen/Cholesky>
#include <Eigen/LU>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <sstream>

namespace govsim::dsge {

namespace {
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

std::string label_of(const EstimatedParam& e) {
  switch (e.kind) {
    case EstimatedParam::Kind::Parameter: return e.name;
    case EstimatedParam::Kind::Stderr: return "stderr " + e.name;
    case EstimatedParam::Kind::Corr: return "corr " + e.name + ", " + e.name2;
  }
  return e.name;
}
}  // namespace

std::vector<EstimatedParameter> estimated_parameters(const Model& model, const std::vector<EstimatedParam>& spec) {
  std::vector<EstimatedParameter> out;
  ModelSolver probe(model, {});
  for (const auto& e : spec) {
    EstimatedParameter p;
    p.label = label_of(e);
    auto fp = parse_free_parameter(model, p.label);
    p.prior = Prior::make(e.prior_shape, e.prior_mean, e.prior_std, e.prior_p3, e.prior_p4);
    double calib;
    {
      ModelSolver one(model, {p.label});
      calib = one.current_values()(0);
    }
    p.init = std::isfinite(e.init) ? e.init : (p.prior.shape != PriorShape::None ? p.prior.mean : calib);
    if (!std::isfinite(p.init)) throw ModelError("estimated_params: no initial value for '" + p.label + "'");
    p.lower = std::isfinite(e.lower) ? e.lower : -1e300;
    p.upper = std::isfinite(e.upper) ? e.upper : 1e300;
    if (fp.kind == FreeParameter::Kind::Stderr && p.lower < 0) p.lower = 0.0;
    if (fp.kind == FreeParameter::Kind::Corr) {
      p.lower = std::max(p.lower, -1.0);
      p.upper = std::min(p.upper, 1.0);
    }
    if (p.prior.shape != PriorShape::None) {
      p.lower = std::max(p.lower, p.prior.lower);
      p.upper = std::min(p.upper, p.prior.upper);
    }
    if (!(p.lower <= p.init && p.init <= p.upper))
      throw OptionsError("estimated_params: initial value of '" + p.label + "' is outside its bounds/prior support");
    p.jscale = std::isfinite(e.jscale) ? e.jscale : 0.0;
    out.push_back(p);
  }
  (void)probe;
  return out;
}

std::vector<EstimatedParameter> estimated_parameters(const Model& model) {
  return estimated_parameters(model, model.estimated_params());
}

Estimator::Estimator(const Model& model, std::vector<EstimatedParameter> params, Names varobs, Matrix data,
                     KalmanOptions kalman)
    : params_(std::move(params)), varobs_(std::move(varobs)), data_(std::move(data)), kalman_(kalman) {
  kalman_.validate();
  if (params_.empty()) throw ModelError("estimation: no estimated parameters");
  if (varobs_.empty()) throw ModelError("estimation: no observed variables (varobs)");
  if (data_.cols() != static_cast<Index>(varobs_.size()))
    throw DimensionError("estimation: data have " + std::to_string(data_.cols()) + " columns for " +
                         std::to_string(varobs_.size()) + " observed variables");
  if (data_.rows() == 0) throw DataError("estimation: the data set is empty");
  check_data(data_, kalman_.presample, "estimation");
  for (const auto& v : varobs_) {
    auto s = model.symbols().find(v);
    if (!s || s->type != SymbolType::Endogenous) throw ModelError("varobs: '" + v + "' is not an endogenous variable");
  }
  solver_ = std::make_unique<ModelSolver>(model, labels());
  fingerprint_ = compute_fingerprint(model);
}

namespace {
// FNV-1a, 64 bits: a content hash for checkpoint fingerprints (not a security feature).
struct Fnv {
  std::uint64_t h = 1469598103934665603ULL;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= c[i];
      h *= 1099511628211ULL;
    }
  }
  void str(const std::string& s) {
    std::uint64_t n = s.size();
    bytes(&n, sizeof n);
    bytes(s.data(), s.size());
  }
  void num(double v) {
    if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();  // one NaN pattern
    bytes(&v, sizeof v);
  }
};
}  // namespace

std::string Estimator::compute_fingerprint(const Model& model) const {
  Fnv f;
  f.str(model.to_json());
  for (Index i = 0; i < model.n_params(); ++i) f.num(model.params()(i));
  for (const auto& p : params_) {
    f.str(p.label);
    f.num(p.init);
    f.num(p.lower);
    f.num(p.upper);
    f.num(p.jscale);
    f.num(static_cast<double>(static_cast<int>(p.prior.shape)));
    for (double v : {p.prior.mean, p.prior.std, p.prior.lower, p.prior.upper, p.prior.a, p.prior.b}) f.num(v);
  }
  for (const auto& v : varobs_) f.str(v);
  std::uint64_t r = static_cast<std::uint64_t>(data_.rows()), c = static_cast<std::uint64_t>(data_.cols());
  f.bytes(&r, sizeof r);
  f.bytes(&c, sizeof c);
  for (Index j = 0; j < data_.cols(); ++j)
    for (Index t = 0; t < data_.rows(); ++t) f.num(data_(t, j));
  f.num(static_cast<double>(kalman_.lik_init));
  f.num(static_cast<double>(kalman_.presample));
  f.num(kalman_.riccati_tol);
  f.num(kalman_.kalman_tol);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(f.h));
  return buf;
}

Estimator::Estimator(const Estimator& o)
    : params_(o.params_), varobs_(o.varobs_), data_(o.data_), kalman_(o.kalman_),
      solver_(std::make_unique<ModelSolver>(*o.solver_)), fingerprint_(o.fingerprint_) {}

Estimator& Estimator::operator=(const Estimator& o) {
  if (this != &o) {
    params_ = o.params_;
    varobs_ = o.varobs_;
    data_ = o.data_;
    kalman_ = o.kalman_;
    solver_ = std::make_unique<ModelSolver>(*o.solver_);
    fingerprint_ = o.fingerprint_;
  }
  return *this;
}

Estimator::~Estimator() = default;

Names Estimator::labels() const {
  Names n;
  for (const auto& p : params_) n.push_back(p.label);
  return n;
}
Vector Estimator::initial() const {
  Vector v(size());
  for (Index i = 0; i < size(); ++i) v(i) = params_[static_cast<std::size_t>(i)].init;
  return v;
}
Vector Estimator::lower() const {
  Vector v(size());
  for (Index i = 0; i < size(); ++i) v(i) = params_[static_cast<std::size_t>(i)].lower;
  return v;
}
Vector Estimator::upper() const {
  Vector v(size());
  for (Index i = 0; i < size(); ++i) v(i) = params_[static_cast<std::size_t>(i)].upper;
  return v;
}
bool Estimator::bayesian() const {
  for (const auto& p : params_)
    if (p.prior.shape == PriorShape::None) return false;
  return true;
}

KalmanResult Estimator::filter(const Vector& theta) {
  if (theta.size() != size())
    throw DimensionError("estimation: " + std::to_string(theta.size()) + " values for " + std::to_string(size()) +
                         " parameters");
  KalmanResult bad;
  bad.log_likelihood = kNegInf;
  for (Index i = 0; i < size(); ++i) {
    const auto& p = params_[static_cast<std::size_t>(i)];
    if (!(theta(i) >= p.lower && theta(i) <= p.upper)) {
      bad.status = Status::NumericalIssue;
      bad.message = "'" + p.label + "' is outside its bounds";
      return bad;
    }
  }
  auto r = solver_->solve(theta);
  if (!r.ok()) {
    bad.status = r.status;
    bad.message = r.message;
    return bad;
  }
  StateSpace ss = make_state_space(r.solution, varobs_);
  return kalman_filter(ss, data_, kalman_);
}

double Estimator::log_likelihood(const Vector& theta) {
  KalmanResult k = filter(theta);
  return k.ok() ? k.log_likelihood : kNegInf;
}

double Estimator::log_prior(const Vector& theta) const {
  double s = 0;
  for (Index i = 0; i < size(); ++i) s += params_[static_cast<std::size_t>(i)].prior.log_pdf(theta(i));
  return s;
}

double Estimator::log_posterior(const Vector& theta) {
  double lp = log_prior(theta);
  if (!std::isfinite(lp)) return kNegInf;
  double ll = log_likelihood(theta);
  return std::isfinite(ll) ? ll + lp : kNegInf;
}

SmootherResult Estimator::smoother(const Vector& theta, StateSpace* ss_out) {
  if (theta.size() != size()) throw DimensionError("estimation: wrong number of parameter values");
  auto r = solver_->solve(theta);
  if (!r.ok()) throw SolveError("smoother: no unique stable solution: " + r.message);
  StateSpace ss = make_state_space(r.solution, varobs_);
  auto out = kalman_smoother(ss, data_, kalman_);
  if (ss_out) *ss_out = ss;
  return out;
}

void ModeOptions::validate() const {
  numerics::parse_algorithm(algorithm);
  if (max_evaluations < 1) throw OptionsError("ModeOptions: max_evaluations must be positive");
  if (!(hessian_step > 0)) throw OptionsError("ModeOptions: hessian_step must be positive");
}

std::string ModeResult::summary() const {
  std::ostringstream o;
  o << "ModeResult: " << to_string(status) << ", log posterior " << log_posterior << ", log-likelihood "
    << log_likelihood;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    o << (i ? ", " : "; ") << labels[i] << " = " << mode(static_cast<Index>(i));
    if (std_at_mode.size()) o << " (" << std_at_mode(static_cast<Index>(i)) << ")";
  }
  if (!message.empty()) o << ": " << message;
  return o.str();
}

void hessian_at(Estimator& est, const Vector& theta, double step, ModeResult& out) {
  auto f = [&](const Vector& x) {
    // the Hessian may step over a bound: evaluate the unbounded likelihood there
    double lp = est.log_prior(x);
    double v = est.log_posterior(x);
    (void)lp;
    return -v;
  };
  out.hessian = numerics::finite_difference_hessian(f, theta, step);
  const Index k = theta.size();
  Eigen::LDLT<Matrix> ldlt(out.hessian);
  if (!out.hessian.allFinite() || ldlt.info() != Eigen::Success || !ldlt.isPositive() ||
      (ldlt.vectorD().array() <= 0).any()) {
    out.std_at_mode = Vector::Constant(k, std::numeric_limits<double>::quiet_NaN());
    out.log_marginal_laplace = std::numeric_limits<double>::quiet_NaN();
    if (out.ok()) {
      out.status = Status::Singular;
      out.message = "the Hessian at the mode is not positive definite";
    }
    return;
  }
  out.covariance = ldlt.solve(Matrix::Identity(k, k));
  out.covariance = 0.5 * (out.covariance + out.covariance.transpose()).eval();
  out.std_at_mode = out.covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
  double logdetH = ldlt.vectorD().array().log().sum();
  out.log_marginal_laplace = est.bayesian()
                                 ? out.log_posterior + 0.5 * static_cast<double>(k) * std::log(2 * M_PI) - 0.5 * logdetH
                                 : std::numeric_limits<double>::quiet_NaN();
}

ModeResult posterior_mode(Estimator& est, const ModeOptions& opts) {
  opts.validate();
  numerics::MinimizeOptions mo;
  mo.algorithm = numerics::parse_algorithm(opts.algorithm);
  mo.max_evaluations = opts.max_evaluations;
  mo.xtol_rel = opts.xtol_rel;
  mo.ftol_rel = 1e-15;
  mo.restarts = 6;
  mo.lower = est.lower().cwiseMax(-1e300);
  mo.upper = est.upper();
  for (Index i = 0; i < mo.lower.size(); ++i) {
    if (mo.lower(i) <= -1e300) mo.lower(i) = -HUGE_VAL;
    if (mo.upper(i) >= 1e300) mo.upper(i) = HUGE_VAL;
  }
  mo.on_iteration = opts.on_iteration;
  numerics::Objective f = [&](const Vector& x, Vector*) {
    double v = est.log_posterior(x);
    return std::isfinite(v) ? -v : std::numeric_limits<double>::quiet_NaN();
  };
  auto m = numerics::minimize(f, est.initial(), mo);
  ModeResult out;
  out.labels = est.labels();
  out.mode = m.x;
  out.evaluations = m.evaluations;
  out.status = m.status;
  out.message = m.message;
  out.log_posterior = -m.f;
  out.log_likelihood = est.log_likelihood(m.x);
  if (!std::isfinite(out.log_likelihood)) {
    out.status = Status::NumericalIssue;
    out.message = "no finite likelihood found";
    return out;
  }
  hessian_at(est, m.x, opts.hessian_step, out);
  return out;
}

}  // namespace govsim::dsge
