// SPDX-License-Identifier: MIT
// Live bytes and buffers over the log: min/max/last buckets of doubling width, exact peaks.
#include "lc/timeline.h"

#include <stdlib.h>
#include <string.h>

#include "lc/util.h"

void lc_timeline_init(struct lc_timeline *tl, uint32_t points)
{
	memset(tl, 0, sizeof *tl);
	tl->points = points < 2 ? 2 : points;
	tl->w = 1;
}

void lc_timeline_release(struct lc_timeline *tl)
{
	for (uint32_t i = 0; i < tl->n; i++) {
		free(tl->s[i]->b);
		free(tl->s[i]);
	}
	free(tl->s);
	uint32_t points = tl->points;
	lc_timeline_init(tl, points);
}

uint32_t lc_timeline_series(struct lc_timeline *tl)
{
	if (tl->n == tl->cap) {
		tl->cap = tl->cap ? 2 * tl->cap : 16;
		tl->s = lc_xrealloc(tl->s, tl->cap * sizeof *tl->s);
	}
	tl->s[tl->n] = lc_xcalloc(1, sizeof *tl->s[tl->n]);
	return tl->n++;
}

/* Buckets of series s that hold a value: those up to line upto. */
static uint64_t filled(const struct lc_timeline *tl, const struct lc_tl_series *s)
{
	return s->upto ? (s->upto - 1) / tl->w + 1 : 0;
}

/* Doubles the width, merging bucket pairs, until line x has a bucket. */
static void make_room(struct lc_timeline *tl, uint64_t x)
{
	while (x > (uint64_t)tl->points * tl->w) {
		for (uint32_t i = 0; i < tl->n; i++) {
			struct lc_tl_series *s = tl->s[i];
			uint64_t f = filled(tl, s);
			for (uint64_t j = 0; 2 * j < f; j++) {
				struct lc_tl_bucket m = s->b[2 * j];
				if (2 * j + 1 < f) {
					const struct lc_tl_bucket *o = &s->b[2 * j + 1];
					for (int q = 0; q < LC_TL_NQ; q++) {
						m.min[q] = o->min[q] < m.min[q] ? o->min[q] : m.min[q];
						m.max[q] = o->max[q] > m.max[q] ? o->max[q] : m.max[q];
						m.last[q] = o->last[q];
					}
				}
				s->b[j] = m;
			}
		}
		tl->w *= 2;
	}
}

/* Lines [a, b] of series s (a = s->upto + 1) had the values v. */
static void account(struct lc_timeline *tl, struct lc_tl_series *s, uint64_t a, uint64_t b, const uint64_t *v)
{
	if (a > b)
		return;
	if (!s->b)
		s->b = lc_xcalloc(tl->points, sizeof *s->b);
	uint64_t f = filled(tl, s);
	for (uint64_t k = (a - 1) / tl->w; k <= (b - 1) / tl->w; k++) {
		struct lc_tl_bucket *bk = &s->b[k];
		for (int q = 0; q < LC_TL_NQ; q++) {
			if (k >= f) {
				bk->min[q] = bk->max[q] = v[q];
			} else {
				bk->min[q] = v[q] < bk->min[q] ? v[q] : bk->min[q];
				bk->max[q] = v[q] > bk->max[q] ? v[q] : bk->max[q];
			}
			bk->last[q] = v[q];
		}
	}
	s->upto = b;
}

/* Puts the line of the latest change, and the lines before it, into the buckets. */
static void commit(struct lc_timeline *tl, struct lc_tl_series *s)
{
	if (!s->at || s->upto >= s->at)
		return;
	account(tl, s, s->upto + 1, s->at - 1, s->base);
	account(tl, s, s->at, s->at, s->cur);
	memcpy(s->base, s->cur, sizeof s->base);
}

unsigned lc_timeline_set(struct lc_timeline *tl, uint32_t id, uint64_t x, uint64_t bytes, uint64_t buffers)
{
	struct lc_tl_series *s = tl->s[id];
	if (x < tl->x)
		x = tl->x;
	if (x == 0)
		x = 1;
	tl->x = x;
	make_room(tl, x);
	if (x > s->at) {
		commit(tl, s);
		s->at = x;
	}
	s->cur[LC_TL_BYTES] = bytes;
	s->cur[LC_TL_BUFFERS] = buffers;
	unsigned peaks = 0;
	for (int q = 0; q < LC_TL_NQ; q++) {
		if (s->cur[q] > s->peak[q]) {
			s->peak[q] = s->cur[q];
			s->peak_x[q] = x;
			peaks |= 1u << q;
		}
	}
	return peaks;
}

void lc_timeline_end(struct lc_timeline *tl, uint64_t x_end)
{
	if (x_end < tl->x)
		x_end = tl->x;
	make_room(tl, x_end);
	for (uint32_t i = 0; i < tl->n; i++) {
		struct lc_tl_series *s = tl->s[i];
		commit(tl, s);
		account(tl, s, s->upto + 1, x_end, s->base);
	}
	tl->x = tl->end = x_end;
}

uint32_t lc_timeline_buckets(const struct lc_timeline *tl)
{
	return (uint32_t)((tl->end + tl->w - 1) / tl->w);
}

bool lc_tl_where(const struct lc_timeline_model *tm, uint64_t x, uint32_t *input, uint64_t *line)
{
	for (size_t i = 0; i < tm->ninputs; i++) {
		const struct lc_tl_input *in = &tm->inputs[i];
		if (x >= in->first_x && x - in->first_x < in->lines) {
			*input = in->input;
			*line = x - in->first_x + 1;
			return true;
		}
	}
	return false;
}

void lc_tl_mark(struct lc_tl_marks *m, uint64_t x, uint32_t points)
{
	m->count++;
	if (m->n >= points)
		return;
	m->x = lc_xrealloc(m->x, (m->n + 1) * sizeof *m->x);
	m->x[m->n++] = x;
}

static void rows_free(struct lc_tl_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i].devices);
	free(rows);
}

void lc_timeline_model_free(struct lc_timeline_model *tm)
{
	if (!tm)
		return;
	lc_timeline_release(&tm->tl);
	free(tm->series);
	free(tm->inputs);
	free(tm->restarts.x);
	free(tm->dumps.x);
	free(tm->cleanups.x);
	free(tm->stats.x);
	free(tm->wall);
	for (size_t i = 0; i < tm->npeaks; i++) {
		rows_free(tm->peaks[i].by_type, tm->peaks[i].nby_type);
		rows_free(tm->peaks[i].by_group, tm->peaks[i].nby_group);
		rows_free(tm->peaks[i].by_site, tm->peaks[i].nby_site);
	}
	free(tm->peaks);
	free(tm);
}
