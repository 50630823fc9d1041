// govsim: the command line.
//
//   govsim run model.mod [--json FILE|-] [--irf-png DIR] [-D NAME[=VALUE]] [--include-aux] [--seed N] [-q]
//   govsim COMMAND ...            (io, demo, calibrate, network, ...: the Python command line)
//
// `run` is executed here: govsim::dsge::run_commands() computes, run_render.cpp prints the tables
// and writes the JSON document (atomically). Every other subcommand, `--help` and `--version` are
// handed to the Python command line (`python -m govsim.cli`, which lists all subcommands, `run`
// included) by replacing this process. The Python package is found, in order, through
// $GOVSIM_PYTHONPATH, next to this program as installed (<prefix>/lib/pythonX.Y/site-packages)
// or in the build tree (<build>/python); the interpreter is $GOVSIM_PYTHON or the one the
// package was built for. IRF charts (`--irf-png`) are drawn by matplotlib through
// `python -m govsim.cli_support irf-png SPEC.json`, the only Python step of `run`.
//
// Exit codes: 0 ok, 2 bad input (a one-line `govsim: error: ...`), 3 numerical failure
// (`govsim: numerical failure: ...`).
#include "atomic_write.hpp"
#include "run_render.hpp"

#include <govsim/core/error.hpp>
#include <govsim/dsge/run_commands.hpp>
#include <govsim/policy/run_commands.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <memory>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#ifndef GOVSIM_PYTHON_EXECUTABLE
#define GOVSIM_PYTHON_EXECUTABLE "/usr/bin/python3"
#endif
#ifndef GOVSIM_PYTHON_SITE
#define GOVSIM_PYTHON_SITE "lib/python3/site-packages"
#endif

namespace {

namespace fs = std::filesystem;
constexpr int kExitUsage = 2, kExitNumerical = 3;

const char* kRunUsage =
    "usage: govsim run [-h] [--json FILE] [--irf-png DIR] [-D NAME=VALUE] [--include-aux] [--seed SEED] [-q] model\n";

const char* kRunHelp =
    "\nRun a Dynare .mod file: steady, check, stoch_simul (order 1 and 2), osr, estimation,\n"
    "perfect_foresight_setup/solver, in file order.\n\n"
    "positional arguments:\n"
    "  model                 the .mod file\n\n"
    "options:\n"
    "  -h, --help            show this help message and exit\n"
    "  --json FILE           write the results as JSON ('-' for stdout)\n"
    "  --irf-png DIR         write IRF charts as PNG files into DIR\n"
    "  -D NAME=VALUE         macro definition (repeatable)\n"
    "  --include-aux         also report auxiliary variables\n"
    "  --seed SEED           seed of simulations and MCMC chains (default 1)\n"
    "  -q, --quiet           no tables on stdout\n";

[[noreturn]] void usage_error(const std::string& msg) {
  std::fputs(kRunUsage, stderr);
  std::fprintf(stderr, "govsim: error: %s\n", msg.c_str());
  std::exit(kExitUsage);
}

fs::path self_dir() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path(".") : p.parent_path();
}

std::string python_interpreter() {
  const char* py = std::getenv("GOVSIM_PYTHON");
  return py && *py ? py : GOVSIM_PYTHON_EXECUTABLE;
}

// Folder holding the `govsim` Python package.
std::string python_path() {
  if (const char* pp = std::getenv("GOVSIM_PYTHONPATH"); pp && *pp) return pp;
  const fs::path here = self_dir();
  std::error_code ec;
  for (const fs::path& c : {here.parent_path() / GOVSIM_PYTHON_SITE, here.parent_path() / "python"})
    if (fs::is_regular_file(c / "govsim" / "__init__.py", ec)) return c.string();
  return "";
}

void set_pythonpath() {
  const std::string pp = python_path();
  if (pp.empty()) return;
  const char* old = std::getenv("PYTHONPATH");
  std::string v = pp;
  if (old && *old) v += std::string(":") + old;
  setenv("PYTHONPATH", v.c_str(), 1);
}

std::vector<char*> python_argv(const std::string& python, const std::vector<std::string>& args,
                               std::vector<std::string>& storage) {
  storage.clear();
  storage.push_back(python);
  for (const auto& a : args) storage.push_back(a);
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  return argv;
}

// Replace this process by the Python command line.
[[noreturn]] void exec_python_cli(int argc, char** argv) {
  const std::string python = python_interpreter();
  set_pythonpath();
  std::vector<std::string> args{"-m", "govsim.cli"};
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  std::vector<std::string> storage;
  auto a = python_argv(python, args, storage);
  execv(python.c_str(), a.data());
  std::fprintf(stderr, "govsim: error: cannot start the Python command line %s: %s\n", python.c_str(),
               std::strerror(errno));
  std::exit(kExitUsage);
}

// Run Python with `args` as a child process; its exit status.
int run_python(const std::vector<std::string>& args) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    const std::string python = python_interpreter();
    set_pythonpath();
    std::vector<std::string> storage;
    auto a = python_argv(python, args, storage);
    execv(python.c_str(), a.data());
    std::fprintf(stderr, "govsim: error: cannot start %s: %s\n", python.c_str(), std::strerror(errno));
    _exit(127);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

bool is_number(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && *end == '\0' && !std::isspace(static_cast<unsigned char>(s[0]));
}

std::string first_line(const std::string& what) {
  std::string s = what;
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "error";
  s = s.substr(b);
  const auto e = s.find('\n');
  if (e != std::string::npos) s = s.substr(0, e);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

struct RunArgs {
  std::string model;
  std::optional<std::string> json, irf_png;
  std::vector<std::pair<std::string, std::string>> defines;
  govsim::dsge::RunOptions opts;
  bool quiet = false;
};

RunArgs parse_run_args(int argc, char** argv) {
  RunArgs a;
  bool have_model = false;
  for (int i = 2; i < argc; ++i) {
    const std::string s = argv[i];
    auto value = [&](const std::string& opt) -> std::string {
      if (i + 1 >= argc) usage_error("argument " + opt + ": expected one argument");
      return argv[++i];
    };
    auto long_opt = [&](const std::string& name, std::string& out) {
      if (s == name) {
        out = value(name);
        return true;
      }
      if (s.rfind(name + "=", 0) == 0) {
        out = s.substr(name.size() + 1);
        return true;
      }
      return false;
    };
    std::string v;
    if (s == "-h" || s == "--help") {
      std::fputs(kRunUsage, stdout);
      std::fputs(kRunHelp, stdout);
      std::exit(0);
    } else if (long_opt("--json", v)) {
      a.json = v;
    } else if (long_opt("--irf-png", v)) {
      a.irf_png = v;
    } else if (long_opt("--seed", v)) {
      // a seed is an unsigned 64-bit integer
      if (v.empty() || v.size() > 20 || v.find_first_not_of("0123456789") != std::string::npos)
        usage_error("argument --seed: '" + v + "' is not an integer in [0, 18446744073709551615]");
      errno = 0;
      const unsigned long long seed = std::strtoull(v.c_str(), nullptr, 10);
      if (errno == ERANGE) usage_error("argument --seed: " + v + " is out of range [0, 18446744073709551615]");
      a.opts.seed = seed;
    } else if (s == "-D" || (s.size() > 2 && s.rfind("-D", 0) == 0)) {
      const std::string d = s == "-D" ? value("-D") : s.substr(2);
      std::string k = d, val = "1";
      if (const auto eq = d.find('='); eq != std::string::npos) k = d.substr(0, eq), val = d.substr(eq + 1);
      if (k.empty()) usage_error("argument -D: '" + d + "' needs a NAME");
      // numbers, "strings" and [arrays] are macro values as written; other text becomes a string
      if (!(val.rfind('"', 0) == 0 || val.rfind('[', 0) == 0 || is_number(val))) val = "\"" + val + "\"";
      bool replaced = false;
      for (auto& [dk, dv] : a.defines)
        if (dk == k) dv = val, replaced = true;
      if (!replaced) a.defines.emplace_back(k, val);
    } else if (s == "--include-aux") {
      a.opts.include_auxiliary = true;
    } else if (s == "-q" || s == "--quiet") {
      a.quiet = true;
    } else if (s.size() > 1 && s[0] == '-') {
      usage_error("unrecognized arguments: " + s);
    } else {
      if (have_model) usage_error("unrecognized arguments: " + s);
      a.model = s;
      have_model = true;
    }
  }
  if (!have_model) usage_error("the following arguments are required: model");
  return a;
}

bool g_progress_shown = false;

std::string fmt_seconds(double s) {
  if (!(s >= 0) || std::isinf(s)) return "?";
  const long t = std::lround(s);
  char b[32];
  if (t < 60) std::snprintf(b, sizeof b, "%lds", t);
  else if (t < 3600) std::snprintf(b, sizeof b, "%ldm%02lds", t / 60, t % 60);
  else std::snprintf(b, sizeof b, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
  return b;
}

// Progress of osr / estimation on stderr when it is a terminal (or GOVSIM_PROGRESS=1): a bar
// for the MCMC draws (`MCMC |####----| 50.0% 400/800 draws [1s<1s, 400.0 draws/s]`), the
// number of improvements and the objective for optimizers.
void attach_progress(govsim::dsge::RunOptions& opts, bool quiet) {
  const char* env = std::getenv("GOVSIM_PROGRESS");
  if (quiet || !(isatty(2) || (env && std::string(env) == "1"))) return;
  struct State {
    std::string command;
    std::chrono::steady_clock::time_point start, last;
  };
  auto st = std::make_shared<State>();
  opts.on_progress = [st](const std::string& command, const govsim::IterationInfo& info) {
    const auto now = std::chrono::steady_clock::now();
    if (command != st->command) {
      if (g_progress_shown) std::fputc('\n', stderr);
      st->command = command;
      st->start = now;
    } else if (now - st->last < std::chrono::milliseconds(100) && !(info.total > 0 && info.iteration >= info.total)) {
      return true;
    }
    st->last = now;
    g_progress_shown = true;
    const double elapsed = std::max(std::chrono::duration<double>(now - st->start).count(), 1e-9);
    if (info.total > 0) {
      const std::string label = command == "mcmc" ? "MCMC" : command;
      const char* unit = command == "mcmc" ? "draws" : "it";
      const double frac = std::min(1.0, static_cast<double>(info.iteration) / info.total);
      const int width = 30, filled = static_cast<int>(frac * width);
      const double rate = info.iteration / elapsed;
      const double eta = rate > 0 ? (info.total - info.iteration) / rate : -1.0;
      std::fprintf(stderr, "\r%s |%s%s| %5.1f%% %d/%d %s [%s<%s, %.1f %s/s]", label.c_str(),
                   std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(width - filled), '-').c_str(), 100.0 * frac, info.iteration,
                   info.total, unit, fmt_seconds(elapsed).c_str(), fmt_seconds(eta).c_str(), rate, unit);
    } else {
      std::fprintf(stderr, "\r%s: %d improvements, objective %.10g", command.c_str(), info.iteration, info.objective);
    }
    std::fflush(stderr);
    return true;
  };
}

// Draw the IRF charts with matplotlib (govsim.cli_support irf-png); "" or the reason it failed.
std::string draw_irf_charts(const govsim::dsge::RunResult& r, const std::string& model_path, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return dir + ": " + ec.message();
  const std::string name = fs::path(model_path).stem().string();
  const auto charts = govsim::cli::irf_charts(r, name, dir);
  if (charts.empty()) return "";
  govsim::JsonValue spec = govsim::JsonValue::array();
  for (const auto& c : charts) {
    govsim::JsonValue o = govsim::JsonValue::object();
    o.set("title", c.title);
    o.set("path", c.path);
    govsim::JsonValue series = govsim::JsonValue::object();
    for (std::size_t k = 0; k < c.vars.size(); ++k) {
      govsim::JsonValue col = govsim::JsonValue::array();
      for (govsim::Index t = 0; t < c.values[k].size(); ++t) col.push_back(c.values[k](t));
      series.set(c.vars[k], std::move(col));
    }
    o.set("series", std::move(series));
    spec.push_back(std::move(o));
  }
  char tmpl[] = "/tmp/govsim-irf-XXXXXX";
  const int fd = mkstemp(tmpl);
  if (fd < 0) return std::string("temporary file: ") + std::strerror(errno);
  close(fd);
  const std::string tmp = tmpl;
  std::string err = govsim::cli::write_file_atomically(tmp, spec.dump(1) + "\n");
  if (err.empty()) {
    const int rc = run_python({"-m", "govsim.cli_support", "irf-png", tmp});
    if (rc != 0) err = "drawing the IRF charts failed (exit status " + std::to_string(rc) + ")";
  }
  unlink(tmp.c_str());
  return err;
}

int cmd_run(int argc, char** argv) {
  RunArgs a = parse_run_args(argc, argv);
  const bool json_stdout = a.json && *a.json == "-";
  const bool quiet = a.quiet || json_stdout;
  std::error_code ec;
  if (fs::is_directory(a.model, ec)) {
    std::fprintf(stderr, "govsim: error: %s: is a folder, not a model file\n", a.model.c_str());
    return kExitUsage;
  }
  if (!fs::is_regular_file(a.model, ec)) {
    std::fprintf(stderr, "govsim: error: %s: no such file\n", a.model.c_str());
    return kExitUsage;
  }
  std::optional<govsim::dsge::Model> model;
  try {
    govsim::dsge::ParseOptions po;
    po.defines = a.defines;
    model = govsim::dsge::parse_model_file(a.model, po);
  } catch (const govsim::SolveError& e) {
    std::fprintf(stderr, "govsim: numerical failure: %s\n", e.what());
    return kExitNumerical;
  } catch (const govsim::Error& e) {
    std::fprintf(stderr, "govsim: error: %s\n", first_line(e.what()).c_str());
    return kExitUsage;
  }
  attach_progress(a.opts, quiet);
  const govsim::dsge::RunResult r = govsim::policy::run_commands(*model, a.opts);
  if (g_progress_shown) std::fputs("\n", stderr);

  for (const auto& o : govsim::cli::render_text(r, quiet)) {
    if (o.to_stderr) std::fflush(stdout);
    std::fwrite(o.text.data(), 1, o.text.size(), o.to_stderr ? stderr : stdout);
  }
  std::fflush(stdout);
  if (!r.ok()) {
    if (r.failure == govsim::dsge::RunFailure::Numerical) {
      std::fprintf(stderr, "govsim: numerical failure: %s\n", r.error_message.c_str());
      return kExitNumerical;
    }
    std::fprintf(stderr, "govsim: error: %s\n", first_line(r.error_message).c_str());
    return kExitUsage;
  }
  if (a.irf_png) {
    const std::string err = draw_irf_charts(r, a.model, *a.irf_png);
    if (!err.empty()) {
      std::fprintf(stderr, "govsim: error: %s\n", err.c_str());
      return kExitUsage;
    }
  }
  if (a.json && !a.json->empty()) {
    const std::string text = govsim::cli::render_json(r).dump(1) + "\n";
    if (json_stdout) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::fprintf(stderr, "govsim: error: writing the JSON to stdout: %s\n", std::strerror(errno));
        return kExitUsage;
      }
    } else if (const std::string err = govsim::cli::write_file_atomically(*a.json, text); !err.empty()) {
      std::fprintf(stderr, "govsim: error: cannot write the JSON: %s\n", err.c_str());
      return kExitUsage;
    }
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) return kExitUsage;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "run") return cmd_run(argc, argv);
  exec_python_cli(argc, argv);
}
