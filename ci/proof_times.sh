#!/usr/bin/env bash
# How much CPU each code proof takes (issue 15: no proof, of the code or of a
# broken variant of the mutant registry, may take more than 60 s of CPU, and
# all proofs of the code together must take less than 60 s).
#
#   bash ci/proof_times.sh [--limit SECONDS] [--rounds N]   (defaults 60, 3)
#
# Runs, one at a time so that each has a core to itself, the command of
# every test of the proof label that runs mf_code_proof (proof.code.<f> and
# proof.selftest.<variant>), then `mf_code_proof --all` plus new_slab (the
# local function --all leaves to its own proof) on the library's objects:
# the figure the issue's total is about, N times (--rounds): the total is
# judged by its median, since on this VM the same binary's --all has taken
# 58 s on one run and 70 s on the next (the host's load shows up as the
# guest's own CPU time: no steal time is reported).  CPU time is user plus system time
# of the prover and the objdump it runs, which load changes far less than
# wall-clock time; still, measure on a quiet machine and give the load
# average with the figures.  Prints a Markdown table, longest first, and
# exits 1 if a test fails or a proof runs over the limit.
#
# Environment: MF_BUILD_DIR (default build), already built.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${MF_BUILD_DIR:-build}
limit=60
rounds=3
usage="usage: bash ci/proof_times.sh [--limit SECONDS] [--rounds N]"
while [ $# -gt 0 ]; do
  case "$1" in
    --limit) limit=${2:?--limit needs a number of seconds}; shift 2 ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "proof_times: --rounds must be a whole number from 1 up" >&2; exit 2; }
[[ "$limit" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "proof_times: --limit must be a number of seconds" >&2; exit 2; }
[ -x "$build_dir/proofs/code/mf_code_proof" ] ||
  { echo "proof_times: no $build_dir/proofs/code/mf_code_proof: build first" >&2; exit 2; }
command -v python3 > /dev/null || { echo "proof_times: needs python3 (bash ci/setup.sh installs it)" >&2; exit 2; }

listing=$(mktemp)
trap 'rm -f "$listing"' EXIT
ctest --test-dir "$build_dir" --show-only=json-v1 -L proof > "$listing"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

status=0
python3 - "$listing" "$limit" "$rounds" <<'PY' || status=$?
import json, os, re, resource, statistics, subprocess, sys

listing, limit, rounds = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])

def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

def run(command, cwd):
    """Runs one command; returns (exit code, output, CPU seconds)."""
    before = cpu_of_children()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return done.returncode, done.stdout, cpu_of_children() - before

def verdict(output):
    for pattern in ("PROVED", "COUNTEREXAMPLE", "NO VERDICT", "PROOF ERROR", "Z3 ERROR"):
        if re.search(r"^" + pattern, output, re.M):
            return pattern.lower()
    return "no verdict printed"

with open(listing) as f:
    tests = json.load(f)["tests"]
rows, failed, objects, prover = [], [], None, None
for test in tests:
    command = test.get("command") or []
    if not command or os.path.basename(command[0]) != "mf_code_proof":
        continue
    props = {p["name"]: p["value"] for p in test.get("properties", [])}
    cwd = props.get("WORKING_DIRECTORY")
    code, output, seconds = run(command, cwd)
    if code != 0:
        failed.append(test["name"])
    rows.append((seconds, test["name"], verdict(output), "passed" if code == 0 else "FAILED"))
    print(f"  {seconds:7.1f} s  {test['name']}", flush=True)
    if test["name"].startswith("proof.code.") and objects is None:
        prover = command[0]
        objects = [a for a in command if a.endswith(".o")]
        objdump = command[command.index("--objdump") + 1]

# The parts of one round, and per round the seconds of each, in order.
parts = (["--all"], ["--proof", "new_slab"])
total_rounds = []
if objects:
    for round_number in range(1, rounds + 1):
        seconds_of_parts = []
        for what in parts:
            code, output, seconds = run([prover, "--objdump", objdump] + what + objects, None)
            if code != 0:
                failed.append("mf_code_proof " + " ".join(what))
            seconds_of_parts.append(seconds)
            print(f"  {seconds:7.1f} s  mf_code_proof {' '.join(what)}  (round {round_number})", flush=True)
        total_rounds.append(seconds_of_parts)

print()
print("| test | verdict | result | CPU s |")
print("|---|---|---|---|")
for seconds, name, said, result in sorted(rows, reverse=True):
    print(f"| {name} | {said} | {result} | {seconds:.1f} |")
over = [(s, n) for s, n, _, _ in rows if s > limit]
code_rows = [r for r in rows if r[1].startswith("proof.code.")]
variant_rows = [r for r in rows if not r[1].startswith("proof.code.")]
print()
if code_rows:
    print(f"longest proof of the code: {max(code_rows)[1]} {max(code_rows)[0]:.1f} s")
if variant_rows:
    print(f"longest proof of a broken variant: {max(variant_rows)[1]} {max(variant_rows)[0]:.1f} s")
if total_rounds:
    totals = [sum(seconds_of_parts) for seconds_of_parts in total_rounds]
    for seconds_of_parts in total_rounds:
        named = ", ".join(f"{' '.join(w)} {s:.1f} s" for w, s in zip(parts, seconds_of_parts))
        print(f"all proofs of the code together, one round: {sum(seconds_of_parts):.1f} s of CPU ({named})")
    total = statistics.median(totals)
    print(f"all proofs of the code together: median {total:.1f} s of CPU over {len(totals)} round(s) "
          f"(from {min(totals):.1f} to {max(totals):.1f} s); limit {limit:.0f} s: "
          + ("within" if total < limit else "OVER"))
    if total >= limit:
        over.append((total, "all proofs together (median)"))
for seconds, name in over:
    print(f"over the limit of {limit:.0f} s: {name} {seconds:.1f} s")
for name in failed:
    print(f"failed: {name}")
sys.exit(1 if over or failed else 0)
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
