// SPDX-License-Identifier: MIT
// Server logs on two threads: lines are read and parsed into batches of events on one thread and
// replayed in order on the caller's; batches go back and forth through two short lists.
#include "lc/pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_EVENTS 4096
#define NBATCHES 4
#define PREFETCH_AHEAD 8
#define PROGRESS_LINES 65536

struct item {
	struct lc_sevent ev;
	uint64_t lineno;
	size_t off[3];               /* the spans' bytes in the batch's arena */
};

struct batch {
	struct item *items;
	size_t n;
	struct lc_buf arena;         /* copies of the spans: the lines they point into are gone */
	int rc;                      /* last batch: what lc_reader_next returned at the end */
	bool last;
	struct batch *next;
};

struct pipe {
	struct lc_reader *r;
	struct lc_sparser *sp;
	const struct lc_line_hooks *hooks;
	struct lc_line_counts counts;
	uint64_t events;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *free_list;
	struct batch *full_head, *full_tail;
};

/* One line through the parser, counted; returns true when it yields an event for the replay. */
static bool parse_one(struct lc_sparser *sp, const struct lc_line_hooks *h, struct lc_line_counts *counts,
		      struct lc_span line, uint64_t lineno, struct lc_sevent *ev)
{
	const char *reason = NULL;
	switch (lc_sparser_line(sp, line, ev, &reason)) {
	case LC_LINE_RECOGNIZED:
		counts->recognized++;
		return ev->kind != LC_SEV_NONE;
	case LC_LINE_FOREIGN:
		counts->foreign++;
		return false;
	case LC_LINE_MALFORMED:
	default:
		counts->malformed++;
		if (h && h->malformed)
			h->malformed(h->ctx, lineno, reason);
		return false;
	}
}

static void keep_span(struct lc_buf *arena, struct lc_span *s, size_t *off)
{
	*off = arena->n;
	if (s->n)
		lc_buf_add(arena, s->p, s->n);
}

static void fix_span(const struct lc_buf *arena, struct lc_span *s, size_t off)
{
	s->p = s->n ? arena->p + off : "";
}

static void fill_batch(struct pipe *p, struct batch *b)
{
	b->n = 0;
	lc_buf_reset(&b->arena);
	struct lc_span line;
	int rc = 0;
	while (b->n < BATCH_EVENTS && (rc = lc_reader_next(p->r, &line)) > 0) {
		uint64_t lineno = lc_reader_lineno(p->r);
		struct item *it = &b->items[b->n];
		if (parse_one(p->sp, p->hooks, &p->counts, line, lineno, &it->ev)) {
			it->lineno = lineno;
			keep_span(&b->arena, &it->ev.type, &it->off[0]);
			keep_span(&b->arena, &it->ev.num1, &it->off[1]);
			keep_span(&b->arena, &it->ev.num2, &it->off[2]);
			b->n++;
			p->events++;
		}
		if ((lineno & (PROGRESS_LINES - 1)) == 0 && p->hooks && p->hooks->progress)
			p->hooks->progress(p->hooks->ctx, p->r, p->events);
	}
	for (size_t i = 0; i < b->n; i++) {
		struct item *it = &b->items[i];
		fix_span(&b->arena, &it->ev.type, it->off[0]);
		fix_span(&b->arena, &it->ev.num1, it->off[1]);
		fix_span(&b->arena, &it->ev.num2, it->off[2]);
	}
	b->last = rc <= 0;
	b->rc = rc;
}

static void *parser_main(void *arg)
{
	struct pipe *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->free_list)
			pthread_cond_wait(&p->cv, &p->mu);
		struct batch *b = p->free_list;
		p->free_list = b->next;
		pthread_mutex_unlock(&p->mu);

		fill_batch(p, b);

		pthread_mutex_lock(&p->mu);
		b->next = NULL;
		if (p->full_tail)
			p->full_tail->next = b;
		else
			p->full_head = b;
		p->full_tail = b;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (b->last)
			return NULL;
	}
}

static int inline_loop(struct lc_reader *r, struct lc_sparser *sp, struct lc_replay *rp, uint32_t input,
		       const struct lc_line_hooks *hooks, struct lc_line_counts *counts)
{
	struct lc_span line;
	struct lc_sevent ev;
	uint64_t events = 0;
	int rc;
	while ((rc = lc_reader_next(r, &line)) > 0) {
		uint64_t lineno = lc_reader_lineno(r);
		if (parse_one(sp, hooks, counts, line, lineno, &ev)) {
			lc_replay_apply(rp, &ev, input, lineno);
			events++;
		}
		if ((lineno & (PROGRESS_LINES - 1)) == 0 && hooks && hooks->progress)
			hooks->progress(hooks->ctx, r, events);
	}
	counts->events += events;
	return rc;
}

int lc_server_lines(struct lc_reader *r, struct lc_sparser *sp, struct lc_replay *rp, uint32_t input,
		    const struct lc_line_hooks *hooks, struct lc_line_counts *counts, unsigned threads)
{
	if (threads < 2)
		return inline_loop(r, sp, rp, input, hooks, counts);
	struct pipe p = { .r = r, .sp = sp, .hooks = hooks };
	struct batch batches[NBATCHES];
	memset(batches, 0, sizeof batches);
	for (int i = 0; i < NBATCHES; i++) {
		batches[i].items = lc_xmalloc(BATCH_EVENTS * sizeof *batches[i].items);
		batches[i].next = p.free_list;
		p.free_list = &batches[i];
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	pthread_t th;
	int rc;
	if (pthread_create(&th, NULL, parser_main, &p) != 0) {
		rc = inline_loop(r, sp, rp, input, hooks, counts);
	} else {
		for (;;) {
			pthread_mutex_lock(&p.mu);
			while (!p.full_head)
				pthread_cond_wait(&p.cv, &p.mu);
			struct batch *b = p.full_head;
			p.full_head = b->next;
			if (!p.full_head)
				p.full_tail = NULL;
			pthread_mutex_unlock(&p.mu);

			for (size_t i = 0; i < b->n; i++) {
				if (i + PREFETCH_AHEAD < b->n)
					lc_replay_prefetch(rp, &b->items[i + PREFETCH_AHEAD].ev);
				lc_replay_apply(rp, &b->items[i].ev, input, b->items[i].lineno);
			}
			bool last = b->last;
			rc = b->rc;

			pthread_mutex_lock(&p.mu);
			b->next = p.free_list;
			p.free_list = b;
			pthread_cond_broadcast(&p.cv);
			pthread_mutex_unlock(&p.mu);
			if (last)
				break;
		}
		pthread_join(th, NULL);
		counts->recognized += p.counts.recognized;
		counts->foreign += p.counts.foreign;
		counts->malformed += p.counts.malformed;
		counts->events += p.events;
	}
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	for (int i = 0; i < NBATCHES; i++) {
		free(batches[i].items);
		lc_buf_release(&batches[i].arena);
	}
	return rc;
}
