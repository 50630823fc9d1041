// Dynare's priors from mean and standard deviation.
#include <govsim/core/error.hpp>
#include <govsim/dsge/priors.hpp>

#include <cmath>
#include <limits>
#include <sstream>

namespace govsim::dsge {

const char* to_string(PriorShape s) noexcept {
  switch (s) {
    case PriorShape::None: return "";
    case PriorShape::Normal: return "normal_pdf";
    case PriorShape::Beta: return "beta_pdf";
    case PriorShape::Gamma: return "gamma_pdf";
    case PriorShape::InvGamma: return "inv_gamma_pdf";
    case PriorShape::Uniform: return "uniform_pdf";
  }
  return "";
}

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// Mean of Dynare's inverse gamma type 1 for given (s, nu) divided by sqrt(s): used to solve nu.
double ig1_log_mean(double nu, double m2s2) {
  // s = (sigma^2 + mu^2) (nu - 2); mean = sqrt(s/2) Gamma((nu-1)/2) / Gamma(nu/2)
  double s = m2s2 * (nu - 2.0);
  return 0.5 * std::log(s / 2.0) + std::lgamma((nu - 1.0) / 2.0) - std::lgamma(nu / 2.0);
}
}  // namespace

Prior Prior::make(const std::string& shape, double mean, double sd, double p3, double p4) {
  Prior p;
  p.mean = mean;
  p.std = sd;
  if (shape.empty()) return p;
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) throw OptionsError("prior " + shape + "(mean=" + std::to_string(mean) + ", std=" + std::to_string(sd) +
                                "): " + what);
  };
  if (shape != "uniform_pdf") need(std::isfinite(mean) && std::isfinite(sd) && sd > 0, "mean and a positive std are required");
  if (shape == "normal_pdf") {
    p.shape = PriorShape::Normal;
    p.a = mean;
    p.b = sd;
    p.lower = -kInf;
    p.upper = kInf;
  } else if (shape == "beta_pdf") {
    p.shape = PriorShape::Beta;
    p.lower = std::isnan(p3) ? 0.0 : p3;
    p.upper = std::isnan(p4) ? 1.0 : p4;
    need(p.upper > p.lower, "p4 must exceed p3");
    double len = p.upper - p.lower;
    double mu = (mean - p.lower) / len, s = sd / len;
    need(mu > 0 && mu < 1, "the mean must lie inside the support");
    double k = mu * (1 - mu) / (s * s) - 1.0;
    need(k > 0, "the standard deviation is too large for a beta distribution");
    p.a = mu * k;
    p.b = (1 - mu) * k;
  } else if (shape == "gamma_pdf") {
    p.shape = PriorShape::Gamma;
    p.lower = std::isnan(p3) ? 0.0 : p3;
    p.upper = kInf;
    double mu = mean - p.lower;
    need(mu > 0, "the mean must exceed the lower bound");
    p.a = mu * mu / (sd * sd);
    p.b = sd * sd / mu;
  } else if (shape == "inv_gamma_pdf" || shape == "inv_gamma1_pdf") {
    p.shape = PriorShape::InvGamma;
    p.lower = std::isnan(p3) ? 0.0 : p3;
    p.upper = kInf;
    double mu = mean - p.lower;
    need(mu > 0, "the mean must exceed the lower bound");
    double m2s2 = sd * sd + mu * mu;
    double target = std::log(mu);
    // mean(nu) increases from 0 (nu -> 2) to sqrt(sigma^2 + mu^2) (nu -> inf): bisection on log(nu - 2)
    double lo = std::log(1e-12), hi = std::log(1e9);
    for (int it = 0; it < 400; ++it) {
      double mid = 0.5 * (lo + hi);
      if (ig1_log_mean(2.0 + std::exp(mid), m2s2) < target) lo = mid; else hi = mid;
      if (hi - lo < 1e-15) break;
    }
    double nu = 2.0 + std::exp(0.5 * (lo + hi));
    p.b = nu;
    p.a = m2s2 * (nu - 2.0);
  } else if (shape == "uniform_pdf") {
    p.shape = PriorShape::Uniform;
    if (std::isfinite(p3) && std::isfinite(p4)) {
      p.lower = p3;
      p.upper = p4;
    } else {
      need(std::isfinite(mean) && std::isfinite(sd) && sd > 0, "give [p3, p4] or a mean and a positive std");
      p.lower = mean - std::sqrt(3.0) * sd;
      p.upper = mean + std::sqrt(3.0) * sd;
    }
    need(p.upper > p.lower, "empty support");
    p.mean = 0.5 * (p.lower + p.upper);
    p.std = (p.upper - p.lower) / std::sqrt(12.0);
  } else {
    throw OptionsError("unknown prior shape '" + shape +
                       "' (normal_pdf, beta_pdf, gamma_pdf, inv_gamma_pdf, uniform_pdf)");
  }
  return p;
}

double Prior::log_pdf(double x) const {
  constexpr double kLogSqrt2Pi = 0.91893853320467274178;
  if (shape == PriorShape::None) return 0.0;
  if (!std::isfinite(x)) return -kInf;
  switch (shape) {
    case PriorShape::Normal: {
      double z = (x - a) / b;
      return -0.5 * z * z - std::log(b) - kLogSqrt2Pi;
    }
    case PriorShape::Beta: {
      if (x <= lower || x >= upper) return -kInf;
      double len = upper - lower, y = (x - lower) / len;
      return (a - 1) * std::log(y) + (b - 1) * std::log1p(-y) - (std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b)) -
             std::log(len);
    }
    case PriorShape::Gamma: {
      if (x <= lower) return -kInf;
      double y = x - lower;
      return (a - 1) * std::log(y) - y / b - std::lgamma(a) - a * std::log(b);
    }
    case PriorShape::InvGamma: {
      if (x <= lower) return -kInf;
      double y = x - lower, nu = b, s = a;
      return std::log(2.0) - std::lgamma(nu / 2) - (nu / 2) * std::log(2.0 / s) - (nu + 1) * std::log(y) -
             0.5 * s / (y * y);
    }
    case PriorShape::Uniform:
      return (x < lower || x > upper) ? -kInf : -std::log(upper - lower);
    default: return 0.0;
  }
}

std::string Prior::summary() const {
  if (shape == PriorShape::None) return "flat";
  std::ostringstream o;
  o << to_string(shape) << "(mean=" << mean << ", std=" << std << ")";
  return o.str();
}

}  // namespace govsim::dsge
