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

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

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
  SECTION("unit root: moments of the non-stationary variables NaN, with a warning") {
    auto m = dsge::parse_model(kBase + "stoch_simul(order=1, irf=4);\n", "m.mod");
    m.set_param("rho", 1.0);
    const auto r = dsge::run_commands(m);
    REQUIRE(r.ok());
    const auto& mo = r.results_of<dsge::StochSimulResult>()[0]->moments;
    REQUIRE(mo);
    CHECK(mo->stationary == std::vector<bool>{false, false});
    CHECK(std::isnan(mo->covariance(0, 0)));
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message.find("non-stationary variable(s) y, x") != std::string::npos);
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

// Dynare 5.3 (Octave), stoch_simul(order=1, loglinear, irf=4, ar=2) on this model: oo_.dr.ys,
// ghx, ghu (DR order mapped to declaration order, state columns by name), oo_.var and the IRFs.
// The lag of the shock makes an auxiliary that stays in levels (its steady state is 0).
TEST_CASE("stoch_simul(loglinear) matches Dynare", "[run_commands][loglinear]") {
  const std::string mod =
      "var y c k a; varexo e; parameters alpha beta delta rho;\n"
      "alpha = 0.33; beta = 0.99; delta = 0.025; rho = 0.9;\n"
      "model; 1/c = beta/c(+1)*(alpha*a(+1)*k^(alpha-1) + 1 - delta); y = a*k(-1)^alpha;\n"
      "  k = y - c + (1-delta)*k(-1); log(a) = rho*log(a(-1)) + e + 0.5*e(-1); end;\n"
      "steady_state_model; a = 1; k = ((1/beta - 1 + delta)/alpha)^(1/(alpha-1)); y = k^alpha;\n"
      "  c = y - delta*k; end;\n"
      "shocks; var e; stderr 0.01; end;\n";
  dsge::RunOptions ro;
  ro.include_auxiliary = true;
  const auto r = dsge::run_commands(dsge::parse_model(mod + "stoch_simul(order=1, loglinear, irf=4, ar=2);\n", "ll.mod"), ro);
  INFO(r.error_message);
  REQUIRE(r.ok());
  const auto& s = *r.results_of<dsge::StochSimulResult>()[0];
  CHECK(s.loglinear);
  const auto& sol = s.first;
  REQUIRE(sol.endo_names.size() == 5);  // y c k a and the shock's lag auxiliary
  auto close = [](double got, double ref) { return std::abs(got - ref) <= 1e-9 * std::max(1e-3, std::abs(ref)); };
  const std::vector<double> ys{1.1037085169802285, 0.83578204951253221, 3.3445712635764502, 0, 0};
  for (Index i = 0; i < 5; ++i) CHECK(close(sol.steady_state[i], ys[static_cast<std::size_t>(i)]));
  // rows y c k a aux; columns k a aux
  const Matrix ghx = (Matrix(5, 3) << 0.33000000000000029, 0.8999999999999998, 0.49999999999999978,  //
                      0.59040776204856749, 0.20409710901545167, 0.11338728278636205,                   //
                      0.9620614804571288, 0.079123319864085662, 0.043957399924492012,                  //
                      0, 0.89999999999999991, 0.49999999999999994,                                     //
                      0, 0, 0)
                         .finished();
  const std::vector<std::string> cols{"k", "a", sol.endo_names[4]};
  for (Index j = 0; j < 3; ++j) {
    const auto it = std::find(sol.state_names.begin(), sol.state_names.end(), cols[static_cast<std::size_t>(j)]);
    REQUIRE(it != sol.state_names.end());
    const Index c = static_cast<Index>(it - sol.state_names.begin());
    for (Index i = 0; i < 5; ++i) {
      INFO("ghx row " << i << " column " << cols[static_cast<std::size_t>(j)]);
      CHECK(close(sol.ghx(i, c), ghx(i, j)));
    }
  }
  const std::vector<double> ghu{1, 0.31822058730304259, 0.080474139081778098, 1, 1};
  for (Index i = 0; i < 5; ++i) CHECK(close(sol.ghu(i, 0), ghu[static_cast<std::size_t>(i)]));
  const Matrix var = (Matrix(4, 4) << 0.001772570192037533, 0.0010555572286793989, 0.0013213553007394524,
                      0.0013600870916908403, 0.0010555572286793989, 0.00083749140660721209, 0.0011697315650157211,
                      0.0006745851448563859, 0.0013213553007394524, 0.0011697315650157213, 0.0016893935355764178,
                      0.00076491690581673741, 0.0013600870916908405, 0.0006745851448563859, 0.0007649169058167373,
                      0.0011315789473684201)
                         .finished();
  REQUIRE(s.moments);
  for (Index i = 0; i < 4; ++i)
    for (Index j = 0; j < 4; ++j) CHECK(close(s.moments->covariance(i, j), var(i, j)));
  CHECK(close(s.moments->mean[0], ys[0]));
  REQUIRE(s.irfs);
  const std::vector<double> irf_y{0.010000000000500053, 0.014265564659683205, 0.013261655904931002, 0.012342103397202431};
  const std::vector<double> irf_k{0.00080474139085806584, 0.0020050178918213923, 0.0030366769595011611,
                                  0.0039184237616649575};
  for (Index t = 0; t < 4; ++t) {
    CHECK(close(s.irfs->responses[0](t, 0), irf_y[static_cast<std::size_t>(t)]));
    CHECK(close(s.irfs->responses[0](t, 2), irf_k[static_cast<std::size_t>(t)]));
  }

  SECTION("order=2 is refused as Dynare does") {
    const auto r2 = dsge::run_commands(dsge::parse_model(mod + "stoch_simul(order=2, loglinear);\n", "ll.mod"));
    CHECK(r2.failure == dsge::RunFailure::BadInput);
    CHECK(r2.error_message.find("ll.mod:8: stoch_simul: option 'loglinear' works at order 1 only") !=
          std::string::npos);
  }
  SECTION("a steady state that is not positive is a numerical failure naming the variable (Dynare's error 26)") {
    const std::string lin = "var x q; varexo e; model; x = 0.5*x(-1) + e; q = 2 + x; end;\n"
                            "shocks; var e; stderr 1; end;\nstoch_simul(order=1, loglinear);\n";
    const auto r3 = dsge::run_commands(dsge::parse_model(lin, "z.mod"));
    CHECK(r3.failure == dsge::RunFailure::Numerical);
    CHECK(r3.status == Status::NumericalIssue);
    CHECK(r3.error_message.find("not positive: x (0)") != std::string::npos);
    CHECK(r3.error_message.find("q (") == std::string::npos);
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
