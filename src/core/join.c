// SPDX-License-Identifier: MIT
// The join of the server's leaks with the debug log's open lifetimes, on (device, address).
#include "lc/join.h"

#include <stdlib.h>
#include <string.h>

#include "lc/hash.h"

/* Open lifetimes (or live server entries) by key; each table owns its records. */
struct jkey {
	int64_t device;
	uint64_t address;
};
/* No padding, so an initializer sets every byte that is hashed. */
_Static_assert(sizeof(struct jkey) == 2 * sizeof(uint64_t), "struct jkey has no padding");

struct jent {
	struct jkey k;
	uint64_t seq;
	int64_t site;
	UT_hash_handle hh;
};

static struct jent *jfind(struct jent *tab, int32_t device, uint64_t address)
{
	struct jkey k = { device, address };
	struct jent *e;
	HASH_FIND(hh, tab, &k, sizeof k, e);
	return e;
}

static struct jent *jget(struct jent **tab, int32_t device, uint64_t address)
{
	struct jent *e = jfind(*tab, device, address);
	if (!e) {
		e = lc_xcalloc(1, sizeof *e);
		e->k = (struct jkey){ device, address };
		HASH_ADD(hh, *tab, k, sizeof e->k, e);
	}
	return e;
}

static void jfree(struct jent **tab)
{
	struct jent *e, *tmp;
	HASH_ITER(hh, *tab, e, tmp) {
		HASH_DEL(*tab, e);
		free(e);
	}
}

void lc_join(struct lc_server_model *sm, struct lc_debug_model *dm)
{
	struct jent *open = NULL, *live = NULL;
	for (size_t i = 0; i < dm->nleaks; i++) {
		const struct lc_debug_leak *l = &dm->leaks[i];
		struct jent *e = jget(&open, l->device, l->address);
		if (l->seq > e->seq) {
			e->seq = l->seq;
			e->site = l->site;
		}
	}
	sm->has_join = true;
	memset(&sm->join, 0, sizeof sm->join);
	for (size_t i = 0; i < sm->nleaks; i++) {
		struct lc_leak *l = &sm->leaks[i];
		struct jent *e = jfind(open, l->device, l->address);
		l->site = e ? e->site : -1;
		if (e)
			sm->join.leaks_with_site++;
		else
			sm->join.leaks_without_site++;
		jget(&live, l->device, l->address);
	}
	for (size_t i = 0; i < dm->nleaks; i++) {
		dm->leaks[i].server_entry = jfind(live, dm->leaks[i].device, dm->leaks[i].address) != NULL;
		sm->join.lifetimes_without_entry += !dm->leaks[i].server_entry;
	}
	jfree(&open);
	jfree(&live);
}
