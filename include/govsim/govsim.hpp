#pragma once
/// \file govsim.hpp
/// Umbrella header: everything public in govsim.
#include <govsim/core/error.hpp>
#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/io.hpp>
#include <govsim/ode.hpp>
#include <govsim/version.hpp>
