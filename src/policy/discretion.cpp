// Optimal discretionary policy in linear-quadratic models: Dennis (2007) as in Dynare 5.3
// (see discretion.hpp).
#include <govsim/core/error.hpp>
#include <govsim/dsge/steady_state.hpp>
#include <govsim/numerics/lyapunov.hpp>
#include <govsim/policy/discretion.hpp>

#include "../dsge/model_data.hpp"
#include "../dsge/tape.hpp"
#include "optimal_policy_common.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace govsim::policy {

using dsge::ExprNode;
using dsge::ExprOp;

void DiscretionOptions::validate() const {
  if (!(tolerance > 0.0) || !std::isfinite(tolerance))
    throw OptionsError("DiscretionOptions.tolerance must be positive and finite (got " + std::to_string(tolerance) + ")");
  if (max_iterations < 1)
    throw OptionsError("DiscretionOptions.max_iterations must be at least 1 (got " + std::to_string(max_iterations) + ")");
  if (!(qz_criterium > 0.0) || !std::isfinite(qz_criterium))
    throw OptionsError("DiscretionOptions.qz_criterium must be positive and finite");
}

namespace {

/// v = d + g v h by doubling (Dynare's SylvesterDoubling).
Matrix sylvester_doubling(const Matrix& d, Matrix g, Matrix h, double tol, int maxit) {
  Matrix v = d;
  for (int i = 0; i < maxit; ++i) {
    Matrix vadd = g * v * h;
    v += vadd;
    if (vadd.cwiseAbs().colwise().sum().maxCoeff() <= tol * v.cwiseAbs().colwise().sum().maxCoeff()) break;
    g = (g * g).eval();
    h = (h * h).eval();
  }
  return v;
}

/// v = d + g v h solved directly through vec(v) = (I - h' kron g)^{-1} vec(d) (used when the
/// doubling diverges because an iterate of H1 is explosive, as Dynare falls back to a direct solver).
Matrix sylvester_direct(const Matrix& d, const Matrix& g, const Matrix& h) {
  const Index m = d.rows(), n = d.cols();
  Matrix K = Matrix::Identity(m * n, m * n);
  for (Index j = 0; j < n; ++j)
    for (Index l = 0; l < n; ++l)
      if (h(l, j) != 0.0) K.block(j * m, l * m, m, m) -= h(l, j) * g;
  Vector x = K.partialPivLu().solve(Eigen::Map<const Vector>(d.data(), m * n));
  return Eigen::Map<Matrix>(x.data(), m, n);
}

}  // namespace

DiscretionResult solve_discretion(const dsge::Model& model, const DiscretionOptions& opts) {
  opts.validate();
  DiscretionResult r;
  const dsge::Command* cmd = detail::last_command(model, {"discretionary_policy"});
  r.instruments = opts.instruments;
  if (r.instruments.empty() && cmd)
    if (auto v = cmd->option("instruments")) r.instruments = detail::split_names(*v);
  std::string discount = opts.planner_discount;
  if (discount.empty() && cmd) {
    if (auto v = cmd->option("planner_discount")) discount = *v;
    else if (auto w = cmd->option("discount")) discount = *w;
  }
  if (discount.empty()) discount = "1";
  const std::string objective = detail::objective_text(model, opts.planner_objective, "discretionary policy");
  const std::string what = "discretionary policy of model '" + model.name() + "'";

  const Index n = model.n_endo();
  const Index neq = static_cast<Index>(model.equations().size());
  const Index ni = n - neq;
  if (ni < 1)
    throw ModelError(what + ": there are no instruments, the model has as many equations as variables");
  if (static_cast<Index>(r.instruments.size()) != ni)
    throw ModelError(what + ": " + std::to_string(r.instruments.size()) + " instrument(s) declared but " +
                     std::to_string(ni) + " equation(s) are omitted");
  Names endo = model.endo_names();
  std::vector<Index> instr;
  for (const auto& s : r.instruments) {
    auto it = std::find(endo.begin(), endo.end(), s);
    if (it == endo.end()) throw ModelError(what + ": instrument '" + s + "' is not an endogenous variable");
    instr.push_back(static_cast<Index>(it - endo.begin()));
  }
  // The objective and the discount in the model's terms.
  dsge::Model bm = detail::with_objective(model, objective, "discretionary policy");
  r.discount = detail::parameter_expression(model, discount);
  const double beta = r.discount;

  // Steady state: the steady_state_model block if any, else the origin; residuals must vanish.
  Vector ys = Vector::Zero(n);
  Vector params = model.params();
  if (model.has_steady_state_model()) ys = dsge::evaluate_steady_state_model(model, params, model.exo_steady_state());
  dsge::Model m2 = model;
  m2.set_params(params);
  {
    Vector res = m2.dynamic_residuals(m2.dynamic_point(ys), ys);
    if (!(res.cwiseAbs().maxCoeff() <= 1e-8))
      throw ModelError(what + ": the residuals are not zero at the steady state (max |residual| = " +
                       detail::fmt_number(res.cwiseAbs().maxCoeff()) +
                       "); write the model in deviations from the steady state or give a steady_state_model");
  }
  // Quadratic objective: gradient zero, Hessian W, at the steady state.
  {
    const dsge::detail::ModelData& d = bm.data();
    dsge::ExprPool pool = d.pool;
    dsge::detail::Differentiator dv(pool, [](const ExprNode& nd) {
      return nd.op == ExprOp::Endo && nd.lag == 0 ? static_cast<int>(nd.a) : -1;
    });
    auto leaf = [&](const ExprNode& nd) -> double {
      if (nd.op == ExprOp::Endo || nd.op == ExprOp::SteadyStateEndo) return ys[nd.a];
      if (nd.op == ExprOp::Param) return params[nd.a];
      return 0.0;
    };
    r.loss_weights = Matrix::Zero(n, n);
    std::vector<int> deps = dv.deps(d.planner_objective);
    for (int a : deps) {
      dsge::ExprId ga = dv.d(d.planner_objective, a);
      const double g = dsge::detail::eval_tree(pool, ga, leaf);
      if (std::abs(g) > 1e-12)
        throw ModelError(what + ": the derivative of the objective wrt '" + endo[static_cast<std::size_t>(a)] +
                         "' is not zero at the steady state (the objective must be a quadratic loss in deviations)");
      std::vector<int> deps2 = dv.deps(ga);
      for (int b : deps2) r.loss_weights(a, b) = dsge::detail::eval_tree(pool, dv.d(ga, b), leaf);
    }
  }
  const double U0 = [&] {
    const dsge::detail::ModelData& d = bm.data();
    return dsge::detail::eval_tree(d.pool, d.planner_objective, [&](const ExprNode& nd) -> double {
      if (nd.op == ExprOp::Endo || nd.op == ExprOp::SteadyStateEndo) return ys[nd.a];
      if (nd.op == ExprOp::Param) return params[nd.a];
      return 0.0;
    });
  }();

  // Structural matrices AAlag y_{t-1} + AA0 y_t + AAlead y_{t+1} + BB u_t = 0.
  dsge::LinearizedModel lin = dsge::linearize(m2, ys);
  const Index ne = model.n_exo();
  const Index nl = static_cast<Index>(lin.lagged.size()), nf = static_cast<Index>(lin.leads.size());
  Matrix AAlag = Matrix::Zero(neq, n), AA0 = lin.jacobian.block(0, nl, neq, n), AAlead = Matrix::Zero(neq, n);
  for (Index k = 0; k < nl; ++k) AAlag.col(lin.lagged[static_cast<std::size_t>(k)]) = lin.jacobian.col(k);
  for (Index k = 0; k < nf; ++k) AAlead.col(lin.leads[static_cast<std::size_t>(k)]) = lin.jacobian.col(nl + n + k);
  Matrix BB = lin.jacobian.block(0, nl + n + nf, neq, ne);

  // Dennis matrices (Dynare's GetDennisMatrices): y = non-instruments, auxiliaries for lagged instruments.
  std::vector<Index> ynon;
  for (Index j = 0; j < n; ++j)
    if (std::find(instr.begin(), instr.end(), j) == instr.end()) ynon.push_back(j);
  auto cols = [](const Matrix& M, const std::vector<Index>& c) {
    Matrix out(M.rows(), static_cast<Index>(c.size()));
    for (std::size_t k = 0; k < c.size(); ++k) out.col(static_cast<Index>(k)) = M.col(c[k]);
    return out;
  };
  Matrix A6 = -cols(AAlag, instr);
  std::vector<Index> aux;  // instruments (positions in instr) that appear lagged
  for (Index k = 0; k < ni; ++k)
    if (A6.col(k).cwiseAbs().maxCoeff() != 0.0) aux.push_back(k);
  const Index na = static_cast<Index>(aux.size()), ny = neq, mm = neq + na;
  Matrix A0 = Matrix::Zero(mm, mm), A1 = Matrix::Zero(mm, mm), A2 = Matrix::Zero(mm, mm);
  Matrix A3 = Matrix::Zero(mm, ni), A4 = Matrix::Zero(mm, ni), A5 = Matrix::Zero(mm, ne), Wm = Matrix::Zero(mm, mm);
  A0.topLeftCorner(ny, ny) = cols(AA0, ynon);
  A0.bottomRightCorner(na, na).setIdentity();
  A1.topLeftCorner(ny, ny) = -cols(AAlag, ynon);
  for (Index k = 0; k < na; ++k) A1.block(0, ny + k, ny, 1) = A6.col(aux[static_cast<std::size_t>(k)]);
  A2.topLeftCorner(ny, ny) = -cols(AAlead, ynon);
  A3.topRows(ny) = -cols(AA0, instr);
  for (Index k = 0; k < na; ++k) A3(ny + k, aux[static_cast<std::size_t>(k)]) = 1.0;
  A4.topRows(ny) = -cols(AAlead, instr);
  A5.topRows(ny) = -BB;
  for (Index a = 0; a < ny; ++a)
    for (Index b = 0; b < ny; ++b)
      Wm(a, b) = r.loss_weights(ynon[static_cast<std::size_t>(a)], ynon[static_cast<std::size_t>(b)]);
  Matrix Q(ni, ni);
  for (Index a = 0; a < ni; ++a)
    for (Index b = 0; b < ni; ++b) Q(a, b) = r.loss_weights(instr[static_cast<std::size_t>(a)], instr[static_cast<std::size_t>(b)]);

  Matrix H1 = Matrix::Zero(mm, mm), F1 = Matrix::Zero(ni, mm);
  Matrix Dinv, A3DPD;
  int rcode = 0;
  for (int iter = 1;; ++iter) {
    Matrix P = sylvester_doubling(Wm + beta * F1.transpose() * Q * F1, beta * H1.transpose(), H1, opts.tolerance,
                                  opts.max_iterations);
    if (!P.allFinite())
      P = sylvester_direct(Wm + beta * F1.transpose() * Q * F1, beta * H1.transpose(), H1);
    if (!P.allFinite()) {
      rcode = 3;
      break;
    }
    Matrix D = A0 - A2 * H1 - A4 * F1;
    Eigen::FullPivLU<Matrix> lu(D);
    if (!lu.isInvertible()) {
      rcode = 4;
      break;
    }
    Dinv = lu.inverse();
    A3DPD = A3.transpose() * Dinv.transpose() * P * Dinv;
    Matrix F1n = -(Q + A3DPD * A3).fullPivLu().solve(A3DPD * A1);
    Matrix H1n = Dinv * (A1 + A3 * F1n);
    double nq = std::max((H1n - H1).cwiseAbs().maxCoeff(), F1n.size() ? (F1n - F1).cwiseAbs().maxCoeff() : 0.0);
    H1 = H1n;
    F1 = F1n;
    r.iterations = iter;
    if (std::isnan(nq)) { rcode = 3; break; }
    if (iter > opts.max_iterations) { rcode = 2; break; }
    if (nq < opts.tolerance) { rcode = 1; break; }
  }
  if (rcode != 1) {
    r.status = rcode == 2 ? Status::MaxIterations : Status::NumericalIssue;
    r.message = what + (rcode == 2 ? ": the Dennis iteration did not converge in " + std::to_string(opts.max_iterations) + " iterations"
                                   : rcode == 4 ? ": singular matrix in the Dennis iteration" : ": NaN in the Dennis iteration");
    return r;
  }
  const double rho = H1.size() ? H1.eigenvalues().cwiseAbs().maxCoeff() : 0.0;
  if (rho > opts.qz_criterium) {
    r.status = Status::NoStableSolution;
    r.message = what + ": the discretionary solution is explosive (spectral radius " + detail::fmt_number(rho) + ")";
    return r;
  }
  Matrix F2 = -(Q + A3DPD * A3).fullPivLu().solve(A3DPD * A5);
  Matrix H2 = Dinv * (A5 + A3 * F2);
  // Back to all endogenous variables: the columns of the auxiliaries are those of the lagged instruments.
  Matrix H = Matrix::Zero(n, n), G = Matrix::Zero(n, ne);
  for (Index a = 0; a < ny; ++a) {
    const Index ra = ynon[static_cast<std::size_t>(a)];
    G.row(ra) = H2.row(a);
    for (Index b = 0; b < ny; ++b) H(ra, ynon[static_cast<std::size_t>(b)]) = H1(a, b);
    for (Index k = 0; k < na; ++k) H(ra, instr[static_cast<std::size_t>(aux[static_cast<std::size_t>(k)])]) = H1(a, ny + k);
  }
  for (Index a = 0; a < ni; ++a) {
    const Index ra = instr[static_cast<std::size_t>(a)];
    G.row(ra) = F2.row(a);
    for (Index b = 0; b < ny; ++b) H(ra, ynon[static_cast<std::size_t>(b)]) = F1(a, b);
    for (Index k = 0; k < na; ++k) H(ra, instr[static_cast<std::size_t>(aux[static_cast<std::size_t>(k)])]) = F1(a, ny + k);
  }

  // Decision rules in the layout of dsge::PerturbationResult.
  dsge::PerturbationResult& s = r.solution;
  s.endo_names = endo;
  s.n_declared = model.n_declared_endo();
  s.exo_names = model.exo_names();
  s.steady_state = ys;
  s.Sigma_e = model.Sigma_e();
  std::vector<char> has_lag(static_cast<std::size_t>(n), 0), has_lead(static_cast<std::size_t>(n), 0);
  for (Index j : lin.lagged) has_lag[static_cast<std::size_t>(j)] = 1;
  for (Index j : lin.leads) has_lead[static_cast<std::size_t>(j)] = 1;
  std::vector<Index> st, bw, mx, fw;
  for (Index j = 0; j < n; ++j) {
    const bool l = has_lag[static_cast<std::size_t>(j)], f = has_lead[static_cast<std::size_t>(j)];
    (l ? (f ? mx : bw) : (f ? fw : st)).push_back(j);
  }
  s.order_var = st;
  s.order_var.insert(s.order_var.end(), bw.begin(), bw.end());
  s.order_var.insert(s.order_var.end(), mx.begin(), mx.end());
  s.order_var.insert(s.order_var.end(), fw.begin(), fw.end());
  s.n_static = static_cast<Index>(st.size());
  s.n_backward = static_cast<Index>(bw.size());
  s.n_mixed = static_cast<Index>(mx.size());
  s.n_forward_only = static_cast<Index>(fw.size());
  s.n_states = s.n_backward + s.n_mixed;
  s.n_forward = s.n_forward_only + s.n_mixed;
  s.state_indices = bw;
  s.state_indices.insert(s.state_indices.end(), mx.begin(), mx.end());
  for (Index j : s.state_indices) s.state_names.push_back(endo[static_cast<std::size_t>(j)]);
  s.A = Matrix::Zero(n, n);
  s.ghx = Matrix(n, s.n_states);
  for (Index k = 0; k < s.n_states; ++k) {
    const Index j = s.state_indices[static_cast<std::size_t>(k)];
    s.ghx.col(k) = H.col(j);
    s.A.col(j) = H.col(j);
  }
  s.ghu = G;
  s.B = G;
  s.determinate = s.unique = true;
  s.status = Status::Success;

  // Planner objective (Dynare's linear-quadratic branch of evaluate_planner_objective).
  const Index ns = s.n_states;
  Matrix Gy(ns, ns), Gu(ns, ne);
  for (Index k = 0; k < ns; ++k) {
    Gy.row(k) = s.ghx.row(s.state_indices[static_cast<std::size_t>(k)]);
    Gu.row(k) = G.row(s.state_indices[static_cast<std::size_t>(k)]);
  }
  const Matrix& Uyy = r.loss_weights;
  const Matrix& Sigma = s.Sigma_e;
  Matrix Vx = Matrix::Zero(ns, ns), Wyy = Matrix::Zero(ns, ns);
  if (ns > 0) {
    numerics::LyapunovResult lv = numerics::solve_discrete_lyapunov(Gy, Gu * Sigma * Gu.transpose());
    numerics::LyapunovResult lw =
        numerics::solve_discrete_lyapunov(std::sqrt(beta) * Gy.transpose(), s.ghx.transpose() * Uyy * s.ghx);
    if (!lv.ok() || !lw.ok()) {
      r.status = Status::NumericalIssue;
      r.message = what + ": Lyapunov equation of the objective failed: " + (lv.ok() ? lw.message : lv.message);
      return r;
    }
    Vx = lv.X;
    Wyy = lw.X;
  }
  const double EU = U0 + 0.5 * ((s.ghx.transpose() * Uyy * s.ghx * Vx).trace() + (G.transpose() * Uyy * G * Sigma).trace());
  r.objective.unconditional = EU / (1.0 - beta);
  const Matrix Wuu = G.transpose() * Uyy * G + beta * Gu.transpose() * Wyy * Gu;
  const double Wss = beta * (Wuu * Sigma).trace() / (1.0 - beta);
  r.objective.conditional = U0 / (1.0 - beta) + 0.5 * Wss;
  r.status = Status::Success;
  return r;
}

}  // namespace govsim::policy
