#pragma once
/// \file discretion.hpp
/// Optimal policy under discretion (Dynare's `discretionary_policy`) for linear models with a
/// quadratic `planner_objective` (a loss, minimised), solved with the algorithm of R. Dennis
/// (2007), "Optimal policy in rational expectations models: new solution algorithms",
/// Macroeconomic Dynamics 11(1), as Dynare 5.3 implements it: fixed-point iteration on the
/// decision rules y_t = H1 y_{t-1} + H2 u_t, i_t = F1 y_{t-1} + F2 u_t of the non-instrument
/// variables y and instruments i, with the value matrix P from a discounted Sylvester equation
/// solved by doubling.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <string>

namespace govsim::policy {

/// Options of solve_discretion(). Empty fields come from the model's `planner_objective` and
/// `discretionary_policy` statements.
struct DiscretionOptions {
  Names instruments;             ///< instruments (default: the statement's `instruments`)
  std::string planner_objective; ///< quadratic loss in .mod syntax (default: planner_objective)
  std::string planner_discount;  ///< discount (default: `planner_discount` or `discount`, else 1)
  double tolerance = 1e-13;      ///< max change of [H1; F1] between iterations (Dynare: discretionary_tol)
  int max_iterations = 3000;     ///< iterations of the fixed point (Dynare: dp.maxit)
  double qz_criterium = 1.0 + 1e-6;  ///< eigenvalues of the solution above this: unstable
  /// Throws OptionsError on invalid values.
  void validate() const;
};

/// Loss of the discretionary solution (Dynare's evaluate_planner_objective for discretion, with
/// the objective as given: a loss is positive).
struct DiscretionObjectiveValue {
  double unconditional = 0.0;  ///< E[sum beta^t U_t] = E[U] / (1 - beta)
  double conditional = 0.0;    ///< sum beta^t E_0 U_t from the steady state (no initial shock)
};

/// Result of solve_discretion().
struct DiscretionResult {
  Names instruments;                  ///< instruments
  double discount = 0.0;              ///< planner discount factor
  Matrix loss_weights;                ///< Hessian of the objective wrt the endogenous variables
  dsge::PerturbationResult solution;  ///< decision rules (ghx, ghu, A, B) in Dynare's layout
  DiscretionObjectiveValue objective; ///< planner objective
  int iterations = 0;                 ///< fixed-point iterations
  Status status = Status::NotConverged;  ///< Success, MaxIterations, NoStableSolution, NumericalIssue
  std::string message;                ///< explanation on failure
  bool ok() const noexcept { return status == Status::Success; }  ///< solved
};

/// Solve for optimal discretionary policy (see file comment).
/// \param model a linear model with fewer equations than endogenous variables, residuals zero at
///   the origin (or a steady_state_model giving its steady state)
/// \param opts instruments, loss, discount and iteration controls
/// \throws ModelError for a missing objective, unknown instruments or a wrong number of them, a
///   non-quadratic objective (non-zero gradient at the steady state) or nonzero residuals at the
///   steady state; OptionsError for invalid options
DiscretionResult solve_discretion(const dsge::Model& model, const DiscretionOptions& opts = {});

}  // namespace govsim::policy
