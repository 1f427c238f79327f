#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Keeps --help, the man page and README.md in step: every long option --help names
must appear in the man page and in README.md, and every option the man page lists
must be accepted by --help's list."""
import re
import subprocess
import sys

tool, man, readme = sys.argv[1:4]
help_text = subprocess.run([tool, "--help"], capture_output=True, text=True).stdout
help_opts = set(re.findall(r"--[a-z][a-z-]+", help_text))
man_text = open(man, encoding="utf-8").read().replace("\\-", "-")
man_opts = set(re.findall(r"^\.BR (--[a-z][a-z-]+)|^\.BR -[a-zA-Z] \", \" (--[a-z-]+)", man_text, re.M))
man_opts = {a or b for a, b in man_opts}
readme_text = open(readme, encoding="utf-8").read()
fails = []
for o in sorted(help_opts):
    if o not in man_text:
        fails.append(f"--help names {o}, the man page does not")
    if o not in readme_text:
        fails.append(f"--help names {o}, README.md does not")
for o in sorted(man_opts - help_opts):
    fails.append(f"the man page lists {o}, --help does not")
if not help_opts:
    fails.append("--help names no options")
for f in fails:
    print(f)
print(f"{len(help_opts)} options checked")
sys.exit(1 if fails else 0)
