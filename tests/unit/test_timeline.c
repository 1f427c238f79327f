// SPDX-License-Identifier: MIT
// Unit tests of the timeline: a hand-worked series, then random streams against a brute force
// that keeps v(x) for every line and buckets it by the rule, with no merging.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/timeline.h"
#include "tap.h"

static void test_hand(void)
{
	/* points 4. Changes: line 2 -> 10 bytes (1 buffer), line 3 -> 30 (2), line 3 again -> 20 (1),
	 * line 9 -> 5 (1); end at line 10. v = 0 10 20 20 20 20 20 20 5 5 (lines 1-10).
	 * 10 > 4*2, so w = 4: buckets [1-4] [5-8] [9-10]: min 0 20 5, max 20 20 5, last 20 20 5.
	 * The bytes peak is 30 (at line 3, the first change of the line), buffers peak 2 at line 3. */
	struct lc_timeline tl;
	lc_timeline_init(&tl, 4);
	uint32_t id = lc_timeline_series(&tl);
	EQ_U64(lc_timeline_set(&tl, id, 2, 10, 1), 3, "line 2: new peaks of both");
	EQ_U64(lc_timeline_set(&tl, id, 3, 30, 2), 3, "line 3: new peaks of both");
	EQ_U64(lc_timeline_set(&tl, id, 3, 20, 1), 0, "line 3 again: lower");
	EQ_U64(lc_timeline_set(&tl, id, 9, 5, 1), 0, "line 9: lower");
	lc_timeline_end(&tl, 10);
	const struct lc_tl_series *s = tl.s[id];
	EQ_U64(tl.w, 4, "width 4");
	EQ_U64(lc_timeline_buckets(&tl), 3, "3 buckets");
	uint64_t mn[] = { 0, 20, 5 }, mx[] = { 20, 20, 5 }, la[] = { 20, 20, 5 };
	for (int k = 0; k < 3; k++) {
		EQ_U64(s->b[k].min[LC_TL_BYTES], mn[k], "bucket %d min", k);
		EQ_U64(s->b[k].max[LC_TL_BYTES], mx[k], "bucket %d max", k);
		EQ_U64(s->b[k].last[LC_TL_BYTES], la[k], "bucket %d last", k);
	}
	EQ_U64(s->peak[LC_TL_BYTES], 30, "bytes peak");
	EQ_U64(s->peak_x[LC_TL_BYTES], 3, "at line 3");
	EQ_U64(s->peak[LC_TL_BUFFERS], 2, "buffers peak");
	/* A second series added after the first was told line 9: 0 until its change at line 10. */
	lc_timeline_release(&tl);
	EQ_U64(tl.n, 0, "release empties");

	/* Lines going back count as the latest line: line 5 -> 7, then "line 3" -> 9 is line 5. */
	lc_timeline_init(&tl, 8);
	id = lc_timeline_series(&tl);
	lc_timeline_set(&tl, id, 5, 7, 1);
	lc_timeline_set(&tl, id, 3, 9, 1);
	lc_timeline_end(&tl, 6);
	s = tl.s[id];
	EQ_U64(s->peak_x[LC_TL_BYTES], 5, "a line going back is the latest");
	EQ_U64(s->b[4].max[LC_TL_BYTES], 9, "line 5 ends at 9");
	EQ_U64(s->b[4].min[LC_TL_BYTES], 9, "and 7 was not a value of any line");
	EQ_U64(s->b[5].last[LC_TL_BYTES], 9, "line 6 carries it");
	lc_timeline_release(&tl);

	/* An empty stream: no buckets. */
	lc_timeline_init(&tl, 8);
	lc_timeline_series(&tl);
	lc_timeline_end(&tl, 0);
	EQ_U64(lc_timeline_buckets(&tl), 0, "an empty stream has no buckets");
	lc_timeline_release(&tl);
}

static uint64_t rnd_state = 88172645463325252ull;
static uint64_t rnd(uint64_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state % n;
}

/* One random stream of nseries series over lines 1..end, checked against the brute force. */
static int random_stream(uint32_t points, uint32_t nseries, uint64_t end)
{
	struct lc_timeline tl;
	lc_timeline_init(&tl, points);
	uint64_t *v = calloc(nseries * (end + 1) * 2, sizeof *v); /* v[s][x][q] */
	uint64_t *born = calloc(nseries, sizeof *born);
	uint64_t *pk = calloc(nseries * 4, sizeof *pk); /* every change weighed: peak, x per quantity */
	uint32_t *ids = calloc(nseries, sizeof *ids);
	bool *have = calloc(nseries, sizeof *have);
#define V(s, x, q) v[((size_t)(s) * (end + 1) + (x)) * 2 + (q)]
	uint64_t x = 0;
	while (x < end) {
		x += 1 + rnd(rnd(4) ? 3 : 40); /* sometimes long gaps */
		if (x > end)
			break;
		int changes = 1 + (int)rnd(3);
		for (int c = 0; c < changes; c++) {
			uint32_t si = (uint32_t)rnd(nseries);
			if (!have[si]) { /* a series may start late */
				ids[si] = lc_timeline_series(&tl);
				have[si] = true;
			}
			uint64_t b = rnd(1000), n = rnd(50);
			lc_timeline_set(&tl, ids[si], x, b, n);
			V(si, x, 0) = b;
			V(si, x, 1) = n;
			born[si] |= 1;
			uint64_t val[2] = { b, n };
			for (int q = 0; q < 2; q++)
				if (val[q] > pk[si * 4 + q * 2]) {
					pk[si * 4 + q * 2] = val[q];
					pk[si * 4 + q * 2 + 1] = x;
				}
			/* marks that x holds a change */
			V(si, x, 0) |= 1ull << 62;
		}
	}
	lc_timeline_end(&tl, end);
	uint64_t w = 1;
	while (end > points * w)
		w *= 2;
	int bad = 0;
	if (tl.w != w)
		bad++;
	for (uint32_t si = 0; si < nseries; si++) {
		if (!have[si])
			continue;
		uint64_t cur[2] = { 0, 0 };
		const struct lc_tl_series *s = tl.s[ids[si]];
		for (uint64_t k = 0; k * w < end; k++) {
			uint64_t mn[2] = { UINT64_MAX, UINT64_MAX }, mx[2] = { 0, 0 };
			for (uint64_t y = k * w + 1; y <= (k + 1) * w && y <= end; y++) {
				if (V(si, y, 0) >> 62) {
					cur[0] = V(si, y, 0) & ~(1ull << 62);
					cur[1] = V(si, y, 1);
				}
				for (int q = 0; q < 2; q++) {
					mn[q] = cur[q] < mn[q] ? cur[q] : mn[q];
					mx[q] = cur[q] > mx[q] ? cur[q] : mx[q];
				}
			}
			for (int q = 0; q < 2; q++)
				if (s->b[k].min[q] != mn[q] || s->b[k].max[q] != mx[q] || s->b[k].last[q] != cur[q])
					bad++;
		}
		/* Peaks weigh every change, the earlier ones of a line too. */
		for (int q = 0; q < 2; q++)
			if (s->peak[q] != pk[si * 4 + q * 2] || s->peak_x[q] != pk[si * 4 + q * 2 + 1])
				bad++;
	}
	if (lc_timeline_buckets(&tl) != (end + w - 1) / w)
		bad++;
#undef V
	free(v);
	free(born);
	free(pk);
	free(ids);
	free(have);
	lc_timeline_release(&tl);
	return bad;
}

int main(void)
{
	test_hand();
	uint32_t pts[] = { 2, 3, 16, 512 };
	uint64_t ends[] = { 1, 7, 100, 5000 };
	for (int p = 0; p < 4; p++)
		for (int e = 0; e < 4; e++)
			EQ_U64(random_stream(pts[p], 1 + (uint32_t)(e % 3) * 3, ends[e]), 0,
			       "random stream: %u points, %llu lines: buckets, width and peaks as the brute force's",
			       pts[p], (unsigned long long)ends[e]);
	return tap_done();
}
