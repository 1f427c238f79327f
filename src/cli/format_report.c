// SPDX-License-Identifier: MIT
// Input format "tt-leakcorr-report": a JSON report of ours (a --diff side or a --baseline), read whole.
#include <stdlib.h>

#include "lc/format.h"
#include "lc/jsonread.h"
#include "lc/util.h"

struct report_state {
	struct lc_buf text;
	struct lc_jval *doc;
	const char *path;
};

/* A report is one JSON object: the first byte that is not white space is '{'. */
static unsigned sniff(struct lc_span head)
{
	size_t i = 0;
	while (i < head.n && (head.p[i] == ' ' || head.p[i] == '\n' || head.p[i] == '\r' || head.p[i] == '\t'))
		i++;
	return i < head.n && head.p[i] == '{' ? 1000 : 0;
}

static void *create(const struct lc_format_config *cfg)
{
	(void)cfg;
	return lc_xcalloc(1, sizeof(struct report_state));
}

/* One report per state: a second input of this format in the same analysis replaces the first. */
static int feed(void *state, struct lc_reader *r, uint32_t input, const struct lc_line_hooks *hooks,
		struct lc_line_counts *counts, unsigned threads)
{
	struct report_state *s = state;
	struct lc_span line;
	int rc;
	(void)input;
	(void)hooks;
	(void)threads;
	lc_buf_reset(&s->text);
	while ((rc = lc_reader_next(r, &line)) > 0) {
		lc_buf_add(&s->text, line.p, line.n);
		lc_buf_addc(&s->text, '\n');
		counts->recognized++;
	}
	lc_jval_free(s->doc);
	s->doc = NULL;
	if (rc < 0)
		return rc;
	char err[160];
	s->doc = lc_json_parse(s->text.p ? s->text.p : "", s->text.n, err, sizeof err);
	if (!s->doc)
		lc_error("%s: not a JSON report: %s", lc_reader_path(r), err);
	else
		counts->events++;
	return rc;
}

static void finish(void *state, struct lc_results *out)
{
	struct report_state *s = state;
	out->report = s->doc;
}

static void destroy(void *state)
{
	struct report_state *s = state;
	if (!s)
		return;
	lc_buf_release(&s->text);
	lc_jval_free(s->doc);
	free(s);
}

const struct lc_input_format lc_format_report = {
	"tt-leakcorr-report", "report", sniff, create, feed, finish, destroy,
};
