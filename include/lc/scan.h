/* SPDX-License-Identifier: MIT */
/* The parsers' scanner kit: a cursor over a line, fixed ASCII anchors, numbers and names. */
#ifndef LC_SCAN_H
#define LC_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lc/event.h"

/*
 * Everything here is static inline and forced inline: the server parser runs these for every
 * line (~1 GB/s), and inlined a constant anchor compares as a few loads folded against the
 * literal, with no call. Nothing here allocates, and nothing reads past the cursor's end.
 */
#define LC_SCAN_INLINE static inline __attribute__((always_inline))

/* A cursor over the bytes p .. e of a line (borrowed); scanners move p past what they take. */
struct lc_scan {
	const char *p, *e;
};

/* Returns the cursor over the span s. */
LC_SCAN_INLINE struct lc_scan lc_scan_span(struct lc_span s)
{
	return (struct lc_scan){ s.p, s.p + s.n };
}

/*
 * True when the n bytes at p equal the n bytes at s. With n a constant after inlining, this is
 * 8, 4, 2 and 1-byte loads the compiler folds against the literal, where memcmp would be a
 * library call for anything over 3 bytes.
 */
LC_SCAN_INLINE bool lc_scan_same(const char *p, const char *s, size_t n)
{
	uint64_t diff = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;
		memcpy(&x, p + i, 8);
		memcpy(&y, s + i, 8);
		diff |= x ^ y;
	}
	if (i + 4 <= n) {
		uint32_t x, y;
		memcpy(&x, p + i, 4);
		memcpy(&y, s + i, 4);
		diff |= x ^ y;
		i += 4;
	}
	if (i + 2 <= n) {
		uint16_t x, y;
		memcpy(&x, p + i, 2);
		memcpy(&y, s + i, 2);
		diff |= (uint16_t)(x ^ y);
		i += 2;
	}
	if (i < n)
		diff |= (unsigned char)(p[i] ^ s[i]);
	return diff == 0;
}

/* True when the cursor starts with the n bytes of s; the cursor stays where it is. */
LC_SCAN_INLINE bool lc_scan_starts(const struct lc_scan *c, const char *s, size_t n)
{
	return (size_t)(c->e - c->p) >= n && lc_scan_same(c->p, s, n);
}

/* True when the cursor starts with the n bytes of s, and then moves past them; else stays. */
LC_SCAN_INLINE bool lc_scan_lit(struct lc_scan *c, const char *s, size_t n)
{
	if (lc_scan_starts(c, s, n)) {
		c->p += n;
		return true;
	}
	return false;
}

/* The two above with a string literal as the anchor (its length a constant). Expressions only. */
#define LC_SCAN_STARTS(c, s) lc_scan_starts((c), (s), sizeof(s) - 1)
#define LC_SCAN_LIT(c, s) lc_scan_lit((c), (s), sizeof(s) - 1)

/* True for '0' .. '9'. */
LC_SCAN_INLINE bool lc_scan_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/*
 * The number scanners take the number at the cursor and move past it.
 * Returns 1 parsed (*out set); 0 no number here (cursor unmoved); -1 a number too wide for
 * its type (cursor past it, *out unspecified).
 */

/* Decimal digits, as a uint64_t. */
LC_SCAN_INLINE int lc_scan_u64(struct lc_scan *c, uint64_t *out)
{
	const char *p = c->p;
	uint64_t v = 0;
	/* Up to 19 digits cannot pass 2^64-1; only longer numbers are checked digit by digit. */
	const char *safe = c->e - p > 19 ? p + 19 : c->e;
	while (p < safe && lc_scan_digit(*p))
		v = v * 10 + (unsigned)(*p++ - '0');
	bool wide = false;
	while (p < c->e && lc_scan_digit(*p)) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			wide = true;
		v = v * 10 + d;
		p++;
	}
	if (p == c->p)
		return 0;
	c->p = p;
	*out = v;
	return wide ? -1 : 1;
}

/* The value of a hex digit (either case), or -1. */
LC_SCAN_INLINE int lc_scan_hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex digits (no "0x"), as a uint64_t. */
LC_SCAN_INLINE int lc_scan_hex(struct lc_scan *c, uint64_t *out)
{
	const char *p = c->p;
	uint64_t v = 0;
	bool wide = false;
	int d;
	while (p < c->e && (d = lc_scan_hexval(*p)) >= 0) {
		if (v >> 60)
			wide = true;
		v = (v << 4) | (uint64_t)d;
		p++;
	}
	if (p == c->p)
		return 0;
	c->p = p;
	*out = v;
	return wide ? -1 : 1;
}

/* "0x" and hex digits, else decimal digits (a buffer id; the form is decided per number). */
LC_SCAN_INLINE int lc_scan_id(struct lc_scan *c, uint64_t *out)
{
	if (LC_SCAN_LIT(c, "0x"))
		return lc_scan_hex(c, out);
	return lc_scan_u64(c, out);
}

/* An optional '-' and decimal digits, as an int32_t. */
LC_SCAN_INLINE int lc_scan_i32(struct lc_scan *c, int32_t *out)
{
	const char *start = c->p;
	bool neg = c->p < c->e && *c->p == '-';
	c->p += neg;
	uint64_t v;
	int rc = lc_scan_u64(c, &v);
	if (rc == 0) {
		c->p = start;
		return 0;
	}
	if (rc < 0 || v > (neg ? 2147483648u : 2147483647u))
		return -1;
	*out = neg ? (int32_t)(-(int64_t)v) : (int32_t)v;
	return 1;
}

/*
 * A printf %g figure as printed: sign, digits and '.', exponent; also inf and nan. True and
 * *out set to its bytes (borrowed from the line), cursor past it; false, cursor unmoved.
 */
static inline bool lc_scan_float(struct lc_scan *c, struct lc_span *out)
{
	const char *p = c->p;
	if (p < c->e && (*p == '-' || *p == '+'))
		p++;
	const char *d = p;
	if ((size_t)(c->e - p) >= 3 && (memcmp(p, "inf", 3) == 0 || memcmp(p, "nan", 3) == 0)) {
		p += 3;
	} else {
		while (p < c->e && (lc_scan_digit(*p) || *p == '.'))
			p++;
		if (p == d || (!lc_scan_digit(*d) && !(p - d > 1 && lc_scan_digit(d[1]))))
			return false;
		if (p < c->e && (*p == 'e' || *p == 'E')) {
			const char *q = p + 1;
			if (q < c->e && (*q == '+' || *q == '-'))
				q++;
			if (q < c->e && lc_scan_digit(*q)) {
				while (q < c->e && lc_scan_digit(*q))
					q++;
				p = q;
			}
		}
	}
	out->p = c->p;
	out->n = (size_t)(p - c->p);
	c->p = p;
	return true;
}

/*
 * A name of ASCII letters, digits and '_' (a buffer type). True and *out set to its bytes
 * (borrowed from the line), cursor past it; false when there is none, cursor unmoved.
 */
LC_SCAN_INLINE bool lc_scan_name(struct lc_scan *c, struct lc_span *out)
{
	const char *p = c->p;
	while (p < c->e && (lc_scan_digit(*p) || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
		p++;
	if (p == c->p)
		return false;
	out->p = c->p;
	out->n = (size_t)(p - c->p);
	c->p = p;
	return true;
}

/* Moves past spaces, tabs and CRs; true when that reaches the end (the server log's line end). */
LC_SCAN_INLINE bool lc_scan_at_end(struct lc_scan *c)
{
	while (c->p < c->e && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
	return c->p == c->e;
}

/* Moves past spaces and tabs; true when that reaches the end (the debug log's field end). */
LC_SCAN_INLINE bool lc_scan_blank_end(struct lc_scan *c)
{
	while (c->p < c->e && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
	return c->p == c->e;
}

/*
 * A line that does not parse: sets *reason to why (a string literal, kept by the caller as
 * the reason's text). Returns LC_LINE_MALFORMED, for `return lc_scan_reject(reason, "...");`.
 */
static inline enum lc_line_class lc_scan_reject(const char **reason, const char *why)
{
	*reason = why;
	return LC_LINE_MALFORMED;
}

#endif
