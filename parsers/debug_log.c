// SPDX-License-Identifier: MIT
// Buffer debug log parser: a small state machine over separator, title, fields, frames, blank line.
#include "lc/debug_log.h"

#include <stdlib.h>
#include <string.h>

enum state {
	OUTSIDE,      /* between blocks */
	EXPECT_TITLE, /* right after a separator */
	FIELDS,
	FRAMES,
	DROPPED,      /* a broken block: skip to its end */
};

struct lc_dparser {
	enum state st;
	struct lc_dblock b;
	bool have_pointer;
	/* Type names and frames, alternating per block so a handed-out block stays valid
	 * while the line that ended it starts the next one. */
	struct lc_buf text[2];
	int cur;
	size_t type_off, type_len;
	size_t frame_off[LC_DEBUG_MAX_FRAMES], frame_len[LC_DEBUG_MAX_FRAMES];
};

struct lc_dparser *lc_dparser_create(void)
{
	return lc_xcalloc(1, sizeof(struct lc_dparser));
}

void lc_dparser_destroy(struct lc_dparser *dp)
{
	if (!dp)
		return;
	lc_buf_release(&dp->text[0]);
	lc_buf_release(&dp->text[1]);
	free(dp);
}

static bool prefix(struct lc_span s, const char *lit, size_t n)
{
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}
#define PREFIX(s, lit) prefix((s), (lit), sizeof(lit) - 1)

static struct lc_span rest(struct lc_span s, size_t n)
{
	return (struct lc_span){ s.p + n, s.n - n };
}

static bool blank(struct lc_span s)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] != ' ' && s.p[i] != '\t')
			return false;
	return true;
}

/* Returns the length of the valid UTF-8 sequence at p, 0 when invalid. */
static size_t utf8_len(const unsigned char *p, const unsigned char *e)
{
	unsigned c = p[0];
	size_t len = c < 0x80 ? 1 : (c >= 0xc2 && c <= 0xdf) ? 2 : (c >= 0xe0 && c <= 0xef) ? 3 : (c >= 0xf0 && c <= 0xf4) ? 4 : 0;
	if (!len || (size_t)(e - p) < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* A separator: 59 x U+2550 or its mojibake, i.e. a long line of non-ASCII UTF-8 only. */
static bool separator(struct lc_span s)
{
	while (s.n && s.p[s.n - 1] == ' ')
		s.n--;
	if (s.n < 20)
		return false;
	const unsigned char *p = (const unsigned char *)s.p, *e = p + s.n;
	while (p < e) {
		if (*p < 0x80)
			return false;
		size_t l = utf8_len(p, e);
		if (!l)
			return false;
		p += l;
	}
	return true;
}

/* Binary junk: control bytes other than tab, or invalid UTF-8. */
static bool junk(struct lc_span s)
{
	const unsigned char *p = (const unsigned char *)s.p, *e = p + s.n;
	while (p < e) {
		if (*p < 0x20 && *p != '\t')
			return true;
		if (*p == 0x7f)
			return true;
		size_t l = utf8_len(p, e);
		if (!l)
			return true;
		p += l;
	}
	return false;
}

static int title_kind(struct lc_span s)
{
	if (PREFIX(s, "BUFFER ALLOCATED"))
		return LC_DBLOCK_ALLOCATED;
	if (PREFIX(s, "BUFFER DEALLOCATED"))
		return LC_DBLOCK_DEALLOCATED;
	if (PREFIX(s, "BUFFER DESTRUCTOR"))
		return LC_DBLOCK_DESTRUCTOR;
	return -1;
}

/* Number scanners over a span: return the rest after the number, or NULL. */
static const char *u64_at(const char *p, const char *e, uint64_t *out, bool hex)
{
	uint64_t v = 0;
	const char *s = p;
	for (; p < e; p++) {
		unsigned d;
		char c = *p;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (hex && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (hex && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (hex ? (v >> 60) != 0 : v > (UINT64_MAX - d) / 10)
			return NULL;
		v = hex ? (v << 4) | d : v * 10 + d;
	}
	if (p == s)
		return NULL;
	*out = v;
	return p;
}

static bool only_spaces(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p == e;
}

static void begin_block(struct lc_dparser *dp, int kind, uint64_t lineno)
{
	memset(&dp->b, 0, sizeof dp->b);
	dp->b.kind = (enum lc_dblock_kind)kind;
	dp->b.line = lineno;
	dp->have_pointer = false;
	dp->cur ^= 1;
	lc_buf_reset(&dp->text[dp->cur]);
	dp->type_len = 0;
	dp->st = FIELDS;
}

/* Hands the open block out when it is complete enough. */
static bool emit(struct lc_dparser *dp, struct lc_dblock *out)
{
	if (!dp->have_pointer)
		return false;
	const struct lc_buf *t = &dp->text[dp->cur];
	*out = dp->b;
	out->type = (struct lc_span){ t->p ? t->p + dp->type_off : "", dp->type_len };
	for (size_t i = 0; i < out->nframes; i++)
		out->frames[i] = (struct lc_span){ t->p + dp->frame_off[i], dp->frame_len[i] };
	return true;
}

#define MALFORMED(why)                    \
	do {                              \
		*reason = (why);          \
		return LC_LINE_MALFORMED; \
	} while (0)

static enum lc_line_class field(struct lc_dparser *dp, struct lc_span s, const char **reason)
{
	const char *e = s.p + s.n;
	uint64_t v, dec;
	if (PREFIX(s, "Time: "))
		return LC_LINE_RECOGNIZED;
	if (PREFIX(s, "Device: ")) {
		struct lc_span r = rest(s, 8);
		bool neg = r.n && r.p[0] == '-';
		const char *p = u64_at(r.p + neg, e, &v, false);
		if (!p || !only_spaces(p, e) || v > (neg ? 2147483648u : 2147483647u))
			MALFORMED("debug block: bad Device");
		dp->b.device = neg ? (int32_t)(-(int64_t)v) : (int32_t)v;
		return LC_LINE_RECOGNIZED;
	}
	if (PREFIX(s, "Address: 0x")) {
		const char *p = u64_at(s.p + 11, e, &v, true);
		if (!p || (size_t)(e - p) < 3 || memcmp(p, " (", 2) != 0)
			MALFORMED("debug block: bad Address");
		const char *q = u64_at(p + 2, e, &dec, false);
		dp->b.address = v; /* the hex form is what the server log shows from V4 on */
		if (!q || q >= e || *q != ')' || !only_spaces(q + 1, e))
			MALFORMED("debug block: bad Address");
		if (dec != v)
			MALFORMED("debug block: bad Address (hex and decimal differ)");
		return LC_LINE_RECOGNIZED;
	}
	if (PREFIX(s, "Size: ")) {
		const char *p = u64_at(s.p + 6, e, &v, false);
		if (!p || (size_t)(e - p) < 6 || memcmp(p, " bytes", 6) != 0)
			MALFORMED("debug block: bad Size");
		dp->b.size = v;
		return LC_LINE_RECOGNIZED;
	}
	if (PREFIX(s, "Type: ")) {
		const char *p = s.p + 6, *q = p;
		while (q < e && ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_'))
			q++;
		if (q == p || !only_spaces(q, e))
			MALFORMED("debug block: bad Type");
		dp->type_off = dp->text[dp->cur].n;
		dp->type_len = (size_t)(q - p);
		lc_buf_add(&dp->text[dp->cur], p, dp->type_len);
		return LC_LINE_RECOGNIZED;
	}
	if (PREFIX(s, "Buffer*: 0x")) {
		const char *p = u64_at(s.p + 11, e, &v, true);
		if (!p || !only_spaces(p, e))
			MALFORMED("debug block: bad Buffer*");
		dp->b.pointer = v;
		dp->have_pointer = true;
		return LC_LINE_RECOGNIZED;
	}
	if (PREFIX(s, "Owns Data: ") || PREFIX(s, "Hooked: ")) {
		bool owns = PREFIX(s, "Owns Data: ");
		struct lc_span r = rest(s, owns ? 11 : 8);
		bool yes = PREFIX(r, "yes") && only_spaces(r.p + 3, e);
		bool no = PREFIX(r, "no") && only_spaces(r.p + 2, e);
		if (!yes && !no)
			MALFORMED(owns ? "debug block: bad Owns Data" : "debug block: bad Hooked");
		if (owns)
			dp->b.owns = yes;
		else
			dp->b.hooked = yes;
		return LC_LINE_RECOGNIZED;
	}
	MALFORMED("debug block: unknown line inside a block");
}

enum lc_line_class lc_dparser_line(struct lc_dparser *dp, struct lc_span s, uint64_t lineno, struct lc_dblock *out,
				   bool *done, const char **reason)
{
	*done = false;
	*reason = NULL;
	int kind;

	if (separator(s)) {
		enum state was = dp->st;
		if (was == FIELDS || was == FRAMES)
			*done = emit(dp, out);
		dp->st = EXPECT_TITLE;
		if (was == EXPECT_TITLE)
			MALFORMED("debug block: separator where a block title was expected");
		return LC_LINE_RECOGNIZED;
	}
	if ((kind = title_kind(s)) >= 0) {
		if (dp->st == FIELDS || dp->st == FRAMES)
			*done = emit(dp, out);
		begin_block(dp, kind, lineno);
		return LC_LINE_RECOGNIZED;
	}
	switch (dp->st) {
	case OUTSIDE:
		if (blank(s))
			return LC_LINE_RECOGNIZED;
		if (junk(s))
			MALFORMED("binary junk between debug blocks");
		return LC_LINE_FOREIGN;
	case EXPECT_TITLE:
		if (blank(s))
			return LC_LINE_RECOGNIZED;
		dp->st = DROPPED;
		MALFORMED("debug block: no block title after the separator");
	case DROPPED:
		if (blank(s))
			dp->st = OUTSIDE;
		return LC_LINE_RECOGNIZED;
	case FIELDS:
		if (blank(s)) {
			dp->st = OUTSIDE;
			*done = emit(dp, out);
			if (!*done)
				MALFORMED("debug block: no Buffer* line");
			return LC_LINE_RECOGNIZED;
		}
		if (PREFIX(s, "Call Stack:")) {
			if (!dp->have_pointer) {
				dp->st = DROPPED;
				MALFORMED("debug block: no Buffer* line");
			}
			dp->st = FRAMES;
			return LC_LINE_RECOGNIZED;
		}
		return field(dp, s, reason);
	case FRAMES:
		if (blank(s) && !PREFIX(s, "    ")) {
			dp->st = OUTSIDE;
			*done = emit(dp, out);
			return LC_LINE_RECOGNIZED;
		}
		if (PREFIX(s, "    ")) {
			if (dp->b.nframes >= LC_DEBUG_MAX_FRAMES)
				MALFORMED("debug block: more than 8 frames");
			if (s.n - 4 > LC_DEBUG_MAX_FRAME_LEN)
				MALFORMED("debug block: frame longer than 4096 bytes");
			dp->frame_off[dp->b.nframes] = dp->text[dp->cur].n;
			dp->frame_len[dp->b.nframes] = s.n - 4;
			lc_buf_add(&dp->text[dp->cur], s.p + 4, s.n - 4);
			dp->b.nframes++;
			return LC_LINE_RECOGNIZED;
		}
		/* an unindented line ends the block without its blank line */
		dp->st = OUTSIDE;
		*done = emit(dp, out);
		if (junk(s))
			MALFORMED("binary junk between debug blocks");
		return LC_LINE_FOREIGN;
	}
	return LC_LINE_FOREIGN;
}

bool lc_dparser_finish(struct lc_dparser *dp, struct lc_dblock *out)
{
	bool got = (dp->st == FIELDS || dp->st == FRAMES) && emit(dp, out);
	dp->st = OUTSIDE;
	return got;
}

unsigned lc_debug_log_sniff(struct lc_span head)
{
	static const char *const anchors[] = {
		"BUFFER ALLOCATED", "BUFFER DEALLOCATED", "BUFFER DESTRUCTOR", "Buffer*: 0x", "Call Stack:",
	};
	return lc_count_anchors(head, anchors, sizeof anchors / sizeof anchors[0]);
}
