// ModelBuilder: building models without writing .mod text.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/builder.hpp>
#include <govsim/dsge/steady_state.hpp>

using namespace govsim;
using namespace govsim::dsge;

TEST_CASE("ModelBuilder builds a multi-sector model", "[dsge]") {
  ModelBuilder b("sectors");
  const int n = 5;
  for (int i = 0; i < n; ++i) b.endogenous("q" + std::to_string(i), "output of sector " + std::to_string(i));
  b.exogenous("e");
  b.parameter("rho", 0.9).parameter("a", -0.1).parameter_expr("w", "1/5");
  for (int i = 0; i < n; ++i) {
    std::string q = "q" + std::to_string(i), prev = "q" + std::to_string((i + n - 1) % n);
    b.equation(q + " = rho*" + q + "(-1) + a*w*" + prev + " + e", "sector" + std::to_string(i));
  }
  b.shock_stderr("e", 0.01).command("stoch_simul", {{"order", "1"}, {"irf", "20"}}, {"q0"});
  Model m = b.build();
  CHECK(m.name() == "sectors");
  CHECK(m.n_endo() == n);
  CHECK(m.param("a") == -0.1);
  CHECK(m.param("w") == 0.2);
  CHECK(m.equations()[2].name() == "sector2");
  CHECK(m.commands().at(0).args == Names{"q0"});
  CHECK(m.symbols().at(SymbolType::Endogenous, 1).long_name == "output of sector 1");
  auto ss = solve_steady_state(m);
  REQUIRE(ss.ok());
  CHECK(ss.values.cwiseAbs().maxCoeff() < 1e-14);
  CHECK(m.Sigma_e()(0, 0) == Approx(1e-4));
  CHECK_THROWS_AS(ModelBuilder().endogenous("bad name"), ModelError);
  CHECK_THROWS_AS(ModelBuilder().endogenous("y").equation("y = z").build(), ParseError);
}
