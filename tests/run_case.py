#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs one case file against the tool: the one runner of every case folder.

Usage: run_case.py TOOL CASE.expect [--update]

The case folders are tests/cli, testdata/hand, testdata/hand_debug and testdata/gate; each case is
one NAME.expect file, registered by NAME in its folder's meson.build (tests/case_drift.py checks).
A case file is plain text, one directive per line; `#` starts a comment line, blank lines are ignored,
and blanks around a value are not part of it.

Setting up the run (each at most once):

    dir: PATH            the folder the tool runs in, relative to the case file's folder
                         (default: that folder); every other path below is relative to it
    args: ARGS...        the tool's arguments, shell-split, exactly as given: nothing is added
                         (write `--format json` for a JSON report)
    stdin: PATH          a file fed to the tool's stdin (default: an empty stdin)

Assertions (any number, in any order; each is checked and each failure is printed):

    exit = N             the exit status (default 0: the exit status is always checked)
    stderr ~ REGEX       stderr matches REGEX (Python re.search with re.MULTILINE: ^ and $ match
                         at each line; write \\A and \\Z for the ends, (?s) for a . across lines)
    stderr !~ REGEX      stderr does not match REGEX
    stderr = "STRING"    stderr is exactly STRING (a JSON string: "" for nothing on stderr)
    stdout ~ REGEX       stdout matches REGEX; `stdout !~ REGEX` it does not
    stdout has TEXT      stdout contains TEXT, literally
    stdout = "STRING"    stdout is exactly STRING (a JSON string: "" for nothing on stdout)
    stdout = @PATH       stdout is exactly the file PATH (a golden file; --update rewrites it; it
                         pins layout only: every figure in it is asserted elsewhere)
    text ~ REGEX         the text report matches REGEX: the tool runs once more with the same
                         arguments and `--format text` appended (the last --format wins)
    PATH = JSON          stdout is a JSON document whose value at PATH equals JSON
    PATH ~= NUMBER       the number at PATH equals NUMBER within a relative 1e-6 (%g-printed floats)
    len(PATH) = N        the array, object or string at PATH has N items

PATH is a JSON path: `server.events.alloc`, `server.leaks[0].address`, `[0].check_name`,
`server.reuse[-1]` (negative indices count from the end), `a["odd key"]`; `.` is the whole
document. The words exit, stderr, stdout and text are the subjects above, not paths (write
`["text"]` for a key of that name).

Equality with JSON is strict about types (true is not 1, 1 is not "1", an expected integer needs
an integer, an expected float takes any number), arrays must
match element by element with the same length, and an expected object matches when every key it
lists is present and equal: the report schema lets the tool add fields, so extra keys are allowed.

An example (testdata/hand/NAME.expect; the derivation of each figure goes in the comments):

    # One alloc of 4096 bytes, never freed: 1 leak of 4096 bytes.
    args: --format json NAME.log
    exit = 0
    server.remaining.bytes = 4096
    len(server.leaks) = 1
    text ~ ^Leaks: buffers live at the end of the log
    stderr = ""

Each failure is printed as `CASE:LINENO: SUBJECT: expected X, got Y`. Exit 0 when every
assertion holds, 1 otherwise. A malformed case file, or one without a single written assertion,
is a failure too: a test that cannot fail is a defect.
LC_TOOL_WRAPPER (set by `meson test --setup valgrind`) runs the tool under a checker.
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

SUBJECTS = ("exit", "stderr", "stdout", "text")


class CaseError(Exception):
    pass


class Assertion:
    def __init__(self, lineno, subject, op, value, text):
        self.lineno = lineno
        self.subject = subject  # "exit", "stderr", "stdout", "text", or "json"
        self.op = op            # "=", "~", "!~", "has", "=@", "~=", "len"
        self.value = value      # expected value, compiled regex, or (path, value) for json
        self.text = text        # the subject as written, for messages


PATH_TOKEN = re.compile(r"""
    (?P<key>[A-Za-z_][A-Za-z0-9_]*)
  | \[(?P<index>-?[0-9]+)\]
  | \[(?P<qkey>"(?:[^"\\]|\\.)*")\]
""", re.X)


def parse_path(text, lineno):
    """Turns `a.b[0].c` into ['a', 'b', 0, 'c']."""
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
            raise CaseError(f"line {lineno}: bad path {text!r}")
        if m.group("key") is not None:
            if expect_sep:
                raise CaseError(f"line {lineno}: bad path {text!r}")
            out.append(m.group("key"))
        elif m.group("index") is not None:
            out.append(int(m.group("index")))
        else:
            out.append(json.loads(m.group("qkey")))
        pos = m.end()
        expect_sep = True
    return out


def regex(text, lineno):
    try:
        return re.compile(text, re.M)
    except re.error as e:
        raise CaseError(f"line {lineno}: bad regex: {e}")


def json_string(text, lineno):
    try:
        v = json.loads(text)
    except json.JSONDecodeError as e:
        raise CaseError(f"line {lineno}: bad JSON string: {e}")
    if not isinstance(v, str):
        raise CaseError(f"line {lineno}: `= VALUE` of stdout or stderr needs a JSON string (or @FILE)")
    return v


OLD_KEYS = re.compile(r"(exit|stderr|no-stderr|stdout-json|stdout-has|stdout-empty|golden)\s*:")


def parse_case(path):
    setup = {}
    asserts = []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            s = raw.rstrip("\r\n").strip()
            if not s or s.startswith("#"):
                continue
            m = re.match(r"(dir|args|stdin)\s*:(.*)$", s)
            if m:
                if m.group(1) in setup:
                    raise CaseError(f"line {lineno}: second {m.group(1)}: line")
                setup[m.group(1)] = (m.group(2).strip(), lineno)
                continue
            m = re.match(r"exit\s*=\s*(-?[0-9]+)$", s)
            if m:
                asserts.append(Assertion(lineno, "exit", "=", int(m.group(1)), "exit"))
                continue
            m = re.match(r"(stderr|stdout|text)\s*(!~|~|=|has\b)\s?(.*)$", s)
            if m:
                subj, op, val = m.group(1), m.group(2), m.group(3).strip()
                if op in ("~", "!~"):
                    if subj == "text" and op == "!~":
                        raise CaseError(f"line {lineno}: text takes ~ only")
                    asserts.append(Assertion(lineno, subj, op, regex(val, lineno), subj))
                elif subj == "text":
                    raise CaseError(f"line {lineno}: text takes ~ only")
                elif op == "has":
                    if not val:
                        raise CaseError(f"line {lineno}: `has` needs a text")
                    asserts.append(Assertion(lineno, subj, "has", val, subj))
                elif subj == "stdout" and val.startswith("@"):
                    asserts.append(Assertion(lineno, subj, "=@", val[1:].strip(), subj))
                else:
                    asserts.append(Assertion(lineno, subj, "=", json_string(val, lineno), subj))
                continue
            m = re.match(r"len\((.*)\)\s*=\s*([0-9]+)$", s)
            if m:
                asserts.append(Assertion(lineno, "json", "len", (parse_path(m.group(1), lineno), int(m.group(2))),
                                         f"len({m.group(1).strip()})"))
                continue
            m = re.match(r"([^\s=~]+)\s*~=\s*(\S+)$", s)
            if m:
                try:
                    num = float(m.group(2))
                except ValueError:
                    raise CaseError(f"line {lineno}: ~= needs a number")
                asserts.append(Assertion(lineno, "json", "~=", (parse_path(m.group(1), lineno), num),
                                         m.group(1).strip()))
                continue
            m = re.match(r"(\S+)\s*=\s*(.*)$", s)
            if m and m.group(1) not in SUBJECTS and not OLD_KEYS.match(s):
                try:
                    value = json.loads(m.group(2))
                except json.JSONDecodeError as e:
                    raise CaseError(f"line {lineno}: bad JSON value: {e}")
                asserts.append(Assertion(lineno, "json", "=", (parse_path(m.group(1), lineno), value), m.group(1)))
                continue
            hint = " (the old cli grammar: see tests/run_case.py)" if OLD_KEYS.match(s) else ""
            raise CaseError(f"line {lineno}: cannot parse: {s!r}{hint}")
    if "args" not in setup:
        raise CaseError("no args: line")
    if not asserts:
        raise CaseError("no assertions (a test that cannot fail is a defect)")
    if not any(a.subject == "exit" for a in asserts):
        # The exit status is always checked; 0 unless the file says otherwise.
        asserts.insert(0, Assertion(0, "exit", "=", 0, "exit"))
    return setup, asserts


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
    return isinstance(v, (int, float)) and not isinstance(v, bool)


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


def run_tool(argv, cwd, stdin_data):
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(argv, cwd=cwd, input=stdin_data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, timeout=TIMEOUT)


def main(argv):
    update = "--update" in argv
    argv = [a for a in argv if a != "--update"]
    if len(argv) != 3:
        print("usage: run_case.py TOOL CASE.expect [--update]", file=sys.stderr)
        return 1
    tool, case = os.path.abspath(argv[1]), argv[2]
    try:
        setup, asserts = parse_case(case)
    except (OSError, CaseError) as e:
        print(f"{case}: bad case file: {e}")
        return 1

    run_dir = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(case)), setup.get("dir", (".", 0))[0]))
    args = shlex.split(setup["args"][0])
    wrapper = shlex.split(os.environ.get("LC_TOOL_WRAPPER", ""))
    stdin_data = b""
    if "stdin" in setup:
        try:
            with open(os.path.join(run_dir, setup["stdin"][0]), "rb") as f:
                stdin_data = f.read()
        except OSError as e:
            print(f"{case}: cannot read the stdin file: {e}")
            return 1
    try:
        proc = run_tool(wrapper + [tool] + args, run_dir, stdin_data)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"{case}:0: cannot run {' '.join([tool] + args)}: {e}")
        return 1
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")

    report, report_err = MISSING, None
    if any(a.subject == "json" for a in asserts):
        try:
            report = json.loads(proc.stdout.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            hint = "" if any(a in ("-f", "--format") or a.startswith("--format=") for a in args) else \
                "; the args give no --format: write --format json (it is not added)"
            report_err = f"<no JSON report on stdout: {e}; stdout starts {proc.stdout[:200]!r}{hint}>"

    text = None
    if any(a.subject == "text" for a in asserts):
        try:
            text = run_tool(wrapper + [tool] + args + ["--format", "text"], run_dir,
                            stdin_data).stdout.decode("utf-8", "replace")
        except (OSError, subprocess.TimeoutExpired) as e:
            text = f"<cannot run the text report: {e}>"

    failures = 0

    def fail(a, expected, got):
        nonlocal failures
        failures += 1
        print(f"{case}:{a.lineno}: {a.text}: expected {expected}, got {got}")

    streams = {"stdout": out, "stderr": err, "text": text}
    for a in asserts:
        if a.subject == "exit":
            if proc.returncode != a.value:
                fail(a, a.value, proc.returncode)
        elif a.subject in streams:
            got = streams[a.subject]
            if a.op == "~":
                if not a.value.search(got):
                    fail(a, f"a match for /{a.value.pattern}/", show(got, 2000))
            elif a.op == "!~":
                m = a.value.search(got)
                if m:
                    fail(a, f"no match for /{a.value.pattern}/", f"a match {show(m.group(0))} in {show(got, 2000)}")
            elif a.op == "has":
                if a.value not in got:
                    fail(a, f"a text containing {show(a.value)}", show(got, 2000))
            elif a.op == "=":
                if got != a.value:
                    fail(a, show(a.value), show(got, 2000))
            elif a.op == "=@":
                gold = os.path.join(run_dir, a.value)
                if update:
                    with open(gold, "w", encoding="utf-8") as f:
                        f.write(got)
                    continue
                try:
                    with open(gold, encoding="utf-8") as f:
                        want = f.read()
                except OSError as e:
                    want = None
                    fail(a, f"the contents of {a.value}", f"<cannot read it: {e}>")
                if want is not None and want != got:
                    fail(a, f"the contents of {a.value} (run with --update after checking)", show(got, 2000))
        else:
            path, value = a.value
            if report is MISSING:
                want = {"=": lambda: show(value), "len": lambda: f"length {value}", "~=": lambda: f"~{value!r}"}[a.op]()
                fail(a, want, report_err)
                continue
            got = lookup(report, path)
            if a.op == "=":
                if not matches(value, got):
                    fail(a, show(value), show(got))
            elif a.op == "len":
                if got is MISSING or not isinstance(got, (list, dict, str)):
                    fail(a, f"length {value}", show(got))
                elif len(got) != value:
                    fail(a, f"length {value}", f"length {len(got)}: {show(got)}")
            elif a.op == "~=":
                ok = (is_num(got) and math.isfinite(float(got))
                      and math.isclose(float(got), value, rel_tol=1e-6, abs_tol=1e-12))
                if not ok:
                    fail(a, f"~{value!r}", show(got))

    if failures:
        if err.strip():
            tail = err.strip().splitlines()[-5:]
            print(f"{case}: tool stderr (last lines): " + " | ".join(tail))
        print(f"{case}: {failures} of {len(asserts)} assertions failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
