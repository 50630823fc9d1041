// The command interpreter behind `govsim run` and govsim.dsge.run(): one handler per command,
// registered in command_registry() below. Handlers compute and record typed results; rendering
// (tables, JSON) happens in the command-line program.
#include <govsim/core/error.hpp>
#include <govsim/dsge/command_options.hpp>
#include <govsim/dsge/detail/solution_access.hpp>
#include <govsim/dsge/run_commands.hpp>
#include <govsim/dsge/steady_state.hpp>

#include "model_data.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace govsim::dsge {

void RunOptions::validate() const {
  if (!(max_memory_bytes > 0)) throw OptionsError("RunOptions: max_memory_bytes must be positive");
}

// ------------------------------------------------------------------------------ context
RunContext::RunContext(const Model& model, const RunOptions& opts, RunResult& result)
    : base_(model),
      model_(model),
      applied_params_(model.params()),
      opts_(opts),
      result_(result),
      all_endo_(model.endo_names()) {}

namespace {

// "file:line: command"
std::string where_prefix(const Command& cmd) {
  return (cmd.where.file.empty() ? std::string() : cmd.where.file + ":" + std::to_string(cmd.where.line) + ": ") +
         cmd.name;
}

// Options under which Dynare computes other numbers than govsim and that govsim does not
// implement: an error naming the first one given (never a result computed without it).
void refuse_options(const Command& cmd, const CommandOptionReader& r, const Names& options, const std::string& why) {
  for (const auto& o : options)
    if (r.has(o))
      throw OptionsError(r.where() + ": option '" + o + "' (" + why + ") is not supported; remove it to get " +
                         (cmd.name == "estimation" ? "the estimation without it" : "the results without it"));
}

bool same_value(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

bool same_shocks(const ShocksSpec& a, const ShocksSpec& b) {
  if (a.stochastic.size() != b.stochastic.size() || a.deterministic.size() != b.deterministic.size()) return false;
  for (std::size_t k = 0; k < a.stochastic.size(); ++k) {
    const StochasticShock &x = a.stochastic[k], &y = b.stochastic[k];
    if (x.kind != y.kind || x.name1 != y.name1 || x.name2 != y.name2 || !same_value(x.value, y.value) ||
        x.block != y.block)
      return false;
  }
  for (std::size_t k = 0; k < a.deterministic.size(); ++k) {
    const DeterministicShock &x = a.deterministic[k], &y = b.deterministic[k];
    if (x.name != y.name || x.periods != y.periods || x.values.size() != y.values.size()) return false;
    for (std::size_t i = 0; i < x.values.size(); ++i)
      if (!same_value(x.values[i], y.values[i])) return false;
  }
  return true;
}

}  // namespace

void RunContext::enter(const Command& cmd) {
  current_ = &cmd;
  // parameters: the caller's values, except those the file assigns after this command
  const Vector& file_end = base_.data().params;
  Vector p = base_.params();
  const Names pn = base_.param_names();
  std::vector<std::string> unset;
  for (Index i = 0; i < std::min<Index>(cmd.params.size(), p.size()); ++i) {
    if (i >= file_end.size() || same_value(cmd.params[i], file_end[i])) continue;
    p[i] = cmd.params[i];
    if (std::isnan(p[i])) unset.push_back(pn[static_cast<std::size_t>(i)]);
  }
  bool params_changed = false;
  for (Index i = 0; i < p.size() && !params_changed; ++i) params_changed = !same_value(p[i], applied_params_[i]);
  // shocks: the blocks in effect at this command, when they differ from those of the whole file
  std::shared_ptr<const ShocksSpec> shocks;
  if (cmd.shocks && !same_shocks(*cmd.shocks, base_.data().shocks)) shocks = cmd.shocks;
  const bool shocks_changed = shocks != applied_shocks_ &&
                              !(shocks && applied_shocks_ && same_shocks(*shocks, *applied_shocks_));
  if (!params_changed && !shocks_changed) return;
  if (system_)
    throw OptionsError(where_prefix(cmd) + ": " + std::string(params_changed ? "parameter values" : "shocks blocks") +
                       " changed after " + system_from_ +
                       ", where the optimal policy was solved; move the assignments and shocks blocks before it");
  if (params_changed) {
    model_.set_params(p);
    applied_params_ = p;
    for (const auto& n : unset)
      warn(cmd.where, cmd.name + ": parameter '" + n +
                          "' has no value yet at this command (it is assigned after it; commands run in file order)");
  }
  if (shocks_changed) {
    model_.set_shocks(shocks ? shocks : std::make_shared<const ShocksSpec>(base_.shocks()));
    applied_shocks_ = shocks;
  }
  ss_.reset();
  solutions_.clear();
}

const Vector& RunContext::steady() {
  if (!ss_) {
    const SteadyStateResult r = solve_steady_state(model_, steady_state_options(model_));
    if (!r.ok()) throw CommandFailure{r.status, r.summary()};
    ss_ = r.values;
  }
  return *ss_;
}

void RunContext::set_steady(const Vector& ss) {
  ss_ = ss;
  solutions_.clear();
}

const PerturbationResult& RunContext::first_order(double qz) {
  if (pinned_ && (pinned_qz_ == 0.0 || qz == pinned_qz_)) return *pinned_;
  for (auto& [q, sol] : solutions_)
    if (q == qz) return sol;
  const LinearizedModel lin = linearize(model(), steady());
  PerturbationOptions po;
  po.qz_criterium = qz;
  solutions_.emplace_back(qz, solve_first_order(lin, po));
  return solutions_.back().second;
}

void RunContext::use_system(std::shared_ptr<const Model> model, const Vector& steady_state,
                            const PerturbationResult& solution, double qz_criterium) {
  pinned_qz_ = qz_criterium;
  system_ = std::move(model);
  if (current_) system_from_ = current_->name + " at " + current_->where.to_string();
  all_endo_ = system_->endo_names();
  result_.endo_names = all_endo_;
  if (!opts_.include_auxiliary) result_.endo_names.resize(static_cast<std::size_t>(system_->n_declared_endo()));
  ss_ = steady_state;
  solutions_.clear();
  pinned_ = solution;
}

void RunContext::warn(const SourceLocation& where, const std::string& message) {
  result_.warnings.push_back({where, message, result_.results.size()});
}

void RunContext::add(std::shared_ptr<CommandResult> r) { result_.results.push_back(std::move(r)); }

void RunContext::warn_unknown_options(const Command& cmd, const Names& known) {
  const Names bad = CommandOptionReader(cmd).unknown_options(known);
  if (bad.empty()) return;
  std::string s;
  for (const auto& b : bad) s += (s.empty() ? "" : ", ") + b;
  warn(cmd.where, cmd.name + ": unsupported option(s) ignored: " + s);
}

namespace {
// The handler of a command: the higher layers' commands first, then this layer's (nullptr when
// neither has it; an empty handler is a declarative block).
const CommandSpec* find_command(const RunOptions& opts, const std::string& name) {
  const auto by_name = [&](const CommandSpec& s) { return s.name == name; };
  const auto up = std::find_if(opts.commands.begin(), opts.commands.end(), by_name);
  if (up != opts.commands.end()) return &*up;
  const auto& reg = command_registry();
  const auto it = std::find_if(reg.begin(), reg.end(), by_name);
  return it == reg.end() ? nullptr : &*it;
}
}  // namespace

void RunContext::run(const std::string& name, const Command& cmd) {
  const CommandSpec* spec = find_command(opts_, name);
  if (!spec) throw OptionsError(CommandOptionReader(cmd).where() + ": command " + name + " is not available");
  if (spec->handler) spec->handler(cmd, *this);
}

std::function<bool(const IterationInfo&)> RunContext::progress(const std::string& command) const {
  if (!opts_.on_progress) return {};
  auto cb = opts_.on_progress;
  return [cb, command](const IterationInfo& info) { return cb(command, info); };
}

namespace {

Index index_of(const Names& names, const std::string& n) {
  const auto it = std::find(names.begin(), names.end(), n);
  return it == names.end() ? -1 : static_cast<Index>(it - names.begin());
}

constexpr double kDouble = sizeof(double);

// ------------------------------------------------------------------------------ steady
void run_steady(const Command& cmd, RunContext& ctx) {
  ctx.warn_unknown_options(cmd, {"maxit", "tolf", "tolx", "nocheck", "homotopy_steps", "solve_algo", "homotopy_mode",
                                 "markowitz", "noprint"});
  if (!cmd.options.empty()) {
    // this command's options on top of the file-wide ones (Dynare keeps them for later commands)
    const SteadyStateOptions so = steady_state_options(cmd, steady_state_options(ctx.model()));
    const SteadyStateResult s = solve_steady_state(ctx.model(), so);
    if (!s.ok()) throw CommandFailure{s.status, where_prefix(cmd) + ": " + s.summary()};
    ctx.set_steady(s.values);
  }
  const Vector& ss = ctx.steady();
  auto res = make_result<SteadyResult>(cmd);
  res->steady_state = ss.head(static_cast<Index>(ctx.endo_names().size()));
  ctx.add(res);
}

// ------------------------------------------------------------------------------ check
void run_check(const Command& cmd, RunContext& ctx) {
  ctx.warn_unknown_options(cmd, {"qz_criterium"});
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  const PerturbationResult& sol = ctx.first_order(r.real("qz_criterium", 1.0 + 1e-6, 0.0));
  auto res = make_result<CheckResult>(cmd);
  res->eigenvalues = sol.eigenvalues;
  res->n_explosive = sol.n_explosive;
  res->n_forward = sol.n_forward;
  res->status = sol.status;
  res->message = sol.message;
  ctx.add(res);
  if (!sol.ok())
    throw CommandFailure{sol.status, where_prefix(cmd) + ": " + to_string(sol.status) + ": " + sol.message};
}

// ------------------------------------------------------------------------------ stoch_simul
const Names kStochOptions{"order", "irf", "loglinear", "periods", "drop", "ar", "nograph", "graph", "noprint", "nocorr",
                          "irf_shocks", "relative_irf", "tex", "print", "contemporaneous_correlation",
                          "nodecomposition", "hp_ngrid", "filtered_theoretical_moments_grid",
                          "nomoments", "nofunctions", "irf_plot_threshold", "nodisplay", "graph_format",
                          "conditional_variance_decomposition", "qz_criterium"};

// A list of shock names written `opt=(e1, e2)` or `opt=[e1 e2]`, checked against the model's
// shocks; nullopt when the option is absent.
std::optional<Names> shock_list(const Command& cmd, const std::string& key, const Names& shocks,
                                const std::string& where) {
  const auto v = cmd.option(key);
  if (!v) return std::nullopt;
  std::string t = *v;
  for (char& ch : t)
    if (ch == '(' || ch == ')' || ch == ',' || ch == '[' || ch == ']' || ch == '\'' || ch == '"') ch = ' ';
  std::istringstream in(t);
  Names out;
  std::string w;
  while (in >> w) {
    if (std::find(shocks.begin(), shocks.end(), w) == shocks.end())
      throw OptionsError(where + ": option '" + key + "': '" + w + "' is not a shock (varexo) of the model");
    out.push_back(w);
  }
  if (out.empty()) throw OptionsError(where + ": option '" + key + "' lists no shock");
  return out;
}

// Pruned second-order IRFs: response to a one-standard-deviation impulse (column j of
// chol(Sigma_e + 1e-14 I)) minus the no-shock path, both started at the steady state.
IrfResult second_order_irfs(const SecondOrderResult& so, Index periods, Index n_report) {
  const Index nu = so.Sigma_e.rows();
  IrfResult out;
  out.var_names = Names(so.endo_names.begin(), so.endo_names.begin() + n_report);
  out.shock_names = so.exo_names;
  const Matrix L = govsim::detail::covariance_factor(so.Sigma_e, 1e-14);
  out.impulses = L;
  const Matrix zero = Matrix::Zero(periods, nu);
  const Matrix base = simulate_second_order(so, zero, true).paths;
  for (Index j = 0; j < nu; ++j) {
    Matrix e = Matrix::Zero(periods, nu);
    e.row(0) = L.col(j).transpose();
    const Matrix P = simulate_second_order(so, e, true).paths;
    out.responses.push_back((P - base).leftCols(n_report));
  }
  return out;
}

void run_stoch_simul(const Command& cmd, RunContext& ctx) {
  const Model& m = ctx.model();
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  // Options under which Dynare reports other numbers than the ones computed here (filtered
  // moments, IRFs to a subset of shocks or relative to the steady state): refuse them where they
  // would change what is reported, instead of reporting unfiltered numbers under their name.
  if (r.flag("partial_information"))
    throw OptionsError(r.where() +
                       ": option 'partial_information' (rules under partial information) is not supported; remove it "
                       "to get the full-information rules");
  const bool moments_wanted = !r.flag("nomoments");
  const bool irfs_wanted = r.integer("irf", 40, 0) > 0;
  if (moments_wanted && (r.real("hp_filter", 0.0) != 0.0 || r.real("one_sided_hp_filter", 0.0) != 0.0 ||
                         r.flag("bandpass_filter")))
    throw OptionsError(r.where() +
                       ": filtered moments (hp_filter, one_sided_hp_filter, bandpass_filter) are not supported; "
                       "remove the filter to get the theoretical moments, or add nomoments");
  ctx.warn_unknown_options(cmd, kStochOptions);
  const int order = static_cast<int>(r.integer("order", 2, 1, 3));
  const bool loglinear = r.flag("loglinear");
  if (loglinear && order > 1)  // Dynare 5.3 stops the same way (stochastic_solvers.m, k_order_pert.m)
    throw OptionsError(r.where() + ": option 'loglinear' works at order 1 only (as in Dynare): set order=1");
  // Dynare's relative_irf at order 2 responds to an impulse of 1% of the shock's standard
  // deviation averaged over simulated futures; only the first-order scaling is implemented
  if (irfs_wanted && order == 2 && r.flag("relative_irf"))
    throw OptionsError(r.where() + ": option 'relative_irf' is supported at order 1 only; remove it, or set irf=0");
  const std::optional<Names> irf_shocks = shock_list(cmd, "irf_shocks", m.exo_names(), r.where());
  if (order == 3) {
    ctx.warn(cmd.where, "stoch_simul(order=3) is not implemented (orders 1 and 2): skipped");
    return;
  }
  if (order == 2 && m.linear()) {
    ctx.warn(cmd.where, "stoch_simul(order=2) on a model(linear): the second-order terms are zero, use order=1: "
                        "skipped");
    return;
  }
  const Index n_all = static_cast<Index>(ctx.all_endo_names().size());
  const Index n_exo = static_cast<Index>(m.exo_names().size());
  const Index n_rep = static_cast<Index>(ctx.endo_names().size());
  const long long irf = r.integer("irf", 40, 0);
  r.require_memory("irf", static_cast<double>(irf) * static_cast<double>(n_all) * static_cast<double>(n_exo + 1) * kDouble,
                   "impulse responses");
  const long long periods = r.integer("periods", 0, 0);
  const long long drop = r.integer("drop", 100, 0);
  r.require_memory("periods", (static_cast<double>(periods) + static_cast<double>(drop)) *
                                  static_cast<double>(2 * n_all + n_exo) * kDouble,
                   "simulated series");
  const long long ar = r.integer("ar", 5, 0);
  r.require_memory("ar", static_cast<double>(ar) * static_cast<double>(n_all) * static_cast<double>(n_all) * kDouble,
                   "autocorrelation matrices");
  auto res = make_result<StochSimulResult>(cmd);
  res->order = order;
  res->options = cmd.options;
  res->irf_plot_threshold = r.real("irf_plot_threshold", 1e-10, 0.0);
  const double qz = r.real("qz_criterium", 1.0 + 1e-6, 0.0);
  res->graph = !(r.flag("nograph") && !r.flag("graph"));
  res->print = !r.flag("noprint");
  res->nocorr = r.flag("nocorr");
  res->drop = static_cast<Index>(drop);
  const std::vector<long long> horizons = r.integer_list("conditional_variance_decomposition", 1, 100000);
  res->var_list = r.var_list(ctx.all_endo_names(), ctx.endo_names());
  for (const auto& v : res->var_list)
    if (index_of(ctx.endo_names(), v) < 0)
      throw OptionsError(r.where() + ": variable " + v + " is auxiliary: add --include-aux to report it");

  const PerturbationResult& level = ctx.first_order(qz);
  if (!level.ok())
    throw CommandFailure{level.status, where_prefix(cmd) + ": " + to_string(level.status) + ": " + level.message};
  res->loglinear = loglinear;
  res->first = loglinear ? log_linear_rules(level, m) : level;
  const PerturbationResult& sol = res->first;
  if (!sol.ok())
    throw CommandFailure{sol.status, where_prefix(cmd) + ": " + to_string(sol.status) + ": " + sol.message};
  if (order == 2) {
    SecondOrderResult so = solve_second_order(m, sol);
    if (!so.ok()) throw CommandFailure{so.status, where_prefix(cmd) + "(order=2): " + so.summary()};
    res->second = std::move(so);
  }

  if (irf > 0) {
    if (order == 1) {
      IrfOptions io;
      io.periods = static_cast<Index>(irf);
      io.include_auxiliary = ctx.options().include_auxiliary;
      res->irfs = impulse_responses(sol, io);
    } else {
      res->irfs = second_order_irfs(*res->second, static_cast<Index>(irf), n_rep);
    }
    // Dynare's stoch_simul: responses to the shocks of irf_shocks only (all by default), none to a
    // shock whose variance is (numerically) zero; relative_irf: 100 * response / impulse size
    const Matrix& Sigma = order == 1 ? sol.Sigma_e : res->second->Sigma_e;
    IrfResult kept = *res->irfs;
    kept.shock_names.clear();
    kept.responses.clear();
    std::vector<Index> cols;
    for (std::size_t j = 0; j < res->irfs->shock_names.size(); ++j) {
      const std::string& e = res->irfs->shock_names[j];
      const Index k = index_of(m.exo_names(), e);
      if (k < 0 || !(Sigma(k, k) + 1e-14 > 1e-13)) continue;
      if (irf_shocks && std::find(irf_shocks->begin(), irf_shocks->end(), e) == irf_shocks->end()) continue;
      kept.shock_names.push_back(e);
      Matrix resp = res->irfs->responses[j];
      if (r.flag("relative_irf")) resp *= 100.0 / res->irfs->impulses(k, static_cast<Index>(j));
      kept.responses.push_back(std::move(resp));
      cols.push_back(static_cast<Index>(j));
    }
    kept.impulses.resize(res->irfs->impulses.rows(), static_cast<Index>(cols.size()));
    for (std::size_t c = 0; c < cols.size(); ++c)
      kept.impulses.col(static_cast<Index>(c)) = res->irfs->impulses.col(cols[c]);
    res->irfs = std::move(kept);
  }
  if (!r.flag("nomoments")) {
    MomentsOptions mo;
    mo.max_lag = static_cast<Index>(ar);
    mo.variance_decomposition = !r.flag("nodecomposition");
    mo.include_auxiliary = ctx.options().include_auxiliary;
    MomentsResult mres = theoretical_moments(sol, mo);
    if (mres.ok()) {
      std::string nonstat;
      for (std::size_t i = 0; i < mres.stationary.size(); ++i)
        if (!mres.stationary[i]) nonstat += (nonstat.empty() ? "" : ", ") + mres.var_names[i];
      if (!nonstat.empty())
        ctx.warn(cmd.where, "stoch_simul: unit root(s): the theoretical moments of the non-stationary variable(s) " +
                                nonstat + " are not defined (NaN), as in Dynare");
      res->moments = std::move(mres);
    } else  // explosive root: IRFs and decision rules are still valid
      ctx.warn(cmd.where, std::string("stoch_simul: theoretical moments not computed: ") + to_string(mres.status) +
                              ": " + mres.message);
  }
  if (!horizons.empty()) {
    std::vector<Index> hs(horizons.begin(), horizons.end());
    auto cvd = conditional_variance_decomposition(sol, hs);
    if (!cvd.ok()) throw CommandFailure{cvd.status, where_prefix(cmd) + ": " + cvd.message};
    res->conditional_variance_decomposition = std::move(cvd);
  }
  if (periods > 0) {
    SimulationOptions so;
    so.include_auxiliary = ctx.options().include_auxiliary;
    so.seed = ctx.options().seed;
    if (order == 1) {
      so.periods = static_cast<Index>(periods);
      so.drop = static_cast<Index>(drop);
      SimulationResult sim = simulate(sol, so);
      if (!sim.ok()) throw CommandFailure{sim.status, where_prefix(cmd) + ": " + sim.message};
      res->simulation = std::move(sim);
    } else {
      // the shocks of the first-order simulation with the same seed, through the pruned rule
      so.periods = static_cast<Index>(periods + drop);
      so.drop = 0;
      const SimulationResult draws = simulate(sol, so);
      if (!draws.ok()) throw CommandFailure{draws.status, where_prefix(cmd) + ": " + draws.message};
      const PrunedSimulation p = simulate_second_order(*res->second, draws.shocks, true);
      SimulationResult sim;
      sim.var_names = Names(res->second->endo_names.begin(), res->second->endo_names.begin() + n_rep);
      sim.exo_names = draws.exo_names;
      sim.paths = p.paths.bottomRows(static_cast<Index>(periods)).leftCols(n_rep);
      sim.shocks = draws.shocks.bottomRows(static_cast<Index>(periods));
      sim.seed = ctx.options().seed;
      res->simulation = std::move(sim);
    }
  }
  ctx.state[kLastStochSimulState] = std::shared_ptr<const StochSimulResult>(res);
  ctx.add(res);
}

// ------------------------------------------------------------------------------ estimation
// A CSV file with a header row; the columns `varobs` as a periods x k matrix (empty cells and
// NA/NaN are missing observations).
Matrix read_observations(const std::string& file, const std::string& shown, const Names& varobs,
                         const std::string& where) {
  std::ifstream in(file);
  if (!in) throw DataError(where + ": datafile '" + shown + "' cannot be read");
  auto split = [](const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) cells.push_back(cell), cell.clear();
      else if (c != '\r') cell += c;
    }
    cells.push_back(cell);
    for (auto& s : cells) {
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    }
    return cells;
  };
  std::string line;
  if (!std::getline(in, line)) throw DataError(where + ": datafile '" + shown + "' is empty");
  const auto header = split(line);
  std::vector<std::size_t> cols;
  std::string missing;
  for (const auto& v : varobs) {
    const auto it = std::find(header.begin(), header.end(), v);
    if (it == header.end()) missing += (missing.empty() ? "" : ", ") + v;
    else cols.push_back(static_cast<std::size_t>(it - header.begin()));
  }
  if (!missing.empty()) throw DataError(where + ": datafile '" + shown + "' has no column(s) " + missing);
  std::vector<std::vector<double>> rows;
  int lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto cells = split(line);
    std::vector<double> row;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const std::string s = cols[k] < cells.size() ? cells[cols[k]] : "";
      if (s.empty() || s == "NA" || s == "NaN" || s == "nan" || s == "N/A") {
        row.push_back(std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      char* end = nullptr;
      const double v = std::strtod(s.c_str(), &end);
      if (end == s.c_str() || *end != '\0' || !std::isfinite(v))
        throw DataError(where + ": datafile '" + shown + "' line " + std::to_string(lineno) + ", column " +
                        varobs[k] + ": '" + s + "' is not a finite number");
      row.push_back(v);
    }
    rows.push_back(std::move(row));
  }
  Matrix data(static_cast<Index>(rows.size()), static_cast<Index>(cols.size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < cols.size(); ++j) data(static_cast<Index>(i), static_cast<Index>(j)) = rows[i][j];
  return data;
}

// datafile= resolves relative to the .mod file's folder (as Dynare does; the working folder is not
// searched); a model read from text (no source file) uses the working folder. Without an
// extension `.csv` is tried first.
std::string find_datafile(const std::string& name, const Model& model, const Command& cmd, const std::string& where) {
  namespace fs = std::filesystem;
  std::vector<fs::path> cands;
  const fs::path p(name);
  if (p.is_absolute()) {
    cands.push_back(p);
  } else {
    // Model::source_file() is the absolute path of the .mod file (cmd.where.file is its name only)
    (void)cmd;
    if (!model.source_file().empty())
      cands.push_back(fs::path(model.source_file()).parent_path() / p);
    else
      cands.push_back(p);
  }
  if (!p.has_extension()) {
    std::vector<fs::path> with;
    for (const auto& c : cands) {
      with.push_back(fs::path(c.string() + ".csv"));
      with.push_back(c);
    }
    cands = with;
  }
  std::error_code ec;
  for (const auto& c : cands)
    if (fs::is_regular_file(c, ec)) {
      if (c.extension() != ".csv")
        throw DataError(where + ": datafile '" + name + "': only CSV files are supported");
      return c.string();
    }
  throw DataError(where + ": datafile '" + name + "' not found");
}

void run_estimation(const Command& cmd, RunContext& ctx) {
  ctx.warn_unknown_options(cmd, {"datafile", "mode_compute", "lik_init", "presample", "nograph", "first_obs", "nobs",
                                 "mh_replic", "mh_nblocks", "mh_jscale", "mh_drop", "mh_init_scale", "nodisplay",
                                 "graph_format", "mode_check", "plot_priors", "noprint", "optim", "smoother", "order",
                                 "kalman_algo", "prefilter"});
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  const std::string where = r.where();
  refuse_options(cmd, r, {"loglinear", "diffuse_filter", "mode_file", "endogenous_prior", "load_mh_file", "mh_recover"},
                 "a different likelihood, prior or starting point in Dynare");
  if (r.integer("prefilter", 0, 0, 1) != 0)
    throw OptionsError(where + ": option 'prefilter=1' (demeaned observables) is not supported; remove it to estimate "
                               "on the data as given");
  if (r.integer("order", 1, 1, 3) != 1)
    throw OptionsError(where + ": option 'order' above 1 (nonlinear filters) is not supported; the estimation is at "
                               "first order (Kalman filter)");
  const Model& m = ctx.model();
  const Names& varobs = m.varobs();
  if (varobs.empty() || m.estimated_params().empty()) {
    ctx.warn(cmd.where, std::string("estimation: no ") + (varobs.empty() ? "varobs" : "estimated_params") +
                            " declared: skipped");
    return;
  }
  const auto datafile = r.text("datafile");
  if (!datafile) throw OptionsError(where + ": the datafile option is required");
  if (r.integer("lik_init", 1, 1, 3) != 1) throw OptionsError(where + ": only lik_init=1 is supported");
  const long long mode_compute = r.integer("mode_compute", 4, 0, 10);
  const long long first = r.integer("first_obs", 1, 1);
  const long long presample = r.integer("presample", 0, 0);
  const long long mh = r.integer("mh_replic", 0, 0);
  const long long chains = r.integer("mh_nblocks", 2, 1, 1000);
  const double jscale = r.real("mh_jscale", 0.2, 0.0);
  const double burnin = r.real("mh_drop", 0.5, 0.0, 1.0);
  const double init_scale = r.real("mh_init_scale", 1.0, 0.0);
  Matrix data = read_observations(find_datafile(*datafile, m, cmd, where), *datafile, varobs, where);
  const long long rows = data.rows();
  const long long nobs = r.integer("nobs", rows - first + 1, 1);
  if (first - 1 + nobs > rows)
    throw OptionsError(where + ": first_obs/nobs outside the " + std::to_string(rows) + " rows of the data");
  data = data.middleRows(static_cast<Index>(first - 1), static_cast<Index>(nobs)).eval();

  std::optional<Estimator> est;
  try {
    KalmanOptions ko;
    ko.presample = static_cast<Index>(presample);
    est.emplace(m, estimated_parameters(m), varobs, data, ko);
  } catch (const ModelError& e) {
    throw OptionsError(where + ": " + e.what());
  } catch (const OptionsError& e) {
    throw OptionsError(where + ": " + e.what());
  }
  r.require_memory("mh_replic", static_cast<double>(mh) * static_cast<double>(chains) *
                                    static_cast<double>(est->size() + 1) * kDouble,
                   "Metropolis-Hastings draws");
  auto res = make_result<EstimationRunResult>(cmd);
  res->labels = est->labels();
  res->bayesian = est->bayesian();
  res->initial = est->initial();
  res->mode_compute = static_cast<int>(mode_compute);
  if (mode_compute == 0) {
    KalmanResult k = est->filter(res->initial);
    if (!k.ok())
      throw CommandFailure{k.status, where + ": likelihood at the initial values: " + k.summary()};
    res->log_prior_initial = res->bayesian ? est->log_prior(res->initial) : 0.0;
    res->at_initial = std::move(k);
  } else {
    ModeOptions mo;
    mo.on_iteration = ctx.progress("estimation");
    res->mode = posterior_mode(*est, mo);
    if (!res->mode->ok() && res->mode->status != Status::Singular) {
      const Status st = res->mode->status;
      const std::string s = res->mode->summary();
      ctx.add(res);
      throw CommandFailure{st, where + ": " + s};
    }
  }
  if (mh > 0) {
    if (!res->mode || !res->mode->std_at_mode.allFinite()) {
      ctx.warn(cmd.where, "estimation: mh_replic needs a mode with a valid Hessian (mode_compute != 0): skipped");
    } else {
      McmcOptions mc;
      mc.chains = static_cast<int>(chains);
      mc.draws = static_cast<int>(mh);
      mc.jscale = jscale;
      mc.burnin = burnin;
      mc.init_scale = init_scale;
      mc.seed = ctx.options().seed ? ctx.options().seed : 1;
      mc.on_iteration = ctx.progress("mcmc");
      res->mcmc = random_walk_metropolis(*est, res->mode->mode, res->mode->covariance, mc);
      res->mcmc_chains = mc.chains;
    }
  }
  ctx.add(res);
}

// ------------------------------------------------------------------------------ perfect foresight
void run_pf_setup(const Command& cmd, RunContext& ctx) {
  ctx.warn_unknown_options(cmd, {"periods"});
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  refuse_options(cmd, r, {"datafile", "first_simulation_period", "last_simulation_period"},
                 "initial and terminal paths or a simulation window read from data");
  const long long periods = r.integer("periods", 100, 1, std::numeric_limits<int>::max());
  const double n = static_cast<double>(ctx.all_endo_names().size());
  // paths, residuals and the block-tridiagonal factors (three n x n blocks per period)
  r.require_memory("periods", static_cast<double>(periods) * (4.0 * n + 3.0 * n * n) * kDouble,
                   "perfect foresight problem");
  ctx.state["perfect_foresight_problem"] = make_perfect_foresight_problem(ctx.model(), static_cast<int>(periods));
}

void run_pf_solver(const Command& cmd, RunContext& ctx) {
  ctx.warn_unknown_options(cmd, {"tolf", "tolx", "maxit", "no_homotopy", "stack_solve_algo", "noprint", "lmmcp"});
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  refuse_options(cmd, r, {"linear_approximation", "endogenous_terminal_period"},
                 "another problem than the nonlinear perfect-foresight paths");
  const auto it = ctx.state.find("perfect_foresight_problem");
  if (it == ctx.state.end())
    throw OptionsError(r.where() + " needs perfect_foresight_setup before it");
  const auto& prob = std::any_cast<const PerfectForesightProblem&>(it->second);
  PerfectForesightOptions opts;
  opts.periods = static_cast<int>(prob.periods());
  opts.tolerance = r.real("tolf", 1e-10, 0.0);
  if (!(opts.tolerance > 0)) throw OptionsError(r.where() + ": option tolf must be positive");
  opts.max_iterations = static_cast<int>(r.integer("maxit", 50, 1, 1000000));
  opts.homotopy = !r.flag("no_homotopy");
  auto res = make_result<PerfectForesightRunResult>(cmd);
  res->periods = opts.periods;
  // ramsey_constraints: the mixed complementarity problem of perfect_foresight_solver(lmmcp), as
  // Dynare 5.3; ramsey_model leaves it under this key (std::shared_ptr<const Model>)
  const auto mcp = ctx.state.find("complementarity_system");
  const bool lmmcp = r.flag("lmmcp");
  if (mcp != ctx.state.end() && !lmmcp)
    ctx.warn(cmd.where, "ramsey_constraints are imposed by perfect_foresight_solver(lmmcp) only (as Dynare): ignored");
  res->result = lmmcp && mcp != ctx.state.end()
                    ? solve_perfect_foresight(*std::any_cast<std::shared_ptr<const Model>>(mcp->second), prob, opts)
                    : solve_perfect_foresight(ctx.model(), prob, opts);
  const bool ok = res->result.ok();
  const Status st = res->result.status;
  const std::string s = res->result.summary();
  ctx.add(res);
  if (!ok) throw CommandFailure{st, where_prefix(cmd) + ": " + s};
}


}  // namespace

// ------------------------------------------------------------------------------ registry
const std::vector<CommandSpec>& command_registry() {
  static const std::vector<CommandSpec> table{
      {"steady", run_steady},
      {"check", run_check},
      {"stoch_simul", run_stoch_simul},
      {"estimation", run_estimation},
      {"perfect_foresight_setup", run_pf_setup},
      {"perfect_foresight_solver", run_pf_solver},
      // declarative blocks written as commands: the commands above read them from the model
      {"osr_params", {}},
      {"osr_params_bounds", {}},
      {"optim_weights", {}},
      {"estimated_params", {}},
      {"estimated_params_init", {}},
      {"estimated_params_bounds", {}},
      {"varobs", {}},
      {"planner_objective", {}},
  };
  return table;
}

RunResult run_commands(const Model& model, const RunOptions& opts) {
  opts.validate();
  RunResult result;
  const Names all = model.endo_names();
  result.endo_names = all;
  if (!opts.include_auxiliary) result.endo_names.resize(static_cast<std::size_t>(model.n_declared_endo()));
  result.exo_names = model.exo_names();
  result.param_names = model.param_names();
  result.params = model.params();
  RunContext ctx(model, opts, result);
  for (const auto& w : model.warnings()) ctx.warn(w.where, w.message);
  const SourceLocation* current = nullptr;
  try {
    for (const auto& cmd : model.commands()) {
      current = &cmd.where;
      const CommandSpec* spec = find_command(opts, cmd.name);
      if (!spec) {
        ctx.warn(cmd.where, "command '" + cmd.name + "' is not implemented yet: skipped");
        continue;
      }
      if (spec->handler) {
        ctx.enter(cmd);
        spec->handler(cmd, ctx);
      }
    }
    current = nullptr;
    const Vector& ss = ctx.steady();
    result.steady_state = ss.head(static_cast<Index>(result.endo_names.size()));
  } catch (const CommandFailure& f) {
    result.failure = RunFailure::Numerical;
    result.status = f.status == Status::Success ? Status::NumericalIssue : f.status;
    result.error_message = f.message;
  } catch (const SolveError& e) {
    result.failure = RunFailure::Numerical;
    result.status = Status::NumericalIssue;
    result.error_message = e.what();
  } catch (const Error& e) {
    result.failure = RunFailure::BadInput;
    result.error_message = e.what();
  }
  if (!result.ok() && current) result.error_where = *current;
  return result;
}

}  // namespace govsim::dsge
