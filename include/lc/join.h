/* SPDX-License-Identifier: MIT */
/* The join of server leaks with debug-log lifetimes on (device, address): sites and join counts. */
#ifndef LC_JOIN_H
#define LC_JOIN_H

#include "lc/model.h"

/*
 * Sets each server leak's site to that of the most recently opened open lifetime at the same
 * (device, address) (-1 when there is none), marks each open lifetime that has a live server
 * entry (server_entry), and fills the join counts of the server model (has_join set).
 * Both models stay owned by their producers; the join allocates nothing that outlives it.
 * Returns nothing; it cannot fail (out of memory is fatal in lc_oom).
 */
void lc_join(struct lc_server_model *sm, struct lc_debug_model *dm);

#endif
