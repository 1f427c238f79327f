/* SPDX-License-Identifier: MIT */
/* Minimal TAP producer for the unit suites (meson protocol 'tap'). */
#ifndef LC_TESTS_TAP_H
#define LC_TESTS_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define OK(cond, ...)                                                      \
	do {                                                               \
		int ok_ = (cond) ? 1 : 0; /* evaluated once: conditions may have effects */ \
		tap_n++;                                                   \
		if (ok_) {                                                 \
			printf("ok %d - ", tap_n);                         \
		} else {                                                   \
			tap_failed++;                                      \
			printf("not ok %d - ", tap_n);                     \
		}                                                          \
		printf(__VA_ARGS__);                                       \
		printf("\n");                                              \
		if (!ok_)                                                  \
			printf("#   at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} while (0)

#define EQ_U64(got, want, ...)                                                          \
	do {                                                                            \
		uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);                   \
		OK(g_ == w_, __VA_ARGS__);                                              \
		if (g_ != w_)                                                           \
			printf("#   got %" PRIu64 ", want %" PRIu64 "\n", g_, w_);          \
	} while (0)

#define EQ_STR(got, want, ...)                                                   \
	do {                                                                     \
		const char *g_ = (got), *w_ = (want);                            \
		int same_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;         \
		OK(same_, __VA_ARGS__);                                          \
		if (!same_)                                                      \
			printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
