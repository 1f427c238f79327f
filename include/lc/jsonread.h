/* SPDX-License-Identifier: MIT */
/* A small JSON reader for the tool's own reports (--diff and --baseline sides). */
#ifndef LC_JSONREAD_H
#define LC_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lc_jtype { LC_JNULL, LC_JBOOL, LC_JNUM, LC_JSTR, LC_JARR, LC_JOBJ };

/* A parsed value. Numbers keep their integer value when they are integers. */
struct lc_jval {
	enum lc_jtype type;
	bool b;
	bool is_int, is_neg;
	uint64_t u;          /* magnitude of an integer */
	double d;
	char *s;             /* strings: bytes, NUL-terminated, length n */
	size_t n;
	struct lc_jval *items; /* arrays and object values */
	char **keys;           /* object keys */
	size_t count;
};

/*
 * Parses a whole JSON document of n bytes. On error writes a message into err.
 * Returns the value (free with lc_jval_free); NULL on error.
 */
struct lc_jval *lc_json_parse(const char *p, size_t n, char *err, size_t errsz);
/* Frees v and every value inside it (their strings too); NULL is a no-op. */
void lc_jval_free(struct lc_jval *v);

/* The member key of an object, NULL when absent or when v is not an object. */
const struct lc_jval *lc_jget(const struct lc_jval *v, const char *key);
/* Integer value as int64 (0 when not an integer). */
int64_t lc_jint(const struct lc_jval *v);
/* Unsigned value (0 when not a non-negative integer). */
uint64_t lc_juint(const struct lc_jval *v);

#endif
