#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Two tt-leakcorr binaries (or one with two thread counts) give byte-identical reports.

Usage: compare_builds.py SOURCE_ROOT TOOL_A TOOL_B [--threads-a N] [--threads-b N]

Every log under testdata/ (plain and gzip; the corrupt ones too: there the exit status and the
JSON of what was read must agree) plus generated logs in every server version, gzipped in one
and in several members, are run through both tools with -f json and -f text; stdout and the
exit status must be identical. Used by .ci/test to compare the ISA-L and the zlib builds, and by
the test suite to compare --threads 1 with --threads 2.
Prints one line per difference and "N compared, N differ"; exits 1 when any differ.
"""
import argparse
import gzip
import os
import subprocess
import sys
import tempfile


def inputs(root, tmp):
    found = []
    for sub in ("edge", "corrupt", "sample", "hand", "hand_debug", "gate"):
        d = os.path.join(root, "testdata", sub)
        for name in sorted(os.listdir(d)):
            if name.endswith((".log", ".gz")):
                found.append([os.path.join(d, name)])
    gen = os.path.join(root, "tests", "gen", "leakgen.py")
    for i, version in enumerate(("V1", "V2", "V3", "V4", "V5", "V6", "ENH", "mix")):
        prefix = os.path.join(tmp, "gen-" + version)
        extra = ["--gzip-members", "3"] if i % 2 else ["--gzip"] if i % 3 == 0 else []
        subprocess.run([sys.executable, gen, "--seed", str(40 + i), "--out", prefix, "--version", version,
                        "--lines", "30000", "--noise", "0.2", "--debug-log", "--quiet"] + extra, check=True)
        for name in sorted(os.listdir(tmp)):
            if name.startswith("gen-" + version + ".") and name.endswith((".log", ".gz")):
                found.append([os.path.join(tmp, name)])
    # two inputs read as one stream; a server log with its debug log
    server = [f[0] for f in found if "gen-V4" in f[0]]
    if len(server) >= 2:
        found.append(server[:2])
    # a log cut in the middle of a gzip member, written here
    cut = os.path.join(tmp, "cut.log.gz")
    with open(found[-1][0], "rb") as f:
        data = f.read()
    blob = gzip.compress(data)
    with open(cut, "wb") as f:
        f.write(blob[: len(blob) * 2 // 3])
    found.append([cut])
    return found


def run(tool, threads, args, files):
    cmd = [tool] + (["--threads", str(threads)] if threads else []) + args + files
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("tool_a")
    ap.add_argument("tool_b")
    ap.add_argument("--threads-a", type=int, default=0)
    ap.add_argument("--threads-b", type=int, default=0)
    a = ap.parse_args()
    compared = differ = 0
    with tempfile.TemporaryDirectory() as tmp:
        for files in inputs(a.root, tmp):
            for args in (["-f", "json"], ["-f", "text", "--top", "0"]):
                ra = run(a.tool_a, a.threads_a, args, files)
                rb = run(a.tool_b, a.threads_b, args, files)
                compared += 1
                if ra != rb:
                    differ += 1
                    what = "exit %d vs %d" % (ra[0], rb[0]) if ra[0] != rb[0] else "stdout differs"
                    print("DIFFER %s %s: %s" % (" ".join(args), " ".join(os.path.basename(f) for f in files), what))
    print("%d compared, %d differ" % (compared, differ))
    return 1 if differ or compared == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
