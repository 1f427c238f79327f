/* SPDX-License-Identifier: MIT */
/* The one table of metrics the gate's rules may name: name -> what it needs -> getter. */
#ifndef LC_METRICS_H
#define LC_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lc/diff.h"
#include "lc/side.h"

/* What a metric needs of the run; a rule on a metric the run lacks is a usage error. */
enum lc_metric_need { LC_NEED_ANY, LC_NEED_SERVER, LC_NEED_DEBUG, LC_NEED_DIFF };

/* What a getter reads: the sides, the diff, and the N and TYPE the rule's name gave. */
struct lc_metric_env {
	const struct lc_side *now, *base; /* base: the --baseline side, or NULL */
	const struct lc_diff *diff;       /* NULL outside --diff */
	int32_t device;          /* a name's N, for the per-device metrics */
	const char *type;        /* a name's TYPE */
};

/* One row of the table; a row without a getter is an integer path of the JSON report. */
struct lc_metric {
	const char *name;
	enum lc_metric_need need;
	int64_t (*get)(const struct lc_metric_env *e);
};

/*
 * Finds the row whose name matches name (N matches an integer, TYPE a buffer type name) and
 * fills e->device and e->type from it; e->type then points into type (typesz bytes, the
 * caller's), so type must outlive the use of e.
 * Returns the row, static; NULL when no row matches.
 */
const struct lc_metric *lc_metric_find(const char *name, struct lc_metric_env *e, char *type, size_t typesz);
/*
 * The row name nearest to name by edit distance, for the hint after a misspelt metric.
 * Returns a static string.
 */
const char *lc_metric_closest(const char *name);
/*
 * Writes every metric name of the table to f, one a line, with what it needs of the run and
 * "[derived]" for the rows worked out rather than read from the report.
 * Returns nothing; the caller checks f for write errors.
 */
void lc_metrics_list(FILE *f);

#endif
