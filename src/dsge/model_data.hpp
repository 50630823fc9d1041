#pragma once
// Internal: the shared, immutable structure behind govsim::dsge::Model.
#include <govsim/dsge/model.hpp>

#include "tape.hpp"

#include <memory>
#include <string>
#include <vector>

namespace govsim::dsge::detail {

/// Compiled residual + first-derivative tapes of one model form.
/// A bound of the `ramsey_constraints` block: `var > value`, `var >= value`, `var < value` or
/// `var <= value` (Dynare 5.3 imposes them only in perfect_foresight_solver(lmmcp) on the Ramsey
/// model; see policy::RamseyModel::complementarity_model).
struct RamseyConstraint {
  std::string name;  ///< endogenous variable
  bool lower = true; ///< true for > and >= (a lower bound), false for < and <= (an upper bound)
  double value = 0;  ///< the bound
};

struct FirstOrderTape {
  Tape tape;                                    // outputs: residuals, then jacobian values
  std::vector<std::pair<Index, Index>> pattern; // (row, col) of each jacobian value
  Index n_rows = 0, n_cols = 0;
};

struct ModelData {
  std::string name;
  std::string source_file;  ///< absolute path of the .mod file ("" for text)
  SymbolTable symbols;
  ExprPool pool;
  Index n_declared_endo = 0;
  Vector params;
  std::vector<Equation> equations;
  Index n_declared_equations = 0;
  std::vector<AuxVariable> aux;
  std::vector<LocalVariable> locals;
  bool linear = false;
  Names predetermined;

  bool has_ssm = false;
  std::string steadystate_file;  // <name>_steadystate.m beside the .mod file (MATLAB steady state)
  std::vector<SteadyStateAssignment> ssm;
  Names ss_helpers;

  std::vector<ValueAssignment> initval, endval;
  std::vector<HistvalEntry> histval;
  ShocksSpec shocks;
  std::vector<Command> commands;
  bool has_planner_objective = false;  // a planner_objective statement was read
  ExprId planner_objective = 0;        // its expression (last one wins)
  std::vector<EstimatedParam> estimated_params;
  Names varobs;
  std::vector<OptimWeight> optim_weights;
  Names osr_params;
  std::vector<OsrParamBound> osr_bounds;
  std::vector<RamseyConstraint> ramsey_constraints;
  std::vector<Warning> warnings;

  // dynamic structure
  std::vector<Index> lagged, leads;
  std::vector<Index> col_lag, col_cur, col_lead;  // per endo: column or -1
  Index exo_col0 = 0, n_cols = 0;
  std::vector<ExprId> static_residuals;  // static model (lags removed, STEADY_STATE(x) = x)

  FirstOrderTape dynamic1, static1;

  /// Finish the model: aux variables, dynamic structure, static model, first-order tapes.
  void finalize();
  /// Name of a leaf for printing.
  std::string leaf_name(const ExprNode& n) const;
};

/// Leaf resolvers and variable maps shared by the derivative code.
int dynamic_var_id(const ModelData& d, const ExprNode& n);
int static_var_id(const ExprNode& n);
std::pair<Source, std::uint32_t> dynamic_resolve(const ModelData& d, const ExprNode& n);
std::pair<Source, std::uint32_t> static_resolve(const ExprNode& n);

}  // namespace govsim::dsge::detail
