// Bindings for govsim::io (input-output analysis). Names are the C++ names.
#include "bindings.hpp"

#include <govsim/io.hpp>

#include <sstream>

namespace govsim::python {

void bind_io(py::module_& m) {
  m.doc() = "Input-output analysis";
  using namespace govsim::io;
  using RefM = Eigen::Ref<const Matrix>;

  py::enum_<Factorization>(m, "Factorization")
      .value("Auto", Factorization::Auto)
      .value("Dense", Factorization::Dense)
      .value("Sparse", Factorization::Sparse);
  py::enum_<MakeUseTable>(m, "MakeUseTable")
      .value("IndustryByIndustry", MakeUseTable::IndustryByIndustry)
      .value("CommodityByCommodity", MakeUseTable::CommodityByCommodity);
  py::enum_<SectorClass>(m, "SectorClass")
      .value("Key", SectorClass::Key)
      .value("BackwardOriented", SectorClass::BackwardOriented)
      .value("ForwardOriented", SectorClass::ForwardOriented)
      .value("Weak", SectorClass::Weak);

  py::class_<IOTableData> data(m, "IOTableData", "Inputs of an IOTable (see IOTable)");
  py::class_<IOTableOptions> topts(m, "IOTableOptions", "How IOTable construction treats imbalance");
  py::class_<IOTableDiagnostics> diag(m, "IOTableDiagnostics", "What construction found about the data");
  py::class_<SpectralRadius> srad(m, "SpectralRadius", "Spectral radius of |A| by shifted power iteration");
  py::class_<IOTable> table(m, "IOTable", R"pbdoc(
An input-output table (national or multi-regional), validated on construction.

Raises DimensionError on inconsistent shapes, DataError on NaN/Inf or negative output (naming
the entry), ModelError when the spectral radius of A is >= 1 (naming the sectors).
)pbdoc");
  py::class_<LeontiefOptions> lopts(m, "LeontiefOptions");
  py::class_<LeontiefModel> model(m, "LeontiefModel", R"pbdoc(
I - A factored once (LAPACK LU, or sparse LU); solves for any number of right-hand sides.
)pbdoc");
  py::class_<Multipliers> mult(m, "Multipliers");
  py::class_<HouseholdClosure> hh(m, "HouseholdClosure");
  py::class_<Linkages> link(m, "Linkages");
  py::class_<ExtractionOptions> eopts(m, "ExtractionOptions");
  py::class_<ExtractionResult> extr(m, "ExtractionResult");
  py::class_<RegionalMultipliers> rmult(m, "RegionalMultipliers");
  py::class_<Footprint> foot(m, "Footprint");
  py::class_<MakeUseData> mu(m, "MakeUseData");

  data.def(py::init<>())
      .def_readwrite("Z", &IOTableData::Z)
      .def_readwrite("Z_sparse", &IOTableData::Z_sparse)
      .def_readwrite("Y", &IOTableData::Y)
      .def_readwrite("x", &IOTableData::x)
      .def_readwrite("sectors", &IOTableData::sectors)
      .def_readwrite("regions", &IOTableData::regions)
      .def_readwrite("final_demand", &IOTableData::final_demand)
      .def_readwrite("final_demand_regions", &IOTableData::final_demand_regions)
      .def_readwrite("value_added", &IOTableData::value_added)
      .def_readwrite("value_added_names", &IOTableData::value_added_names)
      .def_readwrite("satellite", &IOTableData::satellite)
      .def_readwrite("satellite_names", &IOTableData::satellite_names)
      .def_readwrite("unit", &IOTableData::unit);

  keyword_init(topts, "IOTableOptions");
  topts.def_readwrite("max_relative_imbalance", &IOTableOptions::max_relative_imbalance)
      .def_readwrite("check_spectral_radius", &IOTableOptions::check_spectral_radius);

  diag.def_readonly("max_row_imbalance", &IOTableDiagnostics::max_row_imbalance)
      .def_readonly("worst_row", &IOTableDiagnostics::worst_row)
      .def_readonly("max_column_imbalance", &IOTableDiagnostics::max_column_imbalance)
      .def_readonly("worst_column", &IOTableDiagnostics::worst_column)
      .def_readonly("zero_output", &IOTableDiagnostics::zero_output)
      .def_readonly("max_column_sum_A", &IOTableDiagnostics::max_column_sum_A)
      .def_readonly("spectral_radius", &IOTableDiagnostics::spectral_radius)
      .def_readonly("nnz", &IOTableDiagnostics::nnz)
      .def("summary", &IOTableDiagnostics::summary)
      .def("__repr__", [](const IOTableDiagnostics& d) { return "IOTableDiagnostics(" + d.summary() + ")"; });

  srad.def_readonly("estimate", &SpectralRadius::estimate)
      .def_readonly("upper", &SpectralRadius::upper)
      .def_readonly("iterations", &SpectralRadius::iterations)
      .def_readonly("converged", &SpectralRadius::converged)
      .def("__float__", [](const SpectralRadius& r) { return r.estimate; })
      .def("__repr__", [](const SpectralRadius& r) {
        return "SpectralRadius(estimate=" + std::to_string(r.estimate) + ", upper=" + std::to_string(r.upper) +
               ", iterations=" + std::to_string(r.iterations) + (r.converged ? "" : ", not converged") + ")";
      });
  m.def("spectral_radius", &spectral_radius, py::arg("A"), py::arg("max_iterations") = 100000,
        py::arg("tolerance") = 1e-13, py::call_guard<py::gil_scoped_release>());

  table.def(py::init<IOTableData, const IOTableOptions&>(), py::arg("data"), py::arg("options") = IOTableOptions{})
      .def_property_readonly("n", &IOTable::n)
      .def_property_readonly("is_sparse", &IOTable::is_sparse)
      .def_property_readonly("is_multiregional", &IOTable::is_multiregional)
      .def_property_readonly("sectors", &IOTable::sectors)
      .def_property_readonly("regions", &IOTable::regions)
      .def_property_readonly("labels", &IOTable::labels)
      .def("region_list", &IOTable::region_list)
      .def_property_readonly("final_demand_names", &IOTable::final_demand_names)
      .def_property_readonly("final_demand_regions", &IOTable::final_demand_regions)
      .def_property_readonly("value_added_names", &IOTable::value_added_names)
      .def_property_readonly("satellite_names", &IOTable::satellite_names)
      .def_property_readonly("unit", &IOTable::unit)
      .def_property_readonly("Z", &IOTable::Z)
      .def_property_readonly("Y", &IOTable::Y)
      .def_property_readonly("x", &IOTable::x)
      .def_property_readonly("value_added", &IOTable::value_added)
      .def_property_readonly("satellite", &IOTable::satellite)
      .def("primary_inputs", &IOTable::primary_inputs)
      .def("A", &IOTable::A, "Technical coefficients A = Z x^-1 (dense)")
      .def("A_sparse", &IOTable::A_sparse)
      .def("B", &IOTable::B, "Allocation coefficients B = x^-1 Z (dense)")
      .def("account", &IOTable::account, py::arg("name"))
      .def("index_of", &IOTable::index_of, py::arg("label"))
      .def_property_readonly("diagnostics", &IOTable::diagnostics)
      .def("spectral_radius", &IOTable::spectral_radius, py::arg("max_iterations") = 100000,
           py::arg("tolerance") = 1e-13, py::call_guard<py::gil_scoped_release>())
      .def("aggregate", &IOTable::aggregate, py::arg("group"), py::arg("group_sectors"),
           py::arg("group_regions") = Names{})
      .def("__repr__", [](const IOTable& t) {
        std::ostringstream s;
        s << "IOTable(" << t.n() << " sectors" << (t.is_multiregional() ? ", " + std::to_string(t.region_list().size()) + " regions" : "")
          << ", " << t.final_demand_names().size() << " final-demand categories"
          << (t.is_sparse() ? ", sparse" : "") << ")";
        return s.str();
      });

  keyword_init(lopts, "LeontiefOptions");
  lopts.def_readwrite("factorization", &LeontiefOptions::factorization)
      .def_readwrite("sparse_min_size", &LeontiefOptions::sparse_min_size)
      .def_readwrite("sparse_max_density", &LeontiefOptions::sparse_max_density)
      .def_readwrite("singular_rcond", &LeontiefOptions::singular_rcond);

  model
      .def(py::init<const IOTable&, const LeontiefOptions&>(), py::arg("table"), py::arg("options") = LeontiefOptions{},
           py::call_guard<py::gil_scoped_release>())
      .def(py::init<const RefM&, const LeontiefOptions&>(), py::arg("A"), py::arg("options") = LeontiefOptions{},
           py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("n", &LeontiefModel::n)
      .def_property_readonly("status", &LeontiefModel::status)
      .def_property_readonly("message", &LeontiefModel::message)
      .def_property_readonly("rcond", &LeontiefModel::rcond)
      .def_property_readonly("is_sparse", &LeontiefModel::is_sparse)
      .def("ok", &LeontiefModel::ok)
      .def("solve", &LeontiefModel::solve, py::arg("rhs"), py::call_guard<py::gil_scoped_release>(),
           "X = L R for an n x k right-hand side")
      .def("solve_transpose", &LeontiefModel::solve_transpose, py::arg("rhs"), py::call_guard<py::gil_scoped_release>())
      .def("output_change", &LeontiefModel::output_change, py::arg("final_demand_change"),
           py::call_guard<py::gil_scoped_release>())
      .def("leontief_inverse", &LeontiefModel::leontief_inverse, py::call_guard<py::gil_scoped_release>())
      .def("inverse_diagonal", &LeontiefModel::inverse_diagonal, py::arg("block") = 256,
           py::call_guard<py::gil_scoped_release>())
      .def("__repr__", [](const LeontiefModel& l) {
        return "LeontiefModel(n=" + std::to_string(l.n()) + ", " + (l.is_sparse() ? "sparse" : "dense") +
               ", status=" + to_string(l.status()) + ")";
      });

  m.def("price_change", &price_change, py::arg("model"), py::arg("value_added_change"),
        py::call_guard<py::gil_scoped_release>());
  m.def("price_change_from_sector_prices", &price_change_from_sector_prices, py::arg("model"), py::arg("fixed"),
        py::arg("fixed_change"));
  m.def("ghosh_output_change", &ghosh_output_change, py::arg("table"), py::arg("model"),
        py::arg("primary_input_change"), py::call_guard<py::gil_scoped_release>());
  m.def("ghosh_inverse", &ghosh_inverse, py::arg("table"), py::arg("model"), py::call_guard<py::gil_scoped_release>());

  hh.def(py::init<std::string, std::string>(), py::arg("income_account"), py::arg("consumption_category"))
      .def_readwrite("income_account", &HouseholdClosure::income_account)
      .def_readwrite("consumption_category", &HouseholdClosure::consumption_category);
  mult.def_readonly("labels", &Multipliers::labels)
      .def_readonly("output", &Multipliers::output)
      .def_readonly("account_names", &Multipliers::account_names)
      .def_readonly("account_simple", &Multipliers::account_simple)
      .def_readonly("account_type_I", &Multipliers::account_type_I)
      .def_readonly("has_type_II", &Multipliers::has_type_II)
      .def_readonly("output_type_II", &Multipliers::output_type_II)
      .def_readonly("account_simple_type_II", &Multipliers::account_simple_type_II)
      .def_readonly("account_type_II", &Multipliers::account_type_II)
      .def_readonly("household_income_type_II", &Multipliers::household_income_type_II);
  m.def("compute_multipliers", &compute_multipliers, py::arg("table"), py::arg("model"),
        py::arg("households") = std::optional<HouseholdClosure>{}, py::call_guard<py::gil_scoped_release>());
  m.def("household_augmented_coefficients", &household_augmented_coefficients, py::arg("table"), py::arg("households"));

  link.def_readonly("labels", &Linkages::labels)
      .def_readonly("backward", &Linkages::backward)
      .def_readonly("forward", &Linkages::forward)
      .def_readonly("power_of_dispersion", &Linkages::power_of_dispersion)
      .def_readonly("sensitivity_of_dispersion", &Linkages::sensitivity_of_dispersion)
      .def_readonly("forward_normalized", &Linkages::forward_normalized)
      .def_property_readonly("classification", [](const Linkages& k) {
        std::vector<std::string> out;
        for (auto c : k.classification) out.emplace_back(to_string(c));
        return out;
      });
  m.def("compute_linkages", &compute_linkages, py::arg("table"), py::arg("model"),
        py::call_guard<py::gil_scoped_release>());

  keyword_init(eopts, "ExtractionOptions");
  eopts.def_readwrite("block", &ExtractionOptions::block)
      .def_readwrite("on_iteration", &ExtractionOptions::on_iteration);
  extr.def_readonly("labels", &ExtractionResult::labels)
      .def_readonly("total_output", &ExtractionResult::total_output)
      .def_readonly("total", &ExtractionResult::total)
      .def_readonly("backward", &ExtractionResult::backward)
      .def_readonly("forward", &ExtractionResult::forward)
      .def_readonly("total_percent", &ExtractionResult::total_percent)
      .def_readonly("backward_percent", &ExtractionResult::backward_percent)
      .def_readonly("forward_percent", &ExtractionResult::forward_percent);
  // No GIL release: a Python on_iteration callback may run (pybind11's function wrapper
  // re-acquires the GIL, but keeping it is simpler and the callback is cheap).
  m.def("hypothetical_extraction", &hypothetical_extraction, py::arg("table"), py::arg("model"),
        py::arg("options") = ExtractionOptions{});

  rmult.def_readonly("labels", &RegionalMultipliers::labels)
      .def_readonly("regions", &RegionalMultipliers::regions)
      .def_readonly("by_region", &RegionalMultipliers::by_region)
      .def_readonly("total", &RegionalMultipliers::total)
      .def_readonly("domestic", &RegionalMultipliers::domestic)
      .def_readonly("spillover", &RegionalMultipliers::spillover);
  m.def("regional_multipliers", &regional_multipliers, py::arg("table"), py::arg("model"),
        py::call_guard<py::gil_scoped_release>());
  m.def("sum_by_region", &sum_by_region, py::arg("table"), py::arg("values"));
  foot.def_readonly("account", &Footprint::account)
      .def_readonly("regions", &Footprint::regions)
      .def_readonly("production_based", &Footprint::production_based)
      .def_readonly("consumption_based", &Footprint::consumption_based)
      .def_readonly("flows", &Footprint::flows);
  m.def("footprint", &footprint, py::arg("table"), py::arg("model"), py::arg("account"),
        py::call_guard<py::gil_scoped_release>());

  mu.def(py::init<>())
      .def_readwrite("make", &MakeUseData::make)
      .def_readwrite("use", &MakeUseData::use)
      .def_readwrite("final_demand", &MakeUseData::final_demand)
      .def_readwrite("value_added", &MakeUseData::value_added)
      .def_readwrite("satellite", &MakeUseData::satellite)
      .def_readwrite("industries", &MakeUseData::industries)
      .def_readwrite("commodities", &MakeUseData::commodities)
      .def_readwrite("final_demand_names", &MakeUseData::final_demand_names)
      .def_readwrite("value_added_names", &MakeUseData::value_added_names)
      .def_readwrite("satellite_names", &MakeUseData::satellite_names)
      .def_readwrite("industry_output", &MakeUseData::industry_output)
      .def_readwrite("commodity_output", &MakeUseData::commodity_output)
      .def_readwrite("unit", &MakeUseData::unit);
  m.def("from_make_use", &from_make_use, py::arg("data"), py::arg("kind") = MakeUseTable::IndustryByIndustry,
        py::arg("options") = IOTableOptions{});
}

namespace {
const BindingRegistrar reg("io", 10, &bind_io);
}  // namespace

}  // namespace govsim::python
