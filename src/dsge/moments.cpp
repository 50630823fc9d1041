// Theoretical moments as in Dynare's th_autocovariances.m (order 1, no filtering).
//
// The Lyapunov equation is solved on the state variables only: with x_t = y_t[states],
// x_t = hx x_{t-1} + hu u_t and y_t = ghx x_{t-1} + ghu u_t, so
//   Var(x) = hx Var(x) hx' + hu Sigma hu',  Var(y) = ghx Var(x) ghx' + ghu Sigma ghu',
//   Cov(x_t, y_t) = hx Var(x) ghx' + hu Sigma ghu',  Cov(y_{t+k}, y_t) = ghx hx^{k-1} Cov(x_t, y_t).

#include <govsim/core/error.hpp>
#include <govsim/dsge/detail/solution_access.hpp>
#include <govsim/dsge/moments.hpp>
#include <govsim/numerics/lyapunov.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace govsim::dsge {

void MomentsOptions::validate() const {
  if (max_lag < 0) throw OptionsError("MomentsOptions: max_lag must be >= 0");
  if (!(zero_threshold >= 0.0)) throw OptionsError("MomentsOptions: zero_threshold must be >= 0");
}

std::string MomentsResult::summary() const {
  std::ostringstream os;
  os << "theoretical moments of " << var_names.size() << " variable(s), " << autocorrelation.size()
     << " autocorrelation lag(s)" << (variance_decomposition.size() ? ", variance decomposition" : "")
     << "; status " << to_string(status);
  if (!message.empty()) os << ": " << message;
  return os.str();
}

std::string CovarianceResult::summary() const {
  return std::string("CovarianceResult: ") + to_string(status) + (message.empty() ? "" : ": " + message);
}

std::string ConditionalVarianceDecompositionResult::summary() const {
  std::ostringstream os;
  os << "conditional variance decomposition of " << var_names.size() << " variable(s) at " << horizons.size()
     << " horizon(s); status " << to_string(status);
  if (!message.empty()) os << ": " << message;
  return os.str();
}

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

Matrix rows_of(const Matrix& M, const std::vector<Index>& rows) {
  Matrix out(static_cast<Index>(rows.size()), M.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Index>(i)) = M.row(rows[i]);
  return out;
}

// Elementwise a(i,j) / (s_i s_j), NaN where a standard deviation is zero.
Matrix scale_by_sd(const Matrix& a, const Vector& sd) {
  Matrix out(a.rows(), a.cols());
  for (Index i = 0; i < a.rows(); ++i)
    for (Index j = 0; j < a.cols(); ++j) {
      const double s = sd[i] * sd[j];
      out(i, j) = s > 0.0 ? a(i, j) / s : nan_v;
    }
  return out;
}

}  // namespace

namespace {

// Dynare: roots above 2 - qz_criterium are unit roots.
numerics::LyapunovOptions lyapunov_options(bool project_unit_roots = false) {
  numerics::LyapunovOptions lopts;
  lopts.unit_root_tolerance = 1e-6;
  lopts.project_unit_roots = project_unit_roots;
  return lopts;
}

}  // namespace

CovarianceResult unconditional_covariance(const PerturbationResult& sol, const Matrix& sigma_e,
                                          bool allow_unit_roots) {
  CovarianceResult out;
  if (!sol.ok()) {
    out.status = sol.status;
    out.message = sol.message;
    return out;
  }
  const Index ne = sol.ghu.cols();
  if (sigma_e.size() && (sigma_e.rows() != ne || sigma_e.cols() != ne))
    throw DimensionError("unconditional_covariance: sigma_e is " + std::to_string(sigma_e.rows()) + "x" +
                         std::to_string(sigma_e.cols()) + ", the solution has " + std::to_string(ne) + " shock(s)");
  const Matrix& Sigma = sigma_e.size() ? sigma_e : sol.Sigma_e;
  const Matrix hx = rows_of(sol.ghx, sol.state_indices);
  const Matrix hu = rows_of(sol.ghu, sol.state_indices);
  const Index n = sol.ghx.rows();
  Matrix vx = Matrix::Zero(hx.rows(), hx.rows());
  out.unit_root_vectors = Matrix(hx.rows(), 0);
  if (hx.rows() > 0) {
    const auto ly =
        numerics::solve_discrete_lyapunov(hx, hu * Sigma * hu.transpose(), lyapunov_options(allow_unit_roots));
    if (!ly.ok()) {
      out.status = ly.status;
      out.message = "the covariance of the state variables cannot be computed: " + ly.message;
      return out;
    }
    vx = ly.X;
    out.unit_root_vectors = ly.unit_root_vectors;
  }
  out.state_covariance = vx;
  // Dynare's th_autocovariances: stationary rows have all |ghx u| < schur_vec_tol
  out.stationary.assign(static_cast<std::size_t>(n), true);
  if (out.unit_root_vectors.cols() > 0) {
    const Matrix x = (sol.ghx * out.unit_root_vectors).cwiseAbs();
    for (Index i = 0; i < n; ++i) out.stationary[static_cast<std::size_t>(i)] = (x.row(i).array() < kSchurVecTol).all();
  }
  Matrix c = sol.ghx * vx * sol.ghx.transpose() + sol.ghu * Sigma * sol.ghu.transpose();
  out.covariance = 0.5 * (c + c.transpose());
  for (Index i = 0; i < n; ++i)
    if (!out.stationary[static_cast<std::size_t>(i)]) {
      out.covariance.row(i).setConstant(nan_v);
      out.covariance.col(i).setConstant(nan_v);
    }
  return out;
}

std::vector<Matrix> autocovariances(const PerturbationResult& sol, const Matrix& covariance, Index max_lag) {
  if (max_lag < 0) throw OptionsError("autocovariances: max_lag must be >= 0");
  if (covariance.rows() != sol.A.rows() || covariance.cols() != sol.A.cols())
    throw DimensionError("autocovariances: the covariance does not match the solution's variables");
  std::vector<Matrix> out;
  Matrix g = covariance;
  for (Index k = 1; k <= max_lag; ++k) {
    g = (sol.A * g).eval();
    out.push_back(g);
  }
  return out;
}

MomentsResult theoretical_moments(const PerturbationResult& sol, const MomentsOptions& opts) {
  opts.validate();
  if (auto failed = detail::unusable_or_checked<MomentsResult>(sol, "moments")) return *failed;
  MomentsResult r;
  r.var_names = detail::reported_names(sol, opts.include_auxiliary);
  r.exo_names = sol.exo_names;
  const Index nv = static_cast<Index>(r.var_names.size());
  const Index ne = static_cast<Index>(sol.exo_names.size());
  r.mean = sol.steady_state.head(nv);

  const Matrix hx = rows_of(sol.ghx, sol.state_indices);  // nx x nx
  const Matrix hu = rows_of(sol.ghu, sol.state_indices);  // nx x ne
  const Matrix aa = sol.ghx.topRows(nv);
  const Matrix bb = sol.ghu.topRows(nv);
  const Matrix& Sigma = sol.Sigma_e;

  auto lyap = [&](const Matrix& Q, Matrix& out) -> bool {
    const auto ly = numerics::solve_discrete_lyapunov(hx, Q, lyapunov_options(opts.allow_unit_roots));
    if (!ly.ok()) {
      r.status = ly.status;
      r.message = "the covariance of the state variables cannot be computed: " + ly.message;
      return false;
    }
    out = ly.X;
    return true;
  };

  const CovarianceResult cov = unconditional_covariance(sol, Matrix(), opts.allow_unit_roots);
  if (!cov.ok()) {
    r.status = cov.status;
    r.message = cov.message;
    return r;
  }
  const Matrix& vx = cov.state_covariance;
  r.state_covariance = vx;
  r.stationary.assign(cov.stationary.begin(), cov.stationary.begin() + nv);
  // Dynare leaves the non-stationary variables' entries NaN (rows and columns)
  auto mask = [&](Matrix m, bool square) {
    for (Index i = 0; i < nv; ++i)
      if (!r.stationary[static_cast<std::size_t>(i)]) {
        m.row(i).setConstant(nan_v);
        if (square) m.col(i).setConstant(nan_v);
      }
    return m;
  };

  Matrix gamma0 = cov.covariance.topLeftCorner(nv, nv);
  for (Index i = 0; i < nv; ++i)
    for (Index j = 0; j < nv; ++j)
      if (std::abs(gamma0(i, j)) < opts.zero_threshold) gamma0(i, j) = 0.0;
  r.covariance = gamma0;
  r.std_dev.resize(nv);
  for (Index i = 0; i < nv; ++i) r.std_dev[i] = std::isnan(gamma0(i, i)) ? nan_v : std::sqrt(std::max(gamma0(i, i), 0.0));
  r.correlation = scale_by_sd(gamma0, r.std_dev);

  // Autocorrelations: vxy = Cov(x_t, y_t); Cov(y_{t+k}, y_t) = aa hx^{k-1} vxy.
  Matrix vxy = hx * vx * aa.transpose() + hu * Sigma * bb.transpose();
  for (Index k = 1; k <= opts.max_lag; ++k) {
    r.autocorrelation.push_back(mask(scale_by_sd(aa * vxy, r.std_dev), true));
    vxy = (hx * vxy).eval();
  }

  const bool any_stationary = std::find(r.stationary.begin(), r.stationary.end(), true) != r.stationary.end();
  if (opts.variance_decomposition && ne > 0 && any_stationary) {
    if (ne == 1) {
      r.variance_decomposition = Matrix::Constant(nv, 1, 100.0);  // Dynare: ones(nvar, 1), unmasked
    } else {
      const Matrix cs = detail::covariance_factor(Sigma, 1e-14);
      const Matrix b1 = hu * cs;
      const Matrix b2 = bb * cs;
      Matrix vx_tot;
      if (!lyap(b1 * b1.transpose(), vx_tot)) return r;
      const Vector vv = (aa * vx_tot * aa.transpose() + b2 * b2.transpose()).diagonal();
      r.variance_decomposition.resize(nv, ne);
      for (Index j = 0; j < ne; ++j) {
        Matrix vx1;
        if (!lyap(b1.col(j) * b1.col(j).transpose(), vx1)) return r;
        const Vector vj =
            (aa * vx1 * aa.transpose() + b2.col(j) * b2.col(j).transpose()).diagonal().cwiseAbs();
        for (Index i = 0; i < nv; ++i) r.variance_decomposition(i, j) = vv[i] != 0.0 ? 100.0 * vj[i] / vv[i] : nan_v;
      }
      r.variance_decomposition = mask(r.variance_decomposition, false);
    }
  }
  return r;
}

ConditionalVarianceDecompositionResult conditional_variance_decomposition(const PerturbationResult& sol,
                                                                          const std::vector<Index>& horizons,
                                                                          const MomentsOptions& opts) {
  opts.validate();
  for (Index h : horizons)
    if (h < 1) throw OptionsError("conditional_variance_decomposition: horizons must be >= 1");
  if (auto failed = detail::unusable_or_checked<ConditionalVarianceDecompositionResult>(
          sol, "a conditional variance decomposition")) {
    failed->horizons = horizons;
    return *failed;
  }
  ConditionalVarianceDecompositionResult r;
  r.horizons = horizons;
  r.var_names = detail::reported_names(sol, opts.include_auxiliary);
  r.exo_names = sol.exo_names;
  const Index nv = static_cast<Index>(r.var_names.size());
  const Index ne = static_cast<Index>(sol.exo_names.size());
  const Index n = sol.A.rows();

  // Dynare: sqrt(diag(Sigma)) for a diagonal Sigma_e, chol(Sigma_e + 1e-14 I)' otherwise.
  const Matrix& Sigma = sol.Sigma_e;
  const bool diagonal = ne == 0 || (Sigma - Matrix(Sigma.diagonal().asDiagonal())).cwiseAbs().maxCoeff() == 0.0;
  const Matrix factor = diagonal ? Matrix(Sigma.diagonal().cwiseMax(0.0).cwiseSqrt().asDiagonal())
                                 : detail::covariance_factor(Sigma, 1e-14);
  const Matrix Bf = sol.B * factor;

  Index hmax = 0;
  for (Index h : horizons) hmax = std::max(hmax, h);
  // per-shock variances of every variable at each horizon 1..hmax; only the diagonal is needed,
  // but the recursion V_h = A V_{h-1} A' + b b' needs the full matrix. For one shock V_h = W W'
  // with W = [b, A b, ..., A^{h-1} b], so we propagate the columns instead (O(n^2 h) per shock).
  std::vector<Matrix> var_by_h(static_cast<std::size_t>(hmax), Matrix::Zero(nv, ne));
  for (Index j = 0; j < ne; ++j) {
    Vector col = Bf.col(j);
    Vector acc = Vector::Zero(n);
    for (Index h = 1; h <= hmax; ++h) {
      acc += col.cwiseAbs2();
      var_by_h[static_cast<std::size_t>(h - 1)].col(j) = acc.head(nv);
      col = (sol.A * col).eval();
    }
  }
  for (Index h : horizons) {
    const Matrix& V = var_by_h[static_cast<std::size_t>(h - 1)];
    const Vector total = V.rowwise().sum();
    Matrix d(nv, ne);
    for (Index i = 0; i < nv; ++i)
      for (Index j = 0; j < ne; ++j) d(i, j) = total[i] != 0.0 ? 100.0 * V(i, j) / total[i] : nan_v;
    r.decomposition.push_back(d);
    r.variance.push_back(total);
  }
  return r;
}

}  // namespace govsim::dsge
