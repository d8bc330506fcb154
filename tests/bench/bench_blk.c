// SPDX-License-Identifier: MIT
/*
 * bench_blk N - the block model with N distinct submitters (make bench):
 * N traced processes each queue, issue and complete one request on one
 * device, inside a write call; prints the time the model took.  The
 * submitter lookup per completion was a linear scan of the device's
 * submitters (quadratic in N); it is a hash now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "model.h"
#include "syscalls.h"
#include "waitmodel.h"

#define DEV ((254u << 20) | 0)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int feed(struct ilp_model *m, struct ilp_event e)
{
	return ilp_model_feed(m, &e);
}

int main(int argc, char **argv)
{
	struct ilp_model *m = ilp_model_new();
	int wr = ilp_syscall_nr("write"), err = 0;
	long n = argc == 2 ? atol(argv[1]) : 0, i;
	uint64_t ts = 1000000;
	double t0;

	if (!m || n < 1 || wr < 0) {
		fprintf(stderr, "usage: bench_blk N   (N >= 1)\n");
		return 2;
	}
	t0 = now_s();
	for (i = 0; i < n && !err; i++) {
		int pid = 1000 + (int)i;
		struct ilp_event e = { .ts = ts, .pid = pid, .tid = pid, .kind = ILP_EV_TASK_INFO };
		static const int kinds[] = { ILP_EV_BLOCK_QUEUE, ILP_EV_BLOCK_ISSUE,
					     ILP_EV_BLOCK_COMPLETE };

		snprintf(e.task.comm, sizeof(e.task.comm), "w%d", pid % 1000000);
		err |= feed(m, e);
		memset(&e, 0, sizeof(e));
		e = (struct ilp_event){ .ts = ts + 1, .pid = pid, .tid = pid,
					.kind = ILP_EV_SYS_ENTER, .nr = wr };
		err |= feed(m, e);
		for (size_t k = 0; k < 3; k++) {
			struct ilp_event b = { .ts = ts + 2 + k, .tid = k ? 0 : pid,
					       .kind = (uint16_t)kinds[k] };

			b.block.dev = DEV;
			b.block.sector = (uint64_t)i * 8;
			b.block.bytes = 4096;
			memcpy(b.block.rwbs, "W", 2);
			err |= feed(m, b);
		}
		e = (struct ilp_event){ .ts = ts + 10, .pid = pid, .tid = pid,
					.kind = ILP_EV_SYS_EXIT, .nr = wr, .ret = 4096 };
		err |= feed(m, e);
		ts += 100;
	}
	err |= ilp_model_index(m, ts);
	printf("bench_blk: %ld submitters on one device: %.3f s (model feed + index)%s\n", n,
	       now_s() - t0, err ? " (ENOMEM)" : "");
	if (ilp_model_nblkdevs(m) != 1 ||
	    ilp_blkdev_nsubmitters(ilp_model_blkdev(m, 0)) != (size_t)n) {
		fprintf(stderr, "bench_blk: %zu submitters, want %ld\n",
			ilp_model_nblkdevs(m) ? ilp_blkdev_nsubmitters(ilp_model_blkdev(m, 0)) : 0, n);
		err = 1;
	}
	ilp_model_free(m);
	return err ? 1 : 0;
}
