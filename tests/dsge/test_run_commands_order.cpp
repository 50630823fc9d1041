// The command interpreter (policy::run_commands: every command) runs the file in order, as Dynare
// does: each command sees the parameter values and the shocks blocks written before it; blocks
// and assignments after the last command change no result. Reference numbers: Dynare 5.3 (Octave) on the same text, oo_.var and oo_.irfs read
// after each stoch_simul.

#include <govsim/core/error.hpp>
#include <govsim/dsge/run_commands.hpp>
#include <govsim/policy/run_commands.hpp>

#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <string>
#include <vector>

using namespace govsim;

namespace {

bool close(double a, double b) { return std::fabs(a - b) <= 1e-10 * std::fabs(b) + 1e-15; }

// Two AR(1) processes; between the four stoch_simul commands the file changes a parameter, a
// standard error (keeping the covariance, as Dynare does), overwrites every shock, adds a
// covariance; after the last command it changes both again (no effect on any result).
const std::string kPositional =
    "var y z;\nvarexo e u;\nparameters rho a;\nrho = 0.5; a = 0.3;\n"
    "model(linear);\ny = rho*y(-1) + e + a*u;\nz = 0.8*z(-1) + u;\nend;\n"
    "shocks;\nvar e; stderr 0.1;\nvar u; stderr 0.2;\ncorr e, u = 0.5;\nend;\n"
    "stoch_simul(order=1, irf=3, nograph, nocorr);\n"
    "rho = 0.9;\n"
    "shocks;\nvar e; stderr 0.3;\nend;\n"
    "stoch_simul(order=1, irf=3, nograph, nocorr);\n"
    "shocks(overwrite);\nvar u; stderr 0.4;\nend;\n"
    "stoch_simul(order=1, irf=3, nograph, nocorr);\n"
    "shocks;\nvar e, u = 0.01;\nvar e; stderr 0.1;\nend;\n"
    "rho = 0.7;\n"
    "stoch_simul(order=1, irf=3, nograph, nocorr);\n"
    "rho = 0.2;\n"
    "shocks;\nvar e = 0;\nend;\n";

void check_matrix(const Matrix& m, const std::vector<double>& column_major) {
  REQUIRE(m.size() == static_cast<Index>(column_major.size()));
  for (Index k = 0; k < m.size(); ++k) {
    INFO("entry " << k << ": " << m(k % m.rows(), k / m.rows()) << " vs " << column_major[static_cast<std::size_t>(k)]);
    CHECK(close(m(k % m.rows(), k / m.rows()), column_major[static_cast<std::size_t>(k)]));
  }
}

void check_vector(const Vector& v, const std::vector<double>& ref) {
  REQUIRE(v.size() == static_cast<Index>(ref.size()));
  for (Index k = 0; k < v.size(); ++k) {
    INFO("entry " << k << ": " << v[k] << " vs " << ref[static_cast<std::size_t>(k)]);
    CHECK(close(v[k], ref[static_cast<std::size_t>(k)]));
  }
}

}  // namespace

TEST_CASE("run_commands: each command sees the parameters and shocks blocks before it (Dynare 5.3)",
          "[run_commands][order]") {
  const dsge::Model m = dsge::parse_model(kPositional, "positional.mod");
  const auto r = policy::run_commands(m);
  INFO(r.error_message);
  REQUIRE(r.ok());
  const auto sims = r.results_of<dsge::StochSimulResult>();
  REQUIRE(sims.size() == 4);
  for (const auto* s : sims) REQUIRE((s->moments && s->irfs));
  // Dynare 5.3 oo_.var after each stoch_simul
  check_matrix(sims[0]->moments->covariance,
               {0.026133333333333338, 0.036666666666666674, 0.036666666666666674, 0.11111111111111117});
  check_matrix(sims[1]->moments->covariance,
               {0.52421052631578957, 0.078571428571428598, 0.078571428571428598, 0.11111111111111117});
  check_matrix(sims[2]->moments->covariance,
               {0.075789473684210545, 0.17142857142857149, 0.17142857142857151, 0.4444444444444447});
  check_matrix(sims[3]->moments->covariance,
               {0.059607843137254909, 0.13181818181818183, 0.13181818181818183, 0.4444444444444447});
  // oo_.irfs.y_e (first, second command) and oo_.irfs.y_u (fourth)
  check_vector(sims[0]->irfs->response("e", "y"), {0.130000000000035, 0.065000000000017502, 0.032500000000008751});
  check_vector(sims[1]->irfs->response("e", "y"), {0.31000000000001615, 0.27900000000001457, 0.25110000000001315});
  check_vector(sims[3]->irfs->response("u", "y"), {0.11618950038623027, 0.081332650270361184, 0.056932855189252826});
  // the third command: the overwrite block left e without variance: no response to e (Dynare
  // skips shocks with a zero variance), the first-order rules are those of rho = 0.9
  CHECK(sims[2]->first.ghx(0, 0) == Approx(0.9).epsilon(1e-14));
  CHECK(sims[3]->first.ghx(0, 0) == Approx(0.7).epsilon(1e-14));
  // the run's parameters and steady state are those of the last command, the model's Sigma_e
  // (M_.Sigma_e at the end of Dynare's run) includes every block
  CHECK(r.params[0] == 0.2);  // the file's values (RunResult::params)
  const Matrix S = m.Sigma_e();
  CHECK(S(0, 0) == 0.0);
  CHECK(close(S(0, 1), 0.01));
  CHECK(close(S(1, 1), 0.16));
  CHECK(m.param("rho") == 0.2);
}

TEST_CASE("run_commands: shocks blocks and assignments after the last command have no effect",
          "[run_commands][order]") {
  const std::string head =
      "var y; varexo e; parameters rho; rho = 0.5;\nmodel; y = rho*y(-1) + e; end;\n"
      "shocks; var e; stderr 0.1; end;\nstoch_simul(order=1, irf=4, nograph);\n";
  const auto plain = policy::run_commands(dsge::parse_model(head, "a.mod"));
  const auto tail = policy::run_commands(
      dsge::parse_model(head + "rho = 0.9;\nshocks; var e; stderr 5; end;\nshocks(overwrite); end;\n", "b.mod"));
  REQUIRE(plain.ok());
  REQUIRE(tail.ok());
  const auto& p = *plain.results_of<dsge::StochSimulResult>().at(0);
  const auto& t = *tail.results_of<dsge::StochSimulResult>().at(0);
  CHECK(t.first.ghx == p.first.ghx);
  CHECK(t.first.Sigma_e == p.first.Sigma_e);
  CHECK(t.irfs->response("e") == p.irfs->response("e"));
  CHECK(t.moments->covariance == p.moments->covariance);
  // the variance of y: sigma^2 / (1 - rho^2)
  CHECK(close(p.moments->covariance(0, 0), 0.01 / 0.75));
}

TEST_CASE("run_commands: a value set on the model is kept unless the file changes it after the command",
          "[run_commands][order]") {
  dsge::Model m = dsge::parse_model(
      "var y; varexo e; parameters rho b; rho = 0.5; b = 1;\nmodel; y = rho*y(-1) + b*e; end;\n"
      "shocks; var e; stderr 0.1; end;\nstoch_simul(order=1, irf=0, nograph);\nb = 2;\n"
      "stoch_simul(order=1, irf=0, nograph);\n",
      "c.mod");
  m.set_param("rho", 0.8);
  m.set_param("b", 3);  // the file sets b = 1 for the first command
  const auto r = policy::run_commands(m);
  REQUIRE(r.ok());
  const auto sims = r.results_of<dsge::StochSimulResult>();
  REQUIRE(sims.size() == 2);
  CHECK(sims[0]->first.ghx(0, 0) == 0.8);
  CHECK(sims[0]->first.ghu(0, 0) == 1.0);
  CHECK(sims[1]->first.ghu(0, 0) == 3.0);
}

TEST_CASE("run_commands: a parameter assigned only after a command is reported", "[run_commands][order]") {
  const auto r = policy::run_commands(dsge::parse_model(
      "var y; varexo e; parameters rho b; rho = 0.5;\nmodel; y = rho*y(-1) + e; end;\n"
      "shocks; var e; stderr 0.1; end;\nstoch_simul(order=1, irf=0, nograph);\nb = 2;\n",
      "d.mod"));
  REQUIRE(r.ok());
  bool found = false;
  for (const auto& w : r.warnings)
    if (w.message.find("parameter 'b' has no value yet at this command") != std::string::npos && w.where.line == 4)
      found = true;
  CHECK(found);
}

TEST_CASE("run_commands: deterministic shocks after perfect_foresight_setup do not apply to it",
          "[run_commands][order]") {
  const std::string head =
      "var y; varexo e; parameters rho; rho = 0.5;\nmodel; y = rho*y(-1) + e; end;\n"
      "initval; y = 0; e = 0; end; steady;\n"
      "shocks; var e; periods 1; values 0.1; end;\nperfect_foresight_setup(periods=20);\n";
  const auto plain = policy::run_commands(dsge::parse_model(head + "perfect_foresight_solver;\n", "p.mod"));
  const auto late = policy::run_commands(dsge::parse_model(
      head + "shocks; var e; periods 2; values 0.5; end;\nperfect_foresight_solver;\n", "q.mod"));
  REQUIRE(plain.ok());
  REQUIRE(late.ok());
  const auto& a = plain.results_of<dsge::PerfectForesightRunResult>().at(0)->result.paths;
  const auto& b = late.results_of<dsge::PerfectForesightRunResult>().at(0)->result.paths;
  CHECK(a == b);
  CHECK(close(a(1, 0), 0.1));
  CHECK(close(a(2, 0), 0.05));
}

TEST_CASE("run_commands: shocks or parameters changed after an optimal-policy command are refused",
          "[run_commands][order]") {
  const std::string base =
      "var pi y i u; varexo e; parameters beta kappa rho;\nbeta = 0.99; kappa = 0.1; rho = 0.5;\n"
      "model(linear);\npi = beta*pi(+1) + kappa*y + u;\ny = y(+1) - (i - pi(+1));\nu = rho*u(-1) + e;\nend;\n"
      "shocks; var e; stderr 0.01; end;\nplanner_objective pi^2 + 0.25*y^2;\n"
      "ramsey_model(planner_discount=0.99, instruments=(i));\n";
  const auto ok = policy::run_commands(dsge::parse_model(base + "stoch_simul(order=1, irf=4, nograph);\n", "r.mod"));
  INFO(ok.error_message);
  REQUIRE(ok.ok());
  const auto bad = policy::run_commands(
      dsge::parse_model(base + "shocks; var e; stderr 0.02; end;\nstoch_simul(order=1, irf=4, nograph);\n", "s.mod"));
  CHECK(bad.failure == dsge::RunFailure::BadInput);
  CHECK(bad.error_message.find("s.mod:12: stoch_simul: shocks blocks changed after ramsey_model") != std::string::npos);
  const auto bad2 =
      policy::run_commands(dsge::parse_model(base + "rho = 0.7;\nstoch_simul(order=1, irf=4, nograph);\n", "t.mod"));
  CHECK(bad2.failure == dsge::RunFailure::BadInput);
  CHECK(bad2.error_message.find("parameter values changed after ramsey_model") != std::string::npos);
}

namespace {
// Three shocks, v with zero variance, e and u correlated.
const std::string kIrfModel =
    "var y z w;\nvarexo e u v;\nparameters rho;\nrho = 0.5;\n"
    "model(linear);\ny = rho*y(-1) + e + 0.3*u;\nz = 0.8*z(-1) + u + v;\nw = 0.4*y + z;\nend;\n"
    "shocks;\nvar e; stderr 0.1;\nvar u; stderr 0.2;\nvar v = 0;\ncorr e, u = 0.5;\nend;\n";

const dsge::StochSimulResult& only_stoch_simul(const dsge::RunResult& r) {
  INFO(r.error_message);
  REQUIRE(r.ok());
  const auto sims = r.results_of<dsge::StochSimulResult>();
  REQUIRE(sims.size() == 1);
  return *sims[0];
}
}  // namespace

TEST_CASE("stoch_simul: no responses to zero-variance shocks; irf_shocks and relative_irf (Dynare 5.3)",
          "[run_commands][irf]") {
  {
    const auto r = policy::run_commands(
        dsge::parse_model(kIrfModel + "stoch_simul(order=1, irf=3, nograph);\n", "all.mod"));
    const auto& s = only_stoch_simul(r);
    REQUIRE(s.irfs);
    CHECK(s.irfs->shock_names == Names{"e", "u"});  // Dynare: Sigma_e(v, v) <= 1e-13, no oo_.irfs.*_v
    CHECK(s.irfs->impulses.cols() == 2);
    CHECK_THROWS_AS(s.irfs->response("v"), ModelError);
  }
  {
    const auto r = policy::run_commands(
        dsge::parse_model(kIrfModel + "stoch_simul(order=1, irf=3, nograph, irf_shocks=(u, v));\n", "sub.mod"));
    const auto& s = only_stoch_simul(r);
    for (const auto& w : r.warnings) CHECK(w.message.find("irf_shocks") == std::string::npos);
    REQUIRE(s.irfs);
    CHECK(s.irfs->shock_names == Names{"u"});  // Dynare: oo_.irfs has y_u, z_u, w_u only
    check_vector(s.irfs->response("u", "y"), {0.051961524227083639, 0.025980762113541819, 0.01299038105677091});
    check_vector(s.irfs->response("u", "w"), {0.19398969044777895, 0.1489563694509731, 0.11604740410715346});
  }
  {
    const auto r = policy::run_commands(
        dsge::parse_model(kIrfModel + "stoch_simul(order=1, irf=3, nograph, relative_irf);\n", "rel.mod"));
    const auto& s = only_stoch_simul(r);
    REQUIRE(s.irfs);
    CHECK(s.irfs->shock_names == Names{"e", "u"});
    check_vector(s.irfs->response("e", "y"), {129.99999999997002, 64.999999999985008, 32.499999999992504});
    check_vector(s.irfs->response("u", "w"), {112.00000000000003, 86, 67});
  }
  const auto bad = policy::run_commands(
      dsge::parse_model(kIrfModel + "stoch_simul(order=1, irf=3, irf_shocks=(u, nope));\n", "bad.mod"));
  CHECK(bad.failure == dsge::RunFailure::BadInput);
  CHECK(bad.error_message.find("bad.mod:16") != std::string::npos);
  CHECK(bad.error_message.find("'nope' is not a shock") != std::string::npos);
}

// Every option Dynare 5.3 accepts on stoch_simul: handled (no warning), ignored with a warning
// naming it (the results do not depend on it: output control, solver algorithms giving the same
// rules), or refused with exit 2 naming it (it would change the numbers and is not implemented).
TEST_CASE("stoch_simul options: handled, warned about or refused, never silently changing numbers",
          "[run_commands][options]") {
  enum class Outcome { Handled, Warned, Refused };
  const std::vector<std::pair<std::string, Outcome>> table{
      {"order=1", Outcome::Handled},
      {"irf=2", Outcome::Handled},
      {"ar=2", Outcome::Handled},
      {"nograph", Outcome::Handled},
      {"noprint", Outcome::Handled},
      {"periods=20", Outcome::Handled},
      {"drop=10", Outcome::Handled},
      {"irf_plot_threshold=0.1", Outcome::Handled},
      {"nomoments", Outcome::Handled},
      {"nocorr", Outcome::Handled},
      {"nofunctions", Outcome::Handled},
      {"qz_criterium=1.000001", Outcome::Handled},
      {"conditional_variance_decomposition=[1 4]", Outcome::Handled},
      {"irf_shocks=(e)", Outcome::Handled},
      {"order=1, relative_irf", Outcome::Handled},
      {"graph_format=eps", Outcome::Handled},
      {"tex", Outcome::Handled},
      {"nodisplay", Outcome::Handled},
      {"nodecomposition", Outcome::Handled},
      {"graph", Outcome::Handled},
      {"print", Outcome::Handled},
      {"contemporaneous_correlation", Outcome::Handled},
      {"hp_ngrid=512", Outcome::Handled},
      {"filtered_theoretical_moments_grid=512", Outcome::Handled},
      {"simul_replic=2", Outcome::Warned},
      {"pruning", Outcome::Warned},
      {"k_order_solver", Outcome::Warned},
      {"logdata", Outcome::Warned},
      {"qz_zero_threshold=1e-10", Outcome::Warned},
      {"replic=10", Outcome::Warned},
      {"solve_algo=1", Outcome::Warned},
      {"aim_solver", Outcome::Warned},
      {"dr=cycle_reduction", Outcome::Warned},
      {"lyapunov=doubling", Outcome::Warned},
      {"lyapunov_fixed_point_tol=1e-10", Outcome::Warned},
      {"lyapunov_doubling_tol=1e-16", Outcome::Warned},
      {"sylvester=fixed_point", Outcome::Warned},
      {"sylvester_fixed_point_tol=1e-12", Outcome::Warned},
      {"dr_cycle_reduction_tol=1e-7", Outcome::Warned},
      {"dr_logarithmic_reduction_tol=1e-12", Outcome::Warned},
      {"dr_logarithmic_reduction_maxiter=100", Outcome::Warned},
      {"spectral_density", Outcome::Warned},
      {"loglinear", Outcome::Refused},
      {"hp_filter=1600", Outcome::Refused},
      {"one_sided_hp_filter=1600", Outcome::Refused},
      {"bandpass_filter", Outcome::Refused},
      {"partial_information", Outcome::Refused},
      {"relative_irf", Outcome::Refused},  // order 2 by default
  };
  for (const auto& [option, outcome] : table) {
    const std::string name = option.substr(option.rfind(' ') == std::string::npos ? 0 : option.rfind(' ') + 1);
    const std::string key = name.substr(0, name.find('='));
    INFO(option);
    const auto r = policy::run_commands(dsge::parse_model(kIrfModel + "stoch_simul(" + option + ");\n", "opt.mod"));
    bool warned = false;  // a warning naming the option as a word
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (const auto& w : r.warnings)
      for (auto at = w.message.find(key); at != std::string::npos; at = w.message.find(key, at + 1))
        if ((at == 0 || !word(w.message[at - 1])) &&
            (at + key.size() == w.message.size() || !word(w.message[at + key.size()])))
          warned = true;
    switch (outcome) {
      case Outcome::Handled:
        CHECK(r.ok());
        CHECK_FALSE(warned);
        break;
      case Outcome::Warned:
        CHECK(r.ok());
        CHECK(warned);
        break;
      case Outcome::Refused:
        CHECK(r.failure == dsge::RunFailure::BadInput);
        CHECK(r.error_message.find("opt.mod:16") != std::string::npos);
        CHECK(r.error_message.find(key) != std::string::npos);
        break;
    }
  }
}

// Options of other commands that would change Dynare's numbers and are not implemented: refused
// with the option's name and the command's location.
TEST_CASE("estimation, perfect foresight and osr options that change numbers are refused", "[run_commands][options]") {
  const std::string est =
      "var y; varexo e; parameters rho; rho = 0.5;\nmodel; y = rho*y(-1) + e; end;\n"
      "shocks; var e; stderr 0.1; end;\nvarobs y;\nestimated_params; rho, 0.5, 0, 0.99; end;\n";
  const std::string pf =
      "var y; varexo e; parameters rho; rho = 0.5;\nmodel; y = rho*y(-1) + e; end;\n"
      "initval; y = 0; end; steady;\nshocks; var e; periods 1; values 0.1; end;\n";
  const std::string osr =
      "var y i; varexo e; parameters rho phi; rho = 0.5; phi = 0.5;\nmodel; y = rho*y(-1) - i + e; i = phi*y; end;\n"
      "shocks; var e; stderr 0.1; end;\nosr_params phi;\noptim_weights; y 1; i 0.1; end;\n";
  const std::vector<std::pair<std::string, std::string>> table{
      {est + "estimation(datafile=d, prefilter=1);\n", "prefilter"},
      {est + "estimation(datafile=d, order=2);\n", "order"},
      {est + "estimation(datafile=d, loglinear);\n", "loglinear"},
      {est + "estimation(datafile=d, diffuse_filter);\n", "diffuse_filter"},
      {est + "estimation(datafile=d, mode_file=m);\n", "mode_file"},
      {est + "estimation(datafile=d, endogenous_prior);\n", "endogenous_prior"},
      {est + "estimation(datafile=d, load_mh_file);\n", "load_mh_file"},
      {est + "estimation(datafile=d, mh_recover);\n", "mh_recover"},
      {pf + "perfect_foresight_setup(periods=10, datafile=d);\n", "datafile"},
      {pf + "perfect_foresight_setup(periods=10, first_simulation_period=2);\n", "first_simulation_period"},
      {pf + "perfect_foresight_setup(periods=10, last_simulation_period=5);\n", "last_simulation_period"},
      {pf + "perfect_foresight_setup(periods=10);\nperfect_foresight_solver(linear_approximation);\n",
       "linear_approximation"},
      {pf + "perfect_foresight_setup(periods=10);\nperfect_foresight_solver(endogenous_terminal_period);\n",
       "endogenous_terminal_period"},
      {osr + "osr(loglinear);\n", "loglinear"},
  };
  for (const auto& [text, option] : table) {
    INFO(text);
    const auto r = policy::run_commands(dsge::parse_model(text, "o.mod"));
    CHECK(r.failure == dsge::RunFailure::BadInput);
    CHECK(r.error_message.find("o.mod:") == 0);
    CHECK(r.error_message.find("option '" + option) != std::string::npos);
  }
  // the same files without the option run (or fail only on the missing data file)
  const auto ok = policy::run_commands(dsge::parse_model(pf + "perfect_foresight_setup(periods=10);\nperfect_foresight_solver;\n", "o.mod"));
  CHECK(ok.ok());
  const auto osr_ok = policy::run_commands(dsge::parse_model(osr + "osr;\n", "o.mod"));
  INFO(osr_ok.error_message);
  CHECK(osr_ok.ok());
}
