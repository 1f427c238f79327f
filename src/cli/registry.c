// SPDX-License-Identifier: MIT
// Registries: input formats (sniffer + line consumer) and report writers, one table row each.
#include <string.h>

#include "lc/format.h"
#include "lc/report.h"

static int server_lines(struct lc_session *s, struct lc_reader *r, uint32_t input, const struct lc_line_hooks *hooks,
			struct lc_line_counts *counts, unsigned threads)
{
	return lc_server_lines(r, s->sparser, s->replay, input, hooks, counts, threads);
}

static void server_begin(struct lc_session *s)
{
	s->server_seen = true;
}

static void server_end(struct lc_session *s, uint32_t input)
{
	(void)s;
	(void)input;
}

static enum lc_line_class debug_line(struct lc_session *s, struct lc_span line, uint32_t input, uint64_t lineno,
				     const char **reason)
{
	struct lc_dblock b;
	bool done;
	enum lc_line_class c = lc_dparser_line(s->dparser, line, lineno, &b, &done, reason);
	if (done) {
		lc_lifetimes_apply(s->lifetimes, &b, input);
		s->blocks++;
	}
	return c;
}

static void debug_end(struct lc_session *s, uint32_t input)
{
	struct lc_dblock b;
	if (lc_dparser_finish(s->dparser, &b)) {
		lc_lifetimes_apply(s->lifetimes, &b, input);
		s->blocks++;
	}
}

static void debug_begin(struct lc_session *s)
{
	s->debug_seen = true;
}

static const struct lc_input_format formats[] = {
	{ "server-log", lc_server_log_sniff, NULL, server_lines, server_begin, server_end },
	{ "buffer-debug-log", lc_debug_log_sniff, debug_line, NULL, debug_begin, debug_end },
};

static const struct {
	const char *alias;
	size_t index;
} aliases[] = { { "server", 0 }, { "debug", 1 } };

const struct lc_input_format *lc_input_format_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(aliases[i].alias, name) == 0)
			return &formats[aliases[i].index];
	return NULL;
}

const struct lc_input_format *lc_input_format_detect(struct lc_span head)
{
	const struct lc_input_format *best = &formats[0];
	unsigned best_score = 0;
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		unsigned s = formats[i].sniff(head);
		if (s > best_score) {
			best = &formats[i];
			best_score = s;
		}
	}
	return best;
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
};

lc_report_fn lc_report_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++)
		if (strcmp(reports[i].name, name) == 0)
			return reports[i].fn;
	return NULL;
}

const char *lc_report_names(void)
{
	return "text, json, folded, junit, github, gitlab";
}
