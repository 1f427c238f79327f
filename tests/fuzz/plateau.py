#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one libFuzzer target until it plateaus.

A plateau is reached when the target has done at least --min-execs executions in all and a
whole window of --window seconds found nothing new (no NEW line: no new coverage feature).
The fuzzer runs in windows of --window seconds on a persistent working corpus (seeded from
testdata/fuzz/TARGET); each window is a fresh process, so a slow leak or a crash shows up too.
Crash, leak, timeout or OOM inputs are written under --artifacts and stop the run (exit 1).

Usage: plateau.py FUZZER SEED_DIR WORK_DIR [--window 600] [--min-execs 10000000] [--log FILE]
Prints one summary line per window and a final line:
  TARGET: plateau after N windows, E executions, cov C, ft F, corpus K units, S s
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fuzzer")
    ap.add_argument("seeds")
    ap.add_argument("work")
    ap.add_argument("--window", type=int, default=600)
    ap.add_argument("--min-execs", type=int, default=10_000_000)
    ap.add_argument("--max-windows", type=int, default=40)
    ap.add_argument("--log")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()

    name = os.path.basename(a.fuzzer)
    corpus = os.path.join(a.work, "corpus")
    arts = os.path.join(a.work, "artifacts") + "/"
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(arts, exist_ok=True)
    for f in os.listdir(a.seeds):
        src = os.path.join(a.seeds, f)
        if os.path.isfile(src) and not os.path.exists(os.path.join(corpus, f)):
            shutil.copy(src, corpus)
    log = open(a.log or os.path.join(a.work, "fuzz.log"), "a")
    total = 0
    cov = ft = 0
    start = time.time()
    for w in range(1, a.max_windows + 1):
        # -close_fd_mask=3: the tool's own messages (one per bad rule, per bad line) would fill
        # gigabytes; libFuzzer keeps a copy of stderr for its reports and crash output.
        cmd = [a.fuzzer, corpus, "-artifact_prefix=" + arts, "-max_total_time=%d" % a.window,
               "-timeout=20", "-rss_limit_mb=2560", "-print_final_stats=1", "-close_fd_mask=3"] + a.extra
        wlog = os.path.join(a.work, "window.log")
        with open(wlog, "w") as err:
            rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=err).returncode
        new = 0
        execs = 0
        with open(wlog, errors="replace") as err:
            text = err.read(64 << 20)
        log.write(text)
        log.flush()
        for line in text.splitlines():
            m = re.search(r"\bcov: (\d+) ft: (\d+)", line)
            if m:
                cov, ft = int(m.group(1)), int(m.group(2))
            if "\tNEW " in line or " NEW " in line:
                new += 1
            m = re.match(r"stat::number_of_executed_units: (\d+)", line)
            if m:
                execs = int(m.group(1))
        total += execs
        units = len(os.listdir(corpus))
        print("%s: window %d: %d execs (total %d), %d new, cov %d ft %d, corpus %d, exit %d"
              % (name, w, execs, total, new, cov, ft, units, rc), flush=True)
        if rc != 0:
            print("%s: fuzzer exited %d; artifacts in %s" % (name, rc, arts), flush=True)
            return 1
        if new == 0 and total >= a.min_execs:
            print("%s: plateau after %d windows, %d executions, cov %d, ft %d, corpus %d units, %d s"
                  % (name, w, total, cov, ft, units, time.time() - start), flush=True)
            return 0
    print("%s: no plateau within %d windows" % (name, a.max_windows), flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
