// Second-order perturbation: Dynare's rbc order-2 reference (ghxx, ghxu, ghuu, ghs2, mean), the
// Kronecker Sylvester solver against a dense solve, pruned simulation, Euler-equation errors.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/second_order.hpp>
#include <govsim/dsge/steady_state.hpp>

#include "../json_reader.hpp"
#include "../support.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <random>

using namespace govsim;
using namespace govsim::dsge;

namespace {

// The RBC model of the fixtures (steady_state_model with helper names).
const std::string kRbcPath = std::string(GOVSIM_FIXTURES_DIR) + "/models/rbc_ssm.mod";


SecondOrderResult solve_rbc(Model& m) {
  auto ss = solve_steady_state(m);
  REQUIRE(ss.ok());
  auto fo = solve_first_order(linearize(m, ss.values));
  REQUIRE(fo.ok());
  return solve_second_order(m, fo);
}

double scaled(double a, double b, double rtol) { return std::abs(a - b) / (1e-10 + rtol * std::abs(b)) * rtol; }

}  // namespace

TEST_CASE("second order matches Dynare on rbc", "[second_order][dynare]") {
  auto dir = test::shared_dir();
  if (!dir) {
    GOVSIM_SKIP("shared reference folder absent (set GOVSIM_SHARED_DIR): test skipped");
  }
  const auto cdir = *dir / "reference/dynare/cases/rbc_order2";
  Model m = parse_model_file((cdir / "model.mod").string());
  auto so = solve_rbc(m);
  INFO(so.summary());
  REQUIRE(so.ok());
  CHECK(so.sylvester_residual < 1e-12);
  auto ref = test::Json::parse_file((cdir / "dynare_order2.json").string());
  const auto& dr = ref["dr"];
  const auto rnames = ref["endo_names"].as_strings();
  const auto rstates = dr["state_names"].as_strings();
  const Index n = static_cast<Index>(ref["orig_endo_nbr"].as_number());
  std::vector<Index> rows, sp;
  for (Index i = 0; i < n; ++i)
    rows.push_back(std::find(so.endo_names.begin(), so.endo_names.end(), rnames[static_cast<std::size_t>(i)]) -
                   so.endo_names.begin());
  for (const auto& s : rstates)
    sp.push_back(std::find(so.state_names.begin(), so.state_names.end(), s) - so.state_names.begin());
  const Index nx = static_cast<Index>(sp.size());
  const Matrix gxx = dr["ghxx"].as_matrix(), gxu = dr["ghxu"].as_matrix(), guu = dr["ghuu"].as_matrix();
  const Vector gs2 = dr["ghs2"].as_vector();
  double worst = 0;
  for (Index i = 0; i < n; ++i) {
    const Index r = rows[static_cast<std::size_t>(i)];
    for (Index a = 0; a < nx; ++a) {
      for (Index b = 0; b < nx; ++b)
        worst = std::max(worst, scaled(so.ghxx(r, sp[a] * nx + sp[b]), gxx(i, a * nx + b), 1e-8));
      worst = std::max(worst, scaled(so.ghxu(r, sp[a]), gxu(i, a), 1e-8));
    }
    worst = std::max(worst, scaled(so.ghuu(r, 0), guu(i, 0), 1e-8));
    worst = std::max(worst, scaled(so.ghs2[r], gs2[i], 1e-8));
  }
  CHECK(worst <= 1e-8);
  // second-order mean (Dynare's oo_.mean at order 2)
  const Vector mean_ref = ref["moments"]["mean"].as_vector();
  for (Index i = 0; i < n; ++i)
    CHECK(std::abs(so.mean[rows[static_cast<std::size_t>(i)]] - mean_ref[i]) <= 1e-10 + 1e-8 * std::abs(mean_ref[i]));
}

TEST_CASE("Kronecker Sylvester solver agrees with a dense solve", "[second_order]") {
  std::mt19937 gen(7);
  std::normal_distribution<double> nd;
  for (int trial = 0; trial < 3; ++trial) {
    const Index n = 5 + trial, m = 3 + trial;
    Matrix A = Matrix::NullaryExpr(n, n, [&]() { return nd(gen); }) + 4.0 * Matrix::Identity(n, n);
    Matrix B = Matrix::NullaryExpr(n, n, [&]() { return 0.5 * nd(gen); });
    B.col(0).setZero();  // rank-deficient, as in DSGE models
    Matrix G = Matrix::NullaryExpr(m, m, [&]() { return 0.3 * nd(gen); });
    Matrix C = Matrix::NullaryExpr(n, m * m, [&]() { return nd(gen); });
    Matrix X = solve_kronecker_sylvester(A, B, G, C);
    // dense check: vec(A X) + vec(B X (G⊗G)) = vec(C) with vec column-major
    Matrix K(m * m, m * m);
    for (Index i = 0; i < m; ++i)
      for (Index j = 0; j < m; ++j) K.block(i * m, j * m, m, m) = G(i, j) * G;
    Matrix res = A * X + B * X * K - C;
    CHECK(res.cwiseAbs().maxCoeff() < 1e-10);
  }
  CHECK_THROWS_AS(solve_kronecker_sylvester(Matrix::Zero(2, 2), Matrix::Zero(2, 2), Matrix::Identity(1, 1),
                                            Matrix::Ones(2, 1)),
                  SolveError);
  CHECK_THROWS_AS(solve_kronecker_sylvester(Matrix::Identity(2, 2), Matrix::Zero(2, 2), Matrix::Identity(2, 2),
                                            Matrix::Ones(2, 2)),
                  DimensionError);
}

TEST_CASE("pruned simulation and Euler-equation errors on rbc", "[second_order]") {
  Model m = parse_model_file(kRbcPath);
  auto so = solve_rbc(m);
  REQUIRE(so.ok());
  const Index nx = so.ghx.cols();
  // pruned simulation: long-run average close to the second-order mean, and y = f + s parts
  std::mt19937 gen(11);
  std::normal_distribution<double> nd;
  const Index T = 200000;
  Matrix e(T, 1);
  for (Index t = 0; t < T; ++t) e(t, 0) = 0.01 * nd(gen);
  auto sim = simulate_second_order(so, e);
  REQUIRE(sim.paths.allFinite());
  CHECK((sim.paths.row(5).transpose() - so.steady_state - sim.first_order.row(5).transpose() -
         sim.second_order.row(5).transpose())
            .cwiseAbs()
            .maxCoeff() < 1e-12);
  const Index ik = 2;  // k
  const double avg = sim.paths.col(ik).tail(T - 1000).mean();
  CHECK(std::abs(avg - so.mean[ik]) < 0.4 * std::abs(so.mean[ik] - so.steady_state[ik]));  // sampling noise: k is very persistent
  // with zero shocks a pruned path converges to the deterministic steady state of the rule
  auto det = simulate_second_order(so, Matrix::Zero(2000, 1));
  CHECK(std::abs(det.paths(1999, ik) - so.steady_state[ik]) < std::abs(so.mean[ik] - so.steady_state[ik]));
  CHECK_THROWS_AS(simulate_second_order(so, Matrix::Zero(3, 2)), DimensionError);

  // Euler errors at states away from the steady state: second order beats first order on the
  // consumption Euler equation (equation 1); exact static equations are ~0 for both.
  Matrix states(6, nx);
  const double dk[] = {-0.8, -0.4, 0.4, 0.8, -0.6, 0.6}, dz[] = {-0.03, 0.02, -0.02, 0.03, 0.0, -0.01};
  for (Index r = 0; r < 6; ++r) {
    for (Index s = 0; s < nx; ++s) states(r, s) = so.state_names[static_cast<std::size_t>(s)] == "k" ? dk[r] : dz[r];
  }
  Matrix e1 = euler_equation_errors(m, so, states, 1);
  Matrix e2 = euler_equation_errors(m, so, states, 2);
  const double m1 = e1.col(0).cwiseAbs().mean(), m2 = e2.col(0).cwiseAbs().mean();
  INFO("mean |Euler error| order 1 " << m1 << ", order 2 " << m2);
  CHECK(m2 < m1);
  CHECK(m2 < 0.5 * m1);
  CHECK(e1.col(7).cwiseAbs().maxCoeff() < 1e-12);  // z equation is exact
  CHECK_THROWS_AS(euler_equation_errors(m, so, Matrix::Zero(1, nx + 1), 2), DimensionError);
  CHECK_THROWS_AS(euler_equation_errors(m, so, states, 2, 0), OptionsError);
}
