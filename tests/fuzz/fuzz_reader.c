// SPDX-License-Identifier: MIT
// Fuzz target: bytes as a file (plain or gzip, decided by the reader) read line by line, once
// inline and once with the reading thread; both must hand out the same lines and the same end.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "lc/reader.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/*
 * No line is started past this many bytes (+1 per line): a 4 KiB gzip input can inflate to
 * 4 MiB of short lines, and reading those twice per input made the target ~500 runs/s. Both
 * readers stop at the same line, so the comparison still holds; 16 chunks of 4 KiB reach
 * every path of the chunk logic, and a line begun before the cap is read whole, however long
 * (the carry buffer).
 */
#define READ_CAP (64u << 10)

struct digest {
	uint64_t lines, bytes, hash;
	int rc;
	bool truncated;
};

static struct digest read_all(const char *path, unsigned threads)
{
	struct digest d = { 0, 0, 0, 0, false };
	struct lc_reader *r = lc_reader_open_threads(path, threads);
	if (!r) {
		d.rc = -2;
		return d;
	}
	struct lc_span s;
	while (d.bytes + d.lines < READ_CAP && (d.rc = lc_reader_next(r, &s)) > 0) {
		d.lines++;
		d.bytes += s.n;
		/* zlib's CRC: not instrumented, where a byte loop here was half the time (cmp tracing) */
		d.hash = crc32(d.hash, (const Bytef *)s.p, (uInt)s.n);
		d.hash = crc32(d.hash, (const Bytef *)"\n", 1); /* line boundary */
	}
	d.truncated = d.rc <= 0 && lc_reader_truncated(r);
	if (lc_reader_lineno(r) != d.lines)
		abort();
	lc_reader_destroy(r);
	return d;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char path[] = "/tmp/lc-fuzz-reader-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);
	struct digest a = read_all(path, 1), b = read_all(path, 2);
	if (a.lines != b.lines || a.bytes != b.bytes || a.hash != b.hash || a.rc != b.rc || a.truncated != b.truncated)
		abort(); /* the threaded reader differs from the inline one */
	unlink(path);
	return 0;
}
