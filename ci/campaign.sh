#!/usr/bin/env bash
# campaign.sh - the README's main job: set up, build, and run a differential
# fuzz campaign over every target, on a corpus kept between campaigns.
#
#   bash ci/campaign.sh [--minutes N] [--jobs N] ...   (--help lists the flags)
#
# The phases, all inside one hard wall-clock budget that starts after the
# build (--minutes):
#   1. fuzz   libFuzzer, AFL++ and RapidCheck workers in parallel over --jobs
#             cores (ci/campaign/scheduler.sh, engines.sh), from the kept
#             corpus (ci/campaign/corpus_store.sh) and the seeds of
#             corpus/traces/ and corpus/regressions/;
#   2. merge  afl-cmin and libFuzzer's -merge=1 into the next generation of
#             the kept corpus (ci/campaign/merge.sh), and the assembly's
#             coverage of the result (ci/campaign/coverage.sh);
#   3. triage every input an engine reported, through `mfh triage`
#             (ci/campaign/triage.sh);
#   4. report `mfh report`: report.md, report.html, report.json,
#             findings.sarif, plots/, coverage/.
# Time a phase does not use goes to the next.  Every step appends to small
# state files under <out>/state/, from which the reports are made, so a
# campaign stopped at any point still reports what it did.
set -uo pipefail
caller_dir=$(pwd)
cd "$(dirname "$0")/.." || exit 2
repo_root=$(pwd)

for part in options corpus_store engines scheduler merge coverage triage; do
  # shellcheck source=/dev/null
  source "$repo_root/ci/campaign/$part.sh"
done
campaign_parse_options "$@"

die() {  # an error before the workers start
  echo "campaign: $*" >&2
  campaign_set status "failed: $*" 2>/dev/null
  exit 2
}

# ------------------------------------------------------- output directory --

if [[ -e $out && ! -d $out ]]; then die "output directory $out exists and is not a directory"; fi
if [[ -d $out && -n $(ls -A "$out" 2>/dev/null) ]]; then die "output directory $out is not empty; name a new one with --out"; fi
mkdir -p "$out/state" "$out/work" "$out/findings" 2>/dev/null || die "cannot create the output directory $out"
out=$(cd "$out" && pwd)
mkdir -p "$corpus_dir" 2>/dev/null || die "cannot create the corpus directory $corpus_dir"
corpus_dir=$(cd "$corpus_dir" && pwd)
for f in workers coverage findings corpus schedule; do : >"$out/state/$f.tsv"; done
: >"$out/state/errors.txt"
: >"$out/state/campaign.tsv" || die "cannot write into $out"

# campaign_set KEY VALUE: one line of state/campaign.tsv (the last one wins).
campaign_set() { printf '%s\t%s\n' "$1" "$2" >>"$out/state/campaign.tsv"; }

run_id=$(date -u +%Y%m%dT%H%M%SZ)-$$
campaign_set started "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
campaign_set commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(
  [[ -n $(git status --porcelain 2>/dev/null) ]] && echo ' (uncommitted changes)')"
campaign_set budget_seconds "$budget_seconds"
campaign_set jobs "$jobs"
campaign_set targets "${targets[*]}"
campaign_set engines "${engines[*]}"
campaign_set corpus_dir "$corpus_dir"
campaign_set known "$known_file"
campaign_set regressions "$regressions_dir"
campaign_set status "building"
echo "campaign: output in $out, kept corpus in $corpus_dir" >&2

# ------------------------------------------------------------ set-up, build --

if ((skip_setup == 0)); then
  bash ci/setup.sh >"$out/work/setup.log" 2>&1 || die "ci/setup.sh failed (see $out/work/setup.log)"
fi
if [[ " ${engines[*]} " == *" afl "* ]] && ! command -v afl-fuzz >/dev/null; then
  die "afl-fuzz not found (Debian package afl++, which ci/setup.sh installs)"
fi
build_targets=(mfh mfh-cov)
for t in "${targets[@]}"; do
  # The libFuzzer build is also the merge's tool, whichever engines run.
  build_targets+=("fuzz_$t")
done
# The AFL++ binaries are built by one custom target (afl-clang-fast++).
[[ " ${engines[*]} " == *" afl "* ]] && build_targets+=(mf_afl_fuzzers)
[[ " ${engines[*]} " == *" property "* ]] && build_targets+=(property_test)
if ((skip_build == 0)); then
  echo "campaign: building ${build_targets[*]} in $build_dir" >&2
  # clang (unless CC / CXX say otherwise): the fuzz targets need it.
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMF_BUILD_TESTS=ON \
    -DCMAKE_C_COMPILER="$(command -v "${CC:-clang}")" -DCMAKE_CXX_COMPILER="$(command -v "${CXX:-clang++}")" \
    >"$out/work/configure.log" 2>&1 || die "configuring failed (see $out/work/configure.log)"
  cmake --build "$build_dir" -j "$jobs" --target "${build_targets[@]}" >"$out/work/build.log" 2>&1 ||
    die "the build failed (see $out/work/build.log)"
fi
[[ -d $build_dir ]] || die "no build directory $build_dir"
build_dir=$(cd "$build_dir" && pwd)
for t in "${targets[@]}"; do
  [[ -x $build_dir/harness/fuzz/fuzz_$t ]] || die "$build_dir has no harness/fuzz/fuzz_$t (configured with clang?)"
done

# The seeds: corpus/traces/<target>/ and the regressions in binary form.
seeds_dir=$out/work/seeds
shopt -s nullglob  # a folder without traces adds none
for t in "${targets[@]}"; do
  "$build_dir/harness/mfh/mfh" convert --seeds --target="$t" --out-dir="$seeds_dir/$t" \
    corpus/traces/"$t"/*.trace "$regressions_dir"/*.trace >"$out/work/seeds-$t.log" 2>&1 ||
    die "converting the seeds of $t failed (see $out/work/seeds-$t.log)"
done
shopt -u nullglob

# ------------------------------------------------------------- the budget --

campaign_began=$SECONDS
campaign_end=$((SECONDS + budget_seconds))
# Merge, triage and reports get the last part of the budget: 25% of it,
# at least 20 s (half of a shorter one).  Of what is left when fuzzing ends, the merges get three
# quarters, triage the rest but 3 s (for the reports).
reserve=$((budget_seconds * 25 / 100))
min_reserve=$((budget_seconds / 2 < 20 ? budget_seconds / 2 : 20))
((reserve >= min_reserve)) || reserve=$min_reserve
fuzz_end=$((campaign_end - reserve))

finish() {  # STATUS_TEXT EXIT_CODE: the reports, then exit
  campaign_set status "$1"
  campaign_set elapsed_seconds $((SECONDS - campaign_began))
  campaign_set ended "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  if ! timeout 60 "$build_dir/harness/mfh/mfh" report "$out" >"$out/work/report.log" 2>&1; then
    echo "campaign: writing the reports failed (see $out/work/report.log)" >&2
    exit 2
  fi
  echo "campaign: $1; report in $out/report.md ($out/report.html)" >&2
  exit "$2"
}

on_signal() {
  trap - INT TERM
  echo "campaign: interrupted by SIG$1; stopping the workers (the kept corpus is intact)" >&2
  schedule_stop_all
  finish "interrupted by SIG$1: fuzzing results wait in the kept corpus's pending/ for the next merge" 130
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

for t in "${targets[@]}"; do
  store_recover "$t" || die "cannot use the kept corpus folder $(store_dir "$t")"
  printf '%s\tbefore\t%s\t%s\t%s\n' "$t" "$(store_generation "$t")" "$(store_count "$t")" \
    "$(store_pending_count "$t")" >>"$out/state/corpus.tsv"
  # The coverage the campaign starts from, measured while the workers run.
  (coverage_measure "$t" before "$seeds_dir/$t" "$(store_current "$t")" >/dev/null) &
done

# ----------------------------------------------------------------- phases --

campaign_set status "fuzzing"
schedule_build_queue
schedule_run "$fuzz_end"
wait  # the coverage measures still running

campaign_set status "merging"
merge_end=$((SECONDS + (campaign_end - SECONDS) * 3 / 4))
echo "campaign: fuzzing ended at $((SECONDS - campaign_began)) s; merging the corpora until $((merge_end - campaign_began)) s" >&2
# At most --jobs merges at once, each with an equal part of the time.
merges_left=${#targets[@]}
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n; done
  waves_left=$(((merges_left + jobs - 1) / jobs))
  merges_left=$((merges_left - 1))
  (
    result=$(merge_target "$t" $(((merge_end - SECONDS) / waves_left)) "$out/work/$t/merge.log")
    mkdir -p "$out/coverage"
    after=$(coverage_measure "$t" "after merge" --html "$out/coverage/$t.html" "$(store_current "$t")")
    printf '%s\tafter\t%s\t%s\t%s\t%s\n' "$t" "$(store_generation "$t")" "$(store_count "$t")" \
      "$(store_pending_count "$t")" "$result" >>"$out/state/corpus.tsv"
    echo "merge of $t ended at $((SECONDS - campaign_began)) s" >>"$out/work/$t/merge.log"
    [[ $result == merged ]] || echo "merge of $t: $result" >>"$out/state/errors.txt"
    echo "campaign: $t: $result, $(store_count "$t") inputs, asm branch directions ${after:-?}" >&2
  ) &
done
wait

campaign_set status "triaging"
for t in "${targets[@]}"; do
  left=$((campaign_end - 3 - SECONDS))
  ((left > 1)) || left=1
  triage_target "$t" "$left" || true
done

new=$(awk -F'\t' '$2 == "new"' "$out/state/findings.tsv" | wc -l)
errors=$(wc -l <"$out/state/errors.txt")
if ((errors > 0)); then finish "complete with $errors error(s) and $new new finding(s)" 2; fi
if ((new > 0)); then finish "complete: $new new finding(s)" 1; fi
finish "complete: no new finding" 0
