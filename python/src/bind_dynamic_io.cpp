// Bindings for dynamic input-output: inoperability (IIM/DIIM), ARIO and the dynamic Leontief
// model. Names are the C++ names. Long calls release the GIL; Python callbacks (on_iteration,
// paths) re-acquire it through pybind11's function wrapper.
#include "bindings.hpp"

#include <govsim/io/ario.hpp>
#include <govsim/io/dynamic_leontief.hpp>
#include <govsim/io/inoperability.hpp>

namespace govsim::python {
namespace {

template <class R>
std::string repr_of(const R& r) {
  return "<" + r.summary() + ">";
}

void bind_dynamic_io(py::module_& m) {
  using namespace govsim::io;
  using RefM = Eigen::Ref<const Matrix>;
  using RefV = Eigen::Ref<const Vector>;
  using gil = py::call_guard<py::gil_scoped_release>;

  py::enum_<InoperabilityDirection>(m, "InoperabilityDirection")
      .value("Demand", InoperabilityDirection::Demand)
      .value("Supply", InoperabilityDirection::Supply);
  py::enum_<DiimTime>(m, "DiimTime").value("Continuous", DiimTime::Continuous).value("Discrete", DiimTime::Discrete);
  py::enum_<DiimMethod>(m, "DiimMethod")
      .value("Auto", DiimMethod::Auto)
      .value("Krylov", DiimMethod::Krylov)
      .value("Adaptive", DiimMethod::Adaptive);
  py::enum_<MatrixStorage>(m, "MatrixStorage")
      .value("Auto", MatrixStorage::Auto)
      .value("Dense", MatrixStorage::Dense)
      .value("Sparse", MatrixStorage::Sparse);
  py::enum_<OrderType>(m, "OrderType").value("Alt", OrderType::Alt).value("NoAlt", OrderType::NoAlt);
  py::enum_<CapitalRecovery>(m, "CapitalRecovery")
      .value("Rebuild", CapitalRecovery::Rebuild)
      .value("Linear", CapitalRecovery::Linear)
      .value("Convex", CapitalRecovery::Convex)
      .value("Concave", CapitalRecovery::Concave)
      .value("ConvexScaled", CapitalRecovery::ConvexScaled)
      .value("SShaped", CapitalRecovery::SShaped);

  py::class_<InoperabilityResult> ir(m, "InoperabilityResult", "Static inoperability: q, losses, rankings");
  py::class_<DiimOptions> dopt(m, "DiimOptions", "Options of dynamic_inoperability");
  py::class_<DiimResult> dres(m, "DiimResult", "Dynamic inoperability paths");
  py::class_<ArioOptions> aopt(m, "ArioOptions", "ARIO parameters (BoARIO ARIOPsiModel defaults)");
  py::class_<ArioEvent> aev(m, "ArioEvent", "A capital-destroying event");
  py::class_<ArioResult> ares(m, "ArioResult", "ARIO daily paths and summaries");
  py::class_<ArioRebuildingDemand> arb(m, "ArioRebuildingDemand", "Rebuilding demand of one event when rebuilding starts");
  py::class_<ArioModel> amod(m, "ArioModel", "ARIO on a table; run(events) simulates");
  py::class_<DynamicLeontiefOptions> lopt(m, "DynamicLeontiefOptions");
  py::class_<DynamicLeontiefResult> lres(m, "DynamicLeontiefResult");

  ir.def_readonly("inoperability", &InoperabilityResult::inoperability)
      .def_readonly("economic_loss", &InoperabilityResult::economic_loss)
      .def_readonly("inoperability_rank", &InoperabilityResult::inoperability_rank)
      .def_readonly("loss_rank", &InoperabilityResult::loss_rank)
      .def_readonly("status", &InoperabilityResult::status)
      .def_readonly("message", &InoperabilityResult::message)
      .def("ok", &InoperabilityResult::ok)
      .def("summary", &InoperabilityResult::summary)
      .def("__repr__", &repr_of<InoperabilityResult>);

  keyword_init(dopt, "DiimOptions");
  dopt.def_readwrite("resilience", &DiimOptions::resilience)
      .def_readwrite("default_resilience", &DiimOptions::default_resilience)
      .def_readwrite("time", &DiimOptions::time)
      .def_readwrite("abs_tol", &DiimOptions::abs_tol)
      .def_readwrite("rel_tol", &DiimOptions::rel_tol)
      .def_readwrite("method", &DiimOptions::method)
      .def_readwrite("krylov_dimension", &DiimOptions::krylov_dimension)
      .def_readwrite("storage", &DiimOptions::storage)
      .def_readwrite("perturbation_path", &DiimOptions::perturbation_path)
      .def_readwrite("on_iteration", &DiimOptions::on_iteration)
      .def("validate", &DiimOptions::validate);
  dres.def_readonly("times", &DiimResult::times)
      .def_readonly("inoperability", &DiimResult::inoperability)
      .def_readonly("steady_state", &DiimResult::steady_state)
      .def_readonly("cumulative_loss", &DiimResult::cumulative_loss)
      .def_readonly("average_inoperability", &DiimResult::average_inoperability)
      .def_readonly("loss_rank", &DiimResult::loss_rank)
      .def_readonly("inoperability_rank", &DiimResult::inoperability_rank)
      .def_readonly("status", &DiimResult::status)
      .def_readonly("message", &DiimResult::message)
      .def_readonly("iterations", &DiimResult::iterations)
      .def_readonly("method", &DiimResult::method)
      .def("ok", &DiimResult::ok)
      .def("summary", &DiimResult::summary)
      .def("__repr__", &repr_of<DiimResult>);

  m.def("interdependency_matrix", &interdependency_matrix, py::arg("table"), "A* = diag(x)^-1 Z");
  m.def("static_inoperability",
        py::overload_cast<const IOTable&, const RefV&, InoperabilityDirection>(&static_inoperability), py::arg("table"),
        py::arg("perturbation"), py::arg("direction") = InoperabilityDirection::Demand, gil(),
        "Static IIM on a table: demand side q = (I - A*)^-1 c*, supply side q = (I - A')^-1 delta");
  m.def("static_inoperability_matrix",
        py::overload_cast<const RefM&, const RefV&, const RefV&>(&static_inoperability), py::arg("A_star"),
        py::arg("perturbation"), py::arg("output") = Vector(), gil());
  m.def("dynamic_inoperability",
        py::overload_cast<const RefM&, const RefV&, const RefV&, const RefV&, const std::vector<double>&,
                          const DiimOptions&>(&dynamic_inoperability),
        py::arg("A_star"), py::arg("output"), py::arg("q0"), py::arg("perturbation"), py::arg("times"),
        py::arg("options") = DiimOptions(), gil(), "DIIM dq/dt = K (A* q + c* - q), continuous or discrete");
  // Sparse A* (scipy.sparse, converted to CSC once) and the table overload, which builds A* in C++
  // (dense or sparse as options.storage says) so no n x n matrix crosses into Python.
  m.def("sparse_interdependency_matrix", &sparse_interdependency_matrix, py::arg("table"),
        "A* = diag(x)^-1 Z as a scipy.sparse matrix");
  m.def("static_inoperability_matrix",
        py::overload_cast<const SparseMatrix&, const RefV&, const RefV&>(&static_inoperability), py::arg("A_star"),
        py::arg("perturbation"), py::arg("output") = Vector(), gil());
  m.def("dynamic_inoperability",
        py::overload_cast<const SparseMatrix&, const RefV&, const RefV&, const RefV&, const std::vector<double>&,
                          const DiimOptions&>(&dynamic_inoperability),
        py::arg("A_star"), py::arg("output"), py::arg("q0"), py::arg("perturbation"), py::arg("times"),
        py::arg("options") = DiimOptions(), gil());
  m.def("dynamic_inoperability",
        py::overload_cast<const IOTable&, const RefV&, const RefV&, const std::vector<double>&, const DiimOptions&>(
            &dynamic_inoperability),
        py::arg("table"), py::arg("q0"), py::arg("perturbation"), py::arg("times"), py::arg("options") = DiimOptions(),
        gil());
  m.def("resilience_from_recovery", &resilience_from_recovery, py::arg("A_star"), py::arg("q0"), py::arg("q_target"),
        py::arg("recovery_time"));

  keyword_init(aopt, "ArioOptions");
  aopt.def_readwrite("order_type", &ArioOptions::order_type)
      .def_readwrite("alpha_base", &ArioOptions::alpha_base)
      .def_readwrite("alpha_max", &ArioOptions::alpha_max)
      .def_readwrite("alpha_tau", &ArioOptions::alpha_tau)
      .def_readwrite("rebuild_tau", &ArioOptions::rebuild_tau)
      .def_readwrite("main_inv_dur", &ArioOptions::main_inv_dur)
      .def_readwrite("inventory_duration", &ArioOptions::inventory_duration)
      .def_readwrite("psi", &ArioOptions::psi)
      .def_readwrite("inventory_restoration_tau", &ArioOptions::inventory_restoration_tau)
      .def_readwrite("year_to_temporal_unit", &ArioOptions::year_to_temporal_unit)
      .def_readwrite("capital_to_value_added", &ArioOptions::capital_to_value_added)
      .def_readwrite("monetary_factor", &ArioOptions::monetary_factor)
      .def_readwrite("capital", &ArioOptions::capital)
      .def_readwrite("n_steps", &ArioOptions::n_steps)
      .def_readwrite("on_iteration", &ArioOptions::on_iteration)
      .def("validate", &ArioOptions::validate);
  aev.def(py::init<>())
      .def_readwrite("name", &ArioEvent::name)
      .def_readwrite("damage", &ArioEvent::damage)
      .def_readwrite("occurrence", &ArioEvent::occurrence)
      .def_readwrite("duration", &ArioEvent::duration)
      .def_readwrite("rebuilding_factor", &ArioEvent::rebuilding_factor)
      .def_readwrite("households_damage", &ArioEvent::households_damage)
      .def_readwrite("production_capacity_loss", &ArioEvent::production_capacity_loss)
      .def_readwrite("monetary_factor", &ArioEvent::monetary_factor)
      .def_readwrite("recovery", &ArioEvent::recovery)
      .def_readwrite("tau", &ArioEvent::tau)
      .def_readwrite("rebuilding_sectors", &ArioEvent::rebuilding_sectors)
      .def_readwrite("rebuilding_shares", &ArioEvent::rebuilding_shares)
      .def_readwrite("rebuilding_demand", &ArioEvent::rebuilding_demand)
      .def_readwrite("households_rebuilding_demand", &ArioEvent::households_rebuilding_demand)
      .def_readwrite("recovery_function", &ArioEvent::recovery_function);
  ares.def_readonly("baseline_production", &ArioResult::baseline_production)
      .def_readonly("production", &ArioResult::production)
      .def_readonly("production_capacity", &ArioResult::production_capacity)
      .def_readonly("final_demand_unmet", &ArioResult::final_demand_unmet)
      .def_readonly("rebuild_demand", &ArioResult::rebuild_demand)
      .def_readonly("rebuild_unmet", &ArioResult::rebuild_unmet)
      .def_readonly("inventories", &ArioResult::inventories)
      .def_readonly("damage", &ArioResult::damage)
      .def_readonly("overproduction", &ArioResult::overproduction)
      .def_readonly("conservation_error", &ArioResult::conservation_error)
      .def_readonly("min_stock", &ArioResult::min_stock)
      .def_readonly("production_loss", &ArioResult::production_loss)
      .def_readonly("regions", &ArioResult::regions)
      .def_readonly("production_loss_by_region", &ArioResult::production_loss_by_region)
      .def_readonly("sectors", &ArioResult::sectors)
      .def_readonly("production_loss_by_sector", &ArioResult::production_loss_by_sector)
      .def_readonly("trough_day", &ArioResult::trough_day)
      .def_readonly("trough_depth", &ArioResult::trough_depth)
      .def_readonly("final_demand_unmet_by_region", &ArioResult::final_demand_unmet_by_region)
      .def_readonly("status", &ArioResult::status)
      .def_readonly("message", &ArioResult::message)
      .def_readonly("iterations", &ArioResult::iterations)
      .def("ok", &ArioResult::ok)
      .def("summary", &ArioResult::summary)
      .def("__repr__", &repr_of<ArioResult>);
  amod.def(py::init<const IOTable&, const ArioOptions&>(), py::arg("table"), py::arg("options") = ArioOptions())
      .def("run", &ArioModel::run, py::arg("events"), gil())
      .def("rebuilding_demand", &ArioModel::rebuilding_demand, py::arg("event"))
      .def_property_readonly("n", &ArioModel::n)
      .def_property_readonly("capital", &ArioModel::capital)
      .def_property_readonly("baseline_production", &ArioModel::baseline_production)
      .def_property_readonly("sector_names", &ArioModel::sector_names)
      .def_property_readonly("region_names", &ArioModel::region_names);
  arb.def_readonly("industries", &ArioRebuildingDemand::industries)
      .def_readonly("households", &ArioRebuildingDemand::households)
      .def_readonly("damage", &ArioRebuildingDemand::damage);
  m.def("distribute_damage", &distribute_damage, py::arg("table"), py::arg("region"), py::arg("total"),
        "Destroyed capital spread over a region's industries in proportion to value added");

  keyword_init(lopt, "DynamicLeontiefOptions");
  lopt.def_readwrite("abs_tol", &DynamicLeontiefOptions::abs_tol)
      .def_readwrite("rel_tol", &DynamicLeontiefOptions::rel_tol)
      .def_readwrite("singular_rcond", &DynamicLeontiefOptions::singular_rcond)
      .def_readwrite("final_demand_path", &DynamicLeontiefOptions::final_demand_path)
      .def_readwrite("on_iteration", &DynamicLeontiefOptions::on_iteration);
  lres.def_readonly("times", &DynamicLeontiefResult::times)
      .def_readonly("output", &DynamicLeontiefResult::output)
      .def_readonly("equilibrium", &DynamicLeontiefResult::equilibrium)
      .def_readonly("growth_rates", &DynamicLeontiefResult::growth_rates)
      .def_readonly("rcond", &DynamicLeontiefResult::rcond)
      .def_readonly("status", &DynamicLeontiefResult::status)
      .def_readonly("message", &DynamicLeontiefResult::message)
      .def_readonly("iterations", &DynamicLeontiefResult::iterations)
      .def("ok", &DynamicLeontiefResult::ok)
      .def("summary", &DynamicLeontiefResult::summary)
      .def("__repr__", &repr_of<DynamicLeontiefResult>);
  m.def("dynamic_leontief", &dynamic_leontief, py::arg("A"), py::arg("B"), py::arg("x0"), py::arg("f"),
        py::arg("times"), py::arg("options") = DynamicLeontiefOptions(), gil(),
        "Dynamic Leontief x = A x + B dx/dt + f integrated with Odeint");
}

const BindingRegistrar reg("dynamic_io", 60, &bind_dynamic_io);

}  // namespace
}  // namespace govsim::python
