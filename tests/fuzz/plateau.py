#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one libFuzzer target until it plateaus.

A plateau is reached when the target has done at least --min-execs executions in all and a
whole window of --window seconds found no new coverage: libFuzzer's edge coverage ("cov:") at
the end of the window is no higher than the highest any earlier window on the same binary
reached (the first window is measured against the corpus it loaded, "INITED cov:").
A window whose loaded corpus covers fewer edges than an earlier window ended with is
flagged: the same inputs should always cover the same edges. When fuzz_server's did not
(one corpus loaded to cov 8167, 8167, 8164), the cause was a read of uninitialised memory
that valgrind then named. New features inside covered edges (hit-count buckets, the "NEW"
units that raise "ft:") are counted and printed beside it; --strict asks for a window
without any of those either.
The fuzzer runs in windows of --window seconds on a persistent working corpus (seeded from
testdata/fuzz/TARGET); each window is a fresh process, so a slow leak or a crash shows up too.
Executions are summed over runs in WORK_DIR/plateau.state while the fuzzer binary is the same
(its SHA-256); a new binary starts the count again.
Crash, leak, timeout or OOM inputs are written under --artifacts and stop the run (exit 1).

Usage: plateau.py [--window 600] [--min-execs 10000000] [--log FILE] [--merge] [--strict]
                  [--workers N] FUZZER SEED_DIR WORK_DIR [-- LIBFUZZER_FLAG...]
(options before FUZZER: argparse takes none after the positionals once "--" follows). The
plateaus recorded in the issue notes ran with "-- -entropic=0": libFuzzer's entropic schedule
spent 92% of fuzz_server's time in UpdateFeatureFrequency once its corpus held ~4,000 units.
--merge first minimizes the working corpus (libFuzzer -merge=1) so each window loads faster.
--workers N runs N fuzzer processes in each window on the shared corpus (for a target whose
own speed, not the machine, is the limit): their executions add up, and the window's coverage
is the highest any of them ended with.
Prints one summary line per window and a final line:
  TARGET: plateau after N windows, E executions, cov C, ft F, corpus K units, S s
"""
import argparse
import hashlib
import json
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
    ap.add_argument("--merge", action="store_true")
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--workers", type=int, default=1)
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
    with open(a.fuzzer, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    state_path = os.path.join(a.work, "plateau.state")
    total = 0
    best = None
    try:
        with open(state_path) as f:
            st = json.load(f)
        if st.get("sha256") == digest:
            total = int(st.get("execs", 0))
            best = st.get("best_cov")
    except (OSError, ValueError):
        pass
    print("%s: binary %s, %d executions already on it" % (name, digest[:12], total), flush=True)
    if a.merge:
        merged = corpus + ".merged"
        shutil.rmtree(merged, ignore_errors=True)
        os.makedirs(merged)
        with open(os.path.join(a.work, "merge.log"), "w") as err:
            rc = subprocess.run([a.fuzzer, "-merge=1", "-close_fd_mask=3", "-rss_limit_mb=2560", "-timeout=20",
                                 merged, corpus], stdout=subprocess.DEVNULL, stderr=err).returncode
        if rc == 0:
            before = len(os.listdir(corpus))
            shutil.rmtree(corpus)
            os.rename(merged, corpus)
            print("%s: merged corpus %d -> %d units" % (name, before, len(os.listdir(corpus))), flush=True)
        else:
            print("%s: merge failed (exit %d), corpus kept" % (name, rc), flush=True)
    start = time.time()
    for w in range(1, a.max_windows + 1):
        # -close_fd_mask=3: the tool's own messages (one per bad rule, per bad line) would fill
        # gigabytes; libFuzzer keeps a copy of stderr for its reports and crash output.
        cmd = [a.fuzzer, corpus, "-artifact_prefix=" + arts, "-max_total_time=%d" % a.window,
               "-timeout=20", "-rss_limit_mb=2560", "-print_final_stats=1", "-close_fd_mask=3"] + a.extra
        # --workers N: N processes on the shared corpus (libFuzzer reloads it every second, so
        # each sees what the others found); executions add up, coverage is the highest any
        # worker ended with (each loads the whole corpus, so any new edge raises its own cov).
        procs = []
        for k in range(a.workers):
            wlog = os.path.join(a.work, "window.log" if k == 0 else "window.%d.log" % k)
            with open(wlog, "w") as err:
                procs.append((wlog, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)))
        new = 0
        execs = 0
        cov0 = None
        cov = ft = 0
        rc = 0
        for wlog, proc in procs:
            prc = proc.wait()
            rc = rc or prc
            with open(wlog, errors="replace") as err:
                text = err.read(64 << 20)
            log.write(text)
            log.flush()
            wcov0 = None
            for line in text.splitlines():
                m = re.search(r"\bcov: (\d+) ft: (\d+)", line)
                if m:
                    cov, ft = max(cov, int(m.group(1))), max(ft, int(m.group(2)))
                    if wcov0 is None and "INITED" in line:
                        wcov0 = int(m.group(1))
                if "\tNEW " in line or " NEW " in line:
                    new += 1
                m = re.match(r"stat::number_of_executed_units: (\d+)", line)
                if m:
                    execs += int(m.group(1))
            if wcov0 is not None:
                cov0 = wcov0 if cov0 is None else min(cov0, wcov0)
        total += execs
        base = best if best is not None else cov0
        edges = max(0, cov - base) if base is not None else -1
        best = max(cov, best or 0)
        with open(state_path + ".tmp", "w") as f:
            json.dump({"sha256": digest, "execs": total, "best_cov": best}, f)
        os.replace(state_path + ".tmp", state_path)
        units = len(os.listdir(corpus))
        if cov0 is not None and base is not None and cov0 < base:
            print("%s: warning: the loaded corpus covers %d edges, earlier windows reached %d: "
                  "nondeterministic coverage (uninitialised memory? run the corpus under valgrind)"
                  % (name, cov0, base), flush=True)
        print("%s: window %d: %d execs (total %d), %d new edges (loaded cov %d, end %d, best before %s), "
              "%d new units, ft %d, corpus %d, exit %d"
              % (name, w, execs, total, edges, cov0 or 0, cov, base, new, ft, units, rc), flush=True)
        if rc != 0:
            print("%s: fuzzer exited %d; artifacts in %s" % (name, rc, arts), flush=True)
            return 1
        # a window that ran nothing (its log has no stats) proves nothing, whatever cov says
        quiet = execs > 0 and edges == 0 and (new == 0 or not a.strict)
        if quiet and total >= a.min_execs:
            print("%s: plateau after %d windows, %d executions, cov %d, ft %d, corpus %d units, %d s"
                  % (name, w, total, cov, ft, units, time.time() - start), flush=True)
            return 0
    print("%s: no plateau within %d windows" % (name, a.max_windows), flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
