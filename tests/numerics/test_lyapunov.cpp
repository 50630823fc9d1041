// Discrete Lyapunov equation X = A X A' + B.

#include "support.hpp"

#include <govsim/core/error.hpp>
#include <govsim/numerics/lyapunov.hpp>

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <random>

using namespace govsim;

namespace {

Matrix random_stable(Index n, unsigned seed, double radius) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Matrix m(n, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) m(i, j) = u(g);
  const double rho = m.eigenvalues().cwiseAbs().maxCoeff();
  return m * (radius / rho);
}

Matrix kronecker_solution(const Matrix& A, const Matrix& B) {
  const Index n = A.rows();
  Matrix K = Matrix::Identity(n * n, n * n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) K.block(i * n, j * n, n, n) -= A(i, j) * A;
  Vector b = Eigen::Map<const Vector>(B.data(), n * n);
  Vector x = K.partialPivLu().solve(b);
  return Eigen::Map<const Matrix>(x.data(), n, n);
}

}  // namespace

TEST_CASE("Bartels-Stewart and doubling agree with the Kronecker solution", "[numerics][lyapunov]") {
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const Index n = 2 + seed;  // includes complex pairs (2x2 Schur blocks)
    const Matrix A = random_stable(n, seed, 0.97);
    Matrix G = random_stable(n, seed + 50, 1.0);
    const Matrix B = G * G.transpose();
    const Matrix X0 = kronecker_solution(A, B);
    const auto bs = numerics::solve_discrete_lyapunov(A, B);
    REQUIRE(bs.ok());
    CHECK((bs.X - X0).cwiseAbs().maxCoeff() < 1e-10 * std::max(1.0, X0.cwiseAbs().maxCoeff()));
    CHECK(bs.residual < 1e-11 * std::max(1.0, X0.cwiseAbs().maxCoeff()));
    numerics::LyapunovOptions o;
    o.method = numerics::LyapunovMethod::Doubling;
    const auto db = numerics::solve_discrete_lyapunov(A, B, o);
    REQUIRE(db.ok());
    CHECK(db.iterations > 0);
    CHECK((db.X - X0).cwiseAbs().maxCoeff() < 1e-9 * std::max(1.0, X0.cwiseAbs().maxCoeff()));
  }
  // Non-symmetric right-hand side without symmetrization.
  const Matrix A = random_stable(4, 99, 0.8);
  const Matrix B = random_stable(4, 98, 1.0);
  numerics::LyapunovOptions o;
  o.symmetrize = false;
  const auto r = numerics::solve_discrete_lyapunov(A, B, o);
  REQUIRE(r.ok());
  CHECK((r.X - kronecker_solution(A, B)).cwiseAbs().maxCoeff() < 1e-10);
}

TEST_CASE("Lyapunov: unit roots, non-convergence, misuse", "[numerics][lyapunov]") {
  Matrix A = Matrix::Identity(2, 2);
  A(0, 0) = 0.5;
  auto r = numerics::solve_discrete_lyapunov(A, Matrix::Identity(2, 2));
  CHECK(r.status == Status::Singular);
  CHECK(r.message.find("unit") != std::string::npos);
  A(1, 1) = 1.5;
  r = numerics::solve_discrete_lyapunov(A, Matrix::Identity(2, 2));
  CHECK(r.status == Status::Singular);

  numerics::LyapunovOptions o;
  o.method = numerics::LyapunovMethod::Doubling;
  o.max_iterations = 1;
  Matrix S = Matrix::Identity(2, 2) * 0.99;
  r = numerics::solve_discrete_lyapunov(S, Matrix::Identity(2, 2), o);
  CHECK(r.status == Status::MaxIterations);

  CHECK(numerics::solve_discrete_lyapunov(Matrix(0, 0), Matrix(0, 0)).ok());
  CHECK_THROWS_AS(numerics::solve_discrete_lyapunov(Matrix::Identity(2, 2), Matrix::Identity(3, 3)), DimensionError);
  o.max_iterations = 0;
  CHECK_THROWS_AS(numerics::solve_discrete_lyapunov(S, S, o), OptionsError);
}

// Dynare's lyapunov_symm with unit roots: the equation is solved on the complement of the unit
// roots' invariant subspace. A = [[1, 0.3], [0, 0.5]]: the unit root's eigenvector is e1; the
// stationary combination is the second coordinate, x2_t = 0.5 x2_{t-1} + e2, Var = 1 / (1 - 0.25).
TEST_CASE("Lyapunov: projection on the stationary part (unit roots)", "[numerics][lyapunov]") {
  const Matrix A = (Matrix(2, 2) << 1.0, 0.3, 0.0, 0.5).finished();
  numerics::LyapunovOptions o;
  o.project_unit_roots = true;
  const auto r = numerics::solve_discrete_lyapunov(A, Matrix::Identity(2, 2), o);
  REQUIRE(r.ok());
  REQUIRE(r.unit_root_vectors.rows() == 2);
  REQUIRE(r.unit_root_vectors.cols() == 1);
  CHECK(std::abs(std::abs(r.unit_root_vectors(0, 0)) - 1.0) < 1e-14);
  CHECK(std::abs(r.unit_root_vectors(1, 0)) < 1e-14);
  CHECK(std::abs(r.X(1, 1) - 4.0 / 3.0) < 1e-13);
  CHECK(std::abs(r.X(0, 0)) < 1e-14);
  CHECK(std::abs(r.X(0, 1)) < 1e-14);
  CHECK(r.residual < 1e-13);
  // only unit roots: nothing stationary, X = 0
  const auto one = numerics::solve_discrete_lyapunov(Matrix::Identity(1, 1), Matrix::Identity(1, 1), o);
  REQUIRE(one.ok());
  CHECK(one.unit_root_vectors.cols() == 1);
  CHECK(one.X(0, 0) == 0.0);
  // without unit roots the ordinary solution, no unit-root vectors
  const auto st = numerics::solve_discrete_lyapunov(Matrix::Identity(1, 1) * 0.5, Matrix::Identity(1, 1), o);
  REQUIRE(st.ok());
  CHECK(st.unit_root_vectors.cols() == 0);
  CHECK(std::abs(st.X(0, 0) - 4.0 / 3.0) < 1e-14);
  o.method = numerics::LyapunovMethod::Doubling;
  CHECK_THROWS_AS(numerics::solve_discrete_lyapunov(A, A, o), OptionsError);
}
