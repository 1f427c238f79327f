// SPDX-License-Identifier: MIT
// Fuzz target: bytes as server-log lines through the parser and the replay, then both reports.
#include <stdio.h>
#include <string.h>

#include "lc/replay.h"
#include "lc/report.h"
#include "lc/server_log.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct lc_replay_config cfg = { .at_dump = size % 3 };
	struct lc_replay *rp = lc_replay_create(&cfg);
	struct lc_sparser *sp = lc_sparser_create();
	const char *p = (const char *)data, *e = p + size;
	uint64_t line = 0;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
		struct lc_sevent ev;
		const char *why;
		line++;
		if (lc_sparser_line(sp, (struct lc_span){ p, n }, &ev, &why) == LC_LINE_RECOGNIZED)
			lc_replay_apply(rp, &ev, 0, line);
		p += n + (nl != NULL);
	}
	struct lc_server_model *m = lc_replay_finish(rp);
	struct lc_input_info in = { .path = "fuzz", .format = "server-log", .lines = line };
	struct lc_report r = { .version = "fuzz", .inputs = &in, .ninputs = 1, .server = m };
	FILE *f = fopen("/dev/null", "w");
	if (f) {
		lc_report_json(&r, f);
		lc_report_text(&r, f);
		fclose(f);
	}
	lc_sparser_destroy(sp);
	lc_replay_destroy(rp);
	return 0;
}
