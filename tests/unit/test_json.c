// SPDX-License-Identifier: MIT
// Unit tests of the JSON writer: layout, escaping, invalid UTF-8 replaced by U+FFFD.
#include <stdlib.h>
#include <string.h>

#include "lc/json.h"
#include "lc/util.h"
#include "tap.h"

static void keep_path(void *ctx, const char *path, int64_t v)
{
	FILE *f = ctx;
	fprintf(f, "%s=%lld;", path, (long long)v);
}

static char *render_string(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct lc_json j;
	lc_json_init(&j, f);
	lc_json_str(&j, s, n);
	fclose(f);
	return buf;
}

int main(void)
{
	char *s = render_string("a\"b\\c\n\x01", 7);
	EQ_STR(s, "\"a\\\"b\\\\c\\n\\u0001\"", "escapes quotes, backslashes and controls");
	free(s);
	s = render_string("\xff\xc3\xa9\xe2\x9c", 5);
	EQ_STR(s, "\"\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\"", "invalid bytes become U+FFFD, valid UTF-8 kept");
	free(s);
	s = render_string("\xed\xa0\x80", 3);
	EQ_STR(s, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", "surrogates are invalid");
	free(s);
	s = render_string("a\0b", 3);
	EQ_STR(s, "\"a\\u0000b\"", "NUL escaped");
	free(s);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct lc_json j;
	lc_json_init(&j, f);
	lc_json_begin_object(&j);
	lc_json_key(&j, "a");
	lc_json_u64(&j, UINT64_MAX);
	lc_json_key(&j, "b");
	lc_json_begin_array(&j, true);
	lc_json_i64(&j, -1);
	lc_json_i64(&j, 2);
	lc_json_end_array(&j);
	lc_json_key(&j, "c");
	lc_json_begin_array(&j, false);
	lc_json_end_array(&j);
	lc_json_key(&j, "d");
	lc_json_double(&j, 1.0 / 0.0);
	lc_json_end_object(&j);
	lc_json_finish(&j);
	fclose(f);
	EQ_STR(buf, "{\n  \"a\": 18446744073709551615,\n  \"b\": [-1, 2],\n  \"c\": [],\n  \"d\": null\n}\n",
	       "object layout, inline arrays, infinity as null");
	free(buf);

	/* Capture: integers with their paths, array indices counted, containers of arrays too. */
	buf = NULL;
	len = 0;
	char *paths = NULL;
	size_t plen = 0;
	f = open_memstream(&buf, &len);
	FILE *pf = open_memstream(&paths, &plen);
	lc_json_init(&j, f);
	lc_json_capture(&j, keep_path, pf);
	lc_json_begin_object(&j);
	lc_json_key(&j, "n");
	lc_json_u64(&j, UINT64_MAX);
	lc_json_key(&j, "list");
	lc_json_begin_array(&j, false);
	lc_json_begin_object(&j);
	lc_json_key(&j, "x");
	lc_json_i64(&j, -3);
	lc_json_key(&j, "s");
	lc_json_cstr(&j, "text");
	lc_json_end_object(&j);
	lc_json_begin_object(&j);
	lc_json_key(&j, "y");
	lc_json_begin_array(&j, true);
	lc_json_u64(&j, 7);
	lc_json_u64(&j, 8);
	lc_json_end_array(&j);
	lc_json_end_object(&j);
	lc_json_end_array(&j);
	lc_json_key(&j, "z");
	lc_json_u64(&j, 1);
	lc_json_end_object(&j);
	lc_json_finish(&j);
	fclose(f);
	fclose(pf);
	EQ_STR(paths, "n=9223372036854775807;list.0.x=-3;list.1.y.0=7;list.1.y.1=8;z=1;",
	       "capture: dotted paths, array indices, u64 past INT64_MAX saturated");
	free(buf);
	free(paths);

	char hb[32];
	EQ_STR(lc_human_bytes(512, hb, sizeof hb), "512 B", "bytes below 1 KiB");
	EQ_STR(lc_human_bytes(12503040, hb, sizeof hb), "11.9 MiB", "MiB with one decimal");
	bool over = false;
	EQ_U64(lc_add_sat(UINT64_MAX - 1, 5, &over), UINT64_MAX, "saturating sum stops at 2^64-1");
	OK(over, "saturation is flagged");
	return tap_done();
}
