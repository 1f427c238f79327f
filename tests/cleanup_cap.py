#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Dead-process cleanup keeps the first 10000 removed entries in detail and counts the rest.

The generated log (banner on lines 1-4): PID 1 allocates 9998 L1 buffers of 4096 bytes on
device 0 (buffer_id 0x100000 + 0x1000 * i, lines 5 .. 10002), PID 2 allocates five DRAM
buffers on device 1 of 5, 4, 3, 2 and 1 KiB (lines 10003 .. 10007); after a blank line
(10008) and the cleanup header (10009) both die (PID 1 at line 10010, PID 2 at line 10012;
no "Removed" lines).  Worked by hand:
  row 0 (PID 1): 9998 buffers, 9998 * 4096 = 40951808 bytes, all 9998 kept (9998 < 10000),
    by_device_type [device 0 L1 9998 / 40951808], entries_omitted 0; within the row the
    entries are sorted as leaks are (same size and device: address ascending).
  row 1 (PID 2): 5 buffers, 15 KiB = 15360 bytes; 10000 - 9998 = 2 kept, the largest first:
    5120 (line 10003) and 4096 (line 10004); entries_omitted 3; by_device_type
    [device 1 DRAM 5 / 15360] (totals are kept whatever the cap).
  text: "... and 3 more removed, counted only: the first 10000 are kept in detail".
"""
import json
import os
import subprocess
import sys
import tempfile

tool = sys.argv[1]
BANNER = ["🚀 Allocation Server started", "   Listening on: /tmp/tt_allocation_server.sock",
          "   Press Ctrl+C to stop", "🔄 Background cleanup thread started (checking every 10s)"]
lines = list(BANNER)
for i in range(9998):
    lines.append(f"✓ [PID 1] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x{0x100000 + 0x1000 * i:x})")
for k, kib in enumerate([5, 4, 3, 2, 1]):
    lines.append(f"✓ [PID 2] Allocated {kib * 1024} bytes of DRAM on device 1 (buffer_id=0x{0x200000 + 0x10000 * k:x})")
lines += ["", "⚠️  Detected dead processes, cleaning up orphaned buffers...",
          "   PID 1 is dead, removing its buffers...", "", "   PID 2 is dead, removing its buffers...", ""]
fails = []
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "cap.log")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    js = subprocess.run([tool, "--format", "json", path], capture_output=True)
    tx = subprocess.run([tool, "--top", "3", path], capture_output=True, text=True)
if js.returncode != 0 or tx.returncode != 0:
    fails.append(f"exit {js.returncode}/{tx.returncode}: {js.stderr[-300:]} {tx.stderr[-300:]}")
else:
    c = json.loads(js.stdout)["server"]["cleanup"]
    want0 = {"pid": 1, "buffers": 9998, "bytes": 40951808, "line": 10010, "entries_omitted": 0,
             "by_device_type": [{"device": 0, "type": "L1", "buffers": 9998, "bytes": 40951808}]}
    want1 = {"pid": 2, "buffers": 5, "bytes": 15360, "line": 10012, "entries_omitted": 3,
             "by_device_type": [{"device": 1, "type": "DRAM", "buffers": 5, "bytes": 15360}]}
    for row, want in zip(c, [want0, want1]):
        for k, v in want.items():
            if row.get(k) != v:
                fails.append(f"cleanup pid {want['pid']}: {k}: expected {v!r}, got {row.get(k)!r}")
    if len(c) != 2:
        fails.append(f"cleanup: expected 2 rows, got {len(c)}")
    else:
        e0, e1 = c[0]["entries"], c[1]["entries"]
        if len(e0) != 9998 or [e["address"] for e in e0] != [0x100000 + 0x1000 * i for i in range(9998)]:
            fails.append(f"row 0: expected 9998 entries by address ascending, got {len(e0)}")
        got1 = [(e["size"], e["line"], e["device"], e["pid"]) for e in e1]
        if got1 != [(5120, 10003, 1, 2), (4096, 10004, 1, 2)]:
            fails.append(f"row 1 entries: expected the 5 and 4 KiB buffers, got {got1}")
    if "... and 3 more removed, counted only: the first 10000 are kept in detail" not in tx.stdout:
        fails.append("text: no sentence for the 3 removed entries beyond the cap")
    if "PID 2: 5 buffers, 15.0 KiB: device 1 DRAM x5 (15.0 KiB)" not in tx.stdout:
        fails.append("text: no device/type line for PID 2")
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
