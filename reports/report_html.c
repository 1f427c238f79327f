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
#include "report_html_page.h"

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

void lc_html_cstr(FILE *f, const char *s)
{
	lc_html_text(f, s, strlen(s), 0);
}

/* A JSON string value, escaped; "–" for anything else. */
void lc_html_jtext(FILE *f, const struct lc_jval *v, size_t max_chars)
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
	lc_html_cstr(f, p);
	fprintf(f, "\" data-value=\"%s%llu\">", v->is_neg ? "-" : "", (unsigned long long)v->u);
	if (human && !v->is_neg) {
		char b[32];
		fputs(lc_human_bytes(v->u, b, sizeof b), f);
	} else {
		grouped(f, v->u, v->is_neg);
	}
	fprintf(f, "</%s>", tag);
}

const struct lc_jval *lc_html_get(const struct lc_jval *v, const char *key)
{
	return lc_jget(v, key);
}

bool lc_html_is_obj(const struct lc_jval *v)
{
	return v && v->type == LC_JOBJ;
}

size_t lc_html_len(const struct lc_jval *v)
{
	return v && v->type == LC_JARR ? v->count : 0;
}

bool lc_html_true(const struct lc_jval *v)
{
	return v && v->type == LC_JBOOL && v->b;
}

/* The rows a table shows, and the "N more not shown" line after it. */
size_t lc_html_shown(const struct lc_html_page *pg, size_t n)
{
	return pg->top && n > pg->top ? pg->top : n;
}

void lc_html_more(const struct lc_html_page *pg, size_t n)
{
	if (pg->top && n > pg->top)
		fprintf(pg->f, "<p class=\"more\">%zu more not shown</p>\n", n - pg->top);
}

void lc_html_section(const struct lc_html_page *pg, const char *id, const char *title)
{
	fprintf(pg->f, "<section id=\"%s\">\n<h2>", id);
	lc_html_cstr(pg->f, title);
	fputs("</h2>\n", pg->f);
}

void lc_html_end_section(const struct lc_html_page *pg)
{
	fputs("</section>\n", pg->f);
}

/* A table head from a '|'-separated list of column names. */
void lc_html_thead(FILE *f, const char *cols)
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

void lc_html_tend(FILE *f)
{
	fputs("</tbody>\n</table>\n", f);
}

/* A cell holding the integer at base.key (base a printf-made path). */
void lc_html_cell_num(FILE *f, const struct lc_jval *obj, const char *key, bool human, const char *base)
{
	fputs("<td class=\"r\">", f);
	lc_html_num(f, "span", lc_html_get(obj, key), human, "%s.%s", base, key);
	fputs("</td>", f);
}

void lc_html_cell_str(FILE *f, const struct lc_jval *obj, const char *key)
{
	fputs("<td>", f);
	lc_html_jtext(f, lc_html_get(obj, key), 0);
	fputs("</td>", f);
}

/* An address as hex (its data-value is the decimal integer of the JSON). */
void lc_html_cell_addr(FILE *f, const struct lc_jval *obj, const char *key, const char *base)
{
	const struct lc_jval *v = lc_html_get(obj, key);
	fputs("<td class=\"r\">", f);
	if (v && v->type == LC_JNUM && v->is_int && !v->is_neg)
		fprintf(f, "<code class=\"n\" data-path=\"%s.%s\" data-value=\"%llu\">0x%llx</code>", base, key,
			(unsigned long long)v->u, (unsigned long long)v->u);
	else
		fputs("\xe2\x80\x93", f);
	fputs("</td>", f);
}

/* "path:line" of an input index and a line of the JSON. */
void lc_html_cell_where(const struct lc_html_page *pg, const struct lc_jval *obj, const char *base)
{
	FILE *f = pg->f;
	const struct lc_jval *in = lc_html_get(obj, "input"), *ins = lc_html_get(pg->doc, "inputs");
	fputs("<td>", f);
	if (in && in->type == LC_JNUM && in->is_int && in->u < lc_html_len(ins))
		lc_html_jtext(f, lc_html_get(&ins->items[in->u], "path"), 60);
	fputs(":", f);
	lc_html_num(f, "span", lc_html_get(obj, "line"), false, "%s.line", base);
	fputs("</td>", f);
}

/* A {"buffers", "bytes"} pair as "N / B". */
void lc_html_pair(FILE *f, const struct lc_jval *obj, const char *base)
{
	lc_html_num(f, "span", lc_html_get(obj, "buffers"), false, "%s.buffers", base);
	fputs(" / ", f);
	lc_html_num(f, "span", lc_html_get(obj, "bytes"), true, "%s.bytes", base);
}

static void verdict(const struct lc_html_page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *v = lc_html_get(pg->doc, "verdict"), *st = lc_html_get(v, "status");
	const char *status = st && st->type == LC_JSTR ? st->s : "unknown";
	lc_html_section(pg, "verdict", "Verdict");
	fputs("<p class=\"verdict ", f);
	lc_html_cstr(f, status);
	fputs("\"><b>", f);
	lc_html_cstr(f, status);
	fprintf(f, "</b>%s</p>\n<ul class=\"reasons\">\n",
		lc_html_true(lc_html_get(v, "trusted")) ? "" : " (the figures cannot be trusted: see the reasons)");
	const struct lc_jval *srv = lc_html_get(pg->doc, "server"), *dbg = lc_html_get(pg->doc, "debug"), *diff = lc_html_get(pg->doc, "diff");
	if (lc_html_is_obj(srv)) {
		fputs("<li>", f);
		lc_html_pair(f, lc_html_get(srv, "remaining"), "server.remaining");
		fputs(" (buffers / bytes) still allocated at the end of the server log, over ", f);
		lc_html_num(f, "span", lc_html_get(srv, "runs"), false, "server.runs");
		fputs(" server runs</li>\n", f);
	}
	if (lc_html_is_obj(dbg)) {
		fputs("<li>", f);
		lc_html_pair(f, lc_html_get(dbg, "live"), "debug.live");
		fputs(" Buffer* lifetimes still open at the end of the buffer debug log</li>\n", f);
	}
	if (lc_html_is_obj(diff)) {
		const struct lc_jval *a = lc_html_get(diff, "after");
		fputs("<li>after: ", f);
		lc_html_num(f, "span", lc_html_get(a, "remaining_buffers"), false, "diff.after.remaining_buffers");
		fputs(" / ", f);
		lc_html_num(f, "span", lc_html_get(a, "remaining_bytes"), true, "diff.after.remaining_bytes");
		fputs(" remaining, ", f);
		lc_html_num(f, "span", lc_html_get(a, "live_buffers"), false, "diff.after.live_buffers");
		fputs(" / ", f);
		lc_html_num(f, "span", lc_html_get(a, "live_bytes"), true, "diff.after.live_bytes");
		fputs(" live lifetimes</li>\n", f);
	}
	const struct lc_jval *ins = lc_html_get(pg->doc, "inputs");
	for (size_t i = 0; i < lc_html_len(ins); i++) {
		const struct lc_jval *d = lc_html_get(&ins->items[i], "doubt"), *e = lc_html_get(&ins->items[i], "error");
		const struct lc_jval *why = d && d->type == LC_JSTR ? d : e;
		if (!why || why->type != LC_JSTR)
			continue;
		fputs("<li class=\"doubt\">", f);
		if (why == e) {
			lc_html_jtext(f, lc_html_get(&ins->items[i], "path"), 0);
			fputs(": ", f);
		}
		lc_html_jtext(f, why, 0);
		fputs("</li>\n", f);
	}
	const struct lc_jval *flt = lc_html_get(pg->doc, "filter");
	if (lc_html_is_obj(flt)) {
		static const char *const keys[] = { "device", "type", "pid", "min_size" };
		fputs("<li>filter:", f);
		for (size_t k = 0; k < 4; k++) {
			const struct lc_jval *fv = lc_html_get(flt, keys[k]);
			if (!fv || fv->type == LC_JNULL)
				continue;
			fprintf(f, " %s ", keys[k]);
			if (fv->type == LC_JSTR)
				lc_html_jtext(f, fv, 0);
			else
				lc_html_num(f, "span", fv, k == 3, "filter.%s", keys[k]);
		}
		const struct lc_jval *nn = lc_html_get(flt, "not_narrowed");
		fputs("; sections not narrowed: ", f);
		for (size_t i = 0; i < lc_html_len(nn); i++) {
			fputs(i ? ", " : "", f);
			lc_html_jtext(f, &nn->items[i], 0);
		}
		fputs(lc_html_len(nn) ? "</li>\n" : "none</li>\n", f);
	}
	const struct lc_jval *gate = lc_html_get(pg->doc, "gate");
	if (lc_html_is_obj(gate))
		fprintf(f, "<li>gate: %s (see <a href=\"#gate\">the gate</a>)</li>\n",
			lc_html_true(lc_html_get(gate, "passed")) ? "passed" : "failed");
	fputs("</ul>\n", f);
	lc_html_end_section(pg);
}

static void inputs(const struct lc_html_page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *ins = lc_html_get(pg->doc, "inputs");
	lc_html_section(pg, "inputs", "Inputs");
	lc_html_thead(f, "input|format|lines|recognized|foreign|malformed|events|state");
	for (size_t i = 0; i < lc_html_len(ins); i++) {
		const struct lc_jval *in = &ins->items[i];
		char base[32];
		snprintf(base, sizeof base, "inputs.%zu", i);
		fputs("<tr>", f);
		lc_html_cell_str(f, in, "path");
		lc_html_cell_str(f, in, "format");
		lc_html_cell_num(f, in, "lines", false, base);
		lc_html_cell_num(f, in, "recognized_lines", false, base);
		lc_html_cell_num(f, in, "foreign_lines", false, base);
		lc_html_cell_num(f, in, "malformed_lines", false, base);
		lc_html_cell_num(f, in, "events", false, base);
		const struct lc_jval *d = lc_html_get(in, "doubt"), *e = lc_html_get(in, "error");
		fprintf(f, "<td>%s%s%s</td></tr>\n", lc_html_true(lc_html_get(in, "truncated")) ? "truncated" : "",
			d && d->type == LC_JSTR ? " doubtful" : "", e && e->type == LC_JSTR ? " error" : "");
	}
	lc_html_tend(f);
	lc_html_end_section(pg);
}

static void remaining(const struct lc_html_page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *srv = lc_html_get(pg->doc, "server"), *dbg = lc_html_get(pg->doc, "debug");
	if (!lc_html_is_obj(srv) && !lc_html_is_obj(dbg))
		return;
	lc_html_section(pg, "remaining", "Remaining at the end");
	if (lc_html_is_obj(srv)) {
		const struct lc_jval *rem = lc_html_get(srv, "remaining"), *devs = lc_html_get(rem, "by_device");
		fputs("<p>Server log, last run: ", f);
		lc_html_pair(f, rem, "server.remaining");
		fputs(" (buffers / bytes)</p>\n", f);
		if (lc_html_len(devs))
			lc_html_thead(f, "device|type|buffers|bytes");
		for (size_t d = 0; d < lc_html_len(devs); d++) {
			const struct lc_jval *dev = &devs->items[d], *types = lc_html_get(dev, "by_type");
			char base[96];
			for (size_t t = 0; t < lc_html_len(types); t++) {
				snprintf(base, sizeof base, "server.remaining.by_device.%zu.by_type.%zu", d, t);
				fputs("<tr><td class=\"r\">", f);
				lc_html_num(f, "span", lc_html_get(dev, "device"), false, "server.remaining.by_device.%zu.device", d);
				fputs("</td>", f);
				lc_html_cell_str(f, &types->items[t], "type");
				lc_html_cell_num(f, &types->items[t], "buffers", false, base);
				lc_html_cell_num(f, &types->items[t], "bytes", true, base);
				fputs("</tr>\n", f);
			}
			snprintf(base, sizeof base, "server.remaining.by_device.%zu", d);
			fputs("<tr class=\"total\"><td class=\"r\">", f);
			lc_html_num(f, "span", lc_html_get(dev, "device"), false, "%s.device", base);
			fputs("</td><td>all types</td>", f);
			lc_html_cell_num(f, dev, "buffers", false, base);
			lc_html_cell_num(f, dev, "bytes", true, base);
			fputs("</tr>\n", f);
		}
		if (lc_html_len(devs))
			lc_html_tend(f);
	}
	if (lc_html_is_obj(dbg)) {
		fputs("<p>Buffer debug log: open lifetimes ", f);
		lc_html_pair(f, lc_html_get(dbg, "live"), "debug.live");
		fputs("; superseded ", f);
		lc_html_pair(f, lc_html_get(dbg, "superseded"), "debug.superseded");
		fputs("; hooked ", f);
		lc_html_pair(f, lc_html_get(dbg, "hooked"), "debug.hooked");
		fputs("; unmatched blocks ", f);
		lc_html_num(f, "span", lc_html_get(dbg, "unmatched"), false, "debug.unmatched");
		fputs("</p>\n", f);
	}
	lc_html_end_section(pg);
}

/* One leak table: server entries (debug false: owner and refs) or Buffer* lifetimes (their
 * pointer), the first --top rows of rows, at JSON path `path`. */
static void leak_table(const struct lc_html_page *pg, const struct lc_jval *rows, const char *path, bool debug)
{
	FILE *f = pg->f;
	if (debug) {
		fprintf(f, "<p>Buffer* lifetimes open at the end: %zu</p>\n", lc_html_len(rows));
		lc_html_thead(f, "device|address|type|size|pointer|allocated at|site");
	} else {
		fprintf(f, "<p>Server entries live at the end: %zu</p>\n", lc_html_len(rows));
		lc_html_thead(f, "device|address|type|size|owner pid|refs|allocated at|site");
	}
	char base[64];
	for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(rows)); i++) {
		const struct lc_jval *l = &rows->items[i];
		snprintf(base, sizeof base, "%s.%zu", path, i);
		fputs("<tr>", f);
		lc_html_cell_num(f, l, "device", false, base);
		lc_html_cell_addr(f, l, "address", base);
		lc_html_cell_str(f, l, "type");
		lc_html_cell_num(f, l, "size", true, base);
		if (debug) {
			lc_html_cell_addr(f, l, "pointer", base);
		} else {
			lc_html_cell_num(f, l, "pid", false, base);
			lc_html_cell_num(f, l, "ref_count", false, base);
		}
		lc_html_cell_where(pg, l, base);
		lc_html_cell_num(f, l, "site", false, base);
		fputs("</tr>\n", f);
	}
	lc_html_tend(f);
	lc_html_more(pg, lc_html_len(rows));
}

static void leaks(const struct lc_html_page *pg)
{
	const struct lc_jval *sl = lc_html_get(lc_html_get(pg->doc, "server"), "leaks"), *dl = lc_html_get(lc_html_get(pg->doc, "debug"), "leaks");
	if (!lc_html_len(sl) && !lc_html_len(dl))
		return;
	lc_html_section(pg, "leaks", "Leaks, largest first");
	if (lc_html_len(sl))
		leak_table(pg, sl, "server.leaks", false);
	if (lc_html_len(dl))
		leak_table(pg, dl, "debug.leaks", true);
	lc_html_end_section(pg);
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
	if (!lc_html_is_obj(report))
		return -1;
	struct lc_html_page pg = { f, report, top };
	const struct lc_jval *ver = lc_html_get(lc_html_get(report, "tool"), "version");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>tt-leakcorr report</title>\n"
	      "<style>\n",
	      f);
	fputs(style, f);
	fputs("</style>\n</head>\n<body>\n<h1>tt-leakcorr ", f);
	lc_html_jtext(f, ver, 40);
	fputs(" report</h1>\n", f);
	verdict(&pg);
	inputs(&pg);
	lc_html_timeline(f, report, top);
	remaining(&pg);
	leaks(&pg);
	lc_html_evidence(&pg);
	lc_html_reuse(&pg);
	lc_html_unknown(&pg);
	lc_html_cleanup(&pg);
	lc_html_flame(f, report, top);
	lc_html_dump(&pg);
	lc_html_diff(&pg);
	lc_html_gate(&pg);
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
