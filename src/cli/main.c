// SPDX-License-Identifier: MIT
// tt-leakcorr entry point: parse options, call lc_run(), map the result to an exit status.
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/format.h"
#include "lc/gate.h"
#include "lc/metrics.h"
#include "lc/report.h"
#include "lc/run.h"
#include "lc/util.h"

static const char usage_text[] =
	"Usage: tt-leakcorr [OPTIONS] FILE...\n"
	"Replay tt-metal allocation-server logs and report leaked device buffers.\n"
	"FILEs are server logs or TT_BUFFER_DEBUG_LOG dumps, plain or gzipped; '-' is standard input.\n"
	"Several server logs form one stream, in the order given.\n"
	"\n"
	"Options:\n"
	"  -f, --format FORMAT      report format: text (default), json, html (one self-contained page),\n"
	"                           or folded (flame-graph stacks);\n"
	"                           all of them: %s\n"
	"  -o, --output FILE        write the report to FILE instead of standard output\n"
	"      --html FILE          also write the HTML page to FILE (beside the report of -f)\n"
	"      --top N              text and html reports: N rows per list (default 20, 0 = all)\n"
	"      --at-dump N          dump lifecycle for the Nth DUMP_REMAINING block (default: the last)\n"
	"      --input-format FMT   the format of every input (default: detected per input);\n"
	"                           one of %s\n"
	"      --max-diagnostics N  malformed-line messages shown on stderr (default 10)\n"
	"      --by-stack           text: lead with the call-site histogram, whole stacks shown\n"
	"      --stack-depth N      group call sites by their first N frames (default: whole stack)\n"
	"      --skip-frames REGEX  drop frames matching REGEX (PCRE2) before grouping; repeatable\n"
	"      --all-allocations    also histogram every allocation (count, bytes, peak live) per site\n"
	"      --weight WHAT        folded: bytes (default) or count\n"
	"      --diff               compare two inputs, BEFORE AFTER (logs or JSON reports of ours)\n"
	"      --fail-on RULE       gate rule 'METRIC OP VALUE' (OP > >= < <= == !=; KiB MiB GiB); repeatable\n"
	"      --baseline FILE      a JSON report of ours: rules count only growth over it\n"
	"      --suppressions FILE  leak:REGEX, type:NAME, device:N lines; matches leave the gate and lists\n"
	"      --list-metrics       print the metric names rules can use, and exit; with FILEs,\n"
	"                           every integer of their JSON report by path, with its value\n"
	"      --explain            text: what the remaining buffers are, with the evidence: allocation\n"
	"                           groups across devices and classes (phase, lifetime, size, owner, site)\n"
	"      --address ADDR       the whole history of one address (decimal or 0x hex); with --device,\n"
	"                           of that device's only\n"
	"      --device N           count only device N's buffers in every section and the gate\n"
	"      --type NAME          count only buffers of this type (DRAM, L1, ...)\n"
	"      --pid N              count only buffers allocated (owned) by process N\n"
	"      --min-size SIZE      count only buffers of at least SIZE bytes (KiB MiB GiB allowed)\n"
	"      --timeline-points N  live bytes over the log: at most N points per series, with the\n"
	"                           minimum and maximum of each kept (default 512, 2 to 65536)\n"
	"      --temporary K        a call site's temporary allocations: freed with at most K other\n"
	"                           allocations between (default 0: before the next one, as heaptrack)\n"
	"      --allow-empty        accept empty inputs (verdict \"empty\", exit 0) instead of exit 2\n"
	"      --threads N          1: read, decompress and parse on one thread; 2 (default on\n"
	"                           two or more cores): decompression and parsing run beside the replay\n"
	"      --progress           progress line on stderr even when it is not a terminal; there,\n"
	"                           each input ends with a done line (\"input k of N\" when several)\n"
	"      --no-progress        no progress line (default: shown on a terminal for inputs over 256 MB)\n"
	"  Formats for CI: junit (JUnit XML), github (Actions annotations and step summary),\n"
	"  gitlab (Code Quality JSON).\n"
	"  -h, --help               show this help and exit\n"
	"  -V, --version            show the version and exit\n"
	"\n"
	"Exit status: 0 success; 1 a gate rule failed; 2 usage error, unreadable,\n"
	"truncated or corrupt input, or a failed write (the report of what was read\n"
	"is still written).\n";

enum {
	OPT_TOP = 256,
	OPT_AT_DUMP,
	OPT_INPUT_FORMAT,
	OPT_MAX_DIAG,
	OPT_BY_STACK,
	OPT_STACK_DEPTH,
	OPT_SKIP_FRAMES,
	OPT_ALL_ALLOCATIONS,
	OPT_WEIGHT,
	OPT_DIFF,
	OPT_FAIL_ON,
	OPT_BASELINE,
	OPT_SUPPRESSIONS,
	OPT_LIST_METRICS,
	OPT_THREADS,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_ALLOW_EMPTY,
	OPT_DEVICE,
	OPT_TYPE,
	OPT_PID,
	OPT_MIN_SIZE,
	OPT_ADDRESS,
	OPT_EXPLAIN,
	OPT_HTML,
	OPT_TIMELINE_POINTS,
	OPT_TEMPORARY,
};

static const struct option long_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "at-dump", required_argument, NULL, OPT_AT_DUMP },
	{ "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
	{ "max-diagnostics", required_argument, NULL, OPT_MAX_DIAG },
	{ "by-stack", no_argument, NULL, OPT_BY_STACK },
	{ "stack-depth", required_argument, NULL, OPT_STACK_DEPTH },
	{ "skip-frames", required_argument, NULL, OPT_SKIP_FRAMES },
	{ "all-allocations", no_argument, NULL, OPT_ALL_ALLOCATIONS },
	{ "weight", required_argument, NULL, OPT_WEIGHT },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "suppressions", required_argument, NULL, OPT_SUPPRESSIONS },
	{ "list-metrics", no_argument, NULL, OPT_LIST_METRICS },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "allow-empty", no_argument, NULL, OPT_ALLOW_EMPTY },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "min-size", required_argument, NULL, OPT_MIN_SIZE },
	{ "address", required_argument, NULL, OPT_ADDRESS },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "timeline-points", required_argument, NULL, OPT_TIMELINE_POINTS },
	{ "temporary", required_argument, NULL, OPT_TEMPORARY },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int number_arg(const char *opt, const char *arg, uint64_t min, uint64_t *out)
{
	if (lc_parse_u64(arg, out) < 0 || *out < min)
		return lc_error("%s: '%s' is not a whole number%s", opt, arg, min ? " of at least 1" : "");
	return 0;
}

int main(int argc, char **argv)
{
	struct lc_options opt = { .format = "text", .top = 20, .max_diagnostics = 10, .timeline_points = 512 };
	uint64_t v;
	int c;
	/* --skip-frames may be repeated; at most one pattern per argument */
	const char **skip = lc_xcalloc((size_t)argc + 1, sizeof *skip);
	size_t nskip = 0;
	const char **rules = lc_xcalloc((size_t)argc + 1, sizeof *rules);
	size_t nrules = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'f': opt.format = optarg; break;
		case 'o': opt.output = optarg; break;
		case OPT_TOP:
			if (number_arg("--top", optarg, 0, &v) < 0)
				goto usage;
			opt.top = (size_t)v;
			break;
		case OPT_AT_DUMP:
			if (number_arg("--at-dump", optarg, 1, &v) < 0)
				goto usage;
			opt.at_dump = v;
			break;
		case OPT_INPUT_FORMAT: opt.input_format = optarg; break;
		case OPT_MAX_DIAG:
			if (number_arg("--max-diagnostics", optarg, 0, &v) < 0)
				goto usage;
			opt.max_diagnostics = (size_t)v;
			break;
		case OPT_BY_STACK: opt.by_stack = true; break;
		case OPT_STACK_DEPTH:
			if (number_arg("--stack-depth", optarg, 1, &v) < 0)
				goto usage;
			opt.stack_depth = v;
			break;
		case OPT_SKIP_FRAMES:
			skip[nskip++] = optarg;
			break;
		case OPT_ALL_ALLOCATIONS: opt.all_allocations = true; break;
		case OPT_WEIGHT:
			if (strcmp(optarg, "bytes") != 0 && strcmp(optarg, "count") != 0) {
				lc_error("--weight: '%s' is neither bytes nor count", optarg);
				goto usage;
			}
			opt.weight_count = strcmp(optarg, "count") == 0;
			opt.weight_given = true;
			break;
		case OPT_DIFF: opt.diff = true; break;
		case OPT_FAIL_ON: rules[nrules++] = optarg; break;
		case OPT_BASELINE: opt.baseline = optarg; break;
		case OPT_SUPPRESSIONS: opt.suppressions = optarg; break;
		case OPT_THREADS:
			if (number_arg("--threads", optarg, 1, &v) < 0)
				goto usage;
			opt.threads = v > 2 ? 2 : (unsigned)v; /* more have nothing to do */
			break;
		case OPT_PROGRESS: opt.progress = LC_PROGRESS_ON; break;
		case OPT_NO_PROGRESS: opt.progress = LC_PROGRESS_OFF; break;
		case OPT_ALLOW_EMPTY: opt.allow_empty = true; break;
		case OPT_LIST_METRICS: opt.list_metrics = true; break;
		case OPT_DEVICE:
			if (lc_parse_u64(optarg, &v) < 0 || v > INT32_MAX) {
				lc_error("--device: '%s' is not a device number", optarg);
				goto usage;
			}
			opt.has_device = true;
			opt.device = (int32_t)v;
			break;
		case OPT_TYPE:
			if (!*optarg) {
				lc_error("--type: the buffer type name is empty");
				goto usage;
			}
			opt.type = optarg;
			break;
		case OPT_PID:
			if (lc_parse_u64(optarg, &v) < 0 || v > INT32_MAX) {
				lc_error("--pid: '%s' is not a process id", optarg);
				goto usage;
			}
			opt.has_pid = true;
			opt.pid = (int32_t)v;
			break;
		case OPT_MIN_SIZE:
			if (lc_parse_size(optarg, &opt.min_size) < 0) {
				lc_error("--min-size: '%s' is not a byte count (a whole number, optionally with KiB, MiB or GiB)", optarg);
				goto usage;
			}
			break;
		case OPT_ADDRESS:
			if (lc_parse_u64_any(optarg, &opt.address) < 0) {
				lc_error("--address: '%s' is not an address (decimal, or hexadecimal with 0x)", optarg);
				goto usage;
			}
			opt.has_address = true;
			break;
		case OPT_EXPLAIN: opt.explain = true; break;
		case OPT_HTML: opt.html = optarg; break;
		case OPT_TIMELINE_POINTS:
			if (lc_parse_u64(optarg, &v) < 0 || v < 2 || v > 65536) {
				lc_error("--timeline-points: '%s' is not a whole number from 2 to 65536", optarg);
				goto usage;
			}
			opt.timeline_points = (uint32_t)v;
			break;
		case OPT_TEMPORARY:
			if (number_arg("--temporary", optarg, 0, &v) < 0)
				goto usage;
			opt.temporary = v;
			break;
		case 'h':
			free(skip);
			free(rules);
			printf(usage_text, lc_report_names(), lc_input_format_names());
			return fflush(stdout) == 0 ? LC_EXIT_OK : LC_EXIT_ERROR;
		case 'V':
			free(skip);
			free(rules);
			printf("tt-leakcorr %s\n", LC_VERSION);
			return fflush(stdout) == 0 ? LC_EXIT_OK : LC_EXIT_ERROR;
		case ':':
			lc_error("option '%s' needs a value (see --help)", argv[optind - 1]);
			goto usage;
		default:
			lc_error("unknown option '%s' (see --help)", argv[optind - 1]);
			goto usage;
		}
	}
	if (opt.list_metrics && optind >= argc) {
		free(skip);
		free(rules);
		lc_metrics_list(stdout);
		return fflush(stdout) == 0 ? LC_EXIT_OK : LC_EXIT_ERROR;
	}
	if (optind >= argc) {
		lc_error("no input files (give FILE..., or - for standard input; see --help)");
		goto usage;
	}
	opt.inputs = (const char *const *)&argv[optind];
	opt.ninputs = (size_t)(argc - optind);
	opt.skip_frames = skip;
	opt.nskip = nskip;
	opt.fail_on = rules;
	opt.nfail_on = nrules;
	/* The one place the environment is read: valgrind does not follow JIT code, so its test
	 * setup (meson.build) turns PCRE2's JIT off; the choice travels down in the options. */
	opt.no_jit = getenv("TT_LEAKCORR_NO_JIT") != NULL;
	int status = lc_run(&opt);
	free(skip);
	free(rules);
	return status;
usage:
	free(skip);
	free(rules);
	return LC_EXIT_ERROR;
}
