// SPDX-License-Identifier: MIT
// Sides of a comparison: leaks as items with interned types and stacks, and the figures the gate reads.
#include "lc/side.h"

#include <stdlib.h>
#include <string.h>

#include "lc/hash.h"
#include "lc/util.h"

/* An interned string; the side's table owns it. Equal strings share one pointer. */
struct istr {
	char *s;
	size_t n;
	UT_hash_handle hh;
};

static const char *intern(struct lc_side *s, const char *p, size_t n)
{
	struct istr *e;
	struct istr *tab = s->table;
	HASH_FIND(hh, tab, p, n, e);
	if (e)
		return e->s;
	e = lc_xcalloc(1, sizeof *e);
	e->s = lc_xstrndup(p, n);
	e->n = n;
	HASH_ADD_KEYPTR(hh, tab, e->s, e->n, e);
	s->table = tab;
	return e->s;
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
	const char *type, *stack;
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

/* count x size, stopping at 2^64-1 like every byte sum. */
static uint64_t bytes_of(const struct lc_item *it, bool *sat)
{
	if (it->size && it->count > UINT64_MAX / it->size) {
		*sat = true;
		return UINT64_MAX;
	}
	return it->size * it->count;
}

static const char *stack_key(struct lc_side *s, const struct lc_span *frames, size_t n)
{
	struct lc_buf b = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (i)
			lc_buf_addc(&b, '\n');
		lc_buf_add(&b, frames[i].p, frames[i].n);
	}
	const char *k = intern(s, b.p ? b.p : "", b.n);
	lc_buf_release(&b);
	return k;
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
						      stack_key(s, st->frames, st->nframes), true, false, 0 });
		}
	}
	if (sm) {
		s->has_server = true;
		s->free_unknown = sm->unknown_count;
		s->never_seen = sm->never_seen;
		s->after_final_free = sm->after_final_free;
		s->after_cleanup = sm->after_cleanup;
		s->checkpoints_disagree = sm->checkpoints_disagree;
		for (size_t i = 0; i < sm->ncleanup; i++) {
			s->cleanup_buffers += sm->cleanup[i].t.buffers;
			s->cleanup_bytes += sm->cleanup[i].t.bytes;
		}
		for (size_t i = 0; i < sm->nleaks; i++) {
			const struct lc_leak *l = &sm->leaks[i];
			const char *stack = NULL;
			if (dm && l->site >= 0) {
				const struct lc_site *st = dm->sites[l->site];
				stack = stack_key(s, st->frames, st->nframes);
			}
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
	const char **site_keys = NULL;
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
			site_keys[i] = stack_key(s, sp, n);
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
	return strcmp(a->key, b->key);
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
	/* per device and type: the server's entries when there are any, else the open lifetimes */
	bool dt_debug = !s->has_server;
	bool groups_debug = s->has_debug;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct lc_item *it = &s->items[i];
		if (it->suppressed)
			continue;
		struct lc_tally *tot = it->from_debug ? &s->live : &s->remaining;
		uint64_t bytes = bytes_of(it, &sat);
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
			const char *key = it->stack;
			char tmp[160];
			if (!groups_debug) {
				snprintf(tmp, sizeof tmp, "device %d type %s size %llu", (int)it->device, it->type,
					 (unsigned long long)it->size);
				key = intern_cstr(s, tmp);
			} else if (!key) {
				key = intern_cstr(s, "");
			}
			size_t k = 0;
			while (k < s->ngroups && s->groups[k].key != key)
				k++;
			if (k == s->ngroups) {
				s->groups = lc_xrealloc(s->groups, (s->ngroups + 1) * sizeof *s->groups);
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

void lc_side_release(struct lc_side *s)
{
	struct istr *tab = s->table, *e, *tmp;
	HASH_ITER(hh, tab, e, tmp) {
		HASH_DEL(tab, e);
		free(e->s);
		free(e);
	}
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

void lc_stack_frames(const char *key, void (*fn)(const char *p, size_t n, void *arg), void *arg)
{
	if (!key || !*key)
		return;
	const char *p = key;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fn(p, n, arg);
		if (!nl)
			break;
		p = nl + 1;
	}
}
