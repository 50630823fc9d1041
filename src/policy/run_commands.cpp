// The policy commands of the command interpreter (dsge/run_commands.hpp): osr, the optimal-policy
// commands and evaluate_planner_objective. dsge::run_commands() reaches them through
// RunOptions::commands; run_commands() below adds them.
#include <govsim/core/error.hpp>
#include <govsim/dsge/command_options.hpp>
#include <govsim/policy/loss.hpp>
#include <govsim/policy/run_commands.hpp>

#include <algorithm>
#include <any>
#include <memory>
#include <sstream>

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
// `instruments=(i, r)` as names.
Names instrument_names(const Command& cmd) {
  Names out;
  const auto v = cmd.option("instruments");
  if (!v) return out;
  std::string t = *v;
  for (char& ch : t)
    if (ch == '(' || ch == ')' || ch == ',' || ch == '[' || ch == ']' || ch == '\'' || ch == '"') ch = ' ';
  std::istringstream in(t);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

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

}  // namespace

const std::vector<dsge::CommandSpec>& command_registry() {
  static const std::vector<dsge::CommandSpec> table{
      {"osr", run_osr},
      {"ramsey_model", run_ramsey},
      {"ramsey_policy", run_ramsey},
      {"discretionary_policy", run_discretion},
      {"evaluate_planner_objective", run_evaluate_planner_objective},
  };
  return table;
}

dsge::RunResult run_commands(const Model& model, dsge::RunOptions opts) {
  const auto& mine = command_registry();
  opts.commands.insert(opts.commands.end(), mine.begin(), mine.end());
  return dsge::run_commands(model, opts);
}

}  // namespace govsim::policy
