// Inoperability IO model: static (demand and supply side) and dynamic (DIIM) against closed forms.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/io/inoperability.hpp>
#include <govsim/io/io_table.hpp>

#include <Eigen/Dense>
#include <unsupported/Eigen/MatrixFunctions>

#include "io_fixtures.hpp"

using namespace govsim;
using namespace govsim::io;

TEST_CASE("static demand IIM equals the normalized Leontief solution", "[io][dynamic_io][inoperability]") {
  IOTable t(test::textbook_data());
  Matrix As = interdependency_matrix(t);
  const Vector& x = t.x();
  // A* = x̂⁻¹ A x̂
  Matrix A = t.A();
  CHECK((As - x.cwiseInverse().asDiagonal() * A * x.asDiagonal()).cwiseAbs().maxCoeff() < 1e-14);
  Vector df(3);
  df << 50, 0, 20;  // demand reduction
  Vector c = df.cwiseQuotient(x);
  auto r = static_inoperability(t, c);
  REQUIRE(r.ok());
  Vector dx = (Matrix::Identity(3, 3) - A).inverse() * df;
  CHECK((r.inoperability - dx.cwiseQuotient(x)).cwiseAbs().maxCoeff() < 1e-14);
  CHECK((r.economic_loss - dx).cwiseAbs().maxCoeff() < 1e-10);
  CHECK(r.loss_rank.front() == 0);
  CHECK_THROWS_AS(static_inoperability(t, Vector::Zero(2)), DimensionError);
}

TEST_CASE("static supply IIM equals the normalized Ghosh solution", "[io][dynamic_io][inoperability]") {
  IOTable t(test::textbook_data());
  const Vector& x = t.x();
  Vector dv(3);
  dv << 10, 40, 0;
  auto r = static_inoperability(t, dv.cwiseQuotient(x), InoperabilityDirection::Supply);
  REQUIRE(r.ok());
  Matrix G = (Matrix::Identity(3, 3) - t.B()).inverse();
  Vector dx = (dv.transpose() * G).transpose();
  CHECK((r.inoperability - dx.cwiseQuotient(x)).cwiseAbs().maxCoeff() < 1e-14);
}

TEST_CASE("DIIM constant perturbation matches its closed form; steady state = static IIM",
          "[io][dynamic_io][inoperability]") {
  IOTable t(test::random_data(8, 7));
  const Index n = t.n();
  Matrix As = interdependency_matrix(t);
  Vector K = Vector::LinSpaced(n, 0.02, 0.2);
  Vector q0 = Vector::Zero(n);
  q0(2) = 0.4;
  q0(5) = 0.1;
  Vector c = Vector::Zero(n);
  c(1) = 0.05;
  c(7) = 0.02;
  DiimOptions o;
  o.resilience = K;
  std::vector<double> times{0, 1, 5, 10, 30, 60, 120, 365};
  Matrix I = Matrix::Identity(n, n);
  Vector qstar = (I - As).partialPivLu().solve(c);
  Matrix M = K.asDiagonal() * (I - As);
  // cumulative loss: ∫ q = q* T + M⁻¹ (I − e^{−MT}) (q0 − q*)
  const double T = times.back();
  Vector cum = qstar * T + M.partialPivLu().solve((I - (-M * T).exp()) * (q0 - qstar));
  const SparseMatrix As_sparse = sparse_interdependency_matrix(t);
  CHECK((Matrix(As_sparse) - As).cwiseAbs().maxCoeff() < 1e-15);
  struct Case {
    DiimMethod method;
    bool sparse;
    const char* name;
  };
  for (const Case& cs : {Case{DiimMethod::Auto, false, "auto (krylov), table"}, Case{DiimMethod::Krylov, true, "krylov, sparse"},
                         Case{DiimMethod::Adaptive, false, "adaptive, dense"}, Case{DiimMethod::Adaptive, true, "adaptive, sparse"}}) {
    DiimOptions oc = o;
    oc.method = cs.method;
    auto r = cs.sparse ? dynamic_inoperability(As_sparse, t.x(), q0, c, times, oc) : dynamic_inoperability(t, q0, c, times, oc);
    REQUIRE(r.ok());
    CHECK(r.method == (cs.method == DiimMethod::Adaptive ? "adaptive" : "krylov"));
    double worst = 0;
    for (std::size_t k = 0; k < times.size(); ++k) {
      Vector expect = qstar + (-M * times[k]).exp() * (q0 - qstar);
      worst = std::max(worst, (r.inoperability.row(static_cast<Index>(k)).transpose() - expect).cwiseAbs().maxCoeff());
    }
    const double cum_err =
        (r.cumulative_loss - t.x().cwiseProduct(cum)).cwiseAbs().maxCoeff() / r.cumulative_loss.cwiseAbs().maxCoeff();
    WARN("DIIM " << cs.name << " vs closed form: max abs error " << worst << ", cumulative loss rel. error " << cum_err
                 << ", " << r.iterations << " products/evaluations");
    CHECK(worst < 1e-9);
    CHECK(cum_err < 1e-8);
    CHECK((r.steady_state - qstar).cwiseAbs().maxCoeff() < 1e-13);
  }
  // a single Krylov step with dense output needs far fewer products than Runge-Kutta evaluations
  DiimOptions ok = o, oa = o;
  ok.method = DiimMethod::Krylov;
  oa.method = DiimMethod::Adaptive;
  CHECK(dynamic_inoperability(t, q0, c, times, ok).iterations < dynamic_inoperability(t, q0, c, times, oa).iterations);
  // no perturbation: q* = 0 and the path decays; sparse static IIM equals dense
  auto zero = dynamic_inoperability(As_sparse, t.x(), q0, Vector::Zero(n), times, ok);
  REQUIRE(zero.ok());
  CHECK(zero.steady_state.cwiseAbs().maxCoeff() == 0.0);
  CHECK((zero.inoperability.row(7).transpose() - (-M * 365.0).exp() * q0).cwiseAbs().maxCoeff() < 1e-9);
  CHECK((static_inoperability(As_sparse, c).inoperability - qstar).cwiseAbs().maxCoeff() < 1e-13);
  IOTableData sd = test::random_data(8, 7);
  sd.Z_sparse = sd.Z.sparseView();
  sd.Z.resize(0, 0);
  IOTable ts(sd);
  REQUIRE(ts.is_sparse());
  CHECK((static_inoperability(ts, c).inoperability - qstar).cwiseAbs().maxCoeff() < 1e-13);
  CHECK((dynamic_inoperability(ts, q0, c, times, ok).inoperability.row(7).transpose() - qstar -
         (-M * 365.0).exp() * (q0 - qstar)).cwiseAbs().maxCoeff() < 1e-9);
  DiimOptions badk = ok;
  badk.perturbation_path = [n](double) { return Vector::Zero(n); };
  CHECK_THROWS_AS(dynamic_inoperability(t, q0, c, times, badk), OptionsError);
  badk = o;
  badk.krylov_dimension = 1;
  CHECK_THROWS_AS(dynamic_inoperability(t, q0, c, times, badk), OptionsError);
  // long run: the dynamic path reaches the static IIM
  auto longrun = dynamic_inoperability(t, q0, c, {0.0, 5000.0}, o);
  CHECK((longrun.inoperability.row(1).transpose() - static_inoperability(t, c).inoperability).cwiseAbs().maxCoeff() <
        1e-10);

  // discrete time: q(t) = q* + (I − M)^t (q0 − q*)
  o.time = DiimTime::Discrete;
  auto d = dynamic_inoperability(t, q0, c, times, o);
  REQUIRE(d.ok());
  double worst_d = 0;
  for (std::size_t k = 0; k < times.size(); ++k) {
    Matrix P = I;
    for (int s = 0; s < static_cast<int>(times[k]); ++s) P = (I - M) * P;
    Vector expect = qstar + P * (q0 - qstar);
    worst_d = std::max(worst_d, (d.inoperability.row(static_cast<Index>(k)).transpose() - expect).cwiseAbs().maxCoeff());
  }
  CHECK(worst_d < 1e-12);
  auto ds = dynamic_inoperability(As_sparse, t.x(), q0, c, times, o);
  CHECK((ds.inoperability - d.inoperability).cwiseAbs().maxCoeff() < 1e-14);
  CHECK_THROWS_AS(dynamic_inoperability(t, q0, c, {0.0, 0.5}, o), DimensionError);
}

TEST_CASE("DIIM time-varying perturbation, recovery coefficients and bad input", "[io][dynamic_io][inoperability]") {
  IOTable t(test::textbook_data());
  Matrix As = interdependency_matrix(t);
  Vector q0 = Vector::Constant(3, 0.2);
  Vector qT = Vector::Constant(3, 0.01);
  Vector T = Vector::Constant(3, 100.0);
  Vector K = resilience_from_recovery(As, q0, qT, T);
  CHECK(K(0) == Approx(std::log(20.0) / (100.0 * (1 - As(0, 0)))).epsilon(1e-14));
  DiimOptions o;
  o.resilience = K;
  // a demand perturbation that lasts 30 days then vanishes: q returns to 0
  o.perturbation_path = [](double tt) { return tt < 30.0 ? Vector::Constant(3, 0.05) : Vector::Zero(3); };
  auto r = dynamic_inoperability(t, Vector::Zero(3), Vector(), {0, 10, 30, 400, 2000}, o);
  REQUIRE(r.ok());
  CHECK(r.inoperability(2, 0) > 0.0);
  CHECK(r.inoperability(4, 0) < 1e-5);
  CHECK(r.steady_state.cwiseAbs().maxCoeff() == 0.0);
  DiimOptions bad;
  bad.resilience = Vector::Constant(3, -1.0);
  CHECK_THROWS_AS(dynamic_inoperability(t, q0, Vector::Zero(3), {0, 1}, bad), OptionsError);
  CHECK_THROWS_AS(resilience_from_recovery(As, q0, Vector::Zero(3), T), OptionsError);
}

TEST_CASE("DIIM Krylov steps with restarts match the closed form on a larger sparse table",
          "[io][dynamic_io][inoperability]") {
  IOTable t(test::random_data(120, 11, 0.1));
  const Index n = t.n();
  Matrix As = interdependency_matrix(t);
  Vector K = Vector::LinSpaced(n, 0.01, 0.5);  // stiff-ish spread of resilience
  Vector q0 = Vector::Zero(n);
  q0.head(6).setConstant(0.3);
  Vector c = Vector::Zero(n);
  c(10) = 0.04;
  Matrix I = Matrix::Identity(n, n);
  Vector qstar = (I - As).partialPivLu().solve(c);
  Matrix M = K.asDiagonal() * (I - As);
  std::vector<double> times;
  for (int d = 0; d <= 365; ++d) times.push_back(d);
  for (int dim : {8, 30}) {
    DiimOptions o;
    o.resilience = K;
    o.method = DiimMethod::Krylov;
    o.krylov_dimension = dim;
    auto r = dynamic_inoperability(sparse_interdependency_matrix(t), t.x(), q0, c, times, o);
    REQUIRE(r.ok());
    double worst = 0;
    for (std::size_t k = 0; k < times.size(); k += 73) {
      Vector expect = qstar + (-M * times[k]).exp() * (q0 - qstar);
      worst = std::max(worst, (r.inoperability.row(static_cast<Index>(k)).transpose() - expect).cwiseAbs().maxCoeff());
    }
    const double T = times.back();
    Vector cum = qstar * T + M.partialPivLu().solve((I - (-M * T).exp()) * (q0 - qstar));
    const double cum_err =
        (r.cumulative_loss - t.x().cwiseProduct(cum)).cwiseAbs().maxCoeff() / r.cumulative_loss.cwiseAbs().maxCoeff();
    WARN("DIIM Krylov m=" << dim << ", n=" << n << ": max abs error " << worst << ", cumulative rel. error " << cum_err
                          << ", " << r.iterations << " products");
    CHECK(worst < 1e-9);
    CHECK(cum_err < 1e-8);
  }
}
