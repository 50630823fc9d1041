// govsim_native: the fast path of `govsim run model.mod` (no Python start-up).
//
//   govsim_native run model.mod [--json FILE|-] [-D NAME=VALUE] [--include-aux] [--seed N] [-q]
//
// Runs the .mod file's steady / check / stoch_simul(order=1) commands with govsim::dsge::run_model,
// which reproduces the Python CLI (python/govsim/cli.py) exactly. Whenever that is not possible
// (other commands, which CLI plug-ins may handle; options this program does not know such as
// --irf-png; unusual option text) it replaces itself with the Python CLI, given the same
// arguments: the interpreter is $GOVSIM_PYTHON (default /usr/bin/python3) and $GOVSIM_PYTHONPATH
// is prepended to PYTHONPATH (the launcher build/bin/govsim sets both). Exit codes: 0 ok,
// 2 bad input, 3 numerical failure, as the Python CLI.
#include <govsim/dsge/runner.hpp>

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_path(const std::string& s) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= s.size()) {
    const auto e = s.find(':', b);
    const std::string part = s.substr(b, e == std::string::npos ? std::string::npos : e - b);
    if (!part.empty()) out.push_back(part);
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return out;
}

// Replace this process by the Python CLI with the original arguments.
[[noreturn]] void fallback(int argc, char** argv, const std::string& why) {
  const char* py = std::getenv("GOVSIM_PYTHON");
  const std::string python = py && *py ? py : "/usr/bin/python3";
  if (const char* pp = std::getenv("GOVSIM_PYTHONPATH"); pp && *pp) {
    const char* old = std::getenv("PYTHONPATH");
    std::string v = pp;
    if (old && *old) v += std::string(":") + old;
    setenv("PYTHONPATH", v.c_str(), 1);
  }
  if (const char* dbg = std::getenv("GOVSIM_NATIVE_DEBUG"); dbg && *dbg)
    std::fprintf(stderr, "govsim_native: falling back to Python: %s\n", why.c_str());
  std::vector<char*> args;
  args.push_back(const_cast<char*>(python.c_str()));
  static char dash_m[] = "-m";
  static char module[] = "govsim.cli";
  args.push_back(dash_m);
  args.push_back(module);
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  execv(python.c_str(), args.data());
  std::fprintf(stderr, "govsim: error: cannot start the Python command line %s: %s\n", python.c_str(),
               std::strerror(errno));
  std::exit(2);
}

// True when CLI plug-ins (python/govsim/commands/<name>.py) may be installed: then commands
// other than steady/check/stoch_simul(order=1) must go to Python.
bool plugins_possible() {
  const char* pp = std::getenv("GOVSIM_PYTHONPATH");
  if (!pp || !*pp) return true;
  for (const auto& dir : split_path(pp)) {
    const fs::path cmds = fs::path(dir) / "govsim" / "commands";
    std::error_code ec;
    if (!fs::is_regular_file(cmds / "__init__.py", ec)) continue;
    for (const auto& e : fs::directory_iterator(cmds, ec)) {
      const std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '_' || name[0] == '.') continue;
      if (e.is_directory(ec) || name.find(".py") != std::string::npos || name.find(".so") != std::string::npos)
        return true;
    }
    return false;  // the first package on the path is the one Python imports
  }
  return true;
}

bool strict_number(const std::string& s) {
  std::size_t i = 0, n = s.size(), digits = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (!digits) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t ed = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++ed;
    if (!ed) return false;
  }
  return i == n;
}

// Text Python's float() might accept although strict_number() does not.
bool maybe_python_float(const std::string& s) {
  std::string l;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '_') return true;
    l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return l.find("inf") != std::string::npos || l.find("nan") != std::string::npos;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) != "run") fallback(argc, argv, "not a `run` command");
  std::optional<std::string> model, json;
  std::vector<std::pair<std::string, std::string>> defines;
  govsim::dsge::RunOptions opts;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const std::string& opt) -> std::string {
      if (i + 1 >= argc) fallback(argc, argv, opt + " without a value");
      const std::string v = argv[++i];
      if (!v.empty() && v[0] == '-' && v != "-") fallback(argc, argv, opt + " value starts with '-'");
      return v;
    };
    std::string define;
    bool have_define = false;
    if (a == "--json") {
      json = value(a);
    } else if (a.rfind("--json=", 0) == 0) {
      json = a.substr(7);
    } else if (a == "-D") {
      define = value(a);
      have_define = true;
    } else if (a.size() > 2 && a.rfind("-D", 0) == 0) {
      define = a.substr(2);
      have_define = true;
    } else if (a == "--include-aux") {
      opts.include_auxiliary = true;
    } else if (a == "-q" || a == "--quiet") {
      opts.quiet = true;
    } else if (a == "--seed" || a.rfind("--seed=", 0) == 0) {
      const std::string v = a == "--seed" ? value(a) : a.substr(7);
      if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
        fallback(argc, argv, "--seed " + v);
      opts.seed = std::stoull(v);
    } else if (!a.empty() && a[0] == '-') {
      fallback(argc, argv, "option " + a);  // --irf-png, --help, abbreviations, ...
    } else {
      if (model) fallback(argc, argv, "two model files");
      model = a;
    }
    if (have_define) {
      // cli._define_items + dsge._defines: NAME -> "1"; non-numbers become macro strings
      std::string k = define, v = "1";
      if (const auto eq = define.find('='); eq != std::string::npos) {
        k = define.substr(0, eq);
        v = define.substr(eq + 1);
      }
      if (!(v.rfind('"', 0) == 0 || v.rfind('[', 0) == 0 || strict_number(v))) {
        if (maybe_python_float(v)) fallback(argc, argv, "-D value " + v);
        v = "\"" + v + "\"";
      }
      bool replaced = false;
      for (auto& d : defines)
        if (d.first == k) d.second = v, replaced = true;
      if (!replaced) defines.emplace_back(k, v);
    }
  }
  if (!model) fallback(argc, argv, "no model file");
  opts.want_json = json.has_value() && !json->empty();
  opts.quiet = opts.quiet || (json && *json == "-");
  opts.skip_other_commands = !plugins_possible();

  govsim::dsge::ParseOptions parse;
  parse.defines = defines;
  const auto report = govsim::dsge::run_model_file(*model, parse, opts);
  if (!report.native()) fallback(argc, argv, report.unsupported.front());

  for (const auto& o : report.output) {
    std::FILE* f = o.to_stderr ? stderr : stdout;
    if (o.to_stderr) std::fflush(stdout);
    std::fwrite(o.text.data(), 1, o.text.size(), f);
  }
  std::fflush(stdout);
  if (report.exit_code != 0) {
    std::fprintf(stderr, "%s\n", report.error_line().c_str());
    return report.exit_code;
  }
  if (opts.want_json) {
    if (*json == "-") {
      std::fwrite(report.json.data(), 1, report.json.size(), stdout);
    } else {
      std::FILE* f = std::fopen(json->c_str(), "w");
      if (!f) {
        std::fprintf(stderr, "govsim: error: [Errno %d] %s: '%s'\n", errno, std::strerror(errno), json->c_str());
        return 2;
      }
      std::fwrite(report.json.data(), 1, report.json.size(), f);
      std::fclose(f);
    }
  }
  return 0;
}
