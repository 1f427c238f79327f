// SPDX-License-Identifier: MIT
// Diff of two sides, gate rules over the report's metric paths, baselines and suppressions.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lc/gate.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "lc/util.h"

/* ---------- diff ---------- */

static int64_t growth(struct lc_tally before, struct lc_tally after)
{
	return (int64_t)after.bytes - (int64_t)before.bytes;
}

static int site_cmp(const void *x, const void *y)
{
	const struct lc_diff_site *a = x, *b = y;
	int64_t ga = growth(a->before, a->after), gb = growth(b->before, b->after);
	if (ga != gb)
		return ga > gb ? -1 : 1;
	return lc_stack_cmp(a->key, b->key);
}

const char *lc_site_status_name(enum lc_site_status s)
{
	static const char *const names[] = { "new", "grown", "shrunk", "gone", "same" };
	return names[s];
}

static enum lc_site_status status_of(struct lc_tally b, struct lc_tally a)
{
	if (b.buffers == 0 && a.buffers > 0)
		return LC_SITE_NEW;
	if (a.buffers == 0 && b.buffers > 0)
		return LC_SITE_GONE;
	if (a.bytes > b.bytes || (a.bytes == b.bytes && a.buffers > b.buffers))
		return LC_SITE_GROWN;
	if (a.bytes < b.bytes || a.buffers < b.buffers)
		return LC_SITE_SHRUNK;
	return LC_SITE_SAME;
}

void lc_diff_build(struct lc_diff *d, const struct lc_side *before, const struct lc_side *after)
{
	memset(d, 0, sizeof *d);
	d->before = before;
	d->after = after;
	/* Both lists are sorted; merge them. */
	size_t i = 0, j = 0;
	d->dt = lc_xcalloc(before->ndt + after->ndt + 1, sizeof *d->dt);
	while (i < before->ndt || j < after->ndt) {
		int c = i == before->ndt ? 1
			: j == after->ndt ? -1
					  : lc_device_type_cmp(before->dt[i].device, before->dt[i].type, after->dt[j].device,
						     after->dt[j].type);
		struct lc_diff_dt *r = &d->dt[d->ndt++];
		if (c <= 0) {
			*r = (struct lc_diff_dt){ before->dt[i].device, before->dt[i].type, before->dt[i].t, { 0, 0 } };
			i++;
			if (c == 0)
				r->after = after->dt[j++].t;
		} else {
			*r = (struct lc_diff_dt){ after->dt[j].device, after->dt[j].type, { 0, 0 }, after->dt[j].t };
			j++;
		}
	}
	i = j = 0;
	d->sites = lc_xcalloc(before->ngroups + after->ngroups + 1, sizeof *d->sites);
	while (i < before->ngroups || j < after->ngroups) {
		int c = i == before->ngroups ? 1
			: j == after->ngroups ? -1
					      : lc_stack_cmp(before->groups[i].key, after->groups[j].key);
		struct lc_diff_site *r = &d->sites[d->nsites++];
		if (c <= 0) {
			*r = (struct lc_diff_site){ before->groups[i].key, LC_SITE_SAME, before->groups[i].t, { 0, 0 } };
			i++;
			if (c == 0)
				r->after = after->groups[j++].t;
		} else {
			*r = (struct lc_diff_site){ after->groups[j].key, LC_SITE_SAME, { 0, 0 }, after->groups[j].t };
			j++;
		}
		r->status = status_of(r->before, r->after);
		d->count[r->status]++;
	}
	if (d->nsites > 1)
		qsort(d->sites, d->nsites, sizeof *d->sites, site_cmp);
}

void lc_diff_release(struct lc_diff *d)
{
	free(d->dt);
	free(d->sites);
	memset(d, 0, sizeof *d);
}

/* ---------- metrics ---------- */

static const char *const metrics[] = {
	"server.remaining.bytes",
	"server.remaining.buffers",
	"server.events.free_unknown",
	"server.unknown_frees.count",
	"server.unknown_frees.by_cause.never_seen",
	"server.unknown_frees.by_cause.after_final_free",
	"server.unknown_frees.by_cause.after_cleanup",
	"server.cleanup.buffers",
	"server.cleanup.bytes",
	"server.checkpoints.disagree",
	"inputs.malformed_lines",
	"debug.live.bytes",
	"debug.live.buffers",
	"diff.sites.new",
	"diff.sites.grown",
	"diff.sites.shrunk",
	"diff.sites.gone",
	"diff.remaining.bytes",
	"diff.remaining.buffers",
	"diff.live.bytes",
	"diff.live.buffers",
	"diff.unknown_frees",
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])
#define DEVICE_METRIC "server.remaining.device.N.TYPE.bytes"

void lc_metrics_list(FILE *f)
{
	for (size_t i = 0; i < NMETRICS; i++)
		fprintf(f, "%s\n", metrics[i]);
	fputs("server.remaining.device.N.TYPE.bytes     (N a device id, TYPE DRAM, L1, SYSTEM_MEMORY, L1_SMALL, TRACE, ...)\n"
	      "server.remaining.device.N.TYPE.buffers\n",
	      f);
}

/* "server.remaining.device.N.TYPE.bytes|buffers": fills device, type, bytes. */
static bool device_metric(const char *m, int32_t *device, char *type, size_t typesz, bool *bytes)
{
	static const char pre[] = "server.remaining.device.";
	if (strncmp(m, pre, sizeof pre - 1) != 0)
		return false;
	const char *p = m + sizeof pre - 1;
	char *end;
	long long d = strtoll(p, &end, 10);
	if (end == p || *end != '.' || d < INT32_MIN || d > INT32_MAX)
		return false;
	p = end + 1;
	const char *dot = strrchr(p, '.');
	if (!dot || dot == p || (size_t)(dot - p) >= typesz)
		return false;
	for (const char *q = p; q < dot; q++)
		if (!((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_'))
			return false;
	if (strcmp(dot + 1, "bytes") == 0)
		*bytes = true;
	else if (strcmp(dot + 1, "buffers") == 0)
		*bytes = false;
	else
		return false;
	memcpy(type, p, (size_t)(dot - p));
	type[dot - p] = '\0';
	*device = (int32_t)d;
	return true;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = lc_xcalloc(lb + 1, sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

static bool known_metric(const char *m)
{
	for (size_t i = 0; i < NMETRICS; i++)
		if (strcmp(m, metrics[i]) == 0)
			return true;
	int32_t d;
	char t[64];
	bool b;
	return device_metric(m, &d, t, sizeof t, &b);
}

static const char *closest_metric(const char *m)
{
	const char *best = DEVICE_METRIC;
	size_t bd = edit_distance(m, DEVICE_METRIC);
	for (size_t i = 0; i < NMETRICS; i++) {
		size_t d = edit_distance(m, metrics[i]);
		if (d < bd) {
			bd = d;
			best = metrics[i];
		}
	}
	return best;
}

int lc_rule_parse(const char *text, struct lc_rule *r)
{
	memset(r, 0, sizeof *r);
	const char *p = text;
	while (*p == ' ')
		p++;
	const char *ms = p;
	while (*p && *p != ' ' && *p != '>' && *p != '<' && *p != '=' && *p != '!')
		p++;
	if (p == ms)
		return lc_error("--fail-on '%s': expected 'METRIC OP VALUE' (see --list-metrics)", text);
	char *metric = lc_xstrndup(ms, (size_t)(p - ms));
	while (*p == ' ')
		p++;
	static const struct {
		const char *s;
		enum lc_op op;
	} ops[] = { { ">=", LC_OP_GE }, { "<=", LC_OP_LE }, { "==", LC_OP_EQ }, { "!=", LC_OP_NE },
		    { ">", LC_OP_GT },  { "<", LC_OP_LT } };
	size_t k = 0;
	while (k < sizeof ops / sizeof ops[0] && strncmp(p, ops[k].s, strlen(ops[k].s)) != 0)
		k++;
	if (k == sizeof ops / sizeof ops[0]) {
		lc_error("--fail-on '%s': expected one of > >= < <= == != after the metric", text);
		free(metric);
		return -1;
	}
	p += strlen(ops[k].s);
	while (*p == ' ')
		p++;
	bool neg = *p == '-';
	if (neg)
		p++;
	uint64_t v = 0;
	const char *ds = p;
	while (*p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			break;
		v = v * 10 + d;
		p++;
	}
	uint64_t unit = 1;
	while (*p == ' ')
		p++;
	if (strcmp(p, "KiB") == 0)
		unit = 1024;
	else if (strcmp(p, "MiB") == 0)
		unit = 1024 * 1024;
	else if (strcmp(p, "GiB") == 0)
		unit = 1024ull * 1024 * 1024;
	else if (*p)
		unit = 0;
	if (p == ds || unit == 0 || (ds < p && (*ds < '0' || *ds > '9')) || v > (uint64_t)INT64_MAX / unit) {
		lc_error("--fail-on '%s': the value must be a whole number, optionally with KiB, MiB or GiB", text);
		free(metric);
		return -1;
	}
	if (!known_metric(metric)) {
		lc_error("--fail-on '%s': unknown metric '%s'; closest: %s (see --list-metrics)", text, metric,
			 closest_metric(metric));
		free(metric);
		return -1;
	}
	r->text = lc_xstrndup(text, strlen(text));
	r->metric = metric;
	r->op = ops[k].op;
	r->limit = (neg ? -1 : 1) * (int64_t)(v * unit);
	return 0;
}

void lc_rule_release(struct lc_rule *r)
{
	free(r->text);
	free(r->metric);
}

static int64_t sat64(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* A scalar over a baseline counts only its growth. */
static int64_t scalar(uint64_t now, const struct lc_side *base, uint64_t was)
{
	if (!base)
		return sat64(now);
	return now > was ? sat64(now - was) : 0;
}

static const struct lc_dt *find_dt(const struct lc_side *s, int32_t device, const char *type)
{
	for (size_t i = 0; s && i < s->ndt; i++)
		if (s->dt[i].device == device && strcmp(s->dt[i].type, type) == 0)
			return &s->dt[i];
	return NULL;
}

uint64_t lc_group_growth(const struct lc_side *base, const struct lc_group *g)
{
	const struct lc_group *b = lc_side_group(base, g->key);
	uint64_t was = b ? b->t.bytes : 0;
	return g->t.bytes > was ? g->t.bytes - was : 0;
}

/* Remaining (server entries) per device and type, summed growth over the baseline. */
static int64_t remaining_metric(const struct lc_side *now, const struct lc_side *base, bool bytes)
{
	if (!base)
		return sat64(bytes ? now->remaining.bytes : now->remaining.buffers);
	uint64_t sum = 0;
	for (size_t i = 0; i < now->ndt; i++) {
		const struct lc_dt *b = find_dt(base, now->dt[i].device, now->dt[i].type);
		uint64_t v = bytes ? now->dt[i].t.bytes : now->dt[i].t.buffers;
		uint64_t w = b ? (bytes ? b->t.bytes : b->t.buffers) : 0;
		sum += v > w ? v - w : 0;
	}
	return sat64(sum);
}

/* Live lifetimes, summed growth per call site over the baseline. */
static int64_t live_metric(const struct lc_side *now, const struct lc_side *base, bool bytes)
{
	if (!base)
		return sat64(bytes ? now->live.bytes : now->live.buffers);
	uint64_t sum = 0;
	for (size_t i = 0; i < now->ngroups; i++) {
		const struct lc_group *b = lc_side_group(base, now->groups[i].key);
		uint64_t v = bytes ? now->groups[i].t.bytes : now->groups[i].t.buffers;
		uint64_t w = b ? (bytes ? b->t.bytes : b->t.buffers) : 0;
		sum += v > w ? v - w : 0;
	}
	return sat64(sum);
}

static int64_t metric_value(const char *m, const struct lc_side *now, const struct lc_side *base,
			    const struct lc_diff *diff)
{
	int32_t device;
	char type[64];
	bool bytes;
	if (device_metric(m, &device, type, sizeof type, &bytes)) {
		const struct lc_dt *n = find_dt(now, device, type);
		uint64_t v = n ? (bytes ? n->t.bytes : n->t.buffers) : 0;
		const struct lc_dt *b = base ? find_dt(base, device, type) : NULL;
		return scalar(v, base, b ? (bytes ? b->t.bytes : b->t.buffers) : 0);
	}
	if (strncmp(m, "diff.", 5) == 0) {
		if (!diff)
			return 0;
		const struct lc_side *a = diff->after, *b = diff->before;
		if (strcmp(m, "diff.sites.new") == 0)
			return sat64(diff->count[LC_SITE_NEW]);
		if (strcmp(m, "diff.sites.grown") == 0)
			return sat64(diff->count[LC_SITE_GROWN]);
		if (strcmp(m, "diff.sites.shrunk") == 0)
			return sat64(diff->count[LC_SITE_SHRUNK]);
		if (strcmp(m, "diff.sites.gone") == 0)
			return sat64(diff->count[LC_SITE_GONE]);
		if (strcmp(m, "diff.remaining.bytes") == 0)
			return (int64_t)a->remaining.bytes - (int64_t)b->remaining.bytes;
		if (strcmp(m, "diff.remaining.buffers") == 0)
			return (int64_t)a->remaining.buffers - (int64_t)b->remaining.buffers;
		if (strcmp(m, "diff.live.bytes") == 0)
			return (int64_t)a->live.bytes - (int64_t)b->live.bytes;
		if (strcmp(m, "diff.live.buffers") == 0)
			return (int64_t)a->live.buffers - (int64_t)b->live.buffers;
		return (int64_t)a->free_unknown - (int64_t)b->free_unknown; /* diff.unknown_frees */
	}
	if (strcmp(m, "server.remaining.bytes") == 0)
		return remaining_metric(now, base, true);
	if (strcmp(m, "server.remaining.buffers") == 0)
		return remaining_metric(now, base, false);
	if (strcmp(m, "debug.live.bytes") == 0)
		return live_metric(now, base, true);
	if (strcmp(m, "debug.live.buffers") == 0)
		return live_metric(now, base, false);
	static const struct {
		const char *name;
		size_t off;
	} scalars[] = {
		{ "server.events.free_unknown", offsetof(struct lc_side, free_unknown) },
		{ "server.unknown_frees.count", offsetof(struct lc_side, free_unknown) },
		{ "server.unknown_frees.by_cause.never_seen", offsetof(struct lc_side, never_seen) },
		{ "server.unknown_frees.by_cause.after_final_free", offsetof(struct lc_side, after_final_free) },
		{ "server.unknown_frees.by_cause.after_cleanup", offsetof(struct lc_side, after_cleanup) },
		{ "server.cleanup.buffers", offsetof(struct lc_side, cleanup_buffers) },
		{ "server.cleanup.bytes", offsetof(struct lc_side, cleanup_bytes) },
		{ "server.checkpoints.disagree", offsetof(struct lc_side, checkpoints_disagree) },
		{ "inputs.malformed_lines", offsetof(struct lc_side, malformed_lines) },
	};
	for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
		if (strcmp(m, scalars[i].name) == 0) {
			uint64_t v = *(const uint64_t *)((const char *)now + scalars[i].off);
			uint64_t w = base ? *(const uint64_t *)((const char *)base + scalars[i].off) : 0;
			return scalar(v, base, w);
		}
	return 0;
}

bool lc_gate_eval(struct lc_gate *g, const struct lc_side *now, const struct lc_side *baseline,
		  const struct lc_diff *diff)
{
	g->passed = true;
	for (size_t i = 0; i < g->nrules; i++) {
		struct lc_rule *r = &g->rules[i];
		int64_t v = metric_value(r->metric, now, baseline, diff);
		bool fail;
		switch (r->op) {
		case LC_OP_GT: fail = v > r->limit; break;
		case LC_OP_GE: fail = v >= r->limit; break;
		case LC_OP_LT: fail = v < r->limit; break;
		case LC_OP_LE: fail = v <= r->limit; break;
		case LC_OP_EQ: fail = v == r->limit; break;
		default: fail = v != r->limit; break;
		}
		r->value = v;
		r->passed = !fail;
		if (fail)
			g->passed = false;
	}
	return g->passed;
}

/* ---------- suppressions ---------- */

int lc_suppressions_load(struct lc_suppressions *sp, const char *path)
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
			int err;
			PCRE2_SIZE off;
			r.kind = LC_SUPP_LEAK;
			r.re = pcre2_compile((PCRE2_SPTR)(p + 5), PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
					     &err, &off, NULL);
			if (!r.re) {
				PCRE2_UCHAR msg[200];
				pcre2_get_error_message(err, msg, sizeof msg);
				rc = lc_error("%s:%u: %s at offset %zu", path, lineno, (const char *)msg, (size_t)off);
			} else if (!getenv("TT_LEAKCORR_NO_JIT")) {
				pcre2_jit_compile(r.re, PCRE2_JIT_COMPLETE);
			}
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
		if (sp->rules[i].re)
			pcre2_code_free(sp->rules[i].re);
	}
	free(sp->rules);
	free(sp->path);
	memset(sp, 0, sizeof *sp);
}

struct frame_match {
	pcre2_code *re;
	pcre2_match_data *md;
	bool hit;
};

static void match_frame(const char *p, size_t n, void *arg)
{
	struct frame_match *fm = arg;
	if (!fm->hit && pcre2_match(fm->re, (PCRE2_SPTR)p, n, 0, 0, fm->md, NULL) >= 0)
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
			struct frame_match fm = { r->re, pcre2_match_data_create(4, NULL), false };
			lc_stack_frames(stack, match_frame, &fm);
			pcre2_match_data_free(fm.md);
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
