#pragma once
/// \file occbin.hpp
/// Occasionally binding constraints in a first-order (piecewise-linear) solution, after
/// Guerrieri and Iacoviello (2015), "OccBin: a toolkit for solving dynamic models with
/// occasionally binding constraints easily", JME 70.
///
/// The model is linearized at its steady state, where the constraint is slack (reference
/// regime). In the binding regime the constraint equation (for example `R = max(1, Rn)`) is
/// replaced by `variable = bound`. Given a guess of the periods in which the constraint binds,
/// the time-varying decision rules y_t = P_t y_{t-1} + D_t are found backwards from the last
/// binding period (after which the reference rule applies), the path is simulated forwards and
/// the guess is updated from the sign of `shadow − bound` until it no longer changes. Shocks are
/// known from period 1, as in a perfect-foresight simulation, so results compare directly with
/// solve_perfect_foresight(): for a model that is linear apart from the kink both give the same
/// paths.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perfect_foresight.hpp>

#include <string>
#include <vector>

namespace govsim::dsge {

/// The occasionally binding constraint: `variable >= bound` (lower) or `<= bound` (upper),
/// binding when `shadow` (the unconstrained value) crosses the bound.
struct OccBinConstraint {
  std::string variable;     ///< constrained variable (e.g. "R")
  std::string shadow;       ///< its unconstrained (notional) value (e.g. "Rn")
  double bound = 0.0;       ///< level of the bound (e.g. 1 for a gross rate)
  bool lower = true;        ///< true: lower bound (max), false: upper bound (min)
  Index equation = -1;      ///< 0-based equation replaced when binding; -1: the first with max( or min(
};

/// Options of solve_occbin().
struct OccBinOptions {
  int max_iterations = 100;   ///< regime-guess updates
  double qz_criterium = 1.0 + 1e-6;  ///< for the reference first-order solution
  /// Throws OptionsError for max_iterations < 1.
  void validate() const;
};

/// Piecewise-linear paths and the binding periods.
struct OccBinResult {
  Names endo_names;           ///< columns of paths
  Matrix paths;               ///< (T+2) x n_endo levels, row 0 initial condition, T+1 steady state
  std::vector<int> binding;   ///< 1 in the periods (0..T+1) where the constraint binds
  Status status = Status::NotConverged;  ///< Success when the regime sequence is consistent
  std::string message;        ///< diagnostic
  int iterations = 0;         ///< guess updates
  /// True when a consistent regime sequence was found.
  bool ok() const { return status == Status::Success; }
  /// Binding periods as a list.
  std::vector<int> binding_periods() const;
  /// One-line report.
  std::string summary() const;
};

/// Solve the piecewise-linear model with shocks known from period 1.
/// \param model parsed model whose steady state leaves the constraint slack
/// \param constraint the constraint
/// \param problem exogenous paths ((T+2) x n_exo levels) and initial condition, as for
///        solve_perfect_foresight (the terminal condition is the steady state)
/// \param opts options
/// \return paths, binding periods, status (NoStableSolution etc. when the first order fails,
///         MaxIterations when the guesses cycle)
/// \throws ModelError for unknown variables or no kink equation; DimensionError on sizes
/// \code
///   auto prob = make_perfect_foresight_problem(m, 100);
///   auto ob = solve_occbin(m, {"R", "Rn", 1.0}, prob);
/// \endcode
OccBinResult solve_occbin(const Model& model, const OccBinConstraint& constraint, const PerfectForesightProblem& problem,
                          const OccBinOptions& opts = {});

}  // namespace govsim::dsge
