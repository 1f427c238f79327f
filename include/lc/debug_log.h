/* SPDX-License-Identifier: MIT */
/* Parser for TT_BUFFER_DEBUG_LOG dumps (FORMATS.md section 3). */
#ifndef LC_DEBUG_LOG_H
#define LC_DEBUG_LOG_H

#include <stdint.h>

#include "lc/event.h"

/* Block counts of a buffer debug log. */
struct lc_debug_counts {
	uint64_t allocated, deallocated, destructor;
};

/*
 * Classifies one line of a buffer debug log and counts block titles into *counts.
 * For a malformed line *reason is set to a static description.
 * Returns the class of the line.
 */
enum lc_line_class lc_debug_log_line(struct lc_span line, struct lc_debug_counts *counts, const char **reason);

/* Scores how much a head of input looks like a buffer debug log. */
unsigned lc_debug_log_sniff(struct lc_span head);

#endif
