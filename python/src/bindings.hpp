#pragma once
// Shared declarations for the govsim._core bindings: one bind_<module>() per module.
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace govsim::python {
namespace py = pybind11;

void bind_core(py::module_& m);
void bind_io(py::module_& m);
void bind_dsge(py::module_& m);
void bind_perturbation(py::module_& m);

}  // namespace govsim::python
