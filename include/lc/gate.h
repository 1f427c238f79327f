/* SPDX-License-Identifier: MIT */
/* The comparison (--diff), the CI gate (--fail-on, --baseline) and suppressions. */
#ifndef LC_GATE_H
#define LC_GATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lc/side.h"

enum lc_site_status { LC_SITE_NEW, LC_SITE_GROWN, LC_SITE_SHRUNK, LC_SITE_GONE, LC_SITE_SAME };

struct lc_diff_dt {
	int32_t device;
	const char *type;
	struct lc_tally before, after;
};

struct lc_diff_site {
	const struct lc_stack *key; /* interned in one of the sides */
	enum lc_site_status status;
	struct lc_tally before, after;
};

struct lc_diff {
	const struct lc_side *before, *after;
	struct lc_diff_dt *dt;   /* by device, then type order */
	size_t ndt;
	struct lc_diff_site *sites; /* by growth in bytes, descending, then frames */
	size_t nsites;
	uint64_t count[5];       /* sites per status */
};

/* Compares two derived sides. The diff borrows from both until released. */
void lc_diff_build(struct lc_diff *d, const struct lc_side *before, const struct lc_side *after);
void lc_diff_release(struct lc_diff *d);
const char *lc_site_status_name(enum lc_site_status s);

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
 * Parses "METRIC OP VALUE" (VALUE an integer with an optional KiB, MiB or GiB).
 * A metric that does not exist is an error naming the closest one.
 * Returns 0; -1 on error, already reported.
 */
int lc_rule_parse(const char *text, struct lc_rule *r);
void lc_rule_release(struct lc_rule *r);
/* Writes every metric name of the table, one a line, with what it needs of the run. */
void lc_metrics_list(FILE *f);

enum lc_supp_kind { LC_SUPP_LEAK, LC_SUPP_TYPE, LC_SUPP_DEVICE };

struct lc_supp_rule {
	char *text;              /* the line as written */
	enum lc_supp_kind kind;
	void *re;                /* pcre2_code for leak: */
	char *type;
	int32_t device;
	struct lc_tally t;       /* what it suppressed */
};

struct lc_suppressions {
	struct lc_supp_rule *rules;
	size_t n;
	char *path;
};

/* Loads a suppressions file. Returns 0; -1 on error (FILE:LINE: reason), already reported. */
int lc_suppressions_load(struct lc_suppressions *sp, const char *path);
void lc_suppressions_release(struct lc_suppressions *sp);
/*
 * Marks the side's suppressed items and, when count is set, adds them to the rules' tallies
 * (each item to the first rule that matches it).
 */
void lc_suppressions_apply(struct lc_suppressions *sp, struct lc_side *s, bool count);
/* True when a leak with these fields (stack may be NULL) is suppressed. */
bool lc_suppressed(const struct lc_suppressions *sp, int32_t device, const char *type, const struct lc_stack *stack);

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
 * server or debug report paths in a --diff run. Returns 0; -1 when one is refused, reported.
 */
int lc_gate_check_scope(const struct lc_gate *g, bool diff);
/* True when a rule reads a path of the JSON report: the report must be rendered to capture it. */
bool lc_gate_needs_report(const struct lc_gate *g);
/* An lc_json_capture_fn (ctx: the gate): keeps the values of the paths its rules name. */
void lc_gate_capture(void *ctx, const char *path, int64_t value);

/*
 * Evaluates each rule on now (the after side in a diff), growth over baseline when it
 * is given, and the diff when given; report paths use the values lc_gate_capture kept.
 * Sets each rule's value and verdict; a rule whose metric does not apply fails, is
 * reported, and sets g->inapplicable.
 * Returns true when every rule passed.
 */
bool lc_gate_eval(struct lc_gate *g, const struct lc_side *now, const struct lc_side *baseline,
		  const struct lc_diff *diff);

/* Growth of one group of now over base (max(0, now - base) bytes), for reports of what is new. */
uint64_t lc_group_growth(const struct lc_side *base, const struct lc_group *g);

#endif
