/* SPDX-License-Identifier: MIT */
/* The JSON report's sections that live in sibling files, and the helpers they share (reports/ only). */
#ifndef LC_REPORT_JSON_H
#define LC_REPORT_JSON_H

#include "lc/json.h"
#include "lc/report.h"

/* The member k: v, for each kind of value (kv_cstr writes null for NULL). */
static inline void kv_u64(struct lc_json *j, const char *k, uint64_t v)
{
	lc_json_key(j, k);
	lc_json_u64(j, v);
}

static inline void kv_i64(struct lc_json *j, const char *k, int64_t v)
{
	lc_json_key(j, k);
	lc_json_i64(j, v);
}

/* The key k and v when has, null otherwise: the report's optional numbers. */
static inline void kv_opt_i64(struct lc_json *j, const char *k, bool has, int64_t v)
{
	lc_json_key(j, k);
	if (has)
		lc_json_i64(j, v);
	else
		lc_json_null(j);
}

static inline void kv_opt_u64(struct lc_json *j, const char *k, bool has, uint64_t v)
{
	lc_json_key(j, k);
	if (has)
		lc_json_u64(j, v);
	else
		lc_json_null(j);
}

static inline void kv_opt_double(struct lc_json *j, const char *k, bool has, double v)
{
	lc_json_key(j, k);
	if (has)
		lc_json_double(j, v);
	else
		lc_json_null(j);
}

static inline void kv_cstr(struct lc_json *j, const char *k, const char *v)
{
	lc_json_key(j, k);
	lc_json_cstr(j, v);
}

static inline void kv_bool(struct lc_json *j, const char *k, bool v)
{
	lc_json_key(j, k);
	lc_json_bool(j, v);
}

/* The member key: {"buffers": N, "bytes": N} of t. */
static inline void tally(struct lc_json *j, const char *key, const struct lc_tally *t)
{
	lc_json_key(j, key);
	lc_json_begin_object(j);
	kv_u64(j, "buffers", t->buffers);
	kv_u64(j, "bytes", t->bytes);
	lc_json_end_object(j);
}

/* The members that say which buffer a leak of either model is, in the schema's order. */
static inline void leak_buffer(struct lc_json *j, int32_t device, uint64_t address, const char *type, uint64_t size)
{
	kv_i64(j, "device", device);
	kv_u64(j, "address", address);
	kv_cstr(j, "type", type);
	kv_u64(j, "size", size);
}

/* Writes the key "debug" and the debug-log object of d (REPORT-SCHEMA.md), or null when d is NULL. */
void lc_report_json_debug(struct lc_json *j, const struct lc_debug_model *d);
/* Writes the key "diff" and the --diff object of d, or null when d is NULL. */
void lc_report_json_diff(struct lc_json *j, const struct lc_diff *d);
struct lc_evidence;
/*
 * Writes the key "evidence" and the evidence object of ev, with the chosen dump's entries'
 * evidence under "dump" (null without one); sites: a debug log was joined. null when ev is NULL.
 */
void lc_report_json_evidence(struct lc_json *j, const struct lc_evidence *ev, const struct lc_evidence *dump,
			     bool sites);
/* Writes the key "address" and the --address object of h (never NULL): its keys, events and lifetimes. */
void lc_report_json_address(struct lc_json *j, const struct lc_address_history *h);
/* Writes the member "timeline" (its "server" and "debug" objects for the models given); nothing
 * when both are NULL. peak: the evidence of the entries live at the all-devices peak, whose
 * groups are its by_group (NULL: null, the entries were not kept). */
void lc_report_json_timeline(struct lc_json *j, const struct lc_timeline_model *server,
			     const struct lc_timeline_model *debug, const struct lc_evidence *peak);
/* Writes the key "gate" and the object of g (rules and suppressions), or null when g is NULL. */
void lc_report_json_gate(struct lc_json *j, const struct lc_gate *g);

#endif
