#!/usr/bin/env bash
# campaign.sh - the README's main job: set up everything, build, and run a
# short differential campaign over every target on defaults.
#
#   bash ci/campaign.sh
#
# For each target, each engine gets an equal share of the time budget and
# checks the assembly against the reference model; then every trace of the
# corpus (corpus/traces/, corpus/regressions/) is replayed through `mfh
# replay` in simulated and in native mode.  Everything goes into the output
# directory:
#
#   summary.md                 per target and engine: rounds, runs, ops run,
#                              findings, time; the corpus replay; the findings
#   findings/<target>/*.trace  each new finding, through `mfh triage`: one
#                              minimised regression trace per divergence
#                              signature, ready to drop into corpus/regressions/
#                              (a note next to it says how to reproduce it)
#   known/<target>/*.trace     findings whose signature is known (a trace of
#                              corpus/regressions/, corpus/known_findings.txt)
#                              or was already found in this campaign
#   work/                      every round's log and raw output
#
# summary.md is rewritten after every step, so a campaign that is killed
# leaves a readable report of what it did (its status then says so).
#
# Exit status: 0 nothing new found; 1 a new finding (a divergence whose
# signature is not known); 2 an error (set-up,
# build, an engine or replay that could not run, an unusable output
# directory), with or without findings.
#
# Environment (all optional):
#   MF_CAMPAIGN_SECONDS      engine time over all targets, split evenly (default 180)
#   MF_CAMPAIGN_TARGETS      targets (default: arena pool alloc builtins mixed)
#   MF_CAMPAIGN_ENGINES      engines (default: property libfuzzer afl); see "Engines" below:
#                            property, libfuzzer, afl
#   MF_CAMPAIGN_OUT          output directory (default campaign-out/<UTC timestamp>);
#                            created if missing, must be empty if it exists
#   MF_BUILD_DIR             build directory (default build-campaign)
#   MF_CAMPAIGN_SKIP_SETUP=1 do not run ci/setup.sh
#   MF_CAMPAIGN_MAX_SUCCESS  RapidCheck test cases per property per round (default 5000)
#   MF_CAMPAIGN_MAX_SIZE     RapidCheck max_size, the longest trace (default 150)
#
# Engines.  An engine <name> is three shell functions in this file:
#   engine_<name>_describe          one line for the report
#   engine_<name>_prepare           builds what it needs in $build_dir (0 = ok)
#   engine_<name> TARGET SECONDS DIR
#                                   runs on TARGET for about SECONDS, writing
#                                   into DIR: findings/*.trace (one shrunk text
#                                   trace per finding, with an optional
#                                   <name>.note.md beside it), stats (lines
#                                   key=value: rounds runs ops skipped exits),
#                                   logs; returns 0 when it ran, found or not.
# Engines: property (RapidCheck), libfuzzer and afl (harness/fuzz; they need
# the build configured with clang, which this script asks for with CC/CXX).
# Engines and handlers are called indirectly (by name, from traps):
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
repo_root=$(pwd)

# Settings come from the environment (above); the only argument is --help,
# which prints that description and runs nothing.
if (($# > 0)); then
  if [[ $1 == --help || $1 == -h ]] && (($# == 1)); then
    sed -n '2,/^# Engines and handlers/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit 0
  fi
  echo "campaign: unexpected argument '$1' (settings are environment variables: bash ci/campaign.sh --help)" >&2
  exit 2
fi

# ---------------------------------------------------------------- settings --

total_seconds=${MF_CAMPAIGN_SECONDS:-180}
read -r -a targets <<<"${MF_CAMPAIGN_TARGETS:-arena pool alloc builtins mixed}"
read -r -a engines <<<"${MF_CAMPAIGN_ENGINES:-property libfuzzer afl}"
build_dir=${MF_BUILD_DIR:-build-campaign}
max_success=${MF_CAMPAIGN_MAX_SUCCESS:-5000}
max_size=${MF_CAMPAIGN_MAX_SIZE:-150}
started_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)
out=${MF_CAMPAIGN_OUT:-campaign-out/$(date -u +%Y%m%dT%H%M%SZ)}
# A round that has begun may finish this long after the budget, so that a
# failure found near the end is still shrunk and reported.
round_grace=120

die() {  # an error before the report exists
  echo "campaign: $*" >&2
  exit 2
}

for n in "$total_seconds" "$max_success" "$max_size"; do
  [[ $n =~ ^[0-9]+$ ]] || die "not a whole number: '$n' (MF_CAMPAIGN_SECONDS, MF_CAMPAIGN_MAX_SUCCESS, MF_CAMPAIGN_MAX_SIZE)"
done
((${#targets[@]} > 0)) || die "MF_CAMPAIGN_TARGETS names no target"
for t in "${targets[@]}"; do
  case $t in
    arena | pool | alloc | builtins | mixed) ;;
    *) die "unknown target '$t' (arena pool alloc builtins mixed)" ;;
  esac
done

# ------------------------------------------------------- output directory --

if [[ -e $out && ! -d $out ]]; then
  die "output directory $out exists and is not a directory"
fi
if [[ -d $out && -n $(ls -A "$out" 2>/dev/null) ]]; then
  die "output directory $out exists and is not empty; name a new one with MF_CAMPAIGN_OUT"
fi
mkdir -p "$out" 2>/dev/null || die "cannot create the output directory $out"
if ! touch "$out/.writable" 2>/dev/null; then
  die "cannot write into the output directory $out"
fi
rm -f "$out/.writable"
out=$(cd "$out" && pwd)
mkdir -p "$out/work" "$out/findings" "$out/state" || die "cannot create subdirectories of $out"

# ------------------------------------------------------------------ report --
# The report is generated from small state files, each appended once per
# completed step, and replaced atomically: it is always whole.

status="running (if this stays, the campaign was killed)"
: >"$out/state/targets.tsv"
: >"$out/state/replay.tsv"
: >"$out/state/findings.tsv"
: >"$out/state/known.tsv"
: >"$out/state/signatures.tsv"
: >"$out/state/errors.txt"

note_error() {
  echo "$*" >>"$out/state/errors.txt"
  echo "campaign: error: $*" >&2
}

count_lines() { if [[ -s $1 ]]; then wc -l <"$1"; else echo 0; fi; }

# The tab-separated lines of a state file as markdown table rows.
table_rows() { awk -F'\t' '{ printf "|"; for (i = 1; i <= NF; i++) printf " %s |", $i; print "" }' "$1"; }

write_summary() {
  local tmp=$out/summary.md.tmp
  {
    echo "# Morph differential campaign"
    echo
    echo "- status: $status"
    echo "- started: $started_utc; report written $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- commit: $(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(
      [[ -n $(git -C "$repo_root" status --porcelain 2>/dev/null) ]] && echo ' (with uncommitted changes)')"
    echo "- budget: ${total_seconds} s of engine time over ${#targets[@]} target(s): ${targets[*]}"
    echo "- engines: ${engines[*]}"
    for e in "${engines[@]}"; do
      if declare -F "engine_${e}_describe" >/dev/null; then echo "  - $e: $("engine_${e}_describe")"; fi
    done
    echo "- build: $build_dir"
    echo
    echo "## Targets"
    echo
    echo "| target | engine | rounds | runs | ops run | skipped | ended by an exit | findings | time (s) |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    table_rows "$out/state/targets.tsv"
    echo
    echo "## Corpus replay"
    echo
    if [[ -s $out/state/replay.tsv ]]; then
      echo "| corpus | mode | inputs | result |"
      echo "|---|---|---:|---|"
      table_rows "$out/state/replay.tsv"
    else
      echo "(not run yet)"
    fi
    echo
    echo "## Findings ($(count_lines "$out/state/findings.tsv"))"
    echo
    if [[ -s $out/state/findings.tsv ]]; then
      while IFS=$'\t' read -r where what; do echo "- \`$where\`: $what"; done <"$out/state/findings.tsv"
      echo
      echo "Each trace replays with \`mfh replay <file>\` (add \`--native\` for native mode) and can go"
      echo "into corpus/regressions/ as it is, where ctest replays it from then on."
    else
      echo "None."
    fi
    echo
    echo "## Known findings ($(count_lines "$out/state/known.tsv"))"
    echo
    if [[ -s $out/state/known.tsv ]]; then
      echo "Signatures already in corpus/regressions/ or corpus/known_findings.txt, or found twice in"
      echo "this campaign: listed, not counted as findings."
      echo
      while IFS=$'\t' read -r where signature reason; do echo "- \`$where\`: $signature ($reason)"; done \
        <"$out/state/known.tsv"
    else
      echo "None."
    fi
    echo
    echo "## Errors ($(count_lines "$out/state/errors.txt"))"
    echo
    if [[ -s $out/state/errors.txt ]]; then sed 's/^/- /' "$out/state/errors.txt"; else echo "None."; fi
  } >"$tmp" && mv -f "$tmp" "$out/summary.md"
}

# A child runs in the background and is waited for, so that a signal to this
# script is handled at once: the child is stopped and the report says so.
child=
on_signal() {
  local signal=$1
  trap - INT TERM
  if [[ -n $child ]]; then kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  harvest_all
  status="interrupted by SIG$signal; the tables hold the steps that completed"
  write_summary
  echo "campaign: interrupted; partial report in $out/summary.md" >&2
  exit 130
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

# run_logged LOG COMMAND...: runs COMMAND (a program or a function of this
# script) with its output in LOG; returns its status.
run_logged() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  child=$!
  wait "$child"
  local status=$?
  child=
  return $status
}

# run_bounded SECONDS LOG PROGRAM...: the same for a program, killed after
# SECONDS; returns its status (124 when it was killed for time).
run_bounded() {
  local seconds=$1
  shift
  run_logged "$1" timeout --kill-after=10 "$seconds" "${@:2}"
}

# triage_finding TRACE TARGET: `mfh triage` on one finding.  Prints one line:
#   new SIGNATURE        TRACE is now the minimised regression trace (its note
#                        gets triage's: the divergence, how to reproduce it)
#   duplicate SIGNATURE  another finding of this campaign had that signature
#   known SIGNATURE<TAB>REASON  in corpus/regressions/ or corpus/known_findings.txt
#   unreproduced         mfh shows no divergence (a crash of the harness, a
#                        fault outside the simulation): kept as it is
triage_finding() {
  local trace=$1 target=$2
  local tdir
  tdir=$out/state/triage/$(basename "${trace%.trace}")
  rm -rf "$tdir"
  mkdir -p "$tdir"
  "$(mfh_tool)" triage --target="$target" --seconds=60 --out="$tdir" "$trace" >"$tdir.log" 2>&1
  local status=$? row signature detail
  row=$(awk -F'\t' 'NR > 1 && $1 != "does-not-reproduce"' "$tdir/triage.tsv" 2>/dev/null | head -1)
  signature=$(cut -f3 <<<"$row")
  detail=$(cut -f4 <<<"$row")
  if [[ $status == 1 && -f $tdir/$detail/regression.trace ]]; then
    if grep -qxF "$signature" "$out/state/signatures.tsv"; then
      echo "duplicate $signature"
      return
    fi
    echo "$signature" >>"$out/state/signatures.tsv"
    cp -f "$tdir/$detail/regression.trace" "$trace"
    { echo; cat "$tdir/$detail/note.md"; } >>"${trace%.trace}.note.md"
    echo "new $signature"
  elif [[ $status == 0 && -n $row ]]; then
    printf 'known %s\t%s\n' "$signature" "$detail"
  else
    echo "unreproduced"
  fi
}

# harvest TARGET ENGINE DIR PREFIX: moves the findings in DIR (*.trace, and
# the *.note.md beside them) to findings/TARGET/ENGINE-PREFIX<name> and lists
# them in the report, each through `mfh triage`: a new signature becomes its
# minimised regression trace; a known one or a repeat goes to known/ and the
# report's list of known findings, and does not fail the campaign.  Safe to
# call twice.
harvest() {
  local target=$1 engine=$2 found=$3 prefix=$4
  [[ -d $found ]] || return 0
  local trace name dest what verdict
  for trace in "$found"/*.trace; do
    [[ -e $trace ]] || continue
    mkdir -p "$out/findings/$target"
    name=$engine-$prefix$(basename "$trace")
    dest=$out/findings/$target/$name
    mv -f "$trace" "$dest"
    if [[ -e ${trace%.trace}.note.md ]]; then mv -f "${trace%.trace}.note.md" "${dest%.trace}.note.md"; fi
    what=$(grep -m1 '^# divergence at op' "$dest" | sed 's/^# //')
    [[ -n $what ]] || what=$(grep -m1 -i 'cannot run' "$dest" | sed 's/^# //')
    verdict=$(triage_finding "$dest" "$target")
    case $verdict in
      known* | duplicate*)
        mkdir -p "$out/known/$target"
        mv -f "$dest" "$out/known/$target/$name"
        if [[ -e ${dest%.trace}.note.md ]]; then mv -f "${dest%.trace}.note.md" "$out/known/$target/${name%.trace}.note.md"; fi
        local kind=${verdict%% *} rest=${verdict#* }
        local reason=${rest#*$'\t'}
        [[ $kind == duplicate ]] && reason="a repeat of a finding of this campaign"
        printf '%s\t%s\t%s\n' "known/$target/$name" "${rest%%$'\t'*}" "$reason" >>"$out/state/known.tsv"
        ;;
      new*)
        printf '%s\t%s\n' "findings/$target/$name" "${verdict#new } (minimised; ${what:-see the file})" \
          >>"$out/state/findings.tsv"
        ;;
      *)
        printf '%s\t%s\n' "findings/$target/$name" "${what:-see the file} (mfh triage does not reproduce it: see the note)" \
          >>"$out/state/findings.tsv"
        ;;
    esac
  done
}

# After an interruption: whatever the engines left, also in a round that was
# still running (the property engine's round-N/findings).
harvest_all() {
  local dir target engine
  for dir in "$out"/work/*/*/findings "$out"/work/*/*/round-*/findings; do
    [[ -d $dir ]] || continue
    case $dir in
      */round-*/findings)
        engine=$(basename "$(dirname "$(dirname "$dir")")")
        target=$(basename "$(dirname "$(dirname "$(dirname "$dir")")")")
        harvest "$target" "$engine" "$dir" "$(basename "$(dirname "$dir")")-"
        ;;
      *)
        engine=$(basename "$(dirname "$dir")")
        target=$(basename "$(dirname "$(dirname "$dir")")")
        harvest "$target" "$engine" "$dir" ""
        ;;
    esac
  done
}

# ----------------------------------------------------------------- engines --

# property: the RapidCheck state machines of tests/property (both modes of
# one target per round), in rounds of MF_CAMPAIGN_MAX_SUCCESS cases each,
# until the target's time is up or a round finds something.
property_test_program() { echo "$build_dir/tests/property/property_test"; }

engine_property_describe() {
  echo "RapidCheck state machines (tests/property), simulated and native mode, rounds of max_success=$max_success max_size=$max_size"
}

engine_property_prepare() {
  cmake --build "$build_dir" -j "$(nproc)" --target property_test
}

engine_property() {
  local target=$1 seconds=$2 dir=$3
  local suite
  suite="$(tr '[:lower:]' '[:upper:]' <<<"${target:0:1}")${target:1}Property"
  local deadline=$((SECONDS + seconds)) round=0
  local rounds=0 runs=0 ops=0 skipped=0 exits=0
  while ((SECONDS < deadline)); do
    round=$((round + 1))
    local round_dir=$dir/round-$round
    mkdir -p "$round_dir/findings"
    local remaining=$((deadline - SECONDS))
    run_bounded $((remaining + round_grace)) "$round_dir/log" \
      env MF_PROPERTY_FINDINGS_DIR="$round_dir/findings" RC_PARAMS="max_success=$max_success max_size=$max_size" \
      "$(property_test_program)" --gtest_filter="$suite.*"
    local status=$?
    rounds=$((rounds + 1))
    # "[property] PoolProperty.Simulated: 412 runs, 18734 ops run, 96 skipped, 301 ended by an exit"
    local line r o s e
    while read -r line; do
      read -r r o s e <<<"$(sed -E 's/.*: ([0-9]+) runs, ([0-9]+) ops run, ([0-9]+) skipped, ([0-9]+) ended.*/\1 \2 \3 \4/' <<<"$line")"
      runs=$((runs + r)) ops=$((ops + o)) skipped=$((skipped + s)) exits=$((exits + e))
    done < <(grep '^\[property\] ' "$round_dir/log")
    local found
    found=$(find "$round_dir/findings" -name '*.trace' | wc -l)
    if ((found > 0)); then
      local trace final
      for trace in "$round_dir"/findings/*.trace; do
        {
          final=property-round-$round-$(basename "$trace")
          echo "# How to reproduce $final"
          echo
          echo "Replay the trace: \`mfh replay $final\` (add \`--native\` for native mode)."
          echo "Or rerun the property test that found it, with the seed RapidCheck printed:"
          echo
          echo '```'
          grep -A1 'To reproduce these' "$round_dir/log" | tail -n1 | sed "s|\$| $(property_test_program) --gtest_filter=$suite.*|"
          echo '```'
          echo
          echo "Full output: work/$target/property/round-$round/log"
        } >"${trace%.trace}.note.md"
      done
      mkdir -p "$dir/findings"
      for trace in "$round_dir"/findings/*.trace; do
        mv -f "$trace" "$dir/findings/round-$round-$(basename "$trace")"
        mv -f "${trace%.trace}.note.md" "$dir/findings/round-$round-$(basename "${trace%.trace}").note.md"
      done
      break  # the rest of this target's time would find the same bug again
    fi
    if ((status == 124)); then
      note_error "$target/property round $round ran past the budget and was stopped (see work/$target/property/round-$round/log)"
      break
    fi
    if ((status != 0)); then
      note_error "$target/property round $round failed with status $status without a finding (see work/$target/property/round-$round/log)"
      break
    fi
  done
  printf 'rounds=%s\nruns=%s\nops=%s\nskipped=%s\nexits=%s\n' "$rounds" "$runs" "$ops" "$skipped" "$exits" >"$dir/stats"
  return 0
}

# libfuzzer and afl: the fuzz targets of harness/fuzz (simulated mode, the
# assembly's branches as coverage), from the seed corpus the build converts
# from corpus/traces/.  A crash input (a divergence aborts, as does a fault
# of the SUT) is decoded into a text trace with the harness's writer; the
# replay's divergence line and one-line signature go into its comments.
fuzz_dir() { echo "$build_dir/harness/fuzz"; }
mfh_tool() { echo "$build_dir/harness/mfh/mfh"; }
fuzz_seeds() { echo "$build_dir/fuzz/seeds/$1"; }

# fuzz_save_finding TARGET ENGINE INPUT REPLAY_LOG DIR NAME REPRODUCE: writes
# DIR/findings/NAME.trace and its note.
fuzz_save_finding() {
  local target=$1 engine=$2 input=$3 log=$4 dir=$5 name=$6 reproduce=$7
  mkdir -p "$dir/findings"
  local comments=()
  local line
  line=$(grep -m1 '^divergence at op' "$log" || true)
  [[ -n $line ]] && comments+=("$line")
  line=$(grep -m1 '^MF-DIVERGENCE ' "$log" || true)
  [[ -n $line ]] && comments+=("$line")
  if ((${#comments[@]} == 0)); then
    # Not a divergence: a crash of the SUT or of the harness itself.
    line=$(grep -m1 -E 'ERROR: libFuzzer|deadly signal|SEGV|Assertion|terminate called' "$log" || true)
    comments+=("crash without a divergence (${line:-see the log}); cannot run as is: see the note")
  fi
  comments+=("found by $engine; the raw input is work/$target/$engine/${input#"$dir"/}")
  local comment_options=() c
  for c in "${comments[@]}"; do comment_options+=("--comment=$c"); done
  "$(mfh_tool)" convert --binary --target="$target" "${comment_options[@]}" "$input" "$dir/findings/$name.trace"
  {
    echo "# How to reproduce $name"
    echo
    echo "Replay the trace: \`mfh replay $engine-$name.trace\`, or the raw input:"
    echo
    echo '```'
    echo "$reproduce"
    echo '```'
    echo
    echo "Replay output: work/$target/$engine/$(basename "$log")"
  } >"$dir/findings/$name.note.md"
}

engine_libfuzzer_describe() {
  echo "libFuzzer (harness/fuzz/fuzz_<target>, assembly coverage on), seeds from corpus/traces, corpus/dict dictionaries"
}

engine_libfuzzer_prepare() {
  local build_targets=(mfh mf_fuzz_seeds) t
  for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
  cmake --build "$build_dir" -j "$(nproc)" --target "${build_targets[@]}"
}

engine_libfuzzer() {
  local target=$1 seconds=$2 dir=$3
  local fuzzer
  fuzzer=$(fuzz_dir)/fuzz_$target
  mkdir -p "$dir/corpus" "$dir/artifacts"
  # libFuzzer stops at its first crash: the rest of the time would mostly find
  # the same bug again (as the property engine, which stops at a finding).
  # MF_FUZZ_STATS: the entry point's totals (ops run, skipped, exits) at exit.
  run_bounded $((seconds + round_grace)) "$dir/log" env MF_FUZZ_STATS=1 "$fuzzer" -max_total_time="$seconds" \
    -dict="$repo_root/corpus/dict/$target.dict" -artifact_prefix="$dir/artifacts/" -print_final_stats=1 \
    "$dir/corpus" "$(fuzz_seeds "$target")"
  local status=$? input n=0
  # Not slow-unit-*: libFuzzer keeps those as notes, they are no failure.
  for input in "$dir"/artifacts/{crash,timeout,oom,leak}-*; do
    [[ -f $input ]] || continue
    n=$((n + 1))
    local log=$dir/replay-$n.log
    # A subshell that outlives the replay prints bash's "Aborted" notice into the log.
    (timeout 60 "$fuzzer" "$input"; true) >"$log" 2>&1
    fuzz_save_finding "$target" libfuzzer "$input" "$log" "$dir" "$(basename "$input")" \
      "$(fuzz_dir)/fuzz_$target $input"
  done
  if ((n == 0 && status != 0)); then
    note_error "$target/libfuzzer ended with status $status and no crash input (see work/$target/libfuzzer/log)"
  fi
  # "mf-fuzz-stats: inputs=N ops_run=N ops_skipped=N exits=N" (absent after a crash)
  local runs runs_seen ops skipped exits
  runs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$dir/log")
  read -r runs_seen ops skipped exits <<<"$(sed -nE \
    's/^mf-fuzz-stats: inputs=([0-9]+) ops_run=([0-9]+) ops_skipped=([0-9]+) exits=([0-9]+).*/\1 \2 \3 \4/p' "$dir/log")"
  printf 'rounds=1\nruns=%s\nops=%s\nskipped=%s\nexits=%s\n' "${runs:-${runs_seen:-0}}" "${ops:-n/a}" \
    "${skipped:-n/a}" "${exits:-n/a}" >"$dir/stats"
  return 0
}

engine_afl_describe() {
  echo "AFL++ persistent mode (harness/fuzz/afl_fuzz_<target>, assembly counters folded into the map) with its CMPLOG build, same seeds and dictionaries"
}

engine_afl_prepare() {
  command -v afl-fuzz >/dev/null || {
    echo "afl-fuzz not found (Debian package afl++, installed by ci/setup.sh)"
    return 1
  }
  cmake --build "$build_dir" -j "$(nproc)" --target mfh mf_fuzz_seeds mf_afl_fuzzers
}

engine_afl() {
  local target=$1 seconds=$2 dir=$3
  local binary
  binary=$(fuzz_dir)/afl_fuzz_$target
  run_bounded $((seconds + round_grace)) "$dir/log" \
    env AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -i "$(fuzz_seeds "$target")" -o "$dir/out" -x "$repo_root/corpus/dict/$target.dict" \
    -c "$(fuzz_dir)/cmplog_fuzz_$target" -V "$seconds" -- "$binary"
  local status=$? input n=0
  for input in "$dir"/out/default/crashes/id:*; do
    [[ -f $input ]] || continue
    n=$((n + 1))
    local log=$dir/replay-$n.log
    (timeout 60 "$binary" <"$input"; true) >"$log" 2>&1
    fuzz_save_finding "$target" afl "$input" "$log" "$dir" "crash-$n" "$binary < $input"
  done
  if ((status != 0)); then
    note_error "$target/afl: afl-fuzz ended with status $status (see work/$target/afl/log)"
  fi
  local runs
  runs=$(awk '$1 == "execs_done" {print $3}' "$dir/out/default/fuzzer_stats" 2>/dev/null)
  printf 'rounds=1\nruns=%s\nops=n/a\nskipped=n/a\nexits=n/a\n' "${runs:-0}" >"$dir/stats"
  return 0
}

# -------------------------------------------------------------------- main --

for e in "${engines[@]}"; do
  if ! declare -F "engine_$e" >/dev/null || ! declare -F "engine_${e}_prepare" >/dev/null; then
    note_error "unknown engine '$e' (known: $(declare -F | awk '{print $3}' | grep -E '^engine_[a-z0-9]+$' | sed 's/^engine_//' | tr '\n' ' '))"
    status="failed: unknown engine"
    write_summary
    exit 2
  fi
done
write_summary
echo "campaign: output in $out"

if [[ ${MF_CAMPAIGN_SKIP_SETUP:-0} != 1 ]]; then
  if ! run_logged "$out/work/setup.log" bash ci/setup.sh; then
    note_error "ci/setup.sh failed (see work/setup.log)"
    status="failed: set-up"
    write_summary
    exit 2
  fi
fi

echo "campaign: building in $build_dir"
# clang (unless CC / CXX say otherwise), so that the libFuzzer and AFL++
# targets exist (cmake/Fuzzing.cmake); as full paths, which CMake compares
# with those of a build directory configured earlier.
if ! run_logged "$out/work/configure.log" \
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMF_BUILD_TESTS=ON \
  -DCMAKE_C_COMPILER="$(command -v "${CC:-clang}")" -DCMAKE_CXX_COMPILER="$(command -v "${CXX:-clang++}")"; then
  note_error "configuring failed (see work/configure.log)"
  status="failed: build"
  write_summary
  exit 2
fi
if ! run_logged "$out/work/build.log" cmake --build "$build_dir" -j "$(nproc)" --target mfh; then
  note_error "building mfh failed (see work/build.log)"
  status="failed: build"
  write_summary
  exit 2
fi
for e in "${engines[@]}"; do
  if ! run_logged "$out/work/build-$e.log" "engine_${e}_prepare"; then
    note_error "building engine $e failed (see work/build-$e.log)"
    status="failed: build"
    write_summary
    exit 2
  fi
done

share=$((total_seconds / (${#targets[@]} * ${#engines[@]})))
((share > 0)) || share=1
for t in "${targets[@]}"; do
  for e in "${engines[@]}"; do
    dir=$out/work/$t/$e
    mkdir -p "$dir"
    echo "campaign: $t with $e for ${share} s"
    before_findings=$(count_lines "$out/state/findings.tsv")
    began=$SECONDS
    if ! "engine_$e" "$t" "$share" "$dir"; then note_error "engine $e on $t failed"; fi
    took=$((SECONDS - began))
    harvest "$t" "$e" "$dir/findings" ""
    declare -A stat=([rounds]=0 [runs]=0 [ops]=0 [skipped]=0 [exits]=0)
    if [[ -f $dir/stats ]]; then
      while IFS='=' read -r key value; do stat[$key]=$value; done <"$dir/stats"
    fi
    found=$(($(count_lines "$out/state/findings.tsv") - before_findings))
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$e" "${stat[rounds]}" "${stat[runs]}" "${stat[ops]}" \
      "${stat[skipped]}" "${stat[exits]}" "$found" "$took" >>"$out/state/targets.tsv"
    unset stat
    write_summary
  done
done

# Every input of the corpus, as ctest's replay does (notes and dot files are
# not inputs), in both modes.
mfh=$build_dir/harness/mfh/mfh
for corpus in corpus/traces corpus/regressions; do
  mapfile -t inputs < <(find "$corpus" -type f ! -name '.*' ! -name '*.md' ! -name '*.txt' 2>/dev/null | sort)
  for mode in simulated native; do
    if ((${#inputs[@]} == 0)); then
      printf '%s\t%s\t0\tno inputs\n' "$corpus" "$mode" >>"$out/state/replay.tsv"
      continue
    fi
    log=$out/work/replay-$(basename "$corpus")-$mode.log
    flags=(--quiet)
    [[ $mode == native ]] && flags+=(--native)
    run_bounded 3600 "$log" "$mfh" replay "${flags[@]}" "${inputs[@]}"
    replay_status=$?
    case $replay_status in
      0) result="all agree" ;;
      1)
        result="DIVERGED (see work/$(basename "$log"))"
        # "== <path> (...)" opens each input's output; its verdict follows.
        awk '/^== /{path=$2} /^verdict: DIVERGED/{print path}' "$log" | while read -r path; do
          mkdir -p "$out/findings/corpus-replay"
          dest=$out/findings/corpus-replay/$mode-$(basename "$path")
          cp -f "$path" "$dest"
          printf '%s\t%s\n' "findings/corpus-replay/$(basename "$dest")" \
            "the corpus input $path diverges in $mode mode (see work/$(basename "$log"))" >>"$out/state/findings.tsv"
        done
        ;;
      *)
        result="could not run (status $replay_status, see work/$(basename "$log"))"
        note_error "replaying $corpus in $mode mode: mfh exit status $replay_status"
        ;;
    esac
    printf '%s\t%s\t%s\t%s\n' "$corpus" "$mode" "${#inputs[@]}" "$result" >>"$out/state/replay.tsv"
  done
  write_summary
done

findings=$(count_lines "$out/state/findings.tsv")
errors=$(count_lines "$out/state/errors.txt")
status="complete: $findings finding(s), $errors error(s)"
write_summary
echo "campaign: $status; report in $out/summary.md"
if ((errors > 0)); then exit 2; fi
if ((findings > 0)); then exit 1; fi
exit 0
