/* SPDX-License-Identifier: MIT */
/* Shared helpers: spans, the one out-of-memory policy, diagnostics, growable buffers. */
#ifndef LC_UTIL_H
#define LC_UTIL_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * Ownership rule for the whole project: a function that returns a pointer into
 * an object (a span of a line, a name) lends it for as long as the object is
 * not advanced or destroyed; anything kept longer is copied or interned.
 */

/* A borrowed run of bytes; never NUL-terminated, may contain NUL bytes. */
struct lc_span {
	const char *p;
	size_t n;
};

#define LC_SPAN_LIT(s) ((struct lc_span){ (s), sizeof(s) - 1 })

/*
 * Allocation never fails for the caller: out of memory prints one message and aborts (lc_oom).
 * Returns n bytes (at least one) from malloc; the caller frees them.
 */
void *lc_xmalloc(size_t n);
/* Returns count zeroed elements of n bytes (at least one byte) from calloc; the caller frees them. */
void *lc_xcalloc(size_t count, size_t n);
/* Resizes p (NULL: a new block) to n bytes, at least one. Returns the block, maybe moved; the caller frees it. */
void *lc_xrealloc(void *p, size_t n);
/* Returns a copy of the n bytes at s with a NUL after them (s may hold NULs); the caller frees it. */
char *lc_xstrndup(const char *s, size_t n);
/* Returns a copy of the n bytes at p; the caller frees it. */
void *lc_xmemdup(const void *p, size_t n);
/* Grows *arr (element size elsz) so that it holds at least need elements; *cap is updated. */
void lc_grow(void **arr, size_t *cap, size_t need, size_t elsz);
/* The one place out of memory is fatal: prints "tt-leakcorr: out of memory" to stderr and aborts. */
_Noreturn void lc_oom(void);

/*
 * Diagnostics go to stderr as "tt-leakcorr: MESSAGE".
 * Returns -1, so that a caller can write `return lc_error(...)`.
 */
int lc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "tt-leakcorr: MESSAGE" to stderr like lc_error, for what is no failure (a note, a warning). */
void lc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer; zero-initialise, release with lc_buf_release. */
struct lc_buf {
	char *p;
	size_t n;
	size_t cap;
};

/* Appends the n bytes at p (copied) to b; b->p stays NUL-terminated and may move. */
void lc_buf_add(struct lc_buf *b, const void *p, size_t n);
/* Appends the byte c to b. */
void lc_buf_addc(struct lc_buf *b, char c);
/* Appends the NUL-terminated string s (not log data: it is measured with strlen) to b. */
void lc_buf_adds(struct lc_buf *b, const char *s);
/* Appends the printf formatting of fmt to b, however long; nothing on a formatting error. */
void lc_buf_printf(struct lc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Formats a note (a diagnostic kept in a report) into a new string, cut at 511 bytes.
 * Returns the string; the caller frees it.
 */
char *lc_note_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Empties b (length 0, an empty string) and keeps its memory for reuse. */
void lc_buf_reset(struct lc_buf *b);
/* Frees b's bytes; b is empty (zeroed) after and may be used again. */
void lc_buf_release(struct lc_buf *b);

/* Saturating unsigned addition: sets *overflow when the sum would pass 2^64-1. */
static inline uint64_t lc_add_sat(uint64_t a, uint64_t b, bool *overflow)
{
	uint64_t s = a + b;
	if (s < a) {
		*overflow = true;
		return UINT64_MAX;
	}
	return s;
}

/*
 * Length of the well-formed UTF-8 sequence at s (at most avail bytes): 1 for ASCII, 2 to 4 for
 * a multi-byte character (no overlongs, surrogates or code points past U+10FFFF), 0 when the
 * bytes there are not UTF-8. Writers put U+FFFD for each byte of the latter.
 */
size_t lc_utf8_seq(const unsigned char *s, size_t avail);

/*
 * True when a line holds nothing that tells one log format from another: only white space,
 * border characters (= - _ * # ~ . |) and non-ASCII bytes (box drawing, glyphs, mojibake).
 * Such lines are recognized but are no evidence that a file is a log of ours.
 */
bool lc_span_trivial(struct lc_span line);

/* Formats a byte count for people: "512 B", "12.0 KiB", "355.4 MiB". Returns buf. */
char *lc_human_bytes(uint64_t bytes, char *buf, size_t bufsz);

/* Parses a whole decimal string into an unsigned 64-bit value. Returns 0 on success; -1 otherwise. */
int lc_parse_u64(const char *s, uint64_t *out);
/* Parses a whole decimal number or a 0x-prefixed hexadecimal one. Returns 0 on success; -1 otherwise. */
int lc_parse_u64_any(const char *s, uint64_t *out);
/*
 * Parses a byte count: a whole decimal number, optionally followed (after spaces) by KiB, MiB
 * or GiB. Returns 0 on success; -1 when it is not one or does not fit in 64 bits.
 */
int lc_parse_size(const char *s, uint64_t *out);


/*
 * Sorts in place without extra memory (heapsort), for arrays as large as the input's live
 * buffers: qsort may allocate a copy of them. Not stable: give cmp a total order.
 */
void lc_sort_inplace(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* A 64-bit hash of n bytes, eight a step (every frame of a debug log is hashed, ~70 bytes each). */
static inline uint64_t lc_hash_bytes(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = (0x9E3779B97F4A7C15ull + seed) ^ n;
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	uint64_t v = 0;
	memcpy(&v, p, n);
	h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

/* Finds needle in hay; returns a pointer to the first occurrence or NULL. */
const char *lc_find(struct lc_span hay, const char *needle, size_t n);

/* Counts the occurrences of each of the anchors in head, summed (a format sniffer's score). */
unsigned lc_count_anchors(struct lc_span head, const char *const *anchors, size_t nanchors);

#endif
