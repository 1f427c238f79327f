// SPDX-License-Identifier: MIT
// The diff of two derived sides (--diff): per device and type, and per call site.
#include "lc/diff.h"

#include <stdlib.h>
#include <string.h>

#include "lc/event.h"
#include "lc/util.h"

static int64_t growth(struct lc_tally before, struct lc_tally after)
{
	return (int64_t)after.bytes - (int64_t)before.bytes;
}

static int site_cmp(const void *x, const void *y)
{
	const struct lc_diff_site *a = x, *b = y;
	int64_t ga = growth(a->before, a->after), gb = growth(b->before, b->after);
	if (ga != gb)
		return ga > gb ? -1 : 1;
	return lc_stack_cmp(a->key, b->key);
}

const char *lc_site_status_name(enum lc_site_status s)
{
	static const char *const names[] = { "new", "grown", "shrunk", "gone", "same" };
	return names[s];
}

static enum lc_site_status status_of(struct lc_tally b, struct lc_tally a)
{
	if (b.buffers == 0 && a.buffers > 0)
		return LC_SITE_NEW;
	if (a.buffers == 0 && b.buffers > 0)
		return LC_SITE_GONE;
	if (a.bytes > b.bytes || (a.bytes == b.bytes && a.buffers > b.buffers))
		return LC_SITE_GROWN;
	if (a.bytes < b.bytes || a.buffers < b.buffers)
		return LC_SITE_SHRUNK;
	return LC_SITE_SAME;
}

void lc_diff_build(struct lc_diff *d, const struct lc_side *before, const struct lc_side *after)
{
	memset(d, 0, sizeof *d);
	d->before = before;
	d->after = after;
	/* Both lists are sorted; merge them. */
	size_t i = 0, j = 0;
	d->dt = lc_xcalloc(before->ndt + after->ndt + 1, sizeof *d->dt);
	while (i < before->ndt || j < after->ndt) {
		int c = i == before->ndt ? 1
			: j == after->ndt ? -1
					  : lc_device_type_cmp(before->dt[i].device, before->dt[i].type, after->dt[j].device,
						     after->dt[j].type);
		struct lc_diff_dt *r = &d->dt[d->ndt++];
		if (c <= 0) {
			*r = (struct lc_diff_dt){ before->dt[i].device, before->dt[i].type, before->dt[i].t, { 0, 0 } };
			i++;
			if (c == 0)
				r->after = after->dt[j++].t;
		} else {
			*r = (struct lc_diff_dt){ after->dt[j].device, after->dt[j].type, { 0, 0 }, after->dt[j].t };
			j++;
		}
	}
	i = j = 0;
	d->sites = lc_xcalloc(before->ngroups + after->ngroups + 1, sizeof *d->sites);
	while (i < before->ngroups || j < after->ngroups) {
		int c = i == before->ngroups ? 1
			: j == after->ngroups ? -1
					      : lc_stack_cmp(before->groups[i].key, after->groups[j].key);
		struct lc_diff_site *r = &d->sites[d->nsites++];
		if (c <= 0) {
			*r = (struct lc_diff_site){ before->groups[i].key, LC_SITE_SAME, before->groups[i].t, { 0, 0 } };
			i++;
			if (c == 0)
				r->after = after->groups[j++].t;
		} else {
			*r = (struct lc_diff_site){ after->groups[j].key, LC_SITE_SAME, { 0, 0 }, after->groups[j].t };
			j++;
		}
		r->status = status_of(r->before, r->after);
		d->count[r->status]++;
	}
	if (d->nsites > 1)
		qsort(d->sites, d->nsites, sizeof *d->sites, site_cmp);
}

void lc_diff_release(struct lc_diff *d)
{
	free(d->dt);
	free(d->sites);
	memset(d, 0, sizeof *d);
}

uint64_t lc_group_growth(const struct lc_side *base, const struct lc_group *g)
{
	const struct lc_group *b = lc_side_group(base, g->key);
	uint64_t was = b ? b->t.bytes : 0;
	return g->t.bytes > was ? g->t.bytes - was : 0;
}
