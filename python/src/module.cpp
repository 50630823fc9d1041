// govsim._core: wires the per-module bindings together and registers the exceptions.
#include "bindings.hpp"

#include <govsim/version.hpp>

PYBIND11_MODULE(_core, m) {
  m.doc() = "govsim compiled core (use the govsim package, not this module directly)";
  m.attr("__version__") = GOVSIM_VERSION_STRING;
  govsim::python::bind_core(m);
  auto io = m.def_submodule("io", "Input-output analysis");
  govsim::python::bind_io(io);
  auto dsge = m.def_submodule("dsge", "DSGE models: .mod reader, derivatives, steady state");
  govsim::python::bind_dsge(dsge);
  govsim::python::bind_perturbation(dsge);
}
