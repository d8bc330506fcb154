// SPDX-License-Identifier: MIT
/*
 * io_uring model tests (src/model/model_uring.c, through model.c):
 * synthetic ILP_EV_URING_* streams, exact expected numbers.
 */
#define WALL (10000 * MS)

#include "analyze_fixture.h"
#include "uringmodel.h"

#define RING 0xffff888010000000ull
#define REQ(i) (0xffff888020000000ull + 0x100ull * (uint64_t)(i))
#define WORKER 999	/* an io-wq worker: not a traced thread */
#define OP_FSYNC 3
#define OP_NOP 0
#define OP_WRITE 23
#define GETEVENTS 1ull

static void uev(struct stream *s, int kind, int tid, uint64_t ts, uint64_t ctx, uint64_t req,
		int a, int opcode, uint32_t flags)
{
	struct ilp_event e = { .ts = ts, .tid = tid, .kind = (uint16_t)kind, .nr = -1 };

	e.uring.ctx = ctx;
	e.uring.req = req;
	e.uring.flags = flags;
	e.uring.opcode = (uint16_t)opcode;
	if (kind == ILP_EV_URING_FILE || kind == ILP_EV_URING_CREATE)
		e.uring.fd = a;
	else
		e.uring.res = a;
	if (kind == ILP_EV_URING_SUBMIT)
		snprintf(e.uring.op, sizeof(e.uring.op), "%s",
			 opcode == OP_WRITE ? "WRITE" : opcode == OP_FSYNC ? "FSYNC" : "NOP");
	feed(s, e);
}

/* a request of the traced thread: submit (+ its fd), done by the worker lat later */
static void request(struct stream *s, uint64_t req, int opcode, int fd, uint32_t flags,
		    uint64_t lat, int res, int punt)
{
	uint64_t t0 = s->ts;

	uev(s, ILP_EV_URING_SUBMIT, s->tid, t0, RING, req, 0, opcode, flags);
	if (fd >= 0)
		uev(s, ILP_EV_URING_FILE, punt ? WORKER : s->tid, t0, RING, req, fd, 0, 0);
	if (punt)
		uev(s, ILP_EV_URING_ASYNC, s->tid, t0, RING, req, 0, opcode, 0);
	uev(s, ILP_EV_URING_COMPLETE, WORKER, t0 + lat, RING, req, res, 0, 0);
	s->ts = t0 + lat + US;
}

static const struct ilp_uproc *up_of(struct stream *s, int pid)
{
	const struct ilp_proc *p;

	assert_int_equal(ilp_model_index(s->m, s->ts), 0);
	p = ilp_model_find_proc(s->m, pid);
	assert_non_null(p);
	return ilp_proc_uring(p);
}

/* requests on a named file: per opcode, per file, and on the file's object
 * in the fd model as the calls they stand for */
static void test_requests_by_op_and_file(void **state)
{
	struct fixture *x = *state;
	struct stream *s = &x->s;
	const struct ilp_uring_op_stats *op;
	const struct ilp_uring_file_stats *fr;
	const struct ilp_uring_totals *tot;
	const struct ilp_io_stats *io;
	const struct ilp_uproc *up;

	open_named(s, 3, "/tmp/a", 0);
	uev(s, ILP_EV_URING_CREATE, s->tid, s->ts, RING, 0, 4, 0, 0);
	request(s, REQ(1), OP_WRITE, 3, 0, 10 * US, 64, 0);
	request(s, REQ(1), OP_WRITE, 3, 0, 30 * US, 64, 1);	/* the address again */
	request(s, REQ(2), OP_FSYNC, 3, 0, 100 * US, 0, 1);
	request(s, REQ(3), OP_NOP, -1, 0, 1 * US, 0, 0);
	request(s, REQ(4), OP_WRITE, 3, 0, 20 * US, -28, 0);	/* -ENOSPC */
	up = up_of(s, 100);
	tot = ilp_uproc_totals(up);
	assert_int_equal(tot->rings, 1);
	assert_int_equal(tot->submitted, 5);
	assert_int_equal(tot->completed, 5);
	assert_int_equal(tot->punted, 2);
	assert_int_equal(tot->lost, 0);
	op = ilp_uproc_op(up, 0);	/* by total time: FSYNC 100 us, WRITE 60 us, NOP */
	assert_string_equal(op->name, "FSYNC");
	assert_int_equal(op->requests, 1);
	assert_int_equal(op->punted, 1);
	op = ilp_uproc_op(up, 1);
	assert_string_equal(op->name, "WRITE");
	assert_int_equal(op->opcode, OP_WRITE);
	assert_int_equal(op->requests, 3);
	assert_int_equal(op->errors, 1);
	assert_int_equal(op->bytes, 128);
	assert_int_equal(op->punted, 1);
	assert_int_equal(op->total_ns, 60 * US);
	assert_int_equal(op->max_ns, 30 * US);
	assert_int_equal(ilp_hist_count(op->hist), 3);
	assert_int_equal(ilp_hist_sum(op->hist), 60 * US);
	assert_string_equal(ilp_uproc_op(up, 2)->name, "NOP");
	assert_null(ilp_uproc_op(up, 3));
	/* the NOP has no file: two rows, FSYNC then WRITE, on /tmp/a */
	fr = ilp_uproc_file(up, 1);
	assert_non_null(fr);
	assert_string_equal(fr->name, "WRITE");
	assert_int_equal(fr->requests, 3);
	assert_int_equal(fr->total_ns, 60 * US);
	assert_int_equal(fr->bytes, 128);
	assert_int_equal(fr->fd, 3);
	assert_int_equal(fr->fixed, 0);
	assert_string_equal(ilp_fdobj_desc(fr->obj), "/tmp/a");
	assert_string_equal(ilp_uproc_file(up, 0)->name, "FSYNC");
	assert_ptr_equal(ilp_uproc_file(up, 0)->obj, fr->obj);
	assert_null(ilp_uproc_file(up, 2));
	io = obj_stats(s, 100, ILP_OBJ_FILE, "/tmp/a");
	assert_int_equal(io->swrites, 3);
	assert_int_equal(io->wbytes, 128);
	assert_int_equal(io->syncs, 1);
	assert_int_equal(io->requests, 4);
	assert_int_equal(io->ops, 5);	/* the openat too */
	/* no thread was made for the worker */
	assert_null(ilp_model_find_thread(s->m, WORKER));
}

/* a registered file: no fd, one row per opcode, nothing in the fd model */
static void test_registered_file(void **state)
{
	struct fixture *x = *state;
	struct stream *s = &x->s;
	const struct ilp_uring_file_stats *fr;
	const struct ilp_uproc *up;

	call(s, "getpid", 1 * US, 100, 0);	/* the thread is traced */
	request(s, REQ(1), OP_WRITE, -1, ILP_URING_F_FIXED_FILE, 10 * US, 512, 0);
	request(s, REQ(2), OP_WRITE, -1, ILP_URING_F_FIXED_FILE, 10 * US, 512, 0);
	up = up_of(s, 100);
	fr = ilp_uproc_file(up, 0);
	assert_non_null(fr);
	assert_int_equal(fr->fixed, 1);
	assert_null(fr->obj);
	assert_int_equal(fr->fd, -1);
	assert_int_equal(fr->requests, 2);
	assert_int_equal(fr->bytes, 1024);
	assert_null(ilp_uproc_file(up, 1));
	assert_int_equal(ilp_fdproc_nobjs(fds_of(s, 100)), 0);
}

/* other programs' rings are not kept; an SQPOLL thread submits for the
 * ring's maker; a completion of a request submitted before the trace is lost */
static void test_attribution(void **state)
{
	struct fixture *x = *state;
	struct stream *s = &x->s;
	const struct ilp_uring_totals *tot;
	uint64_t other = RING + 0x1000;

	call(s, "getpid", 1 * US, 100, 0);
	uev(s, ILP_EV_URING_SUBMIT, 555, s->ts, other, REQ(9), 0, OP_WRITE, 0);
	uev(s, ILP_EV_URING_COMPLETE, 555, s->ts + US, other, REQ(9), 64, 0, 0);
	assert_null(ilp_model_find_proc(s->m, 555));
	uev(s, ILP_EV_URING_CREATE, s->tid, s->ts, RING, 0, 4, 0, 0);
	/* the SQPOLL thread (untraced) submits, the worker completes */
	uev(s, ILP_EV_URING_SUBMIT, 777, s->ts, RING, REQ(1), 0, OP_NOP, 0);
	uev(s, ILP_EV_URING_COMPLETE, WORKER, s->ts + 5 * US, RING, REQ(1), 0, 0, 0);
	uev(s, ILP_EV_URING_COMPLETE, WORKER, s->ts + 6 * US, RING, REQ(2), 0, 0, 0);
	/* in flight at the end */
	uev(s, ILP_EV_URING_SUBMIT, s->tid, s->ts + 7 * US, RING, REQ(3), 0, OP_FSYNC, 0);
	s->ts += 10 * US;
	ilp_model_finish(s->m, s->ts);
	tot = ilp_uproc_totals(up_of(s, 100));
	assert_int_equal(tot->submitted, 2);
	assert_int_equal(tot->completed, 1);
	assert_int_equal(tot->lost, 1);
	assert_int_equal(tot->unfinished, 1);
	assert_string_equal(ilp_uproc_op(up_of(s, 100), 1)->name, "FSYNC");
	assert_int_equal(ilp_uproc_op(up_of(s, 100), 1)->unfinished, 1);
	assert_int_equal(ilp_uproc_op(up_of(s, 100), 1)->requests, 0);
	assert_null(ilp_model_find_proc(s->m, 777));
	assert_int_equal(ilp_model_nprocs(s->m), 1);
}

/* io_uring_enter: calls asking for completions, and those that waited */
static void test_enter_waits(void **state)
{
	struct fixture *x = *state;
	struct stream *s = &x->s;
	const struct ilp_uring_totals *tot;
	struct ilp_event e = { .pid = 100, .tid = 100, .nr = NR("io_uring_enter") };

	/* waits: a CQWAIT inside the call */
	e.ts = s->ts;
	e.kind = ILP_EV_SYS_ENTER;
	e.args[0] = 4;
	e.args[3] = GETEVENTS;
	feed(s, e);
	uev(s, ILP_EV_URING_CQWAIT, s->tid, s->ts + US, RING, 0, 1, 0, 0);
	e.ts = s->ts + 500 * US;
	e.kind = ILP_EV_SYS_EXIT;
	feed(s, e);
	s->ts += 600 * US;
	call6(s, "io_uring_enter", 20 * US, 1, 4, 1, 1, GETEVENTS);	/* no wait */
	call6(s, "io_uring_enter", 5 * US, 1, 4, 1, 0, 0);		/* submit only */
	tot = ilp_uproc_totals(up_of(s, 100));
	assert_int_equal(tot->enters, 3);
	assert_int_equal(tot->getevents, 2);
	assert_int_equal(tot->getevents_ns, 520 * US);
	assert_int_equal(tot->waits, 1);
	assert_int_equal(tot->wait_ns, 500 * US);
}

/* one io_uring_enter(GETEVENTS) of the thread that submits n requests and
 * waits for them (each lat, done one after the other by the worker) */
static void batch(struct stream *s, uint64_t *r, int n, int opcode, int fd, uint64_t lat,
		  int res)
{
	struct ilp_event e = { .ts = s->ts, .pid = s->pid, .tid = s->tid,
			       .kind = ILP_EV_SYS_ENTER, .nr = NR("io_uring_enter") };
	int k;

	e.args[0] = 4;
	e.args[1] = e.args[2] = (uint64_t)n;
	e.args[3] = GETEVENTS;
	feed(s, e);
	uev(s, ILP_EV_URING_CQWAIT, s->tid, s->ts, RING, 0, n, 0, 0);
	s->ts += US;
	for (k = 0; k < n; k++)
		request(s, REQ((*r)++ % 64), opcode, fd, 0, lat, res, 1);
	memset(e.args, 0, sizeof(e.args));
	e.ts = s->ts;
	e.kind = ILP_EV_SYS_EXIT;
	e.ret = n;
	feed(s, e);
	s->ts += US;
}

/* 1000 small write requests and 10 fsync requests on one file, waited for
 * in io_uring_enter: the syscalls' detectors find them, one finding each,
 * and the saving is the part of io_uring_enter's wait a fix removes */
static void test_detectors_see_requests(void **state)
{
	struct fixture *x = *state;
	struct stream *s = &x->s;
	const struct ilp_finding *f;
	const struct ilp_io_stats *io;
	uint64_t r = 0;
	int i, seen = 0;

	open_named(s, 3, "/tmp/log", 0);
	uev(s, ILP_EV_URING_CREATE, s->tid, s->ts, RING, 0, 4, 0, 0);
	for (i = 0; i < 10; i++) {
		batch(s, &r, 100, OP_WRITE, 3, 10 * US, 64);
		batch(s, &r, 1, OP_FSYNC, 3, 1 * MS, 0);
	}
	/* each enter's share (its whole time: one thread) went to its requests */
	io = obj_stats(s, 100, ILP_OBJ_FILE, "/tmp/log");
	assert_int_equal(io->cat_share[ILP_IO_SWRITE], 10 * (1 + 100 * 11) * US);
	assert_int_equal(io->cat_share[ILP_IO_SYNC], 10 * (1 + 1001) * US);
	assert_int_equal(ilp_uproc_totals(up_of(s, 100))->waits, 20);
	run(x, "unbuffered");
	for (i = 0; i < (int)x->f.n; i++) {
		f = &x->f.v[i];
		if (!strcmp(f->kind, "unbuffered")) {
			seen |= 1;
			assert_int_equal(f->count, 1000);
			assert_int_equal(f->bytes, 64000);
			assert_int_equal(f->size, 64);
			assert_int_equal(f->saving_calls, 999);
			assert_int_equal(f->saving_ns, ilp_scale(11010 * US, 999, 1000));
			assert_string_equal(f->what, "1000 writes of 64 B (median) on file /tmp/log");
			assert_non_null(strstr(f->evidence, "; 1010 of the calls were io_uring requests"));
		} else if (!strcmp(f->kind, "fsync")) {
			seen |= 2;
			assert_int_equal(f->count, 10);
			assert_string_equal(f->what, "10 syncs on file /tmp/log");
		} else {
			fail_msg("finding %s: %s", f->kind, f->what);
		}
	}
	assert_int_equal(seen, 3);
}

/* an interval's reset: counts from 0, a request in flight still pairs */
static void test_reset(void **state)
{
	struct fixture *x = *state;
	struct stream *s = &x->s;
	const struct ilp_uring_totals *tot;

	call(s, "getpid", 1 * US, 100, 0);
	request(s, REQ(1), OP_WRITE, -1, ILP_URING_F_FIXED_FILE, 10 * US, 8, 0);
	uev(s, ILP_EV_URING_SUBMIT, s->tid, s->ts, RING, REQ(2), 0, OP_WRITE, 1);
	assert_int_equal(ilp_model_reset_stats(s->m), 0);
	uev(s, ILP_EV_URING_COMPLETE, WORKER, s->ts + 3 * US, RING, REQ(2), 8, 0, 0);
	s->ts += 4 * US;
	tot = ilp_uproc_totals(up_of(s, 100));
	assert_int_equal(tot->submitted, 0);
	assert_int_equal(tot->completed, 1);
	assert_int_equal(ilp_uproc_op(up_of(s, 100), 0)->requests, 1);
	assert_int_equal(ilp_uproc_op(up_of(s, 100), 0)->total_ns, 3 * US);
	assert_null(ilp_uproc_op(up_of(s, 100), 1));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_requests_by_op_and_file),
		T(test_registered_file),
		T(test_attribution),
		T(test_enter_waits),
		T(test_detectors_see_requests),
		T(test_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
