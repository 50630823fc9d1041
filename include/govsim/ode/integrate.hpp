#pragma once
/// \file integrate.hpp
/// Integrating an ODE system `dy/dt = f(y, t)` and reporting the states at requested times:
/// adaptive Dormand-Prince 5(4) (Boost.Odeint's dense-output stepper) with per-step absolute and
/// relative error control, the states interpolated at each requested time (the integrator never
/// steps exactly onto them), NaN/Inf detection and a progress callback that can stop the run.
///
/// Failures are statuses, not exceptions: NumericalIssue when the state or its derivative stops
/// being finite, MaxIterations when the step budget between two requested times is exhausted,
/// UserStopped when the callback returns false; the rows already reached are kept.
///
/// \code
/// govsim::ode::Rhs f = [](const govsim::Vector& y, govsim::Vector& dy, double) { dy = -y; };
/// govsim::Vector y0 = govsim::Vector::Ones(3);
/// auto r = govsim::ode::integrate(f, y0, {0.0, 0.5, 1.0});
/// // r.states.row(2) ~ exp(-1) * y0
/// \endcode

#include <govsim/core/error.hpp>
#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/ode/system.hpp>

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace govsim::ode {

/// How the adaptive integrator controls its error.
struct OdeOptions {
  double abs_tol = 1e-10;       ///< absolute error tolerance per step
  double rel_tol = 1e-10;       ///< relative error tolerance per step
  double initial_step = 1e-3;   ///< first trial step (the controller adapts it)
  int max_steps = 1000000;      ///< steps allowed between two requested times
  /// Called after each requested time is reached (iteration = index of that time, total = count);
  /// return false to stop (status UserStopped).
  std::function<bool(const IterationInfo&)> on_iteration;

  /// \throws OptionsError on non-positive tolerances, step or step budget.
  void validate() const {
    if (!(abs_tol > 0.0) || !(rel_tol > 0.0)) throw OptionsError("OdeOptions: abs_tol and rel_tol must be > 0");
    if (!(initial_step > 0.0)) throw OptionsError("OdeOptions: initial_step must be > 0");
    if (max_steps < 1) throw OptionsError("OdeOptions: max_steps must be >= 1");
  }
};

/// States at the requested times.
struct OdeResult {
  std::vector<double> times;    ///< the requested times (increasing)
  Matrix states;                ///< one row per requested time, one column per state variable
  Status status = Status::Success;  ///< Success, NumericalIssue, MaxIterations or UserStopped
  std::string message;          ///< empty on success
  int iterations = 0;           ///< right-hand-side evaluations
  /// True when every requested time was reached with finite states.
  bool ok() const noexcept { return status == Status::Success; }
  /// One line: status, number of times and evaluations.
  std::string summary() const {
    std::ostringstream s;
    s << "OdeResult: " << to_string(status) << ", " << times.size() << " times, " << iterations
      << " rhs evaluations";
    if (!message.empty()) s << " (" << message << ")";
    return s.str();
  }
};

namespace detail {
struct StopRequested {};  // thrown by the observer to end integrate_times early
}  // namespace detail

/// Integrate `dy/dt = f(y, t)` from `times.front()` with `y(times.front()) = y0`, using adaptive
/// Dormand-Prince 5(4) with error control and dense output, and record `y` at every time.
/// \param f right-hand side
/// \param y0 initial state
/// \param times increasing times; the first is the initial time
/// \param opts tolerances, step budget and progress callback
/// \return the states; status NumericalIssue if NaN/Inf appears, MaxIterations if the step budget
///         is exhausted, UserStopped if on_iteration returned false
/// \throws DimensionError if times is empty or not increasing; OptionsError from opts.validate()
inline OdeResult integrate(const Rhs& f, const Vector& y0, const std::vector<double>& times,
                           const OdeOptions& opts = {}) {
  namespace odeint = boost::numeric::odeint;
  opts.validate();
  if (times.empty()) throw DimensionError("integrate: no requested times");
  for (std::size_t i = 1; i < times.size(); ++i)
    if (!(times[i] > times[i - 1])) throw DimensionError("integrate: times must be strictly increasing");
  OdeResult r;
  r.times = times;
  r.states = Matrix::Zero(static_cast<Index>(times.size()), y0.size());
  r.states.row(0) = y0.transpose();
  if (times.size() == 1 || y0.size() == 0) return r;

  int evaluations = 0;
  bool finite = true;
  auto system = [&](const State& y, State& dydt, double t) {
    ++evaluations;
    dydt.resize(y.size());
    f(y, dydt, t);
    if (!dydt.allFinite()) finite = false;
  };
  std::size_t k = 0;
  auto observer = [&](const State& y, double) {
    if (k < times.size()) r.states.row(static_cast<Index>(k)) = y.transpose();
    if (!y.allFinite()) finite = false;
    if (opts.on_iteration && k > 0) {
      IterationInfo info;
      info.iteration = static_cast<int>(k);
      info.total = static_cast<int>(times.size()) - 1;
      info.objective = times[k];
      info.stage = "ode";
      if (!opts.on_iteration(info)) throw detail::StopRequested{};
    }
    if (!finite) throw detail::StopRequested{};
    ++k;
  };
  State y = y0;
  auto stepper = odeint::make_dense_output(opts.abs_tol, opts.rel_tol, Dopri5());
  try {
    odeint::integrate_times(stepper, system, y, times.begin(), times.end(), opts.initial_step, observer,
                            odeint::max_step_checker(opts.max_steps));
  } catch (const detail::StopRequested&) {
    r.status = finite ? Status::UserStopped : Status::NumericalIssue;
    r.message = finite ? "stopped by on_iteration" : "NaN or Inf in the state or its derivative";
  } catch (const odeint::step_adjustment_error& e) {
    r.status = Status::NumericalIssue;
    r.message = e.what();
  } catch (const odeint::no_progress_error& e) {
    r.status = Status::MaxIterations;
    r.message = e.what();
  }
  if (r.ok() && !finite) {
    r.status = Status::NumericalIssue;
    r.message = "NaN or Inf in the state or its derivative";
  }
  r.iterations = evaluations;
  return r;
}

}  // namespace govsim::ode
