// Native `govsim run`: the JSON writer (Python-identical number text, NaN -> null, round trip)
// and run_model on the example RBC model and small fixtures (fallback, warnings, exit codes).

#include "json_reader.hpp"

#include <govsim/core/error.hpp>
#include <govsim/core/json_writer.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/runner.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>

using namespace govsim;
using govsim::test::Json;

TEST_CASE("json_number writes Python's repr of floats", "[runner][json]") {
  CHECK(json_number(0.1) == "0.1");
  CHECK(json_number(1.0) == "1.0");
  CHECK(json_number(-2.5) == "-2.5");
  CHECK(json_number(0.0) == "0.0");
  CHECK(json_number(-0.0) == "-0.0");
  CHECK(json_number(1e-5) == "1e-05");
  CHECK(json_number(1.5e-5) == "1.5e-05");
  CHECK(json_number(0.0001) == "0.0001");
  CHECK(json_number(1e15) == "1000000000000000.0");
  CHECK(json_number(1e16) == "1e+16");
  CHECK(json_number(123456789.125) == "123456789.125");
  CHECK(json_number(1.0 / 3.0) == "0.3333333333333333");
  CHECK(json_number(5e-324) == "5e-324");
  CHECK(json_number(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
  CHECK(json_number(1e100) == "1e+100");
  CHECK(json_number(std::nan("")) == "null");
  CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
  CHECK(json_number(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("json_number round-trips every double", "[runner][json]") {
  std::mt19937_64 gen(42);
  std::uniform_int_distribution<std::uint64_t> bits;
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t b = bits(gen);
    double x;
    std::memcpy(&x, &b, sizeof x);
    if (!std::isfinite(x)) continue;
    const std::string s = json_number(x);
    const double y = std::strtod(s.c_str(), nullptr);
    REQUIRE(std::memcmp(&x, &y, sizeof x) == 0);
    ++checked;
  }
  CHECK(checked > 190000);
}

TEST_CASE("JsonValue dumps like json.dumps(indent=1)", "[runner][json]") {
  JsonValue doc = JsonValue::object();
  doc.set("a", 1);
  doc.set("b", JsonValue::array({0.5, std::nan(""), "x\"y\n\xc3\xa9"}));
  doc.set("c", JsonValue::object());
  doc.set("d", JsonValue::array());
  doc.set("a", true);  // existing key keeps its place
  CHECK(doc.dump(1) == "{\n \"a\": true,\n \"b\": [\n  0.5,\n  null,\n  \"x\\\"y\\n\\u00e9\"\n ],\n \"c\": {},\n \"d\": []\n}");
  CHECK(doc.dump(-1) == "{\"a\": true, \"b\": [0.5, null, \"x\\\"y\\n\\u00e9\"], \"c\": {}, \"d\": []}");
  CHECK(json_string("\x01\x7f\xf0\x9f\x98\x80") == "\"\\u0001\\u007f\\ud83d\\ude00\"");
  CHECK_THROWS_AS(JsonValue(1).push_back(2), Error);
}

TEST_CASE("run_model reproduces steady, check and stoch_simul", "[runner]") {
  const std::string path = std::string(GOVSIM_SOURCE_DIR) + "/examples/models/rbc.mod";
  dsge::RunOptions o;
  o.want_json = true;
  o.skip_other_commands = true;
  const auto r = dsge::run_model_file(path, {}, o);
  INFO(r.summary());
  REQUIRE(r.ok());
  REQUIRE(r.json.back() == '\n');
  const Json doc = Json::parse(r.json);
  const auto model = dsge::parse_model_file(path);
  const auto ss = dsge::solve_steady_state(model);
  const auto sol = dsge::solve_first_order(dsge::linearize(model, ss.values));
  const Index n = model.n_declared_endo();
  const Names all = model.endo_names();
  CHECK(doc["endo_names"].as_strings() == Names(all.begin(), all.begin() + n));
  CHECK(doc["steady_state"].as_vector() == ss.values.head(n));
  const Json& ssim = doc["stoch_simul"];
  CHECK(ssim["ghx"].as_matrix() == sol.ghx.topRows(n));
  CHECK(ssim["ghu"].as_matrix() == sol.ghu.topRows(n));
  CHECK(ssim["irfs"]["e"]["y"].size() == 20);
  CHECK(ssim["moments"]["autocorr"].size() == 5);
  CHECK(doc["check"]["blanchard_kahn_ok"].boolean);
  CHECK(r.tables().find("POLICY AND TRANSITION FUNCTIONS") != std::string::npos);
  o.quiet = true;
  CHECK(dsge::run_model_file(path, {}, o).tables().empty());
}

TEST_CASE("run_model: fallback, warnings and exit codes", "[runner]") {
  const std::string base =
      "var y x; varexo e; parameters rho; rho = 0.5;\n"
      "model; x = rho*x(-1) + e; y = x(+1) + x; end;\n"
      "shocks; var e; stderr 0.1; end;\n";
  dsge::RunOptions o;
  o.want_json = true;
  SECTION("other commands fall back unless plug-ins are known to be absent") {
    const auto m = dsge::parse_model(base + "steady; osr y;\n", "m.mod");
    const auto r = dsge::run_model(m, o);
    CHECK_FALSE(r.native());
    o.skip_other_commands = true;
    const auto s = dsge::run_model(m, o);
    REQUIRE(s.ok());
    REQUIRE(s.warnings.size() == 1);
    CHECK(s.warnings[0] == "m.mod:4: warning: command 'osr' is not implemented yet: skipped");
  }
  SECTION("repeated commands become a list") {
    o.skip_other_commands = true;
    const auto r = dsge::run_model(dsge::parse_model(base + "steady; steady;\n", "m.mod"), o);
    REQUIRE(r.ok());
    CHECK(Json::parse(r.json)["steady"].size() == 2);
  }
  SECTION("unit root: moments skipped with a warning") {
    o.skip_other_commands = true;
    auto m = dsge::parse_model(base + "stoch_simul(order=1, irf=4);\n", "m.mod");
    m.set_param("rho", 1.0);
    const auto r = dsge::run_model(m, o);
    REQUIRE(r.ok());
    CHECK_FALSE(Json::parse(r.json)["stoch_simul"].contains("moments"));
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].find("theoretical moments not computed") != std::string::npos);
  }
  SECTION("Blanchard-Kahn failure: exit 3, no JSON") {
    o.skip_other_commands = true;
    auto m = dsge::parse_model(base + "check;\n", "m.mod");
    m.set_param("rho", 1.5);
    const auto r = dsge::run_model(m, o);
    CHECK(r.exit_code == 3);
    CHECK(r.json.empty());
    CHECK(r.error_line().rfind("govsim: numerical failure: m.mod:4: check: ", 0) == 0);
  }
  SECTION("bad input: exit 2") {
    const auto tmp = std::filesystem::temp_directory_path() / "govsim_test_runner_bad.mod";
    std::ofstream(tmp) << base << "stoch_simul(order=1) nope;\n";
    const auto r = dsge::run_model_file(tmp.string(), {}, o);
    std::filesystem::remove(tmp);
    CHECK(r.exit_code == 2);
    CHECK(r.message.rfind("unknown symbol 'nope'", 0) == 0);
    const auto f = dsge::run_model_file("/nonexistent/x.mod", {}, o);
    CHECK(f.error_line() == "govsim: error: /nonexistent/x.mod: no such file");
  }
}
