// SPDX-License-Identifier: MIT
// The one metric table: names rules may use, what each needs of the run, and its getter.
#include "lc/metrics.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lc/util.h"

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

static int64_t device_type(const struct lc_metric_env *e, bool bytes)
{
	const struct lc_dt *n = find_dt(e->now, e->device, e->type);
	uint64_t v = n ? (bytes ? n->t.bytes : n->t.buffers) : 0;
	const struct lc_dt *b = e->base ? find_dt(e->base, e->device, e->type) : NULL;
	return scalar(v, e->base, b ? (bytes ? b->t.bytes : b->t.buffers) : 0);
}

#define SIDE_FIELD(f) \
	static int64_t get_##f(const struct lc_metric_env *e) \
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

static int64_t get_remaining_bytes(const struct lc_metric_env *e) { return remaining_metric(e->now, e->base, true); }
static int64_t get_remaining_buffers(const struct lc_metric_env *e) { return remaining_metric(e->now, e->base, false); }
static int64_t get_live_bytes(const struct lc_metric_env *e) { return live_metric(e->now, e->base, true); }
static int64_t get_live_buffers(const struct lc_metric_env *e) { return live_metric(e->now, e->base, false); }
static int64_t get_dt_bytes(const struct lc_metric_env *e) { return device_type(e, true); }
static int64_t get_dt_buffers(const struct lc_metric_env *e) { return device_type(e, false); }
static int64_t get_sites_new(const struct lc_metric_env *e) { return sat64(e->diff->count[LC_SITE_NEW]); }
static int64_t get_sites_grown(const struct lc_metric_env *e) { return sat64(e->diff->count[LC_SITE_GROWN]); }
static int64_t get_sites_shrunk(const struct lc_metric_env *e) { return sat64(e->diff->count[LC_SITE_SHRUNK]); }
static int64_t get_sites_gone(const struct lc_metric_env *e) { return sat64(e->diff->count[LC_SITE_GONE]); }

static int64_t delta(uint64_t after, uint64_t before)
{
	return (int64_t)after - (int64_t)before;
}

static int64_t get_d_rem_bytes(const struct lc_metric_env *e)
{
	return delta(e->diff->after->remaining.bytes, e->diff->before->remaining.bytes);
}

static int64_t get_d_rem_buffers(const struct lc_metric_env *e)
{
	return delta(e->diff->after->remaining.buffers, e->diff->before->remaining.buffers);
}

static int64_t get_d_live_bytes(const struct lc_metric_env *e)
{
	return delta(e->diff->after->live.bytes, e->diff->before->live.bytes);
}

static int64_t get_d_live_buffers(const struct lc_metric_env *e)
{
	return delta(e->diff->after->live.buffers, e->diff->before->live.buffers);
}

static int64_t get_d_unknown(const struct lc_metric_env *e)
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
static const struct lc_metric metrics[] = {
	{ "server.remaining.bytes", LC_NEED_SERVER, get_remaining_bytes },
	{ "server.remaining.buffers", LC_NEED_SERVER, get_remaining_buffers },
	{ "server.remaining.device.N.TYPE.bytes", LC_NEED_SERVER, get_dt_bytes },
	{ "server.remaining.device.N.TYPE.buffers", LC_NEED_SERVER, get_dt_buffers },
	{ "server.events.free_unknown", LC_NEED_SERVER, get_free_unknown },
	{ "server.unknown_frees.count", LC_NEED_SERVER, get_free_unknown },
	{ "server.unknown_frees.by_cause.never_seen", LC_NEED_SERVER, get_never_seen },
	{ "server.unknown_frees.by_cause.after_final_free", LC_NEED_SERVER, get_after_final_free },
	{ "server.unknown_frees.by_cause.after_cleanup", LC_NEED_SERVER, get_after_cleanup },
	{ "server.unknown_frees.by_cause.after_restart", LC_NEED_SERVER, get_after_restart },
	{ "server.cleanup.buffers", LC_NEED_SERVER, get_cleanup_buffers },
	{ "server.cleanup.bytes", LC_NEED_SERVER, get_cleanup_bytes },
	{ "server.checkpoints.disagree", LC_NEED_SERVER, get_checkpoints_disagree },
	{ "inputs.malformed_lines", LC_NEED_ANY, get_malformed_lines },
	{ "debug.live.bytes", LC_NEED_DEBUG, get_live_bytes },
	{ "debug.live.buffers", LC_NEED_DEBUG, get_live_buffers },
	{ "diff.sites.new", LC_NEED_DIFF, get_sites_new },
	{ "diff.sites.grown", LC_NEED_DIFF, get_sites_grown },
	{ "diff.sites.shrunk", LC_NEED_DIFF, get_sites_shrunk },
	{ "diff.sites.gone", LC_NEED_DIFF, get_sites_gone },
	{ "diff.remaining.bytes", LC_NEED_DIFF, get_d_rem_bytes },
	{ "diff.remaining.buffers", LC_NEED_DIFF, get_d_rem_buffers },
	{ "diff.live.bytes", LC_NEED_DIFF, get_d_live_bytes },
	{ "diff.live.buffers", LC_NEED_DIFF, get_d_live_buffers },
	{ "diff.unknown_frees", LC_NEED_DIFF, get_d_unknown },
	{ "debug.all_sites.N.allocations", LC_NEED_DEBUG, NULL },
	{ "debug.all_sites.N.bytes", LC_NEED_DEBUG, NULL },
	{ "debug.all_sites.N.peak_live", LC_NEED_DEBUG, NULL },
	{ "debug.all_sites.N.temporary", LC_NEED_DEBUG, NULL },
	{ "debug.all_sites.N.temporary_bytes", LC_NEED_DEBUG, NULL },
	{ "debug.blocks.allocated", LC_NEED_DEBUG, NULL },
	{ "debug.blocks.deallocated", LC_NEED_DEBUG, NULL },
	{ "debug.blocks.destructor", LC_NEED_DEBUG, NULL },
	{ "debug.frames_interned", LC_NEED_DEBUG, NULL },
	{ "debug.hooked.buffers", LC_NEED_DEBUG, NULL },
	{ "debug.hooked.bytes", LC_NEED_DEBUG, NULL },
	{ "debug.leaks.N.address", LC_NEED_DEBUG, NULL },
	{ "debug.leaks.N.device", LC_NEED_DEBUG, NULL },
	{ "debug.leaks.N.input", LC_NEED_DEBUG, NULL },
	{ "debug.leaks.N.line", LC_NEED_DEBUG, NULL },
	{ "debug.leaks.N.pointer", LC_NEED_DEBUG, NULL },
	{ "debug.leaks.N.site", LC_NEED_DEBUG, NULL },
	{ "debug.leaks.N.size", LC_NEED_DEBUG, NULL },
	{ "debug.sites.N.buffers", LC_NEED_DEBUG, NULL },
	{ "debug.sites.N.by_device.N.buffers", LC_NEED_DEBUG, NULL },
	{ "debug.sites.N.by_device.N.bytes", LC_NEED_DEBUG, NULL },
	{ "debug.sites.N.by_device.N.device", LC_NEED_DEBUG, NULL },
	{ "debug.sites.N.bytes", LC_NEED_DEBUG, NULL },
	{ "debug.sites.N.temporary", LC_NEED_DEBUG, NULL },
	{ "debug.sites.N.temporary_bytes", LC_NEED_DEBUG, NULL },
	{ "debug.superseded.buffers", LC_NEED_DEBUG, NULL },
	{ "debug.superseded.bytes", LC_NEED_DEBUG, NULL },
	{ "debug.unmatched", LC_NEED_DEBUG, NULL },
	{ "diff.after.live_buffers", LC_NEED_DIFF, NULL },
	{ "diff.after.live_bytes", LC_NEED_DIFF, NULL },
	{ "diff.after.remaining_buffers", LC_NEED_DIFF, NULL },
	{ "diff.after.remaining_bytes", LC_NEED_DIFF, NULL },
	{ "diff.after.unknown_frees", LC_NEED_DIFF, NULL },
	{ "diff.before.live_buffers", LC_NEED_DIFF, NULL },
	{ "diff.before.live_bytes", LC_NEED_DIFF, NULL },
	{ "diff.before.remaining_buffers", LC_NEED_DIFF, NULL },
	{ "diff.before.remaining_bytes", LC_NEED_DIFF, NULL },
	{ "diff.before.unknown_frees", LC_NEED_DIFF, NULL },
	{ "diff.by_device.N.after_buffers", LC_NEED_DIFF, NULL },
	{ "diff.by_device.N.after_bytes", LC_NEED_DIFF, NULL },
	{ "diff.by_device.N.before_buffers", LC_NEED_DIFF, NULL },
	{ "diff.by_device.N.before_bytes", LC_NEED_DIFF, NULL },
	{ "diff.by_device.N.device", LC_NEED_DIFF, NULL },
	{ "diff.sites.N.after_buffers", LC_NEED_DIFF, NULL },
	{ "diff.sites.N.after_bytes", LC_NEED_DIFF, NULL },
	{ "diff.sites.N.before_buffers", LC_NEED_DIFF, NULL },
	{ "diff.sites.N.before_bytes", LC_NEED_DIFF, NULL },
	{ "evidence.asymmetric_groups", LC_NEED_SERVER, NULL },
	{ "evidence.dump.asymmetric_groups", LC_NEED_SERVER, NULL },
	{ "evidence.dump.buffers", LC_NEED_SERVER, NULL },
	{ "evidence.dump.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.buffers", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.devices.N", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.first.input", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.first.line", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.last.input", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.last.line", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.sites.N.buffers", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.sites.N.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.dump.classes.N.rows.N.sites.N.site", LC_NEED_SERVER, NULL },
	{ "evidence.dump.dumps", LC_NEED_SERVER, NULL },
	{ "evidence.dump.group_window", LC_NEED_SERVER, NULL },
	{ "evidence.dump.groups.N.buffers", LC_NEED_SERVER, NULL },
	{ "evidence.dump.groups.N.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.dump.groups.N.devices.N", LC_NEED_SERVER, NULL },
	{ "evidence.dump.groups.N.first_line", LC_NEED_SERVER, NULL },
	{ "evidence.dump.groups.N.input", LC_NEED_SERVER, NULL },
	{ "evidence.dump.groups.N.last_line", LC_NEED_SERVER, NULL },
	{ "evidence.dump.groups.N.missing_devices.N", LC_NEED_SERVER, NULL },
	{ "evidence.dump.groups.N.pids.N", LC_NEED_SERVER, NULL },
	{ "evidence.dump.groups.N.size", LC_NEED_SERVER, NULL },
	{ "evidence.dump.input", LC_NEED_SERVER, NULL },
	{ "evidence.dump.line", LC_NEED_SERVER, NULL },
	{ "evidence.dump.run_devices.N", LC_NEED_SERVER, NULL },
	{ "evidence.dump.run_totals.allocations", LC_NEED_SERVER, NULL },
	{ "evidence.dump.run_totals.by_type.N.allocations", LC_NEED_SERVER, NULL },
	{ "evidence.dump.run_totals.by_type.N.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.dump.run_totals.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.dump.stats_blocks", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.group", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.lifetime_lines", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.seq", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.size_class", LC_NEED_SERVER, NULL },
	{ "evidence.buffers", LC_NEED_SERVER, NULL },
	{ "evidence.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.buffers", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.devices.N", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.first.input", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.first.line", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.last.input", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.last.line", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.sites.N.buffers", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.sites.N.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.classes.N.rows.N.sites.N.site", LC_NEED_SERVER, NULL },
	{ "evidence.dumps", LC_NEED_SERVER, NULL },
	{ "evidence.group_window", LC_NEED_SERVER, NULL },
	{ "evidence.groups.N.buffers", LC_NEED_SERVER, NULL },
	{ "evidence.groups.N.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.groups.N.devices.N", LC_NEED_SERVER, NULL },
	{ "evidence.groups.N.first_line", LC_NEED_SERVER, NULL },
	{ "evidence.groups.N.input", LC_NEED_SERVER, NULL },
	{ "evidence.groups.N.last_line", LC_NEED_SERVER, NULL },
	{ "evidence.groups.N.missing_devices.N", LC_NEED_SERVER, NULL },
	{ "evidence.groups.N.pids.N", LC_NEED_SERVER, NULL },
	{ "evidence.groups.N.size", LC_NEED_SERVER, NULL },
	{ "evidence.run_devices.N", LC_NEED_SERVER, NULL },
	{ "evidence.run_totals.allocations", LC_NEED_SERVER, NULL },
	{ "evidence.run_totals.by_type.N.allocations", LC_NEED_SERVER, NULL },
	{ "evidence.run_totals.by_type.N.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.run_totals.bytes", LC_NEED_SERVER, NULL },
	{ "evidence.stats_blocks", LC_NEED_SERVER, NULL },
	{ "filter.device", LC_NEED_ANY, NULL },
	{ "filter.min_size", LC_NEED_ANY, NULL },
	{ "filter.pid", LC_NEED_ANY, NULL },
	{ "inputs.N.bytes", LC_NEED_ANY, NULL },
	{ "inputs.N.events", LC_NEED_ANY, NULL },
	{ "inputs.N.evidence_lines", LC_NEED_ANY, NULL },
	{ "inputs.N.foreign_lines", LC_NEED_ANY, NULL },
	{ "inputs.N.joined_lines", LC_NEED_ANY, NULL },
	{ "inputs.N.lines", LC_NEED_ANY, NULL },
	{ "inputs.N.malformed_lines", LC_NEED_ANY, NULL },
	{ "inputs.N.recognized_lines", LC_NEED_ANY, NULL },
	{ "options.at_dump", LC_NEED_ANY, NULL },
	{ "options.stack_depth", LC_NEED_ANY, NULL },
	{ "server.address_forms.decimal_lines", LC_NEED_SERVER, NULL },
	{ "server.address_forms.hex_lines", LC_NEED_SERVER, NULL },
	{ "server.checkpoints.N.differences_total", LC_NEED_SERVER, NULL },
	{ "server.checkpoints.N.input", LC_NEED_SERVER, NULL },
	{ "server.checkpoints.N.line", LC_NEED_SERVER, NULL },
	{ "server.checkpoints.N.run", LC_NEED_SERVER, NULL },
	{ "server.checkpoints_disagree", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.buffers", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.by_device_type.N.buffers", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.by_device_type.N.bytes", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.by_device_type.N.device", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.bytes", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.entries.N.address", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.entries.N.device", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.entries.N.input", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.entries.N.line", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.entries.N.pid", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.entries.N.ref_count", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.entries.N.site", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.entries.N.size", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.entries_omitted", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.input", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.line", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.pid", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.printed_buffers", LC_NEED_SERVER, NULL },
	{ "server.cleanup.N.run", LC_NEED_SERVER, NULL },
	{ "server.devices_extra.N.device", LC_NEED_SERVER, NULL },
	{ "server.devices_extra.N.wrapped_totals", LC_NEED_SERVER, NULL },
	{ "server.distinct_keys", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.at_dump.buffers", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.at_dump.bytes", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.at_dump.buffers", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.at_dump.bytes", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.device", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.freed_later.buffers", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.freed_later.bytes", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.removed_by_cleanup.buffers", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.removed_by_cleanup.bytes", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.still_live.buffers", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.by_device.N.still_live.bytes", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.dump_index", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.address", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.device", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.input", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.line", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.pid", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.ref_count", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.site", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.entries.N.size", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.freed_later.buffers", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.freed_later.bytes", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.input", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.line", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.removed_by_cleanup.buffers", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.removed_by_cleanup.bytes", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.run", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.still_live.buffers", LC_NEED_SERVER, NULL },
	{ "server.dump_lifecycle.still_live.bytes", LC_NEED_SERVER, NULL },
	{ "server.events.alloc", LC_NEED_SERVER, NULL },
	{ "server.events.alloc_ref", LC_NEED_SERVER, NULL },
	{ "server.events.cb_alloc", LC_NEED_SERVER, NULL },
	{ "server.events.cb_free", LC_NEED_SERVER, NULL },
	{ "server.events.cleanup_removed", LC_NEED_SERVER, NULL },
	{ "server.events.dumps", LC_NEED_SERVER, NULL },
	{ "server.events.free_final", LC_NEED_SERVER, NULL },
	{ "server.events.free_ref", LC_NEED_SERVER, NULL },
	{ "server.events.kernel_load", LC_NEED_SERVER, NULL },
	{ "server.events.kernel_unload", LC_NEED_SERVER, NULL },
	{ "server.events.stats_blocks", LC_NEED_SERVER, NULL },
	{ "server.implausible.count", LC_NEED_SERVER, NULL },
	{ "server.implausible.first.N.input", LC_NEED_SERVER, NULL },
	{ "server.implausible.first.N.line", LC_NEED_SERVER, NULL },
	{ "server.inconsistencies.count", LC_NEED_SERVER, NULL },
	{ "server.inconsistencies.first.N.input", LC_NEED_SERVER, NULL },
	{ "server.inconsistencies.first.N.line", LC_NEED_SERVER, NULL },
	{ "server.join.leaks_with_site", LC_NEED_SERVER, NULL },
	{ "server.join.leaks_without_site", LC_NEED_SERVER, NULL },
	{ "server.join.lifetimes_without_entry", LC_NEED_SERVER, NULL },
	{ "server.last_run.checkpoints", LC_NEED_SERVER, NULL },
	{ "server.last_run.checkpoints_disagree", LC_NEED_SERVER, NULL },
	{ "server.last_run.cleanup.buffers", LC_NEED_SERVER, NULL },
	{ "server.last_run.cleanup.bytes", LC_NEED_SERVER, NULL },
	{ "server.last_run.index", LC_NEED_SERVER, NULL },
	{ "server.last_run.input", LC_NEED_SERVER, NULL },
	{ "server.last_run.line", LC_NEED_SERVER, NULL },
	{ "server.last_run.live.buffers", LC_NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.buffers", LC_NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.by_type.N.buffers", LC_NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.by_type.N.bytes", LC_NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.bytes", LC_NEED_SERVER, NULL },
	{ "server.last_run.live.by_device.N.device", LC_NEED_SERVER, NULL },
	{ "server.last_run.live.bytes", LC_NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.by_cause.after_cleanup", LC_NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.by_cause.after_final_free", LC_NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.by_cause.after_restart", LC_NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.by_cause.never_seen", LC_NEED_SERVER, NULL },
	{ "server.last_run.unknown_frees.count", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.address", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.group", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.lifetime_lines", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.seq", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.size_class", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.device", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.input", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.line", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.pid", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.ref_count", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.site", LC_NEED_SERVER, NULL },
	{ "server.leaks.N.size", LC_NEED_SERVER, NULL },
	{ "server.live_at_restarts.buffers", LC_NEED_SERVER, NULL },
	{ "server.live_at_restarts.bytes", LC_NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.buffers", LC_NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.by_type.N.buffers", LC_NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.by_type.N.bytes", LC_NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.bytes", LC_NEED_SERVER, NULL },
	{ "server.remaining.by_device.N.device", LC_NEED_SERVER, NULL },
	{ "server.remaining_by_pid.N.buffers", LC_NEED_SERVER, NULL },
	{ "server.remaining_by_pid.N.bytes", LC_NEED_SERVER, NULL },
	{ "server.remaining_by_pid.N.devices.N", LC_NEED_SERVER, NULL },
	{ "server.remaining_by_pid.N.pid", LC_NEED_SERVER, NULL },
	{ "server.reuse.N.address", LC_NEED_SERVER, NULL },
	{ "server.reuse.N.allocs", LC_NEED_SERVER, NULL },
	{ "server.reuse.N.device", LC_NEED_SERVER, NULL },
	{ "server.reuse.N.frees", LC_NEED_SERVER, NULL },
	{ "server.reuse.N.live_ref_count", LC_NEED_SERVER, NULL },
	{ "server.reuse.N.net", LC_NEED_SERVER, NULL },
	{ "server.reuse.N.pids.N", LC_NEED_SERVER, NULL },
	{ "server.reuse.N.sizes.N", LC_NEED_SERVER, NULL },
	{ "server.reuse.N.unknown_frees", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.checkpoints", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.checkpoints_disagree", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.cleanup.buffers", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.cleanup.bytes", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.index", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.input", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.line", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.live.buffers", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.buffers", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.by_type.N.buffers", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.by_type.N.bytes", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.bytes", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.live.by_device.N.device", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.live.bytes", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.by_cause.after_cleanup", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.by_cause.after_final_free", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.by_cause.after_restart", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.by_cause.never_seen", LC_NEED_SERVER, NULL },
	{ "server.run_list.N.unknown_frees.count", LC_NEED_SERVER, NULL },
	{ "server.runs", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_device.N.count", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_device.N.device", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_pid.N.count", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_pid.N.first.N.address", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_pid.N.first.N.device", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_pid.N.first.N.input", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_pid.N.first.N.line", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_pid.N.pid", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_cleanup.count", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_cleanup.first.N.address", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_cleanup.first.N.device", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_cleanup.first.N.input", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_cleanup.first.N.line", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_restart.count", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_restart.first.N.address", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_restart.first.N.device", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_restart.first.N.input", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.after_restart.first.N.line", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.before_first_alloc.count", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.before_first_alloc.first.N.address", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.before_first_alloc.first.N.device", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.before_first_alloc.first.N.input", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.before_first_alloc.first.N.line", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.during_run.count", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.during_run.first.N.address", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.during_run.first.N.device", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.during_run.first.N.input", LC_NEED_SERVER, NULL },
	{ "server.unknown_frees.by_position.during_run.first.N.line", LC_NEED_SERVER, NULL },
	{ "timeline.debug.at_peak.N.buffers", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.at_peak.N.by_site.N.buffers", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.at_peak.N.by_site.N.bytes", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.at_peak.N.by_site.N.site", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.at_peak.N.by_type.N.buffers", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.at_peak.N.by_type.N.bytes", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.at_peak.N.by_type.N.device", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.at_peak.N.bytes", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.at_peak.N.device", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.at_peak.N.x", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.bucket_lines", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.buckets", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.inputs.N.first_x", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.inputs.N.input", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.inputs.N.lines", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.lines", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.marks.cleanups.count", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.marks.dumps.count", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.marks.restarts.count", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.marks.stats.count", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.buffers_last.N", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.buffers_max.N", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.buffers_min.N", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.bytes_last.N", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.bytes_max.N", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.bytes_min.N", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.device", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.end_buffers", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.end_bytes", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.peak_buffers", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.peak_buffers_x", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.peak_bytes", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.peak_bytes_input", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.peak_bytes_line", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series.N.peak_bytes_x", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.series_omitted", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.wall.N.x", LC_NEED_DEBUG, NULL },
	{ "timeline.debug.wall_count", LC_NEED_DEBUG, NULL },
	{ "timeline.server.at_peak.N.buffers", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.by_group.N.buffers", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.by_group.N.bytes", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.by_group.N.devices.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.by_group.N.first_input", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.by_group.N.first_line", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.by_group.N.size", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.by_type.N.buffers", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.by_type.N.bytes", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.by_type.N.device", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.bytes", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.device", LC_NEED_SERVER, NULL },
	{ "timeline.server.at_peak.N.x", LC_NEED_SERVER, NULL },
	{ "timeline.server.bucket_lines", LC_NEED_SERVER, NULL },
	{ "timeline.server.buckets", LC_NEED_SERVER, NULL },
	{ "timeline.server.inputs.N.first_x", LC_NEED_SERVER, NULL },
	{ "timeline.server.inputs.N.input", LC_NEED_SERVER, NULL },
	{ "timeline.server.inputs.N.lines", LC_NEED_SERVER, NULL },
	{ "timeline.server.lines", LC_NEED_SERVER, NULL },
	{ "timeline.server.marks.cleanups.count", LC_NEED_SERVER, NULL },
	{ "timeline.server.marks.cleanups.x.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.marks.dumps.count", LC_NEED_SERVER, NULL },
	{ "timeline.server.marks.dumps.x.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.marks.restarts.count", LC_NEED_SERVER, NULL },
	{ "timeline.server.marks.restarts.x.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.marks.stats.count", LC_NEED_SERVER, NULL },
	{ "timeline.server.marks.stats.x.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.buffers_last.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.buffers_max.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.buffers_min.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.bytes_last.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.bytes_max.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.bytes_min.N", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.device", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.end_buffers", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.end_bytes", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.peak_buffers", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.peak_buffers_x", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.peak_bytes", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.peak_bytes_input", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.peak_bytes_line", LC_NEED_SERVER, NULL },
	{ "timeline.server.series.N.peak_bytes_x", LC_NEED_SERVER, NULL },
	{ "timeline.server.series_omitted", LC_NEED_SERVER, NULL },
	{ "timeline.server.wall.N.run", LC_NEED_SERVER, NULL },
	{ "timeline.server.wall.N.seconds", LC_NEED_SERVER, NULL },
	{ "timeline.server.wall.N.x", LC_NEED_SERVER, NULL },
	{ "timeline.server.wall_count", LC_NEED_SERVER, NULL },
	{ "timeline.points", LC_NEED_ANY, NULL },
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
const struct lc_metric *lc_metric_find(const char *name, struct lc_metric_env *e, char *type, size_t typesz)
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

const char *lc_metric_closest(const char *m)
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
