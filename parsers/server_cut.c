// SPDX-License-Identifier: MIT
// Server-log lines cut in two by the server's unlocked DUMP_REMAINING lines: find the fragment, join the rest.
#include "lc/server_log.h"

#include <string.h>

#include "lc/scan.h"
#include "server_log_internal.h"

/* 📋 as printed and in the mojibake forms of FORMATS.md 5.2 (Mac Roman with and without U+F8FF). */
static const struct {
	const char *b;
	size_t n;
} clip_forms[] = {
	{ "\xef\xa3\xbf\xc3\xbc\xc3\xac\xc3\xa3", 9 },
	{ "\xc3\xb0\xc5\xb8\xe2\x80\x9c\xe2\x80\xb9", 10 },
	{ "\xc3\xbc\xc3\xac\xc3\xa3", 6 },
	{ "\xf0\x9f\x93\x8b", 4 },
};

/* Where the glyph before a fragment starts: a known 📋 form, else a short run of non-ASCII bytes. */
static const char *clip_start(const char *lo, const char *text)
{
	if (text == lo || text[-1] != ' ')
		return text;
	const char *g = text - 1;
	for (size_t i = 0; i < sizeof clip_forms / sizeof clip_forms[0]; i++)
		if ((size_t)(g - lo) >= clip_forms[i].n && memcmp(g - clip_forms[i].n, clip_forms[i].b, clip_forms[i].n) == 0)
			return g - clip_forms[i].n;
	const char *q = g;
	while (q > lo && (unsigned char)q[-1] >= 0x80 && g - q < 16)
		q--;
	return q < g ? q : text;
}

/* Length of a `grep -n` prefix ("123:") at the start of s, 0 when there is none. */
static size_t grep_prefix(struct lc_span s)
{
	size_t i = 0;
	while (i < s.n && lc_scan_digit(s.p[i]))
		i++;
	return i > 0 && i < s.n && s.p[i] == ':' ? i + 1 : 0;
}

bool lc_sparser_cut(struct lc_sparser *sp, struct lc_span line, struct lc_scut *cut)
{
	static const char anchor[] = "DUMP_REMAINING";
	const size_t an = sizeof anchor - 1;
	cut->nfrag = 0;
	if (!lc_find(line, anchor, an))
		return false;
	if (memchr(line.p, 0x1b, line.n))
		line = lc_sparser_strip_ansi(sp, line);
	lc_buf_reset(&sp->rest);
	const char *cur = line.p, *e = line.p + line.n;
	const char *from = cur; /* where the anchor search goes on */
	while (cut->nfrag < LC_SPARSER_MAX_FRAGMENTS) {
		const char *hit = lc_find((struct lc_span){ from, (size_t)(e - from) }, anchor, an);
		if (!hit)
			break;
		struct lc_scan c = { hit + an, e };
		const char *fs, *fe;
		enum lc_sev_kind kind;
		if (hit - cur >= 9 && memcmp(hit - 9, "Received ", 9) == 0 && LC_SCAN_LIT(&c, " request")) {
			for (int i = 0; i < 3 && c.p < e && *c.p == '.'; i++)
				c.p++;
			kind = LC_SEV_DUMP_RECEIVED;
			fs = hit - 9;
		} else if (LC_SCAN_LIT(&c, " complete.")) {
			kind = LC_SEV_DUMP_COMPLETE;
			fs = hit;
		} else {
			from = hit + an;
			continue;
		}
		fe = c.p;
		fs = clip_start(cur, fs);
		lc_buf_add(&sp->rest, cur, (size_t)(fs - cur));
		cut->frag[cut->nfrag++] = kind;
		cur = from = fe;
	}
	if (!cut->nfrag)
		return false;
	lc_buf_add(&sp->rest, cur, (size_t)(e - cur));
	struct lc_span r = { sp->rest.p ? sp->rest.p : "", sp->rest.n };
	while (r.n && r.p[r.n - 1] == '\r')
		r.n--;
	cut->rest = r;
	cut->grep_n = grep_prefix(r) > 0;
	/* blank besides the fragments (indentation, a grep -n prefix): a fragment line of its own */
	for (size_t i = grep_prefix(r); i < r.n; i++)
		if (r.p[i] != ' ' && r.p[i] != '\t')
			return true;
	return false;
}

/* What a line explains on its own: 2 a state line of ours, 1 a line of ours that changes nothing, 0 neither. */
static int line_worth(struct lc_sparser *sp, struct lc_span line, struct lc_sevent *ev)
{
	const char *reason;
	if (lc_sparser_line(sp, line, ev, &reason) != LC_LINE_RECOGNIZED)
		return 0;
	return ev->kind == LC_SEV_NONE ? 1 : 2;
}

bool lc_sparser_rejoin(struct lc_sparser *sp, const struct lc_scut *cut, struct lc_span next, struct lc_sevent *ev)
{
	if (cut->grep_n) {
		size_t k = grep_prefix(next);
		next.p += k;
		next.n -= k;
	}
	int wr = line_worth(sp, cut->rest, ev);
	int wn = line_worth(sp, next, ev);
	if (wn == 2)
		return false;
	lc_buf_reset(&sp->join);
	lc_buf_add(&sp->join, cut->rest.p, cut->rest.n);
	lc_buf_add(&sp->join, next.p, next.n);
	int wj = line_worth(sp, (struct lc_span){ sp->join.p ? sp->join.p : "", sp->join.n }, ev);
	if (wj == 0)
		return false;
	return wn == 0 ? wj >= wr : wj > wr + wn;
}

