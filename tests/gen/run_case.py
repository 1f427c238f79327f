#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""run_case.py - generate a log, run tt-leakcorr on it, compare with the truth.

  run_case.py --tool PATH --workdir DIR --seed N [leakgen options...]

Generates DIR/case.* with leakgen (any leakgen option may follow), checks
the generator against itself (selfcheck.py), runs
`PATH --format json -o DIR/report.json [GROUPING] FILES...` and compares
the report with DIR/case.truth.json.  FILES are the truth's inputs in
order: the server log(s), then the buffer debug log with --debug-log (only
the debug log with --debug-log-only).  GROUPING are the tool options the
truth was computed for (--truth-stack-depth N -> --stack-depth N,
--truth-skip-frames R -> --skip-frames R, --truth-all-allocations ->
--all-allocations; the truth's generator.tool_args).  Exit 0 when the
report matches, 1 otherwise.
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402
import leakgen  # noqa: E402
import selfcheck  # noqa: E402


def report_against_truth(tool, files, report, truth, tpath, timeout=600, extra=()):
    """Runs the tool into report and compares it with the truth's inputs and server sections.
    Returns the report, or None after printing why it failed."""
    ok, msg = run_tool(tool, files, report, timeout, extra)
    print(msg)
    if not ok:
        return None
    try:
        rep = compare.load(report)
    except ValueError as e:
        print('report is not valid JSON: %s' % e)
        return None
    msgs = compare.compare_truth(truth, rep)
    if msgs:
        print('%d mismatches with the truth (truth %s, report %s):' % (len(msgs), tpath, report))
        compare.report(msgs)
        return None
    return rep


def run_tool(tool, files, report, timeout=600, extra=()):
    """Runs the tool; returns (ok, message)."""
    if os.path.exists(report):
        os.remove(report)
    cmd = [tool, '--format', 'json', '-o', report] + list(extra) + files
    t0 = time.time()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, 'cannot run %s: %s' % (tool, e)
    dt = time.time() - t0
    err = p.stderr.decode('utf-8', 'replace')
    if p.returncode != 0:
        return False, 'tool exited with status %d after %.2fs\n%s' % (p.returncode, dt, err[-3000:])
    if not os.path.exists(report):
        return False, 'tool wrote no report (%s)\n%s' % (report, err[-3000:])
    return True, 'tool ok in %.2fs' % dt


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tool', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--seed', required=True)
    ap.add_argument('--no-selfcheck', action='store_true')
    ap.add_argument('--timeout', type=int, default=600)
    opt, rest = ap.parse_known_args(argv)
    os.makedirs(opt.workdir, exist_ok=True)
    prefix = os.path.join(opt.workdir, 'case')
    gargs = ['--seed', opt.seed, '--out', prefix] + rest
    print('leakgen ' + ' '.join(gargs))
    sys.stdout.flush()
    truth, files = leakgen.generate(gargs)
    if not opt.no_selfcheck:
        msgs = selfcheck.check(prefix + '.truth.json', files)
        if msgs:
            print('GENERATOR BUG: selfcheck disagrees with the truth:')
            compare.report(msgs)
            return 1
    report = os.path.join(opt.workdir, 'report.json')
    extra = truth.get('generator', {}).get('tool_args', [])
    if extra:
        print('tool options: ' + ' '.join(extra))
    rep = report_against_truth(opt.tool, files, report, truth, prefix + '.truth.json', opt.timeout, extra)
    if rep is None:
        return 1
    print('report matches the truth')
    return 0


if __name__ == '__main__':
    sys.exit(main())
