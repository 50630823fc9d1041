#pragma once
/// \file policy.hpp
/// Umbrella header of the policy module (govsim::policy): quadratic losses of the moments,
/// optimal simple rules (alone and robust over models), the optimizer and the re-solver of a
/// model at trial parameters.
#include <govsim/policy/loss.hpp>
#include <govsim/policy/model_solver.hpp>
#include <govsim/policy/optimizer.hpp>
#include <govsim/policy/osr.hpp>
