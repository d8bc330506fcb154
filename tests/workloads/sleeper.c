/*
 * sleeper SECONDS [threads] - a steady, slow target for attach tests.
 *
 * Writes "<pid>\n" to stdout once (one write(2)), then loops until SECONDS
 * (may be fractional) have elapsed: nanosleep(2) of 10 ms, then one write(2)
 * of 1 byte to /dev/null.  So over D seconds a tracer sees just under
 * D*100 nanosleep and write calls per looping thread.
 *
 * With "threads", two extra pthreads run the same loop (3 threads in all);
 * they are started before the pid is printed, so whoever reads the pid sees
 * all three threads in /proc/PID/task.
 *
 * nanosleep is called through syscall(2): glibc's nanosleep() is
 * clock_nanosleep underneath.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int devnull = -1;
static double seconds;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *loop(void *arg)
{
	double end = *(const double *)arg;
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	while (now_s() < end) {
		syscall(SYS_nanosleep, &tick, NULL);
		if (write(devnull, "x", 1) != 1)
			return (void *)1;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tids[2];
	int nthreads = 0, i, err, status = 0;
	char buf[32];
	double end;
	char *endp;
	int len;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "threads") != 0))
		goto usage;
	errno = 0;
	seconds = strtod(argv[1], &endp);
	if (errno || endp == argv[1] || *endp || !(seconds >= 0) || seconds > 1e6)
		goto usage;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0) {
		fprintf(stderr, "sleeper: /dev/null: %s\n", strerror(errno));
		return 1;
	}
	end = now_s() + seconds;
	if (argc == 3) {
		for (i = 0; i < 2; i++) {
			err = pthread_create(&tids[i], NULL, loop, &end);
			if (err) {
				fprintf(stderr, "sleeper: pthread_create: %s\n", strerror(err));
				return 1;
			}
			nthreads++;
		}
	}
	len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(1, buf, (size_t)len) != len)
		return 1;
	if (loop(&end))
		status = 1;
	for (i = 0; i < nthreads; i++) {
		void *ret;

		pthread_join(tids[i], &ret);
		if (ret)
			status = 1;
	}
	return status;
usage:
	fprintf(stderr, "usage: sleeper SECONDS [threads]\n");
	return 2;
}
