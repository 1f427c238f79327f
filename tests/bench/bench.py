#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench.py - tt-leakcorr throughput against `cat | wc -l`, `zcat | wc -l`, `igzip -dc | wc -l`.

  bench.py --tool PATH [--sizes 1G,4G] [--data DIR] [--history FILE]
           [--formats text[,json]] [--repeat N] [--seed N] [--no-summary] [--regenerate]

For each size, tests/gen/leakgen.py writes a V4 server log (PREFIX.log) and a
buffer debug log (--debug-log-only: PREFIX.debug.log) of about that many bytes
into the data directory, and `gzip -6` compresses each; the four files are
kept there (stamp.json records seed, size and generator command) and reused
by later runs.  A size is skipped, with a note, when it has to be generated
and less than three times its size is free on the data directory's disk.

For each input the page cache is warmed (`cat FILE > /dev/null`), then
`TOOL -f FORMAT FILE > /dev/null` is timed (wall time, CPU time and peak RSS of
the child from wait4), and in the same run the baselines: `cat FILE | wc -l`
for plain files, `zcat FILE | wc -l` and `igzip -dc FILE | wc -l` for .gz
(igzip, Debian package isal, is skipped with a note when missing).  With
--repeat N every command runs N times and the best wall time counts (peak RSS:
the largest).  MB/s and lines/s are of the decompressed data (MB = 10^6 bytes).

One markdown table per run goes to standard output and is appended, with the
date, commit, tool version and machine, to the history file (default
bench/history.md in the source tree).  Then, per server log, the live buffers
at the end from one `TOOL -f json` report (checked against the generator's
truth).  Exit 0 on success, 1 when a command fails, 2 when a needed program
is missing or an option is wrong.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))          # tests/bench -> source root
LEAKGEN = os.path.join(ROOT, 'tests', 'gen', 'leakgen.py')
GEN_SOURCES = [LEAKGEN, os.path.join(ROOT, 'tests', 'gen', 'dbglog.py')]
VERSION = 'V4'                 # server version of the generated server log
GZIP_LEVEL = '-6'              # .gz inputs: `gzip -6` of the plain file (same content)
UNITS = {'': 1, 'K': 10 ** 3, 'M': 10 ** 6, 'G': 10 ** 9}


def note(msg):
    """Progress and notes go to stderr; the table goes to stdout."""
    sys.stderr.write('bench: %s\n' % msg)
    sys.stderr.flush()


def die(msg, status=2):
    sys.stderr.write('bench: %s\n' % msg)
    sys.exit(status)


def parse_size(s):
    """'50M' -> 50000000, '1G' -> 10^9 (decimal units), '123' -> 123."""
    m = re.fullmatch(r'\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*', s.upper())
    if not m:
        raise ValueError('bad size %r (use e.g. 50M, 1G, 4G)' % s)
    n = int(float(m.group(1)) * UNITS[m.group(2)])
    if n < 1:
        raise ValueError('size %r too small' % s)
    return n


# --------------------------------------------------------------------------
# Environment: programs, machine, tool, commit

def need_programs(tool):
    """Checks every program the run needs; exit 2 with a clear message if one is missing.
    Returns whether igzip is available (optional)."""
    if not (os.path.isfile(tool) and os.access(tool, os.X_OK)):
        die('tool %r not found or not executable (build it: meson setup build-bench '
            '--buildtype=release && ninja -C build-bench)' % tool)
    missing = [p for p in ('cat', 'wc', 'zcat', 'gzip') if shutil.which(p) is None]
    if missing:
        die('missing program(s): %s (Debian: coreutils, gzip)' % ', '.join(missing))
    if not os.path.isfile(LEAKGEN):
        die('generator %s not found' % LEAKGEN)
    return shutil.which('igzip') is not None


def machine():
    """'2 cores, AMD EPYC, 23.5 GiB RAM, Linux 6.1'."""
    model = 'unknown CPU'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ''
    try:
        with open('/proc/meminfo') as f:
            kb = int(f.readline().split()[1])
        mem = ', %.1f GiB RAM' % (kb / 1048576.0)
    except (OSError, ValueError, IndexError):
        pass
    ncpu = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()
    return '%d cores (nproc), %s%s, %s %s' % (ncpu, model, mem, platform.system(), platform.release())


def tool_version(tool):
    p = subprocess.run([tool, '-V'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.stdout.strip() or 'unknown (exit %d)' % p.returncode


def tool_inflate(tool):
    """'ISA-L' when the binary links libisal, 'zlib' when ldd shows no libisal, else 'unknown'."""
    try:
        p = subprocess.run(['ldd', tool], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return 'unknown'
    if p.returncode != 0:
        return 'unknown'
    return 'ISA-L' if 'libisal' in p.stdout else 'zlib'


def git_commit():
    """Short HEAD commit, '+dirty' when tracked files differ from it. Read-only: git status
    with GIT_OPTIONAL_LOCKS=0 does not refresh the index."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS='0')
    try:
        head = subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if head.returncode != 0:
            return 'unknown'
        st = subprocess.run(['git', '-C', ROOT, 'status', '--porcelain', '--untracked-files=no'], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return 'unknown'
    return head.stdout.strip() + ('+dirty' if st.returncode == 0 and st.stdout.strip() else '')


# --------------------------------------------------------------------------
# Inputs: generated once per seed and size, cached in the data directory

def gen_hash():
    h = hashlib.sha256()
    for p in GEN_SOURCES:
        with open(p, 'rb') as f:
            h.update(f.read())
    return h.hexdigest()[:12]


class Inputs:
    """The four files of one size: DIR/server.log(.gz), DIR/debug.debug.log(.gz)."""

    def __init__(self, data, seed, label, nbytes):
        self.dir = os.path.join(data, 's%d-%s-%s' % (seed, VERSION, label))
        self.seed, self.label, self.nbytes = seed, label, nbytes
        self.server = os.path.join(self.dir, 'server.log')           # leakgen --out DIR/server
        self.debug = os.path.join(self.dir, 'debug.debug.log')       # leakgen --out DIR/debug --debug-log-only
        self.stamp_path = os.path.join(self.dir, 'stamp.json')
        try:
            with open(self.stamp_path) as f:
                self.stamp = json.load(f)
        except (OSError, ValueError):
            self.stamp = {}
        if self.stamp.get('seed') != seed or self.stamp.get('bytes') != nbytes:
            self.stamp = {'seed': seed, 'bytes': nbytes, 'files': {}}

    def leakgen_argv(self, kind, nbytes=None):
        argv = [sys.executable, LEAKGEN, '--seed', str(self.seed), '--out', os.path.join(self.dir, kind),
                '--version', VERSION, '--bytes', str(nbytes or self.nbytes), '--quiet']
        return argv + (['--debug-log-only'] if kind == 'debug' else [])

    def cached(self, path):
        """A file counts as present when the stamp recorded it with this size."""
        size = self.stamp['files'].get(os.path.basename(path))
        return size is not None and os.path.isfile(path) and os.path.getsize(path) == size

    def complete(self):
        return all(self.cached(p) for p in (self.server, self.server + '.gz', self.debug, self.debug + '.gz'))

    def _record(self, path, **extra):
        self.stamp['files'][os.path.basename(path)] = os.path.getsize(path)
        self.stamp.update(extra)
        tmp = self.stamp_path + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(self.stamp, f, indent=1)
            f.write('\n')
        os.replace(tmp, self.stamp_path)

    def make(self, regenerate):
        """Generates what is missing; returns None, or why the size is skipped (disk too full)."""
        if regenerate:
            self.stamp['files'] = {}
        if self.complete():
            if self.stamp.get('generator') != gen_hash():
                note('%s: reusing %s, made by another version of leakgen.py/dbglog.py '
                     '(--regenerate makes it again)' % (self.label, self.dir))
            return None
        os.makedirs(os.path.dirname(self.dir), exist_ok=True)
        free = shutil.disk_usage(os.path.dirname(self.dir)).free
        if free < 3 * self.nbytes:
            why = ('%.1f GB free on %s, generating needs 3 x %s = %.1f GB (plain + gz + headroom)'
                   % (free / 1e9, os.path.dirname(self.dir), self.label, 3 * self.nbytes / 1e9))
            note('%s: skipped: %s' % (self.label, why))
            return why
        os.makedirs(self.dir, exist_ok=True)
        for kind, path in (('server', self.server), ('debug', self.debug)):
            if not self.cached(path):
                argv = self.leakgen_argv(kind)
                note('%s: generating %s log: %s' % (self.label, kind, ' '.join(argv[1:])))
                t0 = time.perf_counter()
                if subprocess.run(argv).returncode != 0:
                    die('leakgen failed: %s' % ' '.join(argv), 1)
                # --debug-log-only sizes its output only roughly (1G gives about 0.25 GB):
                # once more, with --bytes scaled by what came out.
                got = os.path.getsize(path)
                if kind == 'debug' and 0 < got < 0.8 * self.nbytes:
                    argv = self.leakgen_argv(kind, int(self.nbytes * self.nbytes / got))
                    note('%s: %.1f MB is short of %s; again: %s' % (self.label, got / 1e6, self.label,
                                                                   ' '.join(argv[1:])))
                    if subprocess.run(argv).returncode != 0:
                        die('leakgen failed: %s' % ' '.join(argv), 1)
                self.stamp['files'].pop(os.path.basename(path) + '.gz', None)   # gz of the old file
                self._record(path, generator=gen_hash(), **{kind + '_argv': argv[1:]})
                note('%s: %s: %.1f MB in %.1f s' % (self.label, path, os.path.getsize(path) / 1e6,
                                                    time.perf_counter() - t0))
            gz = path + '.gz'
            if not self.cached(gz):
                note('%s: gzip %s %s' % (self.label, GZIP_LEVEL, path))
                t0 = time.perf_counter()
                with open(gz + '.tmp', 'wb') as out:
                    if subprocess.run(['gzip', GZIP_LEVEL, '-c', path], stdout=out).returncode != 0:
                        die('gzip %s -c %s failed' % (GZIP_LEVEL, path), 1)
                os.replace(gz + '.tmp', gz)
                self._record(gz)
                note('%s: %s: %.1f MB in %.1f s' % (self.label, gz, os.path.getsize(gz) / 1e6,
                                                    time.perf_counter() - t0))
        return None


# --------------------------------------------------------------------------
# Timing

def run_tool(tool, fmt, path):
    """`TOOL -f FMT PATH > /dev/null`: (wall s, CPU s, peak RSS KiB).  Exits 1 when the tool
    fails (status 2 or more, or a signal); its standard error is shown then."""
    argv = [tool, '-f', fmt, path]
    with tempfile.TemporaryFile() as err:
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        t0 = time.perf_counter()
        pid = os.posix_spawn(tool, argv, os.environ, file_actions=actions)
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            msg = err.read().decode(errors='replace')[-2000:]
            die('%s exited with %d:\n%s' % (' '.join(argv), code, msg), 1)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def run_count(cmd, path):
    """`CMD PATH | wc -l`: (wall s, lines)."""
    t0 = time.perf_counter()
    src = subprocess.Popen(cmd + [path], stdout=subprocess.PIPE)
    wc = subprocess.Popen(['wc', '-l'], stdin=src.stdout, stdout=subprocess.PIPE)
    src.stdout.close()                   # wc holds the only read end
    out = wc.communicate()[0]
    rc = src.wait()
    wall = time.perf_counter() - t0
    if rc != 0 or wc.returncode != 0:
        die('%s %s | wc -l failed (exit %d, %d)' % (' '.join(cmd), path, rc, wc.returncode), 1)
    return wall, int(out.split()[0])


def warm(path):
    """`cat FILE > /dev/null`: the file in the page cache for every command that follows."""
    with open(os.devnull, 'wb') as null:
        subprocess.run(['cat', path], stdout=null, check=True)


def bench_input(tool, formats, path, plain, repeat, have_igzip):
    """Times one input: one row per format, baselines measured once and shared."""
    warm(path)
    gz = path.endswith('.gz')
    base = {}                            # 'cat' | 'zcat' | 'igzip' -> best wall
    lines = None
    cmds = [('zcat', ['zcat']), ('igzip', ['igzip', '-dc'])] if gz else [('cat', ['cat'])]
    rows = []
    for fmt in formats:
        best, cpu, rss = None, None, 0
        for _ in range(repeat):
            w, c, r = run_tool(tool, fmt, path)
            if best is None or w < best:
                best, cpu = w, c
            rss = max(rss, r)
        rows.append({'fmt': fmt, 'wall': best, 'cpu': cpu, 'rss_kb': rss})
    for name, cmd in cmds:
        if name == 'igzip' and not have_igzip:
            continue
        for _ in range(repeat):
            w, n = run_count(cmd, path)
            base[name] = min(base.get(name, w), w)
            if lines is not None and n != lines:
                die('%s: %s | wc -l counts %d lines, the other baseline %d' % (path, name, n, lines), 1)
            lines = n
    data_bytes = os.path.getsize(plain)  # decompressed size: the plain file holds the same bytes
    for r in rows:
        r.update(path=path, gz=gz, file_bytes=os.path.getsize(path), data_bytes=data_bytes,
                 lines=lines, base=base)
    return rows


# --------------------------------------------------------------------------
# Report

COLUMNS = ['input', 'fmt', 'file MB', 'lines', 'wall s', 'CPU s', 'MB/s', 'Mlines/s', 'peak RSS MiB',
           'cat\\|wc s', 'zcat\\|wc s', 'igzip\\|wc s', 'tool/cat', 'tool/zcat', 'tool/igzip']
RIGHT = set(COLUMNS[2:])


def secs(v):
    """Seconds: three decimals under one second (quick runs), two above."""
    return '%.3f' % v if v < 1 else '%.2f' % v


def fmt_row(label, r):
    def t(name):
        v = r['base'].get(name)
        return secs(v) if v is not None else '-'

    def ratio(name):
        v = r['base'].get(name)
        return '%.2fx' % (r['wall'] / v) if v else '-'
    return [label, r['fmt'], '%.1f' % (r['file_bytes'] / 1e6), '{:,}'.format(r['lines']), secs(r['wall']),
            secs(r['cpu']), '%.0f' % (r['data_bytes'] / 1e6 / r['wall']),
            '%.2f' % (r['lines'] / 1e6 / r['wall']), '%.0f' % (r['rss_kb'] / 1024.0),
            t('cat'), t('zcat'), t('igzip'), ratio('cat'), ratio('zcat'), ratio('igzip')]


def markdown_table(rows):
    """A pipe table padded to line up in a terminal too."""
    width = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]

    def line(cells):
        return '| ' + ' | '.join(c.rjust(w) if COLUMNS[i] in RIGHT else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, width))) + ' |'
    sep = '|' + '|'.join(('-' * (w + 1) + ':') if COLUMNS[i] in RIGHT else '-' * (w + 2)
                         for i, w in enumerate(width)) + '|'
    return '\n'.join([line(COLUMNS), sep] + [line(r) for r in rows])


def head_count(path, pattern, limit=1 << 20):
    """The first integer PATTERN captures in the first LIMIT bytes of a JSON file (the
    summary fields come before the long lists in reports and truths), or None."""
    try:
        with open(path, 'rb') as f:
            m = re.search(pattern, f.read(limit))
    except OSError:
        return None
    return int(m.group(1)) if m else None


REMAINING = rb'"remaining"\s*:\s*\{\s*"buffers"\s*:\s*(\d+)'


def server_summary(tool, inp, rss_kb):
    """One `TOOL -f json` report of the server log: live buffers at the end (and the truth's
    figure). Distinct addresses: neither the report nor the truth records them."""
    report = os.path.join(inp.dir, 'server.report.json')    # removed after reading: it can be large
    p = subprocess.run([tool, '-f', 'json', '-o', report, inp.server],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    live = head_count(report, REMAINING) if p.returncode in (0, 1) else None
    if os.path.exists(report):
        os.remove(report)
    truth = head_count(os.path.join(inp.dir, 'server.truth.json'), REMAINING)
    agree = '' if live is None or truth is None else (', as in the truth' if live == truth else
                                                      ', the truth says %d' % truth)
    return ('- %s server.log: live buffers at the end %s%s; distinct addresses: not recorded by the '
            'generator truth (skipped); peak RSS %.0f MiB'
            % (inp.label, 'unknown (exit %d)' % p.returncode if live is None else '{:,}'.format(live),
               agree, rss_kb / 1024.0))


HISTORY_HEAD = """# tt-leakcorr benchmark history

Appended by `tests/bench/bench.py` (`meson test --benchmark`, README.md "Speed"): one section
per run, newest last. Inputs are generated by `tests/gen/leakgen.py` (V4 server log and buffer
debug log, seed in each section) and compressed with `gzip -6`; MB = 10^6 bytes of
decompressed data; wall times are the best of the run's repeats.
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0].split(' - ', 1)[1])
    ap.add_argument('--tool', required=True, help='the tt-leakcorr binary (a release build)')
    ap.add_argument('--sizes', default='1G,4G', help='comma-separated sizes, decimal units (default 1G,4G; e.g. 50M)')
    ap.add_argument('--data', default=os.environ.get('LC_BENCH_DATA', os.path.expanduser('~/.cache/tt-leakcorr-bench')),
                    help='where generated logs are kept and reused (default $LC_BENCH_DATA or ~/.cache/tt-leakcorr-bench)')
    ap.add_argument('--history', default=os.path.join(ROOT, 'bench', 'history.md'),
                    help='markdown file each run is appended to (default <source root>/bench/history.md)')
    ap.add_argument('--formats', default='text', help='tool report formats to time, comma-separated: text, json')
    ap.add_argument('--repeat', type=int, default=1, help='run each command N times, keep the best wall time')
    ap.add_argument('--seed', type=int, default=7, help='leakgen seed (default 7)')
    ap.add_argument('--no-summary', action='store_true', help='skip the per-server-log JSON report summary')
    ap.add_argument('--regenerate', action='store_true', help='generate the inputs again even when cached')
    opt = ap.parse_args(argv)
    try:
        sizes = [(s.strip().upper(), parse_size(s)) for s in opt.sizes.split(',') if s.strip()]
    except ValueError as e:
        ap.error(str(e))
    formats = [f.strip() for f in opt.formats.split(',') if f.strip()]
    if not sizes or not formats or any(f not in ('text', 'json') for f in formats):
        ap.error('--sizes needs at least one size; --formats takes text and/or json')
    if opt.repeat < 1:
        ap.error('--repeat must be >= 1')
    tool = os.path.abspath(opt.tool)
    have_igzip = need_programs(tool)
    if not have_igzip:
        note('igzip not installed (Debian package isal): the igzip|wc baseline is skipped')

    info = {'date': datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z'),
            'commit': git_commit(), 'version': tool_version(tool), 'inflate': tool_inflate(tool),
            'machine': machine()}
    rows, summary = [], []
    server_rss = 0
    for label, nbytes in sizes:
        inp = Inputs(os.path.abspath(opt.data), opt.seed, label, nbytes)
        why = inp.make(opt.regenerate)
        if why:
            summary.append('- %s: skipped: %s' % (label, why))
            continue
        for kind, plain in (('server', inp.server), ('debug', inp.debug)):
            for path in (plain, plain + '.gz'):
                name = '%s %s' % (label, os.path.basename(path))
                note('timing %s (%s)' % (name, ', '.join(formats)))
                for r in bench_input(tool, formats, path, plain, opt.repeat, have_igzip):
                    rows.append(fmt_row(name, r))
                    if kind == 'server' and not r['gz'] and r['fmt'] == formats[0]:
                        server_rss = r['rss_kb']
        if not opt.no_summary:
            summary.append(server_summary(tool, inp, server_rss))

    text = ['## %s, commit %s' % (info['date'], info['commit']), '',
            '%s (inflate: %s, `%s`); %s; seed %d, repeat %d%s.'
            % (info['version'], info['inflate'], tool, info['machine'], opt.seed, opt.repeat,
               '' if have_igzip else '; igzip not installed (Debian package isal): no igzip baseline'), '']
    if rows:
        text += [markdown_table(rows), '',
                 '`X\\|wc s`: `X FILE | wc -l` (igzip: `igzip -dc`); `tool/X`: tool wall time over it. '
                 'MB/s and Mlines/s: decompressed data over the tool\'s wall time.', '']
    else:
        text += ['No input benchmarked.', '']
    if summary:
        text += summary + ['']
    out = '\n'.join(text)
    sys.stdout.write(out)
    sys.stdout.flush()

    os.makedirs(os.path.dirname(os.path.abspath(opt.history)), exist_ok=True)
    new = not os.path.exists(opt.history) or os.path.getsize(opt.history) == 0
    with open(opt.history, 'a') as f:
        f.write((HISTORY_HEAD if new else '') + '\n' + out)
    note('appended to %s' % opt.history)
    return 0


if __name__ == '__main__':
    sys.exit(main())
