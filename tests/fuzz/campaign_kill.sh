#!/usr/bin/env bash
# campaign_kill.sh REPO BUILD WORK ENGINES: campaigns killed with SIGKILL
# (the whole session: the script and every engine) at random moments of
# fuzzing, merging and triage.  After each kill the kept corpus must be
# whole: a current generation whose every file is complete, either the one
# from before the kill or a new complete one that covers at least as many
# of the assembly's branch directions; and the next campaign must run to
# its end and merge.
set -uo pipefail
repo=$1 build=$2 work=$3 engines=$4
source "$(dirname "$0")/campaign_check.sh"
rm -rf "$work"
mkdir -p "$work"
mfh_cov=$build/harness/mfh/mfh-cov
run=0

campaign_args() {
  echo --no-build --skip-setup --build-dir "$build" --minutes 0.5 --jobs 2 --targets arena --engines "$engines" \
    --corpus-dir "$work/kept" --out "$work/run-$run"
}

# kill_when WHAT: starts a campaign in a new session and kills the session
# with SIGKILL at the moment WHAT (fuzzing, merging, triaging, anytime).
kill_when() {
  local what=$1
  run=$((run + 1))
  # shellcheck disable=SC2046
  setsid bash "$repo/ci/campaign.sh" $(campaign_args) 2>"$work/run-$run.stderr" &
  local sid=$! status_file=$work/run-$run/state/campaign.tsv waited=0
  local delay_ms=$((RANDOM % 1500))
  case $what in
    anytime) delay_ms=$((RANDOM % 25000)) ;;
    fuzzing) delay_ms=$((RANDOM % 8000)) ;;
  esac
  if [[ $what == merging ]]; then
    # The merge of one small corpus lasts about a second: from the moment its
    # folder appears, at most 0.4 s on.
    delay_ms=$((RANDOM % 400))
    # (A merging/ folder a killed merge left is there from the start.)
    until [[ -d $work/kept/arena/merging && -f $status_file ]] &&
      grep -q $'^status\tmerging' "$status_file"; do
      sleep 0.02
      waited=$((waited + 1))
      kill -0 "$sid" 2>/dev/null || break
      ((waited < 3000)) || fail "run $run never reached the merge"
    done
  elif [[ $what != anytime ]]; then
    # Wait for the phase (state/campaign.tsv's last status), then a random delay inside it.
    until [[ -f $status_file ]] && awk -F'\t' '$1 == "status" { s = $2 } END { exit !(s ~ "^'"$what"'") }' "$status_file"; do
      sleep 0.05
      waited=$((waited + 1))
      kill -0 "$sid" 2>/dev/null || break
      ((waited < 1200)) || fail "run $run never reached '$what'"
    done
  fi
  sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  local last
  last=$(awk -F'\t' '$1 == "status" { s = $2 } END { print s }' "$status_file" 2>/dev/null)
  # pkill reads the process list, then signals each process in turn: a
  # process that forks in between leaves a child that was not on the list.
  # A real kill of the whole session (a CI job's cgroup) takes every
  # process at once, so the kill is repeated until none is left.
  # Zombies do not count: their parent is gone and the system reaps them.
  local tries=0
  pkill -KILL -s "$sid" 2>/dev/null
  wait "$sid" 2>/dev/null
  while ps -o stat= -s "$sid" | grep -qv '^Z' && ((tries < 30)); do
    pkill -KILL -s "$sid" 2>/dev/null
    sleep 0.1
    tries=$((tries + 1))
  done
  if ps -o stat= -s "$sid" | grep -qv '^Z'; then
    ps -o pid,stat,args -s "$sid" >&2
    fail "processes of run $run outlived the kill"
  fi
  echo "run $run: killed ${delay_ms} ms into '$what' (status then: ${last:-not started})"
}

# A first generation to protect.
run=0
# shellcheck disable=SC2046
bash "$repo/ci/campaign.sh" $(campaign_args) 2>"$work/run-0.stderr" || fail "the first campaign exited $?"
before_gen=$(check_corpus_intact "$work/kept/arena") || exit 1

for what in fuzzing fuzzing merging merging anytime anytime; do
  rm -rf "$work/snapshot"
  cp -a "$work/kept/arena/$before_gen" "$work/snapshot"
  kill_when "$what"
  gen=$(check_corpus_intact "$work/kept/arena") || exit 1
  if [[ $gen == "$before_gen" ]]; then
    diff -r "$work/snapshot" "$work/kept/arena/$gen" >/dev/null || fail "generation $gen changed under the kill"
  else
    old=$(asm_directions "$mfh_cov" arena "$work/snapshot")
    new=$(asm_directions "$mfh_cov" arena "$work/kept/arena/$gen")
    ((new >= old)) || fail "the new generation $gen covers $new branch directions, the one before $old"
    echo "  a complete new generation $gen: $new branch directions (before: $old)"
  fi
  before_gen=$gen
done

run=$((run + 1))
# shellcheck disable=SC2046
bash "$repo/ci/campaign.sh" $(campaign_args) 2>"$work/run-$run.stderr" ||
  fail "the campaign after the kills exited $? ($(tail -n3 "$work/run-$run.stderr"))"
[[ $(corpus_row "$work/run-$run" arena after 6) == merged ]] || fail "the campaign after the kills did not merge"
check_corpus_intact "$work/kept/arena" >/dev/null || exit 1
[[ -z $(ls -A "$work/kept/arena/pending") ]] || fail "pending inputs were left after a complete merge: $(ls "$work/kept/arena/pending")"
echo "PASS: 6 kills, the corpus whole after each, and the next campaign merged"
