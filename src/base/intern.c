// SPDX-License-Identifier: MIT
// The string interner: an arena of NUL-terminated copies that never move, found through lc_index.
#include "lc/intern.h"

#include <stdlib.h>
#include <string.h>

/* Arena chunk size: a longer string gets a chunk of its own. */
#define CHUNK (64 * 1024)

/* A string sought in the index. */
struct internq {
	const struct lc_intern *in;
	struct lc_span s;
};

static bool intern_eq(const void *ctx, uint32_t id)
{
	const struct internq *q = ctx;
	const struct lc_span *t = &q->in->strs[id];
	return t->n == q->s.n && memcmp(t->p, q->s.p, q->s.n) == 0;
}

uint32_t lc_intern_find(const struct lc_intern *in, struct lc_span s)
{
	struct internq q = { in, s };
	size_t slot;
	return lc_index_find(&in->ix, lc_hash_bytes(s.p, s.n, 0), intern_eq, &q, &slot);
}

/* Copies s with a NUL after it into the arena; returns the copy. */
static char *arena_copy(struct lc_intern *in, struct lc_span s)
{
	size_t need = s.n + 1;
	if (need > in->room) {
		size_t size = need > CHUNK ? need : CHUNK;
		lc_grow((void **)&in->chunks, &in->capchunks, in->nchunks + 1, sizeof *in->chunks);
		/* A big string's own chunk goes before the current one, which keeps its room. */
		char *c = lc_xmalloc(size);
		if (need > CHUNK && in->nchunks) {
			in->chunks[in->nchunks] = in->chunks[in->nchunks - 1];
			in->chunks[in->nchunks++ - 1] = c;
			memcpy(c, s.p, s.n);
			c[s.n] = '\0';
			return c;
		}
		in->chunks[in->nchunks++] = c;
		in->used = 0;
		in->room = size;
	}
	char *p = in->chunks[in->nchunks - 1] + in->used;
	memcpy(p, s.p, s.n);
	p[s.n] = '\0';
	in->used += need;
	in->room -= need;
	return p;
}

uint32_t lc_intern_put(struct lc_intern *in, struct lc_span s)
{
	uint64_t h = lc_hash_bytes(s.p, s.n, 0);
	struct internq q = { in, s };
	size_t slot;
	uint32_t found = lc_index_find(&in->ix, h, intern_eq, &q, &slot);
	if (found != LC_INDEX_NONE)
		return found;
	if (in->n >= LC_INDEX_NONE - 1)
		lc_oom();
	lc_grow((void **)&in->strs, &in->cap, in->n + 1, sizeof *in->strs);
	uint32_t id = (uint32_t)in->n++;
	in->strs[id] = (struct lc_span){ arena_copy(in, s), s.n };
	lc_index_put(&in->ix, slot, h, id);
	return id;
}

void lc_intern_release(struct lc_intern *in)
{
	for (size_t i = 0; i < in->nchunks; i++)
		free(in->chunks[i]);
	free(in->chunks);
	free(in->strs);
	lc_index_release(&in->ix);
	memset(in, 0, sizeof *in);
}
