// OccBin-style piecewise-linear solution (Guerrieri and Iacoviello 2015). All work is in
// deviations from the steady state: y_t = Y_t − ȳ, u_t = U_t − ū (ū = terminal exogenous values).
// Regime r at period t:  A_r y_{t+1} + B_r y_t + C_r y_{t−1} + F_r u_t + c_r = 0,
// where the binding regime replaces the constraint row by `variable − bound = 0` (c = ȳ_v − bound).
#include <govsim/core/error.hpp>
#include <govsim/dsge/occbin.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <Eigen/LU>

#include <algorithm>
#include <sstream>

namespace govsim::dsge {

void OccBinOptions::validate() const {
  if (max_iterations < 1) throw OptionsError("OccBinOptions: max_iterations must be >= 1");
  if (!(qz_criterium > 0)) throw OptionsError("OccBinOptions: qz_criterium must be > 0");
}

std::vector<int> OccBinResult::binding_periods() const {
  std::vector<int> out;
  for (std::size_t t = 0; t < binding.size(); ++t)
    if (binding[t]) out.push_back(static_cast<int>(t));
  return out;
}

std::string OccBinResult::summary() const {
  std::ostringstream os;
  os << "OccBin: " << to_string(status) << ", " << iterations << " regime guesses, binding in";
  auto b = binding_periods();
  if (b.empty()) os << " no period";
  else {
    os << " periods";
    for (std::size_t i = 0; i < b.size(); ++i) {
      std::size_t j = i;
      while (j + 1 < b.size() && b[j + 1] == b[j] + 1) ++j;
      os << " " << b[i];
      if (j > i) os << "-" << b[j];
      i = j;
    }
  }
  if (!message.empty()) os << ". " << message;
  return os.str();
}

OccBinResult solve_occbin(const Model& model, const OccBinConstraint& c, const PerfectForesightProblem& problem,
                          const OccBinOptions& opts) {
  opts.validate();
  const Index n = model.n_endo(), ne = model.n_exo();
  const Names names = model.endo_names();
  auto find = [&](const std::string& v) {
    auto it = std::find(names.begin(), names.end(), v);
    if (it == names.end()) throw ModelError("OccBin: unknown endogenous variable '" + v + "'");
    return static_cast<Index>(it - names.begin());
  };
  const Index iv = find(c.variable), is = find(c.shadow);
  Index eq = c.equation;
  if (eq < 0) {
    for (Index i = 0; i < static_cast<Index>(model.equations().size()); ++i) {
      std::string s = model.equation_string(i);
      if (s.find(c.lower ? "max(" : "min(") != std::string::npos) {
        eq = i;
        break;
      }
    }
    if (eq < 0) throw ModelError(std::string("OccBin: no equation with ") + (c.lower ? "max(" : "min(") +
                                 " found; set OccBinConstraint::equation");
  }
  if (eq >= n) throw ModelError("OccBin: equation index out of range");
  if (problem.exo.rows() < 3 || problem.exo.cols() != ne || problem.initial.size() != n ||
      problem.terminal.size() != n)
    throw DimensionError("OccBin: the problem does not match the model");

  OccBinResult r;
  r.endo_names = names;
  const Index T = problem.exo.rows() - 2;
  const Vector ss = problem.terminal;
  LinearizedModel lin = linearize(model, ss);
  PerturbationOptions po;
  po.qz_criterium = opts.qz_criterium;
  PerturbationResult fo = solve_first_order(lin, po);
  if (!fo.ok()) {
    r.status = fo.status;
    r.message = "reference regime: " + fo.message;
    return r;
  }
  const Index nl = static_cast<Index>(lin.lagged.size()), nf = static_cast<Index>(lin.leads.size());
  Matrix A1 = Matrix::Zero(n, n), B1 = lin.jacobian.middleCols(nl, n), C1 = Matrix::Zero(n, n);
  for (Index j = 0; j < nl; ++j) C1.col(lin.lagged[static_cast<std::size_t>(j)]) = lin.jacobian.col(j);
  for (Index j = 0; j < nf; ++j) A1.col(lin.leads[static_cast<std::size_t>(j)]) = lin.jacobian.col(nl + n + j);
  Matrix F1 = lin.jacobian.middleCols(nl + n + nf, ne);
  Matrix A2 = A1, B2 = B1, C2 = C1, F2 = F1;
  A2.row(eq).setZero();
  B2.row(eq).setZero();
  C2.row(eq).setZero();
  F2.row(eq).setZero();
  B2(eq, iv) = 1.0;
  Vector c2 = Vector::Zero(n);
  c2[eq] = ss[iv] - c.bound;
  if (c.lower ? ss[is] < c.bound : ss[is] > c.bound) {
    r.status = Status::NumericalIssue;
    r.message = "the constraint binds at the steady state; OccBin needs a slack reference regime";
    return r;
  }
  const Matrix& Aref = fo.A;  // y_t = Aref y_{t-1} (+ shock terms) in the reference regime
  Matrix U(T + 2, ne);
  for (Index t = 0; t < T + 2; ++t) U.row(t) = problem.exo.row(t) - problem.exo.row(T + 1);
  Index last_shock = 0;
  for (Index t = 1; t <= T; ++t)
    if (U.row(t).cwiseAbs().maxCoeff() > 0) last_shock = t;
  const Vector y0 = problem.initial - ss;

  std::vector<int> guess(static_cast<std::size_t>(T + 2), 0);
  Matrix Y(T + 2, n);
  std::vector<Matrix> P(static_cast<std::size_t>(T + 2));
  std::vector<Vector> D(static_cast<std::size_t>(T + 2));
  for (int it = 0; it < opts.max_iterations; ++it) {
    r.iterations = it + 1;
    Index last = last_shock;
    for (Index t = 1; t <= T; ++t)
      if (guess[static_cast<std::size_t>(t)]) last = std::max(last, t);
    // backward recursion
    Matrix Pn = Aref;
    Vector Dn = Vector::Zero(n);
    bool singular = false;
    for (Index t = last; t >= 1; --t) {
      const bool b = guess[static_cast<std::size_t>(t)] != 0;
      const Matrix& A = b ? A2 : A1;
      const Matrix& B = b ? B2 : B1;
      const Matrix& C = b ? C2 : C1;
      const Matrix& F = b ? F2 : F1;
      Eigen::PartialPivLU<Matrix> lu(A * Pn + B);
      if (lu.rcond() < 1e-14) {
        singular = true;
        break;
      }
      Vector rhs = F * U.row(t).transpose() + A * Dn;
      if (b) rhs += c2;
      P[static_cast<std::size_t>(t)] = -lu.solve(C);
      D[static_cast<std::size_t>(t)] = -lu.solve(rhs);
      Pn = P[static_cast<std::size_t>(t)];
      Dn = D[static_cast<std::size_t>(t)];
    }
    if (singular) {
      r.status = Status::Singular;
      r.message = "a regime's system A P + B is singular";
      return r;
    }
    // forward simulation and new guess
    Y.row(0) = y0.transpose();
    std::vector<int> next(guess.size(), 0);
    for (Index t = 1; t <= T; ++t) {
      Vector yp = Y.row(t - 1).transpose();
      Vector y = t <= last ? Vector(P[static_cast<std::size_t>(t)] * yp + D[static_cast<std::size_t>(t)])
                           : Vector(Aref * yp);
      Y.row(t) = y.transpose();
      const double sh = ss[is] + y[is];
      next[static_cast<std::size_t>(t)] = c.lower ? (sh < c.bound) : (sh > c.bound);
    }
    Y.row(T + 1).setZero();
    if (next == guess) {
      r.status = Status::Success;
      break;
    }
    if (it + 1 == opts.max_iterations) {
      r.status = Status::MaxIterations;
      r.message = "the regime guesses did not settle in " + std::to_string(opts.max_iterations) + " updates";
    }
    guess = next;
  }
  if (r.status == Status::Success && guess[static_cast<std::size_t>(T)] != 0)
    r.message = "the constraint still binds in the last period: lengthen the horizon";
  r.binding = guess;
  r.paths = Y.rowwise() + ss.transpose();
  return r;
}

}  // namespace govsim::dsge
