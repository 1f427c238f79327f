// SPDX-License-Identifier: MIT
// Unit tests of the debug-log parser and Buffer* lifetimes: blocks, ends, superseded, hooked, sites, join.
#include <stdlib.h>
#include <string.h>

#include "lc/debug_log.h"
#include "lc/join.h"
#include "lc/lifetimes.h"
#include "tap.h"

#define SEP "═══════════════════════════════════════════════════════════\n"

static uint64_t malformed;

/* Feeds text as one debug-log input. */
static void feed(struct lc_dparser *dp, struct lc_lifetimes *lt, const char *text)
{
	uint64_t line = 0;
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		struct lc_dblock b;
		bool done;
		const char *why;
		line++;
		if (lc_dparser_line(dp, (struct lc_span){ text, n }, line, &b, &done, &why) == LC_LINE_MALFORMED)
			malformed++;
		if (done)
			lc_lifetimes_apply(lt, &b, 0);
		text += n + (nl ? 1 : 0);
	}
	struct lc_dblock b;
	if (lc_dparser_finish(dp, &b))
		lc_lifetimes_apply(lt, &b, 0);
}

static char *block(const char *title, const char *ptr, unsigned long long addr, unsigned long long size,
		   const char *extra, const char *frames)
{
	char *s = malloc(4096);
	snprintf(s, 4096,
		 SEP "%s\nTime: 14:32:15\nDevice: 0\nAddress: 0x%llx (%llu)\nSize: %llu bytes (1 KB)\nType: DRAM\n"
		     "Buffer*: %s\n%sCall Stack:\n%s\n",
		 title, addr, addr, size, ptr, extra, frames);
	return s;
}

static const struct lc_debug_model *run(struct lc_lifetimes_config *cfg, const char *text, struct lc_lifetimes **out)
{
	struct lc_dparser *dp = lc_dparser_create();
	*out = lc_lifetimes_create(cfg);
	malformed = 0;
	feed(dp, *out, text);
	lc_dparser_destroy(dp);
	return lc_lifetimes_finish(*out);
}

#define ALLOC "BUFFER ALLOCATED"
#define DEALLOC "BUFFER DEALLOCATED"
#define DTOR "BUFFER DESTRUCTOR (still ALLOCATED - will deallocate)"
#define OWN "Owns Data: yes\nHooked: no\n"
#define HOOK "Owns Data: yes\nHooked: yes\n"

int main(void)
{
	struct lc_lifetimes_config cfg = { 0 };
	struct lc_lifetimes *lt;
	const struct lc_debug_model *m;
	const char *fa = "    /lib/libtt_metal.so: tt::tt_metal::Buffer::create()\n    /lib/_ttnn.so: ttnn::matmul()\n";
	const char *fb = "    /lib/libtt_metal.so: tt::tt_metal::Buffer::create()\n    /lib/_ttnn.so: ttnn::reshape()\n";
	char text[16384] = "";
	char *b[8];
	/* P1: allocated, destructor + deallocated (one end), allocated again (pointer reuse), left open.
	 * P2: allocated twice without an end (superseded), left open. P3: unmatched deallocated.
	 * P4: hooked, left open. P5: destructor of a non-owning buffer (unmatched), nothing follows. */
	b[0] = block(ALLOC, "0x1000", 0x100, 1024, OWN, fa);
	b[1] = block(DTOR, "0x1000", 0x100, 1024, "", "    /lib/libstdc++.so: _M_dispose()\n");
	b[2] = block(DEALLOC, "0x1000", 0x100, 1024, "", "");
	b[3] = block(ALLOC, "0x1000", 0x200, 2048, OWN, fa);
	b[4] = block(ALLOC, "0x2000", 0x300, 4096, OWN, fb);
	b[5] = block(ALLOC, "0x2000", 0x300, 8192, OWN, fb);
	b[6] = block(DEALLOC, "0x3000", 0x400, 16, "", "");
	b[7] = block(ALLOC, "0x4000", 0x0, 512, HOOK, fa);
	for (int i = 0; i < 8; i++) {
		strcat(text, b[i]);
		free(b[i]);
	}
	char *d5 = block(DTOR, "0x5000", 0x500, 64, "", "");
	strcat(text, d5);
	free(d5);
	m = run(&cfg, text, &lt);
	EQ_U64(malformed, 0, "well-formed blocks parse without malformed lines");
	OK(m->allocated == 5 && m->deallocated == 2 && m->destructor == 2, "block counts 5/2/2");
	OK(m->live.buffers == 2 && m->live.bytes == 2048 + 8192, "two open lifetimes: the reused pointer and the superseding one");
	OK(m->superseded.buffers == 1 && m->superseded.bytes == 4096, "one superseded lifetime");
	EQ_U64(m->unmatched, 2, "unmatched: the lone DEALLOCATED and the non-owning DESTRUCTOR");
	OK(m->hooked.buffers == 1 && m->hooked.bytes == 512, "hooked lifetime kept apart");
	OK(m->nsites == 2 && m->sites[0]->open.bytes == 8192 && m->sites[1]->open.bytes == 2048, "two sites by bytes");
	OK(m->nsites == 2 && m->sites[0]->nframes == 2 && m->sites[0]->frames[1].n == strlen("/lib/_ttnn.so: ttnn::reshape()"),
	   "site frames are the printed text after the indent");
	OK(m->nleaks == 2 && m->leaks[0].pointer == 0x2000 && m->leaks[0].site == 0 && m->leaks[1].site == 1,
	   "leaks sorted by size, each pointing at its site");
	/* lines: block 0 is 14 lines, the destructor 11, the deallocated 10, so block 3's title is line 37 */
	OK(m->nleaks == 2 && m->leaks[1].line == 37, "a leak's line is its ALLOCATED title line");
	lc_lifetimes_destroy(lt);

	/* --skip-frames and --stack-depth group both stacks into one site. */
	const char *skip[] = { "Buffer::create" };
	struct lc_lifetimes_config g = { .stack_depth = 1, .skip_frames = skip, .nskip = 1, .all_allocations = true };
	char t2[8192] = "";
	char *x = block(ALLOC, "0x1", 0x10, 100, OWN, "    a.so: Buffer::create\n    b.so: caller\n    c.so: x\n");
	char *y = block(ALLOC, "0x2", 0x20, 300, OWN, "    a.so: Buffer::create\n    b.so: caller\n    c.so: y\n");
	char *z = block(DEALLOC, "0x1", 0x10, 100, "", "");
	char *w = block(ALLOC, "0x3", 0x30, 50, OWN, "    b.so: caller\n");
	strcat(t2, x);
	strcat(t2, y);
	strcat(t2, z);
	strcat(t2, w);
	free(x);
	free(y);
	free(z);
	free(w);
	m = run(&g, t2, &lt);
	OK(m->nsites == 1 && m->sites[0]->nframes == 1 && m->sites[0]->open.buffers == 2 && m->sites[0]->open.bytes == 350,
	   "skip + depth 1: one site 'b.so: caller' with 2 open buffers, 350 bytes");
	OK(m->nall_sites == 1 && m->all_sites[0]->allocations == 3 && m->all_sites[0]->alloc_bytes == 450 &&
		   m->all_sites[0]->peak_live == 2,
	   "all allocations: 3, 450 bytes, peak 2 live at once");
	lc_lifetimes_destroy(lt);

	/* Broken blocks: no title, no Buffer*, too many frames; a cut-off last block still counts. */
	char t3[16384] = SEP "Time: 1\n\n";
	strcat(t3, SEP "BUFFER ALLOCATED\nDevice: 1\nAddress: 0x10 (16)\nSize: 8 bytes (0 KB)\nType: L1\nCall Stack:\n\n");
	strcat(t3, SEP "BUFFER ALLOCATED\nDevice: 1\nAddress: 0x10 (16)\nSize: 8 bytes (0 KB)\nType: L1\nBuffer*: 0x9\n"
		   "Call Stack:\n");
	for (int i = 0; i < 10; i++)
		strcat(t3, "    f.so: frame\n");
	strcat(t3, "\n" SEP "BUFFER ALLOCATED\nDevice: 2\nAddress: 0x20 (32)\nSize: 16 bytes (0 KB)\nType: L1\nBuffer*: 0xa\n"
		   "Call Stack:\n    f.so: last");
	m = run(&cfg, t3, &lt);
	EQ_U64(malformed, 4, "malformed: missing title, missing Buffer*, 2 frames over 8");
	EQ_U64(m->allocated, 2, "the broken blocks are not counted; the cut-off one is");
	OK(m->nsites == 2 && m->live.buffers == 2, "two open lifetimes");
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
