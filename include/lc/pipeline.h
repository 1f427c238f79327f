/* SPDX-License-Identifier: MIT */
/* Server logs on two threads: one reads and parses lines into event batches, the caller replays them. */
#ifndef LC_PIPELINE_H
#define LC_PIPELINE_H

#include <stdint.h>

#include "lc/reader.h"
#include "lc/replay.h"
#include "lc/server_log.h"

/* Lines by class; joined counts the cut lines read again as one (both halves are recognized). */
struct lc_line_counts {
	uint64_t recognized, foreign, malformed, joined;
	uint64_t events;  /* lines (server) or blocks (debug log) that reached the core */
	uint64_t trivial; /* recognized lines that prove nothing: blank, or only a border (lc_span_trivial) */
};

/* Called for each line read, on the thread that reads: a malformed line (reason set) or a tick. */
struct lc_line_hooks {
	void (*malformed)(void *ctx, uint64_t lineno, const char *reason);
	void (*progress)(void *ctx, const struct lc_reader *r, uint64_t events); /* every 65536 lines */
	void *ctx;
};

/*
 * Reads every line of r through sp and applies the events to rp in log order. With threads > 1
 * the reading and parsing run on a second thread, in batches; the replay sees exactly the events
 * the one-thread loop gives it. A line cut in two by the server's unlocked DUMP_REMAINING lines
 * (FORMATS.md 1.1) gives the fragment's event and, when its rest and the next line of r make one
 * line, that line's event, numbered with the first half's line. Adds the lines by class, and the events, to *counts.
 * Returns what lc_reader_next returned last: 0 at the end, -1 after a read error.
 */
int lc_server_lines(struct lc_reader *r, struct lc_sparser *sp, struct lc_replay *rp, uint32_t input,
		    const struct lc_line_hooks *hooks, struct lc_line_counts *counts, unsigned threads);

#endif
