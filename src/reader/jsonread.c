// SPDX-License-Identifier: MIT
// Recursive-descent JSON reader (RFC 8259) with a depth limit, for reading our own reports back.
#include "lc/jsonread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc/util.h"

#define MAX_DEPTH 64

struct jp {
	const char *p, *e;
	char *err;
	size_t errsz;
	bool failed;
};

static void fail(struct jp *j, const char *what)
{
	if (!j->failed)
		snprintf(j->err, j->errsz, "%s", what);
	j->failed = true;
}

static void ws(struct jp *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool value(struct jp *j, struct lc_jval *v, int depth);
static void release(struct lc_jval *v);

static void put_utf8(struct lc_buf *b, unsigned cp)
{
	char t[4];
	if (cp < 0x80) {
		lc_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xc0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3f));
		lc_buf_add(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xe0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[2] = (char)(0x80 | (cp & 0x3f));
		lc_buf_add(b, t, 3);
	} else {
		t[0] = (char)(0xf0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[3] = (char)(0x80 | (cp & 0x3f));
		lc_buf_add(b, t, 4);
	}
}

static bool hex4(struct jp *j, unsigned *out)
{
	if (j->e - j->p < 4)
		return false;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = j->p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return false;
	}
	j->p += 4;
	*out = v;
	return true;
}

static bool string(struct jp *j, char **out, size_t *outn)
{
	struct lc_buf b = { 0 };
	j->p++; /* opening quote */
	while (j->p < j->e && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20) {
			fail(j, "control character in a string");
			break;
		}
		if (c != '\\') {
			lc_buf_addc(&b, (char)c);
			j->p++;
			continue;
		}
		j->p++;
		if (j->p >= j->e)
			break;
		char esc = *j->p++;
		unsigned cp;
		switch (esc) {
		case '"': lc_buf_addc(&b, '"'); break;
		case '\\': lc_buf_addc(&b, '\\'); break;
		case '/': lc_buf_addc(&b, '/'); break;
		case 'b': lc_buf_addc(&b, '\b'); break;
		case 'f': lc_buf_addc(&b, '\f'); break;
		case 'n': lc_buf_addc(&b, '\n'); break;
		case 'r': lc_buf_addc(&b, '\r'); break;
		case 't': lc_buf_addc(&b, '\t'); break;
		case 'u':
			if (!hex4(j, &cp)) {
				fail(j, "bad \\u escape");
				break;
			}
			if (cp >= 0xd800 && cp <= 0xdbff && j->e - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
				unsigned lo;
				j->p += 2;
				if (hex4(j, &lo) && lo >= 0xdc00 && lo <= 0xdfff)
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				else
					cp = 0xfffd;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;
			}
			put_utf8(&b, cp);
			break;
		default:
			fail(j, "bad escape in a string");
		}
		if (j->failed)
			break;
	}
	if (j->failed || j->p >= j->e) {
		fail(j, "unterminated string");
		lc_buf_release(&b);
		return false;
	}
	j->p++;
	if (!b.p)
		lc_buf_add(&b, "", 0);
	*out = b.p;
	*outn = b.n;
	return true;
}

static bool number(struct jp *j, struct lc_jval *v)
{
	const char *s = j->p;
	bool neg = false;
	if (j->p < j->e && *j->p == '-') {
		neg = true;
		j->p++;
	}
	const char *digits = j->p;
	uint64_t u = 0;
	bool wide = false;
	while (j->p < j->e && *j->p >= '0' && *j->p <= '9') {
		unsigned d = (unsigned)(*j->p - '0');
		if (u > (UINT64_MAX - d) / 10)
			wide = true;
		u = u * 10 + d;
		j->p++;
	}
	if (j->p == digits) {
		fail(j, "bad number");
		return false;
	}
	bool frac = false;
	if (j->p < j->e && *j->p == '.') {
		frac = true;
		j->p++;
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->e && (*j->p == 'e' || *j->p == 'E')) {
		frac = true;
		j->p++;
		if (j->p < j->e && (*j->p == '+' || *j->p == '-'))
			j->p++;
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	char tmp[64];
	size_t len = (size_t)(j->p - s) < sizeof tmp - 1 ? (size_t)(j->p - s) : sizeof tmp - 1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	v->type = LC_JNUM;
	v->d = strtod(tmp, NULL);
	v->is_int = !frac && !wide;
	v->is_neg = neg;
	v->u = u;
	return true;
}

static bool literal(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->e - j->p) >= n && memcmp(j->p, lit, n) == 0) {
		j->p += n;
		return true;
	}
	fail(j, "unexpected characters");
	return false;
}

static bool container(struct jp *j, struct lc_jval *v, int depth, bool obj)
{
	v->type = obj ? LC_JOBJ : LC_JARR;
	j->p++;
	ws(j);
	size_t cap = 0;
	if (j->p < j->e && *j->p == (obj ? '}' : ']')) {
		j->p++;
		return true;
	}
	for (;;) {
		ws(j);
		if (v->count == cap) {
			cap = cap ? cap * 2 : 4;
			v->items = lc_xrealloc(v->items, cap * sizeof *v->items);
			if (obj)
				v->keys = lc_xrealloc(v->keys, cap * sizeof *v->keys);
		}
		if (obj) {
			size_t kn;
			if (j->p >= j->e || *j->p != '"' || !string(j, &v->keys[v->count], &kn)) {
				fail(j, "expected an object key");
				return false;
			}
			ws(j);
			if (j->p >= j->e || *j->p != ':') {
				free(v->keys[v->count]);
				fail(j, "expected ':'");
				return false;
			}
			j->p++;
		}
		memset(&v->items[v->count], 0, sizeof v->items[0]);
		if (!value(j, &v->items[v->count], depth + 1)) {
			release(&v->items[v->count]); /* what the failed value had built so far */
			if (obj)
				free(v->keys[v->count]);
			return false;
		}
		v->count++;
		ws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->e && *j->p == (obj ? '}' : ']')) {
			j->p++;
			return true;
		}
		fail(j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		return false;
	}
}

static bool value(struct jp *j, struct lc_jval *v, int depth)
{
	if (depth > MAX_DEPTH) {
		fail(j, "nesting too deep");
		return false;
	}
	ws(j);
	if (j->p >= j->e) {
		fail(j, "unexpected end of input");
		return false;
	}
	switch (*j->p) {
	case '{': return container(j, v, depth, true);
	case '[': return container(j, v, depth, false);
	case '"':
		v->type = LC_JSTR;
		return string(j, &v->s, &v->n);
	case 't':
		v->type = LC_JBOOL;
		v->b = true;
		return literal(j, "true");
	case 'f':
		v->type = LC_JBOOL;
		return literal(j, "false");
	case 'n':
		v->type = LC_JNULL;
		return literal(j, "null");
	default: return number(j, v);
	}
}

static void release(struct lc_jval *v)
{
	for (size_t i = 0; i < v->count; i++) {
		release(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
}

void lc_jval_free(struct lc_jval *v)
{
	if (!v)
		return;
	release(v);
	free(v);
}

struct lc_jval *lc_json_parse(const char *p, size_t n, char *err, size_t errsz)
{
	struct jp j = { p, p + n, err, errsz, false };
	struct lc_jval *v = lc_xcalloc(1, sizeof *v);
	if (value(&j, v, 0)) {
		ws(&j);
		if (j.p != j.e)
			fail(&j, "trailing characters after the document");
	}
	if (j.failed) {
		lc_jval_free(v);
		return NULL;
	}
	return v;
}

const struct lc_jval *lc_jget(const struct lc_jval *v, const char *key)
{
	if (!v || v->type != LC_JOBJ)
		return NULL;
	for (size_t i = 0; i < v->count; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}

int64_t lc_jint(const struct lc_jval *v)
{
	if (!v || v->type != LC_JNUM || !v->is_int)
		return 0;
	return v->is_neg ? -(int64_t)v->u : (int64_t)v->u;
}

uint64_t lc_juint(const struct lc_jval *v)
{
	if (!v || v->type != LC_JNUM || !v->is_int || v->is_neg)
		return 0;
	return v->u;
}
