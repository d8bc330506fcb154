/*
 * stalls GOFILE QUIET_MS STALL_MS N - quiet, then N times: one stall, then
 * quiet again; for watch's triggers.
 *
 * Waits (20 ms naps) until GOFILE exists, so the watcher attaches first.
 * Quiet: naps of 20 ms until QUIET_MS passed: no call as long as a stall.
 * A stall: one read(2) of a pipe that a thread fills after spinning
 * STALL_MS (clock_gettime is the vDSO: the thread makes no long call of its
 * own), so the one call of STALL_MS is that read.  Prints "stall N" on
 * stdout after each.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wl_common.h"

#define NAP_MS 20

static void nap(void)
{
	struct timespec ts = { 0, NAP_MS * 1000000L };

	nanosleep(&ts, NULL);
}

static void quiet(long ms)
{
	long long end = now_ns() + ms * 1000000LL;

	while (now_ns() < end)
		nap();
}

struct writer {
	int fd;
	long ms;
};

static void *fill(void *arg)
{
	struct writer *w = arg;
	long long end = now_ns() + w->ms * 1000000LL;

	while (now_ns() < end)
		;
	if (write(w->fd, "x", 1) != 1)
		return (void *)1;
	return NULL;
}

int main(int argc, char **argv)
{
	long quiet_ms, stall_ms, n, i;
	struct writer w;
	pthread_t th;
	int fds[2];
	char c;

	if (argc != 5 || parse_count(argv[2], &quiet_ms) || parse_count(argv[3], &stall_ms) ||
	    parse_count(argv[4], &n)) {
		fprintf(stderr, "usage: stalls GOFILE QUIET_MS STALL_MS N\n");
		return 2;
	}
	while (access(argv[1], F_OK))
		nap();
	for (i = 1; i <= n; i++) {
		quiet(quiet_ms);
		if (pipe(fds))
			return 1;
		w.fd = fds[1];
		w.ms = stall_ms;
		if (pthread_create(&th, NULL, fill, &w))
			return 1;
		if (read(fds[0], &c, 1) != 1) {
			fprintf(stderr, "stalls: read: %s\n", strerror(errno));
			return 1;
		}
		pthread_join(th, NULL);
		close(fds[0]);
		close(fds[1]);
		printf("stall %ld\n", i);
		fflush(stdout);
	}
	quiet(quiet_ms);
	return 0;
}
