/* SPDX-License-Identifier: MIT */
/* What the CI report formats (JUnit, GitHub, GitLab) share: findings, leak-group names, fingerprints. */
#ifndef LC_CI_FINDINGS_H
#define LC_CI_FINDINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/report.h"
#include "lc/util.h"

/*
 * A finding for CI formats: a gate rule that failed, or a leak group that grew (new in a
 * diff, over the baseline, or simply present when there is neither). Most important first.
 */
struct lc_finding {
	bool rule;                            /* a failed gate rule, else a leak group */
	const struct lc_rule *r;
	const struct lc_stack *key;           /* the group's stack (or server-only key) */
	const char *status;                   /* "new", "grown", "live" */
	struct lc_tally before, now;
	uint64_t growth;                      /* bytes */
	char *name;                           /* a leak group's name for CI (below); NULL for a rule */
};

/*
 * Collects the findings of r, most important first, and names each leak group by the frames
 * that tell its stack apart from the other groups found: L frames lead every stack, d is the
 * most frames this stack shares with another (its distinguishing frame is frame d); the name
 * is frames max(L, d-1) .. d, innermost first, joined by " <- " (the distinguishing frame and,
 * unless every stack holds it, the frame before it). A frame "MODULE: SYMBOL" shows as SYMBOL
 * ("FILE (no symbol)" for an empty one), cut at 120 bytes with U+2026. A stack that ends
 * inside another's (d past its last frame) ends its name with " <- (end of stack)". Names that
 * still coincide get frames L .. d (first frame and the last two when there are more than
 * four), and any still alike the GitLab fingerprint in brackets: distinct groups always get
 * distinct names. One group alone is named by its first frame. Names depend only on the set
 * of stacks, so they are the same bytes every run.
 * Free the array with lc_findings_free().
 */
struct lc_finding *lc_findings(const struct lc_report *r, size_t *n);
/* Frees what lc_findings() returned; NULL is a no-op. */
void lc_findings_free(struct lc_finding *fs, size_t n);

/* Returns the comparison operator of a gate rule as written: ">", ">=", "<", "<=", "==", "!=". */
const char *lc_ci_op_name(enum lc_op op);

/*
 * True when an input cannot carry the verdict (lc_doubt, or cut short); writes why into buf
 * as lc_input_doubt_text() does (buf may be NULL to only ask).
 */
bool lc_ci_input_problem(const struct lc_input_info *in, char *buf, size_t n);

/*
 * Adds one frame to b as text a person reads: with short_form set, the SYMBOL of "MODULE:
 * SYMBOL" (the module's file name when the symbol is empty). Whole UTF-8 characters only; a
 * byte that is not UTF-8, or a control character, becomes '?'. At most max bytes, then U+2026.
 */
void lc_ci_add_frame(struct lc_buf *b, const struct lc_span *fr, bool short_form, size_t max);

/*
 * Returns h extended by FNV-1a (64 bits) over the C string s, then a separator: chained calls
 * from the offset basis 0xcbf29ce484222325 give the GitLab fingerprints of inputs and rules.
 */
uint64_t lc_ci_fnv(uint64_t h, const char *s);

/*
 * Returns the fingerprint of a leak group: FNV-1a over "tt-leakcorr-leak" and the frames of
 * key joined by '\n' (device, kind and call site, never addresses). GitLab's fingerprint, and
 * the last resort of a group's name; it depends on key alone, not on the other groups.
 */
uint64_t lc_ci_leak_fingerprint(const struct lc_stack *key);

#endif
