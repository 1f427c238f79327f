/* SPDX-License-Identifier: MIT */
/*
 * Live bytes and buffers over the log, downsampled to a fixed number of buckets with the
 * minimum, maximum and last value of each kept, and the exact peak of each series.
 *
 * x is a line of the stream (1-based). v(x) is a series' value after line x; a line that does
 * not change it carries v(x - 1); v(0) = 0. Bucket k covers lines [k*w + 1, (k+1)*w]; w starts
 * at 1 and doubles, merging neighbouring buckets, whenever a line lies past points*w. Memory is
 * O(points x series), whatever the number of lines or changes.
 */
#ifndef LC_TIMELINE_H
#define LC_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

/* The quantities of a series: live bytes and live buffers. */
enum { LC_TL_BYTES, LC_TL_BUFFERS, LC_TL_NQ };

struct lc_tl_bucket {
	uint64_t min[LC_TL_NQ], max[LC_TL_NQ], last[LC_TL_NQ];
};

struct lc_tl_series {
	uint64_t cur[LC_TL_NQ];      /* v at line `at`, as far as told */
	uint64_t base[LC_TL_NQ];     /* v at the lines after `upto` and before `at` */
	uint64_t peak[LC_TL_NQ];     /* the largest v */
	uint64_t peak_x[LC_TL_NQ];   /* the first line with that value (0 while it is 0) */
	uint64_t at;                 /* the line of the latest change (0: none yet) */
	uint64_t upto;               /* lines [1, upto] are in the buckets */
	struct lc_tl_bucket *b;      /* points buckets, those up to (upto - 1) / w filled */
};

struct lc_timeline {
	uint32_t points;             /* most buckets */
	uint64_t w;                  /* lines per bucket, a power of two */
	uint64_t x;                  /* the latest line told (lines never go back: see set) */
	uint64_t end;                /* the last line, after lc_timeline_end; 0 before */
	struct lc_tl_series **s;     /* owns each series */
	uint32_t n, cap;
};

/* Starts an empty timeline of at most points buckets per series (points >= 2). */
void lc_timeline_init(struct lc_timeline *tl, uint32_t points);
/* Frees every series; tl is empty afterwards. */
void lc_timeline_release(struct lc_timeline *tl);

/* Adds a series whose value has been 0 so far. Returns its id (0, 1, ...). */
uint32_t lc_timeline_series(struct lc_timeline *tl);

/*
 * Series id's values are bytes and buffers from line x on. A line before the latest line told
 * counts as that latest line (a cut line read again). Several changes at one line: the last
 * counts for the buckets; every one is weighed for the peak (callers raise a value only by the
 * last change of a line). Returns a bit mask: 1 << LC_TL_BYTES when bytes reached a new peak,
 * 1 << LC_TL_BUFFERS the same for buffers.
 */
unsigned lc_timeline_set(struct lc_timeline *tl, uint32_t id, uint64_t x, uint64_t bytes, uint64_t buffers);

/* Ends the timeline at line x_end (the stream's last line; it may lie past every change):
 * fills every series' buckets up to it. Call once, after the last lc_timeline_set. */
void lc_timeline_end(struct lc_timeline *tl, uint64_t x_end);

/* The number of buckets after lc_timeline_end: ceil(end / w), 0 for an empty stream. */
uint32_t lc_timeline_buckets(const struct lc_timeline *tl);

#endif
