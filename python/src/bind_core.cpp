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

  py::enum_<Status>(m, "Status", "Outcome of a numerical algorithm")
      .value("Success", Status::Success)
      .value("NotConverged", Status::NotConverged)
      .value("MaxIterations", Status::MaxIterations)
      .value("Indeterminate", Status::Indeterminate)
      .value("NoStableSolution", Status::NoStableSolution)
      .value("Singular", Status::Singular)
      .value("NumericalIssue", Status::NumericalIssue)
      .value("UserStopped", Status::UserStopped);

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

}  // namespace govsim::python
