#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the hand-made server logs of testdata/hand/.

The .log / .gz files next to this script are the test inputs; this script is
how they were written (exact bytes for mojibake, CRLF, ANSI escapes, missing
final newlines and cut gzip streams are easier to get right in code than in
an editor).  Every figure the .expect files assert was worked out by hand
from FORMATS.md and REPORT-SCHEMA.md -- the derivation is in each .expect
file's comment block -- never by running tt-leakcorr.

Run it from anywhere: python3 make_logs.py   (rewrites the files in place)
"""

import gzip
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- building blocks
BOX_TOP = "╔" + "═" * 62 + "╗"
BOX_BOT = "╚" + "═" * 62 + "╝"
DUMP_TITLE = "║" + " " * 11 + "REMAINING ALLOCATED BUFFERS" + " " * 23 + "║"
KERN_TITLE = "║" + " " * 11 + "DETAILED KERNEL ALLOCATIONS" + " " * 23 + "║"
DFREE_TITLE = "║" + " " * 11 + "DOUBLE-FREED BUFFERS" + " " * 30 + "║"
KBOX_TOP = "  ┌" + "─" * 57 + "┐"
KBOX_BOT = "  └" + "─" * 57 + "┘"

BANNER = [
    "🚀 Allocation Server started",
    "   Listening on: /tmp/tt_allocation_server.sock",
    "   Press Ctrl+C to stop",
    "🔄 Background cleanup thread started (checking every 10s)",
]
SHUTDOWN_TAIL = [
    "🔄 Background cleanup thread stopped",
    "",
    "🛑 Allocation Server stopped",
]


def detect_tt_metal(n, pcie=False):
    out = ["🔍 Device detection (using TT-Metal APIs):"]
    for d in range(n):
        out.append(f"   Device {d}: Wormhole_B0 (12GB DRAM, 108MB L1)")
    out.append(f"   Total: {n} PCIe device(s) detected" if pcie
               else f"   Total: {n} device(s) detected")
    return out


def dump_head(total):
    return ["📋 Received DUMP_REMAINING request...", "",
            BOX_TOP, DUMP_TITLE, BOX_BOT,
            f"Total tracked allocations: {total}", ""]


def dump_tail(total):
    return [f"Total remaining buffers: {total}", "", "📋 DUMP_REMAINING complete."]


def write(name, lines, *, eol="\n", final_newline=True, raw=None):
    """Write lines (str or bytes) joined by eol."""
    if raw is None:
        parts = [l.encode("utf-8") if isinstance(l, str) else l for l in lines]
        data = eol.encode().join(parts)
        if final_newline and parts:
            data += eol.encode()
    else:
        data = raw
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    return data


# ---------------------------------------------------------------- V1 basic
write("v1_basic.log", BANNER + [
    "✓ [PID 919068] Allocated 12503040 bytes of TRACE on device 4 (buffer_id=1043741824)",
    "✓ [PID 919068] Allocated 104857600 bytes of DRAM on device 0 (buffer_id=2560032)",
    "✓ [PID 919068] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152)",
    "✓ [PID 919068] Allocated 2048 bytes of L1_SMALL on device 0 (buffer_id=105248)",
    "✓ [PID 919068] Allocated 1024 bytes of SYSTEM_MEMORY on device 0 (buffer_id=109344)",
    "✗ [PID 919068] Freed buffer 2560032 on device 0 (104857600 bytes, FINAL)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 3",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 4096 bytes (4 KB)",
    "    Total: 7168 bytes",
    "  Device 4:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 0 bytes (0 KB)",
    "    Total: 12503040 bytes",
    "  Active allocations: 4",
    "✗ [PID 919068] Freed buffer 105248 on device 0 (2048 bytes, FINAL)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 2",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 4096 bytes (4 KB)",
    "    Total: 5120 bytes",
    "  Device 4:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 0 bytes (0 KB)",
    "    Total: 12503040 bytes",
    "  Active allocations: 3",
] + SHUTDOWN_TAIL)

# ---------------------------------------------------------------- V2 ref counts
write("v2_refcount.log", detect_tt_metal(2, pcie=True) + BANNER + [
    "✓ [PID 4242] Allocated 32768 bytes of L1 on device 0 (buffer_id=101152)",
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152, ref_count=2)",
    "✓ [PID 4300] Allocated 8192 bytes of DRAM on device 0 (buffer_id=101152, ref_count=3)",
    "✓ [PID 4242] Allocated 65536 bytes of DRAM on device 1 (buffer_id=101152)",
    "✗ [PID 4242] Freed buffer 101152 on device 0 (32768 bytes, ref_count=2 remaining)",
    "✗ [PID 4242] Freed buffer 101152 on device 0 (32768 bytes, ref_count=1 remaining)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 32768 bytes (32 KB)",
    "    Total: 32768 bytes",
    "  Device 1:",
    "    Buffers: 1",
    "    DRAM: 65536 bytes (64 KB)",
    "    L1: 0 bytes (0 KB)",
    "    Total: 65536 bytes",
    "  Active allocations: 2",
    "✗ [PID 4242] Freed buffer 101152 on device 1 (65536 bytes, FINAL)",
    "✓ [PID 4300] Allocated 2048 bytes of L1_SMALL on device 1 (buffer_id=205248)",
    "✓ [PID 4242] Allocated 2048 bytes of L1_SMALL on device 1 (buffer_id=205248, ref_count=2)",
])

# ---------------------------------------------------------------- V3 unknown frees
write("v3_unknown.log", detect_tt_metal(2) + BANNER + [
    "⚠ [PID 12345] Deallocation for unknown buffer 1402304 on device 4 (allocated before tracking started)",
    "✓ [PID 12345] Allocated 131072 bytes of DRAM on device 0 (buffer_id=25718464)",
    "⚠ [PID 12345] Invalid buffer_type 7 for buffer 25718464 on device 0",
    "✗ [PID 12345] Freed buffer 25718464 on device 0 (131072 bytes, FINAL)",
    "⚠ [PID 12345] Deallocation for unknown buffer 25718464 on device 0 (allocated before tracking started)",
    "✓ [PID 12345] Allocated 65536 bytes of DRAM on device 0 (buffer_id=25718464)",
    "⚠ [PID 0] Deallocation for unknown buffer 7 on device 0 (allocated before tracking started)",
    "⚠ [PID 12345] Deallocation for unknown buffer 25718464 on device 1 (allocated before tracking started)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 65536 bytes (64 KB)",
    "    L1: 0 bytes (0 KB)",
    "    Total: 65536 bytes",
    "  Active allocations: 1",
] + SHUTDOWN_TAIL)

# ---------------------------------------------------------------- V4 cleanup
write("v4_cleanup.log", detect_tt_metal(1) + BANNER + [
    "✓ [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=2)",
    "✓ [PID 108741] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=3)",
    "✓ [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x19b20)",
    "✓ [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x1ab20)",
    "✓ [PID 108741] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=0x4000000)",
    "✗ [PID 108740] Freed buffer 0x1ab20 on device 0 (4096 bytes, FINAL)",
    "Unknown message type: 81",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 108740 is dead, removing its buffers...",
    "   ✓ Removed 2 buffers (0.0078125 MB) from PID 108740",
    "",
    "⚠ [PID 108741] Deallocation for unknown buffer 0x18b20 on device 0 (allocated before tracking started)",
    "⚠ [PID 108741] Deallocation for unknown buffer 0x1ab20 on device 0 (allocated before tracking started)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 1048576 bytes (1024 KB)",
    "    L1: 0 bytes (0 KB)",
    "    Total: 1048576 bytes",
    "  Active allocations: 1",
    "✓ [PID 108741] Allocated 8192 bytes of L1 on device 0 (buffer_id=0x19b20)",
])

# ---------------------------------------------------------------- V5 UMD, CB/kernel, dump
write("v5_umd.log", [
    "🔍 Device detection (using UMD Cluster for accurate specs):",
    "2025-10-20 14:32:15.123 | info     |   SiliconDriver | Opened PCI device 0; KMD version: 1.29.0 (cluster.cpp:425)",
    "DRAM size per channel: 2147483648",
    "Number of DRAM channels: 6",
    "L1 size per core: 1499136",
    "Grid size: 8x10",
    "Arch: Wormhole_B0",
    "Is remote: 0",
    "   Device 0: Wormhole_B0 (12GB DRAM, 114MB L1) [Local]",
    "   Total: 1 device(s) detected",
] + BANNER + [
    "✓ [PID 7001] Allocated 2097152 bytes of DRAM on device 0 (buffer_id=0x2000000)",
    "✓ [CB_ALLOC] Device 0: +0.0625 MB (Total: 0.0625 MB)",
    "✓ [CB_ALLOC] Device 0: +0.125 MB (Total: 0.1875 MB)",
    "✗ [CB_FREE] Device 0: -0.0625 MB (Total: 0.125 MB)",
    "✓ [KERNEL_LOAD] Fabric kernel on Device 0: +0.0546875 MB (Total: 0.0546875 MB)",
    "✓ [KERNEL_LOAD] Application kernel on Device 0: +0.0078125 MB (Total: 0.0625 MB)",
    "✗ [KERNEL_UNLOAD] Application kernel on Device 0: -0.0078125 MB (Total: 0.0546875 MB)",
    "⚠️  Invalid size 0 - ignoring message",
    "⚠️  Invalid device_id 14 - ignoring message",
    "⚠️  Invalid buffer_type 9 for buffer 65536 on device 0",
    "✓ [PID 7001] Allocated 16384 bytes of L1 on device 0 (buffer_id=0x10000)",
    "✗ [PID 7001] Freed buffer 0x2000000 on device 0 (2097152 bytes, FINAL)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 16384 bytes (16 KB)",
    "    Total: 16384 bytes",
    "  Active allocations: 1",
] + dump_head(1) + [
    "Device 0:",
    "  L1: 1 buffers, 0.015625 MB total",
    "    - Buffer 0x10000: 16 KB (PID 7001, ref_count=1)",
    "",
] + dump_tail(1) + [
    "⚠️  Too many consecutive errors (10) - closing connection (likely protocol mismatch)",
])

# ---------------------------------------------------------------- V6 ClusterDescriptor
write("v6_cluster.log", [
    "🔍 Device detection (all chips via ClusterDescriptor, no hugepages):",
    "   Topology: 1 local chip(s), 1 remote chip(s)",
    "   Device 1: Wormhole_B0 (12GB DRAM, 108MB L1) [Remote Ethernet]",
    "   Device 0: Wormhole_B0 (12GB DRAM, 108MB L1) [Local PCIe]",
    "   Total: 2 device(s) detected (1 local, 1 remote)",
    "   Note: Remote chip specs from topology (hugepages needed for telemetry)",
] + BANNER + [
    "✓ [PID 8100] Allocated 1048576 bytes of DRAM on device 1 (buffer_id=0x100000)",
    "✓ [PID 8100] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [CB_ALLOC] Device 0: +0.5 MB (Total: 0.5 MB)",
    "✓ [KERNEL_LOAD] Dispatch kernel on Device 0: +0.0546875 MB (Total: 0.0546875 MB)",
    "✓ [CB_ALLOC] Device 1: +0.25 MB (Total: 0.25 MB)",
    "✓ [PID 8200] Allocated 32768 bytes of L1 on device 0 (buffer_id=0x20000)",
    "✗ [PID 8100] Freed buffer 0x100000 on device 1 (1048576 bytes, FINAL)",
    "",
    BOX_TOP,
    KERN_TITLE,
    BOX_BOT,
    "Total kernel allocations: 1",
    "",
    "📊 Device 0 - Total: 0.0546875 MB (1 kernels)",
    KBOX_TOP,
    "  │ Kernel ID: 0x3000",
    "  │   Size:      56 KB",
    "  │   Owner PID: 8300",
    "  │   Age:       12 seconds",
    "  │",
    KBOX_BOT,
    "",
    "📋 DUMP_KERNELS complete.",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 8100 is dead, removing its buffers...",
    "   ✓ Removed 1 buffers (1 MB) from PID 8100",
    "   PID 8300 is dead, removing its buffers...",
    "   ✓ Removed 0 buffers (0 MB) from PID 8300",
    "   ✓ Removed 1 CBs (0.5 MB) from PID 8300",
    "   ✓ Removed 1 kernels (0.0546875 MB) from PID 8300",
    "",
    "✗ [CB_FREE] Device 1: -0.25 MB (Total: 0 MB)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 32768 bytes (32 KB)",
    "    Total: 32768 bytes",
    "  Active allocations: 1",
])

# ---------------------------------------------------------------- ENH
write("enh.log", [
    "🚀 Enhanced Allocation Server started (with history tracking)",
    "   Listening on: /tmp/tt_allocation_server.sock",
    "✓ [PID 5100] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=0x4000000)",
    "✓ [PID 5100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x1a0000)",
    "⚠ [PID 5200] Buffer reused with DIFFERENT size: old=1048576 new=524288 (buffer_id=67108864, device=0)",
    "✓ [PID 5200] Allocated 524288 bytes of DRAM on device 0 (buffer_id=0x4000000, ref_count=2)",
    "⚠ [PID 5200] Buffer reused with DIFFERENT size: old=4096 new=2048 (buffer_id=1703936, device=0)",
    "✓ [PID 5200] Allocated 2048 bytes of L1 on device 0 (buffer_id=0x1a0000, ref_count=2)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 2",
    "    DRAM: 1024 KB",
    "    L1: 4 KB",
    "    Total: 1028 KB",
    "  Active allocations: 2",
    "✗ [PID 5100] Freed buffer 0x4000000 on device 0 (524288 bytes, ref_count=1 remaining)",
    "✗ [PID 5100] Freed buffer 0x1a0000 on device 0 (2048 bytes, ref_count=1 remaining)",
    "✗ [PID 5100] Freed buffer 0x1a0000 on device 0 (2048 bytes, FINAL)",
    "⚠ [PID 5200] Deallocation for ALREADY FREED buffer 0x1a0000 on device 0 (allocs=2 frees=3)",
    "   Last 5 events for this buffer:",
    "     FREE size=2048 pid=5100 ref=0",
    "     FREE size=2048 pid=5200 ref=1",
    "     REUSE size=2048 pid=5200 ref=2",
    "     ALLOC size=4096 pid=5100 ref=1",
    "⚠ [PID 5300] Deallocation for unknown buffer 0x2b0000 on device 1 (never tracked or allocated before server started)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 1024 KB",
    "    L1: 2 KB",
    "    Total: 1026 KB",
    "  Active allocations: 1",
    "",
    "🛑 Allocation Server stopped",
    "",
    BOX_TOP,
    DFREE_TITLE,
    BOX_BOT,
    "",
    "Buffer 0x1a0000 on device 0:",
    "  Total allocs: 2, Total frees: 3",
    "  History:",
    "    ALLOC size=4096 pid=5100 ref=1",
    "    REUSE size=2048 pid=5200 ref=2",
    "    FREE size=2048 pid=5200 ref=1",
    "    FREE size=2048 pid=5100 ref=0",
    "    FREE size=0 pid=5200 ref=0",
    "",
])

# ---------------------------------------------------------------- doc-only forms
write("doconly_forms.log", BANNER + [
    "✓ [PID 12345] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152)",
    "✓ [PID 12345] Allocated 8192 bytes of DRAM on device 1 (buffer_id=2560032)",
    "✗ [PID 12345] Freed buffer 101152 on device 0 (4096 bytes)",
    "⚠ Warning: Deallocation for unknown buffer 1402304",
    "⚠ Warning: Deallocation for unknown buffer 101152",
    "✗ [PID 12345] Freed buffer 2560032 on device 1 (8192 bytes)",
    "✓ [PID 12345] Allocated 2048 bytes of L1 on device 0 (buffer_id=101152)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 2048 bytes (2 KB)",
    "    Total: 2048 bytes",
    "  Active allocations: 1",
])

# ---------------------------------------------------------------- unknown-free causes
write("unknown_causes.log", BANNER + [
    "✓ [PID 2001] Allocated 4096 bytes of L1 on device 0 (buffer_id=65536)",
    "✓ [PID 2002] Allocated 4096 bytes of L1 on device 0 (buffer_id=131072)",
    "✓ [PID 2001] Allocated 4096 bytes of L1 on device 1 (buffer_id=65536)",
    "✗ [PID 2001] Freed buffer 65536 on device 0 (4096 bytes, FINAL)",
    "⚠ [PID 2001] Deallocation for unknown buffer 65536 on device 0 (allocated before tracking started)",
    "⚠ [PID 2001] Deallocation for unknown buffer 196608 on device 0 (allocated before tracking started)",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 2002 is dead, removing its buffers...",
    "   ✓ Removed 1 buffers (0.00390625 MB) from PID 2002",
    "",
    "⚠ [PID 2001] Deallocation for unknown buffer 131072 on device 0 (allocated before tracking started)",
    "✓ [PID 2001] Allocated 8192 bytes of L1 on device 0 (buffer_id=131072)",
    "✗ [PID 2001] Freed buffer 131072 on device 0 (8192 bytes, FINAL)",
    "⚠ [PID 2001] Deallocation for unknown buffer 131072 on device 0 (allocated before tracking started)",
    "✓ [PID 2001] Allocated 4096 bytes of L1 on device 0 (buffer_id=65536)",
    "⚠ [PID 2001] Deallocation for unknown buffer 65536 on device 2 (allocated before tracking started)",
])

# ---------------------------------------------------------------- unknown frees by position and PID
# Run 1 V2 (decimal ids), run 2 V4 (hex ids): every position, a line with no PID
# (the doc-only oldest form), a [PID 0] line, groups longer than their first 3.
def unk(pid, bid, dev):
    return f"⚠ [PID {pid}] Deallocation for unknown buffer {bid} on device {dev} (allocated before tracking started)"


write("unknown_positions.log", detect_tt_metal(2, pcie=True) + BANNER + [
    unk(500, 4096, 0),
    "⚠ Warning: Deallocation for unknown buffer 8192",
    "✓ [PID 500] Allocated 1024 bytes of L1 on device 0 (buffer_id=65536)",
    unk(501, 65536, 1),
    unk(502, 12288, 0),
    "⚠ Warning: Deallocation for unknown buffer 16384",
    "✓ [PID 501] Allocated 4096 bytes of DRAM on device 1 (buffer_id=131072)",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 501 is dead, removing its buffers...",
    "   ✓ Removed 1 buffers (0.00390625 MB) from PID 501",
    "",
    unk(500, 131072, 1),
    unk(500, 20480, 0),
    unk(502, 24576, 0),
    unk(502, 28672, 0),
    "⚠ Warning: Deallocation for unknown buffer 32768",
] + detect_tt_metal(2) + BANNER + [
    unk(600, "0x10000", 0),
    unk(0, "0x0", 0),
    "✓ [PID 600] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20)",
    unk(600, "0x18b20", 1),
    unk(502, "0x2000", 0),
    "✗ [PID 600] Freed buffer 0x18b20 on device 0 (4096 bytes, FINAL)",
    unk(601, "0x18b20", 0),
    "✓ [PID 601] Allocated 8192 bytes of DRAM on device 1 (buffer_id=0x20000)",
])

# ---------------------------------------------------------------- address forms: V1, V3 decimal; V4 hex
ADDR_DEC = [
    "✓ [PID 700] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152)",
    "✓ [PID 700] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152, ref_count=2)",
    "✗ [PID 700] Freed buffer 101152 on device 0 (4096 bytes, ref_count=1 remaining)",
    unk(700, 1043741824, 0),
]
write("addr_v1.log", BANNER + ADDR_DEC)
write("addr_v3.log", detect_tt_metal(1) + BANNER + ADDR_DEC)
write("addr_v4.log", detect_tt_metal(1) + BANNER + [
    "✓ [PID 700] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 700] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=2)",
    "✗ [PID 700] Freed buffer 0x18b20 on device 0 (4096 bytes, ref_count=1 remaining)",
    unk(700, "0x3e363c80", 0),
])

# ---------------------------------------------------------------- restart
write("restart.log", BANNER + [
    "✓ [PID 3001] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=16777216)",
    "✓ [PID 3001] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152)",
    "✓ [PID 3001] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152, ref_count=2)",
    "✗ [PID 3001] Freed buffer 101152 on device 0 (4096 bytes, ref_count=1 remaining)",
    "⚠ [PID 3001] Deallocation for unknown buffer 2560032 on device 0 (allocated before tracking started)",
] + dump_head(2) + [
    "Device 0:",
    "  DRAM: 1 buffers, 1 MB total",
    "    - Buffer 0x1000000: 1024 KB (PID 3001, ref_count=1)",
    "  L1: 1 buffers, 0.00390625 MB total",
    "    - Buffer 0x18b20: 4 KB (PID 3001, ref_count=1)",
    "",
] + dump_tail(2) + [
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 3001 is dead, removing its buffers...",
    "   ✓ Removed 2 buffers (1.00391 MB) from PID 3001",
    "",
] + BANNER + [
    "✓ [PID 3100] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152)",
    "⚠ [PID 3100] Deallocation for unknown buffer 16777216 on device 0 (allocated before tracking started)",
    "✓ [PID 3100] Allocated 2048 bytes of L1 on device 0 (buffer_id=101152, ref_count=2)",
    "✓ [PID 3100] Allocated 524288 bytes of DRAM on device 0 (buffer_id=33554432)",
    "✗ [PID 3100] Freed buffer 33554432 on device 0 (524288 bytes, FINAL)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 4096 bytes (4 KB)",
    "    Total: 4096 bytes",
    "  Active allocations: 1",
])

# ---------------------------------------------------------------- events before the first banner
write("prebanner.log", [
    "✓ [PID 500] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x1000)",
    "✓ [PID 500] Allocated 8192 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "⚠ [PID 500] Deallocation for unknown buffer 0x3000 on device 0 (allocated before tracking started)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 2",
    "    DRAM: 8192 bytes (8 KB)",
    "    L1: 4096 bytes (4 KB)",
    "    Total: 12288 bytes",
    "  Active allocations: 2",
] + SHUTDOWN_TAIL + detect_tt_metal(1) + BANNER + [
    "✓ [PID 600] Allocated 2048 bytes of L1 on device 0 (buffer_id=0x1000)",
    "⚠ [PID 600] Deallocation for unknown buffer 0x100000 on device 0 (allocated before tracking started)",
])

# ---------------------------------------------------------------- several files, one stream
write("multi_file_1.log", detect_tt_metal(1) + BANNER + [
    "✓ [PID 6001] Allocated 65536 bytes of DRAM on device 0 (buffer_id=0x80000)",
    "✓ [PID 6001] Allocated 32768 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 6001] Allocated 32768 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=2)",
])
write("multi_file_2.log", [
    "✗ [PID 6001] Freed buffer 0x18b20 on device 0 (32768 bytes, ref_count=1 remaining)",
    "✗ [PID 6001] Freed buffer 0x80000 on device 0 (65536 bytes, FINAL)",
    "⚠ [PID 6001] Deallocation for unknown buffer 0x80000 on device 0 (allocated before tracking started)",
    "✓ [PID 6001] Allocated 2048 bytes of L1_SMALL on device 0 (buffer_id=0x30000)",
])

# ---------------------------------------------------------------- stdin
write("stdin_input.log", BANNER + [
    "✓ [PID 777] Allocated 4096 bytes of DRAM on device 3 (buffer_id=0xa000)",
    "✓ [PID 777] Allocated 4096 bytes of DRAM on device 2 (buffer_id=0xa000)",
    "✗ [PID 777] Freed buffer 0xa000 on device 3 (4096 bytes, FINAL)",
])

# ---------------------------------------------------------------- mojibake, Mac Roman
def mac(glyph):
    return glyph.encode("utf-8").decode("mac_roman").encode("utf-8")


def cp(glyph):
    # cp1252 with Latin-1 for its five undefined bytes (FORMATS.md 5.2)
    return "".join(bytes([b]).decode("cp1252") if b not in (0x81, 0x8d, 0x8f, 0x90, 0x9d)
                   else chr(b) for b in glyph.encode("utf-8")).encode("utf-8")


def nof8ff(b):
    return b.replace("\uf8ff".encode("utf-8"), b"", 1)


# sanity: the byte tables of FORMATS.md 5.2
assert mac("✓") == bytes.fromhex("e2809ac3bac3ac")
assert mac("✗") == bytes.fromhex("e2809ac3bac3b3")
assert mac("⚠") == bytes.fromhex("e2809ac3b6e280a0")
assert mac("⚠️") == bytes.fromhex("e2809ac3b6e280a0c394e2888fc3a8")
assert mac("📊") == bytes.fromhex("efa3bfc3bcc3acc3a4")
assert mac("📋") == bytes.fromhex("efa3bfc3bcc3acc3a3")
assert mac("🔄") == bytes.fromhex("efa3bfc3bcc3aec391")
assert mac("🛑") == bytes.fromhex("efa3bfc3bcc3b5c3ab")
assert mac("🚀") == bytes.fromhex("efa3bfc3bcc3b6c384")
assert mac("╔") == bytes.fromhex("e2809ac3afc3ae")
assert mac("═") == bytes.fromhex("e2809ac3afc3aa")
assert mac("╗") == bytes.fromhex("e2809ac3afc3b3")
assert mac("║") == bytes.fromhex("e2809ac3afc3ab")
assert mac("╚") == bytes.fromhex("e2809ac3afc3b6")
assert mac("╝") == bytes.fromhex("e2809ac3afc3b9")
assert cp("✓") == bytes.fromhex("c3a2c593e2809c")
assert cp("✗") == bytes.fromhex("c3a2c593e28094")
assert cp("⚠") == bytes.fromhex("c3a2c5a1c2a0")
assert cp("⚠️") == bytes.fromhex("c3a2c5a1c2a0c3afc2b8c28f")
assert cp("📊") == bytes.fromhex("c3b0c5b8e2809cc5a0")
assert cp("📋") == bytes.fromhex("c3b0c5b8e2809ce280b9")
assert cp("🔄") == bytes.fromhex("c3b0c5b8e2809de2809e")
assert cp("🛑") == bytes.fromhex("c3b0c5b8e280bae28098")
assert cp("🚀") == bytes.fromhex("c3b0c5b8c5a1e282ac")
assert cp("🔍") == bytes.fromhex("c3b0c5b8e2809dc28d")
assert cp("═") == bytes.fromhex("c3a2e280a2c290")


def mac_line(s, strip_f8ff=False):
    out = s
    for g in ["⚠️", "✓", "✗", "⚠", "📊", "📋", "🔄", "🛑", "🚀", "🔍", "╔", "═", "╗", "║", "╚", "╝"]:
        out = out.replace(g, "\0" + g + "\0")
    parts = out.split("\0")
    b = b""
    for p in parts:
        if p in ["⚠️", "✓", "✗", "⚠", "📊", "📋", "🔄", "🛑", "🚀", "🔍", "╔", "═", "╗", "║", "╚", "╝"]:
            m = mac(p)
            b += nof8ff(m) if strip_f8ff else m
        else:
            b += p.encode("utf-8")
    return b


def cp_line(s):
    b = b""
    out = s
    for g in ["⚠️", "✓", "✗", "⚠", "📊", "📋", "🔄", "🛑", "🚀", "🔍", "╔", "═", "╗", "║", "╚", "╝"]:
        out = out.replace(g, "\0" + g + "\0")
    for p in out.split("\0"):
        if p in ["⚠️", "✓", "✗", "⚠", "📊", "📋", "🔄", "🛑", "🚀", "🔍", "╔", "═", "╗", "║", "╚", "╝"]:
            b += cp(p)
        else:
            b += p.encode("utf-8")
    return b


macroman_src = BANNER + [
    "✓ [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152)",
    "✓ [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=105248)",
    "✓ [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=109344)",
    "✓ [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=109344, ref_count=2)",
    "✗ [PID 108740] Freed buffer 109344 on device 0 (4096 bytes, ref_count=1 remaining)",
    "⚠ [PID 108740] Deallocation for unknown buffer 113440 on device 0 (allocated before tracking started)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 3",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 12288 bytes (12 KB)",
    "    Total: 12288 bytes",
    "  Active allocations: 3",
] + dump_head(3) + [
    "Device 0:",
    "  L1: 3 buffers, 0.0117188 MB total",
    "    - Buffer 0x1ab20: 4 KB (PID 108740, ref_count=1)",
    "    - Buffer 0x18b20: 4 KB (PID 108740, ref_count=1)",
    "    - Buffer 0x19b20: 4 KB (PID 108740, ref_count=1)",
    "",
] + dump_tail(3) + [
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 108740 is dead, removing its buffers...",
    "   ✓ Removed 3 buffers (0.0117188 MB) from PID 108740",
    "",
]
# Lines whose emoji lost the invisible U+F8FF (as in the fork's notes): 4 and 12.
write("mojibake_macroman.log",
      [mac_line(l, strip_f8ff=(i in (4, 12))) for i, l in enumerate(macroman_src, 1)])

# ---------------------------------------------------------------- mojibake, cp1252
cp1252_src = detect_tt_metal(1) + BANNER + [
    "✓ [PID 4242] Allocated 32768 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=2)",
    "DOUBLE ✓ [PID 4242] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✗ [PID 4242] Freed buffer 0x18b20 on device 0 (32768 bytes, ref_count=1 remaining)",
    "⚠ [PID 4242] Deallocation for unknown buffer 0x200000 on device 0 (allocated before tracking started)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 2",
    "    DRAM: 1048576 bytes (1024 KB)",
    "    L1: 32768 bytes (32 KB)",
    "    Total: 1081344 bytes",
    "  Active allocations: 2",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 4242 is dead, removing its buffers...",
    "   ✓ Removed 2 buffers (1.03125 MB) from PID 4242",
    "",
    "",
    "📊 Current Statistics:",
    "  Active allocations: 0",
] + SHUTDOWN_TAIL
cp_lines = []
for l in cp1252_src:
    if l.startswith("DOUBLE "):
        # cp1252 applied twice: ✓ -> "Ã¢Å“â€œ" (FORMATS.md 5.2 notes)
        twice = cp("✓").decode("utf-8").encode("cp1252").decode("utf-8")  # back to ✓
        assert twice == "✓"
        dbl = "✓".encode("utf-8").decode("cp1252").encode("utf-8").decode("cp1252").encode("utf-8")
        assert dbl.decode("utf-8") == "Ã¢Å“â€œ"
        cp_lines.append(dbl + l[len("DOUBLE ✓"):].encode("utf-8"))
    else:
        cp_lines.append(cp_line(l))
write("mojibake_cp1252.log", cp_lines)

# ---------------------------------------------------------------- CRLF
write("crlf.log", BANNER + [
    "✓ [PID 1234] Allocated 524288 bytes of L1 on device 0 (buffer_id=0x1a0000)",
    "✓ [PID 1234] Allocated 262144 bytes of DRAM on device 1 (buffer_id=0x1a0000)",
    "✗ [PID 1234] Freed buffer 0x1a0000 on device 0 (524288 bytes, FINAL)",
    "⚠ [PID 1234] Deallocation for unknown buffer 0x1a0000 on device 0 (allocated before tracking started)",
    "",
    "📊 Current Statistics:",
    "  Device 1:",
    "    Buffers: 1",
    "    DRAM: 262144 bytes (256 KB)",
    "    L1: 0 bytes (0 KB)",
    "    Total: 262144 bytes",
    "  Active allocations: 1",
], eol="\r\n")

# ---------------------------------------------------------------- grep -n excerpt
write("grep_n.log", [
    "4:🚀 Allocation Server started",
    "1523:✓ [PID 919068] Allocated 12503040 bytes of TRACE on device 4 (buffer_id=1043741824)",
    "88410:✗ [PID 919068] Freed buffer 1043741824 on device 4 (12503040 bytes, FINAL)",
    "90112:✓ [PID 1000131] Allocated 12503040 bytes of TRACE on device 4 (buffer_id=1043741824)",
    "90113:✓ [PID 1000131] Allocated 12503040 bytes of TRACE on device 4 (buffer_id=1043741824, ref_count=2)",
    "120045:✗ [PID 1000131] Freed buffer 1043741824 on device 4 (12503040 bytes, ref_count=1 remaining)",
    "150200:⚠ [PID 1000131] Deallocation for unknown buffer 1043741824 on device 3 (allocated before tracking started)",
])

# ---------------------------------------------------------------- ANSI colours
E = "\x1b"
write("ansi.log", BANNER + [
    f"{E}[92m✓ [PID 5555] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20){E}[0m",
    f"{E}[90mPolling allocation server for stats...{E}[0m",
    f"{E}[0m⚠ [PID 0] Deallocation for unknown buffer 0x7fff on device 0 (allocated before tracking started)",
    f"{E}[1m{E}[96m✓ [PID 5555] Allocated 8192 bytes of DRAM on device 0 (buffer_id=0x40000){E}[0m",
    f"✗ [PID 5555] Freed buffer 0x18b20 {E}[93mon device 0{E}[0m (4096 bytes, FINAL)",
    f"{E}[91mLEAK CHECK FAILED (1 buffer remaining){E}[0m",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    f"    DRAM: 8192 bytes (8 KB){E}[0m",
    "    L1: 0 bytes (0 KB)",
    "    Total: 8192 bytes",
    "  Active allocations: 1",
])

# ---------------------------------------------------------------- foreign noise
write("foreign_noise.log", [
    "🔍 Device detection (using TT-Metal APIs):",
    "2025-10-20 14:32:15.123 | info     |          Device | Opening user mode device driver (tt_cluster.cpp:211)",
    "2025-10-20 14:32:15.456 | info     |   SiliconDriver | Opened PCI device 0; KMD version: 1.29.0 (cluster.cpp:425)",
    "                 Metal | INFO     | Initializing device 0. Program cache is NOT enabled",
    "   Device 0: Wormhole_B0 (12GB DRAM, 108MB L1)",
    "2025-10-20 14:32:16.001 | info     |           Metal | Closing device 0 (device.cpp:1207)",
    "   Total: 1 device(s) detected",
] + BANNER + [
    "✓ [PID 31337] Allocated 2048 bytes of L1 on device 0 (buffer_id=1499136)",
    "============================= test session starts ==============================",
    "tests/test_mesh_allocation.py::test_alloc PASSED                          [100%]",
    "✗ [PID 31337] Freed buffer 1499136 on device 0 (2048 bytes, FINAL)",
    "✓ [PID 31337] Allocated 1024 bytes of L1 on device 0 (buffer_id=1499136)",
    "Segmentation fault (core dumped)",
    "Unknown message type: 81",
    "Accept failed",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 31337 is dead, removing its buffers...",
    "   ✓ Removed 1 buffers (0.000976562 MB) from PID 31337",
    "",
])

# ---------------------------------------------------------------- malformed lines
write("malformed.log", BANNER + [
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 4242] Allocated 8192 bytes of L1 on dev",
    "✗ [PID 4242] Freed buffer 0x18g20 on device 0 (4096 bytes, FINAL)",
    "✓ [PID 4242] Allocated 18446744073709551616 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [PID 4242] Allocated 4096 bytes of DRAM on device 2147483648 (buffer_id=0x200000)",
    "⚠ [PID 4242] Deallocation for unknown buffer 0x10000000000000000 on device 0 (allocated before tracking started)",
    "✓ [PID 99999999999] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x300000)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 4096 bytes (4 KB)",
    "    Total: 4096 bytes",
    "  Active allocations: 1",
    "✗ [PID 4242] Freed buffer 0x18b20 on device 0 (4096 bytes, FINAL)",
    "✓ [PID 4242] Allocated 2048 bytes of L1 on device 0 (buffer_id=0x200000)",
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (bufUnknown message type: 81",
    "fer_id=0x400000)",
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_",
], final_newline=False)

# ---------------------------------------------------------------- implausible but valid
write("implausible.log", BANNER + [
    "✓ [PID 4242] Allocated 18446744073709551615 bytes of DRAM on device 70000 (buffer_id=0xffffffff)",
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x0)",
    "✓ [PID 4242] Allocated 0 bytes of L1 on device -1 (buffer_id=0xffffffffffffffff)",
    "✓ [PID 2147483647] Allocated 64 bytes of TRACE on device 2147483647 (buffer_id=0x10)",
    "⚠ [PID 4242] Deallocation for unknown buffer 0xdeadbeef on device 70000 (allocated before tracking started)",
])

# ---------------------------------------------------------------- empty / no final newline
write("empty.log", [], raw=b"")
write("no_final_newline.log", BANNER + [
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 4242] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✗ [PID 4242] Freed buffer 0x18b20 on device 0 (4096 bytes, FINAL)",
], final_newline=False)

# ---------------------------------------------------------------- checkpoints that agree / are altered
L = BANNER + [
    "✓ [PID 4242] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [PID 4242] Allocated 32768 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 4242] Allocated 32768 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=2)",
    "✓ [PID 4242] Allocated 2048 bytes of L1_SMALL on device 1 (buffer_id=0x8000)",
]
STATS_OK = [
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 2",
    "    DRAM: 1048576 bytes (1024 KB)",
    "    L1: 32768 bytes (32 KB)",
    "    Total: 1081344 bytes",
    "  Device 1:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 0 bytes (0 KB)",
    "    Total: 2048 bytes",
    "  Active allocations: 3",
]
STATS_ALTERED = list(STATS_OK)
STATS_ALTERED[5] = "    L1: 36864 bytes (36 KB)"
STATS_ALTERED[6] = "    Total: 1085440 bytes"
DUMP_BODY = [
    "Device 0:",
    "  DRAM: 1 buffers, 1 MB total",
    "    - Buffer 0x100000: 1024 KB (PID 4242, ref_count=1)",
    "  L1: 1 buffers, 0.03125 MB total",
    "    - Buffer 0x18b20: 32 KB (PID 4242, ref_count=2)",
    "",
    "Device 1:",
    "  L1_SMALL: 1 buffers, 0.00195312 MB total",
    "    - Buffer 0x8000: 2 KB (PID 4242, ref_count=1)",
    "",
]
L += STATS_OK + STATS_ALTERED + dump_head(3) + DUMP_BODY + dump_tail(3)
L += ["✗ [PID 4242] Freed buffer 0x18b20 on device 0 (32768 bytes, ref_count=1 remaining)"]
L += dump_head(3) + DUMP_BODY + dump_tail(3)   # stale copy: 0x18b20 still says ref_count=2
write("checkpoints.log", L)

# ---------------------------------------------------------------- a dump with nothing allocated before it
write("dump_only.log", dump_head(1) + [
    "Device 0:",
    "  TRACE: 1 buffers, 11.9238 MB total",
    "    - Buffer 0x3e363c80: 12210 KB (PID 919068, ref_count=1)",
    "",
] + dump_tail(1))

# ---------------------------------------------------------------- a big dump (> 10 entries of a type) + lifecycle
big = detect_tt_metal(1) + BANNER + [
    "✓ [PID 9001] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=0x1000000)",
    "✓ [PID 9002] Allocated 2097152 bytes of DRAM on device 0 (buffer_id=0x2000000)",
]
for i in range(11):
    pid = 9001 if i < 8 else 9002
    big.append(f"✓ [PID {pid}] Allocated 4096 bytes of L1 on device 0 (buffer_id={hex(0x10000 + i * 0x1000)})")
big += dump_head(13) + [
    "Device 0:",
    "  DRAM: 2 buffers, 3 MB total",
    "    - Buffer 0x2000000: 2048 KB (PID 9002, ref_count=1)",
    "    - Buffer 0x1000000: 1024 KB (PID 9001, ref_count=1)",
    "  L1: 11 buffers, 0.0429688 MB total",
    "",
] + dump_tail(13) + [
    "✗ [PID 9001] Freed buffer 0x10000 on device 0 (4096 bytes, FINAL)",
    "✗ [PID 9001] Freed buffer 0x11000 on device 0 (4096 bytes, FINAL)",
    "✗ [PID 9001] Freed buffer 0x1000000 on device 0 (1048576 bytes, FINAL)",
    "✓ [PID 9001] Allocated 8192 bytes of L1 on device 0 (buffer_id=0x10000)",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 9002 is dead, removing its buffers...",
    "   ✓ Removed 4 buffers (2.01172 MB) from PID 9002",
    "",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 7",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 32768 bytes (32 KB)",
    "    Total: 32768 bytes",
    "  Active allocations: 7",
]
write("dump_big.log", big)

# ---------------------------------------------------------------- two dumps (dump_lifecycle, --at-dump)
write("dump_twice.log", BANNER + [
    "✓ [PID 7100] Allocated 8192 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [PID 7100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x20000)",
    "✓ [PID 7200] Allocated 4096 bytes of L1 on device 1 (buffer_id=0x20000)",
] + dump_head(3) + [
    "Device 0:",
    "  DRAM: 1 buffers, 0.0078125 MB total",
    "    - Buffer 0x100000: 8 KB (PID 7100, ref_count=1)",
    "  L1: 1 buffers, 0.00390625 MB total",
    "    - Buffer 0x20000: 4 KB (PID 7100, ref_count=1)",
    "",
    "Device 1:",
    "  L1: 1 buffers, 0.00390625 MB total",
    "    - Buffer 0x20000: 4 KB (PID 7200, ref_count=1)",
    "",
] + dump_tail(3) + [
    "✓ [PID 7300] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x20000, ref_count=2)",
    "✗ [PID 7100] Freed buffer 0x20000 on device 0 (4096 bytes, ref_count=1 remaining)",
    "✗ [PID 7100] Freed buffer 0x100000 on device 0 (8192 bytes, FINAL)",
    "✓ [PID 7300] Allocated 16384 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "📋 Received DUMP_REMAINING request...",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 7200 is dead, removing its buffers...",
    "   ✓ Removed 1 buffers (0.00390625 MB) from PID 7200",
    "",
] + dump_head(2)[1:] + [
    "Device 0:",
    "  DRAM: 1 buffers, 0.015625 MB total",
    "    - Buffer 0x100000: 16 KB (PID 7300, ref_count=1)",
    "  L1: 1 buffers, 0.00390625 MB total",
    "    - Buffer 0x20000: 4 KB (PID 7100, ref_count=1)",
    "",
] + dump_tail(2) + [
    "✗ [PID 7300] Freed buffer 0x100000 on device 0 (16384 bytes, FINAL)",
])

# ---------------------------------------------------------------- reuse table
write("reuse_table.log", BANNER + [
    "✓ [PID 30] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x1000)",
    "✓ [PID 10] Allocated 1024 bytes of L1 on device 0 (buffer_id=0x1000, ref_count=2)",
    "✓ [PID 20] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x1000, ref_count=3)",
    "✓ [PID 100] Allocated 2048 bytes of L1 on device 1 (buffer_id=0x1000)",
    "✗ [PID 100] Freed buffer 0x1000 on device 1 (2048 bytes, FINAL)",
    "✓ [PID 100] Allocated 2048 bytes of L1 on device 1 (buffer_id=0x1000)",
    "✗ [PID 100] Freed buffer 0x1000 on device 1 (2048 bytes, FINAL)",
    "✓ [PID 100] Allocated 512 bytes of L1_SMALL on device 1 (buffer_id=0x1000)",
    "✓ [PID 40] Allocated 8192 bytes of DRAM on device 0 (buffer_id=0x7000)",
    "✓ [PID 41] Allocated 8192 bytes of DRAM on device 0 (buffer_id=0x7000, ref_count=2)",
    "✗ [PID 40] Freed buffer 0x7000 on device 0 (8192 bytes, ref_count=1 remaining)",
    "✓ [PID 50] Allocated 16384 bytes of DRAM on device 0 (buffer_id=0x2000)",
    "✓ [PID 50] Allocated 16384 bytes of DRAM on device 0 (buffer_id=0x2000, ref_count=2)",
    "✗ [PID 50] Freed buffer 0x2000 on device 0 (16384 bytes, ref_count=1 remaining)",
    "✓ [PID 60] Allocated 256 bytes of L1 on device 1 (buffer_id=0x100)",
    "✓ [PID 60] Allocated 256 bytes of L1 on device 1 (buffer_id=0x100, ref_count=2)",
    "✗ [PID 60] Freed buffer 0x100 on device 1 (256 bytes, ref_count=1 remaining)",
    "✓ [PID 70] Allocated 1024 bytes of L1 on device 0 (buffer_id=0x3000)",
    "✗ [PID 70] Freed buffer 0x3000 on device 0 (1024 bytes, FINAL)",
    "⚠ [PID 70] Deallocation for unknown buffer 0x3000 on device 0 (allocated before tracking started)",
    "⚠ [PID 71] Deallocation for unknown buffer 0x3000 on device 0 (allocated before tracking started)",
    "⚠ [PID 0] Deallocation for unknown buffer 0x500 on device 0 (allocated before tracking started)",
    "✓ [PID 80] Allocated 65536 bytes of DRAM on device 0 (buffer_id=0x4000)",
    "✓ [PID 80] Allocated 128 bytes of L1 on device 0 (buffer_id=0x6000)",
    "✗ [PID 80] Freed buffer 0x6000 on device 0 (128 bytes, FINAL)",
])

# ---------------------------------------------------------------- gzip cut in the trailer / mid-data
GZ_SRC = detect_tt_metal(1) + BANNER + [
    "✓ [PID 4242] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=2)",
    "✗ [PID 4242] Freed buffer 0x18b20 on device 0 (4096 bytes, ref_count=1 remaining)",
    "✗ [PID 4242] Freed buffer 0x100000 on device 0 (1048576 bytes, FINAL)",
    "✓ [PID 4242] Allocated 2048 bytes of L1 on device 0 (buffer_id=0x20000)",
    "⚠ [PID 4242] Deallocation for unknown buffer 0x100000 on device 0 (allocated before tracking started)",
]
gz_text = ("\n".join(GZ_SRC) + "\n").encode("utf-8")
# (a) `gzip -9 -n -c x | head -c $((size - 4))`: the deflate stream and the
#     CRC32 are complete, the 4-byte ISIZE of the trailer is missing, so every
#     line decompresses but the stream never ends properly.
import subprocess
full = subprocess.run(["gzip", "-9", "-n", "-c"], input=gz_text,
                      stdout=subprocess.PIPE, check=True).stdout
cut = full[:-4]
d = zlib.decompressobj(wbits=31)
assert d.decompress(cut) == gz_text and not d.eof
write("truncated_gz.log.gz", [], raw=cut)
# (b) a stored (level 0) stream cut right after line 10, so exactly 10 lines decompress
stored = gzip.compress(gz_text, compresslevel=0, mtime=0)
prefix = ("\n".join(GZ_SRC[:10]) + "\n").encode("utf-8")
cut_at = 10 + 5 + len(prefix)          # gzip header, stored-block header, data
assert stored[15:15 + len(gz_text)] == gz_text
d = zlib.decompressobj(wbits=31)
assert d.decompress(stored[:cut_at]) == prefix and not d.eof
write("truncated_gz_mid.log.gz", [], raw=stored[:cut_at])

# ---------------------------------------------------------------- every buffer type, enum order
write("type_order.log", BANNER + [
    "✓ [PID 100] Allocated 12503040 bytes of TRACE on device 0 (buffer_id=0x3e363c80)",
    "✓ [PID 100] Allocated 2048 bytes of L1_SMALL on device 0 (buffer_id=0x8000)",
    "✓ [PID 100] Allocated 1024 bytes of SYSTEM_MEMORY on device 0 (buffer_id=0x9000)",
    "✓ [PID 100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 100] Allocated 65536 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 5",
    "    DRAM: 65536 bytes (64 KB)",
    "    L1: 4096 bytes (4 KB)",
    "    Total: 12575744 bytes",
    "  Active allocations: 5",
] + dump_head(5) + [
    "Device 0:",
    "  DRAM: 1 buffers, 0.0625 MB total",
    "    - Buffer 0x100000: 64 KB (PID 100, ref_count=1)",
    "  L1: 1 buffers, 0.00390625 MB total",
    "    - Buffer 0x18b20: 4 KB (PID 100, ref_count=1)",
    "  SYSTEM_MEMORY: 1 buffers, 0.000976562 MB total",
    "    - Buffer 0x9000: 1 KB (PID 100, ref_count=1)",
    "  L1_SMALL: 1 buffers, 0.00195312 MB total",
    "    - Buffer 0x8000: 2 KB (PID 100, ref_count=1)",
    "  TRACE: 1 buffers, 11.9238 MB total",
    "    - Buffer 0x3e363c80: 12210 KB (PID 100, ref_count=1)",
    "",
] + dump_tail(5))

# ---------------------------------------------------------------- hand-edited figures (as in the notes)
write("hand_edited.log", BANNER + [
    "✓ [PID 12345] Allocated 5242880 bytes of DRAM on device 0 (buffer_id=0x1000000)",
    "✓ [PID 12345] Allocated 3145728 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 2",
    "    DRAM: 5242880 bytes (5120.0 KB)",
    "    L1: 3145728 bytes (3072 KB)",
    "    Total: 8388608 bytes",
    "  Active allocations: 2",
] + dump_head(2) + [
    "Device 0:",
    "  DRAM: 1 buffers, 5.00 MB total",
    "    - Buffer 0x1000000: 5120 KB (PID 12345, ref_count=1)",
    "  L1: 1 buffers, 3 MB total",
    "    - Buffer 0x18b20: 3072 KB (PID 12345, ref_count=1)",
    "",
] + dump_tail(2) + [
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 2",
    "    DRAM: 5242880 bytes (5120 KB)",
    "    L1: 3145728 bytes (3072 KB)",
    "    Total: 8388608 bytes",
    "  Active allocations: 2",
])

# ---------------------------------------------------------------- exactly 10 entries of a type
ten = BANNER[:]
for i in range(10):
    ten.append(f"✓ [PID {600 + i % 3}] Allocated 2048 bytes of L1 on device 1 (buffer_id={hex(0x20000 + i * 0x800)})")
ten.append("✓ [PID 700] Allocated 2048 bytes of L1 on device 1 (buffer_id=0x21000, ref_count=2)")
order = [7, 2, 9, 0, 5, 3, 8, 1, 6, 4]          # hash-map order: arbitrary
ten += dump_head(10) + ["Device 1:", "  L1: 10 buffers, 0.0195312 MB total"]
for i in order:
    addr = 0x20000 + i * 0x800
    ten.append(f"    - Buffer {hex(addr)}: 2 KB (PID {600 + i % 3}, ref_count={2 if addr == 0x21000 else 1})")
ten += [""] + dump_tail(10)
write("dump_ten.log", ten)

# ---------------------------------------------------------------- ENH dumps (history lines, empty map)
write("enh_dump.log", [
    "🚀 Enhanced Allocation Server started (with history tracking)",
    "   Listening on: /tmp/tt_allocation_server.sock",
    "✓ [PID 5100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 5200] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=2)",
    "✓ [PID 5100] Allocated 65536 bytes of DRAM on device 1 (buffer_id=0x18b20)",
    "✗ [PID 5100] Freed buffer 0x18b20 on device 1 (65536 bytes, FINAL)",
    "",
    BOX_TOP, DUMP_TITLE, BOX_BOT,
    "Total tracked allocations: 1",
    "",
    "Device 0:",
    "  L1: 1 buffers, 0.00390625 MB total",
    "    - Buffer 0x18b20: 4 KB (PID 5100, ref_count=2)",
    "      History (allocs=2 frees=0):",
    "        REUSE size=4096 pid=5200 ref=2",
    "        ALLOC size=4096 pid=5100 ref=1",
    "",
    "Total remaining buffers: 1",
    "",
    "✗ [PID 5100] Freed buffer 0x18b20 on device 0 (4096 bytes, ref_count=1 remaining)",
    "✗ [PID 5100] Freed buffer 0x18b20 on device 0 (4096 bytes, FINAL)",
    "⚠ [PID 5100] Deallocation for ALREADY FREED buffer 0x18b20 on device 1 (allocs=1 frees=2)",
    "   Last 5 events for this buffer:",
    "     FREE size=65536 pid=5100 ref=0",
    "     ALLOC size=65536 pid=5100 ref=1",
    "",
    BOX_TOP, DUMP_TITLE, BOX_BOT,
    "Total tracked allocations: 0",
    "",
    "✓ No buffers remaining - perfect cleanup!",
    "",
    "⚠️  However, found 1 buffers that were DOUBLE-FREED during execution!",
    "",
    BOX_TOP, DFREE_TITLE, BOX_BOT,
    "",
    "Buffer 0x18b20 on device 1:",
    "  Total allocs: 1, Total frees: 2",
    "  History:",
    "    ALLOC size=65536 pid=5100 ref=1",
    "    FREE size=65536 pid=5100 ref=0",
    "    FREE size=0 pid=5100 ref=0",
    "",
])

# ------------------------------------------------- cleanup figures that disagree
write("cleanup_disagree.log", detect_tt_metal(1) + BANNER + [
    "✓ [PID 100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x1000)",
    "✓ [PID 100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x2000)",
    "✓ [PID 200] Allocated 65536 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 100 is dead, removing its buffers...",
    "   ✓ Removed 3 buffers (0.0078125 MB) from PID 100",
    "   PID 200 is dead, removing its buffers...",
    "   ✓ Removed 1 buffers (0.5 MB) from PID 200",
    "",
] + SHUTDOWN_TAIL)

# ------------------------------------------------- three runs (restarts3.expect)
# Hex ids (V4).  Every key of run 1 comes back in a later run in a way that
# tells the unknown-free causes apart; the derivation is in restarts3.expect.
UNK = " (allocated before tracking started)"
write("restarts3.log", BANNER + [
    # run 1
    "✓ [PID 100] Allocated 1048576 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [PID 100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x20000)",
    "✓ [PID 100] Allocated 4096 bytes of L1 on device 1 (buffer_id=0x20000)",
    "✓ [PID 101] Allocated 2048 bytes of L1_SMALL on device 1 (buffer_id=0x30000)",
    "✓ [PID 100] Allocated 8192 bytes of DRAM on device 0 (buffer_id=0x200000)",
    "✗ [PID 100] Freed buffer 0x200000 on device 0 (8192 bytes, FINAL)",
    "⚠ [PID 100] Deallocation for unknown buffer 0x200000 on device 0" + UNK,
    "⚠ [PID 100] Deallocation for unknown buffer 0x500000 on device 0" + UNK,
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 2",
    "    DRAM: 1048576 bytes (1024 KB)",
    "    L1: 4096 bytes (4 KB)",
    "    Total: 1052672 bytes",
    "  Device 1:",
    "    Buffers: 2",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 4096 bytes (4 KB)",
    "    Total: 6144 bytes",
    "  Active allocations: 4",
] + detect_tt_metal(2) + BANNER + [
    # run 2
    "⚠ [PID 200] Deallocation for unknown buffer 0x100000 on device 0" + UNK,
    "⚠ [PID 200] Deallocation for unknown buffer 0x20000 on device 2" + UNK,
    "⚠ [PID 200] Deallocation for unknown buffer 0x500000 on device 0" + UNK,
    "✓ [PID 200] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x20000)",
    "✗ [PID 200] Freed buffer 0x20000 on device 0 (4096 bytes, FINAL)",
    "⚠ [PID 200] Deallocation for unknown buffer 0x20000 on device 0" + UNK,
    "✓ [PID 201] Allocated 65536 bytes of DRAM on device 1 (buffer_id=0x300000)",
    "✓ [PID 201] Allocated 1024 bytes of TRACE on device 1 (buffer_id=0x400000)",
    "✓ [PID 200] Allocated 512 bytes of L1 on device 0 (buffer_id=0x40000)",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 201 is dead, removing its buffers...",
    "   ✓ Removed 2 buffers (0.0634766 MB) from PID 201",
    "",
    "⚠ [PID 200] Deallocation for unknown buffer 0x300000 on device 1" + UNK,
    "✓ [PID 200] Allocated 2048 bytes of SYSTEM_MEMORY on device 0 (buffer_id=0x50000)",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 3",            # hand-altered: the replay has 2
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 512 bytes (0.5 KB)",
    "    Total: 2560 bytes",
    "  Active allocations: 2",
] + BANNER + [
    # run 3
    "⚠ [PID 300] Deallocation for unknown buffer 0x30000 on device 1" + UNK,
    "⚠ [PID 300] Deallocation for unknown buffer 0x400000 on device 1" + UNK,
    "✓ [PID 300] Allocated 16384 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [PID 300] Allocated 16384 bytes of DRAM on device 0 (buffer_id=0x100000, ref_count=2)",
    "✗ [PID 300] Freed buffer 0x100000 on device 0 (16384 bytes, ref_count=1 remaining)",
    "✓ [PID 300] Allocated 4096 bytes of L1 on device 1 (buffer_id=0x20000)",
] + dump_head(2) + [
    "Device 0:",
    "  DRAM: 1 buffers, 0.015625 MB total",
    "    - Buffer 0x100000: 16 KB (PID 300, ref_count=1)",
    "",
    "Device 1:",
    "  L1: 1 buffers, 0.00390625 MB total",
    "    - Buffer 0x20000: 4 KB (PID 300, ref_count=1)",
    "",
] + dump_tail(2) + [
    "✗ [PID 300] Freed buffer 0x20000 on device 1 (4096 bytes, FINAL)",
    "⚠ [PID 300] Deallocation for unknown buffer 0x20000 on device 1" + UNK,
    "✓ [PID 300] Allocated 256 bytes of L1_SMALL on device 1 (buffer_id=0x60000)",
])

# ------------------------------------------------- lines cut by the unlocked DUMP_REMAINING lines
# FORMATS.md 1.1: "📋 Received DUMP_REMAINING request..." and "📋 DUMP_REMAINING
# complete." are printed without the mutex and land inside a locked line; the
# line's rest follows on the next line.  CLIP stands for the fragment's glyph
# so each variant can render it (and the other glyphs) its own way.
def dump_body_a2b1(ref_a):
    """Dump content with A (0,0xe2400) L1 2048 ref ref_a and B (0,0x100000) DRAM 4096."""
    return [
        "Device 0:",
        "  DRAM: 1 buffers, 0.00390625 MB total",
        "    - Buffer 0x100000: 4 KB (PID 12565, ref_count=1)",
        "  L1: 1 buffers, 0.00195312 MB total",
        f"    - Buffer 0xe2400: 2 KB (PID 12565, ref_count={ref_a})",
        "",
    ]


REJOIN_SRC = BANNER + [
    "✓ [PID 12565] Allocated 2048 bytes of L1 on device 0 (buffer_id=0xe2400)",
    "✓ [PID 12565] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [PID 12565] Allocated 2048 bytes of L1 on device 1 (buffer_id=0x30000)",
] + dump_head(3) + dump_body_a2b1(1)[:-1] + [
    "",
    "Device 1:",
    "  L1: 1 buffers, 0.00195312 MB total",
    "    - Buffer 0x30000: 2 KB (PID 12565, ref_count=1)",
    "",
    "Total remaining buffers: 3",
    "",
    # dump 1's closing line lands inside the next alloc line (line 27)
    "✓ [PID 12565] Allocated 1024 bytes of L1📋 DUMP_REMAINING complete.",
    " on device 0 (buffer_id=0xe2400, ref_count=2)",
    # dump 2's request lands inside a FINAL free (line 29)
    "✗ [PID 12565] Freed buffer 0x30000 on device 1 (2048📋 Received DUMP_REMAINING request...",
    " bytes, FINAL)",
    "", BOX_TOP, DUMP_TITLE, BOX_BOT, "Total tracked allocations: 2", "",
] + dump_body_a2b1(2) + dump_tail(2) + [
    # dump 3's request lands inside a CB line (line 46)
    "✓ [CB_ALLOC] Device 0: +0.0625 MB (Total: 📋 Received DUMP_REMAINING request...",
    "0.694519 MB)",
    "", BOX_TOP, DUMP_TITLE, BOX_BOT, "Total tracked allocations: 2", "",
] + dump_body_a2b1(2) + [
    "Total remaining buffers: 2",
    "",
    # dump 3's closing line lands after a complete line (line 62): nothing to join
    "✗ [PID 12565] Freed buffer 0xe2400 on device 0 (2048 bytes, ref_count=1 remaining)📋 DUMP_REMAINING complete.",
    "✗ [PID 12565] Freed buffer 0x100000 on device 0 (4096 bytes, FINAL)",
    "✓ [PID 777] Allocated 1024 bytes of L1 on device 1 (buffer_id=0x50000)",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    # a request lands inside a cleanup line (line 67)
    "   PID 777 is dead📋 Received DUMP_REMAINING request...",
    ", removing its buffers...",
    "   ✓ Removed 1 buffers (0.000976562 MB) from PID 777",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 2048 bytes (2 KB)",
    "    Total: 2048 bytes",
    "  Active allocations: 1",
    # the log ends inside a cut line (line 78): its rest never came
    "✓ [PID 12565] Allocated 8192 bytes of DRAM📋 DUMP_REMAINING complete.",
]
assert len(REJOIN_SRC) == 78
assert REJOIN_SRC[26].startswith("✓ [PID 12565] Allocated 1024") and REJOIN_SRC[45].startswith("✓ [CB_ALLOC]")
assert REJOIN_SRC[66].startswith("   PID 777") and REJOIN_SRC[10] == DUMP_TITLE and REJOIN_SRC[32] == DUMP_TITLE
assert REJOIN_SRC[49] == DUMP_TITLE and REJOIN_SRC[70] == "📊 Current Statistics:"
write("rejoin.log", REJOIN_SRC)
# Mac Roman: the 📋 of line 29 and the ✓/📋 of line 46 also lost U+F8FF
write("rejoin_macroman.log", [mac_line(l, strip_f8ff=(i in (29, 46))) for i, l in enumerate(REJOIN_SRC, 1)])
write("rejoin_cp1252.log", [cp_line(l) for l in REJOIN_SRC])
write("rejoin_crlf.log", REJOIN_SRC, eol="\r\n")
# ANSI: colour around the fragments, around whole halves, and across the cut
rejoin_ansi = list(REJOIN_SRC)
rejoin_ansi[26] = f"✓ [PID 12565] Allocated 1024 bytes of L1{E}[96m📋 DUMP_REMAINING complete.{E}[0m"
rejoin_ansi[27] = f"{E}[92m on device 0 (buffer_id=0xe2400, ref_count=2){E}[0m"
rejoin_ansi[28] = f"{E}[91m✗ [PID 12565] Freed buffer 0x30000 on device 1 (2048{E}[0m📋 Received DUMP_REMAINING request..."
rejoin_ansi[45] = f"{E}[92m✓ [CB_ALLOC] Device 0: +0.0625 MB (Total: {E}[1m📋 Received DUMP_REMAINING request...{E}[0m"
rejoin_ansi[46] = f"0.694519 MB){E}[0m"
rejoin_ansi[66] = f"   PID 777 is dead{E}[96m📋 Received DUMP_REMAINING request...{E}[0m"
write("rejoin_ansi.log", rejoin_ansi)

# A cut is never joined across inputs, nor with a line that does not complete it.
write("rejoin_split_1.log", BANNER + [
    "✓ [PID 4242] Allocated 1024 bytes of L1📋 DUMP_REMAINING complete.",
    "2025-10-20 14:32:16.001 | info     |           Metal | Closing device 0 (device.cpp:1207)",
    "✓ [PID 4242] Allocated 2048 bytes of L1📋 DUMP_REMAINING complete.",
])
write("rejoin_split_2.log", [
    " on device 0 (buffer_id=0x20)",
    "✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x30)",
])

# ------------------------------------------------- evidence (evidence4.expect)
# Four devices, hex ids (V4): a tensor on all four, one freed on device 2, a pair
# of devices and the same size again more than 1000 lines later, three L1 buffers
# on device 0 only (seed 002), and allocations before, between and after two
# statistics blocks.  The derivation is in evidence4.expect.
def stats_block(devs, active):
    out = ["", "📊 Current Statistics:"]
    for d, (n, dram, l1, total) in enumerate(devs):
        out += [f"  Device {d}:", f"    Buffers: {n}",
                f"    DRAM: {dram} bytes ({dram // 1024} KB)",
                f"    L1: {l1} bytes ({l1 // 1024} KB)",
                f"    Total: {total} bytes"]
    return out + [f"  Active allocations: {active}"]


def ev_alloc(pid, size, typ, dev, bid):
    return f"✓ [PID {pid}] Allocated {size} bytes of {typ} on device {dev} (buffer_id={bid:#x})"


EVIDENCE4 = BANNER + [ev_alloc(500, 1048576, "DRAM", d, 0x100000) for d in range(4)]
EVIDENCE4 += [ev_alloc(500, 1048576, "DRAM", d, 0x200000) for d in range(4)]
EVIDENCE4 += ["✗ [PID 500] Freed buffer 0x200000 on device 2 (1048576 bytes, FINAL)"]
EVIDENCE4 += stats_block([(2, 2097152, 0, 2097152), (2, 2097152, 0, 2097152),
                          (1, 1048576, 0, 1048576), (2, 2097152, 0, 2097152)], 7)
EVIDENCE4 += [ev_alloc(600, 4096, "L1", 0, 0x18b20), ev_alloc(600, 4096, "L1", 0, 0x19b20),
              ev_alloc(600, 2048, "L1", 0, 0x1ab20),
              ev_alloc(500, 65536, "DRAM", 0, 0x300000), ev_alloc(500, 65536, "DRAM", 1, 0x300000)]
for _ in range(500):
    EVIDENCE4 += [ev_alloc(500, 512, "L1", 3, 0x7000),
                  "✗ [PID 500] Freed buffer 0x7000 on device 3 (512 bytes, FINAL)"]
EVIDENCE4 += [ev_alloc(500, 65536, "DRAM", 2, 0x300000), ev_alloc(500, 65536, "DRAM", 3, 0x300000)]
EVIDENCE4 += stats_block([(6, 2162688, 10240, 2172928), (3, 2162688, 0, 2162688),
                          (2, 1114112, 0, 1114112), (3, 2162688, 0, 2162688)], 14)
EVIDENCE4 += [ev_alloc(700, 12345, "TRACE", 1, 0xa000), ev_alloc(600, 256, "L1_SMALL", 0, 0xb000)]
assert len(EVIDENCE4) == 1068 and EVIDENCE4[14] == "📊 Current Statistics:" and EVIDENCE4[1044] == "📊 Current Statistics:"
assert EVIDENCE4[1041].endswith("device 2 (buffer_id=0x300000)") and EVIDENCE4[39].endswith("device 0 (buffer_id=0x300000)")
write("evidence4.log", EVIDENCE4)

# ------------------------------------------------- seed 002 (seed002.expect)
# The server output quoted in shared/seeds/002 ("3 L1 buffers remain on device 0"), byte for
# byte as the note has it: Mac Roman mojibake of the glyphs, a prose line standing for the
# elided test run.
SEED002 = [
    "\u201a\u00fa\u00ec [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152)",
    "\u201a\u00fa\u00ec [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=105248)",
    "\u201a\u00fa\u00ec [PID 108740] Allocated 4096 bytes of L1 on device 0 (buffer_id=109344)",
    "",
    "... (test runs, all user tensors deallocated) ...",
    "",
    "\uf8ff\u00fc\u00ec\u00e4 Current Statistics:",
    "  Device 0:",
    "    Buffers: 3",
    "    DRAM: 0 bytes (0 KB)",
    "    L1: 12288 bytes (12 KB)",
    "    Total: 12288 bytes",
    "  Active allocations: 3",
    "",
    "\u201a\u00f6\u2020\u00d4\u220f\u00e8  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 108740 is dead, removing its buffers...",
    "   \u201a\u00fa\u00ec Removed 3 buffers (0.0117188 MB) from PID 108740",
]
write("seed002.log", SEED002)

# ---------------------------------------------------------------- filters (--device, --type, --pid, --min-size)
# Two devices, four types, owners 50, 20, 30, 40, 7, 8; a dump, a cleanup, unknown frees on both
# devices and a reused address, so that every section has rows to narrow (filter_*.expect).
FILTERS_HEAD = BANNER + [
    "✓ [PID 50] Allocated 65536 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [PID 50] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x20000)",
    "✓ [PID 20] Allocated 16384 bytes of DRAM on device 1 (buffer_id=0x100000)",
    "✓ [PID 20] Allocated 2048 bytes of L1 on device 1 (buffer_id=0x20000)",
    "✓ [PID 30] Allocated 1024 bytes of L1 on device 0 (buffer_id=0x30000)",
    "✓ [PID 20] Allocated 8192 bytes of L1 on device 0 (buffer_id=0x40000)",
] + dump_head(6) + [
    "Device 0:",
    "  DRAM: 1 buffers, 0.0625 MB total",
    "    - Buffer 0x100000: 64 KB (PID 50, ref_count=1)",
    "  L1: 3 buffers, 0.0126953 MB total",
    "    - Buffer 0x20000: 4 KB (PID 50, ref_count=1)",
    "    - Buffer 0x30000: 1 KB (PID 30, ref_count=1)",
    "    - Buffer 0x40000: 8 KB (PID 20, ref_count=1)",
    "",
    "Device 1:",
    "  DRAM: 1 buffers, 0.015625 MB total",
    "    - Buffer 0x100000: 16 KB (PID 20, ref_count=1)",
    "  L1: 1 buffers, 0.00195312 MB total",
    "    - Buffer 0x20000: 2 KB (PID 20, ref_count=1)",
    "",
] + dump_tail(6) + [
    "✗ [PID 50] Freed buffer 0x20000 on device 0 (4096 bytes, FINAL)",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 30 is dead, removing its buffers...",
    "   ✓ Removed 1 buffers (0.000976562 MB) from PID 30",
    "",
    "⚠ [PID 20] Deallocation for unknown buffer 0x50000 on device 1 (allocated before tracking started)",
    "⚠ [PID 50] Deallocation for unknown buffer 0x60000 on device 0 (allocated before tracking started)",
    "⚠ [PID 50] Deallocation for unknown buffer 0x20000 on device 0 (allocated before tracking started)",
]
FILTERS_TAIL = [
    "✓ [PID 40] Allocated 512 bytes of L1_SMALL on device 1 (buffer_id=0x70000)",
    "✗ [PID 40] Freed buffer 0x70000 on device 1 (512 bytes, FINAL)",
    "✓ [PID 20] Allocated 32768 bytes of DRAM on device 1 (buffer_id=0x70000)",
    "✓ [PID 50] Allocated 1024 bytes of L1 on device 1 (buffer_id=0x80000)",
    "✓ [PID 7] Allocated 1024 bytes of L1_SMALL on device 0 (buffer_id=0x90000)",
    "✓ [PID 8] Allocated 1024 bytes of L1_SMALL on device 0 (buffer_id=0xa0000)",
]
assert len(FILTERS_HEAD) == 43 and FILTERS_HEAD[34].startswith("✗ [PID 50] Freed")
write("filters.log", FILTERS_HEAD + FILTERS_TAIL)
# The same run before lines 44-49: the BEFORE side of filter_diff.
write("filters_before.log", FILTERS_HEAD)


# ------------------------------------------------- --address (address_*.expect)
# One address, 101152 = 0x18b20, through every kind of event on device 0 and a
# restart on devices 0 and 1; the derivation is in address_dec.expect.
write("address_dec.log", BANNER + [
    "✓ [PID 5001] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152)",
    "✓ [PID 5002] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152, ref_count=2)",
    "✓ [PID 5001] Allocated 4096 bytes of L1 on device 1 (buffer_id=101152)",
    "✓ [PID 5001] Allocated 8192 bytes of DRAM on device 0 (buffer_id=2560032)",
    "✗ [PID 5001] Freed buffer 101152 on device 0 (4096 bytes, ref_count=1 remaining)",
    "✗ [PID 5001] Freed buffer 101152 on device 0 (4096 bytes, FINAL)",
    "⚠ [PID 5003] Deallocation for unknown buffer 101152 on device 0 (allocated before tracking started)",
    "✓ [PID 5004] Allocated 2048 bytes of L1 on device 0 (buffer_id=101152)",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 5004 is dead, removing its buffers...",
    "   ✓ Removed 1 buffers (0.00195312 MB) from PID 5004",
    "",
    "✓ [PID 5005] Allocated 4096 bytes of L1 on device 0 (buffer_id=101152)",
    "✓ [PID 5005] Allocated 1024 bytes of L1 on device 0 (buffer_id=1011520)",
] + BANNER + [
    "✓ [PID 5006] Allocated 4096 bytes of L1 on device 1 (buffer_id=101152)",
] + SHUTDOWN_TAIL)

print("ok")
