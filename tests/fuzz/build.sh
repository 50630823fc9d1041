#!/bin/sh
# Build the libFuzzer harness for the .mod reader (not part of the CMake build).
# Usage: tests/fuzz/build.sh [output-dir]   (default: build-fuzz)
set -e
cd "$(dirname "$0")/../.."
OUT=${1:-build-fuzz}
mkdir -p "$OUT"
[ -f build/include/govsim/version.hpp ] || { echo "configure the main build first (cmake -S . -B build)"; exit 1; }
clang++ -std=c++20 -O1 -g -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I include -I build/include -I /usr/include/eigen3 -I src/dsge \
  tests/fuzz/fuzz_mod_reader.cpp \
  src/dsge/macro.cpp src/dsge/parser.cpp src/dsge/model.cpp src/dsge/expr_pool.cpp \
  src/dsge/derivatives.cpp src/dsge/tape.cpp src/dsge/steady_state.cpp src/dsge/builder.cpp \
  src/dsge/command_options.cpp \
  -o "$OUT/fuzz_mod_reader"
echo "built $OUT/fuzz_mod_reader"
