// The policy commands of the command interpreter (dsge/run_commands.hpp): osr, the optimal-policy
// commands and evaluate_planner_objective. dsge::run_commands() reaches them through
// RunOptions::commands; run_commands() below adds them.
#include <govsim/core/error.hpp>
#include <govsim/dsge/command_options.hpp>
#include <govsim/policy/loss.hpp>
#include <govsim/policy/run_commands.hpp>

#include <algorithm>
#include <any>
#include <limits>
#include <memory>
#include <sstream>
#include <tuple>

namespace govsim::policy {

using dsge::Command;
using dsge::CommandFailure;
using dsge::CommandOptionReader;
using dsge::CommandResult;
using dsge::make_result;
using dsge::Model;
using dsge::RunContext;

namespace {

Index index_of(const Names& names, const std::string& n) {
  const auto it = std::find(names.begin(), names.end(), n);
  return it == names.end() ? -1 : static_cast<Index>(it - names.begin());
}

// ------------------------------------------------------------------------------ osr
void run_osr(const Command& cmd, RunContext& ctx) {
  ctx.warn_unknown_options(cmd, {"opt_algo", "irf", "ar", "nograph", "graph", "irf_plot_threshold", "noprint",
                                 "nodisplay", "maxit", "tolf", "tolx", "nomoments", "nocorr", "graph_format"});
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  if (r.has("loglinear"))  // Dynare's loss would be on the variances of the logarithms
    throw OptionsError(r.where() +
                       ": option 'loglinear' (the loss on the variances of the logarithms) is not supported; remove "
                       "it to get the results without it");
  const Model& m = ctx.model();
  if (m.osr_params().empty()) throw OptionsError(r.where() + ": no osr_params declared");
  if (m.optim_weights().empty()) throw OptionsError(r.where() + ": no optim_weights block");
  LossWeights w;
  try {
    w = LossWeights::from_model(m);
  } catch (const ModelError& e) {
    throw OptionsError(r.where() + ": " + e.what());
  }
  const Names var_list = r.var_list(ctx.endo_names(), ctx.endo_names());
  OsrOptions oo;
  oo.minimizer.on_iteration = ctx.progress("osr");
  auto res = make_result<OsrRunResult>(cmd);
  res->result = optimal_simple_rule(m, w, oo);
  res->var_list = var_list;
  if (res->result.solution.ok() && res->result.covariance.size() > 0) {
    const Names& en = res->result.solution.endo_names;
    const Index k = static_cast<Index>(var_list.size());
    res->var_list_covariance.resize(k, k);
    for (Index i = 0; i < k; ++i)
      for (Index j = 0; j < k; ++j)
        res->var_list_covariance(i, j) = res->result.covariance(index_of(en, var_list[static_cast<std::size_t>(i)]),
                                                                index_of(en, var_list[static_cast<std::size_t>(j)]));
  }
  const Status st = res->result.status;
  const std::string summary = res->result.summary();
  const bool ok = res->result.ok();
  ctx.add(res);
  if (!ok) throw CommandFailure{st, r.where() + ": " + summary};
}

// ------------------------------------------------------------------------------ optimal policy
// `key=(i, r)` as names.
Names name_list_option(const Command& cmd, const std::string& key) {
  Names out;
  const auto v = cmd.option(key);
  if (!v) return out;
  std::string t = *v;
  for (char& ch : t)
    if (ch == '(' || ch == ')' || ch == ',' || ch == '[' || ch == ']' || ch == '\'' || ch == '"') ch = ' ';
  std::istringstream in(t);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

Names instrument_names(const Command& cmd) { return name_list_option(cmd, "instruments"); }

// The command without the optimal-policy options: what the stoch_simul part of ramsey_policy and
// discretionary_policy reads.
Command stoch_simul_part(const Command& cmd) {
  Command c = cmd;
  c.options.clear();
  for (const auto& o : cmd.options)
    if (o.key != "instruments" && o.key != "planner_discount" && o.key != "discount") c.options.push_back(o);
  return c;
}

const char* const kOptimalPolicyState = "optimal_policy";

void run_ramsey(const Command& cmd, RunContext& ctx) {
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  const bool policy = cmd.name == "ramsey_policy";
  if (!policy) ctx.warn_unknown_options(cmd, {"instruments", "planner_discount"});
  RamseyOptions ro;
  ro.instruments = instrument_names(cmd);
  if (policy) ro.perturbation.qz_criterium = r.real("qz_criterium", 1.0 + 1e-6, 0.0);
  if (auto d = cmd.option("planner_discount")) ro.planner_discount = *d;
  auto res = make_result<RamseyRunResult>(cmd);
  try {
    res->result = solve_ramsey(ctx.model(), ro);
  } catch (const ModelError& e) {
    throw OptionsError(r.where() + ": " + e.what());
  } catch (const ParseError& e) {
    throw OptionsError(r.where() + ": " + e.what());
  }
  const RamseyResult& rr = res->result;
  const bool ok = rr.ok();
  const Status st = rr.status;
  const std::string msg = rr.message;
  ctx.add(res);
  if (!ok) throw CommandFailure{st == Status::Success ? Status::NumericalIssue : st, r.where() + ": " + msg};
  auto system = std::make_shared<Model>(rr.ramsey.model);
  system->set_params(rr.params);
  ctx.use_system(system, rr.steady_state, rr.solution, ro.perturbation.qz_criterium);
  ctx.state.erase(dsge::kLastStochSimulState);
  ctx.state.erase("complementarity_system");  // read by perfect_foresight_solver(lmmcp)
  if (rr.ramsey.complementarity_model) {
    auto mcp = std::make_shared<Model>(*rr.ramsey.complementarity_model);
    mcp->set_params(rr.params);
    ctx.state["complementarity_system"] = std::shared_ptr<const Model>(mcp);
  }
  ctx.state[kOptimalPolicyState] = std::shared_ptr<const CommandResult>(res);
  if (policy) ctx.run("stoch_simul", stoch_simul_part(cmd));
}

void run_discretion(const Command& cmd, RunContext& ctx) {
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  DiscretionOptions dopt;
  dopt.instruments = instrument_names(cmd);
  if (auto d = cmd.option("planner_discount")) dopt.planner_discount = *d;
  else if (auto d2 = cmd.option("discount")) dopt.planner_discount = *d2;
  auto res = make_result<DiscretionRunResult>(cmd);
  try {
    res->result = solve_discretion(ctx.model(), dopt);
  } catch (const ModelError& e) {
    throw OptionsError(r.where() + ": " + e.what());
  } catch (const ParseError& e) {
    throw OptionsError(r.where() + ": " + e.what());
  }
  const DiscretionResult& dr = res->result;
  const bool ok = dr.ok();
  const Status st = dr.status;
  const std::string msg = dr.message;
  ctx.add(res);
  if (!ok) throw CommandFailure{st == Status::Success ? Status::NumericalIssue : st, r.where() + ": " + msg};
  // the model itself (linear, fewer equations than variables) with the discretionary rules
  ctx.use_system(std::make_shared<Model>(ctx.model()), dr.solution.steady_state, dr.solution);
  ctx.state[kOptimalPolicyState] = std::shared_ptr<const CommandResult>(res);
  Command ss = stoch_simul_part(cmd);
  if (!cmd.has_option("order")) ss.options.push_back({"order", "1"});  // discretion is first order (Dynare)
  ctx.run("stoch_simul", ss);
}

void run_evaluate_planner_objective(const Command& cmd, RunContext& ctx) {
  ctx.warn_unknown_options(cmd, {});
  const auto it = ctx.state.find(kOptimalPolicyState);
  if (it == ctx.state.end())
    throw OptionsError(CommandOptionReader(cmd).where() +
                       " needs ramsey_model, ramsey_policy or discretionary_policy before it");
  const auto prev = std::any_cast<std::shared_ptr<const CommandResult>>(it->second);
  auto res = make_result<PlannerObjectiveRunResult>(cmd);
  if (const auto* rr = dynamic_cast<const RamseyRunResult*>(prev.get())) {
    res->policy = "ramsey";
    res->ramsey = rr->result.objective;
    // at the order of the stoch_simul that solved the Ramsey system (Dynare's options_.order)
    const auto ss = ctx.state.find(dsge::kLastStochSimulState);
    if (ss != ctx.state.end()) {
      const auto sr = std::any_cast<std::shared_ptr<const dsge::StochSimulResult>>(ss->second);
      if (sr->order == 2) {
        const RamseyResult& rres = rr->result;
        try {
          res->ramsey = sr->second ? evaluate_planner_objective(rres.ramsey, rres.params, *sr->second)
                                   : evaluate_planner_objective(rres.ramsey, rres.params, sr->first, 2);
        } catch (const SolveError& e) {
          throw CommandFailure{Status::NumericalIssue, CommandOptionReader(cmd).where() + ": " + e.what()};
        }
        res->order = 2;
      }
    }
  } else if (const auto* dr = dynamic_cast<const DiscretionRunResult*>(prev.get())) {
    res->policy = "discretion";
    res->discretion = dr->result.objective;
  }
  ctx.add(res);
}

// ------------------------------------------------------------------------------ conditional forecasts
const char* const kConditionalForecastState = "conditional_forecast";
const char* const kConditionalForecastPathsState = "conditional_forecast_paths";

// The conditional_forecast_paths block, recorded by the parser as a command: `args` are the
// variables, option `variable` holds "first:last=value ..." (see the parser). A later block
// replaces an earlier one for the commands after it, as in Dynare.
void run_conditional_forecast_paths(const Command& cmd, RunContext& ctx) {
  const std::string where = CommandOptionReader(cmd).where();
  std::vector<TargetPath> paths;
  for (const auto& v : cmd.args) {
    const auto text = cmd.option(v);
    if (!text) throw OptionsError(where + ": no path for '" + v + "'");
    std::vector<std::tuple<int, int, double>> entries;
    std::istringstream in(*text);
    std::string item;
    int last = 0;
    while (in >> item) {
      int a = 0, b = 0;
      double x = 0.0;
      char c1 = 0, c2 = 0;
      std::istringstream e(item);
      if (!(e >> a >> c1 >> b >> c2 >> x) || c1 != ':' || c2 != '=' || a < 1 || b < a)
        throw OptionsError(where + ": invalid path entry '" + item + "' for '" + v + "'");
      entries.emplace_back(a, b, x);
      last = std::max(last, b);
    }
    TargetPath t{v, Vector::Constant(last, std::numeric_limits<double>::quiet_NaN())};
    for (const auto& [a, b, x] : entries)
      for (int q = a; q <= b; ++q) t.values[q - 1] = x;  // in order: a later range overrides
    paths.push_back(std::move(t));
  }
  ctx.state[kConditionalForecastPathsState] = std::move(paths);
}

void run_conditional_forecast(const Command& cmd, RunContext& ctx) {
  ctx.warn_unknown_options(cmd, {"parameter_set", "controlled_varexo", "periods", "replic", "conf_sig"});
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  const Model& m = ctx.model();
  auto res = make_result<ConditionalForecastRunResult>(cmd);
  // parameter_set: Dynare requires it unless an estimation left a mode; only the calibration
  // gives a forecast here (the estimated parameter sets start from the smoothed state)
  const auto ps = r.text("parameter_set");
  if (!ps)
    throw OptionsError(r.where() + ": parameter_set is required (Dynare: 'No valid parameter set found'); "
                       "use parameter_set=calibration");
  if (*ps != "calibration") {
    static const Names known{"posterior_mode", "posterior_mean", "posterior_median", "mle_mode", "prior_mode",
                             "prior_mean"};
    if (std::find(known.begin(), known.end(), *ps) == known.end())
      throw OptionsError(r.where() + ": parameter_set=" + *ps +
                         " is not one of calibration, posterior_mode, posterior_mean, posterior_median, mle_mode, "
                         "prior_mode, prior_mean");
    bool estimated = false;  // an estimation command runs before this one
    for (const auto& c : m.commands())
      if (c.name == "estimation" && c.where.file == cmd.where.file && c.where.line < cmd.where.line) estimated = true;
    throw OptionsError(r.where() + ": parameter_set=" + *ps +
                       (estimated ? " (a forecast from the Kalman-smoothed state at the estimated parameters) is not "
                                    "supported; use parameter_set=calibration"
                                  : " needs estimation results and the run has none; use parameter_set=calibration"));
  }
  res->parameter_set = *ps;
  res->controlled_varexo = name_list_option(cmd, "controlled_varexo");
  if (res->controlled_varexo.empty()) throw OptionsError(r.where() + ": controlled_varexo=(...) is required");
  const Names& exo = m.exo_names();
  for (const auto& e : res->controlled_varexo)
    if (std::find(exo.begin(), exo.end(), e) == exo.end())
      throw OptionsError(r.where() + ": controlled_varexo: '" + e + "' is not an exogenous variable");
  res->periods = static_cast<int>(r.integer("periods", 40, 1, 1000000));
  res->replic = static_cast<int>(r.integer("replic", 5000, 1, 100000000));
  res->conf_sig = r.real("conf_sig", 0.8);
  if (!(res->conf_sig > 0.0 && res->conf_sig < 1.0))
    throw OptionsError(r.where() + ": conf_sig must be in (0, 1) (got " + *cmd.option("conf_sig") + ")");
  const auto pit = ctx.state.find(kConditionalForecastPathsState);
  if (pit == ctx.state.end()) throw OptionsError(r.where() + ": no conditional_forecast_paths block before it");
  const auto& paths = std::any_cast<const std::vector<TargetPath>&>(pit->second);
  if (paths.size() != res->controlled_varexo.size())
    throw OptionsError(r.where() + ": " + std::to_string(paths.size()) + " constrained variable(s) but " +
                       std::to_string(res->controlled_varexo.size()) +
                       " controlled shock(s) (Dynare: the number of constrained variables must match the number "
                       "of controlled shocks)");
  for (const auto& p : paths) res->constrained_periods = std::max(res->constrained_periods, static_cast<int>(p.values.size()));
  if (res->constrained_periods > res->periods)
    throw OptionsError(r.where() + ": periods=" + std::to_string(res->periods) +
                       " is shorter than the constrained paths (" + std::to_string(res->constrained_periods) +
                       " periods)");
  // two forecasts of (periods + 1) x n_endo levels, mean and bands, over the replications
  const double n_endo = static_cast<double>(ctx.all_endo_names().size());
  r.require_memory("replic", 2.0 * res->replic * (res->periods + 1.0) * (n_endo + exo.size()) * 8.0,
                   "simulated conditional forecasts");
  for (const auto& p : paths) {  // every path over the constrained periods (NaN: free)
    TargetPath t{p.variable, Vector::Constant(res->constrained_periods, std::numeric_limits<double>::quiet_NaN())};
    t.values.head(p.values.size()) = p.values;
    res->constrained.push_back(std::move(t));
  }

  const dsge::PerturbationResult& sol = ctx.first_order();
  if (!sol.ok()) throw CommandFailure{sol.status, r.where() + ": " + sol.message};
  // initial state: the steady state, or the histval values (0 for the variables it does not set)
  Vector init = Vector::Zero(sol.steady_state.size());
  if (!m.histval().empty()) {
    Vector y0 = Vector::Zero(sol.steady_state.size());
    for (const auto& h : m.histval()) {
      if (h.lag != 0)
        throw OptionsError(r.where() + ": histval " + h.name + "(" + std::to_string(h.lag) +
                           "): initial values at lags below 0 are not supported by conditional_forecast");
      const Index i = index_of(sol.endo_names, h.name);
      if (i >= 0) y0[i] = h.value;
    }
    init = y0 - sol.steady_state;
  }
  ConditionalForecastOptions co;
  co.controlled_shocks = res->controlled_varexo;
  co.periods = res->periods;
  ForecastBandsOptions bo;
  bo.conf_sig = res->conf_sig;
  bo.replic = res->replic;
  bo.seed = ctx.options().seed;
  try {
    res->cond = conditional_forecast_bands(sol, res->constrained, co, bo, init);
    // unconditional: no period constrained, the controlled shocks stay at zero and are not drawn
    std::vector<TargetPath> none;
    for (const auto& t : res->constrained) none.push_back(TargetPath{t.variable, Vector()});
    bo.seed = ctx.options().seed + 1;
    res->uncond = conditional_forecast_bands(sol, none, co, bo, init);
  } catch (const ModelError& e) {
    throw OptionsError(r.where() + ": " + e.what());
  }
  const bool ok = res->cond.ok() && res->uncond.ok();
  const Status st = !res->cond.ok() ? res->cond.status : res->uncond.status;
  const std::string msg = !res->cond.ok() ? res->cond.message : res->uncond.message;
  ctx.add(res);
  if (!ok)
    throw CommandFailure{st == Status::Success ? Status::NumericalIssue : st,
                         r.where() + ": controlling the variables was not successful: " + msg};
  ctx.state[kConditionalForecastState] = std::shared_ptr<const ConditionalForecastRunResult>(res);
}

void run_plot_conditional_forecast(const Command& cmd, RunContext& ctx) {
  ctx.warn_unknown_options(cmd, {"periods"});
  CommandOptionReader r(cmd, ctx.options().max_memory_bytes);
  const auto it = ctx.state.find(kConditionalForecastState);
  if (it == ctx.state.end())
    throw OptionsError(r.where() + " needs a conditional_forecast before it (Dynare: 'Can't find conditional forecasts')");
  auto res = make_result<PlotConditionalForecastRunResult>(cmd);
  res->forecast = std::any_cast<std::shared_ptr<const ConditionalForecastRunResult>>(it->second);
  if (cmd.args.empty()) throw OptionsError(r.where() + ": list the variables to plot after the options");
  res->variables = r.var_list(ctx.endo_names(), ctx.endo_names());
  const int horizon = res->forecast->periods;
  res->periods = static_cast<int>(r.integer("periods", horizon, 1));
  if (res->periods > horizon) {
    ctx.warn(cmd.where, "plot_conditional_forecast: periods=" + std::to_string(res->periods) +
                            " exceeds the forecast horizon; showing " + std::to_string(horizon) + " periods");
    res->periods = horizon;
  }
  ctx.add(res);
}

}  // namespace

const std::vector<dsge::CommandSpec>& command_registry() {
  static const std::vector<dsge::CommandSpec> table{
      {"osr", run_osr},
      {"ramsey_model", run_ramsey},
      {"ramsey_policy", run_ramsey},
      {"discretionary_policy", run_discretion},
      {"evaluate_planner_objective", run_evaluate_planner_objective},
      {"conditional_forecast_paths", run_conditional_forecast_paths},
      {"conditional_forecast", run_conditional_forecast},
      {"plot_conditional_forecast", run_plot_conditional_forecast},
  };
  return table;
}

dsge::RunResult run_commands(const Model& model, dsge::RunOptions opts) {
  const auto& mine = command_registry();
  opts.commands.insert(opts.commands.end(), mine.begin(), mine.end());
  return dsge::run_commands(model, opts);
}

}  // namespace govsim::policy
