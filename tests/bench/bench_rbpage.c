// SPDX-License-Identifier: MIT
/*
 * bench_rbpage [ROUNDS] - the live reader's page parsing, kbuffer against
 * rbpage.h (make bench): 64 sub-buffers shaped like attach's on a redis
 * server (raw_syscalls sys_enter 64 bytes and sys_exit 24 for epoll_wait,
 * read and write, a sched_switch 64 and a sched_wakeup 36 now and then,
 * deltas of 0.2 to 3 us, a time extend after an idle gap), each read the
 * way decode_page() reads it: load, missed count, then every record's
 * time, payload and size, one word of the payload touched.  The two run
 * in turn, ROUNDS times each (default 5); prints ns per record of each,
 * the best and the median round, and their ratio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event-parse.h>
#include <kbuffer.h>

#include "rbpage.h"

#define PAGE 4096
#define NPAGES 64
#define PASSES 400		/* reads of the NPAGES per round */
#define MAX_ROUNDS 99

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* appends an entry of type_len tl, delta and 4 * n bytes after its header; 0: full */
static int put(unsigned char *data, size_t *pos, unsigned tl, uint32_t delta,
	       const uint32_t *words, unsigned n)
{
	uint32_t hdr = tl | (delta << 5);

	if (*pos + 4 + 4 * n > PAGE - 16)
		return 0;
	memcpy(data + *pos, &hdr, 4);
	memcpy(data + *pos + 4, words, 4 * n);
	*pos += 4 + 4 * n;
	return 1;
}

static void make_page(unsigned char *page, uint64_t ts, uint32_t *s)
{
	static const uint32_t w[16] = { 443, 1234, 232, 0, 7, 0, 0x1000, 0, 16 };
	unsigned char *data = page + 16;
	size_t pos = 0;
	uint64_t commit;
	int ok = 1;

	memset(page, 0, PAGE);
	memcpy(page, &ts, 8);
	while (ok) {
		uint32_t r = rnd(s) % 100, delta = 200 + rnd(s) % 2800;

		if (r < 44)		/* raw_syscalls:sys_enter */
			ok = put(data, &pos, 16, delta, w, 16);
		else if (r < 88)	/* raw_syscalls:sys_exit */
			ok = put(data, &pos, 6, delta, w, 6);
		else if (r < 94)	/* sched:sched_switch */
			ok = put(data, &pos, 16, delta, w, 16);
		else if (r < 99)	/* sched:sched_wakeup */
			ok = put(data, &pos, 9, delta, w, 9);
		else {			/* an idle gap of 0.2 s */
			uint32_t hi = 1;

			ok = put(data, &pos, ILP_RB_TYPE_TIME_EXTEND, 0x1234, &hi, 1);
		}
	}
	commit = pos;
	memcpy(page + 8, &commit, 8);
}

struct sum {
	uint64_t ts, bytes, word, records, missed;
};

static void read_kbuffer(struct kbuffer *kb, unsigned char *page, struct sum *s)
{
	unsigned long long ts;
	uint32_t w;
	void *d;
	int missed;

	if (kbuffer_load_subbuffer(kb, page) < 0)
		return;
	missed = kbuffer_missed_events(kb);
	s->missed += (uint64_t)(missed < 0 ? 1 : missed);
	for (d = kbuffer_read_event(kb, &ts); d; d = kbuffer_next_event(kb, &ts)) {
		memcpy(&w, (char *)d + 4, 4);
		s->ts += ts;
		s->bytes += (uint64_t)kbuffer_event_size(kb);
		s->word += w;
		s->records++;
	}
}

static void read_rbpage(unsigned char *page, struct sum *s)
{
	struct ilp_rbpage pg;
	struct ilp_rbrec rec;
	uint32_t w;

	if (ilp_rbpage_load(&pg, page, PAGE, 8) < 0)
		return;
	s->missed += (uint64_t)(pg.missed < 0 ? 1 : pg.missed);
	while (ilp_rbpage_next(&pg, &rec)) {
		memcpy(&w, (const char *)rec.data + 4, 4);
		s->ts += rec.ts;
		s->bytes += rec.size;
		s->word += w;
		s->records++;
	}
}

/* one round: every page PASSES times, copied into one buffer first as
 * read_cpu() does; returns ns per record */
static double round_of(struct kbuffer *kb, unsigned char (*pages)[PAGE], struct sum *s)
{
	static unsigned char buf[PAGE];
	double t0 = now_ns();
	uint64_t n0 = s->records;
	int pass, i;

	for (pass = 0; pass < PASSES; pass++)
		for (i = 0; i < NPAGES; i++) {
			memcpy(buf, pages[i], PAGE);
			if (kb)
				read_kbuffer(kb, buf, s);
			else
				read_rbpage(buf, s);
		}
	return (now_ns() - t0) / (double)(s->records - n0);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static unsigned char pages[NPAGES][PAGE];
	double kt[MAX_ROUNDS], rt[MAX_ROUNDS], copy = 0;
	struct sum ks = { 0 }, rs = { 0 };
	int rounds = argc > 1 ? atoi(argv[1]) : 5, i;
	uint32_t seed = 42;
	struct tep_handle *tep = tep_alloc();
	struct kbuffer *kb;

	if (rounds < 1 || rounds > MAX_ROUNDS || !tep) {
		fprintf(stderr, "usage: bench_rbpage [ROUNDS]   (1..%d)\n", MAX_ROUNDS);
		return 2;
	}
	/* the live reader's kbuffer (load_formats in source_ftrace.c) */
	if (tep_parse_header_page(tep, (char *)header_page, sizeof(header_page) - 1, sizeof(long))) {
		fprintf(stderr, "bench_rbpage: no header page\n");
		return 1;
	}
	tep_set_long_size(tep, tep_get_header_page_size(tep));
	kb = tep_kbuffer(tep);
	if (!kb) {
		fprintf(stderr, "bench_rbpage: no kbuffer\n");
		return 1;
	}
	for (i = 0; i < NPAGES; i++)
		make_page(pages[i], 1000000000ull + (uint64_t)i * 1000000, &seed);
	for (i = 0; i < rounds; i++) {
		kt[i] = round_of(kb, pages, &ks);
		rt[i] = round_of(NULL, pages, &rs);
	}
	if (ks.ts != rs.ts || ks.bytes != rs.bytes || ks.word != rs.word ||
	    ks.records != rs.records || ks.missed != rs.missed) {
		fprintf(stderr, "bench_rbpage: kbuffer and rbpage read different records\n");
		return 1;
	}
	{
		static unsigned char buf[PAGE];
		double t0 = now_ns();
		int pass;

		for (pass = 0; pass < PASSES; pass++)
			for (i = 0; i < NPAGES; i++) {
				memcpy(buf, pages[i], PAGE);
				__asm__ volatile("" : : "r"(buf) : "memory");
			}
		copy = (now_ns() - t0) * (double)rounds / (double)ks.records;
	}
	qsort(kt, (size_t)rounds, sizeof(double), cmp);
	qsort(rt, (size_t)rounds, sizeof(double), cmp);
	printf("bench_rbpage: %llu records a round (%d pages x %d), %d rounds each, in turn "
	       "(of which the page copy: %.1f ns/record)\n",
	       (unsigned long long)(ks.records / (uint64_t)rounds), NPAGES, PASSES, rounds, copy);
	printf("  kbuffer  %6.1f ns/record best, %6.1f median\n", kt[0], kt[rounds / 2]);
	printf("  rbpage   %6.1f ns/record best, %6.1f median (%.2fx kbuffer's median)\n",
	       rt[0], rt[rounds / 2], rt[rounds / 2] / kt[rounds / 2]);
	tep_free(tep);
	return 0;
}
