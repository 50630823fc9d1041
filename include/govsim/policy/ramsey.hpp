#pragma once
/// \file ramsey.hpp
/// Optimal policy under commitment (Dynare's `ramsey_model` / `ramsey_policy`).
///
/// The planner maximises E_0 sum_t beta^t U(y_t) subject to the model's equations f_i = 0 (the
/// model has fewer equations than variables; the missing equations are the policy
/// instruments'). As Dynare does, the Lagrangian L_t = U(y_t) + sum_i MULT_i,t f_i(y_{t-1}, y_t,
/// y_{t+1}, u_t) is differentiated symbolically with respect to every endogenous variable at every
/// date it appears, shifted back to date t and discounted by beta^(-lag):
///   0 = sum_lag beta^(-lag) [dL/dy(lag)](shifted by -lag).
/// The Ramsey model is these first-order conditions (one per endogenous variable, first) followed
/// by the original equations, with the multipliers MULT_1..MULT_n as new endogenous variables and
/// the parameter `optimal_policy_discount_factor`. Its steady state is found as in Dynare's
/// dyn_ramsey_static: with a steady_state_model block the block is treated as conditional on the
/// instruments (the instruments are solved for), otherwise the whole static Ramsey model is
/// solved; the multipliers enter the first-order conditions linearly. The first-order solution
/// is that of the Ramsey model (dsge::solve_first_order).

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/second_order.hpp>

#include <optional>
#include <string>

namespace govsim::policy {

/// What defines the planner's problem. Empty fields are read from the model's
/// `planner_objective` and `ramsey_model` (or `ramsey_policy`) statements.
struct RamseyOptions {
  Names instruments;             ///< policy instruments (endogenous variables)
  std::string planner_objective; ///< one-period objective U(y_t) in .mod syntax (maximised)
  std::string planner_discount;  ///< discount factor: a number or an expression of the parameters
  double tolerance = 1e-12;      ///< steady state: max |residual| of the Ramsey static model
  int max_iterations = 100;      ///< steady state: Newton iterations
  dsge::PerturbationOptions perturbation;  ///< first-order solution options
  /// Approximation of the planner objective: 1 (Dynare's order-1 formulas) or 2 (Dynare's
  /// order-2 formulas: the linear-quadratic branch for a linear Ramsey model, otherwise the
  /// second-order solution of the Ramsey model, which solve_ramsey() then also computes).
  int objective_order = 1;
  /// Throws OptionsError on invalid values.
  void validate() const;
};

/// The planner's first-order conditions as a model.
struct RamseyModel {
  dsge::Model model;         ///< FOCs (one per original endogenous variable) then original equations
  std::string mod_text;      ///< the same model as .mod text
  Names instruments;         ///< instruments
  Names multipliers;         ///< MULT_1..MULT_n, one per original equation (in equation order)
  Index n_original_endo = 0; ///< endogenous variables of the original model (incl. auxiliaries)
  std::string planner_objective;  ///< U(y_t) as text
  double discount = 0.0;     ///< value of the planner discount factor
  /// With a `ramsey_constraints` block: the Ramsey model with the first-order condition F_k of
  /// each bounded variable x_k written as the complementarity condition Dynare 5.3's
  /// perfect_foresight_solver(lmmcp) imposes (x_k = lb => F_k >= 0, lb < x_k < ub => F_k = 0,
  /// x_k = ub => F_k <= 0), i.e. min(x_k - lb, max(x_k - ub, F_k)) = 0. Empty without constraints.
  std::optional<dsge::Model> complementarity_model;
};

/// Welfare of the planner (Dynare's evaluate_planner_objective at order 1 or 2).
struct PlannerObjectiveValue {
  /// E[W] = E[U] / (1 - beta): U(ybar) / (1 - beta) at order 1; at order 2 E[U] is the
  /// second-order expansion of U around the steady state with the second-order mean of the states.
  double unconditional = 0.0;
  /// W at the deterministic steady state with the lagged multipliers at their steady state.
  double conditional_steady_initial_multiplier = 0.0;
  /// W at the deterministic steady state with the lagged multipliers set to 0 (the planner
  /// starts optimising at date 0 without past promises).
  double conditional_zero_initial_multiplier = 0.0;
};

/// Everything computed by solve_ramsey().
struct RamseyResult {
  RamseyModel ramsey;                 ///< the derived model
  Vector steady_state;                ///< steady state of the Ramsey model (endogenous, then multipliers)
  Vector params;                      ///< parameters of the Ramsey model at the steady state
  double steady_state_residual = 0.0; ///< max |static residual| of the Ramsey model
  std::string steady_state_method;    ///< "steady_state_model+instruments" or "newton"
  dsge::PerturbationResult solution;  ///< first-order solution of the Ramsey model
  /// Second-order solution of the Ramsey model (objective_order = 2 on a nonlinear Ramsey model).
  std::optional<dsge::SecondOrderResult> second;
  PlannerObjectiveValue objective;    ///< welfare at the order of RamseyOptions::objective_order
  Status status = Status::NotConverged;  ///< Success when steady state and solution were found
  std::string message;                ///< explanation on failure
  bool ok() const noexcept { return status == Status::Success; }  ///< solved
};

/// Derive the planner's first-order conditions of `model` (see file comment).
/// \param model a model with fewer equations than endogenous variables
/// \param opts instruments, objective and discount (defaults from the model's statements)
/// \throws ModelError if there is no objective, the instruments are unknown, or the number of
///   instruments differs from the number of missing equations; ParseError if the objective or
///   discount cannot be read
RamseyModel derive_ramsey_model(const dsge::Model& model, const RamseyOptions& opts = {});

/// Steady state of a Ramsey model. `original` supplies the steady_state_model block (conditional
/// on the instruments) and the initval guesses. Returns values of `ramsey.model`'s endogenous
/// variables; `params` receives parameters assigned by the block. Failure is reported through
/// `status`/`message`.
Vector ramsey_steady_state(const dsge::Model& original, const RamseyModel& ramsey, const RamseyOptions& opts,
                           Vector& params, Status& status, std::string& message, double& residual,
                           std::string& method);

/// Welfare of the Ramsey solution (Dynare 5.3's evaluate_planner_objective, no histval, shocks at
/// zero in the first period) at order 1 or 2. At order 2 on a nonlinear Ramsey model the
/// second-order solution is computed here (use the overload below to pass one).
/// \param ramsey the Ramsey model
/// \param params its parameters at the steady state
/// \param solution its first-order solution
/// \param order 1 or 2
/// \throws OptionsError for another order; SolveError when a Lyapunov equation or the
///   second-order solution fails
PlannerObjectiveValue evaluate_planner_objective(const RamseyModel& ramsey, const Vector& params,
                                                 const dsge::PerturbationResult& solution, int order = 1);

/// Welfare at order 2 from a second-order solution of the Ramsey model (Dynare 5.3's
/// evaluate_planner_objective with options_.order = 2 and a nonzero model Hessian):
///   E[U] = U + Uy gy E[x] + 1/2 (tr((gy' Uyy gy + Uy gyy) Vx) + tr((gu' Uyy gu + Uy guu) Sigma) + Uy gss),
/// with Vx the first-order variance of the states and E[x] = (I - Gy)^{-1} (Gss + Gyy Vx + Guu Sigma)/2
/// their second-order mean; the conditional welfare W = Wbar + Wy x + 1/2 (Wss + x' Wyy x) with
/// Wyy = gy' Uyy gy + Uy gyy + beta Wy Gyy + beta Gy' Wyy Gy and
/// Wss = (Uy gss + beta (Wy Gss + tr(Wuu Sigma))) / (1 - beta) (Kamenik and Juillard 2004).
/// \param ramsey the Ramsey model
/// \param params its parameters at the steady state
/// \param second its second-order solution
/// \throws DimensionError when `second` does not belong to the Ramsey model; SolveError when a
///   Lyapunov equation has no stationary solution
PlannerObjectiveValue evaluate_planner_objective(const RamseyModel& ramsey, const Vector& params,
                                                 const dsge::SecondOrderResult& second);

/// Derive, find the steady state, solve at first order (and at second order when
/// `opts.objective_order` is 2 and the Ramsey model is nonlinear) and evaluate the planner's objective.
RamseyResult solve_ramsey(const dsge::Model& model, const RamseyOptions& opts = {});

}  // namespace govsim::policy
