/* SPDX-License-Identifier: MIT */
/* uthash with the project's policy: out of memory is fatal in exactly one place (lc_oom). */
#ifndef LC_HASH_H
#define LC_HASH_H

#include <stdint.h>
#include <string.h>

#include "lc/util.h"

/*
 * Every table is keyed by a small struct of integers, zeroed before use so
 * that padding never differs; uthash's default Jenkins hash serves.
 */

#define uthash_fatal(msg) lc_oom()
#include <uthash.h>

#endif
