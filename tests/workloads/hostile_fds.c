/*
 * hostile_fds FORKS - huge fd numbers, copied by forks.  The parent
 *   - reads from fd 1048575 and fd 2147483647, never opened (2 read(2)
 *     calls failing with EBADF),
 *   - raises RLIMIT_NOFILE to its hard limit (when that is above 1048576,
 *     to 1048576) and dup2(2)s /dev/null onto the highest fd it allows
 *     (HIGH), writes 1 byte there (1 write),
 *   - forks FORKS children; each writes 1 byte to HIGH, reads from fd
 *     1048575 (EBADF) and exits; the parent waits for each.
 * Per child: exactly 1 write and 1 read.  The parent: 1 write, 2 reads,
 * 1 dup2.  Prints "high N" on stdout at the end (one write(2) of its own
 * to fd 1, after the counted ones: the parent's writes are 2 in all).
 * Exit 0, 1 on error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wl_common.h"

int main(int argc, char **argv)
{
	struct rlimit rl;
	long forks, i;
	char c, line[32];
	int high, devnull, status, n;

	if (argc != 2 || parse_count(argv[1], &forks) || forks > 4096) {
		fprintf(stderr, "usage: hostile_fds FORKS   (FORKS <= 4096)\n");
		return 2;
	}
	if (read(1048575, &c, 1) != -1 || read(2147483647, &c, 1) != -1)
		return 1;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 1;
	if (rl.rlim_max > 1048576)
		rl.rlim_max = 1048576;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 1;
	high = (int)rl.rlim_cur - 1;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0 || dup2(devnull, high) != high || write(high, "x", 1) != 1)
		return 1;
	for (i = 0; i < forks; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (!pid)
			_exit(write(high, "x", 1) == 1 && read(1048575, &c, 1) == -1 ? 0 : 1);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			return 1;
	}
	n = snprintf(line, sizeof(line), "high %d\n", high);
	return write(1, line, (size_t)n) == n ? 0 : 1;
}
