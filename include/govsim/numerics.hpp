#pragma once
/// \file numerics.hpp
/// Umbrella header of the numerical kernels (govsim::numerics): generalized Schur (QZ)
/// decomposition and Lyapunov / Sylvester equation solvers.
#include <govsim/numerics/lyapunov.hpp>
#include <govsim/numerics/qz.hpp>
