#pragma once
/// \file dynamic_leontief.hpp
/// \brief Dynamic Leontief model `x = A x + B dx/dt + f` (Leontief 1970; Miller and Blair ch. 13).
///
/// B holds capital coefficients: b_ij is the stock of good i that sector j must hold per unit of
/// its output, so `B dx/dt` is the investment demand needed to expand output. When B is
/// invertible the model is the explicit ODE `dx/dt = B⁻¹ ((I − A) x − f(t))`, integrated here with
/// Boost.Odeint (adaptive Dormand-Prince 5(4), dense output at the requested times). When B is
/// singular (typically: sectors that hold no capital, giving zero rows) the model is a
/// differential-algebraic system with no explicit form; it is reported as Status::Singular with
/// the reciprocal condition number, never integrated. Note that the balanced solutions of the
/// forward model are generally unstable (the "dual stability" problem): paths that start off the
/// equilibrium diverge at the rates given by the eigenvalues of `B⁻¹ (I − A)`, which are reported.
///
/// \code
/// auto r = govsim::io::dynamic_leontief(A, B, x0, f, {0, 1, 2, 5});
/// if (!r.ok()) std::cerr << r.message;
/// \endcode

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>

#include <functional>
#include <string>
#include <vector>

namespace govsim::io {

/// Options of the dynamic Leontief integration.
struct DynamicLeontiefOptions {
  double abs_tol = 1e-10;        ///< ODE absolute tolerance
  double rel_tol = 1e-10;        ///< ODE relative tolerance
  double singular_rcond = 1e-12; ///< reciprocal condition of B below which the model is ill posed
  /// Time-varying final demand f(t); when set it replaces the constant f.
  std::function<Vector(double)> final_demand_path;
  /// Progress after each requested time; return false to stop.
  std::function<bool(const IterationInfo&)> on_iteration;
  /// \throws OptionsError on non-positive tolerances
  void validate() const;
};

/// Output paths and diagnostics.
struct DynamicLeontiefResult {
  std::vector<double> times;     ///< requested times
  Matrix output;                 ///< times x sectors: x(t)
  Vector equilibrium;            ///< static solution (I − A)⁻¹ f for the (final) demand
  ComplexVector growth_rates;    ///< eigenvalues of B⁻¹ (I − A) (rates of deviation from equilibrium)
  double rcond = 0.0;            ///< reciprocal condition number estimate of B
  Status status = Status::Success;
  std::string message;
  int iterations = 0;            ///< right-hand-side evaluations
  bool ok() const noexcept { return status == Status::Success; }
  std::string summary() const;
};

/// Integrate the dynamic Leontief model from x(times.front()) = x0.
/// \param A technical coefficients (n x n)
/// \param B capital coefficients (n x n)
/// \param x0 initial output
/// \param f constant final demand (ignored when opts.final_demand_path is set)
/// \param times increasing times
/// \return paths; status Singular (with the reason) when B is singular or ill conditioned
/// \throws DimensionError on sizes; OptionsError from opts
DynamicLeontiefResult dynamic_leontief(const Eigen::Ref<const Matrix>& A, const Eigen::Ref<const Matrix>& B,
                                       const Eigen::Ref<const Vector>& x0, const Eigen::Ref<const Vector>& f,
                                       const std::vector<double>& times, const DynamicLeontiefOptions& opts = {});

}  // namespace govsim::io
