#pragma once
/// \file second_order.hpp
/// Second-order perturbation (Schmitt-Grohé and Uribe 2004) in Dynare's convention:
///
///     y_t = ȳ + ½ghs2 + ghx x + ghu u + ½ghxx (x⊗x) + ghxu (x⊗u) + ½ghuu (u⊗u)
///
/// with x = y_{t-1}[states] − ȳ[states] (states in the order of the first-order solution) and the
/// first factor of each Kronecker product the slow index: column i·n2 + j multiplies x_i·x_j
/// (or x_i·u_j). ghs2 includes σ² = 1.
///
/// ghxx solves the generalized Sylvester equation A·X + B·X·(G⊗G) = −D, where
/// A = f₀ + f₊·g^F_x (in the state columns), B puts f₊ in the forward columns, G = g^s_x. It is
/// solved without forming the n·nx² system: complex Schur forms G = U·T·Uᴴ and A⁻¹B = Q·S·Qᴴ turn
/// it into Z + S·Z·(T⊗T) = R̃, whose columns (i, j) are solved in lexicographic order by
/// triangular solves with (I + T_ii·T_jj·S), the Kronecker products being applied factor by
/// factor (cost O(n²·nx² + n·nx³) instead of O(n³·nx⁶)); compare Kamenik (2005).
/// ghxu, ghuu and ghs2 then follow from linear solves with A and A + B.
///
/// Pruned simulation follows Andreasen, Fernández-Villaverde and Rubio-Ramírez (2018): the
/// first-order part x^f evolves linearly and the second-order part x^s is driven by x^f⊗x^f.

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perturbation.hpp>

#include <string>
#include <vector>

namespace govsim::dsge {

/// Options of solve_second_order().
struct SecondOrderOptions {
  bool compute_mean = true;       ///< also compute the pruned second-order mean (needs stable G)
  double singular_tolerance = 1e-12;  ///< reciprocal condition below which A is declared singular
  /// Throws OptionsError for a non-positive tolerance.
  void validate() const;
};

/// Second-order decision rule (rows: all endogenous variables, declared first).
struct SecondOrderResult {
  Names endo_names;                   ///< rows
  Index n_declared = 0;               ///< declared variables among endo_names
  Names exo_names;                    ///< shocks (u)
  Names state_names;                  ///< states (x), Dynare's order
  std::vector<Index> state_indices;   ///< their indices in endo_names
  Vector steady_state;                ///< ȳ
  Matrix Sigma_e;                     ///< shock covariance used for ghs2 and the mean
  Matrix ghx;                         ///< n x nx (first order)
  Matrix ghu;                         ///< n x nu (first order)
  Matrix ghxx;                        ///< n x nx² (Kronecker columns, first factor slow)
  Matrix ghxu;                        ///< n x nx·nu
  Matrix ghuu;                        ///< n x nu²
  Vector ghs2;                        ///< n, σ² = 1 included
  Vector mean;                        ///< pruned second-order mean of y (empty if not computed)
  Matrix state_covariance;            ///< first-order covariance of x (used by the mean)
  double sylvester_residual = 0;      ///< max |A X + B X (G⊗G) + D| of the ghxx equation
  Status status = Status::NotConverged;  ///< Success, Singular, NoStableSolution...
  std::string message;                ///< diagnostic
  /// True when the matrices are valid.
  bool ok() const { return status == Status::Success; }
  /// One-line report.
  std::string summary() const;
};

/// Second-order perturbation around the steady state of a first-order solution.
/// \param model parsed model (current parameter values)
/// \param first first-order solution at the steady state (solve_first_order(linearize(...)))
/// \param opts options
/// \return ghxx, ghxu, ghuu, ghs2 (and the first-order terms); a failed first order is passed on
/// \throws DimensionError when `first` does not belong to `model`; OptionsError
/// \code
///   auto m = parse_model_file("rbc.mod");
///   auto ss = solve_steady_state(m);
///   auto fo = solve_first_order(linearize(m, ss.values));
///   auto so = solve_second_order(m, fo);
/// \endcode
SecondOrderResult solve_second_order(const Model& model, const PerturbationResult& first,
                                     const SecondOrderOptions& opts = {});

/// Solve the generalized Sylvester equation A X + B X (G⊗G) = C (Kronecker columns, first factor
/// slow) by the Schur method described above. A, B: n x n (A invertible), G: m x m, C: n x m².
/// \return X (n x m²)
/// \throws DimensionError on sizes; SolveError when A is singular
Matrix solve_kronecker_sylvester(const Eigen::Ref<const Matrix>& A, const Eigen::Ref<const Matrix>& B,
                                 const Eigen::Ref<const Matrix>& G, const Eigen::Ref<const Matrix>& C);

/// A pruned second-order simulation.
struct PrunedSimulation {
  Matrix paths;         ///< periods x n_endo: levels ȳ + y^f + y^s
  Matrix first_order;   ///< periods x n_endo: y^f (first-order deviations)
  Matrix second_order;  ///< periods x n_endo: y^s (second-order correction)
};

/// Pruned simulation (Andreasen et al. 2018) from the steady state with given shocks.
/// \param rule second-order rule
/// \param shocks periods x n_exo draws (row t hits period t)
/// \param pruned false: iterate the unpruned second-order rule instead
/// \throws DimensionError when shocks has the wrong number of columns
PrunedSimulation simulate_second_order(const SecondOrderResult& rule, const Eigen::Ref<const Matrix>& shocks,
                                       bool pruned = true);

/// Evaluate the decision rule at a state deviation x and shock u.
/// \param order 1 (first-order terms only) or 2
/// \return y_t in levels (n_endo)
Vector evaluate_decision_rule(const SecondOrderResult& rule, const Vector& x, const Vector& u, int order = 2);

/// Euler-equation (expectational) errors: for each row of `states` (state deviations x, shock
/// u_t = 0) the decision rule of the given order gives y_t and y_{t+1}(ε'); E_t f(y_{t+1}, y_t,
/// y_{t−1}, 0) is computed with Gauss-Hermite quadrature over ε' ~ N(0, Sigma_e) (product rule,
/// `nodes` per shock). Rows: states; columns: equations. Exact equations give ~0; equations with
/// expectations give the approximation error of the rule.
/// \throws DimensionError when states has the wrong number of columns; OptionsError for nodes < 1
Matrix euler_equation_errors(const Model& model, const SecondOrderResult& rule, const Eigen::Ref<const Matrix>& states,
                             int order, int nodes = 10);

}  // namespace govsim::dsge
