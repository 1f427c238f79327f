// SPDX-License-Identifier: MIT
// The replay's tables of keys: the (device, address) index, the earlier-run key set, per-key sets, owners.
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

struct entry *lc_replay_entry_find(struct lc_replay *rp, int32_t dev, uint64_t addr)
{
	if (!rp->keys.n)
		return NULL;
	struct keyq q = { rp, dev, addr };
	size_t slot;
	uint32_t idx = lc_index_find(&rp->keys.ix, key_hash(dev, addr), key_eq, &q, &slot);
	return idx == LC_INDEX_NONE ? NULL : ent(rp, idx);
}

void lc_replay_keys_clear(struct lc_replay *rp)
{
	struct keytab *t = &rp->keys;
	for (uint32_t i = 0; i < t->n; i++) {
		struct entry *e = ent(rp, i);
		if (e->nsizes > 1)
			free(e->sizes.many);
		if (e->npids > 1)
			free(e->pids.many);
	}
	for (size_t p = 0; p < t->npages; p++)
		free(t->pages[p]);
	free(t->pages);
	lc_index_release(&t->ix);
	memset(t, 0, sizeof *t);
}

/* A key sought in the earlier-run set. */
struct priorq {
	const struct priortab *t;
	int32_t dev;
	uint64_t addr;
};

static bool prior_eq(const void *ctx, uint32_t id)
{
	const struct priorq *q = ctx;
	const struct priorkey *k = &q->t->keys[id];
	return k->address == q->addr && k->device == q->dev;
}

void lc_replay_prior_add(struct priortab *t, int32_t dev, uint64_t addr)
{
	uint64_t h = key_hash(dev, addr);
	struct priorq q = { t, dev, addr };
	size_t slot;
	if (lc_index_find(&t->ix, h, prior_eq, &q, &slot) != LC_INDEX_NONE)
		return;
	if (t->n >= LC_INDEX_NONE - 1)
		lc_oom();
	lc_grow((void **)&t->keys, &t->cap, t->n + 1, sizeof *t->keys);
	t->keys[t->n] = (struct priorkey){ addr, dev };
	lc_index_put(&t->ix, slot, h, (uint32_t)t->n++);
}

bool lc_replay_prior_has(const struct priortab *t, int32_t dev, uint64_t addr)
{
	struct priorq q = { t, dev, addr };
	size_t slot;
	return lc_index_find(&t->ix, key_hash(dev, addr), prior_eq, &q, &slot) != LC_INDEX_NONE;
}

static bool is_pow2(uint32_t n)
{
	return (n & (n - 1)) == 0;
}

/* Sorted-set insert shared by the size and PID sets; returns false when v is present. */
#define SET_ADD(one, many, n, v) \
	do { \
		if ((n) == 0) { \
			(one) = (v); \
			(n) = 1; \
			break; \
		} \
		if ((n) == 1) { \
			if ((one) == (v)) \
				break; \
			__typeof__(one) first = (one); \
			(many) = lc_xmalloc(2 * sizeof(first)); \
			(many)[first < (v) ? 0 : 1] = first; \
			(many)[first < (v) ? 1 : 0] = (v); \
			(n) = 2; \
			break; \
		} \
		uint32_t lo = 0, hi = (n); \
		while (lo < hi) { \
			uint32_t mid = lo + (hi - lo) / 2; \
			if ((many)[mid] < (v)) \
				lo = mid + 1; \
			else \
				hi = mid; \
		} \
		if (lo < (n) && (many)[lo] == (v)) \
			break; \
		if (is_pow2(n)) \
			(many) = lc_xrealloc((many), 2 * (size_t)(n) * sizeof(*(many))); \
		memmove((many) + lo + 1, (many) + lo, ((n) - lo) * sizeof(*(many))); \
		(many)[lo] = (v); \
		(n)++; \
	} while (0)

/*
 * The entry's current size and owner came from allocations and so are in the sets already:
 * an allocation repeating them (most do) needs no look at the arrays, which would cost a
 * cache miss each.
 */
void lc_replay_sets_add(struct entry *e, uint64_t size, int32_t pid)
{
	if (!e->nsizes || size != e->size)
		SET_ADD(e->sizes.one, e->sizes.many, e->nsizes, size);
	if (!e->npids || pid != e->owner)
		SET_ADD(e->pids.one, e->pids.many, e->npids, pid);
}

/*
 * The owner index's hash of a PID: its tag (the high half) is the hash the owner table had
 * before it was an lc_index, so owners keep their slots and FOR_EACH_LIVE its order (the order
 * of a dump's "not in the dump" notes).
 */
static inline uint64_t owner_hash(int32_t pid)
{
	uint64_t x = (uint64_t)(uint32_t)pid * 0x9E3779B97F4A7C15ull;
	return (x ^ (x >> 29)) << 32;
}

/* A PID sought in the owner index: an id is the head of a list, whose owner is the PID. */
struct ownerq {
	const struct lc_replay *rp;
	int32_t pid;
};

static bool owner_eq(const void *ctx, uint32_t idx)
{
	const struct ownerq *q = ctx;
	return ent(q->rp, idx)->owner == q->pid;
}

/* Returns the head of pid's list (NIL when it has none); *slot receives its slot. */
static inline uint32_t owner_find(const struct lc_replay *rp, int32_t pid, size_t *slot)
{
	struct ownerq q = { rp, pid };
	return lc_index_find(&rp->owners, owner_hash(pid), owner_eq, &q, slot);
}

void lc_replay_owner_link(struct lc_replay *rp, struct entry *e, uint32_t idx)
{
	struct lc_index *t = &rp->owners;
	/* Grown when the next owner could pass 3/4, new or not, as the table always was: the
	 * slot count, and so FOR_EACH_LIVE's order, stays what it was. */
	if (!t->slots || (t->n + 1) * 4 > (t->mask + 1) * 3)
		lc_index_grow(t);
	size_t slot;
	uint32_t head = owner_find(rp, e->owner, &slot);
	if (head == NIL) {
		lc_index_put(t, slot, owner_hash(e->owner), idx);
	} else {
		ent(rp, head)->oprev = idx;
		lc_index_set(t, slot, idx);
	}
	e->oprev = NIL;
	e->onext = head;
}

void lc_replay_owner_unlink(struct lc_replay *rp, struct entry *e)
{
	if (e->oprev != NIL) {
		ent(rp, e->oprev)->onext = e->onext;
	} else {
		/* e is the head: its slot gets the next entry, or goes with the last. */
		size_t slot;
		owner_find(rp, e->owner, &slot);
		if (e->onext == NIL)
			lc_index_delete(&rp->owners, slot);
		else
			lc_index_set(&rp->owners, slot, e->onext);
	}
	if (e->onext != NIL)
		ent(rp, e->onext)->oprev = e->oprev;
	e->oprev = e->onext = NIL;
}

uint32_t lc_replay_owner_head(const struct lc_replay *rp, int32_t pid)
{
	size_t slot;
	return owner_find(rp, pid, &slot);
}
