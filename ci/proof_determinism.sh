#!/usr/bin/env bash
# Do the proofs give the same verdicts whatever the load?  Runs the proof
# label (ctest -L proof -j2) N times in a row while a busy loop keeps one
# core fully used beside it, and compares every test's verdict across the
# runs (issue 15: solver effort is bounded by Z3's rlimit, not by time, so
# nothing may change).  Prints one line per run (wall seconds, load, tests
# passed) and exits 1 if any test's verdict differs between runs.
#
#   bash ci/proof_determinism.sh [--runs N]     (default 10)
#
# Environment: MF_BUILD_DIR (default build), already built.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${MF_BUILD_DIR:-build}
runs=10
case "${1:-}" in
  --runs) runs=${2:?--runs needs a number} ;;
  "") ;;
  *) echo "usage: bash ci/proof_determinism.sh [--runs N]" >&2; exit 2 ;;
esac
[ -d "$build_dir/proofs" ] || { echo "proof_determinism: $build_dir has no proofs: build it first" >&2; exit 2; }

work=$(mktemp -d)
busy_pid=""
cleanup() {
  if [ -n "$busy_pid" ]; then kill "$busy_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The job beside: one core busy for the whole measurement.
( while :; do :; done ) &
busy_pid=$!

for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  ctest --test-dir "$build_dir" -L proof -j2 > "$work/run$i.log" 2>&1 || true
  seconds=$(( $(date +%s) - start ))
  # "<name> Passed|Failed|Timeout", one per test, sorted: the run's verdicts.
  sed -nE 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) \.*[* ]*(Passed|Failed|Timeout|Not Run).*/\1 \2/p' \
    "$work/run$i.log" | sort > "$work/verdicts$i"
  passed=$(grep -c ' Passed$' "$work/verdicts$i" || true)
  total=$(wc -l < "$work/verdicts$i")
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "run $i: ${seconds} s, load ${load}, ${passed}/${total} passed"
done

status=0
for i in $(seq 2 "$runs"); do
  if ! diff -q "$work/verdicts1" "$work/verdicts$i" > /dev/null; then
    echo "run $i differs from run 1:"
    diff "$work/verdicts1" "$work/verdicts$i" || true
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "proof_determinism: the same verdicts in all $runs runs ($(wc -l < "$work/verdicts1") tests)"
fi
exit "$status"
