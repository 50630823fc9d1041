// Malformed-input corpus: every tests/fixtures/malformed/*.mod starts with
//   // expect: <ErrorClass> <line>[:<col>]
// and optionally
//   // message: <text the error message must contain>
// Reading the file must throw exactly that error class; for ParseError the file, line and
// (when given) column must match, for other classes the message must name file:line[:col].
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

using namespace govsim;
using namespace govsim::dsge;

namespace {
struct Expectation {
  std::string cls;
  int line = 0;
  int column = 0;  // 0: not checked
  std::string message;
};

Expectation read_expectation(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  static const std::regex re(R"(^// expect: (\w+) (\d+)(?::(\d+))?\s*$)");
  std::smatch m;
  Expectation e;
  if (!std::regex_match(first, m, re)) return e;
  e.cls = m[1];
  e.line = std::stoi(m[2]);
  if (m[3].matched) e.column = std::stoi(m[3]);
  const std::string tag = "// message: ";
  if (second.rfind(tag, 0) == 0) e.message = second.substr(tag.size());
  return e;
}

std::vector<std::filesystem::path> corpus() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(GOVSIM_FIXTURES_DIR) + "/malformed"))
    if (entry.path().extension() == ".mod") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

TEST_CASE("malformed corpus: at least 30 files, each with an expectation", "[dsge]") {
  const auto files = corpus();
  CHECK(files.size() >= 30);
  for (const auto& f : files) {
    INFO(f.string());
    CHECK(!read_expectation(f).cls.empty());
  }
}

TEST_CASE("malformed corpus: right error class and location", "[dsge]") {
  for (const auto& f : corpus()) {
    const Expectation e = read_expectation(f);
    const std::string base = f.filename().string();
    INFO(base << ": expect " << e.cls << " " << e.line << ":" << e.column);
    std::string got = "no error";
    std::string what;
    try {
      (void)parse_model_file(f.string());
    } catch (const ParseError& err) {
      got = "ParseError";
      what = err.what();
      INFO(what);
      CHECK(err.file() == base);
      CHECK(err.line() == e.line);
      if (e.column > 0) CHECK(err.column() == e.column);
      CHECK(!err.excerpt().empty());
    } catch (const ModelError& err) {
      got = "ModelError";
      what = err.what();
    } catch (const DimensionError& err) {
      got = "DimensionError";
      what = err.what();
    } catch (const Error& err) {
      got = "Error";
      what = err.what();
    }
    INFO(what);
    CHECK(got == e.cls);
    if (got != "ParseError" && got != "no error") {
      std::string where = base + ":" + std::to_string(e.line);
      if (e.column > 0) where += ":" + std::to_string(e.column);
      CHECK(what.find(where) != std::string::npos);
    }
    if (!e.message.empty()) CHECK(what.find(e.message) != std::string::npos);
  }
}
