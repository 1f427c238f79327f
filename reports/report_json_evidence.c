// SPDX-License-Identifier: MIT
// The JSON report's evidence object: allocation groups, classes, the run's allocation totals.
#include <stdlib.h>

#include "lc/report_json.h"

#include "lc/evidence.h"

static void devices(struct lc_json *j, const char *key, const int32_t *v, size_t n)
{
	lc_json_key(j, key);
	lc_json_begin_array(j, true);
	for (size_t i = 0; i < n; i++)
		lc_json_i64(j, v[i]);
	lc_json_end_array(j);
}

static void position(struct lc_json *j, const char *key, uint32_t input, uint64_t line)
{
	lc_json_key(j, key);
	lc_json_begin_object(j);
	kv_u64(j, "input", input);
	kv_u64(j, "line", line);
	lc_json_end_object(j);
}

static void run_totals(struct lc_json *j, const struct lc_run_info *r)
{
	lc_json_key(j, "run_totals");
	lc_json_begin_object(j);
	uint64_t bytes = 0;
	bool sat = false;
	for (size_t i = 0; r && i < r->nalloc_by_type; i++)
		bytes = lc_add_sat(bytes, r->alloc_by_type[i].t.bytes, &sat);
	kv_u64(j, "allocations", r ? r->allocations : 0);
	kv_u64(j, "bytes", bytes);
	lc_json_key(j, "by_type");
	lc_json_begin_array(j, false);
	for (size_t i = 0; r && i < r->nalloc_by_type; i++) {
		lc_json_begin_object(j);
		lc_json_key(j, "type");
		lc_json_cstr(j, r->alloc_by_type[i].type);
		kv_u64(j, "allocations", r->alloc_by_type[i].t.buffers);
		kv_u64(j, "bytes", r->alloc_by_type[i].t.bytes);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_end_object(j);
}

static void groups(struct lc_json *j, const struct lc_evidence *ev)
{
	lc_json_key(j, "groups");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < ev->ngroups; i++) {
		const struct lc_alloc_group *g = &ev->groups[i];
		lc_json_begin_object(j);
		lc_json_key(j, "type");
		lc_json_cstr(j, g->type);
		kv_u64(j, "size", g->size);
		kv_u64(j, "buffers", g->t.buffers);
		kv_u64(j, "bytes", g->t.bytes);
		kv_u64(j, "input", g->input);
		kv_u64(j, "first_line", g->first_line);
		kv_u64(j, "last_line", g->last_line);
		devices(j, "devices", g->devices, g->ndevices);
		lc_json_key(j, "shape");
		lc_json_cstr(j, lc_shape_name(g->shape));
		int32_t *missing = lc_xcalloc(g->nmissing + 1, sizeof *missing);
		lc_group_missing(ev, g, missing);
		devices(j, "missing_devices", missing, g->nmissing);
		free(missing);
		devices(j, "pids", g->pids, g->npids);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static void classes(struct lc_json *j, const struct lc_evidence *ev, bool sites)
{
	lc_json_key(j, "classes");
	lc_json_begin_array(j, false);
	for (size_t d = 0; d < ev->ndims; d++) {
		const struct lc_class_dim *dim = &ev->dims[d];
		lc_json_begin_object(j);
		lc_json_key(j, "by");
		lc_json_cstr(j, dim->by);
		lc_json_key(j, "rows");
		lc_json_begin_array(j, false);
		for (size_t i = 0; i < dim->nrows; i++) {
			const struct lc_class_row *row = &dim->rows[i];
			lc_json_begin_object(j);
			lc_json_key(j, "class");
			lc_json_cstr(j, row->name);
			kv_u64(j, "buffers", row->t.buffers);
			kv_u64(j, "bytes", row->t.bytes);
			lc_json_key(j, "share");
			lc_json_double(j, ev->total.bytes ? (double)row->t.bytes / (double)ev->total.bytes : 0.0);
			devices(j, "devices", row->devices, row->ndevices);
			position(j, "first", row->first_input, row->first_line);
			position(j, "last", row->last_input, row->last_line);
			lc_json_key(j, "sites");
			if (!sites) {
				lc_json_null(j);
			} else {
				lc_json_begin_array(j, false);
				for (size_t k = 0; k < row->nsites; k++) {
					lc_json_begin_object(j);
					kv_opt_i64(j, "site", row->sites[k].site >= 0, row->sites[k].site);
					kv_u64(j, "buffers", row->sites[k].t.buffers);
					kv_u64(j, "bytes", row->sites[k].t.bytes);
					lc_json_end_object(j);
				}
				lc_json_end_array(j);
			}
			lc_json_end_object(j);
		}
		lc_json_end_array(j);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static void body(struct lc_json *j, const struct lc_evidence *ev, bool sites)
{
	lc_json_key(j, "scope");
	lc_json_cstr(j, ev->scope);
	kv_u64(j, "group_window", ev->window);
	kv_u64(j, "buffers", ev->total.buffers);
	kv_u64(j, "bytes", ev->total.bytes);
	devices(j, "run_devices", ev->run_devices, ev->nrun_devices);
	kv_u64(j, "stats_blocks", ev->stats_blocks);
	kv_u64(j, "dumps", ev->dumps);
	run_totals(j, ev->run);
	kv_u64(j, "asymmetric_groups", ev->nasymmetric);
	groups(j, ev);
	classes(j, ev, sites);
}

void lc_report_json_evidence(struct lc_json *j, const struct lc_evidence *ev, const struct lc_evidence *dump,
			     bool sites)
{
	lc_json_key(j, "evidence");
	if (!ev || !ev->built) {
		lc_json_null(j);
		return;
	}
	lc_json_begin_object(j);
	body(j, ev, sites);
	lc_json_key(j, "dump");
	if (dump && dump->built) {
		lc_json_begin_object(j);
		kv_u64(j, "input", dump->scope_input);
		kv_u64(j, "line", dump->scope_line);
		body(j, dump, sites);
		lc_json_end_object(j);
	} else {
		lc_json_null(j);
	}
	lc_json_end_object(j);
}
