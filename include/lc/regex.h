/* SPDX-License-Identifier: MIT */
/* The one PCRE2 wrapper: a user's pattern compiled once (JIT by choice), matched on (pointer, length). */
#ifndef LC_REGEX_H
#define LC_REGEX_H

#include <stdbool.h>
#include <stddef.h>

struct lc_regex;

/* Why a pattern did not compile: PCRE2's message and the offset in the pattern. */
struct lc_regex_error {
	char msg[256];
	size_t offset;
};

/*
 * Compiles pattern (NUL-terminated; UTF-8, where invalid UTF-8 in a subject simply does not
 * match) once. With jit, PCRE2's JIT compiler is tried too; when it is missing or fails the
 * interpreter serves, with the same results. The caller decides jit: valgrind does not follow
 * JIT code, so its test setup turns it off (TT_LEAKCORR_NO_JIT, read in src/cli/ only).
 * The pattern is only read during the call. The regex owns its compiled code and match
 * data; free it with lc_regex_destroy(). Out of memory is fatal.
 * Returns the regex; NULL when the pattern does not compile, with err filled (nothing is
 * reported: the caller knows where the pattern came from).
 */
struct lc_regex *lc_regex_create(const char *pattern, bool jit, struct lc_regex_error *err);
/*
 * Whether the pattern matches anywhere in the n bytes at p (p need not be NUL-terminated).
 * Uses the regex's own match data: one regex is not for two threads at once.
 * Returns true on a match; false on no match or a matching error (such as a match limit).
 */
bool lc_regex_match(struct lc_regex *re, const char *p, size_t n);
/* Frees the regex. NULL is a no-op. */
void lc_regex_destroy(struct lc_regex *re);

#endif
