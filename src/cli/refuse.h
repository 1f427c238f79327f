/* SPDX-License-Identifier: MIT */
/* What a run refuses before it answers (src/cli/refuse.c); private to src/cli. */
#ifndef LC_CLI_REFUSE_H
#define LC_CLI_REFUSE_H

#include "lc/run.h"
#include "lc/side.h"

/*
 * Before anything is read: -o and --html must not name an input, the baseline or the
 * suppressions file (the report would overwrite what it is about), nor each other, and must be
 * places that can be written, so a long run does not end in a failed write. The probe creates
 * no file that was not there.
 * Returns 0; -1 when refused, already reported.
 */
int lc_refuse_output(const struct lc_options *opt);

/*
 * Two sides are compared only when they hold the same kinds of figures (server log with or
 * without call stacks, debug log alone) and were grouped with the same options. what names the
 * comparison ("--diff", "--baseline"); an and bn name the sides in the message.
 * Returns 0; -1 when refused, already reported.
 */
int lc_refuse_unlike(const char *what, const struct lc_side *a, const char *an, const struct lc_side *b,
		     const char *bn);

#endif
