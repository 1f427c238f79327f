/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer: pretty-printed, byte-stable, always valid UTF-8. */
#ifndef LC_JSON_H
#define LC_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lc/util.h"

#define LC_JSON_MAX_DEPTH 32

struct lc_json {
	FILE *f;
	int depth;
	bool first[LC_JSON_MAX_DEPTH];
	bool after_key;
	bool inline_arr[LC_JSON_MAX_DEPTH];
};

/* Starts writing to f; nothing is written until the first value. */
void lc_json_init(struct lc_json *j, FILE *f);

void lc_json_begin_object(struct lc_json *j);
void lc_json_end_object(struct lc_json *j);
/* An array; an inline one puts its scalar elements on one line. */
void lc_json_begin_array(struct lc_json *j, bool inline_elements);
void lc_json_end_array(struct lc_json *j);
void lc_json_key(struct lc_json *j, const char *key);

/* Writes bytes as a JSON string; invalid UTF-8 bytes become U+FFFD. */
void lc_json_str(struct lc_json *j, const char *p, size_t n);
void lc_json_cstr(struct lc_json *j, const char *s); /* NULL writes null */
void lc_json_u64(struct lc_json *j, uint64_t v);
void lc_json_i64(struct lc_json *j, int64_t v);
void lc_json_double(struct lc_json *j, double v);
void lc_json_bool(struct lc_json *j, bool v);
void lc_json_null(struct lc_json *j);

/* Finishes the document with a newline. */
void lc_json_finish(struct lc_json *j);

#endif
