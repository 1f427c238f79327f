#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""evidence.py - allocation groups and evidence classes (issue 14 part 7) against leakgen's truth.

  evidence.py --tool PATH --workdir DIR --seed N [--self-check] [leakgen options...]

Generates DIR/case.* with leakgen (--evidence is added when neither
--groups nor --evidence is given), checks the generator against itself
(selfcheck.py), runs `PATH --format json -o DIR/report.json FILES` and
compares the report with the truth's existing `inputs` and `server`
sections (compare.py), then

  without --self-check: the truth's `evidence` with the report:
    - server.leaks[] (by device and address): seq, phase, dump_phase,
      tenth, lifetime_lines, size_class;
    - the partition of the leaks into groups (leaks[].group): the truth's
      groups and the report's evidence.groups[] must map one to one, and
      every group has the same index (the sort order) and the same type,
      size, devices, buffers, bytes, input, first_line, last_line, pids,
      shape and missing_devices;
    - evidence.run_totals.
  with --self-check (also, then, the comparison above):
    the truth's `evidence` is consistent with itself (the group rule
    re-applied to its leaks gives its partition, every group's figures
    follow from its members, the classes follow from seq, the positions
    of the statistics blocks and dumps and the input line counts) and with
    a second derivation from the files leakgen wrote (selfcheck.py's
    replay, counting the last run's allocation lines that made an entry
    live: each leak's seq, run_totals, run_devices, the checkpoints).

The report's `evidence` object is looked up at the top level, then under
`server`.  Exit 0 when everything holds, 1 otherwise.
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

TYPE_ORDER = ('DRAM', 'L1', 'SYSTEM_MEMORY', 'L1_SMALL', 'TRACE')
LEAK_FIELDS = ('seq', 'phase', 'dump_phase', 'tenth', 'lifetime_lines', 'size_class')
ALSO = ('type', 'size', 'pid', 'input', 'line')
GROUP_FIELDS = ('type', 'size', 'devices', 'buffers', 'bytes', 'input', 'first_line', 'last_line', 'pids', 'shape',
                'missing_devices')
PHASES = ('before_first_stats', 'between_stats', 'after_last_stats', 'no_stats')
DUMP_PHASES = ('before_first_dump', 'after_first_dump', 'no_dump')
TENTHS = ('first_tenth', 'middle', 'last_tenth')
SHAPES = ('all_devices', 'one_device', 'some_devices')
BOUNDS = ('window_edge', 'window_split', 'input_split')


def addr(a):
    return hex(a) if isinstance(a, int) else str(a)


def leak_name(x):
    return 'device %s address %s' % (x.get('device'), addr(x.get('address')))


def type_rank(t):
    return (TYPE_ORDER.index(t), '') if t in TYPE_ORDER else (len(TYPE_ORDER), str(t))


# --------------------------------------------------------------------------
# The truth against itself

def regroup(leaks, window):
    """The group rule, written once more (per (type, size), then merged by
    position): a list of member lists, each in allocation order."""
    by_ts = collections.defaultdict(list)
    for x in leaks:
        by_ts[(x['type'], x['size'])].append(x)
    groups = []
    for members in by_ts.values():
        members.sort(key=lambda x: (x['input'], x['line']))
        cur = None
        for x in members:
            if cur is not None and x['input'] == cur[0]['input'] and x['line'] - cur[0]['line'] <= window and \
                    all(m['device'] != x['device'] for m in cur):
                cur.append(x)
            else:
                cur = [x]
                groups.append(cur)
    return groups


def phase_of(pos, stats):
    if not stats:
        return 'no_stats'
    if pos < tuple(stats[0]):
        return 'before_first_stats'
    if pos > tuple(stats[-1]):
        return 'after_last_stats'
    return 'between_stats'


def check_truth(ev):
    """Internal consistency of a truth's `evidence`; a list of problems."""
    P = []
    leaks = ev['leaks']
    groups = ev['groups']
    n = ev['run_totals']['allocations']
    run_devs = ev['run_devices']
    lines = ev['server_input_lines']
    stats = ev['stats_blocks']
    dumps = ev['dumps']
    seqs = [x['seq'] for x in leaks]
    if len(set(seqs)) != len(seqs):
        P.append('evidence: two leaks with the same seq')
    order = sorted(leaks, key=lambda x: (x['input'], x['line']))
    if [x['seq'] for x in order] != sorted(seqs):
        P.append('evidence: seq does not grow with the allocation position')
    for x in leaks:
        nm = leak_name(x)
        if not 1 <= x['seq'] <= n:
            P.append('%s: seq %d outside 1..%d' % (nm, x['seq'], n))
            continue
        pos = (x['input'], x['line'])
        exp = {
            'phase': phase_of(pos, stats),
            'dump_phase': 'no_dump' if not dumps else 'before_first_dump' if pos < tuple(dumps[0]) else 'after_first_dump',
            'tenth': {0: 'first_tenth', 9: 'last_tenth'}.get((x['seq'] - 1) * 10 // n, 'middle'),
            'lifetime_lines': (lines[x['input']] - x['line']) + sum(lines[x['input'] + 1:]),
            'size_class': max([0] + [1 << b for b in range(64) if (1 << b) <= x['size']]),
        }
        for k, v in exp.items():
            if x[k] != v:
                P.append('%s: %s is %r, the rule gives %r' % (nm, k, x[k], v))
        if x['device'] not in run_devs:
            P.append('%s: device not in run_devices' % nm)
    # the partition
    mine = regroup(leaks, ev['window'])
    theirs = collections.defaultdict(list)
    for x in leaks:
        theirs[x['group']].append(x)
    key = lambda ms: frozenset((m['device'], m['address']) for m in ms)  # noqa: E731
    a = set(key(ms) for ms in mine)
    b = set(key(ms) for ms in theirs.values())
    if a != b:
        P.append('evidence: the group rule re-applied gives %d groups, the truth %d; %d differ'
                 % (len(a), len(b), len(a ^ b)))
    if sorted(theirs) != list(range(len(groups))):
        P.append('evidence: leaks[].group does not cover groups 0..%d' % (len(groups) - 1))
    prev = None
    for i, gr in enumerate(groups):
        ms = sorted(theirs.get(i, []), key=lambda x: (x['input'], x['line']))
        if gr['index'] != i or not ms:
            P.append('groups[%d]: index %r, %d members' % (i, gr['index'], len(ms)))
            continue
        devs = sorted(m['device'] for m in ms)
        exp = {
            'type': ms[0]['type'], 'size': ms[0]['size'], 'devices': devs, 'buffers': len(ms),
            'bytes': sum(m['size'] for m in ms), 'input': ms[0]['input'], 'first_line': ms[0]['line'],
            'last_line': ms[-1]['line'], 'pids': sorted(set(m['pid'] for m in ms)),
            'shape': 'all_devices' if devs == run_devs else
                     'one_device' if len(devs) == 1 and len(run_devs) > 1 else 'some_devices',
            'missing_devices': sorted(set(run_devs) - set(devs)),
        }
        for k, v in exp.items():
            if gr[k] != v:
                P.append('groups[%d].%s is %r, its members give %r' % (i, k, gr[k], v))
        sk = (-gr['bytes'], type_rank(gr['type']), -gr['size'], gr['input'], gr['first_line'])
        if prev is not None and not prev < sk:
            P.append('groups[%d]: not in the order bytes desc, type, size desc, position' % i)
        prev = sk
    rt = ev['run_totals']
    if sum(t['allocations'] for t in rt['by_type']) != n or sum(t['bytes'] for t in rt['by_type']) != rt['bytes']:
        P.append('run_totals: by_type does not add up')
    if [t['type'] for t in rt['by_type']] != sorted((t['type'] for t in rt['by_type']), key=type_rank):
        P.append('run_totals: by_type not in server enum order')
    if len(leaks) > n:
        P.append('evidence: more leaks than allocation lines')
    return P


class EvReplay(selfcheck.Replay):
    """selfcheck.py's replay of the files, also counting each run's
    allocation lines that made an entry live (seq), by type and device."""
    last = None

    def __init__(self):
        super().__init__()
        EvReplay.last = self

    def reset(self, enh):
        super().reset(enh)
        self.ev_n = 0
        self.ev_types = {}
        self.ev_devs = set()

    def alloc(self, loc, pid, size, typ, dev, addr, ref):
        self.implicit(loc)
        new = (dev, addr) not in self.live
        super().alloc(loc, pid, size, typ, dev, addr, ref)
        if new:
            self.ev_n += 1
            self.live[(dev, addr)].append(self.ev_n)
            t = self.ev_types.setdefault(typ, [0, 0])
            t[0] += 1
            t[1] += size
            self.ev_devs.add(dev)


def check_files(truth_path, files, truth):
    """The truth's evidence against a replay of the files; a list of problems."""
    saved = selfcheck.Replay
    selfcheck.Replay = EvReplay
    try:
        msgs = selfcheck.check(truth_path, files)
    finally:
        selfcheck.Replay = saved
    rp = EvReplay.last
    ev = truth['evidence']
    P = list(msgs)
    if rp.ev_n != ev['run_totals']['allocations']:
        P.append('files: the last run has %d allocation lines that made an entry live, the truth %d'
                 % (rp.ev_n, ev['run_totals']['allocations']))
    bt = [collections.OrderedDict([('type', selfcheck.TYPES[t]), ('allocations', v[0]), ('bytes', v[1])])
          for t, v in sorted(rp.ev_types.items())]
    if bt != ev['run_totals']['by_type']:
        P.append('files: run_totals.by_type %s, the truth %s' % (json.dumps(bt), json.dumps(ev['run_totals']['by_type'])))
    if sorted(rp.ev_devs) != ev['run_devices']:
        P.append('files: run_devices %s, the truth %s' % (sorted(rp.ev_devs), ev['run_devices']))
    cps = [c for c in rp.checkpoints if c[3] == rp.runs]
    for kind, field in (('stats', 'stats_blocks'), ('dump', 'dumps')):
        got = sorted(list(c[1]) for c in cps if c[0] == kind)
        if got != ev[field]:
            P.append('files: %s of the last run at %s, the truth %s' % (field, got, ev[field]))
    tl = {(x['device'], x['address']): x for x in ev['leaks']}
    for (dev, a), e in rp.live.items():
        x = tl.get((dev, a))
        if x is None:
            P.append('files: live entry device %d address %s missing from evidence.leaks' % (dev, addr(a)))
        elif x['seq'] != e[6] or (x['input'], x['line']) != tuple(e[4]):
            P.append('files: device %d address %s: seq %d at %s, the truth %d at %s'
                     % (dev, a, e[6], e[4], x['seq'], (x['input'], x['line'])))
    if len(rp.live) != len(tl):
        P.append('files: %d live entries, evidence.leaks has %d' % (len(rp.live), len(tl)))
    lines = [i['lines'] for i in truth['inputs'] if i.get('format') == 'server-log']
    if lines != ev['server_input_lines']:
        P.append('evidence.server_input_lines %s, inputs %s' % (ev['server_input_lines'], lines))
    return P


def coverage(ev):
    """Which class values, shapes and group boundaries this truth exercises:
    window_edge (a group whose last member is exactly `window` lines after
    its first), window_split and input_split (a group of a (type, size)
    followed by one on other devices that the window or the next input cut
    off)."""
    c = collections.Counter()
    for x in ev['leaks']:
        c[x['phase']] += 1
        c[x['dump_phase']] += 1
        c[x['tenth']] += 1
    w = ev['window']
    by_ts = collections.defaultdict(list)
    for gr in ev['groups']:
        c[gr['shape']] += 1
        if gr['last_line'] - gr['first_line'] == w:
            c['window_edge'] += 1
        by_ts[(gr['type'], gr['size'])].append(gr)
    for grs in by_ts.values():
        grs.sort(key=lambda gr: (gr['input'], gr['first_line']))
        for a, b in zip(grs, grs[1:]):
            if set(a['devices']) & set(b['devices']):
                continue
            if b['input'] == a['input'] and b['first_line'] - a['first_line'] > w and b['first_line'] - a['last_line'] <= w:
                c['window_split'] += 1
            if b['input'] == a['input'] + 1 and b['first_line'] <= 50:
                c['input_split'] += 1
    return c


# --------------------------------------------------------------------------
# The report against the truth

def report_evidence(rep):
    ev = rep.get('evidence')
    if not isinstance(ev, dict) and isinstance(rep.get('server'), dict):
        ev = rep['server'].get('evidence')
    return ev if isinstance(ev, dict) else None


def check_report(truth, rep):
    """The report's per-leak fields, groups and run_totals against the truth;
    a list of mismatch messages."""
    ev = truth['evidence']
    M = []
    srv = rep.get('server') if isinstance(rep.get('server'), dict) else {}
    rleaks = srv.get('leaks') if isinstance(srv.get('leaks'), list) else []
    rmap = {}
    for y in rleaks:
        if isinstance(y, dict):
            rmap.setdefault((y.get('device'), y.get('address')), y)
    rev = report_evidence(rep)
    if rev is None:
        M.append('report: no evidence object (top level or server.evidence)')
        rgroups = []
    else:
        rgroups = rev.get('groups') if isinstance(rev.get('groups'), list) else []
        if not isinstance(rev.get('groups'), list):
            M.append('evidence.groups: missing or not a list')
    # per leak
    t2r = {}        # truth group -> report group of its members
    r2t = {}
    for x in ev['leaks']:
        nm = leak_name(x)
        y = rmap.get((x['device'], x['address']))
        if y is None:
            M.append('server.leaks[%s]: missing from the report' % nm)
            continue
        for k in ALSO + LEAK_FIELDS:
            if not compare.same_scalar(x[k], y.get(k, compare.MISSING)):
                M.append('server.leaks[%s].%s: expected %s, got %s' % (nm, k, compare.show(x[k]),
                                                                       compare.show(y.get(k, compare.MISSING))))
        gy = y.get('group', compare.MISSING)
        if not isinstance(gy, int) or isinstance(gy, bool):
            M.append('server.leaks[%s].group: expected a group index, got %s' % (nm, compare.show(gy)))
            continue
        gx = x['group']
        if gx in t2r and t2r[gx][0] != gy:
            other = t2r[gx][1]
            M.append('server.leaks[%s].group: the truth has it in one group with device %s address %s, '
                     'the report in groups %d and %d' % (nm, other['device'], addr(other['address']), gy, t2r[gx][0]))
        t2r.setdefault(gx, (gy, x))
        if gy in r2t and r2t[gy][0] != gx:
            other = r2t[gy][1]
            M.append('server.leaks[%s].group: the report puts it in group %d with device %s address %s, '
                     'the truth has them in different groups (%d and %d)'
                     % (nm, gy, other['device'], addr(other['address']), gx, r2t[gy][0]))
        r2t.setdefault(gy, (gx, x))
    if len(rleaks) != len(ev['leaks']):
        M.append('server.leaks: expected %d elements, got %d' % (len(ev['leaks']), len(rleaks)))
    # groups
    if len(rgroups) != len(ev['groups']):
        M.append('evidence.groups: expected %d groups, got %d' % (len(ev['groups']), len(rgroups)))
    for gr in ev['groups']:
        i = gr['index']
        m = t2r.get(i)
        if m is None:
            continue
        j = m[0]
        if j != i:
            M.append('evidence.groups: the truth\'s group %d (%s %d bytes, first line %d) is the report\'s group %d '
                     '(order: bytes desc, type, size desc, position)' % (i, gr['type'], gr['size'], gr['first_line'], j))
        if not 0 <= j < len(rgroups) or not isinstance(rgroups[j], dict):
            M.append('evidence.groups[%d]: no such group in the report (leaks point at it)' % j)
            continue
        for k in GROUP_FIELDS:
            got = rgroups[j].get(k, compare.MISSING)
            if isinstance(gr[k], list):
                if got != gr[k]:
                    M.append('evidence.groups[%d].%s: expected %s, got %s' % (j, k, compare.show(gr[k]), compare.show(got)))
            elif not compare.same_scalar(gr[k], got):
                M.append('evidence.groups[%d].%s: expected %s, got %s' % (j, k, compare.show(gr[k]), compare.show(got)))
    # run totals
    if rev is not None:
        d = compare.Diff()
        d.walk('evidence.run_totals', ev['run_totals'], rev.get('run_totals', compare.MISSING))
        M.extend(d.msgs)
    return M


def fake_report(truth):
    """A report as the feature must write it, made from the truth (the
    evidence fields on server.leaks[], evidence.groups without the truth's
    index, evidence.run_totals)."""
    rep = json.loads(json.dumps({'inputs': truth['inputs'], 'server': truth['server']}))
    ev = truth['evidence']
    by = {(x['device'], x['address']): x for x in ev['leaks']}
    for y in rep['server']['leaks']:
        x = by[(y['device'], y['address'])]
        for k in LEAK_FIELDS + ('group',):
            y[k] = x[k]
    rep['evidence'] = {'groups': [{k: v for k, v in gr.items() if k != 'index'} for gr in ev['groups']],
                       'run_totals': json.loads(json.dumps(ev['run_totals']))}
    return rep


def check_checker(truth):
    """check_report passes on a faithful report and fails on each of a few
    wrong ones; a list of problems (a checker that cannot fail is a defect)."""
    P = []
    ok = check_report(truth, fake_report(truth))
    if ok:
        P.append('checker: a faithful report gives %d mismatches, first: %s' % (len(ok), ok[0]))
    ev = truth['evidence']
    if not ev['leaks']:
        return P
    muts = []

    def phase(rep):
        y = rep['server']['leaks'][0]
        y['phase'] = 'no_stats' if y['phase'] != 'no_stats' else 'between_stats'
    muts.append(('a leak\'s phase', phase))

    def seq(rep):
        rep['server']['leaks'][-1]['seq'] += 1
    muts.append(('a leak\'s seq', seq))
    if len(ev['groups']) > 1:
        def merge(rep):
            for y in rep['server']['leaks']:
                if y['group'] == 1:
                    y['group'] = 0
            rep['evidence']['groups'][0]['buffers'] += rep['evidence']['groups'][1]['buffers']
            del rep['evidence']['groups'][1]
            for y in rep['server']['leaks']:
                if y['group'] > 1:
                    y['group'] -= 1
        muts.append(('two groups merged', merge))

        def swap(rep):
            g = rep['evidence']['groups']
            g[0], g[1] = g[1], g[0]
            for y in rep['server']['leaks']:
                if y['group'] in (0, 1):
                    y['group'] = 1 - y['group']
        muts.append(('two groups swapped', swap))
    big = [gr['index'] for gr in ev['groups'] if gr['buffers'] > 1]
    if big:
        def split(rep):
            i = big[0]
            g = rep['evidence']['groups']
            g.append(dict(g[i]))
            for y in rep['server']['leaks']:
                if y['group'] == i:
                    y['group'] = len(g) - 1
                    break
        muts.append(('a group split', split))

    def missing(rep):
        rep['evidence']['groups'][0]['missing_devices'] = rep['evidence']['groups'][0]['missing_devices'] + [99]
    muts.append(('a group\'s missing_devices', missing))

    def totals(rep):
        rep['evidence']['run_totals']['by_type'][0]['bytes'] += 1
    muts.append(('run_totals', totals))
    for name, f in muts:
        rep = fake_report(truth)
        f(rep)
        if not check_report(truth, rep):
            P.append('checker: a report with %s wrong passes' % name)
    return P


# --------------------------------------------------------------------------

def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tool', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--seed', required=True)
    ap.add_argument('--self-check', action='store_true')
    ap.add_argument('--require', default='',
                    help='comma-separated class values and shapes this truth must exercise (with --self-check)')
    opt, rest = ap.parse_known_args(argv)
    if '--groups' not in rest and '--evidence' not in rest:
        rest = rest + ['--evidence']
    os.makedirs(opt.workdir, exist_ok=True)
    prefix = os.path.join(opt.workdir, 'case')
    gargs = ['--seed', opt.seed, '--out', prefix, '--quiet'] + rest
    print('leakgen ' + ' '.join(gargs))
    sys.stdout.flush()
    truth, files = leakgen.generate(gargs)
    tpath = prefix + '.truth.json'
    truth = compare.load(tpath)
    if truth.get('evidence') is None:
        print('GENERATOR BUG: the truth has no evidence section')
        return 1
    ev = truth['evidence']
    cov = coverage(ev)
    print('%d leaks in %d groups, %d allocation lines in the last run; %s'
          % (len(ev['leaks']), len(ev['groups']), ev['run_totals']['allocations'],
             ', '.join('%s %d' % (k, cov[k]) for k in PHASES + DUMP_PHASES + TENTHS + SHAPES + BOUNDS if cov[k])))
    if opt.self_check:
        msgs = check_truth(ev) + check_files(tpath, files, truth) + check_checker(truth)
        missing = [k for k in opt.require.split(',') if k and not cov[k]]
        if missing:
            msgs.append('the truth exercises no %s (needed: %s)' % (', '.join(missing), opt.require))
        if msgs:
            print('GENERATOR BUG: the evidence truth is inconsistent:')
            compare.report(msgs)
            return 1
        print('evidence truth consistent with itself and with the files')
    else:
        msgs = selfcheck.check(tpath, files)
        if msgs:
            print('GENERATOR BUG: selfcheck disagrees with the truth:')
            compare.report(msgs)
            return 1
    report = os.path.join(opt.workdir, 'report.json')
    rep = run_case.report_against_truth(opt.tool, files, report, truth, tpath,
                                        extra=truth['generator'].get('tool_args', []))
    if rep is None:
        return 1
    print('existing figures match the truth')
    msgs = check_report(truth, rep)
    if msgs:
        print('%d evidence mismatches (truth %s, report %s):' % (len(msgs), tpath, report))
        compare.report(msgs)
        return 1
    print('evidence matches the truth')
    return 0


if __name__ == '__main__':
    sys.exit(main())
