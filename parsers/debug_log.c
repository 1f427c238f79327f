// SPDX-License-Identifier: MIT
// Buffer debug log parser: a small state machine over separator, title, fields, frames, blank line.
#include "lc/debug_log.h"

#include <stdlib.h>
#include <string.h>

#include "lc/scan.h"

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

static bool blank(struct lc_span s)
{
	struct lc_scan c = lc_scan_span(s);
	return lc_scan_blank_end(&c);
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
	struct lc_scan c = lc_scan_span(s);
	if (LC_SCAN_STARTS(&c, "BUFFER ALLOCATED"))
		return LC_DBLOCK_ALLOCATED;
	if (LC_SCAN_STARTS(&c, "BUFFER DEALLOCATED"))
		return LC_DBLOCK_DEALLOCATED;
	if (LC_SCAN_STARTS(&c, "BUFFER DESTRUCTOR"))
		return LC_DBLOCK_DESTRUCTOR;
	return -1;
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

static enum lc_line_class field(struct lc_dparser *dp, struct lc_span s, const char **reason)
{
	struct lc_scan c = lc_scan_span(s);
	uint64_t v, dec;
	struct lc_span name;
	if (LC_SCAN_LIT(&c, "Time: ")) {
		/* kept for the timeline's wall clock when it has the printed form %02d:%02d:%02d */
		const char *p = c.p;
		bool ok = c.e - p >= 8;
		for (int i = 0; ok && i < 8; i++)
			ok = i % 3 == 2 ? p[i] == ':' : p[i] >= '0' && p[i] <= '9';
		if (ok) {
			c.p += 8;
			ok = lc_scan_blank_end(&c);
		}
		if (ok) {
			memcpy(dp->b.time, p, 8);
			dp->b.time[8] = '\0';
		}
		return LC_LINE_RECOGNIZED;
	}
	if (LC_SCAN_LIT(&c, "Device: ")) {
		int32_t device;
		if (lc_scan_i32(&c, &device) <= 0 || !lc_scan_blank_end(&c))
			return lc_scan_reject(reason, "debug block: bad Device");
		dp->b.device = device;
		return LC_LINE_RECOGNIZED;
	}
	if (LC_SCAN_LIT(&c, "Address: 0x")) {
		if (lc_scan_hex(&c, &v) <= 0 || !LC_SCAN_LIT(&c, " (") || c.p == c.e)
			return lc_scan_reject(reason, "debug block: bad Address");
		int rc = lc_scan_u64(&c, &dec);
		dp->b.address = v; /* the hex form is what the server log shows from V4 on */
		if (rc <= 0 || !LC_SCAN_LIT(&c, ")") || !lc_scan_blank_end(&c))
			return lc_scan_reject(reason, "debug block: bad Address");
		if (dec != v)
			return lc_scan_reject(reason, "debug block: bad Address (hex and decimal differ)");
		return LC_LINE_RECOGNIZED;
	}
	if (LC_SCAN_LIT(&c, "Size: ")) {
		if (lc_scan_u64(&c, &v) <= 0 || !LC_SCAN_LIT(&c, " bytes"))
			return lc_scan_reject(reason, "debug block: bad Size");
		dp->b.size = v;
		return LC_LINE_RECOGNIZED;
	}
	if (LC_SCAN_LIT(&c, "Type: ")) {
		if (!lc_scan_name(&c, &name) || !lc_scan_blank_end(&c))
			return lc_scan_reject(reason, "debug block: bad Type");
		dp->type_off = dp->text[dp->cur].n;
		dp->type_len = name.n;
		lc_buf_add(&dp->text[dp->cur], name.p, name.n);
		return LC_LINE_RECOGNIZED;
	}
	if (LC_SCAN_LIT(&c, "Buffer*: 0x")) {
		if (lc_scan_hex(&c, &v) <= 0 || !lc_scan_blank_end(&c))
			return lc_scan_reject(reason, "debug block: bad Buffer*");
		dp->b.pointer = v;
		dp->have_pointer = true;
		return LC_LINE_RECOGNIZED;
	}
	bool owns = LC_SCAN_LIT(&c, "Owns Data: ");
	if (owns || LC_SCAN_LIT(&c, "Hooked: ")) {
		struct lc_scan n = c;
		bool yes = LC_SCAN_LIT(&c, "yes") && lc_scan_blank_end(&c);
		bool no = LC_SCAN_LIT(&n, "no") && lc_scan_blank_end(&n);
		if (!yes && !no)
			return lc_scan_reject(reason, owns ? "debug block: bad Owns Data" : "debug block: bad Hooked");
		if (owns)
			dp->b.owns = yes;
		else
			dp->b.hooked = yes;
		return LC_LINE_RECOGNIZED;
	}
	return lc_scan_reject(reason, "debug block: unknown line inside a block");
}

enum lc_line_class lc_dparser_line(struct lc_dparser *dp, struct lc_span s, uint64_t lineno, struct lc_dblock *out,
				   bool *done, const char **reason)
{
	*done = false;
	*reason = NULL;
	int kind;
	struct lc_scan c = lc_scan_span(s);

	if (separator(s)) {
		enum state was = dp->st;
		if (was == FIELDS || was == FRAMES)
			*done = emit(dp, out);
		dp->st = EXPECT_TITLE;
		if (was == EXPECT_TITLE)
			return lc_scan_reject(reason, "debug block: separator where a block title was expected");
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
			return lc_scan_reject(reason, "binary junk between debug blocks");
		return LC_LINE_FOREIGN;
	case EXPECT_TITLE:
		if (blank(s))
			return LC_LINE_RECOGNIZED;
		dp->st = DROPPED;
		return lc_scan_reject(reason, "debug block: no block title after the separator");
	case DROPPED:
		if (blank(s))
			dp->st = OUTSIDE;
		return LC_LINE_RECOGNIZED;
	case FIELDS:
		if (blank(s)) {
			dp->st = OUTSIDE;
			*done = emit(dp, out);
			if (!*done)
				return lc_scan_reject(reason, "debug block: no Buffer* line");
			return LC_LINE_RECOGNIZED;
		}
		if (LC_SCAN_STARTS(&c, "Call Stack:")) {
			if (!dp->have_pointer) {
				dp->st = DROPPED;
				return lc_scan_reject(reason, "debug block: no Buffer* line");
			}
			dp->st = FRAMES;
			return LC_LINE_RECOGNIZED;
		}
		return field(dp, s, reason);
	case FRAMES:
		if (blank(s) && !LC_SCAN_STARTS(&c, "    ")) {
			dp->st = OUTSIDE;
			*done = emit(dp, out);
			return LC_LINE_RECOGNIZED;
		}
		if (LC_SCAN_STARTS(&c, "    ")) {
			if (dp->b.nframes >= LC_DEBUG_MAX_FRAMES)
				return lc_scan_reject(reason, "debug block: more than 8 frames");
			if (s.n - 4 > LC_DEBUG_MAX_FRAME_LEN)
				return lc_scan_reject(reason, "debug block: frame longer than 4096 bytes");
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
			return lc_scan_reject(reason, "binary junk between debug blocks");
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
