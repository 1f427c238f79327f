#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fault injection: inputs that cannot be read, or only partly, and reports that cannot be
written.  Usage: faults.py TOOL [CASE...] (no CASE: every case; --list prints the names).

Every case runs with --threads 1 and --threads 2, with -f json and -f text, and checks:
  * the exit status (2 for every fault, 0 for the empty inputs given with --allow-empty and the good FIFOs);
  * stderr: exactly one line that is not a per-line diagnostic ("tt-leakcorr: FILE:LINE: ...",
    the tool's normal malformed-line warnings), and that line names the faulty file (or
    standard input / standard output) -- or no such line at all when nothing is wrong;
  * -f json: the report parses (strict UTF-8, json.loads: never cut off) and states what was
    read: the faulty input is marked as not read whole (`truncated` true), its figures are
    those of the part that was read, worked out below from the bytes we wrote, and the good
    input given beside it is analysed in full;
  * -f text: a partly read input is flagged (TRUNCATED) in the report;
  * --threads 1 and --threads 2 print byte-identical reports and the same fault line.
Expected figures are computed here from the data this script writes, never from the tool.
"""
import gzip
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Checker, finish, load_json, other_lines, run, tool_argv  # noqa: E402

TOOL = None
IS_ROOT = os.geteuid() == 0
NOBODY = 65534

BANNER = "\U0001F680 Allocation Server started\n"
GOOD = (BANNER +
        "\u2713 [PID 100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x1000)\n"
        "\u2713 [PID 100] Allocated 8192 bytes of DRAM on device 1 (buffer_id=0x2000)\n"
        "\u2717 [PID 100] Freed buffer 0x1000 on device 0 (4096 bytes, FINAL)\n").encode()
# GOOD alone: 4 lines, all recognized; alloc 2, free_final 1; one 8192-byte DRAM buffer left.
GOOD_LINES, GOOD_ALLOCS, GOOD_REMAIN = 4, 2, 8192
CHECK_ = "\u2713 ".encode()


def body_line(i):
    return b"\xe2\x9c\x93 [PID 300] Allocated 256 bytes of L1 on device 5 (buffer_id=0x%x)\n" % (0x100000 + i * 0x100)


def body(n):
    """n allocations of 256 bytes on device 5, no banner (so they join GOOD's run)."""
    return b"".join(body_line(i) for i in range(n))


def leaky(n):
    """A log with n leaks: a report of a few hundred KB, larger than any stdio buffer."""
    return BANNER.encode() + b"".join(
        b"\xe2\x9c\x93 [PID 42] Allocated %d bytes of DRAM on device %d (buffer_id=0x%x)\n" % (4096 + i, i % 8, 0x10000 + i * 64)
        for i in range(n))


def prefix_figures(data, nbytes):
    """What the tool must report for the first nbytes of `data` (a BODY): lines, and the
    allocations it can apply (complete lines, and a cut last line only if it is whole)."""
    pre = data[:nbytes]
    full = pre.count(b"\n")
    tail = pre[pre.rfind(b"\n") + 1:]
    lines = full + (1 if tail else 0)
    allocs = full
    if tail and data[:nbytes + 1].endswith(b"\n"):
        allocs += 1  # the cut fell exactly before a newline: the last line is whole
    return lines, allocs, bool(tail) and not data[:nbytes + 1].endswith(b"\n")


def zlib_inflate(gz):
    """Everything zlib itself inflates from a cut or damaged gzip stream, up to the first
    error (fed in small pieces, the last piece byte by byte, so no output is lost)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = []
    for i in range(0, len(gz), 4096):
        piece = gz[i:i + 4096]
        keep = d.copy()
        try:
            out.append(d.decompress(piece))
        except zlib.error:
            for k in range(len(piece)):
                try:
                    out.append(keep.decompress(piece[k:k + 1]))
                except zlib.error:
                    break
            break
        if d.eof:
            break
    return b"".join(out)


# ---------------------------------------------------------------------------------------------
# Cases.  Each returns a dict:
#   args        arguments after the common ones (tool --threads N -f FMT)
#   names       input names as given (for telling per-line diagnostics apart)
#   exit        expected status
#   fault       None (no fault line allowed) or the text the single fault line must contain
#   fault_re    optional regex the fault line must also match
#   check       f(doc, checker) for -f json
#   partial     the text report must flag a truncated input
#   wrap        shell redirection around the tool: e.g. ">&-"
#   stdin       path for standard input, or "closed"
#   fifo        (path, bytes) written by a writer thread for every run
#   nobody      run as uid 65534 when we are root (permissions bind only non-root users)
#   stdout_empty  nothing may be written on stdout
#   formats     which -f values to run (default json and text)
#   after       f(None, checker) run after the tool, for what it must have left alone


def input_check(k, want, reason=""):
    def check(doc, c):
        inp = doc["inputs"][k] if len(doc.get("inputs", [])) > k else None
        if not c.true(f"inputs[{k}] missing", inp is not None):
            return
        for key, v in want.items():
            c.eq(f"inputs[{k}].{key}{reason}", inp.get(key, "<missing>"), v)
    return check


def not_read_whole(k):
    def check(doc, c):
        inp = doc["inputs"][k]
        c.true(f"inputs[{k}] not marked as not read whole (truncated={inp.get('truncated')!r}, "
               f"error={inp.get('error')!r})", inp.get("truncated") is True)
    return check


def server_check(allocs, remain_bytes, remain_buffers):
    def check(doc, c):
        s = doc.get("server")
        if not c.true("server section missing", isinstance(s, dict)):
            return
        c.eq("server.events.alloc", s["events"]["alloc"], allocs)
        c.eq("server.remaining.bytes", s["remaining"]["bytes"], remain_bytes)
        c.eq("server.remaining.buffers", s["remaining"]["buffers"], remain_buffers)
    return check


def checks(*fs):
    def check(doc, c):
        for f in fs:
            f(doc, c)
    return check


def unreadable_input(d, name, what, fault_re, nobody=False):
    """GOOD, then an input that cannot be read at all."""
    good = os.path.join(d, "good.log")
    return dict(args=[good, name], names=[good, name], exit=2, fault=name, fault_re=fault_re, nobody=nobody,
                partial=True,
                check=checks(input_check(1, {"bytes": 0, "lines": 0, "recognized_lines": 0}), not_read_whole(1),
                             input_check(0, {"lines": GOOD_LINES, "truncated": False}),
                             server_check(GOOD_ALLOCS, GOOD_REMAIN, 1)))


def case_missing(d):
    return unreadable_input(d, os.path.join(d, "does-not-exist.log"), "missing", r"No such file or directory")


def case_directory(d):
    sub = os.path.join(d, "a-directory")
    os.mkdir(sub)
    return unreadable_input(d, sub, "directory", r"[Ii]s a directory")


def case_unreadable(d):
    path = os.path.join(d, "unreadable.log")
    with open(path, "wb") as f:
        f.write(GOOD)
    os.chmod(path, 0)
    # root reads any file whatever its mode: as root the case runs as nobody (uid 65534).
    return unreadable_input(d, path, "unreadable", r"Permission denied", nobody=IS_ROOT)


def case_read_error(d):
    # open() succeeds, read() fails with EIO, even for root: a read error on an open input.
    return unreadable_input(d, "/proc/self/mem", "read error", r"[Ii]nput/output error|I/O error")


def start_fifo_writer(path, data):
    def writer():
        try:
            with open(path, "wb") as f:
                f.write(data)
        except (BrokenPipeError, OSError):
            pass
    t = threading.Thread(target=writer, daemon=True)
    t.start()
    return t


def stop_fifo_writer(path, t):
    t.join(timeout=5)
    if t.is_alive():  # the tool never opened the FIFO: release the writer
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            os.close(fd)
        except OSError:
            pass
        t.join(timeout=5)


def case_fifo_plain(d):
    path = os.path.join(d, "plain.fifo")
    os.mkfifo(path)
    data = GOOD + body(1000)
    # GOOD's 4 lines + 1000 allocations of 256 bytes on device 5, all recognized.
    return dict(args=[path], names=[path], exit=0, fault=None, fifo=(path, data),
                check=checks(input_check(0, {"bytes": len(data), "lines": 1004, "recognized_lines": 1004,
                                             "foreign_lines": 0, "malformed_lines": 0, "truncated": False,
                                             "compressed": False}),
                             server_check(1002, 8192 + 256 * 1000, 1001)))


def case_fifo_gzip(d):
    path = os.path.join(d, "gzip.fifo")
    os.mkfifo(path)
    data = GOOD + body(20000)
    return dict(args=[path], names=[path], exit=0, fault=None, fifo=(path, gzip.compress(data)),
                check=checks(input_check(0, {"bytes": len(data), "lines": 20004, "recognized_lines": 20004,
                                             "malformed_lines": 0, "truncated": False, "compressed": True}),
                             server_check(20002, 8192 + 256 * 20000, 20001)))


def truncated_gzip_case(d, name, data, gz, fifo=False):
    """GOOD, then `gz` (a cut or damaged gzip stream of `data`, a BODY) from a file or a FIFO.
    Whatever the decoder, it can deliver at most what zlib inflates; the figures must be those
    of the bytes the report says it read.  Where damaged data inflated to garbage, only the
    accounting of those lines can be checked."""
    good = os.path.join(d, "good.log")
    path = os.path.join(d, name)
    if fifo:
        os.mkfifo(path)
    else:
        with open(path, "wb") as f:
            f.write(gz)
    inflated = zlib_inflate(gz)
    upper = len(inflated)
    clean = 0  # how much of what zlib inflates is still the original data
    while clean < upper and inflated[clean] == data[clean]:
        clean += 1

    def check(doc, c):
        inp = doc["inputs"][1]
        not_read_whole(1)(doc, c)
        c.eq("inputs[1].compressed", inp["compressed"], True)
        nbytes = inp["bytes"]
        if not c.true(f"inputs[1].bytes {nbytes} more than zlib itself can inflate from the cut stream ({upper})",
                      isinstance(nbytes, int) and 0 <= nbytes <= upper):
            return
        lines, allocs, cut_tail = prefix_figures(inflated, nbytes)
        c.eq(f"inputs[1].lines (for the {nbytes} bytes it says it read)", inp["lines"], lines)
        c.eq("inputs[1] line accounting", inp["recognized_lines"] + inp["foreign_lines"] + inp["malformed_lines"],
             inp["lines"])
        if nbytes > clean:
            return  # garbage inflated from damaged data: its lines are whatever they are
        c.true("inputs[1]: more than the one cut line left unrecognized",
               inp["foreign_lines"] + inp["malformed_lines"] <= (1 if cut_tail else 0))
        server_check(GOOD_ALLOCS + allocs, GOOD_REMAIN + 256 * allocs, 1 + allocs)(doc, c)
        input_check(0, {"lines": GOOD_LINES, "truncated": False})(doc, c)

    spec = dict(args=[good, path], names=[good, path], exit=2, fault=path,
                fault_re=r"truncated|unexpected end|end of file", partial=True, check=check)
    if fifo:
        spec["fifo"] = (path, gz)
    return spec


def case_truncated_gzip(d):
    data = body(40000)
    gz = gzip.compress(data)
    return truncated_gzip_case(d, "cut.log.gz", data, gz[:len(gz) // 2])


def case_fifo_truncated_gzip(d):
    data = body(40000)
    gz = gzip.compress(data)
    return truncated_gzip_case(d, "cut-gzip.fifo", data, gz[:len(gz) // 2], fifo=True)


def case_truncated_gzip_tiny(d):
    # Cut 3 bytes into the deflate data: nothing or almost nothing can be inflated.
    data = body(100)
    gz = gzip.compress(data)
    return truncated_gzip_case(d, "tiny.log.gz", data, gz[:13])


def case_truncated_second_header(d):
    """A whole member, then a second member cut inside its 10-byte header: exactly the first
    member's 3000 lines are read."""
    good = os.path.join(d, "good.log")
    path = os.path.join(d, "second-header.log.gz")
    data = body(3000)
    with open(path, "wb") as f:
        f.write(gzip.compress(data) + gzip.compress(b"more\n")[:6])
    return dict(args=[good, path], names=[good, path], exit=2, fault=path,
                fault_re=r"truncated|unexpected end|end of file", partial=True,
                check=checks(input_check(1, {"bytes": len(data), "lines": 3000, "recognized_lines": 3000,
                                             "malformed_lines": 0, "foreign_lines": 0}),
                             not_read_whole(1), server_check(GOOD_ALLOCS + 3000, GOOD_REMAIN + 256 * 3000, 3001)))


def case_magic_only(d):
    good = os.path.join(d, "good.log")
    path = os.path.join(d, "magic-only.log.gz")
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b")
    return dict(args=[good, path], names=[good, path], exit=2, fault=path, partial=True,
                check=checks(input_check(1, {"bytes": 0, "lines": 0}), not_read_whole(1),
                             server_check(GOOD_ALLOCS, GOOD_REMAIN, 1)))


def corrupt_member_case(d, name, gzdata, data, fault_re):
    """GOOD, then a gzip member whose deflate data is whole but which is corrupt afterwards:
    every line was inflated (3000), the input is still not valid."""
    good = os.path.join(d, "good.log")
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(gzdata)
    return dict(args=[good, path], names=[good, path], exit=2, fault=path, fault_re=fault_re, partial=True,
                check=checks(input_check(1, {"bytes": len(data), "lines": 3000, "recognized_lines": 3000,
                                             "compressed": True}),
                             not_read_whole(1), server_check(GOOD_ALLOCS + 3000, GOOD_REMAIN + 256 * 3000, 3001)))


def case_bad_crc(d):
    data = body(3000)
    gz = gzip.compress(data)
    bad = gz[:-8] + struct.pack("<I", zlib.crc32(data) ^ 0x5A5A5A5A) + gz[-4:]
    return corrupt_member_case(d, "bad-crc.log.gz", bad, data, r"corrupt|check|CRC|crc")


def case_bad_length(d):
    data = body(3000)
    gz = gzip.compress(data)
    bad = gz[:-4] + struct.pack("<I", (len(data) + 1) & 0xFFFFFFFF)
    return corrupt_member_case(d, "bad-length.log.gz", bad, data, r"corrupt|length|check|size")


def case_garbage_after_member(d):
    data = body(3000)
    return corrupt_member_case(d, "garbage.log.gz", gzip.compress(data) + b"this is not gzip\n" * 50, data,
                               r"garbage|trailing|not in gzip format|corrupt")


def case_binary_after_member(d):
    data = body(3000)
    junk = bytes((i * 37 + 11) & 0xFF for i in range(70000))
    return corrupt_member_case(d, "binary-garbage.log.gz", gzip.compress(data) + junk, data,
                               r"garbage|trailing|not in gzip format|corrupt")


def case_corrupt_deflate(d):
    """The deflate data itself is damaged mid-stream (an invalid block): part read."""
    data = body(40000)
    gz = bytearray(gzip.compress(data))
    mid = len(gz) // 2
    for i in range(mid, mid + 64):
        gz[i] = 0xFF
    spec = truncated_gzip_case(d, "bad-deflate.log.gz", data, bytes(gz))
    spec["fault_re"] = r"corrupt|invalid|truncated|data error|check"
    return spec


def case_empty_file(d):
    path = os.path.join(d, "empty.log")
    open(path, "wb").close()
    return dict(args=["--allow-empty", path], names=[path], exit=0, fault=None,
                check=input_check(0, {"bytes": 0, "lines": 0, "recognized_lines": 0, "foreign_lines": 0,
                                      "malformed_lines": 0, "truncated": False}))


def case_empty_gzip(d):
    path = os.path.join(d, "empty.log.gz")
    with open(path, "wb") as f:
        f.write(gzip.compress(b""))
    return dict(args=["--allow-empty", path], names=[path], exit=0, fault=None,
                check=input_check(0, {"bytes": 0, "lines": 0, "compressed": True, "truncated": False}))


def case_empty_gzip_members(d):
    path = os.path.join(d, "empty2.log.gz")
    with open(path, "wb") as f:
        f.write(gzip.compress(b"") * 3)
    return dict(args=["--allow-empty", path], names=[path], exit=0, fault=None,
                check=input_check(0, {"bytes": 0, "lines": 0, "compressed": True, "truncated": False}))


def case_empty_named_gz(d):
    path = os.path.join(d, "zero-bytes.log.gz")
    open(path, "wb").close()
    return dict(args=["--allow-empty", path], names=[path], exit=0, fault=None,
                check=input_check(0, {"bytes": 0, "lines": 0, "truncated": False}))


def case_stdin_closed(d):
    return dict(args=["-"], names=["-"], exit=2, fault="-|standard input|stdin", stdin="closed", partial=True,
                check=checks(input_check(0, {"path": "-", "lines": 0}), not_read_whole(0)))


def case_stdin_directory(d):
    return dict(args=["-"], names=["-"], exit=2, fault="-|standard input|stdin", stdin=d, partial=True,
                check=checks(input_check(0, {"path": "-", "lines": 0}), not_read_whole(0)))


def output_case(d, wrap=None, out=None, big=False, nobody=False, fault="standard output|stdout",
                fault_re=None):
    path = os.path.join(d, "leaky.log" if big else "good.log")
    if big:
        with open(path, "wb") as f:
            f.write(leaky(20000))
    args = ([] if out is None else ["-o", out]) + [path]
    return dict(args=args, names=[path], exit=2, fault=fault, fault_re=fault_re, wrap=wrap, nobody=nobody,
                stdout_empty=out is not None, check=None)


def case_stdout_closed(d):
    return output_case(d, wrap=">&-")


def case_stdout_closed_big(d):
    return output_case(d, wrap=">&-", big=True)


def case_stdout_full(d):
    return output_case(d, wrap=">/dev/full")


def case_stdout_full_big(d):
    return output_case(d, wrap=">/dev/full", big=True)


def case_output_full(d):
    return output_case(d, out="/dev/full", fault="/dev/full", fault_re=r"[Nn]o space|write")


def case_output_full_big(d):
    return output_case(d, out="/dev/full", big=True, fault="/dev/full", fault_re=r"[Nn]o space|write")


def case_output_proc(d):
    # /proc/version cannot be written, not even by root (open may succeed, the write fails).
    return output_case(d, out="/proc/version", fault="/proc/version")


def case_output_not_a_directory(d):
    out = os.path.join(d, "good.log", "report.json")
    return output_case(d, out=out, fault=out, fault_re=r"[Nn]ot a directory")


def case_output_readonly_dir(d):
    ro = os.path.join(d, "read-only")
    os.mkdir(ro, 0o555)
    os.chmod(ro, 0o555)
    out = os.path.join(ro, "report.json")
    return output_case(d, out=out, nobody=IS_ROOT, fault=out, fault_re=r"[Pp]ermission denied|[Rr]ead-only")


def case_output_directory(d):
    out = os.path.join(d, "outdir")
    os.mkdir(out)
    return output_case(d, out=out, fault=out, fault_re=r"[Ii]s a directory")


def gzip_member(data, flags=0, extra=b"", name=b"", comment=b"", hcrc=None, method=8, level=6):
    """A gzip member written by hand (RFC 1952), with the optional header fields."""
    hdr = bytearray(b"\x1f\x8b" + bytes([method, flags]) + b"\0\0\0\0" + b"\0\xff")
    if flags & 4:
        hdr += struct.pack("<H", len(extra)) + extra
    if flags & 8:
        hdr += name + b"\0"
    if flags & 16:
        hdr += comment + b"\0"
    if flags & 2:
        hdr += struct.pack("<H", (zlib.crc32(bytes(hdr)) & 0xFFFF) if hcrc is None else hcrc)
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    return bytes(hdr) + co.compress(data) + co.flush() + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def valid_gzip_case(d, name, gz, data, nlines):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(gz)
    return dict(args=[path], names=[path], exit=0, fault=None,
                check=checks(input_check(0, {"bytes": len(data), "lines": nlines, "recognized_lines": nlines,
                                             "malformed_lines": 0, "foreign_lines": 0, "compressed": True,
                                             "truncated": False})))


def case_gzip_header_fields(d):
    """FTEXT, FHCRC, FEXTRA, FNAME and FCOMMENT all set (RFC 1952): a valid member."""
    data = GOOD + body(500)
    gz = gzip_member(data, flags=1 | 2 | 4 | 8 | 16, extra=b"AB\x02\x00xy", name=b"debug.log", comment=b"a comment")
    return valid_gzip_case(d, "fields.log.gz", gz, data, 504)


def case_gzip_stored(d):
    """Level 0: stored deflate blocks (and several members of them)."""
    data = GOOD + body(3000)
    half = data.index(b"\n", len(data) // 2) + 1
    gz = gzip_member(data[:half], level=0) + gzip_member(data[half:], level=0)
    return valid_gzip_case(d, "stored.log.gz", gz, data, 3004)


def corrupt_header_case(d, name, gz):
    good = os.path.join(d, "good.log")
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(gz)
    return dict(args=[good, path], names=[good, path], exit=2, fault=path, partial=True,
                check=checks(input_check(1, {"bytes": 0, "lines": 0}), not_read_whole(1),
                             server_check(GOOD_ALLOCS, GOOD_REMAIN, 1)))


def case_gzip_bad_header_crc(d):
    gz = gzip_member(body(100), flags=2, hcrc=0x1234)
    return corrupt_header_case(d, "bad-hcrc.log.gz", gz)


def case_gzip_bad_method(d):
    gz = gzip_member(body(100))
    return corrupt_header_case(d, "bad-method.log.gz", gz[:2] + b"\x07" + gz[3:])


def case_gzip_reserved_flags(d):
    """RFC 1952: a reserved FLG bit set must be an error (gzip, zlib: "unknown header flags set")."""
    gz = gzip_member(body(100))
    return corrupt_header_case(d, "reserved-flags.log.gz", gz[:3] + b"\xe0" + gz[4:])


def case_symlink_loop(d):
    loop = os.path.join(d, "loop.log")
    os.symlink("loop.log", loop)
    return unreadable_input(d, loop, "symlink loop", r"[Tt]oo many (levels of )?symbolic links|loop")


def case_name_too_long(d):
    return unreadable_input(d, os.path.join(d, "x" * 300 + ".log"), "name too long", r"[Ff]ile name too long")


def case_dev_null(d):
    return dict(args=["--allow-empty", "/dev/null"], names=["/dev/null"], exit=0, fault=None,
                check=input_check(0, {"bytes": 0, "lines": 0, "truncated": False}))


def case_stderr_closed(d):
    """No stderr at all (2>&-): the faults still give exit 2, and a report written with -o is
    not polluted by messages that had nowhere to go (the -o file may get descriptor 2)."""
    good = os.path.join(d, "good.log")
    missing = os.path.join(d, "missing.log")
    bad = os.path.join(d, "bad.log")
    with open(bad, "wb") as f:
        f.write(GOOD + CHECK_ + b"[PID 1] Allocated 99999999999999999999999 bytes of L1 on device 0 (buffer_id=0x1)\n")
    out = os.path.join(d, "report.out")
    # bad.log repeats GOOD (a second run: events count both, remaining the last) + 1 malformed line
    return dict(args=["-o", out, good, missing, bad], names=[good, missing, bad], exit=2, fault=None,
                wrap="2>&-", outfile=out, stdout_empty=True,
                check=checks(input_check(1, {"lines": 0}), not_read_whole(1),
                             input_check(2, {"lines": 5, "malformed_lines": 1, "truncated": False}),
                             server_check(2 * GOOD_ALLOCS, GOOD_REMAIN, 1)))


def case_stdout_closed_with_output(d):
    """stdout closed but the report goes to -o FILE: nothing is wrong (exit 0)."""
    good = os.path.join(d, "good.log")
    out = os.path.join(d, "report.out")
    return dict(args=["-o", out, good], names=[good], exit=0, fault=None, wrap=">&-", outfile=out,
                check=checks(input_check(0, {"lines": GOOD_LINES}), server_check(GOOD_ALLOCS, GOOD_REMAIN, 1)))



def case_output_is_input(d):
    """-o names the input itself (a slip: `-o debug.log debug.log`).  Refused before anything is
    read or written (exit 2, one line naming the file), and the log is left as it was."""
    path = os.path.join(d, "same.log")
    data = GOOD + body(200000)

    def setup():
        with open(path, "wb") as f:
            f.write(data)
    setup()

    def unchanged(doc, c):
        with open(path, "rb") as f:
            c.true("the input was changed", f.read() == data)
    return dict(args=["-o", path, path], names=[path], exit=2, fault=path, fault_re=r"that is the input",
                stdout_empty=True, before=setup, check=None, after=unchanged, formats=["json"])


CASES = {
    "missing": case_missing,
    "directory": case_directory,
    "unreadable": case_unreadable,
    "read-error": case_read_error,
    "fifo-plain": case_fifo_plain,
    "fifo-gzip": case_fifo_gzip,
    "fifo-truncated-gzip": case_fifo_truncated_gzip,
    "truncated-gzip": case_truncated_gzip,
    "truncated-gzip-tiny": case_truncated_gzip_tiny,
    "truncated-second-header": case_truncated_second_header,
    "magic-only": case_magic_only,
    "bad-crc": case_bad_crc,
    "bad-length": case_bad_length,
    "garbage-after-member": case_garbage_after_member,
    "binary-after-member": case_binary_after_member,
    "corrupt-deflate": case_corrupt_deflate,
    "empty-file": case_empty_file,
    "empty-gzip": case_empty_gzip,
    "empty-gzip-members": case_empty_gzip_members,
    "empty-named-gz": case_empty_named_gz,
    "stdin-closed": case_stdin_closed,
    "stdin-directory": case_stdin_directory,
    "stdout-closed": case_stdout_closed,
    "stdout-closed-big": case_stdout_closed_big,
    "stdout-full": case_stdout_full,
    "stdout-full-big": case_stdout_full_big,
    "output-full": case_output_full,
    "output-full-big": case_output_full_big,
    "output-proc": case_output_proc,
    "output-not-a-directory": case_output_not_a_directory,
    "output-readonly-dir": case_output_readonly_dir,
    "output-directory": case_output_directory,
    "gzip-header-fields": case_gzip_header_fields,
    "gzip-stored": case_gzip_stored,
    "gzip-bad-header-crc": case_gzip_bad_header_crc,
    "gzip-bad-method": case_gzip_bad_method,
    "gzip-reserved-flags": case_gzip_reserved_flags,
    "symlink-loop": case_symlink_loop,
    "name-too-long": case_name_too_long,
    "dev-null": case_dev_null,
    "stderr-closed": case_stderr_closed,
    "stdout-closed-with-output": case_stdout_closed_with_output,
    "output-is-input": case_output_is_input,
}


def as_nobody():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def run_once(spec, threads, fmt, d):
    argv = tool_argv(TOOL) + ["--threads", str(threads), "-f", fmt] + spec["args"]
    stdin = None
    wrap = spec.get("wrap")
    if spec.get("stdin") == "closed":
        wrap = ((wrap or "") + " <&-").strip()
    elif spec.get("stdin"):
        stdin = os.open(spec["stdin"], os.O_RDONLY)  # may be a directory
    if wrap:
        argv = ["sh", "-c", 'exec "$@" ' + wrap, "sh"] + argv
    if spec.get("before"):
        spec["before"]()
    writer = None
    if spec.get("fifo"):
        writer = start_fifo_writer(*spec["fifo"])
    try:
        r = run(argv, stdin=stdin, cwd=d, timeout=120, preexec_fn=as_nobody if spec.get("nobody") else None)
    finally:
        if writer:
            stop_fifo_writer(spec["fifo"][0], writer)
        if isinstance(stdin, int):
            os.close(stdin)
    return r


def check_run(spec, r, threads, fmt, c):
    c.label = f"[--threads {threads} -f {fmt}] "
    if r.timed_out or r.rc != spec["exit"]:
        c.fail(f"{r.describe()}, expected exit {spec['exit']}; stderr: {r.err_text[-600:]!r}")
    others = other_lines(r.err, spec["names"])
    fault_line = None
    if spec["fault"] is None:
        if others:
            c.fail(f"unexpected stderr lines: {others[:5]!r}")
    else:
        if len(others) != 1:
            c.fail(f"expected exactly one stderr line about the fault, got {len(others)}: {others[:6]!r}")
        if others:
            fault_line = others[0]
            if not re.search(spec["fault"], fault_line):
                c.fail(f"the fault line does not name {spec['fault']!r}: {fault_line!r}")
            if not fault_line.startswith("tt-leakcorr: "):
                c.fail(f"the fault line does not start with the program name: {fault_line!r}")
            if spec.get("fault_re") and not re.search(spec["fault_re"], fault_line):
                c.fail(f"the fault line does not say /{spec['fault_re']}/: {fault_line!r}")
    if spec.get("stdout_empty") and r.out:
        c.fail(f"stdout not empty ({len(r.out)} bytes)")
    if spec.get("after"):
        spec["after"](None, c)
    report = r.out
    if spec.get("outfile"):
        try:
            with open(spec["outfile"], "rb") as f:
                report = f.read()
            os.unlink(spec["outfile"])
        except OSError as e:
            c.fail(f"no report in {spec['outfile']}: {e}")
            return None, b""
    elif spec.get("wrap") or spec.get("stdout_empty"):
        return fault_line, r.out
    if fmt == "json":
        doc, err = load_json(report)
        if err:
            c.fail(f"report: {err}")
        elif spec.get("check"):
            try:
                spec["check"](doc, c)
            except (KeyError, IndexError, TypeError) as e:
                c.fail(f"report lacks a field: {e!r}")
    elif fmt == "text":
        if not report:
            c.fail("no text report")
        if spec.get("partial") and not re.search(rb"(?i)truncated", report):
            c.fail("the text report does not flag the truncated or unreadable input")
    return fault_line, report


def nobody_works(d):
    """Can we run the tool as uid 65534 here (CAP_SETUID, and the tool reachable by others)?"""
    try:
        p = subprocess.run(tool_argv(TOOL) + ["--version"], capture_output=True, cwd=d, preexec_fn=as_nobody,
                           timeout=60)
        return p.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def run_case(name):
    fails, notes = [], []
    with tempfile.TemporaryDirectory(prefix="lc-faults-") as d:
        os.chmod(d, 0o755)  # reachable by uid 65534 in the `nobody` cases
        with open(os.path.join(d, "good.log"), "wb") as f:
            f.write(GOOD)
        spec = CASES[name](d)
        if spec.get("wrap") == "2>&-" and os.environ.get("LC_TOOL_WRAPPER"):
            return None, [f"SKIP {name}: the checker of LC_TOOL_WRAPPER (valgrind) cannot run without stderr"]
        if spec.get("nobody"):
            if not nobody_works(d):
                return None, [f"SKIP {name}: running as root, where file permissions do not bind, and the tool "
                              f"cannot be run as uid {NOBODY} here"]
            notes.append(f"{name}: running as root, so the tool runs as uid {NOBODY} for this case "
                         "(root ignores file permissions)")
        for fmt in ("json", "text"):
            outs = {}
            for threads in (1, 2):
                c = Checker()
                r = run_once(spec, threads, fmt, d)
                fault_line, report = check_run(spec, r, threads, fmt, c)
                fails += [f"{name}: {m}" for m in c.fails]
                outs[threads] = (report, fault_line, r.rc)
            if outs[1][0] != outs[2][0]:
                a, b = outs[1][0], outs[2][0]
                i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
                fails.append(f"{name}: -f {fmt}: stdout differs between --threads 1 and 2 "
                             f"({len(a)} vs {len(b)} bytes; first difference at byte {i}: "
                             f"{a[max(0, i - 40):i + 40]!r} vs {b[max(0, i - 40):i + 40]!r})")
            if outs[1][1] != outs[2][1]:
                fails.append(f"{name}: -f {fmt}: the fault line differs between --threads 1 and 2: "
                             f"{outs[1][1]!r} vs {outs[2][1]!r}")
            if outs[1][2] != outs[2][2]:
                fails.append(f"{name}: -f {fmt}: exit status differs between --threads 1 and 2: "
                             f"{outs[1][2]} vs {outs[2][2]}")
        # a closed stdout must not be worked around by writing the report elsewhere
        if spec.get("wrap") == ">&-":
            left = sorted(set(os.listdir(d)) - {"good.log", "leaky.log", "report.out"})
            if left:
                fails.append(f"{name}: files appeared in the working directory: {left}")
    return fails, notes


def main():
    global TOOL
    args = sys.argv[1:]
    if args and args[0] == "--list":
        print("\n".join(CASES))
        return 0
    TOOL = args[0]
    names = args[1:] or list(CASES)
    fails, notes = [], []
    skipped = 0
    for n in names:
        if n not in CASES:
            fails.append(f"unknown case {n}")
            continue
        f, no = run_case(n)
        notes += no
        if f is None:
            skipped += 1
            print(f"{n}: SKIP")
            continue
        fails += f
        print(f"{n}: {'FAIL' if f else 'ok'}")
    rc = finish(fails, notes)
    return 77 if rc == 0 and skipped == len(names) else rc  # 77: meson's "skipped"


if __name__ == "__main__":
    sys.exit(main())
