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

/// Self-registering bindings for feature modules, so that a new bind_<feature>.cpp needs no
/// edit elsewhere: at namespace scope write
///   static const govsim::python::BindingRegistrar reg("dsge", 50, &bind_policy);
/// Registered functions run after the core ones, on the named submodule ("" = top level),
/// in increasing `order` (so a feature may use types bound by a lower order).
struct BindingRegistrar {
  BindingRegistrar(const char* submodule, int order, void (*bind)(py::module_&));
};

/// Run every registered binding function (called once, by module.cpp).
void run_registered_bindings(py::module_& m);

}  // namespace govsim::python
