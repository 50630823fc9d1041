#pragma once
/// @file optimizer.hpp
/// @brief Bounded minimization (NLopt backend, kept out of this header) used by optimal simple
/// rules, robust rules, calibration and estimation.
///
/// Objective values that are NaN or infinite (for example points without a unique stable
/// solution) are replaced by `penalty`, so the optimizers step back instead of failing.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>

namespace govsim::policy {

/// Optimization algorithm.
enum class Algorithm {
  NelderMead,   ///< local, derivative-free (NLopt LN_NELDERMEAD), restarted until no progress
  Subplex,      ///< local, derivative-free (NLopt LN_SBPLX)
  Bobyqa,       ///< local, derivative-free quadratic models (NLopt LN_BOBYQA; needs finite bounds)
  Lbfgs,        ///< local, gradient-based (NLopt LD_LBFGS) with analytic or finite-difference gradient
  Slsqp,        ///< local, gradient-based (NLopt LD_SLSQP)
  GlobalMultistart,  ///< global: random starts in the bounds (MLSL-style), each refined by NelderMead
  Crs           ///< global: controlled random search (NLopt GN_CRS2_LM; needs finite bounds), then NelderMead
};

/// Name of an algorithm ("nelder-mead", "subplex", "bobyqa", "lbfgs", "slsqp", "multistart", "crs").
const char* to_string(Algorithm a) noexcept;
/// Parse a name accepted by to_string. Throws OptionsError for an unknown name.
Algorithm parse_algorithm(const std::string& name);

/// Objective: value at x; when `grad` is non-null and non-empty, also fill the gradient.
using Objective = std::function<double(const Vector& x, Vector* grad)>;

/// Options of minimize().
struct MinimizeOptions {
  Algorithm algorithm = Algorithm::NelderMead;  ///< algorithm
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
  /// Throws OptionsError on inconsistent values.
  void validate(Index n) const;
};

/// Result of minimize().
struct MinimizeResult {
  Vector x;                   ///< best point
  double f = std::numeric_limits<double>::quiet_NaN();        ///< objective there
  double f_start = std::numeric_limits<double>::quiet_NaN();  ///< objective at the start
  int evaluations = 0;        ///< objective evaluations
  int iterations = 0;         ///< improvements of the best point
  int infeasible = 0;         ///< evaluations that returned NaN/Inf (penalized)
  std::string nlopt_result;   ///< last NLopt return code, e.g. "XTOL_REACHED"
  Status status = Status::Success;  ///< Success, MaxIterations, UserStopped, NumericalIssue
  std::string message;        ///< diagnostic
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-paragraph report.
  std::string summary() const;
};

/// Minimize `f` from `x0`. Throws OptionsError/DimensionError on bad options; numerical
/// trouble is reported in the status.
MinimizeResult minimize(const Objective& f, const Vector& x0, const MinimizeOptions& opts = {});

/// Central finite-difference Hessian of f at x (steps h_i = step * max(|x_i|, 1e-2)).
Matrix finite_difference_hessian(const std::function<double(const Vector&)>& f, const Vector& x,
                                 double step = 1e-4);

}  // namespace govsim::policy
