// SPDX-License-Identifier: MIT
// The replay's checkpoints: statistics blocks and DUMP_REMAINING dumps compared with the replayed map, and the dump lifecycle.
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

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
	va_list ap;
	va_start(ap, fmt);
	cp->diffs = lc_xrealloc(cp->diffs, (cp->ndiffs + 1) * sizeof *cp->diffs);
	cp->diffs[cp->ndiffs++] = lc_note_vformat(fmt, ap);
	va_end(ap);
}

void lc_replay_open_checkpoint(struct lc_replay *rp, enum lc_checkpoint_kind kind, uint32_t input, uint64_t line)
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
bool lc_replay_g_equal(struct lc_span printed, double value, char *out, size_t outsz)
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
	struct dtagg *a = lc_replay_dt_find(rp->blk.agg, rp->blk.dev, rp->blk.type);
	if (a) {
		uint64_t n = a->t[0].buffers;
		if (n <= 10 && a->listed != n)
			diff(rp, "device %d %s: %llu buffers listed, replay has %llu", (int)rp->blk.dev,
			     lc_replay_type_str(rp, rp->blk.type), (unsigned long long)a->listed, (unsigned long long)n);
		if (n > 10 && a->listed)
			diff(rp, "device %d %s: %llu buffers listed although the type has more than 10",
			     (int)rp->blk.dev, lc_replay_type_str(rp, rp->blk.type), (unsigned long long)a->listed);
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
				     (int)a->k.device, lc_replay_type_str(rp, a->k.type), (unsigned long long)a->t[0].buffers,
				     (unsigned long long)a->t[0].bytes);
		}
	}
	lc_replay_dt_free(&rp->blk.agg);
}

void lc_replay_close_block(struct lc_replay *rp, bool complete, bool empty_claimed)
{
	if (!rp->blk.open)
		return;
	if (rp->blk.kind == LC_CP_STATS)
		close_stats(rp, complete);
	else
		close_dump(rp, complete, empty_claimed);
	rp->blk.open = false;
}

void lc_replay_stats_line(struct lc_replay *rp, const struct lc_sevent *ev)
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
		lc_replay_close_block(rp, true, false);
		return;
	}
	if (!rp->blk.have_dev) {
		diff(rp, "statistics line outside a device");
		return;
	}
	struct device *dv = lc_replay_device_get(rp, rp->blk.dev);
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
	if (ev->num1.n && !lc_replay_g_equal(ev->num1, (double)v / 1024.0, buf, sizeof buf))
		diff(rp, "device %d %s: server %.*s KB, replay %s KB", (int)rp->blk.dev, what[ev->which],
		     (int)ev->num1.n, ev->num1.p, buf);
}

static int lcref_cmp(const void *a, const void *b)
{
	const struct lcref *x = a, *y = b;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The list of entries live at the lifecycle's dump, and their places by key index. */
static void take_entries(struct lc_replay *rp)
{
	struct lifecycle *l = &rp->lc;
	size_t n = (size_t)rp->live;
	l->entries = lc_xcalloc(n ? n : 1, sizeof *l->entries);
	l->fates = lc_xcalloc(n ? n : 1, sizeof *l->fates);
	l->refs = lc_xcalloc(n ? n : 1, sizeof *l->refs);
	for (size_t i = 0; rp->owners.slots && i <= rp->owners.mask; i++)
		for (uint32_t x = lc_index_id_at(&rp->owners, i); x != NIL && l->nentries < n; x = ent(rp, x)->onext) {
			l->refs[l->nentries] = (struct lcref){ x, (uint32_t)l->nentries };
			l->entries[l->nentries++] = lc_replay_leak_of(rp, ent(rp, x));
		}
	qsort(l->refs, l->nentries, sizeof *l->refs, lcref_cmp);
}

void lc_replay_lifecycle_entries_clear(struct lc_replay *rp)
{
	free(rp->lc.entries);
	free(rp->lc.fates);
	free(rp->lc.refs);
	rp->lc.entries = NULL;
	rp->lc.fates = NULL;
	rp->lc.refs = NULL;
	rp->lc.nentries = 0;
}

/* Records the fate of the dump's entry e (LC_FREED, LC_CLEANED or LC_STILL, as enum lc_fate). */
static void set_fate(struct lc_replay *rp, const struct entry *e, int which)
{
	uint32_t idx;
	entry_get(rp, e->device, e->address, &idx);
	struct lcref key = { idx, 0 };
	const struct lcref *r = bsearch(&key, rp->lc.refs, rp->lc.nentries, sizeof *rp->lc.refs, lcref_cmp);
	if (r)
		rp->lc.fates[r->pos] = (uint8_t)which;
}

void lc_replay_dump_title(struct lc_replay *rp, uint32_t input, uint64_t line)
{
	struct lc_server_model *m = M(rp);
	m->events.dumps++;
	rp->dump_counter++;
	lc_replay_open_checkpoint(rp, LC_CP_DUMP, input, line);
	struct entry *e;
	FOR_EACH_LIVE(rp, i, e)
		tally_add(rp, &lc_replay_dt_get(&rp->blk.agg, e->device, e->type)->t[0], e->size);
	bool take = rp->cfg.at_dump ? rp->cfg.at_dump == rp->dump_counter : true;
	if (!take || rp->lc.done)
		return;
	lc_replay_dt_free(&rp->lc.rows);
	lc_replay_dumpsizes_clear(rp);
	lc_replay_lifecycle_entries_clear(rp);
	rp->lc.active = true;
	rp->lc.input = input;
	rp->lc.line = line;
	rp->lc.index = rp->dump_counter;
	rp->lc.run = m->runs;
	/* Entries flagged by an earlier dump and ended since have had their flag cleared. */
	FOR_EACH_LIVE(rp, i, e) {
		e->in_dump = true;
		tally_add(rp, &lc_replay_dt_get(&rp->lc.rows, e->device, e->type)->t[LC_AT_DUMP], e->size);
	}
	take_entries(rp);
}

void lc_replay_dump_line(struct lc_replay *rp, const struct lc_sevent *ev)
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
		uint32_t t = lc_replay_type_id(rp, ev->type);
		b->have_type = true;
		b->type = t;
		struct dtagg *a = lc_replay_dt_find(b->agg, b->dev, t);
		if (!a) {
			diff(rp, "device %d %.*s: server %llu buffers, replay has none", (int)b->dev, (int)ev->type.n,
			     ev->type.p, (unsigned long long)ev->value);
			break;
		}
		a->printed = true;
		if (ev->value != a->t[0].buffers)
			diff(rp, "device %d %s: server %llu buffers, replay %llu", (int)b->dev, lc_replay_type_str(rp, t),
			     (unsigned long long)ev->value, (unsigned long long)a->t[0].buffers);
		if (!lc_replay_g_equal(ev->num1, (double)a->t[0].bytes / 1048576.0, buf, sizeof buf))
			diff(rp, "device %d %s: server %.*s MB, replay %s MB", (int)b->dev, lc_replay_type_str(rp, t),
			     (int)ev->num1.n, ev->num1.p, buf);
		break;
	}
	case LC_SEV_DUMP_BUFFER: {
		if (!b->have_type) {
			diff(rp, "buffer line outside a type");
			break;
		}
		struct dtagg *a = lc_replay_dt_find(b->agg, b->dev, b->type);
		if (a)
			a->listed++;
		struct entry *e = lc_replay_entry_find(rp, b->dev, ev->id);
		if (!e || !e->live) {
			diff(rp, "device %d buffer 0x%llx: listed by the server, not live in the replay", (int)b->dev,
			     (unsigned long long)ev->id);
			break;
		}
		if (e->type != b->type)
			diff(rp, "device %d buffer 0x%llx: listed as %s, replay has %s", (int)b->dev,
			     (unsigned long long)ev->id, lc_replay_type_str(rp, b->type), lc_replay_type_str(rp, e->type));
		if (!lc_replay_g_equal(ev->num1, (double)e->size / 1024.0, buf, sizeof buf))
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
		lc_replay_close_block(rp, true, true);
		break;
	case LC_SEV_DUMP_TOTAL:
		if (ev->value != rp->live)
			diff(rp, "Total remaining buffers: server %llu, replay %llu", (unsigned long long)ev->value,
			     (unsigned long long)rp->live);
		lc_replay_close_block(rp, true, false);
		break;
	default:
		break;
	}
}

/* ---------- the dump lifecycle ---------- */

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

void lc_replay_dumpsizes_clear(struct lc_replay *rp)
{
	struct dumpsize *d, *tmp;
	HASH_ITER(hh, rp->dumpsizes, d, tmp) {
		HASH_DEL(rp->dumpsizes, d);
		free(d);
	}
}

/* Before the enhanced server replaces the size of an entry of the lifecycle's dump. */
void lc_replay_dump_size_keep(struct lc_replay *rp, struct entry *e, uint32_t idx)
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

void lc_replay_lifecycle_count(struct lc_replay *rp, struct entry *e, int which)
{
	if (!e->in_dump)
		return;
	e->in_dump = false;
	uint64_t size = dump_size_take(rp, e);
	if (!rp->lc.active || rp->lc.done)
		return;
	tally_add(rp, &lc_replay_dt_get(&rp->lc.rows, e->device, e->type)->t[which], size);
	set_fate(rp, e, which);
}

void lc_replay_count_still_live(struct lc_replay *rp)
{
	struct entry *e;
	FOR_EACH_LIVE(rp, i, e) {
		if (e->in_dump)
			lc_replay_lifecycle_count(rp, e, LC_STILL);
	}
}
