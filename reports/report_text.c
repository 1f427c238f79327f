// SPDX-License-Identifier: MIT
// The text report: verdict first, then tables a person can read at a glance.
#include <inttypes.h>
#include <string.h>

#include "lc/report.h"
#include "lc/event.h"
#include "lc/report_text.h"
#include "lc/util.h"

/*
 * Scope markers for section headings. A log with one run (or none) has no marker, so
 * single-run reports read as before; with several runs each heading says which it covers.
 */
static bool multi_run(const struct lc_report *r)
{
	return r->server && r->server->runs > 1;
}

/* " (all N runs)" for sections that count over every run. */
static const char *all_runs(const struct lc_report *r)
{
	static char buf[64];
	if (!multi_run(r))
		return "";
	snprintf(buf, sizeof buf, " (all %" PRIu64 " runs)", r->server->runs);
	return buf;
}

/* "run N of N, from FILE:LINE" for the last run, in a buffer of the caller. */
static const char *last_run_text(const struct lc_report *r, char *buf, size_t n)
{
	const struct lc_server_model *m = r->server;
	const struct lc_run_info *lr = &m->run_list[m->runs - 1];
	snprintf(buf, n, "run %" PRIu64 " of %" PRIu64 ", from %s:%" PRIu64, m->runs, m->runs, input_name(r, lr->input),
		 lr->line);
	return buf;
}

/*
 * The join of server leaks with debug-log stacks, counted over the leaks listed below: with
 * --suppressions the lists leave suppressed leaks out, and so do these figures, so that they
 * add up to the list. The JSON server.join keeps the counts before suppressions (the
 * agreement of the inputs, like server.remaining); the second line gives both.
 */
static void join_sentence(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	uint64_t with = 0, orphans = 0, nlife = r->debug ? r->debug->nleaks : 0;
	for (size_t i = 0; i < m->nleaks; i++)
		with += m->leaks[i].site >= 0;
	for (size_t i = 0; i < nlife; i++)
		orphans += !r->debug->leaks[i].server_entry;
	fprintf(f, "  call sites: %" PRIu64 " of %zu leaks have their allocating stack; %" PRIu64
		   " have none (views, non-owning buffers); %" PRIu64
		   " open lifetimes have no live server entry (MeshDevice backing buffers, cleaned-up entries)\n",
		with, m->nleaks, (uint64_t)m->nleaks - with, orphans);
	if (!r->gate || !r->gate->supp || !r->gate->supp->n)
		return;
	const struct lc_join_counts *j = &m->join;
	uint64_t all = j->leaks_with_site + j->leaks_without_site;
	uint64_t gone = all - m->nleaks, gone_with = j->leaks_with_site - with;
	fprintf(f, "  suppressed, so not in these figures: %" PRIu64 " of %" PRIu64 " leaks (%" PRIu64
		   " with a stack, %" PRIu64 " without) and %" PRIu64
		   " open lifetimes with no server entry; JSON server.join counts before suppressions (%" PRIu64
		   " with, %" PRIu64 " without, %" PRIu64 " lifetimes)\n",
		gone, all, gone_with, gone - gone_with, j->lifetimes_without_entry - orphans, j->leaks_with_site,
		j->leaks_without_site, j->lifetimes_without_entry);
}

void lc_report_text_filter_note(const struct lc_report *r, FILE *f)
{
	const struct lc_filter *flt = r->filter;
	if (!lc_filter_active(flt))
		return;
	char what[256];
	lc_filter_describe(flt, what, sizeof what);
	fprintf(f, "Filter: %s", what);
	if (flt->type && !r->filter_type_seen)
		fprintf(f, " - no buffer of type %s in the input, so nothing matches", flt->type);
	const char *names[32];
	bool server = r->server || (r->diff && r->now && r->now->has_server);
	bool debug = r->debug || (r->diff && r->now && r->now->has_debug);
	size_t n = lc_filter_not_narrowed(flt, server, debug, names, 32);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : " (sections not narrowed: ", names[i]);
	fputs(n ? ")\n" : "\n", f);
}

static void verdict(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	uint64_t malformed = 0, lines = 0;
	bool truncated = false;
	for (size_t i = 0; i < r->ninputs; i++) {
		malformed += r->inputs[i].malformed;
		lines += r->inputs[i].lines;
		truncated |= r->inputs[i].truncated;
	}
	fprintf(f, "tt-leakcorr %s: %zu input%s, %" PRIu64 " lines", r->version, r->ninputs,
		r->ninputs == 1 ? "" : "s", lines);
	if (m)
		fprintf(f, ", %" PRIu64 " server run%s", m->runs, m->runs == 1 ? "" : "s");
	fputc('\n', f);
	lc_report_text_filter_note(r, f);
	fputc('\n', f);
	if (truncated)
		fputs("WARNING: an input is truncated or unreadable; figures cover only what was read.\n", f);
	enum lc_verdict v = lc_report_verdict(r);
	const char *label = "VERDICT";
	if (v == LC_VERDICT_NO_DATA || v == LC_VERDICT_DOUBTFUL) {
		fputs(v == LC_VERDICT_NO_DATA ? "VERDICT: NO DATA - no input holds a line of the allocation server or the "
						"buffer debug log, so nothing is known about leaks.\n"
					      : "VERDICT: DOUBTFUL - an input is not what it should be; the figures below "
						"cover only what was read.\n",
		      f);
		for (size_t i = 0; i < r->ninputs; i++) {
			char msg[4096];
			if (lc_input_doubt_text(&r->inputs[i], msg, sizeof msg) > 0)
				fprintf(f, "  %s\n", msg);
		}
		if (v == LC_VERDICT_NO_DATA)
			return;
		label = "Read";
	}
	if (v == LC_VERDICT_EMPTY) {
		fputs("VERDICT: empty - every input is empty (--allow-empty); nothing was read, so nothing is known to "
		      "leak.\n",
		      f);
		return;
	}
	if (!m) {
		const struct lc_debug_model *d = r->debug;
		if (!d) {
			fputs("No allocation-server log or buffer debug log among the inputs.\n", f);
			return;
		}
		if (d->live.buffers == 0)
			fprintf(f, "%s: clean - no Buffer* lifetime is open at the end of the debug log.\n", label);
		else
			fprintf(f, "%s: %" PRIu64 " buffer%s (%s) still allocated at the end of the debug log, from %zu call site%s.\n",
				label, d->live.buffers, d->live.buffers == 1 ? "" : "s", HB(d->live.bytes), d->nsites,
				d->nsites == 1 ? "" : "s");
		return;
	}
	/*
	 * With several runs the verdict is the last run's (the state the log ends in) and its first
	 * summary line gives that run's own figures; the figures over all runs follow on a line of
	 * their own that says so, with what was live when each restart came.
	 */
	char scope[256] = "";
	if (multi_run(r)) {
		char lr[200];
		snprintf(scope, sizeof scope, " (last run: %s)", last_run_text(r, lr, sizeof lr));
	}
	if (m->remaining.buffers == 0)
		fprintf(f, "%s: clean - no buffers remain allocated at the end of the log%s.\n", label, scope);
	else
		fprintf(f, "%s: %" PRIu64 " buffer%s (%s) still allocated at the end of the log, on %zu device%s%s.\n",
			label, m->remaining.buffers, m->remaining.buffers == 1 ? "" : "s", HB(m->remaining.bytes),
			m->ndevices, m->ndevices == 1 ? "" : "s", scope);
	uint64_t removed = 0;
	for (size_t i = 0; i < m->ncleanup; i++)
		removed += m->cleanup[i].t.buffers;
	if (multi_run(r)) {
		const struct lc_run_info *l = &m->run_list[m->runs - 1];
		fprintf(f, "  last run: checkpoints: %" PRIu64 ", %" PRIu64 " disagree | unknown frees: %" PRIu64
			   " | removed by dead-process cleanup: %" PRIu64 "\n",
			l->checkpoints, l->checkpoints_disagree, l->unknown.count, l->cleanup.buffers);
		fprintf(f, "  all runs: checkpoints: %zu, %" PRIu64 " disagree%s | unknown frees: %" PRIu64
			   " | removed by dead-process cleanup: %" PRIu64 " | live at the %" PRIu64 " restart%s: %" PRIu64
			   " buffer%s (%s) | malformed lines: %" PRIu64 "\n",
			m->ncheckpoints, m->checkpoints_disagree, m->checkpoints_disagree ? " (see below)" : "",
			m->unknown_count, removed, m->runs - 1, m->runs == 2 ? "" : "s", m->live_at_restarts.buffers,
			m->live_at_restarts.buffers == 1 ? "" : "s", HB(m->live_at_restarts.bytes), malformed);
	} else {
		fprintf(f, "  checkpoints: %zu, %" PRIu64 " disagree%s | unknown frees: %" PRIu64
			   " | removed by dead-process cleanup: %" PRIu64 " | malformed lines: %" PRIu64 "\n",
			m->ncheckpoints, m->checkpoints_disagree, m->checkpoints_disagree ? " (see below)" : "",
			m->unknown_count, removed, malformed);
	}
	if (m->inconsistencies_total)
		fprintf(f, "  %" PRIu64 " line%s the replay (lines lost or reordered?); see below.\n",
			m->inconsistencies_total, m->inconsistencies_total == 1 ? " contradicts" : "s contradict");
	if (m->saturated)
		fputs("  a byte sum passed 2^64-1 and stops there.\n", f);
	if (m->has_join)
		join_sentence(r, f);
	const struct lc_server_events *e = &m->events;
	fprintf(f, "\nEvents%s: %" PRIu64 " allocations (+%" PRIu64 " ref-count), %" PRIu64 " final frees (+%" PRIu64
		   " ref-count), %" PRIu64 " unknown frees, %" PRIu64 " removed by cleanup, %" PRIu64
		   " statistics blocks, %" PRIu64 " dumps\n",
		all_runs(r), e->alloc, e->alloc_ref, e->free_final, e->free_ref, e->free_unknown, e->cleanup_removed,
		e->stats_blocks, e->dumps);
	if (e->cb_alloc || e->cb_free || e->kernel_load || e->kernel_unload)
		fprintf(f, "        %" PRIu64 " CB allocations, %" PRIu64 " CB frees, %" PRIu64 " kernel loads, %" PRIu64
			   " kernel unloads\n",
			e->cb_alloc, e->cb_free, e->kernel_load, e->kernel_unload);
}

/* Column order of the per-device table: the types present, in the model's order. */
static size_t collect_types(const struct lc_server_model *m, const char **types, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < m->ndevices; i++)
		for (size_t k = 0; k < m->devices[i].ntypes; k++) {
			const char *t = m->devices[i].types[k].type;
			size_t j = 0;
			while (j < n && strcmp(types[j], t) != 0)
				j++;
			if (j == n && n < max)
				types[n++] = t;
		}
	/* The report's type order (lc_device_type_cmp); n is small, insertion sort will do. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && lc_device_type_cmp(0, types[j - 1], 0, types[j]) > 0; j--) {
			const char *t = types[j];
			types[j] = types[j - 1];
			types[j - 1] = t;
		}
	return n;
}

static void remaining(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->ndevices)
		return;
	const char *types[16];
	size_t nt = collect_types(m, types, 16);
	char lr[200];
	if (multi_run(r))
		fprintf(f, "\nRemaining at the end of the log (%s), by device and type (buffers / bytes)\n",
			last_run_text(r, lr, sizeof lr));
	else
		fputs("\nRemaining at the end of the log, by device and type (buffers / bytes)\n", f);
	fprintf(f, "  %-8s", "device");
	for (size_t t = 0; t < nt; t++)
		fprintf(f, "  %-20s", types[t]);
	fprintf(f, "  %-20s\n", "total");
	for (size_t i = 0; i < m->ndevices; i++) {
		const struct lc_device_remaining *d = &m->devices[i];
		fprintf(f, "  %-8d", (int)d->device);
		for (size_t t = 0; t < nt; t++) {
			char cell[48] = "-";
			for (size_t k = 0; k < d->ntypes; k++)
				if (strcmp(d->types[k].type, types[t]) == 0)
					snprintf(cell, sizeof cell, "%" PRIu64 " / %s", d->types[k].t.buffers,
						 HB(d->types[k].t.bytes));
			fprintf(f, "  %-20s", cell);
		}
		char cell[48];
		snprintf(cell, sizeof cell, "%" PRIu64 " / %s", d->t.buffers, HB(d->t.bytes));
		fprintf(f, "  %-20s\n", cell);
	}
	char cell[48];
	snprintf(cell, sizeof cell, "%" PRIu64 " / %s", m->remaining.buffers, HB(m->remaining.bytes));
	fprintf(f, "  %-8s", "all");
	for (size_t t = 0; t < nt; t++) {
		uint64_t b = 0, y = 0;
		for (size_t i = 0; i < m->ndevices; i++)
			for (size_t k = 0; k < m->devices[i].ntypes; k++)
				if (strcmp(m->devices[i].types[k].type, types[t]) == 0) {
					b += m->devices[i].types[k].t.buffers;
					y += m->devices[i].types[k].t.bytes;
				}
		char c2[48];
		snprintf(c2, sizeof c2, "%" PRIu64 " / %s", b, HB(y));
		fprintf(f, "  %-20s", c2);
	}
	fprintf(f, "  %-20s\n", cell);
}

/* The remaining entries by owner process, most bytes first, --top rows. */
static void by_pid(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->nleaks)
		return;
	struct lc_pid_remaining *rows;
	size_t total = lc_remaining_by_pid(m, &rows), n = limit(r, total);
	char lr[64] = "";
	if (multi_run(r))
		snprintf(lr, sizeof lr, " (run %" PRIu64 " of %" PRIu64 ")", m->runs, m->runs);
	fprintf(f, "\nRemaining by owner process%s, most bytes first (%zu of %zu)\n", lr, n, total);
	fprintf(f, "  %-10s  %8s  %12s  %s\n", "owner pid", "buffers", "bytes", "devices");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %-10d  %8" PRIu64 "  %12s  ", (int)rows[i].pid, rows[i].t.buffers, HB(rows[i].t.bytes));
		for (size_t k = 0; k < rows[i].ndevices; k++)
			fprintf(f, "%s%d", k ? ", " : "", (int)rows[i].devices[k]);
		fputc('\n', f);
	}
	more(f, n, total);
	lc_pid_remaining_free(rows, total);
}

/* Device rows of a run's live entries: "device D: TYPE n / bytes, ...". */
static void run_devices(FILE *f, const struct lc_run_info *x)
{
	for (size_t d = 0; d < x->ndevices; d++) {
		const struct lc_device_remaining *dv = &x->devices[d];
		fprintf(f, "         device %d:", (int)dv->device);
		for (size_t k = 0; k < dv->ntypes; k++)
			fprintf(f, "%s %s %" PRIu64 " / %s", k ? "," : "", dv->types[k].type, dv->types[k].t.buffers,
				HB(dv->types[k].t.bytes));
		fputc('\n', f);
	}
}

/* Several runs: what was live when each ended (a restart, or the end of the log), and its own figures. */
static void server_runs(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!multi_run(r))
		return;
	size_t n = limit(r, (size_t)m->runs);
	fprintf(f, "\nServer runs (%" PRIu64 "): what was live when each run ended, and each run's own figures\n", m->runs);
	fprintf(f, "  %-4s  %-32s  %-10s  %8s  %12s  %8s  %8s  %s\n", "run", "started at", "ended by", "live", "bytes",
		"unknown", "cleanup", "checkpoints");
	for (size_t i = 0; i < n; i++) {
		const struct lc_run_info *x = &m->run_list[i];
		char at[160], cps[48];
		snprintf(at, sizeof at, "%s:%" PRIu64 "%s", input_name(r, x->input), x->line, x->banner ? "" : " (no banner)");
		snprintf(cps, sizeof cps, "%" PRIu64 ", %" PRIu64 " disagree", x->checkpoints, x->checkpoints_disagree);
		fprintf(f, "  %-4zu  %-32s  %-10s  %8" PRIu64 "  %12s  %8" PRIu64 "  %8" PRIu64 "  %s\n", i + 1, at,
			x->ended_by_restart ? "restart" : "end of log", x->live.buffers, HB(x->live.bytes), x->unknown.count,
			x->cleanup.buffers, cps);
		run_devices(f, x);
		if (x->unknown.count)
			fprintf(f, "         unknown frees: never seen %" PRIu64 ", after the final free %" PRIu64
				   ", after dead-process cleanup %" PRIu64 ", after a restart %" PRIu64 "\n",
				x->unknown.never_seen, x->unknown.after_final_free, x->unknown.after_cleanup,
				x->unknown.after_restart);
	}
	more(f, n, (size_t)m->runs);
}

static void leak_list(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->nleaks)
		return;
	size_t n = limit(r, m->nleaks);
	char lr[64] = "";
	if (multi_run(r))
		snprintf(lr, sizeof lr, " (run %" PRIu64 " of %" PRIu64 ")", m->runs, m->runs);
	fprintf(f, "\nLeaks: buffers live at the end of the log%s, largest first (%zu of %zu)\n", lr, n, m->nleaks);
	fprintf(f, "  %-6s  %-*s  %-13s  %12s  %-10s  %4s  %s\n", "device", addr_width(r), "address", "type", "size",
		"owner pid", "refs", "allocated at");
	for (size_t i = 0; i < n; i++) {
		const struct lc_leak *l = &m->leaks[i];
		fprintf(f, "  %-6d  %-*s  %-13s  %12s  %-10d  %4d  %s:%" PRIu64 "\n", (int)l->device, addr_width(r),
			addr_text(r, l->address), l->type, HB(l->size), (int)l->pid, (int)l->ref_count, input_name(r, l->input),
			l->line);
		if (r->debug && l->site >= 0 && (size_t)l->site < r->debug->nsites) {
			const struct lc_site *st = r->debug->sites[l->site];
			fprintf(f, "          site #%" PRId64 ":", l->site);
			if (!st->nframes)
				fputs(" (no frames)", f);
			for (size_t k = 0; k < st->nframes && k < 3; k++)
				fprintf(f, "%s %.*s", k ? " <-" : "", (int)st->frames[k].n, st->frames[k].p);
			fputc('\n', f);
		} else if (r->debug) {
			fputs("          site: none (no open Buffer* lifetime at this address)\n", f);
		}
	}
	more(f, n, m->nleaks);
}

static void reuse_table(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->nreuse)
		return;
	size_t n = limit(r, m->nreuse);
	char lr[64] = "";
	if (multi_run(r))
		snprintf(lr, sizeof lr, " (run %" PRIu64 " of %" PRIu64 ")", m->runs, m->runs);
	fprintf(f, "\nAddress reuse%s: addresses allocated again and again, most allocations without a free first (%zu of %zu)\n",
		lr, n, m->nreuse);
	fprintf(f, "  %-6s  %-*s  %-13s  %7s  %7s  %7s  %6s  %9s  %s\n", "device", addr_width(r), "address", "type",
		"allocs", "frees", "unknown", "net", "live refs", "sizes / pids");
	for (size_t i = 0; i < n; i++) {
		struct lc_reuse_row row;
		const struct lc_reuse_row *x = lc_reuse_at(m, i, &row);
		fprintf(f, "  %-6d  %-*s  %-13s  %7" PRIu32 "  %7" PRIu32 "  %7" PRIu32 "  %6" PRId64 "  %9d  ",
			(int)x->device, addr_width(r), addr_text(r, x->address), x->type ? x->type : "-", x->allocs, x->frees, x->unknown_frees,
			lc_reuse_net(x), (int)x->live_ref_count);
		for (size_t k = 0; k < x->nsizes && k < 6; k++)
			fprintf(f, "%s%s", k ? "," : "", HB(x->sizes[k]));
		if (x->nsizes > 6)
			fprintf(f, ",+%" PRIu32, x->nsizes - 6);
		fputs(" / ", f);
		for (size_t k = 0; k < x->npids && k < 4; k++)
			fprintf(f, "%s%d", k ? "," : "", (int)x->pids[k]);
		if (x->npids > 4)
			fprintf(f, ",+%" PRIu32, x->npids - 4);
		fputc('\n', f);
	}
	more(f, n, m->nreuse);
}

/* The first lines of a group of unknown frees: "FILE:LINE device D 0xADDR; ...". */
static void unknown_first(const struct lc_report *r, FILE *f, const struct lc_unknown_group *g)
{
	fputs(" (first:", f);
	for (size_t i = 0; i < g->nfirst; i++) {
		const struct lc_unknown_line *x = &g->first[i];
		fprintf(f, "%s %s:%" PRIu64, i ? ";" : "", input_name(r, x->input), x->line);
		if (x->has_device)
			fprintf(f, " device %d", (int)x->device);
		else
			fputs(" no device", f);
		fprintf(f, " %s", addr_text(r, x->address));
	}
	fputs(")\n", f);
}

/* Unknown frees by position in the run (the four add up to the count) and by PID of the line. */
static void unknown_where(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	static const char *const names[LC_UPOS_N] = { "before the first allocation", "after a restart",
						      "after dead-process cleanup", "during the run" };
	const struct lc_unknown_group *p = m->unknown_by_position;
	fprintf(f, "  by position in the run: %s %" PRIu64 ", %s %" PRIu64 ", %s %" PRIu64 ", %s %" PRIu64 "\n", names[0],
		p[0].count, names[1], p[1].count, names[2], p[2].count, names[3], p[3].count);
	for (int i = 0; i < LC_UPOS_N; i++) {
		if (!p[i].count)
			continue;
		fprintf(f, "    %s: %" PRIu64, names[i], p[i].count);
		unknown_first(r, f, &p[i]);
	}
	size_t n = limit(r, m->nunknown_by_pid);
	fprintf(f, "  by PID of the line (%zu PID%s):\n", m->nunknown_by_pid, m->nunknown_by_pid == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		const struct lc_unknown_group *g = &m->unknown_by_pid[i];
		if (g->has_pid)
			fprintf(f, "    PID %d: %" PRIu64, (int)g->pid, g->count);
		else
			fprintf(f, "    no PID: %" PRIu64, g->count);
		unknown_first(r, f, g);
	}
	more(f, n, m->nunknown_by_pid);
}

static void unknown(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->unknown_count)
		return;
	fprintf(f, "\nUnknown frees%s: %" PRIu64 " (never seen %" PRIu64 ", after the final free %" PRIu64
		   ", after dead-process cleanup %" PRIu64 ", after a restart %" PRIu64 ")\n",
		all_runs(r), m->unknown_count, m->never_seen, m->after_final_free, m->after_cleanup, m->after_restart);
	fputs("  device  count\n", f);
	for (size_t i = 0; i < m->nunknown_by_device; i++)
		fprintf(f, "  %-6d  %" PRIu64 "\n", (int)m->unknown_by_device[i].device, m->unknown_by_device[i].count);
	unknown_where(r, f);
}

/* The site of a dump or cleanup entry: a debug site, or one of the server model's entry sites. */
static const struct lc_site *entry_site(const struct lc_report *r, int64_t i)
{
	if (!r->debug || i < 0)
		return NULL;
	if ((size_t)i < r->debug->nsites)
		return r->debug->sites[i];
	size_t k = (size_t)i - r->debug->nsites;
	return k < r->server->nentry_sites ? r->server->entry_sites[k] : NULL;
}

/* One dump or cleanup entry, and its site when a debug log was read ("latest" said to be a guess). */
static void entry_line(const struct lc_report *r, FILE *f, const struct lc_leak *l, const char *tail)
{
	fprintf(f, "  %-6d  %-*s  %-13s  %12s  %-10d  %4d  %s:%" PRIu64 "%s\n", (int)l->device, addr_width(r),
		addr_text(r, l->address), l->type, HB(l->size), (int)l->pid, (int)l->ref_count, input_name(r, l->input),
		l->line, tail);
	if (!r->debug || !r->server->has_join)
		return;
	const struct lc_site *st = entry_site(r, l->site);
	if (!st) {
		fputs("          site: none (no Buffer* lifetime at this address)\n", f);
		return;
	}
	static const char *const how[] = { "", "", " (its only lifetime)",
					   " (latest of several lifetimes at this address: a guess)" };
	fprintf(f, "          site #%" PRId64 "%s:", l->site, l->site_match <= LC_MATCH_LATEST ? how[l->site_match] : "");
	if (!st->nframes)
		fputs(" (no frames)", f);
	for (size_t k = 0; k < st->nframes && k < 3; k++)
		fprintf(f, "%s %.*s", k ? " <-" : "", (int)st->frames[k].n, st->frames[k].p);
	fputc('\n', f);
}

static void entry_head(const struct lc_report *r, FILE *f, const char *last)
{
	fprintf(f, "  %-6s  %-*s  %-13s  %12s  %-10s  %4s  %s%s\n", "device", addr_width(r), "address", "type", "size",
		"owner pid", "refs", "allocated at", last);
}

/* Row i's removals by device and type: "PID 7200: 3 buffers, 12 KiB: device 0 L1 x3, ...". */
static void cleanup_split_line(const struct lc_report *r, FILE *f, size_t i, size_t *sp)
{
	const struct lc_server_model *m = r->server;
	const struct lc_cleanup_row *c = &m->cleanup[i];
	while (*sp < m->ncleanup_splits && m->cleanup_splits[*sp].row < i)
		(*sp)++;
	if (*sp >= m->ncleanup_splits || m->cleanup_splits[*sp].row != i)
		return;
	fprintf(f, "    PID %d: %" PRIu64 " buffer%s, %s:", (int)c->pid, c->t.buffers, c->t.buffers == 1 ? "" : "s",
		HB(c->t.bytes));
	for (size_t k = 0; *sp < m->ncleanup_splits && m->cleanup_splits[*sp].row == i; (*sp)++, k++) {
		const struct lc_cleanup_split *x = &m->cleanup_splits[*sp];
		fprintf(f, "%s device %d %s x%" PRIu64 " (%s)", k ? "," : "", (int)x->device, x->type, x->t.buffers,
			HB(x->t.bytes));
	}
	fputc('\n', f);
}

/* The first --top entries that cleanup removed, with their PID's row. */
static void cleanup_entries(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->ncleanup_entries)
		return;
	size_t n = limit(r, m->ncleanup_entries);
	fprintf(f, "  Buffers removed, by PID in log order, largest first within each (%zu of %" PRIu64 ")\n", n,
		m->cleanup_entries_total);
	entry_head(r, f, "  removed at");
	for (size_t i = 0; i < n; i++) {
		const struct lc_cleanup_row *c = &m->cleanup[m->cleanup_entry_rows[i]];
		char tail[512];
		snprintf(tail, sizeof tail, "  %s:%" PRIu64, input_name(r, c->input), c->line);
		entry_line(r, f, &m->cleanup_entries[i], tail);
	}
	more(f, n, m->ncleanup_entries);
	if (m->cleanup_entries_total > m->ncleanup_entries)
		fprintf(f, "  ... and %" PRIu64 " more removed, counted only: the first %d are kept in detail\n",
			m->cleanup_entries_total - m->ncleanup_entries, LC_CLEANUP_ENTRIES_MAX);
}

static void cleanup(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->ncleanup)
		return;
	size_t n = limit(r, m->ncleanup);
	bool multi = multi_run(r);
	if (multi)
		fprintf(f, "\nDead-process cleanup (all %" PRIu64 " runs, %zu PID%s)\n", m->runs, m->ncleanup,
			m->ncleanup == 1 ? "" : "s");
	else
		fprintf(f, "\nDead-process cleanup (%zu PID%s)\n", m->ncleanup, m->ncleanup == 1 ? "" : "s");
	fprintf(f, "  %-10s  %8s  %12s  %-16s  %s%s\n", "pid", "buffers", "bytes", "server printed", "at",
		multi ? " (run)" : "");
	size_t sp = 0;
	for (size_t i = 0; i < n; i++) {
		const struct lc_cleanup_row *c = &m->cleanup[i];
		char printed[64] = "-";
		if (c->printed)
			snprintf(printed, sizeof printed, "%" PRIu64 " (%s MB)%s", c->printed_buffers, c->printed_mb,
				 c->agrees ? "" : " !");
		char run[32] = "";
		if (multi)
			snprintf(run, sizeof run, " (run %" PRIu64 ")", lc_server_run_of(m, c->input, c->line));
		fprintf(f, "  %-10d  %8" PRIu64 "  %12s  %-16s  %s:%" PRIu64 "%s\n", (int)c->pid, c->t.buffers,
			HB(c->t.bytes), printed, input_name(r, c->input), c->line, run);
		cleanup_split_line(r, f, i, &sp);
	}
	more(f, n, m->ncleanup);
	cleanup_entries(r, f);
}

static void lifecycle(const struct lc_report *r, FILE *f)
{
	const struct lc_lifecycle *l = r->server->lifecycle;
	if (!l)
		return;
	char run[64] = "";
	if (multi_run(r))
		snprintf(run, sizeof run, ", run %" PRIu64 " of %" PRIu64, l->run, r->server->runs);
	fprintf(f, "\nWhat became of the buffers live at dump #%" PRIu64 " (%s:%" PRIu64 "%s)\n", l->dump_index,
		input_name(r, l->input), l->line, run);
	fprintf(f, "  %-28s %8" PRIu64 "  %12s\n", "live at the dump", l->at_dump.buffers, HB(l->at_dump.bytes));
	fprintf(f, "  %-28s %8" PRIu64 "  %12s\n", "freed later by the program", l->freed_later.buffers,
		HB(l->freed_later.bytes));
	fprintf(f, "  %-28s %8" PRIu64 "  %12s\n", "vanished when its PID died", l->removed_by_cleanup.buffers,
		HB(l->removed_by_cleanup.bytes));
	fprintf(f, "  %-28s %8" PRIu64 "  %12s\n", "still live at the end", l->still_live.buffers,
		HB(l->still_live.bytes));
	if (!l->nrows)
		return;
	fprintf(f, "  %-6s  %-13s  %8s  %8s  %8s  %8s\n", "device", "type", "at dump", "freed", "cleanup", "live");
	for (size_t i = 0; i < l->nrows; i++) {
		const struct lc_lifecycle_row *x = &l->rows[i];
		fprintf(f, "  %-6d  %-13s  %8" PRIu64 "  %8" PRIu64 "  %8" PRIu64 "  %8" PRIu64 "\n", (int)x->device,
			x->type, x->t[0].buffers, x->t[1].buffers, x->t[2].buffers, x->t[3].buffers);
	}
	if (!l->nentries)
		return;
	static const char *const fate[] = { "?", "freed later", "cleanup", "still live" };
	size_t n = limit(r, l->nentries);
	fprintf(f, "  Buffers live at the dump, largest first (%zu of %zu)\n", n, l->nentries);
	entry_head(r, f, "  then");
	for (size_t i = 0; i < n; i++) {
		char tail[32];
		snprintf(tail, sizeof tail, "  %s", fate[l->fates[i] <= 3 ? l->fates[i] : 0]);
		entry_line(r, f, &l->entries[i], tail);
	}
	more(f, n, l->nentries);
}

static void checkpoints(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->ncheckpoints)
		return;
	fprintf(f, "\nCheckpoints%s: %zu statistics and dump blocks checked, %" PRIu64 " disagree with the replay\n",
		all_runs(r), m->ncheckpoints, m->checkpoints_disagree);
	size_t shown = 0;
	for (size_t i = 0; i < m->ncheckpoints; i++) {
		const struct lc_checkpoint *c = &m->checkpoints[i];
		if (c->agrees)
			continue;
		if (r->top && shown >= r->top)
			break;
		shown++;
		char run[32] = "";
		if (multi_run(r))
			snprintf(run, sizeof run, " (run %" PRIu64 ")", lc_server_run_of(m, c->input, c->line));
		fprintf(f, "  %s:%" PRIu64 "%s: %s block disagrees:\n", input_name(r, c->input), c->line, run,
			c->kind == LC_CP_STATS ? "statistics" : "dump");
		for (size_t k = 0; k < c->ndiffs; k++)
			fprintf(f, "    - %s\n", c->diffs[k]);
		if (c->ndiffs_total > c->ndiffs)
			fprintf(f, "    - ... %" PRIu64 " more\n", c->ndiffs_total - c->ndiffs);
	}
	more(f, shown, (size_t)m->checkpoints_disagree);
}

static void note_list(const struct lc_report *r, FILE *f, const char *title, const struct lc_note *n,
		      size_t count, uint64_t total)
{
	if (!total)
		return;
	fprintf(f, "\n%s%s: %" PRIu64 "\n", title, all_runs(r), total);
	for (size_t i = 0; i < count; i++)
		fprintf(f, "  %s:%" PRIu64 ": %s\n", input_name(r, n[i].input), n[i].line, n[i].text);
	more(f, count, (size_t)total);
}

static void extras(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->nextras)
		return;
	char lr[64] = "";
	if (multi_run(r))
		snprintf(lr, sizeof lr, ", run %" PRIu64 " of %" PRIu64, m->runs, m->runs);
	fprintf(f, "\nCircular buffers and kernels (last totals the server printed%s)\n  device  CB MB        kernel MB\n", lr);
	for (size_t i = 0; i < m->nextras; i++) {
		const struct lc_device_extra *x = &m->extras[i];
		char cb[32] = "-", k[32] = "-";
		if (x->has_cb)
			snprintf(cb, sizeof cb, "%g", x->cb_mb);
		if (x->has_kernel)
			snprintf(k, sizeof k, "%g", x->kernel_mb);
		fprintf(f, "  %-6d  %-12s %-12s%s\n", (int)x->device, cb, k, x->wraps ? "  (total wrapped below zero)" : "");
	}
}

static void inputs(const struct lc_report *r, FILE *f)
{
	fputs("\nInputs\n", f);
	fprintf(f, "  %-32s  %-16s  %10s  %10s  %8s  %9s  %s\n", "path", "format", "lines", "recognized", "foreign",
		"malformed", "notes");
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct lc_input_info *in = &r->inputs[i];
		char notes[160] = "", joined[40] = "";
		static const char *const doubts[] = { "", "EMPTY ", "NO EVENTS ", "TOO FEW LINES OF OURS " };
		if (in->joined)
			snprintf(joined, sizeof joined, "%" PRIu64 " joined ", in->joined);
		snprintf(notes, sizeof notes, "%s%s%s%s%s", in->compressed ? "gzip " : "", doubts[in->doubt],
			 in->truncated ? "TRUNCATED " : "", joined, in->error ? in->error : "");
		fprintf(f, "  %-32s  %-16s  %10" PRIu64 "  %10" PRIu64 "  %8" PRIu64 "  %9" PRIu64 "  %s\n", in->path,
			in->format, in->lines, in->recognized, in->foreign, in->malformed, notes);
	}
}

static void gate_text(const struct lc_report *r, FILE *f)
{
	const struct lc_gate *g = r->gate;
	if (!g)
		return;
	if (g->nrules) {
		fprintf(f, "\nGate: %s%s\n", g->passed ? "PASSED" : "FAILED",
			r->baseline ? " (growth over the baseline only)" : "");
		for (size_t i = 0; i < g->nrules; i++)
			fprintf(f, "  %-4s  %s   (value %" PRId64 ")\n", g->rules[i].passed ? "ok" : "FAIL", g->rules[i].text,
				g->rules[i].value);
	}
	if (g->supp && g->supp->n) {
		fputs("\nSuppressions (left out of the gate and the leak lists)\n", f);
		for (size_t i = 0; i < g->supp->n; i++)
			fprintf(f, "  %8" PRIu64 " buffers  %12s  %s%s\n", g->supp->rules[i].t.buffers,
				HB(g->supp->rules[i].t.bytes), g->supp->rules[i].text,
				g->supp->rules[i].t.buffers ? "" : "   (unused)");
	}
}

void lc_report_text(const struct lc_report *r, FILE *f)
{
	if (r->diff) {
		lc_report_text_diff(r, f);
		gate_text(r, f);
		inputs(r, f);
		return;
	}
	verdict(r, f);
	gate_text(r, f);
	if (r->address) {
		lc_report_text_address(r, f);
		return;
	}
	if (r->debug) {
		lc_report_text_debug_summary(r, f);
		if (r->by_stack || !r->server) {
			lc_report_text_sites(r, f);
			lc_report_text_all_sites(r, f);
		}
	}
	if (r->server) {
		server_runs(r, f);
		remaining(r, f);
		lc_report_text_timeline(r, f);
		by_pid(r, f);
		if (r->explain)
			lc_report_text_evidence(r, f);
		leak_list(r, f);
		reuse_table(r, f);
		unknown(r, f);
		cleanup(r, f);
		lifecycle(r, f);
		checkpoints(r, f);
		extras(r, f);
		note_list(r, f, "Lines that contradict the replay", r->server->inconsistencies,
			  r->server->ninconsistencies, r->server->inconsistencies_total);
		note_list(r, f, "Implausible values (accepted)", r->server->implausible, r->server->nimplausible,
			  r->server->implausible_total);
	}
	if (r->debug && r->server && !r->by_stack) {
		lc_report_text_sites(r, f);
		lc_report_text_all_sites(r, f);
	}
	inputs(r, f);
}
