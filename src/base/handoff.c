// SPDX-License-Identifier: MIT
// The one thread hand-off between a producer and a consumer: a pool of empty slots, a FIFO of full ones.
#include "lc/handoff.h"

#include <stddef.h>

void lc_handoff_init(struct lc_handoff *h)
{
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	h->empty = h->full_head = h->full_tail = NULL;
	h->stop = false;
}

void lc_handoff_release(struct lc_handoff *h)
{
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
}

void lc_handoff_put_empty(struct lc_handoff *h, struct lc_slot *s)
{
	pthread_mutex_lock(&h->mu);
	s->next = h->empty;
	h->empty = s;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

struct lc_slot *lc_handoff_take_empty(struct lc_handoff *h)
{
	pthread_mutex_lock(&h->mu);
	while (!h->empty && !h->stop)
		pthread_cond_wait(&h->cv, &h->mu);
	struct lc_slot *s = NULL;
	if (!h->stop) {
		s = h->empty;
		h->empty = s->next;
	}
	pthread_mutex_unlock(&h->mu);
	return s;
}

void lc_handoff_put_full(struct lc_handoff *h, struct lc_slot *s)
{
	pthread_mutex_lock(&h->mu);
	s->next = NULL;
	if (h->full_tail)
		h->full_tail->next = s;
	else
		h->full_head = s;
	h->full_tail = s;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

struct lc_slot *lc_handoff_take_full(struct lc_handoff *h)
{
	pthread_mutex_lock(&h->mu);
	while (!h->full_head)
		pthread_cond_wait(&h->cv, &h->mu);
	struct lc_slot *s = h->full_head;
	h->full_head = s->next;
	if (!h->full_head)
		h->full_tail = NULL;
	pthread_mutex_unlock(&h->mu);
	return s;
}

void lc_handoff_stop(struct lc_handoff *h)
{
	pthread_mutex_lock(&h->mu);
	h->stop = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

static void drain_list(struct lc_slot *s, void (*fn)(struct lc_slot *s))
{
	while (s) {
		struct lc_slot *next = s->next;
		fn(s);
		s = next;
	}
}

void lc_handoff_drain(struct lc_handoff *h, void (*fn)(struct lc_slot *s))
{
	pthread_mutex_lock(&h->mu);
	struct lc_slot *e = h->empty, *f = h->full_head;
	h->empty = h->full_head = h->full_tail = NULL;
	pthread_mutex_unlock(&h->mu);
	drain_list(e, fn);
	drain_list(f, fn);
}
