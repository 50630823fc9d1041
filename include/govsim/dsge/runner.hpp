#pragma once
/// \file
/// Native execution of a .mod file's commands, as `govsim run model.mod` does.
///
/// run_model() executes the ordered commands `steady`, `check` and `stoch_simul(order=1, ...)`
/// with exactly the semantics of the Python command line (`govsim.cli.cmd_run`): the same JSON
/// document (keys, order, values to the last bit), the same warnings, the same text tables (as
/// far as reasonable) and the same exit codes (2 bad input, 3 numerical failure). Whatever it
/// cannot reproduce exactly (other commands that plug-ins may handle, `--irf-png`, option values
/// that Python would parse differently) is listed in RunReport::unsupported, and the caller then
/// runs the Python implementation instead. The library never prints: the report holds the text.
///
/// \code
/// govsim::dsge::RunOptions o;
/// auto report = govsim::dsge::run_model_file("rbc.mod", {}, o);
/// if (!report.native()) { /* run the Python CLI */ }
/// else if (report.ok()) std::fputs(report.json.c_str(), stdout);
/// \endcode

#include <govsim/core/status.hpp>
#include <govsim/dsge/model.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace govsim::dsge {

/// Options of run_model(), one per `govsim run` command-line option.
struct RunOptions {
  bool include_auxiliary = false;  ///< `--include-aux`: also report auxiliary variables
  std::uint64_t seed = 1;          ///< `--seed`: seed of stoch_simul(periods=...) simulations
  bool quiet = false;              ///< `-q`, or JSON written to stdout: no tables
  bool want_json = false;          ///< `--json` given (non-empty): build RunReport::json
  /// Commands other than steady, check and stoch_simul(order=1): when true they are skipped
  /// with the Python CLI's warning (correct when no CLI plug-in is installed); when false they
  /// are listed in RunReport::unsupported so that the caller can fall back to Python.
  bool skip_other_commands = false;
  /// Validate the options (nothing to check today; kept for the Options convention).
  void validate() const {}
};

/// One piece of output, in the order the Python CLI writes it.
struct RunOutput {
  bool to_stderr = false;  ///< warnings go to stderr, tables to stdout
  std::string text;        ///< text, ending with a newline
};

/// Outcome of run_model().
struct RunReport {
  /// Reasons the run cannot be done natively ("file:line: command 'osr'" ...). When not empty
  /// nothing else in the report is meaningful: run the Python CLI.
  std::vector<std::string> unsupported;
  std::string json;                 ///< the `--json` document (with a final newline) when exit_code == 0
  std::vector<RunOutput> output;    ///< tables (stdout) and warnings (stderr) in order
  std::vector<std::string> warnings;  ///< the warnings alone, as printed (`file:line: warning: ...`)
  int exit_code = 0;                ///< 0 ok, 2 bad input, 3 numerical failure
  Status status = Status::Success;  ///< NumericalIssue-like status when exit_code == 3
  std::string message;              ///< error text for exit codes 2 and 3 (without the `govsim: ...` prefix)

  bool native() const noexcept { return unsupported.empty(); }  ///< no fallback needed
  bool ok() const noexcept { return native() && exit_code == 0; }  ///< ran natively and succeeded
  std::string tables() const;       ///< the stdout text
  std::string error_line() const;   ///< `govsim: error: ...` / `govsim: numerical failure: ...` or ""
  std::string summary() const;      ///< one-line report
};

/// Run the model's commands natively.
/// \param model parsed model (its warnings are reported first, as the Python CLI does)
/// \param opts options
/// \return the report (never throws for bad model content: errors become exit code 2 or 3)
RunReport run_model(const Model& model, const RunOptions& opts = {});

/// Parse `path` (with macro definitions in `parse.defines`) and run it. A missing file or a
/// parse error gives exit code 2 with the Python CLI's message.
/// \param path .mod file
/// \param parse defines and include paths
/// \param opts options
/// \return the report
RunReport run_model_file(const std::string& path, const ParseOptions& parse = {}, const RunOptions& opts = {});

}  // namespace govsim::dsge
