// Bindings for core/: exceptions, Status.
#include "bindings.hpp"

#include <govsim/core/error.hpp>
#include <govsim/core/status.hpp>

#include <cstring>

namespace govsim::python {

void bind_core(py::module_& m) {
  static py::exception<Error> base(m, "GovsimError", PyExc_RuntimeError);
  // Registered first, so tried last: a plain govsim::Error (not one of the classes below)
  // reaches Python as GovsimError instead of RuntimeError.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      py::object cls = base;
      PyErr_SetObject(cls.ptr(), py::reinterpret_steal<py::object>(
                                     PyUnicode_DecodeUTF8(e.what(), static_cast<Py_ssize_t>(std::strlen(e.what())),
                                                          "replace")).ptr());
    }
  });
  py::register_exception<DimensionError>(m, "DimensionError", base.ptr());
  py::register_exception<DataError>(m, "DataError", base.ptr());
  py::register_exception<OptionsError>(m, "OptionsError", base.ptr());
  py::register_exception<ModelError>(m, "ModelError", base.ptr());
  py::register_exception<SolveError>(m, "SolveError", base.ptr());
  // ParseError carries its location as attributes: file, line, column, excerpt (None when the
  // exception is raised from Python without them).
  static py::exception<ParseError> parse_error(m, "ParseError", base.ptr());
  parse_error.attr("file") = py::none();
  parse_error.attr("line") = py::none();
  parse_error.attr("column") = py::none();
  parse_error.attr("excerpt") = py::none();
  parse_error.attr("__doc__") =
      "A syntax or semantic error in model source text. Attributes: file (display name), line and "
      "column (1-based), excerpt (the source line; empty for binary input or an included file that is "
      "not a model file).";
  py::register_exception_translator([](std::exception_ptr p) {
    // decode with replacement: a hostile file can put any bytes in a message
    auto text = [](const std::string& v) {
      return py::reinterpret_steal<py::object>(
          PyUnicode_DecodeUTF8(v.data(), static_cast<Py_ssize_t>(v.size()), "replace"));
    };
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ParseError& e) {
      py::object cls = parse_error;
      py::object inst = cls(text(e.what()));
      inst.attr("file") = text(e.file());
      inst.attr("line") = e.line();
      inst.attr("column") = e.column();
      inst.attr("excerpt") = text(e.excerpt());
      PyErr_SetObject(cls.ptr(), inst.ptr());
    }
  });

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
