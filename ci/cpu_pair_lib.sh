# shellcheck shell=bash
# cpu_pair_lib.sh - sourced by the scripts that time two builds at once,
# one per CPU, then with the CPUs swapped (ci/fuzz_cpu_pair.sh,
# ci/proof_cpu_pair.sh): the choice of the CPUs, the rounds, the table.

# The CPUs this process may run on, as taskset lists them ("0-3,6"), the
# first two of them.
first_two_cpus() {
  taskset -cp $$ | sed 's/.*: //' | tr ',' '\n' |
    awk -F- '{ last = NF > 1 ? $2 : $1; for (c = $1; c <= last && n < 2; c++) { printf "%s ", c; n++ } }
             END { if (n == 1) printf "%s", c - 1 }'
}

# Sets the array `cores` to the two CPUs to use: MF_PAIR_CORES if set
# ("0 1"), else the first two CPUs this process may run on, or the one CPU
# twice if it may run on one only (which still compares the two builds
# under the same load).  Returns 1 if MF_PAIR_CORES does not name two.
pick_pair_cores() {
  read -r -a cores <<<"${MF_PAIR_CORES:-$(first_two_cpus)}"
  [[ ${#cores[@]} -eq 2 ]]
}

# prepare_pair SCRIPT: what both scripts need before their first run, or
# exit 2 with a message naming SCRIPT: taskset, the two CPUs (`cores`), and
# a work folder (`work`) removed when the script exits.
prepare_pair() {
  local script=$1
  command -v taskset >/dev/null || { echo "$script: taskset is missing (util-linux)" >&2; exit 2; }
  pick_pair_cores || { echo "$script: MF_PAIR_CORES must name two CPUs, not '${MF_PAIR_CORES:-}'" >&2; exit 2; }
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # the folder's name, now
  trap "rm -rf '$work'" EXIT
}

# run_pair_rounds ROUNDS BINARY_A BINARY_B: for each round, A on the first
# CPU and B on the second at once, then swapped.  The caller defines
# `run NAME BINARY CPU ROUND SWAP`, which starts one run in the background
# and leaves its times ("user system", time(1)'s last line) in
# WORK/ROUND.SWAP.NAME.CPU.time for print_pair_table WORK.
run_pair_rounds() {
  local rounds=$1 binary_a=$2 binary_b=$3 round swap
  for ((round = 1; round <= rounds; round++)); do
    for swap in 0 1; do
      run A "$binary_a" "${cores[$swap]}" "$round" "$swap"
      run B "$binary_b" "${cores[$((1 - swap))]}" "$round" "$swap"
      # Both; whether each run succeeded is the caller's to read.
      wait
    done
  done
}

# print_pair_table WORK: one line per run whose times are in WORK
# (binary, CPU, round, user, system and total seconds of CPU), also kept in
# WORK/table; then per binary its total over all its runs and, per binary
# and CPU, the range.
print_pair_table() {
  local work=$1 time_file place round name cpu user system
  printf '%-6s %-4s %-6s %9s %9s %9s\n' binary cpu round user system total
  for time_file in "$work"/*.time; do
    place=$(basename "$time_file" .time)
    IFS=. read -r round _ name cpu <<<"$place"
    # The last line: for a run that failed, time(1) writes a line about
    # its exit status before the times.
    read -r user system < <(tail -n 1 "$time_file")
    printf '%-6s %-4s %-6s %9.2f %9.2f %9.2f\n' "$name" "$cpu" "$round" "$user" "$system" \
      "$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')"
  done | sort -k1,1 -k2,2n -k3,3n | tee "$work/table"
  echo
  echo "seconds of CPU per binary, over all its runs, and per CPU the lowest to the highest:"
  awk '{ sum[$1] += $6; key = "  " $1 " on CPU " $2; if (!(key in low) || $6 < low[key]) low[key] = $6; if ($6 > high[key]) high[key] = $6 }
       END { for (b in sum) printf "%s in all: %.2f s\n", b, sum[b]; for (key in low) printf "%s: %.2f to %.2f s\n", key, low[key], high[key] }' \
    "$work/table" | sort
}
