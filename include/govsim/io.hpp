#pragma once
/// \file io.hpp
/// Umbrella header of the input-output module (govsim::io).
#include <govsim/io/ario.hpp>
#include <govsim/io/dynamic_leontief.hpp>
#include <govsim/io/extraction.hpp>
#include <govsim/io/ghosh.hpp>
#include <govsim/io/inoperability.hpp>
#include <govsim/io/io_table.hpp>
#include <govsim/io/leontief.hpp>
#include <govsim/io/linkages.hpp>
#include <govsim/io/make_use.hpp>
#include <govsim/io/mrio.hpp>
#include <govsim/io/multipliers.hpp>
#include <govsim/io/price.hpp>
