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

static size_t prior_slot(const struct priortab *t, int32_t dev, uint64_t addr)
{
	for (size_t i = (size_t)key_hash(dev, addr) & t->mask;; i = (i + 1) & t->mask) {
		const struct priorkey *p = &t->slots[i];
		if (!p->used || (p->address == addr && p->device == dev))
			return i;
	}
}

void lc_replay_prior_add(struct priortab *t, int32_t dev, uint64_t addr)
{
	if (!t->slots || (t->n + 1) * 4 > (t->mask + 1) * 3) {
		struct priorkey *old = t->slots;
		size_t oldn = old ? t->mask + 1 : 0;
		size_t nslots = old ? oldn * 2 : 1024;
		t->slots = lc_xcalloc(nslots, sizeof *t->slots);
		t->mask = nslots - 1;
		for (size_t i = 0; i < oldn; i++)
			if (old[i].used)
				t->slots[prior_slot(t, old[i].device, old[i].address)] = old[i];
		free(old);
	}
	struct priorkey *p = &t->slots[prior_slot(t, dev, addr)];
	if (p->used)
		return;
	*p = (struct priorkey){ addr, dev, 1 };
	t->n++;
}

bool lc_replay_prior_has(const struct priortab *t, int32_t dev, uint64_t addr)
{
	return t->slots && t->slots[prior_slot(t, dev, addr)].used;
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

static size_t owner_hash(int32_t pid)
{
	uint64_t x = (uint64_t)(uint32_t)pid * 0x9E3779B97F4A7C15ull;
	return (size_t)(x ^ (x >> 29));
}

/* The slot of pid, or the empty slot where it would go. */
static size_t owner_slot(const struct ownertab *t, int32_t pid)
{
	for (size_t i = owner_hash(pid) & t->mask;; i = (i + 1) & t->mask)
		if (t->slots[i].head == NIL || t->slots[i].pid == pid)
			return i;
}

static void owners_resize(struct ownertab *t, size_t nslots)
{
	struct owner *old = t->slots;
	size_t oldn = old ? t->mask + 1 : 0;
	t->slots = lc_xmalloc(nslots * sizeof *t->slots);
	for (size_t i = 0; i < nslots; i++)
		t->slots[i].head = NIL;
	t->mask = nslots - 1;
	for (size_t i = 0; i < oldn; i++)
		if (old[i].head != NIL)
			t->slots[owner_slot(t, old[i].pid)] = old[i];
	free(old);
}

/* Removes slot i, moving later slots of its probe run back (no tombstones). */
static void owner_delete(struct ownertab *t, size_t i)
{
	t->n--;
	for (size_t j = (i + 1) & t->mask; t->slots[j].head != NIL; j = (j + 1) & t->mask) {
		size_t home = owner_hash(t->slots[j].pid) & t->mask;
		/* slot j may move to i when i lies cyclically in [home, j) */
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].head = NIL;
}

void lc_replay_owner_link(struct lc_replay *rp, struct entry *e, uint32_t idx)
{
	struct ownertab *t = &rp->owners;
	if (!t->slots || (t->n + 1) * 4 > (t->mask + 1) * 3)
		owners_resize(t, t->slots ? (t->mask + 1) * 2 : 64);
	size_t i = owner_slot(t, e->owner);
	struct owner *o = &t->slots[i];
	if (o->head == NIL) {
		o->pid = e->owner;
		t->n++;
	} else {
		ent(rp, o->head)->oprev = idx;
	}
	e->oprev = NIL;
	e->onext = o->head;
	o->head = idx;
}

/* Before e stops being live: its owner's list forgets it; an owner with no live entry goes. */
void lc_replay_owner_unlink(struct lc_replay *rp, struct entry *e)
{
	struct ownertab *t = &rp->owners;
	if (e->oprev != NIL) {
		ent(rp, e->oprev)->onext = e->onext;
	} else {
		size_t i = owner_slot(t, e->owner);
		t->slots[i].head = e->onext;
		if (e->onext == NIL)
			owner_delete(t, i);
	}
	if (e->onext != NIL)
		ent(rp, e->onext)->oprev = e->oprev;
	e->oprev = e->onext = NIL;
}

uint32_t lc_replay_owner_head(const struct lc_replay *rp, int32_t pid)
{
	return rp->owners.slots ? rp->owners.slots[owner_slot(&rp->owners, pid)].head : NIL;
}
