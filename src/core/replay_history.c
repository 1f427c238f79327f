// SPDX-License-Identifier: MIT
// The replay's side of --address: each line of a wanted key, cleanup removals and restarts, told to the history.
#include "lc/history.h"

#include "replay_internal.h"

void lc_replay_history_line(struct lc_replay *rp, const struct lc_sevent *ev, uint32_t input, uint64_t line)
{
	enum lc_hist_kind kind;
	switch (ev->kind) {
	case LC_SEV_ALLOC: kind = ev->ref_count ? LC_HIST_ALLOC_REF : LC_HIST_ALLOC; break;
	case LC_SEV_FREE: kind = ev->final ? LC_HIST_FREE_FINAL : LC_HIST_FREE_REF; break;
	case LC_SEV_UNKNOWN_FREE: kind = LC_HIST_FREE_UNKNOWN; break;
	default: return;
	}
	/* The oldest unknown-free form names no device: it belongs to no key. */
	if (!ev->has_device || !lc_history_wants(rp->cfg.history, ev->device, ev->id))
		return;
	const struct entry *e = lc_replay_entry_find(rp, ev->device, ev->id);
	struct lc_hist_event h = {
		.kind = kind,
		.input = input,
		.line = line,
		.run = rp->m.runs,
		.pid = ev->pid,
		.has_pid = ev->has_pid,
		.size = kind == LC_HIST_FREE_UNKNOWN ? 0 : ev->size,
		.live = e && e->live,
		.ref_count = e && e->live ? e->ref : 0,
		.has_printed_ref = kind == LC_HIST_ALLOC_REF || kind == LC_HIST_FREE_REF,
		.printed_ref = ev->ref_count,
	};
	/* An allocation line's type is its own (last_type); a free's is the entry's stored type. */
	if (e && e->has_type)
		h.type = lc_replay_type_str(rp, kind <= LC_HIST_ALLOC_REF ? e->last_type : e->type);
	lc_history_event(rp->cfg.history, ev->device, &h);
}

void lc_replay_history_removed(struct lc_replay *rp, const struct entry *e, int32_t pid, uint32_t input, uint64_t line)
{
	if (!lc_history_wants(rp->cfg.history, e->device, e->address))
		return;
	struct lc_hist_event h = {
		.kind = LC_HIST_CLEANUP,
		.input = input,
		.line = line,
		.run = rp->m.runs,
		.pid = pid,
		.has_pid = true,
		.size = e->size,
		.type = lc_replay_type_str(rp, e->type),
	};
	lc_history_event(rp->cfg.history, e->device, &h);
}

void lc_replay_history_restart(struct lc_replay *rp, uint32_t input, uint64_t line)
{
	size_t n;
	const int32_t *devs = lc_history_devices(rp->cfg.history, &n);
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = lc_replay_entry_find(rp, devs[i], lc_history_address(rp->cfg.history));
		if (!e || !e->live)
			continue;
		struct lc_hist_event h = {
			.kind = LC_HIST_RESTART,
			.input = input,
			.line = line,
			.run = rp->m.runs,
			.pid = e->owner,
			.has_pid = true,
			.size = e->size,
			.type = lc_replay_type_str(rp, e->type),
		};
		/* the devices array may move when a key is added: this adds none (the key exists) */
		lc_history_event(rp->cfg.history, devs[i], &h);
	}
}
