// SPDX-License-Identifier: MIT
// Unit tests of the buffer debug-log parser: block titles and their lines, fields, frames, broken blocks.
// The blocks are the ones test_lifetimes.c feeds the tracker as literals; here they are printed as text.
#include <stdlib.h>
#include <string.h>

#include "lc/debug_log.h"
#include "tap.h"

#define SEP "═══════════════════════════════════════════════════════════\n"
#define MAX_BLOCKS 16

/* What a test checks of one parsed block (its spans live only until the next line is parsed). */
struct seen {
	enum lc_dblock_kind kind;
	uint64_t line, address, size, pointer;
	int32_t device;
	bool owns, hooked;
	size_t nframes;
	char frame1[128]; /* the second frame's text, "" without one */
};

static struct seen seen[MAX_BLOCKS];
static size_t nseen;
static uint64_t malformed;

static void keep(const struct lc_dblock *b)
{
	if (nseen == MAX_BLOCKS)
		return;
	struct seen *s = &seen[nseen++];
	*s = (struct seen){ .kind = b->kind, .line = b->line, .address = b->address, .size = b->size,
			    .pointer = b->pointer, .device = b->device, .owns = b->owns, .hooked = b->hooked,
			    .nframes = b->nframes };
	if (b->nframes > 1 && b->frames[1].n < sizeof s->frame1)
		memcpy(s->frame1, b->frames[1].p, b->frames[1].n);
}

/* Parses text as one debug-log input, keeping every block it completes and counting malformed lines. */
static void parse(const char *text)
{
	struct lc_dparser *dp = lc_dparser_create();
	struct lc_dblock b;
	uint64_t line = 0;
	nseen = 0;
	malformed = 0;
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		bool done;
		const char *why;
		line++;
		if (lc_dparser_line(dp, (struct lc_span){ text, n }, line, &b, &done, &why) == LC_LINE_MALFORMED)
			malformed++;
		if (done)
			keep(&b);
		text += n + (nl ? 1 : 0);
	}
	if (lc_dparser_finish(dp, &b))
		keep(&b);
	lc_dparser_destroy(dp);
}

/* Appends one block as the library prints it: title, fields, extra lines, "Call Stack:", frames. */
static void block(char *text, size_t cap, const char *title, const char *ptr, unsigned long long addr,
		  unsigned long long size, const char *extra, const char *frames)
{
	size_t n = strlen(text);
	snprintf(text + n, cap - n,
		 SEP "%s\nTime: 14:32:15\nDevice: 0\nAddress: 0x%llx (%llu)\nSize: %llu bytes (1 KB)\nType: DRAM\n"
		     "Buffer*: %s\n%sCall Stack:\n%s\n",
		 title, addr, addr, size, ptr, extra, frames);
}

#define ALLOC "BUFFER ALLOCATED"
#define DEALLOC "BUFFER DEALLOCATED"
#define DTOR "BUFFER DESTRUCTOR (still ALLOCATED - will deallocate)"
#define OWN "Owns Data: yes\nHooked: no\n"
#define HOOK "Owns Data: yes\nHooked: yes\n"

int main(void)
{
	const char *fa = "    /lib/libtt_metal.so: tt::tt_metal::Buffer::create()\n    /lib/_ttnn.so: ttnn::matmul()\n";
	const char *fb = "    /lib/libtt_metal.so: tt::tt_metal::Buffer::create()\n    /lib/_ttnn.so: ttnn::reshape()\n";
	char text[16384] = "";
	block(text, sizeof text, ALLOC, "0x1000", 0x100, 1024, OWN, fa);
	block(text, sizeof text, DTOR, "0x1000", 0x100, 1024, "", "    /lib/libstdc++.so: _M_dispose()\n");
	block(text, sizeof text, DEALLOC, "0x1000", 0x100, 1024, "", "");
	block(text, sizeof text, ALLOC, "0x1000", 0x200, 2048, OWN, fa);
	block(text, sizeof text, ALLOC, "0x2000", 0x300, 4096, OWN, fb);
	block(text, sizeof text, ALLOC, "0x2000", 0x300, 8192, OWN, fb);
	block(text, sizeof text, DEALLOC, "0x3000", 0x400, 16, "", "");
	block(text, sizeof text, ALLOC, "0x4000", 0x0, 512, HOOK, fa);
	block(text, sizeof text, DTOR, "0x5000", 0x500, 64, "", "");
	parse(text);
	EQ_U64(malformed, 0, "well-formed blocks parse without malformed lines");
	EQ_U64(nseen, 9, "nine blocks");
	/* lines: an ALLOCATED block with two frames is 14 lines (separator, title, 8 fields, "Call Stack:",
	 * 2 frames, the blank line), the destructor with one frame and no Owns/Hooked 11, the deallocated 10 */
	static const uint64_t titles[9] = { 2, 16, 27, 37, 51, 65, 79, 89, 103 };
	bool lines_ok = nseen == 9;
	for (size_t i = 0; lines_ok && i < 9; i++)
		lines_ok = seen[i].line == titles[i];
	OK(lines_ok, "a block's line is its title line: 2, 16, 27, 37 (block 3), 51, 65, 79, 89, 103");
	OK(nseen == 9 && seen[0].kind == LC_DBLOCK_ALLOCATED && seen[1].kind == LC_DBLOCK_DESTRUCTOR &&
		   seen[2].kind == LC_DBLOCK_DEALLOCATED,
	   "the three titles");
	OK(nseen == 9 && seen[4].pointer == 0x2000 && seen[4].address == 0x300 && seen[4].size == 4096 &&
		   seen[4].device == 0 && seen[4].owns && !seen[4].hooked,
	   "fields: Buffer*, Address, Size, Device, Owns Data, Hooked");
	OK(nseen == 9 && seen[7].owns && seen[7].hooked && !seen[1].owns, "Hooked: yes read; no Owns Data line is not owning");
	OK(nseen == 9 && seen[4].nframes == 2 && strcmp(seen[4].frame1, "/lib/_ttnn.so: ttnn::reshape()") == 0,
	   "site frames are the printed text after the indent");

	/* Broken blocks: no title, no Buffer*, too many frames; a cut-off last block still counts. */
	char t3[16384] = SEP "Time: 1\n\n";
	strcat(t3, SEP "BUFFER ALLOCATED\nDevice: 1\nAddress: 0x10 (16)\nSize: 8 bytes (0 KB)\nType: L1\nCall Stack:\n\n");
	strcat(t3, SEP "BUFFER ALLOCATED\nDevice: 1\nAddress: 0x10 (16)\nSize: 8 bytes (0 KB)\nType: L1\nBuffer*: 0x9\n"
		   "Call Stack:\n");
	for (int i = 0; i < 10; i++)
		strcat(t3, "    f.so: frame\n");
	strcat(t3, "\n" SEP "BUFFER ALLOCATED\nDevice: 2\nAddress: 0x20 (32)\nSize: 16 bytes (0 KB)\nType: L1\nBuffer*: 0xa\n"
		   "Call Stack:\n    f.so: last");
	parse(t3);
	EQ_U64(malformed, 4, "malformed: missing title, missing Buffer*, 2 frames over 8");
	EQ_U64(nseen, 2, "the broken blocks are not counted; the cut-off one is");
	OK(nseen == 2 && seen[0].line == 13 && seen[0].nframes == LC_DEBUG_MAX_FRAMES && seen[0].device == 1 &&
		   seen[1].line == 32 && seen[1].nframes == 1 && seen[1].device == 2 && !seen[0].owns,
	   "the 8 frames kept of 10; the cut-off block ends at the input's end");
	return tap_done();
}
