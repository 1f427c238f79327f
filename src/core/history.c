// SPDX-License-Identifier: MIT
// --address: the events and Buffer* lifetimes of one address, kept per (device, address) key, capped.
#include "lc/history.h"

#include <stdlib.h>
#include <string.h>

/* A lifetime open now, for its close: at most a few per address, so a list. */
struct openlt {
	uint64_t pointer;
	size_t key, index;           /* index into that key's kept lifetimes */
};

struct hkey {
	struct lc_hist_key k;
	size_t capev, caplt;
};

struct lc_history {
	uint64_t address;
	bool has_device;
	int32_t device;
	size_t max;
	struct hkey *keys;           /* owns; in order of first sight */
	size_t nkeys, capkeys;
	int32_t *devices;            /* the keys' devices, for lc_history_devices */
	size_t capdevices;
	struct openlt *open;
	size_t nopen, capopen;
	char **types;                /* interned type names (owns) */
	size_t ntypes, captypes;
	struct lc_hist_key *sorted;  /* the model's keys */
	struct lc_address_history m;
};

static const char *const kind_names[LC_HIST_NKINDS] = {
	"alloc", "alloc_ref", "free_ref", "free_final", "free_unknown", "cleanup_removed", "restart_dropped",
};

const char *lc_hist_kind_name(enum lc_hist_kind k)
{
	return k < LC_HIST_NKINDS ? kind_names[k] : "?";
}

const char *lc_hist_end_name(enum lc_hist_end e)
{
	switch (e) {
	case LC_HIST_DEALLOCATED: return "deallocated";
	case LC_HIST_DESTRUCTOR: return "destructor";
	case LC_HIST_SUPERSEDED: return "superseded";
	default: return "open";
	}
}

struct lc_history *lc_history_create(uint64_t address, bool has_device, int32_t device, size_t max_events)
{
	struct lc_history *h = lc_xcalloc(1, sizeof *h);
	h->address = address;
	h->has_device = has_device;
	h->device = device;
	h->max = max_events ? max_events : LC_HIST_MAX_EVENTS;
	return h;
}

void lc_history_destroy(struct lc_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nkeys; i++) {
		free(h->keys[i].k.events);
		free(h->keys[i].k.lifetimes);
	}
	free(h->keys);
	free(h->devices);
	free(h->open);
	for (size_t i = 0; i < h->ntypes; i++)
		free(h->types[i]);
	free(h->types);
	free(h->sorted);
	free(h);
}

uint64_t lc_history_address(const struct lc_history *h)
{
	return h->address;
}

bool lc_history_wants(const struct lc_history *h, int32_t device, uint64_t address)
{
	return address == h->address && (!h->has_device || device == h->device);
}

static size_t key_of(struct lc_history *h, int32_t device)
{
	for (size_t i = 0; i < h->nkeys; i++)
		if (h->keys[i].k.device == device)
			return i;
	lc_grow((void **)&h->keys, &h->capkeys, h->nkeys + 1, sizeof *h->keys);
	lc_grow((void **)&h->devices, &h->capdevices, h->nkeys + 1, sizeof *h->devices);
	memset(&h->keys[h->nkeys], 0, sizeof h->keys[h->nkeys]);
	h->keys[h->nkeys].k.device = device;
	h->devices[h->nkeys] = device;
	return h->nkeys++;
}

/* The type names at one address are few: a list. */
static const char *intern(struct lc_history *h, const char *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < h->ntypes; i++)
		if (strcmp(h->types[i], s) == 0)
			return h->types[i];
	lc_grow((void **)&h->types, &h->captypes, h->ntypes + 1, sizeof *h->types);
	h->types[h->ntypes] = lc_xstrndup(s, strlen(s));
	return h->types[h->ntypes++];
}

void lc_history_event(struct lc_history *h, int32_t device, const struct lc_hist_event *ev)
{
	size_t ki = key_of(h, device); /* it may move h->keys: before the index is taken */
	struct hkey *k = &h->keys[ki];
	k->k.counts[ev->kind]++;
	k->k.events_total++;
	if (k->k.nevents >= h->max)
		return;
	lc_grow((void **)&k->k.events, &k->capev, k->k.nevents + 1, sizeof *k->k.events);
	struct lc_hist_event *e = &k->k.events[k->k.nevents++];
	*e = *ev;
	e->type = intern(h, ev->type);
}

const int32_t *lc_history_devices(const struct lc_history *h, size_t *n)
{
	*n = h->nkeys;
	return h->devices;
}

void lc_history_open(struct lc_history *h, int32_t device, const struct lc_hist_lifetime *lt)
{
	size_t ki = key_of(h, device);
	struct hkey *k = &h->keys[ki];
	k->k.lifetimes_total++;
	if (k->k.nlifetimes >= h->max)
		return;
	lc_grow((void **)&k->k.lifetimes, &k->caplt, k->k.nlifetimes + 1, sizeof *k->k.lifetimes);
	struct lc_hist_lifetime *l = &k->k.lifetimes[k->k.nlifetimes];
	*l = *lt;
	l->type = intern(h, lt->type);
	l->end = LC_HIST_OPEN;
	l->nframes = 0;
	lc_grow((void **)&h->open, &h->capopen, h->nopen + 1, sizeof *h->open);
	h->open[h->nopen++] = (struct openlt){ lt->pointer, ki, k->k.nlifetimes++ };
}

void lc_history_close(struct lc_history *h, uint64_t pointer, enum lc_hist_end end, uint32_t input, uint64_t line)
{
	for (size_t i = 0; i < h->nopen; i++) {
		if (h->open[i].pointer != pointer)
			continue;
		struct lc_hist_lifetime *l = &h->keys[h->open[i].key].k.lifetimes[h->open[i].index];
		l->end = end;
		l->end_input = input;
		l->end_line = line;
		h->open[i] = h->open[--h->nopen];
		return;
	}
}

void lc_history_set_frames(struct lc_history *h, size_t (*fn)(void *ctx, uint32_t site, struct lc_span *out),
			   void *ctx)
{
	for (size_t i = 0; i < h->nkeys; i++)
		for (size_t j = 0; j < h->keys[i].k.nlifetimes; j++) {
			struct lc_hist_lifetime *l = &h->keys[i].k.lifetimes[j];
			l->nframes = fn(ctx, l->site, l->frames);
		}
}

void lc_history_mark_debug(struct lc_history *h)
{
	h->m.has_debug = true;
}

static int key_cmp(const void *x, const void *y)
{
	const struct lc_hist_key *a = x, *b = y;
	return a->device < b->device ? -1 : a->device > b->device;
}

const struct lc_address_history *lc_history_model(struct lc_history *h)
{
	free(h->sorted);
	h->sorted = lc_xcalloc(h->nkeys + 1, sizeof *h->sorted);
	for (size_t i = 0; i < h->nkeys; i++)
		h->sorted[i] = h->keys[i].k;
	qsort(h->sorted, h->nkeys, sizeof *h->sorted, key_cmp);
	h->m.address = h->address;
	h->m.has_device = h->has_device;
	h->m.device = h->device;
	h->m.keys = h->sorted;
	h->m.nkeys = h->nkeys;
	return &h->m;
}
