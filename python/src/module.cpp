// govsim._core: runs the registered bindings (see BindingRegistrar in bindings.hpp).
#include "bindings.hpp"

#include <govsim/version.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace govsim::python {
namespace {
struct Registered {
  std::string submodule;
  int order;
  void (*bind)(py::module_&);
};
// Function-local static: safe against the unspecified order of static initialization.
std::vector<Registered>& registry() {
  static std::vector<Registered> r;
  return r;
}
}  // namespace

BindingRegistrar::BindingRegistrar(const char* submodule, int order, void (*bind)(py::module_&)) {
  registry().push_back({submodule, order, bind});
}

void run_registered_bindings(py::module_& m) {
  auto r = registry();
  std::stable_sort(r.begin(), r.end(), [](const Registered& a, const Registered& b) { return a.order < b.order; });
  for (const auto& e : r) {
    if (e.submodule.empty()) {
      e.bind(m);
    } else {
      py::module_ sub = py::hasattr(m, e.submodule.c_str()) ? py::module_(m.attr(e.submodule.c_str()))
                                                           : m.def_submodule(e.submodule.c_str());
      e.bind(sub);
    }
  }
}
}  // namespace govsim::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "govsim compiled core (use the govsim package, not this module directly)";
  m.attr("__version__") = GOVSIM_VERSION_STRING;
  govsim::python::InterruptScope::is_main_thread(true);  // import runs on the main thread
  govsim::python::run_registered_bindings(m);
}
