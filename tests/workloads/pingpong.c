/*
 * pingpong N - N round trips of one byte between a parent and its child
 * over two pipes: each side sleeps in read(2) until the other writes,
 * twice per round trip in all (a sleep-heavy load for make bench:
 * --sleep-stacks costs per sleep).  WL_TIME=1 prints the loop's time.
 * Exits 0.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wl_common.h"

int main(int argc, char **argv)
{
	int ping[2], pong[2], st;
	long n, i;
	long long t0;
	pid_t pid;
	char c = 'x';

	if (argc != 2 || parse_count(argv[1], &n)) {
		fprintf(stderr, "usage: pingpong N\n");
		return 2;
	}
	if (pipe(ping) || pipe(pong))
		return 1;
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		for (i = 0; i < n; i++)
			if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	for (i = 0; i < n; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 1;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	return wl_time_report(t0, now_ns()) ? 1 : 0;
}
