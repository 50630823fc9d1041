#pragma once
/// \file dsge.hpp
/// Umbrella header of the DSGE module (govsim::dsge): the .mod reader and model, derivatives,
/// steady state, first- and second-order perturbation, IRFs, moments, simulation, Kalman filter
/// and estimation, perfect foresight and OccBin, scenarios, and the command interpreter.
#include <govsim/dsge/builder.hpp>
#include <govsim/dsge/command_options.hpp>
#include <govsim/dsge/derivatives.hpp>
#include <govsim/dsge/estimation.hpp>
#include <govsim/dsge/expr.hpp>
#include <govsim/dsge/irf.hpp>
#include <govsim/dsge/kalman.hpp>
#include <govsim/dsge/linearized.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/model_solver.hpp>
#include <govsim/dsge/moments.hpp>
#include <govsim/dsge/occbin.hpp>
#include <govsim/dsge/perfect_foresight.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/priors.hpp>
#include <govsim/dsge/run_commands.hpp>
#include <govsim/dsge/scenario.hpp>
#include <govsim/dsge/second_order.hpp>
#include <govsim/dsge/simulation.hpp>
#include <govsim/dsge/steady_state.hpp>
#include <govsim/dsge/symbols.hpp>
