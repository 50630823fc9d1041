// run_commands(): typed results equal the library functions called directly, warnings, failures,
// and the validation of command option values (CommandOptionReader), table-driven.

#include <govsim/core/error.hpp>
#include <govsim/dsge/command_options.hpp>
#include <govsim/dsge/irf.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/run_commands.hpp>
#include <govsim/dsge/second_order.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace govsim;

namespace {
const std::string kBase =
    "var y x; varexo e; parameters rho; rho = 0.5;\n"
    "model; x = rho*x(-1) + e; y = x(+1) + x; end;\n"
    "shocks; var e; stderr 0.1; end;\n";
}

TEST_CASE("run_commands: steady, check and stoch_simul(order=1) equal the library functions", "[run_commands]") {
  const std::string path = std::string(GOVSIM_SOURCE_DIR) + "/examples/models/rbc.mod";
  const auto model = dsge::parse_model_file(path);
  const auto r = dsge::run_commands(model);
  INFO(r.error_message);
  REQUIRE(r.ok());
  const auto ss = dsge::solve_steady_state(model);
  const auto sol = dsge::solve_first_order(dsge::linearize(model, ss.values));
  const Index n = model.n_declared_endo();
  CHECK(r.endo_names.size() == static_cast<std::size_t>(n));
  CHECK(r.steady_state == ss.values.head(n));
  const auto sims = r.results_of<dsge::StochSimulResult>();
  REQUIRE(sims.size() == 1);
  const auto& s = *sims[0];
  CHECK(s.order == 1);
  CHECK(s.first.ghx == sol.ghx);
  CHECK(s.first.ghu == sol.ghu);
  REQUIRE(s.irfs);
  dsge::IrfOptions io;
  io.periods = 20;
  const auto irf = dsge::impulse_responses(sol, io);
  CHECK(s.irfs->response("e") == irf.response("e"));
  REQUIRE(s.moments);
  CHECK(s.moments->autocorrelation.size() == 5);
  REQUIRE(r.results_of<dsge::CheckResult>().size() == 1);
  CHECK(r.results_of<dsge::CheckResult>()[0]->blanchard_kahn_ok());
}

TEST_CASE("run_commands: order 2 equals solve_second_order", "[run_commands]") {
  auto model = dsge::parse_model(
      "var y c k a; varexo e; parameters alpha beta delta rho;\n"
      "alpha = 0.36; beta = 0.99; delta = 0.025; rho = 0.95;\n"
      "model; 1/c = beta/c(+1)*(alpha*exp(a(+1))*k^(alpha-1) + 1 - delta);\n"
      "y = exp(a)*k(-1)^alpha; k = y - c + (1-delta)*k(-1); a = rho*a(-1) + e; end;\n"
      "initval; k = 30; c = 2; y = 3; a = 0; end;\n"
      "shocks; var e; stderr 0.01; end;\n"
      "stoch_simul(order=2, irf=5, periods=30, drop=10);\n",
      "r2.mod");
  const auto r = dsge::run_commands(model);
  INFO(r.error_message);
  REQUIRE(r.ok());
  const auto& s = *r.results_of<dsge::StochSimulResult>().at(0);
  REQUIRE(s.second);
  const auto ss = dsge::solve_steady_state(model);
  const auto first = dsge::solve_first_order(dsge::linearize(model, ss.values));
  const auto so = dsge::solve_second_order(model, first);
  CHECK(s.second->ghxx == so.ghxx);
  CHECK(s.second->ghs2 == so.ghs2);
  REQUIRE(s.irfs);
  CHECK(s.irfs->responses.at(0).rows() == 5);
  // impact response of the shock process is the shock's standard deviation (a is linear)
  CHECK(s.irfs->response("e", "a")(0) == Approx(0.01).epsilon(1e-10));
  REQUIRE(s.simulation);
  CHECK(s.simulation->paths.rows() == 30);
}

TEST_CASE("run_commands: warnings, repeated commands, unit roots and failures", "[run_commands]") {
  SECTION("unknown commands are warnings with their location") {
    const auto r = dsge::run_commands(dsge::parse_model(kBase + "steady; shock_decomposition;\n", "m.mod"));
    REQUIRE(r.ok());
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].where.line == 4);
    CHECK(r.warnings[0].message == "command 'shock_decomposition' is not implemented yet: skipped");
    CHECK(r.warnings[0].position == 1);
  }
  SECTION("repeated commands give one result each") {
    const auto r = dsge::run_commands(dsge::parse_model(kBase + "steady; steady;\n", "m.mod"));
    CHECK(r.results_of<dsge::SteadyResult>().size() == 2);
  }
  SECTION("unit root: moments skipped with a warning") {
    auto m = dsge::parse_model(kBase + "stoch_simul(order=1, irf=4);\n", "m.mod");
    m.set_param("rho", 1.0);
    const auto r = dsge::run_commands(m);
    REQUIRE(r.ok());
    CHECK_FALSE(r.results_of<dsge::StochSimulResult>()[0]->moments);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message.find("theoretical moments not computed") != std::string::npos);
  }
  SECTION("Blanchard-Kahn failure is numerical, results before it kept") {
    auto m = dsge::parse_model(kBase + "steady; check;\n", "m.mod");
    m.set_param("rho", 1.5);
    const auto r = dsge::run_commands(m);
    CHECK(r.failure == dsge::RunFailure::Numerical);
    CHECK(r.status != Status::Success);
    CHECK(r.error_message.rfind("m.mod:4: check: ", 0) == 0);
    CHECK(r.error_where.line == 4);
    CHECK(r.results_of<dsge::SteadyResult>().size() == 1);
  }
  SECTION("the policy commands are not dsge's: without them osr is a warning") {
    const auto r = dsge::run_commands(dsge::parse_model(kBase + "stoch_simul(order=1, irf=3) y;\nosr y;\n", "m.mod"));
    CHECK(r.ok());
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message == "command 'osr' is not implemented yet: skipped");
    CHECK(r.results_of<dsge::StochSimulResult>().size() == 1);
  }
  SECTION("perfect_foresight_solver without setup") {
    const auto r = dsge::run_commands(dsge::parse_model(kBase + "perfect_foresight_solver;\n", "m.mod"));
    CHECK(r.failure == dsge::RunFailure::BadInput);
    CHECK(r.error_message.find("needs perfect_foresight_setup") != std::string::npos);
  }
}

TEST_CASE("command option values are validated as Dynare does", "[run_commands][options]") {
  struct Case {
    std::string command;  // written after kBase on line 4
    std::string expect;   // substring of the message ("" = accepted)
  };
  const std::vector<Case> cases{
      {"stoch_simul(order=1, irf=-5);", "option irf=-5: must be a whole number >= 0"},
      {"stoch_simul(order=1, irf=2.7);", "option irf=2.7: must be a whole number >= 0, not a fraction"},
      {"stoch_simul(order=1, periods=-10);", "option periods=-10: must be a whole number >= 0"},
      {"stoch_simul(order=1, periods=10.7);", "option periods=10.7: must be a whole number >= 0, not a fraction"},
      {"stoch_simul(order=0);", "option order=0: must be a whole number in [1, 3]"},
      {"stoch_simul(order=1, irf=abc);", "option irf=abc: must be a whole number >= 0"},
      {"stoch_simul(order=1, qz_criterium=nan);", "option qz_criterium=nan: must be a finite number"},
      {"stoch_simul(order=1, periods=1e12);", "option periods=1e12: the simulated series would need"},
      {"stoch_simul(order=1, irf=1e9);", "option irf=1e9: the impulse responses would need"},
      {"stoch_simul(order=1, ar=1e9);", "option ar=1e9: the autocorrelation matrices would need"},
      {"stoch_simul(order=1, irf=1e30);", "option irf=1e30: must be a whole number >= 0"},
      {"stoch_simul(order=1, conditional_variance_decomposition=[1 0]);",
       "option conditional_variance_decomposition=[1 0]: must be a list of whole numbers >= 1"},
      {"stoch_simul(order=1, nograph=2);", "option nograph=2: is a flag"},
      {"perfect_foresight_setup(periods=0);", "option periods=0: must be a whole number in [1, "},
      {"perfect_foresight_setup(periods=1e12);", "option periods=1e12: must be a whole number in [1, "},
      {"perfect_foresight_setup(periods=100000000);", "option periods=100000000: the perfect foresight problem would need"},
      {"steady(maxit=-1);", "option maxit=-1: must be a whole number in [1, 1000000]"},
      {"stoch_simul(order=1, irf=1e1, periods=20.0, nograph=1, conditional_variance_decomposition=1:3);", ""},
  };
  for (const auto& c : cases) {
    INFO(c.command);
    const auto r = dsge::run_commands(dsge::parse_model(kBase + c.command + "\n", "m.mod"));
    if (c.expect.empty()) {
      CHECK(r.ok());
      continue;
    }
    CHECK(r.failure == dsge::RunFailure::BadInput);
    CHECK(r.error_message.rfind("m.mod:4: ", 0) == 0);
    CHECK(r.error_message.find(c.expect) != std::string::npos);
    INFO(r.error_message);
  }
}

TEST_CASE("CommandOptionReader reads typed values", "[run_commands][options]") {
  const auto m = dsge::parse_model(kBase + "stoch_simul(irf=1e2, qz_criterium=1.000001, datafile='d.csv', "
                                           "conditional_variance_decomposition=[1 4:6], nograph);\n",
                                   "m.mod");
  const dsge::CommandOptionReader r(m.commands().at(0));
  CHECK(r.where() == "m.mod:4: stoch_simul");
  CHECK(r.integer("irf", 0, 0) == 100);
  CHECK(r.integer("absent", 7) == 7);
  CHECK(r.real("qz_criterium", 0) == 1.000001);
  CHECK(r.text("datafile") == std::optional<std::string>("d.csv"));
  CHECK(r.flag("nograph"));
  CHECK_FALSE(r.flag("noprint"));
  CHECK(r.integer_list("conditional_variance_decomposition", 1) == std::vector<long long>{1, 4, 5, 6});
  CHECK(r.unknown_options({"irf", "qz_criterium"}) == Names{"datafile", "conditional_variance_decomposition", "nograph"});
  CHECK_THROWS_AS(r.require_memory("irf", 1e12, "x"), OptionsError);
  CHECK_NOTHROW(r.require_memory("irf", 1e3, "x"));
}
