#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The include graph is the architecture (tests/meson.build: include-graph).

Every product file belongs to a stage; a file may include the headers of its own stage and of
the stages below it, never one above:

    base -> reader -> event -> parsers | core -> compare -> reports -> cli

Parsers and core stand side by side: they meet only in the event header (lc/event.h), so a
parser never includes a core header and the core never includes a parser's. A .c file's stage
is its folder; a header's is the table below, and a header missing from it fails the test, so a
new module has to say where it stands.
Usage: include_graph.py SOURCE_ROOT
"""
import os
import re
import sys

HEADERS = {
    "util": "base", "hash": "base", "handoff": "base", "regex": "base", "index": "base", "intern": "base",
    "reader": "reader", "jsonread": "reader",
    "event": "event",
    "server_log": "parsers", "debug_log": "parsers", "scan": "parsers",
    "model": "core", "replay": "core", "lifetimes": "core", "join": "core", "evidence": "core", "history": "core", "timeline": "core",
    "side": "compare", "diff": "compare", "metrics": "compare", "gate": "compare",
    "suppressions": "compare", "filter": "compare",
    "report": "reports", "json": "reports", "ci_findings": "reports",
    "report_text": "reports", "report_json": "reports", "report_html": "reports",
    "run": "cli", "format": "cli", "pipeline": "cli",
}
FOLDERS = {
    "src/base": "base", "src/reader": "reader", "parsers": "parsers", "src/core": "core",
    "src/compare": "compare", "reports": "reports", "src/cli": "cli",
}
RANK = {"base": 0, "reader": 1, "event": 2, "parsers": 3, "core": 3, "compare": 4, "reports": 5, "cli": 6}


def main():
    root = sys.argv[1]
    files = []
    for folder, stage in FOLDERS.items():
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if name.endswith(".c"):
                files.append((os.path.join(folder, name), stage))
    for name in sorted(os.listdir(os.path.join(root, "include/lc"))):
        h = name[:-2]
        if h not in HEADERS:
            print(f"FAIL: include/lc/{name} has no stage in tests/include_graph.py")
            return 1
        files.append((f"include/lc/{name}", HEADERS[h]))
    for folder in ["src"]:
        stray = [n for n in os.listdir(os.path.join(root, folder)) if n.endswith(".c")]
        if stray:
            print(f"FAIL: {', '.join(stray)} directly in src/: put each in the folder of its stage")
            return 1
    bad = 0
    edges = 0
    for path, stage in files:
        for lineno, line in enumerate(open(os.path.join(root, path), encoding="utf-8"), 1):
            m = re.match(r'\s*#\s*include\s+"lc/([a-z_]+)\.h"', line)
            if not m:
                continue
            edges += 1
            target = HEADERS.get(m.group(1))
            if target is None:
                print(f"FAIL: {path}:{lineno}: lc/{m.group(1)}.h has no stage")
                bad += 1
            elif target != stage and RANK[target] >= RANK[stage]:
                print(f"FAIL: {path}:{lineno}: {stage} includes lc/{m.group(1)}.h of {target}, "
                      f"{'beside' if RANK[target] == RANK[stage] else 'above'} it")
                bad += 1
    print(f"{len(files)} files, {edges} includes, {bad} against the stages")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
