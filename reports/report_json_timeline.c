// SPDX-License-Identifier: MIT
// The JSON report's timeline object: live bytes and buffers over the log, peaks, what was live there.
#include "lc/report_json.h"

#include "lc/evidence.h"

static void u64_list(struct lc_json *j, const char *key, const uint64_t *v, size_t n)
{
	lc_json_key(j, key);
	lc_json_begin_array(j, true);
	for (size_t i = 0; i < n; i++)
		lc_json_u64(j, v[i]);
	lc_json_end_array(j);
}

static void marks(struct lc_json *j, const char *key, const struct lc_tl_marks *m)
{
	lc_json_key(j, key);
	lc_json_begin_object(j);
	kv_u64(j, "count", m->count);
	u64_list(j, "x", m->x, m->n);
	lc_json_end_object(j);
}

/* The input and line of axis line x (nothing known: nulls). */
static void where(struct lc_json *j, const char *ikey, const char *lkey, const struct lc_timeline_model *tm,
		  uint64_t x)
{
	uint32_t input = 0;
	uint64_t line = 0;
	bool has = lc_tl_where(tm, x, &input, &line);
	kv_opt_u64(j, ikey, has, input);
	kv_opt_u64(j, lkey, has, line);
}

/* One quantity's buckets: min, max and last lists of n buckets. */
static void buckets(struct lc_json *j, const char *q, int qi, const struct lc_tl_series *s, uint32_t n)
{
	static const char *const part[] = { "min", "max", "last" };
	for (int p = 0; p < 3; p++) {
		char key[32];
		snprintf(key, sizeof key, "%s_%s", q, part[p]);
		lc_json_key(j, key);
		lc_json_begin_array(j, true);
		for (uint32_t k = 0; k < n; k++) {
			const struct lc_tl_bucket *b = &s->b[k];
			lc_json_u64(j, p == 0 ? b->min[qi] : p == 1 ? b->max[qi] : b->last[qi]);
		}
		lc_json_end_array(j);
	}
}

static void series(struct lc_json *j, const struct lc_timeline_model *tm)
{
	uint32_t n = lc_timeline_buckets(&tm->tl);
	lc_json_key(j, "series");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < tm->nseries; i++) {
		const struct lc_tl_series_info *si = &tm->series[i];
		const struct lc_tl_series *s = tm->tl.s[si->id];
		lc_json_begin_object(j);
		kv_opt_i64(j, "device", si->has_device, si->device);
		kv_cstr(j, "type", si->type);
		kv_u64(j, "peak_bytes", s->peak[LC_TL_BYTES]);
		kv_u64(j, "peak_bytes_x", s->peak_x[LC_TL_BYTES]);
		where(j, "peak_bytes_input", "peak_bytes_line", tm, s->peak_x[LC_TL_BYTES]);
		kv_u64(j, "peak_buffers", s->peak[LC_TL_BUFFERS]);
		kv_u64(j, "peak_buffers_x", s->peak_x[LC_TL_BUFFERS]);
		kv_u64(j, "end_bytes", s->cur[LC_TL_BYTES]);
		kv_u64(j, "end_buffers", s->cur[LC_TL_BUFFERS]);
		buckets(j, "bytes", LC_TL_BYTES, s, n);
		buckets(j, "buffers", LC_TL_BUFFERS, s, n);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static void rows(struct lc_json *j, const char *key, const struct lc_tl_row *r, size_t n, int kind)
{
	lc_json_key(j, key);
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < n; i++) {
		lc_json_begin_object(j);
		if (kind == 2) {
			kv_i64(j, "site", r[i].site);
		} else {
			kv_cstr(j, "type", r[i].type);
			if (kind == 0 && r[i].has_device)
				kv_i64(j, "device", r[i].device);
		}
		if (kind == 1) {
			kv_u64(j, "size", r[i].size);
			lc_json_key(j, "devices");
			lc_json_begin_array(j, true);
			for (size_t d = 0; d < r[i].ndevices; d++)
				lc_json_i64(j, r[i].devices[d]);
			lc_json_end_array(j);
			kv_u64(j, "first_input", r[i].input);
			kv_u64(j, "first_line", r[i].line);
		}
		kv_u64(j, "buffers", r[i].buffers);
		kv_u64(j, "bytes", r[i].bytes);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

/* The groups of what was live at the all-devices peak (the part 7 rule), or null when more
 * entries were live there than the timeline keeps. */
static void peak_groups(struct lc_json *j, const struct lc_evidence *ev)
{
	lc_json_key(j, "by_group");
	if (!ev) {
		lc_json_null(j);
		return;
	}
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < ev->ngroups; i++) {
		const struct lc_alloc_group *g = &ev->groups[i];
		lc_json_begin_object(j);
		kv_cstr(j, "type", g->type);
		kv_u64(j, "size", g->size);
		lc_json_key(j, "devices");
		lc_json_begin_array(j, true);
		for (uint32_t d = 0; d < g->ndevices; d++)
			lc_json_i64(j, g->devices[d]);
		lc_json_end_array(j);
		kv_u64(j, "first_input", g->input);
		kv_u64(j, "first_line", g->first_line);
		kv_u64(j, "buffers", g->t.buffers);
		kv_u64(j, "bytes", g->t.bytes);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static void at_peak(struct lc_json *j, const struct lc_timeline_model *tm, bool debug,
		    const struct lc_evidence *groups)
{
	lc_json_key(j, "at_peak");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < tm->npeaks; i++) {
		const struct lc_tl_peak *p = &tm->peaks[i];
		lc_json_begin_object(j);
		kv_opt_i64(j, "device", p->has_device, p->device);
		kv_u64(j, "x", p->x);
		kv_u64(j, "bytes", p->bytes);
		kv_u64(j, "buffers", p->buffers);
		rows(j, "by_type", p->by_type, p->nby_type, 0);
		if (!p->has_device && !debug)
			peak_groups(j, groups);
		if (debug)
			rows(j, "by_site", p->by_site, p->nby_site, 2);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static void one(struct lc_json *j, const char *key, const struct lc_timeline_model *tm, bool debug,
		const struct lc_evidence *groups)
{
	lc_json_key(j, key);
	lc_json_begin_object(j);
	kv_cstr(j, "x", tm->axis);
	kv_u64(j, "lines", tm->tl.end);
	kv_u64(j, "bucket_lines", tm->tl.w);
	kv_u64(j, "buckets", lc_timeline_buckets(&tm->tl));
	lc_json_key(j, "inputs");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < tm->ninputs; i++) {
		lc_json_begin_object(j);
		kv_u64(j, "input", tm->inputs[i].input);
		kv_u64(j, "first_x", tm->inputs[i].first_x);
		kv_u64(j, "lines", tm->inputs[i].lines);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_key(j, "marks");
	lc_json_begin_object(j);
	marks(j, "restarts", &tm->restarts);
	marks(j, "dumps", &tm->dumps);
	marks(j, "cleanups", &tm->cleanups);
	marks(j, "stats", &tm->stats);
	lc_json_end_object(j);
	kv_u64(j, "wall_count", tm->wall_count);
	lc_json_key(j, "wall");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < tm->nwall; i++) {
		lc_json_begin_object(j);
		kv_u64(j, "x", tm->wall[i].x);
		if (debug) {
			kv_cstr(j, "time", tm->wall[i].time);
		} else {
			kv_u64(j, "run", tm->wall[i].run);
			kv_u64(j, "seconds", tm->wall[i].seconds);
		}
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	series(j, tm);
	kv_u64(j, "series_omitted", tm->series_omitted);
	at_peak(j, tm, debug, groups);
	if (debug) {
		/* the sites by_site indexes: every site live at a peak, whatever debug.sites lists */
		lc_json_key(j, "peak_sites");
		lc_json_begin_array(j, false);
		for (size_t i = 0; i < tm->nsites; i++) {
			const struct lc_site *s = tm->sites[i];
			lc_json_begin_object(j);
			lc_json_key(j, "frames");
			lc_json_begin_array(j, false);
			for (size_t k = 0; k < s->nframes; k++)
				lc_json_str(j, s->frames[k].p, s->frames[k].n);
			lc_json_end_array(j);
			lc_json_end_object(j);
		}
		lc_json_end_array(j);
	}
	lc_json_end_object(j);
}

void lc_report_json_timeline(struct lc_json *j, const struct lc_timeline_model *server,
			     const struct lc_timeline_model *debug, const struct lc_evidence *peak)
{
	if (!server && !debug)
		return;
	lc_json_key(j, "timeline");
	lc_json_begin_object(j);
	kv_u64(j, "points", (server ? server : debug)->tl.points);
	if (server)
		one(j, "server", server, false, peak);
	if (debug)
		one(j, "debug", debug, true, NULL);
	lc_json_end_object(j);
}
