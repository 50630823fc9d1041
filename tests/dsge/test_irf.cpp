// IRFs and simulation of first-order solutions: Dynare's IRFs for nk3 and rbc, sized shocks,
// shock paths, reproducible simulation.

#include "test_perturbation_models.hpp"

#include <govsim/core/error.hpp>
#include <govsim/dsge/irf.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/simulation.hpp>

#include <Eigen/Cholesky>
#include <catch2/catch.hpp>

using namespace govsim;
using govsim::test::Json;

namespace {

void compare_irfs(const std::string& name, const dsge::LinearizedModel& lin) {
  const auto path = govsim::test::reference_case(name);
  if (!path) return;
  const Json ref = Json::parse_file(path->string());
  const auto sol = dsge::solve_first_order(lin);
  REQUIRE(sol.ok());
  dsge::IrfOptions o;
  o.periods = static_cast<Index>(ref["irf_periods"].as_number());
  REQUIRE(o.periods == 40);
  const auto irf = dsge::impulse_responses(sol, o);
  REQUIRE(irf.ok());
  double worst = 0.0, worst_abs = 0.0;
  for (const auto& shock : ref["exo_names"].as_strings()) {
    for (const auto& var : ref["endo_names"].as_strings()) {
      const Vector expected = ref["irfs"][shock][var].as_vector();
      const Vector got = irf.response(shock, var);
      REQUIRE(got.size() == expected.size());
      worst = std::max(worst, govsim::test::scaled_deviation(got, expected));
      worst_abs = std::max(worst_abs, govsim::test::max_abs_deviation(got, expected));
    }
  }
  INFO(name << ": IRF max abs deviation " << worst_abs << ", scaled " << worst);
  CHECK(worst <= govsim::test::Tol::relative);
}

}  // namespace

TEST_CASE("nk3 IRFs match Dynare", "[irf][dynare]") { compare_irfs("nk3", govsim::test::nk3_model()); }

TEST_CASE("rbc IRFs match Dynare", "[irf][dynare]") { compare_irfs("rbc", govsim::test::rbc_model()); }

TEST_CASE("IRF conventions: Cholesky impulse, sized shocks, shock paths", "[irf]") {
  auto lin = govsim::test::nk3_model();
  lin.Sigma_e(0, 1) = lin.Sigma_e(1, 0) = 0.2;  // correlated demand and cost-push shocks
  const auto sol = dsge::solve_first_order(lin);
  REQUIRE(sol.ok());
  const auto irf = dsge::impulse_responses(sol);
  REQUIRE(irf.ok());
  REQUIRE(irf.responses.size() == 3);
  CHECK(irf.var_names == lin.endo_names);
  // The impulse of eps_d moves eps_s too (lower Cholesky factor of Sigma + 1e-14 I).
  const Matrix L = (lin.Sigma_e + 1e-14 * Matrix::Identity(3, 3)).llt().matrixL();
  CHECK((irf.impulses - L).cwiseAbs().maxCoeff() < 1e-15);
  CHECK(irf.response("eps_d").row(0).transpose().isApprox(sol.ghu * L.col(0), 1e-14));
  // Period 2 follows the transition form.
  CHECK(irf.response("eps_d").row(1).transpose().isApprox(sol.A * sol.ghu * L.col(0), 1e-14));

  // Sized shocks: a 2-unit eps_m impulse is exactly twice a unit one.
  const auto one = dsge::sized_impulse_responses(sol, Vector::Unit(3, 2));
  const auto two = dsge::sized_impulse_responses(sol, 2 * Vector::Unit(3, 2));
  CHECK((two.response("eps_m") - 2 * one.response("eps_m")).cwiseAbs().maxCoeff() < 1e-14);
  CHECK(one.response("eps_d").cwiseAbs().maxCoeff() == 0.0);

  // A path is the superposition of shifted impulse responses.
  Matrix path = Matrix::Zero(4, 3);
  path.col(0).setConstant(0.25);
  const Matrix resp = dsge::shock_path_response(sol, path);
  const auto unit = dsge::sized_impulse_responses(sol, 0.25 * Vector::Unit(3, 0));
  Matrix sum = Matrix::Zero(40, 6);
  for (Index s = 0; s < 4; ++s) sum.bottomRows(40 - s) += unit.response("eps_d").topRows(40 - s);
  CHECK((resp - sum).cwiseAbs().maxCoeff() < 1e-13);

  CHECK_THROWS_AS(irf.response("nope"), ModelError);
  CHECK_THROWS_AS(dsge::sized_impulse_responses(sol, Vector::Ones(2)), DimensionError);
  CHECK_THROWS_AS(dsge::shock_path_response(sol, Matrix::Zero(3, 2)), DimensionError);
  dsge::IrfOptions bad;
  bad.periods = 0;
  CHECK_THROWS_AS(dsge::impulse_responses(sol, bad), OptionsError);
}

TEST_CASE("IRFs of a failed solution report its status", "[irf]") {
  govsim::test::Nk3Params p;
  p.phi_pi = 0.5;
  const auto sol = dsge::solve_first_order(govsim::test::nk3_model(p));
  const auto irf = dsge::impulse_responses(sol);
  CHECK(irf.status == Status::Indeterminate);
  CHECK(irf.responses.empty());
  CHECK(irf.message.find("Indeterminate") != std::string::npos);
  const auto sim = dsge::simulate(sol);
  CHECK(sim.status == Status::Indeterminate);
}

TEST_CASE("seeded simulation is reproducible and consistent with the decision rule", "[irf][simulation]") {
  const auto sol = dsge::solve_first_order(govsim::test::rbc_model());
  REQUIRE(sol.ok());
  dsge::SimulationOptions o;
  o.periods = 50;
  o.drop = 10;
  o.seed = 7;
  const auto a = dsge::simulate(sol, o);
  const auto b = dsge::simulate(sol, o);
  REQUIRE(a.ok());
  CHECK(a.paths.rows() == 50);
  CHECK(a.paths.cols() == 8);
  CHECK(a.shocks.rows() == 50);
  CHECK((a.paths - b.paths).cwiseAbs().maxCoeff() == 0.0);
  o.seed = 8;
  const auto c = dsge::simulate(sol, o);
  CHECK((a.paths - c.paths).cwiseAbs().maxCoeff() > 0.0);

  // y_t - ys = ghx (y_{t-1}[states] - ys[states]) + ghu u_t along the path.
  for (Index t = 1; t < a.paths.rows(); ++t) {
    Vector prev(sol.state_indices.size());
    for (std::size_t s = 0; s < sol.state_indices.size(); ++s)
      prev[static_cast<Index>(s)] = a.paths(t - 1, sol.state_indices[s]) - sol.steady_state[sol.state_indices[s]];
    const Vector expect = sol.steady_state + sol.ghx * prev + sol.ghu * a.shocks.row(t).transpose();
    CHECK((a.paths.row(t).transpose() - expect).cwiseAbs().maxCoeff() < 1e-12);
  }
  // Deterministic simulation with the same shocks and the same start reproduces the path.
  dsge::SimulationOptions d;
  d.deviations = true;
  const auto det = dsge::simulate_with_shocks(sol, a.shocks.bottomRows(49), [&] {
    dsge::SimulationOptions s = d;
    s.initial_deviation = a.paths.row(0).transpose() - sol.steady_state;
    return s;
  }());
  Matrix expected = a.paths.bottomRows(49);
  expected.rowwise() -= sol.steady_state.transpose();
  CHECK((det.paths - expected).cwiseAbs().maxCoeff() < 1e-12);

  // Sample moments of the shocks: a long simulation has roughly the right variance.
  dsge::SimulationOptions longo;
  longo.periods = 20000;
  const auto l = dsge::simulate(sol, longo);
  const double var_e = l.shocks.col(0).squaredNorm() / 20000.0;
  CHECK(var_e == Approx(1e-4).epsilon(0.05));
}
