// SPDX-License-Identifier: MIT
// Replay of the allocation server: the state machine over events, live entries, runs, the dump lifecycle.
#include "lc/replay.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

struct lc_replay *lc_replay_create(const struct lc_replay_config *cfg)
{
	struct lc_replay *rp = lc_xcalloc(1, sizeof *rp);
	rp->cfg = *cfg;
	if (!rp->cfg.max_notes)
		rp->cfg.max_notes = 20;
	rp->owners.first = 64;
	lc_replay_tl_create(rp, cfg->timeline_points);
	return rp;
}

/* ---------- names and ordering ---------- */

uint32_t lc_replay_type_id(struct lc_replay *rp, struct lc_span name)
{
	enum lc_btype t = lc_type_from_name(name);
	if (t != LC_TYPE_OTHER)
		return (uint32_t)t;
	uint32_t id = lc_intern_find(&rp->other_types, name);
	if (id != LC_INDEX_NONE)
		return TYPE_OTHER_BASE + id;
	if (lc_intern_count(&rp->other_types) >= MAX_TYPES - TYPE_OTHER_BASE) {
		/* The entry holds a type id in 27 bits. The replay stops here, as at a truncated input:
		 * the caller reports what was applied and fails (lc_replay_failed). */
		if (!rp->failed)
			lc_error("more than %u distinct buffer type names; giving up", MAX_TYPES - TYPE_OTHER_BASE);
		rp->failed = true;
		return TYPE_OTHER_BASE;
	}
	return TYPE_OTHER_BASE + lc_intern_put(&rp->other_types, name);
}

const char *lc_replay_type_str(const struct lc_replay *rp, uint32_t t)
{
	if (t < TYPE_OTHER_BASE)
		return lc_type_name((enum lc_btype)t);
	return lc_intern_str(&rp->other_types, t - TYPE_OTHER_BASE);
}

int lc_replay_type_cmp(const struct lc_replay *rp, uint32_t a, uint32_t b)
{
	if (a < TYPE_OTHER_BASE || b < TYPE_OTHER_BASE)
		return a < b ? -1 : a > b;
	return strcmp(lc_replay_type_str(rp, a), lc_replay_type_str(rp, b));
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
	va_list ap;
	va_start(ap, fmt);
	lc_grow((void **)arr, cap, *n + 1, sizeof **arr);
	(*arr)[*n] = (struct lc_note){ input, line, lc_note_vformat(fmt, ap) };
	va_end(ap);
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

struct device *lc_replay_device_get(struct lc_replay *rp, int32_t d)
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

static void count_inc(struct lc_replay *rp, uint32_t *c)
{
	if (*c == UINT32_MAX)
		rp->m.saturated = true;
	else
		(*c)++;
}

struct dtagg *lc_replay_dt_get(struct dtagg **tab, int32_t dev, uint32_t type)
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

struct dtagg *lc_replay_dt_find(struct dtagg *tab, int32_t dev, uint32_t type)
{
	struct dtkey k;
	memset(&k, 0, sizeof k);
	k.device = dev;
	k.type = type;
	struct dtagg *a;
	HASH_FIND(hh, tab, &k, sizeof k, a);
	return a;
}

void lc_replay_dt_free(struct dtagg **tab)
{
	struct dtagg *a, *tmp;
	HASH_ITER(hh, *tab, a, tmp) {
		HASH_DEL(*tab, a);
		free(a);
	}
}

/* ---------- live entries ---------- */

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
	e->seq = ++rp->run_seq;
	lc_replay_owner_link(rp, e, idx);
	struct device *dv = lc_replay_device_get(rp, e->device);
	tally_add(rp, type < LC_NTYPES_KNOWN ? &dv->alloc[type] : &lc_replay_dt_get(&dv->alloc_other, e->device, type)->t[0],
		  e->size);
	int b = bucket_of(type);
	if (b >= 0)
		dv->bucket[b] += e->size;
	dv->count++;
	rp->live++;
	lc_replay_tl_change(rp, e, e->size, true);
}

static void entry_remove(struct lc_replay *rp, struct entry *e, uint8_t how)
{
	lc_replay_tl_change(rp, e, e->size, false);
	struct device *dv = lc_replay_device_get(rp, e->device);
	int b = bucket_of(e->type);
	if (b >= 0)
		dv->bucket[b] -= e->size;
	dv->count--;
	rp->live--;
	lc_replay_owner_unlink(rp, e);
	e->live = false;
	e->ended = how;
	if (e->in_dump)
		lc_replay_lifecycle_count(rp, e, how == END_CLEANUP ? LC_CLEANED : LC_FREED);
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

/* The run's allocation lines by type, and the devices that had one, from the device records. */
static void run_allocations(struct lc_replay *rp, struct lc_run_info *r)
{
	struct dtagg *bytype = NULL; /* device 0 for every row: by type only */
	size_t ndev = HASH_COUNT(rp->devices);
	r->alloc_devices = lc_xcalloc(ndev ? ndev : 1, sizeof *r->alloc_devices);
	r->allocations = rp->run_seq;
	struct device *dv, *dtmp;
	HASH_ITER(hh, rp->devices, dv, dtmp) {
		bool any = dv->alloc_other != NULL;
		for (uint32_t t = 0; t < LC_NTYPES_KNOWN; t++) {
			if (!dv->alloc[t].buffers)
				continue;
			any = true;
			struct lc_tally *to = &lc_replay_dt_get(&bytype, 0, t)->t[0];
			to->buffers += dv->alloc[t].buffers;
			to->bytes = lc_add_sat(to->bytes, dv->alloc[t].bytes, &rp->m.saturated);
		}
		struct dtagg *a, *atmp;
		HASH_ITER(hh, dv->alloc_other, a, atmp) {
			struct lc_tally *to = &lc_replay_dt_get(&bytype, 0, a->k.type)->t[0];
			to->buffers += a->t[0].buffers;
			to->bytes = lc_add_sat(to->bytes, a->t[0].bytes, &rp->m.saturated);
		}
		if (any)
			r->alloc_devices[r->nalloc_devices++] = dv->device;
	}
	qsort(r->alloc_devices, r->nalloc_devices, sizeof *r->alloc_devices, cmp_i32);
	struct lc_device_remaining *rows = NULL;
	size_t nrows = 0;
	lc_replay_devices_from(rp, bytype, &rows, &nrows);
	if (nrows) {
		r->alloc_by_type = rows[0].types;
		r->nalloc_by_type = rows[0].ntypes;
	}
	free(rows);
	lc_replay_dt_free(&bytype);
}

/*
 * Records what was live when the current run ended (by_restart: a start banner ended it, else
 * the input did). After a restart, the run's allocated keys join the earlier-run set that
 * tells after_restart from never_seen.
 */
void lc_replay_run_close(struct lc_replay *rp, bool by_restart)
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
		tally_add(rp, &lc_replay_dt_get(&tab, e->device, e->type)->t[0], e->size);
		tally_add(rp, &r->live, e->size);
	}
	lc_replay_devices_from(rp, tab, &r->devices, &r->ndevices);
	lc_replay_dt_free(&tab);
	run_allocations(rp, r);
	if (!by_restart)
		return;
	m->live_at_restarts.buffers += r->live.buffers;
	m->live_at_restarts.bytes = lc_add_sat(m->live_at_restarts.bytes, r->live.bytes, &m->saturated);
	for (uint32_t i = 0; i < rp->keys.n; i++) {
		const struct entry *k = ent(rp, i);
		if (k->allocs)
			lc_replay_prior_add(&rp->prior, k->device, k->address);
	}
}

void lc_replay_end_run(struct lc_replay *rp, bool by_restart)
{
	lc_replay_close_block(rp, false, false);
	if (rp->lc.active && !rp->lc.done) {
		lc_replay_count_still_live(rp);
		if (rp->cfg.at_dump)
			rp->lc.done = true;
	}
	if (rp->run_open)
		lc_replay_run_close(rp, by_restart);
	lc_replay_dumpsizes_clear(rp);
	lc_replay_keys_clear(rp);
	lc_index_release(&rp->owners);
	struct device *dv, *dtmp;
	HASH_ITER(hh, rp->devices, dv, dtmp) {
		HASH_DEL(rp->devices, dv);
		lc_replay_dt_free(&dv->alloc_other);
		free(dv);
	}
	memset(rp->device_small, 0, sizeof rp->device_small);
	rp->live = 0;
	rp->run_seq = 0;
	rp->run_open = false;
	rp->enh = false;
	rp->reuse_pending = false;
}

/* A run starts at (input, line): a start banner (banner true), or the first state-changing line. */
static void start_run(struct lc_replay *rp, bool enh, uint32_t input, uint64_t line, bool banner)
{
	struct lc_server_model *m = M(rp);
	if (rp->run_open) {
		if (__builtin_expect(rp->cfg.history != NULL, 0))
			lc_replay_history_restart(rp, input, line);
		lc_replay_tl_restart(rp);
		lc_replay_end_run(rp, true);
	}
	if (!rp->cfg.at_dump) {
		rp->lc.active = false;
		lc_replay_dt_free(&rp->lc.rows);
		lc_replay_lifecycle_entries_clear(rp);
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
	uint32_t t = lc_replay_type_id(rp, ev->type);
	uint32_t idx;
	struct entry *e = entry_get(rp, ev->device, ev->id, &idx);
	count_inc(rp, &e->allocs);
	e->last_type = t;
	e->has_type = true;
	lc_replay_sets_add(e, ev->size, ev->pid);
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
		lc_replay_dump_size_keep(rp, e, idx);
		lc_replay_tl_resize(rp, e, e->size, ev->size);
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

/* True when an allocation line of device d made an entry live earlier in the current run. */
static bool device_had_alloc(struct lc_replay *rp, int32_t d)
{
	struct device *dv = d >= 0 && d < SMALL_DEVICES ? rp->device_small[d] : NULL;
	if (!dv)
		HASH_FIND(hh, rp->devices, &d, sizeof d, dv);
	if (!dv)
		return false;
	for (uint32_t t = 0; t < LC_NTYPES_KNOWN; t++)
		if (dv->alloc[t].buffers)
			return true;
	return dv->alloc_other != NULL;
}

/*
 * Where in the run an unknown free came (enum lc_unknown_position). A line with no device is
 * placed by the run alone: whether the run has had any allocation yet.
 */
static enum lc_unknown_position unknown_position(struct lc_replay *rp, const struct lc_sevent *ev)
{
	const struct lc_server_model *m = M(rp);
	const struct lc_run_info *r = cur_run(rp);
	bool allocated = ev->has_device ? device_had_alloc(rp, ev->device) : rp->run_seq > 0;
	if (!allocated)
		return m->runs == 1 ? LC_UPOS_BEFORE_FIRST_ALLOC : LC_UPOS_AFTER_RESTART;
	/* Cleanup rows are in log order: the last one is in this run when it comes at or after its start. */
	const struct lc_cleanup_row *c = m->ncleanup ? &m->cleanup[m->ncleanup - 1] : NULL;
	if (c && (c->input > r->input || (c->input == r->input && c->line >= r->line)))
		return LC_UPOS_AFTER_CLEANUP;
	return LC_UPOS_DURING_RUN;
}

/* Counts one unknown-free line in g, keeping it when it is among the first few. */
static void unknown_group_add(struct lc_unknown_group *g, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	if (g->nfirst < LC_UNKNOWN_FIRST)
		g->first[g->nfirst++] = (struct lc_unknown_line){ .input = input, .has_device = ev->has_device,
								  .device = ev->has_device ? ev->device : 0,
								  .line = line, .address = ev->id };
	g->count++;
}

/* The unknown free by PID of its line and by position in the run. */
static void unknown_where(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	unknown_group_add(&M(rp)->unknown_by_position[unknown_position(rp, ev)], ev, input, line);
	struct lc_unknown_group *g = &rp->unknown_nopid;
	if (ev->has_pid) {
		struct upid *u;
		HASH_FIND(hh, rp->upids, &ev->pid, sizeof ev->pid, u);
		if (!u) {
			u = lc_xcalloc(1, sizeof *u);
			u->g.has_pid = true;
			u->g.pid = ev->pid;
			HASH_ADD(hh, rp->upids, g.pid, sizeof u->g.pid, u);
		}
		g = &u->g;
	}
	unknown_group_add(g, ev, input, line);
}

static void apply_unknown(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	unknown_where(rp, ev, input, line);
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
		count_unknown(rp, !e->allocs && lc_replay_prior_has(&rp->prior, ev->device, ev->id) ? CAUSE_AFTER_RESTART
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

static int removed_cmp(const void *a, const void *b)
{
	const struct lc_leak *x = a, *y = b;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	if (x->device != y->device)
		return x->device < y->device ? -1 : 1;
	return x->address < y->address ? -1 : x->address > y->address;
}

/*
 * What cleanup row `row` removed: its totals by device and type (always), and its entries in
 * leak order while fewer than LC_CLEANUP_ENTRIES_MAX are kept (the rest only counted).
 */
static void keep_removed(struct lc_replay *rp, size_t row, struct lc_leak *v, size_t n, uint64_t total,
			 struct dtagg *bydt)
{
	struct lc_server_model *m = M(rp);
	lc_sort_inplace(v, n, sizeof *v, removed_cmp);
	m->cleanup_entries_total += total;
	size_t keep = LC_CLEANUP_ENTRIES_MAX - m->ncleanup_entries;
	if (keep > n)
		keep = n;
	if (keep) {
		lc_grow((void **)&m->cleanup_entries, &rp->capcleanup_entries, m->ncleanup_entries + keep,
			sizeof *m->cleanup_entries);
		lc_grow((void **)&m->cleanup_entry_rows, &rp->capcleanup_rows, m->ncleanup_entries + keep,
			sizeof *m->cleanup_entry_rows);
		for (size_t i = 0; i < keep; i++) {
			m->cleanup_entries[m->ncleanup_entries] = v[i];
			m->cleanup_entry_rows[m->ncleanup_entries++] = row;
		}
	}
	struct lc_device_remaining *devs = NULL;
	size_t ndevs = 0;
	lc_replay_devices_from(rp, bydt, &devs, &ndevs);
	for (size_t d = 0; d < ndevs; d++) {
		for (size_t t = 0; t < devs[d].ntypes; t++) {
			lc_grow((void **)&m->cleanup_splits, &rp->capcleanup_splits, m->ncleanup_splits + 1,
				sizeof *m->cleanup_splits);
			m->cleanup_splits[m->ncleanup_splits++] = (struct lc_cleanup_split){
				.row = row, .device = devs[d].device, .type = devs[d].types[t].type, .t = devs[d].types[t].t };
		}
		free(devs[d].types);
	}
	free(devs);
}

static void apply_cleanup_pid(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	struct lc_server_model *m = M(rp);
	struct lc_cleanup_row row = { .pid = ev->pid, .input = input, .line = line };
	struct dtagg *bydt = NULL;
	/* The candidates for the entries kept in detail: at most twice the room left, cut back to
	 * the best `room` in leak order whenever full, so a PID owning millions costs O(room). */
	size_t room = LC_CLEANUP_ENTRIES_MAX - m->ncleanup_entries;
	struct lc_leak *removed = NULL;
	size_t nremoved = 0, capremoved = 0;
	uint64_t total = 0;
	/* Each removal takes the head of the PID's list; the last one empties its slot. */
	for (uint32_t head; (head = lc_replay_owner_head(rp, ev->pid)) != NIL;) {
		struct entry *e = ent(rp, head);
		tally_add(rp, &row.t, e->size);
		tally_add(rp, &lc_replay_dt_get(&bydt, e->device, e->type)->t[0], e->size);
		total++;
		if (room) {
			if (nremoved == 2 * room) {
				lc_sort_inplace(removed, nremoved, sizeof *removed, removed_cmp);
				nremoved = room;
			}
			lc_grow((void **)&removed, &capremoved, nremoved + 1, sizeof *removed);
			removed[nremoved++] = lc_replay_leak_of(rp, e);
		}
		m->events.cleanup_removed++;
		entry_remove(rp, e, END_CLEANUP);
		if (__builtin_expect(rp->cfg.history != NULL, 0))
			lc_replay_history_removed(rp, e, ev->pid, input, line);
	}
	keep_removed(rp, m->ncleanup, removed, nremoved, total, bydt);
	free(removed);
	lc_replay_dt_free(&bydt);
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
	bool mb_agrees = lc_replay_g_equal(ev->num1, (double)row->t.bytes / 1048576.0, buf, sizeof buf);
	row->agrees = ev->value == row->t.buffers && mb_agrees;
	if (!row->agrees)
		INCONS(rp, input, line, "cleanup of PID %d: server removed %llu buffers (%.*s MB), replay %llu (%s MB)",
		       (int)ev->pid, (unsigned long long)ev->value, (int)ev->num1.n, ev->num1.p,
		       (unsigned long long)row->t.buffers, buf);
}

static void apply_cb_kernel(struct lc_replay *rp, const struct lc_sevent *ev)
{
	struct lc_server_model *m = M(rp);
	struct device *dv = lc_replay_device_get(rp, ev->device);
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
	if (!rp->keys.ix.slots || (ev->kind != LC_SEV_ALLOC && ev->kind != LC_SEV_FREE))
		return;
	__builtin_prefetch(&rp->keys.ix.slots[lc_index_home(&rp->keys.ix, key_hash(ev->device, ev->id))]);
}

bool lc_replay_failed(const struct lc_replay *rp)
{
	return rp->failed;
}

void lc_replay_apply(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	if (ev->kind == LC_SEV_NONE || ev->kind == LC_SEV_DUMP_RECEIVED || rp->failed)
		return;
	lc_replay_tl_line(rp, input, line);
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
			lc_replay_close_block(rp, false, false);
		if (!rp->run_open)
			start_run(rp, false, input, line, false);
	}
	check_plausible(rp, ev, input, line);
	if (ev->kind == LC_SEV_CLEANUP_BEGIN)
		rp->cleanup_cur_valid = false;
	if (ev->kind == LC_SEV_ALLOC || ev->kind == LC_SEV_FREE || ev->kind == LC_SEV_UNKNOWN_FREE) {
		if (ev->id_decimal)
			rp->m.address_forms.decimal_lines++;
		else
			rp->m.address_forms.hex_lines++;
	}
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
	case LC_SEV_CLEANUP_PID:
		lc_replay_tl_mark(rp, LC_TLM_CLEANUP);
		apply_cleanup_pid(rp, ev, input, line);
		break;
	case LC_SEV_CLEANUP_REMOVED: apply_cleanup_removed(rp, ev, input, line); break;
	case LC_SEV_STATS_BEGIN:
		rp->m.events.stats_blocks++;
		lc_replay_tl_mark(rp, LC_TLM_STATS);
		lc_replay_open_checkpoint(rp, LC_CP_STATS, input, line);
		break;
	case LC_SEV_STATS_DEVICE:
	case LC_SEV_STATS_BUFFERS:
	case LC_SEV_STATS_BYTES:
	case LC_SEV_STATS_ACTIVE:
		if (rp->blk.open && rp->blk.kind == LC_CP_STATS)
			lc_replay_stats_line(rp, ev);
		break;
	case LC_SEV_DUMP_TITLE:
		lc_replay_tl_mark(rp, LC_TLM_DUMP);
		lc_replay_dump_title(rp, input, line);
		break;
	case LC_SEV_DUMP_TRACKED:
	case LC_SEV_DUMP_DEVICE:
	case LC_SEV_DUMP_TYPE:
	case LC_SEV_DUMP_BUFFER:
	case LC_SEV_DUMP_EMPTY:
	case LC_SEV_DUMP_TOTAL:
		if (rp->blk.open && rp->blk.kind == LC_CP_DUMP)
			lc_replay_dump_line(rp, ev);
		break;
	case LC_SEV_DUMP_COMPLETE:
		if (rp->blk.open && rp->blk.kind == LC_CP_DUMP)
			lc_replay_close_block(rp, false, false);
		break;
	default:
		break;
	}
	if (__builtin_expect(rp->cfg.history != NULL, 0))
		lc_replay_history_line(rp, ev, input, line);
}
