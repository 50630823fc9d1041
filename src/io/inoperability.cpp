// Inoperability input-output model: static (demand and supply side) and dynamic (DIIM).
#include <govsim/core/error.hpp>
#include <govsim/io/inoperability.hpp>
#include <govsim/io/leontief.hpp>
#include <govsim/ode/integrate.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace govsim::io {

Matrix interdependency_matrix(const IOTable& table) {
  Matrix Z = table.Z();
  const Vector& x = table.x();
  // A* = x̂⁻¹ Z: row i is what sector i delivers to each sector per unit of its own output.
  for (Index i = 0; i < Z.rows(); ++i) {
    if (x(i) > 0.0)
      Z.row(i) /= x(i);
    else
      Z.row(i).setZero();
  }
  return Z;
}

std::vector<Index> rank_descending(const Eigen::Ref<const Vector>& values) {
  std::vector<Index> idx(static_cast<std::size_t>(values.size()));
  std::iota(idx.begin(), idx.end(), Index(0));
  std::stable_sort(idx.begin(), idx.end(), [&](Index a, Index b) { return values(a) > values(b); });
  return idx;
}

std::string InoperabilityResult::summary() const {
  std::ostringstream s;
  s << "InoperabilityResult: " << to_string(status);
  if (inoperability.size() > 0)
    s << ", max inoperability " << inoperability.maxCoeff() << " (sector " << inoperability_rank.front()
      << "), total loss " << economic_loss.sum();
  if (!message.empty()) s << " (" << message << ")";
  return s.str();
}

namespace {

InoperabilityResult finish_static(Vector q, const Eigen::Ref<const Vector>& output) {
  InoperabilityResult r;
  r.economic_loss = output.size() ? Vector(output.cwiseProduct(q)) : q;
  r.inoperability = std::move(q);
  r.inoperability_rank = rank_descending(r.inoperability);
  r.loss_rank = rank_descending(r.economic_loss);
  return r;
}

void check_size(Index got, Index n, const char* what) {
  if (got != n) {
    std::ostringstream s;
    s << what << " has " << got << " entries, expected " << n;
    throw DimensionError(s.str());
  }
}

}  // namespace

InoperabilityResult static_inoperability(const Eigen::Ref<const Matrix>& A_star,
                                         const Eigen::Ref<const Vector>& perturbation,
                                         const Eigen::Ref<const Vector>& output) {
  const Index n = A_star.rows();
  if (A_star.cols() != n) throw DimensionError("static_inoperability: A* must be square");
  check_size(perturbation.size(), n, "static_inoperability: perturbation");
  if (output.size()) check_size(output.size(), n, "static_inoperability: output");
  LeontiefModel m{A_star};
  if (!m.ok()) {
    InoperabilityResult r;
    r.status = m.status();
    r.message = "I - A* is singular: " + m.message();
    return r;
  }
  Vector q = m.solve(perturbation);
  return finish_static(std::move(q), output);
}

InoperabilityResult static_inoperability(const IOTable& table, const Eigen::Ref<const Vector>& perturbation,
                                         InoperabilityDirection direction) {
  check_size(perturbation.size(), table.n(), "static_inoperability: perturbation");
  if (direction == InoperabilityDirection::Demand)
    return static_inoperability(interdependency_matrix(table), perturbation, table.x());
  // Supply side: q' = q' A + δ'  <=>  (I - A)ᵀ q = δ, reusing the factored I - A.
  LeontiefModel m(table);
  if (!m.ok()) {
    InoperabilityResult r;
    r.status = m.status();
    r.message = "I - A is singular: " + m.message();
    return r;
  }
  Vector q = m.solve_transpose(perturbation);
  return finish_static(std::move(q), table.x());
}

void DiimOptions::validate() const {
  if (resilience.size() && (resilience.array() < 0.0).any())
    throw OptionsError("DiimOptions: resilience coefficients must be >= 0");
  if (!resilience.allFinite()) throw OptionsError("DiimOptions: resilience must be finite");
  if (!(default_resilience >= 0.0) || !std::isfinite(default_resilience))
    throw OptionsError("DiimOptions: default_resilience must be >= 0");
  if (!(abs_tol > 0.0) || !(rel_tol > 0.0)) throw OptionsError("DiimOptions: abs_tol and rel_tol must be > 0");
}

std::string DiimResult::summary() const {
  std::ostringstream s;
  s << "DiimResult: " << to_string(status) << ", " << times.size() << " times";
  if (cumulative_loss.size()) s << ", cumulative loss " << cumulative_loss.sum();
  if (!message.empty()) s << " (" << message << ")";
  return s.str();
}

DiimResult dynamic_inoperability(const Eigen::Ref<const Matrix>& A_star, const Eigen::Ref<const Vector>& output,
                                 const Eigen::Ref<const Vector>& q0, const Eigen::Ref<const Vector>& perturbation,
                                 const std::vector<double>& times, const DiimOptions& opts) {
  opts.validate();
  const Index n = A_star.rows();
  if (A_star.cols() != n) throw DimensionError("dynamic_inoperability: A* must be square");
  check_size(q0.size(), n, "dynamic_inoperability: q0");
  if (!opts.perturbation_path) check_size(perturbation.size(), n, "dynamic_inoperability: perturbation");
  if (output.size()) check_size(output.size(), n, "dynamic_inoperability: output");
  if (opts.resilience.size()) check_size(opts.resilience.size(), n, "DiimOptions.resilience");
  if (times.empty()) throw DimensionError("dynamic_inoperability: no requested times");
  for (std::size_t i = 1; i < times.size(); ++i)
    if (!(times[i] > times[i - 1])) throw DimensionError("dynamic_inoperability: times must be strictly increasing");

  const Vector K = opts.resilience.size() ? Vector(opts.resilience) : Vector::Constant(n, opts.default_resilience);
  const Vector x = output.size() ? Vector(output) : Vector::Ones(n);
  const Vector c_const = opts.perturbation_path ? Vector() : Vector(perturbation);
  auto c_at = [&](double t) -> Vector {
    if (!opts.perturbation_path) return c_const;
    Vector c = opts.perturbation_path(t);
    check_size(c.size(), n, "perturbation_path(t)");
    return c;
  };

  DiimResult r;
  r.times = times;
  r.inoperability = Matrix::Zero(static_cast<Index>(times.size()), n);
  Vector cum_q = Vector::Zero(n);
  r.cumulative_loss = Vector::Zero(n);

  if (opts.time == DiimTime::Continuous) {
    // Augment the state with the cumulative inoperability so that the loss integral gets the same
    // error control as q itself (no quadrature on the output grid).
    ode::Rhs f = [&](const Vector& y, Vector& dy, double t) {
      auto q = y.head(n);
      Vector c = c_at(t);
      dy.head(n).noalias() = A_star * q;
      dy.head(n) = K.cwiseProduct(dy.head(n) + c - q);
      dy.tail(n) = q;
    };
    Vector y0(2 * n);
    y0.head(n) = q0;
    y0.tail(n).setZero();
    ode::OdeOptions oo;
    oo.abs_tol = opts.abs_tol;
    oo.rel_tol = opts.rel_tol;
    oo.initial_step = std::min(1e-2, times.size() > 1 ? (times[1] - times[0]) / 10.0 : 1e-2);
    oo.on_iteration = opts.on_iteration;
    auto o = ode::integrate(f, y0, times, oo);
    r.inoperability = o.states.leftCols(n);
    cum_q = o.states.row(o.states.rows() - 1).tail(n).transpose();
    r.status = o.status;
    r.message = o.message;
    r.iterations = o.iterations;
  } else {
    const double t0 = times.front();
    for (double t : times) {
      double d = t - t0;
      if (std::abs(d - std::round(d)) > 1e-9)
        throw DimensionError("dynamic_inoperability: discrete time needs times an integer number of steps apart");
    }
    const long steps = std::lround(times.back() - t0);
    Vector q = q0;
    std::size_t k = 0;
    for (long s = 0; s <= steps; ++s) {
      const double t = t0 + static_cast<double>(s);
      if (k < times.size() && std::lround(times[k] - t0) == s) {
        r.inoperability.row(static_cast<Index>(k)) = q.transpose();
        if (opts.on_iteration && k > 0) {
          IterationInfo info{static_cast<int>(k), static_cast<int>(times.size()) - 1, t, "diim"};
          if (!opts.on_iteration(info)) {
            r.status = Status::UserStopped;
            r.message = "stopped by on_iteration";
            break;
          }
        }
        ++k;
      }
      if (s == steps) break;
      cum_q += q;  // left Riemann sum: q(t) holds during step [t, t+1)
      Vector next = q + K.cwiseProduct(A_star * q + c_at(t) - q);
      q = std::move(next);
      ++r.iterations;
      if (!q.allFinite()) {
        r.status = Status::NumericalIssue;
        r.message = "NaN or Inf in the inoperability path";
        break;
      }
    }
  }
  const double horizon = times.back() - times.front();
  r.cumulative_loss = x.cwiseProduct(cum_q);
  r.average_inoperability = horizon > 0 ? Vector(cum_q / horizon) : Vector(q0);
  r.loss_rank = rank_descending(r.cumulative_loss);
  r.inoperability_rank = rank_descending(r.average_inoperability);
  Vector c_end = c_at(times.back());
  auto st = static_inoperability(A_star, c_end);
  r.steady_state = st.inoperability;
  if (r.ok() && !st.ok()) {
    r.status = st.status;
    r.message = st.message;
  }
  return r;
}

DiimResult dynamic_inoperability(const IOTable& table, const Eigen::Ref<const Vector>& q0,
                                 const Eigen::Ref<const Vector>& perturbation, const std::vector<double>& times,
                                 const DiimOptions& opts) {
  return dynamic_inoperability(interdependency_matrix(table), table.x(), q0, perturbation, times, opts);
}

Vector resilience_from_recovery(const Eigen::Ref<const Matrix>& A_star, const Eigen::Ref<const Vector>& q0,
                                const Eigen::Ref<const Vector>& q_target, const Eigen::Ref<const Vector>& recovery_time) {
  const Index n = A_star.rows();
  check_size(q0.size(), n, "resilience_from_recovery: q0");
  check_size(q_target.size(), n, "resilience_from_recovery: q_target");
  check_size(recovery_time.size(), n, "resilience_from_recovery: recovery_time");
  Vector k(n);
  for (Index i = 0; i < n; ++i) {
    if (!(q0(i) > 0.0) || !(q_target(i) > 0.0) || !(recovery_time(i) > 0.0) || !(A_star(i, i) < 1.0)) {
      std::ostringstream s;
      s << "resilience_from_recovery: sector " << i << " needs q0 > 0, q_target > 0, T > 0 and a*_ii < 1";
      throw OptionsError(s.str());
    }
    k(i) = std::log(q0(i) / q_target(i)) / (recovery_time(i) * (1.0 - A_star(i, i)));
  }
  return k;
}

}  // namespace govsim::io
