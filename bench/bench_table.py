#!/usr/bin/env python3
"""Prints the asm / C++ / glibc / mimalloc comparison table of the Morph benchmarks.

Reads the JSON files that Google Benchmark wrote (--benchmark_out), takes for
each benchmark the median over repetitions of CPU time divided by the
operations one iteration did (the `ops_per_iteration` counter), and puts the
implementations of one workload on one row.  Benchmarks are named
"<workload>/<asm|cpp|glibc|mimalloc>" (bench/bench_common.h).  A benchmark
that reports an `rss_MiB` counter (churn_bench) gets its resident memory
compared too.

Exit status: 0, or 1 with --strict when a row misses its target.
"""

import argparse
import json
import re
import sys

# (workload pattern, measure, compared against, highest allowed ratio
# asm/that); a workload may have several.  measure "ns" is time per op,
# "rss" the rss_MiB counter.
TARGETS = [
    (re.compile(r"^arena_"), "ns", "cpp", 1.2),
    (re.compile(r"^pool_"), "ns", "cpp", 1.2),
    (re.compile(r"^mem_pair/(16|64|256|1024)$"), "ns", "glibc", 1.0),
    # docs: issue "the page allocator at scale"; bench/README.md.
    (re.compile(r"^mem_pair/(16384|262144|1048576)$"), "ns", "glibc", 1.0),
    (re.compile(r"^churn/"), "ns", "glibc", 1.0),
    (re.compile(r"^churn/"), "ns", "mimalloc", 1.5),
    (re.compile(r"^churn/"), "rss", "glibc", 1.25),
]
# (workload, against workload, highest allowed ratio of asm's ns/op): the
# churn's cost per pair must not grow more than 2x from 1k to 1M live blocks.
SCALING_TARGETS = [("churn/1000000", "churn/1000", 2.0)]

IMPLEMENTATIONS = ("asm", "cpp", "glibc", "mimalloc")
LABELS = {"cpp": "C++", "glibc": "glibc", "mimalloc": "mimalloc"}
NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def load(paths):
    """{workload: {implementation: {"ns": ns per op, "cv": cv in %}}}, in file order."""
    rows = {}
    for path in paths:
        with open(path) as f:
            report = json.load(f)
        for bench in report["benchmarks"]:
            name = bench.get("run_name", bench["name"])
            workload, _, impl = name.rpartition("/")
            if impl not in IMPLEMENTATIONS:
                continue
            cell = rows.setdefault(workload, {}).setdefault(impl, {})
            if bench.get("error_occurred"):
                cell["error"] = bench.get("error_message", "error")
                continue
            kind = bench.get("aggregate_name") if bench.get("run_type") == "aggregate" else "single"
            if kind in ("median", "single"):
                ops = bench.get("ops_per_iteration", 1.0) or 1.0
                cell["ns"] = bench["cpu_time"] * NS_PER_UNIT[bench["time_unit"]] / ops
                if "rss_MiB" in bench:
                    cell["rss"] = bench["rss_MiB"]
            elif kind == "cv":
                cell["cv"] = bench["cpu_time"] * 100.0
    return rows


def targets_of(workload):
    return [(measure, against, limit) for pattern, measure, against, limit in TARGETS
            if pattern.search(workload)]


def fmt(cell, measure="ns"):
    if cell is None:
        return "-"
    if "error" in cell:
        return "skipped"
    if measure not in cell:
        return "-"
    return f"{cell[measure]:.2f}"


def ratio(cells, other, measure="ns"):
    a, b = cells.get("asm", {}), cells.get(other, {})
    if measure in a and measure in b and b[measure] > 0:
        return a[measure] / b[measure]
    return None


def verdict(r, limit):
    """(text, met) of one target."""
    if r is None:
        return "n/a", None
    if r <= limit:
        return "PASS", True
    return f"FAIL (+{(r / limit - 1) * 100:.0f}%)", False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+", help="Google Benchmark JSON output files")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    rows = load(args.json)
    present = [i for i in IMPLEMENTATIONS if any(i in cells for cells in rows.values())]
    others = [i for i in present if i != "asm"]
    with_rss = any("rss" in c for cells in rows.values() for c in cells.values())
    header = (["workload"] + [f"{i if i != 'cpp' else 'C++'} ns/op" for i in present] +
              [f"asm/{LABELS[i]}" for i in others] +
              ([f"{LABELS.get(i, i)} MiB" for i in present] if with_rss else []) +
              ["max cv%", "target", "result"])
    table = [header]
    missed = met = 0
    for workload, cells in rows.items():
        cvs = [c["cv"] for c in cells.values() if "cv" in c]
        targets, results = [], []
        for measure, against, limit in targets_of(workload):
            text, ok = verdict(ratio(cells, against, measure), limit)
            label = "RSS " if measure == "rss" else ""
            targets.append(f"{label}asm/{LABELS[against]} <= {limit}")
            results.append(text)
            met += ok is True
            missed += ok is False
        table.append([workload] + [fmt(cells.get(i)) for i in present] +
                     ["-" if ratio(cells, i) is None else f"{ratio(cells, i):.2f}" for i in others] +
                     ([fmt(cells.get(i), "rss") for i in present] if with_rss else []) +
                     ["-" if not cvs else f"{max(cvs):.1f}", ", ".join(targets) or "-", ", ".join(results)])

    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in range(1, len(header) - 2)]
        cells += [row[-2].ljust(widths[-2]), row[-1]]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))

    for workload, base, limit in SCALING_TARGETS:
        a = rows.get(workload, {}).get("asm", {}).get("ns")
        b = rows.get(base, {}).get("asm", {}).get("ns")
        if a is None or b is None or b <= 0:
            continue
        text, ok = verdict(a / b, limit)
        met += ok is True
        missed += ok is False
        print(f"\nscaling: asm {workload} / {base} = {a / b:.2f} (target <= {limit}): {text}")
    print(f"\ntargets met: {met}, missed: {missed} "
          "(ns/op = median CPU time per alloc(+free); MiB = resident memory grown, median; "
          "max cv% = worst spread over repetitions)")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
