// First-order perturbation as in Dynare's dyn_first_order_solver.m (Villemot 2011).
//
// Notation (all in Dynare's DR order `order_var`: static, purely backward, mixed, purely
// forward): the linearized model is  Am y_{t-1}[states] + A0 y_t + Ap y_{t+1}[fwd] + Fu u_t = 0.
// The static variables are removed from the dynamic problem by premultiplying with Q' from the
// QR decomposition of their (contemporaneous) columns, so that the last n - nstatic equations do
// not involve them. The remaining equations become the pencil  D z_{t+1} = E z_t  with
// z_t = (y_{t-1}[states], y_t[fwd]); mixed variables appear in both halves and are tied together
// by identity rows. The pencil is built exactly as Dynare builds it so that the ordered QZ yields
// the generalized eigenvalues in the same order as `oo_.dr.eigval`.

#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/numerics/qz.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace govsim::dsge {

void PerturbationOptions::validate() const {
  if (!(qz_criterium > 0.0) || !std::isfinite(qz_criterium))
    throw OptionsError("PerturbationOptions: qz_criterium must be positive and finite");
  if (!(qz_zero_threshold >= 0.0)) throw OptionsError("PerturbationOptions: qz_zero_threshold must be >= 0");
  if (!(rank_tolerance >= 0.0)) throw OptionsError("PerturbationOptions: rank_tolerance must be >= 0");
}

Vector PerturbationResult::eigenvalue_moduli() const {
  Vector m(eigenvalues.size());
  for (Index i = 0; i < eigenvalues.size(); ++i) {
    const auto& z = eigenvalues[i];
    m[i] = std::isinf(z.real()) || std::isinf(z.imag()) ? std::numeric_limits<double>::infinity() : std::abs(z);
  }
  return m;
}

std::string PerturbationResult::summary() const {
  std::ostringstream os;
  os << "First-order solution: " << endo_names.size() << " endogenous (" << n_static << " static, "
     << n_backward << " purely backward, " << n_mixed << " mixed, " << n_forward_only
     << " purely forward), " << exo_names.size() << " shocks\n";
  os << "  states:";
  for (const auto& s : state_names) os << ' ' << s;
  os << "\n  eigenvalues: " << eigenvalues.size() << " (" << n_explosive << " explosive, " << n_infinite
     << " infinite) for " << n_forward << " forward-looking variables; Blanchard-Kahn "
     << (unique ? "satisfied" : "not satisfied") << "\n";
  os << "  status: " << to_string(status);
  if (!message.empty()) os << " - " << message;
  return os.str();
}

namespace {

std::string format_moduli(const Vector& moduli) {
  std::vector<double> m(moduli.data(), moduli.data() + moduli.size());
  std::sort(m.begin(), m.end());
  std::ostringstream os;
  os.precision(6);
  for (std::size_t i = 0; i < m.size(); ++i) os << (i ? ", " : "") << m[i];
  return os.str();
}

void check_indices(const std::vector<Index>& idx, Index n, const char* what) {
  for (std::size_t k = 0; k < idx.size(); ++k) {
    if (idx[k] < 0 || idx[k] >= n) {
      std::ostringstream os;
      os << "LinearizedModel." << what << "[" << k << "] = " << idx[k] << " is outside [0, " << n << ")";
      throw ModelError(os.str());
    }
    if (k > 0 && idx[k] <= idx[k - 1]) {
      std::ostringstream os;
      os << "LinearizedModel." << what << " must be strictly increasing (declaration order)";
      throw ModelError(os.str());
    }
  }
}

// Reciprocal condition number estimate (1-norm) of a square matrix; 0 for an empty matrix is
// avoided by returning 1.
double rcond(const Matrix& M) {
  if (M.rows() == 0) return 1.0;
  if (!M.allFinite()) return 0.0;
  return Eigen::PartialPivLU<Matrix>(M).rcond();
}

}  // namespace

PerturbationResult solve_first_order(const LinearizedModel& model, const PerturbationOptions& opts) {
  opts.validate();
  const Index n = static_cast<Index>(model.endo_names.size());
  const Index n_exo = static_cast<Index>(model.exo_names.size());
  const Index n_lag = static_cast<Index>(model.lagged.size());
  const Index n_lead = static_cast<Index>(model.leads.size());
  {
    std::ostringstream os;
    if (model.jacobian.rows() != n || model.jacobian.cols() != n_lag + n + n_lead + n_exo) {
      os << "solve_first_order: the Jacobian is " << model.jacobian.rows() << "x" << model.jacobian.cols()
         << ", expected " << n << "x" << (n_lag + n + n_lead + n_exo) << " (" << n << " equations; "
         << n_lag << " lagged + " << n << " current + " << n_lead << " led + " << n_exo << " exogenous columns)";
      throw DimensionError(os.str());
    }
    if (model.steady_state.size() != n && model.steady_state.size() != 0) {
      os << "solve_first_order: steady_state has " << model.steady_state.size() << " entries, expected " << n;
      throw DimensionError(os.str());
    }
    if ((model.Sigma_e.rows() != n_exo || model.Sigma_e.cols() != n_exo) && model.Sigma_e.size() != 0) {
      os << "solve_first_order: Sigma_e is " << model.Sigma_e.rows() << "x" << model.Sigma_e.cols()
         << ", expected " << n_exo << "x" << n_exo;
      throw DimensionError(os.str());
    }
    if (model.n_declared < 0 || model.n_declared > n) {
      os << "solve_first_order: n_declared = " << model.n_declared << " is outside [0, " << n << "]";
      throw DimensionError(os.str());
    }
  }
  check_indices(model.lagged, n, "lagged");
  check_indices(model.leads, n, "leads");

  PerturbationResult res;
  res.endo_names = model.endo_names;
  res.n_declared = model.n_declared == 0 ? n : model.n_declared;
  res.exo_names = model.exo_names;
  res.steady_state = model.steady_state.size() == n ? model.steady_state : Vector::Zero(n);
  res.Sigma_e = model.Sigma_e.size() == 0 ? Matrix::Zero(n_exo, n_exo) : model.Sigma_e;

  if (!model.jacobian.allFinite()) {
    res.status = Status::NumericalIssue;
    res.message = "the Jacobian has NaN or infinite entries";
    return res;
  }

  // --- classification (Dynare's DR order) ---------------------------------------------------
  std::vector<Index> lag_col(static_cast<std::size_t>(n), -1), lead_col(static_cast<std::size_t>(n), -1);
  for (Index k = 0; k < n_lag; ++k) lag_col[static_cast<std::size_t>(model.lagged[static_cast<std::size_t>(k)])] = k;
  for (Index k = 0; k < n_lead; ++k)
    lead_col[static_cast<std::size_t>(model.leads[static_cast<std::size_t>(k)])] = n_lag + n + k;
  auto has_lag = [&](Index v) { return lag_col[static_cast<std::size_t>(v)] >= 0; };
  auto has_lead = [&](Index v) { return lead_col[static_cast<std::size_t>(v)] >= 0; };

  std::vector<Index>& ov = res.order_var;
  for (Index v = 0; v < n; ++v)
    if (!has_lag(v) && !has_lead(v)) ov.push_back(v);
  res.n_static = static_cast<Index>(ov.size());
  for (Index v = 0; v < n; ++v)
    if (has_lag(v) && !has_lead(v)) ov.push_back(v);
  res.n_backward = static_cast<Index>(ov.size()) - res.n_static;
  for (Index v = 0; v < n; ++v)
    if (has_lag(v) && has_lead(v)) ov.push_back(v);
  res.n_mixed = static_cast<Index>(ov.size()) - res.n_static - res.n_backward;
  for (Index v = 0; v < n; ++v)
    if (!has_lag(v) && has_lead(v)) ov.push_back(v);
  res.n_forward_only = n - res.n_static - res.n_backward - res.n_mixed;

  const Index ns = res.n_static, npred = res.n_backward, nboth = res.n_mixed, nfwrd = res.n_forward_only;
  const Index nspred = npred + nboth, nsfwrd = nboth + nfwrd;
  const Index ndyn = n - ns;
  const Index nd = nspred + nsfwrd;  // size of the pencil (= ndyn + nboth)
  res.n_states = nspred;
  res.n_forward = nsfwrd;
  for (Index s = 0; s < nspred; ++s) {
    const Index v = ov[static_cast<std::size_t>(ns + s)];
    res.state_indices.push_back(v);
    res.state_names.push_back(model.endo_names[static_cast<std::size_t>(v)]);
  }

  // --- Jacobian blocks in DR order ------------------------------------------------------------
  Matrix Am(n, nspred), A0(n, n), Ap(n, nsfwrd), Fu(n, n_exo);
  for (Index s = 0; s < nspred; ++s)
    Am.col(s) = model.jacobian.col(lag_col[static_cast<std::size_t>(ov[static_cast<std::size_t>(ns + s)])]);
  for (Index j = 0; j < n; ++j) A0.col(j) = model.jacobian.col(n_lag + ov[static_cast<std::size_t>(j)]);
  for (Index f = 0; f < nsfwrd; ++f)
    Ap.col(f) = model.jacobian.col(lead_col[static_cast<std::size_t>(ov[static_cast<std::size_t>(ns + npred + f)])]);
  Fu = model.jacobian.rightCols(n_exo);

  // --- static variables: QR of their columns, premultiply by Q' -------------------------------
  if (ns > 0) {
    Eigen::HouseholderQR<Matrix> qr(A0.leftCols(ns));
    const Matrix Qt = qr.householderQ().transpose();
    Am = (Qt * Am).eval();
    A0 = (Qt * A0).eval();
    Ap = (Qt * Ap).eval();
    Fu = (Qt * Fu).eval();
    const double rc = rcond(A0.topLeftCorner(ns, ns));
    if (rc < opts.rank_tolerance) {
      std::ostringstream os;
      os << "the static variables cannot be solved for: their contemporaneous Jacobian block has "
            "reciprocal condition number "
         << rc << " (rank-deficient)";
      res.status = Status::Singular;
      res.message = os.str();
      return res;
    }
  }

  // --- pencil D z_{t+1} = E z_t and ordered QZ --------------------------------------------------
  Matrix ghx_dyn(ndyn, nspred);  // rows: backward, mixed, forward-only (DR order)
  Matrix gx(nsfwrd, nspred);     // forward-looking (mixed, forward-only) as functions of states
  Matrix hx(nspred, nspred);     // state transition
  if (nd > 0) {
    Matrix D = Matrix::Zero(nd, nd), E = Matrix::Zero(nd, nd);
    const auto rows = Eigen::seqN(ns, ndyn);
    D.block(0, 0, ndyn, npred) = A0(rows, Eigen::seqN(ns, npred));
    D.block(0, nspred, ndyn, nsfwrd) = Ap(rows, Eigen::all);
    E.block(0, 0, ndyn, nspred) = -Am(rows, Eigen::all);
    E.block(0, nspred, ndyn, nsfwrd) = -A0(rows, Eigen::seqN(ns + npred, nsfwrd));
    for (Index b = 0; b < nboth; ++b) {
      D(ndyn + b, npred + b) = 1.0;
      E(ndyn + b, nspred + b) = 1.0;
    }
    numerics::QzOptions qopts;
    qopts.qz_criterium = opts.qz_criterium;
    qopts.zero_threshold = opts.qz_zero_threshold;
    const numerics::QzResult q = numerics::qz(E, D, qopts);
    res.eigenvalues = q.eigenvalues;
    res.n_stable = q.n_stable;
    res.n_explosive = nd - q.n_stable;
    res.n_infinite = q.n_infinite;
    if (!q.ok()) {
      res.status = q.status;
      res.message = "generalized Schur decomposition failed: " + q.message;
      return res;
    }
    if (res.n_explosive != nsfwrd) {
      std::ostringstream os;
      os << "Blanchard-Kahn conditions are not satisfied: ";
      if (res.n_explosive > nsfwrd) {
        res.status = Status::NoStableSolution;
        os << "no stable equilibrium";
      } else {
        res.status = Status::Indeterminate;
        os << "indeterminacy";
      }
      os << ". There are " << res.n_explosive << " eigenvalue(s) larger than " << opts.qz_criterium
         << " in modulus (" << res.n_infinite << " infinite) for " << nsfwrd
         << " forward-looking variable(s); moduli: " << format_moduli(res.eigenvalue_moduli());
      res.message = os.str();
      return res;
    }
    res.determinate = true;

    // Z' = [Z11 Z12; Z21 Z22] (Dynare's Z = w'); the explosive coordinates must vanish:
    // Z21 x + Z22 y = 0.
    const Matrix Zt = q.Z.transpose();
    const Matrix Z11 = Zt.topLeftCorner(nspred, nspred);
    if (nsfwrd > 0) {
      const Matrix Z21 = Zt.bottomLeftCorner(nsfwrd, nspred);
      const Matrix Z22 = Zt.bottomRightCorner(nsfwrd, nsfwrd);
      Eigen::PartialPivLU<Matrix> lu22(Z22);
      const double rc = lu22.rcond();
      if (!(rc >= opts.rank_tolerance)) {
        std::ostringstream os;
        os << "Blanchard-Kahn conditions are not satisfied: indeterminacy due to rank failure "
              "(the block Z22 of the Schur vectors has reciprocal condition number "
           << rc << "); eigenvalue moduli: " << format_moduli(res.eigenvalue_moduli());
        res.status = Status::Indeterminate;
        res.message = os.str();
        return res;
      }
      if (nspred > 0) gx = -lu22.solve(Z21);
    }
    if (nspred > 0) {
      // x_t = Z11' T11^{-1} S11 (Z11')^{-1} x_{t-1}
      const Matrix S11 = q.S.topLeftCorner(nspred, nspred);
      const Matrix T11 = q.T.topLeftCorner(nspred, nspred);
      const Matrix tmp = T11.triangularView<Eigen::Upper>().solve(S11);
      const Matrix M = Z11.transpose();
      const Matrix Mt = M.transpose();
      hx = Mt.partialPivLu().solve((M * tmp).transpose()).transpose();
    }
    ghx_dyn.topRows(nspred) = hx;
    ghx_dyn.bottomRows(nfwrd) = gx.bottomRows(nfwrd);
  } else {
    res.determinate = true;
  }

  // --- static variables -------------------------------------------------------------------------
  Matrix ghx_ov(n, nspred);
  ghx_ov.bottomRows(ndyn) = ghx_dyn;
  if (ns > 0 && nspred > 0) {
    Matrix temp = -Am.topRows(ns);
    if (nsfwrd > 0 && nspred > 0) temp.noalias() -= Ap.topRows(ns) * gx * hx;
    temp.noalias() -= A0.block(0, ns, ns, ndyn) * ghx_dyn;
    ghx_ov.topRows(ns) = A0.topLeftCorner(ns, ns).triangularView<Eigen::Upper>().solve(temp);
  }

  // --- shocks: [B_static, C gx + B_pred, B_fwd] ghu = -Fu --------------------------------------
  Matrix Abar = A0;
  if (nsfwrd > 0 && nspred > 0) Abar.middleCols(ns, nspred).noalias() += Ap * gx;
  Matrix ghu_ov(n, n_exo);
  if (n_exo > 0) {
    Eigen::PartialPivLU<Matrix> lu(Abar);
    const double rc = rcond(Abar);
    if (!(rc >= std::numeric_limits<double>::epsilon())) {
      std::ostringstream os;
      os << "the contemporaneous matrix [f_y0 + f_y+ gx] is singular (reciprocal condition number " << rc
         << "); ghu cannot be computed";
      res.status = Status::Singular;
      res.message = os.str();
      return res;
    }
    ghu_ov = -lu.solve(Fu);
  }

  // --- back to declaration order ----------------------------------------------------------------
  res.ghx.resize(n, nspred);
  res.ghu.resize(n, n_exo);
  for (Index i = 0; i < n; ++i) {
    res.ghx.row(ov[static_cast<std::size_t>(i)]) = ghx_ov.row(i);
    res.ghu.row(ov[static_cast<std::size_t>(i)]) = ghu_ov.row(i);
  }
  res.A = Matrix::Zero(n, n);
  for (Index s = 0; s < nspred; ++s) res.A.col(res.state_indices[static_cast<std::size_t>(s)]) = res.ghx.col(s);
  res.B = res.ghu;
  if (!res.ghx.allFinite() || !res.ghu.allFinite()) {
    res.status = Status::NumericalIssue;
    res.message = "the decision rules have NaN or infinite entries";
    return res;
  }
  res.unique = true;
  res.status = Status::Success;
  return res;
}

PerturbationResult log_linear_rules(const PerturbationResult& level, const std::vector<bool>& in_levels) {
  PerturbationResult out = level;
  if (!level.ok()) return out;
  const Index n = level.ghx.rows();
  if (!in_levels.empty() && static_cast<Index>(in_levels.size()) != n)
    throw DimensionError("log_linear_rules: in_levels has " + std::to_string(in_levels.size()) +
                         " flag(s), the solution " + std::to_string(n) + " variable(s)");
  if (level.steady_state.size() != n || level.A.rows() != n || level.A.cols() != n)
    throw DimensionError("log_linear_rules: the solution's steady state or transition does not match its rules");
  auto levels = [&](Index i) { return !in_levels.empty() && in_levels[static_cast<std::size_t>(i)]; };
  const Vector& ys = level.steady_state;
  std::string bad;
  for (Index i = 0; i < n; ++i)
    if (!levels(i) && !(ys[i] >= kLogLinearMinSteadyState))
      bad += (bad.empty() ? "" : ", ") + level.endo_names[static_cast<std::size_t>(i)] + " (" +
             [](double v) { std::ostringstream os; os << v; return os.str(); }(ys[i]) + ")";
  if (!bad.empty()) {
    out.status = Status::NumericalIssue;
    out.message = "the rules in logs (loglinear) need a strictly positive steady state; not positive: " + bad;
    return out;
  }
  const Index ns = static_cast<Index>(level.state_indices.size());
  for (Index i = 0; i < n; ++i) {
    const double row_scale = levels(i) ? 1.0 : 1.0 / ys[i];
    for (Index j = 0; j < ns; ++j) {
      const Index s = level.state_indices[static_cast<std::size_t>(j)];
      out.ghx(i, j) *= row_scale * (levels(s) ? 1.0 : ys[s]);
    }
    out.ghu.row(i) *= row_scale;
    if (!levels(i)) out.steady_state[i] = std::log(ys[i]);
  }
  out.A.setZero();
  for (Index j = 0; j < ns; ++j) out.A.col(level.state_indices[static_cast<std::size_t>(j)]) = out.ghx.col(j);
  out.B = out.ghu;
  return out;
}

std::vector<bool> shock_auxiliary_flags(const Model& m, const Names& names) {
  std::vector<bool> flags(names.size(), false);
  const Names endo = m.endo_names();
  Names shocky;
  bool grew = true;
  while (grew) {
    grew = false;
    for (const auto& a : m.aux_variables()) {
      const std::string& name = endo[static_cast<std::size_t>(a.endo_index)];
      if (std::find(shocky.begin(), shocky.end(), name) != shocky.end()) continue;
      const bool of_shock = a.kind == AuxVariable::Kind::ExoLag || a.orig_type == SymbolType::Exogenous ||
                            std::find(shocky.begin(), shocky.end(), a.orig_name) != shocky.end();
      if (of_shock) shocky.push_back(name), grew = true;
    }
  }
  for (std::size_t i = 0; i < names.size(); ++i)
    flags[i] = std::find(shocky.begin(), shocky.end(), names[i]) != shocky.end();
  return flags;
}

PerturbationResult log_linear_rules(const PerturbationResult& level, const Model& model) {
  return log_linear_rules(level, shock_auxiliary_flags(model, level.endo_names));
}

}  // namespace govsim::dsge
