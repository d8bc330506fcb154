/*
 * hostile_paths DIR N - N distinct paths: for i < N, creates DIR/f<i>
 * (openat), writes 1 byte to it, closes it and unlinks it: exactly N
 * write(2), N close(2) of those fds and N unlink(2) calls, N objects for a
 * profiler that keeps one per path.  Then holds 300 ms (io_common.h).
 * Prints nothing; exit 0, 1 on error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "io_common.h"

int main(int argc, char **argv)
{
	char path[4096];
	long n, i;
	int fd;

	if (argc != 3 || parse_count(argv[2], &n)) {
		fprintf(stderr, "usage: hostile_paths DIR N\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", argv[1], i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, "x", 1) != 1 || close(fd) || unlink(path))
			return 1;
	}
	hold();
	return 0;
}
