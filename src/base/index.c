// SPDX-License-Identifier: MIT
// The open-addressing index's growth and release; lookups are inline in lc/index.h.
#include "lc/index.h"

#include <stdlib.h>
#include <string.h>

#include "lc/util.h"

void lc_index_grow(struct lc_index *ix)
{
	uint64_t *old = ix->slots;
	size_t oldn = old ? ix->mask + 1 : 0;
	size_t nslots = old ? oldn * 2 : ix->first ? ix->first : 1024;
	ix->slots = lc_xcalloc(nslots, sizeof *ix->slots);
	ix->mask = nslots - 1;
	for (size_t i = 0; i < oldn; i++) {
		if (!old[i])
			continue;
		size_t j = (size_t)(old[i] >> 32) & ix->mask;
		while (ix->slots[j])
			j = (j + 1) & ix->mask;
		ix->slots[j] = old[i];
	}
	free(old);
}

void lc_index_delete(struct lc_index *ix, size_t i)
{
	ix->n--;
	for (size_t j = (i + 1) & ix->mask; ix->slots[j]; j = (j + 1) & ix->mask) {
		size_t home = (size_t)(ix->slots[j] >> 32) & ix->mask;
		/* slot j may move to i when i lies cyclically in [home, j) */
		if (((j - home) & ix->mask) >= ((j - i) & ix->mask)) {
			ix->slots[i] = ix->slots[j];
			i = j;
		}
	}
	ix->slots[i] = 0;
}

void lc_index_release(struct lc_index *ix)
{
	free(ix->slots);
	*ix = (struct lc_index){ .first = ix->first };
}
