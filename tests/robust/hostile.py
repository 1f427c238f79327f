#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile content: huge key counts, a million PIDs, numbers at and past the integer limits,
negative numbers, deep and interleaved debug blocks, NUL bytes and invalid UTF-8.

Usage: hostile.py TOOL CASE [--big]    (--list prints the cases)

An independent generator (this file and model.py) writes each log, streams it to the tool's
standard input ("-") or writes a file, and works out the JSON report from its own
arithmetic: line accounting (recognized / foreign / malformed, exactly), events, remaining,
leaks, reuse, unknown frees, cleanup, checkpoints, and for the debug log blocks, lifetimes,
sites and leaks.  The JSON must be strict UTF-8 and parse.  Peak RSS (wait4 on the tool) must
stay within 64 MB + 120 bytes per distinct (device, address) key + 120 bytes per distinct
frame + 200 bytes per entry the report gives in detail (each leak, each entry live at the
chosen dump, each cleanup row, each open debug-log lifetime: their records, their evidence
and their allocation group), counted from the expected report, not the tool's.  Small cases run with --threads 1 and --threads 2 and must print the same bytes.
"""
import json
import math
import os
import random
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (Checker, checked_build, finish, first_list_diff, g, load_json, other_lines,  # noqa: E402
                    replace_invalid_utf8, run, tool_argv, utf8_strict)
from model import (BANNER, CHECK, CROSS, STATS, U64, WARN, DebugModel, ServerModel,  # noqa: E402
                   sat, type_key)

MB = 1024 * 1024
# 120 B for the key itself, 48 B for the timeline's records of what was live at a peak and has
# gone since (two of 24 B per debug-log lifetime: the all-devices peak's and its device's)
PER_KEY = 168
PER_FRAME = 120
PER_ENTRY = 200
BASE = 64 * MB


class Job:
    """What to run and what to expect.  `chunks()` yields the log; `expected()` is called after
    the log was produced (byte and line counts are known then)."""

    def __init__(self, chunks, expected, keys, frames=0, args=(), path="-", allow_err=None, need_err=None,
                 threads=(1, 2), extra_bytes=0):
        self.chunks, self.expected, self.keys, self.frames = chunks, expected, keys, frames
        self.extra_bytes = extra_bytes  # the longest line: held once
        self.args, self.path = list(args), path
        self.allow_err, self.need_err = allow_err, need_err
        self.threads = threads


def project(got, want):
    """The part of `got` that `want` describes (the report may carry more fields)."""
    if isinstance(want, dict) and isinstance(got, dict):
        return {k: project(got.get(k, "<missing>"), v) for k, v in want.items()}
    if isinstance(want, list) and isinstance(got, list) and len(got) == len(want):
        return [project(a, b) for a, b in zip(got, want)]
    return got


def compare(c, where, got, want):
    got = project(got, want)
    if got == want:
        return
    if isinstance(want, list):
        c.fail(f"{where}: {first_list_diff(got, want)}")
    elif isinstance(want, dict) and isinstance(got, dict):
        for k in want:
            compare(c, f"{where}.{k}", got.get(k), want[k])
    else:
        c.eq(where, got, want)


# ---------------------------------------------------------------------------------------------
# Server log: 10 million (or, small, 200 thousand) distinct addresses.

TYPES5 = ["DRAM", "L1", "SYSTEM_MEMORY", "L1_SMALL", "TRACE"]


def stats_block(entries, first_line):
    """Statistics block lines for live entries [(dev, size, type)], and the checkpoint."""
    devs = {}
    for dev, size, typ in entries:
        d = devs.setdefault(dev, dict(n=0, DRAM=0, L1=0, other=0))
        d["n"] += 1
        d[typ if typ in ("DRAM", "L1") else "other"] += size
    out = [STATS]
    for dev in sorted(devs):
        d = devs[dev]
        out += [b"  Device %d:" % dev, b"    Buffers: %d" % d["n"],
                b"    DRAM: %d bytes (%s KB)" % (d["DRAM"], g(d["DRAM"] / 1024).encode()),
                b"    L1: %d bytes (%s KB)" % (d["L1"], g(d["L1"] / 1024).encode()),
                b"    Total: %d bytes" % (d["DRAM"] + d["L1"] + d["other"])]
    out.append(b"  Active allocations: %d" % len(entries))
    return out, dict(kind="stats", input=0, line=first_line, agrees=True, differences=[])


def remaining_of(entries):
    """remaining{} for live entries [(dev, size, type)]."""
    by = {}
    for dev, size, typ in entries:
        t = by.setdefault(dev, {}).setdefault(typ, [0, 0])
        t[0] += 1
        t[1] += size
    rows = []
    for dev in sorted(by):
        types = sorted(by[dev].items(), key=lambda kv: type_key(kv[0]))
        rows.append(dict(device=dev, buffers=sum(v[0] for _, v in types), bytes=sat(sum(v[1] for _, v in types)),
                         by_type=[dict(type=t, buffers=v[0], bytes=sat(v[1])) for t, v in types]))
    return dict(buffers=len(entries), bytes=sat(sum(e[1] for e in entries)), by_device=rows)


def case_addresses(big):
    n = 10_000_000 if big else 200_000
    # key i: device i % 8, address 0x1000 + (i // 8) * 0x40: n distinct (device, address) keys.
    dev = lambda i: i & 7
    addr = lambda i: 0x1000 + (i >> 3) * 0x40
    size = lambda i: 1024 << (i % 7)
    typ = lambda i: TYPES5[i % 5]
    pid = lambda i: 1001 + i % 3
    R = 1680  # lcm(8, 7, 5, 3, 16): every per-line choice below is a function of i % R
    apre, afmt, fpre, ffmt, fmid = [], [], [], [], []
    for r in range(R):
        adec, fdec = r % 16 == 5, r % 16 == 9  # some lines print decimal ids (V1-V3), the rest hex
        apre.append(f"\u2713 [PID {pid(r)}] Allocated {size(r)} bytes of {typ(r)} on device {dev(r)} "
                    f"(buffer_id={'' if adec else '0x'}")
        afmt.append("d" if adec else "x")
        fpre.append(f"\u2717 [PID {pid(r)}] Freed buffer {'' if fdec else '0x'}")
        ffmt.append("d" if fdec else "x")
        fmid.append(f" on device {dev(r)} ({size(r)} bytes, FINAL)\n")
    leaks = sorted({0, 1, 2, 7, n // 2, n // 3, n - 1})
    doubles = sorted({3, 4, n - 3})
    assert not set(leaks) & set(doubles)
    step = 7919
    while math.gcd(step, n) != 1:
        step += 2
    never = [(k, 0xF0000000 + k * 0x40) for k in range(5)]
    foreign = [b"2025-05-01 10:00:00.123 | INFO     | Device          | Opening user mode device driver (tt_cluster.cpp:182)",
               b"Some other program's output",
               b"\tindented noise [PID] without the anchor"]
    malformed = [CHECK + b"[PID 1001] Allocated 4096 bytes of DRAM on dev",
                 CROSS + b"[PID 1001] Freed buffer 0xZZ on device 0 (4096 bytes, FINAL)"]
    st = dict(lines=0, bytes=0)
    B = 200_000

    def emit(text):
        st["lines"] += text.count("\n")
        data = text.encode()
        st["bytes"] += len(data)
        return data

    def chunks():
        yield emit(BANNER.decode() + "\n")
        for s in range(0, n, B):
            yield emit("".join([f"{apre[i % R]}{addr(i):{afmt[i % R]}})\n" for i in range(s, min(n, s + B))]))
        yield emit("".join(l.decode() + "\n" for l in foreign + malformed))
        skip = set(leaks)
        for s in range(0, n, B):
            idx = [(j * step) % n for j in range(s, min(n, s + B))]
            yield emit("".join([f"{fpre[i % R]}{addr(i):{ffmt[i % R]}}{fmid[i % R]}" for i in idx if i not in skip]))
        tail = [WARN + b"[PID 4242] Deallocation for unknown buffer 0x%x on device %d (allocated before tracking started)"
                % (a, d) for d, a in never]
        tail += [WARN + b"[PID 4242] Deallocation for unknown buffer 0x%x on device %d (allocated before tracking started)"
                 % (addr(i), dev(i)) for i in doubles]
        st["stats_line"] = st["lines"] + len(tail) + 1
        sl, st["checkpoint"] = stats_block([(dev(i), size(i), typ(i)) for i in leaks], st["stats_line"])
        yield emit("".join(l.decode() + "\n" for l in tail + sl))

    def expected():
        live = [(dev(i), size(i), typ(i)) for i in leaks]
        unk_dev = {}
        for d, _ in never:
            unk_dev[d] = unk_dev.get(d, 0) + 1
        for i in doubles:
            unk_dev[dev(i)] = unk_dev.get(dev(i), 0) + 1
        reuse = [dict(device=dev(i), address=addr(i), type=typ(i), allocs=1, frees=1, unknown_frees=1, net=0,
                      sizes=[size(i)], pids=[pid(i)], live_ref_count=0) for i in doubles]
        reuse += [dict(device=d, address=a, type=None, allocs=0, frees=0, unknown_frees=1, net=0, sizes=[], pids=[],
                       live_ref_count=0) for d, a in never]
        reuse.sort(key=lambda r: (-r["net"], -r["allocs"], r["device"], r["address"]))
        lk = [dict(device=dev(i), address=addr(i), type=typ(i), size=size(i), pid=pid(i), ref_count=1, input=0,
                   line=2 + i, site=None) for i in leaks]
        lk.sort(key=lambda x: (-x["size"], x["device"], x["address"]))
        lines = st["lines"]
        return dict(
            inputs=[dict(path="-", format="server-log", compressed=False, bytes=st["bytes"], lines=lines,
                         recognized_lines=lines - len(foreign) - len(malformed), foreign_lines=len(foreign),
                         malformed_lines=len(malformed), truncated=False)],
            server=dict(runs=1,
                        events=dict(alloc=n, alloc_ref=0, free_ref=0, free_final=n - len(leaks),
                                    free_unknown=len(never) + len(doubles), cleanup_removed=0, dumps=0, stats_blocks=1),
                        remaining=remaining_of(live), leaks=lk,
                        unknown_frees=dict(count=len(never) + len(doubles),
                                           by_device=[dict(device=d, count=c) for d, c in sorted(unk_dev.items())],
                                           by_cause=dict(never_seen=len(never), after_final_free=len(doubles),
                                                         after_cleanup=0)),
                        cleanup=[], reuse=reuse, checkpoints=[st["checkpoint"]]),
            debug=None)

    return Job(chunks, expected, keys=n + len(never), threads=(2,) if big else (1, 2))


# ---------------------------------------------------------------------------------------------
# Server log: a million (small: 20 thousand) distinct PIDs, each owning one key; ref-counted
# keys shared by two PIDs; frees, dead-process cleanup of most PIDs, frees after cleanup.

def case_pids(big):
    P = 1_000_000 if big else 20_000
    pid = lambda p: 1000 + 2000 * p + (p % 7)          # up to 2,000,001,006 < 2^31
    dev = lambda p: p & 7
    addr = lambda p: 0x200000 + (p >> 3) * 0x80
    size = lambda p: 1024 * (1 + p % 4)
    typ = lambda p: TYPES5[p % 5]
    refs = [p for p in range(P - 1) if p % 100 == 1]     # a second PID (p + 1) also allocates the key
    ref_set = set(refs)
    size2 = lambda p: size(p) + 512
    typ2 = lambda p: TYPES5[(p + 2) % 5]
    leaks = sorted({p for p in range(P) if p % 50000 == 17} | {P - 1, P - 2})
    leak_set = set(leaks)
    freed = [p for p in range(P) if p % 3 == 0 and p not in leak_set]
    dead = [p for p in range(P) if p % 3 != 0 and p not in leak_set]
    unk_final = [p for p in freed if p % 7919 == 3][:40]
    unk_clean = [p for p in dead if p % 7919 == 1][:40]
    st = dict(lines=0, bytes=0, cleanup=[])

    def emit(lines):
        st["lines"] += len(lines)
        data = b"".join(l + b"\n" for l in lines)
        st["bytes"] += len(data)
        return data

    def chunks():
        yield emit([BANNER])
        B = 100_000
        for s in range(0, P, B):
            yield emit([CHECK + b"[PID %d] Allocated %d bytes of %s on device %d (buffer_id=0x%x)"
                        % (pid(p), size(p), typ(p).encode(), dev(p), addr(p)) for p in range(s, min(P, s + B))])
        yield emit([CHECK + b"[PID %d] Allocated %d bytes of %s on device %d (buffer_id=0x%x, ref_count=2)"
                    % (pid(p + 1), size2(p), typ2(p).encode(), dev(p), addr(p)) for p in refs])
        out = []
        for p in freed:  # the free line prints the owner and the stored (first) size
            if p in ref_set:
                out.append(CROSS + b"[PID %d] Freed buffer 0x%x on device %d (%d bytes, ref_count=1 remaining)"
                           % (pid(p), addr(p), dev(p), size(p)))
            out.append(CROSS + b"[PID %d] Freed buffer 0x%x on device %d (%d bytes, FINAL)"
                       % (pid(p), addr(p), dev(p), size(p)))
        yield emit(out)
        for s in range(0, len(dead), 1000):  # one dead-process block per 1000 PIDs, ascending
            group = dead[s:s + 1000]
            out = ["\u26a0\ufe0f  Detected dead processes, cleaning up orphaned buffers...".encode()]
            for p in group:
                out.append(b"   PID %d is dead, removing its buffers..." % pid(p))
                st["cleanup"].append(dict(pid=pid(p), buffers=1, bytes=size(p), input=0,
                                          line=st["lines"] + len(out)))
                out.append(b"   " + CHECK + b"Removed 1 buffers (%s MB) from PID %d" % (g(size(p) / MB).encode(), pid(p)))
            yield emit(out)
        yield emit([WARN + b"[PID %d] Deallocation for unknown buffer 0x%x on device %d (allocated before tracking started)"
                    % (pid(p), addr(p), dev(p)) for p in unk_final + unk_clean])
        sl, st["checkpoint"] = stats_block([(dev(p), size(p), typ(p)) for p in leaks], st["lines"] + 1)
        yield emit(sl)

    def expected():
        unk = set(unk_final) | set(unk_clean)
        freed_set = set(freed)
        reuse = []
        for p in sorted(ref_set | unk):
            allocs = 2 if p in ref_set else 1
            frees = allocs if p in freed_set else 0
            reuse.append(dict(device=dev(p), address=addr(p), type=typ2(p) if p in ref_set else typ(p), allocs=allocs,
                              frees=frees, unknown_frees=1 if p in unk else 0, net=allocs - frees,
                              sizes=sorted({size(p), size2(p)}) if p in ref_set else [size(p)],
                              pids=sorted({pid(p), pid(p + 1)}) if p in ref_set else [pid(p)],
                              live_ref_count=(2 if p in ref_set else 1) if p in leak_set else 0))
        reuse.sort(key=lambda r: (-r["net"], -r["allocs"], r["device"], r["address"]))
        lk = [dict(device=dev(p), address=addr(p), type=typ(p), size=size(p), pid=pid(p),
                   ref_count=2 if p in ref_set else 1, input=0, site=None) for p in leaks]
        lk.sort(key=lambda x: (-x["size"], x["device"], x["address"]))
        unk_dev = {}
        for p in unk_final + unk_clean:
            unk_dev[dev(p)] = unk_dev.get(dev(p), 0) + 1
        n_ref_freed = sum(1 for p in freed if p in ref_set)
        return dict(
            inputs=[dict(path="-", format="server-log", compressed=False, bytes=st["bytes"], lines=st["lines"],
                         recognized_lines=st["lines"], foreign_lines=0, malformed_lines=0, truncated=False)],
            server=dict(runs=1,
                        events=dict(alloc=P, alloc_ref=len(refs), free_ref=n_ref_freed, free_final=len(freed),
                                    free_unknown=len(unk), cleanup_removed=len(dead), dumps=0, stats_blocks=1),
                        remaining=remaining_of([(dev(p), size(p), typ(p)) for p in leaks]), leaks=lk,
                        unknown_frees=dict(count=len(unk),
                                           by_device=[dict(device=d, count=c) for d, c in sorted(unk_dev.items())],
                                           by_cause=dict(never_seen=0, after_final_free=len(unk_final),
                                                         after_cleanup=len(unk_clean))),
                        cleanup=st["cleanup"], reuse=reuse, checkpoints=[st["checkpoint"]]),
            debug=None)

    return Job(chunks, expected, keys=P, threads=(2,) if big else (1, 2))


# ---------------------------------------------------------------------------------------------
# Integer limits (FORMATS.md / REPORT-SCHEMA: numbers are u64, PIDs and devices i32; a field
# that is not an integer of that width makes its line malformed -- never wrapped).

I32MAX, I32MIN = 2147483647, -2147483648


def case_limits(big):
    m = ServerModel()
    A = lambda pid, size, t, dev, bid, extra=b"": (CHECK + b"[PID %s] Allocated %s bytes of %s on device %s (buffer_id=%s%s)"
                                                  % (pid, size, t, dev, bid, extra))
    # valid: every field at its limit
    m.alloc(I32MAX, U64, "DRAM", I32MAX, U64)                         # hex id 0xffffffffffffffff
    m.alloc(I32MIN, U64, "L1", I32MIN, U64, dec=True)                 # decimal id 18446744073709551615
    m.alloc(1, U64, "TRACE", I32MAX, 0)                              # same device: its sum saturates
    # leading zeros: still integers of the width (values 1, 0x20, 64)
    m.add(A(b"7", b"0" * 30 + b"1", b"L1", b"0", b"0x" + b"0" * 40 + b"20"), "r")
    m.live[(0, 0x20)] = [7, 1, "L1", 1, m.nlines]
    m.ev["alloc"] += 1
    h = m._h((0, 0x20))
    h["allocs"] += 1
    h["sizes"].add(1)
    h["pids"].add(7)
    h["type"] = "L1"
    m.add(A(b"8", b"4096", b"L1", b"0", b"0" * 60 + b"64"), "r")
    m.live[(0, 64)] = [8, 4096, "L1", 1, m.nlines]
    m.ev["alloc"] += 1
    h = m._h((0, 64))
    h["allocs"] += 1
    h["sizes"].add(4096)
    h["pids"].add(8)
    h["type"] = "L1"
    m.alloc(9, 1, "L1", 0, 0x20)                                      # ref_count=2
    # one past each limit, and values that wrap to something plausible if truncated: malformed
    for line in [
        A(b"1", b"18446744073709551616", b"DRAM", b"0", b"0x10"),          # 2^64
        A(b"1", b"18446744073709555712", b"DRAM", b"0", b"0x10"),          # 2^64 + 4096 (wraps to 4096)
        A(b"1", b"0" * 25 + b"18446744073709551616", b"DRAM", b"0", b"0x10"),
        A(b"1", b"99999999999999999999999999", b"DRAM", b"0", b"0x10"),
        A(b"1", b"4096", b"DRAM", b"2147483648", b"0x10"),                 # 2^31
        A(b"1", b"4096", b"DRAM", b"-2147483649", b"0x10"),
        A(b"1", b"4096", b"DRAM", b"4294967296", b"0x10"),                 # 2^32 (wraps to 0)
        A(b"1", b"4096", b"DRAM", b"4294967297", b"0x10"),                 # 2^32 + 1 (wraps to 1)
        A(b"2147483648", b"4096", b"DRAM", b"0", b"0x10"),
        A(b"-2147483649", b"4096", b"DRAM", b"0", b"0x10"),
        A(b"4294967297", b"4096", b"DRAM", b"0", b"0x10"),
        A(b"1", b"4096", b"DRAM", b"0", b"0x10000000000000000"),           # 2^64
        A(b"1", b"4096", b"DRAM", b"0", b"0x1ffffffffffffffff"),
        A(b"1", b"4096", b"DRAM", b"0", b"18446744073709551616"),
        A(b"1", b"4096", b"DRAM", b"0", b"36893488147419103232"),          # 2^65 (wraps to 0)
        A(b"9", b"1", b"L1", b"0", b"0x20", b", ref_count=2147483648"),    # on the live key (0, 0x20)
        A(b"9", b"1", b"L1", b"0", b"0x20", b", ref_count=4294967299"),    # wraps to 3
        CROSS + b"[PID 7] Freed buffer 0x20 on device 0 (18446744073709551617 bytes, FINAL)",
        CROSS + b"[PID 7] Freed buffer 0x20 on device 4294967296 (1 bytes, FINAL)",
        CROSS + b"[PID 7] Freed buffer 0x10000000000000020 on device 0 (1 bytes, FINAL)",
        CROSS + b"[PID 7] Freed buffer 0x20 on device 0 (1 bytes, ref_count=4294967297 remaining)",
        WARN + b"[PID 1] Deallocation for unknown buffer 0x10000000000000000 on device 0 (allocated before tracking started)",
        WARN + b"[PID 1] Deallocation for unknown buffer 5 on device 2147483648 (allocated before tracking started)",
        b"   PID 2147483648 is dead, removing its buffers...",
    ]:
        m.malformed_line(line)
    m.free(7, 0, 0x20, dec=True)                                      # ref_count=1 remaining
    m.free(I32MAX, I32MAX, U64, dec=True)                             # FINAL, decimal id at the limit
    m.unknown(I32MAX, I32MAX, U64)                                    # after the final free
    m.unknown(I32MIN, I32MAX, U64 - 1)                                # never seen
    m.alloc(3, U64, "DRAM", I32MAX, 1)                                # device 2147483647 sums saturate again
    m.alloc(I32MIN, 0, "L1_SMALL", I32MIN, 0)                         # a 0-byte buffer
    data = m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=m.expected_server(), debug=None)

    # The sums pass 2^64-1: the contract wants a diagnostic saying so.
    return Job(lambda: iter([data]), expected, keys=len(m.hist),
               allow_err=r"2\^64|18446744073709551615", need_err=r"2\^64|18446744073709551615")


def case_debug_limits(big):
    m = DebugModel()
    fr = [b"/opt/tt-metal/build/lib/libtt_metal.so: tt::tt_metal::Buffer::create(int)", b"/usr/bin/python3: main"]
    fr2 = [b"/opt/tt-metal/ttnn/ttnn/_ttnn.so: ttnn::limits()"]
    m.block("ALLOCATED", U64, I32MIN, U64, U64, b"DRAM", fr)               # every field at its limit
    m.block("ALLOCATED", 1, I32MAX, U64, U64, b"TRACE", fr2)               # live.bytes passes 2^64-1
    m.block("ALLOCATED", 2, I32MAX, 0, 0, b"L1", fr2)
    # fields one past the limit: malformed lines; the blocks are closed below so no broken value
    # can reach the report
    m.block("ALLOCATED", 0x10, 0, 0x100, 64, b"L1", fr, replace={"Device": b"Device: 2147483648"})
    m.block("ALLOCATED", 0x20, 0, 0x200, 64, b"L1", fr, replace={"Device": b"Device: -2147483649"})
    m.block("ALLOCATED", 0x30, 0, 0x300, 64, b"L1", fr, replace={"Size": b"Size: 18446744073709551616 bytes (1.80144e+16 KB)"})
    m.block("ALLOCATED", 0x40, 0, 0x400, 64, b"L1", fr,
            replace={"Address": b"Address: 0x10000000000000000 (18446744073709551616)"})
    m.block("ALLOCATED", 0x50, 0, 0x500, 64, b"L1", fr,
            replace={"Address": b"Address: 0xffffffffffffffff (18446744073709551614)"})
    m.block("ALLOCATED", 0x60, 0, 0x600, 64, b"L1", fr, replace={"Device": b"Device: 4294967296"})
    for p in (0x10, 0x20, 0x30, 0x40, 0x50, 0x60):
        m.block("DEALLOCATED", p, 0, 0x100, 64, b"L1", fr)
    data = m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=None, debug=m.expected_debug())

    return Job(lambda: iter([data]), expected, keys=len(m.keys), frames=3,
               allow_err=r"2\^64|18446744073709551615", need_err=r"2\^64|18446744073709551615")


# ---------------------------------------------------------------------------------------------
# Negative numbers where only non-negative ones make sense (sizes, ids, counts, ref counts);
# PIDs and devices are signed and may be negative.

def case_negatives(big):
    m = ServerModel()
    m.alloc(-1, 4096, "DRAM", -1, 0x1000)          # valid: PID and device are signed
    m.alloc(100, 8192, "L1", 0, 0x2000)
    m.alloc(100, 64, "L1", 0, 0x3000)
    A = lambda size, bid, extra=b"": (CHECK + b"[PID 100] Allocated %s bytes of L1 on device 0 (buffer_id=%s%s)"
                                      % (size, bid, extra))
    for line in [
        A(b"-4096", b"0x4000"),
        A(b"-0", b"0x4000"),
        A(b"4096", b"-16"),
        A(b"4096", b"-0x10"),
        A(b"64", b"0x3000", b", ref_count=-2"),     # the key is live: a ref-count line, count negative
        A(b"64", b"0x3000", b", ref_count=-2147483648"),
        CROSS + b"[PID 100] Freed buffer -8192 on device 0 (8192 bytes, FINAL)",
        CROSS + b"[PID 100] Freed buffer 0x2000 on device 0 (-8192 bytes, FINAL)",
        CROSS + b"[PID 100] Freed buffer 0x2000 on device 0 (8192 bytes, ref_count=-1 remaining)",
        WARN + b"[PID 100] Deallocation for unknown buffer -5 on device 0 (allocated before tracking started)",
        WARN + b"[PID 100] Deallocation for unknown buffer 0x-5 on device 0 (allocated before tracking started)",
        STATS[:0] + b"    Buffers: -1",
        b"    DRAM: -5 bytes (-0.00488281 KB)",
        b"    L1: -1 bytes (-0.000976562 KB)",
        b"    Total: -6 bytes",
        b"  Active allocations: -1",
        b"Total tracked allocations: -1",
        b"Total remaining buffers: -3",
        b"    - Buffer 0x2000: 8 KB (PID 100, ref_count=-1)",
        b"   " + CHECK + b"Removed -1 buffers (0 MB) from PID 100",
        b"   " + CHECK + b"Removed -2147483648 buffers (0 MB) from PID 100",
    ]:
        m.malformed_line(line)
    m.cleanup([-1])                                # PID -1 is dead: its DRAM buffer on device -1 goes
    m.free(100, 0, 0x3000)
    m.unknown(-7, -5, 0x10)
    data = m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=m.expected_server(), debug=None)

    return Job(lambda: iter([data]), expected, keys=len(m.hist))


# ---------------------------------------------------------------------------------------------
# NUL bytes inside fields; invalid UTF-8 in frames, type names, prefixes and file names.

FR_AD = b"/opt/tt-metal/ttnn/ttnn/_ttnn.so: tt::tt_metal::tensor_impl::allocate_buffer_on_device(tt::tt_metal::IDevice*)"
FR_MM = b"/opt/tt-metal/ttnn/ttnn/_ttnn.so: ttnn::operations::matmul::MatmulOperation::operator()()"
FR_PE = b"/usr/bin/python3.10: _PyEval_EvalFrameDefault"


def case_nul_server(big):
    m = ServerModel()
    m.alloc(100, 4096, "DRAM", 0, 0x1000)
    for line in [
        CHECK + b"[PID 10\x0001] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x2000)",
        CHECK + b"[PID 100] Allocated 40\x0096 bytes of DRAM on device 0 (buffer_id=0x2000)",
        CHECK + b"[PID 100] Allocated 4096 bytes of DR\x00AM on device 0 (buffer_id=0x2000)",
        CHECK + b"[PID 100] Allocated 4096 bytes of DRAM\x00 on device 0 (buffer_id=0x2000)",
        CHECK + b"[PID 100] Allocated 4096 bytes of DRAM on device \x000 (buffer_id=0x2000)",
        CHECK + b"[PID 100] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x20\x0000)",
        CHECK + b"[PID 100] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x2000)\x00",
        CHECK + b"[PID 100] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x1000, ref_count=\x002)",
        CROSS + b"[PID 100] Freed buffer 0x1000 on device 0 (4096 bytes, FI\x00NAL)",
        CROSS + b"[PID 100] Freed buffer 0x10\x0000 on device 0 (4096 bytes, FINAL)",
        WARN + b"[PID 100] Deallocation for unknown buffer 0x5\x00 on device 0 (allocated before tracking started)",
        b"   PID 1\x0000 is dead, removing its buffers...",
    ]:
        m.malformed_line(line)
    m.foreign_line(b"\x00\x00\x00\x00")
    m.foreign_line(b"abc\x00def")
    m.alloc(100, 8192, "L1", 1, 0x1000)
    m.free(100, 0, 0x1000)
    data = m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=m.expected_server(), debug=None)

    return Job(lambda: iter([data]), expected, keys=len(m.hist))


def case_nul_debug(big):
    m = DebugModel()
    nul_frame = b"/opt/lib/libnul.so: f\x00g(int)"
    ctl_frame = b"/opt/lib/libctl.so: a\x01b\x1fc\x7fd\te\x1b[31mred\x1b[0m"
    m.block("ALLOCATED", 0x7f0000000010, 0, 0x100000, 65536, b"DRAM", [FR_AD, nul_frame, FR_PE])
    m.block("ALLOCATED", 0x7f0000000020, 1, 0x100000, 4096, b"L1", [ctl_frame, FR_PE])
    m.block("ALLOCATED", 0x7f0000000030, 0, 0x200000, 64, b"L1", [FR_AD], replace={"Device": b"Device: 0\x00"})
    m.block("ALLOCATED", 0x7f0000000040, 0, 0x300000, 64, b"L1", [FR_AD], replace={"Type": b"Type: L\x001"})
    m.block("ALLOCATED", 0x7f0000000050, 0, 0x400000, 64, b"L1", [FR_AD], replace={"Size": b"Size: 6\x004 bytes (0.0625 KB)"})
    m.block("ALLOCATED", 0x7f0000000060, 0, 0x500000, 64, b"L1", [FR_AD],
            replace={"Address": b"Address: 0x500000 (52\x0028800)"})
    m.junk_line(b"\x00\x01\x02junk between blocks")
    for p in (0x7f0000000030, 0x7f0000000040, 0x7f0000000050, 0x7f0000000060):
        m.block("DEALLOCATED", p, 0, 0x200000, 64, b"L1", [FR_MM])
    data = m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=None, debug=m.expected_debug())

    return Job(lambda: iter([data]), expected, keys=len(m.keys), frames=6)


BAD_UTF8 = [
    b"\xff", b"\xfe\xff", b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xed\xa0\x80", b"\xed\xbf\xbf",
    b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xbf\xbf",
    b"\xe2\x82", b"\xf0\x9f\x98", b"caf\xe9", b"\xc3", b"\xe2\x82\xac\xe2",
]


def case_utf8_debug(big):
    m = DebugModel()
    ptr = 0x7e0000000000
    frames_used = set()
    for k, bad in enumerate(BAD_UTF8):
        frames = [b"/opt/lib/lib" + bad + b".so: fn" + bad + b"(int)", FR_PE + bad] if k % 2 else [bad, FR_AD]
        frames_used.update(frames)
        m.block("ALLOCATED", ptr + k * 0x10, k % 3, 0x100000 + k * 0x1000, 4096 * (1 + k % 4), b"DRAM", frames)
    # a frame that ends in the middle of a sequence, and one that is nothing but continuation bytes
    m.block("ALLOCATED", ptr + 0x1000, 0, 0x900000, 512, b"L1", [b"tail \xe2\x82", b"\x80\x81\x82\x83"])
    frames_used.update([b"tail \xe2\x82", b"\x80\x81\x82\x83"])
    # type names with invalid UTF-8 or outside [A-Za-z0-9_]: malformed, the blocks closed below
    for k, t in enumerate([b"L1\xff", b"\xc3\xa9L1", b"DR\xed\xa0\x80AM", b"\xff"]):
        m.block("ALLOCATED", ptr + 0x2000 + k * 0x10, 0, 0xa00000 + k * 0x100, 64, b"L1", [FR_AD],
                replace={"Type": b"Type: " + t})
    for k in range(4):
        m.block("DEALLOCATED", ptr + 0x2000 + k * 0x10, 0, 0xa00000, 64, b"L1", [FR_MM])
    m.junk_line(b"between blocks \xff\xfe")       # invalid UTF-8 between blocks: junk, malformed
    m.foreign_line("between blocks, valid UTF-8: \u00e9\u20ac\U0001F600".encode())
    data = m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=None, debug=m.expected_debug())

    return Job(lambda: iter([data]), expected, keys=len(m.keys), frames=len(frames_used) + 2)


def case_utf8_server(big):
    m = ServerModel()
    # an opaque prefix before "[PID" (FORMATS.md 5.2: mojibake or worse) is still our line
    m.alloc(100, 4096, "DRAM", 0, 0x1000, prefix=b"\xff\xfe\xc0 ")
    m.alloc(100, 4096, "L1", 0, 0x2000, prefix=b"\xed\xa0\x80 ")
    for t in [b"DR\xffAM", b"L1\xc3", b"\xe2\x9c\x93", b"TRACE\xed\xa0\x80"]:
        m.malformed_line(CHECK + b"[PID 100] Allocated 64 bytes of " + t + b" on device 0 (buffer_id=0x3000)")
    m.foreign_line(b"foreign \xff\xfe\xfd with invalid UTF-8")
    m.foreign_line(b"\xc0\x80\xc0\x80")          # nothing but invalid UTF-8: not a border of ours
    m.foreign_line(b"\xff\xfe\xfd\xfc")
    m.free(100, 0, 0x1000)
    data = m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=m.expected_server(), debug=None)

    return Job(lambda: iter([data]), expected, keys=len(m.hist))


def case_utf8_path(big):
    """A file whose name is not UTF-8 and carries JSON's special characters: inputs[].path must
    be valid JSON text with U+FFFD for each invalid byte."""
    m = ServerModel()
    m.alloc(100, 4096, "DRAM", 0, 0x1000)
    data = m.drain()
    name = b'bad-\xff\xfe-"quote"-\\back\\-\x01-\xc3\xa9.log'

    def expected():
        exp = m.expected_input(replace_invalid_utf8(name))
        return dict(inputs=[exp], server=m.expected_server(), debug=None)

    return Job(lambda: iter([data]), expected, keys=1, path=name)


# ---------------------------------------------------------------------------------------------
# Debug logs: a 10,000-frame stack, deeply interleaved blocks, a million distinct frames.

def case_deep_stack(big):
    m = DebugModel()
    depth = 10_000
    frames = [b"/opt/tt-metal/ttnn/ttnn/_ttnn.so: ttnn::recurse_level_%d(int)" % k for k in range(1, depth + 1)]
    # The fork prints at most 8 frames: every frame line after the 8th is malformed (the contract).
    m.block("ALLOCATED", 0x7f9900000010, 0, 0x100000, 131072, b"DRAM", frames[:8], extra_frames=frames[8:])
    m.block("ALLOCATED", 0x7f9900000020, 1, 0x100000, 131072, b"DRAM", frames[:8])
    m.block("ALLOCATED", 0x7f9900000030, 0, 0x200000, 4096, b"L1", frames[:7])
    m.block("DESTRUCTOR", 0x7f9900000040, 0, 0x300000, 64, b"L1", frames[:8], extra_frames=frames[8:depth // 2])
    m.block("DEALLOCATED", 0x7f9900000040, 0, 0x300000, 64, b"L1", frames[:3])
    data = m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=None, debug=m.expected_debug())

    # 9,992 malformed lines of 15,000 may make the tool doubt the format: a normal warning
    return Job(lambda: iter([data]), expected, keys=len(m.keys), frames=depth,
               allow_err=r"lines look like a buffer-debug-log")


def frame_pool(rng, n):
    mods = [b"/opt/tt-metal/build/lib/libtt_metal.so", b"/opt/tt-metal/ttnn/ttnn/_ttnn.so", b"/usr/bin/python3.10",
            b"/lib/x86_64-linux-gnu/libc.so.6"]
    pool = []
    for k in range(n):
        mod = mods[k % len(mods)]
        if k % 11 == 5:
            pool.append(mod + b": ")                               # hidden function: trailing space
        elif k % 13 == 7:
            pool.append(mod + b"() [0x%x]" % (0x1000 + k))          # raw glibc string
        elif k % 17 == 3:
            pool.append(mod + b": ns::caf\xe9_%d(int)" % k)          # invalid UTF-8
        else:
            pool.append(mod + b": tt::op_%d<std::vector<int, std::allocator<int> > >::run(int, float)" % k)
    return pool


def case_interleaved(big):
    """Many lifetimes open at once, closed in random order, by DEALLOCATED, by DESTRUCTOR
    followed (later, with other blocks between) by DEALLOCATED, by DESTRUCTOR alone; pointers
    allocated again while open (superseded); ends of lifetimes never opened (unmatched); hooked
    graph-capture lifetimes; foreign lines between blocks.  The log is generated while it is
    streamed (seeded: every run writes the same bytes)."""
    nblocks = 400_000 if big else 20_000
    holder = {}

    def chunks():
        rng = random.Random(20240601 + nblocks)
        pool = frame_pool(rng, 60)
        stacks = [tuple(rng.sample(pool, rng.randint(0, 8))) for _ in range(200)]
        types = [b"DRAM", b"L1", b"L1_SMALL", b"TRACE", b"SYSTEM_MEMORY", b"OTHER"]
        m = holder["m"] = DebugModel()
        holder["frames"] = len(pool)
        open_list, pos = [], {}
        pending = []      # pointers whose DESTRUCTOR was written, their DEALLOCATED still to come
        counter = [0]

        def take_open():
            i = rng.randrange(len(open_list))
            p = open_list[i]
            last = open_list.pop()
            if i < len(open_list):
                open_list[i] = last
                pos[last] = i
            del pos[p]
            return p

        def fresh():
            counter[0] += 1
            return counter[0]

        def alloc(ptr=None):
            k = fresh()
            if ptr is None:
                ptr = 0x7f0000000000 + k * 0x40
            hooked = rng.random() < 0.03
            m.block("ALLOCATED", ptr, rng.randrange(8), 0 if hooked else 0x100000 + k * 0x100,
                    rng.choice((64, 2048, 4096, 65536, 1 << 20, 12503040)), rng.choice(types), rng.choice(stacks),
                    hooked=hooked, owns=rng.random() < 0.9)
            if ptr not in pos:
                pos[ptr] = len(open_list)
                open_list.append(ptr)

        def end(kind, ptr):
            m.block(kind, ptr, rng.randrange(8), 0x100000, 4096, b"L1", rng.choice(stacks))

        depth = nblocks // 4
        for k in range(depth):  # deep: a quarter of all blocks open before anything closes
            alloc()
            if k % 20000 == 0:
                yield m.drain()
        written = depth
        while written < nblocks:
            r = rng.random()
            if r < 0.40 or not open_list:
                alloc()
            elif r < 0.45:
                alloc(open_list[rng.randrange(len(open_list))])            # supersedes an open lifetime
            elif r < 0.70:
                end("DEALLOCATED", take_open())
            elif r < 0.80:
                p = take_open()
                end("DESTRUCTOR", p)
                pending.append(p)
            elif r < 0.83:
                end("DESTRUCTOR", take_open())                              # non-owning: nothing follows
            elif r < 0.86:
                end("DEALLOCATED", 0x600000000000 + fresh() * 0x40)         # never allocated: unmatched
            elif r < 0.88:
                end("DESTRUCTOR", 0x500000000000 + fresh() * 0x40)          # unmatched, then its DEALLOCATED
                pending.append(0x500000000000 + counter[0] * 0x40)
            elif r < 0.90:
                m.foreign_line(b"[TT-Metal] Buffer debug logging enabled -> /tmp/tt_buffer_debug.log")
                written -= 1
            elif pending:
                end("DEALLOCATED", pending.pop(rng.randrange(len(pending))))
            else:
                written -= 1
            written += 1
            if written % 20000 == 0:
                yield m.drain()
        while pending:
            end("DEALLOCATED", pending.pop())
        yield m.drain()
        holder["keys"] = len(m.keys)

    def expected():
        m = holder["m"]
        return dict(inputs=[m.expected_input("-")], server=None, debug=m.expected_debug())

    return Job(chunks, expected, keys=lambda: holder["keys"], frames=60, threads=(2,) if big else (1, 2))


def case_frames(big):
    """Every block its own 8 distinct frames: a million distinct frames (small: 40,000)."""
    nb = 125_000 if big else 5_000
    m = DebugModel()
    B = 5_000

    def frames(b):
        return [b"/opt/tt-metal/build/lib/libtt_metal.so: tt::unique_fn_%07d_%d(int, std::vector<int>)" % (b, k)
                for k in range(8)]

    def chunks():
        for s in range(0, nb, B):
            for b in range(s, min(nb, s + B)):
                m.block("ALLOCATED", 0x7f0000000000 + b * 0x40, b % 8, 0x100000 + b * 0x100, 4096 + b % 4096,
                        b"DRAM", frames(b))
                if b % 2:
                    m.block("DEALLOCATED", 0x7f0000000000 + (b - 1) * 0x40, 0, 0, 0, b"DRAM", frames(b)[:2])
            yield m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=None, debug=m.expected_debug())

    return Job(chunks, expected, keys=nb, frames=nb * 8, threads=(2,) if big else (1, 2))


def case_long_lines(big):
    """Lines longer than the reader's 1 MiB buffers, through a pipe: a foreign line, an alloc
    line behind a glyph prefix of megabytes (still ours: the prefix is opaque), an alloc line
    whose size has millions of digits (malformed), and ordinary lines between them.  Memory: a
    line is held once, so the bound grows by the longest line, once."""
    n = (256 if big else 3) * MB + 12345
    m = ServerModel()
    m.alloc(100, 4096, "DRAM", 0, 0x1000)
    m.foreign_line(b"x" * n)
    m.alloc(100, 8192, "L1", 1, 0x2000, prefix=b"\xe2\x9c\x93" * (n // 3) + b" ")
    m.malformed_line(CHECK + b"[PID 100] Allocated " + b"9" * n + b" bytes of L1 on device 0 (buffer_id=0x3000)")
    m.free(100, 0, 0x1000)
    m.foreign_line(b"y" * (n + 1))
    m.alloc(100, 64, "TRACE", 2, 0x3000)
    parts = []

    def chunks():
        data = m.drain() if not parts else parts[0]
        parts[:] = [data]
        for i in range(0, len(data), 4 * MB):
            yield data[i:i + 4 * MB]

    def expected():
        return dict(inputs=[m.expected_input("-")], server=m.expected_server(), debug=None)

    return Job(chunks, expected, keys=len(m.hist), extra_bytes=n + 200,
               threads=(2,) if big else (1, 2))


def case_bulk_cleanup(big):
    """One PID owning many keys is found dead: one cleanup line removes them all; frees of them
    afterwards are unknown (after_cleanup); some addresses are allocated again by another PID;
    a DUMP_REMAINING, then more frees and a second dead PID: the dump lifecycle splits exactly."""
    n = 2_000_000 if big else 50_000
    m = ServerModel()
    dev = lambda k: k % 4
    addr = lambda k: 0x10000 + (k // 4) * 0x40
    size = lambda k: 512 * (1 + k % 3)
    typ = lambda k: TYPES5[k % 5]

    def chunks():
        for k in range(n):
            m.alloc(7, size(k), typ(k), dev(k), addr(k))
            if k % 100000 == 0:
                yield m.drain()
        for j in range(25):
            m.alloc(9, 4096 * (j + 1), TYPES5[j % 5], j % 2, 0x90000000 + j * 0x40)
        yield m.drain()
        m.cleanup([7])
        for k in range(0, n, 10):
            m.unknown(7, dev(k), addr(k), dec=k % 20 == 0)
            if k % 100000 == 0:
                yield m.drain()
        for k in range(0, n, 1000):
            m.alloc(8, 64, "L1", dev(k), addr(k))
        m.dump()
        for k in range(0, n, 2000):
            m.free(8, dev(k), addr(k))
        m.cleanup([9])
        m.stats()
        yield m.drain()

    def expected():
        return dict(inputs=[m.expected_input("-")], server=m.expected_server(), debug=None)

    return Job(chunks, expected, keys=n + 25, threads=(2,) if big else (1, 2))


def case_live_at_end(big):
    """Every key still live at the end (a run killed before any free): the report lists them
    all, in the contract's order (size descending, then device, then address), sizes tied in
    large groups so the tie-breaks decide."""
    n = 1_000_000 if big else 50_000
    dev = lambda i: (i * 5) % 8
    addr = lambda i: 0x40000000 - (i // 8) * 0x40
    size = lambda i: 4096 << (i % 4)
    typ = lambda i: TYPES5[i % 5]
    pid = lambda i: 500 + i % 3
    st = dict(lines=0, bytes=0)

    def emit(lines):
        st["lines"] += len(lines)
        data = b"".join(l + b"\n" for l in lines)
        st["bytes"] += len(data)
        return data

    def chunks():
        yield emit([BANNER])
        for s_ in range(0, n, 100_000):
            yield emit([CHECK + b"[PID %d] Allocated %d bytes of %s on device %d (buffer_id=0x%x)"
                        % (pid(i), size(i), typ(i).encode(), dev(i), addr(i)) for i in range(s_, min(n, s_ + 100_000))])
        sl, st["checkpoint"] = stats_block([(dev(i), size(i), typ(i)) for i in range(n)], st["lines"] + 1)
        yield emit(sl)

    def expected():
        lk = [dict(device=dev(i), address=addr(i), type=typ(i), size=size(i), pid=pid(i), ref_count=1, input=0,
                   line=2 + i, site=None) for i in range(n)]
        lk.sort(key=lambda x: (-x["size"], x["device"], x["address"]))
        return dict(
            inputs=[dict(path="-", format="server-log", compressed=False, bytes=st["bytes"], lines=st["lines"],
                         recognized_lines=st["lines"], foreign_lines=0, malformed_lines=0, truncated=False)],
            server=dict(runs=1, events=dict(alloc=n, alloc_ref=0, free_ref=0, free_final=0, free_unknown=0,
                                            cleanup_removed=0, dumps=0, stats_blocks=1),
                        remaining=remaining_of([(dev(i), size(i), typ(i)) for i in range(n)]), leaks=lk,
                        unknown_frees=dict(count=0, by_device=[], by_cause=dict(never_seen=0, after_final_free=0,
                                                                                 after_cleanup=0)),
                        cleanup=[], reuse=[], checkpoints=[st["checkpoint"]]),
            debug=None)

    return Job(chunks, expected, keys=n, threads=(2,) if big else (1, 2))


CASES = {
    "addresses": case_addresses,
    "pids": case_pids,
    "limits": case_limits,
    "debug-limits": case_debug_limits,
    "negatives": case_negatives,
    "nul-server": case_nul_server,
    "nul-debug": case_nul_debug,
    "utf8-server": case_utf8_server,
    "utf8-debug": case_utf8_debug,
    "utf8-path": case_utf8_path,
    "deep-stack": case_deep_stack,
    "interleaved": case_interleaved,
    "frames": case_frames,
    "long-lines": case_long_lines,
    "bulk-cleanup": case_bulk_cleanup,
    "live-at-end": case_live_at_end,
}


def check_ci_format(fmt, out, c):
    text, err = utf8_strict(out)
    if err:
        c.fail(f"-f {fmt}: {err}")
        return
    if fmt == "junit":
        try:
            ET.fromstring(out)
        except ET.ParseError as e:
            c.fail(f"-f junit: not well-formed XML: {e}")
    elif fmt == "gitlab":
        try:
            json.loads(text)
        except ValueError as e:
            c.fail(f"-f gitlab: not JSON: {e}")


def entries_reported(exp):
    """The entries the expected report lists one by one (see PER_ENTRY)."""
    s = exp.get("server") or {}
    d = exp.get("debug") or {}
    n = len(s.get("leaks") or []) + len(s.get("cleanup") or []) + len(d.get("leaks") or [])
    lc = s.get("dump_lifecycle")
    if lc:
        n += lc["at_dump"]["buffers"]
    return n


def run_job(name, make, tool, big):
    """make() builds the job afresh (the generators are deterministic) for every run."""
    fails, notes = [], []
    job = make()
    with tempfile.TemporaryDirectory(prefix="lc-hostile-") as d:
        path = job.path
        if path != "-":
            full = os.path.join(d.encode(), path)
            with open(full, "wb") as f:
                for ch in job.chunks():
                    f.write(ch)
        outs = {}
        for threads in job.threads:
            job = make()
            c = Checker(f"{name} [--threads {threads}] ")
            argv = tool_argv(tool) + ["--threads", str(threads), "-f", "json"] + job.args + [path]
            t0 = time.time()
            # MALLOC_PERTURB_ (set by meson test) makes glibc fill every allocation, so memory
            # that is allocated but never touched becomes resident: the big cases measure the
            # tool as it runs for users, without it.
            env = dict(os.environ)
            if big:
                env.pop("MALLOC_PERTURB_", None)
            if path == "-":
                r = run(argv, feed=job.chunks(), cwd=d, timeout=1500, measure=True, env=env)
            else:
                r = run(argv, cwd=d, timeout=600, measure=True, env=env)
            secs = time.time() - t0
            exp = job.expected()
            if r.timed_out or r.rc != 0:
                c.fail(f"{r.describe()}, expected exit 0; stderr: {r.err_text[-800:]!r}")
            if r.feed_error:
                c.fail(f"the tool stopped reading its input: {r.feed_error}")
            shown = path if isinstance(path, str) else replace_invalid_utf8(path)
            others = other_lines(r.err, [shown, path.decode("utf-8", "replace") if isinstance(path, bytes) else path])
            allowed = [l for l in others if job.allow_err and re.search(job.allow_err, l)]
            rest = [l for l in others if l not in allowed]
            if rest:
                c.fail(f"unexpected stderr lines: {rest[:5]!r}")
            if job.need_err and not allowed:
                c.fail(f"no stderr line says /{job.need_err}/ (a sum passed 2^64-1)")
            doc, err = load_json(r.out)
            if err:
                c.fail(f"report: {err}")
            else:
                for sect in ("inputs", "server", "debug"):
                    if sect in exp:
                        want = exp[sect]
                        got = doc.get(sect, "<missing>")
                        if want is None:
                            c.eq(sect, got, None)
                        elif isinstance(want, list):
                            compare(c, sect, got, want)
                        else:
                            if not isinstance(got, dict):
                                c.fail(f"{sect}: expected an object, got {str(got)[:100]}")
                                continue
                            for k, v in want.items():
                                compare(c, f"{sect}.{k}", got.get(k, "<missing>"), v)
                s = doc.get("server") or {}
                for k in ("checkpoints_disagree",):
                    if k in s:
                        c.eq(f"server.{k}", s[k], 0)
            keys = job.keys() if callable(job.keys) else job.keys
            entries = entries_reported(exp)
            limit_kb = (BASE + PER_KEY * keys + PER_FRAME * job.frames + PER_ENTRY * entries + job.extra_bytes) // 1024
            notes.append(f"{name} --threads {threads}: {secs:.1f} s, peak RSS {r.maxrss_kb} KB "
                         f"(bound {limit_kb} KB for {keys} keys, {job.frames} frames, {entries} entries), "
                         f"report {len(r.out)} bytes")
            if checked_build():
                notes.append(f"{name}: memory bound not checked (sanitizer or valgrind run)")
            elif r.maxrss_kb is None:
                c.fail("no peak RSS measured")
            elif r.maxrss_kb > limit_kb:
                c.fail(f"peak RSS {r.maxrss_kb} KB over the bound {limit_kb} KB "
                       f"(64 MB + {PER_KEY} B x {keys} keys + {PER_FRAME} B x {job.frames} frames"
                       f" + {PER_ENTRY} B x {entries} entries + the longest line, {job.extra_bytes} B)")
            outs[threads] = r.out
            fails += c.fails
        if len(outs) == 2 and outs[1] != outs[2]:
            fails.append(f"{name}: the report differs between --threads 1 and --threads 2")
        fmts = [] if big else ["text", "junit", "gitlab", "github"]
        if not big and (job.frames or "debug" in name or name in ("interleaved", "frames", "deep-stack")):
            fmts.append("folded")
        for fmt in fmts:
            job = make()
            c = Checker(f"{name} -f {fmt}: ")
            argv = tool_argv(tool) + ["-f", fmt] + job.args + [path]
            r = run(argv, feed=job.chunks(), cwd=d, timeout=600) if path == "-" else run(argv, cwd=d)
            if r.timed_out or r.rc not in (0, 1):
                c.fail(f"{r.describe()}; stderr: {r.err_text[-400:]!r}")
            if fmt in ("junit", "gitlab", "github"):  # CI formats: valid UTF-8 (XML, JSON) whatever the log
                check_ci_format(fmt, r.out, c)
            fails += c.fails
    return fails, notes


def main():
    args = sys.argv[1:]
    if args and args[0] == "--list":
        print("\n".join(CASES))
        return 0
    big = "--big" in args
    args = [a for a in args if a != "--big"]
    tool, names = args[0], args[1:] or list(CASES)
    fails, notes = [], []
    for n in names:
        t0 = time.time()
        f, no = run_job(n, lambda: CASES[n](big), tool, big)
        fails += f
        notes += no
        print(f"{n}: {'FAIL' if f else 'ok'} ({time.time() - t0:.1f} s)")
        sys.stdout.flush()
    return finish(fails, notes)


if __name__ == "__main__":
    sys.exit(main())
