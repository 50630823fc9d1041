// libFuzzer harness for the .mod reader (macro processor, parser, model checks, derivative
// tapes). Not part of the default build; see tests/fuzz/README.md for the build and run commands.
//
// Any govsim::Error (ParseError, ModelError, ...) is an expected outcome for malformed input;
// anything else escaping (std::bad_alloc, std::out_of_range, a crash, a sanitizer report, a
// hang caught by -timeout) is a bug.
#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // keep individual inputs small
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    govsim::dsge::Model m = govsim::dsge::parse_model(text, "fuzz.mod");
    // Exercise the compiled tapes on whatever parsed: static residuals and dynamic Jacobian at
    // the initval point (values may be NaN/Inf; only memory safety matters here).
    if (m.n_endo() > 0 && m.n_endo() < 2000) {
      govsim::Vector y = m.initval_endo();
      (void)m.static_residuals(y);
      (void)m.static_jacobian(y);
      govsim::Vector x = m.dynamic_point(y);
      (void)m.dynamic_residuals(x);
      (void)m.dynamic_jacobian(x);
    }
  } catch (const govsim::Error&) {
    // expected for malformed input
  }
  return 0;
}
