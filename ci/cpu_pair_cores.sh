# shellcheck shell=bash
# cpu_pair_cores.sh - sourced by the scripts that time two builds at once,
# one per CPU (ci/fuzz_cpu_pair.sh, ci/proof_cpu_pair.sh).
#
# Sets the array `cores` to the two CPUs to use: MF_PAIR_CORES if set
# ("0 1"), else the first two CPUs this process may run on, or the one CPU
# twice if it may run on one only (which still compares the two builds
# under the same load).  Returns 1 if MF_PAIR_CORES does not name two.

# The CPUs this process may run on, as taskset lists them ("0-3,6"), the
# first two of them.
first_two_cpus() {
  taskset -cp $$ | sed 's/.*: //' | tr ',' '\n' |
    awk -F- '{ last = NF > 1 ? $2 : $1; for (c = $1; c <= last && n < 2; c++) { printf "%s ", c; n++ } }
             END { if (n == 1) printf "%s", c - 1 }'
}

pick_pair_cores() {
  read -r -a cores <<<"${MF_PAIR_CORES:-$(first_two_cpus)}"
  [[ ${#cores[@]} -eq 2 ]]
}
