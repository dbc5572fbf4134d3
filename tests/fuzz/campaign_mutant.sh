#!/usr/bin/env bash
# campaign_mutant.sh REPO WORK MUTANT: the campaign against a broken SUT.
# Builds with MF_ASM_OVERRIDES = the file tests/mutants/MUTANT.sed breaks,
# then, over that mutant's target:
#   1. a campaign with no regression traces to mark the bug known: it must
#      exit 1 and report the bug once per signature, as a regression trace of
#      at most 6 ops; `mfh reproduce` on a raw crash file must print the
#      divergence;
#   2. a campaign killed with SIGKILL while it triages: the kept corpus whole;
#   3. a campaign with that signature in a known-findings file: exit 0.
set -uo pipefail
repo=$1 work=$2 mutant=$3
source "$(dirname "$0")/campaign_check.sh"
script=$repo/tests/mutants/$mutant.sed
[[ -f $script ]] || fail "no mutant $script"
file=$(sed -n 's/^# mutates: *\([^ ]*\).*/\1/p' "$script")
changes=$(sed -n 's/^# changes: *\([0-9]*\).*/\1/p' "$script")
# The registry's declaration (tests/mutants/mutant_registry.cmake): the
# signature names the target to fuzz.
signature=$(sed -n 's/^# signature: *//p' "$script")
target=$(sed -n 's/^MF-DIVERGENCE target=\([a-z]*\) .*/\1/p' <<<"$signature")
[[ -n $target ]] || fail "$script declares no signature with a target"
mkdir -p "$work/broken"
cmake -DSED="$(command -v sed)" -DSCRIPT="$script" -DSOURCE="$repo/asm/$file" -DOUTPUT="$work/broken/$file" \
  -DCHANGES="$changes" -P "$repo/tests/mutants/apply_mutation.cmake" || fail "the mutation does not apply"
build=$work/build
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMF_ASM_OVERRIDES="$work/broken/$file" \
  -DCMAKE_C_COMPILER="$(command -v clang)" -DCMAKE_CXX_COMPILER="$(command -v clang++)" >"$work/configure.log" 2>&1 ||
  fail "configuring the mutant build failed (see $work/configure.log)"
mkdir -p "$work/no-regressions"
echo "# none" >"$work/none.txt"

campaign() {  # NAME [ARGS...]
  local name=$1
  shift
  bash "$repo/ci/campaign.sh" --skip-setup --build-dir "$build" --minutes 0.5 --targets "$target" \
    --engines libfuzzer,property --corpus-dir "$work/kept" --out "$work/$name" --regressions "$work/no-regressions" "$@" \
    2>"$work/$name.stderr"
}

# libFuzzer writes a crashing input into its working directory unless told
# where: a campaign (which runs from the checkout's root) must tell it.
strays() { find "$repo" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort; }
strays_before=$(strays)
rm -rf "$work/kept" "$work/found" "$work/killed" "$work/known"
campaign found --known "$work/none.txt"
status=$?
[[ $(strays) == "$strays_before" ]] || fail "the campaign wrote libFuzzer's artifacts into the checkout: $(comm -13 <(echo "$strays_before") <(strays) | tr '\n' ' ')"
((status == 1)) || fail "the campaign against $mutant exited $status, not 1 ($(tail -n3 "$work/found.stderr"))"
mapfile -t new < <(awk -F'\t' '$2 == "new" { print $4 "\t" $5 }' "$work/found/state/findings.tsv")
((${#new[@]} >= 1)) || fail "no new finding listed"
signatures=$(printf '%s\n' "${new[@]}" | cut -f1 | sort | uniq -d)
[[ -z $signatures ]] || fail "a signature was reported twice: $signatures"
for row in "${new[@]}"; do
  folder=$work/found/findings/$target/$(cut -f2 <<<"$row")
  ops=$(grep -cvE '^(#|$)' "$folder/regression.trace")
  ((ops <= 6)) || fail "$folder/regression.trace has $ops ops, more than 6"
  echo "new: $(cut -f1 <<<"$row") ($ops ops)"
done
raw=$(find "$work/found/work/$target" -path '*/raw-findings/*' -type f | head -n1)
[[ -n $raw ]] || fail "no raw crash file kept"
"$build/harness/mfh/mfh" reproduce --target="$target" "$raw" >"$work/reproduce.out" 2>&1
status=$?
((status == 1)) || fail "mfh reproduce $raw exited $status, not 1"
grep -q '^MF-DIVERGENCE\|MF-DIVERGENCE ' "$work/reproduce.out" || fail "mfh reproduce printed no signature"
grep -qi 'divergence' "$work/reproduce.out" || fail "mfh reproduce printed no divergence"

# 2. Killed during triage.
before=$(check_corpus_intact "$work/kept/$target") || exit 1
setsid bash "$repo/ci/campaign.sh" --skip-setup --no-build --build-dir "$build" --minutes 0.5 --targets "$target" \
  --engines libfuzzer,property --corpus-dir "$work/kept" --out "$work/killed" --regressions "$work/no-regressions" \
  --known "$work/none.txt" 2>"$work/killed.stderr" &
sid=$!
until grep -q $'^status\ttriaging' "$work/killed/state/campaign.tsv" 2>/dev/null; do
  kill -0 "$sid" 2>/dev/null || fail "the campaign ended before it triaged"
  sleep 0.02
done
sleep 0.$((RANDOM % 5))
pkill -KILL -s "$sid"
wait "$sid" 2>/dev/null
after=$(check_corpus_intact "$work/kept/$target") || exit 1
echo "killed while triaging: the corpus is $after (was $before), whole"

# 3. Known.
{
  for row in "${new[@]}"; do echo "$(cut -f1 <<<"$row") | the mutant $mutant, on purpose"; done
} >"$work/known.txt"
campaign known --no-build --known "$work/known.txt"
status=$?
if ((status != 0)); then
  awk -F'\t' '$2 == "new"' "$work/known/state/findings.tsv" >&2
  fail "with its signatures known the campaign exited $status, not 0"
fi
grep -q 'known' "$work/known/report.md" || fail "report.md lists no known finding"
echo "PASS: $mutant found, minimised, reproduced; the corpus survived a kill in triage; known, it passes"
