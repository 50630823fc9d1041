#pragma once
// Internal: symbolic differentiation on the ExprPool and compiled evaluation tapes.
#include <govsim/dsge/expr.hpp>

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace govsim::dsge::detail {

/// Symbolic differentiator over a pool. `var_id(node)` maps a leaf to a variable number (or -1).
/// Derivatives are cached per (node, variable); a node skips variables outside its dependency set.
class Differentiator {
 public:
  Differentiator(ExprPool& pool, std::function<int(const ExprNode&)> var_id)
      : pool_(pool), var_id_(std::move(var_id)) {}
  /// Sorted variables an expression depends on.
  const std::vector<int>& deps(ExprId e);
  /// d e / d v.
  ExprId d(ExprId e, int v);

 private:
  bool depends(ExprId e, int v);
  ExprPool& pool_;
  std::function<int(const ExprNode&)> var_id_;
  std::vector<std::vector<int>> deps_;
  std::vector<char> have_deps_;
  std::unordered_map<std::uint64_t, ExprId> memo_;
};

/// Where a leaf reads its value from when a tape runs.
enum class Source : std::uint8_t { X, Param, SteadyState, Exo, ExoDet, None };

/// Compiled straight-line program computing a list of expressions.
class Tape {
 public:
  Tape() = default;
  /// `resolve(node)` gives (source, index) of a leaf.
  Tape(const ExprPool& pool, const std::vector<ExprId>& outputs,
       const std::function<std::pair<Source, std::uint32_t>(const ExprNode&)>& resolve);
  /// Run; inputs may be null when unused. `out` has outputs().size() entries.
  void run(const double* x, const double* p, const double* ss, const double* exo, const double* det,
           double* out) const;
  std::size_t size() const { return code_.size(); }
  std::size_t n_outputs() const { return outputs_.size(); }

 private:
  struct Instr {
    ExprOp op;
    Source src;
    std::uint32_t a, b;
    double c;
  };
  std::vector<Instr> code_;
  std::vector<std::uint32_t> outputs_;
  mutable std::vector<double> work_;  // guarded by thread_local copy in run
};

/// Evaluate an expression by walking the tree (used for one-off evaluations: steady_state_model,
/// parameter assignments). `leaf` returns the value of a leaf.
double eval_tree(const ExprPool& pool, ExprId e, const std::function<double(const ExprNode&)>& leaf);

}  // namespace govsim::dsge::detail
