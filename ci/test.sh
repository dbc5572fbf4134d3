#!/usr/bin/env bash
# Sets everything up, builds, and runs the default test suite (everything not
# labelled `slow`).  This is the README's test command and what CI runs.
#
# The build uses clang unless CC / CXX say otherwise: only clang builds the
# libFuzzer targets, whose smoke runs (label fuzz-smoke) are part of the
# default suite.  The compiler is passed explicitly, so a build directory
# configured earlier with another compiler is reconfigured (CMake starts its
# cache afresh) instead of silently leaving the fuzzers out.
set -euo pipefail
cd "$(dirname "$0")/.."

bash ci/setup.sh
build_dir=${MF_BUILD_DIR:-build}
# Full paths: CMake compares them with the cached ones.
cc=$(command -v "${CC:-clang}")
cxx=$(command -v "${CXX:-clang++}")
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx"
cmake --build "$build_dir" -j "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" -LE slow "$@"
