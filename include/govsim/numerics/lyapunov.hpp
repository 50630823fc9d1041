#pragma once
/// \file lyapunov.hpp
/// Discrete Lyapunov equation `X = A X A' + B`: the unconditional covariance of the stable
/// VAR(1) `x_t = A x_{t-1} + e_t` with `Var(e_t) = B`.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>

#include <string>

namespace govsim::numerics {

/// Algorithm used by solve_discrete_lyapunov().
enum class LyapunovMethod {
  BartelsStewart,  ///< real Schur form of A, then block back substitution (exact, O(n^3))
  Doubling         ///< X_{k+1} = X_k + A_k X_k A_k', A_{k+1} = A_k^2 (iterative)
};

/// Options of solve_discrete_lyapunov().
struct LyapunovOptions {
  LyapunovMethod method = LyapunovMethod::BartelsStewart;  ///< algorithm
  /// A root with |lambda| >= 1 - unit_root_tolerance makes the problem ill-posed (unit or
  /// explosive root: no stationary covariance); reported as Status::Singular.
  double unit_root_tolerance = 1e-6;
  /// Doubling: stop when max |A_k X_k A_k'| <= tolerance * max(1, max |X_k|).
  double tolerance = 1e-15;
  int max_iterations = 100;  ///< Doubling: maximum number of doublings
  bool symmetrize = true;    ///< return (X + X')/2 (B is then assumed symmetric)
  /// Bartels-Stewart only. When A has roots of modulus >= 1 - unit_root_tolerance, solve on the
  /// complement of their invariant subspace instead of failing, as Dynare's `lyapunov_symm`
  /// does: with the ordered real Schur form A = U T U' (those roots first, U = [U1 U2]),
  /// X = U2 Y U2' where Y = T22 Y T22' + U2' B U2. The result is Success and `unit_root_vectors`
  /// holds U1; X is then the covariance of the stationary combinations of the variables (the
  /// rows r with r U1 = 0). Without such roots the result is the ordinary solution.
  bool project_unit_roots = false;

  /// Throws OptionsError on negative tolerances or max_iterations < 1.
  void validate() const;
};

/// Result of solve_discrete_lyapunov().
struct LyapunovResult {
  Matrix X;                     ///< the solution (empty when status is not Success)
  double spectral_radius = 0.0; ///< max |eigenvalue of A|
  int iterations = 0;           ///< doublings performed (0 for Bartels-Stewart)
  double residual = 0.0;        ///< max |X - A X A' - B|
  /// With LyapunovOptions::project_unit_roots: orthonormal basis U1 of the invariant subspace of
  /// the roots of modulus >= 1 - unit_root_tolerance (Dynare's `u`), n x k; n x 0 without them.
  Matrix unit_root_vectors;
  Status status = Status::Success;  ///< Success, Singular (unit/explosive root), MaxIterations, NumericalIssue
  std::string message;          ///< diagnostic, empty on success

  /// True when status is Success.
  bool ok() const { return status == Status::Success; }
  /// One-line description.
  std::string summary() const;
};

/// Solve the discrete Lyapunov equation `X = A X A' + B`.
///
/// \param A square transition matrix; all its eigenvalues must lie inside the unit circle
/// \param B square right-hand side of the same size (a covariance in the usual use)
/// \param opts method and tolerances
/// \return X and diagnostics; unit or explosive roots give Status::Singular with the moduli in
///         the message, non-convergence of doubling Status::MaxIterations.
/// \throws DimensionError if A and B are not square of the same size
/// \throws OptionsError if the options are invalid
///
/// \code
/// auto r = govsim::numerics::solve_discrete_lyapunov(A, B * Sigma * B.transpose());
/// if (r.ok()) Matrix cov = r.X;
/// \endcode
LyapunovResult solve_discrete_lyapunov(const Eigen::Ref<const Matrix>& A,
                                       const Eigen::Ref<const Matrix>& B,
                                       const LyapunovOptions& opts = {});

}  // namespace govsim::numerics
