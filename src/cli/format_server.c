// SPDX-License-Identifier: MIT
// Input format "server-log": the allocation server's stdout through its parser into the replay.
#include <stdlib.h>

#include "lc/format.h"
#include "lc/replay.h"
#include "lc/server_log.h"
#include "lc/util.h"

struct server_state {
	struct lc_sparser *sp;
	struct lc_replay *rp;
};

static void *create(const struct lc_format_config *cfg)
{
	struct server_state *s = lc_xcalloc(1, sizeof *s);
	struct lc_replay_config rc = { .at_dump = cfg->at_dump, .history = cfg->history,
					.timeline_points = cfg->timeline_points };
	s->sp = lc_sparser_create();
	s->rp = lc_replay_create(&rc);
	return s;
}

static int feed(void *state, struct lc_reader *r, uint32_t input, const struct lc_line_hooks *hooks,
		struct lc_line_counts *counts, unsigned threads)
{
	struct server_state *s = state;
	int rc = lc_server_lines(r, s->sp, s->rp, input, hooks, counts, threads);
	lc_replay_input_end(s->rp, input, lc_reader_lineno(r));
	return rc;
}

static void finish(void *state, struct lc_results *out)
{
	struct server_state *s = state;
	out->server = lc_replay_finish(s->rp);
	out->failed |= lc_replay_failed(s->rp);
}

static void destroy(void *state)
{
	struct server_state *s = state;
	if (!s)
		return;
	lc_replay_destroy(s->rp);
	lc_sparser_destroy(s->sp);
	free(s);
}

const struct lc_input_format lc_format_server_log = {
	"server-log", "server", lc_server_log_sniff, create, feed, finish, destroy,
};
