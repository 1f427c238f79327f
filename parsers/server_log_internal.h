/* SPDX-License-Identifier: MIT */
/* What the server-log parser's two files share (server_log.c, server_cut.c); private to parsers/. */
#ifndef LC_SERVER_LOG_INTERNAL_H
#define LC_SERVER_LOG_INTERNAL_H

#include "lc/server_log.h"
#include "lc/util.h"

struct lc_sparser {
	struct lc_buf scratch; /* a line with its ANSI escapes removed */
	struct lc_buf rest;    /* a cut line without its fragments (lc_sparser_cut) */
	struct lc_buf join;    /* the rest of a cut line and the next line, joined */
};

/*
 * Removes ANSI escape sequences (ESC [ params final) from line into sp's scratch buffer.
 * Returns the cleaned line; it lives until the next call.
 */
struct lc_span lc_sparser_strip_ansi(struct lc_sparser *sp, struct lc_span line);

#endif
