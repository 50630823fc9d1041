#pragma once
/// \file steady_state.hpp
/// Deterministic steady state of a DSGE model: the steady_state_model block when given (then the
/// static residuals are checked), otherwise a damped Newton solve of the static model from
/// initval with line search, Levenberg-Marquardt fallback, column scaling and homotopy.
/// Failure is reported through Status, never thrown.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>

#include <functional>
#include <string>
#include <vector>

namespace govsim::dsge {

/// Options of solve_steady_state.
struct SteadyStateOptions {
  double tolerance = 1e-10;        ///< max |static residual| accepted by the Newton solver
  double check_tolerance = 1e-8;   ///< max |static residual| accepted after steady_state_model
  int max_iterations = 100;        ///< Newton iterations per attempt
  int homotopy_steps = 16;         ///< steps of the homotopy fallback (0 disables it)
  bool use_steady_state_model = true;  ///< use the steady_state_model block when present
  bool check = true;               ///< check static residuals after steady_state_model (Dynare's nocheck = false)
  Vector initial_guess;            ///< start (default: initval, auxiliaries from their variables)
  Vector exo;                      ///< exogenous values (default: Model::exo_steady_state())
  std::function<bool(const IterationInfo&)> on_iteration;  ///< progress; return false to stop
  /// Throws OptionsError on invalid values.
  void validate() const;
};

/// One equation's residual, for reports.
struct EquationResidual {
  Index equation = 0;      ///< 0-based equation index
  std::string name;        ///< equation tag 'name' or "equation <k>" (1-based)
  std::string text;        ///< the equation as written back
  double residual = 0.0;   ///< value
};

/// Result of solve_steady_state.
struct SteadyStateResult {
  Vector values;           ///< steady state of all endogenous variables (declared, then auxiliaries)
  Names names;             ///< their names
  Vector params;           ///< parameter values (steady_state_model may assign parameters)
  Vector residuals;        ///< static residuals at `values`
  Status status = Status::NotConverged;  ///< outcome
  std::string message;     ///< explanation (worst equations, NaN/Inf variables)
  int iterations = 0;      ///< Newton iterations used
  std::string method;      ///< "steady_state_model", "newton", "homotopy"
  std::vector<EquationResidual> worst_equations;  ///< largest residuals when not converged
  Names bad_variables;     ///< variables that are NaN or infinite
  bool ok() const noexcept { return status == Status::Success; }  ///< converged
  std::string summary() const;  ///< one-paragraph report
};

/// Evaluate the steady_state_model block (no check); throws ModelError if there is none.
/// Returns endogenous values (auxiliaries filled in) and writes assigned parameters to `params`.
/// Variables the block does not assign keep their value in `initial` (default: 0), so a block
/// may be conditional on some variables (e.g. the instruments of a Ramsey problem).
Vector evaluate_steady_state_model(const Model& model, Vector& params, const Vector& exo = Vector(),
                                   const Vector& initial = Vector());

/// `base` with the options of a `steady(...)` command applied, as Dynare reads them: `nocheck`
/// (check = false: the steady_state_model values are used even when they do not solve the
/// static model, e.g. for unit-root models), `maxit` (max_iterations), `tolf` (tolerance),
/// `homotopy_steps`. `solve_algo`, `tolx`, `markowitz`, `homotopy_mode` and `noprint` are
/// accepted (govsim uses its own solver). Throws OptionsError, naming the command's location,
/// for invalid values (maxit=0, tolf=-1, solve_algo=99, non-numbers).
SteadyStateOptions steady_state_options(const Command& steady, SteadyStateOptions base = {});

/// Steady-state options in effect for `model`: `base` with the options of each of its `steady`
/// commands applied in order (Dynare keeps them for later commands).
SteadyStateOptions steady_state_options(const Model& model, SteadyStateOptions base = {});

/// Compute the steady state (see file comment).
SteadyStateResult solve_steady_state(const Model& model, const SteadyStateOptions& opts = {});

}  // namespace govsim::dsge
