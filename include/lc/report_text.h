/* SPDX-License-Identifier: MIT */
/* The text report's sections that live in sibling files, and the helpers they share (reports/ only). */
#ifndef LC_REPORT_TEXT_H
#define LC_REPORT_TEXT_H

#include <stdio.h>

#include "lc/report.h"
#include "lc/util.h"

/*
 * The helpers are static inline: every file of the text report has its own copy (and HB its
 * own eight buffers, which one printf call never outgrows).
 */
/* Human bytes for printf arguments: eight rotating buffers, so one call may use several. */
static inline const char *HB(uint64_t v)
{
	static char buf[8][32];
	static unsigned i;
	i = (i + 1) % 8;
	return lc_human_bytes(v, buf[i], sizeof buf[i]);
}

/*
 * An address (a buffer id) as the text report prints it: "0x18b20", or "0x18b20 (101152)"
 * when the server log printed any buffer id in decimal (V1-V3 logs: server.address_forms),
 * so that the address can be found in that log as printed. Eight rotating buffers, as HB.
 */
static inline const char *addr_text(const struct lc_report *r, uint64_t a)
{
	static char buf[8][48];
	static unsigned i;
	i = (i + 1) % 8;
	if (r->server && r->server->address_forms.decimal_lines)
		snprintf(buf[i], sizeof buf[i], "0x%llx (%llu)", (unsigned long long)a, (unsigned long long)a);
	else
		snprintf(buf[i], sizeof buf[i], "0x%llx", (unsigned long long)a);
	return buf[i];
}

/* The width of the address column of a table: "0x" and 10 digits, or both forms of a 32-bit id. */
static inline int addr_width(const struct lc_report *r)
{
	return r->server && r->server->address_forms.decimal_lines ? 23 : 12;
}

static inline const char *input_name(const struct lc_report *r, uint32_t input)
{
	return input < r->ninputs ? r->inputs[input].path : "?";
}

static inline void more(FILE *f, size_t shown, size_t total)
{
	if (shown < total)
		fprintf(f, "  ... %zu more (--top N shows more; --format json lists all)\n", total - shown);
}

static inline size_t limit(const struct lc_report *r, size_t n)
{
	return r->top && r->top < n ? r->top : n;
}

/* The debug-log summary: blocks, open, superseded, unmatched and hooked buffers (r->debug set). */
void lc_report_text_debug_summary(const struct lc_report *r, FILE *f);
/* The call sites of the buffers still allocated, by bytes, --top rows (r->debug set). */
void lc_report_text_sites(const struct lc_report *r, FILE *f);
/* Who allocates most: every allocation by call site, when the model kept them (r->debug set). */
void lc_report_text_all_sites(const struct lc_report *r, FILE *f);
/*
 * --explain: what the remaining entries are: the run's allocations by type, the allocation
 * groups (those not on every device flagged) and each class with its figures (r->evidence).
 */
void lc_report_text_evidence(const struct lc_report *r, FILE *f);
/*
 * Under the heading, when a filter was given: "Filter: device 0, type L1 (sections not narrowed:
 * events, ...)", and that no buffer had the --type name when none had it.
 */
void lc_report_text_filter_note(const struct lc_report *r, FILE *f);
/* The --address report's body: the address's events and lifetimes per device (r->address set). */
void lc_report_text_address(const struct lc_report *r, FILE *f);
/* Writes the sparkline of live bytes per device over the log, with each peak (server log). */
void lc_report_text_timeline(const struct lc_report *r, FILE *f);
/* True when the environment's locale (LC_ALL, else LC_CTYPE, else LANG) names UTF-8. */
bool lc_text_utf8(void);
/* The --diff report's body: totals before and after, the changed sites, device and type (r->diff set). */
void lc_report_text_diff(const struct lc_report *r, FILE *f);

#endif
