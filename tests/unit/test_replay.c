// SPDX-License-Identifier: MIT
// Unit tests of the replay: ref counts, owners, unknown-free causes, cleanup, restarts, checkpoints, lifecycle.
// The replay is fed event literals (lc/event.h), not log text: no parser is involved, so a parser change
// cannot move these figures. Each literal's comment is the server-log line it stands for.
#include <string.h>

#include "lc/event.h"
#include "lc/jsonread.h"
#include "lc/replay.h"
#include "lc/side.h"
#include "tap.h"

static struct lc_span sp_(const char *s)
{
	return (struct lc_span){ s, s ? strlen(s) : 0 };
}

/* ✓ [PID pid] Allocated size bytes of type on device dev (buffer_id=addr[, ref_count=ref]) */
static struct lc_sevent ALLOC(int32_t dev, uint64_t addr, uint64_t size, const char *type, int32_t pid, int32_t ref)
{
	return (struct lc_sevent){ .kind = LC_SEV_ALLOC, .has_pid = true, .pid = pid, .has_device = true, .device = dev,
				   .id = addr, .size = size, .type = sp_(type), .ref_count = ref };
}

/* ✗ [PID pid] Freed buffer addr on device dev (size bytes, FINAL | ref_count=ref remaining) */
static struct lc_sevent FREE(int32_t dev, uint64_t addr, uint64_t size, int32_t pid, int32_t ref)
{
	return (struct lc_sevent){ .kind = LC_SEV_FREE, .has_pid = true, .pid = pid, .has_device = true, .device = dev,
				   .id = addr, .size = size, .has_bytes = true, .final = ref == 0, .ref_count = ref };
}

/* ⚠ [PID pid] Deallocation for unknown buffer addr on device dev (allocated before tracking started) */
static struct lc_sevent UNKNOWN(int32_t dev, uint64_t addr, int32_t pid)
{
	return (struct lc_sevent){ .kind = LC_SEV_UNKNOWN_FREE, .has_pid = true, .pid = pid, .has_device = true,
				   .device = dev, .id = addr };
}

/* ⚠ Warning: Deallocation for unknown buffer addr (the documented form: no PID, no device) */
static struct lc_sevent UNKNOWN_BARE(uint64_t addr)
{
	return (struct lc_sevent){ .kind = LC_SEV_UNKNOWN_FREE, .id = addr };
}

/* 🚀 Allocation Server started, or with enh: 🚀 Enhanced Allocation Server started (with history tracking) */
static struct lc_sevent BANNER(bool enh)
{
	return (struct lc_sevent){ .kind = LC_SEV_BANNER, .enh = enh };
}

/* ⚠ [PID pid] Buffer reused with DIFFERENT size: ... (the enhanced server's warning) */
static struct lc_sevent REUSE_SIZE(int32_t pid)
{
	return (struct lc_sevent){ .kind = LC_SEV_REUSE_SIZE, .has_pid = true, .pid = pid };
}

/* "   PID pid is dead, removing its buffers..." */
static struct lc_sevent CLEANUP_PID(int32_t pid)
{
	return (struct lc_sevent){ .kind = LC_SEV_CLEANUP_PID, .has_pid = true, .pid = pid };
}

/* "   ✓ Removed n buffers (mb MB) from PID pid" */
static struct lc_sevent CLEANUP_REMOVED(uint64_t n, const char *mb, int32_t pid)
{
	return (struct lc_sevent){ .kind = LC_SEV_CLEANUP_REMOVED, .which = 0, .value = n, .num1 = sp_(mb),
				   .has_pid = true, .pid = pid };
}

/* 📊 Current Statistics: / "  Device dev:" / "    Buffers: n" / "  Active allocations: n" */
static struct lc_sevent STATS(enum lc_sev_kind kind, int32_t dev, uint64_t n)
{
	return (struct lc_sevent){ .kind = kind, .has_device = kind == LC_SEV_STATS_DEVICE, .device = dev, .value = n };
}

/* "    DRAM: bytes bytes (kb KB)" (which 0), "    L1: ..." (1), "    Total: bytes bytes" (2, kb NULL) */
static struct lc_sevent STATS_BYTES(int which, uint64_t bytes, const char *kb)
{
	return (struct lc_sevent){ .kind = LC_SEV_STATS_BYTES, .which = which, .has_bytes = true, .size = bytes,
				   .num1 = sp_(kb) };
}

/* The dump's title (║ REMAINING ALLOCATED BUFFERS ║), "Total tracked allocations: n", "Device dev:",
 * "Total remaining buffers: n" */
static struct lc_sevent DUMP(enum lc_sev_kind kind, int32_t dev, uint64_t n)
{
	return (struct lc_sevent){ .kind = kind, .has_device = kind == LC_SEV_DUMP_DEVICE, .device = dev, .value = n };
}

/* "  type: n buffers, mb MB total" */
static struct lc_sevent DUMP_TYPE(const char *type, uint64_t n, const char *mb)
{
	return (struct lc_sevent){ .kind = LC_SEV_DUMP_TYPE, .type = sp_(type), .value = n, .num1 = sp_(mb) };
}

/* "    - Buffer addr: kb KB (PID pid, ref_count=ref)" */
static struct lc_sevent DUMP_BUFFER(uint64_t addr, const char *kb, int32_t pid, int32_t ref)
{
	return (struct lc_sevent){ .kind = LC_SEV_DUMP_BUFFER, .id = addr, .num1 = sp_(kb), .has_pid = true, .pid = pid,
				   .ref_count = ref };
}

/* Applies n events as input 0, the i-th as line i + 1, and builds the model. */
static const struct lc_server_model *run_events(const struct lc_sevent *ev, size_t n, uint64_t at_dump,
						struct lc_replay **out)
{
	struct lc_replay_config cfg = { .at_dump = at_dump };
	*out = lc_replay_create(&cfg);
	for (size_t i = 0; i < n; i++)
		lc_replay_apply(*out, &ev[i], 0, i + 1);
	return lc_replay_finish(*out);
}

#define RUN(at_dump, rp, ...)                                                                                      \
	run_events((const struct lc_sevent[]){ __VA_ARGS__ },                                                       \
		   sizeof((const struct lc_sevent[]){ __VA_ARGS__ }) / sizeof(struct lc_sevent), (at_dump), (rp))

int main(void)
{
	struct lc_replay *rp;
	const struct lc_server_model *m;

	/* Ref-count allocation keeps the stored size, type and owner; remaining counts the entry once. */
	m = RUN(0, &rp, ALLOC(0, 0x18b20, 32768, "L1", 10, 0), ALLOC(0, 0x18b20, 4096, "DRAM", 11, 2),
		FREE(0, 0x18b20, 32768, 10, 1));
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
	m = RUN(0, &rp, ALLOC(0, 0x10, 100, "L1", 1, 0), FREE(0, 0x10, 100, 1, 0), UNKNOWN(0, 0x10, 1),
		ALLOC(1, 0x20, 200, "DRAM", 2, 0), ALLOC(1, 0x20, 200, "DRAM", 3, 2), ALLOC(1, 0x20, 200, "DRAM", 3, 3),
		ALLOC(2, 0x20, 50, "DRAM", 2, 0), CLEANUP_PID(2), CLEANUP_REMOVED(2, "0.000238419", 2),
		UNKNOWN(1, 0x20, 3), UNKNOWN(0, 0x99, 0), UNKNOWN_BARE(5));
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
	m = RUN(0, &rp, BANNER(false), ALLOC(0, 0x10, 100, "L1", 1, 0), BANNER(false), UNKNOWN(0, 0x10, 1),
		ALLOC(3, 0x30, 7, "TRACE", 1, 0));
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
	m = RUN(0, &rp, BANNER(true), ALLOC(0, 0x10, 100, "L1", 1, 0), REUSE_SIZE(1), ALLOC(0, 0x10, 300, "L1", 1, 2));
	OK(m->nleaks == 1 && m->leaks[0].size == 300, "enhanced server: stored size replaced");
	lc_replay_destroy(rp);

	/* Statistics checkpoint: one agreeing block, one altered. */
	/* The two blocks differ in their Buffers line only: 3 is one too many. */
	const struct lc_sevent stats[] = {
		ALLOC(0, 0x10, 1024, "DRAM", 1, 0), ALLOC(0, 0x20, 2048, "L1_SMALL", 1, 0),
		STATS(LC_SEV_STATS_BEGIN, 0, 0), STATS(LC_SEV_STATS_DEVICE, 0, 0), STATS(LC_SEV_STATS_BUFFERS, 0, 2),
		STATS_BYTES(0, 1024, "1"), STATS_BYTES(1, 0, "0"), STATS_BYTES(2, 3072, NULL), STATS(LC_SEV_STATS_ACTIVE, 0, 2),
		STATS(LC_SEV_STATS_BEGIN, 0, 0), STATS(LC_SEV_STATS_DEVICE, 0, 0), STATS(LC_SEV_STATS_BUFFERS, 0, 3),
		STATS_BYTES(0, 1024, "1"), STATS_BYTES(1, 0, "0"), STATS_BYTES(2, 3072, NULL), STATS(LC_SEV_STATS_ACTIVE, 0, 2),
	};
	m = run_events(stats, sizeof stats / sizeof *stats, 0, &rp);
	OK(m->ncheckpoints == 2 && m->checkpoints[0].agrees && m->checkpoints[0].line == 3, "first block agrees");
	OK(m->ncheckpoints == 2 && !m->checkpoints[1].agrees && m->checkpoints[1].line == 10 &&
		   m->checkpoints[1].ndiffs == 1,
	   "altered Buffers count disagrees, at its title line, with one difference");
	EQ_U64(m->checkpoints_disagree, 1, "one disagreeing checkpoint");
	lc_replay_destroy(rp);

	/* Dump lifecycle: of three entries at the dump, one is freed, one cleaned, one stays. */
	const struct lc_sevent dump[] = {
		ALLOC(0, 0x10, 1024, "DRAM", 1, 0), ALLOC(1, 0x20, 2048, "L1", 2, 0), ALLOC(1, 0x30, 4096, "L1", 1, 0),
		DUMP(LC_SEV_DUMP_TITLE, 0, 0), DUMP(LC_SEV_DUMP_TRACKED, 0, 3),
		DUMP(LC_SEV_DUMP_DEVICE, 0, 0), DUMP_TYPE("DRAM", 1, "0.000976562"), DUMP_BUFFER(0x10, "1", 1, 1),
		DUMP(LC_SEV_DUMP_DEVICE, 1, 0), DUMP_TYPE("L1", 2, "0.00585938"), DUMP_BUFFER(0x30, "4", 1, 1),
		DUMP_BUFFER(0x20, "2", 2, 1), DUMP(LC_SEV_DUMP_TOTAL, 0, 3),
		FREE(0, 0x10, 1024, 1, 0), ALLOC(0, 0x10, 8, "DRAM", 1, 0), CLEANUP_PID(2), CLEANUP_REMOVED(1, "0.00195312", 2),
	};
	m = run_events(dump, sizeof dump / sizeof *dump, 0, &rp);
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
	m = RUN(0, &rp, ALLOC(0, 0x10, 1024, "DRAM", 1, 0), DUMP(LC_SEV_DUMP_TITLE, 0, 0), DUMP(LC_SEV_DUMP_TRACKED, 0, 1),
		DUMP(LC_SEV_DUMP_DEVICE, 0, 0), DUMP_TYPE("DRAM", 1, "0.001"), DUMP(LC_SEV_DUMP_TOTAL, 0, 1));
	OK(m->ncheckpoints == 1 && !m->checkpoints[0].agrees && m->checkpoints[0].ndiffs_total == 2,
	   "hand-edited MB and a missing buffer line: two differences");
	lc_replay_destroy(rp);

	/* --at-dump picks an earlier dump. */
	m = RUN(1, &rp, ALLOC(0, 0x10, 10, "DRAM", 1, 0), DUMP(LC_SEV_DUMP_TITLE, 0, 0), ALLOC(0, 0x20, 20, "DRAM", 1, 0),
		DUMP(LC_SEV_DUMP_TITLE, 0, 0));
	OK(m->lifecycle && m->lifecycle->dump_index == 1 && m->lifecycle->at_dump.buffers == 1 &&
		   m->lifecycle->line == 2,
	   "--at-dump 1 takes the first dump");
	EQ_U64(m->events.dumps, 2, "both dumps counted");
	lc_replay_destroy(rp);

	return tap_done();
}
