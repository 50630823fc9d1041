// Quadratic losses from the unconditional covariance of a first-order solution.
#include <govsim/core/error.hpp>
#include <govsim/numerics/lyapunov.hpp>
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

std::string CovarianceResult::summary() const {
  return std::string("CovarianceResult: ") + to_string(status) + (message.empty() ? "" : ": " + message);
}

CovarianceResult unconditional_covariance(const dsge::PerturbationResult& sol) {
  CovarianceResult out;
  if (!sol.ok()) {
    out.status = sol.status;
    out.message = sol.message;
    return out;
  }
  const Index n = sol.ghx.rows();
  const Index ns = static_cast<Index>(sol.state_indices.size());
  Matrix USU = sol.ghu * sol.Sigma_e * sol.ghu.transpose();
  if (ns == 0) {
    out.covariance = USU;
    return out;
  }
  Matrix A(ns, ns), B(ns, sol.ghu.cols());
  for (Index i = 0; i < ns; ++i) {
    A.row(i) = sol.ghx.row(sol.state_indices[static_cast<std::size_t>(i)]);
    B.row(i) = sol.ghu.row(sol.state_indices[static_cast<std::size_t>(i)]);
  }
  Matrix Q = B * sol.Sigma_e * B.transpose();
  auto ly = numerics::solve_discrete_lyapunov(A, Q);
  if (!ly.ok()) {
    out.status = ly.status;
    out.message = "Lyapunov: " + ly.message;
    return out;
  }
  out.covariance = sol.ghx * ly.X * sol.ghx.transpose() + USU;
  out.covariance = 0.5 * (out.covariance + out.covariance.transpose()).eval();
  (void)n;
  return out;
}

double quadratic_loss(const dsge::PerturbationResult& sol, const LossWeights& weights) {
  if (sol.ok() && weights.W.rows() != sol.ghx.rows())
    throw DimensionError("quadratic_loss: weights over " + std::to_string(weights.W.rows()) +
                         " variables, solution has " + std::to_string(sol.ghx.rows()));
  auto c = unconditional_covariance(sol);
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
  Vector y = Vector::Zero(n), x(static_cast<Index>(sol.state_indices.size()));
  double loss = 0.0, f = 1.0;
  for (Index t = 0; t < periods; ++t) {
    for (Index k = 0; k < x.size(); ++k) x(k) = y(sol.state_indices[static_cast<std::size_t>(k)]);
    y = sol.ghx * x;
    if (t < shocks.rows()) y += sol.ghu * shocks.row(t).transpose();
    loss += f * y.dot(weights.W * y);
    f *= discount;
  }
  return loss;
}

}  // namespace govsim::policy
