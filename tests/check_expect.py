#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run tt-leakcorr on a hand-made case and check its JSON report.

Usage: check_expect.py TOOL CASE.expect

An expect file is plain text, one directive per line:

    # comment (also: blank lines are ignored)
    args: FILE... [OPTIONS]      the tool's arguments, shell-quoted; paths are
                                 relative to the expect file's directory (the
                                 tool runs there); `--format json` is added
    stdin: FILE                  optional: feed FILE to the tool's stdin
    exit = N                     expected exit status (default 0, checked
                                 even when not written)
    stderr ~ REGEX               stderr must match REGEX (re.search,
                                 multiline); may be given several times
    text ~ REGEX                 the text report (the same arguments with
                                 `--format text`, run once more) must match
                                 REGEX (re.search, multiline); for the
                                 sentences of the text report
    PATH = JSON                  the value at PATH must equal JSON
    PATH ~= NUMBER               the number at PATH must equal NUMBER within
                                 a relative 1e-6 (for %g-printed floats)
    len(PATH) = N                the array/object/string at PATH has N items

PATH is a JSON path: `server.events.alloc`, `server.leaks[0].address`,
`inputs[0].malformed_lines`, `server.reuse[-1]` (negative indices count from
the end).  The empty path `.` is the whole report.

Equality is strict about types (true is not 1, 1 is not "1", an expected
integer needs an integer), arrays must match element by element with the
same length, and an expected object matches when every key it lists is
present and equal -- the report schema lets the tool add fields, so extra
keys are allowed.

Each failure is printed as `CASE:LINENO: PATH: expected X, got Y`.  Exit 0
when every assertion holds, 1 otherwise (a malformed expect file, or one
without a single assertion, is a failure too: a test that cannot fail is a
defect).
"""

import json
import math
import os
import re
import shlex
import subprocess
import sys

TIMEOUT = 120

MISSING = object()


class ExpectError(Exception):
    pass


class Assertion:
    def __init__(self, lineno, kind, path, value, text):
        self.lineno = lineno
        self.kind = kind      # "eq", "approx", "len", "exit", "stderr"
        self.path = path      # list of keys/indices, or None
        self.value = value
        self.text = text      # path as written


PATH_TOKEN = re.compile(r"""
    (?P<key>[A-Za-z_][A-Za-z0-9_]*)
  | \[(?P<index>-?[0-9]+)\]
  | \[(?P<qkey>"(?:[^"\\]|\\.)*")\]
""", re.X)


def parse_path(text, lineno):
    """Turn `a.b[0].c` into ['a', 'b', 0, 'c']."""
    text = text.strip()
    if text in (".", ""):
        return []
    out = []
    pos = 0
    expect_sep = False
    while pos < len(text):
        if expect_sep and text[pos] == ".":
            pos += 1
            expect_sep = False
            continue
        m = PATH_TOKEN.match(text, pos)
        if not m:
            raise ExpectError(f"line {lineno}: bad path {text!r}")
        if m.group("key") is not None:
            if expect_sep:
                raise ExpectError(f"line {lineno}: bad path {text!r}")
            out.append(m.group("key"))
        elif m.group("index") is not None:
            out.append(int(m.group("index")))
        else:
            out.append(json.loads(m.group("qkey")))
        pos = m.end()
        expect_sep = True
    return out


def parse_expect(path):
    args = None
    stdin = None
    want_exit = None
    asserts = []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            if s.startswith("args:"):
                if args is not None:
                    raise ExpectError(f"line {lineno}: second args: line")
                args = shlex.split(s[len("args:"):])
                continue
            if s.startswith("stdin:"):
                stdin = s[len("stdin:"):].strip()
                continue
            m = re.match(r"exit\s*=\s*(-?[0-9]+)$", s)
            if m:
                want_exit = int(m.group(1))
                asserts.append(Assertion(lineno, "exit", None, want_exit, "exit"))
                continue
            m = re.match(r"stderr\s*~\s?(.*)$", s)
            if m:
                try:
                    rx = re.compile(m.group(1), re.M)
                except re.error as e:
                    raise ExpectError(f"line {lineno}: bad regex: {e}")
                asserts.append(Assertion(lineno, "stderr", None, rx, "stderr"))
                continue
            m = re.match(r"text\s*~\s?(.*)$", s)
            if m:
                try:
                    rx = re.compile(m.group(1), re.M)
                except re.error as e:
                    raise ExpectError(f"line {lineno}: bad regex: {e}")
                asserts.append(Assertion(lineno, "text", None, rx, "text"))
                continue
            m = re.match(r"len\((.*)\)\s*=\s*([0-9]+)$", s)
            if m:
                asserts.append(Assertion(lineno, "len", parse_path(m.group(1), lineno),
                                         int(m.group(2)), f"len({m.group(1).strip()})"))
                continue
            m = re.match(r"([^\s=~]+)\s*~=\s*(\S+)$", s)
            if m:
                try:
                    num = float(m.group(2))
                except ValueError:
                    raise ExpectError(f"line {lineno}: ~= needs a number")
                asserts.append(Assertion(lineno, "approx", parse_path(m.group(1), lineno),
                                         num, m.group(1).strip()))
                continue
            m = re.match(r"(\S+)\s*=\s*(.*)$", s)
            if m:
                try:
                    value = json.loads(m.group(2))
                except json.JSONDecodeError as e:
                    raise ExpectError(f"line {lineno}: bad JSON value: {e}")
                asserts.append(Assertion(lineno, "eq", parse_path(m.group(1), lineno),
                                         value, m.group(1)))
                continue
            raise ExpectError(f"line {lineno}: cannot parse: {s!r}")
    if args is None:
        raise ExpectError("no args: line")
    if not asserts:
        raise ExpectError("no assertions (a test that cannot fail is a defect)")
    if want_exit is None:
        # The exit status is always checked; 0 unless the file says otherwise.
        asserts.insert(0, Assertion(0, "exit", None, 0, "exit"))
    return args, stdin, asserts


def lookup(doc, path):
    cur = doc
    for p in path:
        if isinstance(p, int):
            if not isinstance(cur, list) or not -len(cur) <= p < len(cur):
                return MISSING
            cur = cur[p]
        else:
            if not isinstance(cur, dict) or p not in cur:
                return MISSING
            cur = cur[p]
    return cur


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return (isinstance(v, (int, float))) and not isinstance(v, bool)


def matches(want, got):
    """Strict equality; objects match on the keys `want` lists."""
    if want is None:
        return got is None
    if isinstance(want, bool):
        return isinstance(got, bool) and got == want
    if is_int(want):
        return is_int(got) and got == want
    if isinstance(want, float):
        return is_num(got) and float(got) == want
    if isinstance(want, str):
        return isinstance(got, str) and got == want
    if isinstance(want, list):
        return (isinstance(got, list) and len(got) == len(want)
                and all(matches(w, g) for w, g in zip(want, got)))
    if isinstance(want, dict):
        return (isinstance(got, dict)
                and all(k in got and matches(v, got[k]) for k, v in want.items()))
    return False


def show(v, limit=400):
    if v is MISSING:
        return "<missing>"
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= limit else s[:limit] + "..."


def main(argv):
    if len(argv) != 3:
        print("usage: check_expect.py TOOL CASE.expect", file=sys.stderr)
        return 1
    tool, case = argv[1], argv[2]
    try:
        args, stdin_name, asserts = parse_expect(case)
    except (OSError, ExpectError) as e:
        print(f"{case}: bad expect file: {e}")
        return 1

    case_dir = os.path.dirname(os.path.abspath(case))
    tool_path = tool if os.sep not in tool else os.path.abspath(tool)
    # LC_TOOL_WRAPPER (set by `meson test --setup valgrind`) runs the tool under a checker.
    wrapper = shlex.split(os.environ.get("LC_TOOL_WRAPPER", ""))
    cmd = wrapper + [tool_path, "--format", "json"] + args
    stdin_data = b""
    if stdin_name is not None:
        try:
            with open(os.path.join(case_dir, stdin_name), "rb") as f:
                stdin_data = f.read()
        except OSError as e:
            print(f"{case}: cannot read stdin file: {e}")
            return 1
    try:
        proc = subprocess.run(cmd, cwd=case_dir, input=stdin_data,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"{case}:0: cannot run {' '.join(cmd)}: {e}")
        return 1

    stderr = proc.stderr.decode("utf-8", "replace")
    try:
        report = json.loads(proc.stdout.decode("utf-8"))
        report_err = None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        report = MISSING
        head = proc.stdout[:200].decode("utf-8", "replace")
        report_err = f"<no JSON report on stdout: {e}; stdout starts {head!r}>"

    text = None
    if any(a.kind == "text" for a in asserts):
        try:
            tp = subprocess.run(wrapper + [tool_path, "--format", "text"] + args, cwd=case_dir,
                                input=stdin_data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                timeout=TIMEOUT)
            text = tp.stdout.decode("utf-8", "replace")
        except (OSError, subprocess.TimeoutExpired) as e:
            text = f"<cannot run the text report: {e}>"

    failures = 0

    def fail(a, expected, got):
        nonlocal failures
        failures += 1
        print(f"{case}:{a.lineno}: {a.text}: expected {expected}, got {got}")

    for a in asserts:
        if a.kind == "exit":
            if proc.returncode != a.value:
                fail(a, a.value, proc.returncode)
            continue
        if a.kind == "stderr":
            if not a.value.search(stderr):
                fail(a, f"a match for /{a.value.pattern}/", show(stderr))
            continue
        if a.kind == "text":
            if not a.value.search(text):
                fail(a, f"a match for /{a.value.pattern}/ in the text report", show(text, 2000))
            continue
        if report is MISSING:
            want = {"eq": lambda: show(a.value), "len": lambda: f"length {a.value}",
                    "approx": lambda: f"~{a.value!r}"}[a.kind]()
            fail(a, want, report_err)
            continue
        got = lookup(report, a.path)
        if a.kind == "eq":
            if not matches(a.value, got):
                fail(a, show(a.value), show(got))
        elif a.kind == "len":
            if got is MISSING or not isinstance(got, (list, dict, str)):
                fail(a, f"length {a.value}", show(got))
            elif len(got) != a.value:
                fail(a, f"length {a.value}", f"length {len(got)}: {show(got)}")
        elif a.kind == "approx":
            ok = (is_num(got) and math.isfinite(float(got))
                  and math.isclose(float(got), a.value, rel_tol=1e-6, abs_tol=1e-12))
            if not ok:
                fail(a, f"~{a.value!r}", show(got))

    if failures:
        if stderr.strip():
            tail = stderr.strip().splitlines()[-5:]
            print(f"{case}: tool stderr (last lines): " + " | ".join(tail))
        print(f"{case}: {failures} of {len(asserts)} assertions failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
