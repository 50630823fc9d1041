#pragma once
/// \file qz.hpp
/// Real generalized Schur (QZ) decomposition of a matrix pencil, with the stable generalized
/// eigenvalues moved to the top-left (LAPACK `dgges` with a selection function), as Dynare's
/// `mjdgges` does for the first-order solution of DSGE models.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>

#include <string>

namespace govsim::numerics {

/// Options of qz().
struct QzOptions {
  /// A generalized eigenvalue lambda = alpha/beta is "stable" (ordered first) when
  /// |lambda| < qz_criterium, i.e. |alpha|^2 < qz_criterium^2 * beta^2. Dynare's default
  /// `qz_criterium` is 1 + 1e-6.
  double qz_criterium = 1.0 + 1e-6;
  /// |beta| below this (with |alpha| above it) makes an eigenvalue infinite; |alpha| and |beta|
  /// both below it is a 0/0 eigenvalue, i.e. a singular pencil (Dynare's `qz_zero_threshold`).
  double zero_threshold = 1e-6;
  /// Reorder the stable eigenvalues first. When false, dgges does not reorder and n_stable
  /// still counts the stable eigenvalues.
  bool sort = true;

  /// Throws OptionsError if qz_criterium <= 0 or zero_threshold < 0.
  void validate() const;
};

/// Result of qz(): `A = Q S Z'` and `B = Q T Z'` with Q, Z orthogonal, S upper quasi-triangular
/// (1x1 and 2x2 blocks, the latter for complex pairs) and T upper triangular.
struct QzResult {
  Matrix S;                   ///< quasi-triangular Schur form of A
  Matrix T;                   ///< triangular Schur form of B
  Matrix Q;                   ///< left Schur vectors (LAPACK's VSL)
  Matrix Z;                   ///< right Schur vectors (LAPACK's VSR)
  Vector alphar;              ///< real parts of alpha (LAPACK's ALPHAR)
  Vector alphai;              ///< imaginary parts of alpha (LAPACK's ALPHAI)
  Vector beta;                ///< beta (LAPACK's BETA); lambda = (alphar + i alphai) / beta
  /// Generalized eigenvalues alpha/beta in the order of the Schur form; an eigenvalue with
  /// beta ~ 0 is +inf (real part +inf, imaginary part 0), as in Dynare's `oo_.dr.eigval`.
  ComplexVector eigenvalues;
  Index n_stable = 0;         ///< number of eigenvalues with |lambda| < qz_criterium (LAPACK's SDIM)
  Index n_infinite = 0;       ///< number of infinite eigenvalues
  int lapack_info = 0;        ///< INFO returned by dgges (0 on success)
  Status status = Status::Success;  ///< Success, NumericalIssue (QZ or reordering failed) or Singular (0/0)
  std::string message;        ///< human-readable diagnostic, empty on success

  /// True when status is Success.
  bool ok() const { return status == Status::Success; }
  /// One-line description: size, number of stable / infinite eigenvalues, status.
  std::string summary() const;
};

/// Real generalized Schur decomposition of the pencil (A, B), i.e. of `det(A - lambda B) = 0`,
/// ordered so that the eigenvalues with |lambda| < opts.qz_criterium come first.
///
/// \param A square matrix
/// \param B square matrix of the same size
/// \param opts ordering criterion and zero threshold
/// \return the Schur forms, Schur vectors, eigenvalues and the number of stable eigenvalues;
///         LAPACK failures and singular pencils are reported in `status`, never thrown.
/// \throws DimensionError if A and B are not square matrices of the same size
/// \throws OptionsError if the options are invalid
///
/// \code
/// govsim::numerics::QzResult r = govsim::numerics::qz(E, D);
/// if (r.ok()) { Index n_explosive = E.rows() - r.n_stable; }
/// \endcode
QzResult qz(const Eigen::Ref<const Matrix>& A, const Eigen::Ref<const Matrix>& B,
            const QzOptions& opts = {});

}  // namespace govsim::numerics
