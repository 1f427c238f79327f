/* SPDX-License-Identifier: MIT */
/*
 * The registry of input formats. A format is one file (src/cli/format_*.c) and one row of the
 * table in src/cli/registry.c: how it is recognised, and the create/feed/finish/destroy of its
 * opaque state. The run names no parser: it feeds each input to its format's state and takes
 * what the states leave in an lc_results.
 */
#ifndef LC_FORMAT_H
#define LC_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/model.h"
#include "lc/pipeline.h"
#include "lc/reader.h"

struct lc_jval;

/* The run's options a format may need; borrowed for the life of the state. */
struct lc_format_config {
	uint64_t at_dump;             /* server log: the dump of the lifecycle, 0 = the last */
	uint64_t stack_depth;         /* debug log: call-site grouping */
	const char *const *skip_frames;
	size_t nskip;
	bool all_allocations;
	bool no_jit;                  /* compile patterns without PCRE2's JIT */
	struct lc_history *history;   /* --address: told by the replay and the lifetimes, or NULL */
	uint32_t timeline_points;     /* buckets per timeline series (0: 512) */
	uint64_t temporary;           /* debug log: a lifetime freed before K more allocations is temporary */
};

/* What the formats of one analysis leave behind. Each pointer is owned by its format's state. */
struct lc_results {
	struct lc_server_model *server; /* NULL when no server log was read */
	struct lc_debug_model *debug;   /* NULL when no buffer debug log was read */
	struct lc_jval *report;         /* a JSON report of ours, or NULL */
	bool failed;                    /* a format gave up on its input (reported): exit status 2 */
};

struct lc_input_format {
	const char *name;
	const char *alias;            /* a short name for --input-format, or NULL */
	/* Scores a head of the input; the highest score wins, ties go to the first row. */
	unsigned (*sniff)(struct lc_span head);
	/* Makes the format's state for one analysis. Returns it; NULL on error, already reported. */
	void *(*create)(const struct lc_format_config *cfg);
	/*
	 * Reads one whole input r (index input) into the state, on up to `threads` threads; adds
	 * its lines by class and its events (what reached the core) to *counts.
	 * Returns what lc_reader_next returned last: 0 at the end, -1 after a read error.
	 */
	int (*feed)(void *state, struct lc_reader *r, uint32_t input, const struct lc_line_hooks *hooks,
		    struct lc_line_counts *counts, unsigned threads);
	/* Ends the analysis (after the last feed): fills its part of *out. */
	void (*finish)(void *state, struct lc_results *out);
	/* Frees the state and what finish handed out; NULL is a no-op. */
	void (*destroy)(void *state);
};

#define LC_MAX_FORMATS 4

/* The formats of one analysis: a state per registered format, and whether an input used it. */
struct lc_session {
	void *state[LC_MAX_FORMATS];
	bool used[LC_MAX_FORMATS];
};

/* Returns the format called name (or its alias); NULL when unknown. */
const struct lc_input_format *lc_input_format_lookup(const char *name);
/* Returns the format whose sniffer scores head highest (the first row when nothing scores). */
const struct lc_input_format *lc_input_format_detect(struct lc_span head);
/* The names of the formats, comma-separated, for messages and --help. */
const char *lc_input_format_names(void);

/* Creates a state for every format. Returns 0; -1 on error, already reported (all released). */
int lc_session_init(struct lc_session *s, const struct lc_format_config *cfg);
/* Feeds one input to fmt's state (marking it used); as lc_input_format.feed. */
int lc_session_feed(struct lc_session *s, const struct lc_input_format *fmt, struct lc_reader *r, uint32_t input,
		    const struct lc_line_hooks *hooks, struct lc_line_counts *counts, unsigned threads);
/* Finishes every format an input used; *out holds their results. */
void lc_session_finish(struct lc_session *s, struct lc_results *out);
/* Destroys every state (and the results they handed out). */
void lc_session_release(struct lc_session *s);

/* The formats (src/cli/format_*.c), for the registry's table. */
extern const struct lc_input_format lc_format_server_log, lc_format_debug_log, lc_format_report;

#endif
