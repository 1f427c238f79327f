// SPDX-License-Identifier: MIT
// The text report's debug-log sections: the summary and the call sites.
#include <inttypes.h>
#include <stdint.h>

#include "lc/report_text.h"

static void site_frames(FILE *f, const struct lc_site *s, size_t max)
{
	if (!s->nframes)
		fputs("        (no frames)\n", f);
	for (size_t k = 0; k < s->nframes && k < max; k++)
		fprintf(f, "        %.*s\n", (int)s->frames[k].n, s->frames[k].p);
	if (s->nframes > max)
		fprintf(f, "        ... %zu more frames (--by-stack shows them all)\n", s->nframes - max);
}

void lc_report_text_debug_summary(const struct lc_report *r, FILE *f)
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

void lc_report_text_sites(const struct lc_report *r, FILE *f)
{
	const struct lc_debug_model *d = r->debug;
	if (!d->nsites)
		return;
	size_t n = limit(r, d->nsites);
	fprintf(f, "\nCall sites of the buffers still allocated, by bytes (%zu of %zu)\n", n, d->nsites);
	for (size_t i = 0; i < n; i++) {
		const struct lc_site *s = d->sites[i];
		double share = d->live.bytes ? 100.0 * (double)s->open.bytes / (double)d->live.bytes : 0.0;
		fprintf(f, "  #%-3zu %6" PRIu64 " buffers  %10s  %5.1f%%  %6" PRIu64 " temp  ", i, s->open.buffers,
			HB(s->open.bytes), share, s->temporary.buffers);
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

void lc_report_text_all_sites(const struct lc_report *r, FILE *f)
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
