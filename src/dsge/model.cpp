// Model: symbols, finalize (auxiliary variables, dynamic structure), evaluation, JSON, linearize.
#include <govsim/core/error.hpp>
#include <govsim/dsge/command_options.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/steady_state.hpp>

#include "model_data.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace govsim::dsge {

// ------------------------------------------------------------------------------------------------
const char* to_string(SymbolType t) noexcept {
  switch (t) {
    case SymbolType::Endogenous: return "endogenous";
    case SymbolType::Exogenous: return "exogenous";
    case SymbolType::ExogenousDet: return "deterministic exogenous";
    case SymbolType::Parameter: return "parameter";
  }
  return "?";
}

Index SymbolTable::add(const std::string& name, SymbolType type, const std::string& tex_name,
                       const std::string& long_name) {
  if (frozen_) throw ModelError("cannot add symbol '" + name + "': the symbol table is frozen");
  if (by_name_.count(name)) throw ModelError("symbol '" + name + "' declared twice");
  auto& l = lists_[static_cast<int>(type)];
  Symbol s{name, type, static_cast<Index>(l.size()), tex_name, long_name};
  l.push_back(s);
  by_name_.emplace(name, std::make_pair(type, s.index));
  return s.index;
}

std::optional<Symbol> SymbolTable::find(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return at(it->second.first, it->second.second);
}

Names SymbolTable::names(SymbolType type) const {
  Names n;
  for (const auto& s : list(type)) n.push_back(s.name);
  return n;
}

Names SymbolTable::all_names() const {
  Names n;
  for (const auto& l : lists_)
    for (const auto& s : l) n.push_back(s.name);
  return n;
}

std::string SourceLocation::to_string() const {
  std::string s = file.empty() ? "<string>" : file;
  if (line > 0) s += ":" + std::to_string(line);
  if (column > 0) s += ":" + std::to_string(column);
  return s;
}

std::string Warning::to_string() const { return message + " at " + where.to_string(); }

std::optional<std::string> Command::option(const std::string& key) const {
  for (const auto& o : options)
    if (o.key == key) return o.value;
  return std::nullopt;
}

double Command::option_number(const std::string& key, double fallback) const {
  return CommandOptionReader(*this).real(key, fallback);
}

std::string Equation::name() const {
  for (const auto& [k, v] : tags)
    if (k == "name") return v;
  return "";
}

// ------------------------------------------------------------------------------------------------
namespace detail {

std::string ModelData::leaf_name(const ExprNode& n) const {
  auto with_lag = [&](const std::string& s) {
    if (n.lag == 0) return s;
    return s + "(" + (n.lag > 0 ? "+" : "") + std::to_string(n.lag) + ")";
  };
  switch (n.op) {
    case ExprOp::Endo: return with_lag(symbols.at(SymbolType::Endogenous, n.a).name);
    case ExprOp::Exo: return with_lag(symbols.at(SymbolType::Exogenous, n.a).name);
    case ExprOp::ExoDet: return with_lag(symbols.at(SymbolType::ExogenousDet, n.a).name);
    case ExprOp::Param: return symbols.at(SymbolType::Parameter, n.a).name;
    case ExprOp::Helper: return n.a < ss_helpers.size() ? ss_helpers[n.a] : "helper" + std::to_string(n.a);
    case ExprOp::SteadyStateEndo: return "STEADY_STATE(" + symbols.at(SymbolType::Endogenous, n.a).name + ")";
    default: return "?";
  }
}

int dynamic_var_id(const ModelData& d, const ExprNode& n) {
  if (n.op == ExprOp::Endo) {
    if (n.lag == -1) return static_cast<int>(d.col_lag[n.a]);
    if (n.lag == 0) return static_cast<int>(d.col_cur[n.a]);
    if (n.lag == 1) return static_cast<int>(d.col_lead[n.a]);
    return -1;
  }
  if (n.op == ExprOp::Exo) return static_cast<int>(d.exo_col0 + n.a);
  return -1;
}

int static_var_id(const ExprNode& n) { return n.op == ExprOp::Endo ? static_cast<int>(n.a) : -1; }

std::pair<Source, std::uint32_t> dynamic_resolve(const ModelData& d, const ExprNode& n) {
  switch (n.op) {
    case ExprOp::Endo:
    case ExprOp::Exo: return {Source::X, static_cast<std::uint32_t>(dynamic_var_id(d, n))};
    case ExprOp::ExoDet: return {Source::ExoDet, n.a};
    case ExprOp::Param: return {Source::Param, n.a};
    case ExprOp::SteadyStateEndo: return {Source::SteadyState, n.a};
    default: return {Source::None, 0};
  }
}

std::pair<Source, std::uint32_t> static_resolve(const ExprNode& n) {
  switch (n.op) {
    case ExprOp::Endo: return {Source::X, n.a};
    case ExprOp::Exo: return {Source::Exo, n.a};
    case ExprOp::ExoDet: return {Source::ExoDet, n.a};
    case ExprOp::Param: return {Source::Param, n.a};
    case ExprOp::SteadyStateEndo: return {Source::X, n.a};
    default: return {Source::None, 0};
  }
}

namespace {

// Rebuild an expression bottom-up, mapping leaves with `f`.
class Rewriter {
 public:
  Rewriter(ExprPool& pool, std::function<ExprId(const ExprNode&, bool in_ss)> f) : pool_(pool), f_(std::move(f)) {}
  ExprId operator()(ExprId e, bool in_ss = false) {
    std::uint64_t key = (static_cast<std::uint64_t>(e) << 1) | (in_ss ? 1 : 0);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    const ExprNode n = pool_.node(e);
    ExprId r;
    if (n.op == ExprOp::Constant) {
      r = e;
    } else if (is_leaf(n.op)) {
      r = f_(n, in_ss);
    } else if (n.op == ExprOp::SteadyState) {
      r = (*this)(n.a, true);
    } else if (is_unary(n.op)) {
      r = pool_.unary(n.op, (*this)(n.a, in_ss));
    } else {
      ExprId a = (*this)(n.a, in_ss);
      ExprId b = (*this)(n.b, in_ss);
      r = pool_.binary(n.op, a, b);
    }
    memo_.emplace(key, r);
    return r;
  }

 private:
  ExprPool& pool_;
  std::function<ExprId(const ExprNode&, bool)> f_;
  std::map<std::uint64_t, ExprId> memo_;
};

FirstOrderTape build_first_order(ModelData& d, const std::vector<ExprId>& residuals, Index n_cols,
                                 const std::function<int(const ExprNode&)>& var_id,
                                 const std::function<std::pair<Source, std::uint32_t>(const ExprNode&)>& resolve) {
  FirstOrderTape t;
  t.n_rows = static_cast<Index>(residuals.size());
  t.n_cols = n_cols;
  Differentiator diff(d.pool, var_id);
  std::vector<ExprId> outs = residuals;
  for (std::size_t i = 0; i < residuals.size(); ++i) {
    std::vector<int> deps = diff.deps(residuals[i]);
    for (int v : deps) {
      ExprId g = diff.d(residuals[i], v);
      if (g == d.pool.zero()) continue;
      outs.push_back(g);
      t.pattern.emplace_back(static_cast<Index>(i), static_cast<Index>(v));
    }
  }
  t.tape = Tape(d.pool, outs, resolve);
  return t;
}

}  // namespace

void ModelData::finalize() {
  const Index n_decl = symbols.size(SymbolType::Endogenous);
  // ---- auxiliary variables: leads/lags beyond one, lagged/led exogenous --------------------------
  std::map<std::pair<Index, int>, Index> endo_lead_aux, endo_lag_aux;  // (var, k) -> aux endo index
  std::map<Index, Index> exo_aux;                                       // exo -> aux endo index
  std::vector<Equation> aux_eqs;
  auto new_aux = [&](const std::string& name, AuxVariable::Kind kind, SymbolType ot, Index oi, int olag) {
    std::string nm = name;
    while (symbols.contains(nm)) nm += "_";
    Index idx = symbols.add(nm, SymbolType::Endogenous);
    AuxVariable a;
    a.kind = kind;
    a.endo_index = idx;
    a.orig_type = ot;
    a.orig_index = oi;
    a.orig_name = symbols.at(ot, oi).name;
    a.orig_lead_lag = olag;
    aux.push_back(a);
    return idx;
  };
  auto add_aux_eq = [&](Index aux_idx, ExprId rhs) {
    Equation eq;
    eq.lhs = pool.leaf(ExprOp::Endo, static_cast<std::uint32_t>(aux_idx), 0);
    eq.rhs = rhs;
    eq.residual = pool.binary(ExprOp::Sub, eq.lhs, eq.rhs);
    eq.where.file = "<auxiliary>";
    aux_eqs.push_back(eq);
  };
  // endogenous leaf of var i at offset lag, with |lag| <= 1 ensured via aux chains
  std::function<ExprId(Index, int)> endo_at = [&](Index i, int lag) -> ExprId {
    if (lag >= -1 && lag <= 1) return pool.leaf(ExprOp::Endo, static_cast<std::uint32_t>(i), lag);
    if (lag > 1) {
      // aux_k = aux_{k-1}(+1), aux_1 = x(+1); x(+lag) = aux_{lag-1}(+1)
      Index prev = i;
      for (int k = 1; k <= lag - 1; ++k) {
        auto key = std::make_pair(i, k);
        auto it = endo_lead_aux.find(key);
        if (it == endo_lead_aux.end()) {
          Index a = new_aux("AUX_ENDO_LEAD_" + std::to_string(i) + "_" + std::to_string(k), AuxVariable::Kind::EndoLead,
                            SymbolType::Endogenous, i, k);
          // the aux tracks the original symbol for endo chains of aux of aux too
          add_aux_eq(a, pool.leaf(ExprOp::Endo, static_cast<std::uint32_t>(prev), 1));
          it = endo_lead_aux.emplace(key, a).first;
        }
        prev = it->second;
      }
      return pool.leaf(ExprOp::Endo, static_cast<std::uint32_t>(prev), 1);
    }
    Index prev = i;
    for (int k = 1; k <= -lag - 1; ++k) {
      auto key = std::make_pair(i, k);
      auto it = endo_lag_aux.find(key);
      if (it == endo_lag_aux.end()) {
        Index a = new_aux("AUX_ENDO_LAG_" + std::to_string(i) + "_" + std::to_string(k), AuxVariable::Kind::EndoLag,
                          SymbolType::Endogenous, i, -k);
        add_aux_eq(a, pool.leaf(ExprOp::Endo, static_cast<std::uint32_t>(prev), -1));
        it = endo_lag_aux.emplace(key, a).first;
      }
      prev = it->second;
    }
    return pool.leaf(ExprOp::Endo, static_cast<std::uint32_t>(prev), -1);
  };
  auto leaf_map = [&](const ExprNode& n, bool in_ss) -> ExprId {
    if (in_ss) {
      if (n.op == ExprOp::Endo) return pool.leaf(ExprOp::SteadyStateEndo, n.a, 0);
      if (n.op == ExprOp::Exo || n.op == ExprOp::ExoDet) return pool.leaf(n.op, n.a, 0);
      return pool.leaf(n.op, n.a, n.lag);
    }
    if (n.op == ExprOp::Endo) return endo_at(n.a, n.lag);
    if (n.op == ExprOp::Exo && n.lag != 0) {
      auto it = exo_aux.find(n.a);
      if (it == exo_aux.end()) {
        Index a = new_aux("AUX_EXO_LAG_" + std::to_string(n.a) + "_0", AuxVariable::Kind::ExoLag, SymbolType::Exogenous,
                          n.a, 0);
        add_aux_eq(a, pool.leaf(ExprOp::Exo, n.a, 0));
        it = exo_aux.emplace(n.a, a).first;
      }
      return endo_at(it->second, n.lag);
    }
    return pool.leaf(n.op, n.a, n.lag);
  };
  {
    Rewriter rw(pool, leaf_map);
    for (auto& eq : equations) eq.residual = rw(eq.residual);
  }
  for (auto& e : aux_eqs) equations.push_back(e);
  (void)n_decl;
  symbols.freeze();

  // ---- dynamic structure --------------------------------------------------------------------------
  const Index n = symbols.size(SymbolType::Endogenous);
  std::vector<char> has_lag(static_cast<std::size_t>(n), 0), has_lead(static_cast<std::size_t>(n), 0);
  {
    std::vector<char> seen(pool.size(), 0);
    std::vector<ExprId> st;
    for (const auto& eq : equations) st.push_back(eq.residual);
    while (!st.empty()) {
      ExprId e = st.back();
      st.pop_back();
      if (seen[e]) continue;
      seen[e] = 1;
      const ExprNode& nd = pool.node(e);
      if (nd.op == ExprOp::Endo) {
        if (nd.lag < 0) has_lag[nd.a] = 1;
        if (nd.lag > 0) has_lead[nd.a] = 1;
      }
      if (is_unary(nd.op)) st.push_back(nd.a);
      if (is_binary(nd.op)) {
        st.push_back(nd.a);
        st.push_back(nd.b);
      }
    }
  }
  lagged.clear();
  leads.clear();
  col_lag.assign(static_cast<std::size_t>(n), -1);
  col_cur.assign(static_cast<std::size_t>(n), -1);
  col_lead.assign(static_cast<std::size_t>(n), -1);
  Index c = 0;
  for (Index i = 0; i < n; ++i)
    if (has_lag[i]) {
      lagged.push_back(i);
      col_lag[i] = c++;
    }
  for (Index i = 0; i < n; ++i) col_cur[i] = c++;
  for (Index i = 0; i < n; ++i)
    if (has_lead[i]) {
      leads.push_back(i);
      col_lead[i] = c++;
    }
  exo_col0 = c;
  n_cols = c + symbols.size(SymbolType::Exogenous);

  // ---- static model ---------------------------------------------------------------------------------
  {
    Rewriter rw(pool, [&](const ExprNode& nd, bool) -> ExprId {
      if (nd.op == ExprOp::Endo || nd.op == ExprOp::SteadyStateEndo) return pool.leaf(ExprOp::Endo, nd.a, 0);
      if (nd.op == ExprOp::Exo || nd.op == ExprOp::ExoDet) return pool.leaf(nd.op, nd.a, 0);
      return pool.leaf(nd.op, nd.a, nd.lag);
    });
    static_residuals.clear();
    for (const auto& eq : equations) static_residuals.push_back(rw(eq.residual));
  }

  // ---- first-order tapes ------------------------------------------------------------------------------
  std::vector<ExprId> dyn_res;
  for (const auto& eq : equations) dyn_res.push_back(eq.residual);
  const ModelData& self = *this;
  dynamic1 = build_first_order(
      *this, dyn_res, n_cols, [&self](const ExprNode& nd) { return dynamic_var_id(self, nd); },
      [&self](const ExprNode& nd) { return dynamic_resolve(self, nd); });
  static1 = build_first_order(*this, static_residuals, n, static_var_id, static_resolve);
}

}  // namespace detail

// ------------------------------------------------------------------------------------------------
Model::Model() : Model(std::make_shared<detail::ModelData>()) {}

Model::Model(std::shared_ptr<const detail::ModelData> data) : data_(std::move(data)) {
  params_ = data_->params;
  update_derived_params();
}

void Model::update_derived_params() {
  // Endogenous calibration: steady_state_model assigns parameters (`delta = i_y/k_y;`) that the
  // model then uses. Dynare evaluates the block whenever it computes the steady state and keeps
  // the assigned values; here they are recomputed whenever parameters change, so every
  // evaluation of the model sees them.
  if (!data_->has_ssm) return;
  bool any = false;
  for (const auto& a : data_->ssm)
    if (a.target_type && *a.target_type == SymbolType::Parameter) any = true;
  if (!any) return;
  Vector p = params_;
  (void)evaluate_steady_state_model(*this, p);
  for (const auto& a : data_->ssm)
    if (a.target_type && *a.target_type == SymbolType::Parameter) params_[a.target_index] = p[a.target_index];
}

const std::string& Model::name() const { return data_->name; }
const std::string& Model::source_file() const { return data_->source_file; }
const SymbolTable& Model::symbols() const { return data_->symbols; }
const ExprPool& Model::pool() const { return data_->pool; }
Index Model::n_endo() const { return data_->symbols.size(SymbolType::Endogenous); }
Index Model::n_declared_endo() const { return data_->n_declared_endo; }
Index Model::n_exo() const { return data_->symbols.size(SymbolType::Exogenous); }
Index Model::n_exo_det() const { return data_->symbols.size(SymbolType::ExogenousDet); }
Index Model::n_params() const { return data_->symbols.size(SymbolType::Parameter); }
Names Model::endo_names() const { return data_->symbols.names(SymbolType::Endogenous); }
Names Model::exo_names() const { return data_->symbols.names(SymbolType::Exogenous); }
Names Model::exo_det_names() const { return data_->symbols.names(SymbolType::ExogenousDet); }
Names Model::param_names() const { return data_->symbols.names(SymbolType::Parameter); }

double Model::param(const std::string& name) const {
  auto s = data_->symbols.find(name);
  if (!s || s->type != SymbolType::Parameter) throw ModelError("unknown parameter '" + name + "'");
  return params_[s->index];
}
void Model::set_param(const std::string& name, double value) {
  auto s = data_->symbols.find(name);
  if (!s || s->type != SymbolType::Parameter) throw ModelError("unknown parameter '" + name + "'");
  params_[s->index] = value;
  update_derived_params();
}
void Model::set_params(const Vector& values) {
  if (values.size() != params_.size())
    throw DimensionError("set_params: expected " + std::to_string(params_.size()) + " values, got " +
                         std::to_string(values.size()));
  params_ = values;
  update_derived_params();
}

const std::vector<Equation>& Model::equations() const { return data_->equations; }
Index Model::n_declared_equations() const { return data_->n_declared_equations; }
std::string Model::expr_string(ExprId e) const {
  return data_->pool.to_string(e, [this](const ExprNode& n) { return data_->leaf_name(n); });
}
std::string Model::equation_string(Index i) const {
  const auto& eq = data_->equations.at(static_cast<std::size_t>(i));
  return expr_string(eq.lhs) + " = " + expr_string(eq.rhs);
}
const std::vector<AuxVariable>& Model::aux_variables() const { return data_->aux; }
const std::vector<LocalVariable>& Model::local_variables() const { return data_->locals; }
bool Model::linear() const { return data_->linear; }
Names Model::predetermined_variables() const { return data_->predetermined; }
bool Model::has_steady_state_model() const { return data_->has_ssm; }
const std::vector<SteadyStateAssignment>& Model::steady_state_model() const { return data_->ssm; }
const Names& Model::steady_state_helpers() const { return data_->ss_helpers; }
const std::string& Model::steady_state_file() const { return data_->steadystate_file; }
const std::vector<ValueAssignment>& Model::initval() const { return data_->initval; }
const std::vector<ValueAssignment>& Model::endval() const { return data_->endval; }
const std::vector<HistvalEntry>& Model::histval() const { return data_->histval; }
const ShocksSpec& Model::shocks() const { return shocks_ ? *shocks_ : data_->shocks; }
void Model::set_shocks(std::shared_ptr<const ShocksSpec> shocks) { shocks_ = std::move(shocks); }
const std::vector<Command>& Model::commands() const { return data_->commands; }
const std::vector<EstimatedParam>& Model::estimated_params() const { return data_->estimated_params; }
const Names& Model::varobs() const { return data_->varobs; }
const std::vector<OptimWeight>& Model::optim_weights() const { return data_->optim_weights; }
const Names& Model::osr_params() const { return data_->osr_params; }
const std::vector<OsrParamBound>& Model::osr_params_bounds() const { return data_->osr_bounds; }
const std::vector<Warning>& Model::warnings() const { return data_->warnings; }
const std::vector<Index>& Model::lagged_variables() const { return data_->lagged; }
const std::vector<Index>& Model::lead_variables() const { return data_->leads; }
Index Model::n_dynamic_columns() const { return data_->n_cols; }

Names Model::dynamic_column_names() const {
  Names out(static_cast<std::size_t>(data_->n_cols));
  Names en = endo_names();
  for (Index i = 0; i < n_endo(); ++i) {
    if (data_->col_lag[i] >= 0) out[data_->col_lag[i]] = en[i] + "(-1)";
    out[data_->col_cur[i]] = en[i];
    if (data_->col_lead[i] >= 0) out[data_->col_lead[i]] = en[i] + "(+1)";
  }
  Names xn = exo_names();
  for (Index j = 0; j < n_exo(); ++j) out[data_->exo_col0 + j] = xn[j];
  return out;
}

Matrix Model::Sigma_e() const {
  const Index m = n_exo();
  Matrix S = Matrix::Zero(m, m);
  auto idx = [&](const std::string& nm) -> Index {
    auto s = data_->symbols.find(nm);
    if (!s || s->type != SymbolType::Exogenous) return -1;
    return s->index;
  };
  // Dynare's order: block by block; in a block the diagonal entries, then the off-diagonal ones
  const auto& entries = shocks().stochastic;
  std::vector<std::size_t> order(entries.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  auto off_diagonal = [](const StochasticShock& s) {
    return s.kind == StochasticShock::Kind::Covariance || s.kind == StochasticShock::Kind::Correlation;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (entries[a].block != entries[b].block) return entries[a].block < entries[b].block;
    return !off_diagonal(entries[a]) && off_diagonal(entries[b]);
  });
  for (std::size_t k : order) {
    const StochasticShock& s = entries[k];
    Index i = idx(s.name1), j = idx(s.name2);
    if (i < 0 || j < 0) continue;
    switch (s.kind) {
      case StochasticShock::Kind::Stderr: S(i, i) = s.value * s.value; break;
      case StochasticShock::Kind::Variance: S(i, i) = s.value; break;
      case StochasticShock::Kind::Covariance:
        S(i, j) = s.value;
        S(j, i) = s.value;
        break;
      case StochasticShock::Kind::Correlation: {
        const double c = s.value * std::sqrt(S(i, i) * S(j, j));
        S(i, j) = c;
        S(j, i) = c;
        break;
      }
    }
  }
  return S;
}

Vector Model::initval_endo() const {
  Vector y = Vector::Zero(n_endo());
  for (const auto& v : data_->initval)
    if (v.type == SymbolType::Endogenous) y[v.index] = v.value;
  // auxiliaries start at their original variable's value
  Vector x = exo_steady_state();
  for (const auto& a : data_->aux)
    y[a.endo_index] = a.orig_type == SymbolType::Endogenous ? y[a.orig_index] : x[a.orig_index];
  return y;
}

Vector Model::exo_steady_state() const {
  Vector x = Vector::Zero(n_exo());
  for (const auto& v : data_->initval)
    if (v.type == SymbolType::Exogenous) x[v.index] = v.value;
  return x;
}

Vector Model::dynamic_point(const Vector& ss, const Vector& exo) const {
  if (ss.size() != n_endo())
    throw DimensionError("dynamic_point: steady state has " + std::to_string(ss.size()) + " values for " +
                         std::to_string(n_endo()) + " endogenous variables");
  Vector x(data_->n_cols);
  Vector u = exo.size() == 0 ? exo_steady_state() : exo;
  if (u.size() != n_exo()) throw DimensionError("dynamic_point: wrong number of exogenous values");
  for (Index i = 0; i < n_endo(); ++i) {
    if (data_->col_lag[i] >= 0) x[data_->col_lag[i]] = ss[i];
    x[data_->col_cur[i]] = ss[i];
    if (data_->col_lead[i] >= 0) x[data_->col_lead[i]] = ss[i];
  }
  for (Index j = 0; j < n_exo(); ++j) x[data_->exo_col0 + j] = u[j];
  return x;
}

namespace {
void run_first(const detail::FirstOrderTape& t, const double* x, const double* p, const double* ss, const double* exo,
               Vector& res, Matrix* jac) {
  std::vector<double> out(t.tape.n_outputs());
  t.tape.run(x, p, ss, exo, nullptr, out.data());
  res = Eigen::Map<Vector>(out.data(), t.n_rows);
  if (jac) {
    jac->setZero(t.n_rows, t.n_cols);
    for (std::size_t k = 0; k < t.pattern.size(); ++k)
      (*jac)(t.pattern[k].first, t.pattern[k].second) = out[static_cast<std::size_t>(t.n_rows) + k];
  }
}
}  // namespace

Vector Model::static_residuals(const Vector& y, const Vector& exo) const {
  if (y.size() != n_endo()) throw DimensionError("static_residuals: wrong number of endogenous values");
  Vector u = exo.size() == 0 ? exo_steady_state() : exo;
  Vector r;
  run_first(data_->static1, y.data(), params_.data(), y.data(), u.data(), r, nullptr);
  return r;
}

Matrix Model::static_jacobian(const Vector& y, const Vector& exo) const {
  if (y.size() != n_endo()) throw DimensionError("static_jacobian: wrong number of endogenous values");
  Vector u = exo.size() == 0 ? exo_steady_state() : exo;
  Vector r;
  Matrix J;
  run_first(data_->static1, y.data(), params_.data(), y.data(), u.data(), r, &J);
  return J;
}

Vector Model::dynamic_residuals(const Vector& x, const Vector& steady_state) const {
  if (x.size() != data_->n_cols) throw DimensionError("dynamic_residuals: wrong number of columns");
  Vector ss = steady_state;
  if (ss.size() == 0) {
    ss.resize(n_endo());
    for (Index i = 0; i < n_endo(); ++i) ss[i] = x[data_->col_cur[i]];
  }
  Vector r;
  run_first(data_->dynamic1, x.data(), params_.data(), ss.data(), nullptr, r, nullptr);
  return r;
}

Matrix Model::dynamic_jacobian(const Vector& x, const Vector& steady_state) const {
  if (x.size() != data_->n_cols) throw DimensionError("dynamic_jacobian: wrong number of columns");
  Vector ss = steady_state;
  if (ss.size() == 0) {
    ss.resize(n_endo());
    for (Index i = 0; i < n_endo(); ++i) ss[i] = x[data_->col_cur[i]];
  }
  Vector r;
  Matrix J;
  run_first(data_->dynamic1, x.data(), params_.data(), ss.data(), nullptr, r, &J);
  return J;
}

// ------------------------------------------------------------------------------------------------
namespace {
std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          o += buf;
        } else {
          o += c;
        }
    }
  }
  return o + "\"";
}
std::string json_num(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
std::string json_names(const Names& n) {
  std::string s = "[";
  for (std::size_t i = 0; i < n.size(); ++i) s += (i ? ", " : "") + json_str(n[i]);
  return s + "]";
}
}  // namespace

std::string Model::to_json() const {
  std::ostringstream o;
  o << "{\n  \"name\": " << json_str(name()) << ",\n";
  o << "  \"linear\": " << (linear() ? "true" : "false") << ",\n";
  o << "  \"endo_names\": " << json_names(endo_names()) << ",\n";
  o << "  \"n_declared_endo\": " << n_declared_endo() << ",\n";
  o << "  \"exo_names\": " << json_names(exo_names()) << ",\n";
  o << "  \"exo_det_names\": " << json_names(exo_det_names()) << ",\n";
  o << "  \"param_names\": " << json_names(param_names()) << ",\n";
  o << "  \"params\": [";
  for (Index i = 0; i < params_.size(); ++i) o << (i ? ", " : "") << json_num(params_[i]);
  o << "],\n  \"equations\": [\n";
  for (Index i = 0; i < static_cast<Index>(equations().size()); ++i) {
    const auto& eq = equations()[static_cast<std::size_t>(i)];
    o << "    {\"equation\": " << json_str(equation_string(i)) << ", \"residual\": " << json_str(expr_string(eq.residual))
      << ", \"line\": " << eq.where.line << ", \"tags\": {";
    for (std::size_t k = 0; k < eq.tags.size(); ++k)
      o << (k ? ", " : "") << json_str(eq.tags[k].first) << ": " << json_str(eq.tags[k].second);
    o << "}}" << (i + 1 < static_cast<Index>(equations().size()) ? "," : "") << "\n";
  }
  o << "  ],\n  \"aux_variables\": [";
  for (std::size_t i = 0; i < aux_variables().size(); ++i) {
    const auto& a = aux_variables()[i];
    o << (i ? ", " : "") << "{\"name\": " << json_str(endo_names()[static_cast<std::size_t>(a.endo_index)])
      << ", \"orig\": " << json_str(a.orig_name) << ", \"lead_lag\": " << a.orig_lead_lag << "}";
  }
  o << "],\n  \"local_variables\": [";
  for (std::size_t i = 0; i < local_variables().size(); ++i)
    o << (i ? ", " : "") << "{\"name\": " << json_str(local_variables()[i].name)
      << ", \"expr\": " << json_str(expr_string(local_variables()[i].expr)) << "}";
  o << "],\n  \"steady_state_model\": [";
  for (std::size_t i = 0; i < steady_state_model().size(); ++i)
    o << (i ? ", " : "") << "{\"target\": " << json_str(steady_state_model()[i].target)
      << ", \"expr\": " << json_str(expr_string(steady_state_model()[i].expr)) << "}";
  o << "],\n  \"lagged\": " << json_names([&] { Names n; for (Index i : lagged_variables()) n.push_back(endo_names()[i]); return n; }())
    << ",\n  \"leads\": " << json_names([&] { Names n; for (Index i : lead_variables()) n.push_back(endo_names()[i]); return n; }())
    << ",\n  \"Sigma_e\": [";
  Matrix S = Sigma_e();
  for (Index i = 0; i < S.rows(); ++i) {
    o << (i ? ", " : "") << "[";
    for (Index j = 0; j < S.cols(); ++j) o << (j ? ", " : "") << json_num(S(i, j));
    o << "]";
  }
  o << "],\n  \"commands\": [";
  for (std::size_t i = 0; i < commands().size(); ++i) {
    const auto& c = commands()[i];
    o << (i ? ", " : "") << "\n    {\"name\": " << json_str(c.name) << ", \"line\": " << c.where.line
      << ", \"supported\": " << (c.supported ? "true" : "false") << ", \"options\": [";
    for (std::size_t k = 0; k < c.options.size(); ++k)
      o << (k ? ", " : "") << "[" << json_str(c.options[k].key) << ", " << json_str(c.options[k].value) << "]";
    o << "], \"args\": " << json_names(c.args) << "}";
  }
  o << "],\n  \"warnings\": [";
  for (std::size_t i = 0; i < warnings().size(); ++i) o << (i ? ", " : "") << json_str(warnings()[i].to_string());
  o << "]\n}\n";
  return o.str();
}

// ------------------------------------------------------------------------------------------------
LinearizedModel linearize(const Model& model, const Vector& steady_state) {
  if (steady_state.size() != model.n_endo())
    throw DimensionError("linearize: steady state has " + std::to_string(steady_state.size()) + " values for " +
                         std::to_string(model.n_endo()) + " endogenous variables");
  LinearizedModel lm;
  lm.endo_names = model.endo_names();
  lm.n_declared = model.n_declared_endo();
  lm.exo_names = model.exo_names();
  lm.param_names = model.param_names();
  lm.params = model.params();
  lm.steady_state = steady_state;
  lm.lagged = model.lagged_variables();
  lm.leads = model.lead_variables();
  Vector x = model.dynamic_point(steady_state);
  lm.jacobian = model.dynamic_jacobian(x, steady_state);
  lm.Sigma_e = model.Sigma_e();
  return lm;
}

}  // namespace govsim::dsge
