/* SPDX-License-Identifier: MIT */
/* Parser for TT_BUFFER_DEBUG_LOG dumps (FORMATS.md section 3): lines in, whole blocks out. */
#ifndef LC_DEBUG_LOG_H
#define LC_DEBUG_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/event.h"

struct lc_dparser;

/* Returns a debug-log parser at the start of an input; the caller destroys it. */
struct lc_dparser *lc_dparser_create(void);
/* Frees dp and the block text it holds (blocks it lent are gone too); NULL is a no-op. */
void lc_dparser_destroy(struct lc_dparser *dp);

/*
 * Consumes one line (its 1-based number is lineno). When the line completes a
 * block, *done is set and *out describes it; a block ends at its blank line,
 * at the next separator or title, or at lc_dparser_finish(). For a malformed
 * line *reason is set to a static description.
 * Returns the class of the line.
 */
enum lc_line_class lc_dparser_line(struct lc_dparser *dp, struct lc_span line, uint64_t lineno,
				   struct lc_dblock *out, bool *done, const char **reason);

/*
 * Ends the input: a block cut off by the end of the file is returned when it
 * has its title and Buffer* line. Resets the parser for the next input.
 * Returns true when *out holds a block.
 */
bool lc_dparser_finish(struct lc_dparser *dp, struct lc_dblock *out);

/* Scores how much a head of input looks like a buffer debug log. */
unsigned lc_debug_log_sniff(struct lc_span head);

#endif
