// Second-order perturbation. See second_order.hpp for the equations; here the comments explain
// the composite-function bookkeeping.
//
// Let z = (x, u). The dynamic columns v = (y⁻, y, y⁺, u) are functions of z:
//   y⁻ = x (lagged column j is state sidx[j]),  y = g(z),  y⁺ = g^F(g^s(z), σε'),  u = u.
// Differentiating f(v(z)) = 0 twice gives, for blocks a, b ∈ {x, u},
//   f_y g_ab + f₊ [g^F_xx (g^s_a ⊗ g^s_b) + g^F_x g^s_ab] + f_vv (V_a ⊗ V_b) = 0,
// i.e. A g_ab + B g_xx (g^s_a ⊗ g^s_b) = −f_vv (V_a ⊗ V_b), with A = f_y + f₊ g^F_x (state
// columns) and B = f₊ in the forward columns. Only the (x, x) block is a Sylvester equation; the
// others reuse g_xx. The σσ block adds the expectation of the shock terms.
#include <govsim/core/error.hpp>
#include <govsim/dsge/derivatives.hpp>
#include <govsim/dsge/second_order.hpp>

#include <Eigen/Eigenvalues>
#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <complex>
#include <sstream>

namespace govsim::dsge {

void SecondOrderOptions::validate() const {
  if (!(singular_tolerance > 0)) throw OptionsError("SecondOrderOptions: singular_tolerance must be > 0");
}

std::string SecondOrderResult::summary() const {
  std::ostringstream os;
  os << "second-order perturbation: " << to_string(status) << ", " << endo_names.size() << " variables, "
     << state_names.size() << " states, " << exo_names.size() << " shocks";
  if (ok()) os << ", Sylvester residual " << sylvester_residual;
  if (!message.empty()) os << ". " << message;
  return os.str();
}

namespace {

using CMatrix = Eigen::MatrixXcd;

/// X (P ⊗ Q) without forming the Kronecker product: row r of X, read as a p1 x q1 matrix M
/// (M(k, l) = X(r, k·q1 + l)), becomes Pᵀ M Q stored at i·q2 + j.
template <class Mat, class MP, class MQ>
Mat kron_right(const Mat& X, const MP& P, const MQ& Q) {
  using S = typename Mat::Scalar;
  const Index p1 = P.rows(), p2 = P.cols(), q1 = Q.rows(), q2 = Q.cols();
  Mat out(X.rows(), p2 * q2);
  Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> M(p1, q1), R;
  const Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> Pt = P.transpose().template cast<S>();
  const Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> Qs = Q.template cast<S>();
  for (Index r = 0; r < X.rows(); ++r) {
    for (Index k = 0; k < p1; ++k)
      for (Index l = 0; l < q1; ++l) M(k, l) = X(r, k * q1 + l);
    R.noalias() = Pt * M * Qs;
    for (Index i = 0; i < p2; ++i)
      for (Index j = 0; j < q2; ++j) out(r, i * q2 + j) = R(i, j);
  }
  return out;
}

/// f_vv (Va ⊗ Vb) from the symmetric sparse Hessian: n x (na·nb).
Matrix contract_hessian(const SparseTensor& H, const Matrix& Va, const Matrix& Vb) {
  const Index na = Va.cols(), nb = Vb.cols();
  Matrix out = Matrix::Zero(H.n_rows, na * nb);
  for (Index e = 0; e < H.nnz(); ++e) {
    const Index r = H.rows[static_cast<std::size_t>(e)];
    const Index i = H.cols[static_cast<std::size_t>(e)][0], j = H.cols[static_cast<std::size_t>(e)][1];
    const double v = H.values[static_cast<std::size_t>(e)];
    for (Index a = 0; a < na; ++a) {
      const double via = Va(i, a), vja = Va(j, a);
      if (via == 0.0 && vja == 0.0) continue;
      for (Index b = 0; b < nb; ++b) {
        double s = via * Vb(j, b);
        if (i != j) s += vja * Vb(i, b);
        out(r, a * nb + b) += v * s;
      }
    }
  }
  return out;
}

/// Doubling for Σ = G Σ Gᵀ + Q (G stable).
Matrix lyapunov_doubling(const Matrix& G, const Matrix& Q, bool& ok) {
  Matrix P = Q, Ak = G;
  ok = false;
  for (int it = 0; it < 200; ++it) {
    Matrix Pn = P + Ak * P * Ak.transpose();
    Ak = Ak * Ak;
    double d = (Pn - P).cwiseAbs().maxCoeff();
    P = Pn;
    if (d <= 1e-16 * std::max(1.0, P.cwiseAbs().maxCoeff()) || Ak.cwiseAbs().maxCoeff() < 1e-300) {
      ok = true;
      break;
    }
  }
  P = 0.5 * (P + P.transpose());
  return P;
}

/// Gauss-Hermite nodes and weights for E[h(ε)], ε ~ N(0, 1) (Golub-Welsch on the probabilists'
/// Hermite recurrence).
void gauss_hermite(int m, Vector& x, Vector& w) {
  Matrix J = Matrix::Zero(m, m);
  for (int i = 1; i < m; ++i) J(i, i - 1) = J(i - 1, i) = std::sqrt(static_cast<double>(i));
  Eigen::SelfAdjointEigenSolver<Matrix> es(J);
  x = es.eigenvalues();
  w = es.eigenvectors().row(0).transpose().array().square();
}

}  // namespace

Matrix solve_kronecker_sylvester(const Eigen::Ref<const Matrix>& A, const Eigen::Ref<const Matrix>& B,
                                 const Eigen::Ref<const Matrix>& G, const Eigen::Ref<const Matrix>& C) {
  const Index n = A.rows(), m = G.rows();
  if (A.cols() != n || B.rows() != n || B.cols() != n || G.cols() != m || C.rows() != n || C.cols() != m * m)
    throw DimensionError("solve_kronecker_sylvester: need A, B n x n, G m x m, C n x m^2");
  if (n == 0 || m == 0) return Matrix::Zero(n, m * m);
  Eigen::PartialPivLU<Matrix> lu(A);
  if (!(std::abs(lu.determinant()) > 0) || lu.rcond() < 1e-14)
    throw SolveError("solve_kronecker_sylvester: A is singular");
  const Matrix Cm = lu.solve(B);
  const Matrix R = lu.solve(C);
  Eigen::ComplexSchur<CMatrix> sg(G.cast<std::complex<double>>());
  Eigen::ComplexSchur<CMatrix> sc(Cm.cast<std::complex<double>>());
  const CMatrix& U = sg.matrixU();
  const CMatrix& T = sg.matrixT();
  const CMatrix& Q = sc.matrixU();
  const CMatrix& S = sc.matrixT();
  // R̃ = Qᴴ R (U ⊗ U)
  CMatrix Rt = Q.adjoint() * kron_right(CMatrix(R.cast<std::complex<double>>()), U, U);
  CMatrix Z = CMatrix::Zero(n, m * m);
  std::vector<CMatrix> Hk;  // Hk[k] = Z_(k,·) T, for completed blocks k
  Hk.reserve(static_cast<std::size_t>(m));
  Eigen::VectorXcd P(n), rhs(n);
  CMatrix Mt(n, n);
  for (Index i = 0; i < m; ++i) {
    for (Index j = 0; j < m; ++j) {
      P.setZero();
      for (Index k = 0; k < i; ++k)
        if (T(k, i) != 0.0) P += T(k, i) * Hk[static_cast<std::size_t>(k)].col(j);
      for (Index l = 0; l < j; ++l)
        if (T(l, j) != 0.0) P += T(i, i) * T(l, j) * Z.col(i * m + l);
      rhs = Rt.col(i * m + j) - S * P;
      Mt = (T(i, i) * T(j, j)) * S;
      Mt.diagonal().array() += 1.0;
      Z.col(i * m + j) = Mt.triangularView<Eigen::Upper>().solve(rhs);
    }
    CMatrix Zi(n, m);
    for (Index l = 0; l < m; ++l) Zi.col(l) = Z.col(i * m + l);
    Hk.push_back(Zi * T);
  }
  // X = Q Z (U ⊗ U)ᴴ = Q Z (Uᴴ ⊗ Uᴴ)
  const CMatrix Uh = U.adjoint();
  CMatrix X = Q * kron_right(Z, Uh, Uh);
  return X.real();
}

SecondOrderResult solve_second_order(const Model& model, const PerturbationResult& first,
                                     const SecondOrderOptions& opts) {
  opts.validate();
  SecondOrderResult r;
  r.endo_names = first.endo_names;
  r.n_declared = first.n_declared;
  r.exo_names = first.exo_names;
  r.state_names = first.state_names;
  r.state_indices = first.state_indices;
  r.steady_state = first.steady_state;
  r.Sigma_e = first.Sigma_e;
  r.ghx = first.ghx;
  r.ghu = first.ghu;
  if (!first.ok()) {
    r.status = first.status;
    r.message = "first-order solution failed: " + first.message;
    return r;
  }
  const Index n = model.n_endo(), nu = model.n_exo();
  if (first.ghx.rows() != n || first.ghu.cols() != nu)
    throw DimensionError("solve_second_order: the first-order solution does not match the model");
  const auto& lag = model.lagged_variables();
  const auto& lead = model.lead_variables();
  const Index nl = static_cast<Index>(lag.size()), nf = static_cast<Index>(lead.size());
  const Index nx = static_cast<Index>(first.state_indices.size());
  std::vector<Index> pos(static_cast<std::size_t>(n), -1);
  for (Index s = 0; s < nx; ++s) pos[static_cast<std::size_t>(first.state_indices[static_cast<std::size_t>(s)])] = s;

  // Derivatives at the steady state.
  ModelDerivatives md(model, ModelForm::Dynamic, 2);
  Vector exo_ss = model.exo_steady_state();
  if (exo_ss.size() != nu) exo_ss = Vector::Zero(nu);
  const Vector point = model.dynamic_point(first.steady_state, exo_ss);
  DerivativeValues dv = md.evaluate(point, model.params(), first.steady_state);
  const Matrix f1 = Matrix(dv.jacobian);
  const Index nv = f1.cols();

  Matrix Gs(nx, nx), Hs(nx, nu);
  for (Index s = 0; s < nx; ++s) {
    Gs.row(s) = first.ghx.row(first.state_indices[static_cast<std::size_t>(s)]);
    Hs.row(s) = first.ghu.row(first.state_indices[static_cast<std::size_t>(s)]);
  }
  Matrix gFx(nf, nx), gFu(nf, nu);
  for (Index k = 0; k < nf; ++k) {
    gFx.row(k) = first.ghx.row(lead[static_cast<std::size_t>(k)]);
    gFu.row(k) = first.ghu.row(lead[static_cast<std::size_t>(k)]);
  }
  // V_x and V_u: derivatives of the dynamic columns with respect to x and u.
  Matrix Vx = Matrix::Zero(nv, nx), Vu = Matrix::Zero(nv, nu);
  for (Index j = 0; j < nl; ++j) {
    Index s = pos[static_cast<std::size_t>(lag[static_cast<std::size_t>(j)])];
    if (s < 0) {
      r.status = Status::NumericalIssue;
      r.message = "lagged variable " + first.endo_names[static_cast<std::size_t>(lag[static_cast<std::size_t>(j)])] +
                  " is not a state of the first-order solution";
      return r;
    }
    Vx(j, s) = 1.0;
  }
  Vx.middleRows(nl, n) = first.ghx;
  Vu.middleRows(nl, n) = first.ghu;
  Vx.middleRows(nl + n, nf) = gFx * Gs;
  Vu.middleRows(nl + n, nf) = gFx * Hs;
  for (Index j = 0; j < nu; ++j) Vu(nl + n + nf + j, j) = 1.0;

  const Matrix f0 = f1.middleCols(nl, n);
  const Matrix fp = f1.middleCols(nl + n, nf);
  Matrix A = f0;
  const Matrix fpgx = fp * gFx;
  for (Index s = 0; s < nx; ++s) A.col(first.state_indices[static_cast<std::size_t>(s)]) += fpgx.col(s);
  Matrix B = Matrix::Zero(n, n);
  for (Index k = 0; k < nf; ++k) B.col(lead[static_cast<std::size_t>(k)]) += fp.col(k);

  Eigen::PartialPivLU<Matrix> luA(A);
  if (n > 0 && luA.rcond() < opts.singular_tolerance) {
    r.status = Status::Singular;
    r.message = "f_y + f_+ g_x is singular (reciprocal condition " + std::to_string(luA.rcond()) + ")";
    return r;
  }
  const Matrix Dxx = contract_hessian(dv.hessian, Vx, Vx);
  try {
    r.ghxx = solve_kronecker_sylvester(A, B, Gs, -Dxx);
  } catch (const SolveError& e) {
    r.status = Status::Singular;
    r.message = e.what();
    return r;
  }
  // residual check of the Sylvester equation (rows F suffice for the B term)
  {
    Matrix XF(nf, nx * nx);
    for (Index k = 0; k < nf; ++k) XF.row(k) = r.ghxx.row(lead[static_cast<std::size_t>(k)]);
    Matrix res = A * r.ghxx + fp * kron_right(XF, Gs, Gs) + Dxx;
    r.sylvester_residual = res.size() ? res.cwiseAbs().maxCoeff() : 0.0;
  }
  Matrix XF(nf, nx * nx);
  for (Index k = 0; k < nf; ++k) XF.row(k) = r.ghxx.row(lead[static_cast<std::size_t>(k)]);
  r.ghxu = -luA.solve(contract_hessian(dv.hessian, Vx, Vu) + fp * kron_right(XF, Gs, Hs));
  r.ghuu = -luA.solve(contract_hessian(dv.hessian, Vu, Vu) + fp * kron_right(XF, Hs, Hs));

  // σσ: (A + B) g_σσ = −[f₊ g^F_uu vec(Σ) + f₊₊ : (g^F_u Σ g^F_uᵀ)]
  const Matrix& Sig = first.Sigma_e.size() ? first.Sigma_e : model.Sigma_e();
  Vector rhs = Vector::Zero(n);
  Vector guuS(nf);
  for (Index k = 0; k < nf; ++k) {
    double s = 0;
    for (Index a = 0; a < nu; ++a)
      for (Index b = 0; b < nu; ++b) s += r.ghuu(lead[static_cast<std::size_t>(k)], a * nu + b) * Sig(a, b);
    guuS[k] = s;
  }
  rhs += fp * guuS;
  const Matrix W = gFu * Sig * gFu.transpose();
  const SparseTensor& H = dv.hessian;
  for (Index e = 0; e < H.nnz(); ++e) {
    Index i = H.cols[static_cast<std::size_t>(e)][0] - nl - n, j = H.cols[static_cast<std::size_t>(e)][1] - nl - n;
    if (i < 0 || j < 0 || i >= nf || j >= nf) continue;
    double v = H.values[static_cast<std::size_t>(e)];
    rhs[H.rows[static_cast<std::size_t>(e)]] += v * (i == j ? W(i, i) : W(i, j) + W(j, i));
  }
  Eigen::PartialPivLU<Matrix> luAB(A + B);
  if (n > 0 && luAB.rcond() < opts.singular_tolerance) {
    r.status = Status::Singular;
    r.message = "f_y + f_+ g_x + f_+ is singular: ghs2 undefined (unit root?)";
    return r;
  }
  r.ghs2 = -luAB.solve(rhs);
  r.status = Status::Success;

  if (opts.compute_mean) {
    bool ok = false;
    Matrix Sx = nx ? lyapunov_doubling(Gs, Hs * Sig * Hs.transpose(), ok) : Matrix();
    if (nx == 0) ok = true;
    if (ok) {
      r.state_covariance = Sx;
      Vector vSx(nx * nx), vS(nu * nu);
      for (Index a = 0; a < nx; ++a)
        for (Index b = 0; b < nx; ++b) vSx[a * nx + b] = Sx(a, b);
      for (Index a = 0; a < nu; ++a)
        for (Index b = 0; b < nu; ++b) vS[a * nu + b] = Sig(a, b);
      const Vector c = 0.5 * (r.ghxx * vSx + r.ghuu * vS + r.ghs2);
      Vector cs(nx);
      for (Index s = 0; s < nx; ++s) cs[s] = c[first.state_indices[static_cast<std::size_t>(s)]];
      Vector ms = nx ? Vector((Matrix::Identity(nx, nx) - Gs).partialPivLu().solve(cs)) : Vector();
      r.mean = r.steady_state + first.ghx * ms + c;
    } else {
      r.message = "the mean was not computed (the first-order state transition is not stable)";
    }
  }
  return r;
}

Vector evaluate_decision_rule(const SecondOrderResult& rule, const Vector& x, const Vector& u, int order) {
  const Index nx = rule.ghx.cols(), nu = rule.ghu.cols();
  if (x.size() != nx || u.size() != nu) throw DimensionError("evaluate_decision_rule: x or u has the wrong size");
  if (order != 1 && order != 2) throw OptionsError("evaluate_decision_rule: order must be 1 or 2");
  Vector y = rule.steady_state + rule.ghx * x + rule.ghu * u;
  if (order == 2) {
    Vector xx(nx * nx), xu(nx * nu), uu(nu * nu);
    for (Index i = 0; i < nx; ++i) {
      for (Index j = 0; j < nx; ++j) xx[i * nx + j] = x[i] * x[j];
      for (Index j = 0; j < nu; ++j) xu[i * nu + j] = x[i] * u[j];
    }
    for (Index i = 0; i < nu; ++i)
      for (Index j = 0; j < nu; ++j) uu[i * nu + j] = u[i] * u[j];
    y += 0.5 * rule.ghs2 + 0.5 * rule.ghxx * xx + rule.ghxu * xu + 0.5 * rule.ghuu * uu;
  }
  return y;
}

PrunedSimulation simulate_second_order(const SecondOrderResult& rule, const Eigen::Ref<const Matrix>& shocks,
                                       bool pruned) {
  const Index n = rule.ghx.rows(), nx = rule.ghx.cols(), nu = rule.ghu.cols(), T = shocks.rows();
  if (shocks.cols() != nu) throw DimensionError("simulate_second_order: shocks need one column per exogenous variable");
  if (!rule.ok()) throw SolveError("simulate_second_order: the second-order rule is not valid: " + rule.message);
  PrunedSimulation out;
  out.paths.resize(T, n);
  out.first_order.resize(T, n);
  out.second_order.resize(T, n);
  Vector xf = Vector::Zero(nx), xs = Vector::Zero(nx), x = Vector::Zero(nx);
  Vector xx(nx * nx), xu(nx * nu), uu(nu * nu);
  for (Index t = 0; t < T; ++t) {
    const Vector u = shocks.row(t).transpose();
    const Vector& k = pruned ? xf : x;  // pruning: quadratic terms in the first-order state only
    for (Index i = 0; i < nx; ++i) {
      for (Index j = 0; j < nx; ++j) xx[i * nx + j] = k[i] * k[j];
      for (Index j = 0; j < nu; ++j) xu[i * nu + j] = k[i] * u[j];
    }
    for (Index i = 0; i < nu; ++i)
      for (Index j = 0; j < nu; ++j) uu[i * nu + j] = u[i] * u[j];
    const Vector quad = 0.5 * rule.ghs2 + 0.5 * rule.ghxx * xx + rule.ghxu * xu + 0.5 * rule.ghuu * uu;
    Vector yf, ys;
    if (pruned) {
      yf = rule.ghx * xf + rule.ghu * u;
      ys = rule.ghx * xs + quad;
    } else {
      yf = rule.ghx * x + rule.ghu * u;
      ys = quad;
    }
    out.first_order.row(t) = yf.transpose();
    out.second_order.row(t) = ys.transpose();
    out.paths.row(t) = (rule.steady_state + yf + ys).transpose();
    for (Index s = 0; s < nx; ++s) {
      const Index v = rule.state_indices[static_cast<std::size_t>(s)];
      xf[s] = yf[v];
      xs[s] = ys[v];
      x[s] = yf[v] + ys[v];
    }
  }
  return out;
}

Matrix euler_equation_errors(const Model& model, const SecondOrderResult& rule, const Eigen::Ref<const Matrix>& states,
                             int order, int nodes) {
  if (nodes < 1) throw OptionsError("euler_equation_errors: nodes must be >= 1");
  const Index nx = rule.ghx.cols(), nu = rule.ghu.cols(), n = rule.ghx.rows();
  if (states.cols() != nx) throw DimensionError("euler_equation_errors: states need one column per state");
  const auto& lag = model.lagged_variables();
  const auto& lead = model.lead_variables();
  std::vector<Index> pos(static_cast<std::size_t>(n), -1);
  for (Index s = 0; s < nx; ++s) pos[static_cast<std::size_t>(rule.state_indices[static_cast<std::size_t>(s)])] = s;
  // product Gauss-Hermite rule on ε = L η, η ~ N(0, I)
  Vector gx, gw;
  gauss_hermite(nodes, gx, gw);
  Matrix Sig = rule.Sigma_e + 1e-14 * Matrix::Identity(nu, nu);
  Matrix L = nu ? Matrix(Sig.llt().matrixL()) : Matrix();
  Index total = 1;
  for (Index k = 0; k < nu; ++k) total *= nodes;
  Matrix eps(total, nu);
  Vector w(total);
  for (Index q = 0; q < total; ++q) {
    Index rem = q;
    Vector eta(nu);
    double wq = 1;
    for (Index k = 0; k < nu; ++k) {
      Index d = rem % nodes;
      rem /= nodes;
      eta[k] = gx[d];
      wq *= gw[d];
    }
    eps.row(q) = (L * eta).transpose();
    w[q] = wq;
  }
  Vector exo_ss = model.exo_steady_state();
  if (exo_ss.size() != nu) exo_ss = Vector::Zero(nu);
  Matrix out(states.rows(), model.equations().size());
  Vector point(model.n_dynamic_columns());
  const Index nl = static_cast<Index>(lag.size());
  for (Index r = 0; r < states.rows(); ++r) {
    const Vector x = states.row(r).transpose();
    const Vector y = evaluate_decision_rule(rule, x, Vector::Zero(nu), order);
    Vector x1(nx);
    for (Index s = 0; s < nx; ++s) x1[s] = y[rule.state_indices[static_cast<std::size_t>(s)]] -
                                            rule.steady_state[rule.state_indices[static_cast<std::size_t>(s)]];
    Vector acc = Vector::Zero(out.cols());
    for (Index q = 0; q < total; ++q) {
      const Vector y1 = evaluate_decision_rule(rule, x1, eps.row(q).transpose(), order);
      Index c = 0;
      for (Index j = 0; j < nl; ++j) {
        const Index v = lag[static_cast<std::size_t>(j)];
        point[c++] = rule.steady_state[v] + x[pos[static_cast<std::size_t>(v)]];
      }
      for (Index i = 0; i < n; ++i) point[c++] = y[i];
      for (Index v : lead) point[c++] = y1[v];
      for (Index j = 0; j < nu; ++j) point[c++] = exo_ss[j];
      acc += w[q] * model.dynamic_residuals(point, rule.steady_state);
    }
    out.row(r) = acc.transpose();
  }
  return out;
}

}  // namespace govsim::dsge
