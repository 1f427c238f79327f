// SPDX-License-Identifier: MIT
// The text report's evidence (--explain): the run's allocations, allocation groups, classes.
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lc/evidence.h"
#include "lc/report_text.h"

static const char *const dim_titles[LC_NDIMS] = {
	"By allocation phase, relative to the run's statistics blocks",
	"By allocation relative to the run's first dump",
	"By tenth of the run's allocations",
	"By lifetime so far (server-log lines from the allocation to the end)",
	"By size class (power of two and up)",
	"By group shape (its group's devices against the run's)",
	"By owner process",
	"By allocating call site (the debug log's)",
};

static void run_totals(const struct lc_evidence *ev, FILE *f)
{
	const struct lc_run_info *run = ev->run;
	if (!run)
		return;
	uint64_t bytes = 0;
	bool sat = false;
	fprintf(f, "  Allocations over the run (lines that made a buffer live): %" PRIu64 "\n", run->allocations);
	for (size_t i = 0; i < run->nalloc_by_type; i++) {
		const struct lc_type_tally *t = &run->alloc_by_type[i];
		bytes = lc_add_sat(bytes, t->t.bytes, &sat);
		fprintf(f, "    %-13s  %10" PRIu64 " buffers  %12s\n", t->type, t->t.buffers, HB(t->t.bytes));
	}
	fprintf(f, "    %-13s  %10" PRIu64 " buffers  %12s\n", "all", run->allocations, HB(bytes));
}

static void groups(const struct lc_report *r, const struct lc_evidence *ev, FILE *f)
{
	char run[160], devs[160];
	lc_device_set_text(ev->run_devices, ev->nrun_devices, run,
			   sizeof run);
	fprintf(f, "\n  Allocation groups: %zu (the same type and size on distinct devices within %" PRIu64
		   " lines);\n  %zu not on every device the run allocated on (%s)\n",
		ev->ngroups, ev->window, ev->nasymmetric, run);
	if (!ev->ngroups)
		return;
	size_t n = limit(r, ev->ngroups);
	fprintf(f, "    %-4s  %-13s  %12s  %-24s  %7s  %12s  %s\n", "#", "type", "size", "devices", "buffers", "bytes",
		"allocated at (lines)");
	for (size_t i = 0; i < n; i++) {
		const struct lc_alloc_group *g = &ev->groups[i];
		char where[200];
		if (g->first_line == g->last_line)
			snprintf(where, sizeof where, "%s:%" PRIu64, input_name(r, g->input), g->first_line);
		else
			snprintf(where, sizeof where, "%s:%" PRIu64 "-%" PRIu64, input_name(r, g->input), g->first_line,
				 g->last_line);
		lc_device_set_text(g->devices, g->ndevices, devs, sizeof devs);
		fprintf(f, "    %-4zu  %-13s  %12s  %-24s  %7" PRIu64 "  %12s  %s\n", i, g->type, HB(g->size), devs,
			g->t.buffers, HB(g->t.bytes), where);
		if (g->shape != LC_SHAPE_ALL) {
			int32_t *missing = lc_xcalloc(g->nmissing + 1, sizeof *missing);
			lc_group_missing(ev, g, missing);
			lc_device_set_text(missing, g->nmissing, devs, sizeof devs);
			const char *list = strchr(devs, ':');
			if (g->nmissing == 1)
				fprintf(f, "          ! not on device %d (%s)\n", (int)missing[0], lc_shape_name(g->shape));
			else
				fprintf(f, "          ! not on devices%s (%s)\n", list ? list + 1 : devs, lc_shape_name(g->shape));
			free(missing);
		}
	}
	more(f, n, ev->ngroups);
}

static void site_brief(const struct lc_report *r, const struct lc_site_share *s, FILE *f)
{
	if (s->site < 0 || !r->debug || (size_t)s->site >= r->debug->nsites) {
		fprintf(f, "no site (%" PRIu64 " buffers, %s)", s->t.buffers, HB(s->t.bytes));
		return;
	}
	const struct lc_site *st = r->debug->sites[s->site];
	fprintf(f, "#%" PRId64 " %.*s (%" PRIu64 " buffers, %s)", s->site, st->nframes ? (int)st->frames[0].n : 11,
		st->nframes ? st->frames[0].p : "(no frames)", s->t.buffers, HB(s->t.bytes));
}

static void dim_heading(const struct lc_report *r, const struct lc_evidence *ev, enum lc_dim d, FILE *f)
{
	fprintf(f, "\n  %s", dim_titles[d]);
	if (d == LC_DIM_PHASE && ev->stats_blocks)
		fprintf(f, ": %" PRIu64 " blocks, the first at %s:%" PRIu64 ", the last at %s:%" PRIu64, ev->stats_blocks,
			input_name(r, ev->first_stats_input), ev->first_stats_line, input_name(r, ev->last_stats_input),
			ev->last_stats_line);
	else if (d == LC_DIM_DUMP && ev->dumps)
		fprintf(f, ", at %s:%" PRIu64, input_name(r, ev->first_dump_input), ev->first_dump_line);
	else if (d == LC_DIM_TENTH && ev->run)
		fprintf(f, " (%" PRIu64 ")", ev->run->allocations);
	fputc('\n', f);
}

static void class_rows(const struct lc_report *r, const struct lc_evidence *ev, const struct lc_class_dim *dim,
		       enum lc_dim d, FILE *f)
{
	size_t n = limit(r, dim->nrows);
	fprintf(f, "    %-20s  %7s  %12s  %6s  %-24s  %s\n", "class", "buffers", "bytes", "share", "devices",
		"allocated (first - last)");
	for (size_t i = 0; i < n; i++) {
		const struct lc_class_row *row = &dim->rows[i];
		char name[40], devs[160], span[200];
		if (d == LC_DIM_SIZE)
			snprintf(name, sizeof name, "%s+", HB((uint64_t)row->key));
		else if (d == LC_DIM_OWNER)
			snprintf(name, sizeof name, "PID %s", row->name);
		else if (d == LC_DIM_SITE && row->key >= 0)
			snprintf(name, sizeof name, "site #%s", row->name);
		else
			snprintf(name, sizeof name, "%s", row->name);
		lc_device_set_text(row->devices, row->ndevices, devs, sizeof devs);
		if (row->first_input == row->last_input)
			snprintf(span, sizeof span, "%s:%" PRIu64 " - %" PRIu64, input_name(r, row->first_input),
				 row->first_line, row->last_line);
		else
			snprintf(span, sizeof span, "%s:%" PRIu64 " - %s:%" PRIu64, input_name(r, row->first_input),
				 row->first_line, input_name(r, row->last_input), row->last_line);
		double share = ev->total.bytes ? 100.0 * (double)row->t.bytes / (double)ev->total.bytes : 0.0;
		fprintf(f, "    %-20s  %7" PRIu64 "  %12s  %5.1f%%  %-24s  %s\n", name, row->t.buffers, HB(row->t.bytes),
			share, devs, span);
		if (d != LC_DIM_SITE && row->nsites) {
			fputs("        top sites: ", f);
			for (size_t k = 0; k < row->nsites; k++) {
				if (k)
					fputs("; ", f);
				site_brief(r, &row->sites[k], f);
			}
			fputc('\n', f);
		}
	}
	more(f, n, dim->nrows);
}

void lc_report_text_evidence(const struct lc_report *r, FILE *f)
{
	const struct lc_evidence *ev = r->evidence;
	if (!ev || !ev->built)
		return;
	fprintf(f, "\nEvidence: what the %" PRIu64 " remaining buffers (%s) are", ev->total.buffers, HB(ev->total.bytes));
	if (r->server && r->server->runs > 1)
		fprintf(f, " (run %" PRIu64 " of %" PRIu64 ")", r->server->runs, r->server->runs);
	fputc('\n', f);
	run_totals(ev, f);
	groups(r, ev, f);
	for (size_t i = 0; i < ev->ndims; i++) {
		static const char *const order[] = { "phase", "dump", "tenth", "lifetime", "size", "shape", "owner", "site" };
		enum lc_dim d = LC_DIM_PHASE;
		for (int k = 0; k < LC_NDIMS; k++)
			if (strcmp(order[k], ev->dims[i].by) == 0)
				d = (enum lc_dim)k;
		dim_heading(r, ev, d, f);
		class_rows(r, ev, &ev->dims[i], d, f);
	}
	const struct lc_evidence *de = r->dump_evidence;
	if (de && de->built) {
		fprintf(f, "\n  The %" PRIu64 " buffers (%s) live at the dump at %s:%" PRIu64 " (JSON: evidence.dump has their classes)\n",
			de->total.buffers, HB(de->total.bytes), input_name(r, de->scope_input), de->scope_line);
		groups(r, de, f);
	}
}
