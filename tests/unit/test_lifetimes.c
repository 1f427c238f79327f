// SPDX-License-Identifier: MIT
// Unit tests of Buffer* lifetimes: blocks, ends, superseded, hooked, sites, join.
// The tracker is fed block literals (lc/event.h), not log text: no parser is involved. What the parser
// makes of the text these blocks stand for is tested in test_debug_log.c, on the same blocks.
#include <string.h>

#include "lc/event.h"
#include "lc/join.h"
#include "lc/lifetimes.h"
#include "tap.h"

enum { OWN = 1, HOOK = 2 }; /* "Owns Data: yes", "Hooked: yes" */

#define FRAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_FRAMES ((const char *const[]){ NULL })

/* A block of kind whose title is at line: on device 0, type DRAM, with flags (OWN, HOOK) and the
 * frames up to NULL (at most LC_DEBUG_MAX_FRAMES), as the parser hands them over: without the indent. */
static struct lc_dblock blk(enum lc_dblock_kind kind, uint64_t line, uint64_t ptr, uint64_t addr, uint64_t size,
			    int flags, const char *const *frames)
{
	struct lc_dblock b = { .kind = kind, .line = line, .device = 0, .address = addr, .size = size, .pointer = ptr,
			       .type = LC_SPAN_LIT("DRAM"), .owns = (flags & OWN) != 0, .hooked = (flags & HOOK) != 0 };
	for (; frames[b.nframes] && b.nframes < LC_DEBUG_MAX_FRAMES; b.nframes++)
		b.frames[b.nframes] = (struct lc_span){ frames[b.nframes], strlen(frames[b.nframes]) };
	return b;
}

/* Applies n blocks as input 0 and builds the model. */
static const struct lc_debug_model *run_blocks(const struct lc_lifetimes_config *cfg, const struct lc_dblock *b,
					       size_t n, struct lc_lifetimes **out)
{
	*out = lc_lifetimes_create(cfg);
	for (size_t i = 0; i < n; i++)
		lc_lifetimes_apply(*out, &b[i], 0);
	return lc_lifetimes_finish(*out);
}

#define RUN(cfg, lt, ...)                                                                                          \
	run_blocks((cfg), (const struct lc_dblock[]){ __VA_ARGS__ },                                                \
		   sizeof((const struct lc_dblock[]){ __VA_ARGS__ }) / sizeof(struct lc_dblock), (lt))

#define ALLOCATED LC_DBLOCK_ALLOCATED
#define DEALLOCATED LC_DBLOCK_DEALLOCATED
#define DESTRUCTOR LC_DBLOCK_DESTRUCTOR

int main(void)
{
	struct lc_lifetimes_config cfg = { 0 };
	struct lc_lifetimes *lt;
	const struct lc_debug_model *m;
	const char *const *fa = FRAMES("/lib/libtt_metal.so: tt::tt_metal::Buffer::create()", "/lib/_ttnn.so: ttnn::matmul()");
	const char *const *fb = FRAMES("/lib/libtt_metal.so: tt::tt_metal::Buffer::create()", "/lib/_ttnn.so: ttnn::reshape()");
	/* P1: allocated, destructor + deallocated (one end), allocated again (pointer reuse), left open.
	 * P2: allocated twice without an end (superseded), left open. P3: unmatched deallocated.
	 * P4: hooked, left open. P5: destructor of a non-owning buffer (unmatched), nothing follows.
	 * The title lines are those of the same blocks printed one after another (test_debug_log.c). */
	m = RUN(&cfg, &lt, blk(ALLOCATED, 2, 0x1000, 0x100, 1024, OWN, fa),
		blk(DESTRUCTOR, 16, 0x1000, 0x100, 1024, 0, FRAMES("/lib/libstdc++.so: _M_dispose()")),
		blk(DEALLOCATED, 27, 0x1000, 0x100, 1024, 0, NO_FRAMES), blk(ALLOCATED, 37, 0x1000, 0x200, 2048, OWN, fa),
		blk(ALLOCATED, 51, 0x2000, 0x300, 4096, OWN, fb), blk(ALLOCATED, 65, 0x2000, 0x300, 8192, OWN, fb),
		blk(DEALLOCATED, 79, 0x3000, 0x400, 16, 0, NO_FRAMES), blk(ALLOCATED, 89, 0x4000, 0x0, 512, OWN | HOOK, fa),
		blk(DESTRUCTOR, 103, 0x5000, 0x500, 64, 0, NO_FRAMES));
	OK(m->allocated == 5 && m->deallocated == 2 && m->destructor == 2, "block counts 5/2/2");
	OK(m->live.buffers == 2 && m->live.bytes == 2048 + 8192, "two open lifetimes: the reused pointer and the superseding one");
	OK(m->superseded.buffers == 1 && m->superseded.bytes == 4096, "one superseded lifetime");
	EQ_U64(m->unmatched, 2, "unmatched: the lone DEALLOCATED and the non-owning DESTRUCTOR");
	OK(m->hooked.buffers == 1 && m->hooked.bytes == 512, "hooked lifetime kept apart");
	OK(m->nsites == 2 && m->sites[0]->open.bytes == 8192 && m->sites[1]->open.bytes == 2048, "two sites by bytes");
	OK(m->nsites == 2 && m->sites[0]->nframes == 2 && m->sites[0]->frames[1].n == strlen("/lib/_ttnn.so: ttnn::reshape()"),
	   "site frames are the blocks' frames");
	OK(m->nleaks == 2 && m->leaks[0].pointer == 0x2000 && m->leaks[0].site == 0 && m->leaks[1].site == 1,
	   "leaks sorted by size, each pointing at its site");
	OK(m->nleaks == 2 && m->leaks[1].line == 37, "a leak's line is its ALLOCATED title line");
	lc_lifetimes_destroy(lt);

	/* --skip-frames and --stack-depth group both stacks into one site. */
	const char *skip[] = { "Buffer::create" };
	struct lc_lifetimes_config g = { .stack_depth = 1, .skip_frames = skip, .nskip = 1, .all_allocations = true };
	m = RUN(&g, &lt, blk(ALLOCATED, 2, 0x1, 0x10, 100, OWN, FRAMES("a.so: Buffer::create", "b.so: caller", "c.so: x")),
		blk(ALLOCATED, 17, 0x2, 0x20, 300, OWN, FRAMES("a.so: Buffer::create", "b.so: caller", "c.so: y")),
		blk(DEALLOCATED, 32, 0x1, 0x10, 100, 0, NO_FRAMES), blk(ALLOCATED, 42, 0x3, 0x30, 50, OWN, FRAMES("b.so: caller")));
	OK(m->nsites == 1 && m->sites[0]->nframes == 1 && m->sites[0]->open.buffers == 2 && m->sites[0]->open.bytes == 350,
	   "skip + depth 1: one site 'b.so: caller' with 2 open buffers, 350 bytes");
	OK(m->nall_sites == 1 && m->all_sites[0]->allocations == 3 && m->all_sites[0]->alloc_bytes == 450 &&
		   m->all_sites[0]->peak_live == 2,
	   "all allocations: 3, 450 bytes, peak 2 live at once");
	lc_lifetimes_destroy(lt);

	/* What is left of broken blocks (test_debug_log.c): two ALLOCATED blocks, neither owning, the first with
	 * the 8 frames kept of 10, the second cut off at the end of the input. */
	struct lc_dblock k1 = blk(ALLOCATED, 13, 0x9, 0x10, 8, 0,
				  FRAMES("f.so: frame", "f.so: frame", "f.so: frame", "f.so: frame", "f.so: frame",
					 "f.so: frame", "f.so: frame", "f.so: frame"));
	struct lc_dblock k2 = blk(ALLOCATED, 32, 0xa, 0x20, 16, 0, FRAMES("f.so: last"));
	k1.device = 1;
	k2.device = 2;
	k1.type = k2.type = LC_SPAN_LIT("L1");
	m = RUN(&cfg, &lt, k1, k2);
	EQ_U64(m->allocated, 2, "the broken blocks are not counted; the cut-off one is");
	OK(m->nsites == 2 && m->live.buffers == 2, "two open lifetimes");
	lc_lifetimes_destroy(lt);

	/* The timeline. A: 100 bytes at l2. B (hooked, 5000) at l10: never live. A superseded by 300
	 * bytes at l20: one block ends 100 and opens 300, net 300, a new peak at 20 where only the new
	 * lifetime is live. C: 50 at l30, then a block whose line went back (l25) frees it: counted at
	 * x 30, the latest line. x_end: no input end was told, so the latest line, 30. Temporaries
	 * (K = 0): C (no ALLOCATED between) is one; the superseded A never is. */
	m = RUN(&cfg, &lt, blk(ALLOCATED, 2, 0xa0, 0x10, 100, OWN, fa), blk(ALLOCATED, 10, 0xb0, 0x0, 5000, OWN | HOOK, fa),
		blk(ALLOCATED, 20, 0xa0, 0x10, 300, OWN, fa), blk(ALLOCATED, 30, 0xc0, 0x20, 50, OWN, fb),
		blk(DEALLOCATED, 25, 0xc0, 0x20, 50, 0, NO_FRAMES));
	const struct lc_timeline_model *tm = m->timeline;
	const struct lc_tl_series *all = tm->tl.s[tm->series[0].id];
	OK(tm && tm->nseries == 3 && tm->series[1].has_device && !tm->series[1].type && tm->series[2].type &&
		   strcmp(tm->series[2].type, "DRAM") == 0,
	   "series: all devices, device 0, (0, DRAM)");
	OK(all->peak[LC_TL_BYTES] == 350 && all->peak_x[LC_TL_BYTES] == 30, "peak 300 + 50 at x 30; the hooked 5000 never counts");
	OK(all->peak[LC_TL_BUFFERS] == 2 && all->cur[LC_TL_BYTES] == 300 && all->cur[LC_TL_BUFFERS] == 1,
	   "peak 2 buffers; the free at a line gone back ends at 300, 1");
	EQ_U64(tm->tl.end, 30, "x_end: the latest line");
	OK(tm->npeaks == 2 && tm->peaks[0].bytes == 350 && tm->peaks[0].buffers == 2 && tm->peaks[0].nby_site == 2 &&
		   tm->peaks[0].by_site[0].bytes == 300 && tm->peaks[0].by_site[1].bytes == 50,
	   "live at the peak: the superseding 300 and C's 50 (freed later), not the superseded 100");
	OK(m->nsites == 1 && m->sites[0]->temporary.buffers == 0, "the open site fa: no temporary (A was superseded)");
	OK(tm->nsites == 2 && tm->sites[1]->temporary.buffers == 1 && tm->sites[1]->temporary.bytes == 50,
	   "site fb (C): one temporary of 50 bytes");
	lc_lifetimes_destroy(lt);

	/* The join: most recently opened lifetime at a (device, address) wins. */
	struct lc_debug_leak dl[3] = {
		{ .device = 0, .address = 0x10, .site = 4, .seq = 1 },
		{ .device = 0, .address = 0x10, .site = 7, .seq = 9 },
		{ .device = 5, .address = 0x99, .site = 1, .seq = 3 },
	};
	struct lc_debug_model dm = { .leaks = dl, .nleaks = 3 };
	struct lc_leak sl[2] = { { .device = 0, .address = 0x10, .site = -1 }, { .device = 1, .address = 0x10, .site = -1 } };
	struct lc_server_model sm = { .leaks = sl, .nleaks = 2 };
	lc_join(&sm, &dm);
	OK(sl[0].site == 7 && sl[1].site == -1, "join: the latest lifetime's site, none on another device");
	OK(sm.join.leaks_with_site == 1 && sm.join.leaks_without_site == 1 && sm.join.lifetimes_without_entry == 1,
	   "join counts: 1 with, 1 without, 1 lifetime without a server entry");
	return tap_done();
}
