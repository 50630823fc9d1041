#pragma once
/// \file leontief.hpp
/// LeontiefModel: the factored system I - A, used for every demand-driven, price and Ghosh
/// computation. `I - A` is factored once (LAPACK LU for dense tables, Eigen's SparseLU for large
/// sparse ones) and reused for any number of right-hand sides; the Leontief inverse
/// L = (I - A)⁻¹ is formed only when asked for.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/io/io_table.hpp>

#include <memory>
#include <string>

namespace govsim::io {

/// Which factorization of I - A to use.
enum class Factorization {
  Auto,    ///< sparse when the table is stored sparse, or large (n >= sparse_min_size) and sparse enough
  Dense,   ///< LAPACK dgetrf (partial pivoting), multithreaded through the BLAS
  Sparse   ///< Eigen SparseLU with COLAMD ordering; memory O(nnz of the factors)
};

/// Options of LeontiefModel.
struct LeontiefOptions {
  Factorization factorization = Factorization::Auto;
  Index sparse_min_size = 3000;      ///< Auto: below this size dense is always faster
  double sparse_max_density = 0.05;  ///< Auto: above this fill, dense
  /// Reciprocal condition number (1-norm estimate) below which I - A counts as singular.
  double singular_rcond = 1e-14;
  void validate() const;  ///< \throws OptionsError
};

/// The demand-driven Leontief quantity model x = A x + f, factored once.
///
/// A singular or numerically singular I - A is reported through status() (Status::Singular,
/// with the condition estimate in message()); solving with such a model throws SolveError.
/// Solves are const and thread-safe.
///
/// \code
/// govsim::io::LeontiefModel m(table);
/// govsim::Matrix dx = m.output_change(dY);   // dY: n x k, k shocks at once
/// \endcode
class LeontiefModel {
 public:
  /// Factor I - A of a table. \throws OptionsError
  explicit LeontiefModel(const IOTable& table, const LeontiefOptions& options = {});
  /// Factor I - A for given coefficients (dense).
  explicit LeontiefModel(const Eigen::Ref<const Matrix>& A, const LeontiefOptions& options = {});
  /// Factor I - A for given coefficients (sparse).
  explicit LeontiefModel(const SparseMatrix& A, const LeontiefOptions& options = {});

  Index n() const noexcept { return n_; }
  Status status() const noexcept { return status_; }
  bool ok() const noexcept { return status_ == Status::Success; }
  const std::string& message() const noexcept { return message_; }
  /// Reciprocal 1-norm condition estimate of I - A (dense path; NaN for sparse).
  double rcond() const noexcept { return rcond_; }
  bool is_sparse() const noexcept { return sparse_ != nullptr; }

  /// X = (I - A)⁻¹ R = L R for an n x k right-hand side. \throws SolveError if not ok()
  Matrix solve(const Eigen::Ref<const Matrix>& rhs) const;
  /// X = (I - A)⁻ᵀ R = L' R. \throws SolveError if not ok()
  Matrix solve_transpose(const Eigen::Ref<const Matrix>& rhs) const;
  /// Change in gross output for final-demand changes (columns are separate shocks): Δx = L Δf.
  Matrix output_change(const Eigen::Ref<const Matrix>& final_demand_change) const { return solve(final_demand_change); }
  /// The Leontief inverse L (dense n x n; only on request).
  Matrix leontief_inverse() const;
  /// diag(L), computed by blocks of columns so that the sparse path never holds a dense n x n.
  Vector inverse_diagonal(Index block = 256) const;

 private:
  struct SparseFactor;
  void factor_dense(Matrix I_minus_A, const LeontiefOptions& options);
  void factor_sparse(const SparseMatrix& I_minus_A);
  void require_ok() const;

  Index n_ = 0;
  Status status_ = Status::Success;
  std::string message_;
  double rcond_ = std::numeric_limits<double>::quiet_NaN();
  Matrix lu_;               // dense LU factors (LAPACK layout)
  std::vector<int> ipiv_;   // dense pivots
  std::shared_ptr<const SparseFactor> sparse_;
};

}  // namespace govsim::io
