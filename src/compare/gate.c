// SPDX-License-Identifier: MIT
// The CI gate: --fail-on rules parsed against the metric table, and judged on a run.
#include "lc/gate.h"

#include <stdlib.h>
#include <string.h>

#include "lc/jsonread.h"
#include "lc/metrics.h"
#include "lc/util.h"

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
	struct lc_metric_env env = { 0 };
	char type[64];
	const struct lc_metric *row = lc_metric_find(metric, &env, type, sizeof type);
	if (!row) {
		lc_error("--fail-on '%s': unknown metric '%s'; closest: %s (see --list-metrics)", text, metric,
			 lc_metric_closest(metric));
		free(metric);
		return -1;
	}
	r->text = lc_xstrndup(text, strlen(text));
	r->metric = metric;
	r->from_report = row->get == NULL;
	r->op = ops[k].op;
	r->limit = (neg ? -1 : 1) * (int64_t)(v * unit);
	return 0;
}

void lc_rule_release(struct lc_rule *r)
{
	free(r->text);
	free(r->metric);
}

void lc_gate_capture(void *ctx, const char *path, int64_t value)
{
	struct lc_gate *g = ctx;
	for (size_t i = 0; i < g->nrules; i++) {
		struct lc_rule *r = &g->rules[i];
		if (r->from_report && strcmp(r->metric, path) == 0) {
			r->found = true;
			r->captured = value;
		}
	}
}

bool lc_gate_needs_report(const struct lc_gate *g)
{
	for (size_t i = 0; i < g->nrules; i++)
		if (g->rules[i].from_report)
			return true;
	return false;
}

int lc_gate_check_scope(const struct lc_gate *g, bool diff)
{
	int rc = 0;
	for (size_t i = 0; i < g->nrules; i++) {
		const struct lc_rule *r = &g->rules[i];
		struct lc_metric_env e = { 0 };
		char type[64];
		const struct lc_metric *m = lc_metric_find(r->metric, &e, type, sizeof type);
		if (m->need == LC_NEED_DIFF && !diff)
			rc = lc_error("--fail-on '%s': %s compares two runs and needs --diff BEFORE AFTER", r->text, r->metric);
		else if (diff && r->from_report && (m->need == LC_NEED_SERVER || m->need == LC_NEED_DEBUG))
			rc = lc_error("--fail-on '%s': a --diff report has no %s section; use the diff.* metrics, or "
				      "server.remaining.* and debug.live.*, which judge AFTER",
				      r->text, m->need == LC_NEED_SERVER ? "server" : "debug");
	}
	return rc;
}

/* The integer at a dotted path of a JSON report of ours ("inputs.0.lines"), or NULL. */
static const struct lc_jval *jpath(const struct lc_jval *v, const char *path)
{
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		char key[64]; /* a key or an index; longer ones name nothing in our reports */
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (v->type == LC_JARR) {
			char *end;
			unsigned long long k = strtoull(key, &end, 10);
			v = *end || k >= v->count ? NULL : &v->items[k];
		} else {
			v = lc_jget(v, key);
		}
		path += n + (dot != NULL);
	}
	return v && v->type == LC_JNUM && v->is_int ? v : NULL;
}

/* Why the rule's metric cannot be had from this run, or NULL. */
static const char *inapplicable(const struct lc_rule *r, const struct lc_metric *m, const struct lc_side *now,
				const struct lc_diff *diff)
{
	if (m->need == LC_NEED_SERVER && !now->has_server)
		return "no allocation-server log was read";
	if (m->need == LC_NEED_DEBUG && !now->has_debug)
		return "no buffer debug log was read";
	if (m->need == LC_NEED_DIFF && !diff)
		return "it needs --diff BEFORE AFTER";
	if (r->from_report && !r->found)
		return "this run's JSON report has no such integer (--list-metrics FILE... lists those it has)";
	return NULL;
}

bool lc_gate_eval(struct lc_gate *g, const struct lc_side *now, const struct lc_side *baseline,
		  const struct lc_diff *diff)
{
	g->passed = true;
	g->inapplicable = false;
	for (size_t i = 0; i < g->nrules; i++) {
		struct lc_rule *r = &g->rules[i];
		struct lc_metric_env e = { now, baseline, diff, 0, NULL };
		char type[64];
		const struct lc_metric *m = lc_metric_find(r->metric, &e, type, sizeof type);
		const char *why = inapplicable(r, m, now, diff);
		int64_t v = 0;
		r->applies = why == NULL;
		if (why) {
			lc_error("--fail-on '%s': %s does not apply to this run: %s", r->text, r->metric, why);
			g->inapplicable = true;
		} else if (m->get) {
			v = m->get(&e);
		} else {
			v = r->captured;
			const struct lc_jval *w = g->baseline_doc ? jpath(g->baseline_doc, r->metric) : NULL;
			if (g->baseline_doc) {
				int64_t was = w ? lc_jint(w) : 0;
				v = v > was ? v - was : 0;
			}
		}
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
		r->passed = r->applies && !fail;
		if (!r->passed)
			g->passed = false;
	}
	return g->passed;
}
