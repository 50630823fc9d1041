// Bindings for core/: exceptions, Status.
#include "bindings.hpp"

#include <govsim/core/error.hpp>
#include <govsim/core/status.hpp>

namespace govsim::python {

void bind_core(py::module_& m) {
  static py::exception<Error> base(m, "GovsimError", PyExc_RuntimeError);
  py::register_exception<DimensionError>(m, "DimensionError", base.ptr());
  py::register_exception<DataError>(m, "DataError", base.ptr());
  py::register_exception<OptionsError>(m, "OptionsError", base.ptr());
  py::register_exception<ModelError>(m, "ModelError", base.ptr());
  py::register_exception<SolveError>(m, "SolveError", base.ptr());
  py::register_exception<ParseError>(m, "ParseError", base.ptr());

  auto status = py::enum_<Status>(m, "Status", "Outcome of a numerical algorithm (equal to its name as a string)");
  status
      .value("Success", Status::Success)
      .value("NotConverged", Status::NotConverged)
      .value("MaxIterations", Status::MaxIterations)
      .value("Indeterminate", Status::Indeterminate)
      .value("NoStableSolution", Status::NoStableSolution)
      .value("Singular", Status::Singular)
      .value("NumericalIssue", Status::NumericalIssue)
      .value("UserStopped", Status::UserStopped);
  // One Status everywhere: result classes and tables hold the enum; it also equals its name, so
  // `r.status == "Success"` and table filters on names keep working.
  auto eq = [](Status a, const py::object& b) -> py::object {
    if (py::isinstance<py::str>(b)) return py::bool_(b.cast<std::string>() == to_string(a));
    if (py::isinstance<Status>(b)) return py::bool_(a == b.cast<Status>());
    return py::reinterpret_borrow<py::object>(Py_NotImplemented);
  };
  status.attr("__eq__") = py::cpp_function(eq, py::is_method(status), py::arg("other"));
  status.attr("__ne__") = py::cpp_function(
      [eq](Status a, const py::object& b) -> py::object {
        py::object r = eq(a, b);
        if (r.is(py::reinterpret_borrow<py::object>(Py_NotImplemented))) return r;
        return py::bool_(!r.cast<bool>());
      },
      py::is_method(status), py::arg("other"));
  status.attr("__hash__") = py::cpp_function([](Status a) { return py::hash(py::str(to_string(a))); },
                                             py::is_method(status));

  py::class_<IterationInfo>(m, "IterationInfo", "Progress passed to on_iteration callbacks")
      .def_readonly("iteration", &IterationInfo::iteration)
      .def_readonly("total", &IterationInfo::total)
      .def_readonly("objective", &IterationInfo::objective)
      .def_readonly("stage", &IterationInfo::stage)
      .def("__repr__", [](const IterationInfo& i) {
        return "IterationInfo(stage='" + i.stage + "', iteration=" + std::to_string(i.iteration) +
               "/" + std::to_string(i.total) + ")";
      });
}

namespace {
const BindingRegistrar reg("", 0, &bind_core);
}  // namespace

}  // namespace govsim::python
