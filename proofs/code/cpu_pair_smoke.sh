#!/usr/bin/env bash
# cpu_pair_smoke.sh - ci/proof_cpu_pair.sh on the real prover: it times both
# builds on both CPUs, fails when their verdicts differ, and refuses bad
# usage.  On one object of the library that no proof covers (panic.s.o), so
# that each run takes a second, not a minute.
#   cpu_pair_smoke.sh SOURCE_DIR PROVER OBJECT...
set -uo pipefail
source_dir=$1
prover=$2
shift 2
pair=$source_dir/ci/proof_cpu_pair.sh
problems=0
complain() {
  echo "proof cpu_pair_smoke: $*" >&2
  problems=1
}
object=
for candidate in "$@"; do
  [[ $candidate == */panic.s.o ]] && object=$candidate
done
[[ -n $object ]] || { echo "proof cpu_pair_smoke: no panic.s.o among the objects" >&2; exit 2; }

out=$(bash "$pair" --rounds 1 "$prover" "$prover" "$object" 2>&1)
status=$?
[[ $status -eq 0 ]] || complain "one prover twice: exit $status, not 0:"$'\n'"$out"
rows=$(grep -cE '^[AB] +[0-9]+ +1 +[0-9.]+ +[0-9.]+ +[0-9.]+$' <<<"$out")
[[ $rows -eq 4 ]] || complain "one prover twice: $rows rows of times, not 4 (A and B on each CPU):"$'\n'"$out"
grep -qE '^verdicts: the same in every run \([1-9][0-9]* lines\)$' <<<"$out" ||
  complain "one prover twice: no line saying the verdicts agree:"$'\n'"$out"

# A "prover" whose verdicts are not the real one's: its exit status and its
# output differ, and the comparison must say so.
out=$(bash "$pair" --rounds 1 "$prover" /bin/false "$object" 2>&1)
status=$?
[[ $status -eq 1 ]] || complain "a prover with other verdicts: exit $status, not 1:"$'\n'"$out"
grep -q 'run B on CPU [0-9]*, round 1, differs from A' <<<"$out" ||
  complain "a prover with other verdicts: the differing run is not named:"$'\n'"$out"

for args in "$prover" "--rounds 0 $prover $prover $object" "/no/such/prover $prover $object" "$prover $prover /no/such.o"; do
  # shellcheck disable=SC2086 # the words are the arguments
  out=$(bash "$pair" $args 2>&1)
  status=$?
  [[ $status -eq 2 ]] || complain "bad usage ($args): exit $status, not 2:"$'\n'"$out"
done

[[ $problems -eq 0 ]] && echo "proof cpu_pair_smoke: ok"
exit "$problems"
