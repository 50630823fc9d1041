// OccBin-style piecewise-linear ZLB: equals perfect foresight on a model that is linear apart
// from the kink; close to it (same binding periods up to one) on the nonlinear nk_zlb model.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/occbin.hpp>
#include <govsim/dsge/perfect_foresight.hpp>

#include "../support.hpp"

#include <cmath>

using namespace govsim;
using namespace govsim::dsge;

namespace {
const std::string kPiecewise = test::fixture_model_text("small_zlb.mod");
}  // namespace

TEST_CASE("OccBin equals perfect foresight on a piecewise-linear model", "[occbin]") {
  Model m = parse_model(kPiecewise, "pw");
  auto prob = make_perfect_foresight_problem(m, 80);
  prob.exo(1, 0) = -0.03;
  prob.exo(2, 0) = -0.01;
  auto pf = solve_perfect_foresight(m, prob);
  REQUIRE(pf.ok());
  auto ob = solve_occbin(m, {"R", "Rn", 0.0, true, -1}, prob);
  INFO(ob.summary());
  REQUIRE(ob.ok());
  CHECK(ob.paths.rows() == 82);
  CHECK((ob.paths - pf.paths).cwiseAbs().maxCoeff() < 1e-9);
  auto b = ob.binding_periods();
  REQUIRE_FALSE(b.empty());
  CHECK(b.front() == 1);
  for (Index t = 1; t <= 80; ++t) CHECK((std::abs(pf.paths(t, 2)) < 1e-12) == (ob.binding[static_cast<std::size_t>(t)] != 0));
  // a small shock never binds: OccBin is the linear solution
  auto small = make_perfect_foresight_problem(m, 80);
  small.exo(1, 0) = -0.001;
  auto os = solve_occbin(m, {"R", "Rn", 0.0}, small);
  REQUIRE(os.ok());
  CHECK(os.binding_periods().empty());
  CHECK_THROWS_AS(solve_occbin(m, {"nope", "Rn", 0.0}, prob), ModelError);
}

TEST_CASE("OccBin on nk_zlb is close to the nonlinear perfect-foresight answer", "[occbin][dynare]") {
  auto dir = test::shared_dir();
  if (!dir) {
    GOVSIM_SKIP("shared reference folder absent (set GOVSIM_SHARED_DIR): test skipped");
  }
  Model m = parse_model_file((*dir / "reference/dynare/cases/nk_zlb/model.mod").string());
  auto prob = make_perfect_foresight_problem(m, 100);
  auto pf = solve_perfect_foresight(m, prob);
  auto ob = solve_occbin(m, {"R", "Rn", 1.0}, prob);
  INFO(ob.summary());
  REQUIRE(pf.ok());
  REQUIRE(ob.ok());
  const auto b = ob.binding_periods();
  REQUIRE_FALSE(b.empty());
  CHECK(b.front() == 1);
  CHECK(b.size() == 9);  // same binding periods as perfect foresight: 1-9
  // Consumption agrees to a third of its trough: the piecewise-linear model misses the
  // Rotemberg cost (c = y (1 - psi/2 (pi-1)^2)), which is large at pi = 0.95.
  const Index ic = 0;
  const double trough = pf.paths.col(ic).minCoeff() - pf.paths(101, ic);
  CHECK((ob.paths.col(ic) - pf.paths.col(ic)).cwiseAbs().maxCoeff() < 0.35 * std::abs(trough));
  CHECK((ob.paths.bottomRows(60) - pf.paths.bottomRows(60)).cwiseAbs().maxCoeff() < 1e-3);
}
