// SPDX-License-Identifier: MIT
// Fuzz target: bytes as a file (plain or gzip, decided by the reader) read line by line.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lc/reader.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

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
	struct lc_reader *r = lc_reader_open(path);
	if (r) {
		struct lc_span s;
		uint64_t total = 0;
		while (lc_reader_next(r, &s) > 0)
			total += s.n;
		(void)total;
		lc_reader_destroy(r);
	}
	unlink(path);
	return 0;
}
