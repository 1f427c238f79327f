/* SPDX-License-Identifier: MIT */
/* Parser for allocation-server logs (FORMATS.md section 1): one line in, one event out. */
#ifndef LC_SERVER_LOG_H
#define LC_SERVER_LOG_H

#include "lc/event.h"

struct lc_sparser;

struct lc_sparser *lc_sparser_create(void);
void lc_sparser_destroy(struct lc_sparser *sp);

/*
 * Classifies one line (without its newline) and, when it is recognized, fills
 * *ev. Tolerates ANSI escapes, a `grep -n` prefix, and any glyph prefix
 * (UTF-8 or mojibake) before the ASCII anchors. For a malformed line *reason
 * is set to a static description.
 * Returns the class of the line.
 */
enum lc_line_class lc_sparser_line(struct lc_sparser *sp, struct lc_span line,
				   struct lc_sevent *ev, const char **reason);

/* Scores how much a head of input looks like a server log (anchor lines counted). */
unsigned lc_server_log_sniff(struct lc_span head);

#endif
