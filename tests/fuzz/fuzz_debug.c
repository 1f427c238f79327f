// SPDX-License-Identifier: MIT
// Fuzz target: bytes as buffer-debug-log lines through the block parser and the lifetimes, then the reports.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/debug_log.h"
#include "lc/lifetimes.h"
#include "lc/report.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const skip[] = { "Buffer::create|shared_ptr" };
	struct lc_lifetimes_config cfg = { .stack_depth = size % 4, .skip_frames = skip, .nskip = size % 2,
					   .all_allocations = true, .no_jit = getenv("TT_LEAKCORR_NO_JIT") != NULL };
	struct lc_lifetimes *lt = lc_lifetimes_create(&cfg);
	struct lc_dparser *dp = lc_dparser_create();
	const char *p = (const char *)data, *e = p + size;
	uint64_t line = 0;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
		struct lc_dblock b;
		bool done;
		const char *why;
		line++;
		lc_dparser_line(dp, (struct lc_span){ p, n }, line, &b, &done, &why);
		if (done)
			lc_lifetimes_apply(lt, &b, 0);
		p += n + (nl != NULL);
	}
	struct lc_dblock b;
	if (lc_dparser_finish(dp, &b))
		lc_lifetimes_apply(lt, &b, 0);
	struct lc_debug_model *m = lc_lifetimes_finish(lt);
	struct lc_input_info in = { .path = "fuzz", .format = "buffer-debug-log", .lines = line };
	struct lc_report r = { .version = "fuzz", .inputs = &in, .ninputs = 1, .debug = m };
	FILE *f = fopen("/dev/null", "w");
	if (f) {
		lc_report_json(&r, f);
		lc_report_text(&r, f);
		lc_report_folded(&r, f);
		fclose(f);
	}
	lc_dparser_destroy(dp);
	lc_lifetimes_destroy(lt);
	return 0;
}
