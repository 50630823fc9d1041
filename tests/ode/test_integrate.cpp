// govsim::ode::integrate (Odeint Dormand-Prince 5(4), dense output) against closed forms.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/ode/integrate.hpp>

#include <unsupported/Eigen/MatrixFunctions>

using namespace govsim;

TEST_CASE("linear system matches the matrix exponential at requested times", "[ode][dynamic_io]") {
  Matrix M(3, 3);
  M << -0.5, 0.1, 0.0,
       0.2, -0.3, 0.05,
       0.0, 0.1, -0.8;
  Vector y0(3);
  y0 << 1.0, -2.0, 0.5;
  ode::Rhs f = [&](const Vector& y, Vector& dy, double) { dy.noalias() = M * y; };
  std::vector<double> times{0.0, 0.3, 1.7, 5.0, 12.5};
  auto r = ode::integrate(f, y0, times);
  REQUIRE(r.ok());
  for (std::size_t k = 0; k < times.size(); ++k) {
    Matrix e = (M * times[k]).exp();
    Vector expect = e * y0;
    CHECK((r.states.row(static_cast<Index>(k)).transpose() - expect).cwiseAbs().maxCoeff() < 1e-9);
  }
}

TEST_CASE("integrate reports misuse, NaN and user stop", "[ode][dynamic_io]") {
  ode::Rhs f = [](const Vector& y, Vector& dy, double) { dy = -y; };
  Vector y0 = Vector::Ones(2);
  CHECK_THROWS_AS(ode::integrate(f, y0, {}), DimensionError);
  CHECK_THROWS_AS(ode::integrate(f, y0, {0.0, 0.0}), DimensionError);
  ode::OdeOptions bad;
  bad.rel_tol = 0.0;
  CHECK_THROWS_AS(ode::integrate(f, y0, {0.0, 1.0}, bad), OptionsError);
  ode::Rhs g = [](const Vector& y, Vector& dy, double) { dy = y * std::numeric_limits<double>::quiet_NaN(); };
  CHECK(ode::integrate(g, y0, {0.0, 1.0}).status == Status::NumericalIssue);
  ode::OdeOptions stop;
  int calls = 0;
  stop.on_iteration = [&](const IterationInfo& it) { ++calls; return it.iteration < 2; };
  auto r = ode::integrate(f, y0, {0.0, 1.0, 2.0, 3.0}, stop);
  CHECK(r.status == Status::UserStopped);
  CHECK(calls == 2);
}
