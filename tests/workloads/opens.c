/*
 * opens N DIR - an open storm: N times open(DIR/f<i % 64>, O_RDONLY) and
 * close, nothing else in the loop: exactly N openat(2) and N close(2)
 * calls on 64 files (created first with creat(2) where the architecture has
 * it, so that the loader's two openat(2) are the only others).  With
 * WL_TIME=1 the loop's time goes to stderr as "loop_ns: <ns>" (one
 * writev(2)).  Exit 0, or 1 on a failed call.  For make bench: what
 * reading every path at the call (--names=exact, ptrace, strace) costs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wl_common.h"

#define NFILES 64

int main(int argc, char **argv)
{
	char path[NFILES][4096];
	long long t0;
	long n, i;
	int fd;

	if (argc != 3 || parse_count(argv[1], &n)) {
		fprintf(stderr, "usage: opens N DIR\n");
		return 2;
	}
	for (i = 0; i < NFILES; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/f%ld", argv[2], i);
#ifdef SYS_creat
		fd = (int)syscall(SYS_creat, path[i], 0644);
#else
		fd = open(path[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
#endif
		if (fd < 0 || close(fd))
			return 1;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		fd = open(path[i % NFILES], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || close(fd))
			return 1;
	}
	return wl_time_report(t0, now_ns()) ? 1 : 0;
}
