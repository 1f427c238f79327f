// SPDX-License-Identifier: MIT
// The JSON report, schema tt-leakcorr/1 (REPORT-SCHEMA.md): keys and arrays in the contract's order.
#include "lc/json.h"
#include "lc/report.h"
#include "lc/report_json.h"

static void inputs(struct lc_json *j, const struct lc_report *r)
{
	lc_json_key(j, "inputs");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct lc_input_info *in = &r->inputs[i];
		lc_json_begin_object(j);
		kv_cstr(j, "path", in->path);
		kv_cstr(j, "format", in->format);
		kv_bool(j, "compressed", in->compressed);
		kv_u64(j, "bytes", in->bytes);
		kv_u64(j, "lines", in->lines);
		kv_u64(j, "recognized_lines", in->recognized);
		kv_u64(j, "foreign_lines", in->foreign);
		kv_u64(j, "malformed_lines", in->malformed);
		kv_u64(j, "joined_lines", in->joined);
		kv_u64(j, "events", in->events);
		kv_u64(j, "evidence_lines", lc_input_evidence(in));
		lc_json_key(j, "doubt");
		char msg[4096];
		if (lc_input_doubt_text(in, msg, sizeof msg) > 0)
			lc_json_cstr(j, msg);
		else
			lc_json_null(j);
		kv_bool(j, "truncated", in->truncated);
		kv_cstr(j, "error", in->error);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static void events(struct lc_json *j, const struct lc_server_events *e)
{
	lc_json_key(j, "events");
	lc_json_begin_object(j);
	kv_u64(j, "alloc", e->alloc);
	kv_u64(j, "alloc_ref", e->alloc_ref);
	kv_u64(j, "free_ref", e->free_ref);
	kv_u64(j, "free_final", e->free_final);
	kv_u64(j, "free_unknown", e->free_unknown);
	kv_u64(j, "cleanup_removed", e->cleanup_removed);
	kv_u64(j, "dumps", e->dumps);
	kv_u64(j, "stats_blocks", e->stats_blocks);
	kv_u64(j, "cb_alloc", e->cb_alloc);
	kv_u64(j, "cb_free", e->cb_free);
	kv_u64(j, "kernel_load", e->kernel_load);
	kv_u64(j, "kernel_unload", e->kernel_unload);
	lc_json_end_object(j);
}

/* {"buffers", "bytes", "by_device": [...]} of remaining and of each run's live entries. */
static void live_object(struct lc_json *j, const char *key, const struct lc_tally *t,
			const struct lc_device_remaining *devices, size_t ndevices)
{
	lc_json_key(j, key);
	lc_json_begin_object(j);
	kv_u64(j, "buffers", t->buffers);
	kv_u64(j, "bytes", t->bytes);
	lc_json_key(j, "by_device");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < ndevices; i++) {
		const struct lc_device_remaining *d = &devices[i];
		lc_json_begin_object(j);
		kv_i64(j, "device", d->device);
		kv_u64(j, "buffers", d->t.buffers);
		kv_u64(j, "bytes", d->t.bytes);
		lc_json_key(j, "by_type");
		lc_json_begin_array(j, false);
		for (size_t k = 0; k < d->ntypes; k++) {
			lc_json_begin_object(j);
			lc_json_key(j, "type");
			lc_json_cstr(j, d->types[k].type);
			kv_u64(j, "buffers", d->types[k].t.buffers);
			kv_u64(j, "bytes", d->types[k].t.bytes);
			lc_json_end_object(j);
		}
		lc_json_end_array(j);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_end_object(j);
}

static void remaining(struct lc_json *j, const struct lc_server_model *m)
{
	live_object(j, "remaining", &m->remaining, m->devices, m->ndevices);
}

/* server.remaining_by_pid[]: the remaining entries by owner process, most bytes first. */
static void remaining_by_pid(struct lc_json *j, const struct lc_server_model *m)
{
	struct lc_pid_remaining *rows;
	size_t n = lc_remaining_by_pid(m, &rows);
	lc_json_key(j, "remaining_by_pid");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < n; i++) {
		lc_json_begin_object(j);
		kv_i64(j, "pid", rows[i].pid);
		kv_u64(j, "buffers", rows[i].t.buffers);
		kv_u64(j, "bytes", rows[i].t.bytes);
		lc_json_key(j, "devices");
		lc_json_begin_array(j, true);
		for (size_t k = 0; k < rows[i].ndevices; k++)
			lc_json_i64(j, rows[i].devices[k]);
		lc_json_end_array(j);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_pid_remaining_free(rows, n);
}

static void causes(struct lc_json *j, const struct lc_unknown_causes *u)
{
	lc_json_key(j, "by_cause");
	lc_json_begin_object(j);
	kv_u64(j, "never_seen", u->never_seen);
	kv_u64(j, "after_final_free", u->after_final_free);
	kv_u64(j, "after_cleanup", u->after_cleanup);
	kv_u64(j, "after_restart", u->after_restart);
	lc_json_end_object(j);
}

/* One run (server.run_list[], server.last_run): where it started, how it ended, its own figures. */
static void run_object(struct lc_json *j, const struct lc_server_model *m, size_t i)
{
	const struct lc_run_info *r = &m->run_list[i];
	lc_json_begin_object(j);
	kv_u64(j, "index", i + 1);
	kv_u64(j, "input", r->input);
	kv_u64(j, "line", r->line);
	lc_json_key(j, "banner");
	lc_json_bool(j, r->banner);
	lc_json_key(j, "ended_by");
	lc_json_cstr(j, r->ended_by_restart ? "restart" : "end_of_input");
	live_object(j, "live", &r->live, r->devices, r->ndevices);
	lc_json_key(j, "unknown_frees");
	lc_json_begin_object(j);
	kv_u64(j, "count", r->unknown.count);
	causes(j, &r->unknown);
	lc_json_end_object(j);
	tally(j, "cleanup", &r->cleanup);
	kv_u64(j, "checkpoints", r->checkpoints);
	kv_u64(j, "checkpoints_disagree", r->checkpoints_disagree);
	lc_json_end_object(j);
}

/*
 * The runs: the last one, all of them, what was live at the restarts, and which runs each
 * section covers ("all_runs", "last_run", or "earlier_run" for a lifecycle --at-dump took
 * from an earlier run).
 */
static void runs_detail(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "last_run");
	if (m->runs)
		run_object(j, m, m->runs - 1);
	else
		lc_json_null(j);
	lc_json_key(j, "run_list");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < m->runs; i++)
		run_object(j, m, i);
	lc_json_end_array(j);
	tally(j, "live_at_restarts", &m->live_at_restarts);
	static const char *const all[] = { "events", "unknown_frees", "cleanup", "checkpoints", "inconsistencies",
					   "implausible" };
	static const char *const last[] = { "remaining", "leaks", "reuse", "devices_extra", "distinct_keys" };
	lc_json_key(j, "scope");
	lc_json_begin_object(j);
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		lc_json_key(j, all[i]);
		lc_json_cstr(j, "all_runs");
	}
	for (size_t i = 0; i < sizeof last / sizeof last[0]; i++) {
		lc_json_key(j, last[i]);
		lc_json_cstr(j, "last_run");
	}
	lc_json_key(j, "dump_lifecycle");
	lc_json_cstr(j, m->lifecycle && m->lifecycle->run != m->runs ? "earlier_run" : "last_run");
	lc_json_end_object(j);
}

/* An entry's evidence (lc_evidence_build filled it): its ordinal, group and classes. */
static void evidence_fields(struct lc_json *j, const struct lc_leak *l)
{
	if (!l->ev.has)
		return;
	kv_u64(j, "seq", l->seq);
	kv_u64(j, "group", l->ev.group);
	lc_json_key(j, "phase");
	lc_json_cstr(j, lc_phase_name((enum lc_phase)l->ev.phase));
	lc_json_key(j, "dump_phase");
	lc_json_cstr(j, lc_dump_phase_name((enum lc_dump_phase)l->ev.dump_phase));
	lc_json_key(j, "tenth");
	lc_json_cstr(j, lc_tenth_name((enum lc_tenth)l->ev.tenth));
	kv_u64(j, "lifetime_lines", l->ev.lifetime_lines);
	kv_u64(j, "size_class", lc_size_class(l->size));
}

static void leaks(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "leaks");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < m->nleaks; i++) {
		const struct lc_leak *l = &m->leaks[i];
		lc_json_begin_object(j);
		leak_buffer(j, l->device, l->address, l->type, l->size);
		kv_i64(j, "pid", l->pid);
		kv_i64(j, "ref_count", l->ref_count);
		kv_u64(j, "input", l->input);
		kv_u64(j, "line", l->line);
		kv_opt_i64(j, "site", l->site >= 0, l->site);
		evidence_fields(j, l);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static const char *match_name(const struct lc_server_model *m, const struct lc_leak *l)
{
	static const char *const names[] = { "none", "open", "only", "latest" };
	if (!m->has_join || l->site_match > LC_MATCH_LATEST)
		return NULL;
	return names[l->site_match];
}

/* A dump or cleanup entry: the leaks' fields, then site_match (null without a debug log). */
static void entry_fields(struct lc_json *j, const struct lc_server_model *m, const struct lc_leak *l)
{
	kv_i64(j, "device", l->device);
	kv_u64(j, "address", l->address);
	lc_json_key(j, "type");
	lc_json_cstr(j, l->type);
	kv_u64(j, "size", l->size);
	kv_i64(j, "pid", l->pid);
	kv_i64(j, "ref_count", l->ref_count);
	kv_u64(j, "input", l->input);
	kv_u64(j, "line", l->line);
	kv_opt_i64(j, "site", l->site >= 0, l->site);
	lc_json_key(j, "site_match");
	lc_json_cstr(j, match_name(m, l));
	evidence_fields(j, l);
}

/* A group of unknown frees: "count" and its "first" lines {input, line, device, address}. */
static void unknown_group(struct lc_json *j, const struct lc_unknown_group *g)
{
	kv_u64(j, "count", g->count);
	lc_json_key(j, "first");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < g->nfirst; i++) {
		const struct lc_unknown_line *x = &g->first[i];
		lc_json_begin_object(j);
		kv_u64(j, "input", x->input);
		kv_u64(j, "line", x->line);
		kv_opt_i64(j, "device", x->has_device, x->device);
		kv_u64(j, "address", x->address);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

/* server.unknown_frees.by_pid[] and by_position{}. */
static void unknown_where(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "by_pid");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < m->nunknown_by_pid; i++) {
		const struct lc_unknown_group *g = &m->unknown_by_pid[i];
		lc_json_begin_object(j);
		kv_opt_i64(j, "pid", g->has_pid, g->pid);
		unknown_group(j, g);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	static const char *const names[LC_UPOS_N] = { "before_first_alloc", "after_restart", "after_cleanup",
						      "during_run" };
	lc_json_key(j, "by_position");
	lc_json_begin_object(j);
	for (int p = 0; p < LC_UPOS_N; p++) {
		lc_json_key(j, names[p]);
		lc_json_begin_object(j);
		unknown_group(j, &m->unknown_by_position[p]);
		lc_json_end_object(j);
	}
	lc_json_end_object(j);
}

static void unknown_frees(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "unknown_frees");
	lc_json_begin_object(j);
	kv_u64(j, "count", m->unknown_count);
	lc_json_key(j, "by_device");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < m->nunknown_by_device; i++) {
		lc_json_begin_object(j);
		kv_i64(j, "device", m->unknown_by_device[i].device);
		kv_u64(j, "count", m->unknown_by_device[i].count);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	causes(j, &(struct lc_unknown_causes){ m->unknown_count, m->never_seen, m->after_final_free, m->after_cleanup,
					       m->after_restart });
	unknown_where(j, m);
	lc_json_end_object(j);
}

/* server.address_forms: lines that print a buffer id, in decimal and in hex. */
static void address_forms(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "address_forms");
	lc_json_begin_object(j);
	kv_u64(j, "decimal_lines", m->address_forms.decimal_lines);
	kv_u64(j, "hex_lines", m->address_forms.hex_lines);
	lc_json_end_object(j);
}

static void cleanup(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "cleanup");
	lc_json_begin_array(j, false);
	size_t sp = 0, en = 0; /* splits and entries are in row order */
	for (size_t i = 0; i < m->ncleanup; i++) {
		const struct lc_cleanup_row *c = &m->cleanup[i];
		lc_json_begin_object(j);
		kv_i64(j, "pid", c->pid);
		kv_u64(j, "buffers", c->t.buffers);
		kv_u64(j, "bytes", c->t.bytes);
		kv_u64(j, "input", c->input);
		kv_u64(j, "line", c->line);
		kv_u64(j, "run", lc_server_run_of(m, c->input, c->line));
		kv_opt_u64(j, "printed_buffers", c->printed, c->printed_buffers);
		lc_json_key(j, "printed_mb");
		lc_json_cstr(j, c->printed ? c->printed_mb : NULL);
		lc_json_key(j, "agrees");
		if (c->printed)
			lc_json_bool(j, c->agrees);
		else
			lc_json_null(j);
		lc_json_key(j, "by_device_type");
		lc_json_begin_array(j, false);
		for (; sp < m->ncleanup_splits && m->cleanup_splits[sp].row == i; sp++) {
			const struct lc_cleanup_split *x = &m->cleanup_splits[sp];
			lc_json_begin_object(j);
			kv_i64(j, "device", x->device);
			lc_json_key(j, "type");
			lc_json_cstr(j, x->type);
			kv_u64(j, "buffers", x->t.buffers);
			kv_u64(j, "bytes", x->t.bytes);
			lc_json_end_object(j);
		}
		lc_json_end_array(j);
		uint64_t kept = 0;
		lc_json_key(j, "entries");
		lc_json_begin_array(j, false);
		for (; en < m->ncleanup_entries && m->cleanup_entry_rows[en] == i; en++, kept++) {
			lc_json_begin_object(j);
			entry_fields(j, m, &m->cleanup_entries[en]);
			lc_json_end_object(j);
		}
		lc_json_end_array(j);
		kv_u64(j, "entries_omitted", c->t.buffers - kept);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static void reuse(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "reuse");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < m->nreuse; i++) {
		struct lc_reuse_row row;
		const struct lc_reuse_row *r = lc_reuse_at(m, i, &row);
		lc_json_begin_object(j);
		kv_i64(j, "device", r->device);
		kv_u64(j, "address", r->address);
		lc_json_key(j, "type");
		lc_json_cstr(j, r->type);
		kv_u64(j, "allocs", r->allocs);
		kv_u64(j, "frees", r->frees);
		kv_u64(j, "unknown_frees", r->unknown_frees);
		kv_i64(j, "net", lc_reuse_net(r));
		lc_json_key(j, "sizes");
		lc_json_begin_array(j, true);
		for (size_t k = 0; k < r->nsizes; k++)
			lc_json_u64(j, r->sizes[k]);
		lc_json_end_array(j);
		lc_json_key(j, "pids");
		lc_json_begin_array(j, true);
		for (size_t k = 0; k < r->npids; k++)
			lc_json_i64(j, r->pids[k]);
		lc_json_end_array(j);
		kv_i64(j, "live_ref_count", r->live_ref_count);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static void checkpoints(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "checkpoints");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < m->ncheckpoints; i++) {
		const struct lc_checkpoint *c = &m->checkpoints[i];
		lc_json_begin_object(j);
		lc_json_key(j, "kind");
		lc_json_cstr(j, c->kind == LC_CP_STATS ? "stats" : "dump");
		kv_u64(j, "input", c->input);
		kv_u64(j, "line", c->line);
		lc_json_key(j, "agrees");
		lc_json_bool(j, c->agrees);
		lc_json_key(j, "differences");
		lc_json_begin_array(j, false);
		for (size_t k = 0; k < c->ndiffs; k++)
			lc_json_cstr(j, c->diffs[k]);
		lc_json_end_array(j);
		kv_u64(j, "differences_total", c->ndiffs_total);
		kv_u64(j, "run", lc_server_run_of(m, c->input, c->line));
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
}

static void lifecycle(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "dump_lifecycle");
	const struct lc_lifecycle *l = m->lifecycle;
	if (!l) {
		lc_json_null(j);
		return;
	}
	static const char *const names[4] = { "at_dump", "freed_later", "removed_by_cleanup", "still_live" };
	lc_json_begin_object(j);
	kv_u64(j, "input", l->input);
	kv_u64(j, "line", l->line);
	tally(j, "at_dump", &l->at_dump);
	tally(j, "freed_later", &l->freed_later);
	tally(j, "removed_by_cleanup", &l->removed_by_cleanup);
	tally(j, "still_live", &l->still_live);
	kv_u64(j, "dump_index", l->dump_index);
	kv_u64(j, "run", l->run);
	lc_json_key(j, "by_device");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < l->nrows; i++) {
		lc_json_begin_object(j);
		kv_i64(j, "device", l->rows[i].device);
		lc_json_key(j, "type");
		lc_json_cstr(j, l->rows[i].type);
		for (int k = 0; k < 4; k++)
			tally(j, names[k], &l->rows[i].t[k]);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_key(j, "entries");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < l->nentries; i++) {
		lc_json_begin_object(j);
		entry_fields(j, m, &l->entries[i]);
		lc_json_key(j, "fate");
		lc_json_cstr(j, l->fates[i] >= 1 && l->fates[i] <= 3 ? names[l->fates[i]] : NULL);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_end_object(j);
}

/* Sites of dump and cleanup entries that are not debug sites (null without a debug log). */
static void entry_sites(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "entry_sites");
	if (!m->has_join) {
		lc_json_null(j);
		return;
	}
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < m->nentry_sites; i++) {
		const struct lc_site *s = m->entry_sites[i];
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

static void notes(struct lc_json *j, const char *key, const struct lc_note *n, size_t count, uint64_t total)
{
	lc_json_key(j, key);
	lc_json_begin_object(j);
	kv_u64(j, "count", total);
	lc_json_key(j, "first");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < count; i++) {
		lc_json_begin_object(j);
		kv_u64(j, "input", n[i].input);
		kv_u64(j, "line", n[i].line);
		lc_json_key(j, "what");
		lc_json_cstr(j, n[i].text);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	lc_json_end_object(j);
}

static void server(struct lc_json *j, const struct lc_server_model *m)
{
	lc_json_key(j, "server");
	if (!m) {
		lc_json_null(j);
		return;
	}
	lc_json_begin_object(j);
	kv_u64(j, "runs", m->runs);
	kv_u64(j, "distinct_keys", m->distinct_keys);
	runs_detail(j, m);
	events(j, &m->events);
	address_forms(j, m);
	remaining(j, m);
	remaining_by_pid(j, m);
	leaks(j, m);
	unknown_frees(j, m);
	cleanup(j, m);
	reuse(j, m);
	checkpoints(j, m);
	lifecycle(j, m);
	lc_json_key(j, "join");
	if (m->has_join) {
		lc_json_begin_object(j);
		kv_u64(j, "leaks_with_site", m->join.leaks_with_site);
		kv_u64(j, "leaks_without_site", m->join.leaks_without_site);
		kv_u64(j, "lifetimes_without_entry", m->join.lifetimes_without_entry);
		lc_json_end_object(j);
	} else {
		lc_json_null(j);
	}
	entry_sites(j, m);
	lc_json_key(j, "devices_extra");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < m->nextras; i++) {
		const struct lc_device_extra *x = &m->extras[i];
		lc_json_begin_object(j);
		kv_i64(j, "device", x->device);
		kv_opt_double(j, "cb_mb", x->has_cb, x->cb_mb);
		kv_opt_double(j, "kernel_mb", x->has_kernel, x->kernel_mb);
		kv_u64(j, "wrapped_totals", x->wraps);
		lc_json_end_object(j);
	}
	lc_json_end_array(j);
	kv_u64(j, "checkpoints_disagree", m->checkpoints_disagree);
	notes(j, "inconsistencies", m->inconsistencies, m->ninconsistencies, m->inconsistencies_total);
	notes(j, "implausible", m->implausible, m->nimplausible, m->implausible_total);
	lc_json_key(j, "saturated");
	lc_json_bool(j, m->saturated);
	lc_json_end_object(j);
}

/* The filter (only when one was given): its criteria, and the sections it could not narrow. */
static void filter(struct lc_json *j, const struct lc_report *r)
{
	const struct lc_filter *f = r->filter;
	if (!lc_filter_active(f))
		return;
	lc_json_key(j, "filter");
	lc_json_begin_object(j);
	kv_opt_i64(j, "device", f->has_device, f->device);
	lc_json_key(j, "type");
	lc_json_cstr(j, f->type);
	kv_opt_i64(j, "pid", f->has_pid, f->pid);
	kv_opt_u64(j, "min_size", f->min_size, f->min_size);
	lc_json_key(j, "type_seen");
	if (f->type)
		lc_json_bool(j, r->filter_type_seen);
	else
		lc_json_null(j);
	const char *names[32];
	bool server = r->server || (r->diff && r->now && r->now->has_server);
	bool debug = r->debug || (r->diff && r->now && r->now->has_debug);
	size_t n = lc_filter_not_narrowed(f, server, debug, names, 32);
	lc_json_key(j, "not_narrowed");
	lc_json_begin_array(j, false);
	for (size_t i = 0; i < n; i++)
		lc_json_cstr(j, names[i]);
	lc_json_end_array(j);
	lc_json_end_object(j);
}

static void render(const struct lc_report *r, FILE *f, lc_json_capture_fn fn, void *ctx)
{
	struct lc_json j;
	lc_json_init(&j, f);
	if (fn)
		lc_json_capture(&j, fn, ctx);
	lc_json_begin_object(&j);
	lc_json_key(&j, "schema");
	lc_json_cstr(&j, "tt-leakcorr/1");
	lc_json_key(&j, "tool");
	lc_json_begin_object(&j);
	lc_json_key(&j, "name");
	lc_json_cstr(&j, "tt-leakcorr");
	lc_json_key(&j, "version");
	lc_json_cstr(&j, r->version);
	lc_json_end_object(&j);
	inputs(&j, r);
	server(&j, r->server);
	lc_report_json_debug(&j, r->debug);
	lc_report_json_evidence(&j, r->evidence, r->dump_evidence, r->server && r->server->has_join);
	lc_report_json_timeline(&j, r->server ? r->server->timeline : NULL, r->debug ? r->debug->timeline : NULL,
				r->peak_evidence);
	if (r->address)
		lc_report_json_address(&j, r->address);
	lc_json_key(&j, "options");
	lc_json_begin_object(&j);
	kv_opt_u64(&j, "stack_depth", r->stack_depth, r->stack_depth);
	lc_json_key(&j, "skip_frames");
	if (r->nskip) {
		lc_json_begin_array(&j, false);
		for (size_t i = 0; i < r->nskip; i++)
			lc_json_cstr(&j, r->skip_frames[i]);
		lc_json_end_array(&j);
	} else {
		lc_json_null(&j);
	}
	kv_opt_u64(&j, "at_dump", r->at_dump, r->at_dump);
	lc_json_key(&j, "baseline");
	lc_json_cstr(&j, r->baseline_path);
	lc_json_key(&j, "suppressions");
	lc_json_cstr(&j, r->suppressions_path);
	lc_json_end_object(&j);
	filter(&j, r);
	lc_report_json_diff(&j, r->diff);
	lc_report_json_gate(&j, r->gate);
	enum lc_verdict v = lc_report_verdict(r);
	lc_json_key(&j, "verdict");
	lc_json_begin_object(&j);
	lc_json_key(&j, "status");
	lc_json_cstr(&j, lc_verdict_name(v));
	lc_json_key(&j, "trusted");
	lc_json_bool(&j, lc_verdict_trusted(v));
	lc_json_end_object(&j);
	lc_json_end_object(&j);
	lc_json_finish(&j);
}

void lc_report_json(const struct lc_report *r, FILE *f)
{
	render(r, f, NULL, NULL);
}

int lc_report_json_capture(const struct lc_report *r, lc_json_capture_fn fn, void *ctx)
{
	FILE *f = fopen("/dev/null", "w");
	if (!f)
		return lc_error("/dev/null: cannot be opened to work out the report's metrics");
	render(r, f, fn, ctx);
	fclose(f);
	return 0;
}
