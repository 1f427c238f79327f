/* SPDX-License-Identifier: MIT */
/* The one string interner: a span in, a stable id and a stable NUL-terminated copy out. */
#ifndef LC_INTERN_H
#define LC_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "lc/index.h"
#include "lc/util.h"

/*
 * Distinct strings get ids 0, 1, 2... in the order they were first interned; the same bytes
 * always give the same id. Each string is copied once into arena chunks that never move, with
 * a NUL after it, so its `const char *` stays valid (and equal strings share one pointer) until
 * lc_intern_release. A string may hold NUL bytes: its length is kept. Found through an
 * lc_index keyed on lc_hash_bytes; about 16 bytes per string beside its text and the index.
 * Zero-initialise; release with lc_intern_release.
 */
struct lc_intern {
	struct lc_index ix;          /* ids by text */
	struct lc_span *strs;        /* owned array; by id: the interned copy and its length */
	size_t n, cap;               /* strings interned; capacity of strs */
	char **chunks;               /* owned arena chunks, each owned */
	size_t nchunks, capchunks;
	size_t used, room;           /* bytes used and free in the last chunk */
};

/*
 * Returns the id of the string s, or LC_INDEX_NONE when it was never interned. Changes nothing.
 */
uint32_t lc_intern_find(const struct lc_intern *in, struct lc_span s);

/*
 * Interns s (borrowed: its bytes are copied when new). Out of memory, or past 2^32-2 strings,
 * is fatal (lc_oom).
 * Returns the string's id.
 */
uint32_t lc_intern_put(struct lc_intern *in, struct lc_span s);

/* Returns the interned copy of string id (below lc_intern_count), NUL-terminated; in owns it. */
static inline const char *lc_intern_str(const struct lc_intern *in, uint32_t id)
{
	return in->strs[id].p;
}

/* Returns string id as a span over the interned copy (its length without the NUL); in owns it. */
static inline struct lc_span lc_intern_span(const struct lc_intern *in, uint32_t id)
{
	return in->strs[id];
}

/* Returns how many distinct strings have been interned. */
static inline size_t lc_intern_count(const struct lc_intern *in)
{
	return in->n;
}

/* Frees every string, the arena and the index; the interner is empty (zeroed) after. */
void lc_intern_release(struct lc_intern *in);

#endif
