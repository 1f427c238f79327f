#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""compare.py - compare a leakgen truth with a tt-leakcorr JSON report.

  compare.py TRUTH.json REPORT.json
      Every figure of the truth's `inputs` and `server` must be in the
      report with the same value (the report may have more keys).  Paths
      compare by basename; checkpoints[].differences is ignored.
  compare.py --same-server A.json B.json
      The `server` sections of A and B must be equal apart from `line`
      fields (A's keys are the reference).

Prints each mismatch as `path: expected X, got Y` (at most 50) and exits 0
when equal, 1 otherwise, 2 on usage or read errors.
"""

import json
import os
import sys

MAX_SHOWN = 50
MISSING = object()

# lists whose elements are identified by a key: aligned by key, then the
# order is checked separately, so one missing element gives one message
KEYED = {
    'server.leaks': ('device', 'address'),
    'server.reuse': ('device', 'address'),
}


def show(v):
    if v is MISSING:
        return '<missing>'
    return json.dumps(v, sort_keys=False, separators=(',', ':'))


def same_scalar(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) == type(b) and a == b


class Diff:
    def __init__(self, ignore=()):
        self.msgs = []
        self.ignore = set(ignore)

    def add(self, path, exp, got):
        self.msgs.append('%s: expected %s, got %s' % (path, show(exp), show(got)))

    def walk(self, path, exp, got, norm=None):
        if norm is not None:
            exp, got = norm(path, exp, got)
        if isinstance(exp, dict):
            if not isinstance(got, dict):
                self.add(path, exp, got)
                return
            for k, v in exp.items():
                if k in self.ignore:
                    continue
                if path.endswith('checkpoints[]') or '.checkpoints[' in path:
                    if k == 'differences':
                        continue
                self.walk('%s.%s' % (path, k), v, got.get(k, MISSING), norm)
            return
        if isinstance(exp, list):
            if not isinstance(got, list):
                self.add(path, exp if len(show(exp)) < 200 else '<list of %d>' % len(exp), got)
                return
            base = path.split('[')[0]
            if base in KEYED and all(isinstance(x, dict) for x in exp + got):
                self.keyed(path, exp, got, KEYED[base], norm)
                return
            if len(exp) != len(got):
                self.msgs.append('%s: expected %d elements, got %d' % (path, len(exp), len(got)))
            for i in range(min(len(exp), len(got))):
                self.walk('%s[%d]' % (path, i), exp[i], got[i], norm)
            return
        if not same_scalar(exp, got):
            self.add(path, exp, got)

    def keyed(self, path, exp, got, keys, norm):
        def kf(x):
            return tuple(x.get(k) for k in keys)

        def name(kv):
            return ','.join('%s=%s' % (k, hex(v) if k == 'address' and isinstance(v, int) else v) for k, v in zip(keys, kv))
        em = {}
        for x in exp:
            em.setdefault(kf(x), x)
        gm = {}
        for x in got:
            gm.setdefault(kf(x), x)
        if len(exp) != len(got):
            self.msgs.append('%s: expected %d elements, got %d' % (path, len(exp), len(got)))
        for kv, x in em.items():
            y = gm.get(kv)
            if y is None:
                self.msgs.append('%s[%s]: expected %s, got <missing>' % (path, name(kv), show(x)))
            else:
                self.walk('%s[%s]' % (path, name(kv)), x, y, norm)
        for kv, y in gm.items():
            if kv not in em:
                self.msgs.append('%s[%s]: expected <absent>, got %s' % (path, name(kv), show(y)))
        eo = [kf(x) for x in exp if kf(x) in gm]
        go = [kf(y) for y in got if kf(y) in em]
        if eo != go:
            for i, (a, b) in enumerate(zip(eo, go)):
                if a != b:
                    self.msgs.append('%s: order differs at position %d: expected [%s], got [%s]' % (path, i, name(a), name(b)))
                    break


def norm_paths(path, exp, got):
    # inputs[].path: compare basenames
    if path.endswith('.path') and path.startswith('inputs[') and isinstance(exp, str) and isinstance(got, str):
        return os.path.basename(exp), os.path.basename(got)
    return exp, got


def load(p):
    with open(p, 'rb') as f:
        return json.loads(f.read().decode('utf-8', 'replace'))


def compare_truth(truth, report):
    d = Diff()
    if not isinstance(report, dict):
        d.msgs.append('report: not a JSON object')
        return d.msgs
    d.walk('inputs', truth['inputs'], report.get('inputs', MISSING), norm_paths)
    d.walk('server', truth['server'], report.get('server', MISSING))
    return d.msgs


def compare_server(a, b):
    d = Diff(ignore=('line',))
    d.walk('server', a.get('server', MISSING), b.get('server', MISSING))
    return d.msgs


def report(msgs, out=sys.stdout):
    for m in msgs[:MAX_SHOWN]:
        out.write(m + '\n')
    if len(msgs) > MAX_SHOWN:
        out.write('... %d more mismatches\n' % (len(msgs) - MAX_SHOWN))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    same = False
    if argv and argv[0] == '--same-server':
        same = True
        argv = argv[1:]
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        a = load(argv[0])
        b = load(argv[1])
    except (OSError, ValueError) as e:
        sys.stderr.write('compare.py: %s\n' % e)
        return 2
    msgs = compare_server(a, b) if same else compare_truth(a, b)
    report(msgs)
    return 1 if msgs else 0


if __name__ == '__main__':
    sys.exit(main())
