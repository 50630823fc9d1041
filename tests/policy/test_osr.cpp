// Optimal simple rules on nk3 (Dynare reference), infeasible regions, robust rules, minimizer.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/policy/loss.hpp>
#include <govsim/dsge/model_solver.hpp>
#include <govsim/numerics/optimizer.hpp>
#include <govsim/policy/osr.hpp>
#include <govsim/policy/run_commands.hpp>

#include "../support.hpp"

#include <cmath>

using namespace govsim;

namespace {
std::optional<dsge::Model> nk3_osr() {
  auto dir = test::shared_dir();
  if (!dir) return std::nullopt;
  return dsge::parse_model_file((*dir / "reference/dynare/cases/nk3_osr/model.mod").string());
}
}  // namespace

TEST_CASE("nk3 optimal simple rule matches Dynare", "[policy][osr][dynare]") {
  auto m = nk3_osr();
  if (!m) {
    GOVSIM_SKIP("shared reference folder not found (set GOVSIM_SHARED_DIR): test skipped");
  }
  auto w = policy::LossWeights::from_model(*m);
  auto r = policy::optimal_simple_rule(*m, w);
  REQUIRE(r.ok());
  CHECK(std::abs(r.loss - 1.1146888766187635) / 1.1146888766187635 < 1e-8);
  CHECK(std::abs(r.loss_start - 4.447133356) < 1e-8);
  CHECK(std::abs(r.params(0) - 9.866815898944893) / 9.866815898944893 < 1e-3);
  CHECK(std::abs(r.params(1) - 5.291811961676658) / 5.291811961676658 < 1e-3);
  // the loss is the weighted sum of the reported covariance
  CHECK(r.covariance.rows() == m->n_endo());
}

TEST_CASE("indeterminate rules are infeasible, not errors", "[policy][osr]") {
  auto m = nk3_osr();
  if (!m) {
    GOVSIM_SKIP("shared reference folder not found: test skipped");
  }
  dsge::ModelSolver s(*m, {"phi_pi", "phi_y"});
  Vector bad(2);
  bad << 0.5, 0.0;  // Taylor principle violated
  auto r = s.solve(bad);
  CHECK_FALSE(r.ok());
  auto w = policy::LossWeights::from_model(*m);
  policy::OsrOptions o;
  o.start = bad;  // start in the infeasible region
  o.lower = Vector::Constant(2, 0.0);
  o.upper = Vector::Constant(2, 20.0);
  o.minimizer.algorithm = numerics::Algorithm::GlobalMultistart;
  o.minimizer.multistart = 4;
  auto res = policy::optimal_simple_rule(*m, w, o);
  CHECK(res.loss_start == o.minimizer.penalty);
  CHECK(res.infeasible > 0);
  CHECK(res.loss < 1.2);
  CHECK_THROWS_AS(dsge::ModelSolver(*m, {"nonexistent"}), ModelError);
}

TEST_CASE("robust rule over two parameterizations", "[policy][robust]") {
  auto m = nk3_osr();
  if (!m) {
    GOVSIM_SKIP("shared reference folder not found: test skipped");
  }
  dsge::Model m2 = *m;
  m2.set_param("rho_d", 0.95);
  auto w = policy::LossWeights::from_model(*m);
  policy::OsrOptions o;
  auto avg = policy::robust_simple_rule({*m, m2}, {w, w}, Vector(), policy::RobustAggregation::WeightedAverage, o);
  auto worst = policy::robust_simple_rule({*m, m2}, {w, w}, Vector(), policy::RobustAggregation::WorstCase, o);
  REQUIRE(avg.ok());
  REQUIRE(worst.ok());
  CHECK(std::abs(avg.loss - avg.model_losses.mean()) < 1e-12);
  CHECK(std::abs(worst.loss - worst.model_losses.maxCoeff()) < 1e-12);
  CHECK(worst.loss <= worst.model_losses_start.maxCoeff());
  // each model alone does at least as well as the shared rule
  auto single = policy::optimal_simple_rule(m2, w);
  CHECK(single.loss <= avg.model_losses(1) + 1e-9);
}

TEST_CASE("minimizer: Rosenbrock with every algorithm, options checked", "[policy][optimizer]") {
  numerics::Objective f = [](const Vector& x, Vector* g) {
    double a = 1 - x(0), b = x(1) - x(0) * x(0);
    if (g && g->size()) {
      (*g)(0) = -2 * a - 400 * x(0) * b;
      (*g)(1) = 200 * b;
    }
    return a * a + 100 * b * b;
  };
  Vector x0(2);
  x0 << -1.2, 1.0;
  for (auto a : {numerics::Algorithm::NelderMead, numerics::Algorithm::Subplex, numerics::Algorithm::Lbfgs,
                 numerics::Algorithm::Bobyqa, numerics::Algorithm::GlobalMultistart}) {
    numerics::MinimizeOptions o;
    o.algorithm = a;
    o.lower = Vector::Constant(2, -5);
    o.upper = Vector::Constant(2, 5);
    auto r = numerics::minimize(f, x0, o);
    INFO(numerics::to_string(a) << ": " << r.summary());
    CHECK(std::abs(r.x(0) - 1) < 1e-4);
    CHECK(std::abs(r.x(1) - 1) < 1e-4);
  }
  numerics::MinimizeOptions bad;
  bad.algorithm = numerics::Algorithm::Bobyqa;
  CHECK_THROWS_AS(numerics::minimize(f, x0, bad), OptionsError);
  CHECK_THROWS_AS(numerics::parse_algorithm("simplex"), OptionsError);
  // user stop
  numerics::MinimizeOptions stop;
  stop.on_iteration = [](const IterationInfo& i) { return i.iteration < 3; };
  CHECK(numerics::minimize(f, x0, stop).status == Status::UserStopped);
}

TEST_CASE("OsrOptions::objective replaces the quadratic loss and ModelSolver keeps its last solve", "[policy][osr]") {
  auto m = nk3_osr();
  if (!m) {
    WARN("shared reference folder not found: test skipped");
    return;
  }
  auto w = policy::LossWeights::from_model(*m);
  policy::OsrOptions o;
  o.minimizer.max_evaluations = 400;
  const auto ref = policy::optimal_simple_rule(*m, w, o);
  int calls = 0;
  o.objective = [&](const dsge::PerturbationResult& sol) {
    ++calls;
    return policy::quadratic_loss(sol, w);
  };
  // the weights are not needed with an objective
  policy::LossWeights none;
  const auto same = policy::optimal_simple_rule(*m, none, o);
  CHECK(calls > 0);
  CHECK(same.params == ref.params);  // the same evaluations, bit for bit
  CHECK(same.loss == ref.loss);
  CHECK(same.status == ref.status);
  CHECK_THROWS_AS(policy::optimal_simple_rule(*m, none, policy::OsrOptions{}), DimensionError);

  dsge::ModelSolver s(*m, {"phi_pi", "phi_y"});
  Vector a(2), b(2);
  a << 1.5, 0.5;
  b << 2.0, 0.5;
  const auto* first = &s.solve(a);
  const Matrix ghx = first->solution.ghx;
  CHECK(&s.solve(a) == first);  // cached
  CHECK(s.solve(a).solution.ghx == ghx);
  const Matrix ghx_b = s.solve(b).solution.ghx;
  CHECK((ghx_b - ghx).cwiseAbs().maxCoeff() > 1e-6);
  CHECK(s.solve(a).solution.ghx.isApprox(ghx, 1e-12));
}

TEST_CASE("run_commands: osr without osr_params is bad input", "[policy][osr][run]") {
  const std::string text =
      "var y x; varexo e; parameters rho; rho = 0.5;\n"
      "model; x = rho*x(-1) + e; y = x(+1) + x; end;\n"
      "shocks; var e; stderr 0.1; end;\n"
      "stoch_simul(order=1, irf=3) y;\nosr y;\n";
  const auto r = policy::run_commands(dsge::parse_model(text, "m.mod"));
  CHECK(r.failure == dsge::RunFailure::BadInput);
  CHECK(r.error_message == "m.mod:5: osr: no osr_params declared");
  CHECK(r.results_of<dsge::StochSimulResult>().size() == 1);
}
