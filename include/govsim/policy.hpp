#pragma once
/// \file policy.hpp
/// Umbrella header of the policy module (govsim::policy): quadratic losses of the moments,
/// optimal simple rules (alone and robust over models), Ramsey and discretionary optimal policy,
/// conditional forecasts, and the policy commands of the `.mod` interpreter. The optimizer is in
/// numerics/, the re-solver of a model at trial parameters in dsge/.
#include <govsim/policy/conditional_forecast.hpp>
#include <govsim/policy/discretion.hpp>
#include <govsim/policy/loss.hpp>
#include <govsim/policy/osr.hpp>
#include <govsim/policy/ramsey.hpp>
#include <govsim/policy/run_commands.hpp>
