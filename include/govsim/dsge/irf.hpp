#pragma once
/// \file irf.hpp
/// Impulse responses of a first-order solution: one-standard-deviation shocks with Dynare's
/// convention, shocks of a chosen size, and responses to arbitrary shock paths.
///
/// All responses are deviations from the steady state, in model units, with element (row) 0 the
/// impact period (Dynare's period 1).

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <string>
#include <vector>

namespace govsim::dsge {

/// Options of the IRF functions.
struct IrfOptions {
  Index periods = 40;              ///< number of periods, impact included (Dynare's `irf`)
  bool include_auxiliary = false;  ///< also report auxiliary variables (after the declared ones)

  /// Throws OptionsError if periods < 1.
  void validate() const;
};

/// Responses to one impulse per shock.
struct IrfResult {
  Names var_names;                ///< columns of each response (declaration order)
  Names shock_names;              ///< one experiment per shock, in the order of the model's shocks
  /// `responses[j]` is periods x var_names.size(): the response to experiment j.
  std::vector<Matrix> responses;
  /// Column j is the impulse vector u_1 (over all shocks) used in experiment j; for
  /// one-standard-deviation IRFs it is column j of chol(Sigma_e + 1e-14 I) (lower).
  Matrix impulses;
  Status status = Status::Success;  ///< copied from the solution when it is not usable
  std::string message;              ///< diagnostic, empty on success

  /// True when status is Success.
  bool ok() const { return status == Status::Success; }
  /// One-line description.
  std::string summary() const;
  /// Response to the named shock.
  /// \throws ModelError if there is no shock of that name
  const Matrix& response(const std::string& shock) const;
  /// Response of variable `var` to shock `shock` (a column of response(shock)).
  /// \throws ModelError on an unknown name
  Vector response(const std::string& shock, const std::string& var) const;
};

/// IRFs to a one-standard-deviation impulse in each shock, as Dynare's `stoch_simul`: the
/// impulse of shock j is column j of the lower Cholesky factor of `Sigma_e + 1e-14 I`, so with
/// correlated shocks the impulse also moves the shocks ordered after j.
///
/// \param sol a first-order solution (its Sigma_e is used)
/// \param opts horizon and variable selection
/// \return one response per shock; if sol is not ok() the status and message say so and the
///         responses are empty
/// \throws OptionsError if opts is invalid
///
/// \code
/// auto irf = govsim::dsge::impulse_responses(sol);
/// govsim::Vector y_to_eps_m = irf.response("eps_m", "y");
/// \endcode
IrfResult impulse_responses(const PerturbationResult& sol, const IrfOptions& opts = {});

/// IRFs to one impulse of a chosen size in each shock, alone (no Cholesky factor).
///
/// \param sol a first-order solution
/// \param shock_sizes size of the impulse of each shock in the shock's own units (for example
///        -0.02 for a two-percent fall); a zero entry gives a zero response
/// \param opts horizon and variable selection
/// \throws DimensionError if shock_sizes does not have one entry per shock
/// \throws OptionsError if opts is invalid
IrfResult sized_impulse_responses(const PerturbationResult& sol, const Eigen::Ref<const Vector>& shock_sizes,
                                  const IrfOptions& opts = {});

/// Response to an arbitrary path of shocks starting from the steady state:
/// `y_t = A y_{t-1} + B u_t`, with `u_t` row t of shock_path (zero after its last row).
///
/// \param sol a first-order solution
/// \param shock_path one row per period (row 0 = impact period), one column per shock
/// \param opts horizon (may be shorter or longer than the path) and variable selection
/// \return opts.periods x n_vars deviations from the steady state (empty if sol is not ok())
/// \throws DimensionError if shock_path does not have one column per shock
/// \throws OptionsError if opts is invalid
///
/// \code
/// govsim::Matrix path = govsim::Matrix::Zero(4, 3);
/// path.col(0).setConstant(0.5);  // a demand shock spread over four quarters
/// govsim::Matrix resp = govsim::dsge::shock_path_response(sol, path);
/// \endcode
Matrix shock_path_response(const PerturbationResult& sol, const Eigen::Ref<const Matrix>& shock_path,
                           const IrfOptions& opts = {});

}  // namespace govsim::dsge
