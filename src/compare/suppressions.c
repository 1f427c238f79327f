// SPDX-License-Identifier: MIT
// Suppressions (--suppressions FILE): leak:REGEX on any frame, type:NAME, device:N.
#include "lc/suppressions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "lc/util.h"

int lc_suppressions_load(struct lc_suppressions *sp, const char *path, bool no_jit)
{
	memset(sp, 0, sizeof *sp);
	sp->path = lc_xstrndup(path, strlen(path));
	FILE *f = fopen(path, "r");
	if (!f)
		return lc_error("%s: cannot be read", path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int rc = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = '\0';
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		struct lc_supp_rule r = { .text = lc_xstrndup(p, strlen(p)) };
		if (strncmp(p, "leak:", 5) == 0) {
			struct lc_regex_error err;
			r.kind = LC_SUPP_LEAK;
			r.re = lc_regex_create(p + 5, !no_jit, &err);
			if (!r.re)
				rc = lc_error("%s:%u: %s at offset %zu", path, lineno, err.msg, err.offset);
		} else if (strncmp(p, "type:", 5) == 0 && p[5]) {
			r.kind = LC_SUPP_TYPE;
			r.type = lc_xstrndup(p + 5, strlen(p + 5));
		} else if (strncmp(p, "device:", 7) == 0) {
			char *end;
			long long d = strtoll(p + 7, &end, 10);
			if (end == p + 7 || *end || d < INT32_MIN || d > INT32_MAX)
				rc = lc_error("%s:%u: device: needs a device id", path, lineno);
			r.kind = LC_SUPP_DEVICE;
			r.device = (int32_t)d;
		} else {
			rc = lc_error("%s:%u: expected leak:REGEX, type:NAME or device:N", path, lineno);
		}
		sp->rules = lc_xrealloc(sp->rules, (sp->n + 1) * sizeof *sp->rules);
		sp->rules[sp->n++] = r;
	}
	free(line);
	fclose(f);
	return rc;
}

void lc_suppressions_release(struct lc_suppressions *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		free(sp->rules[i].text);
		free(sp->rules[i].type);
		lc_regex_destroy(sp->rules[i].re);
	}
	free(sp->rules);
	free(sp->path);
	memset(sp, 0, sizeof *sp);
}

struct frame_match {
	struct lc_regex *re;
	bool hit;
};

static void match_frame(const char *p, size_t n, void *arg)
{
	struct frame_match *fm = arg;
	if (!fm->hit && lc_regex_match(fm->re, p, n))
		fm->hit = true;
}

/* Index of the first rule matching, or -1. */
static ssize_t first_match(const struct lc_suppressions *sp, int32_t device, const char *type,
			   const struct lc_stack *stack)
{
	for (size_t i = 0; sp && i < sp->n; i++) {
		const struct lc_supp_rule *r = &sp->rules[i];
		if (r->kind == LC_SUPP_TYPE && type && strcmp(type, r->type) == 0)
			return (ssize_t)i;
		if (r->kind == LC_SUPP_DEVICE && device == r->device)
			return (ssize_t)i;
		if (r->kind == LC_SUPP_LEAK && r->re && stack) {
			struct frame_match fm = { r->re, false };
			lc_stack_frames(stack, match_frame, &fm);
			if (fm.hit)
				return (ssize_t)i;
		}
	}
	return -1;
}

bool lc_suppressed(const struct lc_suppressions *sp, int32_t device, const char *type, const struct lc_stack *stack)
{
	return first_match(sp, device, type, stack) >= 0;
}

void lc_suppressions_apply(struct lc_suppressions *sp, struct lc_side *s, bool count)
{
	/* Count the server's entries when there are any, else the open lifetimes, so no leak counts twice. */
	bool counted_kind = !s->has_server;
	for (size_t i = 0; i < s->nitems; i++) {
		struct lc_item *it = &s->items[i];
		ssize_t k = first_match(sp, it->device, it->type, it->stack);
		it->suppressed = k >= 0;
		if (k >= 0 && count && it->from_debug == counted_kind) {
			bool sat = false;
			uint64_t bytes = lc_item_bytes(it, &sat);
			sp->rules[k].t.buffers += it->count;
			sp->rules[k].t.bytes = lc_add_sat(sp->rules[k].t.bytes, bytes, &sat);
		}
	}
}
