/*
 * io_fsync N PATH - N records: write(2) of 64 bytes then fsync(2), to
 * PATH (created/truncated); then holds 300 ms and exits 0.  Prints
 * nothing (with WL_TIME=1, the loop's time on stderr, wl_common.h).  Expected finding: [fsync storm] N syncs on file PATH.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io_common.h"

int main(int argc, char **argv)
{
	char rec[64];
	long long t0;
	long n, i;
	int fd;

	if (argc != 3 || parse_count(argv[1], &n)) {
		fprintf(stderr, "usage: io_fsync N PATH\n");
		return 2;
	}
	memset(rec, 'r', sizeof(rec));
	rec[sizeof(rec) - 1] = '\n';
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return 1;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (write(fd, rec, sizeof(rec)) != (ssize_t)sizeof(rec))
			return 1;
		if (fsync(fd))
			return 1;
	}
	if (wl_time_report(t0, now_ns()))
		return 1;
	close(fd);
	hold();
	return 0;
}
