// SPDX-License-Identifier: MIT
// Server logs on two threads: lines are read and parsed into batches of events on one thread and
// replayed in order on the caller's; batches go back and forth through two short lists.
#include "lc/pipeline.h"

#include "lc/handoff.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_EVENTS 4096
#define NBATCHES 4
#define PREFETCH_AHEAD 8
#define PROGRESS_LINES 65536

struct item {
	uint64_t lineno;
	size_t off[3];               /* the spans' bytes in the batch's arena */
};

struct batch {
	struct lc_slot slot;         /* first: the hand-off's link */
	struct lc_sevent *evs;       /* parsed in place: a step writes straight into the batch */
	struct item *items;
	size_t n;
	struct lc_buf arena;         /* copies of the spans: the lines they point into are gone */
	int rc;                      /* last batch: what lc_reader_next returned at the end */
	bool last;
};

/* Up to this many events come out of one step: the fragments of a cut line and the line itself. */
#define STEP_EVENTS (LC_SPARSER_MAX_FRAGMENTS + 1)

/*
 * The line source of both loops: the reader with one line of look-ahead (the line after a cut
 * one), the parser and the counts. Look-ahead never crosses into another input: r is one input.
 */
struct src {
	struct lc_reader *r;
	struct lc_sparser *sp;
	const struct lc_line_hooks *hooks;
	struct lc_line_counts *counts;
	bool held;                /* the reader's current line was read ahead and is still to be used */
	bool ended;               /* the reader returned end_rc; it is not asked again */
	int end_rc;
	struct lc_span held_line;
	uint64_t held_no;
};

static inline int src_next(struct src *s, struct lc_span *line, uint64_t *lineno)
{
	if (s->held) {
		s->held = false;
		*line = s->held_line;
		*lineno = s->held_no;
		return 1;
	}
	if (s->ended)
		return s->end_rc;
	int rc = lc_reader_next(s->r, line);
	if (rc <= 0) {
		s->ended = true;
		s->end_rc = rc;
		return rc;
	}
	*lineno = lc_reader_lineno(s->r);
	return 1;
}

static void count(struct src *s, enum lc_line_class c, uint64_t lineno, const char *reason)
{
	switch (c) {
	case LC_LINE_RECOGNIZED:
		s->counts->recognized++;
		break;
	case LC_LINE_FOREIGN:
		s->counts->foreign++;
		break;
	case LC_LINE_MALFORMED:
	default:
		s->counts->malformed++;
		if (s->hooks && s->hooks->malformed)
			s->hooks->malformed(s->hooks->ctx, lineno, reason);
		break;
	}
}

struct step {
	struct lc_sevent *ev;     /* room for STEP_EVENTS, the caller's */
	size_t n;                 /* events for the replay, in order; spans live until the next step */
	uint64_t lineno;          /* the (first) line they come from */
	unsigned lines;           /* physical lines used: 1, or 2 for a join */
};

/* Only a fragment that needs no other line: the event is a standalone fragment line's. */
static void frag_event(struct step *st, enum lc_sev_kind kind)
{
	struct lc_sevent *ev = &st->ev[st->n++];
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
}

static void keep(struct step *st, const struct lc_sevent *ev)
{
	if (ev->kind != LC_SEV_NONE)
		st->ev[st->n++] = *ev;
}

/*
 * The rest of step() for a line that may hide a fragment (lc_sparser_suspect): when one is found
 * its event comes first (the fragment was printed before the line it cut was finished), then the
 * joined line's, or the rest's when that is a whole line on its own; otherwise the line counts as
 * it always did, and without a fragment nothing changes at all.
 */
static __attribute__((noinline)) void step_suspect(struct src *s, struct step *st, struct lc_span line,
						   enum lc_line_class c, const char *reason)
{
	struct lc_sevent *ev = &st->ev[0];
	uint64_t lineno = st->lineno;
	struct lc_scut cut;
	if (!lc_sparser_cut(s->sp, line, &cut)) {
		count(s, c, lineno, reason);
		if (c == LC_LINE_RECOGNIZED && ev->kind == LC_SEV_NONE)
			s->counts->trivial += lc_span_trivial(line);
		if (c == LC_LINE_RECOGNIZED && ev->kind != LC_SEV_NONE)
			st->n = 1;
		return;
	}
	struct lc_sevent before = *ev; /* the kinds lc_sparser_suspect lets through borrow no spans */
	for (unsigned i = 0; i < cut.nfrag; i++)
		frag_event(st, cut.frag[i]);
	struct lc_span next;
	uint64_t next_no = 0;
	struct lc_sevent joined;
	if (src_next(s, &next, &next_no) > 0) {
		if (lc_sparser_rejoin(s->sp, &cut, next, &joined)) {
			s->counts->recognized += 2;
			s->counts->joined++;
			st->lines = 2;
			keep(st, &joined);
			return;
		}
		s->held = true; /* read as a line of its own by the next step */
		s->held_line = next;
		s->held_no = next_no;
	}
	const char *rreason = NULL;
	struct lc_sevent rest;
	if (lc_sparser_line(s->sp, cut.rest, &rest, &rreason) == LC_LINE_RECOGNIZED) {
		count(s, LC_LINE_RECOGNIZED, lineno, NULL);
		keep(st, &rest);
		return;
	}
	count(s, c, lineno, reason);
	if (c == LC_LINE_RECOGNIZED && before.kind != LC_SEV_DUMP_RECEIVED && before.kind != LC_SEV_DUMP_COMPLETE)
		keep(st, &before);
}

/*
 * Reads one line and classifies it. The common case, a line recognized by a check that reaches
 * its end (so no unlocked fragment can hide in it), returns 2 with its event in st->ev[0] and
 * st->lineno set, the rest of *st untouched; the loops handle it inline. Any other line goes
 * through step_suspect() and returns 1 with *st filled (two lines read for a join).
 * Returns what lc_reader_next returned at the end (0 or -1).
 */
static inline __attribute__((always_inline)) int step(struct src *s, struct step *st)
{
	struct lc_span line;
	uint64_t lineno = 0;
	int rc = src_next(s, &line, &lineno);
	if (rc <= 0)
		return rc;
	st->lineno = lineno;
	const char *reason = NULL;
	enum lc_line_class c = lc_sparser_line(s->sp, line, &st->ev[0], &reason);
	if (__builtin_expect(!lc_sparser_suspect(c, &st->ev[0]), 1))
		return 2; /* recognized, and a state line: only the lax kinds are suspect */
	st->n = 0;
	st->lines = 1;
	step_suspect(s, st, line, c, reason);
	return 1;
}

/* The progress hook, every PROGRESS_LINES lines; a join uses lines lineno and lineno + 1. */
static inline void tick(const struct lc_line_hooks *h, const struct lc_reader *r, uint64_t lineno, unsigned lines,
			uint64_t events)
{
	if (((lineno & (PROGRESS_LINES - 1)) == 0 || (lines > 1 && ((lineno + 1) & (PROGRESS_LINES - 1)) == 0)) && h &&
	    h->progress)
		h->progress(h->ctx, r, events);
}

struct pipe {
	struct lc_reader *r;
	struct lc_sparser *sp;
	const struct lc_line_hooks *hooks;
	struct lc_line_counts counts;
	struct src src;
	uint64_t events;
	struct lc_handoff q;         /* batches between the parser thread and the replay */
};

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
	struct step st;
	int rc = 0;
	while (b->n + STEP_EVENTS <= BATCH_EVENTS) {
		st.ev = &b->evs[b->n];
		if ((rc = step(&p->src, &st)) <= 0)
			break;
		if (rc == 2) {
			st.n = 1;
			p->counts.recognized++;
		}
		for (size_t k = 0; k < st.n; k++) {
			struct item *it = &b->items[b->n + k];
			struct lc_sevent *ev = &b->evs[b->n + k];
			it->lineno = st.lineno;
			keep_span(&b->arena, &ev->type, &it->off[0]);
			keep_span(&b->arena, &ev->num1, &it->off[1]);
			keep_span(&b->arena, &ev->num2, &it->off[2]);
		}
		b->n += st.n;
		p->events += st.n;
		tick(p->hooks, p->r, st.lineno, rc == 2 ? 1 : st.lines, p->events);
	}
	for (size_t i = 0; i < b->n; i++) {
		struct item *it = &b->items[i];
		struct lc_sevent *ev = &b->evs[i];
		fix_span(&b->arena, &ev->type, it->off[0]);
		fix_span(&b->arena, &ev->num1, it->off[1]);
		fix_span(&b->arena, &ev->num2, it->off[2]);
	}
	b->last = rc <= 0;
	b->rc = rc;
}

static void *parser_main(void *arg)
{
	struct pipe *p = arg;
	for (;;) {
		struct batch *b = (struct batch *)lc_handoff_take_empty(&p->q);
		fill_batch(p, b);
		bool last = b->last; /* read before the consumer owns b */
		lc_handoff_put_full(&p->q, &b->slot);
		if (last)
			return NULL;
	}
}

static int inline_loop(struct lc_reader *r, struct lc_sparser *sp, struct lc_replay *rp, uint32_t input,
		       const struct lc_line_hooks *hooks, struct lc_line_counts *counts)
{
	struct src src = { .r = r, .sp = sp, .hooks = hooks, .counts = counts };
	struct lc_sevent evs[STEP_EVENTS];
	struct step st = { .ev = evs };
	uint64_t events = 0;
	int rc;
	while ((rc = step(&src, &st)) > 0) {
		if (rc == 2) {
			counts->recognized++;
			lc_replay_apply(rp, &evs[0], input, st.lineno);
			events++;
			tick(hooks, r, st.lineno, 1, events);
			continue;
		}
		for (size_t k = 0; k < st.n; k++)
			lc_replay_apply(rp, &evs[k], input, st.lineno);
		events += st.n;
		tick(hooks, r, st.lineno, st.lines, events);
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
	p.src = (struct src){ .r = r, .sp = sp, .hooks = hooks, .counts = &p.counts };
	struct batch batches[NBATCHES];
	memset(batches, 0, sizeof batches);
	lc_handoff_init(&p.q);
	for (int i = 0; i < NBATCHES; i++) {
		batches[i].items = lc_xmalloc(BATCH_EVENTS * sizeof *batches[i].items);
		batches[i].evs = lc_xmalloc(BATCH_EVENTS * sizeof *batches[i].evs);
		lc_handoff_put_empty(&p.q, &batches[i].slot);
	}
	pthread_t th;
	int rc;
	if (pthread_create(&th, NULL, parser_main, &p) != 0) {
		rc = inline_loop(r, sp, rp, input, hooks, counts);
	} else {
		for (;;) {
			struct batch *b = (struct batch *)lc_handoff_take_full(&p.q);

			for (size_t i = 0; i < b->n; i++) {
				if (i + PREFETCH_AHEAD < b->n)
					lc_replay_prefetch(rp, &b->evs[i + PREFETCH_AHEAD]);
				lc_replay_apply(rp, &b->evs[i], input, b->items[i].lineno);
			}
			bool last = b->last;
			rc = b->rc;

			lc_handoff_put_empty(&p.q, &b->slot);
			if (last)
				break;
		}
		pthread_join(th, NULL);
		counts->recognized += p.counts.recognized;
		counts->foreign += p.counts.foreign;
		counts->malformed += p.counts.malformed;
		counts->trivial += p.counts.trivial;
		counts->joined += p.counts.joined;
		counts->events += p.events;
	}
	lc_handoff_release(&p.q);
	for (int i = 0; i < NBATCHES; i++) {
		free(batches[i].items);
		free(batches[i].evs);
		lc_buf_release(&batches[i].arena);
	}
	return rc;
}
