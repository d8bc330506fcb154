/*
 * sigcount N [SECONDS] - prints "<pid>\n" (one write(2)), then waits until
 * it has received N SIGUSR1 signals (handler counts them), sleeping in
 * nanosleep(2) of 10 ms between checks; prints "got N\n" and exits 0.
 * If SECONDS (default 20) pass first: prints "got K\n" and exits 1.  A
 * tracer that swallows signals makes it exit 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got++;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct sigaction sa;
	double end, secs = 20;
	char buf[32], *e;
	long n;
	int len;

	if (argc < 2 || argc > 3)
		goto usage;
	errno = 0;
	n = strtol(argv[1], &e, 10);
	if (errno || *e || n < 1)
		goto usage;
	if (argc == 3) {
		secs = strtod(argv[2], &e);
		if (*e || !(secs > 0))
			goto usage;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		return 1;
	len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(1, buf, (size_t)len) != len)
		return 1;
	end = now_s() + secs;
	while (got < n && now_s() < end)
		syscall(SYS_nanosleep, &tick, NULL);
	len = snprintf(buf, sizeof(buf), "got %ld\n", (long)got);
	if (write(1, buf, (size_t)len) != len)
		return 1;
	return got >= n ? 0 : 1;
usage:
	fprintf(stderr, "usage: sigcount N [SECONDS]\n");
	return 2;
}
