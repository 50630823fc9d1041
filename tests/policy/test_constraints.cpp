// Nonlinear constraints and analytic gradients in numerics::minimize and optimal simple rules.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/policy/loss.hpp>
#include <govsim/numerics/optimizer.hpp>
#include <govsim/policy/osr.hpp>

#include "../support.hpp"

#include <cmath>
#include <filesystem>

using namespace govsim;

namespace {
// (x-2)^2 + (y-1)^2 with gradient; the constraint x + y <= 1 binds at (1, 0), f = 2.
double quad(const Vector& x, Vector* g) {
  if (g && g->size()) {
    (*g)(0) = 2 * (x(0) - 2);
    (*g)(1) = 2 * (x(1) - 1);
  }
  return (x(0) - 2) * (x(0) - 2) + (x(1) - 1) * (x(1) - 1);
}
numerics::Constraint sum_le_one() {
  numerics::Constraint c;
  c.fn = [](const Vector& x, Vector* g) {
    if (g && g->size()) g->setOnes();
    return x(0) + x(1) - 1.0;
  };
  c.analytic_gradient = true;
  c.name = "x+y<=1";
  return c;
}
}  // namespace

TEST_CASE("constrained quadratic: active inequality, known optimum", "[policy][constraints]") {
  Vector x0(2);
  x0 << 0.0, 0.0;
  for (auto a : {numerics::Algorithm::Auto, numerics::Algorithm::Cobyla, numerics::Algorithm::Slsqp,
                 numerics::Algorithm::Mma, numerics::Algorithm::Auglag, numerics::Algorithm::GlobalMultistart}) {
    numerics::MinimizeOptions o;
    o.algorithm = a;
    o.constraints = {sum_le_one()};
    o.multistart = 3;
    auto r = numerics::minimize(quad, x0, o);
    INFO(numerics::to_string(a) << ": " << r.summary());
    REQUIRE(r.ok());
    CHECK(r.feasible);
    CHECK(std::abs(r.x(0) - 1.0) < 1e-6);
    CHECK(std::abs(r.x(1) - 0.0) < 1e-6);
    CHECK(std::abs(r.f - 2.0) < 1e-6);
    REQUIRE(r.constraint_values.size() == 1);
    CHECK(r.constraint_values(0) <= 1e-8);
    CHECK(std::abs(r.constraint_values(0)) < 1e-6);  // active
  }
  // Auto resolves to COBYLA (derivative-free) or SLSQP (analytic objective gradient)
  numerics::MinimizeOptions o;
  o.constraints = {sum_le_one()};
  CHECK(numerics::resolve_algorithm(o) == numerics::Algorithm::Cobyla);
  o.analytic_gradient = true;
  CHECK(numerics::resolve_algorithm(o) == numerics::Algorithm::Slsqp);
  o.constraints.clear();
  CHECK(numerics::resolve_algorithm(o) == numerics::Algorithm::Lbfgs);
  o.analytic_gradient = false;
  CHECK(numerics::resolve_algorithm(o) == numerics::Algorithm::NelderMead);
}

TEST_CASE("constrained quadratic: equality constraint", "[policy][constraints]") {
  // min (x-2)^2 + (y-1)^2 s.t. x - y = 2: x = 2.5, y = 0.5, f = 0.5
  numerics::Constraint h;
  h.fn = [](const Vector& x, Vector*) { return x(0) - x(1) - 2.0; };
  h.equality = true;
  Vector x0 = Vector::Zero(2);
  for (auto a : {numerics::Algorithm::Cobyla, numerics::Algorithm::Slsqp, numerics::Algorithm::Auglag}) {
    numerics::MinimizeOptions o;
    o.algorithm = a;
    o.constraints = {h};
    auto r = numerics::minimize(quad, x0, o);
    INFO(numerics::to_string(a) << ": " << r.summary());
    REQUIRE(r.ok());
    CHECK(std::abs(r.x(0) - 2.5) < 1e-6);
    CHECK(std::abs(r.x(1) - 0.5) < 1e-6);
    CHECK(std::abs(r.f - 0.5) < 1e-6);
  }
}

TEST_CASE("constraint-incapable algorithms are rejected", "[policy][constraints]") {
  Vector x0 = Vector::Zero(2);
  for (auto a : {numerics::Algorithm::NelderMead, numerics::Algorithm::Subplex, numerics::Algorithm::Lbfgs,
                 numerics::Algorithm::Crs}) {
    numerics::MinimizeOptions o;
    o.algorithm = a;
    o.lower = Vector::Constant(2, -5.0);
    o.upper = Vector::Constant(2, 5.0);
    o.constraints = {sum_le_one()};
    CHECK_THROWS_AS(numerics::minimize(quad, x0, o), OptionsError);
  }
  numerics::MinimizeOptions o;
  o.algorithm = numerics::Algorithm::Mma;
  numerics::Constraint h = sum_le_one();
  h.equality = true;
  o.constraints = {h};
  CHECK_THROWS_AS(numerics::minimize(quad, x0, o), OptionsError);  // MMA: inequalities only
  o.algorithm = numerics::Algorithm::Auglag;
  o.auglag_local = numerics::Algorithm::Cobyla;
  CHECK_THROWS_AS(numerics::minimize(quad, x0, o), OptionsError);
  o.auglag_local = numerics::Algorithm::NelderMead;
  o.constraints[0].fn = nullptr;
  CHECK_THROWS_AS(numerics::minimize(quad, x0, o), OptionsError);
}

TEST_CASE("infeasible constraint points are penalised, never thrown", "[policy][constraints]") {
  numerics::Constraint c;
  c.fn = [](const Vector& x, Vector*) -> double {
    if (x(0) < 0.5) throw SolveError("no solution here");
    return x(0) + x(1) - 1.0;
  };
  Vector x0(2);
  x0 << 0.8, 0.1;
  numerics::MinimizeOptions o;
  o.constraints = {c};
  auto r = numerics::minimize(quad, x0, o);
  REQUIRE(r.ok());
  CHECK(std::abs(r.x(0) - 1.0) < 1e-6);
  // no feasible point at all: reported in the status
  numerics::Constraint never;
  never.fn = [](const Vector&, Vector*) { return 1.0; };
  o.constraints = {never};
  auto bad = numerics::minimize(quad, x0, o);
  CHECK_FALSE(bad.ok());
  CHECK_FALSE(bad.feasible);
  CHECK(bad.status == Status::NumericalIssue);
}

TEST_CASE("analytic gradient needs fewer evaluations than finite differences", "[policy][constraints][gradient]") {
  // Rosenbrock
  auto rosen = [](const Vector& x, Vector* g) {
    if (g && g->size()) {
      (*g)(0) = -400 * x(0) * (x(1) - x(0) * x(0)) - 2 * (1 - x(0));
      (*g)(1) = 200 * (x(1) - x(0) * x(0));
    }
    return 100 * std::pow(x(1) - x(0) * x(0), 2) + std::pow(1 - x(0), 2);
  };
  Vector x0(2);
  x0 << -1.2, 1.0;
  for (auto a : {numerics::Algorithm::Lbfgs, numerics::Algorithm::Slsqp}) {
    numerics::MinimizeOptions fd;
    fd.algorithm = a;
    numerics::MinimizeOptions an = fd;
    an.analytic_gradient = true;
    auto rf = numerics::minimize(rosen, x0, fd);
    auto ra = numerics::minimize(rosen, x0, an);
    INFO(rf.summary() << " | " << ra.summary());
    REQUIRE(ra.ok());
    CHECK(std::abs(ra.x(0) - 1.0) < 1e-6);
    CHECK(std::abs(ra.x(1) - 1.0) < 1e-6);
    CHECK(ra.evaluations < rf.evaluations);
  }
  // constrained, gradient path: SLSQP with analytic objective and constraint gradients
  numerics::MinimizeOptions o;
  o.analytic_gradient = true;
  o.constraints = {sum_le_one()};
  auto r = numerics::minimize(quad, Vector::Zero(2), o);
  REQUIRE(r.ok());
  CHECK(r.algorithm == "slsqp");
  CHECK(std::abs(r.x(0) - 1.0) < 1e-6);
  CHECK(std::abs(r.x(1)) < 1e-6);
}

TEST_CASE("optimal simple rule with a binding coefficient constraint and a moment cap", "[policy][constraints][osr]") {
  namespace fs = std::filesystem;
  fs::path mod = fs::path(GOVSIM_SOURCE_DIR) / "examples/models/nk_demand.mod";
  if (!fs::exists(mod)) {
    GOVSIM_SKIP("examples/models/nk_demand.mod not found: test skipped");
  }
  auto m = dsge::parse_model_file(mod.string());
  auto w = policy::LossWeights::from_entries(m.endo_names(), {{"pi", "pi", 1.0}, {"y", "y", 1.0}, {"i", "i", 0.1}});
  policy::OsrOptions o;
  o.params = {"phi_pi", "phi_y"};
  o.lower = Vector::Constant(2, 0.0);
  o.upper = Vector::Constant(2, 10.0);
  auto free = policy::optimal_simple_rule(m, w, o);
  REQUIRE(free.ok());
  INFO(free.summary());
  REQUIRE(free.params(1) > 0.6);  // the unconstrained optimum has phi_y above the cap
  numerics::Constraint cap;
  cap.fn = [](const Vector& x, Vector* g) {
    if (g && g->size()) *g << 0.0, 1.0;
    return x(1) - 0.5;
  };
  cap.analytic_gradient = true;
  cap.name = "phi_y <= 0.5";
  o.minimizer.constraints = {cap};
  auto con = policy::optimal_simple_rule(m, w, o);
  INFO(con.summary());
  REQUIRE(con.ok());
  CHECK(con.algorithm == "cobyla");
  CHECK(con.feasible);
  CHECK(con.params(1) <= 0.5 + 1e-8);
  CHECK(std::abs(con.params(1) - 0.5) < 1e-6);  // binds
  CHECK(con.loss >= free.loss);
  REQUIRE(con.constraint_names.size() == 1);
  CHECK(con.constraint_names[0] == "phi_y <= 0.5");

  // moment cap: var(i) <= 80% of its value at the unconstrained optimum
  Index ii = 0;
  for (Index k = 0; k < m.n_endo(); ++k)
    if (m.endo_names()[static_cast<std::size_t>(k)] == "i") ii = k;
  double vi = free.covariance(ii, ii);
  policy::SolutionConstraint vcap;
  vcap.fn = [ii, vi](const Vector&, const dsge::PerturbationResult& sol) {
    auto c = dsge::unconditional_covariance(sol);
    return c.ok() ? c.covariance(ii, ii) - 0.8 * vi : std::numeric_limits<double>::quiet_NaN();
  };
  vcap.tolerance = 1e-9;
  vcap.name = "var(i) cap";
  policy::OsrOptions o2 = o;
  o2.minimizer.constraints.clear();
  o2.solution_constraints = {vcap};
  auto mom = policy::optimal_simple_rule(m, w, o2);
  INFO(mom.summary());
  REQUIRE(mom.ok());
  CHECK(mom.feasible);
  CHECK(mom.covariance(ii, ii) <= 0.8 * vi + 1e-8);
  CHECK(std::abs(mom.covariance(ii, ii) - 0.8 * vi) < 1e-5 * vi);  // binds
  CHECK(mom.loss >= free.loss);
}
