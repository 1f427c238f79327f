// SPDX-License-Identifier: MIT
// Streaming line reader: big reads, memchr line splitting, zlib inflate for gzip members.
#include "lc/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RAW_CHUNK (256u * 1024u)
#define OUT_CHUNK (1024u * 1024u)

struct lc_reader {
	char *path;
	int fd;
	bool own_fd;
	bool gz;
	bool raw_eof;      /* no more raw bytes from the file */
	bool eof;          /* no more decompressed bytes */
	bool truncated;
	bool failed;       /* an error was reported; stop producing data */
	uint64_t file_size;

	/* raw input (compressed bytes, or plain bytes before they move to buf) */
	unsigned char *raw;
	size_t raw_pos, raw_len;

	z_stream z;
	bool z_live;       /* inside a gzip member */
	bool z_inited;

	/* decompressed data; [pos, len) not yet consumed, lines split from pos */
	char *buf;
	size_t pos, len, cap;
	size_t scan;       /* bytes from pos already known to hold no '\n' */

	uint64_t lineno;
	uint64_t bytes;
};

static int fail(struct lc_reader *r, const char *what)
{
	r->failed = true;
	r->truncated = true;
	r->eof = true;
	return lc_error("%s: %s", r->path, what);
}

/* Reads more raw bytes, appending after raw_len. Returns bytes read, 0 at EOF, -1 on error. */
static ssize_t raw_fill(struct lc_reader *r)
{
	if (r->raw_eof)
		return 0;
	if (r->raw_pos == r->raw_len)
		r->raw_pos = r->raw_len = 0;
	if (r->raw_len == RAW_CHUNK) {
		memmove(r->raw, r->raw + r->raw_pos, r->raw_len - r->raw_pos);
		r->raw_len -= r->raw_pos;
		r->raw_pos = 0;
	}
	for (;;) {
		ssize_t n = read(r->fd, r->raw + r->raw_len, RAW_CHUNK - r->raw_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(r, strerror(errno));
			return -1;
		}
		if (n == 0)
			r->raw_eof = true;
		r->raw_len += (size_t)n;
		return n;
	}
}

struct lc_reader *lc_reader_open(const char *path)
{
	struct lc_reader *r = lc_xcalloc(1, sizeof *r);
	r->path = lc_xstrndup(path, strlen(path));
	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			lc_error("%s: %s", path, strerror(errno));
			free(r->path);
			free(r);
			return NULL;
		}
		r->own_fd = true;
	}
	struct stat st;
	if (fstat(r->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			lc_error("%s: is a directory", path);
			lc_reader_destroy(r);
			return NULL;
		}
		if (S_ISREG(st.st_mode))
			r->file_size = (uint64_t)st.st_size;
	}
	r->raw = lc_xmalloc(RAW_CHUNK);
	r->cap = OUT_CHUNK;
	r->buf = lc_xmalloc(r->cap);

	/* Sniff the magic bytes; a one-byte file is plain. */
	while (r->raw_len < 2 && !r->raw_eof) {
		if (raw_fill(r) < 0) {
			lc_reader_destroy(r);
			return NULL;
		}
	}
	if (r->raw_len >= 2 && (unsigned char)r->raw[0] == 0x1f && (unsigned char)r->raw[1] == 0x8b) {
		r->gz = true;
		if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK) {
			lc_error("%s: cannot initialise zlib", path);
			lc_reader_destroy(r);
			return NULL;
		}
		r->z_inited = true;
		r->z_live = true;
	}
	return r;
}

void lc_reader_destroy(struct lc_reader *r)
{
	if (!r)
		return;
	if (r->z_inited)
		inflateEnd(&r->z);
	if (r->own_fd)
		close(r->fd);
	free(r->raw);
	free(r->buf);
	free(r->path);
	free(r);
}

/* Makes room for at least `room` more bytes after len, compacting first. */
static void make_room(struct lc_reader *r, size_t room)
{
	if (r->pos > 0 && r->cap - r->len < room) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->len < room) {
		size_t nc = r->cap;
		while (nc - r->len < room)
			nc *= 2;
		r->buf = lc_xrealloc(r->buf, nc);
		r->cap = nc;
	}
}

/* Decompresses into buf. Returns bytes produced (0 only at the end); -1 on error. */
static ssize_t gz_fill(struct lc_reader *r)
{
	for (;;) {
		if (!r->z_live) {
			/* Between members: more data must start with the gzip magic. */
			while (r->raw_len - r->raw_pos < 2 && !r->raw_eof)
				if (raw_fill(r) < 0)
					return -1;
			size_t avail = r->raw_len - r->raw_pos;
			if (avail == 0) {
				r->eof = true;
				return 0;
			}
			const unsigned char *m = r->raw + r->raw_pos;
			if (avail < 2 || m[0] != 0x1f || m[1] != 0x8b) {
				fail(r, "trailing garbage after gzip data");
				return -1;
			}
			inflateReset(&r->z);
			r->z_live = true;
		}
		if (r->raw_pos == r->raw_len) {
			ssize_t n = raw_fill(r);
			if (n < 0)
				return -1;
			if (n == 0) {
				fail(r, "truncated gzip stream (unexpected end of file)");
				return -1;
			}
		}
		r->z.next_in = r->raw + r->raw_pos;
		r->z.avail_in = (uInt)(r->raw_len - r->raw_pos);
		r->z.next_out = (Bytef *)(r->buf + r->len);
		size_t room = r->cap - r->len;
		if (room > UINT32_MAX)
			room = UINT32_MAX;
		r->z.avail_out = (uInt)room;
		int rc = inflate(&r->z, Z_NO_FLUSH);
		size_t produced = room - r->z.avail_out;
		r->raw_pos = r->raw_len - r->z.avail_in;
		r->len += produced;
		if (rc == Z_STREAM_END) {
			r->z_live = false;
		} else if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR) {
			char msg[160];
			snprintf(msg, sizeof msg, "corrupt gzip data (%s)", r->z.msg ? r->z.msg : "inflate error");
			r->bytes += produced;
			fail(r, msg);
			return -1;
		}
		if (produced) {
			r->bytes += produced;
			return (ssize_t)produced;
		}
	}
}

/* Appends more data to buf. Returns bytes added (0 at the end); -1 on error. */
static ssize_t fill(struct lc_reader *r)
{
	if (r->eof || r->failed)
		return 0;
	make_room(r, OUT_CHUNK / 2);
	if (r->gz)
		return gz_fill(r);
	/* Plain: hand over what the sniff left in raw, then read straight into buf. */
	if (r->raw_pos < r->raw_len) {
		size_t n = r->raw_len - r->raw_pos;
		if (n > r->cap - r->len)
			n = r->cap - r->len;
		memcpy(r->buf + r->len, r->raw + r->raw_pos, n);
		r->raw_pos += n;
		r->len += n;
		r->bytes += n;
		return (ssize_t)n;
	}
	if (r->raw_eof) {
		r->eof = true;
		return 0;
	}
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(r, strerror(errno));
			return -1;
		}
		if (n == 0) {
			r->raw_eof = r->eof = true;
			return 0;
		}
		r->len += (size_t)n;
		r->bytes += (uint64_t)n;
		return n;
	}
}

int lc_reader_next(struct lc_reader *r, struct lc_span *line)
{
	for (;;) {
		size_t avail = r->len - r->pos;
		if (r->scan < avail) {
			char *start = r->buf + r->pos;
			char *nl = memchr(start + r->scan, '\n', avail - r->scan);
			if (nl) {
				size_t n = (size_t)(nl - start);
				r->pos += n + 1;
				r->scan = 0;
				if (n && start[n - 1] == '\r')
					n--;
				line->p = start;
				line->n = n;
				r->lineno++;
				return 1;
			}
			r->scan = avail;
		}
		/* fill() may compact the buffer; scan is relative to pos, so it stays valid. */
		ssize_t got = fill(r);
		if (got > 0)
			continue;
		avail = r->len - r->pos;
		if (avail > 0) {
			char *start = r->buf + r->pos;
			size_t n = avail;
			r->pos = r->len;
			r->scan = 0;
			if (n && start[n - 1] == '\r')
				n--;
			line->p = start;
			line->n = n;
			r->lineno++;
			return 1;
		}
		return got < 0 || r->failed ? -1 : 0;
	}
}

void lc_reader_peek(struct lc_reader *r, size_t want, struct lc_span *out)
{
	while (r->len - r->pos < want && !r->eof && !r->failed)
		if (fill(r) <= 0)
			break;
	out->p = r->buf + r->pos;
	out->n = r->len - r->pos;
}

uint64_t lc_reader_lineno(const struct lc_reader *r) { return r->lineno; }
uint64_t lc_reader_bytes(const struct lc_reader *r) { return r->bytes; }
bool lc_reader_compressed(const struct lc_reader *r) { return r->gz; }
bool lc_reader_truncated(const struct lc_reader *r) { return r->truncated; }
uint64_t lc_reader_file_size(const struct lc_reader *r) { return r->file_size; }
const char *lc_reader_path(const struct lc_reader *r) { return r->path; }
