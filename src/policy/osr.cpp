// Optimal simple rules and robust rules.
#include <govsim/core/error.hpp>
#include <govsim/dsge/model_solver.hpp>
#include <govsim/policy/osr.hpp>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace govsim::policy {

namespace {
/// The loss sum W_ij cov_ij must be a positive semidefinite form: a negative weight rewards
/// volatility and the optimizer runs to the edge of the stability region.
void check_weights(const LossWeights& w, const std::string& who) {
  const Index n = w.W.rows();
  if (!w.W.allFinite()) throw ModelError(who + ": loss weights must be finite numbers (optim_weights)");
  for (Index i = 0; i < n; ++i)
    if (w.W(i, i) < 0) {
      std::string name = i < static_cast<Index>(w.var_names.size()) ? w.var_names[static_cast<std::size_t>(i)]
                                                                     : "variable " + std::to_string(i);
      std::ostringstream o;
      o << who << ": negative loss weight " << w.W(i, i) << " on '" << name
        << "' (optim_weights); weights must be >= 0";
      throw ModelError(o.str());
    }
  if (n > 0 && !w.W.isDiagonal(0.0)) {
    Eigen::SelfAdjointEigenSolver<Matrix> es(0.5 * (w.W + w.W.transpose()), Eigen::EigenvaluesOnly);
    double scale = std::max(1.0, w.W.cwiseAbs().maxCoeff());
    if (es.info() == Eigen::Success && es.eigenvalues().minCoeff() < -1e-12 * scale) {
      std::ostringstream o;
      o << who << ": the loss weights (optim_weights) are not positive semidefinite (smallest eigenvalue "
        << es.eigenvalues().minCoeff() << "): cross weights are too large for the variances";
      throw ModelError(o.str());
    }
  }
}
}  // namespace
using dsge::ModelSolver;
using dsge::ModelSolveResult;
using numerics::Constraint;
using numerics::MinimizeResult;
using numerics::Objective;

void OsrOptions::validate() const {
  const Index n = static_cast<Index>(params.size());
  if (start.size() && start.size() != n) throw DimensionError("OsrOptions: start has the wrong size");
  if (lower.size() && lower.size() != n) throw DimensionError("OsrOptions: lower has the wrong size");
  if (upper.size() && upper.size() != n) throw DimensionError("OsrOptions: upper has the wrong size");
  for (std::size_t k = 0; k < solution_constraints.size(); ++k) {
    if (!solution_constraints[k].fn)
      throw OptionsError("OsrOptions: solution constraint " + std::to_string(k) + " has no function");
    if (!(solution_constraints[k].tolerance >= 0) || !std::isfinite(solution_constraints[k].tolerance))
      throw OptionsError("OsrOptions: solution constraint " + std::to_string(k) + " has a bad tolerance");
  }
}

std::string OsrResult::summary() const {
  std::ostringstream o;
  o << "OsrResult: " << to_string(status) << ", loss " << loss << " (start " << loss_start << ")";
  for (std::size_t i = 0; i < param_names.size(); ++i)
    o << (i ? ", " : "; ") << param_names[i] << " = " << params(static_cast<Index>(i));
  o << "; " << evaluations << " evaluations (" << infeasible << " infeasible), " << algorithm;
  for (std::size_t k = 0; k < constraint_names.size() && static_cast<Index>(k) < constraint_values.size(); ++k)
    o << (k ? ", " : "; constraints ") << constraint_names[k] << " = " << constraint_values(static_cast<Index>(k));
  if (constraint_values.size() && !feasible) o << " (violated)";
  if (!message.empty()) o << ": " << message;
  return o.str();
}

std::string RobustResult::summary() const {
  std::ostringstream o;
  o << "RobustResult: " << to_string(status) << ", loss " << loss << " (start " << loss_start << ")";
  for (std::size_t i = 0; i < param_names.size(); ++i)
    o << (i ? ", " : "; ") << param_names[i] << " = " << params(static_cast<Index>(i));
  if (!message.empty()) o << ": " << message;
  return o.str();
}

namespace {

// Fill names, start and bounds from the model when the options leave them empty.
OsrOptions complete(const dsge::Model& model, const OsrOptions& in) {
  OsrOptions o = in;
  if (o.params.empty()) o.params = model.osr_params();
  if (o.params.empty()) throw ModelError("optimal simple rule: no parameters to tune (osr_params is empty)");
  o.validate();
  const Index n = static_cast<Index>(o.params.size());
  if (!o.start.size()) {
    o.start.resize(n);
    for (Index i = 0; i < n; ++i) o.start(i) = model.param(o.params[static_cast<std::size_t>(i)]);
    if (!o.start.allFinite()) throw ModelError("optimal simple rule: a tuned parameter has no value");
  }
  if (!o.lower.size() && !o.upper.size() && !model.osr_params_bounds().empty()) {
    o.lower = Vector::Constant(n, -std::numeric_limits<double>::infinity());
    o.upper = Vector::Constant(n, std::numeric_limits<double>::infinity());
    for (const auto& b : model.osr_params_bounds()) {
      bool found = false;
      for (Index i = 0; i < n; ++i)
        if (o.params[static_cast<std::size_t>(i)] == b.name) {
          o.lower(i) = b.lower;
          o.upper(i) = b.upper;
          found = true;
        }
      if (!found) throw ModelError("osr_params_bounds: '" + b.name + "' is not in osr_params");
    }
  }
  o.minimizer.lower = o.lower;
  o.minimizer.upper = o.upper;
  return o;
}

}  // namespace

OsrResult optimal_simple_rule(const dsge::Model& model, const LossWeights& weights, const OsrOptions& opts) {
  OsrOptions o = complete(model, opts);
  if (!o.objective) {
    if (weights.W.rows() != model.n_endo())
      throw DimensionError("optimal simple rule: weights over " + std::to_string(weights.W.rows()) +
                           " variables, the model has " + std::to_string(model.n_endo()));
    if (weights.empty()) throw ModelError("optimal simple rule: all loss weights are zero (optim_weights)");
    check_weights(weights, "optimal simple rule");
  }
  ModelSolver solver(model, o.params);
  const auto objective = o.objective;
  Objective f = [&](const Vector& x, Vector*) {
    const auto& r = solver.solve(x);
    if (!r.ok()) return std::numeric_limits<double>::quiet_NaN();
    return objective ? objective(r.solution) : quadratic_loss(r.solution, weights);
  };
  Names cnames;
  for (std::size_t k = 0; k < o.minimizer.constraints.size(); ++k) {
    const auto& c = o.minimizer.constraints[k];
    cnames.push_back(c.name.empty() ? std::string("c") + std::to_string(k) : c.name);
  }
  for (const auto& sc : o.solution_constraints) {
    Constraint c;
    c.equality = sc.equality;
    c.tolerance = sc.tolerance;
    c.name = sc.name.empty() ? std::string("c") + std::to_string(cnames.size()) : sc.name;
    auto fn = sc.fn;
    c.fn = [&solver, fn](const Vector& x, Vector*) {
      const auto& r = solver.solve(x);
      if (!r.ok()) return std::numeric_limits<double>::quiet_NaN();
      return fn(x, r.solution);
    };
    cnames.push_back(c.name);
    o.minimizer.constraints.push_back(std::move(c));
  }
  MinimizeResult m = numerics::minimize(f, o.start, o.minimizer);
  OsrResult out;
  out.param_names = o.params;
  out.start = o.start;
  out.params = m.x;
  out.loss = m.f;
  out.loss_start = m.f_start;
  out.iterations = m.iterations;
  out.evaluations = m.evaluations;
  out.infeasible = m.infeasible;
  out.algorithm = m.algorithm;
  out.constraint_names = cnames;
  out.constraint_values = m.constraint_values;
  out.feasible = m.feasible;
  out.status = m.status;
  out.message = m.message;
  const auto& r = solver.solve(m.x);
  out.solution = r.solution;
  if (r.ok()) {
    auto c = dsge::unconditional_covariance(r.solution);
    out.covariance = c.covariance;
  } else if (out.ok()) {
    out.status = r.status;
    out.message = "no stable solution at the optimum: " + r.message;
  }
  return out;
}

RobustResult robust_simple_rule(const std::vector<dsge::Model>& models, const std::vector<LossWeights>& weights,
                                const Vector& probabilities, RobustAggregation aggregation,
                                const OsrOptions& opts) {
  if (models.empty()) throw DimensionError("robust_simple_rule: no models");
  if (weights.size() != models.size())
    throw DimensionError("robust_simple_rule: " + std::to_string(weights.size()) + " loss weights for " +
                         std::to_string(models.size()) + " models");
  const Index M = static_cast<Index>(models.size());
  Vector p = probabilities.size() ? probabilities : Vector::Constant(M, 1.0 / static_cast<double>(M));
  if (p.size() != M) throw DimensionError("robust_simple_rule: probabilities have the wrong size");
  if ((p.array() < 0).any() || !p.allFinite()) throw OptionsError("robust_simple_rule: negative probability");
  OsrOptions o = complete(models.front(), opts);
  std::vector<ModelSolver> solvers;
  for (Index k = 0; k < M; ++k) {
    const auto& mk = models[static_cast<std::size_t>(k)];
    if (weights[static_cast<std::size_t>(k)].W.rows() != mk.n_endo())
      throw DimensionError("robust_simple_rule: weights of model " + std::to_string(k) + " do not match it");
    check_weights(weights[static_cast<std::size_t>(k)], "robust_simple_rule (model " + std::to_string(k) + ")");
    solvers.emplace_back(mk, o.params);
  }
  auto losses = [&](const Vector& x) {
    Vector l(M);
    for (Index k = 0; k < M; ++k) {
      const auto& r = solvers[static_cast<std::size_t>(k)].solve(x);
      l(k) = r.ok() ? quadratic_loss(r.solution, weights[static_cast<std::size_t>(k)])
                    : std::numeric_limits<double>::quiet_NaN();
    }
    return l;
  };
  auto aggregate = [&](const Vector& l) {
    if (!l.allFinite()) return std::numeric_limits<double>::quiet_NaN();
    return aggregation == RobustAggregation::WorstCase ? l.maxCoeff() : p.dot(l);
  };
  Objective f = [&](const Vector& x, Vector*) { return aggregate(losses(x)); };
  MinimizeResult m = numerics::minimize(f, o.start, o.minimizer);
  RobustResult out;
  out.param_names = o.params;
  out.params = m.x;
  out.loss = m.f;
  out.loss_start = m.f_start;
  out.model_losses = losses(m.x);
  out.model_losses_start = losses(o.start);
  out.evaluations = m.evaluations;
  out.status = m.status;
  out.message = m.message;
  return out;
}

}  // namespace govsim::policy
