#pragma once
/// \file govsim.hpp
/// Umbrella header: everything public in govsim (core types and errors, input-output, ODE
/// integration, numerical kernels, DSGE models and policy analysis).
#include <govsim/core/error.hpp>
#include <govsim/core/json_writer.hpp>
#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/dsge.hpp>
#include <govsim/io.hpp>
#include <govsim/numerics.hpp>
#include <govsim/ode.hpp>
#include <govsim/policy.hpp>
#include <govsim/version.hpp>
