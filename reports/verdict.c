// SPDX-License-Identifier: MIT
// The verdict every report format states first, worked out once from what was read.
#include "lc/report.h"

#include <inttypes.h>
#include <stdio.h>

enum lc_verdict lc_report_verdict(const struct lc_report *r)
{
	bool any_doubt = false, all_no_events = r->ninputs > 0, incomplete = false, all_empty = r->ninputs > 0;
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct lc_input_info *in = &r->inputs[i];
		any_doubt |= in->doubt != LC_DOUBT_NONE;
		all_no_events &= in->events == 0 && in->doubt != LC_DOUBT_NONE;
		all_empty &= in->lines == 0 && !in->error;
		incomplete |= in->truncated || in->error;
	}
	if (any_doubt)
		return all_no_events ? LC_VERDICT_NO_DATA : LC_VERDICT_DOUBTFUL;
	if (incomplete)
		return LC_VERDICT_INCOMPLETE;
	if (all_empty && !r->diff)
		return LC_VERDICT_EMPTY;
	uint64_t live = 0;
	if (r->diff)
		live = r->now ? r->now->remaining.buffers + r->now->live.buffers : 0;
	else if (r->server)
		live = r->server->remaining.buffers;
	else if (r->debug)
		live = r->debug->live.buffers;
	return live ? LC_VERDICT_LEAKS : LC_VERDICT_CLEAN;
}

const char *lc_verdict_name(enum lc_verdict v)
{
	static const char *const names[] = { "clean", "leaks", "empty", "incomplete", "doubtful", "no_data" };
	return names[v];
}

bool lc_verdict_trusted(enum lc_verdict v)
{
	return v == LC_VERDICT_CLEAN || v == LC_VERDICT_LEAKS || v == LC_VERDICT_EMPTY;
}

int lc_input_doubt_text(const struct lc_input_info *in, char *buf, size_t n)
{
	const char *forced = in->forced ? " (read as " : "";
	const char *fmt = in->forced ? in->format : "";
	const char *end = in->forced ? " because of --input-format)" : "";
	if (in->error && in->doubt == LC_DOUBT_NONE)
		return snprintf(buf, n, "%s: %s; the figures cover only what was read", in->path, in->error);
	switch (in->doubt) {
	case LC_DOUBT_EMPTY:
		return snprintf(buf, n, "%s: empty (0 lines); give --allow-empty if an empty log is expected", in->path);
	case LC_DOUBT_NO_EVENTS:
		return snprintf(buf, n, "%s: no allocation-server or buffer debug-log lines found%s%s%s; is this the right file?",
				in->path, forced, fmt, end);
	case LC_DOUBT_SPARSE:
		return snprintf(buf, n,
				"%s: only %" PRIu64 " of %" PRIu64 " lines are %s lines%s%s%s; is this the right file? "
				"Figures cover those lines only",
				in->path, lc_input_evidence(in), in->lines, in->format, forced, fmt, end);
	case LC_DOUBT_NONE:
	default:
		if (n)
			buf[0] = '\0';
		return 0;
	}
}
