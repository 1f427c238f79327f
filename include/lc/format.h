/* SPDX-License-Identifier: MIT */
/* The registry of input formats: how each is recognised and where its lines go. */
#ifndef LC_FORMAT_H
#define LC_FORMAT_H

#include <stdint.h>

#include "lc/debug_log.h"
#include "lc/event.h"
#include "lc/lifetimes.h"
#include "lc/pipeline.h"
#include "lc/replay.h"
#include "lc/server_log.h"

/* Run-wide state that the formats feed; owned by the run. */
struct lc_session {
	struct lc_sparser *sparser;
	struct lc_replay *replay;
	struct lc_dparser *dparser;
	struct lc_lifetimes *lifetimes;
	bool server_seen;            /* some input was a server log */
	bool debug_seen;             /* some input was a buffer debug log */
	uint64_t blocks;             /* debug-log blocks completed, over all inputs */
};

struct lc_input_format {
	const char *name;
	/* Scores a head of the input; the highest score wins, ties go to the first entry. */
	unsigned (*sniff)(struct lc_span head);
	/* Consumes one line; sets *reason for a malformed line. Returns the line's class. */
	enum lc_line_class (*line)(struct lc_session *s, struct lc_span line, uint32_t input, uint64_t lineno,
				   const char **reason);
	/*
	 * Or consumes the whole input (NULL: line by line through line()), on up to `threads`
	 * threads; adds the lines by class to *counts. Returns lc_reader_next's last result.
	 */
	int (*lines)(struct lc_session *s, struct lc_reader *r, uint32_t input, const struct lc_line_hooks *hooks,
		     struct lc_line_counts *counts, unsigned threads);
	/* Marks the session as having seen this format. */
	void (*begin)(struct lc_session *s);
	/* Ends one input of this format (a block cut off by the end of the file). */
	void (*end)(struct lc_session *s, uint32_t input);
};

/* Returns the format called name (or a short alias: "server", "debug"); NULL when unknown. */
const struct lc_input_format *lc_input_format_lookup(const char *name);
/* Returns the format whose sniffer scores head highest (the server log when nothing scores). */
const struct lc_input_format *lc_input_format_detect(struct lc_span head);

#endif
