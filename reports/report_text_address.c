// SPDX-License-Identifier: MIT
// The text report of --address: one address's events, per device, and its Buffer* lifetimes with their sites.
#include <inttypes.h>

#include "lc/report_text.h"

/* Event names as a person reads them. */
static const char *const kind_text[LC_HIST_NKINDS] = {
	"alloc", "alloc ref+1", "free ref-1", "free FINAL", "unknown free", "cleanup", "restart",
};

/* The counts sentence: "2 allocations, 1 unknown free", kinds with none left out. */
static void counts(FILE *f, const struct lc_hist_key *k)
{
	static const char *const one[LC_HIST_NKINDS] = {
		"new allocation", "ref-count allocation", "ref-count free", "final free", "unknown free",
		"dead-process cleanup removal", "restart that dropped it",
	};
	static const char *const many[LC_HIST_NKINDS] = {
		"new allocations", "ref-count allocations", "ref-count frees", "final frees", "unknown frees",
		"dead-process cleanup removals", "restarts that dropped it",
	};
	bool first = true;
	for (int c = 0; c < LC_HIST_NKINDS; c++) {
		if (!k->counts[c])
			continue;
		fprintf(f, "%s%" PRIu64 " %s", first ? "" : ", ", k->counts[c], k->counts[c] == 1 ? one[c] : many[c]);
		first = false;
	}
	if (first)
		fputs("no server line", f);
}

static void events(const struct lc_report *r, FILE *f, const struct lc_hist_key *k)
{
	if (!k->nevents)
		return;
	/* the where column is as wide as its widest FILE:LINE */
	int w = 5;
	for (size_t i = 0; i < k->nevents; i++) {
		int n = snprintf(NULL, 0, "%s:%" PRIu64, input_name(r, k->events[i].input), k->events[i].line);
		if (n > w)
			w = n;
	}
	fprintf(f, "  %-*s %4s  %-12s %8s %12s  %-14s %5s %8s\n", w, "where", "run", "event", "pid", "size", "type",
		"refs", "printed");
	for (size_t i = 0; i < k->nevents; i++) {
		const struct lc_hist_event *e = &k->events[i];
		char where[4200], pid[16] = "-", size[24] = "-", refs[16] = "-", printed[16] = "-";
		snprintf(where, sizeof where, "%s:%" PRIu64, input_name(r, e->input), e->line);
		if (e->has_pid)
			snprintf(pid, sizeof pid, "%" PRId32, e->pid);
		if (e->kind != LC_HIST_FREE_UNKNOWN)
			snprintf(size, sizeof size, "%" PRIu64, e->size);
		if (e->live)
			snprintf(refs, sizeof refs, "%" PRId32, e->ref_count);
		if (e->has_printed_ref)
			snprintf(printed, sizeof printed, "%" PRId32, e->printed_ref);
		fprintf(f, "  %-*s %4" PRIu64 "  %-12s %8s %12s  %-14s %5s %8s\n", w, where, e->run, kind_text[e->kind],
			pid, size, e->type ? e->type : "-", refs, printed);
	}
	if (k->nevents < k->events_total)
		fprintf(f, "  ... %" PRIu64 " more events, counted above but not kept (the first %zu are)\n",
			k->events_total - k->nevents, k->nevents);
}

static void lifetimes(const struct lc_report *r, FILE *f, const struct lc_hist_key *k)
{
	fprintf(f, "  Buffer* lifetimes here (buffer debug log): %" PRIu64 "\n", k->lifetimes_total);
	for (size_t i = 0; i < k->nlifetimes; i++) {
		const struct lc_hist_lifetime *l = &k->lifetimes[i];
		fprintf(f, "    pointer 0x%" PRIx64 ", %" PRIu64 " bytes %s, opened at %s:%" PRIu64 ", ", l->pointer, l->size,
			l->type, input_name(r, l->input), l->line);
		if (l->end == LC_HIST_OPEN)
			fputs("open at the end", f);
		else
			fprintf(f, "%s at %s:%" PRIu64,
				l->end == LC_HIST_SUPERSEDED ? "superseded (allocated again)" : lc_hist_end_name(l->end),
				input_name(r, l->end_input), l->end_line);
		fputs(l->hooked ? " (hooked)\n" : "\n", f);
		if (!l->nframes)
			fputs("        (no frames)\n", f);
		for (size_t j = 0; j < l->nframes; j++)
			fprintf(f, "        %.*s\n", (int)l->frames[j].n, l->frames[j].p);
	}
	if (k->nlifetimes < k->lifetimes_total)
		fprintf(f, "    ... %" PRIu64 " more lifetimes, counted but not kept (the first %zu are)\n",
			k->lifetimes_total - k->nlifetimes, k->nlifetimes);
}

void lc_report_text_address(const struct lc_report *r, FILE *f)
{
	const struct lc_address_history *h = r->address;
	char dev[48] = "";
	if (h->has_device)
		snprintf(dev, sizeof dev, " on device %" PRId32, h->device);
	fprintf(f, "\nAddress 0x%" PRIx64 " (%" PRIu64 ")%s", h->address, h->address, dev);
	if (!h->nkeys) {
		fprintf(f, ": it never occurs in the inputs (no allocation, free or cleanup line%s names it).\n",
			h->has_debug ? " and no Buffer* lifetime" : "");
		return;
	}
	if (!h->has_device)
		fprintf(f, " on %zu device%s", h->nkeys, h->nkeys == 1 ? "" : "s");
	fputs(", in log order over all inputs and runs (refs: the count the replay holds after the line; printed: "
	      "the count the line printed)\n",
	      f);
	for (size_t i = 0; i < h->nkeys; i++) {
		const struct lc_hist_key *k = &h->keys[i];
		fprintf(f, "\nDevice %" PRId32 ", 0x%" PRIx64 " (%" PRIu64 "): ", k->device, h->address, h->address);
		counts(f, k);
		fputs("\n", f);
		events(r, f, k);
		if (h->has_debug)
			lifetimes(r, f, k);
	}
}
