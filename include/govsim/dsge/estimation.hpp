#pragma once
/// \file estimation.hpp
/// Maximum likelihood and Bayesian estimation of first-order DSGE models: likelihood and
/// posterior evaluation, posterior mode with Hessian-based standard errors and the Laplace
/// approximation of the marginal likelihood, random-walk Metropolis-Hastings on threads with
/// checkpoints on disk.
///
/// Parameters are named as in estimated_params: `rho`, `stderr eps`, `corr e1, e2`. The
/// likelihood is the Kalman filter's (kalman.hpp) on the first-order solution at each trial
/// point; points without a unique stable solution have likelihood -Inf and are rejected, never
/// an exception. The numbers match Dynare 5.3 (`estimation(mode_compute=0)` log-likelihood to
/// 1e-13 on the shared nk3_est case).
///
/// \code
/// auto m = govsim::dsge::parse_model_file("nk3_est.mod");
/// govsim::dsge::Estimator est(m, govsim::dsge::estimated_parameters(m), m.varobs(), data);
/// double ll = est.log_likelihood(est.initial());
/// auto mode = govsim::dsge::posterior_mode(est);            // mode.mode, mode.std_at_mode
/// govsim::dsge::McmcOptions mc; mc.draws = 20000;
/// auto chains = govsim::dsge::random_walk_metropolis(est, mode.mode, mode.covariance, mc);
/// \endcode

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/kalman.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/priors.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace govsim::dsge {

class ModelSolver;

/// One estimated parameter.
struct EstimatedParameter {
  std::string label;    ///< `rho`, `stderr eps`, `corr e1, e2`
  double init = 0.0;    ///< initial value
  double lower = -1e300;  ///< lower bound (estimated_params bounds and prior support)
  double upper = 1e300;   ///< upper bound
  Prior prior;          ///< prior (shape None for maximum likelihood)
  double jscale = 0.0;  ///< parameter-specific MH jump scale (0: global one)
};

/// Turn an estimated_params block into EstimatedParameter entries. Initial values default to the
/// prior mean, then the calibration.
/// \param model the model (its estimated_params block)
/// \return one entry per line of the block
/// \throws ModelError or OptionsError on bad entries (unknown names, invalid priors)
std::vector<EstimatedParameter> estimated_parameters(const Model& model);
/// Same for an explicit list of entries.
/// \param model the model (names and calibration)
/// \param spec the entries
/// \return one entry per element of spec
/// \throws ModelError or OptionsError on bad entries
std::vector<EstimatedParameter> estimated_parameters(const Model& model, const std::vector<EstimatedParam>& spec);

/// Likelihood and posterior of a model for a data set (thread-compatible: copy it per thread).
class Estimator {
 public:
  /// \param model the model (copied)
  /// \param params estimated parameters (estimated_parameters())
  /// \param varobs observed variables (columns of data)
  /// \param data rows = periods, columns = varobs (NaN = missing)
  /// \param kalman filter options (presample, ...)
  /// \throws ModelError for unknown names, DimensionError when data and varobs disagree
  Estimator(const Model& model, std::vector<EstimatedParameter> params, Names varobs, Matrix data,
            KalmanOptions kalman = {});
  Estimator(const Estimator& other);
  Estimator& operator=(const Estimator& other);
  ~Estimator();

  Names labels() const;                       ///< parameter labels
  Index size() const { return static_cast<Index>(params_.size()); }  ///< number of parameters
  Vector initial() const;                     ///< initial values
  Vector lower() const;                       ///< lower bounds
  Vector upper() const;                       ///< upper bounds
  bool bayesian() const;                      ///< true when every parameter has a prior
  const std::vector<EstimatedParameter>& parameters() const { return params_; }  ///< the parameters
  const Names& varobs() const { return varobs_; }  ///< observed variables
  const Matrix& data() const { return data_; }     ///< the data
  /// Hash (16 hex digits) of everything that determines the posterior: the model (equations,
  /// parameter values), estimated parameters with bounds and priors, varobs, data and Kalman
  /// options. MCMC checkpoints store it to refuse resuming with other inputs.
  const std::string& fingerprint() const { return fingerprint_; }

  /// Log-likelihood at theta (-Inf outside the bounds or without a unique stable solution).
  double log_likelihood(const Vector& theta);
  /// Sum of log prior densities (0 without priors, -Inf outside the support).
  double log_prior(const Vector& theta) const;
  /// log_likelihood + log_prior.
  double log_posterior(const Vector& theta);
  /// Full filter result at theta (status explains a failure).
  KalmanResult filter(const Vector& theta);
  /// Smoother at theta; throws SolveError when there is no unique stable solution.
  SmootherResult smoother(const Vector& theta, StateSpace* ss_out = nullptr);

 private:
  std::vector<EstimatedParameter> params_;
  Names varobs_;
  Matrix data_;
  KalmanOptions kalman_;
  std::unique_ptr<ModelSolver> solver_;
  std::string fingerprint_;
  std::string compute_fingerprint(const Model& model) const;
};

/// Options of posterior_mode().
struct ModeOptions {
  std::string algorithm = "nelder-mead";  ///< see govsim::numerics::parse_algorithm
  int max_evaluations = 50000;            ///< objective evaluations
  double xtol_rel = 1e-9;                 ///< relative x tolerance
  double hessian_step = 1e-4;             ///< relative finite-difference step of the Hessian
  std::function<bool(const IterationInfo&)> on_iteration;  ///< progress; return false to stop
  /// Throws OptionsError on invalid values.
  void validate() const;
};

/// Result of posterior_mode().
struct ModeResult {
  Names labels;             ///< parameters
  Vector mode;              ///< the mode (maximum likelihood estimate without priors)
  Vector std_at_mode;       ///< sqrt(diag(inverse Hessian of minus the log posterior))
  Matrix hessian;           ///< Hessian of minus the log posterior at the mode
  Matrix covariance;        ///< its inverse
  double log_likelihood = 0.0;  ///< at the mode
  double log_posterior = 0.0;   ///< at the mode (= log_likelihood without priors)
  double log_marginal_laplace = 0.0;  ///< Laplace approximation (NaN without priors)
  int evaluations = 0;      ///< objective evaluations
  Status status = Status::Success;  ///< Success, MaxIterations, UserStopped, NumericalIssue, Singular (Hessian)
  std::string message;      ///< diagnostic
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-paragraph report.
  std::string summary() const;
};

/// Maximize the log posterior (log-likelihood without priors) from the initial values.
/// \param est the estimator (its initial values and bounds)
/// \param opts algorithm, budget, Hessian step, progress
/// \return the mode and the Hessian-based covariance; status Singular when the Hessian is not
///         positive definite (the mode is still valid)
ModeResult posterior_mode(Estimator& est, const ModeOptions& opts = {});
/// Hessian-based covariance at a point: fills hessian, covariance, std_at_mode, Laplace.
/// \param est the estimator
/// \param theta the point
/// \param step relative finite-difference step
/// \param out result whose Hessian fields are filled (status Singular if not positive definite)
void hessian_at(Estimator& est, const Vector& theta, double step, ModeResult& out);

/// Options of random_walk_metropolis().
struct McmcOptions {
  int chains = 2;             ///< number of chains (one thread each, up to `threads`)
  int draws = 2000;           ///< draws per chain (burn-in included)
  double burnin = 0.5;        ///< fraction of each chain dropped in summaries and R-hat; at least 2 draws must remain
  double jscale = 0.2;        ///< scale of the proposal N(0, jscale^2 Sigma)
  double init_scale = 1.0;    ///< chains start at start + init_scale * jscale * N(0, Sigma)
  std::uint64_t seed = 1;     ///< chain k uses seed + k
  int threads = 0;            ///< worker threads (0: min(chains, hardware))
  /// Where chains are saved ("" = no checkpoints): `chain_<k>.ckpt` per chain, a header with
  /// the fingerprint of the inputs, then one line per draw with its own checksum, appended
  /// every `checkpoint_every` draws (and when a run stops).
  std::string checkpoint_dir;
  int checkpoint_every = 500; ///< draws between checkpoints
  /// Continue chains found in checkpoint_dir. A checkpoint written for other inputs (target
  /// fingerprint, start, proposal, seed, jscale, init_scale, parameter labels), with a corrupted
  /// or non-finite value, or with more draws than requested throws DataError naming the
  /// difference; false starts the chains afresh and overwrites the files.
  bool resume = true;
  /// Identifies the target density in checkpoints (set from Estimator::fingerprint() by the
  /// Estimator overload; for a generic target, describe it here or changes go unnoticed).
  std::string target_fingerprint;
  /// Progress (called from worker threads, serialized); iteration = total draws so far,
  /// total = chains * draws. Return false to stop all chains (they are checkpointed first).
  std::function<bool(const IterationInfo&)> on_iteration;
  /// Throws OptionsError on invalid values.
  void validate() const;
};

/// Result of random_walk_metropolis().
struct McmcResult {
  Names labels;                  ///< parameters (columns of each chain)
  std::vector<Matrix> chains;    ///< draws (rows) of each chain, burn-in included
  std::vector<Vector> log_posterior;  ///< log posterior of each draw
  Vector acceptance;             ///< acceptance rate of each chain
  Vector rhat;                   ///< Gelman-Rubin potential scale reduction per parameter (NaN with 1 chain)
  /// Posterior summary per parameter (rows): mean, std, q05, q50, q95 over kept draws.
  Matrix summary_table;
  int draws_done = 0;            ///< draws per chain actually available
  Status status = Status::Success;  ///< Success, UserStopped, NumericalIssue
  std::string message;           ///< diagnostic
  /// True on success.
  bool ok() const { return status == Status::Success; }
  /// One-paragraph report.
  std::string summary() const;
};

/// Log density of the target for MCMC; each chain gets its own instance from the factory.
using LogDensity = std::function<double(const Vector&)>;

/// Random-walk Metropolis-Hastings on a generic target.
/// \param make_target returns one log density per chain (called once per chain)
/// \param labels parameter names
/// \param start centre of the starting points
/// \param proposal_cov Sigma (k x k) of the proposal N(0, jscale^2 Sigma)
/// \param opts chains, draws, scales, seed, threads, checkpoints, progress
/// \return the chains, acceptance rates, R-hat and the posterior summary
/// \throws OptionsError or DimensionError on invalid options or sizes
McmcResult random_walk_metropolis(const std::function<LogDensity()>& make_target, const Names& labels,
                                  const Vector& start, const Matrix& proposal_cov, const McmcOptions& opts);
/// Random-walk Metropolis-Hastings on an estimator's posterior (one Estimator copy per chain).
/// \param est the estimator
/// \param start centre of the starting points (usually the mode)
/// \param proposal_cov Sigma of the proposal (usually the inverse Hessian at the mode)
/// \param opts chains, draws, scales, seed, threads, checkpoints, progress
/// \return as the generic overload
McmcResult random_walk_metropolis(const Estimator& est, const Vector& start, const Matrix& proposal_cov,
                                  const McmcOptions& opts);

}  // namespace govsim::dsge
