// SPDX-License-Identifier: MIT
// Collapsed stacks for flame graphs (flamegraph.pl, inferno, speedscope): root first, ';'-joined, weight last.
#include <inttypes.h>
#include <string.h>

#include "lc/report.h"
#include "lc/util.h"

/* Writes one frame; ';' would split it and a newline would end the record, so both become ':'/' '. */
static void frame(FILE *f, struct lc_span s)
{
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		fputc(c == ';' ? ':' : (c == '\n' || c == '\r') ? ' ' : c, f);
	}
}

/* Frames given innermost first, written root first and ';'-joined. */
static void root_first(FILE *f, const struct lc_span *frames, size_t n)
{
	if (n == 0)
		fputs("[no frames]", f);
	for (size_t k = n; k-- > 0;) {
		frame(f, frames[k]);
		if (k)
			fputc(';', f);
	}
}

/* A group key: as a site's frames, and "[no frames]" for empty text (one empty frame) too. */
static void key_root_first(FILE *f, const struct lc_stack *st)
{
	if (lc_stack_empty(st))
		fputs("[no frames]", f);
	else
		root_first(f, st->frames, st->n);
}

/* Differential folded stacks: "stack BEFORE AFTER", as difffolded.pl writes them for flamegraph.pl. */
static void folded_diff(const struct lc_report *r, FILE *f)
{
	for (size_t i = 0; i < r->diff->nsites; i++) {
		const struct lc_diff_site *s = &r->diff->sites[i];
		key_root_first(f, s->key);
		if (r->weight_count)
			fprintf(f, " %" PRIu64 " %" PRIu64 "\n", s->before.buffers, s->after.buffers);
		else
			fprintf(f, " %" PRIu64 " %" PRIu64 "\n", s->before.bytes, s->after.bytes);
	}
}

void lc_report_folded(const struct lc_report *r, FILE *f)
{
	if (r->diff) {
		folded_diff(r, f);
		return;
	}
	const struct lc_debug_model *d = r->debug;
	if (!d) {
		lc_warn("--format folded needs a buffer debug log among the inputs; nothing written");
		return;
	}
	const struct lc_site *const *sites = d->all_allocations ? d->all_sites : d->sites;
	size_t n = d->all_allocations ? d->nall_sites : d->nsites;
	for (size_t i = 0; i < n; i++) {
		const struct lc_site *s = sites[i];
		uint64_t w = d->all_allocations ? (r->weight_count ? s->allocations : s->alloc_bytes)
						: (r->weight_count ? s->open.buffers : s->open.bytes);
		root_first(f, s->frames, s->nframes);
		fprintf(f, " %" PRIu64 "\n", w);
	}
}
