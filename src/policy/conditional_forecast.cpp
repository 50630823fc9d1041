// Conditional forecasts: controlled shocks that make endogenous variables follow target paths
// (see conditional_forecast.hpp).
#include <govsim/core/error.hpp>
#include <govsim/policy/conditional_forecast.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

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

void ForecastBandsOptions::validate() const {
  if (!(conf_sig > 0.0 && conf_sig < 1.0))
    throw OptionsError("ForecastBandsOptions.conf_sig must be in (0, 1) (got " + std::to_string(conf_sig) + ")");
  if (replic < 0) throw OptionsError("ForecastBandsOptions.replic must be non-negative (got " + std::to_string(replic) + ")");
}

namespace {

/// Standard normal quantile by bisection on erfc (exact to rounding for p in (0, 1)).
double normal_quantile(double p) {
  double lo = -40.0, hi = 40.0;
  for (int k = 0; k < 200 && hi - lo > 0.0; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

/// Dynare's order statistics of `v` (replic values): positions max(1, round(R tt)) and
/// min(R, round(R (1 - tt))), 1-based, tt = (1 - conf_sig)/2.
std::pair<double, double> percentile_band(std::vector<double>& v, double conf_sig) {
  const double R = static_cast<double>(v.size());
  const double tt = (1.0 - conf_sig) / 2.0;
  const auto t1 = static_cast<std::size_t>(std::max(1.0, std::round(R * tt)));
  const auto t2 = static_cast<std::size_t>(std::min(R, std::round(R * (1.0 - tt))));
  std::sort(v.begin(), v.end());
  return {v[t1 - 1], v[t2 - 1]};
}

}  // namespace

ConditionalForecastBands conditional_forecast_bands(const dsge::PerturbationResult& sol,
                                                    const std::vector<TargetPath>& targets,
                                                    const ConditionalForecastOptions& opts,
                                                    const ForecastBandsOptions& bands, const Vector& initial_deviation,
                                                    const Matrix& baseline_shocks) {
  bands.validate();
  ConditionalForecastBands out;
  out.conf_sig = bands.conf_sig;
  out.forecast = conditional_forecast(sol, targets, opts, initial_deviation, baseline_shocks);
  out.status = out.forecast.status;
  out.message = out.forecast.message;
  if (!out.forecast.ok()) return out;
  const Plan p = make_plan(sol.endo_names, sol.exo_names, targets, opts);
  const Index n = sol.A.rows(), ne = sol.B.cols(), T = opts.periods;
  if (sol.Sigma_e.rows() != ne || sol.Sigma_e.cols() != ne)
    throw DimensionError("conditional forecast bands: the solution's Sigma_e is not n_exo x n_exo");
  // free shocks: every shock that is not controlled; they are drawn with D L z, L the lower
  // Cholesky factor of Sigma_e (its square root when diagonal) and D zeroing the controlled rows
  Matrix L;
  if (sol.Sigma_e.isDiagonal()) {
    L = Matrix(sol.Sigma_e.diagonal().cwiseMax(0.0).cwiseSqrt().asDiagonal());
  } else {
    Eigen::LLT<Matrix> llt(sol.Sigma_e);
    if (llt.info() != Eigen::Success)
      throw ModelError("conditional forecast bands: the shock covariance is not positive definite");
    L = llt.matrixL();
  }
  for (Index s : p.shock) L.row(s).setZero();
  const Matrix S = L * L.transpose();
  const double z = normal_quantile(0.5 * (1.0 + bands.conf_sig));

  // Analytic covariance: with the active targets of period t (selection M, controlled columns U),
  // G = M B U and the deviation of the controlled shocks e = -G^{-1} M (A d + B s), so
  // d_t = P (A d_{t-1} + B s_t), P = I - B U G^{-1} M.
  out.std = Matrix::Zero(T + 1, n);
  out.shock_std = Matrix::Zero(T, ne);
  Matrix V = Matrix::Zero(n, n);
  for (Index t = 0; t < T; ++t) {
    const Matrix Q = sol.A * V * sol.A.transpose() + sol.B * S * sol.B.transpose();
    for (Index j = 0; j < ne; ++j) out.shock_std(t, j) = std::sqrt(std::max(0.0, S(j, j)));
    const std::vector<Index> a = active(p, t);
    if (a.empty()) {
      V = Q;
    } else {
      const Index m = static_cast<Index>(a.size());
      Matrix G(m, m), MQ(m, n), MB(m, ne);
      for (Index i = 0; i < m; ++i) {
        const Index vi = p.var[static_cast<std::size_t>(a[static_cast<std::size_t>(i)])];
        MQ.row(i) = Q.row(vi);
        MB.row(i) = sol.B.row(vi);
        for (Index j = 0; j < m; ++j) G(i, j) = sol.B(vi, p.shock[static_cast<std::size_t>(a[static_cast<std::size_t>(j)])]);
      }
      Eigen::FullPivLU<Matrix> lu(G);  // invertible: conditional_forecast succeeded
      const Matrix GinvM = lu.solve(Matrix::Identity(m, m));  // G^{-1}
      Matrix BU(n, m);
      for (Index j = 0; j < m; ++j) BU.col(j) = sol.B.col(p.shock[static_cast<std::size_t>(a[static_cast<std::size_t>(j)])]);
      // Var(e) = G^{-1} M Q M' G^{-T}
      Matrix MQM(m, m);
      for (Index j = 0; j < m; ++j)
        MQM.col(j) = MQ.col(p.var[static_cast<std::size_t>(a[static_cast<std::size_t>(j)])]);
      const Matrix Ve = GinvM * MQM * GinvM.transpose();
      for (Index j = 0; j < m; ++j)
        out.shock_std(t, p.shock[static_cast<std::size_t>(a[static_cast<std::size_t>(j)])]) = std::sqrt(std::max(0.0, Ve(j, j)));
      Matrix P = Matrix::Identity(n, n);
      Matrix Msel = Matrix::Zero(m, n);
      for (Index i = 0; i < m; ++i) Msel(i, p.var[static_cast<std::size_t>(a[static_cast<std::size_t>(i)])]) = 1.0;
      P -= BU * GinvM * Msel;
      V = P * Q * P.transpose();
      for (Index i = 0; i < m; ++i) {  // targeted variables are met exactly
        const Index vi = p.var[static_cast<std::size_t>(a[static_cast<std::size_t>(i)])];
        V.row(vi).setZero();
        V.col(vi).setZero();
      }
    }
    V = 0.5 * (V + V.transpose());
    for (Index i = 0; i < n; ++i) out.std(t + 1, i) = std::sqrt(std::max(0.0, V(i, i)));
  }
  out.lower = out.forecast.paths - z * out.std;
  out.upper = out.forecast.paths + z * out.std;
  out.shock_lower = out.forecast.shocks - z * out.shock_std;
  out.shock_upper = out.forecast.shocks + z * out.shock_std;

  // Simulation as Dynare's imcforecast: each replication solves the controlled shocks for the
  // drawn free shocks, period by period.
  const Index R = bands.draws.empty() ? bands.replic : static_cast<Index>(bands.draws.size());
  out.replic = static_cast<int>(R);
  if (R == 0) return out;
  for (std::size_t b = 0; b < bands.draws.size(); ++b)
    if (bands.draws[b].rows() != T || bands.draws[b].cols() != ne)
      throw DimensionError("conditional forecast bands: draw " + std::to_string(b) + " is " +
                           std::to_string(bands.draws[b].rows()) + " x " + std::to_string(bands.draws[b].cols()) +
                           ", expected periods x n_exo (" + std::to_string(T) + " x " + std::to_string(ne) + ")");
  const Matrix base = baseline_shocks.size() ? baseline_shocks : Matrix(Matrix::Zero(T, ne));
  std::mt19937_64 rng(bands.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<Matrix> paths(static_cast<std::size_t>(R)), shocks(static_cast<std::size_t>(R));
  Matrix zdraw(T, ne);
  for (Index b = 0; b < R; ++b) {
    if (bands.draws.empty()) {
      for (Index t = 0; t < T; ++t)
        for (Index j = 0; j < ne; ++j) zdraw(t, j) = normal(rng);
    } else {
      zdraw = bands.draws[static_cast<std::size_t>(b)];
    }
    const Matrix drawn = base + zdraw * L.transpose();
    ConditionalForecastResult r = conditional_forecast(sol, targets, opts, initial_deviation, drawn);
    if (!r.ok()) {
      out.status = r.status;
      out.message = "conditional forecast bands: replication " + std::to_string(b + 1) + ": " + r.message;
      return out;
    }
    paths[static_cast<std::size_t>(b)] = std::move(r.paths);
    shocks[static_cast<std::size_t>(b)] = std::move(r.shocks);
  }
  auto summarise = [&](const std::vector<Matrix>& draws, Matrix& mean, Matrix& lo, Matrix& hi) {
    const Index rows = draws.front().rows(), cols = draws.front().cols();
    mean = Matrix::Zero(rows, cols);
    lo.resize(rows, cols);
    hi.resize(rows, cols);
    for (const Matrix& d : draws) mean += d;
    mean /= static_cast<double>(R);
    std::vector<double> v(static_cast<std::size_t>(R));
    for (Index i = 0; i < rows; ++i)
      for (Index j = 0; j < cols; ++j) {
        for (Index b = 0; b < R; ++b) v[static_cast<std::size_t>(b)] = draws[static_cast<std::size_t>(b)](i, j);
        const auto band = percentile_band(v, bands.conf_sig);
        lo(i, j) = band.first;
        hi(i, j) = band.second;
      }
  };
  summarise(paths, out.sim_mean, out.sim_lower, out.sim_upper);
  summarise(shocks, out.sim_shock_mean, out.sim_shock_lower, out.sim_shock_upper);
  return out;
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
