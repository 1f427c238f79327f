#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--progress / --no-progress: where the progress line goes, and where it never goes.

Usage: progress_check.py TOOL SOURCE_ROOT
A generated server log of 80,000 lines (past the first progress tick at 65,536 lines) is run:
  - on a pipe by default: nothing on stderr but the tool's usual lines, report unchanged;
  - with --progress on a pipe: whole lines "tt-leakcorr: FILE: N MB (P%), N MB/s, N events";
  - with --progress on a terminal (a pty): redrawn with \\r and erased at the end;
  - with --no-progress on a terminal: nothing;
and stdout is byte-identical in every case.
"""
import os
import pty
import re
import subprocess
import sys
import tempfile

LINE = re.compile(r"tt-leakcorr: (\S+): [0-9.]+ MB \(\d+%\), [0-9]+ MB/s, [0-9]+ events")


def run_pipe(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr.decode()


def run_pty(cmd):
    """stdout to a pipe, stderr on a pseudo-terminal."""
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    out = p.stdout.read()
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    p.wait()
    os.close(master)
    return p.returncode, out, err.decode(errors="replace")


def main():
    tool, root = sys.argv[1], sys.argv[2]
    fails = 0

    def check(cond, what):
        nonlocal fails
        print(("ok - " if cond else "not ok - ") + what)
        fails += not cond

    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "p")
        subprocess.run([sys.executable, os.path.join(root, "tests/gen/leakgen.py"), "--seed", "3", "--out", prefix,
                        "--version", "V4", "--lines", "80000", "--quiet"], check=True)
        log = prefix + ".log"
        n = sum(1 for _ in open(log, "rb"))
        check(n > 65536, "the log has %d lines, past the first tick" % n)
        base = [tool, "-f", "json", log]
        rc0, out0, err0 = run_pipe(base)
        check(rc0 == 0 and not LINE.search(err0), "pipe, default: no progress line")
        rc1, out1, err1 = run_pipe([tool, "--progress", "-f", "json", log])
        lines = [l for l in err1.splitlines() if LINE.fullmatch(l)]
        check(rc1 == 0 and len(lines) >= 1 and "\r" not in err1, "pipe, --progress: whole progress lines")
        check(all(LINE.fullmatch(l).group(1) == log for l in lines), "the progress line names the file")
        check(out1 == out0, "pipe, --progress: the report is unchanged")
        rc2, out2, err2 = run_pty([tool, "--progress", "-f", "json", log])
        last = err2.rfind("\rtt-leakcorr: ")
        check(rc2 == 0 and last >= 0 and "\r\x1b[K" in err2[last + 1:] and LINE.search(err2[last:]),
              "terminal, --progress: redrawn in place and erased at the end")
        check(out2 == out0, "terminal, --progress: the report is unchanged")
        rc3, out3, err3 = run_pty([tool, "--no-progress", "-f", "json", log])
        check(rc3 == 0 and not LINE.search(err3), "terminal, --no-progress: nothing")
        rc4, out4, err4 = run_pty([tool, "-f", "json", log])
        check(rc4 == 0 and not LINE.search(err4), "terminal, default, input under 256 MB: nothing")
        check(out3 == out0 and out4 == out0, "terminal: the report is unchanged")
    print("1..10")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
