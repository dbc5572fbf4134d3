#!/usr/bin/env bash
# fuzz_throughput.sh - executions per second of every fuzz target on one core,
# simulated mode, for inputs of about 64 ops and from the seed corpora, with
# the share of the runner's own rate that fuzzing keeps; prints a markdown table.
#
#   bash ci/fuzz_throughput.sh
#
# The inputs are generated (`mfh convert --generate=... --in-contract`) to
# decode to exactly MF_THROUGHPUT_OPS ops each and to mostly run all of them
# (no null handles, pointers inside live memory).  Columns:
#   replay      libFuzzer running those fixed inputs over and over (-runs=N
#               FILE...): the cost of one exec of a 64-op input, with
#               libFuzzer's per-exec work (counter reset, coverage scan)
#   fuzzing     libFuzzer's own average exec/s while fuzzing from them, inputs
#               capped at the largest (-max_len, -len_control=0); mutants
#               that exit early are cheaper, so this is not a 64-op figure
#   seeds       libFuzzer's average exec/s fuzzing from the build's seed
#               corpus (fuzz/seeds/<target>) with its own length control:
#               how a campaign starts
#   ops/s       ops the SUT and the model ran per second while fuzzing from
#               the seeds (MF_FUZZ_STATS), and that as a share of the replay
#               column's ops/s (replay exec/s times ops/exec: libFuzzer
#               re-running fixed inputs, its per-exec work included)
#   ops/s of CPU  the same ops per second of the fuzzer's CPU time (user +
#               system), and that as a share of the runner alone:
#               bench/runner_bench's runner_<target>_trace/runner, run_trace
#               replaying one fixed trace of about 64 ops with no fuzzer
#               around it (ops/s of CPU time, pinned to the same CPU; "not
#               built" without Google Benchmark).  CPU time against CPU time:
#               on a loaded machine a wall-clock rate next to a CPU-time one
#               measures the load
#   page faults per exec, system share of CPU  from the same run from the
#               seeds: the fuzzer process's page faults (MF_FUZZ_STATS,
#               getrusage) per execution, and the share of its CPU time
#               spent in the kernel; in a VM, where a fault or a system
#               call costs microseconds, these say how much of an exec is
#               the simulated OS's mappings rather than the harness
#   AFL++       execs_per_sec of afl-fuzz (persistent mode, asm counters
#               folded into its map, no CMPLOG) fuzzing from the same inputs,
#               and from the seeds
#   ops/exec    ops the replay actually ran per exec (MF_FUZZ_STATS)
#
# Environment (all optional):
#   MF_BUILD_DIR            a build configured with clang (default build-fuzz;
#                           configured here with CC=clang CXX=clang++ if missing)
#   MF_THROUGHPUT_SECONDS   seconds per measurement (default 5)
#   MF_THROUGHPUT_OPS       ops per generated input (default 64)
#   MF_THROUGHPUT_CORE      the CPU to pin to (default 0)
#   MF_THROUGHPUT_TARGETS   default: arena pool alloc builtins mixed meminfo daemon
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${MF_BUILD_DIR:-build-fuzz}
seconds=${MF_THROUGHPUT_SECONDS:-5}
ops=${MF_THROUGHPUT_OPS:-64}
core=${MF_THROUGHPUT_CORE:-0}
read -r -a targets <<<"${MF_THROUGHPUT_TARGETS:-arena pool alloc builtins mixed meminfo daemon}"
inputs_per_target=64

if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
build_targets=(mfh)
for t in "${targets[@]}"; do build_targets+=("fuzz_$t" "fuzz_${t}_nocov"); done
cmake --build "$build_dir" -j 2 --target "${build_targets[@]}" >/dev/null
have_bench=0
if cmake --build "$build_dir" -j 2 --target runner_bench >/dev/null 2>&1; then have_bench=1; fi
have_afl=0
if command -v afl-fuzz >/dev/null && cmake --build "$build_dir" -j 2 --target mf_afl_fuzzers >/dev/null 2>&1; then
  have_afl=1
fi

mfh=$build_dir/harness/mfh/mfh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

# replay FUZZER INPUTS RUNS: runs every input RUNS times; prints
# "<seconds> <ops run>".
replay() {
  local began ended log=$work/replay.log
  began=$(now)
  MF_FUZZ_STATS=1 taskset -c "$core" "$1" -runs="$3" "$2"/* >"$log" 2>&1
  ended=$(now)
  echo "$(awk -v a="$began" -v b="$ended" 'BEGIN { print b - a }') $(sed -nE 's/^mf-fuzz-stats: .*ops_run=([0-9]+).*/\1/p' "$log")"
}

# replay_rate FUZZER INPUTS: exec/s and ops per exec over about $seconds s.
replay_rate() {
  local calibration runs took ops_run
  calibration=$(replay "$1" "$2" 20)
  # Enough repetitions for about $seconds seconds, from a short first run.
  runs=$(awk -v s="$seconds" -v c="${calibration%% *}" 'BEGIN { r = int(s * 20 / c); print (r < 20 ? 20 : r) }')
  read -r took ops_run <<<"$(replay "$1" "$2" "$runs")"
  local execs=$((runs * inputs_per_target))
  awk -v e="$execs" -v t="$took" -v o="$ops_run" 'BEGIN { printf "%d %.1f\n", e / t, o / e }'
}

# fuzz_rate FUZZER INPUTS [MAX_LEN]: "<exec/s> <ops/s> <ops/s of CPU>
# <page faults per exec> <system share of CPU>" of libFuzzer fuzzing for
# $seconds s from INPUTS (capped at MAX_LEN with no length control when
# given).
fuzz_rate() {
  local corpus cpu log=$work/fuzz.log length=()
  corpus=$(mktemp -d -p "$work")
  if [[ -n ${3:-} ]]; then length=(-max_len="$3" -len_control=0); fi
  # The subshell's `times`, second line: its children's user and system
  # time ("0m1.230s 0m0.450s"), here the fuzzer's alone.
  cpu=$( (MF_FUZZ_STATS=1 taskset -c "$core" "$1" -max_total_time="$seconds" "${length[@]}" -seed=1 -print_final_stats=1 \
    -artifact_prefix="$work/" "$corpus" "$2" >"$log" 2>&1; times) |
    awk 'END { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); c[i] = 60 * t[1] + t[2] } print c[1], c[2] }')
  awk -v s="$seconds" -v user="${cpu% *}" -v sys="${cpu#* }" \
    'function field(name) { if (!match($0, name "=[0-9]+")) return ""; return substr($0, RSTART + length(name) + 1, RLENGTH - length(name) - 1) }
    /^stat::average_exec_per_sec:/ { e = $2 }
    /^stat::number_of_executed_units:/ { n = $2 }
    /^mf-fuzz-stats:/ { o = field("ops_run"); f = field("page_faults") }
    END {
      cpu = user + sys
      if (e == "" || cpu == 0 || n + 0 == 0 || f == "") print "failed failed failed failed failed"
      else printf "%d %d %d %.1f %.0f%%\n", e, o / s, o / cpu, f / n, 100 * sys / cpu
    }' "$log"
}

afl_rate() {
  local out
  out=$(mktemp -d -p "$work")
  AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    taskset -c "$core" afl-fuzz -i "$2" -o "$out" -V "$seconds" -- "$1" >/dev/null 2>&1 || true
  awk '$1 == "execs_per_sec" {printf "%d\n", $3}' "$out/default/fuzzer_stats" 2>/dev/null || echo "failed"
}

# The runner alone: every target's runner_bench trace, once, on the same CPU.
runner_ops() { echo "not built"; }
if ((have_bench)); then
  taskset -c "$core" "$build_dir/bench/runner_bench" --benchmark_filter='^runner_[a-z]+_trace_[0-9]+ops/runner$' \
    --benchmark_min_time="$seconds" --benchmark_out="$work/runner_bench.json" --benchmark_out_format=json >/dev/null 2>&1 ||
    echo "fuzz_throughput: runner_bench failed" >&2
  runner_ops() {
    python3 - "$work/runner_bench.json" "$1" <<'PY'
import json, re, sys
try:
    runs = json.load(open(sys.argv[1]))["benchmarks"]
except (OSError, ValueError, KeyError):
    runs = []
for b in runs:
    if re.fullmatch(r"runner_%s_trace_\d+ops/runner" % sys.argv[2], b["name"]) and "ops/s" in b:
        print(int(b["ops/s"]))
        break
else:
    print("failed")
PY
  }
fi

echo "# Fuzz throughput: exec/s on CPU $core, simulated mode, generated inputs of $ops ops, ${seconds} s per figure"
echo
echo "| target | replay, asm coverage | replay, no asm coverage | ops/exec | fuzzing, asm coverage | seeds, asm coverage | ops/s from the seeds | share of replay ops/s | ops/s of CPU from the seeds | runner alone ops/s | share of the runner alone | page faults per exec from the seeds | system share of CPU from the seeds | AFL++ | AFL++ from the seeds |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for t in "${targets[@]}"; do
  inputs=$work/inputs-$t
  "$mfh" convert --generate="$ops" --count="$inputs_per_target" --seed=1 --in-contract --target="$t" \
    --out-dir="$inputs"
  max_len=$(find "$inputs" -type f -printf '%s\n' | sort -n | tail -n1)
  read -r with_cov ops_per_exec <<<"$(replay_rate "$build_dir/harness/fuzz/fuzz_$t" "$inputs")"
  read -r without_cov _ <<<"$(replay_rate "$build_dir/harness/fuzz/fuzz_${t}_nocov" "$inputs")"
  read -r fuzzing _ _ _ _ <<<"$(fuzz_rate "$build_dir/harness/fuzz/fuzz_$t" "$inputs" "$max_len")"
  read -r from_seeds seed_ops seed_cpu_ops seed_faults seed_system <<<"$(fuzz_rate "$build_dir/harness/fuzz/fuzz_$t" "$build_dir/fuzz/seeds/$t")"
  share=$(awk -v f="$seed_ops" -v e="$with_cov" -v o="$ops_per_exec" \
    'BEGIN { r = e * o; if (f == "failed" || r == 0) print "failed"; else printf "%.0f%%", 100 * f / r }')
  alone=$(runner_ops "$t")
  alone_share=$(awk -v f="$seed_cpu_ops" -v r="$alone" \
    'BEGIN { if (f == "failed" || r !~ /^[0-9]+$/ || r == 0) print "-"; else printf "%.0f%%", 100 * f / r }')
  afl="not installed" afl_seeds="not installed"
  if ((have_afl)); then
    afl=$(afl_rate "$build_dir/harness/fuzz/afl_fuzz_$t" "$inputs")
    afl_seeds=$(afl_rate "$build_dir/harness/fuzz/afl_fuzz_$t" "$build_dir/fuzz/seeds/$t")
  fi
  echo "| $t | $with_cov | $without_cov | $ops_per_exec | $fuzzing | $from_seeds | $seed_ops | $share | $seed_cpu_ops | $alone | $alone_share | $seed_faults | $seed_system | $afl | $afl_seeds |"
done
