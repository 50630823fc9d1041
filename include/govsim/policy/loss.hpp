#pragma once
/// \file loss.hpp
/// Quadratic policy losses from theoretical (unconditional) second moments.
///
/// The loss of Dynare's `optim_weights`: L = sum_ij W_ij cov(y_i, y_j), with the covariance of
/// the first-order solution from the discrete Lyapunov equation of the state block. A covariance
/// weight `y, pi w` sets both W(y,pi) and W(pi,y) to w, as Dynare does.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/moments.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <string>
#include <vector>

namespace govsim::policy {

/// Symmetric weight matrix over the model's endogenous variables.
struct LossWeights {
  Names var_names;  ///< all endogenous variables of the model (rows/columns of W)
  Matrix W;         ///< weights, symmetric

  /// Weights from a model's optim_weights block. Throws ModelError for unknown variables.
  static LossWeights from_model(const dsge::Model& model);
  /// Weights from (var1, var2, w) triples over the given variable names.
  /// Throws ModelError for unknown names.
  static LossWeights from_entries(const Names& endo_names, const std::vector<dsge::OptimWeight>& entries);
  /// True when no weight is non-zero.
  bool empty() const { return W.size() == 0 || W.isZero(0.0); }
};

/// The loss sum_ij W_ij cov_ij with the covariance of dsge::unconditional_covariance(); NaN when
/// the covariance cannot be computed.
/// Throws DimensionError when the weights do not match the solution's variables.
double quadratic_loss(const dsge::PerturbationResult& sol, const LossWeights& weights);

/// Discounted loss along a deterministic shock scenario: sum_t beta^t y_t' W y_t, where y_t are
/// deviations from the steady state after the shocks `shocks` (rows = periods, columns = exo).
/// Throws DimensionError on mismatched sizes.
double scenario_loss(const dsge::PerturbationResult& sol, const LossWeights& weights, const Matrix& shocks,
                     Index periods, double discount = 1.0);

}  // namespace govsim::policy
