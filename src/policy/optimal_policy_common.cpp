// Internal helpers shared by the Ramsey and discretion solvers.
#include "optimal_policy_common.hpp"

#include <govsim/core/error.hpp>

#include "../dsge/model_data.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace govsim::policy::detail {

std::string fmt_number(double v) {
  std::string s;
  for (int p = 1; p <= 17; ++p) {
    std::ostringstream o;
    o.precision(p);
    o << v;
    s = o.str();
    if (std::stod(s) == v) break;
  }
  return s;
}

/// Split "(a, b c)" into names.
Names split_names(std::string s) {
  for (char& ch : s)
    if (ch == '(' || ch == ')' || ch == ',' || ch == '[' || ch == ']' || ch == '\'' || ch == '"') ch = ' ';
  std::istringstream in(s);
  Names out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

const dsge::Command* last_command(const dsge::Model& m, const std::vector<std::string>& names) {
  const dsge::Command* found = nullptr;
  for (const auto& c : m.commands())
    if (std::find(names.begin(), names.end(), c.name) != names.end()) found = &c;
  return found;
}

/// .mod text declaring the symbols, parameters and shocks of `m` (all endogenous variables,
/// auxiliaries included, as ordinary variables), with `extra_endo` appended to `var` and
/// `extra_params` (name, expression) appended to the parameters.
std::string declarations(const dsge::Model& m, const Names& extra_endo,
                         const std::vector<std::pair<std::string, std::string>>& extra_params) {
  std::ostringstream o;
  o << "var";
  for (const auto& n : m.endo_names()) o << ' ' << n;
  for (const auto& n : extra_endo) o << ' ' << n;
  o << ";\n";
  if (m.n_exo()) {
    o << "varexo";
    for (const auto& n : m.exo_names()) o << ' ' << n;
    o << ";\n";
  }
  if (m.n_exo_det()) {
    o << "varexo_det";
    for (const auto& n : m.exo_det_names()) o << ' ' << n;
    o << ";\n";
  }
  Names pn = m.param_names();
  if (!pn.empty() || !extra_params.empty()) {
    o << "parameters";
    for (const auto& n : pn) o << ' ' << n;
    for (const auto& [n, e] : extra_params) o << ' ' << n;
    o << ";\n";
  }
  for (std::size_t i = 0; i < pn.size(); ++i)
    if (std::isfinite(m.params()[static_cast<Index>(i)])) o << pn[i] << " = " << fmt_number(m.params()[static_cast<Index>(i)]) << ";\n";
  for (const auto& [n, e] : extra_params) o << n << " = " << e << ";\n";
  return o.str();
}

std::string shocks_block(const dsge::Model& m) {
  if (m.n_exo() == 0) return "";
  Matrix S = m.Sigma_e();
  Names en = m.exo_names();
  std::ostringstream o;
  o << "shocks;\n";
  for (Index i = 0; i < S.rows(); ++i)
    if (S(i, i) != 0.0) o << "var " << en[i] << " = " << fmt_number(S(i, i)) << ";\n";
  for (Index i = 0; i < S.rows(); ++i)
    for (Index j = i + 1; j < S.cols(); ++j)
      if (S(i, j) != 0.0) o << "var " << en[i] << ", " << en[j] << " = " << fmt_number(S(i, j)) << ";\n";
  o << "end;\n";
  return o.str();
}

std::string initval_block(const dsge::Model& m) {
  if (m.initval().empty()) return "";
  std::ostringstream o;
  o << "initval;\n";
  for (const auto& v : m.initval()) o << v.name << " = " << fmt_number(v.value) << ";\n";
  o << "end;\n";
  return o.str();
}

std::string objective_text(const dsge::Model& m, const std::string& given, const std::string& what) {
  if (!given.empty()) return given;
  if (m.data().has_planner_objective) return m.expr_string(m.data().planner_objective);
  throw ModelError(what + " of model '" + m.name() +
                   "': no planner objective (add a planner_objective statement or set the planner_objective option)");
}

dsge::Model with_objective(const dsge::Model& m, const std::string& objective, const std::string& what) {
  std::ostringstream base;
  base << declarations(m, {}, {}) << "model;\n";
  for (Index i = 0; i < static_cast<Index>(m.equations().size()); ++i) base << m.equation_string(i) << ";\n";
  base << "end;\n" << shocks_block(m) << "planner_objective " << objective << ";\n";
  dsge::Model bm = dsge::parse_model(base.str(), m.name() + "_planner");
  if (bm.n_endo() != m.n_endo())
    throw ModelError(what + " of model '" + m.name() +
                     "': the planner objective may only contain current endogenous variables and parameters");
  return bm;
}

double parameter_expression(const dsge::Model& m, const std::string& expr) {
  std::ostringstream o;
  o << "parameters";
  Names pn = m.param_names();
  for (const auto& n : pn) o << ' ' << n;
  o << " optimal_policy_discount_factor;\n";
  for (std::size_t i = 0; i < pn.size(); ++i)
    if (std::isfinite(m.params()[static_cast<Index>(i)]))
      o << pn[i] << " = " << fmt_number(m.params()[static_cast<Index>(i)]) << ";\n";
  o << "optimal_policy_discount_factor = " << expr << ";\n";
  return dsge::parse_model(o.str(), m.name() + "_discount").param("optimal_policy_discount_factor");
}

}  // namespace govsim::policy::detail
