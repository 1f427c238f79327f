// SPDX-License-Identifier: MIT
// Unit tests of the HTML page: escaping, and the page of a hand-written JSON report with a small timeline.
#include <stdlib.h>
#include <string.h>

#include "lc/jsonread.h"
#include "lc/report_html.h"
#include "lc/util.h"
#include "tap.h"

static char *escaped(const char *s, size_t n, size_t max_chars)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	lc_html_text(f, s, n, max_chars);
	fclose(f);
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 4096 > cap)
			buf = lc_xrealloc(buf, cap = cap * 2 + 4096);
		size_t got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	return buf;
}

static char *render(const struct lc_jval *doc, size_t top)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	lc_html_render(doc, top, f);
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	char *s = escaped("<a href=\"x\">&'", 14, 0);
	EQ_STR(s, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;", "markup characters become entities");
	free(s);
	s = escaped("\xff\xc3\xa9\xe2\x9c", 5, 0);
	EQ_STR(s, "\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd", "invalid UTF-8 becomes U+FFFD, valid kept");
	free(s);
	s = escaped("a\x01\x7f\tb\xed\xa0\x80", 8, 0);
	EQ_STR(s, "a\xef\xbf\xbd\xef\xbf\xbd\tb\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "controls and surrogates replaced, tab kept");
	free(s);
	s = escaped("ab\xc3\xa9" "cd", 6, 3);
	EQ_STR(s, "ab\xc3\xa9\xe2\x80\xa6", "cut after 3 characters, not bytes");
	free(s);

	if (argc < 2) {
		OK(0, "usage: test_html tests/html/timeline.json [PAGE.html]");
		return 1;
	}
	size_t n;
	char *text = slurp(argv[1], &n), err[256] = "";
	struct lc_jval *doc = text ? lc_json_parse(text, n, err, sizeof err) : NULL;
	OK(doc != NULL, "the fixture parses %s", err);
	if (!doc)
		return 1;
	char *page = render(doc, 2);
	if (argc > 2) { /* tests/html_check.py checks this page against the fixture too */
		FILE *out = fopen(argv[2], "w");
		OK(out && fputs(page, out) >= 0 && fclose(out) == 0, "the page written to %s", argv[2]);
	}
	OK(strncmp(page, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0, "a document in English");
	EQ_U64(count(page, "<script"), 1, "one inline script");
	EQ_U64(count(page, "http:") + count(page, "https:"), count(page, "xmlns=\"http://www.w3.org/2000/svg\""),
	       "no URL but the SVG namespace");
	EQ_U64(count(page, "src=") + count(page, "href=\"/") + count(page, "url("), 0, "nothing loaded from elsewhere");
	/* the all-devices series and the per-type series get no chart: devices 0 and 1 do */
	EQ_U64(count(page, "class=\"chart\""), 2, "one chart a device");
	OK(strstr(page, "data-series=\"timeline.server.series.1\"") && strstr(page, "data-series=\"timeline.server.series.3\""),
	   "the charts are series 1 (device 0) and 3 (device 1)");
	/*
	 * Device 0: x_end 12 lines over 660 units from x 80 (55 a line); y 0..250 bytes over 150 units
	 * from y 160 up (0.6 a byte). Peak 250 at line 11: (80 + 11 * 55, 160 - 250 * 0.6) = (685, 10).
	 * bytes_max 100 100 150 150 50 250 in buckets of 2 lines: steps at lines 0, 4, 8, 10.
	 */
	OK(strstr(page, "<circle class=\"peak\" r=\"4\" cx=\"685.0\" cy=\"10.0\" "
			"data-path=\"timeline.server.series.1.peak_bytes\" data-value=\"250\"/>"),
	   "device 0's peak marker at line 11, 250 bytes");
	OK(strstr(page, "<path class=\"area\" d=\"M80.0,160.0V100.0H300.0V70.0H520.0V130.0H630.0V10.0H740.0V160.0Z\"/>"),
	   "device 0's bytes_max area steps at lines 4, 8 and 10");
	/* bytes_min 0 100 150 50 50 250: the line starts at 0 and steps at lines 2, 4, 6, 10 */
	OK(strstr(page, "<path class=\"min\" d=\"M80.0,160.0H190.0V100.0H300.0V70.0H410.0V130.0H630.0V10.0H740.0\"/>"),
	   "device 0's bytes_min line");
	/* device 1: 1000 bytes from line 3: (80 + 3 * 55, 10) */
	OK(strstr(page, "cx=\"245.0\" cy=\"10.0\" data-path=\"timeline.server.series.3.peak_bytes\" data-value=\"1000\""),
	   "device 1's peak marker at line 3");
	/* marks: the statistics block at line 6 (x 410), the dump at line 10 (x 630), in each chart */
	EQ_U64(count(page, "<line class=\"mark stats\" x1=\"410.0\""), 2, "the stats mark in both charts");
	EQ_U64(count(page, "<line class=\"mark dump\" x1=\"630.0\""), 2, "the dump mark in both charts");
	EQ_U64(count(page, "class=\"mark "), 4, "no other marks");
	OK(strstr(page, "data-min=\"0,100,150,50,50,250\" data-max=\"100,100,150,150,50,250\""),
	   "the tooltip reads the buckets of the JSON");
	/* at the all-devices peak (line 5): 3 buffers, 1150 bytes; its 3 groups cut at top 2 */
	OK(strstr(page, "data-path=\"timeline.server.at_peak.0.bytes\" data-value=\"1150\">1.1 KiB<"),
	   "the bytes live at the peak");
	OK(strstr(page, "data-path=\"timeline.server.at_peak.0.by_type.1.bytes\" data-value=\"1000\""),
	   "device 1's DRAM at the peak");
	OK(!strstr(page, "timeline.server.at_peak.0.by_group.2."), "the third group is cut");
	/* 3 leaks, --top 2 */
	EQ_U64(count(page, "<p class=\"more\">1 more not shown</p>"), 3, "the leak, group and site tables are cut at top rows");
	OK(strstr(page, "data-path=\"server.leaks.1.size\" data-value=\"50\">50 B<"), "a size with its path");
	OK(strstr(page, "data-path=\"server.leaks.0.address\" data-value=\"4096\">0x1000<"), "an address in hex");
	OK(!strstr(page, "server.leaks.2."), "the third leak is not shown");
	OK(strstr(page, "a&lt;b&gt;&amp;&quot;c&#39;.log"), "the input path escaped");
	/*
	 * The icicle: root (250 B) > py: main (250) > op_a (200) > alloc, and > op_é😀 (50) > alloc;
	 * "py: other" and its frame hold 0 bytes: no width, not drawn. 1200 units for 250 bytes.
	 */
	EQ_U64(count(page, "<g class=\"frame"), 6, "six frames drawn");
	OK(strstr(page, "<rect x=\"960.0\" y=\"34\" width=\"240.0\" height=\"16\"/><text x=\"963.0\" y=\"46\">op_\xc3\xa9"
			"\xf0\x9f\x98\x80</text><title>lib.so: op_\xc3\xa9\xf0\x9f\x98\x80 \xe2\x80\x94 50 B, 1 buffer</title>"),
	   "op_é😀 at 960, width 240, depth 2");
	OK(strstr(page, "<rect x=\"0.0\" y=\"17\" width=\"1200.0\""), "py: main spans the graph");
	free(page);
	page = render(doc, 0);
	OK(!strstr(page, "class=\"more\""), "--top 0 shows every row");
	free(page);

	struct lc_jval arr = { .type = LC_JARR };
	OK(lc_html_render(&arr, 0, stdout) == -1, "not an object: refused");
	lc_jval_free(doc);
	free(text);
	return tap_done();
}
