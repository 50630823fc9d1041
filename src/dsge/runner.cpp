// Native `govsim run`: the commands steady, check and stoch_simul(order=1) executed with the
// semantics of python/govsim/cli.py (cmd_run). Every branch below mirrors a line there; where
// Python's behaviour depends on things we cannot reproduce exactly (plug-ins, Python's number
// parsing of unusual option text, KeyErrors of pandas lookups) the run is declared unsupported
// so that the caller executes the Python CLI instead: the user always gets Python's behaviour.
#include <govsim/core/error.hpp>
#include <govsim/core/json_writer.hpp>
#include <govsim/dsge/irf.hpp>
#include <govsim/dsge/moments.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/runner.hpp>
#include <govsim/dsge/simulation.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>

namespace govsim::dsge {

namespace {

// ------------------------------------------------------------------------------ control flow
// Exceptions used inside the runner only: they end the run like the Python exceptions do.
struct UsageFailure {
  std::string message;  // exit 2
};
struct NumericalFailure {
  std::string message;  // exit 3
  Status status;
};
struct Fallback {
  std::string reason;  // run the Python CLI
};

// ------------------------------------------------------------------------------ Python numbers
// True when `s` matches a plain decimal literal that Python's float() reads the same way as
// strtod. Returns nullopt for text Python might still accept (underscores, spaces, inf, nan):
// the caller then falls back rather than guessing.
std::optional<double> strict_float(const std::string& s) {
  std::size_t i = 0, n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t ed = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++ed;
    if (ed == 0) return std::nullopt;
  }
  if (i != n) return std::nullopt;
  return std::strtod(s.c_str(), nullptr);
}

// Python's int(float(v)) for option values; anything unusual falls back.
long long option_int(const Command& cmd, const std::string& key, long long fallback_value) {
  const auto v = cmd.option(key);
  if (!v) return fallback_value;
  const auto d = strict_float(*v);
  if (!d || !std::isfinite(*d) || std::fabs(*d) > 1e15)
    throw Fallback{cmd.name + ": option " + key + "=" + *v + " needs Python's number parsing"};
  return static_cast<long long>(std::trunc(*d));
}

double option_float(const Command& cmd, const std::string& key, double fallback_value) {
  const auto v = cmd.option(key);
  if (!v) return fallback_value;
  const auto d = strict_float(*v);
  if (!d) throw Fallback{cmd.name + ": option " + key + "=" + *v + " needs Python's number parsing"};
  return *d;
}

// cli._horizons: "[1 4 8]", "1:4", "(1, 2)".
std::vector<Index> horizons(const std::string& text) {
  auto is_strip = [](char c) { return c == '[' || c == ']' || c == '(' || c == ')'; };
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  std::string v = text;
  while (!v.empty() && is_space(v.front())) v.erase(v.begin());
  while (!v.empty() && is_space(v.back())) v.pop_back();
  while (!v.empty() && is_strip(v.front())) v.erase(v.begin());
  while (!v.empty() && is_strip(v.back())) v.pop_back();
  std::replace(v.begin(), v.end(), ',', ' ');
  auto to_int = [&](const std::string& s) -> long long {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i == s.size() || s.size() - i > 9 ||
        !std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
      throw Fallback{"conditional_variance_decomposition=" + text + " needs Python's parsing"};
    return std::stoll(s);
  };
  std::vector<Index> out;
  std::istringstream is(v);
  std::string part;
  while (is >> part) {
    const auto colon = part.find(':');
    if (colon != std::string::npos) {
      const long long a = to_int(part.substr(0, colon)), b = to_int(part.substr(colon + 1));
      if (b - a > 100000) throw Fallback{"conditional_variance_decomposition range too long"};
      for (long long h = a; h <= b; ++h) out.push_back(static_cast<Index>(h));
    } else {
      out.push_back(static_cast<Index>(to_int(part)));
    }
  }
  if (out.empty()) throw Fallback{"conditional_variance_decomposition without horizons"};
  return out;
}

// First line of an exception text, as cli.main prints it.
std::string first_line(const std::string& what, const char* type_name) {
  std::string s = what;
  const auto b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string::npos) return type_name;
  s = s.substr(b);
  const auto e = s.find('\n');
  if (e != std::string::npos) s = s.substr(0, e);
  while (!s.empty() && (s.back() == '\r' || std::isspace(static_cast<unsigned char>(s.back())))) s.pop_back();
  return s;
}

// ------------------------------------------------------------------------------ JSON helpers
JsonValue names_json(const Names& names) {
  JsonValue a = JsonValue::array();
  for (const auto& n : names) a.push_back(n);
  return a;
}

JsonValue vector_json(const Vector& v, Index n = -1) {
  JsonValue a = JsonValue::array();
  const Index m = n < 0 ? v.size() : std::min<Index>(n, v.size());
  for (Index i = 0; i < m; ++i) a.push_back(v(i));
  return a;
}

// Rows of `m` (the first `n` rows when n >= 0), as numpy's tolist().
JsonValue matrix_json(const Matrix& m, Index n = -1) {
  JsonValue a = JsonValue::array();
  const Index r = n < 0 ? m.rows() : std::min<Index>(n, m.rows());
  for (Index i = 0; i < r; ++i) {
    JsonValue row = JsonValue::array();
    for (Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    a.push_back(std::move(row));
  }
  return a;
}

// |z| exactly as numpy's np.abs on a complex array computes it (its SIMD loop:
// larger * sqrt(fma(r, r, 1)) with r = smaller / larger), which can differ from std::abs (glibc
// hypot) in the last bit; the Python CLI's JSON holds numpy's value.
double numpy_cabs(std::complex<double> z) {
  const double re = std::fabs(z.real()), im = std::fabs(z.imag());
  if (std::isinf(re) || std::isinf(im)) return std::numeric_limits<double>::infinity();
  if (std::isnan(re) || std::isnan(im)) return std::numeric_limits<double>::quiet_NaN();
  const double larger = std::max(re, im), smaller = std::min(re, im);
  if (larger == 0.0) return 0.0;
  const double r = smaller / larger;
  return larger * std::sqrt(std::fma(r, r, 1.0));
}

Vector moduli(const ComplexVector& ev) {
  Vector m(ev.size());
  for (Index i = 0; i < ev.size(); ++i) m(i) = numpy_cabs(ev(i));
  return m;
}

JsonValue eig_json(const PerturbationResult& sol) {
  const auto& ev = sol.eigenvalues;
  Vector re(ev.size()), im(ev.size());
  for (Index i = 0; i < ev.size(); ++i) re(i) = ev(i).real(), im(i) = ev(i).imag();
  JsonValue o = JsonValue::object();
  o.set("real", vector_json(re));
  o.set("imag", vector_json(im));
  o.set("modulus", vector_json(moduli(ev)));
  return o;
}

// ------------------------------------------------------------------------------ tables
// pandas DataFrame.to_string layout: index left-aligned, columns right-aligned to the widest of
// header (plus one space) and cells, one space between columns; NaN printed as "NaN".
std::string fmt_cell(double v, int decimals) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

std::string pad_left(const std::string& s, std::size_t w) { return s.size() >= w ? s : std::string(w - s.size(), ' ') + s; }
std::string pad_right(const std::string& s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }

std::string render(const std::string& title, const Names& index, const Names& columns, const Matrix& values,
                   int decimals, const std::string& corner = "") {
  std::size_t iw = corner.size();
  for (const auto& s : index) iw = std::max(iw, s.size());
  std::vector<std::vector<std::string>> cells(static_cast<std::size_t>(values.rows()));
  std::vector<std::size_t> w(columns.size());
  // pandas prefixes the header of a numeric column with a space
  for (std::size_t j = 0; j < columns.size(); ++j) w[j] = columns[j].size() + 1;
  for (Index i = 0; i < values.rows(); ++i)
    for (Index j = 0; j < values.cols(); ++j) {
      cells[static_cast<std::size_t>(i)].push_back(fmt_cell(values(i, j), decimals));
      w[static_cast<std::size_t>(j)] = std::max(w[static_cast<std::size_t>(j)], cells[static_cast<std::size_t>(i)].back().size());
    }
  std::string out = title + "\n" + pad_right(corner, iw);
  for (std::size_t j = 0; j < columns.size(); ++j) out += " " + pad_left(columns[j], w[j]);
  out += "\n";
  for (std::size_t i = 0; i < index.size(); ++i) {
    std::string line = pad_right(index[i], iw);
    for (std::size_t j = 0; j < columns.size(); ++j) line += " " + pad_left(cells[i][j], w[j]);
    out += line + "\n";
  }
  return out + "\n";
}

// ------------------------------------------------------------------------------ the run
class Runner {
 public:
  Runner(const Model& model, const RunOptions& opts, RunReport& report)
      : model_(model), opts_(opts), report_(report) {}

  void run() {
    for (const auto& w : model_.warnings()) warn(w.where, w.message);
    const Index n_decl = model_.n_declared_endo();
    endo_all_ = model_.endo_names();
    endo_names_ = endo_all_;
    if (!opts_.include_auxiliary) endo_names_.resize(static_cast<std::size_t>(n_decl));
    quiet_ = opts_.quiet;

    JsonValue out = JsonValue::object();
    out.set("endo_names", names_json(endo_names_));
    out.set("exo_names", names_json(model_.exo_names()));
    const Names pn = model_.param_names();
    out.set("param_names", names_json(pn));
    JsonValue params = JsonValue::object();
    for (std::size_t i = 0; i < pn.size(); ++i) params.set(pn[i], model_.params()(static_cast<Index>(i)));
    out.set("params", std::move(params));

    for (const auto& cmd : model_.commands()) {
      const std::string& name = cmd.name;
      const bool core = name == "steady" || name == "check" || name == "stoch_simul";
      if (!core) {
        if (!opts_.skip_other_commands)
          throw Fallback{where_text(cmd.where) + "command '" + name + "' (may be handled by a plug-in)"};
        warn(cmd.where, "command '" + name + "' is not implemented yet: skipped");
        continue;
      }
      if (name == "stoch_simul" && cmd.has_option("loglinear")) throw UsageFailure{loglinear_message(cmd)};
      if (name == "stoch_simul" && !opts_.skip_other_commands && option_int(cmd, "order", 2) != 1)
        throw Fallback{where_text(cmd.where) + "stoch_simul with order != 1 (may be handled by a plug-in)"};
      if (name == "steady")
        do_steady();
      else if (name == "check")
        do_check(cmd);
      else
        do_stoch_simul(cmd);
    }
    const Vector& ss = steady();
    out.set("steady_state", vector_json(ss, static_cast<Index>(endo_names_.size())));
    for (auto& [key, list] : results_)
      out.set(key, list.size() == 1 ? std::move(list.front()) : JsonValue::array(std::move(list)));
    if (opts_.want_json) report_.json = out.dump(1) + "\n";
  }

 private:
  static std::string where_text(const SourceLocation& w) {
    return w.file.empty() ? std::string() : w.file + ":" + std::to_string(w.line) + ": ";
  }

  // stoch_simul(loglinear) asks for decision rules, IRFs and moments of the logs of the
  // variables; the level rules computed here would be different numbers under the same names.
  static std::string loglinear_message(const Command& cmd) {
    return where_text(cmd.where) +
           "stoch_simul: option 'loglinear' (decision rules in logs) is not supported; remove it to get the "
           "first-order rules in levels";
  }

  void warn(const SourceLocation& where, const std::string& msg) {
    const std::string line = where_text(where) + "warning: " + msg;
    report_.warnings.push_back(line);
    report_.output.push_back({true, line + "\n"});
  }

  void print(const std::string& text) { report_.output.push_back({false, text}); }

  void add(const std::string& key, JsonValue obj) {
    for (auto& [k, list] : results_)
      if (k == key) {
        list.push_back(std::move(obj));
        return;
      }
    results_.emplace_back(key, std::vector<JsonValue>{});  // not {obj}: an initializer list copies
    results_.back().second.push_back(std::move(obj));
  }

  const Vector& steady() {
    if (!ss_) {
      const SteadyStateResult r = solve_steady_state(model_, SteadyStateOptions{});
      if (!r.ok()) throw NumericalFailure{r.summary(), r.status};
      ss_ = r.values;
    }
    return *ss_;
  }

  const PerturbationResult& solve(double qz = 1.0 + 1e-6) {
    for (auto& [q, sol] : solutions_)
      if (q == qz) return sol;
    const Vector& ss = steady();
    const LinearizedModel lin = linearize(model_, ss);
    PerturbationOptions po;
    po.qz_criterium = qz;
    solutions_.emplace_back(qz, solve_first_order(lin, po));
    return solutions_.back().second;
  }

  void do_steady() {
    const Vector& ss = steady();
    const Index n = static_cast<Index>(endo_names_.size());
    if (!quiet_) print(render("STEADY-STATE RESULTS:", endo_names_, {"value"}, ss.head(n), 6));
    JsonValue o = JsonValue::object();
    o.set("steady_state", vector_json(ss, n));
    add("steady", std::move(o));
  }

  void do_check(const Command& cmd) {
    const PerturbationResult& sol = solve();
    if (!quiet_) {
      const Index m = sol.eigenvalues.size();
      const Vector mod = moduli(sol.eigenvalues);
      std::vector<Index> order(static_cast<std::size_t>(m));
      std::iota(order.begin(), order.end(), Index{0});
      // pandas sort_values(kind="stable"): NaN last
      std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) {
        if (std::isnan(mod(a))) return false;
        if (std::isnan(mod(b))) return true;
        return mod(a) < mod(b);
      });
      Matrix t(m, 3);
      Names idx;
      for (Index i = 0; i < m; ++i) {
        const Index k = order[static_cast<std::size_t>(i)];
        t(i, 0) = mod(k);
        t(i, 1) = sol.eigenvalues(k).real();
        t(i, 2) = sol.eigenvalues(k).imag();
        idx.push_back(std::to_string(i + 1));
      }
      print(render("EIGENVALUES:", idx, {"modulus", "real", "imag"}, t, 6));
      print(bk_lines(sol) + "\n\n");
    }
    JsonValue o = JsonValue::object();
    o.set("eigenvalues", eig_json(sol));
    o.set("n_explosive", sol.n_explosive);
    o.set("n_forward", sol.n_forward);
    o.set("blanchard_kahn_ok", sol.ok());
    o.set("status", std::string(to_string(sol.status)));
    add("check", std::move(o));
    if (!sol.ok())
      throw NumericalFailure{cmd.where.file + ":" + std::to_string(cmd.where.line) + ": check: " +
                                 to_string(sol.status) + ": " + sol.message,
                             sol.status};
  }

  static std::string bk_lines(const PerturbationResult& sol) {
    std::string s = "There are " + std::to_string(sol.n_explosive) + " eigenvalue(s) larger than 1 in modulus\nfor " +
                    std::to_string(sol.n_forward) + " forward-looking variable(s)\n\n";
    if (sol.ok())
      s += "The rank condition is verified.";
    else
      s += std::string("Blanchard-Kahn conditions are not satisfied (") + to_string(sol.status) + ").";
    return s;
  }

  static Index index_of(const Names& names, const std::string& v) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == v) return static_cast<Index>(i);
    return -1;
  }

  // rows (and columns when square) of `m` for the variables `vl` among `names`
  static Matrix select_rows(const Matrix& m, const Names& names, const Names& vl) {
    Matrix out(static_cast<Index>(vl.size()), m.cols());
    for (std::size_t i = 0; i < vl.size(); ++i) out.row(static_cast<Index>(i)) = m.row(index_of(names, vl[i]));
    return out;
  }
  static Matrix select_square(const Matrix& m, const Names& names, const Names& vl) {
    // look each name up once (a lookup per entry made this quadratic in names, cubic overall)
    const Index k = static_cast<Index>(vl.size());
    std::vector<Index> idx(vl.size());
    for (std::size_t i = 0; i < vl.size(); ++i) idx[i] = index_of(names, vl[i]);
    Matrix out(k, k);
    for (Index j = 0; j < k; ++j)
      for (Index i = 0; i < k; ++i) out(i, j) = m(idx[static_cast<std::size_t>(i)], idx[static_cast<std::size_t>(j)]);
    return out;
  }
  static Vector select(const Vector& v, const Names& names, const Names& vl) {
    Vector out(static_cast<Index>(vl.size()));
    for (std::size_t i = 0; i < vl.size(); ++i) out(static_cast<Index>(i)) = v(index_of(names, vl[i]));
    return out;
  }

  void do_stoch_simul(const Command& cmd) {
    static const std::set<std::string> known{"order", "irf", "periods", "drop", "ar", "nograph", "graph", "noprint",
                                             "nocorr", "nomoments", "nofunctions", "irf_plot_threshold", "nodisplay",
                                             "graph_format", "conditional_variance_decomposition", "qz_criterium"};
    std::string unsupported;
    for (const auto& o : cmd.options)
      if (!known.count(o.key)) unsupported += (unsupported.empty() ? "" : ", ") + o.key;
    if (!unsupported.empty()) warn(cmd.where, "stoch_simul: unsupported option(s) ignored: " + unsupported);
    const long long order = option_int(cmd, "order", 2);
    if (order != 1) {
      warn(cmd.where, "stoch_simul(order=" + std::to_string(order) + ") is not implemented yet (only order=1): skipped");
      return;
    }
    const long long irf_periods = option_int(cmd, "irf", 40);
    const long long periods = option_int(cmd, "periods", 0);
    const long long drop = option_int(cmd, "drop", 100);
    const long long ar = option_int(cmd, "ar", 5);
    (void)option_float(cmd, "irf_plot_threshold", 1e-10);  // only used for PNG charts (Python side)
    const double qz = option_float(cmd, "qz_criterium", 1.0 + 1e-6);
    const bool nograph = cmd.has_option("nograph") && !cmd.has_option("graph");
    const bool noprint = cmd.has_option("noprint") || quiet_;
    Names var_list = cmd.args.empty() ? endo_names_ : cmd.args;
    std::string unknown;
    for (const auto& v : var_list)
      if (index_of(endo_all_, v) < 0) unknown += (unknown.empty() ? "" : ", ") + v;
    if (!unknown.empty())
      throw UsageFailure{cmd.where.file + ":" + std::to_string(cmd.where.line) + ": stoch_simul: unknown variable(s) " +
                         unknown};
    for (const auto& v : var_list)  // an auxiliary variable not reported: pandas KeyError in Python
      if (index_of(endo_names_, v) < 0) throw Fallback{"stoch_simul lists the unreported variable " + v};
    const PerturbationResult& sol = solve(qz);
    if (!sol.ok())
      throw NumericalFailure{cmd.where.file + ":" + std::to_string(cmd.where.line) + ": stoch_simul: " +
                                 to_string(sol.status) + ": " + sol.message,
                             sol.status};
    const Index n = static_cast<Index>(endo_names_.size());
    JsonValue block = JsonValue::object();
    block.set("endo_names", names_json(endo_names_));
    block.set("exo_names", names_json(sol.exo_names));
    block.set("steady_state", vector_json(sol.steady_state, n));
    block.set("state_names", names_json(sol.state_names));
    block.set("ghx", matrix_json(sol.ghx, n));
    block.set("ghu", matrix_json(sol.ghu, n));
    block.set("eigenvalues", eig_json(sol));
    block.set("n_explosive", sol.n_explosive);
    block.set("n_forward", sol.n_forward);
    JsonValue options = JsonValue::object();
    for (const auto& o : cmd.options) options.set(o.key, o.value);
    block.set("options", std::move(options));
    block.set("var_list", names_json(var_list));
    if (!noprint) print_policy(sol, n);

    bool have_irfs = false;
    if (irf_periods > 0) {
      IrfOptions io;
      io.periods = static_cast<Index>(irf_periods);
      io.include_auxiliary = opts_.include_auxiliary;
      const IrfResult irf = impulse_responses(sol, io);
      JsonValue irfs = JsonValue::object();
      for (const auto& s : sol.exo_names) {
        const Matrix& r = irf.response(s);
        JsonValue by_var = JsonValue::object();
        for (std::size_t j = 0; j < irf.var_names.size(); ++j) {
          JsonValue col = JsonValue::array();
          for (Index t = 0; t < r.rows(); ++t) col.push_back(r(t, static_cast<Index>(j)));
          by_var.set(irf.var_names[j], std::move(col));
        }
        irfs.set(s, std::move(by_var));
      }
      have_irfs = !sol.exo_names.empty();
      block.set("irfs", std::move(irfs));
    }

    if (!cmd.has_option("nomoments")) {
      MomentsOptions mo;
      mo.max_lag = static_cast<Index>(ar);
      mo.include_auxiliary = opts_.include_auxiliary;
      const MomentsResult m = theoretical_moments(sol, mo);
      if (!m.ok()) {
        warn(cmd.where, std::string("stoch_simul: theoretical moments not computed: ") + to_string(m.status) + ": " +
                            m.message);
      } else {
        const Names& vl = var_list;
        JsonValue mj = JsonValue::object();
        mj.set("var_list", names_json(vl));
        mj.set("mean", vector_json(select(m.mean, m.var_names, vl)));
        mj.set("std", vector_json(select(m.std_dev, m.var_names, vl)));
        mj.set("var", matrix_json(select_square(m.covariance, m.var_names, vl)));
        mj.set("correlation", matrix_json(select_square(m.correlation, m.var_names, vl)));
        JsonValue ac = JsonValue::object();
        for (std::size_t k = 0; k < m.autocorrelation.size(); ++k)
          ac.set(std::to_string(k + 1), matrix_json(select_square(m.autocorrelation[k], m.var_names, vl)));
        mj.set("autocorr", std::move(ac));
        const bool has_vd = m.variance_decomposition.size() > 0;
        if (has_vd) {
          mj.set("variance_decomposition", matrix_json(select_rows(m.variance_decomposition, m.var_names, vl)));
          mj.set("variance_decomposition_cols", names_json(sol.exo_names));
        }
        block.set("moments", std::move(mj));
        if (!noprint) print_moments(m, vl, cmd.has_option("nocorr"));
      }
    }

    if (cmd.has_option("conditional_variance_decomposition")) {
      const std::vector<Index> hs = horizons(*cmd.option("conditional_variance_decomposition"));
      const auto cvd = conditional_variance_decomposition(sol, hs);
      if (!cvd.ok()) throw NumericalFailure{cvd.message, cvd.status};
      for (const auto& v : var_list)
        if (index_of(cvd.var_names, v) < 0) throw Fallback{"conditional variance decomposition lacks " + v};
      JsonValue c = JsonValue::object();
      JsonValue hj = JsonValue::array();
      for (Index h : hs) hj.push_back(h);
      c.set("horizons", std::move(hj));
      c.set("cols", names_json(sol.exo_names));
      JsonValue values = JsonValue::object();
      // pandas: frames keyed by horizon (a repeated horizon keeps its first position, last value)
      for (std::size_t k = 0; k < cvd.horizons.size() && k < cvd.decomposition.size(); ++k)
        values.set(std::to_string(cvd.horizons[k]), matrix_json(select_rows(cvd.decomposition[k], cvd.var_names, var_list)));
      c.set("values", std::move(values));
      block.set("conditional_variance_decomposition", std::move(c));
      if (!noprint) print_cvd(cvd);
    }

    if (periods > 0) {
      SimulationOptions so;
      so.periods = static_cast<Index>(periods);
      so.drop = static_cast<Index>(drop);
      so.seed = opts_.seed;
      so.include_auxiliary = opts_.include_auxiliary;
      const SimulationResult sim = simulate(sol, so);
      if (!sim.ok()) throw NumericalFailure{sim.message, sim.status};
      JsonValue sj = JsonValue::object();
      sj.set("periods", periods);
      sj.set("drop", drop);
      sj.set("seed", static_cast<unsigned long long>(opts_.seed));
      sj.set("var_names", names_json(sim.var_names));
      sj.set("endo", matrix_json(sim.paths));
      block.set("simulation", std::move(sj));
      if (!noprint) print_simulated(sim, var_list);
    }
    if (!nograph && have_irfs && !quiet_) print("(IRF charts: use --irf-png DIR)\n\n");
    add("stoch_simul", std::move(block));
  }

  void print_policy(const PerturbationResult& sol, Index n) {
    Names rows{"Constant"};
    for (const auto& s : sol.state_names) rows.push_back(s + "(-1)");
    for (const auto& e : sol.exo_names) rows.push_back(e);
    Matrix t(static_cast<Index>(rows.size()), n);
    t.row(0) = sol.steady_state.head(n).transpose();
    for (Index j = 0; j < static_cast<Index>(sol.state_names.size()); ++j) t.row(1 + j) = sol.ghx.col(j).head(n).transpose();
    const Index off = 1 + static_cast<Index>(sol.state_names.size());
    for (Index j = 0; j < static_cast<Index>(sol.exo_names.size()); ++j) t.row(off + j) = sol.ghu.col(j).head(n).transpose();
    for (Index i = 0; i < t.rows(); ++i)
      for (Index j = 0; j < t.cols(); ++j)
        if (!(std::fabs(t(i, j)) >= 1e-10)) t(i, j) = 0.0;  // df.where(|v| >= 1e-10, 0.0): NaN -> 0 too
    print(render("POLICY AND TRANSITION FUNCTIONS", rows, endo_names_, t, 6));
  }

  void print_moments(const MomentsResult& m, const Names& vl, bool nocorr) {
    const Index k = static_cast<Index>(vl.size());
    Matrix s(k, 3);
    for (Index i = 0; i < k; ++i) {
      const Index r = index_of(m.var_names, vl[static_cast<std::size_t>(i)]);
      s(i, 0) = m.mean(r);
      s(i, 1) = m.std_dev(r);
      s(i, 2) = m.covariance(r, r);
    }
    print(render("THEORETICAL MOMENTS", vl, {"MEAN", "STD. DEV.", "VARIANCE"}, s, 6));
    if (m.variance_decomposition.size() > 0)
      print(render("VARIANCE DECOMPOSITION (in percent)", vl, m.exo_names,
                   select_rows(m.variance_decomposition, m.var_names, vl), 2));
    if (!nocorr) print(render("MATRIX OF CORRELATIONS", vl, vl, select_square(m.correlation, m.var_names, vl), 4));
    if (!m.autocorrelation.empty()) {
      Matrix a(k, static_cast<Index>(m.autocorrelation.size()));
      Names lags;
      for (std::size_t l = 0; l < m.autocorrelation.size(); ++l) {
        lags.push_back(std::to_string(l + 1));
        for (Index i = 0; i < k; ++i) {
          const Index r = index_of(m.var_names, vl[static_cast<std::size_t>(i)]);
          a(i, static_cast<Index>(l)) = m.autocorrelation[l](r, r);
        }
      }
      print(render("COEFFICIENTS OF AUTOCORRELATION (by lag)", vl, lags, a, 4, "lag"));
    }
  }

  void print_cvd(const ConditionalVarianceDecompositionResult& cvd) {
    // pandas prints the (horizon, variable) MultiIndex as two left-aligned index columns, the
    // horizon shown once per block, and a second header line with the index names
    std::size_t hw = std::string("horizon").size(), vw = std::string("variable").size();
    for (Index h : cvd.horizons) hw = std::max(hw, std::to_string(h).size());
    for (const auto& v : cvd.var_names) vw = std::max(vw, v.size());
    const Index nv = static_cast<Index>(cvd.var_names.size());
    Names idx;
    Matrix t(static_cast<Index>(cvd.decomposition.size()) * nv, static_cast<Index>(cvd.exo_names.size()));
    for (std::size_t k = 0; k < cvd.decomposition.size(); ++k)
      for (Index i = 0; i < nv; ++i) {
        idx.push_back(pad_right(i == 0 ? std::to_string(cvd.horizons[k]) : "", hw) + " " +
                      pad_right(cvd.var_names[static_cast<std::size_t>(i)], vw));
        t.row(static_cast<Index>(k) * nv + i) = cvd.decomposition[k].row(i);
      }
    std::string s = render("CONDITIONAL VARIANCE DECOMPOSITION (in percent)", idx, cvd.exo_names, t, 2);
    const auto header_start = s.find('\n') + 1;
    const auto header_end = s.find('\n', header_start);
    s.insert(header_end + 1, pad_right(pad_right("horizon", hw) + " variable", header_end - header_start) + "\n");
    print(s);
  }

  void print_simulated(const SimulationResult& sim, const Names& vl) {
    const Index k = static_cast<Index>(vl.size());
    Matrix t(k, 3);
    const Index T = sim.paths.rows();
    for (Index i = 0; i < k; ++i) {
      const Vector x = sim.paths.col(index_of(sim.var_names, vl[static_cast<std::size_t>(i)]));
      const double mean = x.mean();
      const double var = T > 1 ? (x.array() - mean).square().sum() / static_cast<double>(T - 1)
                               : std::numeric_limits<double>::quiet_NaN();
      t(i, 0) = mean;
      t(i, 1) = std::sqrt(var);
      t(i, 2) = var;
    }
    print(render("MOMENTS OF SIMULATED VARIABLES", vl, {"mean", "std", "var"}, t, 6));
  }

  const Model& model_;
  const RunOptions& opts_;
  RunReport& report_;
  Names endo_all_, endo_names_;
  bool quiet_ = false;
  std::optional<Vector> ss_;
  std::vector<std::pair<double, PerturbationResult>> solutions_;
  std::vector<std::pair<std::string, std::vector<JsonValue>>> results_;
};

}  // namespace

std::string RunReport::tables() const {
  std::string s;
  for (const auto& o : output)
    if (!o.to_stderr) s += o.text;
  return s;
}

std::string RunReport::error_line() const {
  if (exit_code == 2) return "govsim: error: " + message;
  if (exit_code == 3) return "govsim: numerical failure: " + message;
  return "";
}

std::string RunReport::summary() const {
  if (!native()) return "govsim run: not native (" + unsupported.front() + ")";
  if (exit_code == 0)
    return "govsim run: ok, " + std::to_string(warnings.size()) + " warning(s), " + std::to_string(json.size()) +
           " bytes of JSON";
  return "govsim run: exit " + std::to_string(exit_code) + ": " + message;
}

RunReport run_model(const Model& model, const RunOptions& opts) {
  opts.validate();
  RunReport report;
  try {
    Runner(model, opts, report).run();
  } catch (const Fallback& f) {
    report.unsupported.push_back(f.reason);
  } catch (const UsageFailure& u) {
    report.exit_code = 2;
    report.message = u.message;
  } catch (const NumericalFailure& nf) {
    report.exit_code = 3;
    report.status = nf.status == Status::Success ? Status::NumericalIssue : nf.status;
    report.message = nf.message;
  } catch (const govsim::SolveError& e) {  // Python: _core.SolveError -> exit 3, full text
    report.exit_code = 3;
    report.status = Status::NumericalIssue;
    report.message = e.what();
  } catch (const govsim::Error& e) {  // misuse detected by the library: Python's GovsimError
    report.exit_code = 2;
    report.message = first_line(e.what(), "GovsimError");
  } catch (const std::exception& e) {  // anything else: let Python decide what happens
    report.unsupported.push_back(std::string("unexpected error: ") + e.what());
  }
  if (report.exit_code != 0) report.json.clear();
  return report;
}

RunReport run_model_file(const std::string& path, const ParseOptions& parse, const RunOptions& opts) {
  RunReport report;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    report.exit_code = 2;
    report.message = path + ": no such file";
    return report;
  }
  std::optional<Model> model;
  try {
    model = parse_model_file(path, parse);
  } catch (const govsim::SolveError& e) {
    report.exit_code = 3;
    report.status = Status::NumericalIssue;
    report.message = e.what();
    return report;
  } catch (const govsim::Error& e) {
    report.exit_code = 2;
    report.message = first_line(e.what(), "GovsimError");
    return report;
  } catch (const std::exception& e) {
    report.unsupported.push_back(std::string("unexpected error while parsing: ") + e.what());
    return report;
  }
  return run_model(*model, opts);
}

}  // namespace govsim::dsge
