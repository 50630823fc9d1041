// The JSON writer of `--json` documents: Python-identical number text, NaN -> null, round trip.

#include <govsim/core/error.hpp>
#include <govsim/core/json_writer.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

using namespace govsim;

TEST_CASE("json_number writes Python's repr of floats", "[json]") {
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

TEST_CASE("json_number round-trips every double", "[json]") {
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

TEST_CASE("JsonValue dumps like json.dumps(indent=1)", "[json]") {
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

