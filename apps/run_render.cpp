#include "run_render.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <limits>
#include <numeric>

namespace govsim::cli {

using namespace govsim::dsge;
using govsim::policy::DiscretionRunResult;
using govsim::policy::OsrRunResult;
using govsim::policy::PlannerObjectiveRunResult;
using govsim::policy::RamseyRunResult;

namespace {

// ------------------------------------------------------------------------------ helpers
Index index_of(const Names& names, const std::string& v) {
  const auto it = std::find(names.begin(), names.end(), v);
  return it == names.end() ? -1 : static_cast<Index>(it - names.begin());
}

Matrix select_rows(const Matrix& m, const Names& names, const Names& vl) {
  Matrix out(static_cast<Index>(vl.size()), m.cols());
  for (std::size_t i = 0; i < vl.size(); ++i) out.row(static_cast<Index>(i)) = m.row(index_of(names, vl[i]));
  return out;
}

Matrix select_square(const Matrix& m, const Names& names, const Names& vl) {
  // look each name up once (a lookup per entry made this quadratic in names, cubic overall)
  const Index k = static_cast<Index>(vl.size());
  std::vector<Index> idx(vl.size());
  for (std::size_t i = 0; i < vl.size(); ++i) idx[i] = index_of(names, vl[i]);
  Matrix out(k, k);
  for (Index j = 0; j < k; ++j)
    for (Index i = 0; i < k; ++i) out(i, j) = m(idx[static_cast<std::size_t>(i)], idx[static_cast<std::size_t>(j)]);
  return out;
}

Vector select(const Vector& v, const Names& names, const Names& vl) {
  Vector out(static_cast<Index>(vl.size()));
  for (std::size_t i = 0; i < vl.size(); ++i) out(static_cast<Index>(i)) = v(index_of(names, vl[i]));
  return out;
}

JsonValue names_json(const Names& names) {
  JsonValue a = JsonValue::array();
  for (const auto& n : names) a.push_back(n);
  return a;
}

JsonValue vector_json(const Vector& v, Index n = -1) {
  JsonValue a = JsonValue::array();
  const Index m = n < 0 ? v.size() : std::min<Index>(n, v.size());
  for (Index i = 0; i < m; ++i) a.push_back(v(i));
  return a;
}

// rows of `m` (the first `n` rows when n >= 0) as lists
JsonValue matrix_json(const Matrix& m, Index n = -1) {
  JsonValue a = JsonValue::array();
  const Index r = n < 0 ? m.rows() : std::min<Index>(n, m.rows());
  for (Index i = 0; i < r; ++i) {
    JsonValue row = JsonValue::array();
    for (Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    a.push_back(std::move(row));
  }
  return a;
}

JsonValue named_json(const Names& names, const Vector& v) {
  JsonValue o = JsonValue::object();
  for (std::size_t i = 0; i < names.size() && static_cast<Index>(i) < v.size(); ++i)
    o.set(names[i], v(static_cast<Index>(i)));
  return o;
}

Vector moduli(const ComplexVector& ev) {
  Vector m(ev.size());
  for (Index i = 0; i < ev.size(); ++i) m(i) = std::abs(ev(i));
  return m;
}

JsonValue eig_json(const ComplexVector& ev) {
  Vector re(ev.size()), im(ev.size());
  for (Index i = 0; i < ev.size(); ++i) re(i) = ev(i).real(), im(i) = ev(i).imag();
  JsonValue o = JsonValue::object();
  o.set("real", vector_json(re));
  o.set("imag", vector_json(im));
  o.set("modulus", vector_json(moduli(ev)));
  return o;
}

// ------------------------------------------------------------------------------ tables
// Layout of a labelled table: index left-aligned, columns right-aligned to the widest of header
// (plus one space) and cells, one space between columns.
std::string fmt_cell(double v, int decimals) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

std::string pad_left(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : std::string(w - s.size(), ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}

std::string table(const std::string& title, const Names& index, const Names& columns, const Matrix& values,
                  int decimals, const std::string& corner = "", const std::string& index_name = "") {
  std::size_t iw = std::max(corner.size(), index_name.size());
  for (const auto& s : index) iw = std::max(iw, s.size());
  std::vector<std::vector<std::string>> cells(static_cast<std::size_t>(values.rows()));
  std::vector<std::size_t> w(columns.size());
  for (std::size_t j = 0; j < columns.size(); ++j) w[j] = columns[j].size() + 1;
  for (Index i = 0; i < values.rows(); ++i)
    for (Index j = 0; j < values.cols(); ++j) {
      auto& row = cells[static_cast<std::size_t>(i)];
      row.push_back(fmt_cell(values(i, j), decimals));
      w[static_cast<std::size_t>(j)] = std::max(w[static_cast<std::size_t>(j)], row.back().size());
    }
  std::string out = title;
  out += "\n";
  out += pad_right(corner, iw);
  for (std::size_t j = 0; j < columns.size(); ++j) {
    out += ' ';
    out += pad_left(columns[j], w[j]);
  }
  out += '\n';
  if (!index_name.empty()) {
    out += pad_right(index_name, iw);
    for (std::size_t j = 0; j < columns.size(); ++j) out += std::string(w[j] + 1, ' ');
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
  for (std::size_t i = 0; i < index.size(); ++i) {
    std::string line = pad_right(index[i], iw);
    for (std::size_t j = 0; j < columns.size(); ++j) {
      line += ' ';
      line += pad_left(cells[i][j], w[j]);
    }
    out += line;
    out += '\n';
  }
  return out + "\n";
}

std::string fmt(const char* f, double v) {
  char b[128];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// ------------------------------------------------------------------------------ per command: text
struct Text {
  std::vector<Output>& out;
  const RunResult& run;
  void print(std::string s) { out.push_back({false, std::move(s)}); }

  void steady(const SteadyResult& s) {
    print(table("STEADY-STATE RESULTS:", run.endo_names, {"value"}, s.steady_state, 6));
  }

  void check(const CheckResult& c) {
    const Index m = c.eigenvalues.size();
    const Vector mod = moduli(c.eigenvalues);
    std::vector<Index> order(static_cast<std::size_t>(m));
    std::iota(order.begin(), order.end(), Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) {
      if (std::isnan(mod(a))) return false;
      if (std::isnan(mod(b))) return true;
      return mod(a) < mod(b);
    });
    Matrix t(m, 3);
    Names idx;
    for (Index i = 0; i < m; ++i) {
      const Index k = order[static_cast<std::size_t>(i)];
      t(i, 0) = mod(k);
      t(i, 1) = c.eigenvalues(k).real();
      t(i, 2) = c.eigenvalues(k).imag();
      idx.push_back(std::to_string(i + 1));
    }
    print(table("EIGENVALUES:", idx, {"modulus", "real", "imag"}, t, 6));
    std::string s = "There are " + std::to_string(c.n_explosive) + " eigenvalue(s) larger than 1 in modulus\nfor " +
                    std::to_string(c.n_forward) + " forward-looking variable(s)\n\n";
    s += c.blanchard_kahn_ok() ? std::string("The rank condition is verified.")
                               : std::string("Blanchard-Kahn conditions are not satisfied (") + to_string(c.status) + ").";
    print(s + "\n\n");
  }

  void policy_order1(const PerturbationResult& sol, Index n) {
    Names rows{"Constant"};
    for (const auto& s : sol.state_names) rows.push_back(s + "(-1)");
    for (const auto& e : sol.exo_names) rows.push_back(e);
    Matrix t(static_cast<Index>(rows.size()), n);
    t.row(0) = sol.steady_state.head(n).transpose();
    const Index nx = static_cast<Index>(sol.state_names.size());
    for (Index j = 0; j < nx; ++j) t.row(1 + j) = sol.ghx.col(j).head(n).transpose();
    for (Index j = 0; j < static_cast<Index>(sol.exo_names.size()); ++j) t.row(1 + nx + j) = sol.ghu.col(j).head(n).transpose();
    for (Index i = 0; i < t.rows(); ++i)
      for (Index j = 0; j < t.cols(); ++j)
        if (!(std::fabs(t(i, j)) >= 1e-10)) t(i, j) = 0.0;
    print(table("POLICY AND TRANSITION FUNCTIONS", rows, run.endo_names, t, 6));
  }

  void policy_order2(const SecondOrderResult& so, Index n) {
    const Names& xs = so.state_names;
    const Names& us = so.exo_names;
    const Index nx = static_cast<Index>(xs.size()), nu = static_cast<Index>(us.size());
    Names rows;
    std::vector<Vector> vals;
    rows.push_back("Constant");
    vals.push_back(so.steady_state.head(n) + 0.5 * so.ghs2.head(n));
    for (Index j = 0; j < nx; ++j) rows.push_back(xs[static_cast<std::size_t>(j)] + "(-1)"), vals.push_back(so.ghx.col(j).head(n));
    for (Index j = 0; j < nu; ++j) rows.push_back(us[static_cast<std::size_t>(j)]), vals.push_back(so.ghu.col(j).head(n));
    auto sym = [&](const Matrix& M, Index k, Index i, Index j) -> Vector {
      if (i == j) return 0.5 * M.col(i * k + j).head(n);
      return M.col(i * k + j).head(n) + M.col(j * k + i).head(n);
    };
    for (Index i = 0; i < nx; ++i)
      for (Index j = i; j < nx; ++j)
        rows.push_back(xs[static_cast<std::size_t>(i)] + "(-1)," + xs[static_cast<std::size_t>(j)] + "(-1)"),
            vals.push_back(sym(so.ghxx, nx, i, j));
    for (Index i = 0; i < nx; ++i)
      for (Index j = 0; j < nu; ++j)
        rows.push_back(xs[static_cast<std::size_t>(i)] + "(-1)," + us[static_cast<std::size_t>(j)]),
            vals.push_back(so.ghxu.col(i * nu + j).head(n));
    for (Index i = 0; i < nu; ++i)
      for (Index j = i; j < nu; ++j)
        rows.push_back(us[static_cast<std::size_t>(i)] + "," + us[static_cast<std::size_t>(j)]),
            vals.push_back(sym(so.ghuu, nu, i, j));
    Matrix t(static_cast<Index>(rows.size()), n);
    for (std::size_t i = 0; i < vals.size(); ++i) t.row(static_cast<Index>(i)) = vals[i].transpose();
    print(table("POLICY AND TRANSITION FUNCTIONS (order 2)", rows, run.endo_names, t, 6));
    if (so.mean.size() > 0) {
      Matrix mt(n, 2);
      mt.col(0) = so.steady_state.head(n);
      mt.col(1) = so.mean.head(n);
      print(table("SECOND-ORDER MEAN (pruned)", run.endo_names, {"steady state", "mean (order 2)"}, mt, 6));
    }
  }

  void moments(const MomentsResult& m, const Names& vl, bool nocorr) {
    const Index k = static_cast<Index>(vl.size());
    Matrix s(k, 3);
    for (Index i = 0; i < k; ++i) {
      const Index r = index_of(m.var_names, vl[static_cast<std::size_t>(i)]);
      s(i, 0) = m.mean(r);
      s(i, 1) = m.std_dev(r);
      s(i, 2) = m.covariance(r, r);
    }
    print(table("THEORETICAL MOMENTS", vl, {"MEAN", "STD. DEV.", "VARIANCE"}, s, 6));
    if (m.variance_decomposition.size() > 0)
      print(table("VARIANCE DECOMPOSITION (in percent)", vl, m.exo_names,
                  select_rows(m.variance_decomposition, m.var_names, vl), 2));
    if (!nocorr) print(table("MATRIX OF CORRELATIONS", vl, vl, select_square(m.correlation, m.var_names, vl), 4));
    if (!m.autocorrelation.empty()) {
      Matrix a(k, static_cast<Index>(m.autocorrelation.size()));
      Names lags;
      for (std::size_t l = 0; l < m.autocorrelation.size(); ++l) {
        lags.push_back(std::to_string(l + 1));
        for (Index i = 0; i < k; ++i) {
          const Index r = index_of(m.var_names, vl[static_cast<std::size_t>(i)]);
          a(i, static_cast<Index>(l)) = m.autocorrelation[l](r, r);
        }
      }
      print(table("COEFFICIENTS OF AUTOCORRELATION (by lag)", vl, lags, a, 4, "lag"));
    }
  }

  void cvd(const ConditionalVarianceDecompositionResult& c) {
    std::size_t hw = std::string("horizon").size(), vw = std::string("variable").size();
    for (Index h : c.horizons) hw = std::max(hw, std::to_string(h).size());
    for (const auto& v : c.var_names) vw = std::max(vw, v.size());
    const Index nv = static_cast<Index>(c.var_names.size());
    Names idx;
    Matrix t(static_cast<Index>(c.decomposition.size()) * nv, static_cast<Index>(c.exo_names.size()));
    for (std::size_t k = 0; k < c.decomposition.size(); ++k)
      for (Index i = 0; i < nv; ++i) {
        idx.push_back(pad_right(i == 0 ? std::to_string(c.horizons[k]) : "", hw) + " " +
                      pad_right(c.var_names[static_cast<std::size_t>(i)], vw));
        t.row(static_cast<Index>(k) * nv + i) = c.decomposition[k].row(i);
      }
    std::string s = table("CONDITIONAL VARIANCE DECOMPOSITION (in percent)", idx, c.exo_names, t, 2);
    const auto header_start = s.find('\n') + 1;
    const auto header_end = s.find('\n', header_start);
    s.insert(header_end + 1, pad_right(pad_right("horizon", hw) + " variable", header_end - header_start) + "\n");
    print(s);
  }

  void simulated(const SimulationResult& sim, const Names& vl) {
    const Index k = static_cast<Index>(vl.size());
    Matrix t(k, 3);
    const Index T = sim.paths.rows();
    for (Index i = 0; i < k; ++i) {
      const Vector x = sim.paths.col(index_of(sim.var_names, vl[static_cast<std::size_t>(i)]));
      const double mean = x.mean();
      const double var = T > 1 ? (x.array() - mean).square().sum() / static_cast<double>(T - 1)
                               : std::numeric_limits<double>::quiet_NaN();
      t(i, 0) = mean;
      t(i, 1) = std::sqrt(var);
      t(i, 2) = var;
    }
    print(table("MOMENTS OF SIMULATED VARIABLES", vl, {"mean", "std", "var"}, t, 6));
  }

  void stoch_simul(const StochSimulResult& s, bool quiet) {
    const Index n = static_cast<Index>(run.endo_names.size());
    if (s.print && !quiet) {
      if (s.loglinear) print("(loglinear: steady state, rules, IRFs and moments of the logs of the variables)\n\n");
      if (s.order == 2) policy_order2(*s.second, n);
      else policy_order1(s.first, n);
      if (s.moments) moments(*s.moments, s.var_list, s.nocorr);
      if (s.conditional_variance_decomposition) cvd(*s.conditional_variance_decomposition);
      if (s.simulation) simulated(*s.simulation, s.var_list);
    }
    if (s.graph && s.irfs && !s.irfs->shock_names.empty() && !quiet) print("(IRF charts: use --irf-png DIR)\n\n");
  }

  void osr(const OsrRunResult& o) {
    const auto& r = o.result;
    std::string s = "OPTIMAL VALUE OF THE PARAMETERS:\n\n";
    for (std::size_t i = 0; i < r.param_names.size(); ++i)
      s += "  " + pad_right(r.param_names[i], 12) + " " + fmt("%.6f", r.params(static_cast<Index>(i))) + "\n";
    s += "\nObjective function: " + fmt("%.10g", r.loss) + " (at the start: " + fmt("%.10g", r.loss_start) + ")\n";
    s += std::to_string(r.evaluations) + " evaluations, status " + to_string(r.status) + "\n\n";
    print(s);
  }

  void estimation(const EstimationRunResult& e) {
    if (e.at_initial) {
      print("Log-likelihood at the initial values: " + fmt("%.10f", e.at_initial->log_likelihood) + "\n\n");
    } else if (e.mode) {
      std::string s = std::string("RESULTS FROM ") + (e.bayesian ? "POSTERIOR" : "MAXIMUM LIKELIHOOD") + " ESTIMATION\n";
      for (std::size_t i = 0; i < e.labels.size(); ++i)
        s += "  " + pad_right(e.labels[i], 16) + " " + fmt("%12.6f", e.mode->mode(static_cast<Index>(i))) + " " +
             fmt("%12.6f", e.mode->std_at_mode(static_cast<Index>(i))) + "\n";
      s += "Log-likelihood at the mode: " + fmt("%.8f", e.mode->log_likelihood) + "\n\n";
      print(s);
    }
    if (e.mcmc && e.mcmc->summary_table.rows() > 0) {
      const Matrix& st = e.mcmc->summary_table;
      Matrix t(st.rows(), 4);
      t.col(0) = st.col(0);
      t.col(1) = st.col(1);
      t.col(2) = st.col(2);
      t.col(3) = st.col(4);
      print(table("POSTERIOR (Metropolis-Hastings, " + std::to_string(e.mcmc->draws_done) + " draws per chain)",
                  e.labels, {"mean", "std", "q05", "q95"}, t, 6));
    }
  }

  void ramsey(const RamseyRunResult& x) {
    const auto& r = x.result;
    const Names& names = r.ramsey.model.endo_names();
    std::string s = "RAMSEY POLICY (commitment), instruments:";
    for (const auto& i : r.ramsey.instruments) s += " " + i;
    s += ", planner discount " + fmt("%.10g", r.ramsey.discount) + "\n\n";
    print(s);
    Matrix t(static_cast<Index>(names.size()), 1);
    for (Index i = 0; i < t.rows(); ++i) t(i, 0) = r.steady_state(i);
    print(table("STEADY STATE OF THE RAMSEY SYSTEM (multipliers MULT_*)", names, {"value"}, t, 6));
    objective_summary("ramsey", r.objective.unconditional, r.objective.conditional_steady_initial_multiplier,
                  r.objective.conditional_zero_initial_multiplier);
  }

  void objective_summary(const std::string& policy, double unconditional, double cond1, double cond2) {
    std::string s = "PLANNER OBJECTIVE (" + policy + ")\n";
    s += "  unconditional: " + fmt("%.10g", unconditional + 0.0) + "\n";
    if (policy == "ramsey") {
      s += "  conditional, initial multipliers at the steady state: " + fmt("%.10g", cond1 + 0.0) + "\n";
      s += "  conditional, initial multipliers at 0: " + fmt("%.10g", cond2 + 0.0) + "\n\n";
    } else {
      s += "  conditional: " + fmt("%.10g", cond1 + 0.0) + "\n\n";
    }
    print(s);
  }

  void discretion(const DiscretionRunResult& x) {
    const auto& r = x.result;
    std::string s = "DISCRETIONARY POLICY, instruments:";
    for (const auto& i : r.instruments) s += " " + i;
    s += ", planner discount " + fmt("%.10g", r.discount) + ", " + std::to_string(r.iterations) + " iterations\n\n";
    print(s);
    objective_summary("discretion (loss)", r.objective.unconditional, r.objective.conditional, 0.0);
  }

  void planner_objective(const PlannerObjectiveRunResult& x) {
    if (x.ramsey)
      objective_summary("ramsey", x.ramsey->unconditional, x.ramsey->conditional_steady_initial_multiplier,
                    x.ramsey->conditional_zero_initial_multiplier);
    else if (x.discretion)
      objective_summary("discretion (loss)", x.discretion->unconditional, x.discretion->conditional, 0.0);
  }

  void perfect_foresight(const PerfectForesightRunResult& p) {
    print(p.result.summary() + "\n\n");
    const Index n = static_cast<Index>(run.endo_names.size());
    const Index rows = std::min<Index>(p.result.paths.rows(), 21);
    Names idx;
    for (Index t = 0; t < rows; ++t) idx.push_back(std::to_string(t));
    print(table("PERFECT FORESIGHT PATHS (first 20 periods; period 0 = initial condition)", idx, run.endo_names,
                p.result.paths.topLeftCorner(rows, n), 6, "", "period"));
  }
};

// ------------------------------------------------------------------------------ per command: JSON
JsonValue irfs_json(const IrfResult& irf) {
  JsonValue irfs = JsonValue::object();
  for (std::size_t k = 0; k < irf.shock_names.size(); ++k) {
    const Matrix& r = irf.responses[k];
    JsonValue by_var = JsonValue::object();
    for (std::size_t j = 0; j < irf.var_names.size(); ++j) {
      JsonValue col = JsonValue::array();
      for (Index t = 0; t < r.rows(); ++t) col.push_back(r(t, static_cast<Index>(j)));
      by_var.set(irf.var_names[j], std::move(col));
    }
    irfs.set(irf.shock_names[k], std::move(by_var));
  }
  return irfs;
}

JsonValue stoch_simul_json(const StochSimulResult& s, const RunResult& run) {
  const Index n = static_cast<Index>(run.endo_names.size());
  const PerturbationResult& sol = s.first;
  JsonValue b = JsonValue::object();
  b.set("endo_names", names_json(run.endo_names));
  b.set("exo_names", names_json(sol.exo_names));
  if (s.order == 2) b.set("order", 2);
  if (s.loglinear) b.set("loglinear", true);
  b.set("steady_state", vector_json(sol.steady_state, n));
  b.set("state_names", names_json(sol.state_names));
  b.set("ghx", matrix_json(sol.ghx, n));
  b.set("ghu", matrix_json(sol.ghu, n));
  if (s.second) {
    b.set("ghxx", matrix_json(s.second->ghxx, n));
    b.set("ghxu", matrix_json(s.second->ghxu, n));
    b.set("ghuu", matrix_json(s.second->ghuu, n));
    b.set("ghs2", vector_json(s.second->ghs2, n));
  }
  b.set("eigenvalues", eig_json(sol.eigenvalues));
  b.set("n_explosive", sol.n_explosive);
  b.set("n_forward", sol.n_forward);
  JsonValue options = JsonValue::object();
  for (const auto& o : s.options) options.set(o.key, o.value);
  b.set("options", std::move(options));
  b.set("var_list", names_json(s.var_list));
  if (s.irfs) b.set("irfs", irfs_json(*s.irfs));
  if (s.moments) {
    const MomentsResult& m = *s.moments;
    const Names& vl = s.var_list;
    JsonValue mj = JsonValue::object();
    mj.set("var_list", names_json(vl));
    if (s.second && s.second->mean.size() > 0)  // the pruned second-order mean
      mj.set("mean", vector_json(select(s.second->mean, s.second->endo_names, vl)));
    else
      mj.set("mean", vector_json(select(m.mean, m.var_names, vl)));
    mj.set("std", vector_json(select(m.std_dev, m.var_names, vl)));
    mj.set("var", matrix_json(select_square(m.covariance, m.var_names, vl)));
    mj.set("correlation", matrix_json(select_square(m.correlation, m.var_names, vl)));
    JsonValue ac = JsonValue::object();
    for (std::size_t k = 0; k < m.autocorrelation.size(); ++k)
      ac.set(std::to_string(k + 1), matrix_json(select_square(m.autocorrelation[k], m.var_names, vl)));
    mj.set("autocorr", std::move(ac));
    if (m.variance_decomposition.size() > 0) {
      mj.set("variance_decomposition", matrix_json(select_rows(m.variance_decomposition, m.var_names, vl)));
      mj.set("variance_decomposition_cols", names_json(sol.exo_names));
    }
    b.set("moments", std::move(mj));
  }
  if (s.conditional_variance_decomposition) {
    const auto& c = *s.conditional_variance_decomposition;
    JsonValue cj = JsonValue::object();
    JsonValue hj = JsonValue::array();
    for (Index h : c.horizons) hj.push_back(h);
    cj.set("horizons", std::move(hj));
    cj.set("cols", names_json(sol.exo_names));
    JsonValue values = JsonValue::object();
    for (std::size_t k = 0; k < c.horizons.size() && k < c.decomposition.size(); ++k)
      values.set(std::to_string(c.horizons[k]), matrix_json(select_rows(c.decomposition[k], c.var_names, s.var_list)));
    cj.set("values", std::move(values));
    b.set("conditional_variance_decomposition", std::move(cj));
  }
  if (s.simulation) {
    const auto& sim = *s.simulation;
    JsonValue sj = JsonValue::object();
    sj.set("periods", sim.paths.rows());
    sj.set("drop", s.drop);
    sj.set("seed", static_cast<unsigned long long>(sim.seed));
    if (s.order == 2) sj.set("pruned", true);
    sj.set("var_names", names_json(sim.var_names));
    sj.set("endo", matrix_json(sim.paths));
    b.set("simulation", std::move(sj));
  }
  return b;
}

JsonValue osr_json(const OsrRunResult& o) {
  const auto& r = o.result;
  JsonValue b = JsonValue::object();
  b.set("params", named_json(r.param_names, r.params));
  b.set("loss", r.loss);
  b.set("loss_start", r.loss_start);
  b.set("status", std::string(to_string(r.status)));
  b.set("start", named_json(r.param_names, r.start));
  b.set("iterations", r.iterations);
  b.set("evaluations", r.evaluations);
  b.set("infeasible", r.infeasible);
  b.set("algorithm", r.algorithm);
  if (o.var_list_covariance.size() > 0) {
    JsonValue m = JsonValue::object();
    m.set("var_list", names_json(o.var_list));
    m.set("var", matrix_json(o.var_list_covariance));
    b.set("moments", std::move(m));
  }
  return b;
}

JsonValue estimation_json(const EstimationRunResult& e) {
  JsonValue b = JsonValue::object();
  if (e.at_initial) {
    b.set("log_likelihood", e.at_initial->log_likelihood);
    b.set("log_posterior", e.at_initial->log_likelihood + e.log_prior_initial);
    b.set("params", named_json(e.labels, e.initial));
    b.set("n_observations", e.at_initial->n_observations);
  } else if (e.mode) {
    b.set("mode", named_json(e.labels, e.mode->mode));
    b.set("std_at_mode", named_json(e.labels, e.mode->std_at_mode));
    b.set("log_likelihood_at_mode", e.mode->log_likelihood);
    b.set("log_posterior_at_mode", e.mode->log_posterior);
    b.set("status", std::string(to_string(e.mode->status)));
    b.set("evaluations", e.mode->evaluations);
    if (e.bayesian) b.set("log_marginal_density_laplace", e.mode->log_marginal_laplace);
  }
  if (e.mcmc) {
    const auto& m = *e.mcmc;
    JsonValue j = JsonValue::object();
    j.set("acceptance", vector_json(m.acceptance));
    j.set("rhat", named_json(e.labels, m.rhat));
    const Matrix& st = m.summary_table;
    if (st.rows() > 0) {
      j.set("posterior_mean", named_json(e.labels, st.col(0)));
      j.set("posterior_std", named_json(e.labels, st.col(1)));
      j.set("q05", named_json(e.labels, st.col(2)));
      j.set("q95", named_json(e.labels, st.col(4)));
    }
    j.set("status", std::string(to_string(m.status)));
    b.set("mcmc", std::move(j));
  }
  return b;
}

JsonValue ramsey_objective_json(const policy::PlannerObjectiveValue& o) {
  JsonValue b = JsonValue::object();
  b.set("unconditional", o.unconditional);
  b.set("conditional_steady_initial_multiplier", o.conditional_steady_initial_multiplier);
  b.set("conditional_zero_initial_multiplier", o.conditional_zero_initial_multiplier);
  return b;
}

JsonValue discretion_objective_json(const policy::DiscretionObjectiveValue& o) {
  JsonValue b = JsonValue::object();
  b.set("unconditional", o.unconditional);
  b.set("conditional", o.conditional);
  return b;
}

JsonValue ramsey_json(const RamseyRunResult& x) {
  const auto& r = x.result;
  JsonValue b = JsonValue::object();
  b.set("instruments", names_json(r.ramsey.instruments));
  b.set("discount", r.ramsey.discount);
  if (r.steady_state.size() > 0) {
    const Names& names = r.ramsey.model.endo_names();
    Vector mult(static_cast<Index>(r.ramsey.multipliers.size()));
    for (Index i = 0; i < mult.size(); ++i)
      mult(i) = r.steady_state(index_of(names, r.ramsey.multipliers[static_cast<std::size_t>(i)]));
    b.set("multipliers", named_json(r.ramsey.multipliers, mult));
    b.set("steady_state", named_json(names, r.steady_state));
    b.set("planner_objective_value", ramsey_objective_json(r.objective));
  }
  b.set("status", std::string(to_string(r.status)));
  b.set("message", r.message);
  return b;
}

JsonValue discretion_json(const DiscretionRunResult& x) {
  const auto& r = x.result;
  JsonValue b = JsonValue::object();
  b.set("instruments", names_json(r.instruments));
  b.set("discount", r.discount);
  b.set("loss", discretion_objective_json(r.objective));
  b.set("iterations", r.iterations);
  b.set("status", std::string(to_string(r.status)));
  b.set("message", r.message);
  return b;
}

JsonValue pf_json(const PerfectForesightRunResult& p, const RunResult& run) {
  const auto& r = p.result;
  const Index n = static_cast<Index>(run.endo_names.size());
  JsonValue b = JsonValue::object();
  b.set("endo_names", names_json(run.endo_names));
  b.set("exo_names", names_json(r.exo_names));
  b.set("paths", matrix_json(r.paths.leftCols(std::min<Index>(n, r.paths.cols()))));
  b.set("exo", matrix_json(r.exo));
  b.set("status", std::string(to_string(r.status)));
  b.set("iterations", r.iterations);
  b.set("max_residual", r.max_residual);
  b.set("worst_period", r.worst_period);
  b.set("worst_equation", r.worst_equation_name);
  b.set("homotopy_steps", r.homotopy_steps);
  b.set("periods", p.periods);
  if (!r.ok()) b.set("message", r.message);
  return b;
}

}  // namespace

std::string warning_line(const RunWarning& w) {
  const std::string loc = w.where.file.empty() ? std::string() : w.where.file + ":" + std::to_string(w.where.line) + ": ";
  return loc + "warning: " + w.message;
}

std::vector<Output> render_text(const RunResult& r, bool quiet) {
  std::vector<Output> out;
  Text t{out, r};
  std::size_t wi = 0;
  auto flush_warnings = [&](std::size_t upto) {
    for (; wi < r.warnings.size() && r.warnings[wi].position <= upto; ++wi)
      out.push_back({true, warning_line(r.warnings[wi]) + "\n"});
  };
  for (std::size_t i = 0; i < r.results.size(); ++i) {
    flush_warnings(i);
    const CommandResult* c = r.results[i].get();
    if (const auto* s = dynamic_cast<const StochSimulResult*>(c)) {
      t.stoch_simul(*s, quiet);
      continue;
    }
    if (quiet) continue;
    if (const auto* x = dynamic_cast<const SteadyResult*>(c)) t.steady(*x);
    else if (const auto* x = dynamic_cast<const CheckResult*>(c)) t.check(*x);
    else if (const auto* x = dynamic_cast<const OsrRunResult*>(c)) t.osr(*x);
    else if (const auto* x = dynamic_cast<const EstimationRunResult*>(c)) t.estimation(*x);
    else if (const auto* x = dynamic_cast<const PerfectForesightRunResult*>(c)) t.perfect_foresight(*x);
    else if (const auto* x = dynamic_cast<const RamseyRunResult*>(c)) t.ramsey(*x);
    else if (const auto* x = dynamic_cast<const DiscretionRunResult*>(c)) t.discretion(*x);
    else if (const auto* x = dynamic_cast<const PlannerObjectiveRunResult*>(c)) t.planner_objective(*x);
  }
  flush_warnings(r.results.size());
  return out;
}

JsonValue render_json(const RunResult& r) {
  JsonValue out = JsonValue::object();
  out.set("endo_names", names_json(r.endo_names));
  out.set("exo_names", names_json(r.exo_names));
  out.set("param_names", names_json(r.param_names));
  out.set("params", named_json(r.param_names, r.params));
  out.set("steady_state", vector_json(r.steady_state));
  // one key per command; a command run several times gives a list
  std::vector<std::pair<std::string, std::vector<JsonValue>>> by_key;
  auto add = [&](const std::string& key, JsonValue v) {
    for (auto& [k, list] : by_key)
      if (k == key) {
        list.push_back(std::move(v));
        return;
      }
    by_key.emplace_back(key, std::vector<JsonValue>{std::move(v)});
  };
  for (const auto& res : r.results) {
    const CommandResult* c = res.get();
    if (const auto* x = dynamic_cast<const SteadyResult*>(c)) {
      JsonValue o = JsonValue::object();
      o.set("steady_state", vector_json(x->steady_state));
      add("steady", std::move(o));
    } else if (const auto* x = dynamic_cast<const CheckResult*>(c)) {
      JsonValue o = JsonValue::object();
      o.set("eigenvalues", eig_json(x->eigenvalues));
      o.set("n_explosive", x->n_explosive);
      o.set("n_forward", x->n_forward);
      o.set("blanchard_kahn_ok", x->blanchard_kahn_ok());
      o.set("status", std::string(to_string(x->status)));
      add("check", std::move(o));
    } else if (const auto* x = dynamic_cast<const StochSimulResult*>(c)) {
      add("stoch_simul", stoch_simul_json(*x, r));
    } else if (const auto* x = dynamic_cast<const OsrRunResult*>(c)) {
      add("osr", osr_json(*x));
    } else if (const auto* x = dynamic_cast<const EstimationRunResult*>(c)) {
      add("estimation", estimation_json(*x));
    } else if (const auto* x = dynamic_cast<const PerfectForesightRunResult*>(c)) {
      add("perfect_foresight", pf_json(*x, r));
    } else if (const auto* x = dynamic_cast<const RamseyRunResult*>(c)) {
      add("ramsey", ramsey_json(*x));
    } else if (const auto* x = dynamic_cast<const DiscretionRunResult*>(c)) {
      add("discretion", discretion_json(*x));
    } else if (const auto* x = dynamic_cast<const PlannerObjectiveRunResult*>(c)) {
      JsonValue o = JsonValue::object();
      o.set("policy", x->policy);
      if (x->ramsey) o.set("value", ramsey_objective_json(*x->ramsey));
      if (x->discretion) o.set("value", discretion_objective_json(*x->discretion));
      add("planner_objective_value", std::move(o));
    }
  }
  for (auto& [key, list] : by_key) out.set(key, list.size() == 1 ? std::move(list.front()) : JsonValue::array(list));
  return out;
}

std::vector<IrfChart> irf_charts(const RunResult& r, const std::string& model_name, const std::string& dir) {
  std::vector<IrfChart> out;
  for (const auto* s : r.results_of<StochSimulResult>()) {
    if (!s->irfs) continue;
    const IrfResult& irf = *s->irfs;
    for (std::size_t k = 0; k < irf.shock_names.size(); ++k) {
      IrfChart c;
      c.shock = irf.shock_names[k];
      c.title = model_name + ": responses to " + c.shock;
      c.path = dir + "/" + model_name + "_IRF_" + c.shock + ".png";
      for (const auto& v : s->var_list) {
        const Index j = index_of(irf.var_names, v);
        if (j < 0) continue;
        const Vector col = irf.responses[k].col(j);
        if (col.size() == 0 || !(col.cwiseAbs().maxCoeff() >= s->irf_plot_threshold)) continue;
        c.vars.push_back(v);
        c.values.push_back(col);
      }
      if (!c.vars.empty()) out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace govsim::cli
