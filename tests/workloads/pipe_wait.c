/*
 * pipe_wait MS - a reader waiting on a child process: the parent makes a
 * pipe and forks a child that runs /bin/sh -c "sleep MS/1000; echo x" with
 * the pipe's write end as its stdout (sh forks sleep, which holds the
 * write end too, then writes with its echo builtin); the parent closes the
 * write end, prints "child PID" on stdout, and its one read(2) of the read
 * end waits MS milliseconds.  Exits 0 when it read the line.
 * Expected: a [slow call] on the pipe, waiting for pid PID (sh), which
 * holds the write end (and 1 more process: sleep).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wl_common.h"

int main(int argc, char **argv)
{
	char cmd[64], buf[8];
	int fds[2], st;
	long ms;
	pid_t pid;

	if (argc != 2 || parse_count(argv[1], &ms)) {
		fprintf(stderr, "usage: pipe_wait MS\n");
		return 2;
	}
	snprintf(cmd, sizeof(cmd), "sleep %ld.%03ld; echo x", ms / 1000, ms % 1000);
	if (pipe(fds))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		close(fds[0]);
		if (dup2(fds[1], 1) < 0)
			_exit(1);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	printf("child %d\n", (int)pid);
	fflush(stdout);
	if (read(fds[0], buf, sizeof(buf)) != 2)
		return 1;
	close(fds[0]);
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : 1;
}
