// Symbolic differentiation and compiled tapes.
#include "tape.hpp"

#include <algorithm>
#include <cmath>

namespace govsim::dsge::detail {

const std::vector<int>& Differentiator::deps(ExprId e) {
  if (e >= have_deps_.size()) {
    have_deps_.resize(pool_.size() + 1, 0);
    deps_.resize(pool_.size() + 1);
  }
  if (have_deps_[e]) return deps_[e];
  const ExprNode n = pool_.node(e);
  std::vector<int> out;
  if (is_leaf(n.op)) {
    int v = var_id_(n);
    if (v >= 0) out.push_back(v);
  } else if (is_unary(n.op)) {
    out = deps(n.a);
  } else {
    const std::vector<int> da = deps(n.a);
    const std::vector<int>& db = deps(n.b);
    std::set_union(da.begin(), da.end(), db.begin(), db.end(), std::back_inserter(out));
  }
  if (e >= have_deps_.size()) {
    have_deps_.resize(e + 1, 0);
    deps_.resize(e + 1);
  }
  deps_[e] = std::move(out);
  have_deps_[e] = 1;
  return deps_[e];
}

bool Differentiator::depends(ExprId e, int v) {
  const auto& s = deps(e);
  return std::binary_search(s.begin(), s.end(), v);
}

ExprId Differentiator::d(ExprId e, int v) {
  if (!depends(e, v)) return pool_.zero();
  const std::uint64_t key = (static_cast<std::uint64_t>(e) << 32) | static_cast<std::uint32_t>(v);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const ExprNode n = pool_.node(e);
  ExprPool& P = pool_;
  auto add = [&](ExprId a, ExprId b) { return P.binary(ExprOp::Add, a, b); };
  auto sub = [&](ExprId a, ExprId b) { return P.binary(ExprOp::Sub, a, b); };
  auto mul = [&](ExprId a, ExprId b) { return P.binary(ExprOp::Mul, a, b); };
  auto div = [&](ExprId a, ExprId b) { return P.binary(ExprOp::Div, a, b); };
  auto un = [&](ExprOp op, ExprId a) { return P.unary(op, a); };
  auto c = [&](double x) { return P.constant(x); };
  ExprId r = P.zero();
  if (is_leaf(n.op)) {
    r = var_id_(n) == v ? P.one() : P.zero();
  } else {
    ExprId a = n.a, b = n.b;
    ExprId da = d(a, v);
    switch (n.op) {
      case ExprOp::Neg: r = un(ExprOp::Neg, da); break;
      case ExprOp::Exp: r = mul(e, da); break;
      case ExprOp::Log: r = div(da, a); break;
      case ExprOp::Log10: r = div(da, mul(a, c(std::log(10.0)))); break;
      case ExprOp::Sqrt: r = div(da, mul(c(2.0), e)); break;
      case ExprOp::Abs: r = mul(un(ExprOp::Sign, a), da); break;
      case ExprOp::Sign: r = P.zero(); break;
      case ExprOp::NormCdf: r = mul(un(ExprOp::NormPdf, a), da); break;
      case ExprOp::NormPdf: r = un(ExprOp::Neg, mul(mul(a, e), da)); break;
      case ExprOp::Erf:
        r = mul(mul(c(2.0 / std::sqrt(M_PI)), un(ExprOp::Exp, un(ExprOp::Neg, mul(a, a)))), da);
        break;
      case ExprOp::Sin: r = mul(un(ExprOp::Cos, a), da); break;
      case ExprOp::Cos: r = un(ExprOp::Neg, mul(un(ExprOp::Sin, a), da)); break;
      case ExprOp::Tan: r = mul(add(P.one(), mul(e, e)), da); break;
      case ExprOp::Atan: r = div(da, add(P.one(), mul(a, a))); break;
      case ExprOp::SteadyState: r = P.zero(); break;
      case ExprOp::Add: r = add(da, d(b, v)); break;
      case ExprOp::Sub: r = sub(da, d(b, v)); break;
      case ExprOp::Mul: r = add(mul(da, b), mul(a, d(b, v))); break;
      case ExprOp::Div: {
        ExprId db = d(b, v);
        r = sub(div(da, b), div(mul(e, db), b));
        break;
      }
      case ExprOp::Pow: {
        ExprId db = d(b, v);
        ExprId t1 = P.zero(), t2 = P.zero();
        if (da != P.zero()) {
          const ExprNode& nb = P.node(b);
          ExprId bm1 = nb.op == ExprOp::Constant ? c(nb.value - 1.0) : sub(b, P.one());
          t1 = mul(mul(b, P.binary(ExprOp::Pow, a, bm1)), da);
        }
        if (db != P.zero()) t2 = mul(mul(e, un(ExprOp::Log, a)), db);
        r = add(t1, t2);
        break;
      }
      case ExprOp::Max: {
        ExprId ge = P.binary(ExprOp::GreaterEqual, a, b);
        r = add(mul(ge, da), mul(sub(P.one(), ge), d(b, v)));
        break;
      }
      case ExprOp::Min: {
        ExprId ge = P.binary(ExprOp::GreaterEqual, b, a);
        r = add(mul(ge, da), mul(sub(P.one(), ge), d(b, v)));
        break;
      }
      case ExprOp::GreaterEqual: r = P.zero(); break;
      default: r = P.zero(); break;
    }
  }
  memo_.emplace(key, r);
  return r;
}

Tape::Tape(const ExprPool& pool, const std::vector<ExprId>& outputs,
           const std::function<std::pair<Source, std::uint32_t>(const ExprNode&)>& resolve) {
  // Children always have smaller ids than parents, so ascending id order is topological.
  std::vector<char> reach(pool.size(), 0);
  std::vector<ExprId> stack(outputs.begin(), outputs.end());
  while (!stack.empty()) {
    ExprId e = stack.back();
    stack.pop_back();
    if (reach[e]) continue;
    reach[e] = 1;
    const ExprNode& n = pool.node(e);
    if (is_unary(n.op)) stack.push_back(n.a);
    if (is_binary(n.op)) {
      stack.push_back(n.a);
      stack.push_back(n.b);
    }
  }
  std::vector<std::uint32_t> slot(pool.size(), 0);
  for (ExprId e = 0; e < pool.size(); ++e) {
    if (!reach[e]) continue;
    const ExprNode& n = pool.node(e);
    Instr in{n.op, Source::None, 0, 0, 0.0};
    if (n.op == ExprOp::Constant) {
      in.c = n.value;
    } else if (is_leaf(n.op)) {
      auto [src, idx] = resolve(n);
      in.src = src;
      in.a = idx;
    } else {
      in.a = slot[n.a];
      if (is_binary(n.op)) in.b = slot[n.b];
    }
    slot[e] = static_cast<std::uint32_t>(code_.size());
    code_.push_back(in);
  }
  outputs_.reserve(outputs.size());
  for (ExprId e : outputs) outputs_.push_back(slot[e]);
}

void Tape::run(const double* x, const double* p, const double* ss, const double* exo, const double* det,
               double* out) const {
  thread_local std::vector<double> w;
  if (w.size() < code_.size()) w.resize(code_.size());
  double* v = w.data();
  const std::size_t n = code_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Instr& in = code_[i];
    switch (in.op) {
      case ExprOp::Constant: v[i] = in.c; break;
      case ExprOp::Endo:
      case ExprOp::Exo:
      case ExprOp::ExoDet:
      case ExprOp::Param:
      case ExprOp::Helper:
      case ExprOp::SteadyStateEndo:
        switch (in.src) {
          case Source::X: v[i] = x[in.a]; break;
          case Source::Param: v[i] = p[in.a]; break;
          case Source::SteadyState: v[i] = ss[in.a]; break;
          case Source::Exo: v[i] = exo ? exo[in.a] : 0.0; break;
          case Source::ExoDet: v[i] = det ? det[in.a] : 0.0; break;
          default: v[i] = std::nan(""); break;
        }
        break;
      case ExprOp::Add: v[i] = v[in.a] + v[in.b]; break;
      case ExprOp::Sub: v[i] = v[in.a] - v[in.b]; break;
      case ExprOp::Mul: v[i] = v[in.a] * v[in.b]; break;
      case ExprOp::Div: v[i] = v[in.a] / v[in.b]; break;
      case ExprOp::Neg: v[i] = -v[in.a]; break;
      default:
        v[i] = is_binary(in.op) ? apply_op(in.op, v[in.a], v[in.b]) : apply_op(in.op, v[in.a]);
        break;
    }
  }
  for (std::size_t k = 0; k < outputs_.size(); ++k) out[k] = v[outputs_[k]];
}

double eval_tree(const ExprPool& pool, ExprId e, const std::function<double(const ExprNode&)>& leaf) {
  const ExprNode& n = pool.node(e);
  if (n.op == ExprOp::Constant) return n.value;
  if (is_leaf(n.op)) return leaf(n);
  double a = eval_tree(pool, n.a, leaf);
  if (is_unary(n.op)) return apply_op(n.op, a);
  return apply_op(n.op, a, eval_tree(pool, n.b, leaf));
}

}  // namespace govsim::dsge::detail
