// SPDX-License-Identifier: MIT
// Registries: input formats and report writers, one table row each; names in messages come from here.
#include <stdio.h>
#include <string.h>

#include "lc/format.h"
#include "lc/report.h"
#include "lc/util.h"

/* Detection order: ties go to the first row, and nothing scoring means the first row. */
static const struct lc_input_format *const formats[] = {
	&lc_format_server_log,
	&lc_format_debug_log,
	&lc_format_report,
};
#define NFORMATS (sizeof formats / sizeof formats[0])
_Static_assert(NFORMATS <= LC_MAX_FORMATS, "raise LC_MAX_FORMATS");

const struct lc_input_format *lc_input_format_lookup(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i]->name, name) == 0 || (formats[i]->alias && strcmp(formats[i]->alias, name) == 0))
			return formats[i];
	return NULL;
}

const struct lc_input_format *lc_input_format_detect(struct lc_span head)
{
	const struct lc_input_format *best = formats[0];
	unsigned best_score = 0;
	for (size_t i = 0; i < NFORMATS; i++) {
		unsigned s = formats[i]->sniff(head);
		if (s > best_score) {
			best = formats[i];
			best_score = s;
		}
	}
	return best;
}

/* "a, b, c" from a table of names, built once. */
static const char *join_names(char *buf, size_t n, const char *const *names, size_t count)
{
	if (buf[0])
		return buf;
	size_t len = 0;
	for (size_t i = 0; i < count && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", names[i]);
	return buf;
}

const char *lc_input_format_names(void)
{
	static char buf[256];
	const char *names[NFORMATS];
	for (size_t i = 0; i < NFORMATS; i++)
		names[i] = formats[i]->name;
	return join_names(buf, sizeof buf, names, NFORMATS);
}

static size_t index_of(const struct lc_input_format *fmt)
{
	size_t i = 0;
	while (i < NFORMATS && formats[i] != fmt)
		i++;
	return i;
}

int lc_session_init(struct lc_session *s, const struct lc_format_config *cfg)
{
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < NFORMATS; i++) {
		s->state[i] = formats[i]->create(cfg);
		if (!s->state[i]) {
			lc_session_release(s);
			return -1;
		}
	}
	return 0;
}

int lc_session_feed(struct lc_session *s, const struct lc_input_format *fmt, struct lc_reader *r, uint32_t input,
		    const struct lc_line_hooks *hooks, struct lc_line_counts *counts, unsigned threads)
{
	size_t i = index_of(fmt);
	s->used[i] = true;
	return fmt->feed(s->state[i], r, input, hooks, counts, threads);
}

void lc_session_finish(struct lc_session *s, struct lc_results *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < NFORMATS; i++)
		if (s->used[i])
			formats[i]->finish(s->state[i], out);
}

void lc_session_release(struct lc_session *s)
{
	for (size_t i = 0; i < NFORMATS; i++)
		formats[i]->destroy(s->state[i]);
	memset(s, 0, sizeof *s);
}

static const struct {
	const char *name;
	lc_report_fn fn;
} reports[] = {
	{ "text", lc_report_text },
	{ "json", lc_report_json },
	{ "folded", lc_report_folded },
	{ "junit", lc_report_junit },
	{ "github", lc_report_github },
	{ "gitlab", lc_report_gitlab },
	{ "html", lc_report_html },
};
#define NREPORTS (sizeof reports / sizeof reports[0])

lc_report_fn lc_report_lookup(const char *name)
{
	for (size_t i = 0; i < NREPORTS; i++)
		if (strcmp(reports[i].name, name) == 0)
			return reports[i].fn;
	return NULL;
}

const char *lc_report_names(void)
{
	static char buf[256];
	const char *names[NREPORTS];
	for (size_t i = 0; i < NREPORTS; i++)
		names[i] = reports[i].name;
	return join_names(buf, sizeof buf, names, NREPORTS);
}
