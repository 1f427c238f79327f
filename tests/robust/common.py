# SPDX-License-Identifier: MIT
"""Shared helpers of the robustness tests (tests/robust/*.py).

Nothing here knows the tool's answers: it runs the tool, measures it and
compares what it printed with what the calling test worked out itself.
"""
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading

PROG = "tt-leakcorr"


def tool_argv(tool):
    """The tool, under LC_TOOL_WRAPPER when `meson test --setup valgrind` sets it."""
    return shlex.split(os.environ.get("LC_TOOL_WRAPPER", "")) + [os.path.abspath(tool)]


def checked_build():
    """Sanitizer or valgrind runs: memory figures are not the tool's own."""
    return bool(os.environ.get("LC_SANITIZED") or os.environ.get("LC_TOOL_WRAPPER"))


class Result:
    def __init__(self, rc, out, err, maxrss_kb, timed_out=False, feed_error=None):
        self.rc, self.out, self.err, self.maxrss_kb = rc, out, err, maxrss_kb
        self.timed_out, self.feed_error = timed_out, feed_error

    @property
    def err_text(self):
        return self.err.decode("utf-8", "replace")

    def describe(self):
        if self.timed_out:
            return "timed out"
        if self.rc < 0:
            return f"killed by signal {signal.Signals(-self.rc).name}"
        return f"exit {self.rc}"


RSS_EXEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rss_exec.py")


def run(argv, stdin=None, feed=None, env=None, cwd=None, timeout=300, preexec_fn=None, measure=False):
    """Runs argv; stdin is None (empty), a file object, a descriptor or a path; feed is an
    iterable of byte chunks written to the tool's standard input (the tool reads a pipe).
    stdout and stderr go to temporary files so a large report can never block the child.
    measure: the peak RSS of argv alone (wait4 in rss_exec.py, see there); otherwise
    maxrss_kb is None."""
    rss_r = None
    if measure:
        rss_r, rss_w = os.pipe()
        argv = [sys.executable, RSS_EXEC, str(rss_w)] + list(argv)
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        close_in = None
        if feed is not None:
            sin = subprocess.PIPE
        elif stdin is None:
            sin = subprocess.DEVNULL
        elif isinstance(stdin, str):
            sin = close_in = open(stdin, "rb")
        else:
            sin = stdin
        p = subprocess.Popen(argv, stdin=sin, stdout=fo, stderr=fe, env=env, cwd=cwd, preexec_fn=preexec_fn,
                             pass_fds=(rss_w,) if measure else ())
        if measure:
            os.close(rss_w)
        timed_out = [False]

        def kill():
            timed_out[0] = True
            try:
                p.kill()
            except OSError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        feed_error = None
        try:
            if feed is not None:
                try:
                    for chunk in feed:
                        p.stdin.write(chunk)
                except BrokenPipeError as e:
                    feed_error = e
                finally:
                    try:
                        p.stdin.close()
                    except BrokenPipeError:
                        pass
            _, status, ru = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
        finally:
            timer.cancel()
            if close_in:
                close_in.close()
        maxrss = None
        if measure:
            with os.fdopen(rss_r, "rb") as f:
                got = f.read().strip()
            maxrss = int(got) if got else None
        fo.seek(0)
        fe.seek(0)
        return Result(p.returncode, fo.read(), fe.read(), maxrss, timed_out[0], feed_error)


def diag_re(name):
    """A per-line diagnostic of the tool about input `name` ("tt-leakcorr: NAME:LINE: ...")."""
    return re.compile(r"^" + re.escape(PROG) + r": " + re.escape(name) + r":\d+: ")


SUMMARY_RE = re.compile(r"^" + re.escape(PROG) + r": \d+ malformed lines in all; the first \d+ are shown above$")


def other_lines(err, names):
    """stderr lines that are not per-line diagnostics about one of the inputs `names` (nor
    their closing count, "N malformed lines in all; the first M are shown above")."""
    pats = [diag_re(n) for n in names] + [SUMMARY_RE]
    lines = err.decode("utf-8", "replace").splitlines()
    return [l for l in lines if not any(p.match(l) for p in pats)]


def utf8_strict(data):
    """Decodes with strict UTF-8; returns (text, error)."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        return None, f"not valid UTF-8: {e}"


def load_json(data):
    """The report as JSON: strict UTF-8, then json.loads; returns (doc, error)."""
    text, err = utf8_strict(data)
    if err:
        return None, err
    try:
        return json.loads(text), None
    except ValueError as e:
        return None, f"not one complete JSON document ({len(data)} bytes): {e}; tail {data[-80:]!r}"


def replace_invalid_utf8(b):
    """The contract's JSON view of arbitrary bytes: every byte that is not part of a well-formed
    UTF-8 sequence (Unicode table 3-7: no overlongs, no surrogates, nothing past U+10FFFF)
    becomes one U+FFFD.  Written here from the table, not with Python's decoder, whose
    'replace' handler folds a maximal subpart into a single U+FFFD."""
    out = []
    i, n = 0, len(b)
    while i < n:
        c = b[i]
        if c < 0x80:
            out.append(chr(c))
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            need, lo, hi = 1, 0x80, 0xBF
        elif c == 0xE0:
            need, lo, hi = 2, 0xA0, 0xBF
        elif 0xE1 <= c <= 0xEC or 0xEE <= c <= 0xEF:
            need, lo, hi = 2, 0x80, 0xBF
        elif c == 0xED:
            need, lo, hi = 2, 0x80, 0x9F
        elif c == 0xF0:
            need, lo, hi = 3, 0x90, 0xBF
        elif 0xF1 <= c <= 0xF3:
            need, lo, hi = 3, 0x80, 0xBF
        elif c == 0xF4:
            need, lo, hi = 3, 0x80, 0x8F
        else:
            out.append("\ufffd")
            i += 1
            continue
        seq = b[i:i + 1 + need]
        ok = len(seq) == 1 + need and lo <= seq[1] <= hi and all(0x80 <= x <= 0xBF for x in seq[2:])
        if ok:
            v = c & (0x1F if need == 1 else 0x0F if need == 2 else 0x07)
            for x in seq[1:]:
                v = (v << 6) | (x & 0x3F)
            out.append(chr(v))
            i += 1 + need
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def g(x):
    """C's %g (precision 6), as the server prints MB and KB figures."""
    return "%g" % x


class Checker:
    """Collects failures; `eq` compares a report value with the worked-out one."""

    def __init__(self, label=""):
        self.fails = []
        self.label = label

    def fail(self, msg):
        self.fails.append(f"{self.label}{msg}")

    def eq(self, what, got, want):
        if got != want:
            g_ = json.dumps(got) if not isinstance(got, str) else repr(got)
            w_ = json.dumps(want) if not isinstance(want, str) else repr(want)
            if len(g_) > 600:
                g_ = g_[:600] + "..."
            if len(w_) > 600:
                w_ = w_[:600] + "..."
            self.fail(f"{what}: expected {w_}, got {g_}")
            return False
        return True

    def true(self, what, cond):
        if not cond:
            self.fail(what)
        return cond


def get(doc, path):
    cur = doc
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if cur is None:
            return "<missing>"
        try:
            cur = cur[int(part[1:-1])] if part.startswith("[") else cur[part]
        except (KeyError, IndexError, TypeError):
            return "<missing>"
    return cur


def first_list_diff(got, want):
    """Index and items of the first difference of two lists (for readable failures)."""
    if not isinstance(got, list):
        return f"not a list: {str(got)[:200]}"
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return f"first difference at [{i}]: expected {json.dumps(b)}, got {json.dumps(a)}"
    return f"length: expected {len(want)}, got {len(got)}"


def finish(fails, notes=()):
    for n in notes:
        print(n)
    for f in fails:
        print("FAIL:", f)
    if not fails:
        print("ok")
    sys.stdout.flush()
    return 1 if fails else 0
