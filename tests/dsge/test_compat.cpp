// Dynare language features found in published replication files, each checked against numbers
// computed with Dynare 5.3 (Octave) on the same fixture (tests/fixtures/models/compat_*.mod):
// oo_.steady_state, M_.params, oo_.dr.ghx / ghu (rows in declaration order, state columns
// named), M_.Sigma_e and estim_params_.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/steady_state.hpp>

#include "support.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <vector>

using namespace govsim;
using namespace govsim::dsge;

namespace {

std::string fixture(const std::string& name) { return std::string(GOVSIM_FIXTURES_DIR) + "/models/" + name; }

// |a - b| <= 1e-8 |b| (plus 1e-13 for entries that are zero up to rounding in Dynare's output)
bool close(double a, double b) { return std::fabs(a - b) <= test::Tol::relative * std::fabs(b) + 1e-13; }

Index index_of(const Names& names, const std::string& n) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == n) return static_cast<Index>(i);
  return -1;
}

struct DynareSolution {
  std::vector<double> steady_state;  // declared variables, declaration order
  Names states;                      // Dynare's state order (columns of ghx)
  std::map<std::string, std::vector<double>> ghx, ghu;  // by variable
};

// Solve as `steady; stoch_simul(order=1);` and compare with Dynare.
PerturbationResult check_against_dynare(const Model& m, const DynareSolution& ref) {
  const SteadyStateResult ss = solve_steady_state(m, steady_state_options(m));
  REQUIRE(ss.ok());
  for (std::size_t i = 0; i < ref.steady_state.size(); ++i) {
    INFO("steady state of " << m.endo_names()[i]);
    CHECK(close(ss.values[static_cast<Index>(i)], ref.steady_state[i]));
  }
  PerturbationResult sol = solve_first_order(linearize(m, ss.values));
  REQUIRE(sol.ok());
  REQUIRE(sol.state_names.size() == ref.states.size());
  for (const auto& [var, row] : ref.ghx) {
    const Index r = index_of(sol.endo_names, var);
    REQUIRE(r >= 0);
    for (std::size_t j = 0; j < ref.states.size(); ++j) {
      const Index c = index_of(sol.state_names, ref.states[j]);
      REQUIRE(c >= 0);
      INFO("ghx(" << var << ", " << ref.states[j] << ")");
      CHECK(close(sol.ghx(r, c), row[j]));
    }
  }
  for (const auto& [var, row] : ref.ghu) {
    const Index r = index_of(sol.endo_names, var);
    REQUIRE(r >= 0);
    for (std::size_t j = 0; j < row.size(); ++j) {
      INFO("ghu(" << var << ", " << j << ")");
      CHECK(close(sol.ghu(r, static_cast<Index>(j)), row[j]));
    }
  }
  return sol;
}

}  // namespace

TEST_CASE("steady_state() operator, parameters assigned in steady_state_model, native statements", "[dsge][compat]") {
  const Model m = parse_model_file(fixture("compat_ssm_params.mod"));
  // Dynare 5.3: M_.params after steady (alpha and delta assigned by steady_state_model; rho set by
  // set_param_value)
  const std::vector<double> params{0.35101010101010077, 0.99, 0.025, 0.25, 10, 0.8, 0.5};
  for (std::size_t i = 0; i < params.size(); ++i) {
    INFO("parameter " << m.param_names()[i]);
    CHECK(close(m.params()[static_cast<Index>(i)], params[i]));
  }
  // the derived parameters follow a change of the targets, as Dynare recomputes them
  Model m2 = m;
  m2.set_param("k_y", 12.0);
  CHECK(m2.param("delta") == Approx(0.25 / 12.0).epsilon(1e-15));
  CHECK(m2.param("alpha") == Approx(12.0 * (1 / 0.99 - 1 + 0.25 / 12.0)).epsilon(1e-15));
  // native statements: skipped with located warnings; options_.qz_criterium reaches stoch_simul
  int skipped = 0;
  for (const auto& w : m.warnings())
    if (w.message.find("MATLAB statement") != std::string::npos) {
      ++skipped;
      CHECK(w.where.line >= 8);
      CHECK(w.where.line <= 11);
    }
  CHECK(skipped == 3);  // -log(beta); disp(...); set_dynare_seed(42);
  for (const auto& w : m.warnings()) CHECK(w.message.find("has no value") == std::string::npos);
  const Command& ss_cmd = m.commands().back();
  REQUIRE(ss_cmd.name == "stoch_simul");
  CHECK(ss_cmd.option_number("qz_criterium", 0) == Approx(1.000001).epsilon(1e-15));

  DynareSolution ref;
  ref.steady_state = {3.4742097209867531, 2.6056572907400648, 34.742097209867531, 0.86855243024668827, 0,
                      1.0101010101010102};
  ref.states = {"k", "R", "z"};
  ref.ghx = {{"y", {0.035101010101009918, -6.6422141009908247e-17, 2.7793677767894014}},
             {"c", {0.045752297049449595, -1.7032033683962643e-15, 0.2987093215876}},
             {"k", {0.96434871305155989, 1.5427306860775686e-15, 2.4806584552018016}},
             {"i", {-0.010651286948439843, 1.592089606279109e-15, 2.4806584552018012}},
             {"z", {-5.9697461899481942e-19, 6.4982616748935602e-18, 0.79999999999999971}},
             {"R", {0.0051026806966226815, 0.49999999999999972, 0.40404040404040348}}};
  ref.ghu = {{"y", {3.4742097209867535}}, {"c", {0.37338665198449578}}, {"k", {3.1008230690022582}},
             {"i", {3.1008230690022582}},  {"z", {1}},                    {"R", {0.50505050505050519}}};
  check_against_dynare(m, ref);
}

TEST_CASE("steady(nocheck): unit-root model whose steady_state_model misses the growth equation", "[dsge][compat]") {
  const Model m = parse_model_file(fixture("compat_unit_root.mod"));
  const SteadyStateOptions o = steady_state_options(m);
  CHECK_FALSE(o.check);
  CHECK(o.max_iterations == 50);
  CHECK(o.tolerance == 1e-9);
  // without nocheck the steady_state_model values are rejected (static residual g = 0.01)
  CHECK_FALSE(solve_steady_state(m).ok());
  DynareSolution ref;
  ref.steady_state = {0, 0.01, 0};
  ref.states = {"y", "a"};
  ref.ghx = {{"y", {1, 0.5}}, {"dy", {0, 0.5}}, {"a", {0, 0.5}}};
  ref.ghu = {{"y", {1}}, {"dy", {1}}, {"a", {1}}};
  check_against_dynare(m, ref);
  // invalid steady options are located errors
  const Model bad = parse_model("var y; varexo e; model; y = e; end; steady(maxit=0);", "bad.mod");
  try {
    (void)steady_state_options(bad);
    FAIL("no OptionsError");
  } catch (const OptionsError& e) {
    CHECK(std::string(e.what()).find("maxit") != std::string::npos);
    CHECK(std::string(e.what()).find("bad.mod:1") != std::string::npos);
  }
  CHECK_THROWS_AS(steady_state_options(parse_model("var y; model; y = 0; end; steady(solve_algo=99);")), OptionsError);
  CHECK_THROWS_AS(steady_state_options(parse_model("var y; model; y = 0; end; steady(tolf=-1);")), OptionsError);
}

TEST_CASE("macro directives, model_local_variable, predetermined_variables, change_type, varexo_det, "
          "shocks(overwrite), corr", "[dsge][compat]") {
  const Model m = parse_model_file(fixture("compat_misc.mod"));
  CHECK(m.endo_names() == Names{"y", "c", "k", "z", "g"});  // g: parameter turned variable, declaration order
  CHECK(m.param_names() == Names{"alpha", "beta", "delta", "rho", "rhog", "h"});
  CHECK(m.exo_det_names() == Names{"d"});
  CHECK(m.param("h") == 0.5);  // @#if USE_HABIT
  for (const auto& c : m.commands()) {
    CHECK(c.name.rfind("write_latex_", 0) != 0);  // accepted and ignored
    CHECK(c.name != "model_info");
  }
  // Dynare 5.3 M_.Sigma_e: the overwrite block drops the first block's entries (corr 0.9)
  const Matrix S = m.Sigma_e();
  CHECK(close(S(0, 0), 0.0004));
  CHECK(close(S(1, 1), 0.0001));
  CHECK(close(S(0, 1), 6.0000000000000002e-05));
  CHECK(close(S(1, 0), 6.0000000000000002e-05));
  DynareSolution ref;
  ref.steady_state = {1.4788145328844888, 1.0603641323187132, 3.68450400565776, 0, 0.05};
  ref.states = {"k", "g", "c", "z"};
  ref.ghx = {{"y", {0.12040816326540336, 1.1775693440128314e-16, 3.9252311467094379e-17, 1.3309330795958176}},
             {"c", {0.083126591904348304, -0.14262757705725448, 0.42870258321435267, 0.28455679480521801}},
             {"k", {0.93728157136105505, -0.55737242294274525, -0.42870258321435262, 1.0463762847905993}},
             {"z", {0, -1.8611649864245461e-17, 0, 0.90000000000000013}},
             {"g", {0, 0.69999999999999996, 0, 0}}};
  ref.ghu = {{"y", {1.4788145328842419, -4.491493391852179e-17}},
             {"c", {0.31617421645024218, -0.20375368151036363}},
             {"k", {1.1626403164339998, -0.79624631848963645}},
             {"z", {1, 0}},
             {"g", {0, 1}}};
  check_against_dynare(m, ref);
  // @#error stops with the message and location
  try {
    (void)parse_model("@#define N = 3\n@#if N > 2\n@#error \"N must be at most 2\"\n@#endif\nvar y;\n", "err.mod");
    FAIL("no ParseError");
  } catch (const ParseError& e) {
    CHECK(std::string(e.what()).find("N must be at most 2") != std::string::npos);
    CHECK(e.line() == 3);
  }
  CHECK_THROWS_AS(parse_model("var y; varexo e; model; y = e; end; change_type(var) e;"), ParseError);
}

TEST_CASE("estimated_params: inf bounds, upper-case prior names, positional forms, estimated_params_init",
          "[dsge][compat]") {
  const Model m = parse_model_file(fixture("compat_est.mod"));
  const auto& ep = m.estimated_params();
  REQUIRE(ep.size() == 6);
  const double inf = std::numeric_limits<double>::infinity();
  auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b || close(a, b); };
  // Dynare 5.3 estim_params_.param_vals / var_exo / corrx rows:
  // [init lower upper shape mean std p3 p4 jscale]; shapes 1 beta, 2 gamma, 3 normal, 4 inv_gamma,
  // 5 uniform, 6 inv_gamma2
  struct Row {
    std::string shape;
    std::vector<double> v;
  };
  const double nan = std::nan("");
  const std::vector<Row> rows{
      {"beta_pdf", {0.7, -inf, inf, 0.8, 0.1, nan, nan, nan}},
      {"gamma_pdf", {nan, -inf, inf, 0.2, 0.05, nan, nan, nan}},
      {"normal_pdf", {1.1, 0, inf, 1, 0.3, -5, 5, 0.5}},
      {"inv_gamma_pdf", {0.015, -inf, inf, 0.01, inf, nan, nan, nan}},
      {"inv_gamma2_pdf", {0.02, 0, 1, 0.02, 0.01, nan, nan, nan}},
      {"uniform_pdf", {0.2, -1, 1, nan, nan, -1, 1, nan}},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("estimated_params line " << i + 1 << " (" << ep[i].name << ")");
    const auto& e = ep[i];
    const auto& v = rows[i].v;
    CHECK(e.prior_shape == rows[i].shape);
    CHECK(same(e.init, v[0]));
    CHECK(same(e.lower, v[1]));
    CHECK(same(e.upper, v[2]));
    CHECK(same(e.prior_mean, v[3]));
    CHECK(same(e.prior_std, v[4]));
    CHECK(same(e.prior_p3, v[5]));
    CHECK(same(e.prior_p4, v[6]));
    CHECK(same(e.jscale, v[7]));
  }
  CHECK(ep[3].kind == EstimatedParam::Kind::Stderr);
  CHECK(ep[5].kind == EstimatedParam::Kind::Corr);
  // estimated_params_init with use_calibration; estimated_params_bounds; unknown entries
  const std::string base =
      "var y; varexo e; parameters rho; rho = 0.5; model; y = rho*y(-1) + e; end;\n"
      "shocks; var e; stderr 0.3; end;\n"
      "estimated_params; rho, BETA_PDF, 0.6, 0.1; stderr e, INV_GAMMA_PDF, 0.1, 2; end;\n";
  const Model c = parse_model(base + "estimated_params_init(use_calibration); end;\n"
                                     "estimated_params_bounds; rho, 0.1, 0.95; end;\n");
  CHECK(c.estimated_params()[0].init == 0.5);
  CHECK(c.estimated_params()[1].init == 0.3);
  CHECK(c.estimated_params()[0].lower == 0.1);
  CHECK(c.estimated_params()[0].upper == 0.95);
  CHECK_THROWS_AS(parse_model(base + "estimated_params_init; stderr y, 0.1; end;\n"), ParseError);
}

TEST_CASE("native MATLAB statements never fail: evaluated when they set parameters or options, skipped otherwise",
          "[dsge][compat]") {
  const Model m = parse_model(
      "var y;\nvarexo e;\nparameters rho sig;\nrho = 0.9;\n"
      "for i = 1:3\n  disp(i); % comment\nend\n"
      "if rho > 1\n  error('bad');\nend\n"
      "load data;\n[a, b] = deal(1, 2);\nx = zeros(3, 1);\nf = @(z) z';\nM_.params(1) = 3;\n"
      "set_param_value('sig', 2*rho);\noptions_.irf = 12;\noptions_.nograph = 1;\noptions_.noprint = 0;\n"
      "model; y = rho*y(-1) + sig*e; end;\nshocks; var e; stderr 1; end;\n"
      "stoch_simul(order=1, irf=20);\nstoch_simul(order=1);\n",
      "nat.mod");
  CHECK(m.param("rho") == 0.9);
  CHECK(m.param("sig") == Approx(1.8).epsilon(1e-15));
  REQUIRE(m.commands().size() == 2);
  CHECK(m.commands()[0].option("irf") == std::optional<std::string>("20"));  // explicit option wins
  CHECK(m.commands()[1].option("irf") == std::optional<std::string>("12"));
  CHECK(m.commands()[1].has_option("nograph"));
  CHECK_FALSE(m.commands()[1].has_option("noprint"));
  int skipped = 0;
  for (const auto& w : m.warnings()) {
    if (w.message.find("MATLAB statement") == std::string::npos) continue;
    ++skipped;
    CHECK(w.where.file == "nat.mod");
    CHECK(w.where.line >= 5);
  }
  CHECK(skipped == 11);  // for, disp, end, if, error, end, load, [a,b]=..., x=..., f=..., M_.params
  // a bad character in model code is still an error
  CHECK_THROWS_AS(parse_model("var y; model; y = 1 ~ 2; end;"), ParseError);
}

TEST_CASE("trend_var and var(deflator=...)/var(log_deflator=...): the model is detrended as in Dynare",
          "[dsge][compat]") {
  const Model m = parse_model_file(fixture("compat_trend.mod"));
  CHECK(m.endo_names() == Names{"z", "y", "c", "k", "i", "ly"});  // the trend variable A is not a variable
  DynareSolution ref;  // Dynare 5.3 on the same file
  ref.steady_state = {0, 2.8221431918229825, 2.1262985270919912, 23.310796268488339, 0.69584466473099127,
                      1.0374965933988147};
  ref.states = {"k", "z"};
  ref.ghx = {{"z", {0, 0.94999999999999962}},
             {"y", {0.039951756369666837, 2.6810360322318321}},
             {"c", {0.05340377165772478, 0.69700655509067277}},
             {"k", {0.95669723844328547, 1.984029477141158}},
             {"i", {-0.013452015288057954, 1.9840294771411582}},
             {"ly", {0.014156530570605001, 0.9499999999999994}}};
  ref.ghu = {{"z", {1}},
             {"y", {2.8221431918229825}},
             {"c", {0.73369111062176506}},
             {"k", {2.0884520812012171}},
             {"i", {2.0884520812012171}},
             {"ly", {0.99999999999999978}}};
  check_against_dynare(m, ref);
  CHECK_THROWS_AS(parse_model("var y; model; y = B; end;"), ParseError);
  CHECK_THROWS_AS(parse_model("var k; parameters g; g = 1; trend_var(growth_factor = k) A;"), ParseError);
  CHECK_THROWS_AS(parse_model("parameters g; var(deflator = q) y;"), ParseError);
}

TEST_CASE("repeated declarations, unsupported features named in errors", "[dsge][compat]") {
  // Dynare 5.3 warns "Symbol rho declared twice" and runs (ghx = 0.5 for y = rho*y(-1) + e)
  const Model m = parse_model("var y;\nvarexo e;\nparameters rho sig rho;\nrho = 0.5; sig = 1;\n"
                              "model; y = rho*y(-1) + sig*e; end;\n",
                              "dup.mod");
  CHECK(m.param_names() == Names{"rho", "sig"});
  bool warned = false;
  for (const auto& w : m.warnings())
    if (w.message == "symbol 'rho' declared twice" && w.where.line == 3) warned = true;
  CHECK(warned);
  CHECK_THROWS_AS(parse_model("var y; parameters y;"), ParseError);
  auto message = [](const std::string& src) {
    try {
      (void)parse_model(src, "u.mod");
    } catch (const ParseError& e) {
      return std::string(e.what());
    }
    return std::string("<no ParseError>");
  };
  CHECK(message("var y; external_function(name = f, nargs = 1);").find("external_function") != std::string::npos);
  CHECK(message("var y; model; y = 0; end;\ninitval_file(filename = 'ss.m');").find("initval_file") !=
        std::string::npos);
  CHECK(message("var y; model; y = 0; end;\nhistval_file(datafile = 'h.csv');").find("u.mod:2") !=
        std::string::npos);
  CHECK(message("var y; model; y = 0; end;\nsteady_state_model; y = my_helper(2); end;")
            .find("unknown function or array 'my_helper'") != std::string::npos);
  // post-processing code of published files (MATLAB after stoch_simul) is skipped, never an error
  const Model p = parse_model(
      "var y; varexo e; parameters rho; rho = 0.5; model; y = rho*y(-1) + e; end;\n"
      "stoch_simul(order=1);\n"
      "TBL(j,1) = mean(RESULTS.(model_variant).y(j,:)');\n"
      "log_Gamma(1,1)=g_eps_g(1,1)+log_Gamma_0;\nk_range=[3:0.1:32];\ncase_title='Flexible targeting';\n"
      "if ~info(1)\n  x = zeros(3,1); x(1,1) = 2;\nend\nclose all;\nE_EX_R = 1/rho-1; -log(rho);\n"
      "for ii=1:length(v)\n  set_param_value('rho', v(ii));\nend\n"
      "if ~isempty(x)\nfprintf('a')\nelse %complete markets\nfprintf('b')\nend\n"
      "shocks;\n  var e; stderr 2;\nend;\n");
  CHECK(p.commands().size() == 1);
  CHECK(p.param("rho") == 0.5);
  CHECK(p.Sigma_e()(0, 0) == 4.0);  // the shocks block after the MATLAB lines is read as such
  // an estimated_params line with the name only (initial value from elsewhere)
  const Model q = parse_model("var y; varexo e; parameters rho; rho = 0.5; model; y = rho*y(-1) + e; end;\n"
                              "estimated_params; rho; end;\n");
  REQUIRE(q.estimated_params().size() == 1);
  CHECK(std::isnan(q.estimated_params()[0].init));
}

TEST_CASE("a MATLAB steady-state file beside the .mod file is named, not silently ignored", "[dsge][compat]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "govsim_compat_ssfile";
  fs::create_directories(dir);
  {
    std::ofstream(dir / "withfile.mod") << "var y; varexo e; model; y = 0.5*y(-1) + e; end;\n";
    std::ofstream(dir / "withfile_steadystate.m") << "function [ys, params, check] = withfile_steadystate(ys, exo, M_, options_)\n";
  }
  const Model m = parse_model_file((dir / "withfile.mod").string());
  CHECK(m.steady_state_file().find("withfile_steadystate.m") != std::string::npos);
  try {
    (void)solve_steady_state(m);
    FAIL("no ModelError");
  } catch (const ModelError& e) {
    CHECK(std::string(e.what()).find("withfile_steadystate.m") != std::string::npos);
  }
  SteadyStateOptions o;
  o.use_steady_state_model = false;
  CHECK(solve_steady_state(m, o).ok());
  fs::remove_all(dir);
}

TEST_CASE("model(linear) with constants: steady state of the linear static model and decision rules",
          "[dsge][compat]") {
  const Model m = parse_model_file(fixture("compat_linear.mod"));
  CHECK(m.linear());
  DynareSolution ref;  // Dynare 5.3 on the same file
  ref.steady_state = {0.0020000000000000013, 0.019999999999999997, 0.029999999999999999, 0.01};
  ref.states = {"i"};
  ref.ghx = {{"y", {-2.5445588400433832}}, {"pi", {-0.63946374897559166}}, {"i", {0.6081608753073211}},
             {"r", {0.99705770861161791}}};
  ref.ghu = {{"y", {-3.1806985500542342, -0.95420956501626986}},
             {"pi", {-0.79932968621949163, 0.7602010941341526}},
             {"i", {0.7602010941341526, 0.22806032824024566}},
             {"r", {1.2463221357645244, 0.37389664072935713}}};
  check_against_dynare(m, ref);
}
