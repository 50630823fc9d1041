// Quadratic losses of a first-order solution: its unconditional covariance and its response to a
// shock path come from dsge/moments and dsge/irf.
#include <govsim/core/error.hpp>
#include <govsim/dsge/irf.hpp>
#include <govsim/dsge/moments.hpp>
#include <govsim/policy/loss.hpp>

#include <cmath>
#include <limits>
#include <unordered_map>

namespace govsim::policy {

LossWeights LossWeights::from_entries(const Names& endo_names, const std::vector<dsge::OptimWeight>& entries) {
  LossWeights w;
  w.var_names = endo_names;
  const Index n = static_cast<Index>(endo_names.size());
  w.W = Matrix::Zero(n, n);
  std::unordered_map<std::string, Index> idx;
  for (Index i = 0; i < n; ++i) idx[endo_names[static_cast<std::size_t>(i)]] = i;
  for (const auto& e : entries) {
    auto a = idx.find(e.var1);
    auto b = idx.find(e.var2.empty() ? e.var1 : e.var2);
    if (a == idx.end() || b == idx.end())
      throw ModelError("optim_weights: unknown variable '" + (a == idx.end() ? e.var1 : e.var2) + "'");
    if (!std::isfinite(e.weight)) throw ModelError("optim_weights: non-finite weight for '" + e.var1 + "'");
    w.W(a->second, b->second) = e.weight;
    w.W(b->second, a->second) = e.weight;
  }
  return w;
}

LossWeights LossWeights::from_model(const dsge::Model& model) {
  return from_entries(model.endo_names(), model.optim_weights());
}

double quadratic_loss(const dsge::PerturbationResult& sol, const LossWeights& weights) {
  if (sol.ok() && weights.W.rows() != sol.ghx.rows())
    throw DimensionError("quadratic_loss: weights over " + std::to_string(weights.W.rows()) +
                         " variables, solution has " + std::to_string(sol.ghx.rows()));
  auto c = dsge::unconditional_covariance(sol);
  if (!c.ok()) return std::numeric_limits<double>::quiet_NaN();
  return (weights.W.array() * c.covariance.array()).sum();
}

double scenario_loss(const dsge::PerturbationResult& sol, const LossWeights& weights, const Matrix& shocks,
                     Index periods, double discount) {
  if (!sol.ok()) return std::numeric_limits<double>::quiet_NaN();
  const Index n = sol.ghx.rows();
  if (weights.W.rows() != n) throw DimensionError("scenario_loss: weights do not match the solution");
  if (shocks.cols() != sol.ghu.cols())
    throw DimensionError("scenario_loss: shocks have " + std::to_string(shocks.cols()) + " columns, expected " +
                         std::to_string(sol.ghu.cols()));
  if (periods < 0) throw DimensionError("scenario_loss: negative number of periods");
  if (periods == 0) return 0.0;
  dsge::IrfOptions io;
  io.periods = periods;
  io.include_auxiliary = true;
  const Matrix y = dsge::shock_path_response(sol, shocks, io);  // periods x n deviations
  double loss = 0.0, f = 1.0;
  for (Index t = 0; t < periods; ++t) {
    loss += f * y.row(t).dot(weights.W * y.row(t).transpose());
    f *= discount;
  }
  return loss;
}

}  // namespace govsim::policy
