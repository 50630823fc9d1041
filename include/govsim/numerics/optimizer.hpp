#pragma once
/// \file optimizer.hpp
/// Bounded minimization (NLopt backend, kept out of this header) used by optimal simple
/// rules, robust rules, calibration and estimation.
///
/// Objective values that are NaN or infinite (for example points without a unique stable
/// solution) are replaced by `penalty`, so the optimizers step back instead of failing.
///
/// Nonlinear constraints g(x) <= 0 and h(x) = 0 (MinimizeOptions::constraints) are passed to
/// NLopt with their tolerance. Only constraint-capable algorithms accept them: COBYLA
/// (derivative-free), SLSQP, MMA (gradient-based; MMA takes inequalities only), AUGLAG (an
/// augmented Lagrangian around an unconstrained local algorithm) and multistart (its local runs
/// use COBYLA, or SLSQP with an analytic gradient). Algorithm::Auto picks one.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace govsim::numerics {

/// Optimization algorithm.
enum class Algorithm {
  Auto,         ///< see resolve_algorithm()
  NelderMead,   ///< local, derivative-free (NLopt LN_NELDERMEAD), restarted until no progress
  Subplex,      ///< local, derivative-free (NLopt LN_SBPLX)
  Bobyqa,       ///< local, derivative-free quadratic models (NLopt LN_BOBYQA; needs finite bounds)
  Lbfgs,        ///< local, gradient-based (NLopt LD_LBFGS) with analytic or finite-difference gradient
  Slsqp,        ///< local, gradient-based (NLopt LD_SLSQP)
  GlobalMultistart,  ///< global: random starts in the bounds (MLSL-style), each refined by NelderMead
  Crs,          ///< global: controlled random search (NLopt GN_CRS2_LM; needs finite bounds), then NelderMead
  Cobyla,       ///< local, derivative-free, handles constraints (NLopt LN_COBYLA)
  Mma,          ///< local, gradient-based, handles inequality constraints (NLopt LD_MMA)
  Auglag        ///< augmented Lagrangian (NLopt LN_/LD_AUGLAG) around MinimizeOptions::auglag_local
};

/// Name of an algorithm ("auto", "nelder-mead", "subplex", "bobyqa", "lbfgs", "slsqp", "multistart",
/// "crs", "cobyla", "mma", "auglag").
const char* to_string(Algorithm a) noexcept;
/// Parse a name accepted by to_string. Throws OptionsError for an unknown name.
Algorithm parse_algorithm(const std::string& name);

/// Objective: value at x; when `grad` is non-null and non-empty, also fill the gradient.
using Objective = std::function<double(const Vector& x, Vector* grad)>;

/// A nonlinear constraint c(x) <= 0 (inequality) or c(x) = 0 (equality) on the parameter vector.
/// NaN/Inf values or a thrown govsim::Error count as violated (the point is infeasible).
struct Constraint {
  /// c(x); fills `grad` when it is non-null and non-empty and `analytic_gradient` is set.
  std::function<double(const Vector& x, Vector* grad)> fn;
  bool equality = false;           ///< h(x) = 0 instead of g(x) <= 0
  double tolerance = 1e-8;         ///< feasibility tolerance (passed to NLopt)
  bool analytic_gradient = false;  ///< `fn` fills the gradient (else central differences)
  std::string name;                ///< label used in reports (default "c<k>")
};

/// Options of minimize().
struct MinimizeOptions {
  Algorithm algorithm = Algorithm::Auto;  ///< algorithm (Auto: see resolve_algorithm)
  /// Auglag: the unconstrained local algorithm it wraps (NelderMead, Subplex, Bobyqa or Lbfgs).
  Algorithm auglag_local = Algorithm::NelderMead;
  /// Nonlinear constraints; an explicitly chosen algorithm that cannot handle them is an OptionsError.
  std::vector<Constraint> constraints;
  Vector lower;              ///< lower bounds (empty = unbounded)
  Vector upper;              ///< upper bounds (empty = unbounded)
  Vector initial_step;       ///< initial simplex / trust-region step (empty = automatic)
  double xtol_rel = 1e-10;   ///< relative tolerance on x
  double ftol_rel = 1e-15;   ///< relative tolerance on f
  double ftol_abs = 0.0;     ///< absolute tolerance on f
  int max_evaluations = 20000;   ///< maximum objective evaluations (all restarts together)
  int restarts = 4;          ///< NelderMead/Subplex: restarts from the optimum while it improves
  int multistart = 8;        ///< global algorithms: number of random starts
  std::uint64_t seed = 12345;    ///< global algorithms: random seed
  bool analytic_gradient = false;  ///< the objective fills `grad` itself (else central differences)
  double fd_step = 1e-6;     ///< relative finite-difference step
  double penalty = 1e10;     ///< value used when the objective is NaN/Inf or throws govsim::Error
  /// Progress: called after each improvement; return false to stop (status UserStopped).
  std::function<bool(const IterationInfo&)> on_iteration;
  /// Throws OptionsError on inconsistent values (including constraints the algorithm cannot handle).
  void validate(Index n) const;
};

/// The algorithm minimize() runs: `opts.algorithm`, or for Auto: without constraints Lbfgs with an
/// analytic gradient, else NelderMead; with constraints Slsqp with an analytic gradient, else Cobyla.
Algorithm resolve_algorithm(const MinimizeOptions& opts) noexcept;

/// Result of minimize().
struct MinimizeResult {
  Vector x;                   ///< best point
  double f = std::numeric_limits<double>::quiet_NaN();        ///< objective there
  double f_start = std::numeric_limits<double>::quiet_NaN();  ///< objective at the start
  int evaluations = 0;        ///< objective evaluations
  int iterations = 0;         ///< improvements of the best point
  int infeasible = 0;         ///< evaluations that returned NaN/Inf (penalized)
  std::string nlopt_result;   ///< last NLopt return code, e.g. "XTOL_REACHED"
  std::string algorithm;      ///< algorithm that ran (Auto resolved)
  Vector constraint_values;   ///< c_k(x) at the best point, in the order of MinimizeOptions::constraints
  bool feasible = true;       ///< all constraints hold within their tolerance at x
  Status status = Status::Success;  ///< Success, MaxIterations, UserStopped, NumericalIssue
  std::string message;        ///< diagnostic
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-paragraph report.
  std::string summary() const;
};

/// Minimize `f` from `x0` subject to the bounds and constraints of `opts`. The best point is the
/// best feasible one; when no evaluated point is feasible, x is the least violating one and the
/// status is NumericalIssue. Throws OptionsError/DimensionError on bad options; numerical
/// trouble is reported in the status.
MinimizeResult minimize(const Objective& f, const Vector& x0, const MinimizeOptions& opts = {});

/// Central finite-difference Hessian of f at x (steps h_i = step * max(|x_i|, 1e-2)).
Matrix finite_difference_hessian(const std::function<double(const Vector&)>& f, const Vector& x,
                                 double step = 1e-4);

}  // namespace govsim::numerics
