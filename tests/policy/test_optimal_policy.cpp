// Ramsey policy (commitment): derived first-order conditions, steady state, first-order solution
// and planner objective compared with Dynare 5.3, and the textbook commitment rule.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perfect_foresight.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/policy/run_commands.hpp>
#include <govsim/policy/conditional_forecast.hpp>
#include <govsim/policy/discretion.hpp>
#include <govsim/policy/ramsey.hpp>

#include "optimal_policy_dynare_reference.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace govsim;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(GOVSIM_FIXTURES_DIR) + "/optimal_policy/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Index index_of(const Names& names, const std::string& n) {
  auto it = std::find(names.begin(), names.end(), n);
  REQUIRE(it != names.end());
  return static_cast<Index>(it - names.begin());
}

double rel(double a, double b) { return std::abs(a - b) / std::max(1.0, std::abs(b)); }

/// Compare steady state, transition and impact matrices with Dynare, matching variables by name.
void check_against(const policy::RamseyResult& r, const dynare_ref::Case& ref, double tol) {
  REQUIRE(r.ok());
  const auto& sol = r.solution;
  const Index n = static_cast<Index>(ref.endo.size());
  REQUIRE(sol.endo_names.size() == ref.endo.size());
  const Index ne = static_cast<Index>(ref.B.size()) / n;
  REQUIRE(sol.B.cols() == ne);
  for (Index i = 0; i < n; ++i) {
    const Index gi = index_of(sol.endo_names, ref.endo[static_cast<std::size_t>(i)]);
    INFO("variable " << ref.endo[static_cast<std::size_t>(i)]);
    CHECK(rel(sol.steady_state[gi], ref.ys[static_cast<std::size_t>(i)]) < tol);
    for (Index j = 0; j < n; ++j) {
      const Index gj = index_of(sol.endo_names, ref.endo[static_cast<std::size_t>(j)]);
      INFO("lagged " << ref.endo[static_cast<std::size_t>(j)]);
      CHECK(rel(sol.A(gi, gj), ref.A[static_cast<std::size_t>(i * n + j)]) < tol);
    }
    for (Index k = 0; k < ne; ++k) CHECK(rel(sol.B(gi, k), ref.B[static_cast<std::size_t>(i * ne + k)]) < tol);
  }
  CHECK(rel(r.objective.unconditional, ref.W_uncond) < tol);
  CHECK(rel(r.objective.conditional_steady_initial_multiplier, ref.W_cond_ss) < tol);
  CHECK(rel(r.objective.conditional_zero_initial_multiplier, ref.W_cond_0) < tol);
}

}  // namespace

TEST_CASE("Ramsey: textbook NK model with cost-push shock matches Dynare", "[policy][ramsey]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_ramsey.mod"), "nk_cp_ramsey");
  policy::RamseyResult r = policy::solve_ramsey(m);
  REQUIRE(r.ramsey.instruments == Names{"i"});
  REQUIRE(r.ramsey.multipliers == Names{"MULT_1", "MULT_2", "MULT_3"});
  CHECK(r.ramsey.discount == 0.99);
  check_against(r, dynare_ref::nk_cp, 1e-8);
}

TEST_CASE("Ramsey: commitment satisfies Gali's targeting rule pi_t = -(alpha_x/kappa)(x_t - x_{t-1})",
          "[policy][ramsey]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_ramsey.mod"), "nk_cp_ramsey");
  policy::RamseyResult r = policy::solve_ramsey(m);
  REQUIRE(r.ok());
  const auto& s = r.solution;
  const double ax = m.param("alpha_x"), kappa = m.param("kappa");
  const Index ip = index_of(s.endo_names, "pi"), ix = index_of(s.endo_names, "x");
  // Simulate a few periods from a shock and check the rule at every date.
  Vector y = Vector::Zero(s.A.rows()), u = Vector::Ones(1) * 0.01;
  double x_prev = 0.0;
  for (int t = 0; t < 8; ++t) {
    y = s.A * y + (t == 0 ? Vector(s.B * u) : Vector(Vector::Zero(y.size())));
    CHECK(std::abs(y[ip] + ax / kappa * (y[ix] - x_prev)) < 1e-14);
    x_prev = y[ix];
  }
}

TEST_CASE("Ramsey: nonlinear Rotemberg model, steady state conditional on the instrument, matches Dynare",
          "[policy][ramsey]") {
  dsge::Model m = dsge::parse_model(fixture("nk_rotemberg_ramsey.mod"), "nk_rotemberg_ramsey");
  policy::RamseyResult r = policy::solve_ramsey(m);
  CHECK(r.steady_state_method == "steady_state_model+instruments");
  check_against(r, dynare_ref::rotemberg, 1e-8);
}

TEST_CASE("Ramsey: nonlinear Rotemberg model without steady_state_model matches Dynare", "[policy][ramsey]") {
  dsge::Model m = dsge::parse_model(fixture("nk_rotemberg_ramsey_nossm.mod"), "nk_rotemberg_ramsey_nossm");
  policy::RamseyResult r = policy::solve_ramsey(m);
  CHECK(r.steady_state_method == "newton");
  check_against(r, dynare_ref::rotemberg_nossm, 1e-8);
}

TEST_CASE("Ramsey: medium-scale linear model (Smets-Wouters scale, 33 variables) matches Dynare",
          "[policy][ramsey]") {
  dsge::Model m = dsge::parse_model(fixture("sw_ramsey.mod"), "sw_ramsey");
  policy::RamseyResult r = policy::solve_ramsey(m);
  REQUIRE(r.ramsey.multipliers.size() == 32);
  check_against(r, dynare_ref::sw, 1e-8);
}

TEST_CASE("Ramsey: linear-quadratic welfare at order 2 matches Dynare (stoch_simul(order=2))", "[policy][ramsey]") {
  // Dynare 5.3 oo_.planner_objective_value with stoch_simul(order=2) on the same files.
  policy::RamseyOptions o;
  o.objective_order = 2;
  dsge::Model nk = dsge::parse_model(fixture("nk_cp_ramsey.mod"), "nk_cp_ramsey");
  policy::RamseyResult a = policy::solve_ramsey(nk, o);
  REQUIRE(a.ok());
  CHECK(rel(a.objective.unconditional, -0.0046408746048486873) < 1e-9);
  CHECK(rel(a.objective.conditional_steady_initial_multiplier, -0.004558012899921947) < 1e-9);
  CHECK(rel(a.objective.conditional_zero_initial_multiplier, -0.004558012899921947) < 1e-9);
  dsge::Model sw = dsge::parse_model(fixture("sw_ramsey.mod"), "sw_ramsey");
  policy::RamseyResult b = policy::solve_ramsey(sw, o);
  REQUIRE(b.ok());
  CHECK(rel(b.objective.unconditional, -273.78631610538844) < 1e-9);
  CHECK(rel(b.objective.conditional_steady_initial_multiplier, -209.51118275835026) < 1e-9);
  // nonlinear Ramsey models: order 2 is refused, not approximated silently
  dsge::Model rot = dsge::parse_model(fixture("nk_rotemberg_ramsey.mod"), "nk_rotemberg_ramsey");
  CHECK_THROWS_AS(policy::solve_ramsey(rot, o), OptionsError);
  o.objective_order = 3;
  CHECK_THROWS_AS(policy::solve_ramsey(nk, o), OptionsError);
}

TEST_CASE("Ramsey: bad problems are reported with their cause", "[policy][ramsey]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_ramsey.mod"), "nk_cp_ramsey");
  policy::RamseyOptions o;
  o.instruments = {"nope"};
  CHECK_THROWS_AS(policy::derive_ramsey_model(m, o), ModelError);
  o.instruments = {"i", "x"};
  CHECK_THROWS_AS(policy::derive_ramsey_model(m, o), ModelError);
  dsge::Model no_obj = dsge::parse_model(
      "var y r; varexo e; parameters b; b = 0.5; model; y = b*y(-1) + r + e; end; ramsey_model(instruments=(r));", "no_obj");
  CHECK_THROWS_WITH(policy::derive_ramsey_model(no_obj), Catch::Contains("no planner objective"));
  policy::RamseyOptions bad;
  bad.tolerance = -1;
  CHECK_THROWS_AS(policy::solve_ramsey(m, bad), OptionsError);
}

// ------------------------------------------------------------------------------------------------
// Discretion

namespace {
void check_discretion(const policy::DiscretionResult& r, const dynare_ref::Case& ref, double tol) {
  REQUIRE(r.ok());
  const auto& sol = r.solution;
  const Index n = static_cast<Index>(ref.endo.size());
  const Index ne = static_cast<Index>(ref.B.size()) / n;
  for (Index i = 0; i < n; ++i) {
    const Index gi = index_of(sol.endo_names, ref.endo[static_cast<std::size_t>(i)]);
    INFO("variable " << ref.endo[static_cast<std::size_t>(i)]);
    for (Index j = 0; j < n; ++j) {
      const Index gj = index_of(sol.endo_names, ref.endo[static_cast<std::size_t>(j)]);
      CHECK(rel(sol.A(gi, gj), ref.A[static_cast<std::size_t>(i * n + j)]) < tol);
    }
    for (Index k = 0; k < ne; ++k) CHECK(rel(sol.B(gi, k), ref.B[static_cast<std::size_t>(i * ne + k)]) < tol);
  }
  CHECK(rel(r.objective.unconditional, ref.W_uncond) < tol);
  CHECK(rel(r.objective.conditional, ref.W_cond_ss) < tol);
}
}  // namespace

// The command interpreter: ramsey_model + stoch_simul + evaluate_planner_objective, and
// discretionary_policy, give Dynare's numbers, and the stoch_simul after them uses the
// optimal-policy system.
TEST_CASE("run_commands: ramsey_model, stoch_simul and evaluate_planner_objective match Dynare", "[policy][ramsey][run]") {
  const std::vector<std::pair<std::string, const dynare_ref::Case*>> cases{
      {"nk_cp_ramsey", &dynare_ref::nk_cp},
      {"nk_rotemberg_ramsey", &dynare_ref::rotemberg},
      {"nk_rotemberg_ramsey_nossm", &dynare_ref::rotemberg_nossm},
      {"sw_ramsey", &dynare_ref::sw}};
  for (const auto& [name, ref] : cases) {
    INFO(name);
    const dsge::Model m = dsge::parse_model(fixture(name + ".mod"), name);
    const dsge::RunResult run = policy::run_commands(m);
    INFO(run.error_message);
    REQUIRE(run.ok());
    const auto ramsey = run.results_of<policy::RamseyRunResult>();
    REQUIRE(ramsey.size() == 1);
    check_against(ramsey[0]->result, *ref, 1e-8);
    const auto ss = run.results_of<dsge::StochSimulResult>();
    REQUIRE(ss.size() == 1);
    policy::RamseyResult via_stoch_simul = ramsey[0]->result;
    via_stoch_simul.solution = ss[0]->first;
    check_against(via_stoch_simul, *ref, 1e-8);
    // the reported variables are the Ramsey system's (multipliers included)
    CHECK(run.endo_names == ramsey[0]->result.ramsey.model.endo_names());
    CHECK(run.steady_state.size() == static_cast<Index>(ref->endo.size()));
    const auto w = run.results_of<policy::PlannerObjectiveRunResult>();
    REQUIRE(w.size() == 1);
    REQUIRE(w[0]->ramsey);
    CHECK(rel(w[0]->ramsey->unconditional, ref->W_uncond) < 1e-8);
    CHECK(rel(w[0]->ramsey->conditional_steady_initial_multiplier, ref->W_cond_ss) < 1e-8);
    CHECK(rel(w[0]->ramsey->conditional_zero_initial_multiplier, ref->W_cond_0) < 1e-8);
  }
}

TEST_CASE("run_commands: discretionary_policy matches Dynare", "[policy][discretion][run]") {
  const std::vector<std::pair<std::string, const dynare_ref::Case*>> cases{
      {"nk_cp_discretion", &dynare_ref::nk_cp_discretion},
      {"nk_cp_discretion_lagged", &dynare_ref::nk_cp_discretion_lagged},
      {"nk_soe_discretion", &dynare_ref::nk_soe_discretion}};
  for (const auto& [name, ref] : cases) {
    INFO(name);
    const dsge::Model m = dsge::parse_model(fixture(name + ".mod"), name);
    const dsge::RunResult run = policy::run_commands(m);
    INFO(run.error_message);
    REQUIRE(run.ok());
    const auto d = run.results_of<policy::DiscretionRunResult>();
    REQUIRE(d.size() == 1);
    check_discretion(d[0]->result, *ref, 1e-8);
    const auto ss = run.results_of<dsge::StochSimulResult>();
    REQUIRE(ss.size() == 1);
    CHECK(ss[0]->order == 1);
    REQUIRE(ss[0]->irfs);
    policy::DiscretionResult via_stoch_simul = d[0]->result;
    via_stoch_simul.solution = ss[0]->first;
    check_discretion(via_stoch_simul, *ref, 1e-8);
  }
}

TEST_CASE("run_commands: evaluate_planner_objective without an optimal-policy command is bad input", "[policy][run]") {
  std::string text = fixture("nk_cp_ramsey.mod");
  const auto at = text.find("ramsey_model");
  REQUIRE(at != std::string::npos);
  text = text.substr(0, at) + "evaluate_planner_objective;\n";
  const dsge::RunResult run = policy::run_commands(dsge::parse_model(text, "no_policy"));
  CHECK(run.failure == dsge::RunFailure::BadInput);
  CHECK(run.error_message.find("evaluate_planner_objective needs ramsey_model") != std::string::npos);
}

TEST_CASE("Discretion: textbook NK model with cost-push shock matches Dynare and Gali's closed form",
          "[policy][discretion]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_discretion.mod"), "nk_cp_discretion");
  policy::DiscretionResult r = policy::solve_discretion(m);
  check_discretion(r, dynare_ref::nk_cp_discretion, 1e-8);
  // Gali (2015), ch. 5: pi_t = alpha_x Psi u_t, x_t = -kappa Psi u_t, Psi = 1/(kappa^2 + alpha_x (1 - beta rho_u)).
  const double b = m.param("beta"), k = m.param("kappa"), ax = m.param("alpha_x"), rho = m.param("rho_u");
  const double psi = 1.0 / (k * k + ax * (1 - b * rho));
  const auto& s = r.solution;
  const Index ip = index_of(s.endo_names, "pi"), ix = index_of(s.endo_names, "x"), iu = index_of(s.endo_names, "u");
  CHECK(std::abs(s.B(ip, 0) - ax * psi) < 1e-12);
  CHECK(std::abs(s.B(ix, 0) + k * psi) < 1e-12);
  CHECK(std::abs(s.A(ip, iu) - ax * psi * rho) < 1e-12);
  CHECK(r.instruments == Names{"i"});
  CHECK(r.discount == 0.99);
}

TEST_CASE("Discretion: lagged instrument, two shocks, persistence matches Dynare", "[policy][discretion]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_discretion_lagged.mod"), "nk_cp_discretion_lagged");
  policy::DiscretionResult r = policy::solve_discretion(m);
  check_discretion(r, dynare_ref::nk_cp_discretion_lagged, 1e-8);
}

TEST_CASE("Discretion: small open economy with CPI inflation in the loss matches Dynare", "[policy][discretion]") {
  // Gali-Monacelli: CPI inflation depends on the lagged terms of trade, an endogenous state of the
  // discretionary problem besides the three AR(1) shocks.
  dsge::Model m = dsge::parse_model(fixture("nk_soe_discretion.mod"), "nk_soe_discretion");
  policy::DiscretionResult r = policy::solve_discretion(m);
  check_discretion(r, dynare_ref::nk_soe_discretion, 1e-8);
  // the loss is small (1e-3): check it relative to its size too
  CHECK(std::abs(r.objective.unconditional / dynare_ref::nk_soe_discretion.W_uncond - 1.0) < 1e-8);
  CHECK(std::abs(r.objective.conditional / dynare_ref::nk_soe_discretion.W_cond_ss - 1.0) < 1e-8);
  const Index is = index_of(r.solution.endo_names, "s");
  CHECK(std::abs(r.solution.A(is, is)) > 0.1);  // the terms of trade are a state
}

TEST_CASE("Discretion: stabilisation bias, commitment beats discretion on the same loss", "[policy][discretion]") {
  // Same model, shock and loss (the Ramsey file maximises -loss/2): on impact, inflation rises
  // more under discretion than under commitment (Gali 2015, ch. 5).
  dsge::Model md = dsge::parse_model(fixture("nk_cp_discretion.mod"), "nk_cp_discretion");
  policy::DiscretionResult d = policy::solve_discretion(md);
  REQUIRE(d.ok());
  dsge::Model mr = dsge::parse_model(fixture("nk_cp_ramsey.mod"), "nk_cp_ramsey");
  policy::RamseyResult c = policy::solve_ramsey(mr);
  REQUIRE(c.ok());
  const Index ipd = index_of(d.solution.endo_names, "pi"), ipc = index_of(c.solution.endo_names, "pi");
  CHECK(d.solution.B(ipd, 0) > c.solution.B(ipc, 0));
}

TEST_CASE("Discretion: bad problems are reported with their cause", "[policy][discretion]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_discretion.mod"), "nk_cp_discretion");
  policy::DiscretionOptions o;
  o.instruments = {"nope"};
  CHECK_THROWS_WITH(policy::solve_discretion(m, o), Catch::Contains("instrument 'nope'"));
  o.instruments = {"i"};
  o.planner_objective = "(pi - 1)^2";
  CHECK_THROWS_WITH(policy::solve_discretion(m, o), Catch::Contains("not zero at the steady state"));
  o.planner_objective.clear();
  o.max_iterations = 2;
  policy::DiscretionResult r = policy::solve_discretion(m, o);
  CHECK(r.status == Status::MaxIterations);
  o.max_iterations = 0;
  CHECK_THROWS_AS(policy::solve_discretion(m, o), OptionsError);
}

// ------------------------------------------------------------------------------------------------
// Conditional forecasts

namespace {
// Dynare 5.3: oo_.conditional_forecast.cond.Mean of nk_cp_rule.mod with
//   conditional_forecast_paths; var pi; periods 1:3 4:6; values 0.005 0.002;
//                              var x; periods 1:2; values -0.01; end;
//   conditional_forecast(parameter_set=calibration, controlled_varexo=(ei, eu), periods=8);
// (all shocks controlled, so the Monte Carlo mean is exact); rows: periods 0..8.
const double dyn_cf_pi[] = {0, 0.0049999999999999992, 0.0050000000000000018, 0.0049999999999999992,
                            0.0020000000000000005, 0.0020000000000000005, 0.0020000000000000005,
                            0.00016286856312292282, 8.1434281561461354e-05};
const double dyn_cf_x[] = {0, -0.010000000000000004, -0.010000000000000004, 0.014607843137254935, 0.00338235294117649,
                           0.0095343137254902139, 0.012610294117647077, -0.00026058970099667643,
                           -0.00013029485049833816};
const double dyn_cf_i[] = {0, 0.0084364617940199376, 0.0084364617940199376, -0.015389612240244963,
                           -0.0037732374926715065, -0.0097297560012377226, -0.01270801525552083,
                           0.00021172913205979958, 0.00010586456602989979};
const double dyn_cf_u[] = {0, 0.0036951619601328931, 0.0036951619601328931, 0.0018475809800664457,
                           0.00092379049003322251, 0.00046189524501661077, 0.00023094762250830484,
                           0.00011547381125415242, 5.773690562707619e-05};

std::vector<policy::TargetPath> cf_targets() {
  policy::TargetPath pi{"pi", Vector(6)}, x{"x", Vector(2)};
  pi.values << 0.005, 0.005, 0.005, 0.002, 0.002, 0.002;
  x.values << -0.01, -0.01;
  return {pi, x};
}
}  // namespace

TEST_CASE("Conditional forecast (first order, unanticipated) matches Dynare", "[policy][conditional_forecast]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_rule.mod"), "nk_cp_rule");
  dsge::PerturbationResult sol = dsge::solve_first_order(dsge::linearize(m, Vector::Zero(m.n_endo())));
  REQUIRE(sol.ok());
  policy::ConditionalForecastOptions o;
  o.controlled_shocks = {"ei", "eu"};
  o.periods = 8;
  policy::ConditionalForecastResult r = policy::conditional_forecast(sol, cf_targets(), o);
  REQUIRE(r.ok());
  REQUIRE(r.paths.rows() == 9);
  const Index ip = index_of(r.endo_names, "pi"), ix = index_of(r.endo_names, "x"), ii = index_of(r.endo_names, "i"),
              iu = index_of(r.endo_names, "u");
  for (Index t = 0; t < 9; ++t) {
    CHECK(std::abs(r.paths(t, ip) - dyn_cf_pi[t]) < 1e-12);
    CHECK(std::abs(r.paths(t, ix) - dyn_cf_x[t]) < 1e-12);
    CHECK(std::abs(r.paths(t, ii) - dyn_cf_i[t]) < 1e-12);
    CHECK(std::abs(r.paths(t, iu) - dyn_cf_u[t]) < 1e-12);
  }
  CHECK(r.max_target_error < 1e-14);
  // the cost-push shock is only used while the output gap is targeted
  CHECK(r.shocks(2, index_of(r.exo_names, "eu")) == 0.0);
}

namespace {
/// Octave's draws of the free shock eu, as periods x n_exo matrices (exo order eu, ei; ei zero).
std::vector<Matrix> octave_draws(const Names& exo) {
  std::istringstream in(fixture("cf_bands_octave_draws.csv"));
  std::vector<Matrix> draws;
  std::string line;
  const Index ieu = index_of(exo, "eu");
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Matrix z = Matrix::Zero(6, static_cast<Index>(exo.size()));
    std::istringstream row(line);
    std::string cell;
    for (Index t = 0; std::getline(row, cell, ','); ++t) z(t, ieu) = std::stod(cell);
    draws.push_back(z);
  }
  return draws;
}

policy::ConditionalForecastBands cf_bands(const dsge::PerturbationResult& sol, policy::ForecastBandsOptions b) {
  policy::TargetPath pi{"pi", Vector::Constant(4, 0.005)};
  policy::ConditionalForecastOptions o;
  o.controlled_shocks = {"ei"};
  o.periods = 6;
  return policy::conditional_forecast_bands(sol, {pi}, o, b);
}
}  // namespace

TEST_CASE("Conditional forecast bands: Dynare's simulated mean and bands from the same draws",
          "[policy][conditional_forecast]") {
  // Dynare's imcforecast summarises its replications by their mean and order statistics; given
  // the standard normal draws Octave made, the simulation reproduces them to rounding.
  dsge::Model m = dsge::parse_model(fixture("nk_cp_rule.mod"), "nk_cp_rule");
  dsge::PerturbationResult sol = dsge::solve_first_order(dsge::linearize(m, Vector::Zero(m.n_endo())));
  REQUIRE(sol.ok());
  policy::ForecastBandsOptions b;
  b.draws = octave_draws(sol.exo_names);
  REQUIRE(b.draws.size() == 200);
  const policy::ConditionalForecastBands r = cf_bands(sol, b);
  REQUIRE(r.ok());
  CHECK(r.replic == 200);
  const auto& ref = dynare_ref::cf_bands_200;
  for (std::size_t k = 0; k < ref.endo.size(); ++k) {
    const Index iv = index_of(r.forecast.endo_names, ref.endo[k]);
    INFO(ref.endo[k]);
    for (Index t = 0; t <= 6; ++t) {
      const auto tt = static_cast<std::size_t>(t);
      CHECK(std::abs(r.sim_mean(t, iv) - ref.mean[k][tt]) < 1e-12);
      CHECK(std::abs(r.sim_lower(t, iv) - ref.lower[k][tt]) < 1e-12);
      CHECK(std::abs(r.sim_upper(t, iv) - ref.upper[k][tt]) < 1e-12);
    }
  }
  const Index iei = index_of(r.forecast.exo_names, "ei");
  for (Index t = 0; t < 4; ++t) {
    const auto tt = static_cast<std::size_t>(t);
    CHECK(std::abs(r.sim_shock_mean(t, iei) - ref.shock_mean[tt]) < 1e-12);
    CHECK(std::abs(r.sim_shock_lower(t, iei) - ref.shock_lower[tt]) < 1e-12);
    CHECK(std::abs(r.sim_shock_upper(t, iei) - ref.shock_upper[tt]) < 1e-12);
  }
}

TEST_CASE("Conditional forecast bands: analytic bands against Dynare's 5000 draws and a large simulation",
          "[policy][conditional_forecast]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_rule.mod"), "nk_cp_rule");
  dsge::PerturbationResult sol = dsge::solve_first_order(dsge::linearize(m, Vector::Zero(m.n_endo())));
  REQUIRE(sol.ok());
  policy::ForecastBandsOptions b;
  b.replic = 20000;
  b.seed = 3;
  const policy::ConditionalForecastBands r = cf_bands(sol, b);
  REQUIRE(r.ok());
  const Index ip = index_of(r.forecast.endo_names, "pi"), ix = index_of(r.forecast.endo_names, "x");
  // the targeted variable has no uncertainty while it is targeted, the initial state none at all
  for (Index t = 1; t <= 4; ++t) {
    CHECK(r.std(t, ip) == 0.0);
    CHECK(std::abs(r.lower(t, ip) - 0.005) < 1e-15);
  }
  CHECK(r.std.row(0).cwiseAbs().maxCoeff() == 0.0);
  CHECK(r.std(5, ip) > 0.0);
  // z = 1.2815515655446004 for conf_sig = 0.8
  CHECK(std::abs((r.upper(3, ix) - r.forecast.paths(3, ix)) / r.std(3, ix) - 1.2815515655446004) < 1e-12);
  // Dynare's 5000-draw bands: the half width (upper - lower)/2 estimates z sd with a Monte Carlo
  // error of about 2.5% of sd; the mean differs from the exact one by at most 4 sd/sqrt(5000).
  const auto& ref = dynare_ref::cf_bands_5000;
  for (std::size_t k = 0; k < ref.endo.size(); ++k) {
    const Index iv = index_of(r.forecast.endo_names, ref.endo[k]);
    INFO(ref.endo[k]);
    for (Index t = 1; t <= 6; ++t) {
      const auto tt = static_cast<std::size_t>(t);
      const double sd = r.std(t, iv);
      CHECK(std::abs(ref.mean[k][tt] - r.forecast.paths(t, iv)) <= 4.0 * sd / std::sqrt(5000.0) + 1e-15);
      const double half = 0.5 * (ref.upper[k][tt] - ref.lower[k][tt]);
      CHECK(std::abs(half - 1.2815515655446004 * sd) <= 0.08 * sd + 1e-15);
      // our own 20000 draws: 4 sd/sqrt(20000) for the mean, 4% for the half width
      CHECK(std::abs(r.sim_mean(t, iv) - r.forecast.paths(t, iv)) <= 4.0 * sd / std::sqrt(20000.0) + 1e-15);
      CHECK(std::abs(0.5 * (r.sim_upper(t, iv) - r.sim_lower(t, iv)) - 1.2815515655446004 * sd) <= 0.04 * sd + 1e-15);
    }
  }
  const Index iei = index_of(r.forecast.exo_names, "ei"), ieu = index_of(r.forecast.exo_names, "eu");
  for (Index t = 0; t < 4; ++t) {
    const double sd = r.shock_std(t, iei);
    CHECK(std::abs(0.5 * (ref.shock_upper[static_cast<std::size_t>(t)] - ref.shock_lower[static_cast<std::size_t>(t)]) -
                   1.2815515655446004 * sd) <= 0.08 * sd);
    CHECK(r.shock_std(t, ieu) == Approx(0.01).epsilon(1e-14));
  }
  CHECK(r.shock_std(4, iei) == 0.0);  // not controlled after the targets: not drawn, as Dynare
}

TEST_CASE("Conditional forecast bands: closed form on a static model, bad options", "[policy][conditional_forecast]") {
  // y = e1 + e2, z = e2 with e1 controlled to set y = 1: e1 = 1 - e2, so sd(e1) = sd(e2) = s2,
  // sd(y) = 0, sd(z) = s2.
  dsge::Model m = dsge::parse_model(
      "var y z; varexo e1 e2; model(linear); y = e1 + e2; z = e2; end; shocks; var e1; stderr 0.3; var e2; stderr 0.2; end;",
      "static2");
  dsge::PerturbationResult sol = dsge::solve_first_order(dsge::linearize(m, Vector::Zero(2)));
  REQUIRE(sol.ok());
  policy::ConditionalForecastOptions o;
  o.controlled_shocks = {"e1"};
  o.periods = 3;
  policy::TargetPath y{"y", Vector::Constant(2, 1.0)};
  policy::ForecastBandsOptions b;
  const policy::ConditionalForecastBands r = policy::conditional_forecast_bands(sol, {y}, o, b);
  REQUIRE(r.ok());
  const Index iy = index_of(r.forecast.endo_names, "y"), iz = index_of(r.forecast.endo_names, "z");
  for (Index t = 1; t <= 2; ++t) {
    CHECK(r.std(t, iy) == 0.0);
    CHECK(std::abs(r.std(t, iz) - 0.2) < 1e-15);
    CHECK(std::abs(r.shock_std(t - 1, 0) - 0.2) < 1e-15);
  }
  CHECK(std::abs(r.std(3, iy) - 0.2) < 1e-15);  // period 3: free, e1 not drawn
  b.conf_sig = 1.0;
  CHECK_THROWS_AS(policy::conditional_forecast_bands(sol, {y}, o, b), OptionsError);
  b.conf_sig = 0.9;
  b.draws = {Matrix::Zero(2, 2)};
  CHECK_THROWS_WITH(policy::conditional_forecast_bands(sol, {y}, o, b), Catch::Contains("expected periods x n_exo"));
}

TEST_CASE("Conditional forecast by perfect foresight: unanticipated equals the linear one, anticipated hits the targets",
          "[policy][conditional_forecast]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_rule.mod"), "nk_cp_rule");
  policy::ConditionalForecastOptions o;
  o.controlled_shocks = {"ei", "eu"};
  o.periods = 8;
  dsge::PerfectForesightProblem base = dsge::make_perfect_foresight_problem(m, 60);
  policy::ConditionalForecastResult u = policy::conditional_forecast_perfect_foresight(m, base, cf_targets(), o);
  REQUIRE(u.ok());
  const Index ip = index_of(u.endo_names, "pi"), ix = index_of(u.endo_names, "x");
  for (Index t = 0; t < 9; ++t) {
    CHECK(std::abs(u.paths(t, ip) - dyn_cf_pi[t]) < 1e-9);
    CHECK(std::abs(u.paths(t, ix) - dyn_cf_x[t]) < 1e-9);
  }
  o.timing = policy::ShockTiming::Anticipated;
  policy::ConditionalForecastResult a = policy::conditional_forecast_perfect_foresight(m, base, cf_targets(), o);
  REQUIRE(a.ok());
  CHECK(a.max_target_error < 1e-10);
  for (Index t = 1; t <= 6; ++t) CHECK(std::abs(a.paths(t, ip) - (t <= 3 ? 0.005 : 0.002)) < 1e-10);
  // anticipated and surprise paths of the free variables differ (forward-looking agents)
  CHECK(std::abs(a.paths(3, ix) - u.paths(3, ix)) > 1e-6);
}

TEST_CASE("Conditional forecast: bad plans are rejected with their cause", "[policy][conditional_forecast]") {
  dsge::Model m = dsge::parse_model(fixture("nk_cp_rule.mod"), "nk_cp_rule");
  dsge::PerturbationResult sol = dsge::solve_first_order(dsge::linearize(m, Vector::Zero(m.n_endo())));
  policy::ConditionalForecastOptions o;
  o.periods = 8;
  o.controlled_shocks = {"ei"};
  CHECK_THROWS_WITH(policy::conditional_forecast(sol, cf_targets(), o), Catch::Contains("one controlled shock per target"));
  o.controlled_shocks = {"ei", "nope"};
  CHECK_THROWS_WITH(policy::conditional_forecast(sol, cf_targets(), o), Catch::Contains("unknown shock 'nope'"));
  o.controlled_shocks = {"ei", "ei"};
  CHECK_THROWS_WITH(policy::conditional_forecast(sol, cf_targets(), o), Catch::Contains("controlled twice"));
  o.controlled_shocks = {"ei", "eu"};
  o.periods = 3;
  CHECK_THROWS_WITH(policy::conditional_forecast(sol, cf_targets(), o), Catch::Contains("more than the horizon"));
  o.periods = 8;
  o.timing = policy::ShockTiming::Anticipated;
  CHECK_THROWS_AS(policy::conditional_forecast(sol, cf_targets(), o), OptionsError);
  // u does not respond to ei on impact: targeting u with ei alone is singular
  o.timing = policy::ShockTiming::Unanticipated;
  policy::TargetPath tu{"u", Vector::Constant(2, 0.01)};
  o.controlled_shocks = {"ei"};
  policy::ConditionalForecastResult r = policy::conditional_forecast(sol, {tu}, o);
  CHECK(r.status == Status::Singular);
}
