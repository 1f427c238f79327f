// SPDX-License-Identifier: MIT
// Buffer debug log line classifier: block titles, fields, frames, separators.
#include "lc/debug_log.h"

#include <string.h>

static bool has_prefix(struct lc_span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

enum lc_line_class lc_debug_log_line(struct lc_span line, struct lc_debug_counts *counts, const char **reason)
{
	static const char *const fields[] = {
		"Time: ", "Device: ", "Address: ", "Size: ", "Type: ", "Buffer*: ", "Owns Data: ", "Hooked: ",
		"Call Stack:",
	};
	*reason = NULL;
	if (line.n == 0)
		return LC_LINE_RECOGNIZED;
	if (has_prefix(line, "    "))
		return LC_LINE_RECOGNIZED; /* a call-stack frame */
	bool all_high = true;
	for (size_t i = 0; i < line.n; i++)
		if ((unsigned char)line.p[i] < 0x80 && line.p[i] != ' ') {
			all_high = false;
			break;
		}
	if (all_high)
		return LC_LINE_RECOGNIZED; /* separator, possibly mojibake */
	if (has_prefix(line, "BUFFER ALLOCATED")) {
		counts->allocated++;
		return LC_LINE_RECOGNIZED;
	}
	if (has_prefix(line, "BUFFER DEALLOCATED")) {
		counts->deallocated++;
		return LC_LINE_RECOGNIZED;
	}
	if (has_prefix(line, "BUFFER DESTRUCTOR")) {
		counts->destructor++;
		return LC_LINE_RECOGNIZED;
	}
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (has_prefix(line, fields[i]))
			return LC_LINE_RECOGNIZED;
	return LC_LINE_FOREIGN;
}

unsigned lc_debug_log_sniff(struct lc_span head)
{
	static const char *const anchors[] = {
		"BUFFER ALLOCATED", "BUFFER DEALLOCATED", "BUFFER DESTRUCTOR", "Buffer*: 0x", "Call Stack:",
	};
	return lc_count_anchors(head, anchors, sizeof anchors / sizeof anchors[0]);
}
