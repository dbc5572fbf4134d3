#!/usr/bin/env bash
# The mutation campaign of issue 14 and its report, docs/harness-strength.md:
# every mutant `mfh mutate` makes of arena.s, pool.s, alloc.s and
# daemon_cleaner.s (about two hours on two cores from nothing; a sample, the
# same ids on every machine, with the variables below).
#
#   bash ci/mutate.sh                 build mfh, run (or resume) the campaign, write the report
#   bash ci/mutate.sh --report-only   only write the report from the results there are
#
# Environment: MF_BUILD_DIR (default build), MF_MUTATE_JOBS (default 2),
# MF_MUTATE_ALLOC_SAMPLE / MF_MUTATE_DAEMON_SAMPLE (default 0 / 0; 0:
# every mutant), MF_MUTATE_PROOF_SECONDS (default 60, of CPU time),
# MF_MUTATE_STAGE_SECONDS (default 120, of CPU time: each run of the
# corpora, rapidcheck and fuzz stages; a kill only when stopped again at 4
# times that), MF_MUTATE_NOTE (appended to the report's note: how a
# campaign that was resumed or rechecked in parts was run), MF_MUTATE_DAEMON_SECONDS
# (default 300: the daemon stage's limit, of
# wall-clock time: tests/daemon's suite, which sleeps and waits, for each
# survivor of the other stages of daemon_cleaner.s and each mutant of the
# functions only it runs), MF_MUTATE_RESULTS (default
# docs/harness-strength.tsv).  The results are appended as they come, so an
# interrupted run resumes where it stopped; delete that file to start over.
# They are kept in the repository beside the report, one line per mutant
# (compacted at the end of each run), so that the report can be regenerated,
# and some mutants checked again (`mfh mutate ... --only ID --results
# docs/harness-strength.tsv`), on any machine without the hours of the whole
# campaign.  Runs under `nice`: the campaign takes every core it is given
# for tens of minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${MF_BUILD_DIR:-build}
jobs=${MF_MUTATE_JOBS:-2}
alloc_sample=${MF_MUTATE_ALLOC_SAMPLE:-0}
daemon_sample=${MF_MUTATE_DAEMON_SAMPLE:-0}
seed=1
# A proof still running after this long counts as no verdict and the fuzz
# runs: on a loaded machine a mutant can keep the solver busy for minutes.
proof_seconds=${MF_MUTATE_PROOF_SECONDS:-60}  # pool_alloc, the longest proof, takes about 34 s of CPU here
daemon_seconds=${MF_MUTATE_DAEMON_SECONDS:-300}
stage_seconds=${MF_MUTATE_STAGE_SECONDS:-120}
mfh="$build_dir/harness/mfh/mfh"
results=${MF_MUTATE_RESULTS:-docs/harness-strength.tsv}

report_only=false
case "${1:-}" in
  --report-only) report_only=true ;;
  "") ;;
  *) echo "usage: bash ci/mutate.sh [--report-only]" >&2; exit 2 ;;
esac

sample_args() {  # $1: the sample size, 0 for all
  if [ "$1" -gt 0 ]; then echo "--sample $1 --seed $seed"; fi
}
campaign=(
  "asm/arena.s"
  "asm/pool.s"
  "asm/alloc.s $(sample_args "$alloc_sample")"
  "asm/daemon_cleaner.s $(sample_args "$daemon_sample")"
)

if ! $report_only; then
  if [ ! -d "$build_dir" ]; then
    cc=$(command -v "${CC:-clang}")
    cxx=$(command -v "${CXX:-clang++}")
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_CXX_COMPILER="$cxx"
  fi
  # mfh, and with it what its check build links and the prover (when Z3 is there).
  cmake --build "$build_dir" --target mfh
  for args in "${campaign[@]}"; do
    # shellcheck disable=SC2086  # the arguments are words on purpose
    nice -n 10 "$mfh" mutate $args --jobs "$jobs" --proof-seconds "$proof_seconds" --daemon-seconds "$daemon_seconds" \
      --stage-seconds "$stage_seconds" --results "$results" || [ $? -eq 1 ]  # 1: survivors, which the report lists
  done
fi

if [ ! -x "$mfh" ]; then
  echo "ci/mutate.sh: no $mfh: build first (bash ci/mutate.sh without --report-only)" >&2
  exit 2
fi
note="Mutants checked: every one of arena.s and pool.s"
[ "$alloc_sample" -gt 0 ] && note+="; of alloc.s a sample of $alloc_sample (--sample $alloc_sample --seed $seed)" \
  || note+="; every one of alloc.s"
[ "$daemon_sample" -gt 0 ] && note+="; of daemon_cleaner.s a sample of $daemon_sample (--sample $daemon_sample --seed $seed)" \
  || note+="; every one of daemon_cleaner.s"
note+=". Stage budget: 5 RapidCheck rounds of 200 cases per target (seeds 1-5), the function's code proof (no verdict after ${proof_seconds} s of CPU time), 30000 fuzz runs or 5 s per target (seed 1), each run of those stages but the proof stopped after ${stage_seconds} s of CPU time (a kill only when stopped again after $((4 * stage_seconds)) s), for daemon_cleaner.s tests/daemon's real-OS suite (stopped at its first failure, or a kill after ${daemon_seconds} s); $jobs jobs at once under nice."
[ -n "${MF_MUTATE_NOTE:-}" ] && note+=" $MF_MUTATE_NOTE"
"$mfh" mutate --report docs/harness-strength.md --results "$results" --command "bash ci/mutate.sh" --note "$note"
