/*
 * io_reopen N PATH - N times: open(PATH, O_RDONLY), one read(2) of up to
 * 4 KiB, close; then holds 300 ms and exits 0.  PATH must exist (the
 * test creates it, so the workload's own opens of PATH are exactly N).
 * Prints nothing.  Expected finding: [repeat] file PATH opened N times.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "io_common.h"

int main(int argc, char **argv)
{
	char buf[4096];
	long n, i;
	int fd;

	if (argc != 3 || parse_count(argv[1], &n)) {
		fprintf(stderr, "usage: io_reopen N PATH\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 1;
		if (read(fd, buf, sizeof(buf)) < 0)
			return 1;
		close(fd);
	}
	hold();
	return 0;
}
