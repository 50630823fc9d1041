#pragma once
/// \file system.hpp
/// \brief Boost.Odeint bridge: the state type, the steppers and the one integration kernel.
///
/// This is the only govsim header that includes Odeint's Eigen adaptor
/// (`boost/numeric/odeint/external/eigen/eigen.hpp`). Every ODE in govsim uses
/// govsim::Vector (an Eigen column vector) as its state, integrated with the
/// vector-space algebra so that Eigen expressions do the arithmetic.

#include <govsim/core/types.hpp>

#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>

#include <functional>

namespace govsim::ode {

/// State type of every govsim ODE: an Eigen column vector of doubles.
using State = Vector;

/// Right-hand side `dydt = f(y, t)`, written into `dydt` (already sized like `y`).
using Rhs = std::function<void(const State& y, State& dydt, double t)>;

/// Dormand-Prince 5(4) with FSAL, error estimate and dense output (Odeint's
/// `runge_kutta_dopri5`), on the Eigen vector-space algebra.
using Dopri5 = boost::numeric::odeint::runge_kutta_dopri5<State, double, State, double,
                                                           boost::numeric::odeint::vector_space_algebra>;

/// Classic fixed-step fourth-order Runge-Kutta on the same algebra (used for fixed-step runs).
using Rk4 = boost::numeric::odeint::runge_kutta4<State, double, State, double,
                                                 boost::numeric::odeint::vector_space_algebra>;

}  // namespace govsim::ode
