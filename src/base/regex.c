// SPDX-License-Identifier: MIT
// The one PCRE2 wrapper: compile once, JIT when the caller allows it, match on (pointer, length).
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lc/regex.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "lc/util.h"

struct lc_regex {
	pcre2_code *code;
	pcre2_match_data *md; /* only the yes/no is read, so one pair is enough */
};

struct lc_regex *lc_regex_create(const char *pattern, bool jit, struct lc_regex_error *err)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
				       &code, &off, NULL);
	if (!re) {
		err->msg[0] = '\0';
		if (pcre2_get_error_message(code, (PCRE2_UCHAR *)err->msg, sizeof err->msg) < 0 && !err->msg[0])
			snprintf(err->msg, sizeof err->msg, "PCRE2 error %d", code);
		err->offset = (size_t)off;
		return NULL;
	}
	/* A JIT failure is not an error: the interpreter gives the same answers, slower. */
	if (jit)
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	struct lc_regex *r = lc_xcalloc(1, sizeof *r);
	r->code = re;
	r->md = pcre2_match_data_create(1, NULL);
	if (!r->md)
		lc_oom();
	return r;
}

bool lc_regex_match(struct lc_regex *re, const char *p, size_t n)
{
	return pcre2_match(re->code, (PCRE2_SPTR)p, n, 0, 0, re->md, NULL) >= 0;
}

void lc_regex_destroy(struct lc_regex *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}
