// LeontiefModel: one factorization of I - A, many solves.
#include <govsim/core/error.hpp>
#include <govsim/io/leontief.hpp>

#include <Eigen/OrderingMethods>
#include <Eigen/SparseLU>

#include <cmath>
#include <sstream>

extern "C" {
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void dgetrs_(const char* trans, const int* n, const int* nrhs, const double* a, const int* lda, const int* ipiv,
             double* b, const int* ldb, int* info, std::size_t trans_len);
void dtrtri_(const char* uplo, const char* diag, const int* n, double* a, const int* lda, int* info,
             std::size_t uplo_len, std::size_t diag_len);
void dgecon_(const char* norm, const int* n, const double* a, const int* lda, const double* anorm, double* rcond,
             double* work, int* iwork, int* info, std::size_t norm_len);
}

namespace govsim::io {

struct LeontiefModel::SparseFactor {
  // mutable: Eigen 3.4's SparseLU::transpose() is non-const, though it only builds a view.
  mutable Eigen::SparseLU<SparseMatrix, Eigen::COLAMDOrdering<int>> lu;
};

void LeontiefOptions::validate() const {
  if (sparse_min_size < 0) throw OptionsError("LeontiefOptions.sparse_min_size must be >= 0");
  if (!(sparse_max_density > 0.0 && sparse_max_density <= 1.0))
    throw OptionsError("LeontiefOptions.sparse_max_density must be in (0, 1]");
  if (!(singular_rcond >= 0.0)) throw OptionsError("LeontiefOptions.singular_rcond must be >= 0");
}

namespace {
SparseMatrix identity_minus(const SparseMatrix& A) {
  SparseMatrix I(A.rows(), A.cols());
  I.setIdentity();
  SparseMatrix M = I - A;
  M.makeCompressed();
  return M;
}
}  // namespace

LeontiefModel::LeontiefModel(const IOTable& table, const LeontiefOptions& options) : n_(table.n()) {
  options.validate();
  bool use_sparse = options.factorization == Factorization::Sparse;
  if (options.factorization == Factorization::Auto) {
    const double density = double(table.diagnostics().nnz) / (double(n_) * double(n_));
    use_sparse = table.is_sparse() || (n_ >= options.sparse_min_size && density <= options.sparse_max_density);
  }
  if (use_sparse) {
    factor_sparse(identity_minus(table.A_sparse()));
  } else {
    Matrix M = -table.A();
    M.diagonal().array() += 1.0;
    factor_dense(std::move(M), options);
  }
}

LeontiefModel::LeontiefModel(const Eigen::Ref<const Matrix>& A, const LeontiefOptions& options) : n_(A.rows()) {
  options.validate();
  if (A.rows() != A.cols()) throw DimensionError("LeontiefModel: A must be square");
  if (!A.allFinite()) throw DataError("LeontiefModel: A has non-finite entries");
  if (options.factorization == Factorization::Sparse) {
    factor_sparse(identity_minus(SparseMatrix(A.sparseView())));
  } else {
    Matrix M = -A;
    M.diagonal().array() += 1.0;
    factor_dense(std::move(M), options);
  }
}

LeontiefModel::LeontiefModel(const SparseMatrix& A, const LeontiefOptions& options) : n_(A.rows()) {
  options.validate();
  if (A.rows() != A.cols()) throw DimensionError("LeontiefModel: A must be square");
  factor_sparse(identity_minus(A));
}

void LeontiefModel::factor_dense(Matrix M, const LeontiefOptions& options) {
  const int n = static_cast<int>(n_);
  const double anorm = n ? M.cwiseAbs().colwise().sum().maxCoeff() : 0.0;
  lu_ = std::move(M);
  ipiv_.assign(std::size_t(n), 0);
  int info = 0;
  const int lda = std::max(1, n);
  if (n > 0) dgetrf_(&n, &n, lu_.data(), &lda, ipiv_.data(), &info);
  if (info < 0) throw Error("LeontiefModel: dgetrf rejected argument " + std::to_string(-info));
  if (info > 0) {
    status_ = Status::Singular;
    message_ = "I - A is singular (zero pivot at position " + std::to_string(info) + ")";
    rcond_ = 0.0;
    return;
  }
  if (n > 0) {
    std::vector<double> work(4 * std::size_t(n));
    std::vector<int> iwork(static_cast<std::size_t>(n));
    dgecon_("1", &n, lu_.data(), &lda, &anorm, &rcond_, work.data(), iwork.data(), &info, 1);
  }
  if (!(rcond_ >= options.singular_rcond)) {
    std::ostringstream s;
    s << "I - A is numerically singular (reciprocal condition number " << rcond_ << " < " << options.singular_rcond
      << ")";
    status_ = Status::Singular;
    message_ = s.str();
  }
}

void LeontiefModel::factor_sparse(const SparseMatrix& M) {
  auto f = std::make_shared<SparseFactor>();
  f->lu.analyzePattern(M);
  f->lu.factorize(M);
  if (f->lu.info() != Eigen::Success) {
    status_ = Status::Singular;
    message_ = "sparse LU of I - A failed: " + f->lu.lastErrorMessage();
  }
  sparse_ = std::move(f);
}

void LeontiefModel::require_ok() const {
  if (status_ != Status::Success) throw SolveError("LeontiefModel: cannot solve: " + message_);
}

Matrix LeontiefModel::solve(const Eigen::Ref<const Matrix>& rhs) const {
  require_ok();
  if (rhs.rows() != n_)
    throw DimensionError("LeontiefModel::solve: right-hand side has " + std::to_string(rhs.rows()) +
                         " rows, expected " + std::to_string(n_));
  if (sparse_) return sparse_->lu.solve(rhs);
  Matrix X = rhs;
  const int n = int(n_), nrhs = int(X.cols()), ld = std::max(1, n);
  int info = 0;
  if (n > 0 && nrhs > 0) dgetrs_("N", &n, &nrhs, lu_.data(), &ld, ipiv_.data(), X.data(), &ld, &info, 1);
  return X;
}

Matrix LeontiefModel::solve_transpose(const Eigen::Ref<const Matrix>& rhs) const {
  require_ok();
  if (rhs.rows() != n_)
    throw DimensionError("LeontiefModel::solve_transpose: right-hand side has " + std::to_string(rhs.rows()) +
                         " rows, expected " + std::to_string(n_));
  if (sparse_) return sparse_->lu.transpose().solve(rhs);
  Matrix X = rhs;
  const int n = int(n_), nrhs = int(X.cols()), ld = std::max(1, n);
  int info = 0;
  if (n > 0 && nrhs > 0) dgetrs_("T", &n, &nrhs, lu_.data(), &ld, ipiv_.data(), X.data(), &ld, &info, 1);
  return X;
}

Matrix LeontiefModel::leontief_inverse() const { return solve(Matrix::Identity(n_, n_)); }

Vector LeontiefModel::inverse_diagonal(Index block) const {
  require_ok();
  if (block < 1) throw OptionsError("inverse_diagonal: block must be >= 1");
  if (!sparse_ && n_ > 0) {
    // Dense: P(I - A) = L U, so (I - A)^-1 = U^-1 L^-1 P and diag_j = U^-1(j,:) . L^-1(:, pinv(j)).
    // Two triangular inversions (n^3/3 flops each) instead of n solves (2 n^3).
    const int n = int(n_), ld = n;
    Matrix Uinv = lu_, Linv = lu_;
    int info = 0;
    dtrtri_("U", "N", &n, Uinv.data(), &ld, &info, 1, 1);
    if (info == 0) dtrtri_("L", "U", &n, Linv.data(), &ld, &info, 1, 1);
    if (info != 0) throw SolveError("inverse_diagonal: triangular inversion failed (info " + std::to_string(info) + ")");
    const std::size_t nn = static_cast<std::size_t>(n_);
    std::vector<Index> perm(nn);
    for (Index i = 0; i < n_; ++i) perm[std::size_t(i)] = i;
    for (Index i = 0; i < n_; ++i) std::swap(perm[std::size_t(i)], perm[std::size_t(ipiv_[std::size_t(i)] - 1)]);
    std::vector<Index> pinv(nn);
    for (Index i = 0; i < n_; ++i) pinv[std::size_t(perm[std::size_t(i)])] = i;
    Vector d(n_);
    for (Index j = 0; j < n_; ++j) {
      const Index c = pinv[std::size_t(j)];
      const Index k0 = std::max(j, c);
      double s = 0.0;
      for (Index k = k0; k < n_; ++k) s += Uinv(j, k) * (k == c ? 1.0 : (k > c ? Linv(k, c) : 0.0));
      d(j) = s;
    }
    return d;
  }
  Vector d(n_);
  for (Index j0 = 0; j0 < n_; j0 += block) {
    const Index w = std::min(block, n_ - j0);
    Matrix E = Matrix::Zero(n_, w);
    for (Index k = 0; k < w; ++k) E(j0 + k, k) = 1.0;
    Matrix X = solve(E);
    for (Index k = 0; k < w; ++k) d(j0 + k) = X(j0 + k, k);
  }
  return d;
}

}  // namespace govsim::io
