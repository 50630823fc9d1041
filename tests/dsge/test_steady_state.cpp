// Steady state: steady_state_model, Newton from initval, failure reports.
#include <catch2/catch.hpp>

#include <govsim/dsge/model.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <cmath>

using namespace govsim;
using namespace govsim::dsge;

namespace {
std::string fixture(const std::string& name) { return std::string(GOVSIM_FIXTURES_DIR) + "/models/" + name; }

const char* rbc_ssm = R"(
var y c k i l r w z;
varexo e;
parameters alpha beta delta sigma eta psi rho;
alpha = 0.33; beta = 0.99; delta = 0.025; sigma = 2.0; eta = 1.0; psi = 5.0; rho = 0.95;
model;
  c^(-sigma) = beta*c(+1)^(-sigma)*(r(+1) + 1 - delta);
  psi*l^eta = w*c^(-sigma);
  y = exp(z)*k(-1)^alpha*l^(1-alpha);
  r = alpha*y/k(-1);
  w = (1-alpha)*y/l;
  k = (1-delta)*k(-1) + i;
  y = c + i;
  z = rho*z(-1) + e;
end;
steady_state_model;
  z  = 0;
  r  = 1/beta - 1 + delta;
  kl = (alpha/r)^(1/(1-alpha));
  w  = (1-alpha)*kl^alpha;
  cl = kl^alpha - delta*kl;
  l  = (w*cl^(-sigma)/psi)^(1/(eta+sigma));
  k  = kl*l;
  y  = kl^alpha*l;
  i  = delta*k;
  c  = cl*l;
end;
)";
}  // namespace

TEST_CASE("steady_state_model with helper names matches Newton from initval", "[dsge]") {
  Model a = parse_model(rbc_ssm, "rbc.mod");
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

TEST_CASE("a wrong steady_state_model is reported with the equation and residual", "[dsge]") {
  std::string src = rbc_ssm;
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
