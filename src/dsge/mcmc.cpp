// Random-walk Metropolis-Hastings: chains on std::thread, per-chain seeds, checkpoints, R-hat.
#include <govsim/core/error.hpp>
#include <govsim/dsge/estimation.hpp>

#include <Eigen/Cholesky>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

namespace govsim::dsge {

void McmcOptions::validate() const {
  if (chains < 1) throw OptionsError("McmcOptions: chains must be >= 1");
  if (draws < 1) throw OptionsError("McmcOptions: draws must be >= 1");
  if (!(burnin >= 0 && burnin < 1)) throw OptionsError("McmcOptions: burnin must be in [0, 1)");
  if (!(jscale > 0)) throw OptionsError("McmcOptions: jscale must be positive");
  if (!(init_scale >= 0)) throw OptionsError("McmcOptions: init_scale must be >= 0");
  if (threads < 0) throw OptionsError("McmcOptions: threads must be >= 0");
  if (checkpoint_every < 1) throw OptionsError("McmcOptions: checkpoint_every must be >= 1");
}

std::string McmcResult::summary() const {
  std::ostringstream o;
  o << "McmcResult: " << to_string(status) << ", " << chains.size() << " chains x " << draws_done << " draws";
  if (acceptance.size()) o << ", acceptance " << acceptance.mean();
  if (rhat.size() && rhat.allFinite()) o << ", max R-hat " << rhat.maxCoeff();
  if (!message.empty()) o << ": " << message;
  return o.str();
}

namespace {

// Chain state: everything needed to continue exactly.
struct ChainState {
  std::mt19937_64 rng;
  Vector current;
  double current_lp = 0;
  long accepted = 0;
  std::vector<Vector> draws;
  std::vector<double> lps;
};

// One standard normal from two uniforms (no cached value, so the RNG state is the whole state).
double std_normal(std::mt19937_64& g) {
  constexpr double k = 1.0 / 18446744073709551616.0;  // 2^-64
  double u1 = (static_cast<double>(g()) + 0.5) * k;
  double u2 = (static_cast<double>(g()) + 0.5) * k;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}
double uniform01(std::mt19937_64& g) {
  return (static_cast<double>(g() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

std::string hex(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

std::string ckpt_path(const std::string& dir, int chain) {
  return (std::filesystem::path(dir) / ("chain_" + std::to_string(chain) + ".ckpt")).string();
}

void save(const std::string& path, const ChainState& s, std::uint64_t seed, Index k) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    if (!f) throw DataError("MCMC checkpoint: cannot write '" + tmp + "'");
    f << "govsim-mcmc 1 " << seed << " " << k << " " << s.draws.size() << " " << s.accepted << "\n";
    f << s.rng << "\n";
    for (Index j = 0; j < k; ++j) f << hex(s.current(j)) << " ";
    f << hex(s.current_lp) << "\n";
    for (std::size_t t = 0; t < s.draws.size(); ++t) {
      for (Index j = 0; j < k; ++j) f << hex(s.draws[t](j)) << " ";
      f << hex(s.lps[t]) << "\n";
    }
    if (!f) throw DataError("MCMC checkpoint: write error on '" + tmp + "'");
  }
  std::filesystem::rename(tmp, path);
}

bool load(const std::string& path, ChainState& s, std::uint64_t seed, Index k) {
  std::ifstream f(path);
  if (!f) return false;
  std::string magic;
  int version = 0;
  std::uint64_t sd = 0;
  Index kk = 0;
  std::size_t n = 0;
  long acc = 0;
  f >> magic >> version >> sd >> kk >> n >> acc;
  if (!f || magic != "govsim-mcmc" || version != 1)
    throw DataError("MCMC checkpoint '" + path + "' is not a govsim checkpoint");
  if (sd != seed || kk != k)
    throw DataError("MCMC checkpoint '" + path + "' was written with another seed or parameter count");
  f >> s.rng;
  auto rd = [&]() {
    std::string t;
    f >> t;
    return std::strtod(t.c_str(), nullptr);
  };
  s.current.resize(k);
  for (Index j = 0; j < k; ++j) s.current(j) = rd();
  s.current_lp = rd();
  s.draws.assign(n, Vector(k));
  s.lps.assign(n, 0.0);
  for (std::size_t t = 0; t < n; ++t) {
    for (Index j = 0; j < k; ++j) s.draws[t](j) = rd();
    s.lps[t] = rd();
  }
  if (!f) throw DataError("MCMC checkpoint '" + path + "' is truncated");
  s.accepted = acc;
  return true;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  auto i = static_cast<std::size_t>(std::floor(pos));
  double w = pos - static_cast<double>(i);
  return i + 1 < v.size() ? (1 - w) * v[i] + w * v[i + 1] : v[i];
}

}  // namespace

McmcResult random_walk_metropolis(const std::function<LogDensity()>& make_target, const Names& labels,
                                  const Vector& start, const Matrix& proposal_cov, const McmcOptions& opts) {
  opts.validate();
  const Index k = start.size();
  if (static_cast<Index>(labels.size()) != k) throw DimensionError("MCMC: labels and start differ in size");
  if (proposal_cov.rows() != k || proposal_cov.cols() != k)
    throw DimensionError("MCMC: the proposal covariance must be " + std::to_string(k) + "x" + std::to_string(k));
  Eigen::LLT<Matrix> llt(0.5 * (proposal_cov + proposal_cov.transpose()));
  if (llt.info() != Eigen::Success) throw OptionsError("MCMC: the proposal covariance is not positive definite");
  const Matrix L = llt.matrixL();
  if (!opts.checkpoint_dir.empty()) std::filesystem::create_directories(opts.checkpoint_dir);

  const int C = opts.chains;
  std::vector<ChainState> states(static_cast<std::size_t>(C));
  std::atomic<bool> stop{false};
  std::atomic<long> progress{0};
  std::mutex cb_mutex;
  std::vector<std::string> errors(static_cast<std::size_t>(C));

  auto run_chain = [&](int c) {
    try {
      ChainState& s = states[static_cast<std::size_t>(c)];
      std::uint64_t seed = opts.seed + static_cast<std::uint64_t>(c);
      LogDensity target = make_target();
      std::string path = opts.checkpoint_dir.empty() ? "" : ckpt_path(opts.checkpoint_dir, c);
      bool resumed = !path.empty() && opts.resume && load(path, s, seed, k);
      if (!resumed) {
        s.rng.seed(seed);
        s.current = start;
        s.current_lp = target(start);
        if (opts.init_scale > 0) {
          for (int attempt = 0; attempt < 100; ++attempt) {
            Vector z(k);
            for (Index j = 0; j < k; ++j) z(j) = std_normal(s.rng);
            Vector x = start + opts.init_scale * opts.jscale * (L * z);
            double lp = target(x);
            if (std::isfinite(lp)) {
              s.current = x;
              s.current_lp = lp;
              break;
            }
          }
        }
        if (!std::isfinite(s.current_lp)) throw SolveError("MCMC: the log posterior is not finite at the start");
      }
      progress += static_cast<long>(s.draws.size());
      while (static_cast<int>(s.draws.size()) < opts.draws) {
        if (stop.load()) break;
        Vector z(k);
        for (Index j = 0; j < k; ++j) z(j) = std_normal(s.rng);
        Vector x = s.current + opts.jscale * (L * z);
        double lp = target(x);
        double u = uniform01(s.rng);
        if (std::isfinite(lp) && std::log(u) < lp - s.current_lp) {
          s.current = x;
          s.current_lp = lp;
          ++s.accepted;
        }
        s.draws.push_back(s.current);
        s.lps.push_back(s.current_lp);
        long done = ++progress;
        bool at_ckpt = static_cast<int>(s.draws.size()) % opts.checkpoint_every == 0;
        if (opts.on_iteration && (at_ckpt || done % 100 == 0)) {
          std::lock_guard<std::mutex> g(cb_mutex);
          IterationInfo info;
          info.iteration = static_cast<int>(done);
          info.total = C * opts.draws;
          info.objective = s.current_lp;
          info.stage = "mcmc";
          if (!opts.on_iteration(info)) stop = true;
        }
        if (!path.empty() && (at_ckpt || stop.load())) save(path, s, seed, k);
      }
      if (!path.empty()) save(path, s, seed, k);
    } catch (const std::exception& e) {
      errors[static_cast<std::size_t>(c)] = e.what();
      stop = true;
    }
  };

  int nthreads = opts.threads > 0 ? opts.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  nthreads = std::min(nthreads, C);
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int w = 0; w < nthreads; ++w)
    pool.emplace_back([&]() {
      for (int c = next++; c < C; c = next++) run_chain(c);
    });
  for (auto& t : pool) t.join();

  McmcResult out;
  out.labels = labels;
  for (int c = 0; c < C; ++c)
    if (!errors[static_cast<std::size_t>(c)].empty()) {
      out.status = Status::NumericalIssue;
      out.message = "chain " + std::to_string(c) + ": " + errors[static_cast<std::size_t>(c)];
    }
  int n = opts.draws;
  for (const auto& s : states) n = std::min(n, static_cast<int>(s.draws.size()));
  out.draws_done = n;
  if (out.ok() && n < opts.draws) {
    out.status = Status::UserStopped;
    out.message = "stopped by the on_iteration callback after " + std::to_string(n) + " draws per chain";
  }
  out.acceptance.resize(C);
  for (int c = 0; c < C; ++c) {
    const auto& s = states[static_cast<std::size_t>(c)];
    Matrix M(static_cast<Index>(s.draws.size()), k);
    Vector lp(static_cast<Index>(s.draws.size()));
    for (std::size_t t = 0; t < s.draws.size(); ++t) {
      M.row(static_cast<Index>(t)) = s.draws[t].transpose();
      lp(static_cast<Index>(t)) = s.lps[t];
    }
    out.chains.push_back(M);
    out.log_posterior.push_back(lp);
    out.acceptance(c) = s.draws.empty() ? 0.0 : static_cast<double>(s.accepted) / static_cast<double>(s.draws.size());
  }
  // summaries over kept draws (the common length n, burn-in removed)
  const int b = static_cast<int>(std::floor(opts.burnin * n));
  const int kept = n - b;
  out.summary_table = Matrix::Constant(k, 5, std::numeric_limits<double>::quiet_NaN());
  out.rhat = Vector::Constant(k, std::numeric_limits<double>::quiet_NaN());
  if (kept > 1) {
    for (Index j = 0; j < k; ++j) {
      std::vector<double> pool_v;
      Vector means(C), vars(C);
      for (int c = 0; c < C; ++c) {
        auto col = out.chains[static_cast<std::size_t>(c)].col(j).segment(b, kept);
        for (Index t = 0; t < kept; ++t) pool_v.push_back(col(t));
        means(c) = col.mean();
        vars(c) = (col.array() - means(c)).square().sum() / (kept - 1);
      }
      double mean = 0;
      for (double v : pool_v) mean += v;
      mean /= static_cast<double>(pool_v.size());
      double var = 0;
      for (double v : pool_v) var += (v - mean) * (v - mean);
      var /= static_cast<double>(pool_v.size() - 1);
      out.summary_table(j, 0) = mean;
      out.summary_table(j, 1) = std::sqrt(var);
      out.summary_table(j, 2) = quantile(pool_v, 0.05);
      out.summary_table(j, 3) = quantile(pool_v, 0.5);
      out.summary_table(j, 4) = quantile(pool_v, 0.95);
      if (C > 1) {
        double W = vars.mean();
        double B = kept * (means.array() - means.mean()).square().sum() / (C - 1);
        double vplus = (kept - 1.0) / kept * W + B / kept;
        out.rhat(j) = W > 0 ? std::sqrt(vplus / W) : std::numeric_limits<double>::quiet_NaN();
      }
    }
  }
  return out;
}

McmcResult random_walk_metropolis(const Estimator& est, const Vector& start, const Matrix& proposal_cov,
                                  const McmcOptions& opts) {
  auto make = [&est]() -> LogDensity {
    auto copy = std::make_shared<Estimator>(est);
    return [copy](const Vector& x) { return copy->log_posterior(x); };
  };
  return random_walk_metropolis(make, est.labels(), start, proposal_cov, opts);
}

}  // namespace govsim::dsge
