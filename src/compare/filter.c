// SPDX-License-Identifier: MIT
// The filters: finished models narrowed to the entries --device, --type, --pid and --min-size keep.
#include "lc/filter.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/lifetimes.h"
#include "lc/util.h"

/* A zeroed array of count elements that st owns (and frees at release). */
static void *own(struct lc_filter_state *st, size_t count, size_t size)
{
	void *p = lc_xcalloc(count ? count : 1, size);
	lc_grow((void **)&st->owned, &st->capowned, st->nowned + 1, sizeof *st->owned);
	st->owned[st->nowned++] = p;
	return p;
}

static bool device_ok(const struct lc_filter *f, int32_t device)
{
	return !f->has_device || device == f->device;
}

static bool type_ok(const struct lc_filter *f, const char *type)
{
	return !f->type || (type && strcmp(type, f->type) == 0);
}

bool lc_filter_keeps(const struct lc_filter *f, int32_t device, const char *type, uint64_t size)
{
	return device_ok(f, device) && type_ok(f, type) && size >= f->min_size;
}

static void see(struct lc_filter_state *st, const struct lc_filter *f, const char *type)
{
	if (f->type && type && strcmp(type, f->type) == 0)
		st->type_seen = true;
}

static void add(struct lc_tally *t, uint64_t bytes)
{
	bool sat = false; /* a part of a sum that did not saturate */
	t->buffers++;
	t->bytes = lc_add_sat(t->bytes, bytes, &sat);
}

static void add_tally(struct lc_tally *t, const struct lc_tally *x)
{
	bool sat = false;
	t->buffers += x->buffers;
	t->bytes = lc_add_sat(t->bytes, x->bytes, &sat);
}

/*
 * Device rows of the kept leaks, in the order of the rows they were counted in (every kept
 * leak has its (device, type) row there, as leaks and remaining are the same live entries).
 */
static void remaining_of(struct lc_filter_state *st, struct lc_server_model *m)
{
	size_t n = m->ndevices;
	struct lc_device_remaining *rows = own(st, n, sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		rows[i] = (struct lc_device_remaining){ .device = m->devices[i].device, .ntypes = m->devices[i].ntypes };
		rows[i].types = own(st, rows[i].ntypes, sizeof *rows[i].types);
		for (size_t k = 0; k < rows[i].ntypes; k++)
			rows[i].types[k] = (struct lc_type_tally){ m->devices[i].types[k].type, { 0, 0 } };
	}
	m->remaining = (struct lc_tally){ 0, 0 };
	for (size_t j = 0; j < m->nleaks; j++) {
		const struct lc_leak *l = &m->leaks[j];
		add(&m->remaining, l->size);
		for (size_t i = 0; i < n; i++) {
			if (rows[i].device != l->device)
				continue;
			for (size_t k = 0; k < rows[i].ntypes; k++)
				if (strcmp(rows[i].types[k].type, l->type) == 0) {
					add(&rows[i].types[k].t, l->size);
					add(&rows[i].t, l->size);
					break;
				}
			break;
		}
	}
	size_t kd = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].t.buffers)
			continue;
		size_t kt = 0;
		for (size_t k = 0; k < rows[i].ntypes; k++)
			if (rows[i].types[k].t.buffers)
				rows[i].types[kt++] = rows[i].types[k];
		rows[i].ntypes = kt;
		rows[kd++] = rows[i];
	}
	m->devices = rows;
	m->ndevices = kd;
}

/* A run's live rows narrowed by device and type, its live total summed again from them. */
static void run_rows(struct lc_filter_state *st, const struct lc_filter *f, struct lc_run_info *r)
{
	struct lc_device_remaining *rows = own(st, r->ndevices, sizeof *rows);
	size_t kd = 0;
	r->live = (struct lc_tally){ 0, 0 };
	for (size_t i = 0; i < r->ndevices; i++) {
		const struct lc_device_remaining *d = &r->devices[i];
		if (!device_ok(f, d->device))
			continue;
		struct lc_device_remaining *o = &rows[kd];
		*o = (struct lc_device_remaining){ .device = d->device };
		o->types = own(st, d->ntypes, sizeof *o->types);
		for (size_t k = 0; k < d->ntypes; k++)
			if (type_ok(f, d->types[k].type)) {
				o->types[o->ntypes++] = d->types[k];
				add_tally(&o->t, &d->types[k].t);
			}
		if (o->ntypes) {
			add_tally(&r->live, &o->t);
			kd++;
		}
	}
	r->devices = rows;
	r->ndevices = kd;
}

static bool reuse_keeps(const struct lc_filter *f, const struct lc_reuse_row *r)
{
	if (!device_ok(f, r->device) || !type_ok(f, r->type))
		return false;
	bool pid = !f->has_pid, size = !f->min_size;
	for (uint32_t k = 0; !pid && k < r->npids; k++)
		pid = r->pids[k] == f->pid;
	for (uint32_t k = 0; !size && k < r->nsizes; k++)
		size = r->sizes[k] >= f->min_size;
	return pid && size;
}

/* The cleanup rows of --pid, with their splits and removed entries renumbered to the kept rows. */
static void cleanup_of(struct lc_filter_state *st, const struct lc_filter *f, struct lc_server_model *m)
{
	struct lc_cleanup_row *c = own(st, m->ncleanup, sizeof *c);
	size_t *newrow = own(st, m->ncleanup, sizeof *newrow);
	size_t nc = 0;
	uint64_t total = 0;
	for (size_t i = 0; i < m->ncleanup; i++) {
		newrow[i] = SIZE_MAX;
		if (m->cleanup[i].pid != f->pid)
			continue;
		newrow[i] = nc;
		total += m->cleanup[i].t.buffers;
		c[nc++] = m->cleanup[i];
	}
	struct lc_cleanup_split *sp = own(st, m->ncleanup_splits, sizeof *sp);
	size_t nsp = 0;
	for (size_t i = 0; i < m->ncleanup_splits; i++)
		if (newrow[m->cleanup_splits[i].row] != SIZE_MAX) {
			sp[nsp] = m->cleanup_splits[i];
			sp[nsp++].row = newrow[m->cleanup_splits[i].row];
		}
	struct lc_leak *en = own(st, m->ncleanup_entries, sizeof *en);
	size_t *er = own(st, m->ncleanup_entries, sizeof *er);
	size_t nen = 0;
	for (size_t i = 0; i < m->ncleanup_entries; i++)
		if (newrow[m->cleanup_entry_rows[i]] != SIZE_MAX) {
			en[nen] = m->cleanup_entries[i];
			er[nen++] = newrow[m->cleanup_entry_rows[i]];
		}
	m->cleanup = c;
	m->ncleanup = nc;
	m->cleanup_splits = sp;
	m->ncleanup_splits = nsp;
	m->cleanup_entries = en;
	m->cleanup_entry_rows = er;
	m->ncleanup_entries = nen;
	m->cleanup_entries_total = total;
}

static void lifecycle_of(struct lc_filter_state *st, const struct lc_filter *f, struct lc_server_model *m)
{
	const struct lc_lifecycle *was = m->lifecycle;
	struct lc_lifecycle *l = own(st, 1, sizeof *l);
	*l = *was;
	l->rows = own(st, was->nrows, sizeof *l->rows);
	l->nrows = 0;
	struct lc_tally *tot[4] = { &l->at_dump, &l->freed_later, &l->removed_by_cleanup, &l->still_live };
	for (int j = 0; j < 4; j++)
		*tot[j] = (struct lc_tally){ 0, 0 };
	for (size_t i = 0; i < was->nrows; i++) {
		const struct lc_lifecycle_row *r = &was->rows[i];
		if (!device_ok(f, r->device) || !type_ok(f, r->type))
			continue;
		l->rows[l->nrows++] = *r;
		for (int j = 0; j < 4; j++)
			add_tally(tot[j], &r->t[j]);
	}
	/* the entries live at the dump, with their fates, by the same device and type */
	l->entries = own(st, was->nentries, sizeof *l->entries);
	l->fates = own(st, was->nentries, sizeof *l->fates);
	l->nentries = 0;
	for (size_t i = 0; i < was->nentries; i++)
		if (device_ok(f, was->entries[i].device) && type_ok(f, was->entries[i].type)) {
			l->fates[l->nentries] = was->fates[i];
			l->entries[l->nentries++] = was->entries[i];
		}
	m->lifecycle = l;
}

/* (device, address) -> owner of the server's leaks, for the debug leaks' owners under --pid. */
struct owner {
	int32_t device, pid;
	uint64_t address;
};

static int owner_cmp(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;
	if (x->device != y->device)
		return x->device < y->device ? -1 : 1;
	return x->address < y->address ? -1 : x->address > y->address;
}

static bool owner_is(const struct owner *v, size_t n, int32_t device, uint64_t address, int32_t pid)
{
	struct owner key = { device, 0, address };
	const struct owner *o = bsearch(&key, v, n, sizeof *v, owner_cmp);
	return o && o->pid == pid;
}

static void server_part(struct lc_filter_state *st, const struct lc_filter *f, struct lc_server_model *m)
{
	for (size_t i = 0; i < m->nleaks; i++)
		see(st, f, m->leaks[i].type);
	for (size_t r = 0; r < m->runs; r++) {
		for (size_t i = 0; i < m->run_list[r].nalloc_by_type; i++)
			see(st, f, m->run_list[r].alloc_by_type[i].type);
		for (size_t i = 0; i < m->run_list[r].ndevices; i++)
			for (size_t k = 0; k < m->run_list[r].devices[i].ntypes; k++)
				see(st, f, m->run_list[r].devices[i].types[k].type);
	}
	for (size_t i = 0; m->lifecycle && i < m->lifecycle->nrows; i++)
		see(st, f, m->lifecycle->rows[i].type);

	struct lc_leak *leaks = own(st, m->nleaks, sizeof *leaks);
	size_t n = 0;
	for (size_t i = 0; i < m->nleaks; i++) {
		const struct lc_leak *l = &m->leaks[i];
		if (lc_filter_keeps(f, l->device, l->type, l->size) && (!f->has_pid || l->pid == f->pid))
			leaks[n++] = *l;
	}
	m->leaks = leaks;
	m->nleaks = n;
	remaining_of(st, m);

	if (f->has_device || f->type) {
		struct lc_run_info *runs = own(st, m->runs, sizeof *runs);
		for (size_t r = 0; r < m->runs; r++) {
			runs[r] = m->run_list[r];
			run_rows(st, f, &runs[r]);
		}
		m->run_list = runs;
	}

	uint32_t *keys = own(st, m->nreuse, sizeof *keys);
	size_t nk = 0;
	for (size_t i = 0; i < m->nreuse; i++) {
		struct lc_reuse_row row;
		const struct lc_reuse_row *r = lc_reuse_at(m, i, &row);
		see(st, f, r->type);
		if (reuse_keeps(f, r))
			keys[nk++] = m->reuse_keys[i];
	}
	m->reuse_keys = keys;
	m->nreuse = nk;

	if (f->has_device) {
		struct lc_device_count *u = own(st, m->nunknown_by_device, sizeof *u);
		size_t nu = 0;
		m->unknown_count = 0;
		for (size_t i = 0; i < m->nunknown_by_device; i++)
			if (m->unknown_by_device[i].device == f->device) {
				u[nu++] = m->unknown_by_device[i];
				m->unknown_count += m->unknown_by_device[i].count;
			}
		m->unknown_by_device = u;
		m->nunknown_by_device = nu;

		struct lc_device_extra *x = own(st, m->nextras, sizeof *x);
		size_t nx = 0;
		for (size_t i = 0; i < m->nextras; i++)
			if (m->extras[i].device == f->device)
				x[nx++] = m->extras[i];
		m->extras = x;
		m->nextras = nx;
	}
	if (f->has_pid)
		cleanup_of(st, f, m);
	if (m->lifecycle && (f->has_device || f->type))
		lifecycle_of(st, f, m);
}

static void debug_part(struct lc_filter_state *st, const struct lc_filter *f, struct lc_debug_model *d,
		       const struct owner *owners, size_t nowners, struct lc_server_model *sm)
{
	for (size_t i = 0; i < d->nleaks; i++)
		see(st, f, d->leaks[i].type);
	struct lc_debug_leak *leaks = own(st, d->nleaks, sizeof *leaks);
	size_t n = 0;
	for (size_t i = 0; i < d->nleaks; i++) {
		const struct lc_debug_leak *l = &d->leaks[i];
		if (!lc_filter_keeps(f, l->device, l->type, l->size))
			continue;
		/* without a server log no lifetime has an owner: --pid cannot narrow them (named) */
		if (f->has_pid && sm && !(l->server_entry && owner_is(owners, nowners, l->device, l->address, f->pid)))
			continue;
		leaks[n++] = *l;
	}
	d->leaks = leaks;
	d->nleaks = n;

	/* Each site's open tally and split again, from the kept leaks; the splits keep their order. */
	struct lc_site *sites = own(st, d->nsites, sizeof *sites);
	bool *used = own(st, d->nsites, sizeof *used);
	for (size_t i = 0; i < d->nsites; i++) {
		const struct lc_site *s = d->sites[i];
		sites[i] = *s;
		sites[i].open = (struct lc_tally){ 0, 0 };
		sites[i].split = own(st, s->nsplit, sizeof *sites[i].split);
		for (size_t k = 0; k < s->nsplit; k++)
			sites[i].split[k] = (struct lc_site_split){ s->split[k].device, s->split[k].type, { 0, 0 } };
	}
	d->live = (struct lc_tally){ 0, 0 };
	for (size_t i = 0; i < d->nleaks; i++) {
		const struct lc_debug_leak *l = &d->leaks[i];
		add(&d->live, l->size);
		if (l->site < 0 || (size_t)l->site >= d->nsites)
			continue;
		struct lc_site *s = &sites[l->site];
		used[l->site] = true;
		add(&s->open, l->size);
		for (size_t k = 0; k < s->nsplit; k++)
			if (s->split[k].device == l->device && strcmp(s->split[k].type, l->type) == 0) {
				add(&s->split[k].t, l->size);
				break;
			}
	}
	/* A kept server leak keeps its site even when no kept lifetime is there (its type or size differs). */
	for (size_t i = 0; sm && i < sm->nleaks; i++)
		if (sm->leaks[i].site >= 0 && (size_t)sm->leaks[i].site < d->nsites)
			used[sm->leaks[i].site] = true;
	const struct lc_site **order = own(st, d->nsites, sizeof *order);
	size_t ns = 0;
	for (size_t i = 0; i < d->nsites; i++) {
		if (!used[i])
			continue;
		size_t kt = 0;
		for (size_t k = 0; k < sites[i].nsplit; k++)
			if (sites[i].split[k].t.buffers)
				sites[i].split[kt++] = sites[i].split[k];
		sites[i].nsplit = kt;
		order[ns++] = &sites[i];
	}
	qsort(order, ns, sizeof *order, lc_site_open_cmp); /* the debug model's own order */
	int64_t *index = own(st, d->nsites, sizeof *index);
	for (size_t i = 0; i < ns; i++)
		index[order[i] - sites] = (int64_t)i;
	for (size_t i = 0; i < d->nleaks; i++)
		if (d->leaks[i].site >= 0 && (size_t)d->leaks[i].site < d->nsites)
			d->leaks[i].site = index[d->leaks[i].site];
	for (size_t i = 0; sm && i < sm->nleaks; i++)
		if (sm->leaks[i].site >= 0 && (size_t)sm->leaks[i].site < d->nsites)
			sm->leaks[i].site = index[sm->leaks[i].site];
	d->sites = order;
	d->nsites = ns;
}

void lc_filter_apply(struct lc_filter_state *st, const struct lc_filter *f, struct lc_server_model *sm,
		     struct lc_debug_model *dm)
{
	if (!lc_filter_active(f))
		return;
	st->sm = sm;
	st->dm = dm;
	if (sm)
		st->sm_was = *sm;
	if (dm)
		st->dm_was = *dm;
	struct owner *owners = NULL;
	size_t nowners = 0;
	if (dm && sm && f->has_pid) {
		owners = lc_xcalloc(sm->nleaks + 1, sizeof *owners);
		for (size_t i = 0; i < sm->nleaks; i++)
			owners[nowners++] = (struct owner){ sm->leaks[i].device, sm->leaks[i].pid, sm->leaks[i].address };
		qsort(owners, nowners, sizeof *owners, owner_cmp);
	}
	if (sm)
		server_part(st, f, sm);
	if (dm)
		debug_part(st, f, dm, owners, nowners, sm);
	free(owners);
	if (sm && sm->has_join) {
		sm->join = (struct lc_join_counts){ 0, 0, 0 };
		for (size_t i = 0; i < sm->nleaks; i++) {
			if (sm->leaks[i].site >= 0)
				sm->join.leaks_with_site++;
			else
				sm->join.leaks_without_site++;
		}
		for (size_t i = 0; dm && i < dm->nleaks; i++)
			sm->join.lifetimes_without_entry += !dm->leaks[i].server_entry;
	}
}

void lc_filter_release(struct lc_filter_state *st)
{
	if (st->sm)
		*st->sm = st->sm_was;
	if (st->dm)
		*st->dm = st->dm_was;
	for (size_t i = 0; i < st->nowned; i++)
		free(st->owned[i]);
	free(st->owned);
	memset(st, 0, sizeof *st);
}

size_t lc_filter_not_narrowed(const struct lc_filter *f, bool server, bool debug, const char **names, size_t max)
{
	if (!lc_filter_active(f))
		return 0;
	const char *v[32];
	size_t n = 0;
	bool beyond_device = f->type || f->has_pid || f->min_size;
	if (server) {
		v[n++] = "events";
		v[n++] = "distinct_keys";
		if (f->has_pid || f->min_size)
			v[n++] = "run_list.live";
		v[n++] = "run_list.unknown_frees";
		v[n++] = "run_list.cleanup";
		v[n++] = "run_list.checkpoints";
		v[n++] = "live_at_restarts";
		v[n++] = beyond_device ? "unknown_frees" : "unknown_frees.by_cause";
		if (f->has_device || f->type || f->min_size)
			v[n++] = "cleanup";
		v[n++] = "checkpoints";
		if (f->has_pid || f->min_size)
			v[n++] = "dump_lifecycle";
		if (beyond_device)
			v[n++] = "devices_extra";
		v[n++] = "inconsistencies";
		v[n++] = "implausible";
	}
	if (debug && !server && f->has_pid) {
		v[n++] = "debug.live";
		v[n++] = "debug.leaks";
		v[n++] = "debug.sites";
	}
	if (debug) {
		v[n++] = "debug.blocks";
		v[n++] = "debug.superseded";
		v[n++] = "debug.unmatched";
		v[n++] = "debug.hooked";
		v[n++] = "debug.all_sites";
	}
	if (server || debug)
		v[n++] = "timeline"; /* live memory over the log, as the log had it */
	size_t k = 0;
	for (; k < n && k < max; k++)
		names[k] = v[k];
	return k;
}

int lc_filter_describe(const struct lc_filter *f, char *buf, size_t n)
{
	struct lc_buf b = { 0 };
	if (f->has_device)
		lc_buf_printf(&b, "device %d", (int)f->device);
	if (f->type)
		lc_buf_printf(&b, "%stype %s", b.n ? ", " : "", f->type);
	if (f->has_pid)
		lc_buf_printf(&b, "%spid %d", b.n ? ", " : "", (int)f->pid);
	if (f->min_size)
		lc_buf_printf(&b, "%ssize >= %llu", b.n ? ", " : "", (unsigned long long)f->min_size);
	int rc = snprintf(buf, n, "%.*s", (int)b.n, b.n ? b.p : "");
	lc_buf_release(&b);
	return rc;
}

static bool side_keeps(const struct lc_item *it, const void *ctx)
{
	return lc_filter_keeps(ctx, it->device, it->type, it->size);
}

void lc_filter_side(const struct lc_filter *f, struct lc_side *s)
{
	if (lc_filter_active(f))
		lc_side_keep(s, side_keeps, f);
}

static int pid_row_cmp(const void *a, const void *b)
{
	const struct lc_pid_remaining *x = a, *y = b;
	if (x->t.bytes != y->t.bytes)
		return x->t.bytes > y->t.bytes ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int pid_dev_cmp(const void *a, const void *b)
{
	const struct lc_leak *x = *(const struct lc_leak *const *)a, *y = *(const struct lc_leak *const *)b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->device < y->device ? -1 : x->device > y->device;
}

size_t lc_remaining_by_pid(const struct lc_server_model *m, struct lc_pid_remaining **out)
{
	const struct lc_leak **v = lc_xcalloc(m->nleaks + 1, sizeof *v);
	for (size_t i = 0; i < m->nleaks; i++)
		v[i] = &m->leaks[i];
	qsort(v, m->nleaks, sizeof *v, pid_dev_cmp);
	struct lc_pid_remaining *rows = NULL;
	size_t n = 0;
	for (size_t i = 0; i < m->nleaks; i++) {
		if (!n || rows[n - 1].pid != v[i]->pid) {
			rows = lc_xrealloc(rows, (n + 1) * sizeof *rows);
			rows[n++] = (struct lc_pid_remaining){ .pid = v[i]->pid };
		}
		struct lc_pid_remaining *r = &rows[n - 1];
		add(&r->t, v[i]->size);
		if (!r->ndevices || r->devices[r->ndevices - 1] != v[i]->device) {
			r->devices = lc_xrealloc(r->devices, (r->ndevices + 1) * sizeof *r->devices);
			r->devices[r->ndevices++] = v[i]->device;
		}
	}
	free(v);
	if (n > 1)
		qsort(rows, n, sizeof *rows, pid_row_cmp);
	*out = rows;
	return n;
}

void lc_pid_remaining_free(struct lc_pid_remaining *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		free(rows[i].devices);
	free(rows);
}
