#!/usr/bin/env bash
# campaign_scheduler.sh REPO WORK: the campaign's scheduler
# (ci/campaign/scheduler.sh) with stub workers that sleep through their
# time.  One core, four entries: in 8 s the first entries run, each given
# at least the 3 s a worker is promised, and those the time does not reach
# are rows of state/workers.tsv that say so (the report shows them as not
# run), never workers started with a second or two to run nothing; in 29 s
# all four run even when every worker ends 3 s after its share.
set -uo pipefail
repo=$1 work=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work"

# scenario NAME OVERRUN SECONDS: four entries on one core for SECONDS,
# stub workers that end OVERRUN seconds after their share; prints the
# number of workers that ran and of entries skipped.
scenario() {
  local name=$1 seconds=$3
  (
    stub_late=$2  # global in this subshell: the scheduler's own locals cannot hide it
    # What scheduler.sh uses from the rest of the campaign.
    out=$work/$name corpus_dir=$work/$name/corpus run_id=test jobs=1 budget_seconds=$seconds campaign_began=$SECONDS
    targets=(arena pool) engines=(stub)
    mkdir -p "$out/state" "$corpus_dir"
    : >"$out/state/schedule.tsv"
    : >"$out/state/workers.tsv"
    worker_stub() {  # TARGET INSTANCE SECONDS DIR: sleeps through its time and then some
      sleep $(($3 + stub_late))
      printf 'execs=%s\nseconds=%s\nstatus=0\n' "$3" "$3" >"$4/stats"
    }
    worker_exec_rate() { echo 1; }
    store_current() { :; }
    store_pending_dirs() { :; }
    store_count() { echo 0; }
    store_pending_count() { echo 0; }
    coverage_measure() { :; }
    coverage_latest() { echo "?"; }
    # shellcheck source=../../ci/campaign/scheduler.sh
    source "$repo/ci/campaign/scheduler.sh"
    schedule_queue=("arena stub 0 60" "arena stub 1 60" "pool stub 0 60" "pool stub 1 60")
    schedule_run $((SECONDS + seconds)) 2>"$out/progress.txt"

    local started
    started=$(awk -F'\t' '$5 == "started"' "$out/state/schedule.tsv")
    [[ -n $started ]] || fail "$name: no entry was started: $(cat "$out/state/schedule.tsv")"
    while IFS=$'\t' read -r t e i given what; do
      ((given >= 3)) || fail "$name: $t $e $i was started with $given s, less than the 3 s promised"
    done <<<"$started"
    local ran skipped
    ran=$(awk -F'\t' '$6 == "0"' "$out/state/workers.tsv" | wc -l)
    skipped=$(awk -F'\t' '$6 == "skipped: no time left" && $4 == 0 && $5 == 0 && $7 == "-"' "$out/state/workers.tsv" | wc -l)
    ((ran + skipped == 4)) ||
      fail "$name: $ran workers ran and $skipped were skipped, of 4 entries: $(cat "$out/state/workers.tsv")"
    [[ $(awk -F'\t' '$5 ~ /^skipped/' "$out/state/schedule.tsv" | wc -l) == "$skipped" ]] ||
      fail "$name: state/schedule.tsv and state/workers.tsv disagree on the skipped entries"
    echo "$ran $skipped"
  )
}

# 8 s are too few for four entries of 3 s: those the time does not reach
# are skipped and recorded, none is started with less than 3 s.
read -r ran skipped < <(scenario short 0 8) || exit 1
[[ -n ${ran:-} ]] || fail "the short scenario failed"
((ran >= 1)) || fail "no worker ran to its end in 8 s"
((skipped >= 1)) || fail "no entry was skipped in 8 s of one core"
# 29 s are enough for four entries when each worker ends 3 s late, if the
# shares leave room for the overrun once it is known (without that, the
# fourth entry found 2 s or less left and was skipped).
read -r ran_late skipped_late < <(scenario late 3 29) || exit 1
[[ -n ${ran_late:-} ]] || fail "the late scenario failed"
((skipped_late == 0)) || fail "with workers 3 s late, $skipped_late of 4 entries were skipped in 29 s"
echo "PASS: in 8 s $ran workers ran (each with at least 3 s) and $skipped were skipped and recorded;" \
  "in 29 s with workers 3 s late, all $ran_late ran"
