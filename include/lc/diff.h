/* SPDX-License-Identifier: MIT */
/* The comparison of two derived sides (--diff): per device and type, and per call site. */
#ifndef LC_DIFF_H
#define LC_DIFF_H

#include <stddef.h>
#include <stdint.h>

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

/*
 * Compares two derived sides into d (caller-owned; any previous content is overwritten).
 * The diff owns its two arrays and borrows the sides, their type names and stacks, which
 * must outlive it; free it with lc_diff_release().
 * Returns nothing; out of memory is fatal.
 */
void lc_diff_build(struct lc_diff *d, const struct lc_side *before, const struct lc_side *after);
/*
 * Frees what lc_diff_build() allocated and zeroes d; a zeroed diff may be released again.
 * Returns nothing.
 */
void lc_diff_release(struct lc_diff *d);
/*
 * The report's name of a site status: "new", "grown", "shrunk", "gone" or "same".
 * Returns a static string.
 */
const char *lc_site_status_name(enum lc_site_status s);

/*
 * Growth of one group of a side over base: max(0, now - base) bytes at the same call site,
 * for reports of what is new. Borrows both; keeps nothing.
 * Returns the growth in bytes, 0 when the group did not grow.
 */
uint64_t lc_group_growth(const struct lc_side *base, const struct lc_group *g);

#endif
