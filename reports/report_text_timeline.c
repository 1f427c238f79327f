// SPDX-License-Identifier: MIT
// The text report's timeline: one sparkline of live bytes per device, with its peak.
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lc/report_text.h"

#define COLUMNS 48

bool lc_text_utf8(void)
{
	/* POSIX precedence: LC_ALL, then LC_CTYPE, then LANG; the first one set decides. */
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (!v || !*v)
			continue;
		char low[64];
		size_t n = 0;
		for (; v[n] && n < sizeof low - 1; n++)
			low[n] = (char)tolower((unsigned char)v[n]);
		low[n] = '\0';
		return strstr(low, "utf-8") || strstr(low, "utf8");
	}
	return false;
}

/*
 * The sparkline of one series' bucket maxima into f: column c covers buckets [c*g, (c+1)*g)
 * (g = ceil(nb / COLUMNS)) and shows their largest maximum, scaled against the series' peak
 * and rounded up: 8 Unicode blocks (U+2581..U+2588), or the 9 ASCII steps of " .:-=+*#%@"
 * past the blank, which is 0.
 */
static void spark(FILE *f, const struct lc_tl_series *s, uint32_t nb, uint32_t g, bool utf8)
{
	static const char *const blocks[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
					      "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ascii[] = " .:-=+*#%@";
	uint32_t cols = (nb + g - 1) / g;
	uint64_t peak = s->peak[LC_TL_BYTES];
	unsigned levels = utf8 ? 8 : 9;
	for (uint32_t c = 0; c < cols; c++) {
		uint64_t lo = (uint64_t)c * g, hi = lo + g < nb ? lo + g : nb, v = 0;
		for (uint64_t k = lo; k < hi; k++)
			if (s->b[k].max[LC_TL_BYTES] > v)
				v = s->b[k].max[LC_TL_BYTES];
		/* the level is v / peak of the steps, rounded up: any live byte shows */
		unsigned lv = peak ? (unsigned)(((__uint128_t)v * levels + peak - 1) / peak) : 0;
		if (utf8)
			fputs(blocks[lv], f);
		else
			fputc(ascii[lv], f);
	}
	for (uint32_t c = cols; c < COLUMNS; c++)
		fputc(' ', f);
}

/* The column of each kept mark: R restart, C cleanup, D dump (the first wins a column in that
 * order); nothing when the log has none. */
static void marks_row(FILE *f, const struct lc_timeline_model *tm, uint32_t nb, uint32_t g)
{
	char row[COLUMNS + 1];
	memset(row, ' ', sizeof row);
	row[COLUMNS] = '\0';
	const struct lc_tl_marks *kinds[] = { &tm->dumps, &tm->cleanups, &tm->restarts };
	const char sym[] = "DCR";
	bool any = false;
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < kinds[k]->n; i++) {
			uint64_t col = (kinds[k]->x[i] - 1) / tm->tl.w / g;
			if (col < (nb + g - 1) / g) {
				row[col] = sym[k];
				any = true;
			}
		}
	if (!any)
		return;
	size_t n = COLUMNS;
	while (n && row[n - 1] == ' ')
		n--;
	row[n] = '\0';
	fprintf(f, "  %-10s %s  (R restart, C cleanup, D dump)\n", "marks", row);
}

void lc_report_text_timeline(const struct lc_report *r, FILE *f)
{
	const struct lc_timeline_model *tm = r->server ? r->server->timeline : NULL;
	uint32_t nb = tm ? lc_timeline_buckets(&tm->tl) : 0;
	if (!nb)
		return;
	bool utf8 = lc_text_utf8();
	uint32_t g = (nb + COLUMNS - 1) / COLUMNS;
	fprintf(f, "\nLive bytes over the log (%" PRIu64 " lines, %" PRIu64 " per column; peak: the most live at once)\n",
		tm->tl.end, tm->tl.w * g);
	marks_row(f, tm, nb, g);
	for (size_t i = 0; i < tm->nseries; i++) {
		const struct lc_tl_series_info *si = &tm->series[i];
		if (si->type)
			continue;
		const struct lc_tl_series *s = tm->tl.s[si->id];
		char name[24];
		if (si->has_device)
			snprintf(name, sizeof name, "device %d", (int)si->device);
		else
			snprintf(name, sizeof name, "all");
		fprintf(f, "  %-10s ", name);
		spark(f, s, nb, g, utf8);
		uint32_t input = 0;
		uint64_t line = 0;
		if (!s->peak[LC_TL_BYTES])
			fputs("  nothing live\n", f);
		else if (lc_tl_where(tm, s->peak_x[LC_TL_BYTES], &input, &line))
			fprintf(f, "  peak %s at %s:%" PRIu64 "\n", HB(s->peak[LC_TL_BYTES]), input_name(r, input), line);
		else
			fprintf(f, "  peak %s at line %" PRIu64 "\n", HB(s->peak[LC_TL_BYTES]), s->peak_x[LC_TL_BYTES]);
	}
}
