// Tests of the .mod reader: reference models, macro processor, blocks, commands, errors.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/steady_state.hpp>

#include "support.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace govsim;
using namespace govsim::dsge;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& name) { return std::string(GOVSIM_FIXTURES_DIR) + "/models/" + name; }

std::optional<fs::path> dynare_dir() {
  auto s = govsim::test::shared_dir();
  if (!s) return std::nullopt;
  fs::path p = *s / "reference" / "dynare";
  if (!fs::is_directory(p)) return std::nullopt;
  return p;
}

// Flat numeric array `"key": [ ... ]` from a JSON text (enough for ref.json).
std::vector<double> json_array(const std::string& text, const std::string& key) {
  std::string pat = "\"" + key + "\":";
  auto p = text.find(pat);
  if (p == std::string::npos) return {};
  p = text.find('[', p);
  auto e = text.find(']', p);
  std::string body = text.substr(p + 1, e - p - 1);
  std::vector<double> out;
  std::stringstream ss(body);
  std::string tok;
  while (std::getline(ss, tok, ',')) {
    if (tok.find("null") != std::string::npos) out.push_back(std::nan(""));
    else out.push_back(std::stod(tok));
  }
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <class F>
std::string parse_error_message(F&& f) {
  try {
    f();
  } catch (const ParseError& e) {
    return e.what();
  }
  return "<no ParseError>";
}

}  // namespace

TEST_CASE("every reference model parses and steady states match Dynare", "[dsge]") {
  auto dir = dynare_dir();
  if (!dir) {
    GOVSIM_SKIP("../shared/reference/dynare not found: skipping reference-model checks");
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(*dir / "models"))
    if (e.path().extension() == ".mod") files.push_back(e.path());
  for (const auto& e : fs::directory_iterator(*dir / "cases"))
    if (fs::exists(e.path() / "model.mod")) files.push_back(e.path() / "model.mod");
  REQUIRE(files.size() >= 10);
  for (const auto& f : files) {
    INFO(f.string());
    Model m = parse_model_file(f.string());
    CHECK(m.n_endo() > 0);
    CHECK(m.equations().size() == static_cast<std::size_t>(m.n_endo()));
    CHECK(!m.commands().empty());
    SteadyStateResult ss = solve_steady_state(m);
    INFO(ss.summary());
    CHECK(ss.ok());
  }
  // steady states against ref.json
  for (const char* c : {"nk3", "rbc", "rbc_order2"}) {
    fs::path ref = *dir / "cases" / c / "ref.json";
    fs::path mod = *dir / "cases" / c / "model.mod";
    if (!fs::exists(ref)) continue;
    std::string text = slurp(ref);
    std::vector<double> expected = json_array(text, "steady_state");
    if (expected.empty()) continue;  // rbc_order2 points at another json
    INFO(c);
    Model m = parse_model_file(mod.string());
    SteadyStateResult ss = solve_steady_state(m);
    REQUIRE(ss.ok());
    REQUIRE(static_cast<Index>(expected.size()) == m.n_declared_endo());
    for (Index i = 0; i < m.n_declared_endo(); ++i) CHECK(std::fabs(ss.values[i] - expected[i]) < 1e-10);
    std::vector<double> params = json_array(text, "params");
    REQUIRE(static_cast<Index>(params.size()) == m.n_params());
    for (Index i = 0; i < m.n_params(); ++i) CHECK(m.params()[i] == Approx(params[i]).epsilon(1e-14));
  }
  // nk_zlb: initial steady state = period 0 of the polished paths
  for (const char* c : {"nk_zlb", "nk_zlb_noZLB"}) {
    fs::path dirc = *dir / "cases" / c;
    fs::path csv;
    for (const auto& e : fs::directory_iterator(dirc))
      if (e.path().extension() == ".csv") csv = e.path();
    if (csv.empty()) continue;
    std::ifstream in(csv);
    std::string header, row0;
    std::getline(in, header);
    std::getline(in, row0);
    std::vector<double> vals;
    std::stringstream ss(row0);
    std::string tok;
    std::getline(ss, tok, ',');  // period
    while (std::getline(ss, tok, ',')) vals.push_back(std::stod(tok));
    Model m = parse_model_file((dirc / "model.mod").string());
    SteadyStateResult r = solve_steady_state(m);
    REQUIRE(r.ok());
    REQUIRE(static_cast<Index>(vals.size()) == m.n_declared_endo());
    for (Index i = 0; i < m.n_declared_endo(); ++i) CHECK(std::fabs(r.values[i] - vals[static_cast<std::size_t>(i)]) < 1e-10);
  }
}

TEST_CASE("nk3: include, commands and hand-derived LinearizedModel", "[dsge]") {
  auto dir = dynare_dir();
  if (!dir) {
    GOVSIM_SKIP("../shared/reference/dynare not found: skipping nk3 checks");
  }
  Model m = parse_model_file((*dir / "models" / "nk3.mod").string());
  REQUIRE(m.linear());
  REQUIRE(m.endo_names() == Names{"y", "pi", "i", "ud", "us", "um"});
  REQUIRE(m.exo_names() == Names{"eps_d", "eps_s", "eps_m"});
  REQUIRE(m.commands().size() == 4);
  CHECK(m.commands()[0].name == "steady");
  CHECK(m.commands()[1].name == "check");
  CHECK(m.commands()[2].name == "stoch_simul");
  CHECK(m.commands()[2].option("irf") == std::optional<std::string>("40"));
  CHECK(m.commands()[2].has_option("nograph"));
  CHECK(m.commands()[3].option_number("periods", 0) == 200);
  CHECK(m.commands()[2].where.file == "nk3.mod");
  double beta = 0.99, sigma = 1, varphi = 1, theta = 0.75;
  double kappa = (1 - theta) * (1 - beta * theta) / theta * (sigma + varphi);
  CHECK(m.param("kappa") == Approx(kappa).epsilon(1e-15));

  auto ss = solve_steady_state(m);
  REQUIRE(ss.ok());
  LinearizedModel lm = linearize(m, ss.values);
  REQUIRE(lm.lagged == std::vector<Index>{2, 3, 4, 5});  // i ud us um
  REQUIRE(lm.leads == std::vector<Index>{0, 1});         // y pi
  REQUIRE(lm.jacobian.rows() == 6);
  REQUIRE(lm.jacobian.cols() == 4 + 6 + 2 + 3);
  // columns: i(-1) ud(-1) us(-1) um(-1) | y pi i ud us um | y(+1) pi(+1) | eps_d eps_s eps_m
  Matrix J = Matrix::Zero(6, 15);
  double rho_i = 0.8, rho_d = 0.8, rho_s = 0.5, rho_m = 0.3, phi_pi = 1.5, phi_y = 0.125;
  // y - y(+1) + (1/sigma)(i - pi(+1)) - ud
  J(0, 4) = 1; J(0, 10) = -1; J(0, 6) = 1 / sigma; J(0, 11) = -1 / sigma; J(0, 7) = -1;
  // pi - beta pi(+1) - kappa y - us
  J(1, 5) = 1; J(1, 11) = -beta; J(1, 4) = -kappa; J(1, 8) = -1;
  // i - rho_i i(-1) - (1-rho_i)(phi_pi pi + phi_y y) - um
  J(2, 6) = 1; J(2, 0) = -rho_i; J(2, 5) = -(1 - rho_i) * phi_pi; J(2, 4) = -(1 - rho_i) * phi_y; J(2, 9) = -1;
  J(3, 7) = 1; J(3, 1) = -rho_d; J(3, 12) = -1;
  J(4, 8) = 1; J(4, 2) = -rho_s; J(4, 13) = -1;
  J(5, 9) = 1; J(5, 3) = -rho_m; J(5, 14) = -1;
  CHECK((lm.jacobian - J).cwiseAbs().maxCoeff() < 1e-14);
  Matrix S = Matrix::Zero(3, 3);
  S.diagonal() << 1.0, 0.25, 0.0625;
  CHECK((lm.Sigma_e - S).cwiseAbs().maxCoeff() == 0.0);
  CHECK(lm.n_declared == 6);
  CHECK(lm.param_names.size() == 11);
}

TEST_CASE("macro processor: define, if/ifndef, for with @{}, include and -D defines", "[dsge]") {
  Model m = parse_model_file(fixture("macro_sectors.mod"));
  CHECK(m.endo_names() == Names{"q_agr", "q_man", "q_ser"});
  CHECK(m.exo_names() == Names{"e_agr", "e_man", "e_ser"});
  CHECK(m.param("w") == Approx(1.0 / 3));
  CHECK(m.equation_string(1) == "q_man = rho*q_man(-1) + e_man");
  CHECK(m.Sigma_e()(2, 2) == Approx(1e-4));

  std::string src = R"(
@#ifndef flag
@#define flag = 1
@#endif
@#define names = ["a", "b"]
@#if flag == 1 && length(names) == 2
var a b;
@#else
var zz;
@#endif
@#ifdef undefined_thing
parameters nope;
@#endif
@#ifndef other
parameters p@{1+1};
@#endif
varexo e;
p2 = 2*@{flag};
model;
@#for v in names
  @{v} = p2*@{v}(-1)/4 + e;
@#endfor
end;
)";
  Model m2 = parse_model(src);
  CHECK(m2.endo_names() == Names{"a", "b"});
  CHECK(m2.param("p2") == 2.0);
  // -D style define changes the branch
  ParseOptions o;
  o.defines.push_back({"flag", "0"});
  CHECK_THROWS_AS(parse_model(src, "x.mod", o), ParseError);  // only var zz is declared: a is unknown
  CHECK(preprocess_model("@#define x = 3\ny = @{x*2};").find("y = 6;") != std::string::npos);
  // include relative to the including file
  fs::path tmp = fs::temp_directory_path() / "govsim_dsge_inc";
  fs::create_directories(tmp / "sub");
  std::ofstream(tmp / "sub" / "decl.inc") << "var y;\nvarexo e;\nparameters r;\nr = 0.5;\n";
  std::ofstream(tmp / "main.mod") << "@#include \"sub/decl.inc\"\nmodel;\n y = r*y(-1) + e;\nend;\n";
  Model m3 = parse_model_file((tmp / "main.mod").string());
  CHECK(m3.param("r") == 0.5);
  CHECK(m3.name() == "main");
}

TEST_CASE("commands, shocks, estimated_params, optim_weights are kept in order", "[dsge]") {
  Model m = parse_model_file(fixture("commands.mod"));
  // helper name and parameter from helper
  CHECK(m.param("beta") == 0.99);
  CHECK(m.predetermined_variables() == Names{"g"});
  // predetermined g: g(+1) = rho g  becomes  g = rho g(-1)
  CHECK(m.equation_string(3) == "g = rho_g*g(-1) + e_g");
  std::vector<std::string> names;
  for (const auto& c : m.commands()) names.push_back(c.name);
  CHECK(names == std::vector<std::string>{"steady", "check", "stoch_simul", "osr", "estimation", "perfect_foresight_setup",
                                          "perfect_foresight_solver", "shock_decomposition", "frobnicate"});
  const Command& ss = m.commands()[2];
  CHECK(ss.args == Names{"y", "pi"});
  CHECK(ss.option("irf_shocks") == std::optional<std::string>("(e_g,e_i)"));
  CHECK(ss.option("conditional_variance_decomposition") == std::optional<std::string>("[1 4 8]"));
  CHECK(m.commands()[0].has_option("nocheck"));
  CHECK(m.commands()[4].option("datafile") == std::optional<std::string>("data.csv"));
  CHECK(m.commands()[6].option_number("tolf", 0) == 1e-8);
  CHECK_FALSE(m.commands()[8].supported);
  // warnings: unknown option and unknown command, with file:line
  bool opt_warn = false, cmd_warn = false;
  for (const auto& w : m.warnings()) {
    if (w.message.find("bogus_option") != std::string::npos) {
      opt_warn = true;
      CHECK(w.where.file == "commands.mod");
      CHECK(w.where.line == 30);
    }
    if (w.message.find("frobnicate") != std::string::npos) {
      cmd_warn = true;
      CHECK(w.to_string().find("commands.mod:54") != std::string::npos);
    }
  }
  CHECK(opt_warn);
  CHECK(cmd_warn);
  // shocks
  const ShocksSpec& sh = m.shocks();
  REQUIRE(sh.deterministic.size() == 1);
  CHECK(sh.deterministic[0].name == "d");
  CHECK(sh.deterministic[0].periods == std::vector<std::pair<int, int>>{{1, 4}, {6, 6}});
  CHECK(sh.deterministic[0].values == std::vector<double>{0.1, -0.2});
  Matrix S = m.Sigma_e();
  CHECK(S(0, 0) == Approx(1e-4));
  CHECK(S(1, 1) == Approx(1e-4));
  // estimated params
  const auto& ep = m.estimated_params();
  REQUIRE(ep.size() == 5);
  CHECK(ep[0].kind == EstimatedParam::Kind::Stderr);
  CHECK(ep[0].prior_shape == "inv_gamma_pdf");
  CHECK(ep[0].prior_mean == 0.01);
  CHECK(ep[0].prior_std == 2);
  CHECK(std::isnan(ep[0].init));
  CHECK(ep[1].init == 1.5);
  CHECK(ep[1].lower == 1);
  CHECK(ep[1].upper == 3);
  CHECK(ep[1].prior_shape == "normal_pdf");
  CHECK(ep[1].prior_std == 0.25);
  CHECK(ep[2].init == 0.5);
  CHECK(ep[2].prior_shape.empty());
  CHECK(ep[3].kind == EstimatedParam::Kind::Corr);
  CHECK(ep[3].name2 == "e_i");
  CHECK(ep[3].lower == -1);
  CHECK(ep[4].prior_shape == "beta_pdf");
  // osr / optim_weights / varobs
  CHECK(m.osr_params() == Names{"phi_pi", "phi_y"});
  REQUIRE(m.osr_params_bounds().size() == 2);
  CHECK(m.osr_params_bounds()[1].upper == 2);
  REQUIRE(m.optim_weights().size() == 3);
  CHECK(m.optim_weights()[2].var1 == "y");
  CHECK(m.optim_weights()[2].var2 == "pi");
  CHECK(m.optim_weights()[2].weight == -0.5);
  CHECK(m.varobs() == Names{"y", "pi"});
  REQUIRE(m.histval().size() == 1);
  CHECK(m.histval()[0].value == 0.1);
  REQUIRE(m.endval().size() == 1);
  CHECK(m.endval()[0].type == SymbolType::ExogenousDet);
  CHECK(m.to_json().find("\"frobnicate\"") != std::string::npos);
}

TEST_CASE("auxiliary variables for leads/lags > 1 and lagged exogenous", "[dsge]") {
  Model m = parse_model_file(fixture("leads_lags.mod"));
  CHECK(m.n_declared_endo() == 3);
  // x(-3): 2 lag aux; u(-2): exo aux + 1 lag aux; y(+3): 2 lead aux; p(-2): 1; p(+2): 1
  CHECK(m.n_endo() == 3 + 2 + 2 + 2 + 1 + 1);
  CHECK(m.equations().size() == static_cast<std::size_t>(m.n_endo()));
  for (std::size_t i = 0; i < m.equations().size(); ++i) {
    // every lead/lag is now within [-1, 1]
    std::vector<ExprId> st{m.equations()[i].residual};
    while (!st.empty()) {
      const ExprNode& n = m.pool().node(st.back());
      st.pop_back();
      if (n.op == ExprOp::Endo) CHECK(std::abs(n.lag) <= 1);
      if (n.op == ExprOp::Exo) CHECK(n.lag == 0);
      if (is_unary(n.op)) st.push_back(n.a);
      if (is_binary(n.op)) {
        st.push_back(n.a);
        st.push_back(n.b);
      }
    }
  }
  Names en = m.endo_names();
  CHECK(en[0] == "x");
  CHECK(en[3].rfind("AUX_", 0) == 0);
  CHECK(m.local_variables().size() == 1);
  CHECK(m.equations()[0].name() == "x_eq");
  CHECK(m.param("g") == Approx(0.7));
  Matrix S = m.Sigma_e();
  CHECK(S(0, 0) == Approx(0.04));
  CHECK(S(1, 1) == Approx(0.01));
  CHECK(S(0, 1) == Approx(0.5 * 0.2 * 0.1));
  auto ss = solve_steady_state(m);
  REQUIRE(ss.ok());
  CHECK(ss.values.cwiseAbs().maxCoeff() < 1e-12);
  LinearizedModel lm = linearize(m, ss.values);
  CHECK(lm.jacobian.cols() == static_cast<Index>(lm.lagged.size() + lm.endo_names.size() + lm.leads.size() + 2));
}

TEST_CASE("expression pool shares nodes and folds constants", "[dsge]") {
  ExprPool p;
  ExprId x = p.leaf(ExprOp::Endo, 0, 0);
  ExprId y = p.leaf(ExprOp::Endo, 1, -1);
  ExprId a = p.binary(ExprOp::Add, x, y);
  ExprId b = p.binary(ExprOp::Add, p.leaf(ExprOp::Endo, 0, 0), p.leaf(ExprOp::Endo, 1, -1));
  CHECK(a == b);
  ExprId two = p.constant(2), three = p.constant(3);
  std::size_t before = p.size();
  ExprId c = p.binary(ExprOp::Mul, two, three);
  CHECK(p.is_constant(c));
  CHECK(p.node(c).value == 6);
  CHECK(p.binary(ExprOp::Mul, x, p.one()) == x);
  CHECK(p.binary(ExprOp::Mul, x, p.zero()) == p.zero());
  CHECK(p.binary(ExprOp::Add, p.zero(), y) == y);
  CHECK(p.binary(ExprOp::Pow, x, p.one()) == x);
  CHECK(p.unary(ExprOp::Exp, p.zero()) == p.one());
  CHECK(p.size() == before + 1);  // only the constant 6 was added
  Model m = parse_model("var y; varexo e; parameters a; a = 2*3+1; model; y = (a-a)*y(-1) + 1*e + 0; end;");
  CHECK(m.param("a") == 7);
  CHECK(m.equation_string(0) == "y = e");
}

TEST_CASE("parse errors carry file, line, column and excerpt", "[dsge]") {
  const std::string base = "var y pi;\nvarexo e;\nparameters kappa beta;\nkappa = 0.1; beta = 0.99;\n";

  SECTION("unknown symbol with suggestion") {
    std::string src = base + "model;\n  y = y(+1) + e;\n  pi = beta*pi(+1) + kapa*y;\nend;\n";
    try {
      parse_model(src, "nk3.mod");
      FAIL("no exception");
    } catch (const ParseError& e) {
      CHECK(std::string(e.what()) == "unknown symbol 'kapa' (did you mean 'kappa'?) at nk3.mod:7:22");
      CHECK(e.file() == "nk3.mod");
      CHECK(e.line() == 7);
      CHECK(e.column() == 22);
      CHECK(e.excerpt() == "  pi = beta*pi(+1) + kapa*y;");
    }
  }
  SECTION("missing semicolon") {
    std::string src = base + "model;\n  y = y(+1) + e\n  pi = beta*pi(+1) + kappa*y;\nend;\n";
    std::string msg = parse_error_message([&] { parse_model(src, "m.mod"); });
    CHECK(msg.find("expected ';'") != std::string::npos);
    CHECK(msg.find("m.mod:6:16") != std::string::npos);
  }
  SECTION("missing semicolon after a declaration") {
    std::string msg = parse_error_message([&] { parse_model("var y\nvarexo e;\n", "d.mod"); });
    CHECK(msg.find("expected ';'") != std::string::npos);
    CHECK(msg.find("d.mod:1:6") != std::string::npos);
  }
  SECTION("undeclared variable in model") {
    std::string src = base + "model;\n  y = y(+1) + e + zz;\n  pi = beta*pi(+1) + kappa*y;\nend;\n";
    try {
      parse_model(src, "u.mod");
      FAIL("no exception");
    } catch (const ParseError& e) {
      CHECK(std::string(e.what()).find("unknown symbol 'zz'") != std::string::npos);
      CHECK(e.line() == 6);
      CHECK(e.column() == 19);
    }
  }
  SECTION("wrong number of equations") {
    std::string src = base + "model;\n  y = y(+1) + e;\nend;\n";
    try {
      parse_model(src, "w.mod");
      FAIL("no exception");
    } catch (const ModelError& e) {
      CHECK(std::string(e.what()) == "the model has 1 equation for 2 endogenous variables (model block at w.mod:5:1)");
    }
  }
  SECTION("other errors") {
    CHECK_THROWS_AS(parse_model("var y; varexo y;"), ParseError);                    // duplicate, other kind
    CHECK_THROWS_AS(parse_model("var y; model; y = y(+1.5); end;"), ParseError);     // non-integer lead
    CHECK_THROWS_AS(parse_model("var y; parameters a; model; y = a(-1); end;"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; model; y = exp(y, 2); end;"), ParseError);   // arity
    CHECK_THROWS_AS(parse_model("var y; model; y = 1;"), ParseError);                // no end
    CHECK_THROWS_AS(parse_model("var y; model; y = 1 = 2; end;"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; model; y = 1; end; set_param_value('a', 1);"), ParseError);
    CHECK_THROWS_AS(parse_model("@#if 1\nvar y;\n"), ParseError);                     // no endif
    CHECK_THROWS_AS(parse_model("@#include \"no_such_file.inc\"\n"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; model; y = @{undefined_macro}; end;"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; varexo e; model; y = e; end; shocks; var y2; stderr 1; end;"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; varexo e; model; y = e; end; estimated_params; bogus, 1; end;"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; varexo e; model; y = e; end; steady_state_model; y = q; end;"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; varexo e; model; y = e; end; stoch_simul(order=1) yy;"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; model; y = 1; end; y = 2;"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; model; y = 1 # 2; end;"), ParseError);
    CHECK_THROWS_AS(parse_model("var y; model; y = 'str'; end;"), ParseError);
    std::string bad_char = parse_error_message([] { parse_model("var y;\nmodel; y = 1 ? 2; end;", "c.mod"); });
    CHECK(bad_char.find("unexpected character '?' at c.mod:2:14") != std::string::npos);
    std::string tk = parse_error_message([] { parse_model("var y; model; y = 1; end; estimated_params; stderr y, norml_pdf, 1, 2; end;"); });
    CHECK(tk.find("did you mean 'normal_pdf'") != std::string::npos);
  }
}

TEST_CASE("unknown commands and options are warnings, not errors", "[dsge]") {
  Model m = parse_model("var y;\nvarexo e;\nmodel; y = e; end;\nshocks; var e; stderr 1; end;\nmy_command(opt=1) y;\n"
                        "stoch_simul(order=1, not_an_option) y;\nobservation_trends;\n y (1);\nend;\n",
                        "warn.mod");
  REQUIRE(m.warnings().size() == 3);
  CHECK(m.warnings()[0].to_string() == "unknown command 'my_command' ignored at warn.mod:5:1");
  CHECK(m.warnings()[1].message.find("not_an_option") != std::string::npos);
  CHECK(m.warnings()[1].where.line == 6);
  CHECK(m.warnings()[2].message.find("observation_trends") != std::string::npos);
  REQUIRE(m.commands().size() == 2);
  CHECK(m.commands()[1].option("not_an_option") == std::optional<std::string>(""));
}

TEST_CASE("mutated inputs only raise govsim errors (mutation fuzz)", "[dsge]") {
  std::vector<std::string> sources;
  for (const char* f : {"commands.mod", "leads_lags.mod", "rbc_initval.mod", "functions.mod", "nk_capital.mod"})
    sources.push_back(slurp(fixture(f)));
  const std::string alphabet = ";,()[]=+-*/^#:$'\"@{}! \nxyz_e";
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  auto rnd = [&]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int parsed = 0, errors = 0;
  for (int it = 0; it < 1500; ++it) {
    std::string s = sources[rnd() % sources.size()];
    int n_mut = 1 + static_cast<int>(rnd() % 3);
    for (int k = 0; k < n_mut && !s.empty(); ++k) {
      std::size_t pos = rnd() % s.size();
      switch (rnd() % 3) {
        case 0: s.erase(pos, 1 + rnd() % 4); break;
        case 1: s[pos] = alphabet[rnd() % alphabet.size()]; break;
        default: s.insert(pos, 1, alphabet[rnd() % alphabet.size()]); break;
      }
    }
    try {
      Model m = parse_model(s, "fuzz.mod");
      (void)solve_steady_state(m);
      ++parsed;
    } catch (const govsim::Error&) {
      ++errors;
    }
  }
  INFO(parsed << " parsed, " << errors << " errors");
  CHECK(parsed + errors == 1500);
}
