#pragma once
/// \file perturbation.hpp
/// First-order perturbation solution of a DSGE model, computed as Dynare does it (S. Villemot
/// (2011), "Solving rational expectations models at first order: what Dynare does", Dynare
/// Working Papers 2): variable classification, elimination of the static variables by QR, an
/// ordered real generalized Schur decomposition and the Blanchard-Kahn conditions.
///
/// The decision rule is
/// `y_t - ybar = ghx (y_{t-1}[states] - ybar[states]) + ghu u_t`.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/linearized.hpp>

#include <string>
#include <vector>

namespace govsim::dsge {

/// Options of solve_first_order().
struct PerturbationOptions {
  /// Generalized eigenvalues with modulus below this are stable (Dynare's `qz_criterium`).
  double qz_criterium = 1.0 + 1e-6;
  /// Threshold below which alpha and beta count as zero in the QZ (Dynare's `qz_zero_threshold`).
  double qz_zero_threshold = 1e-6;
  /// Reciprocal condition number below which a matrix that must be inverted (the block Z22 of
  /// the Schur vectors, the static block, the contemporaneous matrix for ghu) is reported as
  /// rank-deficient (Dynare uses 1e-9 for Z22).
  double rank_tolerance = 1e-9;

  /// Throws OptionsError when a value is out of range.
  void validate() const;
};

/// First-order solution. Rows of ghx, ghu, A and B are in the order of `endo_names` (declared
/// variables in declaration order, then auxiliary variables).
struct PerturbationResult {
  Names endo_names;        ///< all endogenous variables (declared first, auxiliaries last)
  Index n_declared = 0;    ///< how many of endo_names were declared
  Names exo_names;         ///< shocks (columns of ghu)
  Vector steady_state;     ///< steady state of endo_names
  Matrix Sigma_e;          ///< shock covariance, copied from the model (used by IRFs and moments)

  /// Decision rule for the state variables: n_endo x n_states; columns are `state_names`.
  Matrix ghx;
  /// Response to the shocks on impact: n_endo x n_exo; columns are `exo_names`.
  Matrix ghu;
  /// State variables in Dynare's order: the purely predetermined variables, then the mixed ones
  /// (lag and lead), each group in declaration order (Dynare's `dr.state_var`).
  Names state_names;
  std::vector<Index> state_indices;  ///< indices of the states in endo_names

  /// Transition form over all variables: `y_t - ybar = A (y_{t-1} - ybar) + B u_t`, where A is
  /// ghx placed in the state columns (zero elsewhere) and B = ghu.
  Matrix A;
  Matrix B;  ///< = ghu (see A)

  /// Dynare's DR order (`dr.order_var`, 0-based): static, purely backward, mixed, purely
  /// forward variables, each group in declaration order.
  std::vector<Index> order_var;
  Index n_static = 0;      ///< variables that appear neither lagged nor led (`nstatic`)
  Index n_backward = 0;    ///< purely predetermined: lag but no lead (`npred`)
  Index n_mixed = 0;       ///< both lag and lead (`nboth`)
  Index n_forward_only = 0;  ///< purely forward: lead but no lag (`nfwrd`)
  Index n_states = 0;      ///< n_backward + n_mixed (`nspred`)
  Index n_forward = 0;     ///< forward-looking variables, n_forward_only + n_mixed (`nsfwrd`)

  /// Generalized eigenvalues of the dynamic pencil in Dynare's order (`oo_.dr.eigval`: the
  /// order of the reordered Schur form, stable first); infinite ones are +inf.
  ComplexVector eigenvalues;
  Index n_stable = 0;      ///< eigenvalues with modulus < qz_criterium
  Index n_explosive = 0;   ///< the others (infinite ones included)
  Index n_infinite = 0;    ///< infinite eigenvalues
  bool determinate = false;  ///< Blanchard-Kahn order condition holds (n_explosive == n_forward)
  bool unique = false;       ///< order and rank conditions hold: a unique stable solution exists

  /// Success, Indeterminate (too few explosive roots, or rank failure), NoStableSolution (too
  /// many explosive roots), Singular, NumericalIssue.
  Status status = Status::Success;
  std::string message;     ///< diagnostic (counts and eigenvalue moduli on Blanchard-Kahn failure)

  /// True when status is Success.
  bool ok() const { return status == Status::Success; }
  /// Moduli of the eigenvalues (inf for infinite ones), in the order of `eigenvalues`.
  Vector eigenvalue_moduli() const;
  /// Several lines: classification counts, Blanchard-Kahn check and status.
  std::string summary() const;
};

/// Solve a linearized DSGE model at first order, as Dynare's `stoch_simul(order=1)`.
///
/// \param model Jacobian at the steady state in Dynare's layout (see LinearizedModel)
/// \param opts QZ criterion and rank tolerance
/// \return the decision rules and diagnostics. Blanchard-Kahn failures give
///   Status::Indeterminate (too few explosive roots) or Status::NoStableSolution (too many), with
///   the counts and the moduli in `message`; a failing rank condition (Dynare's "indeterminacy
///   due to rank failure") gives Status::Indeterminate with `determinate` true and `unique`
///   false; a singular static block or contemporaneous matrix gives Status::Singular. These are
///   reported, never thrown. `n_declared == 0` in the model is read as "all declared".
/// \throws DimensionError if the Jacobian, steady state, Sigma_e or name lists do not match
/// \throws ModelError if `lagged`/`leads` are out of range, repeated or not increasing
/// \throws OptionsError if opts is invalid
///
/// \code
/// govsim::dsge::PerturbationResult sol = govsim::dsge::solve_first_order(lin);
/// if (!sol.ok()) std::cerr << sol.message;
/// else std::cout << sol.ghx;  // columns named by sol.state_names
/// \endcode
PerturbationResult solve_first_order(const LinearizedModel& model,
                                     const PerturbationOptions& opts = {});

/// Smallest steady-state value a variable may have in log-linear rules (Dynare's threshold).
inline constexpr double kLogLinearMinSteadyState = 1e-16;

/// First-order rules in logs, as Dynare's `stoch_simul(loglinear)`: from the level rules,
/// `log y_t - log ybar = ghx_l (log x_{t-1} - log xbar) + ghu_l u_t` with
/// ghx_l(i, j) = ghx(i, j) xbar_j / ybar_i and ghu_l(i, :) = ghu(i, :) / ybar_i. Variables
/// flagged in `in_levels` (Dynare: the auxiliaries for leads and lags of shocks) stay in levels:
/// their rows are not divided, their state columns not multiplied, their steady state not
/// logged. The steady state becomes log(ybar); A and B follow the new rules.
///
/// \param level a solved first-order solution in levels
/// \param in_levels one flag per variable of level.endo_names (empty: none)
/// \return the rules in logs; Status::NumericalIssue, naming the variables, when a steady state
///   (of a variable not in levels) is below kLogLinearMinSteadyState (Dynare's error 26); the
///   status of `level` when it is not solved
/// \throws DimensionError if in_levels does not match the variables
///
/// \code
/// auto logs = govsim::dsge::log_linear_rules(sol, {});
/// \endcode
PerturbationResult log_linear_rules(const PerturbationResult& level, const std::vector<bool>& in_levels = {});

class Model;

/// log_linear_rules() with Dynare's choice of the variables kept in levels: the auxiliaries for
/// leads and lags of the shocks of `model` (and their lag chains).
/// \param level a solved first-order solution of `model` (rows: level.endo_names)
/// \param model the model the solution comes from
PerturbationResult log_linear_rules(const PerturbationResult& level, const Model& model);

/// Flags over `names`: true for the auxiliaries of `model` that stand for leads and lags of
/// shocks (and their lag chains), which Dynare's `loglinear` keeps in levels.
std::vector<bool> shock_auxiliary_flags(const Model& model, const Names& names);

}  // namespace govsim::dsge
