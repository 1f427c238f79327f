#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""compare.py - compare a leakgen truth with a tt-leakcorr JSON report.

  compare.py TRUTH.json REPORT.json
      Every figure of the truth's `inputs`, `server` and `debug` must be
      in the report with the same value (the report may have more keys).
      Paths compare by basename; checkpoints[].differences is ignored.
      `debug` is compared only when the truth has the key (null there:
      the report's must be null too).  A `site` (server.leaks[].site,
      debug.leaks[].site) compares by the frames of the site it points
      at, not by its index alone; debug.leaks are aligned by pointer,
      debug.sites and debug.all_sites by frames, and their order is
      checked separately.
  compare.py --same-server A.json B.json
      The `server` sections of A and B must be equal apart from `line` and `lifetime_lines` (both count physical lines)
      fields (A's keys are the reference); so must the `debug` sections
      when either has one.

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
    'debug.leaks': ('pointer',),
    'debug.sites': ('frames',),
    'debug.all_sites': ('frames',),
    'timeline.server.series': ('device', 'type'),
    'timeline.server.at_peak': ('device',),
    'timeline.debug.series': ('device', 'type'),
}


def _hashable(v):
    return tuple(v) if isinstance(v, list) else v


def show(v):
    if v is MISSING:
        return '<missing>'
    t = json.dumps(v, sort_keys=False, separators=(',', ':'))
    return t if len(t) <= 400 else t[:250] + '...' + t[-100:]


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
            if exp == got and all(type(x) is int for x in exp) and all(type(x) is int for x in got):
                return      # equal lists of integers (the timeline's buckets): nothing to walk
            # the keyed lists themselves, not lists nested in their elements
            if path in KEYED and all(isinstance(x, dict) for x in exp + got):
                self.keyed(path, exp, got, KEYED[path], norm)
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
            return tuple(_hashable(x.get(k)) for k in keys)

        def name(kv):
            def one(k, v):
                if k in ('address', 'pointer') and isinstance(v, int):
                    return '%s=%s' % (k, hex(v))
                if k == 'frames':
                    t = json.dumps(list(v) if isinstance(v, tuple) else v)
                    return 'frames=' + (t if len(t) < 160 else t[:100] + '...' + t[-50:])
                return '%s=%s' % (k, v)
            return ','.join(one(k, v) for k, v in zip(keys, kv))
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


def site_frames(doc):
    """Index -> frames of doc's debug.sites (None when there are none)."""
    dbg = doc.get('debug') if isinstance(doc, dict) else None
    if not isinstance(dbg, dict) or not isinstance(dbg.get('sites'), list):
        return None
    return [s.get('frames') if isinstance(s, dict) else None for s in dbg['sites']]


def resolve_sites(doc, frames):
    """A copy of doc where every server.leaks[].site and debug.leaks[].site
    index is replaced by {"site": index, "frames": [...]} so that a site
    compares by what it points at."""
    doc = json.loads(json.dumps(doc))

    def fix(lst):
        if not isinstance(lst, list):
            return
        for x in lst:
            if isinstance(x, dict) and isinstance(x.get('site'), int) and not isinstance(x.get('site'), bool):
                i = x['site']
                fr = frames[i] if frames is not None and 0 <= i < len(frames) else '<no such site %d>' % i
                x['site'] = {'frames': fr}
    if isinstance(doc.get('server'), dict):
        fix(doc['server'].get('leaks'))
    if isinstance(doc.get('debug'), dict):
        fix(doc['debug'].get('leaks'))
    return doc


def compare_truth(truth, report):
    d = Diff()
    if not isinstance(report, dict):
        d.msgs.append('report: not a JSON object')
        return d.msgs
    if 'debug' in truth:
        truth = resolve_sites(truth, site_frames(truth))
        report = resolve_sites(report, site_frames(report))
    d.walk('inputs', truth['inputs'], report.get('inputs', MISSING), norm_paths)
    d.walk('server', truth['server'], report.get('server', MISSING))
    if 'debug' in truth:
        d.walk('debug', truth['debug'], report.get('debug', MISSING))
    return d.msgs


def compare_server(a, b):
    d = Diff(ignore=('line', 'lifetime_lines'))
    if isinstance(a.get('debug'), dict) or isinstance(b.get('debug'), dict):
        a = resolve_sites(a, site_frames(a))
        b = resolve_sites(b, site_frames(b))
        d.walk('server', a.get('server', MISSING), b.get('server', MISSING))
        d.walk('debug', a.get('debug', MISSING), b.get('debug', MISSING))
        return d.msgs
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
