#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The broken pages of check_page.py --selftest: fixtures/good.html broken once each.

Each row of BROKEN names a page, the one check it must fail and one edit of good.html.  Every
edit asserts that its anchor stands exactly once in the text it edits: a change to good.html that
moves or doubles an anchor makes write_pages() raise FixtureError (the selftest fails), it never
leaves a page silently unbroken.  The page's header comment is edited the same way: good.html's
<!-- lc-expect: none --> and its description become <!-- lc-expect: CHECK --> and the row's words.

  python3 tests/html/fixtures.py DIR     writes good.html and the broken pages into DIR, to look at.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = os.path.join(HERE, "fixtures", "good.html")
# good.html's header comment, from the first line to the end of the last (both must stand once).
GOOD_HEADER = ("<!-- lc-expect: none -->", "each other fixture breaks one. -->")


class FixtureError(Exception):
    """An edit whose anchor does not stand exactly once in good.html."""


def _once(text, anchor, start=0):
    """The index of anchor in text[start:], which must hold it exactly once."""
    n = text.count(anchor, start)
    if n != 1:
        raise FixtureError("%r stands %d times in good.html, not once" % (anchor, n))
    return text.index(anchor, start)


def replace(old, new):
    """An edit: the one occurrence of old becomes new."""
    def edit(text):
        at = _once(text, old)
        return text[:at] + new + text[at + len(old):]
    return edit


def insert_before(anchor, new):
    """An edit: new is inserted just before the one occurrence of anchor."""
    return replace(anchor, new + anchor)


def insert_after(anchor, new):
    """An edit: new is inserted just after the one occurrence of anchor."""
    return replace(anchor, anchor + new)


def cut(start, end, new=""):
    """An edit: from the one occurrence of start to the end of the first end after it (which
    must be there), the text becomes new."""
    def edit(text):
        at = _once(text, start)
        stop = text.find(end, at + len(start))
        if stop < 0:
            raise FixtureError("no %r after %r in good.html" % (end, start))
        return text[:at] + new + text[stop + len(end):]
    return edit


# A rule added to the style sheet goes at its end, a statement added to the script at its start.
BROKEN = [
    # name, the check it fails, what is wrong (the page's comment), the edit
    ("console_error", "console", "the script logs an error",
     insert_after("<script>\n", "console.error('chart data missing');\n")),
    ("alert", "console", "an alert() (dismissed by the checker, or the page would hang)",
     insert_after("<script>\n", "alert('3 leaks');\n")),
    ("exception", "exception", "the script throws (uncaught)",
     insert_after("<script>\n", "document.querySelector('#nothing').remove();\n")),
    ("external_img", "request", "an image from the network",
     replace("<h1>tt-leakcorr report</h1>",
             '<h1><img src="http://example.invalid/x.png" alt="logo"> tt-leakcorr report</h1>')),
    ("wrong_value", "value", "a data-value that is not the JSON integer at its path",
     replace('data-path="server.leaks.1.line" data-value="40"', 'data-path="server.leaks.1.line" data-value="41"')),
    ("wrong_text", "value",
     "the right data-value, a wrong human figure in the text (12288 is 12.0 KiB)",
     replace('data-value="12288">12.0 KiB<', 'data-value="12288">12.5 KiB<')),
    ("missing_region", "region", "the leaks section is missing (server.remaining.buffers is 3)",
     cut('<section id="leaks">', "</section>\n")),
    ("blank", "blank", "everything is drawn white on white",
     insert_before("</style>", "* { color: #fff !important; border-color: #fff !important; "
                   "fill: #fff !important; stroke: #fff !important; }\n")),
    ("blank_region", "blank", "the gate section alone is drawn white on white",
     insert_before("</style>", "#gate, #gate * { color: #fff !important; border-color: #fff !important; }\n")),
    ("invalid_html", "tidy", "an element HTML does not have (a made-up tag)",
     replace('<p class="more">1 more not shown</p>', '<p class="more"><note>1 more not shown</note></p>')),
    ("bad_svg", "svg", "an unquoted attribute: HTML takes it, XML does not",
     replace('<circle class="peak" cx="164"', '<circle class="peak" cx=164')),
    ("no_doctype", "document", "no <!DOCTYPE html>",
     replace("<!DOCTYPE html>\n", "")),
]


def broken_page(good, check, what, edit):
    """good.html's text with one row's edit and its header comment; raises FixtureError."""
    text = edit(good)
    header = "<!-- lc-expect: %s -->\n<!-- good.html broken once: %s -->" % (check, what)
    return cut(GOOD_HEADER[0], GOOD_HEADER[1], header)(text)


def write_pages(folder):
    """Writes good.html and each row's page (NAME.html) into folder; returns their paths, good.html's
    first.  Raises FixtureError (naming the page) when an edit does not apply exactly once."""
    with open(GOOD, encoding="utf-8") as f:
        good = f.read()
    paths = [os.path.join(folder, "good.html")]
    pages = [good]
    for name, check, what, edit in BROKEN:
        try:
            pages.append(broken_page(good, check, what, edit))
        except FixtureError as e:
            raise FixtureError("%s.html: %s" % (name, e)) from None
        paths.append(os.path.join(folder, name + ".html"))
    for path, text in zip(paths, pages):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    os.makedirs(sys.argv[1], exist_ok=True)
    try:
        for p in write_pages(sys.argv[1]):
            print(p)
    except FixtureError as e:
        print("FAIL: %s" % e)
        sys.exit(1)
