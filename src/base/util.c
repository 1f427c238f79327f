// SPDX-License-Identifier: MIT
// Shared helpers: allocation with a single out-of-memory policy, diagnostics, byte buffers.
#include "lc/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void lc_oom(void)
{
	fputs("tt-leakcorr: out of memory\n", stderr);
	abort();
}

void *lc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		lc_oom();
	return p;
}

void *lc_xcalloc(size_t count, size_t n)
{
	void *p = calloc(count ? count : 1, n ? n : 1);
	if (!p)
		lc_oom();
	return p;
}

void *lc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		lc_oom();
	return q;
}

char *lc_xstrndup(const char *s, size_t n)
{
	char *p = lc_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *lc_xmemdup(const void *p, size_t n)
{
	void *q = lc_xmalloc(n);
	if (n)
		memcpy(q, p, n);
	return q;
}

void lc_grow(void **arr, size_t *cap, size_t need, size_t elsz)
{
	if (need <= *cap)
		return;
	size_t nc = *cap ? *cap : 8;
	while (nc < need) {
		if (nc > SIZE_MAX / 2 / elsz)
			lc_oom();
		nc *= 2;
	}
	*arr = lc_xrealloc(*arr, nc * elsz);
	*cap = nc;
}

static void vreport(const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	fprintf(stderr, "tt-leakcorr: %s\n", msg);
}

int lc_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return -1;
}

void lc_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

void lc_buf_add(struct lc_buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 64;
		while (nc < b->n + n + 1)
			nc *= 2;
		b->p = lc_xrealloc(b->p, nc);
		b->cap = nc;
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void lc_buf_addc(struct lc_buf *b, char c)
{
	lc_buf_add(b, &c, 1);
}

void lc_buf_adds(struct lc_buf *b, const char *s)
{
	lc_buf_add(b, s, strlen(s));
}

void lc_buf_printf(struct lc_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		lc_buf_add(b, tmp, (size_t)n);
		return;
	}
	char *big = lc_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	lc_buf_add(b, big, (size_t)n);
	free(big);
}

char *lc_note_vformat(const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	return lc_xstrndup(msg, strlen(msg));
}

void lc_buf_reset(struct lc_buf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = '\0';
}

void lc_buf_release(struct lc_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

char *lc_human_bytes(uint64_t bytes, char *buf, size_t bufsz)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	if (bytes < 1024) {
		snprintf(buf, bufsz, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	double v = (double)bytes;
	int u = -1;
	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, bufsz, "%.1f %s", v, units[u]);
	return buf;
}

int lc_parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return -1;
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int lc_parse_u64_any(const char *s, uint64_t *out)
{
	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return lc_parse_u64(s, out);
	uint64_t v = 0;
	const char *p = s + 2;
	if (!*p)
		return -1;
	for (; *p; p++) {
		char ch = *p;
		int d = ch >= '0' && ch <= '9' ? ch - '0'
		      : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
		      : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
		if (d < 0 || v >> 60)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

int lc_parse_size(const char *s, uint64_t *out)
{
	static const struct { const char *name; uint64_t mul; } units[] = {
		{ "", 1 }, { "KiB", 1ull << 10 }, { "MiB", 1ull << 20 }, { "GiB", 1ull << 30 },
	};
	if (!s)
		return -1;
	const char *p = s;
	uint64_t v = 0;
	while (*p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		p++;
	}
	if (p == s)
		return -1;
	while (*p == ' ')
		p++;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(p, units[i].name) == 0) {
			if (v > UINT64_MAX / units[i].mul)
				return -1;
			*out = v * units[i].mul;
			return 0;
		}
	return -1;
}

const char *lc_find(struct lc_span hay, const char *needle, size_t n)
{
	if (n == 0)
		return hay.p;
	const char *p = hay.p, *e = hay.p + hay.n;
	while ((size_t)(e - p) >= n) {
		p = memchr(p, needle[0], (size_t)(e - p) - n + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

unsigned lc_count_anchors(struct lc_span head, const char *const *anchors, size_t nanchors)
{
	unsigned score = 0;
	for (size_t i = 0; i < nanchors; i++) {
		size_t n = strlen(anchors[i]);
		struct lc_span rest = head;
		const char *hit;
		while ((hit = lc_find(rest, anchors[i], n)) != NULL) {
			score++;
			rest.n -= (size_t)(hit + n - rest.p);
			rest.p = hit + n;
		}
	}
	return score;
}

size_t lc_utf8_seq(const unsigned char *s, size_t avail)
{
	if (!avail)
		return 0;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t len = 0;
	unsigned min = 0, cp = 0;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	}
	if (!len || avail < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void swap_bytes(char *a, char *b, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		char t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

static void sift_down(char *base, size_t root, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void lc_sort_inplace(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	if (n < 2)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(b, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap_bytes(b, b + end * size, size);
		sift_down(b, 0, end, size, cmp);
	}
}

bool lc_span_trivial(struct lc_span line)
{
	/* ASCII bytes that prove nothing: white space and border characters (any non-ASCII byte too). */
	static const bool trivial[128] = {
		['\t'] = 1, ['\r'] = 1, [' '] = 1, ['='] = 1, ['-'] = 1, ['_'] = 1, ['*'] = 1, ['#'] = 1, ['~'] = 1,
		['.'] = 1, ['|'] = 1,
	};
	for (size_t i = 0; i < line.n; i++) {
		unsigned char c = (unsigned char)line.p[i];
		if (c < 0x80 && !trivial[c])
			return false;
	}
	return true;
}
