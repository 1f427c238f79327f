#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""README's sample output is what the current build prints (tests/meson.build: readme-sample).

The "## Sample output" section names a command in backticks (`tt-leakcorr ARGS`) and shows its
output in the next ``` block. A line that is exactly "  ..." marks rows cut from the sample;
every other line must be printed by the tool, in order, and the pieces between cuts must be
contiguous in the tool's output. `--update` rewrites the block from the tool's output, with the
per-device rows of the dump lifecycle cut after three (the numbers in it are asserted by the
generator's truth: the sample's JSON report is compared with testdata/sample/*.truth.json).
Usage: readme_sample.py TOOL SOURCE_ROOT [--update]
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

CUT = "  ..."


# The sections whose first ``` block is a run's output; the first one shows it from its start,
# the others (an excerpt: one section of the report) from the line their block starts with.
# A block whose first line is "$ tt-leakcorr ARGS" names its own command and shows its whole output.
SECTIONS = [("## Sample output", True), ("## The evidence: what remains, and why", False),
            ("### One address's story", True), ("### Live memory over the log: the timeline and the peak", False)]


def main():
    tool, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    for name, whole in SECTIONS:
        rc = check(tool, root, name, whole)
        if rc:
            return rc
    return 0


def excerpt(out, block):
    """The run's lines from the block's first line to the blank line before the next heading."""
    first = block[0] if block else ""
    start = next((i for i, line in enumerate(out) if line.startswith(first)), 0)
    end = start + 1
    while end < len(out) and not (out[end] == "" and end + 1 < len(out) and out[end + 1][:1] not in (" ", "")):
        end += 1
    return out[start:end]


def check(tool, root, name, whole):
    text = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    sec = text.split(name, 1)[1]
    block = re.search(r"```\n(.*?)```", sec, re.S).group(1).splitlines()
    dollar = bool(block) and block[0].startswith("$ tt-leakcorr ")
    if dollar:
        cmd, block = block[0][len("$ tt-leakcorr "):], block[1:]
    else:
        cmd = re.search(r"`tt-leakcorr ([^`]+)`", sec).group(1)
    # the sparklines draw Unicode blocks under a UTF-8 locale: the README shows those, whatever the caller's
    r = subprocess.run([tool] + shlex.split(cmd), capture_output=True, text=True, cwd=root,
                       env=dict(os.environ, LC_ALL="C.UTF-8"))
    out = r.stdout.splitlines()
    if "--update" in sys.argv and dollar:
        start = text.index("\n", text.index("$ tt-leakcorr ", text.index(name))) + 1
        end = text.index("```", start)
        with open(os.path.join(root, "README.md"), "w", encoding="utf-8") as f:
            f.write(text[:start] + "\n".join(out) + "\n" + text[end:])
        return 0
    if "--update" in sys.argv and not whole:
        start = text.index("```\n", text.index(name)) + 4
        end = text.index("```", start)
        with open(os.path.join(root, "README.md"), "w", encoding="utf-8") as f:
            f.write(text[:start] + "\n".join(excerpt(out, block)) + "\n" + text[end:])
        return 0
    if "--update" in sys.argv:
        new, rows = [], None
        for line in out:
            if rows is not None:
                if not line.strip():
                    rows = None
                elif rows == 3:
                    if new[-1] != CUT:
                        new.append(CUT)
                    continue
                else:
                    rows += 1
            if line.startswith("  device  type") and any(l.startswith("What became of") for l in new):
                rows = 0
            new.append(line)
        start = text.index("```\n", text.index("## Sample output")) + 4
        end = text.index("```", start)
        with open(os.path.join(root, "README.md"), "w", encoding="utf-8") as f:
            f.write(text[:start] + "\n".join(new) + "\n" + text[end:])
        return 0
    pieces, cur = [], []
    for line in block:
        if line == CUT:
            pieces.append(cur)
            cur = []
        else:
            cur.append(line)
    pieces.append(cur)
    pos = 0
    for k, piece in enumerate(pieces):
        if not piece:
            continue
        at = next((i for i in range(pos, len(out) - len(piece) + 1) if out[i:i + len(piece)] == piece), None)
        if at is None or (k == 0 and whole and at != 0):
            print(f"README sample drifted from `tt-leakcorr {cmd}` (piece {k + 1} of {len(pieces)}, "
                  f"starting {piece[0]!r}, not found in order). The tool prints:\n" + r.stdout)
            return 1
        pos = at + len(piece)
    print(f"README {name[3:]!r}: {len(block)} lines in {len(pieces)} pieces match `tt-leakcorr {cmd}`")
    # The figures themselves: the same input's JSON report against the generator's own truth.
    for arg in shlex.split(cmd):
        m = re.match(r"(testdata/sample/.*)\.log(\.gz)?$", arg)
        if not m:
            continue
        j = subprocess.run([tool, "-f", "json", arg], capture_output=True, cwd=root)
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            f.write(j.stdout)
            f.flush()
            c = subprocess.run([sys.executable, os.path.join(root, "tests/gen/compare.py"),
                                os.path.join(root, m.group(1) + ".truth.json"), f.name])
        if c.returncode != 0:
            print(f"{arg}: the report disagrees with the generator's truth")
            return 1
        print(f"{arg}: every figure of {m.group(1)}.truth.json agrees")
    return 0


if __name__ == "__main__":
    sys.exit(main())
