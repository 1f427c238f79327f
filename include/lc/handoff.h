/* SPDX-License-Identifier: MIT */
/*
 * The one thread hand-off: a producer thread and a consumer pass buffers ("slots") round
 * between a pool of empty ones and a FIFO of filled ones. The reader's chunks and the server
 * log's event batches both go through it. A slot is the caller's struct with an lc_slot as a
 * member; the hand-off never allocates or frees one.
 */
#ifndef LC_HANDOFF_H
#define LC_HANDOFF_H

#include <pthread.h>
#include <stdbool.h>

struct lc_slot {
	struct lc_slot *next;
};

struct lc_handoff {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct lc_slot *empty;              /* the pool, any order */
	struct lc_slot *full_head, *full_tail; /* filled, in the order they were put */
	bool stop;                          /* the consumer is going away */
};

/* Starts an empty hand-off. Release it with lc_handoff_release once no thread uses it. */
void lc_handoff_init(struct lc_handoff *h);
/* Frees the mutex and condition; the slots still in it are the caller's (lc_handoff_drain). */
void lc_handoff_release(struct lc_handoff *h);

/* Puts an empty slot into the pool (the consumer is done with it, or at start). */
void lc_handoff_put_empty(struct lc_handoff *h, struct lc_slot *s);
/*
 * Takes an empty slot for the producer, waiting for one.
 * Returns it; NULL once lc_handoff_stop was called.
 */
struct lc_slot *lc_handoff_take_empty(struct lc_handoff *h);
/* Appends a filled slot for the consumer. */
void lc_handoff_put_full(struct lc_handoff *h, struct lc_slot *s);
/* Takes the oldest filled slot, waiting for one. Returns it. */
struct lc_slot *lc_handoff_take_full(struct lc_handoff *h);
/* Tells a producer waiting for an empty slot to give up. */
void lc_handoff_stop(struct lc_handoff *h);
/* Removes every slot (empty or full) and calls fn on each, for freeing. */
void lc_handoff_drain(struct lc_handoff *h, void (*fn)(struct lc_slot *s));

#endif
