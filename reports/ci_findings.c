// SPDX-License-Identifier: MIT
// What the CI formats share: the findings, the names that tell leak groups apart, the fingerprint.
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lc/ci_findings.h"
#include "lc/util.h"

static int finding_cmp(const void *x, const void *y)
{
	const struct lc_finding *a = x, *b = y;
	if (a->rule != b->rule)
		return a->rule ? -1 : 1;
	if (a->rule)
		return 0;
	if (a->growth != b->growth)
		return a->growth > b->growth ? -1 : 1;
	return lc_stack_cmp(a->key, b->key);
}
/* FNV-1a, 64 bits: a stable fingerprint from device, kind and call site (never addresses). */
static uint64_t fnv_add(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

uint64_t lc_ci_fnv(uint64_t h, const char *s)
{
	return fnv_add(h, s, strlen(s)) ^ 0xff;
}

/* Over the frames joined by '\n', as one string. */
static uint64_t fnv_stack(uint64_t h, const struct lc_stack *st)
{
	for (size_t i = 0; i < st->n; i++) {
		if (i)
			h = fnv_add(h, "\n", 1);
		h = fnv_add(h, st->frames[i].p, st->frames[i].n);
	}
	return h ^ 0xff;
}

uint64_t lc_ci_leak_fingerprint(const struct lc_stack *key)
{
	return fnv_stack(lc_ci_fnv(0xcbf29ce484222325ull, "tt-leakcorr-leak"), key);
}

/* ---------- names of leak groups (the rule is in report.h, at lc_findings) ---------- */

#define NAME_FRAME_MAX 120   /* bytes of one frame in a name */
#define NAME_FRAMES_MAX 4    /* frames in a name before the middle ones give way to U+2026 */
#define ELLIPSIS "\xe2\x80\xa6"

static bool span_eq(const struct lc_span *a, const struct lc_span *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

/* Frames the two stacks have in common at the top (innermost first). */
static size_t common_frames(const struct lc_stack *a, const struct lc_stack *b)
{
	size_t i = 0;
	while (i < a->n && i < b->n && span_eq(&a->frames[i], &b->frames[i]))
		i++;
	return i;
}

struct named {
	struct lc_finding *f;
	size_t d;                /* the most frames its stack shares with another group's */
};

/* Frame by frame, bytewise, a stack before the longer ones it begins: neighbours share most. */
static int stack_order(const void *x, const void *y)
{
	const struct lc_stack *a = ((const struct named *)x)->f->key, *b = ((const struct named *)y)->f->key;
	size_t k = common_frames(a, b);
	if (k < a->n && k < b->n) {
		const struct lc_span *fa = &a->frames[k], *fb = &b->frames[k];
		size_t n = fa->n < fb->n ? fa->n : fb->n;
		int c = n ? memcmp(fa->p, fb->p, n) : 0;
		if (c)
			return c < 0 ? -1 : 1;
		return fa->n < fb->n ? -1 : 1;
	}
	return (a->n > b->n) - (a->n < b->n);
}

static int name_order(const void *x, const void *y)
{
	const struct named *a = x, *b = y;
	int c = strcmp(a->f->name, b->f->name);
	return c ? c : stack_order(x, y);
}

void lc_ci_add_frame(struct lc_buf *b, const struct lc_span *fr, bool short_form, size_t max)
{
	const char *p = fr->p;
	size_t n = fr->n;
	const char *sep = short_form ? lc_find(*fr, ": ", 2) : NULL;
	const char *tail = "";
	if (sep && (size_t)(sep + 2 - p) < n) {
		n -= (size_t)(sep + 2 - p);
		p = sep + 2;
	} else if (sep) {
		const char *base = sep;
		while (base > p && base[-1] != '/')
			base--;
		n = (size_t)(sep - base);
		p = base;
		tail = " (no symbol)";
	}
	if (n == 0) {
		lc_buf_adds(b, "(empty frame)");
		return;
	}
	const unsigned char *u = (const unsigned char *)p;
	for (size_t i = 0, o = 0; i < n;) {
		size_t len = lc_utf8_seq(u + i, n - i);
		size_t w = len ? len : 1;
		if (o + w > max) {
			lc_buf_adds(b, ELLIPSIS);
			break;
		}
		if (len > 1 || (len == 1 && u[i] >= 0x20 && u[i] != 0x7f))
			lc_buf_add(b, p + i, len);
		else
			lc_buf_addc(b, '?');
		o += w;
		i += w;
	}
	lc_buf_adds(b, tail);
}

/* Frames from .. to of st, innermost first, joined by " <- "; elide: keep the first and last two. */
static char *make_name(const struct lc_stack *st, size_t from, size_t to, bool ended, bool elide)
{
	struct lc_buf b = { 0 };
	if (lc_stack_empty(st)) {
		lc_buf_adds(&b, "(no frames)");
	} else {
		for (size_t i = from; i <= to; i++) {
			if (elide && to - from + 1 > NAME_FRAMES_MAX && i > from && i + 2 <= to) {
				if (i == from + 1)
					lc_buf_adds(&b, " <- " ELLIPSIS);
				continue;
			}
			if (i > from)
				lc_buf_adds(&b, " <- ");
			lc_ci_add_frame(&b, &st->frames[i], true, NAME_FRAME_MAX);
		}
		if (ended)
			lc_buf_adds(&b, " <- (end of stack)");
	}
	lc_buf_addc(&b, '\0');
	return b.p;
}

/* Calls fn on each run of two or more entries of v (sorted by name) with the same name. */
static void same_names(struct named *v, size_t m, void (*fn)(struct named *e, size_t lead), size_t lead)
{
	for (size_t i = 0; i < m;) {
		size_t j = i + 1;
		while (j < m && strcmp(v[i].f->name, v[j].f->name) == 0)
			j++;
		if (j - i > 1)
			for (size_t k = i; k < j; k++)
				fn(&v[k], lead);
		i = j;
	}
}

static void last_frame(const struct named *e, size_t *end, bool *ended)
{
	const struct lc_stack *st = e->f->key;
	*ended = e->d >= st->n;
	*end = *ended ? (st->n ? st->n - 1 : 0) : e->d;
}

/* The second try: every frame from the first one not all stacks share. */
static void name_long(struct named *e, size_t lead)
{
	size_t end;
	bool ended;
	last_frame(e, &end, &ended);
	free(e->f->name);
	e->f->name = make_name(e->f->key, lead < end ? lead : end, end, ended, true);
}

/* The last resort: the fingerprint, which differs for different stacks. */
static void name_fingerprint(struct named *e, size_t lead)
{
	struct lc_buf b = { 0 };
	lc_buf_printf(&b, "%s [%016" PRIx64 "]", e->f->name, lc_ci_leak_fingerprint(e->f->key));
	lc_buf_addc(&b, '\0');
	free(e->f->name);
	e->f->name = b.p;
}

static void name_findings(struct lc_finding *v, size_t k)
{
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		m += !v[i].rule;
	if (!m)
		return;
	struct named *e = lc_xcalloc(m, sizeof *e);
	for (size_t i = 0, j = 0; i < k; i++)
		if (!v[i].rule)
			e[j++].f = &v[i];
	/* Sorted frame by frame, a stack shares most with a neighbour, and all share what the ends do. */
	qsort(e, m, sizeof *e, stack_order);
	size_t lead = m > 1 ? SIZE_MAX : 0;
	for (size_t i = 0; i + 1 < m; i++) {
		size_t c = common_frames(e[i].f->key, e[i + 1].f->key);
		lead = c < lead ? c : lead;
		e[i].d = c > e[i].d ? c : e[i].d;
		e[i + 1].d = c;
	}
	for (size_t i = 0; i < m; i++) {
		size_t end;
		bool ended;
		last_frame(&e[i], &end, &ended);
		size_t from = e[i].d > lead ? e[i].d - 1 : lead;
		e[i].f->name = make_name(e[i].f->key, from < end ? from : end, end, ended, false);
	}
	qsort(e, m, sizeof *e, name_order);
	same_names(e, m, name_long, lead);
	qsort(e, m, sizeof *e, name_order);
	same_names(e, m, name_fingerprint, lead);
	free(e);
}

struct lc_finding *lc_findings(const struct lc_report *r, size_t *n)
{
	size_t cap = (r->gate ? r->gate->nrules : 0) + (r->diff ? r->diff->nsites : 0) + (r->now ? r->now->ngroups : 0) + 1;
	struct lc_finding *v = lc_xcalloc(cap, sizeof *v);
	size_t k = 0;
	for (size_t i = 0; r->gate && i < r->gate->nrules; i++)
		if (!r->gate->rules[i].passed)
			v[k++] = (struct lc_finding){ .rule = true, .r = &r->gate->rules[i] };
	if (r->diff) {
		for (size_t i = 0; i < r->diff->nsites; i++) {
			const struct lc_diff_site *s = &r->diff->sites[i];
			if (s->status != LC_SITE_NEW && s->status != LC_SITE_GROWN)
				continue;
			v[k++] = (struct lc_finding){ .key = s->key, .status = lc_site_status_name(s->status),
						      .before = s->before, .now = s->after,
						      .growth = s->after.bytes > s->before.bytes ? s->after.bytes - s->before.bytes : 0 };
		}
	} else if (r->now) {
		for (size_t i = 0; i < r->now->ngroups; i++) {
			const struct lc_group *g = &r->now->groups[i];
			uint64_t grow = r->baseline ? lc_group_growth(r->baseline, g) : g->t.bytes;
			if (r->baseline && grow == 0)
				continue;
			struct lc_tally was = { 0, 0 };
			const char *status = "live";
			if (r->baseline) {
				const struct lc_group *b = lc_side_group(r->baseline, g->key);
				status = b ? "grown" : "new";
				if (b)
					was = b->t;
			}
			v[k++] = (struct lc_finding){ .key = g->key, .status = status, .before = was, .now = g->t, .growth = grow };
		}
	}
	qsort(v, k, sizeof *v, finding_cmp);
	name_findings(v, k);
	*n = k;
	return v;
}

void lc_findings_free(struct lc_finding *fs, size_t n)
{
	for (size_t i = 0; fs && i < n; i++)
		free(fs[i].name);
	free(fs);
}

const char *lc_ci_op_name(enum lc_op op)
{
	static const char *const names[] = { ">", ">=", "<", "<=", "==", "!=" };
	return names[op];
}

bool lc_ci_input_problem(const struct lc_input_info *in, char *buf, size_t n)
{
	if (in->doubt == LC_DOUBT_NONE && !in->error && !in->truncated)
		return false;
	if (buf)
		lc_input_doubt_text(in, buf, n);
	return true;
}
