# shellcheck shell=bash
# scheduler.sh - runs the engines' workers in parallel over --jobs cores
# until the fuzzing deadline (sourced by ci/campaign.sh).
#
# The work is a queue of entries "target engine instance weight": per target
# and engine, libFuzzer workers (one per spare core), AFL++ as a main and a
# secondary instance on one sync directory, one RapidCheck worker.  When a
# core is free, the next entry gets its weight's part of the core-seconds
# left (cores x time to the deadline, less what the running workers still
# hold): an entry that stops early (a crash ends libFuzzer, a finding ends
# RapidCheck) hands its time on to those that come after it.  Live progress
# goes to stderr every 5 seconds.  Uses: targets, engines, jobs, out,
# worker_* and coverage_* functions.

declare -a schedule_queue=()
declare -A schedule_running=()  # pid -> "target engine instance end dir"
# How far past their planned end the workers ended (engine start-up and
# stop, and the poll below): seconds in all, and how many ended.
schedule_overrun_seconds=0
schedule_reaped=0

schedule_build_queue() {
  local t e n i per_core
  per_core=$((jobs / (${#targets[@]} * ${#engines[@]})))
  ((per_core >= 1)) || per_core=1
  for t in "${targets[@]}"; do
    for e in "${engines[@]}"; do
      case $e in
        libfuzzer) n=$per_core ;;
        afl) n=$((per_core > 2 ? per_core : 2)) ;;
        *) n=1 ;;
      esac
      # Weights out of 60: one engine of one target weighs the same
      # however many instances share its time.
      for ((i = 0; i < n; i++)); do schedule_queue+=("$t $e $i $((60 / n))"); done
    done
  done
}

# Core-seconds the running workers still hold.
schedule_held() {
  local pid held=0 fields
  for pid in "${!schedule_running[@]}"; do
    read -r -a fields <<<"${schedule_running[$pid]}"
    ((fields[3] > SECONDS)) && held=$((held + fields[3] - SECONDS))
  done
  echo "$held"
}

schedule_launch() {
  local entry=$1 seconds=$2
  local t e i w dir
  read -r t e i w <<<"$entry"
  dir=$out/work/$t/$e-$i
  mkdir -p "$dir"
  # `set -m` gives the worker its own process group: stopping it stops
  # the engine and every process the engine started.
  set -m
  "worker_$e" "$t" "$i" "$seconds" "$dir" &
  local pid=$!
  set +m
  schedule_running[$pid]="$t $e $i $((SECONDS + seconds)) $dir"
  printf '%s\t%s\t%s\t%s\tstarted\n' "$t" "$e" "$i" "$seconds" >>"$out/state/schedule.tsv"
}

# A worker ended: its row in state/workers.tsv, and a coverage measure of
# its target's corpus with what it added.
schedule_reap() {
  local pid=$1
  wait "$pid" 2>/dev/null
  local t e i end dir
  read -r t e i end dir <<<"${schedule_running[$pid]}"
  unset "schedule_running[$pid]"
  ((SECONDS > end)) && schedule_overrun_seconds=$((schedule_overrun_seconds + SECONDS - end))
  schedule_reaped=$((schedule_reaped + 1))
  local -A stat=([execs]=0 [seconds]=0 [status]=killed)
  if [[ -f $dir/stats ]]; then
    local key value
    while IFS='=' read -r key value; do stat[$key]=$value; done <"$dir/stats"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$e" "$i" "${stat[seconds]}" "${stat[execs]}" "${stat[status]}" \
    "${dir#"$out"/}" >>"$out/state/workers.tsv"
  if [[ $e != property ]]; then
    local dirs=() d current
    current=$(store_current "$t")
    [[ -n $current ]] && dirs+=("$current")
    while read -r d; do dirs+=("$d"); done < <(store_pending_dirs "$t")
    (coverage_measure "$t" "after $e-$i" "$seeds_dir/$t" "${dirs[@]}" >/dev/null) &
  fi
}

# Stops every worker still running (its whole process group).
schedule_stop_all() {
  local pid
  for pid in "${!schedule_running[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  local waited=0
  while ((waited < 10)) && (($(schedule_alive) > 0)); do
    sleep 1
    waited=$((waited + 1))
  done
  for pid in "${!schedule_running[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  for pid in "${!schedule_running[@]}"; do schedule_reap "$pid"; done
}

schedule_alive() {
  local pid n=0
  for pid in "${!schedule_running[@]}"; do kill -0 "$pid" 2>/dev/null && n=$((n + 1)); done
  echo "$n"
}

# Findings the engines have reported so far (raw, before triage).
schedule_raw_findings() {
  {
    find "$out/work" \( -path '*/artifacts/*' -o -path '*/round-*/*.trace' \) -type f 2>/dev/null
    find "$corpus_dir" -path "*/pending/$run_id-afl/*" \( -path '*/crashes/id:*' -o -path '*/hangs/id:*' \) \
      -type f 2>/dev/null
  } | grep -vc '/slow-unit-'
}

fmt_time() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

schedule_progress() {
  local phase=$1 line t e i end dir pid
  line="campaign $(fmt_time $((SECONDS - campaign_began)))/$(fmt_time "$budget_seconds") $phase"
  for t in "${targets[@]}"; do
    local rate=0 r
    for pid in "${!schedule_running[@]}"; do
      read -r e i end dir <<<"${schedule_running[$pid]#* }"
      [[ ${schedule_running[$pid]%% *} == "$t" ]] || continue
      r=$(worker_exec_rate "$e" "$dir" "$t" "$i")
      [[ $r =~ ^[0-9]+$ ]] && rate=$((rate + r))  # AFL++ says "inf" at first
    done
    line+=" | $t: $rate exec/s, corpus $(($(store_count "$t") + $(store_pending_count "$t"))), asm $(coverage_latest "$t")"
  done
  line+=" | raw findings: $(schedule_raw_findings)"
  echo "$line" >&2
}

# schedule_run DEADLINE: runs the queue; returns when every worker has ended.
schedule_run() {
  local deadline=$1 next=0 next_progress=$SECONDS weights pid t e i w
  while :; do
    for pid in "${!schedule_running[@]}"; do
      kill -0 "$pid" 2>/dev/null || schedule_reap "$pid"
    done
    while ((${#schedule_running[@]} < jobs && next < ${#schedule_queue[@]})); do
      local left=$((deadline - SECONDS))
      # Every entry is promised 3 s of a core; with less left it is
      # skipped, not started to run nothing.
      ((left >= 3)) || break
      weights=0
      local k
      for ((k = next; k < ${#schedule_queue[@]}; k++)); do weights=$((weights + ${schedule_queue[k]##* })); done
      local pool=$((jobs * left - $(schedule_held)))
      # Workers end later than planned (about a second or two each): each
      # share is cut by the mean overrun so far, and each entry after this
      # one is kept 3 s plus that overrun, else the last entries of the
      # queue find no time left.
      local overrun=0
      ((schedule_reaped > 0)) && overrun=$(((schedule_overrun_seconds + schedule_reaped - 1) / schedule_reaped))
      local share=$((pool * ${schedule_queue[next]##* } / weights - overrun))
      # Never so much that an entry after it gets less than 3 s of a core.
      local after=$((${#schedule_queue[@]} - next - 1))
      ((share > pool - (3 + overrun) * after)) && share=$((pool - (3 + overrun) * after))
      ((share < 3)) && share=3
      ((share > left)) && share=$left
      schedule_launch "${schedule_queue[next]}" "$share"
      next=$((next + 1))
    done
    if ((${#schedule_running[@]} == 0)) && { ((next >= ${#schedule_queue[@]})) || ((deadline - SECONDS < 3)); }; then
      # Entries the time did not reach are in the report as workers that
      # never ran (a row of state/workers.tsv whose status says why).
      local why="skipped: no time left"
      for ((; next < ${#schedule_queue[@]}; next++)); do
        read -r t e i w <<<"${schedule_queue[next]}"
        printf '%s\t%s\t%s\t0\t%s\n' "$t" "$e" "$i" "$why" >>"$out/state/schedule.tsv"
        printf '%s\t%s\t%s\t0\t0\t%s\t-\n' "$t" "$e" "$i" "$why" >>"$out/state/workers.tsv"
      done
      break
    fi
    # A worker that outlives its time by this much is stopped.
    if ((SECONDS > deadline + 10)); then
      schedule_stop_all
      break
    fi
    if ((SECONDS >= next_progress)); then
      schedule_progress fuzzing
      next_progress=$((SECONDS + 5))
    fi
    sleep 1
  done
}
