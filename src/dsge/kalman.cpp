// Kalman filter (Dynare's conventions), Durbin-Koopman smoother and shock decomposition.
#include <govsim/core/error.hpp>
#include <govsim/dsge/kalman.hpp>
#include <govsim/numerics/lyapunov.hpp>

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace govsim::dsge {

namespace {
constexpr double kLog2Pi = 1.8378770664093454835606594728112;
}

StateSpace make_state_space(const PerturbationResult& sol, const Names& varobs) {
  if (!sol.ok()) throw SolveError("make_state_space: the solution failed: " + sol.message);
  if (varobs.empty()) throw ModelError("make_state_space: no observed variables (varobs)");
  const Index n = static_cast<Index>(sol.endo_names.size());
  std::vector<Index> obs_endo;
  for (const auto& v : varobs) {
    auto it = std::find(sol.endo_names.begin(), sol.endo_names.end(), v);
    if (it == sol.endo_names.end()) throw ModelError("varobs: '" + v + "' is not an endogenous variable");
    obs_endo.push_back(static_cast<Index>(it - sol.endo_names.begin()));
  }
  std::vector<char> keep(static_cast<std::size_t>(n), 0);
  for (Index s : sol.state_indices) keep[static_cast<std::size_t>(s)] = 1;
  for (Index o : obs_endo) keep[static_cast<std::size_t>(o)] = 1;
  StateSpace ss;
  std::vector<Index> pos(static_cast<std::size_t>(n), -1);
  for (Index i = 0; i < n; ++i)
    if (keep[static_cast<std::size_t>(i)]) {
      pos[static_cast<std::size_t>(i)] = static_cast<Index>(ss.endo_rows.size());
      ss.endo_rows.push_back(i);
      ss.state_names.push_back(sol.endo_names[static_cast<std::size_t>(i)]);
    }
  const Index m = static_cast<Index>(ss.endo_rows.size());
  ss.T = Matrix::Zero(m, m);
  ss.R = Matrix(m, sol.ghu.cols());
  for (Index r = 0; r < m; ++r) {
    Index i = ss.endo_rows[static_cast<std::size_t>(r)];
    for (std::size_t c = 0; c < sol.state_indices.size(); ++c)
      ss.T(r, pos[static_cast<std::size_t>(sol.state_indices[c])]) = sol.ghx(i, static_cast<Index>(c));
    ss.R.row(r) = sol.ghu.row(i);
  }
  ss.Q = sol.Sigma_e;
  ss.obs_names = varobs;
  ss.obs_constant.resize(static_cast<Index>(obs_endo.size()));
  for (std::size_t k = 0; k < obs_endo.size(); ++k) {
    ss.obs_rows.push_back(pos[static_cast<std::size_t>(obs_endo[k])]);
    ss.obs_constant(static_cast<Index>(k)) = sol.steady_state(obs_endo[k]);
  }
  ss.exo_names = sol.exo_names;
  return ss;
}

void KalmanOptions::validate() const {
  if (lik_init != 1) throw OptionsError("Kalman filter: only lik_init=1 (stationary initial covariance) is supported");
  if (presample < 0) throw OptionsError("Kalman filter: presample must be >= 0");
  if (!(riccati_tol >= 0)) throw OptionsError("Kalman filter: riccati_tol must be >= 0");
  if (!(kalman_tol >= 0)) throw OptionsError("Kalman filter: kalman_tol must be >= 0");
}

std::string KalmanResult::summary() const {
  std::ostringstream o;
  o << "KalmanResult: " << to_string(status) << ", log-likelihood " << log_likelihood << " (" << n_observations
    << " observations)";
  if (!message.empty()) o << ": " << message;
  return o.str();
}

std::string SmootherResult::summary() const {
  std::ostringstream o;
  o << "SmootherResult: " << to_string(status) << ", " << states.rows() << " periods";
  if (!message.empty()) o << ": " << message;
  return o.str();
}

namespace {

// Per-period quantities the smoother needs.
struct Step {
  std::vector<Index> obs;  // observed rows of alpha (indices into ss.obs_rows order)
  Vector v;                // innovation
  Matrix iF;               // F^{-1}
  Matrix K;                // P Z' F^{-1} (m x p)
  Vector a;                // a_{t|t-1}
  Matrix P;                // P_{t|t-1}
};

}  // namespace

void check_data(const Matrix& data, Index presample, const std::string& who) {
  for (Index j = 0; j < data.cols(); ++j)
    for (Index t = 0; t < data.rows(); ++t)
      if (std::isinf(data(t, j)))
        throw DataError(who + ": infinite value in the data (row " + std::to_string(t + 1) + ", column " +
                        std::to_string(j + 1) + "); use NaN for a missing observation");
  if (presample >= data.rows())
    throw DataError(who + ": presample=" + std::to_string(presample) + " leaves no observation in the " +
                    std::to_string(data.rows()) + " periods of the data");
}

namespace {

KalmanResult run_filter(const StateSpace& ss, const Matrix& data, const KalmanOptions& opts, std::vector<Step>* steps) {
  opts.validate();
  const Index p = static_cast<Index>(ss.obs_rows.size());
  if (data.cols() != p)
    throw DimensionError("Kalman filter: data have " + std::to_string(data.cols()) + " columns for " +
                         std::to_string(p) + " observed variables");
  const Index m = ss.T.rows(), nT = data.rows();
  check_data(data, opts.presample, "Kalman filter");
  KalmanResult res;
  res.contributions = Vector::Zero(nT);
  Matrix RQR = ss.R * ss.Q * ss.R.transpose();
  auto ly = numerics::solve_discrete_lyapunov(ss.T, RQR);
  if (!ly.ok()) {
    res.status = Status::Singular;
    res.message = "no stationary initial covariance (lik_init=1): " + ly.message;
    res.log_likelihood = -std::numeric_limits<double>::infinity();
    return res;
  }
  // The transition only reads the state variables: T has zero columns for the other rows of
  // alpha (observed non-states). Restricting T P T' to the non-zero columns (Ts = T(:, cols))
  // saves about half of the work per period on medium-sized models (20 of 27 columns for
  // sw_scale) and changes nothing else.
  std::vector<Index> cols;
  for (Index j = 0; j < m; ++j)
    if (!ss.T.col(j).isZero(0.0)) cols.push_back(j);
  const Matrix Ts = ss.T(Eigen::all, cols);
  Vector a = Vector::Zero(m);
  Matrix P = ly.X;
  bool steady = false;
  Matrix Kss, iFss;
  double logdet_ss = 0;
  Matrix Kold;
  std::vector<Index> all(static_cast<std::size_t>(p));
  for (Index k = 0; k < p; ++k) all[static_cast<std::size_t>(k)] = k;
  if (steps) steps->resize(static_cast<std::size_t>(nT));
  double total = 0;
  for (Index t = 0; t < nT; ++t) {
    std::vector<Index> obs;
    for (Index k = 0; k < p; ++k)
      if (!std::isnan(data(t, k))) obs.push_back(k);
    const Index pt = static_cast<Index>(obs.size());
    const bool full = pt == p;
    if (steady && !full) steady = false;  // P is kept at its converged value
    if (steps) {
      (*steps)[static_cast<std::size_t>(t)].a = a;
      (*steps)[static_cast<std::size_t>(t)].P = P;
      (*steps)[static_cast<std::size_t>(t)].obs = obs;
    }
    if (pt == 0) {
      a = Ts * a(cols);
      P = Ts * P(cols, cols) * Ts.transpose() + RQR;
      continue;
    }
    Vector v(pt);
    for (Index k = 0; k < pt; ++k) {
      Index j = obs[static_cast<std::size_t>(k)];
      v(k) = data(t, j) - ss.obs_constant(j) - a(ss.obs_rows[static_cast<std::size_t>(j)]);
    }
    double lik;
    if (steady) {
      lik = logdet_ss + v.dot(iFss * v);
      if (steps) {
        (*steps)[static_cast<std::size_t>(t)].v = v;
        (*steps)[static_cast<std::size_t>(t)].iF = iFss;
        (*steps)[static_cast<std::size_t>(t)].K = Kss;
      }
      a = Ts * (a + Kss * v)(cols);
    } else {
      Matrix PZ(m, pt);  // P Z'
      for (Index k = 0; k < pt; ++k) PZ.col(k) = P.col(ss.obs_rows[static_cast<std::size_t>(obs[static_cast<std::size_t>(k)])]);
      Matrix F(pt, pt);
      for (Index k = 0; k < pt; ++k) F.row(k) = PZ.row(ss.obs_rows[static_cast<std::size_t>(obs[static_cast<std::size_t>(k)])]);
      F = 0.5 * (F + F.transpose()).eval();
      Eigen::LLT<Matrix> llt(F);
      if (llt.info() != Eigen::Success || !(llt.rcond() >= opts.kalman_tol)) {
        res.status = Status::Singular;
        res.message = "period " + std::to_string(t + 1) + ": the forecast-error covariance F is singular";
        res.log_likelihood = -std::numeric_limits<double>::infinity();
        return res;
      }
      double logdet = 0;
      for (Index k = 0; k < pt; ++k) logdet += 2.0 * std::log(llt.matrixL()(k, k));
      Matrix iF = llt.solve(Matrix::Identity(pt, pt));
      Matrix K = PZ * iF;
      lik = logdet + v.dot(iF * v);
      if (steps) {
        (*steps)[static_cast<std::size_t>(t)].v = v;
        (*steps)[static_cast<std::size_t>(t)].iF = iF;
        (*steps)[static_cast<std::size_t>(t)].K = K;
      }
      a = Ts * (a + K * v)(cols);
      const Matrix Pu = P(cols, cols) - K(cols, Eigen::all) * PZ(cols, Eigen::all).transpose();
      P.noalias() = Ts * Pu * Ts.transpose();
      P += RQR;
      P = 0.5 * (P + P.transpose()).eval();
      if (full && opts.riccati_tol > 0) {
        if (Kold.size() == K.size() && (K - Kold).cwiseAbs().maxCoeff() <= opts.riccati_tol) {
          steady = true;
          Kss = K;
          iFss = iF;
          logdet_ss = logdet;
          if (res.steady_state_from < 0) res.steady_state_from = t + 1;
        }
        Kold = K;
      } else {
        Kold.resize(0, 0);
      }
    }
    double c = -0.5 * (static_cast<double>(pt) * kLog2Pi + lik);
    if (t >= opts.presample) {
      res.contributions(t) = c;
      total += c;
      res.n_observations += pt;
    }
  }
  res.log_likelihood = total;
  if (!std::isfinite(total)) {
    res.status = Status::NumericalIssue;
    res.message = "non-finite log-likelihood";
  }
  if (opts.store_filtered && steps) {
    for (const auto& s : *steps) {
      res.a_pred.push_back(s.a);
      res.P_pred.push_back(s.P);
    }
  }
  return res;
}

}  // namespace

KalmanResult kalman_filter(const StateSpace& ss, const Matrix& data, const KalmanOptions& opts) {
  if (opts.store_filtered) {
    std::vector<Step> steps;
    return run_filter(ss, data, opts, &steps);
  }
  return run_filter(ss, data, opts, nullptr);
}

SmootherResult kalman_smoother(const StateSpace& ss, const Matrix& data, const KalmanOptions& opts) {
  std::vector<Step> steps;
  KalmanOptions o = opts;
  o.riccati_tol = 0;  // keep the exact P_t for the smoother
  o.presample = 0;
  KalmanResult f = run_filter(ss, data, o, &steps);
  SmootherResult out;
  out.state_names = ss.state_names;
  out.exo_names = ss.exo_names;
  out.log_likelihood = f.log_likelihood;
  out.status = f.status;
  out.message = f.message;
  if (!f.ok()) return out;
  const Index m = ss.T.rows(), nT = data.rows(), ne = ss.R.cols();
  out.states.resize(nT, m);
  out.shocks.resize(nT, ne);
  out.filtered_states.resize(nT, m);
  Vector r = Vector::Zero(m);  // r_t
  Matrix QR = ss.Q * ss.R.transpose();
  for (Index t = nT - 1; t >= 0; --t) {
    const Step& s = steps[static_cast<std::size_t>(t)];
    // shock of period t+1 enters alpha_{t+1}: e_{t+1} = Q R' r_t
    if (t + 1 < nT) out.shocks.row(t + 1) = (QR * r).transpose();
    const Index pt = static_cast<Index>(s.obs.size());
    Vector rnew;
    if (pt == 0) {
      rnew = ss.T.transpose() * r;
      out.filtered_states.row(t) = s.a.transpose();
    } else {
      // L = T (I - K Z); r_{t-1} = Z' iF v + L' r_t
      Matrix IKZ = Matrix::Identity(m, m);
      for (Index k = 0; k < pt; ++k)
        IKZ.col(ss.obs_rows[static_cast<std::size_t>(s.obs[static_cast<std::size_t>(k)])]) -= s.K.col(k);
      rnew = IKZ.transpose() * (ss.T.transpose() * r);
      Vector zv = s.iF * s.v;
      for (Index k = 0; k < pt; ++k) rnew(ss.obs_rows[static_cast<std::size_t>(s.obs[static_cast<std::size_t>(k)])]) += zv(k);
      out.filtered_states.row(t) = (s.a + s.K * s.v).transpose();
    }
    out.states.row(t) = (s.a + s.P * rnew).transpose();
    r = rnew;
  }
  out.shocks.row(0) = (QR * r).transpose();
  return out;
}

ShockDecomposition shock_decomposition(const StateSpace& ss, const SmootherResult& sm) {
  ShockDecomposition d;
  d.var_names = ss.state_names;
  d.components = ss.exo_names;
  d.components.push_back("initial");
  const Index nT = sm.states.rows(), m = ss.T.rows(), ne = ss.R.cols();
  if (sm.states.cols() != m || sm.shocks.cols() != ne) throw DimensionError("shock_decomposition: smoother output does not match the state space");
  Matrix prev = Matrix::Zero(m, ne);
  for (Index t = 0; t < nT; ++t) {
    Matrix c(m, ne + 1);
    Matrix cur = ss.T * prev;
    for (Index j = 0; j < ne; ++j) cur.col(j) += ss.R.col(j) * sm.shocks(t, j);
    c.leftCols(ne) = cur;
    c.col(ne) = sm.states.row(t).transpose() - cur.rowwise().sum();
    d.contributions.push_back(c);
    prev = cur;
  }
  return d;
}

}  // namespace govsim::dsge
