/*
 * stacks N - a known call site for --stacks: fetch_user() makes exactly N
 * write(2) calls of 1 byte to /dev/null in a loop (the line marked
 * "CALL SITE"), save_user() makes exactly N/2 more; then exit 0.  Built
 * with -g, so a tracer that unwinds must name fetch_user and that line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wl_common.h"

__attribute__((noinline)) static int fetch_user(int fd, long n)
{
	long i;

	for (i = 0; i < n; i++)
		if (write(fd, "u", 1) != 1) /* CALL SITE fetch_user */
			return -1;
	return 0;
}

__attribute__((noinline)) static int save_user(int fd, long n)
{
	long i;

	for (i = 0; i < n; i++)
		if (write(fd, "s", 1) != 1) /* CALL SITE save_user */
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	long n;
	int fd;

	if (argc != 2 || parse_count(argv[1], &n)) {
		fprintf(stderr, "usage: stacks N\n");
		return 2;
	}
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "stacks: /dev/null: %s\n", strerror(errno));
		return 1;
	}
	if (fetch_user(fd, n) || save_user(fd, n / 2))
		return 1;
	return 0;
}
