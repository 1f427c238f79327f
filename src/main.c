// SPDX-License-Identifier: MIT
// tt-leakcorr entry point: parse options, call lc_run(), map the result to an exit status.
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/run.h"
#include "lc/util.h"

static const char usage_text[] =
	"Usage: tt-leakcorr [OPTIONS] FILE...\n"
	"Replay tt-metal allocation-server logs and report leaked device buffers.\n"
	"FILEs are server logs or TT_BUFFER_DEBUG_LOG dumps, plain or gzipped; '-' is standard input.\n"
	"Several server logs form one stream, in the order given.\n"
	"\n"
	"Options:\n"
	"  -f, --format FORMAT      report format: text (default) or json\n"
	"  -o, --output FILE        write the report to FILE instead of standard output\n"
	"      --top N              text report: show N rows per list (default 20, 0 = all)\n"
	"      --at-dump N          dump lifecycle for the Nth DUMP_REMAINING block (default: the last)\n"
	"      --input-format FMT   server-log or buffer-debug-log for every input (default: detect)\n"
	"      --max-diagnostics N  malformed-line messages shown on stderr (default 10)\n"
	"  -h, --help               show this help and exit\n"
	"  -V, --version            show the version and exit\n"
	"\n"
	"Exit status: 0 success; 1 a gate rule failed; 2 usage error, unreadable,\n"
	"truncated or corrupt input, or a failed write (the report of what was read\n"
	"is still written).\n";

enum { OPT_TOP = 256, OPT_AT_DUMP, OPT_INPUT_FORMAT, OPT_MAX_DIAG };

static const struct option long_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "at-dump", required_argument, NULL, OPT_AT_DUMP },
	{ "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
	{ "max-diagnostics", required_argument, NULL, OPT_MAX_DIAG },
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
	struct lc_options opt = { .format = "text", .top = 20, .max_diagnostics = 10 };
	uint64_t v;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'f': opt.format = optarg; break;
		case 'o': opt.output = optarg; break;
		case OPT_TOP:
			if (number_arg("--top", optarg, 0, &v) < 0)
				return LC_EXIT_ERROR;
			opt.top = (size_t)v;
			break;
		case OPT_AT_DUMP:
			if (number_arg("--at-dump", optarg, 1, &v) < 0)
				return LC_EXIT_ERROR;
			opt.at_dump = v;
			break;
		case OPT_INPUT_FORMAT: opt.input_format = optarg; break;
		case OPT_MAX_DIAG:
			if (number_arg("--max-diagnostics", optarg, 0, &v) < 0)
				return LC_EXIT_ERROR;
			opt.max_diagnostics = (size_t)v;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return fflush(stdout) == 0 ? LC_EXIT_OK : LC_EXIT_ERROR;
		case 'V':
			printf("tt-leakcorr %s\n", LC_VERSION);
			return fflush(stdout) == 0 ? LC_EXIT_OK : LC_EXIT_ERROR;
		case ':':
			lc_error("option '%s' needs a value (see --help)", argv[optind - 1]);
			return LC_EXIT_ERROR;
		default:
			lc_error("unknown option '%s' (see --help)", argv[optind - 1]);
			return LC_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		lc_error("no input files (give FILE..., or - for standard input; see --help)");
		return LC_EXIT_ERROR;
	}
	opt.inputs = (const char *const *)&argv[optind];
	opt.ninputs = (size_t)(argc - optind);
	return lc_run(&opt);
}
