// Optimal policy under commitment: symbolic first-order conditions of the planner, Ramsey
// steady state, first-order solution and planner objective (see ramsey.hpp).
#include <govsim/core/error.hpp>
#include <govsim/dsge/derivatives.hpp>
#include <govsim/dsge/second_order.hpp>
#include <govsim/dsge/steady_state.hpp>
#include <govsim/numerics/lyapunov.hpp>
#include <govsim/policy/ramsey.hpp>

#include "../dsge/model_data.hpp"
#include "../dsge/tape.hpp"
#include "optimal_policy_common.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_map>

namespace govsim::policy {

using detail::declarations;
using detail::fmt_number;
using detail::initval_block;
using detail::shocks_block;
using detail::split_names;

using dsge::ExprId;
using dsge::ExprNode;
using dsge::ExprOp;
using dsge::ExprPool;
using dsge::SymbolType;

void RamseyOptions::validate() const {
  if (!(tolerance > 0.0) || !std::isfinite(tolerance))
    throw OptionsError("RamseyOptions.tolerance must be positive and finite (got " + std::to_string(tolerance) + ")");
  if (max_iterations < 1)
    throw OptionsError("RamseyOptions.max_iterations must be at least 1 (got " + std::to_string(max_iterations) + ")");
  if (objective_order != 1 && objective_order != 2)
    throw OptionsError("RamseyOptions.objective_order must be 1 or 2 (got " + std::to_string(objective_order) + ")");
  perturbation.validate();
}

namespace {

/// Rebuild `e` with every variable leaf shifted by `k` periods.
class Shifter {
 public:
  Shifter(ExprPool& pool, int k) : pool_(pool), k_(k) {}
  ExprId operator()(ExprId e) {
    if (k_ == 0) return e;
    auto it = memo_.find(e);
    if (it != memo_.end()) return it->second;
    const ExprNode n = pool_.node(e);
    ExprId r = e;
    if (n.op == ExprOp::Endo || n.op == ExprOp::Exo || n.op == ExprOp::ExoDet)
      r = pool_.leaf(n.op, n.a, n.lag + k_);
    else if (dsge::is_unary(n.op))
      r = pool_.unary(n.op, (*this)(n.a));
    else if (dsge::is_binary(n.op))
      r = pool_.binary(n.op, (*this)(n.a), (*this)(n.b));
    memo_.emplace(e, r);
    return r;
  }

 private:
  ExprPool& pool_;
  int k_;
  std::unordered_map<ExprId, ExprId> memo_;
};

}  // namespace

RamseyModel derive_ramsey_model(const dsge::Model& model, const RamseyOptions& opts) {
  opts.validate();
  const dsge::Command* cmd = detail::last_command(model, {"ramsey_model", "ramsey_policy"});
  RamseyModel rm;
  rm.instruments = opts.instruments;
  if (rm.instruments.empty() && cmd) {
    if (auto v = cmd->option("instruments")) rm.instruments = split_names(*v);
  }
  std::string discount = opts.planner_discount;
  if (discount.empty() && cmd) {
    if (auto v = cmd->option("planner_discount")) discount = *v;
  }
  if (discount.empty()) discount = "1";  // Dynare's default
  const std::string objective = detail::objective_text(model, opts.planner_objective, "Ramsey policy");

  const Index n0 = model.n_endo();
  const Index m = static_cast<Index>(model.equations().size());
  Names endo = model.endo_names();
  for (const auto& ins : rm.instruments)
    if (std::find(endo.begin(), endo.end(), ins) == endo.end())
      throw ModelError("Ramsey policy of model '" + model.name() + "': instrument '" + ins +
                       "' is not an endogenous variable");
  if (n0 - m < 1)
    throw ModelError("Ramsey policy of model '" + model.name() + "': the model has " + std::to_string(m) +
                     " equations for " + std::to_string(n0) +
                     " endogenous variables; the planner needs fewer equations than variables (remove the policy rule)");
  if (!rm.instruments.empty() && static_cast<Index>(rm.instruments.size()) != n0 - m)
    throw ModelError("Ramsey policy of model '" + model.name() + "': " + std::to_string(rm.instruments.size()) +
                     " instrument(s) given but the model has " + std::to_string(n0 - m) +
                     " fewer equations than endogenous variables");
  rm.n_original_endo = n0;
  rm.planner_objective = objective;

  // 1. The original model with the objective, re-read so that the objective is in its pool.
  dsge::Model bm = detail::with_objective(model, objective, "Ramsey policy");
  const dsge::detail::ModelData& bd = bm.data();

  // 2. Lagrangian derivatives in a copy of the pool. Variables: (endo j, lag l) -> 3 j + l + 1.
  ExprPool pool = bd.pool;
  const Index np = bm.n_params();
  auto var_id = [n0](const ExprNode& n) -> int {
    if (n.op == ExprOp::Endo && n.a < static_cast<std::uint32_t>(n0) && n.lag >= -1 && n.lag <= 1)
      return static_cast<int>(3 * n.a) + n.lag + 1;
    return -1;
  };
  dsge::detail::Differentiator dv(pool, var_id);
  const ExprId beta = pool.leaf(ExprOp::Param, static_cast<std::uint32_t>(np));
  std::vector<ExprId> foc(static_cast<std::size_t>(n0), pool.zero());
  Shifter back(pool, -1), fwd(pool, 1);
  auto add_term = [&](ExprId term, int v) {
    const int j = v / 3, lag = v % 3 - 1;
    if (lag == 1) term = pool.binary(ExprOp::Div, back(term), beta);
    else if (lag == -1) term = pool.binary(ExprOp::Mul, beta, fwd(term));
    foc[static_cast<std::size_t>(j)] = pool.binary(ExprOp::Add, foc[static_cast<std::size_t>(j)], term);
  };
  const ExprId U = bd.planner_objective;
  {
    std::vector<int> deps = dv.deps(U);
    for (int v : deps) add_term(dv.d(U, v), v);
  }
  for (Index i = 0; i < m; ++i) {
    const ExprId r = bd.equations[static_cast<std::size_t>(i)].residual;
    const ExprId mult = pool.leaf(ExprOp::Endo, static_cast<std::uint32_t>(n0 + i), 0);
    std::vector<int> deps = dv.deps(r);
    for (int v : deps) {
      ExprId g = dv.d(r, v);
      if (g == pool.zero()) continue;
      add_term(pool.binary(ExprOp::Mul, mult, g), v);
    }
  }
  for (Index i = 0; i < m; ++i) rm.multipliers.push_back("MULT_" + std::to_string(i + 1));
  auto leaf_name = [&](const ExprNode& n) -> std::string {
    if (n.op == ExprOp::Endo && n.a >= static_cast<std::uint32_t>(n0)) {
      std::string s = rm.multipliers[n.a - static_cast<std::uint32_t>(n0)];
      if (n.lag != 0) s += "(" + std::string(n.lag > 0 ? "+" : "") + std::to_string(n.lag) + ")";
      return s;
    }
    if (n.op == ExprOp::Param && n.a == static_cast<std::uint32_t>(np)) return "optimal_policy_discount_factor";
    return bd.leaf_name(n);
  };

  // 3. The Ramsey model: first-order conditions, then the original equations.
  std::ostringstream o;
  o << "// Ramsey policy of model " << model.name() << ": first-order conditions of the planner\n";
  o << declarations(model, rm.multipliers, {{"optimal_policy_discount_factor", discount}}) << "model;\n";
  Names bn = bm.endo_names();
  std::vector<std::string> foc_text;
  for (Index j = 0; j < n0; ++j) {
    const ExprId f = foc[static_cast<std::size_t>(j)];
    if (f == pool.zero())
      throw ModelError("Ramsey policy of model '" + model.name() + "': variable '" + bn[j] +
                       "' appears neither in the equations nor in the planner objective");
    foc_text.push_back(pool.to_string(f, leaf_name));
  }
  const std::string head = o.str();
  // deterministic shocks (perfect foresight on the Ramsey model)
  std::string deterministic_shocks;
  if (!model.shocks().deterministic.empty()) {
    std::ostringstream d;
    d << "shocks;\n";
    for (const auto& sh : model.shocks().deterministic) {
      d << "var " << sh.name << "; periods";
      for (const auto& pr : sh.periods) d << " " << pr.first << (pr.second != pr.first ? ":" + std::to_string(pr.second) : "");
      d << "; values";
      for (double v : sh.values) d << " " << fmt_number(v);
      d << ";\n";
    }
    d << "end;\n";
    deterministic_shocks = d.str();
  }
  auto write = [&](const std::vector<std::string>& focs) {
    std::ostringstream t;
    t << head;
    for (Index j = 0; j < n0; ++j)
      t << "[name='Ramsey FOC " << bn[j] << "'] " << focs[static_cast<std::size_t>(j)] << " = 0;\n";
    for (Index i = 0; i < m; ++i) t << bm.equation_string(i) << ";\n";
    t << "end;\n" << shocks_block(model) << deterministic_shocks << initval_block(model) << "planner_objective "
      << objective << ";\n";
    return t.str();
  };
  rm.mod_text = write(foc_text);
  rm.model = dsge::parse_model(rm.mod_text, model.name() + "_ramsey");
  const auto& constraints = model.data().ramsey_constraints;
  if (!constraints.empty()) {
    // bounds per variable (the last one of each kind wins, as Dynare's assignment of lb/ub)
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> lb(static_cast<std::size_t>(n0), -inf), ub(static_cast<std::size_t>(n0), inf);
    for (const auto& c : constraints) {
      const auto k = static_cast<std::size_t>(std::find(bn.begin(), bn.end(), c.name) - bn.begin());
      if (k >= bn.size())
        throw ModelError("ramsey_constraints of model '" + model.name() + "': '" + c.name + "' is not an endogenous variable");
      (c.lower ? lb[k] : ub[k]) = c.value;
    }
    std::vector<std::string> mcp = foc_text;
    for (std::size_t k = 0; k < mcp.size(); ++k) {
      if (lb[k] > -inf && ub[k] < inf && !(lb[k] <= ub[k]))
        throw ModelError("ramsey_constraints of model '" + model.name() + "': the bounds of '" + bn[k] +
                         "' are empty (" + fmt_number(lb[k]) + " > " + fmt_number(ub[k]) + ")");
      std::string g = "(" + mcp[k] + ")";
      if (ub[k] < inf) g = "max(" + bn[k] + " - (" + fmt_number(ub[k]) + "), " + g + ")";
      if (lb[k] > -inf) g = "min(" + bn[k] + " - (" + fmt_number(lb[k]) + "), " + g + ")";
      mcp[k] = g;
    }
    rm.complementarity_model = dsge::parse_model(write(mcp), model.name() + "_ramsey_mcp");
  }
  rm.discount = rm.model.param("optimal_policy_discount_factor");
  return rm;
}

namespace {

/// Max |x|, NaN-propagating.
double max_abs(const Vector& v) {
  double r = 0.0;
  for (Index i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) return std::numeric_limits<double>::infinity();
    r = std::max(r, std::abs(v[i]));
  }
  return r;
}

}  // namespace

Vector ramsey_steady_state(const dsge::Model& original, const RamseyModel& ramsey, const RamseyOptions& opts,
                           Vector& params, Status& status, std::string& message, double& residual,
                           std::string& method) {
  const Index n0 = ramsey.n_original_endo;
  const Index m = static_cast<Index>(ramsey.multipliers.size());
  const Index nR = ramsey.model.n_endo();
  dsge::Model rmod = ramsey.model;
  params = rmod.params();
  Vector exo = original.exo_steady_state();
  Vector z = Vector::Zero(nR);
  Vector init = original.initval_endo();
  z.head(n0) = init;

  // Multipliers from the first-order conditions (linear in them) given the other variables.
  auto mult_ls = [&](Vector& zz) {
    zz.segment(n0, m).setZero();
    Vector r = rmod.static_residuals(zz).head(n0);
    Matrix J = rmod.static_jacobian(zz);
    Matrix A = J.block(0, n0, n0, m);
    zz.segment(n0, m) = A.colPivHouseholderQr().solve(-r);
  };

  if (original.has_steady_state_model() && !ramsey.instruments.empty()) {
    // The block is conditional on the instruments: solve FOC(inst, mult) = 0 (n0 equations in
    // n_inst + m = n0 unknowns), the private variables coming from the block.
    method = "steady_state_model+instruments";
    Names on = original.endo_names();
    std::vector<Index> k_inst;
    for (const auto& ins : ramsey.instruments)
      k_inst.push_back(static_cast<Index>(std::find(on.begin(), on.end(), ins) - on.begin()));
    const Index ni = static_cast<Index>(k_inst.size());
    Vector p0 = original.params();
    auto private_ss = [&](const Vector& inst, Vector& zz) {
      Vector y0 = init;
      for (Index k = 0; k < ni; ++k) y0[k_inst[static_cast<std::size_t>(k)]] = inst[k];
      Vector p = p0;
      Vector y = dsge::evaluate_steady_state_model(original, p, exo, y0);
      zz.head(n0) = y;
      Vector pr = rmod.params();
      pr.head(p.size()) = p;
      rmod.set_params(pr);
    };
    auto F = [&](const Vector& inst, const Vector& mult) {
      Vector zz = z;
      private_ss(inst, zz);
      zz.segment(n0, m) = mult;
      return Vector(rmod.static_residuals(zz).head(n0));
    };
    Vector inst(ni);
    for (Index k = 0; k < ni; ++k) inst[k] = init[k_inst[static_cast<std::size_t>(k)]];
    private_ss(inst, z);
    mult_ls(z);
    Vector mult = z.segment(n0, m);
    Vector f = F(inst, mult);
    double nf = f.norm();
    int it = 0;
    for (; it < opts.max_iterations && max_abs(f) > opts.tolerance * 1e-2; ++it) {
      if (!std::isfinite(nf)) break;
      Matrix J(n0, n0);
      for (Index k = 0; k < ni; ++k) {
        const double h = 1e-6 * std::max(1.0, std::abs(inst[k]));
        Vector ip = inst, im = inst;
        ip[k] += h;
        im[k] -= h;
        J.col(k) = (F(ip, mult) - F(im, mult)) / (2 * h);
      }
      Vector zz = z;
      private_ss(inst, zz);
      J.rightCols(m) = rmod.static_jacobian(zz).block(0, n0, n0, m);
      Vector step = J.colPivHouseholderQr().solve(-f);
      double t = 1.0;
      bool improved = false;
      for (int ls = 0; ls < 30; ++ls, t *= 0.5) {
        Vector i2 = inst + t * step.head(ni);
        Vector m2 = mult + t * step.tail(m);
        Vector f2 = F(i2, m2);
        const double n2 = f2.norm();
        if (std::isfinite(n2) && n2 < nf) {
          inst = i2;
          mult = m2;
          f = f2;
          nf = n2;
          improved = true;
          break;
        }
      }
      if (!improved) break;
    }
    private_ss(inst, z);
    z.segment(n0, m) = mult;
    params = rmod.params();
  } else {
    method = "newton";
    mult_ls(z);
  }
  // Polish (and fill any auxiliary variable of the Ramsey model) with Newton on the whole system.
  dsge::SteadyStateOptions so;
  so.tolerance = opts.tolerance;
  so.max_iterations = opts.max_iterations;
  so.initial_guess = z;
  so.use_steady_state_model = false;
  dsge::SteadyStateResult ss;
  bool polished = false;
  if (rmod.has_steady_state_model() == false) {
    ss = dsge::solve_steady_state(rmod, so);
    polished = ss.ok();
  }
  Vector out = polished ? ss.values : z;
  residual = max_abs(rmod.static_residuals(out));
  if (residual <= std::max(opts.tolerance, 1e-8) && std::isfinite(residual)) {
    status = Status::Success;
    message.clear();
  } else {
    status = Status::NotConverged;
    message = "Ramsey steady state not found (method " + method + "): max |static residual| = " + fmt_number(residual) +
              (polished ? "" : "; " + ss.message);
  }
  return out;
}

namespace {

/// U, Uy and (if `hessian`) Uyy of the planner objective at the steady state `ys` (derivatives
/// with respect to the current values of the Ramsey model's endogenous variables).
void objective_at(const RamseyModel& ramsey, const Vector& params, const Vector& ys, bool hessian, double& U,
                  Vector& Uy, Matrix& Uyy) {
  const dsge::detail::ModelData& d = ramsey.model.data();
  if (!d.has_planner_objective) throw ModelError("evaluate_planner_objective: the Ramsey model has no objective");
  const Index n = ramsey.model.n_endo();
  ExprPool pool = d.pool;
  dsge::detail::Differentiator dv(pool, [](const ExprNode& nd) {
    return nd.op == ExprOp::Endo && nd.lag == 0 ? static_cast<int>(nd.a) : -1;
  });
  auto leaf = [&](const ExprNode& nd) -> double {
    switch (nd.op) {
      case ExprOp::Endo: return ys[nd.a];
      case ExprOp::Param: return params[nd.a];
      case ExprOp::SteadyStateEndo: return ys[nd.a];
      default: return 0.0;
    }
  };
  U = dsge::detail::eval_tree(pool, d.planner_objective, leaf);
  Uy = Vector::Zero(n);
  Uyy = Matrix::Zero(n, n);
  std::vector<int> deps = dv.deps(d.planner_objective);
  for (int v : deps) {
    const ExprId g = dv.d(d.planner_objective, v);
    Uy[v] = dsge::detail::eval_tree(pool, g, leaf);
    if (hessian) {
      std::vector<int> deps2 = dv.deps(g);
      for (int w : deps2) Uyy(v, w) = dsge::detail::eval_tree(pool, dv.d(g, w), leaf);
    }
  }
}

/// Rows `idx` of `m`.
Matrix rows_of(const Matrix& m, const std::vector<Index>& idx) {
  Matrix out(static_cast<Index>(idx.size()), m.cols());
  for (std::size_t i = 0; i < idx.size(); ++i) out.row(static_cast<Index>(i)) = m.row(idx[i]);
  return out;
}

/// The row vector v (coefficients of x_i x_j at column i*k + j) as a symmetric k x k matrix M
/// with x' M x = v (x kron x).
Matrix quadratic_form(const Eigen::RowVectorXd& v, Index k) {
  Matrix M(k, k);
  for (Index i = 0; i < k; ++i)
    for (Index j = 0; j < k; ++j) M(i, j) = v[i * k + j];
  return 0.5 * (M + M.transpose());
}

/// Dynare's evaluate_planner_objective at order 1 (second == nullptr, order 1) or 2 (with the
/// second-order terms of `second`, or zero second-order terms for a linear Ramsey model).
PlannerObjectiveValue welfare(const RamseyModel& ramsey, const Vector& params, const Vector& ys, const Matrix& gy,
                              const Matrix& gu, const std::vector<Index>& states, const Matrix& Sigma, int order,
                              const dsge::SecondOrderResult* second) {
  const Index n = ramsey.model.n_endo();
  if (ys.size() != n || gy.rows() != n)
    throw DimensionError("evaluate_planner_objective: solution does not belong to the Ramsey model");
  double U = 0.0;
  Vector Uy;
  Matrix Uyy;
  objective_at(ramsey, params, ys, order == 2, U, Uy, Uyy);
  const double beta = ramsey.discount;
  const Index ns = static_cast<Index>(states.size());
  const Index ne = gu.cols();
  const Matrix Gy = rows_of(gy, states), Gu = rows_of(gu, states);
  const Matrix I = Matrix::Identity(ns, ns);
  // Wy = Uy gy (I - beta Gy)^{-1}
  const Eigen::RowVectorXd Wy = (Uy.transpose() * gy) * (I - beta * Gy).inverse();
  // states at the start: the deterministic steady state, lagged multipliers at 0 or at their steady state
  Vector yhat0 = Vector::Zero(ns);
  for (Index i = 0; i < ns; ++i) {
    const Index k = states[static_cast<std::size_t>(i)];
    if (k >= ramsey.n_original_endo && k < ramsey.n_original_endo + static_cast<Index>(ramsey.multipliers.size()))
      yhat0[i] = -ys[k];
  }
  const double Wbar = U / (1.0 - beta);
  PlannerObjectiveValue out;
  if (order == 1) {
    out.unconditional = Wbar;
    out.conditional_steady_initial_multiplier = Wbar;
    out.conditional_zero_initial_multiplier = Wbar + Wy.dot(yhat0);
    return out;
  }
  // second-order terms (zero for a linear Ramsey model: Dynare's linear-quadratic branch)
  Matrix gyy = Matrix::Zero(n, ns * ns), guu = Matrix::Zero(n, ne * ne);
  Vector gss = Vector::Zero(n);
  if (second) {
    gyy = second->ghxx;
    guu = second->ghuu;
    gss = second->ghs2;
  }
  const Matrix Gyy = rows_of(gyy, states), Guu = rows_of(guu, states);
  Vector Gss(ns);
  for (Index i = 0; i < ns; ++i) Gss[i] = gss[states[static_cast<std::size_t>(i)]];
  const Matrix Uyy_yy = gy.transpose() * Uyy * gy + quadratic_form(Uy.transpose() * gyy, ns);
  const Matrix Uyy_uu = gu.transpose() * Uyy * gu + quadratic_form(Uy.transpose() * guu, ne);
  Matrix Vx = Matrix::Zero(ns, ns), Wyy = Matrix::Zero(ns, ns);
  Vector Ex = Vector::Zero(ns);
  if (ns > 0) {
    numerics::LyapunovResult lv = numerics::solve_discrete_lyapunov(Gy, Gu * Sigma * Gu.transpose());
    if (!lv.ok()) throw SolveError("evaluate_planner_objective: variance of the states: " + lv.message);
    Vx = lv.X;
    // second-order mean of the states (Dynare's th_autocovariances at order 2)
    Vector rhs(ns);
    for (Index i = 0; i < ns; ++i) {
      double t = Gss[i];
      for (Index a = 0; a < ns; ++a)
        for (Index b = 0; b < ns; ++b) t += Gyy(i, a * ns + b) * Vx(a, b);
      for (Index a = 0; a < ne; ++a)
        for (Index b = 0; b < ne; ++b) t += Guu(i, a * ne + b) * Sigma(a, b);
      rhs[i] = 0.5 * t;
    }
    Ex = (I - Gy).partialPivLu().solve(rhs);
    const Matrix M = Uyy_yy + beta * quadratic_form(Wy * Gyy, ns);
    numerics::LyapunovResult lw = numerics::solve_discrete_lyapunov(std::sqrt(beta) * Gy.transpose(), M);
    if (!lw.ok()) throw SolveError("evaluate_planner_objective: second derivative of welfare: " + lw.message);
    Wyy = lw.X;
  }
  const double EU = U + (Uy.transpose() * gy).dot(Ex) +
                    0.5 * ((Uyy_yy * Vx).trace() + (Uyy_uu * Sigma).trace() + Uy.dot(gss));
  out.unconditional = EU / (1.0 - beta);
  const Matrix Wuu = Uyy_uu + beta * (Gu.transpose() * Wyy * Gu + quadratic_form(Wy * Guu, ne));
  const double Wss = (Uy.dot(gss) + beta * (Wy.dot(Gss) + (Wuu * Sigma).trace())) / (1.0 - beta);
  out.conditional_steady_initial_multiplier = Wbar + 0.5 * Wss;
  out.conditional_zero_initial_multiplier = Wbar + Wy.dot(yhat0) + 0.5 * (Wss + yhat0.dot(Wyy * yhat0));
  return out;
}

/// True when the Ramsey model's dynamic Hessian is zero at `ys` (a linear Ramsey model).
bool zero_hessian(const RamseyModel& ramsey, const Vector& params, const Vector& ys) {
  dsge::Model rm = ramsey.model;
  rm.set_params(params);
  dsge::ModelDerivatives md(rm, dsge::ModelForm::Dynamic, 2);
  dsge::DerivativeValues dvals = md.evaluate(rm.dynamic_point(ys), params, ys);
  for (double h : dvals.hessian.values)
    if (h != 0.0) return false;
  return true;
}

}  // namespace

PlannerObjectiveValue evaluate_planner_objective(const RamseyModel& ramsey, const Vector& params,
                                                 const dsge::PerturbationResult& sol, int order) {
  if (order != 1 && order != 2) throw OptionsError("evaluate_planner_objective: order must be 1 or 2");
  if (sol.steady_state.size() != ramsey.model.n_endo())
    throw DimensionError("evaluate_planner_objective: solution does not belong to the Ramsey model");
  if (order == 2 && !zero_hessian(ramsey, params, sol.steady_state)) {
    dsge::Model rm = ramsey.model;
    rm.set_params(params);
    const dsge::SecondOrderResult so = dsge::solve_second_order(rm, sol);
    if (!so.ok()) throw SolveError("evaluate_planner_objective: second-order solution: " + so.summary());
    return evaluate_planner_objective(ramsey, params, so);
  }
  return welfare(ramsey, params, sol.steady_state, sol.ghx, sol.ghu, sol.state_indices, sol.Sigma_e, order, nullptr);
}

PlannerObjectiveValue evaluate_planner_objective(const RamseyModel& ramsey, const Vector& params,
                                                 const dsge::SecondOrderResult& so) {
  if (so.ghxx.cols() != static_cast<Index>(so.state_indices.size() * so.state_indices.size()) ||
      so.ghxx.rows() != so.ghx.rows())
    throw DimensionError("evaluate_planner_objective: incomplete second-order solution");
  return welfare(ramsey, params, so.steady_state, so.ghx, so.ghu, so.state_indices, so.Sigma_e, 2, &so);
}

RamseyResult solve_ramsey(const dsge::Model& model, const RamseyOptions& opts) {
  RamseyResult r;
  r.ramsey = derive_ramsey_model(model, opts);
  r.steady_state = ramsey_steady_state(model, r.ramsey, opts, r.params, r.status, r.message,
                                       r.steady_state_residual, r.steady_state_method);
  if (!r.ok()) return r;
  dsge::Model rm = r.ramsey.model;
  rm.set_params(r.params);
  r.solution = dsge::solve_first_order(dsge::linearize(rm, r.steady_state), opts.perturbation);
  if (!r.solution.ok()) {
    r.status = r.solution.status;
    r.message = "Ramsey model: " + r.solution.message;
    return r;
  }
  if (opts.objective_order == 2 && !zero_hessian(r.ramsey, r.params, r.steady_state)) {
    dsge::SecondOrderResult so = dsge::solve_second_order(rm, r.solution);
    if (!so.ok()) {
      r.status = so.status;
      r.message = "Ramsey model, second order: " + so.summary();
      return r;
    }
    r.second = std::move(so);
    r.objective = evaluate_planner_objective(r.ramsey, r.params, *r.second);
  } else {
    r.objective = evaluate_planner_objective(r.ramsey, r.params, r.solution, opts.objective_order);
  }
  return r;
}

}  // namespace govsim::policy
