/* SPDX-License-Identifier: MIT */
/* The one streaming line reader: plain files, gzip (multi-member) and stdin, chosen by magic bytes. */
#ifndef LC_READER_H
#define LC_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/util.h"

struct lc_reader;

/*
 * Opens path for reading ("-" is standard input). Compression is decided by the
 * first two bytes (1f 8b is gzip), never by the name. Problems are reported on
 * stderr as "tt-leakcorr: PATH: reason".
 * Returns the reader; NULL on error, already reported.
 */
struct lc_reader *lc_reader_open(const char *path);

/*
 * As lc_reader_open; with threads > 1 a thread of its own reads and decompresses the input
 * into large chunks ahead of the caller. The lines handed out are the same either way.
 */
struct lc_reader *lc_reader_open_threads(const char *path, unsigned threads);

/* Closes the file (not standard input) and frees everything. NULL is a no-op. */
void lc_reader_destroy(struct lc_reader *r);

/*
 * Returns the next line without its "\n" and without one trailing "\r"; the
 * span lives until the next call. Lines may be of any length and contain NUL.
 * A last line without a final newline is still a line.
 * Returns 1 for a line; 0 at the end of the input; -1 on a read or
 * decompression error, already reported (the input is then marked truncated).
 */
int lc_reader_next(struct lc_reader *r, struct lc_span *line);

/*
 * Makes at least `want` bytes of the input available without consuming them
 * (fewer at the end of the input) and lends them in *out, valid until the next call.
 */
void lc_reader_peek(struct lc_reader *r, size_t want, struct lc_span *out);

/* The 1-based number of the line last returned (0 before the first). */
uint64_t lc_reader_lineno(const struct lc_reader *r);
/* Decompressed bytes handed out so far (all of them once next() returned 0). */
uint64_t lc_reader_bytes(const struct lc_reader *r);
/* True when the input is gzip (told by its magic bytes): the reader inflates it. */
bool lc_reader_compressed(const struct lc_reader *r);
/* True when the input ended early: a cut or corrupt gzip stream, or a read error. */
bool lc_reader_truncated(const struct lc_reader *r);
/* Size of the input on disk when it is a regular file, else 0. */
uint64_t lc_reader_file_size(const struct lc_reader *r);
/* Bytes of the file (compressed, when gzip) behind the data handed out so far: for progress. */
uint64_t lc_reader_file_offset(const struct lc_reader *r);
/* The path as given, for messages. */
const char *lc_reader_path(const struct lc_reader *r);

#endif
