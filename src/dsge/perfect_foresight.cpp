// Perfect-foresight solver: Newton on the stacked system with a sparse LU.
//
// Unknowns are y_1..y_T (T·n values, period-major). Equation block t (rows (t-1)·n ..) depends
// on y_{t-1} (lagged columns), y_t and y_{t+1} (lead columns), so the Jacobian is block
// tridiagonal. Its sparsity pattern is fixed, so the LU's symbolic analysis is done once per
// solve and each iteration only refactorizes numerically. The compiled dynamic tape returns the
// residuals and the Jacobian values in one pass (ModelDerivatives::evaluate_jacobian), and the
// position of each value in the sparse matrix is precomputed so filling is a scatter.
#include <govsim/core/error.hpp>
#include <govsim/dsge/derivatives.hpp>
#include <govsim/dsge/perfect_foresight.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <Eigen/LU>
#include <Eigen/SparseLU>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace govsim::dsge {

void PerfectForesightOptions::validate() const {
  if (periods < 1) throw OptionsError("PerfectForesightOptions: periods must be >= 1");
  if (!(tolerance > 0)) throw OptionsError("PerfectForesightOptions: tolerance must be > 0");
  if (!(step_tolerance > 0)) throw OptionsError("PerfectForesightOptions: step_tolerance must be > 0");
  if (max_iterations < 1) throw OptionsError("PerfectForesightOptions: max_iterations must be >= 1");
  if (polish_steps < 0) throw OptionsError("PerfectForesightOptions: polish_steps must be >= 0");
  if (homotopy_max_steps < 1) throw OptionsError("PerfectForesightOptions: homotopy_max_steps must be >= 1");
  if (!(homotopy_min_step > 0 && homotopy_min_step < 1))
    throw OptionsError("PerfectForesightOptions: homotopy_min_step must be in (0, 1)");
}

std::string PerfectForesightResult::summary() const {
  std::ostringstream os;
  os << "perfect foresight: " << to_string(status) << ", " << (paths.rows() >= 2 ? paths.rows() - 2 : 0)
     << " periods, " << iterations << " Newton iterations";
  if (homotopy_steps > 0) os << ", " << homotopy_steps << " homotopy steps";
  os << "; max |residual| " << max_residual;
  if (worst_equation >= 0) os << " in period " << worst_period << ", " << worst_equation_name;
  if (!message.empty()) os << ". " << message;
  return os.str();
}

namespace {

std::string equation_label(const Model& m, Index i) {
  const auto& eqs = m.equations();
  std::string nm = i < static_cast<Index>(eqs.size()) ? eqs[static_cast<std::size_t>(i)].name() : "";
  return nm.empty() ? "equation " + std::to_string(i + 1) : nm;
}

/// The stacked system for one model and horizon: evaluation and sparse Jacobian assembly.
class StackedSystem {
 public:
  StackedSystem(const Model& m, Index T)
      : model_(m), deriv_(m, ModelForm::Dynamic, 1), T_(T), n_(m.n_endo()), ne_(m.n_exo()) {
    lag_ = m.lagged_variables();
    lead_ = m.lead_variables();
    nl_ = static_cast<Index>(lag_.size());
    nf_ = static_cast<Index>(lead_.size());
    const auto& pat = deriv_.jacobian_pattern();
    np_ = static_cast<Index>(pat.size());
    // Column of each pattern entry in the stacked unknowns, relative to period t: offset in
    // periods (-1, 0, +1) and variable; exo columns are skipped.
    std::vector<Eigen::Triplet<double>> trip;
    trip.reserve(static_cast<std::size_t>(np_ * T_));
    for (Index t = 1; t <= T_; ++t)
      for (Index k = 0; k < np_; ++k) {
        Index col = unknown_column(t, pat[static_cast<std::size_t>(k)].second);
        if (col >= 0) trip.emplace_back((t - 1) * n_ + pat[static_cast<std::size_t>(k)].first, col, 1.0);
      }
    J_.resize(T_ * n_, T_ * n_);
    J_.setFromTriplets(trip.begin(), trip.end());
    J_.makeCompressed();
    slot_.assign(static_cast<std::size_t>(np_ * T_), -1);
    for (Index t = 1; t <= T_; ++t)
      for (Index k = 0; k < np_; ++k) {
        const auto& pk = pat[static_cast<std::size_t>(k)];
        Index col = unknown_column(t, pk.second);
        if (col < 0) continue;
        Index row = (t - 1) * n_ + pk.first;
        const int* begin = J_.innerIndexPtr() + J_.outerIndexPtr()[col];
        const int* end = J_.innerIndexPtr() + J_.outerIndexPtr()[col + 1];
        const int* it = std::lower_bound(begin, end, static_cast<int>(row));
        slot_[static_cast<std::size_t>((t - 1) * np_ + k)] = static_cast<Index>(it - J_.innerIndexPtr());
      }
    point_.resize(m.n_dynamic_columns());
    res_.resize(n_);
    jv_.resize(np_);
    jvals_.resize(np_, T_);
  }

  Index periods() const { return T_; }
  Index n() const { return n_; }
  const std::vector<Index>& lag() const { return lag_; }
  const std::vector<Index>& lead() const { return lead_; }
  const std::vector<std::pair<Index, Index>>& pattern() const { return deriv_.jacobian_pattern(); }
  /// Jacobian values of period t (1-based) in the order of pattern().
  auto period_values(Index t) const { return jvals_.col(t - 1); }

  Index size() const { return T_ * n_; }
  SparseMatrix& jacobian() { return J_; }

  /// Residuals F (size T·n) at the stacked unknowns Y; fills the Jacobian when `with_jac`.
  /// Returns false if a residual is not finite.
  bool evaluate(const Vector& Y, const Vector& y0, const Vector& yT1, const Matrix& exo, const Vector& params,
                const Vector& ss, Vector& F, bool with_jac) {
    F.resize(T_ * n_);
    double* vals = J_.valuePtr();
    bool finite = true;
    for (Index t = 1; t <= T_; ++t) {
      const double* prev = t == 1 ? y0.data() : Y.data() + (t - 2) * n_;
      const double* cur = Y.data() + (t - 1) * n_;
      const double* next = t == T_ ? yT1.data() : Y.data() + t * n_;
      Index c = 0;
      for (Index v : lag_) point_[c++] = prev[v];
      for (Index i = 0; i < n_; ++i) point_[c++] = cur[i];
      for (Index v : lead_) point_[c++] = next[v];
      for (Index j = 0; j < ne_; ++j) point_[c++] = exo(t, j);
      deriv_.evaluate_jacobian(point_, params, ss, Vector(), res_, jv_);
      F.segment((t - 1) * n_, n_) = res_;
      if (!res_.allFinite()) finite = false;
      if (with_jac) {
        jvals_.col(t - 1) = jv_;
        const Index* sl = slot_.data() + (t - 1) * np_;
        for (Index k = 0; k < np_; ++k)
          if (sl[k] >= 0) vals[sl[k]] = jv_[k];
      }
    }
    return finite;
  }

 private:
  Index unknown_column(Index t, Index c) const {
    if (c < nl_) return t == 1 ? -1 : (t - 2) * n_ + lag_[static_cast<std::size_t>(c)];
    c -= nl_;
    if (c < n_) return (t - 1) * n_ + c;
    c -= n_;
    if (c < nf_) return t == T_ ? -1 : t * n_ + lead_[static_cast<std::size_t>(c)];
    return -1;
  }

  const Model& model_;
  ModelDerivatives deriv_;
  Index T_, n_, ne_, nl_ = 0, nf_ = 0, np_ = 0;
  std::vector<Index> lag_, lead_;
  SparseMatrix J_;
  std::vector<Index> slot_;
  Vector point_, res_, jv_;
  Matrix jvals_;
};

/// Linear solver for the stacked Newton system. The default is a block-tridiagonal LU (block
/// forward elimination over periods, as in Laffargue, Boucekkine and Juillard's method): each
/// period has dense n x n blocks D_t (current), L_t (lagged columns only) and U_t (lead columns
/// only), so S_t = D_t − L_t S_{t−1}⁻¹ U_{t−1} only changes in the lead columns and the work is
/// O(T n³) with small constants. When a pivot block is (numerically) singular, the sparse LU of
/// the whole stacked matrix (natural ordering, which keeps the block-band fill) takes over.
class StackedLinearSolver {
 public:
  bool factorize(StackedSystem& sys) {
    if (use_blocks_ && factorize_blocks(sys)) {
      blocks_ok_ = true;
      return true;
    }
    blocks_ok_ = false;
    if (!analyzed_) {
      lu_.analyzePattern(sys.jacobian());
      analyzed_ = true;
    }
    lu_.factorize(sys.jacobian());
    return lu_.info() == Eigen::Success;
  }
  std::string error() const { return blocks_ok_ ? std::string() : lu_.lastErrorMessage(); }

  Vector solve(const Vector& b) const {
    if (!blocks_ok_) return lu_.solve(b);
    const Index n = n_, T = T_, nl = static_cast<Index>(lag_.size()), nf = static_cast<Index>(lead_.size());
    Vector x(n * T);
    std::vector<Vector> g(static_cast<std::size_t>(T));
    Vector prev_lag;
    for (Index t = 0; t < T; ++t) {
      Vector r = b.segment(t * n, n);
      if (t > 0 && nl > 0) {
        const Vector& gp = g[static_cast<std::size_t>(t - 1)];
        Vector gl(nl);
        for (Index j = 0; j < nl; ++j) gl[j] = gp[lag_[static_cast<std::size_t>(j)]];
        r.noalias() -= L_[static_cast<std::size_t>(t)] * gl;
      }
      g[static_cast<std::size_t>(t)] = lu_blocks_[static_cast<std::size_t>(t)].solve(r);
    }
    x.segment((T - 1) * n, n) = g[static_cast<std::size_t>(T - 1)];
    for (Index t = T - 2; t >= 0; --t) {
      Vector yl(nf);
      for (Index j = 0; j < nf; ++j) yl[j] = x[(t + 1) * n + lead_[static_cast<std::size_t>(j)]];
      x.segment(t * n, n) = g[static_cast<std::size_t>(t)] - X_[static_cast<std::size_t>(t)] * yl;
    }
    return x;
  }

 private:
  bool factorize_blocks(StackedSystem& sys) {
    n_ = sys.n();
    T_ = sys.periods();
    lag_ = sys.lag();
    lead_ = sys.lead();
    const Index n = n_, T = T_, nl = static_cast<Index>(lag_.size()), nf = static_cast<Index>(lead_.size());
    const auto& pat = sys.pattern();
    std::vector<Index> lag_pos(static_cast<std::size_t>(n), -1);
    for (Index j = 0; j < nl; ++j) lag_pos[static_cast<std::size_t>(lag_[static_cast<std::size_t>(j)])] = j;
    L_.assign(static_cast<std::size_t>(T), Matrix());
    X_.assign(static_cast<std::size_t>(T), Matrix());
    lu_blocks_.resize(static_cast<std::size_t>(T));
    Matrix D(n, n), U(n, nf), Lt(n, nl);
    for (Index t = 1; t <= T; ++t) {
      D.setZero();
      U.setZero();
      Lt.setZero();
      const auto v = sys.period_values(t);
      for (std::size_t k = 0; k < pat.size(); ++k) {
        const Index r = pat[k].first;
        Index c = pat[k].second;
        if (c < nl) {
          Lt(r, c) = v[static_cast<Index>(k)];
        } else if ((c -= nl) < n) {
          D(r, c) = v[static_cast<Index>(k)];
        } else if ((c -= n) < nf) {
          U(r, c) = v[static_cast<Index>(k)];
        }
      }
      // S_t = D_t − L_t X_{t−1}: L_t acts on the lagged variables of period t−1, X_{t−1} maps the
      // lead variables of period t into them; only the lead columns of S change.
      if (t > 1 && nl > 0 && nf > 0) {
        const Matrix& Xp = X_[static_cast<std::size_t>(t - 2)];
        Matrix Xl(nl, nf);
        for (Index j = 0; j < nl; ++j) Xl.row(j) = Xp.row(lag_[static_cast<std::size_t>(j)]);
        const Matrix corr = Lt * Xl;
        for (Index j = 0; j < nf; ++j) D.col(lead_[static_cast<std::size_t>(j)]) -= corr.col(j);
      }
      auto& lu = lu_blocks_[static_cast<std::size_t>(t - 1)];
      lu.compute(D);
      if (!(lu.rcond() > 1e-13)) return false;
      L_[static_cast<std::size_t>(t - 1)] = Lt;
      X_[static_cast<std::size_t>(t - 1)] = t < T ? Matrix(lu.solve(U)) : Matrix::Zero(n, nf);
    }
    return true;
  }

  bool use_blocks_ = true, blocks_ok_ = false, analyzed_ = false;
  Index n_ = 0, T_ = 0;
  std::vector<Index> lag_, lead_;
  std::vector<Matrix> L_, X_;
  std::vector<Eigen::PartialPivLU<Matrix>> lu_blocks_;
  Eigen::SparseLU<SparseMatrix, Eigen::NaturalOrdering<int>> lu_;
};

struct NewtonOutcome {
  Status status = Status::NotConverged;
  std::string message;
  int iterations = 0;
  double max_residual = 0;
};

/// Newton with backtracking on the stacked system; Y is updated in place.
NewtonOutcome newton(StackedSystem& sys, Vector& Y, const Vector& y0, const Vector& yT1, const Matrix& exo,
                     const Vector& params, const Vector& ss, const PerfectForesightOptions& opts,
                     StackedLinearSolver& lu, int& total_iterations,
                     const std::string& stage) {
  NewtonOutcome out;
  Vector F, Fn, Yn, dx;
  if (!sys.evaluate(Y, y0, yT1, exo, params, ss, F, true)) {
    out.status = Status::NumericalIssue;
    out.message = "residuals are not finite at the starting point";
    out.max_residual = F.size() ? F.cwiseAbs().maxCoeff() : 0.0;
    return out;
  }
  double err = F.size() ? F.lpNorm<Eigen::Infinity>() : 0.0;
  int polish_left = opts.polish_steps;
  bool converged = err <= opts.tolerance;
  int newton_steps = 0;
  bool factorized = false;
  for (;;) {
    if (converged) {
      if (polish_left <= 0 || err < 1e-15) break;
    } else if (newton_steps >= opts.max_iterations) {
      break;
    } else {
      ++newton_steps;
    }
    // A polishing step reuses the last factorization (a chord step): the Jacobian has hardly
    // changed since, and this saves a factorization.
    bool fact_ok = factorized;
    if (!(converged && factorized)) {
      fact_ok = lu.factorize(sys);
      factorized = fact_ok;
    }
    if (!fact_ok) {
      if (converged) break;
      out.status = Status::Singular;
      out.message = "the stacked Jacobian is singular (" + lu.error() + ")";
      out.max_residual = err;
      return out;
    }
    dx = lu.solve(-F);
    if (!dx.allFinite()) {
      if (converged) break;
      out.status = Status::NumericalIssue;
      out.message = "the Newton step is not finite";
      out.max_residual = err;
      return out;
    }
    ++out.iterations;
    ++total_iterations;
    double step = 1.0, f0 = F.squaredNorm();
    bool accepted = false;
    double errn = err;
    for (int ls = 0; ls < (opts.line_search ? 30 : 1); ++ls) {
      Yn = Y + step * dx;
      bool fin = sys.evaluate(Yn, y0, yT1, exo, params, ss, Fn, true);
      if (fin) {
        double f1 = Fn.squaredNorm();
        if (!opts.line_search || f1 <= (1.0 - 1e-4 * step) * f0 || (converged && f1 < f0)) {
          accepted = true;
          errn = Fn.lpNorm<Eigen::Infinity>();
          break;
        }
      }
      if (converged) break;  // a polishing step that does not help is dropped
      step *= 0.5;
    }
    if (converged) {
      --polish_left;
      if (!accepted || errn >= err) {
        sys.evaluate(Y, y0, yT1, exo, params, ss, F, true);  // restore the Jacobian at Y
        break;
      }
      Y.swap(Yn);
      F.swap(Fn);
      err = errn;
      continue;
    }
    if (!accepted) {
      out.status = Status::NotConverged;
      out.message = "line search failed to reduce the residual";
      out.max_residual = err;
      return out;
    }
    Y.swap(Yn);
    F.swap(Fn);
    double stepmax = step * dx.lpNorm<Eigen::Infinity>();
    err = errn;
    if (opts.on_iteration) {
      IterationInfo info;
      info.iteration = total_iterations;
      info.total = opts.max_iterations;
      info.objective = err;
      info.stage = stage;
      if (!opts.on_iteration(info)) {
        out.status = Status::UserStopped;
        out.message = "stopped by on_iteration";
        out.max_residual = err;
        return out;
      }
    }
    if (err <= opts.tolerance || (stepmax < opts.step_tolerance && err <= std::sqrt(opts.tolerance)))
      converged = true;
  }
  out.max_residual = err;
  if (converged) {
    out.status = Status::Success;
  } else {
    out.status = Status::MaxIterations;
    out.message = "Newton did not converge in " + std::to_string(opts.max_iterations) + " iterations";
  }
  return out;
}

void check_problem(const Model& m, const PerfectForesightProblem& p) {
  const Index n = m.n_endo(), ne = m.n_exo();
  if (p.exo.rows() < 3) throw DimensionError("perfect foresight: exo must have T+2 >= 3 rows");
  if (p.exo.cols() != ne)
    throw DimensionError("perfect foresight: exo has " + std::to_string(p.exo.cols()) + " columns, the model " +
                         std::to_string(ne) + " exogenous variables");
  if (p.initial.size() != n || p.terminal.size() != n)
    throw DimensionError("perfect foresight: initial and terminal need " + std::to_string(n) + " values");
  if (p.steady_state.size() != 0 && p.steady_state.size() != n)
    throw DimensionError("perfect foresight: steady_state needs " + std::to_string(n) + " values");
  const Index T = p.exo.rows() - 2;
  if (p.guess.size() != 0 && !(p.guess.rows() == T && p.guess.cols() == n) &&
      !(p.guess.rows() == T + 2 && p.guess.cols() == n))
    throw DimensionError("perfect foresight: guess must be T x n_endo or (T+2) x n_endo");
}

}  // namespace

PerfectForesightProblem make_perfect_foresight_problem(const Model& model, int periods) {
  if (periods < 1) throw OptionsError("perfect foresight: periods must be >= 1");
  PerfectForesightProblem p;
  p.endo_names = model.endo_names();
  p.exo_names = model.exo_names();
  const Index n = model.n_endo(), ne = model.n_exo();
  SteadyStateResult ss0 = solve_steady_state(model);
  if (!ss0.ok()) throw SolveError("perfect foresight: initial steady state: " + ss0.summary());
  p.initial = ss0.values;
  p.terminal = ss0.values;
  Vector exo0 = model.exo_steady_state();
  if (exo0.size() != ne) exo0 = Vector::Zero(ne);
  Vector exo1 = exo0;
  if (!model.endval().empty()) {
    Vector guess = ss0.values;
    for (const auto& a : model.endval()) {
      if (a.type == SymbolType::Endogenous) guess[a.index] = a.value;
      else if (a.type == SymbolType::Exogenous) exo1[a.index] = a.value;
    }
    for (const auto& a : model.aux_variables())
      if (a.orig_type == SymbolType::Endogenous) guess[a.endo_index] = guess[a.orig_index];
    SteadyStateOptions so;
    so.exo = exo1;
    so.initial_guess = guess;
    SteadyStateResult ss1 = solve_steady_state(model, so);
    if (!ss1.ok()) throw SolveError("perfect foresight: terminal (endval) steady state: " + ss1.summary());
    p.terminal = ss1.values;
  }
  // histval: lag 0 is period 0; lags below 0 are held by the auxiliary lag variables.
  for (const auto& h : model.histval()) {
    if (h.lag == 0) {
      p.initial[h.index] = h.value;
      continue;
    }
    bool placed = false;
    for (const auto& a : model.aux_variables())
      if (a.kind == AuxVariable::Kind::EndoLag && a.orig_type == SymbolType::Endogenous &&
          a.orig_index == h.index && a.orig_lead_lag == h.lag) {
        p.initial[a.endo_index] = h.value;
        placed = true;
      }
    if (!placed)
      throw ModelError("histval: " + h.name + "(" + std::to_string(h.lag) +
                       ") is not needed by the model (no such lag)");
  }
  p.steady_state = p.terminal;
  p.exo.resize(periods + 2, ne);
  p.exo.row(0) = exo0.transpose();
  for (Index t = 1; t < periods + 2; ++t) p.exo.row(t) = exo1.transpose();
  const Names en = model.exo_names();
  for (const auto& d : model.shocks().deterministic) {
    auto it = std::find(en.begin(), en.end(), d.name);
    if (it == en.end()) continue;  // exo_det or unknown: the reader already warned
    const Index j = it - en.begin();
    for (std::size_t k = 0; k < d.periods.size(); ++k) {
      auto [a, b] = d.periods[k];
      if (a < 1 || b > periods || a > b)
        throw OptionsError("shocks: " + d.name + " periods " + std::to_string(a) + ":" + std::to_string(b) +
                           " are outside 1.." + std::to_string(periods));
      double v = k < d.values.size() ? d.values[k] : d.values.back();
      for (int t = a; t <= b; ++t) p.exo(t, j) = v;
    }
  }
  (void)n;
  return p;
}

PerfectForesightResult solve_perfect_foresight(const Model& model, const PerfectForesightProblem& problem,
                                               const PerfectForesightOptions& opts) {
  opts.validate();
  check_problem(model, problem);
  const Index n = model.n_endo(), T = problem.periods();
  PerfectForesightResult r;
  r.endo_names = model.endo_names();
  r.exo_names = model.exo_names();
  r.exo = problem.exo;
  const Vector ss = problem.steady_state.size() ? problem.steady_state : problem.terminal;
  const Vector params = model.params();
  StackedSystem sys(model, T);
  StackedLinearSolver lu;

  Vector Y(T * n);
  if (problem.guess.size() == 0) {
    for (Index t = 0; t < T; ++t) Y.segment(t * n, n) = problem.terminal;
  } else {
    const Index off = problem.guess.rows() == T ? 0 : 1;
    for (Index t = 0; t < T; ++t) Y.segment(t * n, n) = problem.guess.row(t + off).transpose();
  }
  NewtonOutcome o = newton(sys, Y, problem.initial, problem.terminal, problem.exo, params, ss, opts, lu,
                           r.iterations, "newton");
  r.status = o.status;
  r.message = o.message;
  r.max_residual = o.max_residual;

  if (o.status != Status::Success && o.status != Status::UserStopped && opts.homotopy) {
    // Homotopy on the size of the shocks: lambda = 0 is the terminal steady state everywhere
    // (exogenous variables at their terminal values, initial condition = terminal), which
    // solves the system exactly; move lambda to 1 with adaptive steps.
    Matrix exo_base = problem.exo;
    for (Index t = 0; t < exo_base.rows(); ++t) exo_base.row(t) = problem.exo.row(T + 1);
    const Vector& y_base = problem.terminal;
    Vector Yh(T * n);
    for (Index t = 0; t < T; ++t) Yh.segment(t * n, n) = problem.terminal;
    double lambda = 0.0, step = 0.5;
    Matrix exo_l;
    Vector y0_l;
    int steps = 0;
    NewtonOutcome last;
    while (lambda < 1.0 && steps < opts.homotopy_max_steps && step >= opts.homotopy_min_step) {
      double target = std::min(1.0, lambda + step);
      exo_l = exo_base + target * (problem.exo - exo_base);
      y0_l = y_base + target * (problem.initial - y_base);
      Vector Ytry = Yh;
      ++steps;
      last = newton(sys, Ytry, y0_l, problem.terminal, exo_l, params, ss, opts, lu, r.iterations,
                    "homotopy");
      if (last.status == Status::UserStopped) break;
      if (last.status == Status::Success) {
        lambda = target;
        Yh = Ytry;
        step = std::min(2.0 * step, 1.0);
      } else {
        step *= 0.5;
      }
    }
    r.homotopy_steps = steps;
    r.shock_share = lambda;
    if (lambda >= 1.0) {
      Y = Yh;
      r.status = Status::Success;
      r.message = "solved by homotopy on the shock size (" + std::to_string(steps) + " steps) after: " + o.message;
    } else {
      Y = Yh;
      r.status = last.status == Status::UserStopped ? Status::UserStopped : Status::NotConverged;
      std::ostringstream os;
      os << "Newton failed (" << o.message << ") and the homotopy reached only " << lambda
         << " of the shock size; paths are for that share";
      r.message = os.str();
    }
  }

  // Final residuals and their worst entry.
  Vector F;
  Matrix exo_used = problem.exo;
  Vector y0_used = problem.initial;
  if (r.shock_share < 1.0) {
    Matrix exo_base = problem.exo;
    for (Index t = 0; t < exo_base.rows(); ++t) exo_base.row(t) = problem.exo.row(T + 1);
    exo_used = exo_base + r.shock_share * (problem.exo - exo_base);
    y0_used = problem.terminal + r.shock_share * (problem.initial - problem.terminal);
  }
  sys.evaluate(Y, y0_used, problem.terminal, exo_used, params, ss, F, false);
  Index worst = 0;
  r.max_residual = F.size() ? F.cwiseAbs().maxCoeff(&worst) : 0.0;
  if (!std::isfinite(r.max_residual) && r.status == Status::Success) r.status = Status::NumericalIssue;
  r.worst_period = static_cast<int>(worst / n) + 1;
  r.worst_equation = worst % n;
  r.worst_equation_name = equation_label(model, r.worst_equation);
  r.paths.resize(T + 2, n);
  r.paths.row(0) = y0_used.transpose();
  for (Index t = 0; t < T; ++t) r.paths.row(t + 1) = Y.segment(t * n, n).transpose();
  r.paths.row(T + 1) = problem.terminal.transpose();
  r.exo = exo_used;
  return r;
}

PerfectForesightResult solve_perfect_foresight(const Model& model, const PerfectForesightOptions& opts) {
  opts.validate();
  return solve_perfect_foresight(model, make_perfect_foresight_problem(model, opts.periods), opts);
}

PerfectForesightResult solve_perfect_foresight_events(const Model& model, const PerfectForesightProblem& base,
                                                      const std::vector<ShockEvent>& events,
                                                      const PerfectForesightOptions& opts) {
  opts.validate();
  check_problem(model, base);
  const Index T = base.periods(), n = model.n_endo();
  const Names en = model.exo_names();
  std::vector<Index> cols;
  for (const auto& e : events) {
    auto it = std::find(en.begin(), en.end(), e.shock);
    if (it == en.end()) throw ModelError("shock event: unknown exogenous variable '" + e.shock + "'");
    if (e.period < 1 || e.period > T)
      throw OptionsError("shock event: period " + std::to_string(e.period) + " is outside 1.." + std::to_string(T));
    if (e.known_from < 1 || e.known_from > e.period)
      throw OptionsError("shock event: known_from must be in 1..period (" + e.shock + ")");
    cols.push_back(it - en.begin());
  }
  std::vector<int> dates{1};
  for (const auto& e : events) dates.push_back(e.known_from);
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());

  PerfectForesightResult out;
  out.endo_names = model.endo_names();
  out.exo_names = en;
  out.paths.resize(T + 2, n);
  out.paths.row(0) = base.initial.transpose();
  out.exo = base.exo;
  out.status = Status::Success;
  Vector state = base.initial;
  for (std::size_t d = 0; d < dates.size(); ++d) {
    const int start = dates[d];
    const int stop = d + 1 < dates.size() ? dates[d + 1] - 1 : static_cast<int>(T);
    // Problem seen from `start`: periods start..T, renumbered 1..T-start+1.
    const Index Tk = T - start + 1;
    PerfectForesightProblem p;
    p.endo_names = base.endo_names;
    p.exo_names = base.exo_names;
    p.initial = state;
    p.terminal = base.terminal;
    p.steady_state = base.steady_state;
    p.exo.resize(Tk + 2, base.exo.cols());
    p.exo.row(0) = base.exo.row(start - 1);
    for (Index t = 1; t <= Tk + 1; ++t) p.exo.row(t) = base.exo.row(start - 1 + t);
    for (std::size_t k = 0; k < events.size(); ++k)
      if (events[k].known_from <= start && events[k].period >= start)
        p.exo(events[k].period - start + 1, cols[k]) = events[k].value;
    if (d > 0) {  // previous plan as the starting guess
      p.guess.resize(Tk, n);
      for (Index t = 0; t < Tk; ++t) p.guess.row(t) = out.paths.row(start + t);
    }
    PerfectForesightResult rk = solve_perfect_foresight(model, p, opts);
    out.iterations += rk.iterations;
    out.homotopy_steps += rk.homotopy_steps;
    for (Index t = start; t <= T; ++t) out.paths.row(t) = rk.paths.row(t - start + 1);
    for (Index t = start; t <= stop; ++t) out.exo.row(t) = p.exo.row(t - start + 1);
    if (!rk.ok() || rk.max_residual > out.max_residual) {
      if (out.status == Status::Success || !rk.ok()) {
        out.max_residual = std::max(out.max_residual, rk.max_residual);
        out.worst_period = rk.worst_period + start - 1;
        out.worst_equation = rk.worst_equation;
        out.worst_equation_name = rk.worst_equation_name;
      }
      if (!rk.ok()) {
        out.status = rk.status;
        out.message = "solve from period " + std::to_string(start) + ": " + rk.message;
        break;
      }
    }
    state = out.paths.row(stop).transpose();
  }
  out.paths.row(T + 1) = base.terminal.transpose();
  return out;
}

}  // namespace govsim::dsge
