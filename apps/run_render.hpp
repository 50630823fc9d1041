#pragma once
// Rendering of govsim::dsge::RunResult for `govsim run`: the text tables printed on stdout and
// the `--json` document (keys and layout as read by the Dynare comparison tool and the tests).
#include <govsim/core/json_writer.hpp>
#include <govsim/dsge/run_commands.hpp>
#include <govsim/policy/run_commands.hpp>

#include <string>
#include <vector>

namespace govsim::cli {

/// One piece of output in run order: a table block (stdout) or a warning line (stderr).
struct Output {
  bool to_stderr = false;  ///< warnings go to stderr
  std::string text;        ///< text ending with a newline
};

/// Tables and warnings of a run in order (`quiet`: warnings only).
std::vector<Output> render_text(const dsge::RunResult& r, bool quiet);

/// The JSON document of a successful run.
JsonValue render_json(const dsge::RunResult& r);

/// `file:line: warning: message` (without the location when unknown).
std::string warning_line(const dsge::RunWarning& w);

/// One IRF chart to draw: responses of `vars` to `shock` (values[var][period]).
struct IrfChart {
  std::string shock;           ///< shock
  std::string title;           ///< chart title
  std::string path;            ///< PNG file
  Names vars;                  ///< variables shown (above irf_plot_threshold)
  std::vector<Vector> values;  ///< one response per variable
};

/// The IRF charts of every stoch_simul of the run, into `dir` named `<model>_IRF_<shock>.png`.
std::vector<IrfChart> irf_charts(const dsge::RunResult& r, const std::string& model_name, const std::string& dir);

}  // namespace govsim::cli
