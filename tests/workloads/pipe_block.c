/*
 * pipe_block MS - a reader blocked on a pipe for MS milliseconds: the
 * parent forks a writer child that sleeps MS ms then writes one byte; the
 * parent's one read(2) of the pipe's read end (fd 3) waits all that time,
 * off-CPU in S state.  Prints "fd N" (the read end) on stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	char *end, c;
	long ms;
	int fds[2], st;
	pid_t pid;

	if (argc != 2 || (ms = strtol(argv[1], &end, 10)) < 0 || *end) {
		fprintf(stderr, "usage: pipe_block MS\n");
		return 2;
	}
	if (pipe(fds)) {
		perror("pipe");
		return 1;
	}
	printf("fd %d\n", fds[0]);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(fds[0]);
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1) {
		fprintf(stderr, "pipe_block: read: %s\n", strerror(errno));
		return 1;
	}
	waitpid(pid, &st, 0);
	return 0;
}
