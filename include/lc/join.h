/* SPDX-License-Identifier: MIT */
/* The join of server leaks with debug-log lifetimes on (device, address): sites and join counts. */
#ifndef LC_JOIN_H
#define LC_JOIN_H

#include "lc/model.h"

/*
 * Sets each server leak's site to that of the most recently opened open lifetime at the same
 * (device, address) (-1 when there is none), marks each open lifetime that has a live server
 * entry (server_entry), and fills the join counts of the server model (has_join set).
 * Then sets the site and site_match of the dump lifecycle's entries and of the cleanup
 * entries: an open lifetime at the key as for leaks (LC_MATCH_OPEN); else, from the debug
 * model's history, the key's only lifetime (LC_MATCH_ONLY) or the latest of several
 * (LC_MATCH_LATEST); else none (-1, LC_MATCH_NONE). Sites that are not debug sites are
 * appended to the server model's entry_sites (which it owns and frees; the sites stay the
 * debug model's). Call once per pair of models.
 * Returns nothing; it cannot fail (out of memory is fatal in lc_oom).
 */
void lc_join(struct lc_server_model *sm, struct lc_debug_model *dm);

#endif
