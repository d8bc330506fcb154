/*
 * forkexec K N PATH_TO_writes - fork K children, each execs "writes N";
 * the parent waits for all of them and writes nothing.  Exits 0, or with
 * the first failing child's status (128+signal if it was killed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wl_common.h"

int main(int argc, char **argv)
{
	long k, n, i, started = 0;
	int status = 0;

	if (argc != 4 || parse_count(argv[1], &k) || parse_count(argv[2], &n) ||
	    k > 1024) {
		fprintf(stderr, "usage: forkexec K N PATH_TO_writes   (K <= 1024)\n");
		return 2;
	}
	for (i = 0; i < k; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "forkexec: fork: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (pid == 0) {
			char *args[] = { "writes", argv[2], NULL };

			execv(argv[3], args);
			fprintf(stderr, "forkexec: %s: %s\n", argv[3], strerror(errno));
			_exit(127);
		}
		started++;
	}
	while (started > 0) {
		int ws;
		pid_t pid = wait(&ws);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		started--;
		if (status == 0) {
			if (WIFEXITED(ws))
				status = WEXITSTATUS(ws);
			else if (WIFSIGNALED(ws))
				status = 128 + WTERMSIG(ws);
		}
	}
	return status;
}
