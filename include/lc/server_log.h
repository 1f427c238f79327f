/* SPDX-License-Identifier: MIT */
/* Parser for allocation-server logs (FORMATS.md section 1): one line in, one event out. */
#ifndef LC_SERVER_LOG_H
#define LC_SERVER_LOG_H

#include "lc/event.h"

struct lc_sparser;

/* Returns a server-log parser at the start of an input; the caller destroys it. */
struct lc_sparser *lc_sparser_create(void);
/* Frees sp and its scratch text (events it lent are gone too); NULL is a no-op. */
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

/* The most unlocked fragments taken out of one line; further ones stay in it. */
#define LC_SPARSER_MAX_FRAGMENTS 4

/*
 * A line with the server's unlocked `📋 Received DUMP_REMAINING request...` and
 * `📋 DUMP_REMAINING complete.` fragments taken out (FORMATS.md 1.1: they can land
 * inside a line printed under the registry mutex, whose rest then follows on the
 * next line).
 */
struct lc_scut {
	unsigned nfrag;
	enum lc_sev_kind frag[LC_SPARSER_MAX_FRAGMENTS]; /* LC_SEV_DUMP_RECEIVED or _COMPLETE, in line order */
	bool grep_n;          /* the line has a `grep -n` prefix, so the next line's is dropped on a join */
	struct lc_span rest;  /* the line without them, its ANSI escapes and a final CR; owned by the parser */
};

/*
 * True when a line so classified may hide a fragment: it did not parse, or it
 * was recognized by a check that does not reach the end of the line. Only those
 * lines are searched, so the lines that carry most events cost nothing more.
 */
static inline bool lc_sparser_suspect(enum lc_line_class c, const struct lc_sevent *ev)
{
	if (c != LC_LINE_RECOGNIZED)
		return true;
	switch (ev->kind) {
	case LC_SEV_NONE: case LC_SEV_BANNER: case LC_SEV_DETECT: case LC_SEV_UNKNOWN_FREE:
	case LC_SEV_REUSE_SIZE: case LC_SEV_STATS_BEGIN: case LC_SEV_CLEANUP_BEGIN: case LC_SEV_DUMP_RECEIVED:
	case LC_SEV_DUMP_TITLE: case LC_SEV_DUMP_EMPTY: case LC_SEV_DUMP_COMPLETE:
		return true;
	default:
		return false;
	}
}

/*
 * Looks for fragments in line (any glyph form the parser accepts before them,
 * UTF-8 or mojibake, ANSI escapes, CRLF) and fills *cut. A line that is only a
 * fragment (blank besides) is not a cut: lc_sparser_line reads it as it is.
 * cut->rest lives until the next call of lc_sparser_cut on sp.
 * Returns true when fragments were taken out and something is left.
 */
bool lc_sparser_cut(struct lc_sparser *sp, struct lc_span line, struct lc_scut *cut);

/*
 * Decides whether cut->rest and next, the line after it in the same input, are
 * the two halves of one line: their concatenation must be a line of ours that
 * explains more than the two halves apart (next is foreign or a bare blank/border
 * line, and the rest is not already a complete line that the join would lower
 * to one that changes nothing). On true *ev holds the joined line's event; its
 * spans live until the next call on sp.
 * Returns true to join.
 */
bool lc_sparser_rejoin(struct lc_sparser *sp, const struct lc_scut *cut, struct lc_span next, struct lc_sevent *ev);

/* Scores how much a head of input looks like a server log (anchor lines counted). */
unsigned lc_server_log_sniff(struct lc_span head);

#endif
