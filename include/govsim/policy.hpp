#pragma once
/// \file policy.hpp
/// Umbrella header of the policy module (govsim::policy): quadratic losses of the moments and
/// optimal simple rules (alone and robust over models). The optimizer is in numerics/, the
/// re-solver of a model at trial parameters in dsge/.
#include <govsim/policy/loss.hpp>
#include <govsim/policy/osr.hpp>
