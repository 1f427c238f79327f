/* SPDX-License-Identifier: MIT */
/* Events: what a parsed server-log line means. Parsers produce them, the replay consumes them. */
#ifndef LC_EVENT_H
#define LC_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "lc/util.h"

/* How a physical line was classified, for the input accounting of REPORT-SCHEMA.md. */
enum lc_line_class {
	LC_LINE_RECOGNIZED,
	LC_LINE_FOREIGN,
	LC_LINE_MALFORMED,
};

/* The server's buffer types in its enum order; LC_TYPE_OTHER stands for any other name. */
enum lc_btype {
	LC_TYPE_DRAM,
	LC_TYPE_L1,
	LC_TYPE_SYSTEM_MEMORY,
	LC_TYPE_L1_SMALL,
	LC_TYPE_TRACE,
	LC_TYPE_OTHER,
};
#define LC_NTYPES_KNOWN 5

/* Returns the enum value of a type name, LC_TYPE_OTHER when it is not one of the five. */
enum lc_btype lc_type_from_name(struct lc_span name);
/* Returns the printed name of a known type. */
const char *lc_type_name(enum lc_btype t);
/*
 * Orders (device, type) pairs as every report does: devices ascending, then types in the
 * server's enum order DRAM, L1, SYSTEM_MEMORY, L1_SMALL, TRACE, then other names bytewise.
 * Returns <0, 0 or >0.
 */
int lc_device_type_cmp(int32_t da, const char *ta, int32_t db, const char *tb);

enum lc_sev_kind {
	LC_SEV_NONE,            /* recognized line that changes nothing */
	LC_SEV_BANNER,          /* start banner; enh when the enhanced server */
	LC_SEV_DETECT,          /* device-detection title; version 2/3 (TT-Metal), 5 (UMD), 6 */
	LC_SEV_ALLOC,
	LC_SEV_FREE,
	LC_SEV_UNKNOWN_FREE,
	LC_SEV_REUSE_SIZE,      /* enhanced server: the next ref-count alloc replaces the size */
	LC_SEV_CB_ALLOC,
	LC_SEV_CB_FREE,
	LC_SEV_KERNEL_LOAD,
	LC_SEV_KERNEL_UNLOAD,
	LC_SEV_STATS_BEGIN,
	LC_SEV_STATS_DEVICE,
	LC_SEV_STATS_BUFFERS,
	LC_SEV_STATS_BYTES,     /* which: 0 DRAM, 1 L1, 2 Total */
	LC_SEV_STATS_ACTIVE,
	LC_SEV_CLEANUP_BEGIN,
	LC_SEV_CLEANUP_PID,
	LC_SEV_CLEANUP_REMOVED, /* which: 0 buffers, 1 CBs, 2 kernels */
	LC_SEV_DUMP_RECEIVED,
	LC_SEV_DUMP_TITLE,
	LC_SEV_DUMP_TRACKED,
	LC_SEV_DUMP_DEVICE,
	LC_SEV_DUMP_TYPE,
	LC_SEV_DUMP_BUFFER,
	LC_SEV_DUMP_EMPTY,
	LC_SEV_DUMP_TOTAL,
	LC_SEV_DUMP_COMPLETE,
};

/*
 * One server-log event. Spans borrow from the line being parsed and live
 * until the next line is read.
 */
struct lc_sevent {
	enum lc_sev_kind kind;
	bool has_pid, has_device, has_bytes, final, enh;
	bool id_decimal;         /* alloc, free, unknown free: the buffer id was printed in decimal (no 0x) */
	int which;               /* see the kinds above */
	int version;             /* LC_SEV_DETECT */
	int32_t pid;
	int32_t device;
	int32_t ref_count;       /* alloc: new count (0 = new key); free: remaining; dump: current */
	uint64_t id;             /* buffer id (device address) */
	uint64_t size;           /* bytes */
	uint64_t value;          /* counts: stats, dump, cleanup */
	struct lc_span type;     /* type name as printed */
	struct lc_span num1;     /* %g figure as printed: KB, MB, or the +/- MB of CB/kernel lines */
	struct lc_span num2;     /* second %g figure: the Total of CB/kernel lines */
};

/* ---------- the buffer debug log's events: whole blocks (FORMATS.md section 3) ---------- */

#define LC_DEBUG_MAX_FRAMES 8       /* the library prints at most 8 frames */
#define LC_DEBUG_MAX_FRAME_LEN 4096 /* a longer frame line is malformed */

enum lc_dblock_kind {
	LC_DBLOCK_ALLOCATED,
	LC_DBLOCK_DEALLOCATED,
	LC_DBLOCK_DESTRUCTOR,
};

/*
 * One parsed block of the buffer debug log. Spans borrow from the parser that made it
 * and live until it parses the next line.
 */
struct lc_dblock {
	enum lc_dblock_kind kind;
	uint64_t line;            /* the title's line */
	int32_t device;
	uint64_t address, size, pointer;
	struct lc_span type;
	bool owns, hooked;
	char time[9];             /* the Time: field when it is HH:MM:SS (two digits each), else "" */
	struct lc_span frames[LC_DEBUG_MAX_FRAMES];
	size_t nframes;
};

#endif
