// SPDX-License-Identifier: MIT
// The HTML report's tables past the leaks: evidence, reuse, unknown frees, cleanup, the dump lifecycle, diff, gate.
#include <stdlib.h>
#include <string.h>

#include "lc/jsonread.h"
#include "lc/report_html.h"
#include "report_html_page.h"

/* The groups and classes of one evidence object (the remaining entries', or the dump's). */
static void evidence_part(const struct lc_html_page *pg, const struct lc_jval *ev, const char *base, const char *what)
{
	FILE *f = pg->f;
	const struct lc_jval *groups = lc_html_get(ev, "groups"), *classes = lc_html_get(ev, "classes");
	fputs("<details open>\n<summary>", f);
	lc_html_cstr(f, what);
	fputs(": ", f);
	lc_html_num(f, "span", lc_html_get(ev, "buffers"), false, "%s.buffers", base);
	fputs(" buffers, ", f);
	lc_html_num(f, "span", lc_html_get(ev, "bytes"), true, "%s.bytes", base);
	fprintf(f, ", %zu groups</summary>\n", lc_html_len(groups));
	char b[96];
	if (lc_html_len(groups)) {
		lc_html_thead(f, "type|size|buffers|bytes|lines|shape");
		for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(groups)); i++) {
			const struct lc_jval *g = &groups->items[i];
			snprintf(b, sizeof b, "%s.groups.%zu", base, i);
			fputs("<tr>", f);
			lc_html_cell_str(f, g, "type");
			lc_html_cell_num(f, g, "size", true, b);
			lc_html_cell_num(f, g, "buffers", false, b);
			lc_html_cell_num(f, g, "bytes", true, b);
			fputs("<td>", f);
			lc_html_num(f, "span", lc_html_get(g, "first_line"), false, "%s.first_line", b);
			fputs("\xe2\x80\x93", f);
			lc_html_num(f, "span", lc_html_get(g, "last_line"), false, "%s.last_line", b);
			fputs("</td>", f);
			lc_html_cell_str(f, g, "shape");
			fputs("</tr>\n", f);
		}
		lc_html_tend(f);
		lc_html_more(pg, lc_html_len(groups));
	}
	for (size_t c = 0; c < lc_html_len(classes); c++) {
		const struct lc_jval *cl = &classes->items[c], *rows = lc_html_get(cl, "rows");
		if (!lc_html_len(rows))
			continue;
		fputs("<h3>by ", f);
		lc_html_jtext(f, lc_html_get(cl, "by"), 0);
		fputs("</h3>\n", f);
		lc_html_thead(f, "class|buffers|bytes|share");
		for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(rows)); i++) {
			const struct lc_jval *row = &rows->items[i], *share = lc_html_get(row, "share");
			snprintf(b, sizeof b, "%s.classes.%zu.rows.%zu", base, c, i);
			fputs("<tr>", f);
			lc_html_cell_str(f, row, "class");
			lc_html_cell_num(f, row, "buffers", false, b);
			lc_html_cell_num(f, row, "bytes", true, b);
			if (share && share->type == LC_JNUM)
				fprintf(f, "<td class=\"r\">%.1f%%</td>", share->d * 100.0);
			else
				fputs("<td></td>", f);
			fputs("</tr>\n", f);
		}
		lc_html_tend(f);
		lc_html_more(pg, lc_html_len(rows));
	}
	fputs("</details>\n", f);
}

void lc_html_evidence(const struct lc_html_page *pg)
{
	const struct lc_jval *ev = lc_html_get(pg->doc, "evidence");
	if (!lc_html_is_obj(ev))
		return;
	lc_html_section(pg, "evidence", "Evidence: what the remaining entries are");
	evidence_part(pg, ev, "evidence", "remaining entries");
	if (lc_html_is_obj(lc_html_get(ev, "dump")))
		evidence_part(pg, lc_html_get(ev, "dump"), "evidence.dump", "entries live at the dump");
	lc_html_end_section(pg);
}

void lc_html_reuse(const struct lc_html_page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *rows = lc_html_get(lc_html_get(pg->doc, "server"), "reuse");
	if (!lc_html_len(rows))
		return;
	lc_html_section(pg, "reuse", "Address reuse");
	lc_html_thead(f, "device|address|type|allocs|frees|unknown frees|net|live refs");
	char b[64];
	for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(rows)); i++) {
		const struct lc_jval *r = &rows->items[i];
		snprintf(b, sizeof b, "server.reuse.%zu", i);
		fputs("<tr>", f);
		lc_html_cell_num(f, r, "device", false, b);
		lc_html_cell_addr(f, r, "address", b);
		lc_html_cell_str(f, r, "type");
		lc_html_cell_num(f, r, "allocs", false, b);
		lc_html_cell_num(f, r, "frees", false, b);
		lc_html_cell_num(f, r, "unknown_frees", false, b);
		lc_html_cell_num(f, r, "net", false, b);
		lc_html_cell_num(f, r, "live_ref_count", false, b);
		fputs("</tr>\n", f);
	}
	lc_html_tend(f);
	lc_html_more(pg, lc_html_len(rows));
	lc_html_end_section(pg);
}

void lc_html_unknown(const struct lc_html_page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *u = lc_html_get(lc_html_get(pg->doc, "server"), "unknown_frees");
	if (!lc_html_is_obj(u))
		return;
	lc_html_section(pg, "unknown", "Unknown frees");
	fputs("<p>", f);
	lc_html_num(f, "span", lc_html_get(u, "count"), false, "server.unknown_frees.count");
	fputs(" frees of keys that were not live</p>\n", f);
	const struct lc_jval *bc = lc_html_get(u, "by_cause");
	lc_html_thead(f, "cause|count");
	for (size_t i = 0; lc_html_is_obj(bc) && i < bc->count; i++) {
		fputs("<tr><td>", f);
		lc_html_cstr(f, bc->keys[i]);
		fputs("</td><td class=\"r\">", f);
		lc_html_num(f, "span", &bc->items[i], false, "server.unknown_frees.by_cause.%s", bc->keys[i]);
		fputs("</td></tr>\n", f);
	}
	lc_html_tend(f);
	const struct lc_jval *bd = lc_html_get(u, "by_device");
	if (lc_html_len(bd)) {
		lc_html_thead(f, "device|count");
		char b[64];
		for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(bd)); i++) {
			snprintf(b, sizeof b, "server.unknown_frees.by_device.%zu", i);
			fputs("<tr>", f);
			lc_html_cell_num(f, &bd->items[i], "device", false, b);
			lc_html_cell_num(f, &bd->items[i], "count", false, b);
			fputs("</tr>\n", f);
		}
		lc_html_tend(f);
		lc_html_more(pg, lc_html_len(bd));
	}
	const struct lc_jval *bp = lc_html_get(u, "by_position");
	for (size_t k = 0; lc_html_is_obj(bp) && k < bp->count; k++) {
		const struct lc_jval *pos = &bp->items[k], *first = lc_html_get(pos, "first");
		char b[128];
		fputs("<details>\n<summary>", f);
		lc_html_cstr(f, bp->keys[k]);
		fputs(": ", f);
		lc_html_num(f, "span", lc_html_get(pos, "count"), false, "server.unknown_frees.by_position.%s.count", bp->keys[k]);
		fputs("</summary>\n", f);
		if (lc_html_len(first)) {
			lc_html_thead(f, "device|address|at");
			for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(first)); i++) {
				snprintf(b, sizeof b, "server.unknown_frees.by_position.%s.first.%zu", bp->keys[k], i);
				fputs("<tr>", f);
				lc_html_cell_num(f, &first->items[i], "device", false, b);
				lc_html_cell_addr(f, &first->items[i], "address", b);
				lc_html_cell_where(pg, &first->items[i], b);
				fputs("</tr>\n", f);
			}
			lc_html_tend(f);
			lc_html_more(pg, lc_html_len(first));
		}
		fputs("</details>\n", f);
	}
	lc_html_end_section(pg);
}

void lc_html_cleanup(const struct lc_html_page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *rows = lc_html_get(lc_html_get(pg->doc, "server"), "cleanup");
	if (!lc_html_len(rows))
		return;
	lc_html_section(pg, "cleanup", "Dead-process cleanup");
	lc_html_thead(f, "pid|buffers|bytes|at|agrees with the server");
	char b[64];
	for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(rows)); i++) {
		const struct lc_jval *r = &rows->items[i];
		snprintf(b, sizeof b, "server.cleanup.%zu", i);
		fputs("<tr>", f);
		lc_html_cell_num(f, r, "pid", false, b);
		lc_html_cell_num(f, r, "buffers", false, b);
		lc_html_cell_num(f, r, "bytes", true, b);
		lc_html_cell_where(pg, r, b);
		fprintf(f, "<td>%s</td></tr>\n", lc_html_true(lc_html_get(r, "agrees")) ? "yes" : "no");
	}
	lc_html_tend(f);
	lc_html_more(pg, lc_html_len(rows));
	lc_html_end_section(pg);
}

void lc_html_dump(const struct lc_html_page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *d = lc_html_get(lc_html_get(pg->doc, "server"), "dump_lifecycle");
	if (!lc_html_is_obj(d))
		return;
	static const char *const parts[] = { "at_dump", "freed_later", "removed_by_cleanup", "still_live" };
	lc_html_section(pg, "dump", "Dump lifecycle: what became of the entries live at the dump");
	fputs("<p>Dump ", f);
	lc_html_num(f, "span", lc_html_get(d, "dump_index"), false, "server.dump_lifecycle.dump_index");
	fputs(" at line ", f);
	lc_html_num(f, "span", lc_html_get(d, "line"), false, "server.dump_lifecycle.line");
	fputs("</p>\n", f);
	lc_html_thead(f, "at the dump|freed later|removed by cleanup|still live");
	fputs("<tr>", f);
	char b[96];
	for (size_t k = 0; k < 4; k++) {
		snprintf(b, sizeof b, "server.dump_lifecycle.%s", parts[k]);
		fputs("<td class=\"r\">", f);
		lc_html_pair(f, lc_html_get(d, parts[k]), b);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
	lc_html_tend(f);
	const struct lc_jval *rows = lc_html_get(d, "by_device");
	if (lc_html_len(rows)) {
		lc_html_thead(f, "device|type|at the dump|freed later|removed by cleanup|still live");
		for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(rows)); i++) {
			const struct lc_jval *r = &rows->items[i];
			snprintf(b, sizeof b, "server.dump_lifecycle.by_device.%zu", i);
			fputs("<tr>", f);
			lc_html_cell_num(f, r, "device", false, b);
			lc_html_cell_str(f, r, "type");
			for (size_t k = 0; k < 4; k++) {
				char pb[128];
				snprintf(pb, sizeof pb, "%s.%s", b, parts[k]);
				fputs("<td class=\"r\">", f);
				lc_html_pair(f, lc_html_get(r, parts[k]), pb);
				fputs("</td>", f);
			}
			fputs("</tr>\n", f);
		}
		lc_html_tend(f);
		lc_html_more(pg, lc_html_len(rows));
	}
	lc_html_end_section(pg);
}

/* A site's frames, innermost first, one a line. */
static void frames_cell(FILE *f, const struct lc_jval *frames)
{
	fputs("<td class=\"frames\">", f);
	for (size_t k = 0; k < lc_html_len(frames); k++) {
		if (k)
			fputs("<br>", f);
		lc_html_jtext(f, &frames->items[k], 200);
	}
	fputs("</td>", f);
}

void lc_html_diff(const struct lc_html_page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *d = lc_html_get(pg->doc, "diff");
	if (!lc_html_is_obj(d))
		return;
	static const char *const keys[] = { "remaining_buffers", "remaining_bytes", "unknown_frees", "live_buffers",
					    "live_bytes" };
	lc_html_section(pg, "diff", "Diff: before and after");
	lc_html_thead(f, "side|remaining buffers|remaining bytes|unknown frees|live buffers|live bytes");
	for (int s = 0; s < 2; s++) {
		const char *side = s ? "after" : "before";
		fprintf(f, "<tr><td>%s</td>", side);
		for (size_t k = 0; k < 5; k++) {
			fputs("<td class=\"r\">", f);
			lc_html_num(f, "span", lc_html_get(lc_html_get(d, side), keys[k]), strstr(keys[k], "bytes") != NULL, "diff.%s.%s", side,
				    keys[k]);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	lc_html_tend(f);
	char b[64];
	const struct lc_jval *rows = lc_html_get(d, "by_device");
	if (lc_html_len(rows)) {
		lc_html_thead(f, "device|type|buffers before|buffers after|bytes before|bytes after");
		for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(rows)); i++) {
			const struct lc_jval *r = &rows->items[i];
			snprintf(b, sizeof b, "diff.by_device.%zu", i);
			fputs("<tr>", f);
			lc_html_cell_num(f, r, "device", false, b);
			lc_html_cell_str(f, r, "type");
			lc_html_cell_num(f, r, "before_buffers", false, b);
			lc_html_cell_num(f, r, "after_buffers", false, b);
			lc_html_cell_num(f, r, "before_bytes", true, b);
			lc_html_cell_num(f, r, "after_bytes", true, b);
			fputs("</tr>\n", f);
		}
		lc_html_tend(f);
		lc_html_more(pg, lc_html_len(rows));
	}
	rows = lc_html_get(d, "sites");
	if (lc_html_len(rows)) {
		lc_html_thead(f, "status|buffers before|buffers after|bytes before|bytes after|frames");
		for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(rows)); i++) {
			const struct lc_jval *r = &rows->items[i];
			snprintf(b, sizeof b, "diff.sites.%zu", i);
			fputs("<tr>", f);
			lc_html_cell_str(f, r, "status");
			lc_html_cell_num(f, r, "before_buffers", false, b);
			lc_html_cell_num(f, r, "after_buffers", false, b);
			lc_html_cell_num(f, r, "before_bytes", true, b);
			lc_html_cell_num(f, r, "after_bytes", true, b);
			frames_cell(f, lc_html_get(r, "frames"));
			fputs("</tr>\n", f);
		}
		lc_html_tend(f);
		lc_html_more(pg, lc_html_len(rows));
	}
	lc_html_end_section(pg);
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

void lc_html_gate(const struct lc_html_page *pg)
{
	FILE *f = pg->f;
	const struct lc_jval *g = lc_html_get(pg->doc, "gate");
	if (!lc_html_is_obj(g))
		return;
	lc_html_section(pg, "gate", "Gate");
	fprintf(f, "<p class=\"gate %s\">The gate %s.", lc_html_true(lc_html_get(g, "passed")) ? "passed" : "failed",
		lc_html_true(lc_html_get(g, "passed")) ? "passed" : "failed");
	const struct lc_jval *bl = lc_html_get(lc_html_get(pg->doc, "options"), "baseline");
	if (bl && bl->type == LC_JSTR) {
		fputs(" Values count only growth over the baseline ", f);
		lc_html_jtext(f, bl, 0);
		fputs(".", f);
	}
	fputs("</p>\n", f);
	const struct lc_jval *rules = lc_html_get(g, "rules");
	if (lc_html_len(rules)) {
		lc_html_thead(f, "rule|value|limit|result");
		for (size_t i = 0; i < lc_html_len(rules); i++) {
			const struct lc_jval *r = &rules->items[i], *ap = lc_html_get(r, "applies");
			fputs("<tr>", f);
			lc_html_cell_str(f, r, "rule");
			gate_value(f, lc_html_get(r, "value"), i, "value");
			gate_value(f, lc_html_get(r, "limit"), i, "limit");
			fprintf(f, "<td>%s</td></tr>\n",
				ap && ap->type == LC_JBOOL && !ap->b ? "does not apply" :
				lc_html_true(lc_html_get(r, "passed"))		     ? "passed" :
									       "failed");
		}
		lc_html_tend(f);
	}
	const struct lc_jval *sup = lc_html_get(g, "suppressions");
	if (lc_html_len(sup)) {
		lc_html_thead(f, "suppression|buffers|bytes");
		char b[64];
		for (size_t i = 0; i < lc_html_shown(pg, lc_html_len(sup)); i++) {
			snprintf(b, sizeof b, "gate.suppressions.%zu", i);
			fputs("<tr>", f);
			lc_html_cell_str(f, &sup->items[i], "rule");
			lc_html_cell_num(f, &sup->items[i], "buffers", false, b);
			lc_html_cell_num(f, &sup->items[i], "bytes", true, b);
			fputs("</tr>\n", f);
		}
		lc_html_tend(f);
		lc_html_more(pg, lc_html_len(sup));
	}
	lc_html_end_section(pg);
}

