// Kalman filter against Dynare (nk3), missing observations, smoother identities.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/estimation.hpp>
#include <govsim/dsge/kalman.hpp>
#include <govsim/dsge/model_solver.hpp>

#include "../support.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

using namespace govsim;

namespace {
Matrix read_csv(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  std::vector<std::vector<double>> rows;
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string cell;
    rows.emplace_back();
    while (std::getline(ss, cell, ',')) rows.back().push_back(std::stod(cell));
  }
  Matrix M(static_cast<Index>(rows.size()), static_cast<Index>(rows[0].size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j) M(static_cast<Index>(i), static_cast<Index>(j)) = rows[i][j];
  return M;
}
}  // namespace

TEST_CASE("nk3 log-likelihood matches Dynare", "[kalman][estimation][dynare]") {
  auto dir = test::shared_dir();
  if (!dir) {
    GOVSIM_SKIP("shared reference folder not found (set GOVSIM_SHARED_DIR): test skipped");
  }
  auto case_dir = *dir / "reference/dynare/cases/nk3_est";
  auto m = dsge::parse_model_file((case_dir / "model.mod").string());
  Matrix data = read_csv((case_dir / "nk3_sim200_obs.csv").string());
  dsge::Estimator est(m, dsge::estimated_parameters(m), m.varobs(), data);
  Vector th = est.initial();
  CHECK(std::abs(est.log_likelihood(th) - (-748.5819484788057)) < 1e-8);
  // the exact filter (no steady-state switch) agrees
  dsge::KalmanOptions exact;
  exact.riccati_tol = 0;
  dsge::Estimator est2(m, dsge::estimated_parameters(m), m.varobs(), data, exact);
  CHECK(std::abs(est2.log_likelihood(th) - (-748.5819484788057)) < 1e-8);

  // missing observations: dropping a whole row equals the filter on the data without that value
  dsge::ModelSolver s(m, {});
  auto sol = s.solve(Vector()).solution;
  auto ss = dsge::make_state_space(sol, m.varobs());
  Matrix d2 = data;
  d2(10, 1) = std::nan("");
  auto k1 = dsge::kalman_filter(ss, d2);
  REQUIRE(k1.ok());
  CHECK(k1.n_observations == data.size() - 1);
  CHECK(std::isfinite(k1.log_likelihood));
  CHECK(k1.log_likelihood > -748.5819484788057);  // one fewer density term
  // a fully missing final row leaves the likelihood unchanged
  Matrix d3(data.rows() + 1, data.cols());
  d3.topRows(data.rows()) = data;
  d3.row(data.rows()).setConstant(std::nan(""));
  CHECK(std::abs(dsge::kalman_filter(ss, d3).log_likelihood - (-748.5819484788057)) < 1e-8);
  // presample removes the first contributions
  dsge::KalmanOptions ps;
  ps.presample = 5;
  auto kp = dsge::kalman_filter(ss, data, ps);
  auto kf = dsge::kalman_filter(ss, data);
  CHECK(std::abs(kp.log_likelihood - (kf.log_likelihood - kf.contributions.head(5).sum())) < 1e-9);
  CHECK_THROWS_AS(dsge::kalman_filter(ss, data.leftCols(2)), DimensionError);

  // smoother: observed variables are reproduced, state equation holds with the smoothed shocks
  auto sm = dsge::kalman_smoother(ss, data);
  REQUIRE(sm.ok());
  for (std::size_t k = 0; k < ss.obs_rows.size(); ++k)
    CHECK((sm.states.col(ss.obs_rows[k]) - data.col(static_cast<Index>(k))).cwiseAbs().maxCoeff() < 1e-8);
  for (Index t = 1; t < data.rows(); ++t) {
    Vector pred = ss.T * sm.states.row(t - 1).transpose() + ss.R * sm.shocks.row(t).transpose();
    CHECK((pred - sm.states.row(t).transpose()).cwiseAbs().maxCoeff() < 1e-8);
  }
  auto dec = dsge::shock_decomposition(ss, sm);
  for (Index t = 0; t < data.rows(); t += 37) {
    Vector sum = dec.contributions[static_cast<std::size_t>(t)].rowwise().sum();
    CHECK((sum - sm.states.row(t).transpose()).cwiseAbs().maxCoeff() < 1e-9);
  }
}
