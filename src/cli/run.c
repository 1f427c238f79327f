// SPDX-License-Identifier: MIT
// The run: inputs in command-line order through their format's parser into the core, then one report.
#include "lc/run.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lc/evidence.h"
#include "lc/filter.h"
#include "lc/format.h"
#include "lc/gate.h"
#include "lc/join.h"
#include "lc/jsonread.h"
#include "lc/model.h"
#include "lc/reader.h"
#include "lc/report.h"
#include "lc/side.h"
#include "refuse.h"

#define SNIFF_BYTES (64u * 1024u)

/* One analysis: a set of inputs read as one stream into one session. */
struct analysis {
	const struct lc_options *opt;
	struct lc_session s;
	struct lc_results res;
	struct lc_input_info *inputs; /* points into the run's array */
	size_t ninputs;
	size_t *diagnostics;
	int status;
	struct lc_server_model *sm;
	struct lc_debug_model *dm;
	struct lc_filter_state narrowed; /* the models narrowed by the filter, put back at release */
	bool type_seen;
	struct lc_history *history;   /* --address, or NULL; owned */
	unsigned threads;
	/* progress of the input being read, on the thread that reads it */
	const char *cur_path;
	double t0, last;
	bool progress_shown;
};

#define PROGRESS_AUTO_BYTES (256u * 1024u * 1024u)

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void on_malformed(void *ctx, uint64_t lineno, const char *reason)
{
	struct analysis *a = ctx;
	if ((*a->diagnostics)++ < a->opt->max_diagnostics)
		lc_warn("%s:%llu: %s", a->cur_path, (unsigned long long)lineno, reason ? reason : "malformed line");
}

/*
 * "input k of N" when the run reads several inputs. A --diff reads each side in an analysis of
 * its own, so k is found from the path pointer, which is the command line's.
 */
static void input_of(const struct analysis *a, char *buf, size_t n)
{
	buf[0] = '\0';
	size_t total = a->opt->ninputs;
	for (size_t i = 0; total > 1 && i < total; i++)
		if (a->opt->inputs[i] == a->cur_path) {
			snprintf(buf, n, "input %zu of %zu", i + 1, total);
			return;
		}
}

/*
 * The progress line: on a terminal it is redrawn in place for inputs over 256 MB; --progress
 * prints it anywhere (as whole lines when stderr is not a terminal); --no-progress never.
 */
static void on_progress(void *ctx, const struct lc_reader *r, uint64_t events)
{
	struct analysis *a = ctx;
	if (a->opt->progress == LC_PROGRESS_OFF)
		return;
	bool tty = isatty(STDERR_FILENO);
	uint64_t size = lc_reader_file_size(r), bytes = lc_reader_bytes(r);
	if (a->opt->progress == LC_PROGRESS_AUTO && (!tty || (size < PROGRESS_AUTO_BYTES && bytes < PROGRESS_AUTO_BYTES)))
		return;
	double t = now_s();
	if (t - a->last < (tty ? 0.25 : 2.0))
		return;
	a->last = t;
	char pct[32] = "", which[64];
	if (size)
		snprintf(pct, sizeof pct, " (%.0f%%)", 100.0 * (double)lc_reader_file_offset(r) / (double)size);
	input_of(a, which, sizeof which);
	double el = t - a->t0 > 1e-6 ? t - a->t0 : 1e-6;
	fprintf(stderr, "%stt-leakcorr: %s: %s%s%.1f MB%s, %.0f MB/s, %llu events%s", tty ? "\r" : "", a->cur_path,
		which, *which ? ", " : "", (double)bytes / 1e6, pct, (double)bytes / 1e6 / el, (unsigned long long)events,
		tty ? "\033[K" : "\n");
	fflush(stderr);
	a->progress_shown = tty;
}

/*
 * The end of one input: on a terminal the line is erased; off a terminal --progress ends the
 * input with a line of its totals, so a CI log shows every input was read through.
 */
static void progress_done(struct analysis *a, const struct lc_reader *r, const struct lc_line_counts *c)
{
	if (a->progress_shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		a->progress_shown = false;
	}
	if (a->opt->progress != LC_PROGRESS_ON || isatty(STDERR_FILENO))
		return;
	char which[64];
	input_of(a, which, sizeof which);
	fprintf(stderr, "tt-leakcorr: %s: %s%sdone, %.1f MB, %llu lines, %llu events in %.1f s\n", a->cur_path, which,
		*which ? " " : "", (double)lc_reader_bytes(r) / 1e6, (unsigned long long)lc_reader_lineno(r),
		(unsigned long long)c->events, now_s() - a->t0);
	fflush(stderr);
}

static void read_input(struct analysis *a, uint32_t index, const char *path)
{
	const struct lc_options *opt = a->opt;
	struct lc_input_info *in = &a->inputs[index];
	in->path = path;
	const struct lc_input_format *fmt = opt->input_format ? lc_input_format_lookup(opt->input_format) : NULL;
	in->format = fmt ? fmt->name : "server-log";
	in->forced = fmt != NULL;

	struct lc_reader *r = lc_reader_open_threads(in->path, a->threads);
	if (!r) {
		in->error = "cannot be read";
		in->truncated = true;
		a->status = LC_EXIT_ERROR;
		return;
	}
	if (!fmt) {
		struct lc_span head;
		lc_reader_peek(r, SNIFF_BYTES, &head);
		fmt = lc_input_format_detect(head);
		in->format = fmt->name;
	}
	a->cur_path = in->path;
	a->t0 = now_s();
	a->last = a->t0 - 10.0; /* the first tick may already show the line */
	struct lc_line_hooks hooks = { on_malformed, on_progress, a };
	struct lc_line_counts counts = { 0 };
	int rc = lc_session_feed(&a->s, fmt, r, index, &hooks, &counts, a->threads);
	in->recognized = counts.recognized;
	in->foreign = counts.foreign;
	in->malformed = counts.malformed;
	in->joined = counts.joined;
	progress_done(a, r, &counts);
	in->events = counts.events;
	in->trivial = counts.trivial;
	in->lines = lc_reader_lineno(r);
	in->bytes = lc_reader_bytes(r);
	in->compressed = lc_reader_compressed(r);
	in->truncated = lc_reader_truncated(r);
	if (rc < 0 || in->truncated) {
		in->error = "truncated or unreadable";
		a->status = LC_EXIT_ERROR;
	}
	lc_reader_destroy(r);
}

/*
 * Marks each log input a verdict cannot rest on (lc_doubt), says why on stderr, and makes the
 * exit status 2: a verdict never claims more than was read.
 */
static void judge_inputs(struct analysis *a)
{
	for (size_t i = 0; i < a->ninputs; i++) {
		struct lc_input_info *in = &a->inputs[i];
		if (in->error)
			continue;
		if (in->events == 0)
			in->doubt = in->lines ? LC_DOUBT_NO_EVENTS : a->opt->allow_empty ? LC_DOUBT_NONE : LC_DOUBT_EMPTY;
		else if (lc_input_evidence(in) * LC_SPARSE_RATIO < in->lines)
			in->doubt = LC_DOUBT_SPARSE;
		if (in->doubt == LC_DOUBT_NONE)
			continue;
		char msg[PATH_MAX + 256];
		lc_input_doubt_text(in, msg, sizeof msg);
		lc_error("%s", msg);
		a->status = LC_EXIT_ERROR;
	}
}

static int analysis_init(struct analysis *a, const struct lc_options *opt, struct lc_input_info *inputs,
			 size_t *diagnostics)
{
	memset(a, 0, sizeof *a);
	a->opt = opt;
	a->inputs = inputs;
	a->diagnostics = diagnostics;
	a->threads = opt->threads ? opt->threads : sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
	if (opt->has_address)
		a->history = lc_history_create(opt->address, opt->has_device, opt->device, 0);
	struct lc_format_config cfg = { .at_dump = opt->at_dump, .stack_depth = opt->stack_depth,
					.skip_frames = opt->skip_frames, .nskip = opt->nskip,
					.all_allocations = opt->all_allocations, .no_jit = opt->no_jit,
					.history = a->history, .timeline_points = opt->timeline_points,
					.temporary = opt->temporary };
	if (lc_session_init(&a->s, &cfg) < 0) {
		lc_history_destroy(a->history);
		a->history = NULL;
		return -1;
	}
	return 0;
}

static void analysis_run(struct analysis *a, const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		read_input(a, (uint32_t)i, paths[i]);
	a->ninputs = n;
	judge_inputs(a);
	lc_session_finish(&a->s, &a->res);
	a->sm = a->res.server;
	a->dm = a->res.debug;
	if (a->res.failed)
		a->status = LC_EXIT_ERROR;
	if (a->dm && a->sm)
		lc_join(a->sm, a->dm);
	if (a->opt->at_dump && !a->res.report && (!a->sm || a->sm->events.dumps < a->opt->at_dump)) {
		lc_error("--at-dump %llu: the input%s only %llu DUMP_REMAINING block%s; the dump lifecycle needs one "
			 "that exists",
			 (unsigned long long)a->opt->at_dump, a->ninputs == 1 ? " has" : "s have",
			 (unsigned long long)(a->sm ? a->sm->events.dumps : 0),
			 a->sm && a->sm->events.dumps == 1 ? "" : "s");
		a->status = LC_EXIT_ERROR;
	}
	if (a->dm && a->dm->saturated)
		lc_warn("a byte sum of the buffer debug log passed 2^64-1; it is reported as 18446744073709551615");
	if (a->sm) {
		for (size_t i = 0; i < a->sm->nimplausible && i < a->opt->max_diagnostics; i++)
			lc_warn("%s:%llu: %s (accepted)", a->inputs[a->sm->implausible[i].input].path,
				(unsigned long long)a->sm->implausible[i].line, a->sm->implausible[i].text);
		if (a->sm->saturated)
			lc_warn("a byte sum passed 2^64-1 (reported as 18446744073709551615) or an address's "
				"alloc/free count passed 2^32-1 (reported as 4294967295); \"saturated\" is true");
	}
}

/* Narrows the models to what the filter keeps (after the join, before suppressions and the sides). */
static void analysis_filter(struct analysis *a, const struct lc_filter *f)
{
	lc_filter_apply(&a->narrowed, f, a->sm, a->dm);
	a->type_seen = a->narrowed.type_seen;
}

static void analysis_release(struct analysis *a)
{
	lc_filter_release(&a->narrowed);
	lc_session_release(&a->s);
	lc_history_destroy(a->history); /* after the states that told it */
}

static bool jnull(const struct lc_jval *v)
{
	return !v || v->type == LC_JNULL;
}

/*
 * A report of ours as a side (--diff, --baseline) under this run's filter. A report made with
 * the same filter is already narrowed; one made with none is narrowed here by device, type
 * and size (and its unknown frees by device); its leak groups carry no owner, so --pid needs
 * a report made with the same --pid. A report made with another filter is refused.
 * Returns 0; -1 on error, already reported.
 */
static int narrow_report_side(struct lc_side *s, const struct lc_jval *doc, const struct lc_filter *f,
			      const char *path)
{
	const struct lc_jval *jf = lc_jget(doc, "filter");
	if (!jnull(jf)) {
		const struct lc_jval *d = lc_jget(jf, "device"), *t = lc_jget(jf, "type"), *p = lc_jget(jf, "pid");
		bool same = f->has_device == !jnull(d) && (!f->has_device || lc_jint(d) == f->device) &&
			    !f->type == jnull(t) && (!f->type || (t->type == LC_JSTR && strcmp(t->s, f->type) == 0)) &&
			    f->has_pid == !jnull(p) && (!f->has_pid || lc_jint(p) == f->pid) &&
			    lc_juint(lc_jget(jf, "min_size")) == f->min_size;
		if (same)
			return 0;
		return lc_error("%s: the report was made with another filter (--device/--type/--pid/--min-size); "
				"make it again with the filter of this run",
				path);
	}
	if (!lc_filter_active(f))
		return 0;
	if (f->has_pid)
		return lc_error("%s: --pid cannot narrow a report made without it (its leak groups carry no owner); "
				"make the report with --pid %d",
				path, (int)f->pid);
	lc_filter_side(f, s);
	if (f->has_device && s->has_server) {
		const struct lc_jval *rows = lc_jget(lc_jget(lc_jget(doc, "server"), "unknown_frees"), "by_device");
		s->free_unknown = 0;
		for (size_t i = 0; rows && rows->type == LC_JARR && i < rows->count; i++)
			if (lc_jint(lc_jget(&rows->items[i], "device")) == f->device)
				s->free_unknown += lc_juint(lc_jget(&rows->items[i], "count"));
	}
	return 0;
}

/*
 * Reads a whole (possibly gzipped) JSON report of ours (--baseline) through its input format;
 * *state holds the document until lc_format_report.destroy(*state).
 * Returns the document; NULL on error, already reported.
 */
static struct lc_jval *read_report(const char *path, void **state)
{
	*state = lc_format_report.create(NULL);
	struct lc_reader *r = lc_reader_open(path);
	if (!r)
		return NULL;
	struct lc_line_counts counts = { 0 };
	int rc = lc_format_report.feed(*state, r, 0, NULL, &counts, 1);
	bool cut = lc_reader_truncated(r);
	lc_reader_destroy(r);
	if (rc < 0 || cut)
		return NULL;
	struct lc_results res = { 0 };
	lc_format_report.finish(*state, &res);
	return res.report;
}

/* Writes rep with fn to path (NULL: standard output). Returns 0; -1 on error, already reported. */
static int write_report(const char *path, lc_report_fn fn, const struct lc_report *rep)
{
	FILE *f = stdout;
	if (path) {
		f = fopen(path, "w");
		if (!f)
			return lc_error("%s: %s", path, strerror(errno));
	}
	/* Reports can be tens of MB: a large buffer, set before any output (once for stdout). */
	static char obuf[1u << 20];
	static bool stdout_buffered;
	if (f != stdout || !stdout_buffered) {
		setvbuf(f, f == stdout ? obuf : NULL, _IOFBF, sizeof obuf);
		stdout_buffered |= f == stdout;
	}
	errno = 0;
	fn(rep, f);
	int err = ferror(f) ? (errno ? errno : EIO) : 0;
	if (fflush(f) != 0 && !err)
		err = errno ? errno : EIO;
	if (f != stdout && fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	if (err)
		return lc_error("%s: write error: %s", path ? path : "standard output", strerror(err));
	return 0;
}

/* The evidence of the entries live at the all-devices bytes peak: its groups are the timeline's
 * by_group, held against the devices of the peak's run. */
static void peak_groups(struct lc_evidence *ev, struct lc_server_model *sm, const struct lc_input_info *inputs,
			size_t ninputs)
{
	const struct lc_timeline_model *tm = sm->timeline;
	uint32_t input = 0;
	uint64_t line = 0;
	if (!tm->npeaks || !lc_tl_where(tm, tm->peaks[0].x, &input, &line))
		line = 0;
	lc_evidence_build(ev, sm->peak_entries, sm->npeak_entries, sm, inputs, ninputs,
			  &(struct lc_evidence_scope){ .name = "peak", .run = line ? lc_server_run_of(sm, input, line) : 0,
						       .at = line != 0, .input = input, .line = line },
			  false, LC_GROUP_WINDOW);
}

/* Leaves suppressed leaks out of the models' leak lists (the text and JSON reports). */
static void filter_models(struct lc_server_model *sm, struct lc_debug_model *dm, const struct lc_suppressions *sp)
{
	if (!sp || !sp->n)
		return;
	if (sm) {
		size_t k = 0;
		for (size_t i = 0; i < sm->nleaks; i++) {
			const struct lc_leak *l = &sm->leaks[i];
			struct lc_stack st, *stack = NULL;
			if (dm && l->site >= 0) {
				st = (struct lc_stack){ dm->sites[l->site]->frames, dm->sites[l->site]->nframes };
				stack = &st;
			}
			if (!lc_suppressed(sp, l->device, l->type, stack))
				sm->leaks[k++] = *l;
		}
		sm->nleaks = k;
	}
	if (dm) {
		size_t k = 0;
		for (size_t i = 0; i < dm->nleaks; i++) {
			const struct lc_debug_leak *l = &dm->leaks[i];
			const struct lc_stack st = { dm->sites[l->site]->frames, dm->sites[l->site]->nframes };
			if (!lc_suppressed(sp, l->device, l->type, &st))
				dm->leaks[k++] = *l;
		}
		dm->nleaks = k;
	}
}

/* Builds one side of a diff from a log or a JSON report, read as any input is. */
static int load_side(struct lc_side *side, struct analysis *a, const struct lc_options *opt, const char *path,
		     struct lc_input_info *in, size_t *diagnostics, int *status, const struct lc_filter *filt)
{
	if (analysis_init(a, opt, in, diagnostics) < 0)
		return -1;
	analysis_run(a, &path, 1);
	if (a->status)
		*status = a->status;
	if (strcmp(in->format, lc_format_report.name) == 0) {
		if (a->res.report && lc_side_from_json(side, path, a->res.report) == 0) {
			for (size_t i = 0; filt->type && i < side->nitems; i++)
				a->type_seen |= strcmp(side->items[i].type, filt->type) == 0;
			if (narrow_report_side(side, a->res.report, filt, path) == 0)
				return 0;
			*status = LC_EXIT_ERROR;
			return -1;
		}
		in->error = "not a tt-leakcorr/1 report";
		*status = LC_EXIT_ERROR;
		return -1;
	}
	analysis_filter(a, filt);
	lc_side_from_models(side, path, a->sm, a->dm, in, 1, opt->stack_depth, opt->skip_frames, opt->nskip);
	return 0;
}

/* --list-metrics FILE...: each integer of the run's JSON report, by its path. */
static void print_metric(void *ctx, const char *path, int64_t value)
{
	fprintf(ctx, "%s %lld\n", path, (long long)value);
}

int lc_run(const struct lc_options *opt)
{
	int status = LC_EXIT_OK;
	if (!lc_report_lookup(opt->format)) {
		lc_error("unknown report format '%s' (known: %s)", opt->format, lc_report_names());
		return LC_EXIT_ERROR;
	}
	if (opt->input_format && !lc_input_format_lookup(opt->input_format)) {
		lc_error("unknown input format '%s' (known: %s)", opt->input_format, lc_input_format_names());
		return LC_EXIT_ERROR;
	}
	if (opt->diff && opt->ninputs != 2) {
		lc_error("--diff takes exactly two inputs, BEFORE and AFTER (got %zu)", opt->ninputs);
		return LC_EXIT_ERROR;
	}
	if (!opt->list_metrics && lc_refuse_output(opt) < 0)
		return LC_EXIT_ERROR;
	/* Options whose sections are being built (issue 14): refused, never silently ignored. */
	if (opt->has_address && opt->diff) {
		lc_error("--address tells one address's story in one analysis; it cannot be combined with --diff");
		return LC_EXIT_ERROR;
	}
	if (opt->explain && (opt->diff || strcmp(opt->format, "text") != 0))
		lc_warn("note: --explain adds the evidence to the text report of one analysis; %s",
			opt->diff ? "a --diff shows none" : "the JSON report always has it (\"evidence\")");
	const struct lc_filter filt = { .has_device = opt->has_device, .device = opt->device, .type = opt->type,
					.has_pid = opt->has_pid, .pid = opt->pid, .min_size = opt->min_size };
	if (opt->weight_given && strcmp(opt->format, "folded") != 0)
		lc_warn("note: --weight weighs the folded stacks only; it changes nothing in -f %s", opt->format);
	struct lc_gate gate = { 0 };
	struct lc_suppressions supp = { 0 };
	struct lc_side baseline = { 0 }, before = { 0 }, after = { 0 }, now = { 0 };
	struct analysis a = { 0 }, b = { 0 };
	struct lc_diff diff = { 0 };
	struct lc_evidence evidence = { 0 }, dump_evidence = { 0 }, peak_evidence = { 0 };
	bool have_baseline = false, have_supp = false, have_a = false, have_b = false, have_now = false;
	struct lc_input_info *inputs = lc_xcalloc(opt->ninputs ? opt->ninputs : 1, sizeof *inputs);
	struct lc_jval *baseline_doc = NULL;
	void *baseline_state = NULL;
	size_t diagnostics = 0;

	gate.rules = lc_xcalloc(opt->nfail_on + 1, sizeof *gate.rules);
	for (size_t i = 0; i < opt->nfail_on; i++) {
		if (lc_rule_parse(opt->fail_on[i], &gate.rules[gate.nrules]) < 0) {
			status = LC_EXIT_ERROR;
			goto out;
		}
		gate.nrules++;
	}
	if (lc_gate_check_scope(&gate, opt->diff) < 0) {
		status = LC_EXIT_ERROR;
		goto out;
	}
	if (opt->suppressions) {
		have_supp = true;
		if (lc_suppressions_load(&supp, opt->suppressions, opt->no_jit) < 0) {
			status = LC_EXIT_ERROR;
			goto out;
		}
		gate.supp = &supp;
	}
	if (opt->baseline) {
		baseline_doc = read_report(opt->baseline, &baseline_state);
		int rc = baseline_doc ? lc_side_from_json(&baseline, opt->baseline, baseline_doc) : -1;
		if (rc == 0)
			rc = narrow_report_side(&baseline, baseline_doc, &filt, opt->baseline);
		/* a rule read from the report compares the same path of the baseline, which only a
		 * baseline made with this filter has narrowed */
		for (size_t i = 0; rc == 0 && lc_filter_active(&filt) && jnull(lc_jget(baseline_doc, "filter")) &&
				   i < gate.nrules;
		     i++)
			if (gate.rules[i].from_report)
				rc = lc_error("--fail-on '%s': %s is read from the report, and %s was made without this "
					      "filter, so its value there is not narrowed; make the baseline with the filter",
					      gate.rules[i].text, gate.rules[i].metric, opt->baseline);
		gate.baseline_doc = baseline_doc;
		if (rc < 0) {
			status = LC_EXIT_ERROR;
			goto out;
		}
		have_baseline = true;
		if (!lc_side_grouped_as(&baseline, opt->stack_depth, opt->skip_frames, opt->nskip)) {
			lc_error("%s: the baseline was made with other grouping options (--stack-depth/--skip-frames); "
				 "make it again with the options of this run",
				 opt->baseline);
			status = LC_EXIT_ERROR;
			goto out;
		}
	}

	struct lc_report rep = {
		.version = LC_VERSION,
		.inputs = inputs,
		.ninputs = opt->ninputs,
		.at_dump = opt->at_dump,
		.top = opt->top,
		.stack_depth = opt->stack_depth,
		.skip_frames = opt->skip_frames,
		.nskip = opt->nskip,
		.by_stack = opt->by_stack,
		.weight_count = opt->weight_count,
		.baseline_path = opt->baseline,
		.suppressions_path = opt->suppressions,
		.filter = lc_filter_active(&filt) ? &filt : NULL,
	};
	struct lc_side *judged;
	if (opt->diff) {
		if (load_side(&before, &a, opt, opt->inputs[0], &inputs[0], &diagnostics, &status, &filt) < 0)
			goto out;
		have_a = true;
		if (load_side(&after, &b, opt, opt->inputs[1], &inputs[1], &diagnostics, &status, &filt) < 0)
			goto out;
		have_b = true;
		if (lc_refuse_unlike("--diff", &before, opt->inputs[0], &after, opt->inputs[1]) < 0) {
			status = LC_EXIT_ERROR;
			goto out;
		}
		if (have_supp) {
			lc_suppressions_apply(&supp, &before, false);
			lc_suppressions_apply(&supp, &after, true);
		}
		lc_side_derive(&before);
		lc_side_derive(&after);
		lc_diff_build(&diff, &before, &after);
		rep.filter_type_seen = a.type_seen || b.type_seen;
		rep.diff = &diff;
		judged = &after;
	} else {
		if (analysis_init(&a, opt, inputs, &diagnostics) < 0) {
			status = LC_EXIT_ERROR;
			goto out;
		}
		have_a = true;
		analysis_run(&a, opt->inputs, opt->ninputs);
		status = a.status;
		for (size_t i = 0; i < opt->ninputs; i++)
			if (strcmp(inputs[i].format, lc_format_report.name) == 0) {
				lc_error("%s: a JSON report of ours; compare it with --diff BEFORE AFTER or give it as "
					 "--baseline",
					 inputs[i].path);
				status = LC_EXIT_ERROR;
				goto out;
			}
		analysis_filter(&a, &filt);
		rep.filter_type_seen = a.type_seen;
		lc_side_from_models(&now, "", a.sm, a.dm, inputs, opt->ninputs, opt->stack_depth, opt->skip_frames,
				    opt->nskip);
		have_now = true;
		if (have_supp)
			lc_suppressions_apply(&supp, &now, true);
		lc_side_derive(&now);
		/* the evidence describes every remaining entry, suppressed ones included */
		if (a.sm)
			lc_evidence_build(&evidence, a.sm->leaks, a.sm->nleaks, a.sm, inputs, opt->ninputs,
					  &(struct lc_evidence_scope){ .name = "remaining", .has_device = opt->has_device,
								       .device = opt->device }, a.sm->has_join,
					  LC_GROUP_WINDOW);
		struct lc_lifecycle *lcy = a.sm ? a.sm->lifecycle : NULL;
		if (lcy)
			lc_evidence_build(&dump_evidence, lcy->entries, lcy->nentries, a.sm, inputs, opt->ninputs,
					  &(struct lc_evidence_scope){ .name = "dump", .run = lcy->run, .at = true,
								       .input = lcy->input, .line = lcy->line,
								       .has_device = opt->has_device, .device = opt->device },
					  a.sm->has_join, LC_GROUP_WINDOW);
		if (a.sm && a.sm->timeline && !a.sm->peak_entries_over)
			peak_groups(&peak_evidence, a.sm, inputs, opt->ninputs);
		filter_models(a.sm, a.dm, have_supp ? &supp : NULL);
		if (!a.dm) {
			if (strcmp(opt->format, "folded") == 0)
				status = LC_EXIT_ERROR; /* the folded writer says why */
			if (opt->by_stack || opt->all_allocations || opt->stack_depth || opt->nskip)
				lc_warn("note: --by-stack, --all-allocations, --stack-depth and --skip-frames group call "
					"stacks; without a buffer debug log they change nothing");
		}
		rep.server = a.sm;
		rep.debug = a.dm;
		rep.evidence = a.sm ? &evidence : NULL;
		rep.dump_evidence = dump_evidence.built ? &dump_evidence : NULL;
		rep.peak_evidence = peak_evidence.built ? &peak_evidence : NULL;
		rep.explain = opt->explain;
		if (a.history)
			rep.address = lc_history_model(a.history);
		judged = &now;
	}
	if (diagnostics > opt->max_diagnostics)
		lc_warn("%zu malformed lines in all; the first %zu are shown above", diagnostics, opt->max_diagnostics);
	if (have_baseline) {
		if (lc_refuse_unlike("--baseline", &baseline, opt->baseline, judged, opt->diff ? opt->inputs[1] : "this run") <
		    0) {
			status = LC_EXIT_ERROR;
			goto out;
		}
		if (have_supp)
			lc_suppressions_apply(&supp, &baseline, false);
		lc_side_derive(&baseline);
		rep.baseline = &baseline;
	}
	rep.now = judged;
	if (opt->list_metrics) {
		if (lc_report_json_capture(&rep, print_metric, stdout) < 0 || fflush(stdout) != 0)
			status = LC_EXIT_ERROR;
		goto out;
	}
	if (gate.nrules || have_supp) {
		if (lc_gate_needs_report(&gate) && lc_report_json_capture(&rep, lc_gate_capture, &gate) < 0)
			status = LC_EXIT_ERROR;
		lc_gate_eval(&gate, judged, have_baseline ? &baseline : NULL, opt->diff ? &diff : NULL);
		rep.gate = &gate;
		if (lc_report_verdict(&rep) == LC_VERDICT_NO_DATA) {
			/* nothing was read: no rule may pass on it (the inputs were named on stderr) */
			for (size_t i = 0; i < gate.nrules; i++)
				gate.rules[i].applies = gate.rules[i].passed = false;
			gate.passed = gate.nrules == 0 && gate.passed;
			status = LC_EXIT_ERROR;
		}
		if (gate.inapplicable)
			status = LC_EXIT_ERROR;
		else if (!gate.passed && status == LC_EXIT_OK)
			status = LC_EXIT_GATE;
	}
	if (rep.filter && strcmp(opt->format, "text") != 0 && strcmp(opt->format, "json") != 0) {
		/* the other formats have no place for the filter note: it goes to stderr */
		char what[256], list[1024] = "";
		const char *names[32];
		lc_filter_describe(rep.filter, what, sizeof what);
		size_t n = lc_filter_not_narrowed(rep.filter, judged->has_server, judged->has_debug, names, 32);
		for (size_t i = 0, k = 0; i < n && k < sizeof list; i++)
			k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", names[i]);
		lc_warn("note: filter %s%s; sections not narrowed: %s", what,
			rep.filter->type && !rep.filter_type_seen ? " (no buffer of that type in the input)" : "",
			n ? list : "none");
	}
	if (write_report(opt->output, lc_report_lookup(opt->format), &rep) < 0)
		status = LC_EXIT_ERROR;
	if (opt->html && write_report(opt->html, lc_report_html, &rep) < 0)
		status = LC_EXIT_ERROR;
out:
	if (opt->diff)
		lc_diff_release(&diff);
	lc_evidence_release(&evidence);
	lc_evidence_release(&dump_evidence);
	lc_evidence_release(&peak_evidence);
	/* the sides borrow the models' frames: they go first */
	lc_side_release(&before);
	lc_side_release(&after);
	if (have_now)
		lc_side_release(&now);
	lc_side_release(&baseline);
	lc_format_report.destroy(baseline_state); /* and baseline_doc with it */
	if (have_a)
		analysis_release(&a);
	if (have_b)
		analysis_release(&b);
	for (size_t i = 0; i < gate.nrules; i++)
		lc_rule_release(&gate.rules[i]);
	free(gate.rules);
	lc_suppressions_release(&supp);
	free(inputs);
	return status;
}
