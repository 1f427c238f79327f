// SPDX-License-Identifier: MIT
// Unit tests of the line reader: plain, gzip (multi-member, cut, bad CRC, garbage), CRLF, NUL, long lines.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "lc/reader.h"
#include "tap.h"

static char dir[] = "/tmp/lc-reader-XXXXXX";

static char *path_of(const char *name)
{
	static char buf[256];
	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

static void write_file(const char *name, const void *p, size_t n)
{
	FILE *f = fopen(path_of(name), "wb");
	fwrite(p, 1, n, f);
	fclose(f);
}

/* One gzip member of data, made with zlib's deflate (windowBits 31 = gzip wrapper). */
static size_t gzip_member(const void *data, size_t n, unsigned char *out, size_t cap)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	size_t len = cap - z.avail_out;
	deflateEnd(&z);
	return len;
}

struct collected {
	int rc;
	size_t nlines;
	char lines[8][64];
	size_t lens[8];
	uint64_t bytes;
	bool truncated, compressed;
};

static struct collected collect(const char *name)
{
	struct collected c;
	memset(&c, 0, sizeof c);
	struct lc_reader *r = lc_reader_open(path_of(name));
	if (!r) {
		c.rc = -2;
		return c;
	}
	struct lc_span s;
	while ((c.rc = lc_reader_next(r, &s)) > 0) {
		if (c.nlines < 8) {
			size_t n = s.n < 63 ? s.n : 63;
			memcpy(c.lines[c.nlines], s.p, n);
			c.lens[c.nlines] = s.n;
		}
		c.nlines++;
	}
	c.bytes = lc_reader_bytes(r);
	c.truncated = lc_reader_truncated(r);
	c.compressed = lc_reader_compressed(r);
	lc_reader_destroy(r);
	return c;
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;

	write_file("empty", "", 0);
	struct collected c = collect("empty");
	OK(c.rc == 0 && c.nlines == 0 && c.bytes == 0 && !c.truncated, "empty file: no lines, not truncated");

	write_file("crlf", "a\r\nbb\r\n\r\nlast", 13);
	c = collect("crlf");
	EQ_U64(c.nlines, 4, "CRLF file: 4 lines, last without newline");
	EQ_STR(c.lines[0], "a", "CR removed from line 1");
	EQ_U64(c.lens[2], 0, "empty CRLF line has length 0");
	EQ_STR(c.lines[3], "last", "final line without newline kept");
	EQ_U64(c.bytes, 13, "bytes counts every byte, CRs included");

	write_file("nul", "x\0y\nz\n", 6);
	c = collect("nul");
	EQ_U64(c.nlines, 2, "NUL inside a line does not split it");
	EQ_U64(c.lens[0], 3, "line with NUL keeps its length");

	write_file("one", "Q", 1);
	c = collect("one");
	OK(c.nlines == 1 && !c.compressed, "one-byte file is one plain line");

	size_t big = 5u * 1024 * 1024 + 17;
	char *long_line = malloc(big + 3);
	memset(long_line, 'x', big);
	memcpy(long_line + big, "\nY", 2);
	write_file("long", long_line, big + 2);
	c = collect("long");
	OK(c.nlines == 2 && c.lens[0] == big && c.lens[1] == 1, "5 MiB line read whole, then the next");

	/* gzip: two members concatenated form one stream */
	unsigned char gz[4096], gz2[4096];
	size_t n1 = gzip_member("one\ntwo\n", 8, gz, sizeof gz);
	size_t n2 = gzip_member("three\n", 6, gz2, sizeof gz2);
	unsigned char both[8192];
	memcpy(both, gz, n1);
	memcpy(both + n1, gz2, n2);
	write_file("multi.gz", both, n1 + n2);
	c = collect("multi.gz");
	OK(c.rc == 0 && c.nlines == 3 && c.compressed && !c.truncated, "multi-member gzip: 3 lines, not truncated");
	EQ_STR(c.lines[2], "three", "second member's line read");
	EQ_U64(c.bytes, 14, "decompressed bytes counted");

	/* compression is chosen by magic bytes, not by name */
	write_file("plain.gz", "not gzip\n", 9);
	c = collect("plain.gz");
	OK(c.nlines == 1 && !c.compressed, "a .gz name with plain content is read as plain");
	write_file("gzip.log", gz, n1);
	c = collect("gzip.log");
	OK(c.nlines == 2 && c.compressed, "gzip content without .gz name is decompressed");

	/* truncated: cut inside the member */
	write_file("cut.gz", gz, n1 - 6);
	c = collect("cut.gz");
	OK(c.rc < 0 && c.truncated, "cut gzip reports an error and truncation");

	/* bad CRC: flip a byte of the trailer's CRC32 */
	memcpy(both, gz, n1);
	both[n1 - 8] ^= 0xff;
	write_file("crc.gz", both, n1);
	c = collect("crc.gz");
	OK(c.rc < 0 && c.truncated, "bad CRC is reported as corrupt");

	/* garbage after a member */
	memcpy(both, gz, n1);
	memcpy(both + n1, "garbage", 7);
	write_file("garbage.gz", both, n1 + 7);
	c = collect("garbage.gz");
	OK(c.rc < 0 && c.truncated && c.nlines == 2, "garbage after a member: lines kept, error reported");

	OK(lc_reader_open(path_of("missing")) == NULL, "missing file cannot be opened");
	OK(lc_reader_open(dir) == NULL, "a directory is refused");

	/* peek does not consume */
	struct lc_reader *r = lc_reader_open(path_of("crlf"));
	struct lc_span head, s;
	lc_reader_peek(r, 1024, &head);
	EQ_U64(head.n, 13, "peek sees the whole small file");
	OK(lc_reader_next(r, &s) == 1 && s.n == 1 && s.p[0] == 'a', "first line still there after peek");
	lc_reader_destroy(r);

	free(long_line);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
