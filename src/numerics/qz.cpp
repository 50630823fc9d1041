// Ordered real generalized Schur decomposition through LAPACK dgges.
//
// dgges takes the selection function as a plain Fortran LOGICAL FUNCTION of (alphar, alphai,
// beta) with no user data, so the criterion travels through a thread_local variable: qz() may
// then run concurrently on several threads with different criteria.

#include <govsim/core/error.hpp>
#include <govsim/numerics/qz.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <sstream>
#include <vector>

namespace {

using lapack_int = int;
using lapack_logical = int;  // gfortran's default LOGICAL is 4 bytes
using SelectFn = lapack_logical (*)(const double*, const double*, const double*);

}  // namespace

extern "C" void dgges_(const char* jobvsl, const char* jobvsr, const char* sort, SelectFn selctg,
                       const lapack_int* n, double* a, const lapack_int* lda, double* b,
                       const lapack_int* ldb, lapack_int* sdim, double* alphar, double* alphai,
                       double* beta, double* vsl, const lapack_int* ldvsl, double* vsr,
                       const lapack_int* ldvsr, double* work, const lapack_int* lwork,
                       lapack_logical* bwork, lapack_int* info, std::size_t jobvsl_len,
                       std::size_t jobvsr_len, std::size_t sort_len);

namespace govsim::numerics {

namespace {

thread_local double tl_criterium_squared = 1.0;

// Same test as Dynare's mjdgges: |alpha|^2 < crit^2 beta^2 (false for beta = 0).
lapack_logical stable_selector(const double* alphar, const double* alphai, const double* beta) {
  return (*alphar * *alphar + *alphai * *alphai) < tl_criterium_squared * *beta * *beta ? 1 : 0;
}

}  // namespace

void QzOptions::validate() const {
  if (!(qz_criterium > 0.0) || !std::isfinite(qz_criterium))
    throw OptionsError("QzOptions: qz_criterium must be positive and finite");
  if (!(zero_threshold >= 0.0) || !std::isfinite(zero_threshold))
    throw OptionsError("QzOptions: zero_threshold must be non-negative and finite");
}

std::string QzResult::summary() const {
  std::ostringstream os;
  os << "QZ of a " << S.rows() << "x" << S.cols() << " pencil: " << n_stable << " stable, "
     << (S.rows() - n_stable) << " unstable (" << n_infinite << " infinite) eigenvalues; status "
     << to_string(status);
  if (!message.empty()) os << ": " << message;
  return os.str();
}

QzResult qz(const Eigen::Ref<const Matrix>& A, const Eigen::Ref<const Matrix>& B,
            const QzOptions& opts) {
  opts.validate();
  if (A.rows() != A.cols() || B.rows() != B.cols() || A.rows() != B.rows()) {
    std::ostringstream os;
    os << "qz: A (" << A.rows() << "x" << A.cols() << ") and B (" << B.rows() << "x" << B.cols()
       << ") must be square and of the same size";
    throw DimensionError(os.str());
  }
  const Index n = A.rows();
  QzResult r;
  r.S = A;
  r.T = B;
  r.Q = Matrix::Identity(n, n);
  r.Z = Matrix::Identity(n, n);
  r.alphar = Vector::Zero(n);
  r.alphai = Vector::Zero(n);
  r.beta = Vector::Zero(n);
  r.eigenvalues = ComplexVector::Zero(n);
  if (n == 0) return r;
  if (!A.allFinite() || !B.allFinite()) {
    r.status = Status::NumericalIssue;
    r.message = "the pencil has NaN or infinite entries";
    return r;
  }

  const lapack_int nn = static_cast<lapack_int>(n);
  lapack_int sdim = 0;
  lapack_int info = 0;
  std::vector<lapack_logical> bwork(static_cast<std::size_t>(n));
  const char jobv = 'V';
  const char sort = opts.sort ? 'S' : 'N';
  tl_criterium_squared = opts.qz_criterium * opts.qz_criterium;

  // Workspace query, then the decomposition.
  lapack_int lwork = -1;
  double wquery = 0.0;
  dgges_(&jobv, &jobv, &sort, stable_selector, &nn, r.S.data(), &nn, r.T.data(), &nn, &sdim,
         r.alphar.data(), r.alphai.data(), r.beta.data(), r.Q.data(), &nn, r.Z.data(), &nn,
         &wquery, &lwork, bwork.data(), &info, 1, 1, 1);
  lwork = std::max<lapack_int>(static_cast<lapack_int>(wquery), 8 * nn + 16);
  std::vector<double> work(static_cast<std::size_t>(lwork));
  info = 0;
  dgges_(&jobv, &jobv, &sort, stable_selector, &nn, r.S.data(), &nn, r.T.data(), &nn, &sdim,
         r.alphar.data(), r.alphai.data(), r.beta.data(), r.Q.data(), &nn, r.Z.data(), &nn,
         work.data(), &lwork, bwork.data(), &info, 1, 1, 1);
  r.lapack_info = info;

  if (info != 0) {
    std::ostringstream os;
    if (info < 0)
      os << "dgges: argument " << -info << " is invalid";
    else if (info <= nn)
      os << "dgges: the QZ iteration failed (INFO=" << info << ")";
    else if (info == nn + 1)
      os << "dgges: other failure in dhgeqz (INFO=" << info << ")";
    else if (info == nn + 2)
      os << "dgges: after reordering, rounding changed the eigenvalues so that the selected ones no "
            "longer satisfy |lambda| < "
         << opts.qz_criterium << " (eigenvalues too close to the criterion)";
    else
      os << "dgges: reordering failed in dtgsen (INFO=" << info << ")";
    r.status = Status::NumericalIssue;
    r.message = os.str();
    // Leave what LAPACK produced for inspection; n_stable is still meaningful after N+2.
    r.n_stable = sdim;
    return r;
  }

  if (opts.sort) {
    r.n_stable = sdim;
  } else {
    Index count = 0;
    for (Index i = 0; i < n; ++i) count += stable_selector(&r.alphar[i], &r.alphai[i], &r.beta[i]);
    r.n_stable = count;
  }

  // Eigenvalues as in Dynare's mjdgges: beta ~ 0 gives infinity, alpha ~ beta ~ 0 a singular pencil.
  const double thr = opts.zero_threshold;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Index> zero_over_zero;
  for (Index i = 0; i < n; ++i) {
    const double ar = r.alphar[i], ai = r.alphai[i], be = r.beta[i];
    const bool alpha_small = std::abs(ar) <= thr && std::abs(ai) <= thr;
    if (std::abs(be) <= thr && alpha_small) {
      zero_over_zero.push_back(i);
      r.eigenvalues[i] = {std::numeric_limits<double>::quiet_NaN(), 0.0};
    } else if (be == 0.0 || (std::abs(be) < thr && !alpha_small)) {
      r.eigenvalues[i] = {inf, 0.0};
      ++r.n_infinite;
    } else {
      r.eigenvalues[i] = {ar / be, ai / be};
    }
  }
  if (!zero_over_zero.empty()) {
    std::ostringstream os;
    os << "singular pencil: " << zero_over_zero.size()
       << " generalized eigenvalue(s) are 0/0 (|alpha| and |beta| below " << thr
       << ") at position(s)";
    for (Index i : zero_over_zero) os << ' ' << (i + 1);
    r.status = Status::Singular;
    r.message = os.str();
  }
  return r;
}

}  // namespace govsim::numerics
