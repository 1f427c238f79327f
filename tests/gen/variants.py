#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""variants.py - one simulated run, many renderings, one answer.

  variants.py --tool PATH --workdir DIR --seed N [leakgen options...]

Generates the same simulated server run (same seed and options) clean and
as noisy (foreign + malformed lines), Mac Roman and cp1252 mojibake, mixed
mojibake, multi-member gzip, CRLF, grep -n and ANSI variants, plus one
with everything at once.  Each variant's report must match its own truth,
and its `server` section must equal the clean one apart from `line`
fields (the truths are checked the same way, as a generator self-test).
With --debug-log the buffer debug log gets the same decoration where it
makes sense (gzip members, CRLF, mojibake separators; noise variants add
--debug-noise) and the `debug` sections must agree the same way.
Exit 0 when all hold, 1 otherwise.
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402
import leakgen  # noqa: E402
import run_case  # noqa: E402
import selfcheck  # noqa: E402

VARIANTS = (
    ('clean', []),
    ('noisy', ['--noise', '0.05', '--malformed', '0.01', '--debug-noise', '0.05']),
    ('macroman', ['--mojibake', 'macroman']),
    ('cp1252', ['--mojibake', 'cp1252']),
    ('mojimix', ['--mojibake', 'mix']),
    ('gzip', ['--gzip', '--gzip-members', '4']),
    ('crlf', ['--crlf']),
    ('grepn', ['--grep-n']),
    ('ansi', ['--ansi']),
    ('all', ['--noise', '0.03', '--malformed', '0.005', '--mojibake', 'mix', '--gzip', '--gzip-members', '3',
             '--crlf', '--grep-n', '--ansi', '--debug-noise', '0.03']),
)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tool', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--seed', required=True)
    opt, rest = ap.parse_known_args(argv)
    failures = []
    clean_truth = clean_rep = None
    for name, extra in VARIANTS:
        d = os.path.join(opt.workdir, name)
        os.makedirs(d, exist_ok=True)
        prefix = os.path.join(d, 'case')
        truth, files = leakgen.generate(['--seed', opt.seed, '--out', prefix, '--quiet'] + rest + extra)
        tpath = prefix + '.truth.json'
        msgs = selfcheck.check(tpath, files)
        if msgs:
            failures.append(name)
            print('[%s] GENERATOR BUG: selfcheck disagrees with the truth:' % name)
            compare.report(msgs)
            continue
        if clean_truth is None:
            clean_truth = truth
        else:
            msgs = compare.compare_server(clean_truth, truth)
            if msgs:
                failures.append(name)
                print('[%s] GENERATOR BUG: truth differs from the clean truth:' % name)
                compare.report(msgs)
                continue
        report = os.path.join(d, 'report.json')
        ok, msg = run_tool_quiet(opt.tool, files, report, truth['generator'].get('tool_args', []))
        if not ok:
            failures.append(name)
            print('[%s] %s' % (name, msg))
            continue
        rep = compare.load(report)
        msgs = compare.compare_truth(truth, rep)
        if msgs:
            failures.append(name)
            print('[%s] %d mismatches with its truth (%s vs %s):' % (name, len(msgs), tpath, report))
            compare.report(msgs)
            continue
        if clean_rep is None:
            clean_rep = rep
        else:
            msgs = compare.compare_server(clean_rep, rep)
            if msgs:
                failures.append(name)
                print('[%s] server section differs from the clean report:' % name)
                compare.report(msgs)
                continue
        print('[%s] ok' % name)
    if failures:
        print('FAILED: ' + ' '.join(failures))
        return 1
    print('all %d variants agree' % len(VARIANTS))
    return 0


def run_tool_quiet(tool, files, report, extra=()):
    return run_case.run_tool(tool, files, report, extra=extra)


if __name__ == '__main__':
    sys.exit(main())
