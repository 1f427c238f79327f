/* SPDX-License-Identifier: MIT */
/* Suppressions (--suppressions FILE): leak:REGEX, type:NAME and device:N lines. */
#ifndef LC_SUPPRESSIONS_H
#define LC_SUPPRESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/regex.h"
#include "lc/side.h"

enum lc_supp_kind { LC_SUPP_LEAK, LC_SUPP_TYPE, LC_SUPP_DEVICE };

struct lc_supp_rule {
	char *text;              /* the line as written */
	enum lc_supp_kind kind;
	struct lc_regex *re;     /* leak: the pattern, matched against each frame; owned */
	char *type;
	int32_t device;
	struct lc_tally t;       /* what it suppressed */
};

struct lc_suppressions {
	struct lc_supp_rule *rules; /* in file order; owned */
	size_t n;
	char *path;              /* owned copy of the file name */
};

/*
 * Loads the suppressions file at path into sp (caller-owned; overwritten). leak: patterns
 * are compiled once, with PCRE2's JIT unless no_jit (the interpreter matches the same).
 * Every bad line is reported, not only the first. sp owns what it holds, even on error:
 * always free it with lc_suppressions_release().
 * Returns 0 on success; -1 on error (FILE:LINE: reason), already reported.
 */
int lc_suppressions_load(struct lc_suppressions *sp, const char *path, bool no_jit);
/*
 * Frees what sp holds and zeroes it; a zeroed sp may be released again.
 * Returns nothing.
 */
void lc_suppressions_release(struct lc_suppressions *sp);
/*
 * Marks the side's suppressed items and, when count is set, adds them to the rules' tallies
 * (each item to the first rule that matches it). Keeps no pointer into s.
 * Returns nothing.
 */
void lc_suppressions_apply(struct lc_suppressions *sp, struct lc_side *s, bool count);
/*
 * Whether a leak with these fields is suppressed; sp and type may be NULL, and stack may be
 * NULL when the leak has none (then no leak: rule can match it).
 * Returns true when some rule matches.
 */
bool lc_suppressed(const struct lc_suppressions *sp, int32_t device, const char *type, const struct lc_stack *stack);

#endif
