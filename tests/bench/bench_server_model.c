// SPDX-License-Identifier: MIT
/*
 * bench_server_model N [unnamed|named] - the model's cost per event on a server's stream
 * (make bench): one thread serving 20 clients, N requests of epoll_wait,
 * read(client) and write(client), the clients in a shuffled order (as
 * redis serves them): a stream with no loop to find, where the loop
 * detector scans at every step.  Two runs, each printing ns per event:
 * the fds unnamed (unresolved: every step an alternate of the others),
 * then as attach sees redis: the sockets named when the session starts
 * (/proc), and every other epoll_wait sleeping (the thread switched out,
 * woken by the client's write, switched in).  A second argument runs only
 * that one (to profile it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "model.h"
#include "syscalls.h"
#include "vocab.h"

#define CLIENTS 20
#define TID 100

struct run {
	struct ilp_model *m;
	uint64_t ts;
	uint64_t events;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int feed(struct run *r, struct ilp_event *e)
{
	r->events++;
	return ilp_model_feed(r->m, e);
}

/* a call of 2 us; sleep: the thread is switched out during it and woken */
static int call(struct run *r, int nr, int fd, int64_t ret, int sleep)
{
	struct ilp_event e = { .ts = r->ts, .pid = TID, .tid = TID, .kind = ILP_EV_SYS_ENTER,
			       .nr = nr };
	int err;

	e.args[0] = (uint64_t)fd;
	err = feed(r, &e);
	if (sleep && !err) {
		e = (struct ilp_event){ .ts = r->ts + 200, .pid = TID, .tid = TID,
					.kind = ILP_EV_SCHED_SWITCH, .nr = -1 };
		e.sched.prev_state = 1;	/* TASK_INTERRUPTIBLE */
		e.sched.next = 0;
		err = feed(r, &e);
		e = (struct ilp_event){ .ts = r->ts + 1500, .pid = 200, .tid = 200,
					.kind = ILP_EV_WAKEUP, .nr = -1 };
		e.sched.target = TID;
		err = err ? err : feed(r, &e);
		e = (struct ilp_event){ .ts = r->ts + 1800, .pid = 0, .tid = 0,
					.kind = ILP_EV_SCHED_SWITCH, .nr = -1 };
		e.sched.next = TID;
		err = err ? err : feed(r, &e);
	}
	e = (struct ilp_event){ .ts = r->ts += 2000, .pid = TID, .tid = TID,
				.kind = ILP_EV_SYS_EXIT, .nr = nr };
	e.ret = ret;
	r->ts += 500;
	return err ? err : feed(r, &e);
}

/* ns per event of n requests; named: the fds named first, sleeping epoll_waits */
static double server(long n, int named)
{
	struct run r = { .m = ilp_model_new(), .ts = 1000000 };
	int ep = ilp_syscall_nr("epoll_wait"), rd = ilp_syscall_nr("read");
	int wr = ilp_syscall_nr("write"), err = 0, fd;
	unsigned seed = 1;
	char desc[64];
	double t0;
	long i;

	if (!r.m)
		return -1;
	t0 = now_s();
	for (fd = 5; named && fd < 10 + CLIENTS && !err; fd++) {
		struct ilp_event e = { .ts = r.ts, .pid = TID, .tid = TID,
				       .kind = ILP_EV_FD_INFO, .nr = -1 };

		if (fd > 5 && fd < 10)
			continue;
		snprintf(desc, sizeof(desc), "127.0.0.1:6379 -> 127.0.0.1:%d", 40000 + fd);
		e.fd.fd = fd;
		e.fd.type = (fd == 5 ? ILP_OBJ_ANON : ILP_OBJ_TCP) |
			    (ILP_NAME_SRC_PROC << ILP_OBJ_SRC_SHIFT);
		e.fd.str = fd == 5 ? "[eventpoll]" : desc;
		err = feed(&r, &e);
	}
	for (i = 0; i < n && !err; i++) {
		fd = 10 + (int)(rand_r(&seed) % CLIENTS);
		if (i % 4 == 0)
			err = call(&r, ep, 5, 1, named && i % 8 == 0);
		if (!err)
			err = call(&r, rd, fd, 30, 0);
		if (!err)
			err = call(&r, wr, fd, 5, 0);
	}
	t0 = (now_s() - t0) * 1e9 / (double)r.events;
	ilp_model_free(r.m);
	return err ? -1 : t0;
}

int main(int argc, char **argv)
{
	long n = argc >= 2 && argc <= 3 ? atol(argv[1]) : 0;
	int only = argc == 3 ? !strcmp(argv[2], "named") ? 2 : !strcmp(argv[2], "unnamed") ? 1 : -1
			     : 0;
	double a = 0, b = 0;

	if (n <= 0 || only < 0) {
		fprintf(stderr, "usage: bench_server_model N [unnamed|named]\n");
		return 2;
	}
	if (only != 2 && (a = server(n, 0)) < 0)
		return 1;
	if (only != 1 && (b = server(n, 1)) < 0)
		return 1;
	if (only != 2)
		printf("server model: %ld requests, %.0f ns per event\n", n, a);
	if (only != 1)
		printf("server model, sockets named, sleeping epoll_waits: %ld requests, "
		       "%.0f ns per event\n", n, b);
	return 0;
}
