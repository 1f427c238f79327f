#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--address against an independent count (tests/meson.build: gen-address-counts).

leakgen.py writes a V1 (decimal ids) and a V4 (hex ids) log with restarts; this script picks
the address with the most allocation lines and counts, per device, its allocation, ref-count
allocation, ref-count free, FINAL free and unknown-free lines with its own regular
expressions (never with the tool). tt-leakcorr --address must report the same counts, each
key's events_total must be the sum of its counts, its events must be in log order, and
restart_dropped can be at most one per key and restart.
Usage: address_counts.py TOOL SOURCE_ROOT
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ID = r"(0x[0-9a-f]+|[0-9]+)"
ALLOC = re.compile(r"\] Allocated \d+ bytes of \S+ on device (-?\d+) \(buffer_id=" + ID + r"(, ref_count=\d+)?\)")
FREE = re.compile(r"\] Freed buffer " + ID + r" on device (-?\d+) \(\d+ bytes, (FINAL|ref_count=\d+ remaining)\)")
UNKNOWN = re.compile(r"Deallocation for (?:unknown|ALREADY FREED) buffer " + ID + r" on device (-?\d+)")


def num(s):
    return int(s, 16) if s.startswith("0x") else int(s)


def count(path):
    """{address: {device: Counter(kind)}} over every line of path."""
    out = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ALLOC.search(line)
            if m:
                out[num(m.group(2))][int(m.group(1))]["alloc_ref" if m.group(3) else "alloc"] += 1
                continue
            m = FREE.search(line)
            if m:
                out[num(m.group(1))][int(m.group(2))]["free_final" if m.group(3) == "FINAL" else "free_ref"] += 1
                continue
            m = UNKNOWN.search(line)
            if m:
                out[num(m.group(1))][int(m.group(2))]["free_unknown"] += 1
    return out


def check(tool, root, tmp, version, seed, restarts):
    prefix = os.path.join(tmp, version)
    subprocess.run([sys.executable, os.path.join(root, "tests/gen/leakgen.py"), "--seed", str(seed), "--out", prefix,
                    "--version", version, "--restarts", str(restarts), "--lines", "30000", "--quiet"], check=True)
    log = prefix + ".log"
    want = count(log)
    addr = max(want, key=lambda a: (sum(c["alloc"] + c["alloc_ref"] for c in want[a].values()), -a))
    r = subprocess.run([tool, "--format", "json", "--address", str(addr), log], capture_output=True, text=True)
    fails = []
    if r.returncode not in (0, 1):
        return [f"{version}: exit {r.returncode}: {r.stderr[:300]}"]
    got = json.loads(r.stdout)["address"]
    if got["address"] != addr or got["hex"] != hex(addr):
        fails.append(f"{version}: address {got['address']} {got['hex']}, want {addr} {hex(addr)}")
    keys = {k["device"]: k for k in got["keys"]}
    if sorted(keys) != sorted(want[addr]):
        fails.append(f"{version}: devices {sorted(keys)}, want {sorted(want[addr])}")
    for dev, c in sorted(want[addr].items()):
        k = keys.get(dev)
        if not k:
            continue
        for kind in ("alloc", "alloc_ref", "free_ref", "free_final", "free_unknown"):
            if k["counts"][kind] != c[kind]:
                fails.append(f"{version}: {hex(addr)} device {dev} {kind}: {k['counts'][kind]}, want {c[kind]}")
        if k["events_total"] != sum(k["counts"].values()):
            fails.append(f"{version}: device {dev}: events_total {k['events_total']} is not the sum of its counts")
        if len(k["events"]) != min(k["events_total"], 10000):
            fails.append(f"{version}: device {dev}: {len(k['events'])} events kept of {k['events_total']}")
        order = [(e["input"], e["line"]) for e in k["events"]]
        if order != sorted(order):
            fails.append(f"{version}: device {dev}: events not in log order")
        if k["counts"]["restart_dropped"] > restarts:
            fails.append(f"{version}: device {dev}: {k['counts']['restart_dropped']} restarts dropped it, "
                         f"the log has {restarts}")
    print(f"{version}: {hex(addr)} ({addr}) on {len(keys)} devices, {got['events_total']} events")
    return fails


def main():
    tool, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        fails += check(tool, root, tmp, "V1", 21, 2)
        fails += check(tool, root, tmp, "V4", 22, 2)
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
