#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks tt-leakcorr's CI output formats: junit, github, gitlab and
folded --diff.

Usage: ci_formats.py TOOL ROOT

ROOT is the source root; the inputs are the hand-made logs of
ROOT/testdata/gate/ (written by testdata/gate/make_logs.py).  Every count
and number below was worked out by hand from those logs and the part-3
contract -- the derivations of the logs' figures are in the .expect files
of testdata/gate/ (diff_server, diff_debug, baseline_growth, ...) and are
repeated briefly next to each check.  Nothing here is copied from the
tool's output.

JUnit output must validate with `xmllint --noout` (Debian: libxml2-utils);
without xmllint the test fails with a message saying so.

Each failure is printed as `CHECK: message`; exit 0 when all hold, else 1.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TIMEOUT = 120

# ------------------------------------------------------------------ frames
TTM = "/opt/tt-metal/build/lib/libtt_metal.so"
TTNN = "/opt/tt-metal/ttnn/ttnn/_ttnn.so"
PY = "/usr/bin/python3.10"
F_CREATE = TTM + ": tt::tt_metal::Buffer::create(tt::tt_metal::IDevice*, unsigned long, unsigned long, tt::tt_metal::BufferType)"
F_ALLOC_DEV = TTNN + ": tt::tt_metal::tensor_impl::allocate_buffer_on_device(tt::tt_metal::IDevice*, tt::tt_metal::TensorSpec const&)"
F_MATMUL = TTNN + ": ttnn::operations::matmul::MatmulOperation::operator()(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&)"
F_CONV = TTNN + ": ttnn::operations::conv::conv2d::Conv2dOperation::invoke(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&)"
F_EMBED = TTNN + ": ttnn::operations::embedding::EmbeddingOperation::invoke(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&)"
F_SOFTMAX = TTNN + ": ttnn::operations::normalization::SoftmaxOperation::invoke(tt::tt_metal::Tensor const&)"
F_MESH = TTM + ": tt::tt_metal::distributed::MeshBuffer::create(tt::tt_metal::distributed::MeshBufferConfig const&, tt::tt_metal::distributed::DeviceLocalBufferConfig const&, tt::tt_metal::distributed::MeshDevice*)"
F_TRACE = TTM + ": tt::tt_metal::detail::EndTraceCapture(tt::tt_metal::IDevice*, unsigned char, unsigned int)"
F_PYEVAL = PY + ": _PyEval_EvalFrameDefault"
F_ODD = '/opt/lib/libodd.so: fmt<100%, "q">::run(int, char&)'

# ci_fifteen.log (make_logs.py): 15 sites sharing their first three frames.
F_CDT = TTNN + ": tt::tt_metal::create_device_tensor(tt::tt_metal::TensorSpec const&, tt::tt_metal::IDevice*)"
OPS15 = [TTNN + ": ttnn::operations::" + o + "::invoke(tt::tt_metal::Tensor const&)" for o in (
    "matmul::MatmulOperation", "conv::conv2d::Conv2dOperation", "embedding::EmbeddingOperation",
    "normalization::SoftmaxOperation", "normalization::LayerNormOperation", "data_movement::ConcatOperation",
    "data_movement::PermuteOperation", "data_movement::ReshapeOperation", "eltwise::binary::AddOperation",
    "reduction::SumOperation")] + [
    TTNN + ": ttnn::operations::pool::MaxPool2DOperation<ttnn::operations::pool::Pool2DType::MAX_POOL2D, "
    "tt::tt_metal::DataType::BFLOAT16>::invoke(tt::tt_metal::Tensor const&, unsigned int)"]
F_HEADS = TTNN + ": ttnn::operations::experimental::transformer::NLPCreateHeadsOperation::invoke(tt::tt_metal::Tensor const&)"
F_SDPA = TTNN + ": ttnn::operations::transformer::ScaledDotProductAttentionOperation::invoke(tt::tt_metal::Tensor const&)"
F_LAUNCH = TTNN + ": ttnn::device_operation::launch_on_device(tt::tt_metal::IDevice*)"
F_TRACED = TTNN + ": ttnn::decorators::registered_operation_t::traced_invoke()"
F_CAPTURE = TTNN + ": ttnn::graph::capture_operation()"
F_CALLOP = TTNN + ": ttnn::decorators::registered_operation_t::operator()()"
HEAD3 = [F_CREATE, F_ALLOC_DEV, F_CDT]
STACKS15 = [HEAD3 + [op, F_PYEVAL] for op in OPS15] + [
    HEAD3 + [F_HEADS, F_LAUNCH, F_TRACED, F_PYEVAL],
    HEAD3 + [F_HEADS, F_LAUNCH, F_CAPTURE, F_PYEVAL],
    HEAD3 + [F_SDPA, F_LAUNCH, F_TRACED, F_PYEVAL],
    HEAD3 + [F_SDPA, F_LAUNCH, F_CALLOP, F_PYEVAL],
]

SA = [F_CREATE, F_ALLOC_DEV, F_MATMUL, F_PYEVAL]
SB = [F_CREATE, F_ALLOC_DEV, F_CONV, F_PYEVAL]
SC = [F_CREATE, F_MESH, F_PYEVAL]
SD = [F_CREATE, F_ALLOC_DEV, F_EMBED, F_PYEVAL]
SE = [F_CREATE, F_ALLOC_DEV, F_SOFTMAX, F_PYEVAL]
SF = [F_TRACE, F_PYEVAL]


def sym(frame):
    """A frame as CI names show it: the SYMBOL of "MODULE: SYMBOL"."""
    return frame.split(": ", 1)[1]


def fingerprint(frames):
    """GitLab's fingerprint, worked independently: FNV-1a 64 over "tt-leakcorr-leak" (then
    xor 0xff), then over the frames joined by newlines (then xor 0xff)."""
    h = 0xcbf29ce484222325
    for part in ("tt-leakcorr-leak", "\n".join(frames)):
        for byte in part.encode("utf-8"):
            h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        h ^= 0xff
    return "%016x" % h


ELL = "\u2026"
# The 15 names of ci_fifteen.log, in growth order (site i has 4096 * (15 - i) bytes).  Every
# stack holds frames 0-2 (L = 3).  Sites 0-10 part from all others at frame 3 (d = 3): the
# name is frame 3 alone, as the frame before it is held by every stack; site 10's symbol is
# 150 bytes, cut at 120 with U+2026.  Sites 11/12 share frames 0-4 (HEADS, LAUNCH), as do
# 13/14 (SDPA, LAUNCH): d = 5, the name is frames 4-5, "LAUNCH <- x".  11 and 13 both give
# "LAUNCH <- TRACED", so both take frames L..d = 3-5 instead.
NAMES15 = [sym(op) for op in OPS15[:10]] + [sym(OPS15[10])[:120] + ELL] + [
    sym(F_HEADS) + " <- " + sym(F_LAUNCH) + " <- " + sym(F_TRACED),
    sym(F_LAUNCH) + " <- " + sym(F_CAPTURE),
    sym(F_SDPA) + " <- " + sym(F_LAUNCH) + " <- " + sym(F_TRACED),
    sym(F_LAUNCH) + " <- " + sym(F_CALLOP),
]


def key(dev, typ, size):
    return f"device {dev} type {typ} size {size}"


# srv_after.log's leak groups (diff_server.expect): key -> (buffers, bytes)
SRV_AFTER_GROUPS = {
    key(0, "DRAM", 1048576): (1, 1048576),
    key(0, "L1", 4096): (3, 12288),
    key(0, "L1", 8192): (3, 24576),
    key(0, "SYSTEM_MEMORY", 4096): (1, 4096),
    key(0, "TRACE", 1024): (1, 1024),
    key(6, "DRAM", 2097152): (1, 2097152),
}
# srv_before.log -> srv_after.log, the new and grown groups (diff_server.expect)
SRV_DIFF_FINDINGS = {key(6, "DRAM", 2097152), key(0, "L1", 8192), key(0, "SYSTEM_MEMORY", 4096)}


class Checker:
    def __init__(self, tool, root):
        self.tool = tool
        self.dir = os.path.join(root, "testdata", "gate")
        self.failures = 0

    def fail(self, check, msg):
        self.failures += 1
        print(f"{check}: {msg}")

    def run(self, check, args, env_extra=None, want_exit=None):
        env = dict(os.environ)
        env.pop("GITHUB_STEP_SUMMARY", None)
        if env_extra:
            env.update(env_extra)
        wrapper = os.environ.get("LC_TOOL_WRAPPER", "").split()
        cmd = wrapper + [self.tool] + args
        try:
            p = subprocess.run(cmd, cwd=self.dir, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as e:
            self.fail(check, f"cannot run {' '.join(cmd)}: {e}")
            return None
        if want_exit is not None and p.returncode != want_exit:
            self.fail(check, f"exit status {p.returncode}, expected {want_exit} "
                             f"(stderr: {p.stderr.decode('utf-8', 'replace').strip()[:300]})")
        return p

    # ------------------------------------------------------------ JUnit
    def junit(self, check, args, want_exit, tests, failures, gate, leaks, placeholder=False):
        """gate: [(rule, failed)], in order; leaks: {name: [substrings the
        failure must carry]} or a list of (name, [substrings]) when names
        repeat.  placeholder: no rule and no finding, so the one testcase
        is the passing stand-in (its classname and name are free)."""
        p = self.run(check, ["--format", "junit"] + args, want_exit=want_exit)
        if p is None:
            return
        xmllint = shutil.which("xmllint")
        if xmllint is None:
            self.fail(check, "xmllint not found: install libxml2-utils (Debian) to validate JUnit")
        else:
            with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
                f.write(p.stdout)
                name = f.name
            try:
                v = subprocess.run([xmllint, "--noout", name], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, timeout=TIMEOUT)
                if v.returncode != 0:
                    self.fail(check, "xmllint --noout rejects the output: "
                              + v.stderr.decode("utf-8", "replace").strip()[:400])
            finally:
                os.unlink(name)
        try:
            root = ET.fromstring(p.stdout)
        except ET.ParseError as e:
            self.fail(check, f"not XML: {e}")
            return
        if root.tag != "testsuites":
            self.fail(check, f"root element <{root.tag}>, expected <testsuites>")
            return

        def num_attr(el, attr, want=None):
            v = el.get(attr)
            if v is None:
                self.fail(check, f"<{el.tag}> has no {attr} attribute")
                return
            try:
                n = float(v)
            except ValueError:
                self.fail(check, f"<{el.tag}> {attr}={v!r} is not a number")
                return
            if want is not None and n != want:
                self.fail(check, f"<{el.tag}> {attr}={v}, expected {want}")

        if not root.get("name"):
            self.fail(check, "<testsuites> has no name")
        num_attr(root, "tests", tests)
        num_attr(root, "failures", failures)
        num_attr(root, "errors", 0)
        num_attr(root, "time")
        suites = root.findall("testsuite")
        if len(suites) != 1:
            self.fail(check, f"{len(suites)} <testsuite> elements, expected 1")
            return
        s = suites[0]
        if not s.get("name"):
            self.fail(check, "<testsuite> has no name")
        num_attr(s, "tests", tests)
        num_attr(s, "failures", failures)
        num_attr(s, "errors", 0)
        num_attr(s, "skipped", 0)
        num_attr(s, "time")
        cases = s.findall("testcase")
        if len(cases) != tests:
            self.fail(check, f"{len(cases)} <testcase> elements, expected {tests}")
        nfail = 0
        for c in cases:
            for a in ("classname", "name"):
                if not c.get(a):
                    self.fail(check, f"<testcase> without {a}: {c.attrib}")
            num_attr(c, "time")
            for fl in c.findall("failure"):
                nfail += 1
                for a in ("message", "type"):
                    if fl.get(a) is None:
                        self.fail(check, f"<failure> of {c.get('name')!r} has no {a}")
        if nfail != failures:
            self.fail(check, f"{nfail} <failure> elements, expected {failures}")
        if placeholder:
            if len(cases) != 1 or list(cases[0]):
                self.fail(check, "expected one passing <testcase> with no child element")
            return root
        gcases = [c for c in cases if c.get("classname") == "tt-leakcorr.gate"]
        got_gate = [(c.get("name"), c.find("failure") is not None) for c in gcases]
        if got_gate != gate:
            self.fail(check, f"gate testcases {got_gate}, expected {gate}")
        lcases = [c for c in cases if c.get("classname") == "tt-leakcorr.leaks"]
        other = [c.get("classname") for c in cases if c not in gcases and c not in lcases]
        if other:
            self.fail(check, f"testcases of unexpected classname {other}")
        want = list(leaks.items()) if isinstance(leaks, dict) else list(leaks)
        if len(lcases) != len(want):
            self.fail(check, f"{len(lcases)} leak testcases, expected {len(want)}: "
                             f"{[c.get('name') for c in lcases]}")
        pool = list(lcases)
        for name, subs in want:
            hit = None
            for c in pool:
                fl = c.find("failure")
                text = "" if fl is None else (fl.text or "") + "\n" + (fl.get("message") or "")
                if c.get("name") == name and all(sub in text for sub in subs):
                    hit = c
                    break
            if hit is None:
                self.fail(check, f"no leak testcase named {name!r} whose failure carries {subs}")
            else:
                pool.remove(hit)
        return root

    # ------------------------------------------------------------ GitHub
    CMD = re.compile(r"^::(?P<cmd>error|warning|notice)"
                     r"(?: (?P<props>[A-Za-z]+=[^,:\r\n]*(?:,[A-Za-z]+=[^,:\r\n]*)*))?"
                     r"::(?P<msg>[^\r\n]*)$")

    @staticmethod
    def unescape(s):
        return (s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
                 .replace("%2C", ",").replace("%25", "%"))

    def github_lines(self, check, out):
        """Parse every line as a workflow command; returns [(cmd, props, msg)]."""
        text = out.decode("utf-8", "replace")
        if text and not text.endswith("\n"):
            self.fail(check, "output does not end with a newline")
        res = []
        for i, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")):
            m = self.CMD.match(line)
            if not m:
                self.fail(check, f"line {i + 1} is not a workflow command: {line!r}")
                continue
            props = {}
            for kv in (m.group("props") or "").split(","):
                if not kv:
                    continue
                k, _, v = kv.partition("=")
                if re.search(r"%(?!25|3A|2C|0D|0A)", v):
                    self.fail(check, f"line {i + 1}: property {k} has an unescaped %: {v!r}")
                props[k] = self.unescape(v)
            msg = m.group("msg")
            if re.search(r"%(?!25|0D|0A)", msg):
                self.fail(check, f"line {i + 1}: message has an unescaped %: {msg!r}")
            if "title" not in props:
                self.fail(check, f"line {i + 1}: no title property: {line!r}")
            res.append((m.group("cmd"), props, self.unescape(msg), line))
        return res

    def github_many(self, check, rule, want_exit, kind, ks_shown, n_more, rule_failed):
        p = self.run(check, ["--format", "github", "ci_many.log", "--fail-on", rule],
                     want_exit=want_exit)
        if p is None:
            return
        lines = self.github_lines(check, p.stdout)
        ann = [l for l in lines if l[0] in ("error", "warning")]
        notes = [l for l in lines if l[0] == "notice"]
        if len(ann) != 10:
            self.fail(check, f"{len(ann)} annotation lines, expected 10 (the cap)")
        if len(lines) != 11 or lines[-1][0] != "notice":
            self.fail(check, f"expected 10 annotations then 1 notice line, got {[l[0] for l in lines]}")
        if len(notes) == 1:
            if not re.match(r"^::notice title=tt-leakcorr::%d more findings not shown\b" % n_more,
                            notes[0][3]):
                self.fail(check, f"notice line {notes[0][3]!r}, expected "
                                 f"'::notice title=tt-leakcorr::{n_more} more findings not shown ...'")
        off = 0
        if rule_failed:
            if not ann or ann[0][0] != "error" or rule not in ann[0][2] + ann[0][1].get("title", ""):
                self.fail(check, f"first line should be the failed rule {rule!r} as ::error: "
                                 f"{ann[0][3] if ann else None!r}")
            off = 1
        findings = ann[off:]
        for i, k in enumerate(ks_shown):
            if i >= len(findings):
                break
            c, props, msg, raw = findings[i]
            if c != kind:
                self.fail(check, f"finding {i + 1} is ::{c}, expected ::{kind}: {raw!r}")
            want = key(0, "DRAM", 65536 * k)
            text = msg + " " + props.get("title", "")
            if not re.search(re.escape(want) + r"(?!\d)", text):
                self.fail(check, f"finding {i + 1} should be {want!r} (growth order): {raw!r}")

    # ------------------------------------------------------------ GitLab
    def gitlab(self, check, args, want_exit=None):
        p = self.run(check, ["--format", "gitlab"] + args, want_exit=want_exit)
        if p is None:
            return None
        try:
            doc = json.loads(p.stdout.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            self.fail(check, f"not JSON: {e}")
            return None
        if not isinstance(doc, list):
            self.fail(check, "not a JSON array")
            return None
        for i, f in enumerate(doc):
            if not isinstance(f, dict):
                self.fail(check, f"[{i}] is not an object")
                continue
            for k in ("description", "check_name", "fingerprint", "severity"):
                if not isinstance(f.get(k), str):
                    self.fail(check, f"[{i}].{k} missing or not a string: {f.get(k)!r}")
            if f.get("check_name") not in ("tt-leakcorr-gate", "tt-leakcorr-leak"):
                self.fail(check, f"[{i}].check_name {f.get('check_name')!r}")
            if not re.fullmatch(r"[0-9a-fA-F]{16}", str(f.get("fingerprint"))):
                self.fail(check, f"[{i}].fingerprint {f.get('fingerprint')!r} is not 16 hex digits")
            if f.get("severity") not in ("info", "minor", "major", "critical", "blocker"):
                self.fail(check, f"[{i}].severity {f.get('severity')!r} is not a Code Quality severity")
            loc = f.get("location")
            if not (isinstance(loc, dict) and isinstance(loc.get("path"), str)
                    and isinstance(loc.get("lines"), dict)
                    and isinstance(loc["lines"].get("begin"), int)
                    and not isinstance(loc["lines"].get("begin"), bool)
                    and loc["lines"]["begin"] >= 1):
                self.fail(check, f"[{i}].location {loc!r} is not {{path, lines: {{begin >= 1}}}}")
        fps = [f.get("fingerprint") for f in doc if isinstance(f, dict)]
        if len(set(fps)) != len(fps):
            self.fail(check, f"fingerprints repeat within one run: {fps}")
        return doc

    # ------------------------------------------------------------ folded
    def folded(self, check, args, want):
        p = self.run(check, ["--format", "folded"] + args, want_exit=0)
        if p is None:
            return
        text = p.stdout.decode("utf-8", "replace")
        got = text.split("\n")
        if got and got[-1] == "":
            got.pop()
        else:
            self.fail(check, "output does not end with a newline")
        for line in got:
            if not re.fullmatch(r".+ -?[0-9]+ -?[0-9]+", line):
                self.fail(check, f"line is not 'frames before after': {line!r}")
        if sorted(got) != sorted(want):
            missing = sorted(set(want) - set(got))
            extra = sorted(set(got) - set(want))
            self.fail(check, f"{len(got)} lines, expected {len(want)}; missing {missing}; "
                             f"unexpected {extra}")


def main(argv):
    if len(argv) != 3:
        print("usage: ci_formats.py TOOL ROOT", file=sys.stderr)
        return 1
    tool = os.path.abspath(argv[1]) if os.sep in argv[1] else argv[1]
    ck = Checker(tool, os.path.abspath(argv[2]))

    # ================================================================ JUnit
    # J1: srv_after.log, two rules.  server.remaining.bytes = 3187712 > 0
    # fails; server.unknown_frees.count = 2 > 5 passes.  Leak findings =
    # every leak group (6, SRV_AFTER_GROUPS).  tests 2 + 6 = 8, failures
    # 1 + 6 = 7.  Each leak failure carries the key and its bytes.
    ck.junit("junit-rules", ["srv_after.log", "--fail-on", "server.remaining.bytes > 0",
                             "--fail-on", "server.unknown_frees.count > 5"],
             want_exit=1, tests=8, failures=7,
             gate=[("server.remaining.bytes > 0", True), ("server.unknown_frees.count > 5", False)],
             leaks={k: [k, str(b)] for k, (n, b) in SRV_AFTER_GROUPS.items()})

    # J2: --diff srv_before.log srv_after.log; diff.sites.new = 2 > 5 passes.
    # Findings: the new/grown sites (3).  tests 1 + 3 = 4, failures 3.
    ck.junit("junit-diff", ["--diff", "srv_before.log", "srv_after.log",
                            "--fail-on", "diff.sites.new > 5"],
             want_exit=0, tests=4, failures=3,
             gate=[("diff.sites.new > 5", False)],
             leaks={key(6, "DRAM", 2097152): ["2097152"], key(0, "L1", 8192): ["24576"],
                    key(0, "SYSTEM_MEMORY", 4096): ["4096"]})

    # J3: ci_clean.log (one buffer allocated and freed), no rule: no rule and
    # no finding -> one passing testcase.
    ck.junit("junit-clean", ["ci_clean.log"], want_exit=0, tests=1, failures=0,
             gate=[], leaks=[], placeholder=True)

    # J4: dbg_after.log, no rule: findings = every call site (5: SF, SE, SD,
    # SB, SA; diff_debug.expect).  Names: no frame leads every stack (SF
    # starts with EndTraceCapture, the others with Buffer::create), L = 0.
    # SF parts from all at frame 0: its symbol.  SA/SB/SD/SE share frames 0-1
    # and part at frame 2: "allocate_buffer_on_device <- <their op>".  Each
    # failure carries the whole stack and the site's bytes.
    def via(op):
        return sym(F_ALLOC_DEV) + " <- " + sym(op)
    ck.junit("junit-debug", ["dbg_after.log"], want_exit=0, tests=5, failures=5, gate=[],
             leaks=[(sym(F_TRACE), SF + ["2097152"]), (via(F_SOFTMAX), SE + ["32768"]),
                    (via(F_EMBED), SD + ["16384"]), (via(F_CONV), SB + ["8192"]),
                    (via(F_MATMUL), SA + ["8192"])])

    # J5: srv_after.log --baseline srv_before.json, no rule: findings = the
    # groups that grew over the baseline: device 6 DRAM 2097152 (0 -> 1),
    # device 0 L1 8192 (1 -> 3), device 0 SYSTEM_MEMORY 4096 (0 -> 1).
    ck.junit("junit-baseline", ["srv_after.log", "--baseline", "srv_before.json"],
             want_exit=0, tests=3, failures=3, gate=[],
             leaks={k: [k] for k in SRV_DIFF_FINDINGS})

    # J6: XML escaping: ci_escape.log's first site's first frame holds < " &
    # (and % , :).  Two sites: [F_ODD, PE] 4096, SA 8192; they part at frame 0,
    # so each is named by its first frame's symbol.
    ck.junit("junit-escape", ["ci_escape.log"], want_exit=0, tests=2, failures=2, gate=[],
             leaks=[(sym(F_ODD), [F_ODD, "4096"]), (sym(F_CREATE), SA + ["8192"])])

    # J7: ci_fifteen.log, 15 sites that share their first 3 frames: 15 distinct
    # names (NAMES15, worked above), each failure with its whole stack.
    ck.junit("junit-names", ["ci_fifteen.log"], want_exit=0, tests=15, failures=15, gate=[],
             leaks=[(NAMES15[i], STACKS15[i] + [str(4096 * (15 - i))]) for i in range(15)])

    # ================================================================ GitHub
    # ci_many.log: 13 groups "device 0 type DRAM size 65536*k", k = 1..13,
    # one buffer each; growth order k = 13, 12, ...
    # G1: a failed rule (server.remaining.buffers = 13 > 0) + 13 findings =
    # 14 items: 10 shown (the rule, then k = 13..5, all ::error), then the
    # notice: 14 - 10 = 4 more.
    ck.github_many("github-cap-failed", "server.remaining.buffers > 0", 1, "error",
                   list(range(13, 4, -1)), 4, True)
    # G2: the gate passes (13 > 100 false): findings are ::warning, 10 shown
    # (k = 13..4), 3 more.
    ck.github_many("github-cap-passed", "server.remaining.buffers > 100", 0, "warning",
                   list(range(13, 3, -1)), 3, False)
    # G3: exactly 10 items (1 failed rule + 9 groups of ci_nine.log): all
    # shown, no notice line.
    p = ck.run("github-ten", ["--format", "github", "ci_nine.log", "--fail-on",
                              "server.remaining.bytes > 0"], want_exit=1)
    if p is not None:
        lines = ck.github_lines("github-ten", p.stdout)
        kinds = [l[0] for l in lines]
        if kinds != ["error"] * 10:
            ck.fail("github-ten", f"expected 10 ::error lines and no notice, got {kinds}")
    # G4: escaping.  ci_escape.log with a failed rule: every line parses
    # (property values without raw ',' ':' CR LF, '%' only in %25 %3A %2C
    # %0D %0A; messages '%' only in %25 %0D %0A).  The frame
    # '/opt/lib/libodd.so: fmt<100%, "q">::run(int, char&)' must come back
    # whole after unescaping, in the message or the title, and a title that
    # holds ':' must have been written with %3A.
    p = ck.run("github-escape", ["--format", "github", "ci_escape.log", "--fail-on",
                                 "debug.live.bytes > 0"], want_exit=1)
    if p is not None:
        lines = ck.github_lines("github-escape", p.stdout)
        if len(lines) != 3:
            ck.fail("github-escape", f"{len(lines)} lines, expected 3 (1 rule + 2 sites)")
        if not any(F_ODD in msg or F_ODD in props.get("title", "") for _, props, msg, _ in lines):
            ck.fail("github-escape", f"no annotation carries the frame {F_ODD!r} intact")
        colon_titles = [raw for _, props, _, raw in lines if ":" in props.get("title", "")]
        if not colon_titles:
            ck.fail("github-escape", "no title holds a ':' -- its escaping is not exercised")
        for raw in colon_titles:
            if "%3A" not in raw.split("::")[1]:
                ck.fail("github-escape", f"title with ':' not written as %3A: {raw!r}")
        odd = [raw for _, _, msg, raw in lines if F_ODD in msg]
        for raw in odd:
            if "100%25" not in raw:
                ck.fail("github-escape", f"'%' in the message not written as %25: {raw!r}")
        comma_titles = [raw for _, props, _, raw in lines if "," in props.get("title", "")]
        for raw in comma_titles:
            if "%2C" not in raw.split("::")[1]:
                ck.fail("github-escape", f"title with ',' not written as %2C: {raw!r}")
    # G5: step summary.  GITHUB_STEP_SUMMARY points to a file that already
    # holds a line: the summary is APPENDED (the line stays first), it is
    # Markdown (a heading or a table) and names the failed rule; stdout
    # stays annotations only.
    fd, summ = tempfile.mkstemp(suffix=".md")
    try:
        with os.fdopen(fd, "w") as f:
            f.write("previous step\n")
        p = ck.run("github-summary", ["--format", "github", "ci_many.log", "--fail-on",
                                      "server.remaining.buffers > 0"],
                   env_extra={"GITHUB_STEP_SUMMARY": summ}, want_exit=1)
        with open(summ, encoding="utf-8", errors="replace") as f:
            s = f.read()
        if not s.startswith("previous step\n"):
            ck.fail("github-summary", "the summary file was overwritten, not appended to")
        rest = s[len("previous step\n"):]
        if not rest.strip():
            ck.fail("github-summary", "nothing appended to $GITHUB_STEP_SUMMARY")
        elif not re.search(r"^(#{1,6} |\|)", rest, re.M):
            ck.fail("github-summary", f"appended text is not Markdown (no heading/table): {rest[:200]!r}")
        if "server.remaining.buffers > 0" not in rest:
            ck.fail("github-summary", "the summary does not name the failed rule")
        if p is not None:
            ck.github_lines("github-summary", p.stdout)
    finally:
        os.unlink(summ)

    # ================================================================ GitLab
    # L1: ci_fp_a.log and ci_fp_b.log hold the same three call sites (SA
    # 8192, SB 4096, SF 1048576) at other pointers, addresses, line numbers
    # and block order.  With one failed rule (debug.live.bytes > 0) each run
    # gives 1 gate finding + 3 leak findings, and the two runs' fingerprints
    # are the same set.
    a = ck.gitlab("gitlab-fp", ["ci_fp_a.log", "--fail-on", "debug.live.bytes > 0"], want_exit=1)
    b = ck.gitlab("gitlab-fp", ["ci_fp_b.log", "--fail-on", "debug.live.bytes > 0"], want_exit=1)
    if a is not None and b is not None:
        for name, doc in (("ci_fp_a", a), ("ci_fp_b", b)):
            n_gate = sum(1 for f in doc if f.get("check_name") == "tt-leakcorr-gate")
            n_leak = sum(1 for f in doc if f.get("check_name") == "tt-leakcorr-leak")
            if (n_gate, n_leak) != (1, 3):
                ck.fail("gitlab-fp", f"{name}: {n_gate} gate + {n_leak} leak findings, expected 1 + 3")
        fa = {(f.get("check_name"), f.get("fingerprint")) for f in a}
        fb = {(f.get("check_name"), f.get("fingerprint")) for f in b}
        if fa != fb:
            ck.fail("gitlab-fp", f"fingerprints differ between runs on the same sites: {sorted(fa)} vs {sorted(fb)}")
    # L2: server-only groups.  srv_before.log has 6 groups; srv_new.log has
    # the same 6 at other addresses plus "device 6 type DRAM size 2097152":
    # the 6 fingerprints recur, the 7th is new and is the device 6 one.
    a = ck.gitlab("gitlab-fp-server", ["srv_before.log"], want_exit=0)
    b = ck.gitlab("gitlab-fp-server", ["srv_new.log"], want_exit=0)
    if a is not None and b is not None:
        if len(a) != 6 or len(b) != 7:
            ck.fail("gitlab-fp-server", f"{len(a)} and {len(b)} findings, expected 6 and 7")
        fa = {f.get("fingerprint") for f in a}
        extra = [f for f in b if f.get("fingerprint") not in fa]
        if not fa <= {f.get("fingerprint") for f in b}:
            ck.fail("gitlab-fp-server", "srv_before's fingerprints do not all recur in srv_new")
        if len(extra) != 1 or key(6, "DRAM", 2097152) not in extra[0].get("description", ""):
            ck.fail("gitlab-fp-server", f"the only new finding should be {key(6, 'DRAM', 2097152)!r}: "
                                        f"{[f.get('description') for f in extra]}")
    # L3: srv_after.log with one failed and one passed rule: findings are the
    # failed rule (Code Quality lists issues) + the 6 leak groups.
    d = ck.gitlab("gitlab-rules", ["srv_after.log", "--fail-on", "server.remaining.bytes > 0",
                                   "--fail-on", "server.unknown_frees.count > 5"], want_exit=1)
    if d is not None:
        g = [f for f in d if f.get("check_name") == "tt-leakcorr-gate"]
        l = [f for f in d if f.get("check_name") == "tt-leakcorr-leak"]
        if len(g) != 1 or "server.remaining.bytes > 0" not in g[0].get("description", ""):
            ck.fail("gitlab-rules", f"gate findings {[f.get('description') for f in g]}, "
                                    "expected only the failed rule")
        if len(l) != 6:
            ck.fail("gitlab-rules", f"{len(l)} leak findings, expected 6")
        for k in SRV_AFTER_GROUPS:
            if not any(re.search(re.escape(k) + r"(?!\d)", f.get("description", "")) for f in l):
                ck.fail("gitlab-rules", f"no leak finding describes {k!r}")
    # L4: nothing leaked, no rule -> an empty array.
    d = ck.gitlab("gitlab-clean", ["ci_clean.log"], want_exit=0)
    if d is not None and d != []:
        ck.fail("gitlab-clean", f"expected [], got {d}")

    # ================================================================ names
    # ci_fifteen.log (NAMES15): GitHub shows 10 annotations a step (the cap):
    # the first 10 sites, each titled "tt-leakcorr: live leak at NAME" (10
    # distinct titles), the message carrying the whole stack, then a notice for
    # 15 - 10 = 5 more; the step summary lists all 15 names.  GitLab: 15
    # descriptions, each ending "at NAME", and the fingerprints of the whole
    # stacks (computed here), which the names do not touch.
    fd, summ = tempfile.mkstemp(suffix=".md")
    os.close(fd)
    try:
        p = ck.run("github-names", ["--format", "github", "ci_fifteen.log"],
                   env_extra={"GITHUB_STEP_SUMMARY": summ}, want_exit=0)
        if p is not None:
            lines = ck.github_lines("github-names", p.stdout)
            ann = [l for l in lines if l[0] in ("error", "warning")]
            titles = [props.get("title") for _, props, _, _ in ann]
            want = ["tt-leakcorr: live leak at " + n for n in NAMES15[:10]]
            if titles != want:
                ck.fail("github-names", f"titles {titles}, expected {want}")
            if len(set(titles)) != 10:
                ck.fail("github-names", f"{len(set(titles))} distinct titles, expected 10")
            for i, (_, _, msg, raw) in enumerate(ann):
                if msg != f"1 buffers, {4096 * (15 - i) // 1024}.0 KiB (+{4096 * (15 - i) // 1024}.0 KiB) allocated at:\n" \
                        + "\n".join(STACKS15[i]):
                    ck.fail("github-names", f"annotation {i + 1}: message {msg!r} is not the buffers and the whole stack")
            if [l[0] for l in lines][10:] != ["notice"] or not lines[10][2].startswith("5 more findings not shown"):
                ck.fail("github-names", f"expected 10 annotations and a notice of 5 more: {[l[3] for l in lines[10:]]}")
        with open(summ, encoding="utf-8") as f:
            rows = [l for l in f.read().splitlines() if l.startswith("| live |")]
        got = [r.rsplit("`", 2)[-2] if r.count("`") >= 2 else r for r in rows]
        if got != NAMES15:
            ck.fail("github-names", f"step summary call sites {got}, expected {NAMES15}")
    finally:
        os.unlink(summ)
    d = ck.gitlab("gitlab-names", ["ci_fifteen.log"], want_exit=0)
    if d is not None:
        descs = [f.get("description", "") for f in d]
        want = [f"live leak site: 1 buffers, {4096 * (15 - i) // 1024}.0 KiB (+{4096 * (15 - i) // 1024}.0 KiB) "
                f"at {NAMES15[i]}" for i in range(15)]
        if descs != want:
            ck.fail("gitlab-names", f"descriptions {descs}, expected {want}")
        if len(set(descs)) != 15:
            ck.fail("gitlab-names", f"{len(set(descs))} distinct descriptions, expected 15")
        fps = [f.get("fingerprint") for f in d]
        if fps != [fingerprint(st) for st in STACKS15]:
            ck.fail("gitlab-names", f"fingerprints {fps} are not FNV-1a of the whole stacks")
    # The fingerprints of ci_fp_a.log are those of the whole stacks too (SA, SB, SF).
    d = ck.gitlab("gitlab-names", ["ci_fp_a.log"], want_exit=0)
    if d is not None and sorted(f.get("fingerprint") for f in d) != sorted(fingerprint(st) for st in (SA, SB, SF)):
        ck.fail("gitlab-names", "ci_fp_a.log: fingerprints are not FNV-1a of the whole stacks")
    # ci_names_edge.log: [CREATE, liba foo], [CREATE, libb foo], [CREATE, bar],
    # [CREATE, bar, baz] (16, 12, 8, 4 KiB).  L = 1.  The foo sites part at
    # frame 1 (d = 1): both "tt::foo()", and frames L..d are the same frame, so
    # each ends with its fingerprint in brackets.  [CREATE, bar] ends inside
    # [CREATE, bar, baz] (d = 2 = its length): "tt::bar() <- (end of stack)";
    # the longer one: "tt::bar() <- tt::baz()".
    d = ck.gitlab("gitlab-names-edge", ["ci_names_edge.log"], want_exit=0)
    if d is not None:
        stacks = [[F_CREATE, "/opt/a/liba.so: tt::foo()"], [F_CREATE, "/opt/b/libb.so: tt::foo()"],
                  [F_CREATE, TTM + ": tt::bar()"], [F_CREATE, TTM + ": tt::bar()", TTM + ": tt::baz()"]]
        names = [f"tt::foo() [{fingerprint(stacks[0])}]", f"tt::foo() [{fingerprint(stacks[1])}]",
                 "tt::bar() <- (end of stack)", "tt::bar() <- tt::baz()"]
        got = [f.get("description", "").split(") at ", 1)[-1] for f in d]
        if got != names:
            ck.fail("gitlab-names-edge", f"names {got}, expected {names}")
    # Byte-stable: the same bytes on a second run and on one thread.
    for fmt in ("junit", "github", "gitlab"):
        a = ck.run("names-stable", ["--format", fmt, "ci_fifteen.log"], want_exit=0)
        b = ck.run("names-stable", ["--format", fmt, "--threads", "1", "ci_fifteen.log"], want_exit=0)
        if a is not None and b is not None and a.stdout != b.stdout:
            ck.fail("names-stable", f"--format {fmt}: two runs differ")

    # ================================================================ folded
    # F1: --diff srv_before.log srv_after.log, bytes (diff_server.expect):
    ck.folded("folded-diff-bytes", ["--diff", "srv_before.log", "srv_after.log"], [
        "device 6 type DRAM size 2097152 0 2097152",
        "device 0 type L1 size 8192 8192 24576",
        "device 0 type SYSTEM_MEMORY size 4096 0 4096",
        "device 0 type L1 size 4096 12288 12288",
        "device 0 type TRACE size 1024 1024 1024",
        "device 0 type L1_SMALL size 2048 2048 0",
        "device 1 type L1 size 65536 65536 0",
        "device 0 type DRAM size 1048576 2097152 1048576",
    ])
    # F2: the same with --weight count (buffers):
    ck.folded("folded-diff-count", ["--weight", "count", "--diff", "srv_before.log", "srv_after.log"], [
        "device 6 type DRAM size 2097152 0 1",
        "device 0 type L1 size 8192 1 3",
        "device 0 type SYSTEM_MEMORY size 4096 0 1",
        "device 0 type L1 size 4096 3 3",
        "device 0 type TRACE size 1024 1 1",
        "device 0 type L1_SMALL size 2048 1 0",
        "device 1 type L1 size 65536 1 0",
        "device 0 type DRAM size 1048576 2 1",
    ])
    # F3: --diff dbg_before.log dbg_after.log, frames root first (the printed
    # stack reversed) joined by ';' (diff_debug.expect):
    def fold(frames, before, after):
        return ";".join(reversed(frames)) + f" {before} {after}"
    ck.folded("folded-diff-debug", ["--diff", "dbg_before.log", "dbg_after.log"], [
        fold(SF, 1048576, 2097152), fold(SE, 0, 32768), fold(SB, 8192, 8192),
        fold(SD, 16384, 16384), fold(SA, 8192, 8192), fold(SC, 65536, 0),
    ])
    ck.folded("folded-diff-debug-count", ["--weight", "count", "--diff", "dbg_before.log", "dbg_after.log"], [
        fold(SF, 1, 2), fold(SE, 0, 1), fold(SB, 2, 1), fold(SD, 1, 1), fold(SA, 1, 2), fold(SC, 1, 0),
    ])

    if ck.failures:
        print(f"ci_formats: {ck.failures} failure(s)")
        return 1
    print("ci_formats: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
