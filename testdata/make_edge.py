#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the edge and corrupt corpora (small, checked in) from one hand-made base log.

Base log, worked by hand: 4 lines, all recognized; PID 100 allocates 4096 B L1 at
0x1000 on device 0 (line 2) and 8192 B DRAM at 0x2000 on device 1 (line 3), then
frees 0x1000 (FINAL, line 4). Remaining: 1 buffer, 8192 bytes, device 1 DRAM, leak
allocated at line 3.
"""
import gzip
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = (
    "🚀 Allocation Server started\n"
    "✓ [PID 100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x1000)\n"
    "✓ [PID 100] Allocated 8192 bytes of DRAM on device 1 (buffer_id=0x2000)\n"
    "✗ [PID 100] Freed buffer 0x1000 on device 0 (4096 bytes, FINAL)\n"
).encode()


def put(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


put("edge/base.log", BASE)
put("edge/crlf.log", BASE.replace(b"\n", b"\r\n"))
put("edge/no_final_newline.log", BASE[:-1])
put("edge/nul.log", BASE + b"abc\x00def\n")
put("edge/empty.log", b"")
put("edge/empty.log.gz", gz(b""))
half = BASE.index(b"\xe2\x9c\x93 [PID 100] Allocated 8192")
put("edge/multi_member.log.gz", gz(BASE[:half]) + gz(BASE[half:]))
put("edge/gzip_without_suffix.log", gz(BASE))
put("edge/binary_junk.log", BASE + bytes(range(256)) + b"\n" + b"\xff\xfe\x00\x01" * 64 + b"\n")
whole = gz(BASE)
put("corrupt/truncated.log.gz", whole[: len(whole) // 2])
bad = bytearray(whole)
bad[-8] ^= 0xFF  # CRC32 of the gzip trailer
put("corrupt/bad_crc.log.gz", bytes(bad))
put("corrupt/garbage_after_member.log.gz", whole + b"this is not gzip\n")
