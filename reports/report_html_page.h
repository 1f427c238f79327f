/* SPDX-License-Identifier: MIT */
/* What the HTML report's files share (reports/report_html*.c); private to reports/. */
#ifndef LC_REPORTS_HTML_PAGE_H
#define LC_REPORTS_HTML_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lc/jsonread.h"

/* What every section needs: the page's file, the document (borrowed) and the row limit of tables. */
struct lc_html_page {
	FILE *f;
	const struct lc_jval *doc;
	size_t top;
};

/* Writes the NUL-terminated s escaped as lc_html_text does. */
void lc_html_cstr(FILE *f, const char *s);
/* Writes a JSON string value escaped (cut after max_chars characters, 0: whole); "–" for any other value. */
void lc_html_jtext(FILE *f, const struct lc_jval *v, size_t max_chars);
/* Returns the member key of v (borrowed), NULL when absent or v is not an object. */
const struct lc_jval *lc_html_get(const struct lc_jval *v, const char *key);
/* Returns whether v is a JSON object. */
bool lc_html_is_obj(const struct lc_jval *v);
/* Returns the length of the array v, 0 when v is not an array. */
size_t lc_html_len(const struct lc_jval *v);
/* Returns whether v is the JSON value true. */
bool lc_html_true(const struct lc_jval *v);
/* Returns how many of n rows a table shows: the page's top (0: all). */
size_t lc_html_shown(const struct lc_html_page *pg, size_t n);
/* Writes "N more not shown" (class "more") after a table of n rows cut at top. */
void lc_html_more(const struct lc_html_page *pg, size_t n);
/* Opens the region <section id="id"> with its <h2> title. */
void lc_html_section(const struct lc_html_page *pg, const char *id, const char *title);
/* Closes the region lc_html_section opened. */
void lc_html_end_section(const struct lc_html_page *pg);
/* Opens a table with a head from a '|'-separated list of column names, and its body. */
void lc_html_thead(FILE *f, const char *cols);
/* Closes the table lc_html_thead opened. */
void lc_html_tend(FILE *f);
/* Writes a cell holding the integer obj.key with its path base.key (human: as a byte size). */
void lc_html_cell_num(FILE *f, const struct lc_jval *obj, const char *key, bool human, const char *base);
/* Writes a cell holding the string obj.key, escaped. */
void lc_html_cell_str(FILE *f, const struct lc_jval *obj, const char *key);
/* Writes a cell holding the address obj.key in hex, with its path and decimal data-value. */
void lc_html_cell_addr(FILE *f, const struct lc_jval *obj, const char *key, const char *base);
/* Writes a cell "path:line" of obj's input index (into the report's inputs) and line. */
void lc_html_cell_where(const struct lc_html_page *pg, const struct lc_jval *obj, const char *base);
/* Writes the {"buffers", "bytes"} object obj as "N / B", with their paths under base. */
void lc_html_pair(FILE *f, const struct lc_jval *obj, const char *base);

/* Writes the evidence region: the groups and classes of the remaining entries and the dump's. */
void lc_html_evidence(const struct lc_html_page *pg);
/* Writes the reuse region: the address-reuse table. */
void lc_html_reuse(const struct lc_html_page *pg);
/* Writes the unknown region: unknown frees by cause, device and position. */
void lc_html_unknown(const struct lc_html_page *pg);
/* Writes the cleanup region: the dead-process removals. */
void lc_html_cleanup(const struct lc_html_page *pg);
/* Writes the dump region: the dump lifecycle, whole and by device and type. */
void lc_html_dump(const struct lc_html_page *pg);
/* Writes the diff region: both sides, by device and type, and the sites. */
void lc_html_diff(const struct lc_html_page *pg);
/* Writes the gate region: its verdict, rules and suppressions. */
void lc_html_gate(const struct lc_html_page *pg);

#endif
