#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every case file is registered, and every registered case has its file (tests/meson.build: case-drift).

Adding a test is one step: the case file (NAME.expect, the one grammar of tests/run_case.py), and its
name in the list of its folder's meson.build. A case file of an older grammar (NAME.test, read by the
retired tests/cli_run.py) fails here too: it would never run.
A case file that is not in the list would never run (a test that cannot fail), and a name
without its file fails at configure time only by luck; this test says which.
Usage: case_drift.py SOURCE_ROOT
"""
import os
import re
import sys

# the one case-file suffix; each case folder, the meson.build holding its list, the list's variable
SUFFIX = ".expect"
OLD_SUFFIXES = (".test",)
SUITES = [
    ("tests/cli", "tests/meson.build", "cli_cases"),
    ("testdata/hand", "testdata/hand/meson.build", "hand_cases"),
    ("testdata/hand_debug", "testdata/hand_debug/meson.build", "hand_debug_cases"),
    ("testdata/gate", "testdata/gate/meson.build", "gate_cases"),
]


def listed(build, var):
    text = open(build, encoding="utf-8").read()
    m = re.search(var + r"\s*=\s*\[(.*?)\]", text, re.S)
    if not m:
        raise SystemExit(f"FAIL: {build} has no {var} list")
    body = re.sub(r"#[^\n]*", "", m.group(1))
    return set(re.findall(r"'([^']+)'", body))


def main():
    root = sys.argv[1]
    bad = total = 0
    for folder, build, var in SUITES:
        suffix = SUFFIX
        files = {n[:-len(suffix)] for n in os.listdir(os.path.join(root, folder)) if n.endswith(suffix)}
        names = listed(os.path.join(root, build), var)
        total += len(files)
        for n in sorted(os.listdir(os.path.join(root, folder))):
            if n.endswith(OLD_SUFFIXES):
                print(f"FAIL: {folder}/{n} is a case file of the old grammar: convert it to "
                      f"{n.rsplit('.', 1)[0]}{SUFFIX} (tests/run_case.py says how)")
                bad += 1
        for n in sorted(files - names):
            print(f"FAIL: {folder}/{n}{suffix} is not in {var} ({build}): it never runs")
            bad += 1
        for n in sorted(names - files):
            print(f"FAIL: {var} ({build}) names {n}, but {folder}/{n}{suffix} does not exist")
            bad += 1
    print(f"{total} case files, {bad} not in step with meson.build")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
