#!/usr/bin/env bash
# cpu_pair_smoke.sh - ci/fuzz_cpu_pair.sh on a real fuzzer: it times both
# binaries on both CPUs, fails when a run does not finish, and refuses bad
# usage.
#   cpu_pair_smoke.sh SOURCE_DIR FUZZER SEEDS
set -uo pipefail
source_dir=$1
fuzzer=$2
seeds=$3
pair=$source_dir/ci/fuzz_cpu_pair.sh
problems=0
complain() {
  echo "cpu_pair_smoke: $*" >&2
  problems=1
}

out=$(bash "$pair" --runs 300 --rounds 1 --seeds "$seeds" arena "$fuzzer" "$fuzzer" 2>&1)
status=$?
[[ $status -eq 0 ]] || complain "two working fuzzers: exit $status, not 0:"$'\n'"$out"
rows=$(grep -cE '^[AB] +[0-9]+ +1 +[0-9.]+ +[0-9.]+ +[0-9.]+$' <<<"$out")
[[ $rows -eq 4 ]] || complain "two working fuzzers: $rows rows of times, not 4 (A and B on each CPU):"$'\n'"$out"
ranges=$(grep -cE '^  [AB] on CPU [0-9]+: [0-9.]+ to [0-9.]+ s$' <<<"$out")
[[ $ranges -eq 4 ]] || complain "two working fuzzers: $ranges ranges, not 4:"$'\n'"$out"

out=$(bash "$pair" --runs 300 --rounds 1 --seeds "$seeds" arena "$fuzzer" /bin/false 2>&1)
status=$?
[[ $status -eq 1 ]] || complain "a binary that is no fuzzer: exit $status, not 1:"$'\n'"$out"
grep -q 'run B on CPU [0-9]*, round 1, did not finish its 300 runs' <<<"$out" ||
  complain "a binary that is no fuzzer: the failed run is not named:"$'\n'"$out"

for args in "arena $fuzzer" "--runs 0 arena $fuzzer $fuzzer" "no_such_target $fuzzer $fuzzer" "arena /no/such/fuzzer $fuzzer"; do
  # shellcheck disable=SC2086 # the words are the arguments
  out=$(bash "$pair" --seeds "$seeds" $args 2>&1)
  status=$?
  [[ $status -eq 2 ]] || complain "bad usage ($args): exit $status, not 2:"$'\n'"$out"
done

[[ $problems -eq 0 ]] && echo "cpu_pair_smoke: ok"
exit "$problems"
