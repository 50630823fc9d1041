#pragma once
/// \file priors.hpp
/// Dynare's prior densities, parameterized by mean and standard deviation as in
/// `estimated_params` (normal, beta, gamma, inverse gamma type 1, uniform).

#include <string>

namespace govsim::dsge {

/// Prior family.
enum class PriorShape {
  None,      ///< flat (maximum likelihood)
  Normal,    ///< normal_pdf: mean, std
  Beta,      ///< beta_pdf: mean, std on [p3, p4] (default [0, 1])
  Gamma,     ///< gamma_pdf: mean, std, shifted by p3 (default 0)
  InvGamma,  ///< inv_gamma_pdf (Dynare's type 1, density of a standard deviation): mean, std, shift p3
  Uniform    ///< uniform_pdf: [p3, p4], or mean -/+ sqrt(3) std
};

/// Name as in .mod files ("normal_pdf", ...; "" for None).
const char* to_string(PriorShape s) noexcept;

/// A prior density with its hyperparameters computed from mean and standard deviation.
struct Prior {
  PriorShape shape = PriorShape::None;  ///< family
  double mean = 0.0;     ///< prior mean
  double std = 0.0;      ///< prior standard deviation
  double lower = -1e300; ///< support lower end
  double upper = 1e300;  ///< support upper end
  double a = 0.0;        ///< first hyperparameter (beta alpha, gamma shape k, inv-gamma s, normal mean)
  double b = 0.0;        ///< second hyperparameter (beta beta, gamma scale, inv-gamma nu, normal std)

  /// Build from a .mod shape name and Dynare's mean/std/p3/p4 (NaN = not given).
  /// Throws OptionsError for an unknown shape or impossible moments (e.g. beta std too large).
  static Prior make(const std::string& shape, double mean, double std, double p3, double p4);

  /// Log density at x (-Inf outside the support; 0 for None).
  double log_pdf(double x) const;

  /// "beta_pdf(mean=0.5, std=0.2)".
  std::string summary() const;
};

}  // namespace govsim::dsge
