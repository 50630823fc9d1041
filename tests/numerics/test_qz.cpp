// Ordered real generalized Schur decomposition (LAPACK dgges).

#include "support.hpp"

#include <govsim/core/error.hpp>
#include <govsim/numerics/qz.hpp>

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace govsim;

namespace {

Matrix random_matrix(Index n, unsigned seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Matrix m(n, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) m(i, j) = u(g);
  return m;
}

}  // namespace

TEST_CASE("qz reconstructs the pencil and orders stable eigenvalues first", "[numerics][qz]") {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Index n = 7;
    const Matrix A = random_matrix(n, seed);
    const Matrix B = random_matrix(n, seed + 100);
    const auto r = numerics::qz(A, B);
    REQUIRE(r.ok());
    CHECK((r.Q * r.S * r.Z.transpose() - A).cwiseAbs().maxCoeff() < 1e-12);
    CHECK((r.Q * r.T * r.Z.transpose() - B).cwiseAbs().maxCoeff() < 1e-12);
    CHECK((r.Q.transpose() * r.Q - Matrix::Identity(n, n)).cwiseAbs().maxCoeff() < 1e-13);
    CHECK((r.Z.transpose() * r.Z - Matrix::Identity(n, n)).cwiseAbs().maxCoeff() < 1e-13);
    // T upper triangular, S quasi-triangular.
    for (Index j = 0; j < n; ++j)
      for (Index i = j + 1; i < n; ++i) {
        CHECK(r.T(i, j) == 0.0);
        if (i > j + 1) CHECK(r.S(i, j) == 0.0);
      }
    // Stable first, and the eigenvalues are those of B^{-1} A.
    for (Index i = 0; i < n; ++i) {
      const double m = std::abs(r.eigenvalues[i]);
      if (i < r.n_stable) CHECK(m < 1.0 + 1e-6);
      else CHECK(m >= 1.0 + 1e-6);
    }
    const Eigen::VectorXcd ev = Matrix(B.lu().solve(A)).eigenvalues();
    for (Index i = 0; i < n; ++i) {
      double best = 1e300;
      for (Index k = 0; k < n; ++k) best = std::min(best, std::abs(ev[k] - r.eigenvalues[i]));
      CHECK(best < 1e-9 * std::max(1.0, std::abs(r.eigenvalues[i])));
    }
  }
}

TEST_CASE("qz: infinite eigenvalues, custom criterion, singular pencil", "[numerics][qz]") {
  // B singular: one infinite eigenvalue.
  Matrix A(3, 3), B(3, 3);
  A << 1, 2, 0, 0, 3, 1, 1, 0, 2;
  B << 1, 0, 0, 0, 1, 0, 0, 0, 0;
  auto r = numerics::qz(A, B);
  REQUIRE(r.ok());
  CHECK(r.n_infinite == 1);
  Index infinite_at = -1;
  for (Index i = 0; i < 3; ++i)
    if (std::isinf(r.eigenvalues[i].real())) infinite_at = i;
  CHECK(infinite_at >= r.n_stable);  // infinite eigenvalues are never selected

  // Criterion 0.5: diagonal pencil with eigenvalues 0.4, 0.9, 2 -> only 0.4 is "stable".
  Matrix D = Matrix(Vector((Vector(3) << 2.0, 0.9, 0.4).finished()).asDiagonal());
  numerics::QzOptions o;
  o.qz_criterium = 0.5;
  r = numerics::qz(D, Matrix::Identity(3, 3), o);
  REQUIRE(r.ok());
  CHECK(r.n_stable == 1);
  CHECK(std::abs(r.eigenvalues[0].real() - 0.4) < 1e-14);
  o.sort = false;
  r = numerics::qz(D, Matrix::Identity(3, 3), o);
  CHECK(r.n_stable == 1);
  CHECK(std::abs(r.eigenvalues[0].real() - 2.0) < 1e-14);

  // Complex pair of modulus sqrt(0.5) stays together and is counted twice.
  Matrix R(2, 2);
  R << 0.5, -0.5, 0.5, 0.5;
  r = numerics::qz(R, Matrix::Identity(2, 2));
  REQUIRE(r.ok());
  CHECK(r.n_stable == 2);
  CHECK(std::abs(std::abs(r.eigenvalues[0]) - std::sqrt(0.5)) < 1e-14);

  // 0/0: a common null vector of A and B.
  Matrix A0 = Matrix::Zero(2, 2), B0 = Matrix::Zero(2, 2);
  A0(0, 0) = 1;
  B0(0, 0) = 1;
  r = numerics::qz(A0, B0);
  CHECK(r.status == Status::Singular);
  CHECK(r.message.find("0/0") != std::string::npos);

  // Empty pencil, misuse.
  r = numerics::qz(Matrix(0, 0), Matrix(0, 0));
  CHECK(r.ok());
  CHECK(r.n_stable == 0);
  CHECK_THROWS_AS(numerics::qz(Matrix::Identity(2, 2), Matrix::Identity(3, 3)), DimensionError);
  o.qz_criterium = -1;
  CHECK_THROWS_AS(numerics::qz(D, D, o), OptionsError);
  Matrix bad = Matrix::Identity(2, 2);
  bad(0, 1) = std::nan("");
  CHECK(numerics::qz(bad, Matrix::Identity(2, 2)).status == Status::NumericalIssue);
  CHECK(!numerics::qz(A, B).summary().empty());
}
