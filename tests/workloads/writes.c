/*
 * writes N [PATH] - exactly N write(2) calls of 1 byte to PATH (default
 * /dev/null, opened once), then exit 0.  Nothing else is written, so a
 * tracer must report exactly N writes for this process.
 *
 * With WL_TIME=1 in the environment, the loop's elapsed time is reported on
 * stderr as "loop_ns: <ns>" with one writev(2) (not write(2), so the write
 * count stays exactly N).  clock_gettime goes through the vDSO.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wl_common.h"

int main(int argc, char **argv)
{
	const char *path = "/dev/null";
	long n, i;
	long long t0, t1;
	int fd;

	if (argc < 2 || argc > 3 || parse_count(argv[1], &n)) {
		fprintf(stderr, "usage: writes N [PATH]\n");
		return 2;
	}
	if (argc == 3)
		path = argv[2];
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "writes: %s: %s\n", path, strerror(errno));
		return 1;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (write(fd, "x", 1) != 1) {
			fprintf(stderr, "writes: write: %s\n", strerror(errno));
			return 1;
		}
	}
	t1 = now_ns();
	if (wl_time_report(t0, t1))
		return 1;
	return 0;
}
