// SPDX-License-Identifier: MIT
// The JSON report's debug object: blocks, leaks, call sites.
#include "lc/report_json.h"

static void frames(struct lc_json *j, const struct lc_site *s)
{
	lc_json_key(j, "frames");
	lc_json_begin_array(j, false);
	for (size_t k = 0; k < s->nframes; k++)
		lc_json_str(j, s->frames[k].p, s->frames[k].n);
	lc_json_end_array(j);
}

void lc_report_json_debug(struct lc_json *j, const struct lc_debug_model *d)
{
	lc_json_key(j, "debug");
	if (!d) {
		lc_json_null(j);
		return;
	}
	lc_json_begin_object(j);
	lc_json_key(j, "blocks");
	lc_json_begin_object(j);
	kv_u64(j, "allocated", d->allocated);
	kv_u64(j, "deallocated", d->deallocated);
	kv_u64(j, "destructor", d->destructor);
	lc_json_end_object(j);
	tally(j, "live", &d->live);
	tally(j, "superseded", &d->superseded);
	kv_u64(j, "unmatched", d->unmatched);
	tally(j, "hooked", &d->hooked);
	lc_json_key(j, "leaks");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < d->nleaks; i++) {
		const struct lc_debug_leak *l = &d->leaks[i];
		lc_json_begin_object(j);
		kv_u64(j, "pointer", l->pointer);
		leak_buffer(j, l->device, l->address, l->type, l->size);
		kv_u64(j, "input", l->input);
		kv_u64(j, "line", l->line);
		kv_i64(j, "site", l->site);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_key(j, "sites");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < d->nsites; i++) {
		const struct lc_site *s = d->sites[i];
		lc_json_begin_object(j);
		frames(j, s);
		kv_u64(j, "buffers", s->open.buffers);
		kv_u64(j, "bytes", s->open.bytes);
		kv_u64(j, "temporary", s->temporary.buffers);
		kv_u64(j, "temporary_bytes", s->temporary.bytes);
		lc_json_key(j, "by_device");
		lc_json_begin_array(j, false);
		for (size_t k = 0; k < s->nsplit; k++) {
			lc_json_begin_object(j);
			kv_i64(j, "device", s->split[k].device);
			lc_json_key(j, "type");
			lc_json_cstr(j, s->split[k].type);
			kv_u64(j, "buffers", s->split[k].t.buffers);
			kv_u64(j, "bytes", s->split[k].t.bytes);
			lc_json_end_object(j);
		}
		lc_json_end_array(j);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_key(j, "all_sites");
	if (d->all_allocations) {
		lc_json_begin_array(j, false);
		for (size_t i = 0; i < d->nall_sites; i++) {
			const struct lc_site *s = d->all_sites[i];
			lc_json_begin_object(j);
			frames(j, s);
			kv_u64(j, "allocations", s->allocations);
			kv_u64(j, "bytes", s->alloc_bytes);
			kv_u64(j, "peak_live", s->peak_live);
			kv_u64(j, "temporary", s->temporary.buffers);
			kv_u64(j, "temporary_bytes", s->temporary.bytes);
			lc_json_end_object(j);
		}
		lc_json_end_array(j);
	} else {
		lc_json_null(j);
	}
	kv_u64(j, "frames_interned", d->frames_interned);
	lc_json_key(j, "saturated");
	lc_json_bool(j, d->saturated);
	lc_json_end_object(j);
}
