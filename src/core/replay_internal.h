/* SPDX-License-Identifier: MIT */
/*
 * Private to the replay (src/core/replay*.c, keys.c, checkpoint.c): its state, the hot-path key
 * index as inline functions, and the functions the files share. Nothing outside the replay
 * includes it; the public contract is lc/replay.h.
 */
#ifndef LC_CORE_REPLAY_INTERNAL_H
#define LC_CORE_REPLAY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/hash.h"
#include "lc/index.h"
#include "lc/intern.h"
#include "lc/replay.h"

/* Server statistics buckets (FORMATS.md 1.9): DRAM, L1, L1_SMALL (+SYSTEM_MEMORY), TRACE. */
enum { B_DRAM, B_L1, B_L1S, B_TRACE, NBUCKETS };

enum { END_NONE, END_FINAL, END_CLEANUP };

#define NIL UINT32_MAX

/*
 * One (device, address) key of the current run: its live entry and its history, 96 bytes.
 * Single sizes and PIDs (the common case) are held inline; more spill to a sorted array whose
 * capacity is the next power of two of its count. Owner lists link entries by index.
 */
struct entry {
	uint64_t address;
	uint64_t seq;                /* 1-based allocation ordinal in the run of the line that made it live */
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
	struct lc_index ix;          /* entry index by key hash */
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
 * Live entries by owner PID, so cleanup of one PID costs only its entries: an lc_index whose id
 * for a PID is the head of a list linked through the entries (the head's owner is the key), so
 * a million PIDs cost 16 MB, not a record each. It starts at 64 slots (rp->owners.first).
 */
_Static_assert(NIL == LC_INDEX_NONE, "an empty owner list is an absent id");

#define SMALL_DEVICES 256

/* Per-device state of the current run: the server's own counters (wrapping, as the server's do). */
struct device {
	int32_t device;
	uint64_t bucket[NBUCKETS];
	uint64_t count;
	double cb_mb, kernel_mb;
	bool has_cb, has_kernel, printed;
	uint64_t wraps;
	struct lc_tally alloc[LC_NTYPES_KNOWN]; /* allocation lines that made an entry live, by known type */
	struct dtagg *alloc_other;   /* the same for other type names (owns; t[0]) */
	UT_hash_handle hh;
};

/* Unknown frees per device, over all runs. */
struct udev {
	int32_t device;
	uint64_t count;
	UT_hash_handle hh;
};

/* Unknown frees per PID of the line, over all runs: O(distinct PIDs), the first few lines each. */
struct upid {
	struct lc_unknown_group g;   /* g.pid is the key */
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

/* An entry of the lifecycle's dump: its key's index in the run, and its place in the list. */
struct lcref {
	uint32_t idx;
	uint32_t pos;
};

struct lifecycle {
	bool active, done;
	uint32_t input;
	uint64_t line, index, run;
	struct dtagg *rows;
	struct lc_leak *entries;     /* owns: the entries live at the dump, in the order taken */
	uint8_t *fates;              /* owns: enum lc_fate of each, 0 until it ends or the run does */
	struct lcref *refs;          /* owns: by idx ascending, to find an entry's place */
	size_t nentries;
};

/*
 * Keys that had an entry (were allocated) in an earlier run, for the after_restart cause:
 * 16 bytes per distinct key and its slot of the index (11 to 21 bytes), added when a restart
 * ends a run, never removed.
 */
struct priorkey {
	uint64_t address;
	int32_t device;
};

struct priortab {
	struct lc_index ix;          /* key ids by key_hash */
	struct priorkey *keys;       /* owned; by id */
	size_t n, cap;
};

struct lc_replay {
	struct lc_replay_config cfg;
	struct keytab keys;          /* the run's keys; the table owns the entries */
	struct priortab prior;       /* owns its keys; survives restarts */
	bool run_recorded;           /* the current run's lc_run_info has its end figures */
	size_t caprun;
	struct dumpsize *dumpsizes;  /* owns; entries of the lifecycle's dump resized since */
	struct lc_index owners;      /* live entries by owner PID: see lc_replay_owner_link */
	struct device *devices;      /* owns the device records */
	struct device *device_small[SMALL_DEVICES]; /* devices 0..255 without a hash lookup */
	struct udev *udevs;          /* owns; survives restarts */
	struct upid *upids;          /* owns; survives restarts */
	struct lc_unknown_group unknown_nopid; /* unknown frees whose line names no PID */
	uint64_t live;               /* live entries in the run */
	bool run_open, enh, reuse_pending;
	bool failed;                 /* gave up (too many type names): later events are ignored */
	int pending_version, version;
	struct lc_intern other_types; /* names of types beyond the five (id - TYPE_OTHER_BASE) */
	uint64_t dump_counter;
	uint64_t run_seq;            /* entries made live in the run so far (lc_run_info.allocations) */
	struct block blk;
	size_t cleanup_cur;
	bool cleanup_cur_valid;
	struct lifecycle lc;
	struct lc_server_model m;
	size_t capcleanup, capcp, capincons, capimpl;
	size_t capcleanup_entries, capcleanup_rows, capcleanup_splits;
	uint32_t *reuse_keys;        /* the reuse table's order */
	struct rtl *tl;              /* the timeline (replay_timeline.c) */
};

#define TYPE_OTHER_BASE 5u

/* Lifecycle columns: at the dump, freed since, removed by cleanup, still live at the end. */
enum { LC_AT_DUMP, LC_FREED, LC_CLEANED, LC_STILL };

static inline struct lc_server_model *M(struct lc_replay *rp)
{
	return &rp->m;
}

/* The run being replayed, NULL before the first. */
static inline struct lc_run_info *cur_run(struct lc_replay *rp)
{
	return rp->m.runs ? &rp->m.run_list[rp->m.runs - 1] : NULL;
}

static inline void tally_add(struct lc_replay *rp, struct lc_tally *t, uint64_t bytes)
{
	t->buffers++;
	t->bytes = lc_add_sat(t->bytes, bytes, &rp->m.saturated);
}

/* ---------- the key index (keys.c); inline, for every allocation and free looks a key up ---------- */

static inline uint64_t key_hash(int32_t dev, uint64_t addr)
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

/* A key sought in the index. */
struct keyq {
	const struct lc_replay *rp;
	int32_t dev;
	uint64_t addr;
};

static inline bool key_eq(const void *ctx, uint32_t idx)
{
	const struct keyq *q = ctx;
	const struct entry *e = ent(q->rp, idx);
	return e->address == q->addr && e->device == q->dev;
}

/* Finds or adds (dev, addr); *idx receives its index. */
static inline struct entry *entry_get(struct lc_replay *rp, int32_t dev, uint64_t addr, uint32_t *idx)
{
	struct keytab *t = &rp->keys;
	uint64_t h = key_hash(dev, addr);
	struct keyq q = { rp, dev, addr };
	size_t slot;
	uint32_t found = lc_index_find(&t->ix, h, key_eq, &q, &slot);
	if (found != LC_INDEX_NONE) {
		*idx = found;
		return ent(rp, found);
	}
	if (t->n >= NIL - 1)
		lc_oom();
	*idx = t->n++;
	if ((*idx & (PAGE_SIZE - 1)) == 0) {
		lc_grow((void **)&t->pages, &t->cappages, t->npages + 1, sizeof *t->pages);
		t->pages[t->npages++] = lc_xmalloc(PAGE_SIZE * sizeof(struct entry));
	}
	struct entry *e = ent(rp, *idx);
	memset(e, 0, sizeof *e);
	e->device = dev;
	e->address = addr;
	/* Load factor at most 3/4: the index costs 11 to 21 bytes per key. */
	lc_index_put(&t->ix, slot, h, *idx);
	return e;
}

static inline struct entry *ent_or_null(const struct lc_replay *rp, uint32_t idx)
{
	return idx == NIL ? NULL : ent(rp, idx);
}

/* Visits every live entry, through the owners: O(live), not O(keys ever seen). */
#define FOR_EACH_LIVE(rp, i, e) \
	for (size_t i = 0; (rp)->owners.slots && i <= (rp)->owners.mask; i++) \
		for (e = ent_or_null(rp, lc_index_id_at(&(rp)->owners, i)); e; e = ent_or_null(rp, e->onext))

/* Returns the entry of (dev, addr) in the current run, or NULL when the run has none. */
struct entry *lc_replay_entry_find(struct lc_replay *rp, int32_t dev, uint64_t addr);
/* Frees every entry of the run and the index; the table is empty after. */
void lc_replay_keys_clear(struct lc_replay *rp);
/* Adds (dev, addr) to the set of keys allocated in an earlier run; a present key is kept once. */
void lc_replay_prior_add(struct priortab *t, int32_t dev, uint64_t addr);
/* Returns true when (dev, addr) is in the earlier-run set. */
bool lc_replay_prior_has(const struct priortab *t, int32_t dev, uint64_t addr);
/* Adds an allocation's size and PID to e's sorted sets (arrays it owns past one element). */
void lc_replay_sets_add(struct entry *e, uint64_t size, int32_t pid);
/* Puts e (index idx), now live, at the head of its owner's list, adding the owner when new. */
void lc_replay_owner_link(struct lc_replay *rp, struct entry *e, uint32_t idx);
/* Before e stops being live: its owner's list forgets it; an owner with no live entry goes. */
void lc_replay_owner_unlink(struct lc_replay *rp, struct entry *e);
/* Returns the index of the most recently linked live entry of pid, or NIL when it has none. */
uint32_t lc_replay_owner_head(const struct lc_replay *rp, int32_t pid);

/* ---------- names, devices, aggregates (replay.c) ---------- */

/*
 * Returns the id of a buffer type name: the five known types by their enum, others interned.
 * Past MAX_TYPES names the replay fails (reported once): the id returned is then a valid one,
 * later events are ignored and lc_replay_failed() is true.
 */
uint32_t lc_replay_type_id(struct lc_replay *rp, struct lc_span name);
/* Returns the name of type id t, owned by the replay. */
const char *lc_replay_type_str(const struct lc_replay *rp, uint32_t t);
/* Orders type ids as reports do: the known types by enum, then others by name.
 * Returns <0, 0 or >0 like strcmp. */
int lc_replay_type_cmp(const struct lc_replay *rp, uint32_t a, uint32_t b);
/* Returns device d's record in the current run, creating it when new; the replay owns it. */
struct device *lc_replay_device_get(struct lc_replay *rp, int32_t d);
/* Returns the (dev, type) aggregate of *tab, adding a zeroed one when new; *tab owns it. */
struct dtagg *lc_replay_dt_get(struct dtagg **tab, int32_t dev, uint32_t type);
/* Returns the (dev, type) aggregate of tab, or NULL. */
struct dtagg *lc_replay_dt_find(struct dtagg *tab, int32_t dev, uint32_t type);
/* Frees every aggregate of *tab; *tab is NULL after. */
void lc_replay_dt_free(struct dtagg **tab);

/* ---------- runs (replay.c) ---------- */

/* Records what was live when the current run ended (by_restart: a start banner ended it). */
void lc_replay_run_close(struct lc_replay *rp, bool by_restart);
/* Ends the current run: closes its block and records it, then empties the run's tables. */
void lc_replay_end_run(struct lc_replay *rp, bool by_restart);

/* ---------- checkpoints: statistics blocks, dumps, the dump lifecycle (checkpoint.c) ---------- */

/* Opens a checkpoint of this kind at (input, line) in the model; the block collects its lines. */
void lc_replay_open_checkpoint(struct lc_replay *rp, enum lc_checkpoint_kind kind, uint32_t input, uint64_t line);
/* Closes the open block, if any (complete: its last line was seen; empty_claimed: "no buffers"). */
void lc_replay_close_block(struct lc_replay *rp, bool complete, bool empty_claimed);
/* Compares one line of an open statistics block with the replay. */
void lc_replay_stats_line(struct lc_replay *rp, const struct lc_sevent *ev);
/* A DUMP_REMAINING title: opens the dump's checkpoint and, when it is the chosen one, the lifecycle. */
void lc_replay_dump_title(struct lc_replay *rp, uint32_t input, uint64_t line);
/* Compares one line of an open dump with the replay. */
void lc_replay_dump_line(struct lc_replay *rp, const struct lc_sevent *ev);
/*
 * Formats value with %g into out (always filled, for a message) and compares it with the
 * server's printed figure (iostream defaults, i.e. printf's %g).
 * Returns true when they are the same text.
 */
bool lc_replay_g_equal(struct lc_span printed, double value, char *out, size_t outsz);
/* Forgets the dump sizes kept for the lifecycle's entries resized since their dump. */
void lc_replay_dumpsizes_clear(struct lc_replay *rp);
/* Before the enhanced server replaces the size of e (index idx): keeps its size at the dump. */
void lc_replay_dump_size_keep(struct lc_replay *rp, struct entry *e, uint32_t idx);
/* An entry of the lifecycle's dump (in_dump) ends or is counted at the end: column which. */
void lc_replay_lifecycle_count(struct lc_replay *rp, struct entry *e, int which);
/* Counts the lifecycle dump's entries that are live now as still live. */
void lc_replay_count_still_live(struct lc_replay *rp);
/* Frees the lifecycle's entry list (the model's copy is made by lc_replay_finish). */
void lc_replay_lifecycle_entries_clear(struct lc_replay *rp);
/* Returns the model record of an entry (site -1, match none), for the leak-shaped lists. */
struct lc_leak lc_replay_leak_of(const struct lc_replay *rp, const struct entry *e);

/* ---------- --address (replay_history.c): called only when cfg.history is set ---------- */

/* An allocation, free or unknown-free line of a wanted key: its event, with the state after it. */
void lc_replay_history_line(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line);
/* e (already removed) was removed by the cleanup of dead PID pid at (input, line). */
void lc_replay_history_removed(struct lc_replay *rp, const struct entry *e, int32_t pid, uint32_t input,
			       uint64_t line);
/* A start banner at (input, line) is about to end the current run: its live wanted keys are dropped. */
void lc_replay_history_restart(struct lc_replay *rp, uint32_t input, uint64_t line);

/* ---------- the model (finish.c) ---------- */

/* Appends device rows (devices ascending, types in report order) built from tab to *out. */
void lc_replay_devices_from(struct lc_replay *rp, struct dtagg *tab, struct lc_device_remaining **out,
			    size_t *nout);

/* ---------- the timeline (replay_timeline.c) ---------- */

enum lc_tl_mark_kind { LC_TLM_DUMP, LC_TLM_CLEANUP, LC_TLM_STATS };

/* Starts the timeline with at most points buckets per series (0: 512). */
void lc_replay_tl_create(struct lc_replay *rp, uint32_t points);
/* The line every change until the next call happens at: (input, line) of the stream. */
void lc_replay_tl_line(struct lc_replay *rp, uint32_t input, uint64_t line);
/* Entry e became live with size bytes (add), or went with them; every series moves. */
void lc_replay_tl_change(struct lc_replay *rp, const struct entry *e, uint64_t size, bool add);
/* Live entry e's size was replaced, from bytes to bytes. */
void lc_replay_tl_resize(struct lc_replay *rp, const struct entry *e, uint64_t from, uint64_t to);
/* A start banner ends the run: marks it, and every live entry goes at its line. */
void lc_replay_tl_restart(struct lc_replay *rp);
/* A dump title, a cleanup line or a statistics block (with its clock) at the current line. */
void lc_replay_tl_mark(struct lc_replay *rp, enum lc_tl_mark_kind kind);
/* Ends the timeline with the stream, works out what was live at the peaks and hands the model
 * its timeline (m.timeline, m.peak_entries). Call while the last run's entries are live. */
void lc_replay_tl_finish(struct lc_replay *rp);
/* Frees the timeline (and its model when lc_replay_tl_finish did not hand it over). */
void lc_replay_tl_destroy(struct lc_replay *rp);

#endif
