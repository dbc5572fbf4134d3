#!/usr/bin/env python3
"""Prints the asm / C++ / glibc comparison table of the Morph benchmarks.

Reads the JSON files that Google Benchmark wrote (--benchmark_out), takes for
each benchmark the median over repetitions of CPU time divided by the
operations one iteration did (the `ops_per_iteration` counter), and puts the
implementations of one workload on one row.  Benchmarks are named
"<workload>/<asm|cpp|glibc>" (bench/bench_common.h).

Exit status: 0, or 1 with --strict when a row misses its target.
"""

import argparse
import json
import re
import sys

# (workload pattern, compared against, highest allowed ratio asm/that).
TARGETS = [
    (re.compile(r"^arena_"), "cpp", 1.2),
    (re.compile(r"^pool_"), "cpp", 1.2),
    (re.compile(r"^mem_pair/(16|64|256|1024)$"), "glibc", 1.0),
]

IMPLEMENTATIONS = ("asm", "cpp", "glibc")
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
            elif kind == "cv":
                cell["cv"] = bench["cpu_time"] * 100.0
    return rows


def target_of(workload):
    for pattern, against, limit in TARGETS:
        if pattern.search(workload):
            return against, limit
    return None


def fmt_ns(cell):
    if cell is None:
        return "-"
    if "error" in cell:
        return "skipped"
    if "ns" not in cell:
        return "-"
    return f"{cell['ns']:.2f}"


def ratio(cells, other):
    a, b = cells.get("asm", {}), cells.get(other, {})
    if "ns" in a and "ns" in b and b["ns"] > 0:
        return a["ns"] / b["ns"]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+", help="Google Benchmark JSON output files")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    rows = load(args.json)
    header = ["workload", "asm ns/op", "C++ ns/op", "glibc ns/op", "asm/C++", "asm/glibc",
              "max cv%", "target", "result"]
    table = [header]
    missed = met = 0
    for workload, cells in rows.items():
        to_cpp, to_glibc = ratio(cells, "cpp"), ratio(cells, "glibc")
        cvs = [c["cv"] for c in cells.values() if "cv" in c]
        target, result = "-", ""
        found = target_of(workload)
        if found:
            against, limit = found
            target = f"asm/{'C++' if against == 'cpp' else against} <= {limit}"
            r = to_cpp if against == "cpp" else to_glibc
            if r is None:
                result = "n/a"
            elif r <= limit:
                result, met = "PASS", met + 1
            else:
                result, missed = f"FAIL (+{(r / limit - 1) * 100:.0f}%)", missed + 1
        table.append([
            workload,
            fmt_ns(cells.get("asm")),
            fmt_ns(cells.get("cpp")),
            fmt_ns(cells.get("glibc")),
            "-" if to_cpp is None else f"{to_cpp:.2f}",
            "-" if to_glibc is None else f"{to_glibc:.2f}",
            "-" if not cvs else f"{max(cvs):.1f}",
            target,
            result,
        ])

    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in range(1, 7)]
        cells += [row[7].ljust(widths[7]), row[8]]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\ntargets met: {met}, missed: {missed} "
          "(ns/op = median CPU time per alloc(+free); max cv% = worst spread over repetitions)")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
