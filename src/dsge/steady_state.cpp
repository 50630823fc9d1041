// Steady state: steady_state_model evaluation and a globalized Newton solver.
#include <govsim/core/error.hpp>
#include <govsim/dsge/command_options.hpp>
#include <govsim/dsge/steady_state.hpp>

#include "model_data.hpp"
#include "tape.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace govsim::dsge {

void SteadyStateOptions::validate() const {
  if (!(tolerance > 0)) throw OptionsError("SteadyStateOptions.tolerance must be positive");
  if (!(check_tolerance > 0)) throw OptionsError("SteadyStateOptions.check_tolerance must be positive");
  if (max_iterations < 1) throw OptionsError("SteadyStateOptions.max_iterations must be at least 1");
  if (homotopy_steps < 0) throw OptionsError("SteadyStateOptions.homotopy_steps must be >= 0");
}

std::string SteadyStateResult::summary() const {
  std::ostringstream o;
  o << "SteadyStateResult(status=" << to_string(status) << ", method=" << method << ", iterations=" << iterations;
  if (residuals.size()) o << ", max|residual|=" << residuals.cwiseAbs().maxCoeff();
  o << ")";
  if (!message.empty()) o << ": " << message;
  return o.str();
}

namespace {

void fill_aux(const Model& m, Vector& y, const Vector& exo) {
  for (const auto& a : m.aux_variables())
    y[a.endo_index] = a.orig_type == SymbolType::Endogenous ? y[a.orig_index] : exo[a.orig_index];
}

std::string eq_label(const Model& m, Index i) {
  std::string nm = m.equations()[static_cast<std::size_t>(i)].name();
  if (!nm.empty()) return "equation '" + nm + "'";
  if (i >= m.n_declared_equations()) return "auxiliary equation " + std::to_string(i + 1);
  return "equation " + std::to_string(i + 1);
}

void report(const Model& m, SteadyStateResult& r, double tol) {
  r.worst_equations.clear();
  r.bad_variables.clear();
  Names en = m.endo_names();
  for (Index i = 0; i < r.values.size(); ++i)
    if (!std::isfinite(r.values[i])) r.bad_variables.push_back(en[static_cast<std::size_t>(i)]);
  std::vector<Index> order(static_cast<std::size_t>(r.residuals.size()));
  std::iota(order.begin(), order.end(), Index{0});
  auto mag = [&](Index i) { return std::isfinite(r.residuals[i]) ? std::fabs(r.residuals[i]) : HUGE_VAL; };
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return mag(a) > mag(b); });
  for (Index i : order) {
    if (r.worst_equations.size() >= 5 || !(mag(i) > tol)) break;
    r.worst_equations.push_back(EquationResidual{i, eq_label(m, i), m.equation_string(i), r.residuals[i]});
  }
  std::ostringstream o;
  if (!r.worst_equations.empty()) {
    o << "largest static residuals: ";
    for (std::size_t k = 0; k < r.worst_equations.size(); ++k) {
      const auto& w = r.worst_equations[k];
      o << (k ? "; " : "") << w.name << " (" << w.text << ") residual " << w.residual;
    }
  }
  if (!r.bad_variables.empty()) {
    o << (r.worst_equations.empty() ? "" : "; ") << "NaN or infinite: ";
    for (std::size_t k = 0; k < r.bad_variables.size(); ++k) o << (k ? ", " : "") << r.bad_variables[k];
  }
  if (!r.message.empty() && o.tellp() > 0) r.message += "; ";
  r.message += o.str();
}

double max_abs(const Vector& v) {
  double m = 0;
  for (Index i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) return HUGE_VAL;
    m = std::max(m, std::fabs(v[i]));
  }
  return m;
}

struct NewtonOutcome {
  bool converged = false;
  bool stopped = false;
  int iterations = 0;
};

// Full Newton steps from a converged point while they reduce max |F|: the tolerance test stops
// as soon as max |F| < tolf (1e-10), which leaves the steady state accurate to only about
// 1e-10 relative; decision rules and IRFs inherit that error (1e-8 after 40 periods of a
// persistent transition). Newton converges quadratically there, so one or two steps bring the
// residuals to round-off. A step that does not reduce them is not taken.
template <class Residual>
void polish(const Residual& F, const Model& m, Vector& y, Vector& f, const Vector& exo) {
  for (int k = 0; k < 3 && max_abs(f) > 0.0; ++k) {
    Matrix J = m.static_jacobian(y, exo);
    Vector D(J.cols());  // column scaling, as in the Newton steps
    for (Index j = 0; j < J.cols(); ++j) {
      double c = J.col(j).cwiseAbs().maxCoeff();
      D[j] = c > 0 ? 1.0 / c : 1.0;
    }
    Eigen::ColPivHouseholderQR<Matrix> qr(J * D.asDiagonal());
    if (qr.rank() < J.cols()) return;  // singular (unit roots): keep the converged point
    Vector yn = y + D.asDiagonal() * qr.solve(-f);
    if (!yn.allFinite()) return;
    Vector fn = F(yn);
    if (!(max_abs(fn) < max_abs(f))) return;
    y = yn;
    f = fn;
  }
}

// Solve F(y) - shift = 0 by damped Newton with LM fallback.
NewtonOutcome newton(const Model& m, Vector& y, const Vector& exo, const Vector& shift, const SteadyStateOptions& opts,
                     int& total_iter, const std::string& stage) {
  NewtonOutcome out;
  auto F = [&](const Vector& v) { Vector f = m.static_residuals(v, exo); if (shift.size()) f -= shift; return f; };
  Vector f = F(y);
  double nf = f.squaredNorm();
  for (int it = 0; it < opts.max_iterations; ++it) {
    if (max_abs(f) < opts.tolerance) {
      out.converged = true;
      polish(F, m, y, f, exo);
      return out;
    }
    if (!std::isfinite(nf)) return out;
    ++out.iterations;
    ++total_iter;
    if (opts.on_iteration) {
      IterationInfo info;
      info.iteration = total_iter;
      info.objective = std::sqrt(nf);
      info.stage = stage;
      if (!opts.on_iteration(info)) {
        out.stopped = true;
        return out;
      }
    }
    Matrix J = m.static_jacobian(y, exo);
    // column scaling
    Vector D(J.cols());
    for (Index j = 0; j < J.cols(); ++j) {
      double c = J.col(j).cwiseAbs().maxCoeff();
      D[j] = c > 0 ? 1.0 / c : 1.0;
    }
    Matrix Js = J * D.asDiagonal();
    Eigen::ColPivHouseholderQR<Matrix> qr(Js);
    Vector step;
    bool full_rank = qr.rank() == Js.cols();
    if (full_rank) step = D.asDiagonal() * qr.solve(-f);
    bool accepted = false;
    if (full_rank && step.allFinite()) {
      double t = 1.0;
      for (int ls = 0; ls < 40; ++ls) {
        Vector yn = y + t * step;
        Vector fn = F(yn);
        double nn = fn.squaredNorm();
        if (std::isfinite(nn) && nn <= (1.0 - 1e-4 * t) * nf) {
          y = yn;
          f = fn;
          nf = nn;
          accepted = true;
          break;
        }
        t *= 0.5;
      }
    }
    if (!accepted) {
      // Levenberg-Marquardt steps with increasing damping
      Matrix JtJ = Js.transpose() * Js;
      Vector g = Js.transpose() * f;
      double lambda = 1e-6 * std::max(1.0, JtJ.diagonal().maxCoeff());
      for (int k = 0; k < 30; ++k) {
        Matrix A = JtJ;
        A.diagonal().array() += lambda;
        Vector z = A.ldlt().solve(-g);
        Vector yn = y + D.asDiagonal() * z;
        Vector fn = F(yn);
        double nn = fn.squaredNorm();
        if (std::isfinite(nn) && nn < nf) {
          y = yn;
          f = fn;
          nf = nn;
          accepted = true;
          break;
        }
        lambda *= 10.0;
      }
    }
    if (!accepted) return out;
  }
  out.converged = max_abs(f) < opts.tolerance;
  return out;
}

}  // namespace

Vector evaluate_steady_state_model(const Model& model, Vector& params, const Vector& exo_in, const Vector& initial) {
  if (!model.has_steady_state_model()) throw ModelError("model '" + model.name() + "' has no steady_state_model block");
  Vector exo = exo_in.size() ? exo_in : model.exo_steady_state();
  if (initial.size() && initial.size() != model.n_endo())
    throw DimensionError("evaluate_steady_state_model: initial values have " + std::to_string(initial.size()) +
                         " entries for " + std::to_string(model.n_endo()) + " endogenous variables");
  Vector y = initial.size() ? initial : Vector(Vector::Zero(model.n_endo()));
  std::vector<double> helpers(model.steady_state_helpers().size(), std::nan(""));
  auto leaf = [&](const ExprNode& n) -> double {
    switch (n.op) {
      case ExprOp::Endo: return y[n.a];
      case ExprOp::Exo: return exo[n.a];
      case ExprOp::ExoDet: return 0.0;
      case ExprOp::Param: return params[n.a];
      case ExprOp::Helper: return helpers[n.a];
      default: return std::nan("");
    }
  };
  for (const auto& a : model.steady_state_model()) {
    double v = detail::eval_tree(model.pool(), a.expr, leaf);
    if (!a.target_type) helpers[static_cast<std::size_t>(a.target_index)] = v;
    else if (*a.target_type == SymbolType::Endogenous) y[a.target_index] = v;
    else if (*a.target_type == SymbolType::Parameter) params[a.target_index] = v;
  }
  fill_aux(model, y, exo);
  return y;
}

SteadyStateOptions steady_state_options(const Command& steady, SteadyStateOptions base) {
  const CommandOptionReader r(steady);
  if (r.flag("nocheck")) base.check = false;
  base.max_iterations = static_cast<int>(r.integer("maxit", base.max_iterations, 1, 1000000));
  base.homotopy_steps = static_cast<int>(r.integer("homotopy_steps", base.homotopy_steps, 0, 1000000));
  (void)r.integer("solve_algo", 4, 0, 14);  // accepted; govsim uses its own solver
  (void)r.integer("homotopy_mode", 1, 1, 3);
  for (const char* key : {"tolf", "tolx"})
    if (r.has(key) && !(r.real(key, 1.0) > 0))
      throw OptionsError(r.where() + ": option " + key + " must be positive, got '" + *r.text(key) + "'");
  base.tolerance = r.real("tolf", base.tolerance);
  return base;
}

SteadyStateOptions steady_state_options(const Model& model, SteadyStateOptions base) {
  for (const auto& c : model.commands())
    if (c.name == "steady") base = steady_state_options(c, base);
  return base;
}

SteadyStateResult solve_steady_state(const Model& model_in, const SteadyStateOptions& opts) {
  opts.validate();
  if (static_cast<Index>(model_in.equations().size()) != model_in.n_endo())
    throw ModelError("model '" + model_in.name() + "' has " + std::to_string(model_in.equations().size()) +
                     " equations for " + std::to_string(model_in.n_endo()) +
                     " endogenous variables: it is an optimal-policy problem (solve it with the Ramsey or "
                     "discretionary policy solvers), not a model with a steady state of its own");
  SteadyStateResult r;
  r.names = model_in.endo_names();
  Model model = model_in;
  Vector exo = opts.exo.size() ? opts.exo : model.exo_steady_state();
  if (exo.size() != model.n_exo()) throw DimensionError("SteadyStateOptions.exo has the wrong size");
  if (opts.initial_guess.size() && opts.initial_guess.size() != model.n_endo())
    throw DimensionError("SteadyStateOptions.initial_guess has " + std::to_string(opts.initial_guess.size()) +
                         " values for " + std::to_string(model.n_endo()) + " endogenous variables");
  {
    const Names en = model.endo_names();
    for (Index i = 0; i < opts.initial_guess.size(); ++i)
      if (!std::isfinite(opts.initial_guess(i)))
        throw DataError("steady state: the initial guess of '" + en[static_cast<std::size_t>(i)] +
                        "' is not a finite number");
    const Names xn = model.exo_names();
    for (Index j = 0; j < exo.size(); ++j)
      if (!std::isfinite(exo(j)))
        throw DataError("steady state: the value of exogenous '" + xn[static_cast<std::size_t>(j)] +
                        "' is not a finite number");
  }

  if (opts.use_steady_state_model && !model.steady_state_file().empty())
    throw ModelError("the steady state of '" + model.name() + "' comes from the MATLAB file " +
                     model.steady_state_file() +
                     ", which govsim cannot run: write it as a steady_state_model block (or solve with "
                     "use_steady_state_model = false to start Newton from initval)");
  if (opts.use_steady_state_model && model.has_steady_state_model()) {
    r.method = "steady_state_model";
    Vector p = model.params();
    r.values = evaluate_steady_state_model(model, p, exo);
    model.set_params(p);
    r.params = p;
    r.residuals = model.static_residuals(r.values, exo);
    double worst = max_abs(r.residuals);
    if (!r.values.allFinite()) {
      r.status = Status::NumericalIssue;
      r.message = "steady_state_model produced non-finite values";
    } else if (opts.check && !(worst <= opts.check_tolerance)) {
      r.status = Status::NotConverged;
      r.message = "steady_state_model does not solve the static model";
    } else {
      r.status = Status::Success;
      return r;
    }
    report(model, r, opts.check_tolerance);
    return r;
  }

  r.params = model.params();
  Vector y0 = opts.initial_guess.size() ? opts.initial_guess : model.initval_endo();
  Vector y = y0;
  int total = 0;
  NewtonOutcome o = newton(model, y, exo, Vector(), opts, total, "newton");
  r.method = "newton";
  if (!o.converged && !o.stopped && opts.homotopy_steps > 0) {
    // Newton homotopy: F(y) - (1 - lambda) F(y0) = 0, lambda from 0 to 1
    Vector f0 = model.static_residuals(y0, exo);
    if (f0.allFinite()) {
      r.method = "homotopy";
      Vector yh = y0;
      double lam = 0.0, dl = 1.0 / opts.homotopy_steps;
      bool ok = true;
      while (lam < 1.0 && ok) {
        double target = std::min(1.0, lam + dl);
        Vector trial = yh;
        NewtonOutcome s = newton(model, trial, exo, (1.0 - target) * f0, opts, total, "homotopy");
        if (s.stopped) {
          o.stopped = true;
          break;
        }
        if (s.converged) {
          yh = trial;
          lam = target;
          dl = std::min(dl * 1.5, 0.5);
        } else {
          dl *= 0.5;
          if (dl < 1e-6) ok = false;
        }
      }
      if (ok && lam >= 1.0) {
        y = yh;
        o.converged = true;
      }
    }
  }
  r.values = y;
  r.iterations = total;
  r.residuals = model.static_residuals(y, exo);
  if (o.stopped) {
    r.status = Status::UserStopped;
    r.message = "stopped by on_iteration";
  } else if (o.converged && r.values.allFinite()) {
    r.status = Status::Success;
    return r;
  } else if (!r.values.allFinite() || !r.residuals.allFinite()) {
    r.status = Status::NumericalIssue;
    r.message = "the steady-state solver met NaN or infinite values";
  } else {
    r.status = total >= opts.max_iterations ? Status::MaxIterations : Status::NotConverged;
    r.message = "the steady-state solver did not converge";
  }
  report(model, r, opts.tolerance);
  return r;
}

}  // namespace govsim::dsge
