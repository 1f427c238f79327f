#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The metric table and the JSON report agree (tests/meson.build: metrics-table).

`--list-metrics` prints the one table of metric names (N an integer, TYPE a buffer type).
`--list-metrics FILE...` prints every integer path of that run's JSON report. Over a corpus
of runs that between them fill every section of the report:
  - every path a report has matches a row of the table (a new report field needs a row), and
  - every report-path row (not "[derived]") is seen in some run (a renamed field leaves no
    stale row behind).
Usage: metrics_table.py TOOL SOURCE_ROOT
"""
import os
import re
import subprocess
import sys

RUNS = [
    ["testdata/sample/debug-llama.log.gz"],
    ["--all-allocations", "--stack-depth", "4", "testdata/hand_debug/join_owning_server.log",
     "testdata/hand_debug/join_owning_debug.log"],
    ["--at-dump", "1", "testdata/hand/dump_twice.log"],
    ["testdata/hand_debug/stacks_server.log", "testdata/hand_debug/stacks_debug.log"],
    ["testdata/hand/restart.log"],
    ["--device", "0", "--pid", "1", "--min-size", "1", "testdata/hand/restart.log"],
    ["testdata/hand/restarts3.log"],
    ["testdata/hand/implausible.log"],
    ["testdata/hand/cleanup_disagree.log"],
    ["testdata/hand/v5_umd.log"],
    ["--diff", "testdata/gate/dbg_before.log", "testdata/gate/dbg_after.log"],
]


def pattern_re(name):
    parts = []
    for seg in name.split("."):
        parts.append(r"-?[0-9]+" if seg == "N" else r"[A-Z0-9_]+" if seg == "TYPE" else re.escape(seg))
    return re.compile(r"\.".join(parts) + r"\Z")


def main():
    tool, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    table = subprocess.run([tool, "--list-metrics"], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in table.splitlines():
        name = line.split()[0]
        rows.append((name, "[derived]" in line, pattern_re(name)))
    seen = {name: False for name, derived, _ in rows if not derived}
    fails = 0
    for args in RUNS:
        r = subprocess.run([tool, "--list-metrics"] + args, capture_output=True, text=True, cwd=root)
        if r.returncode != 0 or not r.stdout:
            print(f"FAIL: --list-metrics {' '.join(args)}: exit {r.returncode}: {r.stderr[-300:]}")
            fails += 1
            continue
        for line in r.stdout.splitlines():
            path, value = line.rsplit(" ", 1)
            int(value)
            hits = [name for name, derived, rx in rows if rx.match(path)]
            if not hits:
                print(f"FAIL: report path {path} ({' '.join(args)}) has no row in the metric table")
                fails += 1
            for h in hits:
                if h in seen:
                    seen[h] = True
    for name, ok in seen.items():
        if not ok:
            print(f"FAIL: table row {name} is in no report of the corpus (renamed or gone?)")
            fails += 1
    print(f"{len(rows)} rows, {sum(seen.values())} report paths seen, {fails} problems")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
