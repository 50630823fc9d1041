#pragma once
// Shared declarations for the govsim._core bindings: every bind_<feature>.cpp registers itself.
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace govsim::python {
namespace py = pybind11;

/// The one registration mechanism of the bindings, so that a new bind_<feature>.cpp needs no
/// edit elsewhere: at namespace scope write
///   const govsim::python::BindingRegistrar reg("policy", 50, &bind_policy);
/// Registered functions run on the named submodule of govsim._core ("" = top level; the
/// submodules match the Python modules) in increasing `order`, so a feature may use types bound
/// by a lower order: core 0, io 10, dsge 20 and 30, features from 50.
struct BindingRegistrar {
  BindingRegistrar(const char* submodule, int order, void (*bind)(py::module_&));
};

/// Run every registered binding function (called once, by module.cpp).
void run_registered_bindings(py::module_& m);

}  // namespace govsim::python
