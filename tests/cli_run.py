#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs one CLI case file against the tool.

A case file (tests/cli/NAME.test) is a few `key: value` lines:
  args: ARGS...          arguments, shell-split; paths relative to the source root
  stdin: PATH            file fed to standard input (optional)
  exit: N                expected exit status
  stderr: REGEX          stderr must match (re.search, DOTALL); repeatable
  no-stderr: REGEX       stderr must not match; repeatable
  stdout-json: PATH=VAL  stdout parses as JSON and PATH equals VAL (JSON); repeatable
  stdout-has: TEXT       stdout contains TEXT; repeatable
  stdout-empty: yes      nothing on stdout
  golden: yes            stdout equals tests/cli/NAME.out (rewritten by --update)
Golden files pin layout only; every figure in them is asserted elsewhere.
"""
import json
import os
import re
import shlex
import subprocess
import sys


def get_path(doc, path):
    cur = doc
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            cur = cur[int(part[1:-1])]
        else:
            cur = cur[part]
    return cur


def main():
    update = "--update" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--update"]
    tool, case = os.path.abspath(args[0]), args[1]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec = {"stderr": [], "no-stderr": [], "stdout-json": [], "stdout-has": []}
    with open(case, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, _, val = line.partition(":")
            key, val = key.strip(), val.strip()
            if key in spec and isinstance(spec[key], list):
                spec[key].append(val)
            else:
                spec[key] = val
    checks = len(spec["stderr"]) + len(spec["no-stderr"]) + len(spec["stdout-json"]) + len(spec["stdout-has"])
    checks += ("exit" in spec) + ("golden" in spec) + ("stdout-empty" in spec)
    if checks == 0:
        print(f"{case}: no checks: a case that cannot fail is a defect")
        return 1
    # LC_TOOL_WRAPPER (set by `meson test --setup valgrind`) runs the tool under a checker.
    argv = shlex.split(os.environ.get("LC_TOOL_WRAPPER", "")) + [tool] + shlex.split(spec.get("args", ""))
    stdin = open(os.path.join(root, spec["stdin"]), "rb") if "stdin" in spec else subprocess.DEVNULL
    env = dict(os.environ, LC_ALL="C")
    p = subprocess.run(argv, cwd=root, stdin=stdin, capture_output=True, env=env)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    fails = []
    if "exit" in spec and p.returncode != int(spec["exit"]):
        fails.append(f"exit: expected {spec['exit']}, got {p.returncode}")
    for rx in spec["stderr"]:
        if not re.search(rx, err, re.S):
            fails.append(f"stderr does not match /{rx}/")
    for rx in spec["no-stderr"]:
        if re.search(rx, err, re.S):
            fails.append(f"stderr matches /{rx}/ but must not")
    if spec["stdout-json"]:
        try:
            doc = json.loads(out)
        except ValueError as e:
            doc = None
            fails.append(f"stdout is not JSON: {e}")
        for item in spec["stdout-json"]:
            path, _, val = item.partition("=")
            if doc is None:
                break
            want = json.loads(val)
            try:
                got = get_path(doc, path.strip())
            except (KeyError, IndexError, TypeError):
                got = "<missing>"
            if got != want:
                fails.append(f"{path.strip()}: expected {val}, got {json.dumps(got)}")
    for text in spec["stdout-has"]:
        if text not in out:
            fails.append(f"stdout lacks {text!r}")
    if spec.get("stdout-empty") == "yes" and out:
        fails.append("stdout is not empty")
    if spec.get("golden") == "yes":
        gold = case[:-5] + ".out"
        if update:
            with open(gold, "w", encoding="utf-8") as f:
                f.write(out)
        elif not os.path.exists(gold) or open(gold, encoding="utf-8").read() != out:
            fails.append(f"stdout differs from {os.path.basename(gold)} (run with --update after checking)")
    for f_ in fails:
        print(f"{os.path.basename(case)}: {f_}")
    if fails:
        print("--- stderr ---\n" + err[-2000:])
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
