// SPDX-License-Identifier: MIT
// CI formats: findings (failed rules, leak groups that grew), JUnit XML, GitHub annotations, GitLab Code Quality.
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lc/json.h"
#include "lc/report.h"
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
	*n = k;
	return v;
}

static const char *op_name(enum lc_op op)
{
	static const char *const names[] = { ">", ">=", "<", "<=", "==", "!=" };
	return names[op];
}

/* The first frame of a group key (its call site), for titles. */
static void first_frame(const struct lc_stack *st, char *out, size_t outsz)
{
	const char *key = st->n ? st->frames[0].p : "";
	size_t n = st->n ? st->frames[0].n : 0;
	if (n == 0) {
		snprintf(out, outsz, "(no frames)");
		return;
	}
	/* Whole UTF-8 characters only; a byte that is not UTF-8 becomes '?' (titles, Markdown). */
	size_t o = 0;
	const unsigned char *k = (const unsigned char *)key;
	for (size_t i = 0; i < n;) {
		size_t len = lc_utf8_seq(k + i, n - i);
		if (o + (len ? len : 1) >= outsz)
			break;
		if (len) {
			memcpy(out + o, key + i, len);
			o += len;
			i += len;
		} else {
			out[o++] = '?';
			i++;
		}
	}
	out[o] = '\0';
}

/* ---------- JUnit XML ---------- */

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

/*
 * True when an input cannot carry the verdict (lc_doubt, or cut short); writes why into buf
 * (buf may be NULL to only ask).
 */
static bool input_problem(const struct lc_input_info *in, char *buf, size_t n)
{
	if (in->doubt == LC_DOUBT_NONE && !in->error && !in->truncated)
		return false;
	if (buf)
		lc_input_doubt_text(in, buf, n);
	return true;
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
		nbad += input_problem(&r->inputs[i], NULL, 0);
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
		if (!input_problem(&r->inputs[i], msg, sizeof msg))
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
			x->value, op_name(x->op), x->limit);
		fprintf(f, "rule failed: %s (value %" PRId64 ")", x->text, x->value);
		fputs("</failure>\n    </testcase>\n", f);
	}
	for (size_t i = 0; i < nf; i++) {
		if (fs[i].rule)
			continue;
		char site[512];
		first_frame(fs[i].key, site, sizeof site);
		char now[32], grow[32];
		fputs("    <testcase classname=\"tt-leakcorr.leaks\" name=\"", f);
		xmls(f, site);
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
	free(fs);
}

/* ---------- GitHub Actions ---------- */

/* Workflow-command escaping: data gets %, CR, LF escaped; properties also ':' and ','. */
static void gh(FILE *f, const char *s, bool property)
{
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80) {
			size_t len = lc_utf8_seq((const unsigned char *)s, strlen(s));
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
		default: fputc(*s, f);
		}
	}
}

#define GITHUB_CAP 10 /* annotations of one kind shown per step */

static void summary_markdown(const struct lc_report *r, const struct lc_finding *fs, size_t nf, FILE *f)
{
	enum lc_verdict v = lc_report_verdict(r);
	if (!lc_verdict_trusted(v)) {
		fprintf(f, "## tt-leakcorr: verdict %s\n\n", lc_verdict_name(v));
		for (size_t i = 0; i < r->ninputs; i++) {
			char msg[4096];
			if (input_problem(&r->inputs[i], msg, sizeof msg))
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
		char site[300], a[32], b[32];
		first_frame(fs[i].key, site, sizeof site);
		for (char *p = site; *p; p++)
			if (*p == '|')
				*p = '/';
		fprintf(f, "| %s | %" PRIu64 " | %s | +%s | `%s` |\n", fs[i].status, fs[i].now.buffers,
			lc_human_bytes(fs[i].now.bytes, a, sizeof a), lc_human_bytes(fs[i].growth, b, sizeof b), site);
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
		if (!input_problem(&r->inputs[i], msg, sizeof msg))
			continue;
		fputs("::error title=", f);
		gh(f, "tt-leakcorr: the verdict is ", true);
		gh(f, lc_verdict_name(lc_report_verdict(r)), true);
		fputs("::", f);
		gh(f, msg, false);
		fputc('\n', f);
	}
	for (size_t i = 0; i < shown; i++) {
		char msg[1024], a[32], b[32], site[600];
		if (fs[i].rule) {
			fputs("::error title=", f);
			gh(f, "tt-leakcorr gate rule failed", true);
			snprintf(msg, sizeof msg, "%s: value %" PRId64 " (limit %s %" PRId64 ")", fs[i].r->text, fs[i].r->value,
				 op_name(fs[i].r->op), fs[i].r->limit);
		} else {
			fputs(r->gate && r->gate->passed ? "::warning title=" : "::error title=", f);
			snprintf(msg, sizeof msg, "tt-leakcorr: %s leak site", fs[i].status);
			gh(f, msg, true);
			first_frame(fs[i].key, site, sizeof site);
			snprintf(msg, sizeof msg, "%" PRIu64 " buffers, %s (+%s) allocated at %s", fs[i].now.buffers,
				 lc_human_bytes(fs[i].now.bytes, a, sizeof a), lc_human_bytes(fs[i].growth, b, sizeof b), site);
		}
		fputs("::", f);
		gh(f, msg, false);
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
	free(fs);
}

/* ---------- GitLab Code Quality ---------- */

/* FNV-1a, 64 bits: a stable fingerprint from device, kind and call site (never addresses). */
static uint64_t fnv_add(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t fnv(uint64_t h, const char *s)
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

/* One Code Quality issue, located at the first line of path. */
static void gitlab_issue(struct lc_json *j, const char *desc, const char *check, const char *fp, const char *severity,
			 const char *path)
{
	lc_json_begin_object(j);
	lc_json_key(j, "description");
	lc_json_cstr(j, desc);
	lc_json_key(j, "check_name");
	lc_json_cstr(j, check);
	lc_json_key(j, "fingerprint");
	lc_json_cstr(j, fp);
	lc_json_key(j, "severity");
	lc_json_cstr(j, severity);
	lc_json_key(j, "location");
	lc_json_begin_object(j);
	lc_json_key(j, "path");
	lc_json_cstr(j, path);
	lc_json_key(j, "lines");
	lc_json_begin_object(j);
	lc_json_key(j, "begin");
	lc_json_u64(j, 1);
	lc_json_end_object(j);
	lc_json_end_object(j);
	lc_json_end_object(j);
}

void lc_report_gitlab(const struct lc_report *r, FILE *f)
{
	size_t nf;
	struct lc_finding *fs = lc_findings(r, &nf);
	struct lc_json j;
	lc_json_init(&j, f);
	lc_json_begin_array(&j, false);
	const char *path = r->ninputs ? r->inputs[r->ninputs - 1].path : "-";
	for (size_t i = 0; i < r->ninputs; i++) {
		char msg[4096], fp[40];
		if (!input_problem(&r->inputs[i], msg, sizeof msg))
			continue;
		snprintf(fp, sizeof fp, "%016" PRIx64, fnv(fnv(0xcbf29ce484222325ull, "tt-leakcorr-input"), r->inputs[i].path));
		gitlab_issue(&j, msg, "tt-leakcorr-input", fp, "blocker", r->inputs[i].path);
	}
	for (size_t i = 0; i < nf; i++) {
		char desc[1024], fp[40], site[600], a[32], b[32];
		uint64_t h = 0xcbf29ce484222325ull;
		const char *check;
		if (fs[i].rule) {
			check = "tt-leakcorr-gate";
			snprintf(desc, sizeof desc, "tt-leakcorr gate rule failed: %s (value %" PRId64 ")", fs[i].r->text,
				 fs[i].r->value);
			h = fnv(fnv(h, check), fs[i].r->text);
		} else {
			check = "tt-leakcorr-leak";
			first_frame(fs[i].key, site, sizeof site);
			snprintf(desc, sizeof desc, "%s leak site: %" PRIu64 " buffers, %s (+%s) at %s", fs[i].status,
				 fs[i].now.buffers, lc_human_bytes(fs[i].now.bytes, a, sizeof a),
				 lc_human_bytes(fs[i].growth, b, sizeof b), site);
			/* the key already names device and type for server-only groups, the stack otherwise */
			h = fnv_stack(fnv(h, check), fs[i].key);
		}
		snprintf(fp, sizeof fp, "%016" PRIx64, h);
		gitlab_issue(&j, desc, check, fp,
			     fs[i].rule ? "blocker" : (strcmp(fs[i].status, "new") == 0 ? "critical" : "major"), path);
	}
	lc_json_end_array(&j);
	lc_json_finish(&j);
	free(fs);
}
