/*
 * getpids N W - a workload whose syscalls are mostly not I/O: N getppid(2)
 * calls, with exactly W write(2) calls of 1 byte to /dev/null spread evenly
 * among them; exit 0.  With WL_TIME=1 the loop's elapsed time goes to
 * stderr as "loop_ns: <ns>" (one writev(2), not counted as a write).
 * getppid goes through syscall(2): never cached by libc.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wl_common.h"

int main(int argc, char **argv)
{
	long n, w, i, every, done = 0;
	long long t0, t1;
	int fd;

	if (argc != 3 || parse_count(argv[1], &n) || parse_count(argv[2], &w) || w > n) {
		fprintf(stderr, "usage: getpids N W   (W <= N)\n");
		return 2;
	}
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	every = w ? n / w : 0;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		syscall(SYS_getppid);
		if (every && done < w && i % every == 0) {
			if (write(fd, "x", 1) != 1)
				return 1;
			done++;
		}
	}
	t1 = now_ns();
	if (wl_time_report(t0, t1))
		return 1;
	return 0;
}
