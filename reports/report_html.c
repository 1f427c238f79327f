// SPDX-License-Identifier: MIT
// The HTML report: the JSON report rendered in memory, parsed back, and laid out as one page.
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lc/jsonread.h"
#include "lc/report.h"
#include "lc/report_html.h"
#include "lc/util.h"

/* What every section needs: the page's file, the document and the row limit of tables. */
struct page {
	FILE *f;
	const struct lc_jval *doc;
	size_t top;
};

/* The length of the valid UTF-8 sequence at p (at most n bytes), 0 when it is not valid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	unsigned cp, min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

void lc_html_text(FILE *f, const char *s, size_t n, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;
	for (size_t i = 0; i < n;) {
		if (max_chars && chars == max_chars) {
			fputs("\xe2\x80\xa6", f);
			return;
		}
		chars++;
		unsigned c = p[i];
		size_t len = utf8_len(p + i, n - i);
		if (len == 0 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
			fputs("\xef\xbf\xbd", f);
			i++;
			continue;
		}
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fwrite(p + i, 1, len, f);
		}
		i += len;
	}
}

static void text(FILE *f, const char *s)
{
	lc_html_text(f, s, strlen(s), 0);
}

/* A JSON string value, escaped; "–" for anything else. */
static void jtext(FILE *f, const struct lc_jval *v, size_t max_chars)
{
	if (v && v->type == LC_JSTR)
		lc_html_text(f, v->s, v->n, max_chars);
	else
		fputs("\xe2\x80\x93", f);
}

/* The integer's digits with a narrow no-break space between groups of three. */
static void grouped(FILE *f, uint64_t u, bool neg)
{
	char d[24];
	int n = snprintf(d, sizeof d, "%llu", (unsigned long long)u);
	if (neg)
		fputc('-', f);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			fputs("&#8239;", f);
		fputc(d[i], f);
	}
}

void lc_html_num(FILE *f, const char *tag, const struct lc_jval *v, bool human, const char *path, ...)
{
	if (!v || v->type != LC_JNUM || !v->is_int) {
		fputs("\xe2\x80\x93", f);
		return;
	}
	char p[512];
	va_list ap;
	va_start(ap, path);
	vsnprintf(p, sizeof p, path, ap);
	va_end(ap);
	fprintf(f, "<%s class=\"n\" data-path=\"", tag);
	text(f, p);
	fprintf(f, "\" data-value=\"%s%llu\">", v->is_neg ? "-" : "", (unsigned long long)v->u);
	if (human && !v->is_neg) {
		char b[32];
		fputs(lc_human_bytes(v->u, b, sizeof b), f);
	} else {
		grouped(f, v->u, v->is_neg);
	}
	fprintf(f, "</%s>", tag);
}

static const struct lc_jval *jg(const struct lc_jval *v, const char *key)
{
	return lc_jget(v, key);
}

static bool is_obj(const struct lc_jval *v)
{
	return v && v->type == LC_JOBJ;
}

static size_t alen(const struct lc_jval *v)
{
	return v && v->type == LC_JARR ? v->count : 0;
}

static bool jtrue(const struct lc_jval *v)
{
	return v && v->type == LC_JBOOL && v->b;
}

/* The rows a table shows, and the "N more not shown" line after it. */
static size_t shown(const struct page *pg, size_t n)
{
	return pg->top && n > pg->top ? pg->top : n;
}

static void more(const struct page *pg, size_t n)
{
	if (pg->top && n > pg->top)
		fprintf(pg->f, "<p class=\"more\">%zu more not shown</p>\n", n - pg->top);
}

static void section(const struct page *pg, const char *id, const char *title)
{
	fprintf(pg->f, "<section id=\"%s\">\n<h2>", id);
	text(pg->f, title);
	fputs("</h2>\n", pg->f);
}

static void end_section(const struct page *pg)
{
	fputs("</section>\n", pg->f);
}

/* A table head from a '|'-separated list of column names. */
static void thead(FILE *f, const char *cols)
{
	fputs("<table>\n<thead><tr>", f);
	for (const char *c = cols; *c;) {
		const char *e = strchr(c, '|');
		size_t n = e ? (size_t)(e - c) : strlen(c);
		fputs("<th>", f);
		lc_html_text(f, c, n, 0);
		fputs("</th>", f);
		c += n + (e ? 1 : 0);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
}

static void tend(FILE *f)
{
	fputs("</tbody>\n</table>\n", f);
}

/* A cell holding the integer at base.key (base a printf-made path). */
static void cell_num(FILE *f, const struct lc_jval *obj, const char *key, bool human, const char *base)
{
	fputs("<td class=\"r\">", f);
	lc_html_num(f, "span", jg(obj, key), human, "%s.%s", base, key);
	fputs("</td>", f);
}

static void cell_str(FILE *f, const struct lc_jval *obj, const char *key)
{
	fputs("<td>", f);
	jtext(f, jg(obj, key), 0);
	fputs("</td>", f);
}

/* An address as hex (its data-value is the decimal integer of the JSON). */
static void cell_addr(FILE *f, const struct lc_jval *obj, const char *key, const char *base)
{
	const struct lc_jval *v = jg(obj, key);
	fputs("<td class=\"r\">", f);
	if (v && v->type == LC_JNUM && v->is_int && !v->is_neg)
		fprintf(f, "<code class=\"n\" data-path=\"%s.%s\" data-value=\"%llu\">0x%llx</code>", base, key,
			(unsigned long long)v->u, (unsigned long long)v->u);
	else
		fputs("\xe2\x80\x93", f);
	fputs("</td>", f);
}

/* "path:line" of an input index and a line of the JSON. */
static void cell_where(const struct page *pg, const struct lc_jval *obj, const char *base)
{
	FILE *f = pg->f;
	const struct lc_jval *in = jg(obj, "input"), *ins = jg(pg->doc, "inputs");
	fputs("<td>", f);
	if (in && in->type == LC_JNUM && in->is_int && in->u < alen(ins))
		jtext(f, jg(&ins->items[in->u], "path"), 60);
	fputs(":", f);
	lc_html_num(f, "span", jg(obj, "line"), false, "%s.line", base);
	fputs("</td>", f);
}

/* A {"buffers", "bytes"} pair as "N / B". */
static void pair(FILE *f, const struct lc_jval *obj, const char *base)
{
	lc_html_num(f, "span", jg(obj, "buffers"), false, "%s.buffers", base);
	fputs(" / ", f);
	lc_html_num(f, "span", jg(obj, "bytes"), true, "%s.bytes", base);
}

static void verdict(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *v = jg(pg->doc, "verdict"), *st = jg(v, "status");
	const char *status = st && st->type == LC_JSTR ? st->s : "unknown";
	section(pg, "verdict", "Verdict");
	fputs("<p class=\"verdict ", f);
	text(f, status);
	fputs("\"><b>", f);
	text(f, status);
	fprintf(f, "</b>%s</p>\n<ul class=\"reasons\">\n",
		jtrue(jg(v, "trusted")) ? "" : " (the figures cannot be trusted: see the reasons)");
	const struct lc_jval *srv = jg(pg->doc, "server"), *dbg = jg(pg->doc, "debug"), *diff = jg(pg->doc, "diff");
	if (is_obj(srv)) {
		fputs("<li>", f);
		pair(f, jg(srv, "remaining"), "server.remaining");
		fputs(" (buffers / bytes) still allocated at the end of the server log, over ", f);
		lc_html_num(f, "span", jg(srv, "runs"), false, "server.runs");
		fputs(" server runs</li>\n", f);
	}
	if (is_obj(dbg)) {
		fputs("<li>", f);
		pair(f, jg(dbg, "live"), "debug.live");
		fputs(" Buffer* lifetimes still open at the end of the buffer debug log</li>\n", f);
	}
	if (is_obj(diff)) {
		const struct lc_jval *a = jg(diff, "after");
		fputs("<li>after: ", f);
		lc_html_num(f, "span", jg(a, "remaining_buffers"), false, "diff.after.remaining_buffers");
		fputs(" / ", f);
		lc_html_num(f, "span", jg(a, "remaining_bytes"), true, "diff.after.remaining_bytes");
		fputs(" remaining, ", f);
		lc_html_num(f, "span", jg(a, "live_buffers"), false, "diff.after.live_buffers");
		fputs(" / ", f);
		lc_html_num(f, "span", jg(a, "live_bytes"), true, "diff.after.live_bytes");
		fputs(" live lifetimes</li>\n", f);
	}
	const struct lc_jval *ins = jg(pg->doc, "inputs");
	for (size_t i = 0; i < alen(ins); i++) {
		const struct lc_jval *d = jg(&ins->items[i], "doubt"), *e = jg(&ins->items[i], "error");
		const struct lc_jval *why = d && d->type == LC_JSTR ? d : e;
		if (!why || why->type != LC_JSTR)
			continue;
		fputs("<li class=\"doubt\">", f);
		if (why == e) {
			jtext(f, jg(&ins->items[i], "path"), 0);
			fputs(": ", f);
		}
		jtext(f, why, 0);
		fputs("</li>\n", f);
	}
	const struct lc_jval *flt = jg(pg->doc, "filter");
	if (is_obj(flt)) {
		static const char *const keys[] = { "device", "type", "pid", "min_size" };
		fputs("<li>filter:", f);
		for (size_t k = 0; k < 4; k++) {
			const struct lc_jval *fv = jg(flt, keys[k]);
			if (!fv || fv->type == LC_JNULL)
				continue;
			fprintf(f, " %s ", keys[k]);
			if (fv->type == LC_JSTR)
				jtext(f, fv, 0);
			else
				lc_html_num(f, "span", fv, k == 3, "filter.%s", keys[k]);
		}
		const struct lc_jval *nn = jg(flt, "not_narrowed");
		fputs("; sections not narrowed: ", f);
		for (size_t i = 0; i < alen(nn); i++) {
			fputs(i ? ", " : "", f);
			jtext(f, &nn->items[i], 0);
		}
		fputs(alen(nn) ? "</li>\n" : "none</li>\n", f);
	}
	const struct lc_jval *gate = jg(pg->doc, "gate");
	if (is_obj(gate))
		fprintf(f, "<li>gate: %s (see <a href=\"#gate\">the gate</a>)</li>\n",
			jtrue(jg(gate, "passed")) ? "passed" : "failed");
	fputs("</ul>\n", f);
	end_section(pg);
}

static void inputs(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *ins = jg(pg->doc, "inputs");
	section(pg, "inputs", "Inputs");
	thead(f, "input|format|lines|recognized|foreign|malformed|events|state");
	for (size_t i = 0; i < alen(ins); i++) {
		const struct lc_jval *in = &ins->items[i];
		char base[32];
		snprintf(base, sizeof base, "inputs.%zu", i);
		fputs("<tr>", f);
		cell_str(f, in, "path");
		cell_str(f, in, "format");
		cell_num(f, in, "lines", false, base);
		cell_num(f, in, "recognized_lines", false, base);
		cell_num(f, in, "foreign_lines", false, base);
		cell_num(f, in, "malformed_lines", false, base);
		cell_num(f, in, "events", false, base);
		const struct lc_jval *d = jg(in, "doubt"), *e = jg(in, "error");
		fprintf(f, "<td>%s%s%s</td></tr>\n", jtrue(jg(in, "truncated")) ? "truncated" : "",
			d && d->type == LC_JSTR ? " doubtful" : "", e && e->type == LC_JSTR ? " error" : "");
	}
	tend(f);
	end_section(pg);
}

static void remaining(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *srv = jg(pg->doc, "server"), *dbg = jg(pg->doc, "debug");
	if (!is_obj(srv) && !is_obj(dbg))
		return;
	section(pg, "remaining", "Remaining at the end");
	if (is_obj(srv)) {
		const struct lc_jval *rem = jg(srv, "remaining"), *devs = jg(rem, "by_device");
		fputs("<p>Server log, last run: ", f);
		pair(f, rem, "server.remaining");
		fputs(" (buffers / bytes)</p>\n", f);
		if (alen(devs))
			thead(f, "device|type|buffers|bytes");
		for (size_t d = 0; d < alen(devs); d++) {
			const struct lc_jval *dev = &devs->items[d], *types = jg(dev, "by_type");
			char base[96];
			for (size_t t = 0; t < alen(types); t++) {
				snprintf(base, sizeof base, "server.remaining.by_device.%zu.by_type.%zu", d, t);
				fputs("<tr><td class=\"r\">", f);
				lc_html_num(f, "span", jg(dev, "device"), false, "server.remaining.by_device.%zu.device", d);
				fputs("</td>", f);
				cell_str(f, &types->items[t], "type");
				cell_num(f, &types->items[t], "buffers", false, base);
				cell_num(f, &types->items[t], "bytes", true, base);
				fputs("</tr>\n", f);
			}
			snprintf(base, sizeof base, "server.remaining.by_device.%zu", d);
			fputs("<tr class=\"total\"><td class=\"r\">", f);
			lc_html_num(f, "span", jg(dev, "device"), false, "%s.device", base);
			fputs("</td><td>all types</td>", f);
			cell_num(f, dev, "buffers", false, base);
			cell_num(f, dev, "bytes", true, base);
			fputs("</tr>\n", f);
		}
		if (alen(devs))
			tend(f);
	}
	if (is_obj(dbg)) {
		fputs("<p>Buffer debug log: open lifetimes ", f);
		pair(f, jg(dbg, "live"), "debug.live");
		fputs("; superseded ", f);
		pair(f, jg(dbg, "superseded"), "debug.superseded");
		fputs("; hooked ", f);
		pair(f, jg(dbg, "hooked"), "debug.hooked");
		fputs("; unmatched blocks ", f);
		lc_html_num(f, "span", jg(dbg, "unmatched"), false, "debug.unmatched");
		fputs("</p>\n", f);
	}
	end_section(pg);
}

static void leaks(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *sl = jg(jg(pg->doc, "server"), "leaks"), *dl = jg(jg(pg->doc, "debug"), "leaks");
	if (!alen(sl) && !alen(dl))
		return;
	section(pg, "leaks", "Leaks, largest first");
	char base[64];
	if (alen(sl)) {
		fprintf(f, "<p>Server entries live at the end: %zu</p>\n", alen(sl));
		thead(f, "device|address|type|size|owner pid|refs|allocated at|site");
		for (size_t i = 0; i < shown(pg, alen(sl)); i++) {
			const struct lc_jval *l = &sl->items[i];
			snprintf(base, sizeof base, "server.leaks.%zu", i);
			fputs("<tr>", f);
			cell_num(f, l, "device", false, base);
			cell_addr(f, l, "address", base);
			cell_str(f, l, "type");
			cell_num(f, l, "size", true, base);
			cell_num(f, l, "pid", false, base);
			cell_num(f, l, "ref_count", false, base);
			cell_where(pg, l, base);
			cell_num(f, l, "site", false, base);
			fputs("</tr>\n", f);
		}
		tend(f);
		more(pg, alen(sl));
	}
	if (alen(dl)) {
		fprintf(f, "<p>Buffer* lifetimes open at the end: %zu</p>\n", alen(dl));
		thead(f, "device|address|type|size|pointer|allocated at|site");
		for (size_t i = 0; i < shown(pg, alen(dl)); i++) {
			const struct lc_jval *l = &dl->items[i];
			snprintf(base, sizeof base, "debug.leaks.%zu", i);
			fputs("<tr>", f);
			cell_num(f, l, "device", false, base);
			cell_addr(f, l, "address", base);
			cell_str(f, l, "type");
			cell_num(f, l, "size", true, base);
			cell_addr(f, l, "pointer", base);
			cell_where(pg, l, base);
			cell_num(f, l, "site", false, base);
			fputs("</tr>\n", f);
		}
		tend(f);
		more(pg, alen(dl));
	}
	end_section(pg);
}

/* The groups and classes of one evidence object (the remaining entries', or the dump's). */
static void evidence_part(const struct page *pg, const struct lc_jval *ev, const char *base, const char *what)
{
	FILE *f = pg->f;
	const struct lc_jval *groups = jg(ev, "groups"), *classes = jg(ev, "classes");
	fputs("<details open>\n<summary>", f);
	text(f, what);
	fputs(": ", f);
	lc_html_num(f, "span", jg(ev, "buffers"), false, "%s.buffers", base);
	fputs(" buffers, ", f);
	lc_html_num(f, "span", jg(ev, "bytes"), true, "%s.bytes", base);
	fprintf(f, ", %zu groups</summary>\n", alen(groups));
	char b[96];
	if (alen(groups)) {
		thead(f, "type|size|buffers|bytes|lines|shape");
		for (size_t i = 0; i < shown(pg, alen(groups)); i++) {
			const struct lc_jval *g = &groups->items[i];
			snprintf(b, sizeof b, "%s.groups.%zu", base, i);
			fputs("<tr>", f);
			cell_str(f, g, "type");
			cell_num(f, g, "size", true, b);
			cell_num(f, g, "buffers", false, b);
			cell_num(f, g, "bytes", true, b);
			fputs("<td>", f);
			lc_html_num(f, "span", jg(g, "first_line"), false, "%s.first_line", b);
			fputs("\xe2\x80\x93", f);
			lc_html_num(f, "span", jg(g, "last_line"), false, "%s.last_line", b);
			fputs("</td>", f);
			cell_str(f, g, "shape");
			fputs("</tr>\n", f);
		}
		tend(f);
		more(pg, alen(groups));
	}
	for (size_t c = 0; c < alen(classes); c++) {
		const struct lc_jval *cl = &classes->items[c], *rows = jg(cl, "rows");
		if (!alen(rows))
			continue;
		fputs("<h3>by ", f);
		jtext(f, jg(cl, "by"), 0);
		fputs("</h3>\n", f);
		thead(f, "class|buffers|bytes|share");
		for (size_t i = 0; i < shown(pg, alen(rows)); i++) {
			const struct lc_jval *row = &rows->items[i], *share = jg(row, "share");
			snprintf(b, sizeof b, "%s.classes.%zu.rows.%zu", base, c, i);
			fputs("<tr>", f);
			cell_str(f, row, "class");
			cell_num(f, row, "buffers", false, b);
			cell_num(f, row, "bytes", true, b);
			if (share && share->type == LC_JNUM)
				fprintf(f, "<td class=\"r\">%.1f%%</td>", share->d * 100.0);
			else
				fputs("<td></td>", f);
			fputs("</tr>\n", f);
		}
		tend(f);
		more(pg, alen(rows));
	}
	fputs("</details>\n", f);
}

static void evidence(const struct page *pg)
{
	const struct lc_jval *ev = jg(pg->doc, "evidence");
	if (!is_obj(ev))
		return;
	section(pg, "evidence", "Evidence: what the remaining entries are");
	evidence_part(pg, ev, "evidence", "remaining entries");
	if (is_obj(jg(ev, "dump")))
		evidence_part(pg, jg(ev, "dump"), "evidence.dump", "entries live at the dump");
	end_section(pg);
}

static void reuse(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *rows = jg(jg(pg->doc, "server"), "reuse");
	if (!alen(rows))
		return;
	section(pg, "reuse", "Address reuse");
	thead(f, "device|address|type|allocs|frees|unknown frees|net|live refs");
	char b[64];
	for (size_t i = 0; i < shown(pg, alen(rows)); i++) {
		const struct lc_jval *r = &rows->items[i];
		snprintf(b, sizeof b, "server.reuse.%zu", i);
		fputs("<tr>", f);
		cell_num(f, r, "device", false, b);
		cell_addr(f, r, "address", b);
		cell_str(f, r, "type");
		cell_num(f, r, "allocs", false, b);
		cell_num(f, r, "frees", false, b);
		cell_num(f, r, "unknown_frees", false, b);
		cell_num(f, r, "net", false, b);
		cell_num(f, r, "live_ref_count", false, b);
		fputs("</tr>\n", f);
	}
	tend(f);
	more(pg, alen(rows));
	end_section(pg);
}

static void unknown(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *u = jg(jg(pg->doc, "server"), "unknown_frees");
	if (!is_obj(u))
		return;
	section(pg, "unknown", "Unknown frees");
	fputs("<p>", f);
	lc_html_num(f, "span", jg(u, "count"), false, "server.unknown_frees.count");
	fputs(" frees of keys that were not live</p>\n", f);
	const struct lc_jval *bc = jg(u, "by_cause");
	thead(f, "cause|count");
	for (size_t i = 0; is_obj(bc) && i < bc->count; i++) {
		fputs("<tr><td>", f);
		text(f, bc->keys[i]);
		fputs("</td><td class=\"r\">", f);
		lc_html_num(f, "span", &bc->items[i], false, "server.unknown_frees.by_cause.%s", bc->keys[i]);
		fputs("</td></tr>\n", f);
	}
	tend(f);
	const struct lc_jval *bd = jg(u, "by_device");
	if (alen(bd)) {
		thead(f, "device|count");
		char b[64];
		for (size_t i = 0; i < shown(pg, alen(bd)); i++) {
			snprintf(b, sizeof b, "server.unknown_frees.by_device.%zu", i);
			fputs("<tr>", f);
			cell_num(f, &bd->items[i], "device", false, b);
			cell_num(f, &bd->items[i], "count", false, b);
			fputs("</tr>\n", f);
		}
		tend(f);
		more(pg, alen(bd));
	}
	const struct lc_jval *bp = jg(u, "by_position");
	for (size_t k = 0; is_obj(bp) && k < bp->count; k++) {
		const struct lc_jval *pos = &bp->items[k], *first = jg(pos, "first");
		char b[128];
		fputs("<details>\n<summary>", f);
		text(f, bp->keys[k]);
		fputs(": ", f);
		lc_html_num(f, "span", jg(pos, "count"), false, "server.unknown_frees.by_position.%s.count", bp->keys[k]);
		fputs("</summary>\n", f);
		if (alen(first)) {
			thead(f, "device|address|at");
			for (size_t i = 0; i < shown(pg, alen(first)); i++) {
				snprintf(b, sizeof b, "server.unknown_frees.by_position.%s.first.%zu", bp->keys[k], i);
				fputs("<tr>", f);
				cell_num(f, &first->items[i], "device", false, b);
				cell_addr(f, &first->items[i], "address", b);
				cell_where(pg, &first->items[i], b);
				fputs("</tr>\n", f);
			}
			tend(f);
			more(pg, alen(first));
		}
		fputs("</details>\n", f);
	}
	end_section(pg);
}

static void cleanup(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *rows = jg(jg(pg->doc, "server"), "cleanup");
	if (!alen(rows))
		return;
	section(pg, "cleanup", "Dead-process cleanup");
	thead(f, "pid|buffers|bytes|at|agrees with the server");
	char b[64];
	for (size_t i = 0; i < shown(pg, alen(rows)); i++) {
		const struct lc_jval *r = &rows->items[i];
		snprintf(b, sizeof b, "server.cleanup.%zu", i);
		fputs("<tr>", f);
		cell_num(f, r, "pid", false, b);
		cell_num(f, r, "buffers", false, b);
		cell_num(f, r, "bytes", true, b);
		cell_where(pg, r, b);
		fprintf(f, "<td>%s</td></tr>\n", jtrue(jg(r, "agrees")) ? "yes" : "no");
	}
	tend(f);
	more(pg, alen(rows));
	end_section(pg);
}

static void dump(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *d = jg(jg(pg->doc, "server"), "dump_lifecycle");
	if (!is_obj(d))
		return;
	static const char *const parts[] = { "at_dump", "freed_later", "removed_by_cleanup", "still_live" };
	section(pg, "dump", "Dump lifecycle: what became of the entries live at the dump");
	fputs("<p>Dump ", f);
	lc_html_num(f, "span", jg(d, "dump_index"), false, "server.dump_lifecycle.dump_index");
	fputs(" at line ", f);
	lc_html_num(f, "span", jg(d, "line"), false, "server.dump_lifecycle.line");
	fputs("</p>\n", f);
	thead(f, "at the dump|freed later|removed by cleanup|still live");
	fputs("<tr>", f);
	char b[96];
	for (size_t k = 0; k < 4; k++) {
		snprintf(b, sizeof b, "server.dump_lifecycle.%s", parts[k]);
		fputs("<td class=\"r\">", f);
		pair(f, jg(d, parts[k]), b);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
	tend(f);
	const struct lc_jval *rows = jg(d, "by_device");
	if (alen(rows)) {
		thead(f, "device|type|at the dump|freed later|removed by cleanup|still live");
		for (size_t i = 0; i < shown(pg, alen(rows)); i++) {
			const struct lc_jval *r = &rows->items[i];
			snprintf(b, sizeof b, "server.dump_lifecycle.by_device.%zu", i);
			fputs("<tr>", f);
			cell_num(f, r, "device", false, b);
			cell_str(f, r, "type");
			for (size_t k = 0; k < 4; k++) {
				char pb[128];
				snprintf(pb, sizeof pb, "%s.%s", b, parts[k]);
				fputs("<td class=\"r\">", f);
				pair(f, jg(r, parts[k]), pb);
				fputs("</td>", f);
			}
			fputs("</tr>\n", f);
		}
		tend(f);
		more(pg, alen(rows));
	}
	end_section(pg);
}

/* A site's frames, innermost first, one a line. */
static void frames_cell(FILE *f, const struct lc_jval *frames)
{
	fputs("<td class=\"frames\">", f);
	for (size_t k = 0; k < alen(frames); k++) {
		if (k)
			fputs("<br>", f);
		jtext(f, &frames->items[k], 200);
	}
	fputs("</td>", f);
}

static void diff(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *d = jg(pg->doc, "diff");
	if (!is_obj(d))
		return;
	static const char *const keys[] = { "remaining_buffers", "remaining_bytes", "unknown_frees", "live_buffers",
					    "live_bytes" };
	section(pg, "diff", "Diff: before and after");
	thead(f, "side|remaining buffers|remaining bytes|unknown frees|live buffers|live bytes");
	for (int s = 0; s < 2; s++) {
		const char *side = s ? "after" : "before";
		fprintf(f, "<tr><td>%s</td>", side);
		for (size_t k = 0; k < 5; k++) {
			fputs("<td class=\"r\">", f);
			lc_html_num(f, "span", jg(jg(d, side), keys[k]), strstr(keys[k], "bytes") != NULL, "diff.%s.%s", side,
				    keys[k]);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	tend(f);
	char b[64];
	const struct lc_jval *rows = jg(d, "by_device");
	if (alen(rows)) {
		thead(f, "device|type|buffers before|buffers after|bytes before|bytes after");
		for (size_t i = 0; i < shown(pg, alen(rows)); i++) {
			const struct lc_jval *r = &rows->items[i];
			snprintf(b, sizeof b, "diff.by_device.%zu", i);
			fputs("<tr>", f);
			cell_num(f, r, "device", false, b);
			cell_str(f, r, "type");
			cell_num(f, r, "before_buffers", false, b);
			cell_num(f, r, "after_buffers", false, b);
			cell_num(f, r, "before_bytes", true, b);
			cell_num(f, r, "after_bytes", true, b);
			fputs("</tr>\n", f);
		}
		tend(f);
		more(pg, alen(rows));
	}
	rows = jg(d, "sites");
	if (alen(rows)) {
		thead(f, "status|buffers before|buffers after|bytes before|bytes after|frames");
		for (size_t i = 0; i < shown(pg, alen(rows)); i++) {
			const struct lc_jval *r = &rows->items[i];
			snprintf(b, sizeof b, "diff.sites.%zu", i);
			fputs("<tr>", f);
			cell_str(f, r, "status");
			cell_num(f, r, "before_buffers", false, b);
			cell_num(f, r, "after_buffers", false, b);
			cell_num(f, r, "before_bytes", true, b);
			cell_num(f, r, "after_bytes", true, b);
			frames_cell(f, jg(r, "frames"));
			fputs("</tr>\n", f);
		}
		tend(f);
		more(pg, alen(rows));
	}
	end_section(pg);
}

/* A rule's value or limit: an integer with its path, any other number as %g. */
static void gate_value(FILE *f, const struct lc_jval *v, size_t i, const char *key)
{
	fputs("<td class=\"r\">", f);
	if (v && v->type == LC_JNUM && !v->is_int)
		fprintf(f, "%g", v->d);
	else
		lc_html_num(f, "span", v, false, "gate.rules.%zu.%s", i, key);
	fputs("</td>", f);
}

static void gate(const struct page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *g = jg(pg->doc, "gate");
	if (!is_obj(g))
		return;
	section(pg, "gate", "Gate");
	fprintf(f, "<p class=\"gate %s\">The gate %s.", jtrue(jg(g, "passed")) ? "passed" : "failed",
		jtrue(jg(g, "passed")) ? "passed" : "failed");
	const struct lc_jval *bl = jg(jg(pg->doc, "options"), "baseline");
	if (bl && bl->type == LC_JSTR) {
		fputs(" Values count only growth over the baseline ", f);
		jtext(f, bl, 0);
		fputs(".", f);
	}
	fputs("</p>\n", f);
	const struct lc_jval *rules = jg(g, "rules");
	if (alen(rules)) {
		thead(f, "rule|value|limit|result");
		for (size_t i = 0; i < alen(rules); i++) {
			const struct lc_jval *r = &rules->items[i], *ap = jg(r, "applies");
			fputs("<tr>", f);
			cell_str(f, r, "rule");
			gate_value(f, jg(r, "value"), i, "value");
			gate_value(f, jg(r, "limit"), i, "limit");
			fprintf(f, "<td>%s</td></tr>\n",
				ap && ap->type == LC_JBOOL && !ap->b ? "does not apply" :
				jtrue(jg(r, "passed"))		     ? "passed" :
									       "failed");
		}
		tend(f);
	}
	const struct lc_jval *sup = jg(g, "suppressions");
	if (alen(sup)) {
		thead(f, "suppression|buffers|bytes");
		char b[64];
		for (size_t i = 0; i < shown(pg, alen(sup)); i++) {
			snprintf(b, sizeof b, "gate.suppressions.%zu", i);
			fputs("<tr>", f);
			cell_str(f, &sup->items[i], "rule");
			cell_num(f, &sup->items[i], "buffers", false, b);
			cell_num(f, &sup->items[i], "bytes", true, b);
			fputs("</tr>\n", f);
		}
		tend(f);
		more(pg, alen(sup));
	}
	end_section(pg);
}

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222;background:#fff}\n"
	"h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.6em}h3{font-size:1em}\n"
	"table{border-collapse:collapse;margin:.4em 0}th,td{padding:2px 8px;border-bottom:1px solid #eee;"
	"text-align:left;vertical-align:top}\n"
	"th{background:#f4f4f4}td.r{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold}\n"
	"td.frames{font:12px monospace;word-break:break-all}code{font-size:12px}\n"
	".verdict b{font-size:1.2em;text-transform:uppercase}.verdict.leaks b,.gate.failed{color:#b00}"
	".verdict.clean b,.gate.passed{color:#070}\n"
	".verdict.doubtful b,.verdict.incomplete b,.verdict.no_data b,li.doubt{color:#a60}\n"
	".more{color:#666;font-style:italic}\n"
	"svg{display:block;overflow:visible}svg text{font:11px sans-serif;fill:#333}\n"
	"svg.chart .area{fill:#9ecae1;stroke:none}svg.chart .min{fill:none;stroke:#08519c;stroke-width:1}\n"
	"svg.chart .axis{stroke:#888;stroke-width:1}svg.chart .peak{fill:#d62728;stroke:#fff}\n"
	".mark{stroke-width:1;stroke-dasharray:3 2}.mark.restart{stroke:#d62728}.mark.dump{stroke:#9467bd}"
	".mark.cleanup{stroke:#ff7f0e}.mark.stats{stroke:#2ca02c}\n"
	".legend span.key{display:inline-block;width:12px;height:3px;margin:0 4px 3px 10px}"
	".key.restart{background:#d62728}.key.dump{background:#9467bd}.key.cleanup{background:#ff7f0e}"
	".key.stats{background:#2ca02c}\n"
	"svg.flame rect{fill:#f2a65a;stroke:#fff;stroke-width:.5}svg.flame g.frame:hover rect{fill:#e5552e}\n"
	"svg.flame g.root rect{fill:#bbb}svg.flame text{font:11px monospace;pointer-events:none}\n"
	"#tip{position:fixed;display:none;background:#ffe;border:1px solid #999;padding:2px 6px;font-size:12px;"
	"pointer-events:none}\n"
	"@media print{#tip{display:none!important}svg.flame g.frame:hover rect{fill:#f2a65a}"
	"svg{break-inside:avoid}section{break-inside:auto}body{margin:0}}\n";

/*
 * The tooltip of the charts: the bucket under the pointer, read from the chart's data-*
 * attributes (the JSON's bucket arrays), shown as x range, min and max.
 */
static const char script[] =
	"(function(){var tip=document.getElementById('tip');\n"
	"function hb(v){var u=['B','KiB','MiB','GiB','TiB','PiB','EiB'],i=0;"
	"while(v>=1024&&i<6){v/=1024;i++;}return i?v.toFixed(1)+' '+u[i]:v+' B';}\n"
	"document.querySelectorAll('svg.chart').forEach(function(s){\n"
	"var mn=s.getAttribute('data-min').split(',').map(Number),mx=s.getAttribute('data-max').split(',').map(Number);\n"
	"var w=+s.getAttribute('data-w'),end=+s.getAttribute('data-lines'),x0=+s.getAttribute('data-x0'),"
	"pw=+s.getAttribute('data-pw');\n"
	"s.addEventListener('mousemove',function(e){var r=s.getBoundingClientRect();"
	"var sx=(e.clientX-r.left)*(s.viewBox.baseVal.width/r.width)-x0;"
	"if(sx<0||sx>pw||!mn.length){tip.style.display='none';return;}"
	"var k=Math.min(mn.length-1,Math.floor(sx/pw*end/w));var a=k*w+1,b=Math.min((k+1)*w,end);"
	"tip.textContent='lines '+a+'\\u2013'+b+': min '+hb(mn[k])+', max '+hb(mx[k]);"
	"tip.style.left=(e.clientX+12)+'px';tip.style.top=(e.clientY+12)+'px';tip.style.display='block';});\n"
	"s.addEventListener('mouseleave',function(){tip.style.display='none';});});})();\n";

int lc_html_render(const struct lc_jval *report, size_t top, FILE *f)
{
	if (!is_obj(report))
		return -1;
	struct page pg = { f, report, top };
	const struct lc_jval *ver = jg(jg(report, "tool"), "version");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>tt-leakcorr report</title>\n"
	      "<style>\n",
	      f);
	fputs(style, f);
	fputs("</style>\n</head>\n<body>\n<h1>tt-leakcorr ", f);
	jtext(f, ver, 40);
	fputs(" report</h1>\n", f);
	verdict(&pg);
	inputs(&pg);
	lc_html_timeline(f, report, top);
	remaining(&pg);
	leaks(&pg);
	evidence(&pg);
	reuse(&pg);
	unknown(&pg);
	cleanup(&pg);
	lc_html_flame(f, report, top);
	dump(&pg);
	diff(&pg);
	gate(&pg);
	fputs("<div id=\"tip\"></div>\n<script>\n", f);
	fputs(script, f);
	fputs("</script>\n</body>\n</html>\n", f);
	return 0;
}

void lc_report_html(const struct lc_report *r, FILE *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		lc_error("the HTML report: %s", strerror(errno));
		return;
	}
	lc_report_json(r, m);
	bool bad = ferror(m) != 0;
	if (fclose(m) != 0 || bad) {
		free(buf);
		lc_error("the HTML report: the JSON report could not be rendered in memory");
		return;
	}
	char err[256];
	struct lc_jval *doc = lc_json_parse(buf, len, err, sizeof err);
	free(buf);
	if (!doc) {
		lc_error("the HTML report: the JSON report does not parse: %s", err);
		return;
	}
	lc_html_render(doc, r->top, f);
	lc_jval_free(doc);
}
