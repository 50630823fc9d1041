// Impulse responses of the first-order solution (Dynare's irf.m at order 1): the recursion runs
// over all variables with the transition form y_t = A y_{t-1} + B u_t, where A is ghx placed in
// the state columns, so auxiliary state variables propagate correctly even when not reported.

#include <govsim/core/error.hpp>
#include <govsim/dsge/detail/solution_access.hpp>
#include <govsim/dsge/irf.hpp>

#include <sstream>

namespace govsim::dsge {

void IrfOptions::validate() const {
  if (periods < 1) throw OptionsError("IrfOptions: periods must be >= 1");
}

std::string IrfResult::summary() const {
  std::ostringstream os;
  os << "IRFs: " << shock_names.size() << " shock(s) x " << var_names.size() << " variable(s) x "
     << (responses.empty() ? 0 : responses.front().rows()) << " period(s); status " << to_string(status);
  if (!message.empty()) os << ": " << message;
  return os.str();
}

const Matrix& IrfResult::response(const std::string& shock) const {
  for (std::size_t j = 0; j < shock_names.size() && j < responses.size(); ++j)
    if (shock_names[j] == shock) return responses[j];
  throw ModelError("IrfResult: no response to a shock named '" + shock + "'");
}

Vector IrfResult::response(const std::string& shock, const std::string& var) const {
  const Matrix& r = response(shock);
  for (std::size_t k = 0; k < var_names.size(); ++k)
    if (var_names[k] == var) return r.col(static_cast<Index>(k));
  throw ModelError("IrfResult: no variable named '" + var + "'");
}

namespace {

// Deviations over `periods` for the impulse path u (rows = periods; fewer rows = zeros after).
Matrix propagate(const PerturbationResult& sol, const Matrix& u, Index periods, Index n_report) {
  const Index n = sol.A.rows();
  Matrix out(periods, n_report);
  Vector y = Vector::Zero(n);
  Vector next(n);
  for (Index t = 0; t < periods; ++t) {
    next.noalias() = sol.A * y;
    if (t < u.rows()) next.noalias() += sol.B * u.row(t).transpose();
    y = next;
    out.row(t) = y.head(n_report).transpose();
  }
  return out;
}

IrfResult responses_to_impulses(const PerturbationResult& sol, const Matrix& impulses, const IrfOptions& opts) {
  IrfResult r;
  r.var_names = detail::reported_names(sol, opts.include_auxiliary);
  r.shock_names = sol.exo_names;
  r.impulses = impulses;
  const Index nrep = static_cast<Index>(r.var_names.size());
  for (Index j = 0; j < impulses.cols(); ++j) {
    Matrix u = impulses.col(j).transpose();
    r.responses.push_back(propagate(sol, u, opts.periods, nrep));
  }
  return r;
}

}  // namespace

IrfResult impulse_responses(const PerturbationResult& sol, const IrfOptions& opts) {
  opts.validate();
  if (auto failed = detail::unusable_or_checked<IrfResult>(sol, "IRFs")) return *failed;
  // Dynare: cs = chol(Sigma_e + 1e-14 I)'; the impulse of shock j is cs(:, j).
  const Matrix cs = detail::covariance_factor(sol.Sigma_e, 1e-14);
  return responses_to_impulses(sol, cs, opts);
}

IrfResult sized_impulse_responses(const PerturbationResult& sol, const Eigen::Ref<const Vector>& shock_sizes,
                                  const IrfOptions& opts) {
  opts.validate();
  const Index ne = static_cast<Index>(sol.exo_names.size());
  if (shock_sizes.size() != ne) {
    std::ostringstream os;
    os << "sized_impulse_responses: " << shock_sizes.size() << " shock sizes for " << ne << " shocks";
    throw DimensionError(os.str());
  }
  if (auto failed = detail::unusable_or_checked<IrfResult>(sol, "IRFs")) return *failed;
  const Matrix impulses = Vector(shock_sizes).asDiagonal();
  return responses_to_impulses(sol, impulses, opts);
}

Matrix shock_path_response(const PerturbationResult& sol, const Eigen::Ref<const Matrix>& shock_path,
                           const IrfOptions& opts) {
  opts.validate();
  const Index ne = static_cast<Index>(sol.exo_names.size());
  if (shock_path.cols() != ne) {
    std::ostringstream os;
    os << "shock_path_response: the shock path has " << shock_path.cols() << " columns for " << ne << " shocks";
    throw DimensionError(os.str());
  }
  if (!sol.ok()) return Matrix(0, 0);
  detail::check_solution_shapes(sol);
  return propagate(sol, shock_path, opts.periods, detail::reported_count(sol, opts.include_auxiliary));
}

}  // namespace govsim::dsge
