// Inoperability input-output model: static (demand and supply side) and dynamic (DIIM).
#include <govsim/core/error.hpp>
#include <govsim/io/inoperability.hpp>
#include <govsim/io/leontief.hpp>
#include <govsim/ode/integrate.hpp>

#include <unsupported/Eigen/MatrixFunctions>

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

SparseMatrix sparse_interdependency_matrix(const IOTable& table) {
  const Vector& x = table.x();
  Vector inv(x.size());
  for (Index i = 0; i < x.size(); ++i) inv(i) = x(i) > 0.0 ? 1.0 / x(i) : 0.0;
  SparseMatrix S = table.is_sparse() ? table.Z_sparse() : SparseMatrix(table.Z().sparseView());
  S = inv.asDiagonal() * S;  // row scaling keeps the pattern
  S.prune(0.0);
  S.makeCompressed();
  return S;
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

namespace {
// Solve (I - A*) q = c* for a dense or sparse A* (one factorization, reported if singular).
template <class Mat>
InoperabilityResult static_from_coefficients(const Mat& A_star, const Eigen::Ref<const Vector>& perturbation,
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
}  // namespace

InoperabilityResult static_inoperability(const Eigen::Ref<const Matrix>& A_star,
                                         const Eigen::Ref<const Vector>& perturbation,
                                         const Eigen::Ref<const Vector>& output) {
  return static_from_coefficients(A_star, perturbation, output);
}

InoperabilityResult static_inoperability(const SparseMatrix& A_star, const Eigen::Ref<const Vector>& perturbation,
                                         const Eigen::Ref<const Vector>& output) {
  return static_from_coefficients(A_star, perturbation, output);
}

InoperabilityResult static_inoperability(const IOTable& table, const Eigen::Ref<const Vector>& perturbation,
                                         InoperabilityDirection direction) {
  check_size(perturbation.size(), table.n(), "static_inoperability: perturbation");
  if (direction == InoperabilityDirection::Demand) {
    if (table.is_sparse())  // sparse LU of I − A*, no dense n x n
      return static_inoperability(sparse_interdependency_matrix(table), perturbation, table.x());
    return static_inoperability(interdependency_matrix(table), perturbation, table.x());
  }
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
  if (krylov_dimension < 2) throw OptionsError("DiimOptions: krylov_dimension must be >= 2");
  if (method == DiimMethod::Krylov && perturbation_path)
    throw OptionsError("DiimOptions: method Krylov needs a constant perturbation (use Adaptive with perturbation_path)");
}

std::string DiimResult::summary() const {
  std::ostringstream s;
  s << "DiimResult: " << to_string(status) << ", " << times.size() << " times";
  if (!method.empty()) s << ", " << method << " (" << iterations << (method == "discrete" ? " steps)" : " products)");
  if (cumulative_loss.size()) s << ", cumulative loss " << cumulative_loss.sum();
  if (!message.empty()) s << " (" << message << ")";
  return s.str();
}

namespace {

// Exact solution of the constant-coefficient DIIM by Krylov matrix exponentials.
//
// The state is augmented to z = [q; Q/H; s] with Q = ∫q (H = horizon, so both blocks have the
// scale of q) and a constant s = s0 carrying the perturbation: dz/dt = Â z with
//   dq = K ∘ (A* q − q) + (K ∘ c*) s / s0,   d(Q/H) = q / H,   ds = 0.
// Then z(t + τ) = exp(τ Â) z(t) is approximated from an Arnoldi basis V_{m+1} of
// span{z, Âz, ..., Â^m z}: z(t + τ) ≈ β V_{m+1} exp(τ Ĥ) e1 with Ĥ the (m+1) x (m+1) Hessenberg
// matrix (its last row holds h_{m+1,m}; Expokit's "corrected" scheme), whose last entry
// β |[exp(τ Ĥ) e1]_{m+1}| estimates the local error (Saad 1992). The basis does not depend on τ,
// so the step is chosen by trying small exponentials only, and every requested time inside the
// step costs one small exponential and one n x m product: no A* products.
template <class Mat>
Status diim_krylov(const Mat& A, const Vector& K, const Vector& c, const Vector& q0, const std::vector<double>& times,
                   const DiimOptions& opts, Matrix& out, Vector& cum_q, int& products, std::string& message) {
  const Index n = q0.size();
  const Index N = 2 * n + 1;
  const double H = times.back() - times.front();
  const double s0 = std::max({q0.cwiseAbs().maxCoeff(), c.size() ? c.cwiseAbs().maxCoeff() : 0.0, 1e-300});
  const Vector b = K.cwiseProduct(c) / s0;
  Vector Aq(n);
  auto apply = [&](const auto& v, Vector& w) {
    auto q = v.head(n);
    Aq.noalias() = A * q;
    w.head(n) = K.cwiseProduct(Aq - q) + b * v(N - 1);
    w.segment(n, n) = q / H;
    w(N - 1) = 0.0;
    ++products;
  };
  const int mmax = static_cast<int>(std::min<Index>(opts.krylov_dimension, N));
  Matrix V(N, mmax + 1);
  Matrix Hh = Matrix::Zero(mmax + 1, mmax + 1);
  Vector z(N);
  z.head(n) = q0;
  z.segment(n, n).setZero();
  z(N - 1) = s0;
  out.row(0) = q0.transpose();
  double t = times.front();
  std::size_t k = 1;
  double tau_guess = H;
  while (k < times.size()) {
    const double beta = z.norm();
    if (beta == 0.0) {  // zero state stays zero
      for (; k < times.size(); ++k) out.row(static_cast<Index>(k)).setZero();
      break;
    }
    // Arnoldi with modified Gram-Schmidt (reorthogonalised once: the basis is short).
    V.col(0) = z / beta;
    Hh.setZero();
    int m = mmax;
    bool happy = false;
    Vector w(N);
    const double remaining = times.back() - t;
    const double tau_try = std::min(remaining, tau_guess);
    auto tol_for = [&](double dt) { return (opts.abs_tol + opts.rel_tol * beta) * std::max(dt / H, 1e-3); };
    for (int j = 0; j < mmax; ++j) {
      apply(V.col(j), w);
      for (int pass = 0; pass < 2; ++pass)
        for (int i = 0; i <= j; ++i) {
          const double h = V.col(i).dot(w);
          Hh(i, j) += h;
          w.noalias() -= h * V.col(i);
        }
      const double hn = w.norm();
      if (hn <= 1e-14 * std::max(1.0, Hh.col(j).head(j + 1).norm())) {  // invariant subspace: exact
        m = j + 1;
        happy = true;
        break;
      }
      Hh(j + 1, j) = hn;
      V.col(j + 1) = w / hn;
      // Stop early once a smaller basis already meets the tolerance over the trial step: each
      // basis vector costs a product with A*, a small exponential costs O(m^3) only.
      const int mm = j + 1;
      if (mm % 4 == 0 && mm < mmax) {
        const Matrix Ht = tau_try * Hh.topLeftCorner(mm + 1, mm + 1);
        if (beta * std::abs(Matrix(Ht.exp())(mm, 0)) <= 0.5 * tol_for(tau_try)) {
          m = mm;
          break;
        }
      }
    }
    // Ĥ = (m+1) x (m+1); with a happy breakdown the m x m block is exact.
    const Index mh = happy ? m : m + 1;
    Matrix Hs = Hh.topLeftCorner(mh, mh);
    double tau = happy ? remaining : tau_try;
    auto expo = [&](double dt) -> Vector { return Matrix((dt * Hs).exp()).col(0); };
    Vector e;
    if (!happy) {
      int tries = 0;
      for (;;) {
        e = expo(tau);
        const double err = beta * std::abs(e(m));
        if (!std::isfinite(err)) return message = "Krylov step failed (non-finite exponential)", Status::NumericalIssue;
        if (err <= tol_for(tau)) {
          // grow the next trial step when the error is far below tolerance
          tau_guess = err < 0.01 * tol_for(tau) ? 2.0 * tau : tau;
          break;
        }
        if (++tries > 60) return message = "Krylov step size underflow", Status::NumericalIssue;
        tau *= std::clamp(0.9 * std::pow(tol_for(tau) / err, 1.0 / static_cast<double>(m)), 0.1, 0.5);
      }
    }
    const double t_end = (tau >= remaining) ? times.back() : t + tau;
    // dense output at requested times inside (t, t_end]; equally spaced times reuse exp(h Ĥ), so a
    // daily grid costs one small product per day instead of one small exponential
    Vector e_prev;
    double t_prev = t, h_cached = -1.0;
    Matrix Eh;
    while (k < times.size() && times[k] <= t_end + 1e-12 * std::max(1.0, std::abs(t_end))) {
      const double tk = std::min(times[k], t_end);
      Vector ek;
      if (e_prev.size() == 0) {
        ek = expo(tk - t);
      } else {
        const double h = tk - t_prev;
        if (std::abs(h - h_cached) > 1e-13 * std::max(1.0, std::abs(h))) {
          Eh = (h * Hs).exp();
          h_cached = h;
        }
        ek = Eh * e_prev;
      }
      e_prev = ek;
      t_prev = tk;
      Vector zk = beta * (V.leftCols(mh) * ek);
      out.row(static_cast<Index>(k)) = zk.head(n).transpose();
      if (opts.on_iteration) {
        IterationInfo info{static_cast<int>(k), static_cast<int>(times.size()) - 1, times[k], "diim"};
        if (!opts.on_iteration(info)) return message = "stopped by on_iteration", Status::UserStopped;
      }
      if (k + 1 == times.size()) z = zk;
      ++k;
    }
    if (k < times.size()) z = beta * (V.leftCols(mh) * expo(t_end - t));
    if (!z.allFinite()) return message = "NaN or Inf in the inoperability path", Status::NumericalIssue;
    t = t_end;
  }
  cum_q = z.segment(n, n) * H;
  return Status::Success;
}

template <class Mat>
InoperabilityResult steady_state_of(const Mat& A, const Vector& c) {
  if (c.size() && (c.array() == 0.0).all()) {  // q* = 0 without factoring I − A*
    InoperabilityResult r;
    r.inoperability = Vector::Zero(c.size());
    return r;
  }
  return static_inoperability(A, c);
}

template <class Mat>
DiimResult diim_impl(const Mat& A_star, const Eigen::Ref<const Vector>& output, const Eigen::Ref<const Vector>& q0,
                     const Eigen::Ref<const Vector>& perturbation, const std::vector<double>& times,
                     const DiimOptions& opts) {
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
  const bool krylov = opts.time == DiimTime::Continuous &&
                      (opts.method == DiimMethod::Krylov || (opts.method == DiimMethod::Auto && !opts.perturbation_path));

  if (krylov) {
    r.method = "krylov";
    if (times.size() > 1 && n > 0)
      r.status = diim_krylov(A_star, K, c_const, Vector(q0), times, opts, r.inoperability, cum_q, r.iterations,
                             r.message);
    else
      r.inoperability.row(0) = q0.transpose();
  } else if (opts.time == DiimTime::Continuous) {
    r.method = "adaptive";
    // Augment the state with the cumulative inoperability so that the loss integral gets the same
    // error control as q itself (no quadrature on the output grid).
    Vector Aq(n);
    ode::Rhs f = [&](const Vector& y, Vector& dy, double t) {
      auto q = y.head(n);
      Aq.noalias() = A_star * q;
      if (opts.perturbation_path)
        dy.head(n) = K.cwiseProduct(Aq + c_at(t) - q);
      else
        dy.head(n) = K.cwiseProduct(Aq + c_const - q);
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
    r.method = "discrete";
    const double t0 = times.front();
    for (double t : times) {
      double d = t - t0;
      if (std::abs(d - std::round(d)) > 1e-9)
        throw DimensionError("dynamic_inoperability: discrete time needs times an integer number of steps apart");
    }
    const long steps = std::lround(times.back() - t0);
    Vector q = q0, Aq(n);
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
      Aq.noalias() = A_star * q;
      if (opts.perturbation_path)
        q += K.cwiseProduct(Aq + c_at(t) - q);
      else
        q += K.cwiseProduct(Aq + c_const - q);
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
  auto st = steady_state_of(A_star, c_at(times.back()));
  r.steady_state = st.inoperability;
  if (r.ok() && !st.ok()) {
    r.status = st.status;
    r.message = st.message;
  }
  return r;
}

}  // namespace

DiimResult dynamic_inoperability(const Eigen::Ref<const Matrix>& A_star, const Eigen::Ref<const Vector>& output,
                                 const Eigen::Ref<const Vector>& q0, const Eigen::Ref<const Vector>& perturbation,
                                 const std::vector<double>& times, const DiimOptions& opts) {
  return diim_impl(A_star, output, q0, perturbation, times, opts);
}

DiimResult dynamic_inoperability(const SparseMatrix& A_star, const Eigen::Ref<const Vector>& output,
                                 const Eigen::Ref<const Vector>& q0, const Eigen::Ref<const Vector>& perturbation,
                                 const std::vector<double>& times, const DiimOptions& opts) {
  return diim_impl(A_star, output, q0, perturbation, times, opts);
}

DiimResult dynamic_inoperability(const IOTable& table, const Eigen::Ref<const Vector>& q0,
                                 const Eigen::Ref<const Vector>& perturbation, const std::vector<double>& times,
                                 const DiimOptions& opts) {
  const bool sparse = opts.storage == MatrixStorage::Sparse ||
                      (opts.storage == MatrixStorage::Auto && table.is_sparse());
  if (sparse) return diim_impl(sparse_interdependency_matrix(table), table.x(), q0, perturbation, times, opts);
  const Matrix A = interdependency_matrix(table);
  return diim_impl(A, table.x(), q0, perturbation, times, opts);
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
