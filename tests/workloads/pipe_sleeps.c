/*
 * pipe_sleeps N - the parent's N read(2)s of a pipe each go to sleep
 * exactly once: its child writes the next byte only once the parent is
 * asleep inside read(2) on the pipe (/proc/PPID/stat state S and
 * /proc/PPID/syscall showing read of that fd), so every read finds the
 * pipe empty, sleeps, and is woken by one write.  Prints "fd FD" (the
 * read end) on stdout; exits 0 when all N bytes were read.
 * Expected with --sleep-stacks: N sleeps of read in the kernel's pipe read
 * function (anon_pipe_read, pipe_read before Linux 6.15).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wl_common.h"

/* the first bytes of a /proc file, NUL-terminated: 0, or -1 */
static int slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* is pid asleep (S) inside read(fd, ...)? */
static int asleep_in_read(pid_t pid, int fd)
{
	char path[64], buf[512], want[64], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (slurp(path, buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');	/* the state follows the comm */
	if (!p || p[1] != ' ' || p[2] != 'S')
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if (slurp(path, buf, sizeof(buf)))
		return 0;
	snprintf(want, sizeof(want), "%d 0x%x ", SYS_read, fd);
	return !strncmp(buf, want, strlen(want));
}

int main(int argc, char **argv)
{
	struct timespec nap = { 0, 200000 };
	int fds[2], st;
	long n, i;
	pid_t parent = getpid(), pid;
	char c = 'x';

	if (argc != 2 || parse_count(argv[1], &n)) {
		fprintf(stderr, "usage: pipe_sleeps N\n");
		return 2;
	}
	if (pipe(fds))
		return 1;
	printf("fd %d\n", fds[0]);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(fds[0]);
		for (i = 0; i < n; i++) {
			while (!asleep_in_read(parent, fds[0]))
				nanosleep(&nap, NULL);
			if (write(fds[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	for (i = 0; i < n; i++)
		if (read(fds[0], &c, 1) != 1)
			return 1;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	return 0;
}
