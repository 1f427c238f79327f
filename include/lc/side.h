/* SPDX-License-Identifier: MIT */
/* One side of a comparison: the leaks and figures of a run, from models or from a JSON report of ours. */
#ifndef LC_SIDE_H
#define LC_SIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/intern.h"
#include "lc/model.h"

struct lc_jval; /* a parsed JSON report (lc/jsonread.h); the side does not expose the reader */

/*
 * A call stack, innermost frame first. Interned in a side: equal stacks share one pointer.
 * Frames borrowed from the models the side was made from (their sites' spans) or owned by the
 * side (JSON reports, server-only group keys), so a stack costs a few words, not its text again.
 * A server-only group key "device D type T size S" is a stack of that one frame.
 */
struct lc_stack {
	const struct lc_span *frames;
	size_t n;
};

/*
 * Orders stacks as their frames joined by '\n' would order bytewise (strcmp-like), then by
 * frame count and frame lengths, so that 0 means equal frames. Works across sides.
 */
int lc_stack_cmp(const struct lc_stack *a, const struct lc_stack *b);

/* True when the frames joined by '\n' are empty text: no frames, or one empty frame. */
static inline bool lc_stack_empty(const struct lc_stack *st)
{
	return st->n == 0 || (st->n == 1 && st->frames[0].n == 0);
}

/* A leak: a live server entry (from_debug false) or an open Buffer* lifetime (true). */
/* `count` equal leaks: items are a multiset, so a million leaks of a few kinds are a few items. */
struct lc_item {
	int32_t device;
	const char *type;        /* interned in the side */
	uint64_t size;
	const struct lc_stack *stack; /* interned; NULL when unknown */
	bool from_debug;
	bool suppressed;
	uint64_t count;
};

/* A group of leaks: a call stack (debug) or "device D type T size S" (server only). */
struct lc_group {
	const struct lc_stack *key; /* interned */
	struct lc_tally t;
};

struct lc_dt {
	int32_t device;
	const char *type;
	struct lc_tally t;
};

struct lc_side {
	const char *name;        /* path, for messages */
	bool has_server, has_debug;
	struct lc_item *items;
	size_t nitems, capitems;
	uint64_t free_unknown, never_seen, after_final_free, after_cleanup, after_restart;
	/* The last run's own figures and what was live at the restarts (REPORT-SCHEMA server.last_run). */
	uint64_t last_run_unknown, last_run_cleanup_buffers;
	uint64_t live_at_restarts_buffers, live_at_restarts_bytes;
	uint64_t cleanup_buffers, cleanup_bytes, checkpoints_disagree, malformed_lines;
	uint64_t stack_depth;    /* options of the run that made it */
	char **skip;
	size_t nskip;
	/* derived by lc_side_derive(), suppressed items left out */
	struct lc_tally remaining, live;
	struct lc_dt *dt;        /* by device, then type order */
	size_t ndt;
	struct lc_group *groups; /* sorted by key */
	size_t ngroups;
	struct lc_intern strs;   /* interned strings (types, frames of owned stacks); owns them */
	void *stacks;            /* interned stacks */
	void *item_table;        /* items by what they are, to count equal ones together */
};

/*
 * Fills s from the models of a run (either may be NULL) and its input accounting.
 * The side borrows the frames of dm's sites: release it before dm.
 */
void lc_side_from_models(struct lc_side *s, const char *name, const struct lc_server_model *sm,
			 const struct lc_debug_model *dm, const struct lc_input_info *inputs, size_t ninputs,
			 uint64_t stack_depth, const char *const *skip, size_t nskip);

/*
 * Fills s from a JSON report of ours (schema tt-leakcorr/1, not a diff report).
 * Returns 0; -1 when it is not such a report, already reported.
 */
int lc_side_from_json(struct lc_side *s, const char *name, const struct lc_jval *doc);

/* count x size of an item, stopping at 2^64-1 (and setting *sat) like every byte sum. */
uint64_t lc_item_bytes(const struct lc_item *it, bool *sat);

/* Computes the derived figures from the items that are not suppressed. */
void lc_side_derive(struct lc_side *s);

/* The group of s (derived) with frames equal to key's, or NULL; s may be NULL. */
const struct lc_group *lc_side_group(const struct lc_side *s, const struct lc_stack *key);

/* Frees what s holds. */
void lc_side_release(struct lc_side *s);
/*
 * Whether s was grouped with these options (--stack-depth, --skip-frames in order), so that its
 * call sites can be compared with another run's.
 * Returns true when they are the same.
 */
bool lc_side_grouped_as(const struct lc_side *s, uint64_t stack_depth, const char *const *skip, size_t nskip);

/*
 * Keeps the items for which keep(item, ctx) is true and drops the others (before
 * lc_side_derive). Returns nothing.
 */
void lc_side_keep(struct lc_side *s, bool (*keep)(const struct lc_item *it, const void *ctx), const void *ctx);

/* Calls fn for each frame of a stack (none for NULL), innermost first. */
void lc_stack_frames(const struct lc_stack *st, void (*fn)(const char *p, size_t n, void *arg), void *arg);

#endif
