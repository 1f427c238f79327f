#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""leakgen.py - independent generator of tt-metal allocation-server logs.

Simulates the allocation server of FORMATS.md section 2 (all versions V1-V6
and the enhanced server) driven by a model of realistic TT-Metal clients,
writes the log the server would have printed, and writes the report that
tt-leakcorr must produce (REPORT-SCHEMA.md `inputs` and `server`) computed
from the generator's own simulated state, never by reading the log back.
With --debug-log the same simulated clients also write a buffer debug log
(FORMATS.md section 3, dbglog.py) and the truth gains `debug`,
`server.leaks[].site` and `server.join`.  With --evidence (or --groups,
which also adds a mesh client to the last run) the truth gains `evidence`:
the allocation groups and evidence classes of the remaining entries
(evidence_truth; checked by evidence.py).

Standard library only.  Shares no code with tt-leakcorr.

The simulation uses its own random stream (seeded by --seed); every
decoration (noise, malformed lines, mojibake, ANSI, grep -n, CRLF, gzip,
altered checkpoints) uses a second stream, so the same seed gives the same
simulated run whatever decoration is asked for.
"""

import argparse
import bisect
import collections
import json
import os
import random
import re
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dbglog  # noqa: E402

# --------------------------------------------------------------------------
# Glyphs and fixed texts (FORMATS.md 1.2-1.14, 5.1)

CHECK = '\u2713'          # ✓
CROSS = '\u2717'          # ✗
WARN = '\u26a0'           # ⚠
WARNV = '\u26a0\ufe0f'    # ⚠️
CHART = '\U0001F4CA'      # 📊
CLIP = '\U0001F4CB'       # 📋
CYCLE = '\U0001F504'      # 🔄
STOP = '\U0001F6D1'       # 🛑
ROCKET = '\U0001F680'     # 🚀
MAG = '\U0001F50D'        # 🔍

BOX_TOP = '\u2554' + '\u2550' * 62 + '\u2557'
BOX_BOT = '\u255a' + '\u2550' * 62 + '\u255d'
BOX_V = '\u2551'
TITLE_REMAINING = BOX_V + ' ' * 11 + 'REMAINING ALLOCATED BUFFERS' + ' ' * 23 + BOX_V
TITLE_KERNELS = BOX_V + ' ' * 11 + 'DETAILED KERNEL ALLOCATIONS' + ' ' * 23 + BOX_V
TITLE_DFREED = BOX_V + ' ' * 11 + 'DOUBLE-FREED BUFFERS' + ' ' * 30 + BOX_V
KBOX_TOP = '  \u250c' + '\u2500' * 57 + '\u2510'
KBOX_BOT = '  \u2514' + '\u2500' * 57 + '\u2518'
KBOX_V = '  \u2502'

SOCK = '/tmp/tt_allocation_server.sock'

DRAM, L1, SYSMEM, L1S, TRACE = 0, 1, 2, 3, 4
TNAMES = ('DRAM', 'L1', 'SYSTEM_MEMORY', 'L1_SMALL', 'TRACE')
BUCKET = (0, 1, 2, 2, 3)          # stats bucket: DRAM, L1, L1_SMALL(+SYSTEM_MEMORY), TRACE
KIND_NAMES = ('Application', 'Fabric', 'Dispatch')
U64 = (1 << 64) - 1
MB = 1048576.0

VERSIONS = ('V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'ENH')
# --debug-log-only --bytes N: debug-log bytes per simulated server line
# (measured; only sizes the run, the truth does not depend on it)
DEBUG_BYTES_PER_SERVER_LINE = 1100


def g(x):
    """C printf %g (precision 6); Python's %-formatting follows C."""
    return '%g' % x


# --------------------------------------------------------------------------
# Mojibake (FORMATS.md 5.2).  Converting the whole UTF-8 text through the
# codec gives exactly the byte table of 5.2 for every server glyph (checked
# by selfcheck.py); ASCII is unchanged.

_CP1252_FIX = {}
for _i in range(0x80, 0xA0):
    try:
        _CP1252_FIX[_i] = bytes([_i]).decode('cp1252')
    except UnicodeDecodeError:
        pass     # 81 8d 8f 90 9d stay Latin-1, as most converters do


def moj_macroman(s):
    return s.encode('utf-8').decode('mac_roman')


def moj_cp1252(s):
    return s.encode('utf-8').decode('latin-1').translate(_CP1252_FIX)


_APPLE = re.compile('\uf8ff')

# --------------------------------------------------------------------------
# Foreign lines (noise).  None may contain an anchor of ours.

FORBIDDEN = (
    '[PID', 'Allocated ', 'Freed buffer', 'Deallocation', 'Current Statistics',
    '[CB_', '[KERNEL_', 'REMAINING', 'Removed ', 'Buffers:', 'DRAM:', 'L1:',
    'Total:', 'Active allocations', 'Listening on', 'Allocation Server',
    'Background cleanup', 'Detected dead', 'is dead', 'Total tracked',
    'Total remaining', 'DUMP_', 'Buffer 0x', 'perfect cleanup',
    'Device detection', 'detected', 'Topology:', 'Note: Remote', 'Arch:',
    'Grid size:', 'Is remote:', 'L1 size per core', 'DRAM size per channel',
    'Number of DRAM channels', 'Invalid', 'Unknown message type',
    'Too many consecutive', 'Accept failed', 'Press Ctrl+C', 'Kernel ID',
    'Size:', 'Owner PID', 'Age:', 'History', 'Last 5 events', 'Error:',
    'Usage:', 'Warning:', 'Server will', 'DETAILED KERNEL', 'Total kernel',
    'DOUBLE-FREED', 'Buffer reused', 'Total allocs', 'ALREADY FREED', 'size=',
    'Received', 'complete.', 'Failed to initialize', 'Enhanced', ' on device ',
    'bytes of ', 'buffer_id', 'ref_count', 'ALLOC', ' kernel on ', 'on Device',
    '] Device', 'No devices', 'No PCIe', 'PCIe device', 'device(s)',
    'stopped', 'cleanup thread',
)
_FORBIDDEN_RE = re.compile(r'^\s*(?:-\s*)?(?:Device \d|Buffer |\d+:)|[\u2550-\u256c\u2500-\u2518]')


def foreign_ok(line):
    if not line.strip(' \r'):
        return False
    plain = re.sub(r'\x1b\[[0-9;]*[A-Za-z]', '', line)
    if not plain.strip(' \r'):
        return False
    for f in FORBIDDEN:
        if f in plain:
            return False
    if _FORBIDDEN_RE.search(plain):
        return False
    return True


MODELS = ('llama3_subdevices/demo/text_demo.py::test_demo_text', 'llama3/demo/simple_text_demo.py::test_demo_text',
          't3000/falcon40b/demo/demo.py::test_demo', 'mistral7b/tests/test_mistral_decoder.py::test_decoder_inference',
          't3000/mixtral8x7b/demo/demo.py::test_mixtral8x7b_demo', 'qwen/tests/test_qwen_mlp.py::test_qwen_mlp')


class Noise:
    """Foreign-line factory; uses the decoration random stream."""

    def __init__(self, rng):
        self.r = rng
        self.t = [14, 32, 15, 123]

    def ts(self):
        t = self.t
        t[3] += self.r.randint(1, 400)
        if t[3] >= 1000:
            t[3] -= 1000
            t[2] += 1
            if t[2] >= 60:
                t[2] = 0
                t[1] += 1
                if t[1] >= 60:
                    t[1] = 0
                    t[0] = (t[0] + 1) % 24
        return '2025-10-20 %02d:%02d:%02d.%03d' % tuple(t)

    def logger(self):
        r = self.r
        c = r.randrange(10)
        if c == 0:
            return '%s | INFO     | Device          | Opening user mode device driver (tt_cluster.cpp:%d)' % (self.ts(), r.randint(100, 400))
        if c == 1:
            return '%s | INFO     | SiliconDriver   | Opened PCI device %d; KMD version: 1.29.0, IOMMU: disabled (pci_device.cpp:198)' % (self.ts(), r.randrange(4))
        if c == 2:
            return ('%s | INFO     | SiliconDriver   | Harvesting mask for chip %d is 0x%x (NOC0: 0x%x, simulated harvesting mask: 0x0). (cluster.cpp:282)'
                    % (self.ts(), r.randrange(8), r.choice((1, 2, 0x40, 0x201)), r.choice((1, 2, 0x40))))
        if c == 3:
            return ('%s | WARNING  | Always          | Firmware bundle version 18.6.0 on the system is newer than the latest fully tested version 18.3.0 for wormhole_b0 architecture (tt_cluster.cpp:244)'
                    % self.ts())
        if c == 4:
            return '%s | INFO     | Metal           | Initializing device %d. Program cache enabled (device.cpp:1153)' % (self.ts(), r.randrange(8))
        if c == 5:
            return '%s | INFO     | Metal           | Closing mesh device %d (mesh_device.cpp:512)' % (self.ts(), r.randrange(8))
        if c == 6:
            return '%s | INFO     | Fabric          | Fabric initialized on %d chips (fabric_host_interface.cpp:71)' % (self.ts(), r.choice((4, 8)))
        if c == 7:
            return '%s | INFO     | Metal           | DPRINT server attached to chip %d (dprint_server.cpp:433)' % (self.ts(), r.randrange(8))
        if c == 8:
            return '%s | INFO     | SiliconDriver   | Software version 6.0.0, Ethernet FW version 6.14.0 (chip %d) (cluster.cpp:1086)' % (self.ts(), r.randrange(8))
        return '                 Always | INFO     | Enabling program cache on mesh with %d chips' % r.choice((1, 4, 8))

    def pytest(self):
        r = self.r
        c = r.randrange(8)
        m = r.choice(MODELS)
        if c == 0:
            return 'PASSED models/demos/%s[wormhole_b0-performance-batch-%d]' % (m, r.choice((1, 32)))
        if c == 1:
            return 'FAILED models/demos/%s[wormhole_b0-accuracy-batch-1] - TT_FATAL @ ttnn/core/tensor/tensor.cpp:812' % m
        if c == 2:
            return '==== %d passed, %d warnings in %.1fs ====' % (r.randint(1, 9), r.randint(0, 40), r.uniform(5, 900))
        if c == 3:
            return '============================= test session starts =============================='
        if c == 4:
            return 'platform linux -- Python 3.10.12, pytest-7.2.2, pluggy-1.5.0'
        if c == 5:
            return 'collected %d items' % r.randint(1, 40)
        if c == 6:
            return 'models/demos/%s[wormhole_b0-performance-batch-1] ' % m
        return 'rootdir: /home/user/tt-metal, configfile: pytest.ini'

    def python(self):
        r = self.r
        c = r.randrange(10)
        if c == 0:
            return 'Loading weights from /proj_sw/llama3_1-8b/repacked (%d/%d)' % (r.randint(1, 32), 32)
        if c == 1:
            return 'Prefill finished in %.3f s' % r.uniform(0.1, 4)
        if c == 2:
            return 'Iteration %d: %.2f tok/s/user, TTFT %.1f ms' % (r.randint(0, 2000), r.uniform(5, 30), r.uniform(50, 200))
        if c == 3:
            return '[TT-Metal] Buffer debug logging enabled -> /tmp/tt_buffer_debug.log'
        if c == 4:
            return '\x1b[90m[realtime_monitor] %02d:%02d:%02d polling %s (dev0 dram=%.2fMB l1=%.2fMB)\x1b[0m' % (
                r.randrange(24), r.randrange(60), r.randrange(60), SOCK, r.uniform(0, 900), r.uniform(0, 90))
        if c == 5:
            return '\u2705 Model loaded, compiling decode trace ...'
        if c == 6:
            return 'Traceback (most recent call last):'
        if c == 7:
            return '  File "/home/user/tt-metal/models/tt_transformers/tt/generator.py", line %d, in decode_forward_text' % r.randint(100, 900)
        if c == 8:
            return 'TT_THROW @ tt_metal/impl/allocator/bank_manager.cpp:141: tt::exception (Out of Memory: not enough space for %d B)' % r.randint(1, 1 << 30)
        return 'user output:\t%s' % ('x' * r.randint(1, 64))

    def line(self):
        r = self.r.random()
        if r < 0.45:
            s = self.logger()
        elif r < 0.70:
            s = self.pytest()
        elif r < 0.995:
            s = self.python()
        else:
            s = 'ttnn tensor repr: [' + ', '.join('%.4f' % self.r.uniform(-2, 2) for _ in range(self.r.randint(200, 900))) + ']'
        return s


# --------------------------------------------------------------------------
# Output writer: decoration, file splitting, gzip members, line accounting.

# --cuts (FORMATS.md 1.1): the unlocked 📋 lines and the locked lines they can
# land inside (every line that changes state and is checked to its end).
FRAGMENTS = (CLIP + ' Received DUMP_REMAINING request...', CLIP + ' DUMP_REMAINING complete.')
CUTTABLE = re.compile(r'^. \[PID -?\d+\] (Allocated|Freed buffer|Deallocation for unknown buffer) |\[(CB|KERNEL)_|'
                      r'^    (Buffers|DRAM|L1|Total): |^  Active allocations: |^(  )?Device \d+:$|'
                      r'^   PID \d+ is dead|^   . Removed \d+ |^Total (tracked allocations|remaining buffers): |'
                      r'^  \w+: \d+ buffers, |^    - Buffer 0x')


class Writer:
    """Collects lines; decorates and writes them in batches.

    Line numbers are global (1-based over all files); `foreign` and `mal`
    hold the global numbers of foreign and malformed lines.
    """

    def __init__(self, prefix, opt, drng, est_lines, null=False):
        self.null = null
        self.lines = []
        self.base = 0
        self.foreign = []
        self.mal = []
        self.extra = 0           # decoration lines counted as ours (blank lines)
        self.opt = opt
        self.r = drng
        self.nl = '\r\n' if opt.crlf else '\n'
        self.killed = False
        k = max(1, opt.split)
        # split boundaries: global line where each file starts
        self.starts = [1]
        for i in range(1, k):
            self.starts.append(max(self.starts[-1] + 1, int(est_lines * i / k * drng.uniform(0.85, 1.1))))
        ext = '.log.gz' if opt.gzip else '.log'
        if k == 1:
            self.paths = [prefix + ext]
        else:
            self.paths = ['%s.%d%s' % (prefix, i + 1, ext) for i in range(k)]
        self.fbytes = [0] * k
        self.flines = [0] * k
        self.cur = -1
        self.fh = None
        self.comp = None
        est_bytes = est_lines * 100 / k
        self.member_limit = max(1, int(est_bytes / max(1, opt.gzip_members)))
        self.member_used = 0
        self.members = [0] * k
        self.moj = opt.mojibake
        self.ansi = opt.ansi
        self.grep = opt.grep_n
        self.per_line = self.ansi or self.grep or self.moj == 'mix'
        # --cuts draws from its own stream: the decoration is the same with or without cuts
        self.cut_rng = random.Random(opt.seed * 1000003 + 11)
        self.cut_lines = []      # (global number of a cut's second half, its line moved up one)

    # -- file handling
    def _open(self, i):
        self._close_cur()
        self.cur = i
        if self.null:
            return
        self.fh = open(self.paths[i], 'wb')
        if self.opt.gzip:
            self.comp = zlib.compressobj(6, zlib.DEFLATED, 31)
            self.member_used = 0
            self.members[i] = 1

    def _close_cur(self):
        if self.fh is not None:
            if self.comp is not None:
                self.fh.write(self.comp.flush())
                self.comp = None
            self.fh.close()
            self.fh = None

    def _write(self, data):
        i = self.cur
        self.fbytes[i] += len(data)
        if self.null:
            return
        if self.comp is None:
            self.fh.write(data)
            return
        # gzip: start a new member every member_limit decompressed bytes,
        # wherever that falls (mid-line, mid-character)
        while data:
            room = self.member_limit - self.member_used
            if room <= 0:
                self.fh.write(self.comp.flush())
                self.comp = zlib.compressobj(6, zlib.DEFLATED, 31)
                self.member_used = 0
                self.members[i] += 1
                continue
            part, data = data[:room], data[room:]
            self.fh.write(self.comp.compress(part))
            self.member_used += len(part)

    # -- cuts
    def _cut(self, lines, out, g0, last):
        """--cuts: a 📋 line lands inside the locked line after it (or, for the
        request line, which changes nothing, inside the one before it) at a
        random point after the line's first ASCII character; the rest of the
        locked line goes on the next line, so the line count is unchanged.
        lines are the server's lines, out the same lines decorated (mojibake,
        ANSI, grep -n), which are cut: the decoration draws exactly what it
        draws without cuts.  The halves stay in one file; tt-leakcorr must
        join them again, the joined line's events carrying the first half's
        number."""
        n = len(lines)
        bad = set(self.foreign[bisect.bisect_left(self.foreign, g0):bisect.bisect_left(self.foreign, g0 + n)])
        bad.update(self.mal[bisect.bisect_left(self.mal, g0):bisect.bisect_left(self.mal, g0 + n)])
        r = self.cut_rng
        rate = self.opt.cuts
        tail = n - 1 if last and self.killed else n    # the killed last line stays as it is
        grep = self.grep

        def ungrep(d):
            if not grep:
                return '', d
            i = d.index(':') + 1
            return d[:i], d[i:]

        def splice(xi, fi):
            """Cuts line xi with the fragment line fi; the first half goes where min(xi, fi) was."""
            x = lines[xi]
            q = r.randint(re.search(r'[!-~]', x).start() + 1, len(x) - 1)
            gx, xd = ungrep(out[xi])
            gf, fd = ungrep(out[fi])
            body = xd[:-4] if xd.endswith('\x1b[0m') else xd
            assert body.endswith(x[q:]), (xd, x[q:])   # the tail is ASCII, decorated as is
            p = len(body) - (len(x) - q)
            first, second = min(xi, fi), max(xi, fi)
            out[first] = (gf if fi == first else gx) + xd[:p] + fd
            out[second] = (gx if xi == second else gf) + xd[p:]

        k = 0
        used = -1
        while k < n:
            f = lines[k]
            if f in FRAGMENTS and g0 + k not in bad:
                if k + 1 < tail and g0 + k + 1 not in bad and CUTTABLE.search(lines[k + 1]) and \
                        len(lines[k + 1]) > 2 and r.random() < rate:
                    splice(k + 1, k)
                    self.cut_lines.append((g0 + k + 1, True))
                    used = k + 1
                    k += 2
                    continue
                if f == FRAGMENTS[0] and used < k - 1 and k < tail and g0 + k - 1 not in bad and \
                        CUTTABLE.search(lines[k - 1]) and len(lines[k - 1]) > 2 and r.random() < rate:
                    splice(k - 1, k)
                    self.cut_lines.append((g0 + k, False))
                    used = k
            k += 1

    # -- decoration
    def _decorate(self, lines, g0, fstart, last):
        """Turns lines (global numbers g0, g0+1, ...) of one file into bytes."""
        nl = self.nl
        moj = self.moj
        if not self.per_line:
            text = nl.join(lines)
            if moj == 'macroman':
                text = moj_macroman(text)
                r = self.r
                text = _APPLE.sub(lambda m: '' if r.random() < 0.3 else m.group(0), text)
            elif moj == 'cp1252':
                text = moj_cp1252(text)
            if self.opt.cuts:
                out = text.split(nl)   # mojibake never makes a line end
                self._cut(lines, out, g0, last)
                text = nl.join(out)
            if not (last and self.killed):
                text += nl
            return text.encode('utf-8', 'surrogatepass')
        r = self.r
        rnd = r.random
        fset = set(self.foreign[bisect.bisect_left(self.foreign, g0):bisect.bisect_left(self.foreign, g0 + len(lines))])
        mset = set(self.mal[bisect.bisect_left(self.mal, g0):bisect.bisect_left(self.mal, g0 + len(lines))])
        out = []
        ap = out.append
        gl = g0
        for s in lines:
            if moj == 'mix':
                c = rnd()
                if c < 0.33:
                    s = moj_macroman(s)
                    if '\uf8ff' in s and rnd() < 0.3:
                        s = s.replace('\uf8ff', '')
                elif c < 0.66:
                    s = moj_cp1252(s)
            elif moj == 'macroman':
                s = moj_macroman(s)
                if '\uf8ff' in s and rnd() < 0.3:
                    s = s.replace('\uf8ff', '')
            elif moj == 'cp1252':
                s = moj_cp1252(s)
            if self.ansi and s and gl not in fset and gl not in mset and rnd() < 0.15 and s.strip(' '):
                s = '\x1b[92m' + s + '\x1b[0m'
            if self.grep:
                s = '%d:%s' % (gl - fstart + 1, s)
            ap(s)
            gl += 1
        if self.opt.cuts:
            self._cut(lines, out, g0, last)
        text = nl.join(out)
        if not (last and self.killed):
            text += nl
        return text.encode('utf-8', 'surrogatepass')

    def flush(self, final=False):
        lines = self.lines
        n = len(lines)
        g0 = self.base + 1
        starts = self.starts
        pos = 0
        while pos < n:
            gl = g0 + pos
            fi = bisect.bisect_right(starts, gl) - 1
            while self.cur < fi:
                self._open(self.cur + 1)
            end = n if fi + 1 >= len(starts) else min(n, starts[fi + 1] - g0)
            chunk = lines[pos:end]
            last = final and end == n
            self._write(self._decorate(chunk, gl, starts[fi], last))
            self.flines[fi] += len(chunk)
            pos = end
        self.base += n
        self.lines = []
        if final:
            # files never reached are empty; they start past the last line
            for i in range(len(starts)):
                if starts[i] > self.base + 1:
                    starts[i] = self.base + 1
            while self.cur < len(starts) - 1:
                self._open(self.cur + 1)
            self._close_cur()

    def counts(self):
        """Per file: (lines, bytes, foreign, malformed)."""
        res = []
        k = len(self.starts)
        for i in range(k):
            a = self.starts[i]
            b = self.starts[i + 1] if i + 1 < k else self.base + 1
            f = bisect.bisect_left(self.foreign, b) - bisect.bisect_left(self.foreign, a)
            m = bisect.bisect_left(self.mal, b) - bisect.bisect_left(self.mal, a)
            res.append((self.flines[i], self.fbytes[i], f, m))
        return res

    def loc(self, gl):
        i = bisect.bisect_right(self.starts, gl) - 1
        return i, gl - self.starts[i] + 1


# --------------------------------------------------------------------------
# The server: state machine of FORMATS.md section 2, printing its lines and
# keeping the truth.

class Acc:
    """Truth accumulated over all runs."""

    def __init__(self):
        self.runs = 0
        self.ev = dict(alloc=0, alloc_ref=0, free_ref=0, free_final=0, free_unknown=0,
                       cleanup_removed=0, dumps=0, stats_blocks=0)
        self.unk_dev = collections.Counter()
        self.unk_cause = [0, 0, 0, 0]  # never_seen, after_final_free, after_cleanup, after_restart
        self.cleanups = []            # [pid, buffers, bytes, gline, run]
        self.checkpoints = []         # [kind, gline, agrees, run]
        self.run_list = []            # per run: RunRec


class RunRec:
    """One server run as the generator saw it: where it started, what was
    live when it ended, its own unknown frees, cleanup and checkpoints."""

    def __init__(self, gline, banner):
        self.gline = gline            # the banner, or the first line of ours (headless)
        self.banner = banner
        self.ended_by = 'end_of_input'
        self.live = None              # live_summary() when a restart ended it
        self.unk = [0, 0, 0, 0, 0]    # count, then the four causes
        self.cleanup = [0, 0]         # buffers, bytes
        self.cps = [0, 0]             # checkpoints, disagreeing


class Server:
    def __init__(self, w, acc, srng, drng, alter_set):
        self.w = w
        self.acc = acc
        self.r = srng
        self.dr = drng
        self.alter_set = alter_set    # indices of checkpoints to alter
        self.ncheck = 0
        self.version = None
        self.nev = 0
        self.deferred = None     # [line, nev] printed once nev events passed
        self.docrate = 0.0       # --doc-forms: share of lines in doc-only forms
        self.prior = set()       # keys allocated in an earlier run (after_restart)
        self.tl_ents = None      # --timeline: every entry's lifetime (timeline_truth)
        self.tl_live = {}        # --timeline: key -> its live entry's lifetime record
        self.reset()

    # ---- helpers
    block_noise = 0.0          # --noise-in-blocks rate (decoration stream)

    def blk(self):
        """The line emitter for multi-line blocks: with --noise-in-blocks,
        foreign lines of other writers may land inside the block."""
        app = self.w.lines.append
        if not self.block_noise:
            return app
        rate = self.block_noise
        rnd = self.dr.random
        fl = self.w.foreign_line
        nz = self.noise

        def e(s):
            app(s)
            if rnd() < rate:
                fl(nz.line())
        return e

    def lineno(self):
        w = self.w
        return w.base + len(w.lines) + 1

    def srv_lines(self):
        w = self.w
        # decoration must not change the simulation: only the server's own
        # lines count against the budget
        return w.base + len(w.lines) - len(w.foreign) - len(w.mal) - w.extra

    def reset(self):
        self.live = {}           # key -> [owner, size, type, ref, gline, end]
        self.stats = {}          # dev -> [dram, l1, l1small, trace, count]
        self.owned = collections.Counter()
        self.ended = {}          # key -> 1 final free, 2 cleanup
        self.reuse = {}          # key -> [allocs, frees, unk, type, sizes, pids]
        self.cb = {}             # (dev, id) -> [size, pid]
        self.cbtot = collections.Counter()
        self.cbown = collections.Counter()
        self.kern = {}           # (dev, id) -> [size, pid, kind, t]
        self.ktot = collections.Counter()
        self.kown = collections.Counter()
        self.hist = {}           # ENH: key -> [allocs, frees, first50, last5]
        self.dfreed = []         # ENH: keys reported ALREADY FREED (first-seen order)
        self.dfreed_set = set()
        self.livesum = {}        # ENH: dev -> [4 buckets] sum of stored sizes
        self.dump_snap = None    # last dump of this run: (gline, [(entry, size)])
        self._evidence_reset()

    # ---- evidence (issue 14 part 7): the run's allocation lines that made an entry live
    def _evidence_reset(self):
        """Per run: how many allocation lines made an entry live (the last one's
        ordinal is its entry's seq), their count and bytes by type, and the
        devices that had one."""
        self.ev_seq = 0
        self.ev_types = {}       # type -> [allocations, bytes]
        self.ev_devs = set()

    def _evidence_alloc(self, e, dev, size, typ):
        self.ev_seq += 1
        e.append(self.ev_seq)    # e[6]: seq within the run
        t = self.ev_types.get(typ)
        if t is None:
            t = self.ev_types[typ] = [0, 0]
        t[0] += 1
        t[1] += size
        self.ev_devs.add(dev)

    def set_version(self, v):
        self.version = v
        self.enh = v == 'ENH'
        self.hex = v not in ('V1', 'V2', 'V3')
        self.v56 = v in ('V5', 'V6')
        idf = '0x%x' if self.hex else '%d'
        self.f_anew = CHECK + ' [PID %d] Allocated %d bytes of %s on device %d (buffer_id=' + idf + ')'
        self.f_aref = CHECK + ' [PID %d] Allocated %d bytes of %s on device %d (buffer_id=' + idf + ', ref_count=%d)'
        self.f_fref = CROSS + ' [PID %d] Freed buffer ' + idf + ' on device %d (%d bytes, ref_count=%d remaining)'
        self.f_ffin = CROSS + ' [PID %d] Freed buffer ' + idf + ' on device %d (%d bytes, FINAL)'
        if self.enh:
            self.f_unk = WARN + ' [PID %d] Deallocation for unknown buffer 0x%x on device %d (never tracked or allocated before server started)'
        else:
            self.f_unk = WARN + ' [PID %d] Deallocation for unknown buffer ' + idf + ' on device %d (allocated before tracking started)'

    def key(self, dev, addr):
        return (addr << 16) | (dev & 0xffff)

    # ---- timeline (issue 15 part 8): each entry's lifetime, in global lines
    def _tl_end(self, k, gl):
        """--timeline: the live entry of key k is removed at line gl."""
        if self.tl_ents is not None:
            self.tl_live.pop(k)[1] = gl

    def _tl_restart(self, gl):
        """--timeline: a start banner at line gl ends every live entry."""
        if self.tl_ents is not None:
            for rec in self.tl_live.values():
                rec[1] = gl
            self.tl_live = {}

    # ---- run start / end
    def live_summary(self):
        """{buffers, bytes, by_device} of the live entries (remaining's shape)."""
        bydev = {}
        for k, ent in self.live.items():
            t = bydev.setdefault(k & 0xffff, {}).setdefault(ent[2], [0, 0])
            t[0] += 1
            t[1] += ent[1]
        devs = []
        tb = tn = 0
        for dev in sorted(bydev):
            types = bydev[dev]
            bt = []
            dn = db = 0
            for t in sorted(types):
                n, b = types[t]
                bt.append(collections.OrderedDict([('type', TNAMES[t]), ('buffers', n), ('bytes', b)]))
                dn += n
                db += b
            devs.append(collections.OrderedDict([('device', dev), ('buffers', dn), ('bytes', db), ('by_type', bt)]))
            tn += dn
            tb += db
        return collections.OrderedDict([('buffers', tn), ('bytes', tb), ('by_device', devs)])

    def run_rec(self):
        return self.acc.run_list[-1]

    def start_run(self, version, ndev, headless=False):
        self.flush_deferred()
        self.addr_forms_mark()
        if self.acc.run_list:
            # a restart: what was live, and the keys this run allocated
            rec = self.run_rec()
            rec.ended_by = 'restart'
            rec.live = self.live_summary()
            self.prior.update(k for k, r in self.reuse.items() if r[0] > 0)
        self.reset()
        self.set_version(version)
        self.acc.runs += 1
        if headless:
            # the run starts at its first line of ours: the allocation that follows
            self.acc.run_list.append(RunRec(self.lineno(), False))
            return
        e = self.w.lines.append
        v = version
        if v in ('V2', 'V3', 'V4'):
            e(MAG + ' Device detection (using TT-Metal APIs):')
            n = min(ndev, 4) if v == 'V2' else ndev
            for d in range(n):
                self.maybe_logger_noise()
                e('   Device %d: Wormhole_B0 (12GB DRAM, 108MB L1)' % d)
            e('   Total: %d PCIe device(s) detected' % n if v == 'V2' else '   Total: %d device(s) detected' % n)
        elif v == 'V5':
            e(MAG + ' Device detection (using UMD Cluster for accurate specs):')
            nloc = min(ndev, 4)
            for d in range(ndev):
                self.maybe_logger_noise()
                e('DRAM size per channel: 1073741824')
                e('Number of DRAM channels: 12')
                e('L1 size per core: 1499136')
                e('Grid size: 8x10')
                e('Arch: Wormhole_B0')
                e('Is remote: %d' % (1 if d >= nloc else 0))
                e('   Device %d: Wormhole_B0 (12GB DRAM, 114MB L1) [%s]' % (d, 'Remote' if d >= nloc else 'Local'))
            e('   Total: %d device(s) detected' % ndev)
        elif v == 'V6':
            e(MAG + ' Device detection (all chips via ClusterDescriptor, no hugepages):')
            nloc = min(ndev, 4)
            nrem = ndev - nloc
            e('   Topology: %d local chip(s), %d remote chip(s)' % (nloc, nrem))
            order = list(range(ndev))
            if self.r.random() < 0.5:
                self.r.shuffle(order)      # library set order
            for d in order:
                self.maybe_logger_noise()
                e('   Device %d: Wormhole_B0 (12GB DRAM, 108MB L1) [%s]' % (d, 'Remote Ethernet' if d >= nloc else 'Local PCIe'))
            e('   Total: %d device(s) detected (%d local, %d remote)' % (ndev, nloc, nrem))
            if nrem:
                e('   Note: Remote chip specs from topology (hugepages needed for telemetry)')
        if self.acc.run_list:
            self._tl_restart(self.lineno())
        self.acc.run_list.append(RunRec(self.lineno(), True))
        if self.enh:
            e(ROCKET + ' Enhanced Allocation Server started (with history tracking)')
            e('   Listening on: ' + SOCK)
        else:
            e(ROCKET + ' Allocation Server started')
            e('   Listening on: ' + SOCK)
            e('   Press Ctrl+C to stop')

    def cleanup_thread_line(self):
        if not self.enh:
            self.w.lines.append(CYCLE + ' Background cleanup thread started (checking every 10s)')

    def maybe_logger_noise(self):
        nz = self.noise
        if nz is not None and self.dr.random() < 0.6:
            for _ in range(self.dr.randint(1, 3)):
                self.w.foreign_line(nz.logger())

    noise = None

    def shutdown(self):
        self.flush_deferred()
        e = self.blk()
        self.stats_block()
        if self.enh:
            e('')
            e(STOP + ' Allocation Server stopped')
            e('')
            e(BOX_TOP)
            e(TITLE_DFREED)
            e(BOX_BOT)
            e('')
            for k in self.dfreed:
                h = self.hist[k]
                e('Buffer 0x%x on device %d:' % (k >> 16, k & 0xffff))
                e('  Total allocs: %d, Total frees: %d' % (h[0], h[1]))
                e('  History:')
                for ev in h[2]:
                    e('    %s size=%d pid=%d ref=%d' % ev)
                e('')
        else:
            e(CYCLE + ' Background cleanup thread stopped')
            e('')
            e(STOP + ' Allocation Server stopped')

    # ---- ENH history
    def _hist(self, k, ev, is_alloc):
        h = self.hist.get(k)
        if h is None:
            h = self.hist[k] = [0, 0, [], collections.deque(maxlen=5)]
        if is_alloc:
            h[0] += 1
        else:
            h[1] += 1
        if len(h[2]) < 50:
            h[2].append(ev)
        h[3].append(ev)

    # ---- transitions
    def alloc(self, pid, dev, addr, size, typ):
        self.nev += 1
        k = (addr << 16) | dev
        lines = self.w.lines
        e = self.live.get(k)
        if self.enh and e is not None and size != e[1]:
            # the client model never makes ENH's unsigned statistics wrap:
            # a different size is sent only when the later subtraction of
            # the replaced stored size stays within the counter
            b = BUCKET[e[2]]
            if self.livesum[dev][b] + size - e[1] > self.stats[dev][b]:
                size = e[1]
        r = self.reuse.get(k)
        if r is None:
            r = self.reuse[k] = [0, 0, 0, typ, {size}, {pid}]
        else:
            r[4].add(size)
            r[5].add(pid)
        r[0] += 1
        r[3] = typ
        if e is None:
            e = self.live[k] = [pid, size, typ, 1, self.w.base + len(lines) + 1, 0]
            self._evidence_alloc(e, dev, size, typ)
            if self.tl_ents is not None:
                # [created, removed (None: live at the end), device, type, pid, size, [(line, new size)]]
                rec = self.tl_live[k] = [e[4], None, dev, typ, pid, size, None]
                self.tl_ents.append(rec)
            st = self.stats.get(dev)
            if st is None:
                st = self.stats[dev] = [0, 0, 0, 0, 0]
            st[BUCKET[typ]] += size
            st[4] += 1
            self.owned[pid] += 1
            self.acc.ev['alloc'] += 1
            if self.enh:
                ls = self.livesum.setdefault(dev, [0, 0, 0, 0])
                ls[BUCKET[typ]] += size
                self._hist(k, ('ALLOC', size, pid, 1), True)
            lines.append(self.f_anew % (pid, size, TNAMES[typ], dev, addr))
        else:
            e[3] += 1
            self.acc.ev['alloc_ref'] += 1
            if self.enh:
                if size != e[1]:
                    lines.append(WARN + ' [PID %d] Buffer reused with DIFFERENT size: old=%d new=%d (buffer_id=%d, device=%d)'
                                 % (pid, e[1], size, addr, dev))
                    self.livesum[dev][BUCKET[e[2]]] += size - e[1]
                    e[1] = size
                    if self.tl_ents is not None:
                        # the stored size changes on the ref alloc line, printed next
                        rec = self.tl_live[k]
                        if rec[6] is None:
                            rec[6] = []
                        rec[6].append((self.w.base + len(lines) + 1, size))
                self._hist(k, ('REUSE', size, pid, e[3]), True)
            lines.append(self.f_aref % (pid, size, TNAMES[typ], dev, addr, e[3]))

    def free(self, pid, dev, addr):
        self.nev += 1
        k = (addr << 16) | dev
        lines = self.w.lines
        e = self.live.get(k)
        if e is not None:
            r = self.reuse[k]
            r[1] += 1
            e[3] -= 1
            if e[3] > 0:
                self.acc.ev['free_ref'] += 1
                if self.enh:
                    self._hist(k, ('FREE', e[1], pid, e[3]), False)
                lines.append(self.f_fref % (e[0], addr, dev, e[1], e[3]))
            else:
                del self.live[k]
                self._tl_end(k, self.w.base + len(lines) + 1)
                st = self.stats[dev]
                st[BUCKET[e[2]]] -= e[1]
                st[4] -= 1
                self.owned[e[0]] -= 1
                self.ended[k] = 1
                e[5] = 1
                self.acc.ev['free_final'] += 1
                if self.enh:
                    self.livesum[dev][BUCKET[e[2]]] -= e[1]
                    self._hist(k, ('FREE', e[1], pid, 0), False)
                if self.docrate and not self.hex and not self.enh and self.r.random() < self.docrate:
                    # doc-only pre-ref-count form (FORMATS 1.5): no suffix = FINAL
                    lines.append(CROSS + ' [PID %d] Freed buffer %d on device %d (%d bytes)' % (e[0], addr, dev, e[1]))
                else:
                    lines.append(self.f_ffin % (e[0], addr, dev, e[1]))
            return
        acc = self.acc
        if self.docrate and not self.hex and not self.enh and self.r.random() < self.docrate:
            # doc-only oldest form (FORMATS 1.6.4): no PID, no device, so the
            # replay can only count it, as never seen (REPORT-SCHEMA)
            acc.ev['free_unknown'] += 1
            acc.unk_cause[0] += 1
            ru = self.run_rec().unk
            ru[0] += 1
            ru[1] += 1
            self.unk_where(None, None, addr)
            lines.append(WARN + ' Warning: Deallocation for unknown buffer %d' % addr)
            return
        # unknown
        acc.ev['free_unknown'] += 1
        acc.unk_dev[dev] += 1
        # how the key's latest entry in this run ended; none in this run:
        # after_restart when an earlier run allocated it, else never_seen
        cause = self.ended.get(k)
        if cause is None:
            cause = 3 if k in self.prior else 0
        acc.unk_cause[cause] += 1
        ru = self.run_rec().unk
        ru[0] += 1
        ru[1 + cause] += 1
        self.unk_where(pid, dev, addr)
        r = self.reuse.get(k)
        if r is None:
            r = self.reuse[k] = [0, 0, 0, None, set(), set()]
        r[2] += 1
        if self.enh:
            h = self.hist.get(k)
            if h is not None and h[0] > 0:
                prev = list(h[3])
                prev.reverse()
                self._hist(k, ('FREE', 0, pid, 0), False)
                if k not in self.dfreed_set:
                    self.dfreed_set.add(k)
                    self.dfreed.append(k)
                lines.append(WARN + ' [PID %d] Deallocation for ALREADY FREED buffer 0x%x on device %d (allocs=%d frees=%d)'
                             % (pid, addr, dev, h[0], h[1]))
                lines.append('   Last 5 events for this buffer:')
                for ev in prev:
                    lines.append('     %s size=%d pid=%d ref=%d' % ev)
                return
            self._hist(k, ('FREE', 0, pid, 0), False)
        lines.append(self.f_unk % (pid, addr, dev))

    # ---- address forms: lines printing a buffer id, decimal (V1-V3) or hex
    def addr_forms_mark(self):
        """Credits the id lines printed since the last mark (allocations,
        frees, unknown frees: all in the form of the run's version) to
        acc.addr_forms [decimal, hex]; called when a run starts and at the end."""
        acc = self.acc
        n = sum(acc.ev[k] for k in ('alloc', 'alloc_ref', 'free_ref', 'free_final', 'free_unknown'))
        done = getattr(acc, 'addr_done', 0)
        if not hasattr(acc, 'addr_forms'):
            acc.addr_forms = [0, 0]
        acc.addr_forms[1 if getattr(self, 'hex', True) else 0] += n - done
        acc.addr_done = n

    # ---- unknown frees by PID of the line and by position in the run
    UNK_POS = ('before_first_alloc', 'after_restart', 'after_cleanup', 'during_run')

    def unk_where(self, pid, dev, addr):
        """Counts an unknown-free line (printed next) under its PID (None: the
        line names none) and its position in the run, keeping the first 3 of
        each: before_first_alloc / after_restart (first run / a later one) when
        its device -- for a line with no device, the run -- has had no
        allocation yet in this run; after_cleanup when a dead-process cleanup
        came earlier in the run; during_run otherwise."""
        acc = self.acc
        if not hasattr(acc, 'unk_pos'):
            acc.unk_pos = {p: [0, []] for p in self.UNK_POS}
            acc.unk_pid = {}
        # self.stats gets a device at its first new allocation in the run
        allocated = (dev in self.stats) if dev is not None else bool(self.stats)
        if not allocated:
            pos = 'before_first_alloc' if acc.runs == 1 else 'after_restart'
        elif acc.cleanups and acc.cleanups[-1][4] == acc.runs:
            pos = 'after_cleanup'
        else:
            pos = 'during_run'
        occ = (self.lineno(), dev, addr)
        for g in (acc.unk_pos[pos], acc.unk_pid.setdefault(pid, [0, []])):
            g[0] += 1
            if len(g[1]) < 3:
                g[1].append(occ)

    # ---- V5/V6 circular buffers and kernels
    def cb_alloc(self, pid, dev, cid, size):
        self.nev += 1
        kk = (dev, cid)
        old = self.cb.get(kk)
        if old is not None:
            self.cbown[old[1]] -= 1
        self.cb[kk] = [size, pid]
        self.cbown[pid] += 1
        t = self.cbtot[dev] = (self.cbtot[dev] + size) & U64
        self.w.lines.append(CHECK + ' [CB_ALLOC] Device %d: +%s MB (Total: %s MB)' % (dev, g(size / MB), g(t / MB)))

    def cb_free(self, pid, dev, cid, size):
        self.nev += 1
        old = self.cb.pop((dev, cid), None)
        if old is not None:
            self.cbown[old[1]] -= 1
        t = self.cbtot[dev] = (self.cbtot[dev] - size) & U64
        self.w.lines.append(CROSS + ' [CB_FREE] Device %d: -%s MB (Total: %s MB)' % (dev, g(size / MB), g(t / MB)))

    def kload(self, pid, dev, kid, size, kind):
        self.nev += 1
        kk = (dev, kid)
        old = self.kern.get(kk)
        if old is not None:
            self.kown[old[1]] -= 1
        self.kern[kk] = [size, pid, kind, self.nev]
        self.kown[pid] += 1
        t = self.ktot[dev] = (self.ktot[dev] + size) & U64
        kn = KIND_NAMES[kind] if 0 <= kind < 3 else 'Unknown'
        if self.docrate and self.r.random() < self.docrate:
            # doc-only intermediate form without the kind word (FORMATS 1.8.2)
            self.w.lines.append(CHECK + ' [KERNEL_LOAD] Device %d: +%s MB (Total: %s MB)' % (dev, g(size / MB), g(t / MB)))
            return
        self.w.lines.append(CHECK + ' [KERNEL_LOAD] %s kernel on Device %d: +%s MB (Total: %s MB)' % (kn, dev, g(size / MB), g(t / MB)))

    def kunload(self, pid, dev, kid, size):
        old = self.kern.pop((dev, kid), None)
        if old is None:
            return            # silent
        self.nev += 1
        self.kown[old[1]] -= 1
        t = self.ktot[dev] = (self.ktot[dev] - size) & U64
        kind = old[2]
        kn = KIND_NAMES[kind] if 0 <= kind < 3 else 'Unknown'
        self.w.lines.append(CROSS + ' [KERNEL_UNLOAD] %s kernel on Device %d: -%s MB (Total: %s MB)' % (kn, dev, g(size / MB), g(t / MB)))

    # ---- dead-process cleanup (FORMATS 1.10)
    def cleanup(self, dead):
        """Runs the cleanup check; prints the block if a dead PID owns anything."""
        own, cbown, kown = self.owned, self.cbown, self.kown
        v56 = self.v56
        cand = sorted(p for p in dead if own.get(p, 0) > 0 or (v56 and (cbown.get(p, 0) > 0 or kown.get(p, 0) > 0)))
        if not cand:
            return False
        e = self.blk()
        e('')
        e(WARNV + '  Detected dead processes, cleaning up orphaned buffers...')
        acc = self.acc
        for p in cand:
            gl = self.lineno()
            e('   PID %d is dead, removing its buffers...' % p)
            n = 0
            nb = 0
            if own.get(p, 0) > 0:
                for k in [k for k, ent in self.live.items() if ent[0] == p]:
                    ent = self.live.pop(k)
                    self._tl_end(k, gl)
                    dev = k & 0xffff
                    st = self.stats[dev]
                    st[BUCKET[ent[2]]] -= ent[1]
                    st[4] -= 1
                    if self.enh:
                        self.livesum[dev][BUCKET[ent[2]]] -= ent[1]
                    self.ended[k] = 2
                    ent[5] = 2
                    n += 1
                    nb += ent[1]
                own[p] = 0
            acc.cleanups.append([p, n, nb, gl, acc.runs])
            rc = self.run_rec().cleanup
            rc[0] += n
            rc[1] += nb
            acc.ev['cleanup_removed'] += n
            e('   ' + CHECK + ' Removed %d buffers (%s MB) from PID %d' % (n, g(nb / MB), p))
            if v56:
                if cbown.get(p, 0) > 0:
                    ks = [k for k, c in self.cb.items() if c[1] == p]
                    cbn = len(ks)
                    cbb = 0
                    for k in ks:
                        c = self.cb.pop(k)
                        cbb += c[0]
                        self.cbtot[k[0]] = (self.cbtot[k[0]] - c[0]) & U64
                    cbown[p] = 0
                    e('   ' + CHECK + ' Removed %d CBs (%s MB) from PID %d' % (cbn, g(cbb / MB), p))
                if kown.get(p, 0) > 0:
                    ks = [k for k, c in self.kern.items() if c[1] == p]
                    kn = len(ks)
                    kb = 0
                    for k in ks:
                        c = self.kern.pop(k)
                        kb += c[0]
                        self.ktot[k[0]] = (self.ktot[k[0]] - c[0]) & U64
                    kown[p] = 0
                    e('   ' + CHECK + ' Removed %d kernels (%s MB) from PID %d' % (kn, g(kb / MB), p))
        e('')
        return True

    # ---- checkpoints
    def _alter_this(self):
        i = self.ncheck
        self.ncheck += 1
        return i in self.alter_set

    def _verify_stats(self):
        """Self-check: incremental statistics equal a recount of the map
        (not for ENH, whose statistics drift by design)."""
        if self.enh:
            return
        re_ = {}
        for k, ent in self.live.items():
            st = re_.setdefault(k & 0xffff, [0, 0, 0, 0, 0])
            st[BUCKET[ent[2]]] += ent[1]
            st[4] += 1
        for dev, st in self.stats.items():
            if st != re_.get(dev, [0, 0, 0, 0, 0]):
                raise AssertionError('stats drift on device %d: %r vs %r' % (dev, st, re_.get(dev)))

    def stats_block(self):
        self._verify_stats()
        e = self.blk()
        alter = self._alter_this()
        e('')
        gl = self.lineno()
        e(CHART + ' Current Statistics:')
        rows = []
        for dev in sorted(self.stats):
            st = self.stats[dev]
            if st[0] + st[1] + st[2] + st[3] > 0 or st[4] > 0:
                rows.append([dev] + list(st))
        active = len(self.live)
        which = None
        if alter:
            choices = ['active'] + ['buffers', 'dram', 'l1', 'total'] * (1 if rows else 0)
            which = self.dr.choice(choices)
            ri = self.dr.randrange(len(rows)) if rows else -1
        for i, (dev, dram, l1, l1s, tr, cnt) in enumerate(rows):
            tot = dram + l1 + l1s + tr
            if which and i == ri:
                # changes big enough to show in every printed form (%g too)
                if which == 'buffers':
                    cnt += 1
                elif which == 'dram':
                    dram += max(4096, dram // 5)
                elif which == 'l1':
                    l1 += max(2048, l1 // 5)
                elif which == 'total':
                    tot += max(1024, tot // 5)
            e('  Device %d:' % dev)
            e('    Buffers: %d' % cnt)
            if self.enh:
                e('    DRAM: %s KB' % g(dram / 1024.0))
                e('    L1: %s KB' % g(l1 / 1024.0))
                e('    Total: %s KB' % g(tot / 1024.0))
            else:
                e('    DRAM: %d bytes (%s KB)' % (dram, g(dram / 1024.0)))
                e('    L1: %d bytes (%s KB)' % (l1, g(l1 / 1024.0)))
                e('    Total: %d bytes' % tot)
        if which == 'active':
            active += 1
        e('  Active allocations: %d' % active)
        self.acc.ev['stats_blocks'] += 1
        self.acc.checkpoints.append(['stats', gl, not alter, self.acc.runs])
        self.run_rec().cps[0] += 1
        self.run_rec().cps[1] += bool(alter)

    def flush_deferred(self):
        if self.deferred is not None:
            self.w.lines.append(self.deferred[0])
            self.deferred = None

    def dump_received(self):
        """The request handler prints this without the mutex, so event lines
        of other threads can come between it and the dump."""
        self.flush_deferred()
        if not self.enh:
            self.w.lines.append(CLIP + ' Received DUMP_REMAINING request...')

    def dump(self, dead, received=True):
        self.flush_deferred()
        e = self.blk()
        if received and not self.enh:
            e(CLIP + ' Received DUMP_REMAINING request...')
        self.cleanup(dead)
        alter = self._alter_this()
        e('')
        e(BOX_TOP)
        gl = self.lineno()
        e(TITLE_REMAINING)
        e(BOX_BOT)
        live = self.live
        n = len(live)
        bydev = {}
        for k, ent in live.items():
            bydev.setdefault(k & 0xffff, {}).setdefault(ent[2], []).append((k >> 16, ent))
        which = None
        if alter:
            which = self.dr.choice(['tracked', 'count', 'mb', 'buffer', 'remaining'] if n else ['tracked'])
            if which == 'buffer' and not any(len(v) <= 10 for d in bydev.values() for v in d.values()):
                which = 'mb'
            if which in ('count', 'mb', 'buffer'):
                cand = [(d, t) for d in bydev for t in bydev[d] if which != 'buffer' or len(bydev[d][t]) <= 10]
                tgt = self.dr.choice(sorted(cand))
        e('Total tracked allocations: %d' % (n + (1 if which == 'tracked' else 0)))
        e('')
        if n == 0:
            e(CHECK + ' No buffers remaining - perfect cleanup!')
        else:
            shuffle = self.r.shuffle
            for dev in sorted(bydev):
                e('Device %d:' % dev)
                types = bydev[dev]
                for t in sorted(types):
                    ents = types[t]
                    cnt = len(ents)
                    tb = 0
                    for _, ent in ents:
                        tb += ent[1]
                    mbv = tb / MB
                    hit = which is not None and which in ('count', 'mb', 'buffer') and tgt == (dev, t)
                    if hit and which == 'count':
                        cnt += 1
                    if hit and which == 'mb':
                        mbv = mbv * 1.1 + 1.0
                    e('  %s: %d buffers, %s MB total' % (TNAMES[t], cnt, g(mbv)))
                    if len(ents) <= 10:
                        ents = list(ents)
                        shuffle(ents)       # hash-map order
                        for j, (addr, ent) in enumerate(ents):
                            ref = ent[3]
                            if hit and which == 'buffer' and j == 0:
                                ref += 1
                            e('    - Buffer 0x%x: %s KB (PID %d, ref_count=%d)' % (addr, g(ent[1] / 1024.0), ent[0], ref))
                            if self.enh:
                                h = self.hist.get((addr << 16) | dev)
                                if h is not None:
                                    e('      History (allocs=%d frees=%d):' % (h[0], h[1]))
                                    evs = list(h[3])
                                    evs.reverse()
                                    for ev in evs:
                                        e('        %s size=%d pid=%d ref=%d' % ev)
                e('')
            e('Total remaining buffers: %d' % (n + (1 if which == 'remaining' else 0)))
            e('')
        if not self.enh:
            if self.r.random() < 0.25:
                # printed without the mutex: may land after later events
                self.deferred = [CLIP + ' DUMP_REMAINING complete.', self.nev + self.r.randint(1, 3)]
            else:
                e(CLIP + ' DUMP_REMAINING complete.')
        self.acc.ev['dumps'] += 1
        self.acc.checkpoints.append(['dump', gl, not alter, self.acc.runs])
        self.run_rec().cps[0] += 1
        self.run_rec().cps[1] += bool(alter)
        self.dump_snap = (gl, [(ent, ent[1]) for ent in live.values()])

    def dump_kernels(self):
        """V5/V6 DUMP_KERNELS block (not a checkpoint)."""
        e = self.blk()
        e('')
        e(BOX_TOP)
        e(TITLE_KERNELS)
        e(BOX_BOT)
        e('Total kernel allocations: %d' % len(self.kern))
        e('')
        bydev = {}
        for (dev, kid), k in self.kern.items():
            bydev.setdefault(dev, []).append((kid, k))
        for dev in sorted(bydev):
            ks = bydev[dev]
            e(CHART + ' Device %d - Total: %s MB (%d kernels)' % (dev, g(self.ktot[dev] / MB), len(ks)))
            e(KBOX_TOP)
            for kid, k in ks:
                e(KBOX_V + ' Kernel ID: 0x%x' % kid)
                e(KBOX_V + '   Size:      %s KB' % g(k[0] / 1024.0))
                e(KBOX_V + '   Owner PID: %d' % k[1])
                e(KBOX_V + '   Age:       %d seconds' % max(0, (self.nev - k[3]) // 300))
                e(KBOX_V)
            e(KBOX_BOT)
            e('')
        e(CLIP + ' DUMP_KERNELS complete.')

    # ---- stderr / validation lines (no state change)
    def stderr_line(self, pid):
        r = self.r
        e = self.w.lines.append
        v = self.version
        c = r.random()
        if self.v56:
            if c < 0.35:
                e(WARNV + '  Invalid size 0 - ignoring message')
            elif c < 0.55:
                e(WARNV + '  Invalid device_id %d - ignoring message' % r.choice((14, 32, 33, 68, 300, -1)))
            elif c < 0.75:
                e(WARNV + '  Invalid buffer_type %d for buffer %d on device %d' % (r.choice((5, 7, 81)), r.randrange(1 << 20), r.randrange(8)))
            elif c < 0.85:
                e(WARNV + '  Too many consecutive errors (%d) - closing connection (likely protocol mismatch)' % r.randint(10, 100))
            else:
                e('Accept failed')
        elif self.enh:
            if c < 0.5:
                e(WARN + ' [PID %d] Invalid buffer_type %d' % (pid, r.choice((5, 6, 9))))
            elif c < 0.8:
                e('Unknown message type: %d' % r.choice((6, 81)))
            else:
                e('Accept failed')
        else:
            if c < 0.5:
                e(WARN + ' [PID %d] Invalid buffer_type %d for buffer %d on device %d' % (pid, r.choice((5, 6, 9)), r.randrange(1 << 24), r.randrange(8)))
            elif c < 0.85:
                e('Unknown message type: %d' % (r.choice((6, 81)) if v == 'V1' else 81))
            else:
                e('Accept failed')


# --------------------------------------------------------------------------
# Client model: per-process first-fit allocators and workload coroutines.

class FirstFit:
    """First-fit allocator over [base, limit); reuses the lowest hole."""
    __slots__ = ('blocks', 'align')

    def __init__(self, base, limit, align=32):
        self.blocks = [[base, limit - base]]
        self.align = align

    def alloc(self, n):
        a = self.align
        n = max(a, (n + a - 1) // a * a)
        bl = self.blocks
        for i in range(len(bl)):
            b = bl[i]
            if b[1] >= n:
                addr = b[0]
                if b[1] == n:
                    del bl[i]
                else:
                    b[0] += n
                    b[1] -= n
                return addr
        return -1

    def release(self, addr, n):
        a = self.align
        n = max(a, (n + a - 1) // a * a)
        bl = self.blocks
        lo, hi = 0, len(bl)
        while lo < hi:
            mid = (lo + hi) // 2
            if bl[mid][0] < addr:
                lo = mid + 1
            else:
                hi = mid
        i = lo
        if i > 0 and bl[i - 1][0] + bl[i - 1][1] == addr:
            bl[i - 1][1] += n
            if i < len(bl) and bl[i - 1][0] + bl[i - 1][1] == bl[i][0]:
                bl[i - 1][1] += bl[i][1]
                del bl[i]
        elif i < len(bl) and addr + n == bl[i][0]:
            bl[i][0] = addr
            bl[i][1] += n
        else:
            bl.insert(i, [addr, n])


BANKS = (12, 64, 1, 64, 12)
CB_BASE = 0x18b20

WEIGHT_SIZES = (2097152, 4194304, 8388608, 14680064, 29360128, 58720256, 117440512, 131334144, 1048576, 3670016)
ACT_L1 = (2048, 4096, 8192, 12288, 16384, 32768, 65536, 131072, 262144, 524288, 1048576)
ACT_DRAM = (65536, 262144, 917504, 1048576, 2097152, 3670016, 7340032, 14680064)
CB_SIZES = (2048, 4096, 8192, 12288, 16384, 32768, 65536, 131072, 4096, 8192)
L1S_SIZES = (32, 64, 128, 256, 1024, 2048)
KV_SIZES = (1048576, 2097152, 4194304, 8388608)
LLAMA_WEIGHTS = (917504, 1048576, 2097152, 3670016, 4194304, 5767168, 8388608, 14680064)
TRACE_SIZE = 12503040
TRACE_ADDR = 1043741824     # 0x3e363c80


class Proc:
    def __init__(self, pid, devs):
        self.pid = pid
        self.devs = devs
        self.al = {
            DRAM: FirstFit(0x20, 0x3c000000),
            L1: FirstFit(0x90000, 0x15e000),
            SYSMEM: FirstFit(0x10000, 0x40000000, 4096),
            L1S: FirstFit(0x15e000, 0x16e000),
            TRACE: FirstFit(TRACE_ADDR, 0x40000000),
        }
        self.progs = {}          # program id -> [(addr, size)]
        self.kernels = []        # (dev, kid, size)
        self.exited = False      # process gone (then a dead PID)
        self.survive = False     # still running when the log ends
        self.role = 'main'


class Ctx:
    def __init__(self, srv, rng, ndev, opt):
        self.srv = srv
        self.r = rng
        self.ndev = ndev
        self.opt = opt
        self.dead = set()
        self.ghosts = set()
        self.pid = rng.randint(90000, 900000)
        self.sess_end = 0
        self.run_end = 0
        self.winding = False
        self.last_addr0 = 0
        self.dbg = None          # dbglog.DebugLog when a buffer debug log is written
        self.no_dumps = False    # --groups-checkpoints none: no dump in the last run

    def new_pid(self):
        self.pid += self.r.randint(3, 2500)
        return self.pid

    def left(self):
        return min(self.sess_end, self.run_end) - self.srv.srv_lines()

    def set_flags(self, version):
        self.cbmsg = version in ('V5', 'V6')
        self.kmsg = self.cbmsg


def mesh_alloc(ctx, P, size, typ, devs=None, sender=None, cat='act'):
    devs = devs or P.devs
    n = -(-size // BANKS[typ])
    addr = P.al[typ].alloc(n)
    if addr < 0:
        return None
    S = ctx.srv
    pid = P.pid if sender is None else sender
    A = S.alloc
    if devs[0] == 0:
        ctx.last_addr0 = addr
    D = ctx.dbg
    if D is None:
        for d in devs:
            A(pid, d, addr, size, typ)
            yield
        return [addr, size, typ, devs, n, 0, None]     # [5]: 1 when a view shares it
    # debug log (FORMATS 3.3): each block just before its server message
    h = D.alloc_begin(P, devs, addr, size, typ, cat)
    for d in devs:
        D.alloc_dev(h, d, addr, size, typ, cat)
        A(pid, d, addr, size, typ)
        yield
    return [addr, size, typ, devs, n, 0, h]            # [6]: the debug-log handle


def mesh_free(ctx, P, b, double=False, sender=None):
    P.al[b[2]].release(b[0], b[4])
    S = ctx.srv
    F = S.free
    pid = P.pid if sender is None else sender
    addr = b[0]
    h = b[6]
    if h is not None:
        D = ctx.dbg
        for d in b[3]:
            D.free_dev(h, d)
            F(pid, d, addr)
            yield
        D.free_end(h)
    else:
        for d in b[3]:
            F(pid, d, addr)
            yield
    if double:
        # MeshBuffer: one free per device plus the backing buffer's
        F(pid, b[3][0], addr)
        yield


def compile_program(ctx, P, prog):
    """First run of a program: its circular buffers (V1-V4: L1 ALLOCs at the
    CB addresses; V5/V6: CB_ALLOC) and its kernels (V5/V6)."""
    R = ctx.r
    S = ctx.srv
    ncb = R.randint(1, 5)
    cbs = []
    addr = CB_BASE
    for _ in range(ncb):
        sz = R.choice(CB_SIZES)
        cbs.append((addr, sz))
        addr = (addr + sz + 31) // 32 * 32
    P.progs[prog] = cbs
    for d in P.devs:
        for a, sz in cbs:
            if ctx.cbmsg:
                S.cb_alloc(P.pid, d, a, sz)
            else:
                S.alloc(P.pid, d, a, sz, L1)
            yield
        if ctx.kmsg:
            kid = 0x10000 * (prog + 1) + R.randrange(0x1000)
            ksz = R.choice((8192, 12288, 20480, 28672, 36864))
            S.kload(P.pid, d, kid, ksz, 0)
            P.kernels.append((d, kid, ksz))
            yield


def clear_program_cache(ctx, P, p_free):
    R = ctx.r
    S = ctx.srv
    for prog, cbs in list(P.progs.items()):
        if R.random() < p_free:
            for d in P.devs:
                for a, sz in cbs:
                    if ctx.cbmsg:
                        S.cb_free(P.pid, d, a, sz)
                    else:
                        S.free(P.pid, d, a)
                    yield
        del P.progs[prog]
    if ctx.kmsg:
        for d, kid, ksz in P.kernels:
            if R.random() < 0.8:
                S.kunload(P.pid, d, kid, ksz)
                yield
        P.kernels = []


def model_test(ctx, P, fate, want_dump, scen):
    """A pytest process running a model demo on a mesh.

    fate: 'normal' (exits), 'killed' (dies mid-run), 'survive' (still
    running when the log ends), 'ghost' (alive but seen as dead by the
    server: other PID namespace)."""
    R = ctx.r
    S = ctx.srv
    pid = P.pid
    devs = P.devs
    A = S.alloc
    F = S.free
    if fate == 'ghost':
        ctx.dead.add(pid)
        ctx.ghosts.add(pid)
    weights = []
    # frees of buffers allocated before tracking started
    for _ in range(R.randint(0, 4) if scen != 'llama' else 3):
        addr = R.choice((0x3e0, 0x1000, 0x2000 + 32 * R.randrange(64), 0x40000 + 32 * R.randrange(256), 1402304))
        for d in (devs if R.random() < 0.5 else [R.choice(devs)]):
            if ctx.dbg is not None:
                ctx.dbg.stray_free(P, d, addr)
            F(pid, d, addr)
            yield
    # device open
    if ctx.kmsg:
        for d in devs:
            for kind, ksz in ((2, 57344), (1, 57344)):
                kid = 0xf00000 + kind * 0x100 + d
                S.kload(pid, d, kid, ksz, kind)
                P.kernels.append((d, kid, ksz))
                yield
    init = []
    for _ in range(R.randint(1, 3)):
        b = yield from mesh_alloc(ctx, P, 256, L1, cat='init')
        if b:
            init.append(b)
    if not ctx.cbmsg and R.random() < 0.15:
        # V1-V4/ENH accept size 0; the client never frees such a buffer
        b = yield from mesh_alloc(ctx, P, 0, L1, [R.choice(devs)], cat='init')
    sysm = None
    if R.random() < 0.3:
        sysm = yield from mesh_alloc(ctx, P, R.choice((4194304, 16777216)), SYSMEM, devs[:4], cat='sysm')
    # weights
    nw = R.randint(8, 40) if scen != 'llama' else 20
    wsizes = WEIGHT_SIZES if scen != 'llama' else LLAMA_WEIGHTS
    if scen == 'llama' and len(devs) > 6:
        # the embedding table lives on one chip (uneven DRAM per device)
        b = yield from mesh_alloc(ctx, P, 131334144, DRAM, [devs[6]], cat='weights')
        if b:
            weights.append(b)
    for _ in range(nw):
        size = R.choice(wsizes)
        wd = devs
        if len(devs) > 1 and R.random() < 0.12:
            wd = [R.choice(devs)]
        b = yield from mesh_alloc(ctx, P, size, DRAM, wd, cat='weights')
        if b:
            weights.append(b)
    # KV cache
    kv = []
    for _ in range(R.randint(2, 8) if scen != 'llama' else 6):
        b = yield from mesh_alloc(ctx, P, R.choice(KV_SIZES), DRAM, cat='kv')
        if b:
            kv.append(b)
    for _ in range(R.randint(1, 4)):
        b = yield from mesh_alloc(ctx, P, R.choice((65536, 131072, 262144)), L1, cat='kv')
        if b:
            kv.append(b)
    # inference
    nprog = R.randint(6, 30)
    acts = collections.deque()
    trace = None
    kill_at = R.randint(1, 12) if fate == 'killed' else -1
    it = 0
    ndv = len(devs)
    ops = R.randint(4, 10)
    while True:
        reserve = (len(weights) + len(kv) + len(acts) + 8 + 2 * sum(len(c) for c in P.progs.values())) * ndv + 200
        if ctx.left() < reserve or ctx.winding or it == kill_at:
            break
        if scen != 'llama' and it > 0 and R.random() < 0.02:
            break
        if trace is None and it >= 2 and (R.random() < 0.4 or scen == 'llama'):
            trace = yield from mesh_alloc(ctx, P, TRACE_SIZE, TRACE, cat='trace')
        for _ in range(ops):
            prog = R.randrange(nprog)
            if prog not in P.progs:
                yield from compile_program(ctx, P, prog)
            if R.random() < 0.6:
                b = yield from mesh_alloc(ctx, P, R.choice(ACT_L1), L1)
            else:
                b = yield from mesh_alloc(ctx, P, R.choice(ACT_DRAM), DRAM)
            if b:
                acts.append(b)
                if R.random() < 0.08:
                    # a view (non-owning buffer at the same address)
                    vs = max(32, b[1] // R.choice((1, 2, 4)))
                    for d in b[3]:
                        if b[6] is not None:
                            ctx.dbg.view_new(b[6], d, b[0], vs, b[2])
                        A(pid, d, b[0], vs, b[2])
                        yield
                    b[5] = 1
            while len(acts) > 2:
                ob = acts.popleft()
                if ob[5]:
                    h = ob[6]
                    if R.random() < 0.5:
                        # view dies first, then the buffer
                        for d in ob[3]:
                            if h is not None:
                                ctx.dbg.view_free(h, d)
                            F(pid, d, ob[0])
                            yield
                        yield from mesh_free(ctx, P, ob, R.random() < 0.03)
                    else:
                        # buffer first (ref_count=1 remaining), then the view
                        P.al[ob[2]].release(ob[0], ob[4])
                        for d in ob[3]:
                            if h is not None:
                                ctx.dbg.free_dev(h, d)
                            F(pid, d, ob[0])
                            yield
                        if h is not None:
                            ctx.dbg.free_end(h)
                        for d in ob[3]:
                            if h is not None:
                                ctx.dbg.view_free(h, d)
                            F(pid, d, ob[0])
                            yield
                else:
                    yield from mesh_free(ctx, P, ob, R.random() < 0.02)
            if R.random() < 0.04:
                b = yield from mesh_alloc(ctx, P, R.choice(L1S_SIZES), L1S, cat='l1s')
                if b and R.random() < 0.95:
                    yield from mesh_free(ctx, P, b)
        it += 1
    if it == kill_at:
        return          # killed: no more messages
    # end of test (conftest): release trace, clear program cache, dump
    while acts:
        ob = acts.popleft()
        if ob[5]:
            for d in ob[3]:
                if ob[6] is not None:
                    ctx.dbg.view_free(ob[6], d)
                F(pid, d, ob[0])
                yield
        yield from mesh_free(ctx, P, ob)
    if trace is not None:
        yield from mesh_free(ctx, P, trace)
    yield from clear_program_cache(ctx, P, 0.3)
    if want_dump and not ctx.no_dumps:
        if R.random() < 0.3:
            S.dump_received()
            for _ in range(R.randint(1, 3)):
                yield
            S.dump(ctx.dead, received=False)
        else:
            S.dump(ctx.dead)
        yield
        if ctx.kmsg and R.random() < 0.2:
            S.dump_kernels()
            yield
    # python destructors after the fixture
    for b in kv:
        if R.random() < 0.93:
            yield from mesh_free(ctx, P, b, R.random() < 0.02)
    for b in weights:
        if R.random() < 0.9:
            yield from mesh_free(ctx, P, b)
    if sysm is not None and R.random() < 0.5:
        yield from mesh_free(ctx, P, sysm)
    # device closed: remaining buffers send no FREE
    if fate == 'ghost':
        # the ghost frees its init buffers although the server removed them
        for b in init[:4]:
            yield from mesh_free(ctx, P, b)
    if ctx.dbg is not None:
        ctx.dbg.device_closed(P)


def unit_tests(ctx, P, fate):
    """A second pytest process running small single/multi-device tests."""
    R = ctx.r
    S = ctx.srv
    pid = P.pid
    kill_at = R.randint(2, 20) if fate == 'killed' else -1
    t = 0
    while ctx.left() > 400 and not ctx.winding and t != kill_at:
        bufs = []
        for _ in range(R.randint(2, 12)):
            typ = R.choice((L1, L1, DRAM, DRAM, L1S))
            sz = R.choice(ACT_L1 if typ == L1 else ACT_DRAM if typ == DRAM else L1S_SIZES)
            b = yield from mesh_alloc(ctx, P, sz, typ, cat='unit')
            if b:
                bufs.append(b)
            if R.random() < 0.3 and bufs:
                ob = bufs.pop(R.randrange(len(bufs)))
                yield from mesh_free(ctx, P, ob, R.random() < 0.05)
        if R.random() < 0.3:
            prog = R.randrange(5)
            if prog not in P.progs:
                yield from compile_program(ctx, P, prog)
        for b in bufs:
            if R.random() < 0.97:
                yield from mesh_free(ctx, P, b)
        if ctx.dbg is not None:
            # the test's device closes: what is left goes away silently
            ctx.dbg.device_closed(P)
        if R.random() < 0.003 and not ctx.no_dumps:
            S.dump(ctx.dead)
            yield
        t += 1
    if t == kill_at:
        return
    yield from clear_program_cache(ctx, P, 0.5)


def kernel_only(ctx, P):
    """V5/V6: a short tool process that only loads kernels and CBs (e.g.
    fabric bring-up) and exits: its cleanup removes 0 buffers."""
    R = ctx.r
    S = ctx.srv
    for d in P.devs:
        S.kload(P.pid, d, 0xfa0000 + d, R.choice((57344, 61440)), 1)
        yield
        if R.random() < 0.5:
            S.cb_alloc(P.pid, d, CB_BASE, 16384)
            yield


def survivor_frees(ctx, pid, keys):
    """A process that outlived a server restart frees what it had."""
    S = ctx.srv
    for dev, addr in keys:
        if ctx.dbg is not None:
            ctx.dbg.survivor_free(pid, dev, addr)
        S.free(pid, dev, addr)
        yield


# --------------------------------------------------------------------------
# --groups: a mesh client whose leaks are what the allocation groups and the
# evidence classes of issue 14 part 7 must recover (the truth: evidence_truth)

EVIDENCE_WINDOW = 1000        # a group's members lie at most this many lines after its first
GROUP_SHAPES = ((L1, 4096), (DRAM, 2097152), (DRAM, 917504), (L1, 12288), (L1S, 2048), (SYSMEM, 4194304),
                (TRACE, 1000000), (DRAM, 100000), (L1, 1000), (DRAM, 3670016))


def groups_proc(ctx, checkpoints):
    """The --groups client of the last run: [coroutine, Proc].  It outlives
    the log (its buffers are leaks) and allocates in its own address ranges,
    so that other processes rarely share its keys."""
    P = Proc(ctx.new_pid(), list(range(ctx.ndev)))
    P.role = 'groups'
    P.survive = True
    P.al = {
        DRAM: FirstFit(0x2c000000, 0x3c000000),
        L1: FirstFit(0x140000, 0x15e000),
        SYSMEM: FirstFit(0x30000000, 0x40000000, 4096),
        L1S: FirstFit(0x16a000, 0x16e000),
        TRACE: FirstFit(TRACE_ADDR + 0x1000000, 0x40000000),
    }
    return [groups_client(ctx, P, checkpoints), P]


def _g_begin(ctx, P, typ, size, devs):
    """Reserves one mesh buffer's address (the same on every device) for devs."""
    n = -(-size // BANKS[typ])
    addr = P.al[typ].alloc(n)
    if addr < 0:
        return None
    h = ctx.dbg.alloc_begin(P, devs, addr, size, typ, 'act') if ctx.dbg is not None else None
    return [addr, size, typ, list(devs), n, 0, h]


def _g_dev(ctx, P, b, d):
    """The allocation line of buffer b on device d (its debug block first)."""
    if b[6] is not None:
        ctx.dbg.alloc_dev(b[6], d, b[0], b[1], b[2], 'act')
    ctx.srv.alloc(P.pid, d, b[0], b[1], b[2])


def _g_scratch(ctx, P):
    """A scratch L1_SMALL buffer on the first device, allocated and freed: two lines."""
    b = _g_begin(ctx, P, L1S, 64, P.devs[:1])
    if b is None:
        ctx.srv.stderr_line(P.pid)
        ctx.srv.stderr_line(P.pid)
        return
    _g_dev(ctx, P, b, P.devs[0])
    if b[6] is not None:
        ctx.dbg.free_dev(b[6], P.devs[0])
    ctx.srv.free(P.pid, P.devs[0], b[0])
    if b[6] is not None:
        ctx.dbg.free_end(b[6])
    P.al[L1S].release(b[0], b[4])


def groups_client(ctx, P, checkpoints):
    """Bursts of one (type, size) on every device (a replicated tensor), on
    device 0 only (seed 002's 3 L1 buffers of 4096 bytes), on one device, on
    a subset; two bursts of the same (type, size) back to back and
    interleaved device by device; a slow burst that outlasts the window, one
    whose second device lands exactly on the window's last line and third on
    the line after, one across an input boundary (--split); some bursts
    partly freed later (an asymmetric remainder).  With checkpoints, a
    statistics block at 12% of the run, a dump at 45%, a statistics block at
    80%, so that leaks fall before, between and after them (the periodic
    blocks, the start-of-run checkpoint and the final shutdown are off in
    this run).  The last bursts come when the run winds down (last tenth)."""
    R = ctx.r
    S = ctx.srv
    devs = P.devs
    nd = len(devs)
    start = S.srv_lines()
    total = max(1000, ctx.run_end - start)
    shapes = list(GROUP_SHAPES)
    if not ctx.cbmsg:
        shapes.append((L1, 0))       # V5/V6 reject size 0
    kept = []
    pending = [x for x in S.w.starts[1:] if x > S.lineno() + nd]

    def one(ds, typ, size, pace=True):
        b = _g_begin(ctx, P, typ, size, ds)
        if b is None:
            return None
        kept.append(b)
        for d in ds:
            _g_dev(ctx, P, b, d)
            if pace:
                yield
        return b

    def across_input(s0):
        # no yield from here: the client's own lines up to just before the
        # next file's first line s0, then a whole burst across it
        gap = s0 - nd // 2 - S.lineno()
        if gap % 2:
            S.stderr_line(P.pid)
        for _ in range(gap // 2):
            _g_scratch(ctx, P)
        typ, size = R.choice(shapes)
        yield from one(devs, typ, size, pace=False)
        yield

    def wait(frac):
        while not ctx.winding and S.srv_lines() < start + int(total * frac):
            if pending and S.lineno() >= pending[0] - 300:
                s0 = pending.pop(0)
                if S.lineno() <= s0 - nd // 2 and nd > 1:
                    yield from across_input(s0)
                continue
            yield

    def burst(kind):
        typ, size = R.choice(shapes)
        if kind == 'all':
            yield from one(devs, typ, size)
        elif kind == 'dev0':
            for _ in range(3):
                yield from one([devs[0]], L1, 4096)
        elif kind == 'one':
            yield from one([R.choice(devs)], typ, size)
        elif kind == 'subset':
            ds = sorted(R.sample(devs, R.randint(2, nd - 1))) if nd > 2 else [devs[-1]]
            yield from one(ds, typ, size)
        elif kind == 'repeat':
            yield from one(devs, typ, size)
            yield from one(devs, typ, size)
        elif kind == 'twin':
            a = _g_begin(ctx, P, typ, size, devs)
            b = _g_begin(ctx, P, typ, size, devs)
            for x in (a, b):
                if x is not None:
                    kept.append(x)
            for d in devs:
                for x in (a, b):
                    if x is not None:
                        _g_dev(ctx, P, x, d)
                        yield
        elif kind == 'slow':
            b = _g_begin(ctx, P, typ, size, devs)
            if b is None:
                return
            kept.append(b)
            for d in devs:
                _g_dev(ctx, P, b, d)
                t = S.lineno() + R.randint(300, 700)
                while not ctx.winding and S.lineno() < t:
                    yield
        elif kind == 'edge':
            b = _g_begin(ctx, P, typ, size, devs)
            if b is None:
                return
            kept.append(b)
            first = S.lineno()
            _g_dev(ctx, P, b, devs[0])
            rest = devs[1:]
            if nd > 1:
                while not ctx.winding and S.lineno() < first + EVIDENCE_WINDOW - 300:
                    yield
                # then no yield: the client's own lines up to the window's last line
                gap = first + EVIDENCE_WINDOW - S.lineno()
                if gap >= 0:
                    if gap % 2:
                        S.stderr_line(P.pid)           # one line, no state change
                    for _ in range(gap // 2):
                        _g_scratch(ctx, P)             # two lines
                    _g_dev(ctx, P, b, devs[1])        # the window's last line: joins
                    if nd > 2:
                        _g_dev(ctx, P, b, devs[2])    # the line after: a new group
                        rest = devs[3:]
                    else:
                        rest = []
            for d in rest:
                _g_dev(ctx, P, b, d)
                yield

    def partly_free():
        for b in list(kept):
            if len(b[3]) > 1 and R.random() < 0.45:
                k = R.randint(1, len(b[3]) - 1)
                gone = sorted(R.sample(b[3], k))
                for d in gone:
                    if b[6] is not None:
                        ctx.dbg.free_dev(b[6], d)
                    S.free(P.pid, d, b[0])
                    yield
                b[3] = [d for d in b[3] if d not in gone]

    # first tenth, before every checkpoint
    for kind in ('all', 'dev0', 'repeat', 'subset'):
        yield from burst(kind)
    yield from wait(0.12)
    if checkpoints:
        S.stats_block()
        yield
    kinds = ('twin', 'subset', 'all', 'slow', 'one', 'edge')
    for i, kind in enumerate(kinds):
        yield from burst(kind)
        yield from wait(0.15 + 0.28 * (i + 1) / len(kinds))
    yield from wait(0.45)
    if checkpoints:
        S.dump(ctx.dead)
        yield
    kinds = ('all', 'subset', 'twin', 'edge', 'repeat', 'one')
    for i, kind in enumerate(kinds):
        yield from burst(kind)
        yield from wait(0.47 + 0.27 * (i + 1) / len(kinds))
    yield from partly_free()
    yield from wait(0.8)
    if checkpoints:
        S.stats_block()
        yield
    yield from wait(2.0)            # until the run winds down
    for kind in ('all', 'dev0', 'subset', 'repeat', 'one'):
        yield from burst(kind)


def group_rule(ents):
    """The allocation groups of issue 14 part 7: ents (dicts with _t (type
    index), size, device, input, line) in allocation order; one joins the
    open group of its (type, size) when its device is not in it yet and it
    lies in the same input at most EVIDENCE_WINDOW lines after the group's
    first entry, else it opens a new one.  The groups (dicts: t, size, devs,
    members, input, first_line) in the report's order: bytes descending,
    type, size descending, position."""
    groups = []
    open_group = {}
    for x in sorted(ents, key=lambda x: (x['input'], x['line'])):
        ts = (x['_t'], x['size'])
        gr = open_group.get(ts)
        if gr is None or x['device'] in gr['devs'] or x['input'] != gr['input'] or \
                x['line'] > gr['first_line'] + EVIDENCE_WINDOW:
            gr = open_group[ts] = {'t': x['_t'], 'size': x['size'], 'devs': set(), 'members': [], 'input': x['input'],
                                   'first_line': x['line']}
            groups.append(gr)
        gr['devs'].add(x['device'])
        gr['members'].append(x)
    groups.sort(key=lambda gr: (-sum(m['size'] for m in gr['members']), gr['t'], -gr['size'], gr['input'],
                                gr['first_line']))
    return groups


def evidence_truth(S, acc, input_lines, loc):
    """The `evidence` section of the truth, from the simulation's own state:
    the remaining entries of the last run (S.live, each with its allocation
    line e[4] and its seq e[6]), the run's allocation tallies, the positions
    of its statistics blocks and dumps (acc.checkpoints), and the line counts
    of the server-log inputs.  Groups apply the rule of issue 14 part 7 in
    allocation order."""
    O = collections.OrderedDict
    run = acc.runs
    n = S.ev_seq
    stats = sorted(loc(gl) for kind, gl, _a, r in acc.checkpoints if kind == 'stats' and r == run)
    dumps = sorted(loc(gl) for kind, gl, _a, r in acc.checkpoints if kind == 'dump' and r == run)
    later = [sum(input_lines[i + 1:]) for i in range(len(input_lines))]
    ents = []
    for k, e in S.live.items():
        inp, ln = loc(e[4])
        pos = (inp, ln)
        seq = e[6]
        if not stats:
            phase = 'no_stats'
        elif pos < stats[0]:
            phase = 'before_first_stats'
        elif pos > stats[-1]:
            phase = 'after_last_stats'
        else:
            phase = 'between_stats'
        dphase = 'no_dump' if not dumps else 'before_first_dump' if pos < dumps[0] else 'after_first_dump'
        b = 10 * (seq - 1) // n
        tenth = 'first_tenth' if b == 0 else 'last_tenth' if b == 9 else 'middle'
        ents.append(O([('device', k & 0xffff), ('address', k >> 16), ('type', TNAMES[e[2]]), ('size', e[1]),
                       ('pid', e[0]), ('input', inp), ('line', ln), ('seq', seq), ('phase', phase),
                       ('dump_phase', dphase), ('tenth', tenth), ('lifetime_lines', input_lines[inp] - ln + later[inp]),
                       ('size_class', 1 << (e[1].bit_length() - 1) if e[1] > 0 else 0), ('group', None),
                       ('_t', e[2])]))
    run_devs = sorted(S.ev_devs)
    groups = group_rule(ents)
    out = []
    for i, gr in enumerate(groups):
        devs = sorted(gr['devs'])
        if devs == run_devs:
            shape = 'all_devices'
        elif len(devs) == 1 and len(run_devs) > 1:
            shape = 'one_device'
        else:
            shape = 'some_devices'
        for m in gr['members']:
            m['group'] = i
        out.append(O([('index', i), ('type', TNAMES[gr['t']]), ('size', gr['size']), ('devices', devs),
                      ('buffers', len(gr['members'])), ('bytes', sum(m['size'] for m in gr['members'])),
                      ('input', gr['input']), ('first_line', gr['first_line']),
                      ('last_line', max(m['line'] for m in gr['members'])),
                      ('pids', sorted(set(m['pid'] for m in gr['members']))), ('shape', shape),
                      ('missing_devices', [d for d in run_devs if d not in gr['devs']])]))
    for x in ents:
        del x['_t']
    ents.sort(key=lambda x: (x['device'], x['address']))
    by_type = [O([('type', TNAMES[t]), ('allocations', v[0]), ('bytes', v[1])]) for t, v in sorted(S.ev_types.items())]
    totals = O([('allocations', n), ('bytes', sum(v[1] for v in S.ev_types.values())), ('by_type', by_type)])
    return O([('window', EVIDENCE_WINDOW), ('run', run), ('run_devices', run_devs),
              ('stats_blocks', [list(p) for p in stats]), ('dumps', [list(p) for p in dumps]),
              ('server_input_lines', list(input_lines)), ('run_totals', totals), ('groups', out), ('leaks', ents)])


# --------------------------------------------------------------------------
# The timeline (issue 15 part 8): live bytes and buffers over the server-log
# lines, from the lifetimes the simulation recorded (Server.tl_ents)

TIMELINE_POINTS = 512


def tl_bucket_width(x_end, points):
    """The bucket width after x_end lines: w starts at 1 and doubles while
    a line lies beyond points * w."""
    w = 1
    while x_end > points * w:
        w *= 2
    return w


def tl_buckets(xs, vs, x_end, w):
    """min, max and last of v over each bucket [k*w+1, (k+1)*w] (the last
    one ends at x_end), where v changes to vs[j] at line xs[j] (ascending,
    distinct) and is 0 before the first change."""
    mins, maxs, lasts = [], [], []
    n = len(xs)
    j = 0
    cur = 0
    for k in range(-(-x_end // w)):
        a = k * w + 1
        b = min((k + 1) * w, x_end)
        while j < n and xs[j] <= a:
            cur = vs[j]
            j += 1
        lo = hi = cur
        while j < n and xs[j] <= b:
            cur = vs[j]
            j += 1
            if cur < lo:
                lo = cur
            elif cur > hi:
                hi = cur
        mins.append(lo)
        maxs.append(hi)
        lasts.append(cur)
    return mins, maxs, lasts


def tl_peak(xs, vs):
    """(largest value, first line where it is reached); (0, 0) when it never exceeds 0."""
    best, at = 0, 0
    for x, v in zip(xs, vs):
        if v > best:
            best, at = v, x
    return best, at


def tl_at(xs, vs, x):
    """The value after line x."""
    i = bisect.bisect_right(xs, x) - 1
    return vs[i] if i >= 0 else 0


def timeline_truth(S, acc, input_lines, loc, points):
    """`timeline.server` of the truth, from the simulation's own state: every
    entry's lifetime (created at its allocation line, removed at its FINAL
    free, its dead-process cleanup line or the next run's start banner; the
    enhanced server's size replacements), the run records (banners), the
    checkpoints (statistics titles, dump titles) and the cleanup rows.  A
    global line number becomes x = the lines of the earlier server-log inputs
    + its line in its input (loc: a cut line's events carry the first half's
    number)."""
    O = collections.OrderedDict
    nin = len(input_lines)
    before = [sum(input_lines[:i]) for i in range(nin)]
    x_end = sum(input_lines)

    def X(gl):
        inp, ln = loc(gl)
        return before[inp] + ln

    def where(x):
        i = bisect.bisect_left(before, x) - 1
        return i, x - before[i]

    # the changes of each (device, type), then of the sums
    ev = []
    for c, end, dev, typ, _pid, size, ch in S.tl_ents:
        ev.append((X(c), dev, typ, size, 1))
        for gl, ns in ch or ():
            ev.append((X(gl), dev, typ, ns - size, 0))
            size = ns
        if end is not None:
            ev.append((X(end), dev, typ, -size, -1))
    ev.sort(key=lambda e: e[0])
    vals = {}
    pts = {}
    for x, dev, typ, db, dn in ev:
        for key in (None, (dev, None), (dev, typ)):
            v = vals.get(key)
            if v is None:
                v = vals[key] = [0, 0]
                pts[key] = ([], [], [])
            v[0] += db
            v[1] += dn
            p = pts[key]
            if p[0] and p[0][-1] == x:
                p[1][-1] = v[0]
                p[2][-1] = v[1]
            else:
                p[0].append(x)
                p[1].append(v[0])
                p[2].append(v[1])
    for key, v in vals.items():
        if v[0] < 0 or v[1] < 0 or min(pts[key][1]) < 0 or min(pts[key][2]) < 0:
            raise AssertionError('timeline: series %r goes below 0' % (key,))
    devs = sorted(k[0] for k in pts if k is not None and k[1] is None)
    order = [None]
    for d in devs:
        order.append((d, None))
        order.extend((d, t) for t in range(len(TNAMES)) if (d, t) in pts)
    w = tl_bucket_width(x_end, points)
    series = []
    peaks = {}
    for key in order:
        xs, bs, ns = pts.get(key, ([], [], []))
        pb, pbx = tl_peak(xs, bs)
        pn, pnx = tl_peak(xs, ns)
        peaks[key] = pbx
        inp, ln = where(pbx) if pbx else (None, None)
        s = O([('device', None if key is None else key[0]),
               ('type', None if key is None or key[1] is None else TNAMES[key[1]]),
               ('peak_bytes', pb), ('peak_bytes_x', pbx), ('peak_bytes_input', inp), ('peak_bytes_line', ln),
               ('peak_buffers', pn), ('peak_buffers_x', pnx),
               ('end_bytes', bs[-1] if bs else 0), ('end_buffers', ns[-1] if ns else 0)])
        for name, vs in (('bytes', bs), ('buffers', ns)):
            mins, maxs, lasts = tl_buckets(xs, vs, x_end, w)
            s[name + '_min'] = mins
            s[name + '_max'] = maxs
            s[name + '_last'] = lasts
        series.append(s)

    # what was live at the bytes peaks
    def by_type(x, dev):
        rows = []
        for key in order:
            if key is None or key[1] is None or (dev is not None and key[0] != dev):
                continue
            xs, bs, ns = pts[key]
            b, n = tl_at(xs, bs, x), tl_at(xs, ns, x)
            if n or b:
                r = O([('type', TNAMES[key[1]])])
                if dev is None:
                    r['device'] = key[0]
                r['buffers'] = n
                r['bytes'] = b
                rows.append(r)
        return rows

    def live_at(x):
        ents = []
        for c, end, dev, typ, pid, size, ch in S.tl_ents:
            if X(c) > x or (end is not None and X(end) <= x):
                continue
            for gl, ns in ch or ():
                if X(gl) <= x:
                    size = ns
            inp, ln = loc(c)
            ents.append({'_t': typ, 'size': size, 'device': dev, 'input': inp, 'line': ln, 'pid': pid})
        return ents

    at_peak = []
    for key in [None] + [(d, None) for d in devs]:
        x = peaks[key]
        xs, bs, ns = pts.get(key, ([], [], []))
        row = O([('device', None if key is None else key[0]), ('x', x), ('bytes', tl_at(xs, bs, x)),
                 ('buffers', tl_at(xs, ns, x)), ('by_type', by_type(x, None if key is None else key[0]))])
        if key is None:
            gs = group_rule(live_at(x))
            row['by_group'] = [O([('type', TNAMES[gr['t']]), ('size', gr['size']), ('devices', sorted(gr['devs'])),
                                  ('buffers', len(gr['members'])), ('bytes', sum(m['size'] for m in gr['members'])),
                                  ('first_line', gr['first_line']), ('first_input', gr['input'])]) for gr in gs]
        at_peak.append(row)

    def mark(gls):
        xs = [X(gl) for gl in gls]
        return O([('count', len(xs)), ('x', xs[:points])])
    marks = O([('restarts', mark(r.gline for r in acc.run_list[1:])),
               ('dumps', mark(gl for kind, gl, _a, _r in acc.checkpoints if kind == 'dump')),
               ('cleanups', mark(c[3] for c in acc.cleanups)),
               ('stats', mark(gl for kind, gl, _a, _r in acc.checkpoints if kind == 'stats'))])
    wall = []
    k = collections.Counter()
    for kind, gl, _a, run in acc.checkpoints:
        if kind == 'stats':
            k[run] += 1
            wall.append(O([('x', X(gl)), ('run', run), ('seconds', 10 * k[run])]))
    return O([('x', 'server-log line'), ('lines', x_end), ('bucket_lines', w), ('buckets', -(-x_end // w)),
              ('inputs', [O([('input', i), ('first_x', before[i] + 1), ('lines', input_lines[i])]) for i in range(nin)]),
              ('marks', marks), ('wall', wall[:points]), ('series', series), ('at_peak', at_peak)])


def timeline_debug_truth(D, points):
    """`timeline.debug` of the truth, as far as the generator simulates it:
    the series of all devices and of each device (no per-type series, marks,
    wall or at_peak yet), from the non-hooked Buffer* lifetimes DebugLog
    recorded: open from the title line of its ALLOCATED block to the title
    line of the block that closes it (DESTRUCTOR, a DEALLOCATED not after a
    DESTRUCTOR, or the next ALLOCATED of its Buffer*, which supersedes it).
    x = the lines of the earlier debug-log inputs + the title's line."""
    O = collections.OrderedDict
    lines = list(D.w.nlines)
    before = [sum(lines[:i]) for i in range(len(lines))]
    x_end = sum(lines)
    ev = []
    for f, ln, ef, el, dev, size in D.tl:
        ev.append((before[f] + ln, dev, size, 1))
        if ef is not None:
            ev.append((before[ef] + el, dev, -size, -1))
    ev.sort(key=lambda e: e[0])
    vals = {}
    pts = {}
    for x, dev, db, dn in ev:
        for key in (None, dev):
            v = vals.get(key)
            if v is None:
                v = vals[key] = [0, 0]
                pts[key] = ([], [], [])
            v[0] += db
            v[1] += dn
            p = pts[key]
            if p[0] and p[0][-1] == x:
                p[1][-1] = v[0]
                p[2][-1] = v[1]
            else:
                p[0].append(x)
                p[1].append(v[0])
                p[2].append(v[1])
    w = tl_bucket_width(x_end, points)
    series = []
    for key in [None] + sorted(k for k in pts if k is not None):
        xs, bs, ns = pts.get(key, ([], [], []))
        pb, pbx = tl_peak(xs, bs)
        pn, pnx = tl_peak(xs, ns)
        if pbx:
            i = bisect.bisect_left(before, pbx) - 1
            inp, ln = D.input + i, pbx - before[i]
        else:
            inp = ln = None
        s = O([('device', key), ('type', None), ('peak_bytes', pb), ('peak_bytes_x', pbx), ('peak_bytes_input', inp),
               ('peak_bytes_line', ln), ('peak_buffers', pn), ('peak_buffers_x', pnx),
               ('end_bytes', bs[-1] if bs else 0), ('end_buffers', ns[-1] if ns else 0)])
        for name, vs in (('bytes', bs), ('buffers', ns)):
            mins, maxs, lasts = tl_buckets(xs, vs, x_end, w)
            s[name + '_min'] = mins
            s[name + '_max'] = maxs
            s[name + '_last'] = lasts
        series.append(s)
    return O([('x', 'debug-log line'), ('lines', x_end), ('bucket_lines', w), ('buckets', -(-x_end // w)),
              ('inputs', [O([('input', D.input + i), ('first_x', before[i] + 1), ('lines', lines[i])])
                          for i in range(len(lines))]),
              ('series', series)])


# --------------------------------------------------------------------------
# Malformed lines (carry a leading anchor, do not parse)

def malformed_line(r, hexids):
    pid = r.randint(1000, 999999)
    dev = r.randrange(8)
    addr = r.randrange(0x20, 0x200000) & ~31
    idt = '0x%x' % addr if hexids else '%d' % addr
    c = r.randrange(10)
    if c == 0:
        return CHECK + ' [PID %d] Allocated %dx%d bytes of L1 on device %d (buffer_id=%s)' % (pid, r.randint(1, 99), r.randint(1, 9), dev, idt)
    if c == 1:
        full = CHECK + ' [PID %d] Allocated %d bytes of %s on device %d (buffer_id=%s)' % (pid, r.choice(ACT_L1), r.choice(TNAMES), dev, idt)
        cut = full.index('] Allocated ') + len('] Allocated ')
        return full[:r.randint(cut, len(full) - 1)]
    if c == 2:
        return CROSS + ' [PID %d] Freed buffer 0xZZ on device %d (%d bytes, FINAL)' % (pid, dev, r.choice(ACT_L1))
    if c == 3:
        return CHECK + ' [PID %d] Allocated 18446744073709551616 bytes of DRAM on device %d (buffer_id=%s)' % (pid, dev, idt)
    if c == 4:
        return CROSS + ' [PID 99999999999] Freed buffer %s on device %d (%d bytes, FINAL)' % (idt, dev, r.choice(ACT_L1))
    if c == 5:
        return WARN + ' [PID %d] Deallocation for unknown buffer %s on device 99999999999 (allocated before tracking started)' % (pid, idt)
    if c == 6:
        return CHECK + ' [PID %d] Allocated %d bytes of L1 on device %d (buffer_id=0x1ffffffffffffffff)' % (pid, r.choice(ACT_L1), dev)
    if c == 7:
        return CROSS + ' [PID %d] Freed buffer %s on device %d (bytes, FINAL)' % (pid, idt, dev)
    if c == 8:
        return CROSS + ' [PID %d] Freed buffer %s on device %d (%d bytes, ref_count=x remaining)' % (pid, idt, dev, r.choice(ACT_L1))
    return CHECK + ' [PID %d] Allocated %d bytes of L1 on device %d (buffer_id=)' % (pid, r.choice(ACT_L1), dev)


# --------------------------------------------------------------------------
# Driver

class Gen:
    def __init__(self, opt, null=False, alter_set=frozenset()):
        self.opt = opt
        self.srng = random.Random(opt.seed * 1000003 + 17)
        self.drng = random.Random(opt.seed * 7919 + 5)
        if opt.lines:
            self.target = opt.lines
        elif opt.debug_log_only:
            self.target = max(1000, opt.bytes // DEBUG_BYTES_PER_SERVER_LINE)
        else:
            self.target = max(1000, opt.bytes // 77)
        self.w = Writer(opt.out, opt, self.drng, self.target, null=null or opt.debug_log_only)
        self.dbg = None
        if opt.debug_log or opt.debug_log_only:
            # its own streams: the server run is the same with or without it
            brng = random.Random(opt.seed * 104729 + 3)
            ddr = random.Random(opt.seed * 7907 + 11)
            est = self.target * DEBUG_BYTES_PER_SERVER_LINE
            k = max(1, opt.debug_split)
            if opt.gzip_members > 1:
                opt.debug_member_bytes = max(1, int(est / k / opt.gzip_members))
            else:
                opt.debug_member_bytes = 1 << 62
            ext = '.log.gz' if opt.gzip else '.log'
            if k == 1:
                paths = [opt.out + '.debug' + ext]
            else:
                paths = ['%s.debug.%d%s' % (opt.out, i + 1, ext) for i in range(k)]
            split_bytes = int(est / k * ddr.uniform(0.8, 1.0))
            if getattr(opt, 'debug_total_chars', None):
                # exact split points from a dry run: no file is left empty
                split_bytes = max(1, opt.debug_total_chars // k)
            self.dbg = dbglog.DebugLog(opt, brng, ddr, paths, 0 if opt.debug_log_only else max(1, opt.split),
                                       opt.devices, split_bytes, null=null)
            if opt.debug_noise > 0:
                self.dbg.noise = Noise(ddr)
                self.dbg.preamble()
        self.w.foreign_line = self.foreign_line
        self.acc = Acc()
        self.srv = Server(self.w, self.acc, self.srng, self.drng, alter_set)
        self.srv.docrate = opt.doc_forms
        if opt.timeline:
            self.srv.tl_ents = []
        if opt.noise_in_blocks and opt.noise > 0:
            self.srv.block_noise = opt.noise
        self.noise = Noise(self.drng) if opt.noise > 0 else None
        self.srv.noise = self.noise
        self.ncd = self._gap(opt.noise)
        self.mcd = self._gap(opt.malformed)

    def foreign_line(self, s):
        w = self.w
        w.lines.append(s)
        w.foreign.append(w.base + len(w.lines))

    def mal_line(self, s):
        w = self.w
        w.lines.append(s)
        w.mal.append(w.base + len(w.lines))

    def _gap(self, rate):
        if rate <= 0:
            return 1 << 62
        return 1 + int(self.drng.expovariate(rate))

    def decorate_step(self):
        """Called at unit boundaries: maybe insert noise / malformed lines."""
        if self.ncd <= 0:
            self.ncd = self._gap(self.opt.noise)
            nz = self.noise
            r = self.drng.random()
            if r < 0.1:
                # a pytest/logger burst
                for _ in range(self.drng.randint(2, 6)):
                    self.foreign_line(nz.line())
            elif r < 0.13:
                # a terminal capture's blank line: blank lines count as ours
                self.w.lines.append(self.drng.choice(('', ' ', '    ')))
                self.w.extra += 1
            else:
                self.foreign_line(nz.line())
        if self.mcd <= 0:
            self.mcd = self._gap(self.opt.malformed)
            self.mal_line(malformed_line(self.drng, self.srv.hex))

    def versions(self):
        opt = self.opt
        nruns = opt.restarts + 1
        if opt.version != 'mix':
            return [opt.version] * nruns
        r = self.srng
        seq = []
        pool = list(VERSIONS)
        for i in range(nruns):
            v = r.choice([x for x in pool if not seq or x != seq[-1]])
            seq.append(v)
        return seq

    def run(self):
        opt = self.opt
        S = self.srv
        R = self.srng
        w = self.w
        ndev = opt.devices
        vers = self.vers_used = self.versions()
        if opt.headless and vers[0] == 'ENH':
            if opt.version == 'ENH':
                raise SystemExit('leakgen: --headless needs a first run other than ENH (the tool could not know it is ENH)')
            vers[0] = 'V4' if len(vers) < 2 or vers[1] != 'V4' else 'V3'
        nruns = len(vers)
        ctx = Ctx(S, R, ndev, opt)
        ctx.dbg = self.dbg
        self.ctx = ctx
        carry = None                   # (pid, keys) of a process that outlives a restart
        for ri, v in enumerate(vers):
            if v != 'V6' and ndev > 8:
                raise SystemExit('leakgen: --devices > 8 needs --version V6')
            last_run = ri == nruns - 1
            ctx.set_flags(v)
            ctx.dead = set()
            ctx.ghosts = set()
            ctx.winding = False
            headless = opt.headless and ri == 0
            S.start_run(v, ndev, headless)
            run_budget = int(self.target * R.uniform(0.7, 1.3) / nruns) if not last_run else max(2000, self.target - S.srv_lines())
            ctx.run_end = S.srv_lines() + run_budget
            stats_every = opt.stats_every or R.randint(1500, 4000)
            clean_every = max(200, int(stats_every * (0.3 if v in ('V5', 'V6') else 0.5)))
            next_stats = S.nev + stats_every
            next_clean = S.nev + clean_every
            thread_line_at = S.nev + R.randint(0, 3) if not headless else -1
            groups = opt.groups and last_run
            if groups:
                # the groups client places the last run's checkpoints itself
                next_stats = 1 << 62
                ctx.no_dumps = opt.groups_checkpoints == 'none'
            if headless:
                S.alloc(ctx.new_pid(), 0, 0x40000, 4096, L1)   # first line of ours: an event
            else:
                c = R.random()
                if groups:
                    pass
                elif c < 0.1:
                    S.stats_block()          # empty statistics (no device rows)
                elif c < 0.2:
                    S.dump(ctx.dead)         # empty dump: perfect cleanup
            procs = []
            if opt.empty_runs and not last_run and R.random() < 0.4:
                # server started and stopped with no client at all
                if R.random() < 0.7:
                    S.shutdown()
                continue
            if carry is not None:
                cp, keys = carry
                procs.append([survivor_frees(ctx, cp, keys), None])
                carry = None
            if groups:
                procs.append(groups_proc(ctx, opt.groups_checkpoints != 'none'))
            mon_cd = R.randint(200, 3000)       # realtime_monitor PID 0 frees
            err_cd = R.randint(500, 6000)       # stderr validation lines
            sessions = 0
            cur = None
            burst = 0
            nmain = 0
            lines = w.lines
            while True:
                if nmain == 0:
                    left_run = ctx.run_end - S.srv_lines()
                    if left_run > 1500 or sessions == 0:
                        self.spawn_session(ctx, procs, left_run, last_run, sessions)
                        sessions += 1
                        nmain = 1
                    elif not procs:
                        break
                    else:
                        ctx.winding = True
                if burst <= 0 or cur is None:
                    cur = procs[R.randrange(len(procs))] if len(procs) > 1 else procs[0]
                    burst = R.randint(1, 40)
                burst -= 1
                try:
                    next(cur[0])
                except StopIteration:
                    P = cur[1]
                    procs.remove(cur)
                    if P is not None:
                        P.exited = True
                        if not P.survive:
                            ctx.dead.add(P.pid)
                        if P.role == 'main':
                            nmain = 0
                    cur = None
                    if not procs and nmain:
                        nmain = 0
                    continue
                nev = S.nev
                if S.deferred is not None and nev >= S.deferred[1]:
                    S.flush_deferred()
                if nev >= next_clean:
                    next_clean = nev + clean_every
                    S.cleanup(ctx.dead)
                    self.prune_dead(ctx)
                if nev >= next_stats:
                    next_stats = nev + stats_every
                    S.stats_block()
                if thread_line_at >= 0 and nev >= thread_line_at:
                    S.cleanup_thread_line()
                    thread_line_at = -1
                mon_cd -= 1
                if mon_cd <= 0:
                    mon_cd = R.randint(200, 3000)
                    c = R.random()
                    stale = 0 if c < 0.5 else R.randrange(1 << 32) if c < 0.9 else ctx.last_addr0
                    S.free(0, 0, stale)
                err_cd -= 1
                if err_cd <= 0:
                    err_cd = R.randint(500, 8000)
                    S.stderr_line(cur[1].pid if cur[1] is not None else 0)
                self.ncd -= 1
                self.mcd -= 1
                if self.ncd <= 0 or self.mcd <= 0:
                    self.decorate_step()
                if len(lines) >= 65536:
                    w.flush()
                    lines = w.lines
            # end of run
            S.flush_deferred()
            if R.random() < 0.6:
                S.cleanup(ctx.dead)
            if not last_run:
                # a process may outlive the restart and free its buffers later
                surv = collections.defaultdict(list)
                for k, ent in S.live.items():
                    surv[ent[0]].append((k & 0xffff, k >> 16))
                if surv and R.random() < 0.7:
                    cp = R.choice(sorted(surv))
                    keys = surv[cp][:R.randint(1, 30)]
                    carry = (cp, keys)
                if R.random() < 0.6:
                    S.shutdown()
            else:
                if not opt.killed and R.random() < 0.5 and not groups:
                    S.shutdown()
        if opt.killed:
            # the server was killed while printing: last line cut, no newline
            full = S.f_anew % (ctx.pid, 4096, 'L1', 0, 0x40020)
            self.mal_line(full[:len(full) // 2 + 5])
            w.killed = True
        w.flush(final=True)
        if self.dbg is not None:
            self.dbg.close()

    def prune_dead(self, ctx):
        S = self.srv
        for p in list(ctx.dead):
            if p in ctx.ghosts:
                continue
            if S.owned.get(p, 0) <= 0 and S.cbown.get(p, 0) <= 0 and S.kown.get(p, 0) <= 0:
                ctx.dead.discard(p)

    def spawn_session(self, ctx, procs, left_run, last_run, sessions):
        R = self.srng
        S = self.srv
        opt = self.opt
        scen = opt.scenario
        ndev = ctx.ndev
        devs = list(range(ndev))
        sb = left_run if left_run < 25000 else R.randint(12000, max(12000, min(left_run, 70000)))
        if scen == 'llama':
            sb = left_run
        ctx.sess_end = S.srv_lines() + sb
        ctx.winding = False
        final = last_run and sb >= left_run
        # main model process
        P = Proc(ctx.new_pid(), devs)
        P.role = 'main'
        if scen == 'llama':
            fate = 'survive'
        elif final:
            fate = 'survive' if R.random() < 0.8 else 'normal'
        else:
            c = R.random()
            fate = 'killed' if c < 0.2 else 'ghost' if c < 0.27 else 'normal'
        P.survive = fate == 'survive'
        want_dump = R.random() < 0.75 if scen != 'llama' else True
        procs.append([model_test(ctx, P, fate, want_dump, scen), P])
        if ctx.kmsg and scen != 'llama' and R.random() < 0.3:
            K = Proc(ctx.new_pid(), devs[:R.randint(1, ndev)])
            K.role = 'tool'
            procs.append([kernel_only(ctx, K), K])
        # a concurrent process on part of the mesh
        if scen == 'llama':
            if sessions == 0:
                Q = Proc(ctx.new_pid(), devs[:max(1, ndev // 2)])
                Q.role = 'aux'
                procs.append([unit_tests(ctx, Q, 'killed'), Q])
        elif R.random() < 0.5:
            sub = devs[:max(1, ndev // 2)] if R.random() < 0.6 else [R.choice(devs)]
            Q = Proc(ctx.new_pid(), sub)
            Q.role = 'aux'
            c = R.random()
            qf = 'killed' if c < 0.3 else 'normal'
            Q.survive = final and qf == 'normal' and R.random() < 0.5
            procs.append([unit_tests(ctx, Q, qf), Q])

    # ---- truth
    def unk_where_truth(self, unk, loc):
        """server.unknown_frees.by_pid (count descending, then PID, no PID
        last) and by_position, from Server.unk_where's own tallies."""
        acc = self.acc
        O = collections.OrderedDict
        pos = getattr(acc, 'unk_pos', {p: [0, []] for p in Server.UNK_POS})
        pids = getattr(acc, 'unk_pid', {})

        def group(g):
            first = []
            for gl, dev, addr in g[1]:
                inp, ln = loc(gl)
                first.append(O([('input', inp), ('line', ln), ('device', dev), ('address', addr)]))
            return [('count', g[0]), ('first', first)]
        order = sorted(pids, key=lambda p: (-pids[p][0], p is None, p if p is not None else 0))
        unk['by_pid'] = [O([('pid', p)] + group(pids[p])) for p in order]
        unk['by_position'] = O((p, O(group(pos[p]))) for p in Server.UNK_POS)
        if sum(pos[p][0] for p in Server.UNK_POS) != acc.ev['free_unknown']:
            raise AssertionError('unknown-free positions do not add up to the count')

    def truth(self):
        w = self.w
        acc = self.acc
        S = self.srv
        inputs = []
        cuts = set(gl for gl, moved in w.cut_lines if moved)
        joined = collections.Counter(w.loc(gl)[0] for gl, _ in w.cut_lines)
        for i, (nl, nb, nf, nm) in enumerate(w.counts()):
            inputs.append(collections.OrderedDict([
                ('path', os.path.basename(w.paths[i])), ('format', 'server-log'),
                ('compressed', bool(self.opt.gzip)), ('bytes', nb), ('lines', nl),
                ('recognized_lines', nl - nf - nm), ('foreign_lines', nf),
                ('malformed_lines', nm), ('joined_lines', joined[i]), ('truncated', False)]))

        def loc(gl):
            # a cut line's event is numbered with its first half, one line up
            return w.loc(gl - 1 if gl in cuts else gl)

        # remaining (last run)
        remaining = S.live_summary()
        O = collections.OrderedDict

        def causes(c):
            return O([('never_seen', c[0]), ('after_final_free', c[1]), ('after_cleanup', c[2]), ('after_restart', c[3])])
        run_list = []
        lr = [0, 0]
        for i, rec in enumerate(acc.run_list):
            last = i == len(acc.run_list) - 1
            live = remaining if last else rec.live
            if not last:
                lr[0] += live['buffers']
                lr[1] += live['bytes']
            inp, ln = loc(rec.gline)
            run_list.append(O([('index', i + 1), ('input', inp), ('line', ln), ('banner', rec.banner),
                               ('ended_by', rec.ended_by), ('live', live),
                               ('unknown_frees', O([('count', rec.unk[0]), ('by_cause', causes(rec.unk[1:]))])),
                               ('cleanup', O([('buffers', rec.cleanup[0]), ('bytes', rec.cleanup[1])])),
                               ('checkpoints', rec.cps[0]), ('checkpoints_disagree', rec.cps[1])]))
        leaks = []
        for k, ent in S.live.items():
            inp, ln = loc(ent[4])
            leaks.append(collections.OrderedDict([
                ('device', k & 0xffff), ('address', k >> 16), ('type', TNAMES[ent[2]]), ('size', ent[1]),
                ('pid', ent[0]), ('ref_count', ent[3]), ('input', inp), ('line', ln), ('site', None)]))
        leaks.sort(key=lambda x: (-x['size'], x['device'], x['address']))
        unk = collections.OrderedDict([
            ('count', acc.ev['free_unknown']),
            ('by_device', [collections.OrderedDict([('device', d), ('count', acc.unk_dev[d])]) for d in sorted(acc.unk_dev)]),
            ('by_cause', causes(acc.unk_cause))])
        self.unk_where_truth(unk, loc)
        S.addr_forms_mark()
        cleanup = []
        for pid, n, nb, gl, run in acc.cleanups:
            inp, ln = loc(gl)
            cleanup.append(collections.OrderedDict([('pid', pid), ('buffers', n), ('bytes', nb), ('input', inp), ('line', ln),
                                                    ('run', run)]))
        reuse = []
        for k, r in S.reuse.items():
            if r[0] >= 2 or r[2] >= 1:
                ent = S.live.get(k)
                reuse.append(collections.OrderedDict([
                    ('device', k & 0xffff), ('address', k >> 16), ('type', TNAMES[r[3]] if r[3] is not None else None),
                    ('allocs', r[0]), ('frees', r[1]), ('unknown_frees', r[2]), ('net', r[0] - r[1]),
                    ('sizes', sorted(r[4])), ('pids', sorted(r[5])), ('live_ref_count', ent[3] if ent else 0)]))
        reuse.sort(key=lambda x: (-x['net'], -x['allocs'], x['device'], x['address']))
        checkpoints = []
        for kind, gl, agrees, run in acc.checkpoints:
            inp, ln = loc(gl)
            checkpoints.append(collections.OrderedDict([('kind', kind), ('input', inp), ('line', ln), ('agrees', agrees),
                                                        ('run', run)]))
        dl = None
        if S.dump_snap is not None:
            gl, snap = S.dump_snap
            inp, ln = loc(gl)
            c = [[0, 0], [0, 0], [0, 0], [0, 0]]   # at_dump, freed_later, removed_by_cleanup, still_live
            for ent, size in snap:
                c[0][0] += 1
                c[0][1] += size
                j = 1 if ent[5] == 1 else 2 if ent[5] == 2 else 3
                c[j][0] += 1
                c[j][1] += size

            def bb(x):
                return collections.OrderedDict([('buffers', x[0]), ('bytes', x[1])])
            dl = collections.OrderedDict([('input', inp), ('line', ln), ('at_dump', bb(c[0])), ('freed_later', bb(c[1])),
                                          ('removed_by_cleanup', bb(c[2])), ('still_live', bb(c[3])),
                                          ('run', acc.runs)])
        server = collections.OrderedDict([
            ('runs', acc.runs),
            ('last_run', run_list[-1] if run_list else None),
            ('run_list', run_list),
            ('live_at_restarts', O([('buffers', lr[0]), ('bytes', lr[1])])),
            ('events', collections.OrderedDict((k, acc.ev[k]) for k in (
                'alloc', 'alloc_ref', 'free_ref', 'free_final', 'free_unknown', 'cleanup_removed', 'dumps', 'stats_blocks'))),
            ('remaining', remaining), ('leaks', leaks), ('unknown_frees', unk), ('cleanup', cleanup),
            ('reuse', reuse), ('checkpoints', checkpoints), ('dump_lifecycle', dl), ('join', None)])
        server['address_forms'] = O([('decimal_lines', acc.addr_forms[0]), ('hex_lines', acc.addr_forms[1])])
        opt = self.opt
        debug = None
        tool_args = []
        if self.dbg is not None:
            D = self.dbg
            live_keys = None if opt.debug_log_only else set((k & 0xffff, k >> 16) for k in S.live)
            debug, join, site_of = D.truth(live_keys)
            dinp = D.input_entries()
            if opt.debug_log_only:
                inputs = dinp
                server = None
            else:
                inputs.extend(dinp)
                for lk in leaks:
                    lk['site'] = site = site_of(lk['device'], lk['address'])
                    join['leaks_with_site' if site is not None else 'leaks_without_site'] += 1
                server['join'] = join
            if opt.truth_stack_depth is not None:
                tool_args += ['--stack-depth', str(opt.truth_stack_depth)]
            for p in opt.truth_skip_frames or ():
                tool_args += ['--skip-frames', p]
            if opt.truth_all_allocations:
                tool_args.append('--all-allocations')
            if opt.truth_temporary is not None:
                tool_args += ['--temporary', str(opt.truth_temporary)]
        gen = collections.OrderedDict([('seed', self.opt.seed), ('argv', self.opt.argv),
                                       ('versions', self.vers_used), ('gzip_members', self.w.members),
                                       ('tool_args', tool_args)])
        if self.opt.cuts:
            # [input, line, moved] of each cut's second half; moved: the locked
            # line came after the 📋 line, so its events are numbered one line up
            gen['cuts'] = [list(w.loc(gl)) + [moved] for gl, moved in sorted(w.cut_lines)]
        if self.dbg is not None:
            gen['debug'] = collections.OrderedDict([('types', self.dbg.vocab), ('gzip_members', self.dbg.w.members),
                                                    ('styles', sorted(set(p.style for p in self.dbg.procs.values()))),
                                                    ('processes', len(self.dbg.procs))])
        res = collections.OrderedDict([('generator', gen), ('inputs', inputs), ('server', server), ('debug', debug)])
        if (opt.groups or opt.evidence) and server is not None:
            res['evidence'] = evidence_truth(S, acc, [i['lines'] for i in inputs if i['format'] == 'server-log'], loc)
        if opt.timeline:
            res['timeline'] = collections.OrderedDict([('points', opt.timeline_points), ('server', None)])
            if server is not None:
                res['timeline']['server'] = timeline_truth(
                    S, acc, [i['lines'] for i in inputs if i['format'] == 'server-log'], loc, opt.timeline_points)
            if self.dbg is not None:
                res['timeline']['debug'] = timeline_debug_truth(self.dbg, opt.timeline_points)
        return res


def parse_args(argv):
    ap = argparse.ArgumentParser(description='Generate allocation-server logs and their expected tt-leakcorr report.')
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--out', required=True, help='output prefix (PREFIX.log, PREFIX.truth.json)')
    sz = ap.add_mutually_exclusive_group()
    sz.add_argument('--lines', type=int, help='approximate number of server lines (default 20000)')
    sz.add_argument('--bytes', type=int, help='approximate output size in bytes')
    ap.add_argument('--version', default='V4', choices=list(VERSIONS) + ['mix'])
    ap.add_argument('--devices', type=int, default=8)
    ap.add_argument('--noise', type=float, default=0.0, help='foreign lines per server event')
    ap.add_argument('--mojibake', default='none', choices=('none', 'macroman', 'cp1252', 'mix'))
    ap.add_argument('--crlf', action='store_true')
    ap.add_argument('--gzip', action='store_true')
    ap.add_argument('--gzip-members', type=int, default=1)
    ap.add_argument('--grep-n', action='store_true')
    ap.add_argument('--ansi', action='store_true')
    ap.add_argument('--restarts', type=int, default=0)
    ap.add_argument('--malformed', type=float, default=0.0, help='malformed lines per server event')
    ap.add_argument('--alter-checkpoints', type=int, default=0)
    ap.add_argument('--split', type=int, default=1)
    ap.add_argument('--headless', action='store_true', help='first run has no banner (capture started late)')
    ap.add_argument('--killed', action='store_true', help='server killed: last line cut, no final newline')
    ap.add_argument('--stats-every', type=int, default=0, help='events between statistics blocks (default random)')
    ap.add_argument('--scenario', default='default', choices=('default', 'llama'))
    ap.add_argument('--doc-forms', type=float, default=0.0,
                    help='share of FINAL/unknown frees (V1-V3) and kernel loads (V5/V6) printed in the doc-only forms')
    ap.add_argument('--noise-in-blocks', action='store_true',
                    help='foreign lines may also land inside statistics, cleanup and dump blocks')
    ap.add_argument('--empty-runs', action='store_true', help='some restarts start and stop the server with no client')
    ap.add_argument('--cuts', type=float, default=0.0,
                    help='share of the unlocked DUMP_REMAINING lines that land inside the locked line after '
                         'them, its rest going to the next line (FORMATS.md 1.1)')
    ap.add_argument('--groups', action='store_true',
                    help='the last run gets a mesh client whose leaks form allocation groups (bursts on all devices, '
                         'on device 0, on a subset, partly freed, across the window and an input boundary) and '
                         'checkpoints at known points; the truth gains `evidence` (implies --evidence)')
    ap.add_argument('--groups-checkpoints', default='all', choices=('all', 'none'),
                    help='with --groups: statistics blocks and a dump in the last run (all), or none at all')
    ap.add_argument('--evidence', action='store_true',
                    help='the truth gains `evidence` (per-leak seq, phase, dump_phase, tenth, lifetime_lines, '
                         'size_class, group; the groups; run_totals); the logs are unchanged')
    ap.add_argument('--timeline', action='store_true',
                    help='the truth gains `timeline`: live bytes and buffers over the server-log lines (peaks, '
                         'buckets, marks, wall anchors, what was live at the peaks); the logs are unchanged')
    ap.add_argument('--timeline-points', type=int, default=None, metavar='N',
                    help='the timeline truth for tt-leakcorr --timeline-points N (default %d; implies --timeline)'
                         % TIMELINE_POINTS)
    ap.add_argument('--quiet', action='store_true')
    dg = ap.add_argument_group('buffer debug log (TT_BUFFER_DEBUG_LOG, FORMATS.md section 3)')
    dg.add_argument('--debug-log', action='store_true',
                    help='also write PREFIX.debug.log (after the server log on the command line) and its truth: '
                         'debug, server.leaks[].site, server.join')
    dg.add_argument('--debug-log-only', action='store_true',
                    help='write only the debug log (the truth has server: null); --bytes then sizes the debug log')
    dg.add_argument('--debug-types', default='random', choices=('random', 'patch', 'merged'),
                    help='Type vocabulary: patch (OTHER for SYSTEM_MEMORY/TRACE) or merged (enum names)')
    dg.add_argument('--debug-noise', type=float, default=0.0, help='share of blocks followed by foreign lines')
    dg.add_argument('--debug-split', type=int, default=1,
                    help='write the debug log as K files (PREFIX.debug.1.log ...), one stream split between blocks')
    dg.add_argument('--debug-killed', action='store_true',
                    help='the debug log ends inside a BUFFER ALLOCATED block (after a frame, no final newline)')
    dg.add_argument('--truth-stack-depth', type=int, default=None, help='truth for tt-leakcorr --stack-depth N')
    dg.add_argument('--truth-skip-frames', action='append', default=None, metavar='REGEX',
                    help='truth for tt-leakcorr --skip-frames REGEX (Python re.search; use patterns PCRE2 reads the same)')
    dg.add_argument('--truth-all-allocations', action='store_true', help='truth for tt-leakcorr --all-allocations')
    dg.add_argument('--truth-temporary', type=int, default=None, metavar='K',
                    help='truth for tt-leakcorr --temporary K: debug.sites[] (and all_sites[]) gain temporary and '
                         'temporary_bytes (lifetimes a DESTRUCTOR or DEALLOCATED ended with at most K other '
                         'ALLOCATED blocks between)')
    opt = ap.parse_args(argv)
    if opt.lines is None and opt.bytes is None:
        opt.lines = 20000
    if opt.bytes is None:
        opt.bytes = 0
    if opt.version == 'mix' and opt.restarts < 1:
        opt.restarts = 2
    if opt.debug_log_only:
        opt.debug_log = True
    if opt.timeline_points is not None:
        if not 2 <= opt.timeline_points <= 65536:
            ap.error('--timeline-points must be 2..65536')
        opt.timeline = True
    else:
        opt.timeline_points = TIMELINE_POINTS
    if opt.truth_stack_depth is not None and opt.truth_stack_depth < 1:
        ap.error('--truth-stack-depth must be >= 1')
    if opt.devices < 1 or opt.split < 1 or opt.gzip_members < 1:
        ap.error('--devices, --split and --gzip-members must be >= 1')
    opt.argv = list(argv)
    return opt


def generate(argv):
    opt = parse_args(argv)
    t0 = time.time()
    alter = frozenset()
    if opt.alter_checkpoints > 0:
        # dry run (same simulation, nothing written) to count checkpoints
        dry = Gen(opt, null=True)
        dry.run()
        n = len(dry.acc.checkpoints)
        pick = random.Random(opt.seed * 31 + 7)
        alter = frozenset(pick.sample(range(n), min(n, opt.alter_checkpoints)))
    if opt.debug_log and opt.debug_split > 1:
        # dry run (same simulation, nothing written) to measure the debug
        # log, so that every one of its files gets a share of the blocks
        dry = Gen(opt, null=True, alter_set=alter)
        dry.run()
        opt.debug_total_chars = dry.dbg.w.total_chars
    gen = Gen(opt, alter_set=alter)
    gen.run()
    truth = gen.truth()
    big = (truth['server'] is not None and len(truth['server']['reuse']) > 20000) or \
        (truth['debug'] is not None and len(truth['debug']['leaks']) > 20000)
    with open(opt.out + '.truth.json', 'w') as f:
        json.dump(truth, f, indent=None if big else 1)
        f.write('\n')
    dt = time.time() - t0
    if not opt.quiet:
        tl = sum(i['lines'] for i in truth['inputs'])
        tb = sum(i['bytes'] for i in truth['inputs'])
        sys.stderr.write('leakgen: %d lines, %d bytes, %d files in %.2fs (%.1f MB/s)\n'
                         % (tl, tb, len(truth['inputs']), dt, tb / 1e6 / max(dt, 1e-9)))
    return truth, [os.path.join(os.path.dirname(opt.out), i['path']) for i in truth['inputs']]


def main(argv=None):
    generate(sys.argv[1:] if argv is None else argv)
    return 0


if __name__ == '__main__':
    sys.exit(main())
