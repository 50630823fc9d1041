// Steady state: steady_state_model, Newton from initval, failure reports.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <govsim/dsge/model.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <cmath>

using namespace govsim;
using namespace govsim::dsge;

namespace {
std::string fixture(const std::string& name) { return std::string(GOVSIM_FIXTURES_DIR) + "/models/" + name; }

std::string read_fixture(const std::string& name) {
  std::ifstream in(fixture(name));
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("steady_state_model with helper names matches Newton from initval", "[dsge]") {
  Model a = parse_model(read_fixture("rbc_ssm.mod"), "rbc.mod");
  CHECK(a.steady_state_helpers() == Names{"kl", "cl"});
  auto sa = solve_steady_state(a);
  REQUIRE(sa.ok());
  CHECK(sa.method == "steady_state_model");
  CHECK(sa.values[0] == Approx(1.27692072575306).epsilon(1e-12));
  Model b = parse_model_file(fixture("rbc_initval.mod"));
  auto sb = solve_steady_state(b);
  INFO(sb.summary());
  REQUIRE(sb.ok());
  CHECK((sa.values - sb.values).cwiseAbs().maxCoeff() < 1e-10);
  // changing a parameter changes the steady state
  a.set_param("beta", 0.98);
  auto sc = solve_steady_state(a);
  REQUIRE(sc.ok());
  CHECK(sc.values[5] == Approx(1 / 0.98 - 1 + 0.025));
}

TEST_CASE("Newton polishes the converged steady state to round-off", "[dsge]") {
  // With tolf = 1e-4 Newton stops at an iterate whose residuals are only below 1e-4; the polishing
  // steps after convergence must still give the closed-form steady state to round-off.
  Model a = parse_model(read_fixture("rbc_ssm.mod"), "rbc.mod");
  auto sa = solve_steady_state(a);
  REQUIRE(sa.ok());
  Model b = parse_model_file(fixture("rbc_initval.mod"));
  SteadyStateOptions loose;
  loose.tolerance = 1e-4;
  auto sb = solve_steady_state(b, loose);
  INFO(sb.summary());
  REQUIRE(sb.ok());
  double worst = 0.0;
  for (Index i = 0; i < sa.values.size(); ++i)
    worst = std::max(worst, std::abs(sa.values[i] - sb.values[i]) / std::max(1.0, std::abs(sa.values[i])));
  CHECK(worst < 1e-14);
  CHECK(b.static_residuals(sb.values, b.exo_steady_state()).cwiseAbs().maxCoeff() < 1e-14);
}

TEST_CASE("a wrong steady_state_model is reported with the equation and residual", "[dsge]") {
  std::string src = read_fixture("rbc_ssm.mod");
  src.replace(src.find("i  = delta*k;"), 13, "i  = 2*delta*k;");
  Model m = parse_model(src, "bad.mod");
  auto r = solve_steady_state(m);
  CHECK_FALSE(r.ok());
  CHECK(r.status == Status::NotConverged);
  REQUIRE_FALSE(r.worst_equations.empty());
  CHECK(r.message.find("equation") != std::string::npos);
  // resource constraint y = c + i (equation 7) or capital accumulation (6) is violated
  bool found = false;
  for (const auto& w : r.worst_equations) found = found || w.equation == 5 || w.equation == 6;
  CHECK(found);
  SteadyStateOptions o;
  o.check = false;
  CHECK(solve_steady_state(m, o).ok());
}

TEST_CASE("Newton failure names worst equations and NaN variables", "[dsge]") {
  Model m = parse_model("var x y;\nmodel;\n[name='imp'] x^2 + 1 = 0;\n y = log(x) + 1;\nend;\ninitval; x = 1; end;\n", "f.mod");
  auto r = solve_steady_state(m);
  CHECK_FALSE(r.ok());
  INFO(r.summary());
  REQUIRE_FALSE(r.worst_equations.empty());
  CHECK(r.worst_equations[0].name == "equation 'imp'");
  CHECK(r.summary().find("imp") != std::string::npos);

  Model n = parse_model("var x;\nmodel;\n x = log(x - 5) + sqrt(-1 - x^2);\nend;\n", "nan.mod");
  auto rn = solve_steady_state(n);
  CHECK_FALSE(rn.ok());
  CHECK(rn.status == Status::NumericalIssue);
}

TEST_CASE("homotopy and damping solve a hard start", "[dsge]") {
  // start far away: plain Newton from 1e-3 overshoots for this equation
  Model m = parse_model("var x y;\nmodel;\n atan(x - 10) = 0;\n y = exp(0.1*x) - 2;\nend;\ninitval; x = -20; y = 0; end;\n");
  auto r = solve_steady_state(m);
  INFO(r.summary());
  REQUIRE(r.ok());
  CHECK(r.values[0] == Approx(10).epsilon(1e-12));
  SteadyStateOptions bad;
  bad.max_iterations = 0;
  CHECK_THROWS(solve_steady_state(m, bad));
}
