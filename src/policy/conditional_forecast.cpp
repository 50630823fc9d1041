// Conditional forecasts: controlled shocks that make endogenous variables follow target paths
// (see conditional_forecast.hpp).
#include <govsim/core/error.hpp>
#include <govsim/policy/conditional_forecast.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>

namespace govsim::policy {

void ConditionalForecastOptions::validate() const {
  if (periods < 1) throw OptionsError("ConditionalForecastOptions.periods must be at least 1 (got " + std::to_string(periods) + ")");
  if (!(tolerance > 0.0) || !std::isfinite(tolerance))
    throw OptionsError("ConditionalForecastOptions.tolerance must be positive and finite");
  if (max_iterations < 1) throw OptionsError("ConditionalForecastOptions.max_iterations must be at least 1");
}

namespace {

Index find_name(const Names& names, const std::string& n, const std::string& what) {
  auto it = std::find(names.begin(), names.end(), n);
  if (it == names.end()) throw ModelError("conditional forecast: unknown " + what + " '" + n + "'");
  return static_cast<Index>(it - names.begin());
}

/// Resolved targets: variable and shock indices, target values per period (NaN = free).
struct Plan {
  std::vector<Index> var, shock;
  Matrix target;  // periods x n_targets
};

Plan make_plan(const Names& endo, const Names& exo, const std::vector<TargetPath>& targets,
               const ConditionalForecastOptions& opts) {
  opts.validate();
  if (targets.empty()) throw OptionsError("conditional forecast: no target path given");
  if (opts.controlled_shocks.size() != targets.size())
    throw OptionsError("conditional forecast: " + std::to_string(targets.size()) + " target path(s) but " +
                       std::to_string(opts.controlled_shocks.size()) +
                       " controlled shock(s); give one controlled shock per target");
  Plan p;
  p.target = Matrix::Constant(opts.periods, static_cast<Index>(targets.size()), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t k = 0; k < targets.size(); ++k) {
    p.var.push_back(find_name(endo, targets[k].variable, "variable"));
    p.shock.push_back(find_name(exo, opts.controlled_shocks[k], "shock"));
    if (targets[k].values.size() > opts.periods)
      throw OptionsError("conditional forecast: the path of '" + targets[k].variable + "' has " +
                         std::to_string(targets[k].values.size()) + " periods, more than the horizon " +
                         std::to_string(opts.periods));
    for (Index t = 0; t < targets[k].values.size(); ++t) {
      const double v = targets[k].values[t];
      if (std::isinf(v)) throw OptionsError("conditional forecast: infinite target for '" + targets[k].variable + "'");
      p.target(t, static_cast<Index>(k)) = v;
    }
  }
  for (std::size_t a = 0; a < p.var.size(); ++a)
    for (std::size_t b = a + 1; b < p.var.size(); ++b) {
      if (p.var[a] == p.var[b]) throw OptionsError("conditional forecast: variable '" + endo[p.var[a]] + "' has two target paths");
      if (p.shock[a] == p.shock[b]) throw OptionsError("conditional forecast: shock '" + exo[p.shock[a]] + "' is controlled twice");
    }
  return p;
}

std::vector<Index> active(const Plan& p, Index t) {
  std::vector<Index> a;
  for (Index k = 0; k < p.target.cols(); ++k)
    if (!std::isnan(p.target(t, k))) a.push_back(k);
  return a;
}

}  // namespace

ConditionalForecastResult conditional_forecast(const dsge::PerturbationResult& sol, const std::vector<TargetPath>& targets,
                                               const ConditionalForecastOptions& opts, const Vector& initial_deviation,
                                               const Matrix& baseline_shocks) {
  if (!sol.ok()) throw SolveError("conditional forecast: the first-order solution is not valid: " + sol.message);
  if (opts.timing != ShockTiming::Unanticipated)
    throw OptionsError("conditional forecast: the first-order version has unanticipated shocks only; use "
                       "conditional_forecast_perfect_foresight for anticipated ones");
  Plan p = make_plan(sol.endo_names, sol.exo_names, targets, opts);
  const Index n = sol.A.rows(), ne = sol.B.cols(), T = opts.periods;
  if (initial_deviation.size() && initial_deviation.size() != n)
    throw DimensionError("conditional forecast: initial_deviation has " + std::to_string(initial_deviation.size()) +
                         " entries for " + std::to_string(n) + " variables");
  if (baseline_shocks.size() && (baseline_shocks.rows() != T || baseline_shocks.cols() != ne))
    throw DimensionError("conditional forecast: baseline_shocks must be periods x n_exo (" + std::to_string(T) + " x " +
                         std::to_string(ne) + ")");
  ConditionalForecastResult r;
  r.endo_names = sol.endo_names;
  r.exo_names = sol.exo_names;
  r.paths = Matrix(T + 1, n);
  r.shocks = baseline_shocks.size() ? baseline_shocks : Matrix(Matrix::Zero(T, ne));
  Vector y = initial_deviation.size() ? initial_deviation : Vector(Vector::Zero(n));
  r.paths.row(0) = (sol.steady_state + y).transpose();
  r.status = Status::Success;
  for (Index t = 0; t < T; ++t) {
    std::vector<Index> a = active(p, t);
    Vector u = r.shocks.row(t).transpose();
    for (Index k : a) u[p.shock[static_cast<std::size_t>(k)]] = 0.0;
    Vector free = sol.A * y + sol.B * u;
    if (!a.empty()) {
      const Index m = static_cast<Index>(a.size());
      Matrix M(m, m);
      Vector rhs(m);
      for (Index i = 0; i < m; ++i) {
        const Index ki = a[static_cast<std::size_t>(i)];
        const Index vi = p.var[static_cast<std::size_t>(ki)];
        rhs[i] = p.target(t, ki) - sol.steady_state[vi] - free[vi];
        for (Index j = 0; j < m; ++j) M(i, j) = sol.B(vi, p.shock[static_cast<std::size_t>(a[static_cast<std::size_t>(j)])]);
      }
      Eigen::FullPivLU<Matrix> lu(M);
      const double scale = sol.B.cwiseAbs().maxCoeff();
      if (!lu.isInvertible() || lu.matrixLU().diagonal().cwiseAbs().minCoeff() <= 1e-10 * scale) {
        r.status = Status::Singular;
        r.message = "conditional forecast: in period " + std::to_string(t + 1) +
                    " the controlled shocks do not move the targeted variables independently on impact";
        r.paths.conservativeResize(t + 1, n);
        r.shocks.conservativeResize(t, ne);
        return r;
      }
      Vector x = lu.solve(rhs);
      for (Index j = 0; j < m; ++j) u[p.shock[static_cast<std::size_t>(a[static_cast<std::size_t>(j)])]] = x[j];
    }
    r.shocks.row(t) = u.transpose();
    y = sol.A * y + sol.B * u;
    r.paths.row(t + 1) = (sol.steady_state + y).transpose();
    for (Index k : a)
      r.max_target_error = std::max(r.max_target_error,
                                    std::abs(r.paths(t + 1, p.var[static_cast<std::size_t>(k)]) - p.target(t, k)));
  }
  return r;
}

namespace {

/// Perfect-foresight paths (periods 0..T) from `initial` with exogenous rows `exo` (T+2 rows).
dsge::PerfectForesightResult pf_solve(const dsge::Model& model, const dsge::PerfectForesightProblem& base,
                                      const Vector& initial, const Matrix& exo, const Matrix& guess,
                                      const dsge::PerfectForesightOptions& o) {
  dsge::PerfectForesightProblem pr = base;
  pr.initial = initial;
  pr.exo = exo;
  pr.guess = guess;
  return dsge::solve_perfect_foresight(model, pr, o);
}

/// Newton on unknowns x with residual F (same size) and finite-difference Jacobian.
template <class Fn>
bool newton(Fn F, Vector& x, double tol, int maxit, double& err, std::string& why) {
  Vector f;
  if (!F(x, f)) {
    why = "the perfect-foresight solver failed at the starting point";
    return false;
  }
  err = f.cwiseAbs().maxCoeff();
  for (int it = 0; it < maxit && err > tol; ++it) {
    Matrix J(f.size(), x.size());
    for (Index j = 0; j < x.size(); ++j) {
      const double h = 1e-6 * std::max(1.0, std::abs(x[j]));
      Vector xp = x;
      xp[j] += h;
      Vector fp;
      if (!F(xp, fp)) {
        why = "the perfect-foresight solver failed while computing derivatives";
        return false;
      }
      J.col(j) = (fp - f) / h;
    }
    Eigen::FullPivLU<Matrix> lu(J);
    if (!lu.isInvertible()) {
      why = "the controlled shocks do not move the targets (singular derivative matrix; e.g. a binding constraint)";
      return false;
    }
    Vector step = lu.solve(-f);
    double s = 1.0;
    bool improved = false;
    for (int ls = 0; ls < 20; ++ls, s *= 0.5) {
      Vector x2 = x + s * step, f2;
      if (F(x2, f2) && f2.cwiseAbs().maxCoeff() < err) {
        x = x2;
        f = f2;
        err = f.cwiseAbs().maxCoeff();
        improved = true;
        break;
      }
    }
    if (!improved) {
      why = "no step reduces the distance to the targets (a target may be unreachable, e.g. at a bound)";
      return false;
    }
  }
  if (err > tol) {
    why = "the targets were not met in " + std::to_string(maxit) + " iterations";
    return false;
  }
  return true;
}

}  // namespace

ConditionalForecastResult conditional_forecast_perfect_foresight(const dsge::Model& model,
                                                                 const dsge::PerfectForesightProblem& base,
                                                                 const std::vector<TargetPath>& targets,
                                                                 const ConditionalForecastOptions& opts) {
  Plan p = make_plan(base.endo_names, base.exo_names, targets, opts);
  const Index T = opts.periods, TT = base.periods(), n = static_cast<Index>(base.endo_names.size());
  const Index ne = static_cast<Index>(base.exo_names.size());
  if (TT < T)
    throw OptionsError("conditional forecast: the perfect-foresight problem has " + std::to_string(TT) +
                       " periods, fewer than the horizon " + std::to_string(T));
  ConditionalForecastResult r;
  r.endo_names = base.endo_names;
  r.exo_names = base.exo_names;
  Matrix exo = base.exo;
  std::vector<std::pair<Index, Index>> unknowns;  // (period 0-based, target k)
  for (Index t = 0; t < T; ++t)
    for (Index k : active(p, t)) unknowns.emplace_back(t, k);
  std::string why;
  double err = 0.0;
  bool ok = true;
  if (opts.timing == ShockTiming::Anticipated) {
    Matrix guess;
    auto F = [&](const Vector& x, Vector& f) {
      Matrix e = exo;
      for (std::size_t i = 0; i < unknowns.size(); ++i)
        e(unknowns[i].first + 1, p.shock[static_cast<std::size_t>(unknowns[i].second)]) = x[static_cast<Index>(i)];
      dsge::PerfectForesightResult s = pf_solve(model, base, base.initial, e, guess, opts.perfect_foresight);
      if (!s.ok()) return false;
      guess = s.paths.middleRows(1, TT);
      f.resize(static_cast<Index>(unknowns.size()));
      for (std::size_t i = 0; i < unknowns.size(); ++i) {
        const auto [t, k] = unknowns[i];
        f[static_cast<Index>(i)] = s.paths(t + 1, p.var[static_cast<std::size_t>(k)]) - p.target(t, k);
      }
      return true;
    };
    Vector x(static_cast<Index>(unknowns.size()));
    for (std::size_t i = 0; i < unknowns.size(); ++i)
      x[static_cast<Index>(i)] = exo(unknowns[i].first + 1, p.shock[static_cast<std::size_t>(unknowns[i].second)]);
    ok = unknowns.empty() || newton(F, x, opts.tolerance, opts.max_iterations, err, why);
    for (std::size_t i = 0; i < unknowns.size(); ++i)
      exo(unknowns[i].first + 1, p.shock[static_cast<std::size_t>(unknowns[i].second)]) = x[static_cast<Index>(i)];
    dsge::PerfectForesightResult s = pf_solve(model, base, base.initial, exo, Matrix(), opts.perfect_foresight);
    r.paths = s.paths.topRows(T + 1);
    if (!s.ok()) {
      ok = false;
      why = s.summary();
    }
  } else {
    // Period by period: from the state reached at t-1, the shock of period t is a surprise; the
    // baseline shocks of later periods are known (shifted problem with the same horizon).
    r.paths = Matrix(T + 1, n);
    r.paths.row(0) = base.initial.transpose();
    Vector state = base.initial;
    for (Index t = 0; t < T && ok; ++t) {
      Matrix e = Matrix::Zero(TT + 2, ne);
      for (Index s = 0; s < TT + 2; ++s) e.row(s) = exo.row(std::min<Index>(s + t, TT + 1));
      std::vector<Index> a = active(p, t);
      Matrix guess;
      Vector first;
      auto F = [&](const Vector& x, Vector& f) {
        Matrix e2 = e;
        for (std::size_t i = 0; i < a.size(); ++i) e2(1, p.shock[static_cast<std::size_t>(a[i])]) = x[static_cast<Index>(i)];
        dsge::PerfectForesightResult s = pf_solve(model, base, state, e2, guess, opts.perfect_foresight);
        if (!s.ok()) return false;
        guess = s.paths.middleRows(1, TT);
        first = s.paths.row(1).transpose();
        f.resize(static_cast<Index>(a.size()));
        for (std::size_t i = 0; i < a.size(); ++i)
          f[static_cast<Index>(i)] = first[p.var[static_cast<std::size_t>(a[i])]] - p.target(t, a[i]);
        return true;
      };
      Vector x(static_cast<Index>(a.size()));
      for (std::size_t i = 0; i < a.size(); ++i) x[static_cast<Index>(i)] = e(1, p.shock[static_cast<std::size_t>(a[i])]);
      double e_t = 0.0;
      if (a.empty()) {
        Vector f;
        ok = F(x, f);
        if (!ok) why = "the perfect-foresight solver failed in period " + std::to_string(t + 1);
      } else {
        ok = newton(F, x, opts.tolerance, opts.max_iterations, e_t, why);
        if (ok) {
          Vector f;
          ok = F(x, f);  // leaves `first` at the solution
        }
        if (!ok) why = "period " + std::to_string(t + 1) + ": " + why;
      }
      err = std::max(err, e_t);
      for (std::size_t i = 0; i < a.size(); ++i) exo(t + 1, p.shock[static_cast<std::size_t>(a[i])]) = x[static_cast<Index>(i)];
      if (ok) {
        state = first;
        r.paths.row(t + 1) = first.transpose();
      } else {
        r.paths.conservativeResize(t + 1, n);
      }
    }
  }
  r.shocks = exo.middleRows(1, T);
  r.max_target_error = 0.0;
  for (const auto& [t, k] : unknowns)
    if (t + 1 < r.paths.rows())
      r.max_target_error = std::max(r.max_target_error, std::abs(r.paths(t + 1, p.var[static_cast<std::size_t>(k)]) - p.target(t, k)));
  r.status = ok ? Status::Success : Status::NotConverged;
  if (!ok) r.message = "conditional forecast: " + why;
  return r;
}

}  // namespace govsim::policy
