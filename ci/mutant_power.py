#!/usr/bin/env python3
"""mutant_power.py - whether two builds find the broken variants of
tests/mutants equally fast: the fuzz-smoke test of each mutant, run on many
libFuzzer seeds in both builds, and the executions each run took to its
finding compared mutant by mutant.

    python3 ci/mutant_power.py [--seeds N] [--first S] [--tests REGEX]
                               [--seconds T] [--jobs J] [--raw FILE] BUILD_A BUILD_B

Why a test of its own: a change to the harness or to what an input means
sends libFuzzer down other paths, so the executions to a finding move from
one seed to the next by a factor of ten, and two medians over fifteen seeds
differ by a third with no change of power at all (harness/fuzz/README.md,
"The memory limit in the trace").  Comparing medians alone calls about half
of the mutants worse by chance.  This says, for each mutant, how likely a
difference as large as the one seen is when both builds are equally strong.

Runs: for every fuzz_mutant_<name> test (not the _nocov twins) that both
builds have, with its fuzzer built, and whose name matches REGEX (default: all), seeds S to S+N-1
(default 1 to 15): the test's own command, as `ctest -N -V` prints it, with
MF_FUZZ_SEED set, its work folder moved to a fresh temporary one (so nothing
collides with a test suite running in the same build) and, with --seconds,
its time budget replaced.  J runs at once (default: the CPUs this process
may use).  An execution count does not depend on the machine's load, only
on the build and the seed; the load can only make a run reach its time
budget first.

Prints a Markdown table: per mutant, the runs that found it in A and in B,
the median executions (a run that did not find it counts as more than any
that did), B's median over A's, and two one-sided p-values of the
Mann-Whitney rank-sum test (normal approximation, corrected for ties): that
B needs more executions than A, and that it needs fewer.  The verdict is
"more" or "fewer" when that p-value is below 0.05 divided by the number of
mutants compared (Bonferroni: the chance that any row of an unchanged
build says "more" stays below 5%), and "the same" otherwise.  --raw FILE
keeps every run (build, mutant, seed, executions or "-") as CSV.

Exit status: 0 when every run of B found its mutant with the expected
signature; 1 when some run of B did not (the table says which); 2 on bad
usage, a build without the tests, or a run that could not start.
`--self-test` checks the statistics on fixed samples and exits.
"""
import argparse
import concurrent.futures
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile

ALPHA = 0.05
FOUND = re.compile(r"^mutant_found: MF-DIVERGENCE .* after (\d+) executions$", re.M)


def fail(message):
    print(f"mutant_power: {message}", file=sys.stderr)
    sys.exit(2)


def mutant_commands(build, pattern):
    """{mutant name: [argv of its fuzz-smoke test]} for the fuzz_mutant tests of a build whose fuzzer is built."""
    if not os.path.isfile(os.path.join(build, "CTestTestfile.cmake")):
        fail(f"{build} is not a configured build folder (no CTestTestfile.cmake)")
    listing = subprocess.run(["ctest", "--test-dir", build, "-N", "-V", "-R", "^fuzz_mutant_"],
                             capture_output=True, text=True)
    if listing.returncode != 0:
        fail(f"ctest could not list the tests of {build}: {listing.stderr.strip()}")
    commands, names = {}, {}
    for line in listing.stdout.splitlines():
        m = re.match(r"^(\d+): Test command: (.*)$", line)
        if m:
            commands[m.group(1)] = shlex.split(m.group(2))
            continue
        m = re.match(r"^\s*Test\s+#(\d+): fuzz_mutant_(\S+)$", line)
        if m and not m.group(2).endswith("_nocov") and re.fullmatch(pattern, m.group(2)):
            names[m.group(1)] = m.group(2)
    out = {}
    for number, name in names.items():
        argv = commands.get(number)
        script = next((i for i, word in enumerate(argv or []) if word.endswith("mutant_found.sh")), None)
        # A fuzzer that was not built (a partial build) is left out, not
        # counted as a run that found nothing.
        if script is not None and len(argv) > script + 7 and os.access(argv[script + 1], os.X_OK):
            out[name] = argv
    return out


def run_once(argv, seed, seconds):
    """Executions the run took to its finding, or None when it found nothing (or another bug)."""
    # mutant_found.sh FUZZER SEEDS DICT WORK TARGET OP SECONDS [REPRODUCER], after `bash`.
    argv = list(argv)
    script = next(i for i, word in enumerate(argv) if word.endswith("mutant_found.sh"))  # mutant_commands checked it
    work = tempfile.mkdtemp(prefix="mutant_power.")
    try:
        argv[script + 4] = os.path.join(work, "run")
        if seconds is not None:
            argv[script + 7] = str(seconds)
        env = dict(os.environ, MF_FUZZ_SEED=str(seed))
        try:
            result = subprocess.run(argv, capture_output=True, text=True, env=env)
        except OSError as error:
            fail(f"could not start {argv[0]}: {error}")
        m = FOUND.search(result.stdout)
        return int(m.group(1)) if result.returncode == 0 and m else None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ranks(values):
    """Mid-ranks (1-based) of values, where None ranks above every number; and the tie groups' sizes."""
    key = [(math.inf if v is None else v, i) for i, v in enumerate(values)]
    key.sort()
    out, ties, i = [0.0] * len(values), [], 0
    while i < len(key):
        j = i
        while j + 1 < len(key) and key[j + 1][0] == key[i][0]:
            j += 1
        for k in range(i, j + 1):
            out[key[k][1]] = (i + j) / 2 + 1
        ties.append(j - i + 1)
        i = j + 1
    return out, ties


def rank_sum_p(a, b):
    """One-sided p-values (B larger than A, B smaller than A) of the Mann-Whitney
    test, normal approximation with tie and continuity corrections."""
    n, m = len(a), len(b)
    r, ties = ranks(list(a) + list(b))
    u_b = sum(r[n:]) - m * (m + 1) / 2  # pairs (a, b) with b above a, ties counting half
    mean = n * m / 2
    total = n + m
    variance = n * m / 12 * ((total + 1) - sum(t ** 3 - t for t in ties) / (total * (total - 1)))
    if variance <= 0:
        return 1.0, 1.0  # every value tied: nothing tells the builds apart
    sd = math.sqrt(variance)

    def upper_tail(z):
        return 0.5 * math.erfc(z / math.sqrt(2))

    return upper_tail((u_b - mean - 0.5) / sd), upper_tail((mean - u_b - 0.5) / sd)


def median(values):
    """Median with None as more than any number; None when that is where it falls."""
    key = sorted(math.inf if v is None else v for v in values)
    mid = statistics.median(key)
    return None if math.isinf(mid) else mid


def self_test():
    problems = []
    low, high = list(range(1, 16)), list(range(16, 31))
    more, fewer = rank_sum_p(low, high)
    if not (more < 1e-5 and fewer > 0.999):
        problems.append(f"separated samples: p = {more}, {fewer}")
    more, fewer = rank_sum_p(low, low)
    if not (0.4 < more <= 1 and 0.4 < fewer <= 1):
        problems.append(f"equal samples: p = {more}, {fewer}")
    more, fewer = rank_sum_p([5] * 10, [5] * 10)
    if (more, fewer) != (1.0, 1.0):
        problems.append(f"all tied: p = {more}, {fewer}")
    more, _ = rank_sum_p(low, [None] * 15)
    if not more < 1e-5:
        problems.append(f"never found in B: p = {more}")
    if median([3, None, None]) is not None or median([1, 2, None]) != 2:
        problems.append("median with runs that found nothing")
    if ranks([2, None, 2, 1])[0] != [2.5, 4.0, 2.5, 1.0]:
        problems.append(f"ranks: {ranks([2, None, 2, 1])[0]}")
    for problem in problems:
        print(f"mutant_power self-test: {problem}", file=sys.stderr)
    print("mutant_power self-test: " + ("failed" if problems else "ok"))
    return 1 if problems else 0


def text(v):
    return "not found" if v is None else f"{v:,.0f}"


def main():
    parser = argparse.ArgumentParser(description="Compare how fast two builds find the mutants of tests/mutants.")
    parser.add_argument("--seeds", type=int, default=15)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--tests", default=".*", help="regular expression over the mutants' names")
    parser.add_argument("--seconds", type=int, default=None, help="each run's time budget (default: the test's)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--raw", default=None, help="CSV of every run")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("builds", nargs="*")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if len(args.builds) != 2:
        parser.print_usage(sys.stderr)
        fail("two build folders, A and B")
    if args.seeds < 2 or args.first < 1 or args.jobs < 1 or (args.seconds is not None and args.seconds < 1):
        fail("--seeds wants at least 2, --first, --jobs and --seconds at least 1")
    try:
        re.compile(args.tests)
    except re.error as error:
        fail(f"--tests is not a regular expression: {error}")

    commands = [mutant_commands(b, args.tests) for b in args.builds]
    shared = sorted(set(commands[0]) & set(commands[1]))
    if not shared:
        fail("no fuzz_mutant test that both builds have matches --tests")
    only = [sorted(set(commands[i]) - set(commands[1 - i])) for i in (0, 1)]
    seeds = range(args.first, args.first + args.seeds)
    jobs = [(side, name, seed) for name in shared for seed in seeds for side in (0, 1)]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_once, commands[side][name], seed, args.seconds): (side, name, seed)
                   for side, name, seed in jobs}
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()

    if args.raw:
        with open(args.raw, "w") as f:
            f.write("build,mutant,seed,executions\n")
            for side, name, seed in jobs:
                v = results[(side, name, seed)]
                f.write(f"{'AB'[side]},{name},{seed},{'-' if v is None else v}\n")

    threshold = ALPHA / len(shared)
    print(f"A: {args.builds[0]}  \nB: {args.builds[1]}  \nlibFuzzer seeds {seeds.start} to {seeds.stop - 1}; "
          f"a verdict needs p < {ALPHA} / {len(shared)} = {threshold:.4f}\n")
    print("| mutant | found in A | found in B | median A | median B | B / A | p (B more) | p (B fewer) | verdict |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    sums, b_missed = [0.0, 0.0], []  # a sum is None once a median is "not found"
    for name in shared:
        a = [results[(0, name, s)] for s in seeds]
        b = [results[(1, name, s)] for s in seeds]
        med = [median(a), median(b)]
        sums = [None if total is None or m is None else total + m for total, m in zip(sums, med)]
        ratio = f"{med[1] / med[0]:.2f}" if None not in med and med[0] > 0 else "-"
        more, fewer = rank_sum_p(a, b)
        verdict = "more" if more < threshold else "fewer" if fewer < threshold else "the same"
        found = [sum(v is not None for v in side) for side in (a, b)]
        if found[1] < len(b):
            b_missed.append(name)
        print(f"| {name} | {found[0]}/{len(a)} | {found[1]}/{len(b)} | {text(med[0])} | {text(med[1])} | {ratio} "
              f"| {more:.3f} | {fewer:.3f} | {verdict} |")
    print(f"\nSum of the medians: A {text(sums[0])}, B {text(sums[1])}.")
    for i in (0, 1):
        if only[i]:
            print(f"Built only in {'AB'[i]} (not compared): {', '.join(only[i])}.")
    if b_missed:
        print(f"Some runs of B found nothing, or another bug: {', '.join(b_missed)}.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
