#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""rss_exec.py FD PROGRAM ARGS...: runs PROGRAM with this process's standard streams, writes
its peak RSS in KB (wait4) to file descriptor FD, and exits as PROGRAM did (same status, or
the same signal).

Why: Linux counts in a child's ru_maxrss the memory of the process it was forked from, up to
the exec.  Forked from a test generator holding hundreds of MB, the tool would be charged for
them.  Forked from this small, fresh interpreter, the tool is charged for itself (plus this
interpreter's ~10 MB, far below the 64 MB base of the bound)."""
import os
import signal
import sys

fd = int(sys.argv[1])
argv = sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.close(fd)
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
os.write(fd, b"%d\n" % ru.ru_maxrss)
os.close(fd)
if os.WIFSIGNALED(status):
    sig = os.WTERMSIG(status)
    signal.signal(sig, signal.SIG_DFL)
    os.kill(os.getpid(), sig)
sys.exit(os.waitstatus_to_exitcode(status))
