/* SPDX-License-Identifier: MIT */
/* Report back-ends: each renders the same read-only model; none touches a parser. */
#ifndef LC_REPORT_H
#define LC_REPORT_H

#include <stdio.h>

#include "lc/filter.h"
#include "lc/gate.h"
#include "lc/history.h"
#include "lc/json.h"
#include "lc/evidence.h"
#include "lc/model.h"

/* Everything a report renders. All pointers are borrowed for the call. */
struct lc_report {
	const char *version;
	const struct lc_input_info *inputs;
	size_t ninputs;
	const struct lc_server_model *server; /* NULL: no server-log input */
	const struct lc_debug_model *debug;   /* NULL: no analysis of debug logs */
	uint64_t at_dump;                     /* 0: not given */
	size_t top;                           /* text lists: rows shown per list */
	uint64_t stack_depth;                 /* 0: not given */
	const char *const *skip_frames;
	size_t nskip;
	bool by_stack, weight_count;
	const struct lc_diff *diff;           /* --diff: server and debug are NULL */
	const struct lc_gate *gate;           /* rules or suppressions given, else NULL */
	const struct lc_side *now;            /* the side the gate judged (after, in a diff) */
	const struct lc_side *baseline;       /* --baseline, or NULL */
	const char *baseline_path, *suppressions_path;
	const struct lc_evidence *evidence;   /* what the remaining entries are, or NULL */
	const struct lc_evidence *dump_evidence; /* what the chosen dump's live entries are, or NULL */
	const struct lc_evidence *peak_evidence; /* the entries live at the all-devices peak, or NULL */
	bool explain;                         /* text: show the evidence */
	const struct lc_filter *filter;       /* --device, --type, --pid, --min-size given, else NULL */
	bool filter_type_seen;                /* some entry, row or lifetime had the --type name */
	const struct lc_address_history *address; /* --address, or NULL */
};

/*
 * The verdict, most doubtful first: no_data (no input yielded a single event), doubtful (an
 * input yielded none, or implausibly few for its lines: see lc_input_info.doubt), incomplete
 * (an input truncated or unreadable), empty (every input empty, accepted by --allow-empty),
 * leaks (buffers remain at the end: server entries, else debug-log lifetimes; in a diff, the
 * AFTER side's), clean. Every format states it first.
 */
enum lc_verdict {
	LC_VERDICT_CLEAN,
	LC_VERDICT_LEAKS,
	LC_VERDICT_EMPTY,
	LC_VERDICT_INCOMPLETE,
	LC_VERDICT_DOUBTFUL,
	LC_VERDICT_NO_DATA,
};

/*
 * Writes why in cannot carry a verdict ("FILE: no allocation-server or buffer debug-log lines
 * found; is this the right file?", or why it was cut short) into buf, as snprintf does; ""
 * when it can.
 */
int lc_input_doubt_text(const struct lc_input_info *in, char *buf, size_t n);
/* Returns the verdict on what r holds. */
enum lc_verdict lc_report_verdict(const struct lc_report *r);
/* Returns the verdict's JSON name: "clean", "leaks", "empty", "incomplete", "doubtful", "no_data". */
const char *lc_verdict_name(enum lc_verdict v);
/* True when the verdict rests on everything given: clean, leaks or an accepted empty input. */
bool lc_verdict_trusted(enum lc_verdict v);

/*
 * A report writer renders r to f. Write errors are left in f's error flag for
 * the caller to check.
 */
typedef void (*lc_report_fn)(const struct lc_report *r, FILE *f);

/* Writes the JSON report of r (REPORT-SCHEMA.md; a diff report when r->diff) to f. */
void lc_report_json(const struct lc_report *r, FILE *f);
/*
 * Renders the JSON report of r without writing it, handing every integer to fn with its
 * path (lc_json_capture): the metrics of --fail-on and --list-metrics FILE...
 * Returns 0; -1 on error, already reported.
 */
int lc_report_json_capture(const struct lc_report *r, lc_json_capture_fn fn, void *ctx);
/* Writes the text report of r to f: the verdict first, then tables for a person to read. */
void lc_report_text(const struct lc_report *r, FILE *f);
/*
 * Writes r's call sites to f as collapsed stacks for flame graphs (root first, ';'-joined,
 * the weight last), or "stack BEFORE AFTER" lines for a diff; without a buffer debug log,
 * writes nothing and says so on stderr.
 */
void lc_report_folded(const struct lc_report *r, FILE *f);
/* Writes r to f as JUnit XML: one test case per failed rule, leak group and doubtful input. */
void lc_report_junit(const struct lc_report *r, FILE *f);
/*
 * Writes r to f as GitHub Actions workflow commands (annotations), and appends a Markdown job
 * summary to the file $GITHUB_STEP_SUMMARY names, when it is set.
 */
void lc_report_github(const struct lc_report *r, FILE *f);
/* Writes r to f as a GitLab Code Quality JSON array of issues with stable fingerprints. */
void lc_report_gitlab(const struct lc_report *r, FILE *f);

/*
 * Writes r to f as one self-contained HTML page (no script, style or font from elsewhere):
 * the JSON report rendered in memory and parsed back, so every figure on the page is one of
 * the JSON report's (lc_html_render, lc/report_html.h); tables cut at r->top rows.
 */
void lc_report_html(const struct lc_report *r, FILE *f);

/* The registry of report formats: returns the writer for name, NULL when unknown. */
lc_report_fn lc_report_lookup(const char *name);
/* The names of the formats, comma-separated, for messages. */
const char *lc_report_names(void);

#endif
