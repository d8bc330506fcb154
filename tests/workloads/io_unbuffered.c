/*
 * io_unbuffered N PATH - exactly N write(2) calls of 1 byte to PATH
 * (created/truncated), then holds 300 ms and exits 0.  Prints nothing.
 * Expected finding: [unbuffered] N writes of 1 B on file PATH.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "io_common.h"

int main(int argc, char **argv)
{
	long n, i;
	int fd;

	if (argc != 3 || parse_count(argv[1], &n)) {
		fprintf(stderr, "usage: io_unbuffered N PATH\n");
		return 2;
	}
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return 1;
	for (i = 0; i < n; i++)
		if (write(fd, "x", 1) != 1)
			return 1;
	close(fd);
	hold();
	return 0;
}
