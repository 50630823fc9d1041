// Catch2 v2 main for govsim_tests (with Catch2 v3 this file goes away: link Catch2WithMain).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
