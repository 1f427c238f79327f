// SPDX-License-Identifier: MIT
// GitHub Actions: workflow-command annotations, and a Markdown job summary.
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lc/ci_findings.h"
#include "lc/util.h"

/* Workflow-command escaping: data gets %, CR, LF escaped; properties also ':' and ','. */
static void gh_n(FILE *f, const char *s, size_t n, bool property)
{
	for (const char *end = s + n; s < end; s++) {
		if ((unsigned char)*s >= 0x80) {
			size_t len = lc_utf8_seq((const unsigned char *)s, (size_t)(end - s));
			if (len) {
				fwrite(s, 1, len, f);
				s += len - 1;
			} else {
				fputs("\xef\xbf\xbd", f);
			}
			continue;
		}
		switch (*s) {
		case '%': fputs("%25", f); break;
		case '\r': fputs("%0D", f); break;
		case '\n': fputs("%0A", f); break;
		case ':': property ? fputs("%3A", f) : fputc(':', f); break;
		case ',': property ? fputs("%2C", f) : fputc(',', f); break;
		case '\0': fputc('?', f); break;
		default: fputc(*s, f);
		}
	}
}

static void gh(FILE *f, const char *s, bool property)
{
	gh_n(f, s, strlen(s), property);
}

#define GITHUB_FRAMES 16      /* frames of the stack in an annotation's message */
#define GITHUB_FRAME_MAX 1000 /* bytes of one of them */

/* The whole stack, one frame a line, after the message's first line. */
static void gh_stack(FILE *f, const struct lc_stack *st)
{
	struct lc_buf b = { 0 };
	for (size_t i = 0; i < st->n && i < GITHUB_FRAMES; i++) {
		lc_buf_reset(&b);
		lc_buf_addc(&b, '\n');
		lc_ci_add_frame(&b, &st->frames[i], false, GITHUB_FRAME_MAX);
		gh_n(f, b.p, b.n, false);
	}
	if (st->n > GITHUB_FRAMES)
		fprintf(f, "%%0A... %zu more frames", st->n - GITHUB_FRAMES);
	lc_buf_release(&b);
}

#define GITHUB_CAP 10 /* annotations of one kind shown per step */

static void summary_markdown(const struct lc_report *r, const struct lc_finding *fs, size_t nf, FILE *f)
{
	enum lc_verdict v = lc_report_verdict(r);
	if (!lc_verdict_trusted(v)) {
		fprintf(f, "## tt-leakcorr: verdict %s\n\n", lc_verdict_name(v));
		for (size_t i = 0; i < r->ninputs; i++) {
			char msg[4096];
			if (lc_ci_input_problem(&r->inputs[i], msg, sizeof msg))
				fprintf(f, "- %s\n", msg);
		}
		fputc('\n', f);
	} else {
		fprintf(f, "## tt-leakcorr: %s\n\n", r->gate && !r->gate->passed ? "gate failed" : "gate passed");
	}
	if (r->gate && r->gate->nrules) {
		fputs("| rule | value | result |\n|---|---|---|\n", f);
		for (size_t i = 0; i < r->gate->nrules; i++)
			fprintf(f, "| `%s` | %" PRId64 " | %s |\n", r->gate->rules[i].text, r->gate->rules[i].value,
				r->gate->rules[i].passed ? "pass" : "**FAIL**");
		fputc('\n', f);
	}
	size_t shown = 0;
	for (size_t i = 0; i < nf; i++) {
		if (fs[i].rule)
			continue;
		if (!shown++)
			fputs("| status | buffers | bytes | growth | call site |\n|---|---|---|---|---|\n", f);
		char a[32], b[32];
		fprintf(f, "| %s | %" PRIu64 " | %s | +%s | `", fs[i].status, fs[i].now.buffers,
			lc_human_bytes(fs[i].now.bytes, a, sizeof a), lc_human_bytes(fs[i].growth, b, sizeof b));
		for (const char *p = fs[i].name; *p; p++)
			fputc(*p == '|' ? '/' : *p == '`' ? '\'' : *p, f); /* the table and the code span stay whole */
		fputs("` |\n", f);
		if (shown == 50)
			break;
	}
	if (!shown)
		fputs("No leak sites to report.\n", f);
}

void lc_report_github(const struct lc_report *r, FILE *f)
{
	size_t nf;
	struct lc_finding *fs = lc_findings(r, &nf);
	size_t shown = nf < GITHUB_CAP ? nf : GITHUB_CAP;
	for (size_t i = 0; i < r->ninputs; i++) {
		char msg[4096];
		if (!lc_ci_input_problem(&r->inputs[i], msg, sizeof msg))
			continue;
		fputs("::error title=", f);
		gh(f, "tt-leakcorr: the verdict is ", true);
		gh(f, lc_verdict_name(lc_report_verdict(r)), true);
		fputs("::", f);
		gh(f, msg, false);
		fputc('\n', f);
	}
	for (size_t i = 0; i < shown; i++) {
		char msg[1024], a[32], b[32];
		if (fs[i].rule) {
			fputs("::error title=", f);
			gh(f, "tt-leakcorr gate rule failed", true);
			snprintf(msg, sizeof msg, "%s: value %" PRId64 " (limit %s %" PRId64 ")", fs[i].r->text, fs[i].r->value,
				 lc_ci_op_name(fs[i].r->op), fs[i].r->limit);
		} else {
			/* The title names the site, so that each annotation says which one it is. */
			fputs(r->gate && r->gate->passed ? "::warning title=" : "::error title=", f);
			snprintf(msg, sizeof msg, "tt-leakcorr: %s leak at ", fs[i].status);
			gh(f, msg, true);
			gh(f, fs[i].name, true);
			snprintf(msg, sizeof msg, "%" PRIu64 " buffers, %s (+%s) allocated at:", fs[i].now.buffers,
				 lc_human_bytes(fs[i].now.bytes, a, sizeof a), lc_human_bytes(fs[i].growth, b, sizeof b));
		}
		fputs("::", f);
		gh(f, msg, false);
		if (!fs[i].rule)
			gh_stack(f, fs[i].key);
		fputc('\n', f);
	}
	if (nf > shown)
		fprintf(f, "::notice title=tt-leakcorr::%zu more findings not shown (GitHub shows %d annotations per step); see the job summary or --format json\n",
			nf - shown, GITHUB_CAP);
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	if (path && *path) {
		FILE *s = fopen(path, "a");
		if (!s) {
			lc_warn("%s: cannot append the job summary", path);
		} else {
			summary_markdown(r, fs, nf, s);
			if (fclose(s) != 0)
				lc_warn("%s: write error", path);
		}
	}
	lc_findings_free(fs, nf);
}
