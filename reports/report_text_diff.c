// SPDX-License-Identifier: MIT
// The text report of --diff: what changed between two runs.
#include <inttypes.h>
#include <stdint.h>

#include "lc/report_text.h"

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

void lc_report_text_diff(const struct lc_report *r, FILE *f)
{
	const struct lc_diff *d = r->diff;
	const struct lc_side *b = d->before, *a = d->after;
	fprintf(f, "tt-leakcorr %s: --diff %s -> %s\n", r->version, b->name, a->name);
	lc_report_text_filter_note(r, f);
	fputc('\n', f);
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
