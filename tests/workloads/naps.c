/*
 * naps N USEC - exactly N nanosleep(2) calls of USEC microseconds each
 * (through syscall(2), so the syscall is nanosleep itself), then exit 0.
 * Two runs with different USEC make a "base" and a "slower" run of the
 * same program (same comm) for diff tests: each call blocks at least USEC.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "wl_common.h"

int main(int argc, char **argv)
{
	long n, us, i;
	struct timespec ts;

	if (argc != 3 || parse_count(argv[1], &n) || parse_count(argv[2], &us)) {
		fprintf(stderr, "usage: naps N USEC\n");
		return 2;
	}
	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (us % 1000000) * 1000;
	for (i = 0; i < n; i++) {
		if (syscall(SYS_nanosleep, &ts, NULL)) {
			perror("naps: nanosleep");
			return 1;
		}
	}
	return 0;
}
