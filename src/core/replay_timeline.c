// SPDX-License-Identifier: MIT
// The replay's timeline: live bytes and buffers per device and type over the server log, the
// exact peaks, and what was live at them (by device and type; the entries, for the groups).
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

/* series beyond this many (64 devices of 8 types) are not kept (counted in series_omitted). */
#define MAX_SERIES 512u
/* Entries kept to group what was live at the all-devices peak; past it, no groups. */
#define PEAK_ENTRIES_MAX 100000u
#define TOTAL UINT32_MAX       /* the type of a device's all-types series */

/* A series of one device and type (TOTAL: every type), found by (device, type). */
struct tlser {
	struct dtkey k;
	uint32_t id;                 /* NIL: over the cap, not kept */
	UT_hash_handle hh;
};

/* Removals since a peak of entries that were live at it, by device and type: `all` for the
 * all-devices peak, `dev` for the device's. A tally counts while its generation is current. */
struct tlgone {
	struct dtkey k;
	uint64_t gen_all, gen_dev;
	struct lc_tally all, dev;
	int64_t adj_all, adj_dev;    /* bytes of sizes replaced since the peak: at it minus now */
	UT_hash_handle hh;
};

/* An entry live at the all-devices peak whose size was replaced since: its size at the peak
 * (the first replacement's old size). Rows of an older peak (gen) are stale. */
struct tlsize {
	const struct entry *e;
	uint64_t gen, size;
	UT_hash_handle hh;
};

/* Per device: its total series and the generation of its bytes peak. */
struct tldev {
	int32_t device;
	uint32_t total;              /* series id, NIL when not kept */
	uint64_t gen;
	uint64_t peak_buffers;       /* live buffers when its bytes peaked */
	UT_hash_handle hh;
};

struct rtl {
	struct lc_timeline_model *tm;
	uint64_t off;                /* lines of the server-log inputs ended so far */
	uint64_t x;                  /* the current line of the axis */
	uint64_t *before;            /* by input: the axis lines before it (ended inputs) */
	bool *ended;
	size_t nbefore;
	uint32_t all;                /* the all-devices series */
	uint64_t gen;                /* of the all-devices bytes peak */
	uint64_t peak_buffers;
	struct tlser *ser;
	struct tldev *devs;
	struct tlgone *gone;
	struct tlsize *sizes;
	struct lc_leak *kept;        /* entries live at the all-devices peak and removed since */
	size_t nkept, capkept;
	bool kept_over;              /* more than PEAK_ENTRIES_MAX: no groups */
	uint64_t stats_in_run;
	size_t capinputs, capwall;
	/* without a hash lookup: the series of devices 0..255 by known type (TOTAL last), and their records */
	uint32_t fast[SMALL_DEVICES][LC_NTYPES_KNOWN + 1];
	struct tldev *dev_small[SMALL_DEVICES];
};

#define UNSET (UINT32_MAX - 1)   /* a fast slot not looked up yet (NIL: not kept) */

void lc_replay_tl_create(struct lc_replay *rp, uint32_t points)
{
	struct rtl *t = lc_xcalloc(1, sizeof *t);
	t->tm = lc_xcalloc(1, sizeof *t->tm);
	lc_timeline_init(&t->tm->tl, points ? points : 512);
	t->tm->axis = "server-log line";
	t->all = lc_timeline_series(&t->tm->tl);
	for (size_t d = 0; d < SMALL_DEVICES; d++)
		for (size_t k = 0; k <= LC_NTYPES_KNOWN; k++)
			t->fast[d][k] = UNSET;
	rp->tl = t;
}

void lc_replay_input_end(struct lc_replay *rp, uint32_t input, uint64_t lines)
{
	struct rtl *t = rp->tl;
	if (input >= t->nbefore) {
		size_t n = (size_t)input + 1;
		t->before = lc_xrealloc(t->before, n * sizeof *t->before);
		t->ended = lc_xrealloc(t->ended, n * sizeof *t->ended);
		memset(t->ended + t->nbefore, 0, (n - t->nbefore) * sizeof *t->ended);
		t->nbefore = n;
	}
	t->before[input] = t->off;
	t->ended[input] = true;
	struct lc_timeline_model *tm = t->tm;
	lc_grow((void **)&tm->inputs, &t->capinputs, tm->ninputs + 1, sizeof *tm->inputs);
	tm->inputs[tm->ninputs++] = (struct lc_tl_input){ .input = input, .first_x = t->off + 1, .lines = lines };
	t->off += lines;
}

/* The axis line of (input, line): the lines of the server-log inputs before it, then line. */
static uint64_t axis_x(const struct rtl *t, uint32_t input, uint64_t line)
{
	return (input < t->nbefore && t->ended[input] ? t->before[input] : t->off) + line;
}

void lc_replay_tl_line(struct lc_replay *rp, uint32_t input, uint64_t line)
{
	rp->tl->x = axis_x(rp->tl, input, line);
}

/* The axis line of entry e's allocation. */
static uint64_t born_x(const struct rtl *t, const struct entry *e)
{
	return axis_x(t, (uint32_t)(e->where >> WHERE_LINE_BITS), e->where & ((1ull << WHERE_LINE_BITS) - 1));
}

static struct tldev *dev_get(struct rtl *t, int32_t d)
{
	bool small = d >= 0 && d < SMALL_DEVICES;
	if (small && t->dev_small[d])
		return t->dev_small[d];
	struct tldev *v;
	HASH_FIND(hh, t->devs, &d, sizeof d, v);
	if (!v) {
		v = lc_xcalloc(1, sizeof *v);
		v->device = d;
		v->total = NIL;
		HASH_ADD(hh, t->devs, device, sizeof v->device, v);
	}
	if (small)
		t->dev_small[d] = v;
	return v;
}

/* The series of (d, type), made on first use while under the cap. */
static uint32_t series_of(struct rtl *t, int32_t d, uint32_t type)
{
	uint32_t *fast = NULL;
	if (d >= 0 && d < SMALL_DEVICES && (type < LC_NTYPES_KNOWN || type == TOTAL)) {
		fast = &t->fast[d][type == TOTAL ? LC_NTYPES_KNOWN : type];
		if (*fast != UNSET)
			return *fast;
	}
	struct dtkey k;
	memset(&k, 0, sizeof k);
	k.device = d;
	k.type = type;
	struct tlser *s;
	HASH_FIND(hh, t->ser, &k, sizeof k, s);
	if (s) {
		if (fast)
			*fast = s->id;
		return s->id;
	}
	s = lc_xcalloc(1, sizeof *s);
	s->k = k;
	if (t->tm->tl.n < MAX_SERIES) {
		s->id = lc_timeline_series(&t->tm->tl);
	} else {
		s->id = NIL;
		t->tm->series_omitted++;
	}
	HASH_ADD(hh, t->ser, k, sizeof s->k, s);
	if (type == TOTAL)
		dev_get(t, d)->total = s->id;
	if (fast)
		*fast = s->id;
	return s->id;
}

static unsigned move(struct rtl *t, uint32_t id, int64_t dbytes, int dbuf)
{
	if (id == NIL)
		return 0;
	const struct lc_tl_series *s = t->tm->tl.s[id];
	return lc_timeline_set(&t->tm->tl, id, t->x, s->cur[LC_TL_BYTES] + (uint64_t)dbytes,
			       s->cur[LC_TL_BUFFERS] + (uint64_t)(int64_t)dbuf);
}

/* The size entry e had at the all-devices peak (it is live and was allocated by then). */
static uint64_t size_at_peak(const struct rtl *t, const struct entry *e, uint64_t now)
{
	struct tlsize *z;
	HASH_FIND_PTR(t->sizes, &e, z);
	return z && z->gen == t->gen ? z->size : now;
}

/*
 * An entry that was live at a peak went (resized false), or had its size replaced from `size`
 * to `to` (resized true): what went since that peak, by device and type, keeps it.
 */
static void gone(struct lc_replay *rp, struct rtl *t, const struct entry *e, uint64_t size, bool resized,
		 uint64_t to)
{
	const struct lc_timeline *tl = &t->tm->tl;
	uint64_t bx = born_x(t, e);
	bool at_all = tl->s[t->all]->peak[LC_TL_BYTES] && bx <= tl->s[t->all]->peak_x[LC_TL_BYTES];
	struct tldev *dv = dev_get(t, e->device);
	bool at_dev = dv->total != NIL && tl->s[dv->total]->peak[LC_TL_BYTES] &&
		      bx <= tl->s[dv->total]->peak_x[LC_TL_BYTES];
	if (!at_all && !at_dev)
		return;
	struct dtkey k;
	memset(&k, 0, sizeof k);
	k.device = e->device;
	k.type = e->type;
	struct tlgone *g;
	HASH_FIND(hh, t->gone, &k, sizeof k, g);
	if (!g) {
		g = lc_xcalloc(1, sizeof *g);
		g->k = k;
		HASH_ADD(hh, t->gone, k, sizeof g->k, g);
	}
	bool sat = false;
	int64_t adj = (int64_t)(size - to);
	if (at_all) {
		if (g->gen_all != t->gen)
			g->all = (struct lc_tally){ 0 }, g->adj_all = 0, g->gen_all = t->gen;
		if (resized) {
			g->adj_all += adj;
			struct tlsize *z;
			HASH_FIND_PTR(t->sizes, &e, z);
			if (!z) {
				z = lc_xcalloc(1, sizeof *z);
				z->e = e;
				HASH_ADD_PTR(t->sizes, e, z);
			}
			if (z->gen != t->gen) {
				z->gen = t->gen;
				z->size = size;
			}
		} else {
			g->all.buffers++;
			g->all.bytes = lc_add_sat(g->all.bytes, size, &sat);
		}
		if (!resized && !t->kept_over) {
			if (t->nkept == PEAK_ENTRIES_MAX) {
				t->kept_over = true;
			} else {
				lc_grow((void **)&t->kept, &t->capkept, t->nkept + 1, sizeof *t->kept);
				t->kept[t->nkept] = lc_replay_leak_of(rp, e);
				t->kept[t->nkept++].size = size_at_peak(t, e, size);
			}
		}
	}
	if (at_dev) {
		if (g->gen_dev != dv->gen)
			g->dev = (struct lc_tally){ 0 }, g->adj_dev = 0, g->gen_dev = dv->gen;
		if (resized) {
			g->adj_dev += adj;
		} else {
			g->dev.buffers++;
			g->dev.bytes = lc_add_sat(g->dev.bytes, size, &sat);
		}
	}
}

/* Moves the (device, type), device and all-devices series of e by db bytes and dn buffers. */
static void move_all(struct rtl *t, const struct entry *e, int64_t db, int dn)
{
	move(t, series_of(t, e->device, e->type), db, dn);
	uint32_t dt = series_of(t, e->device, TOTAL);
	if (move(t, dt, db, dn) & (1u << LC_TL_BYTES)) {
		struct tldev *dv = dev_get(t, e->device);
		dv->gen++;
		dv->peak_buffers = t->tm->tl.s[dt]->cur[LC_TL_BUFFERS];
	}
	if (move(t, t->all, db, dn) & (1u << LC_TL_BYTES)) {
		t->gen++;
		t->nkept = 0;
		t->kept_over = false;
		t->peak_buffers = t->tm->tl.s[t->all]->cur[LC_TL_BUFFERS];
	}
}

void lc_replay_tl_change(struct lc_replay *rp, const struct entry *e, uint64_t size, bool add)
{
	struct rtl *t = rp->tl;
	if (!add)
		gone(rp, t, e, size, false, 0);
	move_all(t, e, add ? (int64_t)size : -(int64_t)size, add ? 1 : -1);
}

void lc_replay_tl_resize(struct lc_replay *rp, const struct entry *e, uint64_t from, uint64_t to)
{
	struct rtl *t = rp->tl;
	gone(rp, t, e, from, true, to);
	move_all(t, e, (int64_t)(to - from), 0);
}

void lc_replay_tl_restart(struct lc_replay *rp)
{
	struct rtl *t = rp->tl;
	lc_tl_mark(&t->tm->restarts, t->x, t->tm->tl.points);
	/* The new banner drops every live entry at its line. */
	struct entry *e;
	FOR_EACH_LIVE(rp, i, e)
		lc_replay_tl_change(rp, e, e->size, false);
	t->stats_in_run = 0;
}

void lc_replay_tl_mark(struct lc_replay *rp, enum lc_tl_mark_kind kind)
{
	struct rtl *t = rp->tl;
	struct lc_timeline_model *tm = t->tm;
	uint32_t points = tm->tl.points;
	switch (kind) {
	case LC_TLM_DUMP: lc_tl_mark(&tm->dumps, t->x, points); break;
	case LC_TLM_CLEANUP: lc_tl_mark(&tm->cleanups, t->x, points); break;
	case LC_TLM_STATS:
		lc_tl_mark(&tm->stats, t->x, points);
		t->stats_in_run++;
		tm->wall_count++;
		if (tm->nwall < points) {
			lc_grow((void **)&tm->wall, &t->capwall, tm->nwall + 1, sizeof *tm->wall);
			/* FORMATS.md: the statistics block comes every 10 s from the server's start */
			tm->wall[tm->nwall++] = (struct lc_tl_wall){ .x = t->x, .run = rp->m.runs,
								   .seconds = 10 * t->stats_in_run };
		}
		break;
	}
}

/* Rows by (device, type) of what was live at a peak; sorted into out at the end. */
static void row_add(struct dtagg **tab, int32_t d, uint32_t type, uint64_t buffers, uint64_t bytes, bool *sat)
{
	struct lc_tally *to = &lc_replay_dt_get(tab, d, type)->t[0];
	to->buffers += buffers;
	to->bytes = lc_add_sat(to->bytes, bytes, sat);
}

static int i32_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

/* tab's rows as by_type rows: devices ascending, types in report order (device set when by_device). */
static void rows_from(const struct lc_device_remaining *devs, size_t ndevs, bool by_device, struct lc_tl_row **out,
		      size_t *n)
{
	size_t total = 0;
	for (size_t d = 0; d < ndevs; d++)
		total += devs[d].ntypes;
	*out = lc_xcalloc(total ? total : 1, sizeof **out);
	*n = 0;
	for (size_t d = 0; d < ndevs; d++)
		for (size_t k = 0; k < devs[d].ntypes; k++)
			(*out)[(*n)++] = (struct lc_tl_row){ .type = devs[d].types[k].type, .has_device = by_device,
							      .device = devs[d].device, .site = -1,
							      .buffers = devs[d].types[k].t.buffers,
							      .bytes = devs[d].types[k].t.bytes };
}

static void devices_free(struct lc_device_remaining *devs, size_t ndevs)
{
	for (size_t d = 0; d < ndevs; d++)
		free(devs[d].types);
	free(devs);
}

/* A series to sort: all devices, then each device (ascending) with its total and its types,
 * the five known types in their order, other names bytewise after them. */
struct serref {
	const struct tlser *s;
	const char *name;
};

static int ser_cmp(const void *a, const void *b)
{
	const struct serref *x = a, *y = b;
	if (x->s->k.device != y->s->k.device)
		return x->s->k.device < y->s->k.device ? -1 : 1;
	uint32_t tx = x->s->k.type, ty = y->s->k.type;
	if ((tx == TOTAL) != (ty == TOTAL))
		return tx == TOTAL ? -1 : 1;
	if (tx < TYPE_OTHER_BASE || ty < TYPE_OTHER_BASE)
		return tx < ty ? -1 : tx > ty;
	return strcmp(x->name, y->name);
}

void lc_replay_tl_finish(struct lc_replay *rp)
{
	struct rtl *t = rp->tl;
	struct lc_timeline_model *tm = t->tm;
	lc_timeline_end(&tm->tl, t->off > t->x ? t->off : t->x);
	/* series in report order */
	size_t nser = HASH_COUNT(t->ser);
	struct serref *v = lc_xcalloc(nser ? nser : 1, sizeof *v);
	size_t k = 0;
	struct tlser *s, *stmp;
	HASH_ITER(hh, t->ser, s, stmp)
		if (s->id != NIL)
			v[k++] = (struct serref){ s, s->k.type == TOTAL ? NULL : lc_replay_type_str(rp, s->k.type) };
	qsort(v, k, sizeof *v, ser_cmp);
	tm->series = lc_xcalloc(k + 1, sizeof *tm->series);
	tm->series[tm->nseries++] = (struct lc_tl_series_info){ .id = t->all };
	for (size_t i = 0; i < k; i++)
		tm->series[tm->nseries++] = (struct lc_tl_series_info){
			.has_device = true, .device = v[i].s->k.device, .type = v[i].name, .id = v[i].s->id };
	free(v);
	/* the peaks: the all-devices one, then each device's */
	const struct lc_tl_series *all = tm->tl.s[t->all];
	uint64_t pall = all->peak[LC_TL_BYTES] ? all->peak_x[LC_TL_BYTES] : 0;
	size_t ndev = HASH_COUNT(t->devs);
	int32_t *dl = lc_xcalloc(ndev ? ndev : 1, sizeof *dl);
	size_t nd = 0;
	struct tldev *dv, *dtmp;
	HASH_ITER(hh, t->devs, dv, dtmp)
		if (dv->total != NIL)
			dl[nd++] = dv->device;
	qsort(dl, nd, sizeof *dl, i32_cmp);
	tm->peaks = lc_xcalloc(nd + 1, sizeof *tm->peaks);
	struct dtagg *tall = NULL, *tdev = NULL;
	bool sat = false;
	size_t nlive_all = 0;
	struct entry *e;
	FOR_EACH_LIVE(rp, i, e) {
		uint64_t bx = born_x(t, e);
		if (pall && bx <= pall) {
			row_add(&tall, e->device, e->type, 1, e->size, &sat);
			nlive_all++;
		}
		struct tldev *d = dev_get(t, e->device);
		const struct lc_tl_series *ds = d->total != NIL ? tm->tl.s[d->total] : NULL;
		if (ds && ds->peak[LC_TL_BYTES] && bx <= ds->peak_x[LC_TL_BYTES])
			row_add(&tdev, e->device, e->type, 1, e->size, &sat);
	}
	struct tlgone *g, *gtmp;
	HASH_ITER(hh, t->gone, g, gtmp) {
		if (g->gen_all == t->gen && pall)
			row_add(&tall, g->k.device, g->k.type, g->all.buffers, g->all.bytes + (uint64_t)g->adj_all, &sat);
		struct tldev *d = dev_get(t, g->k.device);
		if (g->gen_dev == d->gen && d->total != NIL)
			row_add(&tdev, g->k.device, g->k.type, g->dev.buffers, g->dev.bytes + (uint64_t)g->adj_dev, &sat);
	}
	struct lc_tl_peak *p = &tm->peaks[tm->npeaks++];
	p->x = pall;
	p->bytes = all->peak[LC_TL_BYTES];
	p->buffers = pall ? t->peak_buffers : 0;
	struct lc_device_remaining *devs = NULL;
	size_t ndevs = 0;
	lc_replay_devices_from(rp, tall, &devs, &ndevs);
	rows_from(devs, ndevs, true, &p->by_type, &p->nby_type);
	devices_free(devs, ndevs);
	/* each device's rows: both lists are by device ascending */
	devs = NULL;
	ndevs = 0;
	lc_replay_devices_from(rp, tdev, &devs, &ndevs);
	size_t j = 0;
	for (size_t i = 0; i < nd; i++) {
		struct tldev *d = dev_get(t, dl[i]);
		const struct lc_tl_series *ds = tm->tl.s[d->total];
		p = &tm->peaks[tm->npeaks++];
		p->has_device = true;
		p->device = dl[i];
		p->x = ds->peak[LC_TL_BYTES] ? ds->peak_x[LC_TL_BYTES] : 0;
		p->bytes = ds->peak[LC_TL_BYTES];
		p->buffers = p->x ? d->peak_buffers : 0;
		while (j < ndevs && devs[j].device < dl[i])
			j++;
		bool has = j < ndevs && devs[j].device == dl[i];
		rows_from(has ? &devs[j] : NULL, has ? 1 : 0, false, &p->by_type, &p->nby_type);
	}
	devices_free(devs, ndevs);
	lc_replay_dt_free(&tall);
	lc_replay_dt_free(&tdev);
	free(dl);
	/* the entries live at the all-devices peak, for its groups */
	struct lc_server_model *m = M(rp);
	m->peak_entries_over = t->kept_over || t->nkept + nlive_all > PEAK_ENTRIES_MAX;
	if (pall && !m->peak_entries_over) {
		m->peak_entries = lc_xcalloc(t->nkept + nlive_all + 1, sizeof *m->peak_entries);
		if (t->nkept)
			memcpy(m->peak_entries, t->kept, t->nkept * sizeof *t->kept);
		m->npeak_entries = t->nkept;
		FOR_EACH_LIVE(rp, i, e)
			if (born_x(t, e) <= pall) {
				m->peak_entries[m->npeak_entries] = lc_replay_leak_of(rp, e);
				m->peak_entries[m->npeak_entries++].size = size_at_peak(t, e, e->size);
			}
	}
	if (sat)
		m->saturated = true;
	m->timeline = tm;
}

void lc_replay_tl_destroy(struct lc_replay *rp)
{
	struct rtl *t = rp->tl;
	if (!t)
		return;
	if (rp->m.timeline != t->tm)
		lc_timeline_model_free(t->tm);
	struct tlser *s, *stmp;
	HASH_ITER(hh, t->ser, s, stmp) {
		HASH_DEL(t->ser, s);
		free(s);
	}
	struct tldev *d, *dtmp;
	HASH_ITER(hh, t->devs, d, dtmp) {
		HASH_DEL(t->devs, d);
		free(d);
	}
	struct tlgone *g, *gtmp;
	HASH_ITER(hh, t->gone, g, gtmp) {
		HASH_DEL(t->gone, g);
		free(g);
	}
	struct tlsize *z, *ztmp;
	HASH_ITER(hh, t->sizes, z, ztmp) {
		HASH_DEL(t->sizes, z);
		free(z);
	}
	free(t->kept);
	free(t->before);
	free(t->ended);
	free(t);
	rp->tl = NULL;
}
