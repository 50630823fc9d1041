// Compiled symbolic derivatives up to order 3 and parameter derivatives.
#include <govsim/core/error.hpp>
#include <govsim/dsge/derivatives.hpp>

#include "model_data.hpp"
#include "tape.hpp"

#include <algorithm>

namespace govsim::dsge {

namespace detail {
struct DerivativeTapes {
  ModelForm form = ModelForm::Dynamic;
  int order = 1;
  bool with_params = false;
  Index n_rows = 0, n_cols = 0, n_params = 0, n_endo = 0;
  Names col_names;
  std::vector<Index> col_cur;
  Tape tape1;
  std::vector<std::pair<Index, Index>> jac_pattern;
  Tape tape_hi;
  std::vector<Index> h_rows, t_rows, pj_rows;
  std::vector<std::array<Index, 3>> h_cols, t_cols, pj_cols;
  std::vector<std::pair<Index, Index>> pr_pattern;
};
}  // namespace detail

Matrix SparseTensor::to_dense() const {
  Index width = 1;
  for (int k = 0; k < order; ++k) width *= n_cols;
  Matrix D = Matrix::Zero(n_rows, width);
  for (std::size_t e = 0; e < values.size(); ++e) {
    std::array<Index, 3> c = cols[e];
    std::vector<Index> idx(c.begin(), c.begin() + order);
    std::sort(idx.begin(), idx.end());
    do {
      Index col = 0;
      for (int k = 0; k < order; ++k) col = col * n_cols + idx[static_cast<std::size_t>(k)];
      D(rows[e], col) = values[e];
    } while (std::next_permutation(idx.begin(), idx.end()));
  }
  return D;
}

ModelDerivatives::ModelDerivatives(const Model& model, ModelForm form, int order, bool with_params) {
  if (order < 1 || order > 3) throw OptionsError("ModelDerivatives: order must be 1, 2 or 3");
  const detail::ModelData& md = model.data();
  auto t = std::make_shared<detail::DerivativeTapes>();
  t->form = form;
  t->order = order;
  t->with_params = with_params;
  t->n_endo = model.n_endo();
  t->n_params = model.n_params();
  t->col_cur = md.col_cur;
  ExprPool pool = md.pool;  // private copy, extended with derivative nodes
  std::vector<ExprId> res;
  std::function<int(const ExprNode&)> var_id;
  std::function<std::pair<detail::Source, std::uint32_t>(const ExprNode&)> resolve;
  if (form == ModelForm::Dynamic) {
    for (const auto& eq : md.equations) res.push_back(eq.residual);
    t->n_cols = md.n_cols;
    t->col_names = model.dynamic_column_names();
    var_id = [&md](const ExprNode& n) { return detail::dynamic_var_id(md, n); };
    resolve = [&md](const ExprNode& n) { return detail::dynamic_resolve(md, n); };
  } else {
    res = md.static_residuals;
    t->n_cols = model.n_endo();
    t->col_names = model.endo_names();
    var_id = detail::static_var_id;
    resolve = detail::static_resolve;
  }
  t->n_rows = static_cast<Index>(res.size());
  detail::Differentiator dv(pool, var_id);
  detail::Differentiator dp(pool, [](const ExprNode& n) { return n.op == ExprOp::Param ? static_cast<int>(n.a) : -1; });

  std::vector<ExprId> out1 = res, out_hi;
  std::vector<std::pair<Index, ExprId>> firsts;  // (row, expr) with column in jac_pattern
  for (std::size_t i = 0; i < res.size(); ++i) {
    std::vector<int> deps = dv.deps(res[i]);
    for (int v : deps) {
      ExprId g = dv.d(res[i], v);
      if (g == pool.zero()) continue;
      out1.push_back(g);
      t->jac_pattern.emplace_back(static_cast<Index>(i), v);
      firsts.emplace_back(static_cast<Index>(i), g);
    }
  }
  if (order >= 2) {
    std::vector<std::tuple<Index, std::array<Index, 3>, ExprId>> seconds;
    for (std::size_t k = 0; k < firsts.size(); ++k) {
      Index row = firsts[k].first;
      Index c1 = t->jac_pattern[k].second;
      ExprId g = firsts[k].second;
      std::vector<int> deps = dv.deps(g);
      for (int v : deps) {
        if (v < c1) continue;
        ExprId h = dv.d(g, v);
        if (h == pool.zero()) continue;
        t->h_rows.push_back(row);
        t->h_cols.push_back({c1, v, -1});
        out_hi.push_back(h);
        seconds.emplace_back(row, std::array<Index, 3>{c1, v, -1}, h);
      }
    }
    if (order >= 3) {
      for (const auto& [row, cc, h] : seconds) {
        std::vector<int> deps = dv.deps(h);
        for (int v : deps) {
          if (v < cc[1]) continue;
          ExprId g3 = dv.d(h, v);
          if (g3 == pool.zero()) continue;
          t->t_rows.push_back(row);
          t->t_cols.push_back({cc[0], cc[1], v});
          out_hi.push_back(g3);
        }
      }
    }
  }
  if (with_params) {
    for (std::size_t i = 0; i < res.size(); ++i) {
      std::vector<int> deps = dp.deps(res[i]);
      for (int p : deps) {
        ExprId g = dp.d(res[i], p);
        if (g == pool.zero()) continue;
        t->pr_pattern.emplace_back(static_cast<Index>(i), p);
        out_hi.push_back(g);
      }
    }
    for (std::size_t k = 0; k < firsts.size(); ++k) {
      ExprId g = firsts[k].second;
      std::vector<int> deps = dp.deps(g);
      for (int p : deps) {
        ExprId h = dp.d(g, p);
        if (h == pool.zero()) continue;
        t->pj_rows.push_back(firsts[k].first);
        t->pj_cols.push_back({t->jac_pattern[k].second, p, -1});
        out_hi.push_back(h);
      }
    }
  }
  t->tape1 = detail::Tape(pool, out1, resolve);
  if (!out_hi.empty()) t->tape_hi = detail::Tape(pool, out_hi, resolve);
  impl_ = std::move(t);
}

ModelForm ModelDerivatives::form() const { return impl_->form; }
int ModelDerivatives::order() const { return impl_->order; }
Index ModelDerivatives::n_equations() const { return impl_->n_rows; }
Index ModelDerivatives::n_columns() const { return impl_->n_cols; }
Names ModelDerivatives::column_names() const { return impl_->col_names; }
std::size_t ModelDerivatives::tape_size() const { return impl_->tape1.size() + impl_->tape_hi.size(); }
const std::vector<std::pair<Index, Index>>& ModelDerivatives::jacobian_pattern() const { return impl_->jac_pattern; }

namespace {
struct Inputs {
  Vector ss, exo;
};
}  // namespace

void ModelDerivatives::evaluate_jacobian(const Vector& point, const Vector& params, const Vector& steady_state,
                                         const Vector& exo, Eigen::Ref<Vector> residuals,
                                         Eigen::Ref<Vector> jacobian_values) const {
  const auto& t = *impl_;
  if (point.size() != t.n_cols) throw DimensionError("ModelDerivatives: point has the wrong size");
  if (params.size() != t.n_params) throw DimensionError("ModelDerivatives: params has the wrong size");
  if (residuals.size() != t.n_rows || jacobian_values.size() != static_cast<Index>(t.jac_pattern.size()))
    throw DimensionError("ModelDerivatives::evaluate_jacobian: output sizes do not match");
  thread_local std::vector<double> out;
  out.resize(t.tape1.n_outputs());
  thread_local Vector ss;
  const double* ssp = steady_state.data();
  if (t.form == ModelForm::Dynamic && steady_state.size() == 0) {
    ss.resize(t.n_endo);
    for (Index i = 0; i < t.n_endo; ++i) ss[i] = point[t.col_cur[i]];
    ssp = ss.data();
  }
  const double* exop = exo.size() ? exo.data() : nullptr;
  t.tape1.run(point.data(), params.data(), ssp, exop, nullptr, out.data());
  for (Index i = 0; i < t.n_rows; ++i) residuals[i] = out[static_cast<std::size_t>(i)];
  for (std::size_t k = 0; k < t.jac_pattern.size(); ++k) jacobian_values[static_cast<Index>(k)] = out[static_cast<std::size_t>(t.n_rows) + k];
}

DerivativeValues ModelDerivatives::evaluate(const Vector& point, const Vector& params, const Vector& steady_state,
                                            const Vector& exo) const {
  const auto& t = *impl_;
  DerivativeValues r;
  r.residuals.resize(t.n_rows);
  Vector jv(static_cast<Index>(t.jac_pattern.size()));
  evaluate_jacobian(point, params, steady_state, exo, r.residuals, jv);
  std::vector<Eigen::Triplet<double>> trip;
  trip.reserve(t.jac_pattern.size());
  for (std::size_t k = 0; k < t.jac_pattern.size(); ++k)
    trip.emplace_back(t.jac_pattern[k].first, t.jac_pattern[k].second, jv[static_cast<Index>(k)]);
  r.jacobian.resize(t.n_rows, t.n_cols);
  r.jacobian.setFromTriplets(trip.begin(), trip.end());
  r.hessian.order = 2;
  r.hessian.n_rows = t.n_rows;
  r.hessian.n_cols = t.n_cols;
  r.third.order = 3;
  r.third.n_rows = t.n_rows;
  r.third.n_cols = t.n_cols;
  r.param_jacobian.order = 2;
  r.param_jacobian.n_rows = t.n_rows;
  r.param_jacobian.n_cols = t.n_cols;
  r.param_residuals.resize(t.n_rows, t.n_params);
  if (t.tape_hi.n_outputs() > 0) {
    std::vector<double> out(t.tape_hi.n_outputs());
    Vector ss = steady_state;
    if (t.form == ModelForm::Dynamic && ss.size() == 0) {
      ss.resize(t.n_endo);
      for (Index i = 0; i < t.n_endo; ++i) ss[i] = point[t.col_cur[i]];
    }
    t.tape_hi.run(point.data(), params.data(), ss.size() ? ss.data() : nullptr, exo.size() ? exo.data() : nullptr,
                  nullptr, out.data());
    std::size_t k = 0;
    r.hessian.rows = t.h_rows;
    r.hessian.cols = t.h_cols;
    r.hessian.values.assign(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(t.h_rows.size()));
    k += t.h_rows.size();
    r.third.rows = t.t_rows;
    r.third.cols = t.t_cols;
    r.third.values.assign(out.begin() + static_cast<std::ptrdiff_t>(k),
                          out.begin() + static_cast<std::ptrdiff_t>(k + t.t_rows.size()));
    k += t.t_rows.size();
    std::vector<Eigen::Triplet<double>> pt;
    for (const auto& [row, p] : t.pr_pattern) pt.emplace_back(row, p, out[k++]);
    r.param_residuals.setFromTriplets(pt.begin(), pt.end());
    r.param_jacobian.rows = t.pj_rows;
    r.param_jacobian.cols = t.pj_cols;
    r.param_jacobian.values.assign(out.begin() + static_cast<std::ptrdiff_t>(k), out.end());
  }
  return r;
}

}  // namespace govsim::dsge
