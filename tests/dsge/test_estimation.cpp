// Priors, maximum likelihood on simulated data, MCMC on a conjugate posterior, checkpoint/resume.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/dsge/estimation.hpp>
#include <govsim/dsge/priors.hpp>
#include <govsim/dsge/model_solver.hpp>

#include "../support.hpp"

#include <cmath>
#include <filesystem>
#include <random>

using namespace govsim;

namespace {
// mean and std of a prior by the trapezoid rule on [lo, hi]
void moments(const dsge::Prior& p, double lo, double hi, double& mass, double& mean, double& sd) {
  const int n = 400000;
  double h = (hi - lo) / n, m0 = 0, m1 = 0, m2 = 0;
  for (int i = 1; i < n; ++i) {
    double x = lo + i * h, d = std::exp(p.log_pdf(x));
    m0 += d * h;
    m1 += x * d * h;
    m2 += x * x * d * h;
  }
  mass = m0;
  mean = m1 / m0;
  sd = std::sqrt(m2 / m0 - mean * mean);
}

const char* kModel = R"(
var y pi i ud us um;
varexo eps_d eps_s eps_m;
parameters beta sigma kappa phi_pi phi_y rho_i rho_d rho_s rho_m;
beta = 0.99; sigma = 1; kappa = 0.17; phi_pi = 1.5; phi_y = 0.125; rho_i = 0.8; rho_d = 0.8; rho_s = 0.5; rho_m = 0.3;
model(linear);
  y  = y(+1) - (1/sigma)*(i - pi(+1)) + ud;
  pi = beta*pi(+1) + kappa*y + us;
  i  = rho_i*i(-1) + (1-rho_i)*(phi_pi*pi + phi_y*y) + um;
  ud = rho_d*ud(-1) + eps_d;
  us = rho_s*us(-1) + eps_s;
  um = rho_m*um(-1) + eps_m;
end;
shocks; var eps_d; stderr 1.0; var eps_s; stderr 0.5; var eps_m; stderr 0.25; end;
varobs y pi i;
)";
}  // namespace

TEST_CASE("priors have Dynare's mean and standard deviation", "[estimation][priors]") {
  double mass, mean, sd;
  auto b = dsge::Prior::make("beta_pdf", 0.5, 0.2, NAN, NAN);
  CHECK(b.a == Approx(2.625).epsilon(1e-12));
  moments(b, 0, 1, mass, mean, sd);
  CHECK(mass == Approx(1).epsilon(1e-5));
  CHECK(mean == Approx(0.5).epsilon(1e-5));
  CHECK(sd == Approx(0.2).epsilon(1e-4));
  auto g = dsge::Prior::make("gamma_pdf", 1.5, 0.25, NAN, NAN);
  moments(g, 0, 10, mass, mean, sd);
  CHECK(mean == Approx(1.5).epsilon(1e-5));
  CHECK(sd == Approx(0.25).epsilon(1e-4));
  auto ig = dsge::Prior::make("inv_gamma_pdf", 0.5, 0.3, NAN, NAN);
  moments(ig, 1e-6, 400, mass, mean, sd);
  CHECK(mass == Approx(1).epsilon(1e-4));
  CHECK(mean == Approx(0.5).epsilon(1e-3));
  auto n = dsge::Prior::make("normal_pdf", 1.0, 2.0, NAN, NAN);
  CHECK(n.log_pdf(1.0) == Approx(-std::log(2.0) - 0.5 * std::log(2 * M_PI)));
  auto u = dsge::Prior::make("uniform_pdf", NAN, NAN, 0.0, 4.0);
  CHECK(u.log_pdf(1.0) == Approx(-std::log(4.0)));
  CHECK(std::isinf(u.log_pdf(5.0)));
  CHECK_THROWS_AS(dsge::Prior::make("beta_pdf", 0.5, 0.6, NAN, NAN), OptionsError);
  CHECK_THROWS_AS(dsge::Prior::make("cauchy_pdf", 0.5, 0.6, NAN, NAN), OptionsError);
}

TEST_CASE("maximum likelihood recovers the parameters of simulated data", "[estimation][ml]") {
  auto m = dsge::parse_model(kModel);
  dsge::ModelSolver s(m, {});
  auto sol = s.solve(Vector()).solution;
  REQUIRE(sol.ok());
  auto ss = dsge::make_state_space(sol, m.varobs());
  std::mt19937_64 g(7);
  std::normal_distribution<double> nd;
  const Index T = 1500;
  Matrix data(T, 3);
  Vector a = Vector::Zero(ss.T.rows());
  Vector sd = ss.Q.diagonal().cwiseSqrt();
  for (Index t = -100; t < T; ++t) {
    Vector e(3);
    for (int j = 0; j < 3; ++j) e(j) = sd(j) * nd(g);
    a = ss.T * a + ss.R * e;
    if (t >= 0)
      for (int k = 0; k < 3; ++k) data(t, k) = a(ss.obs_rows[static_cast<std::size_t>(k)]);
  }
  std::vector<dsge::EstimatedParameter> ps;
  for (auto [name, init] : std::vector<std::pair<std::string, double>>{
           {"phi_pi", 1.3}, {"rho_i", 0.7}, {"rho_d", 0.6}, {"stderr eps_d", 0.8}, {"stderr eps_m", 0.4}}) {
    dsge::EstimatedParameter p;
    p.label = name;
    p.init = init;
    p.lower = 0.0;
    p.upper = name == "phi_pi" ? 10.0 : (name.rfind("rho", 0) == 0 ? 0.999 : 10.0);
    ps.push_back(p);
  }
  dsge::Estimator est(m, ps, m.varobs(), data);
  auto r = dsge::posterior_mode(est);
  INFO(r.summary());
  REQUIRE(r.ok());
  Vector truth(5);
  truth << 1.5, 0.8, 0.8, 1.0, 0.25;
  for (Index i = 0; i < 5; ++i) {
    INFO(r.labels[static_cast<std::size_t>(i)]);
    CHECK(std::abs(r.mode(i) - truth(i)) < 4 * r.std_at_mode(i));
    CHECK(r.std_at_mode(i) < 0.2 * truth(i));
  }
  CHECK(r.log_likelihood >= est.log_likelihood(truth));
}

TEST_CASE("MCMC reproduces a conjugate normal posterior", "[estimation][mcmc]") {
  // y_i ~ N(mu, 1), i = 1..n, prior mu ~ N(m0, s0^2), two independent means
  const double n = 50, ybar1 = 0.7, ybar2 = -1.3, m0 = 0, s0 = 2;
  auto post = [&](double ybar, double& mean, double& sd) {
    double prec = 1 / (s0 * s0) + n;
    sd = std::sqrt(1 / prec);
    mean = (m0 / (s0 * s0) + n * ybar) / prec;
  };
  double mu1, sd1, mu2, sd2;
  post(ybar1, mu1, sd1);
  post(ybar2, mu2, sd2);
  auto make = [&]() -> dsge::LogDensity {
    return [=](const Vector& x) {
      double l = 0;
      l += -0.5 * n * (x(0) - ybar1) * (x(0) - ybar1) - 0.5 * (x(0) - m0) * (x(0) - m0) / (s0 * s0);
      l += -0.5 * n * (x(1) - ybar2) * (x(1) - ybar2) - 0.5 * (x(1) - m0) * (x(1) - m0) / (s0 * s0);
      return l;
    };
  };
  dsge::McmcOptions o;
  o.chains = 4;
  o.draws = 20000;
  o.jscale = 2.4 / std::sqrt(2.0);
  o.seed = 11;
  Matrix cov = Matrix::Identity(2, 2) * sd1 * sd1;
  auto r = dsge::random_walk_metropolis(make, {"mu1", "mu2"}, Vector::Zero(2), cov, o);
  REQUIRE(r.ok());
  // Monte Carlo error of the mean with ~40000 kept draws and an inefficiency factor below 10: < 0.02 sd
  CHECK(std::abs(r.summary_table(0, 0) - mu1) < 0.05 * sd1);
  CHECK(std::abs(r.summary_table(1, 0) - mu2) < 0.05 * sd2);
  CHECK(std::abs(r.summary_table(0, 1) / sd1 - 1) < 0.05);
  CHECK(std::abs(r.summary_table(1, 1) / sd2 - 1) < 0.05);
  CHECK(std::abs(r.summary_table(0, 2) - (mu1 - 1.6448536 * sd1)) < 0.1 * sd1);
  CHECK(r.rhat.maxCoeff() < 1.01);
  CHECK(r.acceptance.minCoeff() > 0.2);
  CHECK(r.acceptance.maxCoeff() < 0.6);
  // chains are reproducible and independent of the thread count
  o.threads = 1;
  auto r1 = dsge::random_walk_metropolis(make, {"mu1", "mu2"}, Vector::Zero(2), cov, o);
  for (int c = 0; c < 4; ++c) CHECK(r1.chains[static_cast<std::size_t>(c)] == r.chains[static_cast<std::size_t>(c)]);
}

TEST_CASE("an interrupted and resumed MCMC run gives the same draws", "[estimation][mcmc][checkpoint]") {
  auto make = []() -> dsge::LogDensity {
    return [](const Vector& x) { return -0.5 * x.squaredNorm() - (x(0) < -3 ? INFINITY : 0.0) * 0; };
  };
  auto dir = std::filesystem::temp_directory_path() / ("govsim_mcmc_ckpt_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  dsge::McmcOptions o;
  o.chains = 3;
  o.draws = 3000;
  o.seed = 5;
  o.checkpoint_every = 250;
  Matrix cov = Matrix::Identity(3, 3);
  auto full = dsge::random_walk_metropolis(make, {"a", "b", "c"}, Vector::Zero(3), cov, o);
  REQUIRE(full.ok());
  o.checkpoint_dir = dir.string();
  int calls = 0;
  o.on_iteration = [&](const IterationInfo&) { return ++calls < 20; };  // "kill" after ~2000 draws
  auto part = dsge::random_walk_metropolis(make, {"a", "b", "c"}, Vector::Zero(3), cov, o);
  CHECK(part.status == Status::UserStopped);
  CHECK(part.draws_done < o.draws);
  o.on_iteration = nullptr;
  auto resumed = dsge::random_walk_metropolis(make, {"a", "b", "c"}, Vector::Zero(3), cov, o);
  REQUIRE(resumed.ok());
  for (int c = 0; c < 3; ++c) {
    REQUIRE(resumed.chains[static_cast<std::size_t>(c)].rows() == o.draws);
    CHECK(resumed.chains[static_cast<std::size_t>(c)] == full.chains[static_cast<std::size_t>(c)]);
  }
  CHECK(resumed.acceptance == full.acceptance);
  // a checkpoint written for other inputs is rejected before any chain runs, naming the difference
  o.seed = 6;
  CHECK_THROWS_WITH(dsge::random_walk_metropolis(make, {"a", "b", "c"}, Vector::Zero(3), cov, o),
                    Catch::Contains("seed (checkpoint 5, now 6)"));
  o.seed = 5;
  o.target_fingerprint = "another target";
  CHECK_THROWS_AS(dsge::random_walk_metropolis(make, {"a", "b", "c"}, Vector::Zero(3), cov, o), DataError);
  o.target_fingerprint.clear();
  CHECK_THROWS_WITH(dsge::random_walk_metropolis(make, {"a", "b", "c"}, Vector::Zero(3), 2.0 * cov, o),
                    Catch::Contains("proposal covariance"));
  o.draws = 100;
  CHECK_THROWS_WITH(dsge::random_walk_metropolis(make, {"a", "b", "c"}, Vector::Zero(3), cov, o),
                    Catch::Contains("more than the 100 requested"));
  std::filesystem::remove_all(dir);
}
