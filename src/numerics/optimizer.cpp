// minimize(): NLopt backend with penalties for infeasible points, restarts and multistart.
#include <govsim/core/error.hpp>
#include <govsim/numerics/optimizer.hpp>

#include <nlopt.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

namespace govsim::numerics {

const char* to_string(Algorithm a) noexcept {
  switch (a) {
    case Algorithm::NelderMead: return "nelder-mead";
    case Algorithm::Subplex: return "subplex";
    case Algorithm::Bobyqa: return "bobyqa";
    case Algorithm::Lbfgs: return "lbfgs";
    case Algorithm::Slsqp: return "slsqp";
    case Algorithm::GlobalMultistart: return "multistart";
    case Algorithm::Crs: return "crs";
    case Algorithm::Auto: return "auto";
    case Algorithm::Cobyla: return "cobyla";
    case Algorithm::Mma: return "mma";
    case Algorithm::Auglag: return "auglag";
  }
  return "unknown";
}

Algorithm parse_algorithm(const std::string& name) {
  for (Algorithm a : {Algorithm::Auto, Algorithm::NelderMead, Algorithm::Subplex, Algorithm::Bobyqa,
                      Algorithm::Lbfgs, Algorithm::Slsqp, Algorithm::GlobalMultistart, Algorithm::Crs,
                      Algorithm::Cobyla, Algorithm::Mma, Algorithm::Auglag})
    if (name == to_string(a)) return a;
  throw OptionsError("unknown optimization algorithm '" + name +
                     "' (auto, nelder-mead, subplex, bobyqa, lbfgs, slsqp, multistart, crs, cobyla, mma, auglag)");
}

Algorithm resolve_algorithm(const MinimizeOptions& opts) noexcept {
  if (opts.algorithm != Algorithm::Auto) return opts.algorithm;
  if (opts.constraints.empty()) return opts.analytic_gradient ? Algorithm::Lbfgs : Algorithm::NelderMead;
  return opts.analytic_gradient ? Algorithm::Slsqp : Algorithm::Cobyla;
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
  if (algorithm == Algorithm::Auglag) {
    if (auglag_local != Algorithm::NelderMead && auglag_local != Algorithm::Subplex &&
        auglag_local != Algorithm::Bobyqa && auglag_local != Algorithm::Lbfgs)
      throw OptionsError(std::string("minimize: auglag wraps nelder-mead, subplex, bobyqa or lbfgs, not '") +
                         to_string(auglag_local) + "'");
    if (auglag_local == Algorithm::Bobyqa && !finite_bounds)
      throw OptionsError("minimize: auglag around bobyqa needs finite bounds");
  }
  bool has_equality = false;
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    const Constraint& c = constraints[k];
    if (!c.fn) throw OptionsError("minimize: constraint " + std::to_string(k) + " has no function");
    if (!(c.tolerance >= 0) || !std::isfinite(c.tolerance))
      throw OptionsError("minimize: constraint " + std::to_string(k) + " has a negative or non-finite tolerance");
    has_equality = has_equality || c.equality;
  }
  if (constraints.empty()) return;
  switch (algorithm) {
    case Algorithm::Auto:
    case Algorithm::Cobyla:
    case Algorithm::Slsqp:
    case Algorithm::Auglag:
    case Algorithm::GlobalMultistart:
      return;
    case Algorithm::Mma:
      if (has_equality)
        throw OptionsError("minimize: algorithm 'mma' handles inequality constraints only; use slsqp, cobyla or "
                           "auglag for equality constraints");
      return;
    default:
      throw OptionsError(std::string("minimize: algorithm '") + to_string(algorithm) +
                         "' cannot handle nonlinear constraints; use auto, cobyla, slsqp, mma (inequalities only), "
                         "auglag or multistart");
  }
}

std::string MinimizeResult::summary() const {
  std::ostringstream o;
  o << "MinimizeResult: " << to_string(status) << ", f = " << f << " (start " << f_start << "), "
    << evaluations << " evaluations, " << iterations << " improvements";
  if (infeasible) o << ", " << infeasible << " infeasible points";
  if (!algorithm.empty()) o << ", " << algorithm;
  if (!nlopt_result.empty()) o << ", NLopt " << nlopt_result;
  if (constraint_values.size())
    o << ", " << constraint_values.size() << " constraints " << (feasible ? "satisfied" : "violated");
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
  // constraints: values at the last point asked for, and the least violating point so far
  Vector cache_x, cache_c;
  bool have_cache = false;
  bool any_feasible = false;
  double least_violation = std::numeric_limits<double>::infinity();
  Vector least_violating_x;
  double least_violating_f = std::numeric_limits<double>::quiet_NaN();

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

  // c_k(x), NaN/Inf/govsim::Error -> penalty (violated).
  double safe_constraint(std::size_t k, const Vector& x, Vector* g) {
    double v;
    try {
      v = opts->constraints[k].fn(x, g);
    } catch (const Error&) {
      v = std::numeric_limits<double>::quiet_NaN();
    }
    if (!std::isfinite(v)) {
      v = opts->penalty;
      if (g) g->setZero();
    }
    return v;
  }

  // All constraint values at x (cached for the last point).
  Vector constraint_values(const Vector& x) {
    if (have_cache && cache_x.size() == x.size() && cache_x == x) return cache_c;
    const std::size_t m = opts->constraints.size();
    cache_c.resize(static_cast<Index>(m));
    for (std::size_t k = 0; k < m; ++k) cache_c(static_cast<Index>(k)) = safe_constraint(k, x, nullptr);
    cache_x = x;
    have_cache = true;
    return cache_c;
  }

  // Largest violation beyond the tolerances (0 when feasible).
  double violation(const Vector& c) const {
    double worst = 0.0;
    for (std::size_t k = 0; k < opts->constraints.size(); ++k) {
      const Constraint& ck = opts->constraints[k];
      double ck_v = c(static_cast<Index>(k));
      double v = ck.equality ? std::abs(ck_v) - ck.tolerance : ck_v - ck.tolerance;
      worst = std::max(worst, v);
    }
    return worst;
  }

  // Central (one-sided at the bounds) differences of g around x.
  template <class G>
  void fd_gradient(const Vector& x, Vector& grad, G&& g) {
    Vector xp = x;
    for (Index i = 0; i < n; ++i) {
      double h = opts->fd_step * std::max(std::abs(x(i)), 1.0);
      double a = x(i) + h, b = x(i) - h;
      if (hi.size() && a > hi(i)) a = x(i);
      if (lo.size() && b < lo(i)) b = x(i);
      xp(i) = a;
      double fa = g(xp);
      xp(i) = b;
      double fb = g(xp);
      xp(i) = x(i);
      grad(i) = (a > b) ? (fa - fb) / (a - b) : 0.0;
    }
  }

  // Constraint k for NLopt: value, and the gradient when asked for.
  double constraint_eval(std::size_t k, const Vector& x, Vector* grad) {
    if (!grad || grad->size() == 0) return constraint_values(x)(static_cast<Index>(k));
    if (opts->constraints[k].analytic_gradient) return safe_constraint(k, x, grad);
    double v = constraint_values(x)(static_cast<Index>(k));
    fd_gradient(x, *grad, [&](const Vector& xp) { return safe_constraint(k, xp, nullptr); });
    return v;
  }

  double eval(const Vector& x, Vector* grad) {
    double v;
    const bool constrained = !opts->constraints.empty();
    Vector c;
    if (grad && grad->size() && !opts->analytic_gradient) {
      v = safe_eval(x, nullptr);
      if (constrained) c = constraint_values(x);
      fd_gradient(x, *grad, [&](const Vector& xp) { return safe_eval(xp, nullptr); });
    } else {
      v = safe_eval(x, grad);
      if (constrained) c = constraint_values(x);
    }
    bool feasible = true;
    if (constrained) {
      double viol = violation(c);
      feasible = viol <= 0.0;
      if (feasible) {
        any_feasible = true;
      } else if (viol < least_violation) {
        least_violation = viol;
        least_violating_x = x;
        least_violating_f = v;
      }
    }
    if (feasible && !(v >= res->f)) {  // improvement (res->f starts NaN)
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

struct ConstraintData {
  Driver* d;
  std::size_t k;
};

double nlopt_constraint(const std::vector<double>& x, std::vector<double>& grad, void* data) {
  auto* cd = static_cast<ConstraintData*>(data);
  Vector xv = Eigen::Map<const Vector>(x.data(), static_cast<Index>(x.size()));
  if (!grad.empty()) {
    Vector g = Vector::Zero(static_cast<Index>(grad.size()));
    double v = cd->d->constraint_eval(cd->k, xv, &g);
    for (std::size_t i = 0; i < grad.size(); ++i) grad[i] = std::isfinite(g(static_cast<Index>(i))) ? g(static_cast<Index>(i)) : 0.0;
    return v;
  }
  return cd->d->constraint_eval(cd->k, xv, nullptr);
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
    case Algorithm::Cobyla: return nlopt::LN_COBYLA;
    case Algorithm::Mma: return nlopt::LD_MMA;
    default: return nlopt::LN_NELDERMEAD;
  }
}

bool gradient_based(nlopt::algorithm a) {
  return a == nlopt::LD_LBFGS || a == nlopt::LD_SLSQP || a == nlopt::LD_MMA || a == nlopt::LD_AUGLAG;
}

Vector clip(Vector x, const Vector& lo, const Vector& hi) {
  for (Index i = 0; i < x.size(); ++i) {
    if (lo.size()) x(i) = std::max(x(i), lo(i));
    if (hi.size()) x(i) = std::min(x(i), hi(i));
  }
  return x;
}

// One NLopt run from x0; returns the NLopt result name.
// `sub` is the local algorithm of LN_/LD_AUGLAG.
std::string run_once(Driver& d, nlopt::algorithm algo, const Vector& x0, double scale = 1.0,
                     nlopt::algorithm sub = nlopt::LN_NELDERMEAD) {
  const MinimizeOptions& o = *d.opts;
  nlopt::opt opt(algo, static_cast<unsigned>(d.n));
  const bool auglag = algo == nlopt::LN_AUGLAG || algo == nlopt::LD_AUGLAG;
  std::vector<ConstraintData> cdata(o.constraints.size());
  for (std::size_t k = 0; k < o.constraints.size(); ++k) {
    cdata[k] = ConstraintData{&d, k};
    if (o.constraints[k].equality)
      opt.add_equality_constraint(nlopt_constraint, &cdata[k], o.constraints[k].tolerance);
    else
      opt.add_inequality_constraint(nlopt_constraint, &cdata[k], o.constraints[k].tolerance);
  }
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
  if (auglag) {
    nlopt::opt local(sub, static_cast<unsigned>(d.n));
    local.set_xtol_rel(o.xtol_rel);
    local.set_ftol_rel(o.ftol_rel);
    if (o.ftol_abs > 0) local.set_ftol_abs(o.ftol_abs);
    if (sub == nlopt::LD_LBFGS) local.set_vector_storage(10);
    opt.set_local_optimizer(local);
  }
  std::vector<double> step(static_cast<std::size_t>(d.n));
  for (Index i = 0; i < d.n; ++i) {
    double s = o.initial_step.size() ? o.initial_step(i) : std::max(0.1 * std::abs(x0(i)), 0.05);
    s *= scale;
    if (d.lo.size() && d.hi.size() && std::isfinite(d.hi(i) - d.lo(i)) && d.hi(i) > d.lo(i))
      s = std::min(s, 0.25 * (d.hi(i) - d.lo(i)));
    step[static_cast<std::size_t>(i)] = s > 0 ? s : 1e-4;
  }
  if (!gradient_based(algo)) opt.set_initial_step(step);
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
  const Algorithm algorithm = resolve_algorithm(opts);
  const bool constrained = !opts.constraints.empty();
  res.algorithm = to_string(algorithm);
  auto finish = [&]() {
    if (constrained) {
      if (!d.any_feasible && d.least_violating_x.size()) {
        res.x = d.least_violating_x;
        res.f = d.least_violating_f;
      }
      res.constraint_values = d.constraint_values(res.x);
      res.feasible = d.violation(res.constraint_values) <= 0.0;
    }
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
    } else if (!res.feasible) {
      std::ostringstream m;
      m << "no evaluated point satisfies the constraints (largest violation "
        << d.violation(res.constraint_values) << " beyond the tolerance)";
      res.status = Status::NumericalIssue;
      res.message = m.str();
    }
    return res;
  };
  // Local algorithm: the chosen one; for the global ones NelderMead, or with constraints the Auto choice.
  Algorithm local_kind = algorithm;
  if (algorithm == Algorithm::GlobalMultistart || algorithm == Algorithm::Crs) {
    if (constrained) local_kind = opts.analytic_gradient ? Algorithm::Slsqp : Algorithm::Cobyla;
    else local_kind = Algorithm::NelderMead;
  }
  nlopt::algorithm sub = local_algo(opts.auglag_local);
  nlopt::algorithm algo = local_kind == Algorithm::Auglag
                              ? (gradient_based(sub) ? nlopt::LD_AUGLAG : nlopt::LN_AUGLAG)
                              : local_algo(local_kind);
  auto local = [&](const Vector& from) {
    res.nlopt_result = run_once(d, algo, from, 1.0, sub);
    bool restartable = algo == nlopt::LN_NELDERMEAD || algo == nlopt::LN_SBPLX || algo == nlopt::LN_BOBYQA ||
                       algo == nlopt::LN_COBYLA || algo == nlopt::LN_AUGLAG;
    for (int r = 0; restartable && r < opts.restarts && !d.stopped && !d.budget; ++r) {
      double before = res.f;
      Vector xb = res.x;
      res.nlopt_result = run_once(d, algo, xb, 0.1, sub);
      double gain = before - res.f;
      if (!(gain > 1e-15 * std::max(std::abs(before), 1e-300))) break;
    }
  };
  if (algorithm == Algorithm::Crs) {
    res.nlopt_result = run_once(d, nlopt::GN_CRS2_LM, start);
    if (!d.stopped && !d.budget) local(res.x);
    return finish();
  }
  if (algorithm == Algorithm::GlobalMultistart) {
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

}  // namespace govsim::numerics
