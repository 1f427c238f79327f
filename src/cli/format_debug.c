// SPDX-License-Identifier: MIT
// Input format "buffer-debug-log": TT_BUFFER_DEBUG_LOG blocks through their parser into the lifetimes.
#include <stdlib.h>

#include "lc/debug_log.h"
#include "lc/format.h"
#include "lc/lifetimes.h"
#include "lc/util.h"

struct debug_state {
	struct lc_dparser *dp;
	struct lc_lifetimes *lt;
};

static void *create(const struct lc_format_config *cfg)
{
	struct lc_lifetimes_config lcfg = { .stack_depth = cfg->stack_depth, .skip_frames = cfg->skip_frames,
					    .nskip = cfg->nskip, .all_allocations = cfg->all_allocations,
					    .no_jit = cfg->no_jit, .history = cfg->history,
					    .timeline_points = cfg->timeline_points, .temporary = cfg->temporary };
	struct lc_lifetimes *lt = lc_lifetimes_create(&lcfg);
	if (!lt)
		return NULL;
	struct debug_state *s = lc_xcalloc(1, sizeof *s);
	s->lt = lt;
	s->dp = lc_dparser_create();
	return s;
}

/* The debug log is light to parse: one thread reads, parses and applies; an event is a block. */
static int feed(void *state, struct lc_reader *r, uint32_t input, const struct lc_line_hooks *hooks,
		struct lc_line_counts *counts, unsigned threads)
{
	struct debug_state *s = state;
	struct lc_span line;
	struct lc_dblock b;
	int rc;
	(void)threads;
	while ((rc = lc_reader_next(r, &line)) > 0) {
		const char *reason = NULL;
		uint64_t lineno = lc_reader_lineno(r);
		bool done;
		switch (lc_dparser_line(s->dp, line, lineno, &b, &done, &reason)) {
		case LC_LINE_RECOGNIZED:
			counts->recognized++;
			counts->trivial += lc_span_trivial(line);
			break;
		case LC_LINE_FOREIGN:
			counts->foreign++;
			break;
		case LC_LINE_MALFORMED:
			counts->malformed++;
			if (hooks && hooks->malformed)
				hooks->malformed(hooks->ctx, lineno, reason);
			break;
		}
		if (done) {
			lc_lifetimes_apply(s->lt, &b, input);
			counts->events++;
		}
		if ((lineno & 65535) == 0 && hooks && hooks->progress)
			hooks->progress(hooks->ctx, r, counts->recognized);
	}
	/* a block cut off by the end of the input */
	if (lc_dparser_finish(s->dp, &b)) {
		lc_lifetimes_apply(s->lt, &b, input);
		counts->events++;
	}
	lc_lifetimes_input_end(s->lt, input, lc_reader_lineno(r));
	return rc;
}

static void finish(void *state, struct lc_results *out)
{
	struct debug_state *s = state;
	out->debug = lc_lifetimes_finish(s->lt);
}

static void destroy(void *state)
{
	struct debug_state *s = state;
	if (!s)
		return;
	lc_dparser_destroy(s->dp);
	lc_lifetimes_destroy(s->lt);
	free(s);
}

const struct lc_input_format lc_format_debug_log = {
	"buffer-debug-log", "debug", lc_debug_log_sniff, create, feed, finish, destroy,
};
