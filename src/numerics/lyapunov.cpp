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
#include <cmath>
#include <sstream>
#include <vector>

namespace govsim::numerics {

void LyapunovOptions::validate() const {
  if (!(unit_root_tolerance >= 0.0)) throw OptionsError("LyapunovOptions: unit_root_tolerance must be >= 0");
  if (!(tolerance >= 0.0)) throw OptionsError("LyapunovOptions: tolerance must be >= 0");
  if (max_iterations < 1) throw OptionsError("LyapunovOptions: max_iterations must be >= 1");
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
