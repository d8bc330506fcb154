// SPDX-License-Identifier: MIT
/*
 * bench_reader DIR NCPUS [REPEAT [MS]] - the live reader's CPU per event on a
 * saved capture (make bench, and by hand for A/B builds): the ftrace
 * source's whole path (page parsing, decoding, the per-CPU merge, the fd
 * resolver) and the model, over the pages scripts/capture-raw.sh saved
 * from a private instance while a program ran (a redis-server under
 * redis-benchmark, say).  Tracing is not involved: the same pages give
 * the same work run after run, where a live attach's CPU moves with the
 * machine's load.  Prints the events, the calls the model counted, and
 * the median CPU ns per event over REPEAT (default 5) passes.  Each merge comes
 * after MS (default 20) more ms of trace: what a live drain finds after
 * its gap under load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "event.h"
#include "model.h"
#include "source.h"

struct ctx {
	struct ilp_model *m;
	uint64_t events, calls;
};

/* the process's CPU time: a loaded machine delays the bench, this less */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int feed(const struct ilp_event *ev, void *arg)
{
	struct ctx *c = arg;

	c->events++;
	c->calls += ev->kind == ILP_EV_SYS_EXIT;
	return ilp_model_feed(c->m, ev);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int ncpus = argc >= 3 ? atoi(argv[2]) : 0, rep = argc >= 4 ? atoi(argv[3]) : 5, i;
	int ms = argc >= 5 ? atoi(argv[4]) : 20;
	double ns[64];
	struct ctx c = { 0 };
	struct ilp_source_counters cn = { 0 };

	if (argc < 3 || ncpus <= 0 || rep <= 0 || rep > 64 || ms <= 0) {
		fprintf(stderr, "usage: bench_reader DIR NCPUS [REPEAT [MS]]\n");
		return 2;
	}
	for (i = 0; i < rep; i++) {
		struct ilp_ftrace *f;
		double t0;
		int err = ilp_ftrace_open_dir(argv[1], ncpus, (unsigned)ms, &f);

		if (err) {
			fprintf(stderr, "bench_reader: %s: cannot open the capture (%d)\n", argv[1], err);
			return 1;
		}
		c = (struct ctx){ .m = ilp_model_new() };
		if (!c.m)
			return 1;
		t0 = now_s();
		err = ilp_ftrace_drain(f, 1, feed, &c);
		ns[i] = (now_s() - t0) * 1e9 / (double)(c.events ? c.events : 1);
		cn = *ilp_ftrace_counters(f);
		ilp_model_free(c.m);
		ilp_ftrace_close(f);
		if (err) {
			fprintf(stderr, "bench_reader: drain failed (%d)\n", err);
			return 1;
		}
	}
	qsort(ns, (size_t)rep, sizeof(*ns), cmp);
	printf("reader: %llu pages, %llu records (%llu unknown, %llu malformed, %llu missed), "
	       "%llu events, %llu calls, %.0f ns per event (median of %d; min %.0f)\n",
	       (unsigned long long)cn.pages, (unsigned long long)cn.records,
	       (unsigned long long)cn.unknown, (unsigned long long)cn.malformed,
	       (unsigned long long)cn.missed, (unsigned long long)c.events,
	       (unsigned long long)c.calls, ns[rep / 2], rep, ns[0]);
	return 0;
}
