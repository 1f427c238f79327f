// SPDX-License-Identifier: MIT
// GitLab Code Quality: a JSON array of issues with stable fingerprints.
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lc/json.h"
#include "lc/ci_findings.h"
#include "lc/util.h"

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
		if (!lc_ci_input_problem(&r->inputs[i], msg, sizeof msg))
			continue;
		snprintf(fp, sizeof fp, "%016" PRIx64, lc_ci_fnv(lc_ci_fnv(0xcbf29ce484222325ull, "tt-leakcorr-input"), r->inputs[i].path));
		gitlab_issue(&j, msg, "tt-leakcorr-input", fp, "blocker", r->inputs[i].path);
	}
	for (size_t i = 0; i < nf; i++) {
		char desc[1024], fp[40], a[32], b[32];
		uint64_t h = 0xcbf29ce484222325ull;
		const char *check;
		if (fs[i].rule) {
			check = "tt-leakcorr-gate";
			snprintf(desc, sizeof desc, "tt-leakcorr gate rule failed: %s (value %" PRId64 ")", fs[i].r->text,
				 fs[i].r->value);
			h = lc_ci_fnv(lc_ci_fnv(h, check), fs[i].r->text);
		} else {
			check = "tt-leakcorr-leak";
			snprintf(desc, sizeof desc, "%s leak site: %" PRIu64 " buffers, %s (+%s) at %s", fs[i].status,
				 fs[i].now.buffers, lc_human_bytes(fs[i].now.bytes, a, sizeof a),
				 lc_human_bytes(fs[i].growth, b, sizeof b), fs[i].name);
			/* the key already names device and type for server-only groups, the stack otherwise;
			   the whole stack, not the name, which depends on the other groups of the run */
			h = lc_ci_leak_fingerprint(fs[i].key);
		}
		snprintf(fp, sizeof fp, "%016" PRIx64, h);
		gitlab_issue(&j, desc, check, fp,
			     fs[i].rule ? "blocker" : (strcmp(fs[i].status, "new") == 0 ? "critical" : "major"), path);
	}
	lc_json_end_array(&j);
	lc_json_finish(&j);
	lc_findings_free(fs, nf);
}
