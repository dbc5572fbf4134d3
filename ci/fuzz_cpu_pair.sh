#!/usr/bin/env bash
# fuzz_cpu_pair.sh - the CPU time two builds of one fuzz target take for the
# same executions, measured so that the machine's load falls on both alike.
#
#   bash ci/fuzz_cpu_pair.sh [--runs N] [--rounds R] [--seeds DIR] [--fuzz-seed S] TARGET BINARY_A BINARY_B
#
# Why pairs: on the machines this project runs on, the CPU time of one
# fuzzing run moves by 10 to 30% from one run to the next (other tenants,
# the host), and one core can be slower than the other whatever runs on it,
# so runs made one after the other measure the load as much as the change.
# Here the two binaries run at once, A on one core and B on the other, then
# with the cores swapped, for R rounds (default 2), and the totals are
# compared core by core.
#
# Each run is `BINARY -seed=S -runs=N -dict=corpus/dict/TARGET.dict <empty
# dir> SEEDS` (N default 30000; SEEDS default $MF_BUILD_DIR/fuzz/seeds/TARGET,
# MF_BUILD_DIR default build).  Both binaries get the same seed, seeds and
# dictionary: a change that leaves the fuzzer's decisions alone (the
# assembly's coverage is all it learns from) runs the very same inputs in
# both.  S (libFuzzer's seed, default 1) picks which inputs: a change
# that alters what the fuzzer learns or what an input means sends the two
# down different paths, and one seed can then favour either: compare over
# several.  MF_PAIR_CORES names the two CPUs (default: the first two this
# process may run on; the one CPU twice if it may run on one only, which
# still compares the two under the same load).
#
# Prints one line per run (binary, CPU, round, user, system and total
# seconds of CPU), then, per binary and CPU, the range of the totals.
# Exit status: 0; 1 if a run fails; 2 on bad usage or a missing file.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: bash ci/fuzz_cpu_pair.sh [--runs N] [--rounds R] [--seeds DIR] [--fuzz-seed S] TARGET BINARY_A BINARY_B" >&2
  exit 2
}
fail() {
  echo "fuzz_cpu_pair: $*" >&2
  exit 2
}

runs=30000
rounds=2
seeds=
fuzz_seed=1
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --runs) [[ $# -ge 2 ]] || usage; runs=$2; shift 2 ;;
    --rounds) [[ $# -ge 2 ]] || usage; rounds=$2; shift 2 ;;
    --seeds) [[ $# -ge 2 ]] || usage; seeds=$2; shift 2 ;;
    --fuzz-seed) [[ $# -ge 2 ]] || usage; fuzz_seed=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ $# -eq 3 ]] || usage
target=$1
binary_a=$2
binary_b=$3
[[ $runs =~ ^[1-9][0-9]*$ ]] || fail "--runs wants a positive whole number, not '$runs'"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || fail "--rounds wants a positive whole number, not '$rounds'"
[[ $fuzz_seed =~ ^[1-9][0-9]*$ ]] || fail "--fuzz-seed wants a positive whole number, not '$fuzz_seed'"
dict=corpus/dict/$target.dict
[[ -f $dict ]] || fail "no dictionary $dict: is '$target' a fuzz target?"
seeds=${seeds:-${MF_BUILD_DIR:-build}/fuzz/seeds/$target}
[[ -d $seeds ]] || fail "no seed folder $seeds (build the seeds, or name a folder with --seeds)"
for binary in "$binary_a" "$binary_b"; do
  [[ -x $binary ]] || fail "$binary is not an executable file"
done
# shellcheck source=ci/cpu_pair_lib.sh
source ci/cpu_pair_lib.sh
prepare_pair fuzz_cpu_pair

# run NAME BINARY CPU ROUND SWAP: one run in the background; its times go
# to a file named after its place in the table.
run() {
  local name=$1 binary=$2 cpu=$3 round=$4 swap=$5
  local place=$work/$round.$swap.$name.$cpu
  mkdir -p "$place.corpus"
  taskset -c "$cpu" /usr/bin/time -f "%U %S" -o "$place.time" \
    "$binary" -seed="$fuzz_seed" -runs="$runs" -dict="$dict" "$place.corpus" "$seeds" >"$place.log" 2>&1 &
}

run_pair_rounds "$rounds" "$binary_a" "$binary_b"
echo "each run: $runs executions, libFuzzer seed $fuzz_seed"
print_pair_table "$work"
echo "A: $binary_a"
echo "B: $binary_b"
# A run counts only if libFuzzer says it did all its runs: a crash, a
# divergence or a binary that is no fuzzer fails the comparison.
failed=0
for log in "$work"/*.log; do
  grep -q "^Done $runs runs" "$log" && continue
  IFS=. read -r round _ name cpu _ <<<"$(basename "$log")"
  echo "fuzz_cpu_pair: run $name on CPU $cpu, round $round, did not finish its $runs runs; the end of its output:" >&2
  tail -n 20 "$log" >&2
  failed=1
done
exit "$failed"
