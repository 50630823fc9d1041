#pragma once
/// \file numerics.hpp
/// Umbrella header of the numerical kernels (govsim::numerics): generalized Schur (QZ)
/// decomposition, Lyapunov / Sylvester equation solvers and the bounded minimizer (NLopt).
#include <govsim/numerics/lyapunov.hpp>
#include <govsim/numerics/optimizer.hpp>
#include <govsim/numerics/qz.hpp>
