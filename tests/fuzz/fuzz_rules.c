// SPDX-License-Identifier: MIT
// Fuzz target: gate rules (first line), suppression files (the rest), and the JSON reader (all of it).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lc/gate.h"
#include "lc/jsonread.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char err[128];
	struct lc_jval *v = lc_json_parse((const char *)data, size, err, sizeof err);
	lc_jval_free(v);

	const unsigned char *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	char *rule = malloc(n + 1);
	memcpy(rule, data, n);
	rule[n] = '\0';
	struct lc_rule r;
	if (strlen(rule) == n && lc_rule_parse(rule, &r) == 0)
		lc_rule_release(&r);
	free(rule);

	char path[] = "/tmp/lc-fuzz-supp-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (size > n && write(fd, data + n, size - n) < 0) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	struct lc_suppressions sp;
	if (lc_suppressions_load(&sp, path, getenv("TT_LEAKCORR_NO_JIT") != NULL) == 0) {
		const struct lc_span frames[] = { LC_SPAN_LIT("a.so: f"), LC_SPAN_LIT("b.so: g") };
		const struct lc_stack stack = { frames, 2 };
		struct lc_item it = { 1, "DRAM", 4096, &stack, false, false, 1 };
		struct lc_side s;
		memset(&s, 0, sizeof s);
		s.has_server = true;
		s.items = &it;
		s.nitems = 1;
		lc_suppressions_apply(&sp, &s, true);
	}
	lc_suppressions_release(&sp);
	unlink(path);
	return 0;
}
