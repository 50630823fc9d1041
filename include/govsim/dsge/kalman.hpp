#pragma once
/// \file kalman.hpp
/// Kalman filter, smoother and historical shock decomposition for first-order solutions,
/// computed as Dynare does (`lik_init=1`, `-0.5 p log 2 pi` per observation, missing
/// observations, switch to the steady-state gain once the covariance has converged).
///
/// State space: alpha_t = T alpha_{t-1} + R e_t with e_t ~ N(0, Q), observations
/// y_t = c + Z alpha_t (Z selects rows of alpha). alpha_t is the deviation from the steady state
/// of the state variables and the observed variables of the solution (Dynare's restricted state
/// vector); c is the steady state of the observed variables.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <string>
#include <vector>

namespace govsim::dsge {

/// Linear Gaussian state space of a first-order solution.
struct StateSpace {
  Names state_names;          ///< names of the entries of alpha_t
  std::vector<Index> endo_rows;  ///< their indices in the solution's endo_names
  Names obs_names;            ///< observed variables (columns of the data)
  std::vector<Index> obs_rows;   ///< index of each observed variable in alpha_t
  Matrix T;                   ///< transition (m x m)
  Matrix R;                   ///< shock loading (m x n_exo)
  Matrix Q;                   ///< shock covariance (n_exo x n_exo)
  Vector obs_constant;        ///< steady state of the observed variables
  Names exo_names;            ///< shocks
};

/// Build the state space of a solution for the observed variables `varobs`.
/// Throws ModelError for an unknown observed variable and SolveError when the solution failed.
StateSpace make_state_space(const PerturbationResult& sol, const Names& varobs);

/// Options of kalman_filter().
struct KalmanOptions {
  int lik_init = 1;            ///< 1: stationary covariance from the Lyapunov equation (only 1 supported)
  Index presample = 0;         ///< initial periods left out of the likelihood (still filtered)
  double riccati_tol = 1e-6;   ///< switch to the steady-state gain when max|P_t - P_{t-1}| < riccati_tol (0: never)
  double kalman_tol = 1e-10;   ///< reciprocal condition of F below which the likelihood is -Inf (Singular)
  bool store_filtered = false; ///< keep a_{t|t-1}, P and innovations for the smoother
  /// Throws OptionsError on invalid values.
  void validate() const;
};

/// Result of kalman_filter().
struct KalmanResult {
  double log_likelihood = 0.0;     ///< sum over t > presample (NaN-free on success)
  Vector contributions;            ///< log-likelihood of each period (0 for empty rows)
  Index n_observations = 0;        ///< observed values used (non-NaN, after presample)
  Index steady_state_from = -1;    ///< period where the steady-state gain took over (-1: never)
  std::vector<Vector> a_pred;      ///< a_{t|t-1} (if store_filtered)
  std::vector<Matrix> P_pred;      ///< P_{t|t-1} (if store_filtered)
  Status status = Status::Success; ///< Singular (F not invertible or no stationary covariance), NumericalIssue
  std::string message;             ///< diagnostic
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-line report.
  std::string summary() const;
};

/// Log-likelihood of data (rows = periods, columns = ss.obs_names; NaN = missing).
/// Throws DimensionError when the data have the wrong number of columns.
/// Throws DataError when `data` (rows = periods) has an infinite value (NaN marks a missing
/// observation) or when `presample` leaves no period to evaluate; `who` starts the message.
void check_data(const Matrix& data, Index presample, const std::string& who);
KalmanResult kalman_filter(const StateSpace& ss, const Matrix& data, const KalmanOptions& opts = {});

/// Result of kalman_smoother().
struct SmootherResult {
  Names state_names;               ///< columns of states
  Names exo_names;                 ///< columns of shocks
  Matrix states;                   ///< E[alpha_t | all data], deviations from the steady state (T x m)
  Matrix shocks;                   ///< E[e_t | all data] (T x n_exo)
  Matrix filtered_states;          ///< E[alpha_t | data up to t] (T x m)
  double log_likelihood = 0.0;     ///< from the filter pass
  Status status = Status::Success; ///< as KalmanResult
  std::string message;             ///< diagnostic
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-line report.
  std::string summary() const;
};

/// Fixed-interval smoother (Durbin-Koopman state and disturbance smoother) on the same data.
SmootherResult kalman_smoother(const StateSpace& ss, const Matrix& data, const KalmanOptions& opts = {});

/// Historical shock decomposition of the smoothed states.
struct ShockDecomposition {
  Names var_names;                 ///< variables (state-space names)
  Names components;                ///< shock names, then "initial"
  /// contributions[t](i, j): contribution of component j to variable i in period t; the sum over j
  /// equals the smoothed deviation from the steady state.
  std::vector<Matrix> contributions;
};

/// Split the smoothed states into the effects of each smoothed shock and of the initial state.
ShockDecomposition shock_decomposition(const StateSpace& ss, const SmootherResult& smoothed);

}  // namespace govsim::dsge
