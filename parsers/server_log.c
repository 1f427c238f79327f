// SPDX-License-Identifier: MIT
// Allocation-server log parser: hand scanners on the ASCII anchors of FORMATS.md 1.17.
#include "lc/server_log.h"

#include <stdlib.h>
#include <string.h>

struct lc_sparser {
	struct lc_buf scratch; /* a line with its ANSI escapes removed */
	struct lc_buf rest;    /* a cut line without its fragments (lc_sparser_cut) */
	struct lc_buf join;    /* the rest of a cut line and the next line, joined */
};

struct cur {
	const char *p, *e;
};

/* The scanners run for every line: inlined, so constant anchors compare without a call. */
#define LC_HOT __attribute__((always_inline))

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

/*
 * Equality of n bytes, n a constant after inlining: 8, 4, 2 and 1-byte loads the compiler folds
 * against the literal, where memcmp would be a library call for anything over 3 bytes.
 */
static inline LC_HOT bool same(const char *p, const char *s, size_t n)
{
	uint64_t diff = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;
		memcpy(&x, p + i, 8);
		memcpy(&y, s + i, 8);
		diff |= x ^ y;
	}
	if (i + 4 <= n) {
		uint32_t x, y;
		memcpy(&x, p + i, 4);
		memcpy(&y, s + i, 4);
		diff |= x ^ y;
		i += 4;
	}
	if (i + 2 <= n) {
		uint16_t x, y;
		memcpy(&x, p + i, 2);
		memcpy(&y, s + i, 2);
		diff |= (uint16_t)(x ^ y);
		i += 2;
	}
	if (i < n)
		diff |= (unsigned char)(p[i] ^ s[i]);
	return diff == 0;
}

static inline LC_HOT bool lit(struct cur *c, const char *s, size_t n)
{
	if ((size_t)(c->e - c->p) >= n && same(c->p, s, n)) {
		c->p += n;
		return true;
	}
	return false;
}
#define LIT(c, s) lit((c), (s), sizeof(s) - 1)

static inline LC_HOT bool starts(const struct cur *c, const char *s, size_t n)
{
	return (size_t)(c->e - c->p) >= n && same(c->p, s, n);
}
#define STARTS(c, s) starts((c), (s), sizeof(s) - 1)

static inline LC_HOT bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Number scanners: 1 parsed, 0 no number here, -1 too wide for its type. */
static inline LC_HOT int scan_u64(struct cur *c, uint64_t *out)
{
	const char *p = c->p;
	uint64_t v = 0;
	/* Up to 19 digits cannot pass 2^64-1; only longer numbers are checked digit by digit. */
	const char *safe = c->e - p > 19 ? p + 19 : c->e;
	while (p < safe && is_digit(*p))
		v = v * 10 + (unsigned)(*p++ - '0');
	bool wide = false;
	while (p < c->e && is_digit(*p)) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			wide = true;
		v = v * 10 + d;
		p++;
	}
	if (p == c->p)
		return 0;
	c->p = p;
	*out = v;
	return wide ? -1 : 1;
}

static inline LC_HOT int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static inline LC_HOT int scan_hex(struct cur *c, uint64_t *out)
{
	const char *p = c->p;
	uint64_t v = 0;
	bool wide = false;
	int d;
	while (p < c->e && (d = hexval(*p)) >= 0) {
		if (v >> 60)
			wide = true;
		v = (v << 4) | (uint64_t)d;
		p++;
	}
	if (p == c->p)
		return 0;
	c->p = p;
	*out = v;
	return wide ? -1 : 1;
}

/* A buffer id: "0x" + hex or plain decimal, decided per line. */
static inline LC_HOT int scan_id(struct cur *c, uint64_t *out)
{
	if (LIT(c, "0x"))
		return scan_hex(c, out);
	return scan_u64(c, out);
}

static inline LC_HOT int scan_i32(struct cur *c, int32_t *out)
{
	const char *start = c->p;
	bool neg = c->p < c->e && *c->p == '-';
	c->p += neg;
	uint64_t v;
	int rc = scan_u64(c, &v);
	if (rc == 0) {
		c->p = start;
		return 0;
	}
	if (rc < 0 || v > (neg ? 2147483648u : 2147483647u))
		return -1;
	*out = neg ? (int32_t)(-(int64_t)v) : (int32_t)v;
	return 1;
}

/* A %g figure as printed: digits, '.', exponent, sign; also inf/nan. */
static bool scan_g(struct cur *c, struct lc_span *out)
{
	const char *p = c->p;
	if (p < c->e && (*p == '-' || *p == '+'))
		p++;
	const char *d = p;
	if ((size_t)(c->e - p) >= 3 && (memcmp(p, "inf", 3) == 0 || memcmp(p, "nan", 3) == 0)) {
		p += 3;
	} else {
		while (p < c->e && (is_digit(*p) || *p == '.'))
			p++;
		if (p == d || (!is_digit(*d) && !(p - d > 1 && is_digit(d[1]))))
			return false;
		if (p < c->e && (*p == 'e' || *p == 'E')) {
			const char *q = p + 1;
			if (q < c->e && (*q == '+' || *q == '-'))
				q++;
			if (q < c->e && is_digit(*q)) {
				while (q < c->e && is_digit(*q))
					q++;
				p = q;
			}
		}
	}
	out->p = c->p;
	out->n = (size_t)(p - c->p);
	c->p = p;
	return true;
}

static inline LC_HOT bool scan_name(struct cur *c, struct lc_span *out)
{
	const char *p = c->p;
	while (p < c->e && (is_digit(*p) || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
		p++;
	if (p == c->p)
		return false;
	out->p = c->p;
	out->n = (size_t)(p - c->p);
	c->p = p;
	return true;
}

static inline LC_HOT bool at_end(struct cur *c)
{
	while (c->p < c->e && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
	return c->p == c->e;
}

#define MALFORMED(why)                 \
	do {                           \
		*reason = (why);       \
		return LC_LINE_MALFORMED; \
	} while (0)

static const char *num_reason(int rc, const char *what_bad, const char *what_wide)
{
	return rc < 0 ? what_wide : what_bad;
}

/* Shared tail of alloc and free: " on device %d". */
static inline LC_HOT int scan_on_device(struct cur *c, struct lc_sevent *ev)
{
	if (!LIT(c, " on device "))
		return 0;
	int rc = scan_i32(c, &ev->device);
	if (rc <= 0)
		return rc < 0 ? -1 : 0;
	ev->has_device = true;
	return 1;
}

static enum lc_line_class parse_alloc(struct cur *c, struct lc_sevent *ev, const char **reason)
{
	int rc;
	if ((rc = scan_u64(c, &ev->size)) <= 0)
		MALFORMED(num_reason(rc, "alloc line: bad size", "alloc line: size wider than 64 bits"));
	if (!LIT(c, " bytes of ") || !scan_name(c, &ev->type))
		MALFORMED("alloc line: cut short or garbled before the type");
	if ((rc = scan_on_device(c, ev)) <= 0)
		MALFORMED(rc < 0 ? "alloc line: device wider than 32 bits" : "alloc line: cut short or garbled before the device");
	if (!LIT(c, " (buffer_id="))
		MALFORMED("alloc line: cut short or garbled before buffer_id");
	if ((rc = scan_id(c, &ev->id)) <= 0)
		MALFORMED(num_reason(rc, "alloc line: bad buffer_id", "alloc line: buffer_id wider than 64 bits"));
	ev->ref_count = 0;
	if (LIT(c, ", ref_count=")) {
		if ((rc = scan_i32(c, &ev->ref_count)) <= 0)
			MALFORMED(num_reason(rc, "alloc line: bad ref_count", "alloc line: ref_count wider than 32 bits"));
		if (ev->ref_count < 2)
			MALFORMED("alloc line: ref_count below 2");
	}
	if (!LIT(c, ")") || !at_end(c))
		MALFORMED("alloc line: cut short or trailing garbage");
	ev->kind = LC_SEV_ALLOC;
	return LC_LINE_RECOGNIZED;
}

static enum lc_line_class parse_free(struct cur *c, struct lc_sevent *ev, const char **reason)
{
	int rc;
	if ((rc = scan_id(c, &ev->id)) <= 0)
		MALFORMED(num_reason(rc, "free line: bad buffer id", "free line: buffer id wider than 64 bits"));
	if ((rc = scan_on_device(c, ev)) <= 0)
		MALFORMED(rc < 0 ? "free line: device wider than 32 bits" : "free line: cut short or garbled before the device");
	if (!LIT(c, " ("))
		MALFORMED("free line: cut short after the device");
	if ((rc = scan_u64(c, &ev->size)) <= 0)
		MALFORMED(num_reason(rc, "free line: bad size", "free line: size wider than 64 bits"));
	ev->has_bytes = true;
	if (!LIT(c, " bytes"))
		MALFORMED("free line: cut short after the size");
	if (LIT(c, ", FINAL)")) {
		ev->final = true;
	} else if (LIT(c, ", ref_count=")) {
		if ((rc = scan_i32(c, &ev->ref_count)) <= 0)
			MALFORMED(num_reason(rc, "free line: bad ref_count", "free line: ref_count wider than 32 bits"));
		if (ev->ref_count < 1)
			MALFORMED("free line: remaining ref_count below 1");
		if (!LIT(c, " remaining)"))
			MALFORMED("free line: cut short after ref_count");
	} else if (LIT(c, ")")) {
		ev->final = true; /* doc-only form without a suffix */
	} else {
		MALFORMED("free line: cut short or garbled suffix");
	}
	if (!at_end(c))
		MALFORMED("free line: trailing garbage");
	ev->kind = LC_SEV_FREE;
	return LC_LINE_RECOGNIZED;
}

static enum lc_line_class parse_unknown(struct cur *c, struct lc_sevent *ev, const char **reason)
{
	int rc;
	if ((rc = scan_id(c, &ev->id)) <= 0)
		MALFORMED(num_reason(rc, "unknown-free line: bad buffer id", "unknown-free line: buffer id wider than 64 bits"));
	if ((rc = scan_on_device(c, ev)) <= 0)
		MALFORMED(rc < 0 ? "unknown-free line: device wider than 32 bits" : "unknown-free line: cut short before the device");
	if (!LIT(c, " (") || c->e == c->p || c->e[-1] != ')')
		MALFORMED("unknown-free line: cut short after the device");
	ev->kind = LC_SEV_UNKNOWN_FREE;
	return LC_LINE_RECOGNIZED;
}

static enum lc_line_class parse_pid_line(struct cur *c, struct lc_sevent *ev, const char **reason)
{
	int rc = scan_i32(c, &ev->pid);
	if (rc <= 0)
		MALFORMED(num_reason(rc, "[PID line: bad PID", "[PID line: PID wider than 32 bits"));
	ev->has_pid = true;
	if (!LIT(c, "] "))
		MALFORMED("[PID line: cut short after the PID");
	if (LIT(c, "Allocated "))
		return parse_alloc(c, ev, reason);
	if (LIT(c, "Freed buffer "))
		return parse_free(c, ev, reason);
	if (LIT(c, "Deallocation for unknown buffer ") || LIT(c, "Deallocation for ALREADY FREED buffer "))
		return parse_unknown(c, ev, reason);
	if (LIT(c, "Buffer reused with DIFFERENT size: ")) {
		ev->kind = LC_SEV_REUSE_SIZE;
		return LC_LINE_RECOGNIZED;
	}
	if (STARTS(c, "Invalid buffer_type "))
		return LC_LINE_RECOGNIZED;
	MALFORMED("[PID line: unknown or garbled message");
}

/* "[CB_ALLOC] Device %d: +%g MB (Total: %g MB)" and the kernel forms. */
static enum lc_line_class parse_cb_kernel(struct cur *c, struct lc_sevent *ev, enum lc_sev_kind kind,
					  const char **reason)
{
	if (kind == LC_SEV_KERNEL_LOAD || kind == LC_SEV_KERNEL_UNLOAD) {
		/* optional "%s kernel on " before "Device" */
		struct lc_span word;
		struct cur t = *c;
		if (scan_name(&t, &word) && LIT(&t, " kernel on "))
			*c = t;
	}
	int rc;
	if (!LIT(c, "Device "))
		MALFORMED("CB/kernel line: cut short before the device");
	if ((rc = scan_i32(c, &ev->device)) <= 0)
		MALFORMED(num_reason(rc, "CB/kernel line: bad device", "CB/kernel line: device wider than 32 bits"));
	ev->has_device = true;
	if (!LIT(c, ": ") || !scan_g(c, &ev->num1) || !LIT(c, " MB (Total: ") || !scan_g(c, &ev->num2) ||
	    !LIT(c, " MB)") || !at_end(c))
		MALFORMED("CB/kernel line: cut short or garbled figures");
	ev->kind = kind;
	return LC_LINE_RECOGNIZED;
}

/* Stats byte lines: "%llu bytes (%g KB)" (V1-V6), "%llu bytes" (Total), "%g KB" (enhanced). */
static enum lc_line_class parse_stats_bytes(struct cur *c, struct lc_sevent *ev, int which, const char **reason)
{
	struct cur t = *c;
	uint64_t v;
	int rc = scan_u64(&t, &v);
	ev->which = which;
	ev->kind = LC_SEV_STATS_BYTES;
	if (rc != 0 && LIT(&t, " bytes")) {
		if (rc < 0)
			MALFORMED("statistics line: byte count wider than 64 bits");
		ev->size = v;
		ev->has_bytes = true;
		if (LIT(&t, " (")) {
			if (!scan_g(&t, &ev->num1) || !LIT(&t, " KB)"))
				MALFORMED("statistics line: garbled KB figure");
		}
		if (!at_end(&t))
			MALFORMED("statistics line: trailing garbage");
		return LC_LINE_RECOGNIZED;
	}
	if (scan_g(c, &ev->num1) && LIT(c, " KB") && at_end(c))
		return LC_LINE_RECOGNIZED;
	MALFORMED("statistics line: bad byte figure");
}

/* A count alone after its label ("Buffers: 150"); bad is the reason when it does not parse. */
static enum lc_line_class parse_count_line(struct cur *c, struct lc_sevent *ev, enum lc_sev_kind kind,
					   const char *bad, const char **reason)
{
	int rc = scan_u64(c, &ev->value);
	if (rc <= 0 || !at_end(c))
		MALFORMED(bad);
	ev->kind = kind;
	return LC_LINE_RECOGNIZED;
}

static enum lc_line_class parse_removed(struct cur *c, struct lc_sevent *ev, const char **reason)
{
	uint64_t n;
	int rc = scan_u64(c, &n); /* a count: never negative */
	if (rc <= 0)
		MALFORMED("cleanup line: bad count");
	if (LIT(c, " buffers ("))
		ev->which = 0;
	else if (LIT(c, " CBs ("))
		ev->which = 1;
	else if (LIT(c, " kernels ("))
		ev->which = 2;
	else
		MALFORMED("cleanup line: garbled");
	ev->value = n;
	if (!scan_g(c, &ev->num1) || !LIT(c, " MB) from PID "))
		MALFORMED("cleanup line: garbled MB figure");
	if ((rc = scan_i32(c, &ev->pid)) <= 0 || !at_end(c))
		MALFORMED("cleanup line: bad PID");
	ev->has_pid = true;
	ev->kind = LC_SEV_CLEANUP_REMOVED;
	return LC_LINE_RECOGNIZED;
}

/* "- Buffer 0x%llx: %g KB (PID %d, ref_count=%d)" */
static enum lc_line_class parse_dump_buffer(struct cur *c, struct lc_sevent *ev, const char **reason)
{
	int rc;
	if ((rc = scan_id(c, &ev->id)) <= 0)
		MALFORMED("dump buffer line: bad buffer id");
	if (!LIT(c, ": ") || !scan_g(c, &ev->num1) || !LIT(c, " KB (PID "))
		MALFORMED("dump buffer line: garbled size");
	if ((rc = scan_i32(c, &ev->pid)) <= 0 || !LIT(c, ", ref_count="))
		MALFORMED("dump buffer line: bad PID");
	if ((rc = scan_i32(c, &ev->ref_count)) <= 0 || ev->ref_count < 0 || !LIT(c, ")") || !at_end(c))
		MALFORMED("dump buffer line: bad ref_count");
	ev->has_pid = true;
	ev->kind = LC_SEV_DUMP_BUFFER;
	return LC_LINE_RECOGNIZED;
}

/* "NAME: %zu buffers, %g MB total" (two-space indent, inside a dump) */
static bool parse_dump_type(struct cur c, struct lc_sevent *ev)
{
	if (!scan_name(&c, &ev->type) || !LIT(&c, ": ") || scan_u64(&c, &ev->value) != 1 ||
	    !LIT(&c, " buffers, ") || !scan_g(&c, &ev->num1) || !LIT(&c, " MB total") || !at_end(&c))
		return false;
	ev->kind = LC_SEV_DUMP_TYPE;
	return true;
}

/* "Device %d:" alone on its line (stats or dump). 1 yes, 0 not this shape, -1 bad number. */
static int parse_device_colon(struct cur c, struct lc_sevent *ev)
{
	int rc = scan_i32(&c, &ev->device);
	if (rc == 0)
		return 0;
	if (!LIT(&c, ":") || !at_end(&c))
		return 0;
	if (rc < 0)
		return -1;
	ev->has_device = true;
	return 1;
}

/* Removes ANSI escape sequences (ESC [ params final) into the scratch buffer. */
static struct lc_span strip_ansi(struct lc_sparser *sp, struct lc_span line)
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
		line = strip_ansi(sp, line);

	struct cur c = { line.p, line.p + line.n };
	/* `grep -n` prefix */
	const char *q = c.p;
	while (q < c.e && is_digit(*q))
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
		if (LIT(&c, "[PID "))
			return parse_pid_line(&c, ev, reason);
		if (LIT(&c, "[CB_ALLOC] "))
			return parse_cb_kernel(&c, ev, LC_SEV_CB_ALLOC, reason);
		if (LIT(&c, "[CB_FREE] "))
			return parse_cb_kernel(&c, ev, LC_SEV_CB_FREE, reason);
		if (LIT(&c, "[KERNEL_LOAD] "))
			return parse_cb_kernel(&c, ev, LC_SEV_KERNEL_LOAD, reason);
		if (LIT(&c, "[KERNEL_UNLOAD] "))
			return parse_cb_kernel(&c, ev, LC_SEV_KERNEL_UNLOAD, reason);
		if (STARTS(&c, "[PID") || STARTS(&c, "[CB_") || STARTS(&c, "[KERNEL_"))
			MALFORMED("garbled [PID/[CB_/[KERNEL_ line");
		return LC_LINE_FOREIGN;
	case 'A':
		if (STARTS(&c, "Allocation Server started")) {
			ev->kind = LC_SEV_BANNER;
			return LC_LINE_RECOGNIZED;
		}
		if (ind == 2 && LIT(&c, "Active allocations: ")) {
			return parse_count_line(&c, ev, LC_SEV_STATS_ACTIVE, "statistics line: bad active allocation count", reason);
		}
		if (STARTS(&c, "Allocation Server stopped") || STARTS(&c, "Accept failed") ||
		    (ind == 0 && STARTS(&c, "Arch: ")) || STARTS(&c, "ALLOC size=") || STARTS(&c, "Age: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'B':
		if (STARTS(&c, "Background cleanup thread "))
			return LC_LINE_RECOGNIZED;
		if (ind == 4 && LIT(&c, "Buffers: ")) {
			return parse_count_line(&c, ev, LC_SEV_STATS_BUFFERS, "statistics line: bad buffer count", reason);
		}
		if (ind == 0 && STARTS(&c, "Buffer 0x"))
			return LC_LINE_RECOGNIZED; /* enhanced double-free report */
		break;
	case 'C':
		if (STARTS(&c, "Current Statistics:")) {
			ev->kind = LC_SEV_STATS_BEGIN;
			return LC_LINE_RECOGNIZED;
		}
		break;
	case 'D':
		if (LIT(&c, "Device detection (")) {
			ev->kind = LC_SEV_DETECT;
			ev->version = STARTS(&c, "using UMD") ? 5 : STARTS(&c, "all chips") ? 6 : 2;
			return LC_LINE_RECOGNIZED;
		}
		if (STARTS(&c, "Device ") && (ind == 0 || ind == 2)) {
			struct cur t = c;
			t.p += 7;
			int rc = parse_device_colon(t, ev);
			if (rc < 0)
				MALFORMED("device line: device wider than 32 bits");
			if (rc > 0) {
				ev->kind = ind == 2 ? LC_SEV_STATS_DEVICE : LC_SEV_DUMP_DEVICE;
				return LC_LINE_RECOGNIZED;
			}
			if (glyph) {
				int32_t d;
				if (scan_i32(&t, &d) > 0 && STARTS(&t, " - Total: "))
					return LC_LINE_RECOGNIZED; /* kernel dump */
			}
			break;
		}
		if (ind == 3 && STARTS(&c, "Device "))
			return LC_LINE_RECOGNIZED; /* detection */
		if (STARTS(&c, "Detected dead processes")) {
			ev->kind = LC_SEV_CLEANUP_BEGIN;
			return LC_LINE_RECOGNIZED;
		}
		if (ind == 4 && LIT(&c, "DRAM: "))
			return parse_stats_bytes(&c, ev, 0, reason);
		if (STARTS(&c, "DUMP_REMAINING complete.")) {
			ev->kind = LC_SEV_DUMP_COMPLETE;
			return LC_LINE_RECOGNIZED;
		}
		if ((ind == 0 && STARTS(&c, "DRAM size per channel: ")) || STARTS(&c, "DUMP_KERNELS complete.") ||
		    STARTS(&c, "DETAILED KERNEL ALLOCATIONS") || STARTS(&c, "DOUBLE-FREED BUFFERS"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'E':
		if (STARTS(&c, "Enhanced Allocation Server started")) {
			ev->kind = LC_SEV_BANNER;
			ev->enh = true;
			return LC_LINE_RECOGNIZED;
		}
		if (STARTS(&c, "Error: ") || STARTS(&c, "Error during device detection"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'F':
		if (STARTS(&c, "Final Statistics:")) {
			ev->kind = LC_SEV_STATS_BEGIN;
			return LC_LINE_RECOGNIZED;
		}
		if (STARTS(&c, "FREE size=") || STARTS(&c, "Failed to initialize cluster"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'G':
		if (ind == 0 && STARTS(&c, "Grid size: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'H':
		if (STARTS(&c, "History (allocs=") || STARTS(&c, "History:") || STARTS(&c, "However, found "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'I':
		if (STARTS(&c, "Invalid ") || (ind == 0 && STARTS(&c, "Is remote: ")))
			return LC_LINE_RECOGNIZED;
		break;
	case 'K':
		if (STARTS(&c, "Kernel ID: 0x"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'L':
		if (ind == 4 && LIT(&c, "L1: "))
			return parse_stats_bytes(&c, ev, 1, reason);
		if (STARTS(&c, "Listening on: ") || (ind == 0 && STARTS(&c, "L1 size per core: ")) ||
		    STARTS(&c, "Last 5 events for this buffer:"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'N':
		if (STARTS(&c, "No buffers remaining - perfect cleanup!")) {
			ev->kind = LC_SEV_DUMP_EMPTY;
			return LC_LINE_RECOGNIZED;
		}
		if (STARTS(&c, "No PCIe devices detected") || STARTS(&c, "No devices detected") ||
		    (ind == 0 && STARTS(&c, "Number of DRAM channels: ")) || STARTS(&c, "Note: Remote chip specs"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'O':
		if (STARTS(&c, "Owner PID: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'P':
		if (ind == 3 && LIT(&c, "PID ")) {
			int rc = scan_i32(&c, &ev->pid);
			if (rc <= 0 || !LIT(&c, " is dead, removing its buffers...") || !at_end(&c))
				MALFORMED("cleanup line: bad PID");
			ev->has_pid = true;
			ev->kind = LC_SEV_CLEANUP_PID;
			return LC_LINE_RECOGNIZED;
		}
		if (STARTS(&c, "Press Ctrl+C to stop"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'R':
		if (LIT(&c, "REMAINING ALLOCATED BUFFERS")) {
			if (!STARTS(&c, " (DETAILED)"))
				ev->kind = LC_SEV_DUMP_TITLE;
			return LC_LINE_RECOGNIZED;
		}
		if (STARTS(&c, "Received DUMP_REMAINING request")) {
			ev->kind = LC_SEV_DUMP_RECEIVED;
			return LC_LINE_RECOGNIZED;
		}
		if (glyph && ind == 3 && LIT(&c, "Removed "))
			return parse_removed(&c, ev, reason);
		if (STARTS(&c, "REUSE size="))
			return LC_LINE_RECOGNIZED;
		break;
	case 'S':
		if (STARTS(&c, "Size: ") || STARTS(&c, "Server will track allocations"))
			return LC_LINE_RECOGNIZED;
		break;
	case 'T':
		if (LIT(&c, "Total tracked allocations: ")) {
			return parse_count_line(&c, ev, LC_SEV_DUMP_TRACKED, "dump line: bad tracked allocation count", reason);
		}
		if (LIT(&c, "Total remaining buffers: ")) {
			return parse_count_line(&c, ev, LC_SEV_DUMP_TOTAL, "dump line: bad remaining buffer count", reason);
		}
		if (ind == 4 && LIT(&c, "Total: "))
			return parse_stats_bytes(&c, ev, 2, reason);
		if (STARTS(&c, "Total: ") || STARTS(&c, "Total kernel allocations: ") || STARTS(&c, "Total allocs: ") ||
		    STARTS(&c, "Too many consecutive errors") || STARTS(&c, "Topology: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'U':
		if (STARTS(&c, "Unknown message type: ") || STARTS(&c, "Usage: "))
			return LC_LINE_RECOGNIZED;
		break;
	case 'W':
		if (LIT(&c, "Warning: Deallocation for unknown buffer ")) {
			int rc = scan_id(&c, &ev->id);
			if (rc <= 0 || !at_end(&c))
				MALFORMED("unknown-free line: bad buffer id");
			ev->kind = LC_SEV_UNKNOWN_FREE;
			return LC_LINE_RECOGNIZED;
		}
		if (ind == 3 && STARTS(&c, "Warning: "))
			return LC_LINE_RECOGNIZED;
		break;
	case '-':
		if (ind == 4 && LIT(&c, "- Buffer "))
			return parse_dump_buffer(&c, ev, reason);
		break;
	default:
		break;
	}
	if (ind == 2 && !glyph && parse_dump_type(c, ev))
		return LC_LINE_RECOGNIZED;
	return LC_LINE_FOREIGN;
}

/* ---------- lines cut in two by the unlocked DUMP_REMAINING lines (FORMATS.md 1.1) ---------- */

/* 📋 as printed and in the mojibake forms of FORMATS.md 5.2 (Mac Roman with and without U+F8FF). */
static const struct {
	const char *b;
	size_t n;
} clip_forms[] = {
	{ "\xef\xa3\xbf\xc3\xbc\xc3\xac\xc3\xa3", 9 },
	{ "\xc3\xb0\xc5\xb8\xe2\x80\x9c\xe2\x80\xb9", 10 },
	{ "\xc3\xbc\xc3\xac\xc3\xa3", 6 },
	{ "\xf0\x9f\x93\x8b", 4 },
};

/* Where the glyph before a fragment starts: a known 📋 form, else a short run of non-ASCII bytes. */
static const char *clip_start(const char *lo, const char *text)
{
	if (text == lo || text[-1] != ' ')
		return text;
	const char *g = text - 1;
	for (size_t i = 0; i < sizeof clip_forms / sizeof clip_forms[0]; i++)
		if ((size_t)(g - lo) >= clip_forms[i].n && memcmp(g - clip_forms[i].n, clip_forms[i].b, clip_forms[i].n) == 0)
			return g - clip_forms[i].n;
	const char *q = g;
	while (q > lo && (unsigned char)q[-1] >= 0x80 && g - q < 16)
		q--;
	return q < g ? q : text;
}

/* Length of a `grep -n` prefix ("123:") at the start of s, 0 when there is none. */
static size_t grep_prefix(struct lc_span s)
{
	size_t i = 0;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	return i > 0 && i < s.n && s.p[i] == ':' ? i + 1 : 0;
}

bool lc_sparser_cut(struct lc_sparser *sp, struct lc_span line, struct lc_scut *cut)
{
	static const char anchor[] = "DUMP_REMAINING";
	const size_t an = sizeof anchor - 1;
	cut->nfrag = 0;
	if (!lc_find(line, anchor, an))
		return false;
	if (memchr(line.p, 0x1b, line.n))
		line = strip_ansi(sp, line);
	lc_buf_reset(&sp->rest);
	const char *cur = line.p, *e = line.p + line.n;
	const char *from = cur; /* where the anchor search goes on */
	while (cut->nfrag < LC_SPARSER_MAX_FRAGMENTS) {
		const char *hit = lc_find((struct lc_span){ from, (size_t)(e - from) }, anchor, an);
		if (!hit)
			break;
		struct cur c = { hit + an, e };
		const char *fs, *fe;
		enum lc_sev_kind kind;
		if (hit - cur >= 9 && memcmp(hit - 9, "Received ", 9) == 0 && LIT(&c, " request")) {
			for (int i = 0; i < 3 && c.p < e && *c.p == '.'; i++)
				c.p++;
			kind = LC_SEV_DUMP_RECEIVED;
			fs = hit - 9;
		} else if (LIT(&c, " complete.")) {
			kind = LC_SEV_DUMP_COMPLETE;
			fs = hit;
		} else {
			from = hit + an;
			continue;
		}
		fe = c.p;
		fs = clip_start(cur, fs);
		lc_buf_add(&sp->rest, cur, (size_t)(fs - cur));
		cut->frag[cut->nfrag++] = kind;
		cur = from = fe;
	}
	if (!cut->nfrag)
		return false;
	lc_buf_add(&sp->rest, cur, (size_t)(e - cur));
	struct lc_span r = { sp->rest.p ? sp->rest.p : "", sp->rest.n };
	while (r.n && r.p[r.n - 1] == '\r')
		r.n--;
	cut->rest = r;
	cut->grep_n = grep_prefix(r) > 0;
	/* blank besides the fragments (indentation, a grep -n prefix): a fragment line of its own */
	for (size_t i = grep_prefix(r); i < r.n; i++)
		if (r.p[i] != ' ' && r.p[i] != '\t')
			return true;
	return false;
}

/* What a line explains on its own: 2 a state line of ours, 1 a line of ours that changes nothing, 0 neither. */
static int line_worth(struct lc_sparser *sp, struct lc_span line, struct lc_sevent *ev)
{
	const char *reason;
	if (lc_sparser_line(sp, line, ev, &reason) != LC_LINE_RECOGNIZED)
		return 0;
	return ev->kind == LC_SEV_NONE ? 1 : 2;
}

bool lc_sparser_rejoin(struct lc_sparser *sp, const struct lc_scut *cut, struct lc_span next, struct lc_sevent *ev)
{
	if (cut->grep_n) {
		size_t k = grep_prefix(next);
		next.p += k;
		next.n -= k;
	}
	int wr = line_worth(sp, cut->rest, ev);
	int wn = line_worth(sp, next, ev);
	if (wn == 2)
		return false;
	lc_buf_reset(&sp->join);
	lc_buf_add(&sp->join, cut->rest.p, cut->rest.n);
	lc_buf_add(&sp->join, next.p, next.n);
	int wj = line_worth(sp, (struct lc_span){ sp->join.p ? sp->join.p : "", sp->join.n }, ev);
	if (wj == 0)
		return false;
	return wn == 0 ? wj >= wr : wj > wr + wn;
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
