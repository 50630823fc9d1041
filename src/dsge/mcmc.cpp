// Random-walk Metropolis-Hastings: chains on std::thread, per-chain seeds, checkpoints, R-hat.
#include <govsim/core/error.hpp>
#include <govsim/dsge/estimation.hpp>

#include "../numerics/blas_threads.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace govsim::dsge {

void McmcOptions::validate() const {
  if (chains < 1) throw OptionsError("McmcOptions: chains must be >= 1");
  if (draws < 1) throw OptionsError("McmcOptions: draws must be >= 1");
  if (!(burnin >= 0 && burnin < 1)) throw OptionsError("McmcOptions: burnin must be in [0, 1)");
  if (!(jscale > 0)) throw OptionsError("McmcOptions: jscale must be positive");
  if (!(init_scale >= 0)) throw OptionsError("McmcOptions: init_scale must be >= 0");
  if (threads < 0) throw OptionsError("McmcOptions: threads must be >= 0");
  if (checkpoint_every < 1) throw OptionsError("McmcOptions: checkpoint_every must be >= 1");
  const int kept = draws - static_cast<int>(std::floor(burnin * draws));
  if (kept < 2)
    throw OptionsError("McmcOptions: draws=" + std::to_string(draws) + " with burnin=" + std::to_string(burnin) +
                       " keeps " + std::to_string(kept) +
                       " draw per chain; posterior summaries need at least 2 (mh_replic >= 2, or a smaller burnin)");
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
  std::vector<char> accepted_flags;  // 1 when draw t was an accepted move
  std::size_t saved = 0;             // draws already in the checkpoint file
  bool resumed = false;
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

// FNV-1a, 64 bits: checksums of checkpoint lines and fingerprints of inputs.
std::uint64_t fnv(const void* p, std::size_t n, std::uint64_t h = 1469598103934665603ULL) {
  const auto* c = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) {
    h ^= c[i];
    h *= 1099511628211ULL;
  }
  return h;
}
std::uint64_t fnv(const std::string& s) { return fnv(s.data(), s.size()); }
std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}
std::uint64_t hash_matrix(const Matrix& m) {
  std::uint64_t h = fnv(nullptr, 0);
  for (Index j = 0; j < m.cols(); ++j)
    for (Index i = 0; i < m.rows(); ++i) {
      double v = m(i, j);
      h = fnv(&v, sizeof v, h);
    }
  return h;
}

std::string ckpt_path(const std::string& dir, int chain) {
  return (std::filesystem::path(dir) / ("chain_" + std::to_string(chain) + ".ckpt")).string();
}

// Everything that determines a chain, as "name=value" fields of the checkpoint header.
std::vector<std::pair<std::string, std::string>> fingerprint_fields(const McmcOptions& o, const Names& labels,
                                                                    const Vector& start, const Matrix& cov,
                                                                    std::uint64_t seed) {
  std::string lab;
  for (const auto& l : labels) lab += l + '\n';
  return {{"target", o.target_fingerprint.empty() ? std::string("unspecified") : hex64(fnv(o.target_fingerprint))},
          {"labels", hex64(fnv(lab))},
          {"start", hex64(hash_matrix(start))},
          {"proposal", hex64(hash_matrix(cov))},
          {"seed", std::to_string(seed)},
          {"jscale", hex(o.jscale)},
          {"init_scale", hex(o.init_scale)},
          {"params", std::to_string(labels.size())}};
}

std::string describe_field(const std::string& f) {
  if (f == "target") return "target (model, parameters, priors, data or Kalman options)";
  if (f == "proposal") return "proposal covariance";
  if (f == "start") return "start values";
  if (f == "labels") return "estimated parameters";
  if (f == "params") return "number of parameters";
  return f;
}

// Write `text` to `path` atomically: temporary file in the same folder, flush, fsync, rename.
void write_atomic(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw DataError("MCMC checkpoint: cannot write '" + tmp + "': " + std::strerror(errno));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fflush(f) == 0 && ok;
  ok = ::fsync(fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    throw DataError("MCMC checkpoint: write error on '" + tmp + "'");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw DataError("MCMC checkpoint: cannot rename '" + tmp + "': " + ec.message());
}

std::string draw_line(const Vector& x, double lp, bool accepted) {
  std::string body = "d";
  for (Index j = 0; j < x.size(); ++j) body += " " + hex(x(j));
  body += " " + hex(lp) + (accepted ? " a" : " r");
  return body + " " + hex64(fnv(body)) + "\n";
}

// Start a checkpoint file: header with the fingerprint, the RNG state after initialization and
// the initial point, then its checksum. Draws are appended by append_draws().
void write_header(const std::string& path, const ChainState& s,
                  const std::vector<std::pair<std::string, std::string>>& fields) {
  std::ostringstream h;
  h << "govsim-mcmc 2\n";
  for (const auto& [k, v] : fields) h << k << "=" << v << "\n";
  h << "rng " << s.rng << "\n";
  h << "x0";
  for (Index j = 0; j < s.current.size(); ++j) h << " " << hex(s.current(j));
  h << " " << hex(s.current_lp) << "\n";
  std::string text = h.str();
  text += "header " + hex64(fnv(text)) + "\n";
  write_atomic(path, text);
}

void append_draws(const std::string& path, ChainState& s) {
  if (s.saved >= s.draws.size()) return;
  std::string text;
  for (std::size_t t = s.saved; t < s.draws.size(); ++t) text += draw_line(s.draws[t], s.lps[t], s.accepted_flags[t] != 0);
  std::FILE* f = std::fopen(path.c_str(), "ab");
  if (!f) throw DataError("MCMC checkpoint: cannot append to '" + path + "': " + std::strerror(errno));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fflush(f) == 0 && ok;
  ok = ::fsync(fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) throw DataError("MCMC checkpoint: write error on '" + path + "'");
  s.saved = s.draws.size();
}

std::vector<double> parse_hex_values(const std::string& line, std::size_t from, std::size_t count, bool& ok) {
  std::istringstream in(line.substr(from));
  std::vector<double> out;
  std::string t;
  while (out.size() < count && in >> t) {
    char* end = nullptr;
    double v = std::strtod(t.c_str(), &end);
    if (end == t.c_str() || *end != '\0') {
      ok = false;
      return out;
    }
    out.push_back(v);
  }
  ok = out.size() == count;
  return out;
}

// Read a checkpoint written by write_header()/append_draws() and check it against the inputs.
// Throws DataError saying what differs or what is damaged. Returns false if there is no file.
bool load(const std::string& path, ChainState& s, const std::vector<std::pair<std::string, std::string>>& fields,
          Index k, int draws_requested) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  std::ifstream f(path, std::ios::binary);
  if (!f) throw DataError("MCMC checkpoint '" + path + "' cannot be read");
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const std::string who = "MCMC checkpoint '" + path + "'";
  auto bad = [&](const std::string& why) { return DataError(who + ": " + why); };
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < all.size()) {
    std::size_t e = all.find('\n', pos);
    if (e == std::string::npos) break;  // an unfinished last line (interrupted append) is dropped
    lines.push_back(all.substr(pos, e - pos));
    pos = e + 1;
  }
  const std::size_t complete_bytes = pos;
  const std::size_t nh = fields.size() + 4;  // magic, fields, rng, x0, header checksum
  if (lines.empty() || lines[0] != "govsim-mcmc 2")
    throw bad("not a govsim MCMC checkpoint (version 2 header expected; delete it or pass resume=False)");
  if (lines.size() < nh) throw bad("truncated header");
  std::string head;
  for (std::size_t i = 0; i + 1 < nh; ++i) head += lines[i] + "\n";
  if (lines[nh - 1] != "header " + hex64(fnv(head))) throw bad("header checksum mismatch (the file is corrupted)");
  std::vector<std::string> diffs;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string& line = lines[1 + i];
    const auto& [key, val] = fields[i];
    if (line.compare(0, key.size() + 1, key + "=") != 0) throw bad("header line " + std::to_string(i + 2) + " is not '" + key + "=...'");
    std::string have = line.substr(key.size() + 1);
    if (have != val) diffs.push_back(describe_field(key) + " (checkpoint " + have + ", now " + val + ")");
  }
  if (!diffs.empty()) {
    std::string msg = "written for other inputs: ";
    for (std::size_t i = 0; i < diffs.size(); ++i) msg += (i ? "; " : "") + diffs[i];
    throw bad(msg + ". Use another checkpoint_dir, or resume=False to start afresh");
  }
  {
    const std::string& r = lines[fields.size() + 1];
    if (r.compare(0, 4, "rng ") != 0) throw bad("missing RNG state");
    std::istringstream in(r.substr(4));
    in >> s.rng;
    if (!in) throw bad("unreadable RNG state");
  }
  {
    const std::string& x0 = lines[fields.size() + 2];
    bool ok = x0.compare(0, 3, "x0 ") == 0;
    auto v = ok ? parse_hex_values(x0, 3, static_cast<std::size_t>(k) + 1, ok) : std::vector<double>{};
    if (!ok) throw bad("unreadable initial point");
    s.current.resize(k);
    for (Index j = 0; j < k; ++j) s.current(j) = v[static_cast<std::size_t>(j)];
    s.current_lp = v[static_cast<std::size_t>(k)];
    if (!s.current.allFinite() || !std::isfinite(s.current_lp)) throw bad("non-finite initial point");
  }
  const std::mt19937_64 rng0 = s.rng;
  s.draws.clear();
  s.lps.clear();
  s.accepted_flags.clear();
  s.accepted = 0;
  for (std::size_t i = nh; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const std::string where = "line " + std::to_string(i + 1);
    std::size_t sp = line.find_last_of(' ');
    if (line.compare(0, 2, "d ") != 0 || sp == std::string::npos || sp < 2)
      throw bad(where + " is not a draw record (the file is corrupted)");
    std::string body = line.substr(0, sp);
    if (line.substr(sp + 1) != hex64(fnv(body))) throw bad(where + ": checksum mismatch (the file is corrupted)");
    bool ok = true;
    auto v = parse_hex_values(body, 2, static_cast<std::size_t>(k) + 1, ok);
    std::string flag = body.substr(body.size() - 2);
    if (!ok || (flag != " a" && flag != " r")) throw bad(where + ": unreadable draw");
    Vector x(k);
    for (Index j = 0; j < k; ++j) x(j) = v[static_cast<std::size_t>(j)];
    double lp = v[static_cast<std::size_t>(k)];
    if (!x.allFinite() || !std::isfinite(lp)) throw bad(where + ": non-finite value in a draw");
    bool acc = flag == " a";
    if (!acc && (x != s.current || lp != s.current_lp))
      throw bad(where + ": a rejected draw differs from the previous state (the file is corrupted)");
    s.current = x;
    s.current_lp = lp;
    s.accepted += acc ? 1 : 0;
    s.draws.push_back(x);
    s.lps.push_back(lp);
    s.accepted_flags.push_back(acc ? 1 : 0);
  }
  if (static_cast<long long>(s.draws.size()) > draws_requested)
    throw bad("holds " + std::to_string(s.draws.size()) + " draws, more than the " + std::to_string(draws_requested) +
              " requested; ask for at least " + std::to_string(s.draws.size()) +
              " draws, or use resume=False / another checkpoint_dir");
  // The RNG consumes exactly 2k + 1 numbers per draw (k normals from two uniforms, one uniform).
  s.rng = rng0;
  s.rng.discard(static_cast<unsigned long long>(s.draws.size()) * (2ULL * static_cast<unsigned long long>(k) + 1ULL));
  if (complete_bytes < all.size()) std::filesystem::resize_file(path, complete_bytes);
  s.saved = s.draws.size();
  s.resumed = true;
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
  if (!start.allFinite()) throw DataError("MCMC: the start values are not finite numbers");
  if (!proposal_cov.allFinite()) throw DataError("MCMC: the proposal covariance has NaN or infinite entries");
  if (!opts.checkpoint_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(opts.checkpoint_dir, ec);
    if (ec || !std::filesystem::is_directory(opts.checkpoint_dir))
      throw DataError("MCMC: cannot create the checkpoint folder '" + opts.checkpoint_dir + "'");
  }

  const int C = opts.chains;
  std::vector<ChainState> states(static_cast<std::size_t>(C));
  // Existing checkpoints are checked before any chain runs: a mismatch is an error of the call.
  if (!opts.checkpoint_dir.empty() && opts.resume)
    for (int c = 0; c < C; ++c)
      load(ckpt_path(opts.checkpoint_dir, c), states[static_cast<std::size_t>(c)],
           fingerprint_fields(opts, labels, start, proposal_cov, opts.seed + static_cast<std::uint64_t>(c)), k,
           opts.draws);
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
      if (!s.resumed) {
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
        if (!path.empty()) write_header(path, s, fingerprint_fields(opts, labels, start, proposal_cov, seed));
      }
      progress += static_cast<long>(s.draws.size());
      while (static_cast<int>(s.draws.size()) < opts.draws) {
        if (stop.load()) break;
        Vector z(k);
        for (Index j = 0; j < k; ++j) z(j) = std_normal(s.rng);
        Vector x = s.current + opts.jscale * (L * z);
        double lp = target(x);
        double u = uniform01(s.rng);
        bool acc = std::isfinite(lp) && std::log(u) < lp - s.current_lp;
        if (acc) {
          s.current = x;
          s.current_lp = lp;
          ++s.accepted;
        }
        s.draws.push_back(s.current);
        s.lps.push_back(s.current_lp);
        s.accepted_flags.push_back(acc ? 1 : 0);
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
        if (!path.empty() && (at_ckpt || stop.load())) append_draws(path, s);
      }
      if (!path.empty()) append_draws(path, s);
    } catch (const std::exception& e) {
      errors[static_cast<std::size_t>(c)] = e.what();
      stop = true;
    }
  };

  int nthreads = opts.threads > 0 ? opts.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  nthreads = std::min(nthreads, C);
  // chains run in parallel: BLAS inside each chain stays single-threaded
  govsim::detail::BlasThreadLimit blas_limit(nthreads > 1);
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
  McmcOptions o = opts;
  o.target_fingerprint = est.fingerprint();
  return random_walk_metropolis(make, est.labels(), start, proposal_cov, o);
}

}  // namespace govsim::dsge
