#!/usr/bin/env bash
# property_reach.sh - which branch directions of the assembly, and which
# lines of the reference model (the rules of docs/spec.md as code), the
# RapidCheck state machines reach on their own, without the seed corpus or a
# fuzzer.
#
#   bash ci/property_reach.sh [--check] [--write FILE]
#
# Runs the simulated state machine of every target that calls arena.s,
# pool.s or alloc.s with a fixed RapidCheck seed, keeps every case it
# generates (MF_PROPERTY_CASES_DIR, tests/property/generated_cases.h), runs
# them all through `mfh-cov cov` on the instrumented assembly, and lists each
# conditional jump of those files with a direction no case took.  Each such
# direction is matched against tests/property/unreached.list, which says why
# the state machines cannot or need not reach it; the rest are gaps.  Then
# it replays the same cases, and those of the cleaner's state machines,
# through `mfh-model-cov` (the model compiled for clang's source coverage)
# and lists the model's lines no case runs, each matched against
# tests/property/model_unreached.list, and the directions of its conditions
# no case takes, each matched against tests/property/model_directions.list
# (ci/model_reach.py).
#
#   --check       exit 1 when a direction, a model line or a model direction
#                 is unreached and unexplained, or when an entry of a list no longer
#                 matches anything (ctest: property_reach)
#   --write FILE  also write the report, in Markdown, to FILE
#
# Environment (all optional):
#   MF_BUILD_DIR      a build configured with clang (default build)
#   MF_REACH_CASES    cases per state machine (default 3000)
#   MF_REACH_OUT      where the cases and the listing go (default: a new
#                     directory under ${TMPDIR:-/tmp}, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
write=
while (($#)); do
  case $1 in
    --check) check=1 ;;
    --write) write=${2:?--write needs a file}; shift ;;
    *) echo "usage: bash ci/property_reach.sh [--check] [--write FILE]" >&2; exit 2 ;;
  esac
  shift
done

build_dir=${MF_BUILD_DIR:-build}
cases=${MF_REACH_CASES:-3000}
[[ $cases =~ ^[1-9][0-9]*$ ]] || { echo "property_reach: MF_REACH_CASES is not a positive number" >&2; exit 2; }
files=(arena.s pool.s alloc.s)
suites=(Arena Pool Alloc AllocOneClass AllocLargeClass Builtins Mixed)
explained=tests/property/unreached.list
model_explained=tests/property/model_unreached.list
model_directions=tests/property/model_directions.list
model_suites=(Meminfo Daemon)  # the model's part only: they call none of the files above
for list in "$explained" "$model_explained" "$model_directions"; do
  [[ -r $list ]] || { echo "property_reach: cannot read $list" >&2; exit 2; }
done
if [[ -n ${MF_REACH_OUT:-} ]]; then
  out=$MF_REACH_OUT
  mkdir -p "$out" || { echo "property_reach: cannot create $out" >&2; exit 2; }
else
  out=$(mktemp -d "${TMPDIR:-/tmp}/property-reach.XXXXXX")
  trap 'rm -rf "$out"' EXIT
fi
property_test=$build_dir/tests/property/property_test
mfh_cov=$build_dir/harness/mfh/mfh-cov
mfh_model_cov=$build_dir/harness/mfh/mfh-model-cov
for program in "$property_test" "$mfh_cov" "$mfh_model_cov"; do
  [[ -x $program ]] || { echo "property_reach: $program is not built (cmake --build $build_dir)" >&2; exit 2; }
done
# clang 14's profile tools (Debian's llvm-14), versioned or not.
profdata=$(command -v llvm-profdata-14 || command -v llvm-profdata || true)
llvm_cov=$(command -v llvm-cov-14 || command -v llvm-cov || true)
[[ -n $profdata && -n $llvm_cov ]] || { echo "property_reach: needs llvm-profdata and llvm-cov (bash ci/setup.sh installs llvm-14)" >&2; exit 2; }
for tool in python3 c++filt; do
  command -v "$tool" >/dev/null || { echo "property_reach: needs $tool (bash ci/setup.sh)" >&2; exit 2; }
done

# filter_of SUITE: the gtest filter of one state machine.
filter_of() {
  case $1 in
    AllocOneClass) echo AllocProperty.SimulatedOneClass ;;
    AllocLargeClass) echo AllocProperty.SimulatedLargeClass ;;
    *) echo "$1Property.Simulated" ;;
  esac
}

# generate_cases SUITE DIR: the state machine's cases, kept in DIR/SUITE.
generate_cases() {
  mkdir -p "$2/$1"
  if ! MF_PROPERTY_CASES_DIR="$2/$1" RC_PARAMS="max_success=$cases max_size=100 seed=1" \
      "$property_test" --gtest_filter="$(filter_of "$1")" >"$out/$1.log" 2>&1; then
    tail -n 30 "$out/$1.log" >&2
    echo "property_reach: $(filter_of "$1") failed: that is a finding, not a coverage figure" >&2
    exit 1
  fi
}

for suite in "${suites[@]}"; do generate_cases "$suite" "$out/cases"; done
"$mfh_cov" cov "$out/cases" >"$out/listing.txt" 2>&1 || {
  tail -n 20 "$out/listing.txt" >&2
  echo "property_reach: mfh cov failed on the generated cases" >&2
  exit 1
}

# One line per unreached direction: "file:line: T|F never: source".
awk -v wanted="${files[*]}" '
  BEGIN { n = split(wanted, w, " "); for (i = 1; i <= n; ++i) keep[w[i]] = 1 }
  /^== / { file = $2; next }
  !(file in keep) { next }
  /T:[0-9#]+ F:[0-9#]+ +[0-9]+\|/ {
    match($0, /T:[0-9#]+/); t = substr($0, RSTART + 2, RLENGTH - 2)
    match($0, /F:[0-9#]+/); f = substr($0, RSTART + 2, RLENGTH - 2)
    match($0, /[0-9]+\|/); line = substr($0, RSTART, RLENGTH - 1)
    source = substr($0, RSTART + RLENGTH); gsub(/^ +| +$/, "", source); gsub(/ +/, " ", source)
    if (t == "#####") print file ":" line ": T never: " source
    if (f == "#####") print file ":" line ": F never: " source
  }' "$out/listing.txt" >"$out/unreached.txt"

# unreached.list: "file | text | T, F or TF | reason", where text is found in
# "<line number>: <source line>" (a number pins an instruction whose text
# occurs more than once; an edit that moves it makes the entry stale).
unexplained=0
report=$out/report.md
{
  echo "# What the property tests reach on their own"
  echo
  echo "Generated by \`bash ci/property_reach.sh --write docs/property-reach.md\` on $(date -u +%Y-%m-%d):"
  echo "${cases} cases of each simulated state machine that calls these files ($(for s in "${suites[@]}"; do printf '%s ' "$(filter_of "$s")"; done | sed 's/ $//')),"
  echo "RapidCheck seed 1, traces up to 100 ops,"
  echo "run through \`mfh-cov cov\`. The seed corpus and the fuzzers play no part."
  echo
  echo "| file | probes | branch directions |"
  echo "|---|---|---|"
  for f in "${files[@]}"; do
    sed -nE "s/^${f//./\\.}: probes ([^,]*), branch directions (.*)$/| $f | \1 | \2 |/p" "$out/listing.txt" | tail -n 1
  done
  echo
  echo "## Directions no generated case takes"
  echo
  if [[ ! -s $out/unreached.txt ]]; then echo "None."; fi
} >"$report"
used=()
while IFS= read -r miss; do
  file=${miss%%:*}
  side=$(sed -E 's/^[^:]+:[0-9]+: ([TF]) never:.*/\1/' <<<"$miss")
  key=$(sed -E 's/^[^:]+:([0-9]+): [TF] never: /\1: /' <<<"$miss")  # "line: source"
  reason=
  entry=0
  while IFS='|' read -r e_file e_text e_sides e_reason; do
    entry=$((entry + 1))
    [[ $e_file =~ ^[[:space:]]*# || -z ${e_file// /} ]] && continue
    e_file=$(xargs <<<"$e_file"); e_text=$(sed -E 's/^ +| +$//g' <<<"$e_text"); e_sides=$(xargs <<<"$e_sides")
    if [[ $e_file == "$file" && $key == *"$e_text"* && $e_sides == *"$side"* ]]; then
      reason=$(sed -E 's/^ +//' <<<"$e_reason")
      used+=("$entry")
      break
    fi
  done <"$explained"
  if [[ -z $reason ]]; then
    unexplained=$((unexplained + 1))
    reason="**a gap: no reason is given in tests/property/unreached.list**"
  fi
  echo "- \`$miss\`: $reason" >>"$report"
done <"$out/unreached.txt"

stale=0
entry=0
while IFS='|' read -r e_file e_text _; do
  entry=$((entry + 1))
  [[ $e_file =~ ^[[:space:]]*# || -z ${e_file// /} ]] && continue
  if [[ " ${used[*]} " != *" $entry "* ]]; then
    stale=$((stale + 1))
    echo "property_reach: unreached.list line $entry ($(xargs <<<"$e_file"):$(sed -E 's/^ +| +$//g' <<<"$e_text")) matches no unreached direction: the state machines reach it now, remove the line" >&2
  fi
done <"$explained"

# The model: which of its lines (the rules of docs/spec.md as code) the
# cases run, the cleaner's state machines' cases included (ci/model_reach.py).
for suite in "${model_suites[@]}"; do generate_cases "$suite" "$out/model-cases"; done
rm -f "$out"/model-*.profraw
if ! find "$out/cases" "$out/model-cases" -type f -print0 |
    LLVM_PROFILE_FILE="$out/model-%m.profraw" xargs -0 "$mfh_model_cov" replay --quiet >"$out/model-replay.txt" 2>&1; then
  grep -v "verdict: agree" "$out/model-replay.txt" | tail -n 20 >&2
  echo "property_reach: a generated case does not replay through mfh-model-cov" >&2
  exit 1
fi
"$profdata" merge -o "$out/model.profdata" "$out"/model-*.profraw
model_sources=()
while IFS= read -r -d '' f; do model_sources+=("$f"); done < <(find "$PWD/models" -name '*.cpp' -not -path '*/tests/*' -print0 | sort -z)
"$llvm_cov" export -format=lcov "$mfh_model_cov" -instr-profile="$out/model.profdata" "${model_sources[@]}" >"$out/model.lcov"
echo >>"$report"
model_status=0
python3 ci/model_reach.py "$out/model.lcov" "$model_explained" "$model_directions" "$PWD" >>"$report" || model_status=$?
if ((model_status == 2)); then echo "property_reach: model_reach.py could not read its input" >&2; exit 2; fi

cat "$report"
if [[ -n $write ]]; then cp "$report" "$write" || { echo "property_reach: cannot write $write" >&2; exit 2; }; fi
echo "property_reach: $(wc -l <"$out/unreached.txt") unreached directions, $unexplained unexplained, $stale stale explanations"
if ((check && (unexplained > 0 || stale > 0 || model_status != 0))); then exit 1; fi
exit 0
