#!/usr/bin/env bash
# Sets everything up, builds, and runs the default test suite (everything not
# labelled `slow`).  This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash ci/setup.sh
build_dir=${MF_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir" -j "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" -LE slow "$@"
