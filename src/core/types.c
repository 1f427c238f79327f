// SPDX-License-Identifier: MIT
// The buffer-type vocabulary, once: the server's enum order, shared by both parsers and the core.
#include <string.h>

#include "lc/event.h"

/* The server's BufferType enum (FORMATS.md 1.1), in its order; reports sort types by it. */
static const char *const type_names[LC_NTYPES_KNOWN] = {
	"DRAM", "L1", "SYSTEM_MEMORY", "L1_SMALL", "TRACE",
};

enum lc_btype lc_type_from_name(struct lc_span name)
{
	for (int i = 0; i < LC_NTYPES_KNOWN; i++)
		if (strlen(type_names[i]) == name.n && memcmp(type_names[i], name.p, name.n) == 0)
			return (enum lc_btype)i;
	return LC_TYPE_OTHER;
}

const char *lc_type_name(enum lc_btype t)
{
	return (unsigned)t < LC_NTYPES_KNOWN ? type_names[t] : "OTHER";
}

int lc_device_type_cmp(int32_t da, const char *ta, int32_t db, const char *tb)
{
	if (da != db)
		return da < db ? -1 : 1;
	enum lc_btype ra = lc_type_from_name((struct lc_span){ ta, strlen(ta) });
	enum lc_btype rb = lc_type_from_name((struct lc_span){ tb, strlen(tb) });
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(ta, tb);
}
