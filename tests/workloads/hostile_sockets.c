/*
 * hostile_sockets N - N TCP connections over loopback, their client ends
 * kept open: a listener on 127.0.0.1 (ephemeral port); N times: socket +
 * connect a client, accept it, the client writes 1 byte, the server end
 * reads it and is closed.  Then every client is closed.  Exactly N
 * connect(2), N accept(2), N write(2), N read(2) and 2N + 1 close(2)
 * calls; N + 1 sockets open at the peak and 2N in the host's TCP table
 * (RLIMIT_NOFILE is raised to fit; exit 1 if the hard limit is lower).
 * Holds 300 ms before closing.  Prints nothing; exit 0, 1 on error.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io_common.h"

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t slen = sizeof(sa);
	struct rlimit rl;
	long n, i;
	int lfd, *fds;
	char c;

	if (argc != 2 || parse_count(argv[1], &n) || n > 100000) {
		fprintf(stderr, "usage: hostile_sockets N   (N <= 100000)\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 1;
	if (rl.rlim_cur < (rlim_t)(n + 64)) {
		rl.rlim_cur = (rlim_t)(n + 64);
		if (rl.rlim_max < rl.rlim_cur || setrlimit(RLIMIT_NOFILE, &rl)) {
			fprintf(stderr, "hostile_sockets: RLIMIT_NOFILE below %ld\n", n + 64);
			return 1;
		}
	}
	fds = calloc((size_t)n, sizeof(*fds));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (!fds || lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(lfd, 128) || getsockname(lfd, (struct sockaddr *)&sa, &slen))
		return 1;
	for (i = 0; i < n; i++) {
		int cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), afd;

		if (cfd < 0 || connect(cfd, (struct sockaddr *)&sa, sizeof(sa)))
			return 1;
		afd = accept(lfd, NULL, NULL);
		if (afd < 0 || write(cfd, "x", 1) != 1 || read(afd, &c, 1) != 1 || close(afd))
			return 1;
		fds[i] = cfd;
	}
	hold();
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(lfd);
	free(fds);
	return 0;
}
