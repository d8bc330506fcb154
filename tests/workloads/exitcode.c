/*
 * exitcode N    - exit with status N (0..255).
 * exitcode -SIG - kill itself with signal SIG (default action restored and
 *                 the signal unblocked first, so the death is by SIG).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long v;

	if (argc != 2)
		goto usage;
	errno = 0;
	v = strtol(argv[1], &end, 10);
	if (errno || end == argv[1] || *end)
		goto usage;
	if (v >= 0 && v <= 255)
		return (int)v;
	if (v < 0 && -v < NSIG) {
		int sig = (int)-v;
		sigset_t set;

		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		kill(getpid(), sig);
		fprintf(stderr, "exitcode: signal %d did not kill me\n", sig);
		return 1;
	}
usage:
	fprintf(stderr, "usage: exitcode N | exitcode -SIG\n");
	return 2;
}
