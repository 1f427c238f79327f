// SPDX-License-Identifier: MIT
// Buffer* lifetimes (open at ALLOCATED, closed at the first DESTRUCTOR or DEALLOCATED): sites, timeline, temporaries.
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
	uint64_t nalloc;             /* ALLOCATED blocks up to and including its own (temporaries) */
	UT_hash_handle hh;
};

/* ---------- the timeline's state (lc_timeline_model, axis "debug-log line") ---------- */

#define TL_ALL UINT32_MAX            /* a tlser's type: every type of the device */
#define TL_NONE UINT32_MAX           /* a tlser's id: the series is not kept */
#define TL_DEVICES_MAX 64            /* devices with a series (and an at_peak row) of their own */
#define TL_TYPE_SERIES_MAX (TL_DEVICES_MAX * 6) /* (device, type) series kept */

/* Open lifetimes' bytes and buffers of one device (type TL_ALL) or one (device, type). */
struct tlser {
	struct tlkey {
		int32_t device;
		uint32_t type;       /* interned type id, or TL_ALL */
	} k;
	const char *type;            /* the type's name; NULL for TL_ALL */
	uint32_t id;                 /* the series in the engine, TL_NONE when omitted */
	int32_t peak;                /* device totals kept: index into the tracked peaks; else -1 */
	uint64_t bytes, buffers;
	UT_hash_handle hh;
};

/* A lifetime opened before a tracked peak and closed after it. */
struct tlclosed {
	int32_t device;
	uint32_t type, site;
	uint64_t size;
};

/*
 * The bytes peak of the all-devices series or of a device's. Live there: the lifetimes still
 * open that were opened at a seq <= seq, and those in closed (opened by then, ended since; the
 * list restarts at each new peak). A new peak is only reached by a block that opens a
 * lifetime, so seq is that lifetime's.
 */
struct tlpeak {
	bool has_device;
	int32_t device;
	uint32_t id;
	uint64_t seq;
	struct tlclosed *closed;
	size_t nclosed, capclosed;
};

/* What was live at the peaks, summed by (peak, type) or (peak, site) at the end. */
struct tlagg {
	struct tlaggkey {
		uint32_t peak, kind; /* kind 0: by type (device, val = type); 1: by site (val = site id) */
		int32_t device;
		uint32_t val;
	} k;
	const char *type;            /* by type: its name */
	uint64_t buffers, bytes;
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
	/* the timeline */
	struct lc_timeline_model *tm;
	struct tlser all, *sers;     /* all devices (id 0); by device and (device, type) */
	size_t ndev_series, ntype_series;
	struct tlpeak *peaks;        /* [0]: all devices, then the kept devices in order of appearance */
	size_t npeaks;
	struct tlser *touched[6];    /* series a block changed */
	size_t ntouched;
	uint64_t before;             /* lines of the debug-log inputs that ended */
	uint64_t x;                  /* the latest block's x */
	char last_time[9];           /* the latest Time: field seen */
	const struct lc_site **peak_sites;
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
	lt->tm = lc_xcalloc(1, sizeof *lt->tm);
	lc_timeline_init(&lt->tm->tl, cfg->timeline_points ? cfg->timeline_points : 512);
	lt->tm->axis = "debug-log line";
	lt->all.id = lc_timeline_series(&lt->tm->tl);
	lt->all.peak = 0;
	lt->peaks = lc_xcalloc(1, sizeof *lt->peaks);
	lt->peaks[0].id = lt->all.id;
	lt->npeaks = 1;
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

/* The series of (device, type), made when new (kept while under the caps, else omitted). */
static struct tlser *tl_series(struct lc_lifetimes *lt, int32_t device, uint32_t type)
{
	struct tlkey k;
	memset(&k, 0, sizeof k);
	k.device = device;
	k.type = type;
	struct tlser *t;
	HASH_FIND(hh, lt->sers, &k, sizeof k, t);
	if (t)
		return t;
	t = lc_xcalloc(1, sizeof *t);
	t->k = k;
	t->id = TL_NONE;
	t->peak = -1;
	t->type = type == TL_ALL ? NULL : lc_intern_str(&lt->types, type);
	if (type == TL_ALL) {
		if (lt->ndev_series < TL_DEVICES_MAX) {
			lt->ndev_series++;
			t->id = lc_timeline_series(&lt->tm->tl);
			lt->peaks = lc_xrealloc(lt->peaks, (lt->npeaks + 1) * sizeof *lt->peaks);
			lt->peaks[lt->npeaks] = (struct tlpeak){ .has_device = true, .device = device, .id = t->id };
			t->peak = (int32_t)lt->npeaks++;
		}
	} else {
		struct tlser *d = tl_series(lt, device, TL_ALL);
		if (d->id != TL_NONE && lt->ntype_series < TL_TYPE_SERIES_MAX) {
			lt->ntype_series++;
			t->id = lc_timeline_series(&lt->tm->tl);
		}
	}
	if (t->id == TL_NONE)
		lt->tm->series_omitted++;
	HASH_ADD(hh, lt->sers, k, sizeof t->k, t);
	return t;
}

static void tl_touch(struct lc_lifetimes *lt, struct tlser *t, bool open, uint64_t size)
{
	if (open) {
		t->buffers++;
		t->bytes = lc_add_sat(t->bytes, size, &lt->m.saturated);
	} else {
		t->buffers--;
		t->bytes = t->bytes > size ? t->bytes - size : 0;
	}
	for (size_t i = 0; i < lt->ntouched; i++)
		if (lt->touched[i] == t)
			return;
	lt->touched[lt->ntouched++] = t;
}

/* A non-hooked lifetime opens (open) or ends: the series of all devices, its device and type. */
static void tl_change(struct lc_lifetimes *lt, const struct ptrrec *r, bool open)
{
	tl_touch(lt, &lt->all, open, r->size);
	tl_touch(lt, tl_series(lt, r->device, TL_ALL), open, r->size);
	tl_touch(lt, tl_series(lt, r->device, r->type), open, r->size);
	if (open)
		return;
	/* ended after the peaks it was live at */
	int32_t dp = tl_series(lt, r->device, TL_ALL)->peak;
	for (int i = 0; i < 2; i++) {
		int32_t p = i ? dp : 0;
		if (p < 0 || r->seq > lt->peaks[p].seq)
			continue;
		struct tlpeak *pk = &lt->peaks[p];
		lc_grow((void **)&pk->closed, &pk->capclosed, pk->nclosed + 1, sizeof *pk->closed);
		pk->closed[pk->nclosed++] = (struct tlclosed){ r->device, r->type, r->site, r->size };
	}
}

/* Tells the engine the values of the series block x changed; a new bytes peak restarts its list. */
static void tl_commit(struct lc_lifetimes *lt, uint64_t x)
{
	for (size_t i = 0; i < lt->ntouched; i++) {
		struct tlser *t = lt->touched[i];
		if (t->id == TL_NONE)
			continue;
		unsigned peaks = lc_timeline_set(&lt->tm->tl, t->id, x, t->bytes, t->buffers);
		if ((peaks & (1u << LC_TL_BYTES)) && t->peak >= 0) {
			lt->peaks[t->peak].seq = lt->seq;
			lt->peaks[t->peak].nclosed = 0;
		}
	}
	lt->ntouched = 0;
}

/* The Time: field of the block at x: a wall entry when it differs from the latest one. */
static void tl_wall(struct lc_lifetimes *lt, const struct lc_dblock *b, uint64_t x)
{
	struct lc_timeline_model *tm = lt->tm;
	if (!b->time[0] || strcmp(b->time, lt->last_time) == 0)
		return;
	memcpy(lt->last_time, b->time, sizeof lt->last_time);
	tm->wall_count++;
	if (tm->nwall >= tm->tl.points)
		return;
	tm->wall = lc_xrealloc(tm->wall, (tm->nwall + 1) * sizeof *tm->wall);
	tm->wall[tm->nwall] = (struct lc_tl_wall){ .x = x };
	memcpy(tm->wall[tm->nwall].time, b->time, sizeof b->time);
	tm->nwall++;
}

/*
 * Ends r's open lifetime: the object went away (superseded), or a DESTRUCTOR or DEALLOCATED
 * block freed it (freed: a temporary when at most --temporary allocations came in between).
 */
static void end_lifetime(struct lc_lifetimes *lt, struct ptrrec *r, bool freed)
{
	if (!r->hooked) {
		struct site *s = lt->site_by_id[r->site];
		s->live_now--;
		s->open_bytes -= r->size;
		if (freed && lt->m.allocated - r->nalloc <= lt->cfg.temporary) {
			s->out.temporary.buffers++;
			s->out.temporary.bytes = lc_add_sat(s->out.temporary.bytes, r->size, &lt->m.saturated);
		}
		tl_change(lt, r, false);
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
	uint64_t x = lt->before + b->line;
	if (x < lt->x)
		x = lt->x; /* lines never go back on the axis */
	lt->x = x;
	tl_wall(lt, b, x);
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
			end_lifetime(lt, r, false);
		}
		struct site *s = intern_site(lt, b);
		*r = (struct ptrrec){ .ptr = r->ptr, .hh = r->hh, .open = true, .hooked = b->hooked, .device = b->device,
				      .type = lc_intern_put(&lt->types, b->type), .site = s->id, .input = input,
				      .address = b->address, .size = b->size, .line = b->line, .seq = ++lt->seq,
				      .nalloc = m->allocated };
		if (!b->hooked) {
			tl_change(lt, r, true);
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
			end_lifetime(lt, r, true);
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
			end_lifetime(lt, r, true);
			ptr_drop(lt, r);
		} else
			m->unmatched++;
		break;
	}
	tl_commit(lt, x);
}

void lc_lifetimes_input_end(struct lc_lifetimes *lt, uint32_t input, uint64_t lines)
{
	struct lc_timeline_model *tm = lt->tm;
	tm->inputs = lc_xrealloc(tm->inputs, (tm->ninputs + 1) * sizeof *tm->inputs);
	tm->inputs[tm->ninputs++] = (struct lc_tl_input){ input, lt->before + 1, lines };
	lt->before += lines;
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

/* ---------- the timeline model ---------- */

/* Report order of the series: devices ascending, each device's total before its types. */
static int tlser_cmp(const void *x, const void *y)
{
	const struct tlser *a = *(const struct tlser *const *)x, *b = *(const struct tlser *const *)y;
	if (a->k.device != b->k.device)
		return a->k.device < b->k.device ? -1 : 1;
	if (!a->type || !b->type)
		return !b->type - !a->type;
	return lc_device_type_cmp(a->k.device, a->type, b->k.device, b->type);
}

static void tl_agg_add(struct lc_lifetimes *lt, struct tlagg **h, uint32_t peak, uint32_t kind, int32_t device,
		       uint32_t val, uint64_t size)
{
	struct tlaggkey k;
	memset(&k, 0, sizeof k);
	k.peak = peak;
	k.kind = kind;
	k.device = device;
	k.val = val;
	struct tlagg *a;
	HASH_FIND(hh, *h, &k, sizeof k, a);
	if (!a) {
		a = lc_xcalloc(1, sizeof *a);
		a->k = k;
		a->type = kind == 0 ? lc_intern_str(&lt->types, val) : NULL;
		HASH_ADD(hh, *h, k, sizeof a->k, a);
	}
	a->buffers++;
	a->bytes = lc_add_sat(a->bytes, size, &lt->m.saturated);
}

/* A lifetime live at tracked peak p: by (device, type) and by site. */
static void tl_agg_life(struct lc_lifetimes *lt, struct tlagg **h, uint32_t p, int32_t device, uint32_t type,
			uint32_t site, uint64_t size)
{
	tl_agg_add(lt, h, p, 0, device, type, size);
	tl_agg_add(lt, h, p, 1, 0, site, size);
}

/* Peak, kind; by type: device, type as every report orders them; by site: bytes, buffers descending, site. */
static int agg_cmp(const void *x, const void *y)
{
	const struct tlagg *a = *(const struct tlagg *const *)x, *b = *(const struct tlagg *const *)y;
	if (a->k.peak != b->k.peak)
		return a->k.peak < b->k.peak ? -1 : 1;
	if (a->k.kind != b->k.kind)
		return a->k.kind < b->k.kind ? -1 : 1;
	if (a->k.kind == 0)
		return lc_device_type_cmp(a->k.device, a->type, b->k.device, b->type);
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	if (a->buffers != b->buffers)
		return a->buffers > b->buffers ? -1 : 1;
	return a->k.val < b->k.val ? -1 : a->k.val > b->k.val;
}

static int peak_order_cmp(const void *x, const void *y)
{
	const struct lc_tl_peak *a = x, *b = y;
	if (a->has_device != b->has_device)
		return a->has_device ? 1 : -1;
	return a->device < b->device ? -1 : a->device > b->device;
}

/* Ends the timeline at the last debug-log line and fills the model: series, peaks, peak sites. */
static void tl_finish(struct lc_lifetimes *lt)
{
	struct lc_timeline_model *tm = lt->tm;
	lc_timeline_end(&tm->tl, lt->before);

	/* series in report order */
	size_t nkept = 0;
	struct tlser **kept = lc_xcalloc(HASH_COUNT(lt->sers) + 1, sizeof *kept), *t, *tt;
	HASH_ITER(hh, lt->sers, t, tt) {
		if (t->id != TL_NONE)
			kept[nkept++] = t;
	}
	qsort(kept, nkept, sizeof *kept, tlser_cmp);
	tm->series = lc_xcalloc(nkept + 1, sizeof *tm->series);
	tm->series[tm->nseries++] = (struct lc_tl_series_info){ .id = lt->all.id };
	for (size_t i = 0; i < nkept; i++)
		tm->series[tm->nseries++] = (struct lc_tl_series_info){ .has_device = true, .device = kept[i]->k.device,
									.type = kept[i]->type, .id = kept[i]->id };
	free(kept);

	/* what was live at each tracked peak: still open, or closed since it */
	struct tlagg *agg = NULL;
	struct ptrrec *r, *rt;
	HASH_ITER(hh, lt->ptrs, r, rt) {
		if (!r->open || r->hooked)
			continue;
		int32_t dp = tl_series(lt, r->device, TL_ALL)->peak;
		if (r->seq <= lt->peaks[0].seq)
			tl_agg_life(lt, &agg, 0, r->device, r->type, r->site, r->size);
		if (dp >= 0 && r->seq <= lt->peaks[dp].seq)
			tl_agg_life(lt, &agg, (uint32_t)dp, r->device, r->type, r->site, r->size);
	}
	for (size_t p = 0; p < lt->npeaks; p++)
		for (size_t i = 0; i < lt->peaks[p].nclosed; i++) {
			const struct tlclosed *c = &lt->peaks[p].closed[i];
			tl_agg_life(lt, &agg, (uint32_t)p, c->device, c->type, c->site, c->size);
		}

	/* the sites live at a peak, in the order of their first allocation; by_site indexes them */
	size_t nagg = HASH_COUNT(agg);
	struct tlagg **rows = lc_xcalloc(nagg + 1, sizeof *rows), *a, *at;
	int64_t *pos = lc_xcalloc(lt->nsites + 1, sizeof *pos);
	size_t n = 0;
	HASH_ITER(hh, agg, a, at) {
		rows[n++] = a;
		if (a->k.kind == 1)
			pos[a->k.val] = 1;
	}
	lt->peak_sites = lc_xcalloc(lt->nsites + 1, sizeof *lt->peak_sites);
	for (size_t i = 0; i < lt->nsites; i++)
		if (pos[i]) {
			pos[i] = (int64_t)tm->nsites;
			lt->peak_sites[tm->nsites++] = &lt->site_by_id[i]->out;
		}
	tm->sites = lt->peak_sites;
	qsort(rows, nagg, sizeof *rows, agg_cmp);

	/* the peaks in report order: all devices, then by device */
	tm->peaks = lc_xcalloc(lt->npeaks, sizeof *tm->peaks);
	tm->npeaks = lt->npeaks;
	size_t at_row = 0;
	for (size_t p = 0; p < lt->npeaks; p++) {
		const struct lc_tl_series *se = tm->tl.s[lt->peaks[p].id];
		struct lc_tl_peak *o = &tm->peaks[p];
		o->has_device = lt->peaks[p].has_device;
		o->device = lt->peaks[p].device;
		o->x = se->peak_x[LC_TL_BYTES];
		o->bytes = se->peak[LC_TL_BYTES];
		size_t b0 = at_row;
		while (at_row < nagg && rows[at_row]->k.peak == p)
			at_row++;
		for (size_t i = b0; i < at_row; i++) {
			if (rows[i]->k.kind == 0)
				o->nby_type++;
			else
				o->nby_site++;
		}
		o->by_type = lc_xcalloc(o->nby_type + 1, sizeof *o->by_type);
		o->by_site = lc_xcalloc(o->nby_site + 1, sizeof *o->by_site);
		size_t kt = 0, ks = 0;
		for (size_t i = b0; i < at_row; i++) {
			const struct tlagg *g = rows[i];
			if (g->k.kind == 0) {
				o->by_type[kt++] = (struct lc_tl_row){ .type = lc_intern_str(&lt->types, g->k.val),
								       .has_device = !o->has_device, .device = g->k.device,
								       .site = -1, .buffers = g->buffers, .bytes = g->bytes };
				o->buffers += g->buffers;
			} else {
				o->by_site[ks++] = (struct lc_tl_row){ .site = pos[g->k.val], .buffers = g->buffers,
								       .bytes = g->bytes };
			}
		}
	}
	qsort(tm->peaks + 1, tm->npeaks - 1, sizeof *tm->peaks, peak_order_cmp);
	free(pos);
	free(rows);
	HASH_ITER(hh, agg, a, at) {
		HASH_DEL(agg, a);
		free(a);
	}
	lt->m.timeline = tm;
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
	tl_finish(lt);
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
	lc_timeline_model_free(lt->tm);
	free(lt->peak_sites);
	for (size_t i = 0; i < lt->npeaks; i++)
		free(lt->peaks[i].closed);
	free(lt->peaks);
	struct tlser *t, *ttmp;
	HASH_ITER(hh, lt->sers, t, ttmp) {
		HASH_DEL(lt->sers, t);
		free(t);
	}
	free(lt->spans);
	free(lt->m.leaks);
	free(lt->m.sites);
	free(lt->m.all_sites);
	free(lt);
}
