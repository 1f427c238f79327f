// SPDX-License-Identifier: MIT
// Diff of two sides, gate rules over the report's metric paths, baselines and suppressions.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lc/gate.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "lc/event.h"
#include "lc/jsonread.h"
#include "lc/util.h"

/* ---------- diff ---------- */

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

/* ---------- metrics ---------- */

/* What a metric needs of the run; a rule on a metric the run lacks is a usage error. */
enum metric_need { NEED_ANY, NEED_SERVER, NEED_DEBUG, NEED_DIFF };

struct metric_env {
	const struct lc_side *now, *base;
	const struct lc_diff *diff;
	int32_t device;          /* a name's N, for the per-device metrics */
	const char *type;        /* a name's TYPE */
};

static int64_t sat64(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* A scalar over a baseline counts only its growth. */
static int64_t scalar(uint64_t now, const struct lc_side *base, uint64_t was)
{
	if (!base)
		return sat64(now);
	return now > was ? sat64(now - was) : 0;
}

static const struct lc_dt *find_dt(const struct lc_side *s, int32_t device, const char *type)
{
	for (size_t i = 0; s && i < s->ndt; i++)
		if (s->dt[i].device == device && strcmp(s->dt[i].type, type) == 0)
			return &s->dt[i];
	return NULL;
}

/* Remaining (server entries) per device and type, summed growth over the baseline. */
static int64_t remaining_metric(const struct lc_side *now, const struct lc_side *base, bool bytes)
{
	if (!base)
		return sat64(bytes ? now->remaining.bytes : now->remaining.buffers);
	uint64_t sum = 0;
	for (size_t i = 0; i < now->ndt; i++) {
		const struct lc_dt *b = find_dt(base, now->dt[i].device, now->dt[i].type);
		uint64_t v = bytes ? now->dt[i].t.bytes : now->dt[i].t.buffers;
		uint64_t w = b ? (bytes ? b->t.bytes : b->t.buffers) : 0;
		sum += v > w ? v - w : 0;
	}
	return sat64(sum);
}

/* Live lifetimes, summed growth per call site over the baseline. */
static int64_t live_metric(const struct lc_side *now, const struct lc_side *base, bool bytes)
{
	if (!base)
		return sat64(bytes ? now->live.bytes : now->live.buffers);
	uint64_t sum = 0;
	for (size_t i = 0; i < now->ngroups; i++) {
		const struct lc_group *b = lc_side_group(base, now->groups[i].key);
		uint64_t v = bytes ? now->groups[i].t.bytes : now->groups[i].t.buffers;
		uint64_t w = b ? (bytes ? b->t.bytes : b->t.buffers) : 0;
		sum += v > w ? v - w : 0;
	}
	return sat64(sum);
}

static int64_t device_type(const struct metric_env *e, bool bytes)
{
	const struct lc_dt *n = find_dt(e->now, e->device, e->type);
	uint64_t v = n ? (bytes ? n->t.bytes : n->t.buffers) : 0;
	const struct lc_dt *b = e->base ? find_dt(e->base, e->device, e->type) : NULL;
	return scalar(v, e->base, b ? (bytes ? b->t.bytes : b->t.buffers) : 0);
}

#define SIDE_FIELD(f) \
	static int64_t get_##f(const struct metric_env *e) \
	{ \
		return scalar(e->now->f, e->base, e->base ? e->base->f : 0); \
	}
SIDE_FIELD(free_unknown)
SIDE_FIELD(never_seen)
SIDE_FIELD(after_final_free)
SIDE_FIELD(after_cleanup)
SIDE_FIELD(after_restart)
SIDE_FIELD(cleanup_buffers)
SIDE_FIELD(cleanup_bytes)
SIDE_FIELD(checkpoints_disagree)
SIDE_FIELD(malformed_lines)

static int64_t get_remaining_bytes(const struct metric_env *e) { return remaining_metric(e->now, e->base, true); }
static int64_t get_remaining_buffers(const struct metric_env *e) { return remaining_metric(e->now, e->base, false); }
static int64_t get_live_bytes(const struct metric_env *e) { return live_metric(e->now, e->base, true); }
static int64_t get_live_buffers(const struct metric_env *e) { return live_metric(e->now, e->base, false); }
static int64_t get_dt_bytes(const struct metric_env *e) { return device_type(e, true); }
static int64_t get_dt_buffers(const struct metric_env *e) { return device_type(e, false); }
static int64_t get_sites_new(const struct metric_env *e) { return sat64(e->diff->count[LC_SITE_NEW]); }
static int64_t get_sites_grown(const struct metric_env *e) { return sat64(e->diff->count[LC_SITE_GROWN]); }
static int64_t get_sites_shrunk(const struct metric_env *e) { return sat64(e->diff->count[LC_SITE_SHRUNK]); }
static int64_t get_sites_gone(const struct metric_env *e) { return sat64(e->diff->count[LC_SITE_GONE]); }

static int64_t delta(uint64_t after, uint64_t before)
{
	return (int64_t)after - (int64_t)before;
}

static int64_t get_d_rem_bytes(const struct metric_env *e)
{
	return delta(e->diff->after->remaining.bytes, e->diff->before->remaining.bytes);
}

static int64_t get_d_rem_buffers(const struct metric_env *e)
{
	return delta(e->diff->after->remaining.buffers, e->diff->before->remaining.buffers);
}

static int64_t get_d_live_bytes(const struct metric_env *e)
{
	return delta(e->diff->after->live.bytes, e->diff->before->live.bytes);
}

static int64_t get_d_live_buffers(const struct metric_env *e)
{
	return delta(e->diff->after->live.buffers, e->diff->before->live.buffers);
}

static int64_t get_d_unknown(const struct metric_env *e)
{
	return delta(e->diff->after->free_unknown, e->diff->before->free_unknown);
}

/*
 * The one table of metrics: it drives --list-metrics, the validation of rules, the hint for
 * a misspelt name and the evaluation. In a name, N stands for an integer (an array index, or
 * a device id) and TYPE for a buffer type name. A row with a getter is worked out from the
 * judged side (the AFTER side in a diff) and, with --baseline, counts growth per device and
 * type or per call site; a row without one is an integer path of the JSON report, read from
 * the report itself, and with --baseline counts growth over the baseline report's value at
 * the same path. Earlier rows win: the derived figures shadow report paths of the same name.
 */
static const struct metric {
	const char *name;
	enum metric_need need;
	int64_t (*get)(const struct metric_env *e);
} metrics[] = {
	{ "server.remaining.bytes", NEED_SERVER, get_remaining_bytes },
	{ "server.remaining.buffers", NEED_SERVER, get_remaining_buffers },
	{ "server.remaining.device.N.TYPE.bytes", NEED_SERVER, get_dt_bytes },
	{ "server.remaining.device.N.TYPE.buffers", NEED_SERVER, get_dt_buffers },
	{ "server.events.free_unknown", NEED_SERVER, get_free_unknown },
	{ "server.unknown_frees.count", NEED_SERVER, get_free_unknown },
	{ "server.unknown_frees.by_cause.never_seen", NEED_SERVER, get_never_seen },
	{ "server.unknown_frees.by_cause.after_final_free", NEED_SERVER, get_after_final_free },
	{ "server.unknown_frees.by_cause.after_cleanup", NEED_SERVER, get_after_cleanup },
	{ "server.unknown_frees.by_cause.after_restart", NEED_SERVER, get_after_restart },
	{ "server.cleanup.buffers", NEED_SERVER, get_cleanup_buffers },
	{ "server.cleanup.bytes", NEED_SERVER, get_cleanup_bytes },
	{ "server.checkpoints.disagree", NEED_SERVER, get_checkpoints_disagree },
	{ "inputs.malformed_lines", NEED_ANY, get_malformed_lines },
	{ "debug.live.bytes", NEED_DEBUG, get_live_bytes },
	{ "debug.live.buffers", NEED_DEBUG, get_live_buffers },
	{ "diff.sites.new", NEED_DIFF, get_sites_new },
	{ "diff.sites.grown", NEED_DIFF, get_sites_grown },
	{ "diff.sites.shrunk", NEED_DIFF, get_sites_shrunk },
	{ "diff.sites.gone", NEED_DIFF, get_sites_gone },
	{ "diff.remaining.bytes", NEED_DIFF, get_d_rem_bytes },
	{ "diff.remaining.buffers", NEED_DIFF, get_d_rem_buffers },
	{ "diff.live.bytes", NEED_DIFF, get_d_live_bytes },
	{ "diff.live.buffers", NEED_DIFF, get_d_live_buffers },
	{ "diff.unknown_frees", NEED_DIFF, get_d_unknown },
	{ "debug.all_sites.N.allocations", NEED_DEBUG, NULL },
	{ "debug.all_sites.N.bytes", NEED_DEBUG, NULL },
	{ "debug.all_sites.N.peak_live", NEED_DEBUG, NULL },
	{ "debug.blocks.allocated", NEED_DEBUG, NULL },
	{ "debug.blocks.deallocated", NEED_DEBUG, NULL },
	{ "debug.blocks.destructor", NEED_DEBUG, NULL },
	{ "debug.frames_interned", NEED_DEBUG, NULL },
	{ "debug.hooked.buffers", NEED_DEBUG, NULL },
	{ "debug.hooked.bytes", NEED_DEBUG, NULL },
	{ "debug.leaks.N.address", NEED_DEBUG, NULL },
	{ "debug.leaks.N.device", NEED_DEBUG, NULL },
	{ "debug.leaks.N.input", NEED_DEBUG, NULL },
	{ "debug.leaks.N.line", NEED_DEBUG, NULL },
	{ "debug.leaks.N.pointer", NEED_DEBUG, NULL },
	{ "debug.leaks.N.site", NEED_DEBUG, NULL },
	{ "debug.leaks.N.size", NEED_DEBUG, NULL },
	{ "debug.sites.N.buffers", NEED_DEBUG, NULL },
	{ "debug.sites.N.by_device.N.buffers", NEED_DEBUG, NULL },
	{ "debug.sites.N.by_device.N.bytes", NEED_DEBUG, NULL },
	{ "debug.sites.N.by_device.N.device", NEED_DEBUG, NULL },
	{ "debug.sites.N.bytes", NEED_DEBUG, NULL },
	{ "debug.superseded.buffers", NEED_DEBUG, NULL },
	{ "debug.superseded.bytes", NEED_DEBUG, NULL },
	{ "debug.unmatched", NEED_DEBUG, NULL },
	{ "diff.after.live_buffers", NEED_DIFF, NULL },
	{ "diff.after.live_bytes", NEED_DIFF, NULL },
	{ "diff.after.remaining_buffers", NEED_DIFF, NULL },
	{ "diff.after.remaining_bytes", NEED_DIFF, NULL },
	{ "diff.after.unknown_frees", NEED_DIFF, NULL },
	{ "diff.before.live_buffers", NEED_DIFF, NULL },
	{ "diff.before.live_bytes", NEED_DIFF, NULL },
	{ "diff.before.remaining_buffers", NEED_DIFF, NULL },
	{ "diff.before.remaining_bytes", NEED_DIFF, NULL },
	{ "diff.before.unknown_frees", NEED_DIFF, NULL },
	{ "diff.by_device.N.after_buffers", NEED_DIFF, NULL },
	{ "diff.by_device.N.after_bytes", NEED_DIFF, NULL },
	{ "diff.by_device.N.before_buffers", NEED_DIFF, NULL },
	{ "diff.by_device.N.before_bytes", NEED_DIFF, NULL },
	{ "diff.by_device.N.device", NEED_DIFF, NULL },
	{ "diff.sites.N.after_buffers", NEED_DIFF, NULL },
	{ "diff.sites.N.after_bytes", NEED_DIFF, NULL },
	{ "diff.sites.N.before_buffers", NEED_DIFF, NULL },
	{ "diff.sites.N.before_bytes", NEED_DIFF, NULL },
	{ "inputs.N.bytes", NEED_ANY, NULL },
	{ "inputs.N.events", NEED_ANY, NULL },
	{ "inputs.N.evidence_lines", NEED_ANY, NULL },
	{ "inputs.N.foreign_lines", NEED_ANY, NULL },
	{ "inputs.N.joined_lines", NEED_ANY, NULL },
	{ "inputs.N.lines", NEED_ANY, NULL },
	{ "inputs.N.malformed_lines", NEED_ANY, NULL },
	{ "inputs.N.recognized_lines", NEED_ANY, NULL },
	{ "options.at_dump", NEED_ANY, NULL },
	{ "options.stack_depth", NEED_ANY, NULL },
	{ "server.checkpoints.N.differences_total", NEED_SERVER, NULL },
	{ "server.checkpoints.N.input", NEED_SERVER, NULL },
	{ "server.checkpoints.N.line", NEED_SERVER, NULL },
	{ "server.checkpoints.N.run", NEED_SERVER, NULL },
	{ "server.checkpoints_disagree", NEED_SERVER, NULL },
	{ "server.cleanup.N.buffers", NEED_SERVER, NULL },
	{ "server.cleanup.N.bytes", NEED_SERVER, NULL },
	{ "server.cleanup.N.input", NEED_SERVER, NULL },
	{ "server.cleanup.N.line", NEED_SERVER, NULL },
	{ "server.cleanup.N.pid", NEED_SERVER, NULL },
	{ "server.cleanup.N.printed_buffers", NEED_SERVER, NULL },
	{ "server.cleanup.N.run", NEED_SERVER, NULL },
	{ "server.devices_extra.N.device", NEED_SERVER, NULL },
	{ "server.devices_extra.N.wrapped_totals", NEED_SERVER, NULL },
	{ "server.distinct_keys", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.at_dump.buffers", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.at_dump.bytes", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.at_dump.buffers", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.at_dump.bytes", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.device", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.freed_later.buffers", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.freed_later.bytes", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.removed_by_cleanup.buffers", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.removed_by_cleanup.bytes", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.still_live.buffers", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.still_live.bytes", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.dump_index", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.freed_later.buffers", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.freed_later.bytes", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.input", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.line", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.removed_by_cleanup.buffers", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.removed_by_cleanup.bytes", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.run", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.still_live.buffers", NEED_SERVER, NULL },
	{ "server.dump_lifecycle.still_live.bytes", NEED_SERVER, NULL },
	{ "server.events.alloc", NEED_SERVER, NULL },
	{ "server.events.alloc_ref", NEED_SERVER, NULL },
	{ "server.events.cb_alloc", NEED_SERVER, NULL },
	{ "server.events.cb_free", NEED_SERVER, NULL },
	{ "server.events.cleanup_removed", NEED_SERVER, NULL },
	{ "server.events.dumps", NEED_SERVER, NULL },
	{ "server.events.free_final", NEED_SERVER, NULL },
	{ "server.events.free_ref", NEED_SERVER, NULL },
	{ "server.events.kernel_load", NEED_SERVER, NULL },
	{ "server.events.kernel_unload", NEED_SERVER, NULL },
	{ "server.events.stats_blocks", NEED_SERVER, NULL },
	{ "server.implausible.count", NEED_SERVER, NULL },
	{ "server.implausible.first.N.input", NEED_SERVER, NULL },
	{ "server.implausible.first.N.line", NEED_SERVER, NULL },
	{ "server.inconsistencies.count", NEED_SERVER, NULL },
	{ "server.inconsistencies.first.N.input", NEED_SERVER, NULL },
	{ "server.inconsistencies.first.N.line", NEED_SERVER, NULL },
	{ "server.join.leaks_with_site", NEED_SERVER, NULL },
	{ "server.join.leaks_without_site", NEED_SERVER, NULL },
	{ "server.join.lifetimes_without_entry", NEED_SERVER, NULL },
	{ "server.last_run.checkpoints", NEED_SERVER, NULL },
	{ "server.last_run.checkpoints_disagree", NEED_SERVER, NULL },
	{ "server.last_run.cleanup.buffers", NEED_SERVER, NULL },
	{ "server.last_run.cleanup.bytes", NEED_SERVER, NULL },
	{ "server.last_run.index", NEED_SERVER, NULL },
	{ "server.last_run.input", NEED_SERVER, NULL },
	{ "server.last_run.line", NEED_SERVER, NULL },
	{ "server.last_run.live.buffers", NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.buffers", NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.by_type.N.buffers", NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.by_type.N.bytes", NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.bytes", NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.device", NEED_SERVER, NULL },
	{ "server.last_run.live.bytes", NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.by_cause.after_cleanup", NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.by_cause.after_final_free", NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.by_cause.after_restart", NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.by_cause.never_seen", NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.count", NEED_SERVER, NULL },
	{ "server.leaks.N.address", NEED_SERVER, NULL },
	{ "server.leaks.N.device", NEED_SERVER, NULL },
	{ "server.leaks.N.input", NEED_SERVER, NULL },
	{ "server.leaks.N.line", NEED_SERVER, NULL },
	{ "server.leaks.N.pid", NEED_SERVER, NULL },
	{ "server.leaks.N.ref_count", NEED_SERVER, NULL },
	{ "server.leaks.N.site", NEED_SERVER, NULL },
	{ "server.leaks.N.size", NEED_SERVER, NULL },
	{ "server.live_at_restarts.buffers", NEED_SERVER, NULL },
	{ "server.live_at_restarts.bytes", NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.buffers", NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.by_type.N.buffers", NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.by_type.N.bytes", NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.bytes", NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.device", NEED_SERVER, NULL },
	{ "server.reuse.N.address", NEED_SERVER, NULL },
	{ "server.reuse.N.allocs", NEED_SERVER, NULL },
	{ "server.reuse.N.device", NEED_SERVER, NULL },
	{ "server.reuse.N.frees", NEED_SERVER, NULL },
	{ "server.reuse.N.live_ref_count", NEED_SERVER, NULL },
	{ "server.reuse.N.net", NEED_SERVER, NULL },
	{ "server.reuse.N.pids.N", NEED_SERVER, NULL },
	{ "server.reuse.N.sizes.N", NEED_SERVER, NULL },
	{ "server.reuse.N.unknown_frees", NEED_SERVER, NULL },
	{ "server.run_list.N.checkpoints", NEED_SERVER, NULL },
	{ "server.run_list.N.checkpoints_disagree", NEED_SERVER, NULL },
	{ "server.run_list.N.cleanup.buffers", NEED_SERVER, NULL },
	{ "server.run_list.N.cleanup.bytes", NEED_SERVER, NULL },
	{ "server.run_list.N.index", NEED_SERVER, NULL },
	{ "server.run_list.N.input", NEED_SERVER, NULL },
	{ "server.run_list.N.line", NEED_SERVER, NULL },
	{ "server.run_list.N.live.buffers", NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.buffers", NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.by_type.N.buffers", NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.by_type.N.bytes", NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.bytes", NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.device", NEED_SERVER, NULL },
	{ "server.run_list.N.live.bytes", NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.by_cause.after_cleanup", NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.by_cause.after_final_free", NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.by_cause.after_restart", NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.by_cause.never_seen", NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.count", NEED_SERVER, NULL },
	{ "server.runs", NEED_SERVER, NULL },
	{ "server.unknown_frees.by_device.N.count", NEED_SERVER, NULL },
	{ "server.unknown_frees.by_device.N.device", NEED_SERVER, NULL },
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

/* One dotted segment of a name against one of a table name (N, TYPE or literal). */
static bool segment_match(const char *p, size_t pl, const char *m, size_t ml, int32_t *device, char *type,
			  size_t typesz)
{
	if (pl == 1 && *p == 'N') {
		size_t i = ml && *m == '-' ? 1 : 0; /* device ids may be negative */
		if (ml == i || ml - i > 10)
			return false;
		for (size_t k = i; k < ml; k++)
			if (m[k] < '0' || m[k] > '9')
				return false;
		long long d = strtoll(m, NULL, 10);
		if (d < INT32_MIN || d > INT32_MAX)
			return false;
		*device = (int32_t)d;
		return true;
	}
	if (pl == 4 && strncmp(p, "TYPE", 4) == 0) {
		if (ml == 0 || ml >= typesz)
			return false;
		for (size_t k = 0; k < ml; k++)
			if (!((m[k] >= 'A' && m[k] <= 'Z') || (m[k] >= '0' && m[k] <= '9') || m[k] == '_'))
				return false;
		memcpy(type, m, ml);
		type[ml] = '\0';
		return true;
	}
	return pl == ml && strncmp(p, m, pl) == 0;
}

/* The table row whose name matches name, filling the N and TYPE it names; NULL when none. */
static const struct metric *find_metric(const char *name, struct metric_env *e, char *type, size_t typesz)
{
	for (size_t i = 0; i < NMETRICS; i++) {
		const char *p = metrics[i].name, *m = name;
		bool ok = true;
		while (ok) {
			const char *pe = strchr(p, '.'), *me = strchr(m, '.');
			size_t pl = pe ? (size_t)(pe - p) : strlen(p), ml = me ? (size_t)(me - m) : strlen(m);
			ok = segment_match(p, pl, m, ml, &e->device, type, typesz) && !pe == !me;
			if (!pe || !ok)
				break;
			p = pe + 1;
			m = me + 1;
		}
		if (ok) {
			e->type = type;
			return &metrics[i];
		}
	}
	return NULL;
}

void lc_metrics_list(FILE *f)
{
	static const char *const needs[] = { "", "  (server log)", "  (buffer debug log)", "  (--diff)" };
	for (size_t i = 0; i < NMETRICS; i++)
		fprintf(f, "%s%s%s\n", metrics[i].name, needs[metrics[i].need], metrics[i].get ? "  [derived]" : "");
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = lc_xcalloc(lb + 1, sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

static const char *closest_metric(const char *m)
{
	const char *best = metrics[0].name;
	size_t bd = SIZE_MAX;
	for (size_t i = 0; i < NMETRICS; i++) {
		size_t d = edit_distance(m, metrics[i].name);
		if (d < bd) {
			bd = d;
			best = metrics[i].name;
		}
	}
	return best;
}

int lc_rule_parse(const char *text, struct lc_rule *r)
{
	memset(r, 0, sizeof *r);
	const char *p = text;
	while (*p == ' ')
		p++;
	const char *ms = p;
	while (*p && *p != ' ' && *p != '>' && *p != '<' && *p != '=' && *p != '!')
		p++;
	if (p == ms)
		return lc_error("--fail-on '%s': expected 'METRIC OP VALUE' (see --list-metrics)", text);
	char *metric = lc_xstrndup(ms, (size_t)(p - ms));
	while (*p == ' ')
		p++;
	static const struct {
		const char *s;
		enum lc_op op;
	} ops[] = { { ">=", LC_OP_GE }, { "<=", LC_OP_LE }, { "==", LC_OP_EQ }, { "!=", LC_OP_NE },
		    { ">", LC_OP_GT },  { "<", LC_OP_LT } };
	size_t k = 0;
	while (k < sizeof ops / sizeof ops[0] && strncmp(p, ops[k].s, strlen(ops[k].s)) != 0)
		k++;
	if (k == sizeof ops / sizeof ops[0]) {
		lc_error("--fail-on '%s': expected one of > >= < <= == != after the metric", text);
		free(metric);
		return -1;
	}
	p += strlen(ops[k].s);
	while (*p == ' ')
		p++;
	bool neg = *p == '-';
	if (neg)
		p++;
	uint64_t v = 0;
	const char *ds = p;
	while (*p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			break;
		v = v * 10 + d;
		p++;
	}
	uint64_t unit = 1;
	while (*p == ' ')
		p++;
	if (strcmp(p, "KiB") == 0)
		unit = 1024;
	else if (strcmp(p, "MiB") == 0)
		unit = 1024 * 1024;
	else if (strcmp(p, "GiB") == 0)
		unit = 1024ull * 1024 * 1024;
	else if (*p)
		unit = 0;
	if (p == ds || unit == 0 || (ds < p && (*ds < '0' || *ds > '9')) || v > (uint64_t)INT64_MAX / unit) {
		lc_error("--fail-on '%s': the value must be a whole number, optionally with KiB, MiB or GiB", text);
		free(metric);
		return -1;
	}
	struct metric_env env = { 0 };
	char type[64];
	const struct metric *row = find_metric(metric, &env, type, sizeof type);
	if (!row) {
		lc_error("--fail-on '%s': unknown metric '%s'; closest: %s (see --list-metrics)", text, metric,
			 closest_metric(metric));
		free(metric);
		return -1;
	}
	r->text = lc_xstrndup(text, strlen(text));
	r->metric = metric;
	r->from_report = row->get == NULL;
	r->op = ops[k].op;
	r->limit = (neg ? -1 : 1) * (int64_t)(v * unit);
	return 0;
}

void lc_rule_release(struct lc_rule *r)
{
	free(r->text);
	free(r->metric);
}

uint64_t lc_group_growth(const struct lc_side *base, const struct lc_group *g)
{
	const struct lc_group *b = lc_side_group(base, g->key);
	uint64_t was = b ? b->t.bytes : 0;
	return g->t.bytes > was ? g->t.bytes - was : 0;
}

void lc_gate_capture(void *ctx, const char *path, int64_t value)
{
	struct lc_gate *g = ctx;
	for (size_t i = 0; i < g->nrules; i++) {
		struct lc_rule *r = &g->rules[i];
		if (r->from_report && strcmp(r->metric, path) == 0) {
			r->found = true;
			r->captured = value;
		}
	}
}

bool lc_gate_needs_report(const struct lc_gate *g)
{
	for (size_t i = 0; i < g->nrules; i++)
		if (g->rules[i].from_report)
			return true;
	return false;
}

int lc_gate_check_scope(const struct lc_gate *g, bool diff)
{
	int rc = 0;
	for (size_t i = 0; i < g->nrules; i++) {
		const struct lc_rule *r = &g->rules[i];
		struct metric_env e = { 0 };
		char type[64];
		const struct metric *m = find_metric(r->metric, &e, type, sizeof type);
		if (m->need == NEED_DIFF && !diff)
			rc = lc_error("--fail-on '%s': %s compares two runs and needs --diff BEFORE AFTER", r->text, r->metric);
		else if (diff && r->from_report && (m->need == NEED_SERVER || m->need == NEED_DEBUG))
			rc = lc_error("--fail-on '%s': a --diff report has no %s section; use the diff.* metrics, or "
				      "server.remaining.* and debug.live.*, which judge AFTER",
				      r->text, m->need == NEED_SERVER ? "server" : "debug");
	}
	return rc;
}

/* The integer at a dotted path of a JSON report of ours ("inputs.0.lines"), or NULL. */
static const struct lc_jval *jpath(const struct lc_jval *v, const char *path)
{
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		char key[64]; /* a key or an index; longer ones name nothing in our reports */
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (v->type == LC_JARR) {
			char *end;
			unsigned long long k = strtoull(key, &end, 10);
			v = *end || k >= v->count ? NULL : &v->items[k];
		} else {
			v = lc_jget(v, key);
		}
		path += n + (dot != NULL);
	}
	return v && v->type == LC_JNUM && v->is_int ? v : NULL;
}

/* Why the rule's metric cannot be had from this run, or NULL. */
static const char *inapplicable(const struct lc_rule *r, const struct metric *m, const struct lc_side *now,
				const struct lc_diff *diff)
{
	if (m->need == NEED_SERVER && !now->has_server)
		return "no allocation-server log was read";
	if (m->need == NEED_DEBUG && !now->has_debug)
		return "no buffer debug log was read";
	if (m->need == NEED_DIFF && !diff)
		return "it needs --diff BEFORE AFTER";
	if (r->from_report && !r->found)
		return "this run's JSON report has no such integer (--list-metrics FILE... lists those it has)";
	return NULL;
}

bool lc_gate_eval(struct lc_gate *g, const struct lc_side *now, const struct lc_side *baseline,
		  const struct lc_diff *diff)
{
	g->passed = true;
	g->inapplicable = false;
	for (size_t i = 0; i < g->nrules; i++) {
		struct lc_rule *r = &g->rules[i];
		struct metric_env e = { now, baseline, diff, 0, NULL };
		char type[64];
		const struct metric *m = find_metric(r->metric, &e, type, sizeof type);
		const char *why = inapplicable(r, m, now, diff);
		int64_t v = 0;
		r->applies = why == NULL;
		if (why) {
			lc_error("--fail-on '%s': %s does not apply to this run: %s", r->text, r->metric, why);
			g->inapplicable = true;
		} else if (m->get) {
			v = m->get(&e);
		} else {
			v = r->captured;
			const struct lc_jval *w = g->baseline_doc ? jpath(g->baseline_doc, r->metric) : NULL;
			if (g->baseline_doc) {
				int64_t was = w ? lc_jint(w) : 0;
				v = v > was ? v - was : 0;
			}
		}
		bool fail;
		switch (r->op) {
		case LC_OP_GT: fail = v > r->limit; break;
		case LC_OP_GE: fail = v >= r->limit; break;
		case LC_OP_LT: fail = v < r->limit; break;
		case LC_OP_LE: fail = v <= r->limit; break;
		case LC_OP_EQ: fail = v == r->limit; break;
		default: fail = v != r->limit; break;
		}
		r->value = v;
		r->passed = r->applies && !fail;
		if (!r->passed)
			g->passed = false;
	}
	return g->passed;
}

/* ---------- suppressions ---------- */

int lc_suppressions_load(struct lc_suppressions *sp, const char *path)
{
	memset(sp, 0, sizeof *sp);
	sp->path = lc_xstrndup(path, strlen(path));
	FILE *f = fopen(path, "r");
	if (!f)
		return lc_error("%s: cannot be read", path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int rc = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = '\0';
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		struct lc_supp_rule r = { .text = lc_xstrndup(p, strlen(p)) };
		if (strncmp(p, "leak:", 5) == 0) {
			int err;
			PCRE2_SIZE off;
			r.kind = LC_SUPP_LEAK;
			r.re = pcre2_compile((PCRE2_SPTR)(p + 5), PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
					     &err, &off, NULL);
			if (!r.re) {
				PCRE2_UCHAR msg[200];
				pcre2_get_error_message(err, msg, sizeof msg);
				rc = lc_error("%s:%u: %s at offset %zu", path, lineno, (const char *)msg, (size_t)off);
			} else if (!getenv("TT_LEAKCORR_NO_JIT")) {
				pcre2_jit_compile(r.re, PCRE2_JIT_COMPLETE);
			}
		} else if (strncmp(p, "type:", 5) == 0 && p[5]) {
			r.kind = LC_SUPP_TYPE;
			r.type = lc_xstrndup(p + 5, strlen(p + 5));
		} else if (strncmp(p, "device:", 7) == 0) {
			char *end;
			long long d = strtoll(p + 7, &end, 10);
			if (end == p + 7 || *end || d < INT32_MIN || d > INT32_MAX)
				rc = lc_error("%s:%u: device: needs a device id", path, lineno);
			r.kind = LC_SUPP_DEVICE;
			r.device = (int32_t)d;
		} else {
			rc = lc_error("%s:%u: expected leak:REGEX, type:NAME or device:N", path, lineno);
		}
		sp->rules = lc_xrealloc(sp->rules, (sp->n + 1) * sizeof *sp->rules);
		sp->rules[sp->n++] = r;
	}
	free(line);
	fclose(f);
	return rc;
}

void lc_suppressions_release(struct lc_suppressions *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		free(sp->rules[i].text);
		free(sp->rules[i].type);
		if (sp->rules[i].re)
			pcre2_code_free(sp->rules[i].re);
	}
	free(sp->rules);
	free(sp->path);
	memset(sp, 0, sizeof *sp);
}

struct frame_match {
	pcre2_code *re;
	pcre2_match_data *md;
	bool hit;
};

static void match_frame(const char *p, size_t n, void *arg)
{
	struct frame_match *fm = arg;
	if (!fm->hit && pcre2_match(fm->re, (PCRE2_SPTR)p, n, 0, 0, fm->md, NULL) >= 0)
		fm->hit = true;
}

/* Index of the first rule matching, or -1. */
static ssize_t first_match(const struct lc_suppressions *sp, int32_t device, const char *type,
			   const struct lc_stack *stack)
{
	for (size_t i = 0; sp && i < sp->n; i++) {
		const struct lc_supp_rule *r = &sp->rules[i];
		if (r->kind == LC_SUPP_TYPE && type && strcmp(type, r->type) == 0)
			return (ssize_t)i;
		if (r->kind == LC_SUPP_DEVICE && device == r->device)
			return (ssize_t)i;
		if (r->kind == LC_SUPP_LEAK && r->re && stack) {
			struct frame_match fm = { r->re, pcre2_match_data_create(4, NULL), false };
			lc_stack_frames(stack, match_frame, &fm);
			pcre2_match_data_free(fm.md);
			if (fm.hit)
				return (ssize_t)i;
		}
	}
	return -1;
}

bool lc_suppressed(const struct lc_suppressions *sp, int32_t device, const char *type, const struct lc_stack *stack)
{
	return first_match(sp, device, type, stack) >= 0;
}

void lc_suppressions_apply(struct lc_suppressions *sp, struct lc_side *s, bool count)
{
	/* Count the server's entries when there are any, else the open lifetimes, so no leak counts twice. */
	bool counted_kind = !s->has_server;
	for (size_t i = 0; i < s->nitems; i++) {
		struct lc_item *it = &s->items[i];
		ssize_t k = first_match(sp, it->device, it->type, it->stack);
		it->suppressed = k >= 0;
		if (k >= 0 && count && it->from_debug == counted_kind) {
			bool sat = false;
			uint64_t bytes = lc_item_bytes(it, &sat);
			sp->rules[k].t.buffers += it->count;
			sp->rules[k].t.bytes = lc_add_sat(sp->rules[k].t.bytes, bytes, &sat);
		}
	}
}
