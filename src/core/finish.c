// SPDX-License-Identifier: MIT
// The replay's model at the end: remaining, leaks, the reuse table, run rows, the lifecycle; and its freeing.
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

static struct dtagg **dt_sorted(struct lc_replay *rp, struct dtagg *tab, size_t *n);


/* Remaining's device rows (devices ascending, types in report order) from (device, type) aggregates. */
void lc_replay_devices_from(struct lc_replay *rp, struct dtagg *tab, struct lc_device_remaining **out, size_t *nout)
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
		d->types[d->ntypes++] = (struct lc_type_tally){ lc_replay_type_str(rp, v[i]->k.type), v[i]->t[0] };
		d->t.buffers += v[i]->t[0].buffers;
		d->t.bytes = lc_add_sat(d->t.bytes, v[i]->t[0].bytes, &m->saturated);
	}
	free(v);
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
		.type = e->has_type ? lc_replay_type_str(rp, e->last_type) : NULL,
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
	return lc_replay_type_cmp(sort_ctx, x->k.type, y->k.type);
}

static int udev_cmp(const void *a, const void *b)
{
	const struct lc_device_count *x = a, *y = b;
	return x->device < y->device ? -1 : x->device > y->device;
}

/* Unknown frees by PID: count descending, then PID ascending, the lines with no PID last. */
static int upid_cmp(const void *a, const void *b)
{
	const struct lc_unknown_group *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->has_pid != y->has_pid)
		return x->has_pid ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The by-PID groups of the unknown frees, in report order (copies: the replay keeps its table). */
static void build_unknown_by_pid(struct lc_replay *rp)
{
	struct lc_server_model *m = M(rp);
	size_t n = HASH_COUNT(rp->upids) + (rp->unknown_nopid.count > 0);
	m->unknown_by_pid = lc_xcalloc(n ? n : 1, sizeof *m->unknown_by_pid);
	struct upid *u, *utmp;
	HASH_ITER(hh, rp->upids, u, utmp) m->unknown_by_pid[m->nunknown_by_pid++] = u->g;
	if (rp->unknown_nopid.count)
		m->unknown_by_pid[m->nunknown_by_pid++] = rp->unknown_nopid;
	qsort(m->unknown_by_pid, m->nunknown_by_pid, sizeof *m->unknown_by_pid, upid_cmp);
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
		tally_add(rp, &lc_replay_dt_get(&tab, e->device, e->type)->t[0], e->size);
		tally_add(rp, &m->remaining, e->size);
	}
	lc_replay_devices_from(rp, tab, &m->devices, &m->ndevices);
	lc_replay_dt_free(&tab);
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
				.device = e->device, .address = e->address, .type = lc_replay_type_str(rp, e->type),
				.size = e->size, .pid = e->owner, .ref_count = e->ref,
				.input = (uint32_t)(e->where >> WHERE_LINE_BITS),
				.line = e->where & ((1ull << WHERE_LINE_BITS) - 1), .site = -1, .seq = e->seq,
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
	build_unknown_by_pid(rp);

	struct device *dv, *dtmp;
	m->extras = lc_xcalloc(HASH_COUNT(rp->devices) + 1, sizeof *m->extras);
	HASH_ITER(hh, rp->devices, dv, dtmp) {
		if (dv->has_cb || dv->has_kernel)
			m->extras[m->nextras++] = (struct lc_device_extra){ dv->device, dv->cb_mb, dv->kernel_mb,
									    dv->has_cb, dv->has_kernel, dv->wraps };
	}
	qsort(m->extras, m->nextras, sizeof *m->extras, extra_cmp);
}

struct lc_leak lc_replay_leak_of(const struct lc_replay *rp, const struct entry *e)
{
	return (struct lc_leak){
		.device = e->device, .address = e->address, .type = lc_replay_type_str(rp, e->type),
		.size = e->size, .pid = e->owner, .ref_count = e->ref,
		.input = (uint32_t)(e->where >> WHERE_LINE_BITS),
		.line = e->where & ((1ull << WHERE_LINE_BITS) - 1), .site = -1, .seq = e->seq,
	};
}

/* An entry of the lifecycle's dump with its fate, for sorting the two lists together. */
struct fated {
	struct lc_leak l;
	uint8_t fate;
};

static int fated_cmp(const void *a, const void *b)
{
	return leak_cmp(&((const struct fated *)a)->l, &((const struct fated *)b)->l);
}

/* The model's copy of the dump's entries, sorted as leaks are, with their fates. */
static void lifecycle_entries(struct lc_replay *rp, struct lc_lifecycle *l)
{
	size_t n = rp->lc.nentries;
	struct fated *v = lc_xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct fated){ rp->lc.entries[i], rp->lc.fates[i] };
	qsort(v, n, sizeof *v, fated_cmp);
	l->entries = lc_xcalloc(n ? n : 1, sizeof *l->entries);
	l->fates = lc_xcalloc(n ? n : 1, sizeof *l->fates);
	for (size_t i = 0; i < n; i++) {
		l->entries[i] = v[i].l;
		l->fates[i] = v[i].fate;
	}
	l->nentries = n;
	free(v);
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
		r->type = lc_replay_type_str(rp, v[i]->k.type);
		for (int j = 0; j < 4; j++) {
			r->t[j] = v[i]->t[j];
			tot[j]->buffers += v[i]->t[j].buffers;
			tot[j]->bytes = lc_add_sat(tot[j]->bytes, v[i]->t[j].bytes, &m->saturated);
		}
	}
	free(v);
	lifecycle_entries(rp, l);
	m->lifecycle = l;
}

struct lc_server_model *lc_replay_finish(struct lc_replay *rp)
{
	lc_replay_close_block(rp, false, false);
	/* Entries of the chosen dump that are live now are still live at the end. */
	if (rp->lc.active && !rp->lc.done) {
		lc_replay_count_still_live(rp);
		rp->lc.done = true;
	}
	rp->m.distinct_keys = rp->keys.n;
	lc_replay_run_close(rp, false);
	build_remaining(rp);
	build_lists(rp);
	build_lifecycle(rp);
	lc_replay_tl_finish(rp);
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
	lc_replay_tl_destroy(rp);
	lc_timeline_model_free(rp->m.timeline);
	free(rp->m.peak_entries);
	rp->cfg.at_dump = 1; /* keep lc_replay_end_run from touching the finished lifecycle */
	rp->lc.done = true;
	lc_replay_end_run(rp, false);
	struct udev *u, *utmp;
	HASH_ITER(hh, rp->udevs, u, utmp) {
		HASH_DEL(rp->udevs, u);
		free(u);
	}
	struct upid *up, *uptmp;
	HASH_ITER(hh, rp->upids, up, uptmp) {
		HASH_DEL(rp->upids, up);
		free(up);
	}
	lc_replay_dt_free(&rp->lc.rows);
	lc_replay_dt_free(&rp->blk.agg);
	free(rp->blk.printed_devs);
	lc_intern_release(&rp->other_types);
	struct lc_server_model *m = &rp->m;
	for (size_t i = 0; i < m->ndevices; i++)
		free(m->devices[i].types);
	free(m->devices);
	for (size_t r = 0; r < m->runs; r++) {
		for (size_t i = 0; i < m->run_list[r].ndevices; i++)
			free(m->run_list[r].devices[i].types);
		free(m->run_list[r].devices);
		free(m->run_list[r].alloc_by_type);
		free(m->run_list[r].alloc_devices);
	}
	free(m->run_list);
	lc_index_release(&rp->prior.ix);
	free(rp->prior.keys);
	free(m->leaks);
	free(rp->reuse_keys);
	free(m->unknown_by_device);
	free(m->unknown_by_pid);
	free(m->cleanup);
	for (size_t i = 0; i < m->ncheckpoints; i++) {
		for (size_t j = 0; j < m->checkpoints[i].ndiffs; j++)
			free(m->checkpoints[i].diffs[j]);
		free(m->checkpoints[i].diffs);
	}
	free(m->checkpoints);
	if (m->lifecycle) {
		free(m->lifecycle->rows);
		free(m->lifecycle->entries);
		free(m->lifecycle->fates);
	}
	lc_replay_lifecycle_entries_clear(rp);
	free(m->cleanup_splits);
	free(m->cleanup_entries);
	free(m->cleanup_entry_rows);
	free(m->entry_sites);
	free(m->lifecycle);
	free(m->extras);
	free_notes(m->inconsistencies, m->ninconsistencies);
	free_notes(m->implausible, m->nimplausible);
	free(rp);
}
