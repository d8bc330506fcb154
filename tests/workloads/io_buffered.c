/*
 * io_buffered N PATH - exactly N write(2) calls of 64 KiB to PATH, then
 * holds 300 ms and exits 0.  Prints nothing.  Expected: no finding.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io_common.h"

static char buf[65536];

int main(int argc, char **argv)
{
	long n, i;
	int fd;

	if (argc != 3 || parse_count(argv[1], &n)) {
		fprintf(stderr, "usage: io_buffered N PATH\n");
		return 2;
	}
	memset(buf, 'x', sizeof(buf));
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return 1;
	for (i = 0; i < n; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return 1;
	close(fd);
	hold();
	return 0;
}
