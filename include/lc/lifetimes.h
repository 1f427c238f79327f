/* SPDX-License-Identifier: MIT */
/* Buffer* lifetimes of TT_BUFFER_DEBUG_LOG blocks and their call sites (REPORT-SCHEMA.md `debug`). */
#ifndef LC_LIFETIMES_H
#define LC_LIFETIMES_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/event.h"
#include "lc/history.h"
#include "lc/model.h"

struct lc_lifetimes_config {
	uint64_t stack_depth;               /* keep the first N frames after skipping; 0 keeps all */
	const char *const *skip_frames;     /* PCRE2 patterns: frames matching any are dropped */
	size_t nskip;
	bool all_allocations;               /* also keep the histogram of every allocation */
	bool no_jit;                        /* compile skip_frames without PCRE2's JIT (valgrind) */
	/* --address: lifetimes at the keys it wants are opened and closed in it, their sites filled
	 * at lc_lifetimes_finish; borrowed, it must outlive the tracker. NULL: nothing is told. */
	struct lc_history *history;
	uint32_t timeline_points;           /* buckets per timeline series (0: 512) */
	uint64_t temporary;                 /* --temporary K: freed with at most K other ALLOCATED blocks between */
};

struct lc_lifetimes;

/*
 * Creates the tracker; the patterns are compiled once (JIT unless cfg->no_jit).
 * Returns the tracker; NULL when a pattern does not compile, already reported.
 */
struct lc_lifetimes *lc_lifetimes_create(const struct lc_lifetimes_config *cfg);
/* Frees the tracker and its model. NULL is a no-op. */
void lc_lifetimes_destroy(struct lc_lifetimes *lt);

/* Applies one block of input `input`, in log order over all debug-log inputs. */
void lc_lifetimes_apply(struct lc_lifetimes *lt, const struct lc_dblock *b, uint32_t input);

/*
 * Input `input` (its blocks all applied) ended after `lines` lines: the debug-log timeline's
 * next input starts at the line after them. Call once per debug-log input, in order.
 */
void lc_lifetimes_input_end(struct lc_lifetimes *lt, uint32_t input, uint64_t lines);

/* Ends the stream and builds the model, valid until lc_lifetimes_destroy(). Call once.
 * The caller may shorten the leak list (suppressions). */
struct lc_debug_model *lc_lifetimes_finish(struct lc_lifetimes *lt);

/*
 * The order of the debug model's sites (sites[]): open bytes descending, open buffers
 * descending, then frames bytewise. x and y point at `const struct lc_site *`; for qsort.
 * Returns <0, 0 or >0.
 */
int lc_site_open_cmp(const void *x, const void *y);

#endif
