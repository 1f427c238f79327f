#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""cuts.py - lines cut by the unlocked DUMP_REMAINING lines replay as if uncut.

  cuts.py --tool PATH --workdir DIR --seed N [leakgen options...]

Generates the same simulated run twice with leakgen: DIR/uncut.* as is, and
DIR/cut.* with --cuts 1 (every 📋 line next to a locked line lands inside it
at a random point and the line's rest goes to the next line, FORMATS.md 1.1).  Checks that
  * the cut log's truth passes selfcheck.py and the report matches it;
  * joined_lines equals, per input, the number of cuts leakgen made (and
    there are some), and is 0 for the uncut log;
  * the server sections of the two reports are exactly equal once each event
    of a cut line that came after its 📋 line is numbered with its first
    half (one line up: the 📋 line's place), and the
    line accounting is the same apart from joined_lines;
  * --threads 1 and --threads 2 give byte-identical reports of the cut log.
Exit 0 when all hold, 1 otherwise.
"""

import argparse
import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402
import leakgen  # noqa: E402
import run_case  # noqa: E402
import selfcheck  # noqa: E402

MIN_CUTS = 5


def renumber(node, moved):
    """Numbers every {"input", "line"} at a moved [input, line] one line up."""
    if isinstance(node, dict):
        out = collections.OrderedDict((k, renumber(v, moved)) for k, v in node.items())
        if isinstance(out.get('line'), int) and (out.get('input'), out['line']) in moved:
            out['line'] -= 1
        return out
    if isinstance(node, list):
        return [renumber(v, moved) for v in node]
    return node


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tool', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--seed', required=True)
    opt, rest = ap.parse_known_args(sys.argv[1:] if argv is None else argv)
    os.makedirs(opt.workdir, exist_ok=True)
    fails = []
    reps = {}
    truths = {}
    for name, extra in (('uncut', []), ('cut', ['--cuts', '1'])):
        prefix = os.path.join(opt.workdir, name)
        truth, files = leakgen.generate(['--seed', opt.seed, '--out', prefix, '--quiet'] + rest + extra)
        truths[name] = truth
        msgs = selfcheck.check(prefix + '.truth.json', files)
        fails += ['%s: selfcheck: %s' % (name, m) for m in msgs]
        for threads in ('1', '2') if name == 'cut' else ('1',):
            out = os.path.join(opt.workdir, '%s.t%s.json' % (name, threads))
            ok, msg = run_case.run_tool(opt.tool, files, out, extra=['--threads', threads])
            if not ok:
                print('%s: %s' % (name, msg))
                return 1
        reps[name] = compare.load(os.path.join(opt.workdir, '%s.t1.json' % name))
        fails += ['%s: %s' % (name, m) for m in compare.compare_truth(truth, reps[name])]

    with open(os.path.join(opt.workdir, 'cut.t1.json'), 'rb') as a, \
            open(os.path.join(opt.workdir, 'cut.t2.json'), 'rb') as b:
        if a.read() != b.read():
            fails.append('cut log: --threads 1 and --threads 2 reports differ')

    cuts = truths['cut']['generator'].get('cuts', [])
    made = collections.Counter(i for i, _, _ in cuts)
    got = [i.get('joined_lines') for i in reps['cut']['inputs']]
    want = [made[i] for i in range(len(reps['cut']['inputs']))]
    if got != want:
        fails.append('joined_lines %s, leakgen made %s cuts' % (got, want))
    if len(cuts) < MIN_CUTS:
        fails.append('only %d cuts: the case tests too little (more --lines?)' % len(cuts))
    if any(i.get('joined_lines') for i in reps['uncut']['inputs']):
        fails.append('the uncut log has joined lines')
    for u, c in zip(reps['uncut']['inputs'], reps['cut']['inputs']):
        for k in ('lines', 'recognized_lines', 'foreign_lines', 'malformed_lines', 'truncated'):
            if u.get(k) != c.get(k):
                fails.append('inputs %s: %s uncut %r, cut %r' % (u.get('path'), k, u.get(k), c.get(k)))

    moved = {(i, ln) for i, ln, up in cuts if up}
    want_srv = renumber(reps['uncut']['server'], moved)
    got_srv = reps['cut']['server']
    if json.dumps(want_srv, sort_keys=True) != json.dumps(got_srv, sort_keys=True):
        d = compare.Diff()
        d.walk('server', want_srv, got_srv)
        fails.append('server sections differ (uncut renumbered, cut): %s' % (d.msgs[:20] or 'key order'))

    for f in fails[:40]:
        print(f)
    print('%d cuts over %d inputs; %s' % (len(cuts), len(want), 'FAILED' if fails else 'ok'))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
