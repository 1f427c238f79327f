// SPDX-License-Identifier: MIT
// The JSON report's `address` object (--address): one address's events and Buffer* lifetimes per device.
#include "lc/report_json.h"

static void event(struct lc_json *j, const struct lc_hist_event *e)
{
	lc_json_begin_object(j);
	lc_json_key(j, "kind");
	lc_json_cstr(j, lc_hist_kind_name(e->kind));
	kv_u64(j, "input", e->input);
	kv_u64(j, "line", e->line);
	kv_u64(j, "run", e->run);
	kv_opt_i64(j, "pid", e->has_pid, e->pid);
	kv_opt_u64(j, "size", e->kind != LC_HIST_FREE_UNKNOWN, e->size);
	lc_json_key(j, "type");
	lc_json_cstr(j, e->type);
	lc_json_key(j, "live");
	lc_json_bool(j, e->live);
	kv_i64(j, "ref_count", e->ref_count);
	kv_opt_i64(j, "printed_ref_count", e->has_printed_ref, e->printed_ref);
	lc_json_end_object(j);
}

static void lifetime(struct lc_json *j, const struct lc_hist_lifetime *l)
{
	lc_json_begin_object(j);
	kv_u64(j, "pointer", l->pointer);
	kv_u64(j, "size", l->size);
	lc_json_key(j, "type");
	lc_json_cstr(j, l->type);
	kv_u64(j, "input", l->input);
	kv_u64(j, "line", l->line);
	lc_json_key(j, "hooked");
	lc_json_bool(j, l->hooked);
	lc_json_key(j, "end");
	lc_json_cstr(j, lc_hist_end_name(l->end));
	kv_opt_u64(j, "end_input", l->end != LC_HIST_OPEN, l->end_input);
	kv_opt_u64(j, "end_line", l->end != LC_HIST_OPEN, l->end_line);
	lc_json_key(j, "frames");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < l->nframes; i++)
		lc_json_str(j, l->frames[i].p, l->frames[i].n);
	lc_json_end_array(j);
	lc_json_end_object(j);
}

void lc_report_json_address(struct lc_json *j, const struct lc_address_history *h)
{
	lc_json_key(j, "address");
	lc_json_begin_object(j);
	kv_u64(j, "address", h->address);
	char hex[24];
	snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)h->address);
	lc_json_key(j, "hex");
	lc_json_cstr(j, hex);
	kv_opt_i64(j, "device", h->has_device, h->device);
	lc_json_key(j, "lifetimes_known");
	lc_json_bool(j, h->has_debug);
	uint64_t events = 0, lifetimes = 0;
	for (size_t i = 0; i < h->nkeys; i++) {
		events += h->keys[i].events_total;
		lifetimes += h->keys[i].lifetimes_total;
	}
	kv_u64(j, "events_total", events);
	kv_u64(j, "lifetimes_total", lifetimes);
	lc_json_key(j, "keys");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < h->nkeys; i++) {
		const struct lc_hist_key *k = &h->keys[i];
		lc_json_begin_object(j);
		kv_i64(j, "device", k->device);
		lc_json_key(j, "counts");
		lc_json_begin_object(j);
		for (int c = 0; c < LC_HIST_NKINDS; c++)
			kv_u64(j, lc_hist_kind_name((enum lc_hist_kind)c), k->counts[c]);
		lc_json_end_object(j);
		kv_u64(j, "events_total", k->events_total);
		lc_json_key(j, "events");
		lc_json_begin_array(j, false);
		for (size_t e = 0; e < k->nevents; e++)
			event(j, &k->events[e]);
		lc_json_end_array(j);
		kv_u64(j, "lifetimes_total", k->lifetimes_total);
		lc_json_key(j, "lifetimes");
		lc_json_begin_array(j, false);
		for (size_t l = 0; l < k->nlifetimes; l++)
			lifetime(j, &k->lifetimes[l]);
		lc_json_end_array(j);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_end_object(j);
}
