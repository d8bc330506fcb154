/*
 * io_nplus1 N PORT [wait|two] - a server thread listens on 127.0.0.1:PORT and
 * answers each 16-byte request with 64 bytes; the main thread connects and
 * does exactly N sequential exchanges (send 16 B, recv until 64 B arrived),
 * holds the connection 300 ms (the server has closed its end by then),
 * closes and exits 0.  Prints nothing.  Exit 3 if PORT
 * is in use.  Expected finding: [N+1] N round trips on
 * tcp 127.0.0.1:CLIENTPORT -> 127.0.0.1:PORT (the client's socket only:
 * the server side answers, it does not ask).
 *
 * wait: once connected (and accepted), it prints "ready" and waits for
 * SIGUSR1 (for attach: the connection is older than the capture); then the
 * server greets first (16 B, as SMTP or MySQL servers do) and the client
 * reads the greeting before its N exchanges.  So the first data call a
 * capture sees on each side is the wrong guess of its side: a write on
 * the server's (which answers, it does not ask), a read on the client's.
 *
 * two: the client has two connections and takes turns (an exchange on
 * the first, one on the second, N times); the server answers them in the
 * same turns, reading a request on one right after it answered on the
 * other.  Expected: one finding, [N+1] 2N round trips on 2 connections
 * to tcp 127.0.0.1:PORT (one cause), nothing on the server's side.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io_common.h"

#define REQ 16
#define RESP 64

static int full_recv(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		r = recv(fd, buf + got, len - got, 0);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

struct srv {
	int lfd;
	long n;
	int wait;
	int nconn;		/* 1, or 2 (two) */
	pthread_barrier_t go;	/* wait: accepted, then SIGUSR1 came */
};

/* answers exactly n requests on each connection, in turns, then closes:
 * it never waits on the client's hold, so no call of the server blocks
 * longer than one round trip */
static void *server(void *arg)
{
	struct srv *s = arg;
	int fd[2] = { -1, -1 }, one = 1, k, ok = 1;
	char req[REQ], resp[RESP];
	long i;

	memset(resp, 'a', sizeof(resp));
	for (k = 0; k < s->nconn; k++) {
		fd[k] = accept(s->lfd, NULL, NULL);
		if (fd[k] < 0)
			_exit(1);	/* wait: main would wait at the barrier forever */
		setsockopt(fd[k], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	if (s->wait) {
		pthread_barrier_wait(&s->go);	/* accepted */
		pthread_barrier_wait(&s->go);	/* SIGUSR1 */
		memset(req, 'g', sizeof(req));
		if (send(fd[0], req, sizeof(req), 0) != (ssize_t)sizeof(req))
			goto out;
	}
	for (i = 0; ok && i < s->n; i++)
		for (k = 0; ok && k < s->nconn; k++)
			ok = full_recv(fd[k], req, sizeof(req)) == 0 &&
			     send(fd[k], resp, sizeof(resp), 0) == (ssize_t)sizeof(resp);
out:
	for (k = 0; k < 2; k++)
		if (fd[k] >= 0)
			close(fd[k]);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	char req[REQ], resp[RESP];
	long n, i, port;
	int lfd, fd[2] = { -1, -1 }, one = 1, sig, k;
	struct srv srv;
	sigset_t usr1;
	pthread_t th;

	if (argc < 3 || argc > 4 || parse_count(argv[1], &n) || parse_count(argv[2], &port) ||
	    port < 1 || port > 65535 ||
	    (argc == 4 && strcmp(argv[3], "wait") && strcmp(argv[3], "two"))) {
		fprintf(stderr, "usage: io_nplus1 N PORT [wait|two]\n");
		return 2;
	}
	srv.wait = argc == 4 && !strcmp(argv[3], "wait");
	srv.nconn = argc == 4 && !strcmp(argv[3], "two") ? 2 : 1;
	if (srv.wait) {		/* SIGUSR1 waited for, never delivered (every thread) */
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		if (pthread_sigmask(SIG_BLOCK, &usr1, NULL) ||
		    pthread_barrier_init(&srv.go, NULL, 2))
			return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)))
		return 3;
	srv.lfd = lfd;
	srv.n = n;
	if (listen(lfd, 2) || pthread_create(&th, NULL, server, &srv))
		return 1;
	for (k = 0; k < srv.nconn; k++) {
		fd[k] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd[k] < 0 || connect(fd[k], (struct sockaddr *)&sa, sizeof(sa)))
			return 1;
		setsockopt(fd[k], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	if (srv.wait) {
		pthread_barrier_wait(&srv.go);	/* the server has accepted */
		printf("ready\n");
		fflush(stdout);
		if (sigwait(&usr1, &sig))
			return 1;
		pthread_barrier_wait(&srv.go);
		if (full_recv(fd[0], resp, REQ))	/* the greeting */
			return 1;
	}
	memset(req, 'q', sizeof(req));
	for (i = 0; i < n; i++)
		for (k = 0; k < srv.nconn; k++) {
			if (send(fd[k], req, sizeof(req), 0) != (ssize_t)sizeof(req))
				return 1;
			if (full_recv(fd[k], resp, sizeof(resp)))
				return 1;
		}
	hold();		/* a pooled connection stays open: named while it lives */
	for (k = 0; k < srv.nconn; k++)
		close(fd[k]);
	pthread_join(th, NULL);
	close(lfd);
	return 0;
}
