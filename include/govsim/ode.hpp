#pragma once
/// \file ode.hpp
/// Umbrella header of the ODE module (govsim::ode): the Boost.Odeint bridge (state type,
/// steppers) and the adaptive integrator with dense output at requested times.
#include <govsim/ode/integrate.hpp>
#include <govsim/ode/system.hpp>
