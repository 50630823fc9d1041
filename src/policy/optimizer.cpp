// minimize(): NLopt backend with penalties for infeasible points, restarts and multistart.
#include <govsim/core/error.hpp>
#include <govsim/policy/optimizer.hpp>

#include <nlopt.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

namespace govsim::policy {

const char* to_string(Algorithm a) noexcept {
  switch (a) {
    case Algorithm::NelderMead: return "nelder-mead";
    case Algorithm::Subplex: return "subplex";
    case Algorithm::Bobyqa: return "bobyqa";
    case Algorithm::Lbfgs: return "lbfgs";
    case Algorithm::Slsqp: return "slsqp";
    case Algorithm::GlobalMultistart: return "multistart";
    case Algorithm::Crs: return "crs";
  }
  return "unknown";
}

Algorithm parse_algorithm(const std::string& name) {
  for (Algorithm a : {Algorithm::NelderMead, Algorithm::Subplex, Algorithm::Bobyqa, Algorithm::Lbfgs,
                      Algorithm::Slsqp, Algorithm::GlobalMultistart, Algorithm::Crs})
    if (name == to_string(a)) return a;
  throw OptionsError("unknown optimization algorithm '" + name +
                     "' (nelder-mead, subplex, bobyqa, lbfgs, slsqp, multistart, crs)");
}

void MinimizeOptions::validate(Index n) const {
  if (lower.size() != 0 && lower.size() != n)
    throw DimensionError("minimize: lower has " + std::to_string(lower.size()) + " entries, expected " +
                         std::to_string(n));
  if (upper.size() != 0 && upper.size() != n)
    throw DimensionError("minimize: upper has " + std::to_string(upper.size()) + " entries, expected " +
                         std::to_string(n));
  if (initial_step.size() != 0 && initial_step.size() != n)
    throw DimensionError("minimize: initial_step has the wrong size");
  if (lower.size() && upper.size())
    for (Index i = 0; i < n; ++i)
      if (!(lower(i) <= upper(i))) throw OptionsError("minimize: lower bound above upper bound for entry " + std::to_string(i));
  if (!(xtol_rel >= 0) || !(ftol_rel >= 0) || !(ftol_abs >= 0)) throw OptionsError("minimize: negative tolerance");
  if (max_evaluations < 1) throw OptionsError("minimize: max_evaluations must be positive");
  if (restarts < 0 || multistart < 1) throw OptionsError("minimize: restarts >= 0 and multistart >= 1 required");
  if (!(fd_step > 0)) throw OptionsError("minimize: fd_step must be positive");
  bool finite_bounds = lower.size() == n && upper.size() == n && lower.allFinite() && upper.allFinite();
  if ((algorithm == Algorithm::Bobyqa || algorithm == Algorithm::Crs) && !finite_bounds)
    throw OptionsError(std::string("minimize: algorithm '") + to_string(algorithm) + "' needs finite bounds");
}

std::string MinimizeResult::summary() const {
  std::ostringstream o;
  o << "MinimizeResult: " << to_string(status) << ", f = " << f << " (start " << f_start << "), "
    << evaluations << " evaluations, " << iterations << " improvements";
  if (infeasible) o << ", " << infeasible << " infeasible points";
  if (!nlopt_result.empty()) o << ", NLopt " << nlopt_result;
  if (!message.empty()) o << ": " << message;
  return o.str();
}

namespace {

struct Driver {
  const Objective* f = nullptr;
  const MinimizeOptions* opts = nullptr;
  Index n = 0;
  Vector lo, hi;
  MinimizeResult* res = nullptr;
  nlopt::opt* current = nullptr;
  bool stopped = false;
  bool budget = false;

  double safe_eval(const Vector& x, Vector* g) {
    double v;
    try {
      v = (*f)(x, g);
    } catch (const Error&) {
      v = std::numeric_limits<double>::quiet_NaN();
    }
    ++res->evaluations;
    if (!std::isfinite(v)) {
      ++res->infeasible;
      v = opts->penalty;
      if (g) g->setZero();
    }
    return v;
  }

  double eval(const Vector& x, Vector* grad) {
    double v;
    if (grad && grad->size() && !opts->analytic_gradient) {
      v = safe_eval(x, nullptr);
      Vector xp = x;
      for (Index i = 0; i < n; ++i) {
        double h = opts->fd_step * std::max(std::abs(x(i)), 1.0);
        double a = x(i) + h, b = x(i) - h;
        if (hi.size() && a > hi(i)) a = x(i);
        if (lo.size() && b < lo(i)) b = x(i);
        xp(i) = a;
        double fa = safe_eval(xp, nullptr);
        xp(i) = b;
        double fb = safe_eval(xp, nullptr);
        xp(i) = x(i);
        (*grad)(i) = (a > b) ? (fa - fb) / (a - b) : 0.0;
      }
    } else {
      v = safe_eval(x, grad);
    }
    if (!(v >= res->f) ) {  // improvement (res->f starts NaN)
      res->f = v;
      res->x = x;
      ++res->iterations;
      if (opts->on_iteration) {
        IterationInfo info;
        info.iteration = res->iterations;
        info.total = 0;
        info.objective = v;
        info.stage = "minimize";
        if (!opts->on_iteration(info)) {
          stopped = true;
          if (current) current->force_stop();
        }
      }
    }
    if (res->evaluations >= opts->max_evaluations) {
      budget = true;
      if (current) current->force_stop();
    }
    return v;
  }
};

double nlopt_objective(const std::vector<double>& x, std::vector<double>& grad, void* data) {
  auto* d = static_cast<Driver*>(data);
  Vector xv = Eigen::Map<const Vector>(x.data(), static_cast<Index>(x.size()));
  if (!grad.empty()) {
    Vector g(static_cast<Index>(grad.size()));
    double v = d->eval(xv, &g);
    for (std::size_t i = 0; i < grad.size(); ++i) grad[i] = std::isfinite(g(static_cast<Index>(i))) ? g(static_cast<Index>(i)) : 0.0;
    return v;
  }
  return d->eval(xv, nullptr);
}

const char* nlopt_name(nlopt::result r) {
  switch (r) {
    case nlopt::SUCCESS: return "SUCCESS";
    case nlopt::STOPVAL_REACHED: return "STOPVAL_REACHED";
    case nlopt::FTOL_REACHED: return "FTOL_REACHED";
    case nlopt::XTOL_REACHED: return "XTOL_REACHED";
    case nlopt::MAXEVAL_REACHED: return "MAXEVAL_REACHED";
    case nlopt::MAXTIME_REACHED: return "MAXTIME_REACHED";
    case nlopt::FORCED_STOP: return "FORCED_STOP";
    case nlopt::ROUNDOFF_LIMITED: return "ROUNDOFF_LIMITED";
    default: return "FAILURE";
  }
}

nlopt::algorithm local_algo(Algorithm a) {
  switch (a) {
    case Algorithm::Subplex: return nlopt::LN_SBPLX;
    case Algorithm::Bobyqa: return nlopt::LN_BOBYQA;
    case Algorithm::Lbfgs: return nlopt::LD_LBFGS;
    case Algorithm::Slsqp: return nlopt::LD_SLSQP;
    default: return nlopt::LN_NELDERMEAD;
  }
}

Vector clip(Vector x, const Vector& lo, const Vector& hi) {
  for (Index i = 0; i < x.size(); ++i) {
    if (lo.size()) x(i) = std::max(x(i), lo(i));
    if (hi.size()) x(i) = std::min(x(i), hi(i));
  }
  return x;
}

// One NLopt run from x0; returns the NLopt result name.
std::string run_once(Driver& d, nlopt::algorithm algo, const Vector& x0, double scale = 1.0) {
  const MinimizeOptions& o = *d.opts;
  nlopt::opt opt(algo, static_cast<unsigned>(d.n));
  std::vector<double> lo(static_cast<std::size_t>(d.n), -HUGE_VAL), hi(static_cast<std::size_t>(d.n), HUGE_VAL);
  for (Index i = 0; i < d.n; ++i) {
    if (d.lo.size()) lo[static_cast<std::size_t>(i)] = d.lo(i);
    if (d.hi.size()) hi[static_cast<std::size_t>(i)] = d.hi(i);
  }
  opt.set_lower_bounds(lo);
  opt.set_upper_bounds(hi);
  opt.set_min_objective(nlopt_objective, &d);
  opt.set_xtol_rel(o.xtol_rel);
  opt.set_ftol_rel(o.ftol_rel);
  if (o.ftol_abs > 0) opt.set_ftol_abs(o.ftol_abs);
  int left = o.max_evaluations - d.res->evaluations;
  opt.set_maxeval(std::max(left, 1));
  if (algo == nlopt::LD_LBFGS || algo == nlopt::LD_SLSQP) opt.set_vector_storage(10);
  std::vector<double> step(static_cast<std::size_t>(d.n));
  for (Index i = 0; i < d.n; ++i) {
    double s = o.initial_step.size() ? o.initial_step(i) : std::max(0.1 * std::abs(x0(i)), 0.05);
    s *= scale;
    if (d.lo.size() && d.hi.size() && std::isfinite(d.hi(i) - d.lo(i)) && d.hi(i) > d.lo(i))
      s = std::min(s, 0.25 * (d.hi(i) - d.lo(i)));
    step[static_cast<std::size_t>(i)] = s > 0 ? s : 1e-4;
  }
  if (algo != nlopt::LD_LBFGS && algo != nlopt::LD_SLSQP) opt.set_initial_step(step);
  std::vector<double> x(x0.data(), x0.data() + x0.size());
  double fx = 0;
  d.current = &opt;
  std::string name;
  try {
    name = nlopt_name(opt.optimize(x, fx));
  } catch (const nlopt::forced_stop&) {
    name = "FORCED_STOP";
  } catch (const nlopt::roundoff_limited&) {
    name = "ROUNDOFF_LIMITED";
  } catch (const std::invalid_argument& e) {
    name = std::string("INVALID_ARGS: ") + e.what();
  } catch (const std::bad_alloc&) {
    name = "OUT_OF_MEMORY";
  } catch (const std::runtime_error& e) {
    name = std::string("FAILURE: ") + e.what();
  }
  d.current = nullptr;
  return name;
}

}  // namespace

MinimizeResult minimize(const Objective& f, const Vector& x0, const MinimizeOptions& opts) {
  const Index n = x0.size();
  if (n == 0) throw DimensionError("minimize: no free parameters");
  opts.validate(n);
  if (!x0.allFinite()) throw OptionsError("minimize: the starting point is not finite");
  MinimizeResult res;
  Driver d;
  d.f = &f;
  d.opts = &opts;
  d.n = n;
  d.lo = opts.lower;
  d.hi = opts.upper;
  d.res = &res;
  Vector start = clip(x0, d.lo, d.hi);
  res.x = start;
  res.f_start = d.safe_eval(start, nullptr);
  res.evaluations = 0;
  res.infeasible = 0;
  auto finish = [&]() {
    if (d.stopped) {
      res.status = Status::UserStopped;
      res.message = "stopped by the on_iteration callback";
    } else if (d.budget) {
      res.status = Status::MaxIterations;
      res.message = "evaluation budget exhausted (" + std::to_string(opts.max_evaluations) + ")";
    } else if (res.nlopt_result.rfind("FAILURE", 0) == 0 || res.nlopt_result.rfind("INVALID", 0) == 0 ||
               res.nlopt_result == "OUT_OF_MEMORY") {
      res.status = Status::NumericalIssue;
      res.message = "NLopt: " + res.nlopt_result;
    } else if (!(res.f < opts.penalty)) {
      res.status = Status::NumericalIssue;
      res.message = "no feasible point found (all evaluations failed or were penalized)";
    }
    return res;
  };
  auto local = [&](const Vector& from) {
    nlopt::algorithm algo = local_algo(opts.algorithm == Algorithm::GlobalMultistart || opts.algorithm == Algorithm::Crs
                                           ? Algorithm::NelderMead : opts.algorithm);
    res.nlopt_result = run_once(d, algo, from);
    bool restartable = algo == nlopt::LN_NELDERMEAD || algo == nlopt::LN_SBPLX || algo == nlopt::LN_BOBYQA;
    for (int r = 0; restartable && r < opts.restarts && !d.stopped && !d.budget; ++r) {
      double before = res.f;
      Vector xb = res.x;
      res.nlopt_result = run_once(d, algo, xb, 0.1);
      double gain = before - res.f;
      if (!(gain > 1e-15 * std::max(std::abs(before), 1e-300))) break;
    }
  };
  if (opts.algorithm == Algorithm::Crs) {
    res.nlopt_result = run_once(d, nlopt::GN_CRS2_LM, start);
    if (!d.stopped && !d.budget) local(res.x);
    return finish();
  }
  if (opts.algorithm == Algorithm::GlobalMultistart) {
    std::mt19937_64 rng(opts.seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    local(start);
    for (int s = 1; s < opts.multistart && !d.stopped && !d.budget; ++s) {
      Vector x(n);
      for (Index i = 0; i < n; ++i) {
        bool fin = d.lo.size() && d.hi.size() && std::isfinite(d.lo(i)) && std::isfinite(d.hi(i));
        double a = fin ? d.lo(i) : start(i) - std::max(std::abs(start(i)), 1.0);
        double b = fin ? d.hi(i) : start(i) + std::max(std::abs(start(i)), 1.0);
        x(i) = a + (b - a) * u(rng);
      }
      local(clip(x, d.lo, d.hi));
    }
    return finish();
  }
  local(start);
  return finish();
}

Matrix finite_difference_hessian(const std::function<double(const Vector&)>& f, const Vector& x, double step) {
  const Index n = x.size();
  Vector h(n);
  for (Index i = 0; i < n; ++i) h(i) = step * std::max(std::abs(x(i)), 1e-2);
  Matrix H(n, n);
  const double f0 = f(x);
  Vector xp = x;
  Vector fp(n), fm(n);
  for (Index i = 0; i < n; ++i) {
    xp(i) = x(i) + h(i);
    fp(i) = f(xp);
    xp(i) = x(i) - h(i);
    fm(i) = f(xp);
    xp(i) = x(i);
    H(i, i) = (fp(i) - 2 * f0 + fm(i)) / (h(i) * h(i));
  }
  for (Index i = 0; i < n; ++i)
    for (Index j = i + 1; j < n; ++j) {
      xp = x;
      xp(i) += h(i);
      xp(j) += h(j);
      double fpp = f(xp);
      xp(i) = x(i) - h(i);
      xp(j) = x(j) - h(j);
      double fmm = f(xp);
      xp(i) = x(i) + h(i);
      double fpm = f(xp);
      xp(i) = x(i) - h(i);
      xp(j) = x(j) + h(j);
      double fmp = f(xp);
      H(i, j) = H(j, i) = (fpp - fpm - fmp + fmm) / (4 * h(i) * h(j));
    }
  return H;
}

}  // namespace govsim::policy
