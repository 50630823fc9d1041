#pragma once
/// \file perfect_foresight.hpp
/// Deterministic (perfect-foresight) simulation of a nonlinear model: the model is stacked over
/// T periods between an initial condition (period 0) and a terminal condition (period T+1) and
/// the resulting system of T·n equations is solved by Newton's method on the sparse
/// block-tridiagonal Jacobian (Juillard 1996, Dynare's `perfect_foresight_solver`).
///
/// Conventions (Dynare's `oo_.endo_simul'` and `oo_.exo_simul`):
/// - paths have T+2 rows: row 0 is the initial condition, rows 1..T the simulated periods and
///   row T+1 the terminal condition; columns are all endogenous variables (declared first,
///   auxiliaries last);
/// - the exogenous paths have T+2 rows as well; the equations of period t use row t;
/// - shocks are levels of the exogenous variables (as `values` in a `shocks` block).
///
/// `max` and `min` (the zero lower bound) are handled with their one-sided derivatives, which
/// the compiled derivatives already produce; Newton then behaves as a semismooth method.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>

#include <functional>
#include <string>
#include <vector>

namespace govsim::dsge {

/// Options of solve_perfect_foresight().
struct PerfectForesightOptions {
  int periods = 100;               ///< T, the number of simulated periods (Dynare's `periods`)
  double tolerance = 1e-10;        ///< max |stacked residual| accepted (Dynare's `tolf`)
  double step_tolerance = 1e-13;   ///< also converged when the Newton step's max norm is below this
                                   ///< and the residual is below sqrt(tolerance)
  int max_iterations = 50;         ///< Newton iterations per attempt (Dynare's `maxit`)
  int polish_steps = 1;            ///< extra Newton steps after convergence, kept while they reduce
                                   ///< the residual (cheap: the Jacobian pattern is reused)
  bool line_search = true;         ///< backtracking (Armijo) line search on the residual norm
  bool homotopy = true;            ///< when Newton fails, move the shocks (and the initial
                                   ///< condition) gradually from the terminal steady state
  int homotopy_max_steps = 100;    ///< homotopy steps before giving up
  double homotopy_min_step = 1e-4; ///< smallest homotopy step on the shock share
  /// Progress: called after each Newton iteration (objective = max |residual|, stage
  /// "newton" or "homotopy"); return false to stop (status UserStopped).
  std::function<bool(const IterationInfo&)> on_iteration;

  /// Throws OptionsError for periods < 1, non-positive tolerances or iteration limits.
  void validate() const;
};

/// A stacked problem: boundary conditions, exogenous paths and a starting guess.
/// make_perfect_foresight_problem() fills it from the model's blocks; any field can then be
/// changed (for example a shock path set from Python).
struct PerfectForesightProblem {
  Names endo_names;      ///< all endogenous variables (declared first, auxiliaries last)
  Names exo_names;       ///< exogenous variables (columns of exo)
  Vector initial;        ///< values at period 0 (n_endo): steady state, overwritten by histval
  Vector terminal;       ///< values at period T+1 (n_endo): steady state, or endval steady state
  Vector steady_state;   ///< value used by STEADY_STATE() in the equations (default: terminal)
  Matrix exo;            ///< exogenous paths, (T+2) x n_exo, rows periods 0..T+1
  Matrix guess;          ///< starting guess, T x n_endo (empty: terminal in every period)
  /// Number of simulated periods T (rows of exo minus 2).
  Index periods() const { return exo.rows() - 2; }
};

/// Outcome of a perfect-foresight simulation.
struct PerfectForesightResult {
  Names endo_names;        ///< all endogenous variables (columns of paths)
  Names exo_names;         ///< exogenous variables (columns of exo)
  Matrix paths;            ///< (T+2) x n_endo: initial period, T simulated periods, terminal period
  Matrix exo;              ///< exogenous paths used, (T+2) x n_exo
  Status status = Status::NotConverged;  ///< Success when max |residual| <= tolerance
  std::string message;     ///< explanation
  int iterations = 0;      ///< Newton iterations (all attempts and homotopy steps)
  double max_residual = 0; ///< max |residual| of the stacked system at `paths`
  int worst_period = 0;    ///< period (1..T) of the largest residual
  Index worst_equation = -1;   ///< 0-based equation of the largest residual
  std::string worst_equation_name;  ///< its tag name, or "equation k" (1-based)
  int homotopy_steps = 0;  ///< homotopy steps taken (0: plain Newton worked)
  double shock_share = 1;  ///< share of the shocks solved for (1 unless the homotopy failed)

  /// True when the stacked system was solved.
  bool ok() const { return status == Status::Success; }
  /// One-paragraph report: status, iterations, largest residual with its period and equation.
  std::string summary() const;
};

/// Build the stacked problem from the model's blocks: the steady state (initval exogenous
/// values) as initial condition, `histval` entries on top of it (lags below 0 go to the
/// auxiliary lag variables), the steady state with `endval` values (solved from them) as
/// terminal condition when an endval block exists, and the deterministic `shocks` (`periods`,
/// `values`) on top of the exogenous paths.
/// \param model parsed model (its current parameter values are used)
/// \param periods number of simulated periods T
/// \return the problem
/// \throws OptionsError when periods < 1 or a shock falls after period T;
///         ModelError for a histval entry that cannot be placed;
///         SolveError when a steady state cannot be computed
/// \code
///   auto m = govsim::dsge::parse_model_file("nk_zlb.mod");
///   auto prob = govsim::dsge::make_perfect_foresight_problem(m, 100);
///   auto res = govsim::dsge::solve_perfect_foresight(m, prob);
/// \endcode
PerfectForesightProblem make_perfect_foresight_problem(const Model& model, int periods);

/// Solve a stacked perfect-foresight problem by Newton's method (sparse LU of the
/// block-tridiagonal Jacobian, backtracking line search, homotopy on the shock size when
/// Newton fails).
/// \param model parsed model
/// \param problem boundary conditions, exogenous paths (T+2 rows) and guess
/// \param opts options (opts.periods is ignored: T comes from problem.exo)
/// \return paths with status, iterations and the largest residual's period and equation
/// \throws DimensionError when the problem's sizes do not match the model; OptionsError
PerfectForesightResult solve_perfect_foresight(const Model& model, const PerfectForesightProblem& problem,
                                               const PerfectForesightOptions& opts = {});

/// Convenience: make_perfect_foresight_problem(model, opts.periods) then solve it.
PerfectForesightResult solve_perfect_foresight(const Model& model, const PerfectForesightOptions& opts = {});

/// One shock of a scenario: `shock` takes `value` (a level, as in a shocks block) in `period`
/// (1-based), and agents learn it at the start of `known_from` (1 = anticipated from the start,
/// known_from == period = a surprise).
struct ShockEvent {
  std::string shock;   ///< exogenous variable
  int period = 1;      ///< period in which it hits (1..T)
  double value = 0.0;  ///< level of the exogenous variable in that period
  int known_from = 1;  ///< first period in which agents know it (1..period)
};

/// Simulate shock events that are learnt at different dates: one perfect-foresight solve per
/// information date, each from the state reached so far, with the shocks known at that date
/// (unknown ones at their baseline value); the reported path stitches the periods between
/// information dates. With every event known from period 1 this equals one solve.
/// \param model parsed model
/// \param base problem with the baseline exogenous paths (from make_perfect_foresight_problem)
/// \param events shock events (overwrite base.exo in their period once known)
/// \param opts solver options
/// \return stitched paths ((T+2) x n_endo), status of the worst solve
/// \throws ModelError for an unknown shock; OptionsError for periods outside 1..T or
///         known_from outside 1..period
PerfectForesightResult solve_perfect_foresight_events(const Model& model, const PerfectForesightProblem& base,
                                                      const std::vector<ShockEvent>& events,
                                                      const PerfectForesightOptions& opts = {});

}  // namespace govsim::dsge
