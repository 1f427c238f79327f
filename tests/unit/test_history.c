// SPDX-License-Identifier: MIT
// Unit tests of --address's history: the cap per key, the replay unchanged by it, superseded lifetimes.
#include <string.h>

#include "lc/history.h"
#include "lc/lifetimes.h"
#include "lc/replay.h"
#include "lc/server_log.h"
#include "tap.h"

static struct lc_sparser *sp;

/* Feeds a block of log text, one line per '\n', as input 0. */
static void feed(struct lc_replay *rp, const char *text)
{
	uint64_t line = 0;
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		struct lc_sevent ev;
		const char *why;
		line++;
		if (lc_sparser_line(sp, (struct lc_span){ text, n }, &ev, &why) == LC_LINE_RECOGNIZED)
			lc_replay_apply(rp, &ev, 0, line);
		text += n + (nl ? 1 : 0);
	}
}

/* Five lines at (0, 0x40), one at (0, 0x80); then a cleanup of PID 7 with (0, 0x40) live. */
static const char *LOG = "✓ [PID 7] Allocated 64 bytes of L1 on device 0 (buffer_id=0x40)\n"
			 "✗ [PID 7] Freed buffer 0x40 on device 0 (64 bytes, FINAL)\n"
			 "✓ [PID 7] Allocated 64 bytes of L1 on device 0 (buffer_id=0x40)\n"
			 "✓ [PID 8] Allocated 64 bytes of L1 on device 0 (buffer_id=0x40, ref_count=2)\n"
			 "✓ [PID 7] Allocated 32 bytes of DRAM on device 0 (buffer_id=0x80)\n"
			 "✗ [PID 7] Freed buffer 0x40 on device 0 (64 bytes, ref_count=1 remaining)\n"
			 "⚠️  Detected dead processes, cleaning up orphaned buffers...\n"
			 "   PID 7 is dead, removing its buffers...\n"
			 "   ✓ Removed 2 buffers (9.15527e-05 MB) from PID 7\n";

static void blk(struct lc_lifetimes *lt, enum lc_dblock_kind kind, uint64_t ptr, uint64_t addr, uint64_t line)
{
	struct lc_dblock b = { .kind = kind, .line = line, .device = 0, .address = addr, .size = 128, .pointer = ptr,
			       .type = { "L1", 2 }, .owns = true, .frames = { { "f0", 2 }, { "f1", 2 } }, .nframes = 2 };
	lc_lifetimes_apply(lt, &b, 0);
}

int main(void)
{
	sp = lc_sparser_create();

	/* The cap: at most 3 events kept, every one counted. (0,0x40) has lines 1,2,3,4,6 and the
	 * cleanup at line 8: 6 events; alloc 2 (l1, l3), alloc_ref 1, free_final 1, free_ref 1, cleanup 1. */
	struct lc_history *h = lc_history_create(0x40, false, 0, 3);
	struct lc_replay_config cfg = { .history = h };
	struct lc_replay *rp = lc_replay_create(&cfg);
	feed(rp, LOG);
	const struct lc_server_model *m = lc_replay_finish(rp);
	const struct lc_address_history *a = lc_history_model(h);
	EQ_U64(a->nkeys, 1, "one key at 0x40");
	EQ_U64(a->keys[0].events_total, 6, "six events counted");
	EQ_U64(a->keys[0].nevents, 3, "three kept (the cap)");
	EQ_U64(a->keys[0].counts[LC_HIST_ALLOC], 2, "two new allocations counted past the cap");
	EQ_U64(a->keys[0].counts[LC_HIST_CLEANUP], 1, "the cleanup removal counted past the cap");
	OK(a->keys[0].events[0].line == 1 && a->keys[0].events[1].line == 2 && a->keys[0].events[2].line == 3,
	   "the first three are kept, in log order");

	/* The same log without a history: the replay's figures are the same. */
	struct lc_replay_config plain = { 0 };
	struct lc_replay *rp2 = lc_replay_create(&plain);
	feed(rp2, LOG);
	const struct lc_server_model *m2 = lc_replay_finish(rp2);
	OK(memcmp(&m->events, &m2->events, sizeof m->events) == 0, "events unchanged by the history");
	OK(m->remaining.buffers == m2->remaining.buffers && m->remaining.bytes == m2->remaining.bytes &&
		   m->ncleanup == m2->ncleanup && m->inconsistencies_total == m2->inconsistencies_total,
	   "remaining, cleanup and inconsistencies unchanged by the history");
	lc_replay_destroy(rp);
	lc_replay_destroy(rp2);
	lc_history_destroy(h);

	/* Lifetimes: an ALLOCATED over an open one supersedes it; past the cap a lifetime is counted. */
	h = lc_history_create(0x40, true, 0, 2);
	struct lc_lifetimes_config lcfg = { .history = h };
	struct lc_lifetimes *lt = lc_lifetimes_create(&lcfg);
	blk(lt, LC_DBLOCK_ALLOCATED, 0x1000, 0x40, 2);   /* kept: superseded at l10 */
	blk(lt, LC_DBLOCK_ALLOCATED, 0x1000, 0x40, 10);  /* kept: deallocated at l20 */
	blk(lt, LC_DBLOCK_DEALLOCATED, 0x1000, 0x40, 20);
	blk(lt, LC_DBLOCK_ALLOCATED, 0x2000, 0x40, 30);  /* past the cap: counted */
	blk(lt, LC_DBLOCK_DESTRUCTOR, 0x2000, 0x40, 40); /* its end: nothing kept to end */
	blk(lt, LC_DBLOCK_ALLOCATED, 0x3000, 0x44, 50);  /* another address */
	lc_lifetimes_finish(lt);
	a = lc_history_model(h);
	OK(a->has_debug && a->nkeys == 1, "one key, lifetimes known");
	EQ_U64(a->keys[0].lifetimes_total, 3, "three lifetimes at 0x40");
	EQ_U64(a->keys[0].nlifetimes, 2, "two kept (the cap)");
	OK(a->keys[0].lifetimes[0].end == LC_HIST_SUPERSEDED && a->keys[0].lifetimes[0].end_line == 10,
	   "the first superseded by the ALLOCATED of line 10");
	OK(a->keys[0].lifetimes[1].end == LC_HIST_DEALLOCATED && a->keys[0].lifetimes[1].end_line == 20,
	   "the second deallocated at line 20");
	OK(a->keys[0].lifetimes[1].nframes == 2 && a->keys[0].lifetimes[1].frames[1].n == 2 &&
		   memcmp(a->keys[0].lifetimes[1].frames[1].p, "f1", 2) == 0,
	   "its site's frames");
	lc_lifetimes_destroy(lt);
	lc_history_destroy(h);
	lc_sparser_destroy(sp);
	return tap_done();
}
