#!/usr/bin/env bash
# campaign_smoke.sh REPO BUILD WORK ENGINES: two short campaigns on one kept
# corpus (target arena).  The first must write every report and a complete
# first generation; the second must start from it, report the corpus before
# and after, and end with no less assembly coverage.  A third, stopped with
# SIGTERM while it fuzzes, must exit 130 with its reports written and the
# corpus untouched.
set -uo pipefail
repo=$1 build=$2 work=$3 engines=$4
source "$(dirname "$0")/campaign_check.sh"
rm -rf "$work"
mkdir -p "$work"

campaign() {
  (exec bash "$repo/ci/campaign.sh" --no-build --skip-setup --build-dir "$build" --minutes 0.34 --jobs 2 \
    --targets arena --engines "$engines" --corpus-dir "$work/kept" --out "$work/$1" 2>"$work/$1.stderr")
}

campaign first || fail "the first campaign exited $? ($(tail -n3 "$work/first.stderr"))"
for f in report.md report.html report.json findings.sarif plots/arena.svg coverage/arena.html; do
  [[ -s $work/first/$f ]] || fail "the first campaign wrote no $f"
done
grep -q '^campaign 0:[0-9]*/0:20 fuzzing | arena: [0-9]* exec/s, corpus [0-9]*, asm [0-9?]' "$work/first.stderr" ||
  fail "no progress line on stderr"
grep -q '"schema": "mf-campaign-report/1"' "$work/first/report.json" || fail "report.json has no schema"
grep -q '"version": "2.1.0"' "$work/first/findings.sarif" || fail "findings.sarif is not SARIF 2.1.0"
[[ $(corpus_row "$work/first" arena after 6) == merged ]] || fail "the first campaign did not merge: $(corpus_row "$work/first" arena after 6)"
gen=$(check_corpus_intact "$work/kept/arena") || exit 1
[[ $gen == gen-0001 ]] || fail "the first campaign made $gen, not gen-0001"
inputs_first=$(corpus_row "$work/first" arena after 4)
cov_first=$(coverage_after_merge "$work/first" arena)
[[ -n $cov_first ]] || fail "the first campaign measured no coverage after its merge"

campaign second || fail "the second campaign exited $? ($(tail -n3 "$work/second.stderr"))"
[[ $(corpus_row "$work/second" arena before 4) == "$inputs_first" ]] ||
  fail "the second campaign started from $(corpus_row "$work/second" arena before 4) inputs, not the first one's $inputs_first"
[[ $(corpus_row "$work/second" arena before 3) == 1 ]] || fail "the second campaign did not start from generation 1"
gen=$(check_corpus_intact "$work/kept/arena") || exit 1
[[ $gen == gen-0002 ]] || fail "the second campaign made $gen, not gen-0002"
cov_second=$(coverage_after_merge "$work/second" arena)
((cov_second >= cov_first)) || fail "coverage fell from $cov_first to $cov_second branch directions"
grep -q "| arena | $inputs_first | " "$work/second/report.md" || fail "report.md does not show the corpus before"
gen=$(check_corpus_intact "$work/kept/arena") || exit 1
(exec bash "$repo/ci/campaign.sh" --no-build --skip-setup --build-dir "$build" --minutes 0.34 --jobs 2 \
  --targets arena --engines "$engines" --corpus-dir "$work/kept" --out "$work/stopped" 2>"$work/stopped.stderr") &
pid=$!
until grep -q $'^status\tfuzzing' "$work/stopped/state/campaign.tsv" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || fail "the third campaign ended before it fuzzed"
  sleep 0.1
done
sleep 2
kill -TERM "$pid"
wait "$pid"
status=$?
((status == 130)) || fail "the campaign stopped by SIGTERM exited $status, not 130"
grep -q '^- status: interrupted by SIGTERM' "$work/stopped/report.md" || fail "report.md does not say it was interrupted"
[[ $(check_corpus_intact "$work/kept/arena") == "$gen" ]] || fail "the interrupted campaign changed the corpus"
echo "PASS: $inputs_first inputs and $cov_first directions after the first campaign, $(corpus_row "$work/second" arena after 4) and $cov_second after the second"
