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
#include <stddef.h>
#include <stdint.h>

struct lc_site;

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

/* ---------- what a model hands the reports (JSON `timeline.server` / `timeline.debug`) ---------- */

/* A series in report order: device or all devices, type name or all types. */
struct lc_tl_series_info {
	bool has_device;
	int32_t device;
	const char *type;            /* NULL: every type */
	uint32_t id;                 /* in the model's engine */
};

/* Marks of one kind on the axis: every one counted, the first `points` kept. */
struct lc_tl_marks {
	uint64_t count;
	uint64_t *x;
	size_t n;
};

/* A clock reading at line x: a statistics block (run, seconds since the run's start) or a
 * debug-log block's Time: field (time, "HH:MM:SS"). */
struct lc_tl_wall {
	uint64_t x;
	uint64_t run, seconds;       /* server log */
	char time[12];               /* debug log; "" otherwise */
};

/* An input of the stream: lines first_x .. first_x + lines - 1 of the axis. */
struct lc_tl_input {
	uint32_t input;
	uint64_t first_x, lines;
};

/* Live at a peak, one row of a breakdown. */
struct lc_tl_row {
	const char *type;            /* by type; by group */
	bool has_device;             /* by type: set in the all-devices row (one row per device and type) */
	int32_t device;
	uint64_t size;               /* by group: the buffers' size */
	int32_t *devices;            /* by group: ascending (owned) */
	size_t ndevices;
	uint32_t input;              /* by group: where its first entry was allocated */
	uint64_t line;
	int64_t site;                /* by site: index into the debug model's sites */
	uint64_t buffers, bytes;
};

/* What was live at the bytes peak of the all-devices series (has_device false) or a device's. */
struct lc_tl_peak {
	bool has_device;
	int32_t device;
	uint64_t x, bytes, buffers;
	struct lc_tl_row *by_type, *by_group, *by_site; /* owned */
	size_t nby_type, nby_group, nby_site;
};

struct lc_timeline_model {
	struct lc_timeline tl;       /* ended */
	const char *axis;            /* "server-log line" or "debug-log line" */
	struct lc_tl_series_info *series; /* report order: all devices, then each device and its types */
	size_t nseries;
	uint64_t series_omitted;     /* (device, type) series not kept (their peaks still are) */
	struct lc_tl_input *inputs;
	size_t ninputs;
	struct lc_tl_marks restarts, dumps, cleanups, stats;
	struct lc_tl_wall *wall;     /* the first `points` */
	size_t nwall;
	uint64_t wall_count;
	struct lc_tl_peak *peaks;    /* all devices first, then by device ascending */
	size_t npeaks;
	/* Debug log: the sites by_site rows index (JSON `peak_sites`), in the order of their first
	 * allocation in the log; the array is the producer's (not freed by lc_timeline_model_free). */
	const struct lc_site *const *sites;
	size_t nsites;
};

/* The input and line of axis line x. Returns false when no input of the model holds it. */
bool lc_tl_where(const struct lc_timeline_model *tm, uint64_t x, uint32_t *input, uint64_t *line);
/* Keeps x in marks m (counted always, kept while fewer than points). */
void lc_tl_mark(struct lc_tl_marks *m, uint64_t x, uint32_t points);
/* Frees what the model owns (the engine, lists, rows; not the type strings). NULL is a no-op. */
void lc_timeline_model_free(struct lc_timeline_model *tm);

#endif
