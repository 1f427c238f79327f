#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A 100 MB line of junk in the middle of a small log: read whole, counted as one foreign
line, the rest analysed, and memory stays bounded by about twice the longest line.
Hand-worked answer: the log of testdata/edge/base.log (4 lines, one 8192-byte DRAM leak
at line 3) with the huge line inserted as line 3, so the leak is at line 4 and the input
has 5 lines, 4 recognized, 1 foreign."""
import os
import resource
import subprocess
import sys
import tempfile
import json

tool, root = sys.argv[1], sys.argv[2]
base = open(os.path.join(root, "testdata/edge/base.log"), "rb").read().split(b"\n")
huge = b"x" * (100 * 1024 * 1024)
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "huge.log")
    with open(path, "wb") as f:
        f.write(b"\n".join(base[:2] + [huge] + base[2:]))
    p = subprocess.run([tool, "--format", "json", path], capture_output=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
fails = []
if p.returncode != 0:
    fails.append(f"exit {p.returncode}: {p.stderr.decode(errors='replace')}")
else:
    doc = json.loads(p.stdout)
    inp = doc["inputs"][0]
    want = {"lines": 5, "recognized_lines": 4, "foreign_lines": 1, "malformed_lines": 0}
    for k, v in want.items():
        if inp[k] != v:
            fails.append(f"inputs[0].{k}: expected {v}, got {inp[k]}")
    if doc["server"]["leaks"][0]["line"] != 4 or doc["server"]["remaining"]["bytes"] != 8192:
        fails.append("leak not found at line 4 with 8192 bytes")
limit_kb = 2 * 100 * 1024 + 64 * 1024
# Sanitizer builds add their own shadow memory and allocator: the bound is for real builds.
if peak_kb > limit_kb and not os.environ.get("LC_SANITIZED"):
    fails.append(f"peak RSS {peak_kb} KB over {limit_kb} KB")
for f in fails:
    print(f)
print(f"peak RSS {peak_kb} KB")
sys.exit(1 if fails else 0)
