// SPDX-License-Identifier: MIT
// The run: inputs in command-line order through their format's parser into the core, then one report.
#include "lc/run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lc/format.h"
#include "lc/model.h"
#include "lc/reader.h"
#include "lc/report.h"

#define SNIFF_BYTES (64u * 1024u)

struct run_state {
	const struct lc_options *opt;
	struct lc_session s;
	struct lc_input_info *inputs;
	size_t diagnostics;
	int status;
};

static void read_input(struct run_state *st, uint32_t index)
{
	const struct lc_options *opt = st->opt;
	struct lc_input_info *in = &st->inputs[index];
	in->path = opt->inputs[index];
	const struct lc_input_format *fmt = opt->input_format ? lc_input_format_lookup(opt->input_format) : NULL;
	in->format = fmt ? fmt->name : "server-log";

	struct lc_reader *r = lc_reader_open(in->path);
	if (!r) {
		in->error = "cannot be read";
		in->truncated = true;
		st->status = LC_EXIT_ERROR;
		return;
	}
	if (!fmt) {
		struct lc_span head;
		lc_reader_peek(r, SNIFF_BYTES, &head);
		fmt = lc_input_format_detect(head);
		in->format = fmt->name;
	}
	fmt->begin(&st->s);
	struct lc_span line;
	int rc;
	while ((rc = lc_reader_next(r, &line)) > 0) {
		const char *reason = NULL;
		uint64_t lineno = lc_reader_lineno(r);
		switch (fmt->line(&st->s, line, index, lineno, &reason)) {
		case LC_LINE_RECOGNIZED:
			in->recognized++;
			break;
		case LC_LINE_FOREIGN:
			in->foreign++;
			break;
		case LC_LINE_MALFORMED:
			in->malformed++;
			if (st->diagnostics++ < opt->max_diagnostics)
				lc_warn("%s:%llu: %s", in->path, (unsigned long long)lineno,
					reason ? reason : "malformed line");
			break;
		}
	}
	fmt->end(&st->s, index);
	in->lines = lc_reader_lineno(r);
	in->bytes = lc_reader_bytes(r);
	in->compressed = lc_reader_compressed(r);
	in->truncated = lc_reader_truncated(r);
	if (rc < 0 || in->truncated) {
		in->error = "truncated or unreadable";
		st->status = LC_EXIT_ERROR;
	}
	if (in->lines >= 20 && in->recognized * 50 < in->lines)
		lc_warn("%s: only %llu of %llu lines look like a %s; is this the right file or --input-format?", in->path,
			(unsigned long long)in->recognized, (unsigned long long)in->lines, fmt->name);
	lc_reader_destroy(r);
}

static int write_report(const struct lc_options *opt, const struct lc_report *rep)
{
	lc_report_fn fn = lc_report_lookup(opt->format);
	FILE *f = stdout;
	if (opt->output) {
		f = fopen(opt->output, "w");
		if (!f)
			return lc_error("%s: %s", opt->output, strerror(errno));
	}
	errno = 0;
	fn(rep, f);
	int err = ferror(f) ? (errno ? errno : EIO) : 0;
	if (fflush(f) != 0 && !err)
		err = errno ? errno : EIO;
	if (f != stdout && fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	if (err)
		return lc_error("%s: write error: %s", opt->output ? opt->output : "standard output", strerror(err));
	return 0;
}

int lc_run(const struct lc_options *opt)
{
	struct run_state st = { .opt = opt, .status = LC_EXIT_OK };
	if (!lc_report_lookup(opt->format)) {
		lc_error("unknown report format '%s' (known: %s)", opt->format, lc_report_names());
		return LC_EXIT_ERROR;
	}
	if (opt->input_format && !lc_input_format_lookup(opt->input_format)) {
		lc_error("unknown input format '%s' (known: server-log, buffer-debug-log)", opt->input_format);
		return LC_EXIT_ERROR;
	}
	struct lc_lifetimes_config lcfg = { .stack_depth = opt->stack_depth, .skip_frames = opt->skip_frames,
					    .nskip = opt->nskip, .all_allocations = opt->all_allocations };
	st.s.lifetimes = lc_lifetimes_create(&lcfg);
	if (!st.s.lifetimes)
		return LC_EXIT_ERROR;
	struct lc_replay_config rc = { .at_dump = opt->at_dump };
	st.s.sparser = lc_sparser_create();
	st.s.replay = lc_replay_create(&rc);
	st.s.dparser = lc_dparser_create();
	st.inputs = lc_xcalloc(opt->ninputs ? opt->ninputs : 1, sizeof *st.inputs);

	for (size_t i = 0; i < opt->ninputs; i++)
		read_input(&st, (uint32_t)i);
	if (st.diagnostics > opt->max_diagnostics)
		lc_warn("%zu malformed lines in all; the first %zu are shown above", st.diagnostics, opt->max_diagnostics);

	struct lc_server_model *m = lc_replay_finish(st.s.replay);
	const struct lc_debug_model *dm = st.s.debug_seen ? lc_lifetimes_finish(st.s.lifetimes) : NULL;
	if (dm && st.s.server_seen)
		lc_join(m, dm);
	if (st.s.server_seen) {
		for (size_t i = 0; i < m->nimplausible && i < opt->max_diagnostics; i++)
			lc_warn("%s:%llu: %s (accepted)", st.inputs[m->implausible[i].input].path,
				(unsigned long long)m->implausible[i].line, m->implausible[i].text);
		if (m->saturated)
			lc_warn("a byte sum passed 2^64-1; it is reported as 18446744073709551615");
	}
	struct lc_report rep = {
		.version = LC_VERSION,
		.inputs = st.inputs,
		.ninputs = opt->ninputs,
		.server = st.s.server_seen ? m : NULL,
		.debug = dm,
		.at_dump = opt->at_dump,
		.top = opt->top,
		.stack_depth = opt->stack_depth,
		.skip_frames = opt->skip_frames,
		.nskip = opt->nskip,
		.by_stack = opt->by_stack,
		.weight_count = opt->weight_count,
	};
	if (write_report(opt, &rep) < 0)
		st.status = LC_EXIT_ERROR;

	lc_replay_destroy(st.s.replay);
	lc_sparser_destroy(st.s.sparser);
	lc_dparser_destroy(st.s.dparser);
	lc_lifetimes_destroy(st.s.lifetimes);
	free(st.inputs);
	return st.status;
}
