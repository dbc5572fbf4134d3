# shellcheck shell=bash
# engines.sh - one worker of each engine (sourced by ci/campaign.sh).
#
# worker_<engine> TARGET INSTANCE SECONDS WORKDIR runs in the background, in
# its own process group, for about SECONDS, and leaves in WORKDIR:
#   log                  the engine's output
#   raw-findings/        every input the engine reported (crash, timeout, hang,
#                        a shrunk property counterexample), for `mfh triage`
#   stats                key=value lines: execs, seconds, status
# New corpus inputs go to a pending folder of the kept corpus
# (corpus_store.sh), never into the corpus itself.  Uses: build_dir,
# repo_root, run_id, seeds_dir, store_* functions.

fuzz_bin() { echo "$build_dir/harness/fuzz/$1"; }

# Seconds since the worker began, for its stats.
worker_write_stats() {
  local dir=$1 execs=$2 began=$3 status=$4
  printf 'execs=%s\nseconds=%s\nstatus=%s\n' "$execs" $((SECONDS - began)) "$status" >"$dir/stats.tmp" &&
    mv -f "$dir/stats.tmp" "$dir/stats"
}

# libFuzzer: new inputs into its own pending folder; reads the current
# generation and the seeds.  It stops at its first crash.
worker_libfuzzer() {
  local target=$1 instance=$2 seconds=$3 dir=$4 began=$SECONDS
  local pending current
  pending=$(store_new_pending "$target" "$run_id-libfuzzer-$instance") || return 1
  current=$(store_current "$target")
  mkdir -p "$dir/artifacts" "$dir/raw-findings"
  timeout --kill-after=5 $((seconds + 20)) env MF_FUZZ_STATS=1 "$(fuzz_bin "fuzz_$target")" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$repo_root/corpus/dict/$target.dict" -artifact_prefix="$dir/artifacts/" \
    "$pending" ${current:+"$current/"} "$seeds_dir/$target" >"$dir/log" 2>&1
  local status=$? input
  for input in "$dir"/artifacts/{crash,timeout,oom,leak}-*; do
    [[ -f $input ]] && cp -f "$input" "$dir/raw-findings/"
  done
  local execs
  execs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$dir/log")
  # 0 ran out its time; 1 (a crash) and 70-77 are findings, listed above.
  worker_write_stats "$dir" "${execs:-0}" "$began" "$status"
}

# AFL++: the main instance (-M) and secondaries (-S, the first with CMPLOG)
# of one target share a sync directory in the kept corpus's pending folder.
worker_afl() {
  local target=$1 instance=$2 seconds=$3 dir=$4 began=$SECONDS
  local sync current role
  sync=$(store_new_pending "$target" "$run_id-afl") || return 1
  current=$(store_current "$target")
  mkdir -p "$dir/in" "$dir/raw-findings"
  # AFL++ reads one flat folder: the corpus, then the seeds (names may repeat).
  cp -f "$seeds_dir/$target"/* "$dir/in/" 2>/dev/null
  if [[ -n $current ]]; then cp -f "$current"/* "$dir/in/" 2>/dev/null; fi
  local args=(-i "$dir/in" -o "$sync" -x "$repo_root/corpus/dict/$target.dict" -V "$seconds" -t 10000)
  if ((instance == 0)); then
    role=main
    args+=(-M "$role")
  else
    role=secondary$instance
    args+=(-S "$role")
    ((instance == 1)) && args+=(-c "$(fuzz_bin "cmplog_fuzz_$target")")
  fi
  timeout --kill-after=5 $((seconds + 30)) env AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1 \
    afl-fuzz "${args[@]}" -- "$(fuzz_bin "afl_fuzz_$target")" >"$dir/log" 2>&1
  local status=$? input
  ((instance == 1)) && afl_reap_cmplog "$(fuzz_bin "cmplog_fuzz_$target")"
  for input in "$sync/$role"/crashes/id:* "$sync/$role"/hangs/id:*; do
    [[ -f $input ]] && cp -f "$input" "$dir/raw-findings/$(basename "$(dirname "$input")")-${input##*/id:}"
  done
  local execs
  execs=$(awk '$1 == "execs_done" {print $3}' "$sync/$role/fuzzer_stats" 2>/dev/null)
  worker_write_stats "$dir" "${execs:-0}" "$began" "$status"
}

# afl-fuzz can leave its CMPLOG fork server behind, stopped, in a session of
# its own (so stopping the worker's process group misses it): once afl-fuzz
# has ended, a process of that binary whose parent is no afl-fuzz is one.
afl_reap_cmplog() {
  local binary=$1 pid ppid
  while read -r pid ppid; do
    [[ $(ps -o comm= -p "$ppid" 2>/dev/null) == afl-fuzz ]] || kill -KILL "$pid" 2>/dev/null
  done < <(ps -eo pid=,ppid=,args= | awk -v b="$binary" '$3 == b { print $1, $2 }')
}

# RapidCheck: the state machines of tests/property (simulated and native
# mode), in short rounds until the time is up or a round finds something.
# They keep no corpus; a counterexample is a shrunk text trace.
worker_property() {
  local target=$1 instance=$2 seconds=$3 dir=$4 began=$SECONDS
  local suite deadline=$((SECONDS + seconds)) round=0 execs=0 status=0
  suite="$(tr '[:lower:]' '[:upper:]' <<<"${target:0:1}")${target:1}Property"
  mkdir -p "$dir/raw-findings"
  while ((SECONDS + 2 < deadline)); do
    round=$((round + 1))
    local round_dir=$dir/round-$round
    mkdir -p "$round_dir"
    # A round stopped by the deadline is no error: its cases are lost, not its findings
    # (RapidCheck writes a counterexample only once it is shrunk).
    timeout --kill-after=5 $((deadline - SECONDS)) env MF_PROPERTY_FINDINGS_DIR="$round_dir" \
      RC_PARAMS="max_success=300 max_size=150 seed=$((RANDOM * 32768 + RANDOM))" \
      "$build_dir/tests/property/property_test" --gtest_filter="$suite.*" >>"$dir/log" 2>&1
    status=$?
    local runs
    runs=$(sed -nE 's/^\[property\] .*: ([0-9]+) runs,.*/\1/p' "$dir/log" | awk '{ n += $1 } END { print n + 0 }')
    execs=$runs
    if compgen -G "$round_dir/*.trace" >/dev/null; then
      local trace
      for trace in "$round_dir"/*.trace; do cp -f "$trace" "$dir/raw-findings/round-$round-$(basename "$trace")"; done
      break  # the rest of the time would mostly shrink to the same bug
    fi
    ((status == 0)) || break
  done
  ((status == 124)) && status=0
  worker_write_stats "$dir" "$execs" "$began" "$status"
}

# A running worker's executions per second, for the progress line (empty
# when the engine does not say).
worker_exec_rate() {
  local engine=$1 dir=$2 target=$3 instance=$4
  case $engine in
    libfuzzer) grep -a -o 'exec/s: [0-9]*' "$dir/log" 2>/dev/null | tail -n1 | awk '{print $2}' ;;
    afl)
      local role=main
      ((instance == 0)) || role=secondary$instance
      awk '$1 == "execs_per_sec" {print int($3)}' \
        "$(store_dir "$target")/pending/$run_id-afl/$role/fuzzer_stats" 2>/dev/null
      ;;
    *) echo "" ;;
  esac
}
