/* SPDX-License-Identifier: MIT */
/* One run of the tool: read every input, replay, render the report. */
#ifndef LC_RUN_H
#define LC_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses, as documented in --help, the man page and README. */
enum {
	LC_EXIT_OK = 0,
	LC_EXIT_GATE = 1,
	LC_EXIT_ERROR = 2,
};

struct lc_options {
	const char *const *inputs;   /* paths, "-" for standard input */
	size_t ninputs;
	const char *format;          /* report format name */
	const char *output;          /* NULL: standard output */
	const char *html;            /* --html FILE: the HTML page as well as the report, NULL: none */
	const char *input_format;    /* NULL: detect per input */
	size_t top;                  /* text list length, 0 = all */
	uint64_t at_dump;            /* 0: last dump of the last run */
	size_t max_diagnostics;      /* malformed-line messages shown per run */
	uint64_t stack_depth;        /* 0: whole stacks */
	const char **skip_frames;    /* PCRE2 patterns */
	size_t nskip;
	bool all_allocations;
	bool by_stack;               /* text: the call-site histogram first, with whole stacks */
	bool weight_count;           /* folded: weight by buffers instead of bytes */
	bool weight_given;           /* --weight was given (a note when the format is not folded) */
	bool diff;                   /* inputs are BEFORE and AFTER */
	const char **fail_on;        /* gate rules as given */
	size_t nfail_on;
	const char *baseline;        /* a JSON report of ours */
	const char *suppressions;    /* a suppressions file */
	unsigned threads;            /* 0: 2 on two or more cores, else 1 */
	int progress;                /* LC_PROGRESS_* */
	bool allow_empty;            /* an empty input is accepted (verdict "empty", exit 0) */
	bool list_metrics;           /* print the run's metrics and values instead of a report */
	bool no_jit;                 /* compile user patterns without PCRE2's JIT (TT_LEAKCORR_NO_JIT) */
	/* Filters: every section and the gate count only matching entries; the replay is unchanged. */
	bool has_device;             /* --device */
	int32_t device;
	const char *type;            /* --type NAME, NULL: every type */
	bool has_pid;                /* --pid */
	int32_t pid;
	uint64_t min_size;           /* --min-size, 0: every size */
	bool has_address;            /* --address: the whole history of one (device, address) */
	uint64_t address;
	bool explain;                /* --explain: the evidence (groups and classes) in the text report */
	uint32_t timeline_points;    /* --timeline-points: buckets per timeline series (2..65536) */
	uint64_t temporary;          /* --temporary K: freed before K more allocations came */
};

enum { LC_PROGRESS_AUTO, LC_PROGRESS_ON, LC_PROGRESS_OFF };

/*
 * Reads the inputs, writes the report and returns the exit status.
 * Every problem is reported on stderr; stdout carries only the report.
 */
int lc_run(const struct lc_options *opt);

#endif
