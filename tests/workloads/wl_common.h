/*
 * Shared by the workloads: argument parsing and the WL_TIME loop timing.
 *
 * With WL_TIME=1 in the environment, wl_time_report() writes the loop's
 * elapsed time to stderr as "loop_ns: <ns>" with one writev(2) (not
 * write(2), so a workload's write count stays exact).  clock_gettime goes
 * through the vDSO: no syscall.
 */
#ifndef WL_COMMON_H
#define WL_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

/* a whole non-negative decimal number: 0, else -1 */
static inline int parse_count(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return (errno || end == s || *end || *out < 0) ? -1 : 0;
}

static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* "loop_ns: <t1 - t0>" on stderr when WL_TIME=1: 0, or -1 if it could not be written */
static inline int wl_time_report(long long t0, long long t1)
{
	const char *timing = getenv("WL_TIME");
	char buf[64];
	struct iovec iov = { buf, 0 };

	if (!timing || strcmp(timing, "1") != 0)
		return 0;
	iov.iov_len = (size_t)snprintf(buf, sizeof(buf), "loop_ns: %lld\n", t1 - t0);
	return writev(2, &iov, 1) < 0 ? -1 : 0;
}

#endif
