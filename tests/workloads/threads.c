/*
 * threads T N - T pthreads each do exactly N write(2) calls of 1 byte to
 * /dev/null (opened once by main); the main thread writes nothing, joins
 * them all and exits 0.  A tracer must see T*N writes and T+1 threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wl_common.h"

static int devnull = -1;

static void *worker(void *arg)
{
	long n = *(const long *)arg, i;

	for (i = 0; i < n; i++)
		if (write(devnull, "x", 1) != 1)
			return (void *)1;
	return NULL;
}

int main(int argc, char **argv)
{
	long t, n, i;
	pthread_t *tids;
	int err, status = 0;

	if (argc != 3 || parse_count(argv[1], &t) || parse_count(argv[2], &n) ||
	    t < 1 || t > 1024) {
		fprintf(stderr, "usage: threads T N   (1 <= T <= 1024)\n");
		return 2;
	}
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0) {
		fprintf(stderr, "threads: /dev/null: %s\n", strerror(errno));
		return 1;
	}
	tids = calloc((size_t)t, sizeof(*tids));
	if (!tids)
		return 1;
	for (i = 0; i < t; i++) {
		err = pthread_create(&tids[i], NULL, worker, &n);
		if (err) {
			fprintf(stderr, "threads: pthread_create: %s\n", strerror(err));
			return 1;
		}
	}
	for (i = 0; i < t; i++) {
		void *ret;

		pthread_join(tids[i], &ret);
		if (ret)
			status = 1;
	}
	free(tids);
	return status;
}
