// SPDX-License-Identifier: MIT
/*
 * bench_server_model N - the model's cost per event on a server's stream
 * (make bench): one thread serving 20 clients, N requests of epoll_wait,
 * read(client) and write(client), the clients in a shuffled order (as
 * redis serves them): a stream with no loop to find, where the loop
 * detector scans at every step.  Prints ns per event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "model.h"
#include "syscalls.h"

#define CLIENTS 20

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int call(struct ilp_model *m, uint64_t *ts, int nr, int fd, int64_t ret)
{
	struct ilp_event e = { .ts = *ts, .pid = 100, .tid = 100, .kind = ILP_EV_SYS_ENTER,
			       .nr = nr };
	int err;

	e.args[0] = (uint64_t)fd;
	err = ilp_model_feed(m, &e);
	e.kind = ILP_EV_SYS_EXIT;
	e.ts = *ts += 2000;
	e.ret = ret;
	*ts += 500;
	return err ? err : ilp_model_feed(m, &e);
}

int main(int argc, char **argv)
{
	struct ilp_model *m = ilp_model_new();
	int ep = ilp_syscall_nr("epoll_wait"), rd = ilp_syscall_nr("read");
	int wr = ilp_syscall_nr("write"), err = 0;
	long n = argc == 2 ? atol(argv[1]) : 0, i;
	unsigned seed = 1;
	uint64_t ts = 1000000;
	double t0;

	if (!m || n <= 0) {
		fprintf(stderr, "usage: bench_server_model N\n");
		return 2;
	}
	t0 = now_s();
	for (i = 0; i < n && !err; i++) {
		int fd = 10 + (int)(rand_r(&seed) % CLIENTS);

		if (i % 4 == 0)
			err = call(m, &ts, ep, 5, 1);
		if (!err)
			err = call(m, &ts, rd, fd, 30);
		if (!err)
			err = call(m, &ts, wr, fd, 5);
	}
	printf("server model: %ld requests, %.0f ns per event\n", n,
	       (now_s() - t0) * 1e9 / ((double)n * 2 * 2.25));
	ilp_model_free(m);
	return err ? 1 : 0;
}
