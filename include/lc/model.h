/* SPDX-License-Identifier: MIT */
/* The report model: plain, read-only records that the core fills and the reports render. */
#ifndef LC_MODEL_H
#define LC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/timeline.h"
#include "lc/util.h"

/*
 * Every pointer in these records is owned by whoever produced the model (the
 * replay, the run) and lives until that producer is destroyed. Arrays are
 * already in the order REPORT-SCHEMA.md fixes.
 */

struct lc_tally {
	uint64_t buffers;
	uint64_t bytes;
};

/*
 * Why an input cannot carry a verdict: it is empty (and --allow-empty was not given), it
 * yielded no event at all, or its evidence lines (lc_input_evidence) are fewer than one in
 * LC_SPARSE_RATIO of its lines.
 */
enum lc_doubt { LC_DOUBT_NONE, LC_DOUBT_EMPTY, LC_DOUBT_NO_EVENTS, LC_DOUBT_SPARSE };
#define LC_SPARSE_RATIO 50

struct lc_input_info {
	const char *path;
	const char *format;      /* "server-log" or "buffer-debug-log" */
	const char *error;       /* why it could not be read, or NULL */
	bool compressed;
	bool truncated;
	uint64_t bytes, lines, recognized, foreign, malformed;
	uint64_t joined;         /* lines cut in two by an unlocked server line and read again as one */
	uint64_t events;         /* lines (server log) or blocks (debug log) that reached the core */
	uint64_t trivial;        /* recognized lines that prove nothing: blank or border only */
	enum lc_doubt doubt;     /* why a verdict on this input would claim more than was read */
	bool forced;             /* the format was given by --input-format, not detected */
};

/* Lines that show the input is a log of ours: recognized (not blank or border) or malformed. */
static inline uint64_t lc_input_evidence(const struct lc_input_info *in)
{
	return in->recognized - in->trivial + in->malformed;
}

struct lc_type_tally {
	const char *type;
	struct lc_tally t;
};

struct lc_device_remaining {
	int32_t device;
	struct lc_tally t;
	struct lc_type_tally *types;
	size_t ntypes;
};

/*
 * How an entry is classified by the evidence (lc/evidence.h): its allocation's place among the
 * run's statistics blocks, relative to the run's first dump, and in the run's allocations.
 */
enum lc_phase { LC_PHASE_NO_STATS, LC_PHASE_BEFORE_STATS, LC_PHASE_BETWEEN_STATS, LC_PHASE_AFTER_STATS };
enum lc_dump_phase { LC_DPHASE_NO_DUMP, LC_DPHASE_BEFORE, LC_DPHASE_AFTER };
enum lc_tenth { LC_TENTH_FIRST, LC_TENTH_MIDDLE, LC_TENTH_LAST };

/* An entry's evidence, filled by lc_evidence_build (has false until then). */
struct lc_leak_evidence {
	bool has;
	uint8_t phase, dump_phase, tenth;
	uint32_t group;          /* index into the evidence's groups */
	uint64_t lifetime_lines; /* server-log lines after its allocation line to the end of the stream */
};

/*
 * How an entry's site was found in the debug log (lc_join), by (device, address): an open
 * lifetime at the end (OPEN), the one lifetime the key ever had (ONLY), the latest of several
 * (LATEST: a guess, the entry may have come from an earlier one), or none (NONE, site -1).
 * Server leaks are joined on open lifetimes alone and keep NONE here.
 */
enum lc_site_match { LC_MATCH_NONE, LC_MATCH_OPEN, LC_MATCH_ONLY, LC_MATCH_LATEST };

struct lc_leak {
	int32_t device;
	uint64_t address;
	const char *type;
	uint64_t size;
	int32_t pid;
	int32_t ref_count;
	uint32_t input;
	uint8_t site_match;      /* enum lc_site_match: dump and cleanup entries only */
	uint64_t line;
	int64_t site;            /* index into debug sites, -1 for null */
	uint64_t seq;            /* 1-based: the allocation that made it live was its run's seq-th (lc_run_info.allocations) */
	struct lc_leak_evidence ev;
};

/* One row per reused address: 64 bytes, as there may be millions; net is allocs - frees. */
struct lc_reuse_row {
	int32_t device;
	int32_t live_ref_count;
	uint64_t address;
	const char *type;
	uint32_t allocs, frees, unknown_frees; /* saturate at 2^32-1 (saturated) */
	uint32_t nsizes;
	const uint64_t *sizes;
	const int32_t *pids;
	uint32_t npids;
};

static inline int64_t lc_reuse_net(const struct lc_reuse_row *r)
{
	return (int64_t)r->allocs - (int64_t)r->frees;
}

struct lc_server_model;
/* Row i of the reuse table, made in *buf; returns buf. */
const struct lc_reuse_row *lc_reuse_at(const struct lc_server_model *m, size_t i, struct lc_reuse_row *buf);

struct lc_device_count {
	int32_t device;
	uint64_t count;
};

/* One per "PID n is dead" line: 64 bytes, as a log may have a million. */
struct lc_cleanup_row {
	int32_t pid;
	uint32_t input;
	struct lc_tally t;       /* as replayed */
	uint64_t line;
	uint64_t printed_buffers;
	char printed_mb[22];     /* as printed (a %g figure has at most 13 characters) */
	bool printed;            /* the server's "Removed N buffers" line was seen */
	bool agrees;
};

/* What one cleanup row removed on one device and type (server.cleanup[].by_device_type). */
struct lc_cleanup_split {
	size_t row;              /* index into cleanup */
	int32_t device;
	const char *type;
	struct lc_tally t;
};

/* Removed entries kept in detail (server.cleanup[].entries); the rest are only counted. */
#define LC_CLEANUP_ENTRIES_MAX 10000

enum lc_checkpoint_kind { LC_CP_STATS, LC_CP_DUMP };

struct lc_checkpoint {
	enum lc_checkpoint_kind kind;
	uint32_t input;
	uint64_t line;
	bool agrees;
	char **diffs;            /* the first differences, as sentences */
	size_t ndiffs;
	uint64_t ndiffs_total;
};

/* Dump lifecycle per device and type: at_dump, freed_later, removed_by_cleanup, still_live. */
struct lc_lifecycle_row {
	int32_t device;
	const char *type;
	struct lc_tally t[4];
};

/* What became of an entry live at the lifecycle's dump: the lifecycle columns 1 to 3. */
enum lc_fate { LC_FATE_FREED_LATER = 1, LC_FATE_REMOVED_BY_CLEANUP = 2, LC_FATE_STILL_LIVE = 3 };

struct lc_lifecycle {
	uint32_t input;
	uint64_t line;
	uint64_t dump_index;     /* 1-based over all inputs */
	uint64_t run;            /* 1-based run the dump belongs to (the last run unless --at-dump chose another) */
	struct lc_tally at_dump, freed_later, removed_by_cleanup, still_live;
	struct lc_lifecycle_row *rows;
	size_t nrows;
	/* The entries live at the dump's title (sizes as at the dump), sorted as leaks are;
	 * fates[i] (enum lc_fate) is what became of entries[i]. */
	struct lc_leak *entries;
	uint8_t *fates;
	size_t nentries;
};

struct lc_device_extra {
	int32_t device;
	double cb_mb, kernel_mb;
	bool has_cb, has_kernel;
	uint64_t wraps;          /* totals printed beyond any plausible size (wrapped below zero) */
};

struct lc_note {
	uint32_t input;
	uint64_t line;
	char *text;
};

/*
 * Server leaks against open debug-log lifetimes (REPORT-SCHEMA.md server.join), over every
 * leak before suppressions: the JSON report keeps these; the text report counts the leaks it
 * lists from leaks[].site and debug leaks[].server_entry.
 */
struct lc_join_counts {
	uint64_t leaks_with_site, leaks_without_site, lifetimes_without_entry;
};

struct lc_server_events {
	uint64_t alloc, alloc_ref, free_ref, free_final, free_unknown, cleanup_removed, dumps, stats_blocks;
	uint64_t cb_alloc, cb_free, kernel_load, kernel_unload;
};

/* Unknown frees split by cause (REPORT-SCHEMA.md server.unknown_frees.by_cause); the causes add up to count. */
struct lc_unknown_causes {
	uint64_t count, never_seen, after_final_free, after_cleanup, after_restart;
};

/* One unknown-free line, as a group lists its first few (REPORT-SCHEMA server.unknown_frees.by_pid). */
struct lc_unknown_line {
	uint32_t input;
	bool has_device;         /* false: the line names no device (FORMATS.md 1.6.4) */
	int32_t device;
	uint64_t line;
	uint64_t address;
};

#define LC_UNKNOWN_FIRST 3

/* Unknown frees of one PID or one position in the run: how many, and the first LC_UNKNOWN_FIRST. */
struct lc_unknown_group {
	bool has_pid;            /* by PID: false for the lines that name no PID (pid null) */
	int32_t pid;
	uint64_t count;
	struct lc_unknown_line first[LC_UNKNOWN_FIRST];
	size_t nfirst;           /* min(count, LC_UNKNOWN_FIRST) */
};

/*
 * Where in its run an unknown free came (server.unknown_frees.by_position), one of four that
 * add up to the count. "The device has had an allocation" means an allocation line of that
 * device made an entry live earlier in the same run; for a line that names no device, any
 * allocation of the run.
 */
enum lc_unknown_position {
	LC_UPOS_BEFORE_FIRST_ALLOC, /* the first run, and the device has had no allocation yet */
	LC_UPOS_AFTER_RESTART,      /* a later run, and the device has had no allocation yet in it */
	LC_UPOS_AFTER_CLEANUP,      /* the device has had allocations, and a dead-process cleanup came earlier in the run */
	LC_UPOS_DURING_RUN,         /* otherwise */
	LC_UPOS_N,
};

/*
 * Lines that print a buffer id (allocations, frees, unknown frees), by the form the id took:
 * decimal (V1-V3) or hex with 0x (V4 on). The text report shows addresses in both forms when
 * decimal_lines is not 0.
 */
struct lc_address_forms {
	uint64_t decimal_lines, hex_lines;
};

/*
 * One server run: from its start banner (or, with no banner before it, the first line that
 * changed state) to the next start banner, or to the end of the input for the last run.
 * Its figures are those of that run alone.
 */
struct lc_run_info {
	uint32_t input;          /* where it started: the banner, or the first state-changing line */
	uint64_t line;
	bool banner;             /* started by a start banner */
	bool ended_by_restart;   /* a later banner ended it (false for the last run) */
	struct lc_tally live;    /* entries live when it ended (stored sizes, once per entry) */
	struct lc_device_remaining *devices; /* the same by device and type, in remaining's order */
	size_t ndevices;
	struct lc_unknown_causes unknown;    /* unknown frees in this run */
	struct lc_tally cleanup; /* entries removed by dead-process cleanup in this run */
	/* Allocation lines that made an entry live in this run (new allocations, and ref-count
	 * allocations of a key the replay did not hold), and their stored sizes, by type. */
	uint64_t allocations;
	struct lc_type_tally *alloc_by_type;  /* types in report order */
	size_t nalloc_by_type;
	int32_t *alloc_devices;  /* devices with an allocation in this run, ascending */
	size_t nalloc_devices;
	uint64_t checkpoints, checkpoints_disagree;
};

struct lc_site;

struct lc_server_model {
	uint64_t runs;
	/* Per run, in log order: runs entries (the last is the run remaining, leaks and reuse describe). */
	struct lc_run_info *run_list;
	/* Entries live when a restart banner came, summed over the runs it ended. */
	struct lc_tally live_at_restarts;
	uint64_t distinct_keys;  /* (device, address) keys the last run saw: what the replay's memory scales with */
	struct lc_server_events events;
	struct lc_tally remaining;
	struct lc_device_remaining *devices;
	size_t ndevices;
	struct lc_leak *leaks;
	size_t nleaks;
	/*
	 * Unknown frees over all runs. The cause is how the key's latest entry in the current run
	 * ended (after_final_free, after_cleanup); a key with no entry in the current run is
	 * after_restart when an earlier run had an entry for it, never_seen otherwise.
	 */
	uint64_t unknown_count, never_seen, after_final_free, after_cleanup, after_restart;
	struct lc_device_count *unknown_by_device;
	size_t nunknown_by_device;
	/* Unknown frees by PID of the line (count descending, then PID, no PID last) and by position. */
	struct lc_unknown_group *unknown_by_pid;
	size_t nunknown_by_pid;
	struct lc_unknown_group unknown_by_position[LC_UPOS_N];
	struct lc_address_forms address_forms;
	struct lc_cleanup_row *cleanup;
	size_t ncleanup;
	/* Per cleanup row, what it removed by device and type: rows ascending, then devices
	 * ascending and types in report order. Rows that removed nothing have none. */
	struct lc_cleanup_split *cleanup_splits;
	size_t ncleanup_splits;
	/* The entries removed by cleanup, in log order (within a row sorted as leaks are), the
	 * first LC_CLEANUP_ENTRIES_MAX of cleanup_entries_total; cleanup_entry_rows[i] is the
	 * cleanup row of cleanup_entries[i]. Sizes are the stored sizes removed. */
	struct lc_leak *cleanup_entries;
	size_t *cleanup_entry_rows;
	size_t ncleanup_entries;
	uint64_t cleanup_entries_total;
	/*
	 * Call sites the dump and cleanup entries point at beyond the debug sites (set by lc_join,
	 * NULL without a debug log): an entry's site i < nsites of the debug model indexes its
	 * sites, i >= nsites indexes entry_sites[i - nsites] (owned by this model, the sites by the
	 * debug model).
	 */
	const struct lc_site **entry_sites;
	size_t nentry_sites;
	/*
	 * The reuse table, one row per reused address: rows are made on demand from the replay's
	 * own per-address state (lc_reuse_at), so the table costs 4 bytes per row, not a copy.
	 */
	size_t nreuse;
	const uint32_t *reuse_keys;  /* in table order */
	const void *reuse_src;
	void (*reuse_fill)(const void *src, uint32_t key, struct lc_reuse_row *out);
	struct lc_checkpoint *checkpoints;
	size_t ncheckpoints;
	uint64_t checkpoints_disagree;
	struct lc_lifecycle *lifecycle; /* NULL when the last run has no dump */
	struct lc_device_extra *extras;
	size_t nextras;
	bool has_join;           /* a buffer debug log was read too */
	struct lc_join_counts join;
	/* Lines whose printed outcome contradicts the replay (lost or reordered lines). */
	struct lc_note *inconsistencies;
	size_t ninconsistencies;
	uint64_t inconsistencies_total;
	/* Values accepted but implausible (device >= 256 or < 0, sizes over 1 TiB). */
	struct lc_note *implausible;
	size_t nimplausible;
	uint64_t implausible_total;
	bool saturated;          /* a byte sum stopped at 2^64-1 */
	struct lc_timeline_model *timeline; /* live bytes and buffers over the log (owned) */
	/* The entries live at the all-devices bytes peak (for its groups), unless more than the
	 * timeline keeps (peak_entries_over); owned. */
	struct lc_leak *peak_entries;
	size_t npeak_entries;
	bool peak_entries_over;
};

/*
 * The 1-based run that the line at (input, line) belongs to: the last run that started at or
 * before it (0 when it comes before the first run).
 */
uint64_t lc_server_run_of(const struct lc_server_model *m, uint32_t input, uint64_t line);

struct lc_site_split {
	int32_t device;
	const char *type;
	struct lc_tally t;
};

/* A call site: a stack after --skip-frames and --stack-depth. */
struct lc_site {
	const struct lc_span *frames;  /* innermost first, as printed */
	size_t nframes;
	struct lc_tally open;          /* lifetimes open at the end */
	uint64_t allocations, alloc_bytes, peak_live; /* every allocation (--all-allocations) */
	struct lc_tally temporary;     /* lifetimes freed with at most --temporary K allocations between */
	struct lc_site_split *split;   /* open lifetimes by device and type */
	size_t nsplit;
};

struct lc_debug_leak {
	uint64_t pointer;
	int32_t device;
	bool server_entry;             /* lc_join found a live server entry at (device, address) */
	uint64_t address;
	const char *type;
	uint64_t size;
	uint32_t input;
	uint64_t line;
	int64_t site;                  /* index into sites */
	uint64_t seq;                  /* opening order, for the join */
};

struct lc_debug_model {
	uint64_t allocated, deallocated, destructor;
	struct lc_tally live, superseded, hooked;
	uint64_t unmatched;
	struct lc_debug_leak *leaks;
	size_t nleaks;
	const struct lc_site **sites;      /* sites with open lifetimes, in report order */
	size_t nsites;
	const struct lc_site **all_sites;  /* sites of every allocation, in report order (--all-allocations) */
	size_t nall_sites;
	bool all_allocations;
	uint64_t frames_interned;
	bool saturated;
	/*
	 * The non-hooked lifetimes ever opened at a (device, address), for the join of entries no
	 * longer live: history_find(history_src, device, address, &site) returns how many the key
	 * had (0 when none) and sets *site to the most recently opened one's site (frames set).
	 * Owned by the producer, valid as long as the model.
	 */
	const void *history_src;
	uint64_t (*history_find)(const void *src, int32_t device, uint64_t address, const struct lc_site **site);
	struct lc_timeline_model *timeline; /* open lifetimes over the log (owned), or NULL */
};

#endif
