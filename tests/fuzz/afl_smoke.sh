#!/usr/bin/env bash
# afl_smoke.sh AFL_FUZZ BINARY CMPLOG_BINARY SEEDS DICT WORK SECONDS
# Fuzzes with AFL++ for SECONDS from the seed corpus, with the CMPLOG build
# alongside.  Fails when afl-fuzz fails, executes nothing, sees no more edges
# than the entry point has (the assembly's counters missing), or saves a crash;
# exits 77 (skipped) when the machine gives afl-fuzz no shared memory.
set -uo pipefail
afl_fuzz=$1 binary=$2 cmplog=$3 seeds=$4 dict=$5 work=$6 seconds=$7

rm -rf "$work"
mkdir -p "$work"
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_SKIP_BIN_CHECK=0 AFL_FORKSRV_INIT_TMOUT=10000
"$afl_fuzz" -i "$seeds" -o "$work/out" -x "$dict" -c "$cmplog" -V "$seconds" -- "$binary" >"$work/log" 2>&1
status=$?
tail -n 30 "$work/log"
if ((status != 0)); then
  # A machine that cannot host afl-fuzz at all (no System V shared memory,
  # as in some containers) is not a failure of ours: skipped (ctest status 77).
  if grep -Eq 'shmget\(\) failed|shmat\(\) failed' "$work/log"; then
    echo "afl_smoke: skipped, afl-fuzz cannot get shared memory on this machine"
    exit 77
  fi
  echo "afl_smoke: afl-fuzz failed with status $status"
  exit 1
fi
stats=$work/out/default/fuzzer_stats
if [[ ! -f $stats ]]; then
  echo "afl_smoke: no fuzzer_stats"
  exit 1
fi
grep -E '^(execs_done|execs_per_sec|saved_crashes|unique_crashes|corpus_count|edges_found|total_edges) ' "$stats"
execs=$(awk '$1 == "execs_done" {print $3}' "$stats")
crashes=$(awk '$1 == "saved_crashes" || $1 == "unique_crashes" {print $3}' "$stats" | head -n1)
if ((${execs:-0} == 0)); then
  echo "afl_smoke: nothing was executed"
  exit 1
fi
# The entry point alone has about a dozen edges; without the assembly's
# counters folded into the map (afl_fold.cpp) AFL++ would see no more.  Any
# seed corpus reaches well over 50 of them (about 100 to 200 here).
edges=$(awk '$1 == "edges_found" {print $3}' "$stats")
if ((${edges:-0} < 50)); then
  echo "afl_smoke: AFL++ found only ${edges:-0} edges: the assembly's counters do not reach its map"
  exit 1
fi
if ((${crashes:-0} > 0)); then
  echo "afl_smoke: AFL++ saved ${crashes} crash(es) in $work/out/default/crashes"
  exit 1
fi
echo "afl_smoke: ok"
