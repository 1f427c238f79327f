// SPDX-License-Identifier: MIT
// The evidence of what the remaining buffers are: allocation groups and classes, with figures.
#include "lc/evidence.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/event.h"

/* ---------- names ---------- */

const char *lc_phase_name(enum lc_phase p)
{
	static const char *const names[] = { "no_stats", "before_first_stats", "between_stats", "after_last_stats" };
	return names[p];
}

const char *lc_dump_phase_name(enum lc_dump_phase p)
{
	static const char *const names[] = { "no_dump", "before_first_dump", "after_first_dump" };
	return names[p];
}

const char *lc_tenth_name(enum lc_tenth t)
{
	static const char *const names[] = { "first_tenth", "middle", "last_tenth" };
	return names[t];
}

const char *lc_shape_name(enum lc_shape s)
{
	static const char *const names[] = { "all_devices", "some_devices", "one_device" };
	return names[s];
}

static const char *const lifetime_names[] = {
	"under_10", "under_100", "under_1000", "under_10000", "under_100000", "under_1000000", "1000000_or_more",
};
#define NLIFETIME (sizeof lifetime_names / sizeof lifetime_names[0])

uint64_t lc_size_class(uint64_t size)
{
	if (!size)
		return 0;
	return 1ull << (63 - __builtin_clzll(size));
}

char *lc_device_set_text(const int32_t *devs, size_t n, char *buf, size_t bufsz)
{
	if (n == 0) {
		snprintf(buf, bufsz, "no device");
		return buf;
	}
	if (n == 1) {
		snprintf(buf, bufsz, "device %" PRId32 " only", devs[0]);
		return buf;
	}
	size_t len = (size_t)snprintf(buf, bufsz, "%zu devices: ", n);
	for (size_t i = 0; i < n && len < bufsz;) {
		size_t j = i;
		while (j + 1 < n && devs[j + 1] == devs[j] + 1)
			j++;
		const char *sep = i ? ", " : "";
		if (j == i)
			len += (size_t)snprintf(buf + len, bufsz - len, "%s%" PRId32, sep, devs[i]);
		else
			len += (size_t)snprintf(buf + len, bufsz - len, "%s%" PRId32 "-%" PRId32, sep, devs[i], devs[j]);
		i = j + 1;
	}
	return buf;
}

/* ---------- positions and device sets ---------- */

static int pos_cmp(uint32_t ia, uint64_t la, uint32_t ib, uint64_t lb)
{
	if (ia != ib)
		return ia < ib ? -1 : 1;
	return la < lb ? -1 : la > lb;
}

/* A sorted set of devices, as a growing array. */
struct devset {
	int32_t *v;
	size_t n, cap;
};

static bool devset_has(const struct devset *s, int32_t d, size_t *at)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < s->n && s->v[lo] == d;
}

static void devset_add(struct devset *s, int32_t d)
{
	size_t at;
	if (devset_has(s, d, &at))
		return;
	lc_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v);
	memmove(&s->v[at + 1], &s->v[at], (s->n - at) * sizeof *s->v);
	s->v[at] = d;
	s->n++;
}

/* ---------- the per-entry facts ---------- */

static const struct lc_leak *sort_leaks;

/* Allocation order: (input, line). */
static int by_position(const void *a, const void *b)
{
	const struct lc_leak *x = &sort_leaks[*(const uint32_t *)a], *y = &sort_leaks[*(const uint32_t *)b];
	return pos_cmp(x->input, x->line, y->input, y->line);
}

/* (type name, size), then allocation order: the scan order of the group rule. */
static int by_type_size_position(const void *a, const void *b)
{
	const struct lc_leak *x = &sort_leaks[*(const uint32_t *)a], *y = &sort_leaks[*(const uint32_t *)b];
	int c = strcmp(x->type, y->type);
	if (c)
		return c;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return by_position(a, b);
}

static void run_marks(struct lc_evidence *ev, const struct lc_server_model *m, uint64_t run)
{
	for (size_t i = 0; i < m->ncheckpoints; i++) {
		const struct lc_checkpoint *c = &m->checkpoints[i];
		if (lc_server_run_of(m, c->input, c->line) != run)
			continue;
		if (c->kind == LC_CP_STATS) {
			if (!ev->stats_blocks++) {
				ev->first_stats_input = c->input;
				ev->first_stats_line = c->line;
			}
			ev->last_stats_input = c->input;
			ev->last_stats_line = c->line;
		} else if (!ev->dumps++) {
			ev->first_dump_input = c->input;
			ev->first_dump_line = c->line;
		}
	}
}

static uint8_t tenth_of(uint64_t seq, uint64_t n)
{
	if (!n || !seq)
		return LC_TENTH_MIDDLE;
	uint64_t k = seq - 1;
	uint64_t b = k >= n ? 9 : k <= UINT64_MAX / 10 ? k * 10 / n : (uint64_t)((double)k * 10.0 / (double)n);
	return b == 0 ? LC_TENTH_FIRST : b >= 9 ? LC_TENTH_LAST : LC_TENTH_MIDDLE;
}

static void classify(struct lc_evidence *ev, struct lc_leak *l, const uint64_t *before, uint64_t end)
{
	l->ev.has = true;
	if (!ev->stats_blocks)
		l->ev.phase = LC_PHASE_NO_STATS;
	else if (pos_cmp(l->input, l->line, ev->first_stats_input, ev->first_stats_line) < 0)
		l->ev.phase = LC_PHASE_BEFORE_STATS;
	else if (pos_cmp(l->input, l->line, ev->last_stats_input, ev->last_stats_line) > 0)
		l->ev.phase = LC_PHASE_AFTER_STATS;
	else
		l->ev.phase = LC_PHASE_BETWEEN_STATS;
	if (!ev->dumps)
		l->ev.dump_phase = LC_DPHASE_NO_DUMP;
	else
		l->ev.dump_phase = pos_cmp(l->input, l->line, ev->first_dump_input, ev->first_dump_line) < 0
					   ? LC_DPHASE_BEFORE
					   : LC_DPHASE_AFTER;
	l->ev.tenth = tenth_of(l->seq, ev->run ? ev->run->allocations : 0);
	uint64_t at = before[l->input] + l->line;
	l->ev.lifetime_lines = end > at ? end - at : 0;
}

/* ---------- groups ---------- */

static void set_to_array(struct devset *s, int32_t **out, size_t *n)
{
	*out = s->v ? s->v : lc_xcalloc(1, sizeof **out);
	*n = s->n;
	memset(s, 0, sizeof *s);
}

/* The pool's offsets of a group's devices and PIDs while the pool may still move. */
struct gspan {
	uint32_t devices, pids;
};

static uint32_t pool_put(struct lc_evidence *ev, size_t *cap, size_t *n, const struct devset *s)
{
	lc_grow((void **)&ev->pool, cap, *n + s->n + 1, sizeof *ev->pool);
	memcpy(&ev->pool[*n], s->v, s->n * sizeof *s->v);
	uint32_t at = (uint32_t)*n;
	*n += s->n;
	return at;
}

size_t lc_group_missing(const struct lc_evidence *ev, const struct lc_alloc_group *g, int32_t *out)
{
	/* out NULL: count only */
	const int32_t *run = ev->run_devices;
	size_t nrun = ev->nrun_devices, k = 0;
	for (size_t r = 0, d = 0; r < nrun; r++) {
		while (d < g->ndevices && g->devices[d] < run[r])
			d++;
		if (d >= g->ndevices || g->devices[d] != run[r]) {
			if (out)
				out[k] = run[r];
			k++;
		}
	}
	return k;
}

/*
 * The group rule, in one place for both passes: l joins the open group whose first entry is
 * first when it has the same type and size, lies in the same input at most window lines
 * after it, and its device is not in the group (devs) yet.
 */
static bool joins_group(const struct lc_leak *first, const struct lc_leak *l, uint64_t window,
			const struct devset *devs)
{
	size_t at;
	return first && strcmp(first->type, l->type) == 0 && first->size == l->size && first->input == l->input &&
	       l->line - first->line <= window && !devset_has(devs, l->device, &at);
}

static const struct lc_alloc_group *sort_groups;

static int group_idx_cmp(const void *a, const void *b)
{
	const struct lc_alloc_group *x = &sort_groups[*(const uint32_t *)a], *y = &sort_groups[*(const uint32_t *)b];
	if (x->t.bytes != y->t.bytes)
		return x->t.bytes > y->t.bytes ? -1 : 1;
	int c = lc_device_type_cmp(0, x->type, 0, y->type);
	if (c)
		return c;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return pos_cmp(x->input, x->first_line, y->input, y->first_line);
}

/* Closes group g: its devices and PIDs go to the pool. */
static void group_close(struct lc_evidence *ev, struct gspan *sp, struct devset *devs, struct devset *pids,
			size_t *cap, size_t *npool)
{
	struct lc_alloc_group *g = &ev->groups[ev->ngroups - 1];
	sp->devices = pool_put(ev, cap, npool, devs);
	g->ndevices = (uint32_t)devs->n;
	sp->pids = pool_put(ev, cap, npool, pids);
	g->npids = (uint32_t)pids->n;
	devs->n = pids->n = 0;
}

static void build_groups(struct lc_evidence *ev, struct lc_leak *leaks, size_t n, uint32_t *order, uint64_t window)
{
	sort_leaks = leaks;
	qsort(order, n, sizeof *order, by_type_size_position);
	/* pass 1: the groups, in scan order; each entry's group index kept in place of its order */
	/* pass 0: count the groups, so that they are allocated once at their size (one may be
	 * made per entry: a million live entries must not pay for doubling and copying) */
	struct devset devs = { 0 }, pids = { 0 };
	size_t count = 0;
	const struct lc_leak *first = NULL;
	for (size_t k = 0; k < n; k++) {
		const struct lc_leak *l = &leaks[order[k]];
		if (!joins_group(first, l, window, &devs)) {
			count++;
			first = l;
			devs.n = 0;
		}
		devset_add(&devs, l->device);
	}
	devs.n = 0;
	first = NULL;
	size_t capg = count, cappool = 0, npool = 0, capspans = count;
	ev->groups = lc_xcalloc(count ? count : 1, sizeof *ev->groups);
	struct gspan *spans = lc_xcalloc(count ? count : 1, sizeof *spans);
	struct lc_alloc_group *g = NULL;
	for (size_t k = 0; k < n; k++) {
		struct lc_leak *l = &leaks[order[k]];
		if (!joins_group(first, l, window, &devs)) {
			first = l;
			if (g)
				group_close(ev, &spans[ev->ngroups - 1], &devs, &pids, &cappool, &npool);
			lc_grow((void **)&ev->groups, &capg, ev->ngroups + 1, sizeof *ev->groups);
			lc_grow((void **)&spans, &capspans, ev->ngroups + 1, sizeof *spans);
			g = &ev->groups[ev->ngroups++];
			*g = (struct lc_alloc_group){ .type = l->type, .size = l->size, .input = l->input,
						      .first_line = l->line, .last_line = l->line };
		}
		devset_add(&devs, l->device);
		devset_add(&pids, l->pid);
		g->t.buffers++;
		g->t.bytes = lc_add_sat(g->t.bytes, l->size, &(bool){ false });
		if (l->line > g->last_line)
			g->last_line = l->line;
		l->ev.group = (uint32_t)(ev->ngroups - 1);
	}
	if (g)
		group_close(ev, &spans[ev->ngroups - 1], &devs, &pids, &cappool, &npool);
	free(devs.v);
	free(pids.v);
	/* the pool no longer moves: point the groups into it, then their shapes */
	for (size_t i = 0; i < ev->ngroups; i++) {
		struct lc_alloc_group *gr = &ev->groups[i];
		gr->devices = ev->pool + spans[i].devices;
		gr->pids = ev->pool + spans[i].pids;
		gr->nmissing = (uint32_t)lc_group_missing(ev, gr, NULL);
		gr->shape = !gr->nmissing ? LC_SHAPE_ALL : gr->ndevices == 1 ? LC_SHAPE_ONE : LC_SHAPE_SOME;
		ev->nasymmetric += gr->shape != LC_SHAPE_ALL;
	}
	free(spans);
	/* pass 2: the report's order, applied in place by following the permutation's cycles */
	uint32_t *sorted = lc_xcalloc(ev->ngroups ? ev->ngroups : 1, sizeof *sorted);
	for (size_t i = 0; i < ev->ngroups; i++)
		sorted[i] = (uint32_t)i;
	sort_groups = ev->groups;
	qsort(sorted, ev->ngroups, sizeof *sorted, group_idx_cmp);
	uint32_t *rank = lc_xcalloc(ev->ngroups ? ev->ngroups : 1, sizeof *rank); /* old index -> new */
	for (size_t i = 0; i < ev->ngroups; i++)
		rank[sorted[i]] = (uint32_t)i;
	for (size_t k = 0; k < n; k++)
		leaks[order[k]].ev.group = rank[leaks[order[k]].ev.group];
	for (size_t i = 0; i < ev->ngroups; i++) {
		/* place the group that belongs at rank[i], until position i holds its own */
		while (rank[i] != i) {
			uint32_t j = rank[i];
			struct lc_alloc_group t = ev->groups[j];
			ev->groups[j] = ev->groups[i];
			ev->groups[i] = t;
			rank[i] = rank[j];
			rank[j] = j;
		}
	}
	free(rank);
	free(sorted);
}

/* ---------- classes ---------- */

struct keyed {
	int64_t key;
	size_t leak;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->leak < y->leak ? -1 : x->leak > y->leak;
}

static int site_share_cmp(const void *a, const void *b)
{
	const struct lc_site_share *x = a, *y = b;
	if (x->t.bytes != y->t.bytes)
		return x->t.bytes > y->t.bytes ? -1 : 1;
	if (x->t.buffers != y->t.buffers)
		return x->t.buffers > y->t.buffers ? -1 : 1;
	return x->site < y->site ? -1 : x->site > y->site;
}

static int row_by_bytes(const void *a, const void *b)
{
	const struct lc_class_row *x = a, *y = b;
	if (x->t.bytes != y->t.bytes)
		return x->t.bytes > y->t.bytes ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* The top sites of the entries kv[0..n) (sorted by key, then leak). */
static void row_sites(struct lc_class_row *row, const struct lc_leak *leaks, const struct keyed *kv, size_t n)
{
	struct keyed *bysite = lc_xcalloc(n ? n : 1, sizeof *bysite);
	for (size_t i = 0; i < n; i++)
		bysite[i] = (struct keyed){ leaks[kv[i].leak].site, kv[i].leak };
	qsort(bysite, n, sizeof *bysite, keyed_cmp);
	struct lc_site_share *all = lc_xcalloc(n ? n : 1, sizeof *all);
	size_t nall = 0;
	bool sat = false;
	for (size_t i = 0; i < n; i++) {
		if (!nall || all[nall - 1].site != bysite[i].key)
			all[nall++] = (struct lc_site_share){ .site = bysite[i].key };
		all[nall - 1].t.buffers++;
		all[nall - 1].t.bytes = lc_add_sat(all[nall - 1].t.bytes, leaks[bysite[i].leak].size, &sat);
	}
	qsort(all, nall, sizeof *all, site_share_cmp);
	row->nsites = nall < LC_CLASS_SITES ? nall : LC_CLASS_SITES;
	memcpy(row->sites, all, row->nsites * sizeof *all);
	free(all);
	free(bysite);
}

static void class_name(struct lc_class_row *row, enum lc_dim dim, int64_t key)
{
	const char *s = NULL;
	switch (dim) {
	case LC_DIM_PHASE: s = lc_phase_name((enum lc_phase)key); break;
	case LC_DIM_DUMP: s = lc_dump_phase_name((enum lc_dump_phase)key); break;
	case LC_DIM_TENTH: s = lc_tenth_name((enum lc_tenth)key); break;
	case LC_DIM_LIFETIME: s = lifetime_names[key]; break;
	case LC_DIM_SHAPE: s = lc_shape_name((enum lc_shape)key); break;
	case LC_DIM_SITE:
		if (key < 0)
			s = "none";
		break;
	default: break;
	}
	if (s)
		snprintf(row->name, sizeof row->name, "%s", s);
	else
		snprintf(row->name, sizeof row->name, "%" PRId64, key);
}

/* Order of the fixed classes in reports: phases in log order, "none" kinds last. */
static int64_t fixed_order(enum lc_dim dim, int64_t key)
{
	if (dim == LC_DIM_PHASE)
		return key == LC_PHASE_NO_STATS ? 9 : key;
	if (dim == LC_DIM_DUMP)
		return key == LC_DPHASE_NO_DUMP ? 9 : key;
	return key;
}

static int64_t dim_key(const struct lc_evidence *ev, enum lc_dim dim, const struct lc_leak *l)
{
	switch (dim) {
	case LC_DIM_PHASE: return l->ev.phase;
	case LC_DIM_DUMP: return l->ev.dump_phase;
	case LC_DIM_TENTH: return l->ev.tenth;
	case LC_DIM_LIFETIME: {
		int64_t b = 0;
		for (uint64_t v = l->ev.lifetime_lines; v >= 10 && b < (int64_t)NLIFETIME - 1; v /= 10)
			b++;
		return b;
	}
	case LC_DIM_SIZE: return (int64_t)(lc_size_class(l->size) >> 1); /* fits in int64 */
	case LC_DIM_SHAPE: return ev->groups[l->ev.group].shape;
	case LC_DIM_OWNER: return l->pid;
	default: return l->site;
	}
}

static void build_dim(struct lc_evidence *ev, enum lc_dim dim, const struct lc_leak *leaks, size_t n, bool sites)
{
	static const char *const by[] = { "phase", "dump", "tenth", "lifetime", "size", "shape", "owner", "site" };
	struct lc_class_dim *d = &ev->dims[ev->ndims++];
	d->by = by[dim];
	struct keyed *kv = lc_xcalloc(n ? n : 1, sizeof *kv);
	bool fixed = dim == LC_DIM_PHASE || dim == LC_DIM_DUMP || dim == LC_DIM_TENTH || dim == LC_DIM_LIFETIME ||
		     dim == LC_DIM_SHAPE;
	for (size_t i = 0; i < n; i++) {
		int64_t k = dim_key(ev, dim, &leaks[i]);
		kv[i] = (struct keyed){ fixed ? fixed_order(dim, k) : k, i };
	}
	qsort(kv, n, sizeof *kv, keyed_cmp);
	size_t nrows = 0;
	for (size_t i = 0; i < n; i++)
		nrows += !i || kv[i].key != kv[i - 1].key;
	d->rows = lc_xcalloc(nrows ? nrows : 1, sizeof *d->rows);
	bool sat = false;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && kv[j].key == kv[i].key)
			j++;
		struct lc_class_row *row = &d->rows[d->nrows++];
		const struct lc_leak *l0 = &leaks[kv[i].leak];
		row->key = dim == LC_DIM_SIZE ? (int64_t)lc_size_class(l0->size) : dim_key(ev, dim, l0);
		class_name(row, dim, row->key);
		struct devset devs = { 0 };
		row->first_input = row->last_input = l0->input;
		row->first_line = row->last_line = l0->line;
		for (size_t k = i; k < j; k++) {
			const struct lc_leak *l = &leaks[kv[k].leak];
			row->t.buffers++;
			row->t.bytes = lc_add_sat(row->t.bytes, l->size, &sat);
			devset_add(&devs, l->device);
			if (pos_cmp(l->input, l->line, row->first_input, row->first_line) < 0) {
				row->first_input = l->input;
				row->first_line = l->line;
			}
			if (pos_cmp(l->input, l->line, row->last_input, row->last_line) > 0) {
				row->last_input = l->input;
				row->last_line = l->line;
			}
		}
		set_to_array(&devs, &row->devices, &row->ndevices);
		if (sites)
			row_sites(row, leaks, &kv[i], j - i);
		i = j;
	}
	if (!fixed)
		qsort(d->rows, d->nrows, sizeof *d->rows, row_by_bytes);
	free(kv);
}

void lc_evidence_build(struct lc_evidence *ev, struct lc_leak *leaks, size_t n, const struct lc_server_model *m,
		       const struct lc_input_info *inputs, size_t ninputs, const struct lc_evidence_scope *scope,
		       bool with_sites, uint64_t window)
{
	memset(ev, 0, sizeof *ev);
	ev->built = true;
	ev->scope = scope->name;
	ev->scope_input = scope->input;
	ev->scope_line = scope->line;
	ev->window = window;
	uint64_t run = scope->run ? scope->run : m->runs;
	ev->run = run && run <= m->runs ? &m->run_list[run - 1] : NULL;
	if (ev->run) {
		ev->run_devices = ev->run->alloc_devices;
		ev->nrun_devices = ev->run->nalloc_devices;
		if (scope->has_device) {
			ev->nrun_devices = 0;
			for (size_t i = 0; i < ev->run->nalloc_devices; i++)
				if (ev->run->alloc_devices[i] == scope->device) {
					ev->run_devices = &ev->run->alloc_devices[i];
					ev->nrun_devices = 1;
				}
		}
	}
	run_marks(ev, m, run);
	/* before[i]: the server-log lines of the inputs before i; (input i, line L) is server-log
	 * line before[i] + L of the stream, and a lifetime is the distance to the scope's end */
	uint64_t *before = lc_xcalloc(ninputs + 1, sizeof *before);
	for (size_t i = 0; i < ninputs; i++) {
		bool server = inputs[i].format && strcmp(inputs[i].format, "server-log") == 0;
		before[i + 1] = before[i] + (server ? inputs[i].lines : 0);
	}
	uint64_t end = scope->at && scope->input < ninputs ? before[scope->input] + scope->line : before[ninputs];
	bool sat = false;
	for (size_t i = 0; i < n; i++) {
		ev->total.buffers++;
		ev->total.bytes = lc_add_sat(ev->total.bytes, leaks[i].size, &sat);
		if (leaks[i].input < ninputs)
			classify(ev, &leaks[i], before, end);
	}
	free(before);
	uint32_t *order = lc_xcalloc(n ? n : 1, sizeof *order); /* entries fit in 32 bits: each costs ~100 bytes */
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	build_groups(ev, leaks, n, order, window);
	free(order);
	for (int dim = 0; dim < LC_NDIMS; dim++)
		if (dim != LC_DIM_SITE || with_sites)
			build_dim(ev, (enum lc_dim)dim, leaks, n, with_sites);
}

void lc_evidence_release(struct lc_evidence *ev)
{
	if (!ev->built)
		return;
	free(ev->groups);
	free(ev->pool);
	for (size_t d = 0; d < ev->ndims; d++) {
		for (size_t i = 0; i < ev->dims[d].nrows; i++)
			free(ev->dims[d].rows[i].devices);
		free(ev->dims[d].rows);
	}
	memset(ev, 0, sizeof *ev);
}
