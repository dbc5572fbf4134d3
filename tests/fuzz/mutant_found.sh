#!/usr/bin/env bash
# mutant_found.sh FUZZER SEEDS DICT WORK TARGET OP SECONDS [REPRODUCER]
# Fuzzes a build of a broken SUT; passes when libFuzzer stops on a divergence
# whose signature is "MF-DIVERGENCE target=TARGET op=OP ..." within SECONDS
# (OP may be a group of alternatives, "(a|b)": the mutant's header names
# them when a generated run can show its bug at either op),
# and prints how long and how many executions it took (MF_FUZZ_SEED picks
# libFuzzer's seed, default 1).  SEEDS "-" starts
# from an empty corpus: the seeds of corpus/traces catch every mutant of
# tests/mutants on their own, which would measure nothing.  The fuzzer does
# not catch the SUT's faults: when it stops on a crash without a signature,
# REPRODUCER (an mfh linked with the same broken SUT; "-" for none) replays
# the crashing input, as the campaign's triage does, and names it.
set -uo pipefail
fuzzer=$1 seeds=$2 dict=$3 work=$4 target=$5 op=$6 seconds=$7 reproducer=${8:--}

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
corpora=("$work/corpus")
[[ $seeds == - ]] || corpora+=("$seeds")
began=$(date +%s.%N)
"$fuzzer" -max_total_time="$seconds" -seed="${MF_FUZZ_SEED:-1}" -print_final_stats=1 -dict="$dict" \
  -artifact_prefix="$work/artifacts/" \
  "${corpora[@]}" >"$work/log" 2>&1
status=$?
took=$(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
signature=$(grep -m1 '^MF-DIVERGENCE ' "$work/log")
executions=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$work/log")
tail -n 40 "$work/log"
crash=$(find "$work/artifacts" -name 'crash-*' -print -quit)
if [[ -z $signature && -n $crash && $reproducer != - ]]; then
  echo "mutant_found: the fuzzer stopped on a crash; naming it with $reproducer reproduce"
  signature=$("$reproducer" reproduce --simulated-only --target="$target" "$crash" 2>&1 | grep -m1 '^MF-DIVERGENCE ')
fi
if [[ -z $signature ]]; then
  echo "mutant_found: no divergence in ${seconds} s (status $status)"
  exit 1
fi
echo "mutant_found: $signature in ${took} s, after ${executions:-?} executions"
if [[ ! $signature =~ ^MF-DIVERGENCE\ target=${target}\ op=${op}\  ]]; then
  echo "mutant_found: expected a divergence of target=$target at op=$op"
  exit 1
fi
