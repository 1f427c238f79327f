#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The text report's sparklines against the JSON report's timeline, worked out here.

Usage: timeline_text.py TOOL FILE... [-- tool options]

Runs the tool with --format json and with the text report under LC_ALL=C (ASCII) and
LC_ALL=C.UTF-8 (blocks), and rebuilds each "Live bytes over the log" row from the JSON
buckets by the documented rule: column c covers buckets [c*g, (c+1)*g), g = ceil(n / 48),
and shows ceil(max * L / peak) steps of L (8 blocks, or 9 ASCII steps), 0 blank. The peak's
human size and place come from the JSON too. Exit 1 on the first difference.
"""
import json
import os
import subprocess
import sys

COLUMNS = 48
BLOCKS = " " + "".join(chr(0x2581 + i) for i in range(8))
ASCII = " .:-=+*#%@"


def human(v):
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    if v < 1024:
        return f"{v} B"
    x, u = float(v), 0
    while x >= 1024 and u < len(units) - 1:
        x /= 1024
        u += 1
    return f"{x:.1f} {units[u]}"


def expect_rows(report, utf8):
    tl = report["timeline"]["server"]
    n = tl["buckets"]
    if not n:
        return []
    g = (n + COLUMNS - 1) // COLUMNS
    cols = (n + g - 1) // g
    steps, glyph = (8, BLOCKS) if utf8 else (9, ASCII)
    names = {i: x["path"] for i, x in enumerate(report["inputs"])}
    rows = [f"Live bytes over the log ({tl['lines']} lines, {tl['bucket_lines'] * g} per column; peak: the most live at once)"]
    for s in tl["series"]:
        if s["type"] is not None:
            continue
        peak = s["peak_bytes"]
        line = ""
        for c in range(cols):
            v = max(s["bytes_max"][c * g:min(n, (c + 1) * g)])
            line += glyph[(v * steps + peak - 1) // peak if peak else 0]
        line += " " * (COLUMNS - cols)
        name = "all" if s["device"] is None else f"device {s['device']}"
        if not peak:
            tail = "nothing live"
        else:
            tail = f"peak {human(peak)} at {names[s['peak_bytes_input']]}:{s['peak_bytes_line']}"
        rows.append(f"  {name:<10} {line}  {tail}")
    return rows


def main():
    argv = sys.argv[1:]
    tool, rest = argv[0], argv[1:]
    report = json.loads(subprocess.run([tool, "--format", "json", *rest], capture_output=True, check=False).stdout)
    checked = 0
    for loc, utf8 in (("C", False), ("C.UTF-8", True)):
        env = dict(os.environ, LC_ALL=loc)
        text = subprocess.run([tool, *rest], capture_output=True, env=env, check=False).stdout.decode("utf-8")
        lines = [l for l in text.split("\n") if not l.startswith("  marks ")]
        want = expect_rows(report, utf8)
        if not want:
            if any(l.startswith("Live bytes over the log") for l in lines):
                print("FAIL: a timeline section without buckets in the JSON")
                return 1
            continue
        try:
            at = lines.index(want[0])
        except ValueError:
            print(f"FAIL ({loc}): heading not found: {want[0]!r}")
            return 1
        got = lines[at:at + len(want)]
        for w, g in zip(want, got):
            if w != g:
                print(f"FAIL ({loc}):\n  want {w!r}\n  got  {g!r}")
                return 1
        checked += len(want) - 1
    print(f"ok: {checked} sparkline rows equal the JSON buckets' rule")
    return 0


if __name__ == "__main__":
    sys.exit(main())
