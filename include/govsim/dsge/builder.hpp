#pragma once
/// \file builder.hpp
/// Programmatic construction of a DSGE model without writing a .mod file: declare symbols, give
/// parameter values and equations (expressions in the .mod expression syntax, e.g.
/// "c^(-sigma) = beta*c(+1)^(-sigma)*(r(+1)+1-delta)"), then build(). Errors are reported with
/// the position in the generated model, and names are checked exactly as in the .mod reader.

#include <govsim/dsge/model.hpp>

#include <string>
#include <utility>
#include <vector>

namespace govsim::dsge {

/// Builds a Model step by step (used by tools that generate models, e.g. from an IO table).
class ModelBuilder {
 public:
  /// A builder for a model called `name`.
  explicit ModelBuilder(std::string name = "model");

  ModelBuilder& endogenous(const std::string& name, const std::string& long_name = "", const std::string& tex_name = "");  ///< declare a `var`
  ModelBuilder& exogenous(const std::string& name, const std::string& long_name = "", const std::string& tex_name = "");   ///< declare a `varexo`
  ModelBuilder& parameter(const std::string& name, double value);   ///< declare a parameter with a value
  ModelBuilder& parameter_expr(const std::string& name, const std::string& expr);  ///< declare a parameter set by an expression
  ModelBuilder& linear(bool on = true);                              ///< model(linear)
  ModelBuilder& local(const std::string& name, const std::string& expr);  ///< `# name = expr;` (before the equations using it)
  /// Add an equation "lhs = rhs" (or an expression equal to zero); `tag_name` sets [name='...'].
  ModelBuilder& equation(const std::string& text, const std::string& tag_name = "");
  ModelBuilder& steady_state(const std::string& name, const std::string& expr);  ///< steady_state_model assignment
  ModelBuilder& initval(const std::string& name, double value);      ///< initval entry
  ModelBuilder& shock_stderr(const std::string& shock, double stderr_value);  ///< `var e; stderr s;`
  ModelBuilder& shock_variance(const std::string& shock, double variance);    ///< `var e = v;`
  ModelBuilder& shock_correlation(const std::string& a, const std::string& b, double corr);  ///< `corr a, b = r;`
  /// Append a command, e.g. command("stoch_simul", {{"order", "1"}, {"irf", "20"}}).
  ModelBuilder& command(const std::string& name, const std::vector<std::pair<std::string, std::string>>& options = {},
                        const Names& args = {});

  /// The generated .mod text (for inspection or saving).
  std::string mod_text() const;
  /// Build the model (throws ParseError/ModelError like parse_model).
  Model build() const;

 private:
  std::string name_;
  std::vector<std::string> vars_, varexo_, param_lines_, params_, locals_eqs_, ssm_, initval_, shocks_, commands_;
  bool linear_ = false;
};

}  // namespace govsim::dsge
