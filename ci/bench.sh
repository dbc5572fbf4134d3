#!/usr/bin/env bash
# Builds the benchmarks in Release, runs each bench/*_bench program with
# repetitions, and prints the asm / C++ / glibc table with the performance
# targets (bench/bench_table.py).  Not part of ctest: timings belong here,
# never in a test.
#
#   ci/bench.sh [--strict] [extra Google Benchmark flags...]
#
# --strict          exit 1 when a target is missed (timings on a shared
#                   machine are noisy, so by default a miss is only reported)
# MF_BUILD_DIR      build directory (default build-bench)
# MF_BENCH_REPETITIONS   repetitions per benchmark (default 5)
# MF_BENCH_MIN_TIME      seconds per repetition (default 0.2)
# The JSON results and console logs are left in <build dir>/bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."

strict=()
if [[ ${1:-} == --strict ]]; then
  strict=(--strict)
  shift
fi

build_dir=${MF_BUILD_DIR:-build-bench}
repetitions=${MF_BENCH_REPETITIONS:-5}
min_time=${MF_BENCH_MIN_TIME:-0.2}

targets=()
for source in bench/*_bench.cpp; do
  targets+=("$(basename "$source" .cpp)")
done

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"

results_dir=$build_dir/bench-results
mkdir -p "$results_dir"
outputs=()
for target in "${targets[@]}"; do
  out=$results_dir/$target.json
  log=$results_dir/$target.log
  echo "bench: running $target (console output in $log)" >&2
  if ! "$build_dir/bench/$target" \
      --benchmark_repetitions="$repetitions" \
      --benchmark_min_time="$min_time" \
      --benchmark_report_aggregates_only=true \
      --benchmark_out="$out" --benchmark_out_format=json \
      "$@" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "bench: $target failed" >&2
    exit 1
  fi
  # A filter that matches nothing in this program leaves an empty file.
  if [[ -s $out ]]; then outputs+=("$out"); fi
done
if ((${#outputs[@]} == 0)); then
  echo "bench: no benchmark ran" >&2
  exit 1
fi

python3 bench/bench_table.py "${strict[@]}" "${outputs[@]}"
