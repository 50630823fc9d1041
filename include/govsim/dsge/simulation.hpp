#pragma once
/// \file simulation.hpp
/// Stochastic simulation of a first-order solution, seeded and reproducible.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <cstdint>
#include <string>

namespace govsim::dsge {

/// Options of simulate().
struct SimulationOptions {
  Index periods = 100;            ///< number of periods returned (after `drop`)
  Index drop = 0;                 ///< burn-in periods simulated first and discarded
  std::uint64_t seed = 1;         ///< seed of the std::mt19937_64 generator
  bool include_auxiliary = false; ///< also return auxiliary variables
  bool deviations = false;        ///< return deviations from the steady state instead of levels
  /// Starting point y_0 - ybar over all endogenous variables (size n_endo); empty = steady state.
  Vector initial_deviation;

  /// Throws OptionsError if periods < 1 or drop < 0.
  void validate() const;
};

/// Result of simulate() and simulate_with_shocks().
struct SimulationResult {
  Names var_names;   ///< columns of `paths`
  Names exo_names;   ///< columns of `shocks`
  Matrix paths;      ///< periods x var_names.size(): levels (or deviations), row 0 = first period
  Matrix shocks;     ///< periods x exo_names.size(): the shocks u_t used (after the burn-in)
  std::uint64_t seed = 0;  ///< seed used (0 for simulate_with_shocks)
  Status status = Status::Success;  ///< copied from the solution when it is not usable
  std::string message;     ///< diagnostic, empty on success

  /// True when status is Success.
  bool ok() const { return status == Status::Success; }
  /// One-line description.
  std::string summary() const;
};

/// Simulate `y_t - ybar = A (y_{t-1} - ybar) + B u_t` with Gaussian shocks
/// `u_t = L z_t`, `L L' = Sigma_e` (lower Cholesky factor; eigen-decomposition when Sigma_e is
/// only semi-definite) and z_t standard normal drawn from std::mt19937_64(seed) by Box-Muller,
/// period by period, shock by shock. The same seed gives the same path on every platform.
///
/// \param sol a first-order solution (its Sigma_e is used)
/// \param opts length, burn-in, seed and output choices
/// \return the simulated paths and the shocks; empty with the solution's status if sol is not ok()
/// \throws OptionsError if opts is invalid
/// \throws DimensionError if initial_deviation has the wrong size
///
/// \code
/// govsim::dsge::SimulationOptions o;
/// o.periods = 200;
/// o.seed = 42;
/// auto sim = govsim::dsge::simulate(sol, o);
/// \endcode
SimulationResult simulate(const PerturbationResult& sol, const SimulationOptions& opts = {});

/// Deterministic simulation with given shocks (one row per period, one column per shock); the
/// number of periods is shocks.rows(); opts.periods, drop and seed are ignored.
///
/// \throws DimensionError if shocks does not have one column per shock
SimulationResult simulate_with_shocks(const PerturbationResult& sol, const Eigen::Ref<const Matrix>& shocks,
                                      const SimulationOptions& opts = {});

}  // namespace govsim::dsge
