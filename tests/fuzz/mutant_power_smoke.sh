#!/usr/bin/env bash
# mutant_power_smoke.sh - ci/mutant_power.py on this build against itself:
# its statistics pass their self-test, two seeds of one quick mutant give
# a row where both builds found it every time and the verdict is "the same"
# (the same build, the same seeds: the same executions), and bad usage is
# refused.
#   mutant_power_smoke.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
source_dir=$1
build_dir=$2
power=$source_dir/ci/mutant_power.py
problems=0
complain() {
  echo "mutant_power_smoke: $*" >&2
  problems=1
}

out=$(python3 "$power" --self-test 2>&1)
[[ $? -eq 0 && $out == *"self-test: ok"* ]] || complain "the self-test failed:"$'\n'"$out"

out=$(python3 "$power" --seeds 2 --jobs 1 --tests arena_create_clobbers_rbx "$build_dir" "$build_dir" 2>&1)
status=$?
[[ $status -eq 0 ]] || complain "one mutant, twice this build: exit $status, not 0:"$'\n'"$out"
row='^\| arena_create_clobbers_rbx \| 2/2 \| 2/2 \| ([0-9,.]+) \| ([0-9,.]+) \| 1\.00 \| [0-9.]+ \| [0-9.]+ \| the same \|$'
grep -qE "$row" <<<"$out" || complain "one mutant, twice this build: no row found twice, same medians, 'the same':"$'\n'"$out"

for args in "$build_dir" "--seeds 1 $build_dir $build_dir" "$build_dir /no/such/build" "--tests no_such_mutant $build_dir $build_dir"; do
  # shellcheck disable=SC2086 # the words are the arguments
  out=$(python3 "$power" $args 2>&1)
  status=$?
  [[ $status -eq 2 ]] || complain "bad usage ($args): exit $status, not 2:"$'\n'"$out"
done

[[ $problems -eq 0 ]] && echo "mutant_power_smoke: ok"
exit "$problems"
