#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The checks a person's eye makes on the HTML report, in headless Chromium (tests/html/README.md).

Usage:
  check_page.py TOOL WORKDIR NAME [TOOL ARGS...]
      Runs TOOL ARGS --format json and TOOL ARGS --format html (in the current folder), writes
      WORKDIR/NAME.html and WORKDIR/NAME.png (the full-page screenshot) and fails (exit 1) on:
        console    a console message of any level, a Log entry of level error/warning, or a
                   dialog (alert, confirm, prompt: dismissed, or the page would hang)
        exception  an uncaught exception
        request    a request for anything but the page itself, data: or about:, or an
                   http:, https: or // URL in a src, href or url() of a tag or a <style>
        document   no <!DOCTYPE html>, <html lang="en"> or <meta charset="utf-8">; more than
                   one <script>, or a <script src>
        value      a data-path element whose data-value is not the JSON integer at that path (or
                   the path is absent, or the value not an integer), or whose text is a plain or
                   human (KiB, MiB...) number that is not that value
        region     a required <section id> missing, without <h2>, or of zero size: verdict and
                   inputs always; timeline when the JSON's has buckets (a chart per device, each
                   with its .peak); remaining and leaks when server.remaining.buffers > 0;
                   sites when debug.sites is not empty (with its flame graph); diff and gate
                   when present
        blank      no pixel of the screenshot differs from the page's background, overall or
                   inside a required region's box
        tidy       tidy -errors -q exits 2 (errors; warnings pass)
        svg        an <svg>...</svg> island is not well-formed XML, or not in the SVG namespace
      Exit 77 (skip) when Chromium or tidy is absent and CI is not "true" (with CI=true: exit 1).
  check_page.py --selftest
      fixtures/good.html and the pages fixtures.py makes of it (each good.html with one edit,
      written into a temporary folder) against fixtures/report.json: each must fail with exactly
      the category its <!-- lc-expect: ... --> comment names (good.html: none).  And the PNG
      decoder against images encoded here with each filter type, and the readme-png judgement
      against good.html's screenshot, as written and broken three ways.
  check_page.py --readme-png PATH [--tool TOOL]
      Writes the screenshot of the sample log's page (testdata/sample/debug-llama.log.gz, 1280
      wide, the first 1600 px) to PATH with its layout signature in a tEXt chunk "lc-layout".
  check_page.py --readme-check PATH TOOL
      Fails when PATH is missing, blank, or its layout signature is not the current page's.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import browser  # noqa: E402
import fixtures  # noqa: E402
import png  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
TIDY = os.environ.get("LC_TIDY", "/usr/bin/tidy")
SKIP = 77
SVG_NS = "http://www.w3.org/2000/svg"
README_ARGS = ["testdata/sample/debug-llama.log.gz"]
README_HEIGHT = 1600
REGENERATE = "python3 tests/html/check_page.py --readme-png tests/html/report.png"
SHOT_MAX_HEIGHT = 16384  # Chromium's largest capture; the --top cut keeps pages far shorter
MIN_INK = 16  # pixels off the background a region needs not to count as blank
CATEGORIES = ("console", "exception", "request", "document", "value", "region", "blank", "tidy", "svg")

# Everything the checks read from the page, in one evaluation.
PROBE = r"""(() => {
  const box = e => { const r = e.getBoundingClientRect();
    return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]; };
  const bg = () => { for (const e of [document.body, document.documentElement]) {
      if (!e) continue; const c = getComputedStyle(e).backgroundColor;
      const m = c.match(/rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/);
      if (m && (m[4] === undefined || +m[4] > 0)) return [+m[1], +m[2], +m[3]]; }
    return [255, 255, 255]; };
  return {
    numbers: Array.from(document.querySelectorAll('[data-path], [data-value]')).map(e =>
      [e.getAttribute('data-path'), e.getAttribute('data-value'), e.textContent]),
    sections: Array.from(document.querySelectorAll('[id]')).map(e => ({
      id: e.id, tag: e.tagName.toLowerCase(), h2: !!e.querySelector('h2'), box: box(e),
      charts: e.querySelectorAll('svg.chart').length,
      peaks: Array.from(e.querySelectorAll('svg.chart')).filter(c => c.querySelector('.peak')).length,
      flames: e.querySelectorAll('svg.flame').length,
      frames: e.querySelectorAll('svg.flame g.frame').length,
      titled: e.querySelectorAll('svg.flame g.frame > title').length })),
    charts: document.querySelectorAll('svg.chart').length,
    background: bg(),
  };
})()"""


def fail_or_skip(why):
    """Chromium or tidy is missing: a skip on a developer's machine, a failure in CI."""
    if os.environ.get("CI") == "true":
        print("FAIL: %s (CI=true: the html suite needs it; .ci/deps installs it)" % why)
        return 1
    print("SKIP: %s" % why)
    return SKIP


def missing_tools():
    if not browser.available():
        return "%s not found (apt-get install chromium)" % browser.CHROMIUM
    if not os.access(TIDY, os.X_OK):
        return "%s not found (apt-get install tidy)" % TIDY
    return None


# ---------------------------------------------------------------- what the JSON requires

def json_at(doc, path):
    """The value at a metrics path (dots, arrays by index); KeyError when absent."""
    cur = doc
    for part in path.split("."):
        if isinstance(cur, list):
            if not re.fullmatch(r"\d+", part) or int(part) >= len(cur):
                raise KeyError(path)
            cur = cur[int(part)]
        elif isinstance(cur, dict):
            if part not in cur:
                raise KeyError(path)
            cur = cur[part]
        else:
            raise KeyError(path)
    return cur


def timeline_devices(doc):
    """The most devices one kind of timeline (server, debug) has series for: the page draws one
    chart per device, so at least that many."""
    t = doc.get("timeline") or {}
    most = 0
    for kind in ("server", "debug"):
        series = (t.get(kind) or {}).get("series") or []
        most = max(most, len({x.get("device") for x in series if isinstance(x, dict) and x.get("device") is not None}))
    return most


def required_regions(doc):
    """The region ids the page must show for this JSON report (the DOM contract)."""
    need = ["verdict", "inputs"]
    t = doc.get("timeline") or {}
    if any((t.get(kind) or {}).get("buckets") for kind in ("server", "debug")):
        need.append("timeline")  # an input of no lines has no bucket to draw
    server = doc.get("server") or {}
    remaining = server.get("remaining") or {}
    if isinstance(remaining.get("buffers"), int) and remaining["buffers"] > 0:
        need += ["remaining", "leaks"]
    debug = doc.get("debug") or {}
    if debug.get("sites"):
        need.append("sites")
    if doc.get("diff") is not None:
        need.append("diff")
    if doc.get("gate") is not None:
        need.append("gate")
    return need


# ---------------------------------------------------------------- static checks of the text

def check_tidy(path, failures):
    r = subprocess.run([TIDY, "-errors", "-q", path], capture_output=True, text=True, timeout=60)
    if r.returncode >= 2:
        errors = [ln for ln in (r.stderr + r.stdout).splitlines() if "Error:" in ln] or [r.stderr.strip()]
        failures.append(("tidy", "tidy -errors -q: exit %d: %s" % (r.returncode, "; ".join(errors[:5]))))


def check_svg(text, failures):
    """Each <svg>...</svg> island is well-formed XML in the SVG namespace; returns their number."""
    islands = re.findall(r"<svg\b.*?</svg>", text, re.S | re.I)
    for i, island in enumerate(islands):
        try:
            root = ET.fromstring(island)
        except ET.ParseError as e:
            failures.append(("svg", "svg island %d is not well-formed XML: %s" % (i + 1, e)))
            continue
        if root.tag != "{%s}svg" % SVG_NS:
            failures.append(("svg", "svg island %d is not in the namespace %s (root %s)" % (i + 1, SVG_NS, root.tag)))
    return len(islands)


# In a tag: src=, href=, xlink:href= or url( (a style attribute); in a <style>: url(.
EXTERNAL_ATTR = re.compile(r"""(?:\b(?:src|href|xlink:href)\s*=\s*["']?|url\(\s*["']?)\s*(?:https?:|//)""", re.I)
EXTERNAL_CSS = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)\s*(?:https?:|//)""", re.I)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.I | re.S)


def external_urls(text):
    """(line, excerpt) of each URL off the page in the markup (tags and <style> only: a log's
    text in the report's cells is not a URL the browser would follow)."""
    out = []
    for pattern, spans in ((EXTERNAL_ATTR, [(m.start(), m.group(0)) for m in TAG.finditer(text)]),
                           (EXTERNAL_CSS, [(m.start(1), m.group(1)) for m in STYLE.finditer(text)])):
        for start, chunk in spans:
            for m in pattern.finditer(chunk):
                at = start + m.start()
                rest = re.match(r"[^\s\"'>)]*", chunk[m.end():]).group(0)
                out.append((text.count("\n", 0, at) + 1, m.group(0).strip() + rest))
    return out


def check_document(text, failures):
    if not re.match(r"\s*<!DOCTYPE html>", text, re.I):
        failures.append(("document", "the page does not start with <!DOCTYPE html>"))
    if not re.search(r"<html\s+lang=\"en\"", text):
        failures.append(("document", 'no <html lang="en">'))
    if not re.search(r"<meta\s+charset=\"utf-8\"", text, re.I):
        failures.append(("document", 'no <meta charset="utf-8">'))
    scripts = re.findall(r"<script\b[^>]*>", text, re.I)
    if len(scripts) > 1:
        failures.append(("document", "%d <script> elements (at most one inline)" % len(scripts)))
    for s in scripts:
        if re.search(r"\bsrc\s*=", s, re.I):
            failures.append(("document", "a <script> with src: %s" % s))
    for line, url in external_urls(text):
        failures.append(("request", "line %d: an external URL: %s" % (line, url)))


# ---------------------------------------------------------------- numbers

UNITS = {"B": 0, "KiB": 1, "MiB": 2, "GiB": 3, "TiB": 4, "PiB": 5, "EiB": 6}
GROUPING = "\u2009\u202f\u00a0 ,'_"


def shown_number(text):
    """What the text of a number element claims: ('int', n), ('human', mantissa, decimals, power)
    or None when it is neither form (then only data-value is compared)."""
    t = text.strip()
    plain = t
    for c in GROUPING:
        plain = plain.replace(c, "")
    if re.fullmatch(r"[-+\u2212]?\d+", plain):
        return ("int", int(plain.replace("\u2212", "-")))
    m = re.fullmatch(r"([-+\u2212]?\d+(?:\.(\d+))?)[\s\u2009\u202f\u00a0]*(B|KiB|MiB|GiB|TiB|PiB|EiB)", t)
    if m:
        return ("human", float(m.group(1).replace("\u2212", "-")), len(m.group(2) or ""), UNITS[m.group(3)])
    return None


def check_numbers(doc, numbers, failures):
    """Returns (numbers compared, texts compared)."""
    compared = texts = 0
    for path, value, text in numbers:
        where = "data-path=%r" % path
        if path is None:
            failures.append(("value", "data-value=%r without data-path" % value))
            continue
        if value is None or not re.fullmatch(r"-?\d+", value):
            failures.append(("value", "%s: data-value %r is not an integer" % (where, value)))
            continue
        try:
            want = json_at(doc, path)
        except KeyError:
            failures.append(("value", "%s: no such path in the JSON report" % where))
            continue
        if isinstance(want, bool) or not isinstance(want, int):
            failures.append(("value", "%s: the JSON value %r is not an integer" % (where, want)))
            continue
        compared += 1
        if int(value) != want:
            failures.append(("value", "%s: data-value %s, the JSON has %d" % (where, value, want)))
            continue
        shown = shown_number(text)
        if shown is None:
            continue
        texts += 1
        if shown[0] == "int":
            if shown[1] != want:
                failures.append(("value", "%s: shows %r, the JSON has %d" % (where, text.strip(), want)))
        else:
            _, mantissa, decimals, power = shown
            exact = want / 1024 ** power
            # The shown figure is the exact one rounded to its decimals (either way at a half).
            if abs(exact - mantissa) > 0.5 * 10 ** -decimals + 1e-9:
                failures.append(("value", "%s: shows %r, the JSON has %d (%.6g)" % (where, text.strip(), want, exact)))
    return compared, texts


# ---------------------------------------------------------------- pixels

def ink(image, bg, box=None):
    """The number of pixels of image (inside box = x, y, w, h when given) that are not bg."""
    x0, y0, x1, y1 = 0, 0, image.width, image.height
    if box is not None:
        x0 = max(0, int(box[0]))
        y0 = max(0, int(box[1]))
        x1 = min(image.width, int(box[0] + box[2] + 0.999))
        y1 = min(image.height, int(box[1] + box[3] + 0.999))
    if x1 <= x0 or y1 <= y0:
        return 0
    bgrow = bytes(bg) * (x1 - x0)
    # One table per channel maps its background byte to 1 and every other byte to 0; a pixel is
    # background when its three bits are set (rows compared as big integers, not pixel by pixel).
    tables = [bytes(1 if v == c else 0 for v in range(256)) for c in bg]
    n = 0
    for y in range(y0, y1):
        row = image.rgb_row(y, x0, x1)
        if row == bgrow:
            continue
        m = -1
        for ch in range(3):
            m &= int.from_bytes(row[ch::3].translate(tables[ch]), "big")
        n += (x1 - x0) - bin(m).count("1")
    return n


def check_regions(doc, probe, image, failures):
    """Returns the number of required regions checked."""
    by_id = {}
    for s in probe["sections"]:
        by_id.setdefault(s["id"], s)
    need = required_regions(doc)
    bg = probe["background"]
    beyond = []
    for rid in need:
        s = by_id.get(rid)
        if s is None:
            failures.append(("region", "no region id=%r (required: %s)" % (rid, ", ".join(need))))
            continue
        if s["tag"] != "section":
            failures.append(("region", "id=%r is a <%s>, not a <section>" % (rid, s["tag"])))
        if not s["h2"]:
            failures.append(("region", "section %r has no <h2>" % rid))
        x, y, w, h = s["box"]
        if w < 1 or h < 1:
            failures.append(("region", "section %r has zero size (%gx%g)" % (rid, w, h)))
            continue
        if rid == "timeline":
            devices = timeline_devices(doc)
            if s["charts"] < devices:
                failures.append(("region", "section timeline has %d svg.chart, the JSON's series have %d "
                                 "devices (one chart per device)" % (s["charts"], devices)))
            if s["peaks"] != s["charts"]:
                failures.append(("region", "%d of the %d timeline charts have no .peak marker"
                                 % (s["charts"] - s["peaks"], s["charts"])))
        if rid == "sites":
            if s["flames"] == 0 or s["frames"] == 0:
                failures.append(("region", "section sites has no svg.flame with g.frame nodes"))
            elif s["titled"] < s["frames"]:
                failures.append(("region", "%d flame frames have no <title>" % (s["frames"] - s["titled"])))
        if image is not None and y >= image.height:
            beyond.append(rid)  # below the screenshot's cut (SHOT_MAX_HEIGHT): not judged
        elif image is not None and ink(image, bg, s["box"]) < MIN_INK:
            failures.append(("blank", "section %r (%dx%d at %d,%d) is blank in the screenshot"
                             % (rid, w, h, x, y)))
    return len(need), beyond


# ---------------------------------------------------------------- one page

def allowed_request(url, page_url):
    if url.startswith(("data:", "about:")):
        return True
    return urllib.parse.unquote(url.split("#")[0]) == urllib.parse.unquote(page_url)


def check_page(b, page_path, doc, png_path=None):
    """Every check of one page; returns (failures, summary).  failures: (category, message)."""
    failures = []
    with open(page_path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    check_document(text, failures)
    check_tidy(page_path, failures)
    nsvg = check_svg(text, failures)

    page = b.load(page_path)
    page_url = "file://" + os.path.abspath(page_path)
    try:
        probe = page.evaluate(PROBE)
        shot = page.screenshot(max_height=SHOT_MAX_HEIGHT)
    finally:
        b.close_page(page)
    if png_path:
        with open(png_path, "wb") as f:
            f.write(shot)

    for c in page.console:
        args = " ".join(str(a.get("value", a.get("description", ""))) for a in c.get("args", []))
        failures.append(("console", "console.%s: %s" % (c.get("type"), args)))
    for e in page.exceptions:
        d = e.get("exceptionDetails", {})
        failures.append(("exception", "uncaught: %s" % d.get("exception", {}).get("description", d.get("text"))))
    for d in page.dialogs:
        failures.append(("console", "a dialog (%s): %s" % (d.get("type"), d.get("message"))))
    bad = [u for u in page.requests if not allowed_request(u, page_url)]
    for u in bad:
        failures.append(("request", "a request for %s" % u))
    for e in page.log_entries:
        if e.get("level") not in ("error", "warning"):
            continue
        if e.get("source") == "network" and e.get("url") in bad:
            continue  # the request's own failure, already counted
        failures.append(("console", "log %s (%s): %s %s" % (e.get("level"), e.get("source"), e.get("text"),
                                                             e.get("url", ""))))

    compared, texts = check_numbers(doc, probe["numbers"], failures)
    image = png.decode(shot)
    total = ink(image, probe["background"])
    if total == 0:
        failures.append(("blank", "the screenshot (%dx%d) has no pixel off the background rgb%s"
                         % (image.width, image.height, tuple(probe["background"]))))
    nregions, beyond = check_regions(doc, probe, image if total else None, failures)
    summary = ("%d numbers compared (%d texts), %d regions, %d requests (%d allowed), %d svg islands, "
               "%d charts, screenshot %dx%d (%d px off the background)"
               % (compared, texts, nregions, len(page.requests), len(page.requests) - len(bad), nsvg,
                  probe["charts"], image.width, image.height, total))
    if beyond:
        summary += "; below the screenshot's %d px, not judged for ink: %s" % (SHOT_MAX_HEIGHT, ", ".join(beyond))
    return failures, summary


def layout_signature(probe):
    """Sorted region ids (the <section id>s) and the number of charts, e.g. 'regions=a,b;charts=2'."""
    ids = sorted({s["id"] for s in probe["sections"] if s["tag"] == "section"})
    return "regions=%s;charts=%d" % (",".join(ids), probe["charts"])


# ---------------------------------------------------------------- running the tool

def run_tool(tool, args, fmt):
    """(exit status, stdout, stderr) of TOOL ARGS --format FMT."""
    wrapper = os.environ.get("LC_TOOL_WRAPPER", "").split()
    r = subprocess.run(wrapper + [tool] + args + ["--format", fmt], capture_output=True, timeout=120)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def tool_reports(tool, args):
    """(json document, html bytes, status) or an exit status (SKIP or 1) after saying why."""
    js, out, jerr = run_tool(tool, args, "json")
    try:
        doc = json.loads(out)
    except ValueError as e:
        print("FAIL: %s --format json: exit %d, no JSON report (%s): %s" % (" ".join(args), js, e, jerr.strip()))
        return 1
    hs, html, herr = run_tool(tool, args, "html")
    if hs != js:
        print("FAIL: --format html exits %d, --format json %d (%s)" % (hs, js, herr.strip()))
        return 1
    if not html.strip():
        print("FAIL: --format html wrote nothing (exit %d): %s" % (hs, herr.strip()))
        return 1
    return doc, html, hs


def report(failures, summary, name):
    print("%s: %s" % (name, summary))
    for cat, msg in failures:
        print("FAIL [%s] %s" % (cat, msg))
    return 1 if failures else 0


def main_case(tool, workdir, name, args):
    why = missing_tools()
    if why:
        return fail_or_skip(why)
    got = tool_reports(tool, args)
    if not isinstance(got, tuple):
        return got
    doc, html, status = got
    os.makedirs(workdir, exist_ok=True)
    page_path = os.path.join(workdir, name + ".html")
    with open(page_path, "wb") as f:
        f.write(html)
    with browser.Browser() as b:
        failures, summary = check_page(b, page_path, doc, os.path.join(workdir, name + ".png"))
    return report(failures, summary + " (exit %d)" % status, name)


# ---------------------------------------------------------------- README screenshot

def readme_page(tool):
    """The sample log's (json document, html bytes, status), or an exit status."""
    return tool_reports(tool, README_ARGS)


def load_html(b, html, tmp):
    """(probe, page) of the page html loaded in b from a file in tmp."""
    path = os.path.join(tmp, "report.html")
    with open(path, "wb") as f:
        f.write(html)
    page = b.load(path)
    return page.evaluate(PROBE), page


def main_readme_png(out, tool):
    why = missing_tools()
    if why:
        print("FAIL: " + why)
        return 1
    got = readme_page(tool)
    if not isinstance(got, tuple):
        return 1
    tmp = tempfile.mkdtemp(prefix="lc-readme-")
    try:
        with browser.Browser() as b:
            probe, page = load_html(b, got[1], tmp)
            shot = page.screenshot(max_height=README_HEIGHT)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sig = layout_signature(probe)
    with open(out, "wb") as f:
        f.write(png.add_text(shot, "lc-layout", sig))
    image = png.decode(shot)
    print("wrote %s (%dx%d), lc-layout %s" % (out, image.width, image.height, sig))
    return 0


def dominant(image):
    """The most frequent colour of a sample of the pixels."""
    counts = {}
    for y in range(0, image.height, 7):
        for x in range(0, image.width, 7):
            p = image.pixel(x, y)
            counts[p] = counts.get(p, 0) + 1
    return max(counts, key=counts.get)


def main_readme_check(path, tool):
    why = missing_tools()
    if why:
        return fail_or_skip(why)
    got = readme_page(tool)
    if not isinstance(got, tuple):
        return got
    tmp = tempfile.mkdtemp(prefix="lc-readme-")
    try:
        with browser.Browser() as b:
            probe, _ = load_html(b, got[1], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    now = layout_signature(probe)
    if not os.path.exists(path):
        print("FAIL: %s is missing: generate it with %s" % (path, REGENERATE))
        return 1
    with open(path, "rb") as f:
        data = f.read()
    problems, said = judge_readme_png(data, now)
    print("%s: %s" % (path, said))
    for p in problems:
        print("FAIL: %s: %s" % (path, p))
    return 1 if problems else 0


def judge_readme_png(data, now):
    """(problems, description) of a README screenshot against the current layout signature."""
    try:
        image = png.decode(data)
        sig = png.text_chunks(data).get("lc-layout")
    except png.PNGError as e:
        return ["%s: regenerate with %s" % (e, REGENERATE)], "not a PNG we read"
    problems = []
    if image.width != browser.WIDTH or image.height > README_HEIGHT:
        problems.append("it is %dx%d, not %d wide and at most %d high"
                        % (image.width, image.height, browser.WIDTH, README_HEIGHT))
    off = ink(image, dominant(image))
    if off < image.width * image.height // 200:
        problems.append("it is blank (%d pixels off its background)" % off)
    if sig != now:
        problems.append("layout changed: the PNG says %r, the page now %r: regenerate with %s"
                        % (sig, now, REGENERATE))
    return problems, "%dx%d, %d px off the background, lc-layout %s" % (image.width, image.height, off, sig)


# ---------------------------------------------------------------- selftest

def _filtered(rows, bpp, ftype):
    """The rows encoded with one PNG filter type (the encoder's side, written from the spec)."""
    out = []
    prev = bytes(len(rows[0]))
    for row in rows:
        f = bytearray()
        for i, v in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 0:
                pred = 0
            elif ftype == 1:
                pred = a
            elif ftype == 2:
                pred = b
            elif ftype == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            f.append((v - pred) % 256)
        out.append(bytes([ftype]) + bytes(f))
        prev = row
    return b"".join(out)


def selftest_png():
    import random
    import struct
    import zlib
    rng = random.Random(15)
    bad = 0
    for channels, color in ((3, 2), (4, 6)):
        w, h = 37, 9
        rows = [bytes(rng.randrange(256) for _ in range(w * channels)) for _ in range(h)]
        for ftype in range(5):
            raw = _filtered(rows, channels, ftype)
            data = (png.SIGNATURE + png._chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0))
                    + png._chunk(b"IDAT", zlib.compress(raw)) + png._chunk(b"IEND", b""))
            img = png.decode(data)
            if [bytes(r) for r in img.rows] != rows:
                print("FAIL [png] filter %d, %d channels: decoded rows differ" % (ftype, channels))
                bad += 1
    data = png.add_text(png.encode(2, 1, [b"\0\0\0\xff\xff\xff"]), "lc-layout", "regions=a;charts=0")
    if png.text_chunks(data) != {"lc-layout": "regions=a;charts=0"} or png.decode(data).pixel(1, 0) != (255, 255, 255):
        print("FAIL [png] tEXt round trip")
        bad += 1
    print("png: 10 filtered images decoded, tEXt round trip: %s" % ("ok" if not bad else "%d failures" % bad))
    return bad


def selftest_readme(b, path):
    """The readme-png judgement on good.html's screenshot: it passes as written, and fails once
    its signature, its pixels or its width are wrong."""
    page = b.load(path)
    try:
        probe = page.evaluate(PROBE)
        shot = page.screenshot(max_height=README_HEIGHT)
    finally:
        b.close_page(page)
    sig = layout_signature(probe)
    good = png.add_text(shot, "lc-layout", sig)
    white = png.add_text(png.encode(browser.WIDTH, 50, [b"\xff" * 3 * browser.WIDTH] * 50), "lc-layout", sig)
    stripes = [b"\x00\x80\x00" * 640 if y % 4 == 0 else b"\xff" * 3 * 640 for y in range(50)]
    narrow = png.add_text(png.encode(640, 50, stripes), "lc-layout", sig)
    cases = [("as written", good, sig, None), ("another layout", good, sig.replace("gate,", ""), "layout changed"),
             ("white", white, sig, "blank"), ("640 wide", narrow, sig, "not 1280 wide")]
    bad = 0
    for what, data, now, want in cases:
        problems, said = judge_readme_png(data, now)
        ok = (not problems) if want is None else (len(problems) == 1 and want in problems[0])
        print("%s readme-png %s: %s; %s" % ("ok  " if ok else "FAIL", what, "; ".join(problems) or "passes", said))
        bad += not ok
    return bad


def main_selftest():
    why = missing_tools()
    if why:
        return fail_or_skip(why)
    bad = selftest_png()
    with open(os.path.join(HERE, "fixtures", "report.json")) as f:
        doc = json.load(f)
    tmp = tempfile.mkdtemp(prefix="lc-fixtures-")
    try:
        return selftest_pages(doc, tmp, bad)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def selftest_pages(doc, tmp, bad):
    """good.html and its broken pages (fixtures.py), written into tmp, each against doc."""
    try:
        paths = fixtures.write_pages(tmp)
    except fixtures.FixtureError as e:
        print("FAIL [fixtures] %s" % e)
        return 1
    seen = set()
    with browser.Browser() as b:
        for path in paths:
            n = os.path.basename(path)
            with open(path, encoding="utf-8") as f:
                m = re.search(r"<!-- lc-expect: (\w+) -->", f.read())
            if not m:
                print("FAIL %s: no <!-- lc-expect: CATEGORY --> comment" % n)
                bad += 1
                continue
            want = set() if m.group(1) == "none" else {m.group(1)}
            seen |= want
            failures, summary = check_page(b, path, doc)
            got = {c for c, _ in failures}
            ok = got == want
            print("%s %s: expected %s, got %s; %s" % ("ok  " if ok else "FAIL", n, sorted(want) or "none",
                                                      sorted(got) or "none", summary))
            for c, msg in failures:
                print("       [%s] %s" % (c, msg))
            bad += not ok
        bad += selftest_readme(b, paths[0])
    unproven = [c for c in CATEGORIES if c not in seen]
    if unproven:
        print("FAIL: no fixture proves the check can fail: %s" % ", ".join(unproven))
        bad += 1
    print("%d fixtures, %d failures" % (len(paths), bad))
    return 1 if bad else 0


def main(argv):
    # Below the meson timeouts (60 s a case, 120 s the selftest): the browser is gone before them.
    browser.watchdog(110 if argv[1:] == ["--selftest"] else 55)
    if argv[1:] == ["--selftest"]:
        return main_selftest()
    if len(argv) >= 3 and argv[1] == "--readme-png":
        tool = os.path.join(ROOT, "build", "tt-leakcorr")
        if len(argv) == 5 and argv[3] == "--tool":
            tool = argv[4]
        elif len(argv) != 3:
            print(__doc__)
            return 2
        os.chdir(ROOT)
        return main_readme_png(os.path.abspath(argv[2]), os.path.abspath(tool))
    if len(argv) == 4 and argv[1] == "--readme-check":
        path, tool = os.path.abspath(argv[2]), os.path.abspath(argv[3])
        os.chdir(ROOT)
        return main_readme_check(path, tool)
    if len(argv) < 4 or argv[1].startswith("-"):
        print(__doc__)
        return 2
    return main_case(argv[1], argv[2], argv[3], argv[4:])


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except browser.BrowserError as e:
        print("FAIL: browser: %s" % e)
        sys.exit(1)
    except png.PNGError as e:
        print("FAIL: the screenshot: %s" % e)
        sys.exit(1)
