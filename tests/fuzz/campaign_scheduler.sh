#!/usr/bin/env bash
# campaign_scheduler.sh REPO WORK: the campaign's scheduler
# (ci/campaign/scheduler.sh) with stub workers that sleep through their
# time.  One core, four entries and 8 s: the first entries run, each given
# at least the 3 s a worker is promised, and those the time does not reach
# are rows of state/workers.tsv that say so (the report shows them as not
# run), never workers started with a second or two to run nothing.
set -uo pipefail
repo=$1 work=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work/out/state" "$work/corpus"

# What scheduler.sh uses from the rest of the campaign.
out=$work/out corpus_dir=$work/corpus run_id=test jobs=1 budget_seconds=8 campaign_began=$SECONDS
targets=(arena pool) engines=(stub)
: >"$out/state/schedule.tsv"
: >"$out/state/workers.tsv"
worker_stub() {  # TARGET INSTANCE SECONDS DIR: sleeps through its time
  sleep "$3"
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
schedule_run $((SECONDS + 8)) 2>"$work/progress.txt"

started=$(awk -F'\t' '$5 == "started"' "$out/state/schedule.tsv")
[[ -n $started ]] || fail "no entry was started: $(cat "$out/state/schedule.tsv")"
while IFS=$'\t' read -r t e i seconds what; do
  ((seconds >= 3)) || fail "$t $e $i was started with $seconds s, less than the 3 s promised"
done <<<"$started"
ran=$(awk -F'\t' '$6 == "0"' "$out/state/workers.tsv" | wc -l)
skipped=$(awk -F'\t' '$6 == "skipped: no time left" && $4 == 0 && $5 == 0 && $7 == "-"' "$out/state/workers.tsv" | wc -l)
((ran >= 1)) || fail "no worker ran to its end: $(cat "$out/state/workers.tsv")"
((skipped >= 1)) || fail "no entry was skipped in 8 s of one core: $(cat "$out/state/workers.tsv")"
((ran + skipped == 4)) ||
  fail "$ran workers ran and $skipped were skipped, of 4 entries: $(cat "$out/state/workers.tsv")"
[[ $(awk -F'\t' '$5 ~ /^skipped/' "$out/state/schedule.tsv" | wc -l) == "$skipped" ]] ||
  fail "state/schedule.tsv and state/workers.tsv disagree on the skipped entries"
echo "PASS: $ran workers ran (each with at least 3 s), $skipped skipped and recorded as not run"
