#pragma once
// Shared helpers for the C++ tests: tolerances and access to ../shared reference data.

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

}  // namespace govsim::test

#include <fstream>
#include <iterator>

namespace govsim::test {

/// Text of a model in tests/fixtures/models (empty if the file cannot be read).
inline std::string fixture_model_text(const std::string& name) {
  std::ifstream in(std::string(GOVSIM_FIXTURES_DIR) + "/models/" + name);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace govsim::test
