#pragma once
/// \file model.hpp
/// A DSGE model read from Dynare's .mod language (or built with ModelBuilder): symbols, the
/// equations as an expression DAG with leads and lags of at most one (auxiliary variables added
/// as Dynare does), the calibration, the initval/endval/histval and shocks blocks, and the
/// ordered list of commands for later execution.
///
/// Reading does not solve anything: the steady state, the perturbation solutions and the
/// commands are run by steady_state.hpp, perturbation.hpp and run_commands.hpp. A Model is cheap
/// to copy; each copy has its own parameter values. Errors in the source are located:
/// ParseError carries file, line, column and an excerpt; parse warnings (unknown commands or
/// options, unused shocks) are kept in Model::warnings().
///
/// \code
/// auto m = govsim::dsge::parse_model_file("rbc.mod", {{{"ZLB", "0"}}, {}});
/// m.set_param("beta", 0.98);
/// for (const auto& cmd : m.commands()) std::cout << cmd.name << " at " << cmd.where.to_string() << "\n";
/// \endcode

#include <govsim/core/types.hpp>
#include <govsim/dsge/expr.hpp>
#include <govsim/dsge/linearized.hpp>
#include <govsim/dsge/symbols.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace govsim::dsge {

namespace detail {
struct ModelData;
}

/// Where something is in the source: file name, 1-based line and column.
struct SourceLocation {
  std::string file;  ///< file name ("<string>" or the name given to parse_model)
  int line = 0;      ///< 1-based line (0 if unknown)
  int column = 0;    ///< 1-based column (0 if unknown)
  /// "file:line:column" (or "file:line").
  std::string to_string() const;
};

/// A non-fatal diagnostic (unknown command or option, unused shock...). The library never prints:
/// warnings are collected in the Model.
struct Warning {
  std::string message;    ///< what happened
  SourceLocation where;   ///< where
  /// "message at file:line:col".
  std::string to_string() const;
};

/// One `key=value` option of a command (value empty for flags such as `nograph`). Strings are
/// unquoted; lists keep their source text, e.g. "(e1,e2)" or "[1 4 8]".
struct CommandOption {
  std::string key;    ///< option name
  std::string value;  ///< raw value text, "" for a flag
};

struct ShocksSpec;

/// A command of the .mod file (steady, check, stoch_simul, osr, estimation,
/// perfect_foresight_setup, ...) in source order.
struct Command {
  std::string name;                     ///< command name
  std::vector<CommandOption> options;   ///< options in source order
  Names args;                           ///< variable list after the options
  SourceLocation where;                 ///< location of the command name
  bool supported = true;                ///< false for commands govsim does not know (see warnings)
  /// Parameter values when the file reaches the command. Dynare runs the file in order, so an
  /// assignment after the command does not apply to it. Empty for a command built in code (the
  /// model's values apply).
  Vector params;
  /// The shocks blocks in effect when the file reaches the command (blocks after it do not apply
  /// to it); null for a command built in code (the model's shocks apply).
  std::shared_ptr<const ShocksSpec> shocks;
  /// Value of an option, if given.
  std::optional<std::string> option(const std::string& key) const;
  /// True if the option is present (flag or key=value).
  bool has_option(const std::string& key) const { return option(key).has_value(); }
  /// Finite number or `fallback` when absent (CommandOptionReader::real: OptionsError otherwise).
  double option_number(const std::string& key, double fallback) const;
};

/// One equation: `lhs = rhs` (rhs is 0 when written without `=`); residual = lhs - rhs.
struct Equation {
  ExprId lhs = 0;                      ///< left-hand side
  ExprId rhs = 0;                      ///< right-hand side
  ExprId residual = 0;                 ///< lhs - rhs
  std::vector<std::pair<std::string, std::string>> tags;  ///< `[name='...', ...]` tags in order
  SourceLocation where;                ///< location in the source ("<auxiliary>" for aux equations)
  /// Value of the `name` tag, or "".
  std::string name() const;
};

/// A `#` model-local variable (already substituted into the equations).
struct LocalVariable {
  std::string name;  ///< name
  ExprId expr = 0;   ///< definition
};

/// One assignment of a steady_state_model block. The target is an endogenous variable, a
/// parameter, or a helper name (`Helper` leaves in later expressions refer to it).
struct SteadyStateAssignment {
  std::string target;                      ///< assigned name
  std::optional<SymbolType> target_type;   ///< type if a declared symbol, nullopt for a helper
  Index target_index = -1;                 ///< index in its kind, or helper index
  ExprId expr = 0;                         ///< right-hand side
  SourceLocation where;                    ///< location
};

/// An initval/endval entry: `name = value;` (endogenous or exogenous).
struct ValueAssignment {
  std::string name;                       ///< variable
  SymbolType type = SymbolType::Endogenous;  ///< its kind
  Index index = 0;                        ///< its index
  double value = 0.0;                     ///< evaluated value
};

/// A histval entry: `name(lag) = value;`.
struct HistvalEntry {
  std::string name;   ///< variable
  Index index = 0;    ///< endogenous index
  int lag = 0;        ///< 0, -1, -2, ...
  double value = 0.0; ///< value
};

/// A stochastic entry of a shocks block.
struct StochasticShock {
  /// What the entry sets.
  enum class Kind {
    Stderr,      ///< `var e; stderr s;`
    Variance,    ///< `var e = v;`
    Covariance,  ///< `var e1, e2 = c;`
    Correlation  ///< `corr e1, e2 = r;`
  };
  Kind kind = Kind::Stderr;  ///< what the entry sets
  std::string name1;   ///< shock
  std::string name2;   ///< second shock (covariance, correlation)
  double value = 0.0;  ///< evaluated value
  SourceLocation where;  ///< location of the entry
  /// Ordinal of the shocks block holding the entry (0 for the first block of the file). Within a
  /// block Dynare sets the variances first, then the covariances and correlations.
  int block = 0;
};

/// A deterministic entry of a shocks block: `var e; periods 1:4 6; values -0.02 0.01;`.
struct DeterministicShock {
  std::string name;                          ///< exogenous variable
  std::vector<std::pair<int, int>> periods;  ///< ranges [first, last], 1-based, one per value
  std::vector<double> values;                ///< value of each range
  SourceLocation where;                      ///< location of the entry
};

/// Contents of the `shocks` blocks in effect, in source order (a `shocks(overwrite)` block drops
/// the entries of the blocks before it).
struct ShocksSpec {
  std::vector<StochasticShock> stochastic;        ///< variances, covariances, correlations
  std::vector<DeterministicShock> deterministic;  ///< `periods` / `values` entries
};

/// One line of `estimated_params`.
struct EstimatedParam {
  /// What is estimated.
  enum class Kind { Parameter, Stderr, Corr };
  Kind kind = Kind::Parameter;  ///< a parameter, a shock's standard deviation or a correlation
  std::string name;   ///< parameter or shock
  std::string name2;  ///< second shock for Corr
  double init = std::numeric_limits<double>::quiet_NaN();   ///< initial value (NaN if not given)
  double lower = -std::numeric_limits<double>::infinity();  ///< lower bound
  double upper = std::numeric_limits<double>::infinity();   ///< upper bound
  std::string prior_shape;  ///< "" (ML), "normal_pdf", "beta_pdf", "gamma_pdf", "inv_gamma_pdf", ...
  double prior_mean = std::numeric_limits<double>::quiet_NaN();  ///< prior mean
  double prior_std = std::numeric_limits<double>::quiet_NaN();   ///< prior standard deviation
  double prior_p3 = std::numeric_limits<double>::quiet_NaN();    ///< 3rd prior parameter
  double prior_p4 = std::numeric_limits<double>::quiet_NaN();    ///< 4th prior parameter
  double jscale = std::numeric_limits<double>::quiet_NaN();      ///< MH jump scale
  SourceLocation where;  ///< location of the line
};

/// One `optim_weights` entry: `y 0.25;` (var1 == var2) or `y, g -0.5;` (cross term).
struct OptimWeight {
  std::string var1;     ///< first variable
  std::string var2;     ///< second variable (same as var1 for a variance weight)
  double weight = 0.0;  ///< weight
};

/// One `osr_params_bounds` entry.
struct OsrParamBound {
  std::string name;  ///< parameter
  double lower = -std::numeric_limits<double>::infinity();  ///< lower bound
  double upper = std::numeric_limits<double>::infinity();   ///< upper bound
};

/// A DSGE model. Copies are cheap (the structure is shared and immutable); parameter values
/// belong to each copy and can be changed with set_param().
class Model {
 public:
  Model();  ///< an empty model (no symbols, no equations)

  const std::string& name() const;          ///< model name (file stem)
  /// Absolute path of the .mod file the model was read from ("" for text): file options of
  /// commands (`datafile=`, `initval_file(filename=...)`) resolve relative to its folder.
  const std::string& source_file() const;
  const SymbolTable& symbols() const;       ///< declared symbols
  const ExprPool& pool() const;             ///< expression nodes

  Index n_endo() const;          ///< endogenous variables including auxiliaries
  Index n_declared_endo() const; ///< endogenous variables declared by the user
  Index n_exo() const;           ///< exogenous variables
  Index n_exo_det() const;       ///< deterministic exogenous variables
  Index n_params() const;        ///< parameters

  Names endo_names() const;      ///< declared first, auxiliaries last
  Names exo_names() const;       ///< exogenous, declaration order
  Names exo_det_names() const;   ///< deterministic exogenous
  Names param_names() const;     ///< parameters, declaration order

  /// Parameter values (NaN if never set). Parameters assigned in steady_state_model (endogenous
  /// calibration) hold the values that block computes from the others, as in Dynare after its
  /// steady-state computation; they are recomputed after every set_param/set_params.
  const Vector& params() const noexcept { return params_; }
  double param(const std::string& name) const;               ///< value by name (ModelError if unknown)
  void set_param(const std::string& name, double value);     ///< set by name (ModelError if unknown)
  void set_params(const Vector& values);                     ///< set all (DimensionError on size)

  /// Equations of the dynamic model: the user's (declaration order), then one per auxiliary.
  const std::vector<Equation>& equations() const;
  Index n_declared_equations() const;       ///< equations written by the user
  std::string equation_string(Index i) const;  ///< `lhs = rhs` as text
  std::string expr_string(ExprId e) const;     ///< an expression as text
  const std::vector<AuxVariable>& aux_variables() const;  ///< auxiliaries (after declared variables)
  const std::vector<LocalVariable>& local_variables() const;  ///< `#` locals
  bool linear() const;                                   ///< declared with model(linear)
  Names predetermined_variables() const;                 ///< predetermined_variables

  bool has_steady_state_model() const;                   ///< a steady_state_model block exists
  const std::vector<SteadyStateAssignment>& steady_state_model() const;  ///< its assignments
  const Names& steady_state_helpers() const;            ///< helper names of that block
  /// Path of a MATLAB steady-state file `<name>_steadystate.m` found beside the .mod file when the
  /// model has no steady_state_model block (Dynare would call it; govsim cannot), else "".
  const std::string& steady_state_file() const;

  const std::vector<ValueAssignment>& initval() const;  ///< initval entries
  const std::vector<ValueAssignment>& endval() const;   ///< endval entries
  const std::vector<HistvalEntry>& histval() const;     ///< histval entries
  /// Shocks blocks: all those of the file, or the ones installed with set_shocks().
  const ShocksSpec& shocks() const;
  /// Install other shocks blocks in this copy (e.g. Command::shocks, the blocks in effect at a
  /// command); null restores the file's.
  /// \param shocks the blocks
  void set_shocks(std::shared_ptr<const ShocksSpec> shocks);
  /// Covariance of the shocks (n_exo x n_exo) as Dynare builds M_.Sigma_e: the entries applied in
  /// source order, block by block; in each block the variances and standard errors first, then the
  /// covariances and correlations (a correlation uses the variances set so far; a later block that
  /// changes a variance keeps the covariance).
  Matrix Sigma_e() const;
  Vector initval_endo() const;   ///< initial guess from initval for all endogenous (0 if unset)
  Vector exo_steady_state() const;  ///< exogenous values from initval (0 if unset)

  const std::vector<Command>& commands() const;                 ///< commands in source order
  const std::vector<EstimatedParam>& estimated_params() const;  ///< estimated_params block
  const Names& varobs() const;                                  ///< observed variables
  const std::vector<OptimWeight>& optim_weights() const;        ///< optim_weights block
  const Names& osr_params() const;                              ///< osr_params
  const std::vector<OsrParamBound>& osr_params_bounds() const;  ///< osr_params_bounds
  const std::vector<Warning>& warnings() const;                 ///< parse warnings

  // ---- dynamic structure: columns (lagged, current, leads, exo) in Dynare's order -------------
  const std::vector<Index>& lagged_variables() const;  ///< endo appearing at t-1 (declaration order)
  const std::vector<Index>& lead_variables() const;    ///< endo appearing at t+1
  Index n_dynamic_columns() const;                      ///< lagged + n_endo + leads + n_exo
  Names dynamic_column_names() const;                   ///< e.g. "k(-1)", "c", "c(+1)", "e"
  /// Dynamic point (column layout) with every variable at `steady_state` and the shocks at `exo`
  /// (default: exo_steady_state()).
  Vector dynamic_point(const Vector& steady_state, const Vector& exo = Vector()) const;

  // ---- evaluation (compiled tapes) --------------------------------------------------------------
  /// Residuals of the static model at endogenous values y (exo default: exo_steady_state()).
  Vector static_residuals(const Vector& y, const Vector& exo = Vector()) const;
  /// Jacobian of the static model wrt endogenous variables (dense n_endo x n_endo).
  Matrix static_jacobian(const Vector& y, const Vector& exo = Vector()) const;
  /// Residuals of the dynamic model at a point in column layout; `steady_state` feeds
  /// STEADY_STATE() (default: the point's current values).
  Vector dynamic_residuals(const Vector& x, const Vector& steady_state = Vector()) const;
  /// Dynamic Jacobian (n_equations x n_dynamic_columns) at a point in column layout.
  Matrix dynamic_jacobian(const Vector& x, const Vector& steady_state = Vector()) const;

  /// JSON dump of the model (symbols, equations, parameters, blocks, commands, warnings).
  std::string to_json() const;

  /// Internal: shared structure (used by the derivative and steady-state code).
  const detail::ModelData& data() const { return *data_; }
  /// Internal: build from parsed data.
  explicit Model(std::shared_ptr<const detail::ModelData> data);

 private:
  void update_derived_params();  // parameters assigned by steady_state_model
  std::shared_ptr<const detail::ModelData> data_;
  Vector params_;
  std::shared_ptr<const ShocksSpec> shocks_;  // set_shocks(); null: data_->shocks
};

/// Options of the .mod reader.
struct ParseOptions {
  /// Macro definitions as if given with `-D` on Dynare's command line (`{"ZLB", "0"}`).
  std::vector<std::pair<std::string, std::string>> defines;
  /// Extra folders searched by @#include after the including file's folder.
  std::vector<std::string> include_paths;
};

/// Read a model from .mod source text.
/// \param source the text
/// \param name names the source in messages and SourceLocation::file
/// \param opts macro definitions and include folders
/// \return the model
/// \throws ParseError (with file, line, column and excerpt) or ModelError
Model parse_model(std::string_view source, const std::string& name = "<string>", const ParseOptions& opts = {});

/// Read a model from a .mod file; @#include is resolved relative to the including file.
/// \param path the file
/// \param opts macro definitions and include folders
/// \return the model
/// \throws ParseError or ModelError as parse_model(); govsim::Error when the file cannot be read
Model parse_model_file(const std::string& path, const ParseOptions& opts = {});

/// Run only the macro processor and return the expanded text (for debugging).
/// \param source the text
/// \param name names the source in messages
/// \param opts macro definitions and include folders
/// \return the text after @#define / @#if / @#for / @#include expansion
std::string preprocess_model(std::string_view source, const std::string& name = "<string>",
                             const ParseOptions& opts = {});

/// First-order information at a steady state in Dynare's layout (see linearized.hpp):
/// the dynamic Jacobian at (ss, ss, ss, exo_steady_state) and Sigma_e from the shocks blocks.
/// \param model the model
/// \param steady_state values of all endogenous variables (declared, then auxiliaries)
/// \return the Jacobian blocks and the shock covariance
/// \throws DimensionError when steady_state has the wrong size
LinearizedModel linearize(const Model& model, const Vector& steady_state);

}  // namespace govsim::dsge
