/* SPDX-License-Identifier: MIT */
/* Exact replay of the allocation server's state machine (FORMATS.md section 2). */
#ifndef LC_REPLAY_H
#define LC_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/event.h"
#include "lc/history.h"
#include "lc/model.h"

struct lc_replay_config {
	uint64_t at_dump;       /* 0: the last dump of the last run; N: the Nth dump over all inputs */
	size_t max_notes;       /* differences and notes kept per list (0: a default of 20) */
	/* --address: the keys it wants (lc_history_wants) have every line, cleanup removal and
	 * restart told to it; borrowed, it must outlive the replay. NULL: nothing is told. */
	struct lc_history *history;
	uint32_t timeline_points;   /* buckets per timeline series (0: 512) */
};

struct lc_replay;

/* Creates an empty replay; the config is copied.
 * Returns the replay, owned by the caller (lc_replay_destroy); it cannot fail. */
struct lc_replay *lc_replay_create(const struct lc_replay_config *cfg);
/* Frees the replay and the model it produced. NULL is a no-op. */
void lc_replay_destroy(struct lc_replay *rp);

/*
 * Applies one recognized server-log event that stood at (input, line). The event is borrowed
 * for the call; what the replay keeps it copies or interns.
 * Events must arrive in log order over all server-log inputs. After a failure (see
 * lc_replay_failed) events are ignored.
 */
void lc_replay_apply(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line);

/*
 * Server-log input `input` ended after `lines` lines: the timeline's axis continues after them.
 * Call after its last event, for every server-log input in order (also those with no event).
 */
void lc_replay_input_end(struct lc_replay *rp, uint32_t input, uint64_t lines);

/* A hint that ev will be applied soon: starts loading its key's slot into the cache.
 * Changes nothing that can be observed. */
void lc_replay_prefetch(const struct lc_replay *rp, const struct lc_sevent *ev);

/*
 * Whether the replay gave up: more distinct buffer type names than it can number (2^27 - 5),
 * reported once to stderr. The model then holds the events applied before, like a truncated
 * input's, and the run must fail (exit status 2).
 * Returns true after such a failure; false otherwise.
 */
bool lc_replay_failed(const struct lc_replay *rp);

/*
 * Ends the stream and builds the model. Call once; the model lives until
 * lc_replay_destroy(). The caller may fill in the leaks' sites (the join).
 * Returns the model.
 */
struct lc_server_model *lc_replay_finish(struct lc_replay *rp);

#endif
