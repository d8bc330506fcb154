// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/decode/rbpage.c (include/rbpage.h): the live
 * reader's sub-buffer parser returns what libtraceevent's kbuffer returns
 * (the kbuffer of a tep with a parsed header_page, as the reader had it),
 * record by record -- time stamp, payload pointer, payload size -- and
 * the page's missed-events count, on pages made with every kind of entry
 * and on thousands of random valid pages, and libtracecmd's records (its
 * own kbuffer) of real kernel pages in trace files; and on garbage and truncated
 * pages it never reads outside the data (make asan) and says the page is
 * corrupt.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <event-parse.h>
#include <kbuffer.h>
#include <trace-cmd.h>

#include "rbpage.h"

/* libtracecmd 1.3's tracecmd_open() leaks the clock name it sscanf()s
 * (tracecmd_parse_trace_clock), where LSan's fast unwinder cannot see the
 * library to suppress it (lsan.supp): not counted while a file opens */
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#define leaks_ignored(on) ((on) ? __lsan_disable() : __lsan_enable())
#else
#define leaks_ignored(on) ((void)(on))
#endif

#define PAGE 4096

/* events/header_page of a 64-bit kernel (this VM's 6.18) and of a 32-bit one */
static const char header_page_64[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";
static const char header_page_32[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:12;\tsize:4084;\tsigned:0;\n";

struct kb {
	struct tep_handle *tep;
	struct kbuffer *kbuf;
	int long_size;
};

/* the live reader's set-up (load_formats in source_ftrace.c) */
static void kb_open(struct kb *k, int long_size)
{
	const char *hp = long_size == 8 ? header_page_64 : header_page_32;

	k->tep = tep_alloc();
	assert_non_null(k->tep);
	assert_int_equal(tep_parse_header_page(k->tep, (char *)hp, strlen(hp), sizeof(long)), 0);
	k->long_size = tep_get_header_page_size(k->tep);
	assert_int_equal(k->long_size, long_size);
	tep_set_long_size(k->tep, k->long_size);
	assert_int_equal(tep_get_sub_buffer_size(k->tep), PAGE);
	k->kbuf = tep_kbuffer(k->tep);
	assert_non_null(k->kbuf);
}

static void kb_close(struct kb *k)
{
	tep_free(k->tep);	/* its kbuffer: libtraceevent 1.7 leaks it (lsan.supp) */
}

/* a sub-buffer, written the way the kernel writes one */
struct pb {
	unsigned char *page;
	int long_size;
	size_t start, pos;	/* data offset, next entry (from the data) */
};

static void pb_init(struct pb *b, unsigned char *page, int long_size, uint64_t ts)
{
	memset(page, 0, PAGE);
	b->page = page;
	b->long_size = long_size;
	b->start = long_size == 8 ? 16 : 12;
	b->pos = 0;
	memcpy(page, &ts, 8);
}

static size_t pb_room(const struct pb *b)
{
	return PAGE - b->start - b->pos;
}

static void put32(struct pb *b, uint32_t v)
{
	assert_true(pb_room(b) >= 4);
	memcpy(b->page + b->start + b->pos, &v, 4);
	b->pos += 4;
}

static void put_hdr(struct pb *b, unsigned type_len, uint32_t delta)
{
	put32(b, (type_len & 31) | (delta << 5));
}

static void fill(struct pb *b, size_t len)
{
	size_t i;

	assert_true(pb_room(b) >= len);
	for (i = 0; i < len; i++)
		b->page[b->start + b->pos + i] = (unsigned char)(b->pos + i);
	b->pos += len;
}

/* a record of 4 * type_len bytes, type_len 1..28 */
static void pb_small(struct pb *b, uint32_t delta, unsigned type_len)
{
	put_hdr(b, type_len, delta);
	fill(b, 4 * type_len);
}

/* a record with its length in array[0] (len + 4: the kernel's; rounded up to 4 by readers) */
static void pb_large(struct pb *b, uint32_t delta, uint32_t len)
{
	put_hdr(b, 0, delta);
	put32(b, len + 4);
	fill(b, (len + 3) & ~3u);
}

/* a discarded record: array[0] is the length after the header */
static void pb_pad(struct pb *b, uint32_t delta, uint32_t len)
{
	put_hdr(b, ILP_RB_TYPE_PADDING, delta);
	put32(b, len);
	fill(b, len - 4);
}

static void pb_extend(struct pb *b, uint64_t delta)
{
	put_hdr(b, ILP_RB_TYPE_TIME_EXTEND, (uint32_t)(delta & ((1u << 27) - 1)));
	put32(b, (uint32_t)(delta >> 27));
}

static void pb_abs(struct pb *b, uint64_t ts)
{
	put_hdr(b, ILP_RB_TYPE_TIME_STAMP, (uint32_t)(ts & ((1u << 27) - 1)));
	put32(b, (uint32_t)(ts >> 27));
}

/* sets the commit to the data written; stored: the lost count after it, or -1 for none */
static void pb_commit(struct pb *b, int missed, int64_t stored)
{
	uint64_t c = b->pos;

	if (missed)
		c |= ILP_RB_MISSED_EVENTS;
	if (stored >= 0) {
		c |= ILP_RB_MISSED_STORED;
		if (b->long_size == 8)
			memcpy(b->page + b->start + b->pos, &stored, 8);
		else {
			uint32_t s = (uint32_t)stored;

			memcpy(b->page + b->start + b->pos, &s, 4);
		}
	}
	if (b->long_size == 8)
		memcpy(b->page + 8, &c, 8);
	else {
		uint32_t c32 = (uint32_t)c;

		memcpy(b->page + 8, &c32, 4);
	}
}

/*
 * Both readers over one page: the same records, the same missed count.
 * kbuffer_missed_events() answers only while its cursor is at the data's
 * first byte: on a page that opens with a time extend, an absolute time
 * stamp or padding it says 0 (the count is lost); ours says the page's.
 * Returns the records read.
 */
static size_t same(struct kb *k, const unsigned char *page, int64_t want_missed)
{
	struct ilp_rbpage p;
	struct ilp_rbrec r;
	unsigned long long ts;
	void *d;
	size_t n = 0;
	int kmissed;

	assert_int_equal(kbuffer_load_subbuffer(k->kbuf, (void *)page), 0);
	assert_int_equal(ilp_rbpage_load(&p, page, PAGE, k->long_size), 0);
	kmissed = kbuffer_missed_events(k->kbuf);
	if (kbuffer_curr_index(k->kbuf) == 0)
		assert_int_equal(p.missed, kmissed);
	else
		assert_int_equal(kmissed, 0);
	assert_int_equal(p.missed, want_missed);
	for (d = kbuffer_read_event(k->kbuf, &ts); d; d = kbuffer_next_event(k->kbuf, &ts)) {
		assert_int_equal(ilp_rbpage_next(&p, &r), 1);
		assert_int_equal(r.ts, ts);
		assert_ptr_equal(r.data, d);
		assert_int_equal(r.size, kbuffer_event_size(k->kbuf));
		n++;
	}
	assert_int_equal(ilp_rbpage_next(&p, &r), 0);
	assert_int_equal(ilp_rbpage_next(&p, &r), 0);
	assert_int_equal(p.corrupt, 0);
	return n;
}

static void next_is(struct ilp_rbpage *p, const unsigned char *page, size_t start,
		    uint64_t ts, size_t off, uint32_t size)
{
	struct ilp_rbrec r = { 0 };

	assert_int_equal(ilp_rbpage_next(p, &r), 1);
	assert_int_equal(r.ts, ts);
	assert_int_equal((const unsigned char *)r.data - page, start + off);
	assert_int_equal(r.size, size);
}

/* our reader alone: the records of the page; *corrupt set to its flag */
static size_t walk(const unsigned char *page, int long_size, int *corrupt)
{
	struct ilp_rbpage p;
	struct ilp_rbrec r;
	size_t n = 0;

	assert_int_equal(ilp_rbpage_load(&p, page, PAGE, long_size), 0);
	while (ilp_rbpage_next(&p, &r))
		n++;
	*corrupt = p.corrupt;
	return n;
}

/* every kind of entry, with exact times and offsets, on both long sizes */
static void every_kind(int long_size)
{
	unsigned char page[PAGE];
	struct ilp_rbpage p;
	struct pb b;
	struct kb k;
	uint64_t t0 = 1000000000ull;
	size_t s = long_size == 8 ? 16 : 12;

	kb_open(&k, long_size);
	pb_init(&b, page, long_size, t0);
	pb_small(&b, 0, 1);			/* data at 4: 4 bytes at t0 */
	pb_small(&b, 7, 28);			/* 12: 112 bytes at t0 + 7 */
	pb_large(&b, 100, 200);			/* 132: 200 bytes */
	pb_large(&b, 1, 0);			/* 340: empty */
	pb_extend(&b, 5ull << 27 | 3);		/* at 340: + (5 << 27) + 3 */
	pb_small(&b, 2, 3);			/* 352: 12 bytes */
	pb_pad(&b, 9, 24);			/* at 364: a discarded record, + 9 */
	pb_small(&b, 1, 2);			/* 396: 8 bytes */
	pb_abs(&b, 77ull << 27 | 11);		/* at 404: absolute */
	pb_small(&b, 4, 1);			/* 416: 4 bytes */
	pb_large(&b, 0, 13);			/* 428: 13, rounded up to 16 */
	pb_commit(&b, 0, -1);
	assert_int_equal(same(&k, page, 0), 8);

	assert_int_equal(ilp_rbpage_load(&p, page, PAGE, long_size), 0);
	assert_int_equal(p.size, 444);
	next_is(&p, page, s, t0, 4, 4);
	next_is(&p, page, s, t0 + 7, 12, 112);
	next_is(&p, page, s, t0 + 107, 132, 200);
	next_is(&p, page, s, t0 + 108, 340, 0);
	next_is(&p, page, s, t0 + 108 + (5ull << 27) + 3 + 2, 352, 12);
	next_is(&p, page, s, t0 + 108 + (5ull << 27) + 3 + 2 + 9 + 1, 396, 8);
	next_is(&p, page, s, (77ull << 27 | 11) + 4, 416, 4);
	next_is(&p, page, s, (77ull << 27 | 11) + 4, 428, 16);
	assert_int_equal(ilp_rbpage_next(&p, &(struct ilp_rbrec){ 0 }), 0);
	assert_int_equal(p.corrupt, 0);
	kb_close(&k);
}

static void test_every_kind_64(void **state)
{
	(void)state;
	every_kind(8);
}

static void test_every_kind_32(void **state)
{
	(void)state;
	every_kind(4);
}

/* missed events: flagged, with and without a stored count, and the count
 * when the page opens with a time extend (kbuffer loses it there) */
static void test_missed(void **state)
{
	unsigned char page[PAGE];
	struct ilp_rbpage p;
	struct pb b;
	struct kb k;
	int ls;

	(void)state;
	for (ls = 4; ls <= 8; ls += 4) {
		kb_open(&k, ls);
		pb_init(&b, page, ls, 5000);
		pb_small(&b, 1, 4);
		pb_small(&b, 1, 4);
		pb_commit(&b, 1, -1);
		assert_int_equal(same(&k, page, -1), 2);
		pb_commit(&b, 1, 1234);
		assert_int_equal(same(&k, page, 1234), 2);
		pb_commit(&b, 0, -1);
		assert_int_equal(same(&k, page, 0), 2);
		/* the stored bit without the missed bit: nothing lost */
		pb_commit(&b, 0, 99);
		assert_int_equal(same(&k, page, 0), 2);

		pb_init(&b, page, ls, 5000);
		pb_extend(&b, 1ull << 30);
		pb_small(&b, 1, 4);
		pb_commit(&b, 1, 42);
		assert_int_equal(same(&k, page, 42), 1);	/* kbuffer: 0 */

		/* an empty page that lost events */
		pb_init(&b, page, ls, 5000);
		pb_commit(&b, 1, 7);
		assert_int_equal(same(&k, page, 7), 0);

		/* no room after the data for the count: unknown */
		pb_init(&b, page, ls, 5000);
		while (pb_room(&b) >= 8 + 112)
			pb_small(&b, 1, 28);
		pb_large(&b, 1, (uint32_t)pb_room(&b) - 8);
		assert_int_equal(pb_room(&b), 0);
		pb_commit(&b, 1, -1);
		{
			uint64_t c = b.pos | ILP_RB_MISSED_EVENTS | ILP_RB_MISSED_STORED;
			uint32_t c32 = (uint32_t)c;

			if (ls == 8)
				memcpy(page + 8, &c, 8);
			else
				memcpy(page + 8, &c32, 4);
		}
		assert_int_equal(ilp_rbpage_load(&p, page, PAGE, ls), 0);
		assert_int_equal(p.missed, -1);
		assert_int_equal(p.corrupt, 0);
		kb_close(&k);
	}
}

/*
 * The commit ends before the page does: what is written after it (a
 * record in progress, garbage) is not read.  A commit inside a record is
 * corrupt: kbuffer returns that record whole, reading past the commit;
 * we stop before it.
 */
static void test_commit_short(void **state)
{
	unsigned char page[PAGE];
	struct pb b;
	struct kb k;
	size_t at;
	int corrupt;

	(void)state;
	kb_open(&k, 8);
	pb_init(&b, page, 8, 1);
	pb_small(&b, 1, 5);
	pb_large(&b, 1, 300);
	at = b.pos;
	pb_small(&b, 1, 5);
	pb_small(&b, 1, 5);
	b.pos = at;
	pb_commit(&b, 0, -1);
	assert_int_equal(same(&k, page, 0), 2);

	/* ends 8 bytes into the third record (24 bytes) */
	b.pos = at + 8;
	pb_commit(&b, 0, -1);
	assert_int_equal(walk(page, 8, &corrupt), 2);
	assert_int_equal(corrupt, 1);

	/* ends in the middle of the large record's length word */
	b.pos = 24 + 6;
	pb_commit(&b, 0, -1);
	assert_int_equal(walk(page, 8, &corrupt), 1);
	assert_int_equal(corrupt, 1);

	/* a commit beyond the page: cut to it, corrupt */
	{
		uint64_t c = ILP_RB_COMMIT_MASK;

		memcpy(page + 8, &c, 8);
	}
	walk(page, 8, &corrupt);
	assert_int_equal(corrupt, 1);
	kb_close(&k);
}

/* end-of-page padding (the kernel's filler, time_delta 0) that runs past
 * the commit ends the page quietly, as does a lone padding header */
static void test_tail_padding(void **state)
{
	unsigned char page[PAGE];
	struct pb b;
	struct kb k;
	int corrupt;

	(void)state;
	kb_open(&k, 8);
	pb_init(&b, page, 8, 1);
	pb_small(&b, 1, 5);
	put_hdr(&b, ILP_RB_TYPE_PADDING, 0);
	put32(&b, (uint32_t)pb_room(&b) + 4);
	pb_commit(&b, 0, -1);
	assert_int_equal(same(&k, page, 0), 1);

	pb_init(&b, page, 8, 1);
	pb_small(&b, 1, 5);
	put_hdr(&b, ILP_RB_TYPE_PADDING, 0);
	pb_commit(&b, 0, -1);
	assert_int_equal(walk(page, 8, &corrupt), 1);
	assert_int_equal(corrupt, 0);
	kb_close(&k);
}

/* an absolute time stamp keeps the 5 high bits of the time so far */
static void test_abs_msb(void **state)
{
	unsigned char page[PAGE];
	struct ilp_rbpage p;
	struct pb b;
	struct kb k;
	uint64_t t0 = (0x18ull << 56) | 12345;

	(void)state;
	kb_open(&k, 8);
	pb_init(&b, page, 8, t0);
	pb_small(&b, 5, 1);
	pb_abs(&b, 999ull << 27 | 3);
	pb_small(&b, 2, 1);
	pb_commit(&b, 0, -1);
	assert_int_equal(same(&k, page, 0), 2);
	kb_close(&k);
	assert_int_equal(ilp_rbpage_load(&p, page, PAGE, 8), 0);
	next_is(&p, page, 16, t0 + 5, 4, 4);
	next_is(&p, page, 16, (0x18ull << 56) + (999ull << 27 | 3) + 2, 20, 4);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* a random valid page: returns the missed count it carries */
static int64_t random_page(unsigned char *page, int long_size, uint64_t *s)
{
	struct pb b;
	size_t stop = PAGE - (long_size == 8 ? 16 : 12) - 8 - (rnd(s) % 64) * 16;
	int64_t missed = 0;
	uint64_t t0 = rnd(s) >> (rnd(s) % 4 ? 8 : 0);

	if (rnd(s) % 5 == 0)	/* some pages have the high bits an absolute time stamp lacks */
		t0 = rnd(s);
	pb_init(&b, page, long_size, t0);
	for (;;) {
		unsigned kind = (unsigned)(rnd(s) % 16);
		uint32_t delta = (uint32_t)(rnd(s) % 4 ? rnd(s) % 2000 : rnd(s) & ((1u << 27) - 1));
		uint32_t len;

		if (b.pos + 8 + 140 > stop)
			break;
		if (kind < 9) {
			pb_small(&b, delta, 1 + (unsigned)(rnd(s) % 28));
		} else if (kind < 11) {
			len = (uint32_t)(rnd(s) % 140);
			if (rnd(s) % 2)
				len &= ~3u;
			pb_large(&b, delta, len);
		} else if (kind < 12) {
			pb_pad(&b, rnd(s) % 3 ? delta : 0, 4 + 4 * (uint32_t)(rnd(s) % 30));
		} else if (kind < 15) {
			pb_extend(&b, rnd(s) >> (rnd(s) % 40 + 5));
		} else {
			pb_abs(&b, rnd(s) & ~ILP_RB_TS_MSB);
		}
	}
	switch (rnd(s) % 4) {
	case 0:
		missed = -1;
		pb_commit(&b, 1, -1);
		break;
	case 1:
		missed = (int64_t)(rnd(s) % 100000);
		pb_commit(&b, 1, missed);
		break;
	default:
		pb_commit(&b, 0, -1);
	}
	return missed;
}

/* thousands of random valid pages: both readers agree on every record */
static void test_random_pages(void **state)
{
	unsigned char page[PAGE];
	uint64_t s = 0x9e3779b97f4a7c15ull;
	size_t i, recs = 0;
	struct kb k;
	int ls;

	(void)state;
	for (ls = 4; ls <= 8; ls += 4) {
		kb_open(&k, ls);
		for (i = 0; i < 3000; i++) {
			int64_t missed = random_page(page, ls, &s);

			recs += same(&k, page, missed);
		}
		kb_close(&k);
	}
	assert_true(recs > 6000 * 40);	/* 282237 */
}

/* every record inside the data; the reader ends */
static void check_bounded(const unsigned char *page, size_t page_size, int long_size)
{
	struct ilp_rbpage p;
	struct ilp_rbrec r;
	size_t n = 0, start = long_size == 8 ? 16 : 12;

	if (ilp_rbpage_load(&p, page, page_size, long_size)) {
		assert_true(page_size < start);
		return;
	}
	assert_true(p.size <= page_size - start);
	while (ilp_rbpage_next(&p, &r)) {
		const unsigned char *d = r.data;

		assert_true(d >= page + start);
		assert_true(d + r.size <= page + start + p.size);
		n++;
		assert_true(n <= page_size / 4);
	}
}

/*
 * Garbage: random bytes, random pages with random bytes changed, pages cut
 * short (the buffer as small as the bytes given, so ASan sees any read
 * past it).  Nothing is read out of the data, every loop ends.
 */
static void test_garbage(void **state)
{
	uint64_t s = 12345;
	unsigned char *page, valid[PAGE];
	size_t i, j, size;
	int ls;

	(void)state;
	for (i = 0; i < 20000; i++) {
		ls = i % 2 ? 8 : 4;
		size = i % 3 ? PAGE : (size_t)(rnd(&s) % 200);
		page = malloc(size ? size : 1);
		assert_non_null(page);
		if (i % 4 == 0) {
			for (j = 0; j < size; j++)
				page[j] = (unsigned char)rnd(&s);
		} else {
			random_page(valid, ls, &s);
			memcpy(page, valid, size);
			for (j = rnd(&s) % 8; j > 0; j--)
				if (size)
					page[rnd(&s) % size] = (unsigned char)rnd(&s);
			if (i % 5 == 0 && size >= 16) {	/* a commit past the page */
				uint32_t c = (uint32_t)rnd(&s) & ILP_RB_COMMIT_MASK;

				memcpy(page + 8, &c, 4);
			}
		}
		check_bounded(page, size, ls);
		free(page);
	}
}

/* per CPU of a trace file: the page read last and our records of it */
struct filecpu {
	const unsigned char *page;
	struct ilp_rbrec rec[PAGE / 4];
	size_t n, next;
};

struct filewalk {
	struct filecpu cpu[64];
	int long_size;
	size_t records, pages;
};

/*
 * Each record libtracecmd gives (time order over the CPUs): its page is
 * where the record's data lies, less its header (record_size - size) and
 * its offset in the page (the file's pages are page-aligned); at a CPU's
 * first record on a page, we read that page (libtracecmd holds it while
 * the record lives), and every record of it must then come in our order
 * with our time, payload pointer and size.
 */
static int file_record(struct tracecmd_input *in, struct tep_record *rec, int cpu, void *ctx)
{
	struct filewalk *w = ctx;
	struct filecpu *c;
	const unsigned char *page;
	struct ilp_rbpage p;

	(void)in;
	assert_in_range(cpu, 0, 63);
	c = &w->cpu[cpu];
	page = (const unsigned char *)rec->data - (rec->record_size - rec->size) -
	       (rec->offset % PAGE);
	if (page != c->page) {
		assert_int_equal(c->next, c->n);	/* the last page's records all came */
		assert_int_equal(ilp_rbpage_load(&p, page, PAGE, w->long_size), 0);
		c->page = page;
		c->n = c->next = 0;
		while (ilp_rbpage_next(&p, &c->rec[c->n]))
			c->n++;
		assert_int_equal(p.corrupt, 0);
		if (rec->missed_events)
			assert_int_equal(rec->missed_events, p.missed);
		w->pages++;
	}
	assert_true(c->next < c->n);
	assert_int_equal(c->rec[c->next].ts, rec->ts);
	assert_ptr_equal(c->rec[c->next].data, rec->data);
	assert_int_equal(c->rec[c->next].size, rec->size);
	c->next++;
	w->records++;
	return 0;
}

/* every record of one buffer of a trace file; returns the records */
static size_t walk_file_buffer(struct tracecmd_input *in)
{
	struct filewalk *w = calloc(1, sizeof(*w));
	size_t n;
	int cpu;

	assert_non_null(w);
	w->long_size = tep_get_header_page_size(tracecmd_get_tep(in));
	assert_int_equal(tep_get_sub_buffer_size(tracecmd_get_tep(in)), PAGE);
	assert_int_equal(tracecmd_iterate_events(in, NULL, 0, file_record, w), 0);
	for (cpu = 0; cpu < 64; cpu++)
		assert_int_equal(w->cpu[cpu].next, w->cpu[cpu].n);
	n = w->records;
	free(w);
	return n;
}

/*
 * Real kernel pages: trace files written by trace-cmd (version 7, the
 * events in a buffer instance) and by iolockprof record (version 6), all
 * their records.
 */
static void test_trace_files(void **state)
{
	static const struct {
		const char *path;
		size_t records;
	} files[] = {
		{ "tests/fixtures/tracecmd_syscalls_writes50.dat", 113 },
		{ "tests/fixtures/tracecmd_raw_threads.dat", 202 },
		{ "tests/fuzz/corpus/iolockprof_writes5.dat", 106 },	/* the fuzz seed */
	};
	size_t i, n;
	int b;

	(void)state;
	tracecmd_set_loglevel(TEP_LOG_NONE);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct tracecmd_input *in;

		leaks_ignored(1);
		in = tracecmd_open(files[i].path, TRACECMD_FL_LOAD_NO_PLUGINS |
				   TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS);
		leaks_ignored(0);
		assert_non_null(in);
		n = walk_file_buffer(in);
		for (b = 0; b < tracecmd_buffer_instances(in); b++) {
			struct tracecmd_input *bi = tracecmd_buffer_instance_handle(in, b);

			assert_non_null(bi);
			n += walk_file_buffer(bi);
			tracecmd_close(bi);
		}
		assert_int_equal(n, files[i].records);
		tracecmd_close(in);
	}
}

static void test_bad_args(void **state)
{
	unsigned char page[PAGE] = { 0 };
	struct ilp_rbpage p;

	(void)state;
	assert_int_equal(ilp_rbpage_load(&p, page, PAGE, 2), -EINVAL);
	assert_int_equal(ilp_rbpage_load(&p, page, 15, 8), -EINVAL);
	assert_int_equal(ilp_rbpage_load(&p, page, 16, 8), 0);
	assert_int_equal(p.size, 0);
	assert_int_equal(ilp_rbpage_next(&p, &(struct ilp_rbrec){ 0 }), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_64),
		cmocka_unit_test(test_every_kind_32),
		cmocka_unit_test(test_missed),
		cmocka_unit_test(test_commit_short),
		cmocka_unit_test(test_tail_padding),
		cmocka_unit_test(test_abs_msb),
		cmocka_unit_test(test_random_pages),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_trace_files),
		cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
