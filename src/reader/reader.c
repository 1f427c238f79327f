// SPDX-License-Identifier: MIT
// Streaming line reader: a source fills large chunks (plain reads, or gzip inflated with ISA-L or
// zlib), on a thread of its own or inline; lines are split from the chunks with memchr.
#include "lc/reader.h"

#include "lc/handoff.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef LC_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#else
#include <zlib.h>
#endif

#define RAW_CHUNK (256u * 1024u)
#ifdef LC_FUZZ_SMALL_CHUNKS
/* Fuzzing: small chunks, so lines cross chunk ends all the time and each run is cheap. */
#define CHUNK_DATA (4u * 1024u)
#else
#define CHUNK_DATA (2u * 1024u * 1024u)
#endif
/* Room before a chunk's data: the unfinished line of the previous chunk moves there. */
#define CHUNK_HEAD (64u * 1024u)
/* Chunks in flight when a thread produces them: one being split, the others filled ahead. */
#define NCHUNKS_THREADED 4

struct chunk {
	struct lc_slot slot;         /* first: the hand-off's link */
	char *mem;                   /* CHUNK_HEAD + CHUNK_DATA bytes */
	size_t len;                  /* data bytes at mem + CHUNK_HEAD */
	int end;                     /* 0: more follows; 1: the input ends here; -1: it failed here */
	char err[200];               /* end == -1: why */
	uint64_t raw_offset;         /* bytes of the file consumed once this chunk was filled */
};

/* The source: raw bytes from the file, decompressed when gzip. Used by one thread at a time. */
struct source {
	int fd;
	bool gz;
	bool raw_eof;
	bool done;                   /* the source produced its end (or error) chunk */
	unsigned char *raw;
	size_t raw_pos, raw_len;
	uint64_t raw_offset;         /* bytes read from the file */
	bool member_live;            /* inside a gzip member */
#ifdef LC_HAVE_ISAL
	struct inflate_state *isal;
	/*
	 * The last 32 KiB of output, put in front of each chunk's data before inflating into it.
	 * ISA-L copies back-references from just before its output pointer and, on corrupt input,
	 * may reach before the start of the stream; with this in place what it reads is always
	 * the stream's own history (zeros before the start), so even a corrupt stream decodes to
	 * the same bytes whichever chunk it lands in, on one thread or two.
	 */
	unsigned char *hist;
#else
	z_stream z;
	bool z_inited;
#endif
};

struct lc_reader {
	char *path;
	bool own_fd;
	uint64_t file_size;
	struct source src;

	/* chunk hand-over: inline (threads == 1) or through a producer thread */
	bool threaded;
	pthread_t thread;
	struct lc_handoff q;         /* chunks between the producer thread and the consumer */
	struct chunk *spare;         /* inline mode: the chunk filled next */

	/* consumer: [pos, len) of buf not yet consumed; scan bytes from pos hold no '\n' */
	struct chunk *cur;           /* owns buf, or NULL when buf is carry */
	struct lc_buf carry;         /* a line longer than a chunk's head room, held once */
	char *buf;
	size_t pos, len, scan;
	int end;                     /* 0 while chunks follow; 1 ended; -1 failed (reported) */
	bool truncated;
	uint64_t lineno;
	uint64_t bytes;
	uint64_t raw_offset;
};

/* ---------- the source ---------- */

static void src_error(struct chunk *c, const char *what)
{
	c->end = -1;
	snprintf(c->err, sizeof c->err, "%s", what);
}

/* Reads more raw bytes after raw_len. Returns bytes read, 0 at EOF, -1 on error (errno kept). */
static ssize_t raw_fill(struct source *s)
{
	if (s->raw_eof)
		return 0;
	if (s->raw_pos == s->raw_len)
		s->raw_pos = s->raw_len = 0;
	if (s->raw_len == RAW_CHUNK) {
		memmove(s->raw, s->raw + s->raw_pos, s->raw_len - s->raw_pos);
		s->raw_len -= s->raw_pos;
		s->raw_pos = 0;
	}
	for (;;) {
		ssize_t n = read(s->fd, s->raw + s->raw_len, RAW_CHUNK - s->raw_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			s->raw_eof = true;
		s->raw_len += (size_t)n;
		s->raw_offset += (uint64_t)n;
		return n;
	}
}

/* Plain input: what the sniff left in raw, then reads straight into the chunk. */
static void plain_fill(struct source *s, struct chunk *c)
{
	char *out = c->mem + CHUNK_HEAD;
	if (s->raw_pos < s->raw_len) {
		size_t n = s->raw_len - s->raw_pos;
		if (n > CHUNK_DATA)
			n = CHUNK_DATA;
		memcpy(out, s->raw + s->raw_pos, n);
		s->raw_pos += n;
		c->len = n;
	}
	while (c->len < CHUNK_DATA) {
		if (s->raw_eof) {
			c->end = 1;
			return;
		}
		ssize_t n = read(s->fd, out + c->len, CHUNK_DATA - c->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			src_error(c, strerror(errno));
			return;
		}
		if (n == 0)
			s->raw_eof = true;
		c->len += (size_t)n;
		s->raw_offset += (uint64_t)n;
	}
}

/*
 * Starts the next gzip member or ends the input. Returns 1 when a member starts, 0 at a clean
 * end, -1 on an error recorded in c.
 */
static int member_next(struct source *s, struct chunk *c)
{
	while (s->raw_len - s->raw_pos < 4 && !s->raw_eof)
		if (raw_fill(s) < 0) {
			src_error(c, strerror(errno));
			return -1;
		}
	size_t avail = s->raw_len - s->raw_pos;
	if (avail == 0)
		return 0;
	const unsigned char *m = s->raw + s->raw_pos;
	if (avail < 2 || m[0] != 0x1f || m[1] != 0x8b) {
		src_error(c, "trailing garbage after gzip data");
		return -1;
	}
	/* RFC 1952: method 8 (deflate), reserved flag bits zero; both inflaters then agree. */
	if (avail >= 3 && m[2] != 8) {
		src_error(c, "corrupt gzip data (unknown compression method)");
		return -1;
	}
	if (avail >= 4 && (m[3] & 0xe0)) {
		src_error(c, "corrupt gzip data (unknown header flags set)");
		return -1;
	}
#ifdef LC_HAVE_ISAL
	isal_inflate_reset(s->isal);
	s->isal->crc_flag = ISAL_GZIP;
#else
	inflateReset(&s->z);
#endif
	s->member_live = true;
	return 1;
}

/* Inflates one step into out[0, room). Returns bytes produced; sets *member_end; -1 on error. */
static ssize_t inflate_step(struct source *s, struct chunk *c, char *out, size_t room, bool *member_end)
{
	*member_end = false;
#ifdef LC_HAVE_ISAL
	struct inflate_state *st = s->isal;
	st->next_in = s->raw + s->raw_pos;
	st->avail_in = (uint32_t)(s->raw_len - s->raw_pos);
	st->next_out = (uint8_t *)out;
	st->avail_out = (uint32_t)room;
	int rc = isal_inflate(st);
	size_t produced = room - st->avail_out;
	s->raw_pos = s->raw_len - st->avail_in;
	if (rc != ISAL_DECOMP_OK) {
		const char *why = rc == ISAL_INCORRECT_CHECKSUM ? "corrupt gzip data (incorrect data check)"
				  : rc == ISAL_INVALID_WRAPPER ? "corrupt gzip data (incorrect header)"
				  : rc == ISAL_UNSUPPORTED_METHOD ? "corrupt gzip data (unknown compression method)"
								  : "corrupt gzip data (invalid deflate data)";
		src_error(c, why);
		return (ssize_t)produced ? (ssize_t)produced : -1;
	}
	if (st->block_state == ISAL_BLOCK_FINISH)
		*member_end = true;
	return (ssize_t)produced;
#else
	s->z.next_in = s->raw + s->raw_pos;
	s->z.avail_in = (uInt)(s->raw_len - s->raw_pos);
	s->z.next_out = (Bytef *)out;
	s->z.avail_out = (uInt)room;
	int rc = inflate(&s->z, Z_NO_FLUSH);
	size_t produced = room - s->z.avail_out;
	s->raw_pos = s->raw_len - s->z.avail_in;
	if (rc == Z_STREAM_END) {
		*member_end = true;
	} else if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR) {
		char msg[160];
		snprintf(msg, sizeof msg, "corrupt gzip data (%s)", s->z.msg ? s->z.msg : "inflate error");
		src_error(c, msg);
		return (ssize_t)produced ? (ssize_t)produced : -1;
	}
	return (ssize_t)produced;
#endif
}

#define HIST (32u * 1024u)

static void gz_fill(struct source *s, struct chunk *c)
{
	char *out = c->mem + CHUNK_HEAD;
#ifdef LC_HAVE_ISAL
	/* Invalid distance codes can reach 64 KiB back: what lies beyond the history is zeros. */
	memset(c->mem, 0, CHUNK_HEAD - HIST);
	memcpy(out - HIST, s->hist, HIST);
#endif
	while (c->len < CHUNK_DATA && !c->end) {
		if (!s->member_live) {
			int rc = member_next(s, c);
			if (rc <= 0) {
				if (rc == 0)
					c->end = 1;
				return;
			}
		}
		if (s->raw_pos == s->raw_len && !s->raw_eof && raw_fill(s) < 0) {
			src_error(c, strerror(errno));
			return;
		}
		size_t before = s->raw_pos;
		bool member_end;
		ssize_t got = inflate_step(s, c, out + c->len, CHUNK_DATA - c->len, &member_end);
		if (got > 0)
			c->len += (size_t)got;
		if (c->end)
			return;
		if (member_end) {
			s->member_live = false;
			continue;
		}
		/* No progress: the decoder needs more input than there is. */
		if (got <= 0 && s->raw_pos == before) {
			if (s->raw_eof) {
				src_error(c, "truncated gzip stream (unexpected end of file)");
				return;
			}
			if (raw_fill(s) < 0) {
				src_error(c, strerror(errno));
				return;
			}
		}
	}
}

/* Fills c with the next bytes of the input; c->end marks the last chunk. */
static void produce(struct source *s, struct chunk *c)
{
	c->len = 0;
	c->end = 0;
	c->err[0] = '\0';
	if (s->gz) {
		gz_fill(s, c);
#ifdef LC_HAVE_ISAL
		/* the history for the next chunk: the last HIST bytes of output, this chunk's included */
		const char *data = c->mem + CHUNK_HEAD;
		if (c->len >= HIST) {
			memcpy(s->hist, data + c->len - HIST, HIST);
		} else {
			memmove(s->hist, s->hist + c->len, HIST - c->len);
			memcpy(s->hist + HIST - c->len, data, c->len);
		}
#endif
	} else
		plain_fill(s, c);
	if (c->end)
		s->done = true;
	c->raw_offset = s->raw_offset - (s->raw_len - s->raw_pos);
}

/* ---------- chunk hand-over ---------- */

static struct chunk *chunk_new(void)
{
	struct chunk *c = lc_xcalloc(1, sizeof *c);
	c->mem = lc_xmalloc(CHUNK_HEAD + CHUNK_DATA);
	return c;
}

static void chunk_free(struct chunk *c)
{
	if (c) {
		free(c->mem);
		free(c);
	}
}

static void free_slot(struct lc_slot *s)
{
	chunk_free((struct chunk *)s);
}

static void *producer_main(void *arg)
{
	struct lc_reader *r = arg;
	struct chunk *c;
	while ((c = (struct chunk *)lc_handoff_take_empty(&r->q))) {
		produce(&r->src, c);
		bool end = c->end != 0; /* read before the consumer owns c */
		lc_handoff_put_full(&r->q, &c->slot);
		if (end)
			break;
	}
	return NULL;
}

/* The next filled chunk, in input order. */
static struct chunk *take_chunk(struct lc_reader *r)
{
	if (!r->threaded) {
		struct chunk *c = r->spare ? r->spare : chunk_new();
		r->spare = NULL;
		produce(&r->src, c);
		return c;
	}
	return (struct chunk *)lc_handoff_take_full(&r->q);
}

static void give_back(struct lc_reader *r, struct chunk *c)
{
	if (!c)
		return;
	if (!r->threaded) {
		if (r->spare)
			chunk_free(r->spare);
		r->spare = c;
		return;
	}
	lc_handoff_put_empty(&r->q, &c->slot);
}

/* ---------- open and close ---------- */

static int source_init(struct lc_reader *r)
{
	struct source *s = &r->src;
	s->raw = lc_xmalloc(RAW_CHUNK);
	/* Sniff the magic bytes; a one-byte file is plain. */
	while (s->raw_len < 2 && !s->raw_eof) {
		if (raw_fill(s) < 0)
			return lc_error("%s: %s", r->path, strerror(errno));
	}
	if (s->raw_len >= 2 && s->raw[0] == 0x1f && s->raw[1] == 0x8b) {
		s->gz = true;
		s->member_live = false; /* member_next() checks the first header too */
#ifdef LC_HAVE_ISAL
		s->isal = lc_xcalloc(1, sizeof *s->isal); /* its buffers are read before written on corrupt input */
		s->hist = lc_xcalloc(1, HIST);
		isal_inflate_init(s->isal);
		s->isal->crc_flag = ISAL_GZIP;
#else
		if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
			return lc_error("%s: cannot initialise zlib", r->path);
		s->z_inited = true;
#endif
	}
	return 0;
}

struct lc_reader *lc_reader_open_threads(const char *path, unsigned threads)
{
	struct lc_reader *r = lc_xcalloc(1, sizeof *r);
	r->path = lc_xstrndup(path, strlen(path));
	if (strcmp(path, "-") == 0) {
		r->src.fd = STDIN_FILENO;
	} else {
		r->src.fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->src.fd < 0) {
			lc_error("%s: %s", path, strerror(errno));
			free(r->path);
			free(r);
			return NULL;
		}
		r->own_fd = true;
	}
	struct stat st;
	if (fstat(r->src.fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			lc_error("%s: is a directory", path);
			lc_reader_destroy(r);
			return NULL;
		}
		if (S_ISREG(st.st_mode))
			r->file_size = (uint64_t)st.st_size;
	}
	if (source_init(r) < 0) {
		lc_reader_destroy(r);
		return NULL;
	}
	if (threads > 1) {
		lc_handoff_init(&r->q);
		for (int i = 0; i < NCHUNKS_THREADED; i++)
			lc_handoff_put_empty(&r->q, &chunk_new()->slot);
		r->threaded = pthread_create(&r->thread, NULL, producer_main, r) == 0;
		if (!r->threaded) {
			lc_handoff_drain(&r->q, free_slot);
			lc_handoff_release(&r->q);
		}
	}
	return r;
}

struct lc_reader *lc_reader_open(const char *path)
{
	return lc_reader_open_threads(path, 1);
}


void lc_reader_destroy(struct lc_reader *r)
{
	if (!r)
		return;
	if (r->threaded) {
		lc_handoff_stop(&r->q);
		pthread_join(r->thread, NULL);
		lc_handoff_drain(&r->q, free_slot);
		lc_handoff_release(&r->q);
	}
	chunk_free(r->cur);
	chunk_free(r->spare);
	lc_buf_release(&r->carry);
#ifdef LC_HAVE_ISAL
	free(r->src.isal);
	free(r->src.hist);
#else
	if (r->src.z_inited)
		inflateEnd(&r->src.z);
#endif
	if (r->own_fd)
		close(r->src.fd);
	free(r->src.raw);
	free(r->path);
	free(r);
}

/* ---------- lines ---------- */

/*
 * Appends the next chunk to the unconsumed tail [pos, len). Returns 1 when bytes were added,
 * 0 at the end of the input, -1 when it failed (reported here, once).
 */
static int advance(struct lc_reader *r)
{
	while (!r->end) {
		struct chunk *c = take_chunk(r);
		r->bytes += c->len;
		r->raw_offset = c->raw_offset;
		size_t tail = r->len - r->pos;
		bool added = c->len > 0;
		if (tail <= CHUNK_HEAD) {
			char *dst = c->mem + CHUNK_HEAD - tail;
			if (tail)
				memmove(dst, r->buf + r->pos, tail);
			give_back(r, r->cur);
			r->cur = c;
			r->buf = dst;
			r->len = tail + c->len;
			if (r->carry.cap > 2 * (size_t)CHUNK_DATA)
				lc_buf_release(&r->carry); /* a long line is gone; so is its memory */
		} else {
			if (r->cur) {
				lc_buf_reset(&r->carry);
				lc_buf_add(&r->carry, r->buf + r->pos, tail);
				give_back(r, r->cur);
				r->cur = NULL;
			} else {
				memmove(r->carry.p, r->carry.p + r->pos, tail);
				r->carry.n = tail;
			}
			lc_buf_add(&r->carry, c->mem + CHUNK_HEAD, c->len);
			r->buf = r->carry.p;
			r->len = r->carry.n;
			r->end = c->end;
			if (c->end < 0)
				lc_error("%s: %s", r->path, c->err);
			give_back(r, c);
			r->pos = 0;
			if (r->end < 0)
				r->truncated = true;
			return added ? 1 : r->end < 0 ? -1 : 0;
		}
		r->pos = 0;
		r->end = c->end;
		if (c->end < 0) {
			r->truncated = true;
			lc_error("%s: %s", r->path, c->err);
		}
		if (added)
			return 1;
	}
	return r->end < 0 ? -1 : 0;
}

static void hand_out(struct lc_reader *r, struct lc_span *line, size_t n)
{
	char *start = r->buf + r->pos;
	r->pos += n;
	r->scan = 0;
	if (n && start[n - 1] == '\n')
		n--;
	if (n && start[n - 1] == '\r')
		n--;
	line->p = start;
	line->n = n;
	r->lineno++;
}

int lc_reader_next(struct lc_reader *r, struct lc_span *line)
{
	for (;;) {
		size_t avail = r->len - r->pos;
		if (r->scan < avail) {
			char *start = r->buf + r->pos;
			char *nl = memchr(start + r->scan, '\n', avail - r->scan);
			if (nl) {
				hand_out(r, line, (size_t)(nl - start) + 1);
				return 1;
			}
			r->scan = avail;
		}
		/* advance() moves the tail; scan counts from pos, so it stays valid. */
		int got = advance(r);
		if (got > 0)
			continue;
		if (r->len > r->pos) {
			hand_out(r, line, r->len - r->pos);
			return 1;
		}
		return got;
	}
}

void lc_reader_peek(struct lc_reader *r, size_t want, struct lc_span *out)
{
	while (r->len - r->pos < want && !r->end)
		if (advance(r) < 0)
			break;
	out->p = r->buf ? r->buf + r->pos : "";
	out->n = r->len - r->pos;
}

uint64_t lc_reader_lineno(const struct lc_reader *r) { return r->lineno; }
uint64_t lc_reader_bytes(const struct lc_reader *r) { return r->bytes; }
bool lc_reader_compressed(const struct lc_reader *r) { return r->src.gz; }
bool lc_reader_truncated(const struct lc_reader *r) { return r->truncated; }
uint64_t lc_reader_file_size(const struct lc_reader *r) { return r->file_size; }
uint64_t lc_reader_file_offset(const struct lc_reader *r) { return r->raw_offset; }
const char *lc_reader_path(const struct lc_reader *r) { return r->path; }
