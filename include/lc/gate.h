/* SPDX-License-Identifier: MIT */
/* The CI gate: --fail-on rules over the metric table, judged on a run, a --baseline or a --diff. */
#ifndef LC_GATE_H
#define LC_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/diff.h"
#include "lc/side.h"
#include "lc/suppressions.h"

enum lc_op { LC_OP_GT, LC_OP_GE, LC_OP_LT, LC_OP_LE, LC_OP_EQ, LC_OP_NE };

struct lc_rule {
	char *text;              /* as given */
	char *metric;
	enum lc_op op;
	int64_t limit;
	int64_t value;           /* after evaluation */
	bool passed;
	bool applies;            /* the run has what the metric needs (else the rule fails, exit 2) */
	bool from_report;        /* a path of the JSON report: its value comes from lc_gate_capture */
	bool found;              /* the report had it */
	int64_t captured;
};

/*
 * Parses "METRIC OP VALUE" (VALUE an integer with an optional KiB, MiB or GiB) into r
 * (caller-owned; overwritten). The metric is checked against the table (lc/metrics.h); one
 * that does not exist is an error naming the closest. On success r owns copies of text and
 * the metric name: free them with lc_rule_release(); on error r holds nothing.
 * Returns 0 on success; -1 on error, already reported.
 */
int lc_rule_parse(const char *text, struct lc_rule *r);
/*
 * Frees what lc_rule_parse() copied into r; r's other fields are left as they were.
 * Returns nothing.
 */
void lc_rule_release(struct lc_rule *r);

/* The gate of one run: the caller owns the rules array and the borrowed supp and baseline_doc. */
struct lc_gate {
	struct lc_rule *rules;
	size_t nrules;
	const struct lc_suppressions *supp; /* may be NULL */
	const struct lc_jval *baseline_doc; /* the --baseline report, for metrics read from reports */
	bool passed;
	bool inapplicable;       /* a rule's metric does not apply to this run: a usage error */
};

/*
 * Refuses, before any input is read, rules whose metric cannot apply: diff.* without --diff,
 * server or debug report paths in a --diff run. Every refused rule is reported.
 * Returns 0 on success; -1 when a rule is refused, already reported.
 */
int lc_gate_check_scope(const struct lc_gate *g, bool diff);
/*
 * Whether a rule reads a path of the JSON report, so the report must be rendered (and its
 * values captured with lc_gate_capture) before lc_gate_eval().
 * Returns true when one does.
 */
bool lc_gate_needs_report(const struct lc_gate *g);
/*
 * An lc_json_capture_fn (ctx: the struct lc_gate): keeps the value of path in every rule
 * that names it. path is only read during the call.
 * Returns nothing.
 */
void lc_gate_capture(void *ctx, const char *path, int64_t value);

/*
 * Evaluates each rule on now (the after side in a diff), growth over baseline when it
 * is given, and the diff when given; report paths use the values lc_gate_capture kept.
 * Sets each rule's value and verdict; a rule whose metric does not apply fails, is
 * reported, and sets g->inapplicable. Borrows the sides and the diff; keeps nothing.
 * Returns true when every rule passed.
 */
bool lc_gate_eval(struct lc_gate *g, const struct lc_side *now, const struct lc_side *baseline,
		  const struct lc_diff *diff);

#endif
