/* SPDX-License-Identifier: MIT */
/*
 * The evidence of what the remaining buffers are: allocation groups (one tensor replicated or
 * sharded over devices) and classes by facts the log holds (allocation phase, lifetime, size,
 * group shape, owner, call site), each with its figures.
 */
#ifndef LC_EVIDENCE_H
#define LC_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/model.h"

/* Lines within which one group's allocations lie, by default. */
#define LC_GROUP_WINDOW 1000
/* Top call sites kept per class. */
#define LC_CLASS_SITES 3

enum lc_shape { LC_SHAPE_ALL, LC_SHAPE_SOME, LC_SHAPE_ONE };

/*
 * One allocation group: entries of one type and size allocated on distinct devices within the
 * window (the rule is lc_evidence_build's). devices and pids point into the evidence's pool;
 * the devices it lacks are found with lc_group_missing. 88 bytes, as there may be one per entry.
 */
struct lc_alloc_group {
	const char *type;        /* borrowed from the entries */
	uint64_t size;
	struct lc_tally t;
	uint64_t first_line, last_line;
	const int32_t *devices;  /* ascending */
	const int32_t *pids;     /* distinct owners, ascending */
	uint32_t input;
	uint32_t ndevices, npids;
	uint32_t nmissing;       /* devices of the run it is not on */
	enum lc_shape shape;
};

enum lc_dim { LC_DIM_PHASE, LC_DIM_DUMP, LC_DIM_TENTH, LC_DIM_LIFETIME, LC_DIM_SIZE, LC_DIM_SHAPE, LC_DIM_OWNER,
	      LC_DIM_SITE, LC_NDIMS };

struct lc_site_share {
	int64_t site;            /* index into the debug model's sites, -1: no site */
	struct lc_tally t;
};

/* One class of one dimension, with its figures. */
struct lc_class_row {
	char name[32];           /* "before_first_stats", "4096", a PID... */
	int64_t key;             /* the class's value (size class, PID, site, bucket), for order */
	struct lc_tally t;
	int32_t *devices;        /* ascending, owned */
	size_t ndevices;
	uint32_t first_input, last_input;
	uint64_t first_line, last_line; /* its earliest and latest allocation */
	struct lc_site_share sites[LC_CLASS_SITES]; /* by bytes, then buffers (with a debug log) */
	size_t nsites;
};

struct lc_class_dim {
	const char *by;          /* "phase", "dump", "tenth", "lifetime", "size", "shape", "owner", "site" */
	struct lc_class_row *rows;
	size_t nrows;
};

/* Which entries an evidence describes. */
struct lc_evidence_scope {
	const char *name;        /* "remaining" (live at the end) or "dump" (live at the chosen dump) */
	uint64_t run;            /* 1-based run they belong to; 0: the last */
	bool at;                 /* lifetimes end at (input, line), not at the end of the stream */
	bool has_device;         /* --device: the run's devices are this one alone (if it had it) */
	int32_t device;
	uint32_t input;
	uint64_t line;
};

struct lc_evidence {
	bool built;
	const char *scope;               /* the scope's name */
	uint32_t scope_input;            /* where its lifetimes end: the dump's title, or the end */
	uint64_t scope_line;
	uint64_t window;
	struct lc_tally total;           /* the entries described */
	const struct lc_run_info *run;   /* the scope's run (allocations by type, its devices); NULL: none */
	const int32_t *run_devices;      /* the devices groups are held against: the run's, or --device's */
	size_t nrun_devices;
	uint64_t stats_blocks, dumps;    /* in that run */
	uint32_t first_stats_input, last_stats_input, first_dump_input;
	uint64_t first_stats_line, last_stats_line, first_dump_line;
	struct lc_alloc_group *groups;   /* by bytes descending, type, size descending, position */
	size_t ngroups;
	int32_t *pool;                   /* the groups' devices and PIDs */
	size_t nasymmetric;              /* groups not on every device of the run */
	struct lc_class_dim dims[LC_NDIMS];
	size_t ndims;                    /* LC_DIM_SITE only with sites */
};

/*
 * Builds the evidence of the entries leaks[0..n) of the scope's run of m and fills each
 * entry's ev (lifetimes end at the scope's end). Groups: the entries in allocation order (input, line); an entry joins the open group of
 * its (type, size) when its device is not in it yet and it lies in the same input, at most
 * window lines after the group's first entry; otherwise it opens a new group of its own. Sites
 * are classed when with_sites (a debug log was joined). inputs give the lines of each input
 * (for lifetimes). The evidence owns what it allocates (lc_evidence_release); it borrows m and
 * the type names of the entries.
 */
void lc_evidence_build(struct lc_evidence *ev, struct lc_leak *leaks, size_t n, const struct lc_server_model *m,
		       const struct lc_input_info *inputs, size_t ninputs, const struct lc_evidence_scope *scope,
		       bool with_sites, uint64_t window);
/*
 * Writes the devices of ev's run that g is not on into out (room for g->nmissing), ascending;
 * out NULL only counts them. Returns their count.
 */
size_t lc_group_missing(const struct lc_evidence *ev, const struct lc_alloc_group *g, int32_t *out);
/* Frees what lc_evidence_build allocated; a zeroed or released evidence is a no-op. */
void lc_evidence_release(struct lc_evidence *ev);

/* Returns the JSON name of a phase: "no_stats", "before_first_stats", "between_stats", "after_last_stats". */
const char *lc_phase_name(enum lc_phase p);
/* Returns the JSON name of a dump phase: "no_dump", "before_first_dump", "after_first_dump". */
const char *lc_dump_phase_name(enum lc_dump_phase p);
/* Returns the JSON name of a tenth: "first_tenth", "middle", "last_tenth". */
const char *lc_tenth_name(enum lc_tenth t);
/* Returns the JSON name of a group shape: "all_devices", "some_devices", "one_device". */
const char *lc_shape_name(enum lc_shape s);
/* Returns the largest power of two at most size (0 for 0). */
uint64_t lc_size_class(uint64_t size);
/*
 * Writes a device set for people into buf: "8 devices: 0-7", "device 0 only",
 * "3 devices: 0, 2-3", "no device". Returns buf.
 */
char *lc_device_set_text(const int32_t *devs, size_t n, char *buf, size_t bufsz);

#endif
