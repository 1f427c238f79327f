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
Then hand-made inputs whose counts are known by construction:
  - --progress on a pipe ends each input with "tt-leakcorr: FILE: done, X MB, L lines, E events
    in T s" (L and E worked from what was written: see server_log() and debug_log());
  - with several inputs each progress line and each done line says "input k of N", k the
    input's place on the command line (in a --diff too), in order;
  - on a terminal there is no done line (the progress line is erased), and without
    --progress none on a pipe.
"""
import os
import pty
import re
import subprocess
import sys
import tempfile

LINE = re.compile(r"tt-leakcorr: (\S+): [0-9.]+ MB \(\d+%\), [0-9]+ MB/s, [0-9]+ events")
LINE_K = re.compile(r"tt-leakcorr: (\S+): input (\d+) of (\d+), [0-9.]+ MB \(\d+%\), [0-9]+ MB/s, [0-9]+ events")
DONE = re.compile(r"tt-leakcorr: (\S+): (?:input (\d+) of (\d+) )?done, ([0-9.]+) MB, (\d+) lines, (\d+) events "
                  r"in [0-9]+\.[0-9] s")

BANNER = ["\U0001F680 Allocation Server started", "   Listening on: /tmp/tt_allocation_server.sock",
          "   Press Ctrl+C to stop", "\U0001F504 Background cleanup thread started (checking every 10s)"]


def server_log(path, n):
    """n buffers allocated and freed one after the other, and a foreign line after every 100th.
    Lines: 4 banner + 2n + n // 100.  Events (lines that change the replay's state): the start
    banner (1; the other banner lines change nothing) + n allocations + n frees = 2n + 1."""
    out = list(BANNER)
    for i in range(n):
        addr = 0x100000 + 0x1000 * i
        out.append(f"\u2713 [PID 100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x{addr:x})")
        out.append(f"\u2717 [PID 100] Freed buffer 0x{addr:x} on device 0 (4096 bytes, FINAL)")
        if i % 100 == 99:
            out.append(f"[python] step {i}: loss 0.25")
    data = "".join(l + "\n" for l in out).encode()
    with open(path, "wb") as f:
        f.write(data)
    return len(data), 4 + 2 * n + n // 100, 2 * n + 1


def debug_log(path, nblocks):
    """nblocks open ALLOCATED blocks of 14 lines: separator, title, 8 fields, "Call Stack:", two
    frames, the blank line.  The debug log's events are its blocks: lines = 14 nblocks, events =
    nblocks."""
    out = []
    for i in range(nblocks):
        out += ["\u2550" * 59, "BUFFER ALLOCATED", "Time: 14:32:15", "Device: 0",
                f"Address: 0x{0x200000 + 0x1000 * i:x} ({0x200000 + 0x1000 * i})", "Size: 4096 bytes (4 KB)",
                "Type: L1", f"Buffer*: 0x{0x7f0000001000 + 0x100 * i:x}", "Owns Data: yes", "Hooked: no",
                "Call Stack:", "    /opt/lib/libtt_metal.so: tt::tt_metal::Buffer::create()",
                "    /usr/bin/python3: _PyEval_EvalFrameDefault", ""]
    data = "".join(l + "\n" for l in out).encode()
    with open(path, "wb") as f:
        f.write(data)
    return len(data), 14 * nblocks, nblocks


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

        # Hand-made inputs: two server logs past the first tick, one small debug log.
        s1, s2, d1 = (os.path.join(tmp, n) for n in ("one.log", "two.log", "dbg.log"))
        want = {s1: server_log(s1, 40000), s2: server_log(s2, 35000), d1: debug_log(d1, 3)}
        check(want[s1][1:] == (80404, 80001) and want[s2][1:] == (70354, 70001) and want[d1][1:] == (42, 3),
              "the hand-made inputs have the counts worked out above")

        def done_lines(err):
            return [DONE.fullmatch(l) for l in err.splitlines() if DONE.fullmatch(l)]

        def done_ok(m, path, k, n):
            size, lines, events = want[path]
            return (m.group(1) == path and m.group(2) == (str(k) if n > 1 else None)
                    and m.group(3) == (str(n) if n > 1 else None) and m.group(4) == "%.1f" % (size / 1e6)
                    and int(m.group(5)) == lines and int(m.group(6)) == events)

        rc5, _, err5 = run_pipe([tool, "--progress", "-f", "json", s1])
        d = done_lines(err5)
        check(rc5 == 0 and len(d) == 1 and done_ok(d[0], s1, 1, 1) and err5.splitlines()[-1] == d[0].group(0),
              "pipe, --progress, one input: it ends with 'FILE: done, %s MB, 80404 lines, 80001 events in T s'"
              % ("%.1f" % (want[s1][0] / 1e6)))
        check(not any(LINE_K.fullmatch(l) for l in err5.splitlines()), "one input: no 'input k of N'")
        rc6, _, err6 = run_pipe([tool, "-f", "json", s1])
        check(rc6 == 0 and not done_lines(err6), "pipe, default: no done line")
        rc7, _, err7 = run_pty([tool, "--progress", "-f", "json", s1])
        check(rc7 == 0 and "done," not in err7, "terminal, --progress: no done line (the line is erased)")

        rc8, _, err8 = run_pipe([tool, "--progress", "-f", "json", s1, s2, d1])
        lines8 = err8.splitlines()
        ticks = [LINE_K.fullmatch(l) for l in lines8 if LINE_K.fullmatch(l)]
        d = done_lines(err8)
        check(rc8 == 0 and len(d) == 3 and all(done_ok(m, p, k, 3) for m, p, k in zip(d, (s1, s2, d1), (1, 2, 3))),
              "three inputs: done lines 'input 1 of 3' .. 'input 3 of 3' in order, with each input's counts")
        check(all(m.group(3) == "3" and m.group(1) == (s1, s2)[int(m.group(2)) - 1] for m in ticks)
              and {m.group(2) for m in ticks} == {"1", "2"},
              "three inputs: every progress line says 'input k of 3' for its file (1 and 2 tick)")
        order = [l for l in lines8 if LINE_K.fullmatch(l) or DONE.fullmatch(l)]
        check(order.index(d[0].group(0)) < min(order.index(t.group(0)) for t in ticks if t.group(2) == "2"),
              "three inputs: input 1 is done before input 2's progress starts")
        rc9, _, err9 = run_pipe([tool, "--progress", "--diff", "-f", "json", s2, s1])
        d = done_lines(err9)
        check(rc9 == 0 and len(d) == 2 and done_ok(d[0], s2, 1, 2) and done_ok(d[1], s1, 2, 2),
              "--diff: 'input 1 of 2' then 'input 2 of 2' done lines")
    print("1..19")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
