// SPDX-License-Identifier: MIT
// Unit tests of the replay: ref counts, owners, unknown-free causes, cleanup, restarts, checkpoints, lifecycle.
#include <string.h>

#include "lc/jsonread.h"
#include "lc/replay.h"
#include "lc/side.h"
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

static const struct lc_server_model *run(const char *text, uint64_t at_dump, struct lc_replay **out)
{
	struct lc_replay_config cfg = { .at_dump = at_dump };
	*out = lc_replay_create(&cfg);
	feed(*out, text);
	return lc_replay_finish(*out);
}

int main(void)
{
	sp = lc_sparser_create();
	struct lc_replay *rp;
	const struct lc_server_model *m;

	/* Ref-count allocation keeps the stored size, type and owner; remaining counts the entry once. */
	m = run("✓ [PID 10] Allocated 32768 bytes of L1 on device 0 (buffer_id=0x18b20)\n"
		"✓ [PID 11] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x18b20, ref_count=2)\n"
		"✗ [PID 10] Freed buffer 0x18b20 on device 0 (32768 bytes, ref_count=1 remaining)\n",
		0, &rp);
	EQ_U64(m->runs, 1, "a log without a banner is one run");
	EQ_U64(m->events.alloc, 1, "one new allocation");
	EQ_U64(m->events.alloc_ref, 1, "one ref-count allocation");
	EQ_U64(m->events.free_ref, 1, "one partial free");
	EQ_U64(m->nleaks, 1, "the key is still live");
	OK(m->nleaks == 1 && m->leaks[0].size == 32768 && m->leaks[0].pid == 10 && strcmp(m->leaks[0].type, "L1") == 0 &&
		   m->leaks[0].ref_count == 1 && m->leaks[0].line == 1,
	   "stored size, type, owner and line of the first allocation kept");
	EQ_U64(m->remaining.bytes, 32768, "remaining bytes use the stored size once");
	EQ_U64(m->inconsistencies_total, 0, "consistent log has no inconsistencies");
	struct lc_reuse_row rb;
	const struct lc_reuse_row *r0 = m->nreuse ? lc_reuse_at(m, 0, &rb) : NULL;
	OK(m->nreuse == 1 && r0->allocs == 2 && r0->frees == 1 && lc_reuse_net(r0) == 1 &&
		   r0->nsizes == 2 && r0->sizes[0] == 4096 && r0->npids == 2 &&
		   strcmp(r0->type, "DRAM") == 0 && r0->live_ref_count == 1,
	   "reuse row: allocs 2, frees 1, sizes and pids ascending, latest type");
	lc_replay_destroy(rp);

	/* Unknown-free causes and cleanup of a ref_count=3 entry. */
	m = run("✓ [PID 1] Allocated 100 bytes of L1 on device 0 (buffer_id=0x10)\n"
		"✗ [PID 1] Freed buffer 0x10 on device 0 (100 bytes, FINAL)\n"
		"⚠ [PID 1] Deallocation for unknown buffer 0x10 on device 0 (allocated before tracking started)\n"
		"✓ [PID 2] Allocated 200 bytes of DRAM on device 1 (buffer_id=0x20)\n"
		"✓ [PID 3] Allocated 200 bytes of DRAM on device 1 (buffer_id=0x20, ref_count=2)\n"
		"✓ [PID 3] Allocated 200 bytes of DRAM on device 1 (buffer_id=0x20, ref_count=3)\n"
		"✓ [PID 2] Allocated 50 bytes of DRAM on device 2 (buffer_id=0x20)\n"
		"   PID 2 is dead, removing its buffers...\n"
		"   ✓ Removed 2 buffers (0.000238419 MB) from PID 2\n"
		"⚠ [PID 3] Deallocation for unknown buffer 0x20 on device 1 (allocated before tracking started)\n"
		"⚠ [PID 0] Deallocation for unknown buffer 0x99 on device 0 (allocated before tracking started)\n"
		"⚠ Warning: Deallocation for unknown buffer 5\n",
		0, &rp);
	EQ_U64(m->unknown_count, 4, "four unknown frees");
	EQ_U64(m->after_final_free, 1, "cause: after the final free");
	EQ_U64(m->after_cleanup, 1, "cause: after cleanup");
	EQ_U64(m->never_seen, 2, "cause: never seen (including the line without a device)");
	OK(m->nunknown_by_device == 2 && m->unknown_by_device[0].device == 0 && m->unknown_by_device[0].count == 2 &&
		   m->unknown_by_device[1].count == 1,
	   "unknown frees by device leave out the line without a device");
	OK(m->ncleanup == 1 && m->cleanup[0].t.buffers == 2 && m->cleanup[0].t.bytes == 250 && m->cleanup[0].line == 8 &&
		   m->cleanup[0].agrees,
	   "cleanup removes the ref_count=3 entry once and agrees with the printed figures");
	EQ_U64(m->events.cleanup_removed, 2, "cleanup_removed counts entries");
	EQ_U64(m->remaining.buffers, 0, "nothing remains");
	lc_replay_destroy(rp);

	/* Restart: state resets; events and unknown frees count over all runs. */
	m = run("🚀 Allocation Server started\n"
		"✓ [PID 1] Allocated 100 bytes of L1 on device 0 (buffer_id=0x10)\n"
		"🚀 Allocation Server started\n"
		"⚠ [PID 1] Deallocation for unknown buffer 0x10 on device 0 (allocated before tracking started)\n"
		"✓ [PID 1] Allocated 7 bytes of TRACE on device 3 (buffer_id=0x30)\n",
		0, &rp);
	EQ_U64(m->runs, 2, "two banners, two runs");
	EQ_U64(m->after_restart, 1, "a key live in the previous run only: after_restart");
	EQ_U64(m->never_seen, 0, "... and not never_seen");
	OK(m->run_list[0].ended_by_restart && !m->run_list[1].ended_by_restart, "run 1 ended by the restart, run 2 by the input");
	OK(m->run_list[0].live.buffers == 1 && m->run_list[0].live.bytes == 100 && m->run_list[0].ndevices == 1 &&
		   m->run_list[0].devices[0].device == 0 && m->run_list[0].devices[0].ntypes == 1 &&
		   strcmp(m->run_list[0].devices[0].types[0].type, "L1") == 0,
	   "run 1: one L1 buffer of 100 bytes on device 0 live at the restart");
	OK(m->run_list[1].live.buffers == 1 && m->run_list[1].live.bytes == 7, "run 2: what remains at the end");
	OK(m->run_list[0].line == 1 && m->run_list[1].line == 3 && m->run_list[1].banner, "runs start at their banners");
	OK(m->run_list[0].unknown.count == 0 && m->run_list[1].unknown.count == 1 &&
		   m->run_list[1].unknown.after_restart == 1,
	   "the unknown free counts in run 2");
	EQ_U64(m->live_at_restarts.buffers, 1, "live at restarts: run 1's buffer");
	EQ_U64(lc_server_run_of(m, 0, 2), 1, "line 2 is in run 1");
	EQ_U64(lc_server_run_of(m, 0, 3), 2, "line 3 (the banner) starts run 2");
	/* The gate's view: the new cause and the last run's figures, from the model and from a JSON report. */
	struct lc_side side;
	lc_side_from_models(&side, "now", m, NULL, NULL, 0, 0, NULL, 0);
	OK(side.after_restart == 1 && side.last_run_unknown == 1 && side.live_at_restarts_buffers == 1 &&
		   side.live_at_restarts_bytes == 100,
	   "side from the model: after_restart, last run's unknown frees, live at restarts");
	lc_side_release(&side);
	static const char doc[] = "{\"schema\": \"tt-leakcorr/1\", \"diff\": null, \"debug\": null, \"server\": {"
				  "\"last_run\": {\"unknown_frees\": {\"count\": 4}, \"cleanup\": {\"buffers\": 2}},"
				  "\"live_at_restarts\": {\"buffers\": 5, \"bytes\": 500},"
				  "\"unknown_frees\": {\"count\": 9, \"by_cause\": {\"after_restart\": 3}}}}";
	char err[128];
	struct lc_jval *jv = lc_json_parse(doc, sizeof doc - 1, err, sizeof err);
	OK(jv && lc_side_from_json(&side, "before", jv) == 0 && side.after_restart == 3 && side.last_run_unknown == 4 &&
		   side.last_run_cleanup_buffers == 2 && side.live_at_restarts_buffers == 5 &&
		   side.live_at_restarts_bytes == 500,
	   "side from a JSON report: the same figures");
	lc_side_release(&side);
	lc_jval_free(jv);
	OK(m->nleaks == 1 && m->leaks[0].device == 3, "only the last run's entry remains");
	EQ_U64(m->events.alloc, 2, "events count over all runs");
	lc_replay_destroy(rp);

	/* Enhanced server: the ref-count allocation replaces the stored size. */
	m = run("🚀 Enhanced Allocation Server started (with history tracking)\n"
		"✓ [PID 1] Allocated 100 bytes of L1 on device 0 (buffer_id=0x10)\n"
		"⚠ [PID 1] Buffer reused with DIFFERENT size: old=100 new=300 (buffer_id=16, device=0)\n"
		"✓ [PID 1] Allocated 300 bytes of L1 on device 0 (buffer_id=0x10, ref_count=2)\n",
		0, &rp);
	OK(m->nleaks == 1 && m->leaks[0].size == 300, "enhanced server: stored size replaced");
	lc_replay_destroy(rp);

	/* Statistics checkpoint: one agreeing block, one altered. */
	const char *stats = "✓ [PID 1] Allocated 1024 bytes of DRAM on device 0 (buffer_id=0x10)\n"
			    "✓ [PID 1] Allocated 2048 bytes of L1_SMALL on device 0 (buffer_id=0x20)\n"
			    "📊 Current Statistics:\n"
			    "  Device 0:\n"
			    "    Buffers: 2\n"
			    "    DRAM: 1024 bytes (1 KB)\n"
			    "    L1: 0 bytes (0 KB)\n"
			    "    Total: 3072 bytes\n"
			    "  Active allocations: 2\n"
			    "📊 Current Statistics:\n"
			    "  Device 0:\n"
			    "    Buffers: 3\n"
			    "    DRAM: 1024 bytes (1 KB)\n"
			    "    L1: 0 bytes (0 KB)\n"
			    "    Total: 3072 bytes\n"
			    "  Active allocations: 2\n";
	m = run(stats, 0, &rp);
	OK(m->ncheckpoints == 2 && m->checkpoints[0].agrees && m->checkpoints[0].line == 3, "first block agrees");
	OK(m->ncheckpoints == 2 && !m->checkpoints[1].agrees && m->checkpoints[1].line == 10 &&
		   m->checkpoints[1].ndiffs == 1,
	   "altered Buffers count disagrees, at its title line, with one difference");
	EQ_U64(m->checkpoints_disagree, 1, "one disagreeing checkpoint");
	lc_replay_destroy(rp);

	/* Dump lifecycle: of three entries at the dump, one is freed, one cleaned, one stays. */
	const char *dump = "✓ [PID 1] Allocated 1024 bytes of DRAM on device 0 (buffer_id=0x10)\n"
			   "✓ [PID 2] Allocated 2048 bytes of L1 on device 1 (buffer_id=0x20)\n"
			   "✓ [PID 1] Allocated 4096 bytes of L1 on device 1 (buffer_id=0x30)\n"
			   "║           REMAINING ALLOCATED BUFFERS                       ║\n"
			   "Total tracked allocations: 3\n"
			   "Device 0:\n"
			   "  DRAM: 1 buffers, 0.000976562 MB total\n"
			   "    - Buffer 0x10: 1 KB (PID 1, ref_count=1)\n"
			   "Device 1:\n"
			   "  L1: 2 buffers, 0.00585938 MB total\n"
			   "    - Buffer 0x30: 4 KB (PID 1, ref_count=1)\n"
			   "    - Buffer 0x20: 2 KB (PID 2, ref_count=1)\n"
			   "Total remaining buffers: 3\n"
			   "✗ [PID 1] Freed buffer 0x10 on device 0 (1024 bytes, FINAL)\n"
			   "✓ [PID 1] Allocated 8 bytes of DRAM on device 0 (buffer_id=0x10)\n"
			   "   PID 2 is dead, removing its buffers...\n"
			   "   ✓ Removed 1 buffers (0.00195312 MB) from PID 2\n";
	m = run(dump, 0, &rp);
	OK(m->ncheckpoints == 1 && m->checkpoints[0].agrees, "dump agrees with the replay");
	OK(m->lifecycle && m->lifecycle->at_dump.buffers == 3 && m->lifecycle->at_dump.bytes == 7168,
	   "three entries, 7168 bytes at the dump");
	OK(m->lifecycle && m->lifecycle->freed_later.buffers == 1 && m->lifecycle->freed_later.bytes == 1024,
	   "one freed later (even though its address was allocated again)");
	OK(m->lifecycle && m->lifecycle->removed_by_cleanup.buffers == 1 &&
		   m->lifecycle->removed_by_cleanup.bytes == 2048,
	   "one removed by cleanup");
	OK(m->lifecycle && m->lifecycle->still_live.buffers == 1 && m->lifecycle->still_live.bytes == 4096,
	   "one still live");
	lc_replay_destroy(rp);

	/* A dump with a wrong MB figure and a missing buffer line disagrees. */
	m = run("✓ [PID 1] Allocated 1024 bytes of DRAM on device 0 (buffer_id=0x10)\n"
		"║           REMAINING ALLOCATED BUFFERS                       ║\n"
		"Total tracked allocations: 1\n"
		"Device 0:\n"
		"  DRAM: 1 buffers, 0.001 MB total\n"
		"Total remaining buffers: 1\n",
		0, &rp);
	OK(m->ncheckpoints == 1 && !m->checkpoints[0].agrees && m->checkpoints[0].ndiffs_total == 2,
	   "hand-edited MB and a missing buffer line: two differences");
	lc_replay_destroy(rp);

	/* --at-dump picks an earlier dump. */
	m = run("✓ [PID 1] Allocated 10 bytes of DRAM on device 0 (buffer_id=0x10)\n"
		"║           REMAINING ALLOCATED BUFFERS                       ║\n"
		"✓ [PID 1] Allocated 20 bytes of DRAM on device 0 (buffer_id=0x20)\n"
		"║           REMAINING ALLOCATED BUFFERS                       ║\n",
		1, &rp);
	OK(m->lifecycle && m->lifecycle->dump_index == 1 && m->lifecycle->at_dump.buffers == 1 &&
		   m->lifecycle->line == 2,
	   "--at-dump 1 takes the first dump");
	EQ_U64(m->events.dumps, 2, "both dumps counted");
	lc_replay_destroy(rp);

	lc_sparser_destroy(sp);
	return tap_done();
}
