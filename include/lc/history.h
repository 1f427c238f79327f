/* SPDX-License-Identifier: MIT */
/* --address: the whole story of one buffer address, told by the replay and the lifetimes tracker. */
#ifndef LC_HISTORY_H
#define LC_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc/util.h"

/*
 * What happened to a (device, address) key, one kind per server line (or restart). The names
 * are those of server.events; restart_dropped is a start banner that found the key live.
 */
enum lc_hist_kind {
	LC_HIST_ALLOC,           /* a new allocation line */
	LC_HIST_ALLOC_REF,       /* an allocation line with ref_count= */
	LC_HIST_FREE_REF,        /* a free line with "ref_count=N remaining" */
	LC_HIST_FREE_FINAL,      /* a FINAL free line */
	LC_HIST_FREE_UNKNOWN,    /* a "Deallocation for unknown buffer" line */
	LC_HIST_CLEANUP,         /* removed by dead-process cleanup ("PID n is dead" line) */
	LC_HIST_RESTART,         /* live when a start banner began a new run: dropped by the restart */
	LC_HIST_NKINDS,
};

/* Returns the JSON name of a kind ("alloc", "alloc_ref", ..., "cleanup_removed", "restart_dropped"). */
const char *lc_hist_kind_name(enum lc_hist_kind k);

/* One event of a key, as the line printed it and as the replay stood after it. */
struct lc_hist_event {
	enum lc_hist_kind kind;
	uint32_t input;
	uint64_t line;
	uint64_t run;            /* 1-based run the line belongs to (restart: the run it ended) */
	int32_t pid;             /* the line's PID (cleanup: the dead PID; restart: the entry's owner) */
	bool has_pid;
	uint64_t size;           /* the line's bytes (cleanup, restart: the stored size); 0 when none */
	const char *type;        /* the line's type (other kinds: the entry's), NULL when unknown */
	bool live;               /* the replay holds the key live after the line */
	int32_t ref_count;       /* the replay's count after the line, 0 when not live */
	bool has_printed_ref;    /* the line printed a count: ref_count=N or "ref_count=N remaining" */
	int32_t printed_ref;
};

/* How a Buffer* lifetime ended. */
enum lc_hist_end { LC_HIST_OPEN, LC_HIST_DEALLOCATED, LC_HIST_DESTRUCTOR, LC_HIST_SUPERSEDED };

/* Returns the JSON name of an end: "open", "deallocated", "destructor", "superseded". */
const char *lc_hist_end_name(enum lc_hist_end e);

/* One Buffer* lifetime of the buffer debug log at the key. */
struct lc_hist_lifetime {
	uint64_t pointer, size;
	const char *type;
	uint32_t input;
	uint64_t line;           /* the ALLOCATED block's title line */
	enum lc_hist_end end;
	uint32_t end_input;      /* where it ended; unset while open */
	uint64_t end_line;
	bool hooked;
	uint32_t site;           /* the tracker's site id (private to lifetimes.c) */
	struct lc_span frames[8]; /* the call site after --skip-frames and --stack-depth, innermost first */
	size_t nframes;
};

/* The story of one (device, address) key. */
struct lc_hist_key {
	int32_t device;
	uint64_t counts[LC_HIST_NKINDS];
	struct lc_hist_event *events;   /* the first max_events, in log order */
	size_t nevents;
	uint64_t events_total;
	struct lc_hist_lifetime *lifetimes; /* the first max_events, in opening order */
	size_t nlifetimes;
	uint64_t lifetimes_total;
};

/* The --address section: every key at the address (one device with --device), devices ascending. */
struct lc_address_history {
	uint64_t address;
	bool has_device;
	int32_t device;
	bool has_debug;          /* a buffer debug log was read: lifetimes are known */
	const struct lc_hist_key *keys;
	size_t nkeys;
};

#define LC_HIST_MAX_EVENTS 10000

struct lc_history;

/*
 * Creates an empty story of address (of device only when has_device), keeping at most
 * max_events events and as many lifetimes per key (0: LC_HIST_MAX_EVENTS); the rest are counted.
 * Returns the history, owned by the caller (lc_history_destroy); it cannot fail.
 */
struct lc_history *lc_history_create(uint64_t address, bool has_device, int32_t device, size_t max_events);
/* Frees the history and its model. NULL is a no-op. */
void lc_history_destroy(struct lc_history *h);

/* Returns the address the history tells. */
uint64_t lc_history_address(const struct lc_history *h);
/* Returns true when (device, address) is a key the history tells. */
bool lc_history_wants(const struct lc_history *h, int32_t device, uint64_t address);

/*
 * Adds ev to the story of (device, h's address), after the events before it in log order (the
 * key is made when new); ev and its type string are copied. Past max_events the event is only
 * counted. Called by the replay only for keys lc_history_wants.
 */
void lc_history_event(struct lc_history *h, int32_t device, const struct lc_hist_event *ev);

/*
 * The keys the history has seen, for the replay's restart hook: *n receives their number.
 * Returns an array of their devices, owned by the history, valid until the next call that adds a key.
 */
const int32_t *lc_history_devices(const struct lc_history *h, size_t *n);

/*
 * A Buffer* lifetime opens at a wanted key (lc_history_wants). A lifetime still open at the
 * same pointer ends first as superseded (the tracker says so with lc_history_close).
 */
void lc_history_open(struct lc_history *h, int32_t device, const struct lc_hist_lifetime *lt);
/* The open lifetime of pointer (at any key of h) ends as end at (input, line); none: no-op. */
void lc_history_close(struct lc_history *h, uint64_t pointer, enum lc_hist_end end, uint32_t input, uint64_t line);

/*
 * Fills every kept lifetime's frames: fn writes the frames of a site id into out (at most 8)
 * and returns their number. The spans must live as long as the history's model is used.
 */
void lc_history_set_frames(struct lc_history *h, size_t (*fn)(void *ctx, uint32_t site, struct lc_span *out),
			   void *ctx);

/* Says a buffer debug log was read (lifetimes are known, even when none is at the address). */
void lc_history_mark_debug(struct lc_history *h);

/*
 * Returns the model: keys by device ascending, valid until lc_history_destroy or the next
 * event. The history owns it.
 */
const struct lc_address_history *lc_history_model(struct lc_history *h);

#endif
