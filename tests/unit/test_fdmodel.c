// SPDX-License-Identifier: MIT
/* fd model unit tests: synthetic ilp_event streams, exact expected numbers. */

#include <malloc.h>

#include "fdtest.h"

#define O_CLOEXEC_V 02000000ull
#define CLONE_THREAD_V 0x00010000ull
#define SIGCHLD_V 17ull

static struct stream *st_new(void)
{
	static struct stream s;

	s.m = ilp_model_new();
	assert_non_null(s.m);
	s.ts = 1000 * MS;
	s.pid = s.tid = 100;
	return &s;
}

static void st_free(struct stream *s)
{
	ilp_model_free(s->m);
}

static void test_open_named_io_close(void **state)
{
	struct stream *s = st_new();
	const struct ilp_io_stats *a;

	(void)state;
	open_named(s, 3, "/tmp/a", 0);
	call(s, "write", 10 * US, 100, 3);
	call(s, "write", 20 * US, 50, 3);
	call(s, "read", 30 * US, 7, 3);
	call(s, "fsync", 40 * US, 0, 3);
	call(s, "close", 1 * US, 0, 3);
	a = obj_stats(s, 100, ILP_OBJ_FILE, "/tmp/a");
	assert_int_equal(a->opens, 1);
	assert_int_equal(a->writes, 2);
	assert_int_equal(a->wbytes, 150);
	assert_int_equal(a->reads, 1);
	assert_int_equal(a->rbytes, 7);
	assert_int_equal(a->syncs, 1);
	assert_int_equal(a->closes, 1);
	assert_int_equal(a->ops, 6);
	assert_int_equal(a->total_ns, (5 + 10 + 20 + 30 + 40 + 1) * US);
	assert_int_equal(ilp_hist_count(a->lat), 6);
	assert_int_equal(ilp_hist_count(a->wsize), 2);
	assert_null(ilp_fdproc_fd(fds_of(s, 100), 3));
	assert_int_equal(ilp_fdproc_fd_cloexec(fds_of(s, 100), 3), -1);
	assert_int_equal(ilp_fdproc_nobjs(fds_of(s, 100)), 1);
	st_free(s);
}

static void test_unresolved(void **state)
{
	struct stream *s = st_new();
	const struct ilp_fdobj *o;
	char buf[64];

	(void)state;
	/* an fd we never saw created, and an open the source could not name */
	call(s, "write", 10 * US, 1, 5);
	call6(s, "openat", 5 * US, 3, (uint64_t)-100, 0x1000, 0, 0);
	call(s, "read", 10 * US, 4, 3);
	o = ilp_fdproc_find(fds_of(s, 100), ILP_OBJ_UNRESOLVED, "fd 5 (unresolved)");
	assert_non_null(o);
	assert_int_equal(ilp_fdobj_stats(o)->writes, 1);
	ilp_fdobj_format(o, buf, sizeof(buf));
	assert_string_equal(buf, "fd 5 (unresolved)");
	o = ilp_fdproc_find(fds_of(s, 100), ILP_OBJ_UNRESOLVED, "fd 3 (unresolved)");
	assert_non_null(o);
	assert_int_equal(ilp_fdobj_stats(o)->opens, 1);
	assert_int_equal(ilp_fdobj_stats(o)->reads, 1);
	assert_int_equal(ilp_fdproc_nobjs(fds_of(s, 100)), 2);
	st_free(s);
}

static void test_dup_family(void **state)
{
	struct stream *s = st_new();
	const struct ilp_fdproc *f;

	(void)state;
	open_named(s, 3, "/a", 0);
	call(s, "dup", 1 * US, 4, 3);
	call6(s, "dup2", 1 * US, 7, 3, 7, 0, 0);
	call6(s, "fcntl", 1 * US, 10, 3, 1030 /* F_DUPFD_CLOEXEC */, 0, 0);
	call(s, "close", 1 * US, 0, 3);
	call(s, "write", 1 * US, 1, 4);
	call(s, "write", 1 * US, 1, 7);
	call(s, "write", 1 * US, 1, 10);
	f = fds_of(s, 100);
	assert_null(ilp_fdproc_fd(f, 3));
	assert_string_equal(ilp_fdobj_desc(ilp_fdproc_fd(f, 4)), "/a");
	assert_string_equal(ilp_fdobj_desc(ilp_fdproc_fd(f, 7)), "/a");
	assert_string_equal(ilp_fdobj_desc(ilp_fdproc_fd(f, 10)), "/a");
	assert_int_equal(ilp_fdproc_fd_cloexec(f, 4), 0);
	assert_int_equal(ilp_fdproc_fd_cloexec(f, 10), 1);
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/a")->writes, 3);
	/* dup, dup2, fcntl are "other" calls on /a, close a close */
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/a")->others, 3);
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/a")->closes, 1);
	st_free(s);
}

static void test_fork_and_threads(void **state)
{
	struct stream *s = st_new();
	struct ilp_event e = { .kind = ILP_EV_TASK_NEW };

	(void)state;
	open_named(s, 3, "/a", 0);
	/* a thread shares the table */
	e.ts = s->ts;
	e.pid = 100;
	e.tid = 100;
	e.task.child = 101;
	e.task.clone_flags = CLONE_THREAD_V;
	feed(s, e);
	s->tid = 101;
	call(s, "write", 1 * US, 1, 3);
	/* fork copies it */
	e.ts = s->ts;
	e.task.child = 200;
	e.task.clone_flags = SIGCHLD_V;
	feed(s, e);
	s->pid = s->tid = 200;
	call(s, "write", 1 * US, 1, 3);
	call(s, "write", 1 * US, 1, 3);
	call(s, "close", 1 * US, 0, 3);
	/* the child's close leaves the parent's fd open */
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/a")->writes, 1);
	assert_int_equal(obj_stats(s, 200, ILP_OBJ_FILE, "/a")->writes, 2);
	assert_non_null(ilp_fdproc_fd(fds_of(s, 100), 3));
	assert_null(ilp_fdproc_fd(fds_of(s, 200), 3));
	/* opened by 100, written by 101: several threads; the child's is its own */
	assert_int_equal(ilp_fdobj_tid(ilp_fdproc_fd(fds_of(s, 100), 3)), 0);
	assert_int_equal(ilp_fdobj_tid(ilp_fdproc_find(fds_of(s, 200), ILP_OBJ_FILE, "/a")), 200);
	st_free(s);
}

static void test_cloexec_at_exec(void **state)
{
	struct stream *s = st_new();
	struct ilp_event e = { .kind = ILP_EV_EXEC };
	const struct ilp_fdproc *f;

	(void)state;
	open_named(s, 3, "/a", O_CLOEXEC_V);		/* open flag */
	open_named(s, 4, "/b", 0);			/* stays */
	open_named(s, 5, "/c", 0);
	call6(s, "fcntl", 1 * US, 0, 5, 2 /* F_SETFD */, 1 /* FD_CLOEXEC */, 0);
	call6(s, "dup3", 1 * US, 6, 4, 6, O_CLOEXEC_V, 0);	/* dup3 flag */
	open_named(s, 9, "/d", O_CLOEXEC_V);
	call6(s, "fcntl", 1 * US, 0, 9, 2 /* F_SETFD */, 0, 0);	/* cleared again */
	fdinfo(s, 8, ILP_OBJ_FILE | ILP_OBJ_F_CLOEXEC, "/e");	/* attach-time fact */
	call6(s, "socket", 1 * US, 11, 2, 1 | O_CLOEXEC_V, 0, 0);	/* SOCK_CLOEXEC */
	fdinfo(s, 11, ILP_OBJ_TCP, "(unconnected, fd 11)");
	e.ts = s->ts;
	e.pid = e.tid = 100;
	memcpy(e.task.comm, "new", 4);
	feed(s, e);
	f = fds_of(s, 100);
	assert_null(ilp_fdproc_fd(f, 3));
	assert_non_null(ilp_fdproc_fd(f, 4));
	assert_null(ilp_fdproc_fd(f, 5));
	assert_null(ilp_fdproc_fd(f, 6));
	assert_null(ilp_fdproc_fd(f, 8));
	assert_non_null(ilp_fdproc_fd(f, 9));
	assert_null(ilp_fdproc_fd(f, 11));
	assert_int_equal(ilp_fdproc_fd_cloexec(f, 4), 0);
	st_free(s);
}

static void test_path_calls(void **state)
{
	struct stream *s = st_new();

	(void)state;
	/* stat by path and a failed open are counted on the path */
	call6(s, "newfstatat", 3 * US, 0, (uint64_t)-100, 0x1000, 0, 0);
	fdinfo(s, ILP_FD_PATHARG, ILP_OBJ_FILE, "/etc/x");
	call6(s, "openat", 4 * US, -2, (uint64_t)-100, 0x1000, 0, 0);
	fdinfo(s, ILP_FD_PATHARG, ILP_OBJ_FILE, "/etc/x");
	open_named(s, 3, "/etc/x", 0);
	call(s, "fstat", 2 * US, 0, 3);
	/* a stat the source could not name counts nowhere */
	call6(s, "newfstatat", 3 * US, 0, (uint64_t)-100, 0x1000, 0, 0);
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/etc/x")->stats, 2);
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/etc/x")->opens, 2);
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/etc/x")->errors, 1);
	assert_int_equal(ilp_fdproc_nobjs(fds_of(s, 100)), 1);
	st_free(s);
}

static void test_connect_rebind(void **state)
{
	struct stream *s = st_new();
	const struct ilp_fdobj *o;
	char buf[128];

	(void)state;
	call6(s, "socket", 2 * US, 3, 2, 1, 0, 0);
	fdinfo(s, 3, ILP_OBJ_TCP, "(unconnected, fd 3)");
	call6(s, "connect", 50 * US, 0, 3, 0x2000, 16, 0);
	/* the source knew the peer from connect's argument, not the protocol */
	fdinfo(s, 3, ILP_OBJ_SOCKET | ILP_OBJ_F_FROM_ARG, "? -> 10.0.0.1:5432");
	call(s, "sendto", 5 * US, 16, 3);
	o = ilp_fdproc_fd(fds_of(s, 100), 3);
	assert_non_null(o);
	assert_int_equal(ilp_fdobj_type(o) & ILP_OBJ_TYPE_MASK, ILP_OBJ_TCP);
	ilp_fdobj_format(o, buf, sizeof(buf));
	assert_string_equal(buf, "tcp ? -> 10.0.0.1:5432 (name from call argument)");
	assert_int_equal(ilp_fdobj_stats(o)->writes, 1);
	/* socket and connect stay on the unconnected socket */
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_TCP, "(unconnected, fd 3)")->ops, 1);
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_TCP, "(unconnected, fd 3)")->others, 1);
	st_free(s);
}

static void test_round_trips_and_roles(void **state)
{
	struct stream *s = st_new();
	const struct ilp_io_stats *c, *v;
	int i;

	(void)state;
	call6(s, "socket", 2 * US, 3, 2, 1, 0, 0);
	call6(s, "connect", 2 * US, 0, 3, 0, 0, 0);
	fdinfo(s, 3, ILP_OBJ_TCP, "1.1.1.1:1 -> 2.2.2.2:2");
	call(s, "accept4", 2 * US, 4, 9);
	fdinfo(s, 4, ILP_OBJ_TCP, "2.2.2.2:2 -> 1.1.1.1:1");
	for (i = 0; i < 3; i++) {
		call(s, "write", 1 * US, 10, 3);
		call(s, "read", 1 * US, -11, 3);	/* EAGAIN keeps the state */
		call(s, "read", 100 * US, 10, 3);
		call(s, "read", 2 * US, 5, 3);		/* a second read: same round trip */
		call(s, "read", 7 * US, 10, 4);
		call(s, "write", 1 * US, 10, 4);
	}
	c = obj_stats(s, 100, ILP_OBJ_TCP, "1.1.1.1:1 -> 2.2.2.2:2");
	v = obj_stats(s, 100, ILP_OBJ_TCP, "2.2.2.2:2 -> 1.1.1.1:1");
	assert_int_equal(c->round_trips, 3);
	assert_int_equal(c->rt_wait_ns, 300 * US);
	assert_int_equal(c->rt_nr, NR("read"));
	assert_int_equal(c->client, 1);
	assert_int_equal(c->errors, 3);
	assert_int_equal(v->client, 0);
	assert_int_equal(v->accepted, 1);
	assert_int_equal(v->round_trips, 2);	/* the server's reads after its answers */
	st_free(s);
}

static void test_positioned(void **state)
{
	struct stream *s = st_new();
	const struct ilp_io_stats *a;

	(void)state;
	open_named(s, 3, "/db", 0);
	call6(s, "pread64", 1 * US, 4096, 3, 0, 4096, 0);	/* first: not random */
	call6(s, "pread64", 1 * US, 4096, 3, 0, 4096, 4096);	/* continues */
	call6(s, "pread64", 1 * US, 4096, 3, 0, 4096, 65536);	/* jump */
	call6(s, "pwrite64", 1 * US, 100, 3, 0, 100, 0);	/* jump back */
	call6(s, "pread64", 1 * US, 4096, 3, 0, 4096, 100);	/* continues the write */
	a = obj_stats(s, 100, ILP_OBJ_FILE, "/db");
	assert_int_equal(a->pops, 5);
	assert_int_equal(a->pops_random, 2);
	assert_int_equal(a->pbytes, 4 * 4096 + 100);
	assert_int_equal(a->reads, 4);
	assert_int_equal(a->writes, 1);
	assert_int_equal(a->sreads + a->swrites, 0);
	st_free(s);
}

static void test_close_range_and_pipe(void **state)
{
	struct stream *s = st_new();
	const struct ilp_fdproc *f;

	(void)state;
	open_named(s, 3, "/a", 0);
	open_named(s, 4, "/b", 0);
	open_named(s, 5, "/c", 0);
	call6(s, "pipe2", 1 * US, 0, 0x3000, 0, 0, 0);
	fdinfo(s, 6, ILP_OBJ_PIPE, "pipe:[77]");
	fdinfo(s, 7, ILP_OBJ_PIPE, "pipe:[77]");
	call6(s, "close_range", 1 * US, 0, 5, ~0u, 4 /* CLOSE_RANGE_CLOEXEC */, 0);
	f = fds_of(s, 100);
	assert_int_equal(ilp_fdproc_fd_cloexec(f, 5), 1);
	assert_int_equal(ilp_fdproc_fd_cloexec(f, 3), 0);
	call6(s, "close_range", 1 * US, 0, 4, 5, 0, 0);
	f = fds_of(s, 100);
	assert_non_null(ilp_fdproc_fd(f, 3));
	assert_null(ilp_fdproc_fd(f, 4));
	assert_null(ilp_fdproc_fd(f, 5));
	assert_string_equal(ilp_fdobj_desc(ilp_fdproc_fd(f, 6)), "pipe:[77]");
	assert_ptr_equal(ilp_fdproc_fd(f, 6), ilp_fdproc_fd(f, 7));
	st_free(s);
}

static void test_sorted_view(void **state)
{
	struct stream *s = st_new();
	const struct ilp_fdproc *f;

	(void)state;
	open_named(s, 3, "/small", 0);
	open_named(s, 4, "/big", 0);
	call(s, "write", 100 * US, 1, 4);
	call(s, "write", 10 * US, 1, 3);
	f = fds_of(s, 100);
	assert_int_equal(ilp_fdproc_nobjs(f), 2);
	assert_string_equal(ilp_fdobj_desc(ilp_fdproc_obj(f, 0)), "/big");
	assert_string_equal(ilp_fdobj_desc(ilp_fdproc_obj(f, 1)), "/small");
	assert_null(ilp_fdproc_obj(f, 2));
	assert_string_equal(ilp_obj_type_name(ILP_OBJ_TCP | ILP_OBJ_F_FROM_ARG), "tcp");
	assert_string_equal(ilp_obj_type_name(200), "?");
	st_free(s);
}

/* a name that could not be made certain: "fd N (name lost: WHY)", its
 * call counted there, type unresolved, name_source "lost" */
static void test_name_lost(void **state)
{
	struct stream *s = st_new();
	const struct ilp_fdobj *o;
	char buf[128];

	(void)state;
	call6(s, "openat", 5 * US, 5, (uint64_t)-100, 0x1000, 0, 0);
	fdinfo(s, 5, ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_LOST),
	       "closed before it could be read");
	call(s, "write", 10 * US, 2, 5);
	call(s, "close", 1 * US, 0, 5);
	o = ilp_fdproc_find(fds_of(s, 100), ILP_OBJ_UNRESOLVED,
			    "fd 5 (name lost: closed before it could be read)");
	assert_non_null(o);
	assert_int_equal(ilp_fdobj_stats(o)->opens, 1);
	assert_int_equal(ilp_fdobj_stats(o)->writes, 1);
	ilp_fdobj_format(o, buf, sizeof(buf));
	assert_string_equal(buf, "fd 5 (name lost: closed before it could be read)");
	assert_string_equal(ilp_name_src_name(ilp_fdobj_type(o)), "lost");
	/* a path call whose name is lost counts on no object */
	call6(s, "newfstatat", 2 * US, 0, (uint64_t)-100, 0x2000, 0x3000, 0);
	fdinfo(s, ILP_FD_PATHARG, ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_LOST), "gone");
	assert_int_equal(ilp_fdproc_nobjs(fds_of(s, 100)), 1);
	st_free(s);
}

/*
 * Each source is recorded on the object (the most trusted one that named
 * it), and a name that completes no call (a later, second source for the
 * same fd) replaces the fd's name only when it is trusted as much or more.
 */
static void test_name_source_order(void **state)
{
	struct stream *s = st_new();
	const struct ilp_fdobj *o;

	(void)state;
	/* the open named from /proc; then a lost name for the same fd does
	 * not replace it: the write still counts on the file */
	call6(s, "openat", 5 * US, 3, (uint64_t)-100, 0x1000, 0, 0);
	fdinfo(s, 3, ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_PROC), "/tmp/p");
	fdinfo(s, 3, ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_LOST), "late");
	call(s, "write", 10 * US, 2, 3);
	o = ilp_fdproc_find(fds_of(s, 100), ILP_OBJ_FILE, "/tmp/p");
	assert_non_null(o);
	assert_int_equal(ilp_fdobj_stats(o)->writes, 1);
	assert_string_equal(ilp_name_src_name(ilp_fdobj_type(o)), "proc");
	assert_null(ilp_fdproc_find(fds_of(s, 100), ILP_OBJ_UNRESOLVED, "fd 3 (name lost: late)"));
	/* an exact name read at the call (--names=exact) replaces a lost one */
	call6(s, "openat", 5 * US, 4, (uint64_t)-100, 0x1000, 0, 0);
	fdinfo(s, 4, ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_LOST), "closed");
	fdinfo(s, 4, ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_CALL), "/tmp/exact");
	call(s, "write", 10 * US, 2, 4);
	o = ilp_fdproc_find(fds_of(s, 100), ILP_OBJ_FILE, "/tmp/exact");
	assert_non_null(o);
	assert_int_equal(ilp_fdobj_stats(o)->writes, 1);
	assert_string_equal(ilp_name_src_name(ilp_fdobj_type(o)), "call");
	/* the same file named again by a more trusted source: one object,
	 * its source the best one */
	call6(s, "openat", 5 * US, 6, (uint64_t)-100, 0x1000, 0, 0);
	fdinfo(s, 6, ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_KERNEL), "/tmp/p");
	o = ilp_fdproc_find(fds_of(s, 100), ILP_OBJ_FILE, "/tmp/p");
	assert_int_equal(ilp_fdobj_stats(o)->opens, 2);
	assert_string_equal(ilp_name_src_name(ilp_fdobj_type(o)), "kernel");
	assert_int_equal(ILP_OBJ_TYPE_MASK & ilp_fdobj_type(o), ILP_OBJ_FILE);
	/* a source that does not say counts as /proc: it replaces a verified
	 * argument's name, not an exact one */
	fdinfo(s, 4, ILP_OBJ_FILE, "/tmp/other");
	assert_ptr_equal(ilp_fdproc_fd(fds_of(s, 100), 4),
			 ilp_fdproc_find(fds_of(s, 100), ILP_OBJ_FILE, "/tmp/exact"));
	assert_string_equal(ilp_name_src_name(ILP_OBJ_FILE), "unknown");
	assert_string_equal(ilp_name_src_name(ILP_OBJ_UNRESOLVED), "unresolved");
	assert_string_equal(ilp_name_src_name(ILP_OBJ_FILE | ILP_OBJ_SRC(ILP_NAME_SRC_ARG)), "arg");
	st_free(s);
}

/* EBADF on an fd never opened: no object, no fd state; on a known fd
 * (read on a write-only fd) the call counts on it as an error */
static void test_ebadf(void **state)
{
	struct stream *s = st_new();
	const struct ilp_fdproc *f;

	(void)state;
	call(s, "read", 1 * US, -9, 1048575);
	call(s, "read", 1 * US, -9, 2147483647);
	call(s, "fstat", 1 * US, -9, 77);
	call6(s, "connect", 1 * US, -9, 78, 0, 16, 0);
	call6(s, "fcntl", 1 * US, -9, 79, 2 /* F_SETFD */, 1, 0);
	f = fds_of(s, 100);
	assert_int_equal(ilp_fdproc_nobjs(f), 0);
	assert_null(ilp_fdproc_fd(f, 1048575));
	assert_int_equal(ilp_fdproc_fd_cloexec(f, 79), -1);
	open_named(s, 3, "/w", 0);
	call(s, "read", 1 * US, -9, 3);
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/w")->reads, 1);
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/w")->errors, 1);
	assert_int_equal(ilp_fdproc_nobjs(fds_of(s, 100)), 1);
	st_free(s);
}

static void fork_to(struct stream *s, int child)
{
	struct ilp_event e = { .kind = ILP_EV_TASK_NEW };

	e.ts = s->ts;
	e.pid = s->pid;
	e.tid = s->tid;
	e.task.child = child;
	e.task.clone_flags = SIGCHLD_V;
	feed(s, e);
}

/*
 * fds far above 1024: dup2 onto fd 1000000 and 2^31-1, calls counted on
 * the object, copied by fork, dropped by close, close_range and exec
 * (cloexec); 64 forks of a process holding fd 1000000 cost little heap
 * (a dense table up to the fd was 16 MB per process).
 */
static void test_high_fds(void **state)
{
	struct stream *s = st_new();
	struct ilp_event e = { .kind = ILP_EV_EXEC };
	const struct ilp_fdproc *f;
	size_t heap0;
	int i;

	(void)state;
	open_named(s, 3, "/dev/null", 0);
	call6(s, "dup2", 1 * US, 1000000, 3, 1000000, 0, 0);
	call6(s, "dup3", 1 * US, 2147483647, 3, 2147483647, O_CLOEXEC_V, 0);
	call(s, "write", 1 * US, 1, 1000000);
	call(s, "write", 1 * US, 1, 2147483647);
	f = fds_of(s, 100);
	assert_string_equal(ilp_fdobj_desc(ilp_fdproc_fd(f, 1000000)), "/dev/null");
	assert_int_equal(ilp_fdproc_fd_cloexec(f, 2147483647), 1);
	assert_int_equal(obj_stats(s, 100, ILP_OBJ_FILE, "/dev/null")->writes, 2);
	heap0 = mallinfo2().uordblks;
	for (i = 0; i < 64; i++) {
		s->pid = s->tid = 100;
		fork_to(s, 1000 + i);
		s->pid = s->tid = 1000 + i;
		call(s, "write", 1 * US, 1, 1000000);
	}
#ifndef __SANITIZE_ADDRESS__
	/* 64 processes with an fd table and one object each: measured 2.2 MiB
	 * (the model's own per-process records); a table dense up to fd
	 * 1000000 was 16 MiB each */
	assert_true(mallinfo2().uordblks - heap0 < 64 * 65536);
#else
	(void)heap0;
#endif
	assert_int_equal(obj_stats(s, 1063, ILP_OBJ_FILE, "/dev/null")->writes, 1);
	s->pid = s->tid = 1000;
	call(s, "close", 1 * US, 0, 1000000);
	assert_null(ilp_fdproc_fd(fds_of(s, 1000), 1000000));
	s->pid = s->tid = 1001;
	call6(s, "close_range", 1 * US, 0, 1024, ~0u, 0, 0);
	f = fds_of(s, 1001);
	assert_null(ilp_fdproc_fd(f, 1000000));
	assert_null(ilp_fdproc_fd(f, 2147483647));
	assert_non_null(ilp_fdproc_fd(f, 3));
	e.ts = s->ts;
	e.pid = e.tid = 1002;
	feed(s, e);
	f = fds_of(s, 1002);
	assert_non_null(ilp_fdproc_fd(f, 1000000));
	assert_null(ilp_fdproc_fd(f, 2147483647));	/* close-on-exec */
	st_free(s);
}

/*
 * Past ILP_FD_SPARSE_MAX fds above 1024, and past ILP_FDOBJ_MAX objects:
 * the calls count on the "more" object, exactly, out of the sorted view.
 */
static void test_caps(void **state)
{
	struct stream *s = st_new();
	const struct ilp_fdproc *f;
	const struct ilp_fdobj *more;
	uint64_t nobjs = 0, nfds = 0, ops = 0;
	int exact = 0;
	size_t i;
	char path[32], buf[64];

	(void)state;
	open_named(s, 3, "/x", 0);
	for (i = 0; i < ILP_FD_SPARSE_MAX + 10; i++)
		call6(s, "dup2", 1 * US, 2000 + (int64_t)i, 3, 2000 + i, 0, 0);
	call(s, "write", 1 * US, 1, 2000);
	call(s, "write", 1 * US, 1, 2000 + ILP_FD_SPARSE_MAX + 5);	/* not tracked */
	f = fds_of(s, 100);
	assert_non_null(ilp_fdproc_fd(f, 2000));
	assert_null(ilp_fdproc_fd(f, 2000 + ILP_FD_SPARSE_MAX + 5));
	more = ilp_fdproc_more(f, &nobjs, &exact, &nfds);
	assert_non_null(more);
	assert_int_equal(nfds, 10);
	assert_int_equal(nobjs, 0);
	assert_int_equal(ilp_fdobj_stats(more)->writes, 1);
	/* 5000 distinct paths opened twice each: 4096 kept in all ("/x" and 4095) */
	for (i = 0; i < 2 * 5000; i++) {
		snprintf(path, sizeof(path), "/p%zu", i % 5000);
		open_named(s, 4, path, 0);
		call(s, "close", 1 * US, 0, 4);
	}
	f = fds_of(s, 100);
	assert_int_equal(ilp_fdproc_nobjs(f), ILP_FDOBJ_MAX);
	more = ilp_fdproc_more(f, &nobjs, &exact, &nfds);
	assert_int_equal(nobjs, 5000 - (ILP_FDOBJ_MAX - 1));
	assert_true(exact);
	for (i = 0; i < ilp_fdproc_nobjs(f); i++)
		ops += ilp_fdobj_stats(ilp_fdproc_obj(f, i))->ops;
	/* every call on an fd counted once: kept objects + more */
	assert_int_equal(ops + ilp_fdobj_stats(more)->ops, 1 + ILP_FD_SPARSE_MAX + 10 + 2 + 4 * 5000);
	assert_int_equal(ilp_fdobj_stats(more)->opens, 2 * (5000 - (ILP_FDOBJ_MAX - 1)));
	assert_int_equal(ilp_fdobj_type(more), ILP_OBJ_MORE);
	ilp_fdobj_format(more, buf, sizeof(buf));
	assert_string_equal(buf, "more objects (past the first 4096 of the process)");
	st_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_named_io_close),
		cmocka_unit_test(test_unresolved),
		cmocka_unit_test(test_dup_family),
		cmocka_unit_test(test_fork_and_threads),
		cmocka_unit_test(test_cloexec_at_exec),
		cmocka_unit_test(test_path_calls),
		cmocka_unit_test(test_connect_rebind),
		cmocka_unit_test(test_round_trips_and_roles),
		cmocka_unit_test(test_positioned),
		cmocka_unit_test(test_close_range_and_pipe),
		cmocka_unit_test(test_sorted_view),
		cmocka_unit_test(test_ebadf),
		cmocka_unit_test(test_high_fds),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_name_lost),
		cmocka_unit_test(test_name_source_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
