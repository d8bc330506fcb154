// SPDX-License-Identifier: MIT
/*
 * src/source/sockdiag.c on this process's own sockets: a listening TCP
 * socket, a connected pair over loopback, a bound unix socket and an
 * abstract one, each named by its inode alone (sock_diag, one batch), and
 * an inode that is no socket left unnamed.  A connected TCP socket's side:
 * the accepted one's local address is the listener's, the client's is
 * not; through sock_diag and through the /proc/PID/net fallback (a child
 * in a namespace of its own, which may not enter ours).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fdmodel.h"
#include "sockdiag.h"

static unsigned long ino_of(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return (unsigned long)st.st_ino;
}

static unsigned port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	return ntohs(a.sin_port);
}

static void test_own_sockets(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sockaddr_un u = { .sun_family = AF_UNIX };
	struct ilp_sock_query q[6];
	struct ilp_sockdiag *d = NULL;
	int l, c, s, us, ua;
	char want[160];
	uint64_t ndiag, nproc;
	struct stat st;

	(void)state;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(l >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	a.sin_port = htons((unsigned short)port_of(l));
	c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	us = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(u.sun_path, sizeof(u.sun_path), "/tmp/ilp-sockdiag-%d.sock", (int)getpid());
	unlink(u.sun_path);
	assert_int_equal(bind(us, (struct sockaddr *)&u, sizeof(u)), 0);
	ua = socket(AF_UNIX, SOCK_DGRAM, 0);
	memset(u.sun_path, 0, sizeof(u.sun_path));
	snprintf(u.sun_path + 1, sizeof(u.sun_path) - 1, "ilp-abstract-%d", (int)getpid());
	assert_int_equal(bind(ua, (struct sockaddr *)&u,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
					  strlen(u.sun_path + 1))), 0);
	assert_int_equal(stat("/proc/self/ns/net", &st), 0);

	memset(q, 0, sizeof(q));
	q[0].ino = ino_of(l);
	q[1].ino = ino_of(c);
	q[2].ino = ino_of(us);
	q[3].ino = ino_of(ua);
	q[4].ino = ino_of(0) + 1000000;	/* no socket */
	q[5].ino = ino_of(s);
	for (int i = 0; i < 6; i++) {
		q[i].tid = getpid();
		q[i].netns = st.st_ino;
	}
	assert_int_equal(ilp_sockdiag_new(&d), 0);
	ilp_sockdiag_lookup(d, q, 6);
	assert_int_equal(q[0].found, 1);
	assert_int_equal(q[0].type, ILP_OBJ_TCP);	/* a listener has no side */
	snprintf(want, sizeof(want), "127.0.0.1:%u (listening)", port_of(l));
	assert_string_equal(q[0].desc, want);
	assert_int_equal(q[1].found, 1);
	assert_int_equal(q[1].type, ILP_OBJ_TCP | ILP_OBJ_F_OUTBOUND);
	snprintf(want, sizeof(want), "127.0.0.1:%u -> 127.0.0.1:%u", port_of(c), port_of(l));
	assert_string_equal(q[1].desc, want);
	assert_int_equal(q[5].found, 1);
	assert_int_equal(q[5].type, ILP_OBJ_TCP | ILP_OBJ_F_ACCEPTED);
	snprintf(want, sizeof(want), "127.0.0.1:%u -> 127.0.0.1:%u", port_of(l), port_of(c));
	assert_string_equal(q[5].desc, want);
	assert_int_equal(q[2].found, 1);
	assert_int_equal(q[2].type, ILP_OBJ_UNIX);
	snprintf(want, sizeof(want), "/tmp/ilp-sockdiag-%d.sock", (int)getpid());
	assert_string_equal(q[2].desc, want);
	assert_int_equal(q[3].found, 1);
	snprintf(want, sizeof(want), "@ilp-abstract-%d", (int)getpid());
	assert_string_equal(q[3].desc, want);
	assert_int_equal(q[4].found, 0);
	ilp_sockdiag_counts(d, &ndiag, &nproc);
	/* as root, sock_diag; elsewhere the /proc/self/net fallback */
	assert_int_equal(ndiag + nproc, 6);
	ilp_sockdiag_free(d);
	ilp_sockdiag_free(NULL);
	assert_int_equal(ilp_sock_link_ino("socket:[12345]"), 12345);
	assert_int_equal(ilp_sock_link_ino("pipe:[12345]"), 0);
	assert_int_equal(ilp_sock_link_ino("socket:[12345"), 0);
	snprintf(u.sun_path, sizeof(u.sun_path), "/tmp/ilp-sockdiag-%d.sock", (int)getpid());
	unlink(u.sun_path);
	close(l);
	close(c);
	close(s);
	close(us);
	close(ua);
}

/*
 * The /proc/PID/net fallback: a child in a user and network namespace of
 * its own may not setns() into ours, so it reads /proc/PARENT/net/tcp for
 * a listener, an accepted socket and a client socket of ours (with a
 * wildcard listener, 0.0.0.0, that the accepted one's 127.0.0.1 matches).
 * Skipped where a new user namespace is not allowed.
 */
static void test_side_procnet(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct ilp_sock_query q[3];
	int l, c, s, p[2], status;
	uint64_t ndiag = 0, nproc = 0;
	struct stat st;
	char want[160];
	pid_t child;

	(void)state;
	l = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(l >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);	/* 0.0.0.0 */
	assert_int_equal(listen(l, 1), 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port_of(l));
	c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	assert_int_equal(stat("/proc/self/ns/net", &st), 0);
	memset(q, 0, sizeof(q));
	q[0].ino = ino_of(l);
	q[1].ino = ino_of(s);
	q[2].ino = ino_of(c);
	for (int i = 0; i < 3; i++) {
		q[i].tid = getpid();
		q[i].netns = st.st_ino;
	}
	assert_int_equal(pipe(p), 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		struct ilp_sockdiag *d = NULL;

		close(p[0]);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
			_exit(77);
		if (ilp_sockdiag_new(&d))
			_exit(1);
		ilp_sockdiag_lookup(d, q, 3);
		ilp_sockdiag_counts(d, &ndiag, &nproc);
		ilp_sockdiag_free(d);
		if (write(p[1], q, sizeof(q)) != (ssize_t)sizeof(q) ||
		    write(p[1], &nproc, sizeof(nproc)) != (ssize_t)sizeof(nproc))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	memset(q, 0, sizeof(q));
	if (read(p[0], q, sizeof(q)) != (ssize_t)sizeof(q) ||
	    read(p[0], &nproc, sizeof(nproc)) != (ssize_t)sizeof(nproc))
		nproc = 0;
	close(p[0]);
	assert_int_equal(waitpid(child, &status, 0), child);
	close(l);
	close(c);
	close(s);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		skip();		/* no new user namespace here */
		return;
	}
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(nproc, 3);
	assert_int_equal(q[0].found, 1);
	assert_int_equal(q[0].type, ILP_OBJ_TCP);
	snprintf(want, sizeof(want), "0.0.0.0:%u (listening)", ntohs(a.sin_port));
	assert_string_equal(q[0].desc, want);
	assert_int_equal(q[1].found, 1);
	assert_int_equal(q[1].type, ILP_OBJ_TCP | ILP_OBJ_F_ACCEPTED);
	assert_int_equal(q[2].found, 1);
	assert_int_equal(q[2].type, ILP_OBJ_TCP | ILP_OBJ_F_OUTBOUND);
}

/* a listener on a port connect() never picks (in the 10000 under the
 * ephemeral range, chosen until free), bound on loopback; -1 if none */
static int low_listener(unsigned *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	unsigned lo = 0, hi = 0;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
	int l, i;

	if (!f)
		return -1;
	if (fscanf(f, "%u %u", &lo, &hi) != 2)
		lo = 0;
	fclose(f);
	if (lo < 11024)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 50; i++) {
		*port = lo - 10000 + (unsigned)((getpid() + i * 97) % 10000);
		a.sin_port = htons((unsigned short)*port);
		l = socket(AF_INET, SOCK_STREAM, 0);
		assert_true(l >= 0);
		if (!bind(l, (struct sockaddr *)&a, sizeof(a)) && !listen(l, 1))
			return l;
		close(l);
	}
	return -1;
}

/*
 * The side not known is left so: an accepted connection whose listener is
 * gone (a server's port is no port connect() picks), and a client bound to
 * such a port before it connected; a client on an ephemeral port is
 * outbound.  Each looked up alone.
 */
static void test_side_unknown(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct ilp_sockdiag *d = NULL;
	struct ilp_sock_query q;
	unsigned port, bport;
	int l, c, s, b, bs;
	struct stat st;

	(void)state;
	l = low_listener(&port);
	if (l < 0) {
		skip();
		return;
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	b = low_listener(&bport);	/* a port to bind the second client to */
	assert_true(b >= 0);
	close(b);
	b = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(b >= 0);
	{
		struct sockaddr_in ba = a;
		int one = 1;

		ba.sin_port = htons((unsigned short)bport);
		setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		assert_int_equal(bind(b, (struct sockaddr *)&ba, sizeof(ba)), 0);
	}
	assert_int_equal(connect(b, (struct sockaddr *)&a, sizeof(a)), 0);
	bs = accept(l, NULL, NULL);
	assert_true(bs >= 0);
	close(l);		/* the listener is gone */
	assert_int_equal(stat("/proc/self/ns/net", &st), 0);
	assert_int_equal(ilp_sockdiag_new(&d), 0);
	memset(&q, 0, sizeof(q));
	q.tid = getpid();
	q.netns = st.st_ino;
	q.ino = ino_of(s);
	ilp_sockdiag_lookup(d, &q, 1);
	assert_int_equal(q.found, 1);
	assert_int_equal(q.type, ILP_OBJ_TCP);	/* accepted, but no listener now: not known */
	q.ino = ino_of(c);
	ilp_sockdiag_lookup(d, &q, 1);
	assert_int_equal(q.type, ILP_OBJ_TCP | ILP_OBJ_F_OUTBOUND);
	q.ino = ino_of(b);
	ilp_sockdiag_lookup(d, &q, 1);
	assert_int_equal(q.found, 1);
	assert_int_equal(q.type, ILP_OBJ_TCP);	/* bound to a port connect() never picks */
	ilp_sockdiag_free(d);
	close(c);
	close(s);
	close(b);
	close(bs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_sockets),
		cmocka_unit_test(test_side_procnet),
		cmocka_unit_test(test_side_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
