// Theoretical moments and variance decompositions: agreement with Dynare (nk3, rbc) and
// consistency checks.

#include "test_perturbation_models.hpp"

#include <govsim/core/error.hpp>
#include <govsim/dsge/irf.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/moments.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace govsim;
using govsim::test::Json;

namespace {

void compare_moments(const std::string& name, const dsge::LinearizedModel& lin) {
  const auto path = govsim::test::reference_case(name);
  if (!path) return;
  const Json ref = Json::parse_file(path->string());
  const auto sol = dsge::solve_first_order(lin);
  REQUIRE(sol.ok());
  dsge::MomentsOptions o;
  o.max_lag = 1;
  const auto m = dsge::theoretical_moments(sol, o);
  REQUIRE(m.ok());
  const Json& mr = ref["moments"];
  CHECK(m.var_names == mr["var_list"].as_strings());
  CHECK(m.exo_names == mr["variance_decomposition_cols"].as_strings());
  const Matrix var_ref = mr["var"].as_matrix();
  const Matrix ac_ref = mr["autocorr_lag1"].as_matrix();
  const Matrix vd_ref = mr["variance_decomposition_percent"].as_matrix();
  const Vector mean_ref = mr["mean"].as_vector();
  REQUIRE(m.autocorrelation.size() == 1);
  const double d_var = govsim::test::scaled_deviation(m.covariance, var_ref);
  const double d_ac = govsim::test::scaled_deviation(m.autocorrelation[0], ac_ref);
  const double d_vd = govsim::test::scaled_deviation(m.variance_decomposition, vd_ref);
  const double d_mean = govsim::test::scaled_deviation(m.mean, mean_ref);
  INFO(name << ": var abs dev " << govsim::test::max_abs_deviation(m.covariance, var_ref) << " (scaled " << d_var
            << "), autocorr " << govsim::test::max_abs_deviation(m.autocorrelation[0], ac_ref) << " (" << d_ac
            << "), vardec " << govsim::test::max_abs_deviation(m.variance_decomposition, vd_ref) << " (" << d_vd
            << ")");
  CHECK(d_var <= govsim::test::Tol::relative);
  CHECK(d_ac <= govsim::test::Tol::relative);
  CHECK(d_vd <= govsim::test::Tol::relative);
  CHECK(d_mean <= govsim::test::Tol::relative);
}

}  // namespace

TEST_CASE("nk3 moments match Dynare", "[moments][dynare]") { compare_moments("nk3", govsim::test::nk3_model()); }

TEST_CASE("rbc moments match Dynare", "[moments][dynare]") { compare_moments("rbc", govsim::test::rbc_model()); }

TEST_CASE("moments are consistent with the IRFs and simulation formulas", "[moments]") {
  const auto sol = dsge::solve_first_order(govsim::test::nk3_model());
  REQUIRE(sol.ok());
  dsge::MomentsOptions o;
  o.max_lag = 3;
  o.zero_threshold = 0.0;
  const auto m = dsge::theoretical_moments(sol, o);
  REQUIRE(m.ok());
  // Var(y) = sum_k A^k B Sigma B' A^k' over all variables (truncated; the roots are < 0.8 in modulus
  // except 1/1.1 on the explosive side, which is not in A).
  Matrix V = Matrix::Zero(6, 6), P = sol.B;
  for (int k = 0; k < 400; ++k) {
    V += P * sol.Sigma_e * P.transpose();
    P = (sol.A * P).eval();
  }
  CHECK((m.covariance - V).cwiseAbs().maxCoeff() < 1e-10);
  const Vector sd = V.diagonal().cwiseSqrt();
  const Matrix ac1 = (sol.A * V).array() / (sd * sd.transpose()).array();
  CHECK((m.autocorrelation[0] - ac1).cwiseAbs().maxCoeff() < 1e-10);
  const Matrix ac2 = (sol.A * sol.A * V).array() / (sd * sd.transpose()).array();
  CHECK((m.autocorrelation[1] - ac2).cwiseAbs().maxCoeff() < 1e-10);
  CHECK(m.correlation.diagonal().isApprox(Vector::Ones(6), 1e-14));
  // Variance decomposition rows sum to 100.
  CHECK((m.variance_decomposition.rowwise().sum() - Vector::Constant(6, 100.0)).cwiseAbs().maxCoeff() < 1e-9);
  CHECK(m.state_covariance.rows() == 4);

  // Conditional decomposition: horizon 1 is the impact decomposition; long horizons converge to
  // the unconditional one.
  const auto cvd = dsge::conditional_variance_decomposition(sol, {1, 4, 400});
  REQUIRE(cvd.ok());
  REQUIRE(cvd.decomposition.size() == 3);
  const Matrix G = sol.ghu * Matrix(sol.Sigma_e.diagonal().cwiseSqrt().asDiagonal());
  for (Index i = 0; i < 6; ++i) {
    const double tot = G.row(i).squaredNorm();
    for (Index j = 0; j < 3; ++j) {
      if (tot > 0) CHECK(cvd.decomposition[0](i, j) == Approx(100 * G(i, j) * G(i, j) / tot).margin(1e-10));
    }
  }
  CHECK((cvd.decomposition[2] - m.variance_decomposition).cwiseAbs().maxCoeff() < 1e-6);
  CHECK((cvd.variance[2] - m.covariance.diagonal()).cwiseAbs().maxCoeff() < 1e-9);
  CHECK_THROWS_AS(dsge::conditional_variance_decomposition(sol, {0}), OptionsError);
}

TEST_CASE("moments with a unit root: Singular on request, else the stationary part", "[moments]") {
  dsge::LinearizedModel m;
  m.endo_names = {"x"};
  m.exo_names = {"e"};
  m.lagged = {0};
  m.jacobian = (Matrix(1, 3) << -1.0, 1.0, -1.0).finished();
  m.Sigma_e = Matrix::Identity(1, 1);
  const auto sol = dsge::solve_first_order(m);
  REQUIRE(sol.ok());
  dsge::MomentsOptions o;
  o.allow_unit_roots = false;
  const auto mo = dsge::theoretical_moments(sol, o);
  CHECK(mo.status == Status::Singular);
  CHECK(mo.message.find("unit") != std::string::npos);
  CHECK(dsge::unconditional_covariance(sol).status == Status::Singular);  // the policy losses' engine
  const auto all = dsge::theoretical_moments(sol);  // Dynare: the only variable is non-stationary
  REQUIRE(all.ok());
  CHECK_FALSE(all.stationary[0]);
  CHECK(std::isnan(all.covariance(0, 0)));
  CHECK(std::isnan(all.std_dev[0]));
  CHECK(std::isnan(all.autocorrelation[0](0, 0)));
}

// Dynare 5.3 (Octave), stoch_simul(order=1, irf=0, ar=3) on
//   var a x y dy c z; varexo e u; model(linear); a = a(-1) + e; x = 0.8*x(-1) + u; y = a + x;
//   dy = y - y(-1); c = 0.5*c(-1) + 0.3*x + 0.2*dy; z = y - a; end;
//   shocks; var e; stderr 0.7; var u; stderr 1.3; end;
// oo_.var, oo_.autocorr{1}, oo_.autocorr{3}, oo_.variance_decomposition: NaN for a and y (unit
// root), the stationary x, dy, c, z reported (th_autocovariances with lyapunov_symm's Schur
// vectors of the unit root).
TEST_CASE("moments with a unit root match Dynare's stationary variables", "[moments]") {
  const std::string mod =
      "var a x y dy c z; varexo e u;\n"
      "model(linear); a = a(-1) + e; x = 0.8*x(-1) + u; y = a + x; dy = y - y(-1);\n"
      "  c = 0.5*c(-1) + 0.3*x + 0.2*dy; z = y - a; end;\n"
      "shocks; var e; stderr 0.7; var u; stderr 1.3; end;\n";
  const auto model = dsge::parse_model(mod, "ur.mod");
  const auto sol = dsge::solve_first_order(dsge::linearize(model, Vector::Zero(model.n_endo())));
  REQUIRE(sol.ok());
  dsge::MomentsOptions o;
  o.max_lag = 3;
  const auto mo = dsge::theoretical_moments(sol, o);
  INFO(mo.message);
  REQUIRE(mo.ok());
  const double N = std::numeric_limits<double>::quiet_NaN();
  const Matrix var_ref = (Matrix(6, 6) << N, N, N, N, N, N,                                              //
                          N, 4.6944444444444464, N, 0.93888888888888977, 2.6601851851851865, 4.6944444444444464,  //
                          N, N, N, N, N, N,                                                              //
                          N, 0.93888888888888955, N, 2.3677777777777775, 0.48920370370370397, 0.93888888888888955,  //
                          N, 2.6601851851851865, N, 0.48920370370370403, 1.5492197530864207, 2.6601851851851865,  //
                          N, 4.6944444444444464, N, 0.93888888888888977, 2.6601851851851865, 4.6944444444444464)
                             .finished();
  const Matrix ac1_ref =
      (Matrix(6, 6) << N, N, N, N, N, N,                                                              //
       N, 0.80000000000000016, N, 0.22528984407484098, 0.78913851945682079, 0.80000000000000016,      //
       N, N, N, N, N, N,                                                                              //
       N, -0.2816123050935509, N, -0.079305490380103177, -0.27778889687793401, -0.2816123050935509,   //
       N, 0.84136092147969876, N, 0.22575544931272018, 0.8434225751234391, 0.84136092147969876,       //
       N, 0.80000000000000016, N, 0.22528984407484098, 0.78913851945682079, 0.80000000000000016)
          .finished();
  const Matrix ac3_ref =
      (Matrix(6, 6) << N, N, N, N, N, N,                                                              //
       N, 0.51200000000000023, N, 0.14418550020789822, 0.50504865245236541, 0.51200000000000023,      //
       N, N, N, N, N, N,                                                                              //
       N, -0.18023187525987264, N, -0.050755513843266147, -0.17778489400187786, -0.18023187525987264,  //
       N, 0.5724155510618778, N, 0.15840372800572775, 0.56801512190923653, 0.5724155510618778,        //
       N, 0.51200000000000023, N, 0.14418550020789822, 0.50504865245236541, 0.51200000000000023)
          .finished();
  const Matrix vd_ref = (Matrix(6, 2) << N, N, 0, 100, N, N, 20.694509619896987, 79.305490380103009,
                         1.6868706509370139, 98.31312934906299, 0, 100)
                            .finished();
  auto same = [](const Matrix& got, const Matrix& ref, double tol) {
    REQUIRE(got.rows() == ref.rows());
    REQUIRE(got.cols() == ref.cols());
    for (Index i = 0; i < ref.rows(); ++i)
      for (Index j = 0; j < ref.cols(); ++j) {
        INFO("entry (" << i << ", " << j << "): " << got(i, j) << " vs Dynare " << ref(i, j));
        if (std::isnan(ref(i, j)))
          CHECK(std::isnan(got(i, j)));
        else
          CHECK(std::abs(got(i, j) - ref(i, j)) <= tol * std::max(1.0, std::abs(ref(i, j))));
      }
  };
  CHECK(mo.stationary == std::vector<bool>{false, true, false, true, true, true});
  same(mo.covariance, var_ref, 1e-10);
  same(mo.autocorrelation[0], ac1_ref, 1e-10);
  same(mo.autocorrelation[2], ac3_ref, 1e-10);
  same(mo.variance_decomposition, vd_ref, 1e-10);
  const auto cov = dsge::unconditional_covariance(sol, Matrix(), true);
  REQUIRE(cov.ok());
  CHECK(cov.unit_root_vectors.cols() == 1);
  same(cov.covariance.topLeftCorner(6, 6), var_ref, 1e-10);
}

TEST_CASE("static model moments and single-shock decomposition", "[moments]") {
  dsge::LinearizedModel m;
  m.endo_names = {"y", "x"};
  m.exo_names = {"e1", "e2"};
  m.jacobian = (Matrix(2, 4) << 1, -2, -1, 0, 0, 1, 0, -3).finished();
  m.Sigma_e = Matrix::Identity(2, 2);
  const auto sol = dsge::solve_first_order(m);
  REQUIRE(sol.ok());
  const auto mo = dsge::theoretical_moments(sol);
  REQUIRE(mo.ok());
  CHECK(mo.covariance(0, 0) == Approx(37.0));
  CHECK(mo.covariance(1, 1) == Approx(9.0));
  CHECK(mo.covariance(0, 1) == Approx(18.0));
  CHECK(mo.variance_decomposition(0, 0) == Approx(100.0 / 37.0));
  CHECK(mo.autocorrelation.size() == 5);
  CHECK(mo.autocorrelation[0].cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("auxiliary lag variables: AR(2) moments and reporting", "[moments][irf]") {
  // x = a x(-1) + b x(-2) + e, written with Dynare's auxiliary variable aux = x(-1).
  const double a = 0.5, b = 0.3;
  dsge::LinearizedModel m;
  m.endo_names = {"x", "AUX_ENDO_LAG_0_1"};
  m.n_declared = 1;
  m.exo_names = {"e"};
  m.steady_state = (Vector(2) << 2.0, 2.0).finished();
  m.lagged = {0, 1};
  // cols: lag x, aux | cur x, aux | e
  m.jacobian = (Matrix(2, 5) << -a, -b, 1, 0, -1,  //
                -1, 0, 0, 1, 0)
                   .finished();
  m.Sigma_e = Matrix::Identity(1, 1);
  const auto sol = dsge::solve_first_order(m);
  REQUIRE(sol.ok());
  CHECK(sol.state_names == Names{"x", "AUX_ENDO_LAG_0_1"});
  const auto mo = dsge::theoretical_moments(sol);
  REQUIRE(mo.ok());
  CHECK(mo.var_names == Names{"x"});
  const double g0 = (1 - b) / ((1 + b) * ((1 - b) * (1 - b) - a * a));
  CHECK(mo.covariance(0, 0) == Approx(g0).epsilon(1e-12));
  CHECK(mo.autocorrelation[0](0, 0) == Approx(a / (1 - b)).epsilon(1e-12));
  CHECK(mo.mean[0] == 2.0);
  dsge::MomentsOptions all;
  all.include_auxiliary = true;
  CHECK(dsge::theoretical_moments(sol, all).var_names.size() == 2);
  const auto irf = dsge::impulse_responses(sol);
  REQUIRE(irf.ok());
  const Vector x = irf.response("e", "x");
  // psi_0 = 1, psi_1 = a, psi_2 = a^2 + b (shock size sqrt(1 + 1e-14)).
  CHECK(x[2] == Approx((a * a + b) * std::sqrt(1 + 1e-14)).epsilon(1e-13));
}

TEST_CASE("the covariance engine: all variables, shock override, autocovariances", "[moments]") {
  const auto sol = dsge::solve_first_order(govsim::test::rbc_model());
  REQUIRE(sol.ok());
  const auto c = dsge::unconditional_covariance(sol);
  REQUIRE(c.ok());
  const Index n = sol.A.rows();
  REQUIRE(c.covariance.rows() == n);
  // Var(y) solves the Lyapunov equation of the full transition: V = A V A' + B S B'
  const Matrix resid = c.covariance - sol.A * c.covariance * sol.A.transpose() -
                       sol.B * sol.Sigma_e * sol.B.transpose();
  CHECK(resid.cwiseAbs().maxCoeff() <= 1e-12 * c.covariance.cwiseAbs().maxCoeff());
  CHECK((c.covariance - c.covariance.transpose()).cwiseAbs().maxCoeff() == 0.0);
  // theoretical_moments reports the same numbers for the declared variables
  dsge::MomentsOptions mo;
  mo.max_lag = 3;
  mo.zero_threshold = 0.0;
  const auto m = dsge::theoretical_moments(sol, mo);
  REQUIRE(m.ok());
  const Index nv = m.covariance.rows();
  CHECK((m.covariance - c.covariance.topLeftCorner(nv, nv)).cwiseAbs().maxCoeff() == 0.0);
  // autocorrelations are the scaled autocovariances A^k V
  const auto ac = dsge::autocovariances(sol, c.covariance, 3);
  REQUIRE(ac.size() == 3);
  for (std::size_t k = 0; k < 3; ++k)
    for (Index i = 0; i < nv; ++i)
      if (m.std_dev[i] > 0)
        CHECK(std::abs(ac[k](i, i) / c.covariance(i, i) - m.autocorrelation[k](i, i)) < 1e-12);
  // a shock covariance scaled by s gives a covariance scaled by s
  const auto c4 = dsge::unconditional_covariance(sol, 4.0 * sol.Sigma_e);
  REQUIRE(c4.ok());
  CHECK((c4.covariance - 4.0 * c.covariance).cwiseAbs().maxCoeff() <= 1e-12 * c4.covariance.cwiseAbs().maxCoeff());
  CHECK_THROWS_AS(dsge::unconditional_covariance(sol, Matrix::Identity(5, 5)), DimensionError);
  CHECK_THROWS_AS(dsge::autocovariances(sol, c.covariance, -1), OptionsError);
}
