# shellcheck shell=bash
# merge.sh - after fuzzing, the kept corpus of a target is merged and
# minimised with the engines' own tools (sourced by ci/campaign.sh):
#
#   1. afl-cmin reduces this campaign's AFL++ queues to the inputs that add
#      AFL coverage (it replaces the sync directory in pending/);
#   2. libFuzzer's -merge=1 takes the current generation, the seeds and every
#      pending folder, and keeps each input that adds a coverage feature of
#      the fuzz target: the model and harness (compiler instrumentation) and
#      the assembly (its probes, counted as libFuzzer extra counters);
#   3. the output becomes the next generation (store_commit).
#
# -merge_control_file keeps libFuzzer's progress in merging/merge.ctl: a
# merge whose child process dies resumes where it stopped, and a merge that
# a killed campaign left behind is resumed by the next campaign before its
# own.  Uses: build_dir, seeds_dir, run_id, store_* functions.

# merge_run TARGET LOG SECONDS DIR...: libFuzzer's merge of DIR... into
# merging/gen, with the control file; the folders are saved in merging/args
# first, so that a resumed merge gets the same ones.
merge_run() {
  local target=$1 log=$2 seconds=$3
  shift 3
  local m
  m=$(store_dir "$target")/merging
  mkdir -p "$m/gen" "$m/artifacts" || return 1
  printf '%s\n' "$@" >"$m/args.tmp" && mv -f "$m/args.tmp" "$m/args"
  # A crashing input makes the merge's child write it out, by default into
  # the working directory (the checkout): the workers have already kept it.
  timeout --kill-after=5 "$seconds" "$(fuzz_bin "fuzz_$target")" -merge=1 -merge_control_file="$m/merge.ctl" \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$m/artifacts/" "$m/gen" "$@" >>"$log" 2>&1
}

# The pending folders (pending/<name>) that the folders listed took inputs from.
merge_consumed() {
  local pending=$1
  shift
  local d
  for d in "$@"; do
    [[ $d == "$pending"/* ]] || continue
    d=${d#"$pending"/}
    echo "$pending/${d%%/*}"
  done | sort -u
}

# merge_resume TARGET LOG SECONDS: finishes the merge a killed campaign left.
merge_resume() {
  local target=$1 log=$2 seconds=$3
  local dir m
  dir=$(store_dir "$target")
  m=$dir/merging
  [[ -d $m ]] || return 0
  local args=() d ok=1
  if [[ -s $m/merge.ctl && -s $m/args ]]; then
    mapfile -t args <"$m/args"
    for d in "${args[@]}"; do [[ -d $d ]] || ok=0; done
  else
    ok=0
  fi
  if ((ok)); then
    echo "== resuming the merge a killed campaign left (${#args[@]} folders)" >>"$log"
    # When the control file says the merge was complete, libFuzzer writes
    # nothing: its output may be partial, so it is merged again instead.
    if merge_run "$target" "$log" "$seconds" "${args[@]}" && ! grep -q 'nothing to do' "$log"; then
      mapfile -t consumed < <(merge_consumed "$dir/pending" "${args[@]}")
      store_commit "$target" "$m/gen" "${consumed[@]}" || return 1
      echo "resumed"
    fi
  fi
  rm -rf "$m"
}

# merge_afl_cmin TARGET LOG SECONDS: afl-cmin over this campaign's AFL++
# queues; its output replaces the sync directory in pending/.
merge_afl_cmin() {
  local target=$1 log=$2 seconds=$3
  local pending sync flat
  pending=$(store_dir "$target")/pending
  sync=$pending/$run_id-afl
  compgen -G "$sync/*/queue/id:*" >/dev/null || return 0
  flat=$pending/.$run_id-afl-queue
  rm -rf "$flat" "$pending/.$run_id-afl-cmin"
  mkdir -p "$flat"
  local q
  # The instances number their inputs alike: a repeated name gets a suffix.
  for q in "$sync"/*/queue; do cp --backup=numbered -t "$flat" "$q"/id:* 2>/dev/null; done
  if timeout --kill-after=5 "$seconds" env AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_ALLOW_TMP=1 \
    afl-cmin -i "$flat" -o "$pending/.$run_id-afl-cmin" -t 10000 -- "$(fuzz_bin "afl_fuzz_$target")" >>"$log" 2>&1 &&
    compgen -G "$pending/.$run_id-afl-cmin/*" >/dev/null; then
    # The rename makes the reduced folder visible at once; the sync folder
    # goes only after it (a kill between the two leaves both: no loss).
    mv -T "$pending/.$run_id-afl-cmin" "$pending/$run_id-afl-cmin" && rm -rf "$sync"
    echo "afl-cmin: $(find "$flat" -type f | wc -l) queue inputs -> $(find "$pending/$run_id-afl-cmin" -type f | wc -l)" >>"$log"
  else
    echo "afl-cmin did not finish; the merge takes the whole AFL++ queues" >>"$log"
  fi
  rm -rf "$flat" "$pending/.$run_id-afl-cmin"
}

# merge_target TARGET SECONDS LOG: the three steps; prints "merged", or why not.
merge_target() {
  local target=$1 seconds=$2 log=$3
  local deadline=$((SECONDS + seconds)) dir
  dir=$(store_dir "$target")
  merge_resume "$target" "$log" "$seconds" >/dev/null
  # afl-cmin gets a quarter of the time, when there is enough (it needs a
  # few seconds per thousand inputs): libFuzzer's merge is the one that must
  # finish, and it reduces the AFL++ queues too when afl-cmin does not run.
  if [[ " ${engines[*]} " == *" afl "* ]] && ((deadline - SECONDS >= 20)); then
    merge_afl_cmin "$target" "$log" $(((deadline - SECONDS) / 4))
  fi
  local inputs=() current d
  current=$(store_current "$target")
  [[ -n $current ]] && inputs+=("$(cd "$current" && pwd -P)")
  inputs+=("$seeds_dir/$target")
  while read -r d; do inputs+=("$d"); done < <(store_pending_dirs "$target")
  echo "== merge of ${#inputs[@]} folders" >>"$log"
  if ((deadline - SECONDS < 2)); then
    echo "no time left to merge"
    return 1
  fi
  if ! merge_run "$target" "$log" $((deadline - SECONDS)) "${inputs[@]}"; then
    echo "the merge did not finish (the pending inputs wait for the next campaign; see $log)"
    return 1
  fi
  local consumed=()
  mapfile -t consumed < <(merge_consumed "$dir/pending" "${inputs[@]}")
  store_commit "$target" "$dir/merging/gen" "${consumed[@]}" || {
    echo "could not make the merge the current generation"
    return 1
  }
  rm -rf "$dir/merging"
  echo "merged"
}
