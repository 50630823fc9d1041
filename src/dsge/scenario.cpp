// Scenario comparison: one perfect-foresight solve per policy alternative, scored by a quadratic
// loss. Alternatives are independent; each works on its own copy of the model.
#include <govsim/core/error.hpp>
#include <govsim/dsge/scenario.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace govsim::dsge {

void ScenarioOptions::validate() const {
  if (!(discount > 0 && discount <= 1)) throw OptionsError("ScenarioOptions: discount must be in (0, 1]");
  solver.validate();
}

Index ScenarioComparison::best() const {
  Index b = -1;
  for (Index i = 0; i < static_cast<Index>(outcomes.size()); ++i) {
    const double l = outcomes[static_cast<std::size_t>(i)].loss;
    if (std::isfinite(l) && (b < 0 || l < outcomes[static_cast<std::size_t>(b)].loss)) b = i;
  }
  return b;
}

std::string ScenarioComparison::summary() const {
  std::ostringstream os;
  os << "scenario '" << scenario << "': " << outcomes.size() << " alternatives";
  const Index b = best();
  for (Index i = 0; i < static_cast<Index>(outcomes.size()); ++i) {
    const auto& o = outcomes[static_cast<std::size_t>(i)];
    os << "\n  " << o.name << ": loss " << o.loss << " (" << to_string(o.result.status) << ")"
       << (i == b ? "  <- lowest" : "");
  }
  if (!message.empty()) os << "\n" << message;
  return os.str();
}

double scenario_loss(const Names& endo_names, const Matrix& paths, const Vector& ss,
                     const std::vector<OptimWeight>& weights, double discount) {
  auto idx = [&](const std::string& v) {
    auto it = std::find(endo_names.begin(), endo_names.end(), v);
    if (it == endo_names.end()) throw ModelError("scenario loss: unknown variable '" + v + "'");
    return static_cast<Index>(it - endo_names.begin());
  };
  std::vector<std::pair<std::pair<Index, Index>, double>> w;
  for (const auto& x : weights) w.push_back({{idx(x.var1), idx(x.var2.empty() ? x.var1 : x.var2)}, x.weight});
  double loss = 0, df = 1;
  for (Index t = 1; t + 1 < paths.rows(); ++t) {
    double s = 0;
    for (const auto& [ij, wt] : w)
      s += wt * (paths(t, ij.first) - ss[ij.first]) * (paths(t, ij.second) - ss[ij.second]);
    loss += df * s;
    df *= discount;
  }
  return loss;
}

ScenarioComparison compare_policies(const Model& model, const Scenario& scenario,
                                    const std::vector<PolicyAlternative>& alternatives, const ScenarioOptions& opts) {
  opts.validate();
  if (scenario.periods < 1) throw OptionsError("Scenario: periods must be >= 1");
  std::vector<OptimWeight> weights = opts.weights.empty() ? model.optim_weights() : opts.weights;
  if (weights.empty())
    throw OptionsError("compare_policies: no loss weights (give ScenarioOptions::weights or an optim_weights block)");
  std::vector<PolicyAlternative> alts = alternatives;
  if (alts.empty()) alts.push_back({"model", {}});
  const Names names = model.endo_names();
  ScenarioComparison out;
  out.scenario = scenario.name;
  for (const auto& a : alts) {
    Model m = model;
    for (const auto& [p, v] : a.params) m.set_param(p, v);  // ModelError for unknown names
    ScenarioOutcome o;
    o.name = a.name;
    PerfectForesightProblem prob;
    try {
      prob = make_perfect_foresight_problem(m, scenario.periods);
    } catch (const SolveError& e) {
      o.loss = std::numeric_limits<double>::quiet_NaN();
      o.result.status = Status::NotConverged;
      o.result.message = e.what();
      out.status = Status::NotConverged;
      out.message += a.name + ": " + e.what() + "\n";
      out.outcomes.push_back(std::move(o));
      continue;
    }
    if (!scenario.use_model_shocks)
      for (Index t = 1; t < prob.exo.rows(); ++t) prob.exo.row(t) = prob.exo.row(prob.exo.rows() - 1);
    o.steady_state = prob.terminal;
    o.result = solve_perfect_foresight_events(m, prob, scenario.events, opts.solver);
    if (o.result.ok()) {
      o.loss = scenario_loss(names, o.result.paths, prob.terminal, weights, opts.discount);
    } else {
      o.loss = std::numeric_limits<double>::quiet_NaN();
      out.status = o.result.status;
      out.message += a.name + ": " + o.result.summary() + "\n";
    }
    out.outcomes.push_back(std::move(o));
  }
  return out;
}

}  // namespace govsim::dsge
