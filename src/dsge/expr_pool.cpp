// Hash-consed expression pool with constant folding.
#include <govsim/dsge/expr.hpp>

#include <cmath>
#include <cstring>
#include <sstream>

namespace govsim::dsge {

namespace {
std::uint64_t bits_of(double v) {
  if (v == 0.0) v = 0.0;  // +0 and -0 share a node
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
}  // namespace

const char* op_name(ExprOp op) noexcept {
  switch (op) {
    case ExprOp::Neg: return "-";
    case ExprOp::Exp: return "exp";
    case ExprOp::Log: return "log";
    case ExprOp::Log10: return "log10";
    case ExprOp::Sqrt: return "sqrt";
    case ExprOp::Abs: return "abs";
    case ExprOp::Sign: return "sign";
    case ExprOp::NormCdf: return "normcdf";
    case ExprOp::NormPdf: return "normpdf";
    case ExprOp::Erf: return "erf";
    case ExprOp::Sin: return "sin";
    case ExprOp::Cos: return "cos";
    case ExprOp::Tan: return "tan";
    case ExprOp::Atan: return "atan";
    case ExprOp::SteadyState: return "STEADY_STATE";
    case ExprOp::Add: return "+";
    case ExprOp::Sub: return "-";
    case ExprOp::Mul: return "*";
    case ExprOp::Div: return "/";
    case ExprOp::Pow: return "^";
    case ExprOp::Max: return "max";
    case ExprOp::Min: return "min";
    case ExprOp::GreaterEqual: return ">=";
    default: return "?";
  }
}

double apply_op(ExprOp op, double a, double b) noexcept {
  switch (op) {
    case ExprOp::Neg: return -a;
    case ExprOp::Exp: return std::exp(a);
    case ExprOp::Log: return std::log(a);
    case ExprOp::Log10: return std::log10(a);
    case ExprOp::Sqrt: return std::sqrt(a);
    case ExprOp::Abs: return std::fabs(a);
    case ExprOp::Sign: return a > 0 ? 1.0 : (a < 0 ? -1.0 : 0.0);
    case ExprOp::NormCdf: return 0.5 * std::erfc(-a / std::sqrt(2.0));
    case ExprOp::NormPdf: return kInvSqrt2Pi * std::exp(-0.5 * a * a);
    case ExprOp::Erf: return std::erf(a);
    case ExprOp::Sin: return std::sin(a);
    case ExprOp::Cos: return std::cos(a);
    case ExprOp::Tan: return std::tan(a);
    case ExprOp::Atan: return std::atan(a);
    case ExprOp::SteadyState: return a;
    case ExprOp::Add: return a + b;
    case ExprOp::Sub: return a - b;
    case ExprOp::Mul: return a * b;
    case ExprOp::Div: return a / b;
    case ExprOp::Pow: {
      if (b == 2.0) return a * a;
      if (b == 1.0) return a;
      return std::pow(a, b);
    }
    case ExprOp::Max: return a >= b ? a : b;
    case ExprOp::Min: return a <= b ? a : b;
    case ExprOp::GreaterEqual: return a >= b ? 1.0 : 0.0;
    default: return std::nan("");
  }
}

std::size_t ExprPool::KeyHash::operator()(const Key& k) const noexcept {
  std::uint64_t h = static_cast<std::uint64_t>(k.op) * 0x9E3779B97F4A7C15ull;
  auto mix = [&](std::uint64_t v) { h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2); };
  mix(static_cast<std::uint32_t>(k.lag));
  mix(k.a);
  mix(k.b);
  mix(k.bits);
  return static_cast<std::size_t>(h);
}

ExprPool::ExprPool() {
  zero_ = constant(0.0);
  one_ = constant(1.0);
}

ExprId ExprPool::intern(const ExprNode& n) {
  Key k{n.op, n.lag, n.a, n.b, n.op == ExprOp::Constant ? bits_of(n.value) : 0};
  auto it = index_.find(k);
  if (it != index_.end()) return it->second;
  auto id = static_cast<ExprId>(nodes_.size());
  nodes_.push_back(n);
  if (n.op == ExprOp::Constant && n.value == 0.0) nodes_.back().value = 0.0;
  index_.emplace(k, id);
  return id;
}

ExprId ExprPool::constant(double v) {
  ExprNode n;
  n.op = ExprOp::Constant;
  n.value = v;
  return intern(n);
}

ExprId ExprPool::leaf(ExprOp kind, std::uint32_t index, int lag) {
  ExprNode n;
  n.op = kind;
  n.a = index;
  n.lag = lag;
  return intern(n);
}

ExprId ExprPool::unary(ExprOp op, ExprId a) {
  const ExprNode& na = nodes_[a];
  if (op == ExprOp::SteadyState && na.op == ExprOp::Constant) return a;
  if (na.op == ExprOp::Constant && op != ExprOp::SteadyState) return constant(apply_op(op, na.value));
  if (op == ExprOp::Neg && na.op == ExprOp::Neg) return na.a;
  ExprNode n;
  n.op = op;
  n.a = a;
  return intern(n);
}

ExprId ExprPool::binary(ExprOp op, ExprId a, ExprId b) {
  const ExprNode na = nodes_[a];
  const ExprNode nb = nodes_[b];
  const bool ca = na.op == ExprOp::Constant, cb = nb.op == ExprOp::Constant;
  if (ca && cb) return constant(apply_op(op, na.value, nb.value));
  switch (op) {
    case ExprOp::Add:
      if (ca && na.value == 0.0) return b;
      if (cb && nb.value == 0.0) return a;
      if (nb.op == ExprOp::Neg) return binary(ExprOp::Sub, a, nb.a);
      break;
    case ExprOp::Sub:
      if (cb && nb.value == 0.0) return a;
      if (ca && na.value == 0.0) return unary(ExprOp::Neg, b);
      if (a == b) return zero_;
      if (nb.op == ExprOp::Neg) return binary(ExprOp::Add, a, nb.a);
      break;
    case ExprOp::Mul:
      if ((ca && na.value == 0.0) || (cb && nb.value == 0.0)) return zero_;
      if (ca && na.value == 1.0) return b;
      if (cb && nb.value == 1.0) return a;
      if (ca && na.value == -1.0) return unary(ExprOp::Neg, b);
      if (cb && nb.value == -1.0) return unary(ExprOp::Neg, a);
      break;
    case ExprOp::Div:
      if (ca && na.value == 0.0) return zero_;
      if (cb && nb.value == 1.0) return a;
      if (a == b) return one_;
      break;
    case ExprOp::Pow:
      if (cb && nb.value == 1.0) return a;
      if (cb && nb.value == 0.0) return one_;
      if (ca && na.value == 1.0) return one_;
      break;
    default: break;
  }
  ExprNode n;
  n.op = op;
  n.a = a;
  n.b = b;
  return intern(n);
}

namespace {
int precedence(ExprOp op) {
  switch (op) {
    case ExprOp::Add:
    case ExprOp::Sub: return 1;
    case ExprOp::Mul:
    case ExprOp::Div: return 2;
    case ExprOp::Neg: return 3;
    case ExprOp::Pow: return 4;
    default: return 5;
  }
}
std::string fmt_number(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  std::string s = os.str();
  // prefer the shortest representation that round-trips
  for (int p = 1; p <= 17; ++p) {
    std::ostringstream o2;
    o2.precision(p);
    o2 << v;
    if (std::stod(o2.str()) == v) return o2.str();
  }
  return s;
}
}  // namespace

std::string ExprPool::to_string(ExprId id, const std::function<std::string(const ExprNode&)>& leaf_name) const {
  const ExprNode& n = nodes_[id];
  if (n.op == ExprOp::Constant) {
    std::string s = fmt_number(n.value);
    return n.value < 0 ? "(" + s + ")" : s;
  }
  if (is_leaf(n.op)) return leaf_name(n);
  auto wrap = [&](ExprId c, bool paren) {
    std::string s = to_string(c, leaf_name);
    return paren ? "(" + s + ")" : s;
  };
  if (n.op == ExprOp::Neg) {
    return std::string("-") + wrap(n.a, precedence(nodes_[n.a].op) < precedence(ExprOp::Pow) + 1 && !is_leaf(nodes_[n.a].op));
  }
  if (is_unary(n.op)) return std::string(op_name(n.op)) + "(" + to_string(n.a, leaf_name) + ")";
  if (n.op == ExprOp::Max || n.op == ExprOp::Min) {
    return std::string(op_name(n.op)) + "(" + to_string(n.a, leaf_name) + ", " + to_string(n.b, leaf_name) + ")";
  }
  if (n.op == ExprOp::GreaterEqual) {
    return std::string("(") + to_string(n.a, leaf_name) + " >= " + to_string(n.b, leaf_name) + ")";
  }
  int p = precedence(n.op);
  int pa = precedence(nodes_[n.a].op), pb = precedence(nodes_[n.b].op);
  bool left_paren = pa < p || (n.op == ExprOp::Pow && pa <= p);
  bool right_paren = pb < p || (pb == p && (n.op == ExprOp::Sub || n.op == ExprOp::Div || n.op == ExprOp::Pow)) ||
                     (n.op == ExprOp::Pow && nodes_[n.b].op == ExprOp::Neg);
  const char* sep = n.op == ExprOp::Pow ? "^" : (n.op == ExprOp::Mul ? "*" : (n.op == ExprOp::Div ? "/" : nullptr));
  std::string s = wrap(n.a, left_paren);
  if (sep)
    s += sep;
  else
    s += std::string(" ") + op_name(n.op) + " ";
  s += wrap(n.b, right_paren);
  return s;
}

}  // namespace govsim::dsge
