// SPDX-License-Identifier: MIT
// The JSON report's diff and gate objects.
#include "lc/report_json.h"

static void frame_cb(const char *p, size_t n, void *arg)
{
	lc_json_str(arg, p, n);
}

static void side_totals(struct lc_json *j, const char *key, const struct lc_side *s)
{
	lc_json_key(j, key);
	lc_json_begin_object(j);
	kv_u64(j, "remaining_buffers", s->remaining.buffers);
	kv_u64(j, "remaining_bytes", s->remaining.bytes);
	kv_u64(j, "unknown_frees", s->free_unknown);
	kv_u64(j, "live_buffers", s->live.buffers);
	kv_u64(j, "live_bytes", s->live.bytes);
	lc_json_end_object(j);
}

static void before_after(struct lc_json *j, const struct lc_tally *before, const struct lc_tally *after)
{
	kv_u64(j, "before_buffers", before->buffers);
	kv_u64(j, "after_buffers", after->buffers);
	kv_u64(j, "before_bytes", before->bytes);
	kv_u64(j, "after_bytes", after->bytes);
}

void lc_report_json_diff(struct lc_json *j, const struct lc_diff *d)
{
	lc_json_key(j, "diff");
	if (!d) {
		lc_json_null(j);
		return;
	}
	lc_json_begin_object(j);
	side_totals(j, "before", d->before);
	side_totals(j, "after", d->after);
	lc_json_key(j, "by_device");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < d->ndt; i++) {
		const struct lc_diff_dt *x = &d->dt[i];
		lc_json_begin_object(j);
		kv_i64(j, "device", x->device);
		lc_json_key(j, "type");
		lc_json_cstr(j, x->type);
		before_after(j, &x->before, &x->after);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_key(j, "sites");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < d->nsites; i++) {
		const struct lc_diff_site *x = &d->sites[i];
		lc_json_begin_object(j);
		lc_json_key(j, "frames");
		lc_json_begin_array(j, false);
		lc_stack_frames(x->key, frame_cb, j);
		lc_json_end_array(j);
		lc_json_key(j, "status");
		lc_json_cstr(j, lc_site_status_name(x->status));
		before_after(j, &x->before, &x->after);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_end_object(j);
}

void lc_report_json_gate(struct lc_json *j, const struct lc_gate *g)
{
	lc_json_key(j, "gate");
	if (!g) {
		lc_json_null(j);
		return;
	}
	lc_json_begin_object(j);
	lc_json_key(j, "passed");
	lc_json_bool(j, g->passed);
	lc_json_key(j, "rules");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < g->nrules; i++) {
		lc_json_begin_object(j);
		lc_json_key(j, "rule");
		lc_json_cstr(j, g->rules[i].text);
		kv_i64(j, "value", g->rules[i].value);
		kv_i64(j, "limit", g->rules[i].limit);
		lc_json_key(j, "applies");
		lc_json_bool(j, g->rules[i].applies);
		lc_json_key(j, "passed");
		lc_json_bool(j, g->rules[i].passed);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_key(j, "suppressions");
	lc_json_begin_array(j, false);
	for (size_t i = 0; g->supp && i < g->supp->n; i++) {
		lc_json_begin_object(j);
		lc_json_key(j, "rule");
		lc_json_cstr(j, g->supp->rules[i].text);
		kv_u64(j, "buffers", g->supp->rules[i].t.buffers);
		kv_u64(j, "bytes", g->supp->rules[i].t.bytes);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_end_object(j);
}
