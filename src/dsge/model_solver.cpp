// ModelSolver: set free parameters, steady state, linearize, first-order solution.
#include <govsim/core/error.hpp>
#include <govsim/dsge/steady_state.hpp>
#include <govsim/dsge/model_solver.hpp>

#include <cmath>
#include <sstream>

namespace govsim::dsge {

namespace {
std::string trim(const std::string& s) {
  auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  auto b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}
Index shock_index(const Model& m, const std::string& name, const std::string& label) {
  auto s = m.symbols().find(name);
  if (!s || s->type != SymbolType::Exogenous)
    throw ModelError("'" + label + "': '" + name + "' is not a shock (varexo) of the model");
  return s->index;
}
}  // namespace

std::string FreeParameter::label() const {
  switch (kind) {
    case Kind::Parameter: return name;
    case Kind::Stderr: return "stderr " + name;
    case Kind::Corr: return "corr " + name + ", " + name2;
  }
  return name;
}

FreeParameter parse_free_parameter(const Model& model, const std::string& label) {
  std::string t = trim(label);
  FreeParameter p;
  if (t.rfind("stderr ", 0) == 0 || t.rfind("stderr_", 0) == 0) {
    p.kind = FreeParameter::Kind::Stderr;
    p.name = trim(t.substr(7));
    p.index = shock_index(model, p.name, label);
    return p;
  }
  if (t.rfind("corr ", 0) == 0) {
    p.kind = FreeParameter::Kind::Corr;
    std::string rest = t.substr(5);
    auto c = rest.find(',');
    if (c == std::string::npos) throw ModelError("'" + label + "': expected 'corr e1, e2'");
    p.name = trim(rest.substr(0, c));
    p.name2 = trim(rest.substr(c + 1));
    p.index = shock_index(model, p.name, label);
    p.index2 = shock_index(model, p.name2, label);
    return p;
  }
  auto s = model.symbols().find(t);
  if (!s || s->type != SymbolType::Parameter)
    throw ModelError("'" + label + "' is not a parameter of the model");
  p.name = t;
  p.index = s->index;
  return p;
}

void ModelSolverOptions::validate() const { perturbation.validate(); }

std::string ModelSolveResult::summary() const {
  return std::string("ModelSolveResult: ") + to_string(status) + (message.empty() ? "" : ": " + message);
}

ModelSolver::ModelSolver(const Model& model, const std::vector<std::string>& labels,
                         const ModelSolverOptions& opts)
    : model_(model), opts_(opts) {
  opts.validate();
  for (const auto& l : labels) free_.push_back(parse_free_parameter(model, l));
  base_sigma_ = model.Sigma_e();
}

Names ModelSolver::labels() const {
  Names out;
  for (const auto& f : free_) out.push_back(f.label());
  return out;
}

Vector ModelSolver::current_values() const {
  Vector v(size());
  for (Index k = 0; k < size(); ++k) {
    const auto& f = free_[static_cast<std::size_t>(k)];
    switch (f.kind) {
      case FreeParameter::Kind::Parameter: v(k) = model_.params()(f.index); break;
      case FreeParameter::Kind::Stderr: v(k) = std::sqrt(base_sigma_(f.index, f.index)); break;
      case FreeParameter::Kind::Corr: {
        double d = std::sqrt(base_sigma_(f.index, f.index) * base_sigma_(f.index2, f.index2));
        v(k) = d > 0 ? base_sigma_(f.index, f.index2) / d : 0.0;
        break;
      }
    }
  }
  return v;
}

Matrix ModelSolver::sigma_e(const Vector& theta) const {
  const Index m = base_sigma_.rows();
  Vector sd(m);
  for (Index i = 0; i < m; ++i) sd(i) = std::sqrt(std::max(base_sigma_(i, i), 0.0));
  Matrix C = Matrix::Identity(m, m);
  for (Index i = 0; i < m; ++i)
    for (Index j = 0; j < m; ++j)
      if (i != j && sd(i) > 0 && sd(j) > 0) C(i, j) = base_sigma_(i, j) / (sd(i) * sd(j));
  bool touched = false;
  for (Index k = 0; k < size(); ++k) {
    const auto& f = free_[static_cast<std::size_t>(k)];
    if (f.kind == FreeParameter::Kind::Stderr) {
      sd(f.index) = theta(k);
      touched = true;
    } else if (f.kind == FreeParameter::Kind::Corr) {
      C(f.index, f.index2) = C(f.index2, f.index) = theta(k);
      touched = true;
    }
  }
  if (!touched) return base_sigma_;
  return sd.asDiagonal() * C * sd.asDiagonal();
}

const ModelSolveResult& ModelSolver::solve(const Vector& theta) {
  if (theta.size() != size())
    throw DimensionError("ModelSolver::solve: " + std::to_string(theta.size()) + " values for " +
                         std::to_string(size()) + " free parameters");
  if (!have_last_ || last_theta_ != theta) {
    have_last_ = false;  // stays false if compute() throws
    last_ = compute(theta);
    last_theta_ = theta;
    have_last_ = true;
  }
  return last_;
}

ModelSolveResult ModelSolver::compute(const Vector& theta) {
  ModelSolveResult out;
  for (Index k = 0; k < size(); ++k) {
    if (!std::isfinite(theta(k))) {
      out.status = Status::NumericalIssue;
      out.message = "non-finite value for '" + free_[static_cast<std::size_t>(k)].label() + "'";
      return out;
    }
  }
  Vector p = model_.params();
  for (Index k = 0; k < size(); ++k) {
    const auto& f = free_[static_cast<std::size_t>(k)];
    if (f.kind == FreeParameter::Kind::Parameter) p(f.index) = theta(k);
  }
  model_.set_params(p);
  Vector ss;
  if (opts_.resolve_steady_state || !have_ss_) {
    SteadyStateOptions so;
    if (have_ss_) so.initial_guess = last_ss_;
    SteadyStateResult r;
    try {
      r = solve_steady_state(model_, so);
    } catch (const Error& e) {
      out.status = Status::NumericalIssue;
      out.message = std::string("steady state: ") + e.what();
      return out;
    }
    if (!r.ok()) {
      out.status = r.status;
      out.message = "steady state: " + r.message;
      return out;
    }
    if (r.params.size() == p.size() && r.params != p) model_.set_params(r.params);
    ss = r.values;
    last_ss_ = ss;
    have_ss_ = true;
  } else {
    ss = last_ss_;
  }
  LinearizedModel lin = linearize(model_, ss);
  lin.Sigma_e = sigma_e(theta);
  if (!lin.jacobian.allFinite()) {
    out.status = Status::NumericalIssue;
    out.message = "non-finite Jacobian";
    return out;
  }
  out.solution = solve_first_order(lin, opts_.perturbation);
  out.status = out.solution.status;
  out.message = out.solution.message;
  return out;
}

}  // namespace govsim::dsge
