// SPDX-License-Identifier: MIT
// The JUnit XML report: one test case per failed rule, leak group and doubtful input.
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lc/ci_findings.h"
#include "lc/util.h"

static void xml(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			size_t len = lc_utf8_seq((const unsigned char *)s + i, n - i);
			if (len) {
				fwrite(s + i, 1, len, f);
				i += len - 1;
			} else {
				fputs("\xef\xbf\xbd", f); /* U+FFFD: the document stays UTF-8 */
			}
			continue;
		}
		switch (c) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\n': fputs("&#10;", f); break;
		default:
			if (c < 0x20 && c != '\t')
				fputc('?', f); /* XML 1.0 cannot carry other control characters */
			else
				fputc(c, f);
		}
	}
}

static void xmls(FILE *f, const char *s)
{
	xml(f, s, strlen(s));
}

/* A stack's frames, one per line (&#10;). */
static void xml_stack(FILE *f, const struct lc_stack *st)
{
	for (size_t i = 0; i < st->n; i++) {
		if (i)
			xml(f, "\n", 1);
		xml(f, st->frames[i].p, st->frames[i].n);
	}
}

void lc_report_junit(const struct lc_report *r, FILE *f)
{
	size_t nf;
	struct lc_finding *fs = lc_findings(r, &nf);
	size_t nrules = r->gate ? r->gate->nrules : 0;
	size_t nsites = 0, failures = 0;
	for (size_t i = 0; i < nf; i++)
		nsites += !fs[i].rule;
	for (size_t i = 0; i < nrules; i++)
		failures += !r->gate->rules[i].passed;
	failures += nsites;
	size_t nbad = 0;
	for (size_t i = 0; i < r->ninputs; i++)
		nbad += lc_ci_input_problem(&r->inputs[i], NULL, 0);
	failures += nbad;
	size_t tests = nrules + nsites + nbad;
	if (tests == 0)
		tests = 1; /* one passing case says that the check ran */
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"tt-leakcorr\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"0\">\n", tests, failures);
	fprintf(f, "  <testsuite name=\"tt-leakcorr\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"0\">\n",
		tests, failures);
	for (size_t i = 0; i < r->ninputs; i++) {
		char msg[4096];
		if (!lc_ci_input_problem(&r->inputs[i], msg, sizeof msg))
			continue;
		fputs("    <testcase classname=\"tt-leakcorr.inputs\" name=\"", f);
		xmls(f, r->inputs[i].path);
		fputs("\" time=\"0\">\n      <failure type=\"", f);
		xmls(f, lc_verdict_name(lc_report_verdict(r)));
		fputs("\" message=\"", f);
		xmls(f, msg);
		fputs("\">", f);
		xmls(f, msg);
		fputs("</failure>\n    </testcase>\n", f);
	}
	for (size_t i = 0; i < nrules; i++) {
		const struct lc_rule *x = &r->gate->rules[i];
		fputs("    <testcase classname=\"tt-leakcorr.gate\" name=\"", f);
		xmls(f, x->text);
		fputs("\" time=\"0\"", f);
		if (x->passed) {
			fputs("/>\n", f);
			continue;
		}
		fprintf(f, ">\n      <failure type=\"gate\" message=\"%s = %" PRId64 ", limit %s %" PRId64 "\">", x->metric,
			x->value, lc_ci_op_name(x->op), x->limit);
		fprintf(f, "rule failed: %s (value %" PRId64 ")", x->text, x->value);
		fputs("</failure>\n    </testcase>\n", f);
	}
	for (size_t i = 0; i < nf; i++) {
		if (fs[i].rule)
			continue;
		char now[32], grow[32];
		fputs("    <testcase classname=\"tt-leakcorr.leaks\" name=\"", f);
		xmls(f, fs[i].name);
		fputs("\" time=\"0\">\n      <failure type=\"", f);
		xmls(f, fs[i].status);
		fprintf(f, "\" message=\"%s leak site: %" PRIu64 " buffers, %s (+%s)\">", fs[i].status, fs[i].now.buffers,
			lc_human_bytes(fs[i].now.bytes, now, sizeof now), lc_human_bytes(fs[i].growth, grow, sizeof grow));
		fprintf(f, "%" PRIu64 " buffers, %" PRIu64 " bytes (before: %" PRIu64 " buffers, %" PRIu64 " bytes)&#10;",
			fs[i].now.buffers, fs[i].now.bytes, fs[i].before.buffers, fs[i].before.bytes);
		xml_stack(f, fs[i].key);
		fputs("</failure>\n    </testcase>\n", f);
	}
	if (nrules + nsites + nbad == 0)
		fputs("    <testcase classname=\"tt-leakcorr.leaks\" name=\"no leaks\" time=\"0\"/>\n", f);
	fputs("  </testsuite>\n</testsuites>\n", f);
	lc_findings_free(fs, nf);
}
