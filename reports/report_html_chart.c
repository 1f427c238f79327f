// SPDX-License-Identifier: MIT
// The HTML report's pictures: the timeline charts (one SVG per device) and the call-site icicle graph.
#include <stdlib.h>
#include <string.h>

#include "lc/jsonread.h"
#include "lc/report_html.h"
#include "lc/util.h"

/* The chart's frame in SVG units: the plot area starts at X0, Y0 and is PW x PH. */
enum { CHART_W = 760, CHART_H = 200, X0 = 80, Y0 = 10, PW = 660, PH = 150 };

/* The kinds of phase marks, their JSON key under "marks" and their CSS class. */
static const char *const mark_keys[] = { "restarts", "dumps", "cleanups", "stats" };
static const char *const mark_class[] = { "restart", "dump", "cleanup", "stats" };
static const char *const mark_names[] = { "restarts", "dumps", "dead-process cleanups", "statistics blocks" };

static bool is_int(const struct lc_jval *v)
{
	return v && v->type == LC_JNUM && v->is_int && !v->is_neg;
}

static size_t alen(const struct lc_jval *v)
{
	return v && v->type == LC_JARR ? v->count : 0;
}

static uint64_t u(const struct lc_jval *v)
{
	return is_int(v) ? v->u : 0;
}

/* One chart's scales. */
struct scale {
	uint64_t xend, ymax;
};

static double px(const struct scale *s, uint64_t x)
{
	return X0 + (s->xend ? (double)x / (double)s->xend : 0.0) * PW;
}

static double py(const struct scale *s, uint64_t v)
{
	return Y0 + PH - (double)v / (double)s->ymax * PH;
}

/* The comma-separated integers of an array, for the tooltip script. */
static void data_list(FILE *f, const char *name, const struct lc_jval *a, size_t n)
{
	fprintf(f, " data-%s=\"", name);
	for (size_t k = 0; k < n; k++)
		fprintf(f, "%s%llu", k ? "," : "", (unsigned long long)u(&a->items[k]));
	fputc('"', f);
}

/*
 * One device's chart: bytes_max as a filled step area, bytes_min as a step line, the peak
 * marker, the phase marks and the axes. base is the series' path (timeline.server.series.I).
 */
static void chart(FILE *f, const struct lc_jval *report, const struct lc_jval *kind, const struct lc_jval *s,
		  const char *base, const char *kpath)
{
	const struct lc_jval *mn = lc_jget(s, "bytes_min"), *mx = lc_jget(s, "bytes_max");
	uint64_t w = u(lc_jget(kind, "bucket_lines"));
	size_t nb = (size_t)u(lc_jget(kind, "buckets"));
	if (nb > alen(mn))
		nb = alen(mn);
	if (nb > alen(mx))
		nb = alen(mx);
	struct scale sc = { u(lc_jget(kind, "lines")), u(lc_jget(s, "peak_bytes")) };
	for (size_t k = 0; k < nb; k++)
		if (u(&mx->items[k]) > sc.ymax)
			sc.ymax = u(&mx->items[k]);
	if (!sc.ymax)
		sc.ymax = 1;
	if (!w)
		w = 1;
	fputs("<figure>\n<figcaption>device ", f);
	lc_html_num(f, "span", lc_jget(s, "device"), false, "%s.device", base);
	fputs(": peak ", f);
	lc_html_num(f, "span", lc_jget(s, "peak_bytes"), true, "%s.peak_bytes", base);
	fputs(" at line ", f);
	lc_html_num(f, "span", lc_jget(s, "peak_bytes_x"), false, "%s.peak_bytes_x", base);
	const struct lc_jval *in = lc_jget(s, "peak_bytes_input"), *ins = lc_jget(report, "inputs");
	if (is_int(lc_jget(s, "peak_bytes_line")) && is_int(in) && in->u < alen(ins)) {
		const struct lc_jval *path = lc_jget(&ins->items[in->u], "path");
		fputs(" (", f);
		if (path && path->type == LC_JSTR)
			lc_html_text(f, path->s, path->n, 60);
		fputs(":", f);
		lc_html_num(f, "span", lc_jget(s, "peak_bytes_line"), false, "%s.peak_bytes_line", base);
		fputs(")", f);
	}
	fputs("; at the end ", f);
	lc_html_num(f, "span", lc_jget(s, "end_bytes"), true, "%s.end_bytes", base);
	fputs(" in ", f);
	lc_html_num(f, "span", lc_jget(s, "end_buffers"), false, "%s.end_buffers", base);
	fputs(" buffers</figcaption>\n", f);

	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" data-series=\"%s\" data-w=\"%llu\" data-lines=\"%llu\" data-x0=\"%d\" "
		"data-pw=\"%d\"",
		CHART_W, CHART_H, CHART_W, CHART_H, base, (unsigned long long)w, (unsigned long long)sc.xend, X0, PW);
	data_list(f, "min", mn, nb);
	data_list(f, "max", mx, nb);
	fputs(">\n", f);
	/* bytes_max: a step area, bytes_min a step line: H and V only where the value changes */
	double base_y = Y0 + PH;
	if (nb) {
		fprintf(f, "<path class=\"area\" d=\"M%.1f,%.1fV%.1f", px(&sc, 0), base_y, py(&sc, u(&mx->items[0])));
		for (size_t k = 1; k < nb; k++)
			if (u(&mx->items[k]) != u(&mx->items[k - 1]))
				fprintf(f, "H%.1fV%.1f", px(&sc, (uint64_t)k * w), py(&sc, u(&mx->items[k])));
		fprintf(f, "H%.1fV%.1fZ\"/>\n", px(&sc, sc.xend), base_y);
		fprintf(f, "<path class=\"min\" d=\"M%.1f,%.1f", px(&sc, 0), py(&sc, u(&mn->items[0])));
		for (size_t k = 1; k < nb; k++)
			if (u(&mn->items[k]) != u(&mn->items[k - 1]))
				fprintf(f, "H%.1fV%.1f", px(&sc, (uint64_t)k * w), py(&sc, u(&mn->items[k])));
		fprintf(f, "H%.1f\"/>\n", px(&sc, sc.xend));
	}
	const struct lc_jval *marks = lc_jget(kind, "marks");
	for (size_t m = 0; m < 4; m++) {
		const struct lc_jval *xs = lc_jget(lc_jget(marks, mark_keys[m]), "x");
		for (size_t i = 0; i < alen(xs); i++) {
			double x = px(&sc, u(&xs->items[i]));
			fprintf(f, "<line class=\"mark %s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", mark_class[m], x,
				Y0, x, Y0 + PH);
		}
	}
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", X0, Y0 + PH, X0 + PW, Y0 + PH);
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", X0, Y0, X0, Y0 + PH);
	fprintf(f, "<circle class=\"peak\" r=\"4\" cx=\"%.1f\" cy=\"%.1f\" data-path=\"%s.peak_bytes\" data-value=\"%llu\"/>\n",
		px(&sc, u(lc_jget(s, "peak_bytes_x"))), py(&sc, u(lc_jget(s, "peak_bytes"))), base,
		(unsigned long long)u(lc_jget(s, "peak_bytes")));
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", X0 - 4, Y0 + 4);
	lc_html_num(f, "tspan", lc_jget(s, "peak_bytes"), true, "%s.peak_bytes", base);
	fprintf(f, "</text>\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0 B</text>\n", X0 - 4, Y0 + PH);
	fprintf(f, "<text x=\"%d\" y=\"%d\">0</text>\n", X0, Y0 + PH + 14);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", X0 + PW, Y0 + PH + 14);
	lc_html_num(f, "tspan", lc_jget(kind, "lines"), false, "%s.lines", kpath);
	fprintf(f, "</text>\n<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", X0 + PW / 2, Y0 + PH + 30);
	const struct lc_jval *xname = lc_jget(kind, "x");
	if (xname && xname->type == LC_JSTR)
		lc_html_text(f, xname->s, xname->n, 40);
	fputs("</text>\n</svg>\n</figure>\n", f);
}

/*
 * What was live at the all-devices peak (the at_peak row with device null): by device and type,
 * by allocation group and, in the debug log, by call site; the first top rows of each.
 */
static void at_peak(FILE *f, const struct lc_jval *kind, const char *kpath, size_t top)
{
	const struct lc_jval *rows = lc_jget(kind, "at_peak"), *row = NULL;
	size_t r = 0;
	for (; r < alen(rows); r++) {
		const struct lc_jval *d = lc_jget(&rows->items[r], "device");
		if (d && d->type == LC_JNULL) {
			row = &rows->items[r];
			break;
		}
	}
	if (!row)
		return;
	char base[96], b[160];
	snprintf(base, sizeof base, "%s.at_peak.%zu", kpath, r);
	fputs("<details>\n<summary>Live at the peak, line ", f);
	lc_html_num(f, "span", lc_jget(row, "x"), false, "%s.x", base);
	fputs(": ", f);
	lc_html_num(f, "span", lc_jget(row, "buffers"), false, "%s.buffers", base);
	fputs(" buffers, ", f);
	lc_html_num(f, "span", lc_jget(row, "bytes"), true, "%s.bytes", base);
	fputs("</summary>\n", f);
	static const char *const parts[] = { "by_type", "by_group", "by_site" };
	static const char *const heads[] = { "<th>type</th><th>device</th>", "<th>type</th><th>size</th><th>first line</th>",
					     "<th>site</th>" };
	for (size_t p = 0; p < 3; p++) {
		const struct lc_jval *list = lc_jget(row, parts[p]);
		size_t n = alen(list), shown = top && n > top ? top : n;
		if (!n)
			continue;
		fprintf(f, "<table>\n<thead><tr>%s<th>buffers</th><th>bytes</th></tr></thead>\n<tbody>\n", heads[p]);
		for (size_t i = 0; i < shown; i++) {
			const struct lc_jval *it = &list->items[i], *t = lc_jget(it, "type");
			snprintf(b, sizeof b, "%s.%s.%zu", base, parts[p], i);
			fputs("<tr>", f);
			if (p < 2) {
				fputs("<td>", f);
				if (t && t->type == LC_JSTR)
					lc_html_text(f, t->s, t->n, 40);
				fputs("</td><td class=\"r\">", f);
				lc_html_num(f, "span", lc_jget(it, p == 0 ? "device" : "size"), p == 1, "%s.%s", b,
					    p == 0 ? "device" : "size");
				fputs("</td>", f);
				if (p == 1) {
					fputs("<td class=\"r\">", f);
					lc_html_num(f, "span", lc_jget(it, "first_line"), false, "%s.first_line", b);
					fputs("</td>", f);
				}
			} else {
				fputs("<td class=\"r\">", f);
				lc_html_num(f, "span", lc_jget(it, "site"), false, "%s.site", b);
				fputs("</td>", f);
			}
			fputs("<td class=\"r\">", f);
			lc_html_num(f, "span", lc_jget(it, "buffers"), false, "%s.buffers", b);
			fputs("</td><td class=\"r\">", f);
			lc_html_num(f, "span", lc_jget(it, "bytes"), true, "%s.bytes", b);
			fputs("</td></tr>\n", f);
		}
		fputs("</tbody>\n</table>\n", f);
		if (shown < n)
			fprintf(f, "<p class=\"more\">%zu more not shown</p>\n", n - shown);
	}
	fputs("</details>\n", f);
}

/* The charts of one log kind (timeline.server or timeline.debug): the legend, then one chart a device. */
static void charts(FILE *f, const struct lc_jval *report, const struct lc_jval *kind, const char *kpath,
		   const char *title, size_t top)
{
	if (!kind || kind->type != LC_JOBJ || !u(lc_jget(kind, "buckets")))
		return;
	fprintf(f, "<h3>%s</h3>\n<p class=\"legend\">", title);
	lc_html_num(f, "span", lc_jget(kind, "lines"), false, "%s.lines", kpath);
	fputs(" lines in buckets of ", f);
	lc_html_num(f, "span", lc_jget(kind, "bucket_lines"), false, "%s.bucket_lines", kpath);
	fputs(": the filled area is the most live bytes of each bucket, the line the least.", f);
	const struct lc_jval *marks = lc_jget(kind, "marks");
	for (size_t m = 0; m < 4; m++) {
		const struct lc_jval *mk = lc_jget(marks, mark_keys[m]);
		if (!mk)
			continue;
		fprintf(f, "<span class=\"key %s\">&nbsp;</span>%s: ", mark_class[m], mark_names[m]);
		lc_html_num(f, "span", lc_jget(mk, "count"), false, "%s.marks.%s.count", kpath, mark_keys[m]);
	}
	fputs("</p>\n", f);
	const struct lc_jval *series = lc_jget(kind, "series");
	for (size_t i = 0; i < alen(series); i++) {
		const struct lc_jval *s = &series->items[i], *d = lc_jget(s, "device"), *t = lc_jget(s, "type");
		if (!d || d->type != LC_JNUM || (t && t->type != LC_JNULL))
			continue;
		char base[96];
		snprintf(base, sizeof base, "%s.series.%zu", kpath, i);
		chart(f, report, kind, s, base, kpath);
	}
	at_peak(f, kind, kpath, top);
}

void lc_html_timeline(FILE *f, const struct lc_jval *report, size_t top)
{
	const struct lc_jval *tl = lc_jget(report, "timeline");
	const struct lc_jval *srv = lc_jget(tl, "server"), *dbg = lc_jget(tl, "debug");
	if (!u(lc_jget(srv, "buckets")) && !u(lc_jget(dbg, "buckets")))
		return;
	fputs("<section id=\"timeline\">\n<h2>Live bytes over the log</h2>\n", f);
	charts(f, report, srv, "timeline.server", "Server log", top);
	charts(f, report, dbg, "timeline.debug", "Buffer debug log", top);
	fputs("</section>\n", f);
}

/* A node of the call-site tree: a frame under its caller, with the open bytes beneath it. */
struct node {
	const struct lc_jval *frame; /* NULL: the root */
	uint64_t bytes, buffers;
	size_t child, next;          /* first child, next sibling; 0: none (0 is the root) */
	size_t depth;
	double x, w;
	bool drawn;
};

enum { FLAME_W = 1200, ROW = 17 };

static bool same_frame(const struct lc_jval *a, const struct lc_jval *b)
{
	return a->type == LC_JSTR && b->type == LC_JSTR && a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* The label of a frame: the symbol after "library: " when there is one. */
static void frame_label(FILE *f, const struct lc_jval *fr, double w)
{
	size_t chars = w > 16 ? (size_t)((w - 6) / 7) : 0;
	if (!chars || fr->type != LC_JSTR)
		return;
	const char *s = fr->s, *colon = memchr(s, ':', fr->n);
	size_t n = fr->n;
	if (colon && colon + 1 < s + n && colon[1] == ' ') {
		n -= (size_t)(colon + 2 - s);
		s = colon + 2;
	}
	lc_html_text(f, s, n, chars);
}

static void flame_node(FILE *f, const struct node *nd, bool by_bytes)
{
	char b[32];
	fprintf(f, "<g class=\"frame%s\"><rect x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"%d\"/><text x=\"%.1f\" y=\"%zu\">",
		nd->frame ? "" : " root", nd->x, nd->depth * ROW, nd->w, ROW - 1, nd->x + 3, nd->depth * ROW + 12);
	if (nd->frame)
		frame_label(f, nd->frame, nd->w);
	else if (nd->w > 60)
		fputs("all open lifetimes", f);
	fputs("</text><title>", f);
	if (nd->frame && nd->frame->type == LC_JSTR)
		lc_html_text(f, nd->frame->s, nd->frame->n, 0);
	else
		fputs("all open lifetimes", f);
	fprintf(f, " \xe2\x80\x94 %s, %llu buffer%s%s</title></g>\n", lc_human_bytes(nd->bytes, b, sizeof b),
		(unsigned long long)nd->buffers, nd->buffers == 1 ? "" : "s", by_bytes ? "" : " (widths by buffers)");
}

/* The sites as a table (first top rows): index, buffers, bytes, temporary ones, innermost frame. */
static void site_table(FILE *f, const struct lc_jval *sites, size_t top)
{
	size_t shown = top && sites->count > top ? top : sites->count;
	fputs("<details>\n<summary>The call sites, most bytes first</summary>\n<table>\n<thead><tr><th>site</th>"
	      "<th>buffers</th><th>bytes</th><th>temporary</th><th>innermost frames</th></tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < shown; i++) {
		const struct lc_jval *s = &sites->items[i], *frames = lc_jget(s, "frames");
		fprintf(f, "<tr><td class=\"r\">%zu</td><td class=\"r\">", i);
		lc_html_num(f, "span", lc_jget(s, "buffers"), false, "debug.sites.%zu.buffers", i);
		fputs("</td><td class=\"r\">", f);
		lc_html_num(f, "span", lc_jget(s, "bytes"), true, "debug.sites.%zu.bytes", i);
		fputs("</td><td class=\"r\">", f);
		if (lc_jget(s, "temporary"))
			lc_html_num(f, "span", lc_jget(s, "temporary"), false, "debug.sites.%zu.temporary", i);
		fputs("</td><td class=\"frames\">", f);
		for (size_t k = 0; k < alen(frames) && k < 3; k++) {
			if (k)
				fputs("<br>", f);
			if (frames->items[k].type == LC_JSTR)
				lc_html_text(f, frames->items[k].s, frames->items[k].n, 200);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</details>\n", f);
	if (shown < sites->count)
		fprintf(f, "<p class=\"more\">%zu more not shown</p>\n", sites->count - shown);
}

void lc_html_flame(FILE *f, const struct lc_jval *report, size_t top)
{
	const struct lc_jval *sites = lc_jget(lc_jget(report, "debug"), "sites");
	if (!alen(sites))
		return;
	size_t cap = 64, n = 1;
	struct node *t = lc_xcalloc(cap, sizeof *t);
	for (size_t i = 0; i < sites->count; i++) {
		const struct lc_jval *s = &sites->items[i], *frames = lc_jget(s, "frames");
		uint64_t by = u(lc_jget(s, "bytes")), bu = u(lc_jget(s, "buffers"));
		size_t cur = 0;
		bool over = false; /* sums of a hostile report stop at 2^64-1 */
		t[0].bytes = lc_add_sat(t[0].bytes, by, &over);
		t[0].buffers = lc_add_sat(t[0].buffers, bu, &over);
		for (size_t k = alen(frames); k-- > 0;) {
			const struct lc_jval *fr = &frames->items[k];
			size_t c = t[cur].child, last = 0;
			while (c && !same_frame(t[c].frame, fr)) {
				last = c;
				c = t[c].next;
			}
			if (!c) {
				if (n == cap) {
					cap *= 2;
					t = lc_xrealloc(t, cap * sizeof *t);
				}
				c = n++;
				t[c] = (struct node){ .frame = fr, .depth = t[cur].depth + 1 };
				if (last)
					t[last].next = c;
				else
					t[cur].child = c;
			}
			t[c].bytes = lc_add_sat(t[c].bytes, by, &over);
			t[c].buffers = lc_add_sat(t[c].buffers, bu, &over);
			cur = c;
		}
	}
	/* widths by open bytes; by buffers only when every open lifetime has size 0 */
	bool by_bytes = t[0].bytes > 0;
	double total = (double)(by_bytes ? t[0].bytes : t[0].buffers);
	if (total <= 0)
		total = 1;
	t[0].w = FLAME_W;
	t[0].drawn = true;
	size_t maxdepth = 0;
	size_t *stack = lc_xmalloc(n * sizeof *stack), sp = 0;
	stack[sp++] = 0;
	while (sp) {
		size_t p = stack[--sp];
		double x = t[p].x;
		if (t[p].depth > maxdepth)
			maxdepth = t[p].depth;
		for (size_t c = t[p].child; c; c = t[c].next) {
			t[c].x = x;
			t[c].w = (double)(by_bytes ? t[c].bytes : t[c].buffers) / total * FLAME_W;
			if (t[c].w > t[p].x + t[p].w - x) /* only when a sum stopped at 2^64-1 */
				t[c].w = t[p].x + t[p].w - x > 0 ? t[p].x + t[p].w - x : 0;
			x += t[c].w;
			if (t[c].w >= 0.5) { /* narrower nodes (and all beneath them) are not drawn */
				t[c].drawn = true;
				stack[sp++] = c;
			}
		}
	}
	free(stack);
	fputs("<section id=\"sites\">\n<h2>Call sites of the open lifetimes</h2>\n<p>", f);
	fprintf(f, "%zu call sites; ", sites->count);
	lc_html_num(f, "span", lc_jget(lc_jget(lc_jget(report, "debug"), "live"), "bytes"), true, "debug.live.bytes");
	fprintf(f, " open. Outermost frame at the top, each frame as wide as the open %s beneath it; hover for the "
		"figures.</p>\n", by_bytes ? "bytes" : "buffers");
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flame\" width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d "
		"%zu\">\n",
		FLAME_W, (maxdepth + 1) * ROW, FLAME_W, (maxdepth + 1) * ROW);
	for (size_t i = 0; i < n; i++)
		if (t[i].drawn)
			flame_node(f, &t[i], by_bytes);
	fputs("</svg>\n", f);
	free(t);
	site_table(f, sites, top);
	fputs("</section>\n", f);
}
