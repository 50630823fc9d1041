#pragma once
/// \file linearized.hpp
/// The hand-over point between a DSGE model (parser, derivatives, steady state) and the
/// solution algorithms (perturbation, IRFs, moments, Kalman filter): the model's dynamic
/// Jacobian at the steady state in Dynare's layout.

#include <govsim/core/types.hpp>

#include <vector>

namespace govsim::dsge {

/// First-order information of a dynamic model `f(y_{t+1}, y_t, y_{t-1}, u_t) = 0` at its
/// deterministic steady state, with leads and lags of at most one (auxiliary variables already
/// added, and placed after the declared variables).
///
/// Column layout of `jacobian` (Dynare's): first the variables that appear with a lag, in
/// declaration order (`lagged`), then every variable at date t (declaration order), then the
/// variables that appear with a lead, in declaration order (`leads`), then the exogenous
/// variables (declaration order). Rows are the equations in declaration order.
struct LinearizedModel {
  Names endo_names;        ///< all endogenous variables: declared first, auxiliaries last
  Index n_declared = 0;    ///< how many of endo_names were declared by the user
  Names exo_names;         ///< exogenous shocks
  Names param_names;       ///< parameters, declaration order
  Vector params;           ///< parameter values
  Vector steady_state;     ///< steady state of endo_names
  std::vector<Index> lagged;  ///< indices (into endo_names) of variables appearing at t-1
  std::vector<Index> leads;   ///< indices of variables appearing at t+1
  Matrix jacobian;         ///< n_endo rows, lagged.size() + n_endo + leads.size() + n_exo columns
  Matrix Sigma_e;          ///< covariance of the shocks (n_exo x n_exo)
};

}  // namespace govsim::dsge
