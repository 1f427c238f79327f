# SPDX-License-Identifier: MIT
"""Independent models of the two log formats for the robustness tests: they write log lines
and work out, from their own state, what the JSON report must say (REPORT-SCHEMA.md,
FORMATS.md sections 1, 2 and 3).  They share no code with the tool and never read its output.

ServerModel keeps one Python object per key, so it is meant for logs of up to a few hundred
thousand keys; the big generated cases in hostile.py work their answers out in closed form.
"""
from common import g, replace_invalid_utf8

U64 = (1 << 64) - 1
TYPE_ORDER = ["DRAM", "L1", "SYSTEM_MEMORY", "L1_SMALL", "TRACE"]
CHECK = "\u2713 ".encode()
CROSS = "\u2717 ".encode()
WARN = "\u26a0 ".encode()
WARN2 = "\u26a0\ufe0f  ".encode()
BANNER = "\U0001F680 Allocation Server started".encode()
STATS = "\U0001F4CA Current Statistics:".encode()


def type_key(t):
    return (TYPE_ORDER.index(t), b"") if t in TYPE_ORDER else (len(TYPE_ORDER), t.encode())


def sat(x):
    return min(x, U64)


def idtext(addr, dec):
    return b"%d" % addr if dec else b"0x%x" % addr


class ServerModel:
    """One server run (a banner first), lines of server versions V1-V4 (hex or decimal ids)."""

    def __init__(self, banner=True):
        self.out, self.nlines, self.nbytes = [], 0, 0
        self.recognized = self.foreign = self.malformed = 0
        self.live = {}             # (dev, addr) -> [owner, size, type, ref, line]
        self.hist = {}             # (dev, addr) -> dict
        self.ev = dict(alloc=0, alloc_ref=0, free_ref=0, free_final=0, free_unknown=0, cleanup_removed=0,
                       dumps=0, stats_blocks=0)
        self.unknown_dev = {}
        self.cause = dict(never_seen=0, after_final_free=0, after_cleanup=0)
        self.cleanups = []
        self.checkpoints = []
        self.runs = 0
        self.serial = 0          # entry identity (a key can hold several entries over time)
        self.snapshot = None     # the last dump: (title line, {serial: size})
        self.fate = {}           # serial -> "freed" | "cleanup"
        if banner:
            self.banner()

    # -- writing -------------------------------------------------------------------------
    def add(self, text, cls):
        self.out.append(text)
        self.out.append(b"\n")
        self.nlines += 1
        self.nbytes += len(text) + 1
        if cls == "r":
            self.recognized += 1
        elif cls == "f":
            self.foreign += 1
        elif cls == "m":
            self.malformed += 1
        else:
            raise ValueError(cls)
        return self.nlines

    def banner(self):
        self.runs += 1
        self.add(BANNER, "r")

    def foreign_line(self, text):
        self.add(text, "f")

    def malformed_line(self, text):
        """A line of ours that does not parse: it changes nothing."""
        self.add(text, "m")

    def _h(self, key):
        h = self.hist.get(key)
        if h is None:
            h = self.hist[key] = dict(allocs=0, frees=0, unknown=0, sizes=set(), pids=set(), type=None, ended=None)
        return h

    def alloc(self, pid, size, typ, dev, addr, dec=False, prefix=CHECK):
        key = (dev, addr)
        h = self._h(key)
        e = self.live.get(key)
        if e is None:
            line = self.add(prefix + b"[PID %d] Allocated %d bytes of %s on device %d (buffer_id=%s)"
                            % (pid, size, typ.encode(), dev, idtext(addr, dec)), "r")
            self.serial += 1
            self.live[key] = [pid, size, typ, 1, line, self.serial]
            self.ev["alloc"] += 1
        else:
            e[3] += 1
            self.add(prefix + b"[PID %d] Allocated %d bytes of %s on device %d (buffer_id=%s, ref_count=%d)"
                     % (pid, size, typ.encode(), dev, idtext(addr, dec), e[3]), "r")
            self.ev["alloc_ref"] += 1
        h["allocs"] += 1
        h["sizes"].add(size)
        h["pids"].add(pid)
        h["type"] = typ

    def free(self, sender, dev, addr, dec=False):
        """A FREE message: the server prints a free line (owner, stored size) or an unknown line."""
        key = (dev, addr)
        e = self.live.get(key)
        if e is None:
            self.unknown(sender, dev, addr, dec)
            return
        h = self._h(key)
        h["frees"] += 1
        e[3] -= 1
        if e[3] > 0:
            self.add(CROSS + b"[PID %d] Freed buffer %s on device %d (%d bytes, ref_count=%d remaining)"
                     % (e[0], idtext(addr, dec), dev, e[1], e[3]), "r")
            self.ev["free_ref"] += 1
        else:
            self.add(CROSS + b"[PID %d] Freed buffer %s on device %d (%d bytes, FINAL)"
                     % (e[0], idtext(addr, dec), dev, e[1]), "r")
            self.ev["free_final"] += 1
            self.fate[e[5]] = "freed"
            del self.live[key]
            h["ended"] = "final"

    def unknown(self, sender, dev, addr, dec=False):
        key = (dev, addr)
        assert key not in self.live
        h = self._h(key)
        h["unknown"] += 1
        self.add(WARN + b"[PID %d] Deallocation for unknown buffer %s on device %d (allocated before tracking started)"
                 % (sender, idtext(addr, dec), dev), "r")
        self.ev["free_unknown"] += 1
        self.unknown_dev[dev] = self.unknown_dev.get(dev, 0) + 1
        cause = {None: "never_seen", "final": "after_final_free", "cleanup": "after_cleanup"}[h["ended"]]
        self.cause[cause] += 1

    def cleanup(self, pids):
        """One dead-process block for `pids` (ascending, as the server prints them)."""
        self.add(WARN2 + b"Detected dead processes, cleaning up orphaned buffers...", "r")
        for pid in sorted(pids):
            line = self.add(b"   PID %d is dead, removing its buffers..." % pid, "r")
            gone = [k for k, e in self.live.items() if e[0] == pid]
            nbytes = 0
            for k in gone:
                nbytes += self.live[k][1]
                self.fate[self.live[k][5]] = "cleanup"
                del self.live[k]
                self.hist[k]["ended"] = "cleanup"
            self.ev["cleanup_removed"] += len(gone)
            self.add(b"   " + CHECK + b"Removed %d buffers (%s MB) from PID %d"
                     % (len(gone), g(nbytes / 1048576).encode(), pid), "r")
            self.cleanups.append(dict(pid=pid, buffers=len(gone), bytes=nbytes, input=0, line=line))

    def stats(self):
        """A statistics block that agrees with the state (sizes small enough not to wrap)."""
        line = self.add(STATS, "r")
        devs = {}
        for (dev, _), e in self.live.items():
            d = devs.setdefault(dev, dict(n=0, DRAM=0, L1=0, other=0))
            d["n"] += 1
            if e[2] in ("DRAM", "L1"):
                d[e[2]] += e[1]
            else:
                d["other"] += e[1]
        for dev in sorted(devs):
            d = devs[dev]
            self.add(b"  Device %d:" % dev, "r")
            self.add(b"    Buffers: %d" % d["n"], "r")
            self.add(b"    DRAM: %d bytes (%s KB)" % (d["DRAM"], g(d["DRAM"] / 1024).encode()), "r")
            self.add(b"    L1: %d bytes (%s KB)" % (d["L1"], g(d["L1"] / 1024).encode()), "r")
            self.add(b"    Total: %d bytes" % (d["DRAM"] + d["L1"] + d["other"]), "r")
        self.add(b"  Active allocations: %d" % len(self.live), "r")
        self.ev["stats_blocks"] += 1
        self.checkpoints.append(dict(kind="stats", input=0, line=line, agrees=True, differences=[]))

    def dump(self):
        """A DUMP_REMAINING block (V1-V4, no dead process at its start), blank lines left out
        (the contract lets a blank line count as recognized or foreign).  Buffers inside a type
        in address order (the server's order is its hash map's)."""
        self.add("\U0001F4CB Received DUMP_REMAINING request...".encode(), "r")
        self.add("\u2554".encode() + "\u2550".encode() * 62 + "\u2557".encode(), "r")
        title = self.add("\u2551           REMAINING ALLOCATED BUFFERS                       \u2551".encode(), "r")
        self.add("\u255a".encode() + "\u2550".encode() * 62 + "\u255d".encode(), "r")
        self.add(b"Total tracked allocations: %d" % len(self.live), "r")
        if not self.live:
            self.add(CHECK + b"No buffers remaining - perfect cleanup!", "r")
        else:
            devs = {}
            for (dev, addr), e in self.live.items():
                devs.setdefault(dev, {}).setdefault(e[2], []).append((addr, e))
            for dev in sorted(devs):
                self.add(b"Device %d:" % dev, "r")
                for typ in sorted(devs[dev], key=type_key):
                    ents = sorted(devs[dev][typ])
                    mb = sum(e[1] for _, e in ents) / 1048576
                    self.add(b"  %s: %d buffers, %s MB total" % (typ.encode(), len(ents), g(mb).encode()), "r")
                    if len(ents) <= 10:
                        for addr, e in ents:
                            self.add(b"    - Buffer 0x%x: %s KB (PID %d, ref_count=%d)"
                                     % (addr, g(e[1] / 1024).encode(), e[0], e[3]), "r")
            self.add(b"Total remaining buffers: %d" % len(self.live), "r")
        self.add("\U0001F4CB DUMP_REMAINING complete.".encode(), "r")
        self.ev["dumps"] += 1
        self.checkpoints.append(dict(kind="dump", input=0, line=title, agrees=True, differences=[]))
        self.snapshot = (title, {e[5]: e[1] for e in self.live.values()})
        self.fate = {}

    def drain(self):
        """The lines written since the last drain (the log is streamed in pieces)."""
        d = b"".join(self.out)
        self.out = []
        return d

    # -- the answer -------------------------------------------------------------------------
    def expected_input(self, path):
        return dict(path=path, format="server-log", compressed=False, bytes=self.nbytes, lines=self.nlines,
                    recognized_lines=self.recognized, foreign_lines=self.foreign, malformed_lines=self.malformed,
                    truncated=False)

    def expected_server(self):
        by_dev = {}
        for (dev, _), e in self.live.items():
            by_dev.setdefault(dev, {}).setdefault(e[2], [0, 0])
            t = by_dev[dev][e[2]]
            t[0] += 1
            t[1] += e[1]
        rows = []
        for dev in sorted(by_dev):
            types = sorted(by_dev[dev].items(), key=lambda kv: type_key(kv[0]))
            rows.append(dict(device=dev, buffers=sum(v[0] for _, v in types), bytes=sat(sum(v[1] for _, v in types)),
                             by_type=[dict(type=t, buffers=v[0], bytes=sat(v[1])) for t, v in types]))
        remaining = dict(buffers=len(self.live), bytes=sat(sum(e[1] for e in self.live.values())), by_device=rows)
        leaks = [dict(device=k[0], address=k[1], type=e[2], size=e[1], pid=e[0], ref_count=e[3], input=0,
                      line=e[4], site=None)
                 for k, e in self.live.items()]
        leaks.sort(key=lambda x: (-x["size"], x["device"], x["address"]))
        reuse = []
        for k, h in self.hist.items():
            if h["allocs"] > 1 or h["unknown"] > 0:
                reuse.append(dict(device=k[0], address=k[1], type=h["type"], allocs=h["allocs"], frees=h["frees"],
                                  unknown_frees=h["unknown"], net=h["allocs"] - h["frees"], sizes=sorted(h["sizes"]),
                                  pids=sorted(h["pids"]),
                                  live_ref_count=self.live[k][3] if k in self.live else 0))
        reuse.sort(key=lambda r: (-r["net"], -r["allocs"], r["device"], r["address"]))
        unknown = dict(count=self.ev["free_unknown"],
                       by_device=[dict(device=d, count=n) for d, n in sorted(self.unknown_dev.items())],
                       by_cause=dict(self.cause))
        lifecycle = None
        if self.snapshot:
            title, snap = self.snapshot
            parts = {"freed": [0, 0], "cleanup": [0, 0], None: [0, 0]}
            for serial, size in snap.items():
                part = parts[self.fate.get(serial)]
                part[0] += 1
                part[1] += size
            pair = lambda v: dict(buffers=v[0], bytes=sat(v[1]))
            lifecycle = dict(input=0, line=title, at_dump=dict(buffers=len(snap), bytes=sat(sum(snap.values()))),
                             freed_later=pair(parts["freed"]), removed_by_cleanup=pair(parts["cleanup"]),
                             still_live=pair(parts[None]))
        return dict(runs=self.runs, events=dict(self.ev), remaining=remaining, leaks=leaks, unknown_frees=unknown,
                    cleanup=list(self.cleanups), reuse=reuse, checkpoints=list(self.checkpoints),
                    dump_lifecycle=lifecycle)


SEP = ("\u2550" * 59).encode()


class DebugModel:
    """TT_BUFFER_DEBUG_LOG blocks and the lifetime contract of REPORT-SCHEMA.md (`debug`)."""

    def __init__(self):
        self.out, self.nlines, self.nbytes = [], 0, 0
        self.recognized = self.foreign = self.malformed = 0
        self.open = {}       # pointer -> dict(dev, addr, type, size, line, frames, hooked)
        self.last = {}       # pointer -> kind of its latest block
        self.blocks = dict(allocated=0, deallocated=0, destructor=0)
        self.superseded = [0, 0]
        self.unmatched = 0
        self.keys = set()
        self.broken = set()  # pointers whose ALLOCATED block had a broken field: must be closed

    def add(self, text, cls):
        self.out.append(text)
        self.out.append(b"\n")
        self.nlines += 1
        self.nbytes += len(text) + 1
        if cls == "r":
            self.recognized += 1
        elif cls == "f":
            self.foreign += 1
        elif cls == "m":
            self.malformed += 1
        else:
            raise ValueError(cls)
        return self.nlines

    def foreign_line(self, text):
        """A line between blocks of another program (text without control bytes, valid UTF-8)."""
        self.add(text, "f")

    def junk_line(self, text):
        """Binary junk between blocks (control bytes or invalid UTF-8): malformed."""
        self.add(text, "m")

    def block(self, kind, ptr, dev, addr, size, typ, frames, hooked=False, owns=True, bad=(), extra_frames=(),
              replace=None, time=b"12:34:56"):
        """Writes one block.  kind: ALLOCATED, DEALLOCATED or DESTRUCTOR.  frames: the frame texts
        (bytes) kept; extra_frames: frame lines that are malformed (each is left out).  bad: field
        lines (bytes) added after the good fields, each malformed.  replace: {field: line}, a
        malformed line written instead of that field's good one (Device, Address, Size, Type;
        such a block must be closed later, its broken value never reaches the report).  typ is
        bytes."""
        title = {"ALLOCATED": b"BUFFER ALLOCATED", "DEALLOCATED": b"BUFFER DEALLOCATED",
                 "DESTRUCTOR": b"BUFFER DESTRUCTOR (still ALLOCATED - will deallocate)"}[kind]
        replace = replace or {}
        self.add(SEP, "r")
        line = self.add(title, "r")
        fields = [("Time", b"Time: " + time), ("Device", b"Device: %d" % dev),
                  ("Address", b"Address: 0x%x (%d)" % (addr, addr)),
                  ("Size", b"Size: %d bytes (%s KB)" % (size, g(size / 1024).encode())),
                  ("Type", b"Type: " + typ), ("Buffer*", b"Buffer*: 0x%x" % ptr)]
        if kind == "ALLOCATED":
            fields += [("Owns", b"Owns Data: " + (b"yes" if owns else b"no")),
                       ("Hooked", b"Hooked: " + (b"yes" if hooked else b"no"))]
        for name, text in fields:
            if name in replace:
                self.add(replace[name], "m")
            else:
                self.add(text, "r")
        for b_ in bad:
            self.add(b_, "m")
        self.add(b"Call Stack:", "r")
        for f in frames:
            self.add(b"    " + f, "r")
        for f in extra_frames:
            self.add(b"    " + f, "m")
        self.add(b"", "r")
        self.apply(kind, ptr, dev, addr, size, typ, list(frames), hooked, line)
        if replace and kind == "ALLOCATED":
            self.broken.add(ptr)
        return line

    def apply(self, kind, ptr, dev, addr, size, typ, frames, hooked, line):
        if kind == "ALLOCATED":
            self.blocks["allocated"] += 1
            old = self.open.get(ptr)
            if old is not None and not old["hooked"]:
                self.superseded[0] += 1
                self.superseded[1] += old["size"]
            self.open[ptr] = dict(dev=dev, addr=addr, type=typ, size=size, line=line, frames=frames, hooked=hooked)
            self.keys.add((dev, addr))
        else:
            self.blocks["deallocated" if kind == "DEALLOCATED" else "destructor"] += 1
            if ptr in self.open:
                del self.open[ptr]
                self.broken.discard(ptr)
            elif not (kind == "DEALLOCATED" and self.last.get(ptr) == "DESTRUCTOR"):
                self.unmatched += 1
        self.last[ptr] = kind

    def drain(self):
        """The lines written since the last drain (the log is streamed in pieces)."""
        d = b"".join(self.out)
        self.out = []
        return d

    def expected_input(self, path):
        return dict(path=path, format="buffer-debug-log", compressed=False, bytes=self.nbytes, lines=self.nlines,
                    recognized_lines=self.recognized, foreign_lines=self.foreign, malformed_lines=self.malformed,
                    truncated=False)

    def expected_debug(self):
        assert not (self.broken & set(self.open)), "a lifetime with a broken field is still open"
        live = [(p, o) for p, o in self.open.items() if not o["hooked"]]
        hooked = [o for o in self.open.values() if o["hooked"]]
        groups = {}
        for p, o in live:
            g_ = groups.setdefault(tuple(o["frames"]), [0, 0])
            g_[0] += 1
            g_[1] += o["size"]
        order = sorted(groups.items(), key=lambda kv: (-sat(kv[1][1]), -kv[1][0], list(kv[0])))
        index = {fr: i for i, (fr, _) in enumerate(order)}
        sites = [dict(frames=[replace_invalid_utf8(f) for f in fr], buffers=v[0], bytes=sat(v[1])) for fr, v in order]
        leaks = [dict(pointer=p, device=o["dev"], address=o["addr"], type=replace_invalid_utf8(o["type"]),
                      size=o["size"], input=0, line=o["line"], site=index[tuple(o["frames"])]) for p, o in live]
        leaks.sort(key=lambda x: (-x["size"], x["device"], x["address"], x["pointer"]))
        return dict(blocks=dict(self.blocks),
                    live=dict(buffers=len(live), bytes=sat(sum(o["size"] for _, o in live))),
                    superseded=dict(buffers=self.superseded[0], bytes=sat(self.superseded[1])),
                    unmatched=self.unmatched,
                    hooked=dict(buffers=len(hooked), bytes=sat(sum(o["size"] for o in hooked))),
                    leaks=leaks, sites=sites)
