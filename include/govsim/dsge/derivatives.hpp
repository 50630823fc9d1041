#pragma once
/// \file derivatives.hpp
/// Symbolic derivatives of the dynamic and static models, compiled into a tape and evaluated
/// without walking the expression tree.
///
/// Dynamic form: columns are Model::dynamic_column_names() (lagged, current, leads, exo, in
/// Dynare's order). Static form: columns are the endogenous variables. Derivatives of order 2
/// and 3 are stored once per symmetric group (column indices non-decreasing); to_dense() fills
/// every permutation in Dynare's layout (n_rows x n_cols^k, first index slowest).

#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>

#include <array>
#include <memory>
#include <vector>

namespace govsim::dsge {

namespace detail {
struct DerivativeTapes;
}

/// Which model is differentiated.
enum class ModelForm {
  Dynamic,  ///< f(y-, y, y+, u): columns in Dynare's dynamic layout
  Static    ///< g(y) at the steady state: columns are the endogenous variables
};

/// Sparse symmetric derivative tensor of order 1..3: entry k is
/// d^order f_{rows[k]} / d x_{cols[k][0]} ... d x_{cols[k][order-1]} = values[k].
struct SparseTensor {
  int order = 0;                               ///< 1, 2 or 3
  Index n_rows = 0;                            ///< equations
  Index n_cols = 0;                            ///< variables per index
  std::vector<Index> rows;                     ///< equation of each entry
  std::vector<std::array<Index, 3>> cols;      ///< variable indices (non-decreasing; unused = -1)
  std::vector<double> values;                  ///< values
  /// Number of stored entries.
  Index nnz() const { return static_cast<Index>(values.size()); }
  /// Dense matrix n_rows x n_cols^order with all symmetric permutations filled.
  Matrix to_dense() const;
};

/// Derivatives evaluated at one point.
struct DerivativeValues {
  Vector residuals;            ///< f at the point
  SparseMatrix jacobian;       ///< first derivatives (n_equations x n_columns)
  SparseTensor hessian;        ///< second derivatives (order >= 2)
  SparseTensor third;          ///< third derivatives (order >= 3)
  SparseMatrix param_residuals;  ///< d f / d params (n_equations x n_params), if requested
  /// d (df/dx) / d params: entries (row, column, parameter) stored as cols = {column, param, -1}.
  SparseTensor param_jacobian;
};

/// Compiled derivatives of a model. Construction differentiates symbolically (cost grows with the
/// model); evaluate() runs the tape (microseconds for a 40-equation Jacobian).
class ModelDerivatives {
 public:
  /// Differentiate `model` up to `order` (1..3); `with_params` adds first derivatives wrt
  /// parameters of the residuals and of the Jacobian. Throws OptionsError for a bad order.
  ModelDerivatives(const Model& model, ModelForm form, int order = 1, bool with_params = false);

  ModelForm form() const;          ///< dynamic or static
  int order() const;               ///< highest order
  Index n_equations() const;       ///< rows
  Index n_columns() const;         ///< variables
  Names column_names() const;      ///< labels of the columns
  std::size_t tape_size() const;   ///< instructions in the compiled tapes

  /// Evaluate everything at `point` (dynamic columns or endogenous values) with `params`.
  /// `steady_state` feeds STEADY_STATE() in the dynamic form (default: current values of the
  /// point); `exo` gives the exogenous values in the static form (default: zeros).
  DerivativeValues evaluate(const Vector& point, const Vector& params, const Vector& steady_state = Vector(),
                            const Vector& exo = Vector()) const;

  /// Fast path: residuals and Jacobian values in the fixed pattern of jacobian_pattern().
  void evaluate_jacobian(const Vector& point, const Vector& params, const Vector& steady_state,
                         const Vector& exo, Eigen::Ref<Vector> residuals, Eigen::Ref<Vector> jacobian_values) const;
  /// Pattern of the Jacobian used by evaluate_jacobian: (row, column) of each value.
  const std::vector<std::pair<Index, Index>>& jacobian_pattern() const;

 private:
  std::shared_ptr<const detail::DerivativeTapes> impl_;
};

}  // namespace govsim::dsge
