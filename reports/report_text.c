// SPDX-License-Identifier: MIT
// The text report: verdict first, then tables a person can read at a glance.
#include <inttypes.h>
#include <string.h>

#include "lc/report.h"
#include "lc/util.h"

/* Human bytes for printf arguments: eight rotating buffers, so one call may use several. */
static const char *HB(uint64_t v)
{
	static char buf[8][32];
	static unsigned i;
	i = (i + 1) % 8;
	return lc_human_bytes(v, buf[i], sizeof buf[i]);
}

static const char *input_name(const struct lc_report *r, uint32_t input)
{
	return input < r->ninputs ? r->inputs[input].path : "?";
}

static void more(FILE *f, size_t shown, size_t total)
{
	if (shown < total)
		fprintf(f, "  ... %zu more (--top N shows more; --format json lists all)\n", total - shown);
}

static size_t limit(const struct lc_report *r, size_t n)
{
	return r->top && r->top < n ? r->top : n;
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
	fputs("\n\n", f);
	if (truncated)
		fputs("WARNING: an input is truncated or unreadable; figures cover only what was read.\n", f);
	if (!m) {
		const struct lc_debug_model *d = r->debug;
		if (!d) {
			fputs("No allocation-server log or buffer debug log among the inputs.\n", f);
			return;
		}
		if (d->live.buffers == 0)
			fputs("VERDICT: clean - no Buffer* lifetime is open at the end of the debug log.\n", f);
		else
			fprintf(f, "VERDICT: %" PRIu64 " buffer%s (%s) still allocated at the end of the debug log, from %zu call site%s.\n",
				d->live.buffers, d->live.buffers == 1 ? "" : "s", HB(d->live.bytes), d->nsites,
				d->nsites == 1 ? "" : "s");
		return;
	}
	if (m->remaining.buffers == 0)
		fputs("VERDICT: clean - no buffers remain allocated at the end of the log.\n", f);
	else
		fprintf(f, "VERDICT: %" PRIu64 " buffer%s (%s) still allocated at the end of the log, on %zu device%s.\n",
			m->remaining.buffers, m->remaining.buffers == 1 ? "" : "s", HB(m->remaining.bytes), m->ndevices,
			m->ndevices == 1 ? "" : "s");
	uint64_t removed = 0;
	for (size_t i = 0; i < m->ncleanup; i++)
		removed += m->cleanup[i].t.buffers;
	fprintf(f, "  checkpoints: %zu, %" PRIu64 " disagree%s | unknown frees: %" PRIu64
		   " | removed by dead-process cleanup: %" PRIu64 " | malformed lines: %" PRIu64 "\n",
		m->ncheckpoints, m->checkpoints_disagree, m->checkpoints_disagree ? " (see below)" : "",
		m->unknown_count, removed, malformed);
	if (m->inconsistencies_total)
		fprintf(f, "  %" PRIu64 " line%s the replay (lines lost or reordered?); see below.\n",
			m->inconsistencies_total, m->inconsistencies_total == 1 ? " contradicts" : "s contradict");
	if (m->saturated)
		fputs("  a byte sum passed 2^64-1 and stops there.\n", f);
	if (m->has_join)
		fprintf(f, "  call sites: %" PRIu64 " of %zu leaks have their allocating stack; %" PRIu64
			   " have none (views, non-owning buffers); %" PRIu64
			   " open lifetimes have no live server entry (MeshDevice backing buffers, cleaned-up entries)\n",
			m->join.leaks_with_site, m->nleaks, m->join.leaks_without_site, m->join.lifetimes_without_entry);
	const struct lc_server_events *e = &m->events;
	fprintf(f, "\nEvents: %" PRIu64 " allocations (+%" PRIu64 " ref-count), %" PRIu64 " final frees (+%" PRIu64
		   " ref-count), %" PRIu64 " unknown frees, %" PRIu64 " removed by cleanup, %" PRIu64
		   " statistics blocks, %" PRIu64 " dumps\n",
		e->alloc, e->alloc_ref, e->free_final, e->free_ref, e->free_unknown, e->cleanup_removed, e->stats_blocks,
		e->dumps);
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

static void leak_list(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->nleaks)
		return;
	size_t n = limit(r, m->nleaks);
	fprintf(f, "\nLeaks: buffers live at the end of the log, largest first (%zu of %zu)\n", n, m->nleaks);
	fprintf(f, "  %-6s  %-12s  %-13s  %12s  %-10s  %4s  %s\n", "device", "address", "type", "size", "owner pid",
		"refs", "allocated at");
	for (size_t i = 0; i < n; i++) {
		const struct lc_leak *l = &m->leaks[i];
		fprintf(f, "  %-6d  0x%-10" PRIx64 "  %-13s  %12s  %-10d  %4d  %s:%" PRIu64 "\n", (int)l->device,
			l->address, l->type, HB(l->size), (int)l->pid, (int)l->ref_count, input_name(r, l->input),
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
	fprintf(f, "\nAddress reuse: addresses allocated again and again, most allocations without a free first (%zu of %zu)\n",
		n, m->nreuse);
	fprintf(f, "  %-6s  %-12s  %-13s  %7s  %7s  %7s  %6s  %9s  %s\n", "device", "address", "type", "allocs",
		"frees", "unknown", "net", "live refs", "sizes / pids");
	for (size_t i = 0; i < n; i++) {
		struct lc_reuse_row row;
		const struct lc_reuse_row *x = lc_reuse_at(m, i, &row);
		fprintf(f, "  %-6d  0x%-10" PRIx64 "  %-13s  %7" PRIu32 "  %7" PRIu32 "  %7" PRIu32 "  %6" PRId64
			   "  %9d  ",
			(int)x->device, x->address, x->type ? x->type : "-", x->allocs, x->frees, x->unknown_frees,
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

static void unknown(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->unknown_count)
		return;
	fprintf(f, "\nUnknown frees: %" PRIu64 " (never seen %" PRIu64 ", after the final free %" PRIu64
		   ", after dead-process cleanup %" PRIu64 ")\n",
		m->unknown_count, m->never_seen, m->after_final_free, m->after_cleanup);
	fputs("  device  count\n", f);
	for (size_t i = 0; i < m->nunknown_by_device; i++)
		fprintf(f, "  %-6d  %" PRIu64 "\n", (int)m->unknown_by_device[i].device, m->unknown_by_device[i].count);
}

static void cleanup(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->ncleanup)
		return;
	size_t n = limit(r, m->ncleanup);
	fprintf(f, "\nDead-process cleanup (%zu PID%s)\n", m->ncleanup, m->ncleanup == 1 ? "" : "s");
	fprintf(f, "  %-10s  %8s  %12s  %-16s  %s\n", "pid", "buffers", "bytes", "server printed", "at");
	for (size_t i = 0; i < n; i++) {
		const struct lc_cleanup_row *c = &m->cleanup[i];
		char printed[64] = "-";
		if (c->printed)
			snprintf(printed, sizeof printed, "%" PRIu64 " (%s MB)%s", c->printed_buffers, c->printed_mb,
				 c->agrees ? "" : " !");
		fprintf(f, "  %-10d  %8" PRIu64 "  %12s  %-16s  %s:%" PRIu64 "\n", (int)c->pid, c->t.buffers, HB(c->t.bytes),
			printed, input_name(r, c->input), c->line);
	}
	more(f, n, m->ncleanup);
}

static void lifecycle(const struct lc_report *r, FILE *f)
{
	const struct lc_lifecycle *l = r->server->lifecycle;
	if (!l)
		return;
	fprintf(f, "\nWhat became of the buffers live at dump #%" PRIu64 " (%s:%" PRIu64 ")\n", l->dump_index,
		input_name(r, l->input), l->line);
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
}

static void checkpoints(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->ncheckpoints)
		return;
	fprintf(f, "\nCheckpoints: %zu statistics and dump blocks checked, %" PRIu64 " disagree with the replay\n",
		m->ncheckpoints, m->checkpoints_disagree);
	size_t shown = 0;
	for (size_t i = 0; i < m->ncheckpoints; i++) {
		const struct lc_checkpoint *c = &m->checkpoints[i];
		if (c->agrees)
			continue;
		if (r->top && shown >= r->top)
			break;
		shown++;
		fprintf(f, "  %s:%" PRIu64 ": %s block disagrees:\n", input_name(r, c->input), c->line,
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
	fprintf(f, "\n%s: %" PRIu64 "\n", title, total);
	for (size_t i = 0; i < count; i++)
		fprintf(f, "  %s:%" PRIu64 ": %s\n", input_name(r, n[i].input), n[i].line, n[i].text);
	more(f, count, (size_t)total);
}

static void extras(const struct lc_report *r, FILE *f)
{
	const struct lc_server_model *m = r->server;
	if (!m->nextras)
		return;
	fputs("\nCircular buffers and kernels (last totals the server printed)\n  device  CB MB        kernel MB\n", f);
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
		if (in->joined)
			snprintf(joined, sizeof joined, "%" PRIu64 " joined ", in->joined);
		snprintf(notes, sizeof notes, "%s%s%s%s", in->compressed ? "gzip " : "", in->truncated ? "TRUNCATED " : "",
			 joined, in->error ? in->error : "");
		fprintf(f, "  %-32s  %-16s  %10" PRIu64 "  %10" PRIu64 "  %8" PRIu64 "  %9" PRIu64 "  %s\n", in->path,
			in->format, in->lines, in->recognized, in->foreign, in->malformed, notes);
	}
}

static void site_frames(FILE *f, const struct lc_site *s, size_t max)
{
	if (!s->nframes)
		fputs("        (no frames)\n", f);
	for (size_t k = 0; k < s->nframes && k < max; k++)
		fprintf(f, "        %.*s\n", (int)s->frames[k].n, s->frames[k].p);
	if (s->nframes > max)
		fprintf(f, "        ... %zu more frames (--by-stack shows them all)\n", s->nframes - max);
}

static void debug_summary(const struct lc_report *r, FILE *f)
{
	const struct lc_debug_model *d = r->debug;
	fprintf(f, "\nBuffer debug log: %" PRIu64 " blocks (%" PRIu64 " allocated, %" PRIu64 " deallocated, %" PRIu64
		   " destructor), %" PRIu64 " distinct frames\n",
		d->allocated + d->deallocated + d->destructor, d->allocated, d->deallocated, d->destructor,
		d->frames_interned);
	fprintf(f, "  open at the end: %" PRIu64 " buffers (%s); superseded: %" PRIu64 " (%s); unmatched ends: %" PRIu64
		   "; hooked (graph capture) open: %" PRIu64 " (%s)\n",
		d->live.buffers, HB(d->live.bytes), d->superseded.buffers, HB(d->superseded.bytes), d->unmatched,
		d->hooked.buffers, HB(d->hooked.bytes));
}

static void sites(const struct lc_report *r, FILE *f)
{
	const struct lc_debug_model *d = r->debug;
	if (!d->nsites)
		return;
	size_t n = limit(r, d->nsites);
	fprintf(f, "\nCall sites of the buffers still allocated, by bytes (%zu of %zu)\n", n, d->nsites);
	for (size_t i = 0; i < n; i++) {
		const struct lc_site *s = d->sites[i];
		double share = d->live.bytes ? 100.0 * (double)s->open.bytes / (double)d->live.bytes : 0.0;
		fprintf(f, "  #%-3zu %6" PRIu64 " buffers  %10s  %5.1f%%  ", i, s->open.buffers, HB(s->open.bytes), share);
		for (size_t k = 0; k < s->nsplit && k < 6; k++)
			fprintf(f, "%sdev %d %s: %" PRIu64, k ? ", " : "", (int)s->split[k].device, s->split[k].type,
				s->split[k].t.buffers);
		if (s->nsplit > 6)
			fprintf(f, ", +%zu more", s->nsplit - 6);
		fputc('\n', f);
		site_frames(f, s, r->by_stack ? SIZE_MAX : 3);
	}
	more(f, n, d->nsites);
}

static void all_sites(const struct lc_report *r, FILE *f)
{
	const struct lc_debug_model *d = r->debug;
	if (!d->all_allocations || !d->nall_sites)
		return;
	size_t n = limit(r, d->nall_sites);
	fprintf(f, "\nWho allocates most: every allocation by call site (%zu of %zu)\n", n, d->nall_sites);
	for (size_t i = 0; i < n; i++) {
		const struct lc_site *s = d->all_sites[i];
		fprintf(f, "  %8" PRIu64 " allocations  %10s  peak %" PRIu64 " live at once\n", s->allocations,
			HB(s->alloc_bytes), s->peak_live);
		site_frames(f, s, r->by_stack ? SIZE_MAX : 3);
	}
	more(f, n, d->nall_sites);
}

static void print_key(FILE *f, const struct lc_stack *st, size_t max)
{
	if (lc_stack_empty(st)) {
		fputs("        (no frames)\n", f);
		return;
	}
	size_t k = 0;
	for (; k < st->n && k < max; k++)
		fprintf(f, "        %.*s\n", (int)st->frames[k].n, st->frames[k].p);
	if (k < st->n)
		fputs("        ...\n", f);
}

static void diff_text(const struct lc_report *r, FILE *f)
{
	const struct lc_diff *d = r->diff;
	const struct lc_side *b = d->before, *a = d->after;
	fprintf(f, "tt-leakcorr %s: --diff %s -> %s\n\n", r->version, b->name, a->name);
	fprintf(f, "  %-22s %14s %14s %14s\n", "", "before", "after", "change");
	fprintf(f, "  %-22s %14" PRIu64 " %14" PRIu64 " %+14" PRId64 "\n", "remaining buffers", b->remaining.buffers,
		a->remaining.buffers, (int64_t)a->remaining.buffers - (int64_t)b->remaining.buffers);
	fprintf(f, "  %-22s %14s %14s %14s\n", "remaining bytes", HB(b->remaining.bytes), HB(a->remaining.bytes),
		a->remaining.bytes >= b->remaining.bytes ? HB(a->remaining.bytes - b->remaining.bytes) : "(less)");
	fprintf(f, "  %-22s %14" PRIu64 " %14" PRIu64 " %+14" PRId64 "\n", "live lifetimes", b->live.buffers,
		a->live.buffers, (int64_t)a->live.buffers - (int64_t)b->live.buffers);
	fprintf(f, "  %-22s %14" PRIu64 " %14" PRIu64 " %+14" PRId64 "\n", "unknown frees", b->free_unknown,
		a->free_unknown, (int64_t)a->free_unknown - (int64_t)b->free_unknown);
	fprintf(f, "  %-22s %14" PRIu64 " %14" PRIu64 " %+14" PRId64 "\n", "removed by cleanup", b->cleanup_buffers,
		a->cleanup_buffers, (int64_t)a->cleanup_buffers - (int64_t)b->cleanup_buffers);
	fprintf(f, "\n  leak sites: %" PRIu64 " new, %" PRIu64 " grown, %" PRIu64 " shrunk, %" PRIu64 " gone, %" PRIu64
		   " same\n",
		d->count[LC_SITE_NEW], d->count[LC_SITE_GROWN], d->count[LC_SITE_SHRUNK], d->count[LC_SITE_GONE],
		d->count[LC_SITE_SAME]);
	size_t shown = 0, changed = 0;
	for (size_t i = 0; i < d->nsites; i++)
		changed += d->sites[i].status != LC_SITE_SAME;
	if (changed)
		fputs("\nWhat changed, largest growth first (buffers and bytes before -> after)\n", f);
	for (size_t i = 0; i < d->nsites; i++) {
		const struct lc_diff_site *s = &d->sites[i];
		if (s->status == LC_SITE_SAME)
			continue;
		if (r->top && shown >= r->top)
			break;
		shown++;
		fprintf(f, "  %-6s  %" PRIu64 " -> %" PRIu64 " buffers  %s -> %s\n", lc_site_status_name(s->status),
			s->before.buffers, s->after.buffers, HB(s->before.bytes), HB(s->after.bytes));
		print_key(f, s->key, r->by_stack ? SIZE_MAX : 3);
	}
	more(f, shown, changed);
	bool any = false;
	for (size_t i = 0; i < d->ndt; i++) {
		const struct lc_diff_dt *x = &d->dt[i];
		if (x->before.buffers == x->after.buffers && x->before.bytes == x->after.bytes)
			continue;
		if (!any)
			fprintf(f, "\nBy device and type (changed only)\n  %-6s  %-13s  %16s  %16s\n", "device", "type",
				"before", "after");
		any = true;
		char c1[48], c2[48];
		snprintf(c1, sizeof c1, "%" PRIu64 " / %s", x->before.buffers, HB(x->before.bytes));
		snprintf(c2, sizeof c2, "%" PRIu64 " / %s", x->after.buffers, HB(x->after.bytes));
		fprintf(f, "  %-6d  %-13s  %16s  %16s\n", (int)x->device, x->type, c1, c2);
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
		diff_text(r, f);
		gate_text(r, f);
		inputs(r, f);
		return;
	}
	verdict(r, f);
	gate_text(r, f);
	if (r->debug) {
		debug_summary(r, f);
		if (r->by_stack || !r->server) {
			sites(r, f);
			all_sites(r, f);
		}
	}
	if (r->server) {
		remaining(r, f);
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
		sites(r, f);
		all_sites(r, f);
	}
	inputs(r, f);
}
