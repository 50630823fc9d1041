// Every example model in examples/models parses, has a steady state with static residuals below
// 1e-10, and linearizes (dynamic Jacobian in Dynare's layout, finite, the right shape).
#include <catch2/catch.hpp>

#include <govsim/dsge/model.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

using namespace govsim;
using namespace govsim::dsge;

namespace {
std::vector<std::string> example_models() {
  std::vector<std::string> files;
  const std::filesystem::path dir = std::filesystem::path(GOVSIM_SOURCE_DIR) / "examples" / "models";
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".mod") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

TEST_CASE("example models: at least 8 of them", "[dsge]") {
  CHECK(example_models().size() >= 8);
}

TEST_CASE("example models parse, solve their steady state and linearize", "[dsge]") {
  for (const std::string& path : example_models()) {
    INFO(path);
    Model m = parse_model_file(path);
    CHECK(m.warnings().empty());
    CHECK(m.n_declared_equations() == m.n_declared_endo());
    // the last command is stoch_simul(order=1, irf=..., nograph) (irf=20 in ours)
    REQUIRE(!m.commands().empty());
    const Command& last = m.commands().back();
    CHECK(last.name == "stoch_simul");
    CHECK(last.option_number("order", 0) == 1);
    CHECK(last.has_option("irf"));
    CHECK(last.has_option("nograph"));

    SteadyStateResult ss = solve_steady_state(m);
    INFO(ss.summary());
    REQUIRE(ss.ok());
    Model mp = m;
    mp.set_params(ss.params);
    const Vector res = mp.static_residuals(ss.values);
    CHECK(res.size() == m.n_endo());
    CHECK(res.cwiseAbs().maxCoeff() < 1e-10);

    LinearizedModel lin = linearize(mp, ss.values);
    CHECK(lin.endo_names.size() == static_cast<std::size_t>(m.n_endo()));
    CHECK(lin.jacobian.rows() == m.n_endo());
    CHECK(lin.jacobian.cols() ==
          static_cast<Index>(lin.lagged.size() + lin.leads.size()) + m.n_endo() + m.n_exo());
    CHECK(lin.jacobian.allFinite());
    CHECK(lin.Sigma_e.rows() == m.n_exo());
    // the dynamic residuals vanish at the steady state too
    CHECK(mp.dynamic_residuals(mp.dynamic_point(ss.values)).cwiseAbs().maxCoeff() < 1e-10);
  }
}

TEST_CASE("example models: long leads and lags become auxiliary variables", "[dsge]") {
  Model m = parse_model_file(std::string(GOVSIM_SOURCE_DIR) + "/examples/models/leads_lags.mod");
  CHECK(m.n_endo() > m.n_declared_endo());
  CHECK(!m.aux_variables().empty());
  Model ms = parse_model_file(std::string(GOVSIM_SOURCE_DIR) + "/examples/models/multisector.mod");
  CHECK(ms.n_declared_endo() == 3 + 7 * 5);
  Model mc = parse_model_file(std::string(GOVSIM_SOURCE_DIR) + "/examples/models/ces_locals.mod");
  CHECK(mc.local_variables().size() == 4);
}
