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

/* Site indices by site, over dm->sites and then sm->entry_sites; the table owns its records. */
struct sref {
	const struct lc_site *site;
	int64_t index;
	UT_hash_handle hh;
};

static void sref_add(struct sref **tab, const struct lc_site *site, int64_t index)
{
	struct sref *r = lc_xcalloc(1, sizeof *r);
	r->site = site;
	r->index = index;
	HASH_ADD(hh, *tab, site, sizeof r->site, r);
}

/* The index of site in the debug sites, or in the entry sites after them (added when new). */
static int64_t site_index(struct lc_server_model *sm, const struct lc_debug_model *dm, struct sref **tab,
			  const struct lc_site *site)
{
	struct sref *r;
	HASH_FIND(hh, *tab, &site, sizeof site, r);
	if (r)
		return r->index;
	int64_t index = (int64_t)(dm->nsites + sm->nentry_sites);
	sm->entry_sites = lc_xrealloc(sm->entry_sites, (sm->nentry_sites + 1) * sizeof *sm->entry_sites);
	sm->entry_sites[sm->nentry_sites++] = site;
	sref_add(tab, site, index);
	return index;
}

/*
 * Sites of dump and cleanup entries: an open lifetime at the key (the latest opened, as for
 * leaks), else the history's count and latest site; never a guess without saying so.
 */
static void join_entries(struct lc_server_model *sm, const struct lc_debug_model *dm, struct jent *open,
			 struct sref **tab, struct lc_leak *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct lc_leak *l = &v[i];
		struct jent *e = jfind(open, l->device, l->address);
		if (e) {
			l->site = e->site;
			l->site_match = LC_MATCH_OPEN;
			continue;
		}
		const struct lc_site *site = NULL;
		uint64_t count = dm->history_find ? dm->history_find(dm->history_src, l->device, l->address, &site) : 0;
		if (!count || !site) {
			l->site = -1;
			l->site_match = LC_MATCH_NONE;
			continue;
		}
		l->site = site_index(sm, dm, tab, site);
		l->site_match = count == 1 ? LC_MATCH_ONLY : LC_MATCH_LATEST;
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
	struct sref *tab = NULL, *r, *rtmp;
	for (size_t i = 0; i < dm->nsites; i++)
		sref_add(&tab, dm->sites[i], (int64_t)i);
	if (sm->lifecycle)
		join_entries(sm, dm, open, &tab, sm->lifecycle->entries, sm->lifecycle->nentries);
	join_entries(sm, dm, open, &tab, sm->cleanup_entries, sm->ncleanup_entries);
	HASH_ITER(hh, tab, r, rtmp) {
		HASH_DEL(tab, r);
		free(r);
	}
	jfree(&open);
	jfree(&live);
}
