// Dynamic Leontief model integrated with Boost.Odeint.
#include <govsim/core/error.hpp>
#include <govsim/io/dynamic_leontief.hpp>
#include <govsim/ode/integrate.hpp>

#include <Eigen/Eigenvalues>
#include <Eigen/LU>

#include <cmath>
#include <sstream>

namespace govsim::io {

void DynamicLeontiefOptions::validate() const {
  if (!(abs_tol > 0.0) || !(rel_tol > 0.0)) throw OptionsError("DynamicLeontiefOptions: tolerances must be > 0");
  if (!(singular_rcond >= 0.0)) throw OptionsError("DynamicLeontiefOptions: singular_rcond must be >= 0");
}

std::string DynamicLeontiefResult::summary() const {
  std::ostringstream s;
  s << "DynamicLeontiefResult: " << to_string(status) << ", " << times.size() << " times, rcond(B) " << rcond;
  if (!message.empty()) s << " (" << message << ")";
  return s.str();
}

DynamicLeontiefResult dynamic_leontief(const Eigen::Ref<const Matrix>& A, const Eigen::Ref<const Matrix>& B,
                                       const Eigen::Ref<const Vector>& x0, const Eigen::Ref<const Vector>& f,
                                       const std::vector<double>& times, const DynamicLeontiefOptions& opts) {
  opts.validate();
  const Index n = A.rows();
  if (A.cols() != n || B.rows() != n || B.cols() != n || x0.size() != n ||
      (!opts.final_demand_path && f.size() != n))
    throw DimensionError("dynamic_leontief: A and B must be n x n, x0 and f of size n (n = " + std::to_string(n) + ")");
  if (times.empty()) throw DimensionError("dynamic_leontief: no requested times");
  DynamicLeontiefResult r;
  r.times = times;
  r.output = Matrix::Zero(static_cast<Index>(times.size()), n);
  const Matrix IA = Matrix::Identity(n, n) - A;
  auto demand = [&](double t) -> Vector {
    if (!opts.final_demand_path) return f;
    Vector v = opts.final_demand_path(t);
    if (v.size() != n) throw DimensionError("dynamic_leontief: final_demand_path(t) has the wrong size");
    return v;
  };
  Eigen::PartialPivLU<Matrix> lu_ia(IA);
  r.equilibrium = lu_ia.solve(demand(times.back()));
  Eigen::PartialPivLU<Matrix> lu(B);
  r.rcond = n ? lu.rcond() : 1.0;
  Index zero_rows = 0;
  for (Index i = 0; i < n; ++i) zero_rows += B.row(i).cwiseAbs().maxCoeff() == 0.0 ? 1 : 0;
  if (zero_rows > 0 || !std::isfinite(r.rcond) || !(r.rcond > opts.singular_rcond) ||
      Eigen::FullPivLU<Matrix>(B).rank() < n) {
    if (!std::isfinite(r.rcond)) r.rcond = 0.0;
    std::ostringstream s;
    s << "B is singular or ill conditioned (rcond " << r.rcond << " <= " << opts.singular_rcond << "; " << zero_rows
      << " zero rows): x = A x + B dx/dt + f has no explicit form dx/dt = B^-1((I - A) x - f); "
         "it is a differential-algebraic system (e.g. sectors without capital). Aggregate or drop those sectors, "
         "or give them capital coefficients";
    r.status = Status::Singular;
    r.message = s.str();
    return r;
  }
  const Matrix M = lu.solve(IA);  // B⁻¹ (I − A)
  r.growth_rates = Eigen::EigenSolver<Matrix>(M, false).eigenvalues();
  const bool constant = !opts.final_demand_path;
  const Vector g = constant ? Vector(lu.solve(f)) : Vector();
  ode::Rhs rhs = [&](const Vector& x, Vector& dx, double t) {
    dx.noalias() = M * x;
    if (constant)
      dx -= g;
    else
      dx -= lu.solve(demand(t));
  };
  ode::OdeOptions oo;
  oo.abs_tol = opts.abs_tol;
  oo.rel_tol = opts.rel_tol;
  oo.on_iteration = opts.on_iteration;
  if (times.size() > 1) oo.initial_step = std::min(1e-2, (times[1] - times[0]) / 10.0);
  auto o = ode::integrate(rhs, x0, times, oo);
  r.output = o.states;
  r.status = o.status;
  r.message = o.message;
  r.iterations = o.iterations;
  return r;
}

}  // namespace govsim::io
