#pragma once
/// \file expr.hpp
/// Expression DAG of a DSGE model: nodes are hash-consed in an ExprPool (identical nodes are
/// shared) and constants are folded as nodes are created (Dynare's DataTree). Nodes are referred
/// to by a 32-bit ExprId.

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace govsim::dsge {

/// Index of a node in an ExprPool.
using ExprId = std::uint32_t;

/// Kind of an expression node. Leaves first (Constant .. SteadyStateEndo), then unary, then binary.
enum class ExprOp : std::uint8_t {
  // leaves
  Constant,         ///< a number (`value`)
  Endo,             ///< endogenous variable `index` at offset `lag`
  Exo,              ///< exogenous variable `index` at offset `lag`
  ExoDet,           ///< deterministic exogenous variable `index` at offset `lag`
  Param,            ///< parameter `index`
  Helper,           ///< helper name of a steady_state_model block (`index` into its helper list)
  SteadyStateEndo,  ///< steady-state value of endogenous `index` (STEADY_STATE(y) in the dynamic model)
  // unary
  Neg, Exp, Log, Log10, Sqrt, Abs, Sign, NormCdf, NormPdf, Erf, Sin, Cos, Tan, Atan,
  SteadyState,  ///< STEADY_STATE(expr) as written (replaced when the model is finalized)
  // binary
  Add, Sub, Mul, Div, Pow, Max, Min,
  GreaterEqual  ///< 1 if a >= b else 0 (used by derivatives of max/min)
};

/// True for leaves (no children).
constexpr bool is_leaf(ExprOp op) noexcept { return op <= ExprOp::SteadyStateEndo; }
/// True for ops with one child.
constexpr bool is_unary(ExprOp op) noexcept { return op >= ExprOp::Neg && op <= ExprOp::SteadyState; }
/// True for ops with two children.
constexpr bool is_binary(ExprOp op) noexcept { return op >= ExprOp::Add; }

/// Name of an op as written in .mod files ("exp", "+", ...).
const char* op_name(ExprOp op) noexcept;

/// One node. For leaves `a` is the symbol index and `lag` the time offset; for operators `a` and
/// `b` are the children.
struct ExprNode {
  ExprOp op = ExprOp::Constant;  ///< kind
  std::int32_t lag = 0;          ///< time offset of a variable leaf
  std::uint32_t a = 0;           ///< first child, or symbol index of a leaf
  std::uint32_t b = 0;           ///< second child
  double value = 0.0;            ///< value of a Constant
};

/// Evaluate a unary or binary op on numbers (b ignored for unary ops).
double apply_op(ExprOp op, double a, double b = 0.0) noexcept;

/// Owner of expression nodes. Creating a node that already exists returns the existing id;
/// operations on constants are folded, and neutral elements are simplified (x+0, x*1, 0*x, x^1...).
class ExprPool {
 public:
  ExprPool();

  ExprId constant(double v);                                      ///< a number
  ExprId leaf(ExprOp kind, std::uint32_t index, int lag = 0);     ///< a variable/parameter leaf
  ExprId unary(ExprOp op, ExprId a);                              ///< f(a)
  ExprId binary(ExprOp op, ExprId a, ExprId b);                   ///< a op b

  ExprId zero() const noexcept { return zero_; }  ///< the constant 0
  ExprId one() const noexcept { return one_; }    ///< the constant 1

  const ExprNode& node(ExprId id) const { return nodes_[id]; }  ///< node by id
  std::size_t size() const noexcept { return nodes_.size(); }  ///< number of nodes
  bool is_constant(ExprId id) const { return nodes_[id].op == ExprOp::Constant; }

  /// Infix text of an expression; `leaf_name` names variable/parameter leaves.
  std::string to_string(ExprId id, const std::function<std::string(const ExprNode&)>& leaf_name) const;

 private:
  struct Key {
    ExprOp op;
    std::int32_t lag;
    std::uint32_t a, b;
    std::uint64_t bits;
    bool operator==(const Key& o) const noexcept {
      return op == o.op && lag == o.lag && a == o.a && b == o.b && bits == o.bits;
    }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept;
  };
  ExprId intern(const ExprNode& n);

  std::vector<ExprNode> nodes_;
  std::unordered_map<Key, ExprId, KeyHash> index_;
  ExprId zero_ = 0, one_ = 0;
};

}  // namespace govsim::dsge
