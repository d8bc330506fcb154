// SPDX-License-Identifier: MIT
/*
 * The peer behind a wait: a slow read on a pipe or socket names who it
 * waits for, from the model (a child process holding the write end, a
 * thread of the same process, the other socket of a pair, the mirror of a
 * TCP connection) or from /proc through the namer (ilp_model_name_peers,
 * here with a stand-in); and source/peer.c's parsing and its real /proc
 * lookup of a pipe's write end held by a child.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze.h"
#include "fdtest.h"
#include "peer.h"
#include "waitmodel.h"

#define WALL (1000 * MS)

#include "analyze_fixture.h"

static void ev(struct fixture *x, struct ilp_event e)
{
	e.pid = e.pid ? e.pid : x->s.pid;
	assert_int_equal(ilp_model_feed(x->s.m, &e), 0);
}

/* tid (of the stream's process) blocked in read(fd) for ns */
static void slow_read(struct fixture *x, int tid, int fd, uint64_t ns)
{
	int t = x->s.tid;

	x->s.tid = tid;
	call(&x->s, "read", ns, 1, fd);
	x->s.tid = t;
}

static void named(struct fixture *x, int pid, const char *comm)
{
	struct ilp_event e = { .ts = x->s.ts, .pid = pid, .tid = pid, .kind = ILP_EV_EXEC };

	strcpy(e.task.comm, comm);
	ev(x, e);
}

static void fork_child(struct fixture *x, int child, const char *comm)
{
	struct ilp_event e = { .ts = x->s.ts, .tid = x->s.tid, .kind = ILP_EV_TASK_NEW };

	e.task.child = child;
	e.task.clone_flags = 17;	/* SIGCHLD: a process */
	strcpy(e.task.comm, "app");
	ev(x, e);
	named(x, child, comm);
}

static const struct ilp_finding *slow_finding(struct fixture *x)
{
	assert_int_equal(run(x, "slowcall"), 1);
	return only(x, "slowcall");
}

/* pipe(), fork: the child writes after a while, the parent's read waits */
static void test_pipe_child(void **state)
{
	struct fixture *x = *state;

	named(x, 100, "app");
	call6(&x->s, "pipe2", 1 * US, 0, 0x3000, 0, 0, 0);
	fdinfo(&x->s, 3, ILP_OBJ_PIPE, "pipe:[77]");	/* fds[0]: the read end */
	fdinfo(&x->s, 4, ILP_OBJ_PIPE, "pipe:[77]");	/* fds[1]: the write end */
	fork_child(x, 200, "writer");
	call(&x->s, "close", 1 * US, 0, 4);		/* the parent keeps the read end */
	x->s.pid = x->s.tid = 200;
	call(&x->s, "close", 1 * US, 0, 3);
	x->s.pid = x->s.tid = 100;
	slow_read(x, 100, 3, 200 * MS);
	x->s.pid = x->s.tid = 200;
	call(&x->s, "write", 5 * US, 1, 4);
	x->s.pid = x->s.tid = 100;
	assert_non_null(strstr(slow_finding(x)->evidence,
			       "; waiting for pid 200 (writer), which holds the write end"));
}

/* the writer that held the end but wrote nothing comes after the one that
 * wrote; the others are counted */
static void test_pipe_writers_first(void **state)
{
	struct fixture *x = *state;

	named(x, 100, "app");
	call6(&x->s, "pipe2", 1 * US, 0, 0x3000, 0, 0, 0);
	fdinfo(&x->s, 3, ILP_OBJ_PIPE, "pipe:[78]");
	fdinfo(&x->s, 4, ILP_OBJ_PIPE, "pipe:[78]");
	fork_child(x, 300, "sleep");	/* holds it, never writes */
	fork_child(x, 200, "sh");
	x->s.pid = x->s.tid = 200;
	call(&x->s, "write", 5 * US, 2, 4);
	x->s.pid = x->s.tid = 100;
	call(&x->s, "close", 1 * US, 0, 4);
	slow_read(x, 100, 3, 200 * MS);
	assert_non_null(strstr(slow_finding(x)->evidence,
			       "; waiting for pid 200 (sh), which holds the write end (and 1 more process)"));
}

/* a thread of the process writes the answer: it is the peer */
static void test_pipe_thread(void **state)
{
	struct fixture *x = *state;
	struct ilp_event t = { .ts = x->s.ts, .pid = 100, .tid = 101, .kind = ILP_EV_TASK_INFO };

	named(x, 100, "app");
	strcpy(t.task.comm, "warmup");
	ev(x, t);
	call6(&x->s, "pipe2", 1 * US, 0, 0x3000, 0, 0, 0);
	fdinfo(&x->s, 3, ILP_OBJ_PIPE, "pipe:[79]");
	fdinfo(&x->s, 4, ILP_OBJ_PIPE, "pipe:[79]");
	slow_read(x, 100, 3, 150 * MS);
	x->s.tid = 101;
	call(&x->s, "writev", 5 * US, 1, 4);
	x->s.tid = 100;
	assert_non_null(strstr(slow_finding(x)->evidence,
			       "; waiting for thread 101 (warmup) of this process, which holds the write end"));
}

/* socketpair() then fork: the child uses the other socket */
static void test_socketpair(void **state)
{
	struct fixture *x = *state;

	named(x, 100, "app");
	call6(&x->s, "socketpair", 1 * US, 0, 1, 1, 0, 0);
	fdinfo(&x->s, 3, ILP_OBJ_UNIX, "socket:[500]");
	fdinfo(&x->s, 4, ILP_OBJ_UNIX, "socket:[501]");
	fork_child(x, 200, "helper");
	x->s.pid = x->s.tid = 200;
	call(&x->s, "close", 1 * US, 0, 3);
	x->s.pid = x->s.tid = 100;
	call(&x->s, "close", 1 * US, 0, 4);
	slow_read(x, 100, 3, 200 * MS);
	x->s.pid = x->s.tid = 200;
	call(&x->s, "write", 5 * US, 8, 4);
	x->s.pid = x->s.tid = 100;
	assert_non_null(strstr(slow_finding(x)->evidence,
			       "; waiting for pid 200 (helper), at the other end of the socket pair"));
}

/* a TCP client and its server on this host, both traced */
static void test_tcp_mirror(void **state)
{
	struct fixture *x = *state;

	named(x, 100, "client");
	call6(&x->s, "socket", 2 * US, 3, 2, 1, 0, 0);
	call6(&x->s, "connect", 20 * US, 0, 3, 0, 16, 0);
	fdinfo(&x->s, 3, ILP_OBJ_TCP, "127.0.0.1:41000 -> 127.0.0.1:6379");
	call(&x->s, "write", 5 * US, 8, 3);
	x->s.pid = x->s.tid = 300;
	named(x, 300, "server");
	call(&x->s, "accept4", 2 * US, 5, 4);
	fdinfo(&x->s, 5, ILP_OBJ_TCP, "127.0.0.1:6379 -> 127.0.0.1:41000");
	call(&x->s, "read", 5 * US, 8, 5);
	x->s.pid = x->s.tid = 100;
	slow_read(x, 100, 3, 300 * MS);
	assert_non_null(strstr(slow_finding(x)->evidence,
			       "; waiting for pid 300 (server), at the other end of the connection"));
}

static int stand_in_calls;

/* a stand-in for ilp_peer_lookup: pid 4242 (pyenv) holds the write end */
static int stand_in(void *ctx, int pid, int fd, unsigned type, const char *desc,
		    struct ilp_peer *out)
{
	(void)ctx;
	assert_int_equal(pid, 100);
	assert_int_equal(fd, 3);
	assert_int_equal(type & ILP_OBJ_TYPE_MASK, ILP_OBJ_PIPE);
	assert_string_equal(desc, "pipe:[80]");
	stand_in_calls++;
	memset(out, 0, sizeof(*out));
	out->pid = 4242;
	strcpy(out->comm, "pyenv");
	out->ends = ILP_END_WRITE;
	return 0;
}

/* the writer is not traced: the namer is asked while the read blocks
 * (once: not for a read blocked shorter than half of --slow, not again) */
static void test_untraced_writer(void **state)
{
	struct fixture *x = *state;
	struct ilp_event e = { .pid = 100, .tid = 100, .kind = ILP_EV_SYS_ENTER };

	named(x, 100, "app");
	call6(&x->s, "pipe2", 1 * US, 0, 0x3000, 0, 0, 0);
	fdinfo(&x->s, 3, ILP_OBJ_PIPE, "pipe:[80]");
	fdinfo(&x->s, 4, ILP_OBJ_PIPE, "pipe:[80]");
	call(&x->s, "close", 1 * US, 0, 4);
	e.ts = x->s.ts;
	e.nr = NR("read");
	e.args[0] = 3;
	ev(x, e);
	stand_in_calls = 0;
	assert_int_equal(ilp_model_name_peers(x->s.m, e.ts + 49 * MS, stand_in, NULL), 0);
	assert_int_equal(stand_in_calls, 0);	/* 49 ms < 100 ms / 2 */
	assert_int_equal(ilp_model_name_peers(x->s.m, e.ts + 51 * MS, stand_in, NULL), 0);
	assert_int_equal(ilp_model_name_peers(x->s.m, e.ts + 52 * MS, stand_in, NULL), 0);
	assert_int_equal(stand_in_calls, 1);
	e.kind = ILP_EV_SYS_EXIT;
	e.ts += 151 * MS;
	e.ret = 1;
	ev(x, e);
	x->s.ts = e.ts + US;
	assert_non_null(strstr(slow_finding(x)->evidence,
			       "; waiting for pid 4242 (pyenv), which holds the write end (not traced)"));
}

static void test_parsing(void **state)
{
	char l[64], r[64];
	uint64_t ino;

	(void)state;
	assert_int_equal(ilp_peer_link_inode("pipe:[12345]", "pipe"), 12345);
	assert_int_equal(ilp_peer_link_inode("socket:[9]", "socket"), 9);
	assert_int_equal(ilp_peer_link_inode("socket:[9]", "pipe"), 0);
	assert_int_equal(ilp_peer_link_inode("pipe:[12", "pipe"), 0);
	assert_int_equal(ilp_peer_link_inode("/tmp/pipe:[1]", "pipe"), 0);
	assert_int_equal(ilp_peer_tcp_row("   3: 0100007F:A028 0100007F:18EB 01 00000000:00000000"
					  " 00:00000000 00000000  1000        0 424242 1 0000000000000000"
					  " 20 4 30 10 -1", l, r, sizeof(l), &ino), 0);
	assert_string_equal(l, "0100007F:A028");
	assert_string_equal(r, "0100007F:18EB");
	assert_int_equal(ino, 424242);
	assert_int_equal(ilp_peer_tcp_row("  sl  local_address rem_address   st tx_queue rx_queue tr"
					  " tm->when retrnsmt   uid  timeout inode", l, r, sizeof(l),
					  &ino), -EINVAL);
}

/* the real lookup: our pipe's write end, held by a child we fork */
static void test_lookup_proc(void **state)
{
	struct ilp_peer out;
	char desc[32], c;
	int fds[2], ready[2], st;
	struct stat sb;
	pid_t child;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(pipe(ready), 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		close(fds[0]);
		close(ready[0]);
		(void)!write(ready[1], "r", 1);	/* its read end is closed */
		pause();	/* holds the write end until killed */
		_exit(0);
	}
	close(fds[1]);
	close(ready[1]);
	assert_int_equal(fstat(fds[0], &sb), 0);
	snprintf(desc, sizeof(desc), "pipe:[%lu]", (unsigned long)sb.st_ino);
	assert_int_equal(read(ready[0], &c, 1), 1);	/* not a sleep: a loaded machine is slower */
	close(ready[0]);
	assert_int_equal(ilp_peer_lookup(NULL, getpid(), fds[0], ILP_OBJ_PIPE, desc, &out), 0);
	assert_int_equal(out.pid, child);
	assert_int_equal(out.ends, ILP_END_WRITE);
	assert_int_equal(out.others, 0);
	/* the model's name is not the fd's any more: reused, no guess */
	assert_int_equal(ilp_peer_lookup(NULL, getpid(), fds[0], ILP_OBJ_PIPE, "pipe:[1]", &out),
			 -ESTALE);
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	/* nobody holds it now */
	assert_int_equal(ilp_peer_lookup(NULL, getpid(), fds[0], ILP_OBJ_PIPE, desc, &out), -ENOENT);
	close(fds[0]);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pipe_child),
		T(test_pipe_writers_first),
		T(test_pipe_thread),
		T(test_socketpair),
		T(test_tcp_mirror),
		T(test_untraced_writer),
		cmocka_unit_test(test_parsing),
		cmocka_unit_test(test_lookup_proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
