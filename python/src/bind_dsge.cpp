// Bindings for the DSGE front end: model reader, symbols, blocks, commands, derivatives,
// steady state, linearize, builder. Names are the C++ names.
#include "bindings.hpp"

#include <govsim/dsge/builder.hpp>
#include <govsim/dsge/derivatives.hpp>
#include <govsim/dsge/linearized.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <sstream>

namespace govsim::python {

namespace {
using namespace govsim::dsge;

ParseOptions make_parse_options(const std::map<std::string, std::string>& defines, const std::vector<std::string>& paths) {
  ParseOptions o;
  for (const auto& [k, v] : defines) o.defines.emplace_back(k, v);
  o.include_paths = paths;
  return o;
}

std::vector<std::pair<std::string, std::string>> options_of(const Command& c) {
  std::vector<std::pair<std::string, std::string>> r;
  for (const auto& o : c.options) r.emplace_back(o.key, o.value);
  return r;
}

const char* kind_name(StochasticShock::Kind k) {
  switch (k) {
    case StochasticShock::Kind::Stderr: return "stderr";
    case StochasticShock::Kind::Variance: return "variance";
    case StochasticShock::Kind::Covariance: return "covariance";
    case StochasticShock::Kind::Correlation: return "correlation";
  }
  return "?";
}
const char* kind_name(EstimatedParam::Kind k) {
  switch (k) {
    case EstimatedParam::Kind::Parameter: return "parameter";
    case EstimatedParam::Kind::Stderr: return "stderr";
    case EstimatedParam::Kind::Corr: return "corr";
  }
  return "?";
}
const char* kind_name(AuxVariable::Kind k) {
  switch (k) {
    case AuxVariable::Kind::EndoLead: return "endo_lead";
    case AuxVariable::Kind::EndoLag: return "endo_lag";
    case AuxVariable::Kind::ExoLag: return "exo_lag";
  }
  return "?";
}
}  // namespace

void bind_dsge(py::module_& m) {
  m.doc() = "DSGE models: .mod reader, derivatives, steady state, perturbation";
  using namespace govsim::dsge;

  py::enum_<SymbolType>(m, "SymbolType", "Kind of a declared symbol")
      .value("Endogenous", SymbolType::Endogenous)
      .value("Exogenous", SymbolType::Exogenous)
      .value("ExogenousDet", SymbolType::ExogenousDet)
      .value("Parameter", SymbolType::Parameter);
  py::enum_<ModelForm>(m, "ModelForm", "Dynamic or static model")
      .value("Dynamic", ModelForm::Dynamic)
      .value("Static", ModelForm::Static);

  py::class_<SourceLocation> loc(m, "SourceLocation", "file:line:column of a source element");
  py::class_<Warning> warning(m, "Warning", "A non-fatal diagnostic of the .mod reader");
  py::class_<Command> command(m, "Command", "A command of the .mod file, in source order");
  py::class_<Symbol> symbol(m, "Symbol", "A declared symbol");
  py::class_<AuxVariable> aux(m, "AuxVariable", "An auxiliary variable added for leads/lags beyond one");
  py::class_<StochasticShock> sshock(m, "StochasticShock", "A stochastic entry of a shocks block");
  py::class_<DeterministicShock> dshock(m, "DeterministicShock", "A deterministic entry of a shocks block");
  py::class_<ShocksSpec> shocks(m, "ShocksSpec", "All shocks blocks");
  py::class_<ValueAssignment> valas(m, "ValueAssignment", "An initval/endval entry");
  py::class_<HistvalEntry> hist(m, "HistvalEntry", "A histval entry");
  py::class_<EstimatedParam> est(m, "EstimatedParam", "One line of estimated_params");
  py::class_<OptimWeight> ow(m, "OptimWeight", "One optim_weights entry");
  py::class_<OsrParamBound> ob(m, "OsrParamBound", "One osr_params_bounds entry");
  py::class_<Model> model(m, "Model", R"pbdoc(
A DSGE model read from Dynare's .mod language (parse_model / parse_model_file) or built with
ModelBuilder. Copies share the structure; parameter values belong to each copy.
)pbdoc");
  py::class_<SteadyStateOptions> sso(m, "SteadyStateOptions", "Options of solve_steady_state");
  py::class_<EquationResidual> eqres(m, "EquationResidual", "An equation and its residual");
  py::class_<SteadyStateResult> ssr(m, "SteadyStateResult", "Result of solve_steady_state");
  py::class_<SparseTensor> st(m, "SparseTensor", "Sparse symmetric derivative tensor");
  py::class_<DerivativeValues> dv(m, "DerivativeValues", "Derivatives at one point");
  py::class_<ModelDerivatives> md(m, "ModelDerivatives", "Compiled symbolic derivatives of a model");
  py::class_<ModelBuilder> mb(m, "ModelBuilder", "Programmatic construction of a Model");

  loc.def_readonly("file", &SourceLocation::file)
      .def_readonly("line", &SourceLocation::line)
      .def_readonly("column", &SourceLocation::column)
      .def("__str__", &SourceLocation::to_string)
      .def("__repr__", [](const SourceLocation& l) { return "SourceLocation('" + l.to_string() + "')"; });
  warning.def_readonly("message", &Warning::message)
      .def_readonly("where", &Warning::where)
      .def("__str__", &Warning::to_string)
      .def("__repr__", [](const Warning& w) { return "Warning('" + w.to_string() + "')"; });
  command.def_readonly("name", &Command::name)
      .def_property_readonly("options", &options_of, "list of (key, value) in source order ('' for flags)")
      .def_readonly("args", &Command::args)
      .def_readonly("where", &Command::where)
      .def_readonly("supported", &Command::supported)
      .def("option", &Command::option, py::arg("key"))
      .def("has_option", &Command::has_option, py::arg("key"))
      .def("option_number", &Command::option_number, py::arg("key"), py::arg("fallback"))
      .def("__repr__", [](const Command& c) {
        std::string s = "Command('" + c.name + "'";
        for (const auto& o : c.options) s += ", " + o.key + (o.value.empty() ? "" : "=" + o.value);
        if (!c.args.empty()) {
          s += ", args=[";
          for (std::size_t i = 0; i < c.args.size(); ++i) s += (i ? ", " : "") + c.args[i];
          s += "]";
        }
        return s + ")";
      });
  symbol.def_readonly("name", &Symbol::name)
      .def_readonly("type", &Symbol::type)
      .def_readonly("index", &Symbol::index)
      .def_readonly("tex_name", &Symbol::tex_name)
      .def_readonly("long_name", &Symbol::long_name)
      .def("__repr__", [](const Symbol& s) { return "Symbol('" + s.name + "', " + to_string(s.type) + ")"; });
  aux.def_property_readonly("kind", [](const AuxVariable& a) { return kind_name(a.kind); })
      .def_readonly("endo_index", &AuxVariable::endo_index)
      .def_readonly("orig_name", &AuxVariable::orig_name)
      .def_readonly("orig_type", &AuxVariable::orig_type)
      .def_readonly("orig_index", &AuxVariable::orig_index)
      .def_readonly("orig_lead_lag", &AuxVariable::orig_lead_lag)
      .def("__repr__", [](const AuxVariable& a) {
        return "AuxVariable(" + std::string(kind_name(a.kind)) + ", orig='" + a.orig_name + "', lead_lag=" +
               std::to_string(a.orig_lead_lag) + ")";
      });
  sshock.def_property_readonly("kind", [](const StochasticShock& s) { return kind_name(s.kind); })
      .def_readonly("name1", &StochasticShock::name1)
      .def_readonly("name2", &StochasticShock::name2)
      .def_readonly("value", &StochasticShock::value)
      .def_readonly("where", &StochasticShock::where)
      .def("__repr__", [](const StochasticShock& s) {
        return "StochasticShock(" + std::string(kind_name(s.kind)) + ", '" + s.name1 + "', '" + s.name2 + "', " +
               std::to_string(s.value) + ")";
      });
  dshock.def_readonly("name", &DeterministicShock::name)
      .def_readonly("periods", &DeterministicShock::periods)
      .def_readonly("values", &DeterministicShock::values)
      .def_readonly("where", &DeterministicShock::where)
      .def("__repr__", [](const DeterministicShock& s) {
        return "DeterministicShock('" + s.name + "', " + std::to_string(s.periods.size()) + " ranges)";
      });
  shocks.def_readonly("stochastic", &ShocksSpec::stochastic)
      .def_readonly("deterministic", &ShocksSpec::deterministic)
      .def("__repr__", [](const ShocksSpec& s) {
        return "ShocksSpec(stochastic=" + std::to_string(s.stochastic.size()) +
               ", deterministic=" + std::to_string(s.deterministic.size()) + ")";
      });
  valas.def_readonly("name", &ValueAssignment::name)
      .def_readonly("type", &ValueAssignment::type)
      .def_readonly("index", &ValueAssignment::index)
      .def_readonly("value", &ValueAssignment::value)
      .def("__repr__", [](const ValueAssignment& v) { return "ValueAssignment('" + v.name + "', " + std::to_string(v.value) + ")"; });
  hist.def_readonly("name", &HistvalEntry::name)
      .def_readonly("index", &HistvalEntry::index)
      .def_readonly("lag", &HistvalEntry::lag)
      .def_readonly("value", &HistvalEntry::value)
      .def("__repr__", [](const HistvalEntry& v) {
        return "HistvalEntry('" + v.name + "', " + std::to_string(v.lag) + ", " + std::to_string(v.value) + ")";
      });
  est.def_property_readonly("kind", [](const EstimatedParam& e) { return kind_name(e.kind); })
      .def_readonly("name", &EstimatedParam::name)
      .def_readonly("name2", &EstimatedParam::name2)
      .def_readonly("init", &EstimatedParam::init)
      .def_readonly("lower", &EstimatedParam::lower)
      .def_readonly("upper", &EstimatedParam::upper)
      .def_readonly("prior_shape", &EstimatedParam::prior_shape)
      .def_readonly("prior_mean", &EstimatedParam::prior_mean)
      .def_readonly("prior_std", &EstimatedParam::prior_std)
      .def_readonly("prior_p3", &EstimatedParam::prior_p3)
      .def_readonly("prior_p4", &EstimatedParam::prior_p4)
      .def_readonly("jscale", &EstimatedParam::jscale)
      .def_readonly("where", &EstimatedParam::where)
      .def("__repr__", [](const EstimatedParam& e) {
        return "EstimatedParam(" + std::string(kind_name(e.kind)) + " '" + e.name + "'" +
               (e.prior_shape.empty() ? "" : ", " + e.prior_shape) + ")";
      });
  ow.def_readonly("var1", &OptimWeight::var1)
      .def_readonly("var2", &OptimWeight::var2)
      .def_readonly("weight", &OptimWeight::weight)
      .def("__repr__", [](const OptimWeight& w) {
        return "OptimWeight('" + w.var1 + "', '" + w.var2 + "', " + std::to_string(w.weight) + ")";
      });
  ob.def_readonly("name", &OsrParamBound::name)
      .def_readonly("lower", &OsrParamBound::lower)
      .def_readonly("upper", &OsrParamBound::upper)
      .def("__repr__", [](const OsrParamBound& b) { return "OsrParamBound('" + b.name + "')"; });

  model.def_property_readonly("source_file", &Model::source_file,
                              "Absolute path of the .mod file ('' for text); file options resolve from its folder")
      .def_property_readonly("name", &Model::name)
      .def_property_readonly("n_endo", &Model::n_endo)
      .def_property_readonly("n_declared_endo", &Model::n_declared_endo)
      .def_property_readonly("n_exo", &Model::n_exo)
      .def_property_readonly("n_exo_det", &Model::n_exo_det)
      .def_property_readonly("n_params", &Model::n_params)
      .def_property_readonly("endo_names", &Model::endo_names)
      .def_property_readonly("exo_names", &Model::exo_names)
      .def_property_readonly("exo_det_names", &Model::exo_det_names)
      .def_property_readonly("param_names", &Model::param_names)
      .def_property_readonly("params", [](const Model& mo) { return Vector(mo.params()); })
      .def("param", &Model::param, py::arg("name"))
      .def("set_param", &Model::set_param, py::arg("name"), py::arg("value"))
      .def("set_params", &Model::set_params, py::arg("values"))
      .def("symbol", [](const Model& mo, const std::string& n) { return mo.symbols().find(n); }, py::arg("name"))
      .def_property_readonly("endo_symbols", [](const Model& mo) { return mo.symbols().list(SymbolType::Endogenous); })
      .def_property_readonly("exo_symbols", [](const Model& mo) { return mo.symbols().list(SymbolType::Exogenous); })
      .def_property_readonly("param_symbols", [](const Model& mo) { return mo.symbols().list(SymbolType::Parameter); })
      .def_property_readonly("n_equations", [](const Model& mo) { return mo.equations().size(); })
      .def_property_readonly("n_declared_equations", &Model::n_declared_equations)
      .def("equation_string", &Model::equation_string, py::arg("i"))
      .def_property_readonly("equation_strings",
                             [](const Model& mo) {
                               std::vector<std::string> r;
                               for (Index i = 0; i < static_cast<Index>(mo.equations().size()); ++i)
                                 r.push_back(mo.equation_string(i));
                               return r;
                             })
      .def_property_readonly("equation_names",
                             [](const Model& mo) {
                               std::vector<std::string> r;
                               for (const auto& e : mo.equations()) r.push_back(e.name());
                               return r;
                             })
      .def_property_readonly("equation_tags",
                             [](const Model& mo) {
                               std::vector<std::vector<std::pair<std::string, std::string>>> r;
                               for (const auto& e : mo.equations()) r.push_back(e.tags);
                               return r;
                             })
      .def_property_readonly("aux_variables", &Model::aux_variables)
      .def_property_readonly("local_variables",
                             [](const Model& mo) {
                               std::vector<std::pair<std::string, std::string>> r;
                               for (const auto& l : mo.local_variables()) r.emplace_back(l.name, mo.expr_string(l.expr));
                               return r;
                             })
      .def_property_readonly("linear", &Model::linear)
      .def_property_readonly("predetermined_variables", &Model::predetermined_variables)
      .def_property_readonly("has_steady_state_model", &Model::has_steady_state_model)
      .def_property_readonly("steady_state_model",
                             [](const Model& mo) {
                               std::vector<std::pair<std::string, std::string>> r;
                               for (const auto& a : mo.steady_state_model()) r.emplace_back(a.target, mo.expr_string(a.expr));
                               return r;
                             })
      .def_property_readonly("initval", &Model::initval)
      .def_property_readonly("endval", &Model::endval)
      .def_property_readonly("histval", &Model::histval)
      .def_property_readonly("shocks", &Model::shocks)
      .def_property_readonly("Sigma_e", &Model::Sigma_e)
      .def("initval_endo", &Model::initval_endo)
      .def("exo_steady_state", &Model::exo_steady_state)
      .def_property_readonly("commands", &Model::commands)
      .def_property_readonly("estimated_params", &Model::estimated_params)
      .def_property_readonly("varobs", &Model::varobs)
      .def_property_readonly("optim_weights", &Model::optim_weights)
      .def_property_readonly("osr_params", &Model::osr_params)
      .def_property_readonly("osr_params_bounds", &Model::osr_params_bounds)
      .def_property_readonly("warnings", &Model::warnings)
      .def_property_readonly("lagged_variables", &Model::lagged_variables)
      .def_property_readonly("lead_variables", &Model::lead_variables)
      .def_property_readonly("dynamic_column_names", &Model::dynamic_column_names)
      .def("dynamic_point", &Model::dynamic_point, py::arg("steady_state"), py::arg("exo") = Vector())
      .def("static_residuals", &Model::static_residuals, py::arg("y"), py::arg("exo") = Vector())
      .def("static_jacobian", &Model::static_jacobian, py::arg("y"), py::arg("exo") = Vector())
      .def("dynamic_residuals", &Model::dynamic_residuals, py::arg("x"), py::arg("steady_state") = Vector())
      .def("dynamic_jacobian", &Model::dynamic_jacobian, py::arg("x"), py::arg("steady_state") = Vector())
      .def("to_json", &Model::to_json)
      .def("__copy__", [](const Model& mo) { return Model(mo); })
      .def("__repr__", [](const Model& mo) {
        std::ostringstream o;
        o << "Model('" << mo.name() << "', " << mo.n_declared_endo() << " endogenous";
        if (mo.n_endo() > mo.n_declared_endo()) o << " + " << (mo.n_endo() - mo.n_declared_endo()) << " auxiliary";
        o << ", " << mo.n_exo() << " shocks, " << mo.n_params() << " parameters, " << mo.commands().size()
          << " commands)";
        return o.str();
      });

  m.def(
      "parse_model",
      [](const std::string& source, const std::string& name, const std::map<std::string, std::string>& defines,
         const std::vector<std::string>& include_paths) {
        return parse_model(source, name, make_parse_options(defines, include_paths));
      },
      py::arg("source"), py::arg("name") = "<string>", py::arg("defines") = std::map<std::string, std::string>{},
      py::arg("include_paths") = std::vector<std::string>{},
      R"pbdoc(
Read a model from .mod source text.

Parameters
----------
source : str
    The .mod text.
name : str
    Name used in messages (file name).
defines : dict, optional
    Macro variables as with Dynare's -D (values are macro expressions, e.g. {"ZLB": "0"}).
include_paths : list of str, optional
    Folders searched by @#include.

Raises
------
ParseError
    Syntax or semantic error (file, line, column and excerpt in the message).
ModelError
    Ill-posed model (e.g. wrong number of equations).
)pbdoc");
  m.def(
      "parse_model_file",
      [](const std::string& path, const std::map<std::string, std::string>& defines,
         const std::vector<std::string>& include_paths) {
        return parse_model_file(path, make_parse_options(defines, include_paths));
      },
      py::arg("path"), py::arg("defines") = std::map<std::string, std::string>{},
      py::arg("include_paths") = std::vector<std::string>{},
      "Read a model from a .mod file (@#include relative to the including file).");
  m.def(
      "preprocess_model",
      [](const std::string& source, const std::string& name, const std::map<std::string, std::string>& defines) {
        return preprocess_model(source, name, make_parse_options(defines, {}));
      },
      py::arg("source"), py::arg("name") = "<string>", py::arg("defines") = std::map<std::string, std::string>{},
      "Run the macro processor only and return the expanded text.");

  // LinearizedModel may also be bound by the solution module; register it once.
  if (!py::detail::get_type_info(typeid(LinearizedModel))) {
    py::class_<LinearizedModel>(m, "LinearizedModel", "Dynamic Jacobian at the steady state in Dynare's layout")
        .def_readonly("endo_names", &LinearizedModel::endo_names)
        .def_readonly("n_declared", &LinearizedModel::n_declared)
        .def_readonly("exo_names", &LinearizedModel::exo_names)
        .def_readonly("param_names", &LinearizedModel::param_names)
        .def_readonly("params", &LinearizedModel::params)
        .def_readonly("steady_state", &LinearizedModel::steady_state)
        .def_readonly("lagged", &LinearizedModel::lagged)
        .def_readonly("leads", &LinearizedModel::leads)
        .def_readonly("jacobian", &LinearizedModel::jacobian)
        .def_readonly("Sigma_e", &LinearizedModel::Sigma_e)
        .def("__repr__", [](const LinearizedModel& l) {
          return "LinearizedModel(" + std::to_string(l.jacobian.rows()) + "x" + std::to_string(l.jacobian.cols()) + ")";
        });
  } else {
    m.attr("LinearizedModel") = py::type::of<LinearizedModel>();
  }
  m.def("linearize", &linearize, py::arg("model"), py::arg("steady_state"),
        "Dynamic Jacobian at (ss, ss, ss, exo steady state) and Sigma_e, in Dynare's column layout.");

  keyword_init(sso, "SteadyStateOptions");
  sso.def_readwrite("tolerance", &SteadyStateOptions::tolerance)
      .def_readwrite("check_tolerance", &SteadyStateOptions::check_tolerance)
      .def_readwrite("max_iterations", &SteadyStateOptions::max_iterations)
      .def_readwrite("homotopy_steps", &SteadyStateOptions::homotopy_steps)
      .def_readwrite("use_steady_state_model", &SteadyStateOptions::use_steady_state_model)
      .def_readwrite("check", &SteadyStateOptions::check)
      .def_readwrite("initial_guess", &SteadyStateOptions::initial_guess)
      .def_readwrite("exo", &SteadyStateOptions::exo)
      .def_readwrite("on_iteration", &SteadyStateOptions::on_iteration)
      .def("validate", &SteadyStateOptions::validate)
      .def("__repr__", [](const SteadyStateOptions& o) {
        return "SteadyStateOptions(tolerance=" + std::to_string(o.tolerance) + ")";
      });
  eqres.def_readonly("equation", &EquationResidual::equation)
      .def_readonly("name", &EquationResidual::name)
      .def_readonly("text", &EquationResidual::text)
      .def_readonly("residual", &EquationResidual::residual)
      .def("__repr__", [](const EquationResidual& e) { return "EquationResidual(" + e.name + ", " + std::to_string(e.residual) + ")"; });
  ssr.def_readonly("values", &SteadyStateResult::values)
      .def_readonly("names", &SteadyStateResult::names)
      .def_readonly("params", &SteadyStateResult::params)
      .def_readonly("residuals", &SteadyStateResult::residuals)
      .def_readonly("status", &SteadyStateResult::status)
      .def_readonly("message", &SteadyStateResult::message)
      .def_readonly("iterations", &SteadyStateResult::iterations)
      .def_readonly("method", &SteadyStateResult::method)
      .def_readonly("worst_equations", &SteadyStateResult::worst_equations)
      .def_readonly("bad_variables", &SteadyStateResult::bad_variables)
      .def("ok", &SteadyStateResult::ok)
      .def("summary", &SteadyStateResult::summary)
      .def("__repr__", &SteadyStateResult::summary);
  m.def(
      "solve_steady_state",
      [](const Model& mo, const SteadyStateOptions& o) {
        if (o.on_iteration) return solve_steady_state(mo, o);
        py::gil_scoped_release rel;
        return solve_steady_state(mo, o);
      },
      py::arg("model"), py::arg("opts") = SteadyStateOptions{},
      "Steady state from steady_state_model (checked) or by Newton from initval; failure is reported in status.");
  m.def(
      "steady_state_options",
      [](const Model& mo, const SteadyStateOptions& base) { return steady_state_options(mo, base); },
      py::arg("model"), py::arg("base") = SteadyStateOptions{},
      "`base` with the options of the model's steady(...) commands applied (nocheck, maxit, tolf, ...).");
  m.def(
      "evaluate_steady_state_model",
      [](const Model& mo, const Vector& exo) {
        Vector p = mo.params();
        Vector y = evaluate_steady_state_model(mo, p, exo);
        return std::make_pair(y, p);
      },
      py::arg("model"), py::arg("exo") = Vector(), "Evaluate steady_state_model: returns (values, params).");

  st.def_readonly("order", &SparseTensor::order)
      .def_readonly("n_rows", &SparseTensor::n_rows)
      .def_readonly("n_cols", &SparseTensor::n_cols)
      .def_readonly("rows", &SparseTensor::rows)
      .def_readonly("cols", &SparseTensor::cols)
      .def_readonly("values", &SparseTensor::values)
      .def("nnz", &SparseTensor::nnz)
      .def("to_dense", &SparseTensor::to_dense)
      .def("__repr__", [](const SparseTensor& t) {
        return "SparseTensor(order=" + std::to_string(t.order) + ", nnz=" + std::to_string(t.nnz()) + ")";
      });
  dv.def_readonly("residuals", &DerivativeValues::residuals)
      .def_property_readonly("jacobian", [](const DerivativeValues& d) { return Matrix(d.jacobian); },
                             "dense Jacobian")
      .def_readonly("jacobian_sparse", &DerivativeValues::jacobian)
      .def_readonly("hessian", &DerivativeValues::hessian)
      .def_readonly("third", &DerivativeValues::third)
      .def_property_readonly("param_residuals", [](const DerivativeValues& d) { return Matrix(d.param_residuals); })
      .def_readonly("param_jacobian", &DerivativeValues::param_jacobian)
      .def("__repr__", [](const DerivativeValues& d) {
        return "DerivativeValues(" + std::to_string(d.jacobian.rows()) + "x" + std::to_string(d.jacobian.cols()) + ")";
      });
  md.def(py::init<const Model&, ModelForm, int, bool>(), py::arg("model"), py::arg("form") = ModelForm::Dynamic,
         py::arg("order") = 1, py::arg("with_params") = false)
      .def_property_readonly("form", &ModelDerivatives::form)
      .def_property_readonly("order", &ModelDerivatives::order)
      .def_property_readonly("n_equations", &ModelDerivatives::n_equations)
      .def_property_readonly("n_columns", &ModelDerivatives::n_columns)
      .def_property_readonly("column_names", &ModelDerivatives::column_names)
      .def_property_readonly("tape_size", &ModelDerivatives::tape_size)
      .def("evaluate", &ModelDerivatives::evaluate, py::arg("point"), py::arg("params"),
           py::arg("steady_state") = Vector(), py::arg("exo") = Vector())
      .def("__repr__", [](const ModelDerivatives& d) {
        return "ModelDerivatives(order=" + std::to_string(d.order()) + ", " + std::to_string(d.n_equations()) + "x" +
               std::to_string(d.n_columns()) + ")";
      });

  mb.def(py::init<std::string>(), py::arg("name") = "model")
      .def("endogenous", &ModelBuilder::endogenous, py::arg("name"), py::arg("long_name") = "", py::arg("tex_name") = "",
           py::return_value_policy::reference_internal)
      .def("exogenous", &ModelBuilder::exogenous, py::arg("name"), py::arg("long_name") = "", py::arg("tex_name") = "",
           py::return_value_policy::reference_internal)
      .def("parameter", &ModelBuilder::parameter, py::arg("name"), py::arg("value"), py::return_value_policy::reference_internal)
      .def("parameter_expr", &ModelBuilder::parameter_expr, py::arg("name"), py::arg("expr"),
           py::return_value_policy::reference_internal)
      .def("linear", &ModelBuilder::linear, py::arg("on") = true, py::return_value_policy::reference_internal)
      .def("local", &ModelBuilder::local, py::arg("name"), py::arg("expr"), py::return_value_policy::reference_internal)
      .def("equation", &ModelBuilder::equation, py::arg("text"), py::arg("tag_name") = "",
           py::return_value_policy::reference_internal)
      .def("steady_state", &ModelBuilder::steady_state, py::arg("name"), py::arg("expr"),
           py::return_value_policy::reference_internal)
      .def("initval", &ModelBuilder::initval, py::arg("name"), py::arg("value"), py::return_value_policy::reference_internal)
      .def("shock_stderr", &ModelBuilder::shock_stderr, py::arg("shock"), py::arg("stderr_value"),
           py::return_value_policy::reference_internal)
      .def("shock_variance", &ModelBuilder::shock_variance, py::arg("shock"), py::arg("variance"),
           py::return_value_policy::reference_internal)
      .def("shock_correlation", &ModelBuilder::shock_correlation, py::arg("a"), py::arg("b"), py::arg("corr"),
           py::return_value_policy::reference_internal)
      .def("command", &ModelBuilder::command, py::arg("name"),
           py::arg("options") = std::vector<std::pair<std::string, std::string>>{}, py::arg("args") = Names{},
           py::return_value_policy::reference_internal)
      .def("mod_text", &ModelBuilder::mod_text)
      .def("build", &ModelBuilder::build)
      .def("__repr__", [](const ModelBuilder&) { return std::string("ModelBuilder()"); });
}

namespace {
const BindingRegistrar reg("dsge", 20, &bind_dsge);
}  // namespace

}  // namespace govsim::python
