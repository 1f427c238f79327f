// SPDX-License-Identifier: MIT
// Allocation-server log parser: hand scanners on the ASCII anchors of FORMATS.md 1.17.
#include "lc/server_log.h"

#include <stdlib.h>
#include <string.h>

#include "lc/scan.h"
#include "server_log_internal.h"


struct lc_sparser *lc_sparser_create(void)
{
	return lc_xcalloc(1, sizeof(struct lc_sparser));
}

void lc_sparser_destroy(struct lc_sparser *sp)
{
	if (!sp)
		return;
	lc_buf_release(&sp->scratch);
	lc_buf_release(&sp->rest);
	lc_buf_release(&sp->join);
	free(sp);
}

/* The buffer id of an alloc, free or unknown-free line, noting whether it was printed in decimal. */
LC_SCAN_INLINE int scan_buffer_id(struct lc_scan *c, struct lc_sevent *ev)
{
	ev->id_decimal = !LC_SCAN_STARTS(c, "0x");
	return lc_scan_id(c, &ev->id);
}

static const char *num_reason(int rc, const char *what_bad, const char *what_wide)
{
	return rc < 0 ? what_wide : what_bad;
}

/* Shared tail of alloc and free: " on device %d". */
LC_SCAN_INLINE int scan_on_device(struct lc_scan *c, struct lc_sevent *ev)
{
	if (!LC_SCAN_LIT(c, " on device "))
		return 0;
	int rc = lc_scan_i32(c, &ev->device);
	if (rc <= 0)
		return rc < 0 ? -1 : 0;
	ev->has_device = true;
	return 1;
}

static enum lc_line_class parse_alloc(struct lc_scan *c, struct lc_sevent *ev, const char **reason)
{
	int rc;
	if ((rc = lc_scan_u64(c, &ev->size)) <= 0)
		return lc_scan_reject(reason, num_reason(rc, "alloc line: bad size", "alloc line: size wider than 64 bits"));
	if (!LC_SCAN_LIT(c, " bytes of ") || !lc_scan_name(c, &ev->type))
		return lc_scan_reject(reason, "alloc line: cut short or garbled before the type");
	if ((rc = scan_on_device(c, ev)) <= 0)
		return lc_scan_reject(reason,
				      rc < 0 ? "alloc line: device wider than 32 bits" : "alloc line: cut short or garbled before the device");
	if (!LC_SCAN_LIT(c, " (buffer_id="))
		return lc_scan_reject(reason, "alloc line: cut short or garbled before buffer_id");
	if ((rc = scan_buffer_id(c, ev)) <= 0)
		return lc_scan_reject(reason,
				      num_reason(rc, "alloc line: bad buffer_id", "alloc line: buffer_id wider than 64 bits"));
	ev->ref_count = 0;
	if (LC_SCAN_LIT(c, ", ref_count=")) {
		if ((rc = lc_scan_i32(c, &ev->ref_count)) <= 0)
			return lc_scan_reject(reason,
					      num_reason(rc, "alloc line: bad ref_count", "alloc line: ref_count wider than 32 bits"));
		if (ev->ref_count < 2)
			return lc_scan_reject(reason, "alloc line: ref_count below 2");
	}
	if (!LC_SCAN_LIT(c, ")") || !lc_scan_at_end(c))
		return lc_scan_reject(reason, "alloc line: cut short or trailing garbage");
	ev->kind = LC_SEV_ALLOC;
	return LC_LINE_RECOGNIZED;
}

static enum lc_line_class parse_free(struct lc_scan *c, struct lc_sevent *ev, const char **reason)
{
	int rc;
	if ((rc = scan_buffer_id(c, ev)) <= 0)
		return lc_scan_reject(reason, num_reason(rc, "free line: bad buffer id", "free line: buffer id wider than 64 bits"));
	if ((rc = scan_on_device(c, ev)) <= 0)
		return lc_scan_reject(reason,
				      rc < 0 ? "free line: device wider than 32 bits" : "free line: cut short or garbled before the device");
	if (!LC_SCAN_LIT(c, " ("))
		return lc_scan_reject(reason, "free line: cut short after the device");
	if ((rc = lc_scan_u64(c, &ev->size)) <= 0)
		return lc_scan_reject(reason, num_reason(rc, "free line: bad size", "free line: size wider than 64 bits"));
	ev->has_bytes = true;
	if (!LC_SCAN_LIT(c, " bytes"))
		return lc_scan_reject(reason, "free line: cut short after the size");
	if (LC_SCAN_LIT(c, ", FINAL)")) {
		ev->final = true;
	} else if (LC_SCAN_LIT(c, ", ref_count=")) {
		if ((rc = lc_scan_i32(c, &ev->ref_count)) <= 0)
			return lc_scan_reject(reason, num_reason(rc, "free line: bad ref_count", "free line: ref_count wider than 32 bits"));
		if (ev->ref_count < 1)
			return lc_scan_reject(reason, "free line: remaining ref_count below 1");
		if (!LC_SCAN_LIT(c, " remaining)"))
			return lc_scan_reject(reason, "free line: cut short after ref_count");
	} else if (LC_SCAN_LIT(c, ")")) {
		ev->final = true; /* doc-only form without a suffix */
	} else {
		return lc_scan_reject(reason, "free line: cut short or garbled suffix");
	}
	if (!lc_scan_at_end(c))
		return lc_scan_reject(reason, "free line: trailing garbage");
	ev->kind = LC_SEV_FREE;
	return LC_LINE_RECOGNIZED;
}

static enum lc_line_class parse_unknown(struct lc_scan *c, struct lc_sevent *ev, const char **reason)
{
	int rc;
	if ((rc = scan_buffer_id(c, ev)) <= 0)
		return lc_scan_reject(reason,
				      num_reason(rc, "unknown-free line: bad buffer id", "unknown-free line: buffer id wider than 64 bits"));
	if ((rc = scan_on_device(c, ev)) <= 0)
		return lc_scan_reject(reason,
				      rc < 0 ? "unknown-free line: device wider than 32 bits" : "unknown-free line: cut short before the device");
	if (!LC_SCAN_LIT(c, " (") || c->e == c->p || c->e[-1] != ')')
		return lc_scan_reject(reason, "unknown-free line: cut short after the device");
	ev->kind = LC_SEV_UNKNOWN_FREE;
	return LC_LINE_RECOGNIZED;
}

static enum lc_line_class parse_pid_line(struct lc_scan *c, struct lc_sevent *ev, const char **reason)
{
	int rc = lc_scan_i32(c, &ev->pid);
	if (rc <= 0)
		return lc_scan_reject(reason, num_reason(rc, "[PID line: bad PID", "[PID line: PID wider than 32 bits"));
	ev->has_pid = true;
	if (!LC_SCAN_LIT(c, "] "))
		return lc_scan_reject(reason, "[PID line: cut short after the PID");
	if (LC_SCAN_LIT(c, "Allocated "))
		return parse_alloc(c, ev, reason);
	if (LC_SCAN_LIT(c, "Freed buffer "))
		return parse_free(c, ev, reason);
	if (LC_SCAN_LIT(c, "Deallocation for unknown buffer ") || LC_SCAN_LIT(c, "Deallocation for ALREADY FREED buffer "))
		return parse_unknown(c, ev, reason);
	if (LC_SCAN_LIT(c, "Buffer reused with DIFFERENT size: ")) {
		ev->kind = LC_SEV_REUSE_SIZE;
		return LC_LINE_RECOGNIZED;
	}
	if (LC_SCAN_STARTS(c, "Invalid buffer_type "))
		return LC_LINE_RECOGNIZED;
	return lc_scan_reject(reason, "[PID line: unknown or garbled message");
}

/* "[CB_ALLOC] Device %d: +%g MB (Total: %g MB)" and the kernel forms. */
static enum lc_line_class parse_cb_kernel(struct lc_scan *c, struct lc_sevent *ev, enum lc_sev_kind kind,
					  const char **reason)
{
	if (kind == LC_SEV_KERNEL_LOAD || kind == LC_SEV_KERNEL_UNLOAD) {
		/* optional "%s kernel on " before "Device" */
		struct lc_span word;
		struct lc_scan t = *c;
		if (lc_scan_name(&t, &word) && LC_SCAN_LIT(&t, " kernel on "))
			*c = t;
	}
	int rc;
	if (!LC_SCAN_LIT(c, "Device "))
		return lc_scan_reject(reason, "CB/kernel line: cut short before the device");
	if ((rc = lc_scan_i32(c, &ev->device)) <= 0)
		return lc_scan_reject(reason,
				      num_reason(rc, "CB/kernel line: bad device", "CB/kernel line: device wider than 32 bits"));
	ev->has_device = true;
	if (!LC_SCAN_LIT(c, ": ") || !lc_scan_float(c, &ev->num1) || !LC_SCAN_LIT(c, " MB (Total: ") ||
	    !lc_scan_float(c, &ev->num2) || !LC_SCAN_LIT(c, " MB)") || !lc_scan_at_end(c))
		return lc_scan_reject(reason, "CB/kernel line: cut short or garbled figures");
	ev->kind = kind;
	return LC_LINE_RECOGNIZED;
}

/* Stats byte lines: "%llu bytes (%g KB)" (V1-V6), "%llu bytes" (Total), "%g KB" (enhanced). */
static enum lc_line_class parse_stats_bytes(struct lc_scan *c, struct lc_sevent *ev, int which, const char **reason)
{
	struct lc_scan t = *c;
	uint64_t v;
	int rc = lc_scan_u64(&t, &v);
	ev->which = which;
	ev->kind = LC_SEV_STATS_BYTES;
	if (rc != 0 && LC_SCAN_LIT(&t, " bytes")) {
		if (rc < 0)
			return lc_scan_reject(reason, "statistics line: byte count wider than 64 bits");
		ev->size = v;
		ev->has_bytes = true;
		if (LC_SCAN_LIT(&t, " (")) {
			if (!lc_scan_float(&t, &ev->num1) || !LC_SCAN_LIT(&t, " KB)"))
				return lc_scan_reject(reason, "statistics line: garbled KB figure");
		}
		if (!lc_scan_at_end(&t))
			return lc_scan_reject(reason, "statistics line: trailing garbage");
		return LC_LINE_RECOGNIZED;
	}
	if (lc_scan_float(c, &ev->num1) && LC_SCAN_LIT(c, " KB") && lc_scan_at_end(c))
		return LC_LINE_RECOGNIZED;
	return lc_scan_reject(reason, "statistics line: bad byte figure");
}

/* A count alone after its label ("Buffers: 150"); bad is the reason when it does not parse. */
static enum lc_line_class parse_count_line(struct lc_scan *c, struct lc_sevent *ev, enum lc_sev_kind kind,
					   const char *bad, const char **reason)
{
	int rc = lc_scan_u64(c, &ev->value);
	if (rc <= 0 || !lc_scan_at_end(c))
		return lc_scan_reject(reason, bad);
	ev->kind = kind;
	return LC_LINE_RECOGNIZED;
}

static enum lc_line_class parse_removed(struct lc_scan *c, struct lc_sevent *ev, const char **reason)
{
	uint64_t n;
	int rc = lc_scan_u64(c, &n); /* a count: never negative */
	if (rc <= 0)
		return lc_scan_reject(reason, "cleanup line: bad count");
	if (LC_SCAN_LIT(c, " buffers ("))
		ev->which = 0;
	else if (LC_SCAN_LIT(c, " CBs ("))
		ev->which = 1;
	else if (LC_SCAN_LIT(c, " kernels ("))
		ev->which = 2;
	else
		return lc_scan_reject(reason, "cleanup line: garbled");
	ev->value = n;
	if (!lc_scan_float(c, &ev->num1) || !LC_SCAN_LIT(c, " MB) from PID "))
		return lc_scan_reject(reason, "cleanup line: garbled MB figure");
	if ((rc = lc_scan_i32(c, &ev->pid)) <= 0 || !lc_scan_at_end(c))
		return lc_scan_reject(reason, "cleanup line: bad PID");
	ev->has_pid = true;
	ev->kind = LC_SEV_CLEANUP_REMOVED;
	return LC_LINE_RECOGNIZED;
}

/* "- Buffer 0x%llx: %g KB (PID %d, ref_count=%d)" */
static enum lc_line_class parse_dump_buffer(struct lc_scan *c, struct lc_sevent *ev, const char **reason)
{
	int rc;
	if ((rc = lc_scan_id(c, &ev->id)) <= 0)
		return lc_scan_reject(reason, "dump buffer line: bad buffer id");
	if (!LC_SCAN_LIT(c, ": ") || !lc_scan_float(c, &ev->num1) || !LC_SCAN_LIT(c, " KB (PID "))
		return lc_scan_reject(reason, "dump buffer line: garbled size");
	if ((rc = lc_scan_i32(c, &ev->pid)) <= 0 || !LC_SCAN_LIT(c, ", ref_count="))
		return lc_scan_reject(reason, "dump buffer line: bad PID");
	if ((rc = lc_scan_i32(c, &ev->ref_count)) <= 0 || ev->ref_count < 0 || !LC_SCAN_LIT(c, ")") || !lc_scan_at_end(c))
		return lc_scan_reject(reason, "dump buffer line: bad ref_count");
	ev->has_pid = true;
	ev->kind = LC_SEV_DUMP_BUFFER;
	return LC_LINE_RECOGNIZED;
}

/* "NAME: %zu buffers, %g MB total" (two-space indent, inside a dump) */
static bool parse_dump_type(struct lc_scan c, struct lc_sevent *ev)
{
	if (!lc_scan_name(&c, &ev->type) || !LC_SCAN_LIT(&c, ": ") || lc_scan_u64(&c, &ev->value) != 1 ||
	    !LC_SCAN_LIT(&c, " buffers, ") || !lc_scan_float(&c, &ev->num1) || !LC_SCAN_LIT(&c, " MB total") ||
	    !lc_scan_at_end(&c))
		return false;
	ev->kind = LC_SEV_DUMP_TYPE;
	return true;
}

/* "Device %d:" alone on its line (stats or dump). 1 yes, 0 not this shape, -1 bad number. */
static int parse_device_colon(struct lc_scan c, struct lc_sevent *ev)
{
	int rc = lc_scan_i32(&c, &ev->device);
	if (rc == 0)
		return 0;
	if (!LC_SCAN_LIT(&c, ":") || !lc_scan_at_end(&c))
		return 0;
	if (rc < 0)
		return -1;
	ev->has_device = true;
	return 1;
}

/* Removes ANSI escape sequences (ESC [ params final) into the scratch buffer. */
struct lc_span lc_sparser_strip_ansi(struct lc_sparser *sp, struct lc_span line)
{
	lc_buf_reset(&sp->scratch);
	const char *p = line.p, *e = line.p + line.n;
	while (p < e) {
		const char *esc = memchr(p, 0x1b, (size_t)(e - p));
		if (!esc) {
			lc_buf_add(&sp->scratch, p, (size_t)(e - p));
			break;
		}
		lc_buf_add(&sp->scratch, p, (size_t)(esc - p));
		p = esc + 1;
		if (p < e && *p == '[') {
			p++;
			while (p < e && ((*p >= '0' && *p <= '9') || *p == ';' || *p == '?'))
				p++;
			if (p < e && *p >= 0x40 && *p <= 0x7e)
				p++;
		}
	}
	return (struct lc_span){ sp->scratch.p ? sp->scratch.p : "", sp->scratch.n };
}

enum lc_line_class lc_sparser_line(struct lc_sparser *sp, struct lc_span line, struct lc_sevent *ev,
				   const char **reason)
{
	memset(ev, 0, sizeof *ev);
	*reason = NULL;
	if (line.n && memchr(line.p, 0x1b, line.n))
		line = lc_sparser_strip_ansi(sp, line);

	struct lc_scan c = { line.p, line.p + line.n };
	/* `grep -n` prefix */
	const char *q = c.p;
	while (q < c.e && lc_scan_digit(*q))
		q++;
	if (q > c.p && q < c.e && *q == ':')
		c.p = q + 1;

	int ind = 0;
	while (c.p < c.e && *c.p == ' ') {
		c.p++;
		ind++;
	}
	const char *g = c.p;
	while (c.p < c.e && ((unsigned char)*c.p >= 0x80 || *c.p == ' ' || *c.p == '?'))
		c.p++;
	bool glyph = c.p > g;
	ev->kind = LC_SEV_NONE;

	if (c.p == c.e) { /* blank line, or a border made only of glyphs (UTF-8, mojibake included) */
		for (const char *u = g; u < c.e;) {
			size_t len = lc_utf8_seq((const unsigned char *)u, (size_t)(c.e - u));
			if (!len)
				return LC_LINE_FOREIGN; /* bytes that are not text at all */
			u += len;
		}
		return LC_LINE_RECOGNIZED;
	}

	switch (*c.p) {
	case '[':
		if (LC_SCAN_LIT(&c, "[PID "))
			return parse_pid_line(&c, ev, reason);
		if (LC_SCAN_LIT(&c, "[CB_ALLOC] "))
			return parse_cb_kernel(&c, ev, LC_SEV_CB_ALLOC, reason);
		if (LC_SCAN_LIT(&c, "[CB_FREE] "))
			return parse_cb_kernel(&c, ev, LC_SEV_CB_FREE, reason);
		if (LC_SCAN_LIT(&c, "[KERNEL_LOAD] "))
			return parse_cb_kernel(&c, ev, LC_SEV_KERNEL_LOAD, reason);
		if (LC_SCAN_LIT(&c, "[KERNEL_UNLOAD] "))
			return parse_cb_kernel(&c, ev, LC_SEV_KERNEL_UNLOAD, reason);
		if (LC_SCAN_STARTS(&c, "[PID") || LC_SCAN_STARTS(&c, "[CB_") || LC_SCAN_STARTS(&c, "[KERNEL_"))
			return lc_scan_reject(reason, "garbled [PID/[CB_/[KERNEL_ line");
		return LC_LINE_FOREIGN;
	case 'A':
		if (LC_SCAN_STARTS(&c, "Allocation Server started")) {
			ev->kind = LC_SEV_BANNER;
			return LC_LINE_RECOGNIZED;
		}
		if (ind == 2 && LC_SCAN_LIT(&c, "Active allocations: ")) {
			return parse_count_line(&c, ev, LC_SEV_STATS_ACTIVE, "statistics line: bad active allocation count", reason);
		}
		if (LC_SCAN_STARTS(&c, "Allocation Server stopped") || LC_SCAN_STARTS(&c, "Accept failed") ||
		    (ind == 0 && LC_SCAN_STARTS(&c, "Arch: ")) || LC_SCAN_STARTS(&c, "ALLOC size=") || LC_SCAN_STARTS(&c, "Age: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'B':
		if (LC_SCAN_STARTS(&c, "Background cleanup thread "))
			return LC_LINE_RECOGNIZED;
		if (ind == 4 && LC_SCAN_LIT(&c, "Buffers: ")) {
			return parse_count_line(&c, ev, LC_SEV_STATS_BUFFERS, "statistics line: bad buffer count", reason);
		}
		if (ind == 0 && LC_SCAN_STARTS(&c, "Buffer 0x"))
			return LC_LINE_RECOGNIZED; /* enhanced double-free report */
		break;
	case 'C':
		if (LC_SCAN_STARTS(&c, "Current Statistics:")) {
			ev->kind = LC_SEV_STATS_BEGIN;
			return LC_LINE_RECOGNIZED;
		}
		break;
	case 'D':
		if (LC_SCAN_LIT(&c, "Device detection (")) {
			ev->kind = LC_SEV_DETECT;
			ev->version = LC_SCAN_STARTS(&c, "using UMD") ? 5 : LC_SCAN_STARTS(&c, "all chips") ? 6 : 2;
			return LC_LINE_RECOGNIZED;
		}
		if (LC_SCAN_STARTS(&c, "Device ") && (ind == 0 || ind == 2)) {
			struct lc_scan t = c;
			t.p += 7;
			int rc = parse_device_colon(t, ev);
			if (rc < 0)
				return lc_scan_reject(reason, "device line: device wider than 32 bits");
			if (rc > 0) {
				ev->kind = ind == 2 ? LC_SEV_STATS_DEVICE : LC_SEV_DUMP_DEVICE;
				return LC_LINE_RECOGNIZED;
			}
			if (glyph) {
				int32_t d;
				if (lc_scan_i32(&t, &d) > 0 && LC_SCAN_STARTS(&t, " - Total: "))
					return LC_LINE_RECOGNIZED; /* kernel dump */
			}
			break;
		}
		if (ind == 3 && LC_SCAN_STARTS(&c, "Device "))
			return LC_LINE_RECOGNIZED; /* detection */
		if (LC_SCAN_STARTS(&c, "Detected dead processes")) {
			ev->kind = LC_SEV_CLEANUP_BEGIN;
			return LC_LINE_RECOGNIZED;
		}
		if (ind == 4 && LC_SCAN_LIT(&c, "DRAM: "))
			return parse_stats_bytes(&c, ev, 0, reason);
		if (LC_SCAN_STARTS(&c, "DUMP_REMAINING complete.")) {
			ev->kind = LC_SEV_DUMP_COMPLETE;
			return LC_LINE_RECOGNIZED;
		}
		if ((ind == 0 && LC_SCAN_STARTS(&c, "DRAM size per channel: ")) || LC_SCAN_STARTS(&c, "DUMP_KERNELS complete.") ||
		    LC_SCAN_STARTS(&c, "DETAILED KERNEL ALLOCATIONS") || LC_SCAN_STARTS(&c, "DOUBLE-FREED BUFFERS"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'E':
		if (LC_SCAN_STARTS(&c, "Enhanced Allocation Server started")) {
			ev->kind = LC_SEV_BANNER;
			ev->enh = true;
			return LC_LINE_RECOGNIZED;
		}
		if (LC_SCAN_STARTS(&c, "Error: ") || LC_SCAN_STARTS(&c, "Error during device detection"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'F':
		if (LC_SCAN_STARTS(&c, "Final Statistics:")) {
			ev->kind = LC_SEV_STATS_BEGIN;
			return LC_LINE_RECOGNIZED;
		}
		if (LC_SCAN_STARTS(&c, "FREE size=") || LC_SCAN_STARTS(&c, "Failed to initialize cluster"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'G':
		if (ind == 0 && LC_SCAN_STARTS(&c, "Grid size: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'H':
		if (LC_SCAN_STARTS(&c, "History (allocs=") || LC_SCAN_STARTS(&c, "History:") || LC_SCAN_STARTS(&c, "However, found "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'I':
		if (LC_SCAN_STARTS(&c, "Invalid ") || (ind == 0 && LC_SCAN_STARTS(&c, "Is remote: ")))
			return LC_LINE_RECOGNIZED;
		break;
	case 'K':
		if (LC_SCAN_STARTS(&c, "Kernel ID: 0x"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'L':
		if (ind == 4 && LC_SCAN_LIT(&c, "L1: "))
			return parse_stats_bytes(&c, ev, 1, reason);
		if (LC_SCAN_STARTS(&c, "Listening on: ") || (ind == 0 && LC_SCAN_STARTS(&c, "L1 size per core: ")) ||
		    LC_SCAN_STARTS(&c, "Last 5 events for this buffer:"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'N':
		if (LC_SCAN_STARTS(&c, "No buffers remaining - perfect cleanup!")) {
			ev->kind = LC_SEV_DUMP_EMPTY;
			return LC_LINE_RECOGNIZED;
		}
		if (LC_SCAN_STARTS(&c, "No PCIe devices detected") || LC_SCAN_STARTS(&c, "No devices detected") ||
		    (ind == 0 && LC_SCAN_STARTS(&c, "Number of DRAM channels: ")) || LC_SCAN_STARTS(&c, "Note: Remote chip specs"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'O':
		if (LC_SCAN_STARTS(&c, "Owner PID: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'P':
		if (ind == 3 && LC_SCAN_LIT(&c, "PID ")) {
			int rc = lc_scan_i32(&c, &ev->pid);
			if (rc <= 0 || !LC_SCAN_LIT(&c, " is dead, removing its buffers...") || !lc_scan_at_end(&c))
				return lc_scan_reject(reason, "cleanup line: bad PID");
			ev->has_pid = true;
			ev->kind = LC_SEV_CLEANUP_PID;
			return LC_LINE_RECOGNIZED;
		}
		if (LC_SCAN_STARTS(&c, "Press Ctrl+C to stop"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'R':
		if (LC_SCAN_LIT(&c, "REMAINING ALLOCATED BUFFERS")) {
			if (!LC_SCAN_STARTS(&c, " (DETAILED)"))
				ev->kind = LC_SEV_DUMP_TITLE;
			return LC_LINE_RECOGNIZED;
		}
		if (LC_SCAN_STARTS(&c, "Received DUMP_REMAINING request")) {
			ev->kind = LC_SEV_DUMP_RECEIVED;
			return LC_LINE_RECOGNIZED;
		}
		if (glyph && ind == 3 && LC_SCAN_LIT(&c, "Removed "))
			return parse_removed(&c, ev, reason);
		if (LC_SCAN_STARTS(&c, "REUSE size="))
			return LC_LINE_RECOGNIZED;
		break;
	case 'S':
		if (LC_SCAN_STARTS(&c, "Size: ") || LC_SCAN_STARTS(&c, "Server will track allocations"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'T':
		if (LC_SCAN_LIT(&c, "Total tracked allocations: ")) {
			return parse_count_line(&c, ev, LC_SEV_DUMP_TRACKED, "dump line: bad tracked allocation count", reason);
		}
		if (LC_SCAN_LIT(&c, "Total remaining buffers: ")) {
			return parse_count_line(&c, ev, LC_SEV_DUMP_TOTAL, "dump line: bad remaining buffer count", reason);
		}
		if (ind == 4 && LC_SCAN_LIT(&c, "Total: "))
			return parse_stats_bytes(&c, ev, 2, reason);
		if (LC_SCAN_STARTS(&c, "Total: ") || LC_SCAN_STARTS(&c, "Total kernel allocations: ") ||
		    LC_SCAN_STARTS(&c, "Total allocs: ") || LC_SCAN_STARTS(&c, "Too many consecutive errors") ||
		    LC_SCAN_STARTS(&c, "Topology: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'U':
		if (LC_SCAN_STARTS(&c, "Unknown message type: ") || LC_SCAN_STARTS(&c, "Usage: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'W':
		if (LC_SCAN_LIT(&c, "Warning: Deallocation for unknown buffer ")) {
			int rc = scan_buffer_id(&c, ev);
			if (rc <= 0 || !lc_scan_at_end(&c))
				return lc_scan_reject(reason, "unknown-free line: bad buffer id");
			ev->kind = LC_SEV_UNKNOWN_FREE;
			return LC_LINE_RECOGNIZED;
		}
		if (ind == 3 && LC_SCAN_STARTS(&c, "Warning: "))
			return LC_LINE_RECOGNIZED;
		break;
	case '-':
		if (ind == 4 && LC_SCAN_LIT(&c, "- Buffer "))
			return parse_dump_buffer(&c, ev, reason);
		break;
	default:
		break;
	}
	if (ind == 2 && !glyph && parse_dump_type(c, ev))
		return LC_LINE_RECOGNIZED;
	return LC_LINE_FOREIGN;
}

unsigned lc_server_log_sniff(struct lc_span head)
{
	static const char *const anchors[] = {
		"] Allocated ", "] Freed buffer ", "] Deallocation for ", "Allocation Server started",
		"Current Statistics:", "REMAINING ALLOCATED BUFFERS", "[CB_ALLOC]", "[KERNEL_LOAD]",
		"Device detection (", "is dead, removing its buffers",
	};
	return lc_count_anchors(head, anchors, sizeof anchors / sizeof anchors[0]);
}
