#!/usr/bin/env python3
"""model_reach.py - which lines of the reference model (models/), the rules of
docs/spec.md as code, the generated property cases run.

    python3 ci/model_reach.py LCOV EXPLAINED DIRECTIONS SOURCE_ROOT

LCOV is `llvm-cov export -format=lcov` of mfh-model-cov after it replayed the
cases (ci/property_reach.sh does both).  Every line of models/ that no case
ran belongs to a function; EXPLAINED (tests/property/model_unreached.list)
says, per file and function, why the state machines cannot or need not run
it, or names it a known gap.  On the lines that cases do run, a direction of
a condition that no case takes is matched against DIRECTIONS
(tests/property/model_directions.list) in the same way, per file, function
and line text.  Prints the Markdown section of the report, then one summary
line on stderr.  Exit status: 0 every unrun line and untaken direction is
explained or a known gap and every entry of both lists is still needed; 1
otherwise; 2 bad input.
"""
import os
import subprocess
import sys


def read_lcov(path, root):
    """{file: {"lines": {n: count}, "branches": [taken...], "functions": [(line, mangled)]}}"""
    files, current = {}, None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("SF:"):
                name = os.path.relpath(line[3:], root)
                current = files.setdefault(name, {"lines": {}, "branches": [], "never": [], "functions": []})
            elif current is None:
                continue
            elif line.startswith("FN:"):
                number, mangled = line[3:].split(",", 1)
                current["functions"].append((int(number), mangled))
            elif line.startswith("DA:"):
                number, count = line[3:].split(",")[:2]
                current["lines"][int(number)] = int(count)
            elif line.startswith("BRDA:"):
                # llvm-cov writes each condition as two entries, the count of
                # its true direction, then of its false one.
                number, _, index, taken = line[5:].split(",")
                count = 0 if taken == "-" else int(taken)
                current["branches"].append(count)
                if count == 0:
                    current["never"].append((int(number), int(index)))
    return files


def demangle(names):
    if not names:
        return {}
    out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True, check=True).stdout
    return dict(zip(names, out.splitlines()))


def function_at(data, readable, number):
    """The demangled name of the function a line is in (the last one that
    starts at or before it), parameters included."""
    owners = [name for start, name in sorted((n, readable[m]) for n, m in data["functions"]) if start <= number]
    return owners[-1] if owners else "?"


def short_name(function):
    """A function's name without its parameters, for the report."""
    return function.replace("(anonymous namespace)", "{anonymous}").split("(")[0]


def unrun_groups(data, readable):
    """Runs of unrun lines (a gap of one run line or blank joins them), each
    with the function it starts in: [(first, last, function)]."""
    groups = []
    for n in sorted(k for k, c in data["lines"].items() if c == 0):
        if groups and n - groups[-1][1] <= 2:
            groups[-1][1] = n
        else:
            groups.append([n, n])
    return [(first, last, function_at(data, readable, first)) for first, last in groups]


def never_taken(data, readable, source):
    """Per source line that cases run, the directions of its conditions that
    no case takes: [(line, function, ["condition 2 false", ...], text)]."""
    by_line = {}
    for number, index in data["never"]:
        if data["lines"].get(number, 0) == 0:
            continue  # a line no case runs: listed with its reason above
        by_line.setdefault(number, []).append(f"condition {index // 2 + 1} {'true' if index % 2 == 0 else 'false'}")
    out = []
    for number in sorted(by_line):
        text = source[number - 1].strip() if number <= len(source) else ""
        out.append((number, function_at(data, readable, number), by_line[number], text))
    return out


def read_entries(path, fields):
    """The entries of a list of reasons, each `fields` texts separated by
    "|", the last the reason: [(text, ..., reason, is_gap)]; a reason that
    starts with "gap:" names a rule the state machines should reach and do
    not yet."""
    entries = []
    with open(path) as f:
        for number, raw in enumerate(f, 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in raw.split("|", len(fields) - 1)]
            if len(parts) != len(fields) or not all(parts):
                raise ValueError(f"{path}:{number}: expected '{' | '.join(fields)}'")
            entries.append((*parts, parts[-1].startswith("gap:")))
    return entries


def matching_entry(entries, short, function, text=None):
    """The index of the first entry for a line of file `short`: the same
    file, and the line's function name holds the entry's function text; an
    entry of DIRECTIONS also names a text the line's source holds ("*": any
    line of the function)."""
    return next((i for i, e in enumerate(entries)
                 if e[0] == short and e[1] in function and (text is None or e[2] == "*" or e[2] in text)), None)


def main():
    if len(sys.argv) != 5:
        print("usage: model_reach.py LCOV EXPLAINED DIRECTIONS SOURCE_ROOT", file=sys.stderr)
        return 2
    lcov, explained_path, directions_path, root = sys.argv[1:]
    try:
        files = read_lcov(lcov, root)
        explained = read_entries(explained_path, ["file", "function", "reason"])
        directions = read_entries(directions_path, ["file", "function", "line text or *", "reason"])
    except (OSError, ValueError) as error:
        print(f"model_reach: {error}", file=sys.stderr)
        return 2
    files = {k: v for k, v in files.items() if k.startswith("models/")}
    if not files:
        print("model_reach: the coverage export names no file of models/", file=sys.stderr)
        return 2
    readable = demangle(sorted({m for d in files.values() for _, m in d["functions"]}))

    print("## The model's lines no generated case runs")
    print()
    print("The reference model (`models/`) is the rules of `docs/spec.md` as code: a line of it that no case")
    print("runs is a rule, or a part of one, that the state machines never exercise. The same cases as above,")
    print("and those of `MeminfoProperty.Simulated` and `DaemonProperty.Simulated`, replayed through")
    print("`mfh-model-cov` (the model compiled for clang's source coverage).")
    print()
    print("| file | lines run | branch directions taken |")
    print("|---|---|---|")
    totals = [0, 0, 0, 0]
    for name in sorted(files):
        d = files[name]
        run = sum(1 for c in d["lines"].values() if c > 0)
        taken = sum(1 for c in d["branches"] if c > 0)
        totals = [totals[0] + run, totals[1] + len(d["lines"]), totals[2] + taken, totals[3] + len(d["branches"])]
        branches = f"{taken}/{len(d['branches'])}" if d["branches"] else "-"
        print(f"| {name[len('models/'):]} | {run}/{len(d['lines'])} | {branches} |")
    print(f"| **all** | {totals[0]}/{totals[1]} ({100.0 * totals[0] / totals[1]:.1f}%) | "
          f"{totals[2]}/{totals[3]} ({100.0 * totals[2] / max(totals[3], 1):.1f}%) |")
    print()
    print("The directions of the model's conditions that no case takes, on lines that cases do run, are")
    print("listed at the end, each with the reason the state machines cannot or need not take it.")
    print()
    print("### Lines no case runs, and why")
    print()
    used, unexplained, gaps, listed = set(), 0, 0, 0
    for name in sorted(files):
        source = open(os.path.join(root, name), errors="replace").read().split("\n")
        for first, last, function in unrun_groups(files[name], readable):
            listed += 1
            short = name[len("models/"):]
            match = matching_entry(explained, short, function)
            where = f"{short}:{first}" + (f"-{last}" if last != first else "")
            text = source[first - 1].strip() if first <= len(source) else ""
            if match is None:
                unexplained += 1
                reason = "**unexplained: no entry in tests/property/model_unreached.list**"
            else:
                used.add(match)
                reason = explained[match][2]
                if explained[match][3]:
                    gaps += 1
                    reason = "**" + reason + "**"
            print(f"- `{where}` in `{short_name(function)}`, `{text[:80]}`: {reason}")
    if listed == 0:
        print("None.")
    print()
    print("### Directions of the model's conditions no case takes, on lines cases run")
    print()
    # Grouped by reason: one bullet per entry of DIRECTIONS, its lines under it.
    by_entry, unexplained_directions, direction_gaps, lines_untaken = {}, [], 0, 0
    for name in sorted(files):
        short = name[len("models/"):]
        source = open(os.path.join(root, name), errors="replace").read().split("\n")
        for number, function, conditions, text in never_taken(files[name], readable, source):
            lines_untaken += 1
            line = f"{short}:`{number}` in `{short_name(function)}`, {', '.join(conditions)}: `{text[:80]}`"
            match = matching_entry(directions, short, function, text)
            if match is None:
                unexplained_directions.append(line)
            else:
                by_entry.setdefault(match, []).append(line)
    for i in sorted(by_entry):
        reason = directions[i][3]
        if directions[i][4]:
            direction_gaps += len(by_entry[i])
            reason = "**" + reason + "**"
        print(f"- {reason}")
        for line in by_entry[i]:
            print(f"  - {line}")
    for line in unexplained_directions:
        print(f"- {line}: **unexplained: no entry in tests/property/model_directions.list**")
    if lines_untaken == 0:
        print("None.")
    stale = [e for i, e in enumerate(explained) if i not in used]
    for e in stale:
        print(f"model_reach: model_unreached.list entry '{e[0]} | {e[1]}' matches no unrun line: remove it",
              file=sys.stderr)
    stale_directions = [e for i, e in enumerate(directions) if i not in by_entry]
    for e in stale_directions:
        print(f"model_reach: model_directions.list entry '{e[0]} | {e[1]} | {e[2]}' matches no untaken direction: "
              "remove it", file=sys.stderr)
    print(f"model_reach: {listed} runs of unrun lines, {gaps} of them known gaps, {unexplained} unexplained, "
          f"{len(stale)} stale explanations; {lines_untaken} lines with an untaken direction, {direction_gaps} of "
          f"them known gaps, {len(unexplained_directions)} unexplained, {len(stale_directions)} stale explanations",
          file=sys.stderr)
    return 1 if unexplained or stale or unexplained_directions or stale_directions else 0


if __name__ == "__main__":
    sys.exit(main())
