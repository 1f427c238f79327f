// SPDX-License-Identifier: MIT
// Unit tests of the base stage's shared techniques: the interner and the open-addressing index's deletion.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/index.h"
#include "lc/intern.h"
#include "tap.h"

static struct lc_span sp(const char *s)
{
	return (struct lc_span){ s, strlen(s) };
}

static void test_intern(void)
{
	struct lc_intern in = { 0 };
	EQ_U64(lc_intern_find(&in, sp("a")), LC_INDEX_NONE, "an empty interner finds nothing");
	EQ_U64(lc_intern_put(&in, sp("DRAM_X")), 0, "ids start at 0");
	EQ_U64(lc_intern_put(&in, sp("L1_X")), 1, "a new string takes the next id");
	EQ_U64(lc_intern_put(&in, sp("DRAM_X")), 0, "the same bytes give the same id");
	EQ_U64(lc_intern_find(&in, sp("L1_X")), 1, "find gives the id");
	EQ_U64(lc_intern_find(&in, sp("L1")), LC_INDEX_NONE, "a prefix is another string");
	EQ_U64(lc_intern_count(&in), 2, "find adds nothing");
	/* Bytes with NULs: the length is part of the string. */
	struct lc_span nul1 = { "a\0b", 3 }, nul2 = { "a\0c", 3 }, a = { "a", 1 };
	uint32_t i1 = lc_intern_put(&in, nul1), i2 = lc_intern_put(&in, nul2), i3 = lc_intern_put(&in, a);
	OK(i1 == 2 && i2 == 3 && i3 == 4, "strings differing after a NUL, and their prefix, are three");
	EQ_U64(lc_intern_span(&in, i2).n, 3, "the span keeps the length past the NUL");
	OK(memcmp(lc_intern_span(&in, i2).p, "a\0c", 4) == 0, "the copy holds the bytes and a NUL after them");
	/* 20000 strings (several arena chunks, index growth) and one bigger than a chunk. */
	const char *first = lc_intern_str(&in, 0);
	char *big = malloc(100000);
	memset(big, 'x', 99999);
	big[99999] = '\0';
	uint32_t ib = lc_intern_put(&in, sp(big));
	int bad = 0;
	for (int k = 0; k < 20000; k++) {
		char name[32];
		snprintf(name, sizeof name, "type_%d", k);
		if (lc_intern_put(&in, sp(name)) != (uint32_t)(6 + k))
			bad++;
	}
	EQ_U64(bad, 0, "20000 new strings take ids 6 .. 20005 in order");
	bad = 0;
	for (int k = 0; k < 20000; k += 7) {
		char name[32];
		snprintf(name, sizeof name, "type_%d", k);
		const char *s = lc_intern_str(&in, (uint32_t)(6 + k));
		if (strcmp(s, name) != 0 || lc_intern_find(&in, sp(name)) != (uint32_t)(6 + k))
			bad++;
	}
	EQ_U64(bad, 0, "each is found again and reads back");
	OK(lc_intern_str(&in, 0) == first && strcmp(first, "DRAM_X") == 0, "an interned pointer never moves");
	OK(ib == 5 && strcmp(lc_intern_str(&in, ib), big) == 0, "a string bigger than a chunk is kept whole");
	OK(lc_intern_str(&in, lc_intern_put(&in, sp("type_19999"))) == lc_intern_str(&in, 20005),
	   "equal strings share one pointer");
	free(big);
	lc_intern_release(&in);
	EQ_U64(lc_intern_count(&in), 0, "release empties it");
	EQ_U64(lc_intern_put(&in, sp("again")), 0, "and it can be used again");
	lc_intern_release(&in);
}

/* Keys are small integers; their hash puts many in the same home to make long probe runs. */
static uint64_t keys[64];

static bool key_eq(const void *ctx, uint32_t id)
{
	return keys[id] == *(const uint64_t *)ctx;
}

static uint64_t key_h(uint64_t k)
{
	/* homes 5, 5, 5, 6, 6, 7 ... in a 16-slot index: the tag is the home in the high half */
	return (uint64_t)(5 + k / 3) << 32;
}

static uint32_t find(struct lc_index *ix, uint64_t k, size_t *slot)
{
	return lc_index_find(ix, key_h(k), key_eq, &k, slot);
}

static void test_index_delete(void)
{
	struct lc_index ix = { .first = 16 };
	size_t slot;
	for (uint32_t id = 0; id < 9; id++) {
		keys[id] = id;
		EQ_U64(find(&ix, id, &slot), LC_INDEX_NONE, "key %u is new", id);
		lc_index_put(&ix, slot, key_h(id), id);
	}
	EQ_U64(ix.mask + 1, 16, "first sets the first slot count");
	/* Keys 0-2 have home 5, 3-5 home 6, 6-8 home 7: slots 5 .. 13 in order. */
	EQ_U64(lc_index_id_at(&ix, 5), 0, "slot 5 holds key 0");
	EQ_U64(lc_index_id_at(&ix, 13), 8, "slot 13 holds key 8");
	EQ_U64(lc_index_id_at(&ix, 4), LC_INDEX_NONE, "slot 4 is empty");
	/* Deleting key 1 (slot 6): key 2 (home 5) moves back to 6, key 3 (home 6) to 7, and so on. */
	find(&ix, 1, &slot);
	EQ_U64(slot, 6, "key 1 is at slot 6");
	lc_index_delete(&ix, slot);
	int bad = 0;
	for (uint32_t id = 0; id < 9; id++)
		if ((find(&ix, id, &slot) == LC_INDEX_NONE) != (id == 1))
			bad++;
	EQ_U64(bad, 0, "after deleting key 1 every other key is found, key 1 not");
	EQ_U64(ix.n, 8, "eight keys left");
	EQ_U64(lc_index_id_at(&ix, 12), 8, "the run moved back one slot: key 8 at 12");
	EQ_U64(lc_index_id_at(&ix, 13), LC_INDEX_NONE, "slot 13 is empty now");
	/* A key ending a run whose next slot holds a key at home stays put. */
	find(&ix, 8, &slot);
	lc_index_set(&ix, slot, 8);
	EQ_U64(find(&ix, 8, &slot), 8, "set keeps the key where it is");
	for (uint32_t id = 0; id < 9; id++)
		if (id != 1 && find(&ix, id, &slot) != LC_INDEX_NONE)
			lc_index_delete(&ix, slot);
	EQ_U64(ix.n, 0, "deleting all leaves it empty");
	bad = 0;
	for (size_t i = 0; i <= ix.mask; i++)
		if (lc_index_id_at(&ix, i) != LC_INDEX_NONE)
			bad++;
	EQ_U64(bad, 0, "every slot is empty");
	keys[9] = 100;
	EQ_U64(find(&ix, 100, &slot), LC_INDEX_NONE, "an emptied index finds nothing");
	lc_index_put(&ix, slot, key_h(100), 9);
	EQ_U64(find(&ix, 100, &slot), 9, "and a key put in it after is found (at its home, not slot 0)");
	lc_index_release(&ix);
	EQ_U64(ix.first, 16, "release keeps first");
}

int main(void)
{
	test_intern();
	test_index_delete();
	return tap_done();
}
