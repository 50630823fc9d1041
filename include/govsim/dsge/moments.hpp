#pragma once
/// \file moments.hpp
/// Theoretical moments of a first-order solution, as Dynare's `th_autocovariances` computes them:
/// mean, covariance (discrete Lyapunov equation on the state variables), correlations,
/// autocorrelations, and the unconditional and conditional (by horizon) variance decompositions.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <string>
#include <vector>

namespace govsim::dsge {

/// Unconditional covariance of every endogenous variable of a first-order solution (auxiliary
/// variables included, declaration order): the one engine behind theoretical_moments(), the
/// policy losses and the Python front end.
struct CovarianceResult {
  Matrix covariance;        ///< Var(y_t), n_endo x n_endo, symmetric (empty on failure; NaN rows
                            ///< and columns for the non-stationary variables, see `stationary`)
  /// Var(x_t) of the state variables (solution.state_indices); with unit roots (allowed), the
  /// covariance of their stationary combinations as Dynare's `lyapunov_symm` returns it.
  Matrix state_covariance;
  /// Per endogenous variable: true when it is stationary. All true without unit roots; with
  /// unit roots (allowed), the variables whose rule does not load on the unit-root Schur vectors
  /// u of the state transition: all |ghx u| < 1e-11 (Dynare's `schur_vec_tol`).
  std::vector<bool> stationary;
  /// Schur vectors of the unit roots of the state transition (n_states x k; k = 0 without them).
  Matrix unit_root_vectors;
  Status status = Status::Success;  ///< Singular for unit or explosive roots (unless allowed), or copied from the solution
  std::string message;              ///< diagnostic, empty on success
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-line report.
  std::string summary() const;
};

/// Dynare's `schur_vec_tol`: a variable is stationary when all |ghx u| are below it, u the
/// Schur vectors of the unit roots.
inline constexpr double kSchurVecTol = 1e-11;

/// Var(y_t) = ghx Var(x) ghx' + ghu Sigma_e ghu', with Var(x) = hx Var(x) hx' + hu Sigma_e hu' on
/// the state rows (Dynare's th_autocovariances at order 1). A root with modulus at least
/// 1 - 1e-6 (Dynare: 2 - qz_criterium) has no stationary covariance: Status::Singular, unless
/// `allow_unit_roots`: then, as Dynare does, the Lyapunov equation is solved on the complement of
/// the unit roots' invariant subspace and the stationary variables (see
/// CovarianceResult::stationary) get their variances and covariances, the others NaN.
///
/// \param sol a first-order solution (its Sigma_e is used)
/// \param sigma_e shock covariance to use instead of sol.Sigma_e (empty: sol.Sigma_e)
/// \param allow_unit_roots report the stationary variables' covariance when there are unit roots
/// \return the covariance, or the failure status of the solution or of the Lyapunov equation
/// \throws DimensionError if sigma_e does not match the shocks
CovarianceResult unconditional_covariance(const PerturbationResult& sol, const Matrix& sigma_e = Matrix(),
                                          bool allow_unit_roots = false);

/// Autocovariances Cov(y_{t+k}, y_t) = A^k Var(y) for k = 1..max_lag over every endogenous
/// variable, with A the transition of the solution (sol.A, auxiliary variables included).
/// \param sol a first-order solution
/// \param covariance Var(y_t) from unconditional_covariance()
/// \param max_lag the largest lag (>= 0)
std::vector<Matrix> autocovariances(const PerturbationResult& sol, const Matrix& covariance, Index max_lag);

/// Options of theoretical_moments() and conditional_variance_decomposition().
struct MomentsOptions {
  Index max_lag = 5;               ///< autocorrelations for lags 1..max_lag (Dynare's `ar`, default 5)
  bool include_auxiliary = false;  ///< also report auxiliary variables
  bool variance_decomposition = true;  ///< compute the unconditional variance decomposition
  /// Covariance entries with |v| below this are set to 0 (Dynare uses 1e-12).
  double zero_threshold = 1e-12;
  /// With unit roots, report the moments of the stationary variables (NaN for the others), as
  /// Dynare does; false: Status::Singular.
  bool allow_unit_roots = true;

  /// Throws OptionsError if max_lag < 0 or zero_threshold < 0.
  void validate() const;
};

/// Theoretical moments of the reported variables (declaration order).
struct MomentsResult {
  Names var_names;        ///< the reported variables
  Names exo_names;        ///< columns of variance_decomposition
  Vector mean;            ///< steady state (the mean at first order)
  Matrix covariance;      ///< Var(y_t) (Dynare's `oo_.var`, |v| < zero_threshold set to 0)
  Vector std_dev;         ///< sqrt of the diagonal of covariance
  Matrix correlation;     ///< covariance / (sd sd'); NaN where a standard deviation is 0
  /// autocorrelation[k-1](i, j) = E[y_i,t y_j,t-k] / (sd_i sd_j) for k = 1..max_lag
  /// (Dynare's `oo_.autocorr{k}`); NaN where a standard deviation is 0.
  std::vector<Matrix> autocorrelation;
  /// Unconditional variance decomposition in percent (rows = var_names, columns = exo_names),
  /// computed with chol(Sigma_e + 1e-14 I) as Dynare does; with a single shock every entry is
  /// 100. Empty if not requested. NaN for a variable with zero variance and several shocks.
  Matrix variance_decomposition;
  Matrix state_covariance;  ///< covariance of the state variables (solution.state_names)
  /// Per reported variable: false for a non-stationary one (unit root), whose variance,
  /// standard deviation, correlations, autocorrelations and variance decomposition are NaN.
  std::vector<bool> stationary;
  Status status = Status::Success;  ///< Singular for unit or explosive roots (unless allowed), or copied from the solution
  std::string message;              ///< diagnostic, empty on success

  /// True when status is Success.
  bool ok() const { return status == Status::Success; }
  /// One-line description.
  std::string summary() const;
};

/// Theoretical moments of the first-order solution.
///
/// \param sol a first-order solution (its Sigma_e is used)
/// \param opts lags, variable selection, thresholds
/// \return the moments; with a unit root in the state transition the non-stationary variables'
///         moments are NaN (opts.allow_unit_roots, the default, as Dynare) or Status::Singular;
///         a failed solution gives its own status
/// \throws OptionsError if opts is invalid
///
/// \code
/// auto m = govsim::dsge::theoretical_moments(sol);
/// double var_y = m.covariance(0, 0);
/// \endcode
MomentsResult theoretical_moments(const PerturbationResult& sol, const MomentsOptions& opts = {});

/// Conditional variance decomposition: the share (percent) of each shock in the variance of the
/// h-step-ahead forecast error, `sum_{j<h} A^j B_i B_i' A^j'`, as Dynare's
/// `conditional_variance_decomposition` (h = 1 is the impact period). As in Dynare, the shock
/// impact matrix uses sqrt(diag(Sigma_e)) when Sigma_e is diagonal and chol(Sigma_e + 1e-14 I)
/// otherwise.
struct ConditionalVarianceDecompositionResult {
  Names var_names;                 ///< rows of each matrix
  Names exo_names;                 ///< columns of each matrix
  std::vector<Index> horizons;     ///< the horizons, as requested
  /// decomposition[h](i, j): percent of the forecast-error variance of var i at horizons[h] due
  /// to shock j (rows sum to 100; NaN where the variance is 0).
  std::vector<Matrix> decomposition;
  /// variance[h](i): the forecast-error variance of var i at horizons[h].
  std::vector<Vector> variance;
  Status status = Status::Success;  ///< copied from the solution when it is not usable
  std::string message;              ///< diagnostic, empty on success

  /// True when status is Success.
  bool ok() const { return status == Status::Success; }
  /// One-line description.
  std::string summary() const;
};

/// Conditional variance decomposition at the given horizons (each >= 1).
///
/// \param sol a first-order solution
/// \param horizons forecast horizons in periods (1 = impact), any order
/// \param opts variable selection (max_lag and the thresholds are not used)
/// \throws OptionsError if a horizon is < 1 or opts is invalid
///
/// \code
/// auto cvd = govsim::dsge::conditional_variance_decomposition(sol, {1, 4, 8, 40});
/// \endcode
ConditionalVarianceDecompositionResult conditional_variance_decomposition(const PerturbationResult& sol,
                                                                          const std::vector<Index>& horizons,
                                                                          const MomentsOptions& opts = {});

}  // namespace govsim::dsge
