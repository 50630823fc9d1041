#pragma once
// Hand-built LinearizedModel instances for the Dynare reference cases (the .mod parser is not
// involved): nk3 (linear, cases/nk3/nk3_model.inc) and rbc (nonlinear, cases/rbc/model.mod,
// Jacobian derived analytically at the steady state), plus helpers to compare with ref.json.

#include "json_reader.hpp"
#include "support.hpp"

#include <govsim/dsge/linearized.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>

namespace govsim::test {

/// nk3 parameters (nk3_model.inc); kappa is derived unless overridden afterwards.
struct Nk3Params {
  double beta = 0.99, sigma = 1.0, varphi = 1.0, theta = 0.75;
  double phi_pi = 1.5, phi_y = 0.125, rho_i = 0.8, rho_d = 0.8, rho_s = 0.5, rho_m = 0.3;
  double sd_d = 1.0, sd_s = 0.5, sd_m = 0.25;
  double kappa() const { return (1 - theta) * (1 - beta * theta) / theta * (sigma + varphi); }
};

/// The 3-equation NK model. Residuals are lhs - rhs of nk3_model.inc.
inline dsge::LinearizedModel nk3_model(const Nk3Params& p = {}) {
  dsge::LinearizedModel m;
  m.endo_names = {"y", "pi", "i", "ud", "us", "um"};
  m.n_declared = 6;
  m.exo_names = {"eps_d", "eps_s", "eps_m"};
  m.param_names = {"beta", "sigma", "varphi", "theta", "kappa", "phi_pi", "phi_y", "rho_i", "rho_d", "rho_s", "rho_m"};
  const double kappa = p.kappa();
  m.params = (Vector(11) << p.beta, p.sigma, p.varphi, p.theta, kappa, p.phi_pi, p.phi_y, p.rho_i, p.rho_d,
              p.rho_s, p.rho_m)
                 .finished();
  m.steady_state = Vector::Zero(6);
  m.lagged = {2, 3, 4, 5};  // i ud us um
  m.leads = {0, 1};         // y pi
  // columns: lag i,ud,us,um (0-3) | current y,pi,i,ud,us,um (4-9) | lead y,pi (10,11) | exo (12-14)
  enum { Li = 0, Lud, Lus, Lum, Cy, Cpi, Ci, Cud, Cus, Cum, Fy, Fpi, Ed, Es, Em };
  Matrix J = Matrix::Zero(6, 15);
  // y = y(+1) - (1/sigma)*(i - pi(+1)) + ud
  J(0, Cy) = 1; J(0, Fy) = -1; J(0, Ci) = 1 / p.sigma; J(0, Fpi) = -1 / p.sigma; J(0, Cud) = -1;
  // pi = beta*pi(+1) + kappa*y + us
  J(1, Cpi) = 1; J(1, Fpi) = -p.beta; J(1, Cy) = -kappa; J(1, Cus) = -1;
  // i = rho_i*i(-1) + (1-rho_i)*(phi_pi*pi + phi_y*y) + um
  J(2, Ci) = 1; J(2, Li) = -p.rho_i; J(2, Cpi) = -(1 - p.rho_i) * p.phi_pi; J(2, Cy) = -(1 - p.rho_i) * p.phi_y;
  J(2, Cum) = -1;
  // AR(1) disturbances
  J(3, Cud) = 1; J(3, Lud) = -p.rho_d; J(3, Ed) = -1;
  J(4, Cus) = 1; J(4, Lus) = -p.rho_s; J(4, Es) = -1;
  J(5, Cum) = 1; J(5, Lum) = -p.rho_m; J(5, Em) = -1;
  m.jacobian = J;
  m.Sigma_e = Vector((Vector(3) << p.sd_d * p.sd_d, p.sd_s * p.sd_s, p.sd_m * p.sd_m).finished()).asDiagonal();
  return m;
}

/// rbc parameters (model.mod).
struct RbcParams {
  double alpha = 0.33, beta = 0.99, delta = 0.025, sigma = 2.0, eta = 1.0, psi = 5.0, rho = 0.95;
  double sd_e = 0.01;
};

/// Steady state of rbc from its steady_state_model block (y c k i l r w z).
inline Vector rbc_steady_state(const RbcParams& p = {}) {
  const double z = 0;
  const double r = 1 / p.beta - 1 + p.delta;
  const double kl = std::pow(p.alpha / r, 1 / (1 - p.alpha));
  const double w = (1 - p.alpha) * std::pow(kl, p.alpha);
  const double cl = std::pow(kl, p.alpha) - p.delta * kl;
  const double l = std::pow(w * std::pow(cl, -p.sigma) / p.psi, 1 / (p.eta + p.sigma));
  const double k = kl * l;
  const double y = std::pow(kl, p.alpha) * l;
  const double i = p.delta * k;
  const double c = cl * l;
  return (Vector(8) << y, c, k, i, l, r, w, z).finished();
}

/// The RBC model's Jacobian at a given point (the steady state by default), derived by hand.
inline dsge::LinearizedModel rbc_model(const RbcParams& p = {}, std::optional<Vector> point = std::nullopt) {
  dsge::LinearizedModel m;
  m.endo_names = {"y", "c", "k", "i", "l", "r", "w", "z"};
  m.n_declared = 8;
  m.exo_names = {"e"};
  m.param_names = {"alpha", "beta", "delta", "sigma", "eta", "psi", "rho"};
  m.params = (Vector(7) << p.alpha, p.beta, p.delta, p.sigma, p.eta, p.psi, p.rho).finished();
  const Vector ss = point ? *point : rbc_steady_state(p);
  m.steady_state = ss;
  const double y = ss[0], c = ss[1], k = ss[2], l = ss[4], r = ss[5], w = ss[6], z = ss[7];
  m.lagged = {2, 7};  // k z
  m.leads = {1, 5};   // c r
  // columns: lag k,z (0,1) | current y c k i l r w z (2-9) | lead c, r (10, 11) | exo e (12)
  enum { Lk = 0, Lz, Cy, Cc, Ck, Ci, Cl, Cr, Cw, Cz, Fc, Fr, Ee };
  const double a = p.alpha, s = p.sigma;
  Matrix J = Matrix::Zero(8, 13);
  // c^(-sigma) - beta*c(+1)^(-sigma)*(r(+1) + 1 - delta), evaluated with c(+1) = c, r(+1) = r
  J(0, Cc) = -s * std::pow(c, -s - 1);
  J(0, Fc) = p.beta * s * std::pow(c, -s - 1) * (r + 1 - p.delta);
  J(0, Fr) = -p.beta * std::pow(c, -s);
  // psi*l^eta - w*c^(-sigma)
  J(1, Cl) = p.psi * p.eta * std::pow(l, p.eta - 1);
  J(1, Cw) = -std::pow(c, -s);
  J(1, Cc) = w * s * std::pow(c, -s - 1);
  // y - exp(z)*k(-1)^alpha*l^(1-alpha)
  const double prod = std::exp(z) * std::pow(k, a) * std::pow(l, 1 - a);
  J(2, Cy) = 1;
  J(2, Cz) = -prod;
  J(2, Lk) = -a * prod / k;
  J(2, Cl) = -(1 - a) * prod / l;
  // r - alpha*y/k(-1)
  J(3, Cr) = 1;
  J(3, Cy) = -a / k;
  J(3, Lk) = a * y / (k * k);
  // w - (1-alpha)*y/l
  J(4, Cw) = 1;
  J(4, Cy) = -(1 - a) / l;
  J(4, Cl) = (1 - a) * y / (l * l);
  // k - (1-delta)*k(-1) - i
  J(5, Ck) = 1;
  J(5, Lk) = -(1 - p.delta);
  J(5, Ci) = -1;
  // y - c - i
  J(6, Cy) = 1;
  J(6, Cc) = -1;
  J(6, Ci) = -1;
  // z - rho*z(-1) - e
  J(7, Cz) = 1;
  J(7, Lz) = -p.rho;
  J(7, Ee) = -1;
  m.jacobian = J;
  m.Sigma_e = Matrix::Constant(1, 1, p.sd_e * p.sd_e);
  return m;
}

/// Residuals of the RBC model (lhs - rhs) at (y_{t+1}, y_t, y_{t-1}, e); used to check the
/// hand-derived Jacobian by finite differences.
inline Vector rbc_residuals(const RbcParams& p, const Vector& lead, const Vector& cur, const Vector& lag, double e) {
  const double a = p.alpha, s = p.sigma;
  Vector f(8);
  f[0] = std::pow(cur[1], -s) - p.beta * std::pow(lead[1], -s) * (lead[5] + 1 - p.delta);
  f[1] = p.psi * std::pow(cur[4], p.eta) - cur[6] * std::pow(cur[1], -s);
  f[2] = cur[0] - std::exp(cur[7]) * std::pow(lag[2], a) * std::pow(cur[4], 1 - a);
  f[3] = cur[5] - a * cur[0] / lag[2];
  f[4] = cur[6] - (1 - a) * cur[0] / cur[4];
  f[5] = cur[2] - (1 - p.delta) * lag[2] - cur[3];
  f[6] = cur[0] - cur[1] - cur[3];
  f[7] = cur[7] - p.rho * lag[7] - e;
  return f;
}

/// Path of a reference case, or nullopt (with a WARN) when ../shared is absent.
inline std::optional<std::filesystem::path> reference_case(const std::string& name) {
  auto dir = shared_dir();
  if (!dir) {
    WARN("../shared not found: skipping the Dynare comparison for " << name);
    return std::nullopt;
  }
  auto p = *dir / "reference" / "dynare" / "cases" / name / "ref.json";
  if (!std::filesystem::exists(p)) {
    WARN(p.string() << " not found: skipping the Dynare comparison for " << name);
    return std::nullopt;
  }
  return p;
}

/// max over entries of |a - b| / max(1e-10 / 1e-8, |b|), i.e. <= 1e-8 means every entry agrees to
/// 1e-8 relative or 1e-10 absolute.
inline double scaled_deviation(const Matrix& a, const Matrix& b) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  double worst = 0.0;
  for (Index i = 0; i < a.rows(); ++i)
    for (Index j = 0; j < a.cols(); ++j) {
      const double d = std::abs(a(i, j) - b(i, j));
      const double scale = std::max(Tol::tight / Tol::relative, std::abs(b(i, j)));
      worst = std::max(worst, d / scale);
    }
  return worst;
}

inline double max_abs_deviation(const Matrix& a, const Matrix& b) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  return a.size() == 0 ? 0.0 : (a - b).cwiseAbs().maxCoeff();
}

}  // namespace govsim::test
