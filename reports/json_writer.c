// SPDX-License-Identifier: MIT
// Streaming JSON writer with UTF-8 validation, used by every JSON-shaped report.
#include "lc/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * Reports run to tens of MB: one thread writes them, so the stdio calls skip their locks
 * (putc_unlocked is POSIX; fwrite_unlocked is in glibc and the BSDs).
 */
#define fputc putc_unlocked
#define fwrite fwrite_unlocked
#define fputs(s, f) fwrite((s), 1, strlen(s), (f))

static void put_u64(FILE *f, uint64_t v)
{
	char buf[24];
	char *p = buf + sizeof buf;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fwrite(p, 1, (size_t)(buf + sizeof buf - p), f);
}

void lc_json_init(struct lc_json *j, FILE *f)
{
	memset(j, 0, sizeof *j);
	j->f = f;
	j->first[0] = true;
}

void lc_json_capture(struct lc_json *j, lc_json_capture_fn fn, void *ctx)
{
	j->capture = fn;
	j->capture_ctx = ctx;
}

/* Names the value about to be written: its container's path, '.', then name. */
static void capture_name(struct lc_json *j, const char *name, size_t n)
{
	size_t base = j->plen[j->depth];
	size_t len = base + (base ? 1 : 0) + n;
	if (len >= LC_JSON_PATH_MAX) {
		j->clen = LC_JSON_PATH_MAX; /* too long: not handed */
		return;
	}
	if (base)
		j->path[base] = '.';
	memcpy(j->path + len - n, name, n);
	j->clen = len;
}

static void capture_value(struct lc_json *j, int64_t v)
{
	if (!j->capture || j->clen >= LC_JSON_PATH_MAX)
		return;
	j->path[j->clen] = '\0';
	j->capture(j->capture_ctx, j->path, v);
}

static void indent(struct lc_json *j)
{
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator and indentation before a value (or a key). */
static void pre_value(struct lc_json *j)
{
	if (j->capture && !j->after_key && j->depth > 0 && j->array[j->depth]) {
		char num[24];
		int n = snprintf(num, sizeof num, "%" PRIu64, j->index[j->depth]++);
		capture_name(j, num, (size_t)n);
	}
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (!j->first[j->depth])
		fputc(',', j->f);
	if (j->inline_arr[j->depth]) {
		if (!j->first[j->depth])
			fputc(' ', j->f);
	} else {
		indent(j);
	}
	j->first[j->depth] = false;
}

static void open_container(struct lc_json *j, char c, bool inl)
{
	pre_value(j);
	fputc(c, j->f);
	if (j->depth + 1 >= LC_JSON_MAX_DEPTH)
		return;
	j->depth++;
	j->first[j->depth] = true;
	j->inline_arr[j->depth] = inl;
	if (j->capture) {
		j->array[j->depth] = c == '[';
		j->index[j->depth] = 0;
		j->plen[j->depth] = j->depth > 1 ? j->clen : 0;
	}
}

static void close_container(struct lc_json *j, char c)
{
	bool empty = j->first[j->depth];
	bool inl = j->inline_arr[j->depth];
	j->depth--;
	if (!empty && !inl)
		indent(j);
	fputc(c, j->f);
}

void lc_json_begin_object(struct lc_json *j) { open_container(j, '{', false); }
void lc_json_end_object(struct lc_json *j) { close_container(j, '}'); }
void lc_json_begin_array(struct lc_json *j, bool inl) { open_container(j, '[', inl); }
void lc_json_end_array(struct lc_json *j) { close_container(j, ']'); }

static void put_string(FILE *f, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *e = s + n;
	fputc('"', f);
	while (s < e) {
		unsigned c = *s;
		if (c < 0x80) {
			if (c == '"' || c == '\\') {
				fputc('\\', f);
				fputc((int)c, f);
			} else if (c < 0x20 || c == 0x7f) {
				switch (c) {
				case '\n': fputs("\\n", f); break;
				case '\t': fputs("\\t", f); break;
				case '\r': fputs("\\r", f); break;
				default: fprintf(f, "\\u%04x", c); break;
				}
			} else {
				fputc((int)c, f);
			}
			s++;
			continue;
		}
		size_t len = lc_utf8_seq(s, (size_t)(e - s));
		if (len) {
			fwrite(s, 1, len, f);
			s += len;
		} else {
			fputs("\xef\xbf\xbd", f); /* U+FFFD for a byte that is not UTF-8 */
			s++;
		}
	}
	fputc('"', f);
}

void lc_json_key(struct lc_json *j, const char *key)
{
	pre_value(j);
	size_t n = strlen(key);
	put_string(j->f, key, n);
	fputs(": ", j->f);
	j->after_key = true;
	if (j->capture)
		capture_name(j, key, n);
}

void lc_json_str(struct lc_json *j, const char *p, size_t n)
{
	pre_value(j);
	put_string(j->f, p, n);
}

void lc_json_cstr(struct lc_json *j, const char *s)
{
	if (!s) {
		lc_json_null(j);
		return;
	}
	lc_json_str(j, s, strlen(s));
}

void lc_json_u64(struct lc_json *j, uint64_t v)
{
	pre_value(j);
	put_u64(j->f, v);
	capture_value(j, v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v);
}

void lc_json_i64(struct lc_json *j, int64_t v)
{
	pre_value(j);
	if (v < 0)
		fputc('-', j->f);
	put_u64(j->f, v < 0 ? -(uint64_t)v : (uint64_t)v);
	capture_value(j, v);
}

void lc_json_double(struct lc_json *j, double v)
{
	if (!isfinite(v)) {
		lc_json_null(j);
		return;
	}
	pre_value(j);
	char buf[64];
	snprintf(buf, sizeof buf, "%.15g", v);
	/* %g may give "1e+20", which is valid JSON; keep integers integral. */
	fputs(buf, j->f);
}

void lc_json_bool(struct lc_json *j, bool v)
{
	pre_value(j);
	fputs(v ? "true" : "false", j->f);
}

void lc_json_null(struct lc_json *j)
{
	pre_value(j);
	fputs("null", j->f);
}

void lc_json_finish(struct lc_json *j)
{
	fputc('\n', j->f);
}
