// SPDX-License-Identifier: MIT
// Sides of a comparison: leaks as items with interned types and stacks, and the figures the gate reads.
#include "lc/side.h"

#include <stdlib.h>
#include <string.h>

#include "lc/hash.h"
#include "lc/index.h"
#include "lc/jsonread.h"
#include "lc/event.h"
#include "lc/util.h"

/* Returns the side's copy of the string (p, n), interned: equal strings share one pointer. */
static const char *intern(struct lc_side *s, const char *p, size_t n)
{
	return lc_intern_str(&s->strs, lc_intern_put(&s->strs, (struct lc_span){ p, n }));
}

static const char *intern_cstr(struct lc_side *s, const char *p)
{
	return intern(s, p, strlen(p));
}

/* What makes two items equal; interned strings compare by pointer. */
struct itemkey {
	int32_t device;
	int32_t from_debug;
	uint64_t size;
	const char *type;
	const struct lc_stack *stack;
};

struct itemref {
	struct itemkey k;
	size_t index;
	UT_hash_handle hh;
};

static void add_item(struct lc_side *s, struct lc_item it)
{
	struct itemkey k;
	memset(&k, 0, sizeof k);
	k.device = it.device;
	k.from_debug = it.from_debug;
	k.size = it.size;
	k.type = it.type;
	k.stack = it.stack;
	struct itemref *tab = s->item_table, *r;
	HASH_FIND(hh, tab, &k, sizeof k, r);
	if (r) {
		s->items[r->index].count++;
		return;
	}
	lc_grow((void **)&s->items, &s->capitems, s->nitems + 1, sizeof *s->items);
	it.count = 1;
	r = lc_xcalloc(1, sizeof *r);
	r->k = k;
	r->index = s->nitems;
	HASH_ADD(hh, tab, k, sizeof r->k, r);
	s->item_table = tab;
	s->items[s->nitems++] = it;
}

uint64_t lc_item_bytes(const struct lc_item *it, bool *sat)
{
	if (it->size && it->count > UINT64_MAX / it->size) {
		*sat = true;
		return UINT64_MAX;
	}
	return it->size * it->count;
}

/* An interned stack; the public part first, so that the pointers convert. */
struct stackent {
	struct lc_stack st;
	uint64_t h;
	size_t id;             /* order of interning */
	struct lc_span *own;   /* frames the side owns (their text interned), else NULL */
};

/* The side's stacks by id, found through an lc_index on stack_hash. */
struct stacktab {
	struct lc_index ix;
	struct stackent **by_id; /* owns the entries */
	size_t n, cap;
	size_t *group;         /* by entry id: its index in groups while lc_side_derive runs */
	size_t capgroup;
};

static uint64_t stack_hash(const struct lc_span *frames, size_t n)
{
	uint64_t h = n;
	for (size_t i = 0; i < n; i++)
		h = lc_hash_bytes(frames[i].p, frames[i].n, h);
	return h;
}

static bool same_frames(const struct lc_stack *a, const struct lc_span *frames, size_t n)
{
	if (a->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (a->frames[i].n != frames[i].n || memcmp(a->frames[i].p, frames[i].p, frames[i].n) != 0)
			return false;
	return true;
}

/* A stack sought in the index. */
struct stackq {
	const struct stacktab *t;
	const struct lc_span *frames;
	size_t n;
	uint64_t h;
};

static bool stack_eq(const void *ctx, uint32_t id)
{
	const struct stackq *q = ctx;
	const struct stackent *e = q->t->by_id[id];
	return e->h == q->h && same_frames(&e->st, q->frames, q->n);
}

/*
 * The side's stack with these frames. own, when not NULL, is frames allocated for it: kept by
 * a new entry or freed when the stack is already there. Otherwise the frames are borrowed.
 */
static const struct lc_stack *intern_stack(struct lc_side *s, const struct lc_span *frames, size_t n,
					   struct lc_span *own)
{
	struct stacktab *t = s->stacks;
	if (!t) {
		s->stacks = t = lc_xcalloc(1, sizeof *t);
		t->ix.first = 64;
	}
	uint64_t h = stack_hash(frames, n);
	struct stackq q = { t, frames, n, h };
	size_t slot;
	uint32_t found = lc_index_find(&t->ix, h, stack_eq, &q, &slot);
	if (found != LC_INDEX_NONE) {
		free(own);
		return &t->by_id[found]->st;
	}
	if (t->n >= LC_INDEX_NONE - 1)
		lc_oom();
	struct stackent *e = lc_xcalloc(1, sizeof *e);
	e->st = (struct lc_stack){ frames, n };
	e->h = h;
	e->own = own;
	e->id = t->n;
	lc_grow((void **)&t->by_id, &t->cap, t->n + 1, sizeof *t->by_id);
	t->by_id[t->n] = e;
	lc_grow((void **)&t->group, &t->capgroup, t->n + 1, sizeof *t->group);
	t->group[t->n] = SIZE_MAX;
	lc_index_put(&t->ix, slot, h, (uint32_t)t->n++);
	return &e->st;
}

/* A stack of frames given as text: the text is interned, the spans owned. */
static const struct lc_stack *owned_stack(struct lc_side *s, const struct lc_span *frames, size_t n)
{
	struct lc_span *own = lc_xcalloc(n + 1, sizeof *own);
	for (size_t i = 0; i < n; i++)
		own[i] = (struct lc_span){ intern(s, frames[i].p, frames[i].n), frames[i].n };
	return intern_stack(s, own, n, own);
}

static const struct lc_stack *site_stack(struct lc_side *s, const struct lc_site *st)
{
	return intern_stack(s, st->frames, st->nframes, NULL);
}

void lc_side_from_models(struct lc_side *s, const char *name, const struct lc_server_model *sm,
			 const struct lc_debug_model *dm, const struct lc_input_info *inputs, size_t ninputs,
			 uint64_t stack_depth, const char *const *skip, size_t nskip)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->stack_depth = stack_depth;
	s->nskip = nskip;
	s->skip = lc_xcalloc(nskip + 1, sizeof *s->skip);
	for (size_t i = 0; i < nskip; i++)
		s->skip[i] = lc_xstrndup(skip[i], strlen(skip[i]));
	for (size_t i = 0; i < ninputs; i++)
		s->malformed_lines += inputs[i].malformed;
	if (dm) {
		s->has_debug = true;
		for (size_t i = 0; i < dm->nleaks; i++) {
			const struct lc_debug_leak *l = &dm->leaks[i];
			const struct lc_site *st = dm->sites[l->site];
			add_item(s, (struct lc_item){ l->device, intern_cstr(s, l->type), l->size,
						      site_stack(s, st), true, false, 0 });
		}
	}
	if (sm) {
		s->has_server = true;
		s->free_unknown = sm->unknown_count;
		s->never_seen = sm->never_seen;
		s->after_final_free = sm->after_final_free;
		s->after_cleanup = sm->after_cleanup;
		s->after_restart = sm->after_restart;
		if (sm->runs) {
			s->last_run_unknown = sm->run_list[sm->runs - 1].unknown.count;
			s->last_run_cleanup_buffers = sm->run_list[sm->runs - 1].cleanup.buffers;
		}
		s->live_at_restarts_buffers = sm->live_at_restarts.buffers;
		s->live_at_restarts_bytes = sm->live_at_restarts.bytes;
		s->checkpoints_disagree = sm->checkpoints_disagree;
		for (size_t i = 0; i < sm->ncleanup; i++) {
			s->cleanup_buffers += sm->cleanup[i].t.buffers;
			s->cleanup_bytes += sm->cleanup[i].t.bytes;
		}
		for (size_t i = 0; i < sm->nleaks; i++) {
			const struct lc_leak *l = &sm->leaks[i];
			const struct lc_stack *stack = NULL;
			if (dm && l->site >= 0)
				stack = site_stack(s, dm->sites[l->site]);
			add_item(s, (struct lc_item){ l->device, intern_cstr(s, l->type), l->size, stack, false, false, 0 });
		}
	}
}

static const char *jstr(const struct lc_jval *v)
{
	return v && v->type == LC_JSTR ? v->s : NULL;
}

int lc_side_from_json(struct lc_side *s, const char *name, const struct lc_jval *doc)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	const char *schema = jstr(lc_jget(doc, "schema"));
	if (!schema || strcmp(schema, "tt-leakcorr/1") != 0)
		return lc_error("%s: not a tt-leakcorr/1 JSON report", name);
	const struct lc_jval *diff = lc_jget(doc, "diff");
	if (diff && diff->type != LC_JNULL)
		return lc_error("%s: a --diff report cannot be one side of a comparison", name);
	const struct lc_jval *inputs = lc_jget(doc, "inputs");
	for (size_t i = 0; inputs && inputs->type == LC_JARR && i < inputs->count; i++)
		s->malformed_lines += lc_juint(lc_jget(&inputs->items[i], "malformed_lines"));
	const struct lc_jval *opts = lc_jget(doc, "options");
	s->stack_depth = lc_juint(lc_jget(opts, "stack_depth"));
	const struct lc_jval *skip = lc_jget(opts, "skip_frames");
	s->skip = lc_xcalloc((skip && skip->type == LC_JARR ? skip->count : 0) + 1, sizeof *s->skip);
	for (size_t i = 0; skip && skip->type == LC_JARR && i < skip->count; i++)
		if (jstr(&skip->items[i]))
			s->skip[s->nskip++] = lc_xstrndup(skip->items[i].s, skip->items[i].n);

	const struct lc_jval *debug = lc_jget(doc, "debug");
	const struct lc_jval *sites = lc_jget(debug, "sites");
	const struct lc_stack **site_keys = NULL;
	size_t nsite_keys = sites && sites->type == LC_JARR ? sites->count : 0;
	if (debug && debug->type == LC_JOBJ) {
		s->has_debug = true;
		site_keys = lc_xcalloc(nsite_keys + 1, sizeof *site_keys);
		for (size_t i = 0; i < nsite_keys; i++) {
			const struct lc_jval *fr = lc_jget(&sites->items[i], "frames");
			size_t n = fr && fr->type == LC_JARR ? fr->count : 0;
			struct lc_span *sp = lc_xcalloc(n + 1, sizeof *sp);
			for (size_t k = 0; k < n; k++)
				sp[k] = (struct lc_span){ fr->items[k].s ? fr->items[k].s : "", fr->items[k].n };
			site_keys[i] = owned_stack(s, sp, n);
			free(sp);
		}
		const struct lc_jval *leaks = lc_jget(debug, "leaks");
		for (size_t i = 0; leaks && leaks->type == LC_JARR && i < leaks->count; i++) {
			const struct lc_jval *l = &leaks->items[i];
			int64_t site = lc_jint(lc_jget(l, "site"));
			const char *type = jstr(lc_jget(l, "type"));
			add_item(s, (struct lc_item){ (int32_t)lc_jint(lc_jget(l, "device")), intern_cstr(s, type ? type : "?"),
						      lc_juint(lc_jget(l, "size")),
						      site >= 0 && (size_t)site < nsite_keys ? site_keys[site] : NULL, true,
						      false, 0 });
		}
	}
	const struct lc_jval *server = lc_jget(doc, "server");
	if (server && server->type == LC_JOBJ) {
		s->has_server = true;
		const struct lc_jval *uf = lc_jget(server, "unknown_frees");
		s->free_unknown = lc_juint(lc_jget(uf, "count"));
		const struct lc_jval *bc = lc_jget(uf, "by_cause");
		s->never_seen = lc_juint(lc_jget(bc, "never_seen"));
		s->after_final_free = lc_juint(lc_jget(bc, "after_final_free"));
		s->after_cleanup = lc_juint(lc_jget(bc, "after_cleanup"));
		s->after_restart = lc_juint(lc_jget(bc, "after_restart")); /* 0 in reports older than the cause */
		const struct lc_jval *lr = lc_jget(server, "last_run");
		s->last_run_unknown = lc_juint(lc_jget(lc_jget(lr, "unknown_frees"), "count"));
		s->last_run_cleanup_buffers = lc_juint(lc_jget(lc_jget(lr, "cleanup"), "buffers"));
		const struct lc_jval *lar = lc_jget(server, "live_at_restarts");
		s->live_at_restarts_buffers = lc_juint(lc_jget(lar, "buffers"));
		s->live_at_restarts_bytes = lc_juint(lc_jget(lar, "bytes"));
		const struct lc_jval *cps = lc_jget(server, "checkpoints");
		for (size_t i = 0; cps && cps->type == LC_JARR && i < cps->count; i++) {
			const struct lc_jval *a = lc_jget(&cps->items[i], "agrees");
			if (a && a->type == LC_JBOOL && !a->b)
				s->checkpoints_disagree++;
		}
		const struct lc_jval *cl = lc_jget(server, "cleanup");
		for (size_t i = 0; cl && cl->type == LC_JARR && i < cl->count; i++) {
			s->cleanup_buffers += lc_juint(lc_jget(&cl->items[i], "buffers"));
			s->cleanup_bytes += lc_juint(lc_jget(&cl->items[i], "bytes"));
		}
		const struct lc_jval *leaks = lc_jget(server, "leaks");
		for (size_t i = 0; leaks && leaks->type == LC_JARR && i < leaks->count; i++) {
			const struct lc_jval *l = &leaks->items[i];
			const struct lc_jval *site = lc_jget(l, "site");
			int64_t si = site && site->type == LC_JNUM ? lc_jint(site) : -1;
			const char *type = jstr(lc_jget(l, "type"));
			add_item(s, (struct lc_item){ (int32_t)lc_jint(lc_jget(l, "device")), intern_cstr(s, type ? type : "?"),
						      lc_juint(lc_jget(l, "size")),
						      si >= 0 && (size_t)si < nsite_keys ? site_keys[si] : NULL, false, false, 0 });
		}
	}
	free(site_keys);
	if (!s->has_server && !s->has_debug)
		return lc_error("%s: the report has neither a server nor a debug section", name);
	return 0;
}

static int dt_cmp(const void *x, const void *y)
{
	const struct lc_dt *a = x, *b = y;
	return lc_device_type_cmp(a->device, a->type, b->device, b->type);
}

static int group_cmp(const void *x, const void *y)
{
	const struct lc_group *a = x, *b = y;
	return lc_stack_cmp(a->key, b->key);
}

void lc_side_derive(struct lc_side *s)
{
	free(s->dt);
	free(s->groups);
	s->dt = NULL;
	s->groups = NULL;
	s->ndt = s->ngroups = 0;
	s->remaining = s->live = (struct lc_tally){ 0, 0 };
	bool sat = false;
	size_t capgroups = 0;
	const struct stacktab *st = s->stacks;
	for (size_t i = 0; st && i < st->n; i++)
		st->group[i] = SIZE_MAX;
	/* per device and type: the server's entries when there are any, else the open lifetimes */
	bool dt_debug = !s->has_server;
	bool groups_debug = s->has_debug;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct lc_item *it = &s->items[i];
		if (it->suppressed)
			continue;
		struct lc_tally *tot = it->from_debug ? &s->live : &s->remaining;
		uint64_t bytes = lc_item_bytes(it, &sat);
		tot->buffers += it->count;
		tot->bytes = lc_add_sat(tot->bytes, bytes, &sat);
		if (it->from_debug == dt_debug) {
			size_t k = 0;
			while (k < s->ndt && !(s->dt[k].device == it->device && s->dt[k].type == it->type))
				k++;
			if (k == s->ndt) {
				s->dt = lc_xrealloc(s->dt, (s->ndt + 1) * sizeof *s->dt);
				s->dt[s->ndt++] = (struct lc_dt){ it->device, it->type, { 0, 0 } };
			}
			s->dt[k].t.buffers += it->count;
			s->dt[k].t.bytes = lc_add_sat(s->dt[k].t.bytes, bytes, &sat);
		}
		if (it->from_debug == groups_debug) {
			const struct lc_stack *key = it->stack;
			char tmp[160];
			if (!groups_debug) {
				int n = snprintf(tmp, sizeof tmp, "device %d type %s size %llu", (int)it->device, it->type,
						 (unsigned long long)it->size);
				struct lc_span one = { tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1 };
				key = owned_stack(s, &one, 1);
			} else if (!key) {
				key = intern_stack(s, NULL, 0, NULL);
			}
			const struct stacktab *t = s->stacks; /* made by the interning above at the latest */
			size_t *g = &t->group[((const struct stackent *)key)->id];
			size_t k = *g;
			if (k == SIZE_MAX) {
				lc_grow((void **)&s->groups, &capgroups, s->ngroups + 1, sizeof *s->groups);
				k = *g = s->ngroups;
				s->groups[s->ngroups++] = (struct lc_group){ key, { 0, 0 } };
			}
			s->groups[k].t.buffers += it->count;
			s->groups[k].t.bytes = lc_add_sat(s->groups[k].t.bytes, bytes, &sat);
		}
	}
	if (s->ndt > 1)
		qsort(s->dt, s->ndt, sizeof *s->dt, dt_cmp);
	if (s->ngroups > 1)
		qsort(s->groups, s->ngroups, sizeof *s->groups, group_cmp);
}

const struct lc_group *lc_side_group(const struct lc_side *s, const struct lc_stack *key)
{
	size_t lo = 0, hi = s ? s->ngroups : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = lc_stack_cmp(s->groups[mid].key, key);
		if (c == 0)
			return &s->groups[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void lc_side_release(struct lc_side *s)
{
	lc_intern_release(&s->strs);
	struct stacktab *t = s->stacks;
	for (size_t i = 0; t && i < t->n; i++) {
		free(t->by_id[i]->own);
		free(t->by_id[i]);
	}
	if (t) {
		lc_index_release(&t->ix);
		free(t->by_id);
		free(t->group);
	}
	free(t);
	for (size_t i = 0; i < s->nskip; i++)
		free(s->skip[i]);
	free(s->skip);
	free(s->items);
	struct itemref *itab = s->item_table, *r, *rtmp;
	HASH_ITER(hh, itab, r, rtmp) {
		HASH_DEL(itab, r);
		free(r);
	}
	s->item_table = NULL;
	free(s->dt);
	free(s->groups);
	memset(s, 0, sizeof *s);
}

void lc_side_keep(struct lc_side *s, bool (*keep)(const struct lc_item *it, const void *ctx), const void *ctx)
{
	size_t *to = lc_xcalloc(s->nitems + 1, sizeof *to), k = 0;
	for (size_t i = 0; i < s->nitems; i++) {
		to[i] = keep(&s->items[i], ctx) ? k : SIZE_MAX;
		if (to[i] != SIZE_MAX)
			s->items[k++] = s->items[i];
	}
	s->nitems = k;
	struct itemref *itab = s->item_table, *r, *rtmp;
	HASH_ITER(hh, itab, r, rtmp) {
		if (to[r->index] == SIZE_MAX) {
			HASH_DEL(itab, r);
			free(r);
		} else {
			r->index = to[r->index];
		}
	}
	s->item_table = itab;
	free(to);
}

void lc_stack_frames(const struct lc_stack *st, void (*fn)(const char *p, size_t n, void *arg), void *arg)
{
	for (size_t i = 0; st && i < st->n; i++)
		fn(st->frames[i].p, st->frames[i].n, arg);
}

/* The next byte of the frames joined by '\n', or -1 at the end. */
static int joined_byte(const struct lc_stack *st, size_t *i, size_t *x)
{
	if (*i >= st->n)
		return -1;
	if (*x < st->frames[*i].n)
		return (unsigned char)st->frames[*i].p[(*x)++];
	*x = 0;
	return ++*i < st->n ? '\n' : -1;
}

int lc_stack_cmp(const struct lc_stack *a, const struct lc_stack *b)
{
	if (a == b)
		return 0;
	size_t n = a->n < b->n ? a->n : b->n, i = 0;
	while (i < n && a->frames[i].n == b->frames[i].n && memcmp(a->frames[i].p, b->frames[i].p, a->frames[i].n) == 0)
		i++;
	size_t ia = i, xa = 0, ib = i, xb = 0;
	for (;;) {
		int ca = joined_byte(a, &ia, &xa), cb = joined_byte(b, &ib, &xb);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca < 0)
			break;
	}
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (i = 0; i < a->n; i++)
		if (a->frames[i].n != b->frames[i].n)
			return a->frames[i].n < b->frames[i].n ? -1 : 1;
	return 0;
}

bool lc_side_grouped_as(const struct lc_side *s, uint64_t stack_depth, const char *const *skip, size_t nskip)
{
	if (s->stack_depth != stack_depth || s->nskip != nskip)
		return false;
	for (size_t i = 0; i < nskip; i++)
		if (strcmp(s->skip[i], skip[i]) != 0)
			return false;
	return true;
}
