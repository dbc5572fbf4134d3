#!/usr/bin/env bash
# libfuzzer_smoke.sh FUZZER SEEDS DICT WORK SECONDS asm-counters|no-asm-counters
# Replays the seed corpus, then fuzzes for SECONDS (0: replay only).  Fails on
# a crash or divergence, on an empty seed corpus, and when libFuzzer's report
# of the assembly's extra counters is not what the build promises.
set -uo pipefail
fuzzer=$1 seeds=$2 dict=$3 work=$4 seconds=$5 counters=$6

seed_count=$(find "$seeds" -type f | wc -l)
if ((seed_count == 0)); then
  echo "libfuzzer_smoke: no seeds in $seeds"
  exit 1
fi
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
# New inputs go into the first folder, so the seed corpus stays as built.
flags=(-dict="$dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 -seed=1)
if ((seconds > 0)); then flags+=(-max_total_time="$seconds"); else flags+=(-runs=0); fi
"$fuzzer" "${flags[@]}" "$work/corpus" "$seeds" >"$work/log" 2>&1
status=$?
cat "$work/log"
if ((status != 0)); then
  echo "libfuzzer_smoke: the fuzzer failed with status $status (crash inputs in $work/artifacts)"
  exit 1
fi
if ! grep -q "INITED" "$work/log"; then
  echo "libfuzzer_smoke: the seed corpus was not replayed"
  exit 1
fi
has_counters=0
grep -Eq 'INFO: [0-9]+ Extra Counters' "$work/log" && has_counters=1
if [[ $counters == asm-counters && $has_counters == 0 ]]; then
  echo "libfuzzer_smoke: libFuzzer does not see the assembly's counters"
  exit 1
fi
if [[ $counters == no-asm-counters && $has_counters == 1 ]]; then
  echo "libfuzzer_smoke: a build without asm coverage reports extra counters"
  exit 1
fi
echo "libfuzzer_smoke: ok ($seed_count seeds)"
