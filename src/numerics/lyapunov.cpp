// Discrete Lyapunov solver X = A X A' + B.
//
// Bartels-Stewart: with A = U T U' (real Schur, T upper quasi-triangular), Y = U' X U solves
// Y = T Y T' + C, C = U' B U. Because T is block upper triangular, the block (i, j) of Y only
// depends on blocks (k, l) with k >= i and l >= j, so we sweep the column blocks from the last to
// the first and, inside each, the row blocks from the bottom up; every step is a Kronecker system
// of size at most 4 (2x2 blocks of complex pairs).

#include <govsim/core/error.hpp>
#include <govsim/numerics/lyapunov.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cstddef>
#include <cmath>
#include <sstream>
#include <vector>

namespace {
using lapack_int = int;
using lapack_logical = int;  // gfortran's default LOGICAL is 4 bytes
using SchurSelectFn = lapack_logical (*)(const double*, const double*);
}  // namespace

extern "C" void dgees_(const char* jobvs, const char* sort, SchurSelectFn select, const lapack_int* n, double* a,
                       const lapack_int* lda, lapack_int* sdim, double* wr, double* wi, double* vs,
                       const lapack_int* ldvs, double* work, const lapack_int* lwork, lapack_logical* bwork,
                       lapack_int* info, std::size_t jobvs_len, std::size_t sort_len);

namespace govsim::numerics {

void LyapunovOptions::validate() const {
  if (!(unit_root_tolerance >= 0.0)) throw OptionsError("LyapunovOptions: unit_root_tolerance must be >= 0");
  if (!(tolerance >= 0.0)) throw OptionsError("LyapunovOptions: tolerance must be >= 0");
  if (max_iterations < 1) throw OptionsError("LyapunovOptions: max_iterations must be >= 1");
  if (project_unit_roots && method != LyapunovMethod::BartelsStewart)
    throw OptionsError("LyapunovOptions: project_unit_roots needs the Bartels-Stewart method");
}

std::string LyapunovResult::summary() const {
  std::ostringstream os;
  os << "discrete Lyapunov (" << X.rows() << "x" << X.cols() << "): spectral radius "
     << spectral_radius << ", residual " << residual;
  if (iterations > 0) os << ", " << iterations << " doublings";
  os << "; status " << to_string(status);
  if (!message.empty()) os << ": " << message;
  return os.str();
}

namespace {

// Starting rows and sizes of the diagonal blocks of a real quasi-triangular matrix.
std::vector<std::pair<Index, Index>> schur_blocks(const Matrix& T) {
  std::vector<std::pair<Index, Index>> blocks;
  const Index n = T.rows();
  Index i = 0;
  while (i < n) {
    if (i + 1 < n && T(i + 1, i) != 0.0) {
      blocks.emplace_back(i, 2);
      i += 2;
    } else {
      blocks.emplace_back(i, 1);
      i += 1;
    }
  }
  return blocks;
}

// Y = T Y T' + C for upper quasi-triangular T.
Matrix solve_quasi_triangular(const Matrix& T, const Matrix& C) {
  const Index n = T.rows();
  Matrix Y = Matrix::Zero(n, n);
  const auto blocks = schur_blocks(T);
  const Index nb = static_cast<Index>(blocks.size());
  for (Index jb = nb - 1; jb >= 0; --jb) {
    const auto [j0, bj] = blocks[static_cast<std::size_t>(jb)];
    const Index jend = j0 + bj;
    // W = C(:, j) + T * Y(:, l>j) * T(j, l>j)'  (everything but the l = j term).
    Matrix W = C.middleCols(j0, bj);
    if (jend < n) {
      W.noalias() += T * (Y.rightCols(n - jend) * T.block(j0, jend, bj, n - jend).transpose());
    }
    const Matrix Tjj = T.block(j0, j0, bj, bj);
    // Now Y(:, j) - T Y(:, j) Tjj' = W, solved bottom-up over the row blocks.
    for (Index ib = nb - 1; ib >= 0; --ib) {
      const auto [i0, bi] = blocks[static_cast<std::size_t>(ib)];
      const Index iend = i0 + bi;
      Matrix rhs = W.middleRows(i0, bi);
      if (iend < n) {
        rhs.noalias() += T.block(i0, iend, bi, n - iend) * Y.block(iend, j0, n - iend, bj) * Tjj.transpose();
      }
      const Matrix Tii = T.block(i0, i0, bi, bi);
      if (bi == 1 && bj == 1) {
        Y(i0, j0) = rhs(0, 0) / (1.0 - Tii(0, 0) * Tjj(0, 0));
      } else {
        // vec(Tii Y Tjj') = (Tjj kron Tii) vec(Y), column-major vec.
        const Index m = bi * bj;
        Matrix K = Matrix::Identity(m, m);
        for (Index q = 0; q < bj; ++q)
          for (Index p = 0; p < bi; ++p)
            for (Index s = 0; s < bj; ++s)
              for (Index r = 0; r < bi; ++r) K(q * bi + p, s * bi + r) -= Tjj(q, s) * Tii(p, r);
        Vector v = Eigen::Map<const Vector>(rhs.data(), m);
        Vector y = K.partialPivLu().solve(v);
        Y.block(i0, j0, bi, bj) = Eigen::Map<const Matrix>(y.data(), bi, bj);
      }
    }
  }
  return Y;
}

// dgees passes the selection function no user data: the threshold travels through a
// thread_local variable (solve_discrete_lyapunov may run on several threads at once).
thread_local double tl_unit_modulus = 1.0;

lapack_logical unit_root_selector(const double* wr, const double* wi) {
  return std::hypot(*wr, *wi) >= tl_unit_modulus ? 1 : 0;
}

// Real Schur form A = U T U' with the roots of modulus >= min_modulus first (LAPACK dgees with
// sorting, as MATLAB's schur + ordschur). Returns false when dgees fails.
bool ordered_schur(const Matrix& A, double min_modulus, Matrix& U, Matrix& T, Index& n_selected) {
  const lapack_int n = static_cast<lapack_int>(A.rows());
  T = A;
  U = Matrix::Zero(A.rows(), A.rows());
  Vector wr(A.rows()), wi(A.rows());
  std::vector<lapack_logical> bwork(static_cast<std::size_t>(n));
  lapack_int sdim = 0, info = 0, lwork = -1;
  double wq = 0.0;
  tl_unit_modulus = min_modulus;
  dgees_("V", "S", unit_root_selector, &n, T.data(), &n, &sdim, wr.data(), wi.data(), U.data(), &n, &wq, &lwork,
         bwork.data(), &info, 1, 1);
  if (info != 0) return false;
  lwork = std::max<lapack_int>(static_cast<lapack_int>(wq), 3 * n);
  std::vector<double> work(static_cast<std::size_t>(lwork));
  dgees_("V", "S", unit_root_selector, &n, T.data(), &n, &sdim, wr.data(), wi.data(), U.data(), &n, work.data(),
         &lwork, bwork.data(), &info, 1, 1);
  // info == n + 2: round-off moved an eigenvalue across the threshold after reordering; the
  // Schur form is still valid and sdim counts the roots ordered first (MATLAB's ordschur does
  // not check either).
  if (info != 0 && info != n + 2) return false;
  n_selected = static_cast<Index>(sdim);
  return true;
}

}  // namespace

LyapunovResult solve_discrete_lyapunov(const Eigen::Ref<const Matrix>& A,
                                       const Eigen::Ref<const Matrix>& B,
                                       const LyapunovOptions& opts) {
  opts.validate();
  if (A.rows() != A.cols() || B.rows() != B.cols() || A.rows() != B.rows()) {
    std::ostringstream os;
    os << "solve_discrete_lyapunov: A (" << A.rows() << "x" << A.cols() << ") and B (" << B.rows()
       << "x" << B.cols() << ") must be square and of the same size";
    throw DimensionError(os.str());
  }
  LyapunovResult r;
  const Index n = A.rows();
  if (n == 0) {
    r.X = Matrix(0, 0);
    return r;
  }
  if (!A.allFinite() || !B.allFinite()) {
    r.status = Status::NumericalIssue;
    r.message = "A or B has NaN or infinite entries";
    return r;
  }

  Eigen::RealSchur<Matrix> schur(A, /*computeU=*/true);
  if (schur.info() != Eigen::Success) {
    r.status = Status::NumericalIssue;
    r.message = "the real Schur decomposition of A did not converge";
    return r;
  }
  const Matrix& T = schur.matrixT();
  const Matrix& U = schur.matrixU();
  // Eigenvalue moduli from the diagonal blocks.
  std::vector<double> moduli;
  for (auto [i0, bi] : schur_blocks(T)) {
    if (bi == 1) {
      moduli.push_back(std::abs(T(i0, i0)));
    } else {
      const double det = T(i0, i0) * T(i0 + 1, i0 + 1) - T(i0, i0 + 1) * T(i0 + 1, i0);
      const double m = std::sqrt(std::abs(det));
      moduli.push_back(m);
      moduli.push_back(m);
    }
  }
  r.spectral_radius = moduli.empty() ? 0.0 : *std::max_element(moduli.begin(), moduli.end());
  r.unit_root_vectors = Matrix(n, 0);
  if (r.spectral_radius >= 1.0 - opts.unit_root_tolerance && opts.project_unit_roots) {
    Matrix Us, Ts;
    Index k = 0;
    if (!ordered_schur(Matrix(A), 1.0 - opts.unit_root_tolerance, Us, Ts, k)) {
      r.status = Status::NumericalIssue;
      r.message = "the ordered real Schur decomposition of A failed (LAPACK dgees)";
      return r;
    }
    const Matrix U2 = Us.rightCols(n - k);
    const Matrix C = U2.transpose() * B * U2;
    const Matrix Y = solve_quasi_triangular(Ts.bottomRightCorner(n - k, n - k), C);
    r.X = U2 * Y * U2.transpose();
    r.unit_root_vectors = Us.leftCols(k);
    if (opts.symmetrize) r.X = (0.5 * (r.X + r.X.transpose())).eval();
    // the equation holds on the stationary combinations: U2' (X - A X A' - B) U2 = 0
    r.residual = n - k > 0 ? (U2.transpose() * (r.X - A * r.X * A.transpose() - B) * U2).cwiseAbs().maxCoeff() : 0.0;
    if (!r.X.allFinite()) {
      r.status = Status::NumericalIssue;
      r.message = "the solution has NaN or infinite entries";
    }
    return r;
  }
  if (r.spectral_radius >= 1.0 - opts.unit_root_tolerance) {
    std::ostringstream os;
    std::sort(moduli.begin(), moduli.end(), std::greater<>());
    os << "no stationary solution: A has root(s) of modulus >= 1 - " << opts.unit_root_tolerance
       << " (unit or explosive roots); moduli:";
    for (double m : moduli)
      if (m >= 1.0 - opts.unit_root_tolerance) os << ' ' << m;
    r.status = Status::Singular;
    r.message = os.str();
    return r;
  }

  if (opts.method == LyapunovMethod::BartelsStewart) {
    const Matrix C = U.transpose() * B * U;
    const Matrix Y = solve_quasi_triangular(T, C);
    r.X = U * Y * U.transpose();
  } else {
    Matrix X = B;
    Matrix Ak = A;
    bool converged = false;
    for (int k = 0; k < opts.max_iterations; ++k) {
      const Matrix step = Ak * X * Ak.transpose();
      X += step;
      Ak = (Ak * Ak).eval();
      r.iterations = k + 1;
      const double scale = std::max(1.0, X.cwiseAbs().maxCoeff());
      if (step.cwiseAbs().maxCoeff() <= opts.tolerance * scale) {
        converged = true;
        break;
      }
      if (!X.allFinite()) break;
    }
    r.X = std::move(X);
    if (!converged) {
      r.status = r.X.allFinite() ? Status::MaxIterations : Status::NumericalIssue;
      r.message = "doubling did not converge within max_iterations";
    }
  }
  if (opts.symmetrize) r.X = (0.5 * (r.X + r.X.transpose())).eval();
  r.residual = (r.X - A * r.X * A.transpose() - B).cwiseAbs().maxCoeff();
  if (!r.X.allFinite() && r.status == Status::Success) {
    r.status = Status::NumericalIssue;
    r.message = "the solution has NaN or infinite entries";
  }
  return r;
}

}  // namespace govsim::numerics
