/* SPDX-License-Identifier: MIT */
/* An open-addressing index of ids (0 .. 2^32-2): the caller keeps the keys, the index finds their ids. */
#ifndef LC_INDEX_H
#define LC_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Linear probing over 8-byte slots, each the high 32 bits of its key's hash (the tag) and the
 * id + 1; 0 is empty. A slot's home is its tag modulo the slot count, so growing needs no
 * key: the index alone is rehashed. The tag filters probes before the caller's key compare.
 * Load at most 3/4; deletion moves later slots of the probe run back (no tombstones).
 * Zero-initialise (1024 slots at the first put), or set first for another first slot count;
 * release with lc_index_release.
 */
struct lc_index {
	uint64_t *slots;             /* owned; NULL until the first id is put */
	size_t mask;                 /* slot count - 1 */
	size_t n;                    /* ids indexed */
	size_t first;                /* slot count at the first put, a power of two; 0: 1024 */
};

#define LC_INDEX_NONE UINT32_MAX

/* Returns the slot where a key with hash h is probed first (for prefetching). Needs slots. */
static inline size_t lc_index_home(const struct lc_index *ix, uint64_t h)
{
	return (size_t)(h >> 32) & ix->mask;
}

/*
 * Looks up the key with hash h; eq(ctx, id) tells whether id's key is the one sought. Written
 * inline so that a constant eq is inlined too: the hot paths pay no call.
 * *slot receives the slot of the key, or of the empty slot where lc_index_put would place it.
 * Returns the key's id; LC_INDEX_NONE when it is not indexed.
 */
static inline uint32_t lc_index_find(const struct lc_index *ix, uint64_t h, bool (*eq)(const void *ctx, uint32_t id),
				     const void *ctx, size_t *slot)
{
	*slot = 0;
	if (!ix->slots)
		return LC_INDEX_NONE;
	uint32_t tag = (uint32_t)(h >> 32);
	for (size_t i = (size_t)tag & ix->mask;; i = (i + 1) & ix->mask) {
		uint64_t s = ix->slots[i];
		if (!s) {
			*slot = i;
			return LC_INDEX_NONE;
		}
		if ((uint32_t)(s >> 32) == tag && eq(ctx, (uint32_t)s - 1)) {
			*slot = i;
			return (uint32_t)s - 1;
		}
	}
}

/* Doubles the slot count (first, or 1024, when empty) and places every id again. */
void lc_index_grow(struct lc_index *ix);

/*
 * Indexes id (below LC_INDEX_NONE) under hash h at slot, which lc_index_find just returned for
 * the same h with no change to the index since; the key must not be indexed yet.
 */
static inline void lc_index_put(struct lc_index *ix, size_t slot, uint64_t h, uint32_t id)
{
	if (!ix->slots || (ix->n + 1) * 4 > (ix->mask + 1) * 3) {
		lc_index_grow(ix);
		for (slot = lc_index_home(ix, h); ix->slots[slot]; slot = (slot + 1) & ix->mask)
			;
	}
	ix->slots[slot] = (h >> 32) << 32 | ((uint64_t)id + 1);
	ix->n++;
}

/*
 * Gives the key at slot (where lc_index_find found it) a new id, below LC_INDEX_NONE: for keys
 * the caller finds through an id that changes (the head of a list).
 */
static inline void lc_index_set(struct lc_index *ix, size_t slot, uint32_t id)
{
	ix->slots[slot] = (ix->slots[slot] >> 32) << 32 | ((uint64_t)id + 1);
}

/*
 * Removes the key at slot (where lc_index_find found it), moving later slots of its probe run
 * back; the slots of other keys may change.
 */
void lc_index_delete(struct lc_index *ix, size_t slot);

/*
 * Returns the id at slot i (below the slot count, mask + 1), or LC_INDEX_NONE when it is empty:
 * for visiting every id, in slot order.
 */
static inline uint32_t lc_index_id_at(const struct lc_index *ix, size_t i)
{
	return (uint32_t)ix->slots[i] - 1;
}

/* Frees the slots; the index is empty after (zeroed but for first). */
void lc_index_release(struct lc_index *ix);

#endif
