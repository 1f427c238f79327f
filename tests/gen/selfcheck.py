#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""selfcheck.py - check leakgen's truth against a second derivation.

  selfcheck.py TRUTH.json [FILES...]

Re-reads the files leakgen wrote (files default to the truth's input
paths, next to the truth file), recognises every line with its own
regular expressions, replays the server state machine and recomputes
`inputs` and `server`; then compares the result with the truth (the same
way compare.py compares a report).  It also re-checks every statistics and
dump block against the replay, which proves that checkpoints marked
`agrees: true` print exactly the replayed figures and the altered ones
do not.

This is a test of the generator only: leakgen never reads its output to
make the truth.  Exit 0 when consistent, 1 otherwise.
"""

import collections
import gzip
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402
import leakgen  # noqa: E402

TYPES = ('DRAM', 'L1', 'SYSTEM_MEMORY', 'L1_SMALL', 'TRACE')
TIDX = {t: i for i, t in enumerate(TYPES)}
BUCKET = (0, 1, 2, 2, 3)
U64 = (1 << 64) - 1
I32 = (1 << 31) - 1

ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
NONASCII = re.compile(r'[^\x00-\x7f]+')
NUM = r'(0x[0-9a-f]+|\d+)'
# leakgen --cuts: a 📋 line (any glyph rendering) inside the first half of a cut line
CUTFRAG = re.compile(r'[^\x00-\x7f]+ (Received DUMP_REMAINING request\.\.\.|DUMP_REMAINING complete\.)')

R_ALLOC = re.compile(r' \[PID (-?\d+)\] Allocated (\d+) bytes of (\w+) on device (-?\d+) \(buffer_id=' + NUM + r'(?:, ref_count=(\d+))?\)')
R_FREE = re.compile(r' \[PID (-?\d+)\] Freed buffer ' + NUM + r' on device (-?\d+) \((\d+) bytes(, FINAL|, ref_count=(\d+) remaining|)\)')
R_WUNK = re.compile(r' Warning: Deallocation for unknown buffer (\d+)')
R_UNK = re.compile(r' \[PID (-?\d+)\] Deallocation for unknown buffer ' + NUM +
                   r' on device (-?\d+) \((?:allocated before tracking started|never tracked or allocated before server started)\)')
R_AFREED = re.compile(r' \[PID (-?\d+)\] Deallocation for ALREADY FREED buffer (0x[0-9a-f]+) on device (-?\d+) \(allocs=\d+ frees=\d+\)')
R_CB = re.compile(r' \[(CB_ALLOC|CB_FREE)\] Device \d+: [+-][0-9.e+-]+ MB \(Total: [0-9.e+-]+ MB\)')
R_K = re.compile(r' \[(KERNEL_LOAD|KERNEL_UNLOAD)\] (?:\w+ kernel on )?Device \d+: [+-][0-9.e+-]+ MB \(Total: [0-9.e+-]+ MB\)')
ANCHORS = ('] Allocated ', '] Freed buffer ', '] Deallocation for ', '[CB_ALLOC] Device ', '[CB_FREE] Device ',
           '[KERNEL_LOAD] ', '[KERNEL_UNLOAD] ')

STATIC = [re.compile(p) for p in (
    r' Allocation Server started', r' Enhanced Allocation Server started \(with history tracking\)',
    r'   Listening on: \S+', r'   Press Ctrl\+C to stop',
    r' Background cleanup thread (started \(checking every 10s\)|stopped)', r' Allocation Server stopped',
    r' Device detection \(.*\):', r'   Device \d+: \w+ \(\d+GB DRAM, \d+MB L1\)( \[(Local|Remote|Local PCIe|Remote Ethernet)\])?',
    r'   Total: \d+ (PCIe )?device\(s\) detected( \(\d+ local, \d+ remote\))?',
    r'   Topology: \d+ local chip\(s\), \d+ remote chip\(s\)',
    r'   Note: Remote chip specs from topology \(hugepages needed for telemetry\)',
    r'DRAM size per channel: \d+', r'Number of DRAM channels: \d+', r'L1 size per core: \d+', r'Grid size: \d+x\d+',
    r'Arch: \w+', r'Is remote: [01]',
    r'  Detected dead processes, cleaning up orphaned buffers\.\.\.',
    r'    Removed \d+ (CBs|kernels) \(\S+ MB\) from PID \d+',
    r' Received DUMP_REMAINING request\.\.\.', r' DUMP_REMAINING complete\.',
    r'      History \(allocs=\d+ frees=\d+\):', r'        (ALLOC|REUSE|FREE) size=\d+ pid=-?\d+ ref=\d+',
    r'   Last 5 events for this buffer:', r'     (ALLOC|REUSE|FREE) size=\d+ pid=-?\d+ ref=\d+',
    r'\s+DETAILED KERNEL ALLOCATIONS\s+', r'Total kernel allocations: \d+', r' Device \d+ - Total: \S+ MB \(\d+ kernels\)',
    r'   Kernel ID: 0x[0-9a-f]+', r'     Size:      \S+ KB', r'     Owner PID: \d+', r'     Age:       \d+ seconds',
    r' DUMP_KERNELS complete\.', r'\s+DOUBLE-FREED BUFFERS\s+', r'Buffer 0x[0-9a-f]+ on device \d+:',
    r'  Total allocs: \d+, Total frees: \d+', r'  History:', r'    (ALLOC|REUSE|FREE) size=\d+ pid=-?\d+ ref=\d+',
    r'  Invalid (size \d+|device_id -?\d+) - ignoring message', r'  Invalid buffer_type \d+ for buffer \d+ on device \d+',
    r'  Too many consecutive errors \(\d+\) - closing connection \(likely protocol mismatch\)', r'Accept failed',
    r'Unknown message type: \d+', r' \[PID \d+\] Invalid buffer_type \d+( for buffer \d+ on device \d+)?',
    r' \[PID \d+\] Buffer reused with DIFFERENT size: old=\d+ new=\d+ \(buffer_id=\d+, device=\d+\)',
)]
R_STATS = re.compile(r' Current Statistics:')
R_SDEV = re.compile(r'  Device (\d+):')
R_SBUF = re.compile(r'    Buffers: (\d+)')
R_SDRAM = re.compile(r'    DRAM: (?:(\d+) bytes \((\S+) KB\)|(\S+) KB)')
R_SL1 = re.compile(r'    L1: (?:(\d+) bytes \((\S+) KB\)|(\S+) KB)')
R_STOT = re.compile(r'    Total: (?:(\d+) bytes|(\S+) KB)')
R_SACT = re.compile(r'  Active allocations: (\d+)')
R_DEAD = re.compile(r'   PID (\d+) is dead, removing its buffers\.\.\.')
R_REMOVED = re.compile(r'    Removed (\d+) buffers \((\S+) MB\) from PID (\d+)')
R_TITLE = re.compile(r'\s+REMAINING ALLOCATED BUFFERS\s+')
R_TRACKED = re.compile(r'Total tracked allocations: (\d+)')
R_DDEV = re.compile(r'Device (\d+):')
R_DTYPE = re.compile(r'  (\w+): (\d+) buffers, (\S+) MB total')
R_DBUF = re.compile(r'    - Buffer 0x([0-9a-f]+): (\S+) KB \(PID (\d+), ref_count=(\d+)\)')
R_PERFECT = re.compile(r' No buffers remaining - perfect cleanup!')
R_DREM = re.compile(r'Total remaining buffers: (\d+)')


def g(x):
    return '%g' % x


def num(s):
    return int(s, 16) if s.startswith('0x') else int(s)


class Replay:
    def __init__(self):
        self.runs = 0
        self.ev = collections.OrderedDict((k, 0) for k in (
            'alloc', 'alloc_ref', 'free_ref', 'free_final', 'free_unknown', 'cleanup_removed', 'dumps', 'stats_blocks'))
        self.unk_dev = collections.Counter()
        self.cause = [0, 0, 0, 0]   # never_seen, after_final_free, after_cleanup, after_restart
        self.cleanups = []
        self.checkpoints = []
        self.errors = []
        self.in_run = False
        self.prior = set()          # keys allocated in an earlier run
        self.run_list = []          # [loc, banner, ended_by, live, unk[5], cleanup[2], cps[2]]
        self.reset(False)

    def reset(self, enh):
        self.enh = enh
        self.live = {}
        self.stats = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
        self.ended = {}
        self.reuse = {}
        self.dump = None

    def start(self, enh, loc, banner=True):
        if self.run_list:
            r = self.run_list[-1]
            r[2] = 'restart'
            r[3] = live_summary(self.live)
            self.prior.update(k for k, x in self.reuse.items() if x[0] > 0)
        self.runs += 1
        self.in_run = True
        self.run_list.append([loc, banner, 'end_of_input', None, [0, 0, 0, 0, 0], [0, 0], [0, 0]])
        self.reset(enh)

    def implicit(self, loc):
        if not self.in_run:
            self.start(False, loc, False)

    def count_unknown(self, cause):
        self.cause[cause] += 1
        u = self.run_list[-1][4]
        u[0] += 1
        u[1 + cause] += 1

    def alloc(self, loc, pid, size, typ, dev, addr, ref):
        self.implicit(loc)
        k = (dev, addr)
        r = self.reuse.setdefault(k, [0, 0, 0, None, set(), set()])
        r[0] += 1
        r[3] = typ
        r[4].add(size)
        r[5].add(pid)
        e = self.live.get(k)
        if e is None:
            if ref is not None:
                self.errors.append('%s: ref_count alloc of a key that is not live' % (loc,))
            self.live[k] = [pid, size, typ, 1, loc, 0]
            st = self.stats[dev]
            st[BUCKET[typ]] += size
            st[4] += 1
            self.ev['alloc'] += 1
        else:
            e[3] += 1
            if ref != e[3]:
                self.errors.append('%s: printed ref_count %s, replay %d' % (loc, ref, e[3]))
            if self.enh:
                e[1] = size
            self.ev['alloc_ref'] += 1

    def free(self, loc, pid, addr, dev, size, final, ref):
        self.implicit(loc)
        k = (dev, addr)
        e = self.live.get(k)
        if e is None:
            self.errors.append('%s: free line for a key that is not live' % (loc,))
            return
        if e[0] != pid or e[1] != size:
            self.errors.append('%s: free prints pid/size %d/%d, stored %d/%d' % (loc, pid, size, e[0], e[1]))
        self.reuse[k][1] += 1
        e[3] -= 1
        if e[3] == 0:
            if not final:
                self.errors.append('%s: ref free reaching 0' % (loc,))
            del self.live[k]
            st = self.stats[dev]
            st[BUCKET[e[2]]] -= e[1]
            st[4] -= 1
            self.ended[k] = 1
            e[5] = 1
            self.ev['free_final'] += 1
        else:
            if final or ref != e[3]:
                self.errors.append('%s: ref count mismatch in free' % (loc,))
            self.ev['free_ref'] += 1

    def unknown(self, loc, addr, dev):
        self.implicit(loc)
        k = (dev, addr)
        if k in self.live:
            self.errors.append('%s: unknown free of a live key' % (loc,))
        self.ev['free_unknown'] += 1
        self.unk_dev[dev] += 1
        c = self.ended.get(k)
        self.count_unknown(c if c is not None else 3 if k in self.prior else 0)
        r = self.reuse.setdefault(k, [0, 0, 0, None, set(), set()])
        r[2] += 1

    def dead(self, loc, pid):
        n = nb = 0
        for k in [k for k, e in self.live.items() if e[0] == pid]:
            e = self.live.pop(k)
            st = self.stats[k[0]]
            st[BUCKET[e[2]]] -= e[1]
            st[4] -= 1
            self.ended[k] = 2
            e[5] = 2
            n += 1
            nb += e[1]
        self.cleanups.append([pid, n, nb, loc, self.runs])
        rc = self.run_list[-1][5]
        rc[0] += n
        rc[1] += nb
        self.ev['cleanup_removed'] += n
        return n, nb


def live_summary(live):
    O = collections.OrderedDict
    bydev = {}
    for (dev, addr), e in live.items():
        t = bydev.setdefault(dev, {}).setdefault(e[2], [0, 0])
        t[0] += 1
        t[1] += e[1]
    devs = []
    for dev in sorted(bydev):
        bt = [O([('type', TYPES[t]), ('buffers', v[0]), ('bytes', v[1])]) for t, v in sorted(bydev[dev].items())]
        devs.append(O([('device', dev), ('buffers', sum(x['buffers'] for x in bt)), ('bytes', sum(x['bytes'] for x in bt)),
                       ('by_type', bt)]))
    return O([('buffers', sum(x['buffers'] for x in devs)), ('bytes', sum(x['bytes'] for x in devs)), ('by_device', devs)])


def read_lines(path):
    with open(path, 'rb') as f:
        data = f.read()
    comp = data[:2] == b'\x1f\x8b'
    if comp:
        data = gzip.decompress(data)
    return comp, data


def check(truth_path, files=None):
    truth = compare.load(truth_path)
    argv = truth.get('generator', {}).get('argv', [])
    grep_n = '--grep-n' in argv
    cuts = '--cuts' in argv
    d = os.path.dirname(truth_path)
    if not files:
        files = [os.path.join(d, i['path']) for i in truth['inputs']]
    rp = Replay()
    inputs = []
    problems = []
    block = None      # ('stats', loc, rows, agrees-state) or ('dump', ...)
    dbg = None
    nserver = 0
    for fi, path in enumerate(files):
        if fi < len(truth['inputs']) and truth['inputs'][fi].get('format') == 'buffer-debug-log':
            if dbg is None:
                dbg = DebugReplay(truth.get('generator', {}).get('tool_args', []), '--debug-killed' in argv)
            inputs.append(dbg.read(fi, path, problems))
            continue
        nserver += 1
        comp, data = read_lines(path)
        raw = data.split(b'\n')
        if raw and raw[-1] == b'':
            raw.pop()
        nrec = nfor = nmal = njoin = 0

        def undecorate(li):
            line = raw[li].decode('utf-8', 'replace')
            if line.endswith('\r'):
                line = line[:-1]
            if grep_n:
                m = re.match(r'(\d+):', line)
                if not m or int(m.group(1)) != li + 1:
                    problems.append('%s:%d: bad grep -n prefix' % (path, li + 1))
                else:
                    line = line[m.end():]
            return ANSI.sub('', line)

        li = -1
        while li + 1 < len(raw):
            li += 1
            loc = (fi, li + 1)
            line = undecorate(li)
            m = CUTFRAG.search(line) if cuts else None
            if m and line[:m.start()].strip() and li + 1 < len(raw):
                # the first half of a cut line: the fragment first, then the
                # halves joined, numbered with the first, both recognized
                frag = m.group(0)
                kind = classify(NONASCII.sub('', frag), frag)
                block = apply(rp, kind, NONASCII.sub('', frag), loc, block, problems)
                line = line[:m.start()] + line[m.end():] + undecorate(li + 1)
                li += 1
                nrec += 1
                njoin += 1
            a = NONASCII.sub('', line)
            kind = classify(a, line)
            if kind is None:
                nfor += 1
                if not leakgen.foreign_ok(line):
                    problems.append('%s:%d: foreign line carries an anchor of ours: %r' % (path, li + 1, line[:120]))
                continue
            if kind == 'mal':
                nmal += 1
                continue
            nrec += 1
            block = apply(rp, kind, a, loc, block, problems)
        inputs.append(collections.OrderedDict([
            ('path', os.path.basename(path)), ('format', 'server-log'), ('compressed', comp), ('bytes', len(data)),
            ('lines', len(raw)), ('recognized_lines', nrec), ('foreign_lines', nfor), ('malformed_lines', nmal),
            ('joined_lines', njoin), ('truncated', False)]))
    if block is not None:
        finish_block(rp, block, problems)
    server = build_server(rp) if nserver else None
    derived = {'inputs': inputs, 'server': server}
    if dbg is not None:
        derived['debug'] = dbg.section(server, rp)
    elif 'debug' in truth:
        derived['debug'] = None
    msgs = compare.compare_truth(derived, truth)
    # compare_truth(expected=derived, got=truth): report as truth vs derivation
    return problems + rp.errors + msgs


class DebugReplay:
    """Re-reads a buffer debug log leakgen wrote (FORMATS.md 3.2) and applies
    the lifetime contract of REPORT-SCHEMA `debug` to what it reads."""

    SEPS = (leakgen.dbglog.SEP_UTF8, leakgen.dbglog.SEP_MACROMAN, leakgen.dbglog.SEP_CP1252)
    TITLES = {'BUFFER ALLOCATED': 'A', 'BUFFER DEALLOCATED': 'D',
              'BUFFER DESTRUCTOR (still ALLOCATED - will deallocate)': 'X'}
    R_ADDR = re.compile(r'Address: 0x([0-9a-f]+) \((\d+)\)')
    R_SIZE = re.compile(r'Size: (\d+) bytes \((\S+) KB\)')

    def __init__(self, tool_args, killed=False):
        self.killed = killed
        depth = None
        skips = []
        self.all = '--all-allocations' in tool_args
        self.temp_k = None            # --temporary K
        self.temp = {}                # key -> [lifetimes, bytes] freed with at most K ALLOCATED blocks between
        for i, a in enumerate(tool_args):
            if a == '--temporary':
                self.temp_k = int(tool_args[i + 1])
            if a == '--stack-depth':
                depth = int(tool_args[i + 1])
            elif a == '--skip-frames':
                skips.append(re.compile(tool_args[i + 1]))
        self.depth = depth
        self.skips = skips
        self.open = {}            # ptr -> dict
        self.prev = {}
        self.blocks = {'A': 0, 'D': 0, 'X': 0}
        self.sup = [0, 0]
        self.unmatched = 0
        self.seq = 0
        self.allsites = {}        # key -> [n, bytes, live, peak]

    def key(self, frames):
        fr = [f for f in frames if not any(r.search(f) for r in self.skips)]
        return tuple(fr if self.depth is None else fr[:self.depth])

    def read(self, fi, path, problems):
        comp, data = read_lines(path)
        raw = data.split(b'\n')
        if raw and raw[-1] == b'':
            raw.pop()
        nfor = 0
        blk = None
        for li, rawline in enumerate(raw):
            where = '%s:%d' % (path, li + 1)
            try:
                line = rawline.decode('utf-8')
            except UnicodeDecodeError:
                problems.append('%s: invalid UTF-8 in the debug log' % where)
                continue
            if line.endswith('\r'):
                line = line[:-1]
            if blk is None:
                if line in self.SEPS:
                    blk = {'n': 0, 'frames': [], 'line': li + 2, 'input': fi}
                    continue
                nfor += 1
                if not leakgen.dbglog.debug_foreign_ok(line):
                    problems.append('%s: foreign line looks like ours: %r' % (where, line[:80]))
                continue
            n = blk['n']
            blk['n'] += 1
            if n == 0:
                if line not in self.TITLES:
                    problems.append('%s: no title after a separator' % where)
                blk['kind'] = self.TITLES.get(line)
                continue
            if 'stack' in blk:
                if line == '':
                    self.apply(blk, where, problems)
                    blk = None
                elif line.startswith('    '):
                    blk['frames'].append(line[4:])
                else:
                    problems.append('%s: not a frame: %r' % (where, line[:80]))
                continue
            if line == 'Call Stack:':
                blk['stack'] = True
                continue
            name, _, val = line.partition(': ')
            blk[name] = val
            if name == 'Address':
                m = self.R_ADDR.fullmatch(line)
                if not m or int(m.group(1), 16) != int(m.group(2)):
                    problems.append('%s: bad Address line' % where)
            if name == 'Size':
                m = self.R_SIZE.fullmatch(line)
                if not m or m.group(2) != '%g' % (int(m.group(1)) / 1024.0):
                    problems.append('%s: bad Size line' % where)
        if blk is not None:
            if self.killed and 'stack' in blk and not data.endswith(b'\n'):
                self.apply(blk, path, problems)      # cut by the end of the file: counts as written
            else:
                problems.append('%s: the last block is not closed' % path)
        return collections.OrderedDict([
            ('path', os.path.basename(path)), ('format', 'buffer-debug-log'), ('compressed', comp), ('bytes', len(data)),
            ('lines', len(raw)), ('recognized_lines', len(raw) - nfor), ('foreign_lines', nfor), ('malformed_lines', 0),
            ('joined_lines', 0), ('truncated', False)])

    def apply(self, blk, where, problems):
        kind = blk.get('kind')
        fields = ('Time', 'Device', 'Address', 'Size', 'Type', 'Buffer*') + (('Owns Data', 'Hooked') if kind == 'A' else ())
        if any(f not in blk for f in fields) or len(blk['frames']) > 8:
            problems.append('%s: incomplete block' % where)
            return
        ptr = int(blk['Buffer*'], 16)
        self.blocks[kind] += 1
        if kind == 'A':
            old = self.open.pop(ptr, None)
            if old is not None:
                self.end(old)
                if not old['hooked']:
                    self.sup[0] += 1
                    self.sup[1] += old['size']
            self.seq += 1
            lt = {'nalloc': self.blocks['A'], 'dev': int(blk['Device']), 'addr': int(blk['Address'].split()[0], 16),
                  'size': int(blk['Size'].split()[0]), 'type': blk['Type'], 'hooked': blk['Hooked'] == 'yes',
                  'input': blk['input'], 'line': blk['line'], 'seq': self.seq, 'key': self.key(blk['frames'])}
            if lt['hooked'] and lt['addr'] != 0:
                problems.append('%s: hooked block with an address' % where)
            self.open[ptr] = lt
            if not lt['hooked']:
                a = self.allsites.setdefault(lt['key'], [0, 0, 0, 0])
                a[0] += 1
                a[1] += lt['size']
                a[2] += 1
                a[3] = max(a[3], a[2])
        elif kind == 'X' or self.prev.get(ptr) != 'X':
            lt = self.open.pop(ptr, None)
            if lt is None:
                self.unmatched += 1
            else:
                if self.temp_k is not None and not lt['hooked'] and self.blocks['A'] - lt['nalloc'] <= self.temp_k:
                    t = self.temp.setdefault(lt['key'], [0, 0])
                    t[0] += 1
                    t[1] += lt['size']
                self.end(lt)
        self.prev[ptr] = kind

    def end(self, lt):
        if not lt['hooked']:
            self.allsites[lt['key']][2] -= 1

    def section(self, server, rp):
        O = collections.OrderedDict
        live = [(p, lt) for p, lt in self.open.items() if not lt['hooked']]
        hooked = [lt for lt in self.open.values() if lt['hooked']]
        sites = {}
        for p, lt in live:
            s = sites.setdefault(lt['key'], [0, 0])
            s[0] += 1
            s[1] += lt['size']

        def fo(k):
            return tuple(f.encode('utf-8') for f in k)
        order = sorted(sites, key=lambda k: (-sites[k][1], -sites[k][0], fo(k)))
        idx = {k: i for i, k in enumerate(order)}
        leaks = sorted(live, key=lambda x: (-x[1]['size'], x[1]['dev'], x[1]['addr'], x[0]))
        allsites = None
        if self.all:
            allsites = [O([('frames', list(k)), ('allocations', v[0]), ('bytes', v[1]), ('peak_live', v[3])])
                        for k, v in sorted(self.allsites.items(), key=lambda kv: (-kv[1][1], -kv[1][0], fo(kv[0])))]
            if self.temp_k is not None:
                for row in allsites:
                    t = self.temp.get(tuple(row['frames']), (0, 0))
                    row['temporary'] = t[0]
                    row['temporary_bytes'] = t[1]
        if server is not None:
            newest = {}
            for p, lt in live:
                k = (lt['dev'], lt['addr'])
                if k not in newest or lt['seq'] > newest[k]['seq']:
                    newest[k] = lt
            w = wo = 0
            for lk in server['leaks']:
                lt = newest.get((lk['device'], lk['address']))
                lk['site'] = None if lt is None else idx[lt['key']]
                if lt is None:
                    wo += 1
                else:
                    w += 1
            server['join'] = O([('leaks_with_site', w), ('leaks_without_site', wo),
                                ('lifetimes_without_entry', sum(1 for p, lt in live if (lt['dev'], lt['addr']) not in rp.live))])
        return O([
            ('blocks', O([('allocated', self.blocks['A']), ('deallocated', self.blocks['D']), ('destructor', self.blocks['X'])])),
            ('live', O([('buffers', len(live)), ('bytes', sum(lt['size'] for p, lt in live))])),
            ('superseded', O([('buffers', self.sup[0]), ('bytes', self.sup[1])])),
            ('unmatched', self.unmatched),
            ('hooked', O([('buffers', len(hooked)), ('bytes', sum(lt['size'] for lt in hooked))])),
            ('leaks', [O([('pointer', p), ('device', lt['dev']), ('address', lt['addr']), ('type', lt['type']),
                          ('size', lt['size']), ('input', lt['input']), ('line', lt['line']), ('site', idx[lt['key']])])
                       for p, lt in leaks]),
            ('sites', [O([('frames', list(k)), ('buffers', sites[k][0]), ('bytes', sites[k][1])] +
                         ([('temporary', self.temp.get(k, (0, 0))[0]), ('temporary_bytes', self.temp.get(k, (0, 0))[1])]
                          if self.temp_k is not None else [])) for k in order]),
            ('all_sites', allsites)])


def classify(a, line):
    """None foreign, 'mal' malformed, else a kind tag."""
    if not a.strip(' '):
        return 'blank'          # blank, or a line of box glyphs only
    if '] Allocated ' in a:
        m = R_ALLOC.fullmatch(a)
        return ('alloc', m) if m and okm(m, (1, 4), (2, 5)) else 'mal'
    if '] Freed buffer ' in a:
        m = R_FREE.fullmatch(a)
        return ('free', m) if m and okm(m, (1, 3), (2, 4)) else 'mal'
    if '] Deallocation for unknown buffer ' in a:
        m = R_UNK.fullmatch(a)
        return ('unk', m) if m and okm(m, (1, 3), (2,)) else 'mal'
    if 'Warning: Deallocation for unknown buffer ' in a:
        m = R_WUNK.fullmatch(a)
        return ('wunk', m) if m and num(m.group(1)) <= U64 else 'mal'
    if '] Deallocation for ALREADY FREED buffer ' in a:
        m = R_AFREED.fullmatch(a)
        return ('unk', m) if m and okm(m, (1, 3), (2,)) else 'mal'
    if '[CB_' in a:
        return 'static' if R_CB.fullmatch(a) else 'mal'
    if '[KERNEL_' in a:
        return 'static' if R_K.fullmatch(a) else 'mal'
    for r, tag in ((R_STATS, 'stats'), (R_SDEV, 'sdev'), (R_SBUF, 'sbuf'), (R_SDRAM, 'sdram'), (R_SL1, 'sl1'),
                   (R_STOT, 'stot'), (R_SACT, 'sact'), (R_DEAD, 'dead'), (R_REMOVED, 'removed'), (R_TITLE, 'title'),
                   (R_TRACKED, 'tracked'), (R_DDEV, 'ddev'), (R_DTYPE, 'dtype'), (R_DBUF, 'dbuf'),
                   (R_PERFECT, 'perfect'), (R_DREM, 'drem')):
        m = r.fullmatch(a)
        if m:
            return (tag, m)
    if a == ' Allocation Server started':
        return 'banner'
    if a == ' Enhanced Allocation Server started (with history tracking)':
        return 'banner-enh'
    for r in STATIC:
        if r.fullmatch(a):
            return 'static'
    return None


def okm(m, small, big):
    for i in small:
        v = int(m.group(i))
        if v > I32 or v < -I32 - 1:
            return False
    for i in big:
        if num(m.group(i)) > U64:
            return False
    return True


def apply(rp, kind, a, loc, block, problems):
    if isinstance(kind, tuple):
        tag, m = kind
    else:
        tag, m = kind, None
    # close an open block when a line that cannot belong to it arrives
    if block is not None:
        bk = block[0]
        if bk == 'stats' and tag not in ('sdev', 'sbuf', 'sdram', 'sl1', 'stot', 'sact'):
            problems.append('%s: stats block not closed' % (loc,))
            block = None
        elif bk == 'dump' and tag not in ('tracked', 'blank', 'ddev', 'dtype', 'dbuf', 'perfect', 'drem', 'static'):
            finish_block(rp, block, problems)
            block = None
    if tag == 'banner' or tag == 'banner-enh':
        rp.start(tag == 'banner-enh', loc)
    elif tag == 'alloc':
        rp.alloc(loc, int(m.group(1)), int(m.group(2)), TIDX[m.group(3)], int(m.group(4)), num(m.group(5)),
                 int(m.group(6)) if m.group(6) else None)
    elif tag == 'free':
        rp.free(loc, int(m.group(1)), num(m.group(2)), int(m.group(3)), int(m.group(4)), m.group(5) in (', FINAL', ''),
                int(m.group(6)) if m.group(6) else None)
    elif tag == 'unk':
        rp.unknown(loc, num(m.group(2)), int(m.group(3)))
    elif tag == 'wunk':
        rp.implicit(loc)
        rp.ev['free_unknown'] += 1
        rp.count_unknown(0)
    elif tag == 'dead':
        rp._dead_pending = (loc, int(m.group(1)))
    elif tag == 'removed':
        ploc, pid = rp._dead_pending
        if int(m.group(3)) != pid:
            problems.append('%s: Removed line for another PID' % (loc,))
        n, nb = rp.dead(ploc, pid)
        if int(m.group(1)) != n or m.group(2) != g(nb / 1048576.0):
            problems.append('%s: cleanup prints %s/%s, replay %d/%s' % (loc, m.group(1), m.group(2), n, g(nb / 1048576.0)))
    elif tag == 'stats':
        block = ['stats', loc, [], None]
    elif tag in ('sdev', 'sbuf', 'sdram', 'sl1', 'stot'):
        if block is None or block[0] != 'stats':
            problems.append('%s: stats line outside a block' % (loc,))
        else:
            block[2].append((tag, m.groups()))
    elif tag == 'sact':
        if block is None or block[0] != 'stats':
            problems.append('%s: stats line outside a block' % (loc,))
        else:
            block[3] = int(m.group(1))
            finish_block(rp, block, problems)
            block = None
    elif tag == 'title':
        block = ['dump', loc, [], None]
        rp.dump = (loc, [(e, e[1]) for e in rp.live.values()])
    elif tag in ('tracked', 'ddev', 'dtype', 'dbuf', 'perfect', 'drem'):
        if block is None or block[0] != 'dump':
            problems.append('%s: dump line outside a block' % (loc,))
        else:
            block[2].append((tag, m.groups()))
    return block


def finish_block(rp, block, problems):
    kind, loc, rows, extra = block
    if kind == 'stats':
        rp.ev['stats_blocks'] += 1
        exp = []
        for dev in sorted(rp.stats):
            st = rp.stats[dev]
            if st[0] + st[1] + st[2] + st[3] > 0 or st[4] > 0:
                tot = st[0] + st[1] + st[2] + st[3]
                exp.append(('sdev', (str(dev),)))
                exp.append(('sbuf', (str(st[4]),)))
                if rp.enh:
                    exp.append(('sdram', (None, None, g(st[0] / 1024.0))))
                    exp.append(('sl1', (None, None, g(st[1] / 1024.0))))
                    exp.append(('stot', (None, g(tot / 1024.0))))
                else:
                    exp.append(('sdram', (str(st[0]), g(st[0] / 1024.0), None)))
                    exp.append(('sl1', (str(st[1]), g(st[1] / 1024.0), None)))
                    exp.append(('stot', (str(tot), None)))
        agrees = exp == rows and extra == len(rp.live)
        rp.checkpoints.append(['stats', loc, agrees, rp.runs])
        rp.run_list[-1][6][0] += 1
        rp.run_list[-1][6][1] += not agrees
    else:
        rp.ev['dumps'] += 1
        live = rp.live
        exp = [('tracked', (str(len(live)),))]
        if not live:
            exp.append(('perfect', ()))
        else:
            bydev = {}
            for (dev, addr), e in live.items():
                bydev.setdefault(dev, {}).setdefault(e[2], []).append((addr, e))
            for dev in sorted(bydev):
                exp.append(('ddev', (str(dev),)))
                for t in sorted(bydev[dev]):
                    ents = bydev[dev][t]
                    exp.append(('dtype', (TYPES[t], str(len(ents)), g(sum(e[1] for _, e in ents) / 1048576.0))))
                    if len(ents) <= 10:
                        bl = sorted(('%x' % addr, g(e[1] / 1024.0), str(e[0]), str(e[3])) for addr, e in ents)
                        exp.extend(('dbuf', b) for b in bl)
            exp.append(('drem', (str(len(live)),)))
        # buffer order inside a type is arbitrary: sort runs of dbuf rows
        got = []
        run = []
        for r in rows:
            if r[0] == 'dbuf':
                run.append(r)
                continue
            got.extend(sorted(run, key=lambda x: x[1]))
            run = []
            got.append(r)
        got.extend(sorted(run, key=lambda x: x[1]))
        expn = []
        run = []
        for r in exp:
            if r[0] == 'dbuf':
                run.append(r)
                continue
            expn.extend(sorted(run, key=lambda x: x[1]))
            run = []
            expn.append(r)
        expn.extend(sorted(run, key=lambda x: x[1]))
        rp.checkpoints.append(['dump', loc, expn == got, rp.runs])
        rp.run_list[-1][6][0] += 1
        rp.run_list[-1][6][1] += expn != got


def build_server(rp):
    O = collections.OrderedDict
    remaining = live_summary(rp.live)

    def causes(c):
        return O([('never_seen', c[0]), ('after_final_free', c[1]), ('after_cleanup', c[2]), ('after_restart', c[3])])
    run_list = []
    lr = [0, 0]
    for i, (loc, banner, ended_by, live, unk, cl, cps) in enumerate(rp.run_list):
        if i == len(rp.run_list) - 1:
            live = remaining
        else:
            lr[0] += live['buffers']
            lr[1] += live['bytes']
        run_list.append(O([('index', i + 1), ('input', loc[0]), ('line', loc[1]), ('banner', banner),
                           ('ended_by', ended_by), ('live', live),
                           ('unknown_frees', O([('count', unk[0]), ('by_cause', causes(unk[1:]))])),
                           ('cleanup', O([('buffers', cl[0]), ('bytes', cl[1])])),
                           ('checkpoints', cps[0]), ('checkpoints_disagree', cps[1])]))
    leaks = [O([('device', dev), ('address', addr), ('type', TYPES[e[2]]), ('size', e[1]), ('pid', e[0]),
                ('ref_count', e[3]), ('input', e[4][0]), ('line', e[4][1]), ('site', None)])
             for (dev, addr), e in rp.live.items()]
    leaks.sort(key=lambda x: (-x['size'], x['device'], x['address']))
    unk = O([('count', rp.ev['free_unknown']),
             ('by_device', [O([('device', d), ('count', rp.unk_dev[d])]) for d in sorted(rp.unk_dev)]),
             ('by_cause', causes(rp.cause))])
    cleanup = [O([('pid', p), ('buffers', n), ('bytes', b), ('input', l[0]), ('line', l[1]), ('run', r)])
               for p, n, b, l, r in rp.cleanups]
    reuse = []
    for (dev, addr), r in rp.reuse.items():
        if r[0] >= 2 or r[2] >= 1:
            e = rp.live.get((dev, addr))
            reuse.append(O([('device', dev), ('address', addr), ('type', TYPES[r[3]] if r[3] is not None else None),
                            ('allocs', r[0]), ('frees', r[1]), ('unknown_frees', r[2]), ('net', r[0] - r[1]),
                            ('sizes', sorted(r[4])), ('pids', sorted(r[5])), ('live_ref_count', e[3] if e else 0)]))
    reuse.sort(key=lambda x: (-x['net'], -x['allocs'], x['device'], x['address']))
    cps = [O([('kind', k), ('input', l[0]), ('line', l[1]), ('agrees', a), ('run', r)]) for k, l, a, r in rp.checkpoints]
    dl = None
    if rp.dump is not None:
        loc, snap = rp.dump
        c = [[0, 0] for _ in range(4)]
        for e, size in snap:
            j = 1 if e[5] == 1 else 2 if e[5] == 2 else 3
            for x in (c[0], c[j]):
                x[0] += 1
                x[1] += size
        bb = [O([('buffers', x[0]), ('bytes', x[1])]) for x in c]
        dl = O([('input', loc[0]), ('line', loc[1]), ('at_dump', bb[0]), ('freed_later', bb[1]),
                ('removed_by_cleanup', bb[2]), ('still_live', bb[3]), ('run', rp.runs)])
    return O([('runs', rp.runs), ('last_run', run_list[-1] if run_list else None), ('run_list', run_list),
              ('live_at_restarts', O([('buffers', lr[0]), ('bytes', lr[1])])), ('events', rp.ev), ('remaining', remaining), ('leaks', leaks), ('unknown_frees', unk),
              ('cleanup', cleanup), ('reuse', reuse), ('checkpoints', cps), ('dump_lifecycle', dl), ('join', None)])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.stderr.write(__doc__)
        return 2
    msgs = check(argv[0], argv[1:])
    compare.report(msgs)
    return 1 if msgs else 0


if __name__ == '__main__':
    sys.exit(main())
