#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""timeline.py - live bytes and buffers over the log (issue 15 part 8) against leakgen's truth.

  timeline.py --tool PATH --workdir DIR --seed N [--self-check] [--truth-only]
              [--require LIST] [leakgen options...]

Generates DIR/case.* with leakgen (--timeline is added when neither
--timeline nor --timeline-points N is given; N is then the default 512),
checks the generator against itself (selfcheck.py), runs
`PATH --format json -o DIR/report.json --timeline-points N FILES` and
compares the report with the truth's existing `inputs` and `server`
sections (compare.py), then the truth's `timeline.server` with the
report's `timeline.server`:

    points; x, lines, bucket_lines, buckets, inputs; marks (count and the
    first `points` x of restarts, dumps, cleanups, stats); wall; every
    series (aligned by device and type, then the order checked): peaks
    (value, x, input, line), end values and every bucket's min, max and
    last; at_peak (aligned by device): x, bytes, buffers, by_type and, for
    the all-devices row, by_group.

A series of the report that the truth does not have is accepted when it is
0 all along (a device seen only in unknown frees), with a note.  When the
report's series_omitted is N > 0, N per-type series of the truth may be
missing from it (their count must be N).

--self-check (also, then, the comparison above unless --truth-only):
    the truth's timeline against a second derivation from the files leakgen
    wrote: selfcheck.py's replay extended to keep every entry's lifetime by
    its (input, line), the x axis from the inputs' line counts, every series
    fed line by line through the streaming bucket rule of the contract
    (width doubling, pairs merging), the peaks and end values found on the
    way, the marks and wall anchors from the replay's checkpoints, cleanup
    rows and runs, at_peak recounted from the lifetimes and regrouped with
    evidence.py's implementation of the group rule; the end values equal
    server.remaining; and the report checker against a faithful report made
    from the truth (must pass) and wrong ones (must fail).
--require: comma-separated features the truth must exercise (restarts,
    restart_drop (entries live at a restart), cleanups, dumps, stats,
    merges (bucket width > 1), resize (enhanced-server size replacements),
    inputs (more than one server-log input), zero_at_peak (a buffer of
    0 bytes live at a peak), debug (a debug-log timeline), temporary (a
    site with temporaries, leakgen --truth-temporary K)).
Also with --self-check: leakgen's bucket functions against the streaming
rule on random series whose lengths sit at the width's edges (0, 1,
points - 1, points, points + 1, 2 * points, ...).
--truth-only: stop after the self-check (the tool is not run).

Exit 0 when everything holds, 1 otherwise.
"""

import argparse
import bisect
import collections
import copy
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402
import evidence  # noqa: E402
import leakgen  # noqa: E402
import run_case  # noqa: E402
import selfcheck  # noqa: E402

TYPES = selfcheck.TYPES
FEATURES = ('restarts', 'restart_drop', 'cleanups', 'dumps', 'stats', 'merges', 'resize', 'inputs', 'zero_at_peak',
            'debug', 'temporary')
# per-line streaming of the per-type series only up to this many lines (the totals always)
STREAM_TYPES_MAX_LINES = 400000


# --------------------------------------------------------------------------
# The files, replayed once more

class TlReplay(selfcheck.Replay):
    """selfcheck.py's replay of the files, also keeping every entry's
    lifetime: [created loc, removed loc or None, device, type, pid, size at
    creation, [(loc, new size)]] (loc = (input, line))."""
    last = None

    def __init__(self):
        self.tl_ents = []
        self.tl_live = {}
        self.resizes = 0
        super().__init__()
        TlReplay.last = self

    def start(self, enh, loc, banner=True):
        if self.run_list:
            for rec in self.tl_live.values():
                rec[1] = loc
            self.tl_live = {}
        super().start(enh, loc, banner)

    def alloc(self, loc, pid, size, typ, dev, addr, ref):
        self.implicit(loc)
        k = (dev, addr)
        e = self.live.get(k)
        old = e[1] if e is not None else None
        super().alloc(loc, pid, size, typ, dev, addr, ref)
        e = self.live[k]
        if old is None:
            rec = [loc, None, dev, typ, pid, size, []]
            self.tl_ents.append(rec)
            self.tl_live[k] = rec
        elif e[1] != old:
            self.tl_live[k][6].append((loc, e[1]))
            self.resizes += 1

    def free(self, loc, pid, addr, dev, size, final, ref):
        k = (dev, addr)
        was = k in self.live
        super().free(loc, pid, addr, dev, size, final, ref)
        if was and k not in self.live:
            self.tl_live.pop(k)[1] = loc

    def dead(self, loc, pid):
        gone = [k for k, e in self.live.items() if e[0] == pid]
        res = super().dead(loc, pid)
        for k in gone:
            self.tl_live.pop(k)[1] = loc
        return res


class TlDebugReplay(selfcheck.DebugReplay):
    """selfcheck.py's replay of the debug log, also keeping every non-hooked
    lifetime: [(input, title line), (input, title line) of the block that
    closed it or None, device, size]."""
    last = None

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.tl = []
        self.at = None
        TlDebugReplay.last = self

    def apply(self, blk, where, problems):
        self.at = (blk.get('input'), blk.get('line'))
        before = self.open.get(int(blk['Buffer*'], 16)) if 'Buffer*' in blk else None
        super().apply(blk, where, problems)
        if blk.get('kind') == 'A' and 'Buffer*' in blk:
            lt = self.open.get(int(blk['Buffer*'], 16))
            if lt is not None and lt is not before and not lt['hooked']:
                lt['tl'] = [self.at, None, lt['dev'], lt['size']]
                self.tl.append(lt['tl'])

    def end(self, lt):
        super().end(lt)
        if 'tl' in lt:
            lt['tl'][1] = self.at


class Stream:
    """The contract's bucket rule, fed one line at a time: width w (1, 2, 4,
    ...); a line beyond points * w doubles w and merges neighbouring pairs
    (min of mins, max of maxes, last of the second)."""

    def __init__(self, points):
        self.points = points
        self.w = 1
        self.b = []
        self.peak = 0
        self.peak_x = 0
        self.v = 0

    def add(self, x, v):
        while x > self.points * self.w:
            self.w *= 2
            b = self.b
            nb = []
            for i in range(0, len(b), 2):
                if i + 1 < len(b):
                    nb.append([min(b[i][0], b[i + 1][0]), max(b[i][1], b[i + 1][1]), b[i + 1][2]])
                else:
                    nb.append(b[i])
            self.b = nb
        k = (x - 1) // self.w
        if k == len(self.b):
            self.b.append([v, v, v])
        else:
            c = self.b[k]
            if v < c[0]:
                c[0] = v
            if v > c[1]:
                c[1] = v
            c[2] = v
        if v > self.peak:
            self.peak = v
            self.peak_x = x
        self.v = v


def derive(truth, files, tpath):
    """The timeline of the files, derived without the truth's timeline.
    Returns (derived timeline.server, replay, problems of selfcheck)."""
    saved = selfcheck.Replay, selfcheck.DebugReplay
    selfcheck.Replay, selfcheck.DebugReplay = TlReplay, TlDebugReplay
    TlDebugReplay.last = None
    try:
        msgs = selfcheck.check(tpath, files)
    finally:
        selfcheck.Replay, selfcheck.DebugReplay = saved
    rp = TlReplay.last
    dbg = None
    if truth['timeline'].get('debug') is not None:
        dbg = derive_debug(truth, TlDebugReplay.last)
    if truth['timeline']['server'] is None:
        return None, dbg, rp, msgs
    points = truth['timeline']['points']
    lines = [i['lines'] for i in truth['inputs'] if i.get('format') == 'server-log']
    first = []
    n = 0
    for ln in lines:
        first.append(n)
        n += ln
    x_end = n

    def X(loc):
        return first[loc[0]] + loc[1]

    # per line x: the changes (device, type, bytes, buffers)
    changes = collections.defaultdict(list)
    for c, end, dev, typ, _pid, size, rs in rp.tl_ents:
        changes[X(c)].append((dev, typ, size, 1))
        for loc, ns in rs:
            changes[X(loc)].append((dev, typ, ns - size, 0))
            size = ns
        if end is not None:
            changes[X(end)].append((dev, typ, -size, -1))
    keys = set()
    for lst in changes.values():
        for dev, typ, _b, _n in lst:
            keys.add((dev, typ))
    devs = sorted(set(d for d, _t in keys))
    order = [None] + [k for d in devs for k in [(d, None)] + sorted(kk for kk in keys if kk[0] == d)]
    streamed = [k for k in order if k is None or k[1] is None or x_end <= STREAM_TYPES_MAX_LINES]
    cur = {k: [0, 0] for k in order}
    sb = {k: Stream(points) for k in streamed}
    sn = {k: Stream(points) for k in streamed}
    for x in range(1, x_end + 1):
        for dev, typ, db, dn in changes.get(x, ()):
            for k in (None, (dev, None), (dev, typ)):
                cur[k][0] += db
                cur[k][1] += dn
        for k in streamed:
            sb[k].add(x, cur[k][0])
            sn[k].add(x, cur[k][1])
    w = sb[None].w if x_end else 1
    series = []
    for k in order:
        s = collections.OrderedDict([('device', None if k is None else k[0]),
                                     ('type', None if k is None or k[1] is None else TYPES[k[1]])])
        if k in sb:
            s['peak_bytes'] = sb[k].peak
            s['peak_bytes_x'] = sb[k].peak_x
            s['peak_buffers'] = sn[k].peak
            s['peak_buffers_x'] = sn[k].peak_x
            for name, st in (('bytes', sb[k]), ('buffers', sn[k])):
                s[name + '_min'] = [b[0] for b in st.b]
                s[name + '_max'] = [b[1] for b in st.b]
                s[name + '_last'] = [b[2] for b in st.b]
        s['end_bytes'] = cur[k][0]
        s['end_buffers'] = cur[k][1]
        series.append(s)
    # what was live after line x, recounted from the lifetimes
    def live_at(x):
        out = []
        for c, end, dev, typ, pid, size, rs in rp.tl_ents:
            if X(c) <= x and (end is None or X(end) > x):
                for loc, ns in rs:
                    if X(loc) <= x:
                        size = ns
                out.append({'device': dev, 'type': TYPES[typ], 'size': size, 'input': c[0], 'line': c[1], 'pid': pid})
        return out
    at_peak = []
    for s in series:
        if s['type'] is not None or 'peak_bytes_x' not in s:
            continue
        x = s['peak_bytes_x']
        live = [e for e in live_at(x) if s['device'] is None or e['device'] == s['device']]
        tally = collections.OrderedDict()
        for e in sorted(live, key=lambda e: (e['device'], TYPES.index(e['type']))):
            t = tally.setdefault((e['device'], e['type']), [0, 0])
            t[0] += 1
            t[1] += e['size']
        by_type = []
        for (dev, typ), (nb, b) in tally.items():
            r = collections.OrderedDict([('type', typ)])
            if s['device'] is None:
                r['device'] = dev
            r['buffers'] = nb
            r['bytes'] = b
            by_type.append(r)
        row = collections.OrderedDict([('device', s['device']), ('x', x), ('bytes', sum(e['size'] for e in live)),
                                       ('buffers', len(live)), ('by_type', by_type)])
        if s['device'] is None:
            gs = evidence.regroup(live, leakgen.EVIDENCE_WINDOW)
            rows = []
            for ms in gs:
                rows.append(collections.OrderedDict([
                    ('type', ms[0]['type']), ('size', ms[0]['size']), ('devices', sorted(m['device'] for m in ms)),
                    ('buffers', len(ms)), ('bytes', sum(m['size'] for m in ms)), ('first_line', ms[0]['line']),
                    ('first_input', ms[0]['input'])]))
            rows.sort(key=lambda r: (-r['bytes'], evidence.type_rank(r['type']), -r['size'], r['first_input'],
                                     r['first_line']))
            row['by_group'] = rows
        at_peak.append(row)

    def mark(xs):
        return collections.OrderedDict([('count', len(xs)), ('x', xs[:points])])
    marks = collections.OrderedDict([
        ('restarts', mark([X(r[0]) for r in rp.run_list[1:]])),
        ('dumps', mark([X(c[1]) for c in rp.checkpoints if c[0] == 'dump'])),
        ('cleanups', mark([X(c[3]) for c in rp.cleanups])),
        ('stats', mark([X(c[1]) for c in rp.checkpoints if c[0] == 'stats']))])
    wall = []
    k = collections.Counter()
    for c in rp.checkpoints:
        if c[0] == 'stats':
            k[c[3]] += 1
            wall.append(collections.OrderedDict([('x', X(c[1])), ('run', c[3]), ('seconds', 10 * k[c[3]])]))
    derived = collections.OrderedDict([
        ('x', 'server-log line'), ('lines', x_end), ('bucket_lines', w), ('buckets', len(sb[None].b)),
        ('inputs', [collections.OrderedDict([('input', i), ('first_x', first[i] + 1), ('lines', lines[i])])
                    for i in range(len(lines))]),
        ('marks', marks), ('wall', wall[:points]), ('series', series), ('at_peak', at_peak)])
    return derived, dbg, rp, msgs


def derive_debug(truth, dr):
    """timeline.debug (the all-devices and per-device series) of the debug
    log as TlDebugReplay read it, each series streamed line by line."""
    points = truth['timeline']['points']
    ins = [(k, i) for k, i in enumerate(truth['inputs']) if i.get('format') == 'buffer-debug-log']
    first = {}
    n = 0
    for k, i in ins:
        first[k] = n
        n += i['lines']
    x_end = n
    changes = collections.defaultdict(list)
    for (a, end, dev, size) in dr.tl:
        changes[first[a[0]] + a[1]].append((dev, size, 1))
        if end is not None:
            changes[first[end[0]] + end[1]].append((dev, -size, -1))
    devs = sorted(set(c[0] for lst in changes.values() for c in lst))
    order = [None] + devs
    cur = {k: [0, 0] for k in order}
    sb = {k: Stream(points) for k in order}
    sn = {k: Stream(points) for k in order}
    for x in range(1, x_end + 1):
        for dev, db, dn in changes.get(x, ()):
            for k in (None, dev):
                cur[k][0] += db
                cur[k][1] += dn
        for k in order:
            sb[k].add(x, cur[k][0])
            sn[k].add(x, cur[k][1])
    series = []
    for k in order:
        s = collections.OrderedDict([('device', k), ('type', None), ('peak_bytes', sb[k].peak),
                                     ('peak_bytes_x', sb[k].peak_x), ('peak_buffers', sn[k].peak),
                                     ('peak_buffers_x', sn[k].peak_x), ('end_bytes', cur[k][0]),
                                     ('end_buffers', cur[k][1])])
        for name, st in (('bytes', sb[k]), ('buffers', sn[k])):
            s[name + '_min'] = [b[0] for b in st.b]
            s[name + '_max'] = [b[1] for b in st.b]
            s[name + '_last'] = [b[2] for b in st.b]
        series.append(s)
    return collections.OrderedDict([
        ('x', 'debug-log line'), ('lines', x_end), ('bucket_lines', sb[None].w), ('buckets', len(sb[None].b)),
        ('inputs', [collections.OrderedDict([('input', k), ('first_x', first[k] + 1), ('lines', i['lines'])])
                    for k, i in ins]),
        ('series', series)])


def check_series(name, tl, points):
    """A timeline side's own consistency: peak input/line from its x, the
    bucket counts, the last bucket's last = the end value, the largest
    bucket max = the peak, the width the smallest that fits; a list of problems."""
    P = []
    first = [i['first_x'] - 1 for i in tl['inputs']]
    idx = [i['input'] for i in tl['inputs']]
    nb = tl['buckets']
    for s in tl['series']:
        nm = '%s.series[%s/%s]' % (name, s['device'], s['type'])
        x = s['peak_bytes_x']
        if x == 0:
            exp = (None, None)
        else:
            i = bisect.bisect_left(first, x) - 1
            exp = (idx[i], x - first[i])
        if (s['peak_bytes_input'], s['peak_bytes_line']) != exp:
            P.append('%s: peak_bytes_input/line %s, x %d gives %s'
                     % (nm, (s['peak_bytes_input'], s['peak_bytes_line']), x, exp))
        for f in ('bytes_min', 'bytes_max', 'bytes_last', 'buffers_min', 'buffers_max', 'buffers_last'):
            if len(s[f]) != nb:
                P.append('%s.%s: %d buckets, not %d' % (nm, f, len(s[f]), nb))
        if nb and (s['bytes_last'][-1] != s['end_bytes'] or s['buffers_last'][-1] != s['end_buffers']):
            P.append('%s: the last bucket\'s last is not the end value' % nm)
        if nb and (max(s['bytes_max']) != s['peak_bytes'] or max(s['buffers_max']) != s['peak_buffers']):
            P.append('%s: the largest bucket max is not the peak' % nm)
    w = tl['bucket_lines']
    if nb != -(-tl['lines'] // w) or nb > points or (w > 1 and tl['lines'] <= points * (w // 2)):
        P.append('%s: %d lines in %d buckets of %d lines for %d points' % (name, tl['lines'], nb, w, points))
    return P


def check_truth(truth, files, tpath):
    """The truth's timeline against the derivation from the files and against
    its own other sections; (problems, features exercised)."""
    tl = truth['timeline']['server']
    dtl = truth['timeline'].get('debug')
    points = truth['timeline']['points']
    derived, dderived, rp, P = derive(truth, files, tpath)
    P = list(P)
    feats = collections.Counter()
    d = compare.Diff()
    if dtl is not None:
        # the derivation has peak input/line only through x: check_series checks those
        d.walk('timeline.debug', dderived, dtl)
        P.extend(check_series('timeline.debug', dtl, points))
        live = truth['debug']['live']
        if (dtl['series'][0]['end_buffers'], dtl['series'][0]['end_bytes']) != (live['buffers'], live['bytes']):
            P.append('timeline.debug: end %d buffers %d bytes, debug.live %s'
                     % (dtl['series'][0]['end_buffers'], dtl['series'][0]['end_bytes'], live))
        feats['debug'] = 1
        feats['temporary'] = sum(x.get('temporary', 0) for x in truth['debug']['sites'] + (truth['debug']['all_sites'] or []))
        feats['merges'] += dtl['bucket_lines'] > 1
    if tl is None:
        P.extend('derived from the files vs truth: ' + m for m in d.msgs)
        return P, feats
    d.walk('timeline.server', derived, tl)
    P.extend('derived from the files vs truth: ' + m for m in d.msgs)
    P.extend(check_series('timeline.server', tl, points))
    # the end values are what remains of the last run
    rem = truth['server']['remaining']
    ends = {(s['device'], s['type']): (s['end_buffers'], s['end_bytes']) for s in tl['series']}
    exp = {(None, None): (rem['buffers'], rem['bytes'])}
    for dv in rem['by_device']:
        exp[(dv['device'], None)] = (dv['buffers'], dv['bytes'])
        for t in dv['by_type']:
            exp[(dv['device'], t['type'])] = (t['buffers'], t['bytes'])
    for k, v in ends.items():
        if exp.get(k, (0, 0)) != v:
            P.append('series[%s/%s]: end %s, server.remaining %s' % (k[0], k[1], v, exp.get(k, (0, 0))))
    for k in exp:
        if k not in ends:
            P.append('series[%s/%s]: missing, server.remaining has it' % k)
    for name in ('restarts', 'cleanups', 'dumps', 'stats'):
        feats[name] = tl['marks'][name]['count']
    feats['restart_drop'] = truth['server']['live_at_restarts']['buffers']
    feats['merges'] += tl['bucket_lines'] > 1
    feats['resize'] = rp.resizes
    feats['inputs'] = len(tl['inputs']) - 1
    feats['zero_at_peak'] = sum(1 for r in tl['at_peak'] for t in r['by_type'] if t['bytes'] == 0)
    return P, feats


def check_bucket_functions(points, seed):
    """leakgen's tl_bucket_width, tl_buckets and tl_peak (from change points)
    against Stream (line by line) where the width changes; a list of problems."""
    import random
    r = random.Random(seed)
    P = []
    for x_end in (0, 1, 2, points - 1, points, points + 1, 2 * points, 2 * points + 1, 4 * points - 1, 4 * points,
                  4 * points + 1, 13 * points + 5):
        xs, vs = [], []
        v = 0
        for x in range(1, x_end + 1):
            if r.random() < 0.3:
                v = max(0, v + r.randint(-5, 6))
                xs.append(x)
                vs.append(v)
        st = Stream(points)
        j = 0
        cur = 0
        for x in range(1, x_end + 1):
            if j < len(xs) and xs[j] == x:
                cur = vs[j]
                j += 1
            st.add(x, cur)
        w = leakgen.tl_bucket_width(x_end, points)
        got = leakgen.tl_buckets(xs, vs, x_end, w)
        exp = ([b[0] for b in st.b], [b[1] for b in st.b], [b[2] for b in st.b])
        if w != st.w or list(got) != list(exp) or leakgen.tl_peak(xs, vs) != (st.peak, st.peak_x):
            P.append('leakgen bucket functions, %d lines for %d points: width %d, the stream %d; buckets %s; '
                     'the stream %s' % (x_end, points, w, st.w, compare.show(got), compare.show(exp)))
    return P


# --------------------------------------------------------------------------
# The report against the truth

def report_timeline(rep):
    tl = rep.get('timeline') if isinstance(rep, dict) else None
    return tl if isinstance(tl, dict) else None


def check_report(truth, rep):
    """The report's timeline against the truth's; (mismatches, notes)."""
    exp = truth['timeline']
    M = []
    notes = []
    rtl = report_timeline(rep)
    if rtl is None:
        return ['report: no timeline object'], notes
    d = compare.Diff()
    d.walk('timeline.points', exp['points'], rtl.get('points', compare.MISSING))
    if 'debug' in exp:
        # the truth has the all-devices and per-device series only
        ds = rtl.get('debug', compare.MISSING)
        if isinstance(ds, dict) and isinstance(ds.get('series'), list):
            ds = dict(ds)
            ds['series'] = [x for x in ds['series'] if not isinstance(x, dict) or x.get('type') is None]
        d.walk('timeline.debug', exp['debug'], ds)
    if exp['server'] is None:
        if rtl.get('server') is not None:
            M.append('timeline.server: expected <absent>, got %s' % compare.show(rtl['server']))
        return M + d.msgs, notes
    es = copy.deepcopy(exp['server'])
    rs = rtl.get('server', compare.MISSING)
    if isinstance(rs, dict) and isinstance(rs.get('series'), list):
        rs = dict(rs)
        known = set((s['device'], s['type']) for s in es['series'])
        keep = []
        for s in rs['series']:
            if isinstance(s, dict) and (s.get('device'), s.get('type')) not in known and \
                    s.get('peak_bytes') == 0 and s.get('peak_buffers') == 0:
                notes.append('the report has series device %s type %s, 0 all along; the truth has none'
                             % (s.get('device'), s.get('type')))
                continue
            keep.append(s)
        rs['series'] = keep
        omitted = rs.get('series_omitted', 0)
        if isinstance(omitted, int) and omitted > 0:
            have = set((s.get('device'), s.get('type')) for s in keep if isinstance(s, dict))
            gone = [s for s in es['series'] if s['type'] is not None and (s['device'], s['type']) not in have]
            if len(gone) != omitted:
                M.append('timeline.server.series_omitted: %d, but %d per-type series of the truth are missing'
                         % (omitted, len(gone)))
            es['series'] = [s for s in es['series'] if s not in gone]
    d.walk('timeline.server', es, rs)
    return M + d.msgs, notes


def fake_report(truth):
    """A report's timeline as the feature must write it, made from the truth."""
    tl = copy.deepcopy(truth['timeline'])
    if tl['server'] is not None:
        tl['server']['series_omitted'] = 0
    return {'timeline': tl}


def check_checker(truth):
    """check_report passes on a faithful report and fails on each wrong one."""
    P = []
    ok, _ = check_report(truth, fake_report(truth))
    if ok:
        P.append('checker: a faithful report gives %d mismatches, first: %s' % (len(ok), ok[0]))
    muts = []
    if truth['timeline'].get('debug') is not None:
        def dpeak(tl):
            tl['debug']['series'][-1]['peak_bytes'] -= 1
        muts.append(('a debug device\'s peak one byte less', dpeak))

        def dbucket(tl):
            b = tl['debug']['series'][0]['buffers_min']
            b[-1] += 1
        muts.append(('a debug bucket min', dbucket))
    for name, f in muts:
        rep = fake_report(truth)
        f(rep['timeline'])
        bad, _ = check_report(truth, rep)
        if not bad:
            P.append('checker: a report with %s passes' % name)
    tl = truth['timeline']['server']
    if tl is None:
        return P
    muts = []

    def peak(s):
        s['series'][0]['peak_bytes'] += 1
    muts.append(('the all-devices peak one byte more', peak))

    def peak_x(s):
        s['series'][1]['peak_bytes_x'] += 1
    muts.append(('a device\'s peak x', peak_x))

    def bucket(s):
        b = s['series'][-1]['bytes_max']
        b[len(b) // 2] += 4096
    muts.append(('a bucket max changed', bucket))

    def last(s):
        b = s['series'][0]['buffers_last']
        b[0] += 1
    muts.append(('a bucket last changed', last))

    def end(s):
        s['series'][0]['end_buffers'] -= 1
    muts.append(('the end buffers', end))

    def drop(s):
        del s['series'][-1]
    muts.append(('a series left out', drop))

    def swap(s):
        s['series'][1], s['series'][2] = s['series'][2], s['series'][1]
    muts.append(('two series swapped', swap))

    def width(s):
        s['bucket_lines'] *= 2
    muts.append(('the bucket width', width))
    if tl['marks']['stats']['count']:
        def mark(s):
            s['marks']['stats']['x'][-1] += 1
        muts.append(('a stats mark', mark))

        def wall(s):
            s['wall'][0]['seconds'] = 0
        muts.append(('a wall anchor', wall))
    if tl['at_peak'][0]['by_group']:
        def group(s):
            s['at_peak'][0]['by_group'][0]['bytes'] -= 1
        muts.append(('a group at the peak', group))
    if tl['at_peak'][0]['by_type']:
        def bt(s):
            s['at_peak'][0]['by_type'][-1]['buffers'] += 1
        muts.append(('a type at the peak', bt))

    def extra(s):
        x = copy.deepcopy(s['series'][1])
        x['device'] = 999
        s['series'].append(x)
    muts.append(('a series the truth has not', extra))
    for name, f in muts:
        rep = fake_report(truth)
        f(rep['timeline']['server'])
        bad, _ = check_report(truth, rep)
        if not bad:
            P.append('checker: a report with %s passes' % name)
    return P


# --------------------------------------------------------------------------

def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tool', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--seed', required=True)
    ap.add_argument('--self-check', action='store_true')
    ap.add_argument('--truth-only', action='store_true', help='with --self-check: do not run the tool')
    ap.add_argument('--require', default='', help='comma-separated features the truth must exercise: '
                                                   + ', '.join(FEATURES))
    opt, rest = ap.parse_known_args(argv)
    if '--timeline' not in rest and '--timeline-points' not in rest:
        rest = rest + ['--timeline']
    os.makedirs(opt.workdir, exist_ok=True)
    prefix = os.path.join(opt.workdir, 'case')
    gargs = ['--seed', opt.seed, '--out', prefix, '--quiet'] + rest
    print('leakgen ' + ' '.join(gargs))
    sys.stdout.flush()
    truth, files = leakgen.generate(gargs)
    tpath = prefix + '.truth.json'
    truth = compare.load(tpath)
    if truth.get('timeline') is None:
        print('GENERATOR BUG: the truth has no timeline section')
        return 1
    tl = truth['timeline']['server']
    if tl is not None:
        print('%d lines, %d buckets of %d; %d series; peak %d bytes at x %d; marks %s'
              % (tl['lines'], tl['buckets'], tl['bucket_lines'], len(tl['series']), tl['series'][0]['peak_bytes'],
                 tl['series'][0]['peak_bytes_x'],
                 ', '.join('%s %d' % (k, v['count']) for k, v in tl['marks'].items())))
    if opt.self_check:
        msgs, feats = check_truth(truth, files, tpath)
        msgs += check_checker(truth)
        msgs += check_bucket_functions(truth['timeline']['points'], int(opt.seed))
        missing = [k for k in opt.require.split(',') if k and not feats[k]]
        if missing:
            msgs.append('the truth exercises no %s (needed: %s)' % (', '.join(missing), opt.require))
        if msgs:
            print('GENERATOR BUG: the timeline truth is inconsistent:')
            compare.report(msgs)
            return 1
        print('timeline truth consistent with the files (%s)'
              % ', '.join('%s %d' % (k, feats[k]) for k in FEATURES))
        if opt.truth_only:
            return 0
    else:
        msgs = selfcheck.check(tpath, files)
        if msgs:
            print('GENERATOR BUG: selfcheck disagrees with the truth:')
            compare.report(msgs)
            return 1
    report = os.path.join(opt.workdir, 'report.json')
    extra = truth['generator'].get('tool_args', []) + ['--timeline-points', str(truth['timeline']['points'])]
    rep = run_case.report_against_truth(opt.tool, files, report, truth, tpath, extra=extra)
    if rep is None:
        return 1
    print('existing figures match the truth')
    msgs, notes = check_report(truth, rep)
    for n in notes:
        print('note: ' + n)
    if msgs:
        print('%d timeline mismatches (truth %s, report %s):' % (len(msgs), tpath, report))
        compare.report(msgs)
        return 1
    print('timeline matches the truth')
    return 0


if __name__ == '__main__':
    sys.exit(main())
