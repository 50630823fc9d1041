#pragma once
// Internal helpers shared by the Ramsey and discretion solvers.
#include <govsim/dsge/model.hpp>

#include <string>
#include <utility>
#include <vector>

namespace govsim::policy::detail {

/// Shortest round-trip text of a number.
std::string fmt_number(double v);
/// Split "(a, b c)" into names.
Names split_names(std::string s);
/// The last command of the model among `names`, or nullptr.
const dsge::Command* last_command(const dsge::Model& m, const std::vector<std::string>& names);
/// .mod declarations of `m` (all endogenous variables, auxiliaries included, as ordinary
/// variables) with `extra_endo` and `extra_params` (name, expression) appended.
std::string declarations(const dsge::Model& m, const Names& extra_endo,
                         const std::vector<std::pair<std::string, std::string>>& extra_params);
/// `shocks` block with the covariance of `m`.
std::string shocks_block(const dsge::Model& m);
/// `initval` block of `m` (empty if none).
std::string initval_block(const dsge::Model& m);
/// The planner objective: `given` if not empty, else the model's planner_objective statement;
/// throws ModelError naming `what` when there is none.
std::string objective_text(const dsge::Model& m, const std::string& given, const std::string& what);
/// `m` re-read with the planner objective `objective` (its equations, symbols and shocks only),
/// so that the objective is an expression of the model (data().planner_objective).
dsge::Model with_objective(const dsge::Model& m, const std::string& objective, const std::string& what);

/// Value of an expression of the parameters of `m` (e.g. a planner discount "beta" or "0.99").
double parameter_expression(const dsge::Model& m, const std::string& expr);

}  // namespace govsim::policy::detail
