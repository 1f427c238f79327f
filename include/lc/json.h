/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer: pretty-printed, byte-stable, always valid UTF-8. */
#ifndef LC_JSON_H
#define LC_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lc/util.h"

#define LC_JSON_MAX_DEPTH 32

#define LC_JSON_PATH_MAX 512

/* Called for each integer written while capturing, with its dotted path ("inputs.0.lines"). */
typedef void (*lc_json_capture_fn)(void *ctx, const char *path, int64_t value);

struct lc_json {
	FILE *f;
	int depth;
	bool first[LC_JSON_MAX_DEPTH];
	bool after_key;
	bool inline_arr[LC_JSON_MAX_DEPTH];
	/* path capture (lc_json_capture); untouched otherwise */
	lc_json_capture_fn capture;
	void *capture_ctx;
	bool array[LC_JSON_MAX_DEPTH];
	uint64_t index[LC_JSON_MAX_DEPTH];
	size_t plen[LC_JSON_MAX_DEPTH]; /* path length of the container open at each depth */
	size_t clen;                    /* path length of the value being written */
	char path[LC_JSON_PATH_MAX];
};

/* Starts writing to f; nothing is written until the first value. */
void lc_json_init(struct lc_json *j, FILE *f);
/*
 * From now on also hands every integer to fn with its path: object keys and array indices
 * joined by '.' ("server.remaining.by_device.0.bytes"). Integers past INT64_MAX are handed as
 * INT64_MAX; paths longer than LC_JSON_PATH_MAX - 1 bytes are not handed.
 */
void lc_json_capture(struct lc_json *j, lc_json_capture_fn fn, void *ctx);

/* Opens an object as the next value (after a key, in an array, or the document); its members follow. */
void lc_json_begin_object(struct lc_json *j);
/* Closes the innermost open object: on a line of its own when it has members, else "{}". */
void lc_json_end_object(struct lc_json *j);
/* An array; an inline one puts its scalar elements on one line. */
void lc_json_begin_array(struct lc_json *j, bool inline_elements);
/* Closes the innermost open array. */
void lc_json_end_array(struct lc_json *j);
/* Writes the member name key (NUL-terminated, escaped like a string) of the open object; its value comes next. */
void lc_json_key(struct lc_json *j, const char *key);

/* Writes bytes as a JSON string; invalid UTF-8 bytes become U+FFFD. */
void lc_json_str(struct lc_json *j, const char *p, size_t n);
/* Writes the NUL-terminated string s as lc_json_str does; NULL writes null. */
void lc_json_cstr(struct lc_json *j, const char *s);
/* Writes v in decimal; a capture gets it (INT64_MAX past that). */
void lc_json_u64(struct lc_json *j, uint64_t v);
/* Writes v in decimal, signed; a capture gets it. */
void lc_json_i64(struct lc_json *j, int64_t v);
/* Writes v with %.15g; NaN and infinities write null. Not captured: metrics are integers. */
void lc_json_double(struct lc_json *j, double v);
/* Writes true or false. */
void lc_json_bool(struct lc_json *j, bool v);
/* Writes null. */
void lc_json_null(struct lc_json *j);

/* Finishes the document with a newline. */
void lc_json_finish(struct lc_json *j);

#endif
