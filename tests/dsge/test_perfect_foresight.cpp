// Perfect foresight: Dynare's nk_zlb paths (Newton-polished reference), binding periods of the
// ZLB, homotopy, shock events learnt at different dates, and bad input.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/perfect_foresight.hpp>

#include "../support.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

using namespace govsim;
using namespace govsim::dsge;

namespace {

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
};

Csv read_csv(const std::string& path) {
  Csv c;
  std::ifstream f(path);
  std::string line;
  bool first = true;
  while (std::getline(f, line)) {
    std::stringstream ss(line);
    std::string cell;
    std::vector<std::string> cells;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (first) {
      c.header = cells;
      first = false;
    } else {
      std::vector<double> r;
      for (auto& x : cells) r.push_back(std::stod(x));
      c.rows.push_back(r);
    }
  }
  return c;
}

/// Worst |govsim - ref| / max(|ref|, 1e-3) over the reference's columns (as check_dynare.py).
double compare_paths(const PerfectForesightResult& r, const Csv& ref) {
  double worst = 0;
  for (std::size_t j = 1; j < ref.header.size(); ++j) {
    auto it = std::find(r.endo_names.begin(), r.endo_names.end(), ref.header[j]);
    REQUIRE(it != r.endo_names.end());
    const Index col = it - r.endo_names.begin();
    for (std::size_t t = 0; t < ref.rows.size(); ++t) {
      double a = r.paths(static_cast<Index>(t), col), b = ref.rows[t][j];
      worst = std::max(worst, std::abs(a - b) / std::max(std::abs(b), 1e-3));
    }
  }
  return worst;
}

const std::string kSmallZlb =
    test::fixture_model_text("small_zlb.mod") + "shocks; var e; periods 1; values -0.03; end;\n";

}  // namespace

TEST_CASE("perfect foresight matches Dynare on nk_zlb with and without the ZLB", "[perfect_foresight][dynare]") {
  auto dir = test::shared_dir();
  if (!dir) {
    GOVSIM_SKIP("shared reference folder absent (set GOVSIM_SHARED_DIR): test skipped");
  }
  for (int zlb : {1, 0}) {
    const auto cdir = *dir / "reference/dynare/cases" / (zlb ? "nk_zlb" : "nk_zlb_noZLB");
    ParseOptions po;
    po.defines = {{"ZLB", std::to_string(zlb)}};
    Model m = parse_model_file((cdir / "model.mod").string(), po);
    PerfectForesightOptions o;
    o.periods = 100;
    auto r = solve_perfect_foresight(m, o);
    INFO(r.summary());
    REQUIRE(r.ok());
    CHECK(r.paths.rows() == 102);
    CHECK(r.max_residual < 1e-12);
    Csv ref = read_csv((cdir / (zlb ? "nk_zlb_pf_endo_simul_newton_polished.csv"
                                    : "nk_zlb_noZLB_pf_endo_simul_newton_polished.csv")).string());
    REQUIRE(ref.rows.size() == 102);
    CHECK(compare_paths(r, ref) < 1e-7);
    // same binding periods: R = 1 exactly in periods 1..9 (with the ZLB), never without it
    const auto names = r.endo_names;
    const Index iR = std::find(names.begin(), names.end(), "R") - names.begin();
    const std::size_t jR = std::find(ref.header.begin(), ref.header.end(), "R") - ref.header.begin();
    for (Index t = 0; t < 102; ++t) {
      bool ours = std::abs(r.paths(t, iR) - 1.0) < 1e-12;
      bool theirs = std::abs(ref.rows[static_cast<std::size_t>(t)][jR] - 1.0) < 1e-12;
      CHECK(ours == theirs);
      if (zlb) CHECK(ours == (t >= 1 && t <= 9));
    }
  }
}

TEST_CASE("perfect foresight: homotopy, kinks and diagnostics", "[perfect_foresight]") {
  Model m = parse_model(kSmallZlb, "small_zlb");
  PerfectForesightOptions o;
  o.periods = 60;
  auto base = solve_perfect_foresight(m, o);
  REQUIRE(base.ok());
  const Index iR = 2, iRn = 3;
  CHECK(base.paths(1, iR) == 0.0);   // at the bound
  CHECK(base.paths(1, iRn) < 0.0);   // notional rate below it
  CHECK(base.worst_equation >= 0);
  CHECK(base.worst_period >= 1);
  CHECK(base.homotopy_steps == 0);

  // A problem that plain Newton cannot do in 2 iterations is solved by the homotopy, to the
  // same answer.
  auto big = make_perfect_foresight_problem(m, 60);
  big.exo(1, 0) = -0.12;
  auto bigr = solve_perfect_foresight(m, big, o);
  REQUIRE(bigr.ok());
  CHECK(bigr.iterations > 2);
  PerfectForesightOptions h = o;
  h.max_iterations = 2;
  auto hr = solve_perfect_foresight(m, big, h);
  INFO(hr.summary());
  REQUIRE(hr.ok());
  CHECK(hr.homotopy_steps > 0);
  CHECK((hr.paths - bigr.paths).cwiseAbs().maxCoeff() < 1e-9);

  // Without the homotopy the failure is reported, not thrown, with the worst equation.
  h.homotopy = false;
  auto fr = solve_perfect_foresight(m, big, h);
  CHECK_FALSE(fr.ok());
  CHECK(fr.status == Status::MaxIterations);
  CHECK(fr.summary().find("period") != std::string::npos);

  // progress callback can stop the solve
  PerfectForesightOptions s = o;
  int calls = 0;
  s.on_iteration = [&](const IterationInfo&) { return ++calls < 1; };
  auto sr = solve_perfect_foresight(m, s);
  CHECK(sr.status == Status::UserStopped);
}

TEST_CASE("perfect foresight: anticipated and surprise shock events", "[perfect_foresight]") {
  Model m = parse_model(kSmallZlb, "small_zlb");
  auto prob = make_perfect_foresight_problem(m, 40);
  prob.exo.col(0).setZero();  // drop the model's shocks
  // anticipated from period 1: same as putting the shock into the exogenous path
  std::vector<ShockEvent> ev{{"e", 5, -0.02, 1}};
  auto a = solve_perfect_foresight_events(m, prob, ev);
  auto p2 = prob;
  p2.exo(5, 0) = -0.02;
  auto b = solve_perfect_foresight(m, p2);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK((a.paths - b.paths).cwiseAbs().maxCoeff() < 1e-10);
  // surprise: nothing moves before period 5, and from period 5 the path is the solve started
  // from the steady state with the shock in its first period
  std::vector<ShockEvent> sev{{"e", 5, -0.02, 5}};
  auto s = solve_perfect_foresight_events(m, prob, sev);
  REQUIRE(s.ok());
  for (Index t = 0; t < 5; ++t) CHECK((s.paths.row(t) - prob.terminal.transpose()).cwiseAbs().maxCoeff() < 1e-12);
  auto p3 = make_perfect_foresight_problem(m, 36);
  p3.exo.col(0).setZero();
  p3.exo(1, 0) = -0.02;
  auto c = solve_perfect_foresight(m, p3);
  REQUIRE(c.ok());
  CHECK((s.paths.bottomRows(37) - c.paths.bottomRows(37)).cwiseAbs().maxCoeff() < 1e-10);
  CHECK(std::abs(s.paths(4, 0) - a.paths(4, 0)) > 1e-6);  // anticipation moves output before the shock

  CHECK_THROWS_AS(solve_perfect_foresight_events(m, prob, {{"nope", 2, 1.0, 1}}), ModelError);
  CHECK_THROWS_AS(solve_perfect_foresight_events(m, prob, {{"e", 50, 1.0, 1}}), OptionsError);
  CHECK_THROWS_AS(solve_perfect_foresight_events(m, prob, {{"e", 3, 1.0, 4}}), OptionsError);
}

TEST_CASE("perfect foresight: bad input throws", "[perfect_foresight]") {
  Model m = parse_model(kSmallZlb, "small_zlb");
  PerfectForesightOptions o;
  o.periods = 0;
  CHECK_THROWS_AS(solve_perfect_foresight(m, o), OptionsError);
  CHECK_THROWS_AS(make_perfect_foresight_problem(m, 0), OptionsError);
  auto prob = make_perfect_foresight_problem(m, 10);
  auto bad = prob;
  bad.initial = Vector::Zero(2);
  CHECK_THROWS_AS(solve_perfect_foresight(m, bad), DimensionError);
  bad = prob;
  bad.exo = Matrix::Zero(12, 3);
  CHECK_THROWS_AS(solve_perfect_foresight(m, bad), DimensionError);
  // a shock after the horizon
  Model m2 = parse_model(kSmallZlb + "\n", "x");
  CHECK_THROWS_AS(make_perfect_foresight_problem(m2, 0), OptionsError);
}

#include <govsim/dsge/scenario.hpp>

TEST_CASE("scenarios: policy alternatives side by side with a loss", "[perfect_foresight][scenario]") {
  Model m = parse_model(kSmallZlb, "small_zlb");
  Scenario s{"demand", 40, {{"e", 1, -0.03, 1}, {"e", 6, -0.01, 6}}, false};
  std::vector<PolicyAlternative> alts{{"base", {}}, {"hawk", {{"phi", 3.0}}}};
  ScenarioOptions o;
  o.weights = {{"pi", "pi", 1.0}, {"y", "y", 0.25}};
  auto cmp = compare_policies(m, s, alts, o);
  INFO(cmp.summary());
  REQUIRE(cmp.ok());
  REQUIRE(cmp.outcomes.size() == 2);
  // the loss is the weighted sum of squared deviations of the reported paths
  const auto& r0 = cmp.outcomes[0];
  double manual = 0;
  for (Index t = 1; t <= 40; ++t)
    manual += std::pow(r0.result.paths(t, 1) - r0.steady_state[1], 2) +
              0.25 * std::pow(r0.result.paths(t, 0) - r0.steady_state[0], 2);
  CHECK(std::abs(manual - r0.loss) < 1e-14 + 1e-12 * manual);
  CHECK(r0.loss > 0);
  CHECK(cmp.best() >= 0);
  CHECK(cmp.summary().find("lowest") != std::string::npos);
  // the model's own parameter value is unchanged
  CHECK(m.param("phi") == 1.5);
  CHECK_THROWS_AS(compare_policies(m, s, {{"bad", {{"nope", 1.0}}}}, o), ModelError);
  ScenarioOptions none;
  CHECK_THROWS_AS(compare_policies(m, s, alts, none), OptionsError);
  none.weights = {{"zz", "zz", 1.0}};
  CHECK_THROWS_AS(compare_policies(m, s, alts, none), ModelError);
  o.discount = 0;
  CHECK_THROWS_AS(compare_policies(m, s, alts, o), OptionsError);
}

TEST_CASE("perfect foresight: endval (permanent shock) and histval (initial capital)", "[perfect_foresight]") {
  const char* src = R"(
var k c;
varexo a;
parameters alpha beta delta;
alpha = 0.33; beta = 0.99; delta = 0.025;
model;
  1/c = beta/c(+1)*(alpha*a*k^(alpha-1) + 1 - delta);
  k = a*k(-1)^alpha - c + (1-delta)*k(-1);
end;
initval; a = 1; k = 30; c = 2; end;
steady;
endval; a = 1.05; k = 35; c = 2.5; end;
steady;
histval; k(0) = 25; end;
)";
  Model m = parse_model(src, "growth");
  auto prob = make_perfect_foresight_problem(m, 200);
  // closed-form steady states: alpha a k^(alpha-1) = 1/beta - 1 + delta
  auto kss = [](double a) { return std::pow((1 / 0.99 - 1 + 0.025) / (0.33 * a), 1 / (0.33 - 1)); };
  CHECK(std::abs(prob.terminal[0] - kss(1.05)) < 1e-8 * kss(1.05));
  CHECK(prob.initial[0] == 25.0);                                  // histval
  CHECK(std::abs(prob.initial[1] - (std::pow(kss(1.0), 0.33) - 0.025 * kss(1.0))) < 1e-8);  // c from the a=1 steady state
  CHECK(prob.exo(0, 0) == 1.0);
  CHECK(prob.exo(1, 0) == 1.05);
  CHECK(prob.exo(201, 0) == 1.05);
  auto r = solve_perfect_foresight(m, prob);
  INFO(r.summary());
  REQUIRE(r.ok());
  // capital moves from 25 to the new steady state
  CHECK(r.paths(1, 0) > 25.0);
  CHECK(std::abs(r.paths(150, 0) - kss(1.05)) < 1e-2 * std::abs(25.0 - kss(1.05)));
  CHECK(r.max_residual < 1e-12);
}
