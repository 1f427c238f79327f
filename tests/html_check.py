#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The HTML page against the JSON report of the same run (tests/meson.build: suite html).

Usage: html_check.py TOOL SOURCE_ROOT [TEST_HTML]

For each run below the tool runs twice with the same arguments, `--format json` and
`--format html`, and the page must hold:
- tidy -errors -q finds no error (exit 0, or 1 for warnings only);
- one self-contained document: <!DOCTYPE html>, <html lang="en">, <meta charset="utf-8">,
  one <style>, at most one <script> and none with src, no src/href/url() that loads
  anything, no http(s) URL but the SVG namespace;
- every <svg>...</svg> parses as XML (xml.etree) with the SVG namespace;
- every element with data-path has data-value equal to the integer at that path of the JSON
  report (metrics path syntax: server.leaks.3.size), and its text is that integer grouped with
  narrow spaces, a byte size ("12.0 KiB", as lc_human_bytes prints it) or, for addresses and
  pointers, its hex;
- the regions the spec names are there exactly when the JSON has their data;
- tables are cut at --top: "N more not shown" where a list is longer.
With TEST_HTML (the unit test tests/unit/test_html.c), the page it renders of the hand-written
report tests/html/timeline.json (a timeline of 2 devices, 6 buckets; --top 2) is checked the same
way. The checker checks itself first: a page with one data-value changed must fail it.
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"


class Page(html.parser.HTMLParser):
    """The elements with data-path (path, value, text), the section ids, tag counts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nums = []
        self.open = []          # [path, value, text parts, depth] of data-path elements being read
        self.depth = 0
        self.sections = []
        self.tags = {}
        self.attrs_seen = []
        self.more = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.attrs_seen.append((tag, a))
        if tag == "section":
            self.sections.append(a.get("id"))
        if tag == "p" and a.get("class") == "more":
            self.open.append(["more", None, [], self.depth])
        elif "data-path" in a:
            self.open.append([a["data-path"], a.get("data-value"), [], self.depth])
        if tag not in ("br", "meta", "rect", "circle", "line", "path"):
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.attrs_seen.append((tag, a))
        if "data-path" in a and tag in ("circle",):
            self.nums.append((a["data-path"], a.get("data-value"), None))

    def handle_endtag(self, tag):
        if tag in ("br", "meta", "rect", "circle", "line", "path"):
            return
        self.depth -= 1
        while self.open and self.open[-1][3] >= self.depth:
            path, value, parts, _ = self.open.pop()
            if path == "more":
                self.more.append("".join(parts))
            else:
                self.nums.append((path, value, "".join(parts)))

    def handle_data(self, data):
        for o in self.open:
            o[2].append(data)


def lookup(doc, path):
    v = doc
    for part in path.split("."):
        if isinstance(v, list):
            if not part.isdigit() or int(part) >= len(v):
                return KeyError
            v = v[int(part)]
        elif isinstance(v, dict):
            if part not in v:
                return KeyError
            v = v[part]
        else:
            return KeyError
    return v


def human(b):
    if b < 1024:
        return f"{b} B"
    units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    v, u = float(b), -1
    while v >= 1024.0 and u < 5:
        v /= 1024.0
        u += 1
    return f"{v:.1f} {units[u]}"


def grouped(n):
    s = str(abs(n))
    out = ""
    for i, c in enumerate(s):
        if i and (len(s) - i) % 3 == 0:
            out += "\u202f"
        out += c
    return ("-" if n < 0 else "") + out


def check_page(page, doc, top, name):
    """The failures of one page against its JSON report, as a list of strings."""
    fails = []
    if not page.startswith("<!DOCTYPE html>"):
        fails.append("no <!DOCTYPE html> first")
    for need in ('<html lang="en">', '<meta charset="utf-8">'):
        if need not in page:
            fails.append(f"no {need}")
    p = Page()
    p.feed(page)
    p.close()
    if p.tags.get("style", 0) != 1:
        fails.append(f"{p.tags.get('style', 0)} <style> elements, want 1")
    if p.tags.get("script", 0) > 1:
        fails.append(f"{p.tags['script']} <script> elements, want at most 1")
    for tag, a in p.attrs_seen:
        if "src" in a:
            fails.append(f"<{tag} src=...>: nothing may be loaded")
        href = a.get("href")
        if href is not None and not href.startswith("#"):
            fails.append(f"<{tag} href={href!r}>: only links inside the page")
        if tag in ("link", "img", "iframe", "object", "embed"):
            fails.append(f"<{tag}>: nothing may be loaded")
    if "url(" in page:
        fails.append("url( in the page")
    if re.search(r"https?:", page.replace(f'xmlns="{SVG_NS}"', "")):
        fails.append("an http(s) URL other than the SVG namespace")
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    for i, s in enumerate(svgs):
        try:
            root = ET.fromstring(s)
            if root.tag != "{%s}svg" % SVG_NS:
                fails.append(f"svg {i}: root {root.tag}, not in the SVG namespace")
        except ET.ParseError as e:
            fails.append(f"svg {i}: not well-formed XML: {e}")
    if not p.nums:
        fails.append("no element with data-path")
    for path, value, text in p.nums:
        want = lookup(doc, path)
        if want is KeyError or not isinstance(want, int) or isinstance(want, bool):
            fails.append(f"data-path={path}: no integer there in the JSON ({want!r})")
            continue
        if value != str(want):
            fails.append(f"data-path={path}: data-value={value}, the JSON has {want}")
            continue
        if text is None:
            continue
        text = text.strip()
        forms = {grouped(want), human(want) if want >= 0 else None, hex(want) if want >= 0 else None}
        if text not in forms:
            fails.append(f"data-path={path}: text {text!r} is none of {sorted(f for f in forms if f)}")
    # regions: present exactly when the JSON has their data
    srv, dbg = doc.get("server"), doc.get("debug")
    tl = doc.get("timeline") or {}
    want_regions = {
        "verdict": True, "inputs": True,
        "timeline": any((tl.get(k) or {}).get("buckets") for k in ("server", "debug")),
        "remaining": bool(srv or dbg),
        "leaks": bool((srv or {}).get("leaks") or (dbg or {}).get("leaks")),
        "evidence": bool(doc.get("evidence")),
        "reuse": bool((srv or {}).get("reuse")),
        "unknown": bool(srv and srv.get("unknown_frees") is not None),
        "cleanup": bool((srv or {}).get("cleanup")),
        "sites": bool((dbg or {}).get("sites")),
        "dump": bool((srv or {}).get("dump_lifecycle")),
        "diff": bool(doc.get("diff")),
        "gate": bool(doc.get("gate")),
    }
    for region, present in want_regions.items():
        if present != (region in p.sections):
            fails.append(f"section {region}: {'missing' if present else 'there without data'}")
    if want_regions["sites"] and page.count('<g class="frame') < 1:
        fails.append("the sites section has no frame")
    if want_regions["timeline"] and ('class="peak"' not in page or 'class="chart"' not in page):
        fails.append("the timeline has no chart or no peak marker")
    # the leak tables are cut at --top
    cuts = []
    for side in (srv, dbg):
        n = len((side or {}).get("leaks") or [])
        if top and n > top:
            cuts.append(f"{n - top} more not shown")
    for c in cuts:
        if c not in p.more:
            fails.append(f"no '{c}' line (leaks cut at --top {top})")
    return [f"{name}: {f}" for f in fails]


def tidy(page, name):
    r = subprocess.run(["tidy", "-errors", "-q"], input=page.encode(), capture_output=True)
    if r.returncode >= 2:
        return [f"{name}: tidy exit {r.returncode}: {r.stderr.decode(errors='replace')[:2000]}"]
    return []


RUNS = [
    # (name, folder under the source root, arguments, --top)
    ("sample", "testdata/sample", ["v1-small.log"], 20),
    ("sample-gz", "testdata/sample", ["debug-llama.log.gz"], 20),
    ("server-debug", "testdata/hand_debug", ["stacks_server.log", "stacks_debug.log"], 20),
    ("debug-mojibake", "testdata/hand_debug", ["mojibake_cp1252.log", "--top", "1"], 1),
    ("debug-deep", "testdata/hand_debug", ["deep_stack.log", "--top", "0"], 0),
    ("diff", "testdata/gate", ["--diff", "dbg_before.log", "dbg_after.log"], 20),
    ("gate", "testdata/gate", ["dbg_after.log", "--baseline", "dbg_before.json", "--fail-on",
                               "debug.live.bytes > 1056KiB", "--fail-on", "debug.live.buffers == 3"], 20),
    ("top3", "testdata/sample", ["v1-small.log", "--top", "3"], 3),
    ("empty", "testdata/edge", ["--allow-empty", "empty.log"], 20),
    ("no-data", "testdata/edge", ["binary_junk.log"], 20),
    ("filter", "testdata/sample", ["v1-small.log", "--device", "1", "--type", "L1", "--min-size", "1KiB"], 20),
]


def main():
    tool, root = sys.argv[1], sys.argv[2]
    if not shutil.which("tidy"):
        print("tidy (HTML Tidy) is not installed: skipped")
        return 77
    tool = os.path.abspath(tool)
    fails = []
    checked = 0
    self_checked = False
    for name, folder, args, top in RUNS:
        cwd = os.path.join(root, folder)
        runs = {}
        for fmt in ("json", "html"):
            r = subprocess.run([tool, "--no-progress", *args, "--format", fmt], cwd=cwd, capture_output=True)
            runs[fmt] = r
        if runs["json"].returncode != runs["html"].returncode:
            fails.append(f"{name}: exit {runs['html'].returncode} with html, {runs['json'].returncode} with json")
        doc = json.loads(runs["json"].stdout)
        page = runs["html"].stdout.decode("utf-8")  # raises on invalid UTF-8: a failure
        fails += tidy(page, name)
        fails += check_page(page, doc, top, name)
        checked += len(re.findall(r"data-path=", page))
        if not self_checked:
            # the checker must fail a page with one figure changed, and one with a path that is not in the JSON
            m = re.search(r'data-path="([^"]+)" data-value="(\d+)"', page)
            broken = page[:m.start(2)] + str(int(m.group(2)) + 1) + page[m.end(2):]
            if not check_page(broken, doc, top, name):
                fails.append(f"{name}: the checker passed a page with {m.group(1)} changed")
            broken = page.replace(f'data-path="{m.group(1)}"', 'data-path="server.no_such_path"', 1)
            if not check_page(broken, doc, top, name):
                fails.append(f"{name}: the checker passed a page with a path not in the JSON")
            self_checked = True
        print(f"{name}: {len(page)} bytes, {page.count('data-path=')} figures")
    if len(sys.argv) > 3:
        fixture = os.path.join(root, "tests/html/timeline.json")
        out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"tt-leakcorr-html-fixture-{os.getpid()}.html")
        try:
            r = subprocess.run([os.path.abspath(sys.argv[3]), fixture, out], capture_output=True)
            if r.returncode != 0:
                fails.append(f"fixture: {sys.argv[3]} failed: {r.stdout.decode(errors='replace')[-2000:]}")
            else:
                with open(out, encoding="utf-8") as f:
                    page = f.read()
                with open(fixture, encoding="utf-8") as f:
                    doc = json.load(f)
                fails += tidy(page, "fixture")
                fails += check_page(page, doc, 2, "fixture")
                checked += page.count("data-path=")
                print(f"fixture: {len(page)} bytes, {page.count('data-path=')} figures")
        finally:
            if os.path.exists(out):
                os.unlink(out)
    # --html FILE writes the same page beside the main report
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"tt-leakcorr-html-check-{os.getpid()}.html")
    try:
        cwd = os.path.join(root, "testdata/sample")
        r = subprocess.run([tool, "--no-progress", "v1-small.log", "--format", "json", "--html", out], cwd=cwd,
                           capture_output=True)
        alone = subprocess.run([tool, "--no-progress", "v1-small.log", "--format", "html"], cwd=cwd,
                               capture_output=True)
        json.loads(r.stdout)
        with open(out, "rb") as f:
            if f.read() != alone.stdout:
                fails.append("--html FILE: not the page of --format html")
        if r.returncode != 0:
            fails.append(f"--html FILE: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
    finally:
        if os.path.exists(out):
            os.unlink(out)
    for f in fails:
        print("FAIL:", f)
    print(f"{len(RUNS)} pages, {checked} figures checked against the JSON")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
