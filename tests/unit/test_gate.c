// SPDX-License-Identifier: MIT
// Unit tests of the JSON reader, gate rule parsing and evaluation, baselines and the diff.
#include <stdlib.h>
#include <string.h>

#include "lc/gate.h"
#include "lc/jsonread.h"
#include "tap.h"

static struct lc_side side(bool debug, const struct lc_item *items, size_t n)
{
	struct lc_side s;
	memset(&s, 0, sizeof s);
	s.has_server = !debug;
	s.has_debug = debug;
	s.items = malloc((n + 1) * sizeof *items);
	memcpy(s.items, items, n * sizeof *items);
	s.nitems = s.capitems = n;
	lc_side_derive(&s);
	return s;
}

int main(void)
{
	char err[128];
	const char *doc = "{\"a\": [1, -2, 3.5, \"x\\u00e9\\ud83d\\ude00\"], \"b\": {\"c\": true, \"d\": null}, \"big\": 18446744073709551615}";
	struct lc_jval *v = lc_json_parse(doc, strlen(doc), err, sizeof err);
	OK(v != NULL, "a valid document parses");
	const struct lc_jval *a = lc_jget(v, "a");
	OK(a && a->count == 4 && lc_jint(&a->items[1]) == -2 && !a->items[2].is_int, "numbers: integers and fractions");
	OK(a && strcmp(a->items[3].s, "x\xc3\xa9\xf0\x9f\x98\x80") == 0, "escapes and surrogate pairs become UTF-8");
	EQ_U64(lc_juint(lc_jget(v, "big")), UINT64_MAX, "2^64-1 is exact");
	OK(lc_jget(lc_jget(v, "b"), "c")->b, "nested object member");
	lc_jval_free(v);
	OK(lc_json_parse("{\"a\":1,}", 8, err, sizeof err) == NULL, "trailing comma refused");
	OK(lc_json_parse("[1] x", 5, err, sizeof err) == NULL, "trailing text refused");
	char deep[200];
	memset(deep, '[', sizeof deep);
	OK(lc_json_parse(deep, sizeof deep, err, sizeof err) == NULL, "nesting limit");

	struct lc_rule r;
	OK(lc_rule_parse("server.remaining.bytes > 2 MiB", &r) == 0 && r.limit == 2 * 1024 * 1024 && r.op == LC_OP_GT,
	   "units: MiB");
	lc_rule_release(&r);
	OK(lc_rule_parse("diff.remaining.bytes<=-1KiB", &r) == 0 && r.limit == -1024 && r.op == LC_OP_LE,
	   "no spaces, negative limit with a unit");
	lc_rule_release(&r);
	OK(lc_rule_parse("server.remaining.device.6.DRAM.bytes >= 1", &r) == 0, "per-device metric");
	lc_rule_release(&r);
	OK(lc_rule_parse("server.remaning.bytes > 0", &r) < 0, "misspelt metric refused");
	OK(lc_rule_parse("server.remaining.bytes >> 0", &r) < 0, "bad value refused");
	OK(lc_rule_parse("server.remaining.bytes > 1 MB", &r) < 0, "unknown unit refused");

	/* now: device 6 DRAM 2 x 1 MiB, device 0 L1 1 x 4 KiB; baseline: device 6 DRAM 1 x 1 MiB. */
	struct lc_item now_items[] = {
		{ 6, "DRAM", 1048576, NULL, false, false, 1 },
		{ 6, "DRAM", 1048576, NULL, false, false, 1 },
		{ 0, "L1", 4096, NULL, false, false, 1 },
	};
	struct lc_item base_items[] = { { 6, "DRAM", 1048576, NULL, false, false, 1 } };
	struct lc_side now = side(false, now_items, 3), base = side(false, base_items, 1);
	struct lc_rule rules[4];
	lc_rule_parse("server.remaining.bytes > 1052672", &rules[0]);          /* value 1052672: at the limit, passes */
	lc_rule_parse("server.remaining.device.6.DRAM.buffers >= 2", &rules[1]); /* 2: fails */
	lc_rule_parse("server.remaining.buffers > 1", &rules[2]);               /* 3 without baseline: fails */
	lc_rule_parse("server.remaining.device.0.L1.bytes > 4095", &rules[3]);  /* 4096: fails */
	struct lc_gate g = { .rules = rules, .nrules = 4 };
	OK(!lc_gate_eval(&g, &now, NULL, NULL), "without a baseline the gate fails");
	OK(rules[0].value == 1052672 + 1048576 && !rules[0].passed, "remaining bytes without baseline: 2101248 > limit");
	OK(rules[2].value == 3 && !rules[2].passed, "remaining buffers 3");
	lc_gate_eval(&g, &now, &base, NULL);
	OK(rules[0].value == 1052672 && rules[0].passed, "baseline: growth 1 MiB + 4 KiB is at the limit, passes");
	OK(rules[1].value == 1 && rules[1].passed, "baseline: device 6 DRAM grew by one buffer (1 >= 2 false)");
	OK(rules[2].value == 2 && !rules[2].passed, "baseline: two more buffers (2 > 1)");
	OK(rules[3].value == 4096 && !rules[3].passed, "baseline: a new device/type counts whole");
	for (int i = 0; i < 4; i++)
		lc_rule_release(&rules[i]);

	/* Diff of the two server sides: groups by (device, type, size). */
	struct lc_diff d;
	lc_diff_build(&d, &base, &now);
	OK(d.nsites == 2 && d.count[LC_SITE_NEW] == 1 && d.count[LC_SITE_GROWN] == 1, "one new group, one grown");
	OK(d.nsites == 2 && d.sites[0].key->n == 1 && d.sites[0].key->frames[0].n == 31 &&
		   memcmp(d.sites[0].key->frames[0].p, "device 6 type DRAM size 1048576", 31) == 0 &&
		   d.sites[0].status == LC_SITE_GROWN,
	   "largest growth first: device 6 DRAM grew by 1 MiB");
	OK(d.ndt == 2 && d.dt[0].device == 0 && d.dt[0].before.buffers == 0 && d.dt[1].after.buffers == 2,
	   "by device and type, devices ascending");
	lc_diff_release(&d);
	lc_side_release(&now);
	lc_side_release(&base);

	/* Stacks order as their frames joined by '\n' would (worked by hand), then by frame count. */
	const struct lc_span f_ab[] = { LC_SPAN_LIT("ab") }, f_a_b[] = { LC_SPAN_LIT("a"), LC_SPAN_LIT("b") },
			     f_a[] = { LC_SPAN_LIT("a") }, f_anlb[] = { LC_SPAN_LIT("a\nb") },
				    f_empty[] = { LC_SPAN_LIT("") }, f_x_a[] = { LC_SPAN_LIT("x"), LC_SPAN_LIT("a") },
				    f_x1[] = { LC_SPAN_LIT("x\001") }, f_nul_b[] = { LC_SPAN_LIT("a\0b") },
				    f_nul_c[] = { LC_SPAN_LIT("a\0c") }, f_a_b2[] = { LC_SPAN_LIT("a"), LC_SPAN_LIT("b") };
	const struct lc_stack s_ab = { f_ab, 1 }, s_a_b = { f_a_b, 2 }, s_a = { f_a, 1 }, s_anlb = { f_anlb, 1 },
			      s_none = { NULL, 0 }, s_empty = { f_empty, 1 }, s_x_a = { f_x_a, 2 }, s_x1 = { f_x1, 1 },
			      s_nul_b = { f_nul_b, 1 }, s_nul_c = { f_nul_c, 1 }, s_a_b2 = { f_a_b2, 2 };
	OK(lc_stack_cmp(&s_a_b, &s_ab) < 0 && lc_stack_cmp(&s_ab, &s_a_b) > 0, "\"a\\nb\" < \"ab\": '\\n' (10) < 'b'");
	OK(lc_stack_cmp(&s_a, &s_a_b) < 0 && lc_stack_cmp(&s_a_b, &s_a) > 0, "a prefix stack first");
	OK(lc_stack_cmp(&s_anlb, &s_a_b) < 0 && lc_stack_cmp(&s_a_b, &s_anlb) > 0,
	   "same joined text: fewer frames first, never equal");
	OK(lc_stack_cmp(&s_none, &s_empty) < 0 && lc_stack_cmp(&s_empty, &s_none) > 0, "no frames before one empty frame");
	OK(lc_stack_cmp(&s_x_a, &s_x1) > 0 && lc_stack_cmp(&s_x1, &s_x_a) < 0, "\"x\\na\" > \"x\\001\"");
	OK(lc_stack_cmp(&s_nul_b, &s_nul_c) < 0, "bytes after a NUL count");
	OK(lc_stack_cmp(&s_a_b, &s_a_b2) == 0 && lc_stack_cmp(&s_a_b, &s_a_b) == 0, "equal frames: 0");
	return tap_done();
}
