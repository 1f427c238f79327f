// SPDX-License-Identifier: MIT
// Buffer* lifetimes: open at ALLOCATED, closed at the first DESTRUCTOR or DEALLOCATED; interned frames and sites.
#include "lc/lifetimes.h"

#include <stdlib.h>
#include <string.h>

#include "lc/hash.h"
#include "lc/index.h"
#include "lc/intern.h"
#include "lc/regex.h"

/*
 * An interned site: the frame ids after skipping and truncation, found through an
 * open-addressing table of site ids (a million distinct sites cost their ids and tallies,
 * not a uthash record each).
 */
struct site {
	uint64_t h;                  /* of the ids */
	uint32_t id, n;
	uint64_t live_now, peak_live, allocations;
	uint64_t open_bytes, alloc_bytes;
	struct lc_site out;
	uint32_t ids[];
};

/* State of one Buffer* pointer: its open lifetime, and whether its last block was a DESTRUCTOR. */
struct ptrrec {
	uint64_t ptr;
	bool open, hooked, after_destructor;
	int32_t device;
	uint32_t type, site, input;
	uint64_t address, size, line, seq;
	UT_hash_handle hh;
};

/*
 * The lifetimes a (device, address) ever had (non-hooked), and the site of the latest: 24
 * bytes per distinct key, found through an open-addressing index, for the join of server
 * entries that are no longer live (lc_debug_model.history_find).
 */
struct hist {
	uint64_t address;
	int32_t device;
	uint32_t site;
	uint64_t count;
};

struct lc_lifetimes {
	struct lc_lifetimes_config cfg;
	struct hist *hist;
	size_t nhist, caphist;
	struct lc_index hist_ix;
	struct lc_regex **re;
	/*
	 * Interned frames: a million distinct frames fit in little more than their text (a span,
	 * a NUL, a skip flag and an index slot beside it, where a malloc'ed string and a uthash
	 * record cost some 110 bytes).
	 */
	struct lc_intern frames;
	bool *skip;                  /* by frame id: matched a --skip-frames pattern */
	size_t capskip;
	struct lc_index site_ix;     /* site ids by frame ids */
	struct site **site_by_id;
	size_t nsites, capsites;
	struct ptrrec *ptrs;         /* by pointer; owns the records */
	struct lc_intern types;      /* interned type names */
	uint64_t seq;
	struct lc_debug_model m;
	struct lc_span *spans;       /* frame spans of all sites, for the model */
};

struct lc_lifetimes *lc_lifetimes_create(const struct lc_lifetimes_config *cfg)
{
	struct lc_lifetimes *lt = lc_xcalloc(1, sizeof *lt);
	lt->cfg = *cfg;
	lt->re = lc_xcalloc(cfg->nskip + 1, sizeof *lt->re);
	for (size_t i = 0; i < cfg->nskip; i++) {
		struct lc_regex_error err;
		lt->re[i] = lc_regex_create(cfg->skip_frames[i], !cfg->no_jit, &err);
		if (!lt->re[i]) {
			lc_error("--skip-frames '%s': %s at offset %zu", cfg->skip_frames[i], err.msg, err.offset);
			lt->cfg.nskip = i;
			lc_lifetimes_destroy(lt);
			return NULL;
		}
	}
	lt->m.all_allocations = cfg->all_allocations;
	return lt;
}

static bool skipped(struct lc_lifetimes *lt, const char *p, size_t n)
{
	for (size_t i = 0; i < lt->cfg.nskip; i++)
		if (lc_regex_match(lt->re[i], p, n))
			return true;
	return false;
}

/* Returns the id of the frame with this text, interning it (and matching --skip-frames) when new. */
static uint32_t intern_frame(struct lc_lifetimes *lt, struct lc_span s)
{
	size_t n = lc_intern_count(&lt->frames);
	uint32_t id = lc_intern_put(&lt->frames, s);
	if (id == n) {
		lc_grow((void **)&lt->skip, &lt->capskip, n + 1, sizeof *lt->skip);
		lt->skip[id] = skipped(lt, s.p, s.n);
	}
	return id;
}

/* A site's frame ids sought in the index. */
struct siteq {
	const struct lc_lifetimes *lt;
	const uint32_t *ids;
	size_t n;
	uint64_t h;
};

static bool site_eq(const void *ctx, uint32_t id)
{
	const struct siteq *q = ctx;
	const struct site *s = q->lt->site_by_id[id];
	return s->h == q->h && s->n == q->n && memcmp(s->ids, q->ids, q->n * sizeof *q->ids) == 0;
}

static struct site *intern_site(struct lc_lifetimes *lt, const struct lc_dblock *b)
{
	uint32_t ids[LC_DEBUG_MAX_FRAMES];
	size_t n = 0;
	for (size_t i = 0; i < b->nframes; i++) {
		uint32_t id = intern_frame(lt, b->frames[i]);
		if (lt->skip[id])
			continue;
		if (lt->cfg.stack_depth && n >= lt->cfg.stack_depth)
			break;
		ids[n++] = id;
	}
	uint64_t h = lc_hash_bytes(ids, n * sizeof *ids, 1);
	struct siteq q = { lt, ids, n, h };
	size_t slot;
	uint32_t found = lc_index_find(&lt->site_ix, h, site_eq, &q, &slot);
	if (found != LC_INDEX_NONE)
		return lt->site_by_id[found];
	if (lt->nsites >= UINT32_MAX - 1)
		lc_oom();
	struct site *s = lc_xcalloc(1, sizeof *s + n * sizeof *ids);
	memcpy(s->ids, ids, n * sizeof *ids);
	s->h = h;
	s->n = (uint32_t)n;
	s->id = (uint32_t)lt->nsites;
	lc_grow((void **)&lt->site_by_id, &lt->capsites, lt->nsites + 1, sizeof *lt->site_by_id);
	lt->site_by_id[lt->nsites++] = s;
	lc_index_put(&lt->site_ix, slot, h, s->id);
	return s;
}

/* A key sought in the history index. */
struct histq {
	const struct lc_lifetimes *lt;
	int32_t device;
	uint64_t address;
};

static bool hist_eq(const void *ctx, uint32_t id)
{
	const struct histq *q = ctx;
	const struct hist *h = &q->lt->hist[id];
	return h->address == q->address && h->device == q->device;
}

static uint64_t hist_hash(int32_t device, uint64_t address)
{
	uint64_t k[2] = { (uint64_t)(uint32_t)device, address };
	return lc_hash_bytes(k, sizeof k, 2);
}

/* Counts one more lifetime at (device, address), opened at site. */
static void hist_add(struct lc_lifetimes *lt, int32_t device, uint64_t address, uint32_t site)
{
	uint64_t hv = hist_hash(device, address);
	struct histq q = { lt, device, address };
	size_t slot;
	uint32_t id = lc_index_find(&lt->hist_ix, hv, hist_eq, &q, &slot);
	if (id == LC_INDEX_NONE) {
		if (lt->nhist >= UINT32_MAX - 1)
			lc_oom();
		lc_grow((void **)&lt->hist, &lt->caphist, lt->nhist + 1, sizeof *lt->hist);
		id = (uint32_t)lt->nhist++;
		lt->hist[id] = (struct hist){ .address = address, .device = device };
		lc_index_put(&lt->hist_ix, slot, hv, id);
	}
	lt->hist[id].count++;
	lt->hist[id].site = site;
}

static uint64_t hist_find(const void *src, int32_t device, uint64_t address, const struct lc_site **site)
{
	const struct lc_lifetimes *lt = src;
	struct histq q = { lt, device, address };
	size_t slot;
	uint32_t id = lc_index_find(&lt->hist_ix, hist_hash(device, address), hist_eq, &q, &slot);
	if (id == LC_INDEX_NONE) {
		*site = NULL;
		return 0;
	}
	*site = &lt->site_by_id[lt->hist[id].site]->out;
	return lt->hist[id].count;
}


static struct ptrrec *ptr_find(struct lc_lifetimes *lt, uint64_t p)
{
	struct ptrrec *r;
	HASH_FIND(hh, lt->ptrs, &p, sizeof p, r);
	return r;
}

static void ptr_drop(struct lc_lifetimes *lt, struct ptrrec *r)
{
	HASH_DEL(lt->ptrs, r);
	free(r);
}

/* Ends r's open lifetime: the object went away (closed or superseded). */
static void end_lifetime(struct lc_lifetimes *lt, struct ptrrec *r)
{
	if (!r->hooked) {
		struct site *s = lt->site_by_id[r->site];
		s->live_now--;
		s->open_bytes -= r->size;
	}
	r->open = false;
}

/*
 * --address: what block b does to the lifetimes the history keeps, told before the tracker
 * applies it (r is the pointer's record as it stands). The end rules are the tracker's: an
 * ALLOCATED over an open lifetime supersedes it, the first DESTRUCTOR or DEALLOCATED ends it.
 */
static void history_block(struct lc_lifetimes *lt, const struct lc_dblock *b, uint32_t input, const struct ptrrec *r)
{
	struct lc_history *h = lt->cfg.history;
	bool open = r && r->open;
	switch (b->kind) {
	case LC_DBLOCK_ALLOCATED:
		if (open)
			lc_history_close(h, b->pointer, LC_HIST_SUPERSEDED, input, b->line);
		if (lc_history_wants(h, b->device, b->address)) {
			/* interning is idempotent: the tracker finds the same type and site below */
			const char *type = lc_intern_str(&lt->types, lc_intern_put(&lt->types, b->type));
			struct lc_hist_lifetime l = { .pointer = b->pointer, .size = b->size, .type = type, .input = input,
						      .line = b->line, .hooked = b->hooked, .site = intern_site(lt, b)->id };
			lc_history_open(h, b->device, &l);
		}
		break;
	case LC_DBLOCK_DESTRUCTOR:
		if (open)
			lc_history_close(h, b->pointer, LC_HIST_DESTRUCTOR, input, b->line);
		break;
	case LC_DBLOCK_DEALLOCATED:
		if (open && !r->after_destructor)
			lc_history_close(h, b->pointer, LC_HIST_DEALLOCATED, input, b->line);
		break;
	}
}

void lc_lifetimes_apply(struct lc_lifetimes *lt, const struct lc_dblock *b, uint32_t input)
{
	struct lc_debug_model *m = &lt->m;
	struct ptrrec *r = ptr_find(lt, b->pointer);
	if (__builtin_expect(lt->cfg.history != NULL, 0))
		history_block(lt, b, input, r);
	switch (b->kind) {
	case LC_DBLOCK_ALLOCATED: {
		m->allocated++;
		if (!r) {
			r = lc_xcalloc(1, sizeof *r);
			r->ptr = b->pointer;
			HASH_ADD(hh, lt->ptrs, ptr, sizeof r->ptr, r);
		} else if (r->open) {
			if (!r->hooked) {
				m->superseded.buffers++;
				m->superseded.bytes = lc_add_sat(m->superseded.bytes, r->size, &m->saturated);
			}
			end_lifetime(lt, r);
		}
		struct site *s = intern_site(lt, b);
		*r = (struct ptrrec){ .ptr = r->ptr, .hh = r->hh, .open = true, .hooked = b->hooked, .device = b->device,
				      .type = lc_intern_put(&lt->types, b->type), .site = s->id, .input = input,
				      .address = b->address, .size = b->size, .line = b->line, .seq = ++lt->seq };
		if (!b->hooked) {
			hist_add(lt, b->device, b->address, s->id);
			s->live_now++;
			s->open_bytes += b->size;
			s->allocations++;
			s->alloc_bytes = lc_add_sat(s->alloc_bytes, b->size, &m->saturated);
			if (s->live_now > s->peak_live)
				s->peak_live = s->live_now;
		}
		break;
	}
	case LC_DBLOCK_DESTRUCTOR:
		m->destructor++;
		if (r && r->open) {
			end_lifetime(lt, r);
		} else {
			m->unmatched++;
			if (!r) {
				r = lc_xcalloc(1, sizeof *r);
				r->ptr = b->pointer;
				HASH_ADD(hh, lt->ptrs, ptr, sizeof r->ptr, r);
			}
		}
		r->after_destructor = true; /* a DEALLOCATED right after belongs to this end */
		break;
	case LC_DBLOCK_DEALLOCATED:
		m->deallocated++;
		if (r && r->after_destructor)
			ptr_drop(lt, r);
		else if (r && r->open) {
			end_lifetime(lt, r);
			ptr_drop(lt, r);
		} else
			m->unmatched++;
		break;
	}
}

/* ---------- the model ---------- */

static int frames_cmp(const struct lc_site *a, const struct lc_site *b)
{
	for (size_t i = 0; i < a->nframes && i < b->nframes; i++) {
		size_t n = a->frames[i].n < b->frames[i].n ? a->frames[i].n : b->frames[i].n;
		int c = memcmp(a->frames[i].p, b->frames[i].p, n);
		if (c)
			return c;
		if (a->frames[i].n != b->frames[i].n)
			return a->frames[i].n < b->frames[i].n ? -1 : 1;
	}
	return a->nframes < b->nframes ? -1 : a->nframes > b->nframes;
}

int lc_site_open_cmp(const void *x, const void *y)
{
	const struct lc_site *a = *(const struct lc_site *const *)x, *b = *(const struct lc_site *const *)y;
	if (a->open.bytes != b->open.bytes)
		return a->open.bytes > b->open.bytes ? -1 : 1;
	if (a->open.buffers != b->open.buffers)
		return a->open.buffers > b->open.buffers ? -1 : 1;
	return frames_cmp(a, b);
}

static int all_cmp(const void *x, const void *y)
{
	const struct lc_site *a = *(const struct lc_site *const *)x, *b = *(const struct lc_site *const *)y;
	if (a->alloc_bytes != b->alloc_bytes)
		return a->alloc_bytes > b->alloc_bytes ? -1 : 1;
	if (a->allocations != b->allocations)
		return a->allocations > b->allocations ? -1 : 1;
	return frames_cmp(a, b);
}

static int leak_cmp(const void *x, const void *y)
{
	const struct lc_debug_leak *a = x, *b = y;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	if (a->device != b->device)
		return a->device < b->device ? -1 : 1;
	if (a->address != b->address)
		return a->address < b->address ? -1 : 1;
	return a->pointer < b->pointer ? -1 : a->pointer > b->pointer;
}

static int split_cmp(const void *x, const void *y)
{
	const struct lc_site_split *a = x, *b = y;
	return lc_device_type_cmp(a->device, a->type, b->device, b->type);
}

static void add_split(struct lc_site *s, int32_t device, const char *type, uint64_t size, bool *sat)
{
	for (size_t i = 0; i < s->nsplit; i++)
		if (s->split[i].device == device && strcmp(s->split[i].type, type) == 0) {
			s->split[i].t.buffers++;
			s->split[i].t.bytes = lc_add_sat(s->split[i].t.bytes, size, sat);
			return;
		}
	s->split = lc_xrealloc(s->split, (s->nsplit + 1) * sizeof *s->split);
	s->split[s->nsplit++] = (struct lc_site_split){ device, type, { 1, size } };
}

/* The frames of site id for the history: spans into the interner, whose strings never move. */
static size_t history_frames(void *ctx, uint32_t id, struct lc_span *out)
{
	const struct lc_lifetimes *lt = ctx;
	const struct site *s = lt->site_by_id[id];
	for (size_t j = 0; j < s->n; j++)
		out[j] = lc_intern_span(&lt->frames, s->ids[j]);
	return s->n;
}

struct lc_debug_model *lc_lifetimes_finish(struct lc_lifetimes *lt)
{
	struct lc_debug_model *m = &lt->m;
	if (lt->cfg.history) {
		lc_history_mark_debug(lt->cfg.history);
		lc_history_set_frames(lt->cfg.history, history_frames, lt);
	}
	m->frames_interned = lc_intern_count(&lt->frames);
	for (size_t i = 0; i < lt->nsites; i++) {
		struct site *s = lt->site_by_id[i];
		s->out.nframes = s->n;
		s->out.allocations = s->allocations;
		s->out.alloc_bytes = s->alloc_bytes;
		s->out.peak_live = s->peak_live;
	}
	/* Open lifetimes: leaks, site tallies, live and hooked totals. */
	size_t nptr = HASH_COUNT(lt->ptrs);
	m->leaks = lc_xcalloc(nptr + 1, sizeof *m->leaks);
	struct ptrrec *r, *tmp;
	HASH_ITER(hh, lt->ptrs, r, tmp) {
		if (!r->open)
			continue;
		if (r->hooked) {
			m->hooked.buffers++;
			m->hooked.bytes = lc_add_sat(m->hooked.bytes, r->size, &m->saturated);
			continue;
		}
		struct site *s = lt->site_by_id[r->site];
		s->out.open.buffers++;
		s->out.open.bytes = lc_add_sat(s->out.open.bytes, r->size, &m->saturated);
		add_split(&s->out, r->device, lc_intern_str(&lt->types, r->type), r->size, &m->saturated);
		m->live.buffers++;
		m->live.bytes = lc_add_sat(m->live.bytes, r->size, &m->saturated);
		m->leaks[m->nleaks++] = (struct lc_debug_leak){ .pointer = r->ptr, .device = r->device, .address = r->address,
								.type = lc_intern_str(&lt->types, r->type), .size = r->size, .input = r->input,
								.line = r->line, .site = r->site, .seq = r->seq };
	}
	/* Frame spans for every site: the reported ones (with open lifetimes, or every
	 * allocation's), and those the history may lend the join. */
	size_t total = 0;
	for (size_t i = 0; i < lt->nsites; i++)
		total += lt->site_by_id[i]->out.nframes;
	lt->spans = lc_xcalloc(total + 1, sizeof *lt->spans);
	size_t k = 0;
	m->sites = lc_xcalloc(lt->nsites + 1, sizeof *m->sites);
	m->all_sites = lc_xcalloc(lt->nsites + 1, sizeof *m->all_sites);
	for (size_t i = 0; i < lt->nsites; i++) {
		struct site *s = lt->site_by_id[i];
		struct lc_site *o = &s->out;
		bool open = o->open.buffers, all = lt->cfg.all_allocations && o->allocations;
		o->frames = &lt->spans[k];
		for (size_t j = 0; j < s->n; j++) {
			lt->spans[k++] = lc_intern_span(&lt->frames, s->ids[j]);
		}
		if (!open && !all)
			continue;
		if (o->nsplit > 1)
			qsort(o->split, o->nsplit, sizeof *o->split, split_cmp);
		if (open)
			m->sites[m->nsites++] = o;
		if (all)
			m->all_sites[m->nall_sites++] = o;
	}
	qsort(m->sites, m->nsites, sizeof *m->sites, lc_site_open_cmp);
	qsort(m->all_sites, m->nall_sites, sizeof *m->all_sites, all_cmp);
	/* Site ids of the leaks become indices into the sorted list. */
	int64_t *index = lc_xcalloc(lt->nsites + 1, sizeof *index);
	for (size_t i = 0; i < m->nsites; i++)
		index[((const struct site *)((const char *)m->sites[i] - offsetof(struct site, out)))->id] = (int64_t)i;
	for (size_t i = 0; i < m->nleaks; i++)
		m->leaks[i].site = index[m->leaks[i].site];
	free(index);
	qsort(m->leaks, m->nleaks, sizeof *m->leaks, leak_cmp);
	m->history_src = lt;
	m->history_find = hist_find;
	return m;
}

void lc_lifetimes_destroy(struct lc_lifetimes *lt)
{
	if (!lt)
		return;
	for (size_t i = 0; i < lt->cfg.nskip; i++)
		lc_regex_destroy(lt->re[i]);
	free(lt->re);
	free(lt->hist);
	lc_index_release(&lt->hist_ix);
	lc_intern_release(&lt->frames);
	free(lt->skip);
	for (size_t i = 0; i < lt->nsites; i++) {
		free(lt->site_by_id[i]->out.split);
		free(lt->site_by_id[i]);
	}
	lc_index_release(&lt->site_ix);
	free(lt->site_by_id);
	struct ptrrec *r, *rtmp;
	HASH_ITER(hh, lt->ptrs, r, rtmp) {
		HASH_DEL(lt->ptrs, r);
		free(r);
	}
	lc_intern_release(&lt->types);
	free(lt->spans);
	free(lt->m.leaks);
	free(lt->m.sites);
	free(lt->m.all_sites);
	free(lt);
}
