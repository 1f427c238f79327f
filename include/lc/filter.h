/* SPDX-License-Identifier: MIT */
/* The filters (--device, --type, --pid, --min-size): finished models narrowed to the matching entries. */
#ifndef LC_FILTER_H
#define LC_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/model.h"
#include "lc/side.h"

/* What the run keeps: every criterion given must match (AND). */
struct lc_filter {
	bool has_device;         /* --device */
	int32_t device;
	const char *type;        /* --type, as the log prints it; NULL: every type */
	bool has_pid;            /* --pid: the owner process */
	int32_t pid;
	uint64_t min_size;       /* --min-size, 0: every size */
};

/* True when f (may be NULL) narrows anything. */
static inline bool lc_filter_active(const struct lc_filter *f)
{
	return f && (f->has_device || f->type || f->has_pid || f->min_size);
}

/*
 * Whether an entry of this device, type and size passes the device, type and size criteria
 * (the owner is checked apart, where it is known).
 */
bool lc_filter_keeps(const struct lc_filter *f, int32_t device, const char *type, uint64_t size);

/*
 * What lc_filter_apply made: the narrowed arrays the models point to while it lives, and the
 * models as they were, put back by lc_filter_release. Zero it before use.
 */
struct lc_filter_state {
	struct lc_server_model *sm, sm_was;
	struct lc_debug_model *dm, dm_was;
	void **owned;            /* every array the narrowed models point to */
	size_t nowned, capowned;
	bool type_seen;          /* the --type name was seen on some entry, reuse row, dump row or lifetime */
};

/*
 * Narrows the finished models (after the join, before suppressions) to the entries f keeps:
 * server leaks, remaining (recomputed from the kept leaks), run rows by device and type, reuse
 * rows, unknown frees by device, cleanup rows by owner, the dump lifecycle by device and type,
 * extras by device, the join counts; debug leaks (with --pid, those whose server entry has that
 * owner; without a server model --pid cannot narrow them) and their call sites, whose open
 * tallies and splits are recomputed from the kept leaks. What no criterion of f can narrow stays as it was (lc_filter_not_narrowed names it).
 * Either model may be NULL. The replay is not touched: the models point at arrays st owns
 * until lc_filter_release, which puts the models back as they were; release st before the
 * models' producers are destroyed. Does nothing when f is not active.
 */
void lc_filter_apply(struct lc_filter_state *st, const struct lc_filter *f, struct lc_server_model *sm,
		     struct lc_debug_model *dm);

/* Puts the models back as they were and frees what st owns. A zeroed st is a no-op. */
void lc_filter_release(struct lc_filter_state *st);

/*
 * Names the report sections (JSON paths, "events", "unknown_frees.by_cause", "debug.blocks"...)
 * that f cannot narrow, for a run with a server model (server) and a debug model (debug), into
 * names (static strings, at most max).
 * Returns how many; 0 when f is not active.
 */
size_t lc_filter_not_narrowed(const struct lc_filter *f, bool server, bool debug, const char **names, size_t max);

/*
 * Writes "device 0, type L1, pid 7, size >= 4096" (the criteria given) into buf, as snprintf does.
 */
int lc_filter_describe(const struct lc_filter *f, char *buf, size_t n);

/*
 * Narrows a side made from a JSON report of ours (a --diff side, a --baseline) by device, type
 * and size: the leaks that fail are dropped before lc_side_derive. A report's leak groups carry
 * no owner, so --pid cannot narrow them (the caller refuses that).
 */
void lc_filter_side(const struct lc_filter *f, struct lc_side *s);

/* The remaining entries of one owner process. */
struct lc_pid_remaining {
	int32_t pid;
	struct lc_tally t;
	int32_t *devices;        /* ascending */
	size_t ndevices;
};

/*
 * The remaining entries (the leaks of m) by owner PID, by bytes descending then pid ascending,
 * into *out (the caller frees it with lc_pid_remaining_free).
 * Returns the number of rows.
 */
size_t lc_remaining_by_pid(const struct lc_server_model *m, struct lc_pid_remaining **out);

/* Frees rows made by lc_remaining_by_pid. NULL is a no-op. */
void lc_pid_remaining_free(struct lc_pid_remaining *rows, size_t n);

#endif
