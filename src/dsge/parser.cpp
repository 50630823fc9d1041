// .mod reader: lexer and recursive-descent parser producing a ModelData.
#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>

#include "macro.hpp"
#include "model_data.hpp"
#include "tape.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace govsim::dsge {

namespace detail {
namespace {

// Bad: a character the .mod language does not use (kept so that native MATLAB statements can
// be skipped; reported as "unexpected character" anywhere else).
enum class Tok { Ident, Number, String, Tex, Punct, Bad, End };

struct Token {
  Tok kind = Tok::End;
  std::string text;
  double num = 0.0;
  int line = 0;  // index into lines
  int col = 0;   // 1-based
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

const std::set<std::string>& function_names() {
  static const std::set<std::string> f{"exp", "log", "ln", "log10", "sqrt", "abs", "sign", "max", "min",
                                       "normcdf", "normpdf", "erf", "sin", "cos", "tan", "atan", "STEADY_STATE",
                                       "steady_state"};
  return f;
}

// Known commands and their options (unknown options are warnings).
const std::map<std::string, std::set<std::string>>& known_commands() {
  static const std::map<std::string, std::set<std::string>> m{
      {"steady", {"nocheck", "solve_algo", "homotopy_mode", "homotopy_steps", "maxit", "tolf", "tolx", "markowitz", "noprint"}},
      {"check", {"solve_algo", "qz_zero_threshold", "noprint"}},
      {"resid", {"non_zero"}},
      {"model_diagnostics", {}},
      {"model_info", {}},
      {"stoch_simul",
       {"order", "irf", "ar", "nograph", "noprint", "periods", "drop", "irf_plot_threshold", "nomoments", "nocorr",
        "nofunctions", "hp_filter", "one_sided_hp_filter", "bandpass_filter", "simul_replic", "irf_shocks", "pruning",
        "k_order_solver", "loglinear", "logdata", "qz_criterium", "qz_zero_threshold", "replic", "solve_algo",
        "aim_solver", "dr", "graph_format", "conditional_variance_decomposition", "contemporaneous_correlation",
        "relative_irf", "tex", "nodisplay", "nodecomposition", "graph", "lyapunov", "lyapunov_fixed_point_tol",
        "lyapunov_doubling_tol", "sylvester", "sylvester_fixed_point_tol", "dr_cycle_reduction_tol",
        "dr_logarithmic_reduction_tol", "dr_logarithmic_reduction_maxiter", "hp_ngrid", "filtered_theoretical_moments_grid",
        "partial_information", "noprint", "nocorr", "print", "spectral_density", "irf_plot_threshold", "order"}},
      {"osr", {"opt_algo", "optim", "irf", "ar", "nograph", "noprint", "irf_plot_threshold", "nomoments", "nocorr",
               "nofunctions", "order", "periods", "drop", "hp_filter", "simul_replic", "irf_shocks", "relative_irf",
               "graph_format", "tex", "nodisplay", "maxit", "tolf", "analytic_derivation", "loglinear", "qz_criterium"}},
      {"estimation",
       {"datafile", "mode_compute", "lik_init", "presample", "nograph", "first_obs", "nobs", "mh_replic", "mh_nblocks",
        "mh_jscale", "mh_drop", "mh_init_scale", "mode_file", "mode_check", "prefilter", "loglinear", "lik_algo",
        "kalman_algo", "kalman_tol", "diffuse_filter", "order", "bayesian_irf", "irf", "moments_varendo", "smoother",
        "filtered_vars", "forecast", "conf_sig", "mh_conf_sig", "plot_priors", "noprint", "tex", "nodisplay",
        "graph_format", "optim", "xls_sheet", "xls_range", "qz_criterium", "lyapunov", "load_mh_file", "mh_recover",
        "posterior_nograph", "consider_all_endogenous", "consider_only_observed", "nodiagnostic", "mh_tune_jscale",
        "raftery_lewis_diagnostics", "use_calibration", "analytic_derivation", "keep_kalman_algo_if_singularity_is_detected",
        "filter_step_ahead", "selected_variables_only", "cova_compute", "mode_check_neighbourhood_size", "debug",
        "posterior_sampling_method", "posterior_sampler_options", "silent_optimizer", "dirname", "endogenous_prior",
        "huge_number", "fast_kalman_filter", "distribution_approximation", "sub_draws", "taper_steps", "geweke_interval",
        "irf_shocks", "relative_irf", "contemporaneous_correlation", "loglikelihood_only", "nograph", "plot_shock_decomposition"}},
      {"perfect_foresight_setup", {"periods", "datafile", "first_simulation_period", "last_simulation_period"}},
      {"perfect_foresight_solver",
       {"tolf", "tolx", "maxit", "stack_solve_algo", "no_homotopy", "markowitz", "noprint", "print", "robust_lin_solve",
        "solve_algo", "endogenous_terminal_period", "linear_approximation", "lmmcp", "homotopy_max_completion_share",
        "homotopy_min_step_size", "homotopy_step_size_increase_success_count", "homotopy_linearization_fallback",
        "homotopy_marginal_linearization_fallback", "homotopy_exclude_varexo", "no_homotopy"}},
      {"simul", {"periods", "tolf", "maxit", "stack_solve_algo"}},
      {"forecast", {"periods", "conf_sig", "nograph"}},
      {"shock_decomposition", {"parameter_set", "datafile", "nograph"}},
      {"write_latex_dynamic_model", {"write_equation_tags"}},
      {"write_latex_static_model", {}},
      {"write_latex_original_model", {}},
      {"write_latex_parameter_table", {}},
      {"write_latex_definitions", {}},
      {"write_latex_prior_table", {}},
      {"write_latex_steady_state_model", {}},
      {"rplot", {}},
      {"dynatype", {}},
      {"dynasave", {}},
      {"identification", {"ar", "parameter_set", "prior_mc", "advanced", "order"}},
      {"calib_smoother", {"datafile", "filtered_vars", "filter_step_ahead", "first_obs", "nobs"}},
      {"ramsey_model", {"planner_discount", "instruments"}},
      {"ramsey_policy", {"planner_discount", "order", "irf", "nograph", "instruments", "ar", "noprint", "nomoments",
                         "nocorr", "graph"}},
      {"planner_objective", {}},
      {"discretionary_policy", {"discount", "planner_discount", "instruments", "order", "irf", "nograph", "ar",
                                "noprint", "nomoments", "nocorr", "graph", "discretionary_tol", "maxit"}},
      {"evaluate_planner_objective", {}},
      {"dynare_sensitivity", {}},
      {"save_params_and_steady_state", {}},
      {"load_params_and_steady_state", {}},
      {"initval_file", {"filename", "datafile", "series"}},
      {"histval_file", {"filename", "datafile"}},
      {"set_time", {}},
      {"data", {"file", "series"}},
      {"sbvar", {}},
      {"ms_estimation", {}},
      {"occbin_setup", {}},
      {"occbin_solver", {}},
      {"method_of_moments", {}},
      {"extended_path", {"periods", "order"}},
      {"conditional_forecast", {"parameter_set", "controlled_varexo", "periods", "replic", "conf_sig"}},
      {"plot_conditional_forecast", {"periods"}},
      {"model_comparison", {}},
      {"prior", {}},
      {"unit_root_vars", {}},
  };
  return m;
}

const std::set<std::string>& unknown_block_names() {
  static const std::set<std::string> s{"observation_trends",
                                       "estimated_params_remove",
                                       "deterministic_trends",
                                       "homotopy_setup",
                                       "moment_calibration",
                                       "irf_calibration",
                                       "ramsey_constraints",
                                       "conditional_forecast_paths",
                                       "svar_identification",
                                       "filter_initial_state",
                                       "shock_groups",
                                       "mshocks",
                                       "model_replace",
                                       "model_remove",
                                       "epilogue",
                                       "matched_moments",
                                       "occbin_constraints",
                                       "markov_switching",
                                       "generate_irfs",
                                       "init_plan",
                                       "heteroskedastic_shocks",
                                       "var_expectation_model",
                                       "pac_target_info",
                                       "calib_var",
                                       "model_diagnostics_block"};
  return s;
}

const std::set<std::string>& matlab_names() {
  static const std::set<std::string> s{"set_param_value", "load", "save", "disp", "display", "fprintf", "sprintf",
                                       "for", "if", "while", "function", "figure", "plot", "clear", "close", "clc",
                                       "global", "addpath", "hold", "subplot", "title", "legend", "xlabel", "ylabel",
                                       "print", "dynare", "warning", "error", "eval", "cd", "run", "switch", "try",
                                       "else", "elseif", "case", "otherwise", "catch", "break", "continue",
                                       "return", "keyboard", "parfor", "drawnow", "pause", "format", "tic", "toc"};
  return s;
}

const std::set<std::string>& prior_shapes() {
  static const std::set<std::string> s{"normal_pdf", "beta_pdf", "gamma_pdf", "inv_gamma_pdf", "inv_gamma1_pdf",
                                       "inv_gamma2_pdf", "uniform_pdf", "weibull_pdf"};
  return s;
}

const std::set<std::string>& statement_keywords() {
  static const std::set<std::string> s{"var", "varexo", "varexo_det", "parameters", "predetermined_variables", "model",
                                       "steady_state_model", "initval", "endval", "histval", "shocks", "estimated_params",
                                       "varobs", "osr_params", "osr_params_bounds", "optim_weights", "verbatim"};
  return s;
}

enum class Ctx { Scalar, Model, SteadyStateModel, Values };

// trend_var / log_trend_var: growth factor expression.
struct TrendVar {
  ExprId growth = 0;
  bool log = false;
};
// var(deflator = ...) / var(log_deflator = ...) of one variable.
struct Deflator {
  bool defined = false;
  bool log = false;
  std::size_t begin = 0, end = 0;  // token range of the expression
};

class Parser {
 public:
  Parser(std::vector<SourceLine> lines, std::string name) : lines_(std::move(lines)) {
    d_ = std::make_shared<ModelData>();
    d_->name = std::move(name);
    lex();
  }

  /// Folder of the model file: an unknown function `f(...)` with an `f.m` there is named as a
  /// MATLAB function file in the error.
  void set_source_dir(std::string dir) { source_dir_ = std::move(dir); }

  std::shared_ptr<ModelData> run() {
    while (peek().kind != Tok::End) statement();
    finish();
    return d_;
  }

 private:
  // ---------------------------------------------------------------- lexer
  void lex() {
    for (std::size_t li = 0; li < lines_.size(); ++li) {
      const std::string& s = lines_[li].text;
      std::size_t i = 0;
      while (i < s.size()) {
        char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
          ++i;
          continue;
        }
        Token t;
        t.line = static_cast<int>(li);
        t.col = static_cast<int>(i) + 1;
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
          std::size_t j = i;
          while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
          t.kind = Tok::Ident;
          t.text = s.substr(i, j - i);
          i = j;
        } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                   (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
          std::size_t j = i;
          while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
          if (j < s.size() && s[j] == '.') {
            ++j;
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
          }
          if (j < s.size() && (s[j] == 'e' || s[j] == 'E' || s[j] == 'd' || s[j] == 'D')) {
            std::size_t k = j + 1;
            if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
            if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
              while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
              j = k;
            }
          }
          t.kind = Tok::Number;
          t.text = s.substr(i, j - i);
          std::string norm = t.text;
          for (char& ch : norm)
            if (ch == 'd' || ch == 'D') ch = 'e';
          t.num = std::strtod(norm.c_str(), nullptr);
          i = j;
        } else if (c == '\'' || c == '"') {
          std::size_t j = s.find(c, i + 1);
          if (j == std::string::npos) {
            // a MATLAB transpose or an unterminated string: an error unless in a native statement
            t.kind = Tok::Bad;
            t.text = std::string(1, c);
            bad_messages_[toks_.size()] = "unterminated string";
            toks_.push_back(std::move(t));
            ++i;
            continue;
          }
          t.kind = Tok::String;
          t.text = s.substr(i + 1, j - i - 1);
          i = j + 1;
        } else if (c == '$') {
          std::size_t j = s.find('$', i + 1);
          if (j == std::string::npos) error_at(t, "unterminated $tex$ name");
          t.kind = Tok::Tex;
          t.text = s.substr(i + 1, j - i - 1);
          i = j + 1;
        } else {
          static const char* two[] = {"==", "!=", "<=", ">=", "&&", "||"};
          t.kind = Tok::Punct;
          bool done = false;
          for (const char* op : two) {
            if (s.compare(i, 2, op) == 0) {
              t.text = op;
              i += 2;
              done = true;
              break;
            }
          }
          if (!done) {
            t.text = std::string(1, c);
            if (std::string(";,()[]=+-*/^#:<>!.{}").find(c) == std::string::npos) {
              t.kind = Tok::Bad;
              bad_messages_[toks_.size()] = std::string("unexpected character '") + c + "'";
            }
            ++i;
          }
        }
        toks_.push_back(std::move(t));
      }
    }
    Token end;
    end.kind = Tok::End;
    end.line = lines_.empty() ? 0 : static_cast<int>(lines_.size()) - 1;
    end.col = lines_.empty() ? 1 : static_cast<int>(lines_.back().text.size()) + 1;
    toks_.push_back(end);
  }

  // ---------------------------------------------------------------- token helpers
  const Token& peek(std::size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  const Token& next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool is_punct(const Token& t, const char* p) const { return t.kind == Tok::Punct && t.text == p; }
  bool is_ident(const Token& t, const char* p) const { return t.kind == Tok::Ident && t.text == p; }
  bool accept(const char* p) {
    if (is_punct(peek(), p)) {
      next();
      return true;
    }
    return false;
  }
  SourceLocation loc_of(const Token& t) const {
    SourceLocation l;
    if (lines_.empty()) {
      l.file = d_->name;
      return l;
    }
    const SourceLine& sl = lines_[static_cast<std::size_t>(t.line)];
    l.file = sl.file;
    l.line = sl.line;
    l.column = t.col;
    return l;
  }
  [[noreturn]] void error_at(const Token& t0, const std::string& msg0) const {
    // a character the language does not use at the current position is the real cause
    const bool bad_here = pos_ < toks_.size() && toks_[pos_].kind == Tok::Bad && bad_messages_.count(pos_);
    const Token& t = bad_here ? toks_[pos_] : t0;
    const std::string msg = bad_here ? bad_messages_.at(pos_) : msg0;
    SourceLocation l = loc_of(t);
    if (!lines_.empty() && lines_[static_cast<std::size_t>(t.line)].hidden)
      throw ParseError("syntax error in included file '" + l.file + "', which is not a model file (content not shown) at " +
                           l.to_string(),
                       l.file, l.line, l.column, "");
    std::string excerpt = lines_.empty() ? "" : lines_[static_cast<std::size_t>(t.line)].text;
    throw ParseError(msg + " at " + l.to_string(), l.file, l.line, l.column, excerpt);
  }
  std::string describe(const Token& t) const {
    switch (t.kind) {
      case Tok::End: return "end of input";
      case Tok::Bad: return "'" + t.text + "'";
      case Tok::String: return "string '" + t.text + "'";
      case Tok::Tex: return "$" + t.text + "$";
      default: return "'" + t.text + "'";
    }
  }
  void expect(const char* p, const char* what = nullptr) {
    if (!accept(p)) {
      const Token& t = peek();
      std::string w = what ? what : std::string("'") + p + "'";
      if (std::string(p) == ";") {
        // report a missing semicolon at the end of the previous token
        if (pos_ > 0) {
          const Token& prev = toks_[pos_ - 1];
          Token at = prev;
          at.col = prev.col + static_cast<int>(prev.text.size()) + (prev.kind == Tok::String ? 2 : 0);
          error_at(at, "expected ';' (missing semicolon?) before " + describe(t));
        }
      }
      error_at(t, "expected " + w + " but found " + describe(t));
    }
  }
  std::string expect_ident(const char* what = "a name") {
    const Token& t = peek();
    if (t.kind != Tok::Ident) error_at(t, std::string("expected ") + what + " but found " + describe(t));
    return next().text;
  }
  void warn(const Token& t, const std::string& msg) {
    // text of an included non-model file is never echoed: what would be a warning is an error
    if (!lines_.empty() && lines_[static_cast<std::size_t>(t.line)].hidden) error_at(t, msg);
    Warning w;
    w.where = loc_of(t);
    w.message = msg;
    d_->warnings.push_back(std::move(w));
  }
  bool at_end_keyword() const { return is_ident(peek(), "end") && is_punct(peek(1), ";"); }
  void expect_end_block(const Token& start) {
    (void)start;
    expect_ident("'end'");
    expect(";");
  }

  std::string suggestion(const std::string& name, const std::vector<std::string>& candidates) const {
    std::string best;
    std::size_t bd = std::max<std::size_t>(2, name.size() / 3) + 1;
    for (const auto& c : candidates) {
      std::size_t dd = edit_distance(name, c);
      if (dd < bd) {
        bd = dd;
        best = c;
      }
    }
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
  }
  [[noreturn]] void unknown_symbol(const Token& t, const std::string& name, Ctx ctx) const {
    std::vector<std::string> cands = d_->symbols.all_names();
    for (const auto& [k, v] : helpers_) cands.push_back(k);
    if (ctx == Ctx::Model)
      for (const auto& [k, v] : locals_) cands.push_back(k);
    if (ctx == Ctx::SteadyStateModel)
      for (const auto& [k, v] : ss_helper_index_) cands.push_back(k);
    for (const auto& f : function_names()) cands.push_back(f);
    error_at(t, "unknown symbol '" + name + "'" + suggestion(name, cands));
  }

  // ---------------------------------------------------------------- statements
  void statement() {
    const Token& t = peek();
    if (t.kind != Tok::Ident) {
      if (is_punct(t, ";")) {
        next();
        return;
      }
      if (t.kind == Tok::End) error_at(t, "expected a declaration, block or command but found " + describe(t));
      return native_statement();  // e.g. `-log(beta);` or `[a, b] = f(x);`
    }
    const std::string kw = t.text;
    if (is_punct(peek(1), "=") && !is_punct(peek(2), "=")) {
      if (d_->symbols.contains(kw)) {
        assignment();
        return;
      }
      // an undeclared name: a helper value usable in later assignments, or MATLAB code (`x = zeros(3,1);`)
      const std::size_t start = pos_;
      const std::size_t n_warn = d_->warnings.size();
      try {
        assignment();
        return;
      } catch (const ParseError&) {
        pos_ = start;
        d_->warnings.resize(n_warn);
        return native_statement();
      }
    }
    if (kw == "var") return declaration(SymbolType::Endogenous);
    if (kw == "varexo") return declaration(SymbolType::Exogenous);
    if (kw == "varexo_det") return declaration(SymbolType::ExogenousDet);
    if (kw == "parameters") return declaration(SymbolType::Parameter);
    if (kw == "model_local_variable") return model_local_variable_statement();
    if (kw == "trend_var" || kw == "log_trend_var") return trend_var_statement(kw == "log_trend_var");
    if (kw == "initval_file" || kw == "histval_file")
      error_at(t, kw + " (values read from a data file) is not supported; write the values in " +
                      (kw == "initval_file" ? std::string("initval/endval blocks") : std::string("a histval block")));
    if (kw == "external_function")
      error_at(t, "external_function (MATLAB functions called from the model) is not supported; write the function "
                  "with the model's operators or as model-local variables");
    if (kw == "change_type") return change_type_statement();
    if (kw == "predetermined_variables") return name_list_statement(predetermined_, SymbolType::Endogenous, true);
    if (kw == "model") return model_block();
    if (kw == "steady_state_model") return steady_state_model_block();
    if (kw == "initval") return value_block(d_->initval, "initval");
    if (kw == "endval") return value_block(d_->endval, "endval");
    if (kw == "histval") return histval_block();
    if (kw == "shocks") return shocks_block();
    if (kw == "estimated_params") return estimated_params_block();
    if (kw == "estimated_params_init") return estimated_params_init_or_bounds_block(false);
    if (kw == "estimated_params_bounds") return estimated_params_init_or_bounds_block(true);
    if (kw == "varobs") return name_list_statement(d_->varobs, SymbolType::Endogenous, false);
    if (kw == "osr_params") return name_list_statement(d_->osr_params, SymbolType::Parameter, false);
    if (kw == "osr_params_bounds") return osr_bounds_block();
    if (kw == "optim_weights") return optim_weights_block();
    if (kw == "verbatim") {
      next();
      expect(";");
      while (!at_end_keyword()) {
        if (peek().kind == Tok::End) error_at(t, "verbatim block without 'end;'");
        next();
      }
      next();
      next();
      return;
    }
    if (kw == "end") {
      if (native_open_ > 0) {
        --native_open_;
        return native_statement();
      }
      error_at(t, "'end' without a block to close");
    }
    if (kw == "set_param_value" && is_punct(peek(1), "(") && peek(2).kind == Tok::String) return set_param_value();
    if (is_punct(peek(1), ".") || matlab_names().count(kw)) return native_statement();
    if (!known_commands().count(kw) && !unknown_block_names().count(kw) && !is_punct(peek(1), ";")) {
      // `name(opt=..., ...)` and `name var ...;` read as unknown commands, anything else
      // (`set_dynare_seed(42);`, `x(3) = 1;`, `f(a) + 1;`) as MATLAB code
      const bool command_like = is_punct(peek(1), "(")
                                    ? peek(2).kind == Tok::Ident && (is_punct(peek(3), "=") || is_punct(peek(3), ",") ||
                                                                     is_punct(peek(3), ")"))
                                    : peek(1).kind == Tok::Ident;
      if (!command_like || !semicolon_on_line()) return native_statement();
    }
    if ((kw.rfind("write_latex_", 0) == 0 || kw == "model_info") && known_commands().count(kw)) {
      // output-only commands (LaTeX files, block structure report): accepted and ignored
      command(true);
      d_->commands.pop_back();
      return;
    }
    if (known_commands().count(kw)) return command(true);
    if (unknown_block_names().count(kw)) {
      warn(t, "unsupported block '" + kw + "' ignored");
      next();
      if (is_punct(peek(), "(")) skip_balanced();
      expect(";");
      while (!at_end_keyword()) {
        if (peek().kind == Tok::End) error_at(t, "block '" + kw + "' without 'end;'");
        next();
      }
      next();
      next();
      return;
    }
    // an unknown command, or MATLAB code that looks like one (`TBL(j,1) = ...;`)
    const std::size_t start = pos_;
    const std::size_t n_warn = d_->warnings.size();
    const std::size_t n_cmd = d_->commands.size();
    try {
      warn(t, "unknown command '" + kw + "' ignored");
      command(false);
    } catch (const ParseError&) {
      pos_ = start;
      d_->warnings.resize(n_warn);
      d_->commands.resize(n_cmd);
      native_statement();
    }
  }

  // ---------------------------------------------------------------- native MATLAB statements
  // Dynare copies MATLAB code outside its own statements into the generated driver. A native
  // statement ends at ';' (outside brackets) or at the end of its line (unless continued with
  // '...'). `options_.KEY = VALUE;` is applied to the later commands that take option KEY; any
  // other statement is skipped with a warning.
  void native_statement() {
    const Token start = peek();
    const std::size_t first = pos_;
    if (is_ident(start, "options_") && native_option()) return;
    int depth = 0;
    std::string text;
    while (peek().kind != Tok::End) {
      const Token& t = peek();
      if (pos_ > first && depth <= 0 && t.line != toks_[pos_ - 1].line) {
        // continued line: the previous line ends with '...'
        const bool continued = pos_ >= first + 3 && is_punct(toks_[pos_ - 1], ".") && is_punct(toks_[pos_ - 2], ".") &&
                               is_punct(toks_[pos_ - 3], ".");
        if (!continued) break;
      }
      if (is_punct(t, "(") || is_punct(t, "[") || is_punct(t, "{")) ++depth;
      if (is_punct(t, ")") || is_punct(t, "]") || is_punct(t, "}")) --depth;
      if (depth <= 0 && is_punct(t, ";")) {
        next();
        break;
      }
      if (!text.empty()) text += ' ';
      text += t.kind == Tok::String ? "'" + t.text + "'" : t.text;
      next();
    }
    static const std::set<std::string> openers{"for", "if", "while", "switch", "try", "parfor", "function"};
    if (start.kind == Tok::Ident && openers.count(start.text)) ++native_open_;
    {
      // the statement as written (first line)
      const std::string& src = lines_[static_cast<std::size_t>(start.line)].text;
      std::size_t a = static_cast<std::size_t>(start.col - 1);
      std::size_t b = src.size();
      if (pos_ > first && toks_[pos_ - 1].line == start.line && is_punct(toks_[pos_ - 1], ";"))
        b = static_cast<std::size_t>(toks_[pos_ - 1].col);
      text = src.substr(a, b > a ? b - a : 0);
      while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    }
    std::string hint;
    if (start.kind == Tok::Ident && !matlab_names().count(start.text)) {
      std::vector<std::string> cmds;
      for (const auto& [k, v] : known_commands()) cmds.push_back(k);
      hint = suggestion(start.text, cmds);
    }
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    warn(start, "MATLAB statement '" + text + "' skipped (govsim does not run MATLAB code)" + hint);
  }

  // `options_.KEY = VALUE;` or `options_.GROUP.KEY = VALUE;` with a number, string or flag value
  // on one line: recorded for apply_native_options. False (position unchanged) for anything else.
  bool native_option() {
    const std::size_t first = pos_;
    std::size_t k = first + 1;
    while (is_punct(toks_[k], ".") && toks_[k + 1].kind == Tok::Ident) k += 2;
    if (k == first + 1 || !is_punct(toks_[k], "=") || is_punct(toks_[k + 1], "=")) return false;
    NativeOption o;
    o.key = toks_[k - 1].text;
    o.from_command = d_->commands.size();
    o.token = toks_[first];
    pos_ = k + 1;
    if (peek().kind == Tok::String && (is_punct(peek(1), ";") || peek(1).line != toks_[first].line)) {
      o.value = next().text;
    } else {
      const std::size_t n_warn = d_->warnings.size();
      try {
        double v = eval_scalar(parse_expr(ExprCtx{Ctx::Scalar}));
        if (!is_punct(peek(), ";") && peek().kind != Tok::End && peek().line == toks_[first].line)
          throw ParseError("not a single value", "", 0, 0, "");
        std::ostringstream os;
        os.precision(17);
        os << v;
        o.value = os.str();
      } catch (const ParseError&) {
        pos_ = first;
        d_->warnings.resize(n_warn);
        return false;
      }
    }
    accept(";");
    native_options_.push_back(std::move(o));
    return true;
  }

  // True if a ';' ends the statement starting at the current token on its own line (MATLAB
  // code ends at the end of the line; Dynare commands end at ';').
  bool semicolon_on_line() const {
    const int line = peek().line;
    for (std::size_t k = pos_; k < toks_.size() && toks_[k].kind != Tok::End && toks_[k].line == line; ++k)
      if (is_punct(toks_[k], ";")) return true;
    return false;
  }

  // set_param_value('name', value); with a value govsim can evaluate, else skipped as MATLAB
  // code (e.g. a loop variable).
  void set_param_value() {
    const std::size_t start = pos_;
    const std::size_t n_warn = d_->warnings.size();
    const Token& nt = peek(2);
    auto sym = d_->symbols.find(nt.text);
    if (!sym) unknown_symbol(nt, nt.text, Ctx::Scalar);  // Dynare stops on an unknown parameter too
    try {
      set_param_value_now();
    } catch (const ParseError&) {
      pos_ = start;
      d_->warnings.resize(n_warn);
      native_statement();
    }
  }
  void set_param_value_now() {
    next();
    next();
    const Token& nt = next();
    auto sym = d_->symbols.find(nt.text);
    if (!sym) unknown_symbol(nt, nt.text, Ctx::Scalar);
    if (sym->type != SymbolType::Parameter) error_at(nt, "set_param_value: '" + nt.text + "' is not a parameter");
    expect(",");
    ExprId e = parse_expr(ExprCtx{Ctx::Scalar});
    expect(")");
    if (!accept(";") && peek().kind != Tok::End && peek().line == nt.line) expect(";");
    d_->params[sym->index] = eval_scalar(e);
  }

  // Apply `options_.KEY = VALUE;` statements to the commands after them that take KEY and do
  // not set it themselves; warn about those no command takes.
  void apply_native_options() {
    static const std::set<std::string> flags{"nograph", "noprint", "nocorr", "nomoments", "nofunctions", "nodisplay",
                                             "pruning", "nocheck", "graph", "print"};
    for (const auto& o : native_options_) {
      bool used = false;
      bool flag = flags.count(o.key) > 0;
      bool off = flag && (o.value == "0" || o.value == "false");
      for (std::size_t i = o.from_command; i < d_->commands.size(); ++i) {
        Command& c = d_->commands[i];
        auto it = known_commands().find(c.name);
        if (it == known_commands().end() || !it->second.count(o.key)) continue;
        used = true;
        if (c.has_option(o.key) || off) continue;
        c.options.push_back(CommandOption{o.key, flag ? std::string() : o.value});
      }
      if (!used)
        warn(o.token, "MATLAB statement 'options_." + o.key + " = " + o.value +
                          "' skipped (no later command takes option '" + o.key + "')");
    }
  }

  void skip_balanced() {
    int depth = 0;
    do {
      const Token& t = next();
      if (t.kind == Tok::End) error_at(t, "unbalanced parentheses");
      if (is_punct(t, "(")) ++depth;
      if (is_punct(t, ")")) --depth;
    } while (depth > 0);
  }

  void declaration(SymbolType type) {
    const Token& kwt = next();
    Deflator deflator;
    if (is_punct(peek(), "(")) {
      // var(deflator = EXPR) / var(log_deflator = EXPR): nonstationary variables, detrended in the model
      if (type == SymbolType::Endogenous && (is_ident(peek(1), "deflator") || is_ident(peek(1), "log_deflator")) &&
          is_punct(peek(2), "=")) {
        deflator.log = is_ident(peek(1), "log_deflator");
        next();
        next();
        next();
        deflator.begin = pos_;
        deflator.defined = true;
        int depth = 0;
        while (depth > 0 || !is_punct(peek(), ")")) {
          if (peek().kind == Tok::End || is_punct(peek(), ";")) expect(")");
          if (is_punct(peek(), "(")) ++depth;
          if (is_punct(peek(), ")")) --depth;
          next();
        }
        deflator.end = pos_;
        if (deflator.end == deflator.begin) error_at(peek(), "expected a deflator expression");
        next();
        (void)deflator_expr(deflator, 0);  // check it now
      } else {
        warn(kwt, "options of '" + kwt.text + "' ignored");
        skip_balanced();
      }
    }
    bool any = false;
    while (!is_punct(peek(), ";")) {
      const Token& nt = peek();
      if (nt.kind != Tok::Ident) {
        if (nt.kind == Tok::End) expect(";");
        error_at(nt, "expected a name in '" + kwt.text + "' declaration but found " + describe(nt));
      }
      if (statement_keywords().count(nt.text) || known_commands().count(nt.text)) expect(";");
      if (function_names().count(nt.text) || nt.text == "end")
        error_at(nt, "'" + nt.text + "' is a reserved word and cannot be declared");
      std::string name = next().text;
      std::string tex, long_name;
      if (peek().kind == Tok::Tex) tex = next().text;
      if (is_punct(peek(), "(")) {
        next();
        while (!is_punct(peek(), ")")) {
          std::string key = expect_ident("an option name");
          expect("=");
          const Token& v = next();
          if (key == "long_name") long_name = v.text;
          accept(",");
          if (peek().kind == Tok::End) expect(")");
        }
        next();
      }
      if (auto old = d_->symbols.find(name)) {
        if (old->type != type)
          error_at(nt, "symbol '" + name + "' declared twice (as " + to_string(old->type) + " and " + to_string(type) + ")");
        warn(nt, "symbol '" + name + "' declared twice");  // Dynare warns and keeps the first
        accept(",");
        any = true;
        continue;
      }
      if (helpers_.count(name)) helpers_.erase(name);
      d_->symbols.add(name, type, tex, long_name);
      decl_order_.push_back(name);
      if (deflator.defined) deflators_[name] = deflator;
      if (type == SymbolType::Parameter) d_->params.conservativeResize(d_->params.size() + 1),
                                         d_->params[d_->params.size() - 1] = std::nan("");
      accept(",");
      any = true;
      // a new line without ';' that starts another statement: missing semicolon
      if (peek().kind == Tok::Ident && peek().line != nt.line && is_punct(peek(1), "=")) expect(";");
    }
    if (!any) warn(kwt, "empty '" + kwt.text + "' declaration");
    expect(";");
  }

  // model_local_variable name [$tex$] [(long_name='...')] ...; names later defined with `#`.
  void model_local_variable_statement() {
    next();
    while (!is_punct(peek(), ";")) {
      const Token& nt = peek();
      if (nt.kind == Tok::End) expect(";");
      std::string name = expect_ident("a model-local variable name");
      if (d_->symbols.contains(name)) error_at(nt, "model-local variable '" + name + "' has the name of a declared symbol");
      if (peek().kind == Tok::Tex) next();
      if (is_punct(peek(), "(")) skip_balanced();
      accept(",");
    }
    next();
  }

  // trend_var(growth_factor = EXPR) X ...; / log_trend_var(log_growth_factor = EXPR) X ...;
  // Trend variables are not model variables: in the model (and in deflators) X(k) becomes
  // growth_factor^k (log: k*log_growth_factor), X itself being normalized to 1 (0), as Dynare's
  // detrending does.
  void trend_var_statement(bool log) {
    const Token kw = next();
    expect("(");
    const Token& ot = peek();
    std::string key = expect_ident("an option name");
    const char* want = log ? "log_growth_factor" : "growth_factor";
    if (key != want) error_at(ot, kw.text + " needs the option " + want + " = ...");
    expect("=");
    const Token& et = peek();
    ExprId g = parse_expr(ExprCtx{Ctx::Model});
    expect(")");
    std::vector<ExprId> stack{g};
    while (!stack.empty()) {
      const ExprNode n = pool().node(stack.back());
      stack.pop_back();
      if (n.op == ExprOp::Endo || n.op == ExprOp::Exo || n.op == ExprOp::ExoDet || n.op == ExprOp::SteadyState)
        error_at(et, "a growth factor depending on model variables is not supported (use parameters)");
      if (is_unary(n.op)) stack.push_back(n.a);
      if (is_binary(n.op)) {
        stack.push_back(n.a);
        stack.push_back(n.b);
      }
    }
    while (!is_punct(peek(), ";")) {
      const Token& nt = peek();
      if (nt.kind == Tok::End) expect(";");
      std::string name = expect_ident("a trend variable name");
      if (d_->symbols.contains(name) || trend_vars_.count(name))
        error_at(nt, "symbol '" + name + "' declared twice");
      if (peek().kind == Tok::Tex) next();
      trend_vars_[name] = TrendVar{g, log};
      accept(",");
    }
    next();
  }

  // The deflator at offset `lag` (trend variables X(k) read as X(k + lag)).
  ExprId deflator_expr(const Deflator& df, int lag) {
    const std::size_t save = pos_;
    const int save_shift = trend_shift_;
    const bool save_in = in_deflator_;
    pos_ = df.begin;
    trend_shift_ = lag;
    in_deflator_ = true;
    const Token& at = peek();
    ExprId e = parse_expr(ExprCtx{Ctx::Model});
    if (pos_ != df.end) error_at(peek(), "unexpected " + describe(peek()) + " in deflator");
    pos_ = save;
    trend_shift_ = save_shift;
    in_deflator_ = save_in;
    (void)at;
    return e;
  }

  // change_type(var|varexo|varexo_det|parameters) names; the symbols change kind, keeping their
  // place in the declaration order (as Dynare orders them). Only before the symbols are used.
  void change_type_statement() {
    const Token kw = next();
    expect("(");
    const Token& tt = peek();
    std::string kind = expect_ident("var, varexo, varexo_det or parameters");
    expect(")");
    static const std::map<std::string, SymbolType> kinds{{"var", SymbolType::Endogenous},
                                                         {"varexo", SymbolType::Exogenous},
                                                         {"varexo_det", SymbolType::ExogenousDet},
                                                         {"parameters", SymbolType::Parameter}};
    auto kt = kinds.find(kind);
    if (kt == kinds.end()) error_at(tt, "change_type: unknown kind '" + kind + "' (var, varexo, varexo_det or parameters)");
    if (model_seen_ || d_->has_ssm || !d_->initval.empty() || !d_->endval.empty() || !d_->histval.empty() ||
        !d_->shocks.stochastic.empty() || !d_->shocks.deterministic.empty() || !d_->estimated_params.empty())
      error_at(kw, "change_type after the model, steady_state_model, initval, shocks or estimated_params blocks is not "
                   "supported; move it next to the declarations");
    std::map<std::string, SymbolType> change;
    while (!is_punct(peek(), ";")) {
      const Token& nt = peek();
      if (nt.kind == Tok::End) expect(";");
      std::string name = expect_ident("a symbol name");
      if (!d_->symbols.contains(name)) unknown_symbol(nt, name, Ctx::Scalar);
      change[name] = kt->second;
      accept(",");
    }
    next();
    SymbolTable fresh;
    Vector params(0);
    for (const auto& name : decl_order_) {
      auto old = d_->symbols.find(name);
      SymbolType type = change.count(name) ? change[name] : old->type;
      fresh.add(name, type, old->tex_name, old->long_name);
      if (type == SymbolType::Parameter) {
        params.conservativeResize(params.size() + 1);
        params[params.size() - 1] = old->type == SymbolType::Parameter ? d_->params[old->index] : std::nan("");
      }
    }
    d_->symbols = std::move(fresh);
    d_->params = params;
  }

  void name_list_statement(Names& out, SymbolType type, bool predetermined) {
    const Token& kwt = next();
    while (!is_punct(peek(), ";")) {
      const Token& nt = peek();
      std::string name = expect_ident("a name");
      auto s = d_->symbols.find(name);
      if (!s) unknown_symbol(nt, name, Ctx::Scalar);
      if (s->type != type)
        error_at(nt, "'" + name + "' in '" + kwt.text + "' must be " +
                         (type == SymbolType::Parameter ? "a parameter" : "an endogenous variable"));
      out.push_back(name);
      accept(",");
    }
    expect(";");
    (void)predetermined;
  }

  // ---------------------------------------------------------------- expressions
  struct ExprCtx {
    Ctx ctx;
    std::map<std::string, double>* values = nullptr;  // Values context: current block values
  };

  ExprId parse_expr(const ExprCtx& c) {
    const Token& at = peek();
    ExprId e = parse_additive(c);
    check_tree_depth(e, at);
    return e;
  }
  // Depth limit of expression trees: later passes (auxiliary variables, derivatives, tapes) walk
  // trees recursively, and an equation of 50,000 chained terms overflowed the stack. Children
  // always have smaller ids than their parents, so depths are filled in id order.
  static constexpr std::uint32_t kMaxTreeDepth = 10000;
  void check_tree_depth(ExprId e, const Token& at) {
    const ExprPool& p = pool();
    for (std::size_t i = node_depth_.size(); i < p.size(); ++i) {
      const ExprNode& n = p.node(static_cast<ExprId>(i));
      std::uint32_t d = 1;
      if (is_unary(n.op) && n.a < i) d = node_depth_[n.a] + 1;
      if (is_binary(n.op)) {
        std::uint32_t da = n.a < i ? node_depth_[n.a] : 0, db = n.b < i ? node_depth_[n.b] : 0;
        d = std::max(da, db) + 1;
      }
      node_depth_.push_back(d);
    }
    if (e < node_depth_.size() && node_depth_[e] > kMaxTreeDepth)
      error_at(at, "expression too deep (more than " + std::to_string(kMaxTreeDepth) +
                       " nested operations); split it with model-local variables or auxiliary equations");
  }
  ExprId parse_additive(const ExprCtx& c) {
    ExprId a = parse_mult(c);
    for (;;) {
      if (accept("+")) a = pool().binary(ExprOp::Add, a, parse_mult(c));
      else if (accept("-")) a = pool().binary(ExprOp::Sub, a, parse_mult(c));
      else return a;
    }
  }
  ExprId parse_mult(const ExprCtx& c) {
    ExprId a = parse_unary(c);
    for (;;) {
      if (accept("*")) a = pool().binary(ExprOp::Mul, a, parse_unary(c));
      else if (accept("/")) a = pool().binary(ExprOp::Div, a, parse_unary(c));
      else return a;
    }
  }
  // Nesting guard: parentheses, unary signs and function calls recurse; a limit turns absurd
  // nesting (found by fuzzing: 20,000 '(' overflowed the stack) into a ParseError.
  static constexpr int kMaxNesting = 500;
  struct NestingGuard {
    int& depth;
    explicit NestingGuard(int& d) : depth(d) { ++depth; }
    ~NestingGuard() { --depth; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;
  };
  void check_nesting() {
    if (nesting_ > kMaxNesting)
      error_at(peek(), "expression nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)");
  }
  ExprId parse_unary(const ExprCtx& c) {
    NestingGuard guard(nesting_);
    check_nesting();
    if (accept("-")) return pool().unary(ExprOp::Neg, parse_unary(c));
    if (accept("+")) return parse_unary(c);
    return parse_power(c);
  }
  ExprId parse_power(const ExprCtx& c) {
    ExprId a = parse_primary(c);
    while (accept("^")) {
      ExprId b;
      if (accept("-")) b = pool().unary(ExprOp::Neg, parse_power_operand(c));
      else if (accept("+")) b = parse_power_operand(c);
      else b = parse_power_operand(c);
      a = pool().binary(ExprOp::Pow, a, b);
    }
    return a;
  }
  ExprId parse_power_operand(const ExprCtx& c) {
    NestingGuard guard(nesting_);
    check_nesting();
    if (accept("-")) return pool().unary(ExprOp::Neg, parse_power_operand(c));
    return parse_primary(c);
  }
  int parse_lag() {
    // after '(' : [+|-] integer ')'
    int sign = 1;
    if (accept("-")) sign = -1;
    else accept("+");
    const Token& t = peek();
    if (t.kind != Tok::Number || t.num != std::floor(t.num))
      error_at(t, "expected an integer lead or lag but found " + describe(t));
    if (t.num > 1000) error_at(t, "lead or lag " + t.text + " is too large (at most 1000)");
    next();
    expect(")");
    return sign * static_cast<int>(t.num);
  }
  ExprId parse_primary(const ExprCtx& c) {
    const Token& t = peek();
    if (t.kind == Tok::Number) {
      next();
      return pool().constant(t.num);
    }
    if (is_punct(t, "(")) {
      next();
      ExprId e = parse_expr(c);
      expect(")");
      return e;
    }
    if (t.kind != Tok::Ident) {
      if (t.kind == Tok::End || is_punct(t, ";")) error_at(t, "expected an expression but found " + describe(t));
      error_at(t, "expected an expression but found " + describe(t));
    }
    const Token nameTok = next();
    const std::string& name = nameTok.text;
    if (function_names().count(name) && is_punct(peek(), "(")) return parse_call(nameTok, c);
    // symbols
    if (c.ctx == Ctx::Model) {
      if (auto it = locals_.find(name); it != locals_.end()) {
        if (is_punct(peek(), "(")) error_at(peek(), "model-local variable '" + name + "' cannot have a lead or lag");
        return it->second;
      }
    }
    if (c.ctx == Ctx::SteadyStateModel) {
      if (auto it = ss_helper_index_.find(name); it != ss_helper_index_.end())
        return pool().leaf(ExprOp::Helper, static_cast<std::uint32_t>(it->second));
    }
    if (auto tv = trend_vars_.find(name); tv != trend_vars_.end() && !d_->symbols.contains(name)) {
      if (c.ctx != Ctx::Model) error_at(nameTok, "trend variable '" + name + "' can only be used in the model block");
      int k = trend_shift_;
      if (accept("(")) k += parse_lag();
      if (tv->second.log) return pool().binary(ExprOp::Mul, pool().constant(k), tv->second.growth);
      return pool().binary(ExprOp::Pow, tv->second.growth, pool().constant(k));
    }
    auto sym = d_->symbols.find(name);
    if (!sym) {
      if (auto it = helpers_.find(name); it != helpers_.end()) return pool().constant(it->second);
      if (c.ctx == Ctx::Scalar && (name == "inf" || name == "Inf" || name == "INF"))
        return pool().constant(std::numeric_limits<double>::infinity());
      if (is_punct(peek(), "(") && !source_dir_.empty()) {
        std::error_code ec;
        const std::filesystem::path mfile = std::filesystem::path(source_dir_) / (name + ".m");
        if (std::filesystem::is_regular_file(mfile, ec))
          error_at(nameTok, "'" + name + "' is the MATLAB function file " + mfile.filename().string() +
                                " next to the model file, which govsim does not run (MATLAB code); write its result "
                                "with the .mod operators (exp, log, ...) or as assignments in the same block");
      }
      if (is_punct(peek(), "("))
        error_at(nameTok, "unknown function or array '" + name +
                              "' (MATLAB functions, arrays and external_function are not supported; use the "
                              ".mod operators exp, log, sqrt, abs, min, max, normcdf, ...)");
      unknown_symbol(nameTok, name, c.ctx);
    }
    int lag = 0;
    if (is_punct(peek(), "(")) {
      const Token& lp = next();
      if (sym->type == SymbolType::Parameter) error_at(lp, "parameter '" + name + "' cannot have a lead or lag");
      if (c.ctx != Ctx::Model) error_at(lp, "leads and lags ('" + name + "(...)') are only allowed in the model block");
      lag = parse_lag();
    }
    switch (sym->type) {
      case SymbolType::Parameter:
        if (c.ctx == Ctx::Scalar || c.ctx == Ctx::Values) {
          if (std::isnan(d_->params[sym->index]))
            warn(nameTok, "parameter '" + name + "' is used before a value is assigned to it");
          return pool().constant(d_->params[sym->index]);
        }
        return pool().leaf(ExprOp::Param, static_cast<std::uint32_t>(sym->index));
      case SymbolType::Endogenous:
      case SymbolType::Exogenous:
      case SymbolType::ExogenousDet: {
        if (c.ctx == Ctx::Scalar)
          error_at(nameTok, "variable '" + name + "' cannot be used here (only parameters and numbers)");
        if (c.ctx == Ctx::Values) {
          auto it = c.values->find(name);
          return pool().constant(it == c.values->end() ? 0.0 : it->second);
        }
        ExprOp op = sym->type == SymbolType::Endogenous ? ExprOp::Endo
                    : sym->type == SymbolType::Exogenous ? ExprOp::Exo
                                                          : ExprOp::ExoDet;
        if (c.ctx == Ctx::SteadyStateModel) {
          // Checked at the end of the file: a Ramsey problem's block may be conditional on the
          // instruments (read before being assigned, or never assigned).
          if (op == ExprOp::Endo && !ss_assigned_.count(name) && !ss_early_use_) ss_early_use_ = nameTok;
          return pool().leaf(op, static_cast<std::uint32_t>(sym->index), 0);
        }
        if (in_deflator_) error_at(nameTok, "a deflator can only use trend variables and parameters");
        const int written_lag = lag;
        if (op == ExprOp::Endo && std::find(predetermined_.begin(), predetermined_.end(), name) != predetermined_.end())
          lag -= 1;
        used_.insert(name);
        ExprId leaf = pool().leaf(op, static_cast<std::uint32_t>(sym->index), lag);
        if (auto df = deflators_.find(name); df != deflators_.end()) {
          // Dynare's detrending: y(k) = y_detrended(k) * deflator(k)  (log_deflator: + deflator(k))
          ExprId dk = deflator_expr(df->second, written_lag);
          return pool().binary(df->second.log ? ExprOp::Add : ExprOp::Mul, leaf, dk);
        }
        return leaf;
      }
    }
    return pool().zero();
  }
  ExprId parse_call(const Token& fn, const ExprCtx& c) {
    expect("(");
    std::vector<ExprId> args;
    if (fn.text == "STEADY_STATE" || fn.text == "steady_state") {
      if (c.ctx != Ctx::Model) error_at(fn, fn.text + "() is only allowed in the model block");
    }
    args.push_back(parse_expr(c));
    while (accept(",")) args.push_back(parse_expr(c));
    expect(")");
    const std::string& f = fn.text;
    auto need = [&](std::size_t n) {
      if (args.size() != n)
        error_at(fn, "function '" + f + "' takes " + std::to_string(n) + " argument" + (n > 1 ? "s" : "") +
                         ", got " + std::to_string(args.size()));
    };
    if (f == "max" || f == "min") {
      need(2);
      return pool().binary(f == "max" ? ExprOp::Max : ExprOp::Min, args[0], args[1]);
    }
    if (f == "normcdf" || f == "normpdf") {
      if (args.size() == 3) {
        // normcdf(x, mu, s) = normcdf((x-mu)/s); normpdf(x, mu, s) = normpdf((x-mu)/s)/s
        ExprId z = pool().binary(ExprOp::Div, pool().binary(ExprOp::Sub, args[0], args[1]), args[2]);
        if (f == "normcdf") return pool().unary(ExprOp::NormCdf, z);
        return pool().binary(ExprOp::Div, pool().unary(ExprOp::NormPdf, z), args[2]);
      }
      need(1);
      return pool().unary(f == "normcdf" ? ExprOp::NormCdf : ExprOp::NormPdf, args[0]);
    }
    need(1);
    static const std::map<std::string, ExprOp> un{
        {"exp", ExprOp::Exp},   {"log", ExprOp::Log},       {"ln", ExprOp::Log},         {"log10", ExprOp::Log10},
        {"sqrt", ExprOp::Sqrt}, {"abs", ExprOp::Abs},       {"sign", ExprOp::Sign},      {"erf", ExprOp::Erf},
        {"sin", ExprOp::Sin},   {"cos", ExprOp::Cos},       {"tan", ExprOp::Tan},        {"atan", ExprOp::Atan},
        {"STEADY_STATE", ExprOp::SteadyState}, {"steady_state", ExprOp::SteadyState}};
    return pool().unary(un.at(f), args[0]);
  }
  double eval_scalar(ExprId e) {
    return eval_tree(pool(), e, [](const ExprNode&) { return std::nan(""); });
  }
  /// Value of a shocks-block entry: parameters take the values assigned so far (as when Dynare
  /// runs the block); a value that is not a finite number is an error at `t`.
  double shock_value(const Token& t, ExprId e, const std::string& what) {
    double v = eval_tree(pool(), e, [this](const ExprNode& n) {
      if (n.op == ExprOp::Param && static_cast<Index>(n.a) < d_->params.size()) return d_->params[static_cast<Index>(n.a)];
      return std::nan("");
    });
    if (!std::isfinite(v))
      error_at(t, what + " is not a finite number (" + fmt_value(v) +
                      "; a parameter in it without a value at this point, or a variable?)");
    return v;
  }
  static std::string fmt_value(double v) {
    std::ostringstream o;
    o.precision(12);
    o << v;
    return o.str();
  }

  ExprPool& pool() { return d_->pool; }

  // ---------------------------------------------------------------- top-level assignment
  void assignment() {
    const Token nt = next();
    next();  // '='
    ExprId e = parse_expr(ExprCtx{Ctx::Scalar});
    expect(";");
    double v = eval_scalar(e);
    auto sym = d_->symbols.find(nt.text);
    if (sym) {
      if (sym->type != SymbolType::Parameter)
        error_at(nt, "cannot assign a value to " + std::string(to_string(sym->type)) + " variable '" + nt.text +
                         "' outside initval/endval");
      d_->params[sym->index] = v;
    } else {
      if (function_names().count(nt.text)) error_at(nt, "cannot assign to function name '" + nt.text + "'");
      helpers_[nt.text] = v;
    }
  }

  // ---------------------------------------------------------------- model block
  void model_block() {
    const Token kw = next();
    if (model_seen_) error_at(kw, "a second model block is not supported");
    model_seen_ = true;
    model_loc_ = loc_of(kw);
    if (accept("(")) {
      while (!is_punct(peek(), ")")) {
        const Token& o = peek();
        std::string key = expect_ident("a model option");
        if (accept("=")) {
          while (!is_punct(peek(), ",") && !is_punct(peek(), ")")) {
            if (peek().kind == Tok::End) expect(")");
            next();
          }
        }
        if (key == "linear") d_->linear = true;
        else warn(o, "model option '" + key + "' ignored");
        accept(",");
      }
      next();
    }
    expect(";");
    while (!at_end_keyword()) {
      const Token& t = peek();
      if (t.kind == Tok::End) error_at(kw, "model block without 'end;'");
      if (accept("#")) {
        const Token& nt = peek();
        std::string name = expect_ident("a local variable name");
        if (d_->symbols.contains(name)) error_at(nt, "model-local variable '" + name + "' has the name of a declared symbol");
        if (locals_.count(name)) error_at(nt, "model-local variable '" + name + "' defined twice");
        expect("=");
        ExprId e = parse_expr(ExprCtx{Ctx::Model});
        expect(";");
        locals_[name] = e;
        d_->locals.push_back(LocalVariable{name, e});
        continue;
      }
      Equation eq;
      if (accept("[")) {
        while (!is_punct(peek(), "]")) {
          std::string key = expect_ident("a tag name");
          std::string val;
          if (accept("=")) {
            const Token& v = next();
            val = v.text;
          }
          eq.tags.emplace_back(key, val);
          accept(",");
          if (peek().kind == Tok::End) expect("]");
        }
        next();
        for (const auto& [k, v] : eq.tags)
          if (k == "static" || k == "dynamic") warn(t, "[static]/[dynamic] equation tags are not supported");
      }
      const Token& st = peek();
      eq.where = loc_of(st);
      eq.lhs = parse_expr(ExprCtx{Ctx::Model});
      if (accept("=")) eq.rhs = parse_expr(ExprCtx{Ctx::Model});
      else eq.rhs = pool().zero();
      if (!is_punct(peek(), ";")) {
        if (is_punct(peek(), "=")) error_at(peek(), "an equation can have only one '='");
        expect(";");
      }
      next();
      eq.residual = pool().binary(ExprOp::Sub, eq.lhs, eq.rhs);
      d_->equations.push_back(std::move(eq));
    }
    next();
    next();
  }

  // ---------------------------------------------------------------- steady_state_model
  void steady_state_model_block() {
    const Token kw = next();
    expect(";");
    d_->has_ssm = true;
    while (!at_end_keyword()) {
      const Token& t = peek();
      if (t.kind == Tok::End) error_at(kw, "steady_state_model block without 'end;'");
      if (is_punct(t, "[")) error_at(t, "calls to MATLAB functions with several outputs are not supported in steady_state_model");
      std::string name = expect_ident("a variable name");
      expect("=");
      ExprId e = parse_expr(ExprCtx{Ctx::SteadyStateModel});
      expect(";");
      SteadyStateAssignment a;
      a.target = name;
      a.expr = e;
      a.where = loc_of(t);
      auto sym = d_->symbols.find(name);
      if (sym) {
        if (sym->type == SymbolType::Exogenous || sym->type == SymbolType::ExogenousDet)
          error_at(t, "steady_state_model cannot assign exogenous variable '" + name + "'");
        a.target_type = sym->type;
        a.target_index = sym->index;
        if (sym->type == SymbolType::Endogenous) ss_assigned_.insert(name);
      } else {
        auto it = ss_helper_index_.find(name);
        if (it == ss_helper_index_.end()) {
          it = ss_helper_index_.emplace(name, static_cast<Index>(d_->ss_helpers.size())).first;
          d_->ss_helpers.push_back(name);
        }
        a.target_index = it->second;
      }
      d_->ssm.push_back(a);
    }
    next();
    next();
  }

  // ---------------------------------------------------------------- initval / endval / histval
  void value_block(std::vector<ValueAssignment>& out, const char* what) {
    const Token kw = next();
    if (is_punct(peek(), "(")) skip_balanced();
    expect(";");
    std::map<std::string, double> values;
    for (const auto& v : out) values[v.name] = v.value;
    while (!at_end_keyword()) {
      const Token& t = peek();
      if (t.kind == Tok::End) error_at(kw, std::string(what) + " block without 'end;'");
      std::string name = expect_ident("a variable name");
      auto sym = d_->symbols.find(name);
      if (!sym) unknown_symbol(t, name, Ctx::Values);
      if (sym->type == SymbolType::Parameter)
        error_at(t, "parameter '" + name + "' cannot be set in " + what + " (assign it at top level)");
      expect("=");
      ExprId e = parse_expr(ExprCtx{Ctx::Values, &values});
      expect(";");
      double v = eval_scalar(e);
      values[name] = v;
      auto it = std::find_if(out.begin(), out.end(), [&](const ValueAssignment& a) { return a.name == name; });
      if (it != out.end()) it->value = v;
      else out.push_back(ValueAssignment{name, sym->type, sym->index, v});
    }
    next();
    next();
  }
  void histval_block() {
    const Token kw = next();
    if (is_punct(peek(), "(")) skip_balanced();
    expect(";");
    std::map<std::string, double> values;
    while (!at_end_keyword()) {
      const Token& t = peek();
      if (t.kind == Tok::End) error_at(kw, "histval block without 'end;'");
      std::string name = expect_ident("a variable name");
      auto sym = d_->symbols.find(name);
      if (!sym) unknown_symbol(t, name, Ctx::Values);
      if (sym->type != SymbolType::Endogenous && sym->type != SymbolType::Exogenous)
        error_at(t, "histval entries must be variables");
      expect("(");
      int lag = parse_lag();
      if (lag > 0) error_at(t, "histval lags must be 0 or negative");
      expect("=");
      ExprId e = parse_expr(ExprCtx{Ctx::Values, &values});
      expect(";");
      d_->histval.push_back(HistvalEntry{name, sym->index, lag, eval_scalar(e)});
    }
    next();
    next();
  }

  // ---------------------------------------------------------------- shocks
  std::string shock_name(const char* what) {
    const Token& t = peek();
    std::string name = expect_ident(what);
    auto sym = d_->symbols.find(name);
    if (!sym) unknown_symbol(t, name, Ctx::Scalar);
    if (sym->type != SymbolType::Exogenous && sym->type != SymbolType::ExogenousDet && sym->type != SymbolType::Endogenous)
      error_at(t, "'" + name + "' in a shocks block must be an exogenous variable");
    return name;
  }
  double signed_value() {
    const Token& t = peek();
    if (accept("(")) {
      ExprId e = parse_expr(ExprCtx{Ctx::Scalar});
      expect(")");
      return eval_scalar(e);
    }
    if (t.kind == Tok::Ident) return eval_scalar(parse_primary(ExprCtx{Ctx::Scalar}));
    int sign = 1;
    if (accept("-")) sign = -1;
    else accept("+");
    const Token& n = peek();
    if (n.kind == Tok::Number) {
      next();
      return sign * n.num;
    }
    if (n.kind == Tok::Ident) return sign * eval_scalar(parse_primary(ExprCtx{Ctx::Scalar}));
    if (is_punct(n, "(")) {
      next();
      ExprId e = parse_expr(ExprCtx{Ctx::Scalar});
      expect(")");
      return sign * eval_scalar(e);
    }
    error_at(n, "expected a value but found " + describe(n));
  }
  void shocks_block() {
    const Token kw = next();
    if (accept("(")) {
      while (!is_punct(peek(), ")")) {
        const Token& o = next();
        if (o.kind == Tok::End) expect(")");
        if (is_ident(o, "overwrite")) {
          // replaces everything the previous shocks blocks declared (Dynare's overwrite)
          d_->shocks.stochastic.clear();
          d_->shocks.deterministic.clear();
        } else if (o.kind == Tok::Ident && o.text != "learnt_in") {
          warn(o, "shocks option '" + o.text + "' ignored");
        }
      }
      next();
    }
    expect(";");
    while (!at_end_keyword()) {
      const Token& t = peek();
      if (t.kind == Tok::End) error_at(kw, "shocks block without 'end;'");
      if (is_ident(t, "var")) {
        next();
        std::string n1 = shock_name("a shock name");
        if (accept(",")) {
          std::string n2 = shock_name("a shock name");
          expect("=");
          ExprId e = parse_expr(ExprCtx{Ctx::Scalar});
          expect(";");
          d_->shocks.stochastic.push_back(
              {StochasticShock::Kind::Covariance, n1, n2, shock_value(t, e, "covariance of '" + n1 + "', '" + n2 + "'"),
               loc_of(t)});
          continue;
        }
        if (accept("=")) {
          ExprId e = parse_expr(ExprCtx{Ctx::Scalar});
          expect(";");
          double v = shock_value(t, e, "variance of '" + n1 + "'");
          if (v < 0) error_at(t, "variance of '" + n1 + "' is negative (" + fmt_value(v) + "); a variance must be >= 0");
          d_->shocks.stochastic.push_back({StochasticShock::Kind::Variance, n1, n1, v, loc_of(t)});
          continue;
        }
        expect(";");
        const Token& k = peek();
        if (is_ident(k, "stderr")) {
          next();
          ExprId e = parse_expr(ExprCtx{Ctx::Scalar});
          expect(";");
          double v = shock_value(k, e, "stderr of '" + n1 + "'");
          if (v < 0) error_at(k, "stderr of '" + n1 + "' is negative (" + fmt_value(v) + "); a standard error must be >= 0");
          d_->shocks.stochastic.push_back({StochasticShock::Kind::Stderr, n1, n1, v, loc_of(t)});
        } else if (is_ident(k, "periods")) {
          next();
          DeterministicShock ds;
          ds.name = n1;
          ds.where = loc_of(t);
          while (!is_punct(peek(), ";")) {
            const Token& p = peek();
            if (p.kind != Tok::Number) error_at(p, "expected a period number but found " + describe(p));
            next();
            if (!(p.num >= 1 && p.num <= 1e9)) error_at(p, "invalid period " + p.text);
            int a = static_cast<int>(p.num), b = a;
            if (accept(":")) {
              const Token& q = peek();
              if (q.kind != Tok::Number) error_at(q, "expected a period number but found " + describe(q));
              next();
              if (!(q.num >= 1 && q.num <= 1e9)) error_at(q, "invalid period " + q.text);
              b = static_cast<int>(q.num);
            }
            if (a < 1 || b < a) error_at(p, "invalid period range");
            ds.periods.emplace_back(a, b);
            accept(",");
          }
          next();
          const Token& vk = peek();
          if (!is_ident(vk, "values")) error_at(vk, "expected 'values' after 'periods' but found " + describe(vk));
          next();
          while (!is_punct(peek(), ";")) {
            if (peek().kind == Tok::End) expect(";");
            ds.values.push_back(signed_value());
            accept(",");
          }
          next();
          if (ds.values.size() == 1 && ds.periods.size() > 1) ds.values.resize(ds.periods.size(), ds.values[0]);
          if (ds.values.size() != ds.periods.size())
            error_at(vk, "'periods' and 'values' have different lengths (" + std::to_string(ds.periods.size()) +
                             " and " + std::to_string(ds.values.size()) + ")");
          d_->shocks.deterministic.push_back(std::move(ds));
        } else {
          error_at(k, "expected 'stderr' or 'periods' after 'var " + n1 + ";' but found " + describe(k));
        }
      } else if (is_ident(t, "corr")) {
        next();
        std::string n1 = shock_name("a shock name");
        expect(",");
        std::string n2 = shock_name("a shock name");
        expect("=");
        ExprId e = parse_expr(ExprCtx{Ctx::Scalar});
        expect(";");
        double r = shock_value(t, e, "correlation of '" + n1 + "', '" + n2 + "'");
        if (!(r >= -1 && r <= 1))
          error_at(t, "correlation of '" + n1 + "', '" + n2 + "' is " + fmt_value(r) + ", outside [-1, 1]");
        d_->shocks.stochastic.push_back({StochasticShock::Kind::Correlation, n1, n2, r, loc_of(t)});
      } else {
        error_at(t, "expected 'var' or 'corr' in shocks block but found " + describe(t));
      }
    }
    next();
    next();
  }

  // ---------------------------------------------------------------- estimated_params
  void estimated_params_block() {
    const Token kw = next();
    if (is_punct(peek(), "(")) skip_balanced();
    expect(";");
    while (!at_end_keyword()) {
      const Token& t = peek();
      if (t.kind == Tok::End) error_at(kw, "estimated_params block without 'end;'");
      EstimatedParam ep = estimated_param_head();
      std::vector<double> nums;
      int shape_at = -1;
      while (accept(",")) {
        const Token& f = peek();
        if (is_punct(f, ",") || is_punct(f, ";")) {
          nums.push_back(std::nan(""));
          continue;
        }
        if (f.kind == Tok::Ident && prior_shapes().count(lower(f.text))) {
          if (shape_at >= 0) error_at(f, "two prior shapes in one estimated_params line");
          shape_at = static_cast<int>(nums.size());
          ep.prior_shape = lower(f.text);
          next();
          nums.push_back(std::nan(""));
          continue;
        }
        if (f.kind == Tok::Ident && f.text.size() > 4 && lower(f.text.substr(f.text.size() - 4)) == "_pdf")
          error_at(f, "unknown prior shape '" + f.text + "'" +
                          suggestion(f.text, std::vector<std::string>(prior_shapes().begin(), prior_shapes().end())));
        nums.push_back(eval_scalar(parse_expr(ExprCtx{Ctx::Scalar})));
      }
      expect(";");
      auto at = [&](int i) { return i >= 0 && i < static_cast<int>(nums.size()) ? nums[static_cast<std::size_t>(i)] : std::nan(""); };
      if (shape_at < 0) {
        if (nums.size() > 3) error_at(t, "too many values in estimated_params line (expected init [, lower, upper])");
        ep.init = at(0);
        if (!std::isnan(at(1))) ep.lower = at(1);
        if (!std::isnan(at(2))) ep.upper = at(2);
      } else if (shape_at == 0 || shape_at == 3) {
        int b = shape_at;
        if (b == 3) {
          ep.init = at(0);
          if (!std::isnan(at(1))) ep.lower = at(1);
          if (!std::isnan(at(2))) ep.upper = at(2);
        }
        ep.prior_mean = at(b + 1);
        ep.prior_std = at(b + 2);
        ep.prior_p3 = at(b + 3);
        ep.prior_p4 = at(b + 4);
        ep.jscale = at(b + 5);
        if (static_cast<int>(nums.size()) > b + 6) error_at(t, "too many values in estimated_params line");
      } else {
        error_at(t, "the prior shape must come right after the name or after init, lower and upper bounds");
      }
      d_->estimated_params.push_back(std::move(ep));
    }
    next();
    next();
  }

  // `stderr e` | `corr e1, e2` | `name` at the start of an estimated_params* line.
  EstimatedParam estimated_param_head() {
    const Token& t = peek();
    EstimatedParam ep;
    ep.where = loc_of(t);
    if (is_ident(t, "stderr")) {
      next();
      ep.kind = EstimatedParam::Kind::Stderr;
      const Token& nt = peek();
      ep.name = expect_ident("a shock name");
      auto s = d_->symbols.find(ep.name);
      if (!s) unknown_symbol(nt, ep.name, Ctx::Scalar);
      if (s->type == SymbolType::Parameter) error_at(nt, "'stderr' needs a shock, '" + ep.name + "' is a parameter");
    } else if (is_ident(t, "corr")) {
      next();
      ep.kind = EstimatedParam::Kind::Corr;
      const Token& nt = peek();
      ep.name = expect_ident("a shock name");
      if (!d_->symbols.contains(ep.name)) unknown_symbol(nt, ep.name, Ctx::Scalar);
      expect(",");
      const Token& nt2 = peek();
      ep.name2 = expect_ident("a shock name");
      if (!d_->symbols.contains(ep.name2)) unknown_symbol(nt2, ep.name2, Ctx::Scalar);
    } else {
      const Token& nt = peek();
      ep.name = expect_ident("a parameter name");
      auto s = d_->symbols.find(ep.name);
      if (!s) unknown_symbol(nt, ep.name, Ctx::Scalar);
      if (s->type != SymbolType::Parameter)
        error_at(nt, "'" + ep.name + "' is not a parameter (use 'stderr " + ep.name + "' for a shock)");
    }
    return ep;
  }

  // The estimated_params entry an estimated_params_init/bounds line refers to.
  EstimatedParam& estimated_param_entry(const EstimatedParam& head, const Token& at, const std::string& block) {
    for (auto& ep : d_->estimated_params) {
      if (ep.kind != head.kind) continue;
      if (ep.name == head.name && ep.name2 == head.name2) return ep;
      if (ep.kind == EstimatedParam::Kind::Corr && ep.name == head.name2 && ep.name2 == head.name) return ep;
    }
    std::string what = head.kind == EstimatedParam::Kind::Stderr ? "stderr " + head.name
                       : head.kind == EstimatedParam::Kind::Corr ? "corr " + head.name + ", " + head.name2
                                                                  : head.name;
    error_at(at, block + ": '" + what + "' is not in a previous estimated_params block");
  }

  // Calibrated value of an estimated entry (parameter value, shock stderr or correlation).
  double calibrated_value(const EstimatedParam& ep) const {
    if (ep.kind == EstimatedParam::Kind::Parameter) return d_->params[d_->symbols.find(ep.name)->index];
    double v = std::nan("");
    for (const auto& sh : d_->shocks.stochastic) {
      const bool same = (sh.name1 == ep.name && sh.name2 == (ep.kind == EstimatedParam::Kind::Corr ? ep.name2 : ep.name)) ||
                        (ep.kind == EstimatedParam::Kind::Corr && sh.name1 == ep.name2 && sh.name2 == ep.name);
      if (!same) continue;
      if (ep.kind == EstimatedParam::Kind::Stderr && sh.kind == StochasticShock::Kind::Stderr) v = sh.value;
      if (ep.kind == EstimatedParam::Kind::Stderr && sh.kind == StochasticShock::Kind::Variance) v = std::sqrt(sh.value);
      if (ep.kind == EstimatedParam::Kind::Corr && sh.kind == StochasticShock::Kind::Correlation) v = sh.value;
    }
    return v;
  }

  // estimated_params_init: `entry, init;` (or `(use_calibration)`: every init from the
  // calibration); estimated_params_bounds: `entry, lower, upper;`.
  void estimated_params_init_or_bounds_block(bool bounds) {
    const Token kw = next();
    const std::string block = kw.text;
    bool use_calibration = false;
    if (accept("(")) {
      while (!is_punct(peek(), ")")) {
        const Token& o = peek();
        if (o.kind == Tok::End) expect(")");
        if (is_ident(o, "use_calibration") && !bounds) use_calibration = true;
        else warn(o, block + " option '" + o.text + "' ignored");
        next();
        accept(",");
      }
      next();
    }
    expect(";");
    if (use_calibration)
      for (auto& ep : d_->estimated_params) {
        double v = calibrated_value(ep);
        if (!std::isnan(v)) ep.init = v;
      }
    while (!at_end_keyword()) {
      const Token& t = peek();
      if (t.kind == Tok::End) error_at(kw, block + " block without 'end;'");
      EstimatedParam head = estimated_param_head();
      EstimatedParam& ep = estimated_param_entry(head, t, block);
      expect(",");
      double a = eval_scalar(parse_expr(ExprCtx{Ctx::Scalar}));
      if (bounds) {
        expect(",");
        double b = eval_scalar(parse_expr(ExprCtx{Ctx::Scalar}));
        ep.lower = a;
        ep.upper = b;
      } else {
        ep.init = a;
      }
      expect(";");
    }
    next();
    next();
  }

  void osr_bounds_block() {
    const Token kw = next();
    expect(";");
    while (!at_end_keyword()) {
      const Token& t = peek();
      if (t.kind == Tok::End) error_at(kw, "osr_params_bounds block without 'end;'");
      std::string name = expect_ident("a parameter name");
      auto s = d_->symbols.find(name);
      if (!s) unknown_symbol(t, name, Ctx::Scalar);
      if (s->type != SymbolType::Parameter) error_at(t, "'" + name + "' is not a parameter");
      OsrParamBound b;
      b.name = name;
      expect(",");
      b.lower = eval_scalar(parse_expr(ExprCtx{Ctx::Scalar}));
      expect(",");
      b.upper = eval_scalar(parse_expr(ExprCtx{Ctx::Scalar}));
      expect(";");
      d_->osr_bounds.push_back(b);
    }
    next();
    next();
  }

  void optim_weights_block() {
    const Token kw = next();
    expect(";");
    while (!at_end_keyword()) {
      const Token& t = peek();
      if (t.kind == Tok::End) error_at(kw, "optim_weights block without 'end;'");
      auto var = [&]() {
        const Token& nt = peek();
        std::string name = expect_ident("a variable name");
        auto s = d_->symbols.find(name);
        if (!s) unknown_symbol(nt, name, Ctx::Scalar);
        if (s->type != SymbolType::Endogenous) error_at(nt, "'" + name + "' in optim_weights must be an endogenous variable");
        return name;
      };
      OptimWeight w;
      w.var1 = var();
      w.var2 = w.var1;
      if (accept(",")) w.var2 = var();
      w.weight = eval_scalar(parse_expr(ExprCtx{Ctx::Scalar}));
      expect(";");
      d_->optim_weights.push_back(w);
    }
    next();
    next();
  }

  // ---------------------------------------------------------------- commands
  void command(bool known) {
    const Token kw = next();
    Command c;
    c.name = kw.text;
    c.where = loc_of(kw);
    c.supported = known;
    const std::set<std::string>* opts = nullptr;
    if (known) opts = &known_commands().at(kw.text);
    if (kw.text == "planner_objective") {
      // planner_objective EXPR;
      ExprId e = parse_expr(ExprCtx{Ctx::Model});
      expect(";");
      d_->has_planner_objective = true;
      d_->planner_objective = e;
      c.args.push_back(d_->pool.to_string(e, [this](const ExprNode& n) { return d_->leaf_name(n); }));
      d_->commands.push_back(std::move(c));
      return;
    }
    if (accept("(")) {
      while (!is_punct(peek(), ")")) {
        const Token& o = peek();
        if (o.kind == Tok::End) expect(")");
        std::string key = expect_ident("an option name");
        CommandOption opt;
        opt.key = key;
        if (accept("=")) {
          int depth = 0;
          bool first = true;
          Tok prev = Tok::Punct;
          while (depth > 0 || (!is_punct(peek(), ",") && !is_punct(peek(), ")"))) {
            const Token& v = peek();
            if (v.kind == Tok::End || (depth == 0 && is_punct(v, ";"))) expect(")");
            if (is_punct(v, "(") || is_punct(v, "[")) ++depth;
            if (is_punct(v, ")") || is_punct(v, "]")) --depth;
            if (!first && (v.kind == Tok::Number || v.kind == Tok::Ident) && (prev == Tok::Number || prev == Tok::Ident))
              opt.value += ' ';
            opt.value += v.text;
            prev = v.kind;
            first = false;
            next();
          }
          if (first) error_at(peek(), "expected a value for option '" + key + "' but found " + describe(peek()));
        }
        if (opts && !opts->count(key)) warn(o, "unknown option '" + key + "' of command '" + c.name + "' ignored");
        c.options.push_back(std::move(opt));
        accept(",");
      }
      next();
    }
    while (!is_punct(peek(), ";")) {
      const Token& t = peek();
      if (t.kind != Tok::Ident) {
        if (t.kind == Tok::End) expect(";");
        if (!known) {
          // unknown command with unusual syntax: skip to ';'
          while (!is_punct(peek(), ";") && peek().kind != Tok::End) next();
          break;
        }
        error_at(t, "expected a variable name or ';' after command '" + c.name + "' but found " + describe(t));
      }
      if (known && t.line != kw.line && is_punct(peek(1), "(")) expect(";");
      std::string name = next().text;
      if (known) {
        auto s = d_->symbols.find(name);
        if (!s) unknown_symbol(t, name, Ctx::Scalar);
      }
      c.args.push_back(name);
      accept(",");
    }
    next();
    d_->commands.push_back(std::move(c));
  }

  // ---------------------------------------------------------------- end of file checks
  void finish() {
    apply_native_options();
    d_->predetermined = predetermined_;
    Index n_endo = d_->symbols.size(SymbolType::Endogenous);
    if (!model_seen_) {
      if (n_endo > 0) {
        throw ModelError("no model block for " + std::to_string(n_endo) + " endogenous variables in " + d_->name);
      }
    }
    Index n_eq = static_cast<Index>(d_->equations.size());
    // Optimal policy problems (planner_objective, ramsey_model, discretionary_policy) omit the
    // equations of the instruments.
    bool optimal_policy = d_->has_planner_objective;
    for (const auto& c : d_->commands)
      if (c.name == "ramsey_model" || c.name == "ramsey_policy" || c.name == "discretionary_policy") optimal_policy = true;
    if (ss_early_use_ && !optimal_policy)
      error_at(*ss_early_use_, "steady_state_model uses '" + ss_early_use_->text + "' before assigning it");
    if (model_seen_ && n_eq != n_endo && !(optimal_policy && n_eq < n_endo)) {
      throw ModelError("the model has " + std::to_string(n_eq) + " equation" + (n_eq == 1 ? "" : "s") + " for " +
                       std::to_string(n_endo) + " endogenous variable" + (n_endo == 1 ? "" : "s") +
                       " (model block at " + model_loc_.to_string() + ")");
    }
    for (const auto& s : d_->symbols.list(SymbolType::Endogenous))
      if (!used_.count(s.name)) {
        Warning w;
        w.message = "endogenous variable '" + s.name + "' does not appear in the model";
        w.where = model_loc_;
        d_->warnings.push_back(w);
      }
    for (const auto& s : d_->symbols.list(SymbolType::Exogenous))
      if (!used_.count(s.name)) {
        Warning w;
        w.message = "exogenous variable '" + s.name + "' does not appear in the model";
        w.where = model_loc_;
        d_->warnings.push_back(w);
      }
    std::set<Index> ssm_params;
    for (const auto& a : d_->ssm)
      if (a.target_type && *a.target_type == SymbolType::Parameter) ssm_params.insert(a.target_index);
    for (Index i = 0; i < d_->params.size(); ++i)
      if (std::isnan(d_->params[i]) && !ssm_params.count(i)) {
        Warning w;
        w.message = "parameter '" + d_->symbols.at(SymbolType::Parameter, i).name + "' has no value";
        w.where.file = d_->name;
        d_->warnings.push_back(w);
      }
    if (d_->has_ssm && !optimal_policy) {
      for (const auto& s : d_->symbols.list(SymbolType::Endogenous))
        if (!ss_assigned_.count(s.name)) {
          Warning w;
          w.message = "steady_state_model does not assign '" + s.name + "' (taken as 0)";
          w.where = d_->ssm.empty() ? model_loc_ : d_->ssm.front().where;
          d_->warnings.push_back(w);
        }
    }
    d_->n_declared_endo = n_endo;
    d_->n_declared_equations = n_eq;
    d_->finalize();
  }

  std::vector<SourceLine> lines_;
  std::vector<Token> toks_;
  std::map<std::size_t, std::string> bad_messages_;  // token index of each Tok::Bad -> its message
  std::size_t pos_ = 0;
  std::shared_ptr<ModelData> d_;
  std::map<std::string, double> helpers_;
  std::map<std::string, ExprId> locals_;
  std::map<std::string, Index> ss_helper_index_;
  std::set<std::string> ss_assigned_;
  std::optional<Token> ss_early_use_;  // first endogenous variable read before assignment in steady_state_model
  std::set<std::string> used_;
  Names predetermined_;
  bool model_seen_ = false;
  struct NativeOption {
    std::string key, value;
    std::size_t from_command = 0;  // applies to commands from this index on
    Token token;
  };
  std::vector<NativeOption> native_options_;
  int native_open_ = 0;
  std::map<std::string, TrendVar> trend_vars_;
  std::map<std::string, Deflator> deflators_;
  int trend_shift_ = 0;       // offset added to trend variables while reading a deflator
  bool in_deflator_ = false;  // reading a deflator expression
  Names decl_order_;  // declared names in declaration order (change_type rebuilds the table)  // MATLAB blocks (for/if/...) opened by native statements and not yet closed
  int nesting_ = 0;  // current expression nesting (see NestingGuard)
  std::vector<std::uint32_t> node_depth_;  // tree depth of each pool node (see check_tree_depth)
  SourceLocation model_loc_;
  std::string source_dir_;  // folder of the model file (empty for a model read from text)
};

std::string stem_of(const std::string& name) {
  std::filesystem::path p(name);
  return p.stem().string().empty() ? name : p.stem().string();
}

}  // namespace
}  // namespace detail

std::string preprocess_model(std::string_view source, const std::string& name, const ParseOptions& opts) {
  auto lines = detail::macro_expand(source, name, "", opts);
  std::string out;
  for (const auto& l : lines) {
    out += l.text;
    out += '\n';
  }
  return out;
}

Model parse_model(std::string_view source, const std::string& name, const ParseOptions& opts) {
  auto lines = detail::macro_expand(source, name, "", opts);
  detail::Parser p(std::move(lines), name == "<string>" ? name : detail::stem_of(name));
  return Model(p.run());
}

Model parse_model_file(const std::string& path, const ParseOptions& opts) {
  std::error_code dir_ec;
  if (std::filesystem::is_directory(path, dir_ec)) throw Error("'" + path + "' is a folder, not a model file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open model file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::string display = std::filesystem::path(path).filename().string();
  auto lines = detail::macro_expand(text, display, path, opts);
  detail::Parser p(std::move(lines), detail::stem_of(path));
  {
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    p.set_source_dir(dir.empty() ? std::string(".") : dir.string());
  }
  std::shared_ptr<detail::ModelData> d = p.run();
  {
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(path, ec);
    d->source_file = ec ? path : abs.lexically_normal().string();
  }
  if (!d->has_ssm) {
    std::filesystem::path m = std::filesystem::path(path).parent_path() / (detail::stem_of(path) + "_steadystate.m");
    std::error_code ec;
    if (std::filesystem::is_regular_file(m, ec)) {
      d->steadystate_file = m.string();
      Warning w;
      w.message = "MATLAB steady-state file " + m.filename().string() +
                  " found: it is not supported (write it as a steady_state_model block)";
      w.where.file = display;
      d->warnings.push_back(std::move(w));
    }
  }
  return Model(d);
}

}  // namespace govsim::dsge
