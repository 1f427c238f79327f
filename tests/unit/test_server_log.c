// SPDX-License-Identifier: MIT
// Unit tests of the server-log parser: every line kind, ids in both bases, mojibake, ANSI, grep -n, bad lines.
#include <string.h>

#include "lc/server_log.h"
#include "tap.h"

static struct lc_sparser *sp;
static struct lc_sevent ev;
static const char *why;

static enum lc_line_class parse(const char *s)
{
	return lc_sparser_line(sp, (struct lc_span){ s, strlen(s) }, &ev, &why);
}

/* Parses s; returns whether it is a recognized line of kind k (ev holds its event). */
static bool is(const char *s, enum lc_sev_kind k)
{
	return parse(s) == LC_LINE_RECOGNIZED && ev.kind == k;
}

/* Cuts first (a line with a foreign line inside it) and joins it with rest; returns whether both worked. */
static bool cut_join(const char *first, const char *rest, struct lc_scut *cut, struct lc_sevent *jev)
{
	return lc_sparser_cut(sp, (struct lc_span){ first, strlen(first) }, cut) &&
	       lc_sparser_rejoin(sp, cut, (struct lc_span){ rest, strlen(rest) }, jev);
}

static bool span_is(struct lc_span s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

/* A recognized line, the kind it must parse to, and the name of the check. */
struct kind_check {
	const char *line;
	enum lc_sev_kind kind;
	const char *name;
};

/* One check per row, in order: the row's line parses to its kind. */
static void check_kinds(const struct kind_check *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		OK(is(rows[i].line, rows[i].kind), "%s", rows[i].name);
}

static const struct kind_check mojibake_ansi_grep[] = {
	{ "\xc3\xa2\xc5\x93\xe2\x80\x9c [PID 3] Allocated 8 bytes of DRAM on device 1 (buffer_id=0x40)", LC_SEV_ALLOC, "cp1252 mojibake alloc" },
	{ "\xc3\xa2\xc5\xa1\xc2\xa0\xc3\xaf\xc2\xb8\xc2\x8f  Detected dead processes, cleaning up orphaned buffers...", LC_SEV_CLEANUP_BEGIN, "cp1252 mojibake cleanup header" },
	{ "\x1b[92m✓ [PID 3] Allocated 8 bytes of L1 on device 1 (buffer_id=0x40)\x1b[0m", LC_SEV_ALLOC, "ANSI colours stripped" },
	{ "1234:✓ [PID 3] Allocated 8 bytes of L1 on device 1 (buffer_id=0x40)", LC_SEV_ALLOC, "grep -n prefix stripped" },
};

static const struct kind_check dump_titles[] = {
	{ "║           REMAINING ALLOCATED BUFFERS                       ║", LC_SEV_DUMP_TITLE, "dump title" },
	{ "\xe2\x80\x9a\xc3\xaf\xc3\xab           REMAINING ALLOCATED BUFFERS                       \xe2\x80\x9a\xc3\xaf\xc3\xab", LC_SEV_DUMP_TITLE, "Mac Roman dump title" },
	{ "╚══════════════════════════════════════════════════════════════╝", LC_SEV_NONE, "box border" },
};

int main(void)
{
	sp = lc_sparser_create();

	OK(is("✓ [PID 919068] Allocated 12503040 bytes of TRACE on device 4 (buffer_id=1043741824)", LC_SEV_ALLOC),
	   "decimal alloc recognized");
	OK(ev.pid == 919068 && ev.size == 12503040 && ev.device == 4 && ev.id == 1043741824 && ev.ref_count == 0 &&
		   span_is(ev.type, "TRACE"),
	   "decimal alloc fields");
	parse("✓ [PID 4242] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=3)");
	OK(ev.kind == LC_SEV_ALLOC && ev.id == 0x18b20 && ev.ref_count == 3, "hex ref-count alloc");
	parse("✓ [PID 1] Allocated 1 bytes of L1 on device 0 (buffer_id=0x0)");
	OK(ev.kind == LC_SEV_ALLOC && ev.id == 0, "id 0x0");

	parse("✗ [PID 4242] Freed buffer 0x18b20 on device 0 (32768 bytes, ref_count=2 remaining)");
	OK(ev.kind == LC_SEV_FREE && !ev.final && ev.ref_count == 2 && ev.size == 32768, "partial free");
	parse("✗ [PID 1000131] Freed buffer 1043741824 on device 4 (12503040 bytes, FINAL)");
	OK(ev.kind == LC_SEV_FREE && ev.final && ev.id == 1043741824 && ev.device == 4, "decimal FINAL free");
	parse("✗ [PID 7] Freed buffer 99 on device 1 (10 bytes)");
	OK(ev.kind == LC_SEV_FREE && ev.final, "doc-only free without suffix is FINAL");

	parse("⚠ [PID 12345] Deallocation for unknown buffer 1402304 on device 4 (allocated before tracking started)");
	OK(ev.kind == LC_SEV_UNKNOWN_FREE && ev.has_device && ev.device == 4 && ev.id == 1402304, "unknown free");
	parse("⚠ [PID 5] Deallocation for ALREADY FREED buffer 0x20 on device 2 (allocs=1 frees=2)");
	OK(ev.kind == LC_SEV_UNKNOWN_FREE && ev.id == 0x20 && ev.device == 2, "enhanced already-freed is unknown");
	parse("⚠ Warning: Deallocation for unknown buffer 77");
	OK(ev.kind == LC_SEV_UNKNOWN_FREE && !ev.has_device && ev.id == 77, "doc-only unknown free has no device");

	/* The form of the buffer id, per line (V1-V3 decimal, V4+ hex): server.address_forms. */
	parse("✓ [PID 1] Allocated 8 bytes of L1 on device 0 (buffer_id=101152)");
	OK(ev.id_decimal && ev.id == 101152, "decimal alloc id marked decimal");
	parse("✓ [PID 1] Allocated 8 bytes of L1 on device 0 (buffer_id=0x18b20, ref_count=2)");
	OK(!ev.id_decimal && ev.id == 101152, "hex alloc id not marked");
	parse("✗ [PID 1] Freed buffer 101152 on device 0 (8 bytes, FINAL)");
	OK(ev.kind == LC_SEV_FREE && ev.id_decimal, "decimal free id marked");
	parse("✗ [PID 1] Freed buffer 0x0 on device 0 (8 bytes, FINAL)");
	OK(ev.kind == LC_SEV_FREE && !ev.id_decimal && ev.id == 0, "hex free id 0x0 not marked");
	parse("⚠ [PID 1] Deallocation for unknown buffer 0 on device 0 (allocated before tracking started)");
	OK(ev.kind == LC_SEV_UNKNOWN_FREE && ev.id_decimal && ev.id == 0, "decimal unknown id 0 marked");
	parse("⚠ [PID 1] Deallocation for unknown buffer 0x18b20 on device 0 (allocated before tracking started)");
	OK(ev.kind == LC_SEV_UNKNOWN_FREE && !ev.id_decimal, "hex unknown id not marked");
	parse("⚠ Warning: Deallocation for unknown buffer 77");
	OK(ev.id_decimal && !ev.has_pid, "doc-only unknown free: decimal, no PID");
	parse("    - Buffer 0x3e363c80: 12210 KB (PID 919068, ref_count=1)");
	OK(ev.kind == LC_SEV_DUMP_BUFFER && !ev.id_decimal, "dump buffer lines are not counted as decimal");

	/* Mojibake: Mac Roman and cp1252 forms of the check mark (FORMATS.md 5.2). */
	OK(is("\xe2\x80\x9a\xc3\xba\xc3\xac [PID 3] Allocated 8 bytes of DRAM on device 1 (buffer_id=0x40)", LC_SEV_ALLOC) && ev.id == 0x40,
	   "Mac Roman mojibake alloc");
	check_kinds(mojibake_ansi_grep, sizeof mojibake_ansi_grep / sizeof *mojibake_ansi_grep);
	OK(is("17:  Device 3:", LC_SEV_STATS_DEVICE) && ev.device == 3,
	   "grep -n prefix keeps the indentation");

	/* Stats and dumps: indentation tells them apart. */
	OK(is("📊 Current Statistics:", LC_SEV_STATS_BEGIN), "stats title");
	OK(is("    Buffers: 150", LC_SEV_STATS_BUFFERS) && ev.value == 150, "Buffers");
	OK(is("    DRAM: 5242880 bytes (5120 KB)", LC_SEV_STATS_BYTES) &&
		   ev.which == 0 && ev.size == 5242880 && span_is(ev.num1, "5120"),
	   "DRAM bytes and KB");
	OK(parse("    Total: 8388608 bytes") == LC_LINE_RECOGNIZED && ev.which == 2 && ev.size == 8388608, "Total");
	OK(parse("    L1: 11.9238 KB") == LC_LINE_RECOGNIZED && ev.which == 1 && !ev.has_bytes &&
		   span_is(ev.num1, "11.9238"),
	   "enhanced KB-only line");
	OK(is("  Active allocations: 3", LC_SEV_STATS_ACTIVE) && ev.value == 3,
	   "Active allocations");
	OK(is("Device 0:", LC_SEV_DUMP_DEVICE), "dump device at column 0");
	OK(is("  TRACE: 1 buffers, 11.9238 MB total", LC_SEV_DUMP_TYPE) &&
		   ev.value == 1 && span_is(ev.type, "TRACE") && span_is(ev.num1, "11.9238"),
	   "dump type line");
	OK(is("    - Buffer 0x3e363c80: 12210 KB (PID 919068, ref_count=1)", LC_SEV_DUMP_BUFFER) &&
		   ev.id == 0x3e363c80 && ev.pid == 919068 && ev.ref_count == 1,
	   "dump buffer line");
	check_kinds(dump_titles, sizeof dump_titles / sizeof *dump_titles);
	OK(is("Total tracked allocations: 381", LC_SEV_DUMP_TRACKED) &&
		   ev.value == 381,
	   "tracked count");
	OK(is("   PID 4242 is dead, removing its buffers...", LC_SEV_CLEANUP_PID) &&
		   ev.pid == 4242,
	   "dead PID line");
	OK(is("   ✓ Removed 381 buffers (403.84 MB) from PID 12345", LC_SEV_CLEANUP_REMOVED) && ev.which == 0 &&
		   ev.value == 381 && ev.pid == 12345 &&
		   span_is(ev.num1, "403.84"),
	   "removed buffers line");
	OK(parse("   ✓ Removed 4 kernels (0.199219 MB) from PID 12345") == LC_LINE_RECOGNIZED && ev.which == 2,
	   "removed kernels line");

	/* CB and kernel lines */
	OK(is("✓ [CB_ALLOC] Device 0: +0.0625 MB (Total: 21.7494 MB)", LC_SEV_CB_ALLOC) && span_is(ev.num2, "21.7494"),
	   "CB_ALLOC");
	OK(parse("✗ [CB_FREE] Device 0: -0 MB (Total: 1.75922e+13 MB)") == LC_LINE_RECOGNIZED &&
		   span_is(ev.num2, "1.75922e+13"),
	   "CB_FREE with wrapped total");
	OK(is("✓ [KERNEL_LOAD] Fabric kernel on Device 0: +0.0546875 MB (Total: 0.0546875 MB)", LC_SEV_KERNEL_LOAD) &&
		   ev.device == 0,
	   "KERNEL_LOAD with kind");
	OK(parse("✓ [KERNEL_LOAD] Device 2: +0.0449219 MB (Total: 0.199219 MB)") == LC_LINE_RECOGNIZED &&
		   ev.device == 2,
	   "doc-only KERNEL_LOAD without kind");

	/* Banners and the rest of the server's own lines */
	OK(is("🚀 Allocation Server started", LC_SEV_BANNER) && !ev.enh, "banner");
	OK(parse("🚀 Enhanced Allocation Server started (with history tracking)") == LC_LINE_RECOGNIZED && ev.enh,
	   "enhanced banner");
	OK(is("🔍 Device detection (all chips via ClusterDescriptor, no hugepages):", LC_SEV_DETECT) && ev.version == 6,
	   "V6 detection");
	OK(parse("Arch: Wormhole_B0") == LC_LINE_RECOGNIZED, "V5 UMD debug line");
	OK(parse("⚠️  Invalid size 0 - ignoring message") == LC_LINE_RECOGNIZED, "validation line");
	OK(parse("Unknown message type: 81") == LC_LINE_RECOGNIZED, "unknown message type");
	OK(parse("") == LC_LINE_RECOGNIZED && parse("   ") == LC_LINE_RECOGNIZED, "blank lines are recognized");

	/* Foreign lines */
	OK(parse("2025-10-20 14:32:15.123 | INFO     | Device   | Opening user mode device driver (tt_cluster.cpp:123)") ==
		   LC_LINE_FOREIGN,
	   "logger line is foreign");
	OK(parse("[TT-Metal] Buffer debug logging enabled -> /tmp/tt_buffer_debug.log") == LC_LINE_FOREIGN,
	   "TT-Metal notice is foreign");
	OK(parse("PASSED models/demos/llama3/tests/test_llama.py::test_demo") == LC_LINE_FOREIGN, "pytest line is foreign");

	/* Malformed lines: our anchor, but they do not parse */
	OK(parse("✓ [PID 12] Allocated 12x4 bytes of L1 on device 0 (buffer_id=0x10)") == LC_LINE_MALFORMED && why,
	   "bad size is malformed with a reason");
	OK(parse("✓ [PID 4242] Allocated 32768 bytes of L1 on dev") == LC_LINE_MALFORMED, "cut-short alloc");
	OK(parse("✗ [PID 1] Freed buffer 0xZZ on device 0 (5 bytes, FINAL)") == LC_LINE_MALFORMED, "bad hex id");
	OK(parse("✓ [PID 1] Allocated 18446744073709551616 bytes of L1 on device 0 (buffer_id=0x1)") ==
		   LC_LINE_MALFORMED,
	   "2^64 size is too wide");
	OK(parse("✓ [PID 1] Allocated 18446744073709551615 bytes of L1 on device 70000 (buffer_id=0x1)") ==
		   LC_LINE_RECOGNIZED && ev.size == UINT64_MAX && ev.device == 70000,
	   "2^64-1 and device 70000 are accepted");
	OK(parse("✓ [PID 1] Allocated 1 bytes of L1 on device 2147483648 (buffer_id=0x1)") == LC_LINE_MALFORMED,
	   "device wider than int32");
	OK(parse("✓ [PID 1] Allocated 1 bytes of L1 on device -2147483648 (buffer_id=0x1)") == LC_LINE_RECOGNIZED &&
		   ev.device == INT32_MIN,
	   "INT32_MIN device accepted");
	OK(parse("✓ [PID 1] Allocated 1 bytes of L1 on device 0 (buffer_id=0x10000000000000000)") == LC_LINE_MALFORMED,
	   "hex id wider than 64 bits");
	OK(parse("    Buffers: many") == LC_LINE_MALFORMED, "stats count not a number");
	OK(parse("✓ [PID 1] Allocated 1 bytes of L1 on device 0 (buffer_id=0x1)📋 Received DUMP") == LC_LINE_MALFORMED,
	   "line cut by another writer");

	/* Lines cut by the unlocked DUMP_REMAINING lines (FORMATS.md 1.1). */
	{
		static const struct {
			const char *line, *rest;
			enum lc_sev_kind kind;
			bool grep_n;
		} cuts[] = {
			{ "✓ [PID 12565] Allocated 1024 bytes of L1📋 DUMP_REMAINING complete.",
			  "✓ [PID 12565] Allocated 1024 bytes of L1", LC_SEV_DUMP_COMPLETE, false },
			{ "(Total: \xef\xa3\xbf\xc3\xbc\xc3\xac\xc3\xa3 Received DUMP_REMAINING request...", "(Total: ",
			  LC_SEV_DUMP_RECEIVED, false }, /* Mac Roman */
			{ "(2048\xc3\xbc\xc3\xac\xc3\xa3 Received DUMP_REMAINING request...", "(2048", LC_SEV_DUMP_RECEIVED,
			  false }, /* Mac Roman without U+F8FF */
			{ "(2048\xc3\xb0\xc5\xb8\xe2\x80\x9c\xe2\x80\xb9 DUMP_REMAINING complete.\r", "(2048",
			  LC_SEV_DUMP_COMPLETE, false }, /* cp1252, CR left by a bare-CR line end */
			{ "12:\x1b[92m(2048\x1b[0m\x1b[96m📋 Received DUMP_REMAINING request\x1b[0m more", "12:(2048 more",
			  LC_SEV_DUMP_RECEIVED, true }, /* ANSI, grep -n, no dots, text after it */
		};
		for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
			struct lc_scut cut;
			bool got = lc_sparser_cut(sp, (struct lc_span){ cuts[i].line, strlen(cuts[i].line) }, &cut);
			OK(got && cut.nfrag == 1 && cut.frag[0] == cuts[i].kind && span_is(cut.rest, cuts[i].rest) &&
				   cut.grep_n == cuts[i].grep_n,
			   "cut %zu: fragment taken out", i);
		}
		struct lc_scut cut;
		const char *two = "  L📋 DUMP_REMAINING complete.1: 2 buff📋 Received DUMP_REMAINING request...ers";
		OK(lc_sparser_cut(sp, (struct lc_span){ two, strlen(two) }, &cut) && cut.nfrag == 2 &&
			   cut.frag[0] == LC_SEV_DUMP_COMPLETE && cut.frag[1] == LC_SEV_DUMP_RECEIVED &&
			   span_is(cut.rest, "  L1: 2 buffers"),
		   "two fragments in one line, in order");
		const char *alone[] = { "📋 DUMP_REMAINING complete.", "  📋 Received DUMP_REMAINING request...\r",
					"7:📋 DUMP_REMAINING complete.", "a DUMP_REMAINING line", "" };
		for (size_t i = 0; i < sizeof alone / sizeof alone[0]; i++)
			OK(!lc_sparser_cut(sp, (struct lc_span){ alone[i], strlen(alone[i]) }, &cut),
			   "not a cut: '%s'", alone[i]);

		/* joins: the halves of one line; not with a line of its own, nor into a lesser line */
		const char *first = "✗ [PID 1] Freed buffer 0x10 on device 1 (2048📋 Received DUMP_REMAINING request...";
		struct lc_sevent jev;
		OK(cut_join(first, " bytes, FINAL)", &cut, &jev) && jev.kind == LC_SEV_FREE && jev.final && jev.size == 2048 &&
			   jev.id == 0x10,
		   "cut FINAL free joined");
		const char *whole = "✓ [PID 1] Allocated 4 bytes of L1 on device 0 (buffer_id=0x10)";
		OK(!lc_sparser_rejoin(sp, &cut, (struct lc_span){ whole, strlen(whole) }, &jev),
		   "not joined with a complete line of its own");
		OK(cut_join("    Buffers: 1📋 DUMP_REMAINING complete.", "50", &cut, &jev) &&
			   jev.kind == LC_SEV_STATS_BUFFERS && jev.value == 150,
		   "a rest that parses alone still joins a foreign continuation");
		OK(!lc_sparser_rejoin(sp, &cut, (struct lc_span){ "", 0 }, &jev), "not joined with a blank line");
		OK(cut_join("41:  Device 1📋 DUMP_REMAINING complete.", "42:0:", &cut, &jev) &&
			   jev.kind == LC_SEV_STATS_DEVICE && jev.device == 10,
		   "grep -n: the second half's prefix is dropped");
	}

	lc_sparser_destroy(sp);
	return tap_done();
}
