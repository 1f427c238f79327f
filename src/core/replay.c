// SPDX-License-Identifier: MIT
// Replay of the allocation server: live map, per-device statistics, cleanup, checkpoints, dump lifecycle.
#include "lc/replay.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "lc/hash.h"

/* Server statistics buckets (FORMATS.md 1.9): DRAM, L1, L1_SMALL (+SYSTEM_MEMORY), TRACE. */
enum { B_DRAM, B_L1, B_L1S, B_TRACE, NBUCKETS };

enum { END_NONE, END_FINAL, END_CLEANUP };

#define NIL UINT32_MAX

/*
 * One (device, address) key of the current run: its live entry and its history, 88 bytes.
 * Single sizes and PIDs (the common case) are held inline; more spill to a sorted array whose
 * capacity is the next power of two of its count. Owner lists link entries by index.
 */
struct entry {
	uint64_t address;
	uint64_t size;
	uint64_t where;              /* input << 48 | line of the allocation that made it live */
	union { uint64_t one; uint64_t *many; } sizes; /* distinct allocation sizes, ascending */
	union { int32_t one; int32_t *many; } pids;    /* distinct allocating PIDs, ascending */
	int32_t device, owner, ref;
	uint32_t type;
	uint32_t last_type : 27, live : 1, in_dump : 1, has_type : 1, ended : 2;
	uint32_t nsizes, npids;
	uint32_t oprev, onext;       /* its owner's list of live entries (NIL ends it) */
	uint32_t allocs, frees, unknown_frees; /* saturate at 2^32-1 (model.saturated) */
};

#define WHERE_LINE_BITS 48
#define MAX_TYPES (1u << 27)

/*
 * The run's keys: entries in insertion order in fixed pages (never moved, so pointers into
 * them stay valid), found through an open-addressing index of (hash tag, entry index + 1).
 */
#define PAGE_BITS 12
#define PAGE_SIZE (1u << PAGE_BITS)

struct keytab {
	uint64_t *slots;
	size_t mask;                 /* slot count - 1 */
	struct entry **pages;
	size_t npages, cappages;
	uint32_t n;
};

/* A dump's size of an entry whose size the enhanced server replaced after the dump. */
struct dumpsize {
	uint32_t idx;
	uint64_t size;
	UT_hash_handle hh;
};

/*
 * Live entries by owner PID, so cleanup of one PID costs only its entries: each owner is one
 * 8-byte slot of an open-addressing table (its PID and the head of a list linked through the
 * entries), so a million PIDs cost 16 MB, not a record each.
 */
struct owner {
	int32_t pid;
	uint32_t head;               /* NIL: the slot is empty */
};

struct ownertab {
	struct owner *slots;
	size_t mask;
	size_t n;
};

#define SMALL_DEVICES 256

/* Per-device state of the current run: the server's own counters (wrapping, as the server's do). */
struct device {
	int32_t device;
	uint64_t bucket[NBUCKETS];
	uint64_t count;
	double cb_mb, kernel_mb;
	bool has_cb, has_kernel, printed;
	uint64_t wraps;
	UT_hash_handle hh;
};

/* Unknown frees per device, over all runs. */
struct udev {
	int32_t device;
	uint64_t count;
	UT_hash_handle hh;
};

/* (device, type) aggregates for dumps, the remaining table and the lifecycle. */
struct dtkey {
	int32_t device;
	uint32_t type;
};

struct dtagg {
	struct dtkey k;
	struct lc_tally t[4];
	uint64_t listed;
	bool printed;
	UT_hash_handle hh;
};

struct block {
	bool open;
	enum lc_checkpoint_kind kind;
	size_t cp;                   /* index into checkpoints */
	bool have_dev, have_type;
	int32_t dev;
	uint32_t type;
	int32_t *printed_devs;
	size_t nprinted, capprinted;
	struct dtagg *agg;           /* dump: the replayed map at the title */
};

struct lifecycle {
	bool active, done;
	uint32_t input;
	uint64_t line, index, run;
	struct dtagg *rows;
};

/*
 * Keys that had an entry (were allocated) in an earlier run, for the after_restart cause:
 * 16 bytes per distinct key, added when a restart ends a run, never removed.
 */
struct priorkey {
	uint64_t address;
	int32_t device;
	uint32_t used;
};

struct priortab {
	struct priorkey *slots;
	size_t mask, n;
};

struct lc_replay {
	struct lc_replay_config cfg;
	bool gave_up;                /* too many type names: reported, the rest of the input is ignored */
	struct keytab keys;          /* the run's keys; the table owns the entries */
	struct priortab prior;       /* owns its slots; survives restarts */
	bool run_recorded;           /* the current run's lc_run_info has its end figures */
	size_t caprun;
	struct dumpsize *dumpsizes;  /* owns; entries of the lifecycle's dump resized since */
	struct ownertab owners;
	struct device *devices;      /* owns the device records */
	struct device *device_small[SMALL_DEVICES]; /* devices 0..255 without a hash lookup */
	struct udev *udevs;          /* owns; survives restarts */
	uint64_t live;               /* live entries in the run */
	bool run_open, enh, reuse_pending;
	int pending_version, version;
	char **other_types;          /* interned names of types beyond the five */
	size_t nother, capother;
	uint64_t dump_counter;
	struct block blk;
	size_t cleanup_cur;
	bool cleanup_cur_valid;
	struct lifecycle lc;
	struct lc_server_model m;
	size_t capcleanup, capcp, capincons, capimpl;
	uint32_t *reuse_keys;        /* the reuse table's order */
};

#define TYPE_OTHER_BASE 5u

static struct lc_server_model *M(struct lc_replay *rp)
{
	return &rp->m;
}

/* The run being replayed, NULL before the first. */
static struct lc_run_info *cur_run(struct lc_replay *rp)
{
	return rp->m.runs ? &rp->m.run_list[rp->m.runs - 1] : NULL;
}

struct lc_replay *lc_replay_create(const struct lc_replay_config *cfg)
{
	struct lc_replay *rp = lc_xcalloc(1, sizeof *rp);
	rp->cfg = *cfg;
	if (!rp->cfg.max_notes)
		rp->cfg.max_notes = 20;
	return rp;
}

/* ---------- names and ordering ---------- */

static uint32_t type_id(struct lc_replay *rp, struct lc_span name)
{
	enum lc_btype t = lc_type_from_name(name);
	if (t != LC_TYPE_OTHER)
		return (uint32_t)t;
	for (size_t i = 0; i < rp->nother; i++)
		if (strlen(rp->other_types[i]) == name.n && memcmp(rp->other_types[i], name.p, name.n) == 0)
			return TYPE_OTHER_BASE + (uint32_t)i;
	if (rp->nother >= MAX_TYPES - TYPE_OTHER_BASE) {
		/* Not exit(): the caller maps lc_replay_failed() to the exit status (only main.c exits). */
		lc_error("more than %u distinct buffer type names; giving up", MAX_TYPES - TYPE_OTHER_BASE);
		rp->gave_up = true;
		return (uint32_t)LC_TYPE_OTHER;
	}
	lc_grow((void **)&rp->other_types, &rp->capother, rp->nother + 1, sizeof(char *));
	rp->other_types[rp->nother] = lc_xstrndup(name.p, name.n);
	return TYPE_OTHER_BASE + (uint32_t)rp->nother++;
}

static const char *type_str(const struct lc_replay *rp, uint32_t t)
{
	if (t < TYPE_OTHER_BASE)
		return lc_type_name((enum lc_btype)t);
	return rp->other_types[t - TYPE_OTHER_BASE];
}

static int type_cmp(const struct lc_replay *rp, uint32_t a, uint32_t b)
{
	if (a < TYPE_OTHER_BASE || b < TYPE_OTHER_BASE)
		return a < b ? -1 : a > b;
	return strcmp(type_str(rp, a), type_str(rp, b));
}

static int bucket_of(uint32_t type)
{
	switch (type) {
	case LC_TYPE_DRAM: return B_DRAM;
	case LC_TYPE_L1: return B_L1;
	case LC_TYPE_SYSTEM_MEMORY:
	case LC_TYPE_L1_SMALL: return B_L1S;
	case LC_TYPE_TRACE: return B_TRACE;
	default: return -1;
	}
}

/* ---------- notes ---------- */

static void add_note(struct lc_replay *rp, struct lc_note **arr, size_t *n, size_t *cap, uint64_t *total,
		     uint32_t input, uint64_t line, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static void add_note(struct lc_replay *rp, struct lc_note **arr, size_t *n, size_t *cap, uint64_t *total,
		     uint32_t input, uint64_t line, const char *fmt, ...)
{
	(*total)++;
	if (*n >= rp->cfg.max_notes)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lc_grow((void **)arr, cap, *n + 1, sizeof **arr);
	(*arr)[*n] = (struct lc_note){ input, line, lc_xstrndup(msg, strlen(msg)) };
	(*n)++;
}

#define INCONS(rp, in, ln, ...) \
	add_note((rp), &(rp)->m.inconsistencies, &(rp)->m.ninconsistencies, &(rp)->capincons, \
		 &(rp)->m.inconsistencies_total, (in), (ln), __VA_ARGS__)
#define IMPLAUSIBLE(rp, in, ln, ...) \
	add_note((rp), &(rp)->m.implausible, &(rp)->m.nimplausible, &(rp)->capimpl, \
		 &(rp)->m.implausible_total, (in), (ln), __VA_ARGS__)

static void check_plausible(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	if (ev->has_device && (ev->device < 0 || ev->device >= 256))
		IMPLAUSIBLE(rp, input, line, "implausible device id %d", (int)ev->device);
	if (ev->kind == LC_SEV_ALLOC && ev->size > (1ull << 40))
		IMPLAUSIBLE(rp, input, line, "implausible size %llu bytes", (unsigned long long)ev->size);
	if (ev->kind == LC_SEV_ALLOC && ev->size == 0)
		IMPLAUSIBLE(rp, input, line, "allocation of 0 bytes");
}

/* ---------- tables ---------- */

static struct device *device_get(struct lc_replay *rp, int32_t d)
{
	bool small = d >= 0 && d < SMALL_DEVICES;
	struct device *dv = small ? rp->device_small[d] : NULL;
	if (dv)
		return dv;
	HASH_FIND(hh, rp->devices, &d, sizeof d, dv);
	if (!dv) {
		dv = lc_xcalloc(1, sizeof *dv);
		dv->device = d;
		HASH_ADD(hh, rp->devices, device, sizeof dv->device, dv);
	}
	if (small)
		rp->device_small[d] = dv;
	return dv;
}

static uint64_t key_hash(int32_t dev, uint64_t addr)
{
	uint64_t x = addr * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uint32_t)dev * 0xC2B2AE3D27D4EB4Full;
	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9ull;
	x ^= x >> 29;
	return x;
}

static inline struct entry *ent(const struct lc_replay *rp, uint32_t idx)
{
	return &rp->keys.pages[idx >> PAGE_BITS][idx & (PAGE_SIZE - 1)];
}

/* Returns the slot holding (dev, addr), or the empty slot where it would go. */
static size_t key_slot(const struct lc_replay *rp, int32_t dev, uint64_t addr, uint64_t h)
{
	const struct keytab *t = &rp->keys;
	uint32_t tag = (uint32_t)(h >> 32);
	for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
		uint64_t s = t->slots[i];
		if (!s)
			return i;
		if ((uint32_t)(s >> 32) == tag) {
			const struct entry *e = ent(rp, (uint32_t)s - 1);
			if (e->address == addr && e->device == dev)
				return i;
		}
	}
}

static void keys_rehash(struct lc_replay *rp, size_t nslots)
{
	struct keytab *t = &rp->keys;
	free(t->slots);
	t->slots = lc_xcalloc(nslots, sizeof *t->slots);
	t->mask = nslots - 1;
	for (uint32_t i = 0; i < t->n; i++) {
		const struct entry *e = ent(rp, i);
		uint64_t h = key_hash(e->device, e->address);
		t->slots[key_slot(rp, e->device, e->address, h)] = (h >> 32) << 32 | ((uint64_t)i + 1);
	}
}

static struct entry *entry_find(struct lc_replay *rp, int32_t dev, uint64_t addr)
{
	if (!rp->keys.n)
		return NULL;
	uint64_t s = rp->keys.slots[key_slot(rp, dev, addr, key_hash(dev, addr))];
	return s ? ent(rp, (uint32_t)s - 1) : NULL;
}

/* Finds or adds (dev, addr); *idx receives its index. */
static struct entry *entry_get(struct lc_replay *rp, int32_t dev, uint64_t addr, uint32_t *idx)
{
	struct keytab *t = &rp->keys;
	uint64_t h = key_hash(dev, addr);
	size_t slot = 0;
	if (t->n) {
		slot = key_slot(rp, dev, addr, h);
		if (t->slots[slot]) {
			*idx = (uint32_t)t->slots[slot] - 1;
			return ent(rp, *idx);
		}
	}
	if (t->n >= NIL - 1)
		lc_oom();
	/* Load factor at most 3/4: the index costs 11 to 21 bytes per key. */
	if (!t->slots || ((size_t)t->n + 1) * 4 > (t->mask + 1) * 3) {
		keys_rehash(rp, t->slots ? (t->mask + 1) * 2 : 1024);
		slot = key_slot(rp, dev, addr, h);
	}
	*idx = t->n++;
	if ((*idx & (PAGE_SIZE - 1)) == 0) {
		lc_grow((void **)&t->pages, &t->cappages, t->npages + 1, sizeof *t->pages);
		t->pages[t->npages++] = lc_xmalloc(PAGE_SIZE * sizeof(struct entry));
	}
	struct entry *e = ent(rp, *idx);
	memset(e, 0, sizeof *e);
	e->device = dev;
	e->address = addr;
	t->slots[slot] = (h >> 32) << 32 | ((uint64_t)*idx + 1);
	return e;
}

static void keys_clear(struct lc_replay *rp)
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
	free(t->slots);
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

static void prior_add(struct priortab *t, int32_t dev, uint64_t addr)
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

static bool prior_has(const struct priortab *t, int32_t dev, uint64_t addr)
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
static void entry_sets_add(struct entry *e, uint64_t size, int32_t pid)
{
	if (!e->nsizes || size != e->size)
		SET_ADD(e->sizes.one, e->sizes.many, e->nsizes, size);
	if (!e->npids || pid != e->owner)
		SET_ADD(e->pids.one, e->pids.many, e->npids, pid);
}

static void count_inc(struct lc_replay *rp, uint32_t *c)
{
	if (*c == UINT32_MAX)
		rp->m.saturated = true;
	else
		(*c)++;
}

static inline struct entry *ent_or_null(const struct lc_replay *rp, uint32_t idx)
{
	return idx == NIL ? NULL : ent(rp, idx);
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

static void owner_link(struct lc_replay *rp, struct entry *e, uint32_t idx)
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
static void owner_unlink(struct lc_replay *rp, struct entry *e)
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

/* Visits every live entry, through the owners: O(live), not O(keys ever seen). */
#define FOR_EACH_LIVE(rp, i, e) \
	for (size_t i = 0; (rp)->owners.slots && i <= (rp)->owners.mask; i++) \
		for (e = ent_or_null(rp, (rp)->owners.slots[i].head); e; e = ent_or_null(rp, e->onext))

static struct dtagg *dt_get(struct dtagg **tab, int32_t dev, uint32_t type)
{
	struct dtkey k;
	memset(&k, 0, sizeof k);
	k.device = dev;
	k.type = type;
	struct dtagg *a;
	HASH_FIND(hh, *tab, &k, sizeof k, a);
	if (!a) {
		a = lc_xcalloc(1, sizeof *a);
		a->k = k;
		HASH_ADD(hh, *tab, k, sizeof a->k, a);
	}
	return a;
}

static struct dtagg *dt_find(struct dtagg *tab, int32_t dev, uint32_t type)
{
	struct dtkey k;
	memset(&k, 0, sizeof k);
	k.device = dev;
	k.type = type;
	struct dtagg *a;
	HASH_FIND(hh, tab, &k, sizeof k, a);
	return a;
}

static void dt_free(struct dtagg **tab)
{
	struct dtagg *a, *tmp;
	HASH_ITER(hh, *tab, a, tmp) {
		HASH_DEL(*tab, a);
		free(a);
	}
}

static void tally_add(struct lc_replay *rp, struct lc_tally *t, uint64_t bytes)
{
	t->buffers++;
	t->bytes = lc_add_sat(t->bytes, bytes, &rp->m.saturated);
}

/* ---------- live entries ---------- */

enum { LC_AT_DUMP, LC_FREED, LC_CLEANED, LC_STILL };

/* The size an entry had at the lifecycle's dump: its size unless replaced since. */
static uint64_t dump_size_take(struct lc_replay *rp, struct entry *e)
{
	if (!rp->dumpsizes)
		return e->size;
	uint32_t idx;
	entry_get(rp, e->device, e->address, &idx);
	struct dumpsize *d;
	HASH_FIND(hh, rp->dumpsizes, &idx, sizeof idx, d);
	if (!d)
		return e->size;
	uint64_t size = d->size;
	HASH_DEL(rp->dumpsizes, d);
	free(d);
	return size;
}

static void dumpsizes_clear(struct lc_replay *rp)
{
	struct dumpsize *d, *tmp;
	HASH_ITER(hh, rp->dumpsizes, d, tmp) {
		HASH_DEL(rp->dumpsizes, d);
		free(d);
	}
}

/* Before the enhanced server replaces the size of an entry of the lifecycle's dump. */
static void dump_size_keep(struct lc_replay *rp, struct entry *e, uint32_t idx)
{
	if (!e->in_dump)
		return;
	struct dumpsize *d;
	HASH_FIND(hh, rp->dumpsizes, &idx, sizeof idx, d);
	if (d)
		return;
	d = lc_xcalloc(1, sizeof *d);
	d->idx = idx;
	d->size = e->size;
	HASH_ADD(hh, rp->dumpsizes, idx, sizeof d->idx, d);
}

static void lifecycle_count(struct lc_replay *rp, struct entry *e, int which)
{
	if (!e->in_dump)
		return;
	e->in_dump = false;
	uint64_t size = dump_size_take(rp, e);
	if (!rp->lc.active || rp->lc.done)
		return;
	tally_add(rp, &dt_get(&rp->lc.rows, e->device, e->type)->t[which], size);
}

static void entry_create(struct lc_replay *rp, struct entry *e, uint32_t idx, const struct lc_sevent *ev,
			 uint32_t type, int32_t ref, uint32_t input, uint64_t line)
{
	e->live = true;
	e->in_dump = false;
	e->owner = ev->pid;
	e->size = ev->size;
	e->type = type;
	e->ref = ref;
	e->where = (uint64_t)input << WHERE_LINE_BITS | (line & ((1ull << WHERE_LINE_BITS) - 1));
	owner_link(rp, e, idx);
	struct device *dv = device_get(rp, e->device);
	int b = bucket_of(type);
	if (b >= 0)
		dv->bucket[b] += e->size;
	dv->count++;
	rp->live++;
}

static void entry_remove(struct lc_replay *rp, struct entry *e, uint8_t how)
{
	struct device *dv = device_get(rp, e->device);
	int b = bucket_of(e->type);
	if (b >= 0)
		dv->bucket[b] -= e->size;
	dv->count--;
	rp->live--;
	owner_unlink(rp, e);
	e->live = false;
	e->ended = how;
	lifecycle_count(rp, e, how == END_CLEANUP ? LC_CLEANED : LC_FREED);
}

/* ---------- checkpoints ---------- */

static struct lc_checkpoint *cur_cp(struct lc_replay *rp)
{
	return &rp->m.checkpoints[rp->blk.cp];
}

static void diff(struct lc_replay *rp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void diff(struct lc_replay *rp, const char *fmt, ...)
{
	struct lc_checkpoint *cp = cur_cp(rp);
	if (cp->agrees) {
		cp->agrees = false;
		rp->m.checkpoints_disagree++;
		cur_run(rp)->checkpoints_disagree++; /* blocks close before their run ends */
	}
	cp->ndiffs_total++;
	if (cp->ndiffs >= rp->cfg.max_notes)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cp->diffs = lc_xrealloc(cp->diffs, (cp->ndiffs + 1) * sizeof *cp->diffs);
	cp->diffs[cp->ndiffs++] = lc_xstrndup(msg, strlen(msg));
}

static void open_checkpoint(struct lc_replay *rp, enum lc_checkpoint_kind kind, uint32_t input, uint64_t line)
{
	struct lc_server_model *m = M(rp);
	lc_grow((void **)&m->checkpoints, &rp->capcp, m->ncheckpoints + 1, sizeof *m->checkpoints);
	m->checkpoints[m->ncheckpoints] = (struct lc_checkpoint){ .kind = kind, .input = input, .line = line,
								  .agrees = true };
	rp->blk.open = true;
	rp->blk.kind = kind;
	rp->blk.cp = m->ncheckpoints++;
	cur_run(rp)->checkpoints++;
	rp->blk.have_dev = rp->blk.have_type = false;
	rp->blk.nprinted = 0;
}

/* The server formats KB and MB with iostream defaults, i.e. printf's %g. */
static bool g_equal(struct lc_span printed, double value, char *out, size_t outsz)
{
	snprintf(out, outsz, "%g", value);
	return strlen(out) == printed.n && memcmp(out, printed.p, printed.n) == 0;
}

static uint64_t dev_total(const struct device *dv)
{
	return dv->bucket[B_DRAM] + dv->bucket[B_L1] + dv->bucket[B_L1S] + dv->bucket[B_TRACE];
}

static int32_t max_devices(const struct lc_replay *rp)
{
	return rp->version == 6 ? 256 : 8;
}

static void close_stats(struct lc_replay *rp, bool complete)
{
	if (!complete)
		diff(rp, "statistics block cut short (no Active allocations line)");
	struct device *dv, *tmp;
	HASH_ITER(hh, rp->devices, dv, tmp) {
		if ((dv->count == 0 && dev_total(dv) == 0) || dv->device < 0 || dv->device >= max_devices(rp))
			continue;
		bool seen = false;
		for (size_t i = 0; i < rp->blk.nprinted; i++)
			if (rp->blk.printed_devs[i] == dv->device)
				seen = true;
		if (!seen && complete)
			diff(rp, "device %d: replay has %llu buffers (%llu bytes), not printed", (int)dv->device,
			     (unsigned long long)dv->count, (unsigned long long)dev_total(dv));
	}
}

static void dump_finish_type(struct lc_replay *rp)
{
	if (!rp->blk.have_type)
		return;
	struct dtagg *a = dt_find(rp->blk.agg, rp->blk.dev, rp->blk.type);
	if (a) {
		uint64_t n = a->t[0].buffers;
		if (n <= 10 && a->listed != n)
			diff(rp, "device %d %s: %llu buffers listed, replay has %llu", (int)rp->blk.dev,
			     type_str(rp, rp->blk.type), (unsigned long long)a->listed, (unsigned long long)n);
		if (n > 10 && a->listed)
			diff(rp, "device %d %s: %llu buffers listed although the type has more than 10",
			     (int)rp->blk.dev, type_str(rp, rp->blk.type), (unsigned long long)a->listed);
	}
	rp->blk.have_type = false;
}

static void close_dump(struct lc_replay *rp, bool complete, bool empty_claimed)
{
	dump_finish_type(rp);
	if (!complete)
		diff(rp, "dump cut short (no Total remaining buffers line)");
	if (!empty_claimed) {
		struct dtagg *a, *tmp;
		HASH_ITER(hh, rp->blk.agg, a, tmp) {
			if (!a->printed)
				diff(rp, "device %d %s: replay has %llu buffers (%llu bytes), not in the dump",
				     (int)a->k.device, type_str(rp, a->k.type), (unsigned long long)a->t[0].buffers,
				     (unsigned long long)a->t[0].bytes);
		}
	}
	dt_free(&rp->blk.agg);
}

static void close_block(struct lc_replay *rp, bool complete, bool empty_claimed)
{
	if (!rp->blk.open)
		return;
	if (rp->blk.kind == LC_CP_STATS)
		close_stats(rp, complete);
	else
		close_dump(rp, complete, empty_claimed);
	rp->blk.open = false;
}

static void stats_line(struct lc_replay *rp, const struct lc_sevent *ev)
{
	char buf[64];
	if (ev->kind == LC_SEV_STATS_DEVICE) {
		rp->blk.have_dev = true;
		rp->blk.dev = ev->device;
		lc_grow((void **)&rp->blk.printed_devs, &rp->blk.capprinted, rp->blk.nprinted + 1, sizeof(int32_t));
		rp->blk.printed_devs[rp->blk.nprinted++] = ev->device;
		struct device *dv;
		HASH_FIND(hh, rp->devices, &ev->device, sizeof ev->device, dv);
		if (!dv || (dv->count == 0 && dev_total(dv) == 0))
			diff(rp, "device %d printed, but the replay has nothing on it", (int)ev->device);
		return;
	}
	if (ev->kind == LC_SEV_STATS_ACTIVE) {
		if (ev->value != rp->live)
			diff(rp, "Active allocations: server %llu, replay %llu", (unsigned long long)ev->value,
			     (unsigned long long)rp->live);
		close_block(rp, true, false);
		return;
	}
	if (!rp->blk.have_dev) {
		diff(rp, "statistics line outside a device");
		return;
	}
	struct device *dv = device_get(rp, rp->blk.dev);
	if (ev->kind == LC_SEV_STATS_BUFFERS) {
		if (ev->value != dv->count)
			diff(rp, "device %d Buffers: server %llu, replay %llu", (int)rp->blk.dev,
			     (unsigned long long)ev->value, (unsigned long long)dv->count);
		return;
	}
	static const char *const what[] = { "DRAM", "L1", "Total" };
	uint64_t v = ev->which == 0 ? dv->bucket[B_DRAM] : ev->which == 1 ? dv->bucket[B_L1] : dev_total(dv);
	if (ev->has_bytes && ev->size != v)
		diff(rp, "device %d %s: server %llu bytes, replay %llu", (int)rp->blk.dev, what[ev->which],
		     (unsigned long long)ev->size, (unsigned long long)v);
	if (ev->num1.n && !g_equal(ev->num1, (double)v / 1024.0, buf, sizeof buf))
		diff(rp, "device %d %s: server %.*s KB, replay %s KB", (int)rp->blk.dev, what[ev->which],
		     (int)ev->num1.n, ev->num1.p, buf);
}

static void dump_title(struct lc_replay *rp, uint32_t input, uint64_t line)
{
	struct lc_server_model *m = M(rp);
	m->events.dumps++;
	rp->dump_counter++;
	open_checkpoint(rp, LC_CP_DUMP, input, line);
	struct entry *e;
	FOR_EACH_LIVE(rp, i, e)
		tally_add(rp, &dt_get(&rp->blk.agg, e->device, e->type)->t[0], e->size);
	bool take = rp->cfg.at_dump ? rp->cfg.at_dump == rp->dump_counter : true;
	if (!take || rp->lc.done)
		return;
	dt_free(&rp->lc.rows);
	dumpsizes_clear(rp);
	rp->lc.active = true;
	rp->lc.input = input;
	rp->lc.line = line;
	rp->lc.index = rp->dump_counter;
	rp->lc.run = m->runs;
	/* Entries flagged by an earlier dump and ended since have had their flag cleared. */
	FOR_EACH_LIVE(rp, i, e) {
		e->in_dump = true;
		tally_add(rp, &dt_get(&rp->lc.rows, e->device, e->type)->t[LC_AT_DUMP], e->size);
	}
}

static void dump_line(struct lc_replay *rp, const struct lc_sevent *ev)
{
	char buf[64];
	struct block *b = &rp->blk;
	switch (ev->kind) {
	case LC_SEV_DUMP_TRACKED:
		if (ev->value != rp->live)
			diff(rp, "Total tracked allocations: server %llu, replay %llu", (unsigned long long)ev->value,
			     (unsigned long long)rp->live);
		break;
	case LC_SEV_DUMP_DEVICE:
		dump_finish_type(rp);
		b->have_dev = true;
		b->dev = ev->device;
		break;
	case LC_SEV_DUMP_TYPE: {
		dump_finish_type(rp);
		if (!b->have_dev) {
			diff(rp, "type line outside a device");
			break;
		}
		uint32_t t = type_id(rp, ev->type);
		b->have_type = true;
		b->type = t;
		struct dtagg *a = dt_find(b->agg, b->dev, t);
		if (!a) {
			diff(rp, "device %d %.*s: server %llu buffers, replay has none", (int)b->dev, (int)ev->type.n,
			     ev->type.p, (unsigned long long)ev->value);
			break;
		}
		a->printed = true;
		if (ev->value != a->t[0].buffers)
			diff(rp, "device %d %s: server %llu buffers, replay %llu", (int)b->dev, type_str(rp, t),
			     (unsigned long long)ev->value, (unsigned long long)a->t[0].buffers);
		if (!g_equal(ev->num1, (double)a->t[0].bytes / 1048576.0, buf, sizeof buf))
			diff(rp, "device %d %s: server %.*s MB, replay %s MB", (int)b->dev, type_str(rp, t),
			     (int)ev->num1.n, ev->num1.p, buf);
		break;
	}
	case LC_SEV_DUMP_BUFFER: {
		if (!b->have_type) {
			diff(rp, "buffer line outside a type");
			break;
		}
		struct dtagg *a = dt_find(b->agg, b->dev, b->type);
		if (a)
			a->listed++;
		struct entry *e = entry_find(rp, b->dev, ev->id);
		if (!e || !e->live) {
			diff(rp, "device %d buffer 0x%llx: listed by the server, not live in the replay", (int)b->dev,
			     (unsigned long long)ev->id);
			break;
		}
		if (e->type != b->type)
			diff(rp, "device %d buffer 0x%llx: listed as %s, replay has %s", (int)b->dev,
			     (unsigned long long)ev->id, type_str(rp, b->type), type_str(rp, e->type));
		if (!g_equal(ev->num1, (double)e->size / 1024.0, buf, sizeof buf))
			diff(rp, "device %d buffer 0x%llx: server %.*s KB, replay %s KB", (int)b->dev,
			     (unsigned long long)ev->id, (int)ev->num1.n, ev->num1.p, buf);
		if (ev->pid != e->owner)
			diff(rp, "device %d buffer 0x%llx: server PID %d, replay %d", (int)b->dev,
			     (unsigned long long)ev->id, (int)ev->pid, (int)e->owner);
		if (ev->ref_count != e->ref)
			diff(rp, "device %d buffer 0x%llx: server ref_count %d, replay %d", (int)b->dev,
			     (unsigned long long)ev->id, (int)ev->ref_count, (int)e->ref);
		break;
	}
	case LC_SEV_DUMP_EMPTY:
		if (rp->live)
			diff(rp, "server printed no buffers remaining, replay has %llu", (unsigned long long)rp->live);
		close_block(rp, true, true);
		break;
	case LC_SEV_DUMP_TOTAL:
		if (ev->value != rp->live)
			diff(rp, "Total remaining buffers: server %llu, replay %llu", (unsigned long long)ev->value,
			     (unsigned long long)rp->live);
		close_block(rp, true, false);
		break;
	default:
		break;
	}
}

/* ---------- runs ---------- */

static struct dtagg **dt_sorted(struct lc_replay *rp, struct dtagg *tab, size_t *n);

/* Remaining's device rows (devices ascending, types in report order) from (device, type) aggregates. */
static void devices_from(struct lc_replay *rp, struct dtagg *tab, struct lc_device_remaining **out, size_t *nout)
{
	struct lc_server_model *m = M(rp);
	size_t n;
	struct dtagg **v = dt_sorted(rp, tab, &n);
	for (size_t i = 0; i < n; i++) {
		if (!*nout || (*out)[*nout - 1].device != v[i]->k.device) {
			*out = lc_xrealloc(*out, (*nout + 1) * sizeof **out);
			(*out)[(*nout)++] = (struct lc_device_remaining){ .device = v[i]->k.device };
		}
		struct lc_device_remaining *d = &(*out)[*nout - 1];
		d->types = lc_xrealloc(d->types, (d->ntypes + 1) * sizeof *d->types);
		d->types[d->ntypes++] = (struct lc_type_tally){ type_str(rp, v[i]->k.type), v[i]->t[0] };
		d->t.buffers += v[i]->t[0].buffers;
		d->t.bytes = lc_add_sat(d->t.bytes, v[i]->t[0].bytes, &m->saturated);
	}
	free(v);
}

/*
 * Records what was live when the current run ended (by_restart: a start banner ended it, else
 * the input did). After a restart, the run's allocated keys join the earlier-run set that
 * tells after_restart from never_seen.
 */
static void run_close(struct lc_replay *rp, bool by_restart)
{
	struct lc_server_model *m = M(rp);
	struct lc_run_info *r = cur_run(rp);
	if (!r || rp->run_recorded)
		return;
	rp->run_recorded = true;
	r->ended_by_restart = by_restart;
	struct dtagg *tab = NULL;
	struct entry *e;
	FOR_EACH_LIVE(rp, i, e) {
		tally_add(rp, &dt_get(&tab, e->device, e->type)->t[0], e->size);
		tally_add(rp, &r->live, e->size);
	}
	devices_from(rp, tab, &r->devices, &r->ndevices);
	dt_free(&tab);
	if (!by_restart)
		return;
	m->live_at_restarts.buffers += r->live.buffers;
	m->live_at_restarts.bytes = lc_add_sat(m->live_at_restarts.bytes, r->live.bytes, &m->saturated);
	for (uint32_t i = 0; i < rp->keys.n; i++) {
		const struct entry *k = ent(rp, i);
		if (k->allocs)
			prior_add(&rp->prior, k->device, k->address);
	}
}

uint64_t lc_server_run_of(const struct lc_server_model *m, uint32_t input, uint64_t line)
{
	uint64_t lo = 0, hi = m->runs; /* the answer is the count of runs starting at or before (input, line) */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		const struct lc_run_info *r = &m->run_list[mid];
		if (r->input < input || (r->input == input && r->line <= line))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void count_still_live(struct lc_replay *rp)
{
	struct entry *e;
	FOR_EACH_LIVE(rp, i, e) {
		if (e->in_dump)
			lifecycle_count(rp, e, LC_STILL);
	}
}

static void end_run(struct lc_replay *rp, bool by_restart)
{
	close_block(rp, false, false);
	if (rp->lc.active && !rp->lc.done) {
		count_still_live(rp);
		if (rp->cfg.at_dump)
			rp->lc.done = true;
	}
	if (rp->run_open)
		run_close(rp, by_restart);
	dumpsizes_clear(rp);
	keys_clear(rp);
	free(rp->owners.slots);
	memset(&rp->owners, 0, sizeof rp->owners);
	struct device *dv, *dtmp;
	HASH_ITER(hh, rp->devices, dv, dtmp) {
		HASH_DEL(rp->devices, dv);
		free(dv);
	}
	memset(rp->device_small, 0, sizeof rp->device_small);
	rp->live = 0;
	rp->run_open = false;
	rp->enh = false;
	rp->reuse_pending = false;
}

/* A run starts at (input, line): a start banner (banner true), or the first state-changing line. */
static void start_run(struct lc_replay *rp, bool enh, uint32_t input, uint64_t line, bool banner)
{
	struct lc_server_model *m = M(rp);
	if (rp->run_open)
		end_run(rp, true);
	if (!rp->cfg.at_dump) {
		rp->lc.active = false;
		dt_free(&rp->lc.rows);
	}
	rp->run_open = true;
	rp->enh = enh;
	rp->version = rp->pending_version;
	rp->pending_version = 0;
	lc_grow((void **)&m->run_list, &rp->caprun, m->runs + 1, sizeof *m->run_list);
	m->run_list[m->runs++] = (struct lc_run_info){ .input = input, .line = line, .banner = banner };
	rp->run_recorded = false;
}

/* ---------- events ---------- */

static void apply_alloc(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	struct lc_server_model *m = M(rp);
	uint32_t t = type_id(rp, ev->type);
	uint32_t idx;
	struct entry *e = entry_get(rp, ev->device, ev->id, &idx);
	count_inc(rp, &e->allocs);
	e->last_type = t;
	e->has_type = true;
	entry_sets_add(e, ev->size, ev->pid);
	bool replace_size = rp->enh || rp->reuse_pending;
	rp->reuse_pending = false;
	if (ev->ref_count == 0) {
		m->events.alloc++;
		if (e->live) {
			INCONS(rp, input, line, "device %d buffer 0x%llx allocated as new while the replay holds it live",
			       (int)ev->device, (unsigned long long)ev->id);
			entry_remove(rp, e, END_FINAL);
		}
		entry_create(rp, e, idx, ev, t, 1, input, line);
		return;
	}
	m->events.alloc_ref++;
	if (!e->live) {
		INCONS(rp, input, line, "device %d buffer 0x%llx: ref_count=%d allocation of a key the replay does not hold",
		       (int)ev->device, (unsigned long long)ev->id, (int)ev->ref_count);
		entry_create(rp, e, idx, ev, t, ev->ref_count, input, line);
		return;
	}
	if (ev->ref_count != e->ref + 1)
		INCONS(rp, input, line, "device %d buffer 0x%llx: server ref_count=%d, replay expected %d",
		       (int)ev->device, (unsigned long long)ev->id, (int)ev->ref_count, (int)e->ref + 1);
	e->ref = ev->ref_count;
	if (replace_size && e->size != ev->size) {
		dump_size_keep(rp, e, idx);
		e->size = ev->size; /* the enhanced server replaces the size and leaves its statistics */
	}
}

static void apply_free(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	struct lc_server_model *m = M(rp);
	if (ev->final)
		m->events.free_final++;
	else
		m->events.free_ref++;
	uint32_t idx;
	struct entry *e = entry_get(rp, ev->device, ev->id, &idx);
	count_inc(rp, &e->frees);
	if (!e->live) {
		INCONS(rp, input, line, "device %d buffer 0x%llx freed, but the replay does not hold it",
		       (int)ev->device, (unsigned long long)ev->id);
		return;
	}
	if (ev->pid != e->owner || ev->size != e->size)
		INCONS(rp, input, line, "device %d buffer 0x%llx: free printed PID %d, %llu bytes; replay has PID %d, %llu bytes",
		       (int)ev->device, (unsigned long long)ev->id, (int)ev->pid, (unsigned long long)ev->size,
		       (int)e->owner, (unsigned long long)e->size);
	if (ev->final) {
		if (e->ref != 1)
			INCONS(rp, input, line, "device %d buffer 0x%llx: FINAL free while the replay has ref_count %d",
			       (int)ev->device, (unsigned long long)ev->id, (int)e->ref);
		entry_remove(rp, e, END_FINAL);
		return;
	}
	if (ev->ref_count != e->ref - 1)
		INCONS(rp, input, line, "device %d buffer 0x%llx: server ref_count=%d remaining, replay expected %d",
		       (int)ev->device, (unsigned long long)ev->id, (int)ev->ref_count, (int)e->ref - 1);
	e->ref = ev->ref_count;
}

enum { CAUSE_NEVER_SEEN, CAUSE_AFTER_FINAL, CAUSE_AFTER_CLEANUP, CAUSE_AFTER_RESTART };

/* Counts an unknown free of the current run, over all runs and in the run. */
static void count_unknown(struct lc_replay *rp, int cause)
{
	struct lc_server_model *m = M(rp);
	struct lc_unknown_causes *u = &cur_run(rp)->unknown; /* an unknown free is a state line: a run is open */
	m->events.free_unknown++;
	m->unknown_count++;
	u->count++;
	switch (cause) {
	case CAUSE_AFTER_FINAL: m->after_final_free++; u->after_final_free++; break;
	case CAUSE_AFTER_CLEANUP: m->after_cleanup++; u->after_cleanup++; break;
	case CAUSE_AFTER_RESTART: m->after_restart++; u->after_restart++; break;
	default: m->never_seen++; u->never_seen++; break;
	}
}

static void apply_unknown(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	if (!ev->has_device) {
		count_unknown(rp, CAUSE_NEVER_SEEN);
		return;
	}
	struct udev *u;
	HASH_FIND(hh, rp->udevs, &ev->device, sizeof ev->device, u);
	if (!u) {
		u = lc_xcalloc(1, sizeof *u);
		u->device = ev->device;
		HASH_ADD(hh, rp->udevs, device, sizeof u->device, u);
	}
	u->count++;
	uint32_t idx;
	struct entry *e = entry_get(rp, ev->device, ev->id, &idx);
	count_inc(rp, &e->unknown_frees);
	/* How the key's latest entry in this run ended; with none in this run, whether an earlier run had one. */
	switch (e->ended) {
	case END_FINAL: count_unknown(rp, CAUSE_AFTER_FINAL); break;
	case END_CLEANUP: count_unknown(rp, CAUSE_AFTER_CLEANUP); break;
	default:
		count_unknown(rp, !e->allocs && prior_has(&rp->prior, ev->device, ev->id) ? CAUSE_AFTER_RESTART
											    : CAUSE_NEVER_SEEN);
		break;
	}
	if (e->live) {
		INCONS(rp, input, line, "device %d buffer 0x%llx: server reports an unknown free of a key the replay holds live",
		       (int)ev->device, (unsigned long long)ev->id);
		uint8_t ended = e->ended;
		entry_remove(rp, e, END_FINAL);
		e->ended = ended;
	}
}

static void apply_cleanup_pid(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	struct lc_server_model *m = M(rp);
	struct lc_cleanup_row row = { .pid = ev->pid, .input = input, .line = line };
	/* Each removal takes the head of the PID's list; the last one empties its slot. */
	while (rp->owners.slots) {
		uint32_t head = rp->owners.slots[owner_slot(&rp->owners, ev->pid)].head;
		if (head == NIL)
			break;
		struct entry *e = ent(rp, head);
		tally_add(rp, &row.t, e->size);
		m->events.cleanup_removed++;
		entry_remove(rp, e, END_CLEANUP);
	}
	struct lc_run_info *r = cur_run(rp);
	r->cleanup.buffers += row.t.buffers;
	r->cleanup.bytes = lc_add_sat(r->cleanup.bytes, row.t.bytes, &m->saturated);
	lc_grow((void **)&m->cleanup, &rp->capcleanup, m->ncleanup + 1, sizeof *m->cleanup);
	m->cleanup[m->ncleanup] = row;
	rp->cleanup_cur = m->ncleanup++;
	rp->cleanup_cur_valid = true;
}

static void apply_cleanup_removed(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	if (ev->which != 0)
		return; /* CB and kernel removals: their per-device totals are not printed here */
	struct lc_server_model *m = M(rp);
	if (!rp->cleanup_cur_valid || m->cleanup[rp->cleanup_cur].pid != ev->pid) {
		INCONS(rp, input, line, "cleanup: \"Removed\" line for PID %d without its \"is dead\" line", (int)ev->pid);
		return;
	}
	struct lc_cleanup_row *row = &m->cleanup[rp->cleanup_cur];
	char buf[64];
	row->printed = true;
	row->printed_buffers = ev->value;
	snprintf(row->printed_mb, sizeof row->printed_mb, "%.*s", (int)ev->num1.n, ev->num1.p);
	/* buf is printed below whichever figure disagrees: always fill it */
	bool mb_agrees = g_equal(ev->num1, (double)row->t.bytes / 1048576.0, buf, sizeof buf);
	row->agrees = ev->value == row->t.buffers && mb_agrees;
	if (!row->agrees)
		INCONS(rp, input, line, "cleanup of PID %d: server removed %llu buffers (%.*s MB), replay %llu (%s MB)",
		       (int)ev->pid, (unsigned long long)ev->value, (int)ev->num1.n, ev->num1.p,
		       (unsigned long long)row->t.buffers, buf);
}

static void apply_cb_kernel(struct lc_replay *rp, const struct lc_sevent *ev)
{
	struct lc_server_model *m = M(rp);
	struct device *dv = device_get(rp, ev->device);
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.*s", (int)(ev->num2.n < 63 ? ev->num2.n : 63), ev->num2.p);
	double total = strtod(tmp, NULL);
	if (total > 1e9)
		dv->wraps++;
	switch (ev->kind) {
	case LC_SEV_CB_ALLOC: m->events.cb_alloc++; break;
	case LC_SEV_CB_FREE: m->events.cb_free++; break;
	case LC_SEV_KERNEL_LOAD: m->events.kernel_load++; break;
	default: m->events.kernel_unload++; break;
	}
	if (ev->kind == LC_SEV_CB_ALLOC || ev->kind == LC_SEV_CB_FREE) {
		dv->cb_mb = total;
		dv->has_cb = true;
	} else {
		dv->kernel_mb = total;
		dv->has_kernel = true;
	}
}

static bool is_state_line(enum lc_sev_kind k)
{
	switch (k) {
	case LC_SEV_ALLOC:
	case LC_SEV_FREE:
	case LC_SEV_UNKNOWN_FREE:
	case LC_SEV_CB_ALLOC:
	case LC_SEV_CB_FREE:
	case LC_SEV_KERNEL_LOAD:
	case LC_SEV_KERNEL_UNLOAD:
	case LC_SEV_CLEANUP_BEGIN:
	case LC_SEV_CLEANUP_PID:
	case LC_SEV_STATS_BEGIN:
	case LC_SEV_DUMP_TITLE:
		return true;
	default:
		return false;
	}
}

void lc_replay_prefetch(const struct lc_replay *rp, const struct lc_sevent *ev)
{
	if (!rp->keys.slots || (ev->kind != LC_SEV_ALLOC && ev->kind != LC_SEV_FREE))
		return;
	__builtin_prefetch(&rp->keys.slots[(size_t)key_hash(ev->device, ev->id) & rp->keys.mask]);
}

void lc_replay_apply(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	if (rp->gave_up)
		return;
	if (ev->kind == LC_SEV_NONE || ev->kind == LC_SEV_DUMP_RECEIVED)
		return;
	if (ev->kind == LC_SEV_DETECT) {
		rp->pending_version = ev->version;
		return;
	}
	if (ev->kind == LC_SEV_BANNER) {
		start_run(rp, ev->enh, input, line, true);
		return;
	}
	if (is_state_line(ev->kind)) {
		if (rp->blk.open)
			close_block(rp, false, false);
		if (!rp->run_open)
			start_run(rp, false, input, line, false);
	}
	check_plausible(rp, ev, input, line);
	if (ev->kind == LC_SEV_CLEANUP_BEGIN)
		rp->cleanup_cur_valid = false;
	switch (ev->kind) {
	case LC_SEV_ALLOC: apply_alloc(rp, ev, input, line); break;
	case LC_SEV_FREE: apply_free(rp, ev, input, line); break;
	case LC_SEV_UNKNOWN_FREE: apply_unknown(rp, ev, input, line); break;
	case LC_SEV_REUSE_SIZE: rp->reuse_pending = true; break;
	case LC_SEV_CB_ALLOC:
	case LC_SEV_CB_FREE:
	case LC_SEV_KERNEL_LOAD:
	case LC_SEV_KERNEL_UNLOAD: apply_cb_kernel(rp, ev); break;
	case LC_SEV_CLEANUP_BEGIN: break;
	case LC_SEV_CLEANUP_PID: apply_cleanup_pid(rp, ev, input, line); break;
	case LC_SEV_CLEANUP_REMOVED: apply_cleanup_removed(rp, ev, input, line); break;
	case LC_SEV_STATS_BEGIN:
		rp->m.events.stats_blocks++;
		open_checkpoint(rp, LC_CP_STATS, input, line);
		break;
	case LC_SEV_STATS_DEVICE:
	case LC_SEV_STATS_BUFFERS:
	case LC_SEV_STATS_BYTES:
	case LC_SEV_STATS_ACTIVE:
		if (rp->blk.open && rp->blk.kind == LC_CP_STATS)
			stats_line(rp, ev);
		break;
	case LC_SEV_DUMP_TITLE: dump_title(rp, input, line); break;
	case LC_SEV_DUMP_TRACKED:
	case LC_SEV_DUMP_DEVICE:
	case LC_SEV_DUMP_TYPE:
	case LC_SEV_DUMP_BUFFER:
	case LC_SEV_DUMP_EMPTY:
	case LC_SEV_DUMP_TOTAL:
		if (rp->blk.open && rp->blk.kind == LC_CP_DUMP)
			dump_line(rp, ev);
		break;
	case LC_SEV_DUMP_COMPLETE:
		if (rp->blk.open && rp->blk.kind == LC_CP_DUMP)
			close_block(rp, false, false);
		break;
	default:
		break;
	}
}

/* ---------- the model ---------- */

static const struct lc_replay *sort_ctx;

static int leak_cmp(const void *a, const void *b)
{
	const struct lc_leak *x = a, *y = b;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	if (x->device != y->device)
		return x->device < y->device ? -1 : 1;
	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	return 0;
}

static bool is_reused(const struct entry *e)
{
	return e->allocs > 1 || e->unknown_frees > 0;
}

static void reuse_fill(const void *src, uint32_t key, struct lc_reuse_row *r)
{
	const struct lc_replay *rp = src;
	const struct entry *e = ent(rp, key);
	*r = (struct lc_reuse_row){
		.device = e->device, .address = e->address,
		.type = e->has_type ? type_str(rp, e->last_type) : NULL,
		.allocs = e->allocs, .frees = e->frees, .unknown_frees = e->unknown_frees,
		/* lent: entries live until destroy */
		.sizes = e->nsizes > 1 ? e->sizes.many : &e->sizes.one, .nsizes = e->nsizes,
		.pids = e->npids > 1 ? e->pids.many : &e->pids.one, .npids = e->npids,
		.live_ref_count = e->live ? e->ref : 0,
	};
}

const struct lc_reuse_row *lc_reuse_at(const struct lc_server_model *m, size_t i, struct lc_reuse_row *buf)
{
	m->reuse_fill(m->reuse_src, m->reuse_keys[i], buf);
	return buf;
}

static int reuse_cmp(const void *a, const void *b)
{
	const struct entry *x = ent(sort_ctx, *(const uint32_t *)a), *y = ent(sort_ctx, *(const uint32_t *)b);
	int64_t nx = (int64_t)x->allocs - (int64_t)x->frees, ny = (int64_t)y->allocs - (int64_t)y->frees;
	if (nx != ny)
		return nx > ny ? -1 : 1;
	if (x->allocs != y->allocs)
		return x->allocs > y->allocs ? -1 : 1;
	if (x->device != y->device)
		return x->device < y->device ? -1 : 1;
	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	return 0;
}

static int dt_cmp(const void *a, const void *b)
{
	const struct dtagg *x = *(struct dtagg *const *)a, *y = *(struct dtagg *const *)b;
	if (x->k.device != y->k.device)
		return x->k.device < y->k.device ? -1 : 1;
	return type_cmp(sort_ctx, x->k.type, y->k.type);
}

static int udev_cmp(const void *a, const void *b)
{
	const struct lc_device_count *x = a, *y = b;
	return x->device < y->device ? -1 : x->device > y->device;
}

static int extra_cmp(const void *a, const void *b)
{
	const struct lc_device_extra *x = a, *y = b;
	return x->device < y->device ? -1 : x->device > y->device;
}

/* Returns the (device, type) aggregates of tab sorted by device, then type order. */
static struct dtagg **dt_sorted(struct lc_replay *rp, struct dtagg *tab, size_t *n)
{
	*n = HASH_COUNT(tab);
	struct dtagg **v = lc_xcalloc(*n ? *n : 1, sizeof *v);
	size_t i = 0;
	struct dtagg *a, *tmp;
	HASH_ITER(hh, tab, a, tmp) v[i++] = a;
	sort_ctx = rp;
	qsort(v, *n, sizeof *v, dt_cmp);
	return v;
}

static void build_remaining(struct lc_replay *rp)
{
	struct lc_server_model *m = M(rp);
	struct dtagg *tab = NULL;
	for (uint32_t i = 0; i < rp->keys.n; i++) {
		struct entry *e = ent(rp, i);
		if (!e->live)
			continue;
		tally_add(rp, &dt_get(&tab, e->device, e->type)->t[0], e->size);
		tally_add(rp, &m->remaining, e->size);
	}
	devices_from(rp, tab, &m->devices, &m->ndevices);
	dt_free(&tab);
}

static void build_lists(struct lc_replay *rp)
{
	struct lc_server_model *m = M(rp);
	m->leaks = lc_xcalloc(rp->live ? rp->live : 1, sizeof *m->leaks);
	size_t nreuse = 0;
	for (uint32_t i = 0; i < rp->keys.n; i++)
		nreuse += is_reused(ent(rp, i));
	rp->reuse_keys = lc_xcalloc(nreuse ? nreuse : 1, sizeof *rp->reuse_keys);
	for (uint32_t i = 0; i < rp->keys.n; i++) {
		struct entry *e = ent(rp, i);
		if (e->live)
			m->leaks[m->nleaks++] = (struct lc_leak){
				.device = e->device, .address = e->address, .type = type_str(rp, e->type),
				.size = e->size, .pid = e->owner, .ref_count = e->ref,
				.input = (uint32_t)(e->where >> WHERE_LINE_BITS),
				.line = e->where & ((1ull << WHERE_LINE_BITS) - 1), .site = -1,
			};
		if (is_reused(e))
			rp->reuse_keys[m->nreuse++] = i;
	}
	lc_sort_inplace(m->leaks, m->nleaks, sizeof *m->leaks, leak_cmp);
	sort_ctx = rp;
	qsort(rp->reuse_keys, m->nreuse, sizeof *rp->reuse_keys, reuse_cmp);
	m->reuse_keys = rp->reuse_keys;
	m->reuse_src = rp;
	m->reuse_fill = reuse_fill;

	m->nunknown_by_device = HASH_COUNT(rp->udevs);
	m->unknown_by_device = lc_xcalloc(m->nunknown_by_device ? m->nunknown_by_device : 1,
					  sizeof *m->unknown_by_device);
	size_t i = 0;
	struct udev *u, *utmp;
	HASH_ITER(hh, rp->udevs, u, utmp) m->unknown_by_device[i++] = (struct lc_device_count){ u->device, u->count };
	qsort(m->unknown_by_device, m->nunknown_by_device, sizeof *m->unknown_by_device, udev_cmp);

	struct device *dv, *dtmp;
	m->extras = lc_xcalloc(HASH_COUNT(rp->devices) + 1, sizeof *m->extras);
	HASH_ITER(hh, rp->devices, dv, dtmp) {
		if (dv->has_cb || dv->has_kernel)
			m->extras[m->nextras++] = (struct lc_device_extra){ dv->device, dv->cb_mb, dv->kernel_mb,
									    dv->has_cb, dv->has_kernel, dv->wraps };
	}
	qsort(m->extras, m->nextras, sizeof *m->extras, extra_cmp);
}

static void build_lifecycle(struct lc_replay *rp)
{
	struct lc_server_model *m = M(rp);
	if (!rp->lc.active)
		return;
	struct lc_lifecycle *l = lc_xcalloc(1, sizeof *l);
	l->input = rp->lc.input;
	l->line = rp->lc.line;
	l->dump_index = rp->lc.index;
	l->run = rp->lc.run;
	size_t n;
	struct dtagg **v = dt_sorted(rp, rp->lc.rows, &n);
	l->rows = lc_xcalloc(n ? n : 1, sizeof *l->rows);
	struct lc_tally *tot[4] = { &l->at_dump, &l->freed_later, &l->removed_by_cleanup, &l->still_live };
	for (size_t i = 0; i < n; i++) {
		struct lc_lifecycle_row *r = &l->rows[l->nrows++];
		r->device = v[i]->k.device;
		r->type = type_str(rp, v[i]->k.type);
		for (int j = 0; j < 4; j++) {
			r->t[j] = v[i]->t[j];
			tot[j]->buffers += v[i]->t[j].buffers;
			tot[j]->bytes = lc_add_sat(tot[j]->bytes, v[i]->t[j].bytes, &m->saturated);
		}
	}
	free(v);
	m->lifecycle = l;
}

struct lc_server_model *lc_replay_finish(struct lc_replay *rp)
{
	close_block(rp, false, false);
	/* Entries of the chosen dump that are live now are still live at the end. */
	if (rp->lc.active && !rp->lc.done) {
		count_still_live(rp);
		rp->lc.done = true;
	}
	rp->m.distinct_keys = rp->keys.n;
	run_close(rp, false);
	build_remaining(rp);
	build_lists(rp);
	build_lifecycle(rp);
	return &rp->m;
}

static void free_notes(struct lc_note *n, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(n[i].text);
	free(n);
}

void lc_replay_destroy(struct lc_replay *rp)
{
	if (!rp)
		return;
	rp->cfg.at_dump = 1; /* keep end_run from touching the finished lifecycle */
	rp->lc.done = true;
	end_run(rp, false);
	struct udev *u, *utmp;
	HASH_ITER(hh, rp->udevs, u, utmp) {
		HASH_DEL(rp->udevs, u);
		free(u);
	}
	dt_free(&rp->lc.rows);
	dt_free(&rp->blk.agg);
	free(rp->blk.printed_devs);
	for (size_t i = 0; i < rp->nother; i++)
		free(rp->other_types[i]);
	free(rp->other_types);
	struct lc_server_model *m = &rp->m;
	for (size_t i = 0; i < m->ndevices; i++)
		free(m->devices[i].types);
	free(m->devices);
	for (size_t r = 0; r < m->runs; r++) {
		for (size_t i = 0; i < m->run_list[r].ndevices; i++)
			free(m->run_list[r].devices[i].types);
		free(m->run_list[r].devices);
	}
	free(m->run_list);
	free(rp->prior.slots);
	free(m->leaks);
	free(rp->reuse_keys);
	free(m->unknown_by_device);
	free(m->cleanup);
	for (size_t i = 0; i < m->ncheckpoints; i++) {
		for (size_t j = 0; j < m->checkpoints[i].ndiffs; j++)
			free(m->checkpoints[i].diffs[j]);
		free(m->checkpoints[i].diffs);
	}
	free(m->checkpoints);
	if (m->lifecycle)
		free(m->lifecycle->rows);
	free(m->lifecycle);
	free(m->extras);
	free_notes(m->inconsistencies, m->ninconsistencies);
	free_notes(m->implausible, m->nimplausible);
	free(rp);
}

bool lc_replay_failed(const struct lc_replay *rp)
{
	return rp->gave_up;
}
