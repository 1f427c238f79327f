/* SPDX-License-Identifier: MIT */
/* The HTML report: one self-contained page rendered from the parsed JSON report. */
#ifndef LC_REPORT_HTML_H
#define LC_REPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lc/jsonread.h"

/*
 * Writes the page of report (a parsed tt-leakcorr/1 JSON report, as lc_report_json writes it)
 * to f: the verdict, the inputs, then a section per part the JSON holds. Tables show their
 * first top rows (0: all) and say how many more there are. Every integer shown carries
 * data-path (its metrics path) and data-value. report is borrowed. Write errors are left in
 * f's error flag.
 * Returns 0; -1 when report is not a JSON object (nothing written).
 */
int lc_html_render(const struct lc_jval *report, size_t top, FILE *f);

/*
 * Writes the n bytes of s to f escaped for HTML text and attribute values (and XML): & < > " '
 * as entities, C0 controls other than tab and newline and every invalid UTF-8 sequence as
 * U+FFFD. max_chars > 0 cuts the text after that many characters and ends it with "…".
 */
void lc_html_text(FILE *f, const char *s, size_t n, size_t max_chars);

/*
 * Writes the integer v as an element tag ("span" in HTML, "tspan" in SVG) with
 * data-path="PATH" (PATH from the printf format path) and data-value="V"; its text is the
 * integer with narrow-space grouping, or, when human, a byte size such as "12.0 KiB". A value
 * that is not an integer (null, absent) is written as "–" without the attributes.
 */
void lc_html_num(FILE *f, const char *tag, const struct lc_jval *v, bool human, const char *path, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Writes the timeline section of report (the JSON "timeline": one SVG chart per device of the
 * server log and of the debug log, and what was live at the peak, its first top rows (0: all))
 * to f; nothing when report has no timeline with buckets.
 */
void lc_html_timeline(FILE *f, const struct lc_jval *report, size_t top);

/*
 * Writes the sites section of report to f: the call-site histogram (debug.sites) as an icicle
 * graph of open bytes, root at top, and a table of the first top sites (0: all); nothing when
 * report has no sites. Memory grows with the frames of the sites.
 */
void lc_html_flame(FILE *f, const struct lc_jval *report, size_t top);

#endif
