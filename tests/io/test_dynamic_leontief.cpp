// Dynamic Leontief model against its closed form; singular B is reported.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/io/dynamic_leontief.hpp>

#include <Eigen/Dense>
#include <unsupported/Eigen/MatrixFunctions>

using namespace govsim;
using namespace govsim::io;

TEST_CASE("dynamic Leontief: closed form, equilibrium, singular B", "[io][dynamic_io][dynamic_leontief]") {
  Matrix A(3, 3);
  A << 0.15, 0.25, 0.05, 0.20, 0.05, 0.40, 0.30, 0.25, 0.05;
  Matrix B(3, 3);
  B << 2.0, 0.3, 0.1, 0.2, 1.5, 0.2, 0.1, 0.4, 3.0;
  Vector f(3);
  f << 300, 1300, 150;
  Matrix I = Matrix::Identity(3, 3);
  Vector xs = (I - A).partialPivLu().solve(f);
  // starting at equilibrium it stays there
  auto r0 = dynamic_leontief(A, B, xs, f, {0, 1, 5, 10});
  REQUIRE(r0.ok());
  CHECK((r0.output.row(3).transpose() - xs).cwiseAbs().maxCoeff() < 1e-8 * xs.maxCoeff());
  CHECK((r0.equilibrium - xs).cwiseAbs().maxCoeff() < 1e-10);
  // off equilibrium: x(t) = x* + exp(B⁻¹(I − A) t)(x0 − x*)
  Vector x0 = xs * 1.01;
  std::vector<double> times{0, 0.5, 2, 4};
  auto r = dynamic_leontief(A, B, x0, f, times);
  REQUIRE(r.ok());
  Matrix M = B.partialPivLu().solve(I - A);
  for (std::size_t k = 0; k < times.size(); ++k) {
    Vector e = xs + (M * times[k]).exp() * (x0 - xs);
    CHECK((r.output.row(static_cast<Index>(k)).transpose() - e).cwiseAbs().maxCoeff() < 1e-8 * e.cwiseAbs().maxCoeff());
  }
  CHECK(r.growth_rates.size() == 3);
  // singular B: a sector without capital
  Matrix Bs = B;
  Bs.row(1).setZero();
  auto s = dynamic_leontief(A, Bs, x0, f, times);
  CHECK(s.status == Status::Singular);
  CHECK(s.message.find("differential-algebraic") != std::string::npos);
  CHECK_THROWS_AS(dynamic_leontief(A, B, Vector::Ones(2), f, times), DimensionError);
}
