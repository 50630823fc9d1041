#pragma once
// Shared helpers for the C++ tests: tolerances and access to ../shared reference data.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace govsim::test {

/// Tolerances used across the tests (one place, as ensmallen's Tolerances<T>).
struct Tol {
  static constexpr double tight = 1e-10;     ///< identities that hold to rounding
  static constexpr double relative = 1e-8;   ///< agreement with independent computations
};

/// Folder with the shared reference material (../shared beside the project), or nullopt when
/// it is absent. GOVSIM_SHARED_DIR overrides the default location.
inline std::optional<std::filesystem::path> shared_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("GOVSIM_SHARED_DIR"); env && *env) {
    if (fs::is_directory(env)) return fs::path(env);
    return std::nullopt;
  }
  fs::path p = fs::path(GOVSIM_SOURCE_DIR) / ".." / "shared";
  if (fs::is_directory(p)) return fs::canonical(p);
  return std::nullopt;
}

/// Exit status by which a test process tells ctest it was skipped (SKIP_RETURN_CODE of the
/// discovered tests in tests/CMakeLists.txt).
constexpr int kSkipReturnCode = 77;

/// Under ctest, which runs one test case per process with GOVSIM_TEST_SKIP_EXIT=1, end the
/// process with kSkipReturnCode so that the test is reported as skipped, not passed. In a run of
/// the whole binary it returns, and GOVSIM_SKIP warns and leaves the test case.
inline void exit_if_skip_reported_by_exit_code(const char* reason) {
  const char* e = std::getenv("GOVSIM_TEST_SKIP_EXIT");
  if (e && e[0] == '1' && e[1] == '\0') {
    std::printf("SKIPPED: %s\n", reason);
    std::fflush(stdout);
    std::exit(kSkipReturnCode);
  }
}

}  // namespace govsim::test

/// Skip the current test case for want of reference material (or another resource): a skipped
/// test under ctest, a warning otherwise. Use inside a TEST_CASE body.
#define GOVSIM_SKIP(reason)                                        \
  do {                                                             \
    ::govsim::test::exit_if_skip_reported_by_exit_code(reason);    \
    WARN(reason);                                                  \
    return;                                                        \
  } while (0)

#include <fstream>
#include <iterator>

namespace govsim::test {

/// Text of a model in tests/fixtures/models (empty if the file cannot be read).
inline std::string fixture_model_text(const std::string& name) {
  std::ifstream in(std::string(GOVSIM_FIXTURES_DIR) + "/models/" + name);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace govsim::test
