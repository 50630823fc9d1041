#pragma once
/// \file solution_access.hpp
/// Helpers shared by irf.cpp, simulation.cpp and moments.cpp (not part of the public API).

#include <govsim/core/error.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include <optional>

#include <sstream>
#include <string>

namespace govsim::detail {

/// Number of reported variables: declared ones only, or all of them.
inline Index reported_count(const dsge::PerturbationResult& sol, bool include_auxiliary) {
  const Index n = static_cast<Index>(sol.endo_names.size());
  if (include_auxiliary) return n;
  return sol.n_declared > 0 && sol.n_declared <= n ? sol.n_declared : n;
}

/// Names of the reported variables.
inline Names reported_names(const dsge::PerturbationResult& sol, bool include_auxiliary) {
  const Index k = reported_count(sol, include_auxiliary);
  return Names(sol.endo_names.begin(), sol.endo_names.begin() + k);
}

/// Lower factor L with L L' = S. Uses Cholesky when S is positive definite and otherwise the
/// symmetric eigen-decomposition (so that degenerate covariances, e.g. a shock with zero variance,
/// still work); `jitter` is added to the diagonal first (Dynare's 1e-14 for IRFs and variance
/// decompositions).
inline Matrix covariance_factor(const Matrix& S, double jitter) {
  const Index m = S.rows();
  const Matrix Sj = S + jitter * Matrix::Identity(m, m);
  Eigen::LLT<Matrix> llt(Sj);
  if (llt.info() == Eigen::Success) return llt.matrixL();
  Eigen::SelfAdjointEigenSolver<Matrix> es(Sj);
  const Vector d = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return es.eigenvectors() * d.asDiagonal();
}

/// Throws DimensionError when A, B or Sigma_e of a (hand-made) solution do not fit its names.
inline void check_solution_shapes(const dsge::PerturbationResult& sol) {
  const Index n = static_cast<Index>(sol.endo_names.size());
  const Index ne = static_cast<Index>(sol.exo_names.size());
  if (sol.A.rows() != n || sol.A.cols() != n || sol.B.rows() != n || sol.B.cols() != ne ||
      sol.Sigma_e.rows() != ne || sol.Sigma_e.cols() != ne || sol.steady_state.size() != n) {
    std::ostringstream os;
    os << "PerturbationResult: A is " << sol.A.rows() << "x" << sol.A.cols() << ", B " << sol.B.rows() << "x"
       << sol.B.cols() << ", Sigma_e " << sol.Sigma_e.rows() << "x" << sol.Sigma_e.cols() << ", steady_state "
       << sol.steady_state.size() << "; expected " << n << "x" << n << ", " << n << "x" << ne << ", " << ne << "x"
       << ne << ", " << n;
    throw DimensionError(os.str());
  }
}

/// A message for results that cannot be computed from a failed solution.
inline std::string unusable_solution_message(const dsge::PerturbationResult& sol, const char* what) {
  return std::string("cannot compute ") + what + ": the first-order solution has status " +
         to_string(sol.status) + (sol.message.empty() ? "" : " (" + sol.message + ")");
}

/// For functions that derive results from a solution: a result carrying the solution's failure
/// (status and message), or nullopt when the solution is usable, after checking its shapes.
template <class Result>
std::optional<Result> unusable_or_checked(const dsge::PerturbationResult& sol, const char* what) {
  if (!sol.ok()) {
    Result r;
    r.status = sol.status;
    r.message = unusable_solution_message(sol, what);
    return r;
  }
  check_solution_shapes(sol);
  return std::nullopt;
}

}  // namespace govsim::detail
