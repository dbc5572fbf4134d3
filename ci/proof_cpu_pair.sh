#!/usr/bin/env bash
# proof_cpu_pair.sh - the CPU time two builds of the prover take for all
# proofs of the same objects, measured so that the machine's load falls on
# both alike; and whether they reach the same verdicts.
#
#   bash ci/proof_cpu_pair.sh [--rounds R] PROVER_A PROVER_B [OBJECT...]
#
# Why pairs: here the CPU time of one `mf_code_proof --all` moves by 10 to
# 25 % from one run to the next with nothing changed (on 2026-12-06 the same
# build took 57.0, 61.2 and 69.3 s in three rounds of ci/proof_times.sh), so
# two builds timed one after the other compare the load as much as the
# change.  Here they run at once, A on one CPU and B on the other, then with
# the CPUs swapped, for R rounds (default 3); compare the sums and the
# pairs, never one run.  The CPUs: as in ci/fuzz_cpu_pair.sh (MF_PAIR_CORES,
# else the first two this process may run on; ci/cpu_pair_lib.sh).
#
# Each run is `PROVER --objdump OBJDUMP --all OBJECT...`; OBJDUMP is
# $MF_OBJDUMP or the objdump on the PATH, the objects default to the
# library's ($MF_BUILD_DIR/asm/CMakeFiles/morph_asm_core.dir/*.s.o,
# MF_BUILD_DIR default build).  CPU time is user plus system time of the
# prover and everything it runs (its children, objdump's included).
#
# Prints one line per run (binary, CPU, round, user, system and total
# seconds), then per binary its total over all runs and, per binary and CPU,
# the range.  Exit status: 0; 1 if the two builds' verdicts or exit statuses
# differ, or a run's differ from the same build's first run (the verdicts
# do not depend on the load); 2 on bad usage or a missing file.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: bash ci/proof_cpu_pair.sh [--rounds R] PROVER_A PROVER_B [OBJECT...]" >&2
  exit 2
}
fail() {
  echo "proof_cpu_pair: $*" >&2
  exit 2
}

rounds=3
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --rounds) [[ $# -ge 2 ]] || usage; rounds=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ $# -ge 2 ]] || usage
prover_a=$1
prover_b=$2
shift 2
objects=("$@")
if [[ ${#objects[@]} -eq 0 ]]; then
  objects=("${MF_BUILD_DIR:-build}"/asm/CMakeFiles/morph_asm_core.dir/*.s.o)
  [[ -f ${objects[0]} ]] || fail "no objects under ${MF_BUILD_DIR:-build}/asm: build first, or name the objects"
fi
[[ $rounds =~ ^[1-9][0-9]*$ ]] || fail "--rounds wants a positive whole number, not '$rounds'"
for prover in "$prover_a" "$prover_b"; do
  [[ -x $prover ]] || fail "$prover is not an executable file"
done
for object in "${objects[@]}"; do
  [[ -f $object ]] || fail "no object file $object"
done
objdump=${MF_OBJDUMP:-$(command -v objdump || true)}
[[ -x $objdump ]] || fail "no objdump (binutils), or MF_OBJDUMP names none"
# shellcheck source=ci/cpu_pair_lib.sh
source ci/cpu_pair_lib.sh
prepare_pair proof_cpu_pair

# run NAME PROVER CPU ROUND SWAP: one run in the background; its times,
# output and exit status go to files named after its place in the table.
run() {
  local name=$1 prover=$2 cpu=$3 round=$4 swap=$5
  local place=$work/$round.$swap.$name.$cpu
  (
    status=0
    taskset -c "$cpu" /usr/bin/time -f "%U %S" -o "$place.time" \
      "$prover" --objdump "$objdump" --all "${objects[@]}" >"$place.log" 2>&1 || status=$?
    echo "$status" >"$place.status"
  ) &
}

run_pair_rounds "$rounds" "$prover_a" "$prover_b"
print_pair_table "$work"
echo "A: $prover_a"
echo "B: $prover_b"

# The verdicts of a run: its "<proof>: PROVED|REFUTED|NO VERDICT" and "not
# proved:" lines, and its exit status.
verdicts() {
  grep -E '^[A-Za-z_0-9]+: (PROVED|REFUTED|NO VERDICT)$|^not proved: ' "$1.log" || true
  echo "exit status $(cat "$1.status")"
}
first_a=$work/1.0.A.${cores[0]}
verdicts "$first_a" >"$work/reference"
differ=0
for log in "$work"/*.log; do
  place=${log%.log}
  verdicts "$place" >"$work/this"
  cmp -s "$work/reference" "$work/this" && continue
  IFS=. read -r round _ name cpu <<<"$(basename "$place")"
  echo "proof_cpu_pair: run $name on CPU $cpu, round $round, differs from A's first run:" >&2
  diff "$work/reference" "$work/this" >&2 || true
  differ=1
done
[[ $differ -eq 0 ]] && echo "verdicts: the same in every run ($(grep -c . "$work/reference") lines)"
exit "$differ"
