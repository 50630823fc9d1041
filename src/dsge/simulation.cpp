// Seeded stochastic simulation of the first-order solution.
//
// std::normal_distribution is implementation-defined, so the same seed would give different
// draws with libstdc++ and libc++; we therefore draw normals ourselves (Box-Muller on 53-bit
// uniforms from std::mt19937_64, whose output sequence the standard fixes).

#include <govsim/core/error.hpp>
#include <govsim/dsge/detail/solution_access.hpp>
#include <govsim/dsge/simulation.hpp>

#include <cmath>
#include <random>
#include <sstream>

namespace govsim::dsge {

void SimulationOptions::validate() const {
  if (periods < 1) throw OptionsError("SimulationOptions: periods must be >= 1");
  if (drop < 0) throw OptionsError("SimulationOptions: drop must be >= 0");
}

std::string SimulationResult::summary() const {
  std::ostringstream os;
  os << "simulation: " << paths.rows() << " period(s) of " << var_names.size() << " variable(s), "
     << exo_names.size() << " shock(s), seed " << seed << "; status " << to_string(status);
  if (!message.empty()) os << ": " << message;
  return os.str();
}

namespace {

class NormalSource {
 public:
  explicit NormalSource(std::uint64_t seed) : gen_(seed) {}
  double operator()() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    constexpr double two_pi = 6.283185307179586476925286766559;
    const double u1 = 1.0 - uniform();  // in (0, 1]
    const double u2 = uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    spare_ = radius * std::sin(two_pi * u2);
    has_spare_ = true;
    return radius * std::cos(two_pi * u2);
  }

 private:
  double uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::mt19937_64 gen_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

SimulationResult run(const PerturbationResult& sol, const Matrix& shocks, Index drop, const SimulationOptions& opts) {
  SimulationResult r;
  r.var_names = detail::reported_names(sol, opts.include_auxiliary);
  r.exo_names = sol.exo_names;
  const Index n = static_cast<Index>(sol.endo_names.size());
  const Index nrep = static_cast<Index>(r.var_names.size());
  const Index periods = shocks.rows() - drop;
  Vector y = Vector::Zero(n);
  if (opts.initial_deviation.size() != 0) {
    if (opts.initial_deviation.size() != n) {
      std::ostringstream os;
      os << "SimulationOptions.initial_deviation has " << opts.initial_deviation.size() << " entries, expected " << n;
      throw DimensionError(os.str());
    }
    y = opts.initial_deviation;
  }
  r.paths.resize(periods, nrep);
  Vector next(n);
  for (Index t = 0; t < shocks.rows(); ++t) {
    next.noalias() = sol.A * y;
    next.noalias() += sol.B * shocks.row(t).transpose();
    y = next;
    if (t >= drop) {
      r.paths.row(t - drop) = y.head(nrep).transpose();
      if (!opts.deviations) r.paths.row(t - drop) += sol.steady_state.head(nrep).transpose();
    }
  }
  r.shocks = shocks.bottomRows(periods);
  if (!r.paths.allFinite()) {
    r.status = Status::NumericalIssue;
    r.message = "the simulated path has NaN or infinite values (explosive dynamics?)";
  }
  return r;
}

}  // namespace

SimulationResult simulate(const PerturbationResult& sol, const SimulationOptions& opts) {
  opts.validate();
  if (auto failed = detail::unusable_or_checked<SimulationResult>(sol, "a simulation")) return *failed;
  const Index ne = static_cast<Index>(sol.exo_names.size());
  const Index total = opts.periods + opts.drop;
  const Matrix L = detail::covariance_factor(sol.Sigma_e, 0.0);
  NormalSource normal(opts.seed);
  Matrix z(total, ne);
  for (Index t = 0; t < total; ++t)
    for (Index j = 0; j < ne; ++j) z(t, j) = normal();
  const Matrix shocks = z * L.transpose();  // row t: (L z_t)'
  SimulationResult r = run(sol, shocks, opts.drop, opts);
  r.seed = opts.seed;
  return r;
}

SimulationResult simulate_with_shocks(const PerturbationResult& sol, const Eigen::Ref<const Matrix>& shocks,
                                      const SimulationOptions& opts) {
  const Index ne = static_cast<Index>(sol.exo_names.size());
  if (shocks.cols() != ne) {
    std::ostringstream os;
    os << "simulate_with_shocks: " << shocks.cols() << " shock columns for " << ne << " shocks";
    throw DimensionError(os.str());
  }
  if (auto failed = detail::unusable_or_checked<SimulationResult>(sol, "a simulation")) return *failed;
  return run(sol, Matrix(shocks), 0, opts);
}

}  // namespace govsim::dsge
