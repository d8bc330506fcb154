// SPDX-License-Identifier: MIT
/* Block request matching (model_block.c) on synthetic streams. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "wait_helpers.h"

#define VDA ((254u << 20) | 0)
#define SDB ((8u << 20) | 16)

static void feed(struct ilp_model *m, struct ilp_event e)
{
	assert_int_equal(ilp_model_feed(m, &e), 0);
}

static const struct ilp_blkdev *dev_of(struct ilp_model *m, uint32_t dev)
{
	const struct ilp_blkdev *d = ilp_model_find_blkdev(m, dev);

	assert_non_null(d);
	return d;
}

/* a traced writer: queue -> insert -> issue (kworker) -> complete (irq) */
static void test_lifecycle_attribution(void **state)
{
	struct ilp_model *m = ilp_model_new();
	int pw = ilp_syscall_nr("pwrite64");
	const struct ilp_blk_submitter *s;
	const struct ilp_blk_stats *st;
	const struct ilp_blkdev *d;
	uint64_t i;

	(void)state;
	feed(m, ev_info(1, 100, 100, "dio"));
	for (i = 0; i < 10; i++) {
		uint64_t t = (i + 1) * MS;

		feed(m, ev_enter(t, 100, 100, pw, 3, 0));
		feed(m, ev_block(t + 1 * US, 100, ILP_EV_BLOCK_QUEUE, VDA, 8 * i, 4096, "WS", "dio"));
		feed(m, ev_block(t + 2 * US, 100, ILP_EV_BLOCK_INSERT, VDA, 8 * i, 4096, "WS", "dio"));
		feed(m, ev_block(t + 5 * US, 77, ILP_EV_BLOCK_ISSUE, VDA, 8 * i, 4096, "WS", "kworker/0:1H"));
		feed(m, ev_block(t + 25 * US, 0, ILP_EV_BLOCK_COMPLETE, VDA, 8 * i, 4096, "WS", ""));
		feed(m, ev_exit(t + 30 * US, 100, 100, pw, 4096));
	}
	assert_int_equal(ilp_model_index(m, 20 * MS), 0);
	assert_int_equal(ilp_model_nblkdevs(m), 1);
	d = dev_of(m, VDA);
	st = ilp_blkdev_stats(d);
	assert_int_equal(st->requests, 10);
	assert_int_equal(st->bytes, 40960);
	assert_int_equal(st->ops[ILP_BLK_WRITE], 10);
	assert_int_equal(ilp_hist_max(st->q2c), 24 * US);
	assert_int_equal(ilp_hist_max(st->d2c), 20 * US);
	assert_int_equal(ilp_hist_min(st->size), 4096);
	assert_int_equal(ilp_blkdev_nsubmitters(d), 1);
	s = ilp_blkdev_submitter(d, 0);
	assert_int_equal(s->pid, 100);	/* not the kworker that issued */
	assert_string_equal(s->comm, "dio");
	assert_int_equal(s->st.requests, 10);
	assert_int_equal(ilp_wproc_blk(ilp_proc_wait(ilp_model_find_proc(m, 100)))->bytes, 40960);
	/* the kworker and the irq context never became processes */
	assert_int_equal(ilp_model_nprocs(m), 1);
	ilp_model_free(m);
}

/* back merges, a front merge, a request merge, a requeue */
static void test_merges_requeue(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_blk_stats *st;
	const struct ilp_blkdev *d;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	/* bios at 100, 108 (back merge), 116 (back merge): one 12 KiB request */
	feed(m, ev_block(1 * MS, 100, ILP_EV_BLOCK_QUEUE, VDA, 100, 4096, "W", "app"));
	feed(m, ev_block(1 * MS + 1, 100, ILP_EV_BLOCK_QUEUE, VDA, 108, 4096, "W", "app"));
	feed(m, ev_block(1 * MS + 2, 100, ILP_EV_BLOCK_BACKMERGE, VDA, 108, 4096, "W", "app"));
	feed(m, ev_block(1 * MS + 3, 100, ILP_EV_BLOCK_QUEUE, VDA, 116, 4096, "W", "app"));
	feed(m, ev_block(1 * MS + 4, 100, ILP_EV_BLOCK_BACKMERGE, VDA, 116, 4096, "W", "app"));
	/* bio at 92 front-merges: the request now starts at 92 */
	feed(m, ev_block(1 * MS + 5, 100, ILP_EV_BLOCK_QUEUE, VDA, 92, 4096, "W", "app"));
	feed(m, ev_block(1 * MS + 6, 100, ILP_EV_BLOCK_FRONTMERGE, VDA, 92, 4096, "W", "app"));
	feed(m, ev_block(2 * MS, 50, ILP_EV_BLOCK_ISSUE, VDA, 92, 16384, "W", "kworker/1:1"));
	feed(m, ev_block(2 * MS + 10, 50, ILP_EV_BLOCK_REQUEUE, VDA, 92, 16384, "W", ""));
	feed(m, ev_block(3 * MS, 50, ILP_EV_BLOCK_ISSUE, VDA, 92, 16384, "W", "kworker/1:1"));
	feed(m, ev_block(4 * MS, 0, ILP_EV_BLOCK_COMPLETE, VDA, 92, 16384, "W", ""));
	/* a request at 500 merged into another: it never completes */
	feed(m, ev_block(5 * MS, 100, ILP_EV_BLOCK_QUEUE, VDA, 500, 4096, "W", "app"));
	feed(m, ev_block(5 * MS + 1, 100, ILP_EV_BLOCK_INSERT, VDA, 500, 4096, "W", "app"));
	feed(m, ev_block(5 * MS + 2, 100, ILP_EV_BLOCK_RQMERGE, VDA, 500, 4096, "W", "app"));
	assert_int_equal(ilp_model_index(m, 6 * MS), 0);
	d = dev_of(m, VDA);
	st = ilp_blkdev_stats(d);
	assert_int_equal(st->requests, 1);
	assert_int_equal(st->bytes, 16384);
	assert_int_equal(ilp_blkdev_merges(d), 4);
	assert_int_equal(ilp_blkdev_requeues(d), 1);
	assert_int_equal(ilp_blkdev_unmatched(d), 0);
	/* queued at the first bio (1 ms), issued again at 3 ms */
	assert_int_equal(ilp_hist_max(st->q2c), 3 * MS);
	assert_int_equal(ilp_hist_max(st->d2c), 1 * MS);
	assert_int_equal(ilp_blkdev_submitter(d, 0)->pid, 100);
	ilp_model_free(m);
}

/* completions of requests issued before tracing; kernel-thread I/O; two devices */
static void test_unmatched_and_kernel_threads(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_blk_submitter *s;
	const struct ilp_blkdev *d;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_block(1 * MS, 0, ILP_EV_BLOCK_COMPLETE, VDA, 2048, 0, "W", ""));
	feed(m, ev_block(1 * MS + 1, 0, ILP_EV_BLOCK_COMPLETE, VDA, 4096, 0, "R", ""));
	/* jbd2 writes the journal; a flush; an untraced user process reads sdb */
	feed(m, ev_block(2 * MS, 300, ILP_EV_BLOCK_QUEUE, VDA, 9000, 8192, "WS", "jbd2/vda-8"));
	feed(m, ev_block(2 * MS + 5, 300, ILP_EV_BLOCK_ISSUE, VDA, 9000, 8192, "WS", "jbd2/vda-8"));
	feed(m, ev_block(3 * MS, 0, ILP_EV_BLOCK_COMPLETE, VDA, 9000, 8192, "WS", ""));
	feed(m, ev_block(3 * MS + 1, 300, ILP_EV_BLOCK_ISSUE, VDA, 0, 0, "FF", "jbd2/vda-8"));
	feed(m, ev_block(3 * MS + 9, 0, ILP_EV_BLOCK_COMPLETE, VDA, 0, 0, "FF", ""));
	feed(m, ev_block(4 * MS, 400, ILP_EV_BLOCK_QUEUE, SDB, 10, 512, "R", "cat"));
	feed(m, ev_block(4 * MS + 3, 400, ILP_EV_BLOCK_COMPLETE, SDB, 10, 512, "R", ""));
	assert_int_equal(ilp_model_index(m, 5 * MS), 0);
	assert_int_equal(ilp_model_nblkdevs(m), 2);
	assert_int_equal(ilp_blkdev_dev(ilp_model_blkdev(m, 0)), VDA);	/* by bytes */
	d = dev_of(m, VDA);
	assert_int_equal(ilp_blkdev_unmatched(d), 2);
	assert_int_equal(ilp_blkdev_stats(d)->requests, 2);
	assert_int_equal(ilp_blkdev_stats(d)->ops[ILP_BLK_FLUSH], 1);
	assert_int_equal(ilp_blkdev_nsubmitters(d), 1);
	s = ilp_blkdev_submitter(d, 0);
	assert_int_equal(s->pid, 0);
	assert_string_equal(s->comm, "jbd2/vda-8");
	assert_int_equal(s->kernel, 1);
	s = ilp_blkdev_submitter(dev_of(m, SDB), 0);
	assert_string_equal(s->comm, "cat");
	assert_int_equal(s->kernel, 0);
	assert_int_equal(ilp_blk_op_of("FWFS"), ILP_BLK_WRITE);
	assert_int_equal(ilp_blk_op_of("DS"), ILP_BLK_DISCARD);
	assert_int_equal(ilp_blk_op_of("RA"), ILP_BLK_READ);
	assert_int_equal(ilp_blk_op_of("N"), ILP_BLK_OTHER);
	assert_int_equal(ilp_model_nprocs(m), 1);
	assert_null(ilp_proc_wait(ilp_model_find_proc(m, 100)));
	ilp_model_free(m);
}

/* many requests in flight at once, completed out of order: the table grows,
 * deletes shift back, every completion finds its request */
static void test_many_in_flight(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_blkdev *d;
	uint64_t i;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	for (i = 0; i < 3000; i++)
		feed(m, ev_block(1 * MS + i, 100, ILP_EV_BLOCK_QUEUE, VDA, i * 8, 4096, "R", "app"));
	for (i = 0; i < 3000; i++)
		feed(m, ev_block(2 * MS + i, 0, ILP_EV_BLOCK_COMPLETE, VDA, ((i * 7) % 3000) * 8, 4096, "R", ""));
	assert_int_equal(ilp_model_index(m, 3 * MS), 0);
	d = dev_of(m, VDA);
	assert_int_equal(ilp_blkdev_stats(d)->requests, 3000);
	assert_int_equal(ilp_blkdev_unmatched(d), 0);
	assert_int_equal(ilp_blkdev_stats(d)->bytes, 3000 * 4096);
	ilp_model_free(m);
}

static struct ilp_event ev_wb(uint64_t ts, int tid, int kind, uint32_t dev, uint64_t ino)
{
	struct ilp_event e = { .ts = ts, .tid = tid, .kind = (uint16_t)kind };

	e.wb.dev = dev;
	e.wb.ino = ino;
	return e;
}

/* a kworker's bios inside writeback_single_inode_start..end of inode I */
static void flush_inode(struct ilp_model *m, uint64_t t, int kw, uint64_t ino, uint64_t sector,
			uint32_t bytes)
{
	feed(m, ev_wb(t, kw, ILP_EV_WB_START, VDA, ino));
	feed(m, ev_block(t + 1 * US, kw, ILP_EV_BLOCK_QUEUE, VDA, sector, bytes, "W", "kworker/u8:3"));
	feed(m, ev_wb(t + 2 * US, kw, ILP_EV_WB_END, VDA, ino));
	feed(m, ev_block(t + 3 * US, kw, ILP_EV_BLOCK_ISSUE, VDA, sector, bytes, "W", "kworker/u8:3"));
	feed(m, ev_block(t + 9 * US, 0, ILP_EV_BLOCK_COMPLETE, VDA, sector, bytes, "W", ""));
}

static const struct ilp_blk_submitter *find_sub(const struct ilp_blkdev *d, int wb, uint64_t ino)
{
	size_t i;

	for (i = 0; i < ilp_blkdev_nsubmitters(d); i++) {
		const struct ilp_blk_submitter *s = ilp_blkdev_submitter(d, i);

		if (!s->pid && s->wb == wb && s->wb_ino == ino)
			return s;
	}
	return NULL;
}

/*
 * Writeback: pid 100 dirties inode 11 (twice: one record), pid 200 dirties
 * inode 22, both dirty inode 33; untraced task 999 dirties inode 44.  The
 * flusher (tid 50, untraced) writes 11, 22, 33, 44 back, and queues one bio
 * outside any bracket (journal-like).  A bio queued by the flusher after
 * its WB_END is not the inode's.
 */
static void test_writeback_attribution(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_blk_submitter *s;
	const struct ilp_blkdev *d;
	const struct ilp_wproc *w1, *w2;

	(void)state;
	feed(m, ev_info(1, 100, 100, "writer"));
	feed(m, ev_info(1, 200, 200, "other"));
	feed(m, ev_wb(1 * MS, 100, ILP_EV_WB_DIRTY, VDA, 11));
	feed(m, ev_wb(1 * MS + 1, 100, ILP_EV_WB_DIRTY, VDA, 11));
	feed(m, ev_wb(2 * MS, 200, ILP_EV_WB_DIRTY, VDA, 22));
	feed(m, ev_wb(3 * MS, 200, ILP_EV_WB_DIRTY, VDA, 33));
	feed(m, ev_wb(3 * MS + 1, 100, ILP_EV_WB_DIRTY, VDA, 33));
	feed(m, ev_wb(4 * MS, 999, ILP_EV_WB_DIRTY, VDA, 44));	/* untraced: ignored */
	/* same inode number on another bdi: not inode 11 of vda */
	feed(m, ev_wb(4 * MS + 1, 200, ILP_EV_WB_DIRTY, SDB, 11));
	flush_inode(m, 10 * MS, 50, 11, 1000, 65536);
	flush_inode(m, 11 * MS, 50, 11, 2000, 8192);
	flush_inode(m, 12 * MS, 50, 22, 3000, 4096);
	flush_inode(m, 13 * MS, 50, 33, 4000, 12288);
	flush_inode(m, 14 * MS, 50, 44, 5000, 16384);
	/* outside a bracket: journal/metadata */
	feed(m, ev_block(15 * MS, 50, ILP_EV_BLOCK_QUEUE, VDA, 6000, 4096, "WS", "kworker/u8:3"));
	feed(m, ev_block(15 * MS + 5, 0, ILP_EV_BLOCK_COMPLETE, VDA, 6000, 4096, "WS", ""));
	assert_int_equal(ilp_model_index(m, 20 * MS), 0);
	d = dev_of(m, VDA);
	assert_int_equal(ilp_blkdev_stats(d)->bytes, 65536 + 8192 + 4096 + 12288 + 16384 + 4096);

	s = find_sub(d, ILP_WB_TRACED, 11);
	assert_non_null(s);
	assert_int_equal(s->pid, 0);
	assert_string_equal(s->comm, "kworker/u8:3");
	assert_true(s->kernel);
	assert_int_equal(s->wb_pid, 100);
	assert_string_equal(s->wb_comm, "writer");
	assert_int_equal(s->wb_shared, 0);
	assert_int_equal(s->st.requests, 2);
	assert_int_equal(s->st.bytes, 65536 + 8192);

	s = find_sub(d, ILP_WB_TRACED, 22);
	assert_non_null(s);
	assert_int_equal(s->wb_pid, 200);
	assert_int_equal(s->st.bytes, 4096);

	s = find_sub(d, ILP_WB_TRACED, 33);	/* last dirtier names it, shared */
	assert_non_null(s);
	assert_int_equal(s->wb_pid, 100);
	assert_int_equal(s->wb_shared, 1);
	assert_int_equal(s->st.bytes, 12288);

	s = find_sub(d, ILP_WB_UNTRACED, 0);
	assert_non_null(s);
	assert_int_equal(s->wb_pid, 0);
	assert_int_equal(s->st.bytes, 16384);

	s = find_sub(d, ILP_WB_NONE, 0);
	assert_non_null(s);
	assert_true(s->kernel);
	assert_int_equal(s->st.bytes, 4096);
	assert_int_equal(ilp_blkdev_nsubmitters(d), 5);

	/* the dirtiers: written back for them, nothing submitted by them */
	w1 = ilp_proc_wait(ilp_model_find_proc(m, 100));
	w2 = ilp_proc_wait(ilp_model_find_proc(m, 200));
	assert_null(ilp_wproc_blk(w1));
	assert_null(ilp_wproc_blk(w2));
	assert_int_equal(ilp_wproc_blk_writeback(w1)->bytes, 65536 + 8192 + 12288);
	assert_int_equal(ilp_wproc_blk_writeback(w1)->requests, 3);
	assert_int_equal(ilp_wproc_blk_writeback(w2)->bytes, 4096);
	/* the flusher and the untraced dirtier never became processes */
	assert_int_equal(ilp_model_nprocs(m), 2);
	ilp_model_free(m);
}

/* a traced task writing an inode back itself (fsync path) stays its own I/O;
 * a front merge keeps the writeback owner */
static void test_writeback_own_and_frontmerge(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_blk_submitter *s;
	const struct ilp_blkdev *d;

	(void)state;
	feed(m, ev_info(1, 100, 100, "writer"));
	feed(m, ev_wb(1 * MS, 100, ILP_EV_WB_DIRTY, VDA, 11));
	feed(m, ev_wb(2 * MS, 100, ILP_EV_WB_START, VDA, 11));
	feed(m, ev_block(2 * MS + 1, 100, ILP_EV_BLOCK_QUEUE, VDA, 100, 4096, "W", "writer"));
	feed(m, ev_wb(2 * MS + 2, 100, ILP_EV_WB_END, VDA, 11));
	feed(m, ev_block(2 * MS + 9, 0, ILP_EV_BLOCK_COMPLETE, VDA, 100, 4096, "W", ""));
	/* flusher: bio at 208, then one at 200 front-merged into it */
	feed(m, ev_wb(3 * MS, 50, ILP_EV_WB_START, VDA, 11));
	feed(m, ev_block(3 * MS + 1, 50, ILP_EV_BLOCK_QUEUE, VDA, 208, 4096, "W", "kworker/u8:1"));
	feed(m, ev_block(3 * MS + 2, 50, ILP_EV_BLOCK_FRONTMERGE, VDA, 200, 4096, "W", "kworker/u8:1"));
	feed(m, ev_wb(3 * MS + 3, 50, ILP_EV_WB_END, VDA, 11));
	feed(m, ev_block(3 * MS + 9, 0, ILP_EV_BLOCK_COMPLETE, VDA, 200, 8192, "W", ""));
	assert_int_equal(ilp_model_index(m, 20 * MS), 0);
	d = dev_of(m, VDA);
	assert_int_equal(ilp_blkdev_nsubmitters(d), 2);
	s = ilp_blkdev_submitter(d, 0);		/* by bytes desc: the flusher's 8 KiB */
	assert_int_equal(s->pid, 0);
	assert_int_equal(s->wb, ILP_WB_TRACED);
	assert_int_equal(s->wb_pid, 100);
	assert_int_equal(s->st.bytes, 8192);
	s = ilp_blkdev_submitter(d, 1);
	assert_int_equal(s->pid, 100);
	assert_int_equal(s->wb, ILP_WB_NONE);
	assert_int_equal(ilp_wproc_blk(ilp_proc_wait(ilp_model_find_proc(m, 100)))->bytes, 4096);
	assert_int_equal(ilp_wproc_blk_writeback(ilp_proc_wait(ilp_model_find_proc(m, 100)))->bytes,
			 8192);
	ilp_model_free(m);
}

/* the kept request whose sector is sector, NULL if not kept */
static const struct ilp_blk_req *kept_at(const struct ilp_blkdev *d, uint64_t sector)
{
	for (size_t i = 0; i < ilp_blkdev_nreqs(d); i++)
		if (ilp_blkdev_req(d, i)->sector == sector)
			return ilp_blkdev_req(d, i);
	return NULL;
}

/*
 * Kept requests, every field: a traced direct write (queue, insert, issue
 * by a kworker), an untraced read never seen issued, a requeued request,
 * a kworker writing back data pid 100 dirtied; an unmatched completion is
 * not kept.  In start order.
 */
static void test_kept_requests_exact(void **state)
{
	struct ilp_model *m = ilp_model_new();
	const struct ilp_blk_req *r;
	const struct ilp_blkdev *d;

	(void)state;
	feed(m, ev_info(1, 100, 100, "dio"));
	feed(m, ev_block(1 * MS + 1 * US, 100, ILP_EV_BLOCK_QUEUE, VDA, 8, 4096, "WS", "dio"));
	feed(m, ev_block(1 * MS + 2 * US, 100, ILP_EV_BLOCK_INSERT, VDA, 8, 4096, "WS", "dio"));
	feed(m, ev_block(1 * MS + 5 * US, 77, ILP_EV_BLOCK_ISSUE, VDA, 8, 4096, "WS", "kworker/0:1H"));
	feed(m, ev_block(1 * MS + 25 * US, 0, ILP_EV_BLOCK_COMPLETE, VDA, 8, 4096, "WS", ""));
	feed(m, ev_block(2 * MS, 400, ILP_EV_BLOCK_QUEUE, VDA, 64, 512, "R", "cat"));
	feed(m, ev_block(2 * MS + 3 * US, 0, ILP_EV_BLOCK_COMPLETE, VDA, 64, 512, "R", ""));
	feed(m, ev_block(3 * MS, 100, ILP_EV_BLOCK_QUEUE, VDA, 128, 8192, "W", "dio"));
	feed(m, ev_block(3 * MS + 10, 50, ILP_EV_BLOCK_ISSUE, VDA, 128, 8192, "W", "kworker/1:1"));
	feed(m, ev_block(3 * MS + 20, 50, ILP_EV_BLOCK_REQUEUE, VDA, 128, 8192, "W", ""));
	feed(m, ev_block(3 * MS + 100, 50, ILP_EV_BLOCK_ISSUE, VDA, 128, 8192, "W", "kworker/1:1"));
	feed(m, ev_block(3 * MS + 1100, 0, ILP_EV_BLOCK_COMPLETE, VDA, 128, 8192, "W", ""));
	feed(m, ev_block(4 * MS, 0, ILP_EV_BLOCK_COMPLETE, VDA, 4096, 0, "W", ""));
	feed(m, ev_wb(5 * MS, 100, ILP_EV_WB_DIRTY, VDA, 11));
	flush_inode(m, 10 * MS, 50, 11, 1000, 65536);
	assert_int_equal(ilp_model_index(m, 20 * MS), 0);
	d = dev_of(m, VDA);
	assert_int_equal(ilp_blkdev_unmatched(d), 1);
	assert_int_equal(ilp_blkdev_reqs_seen(d), 4);
	assert_int_equal(ilp_blkdev_nreqs(d), 4);
	assert_null(ilp_blkdev_req(d, 4));

	r = ilp_blkdev_req(d, 0);
	assert_int_equal(r->sector, 8);
	assert_int_equal(r->dev, VDA);
	assert_int_equal(r->queue_ts, 1 * MS + 1 * US);
	assert_int_equal(r->insert_ts, 1 * MS + 2 * US);
	assert_int_equal(r->issue_ts, 1 * MS + 5 * US);
	assert_int_equal(r->complete_ts, 1 * MS + 25 * US);
	assert_int_equal(r->start_ts, 1 * MS + 5 * US);
	assert_int_equal(r->dur_ns, 20 * US);
	assert_int_equal(r->bytes, 4096);
	assert_int_equal(r->op, ILP_BLK_WRITE);
	assert_string_equal(r->rwbs, "WS");
	assert_int_equal(r->error, 0);
	assert_int_equal(r->pid, 100);		/* the submitter, not the kworker */
	assert_int_equal(r->tid, 100);
	assert_string_equal(r->comm, "dio");
	assert_int_equal(r->kernel, 0);
	assert_int_equal(r->wb_pid, 0);

	r = ilp_blkdev_req(d, 1);		/* never issued: queue -> complete */
	assert_int_equal(r->sector, 64);
	assert_int_equal(r->queue_ts, 2 * MS);
	assert_int_equal(r->insert_ts, 0);
	assert_int_equal(r->issue_ts, 0);
	assert_int_equal(r->start_ts, 2 * MS);
	assert_int_equal(r->dur_ns, 3 * US);
	assert_int_equal(r->bytes, 512);
	assert_int_equal(r->op, ILP_BLK_READ);
	assert_int_equal(r->pid, 0);
	assert_int_equal(r->tid, 0);
	assert_string_equal(r->comm, "cat");
	assert_int_equal(r->kernel, 0);

	r = ilp_blkdev_req(d, 2);		/* requeued: the last issue counts */
	assert_int_equal(r->sector, 128);
	assert_int_equal(r->queue_ts, 3 * MS);
	assert_int_equal(r->issue_ts, 3 * MS + 100);
	assert_int_equal(r->complete_ts, 3 * MS + 1100);
	assert_int_equal(r->dur_ns, 1000);
	assert_int_equal(r->bytes, 8192);
	assert_int_equal(r->pid, 100);

	r = ilp_blkdev_req(d, 3);		/* writeback for pid 100 */
	assert_int_equal(r->sector, 1000);
	assert_int_equal(r->queue_ts, 10 * MS + 1 * US);
	assert_int_equal(r->issue_ts, 10 * MS + 3 * US);
	assert_int_equal(r->complete_ts, 10 * MS + 9 * US);
	assert_int_equal(r->dur_ns, 6 * US);
	assert_int_equal(r->bytes, 65536);
	assert_string_equal(r->rwbs, "W");
	assert_int_equal(r->pid, 0);
	assert_int_equal(r->tid, 0);
	assert_string_equal(r->comm, "kworker/u8:3");
	assert_int_equal(r->kernel, 1);
	assert_int_equal(r->wb_pid, 100);
	ilp_model_free(m);
}

/*
 * 10 x ILP_BLK_REQS_TOP requests, one after another; request i (sector
 * 8 i, 512 * (i % 8 + 1) bytes) is issued at 10 ms + i ms and completes
 * (i * 997) % N + 1 us later (a permutation of 1..N us): exactly those
 * with a service time above N - K us are kept, each with its own
 * timestamps and bytes.  The aggregates still count every request.
 */
static void test_kept_requests_bound(void **state)
{
	const uint64_t n = 10 * ILP_BLK_REQS_TOP, k = ILP_BLK_REQS_TOP;
	struct ilp_model *m = ilp_model_new();
	const struct ilp_blkdev *d;
	uint64_t i, nkept = 0;

	(void)state;
	feed(m, ev_info(1, 100, 100, "app"));
	for (i = 0; i < n; i++) {
		uint64_t t = 10 * MS + i * MS, dur = ((i * 997) % n + 1) * US;
		uint32_t bytes = 512 * (uint32_t)(i % 8 + 1);

		feed(m, ev_block(t - 2 * US, 100, ILP_EV_BLOCK_QUEUE, VDA, 8 * i, bytes, "R", "app"));
		feed(m, ev_block(t, 100, ILP_EV_BLOCK_ISSUE, VDA, 8 * i, bytes, "R", "app"));
		feed(m, ev_block(t + dur, 0, ILP_EV_BLOCK_COMPLETE, VDA, 8 * i, bytes, "R", ""));
	}
	assert_int_equal(ilp_model_index(m, (n + 20) * MS), 0);
	d = dev_of(m, VDA);
	assert_int_equal(ilp_blkdev_stats(d)->requests, n);
	assert_int_equal(ilp_blkdev_reqs_seen(d), n);
	assert_int_equal(ilp_blkdev_nreqs(d), k);
	for (i = 0; i < n; i++) {
		uint64_t t = 10 * MS + i * MS, dur = ((i * 997) % n + 1) * US;
		const struct ilp_blk_req *r = kept_at(d, 8 * i);

		if (dur <= (n - k) * US) {
			assert_null(r);
			continue;
		}
		assert_non_null(r);
		nkept++;
		assert_int_equal(r->queue_ts, t - 2 * US);
		assert_int_equal(r->issue_ts, t);
		assert_int_equal(r->start_ts, t);
		assert_int_equal(r->complete_ts, t + dur);
		assert_int_equal(r->dur_ns, dur);
		assert_int_equal(r->bytes, 512 * (i % 8 + 1));
		assert_int_equal(r->pid, 100);
	}
	assert_int_equal(nkept, k);
	for (i = 1; i < k; i++)
		assert_true(ilp_blkdev_req(d, i)->start_ts > ilp_blkdev_req(d, i - 1)->start_ts);
	ilp_model_free(m);
}

/* equal service times: the first K completed stay; feeding after an index
 * goes on (the heap is intact), the next index sees the new slowest */
static void test_kept_requests_ties_reindex(void **state)
{
	const uint64_t k = ILP_BLK_REQS_TOP;
	struct ilp_model *m = ilp_model_new();
	const struct ilp_blkdev *d;
	uint64_t i;

	(void)state;
	for (i = 0; i < k + 10; i++) {
		feed(m, ev_block(1 * MS + i * US * 10, 0, ILP_EV_BLOCK_ISSUE, SDB, 8 * i, 4096, "W", "jbd2/sdb-8"));
		feed(m, ev_block(1 * MS + i * US * 10 + 5 * US, 0, ILP_EV_BLOCK_COMPLETE, SDB, 8 * i, 4096, "W", ""));
	}
	assert_int_equal(ilp_model_index(m, 1000 * MS), 0);
	d = dev_of(m, SDB);
	assert_int_equal(ilp_blkdev_nreqs(d), k);
	assert_int_equal(ilp_blkdev_req(d, 0)->sector, 0);
	assert_int_equal(ilp_blkdev_req(d, k - 1)->sector, 8 * (k - 1));
	assert_string_equal(ilp_blkdev_req(d, 0)->comm, "jbd2/sdb-8");
	assert_int_equal(ilp_blkdev_req(d, 0)->kernel, 1);
	assert_int_equal(ilp_blkdev_req(d, 0)->queue_ts, 0);
	/* one slower request after the index: it replaces the last-completed tie */
	feed(m, ev_block(900 * MS, 0, ILP_EV_BLOCK_ISSUE, SDB, 99999, 4096, "W", "jbd2/sdb-8"));
	feed(m, ev_block(900 * MS + 6 * US, 0, ILP_EV_BLOCK_COMPLETE, SDB, 99999, 4096, "W", ""));
	assert_int_equal(ilp_model_index(m, 1000 * MS), 0);
	assert_int_equal(ilp_blkdev_nreqs(d), k);
	assert_int_equal(ilp_blkdev_reqs_seen(d), k + 11);
	assert_int_equal(ilp_blkdev_req(d, k - 1)->sector, 99999);
	assert_int_equal(ilp_blkdev_req(d, k - 1)->dur_ns, 6 * US);
	assert_int_equal(ilp_blkdev_req(d, k - 2)->sector, 8 * (k - 2));
	assert_null(kept_at(d, 8 * (k - 1)));
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle_attribution),
		cmocka_unit_test(test_merges_requeue),
		cmocka_unit_test(test_unmatched_and_kernel_threads),
		cmocka_unit_test(test_many_in_flight),
		cmocka_unit_test(test_writeback_attribution),
		cmocka_unit_test(test_writeback_own_and_frontmerge),
		cmocka_unit_test(test_kept_requests_exact),
		cmocka_unit_test(test_kept_requests_bound),
		cmocka_unit_test(test_kept_requests_ties_reindex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
