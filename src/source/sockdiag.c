// SPDX-License-Identifier: MIT
/*
 * Socket inode -> addresses through NETLINK_SOCK_DIAG (include/sockdiag.h),
 * /proc/TID/net/ where sock_diag cannot be used.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "vocab.h"
#include "sockdiag.h"

#define NS_CACHE 8		/* network namespaces with a netlink socket kept open */
#define TCP_LISTEN_V 10
#define RECV_BUF 32768

struct nsock {
	uint64_t netns;		/* 0: empty slot */
	int fd;			/* -1: sock_diag unusable in this namespace */
	uint64_t used;		/* for eviction: the oldest use goes */
};

struct ilp_sockdiag {
	unsigned eph_lo, eph_hi;	/* ip_local_port_range: the ports connect() picks */
	int self_ns;		/* our own network namespace, to come back to */
	uint64_t self_ns_ino;
	struct nsock ns[NS_CACHE];
	uint64_t tick;
	uint64_t n_diag, n_procnet;
	char buf[RECV_BUF];
};

unsigned long ilp_sock_link_ino(const char *s)
{
	unsigned long ino;
	char end;

	if (sscanf(s, "socket:[%lu%c", &ino, &end) != 2 || end != ']')
		return 0;
	return ino;
}

/*
 * The ports connect() picks a local one from (our namespace's: another's
 * is its own sysctl, mostly left at the default), Linux's default if it
 * cannot be read.
 */
static void eph_range(struct ilp_sockdiag *d)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");

	d->eph_lo = 32768;
	d->eph_hi = 60999;
	if (f) {
		unsigned lo, hi;

		if (fscanf(f, "%u %u", &lo, &hi) == 2 && lo <= hi && hi <= 65535) {
			d->eph_lo = lo;
			d->eph_hi = hi;
		}
		fclose(f);
	}
}

int ilp_sockdiag_new(struct ilp_sockdiag **out)
{
	struct ilp_sockdiag *d = calloc(1, sizeof(*d));
	struct stat st;
	size_t i;

	*out = NULL;
	if (!d)
		return -ENOMEM;
	for (i = 0; i < NS_CACHE; i++)
		d->ns[i].fd = -1;
	eph_range(d);
	d->self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (d->self_ns >= 0 && !fstat(d->self_ns, &st))
		d->self_ns_ino = st.st_ino;
	*out = d;
	return 0;
}

void ilp_sockdiag_free(struct ilp_sockdiag *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < NS_CACHE; i++)
		if (d->ns[i].fd >= 0)
			close(d->ns[i].fd);
	if (d->self_ns >= 0)
		close(d->self_ns);
	free(d);
}

void ilp_sockdiag_counts(const struct ilp_sockdiag *d, uint64_t *diag, uint64_t *procnet)
{
	*diag = d->n_diag;
	*procnet = d->n_procnet;
}

/* a NETLINK_SOCK_DIAG socket in the namespace of tid (netns its inode) */
static int open_in_ns(struct ilp_sockdiag *d, int tid, uint64_t netns)
{
	struct timeval tv = { .tv_sec = 1 };	/* a reply never keeps us */
	char path[64];
	int nsfd, fd = -1;

	if (netns && netns != d->self_ns_ino) {
		if (d->self_ns < 0)
			return -1;
		snprintf(path, sizeof(path), "/proc/%d/ns/net", tid);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0)
			return -1;
		if (setns(nsfd, CLONE_NEWNET)) {
			close(nsfd);
			return -1;
		}
		close(nsfd);
		fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		if (setns(d->self_ns, CLONE_NEWNET)) {
			/* cannot happen with the fd we opened; never stay elsewhere */
			if (fd >= 0)
				close(fd);
			abort();
		}
	} else {
		fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	}
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* the cached netlink socket for netns (opening one, evicting the oldest) */
static int ns_sock(struct ilp_sockdiag *d, int tid, uint64_t netns)
{
	size_t i, old = 0;

	for (i = 0; i < NS_CACHE; i++)
		if (d->ns[i].netns == netns && netns) {
			d->ns[i].used = ++d->tick;
			return d->ns[i].fd;
		}
	for (i = 1; i < NS_CACHE; i++)
		if (d->ns[i].used < d->ns[old].used)
			old = i;
	if (d->ns[old].fd >= 0)
		close(d->ns[old].fd);
	d->ns[old].netns = netns;
	d->ns[old].used = ++d->tick;
	d->ns[old].fd = open_in_ns(d, tid, netns);
	if (!netns)	/* namespace unknown: do not cache the guess */
		d->ns[old].netns = 0;
	return d->ns[old].fd;
}

/* ---- formatting ---- */

static void fmt_addr(int family, const void *a, unsigned port, char *out, size_t size)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, a, s, sizeof(s)))
		snprintf(s, sizeof(s), "?");
	if (family == AF_INET)
		snprintf(out, size, "%s:%u", s, port);
	else
		snprintf(out, size, "[%s]:%u", s, port);
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* "L -> P", "L (listening)" or "L" (unconnected UDP, bound TCP) */
static void fmt_inet(struct ilp_sock_query *q, int family, unsigned type, int listening,
		     const void *la, unsigned lport, const void *pa, unsigned pport)
{
	char l[64], p[64];

	fmt_addr(family, la, lport, l, sizeof(l));
	fmt_addr(family, pa, pport, p, sizeof(p));
	if (listening)
		snprintf(q->desc, sizeof(q->desc), "%s (listening)", l);
	else if (!pport)
		snprintf(q->desc, sizeof(q->desc), "%s", l);
	else
		snprintf(q->desc, sizeof(q->desc), "%s -> %s", l, p);
	q->type = type;
	q->found = 1;
	q->family = 0;
	if (type == ILP_OBJ_TCP && !listening && pport) {	/* its side: side_mark() */
		q->family = family;
		q->lport = lport;
		memcpy(q->la, la, addr_len(family));
	}
}

/*
 * The listening TCP sockets of one table (a dump, a /proc/TID/net file),
 * for the side of the connected ones found in it.  failed: one could not
 * be kept, so a connection matching none may still be accepted.
 */
struct listeners {
	struct lsn {
		unsigned char a[16];
		unsigned port;
	} *v;
	size_t n, cap;
	int failed;
};

static void listener_add(struct listeners *ls, int family, const void *a, unsigned port)
{
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 16;
		struct lsn *v = realloc(ls->v, cap * sizeof(*v));

		if (!v) {
			ls->failed = 1;
			return;
		}
		ls->v = v;
		ls->cap = cap;
	}
	memset(ls->v[ls->n].a, 0, sizeof(ls->v[ls->n].a));
	memcpy(ls->v[ls->n].a, a, addr_len(family));
	ls->v[ls->n++].port = port;
}

/*
 * The side of each connected TCP socket of family found in this table:
 * accepted here when a listener has its local port and its local address
 * (or the wildcard address); connected from here when its local port is
 * one connect() picks and no listener has it; else not known (a server's
 * port whose listener is gone: the model's first-call guess stays).
 */
static void side_mark(const struct ilp_sockdiag *d, struct ilp_sock_query **pend, size_t npend,
		      int family, struct listeners *ls)
{
	static const unsigned char any[16];
	size_t i, k, len = addr_len(family);

	for (i = 0; i < npend; i++) {
		struct ilp_sock_query *q = pend[i];
		int acc = 0;

		if (!q || q->found != 1 || q->family != family)
			continue;
		for (k = 0; k < ls->n && !acc; k++)
			acc = ls->v[k].port == q->lport &&
			      (!memcmp(ls->v[k].a, q->la, len) || !memcmp(ls->v[k].a, any, len));
		if (acc)
			q->type |= ILP_OBJ_F_ACCEPTED;
		else if (!ls->failed && q->lport >= d->eph_lo && q->lport <= d->eph_hi)
			q->type |= ILP_OBJ_F_OUTBOUND;
		q->family = 0;
	}
	free(ls->v);
	memset(ls, 0, sizeof(*ls));
}

static void fmt_unix(struct ilp_sock_query *q, const char *name, size_t len)
{
	if (len && name[0])
		snprintf(q->desc, sizeof(q->desc), "%.*s", (int)strnlen(name, len), name);
	else if (len > 1)
		snprintf(q->desc, sizeof(q->desc), "@%.*s", (int)(len - 1), name + 1);
	else
		snprintf(q->desc, sizeof(q->desc), "socket:[%lu]", q->ino);
	q->type = ILP_OBJ_UNIX;
	q->found = 1;
}

/* ---- sock_diag ---- */

static struct ilp_sock_query *find_q(struct ilp_sock_query **pend, size_t n, unsigned long ino)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pend[i] && !pend[i]->found && pend[i]->ino == ino)
			return pend[i];
	return NULL;
}

/* unix_diag by inode: 0 found or not there, -1 sock_diag unusable */
static int unix_exact(struct ilp_sockdiag *d, int fd, struct ilp_sock_query *q)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req r;
	} req;
	struct nlmsghdr *h;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_states = ~0u;
	req.r.udiag_ino = (uint32_t)q->ino;
	req.r.udiag_show = UDIAG_SHOW_NAME;
	req.r.udiag_cookie[0] = req.r.udiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (q->ino > UINT32_MAX)
		return 0;
	if (send(fd, &req, sizeof(req), 0) != (ssize_t)sizeof(req))
		return -1;
	n = recv(fd, d->buf, sizeof(d->buf), 0);
	if (n < 0)
		return -1;
	for (h = (struct nlmsghdr *)d->buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
		const struct unix_diag_msg *m = NLMSG_DATA(h);
		const struct rtattr *a;
		int alen;

		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			/* ENOENT: no such unix socket; anything else: no unix_diag */
			return e->error == -ENOENT ? 0 : -1;
		}
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
		    m->udiag_ino != q->ino)
			continue;
		alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
		for (a = (const struct rtattr *)(m + 1); RTA_OK(a, alen); a = RTA_NEXT(a, alen))
			if (a->rta_type == UNIX_DIAG_NAME) {
				fmt_unix(q, RTA_DATA(a), RTA_PAYLOAD(a));
				return 0;
			}
		fmt_unix(q, "", 0);
		return 0;
	}
	return 0;
}

/* one inet_diag dump (family, protocol): names the pending queries it has;
 * -1 if the dump failed */
static int inet_dump(struct ilp_sockdiag *d, int fd, int family, int proto,
		     struct ilp_sock_query **pend, size_t npend)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req;
	unsigned type = proto == IPPROTO_TCP ? ILP_OBJ_TCP : ILP_OBJ_UDP;
	struct listeners ls = { 0 };
	int done = 0;

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = (uint8_t)proto;
	req.r.idiag_states = ~0u;
	if (send(fd, &req, sizeof(req), 0) != (ssize_t)sizeof(req))
		return -1;
	while (!done) {
		ssize_t n = recv(fd, d->buf, sizeof(d->buf), 0);
		struct nlmsghdr *h;

		if (n <= 0)
			goto fail;
		for (h = (struct nlmsghdr *)d->buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			const struct inet_diag_msg *m = NLMSG_DATA(h);
			struct ilp_sock_query *q;
			int listening;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR)
				goto fail;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) || !m->idiag_inode)
				continue;
			listening = proto == IPPROTO_TCP && m->idiag_state == TCP_LISTEN_V;
			if (listening)
				listener_add(&ls, family, m->id.idiag_src, ntohs(m->id.idiag_sport));
			q = find_q(pend, npend, m->idiag_inode);
			if (q)
				fmt_inet(q, family, type, listening,
					 m->id.idiag_src, ntohs(m->id.idiag_sport),
					 m->id.idiag_dst, ntohs(m->id.idiag_dport));
		}
	}
	side_mark(d, pend, npend, family, &ls);
	return 0;
fail:
	free(ls.v);
	return -1;
}

/* ---- /proc/TID/net fallback: one pass per table, only the asked inodes ---- */

static void hex_addr(const char *hex, int family, void *out)
{
	size_t words = family == AF_INET ? 1 : 4, w;

	memset(out, 0, 16);
	if (strlen(hex) != words * 8)
		return;
	for (w = 0; w < words; w++) {
		char part[9], *end;
		uint32_t v;

		memcpy(part, hex + w * 8, 8);
		part[8] = '\0';
		v = (uint32_t)strtoul(part, &end, 16);
		memcpy((char *)out + w * 4, &v, 4);	/* host-order words, as printed */
	}
}

static void procnet_inet(const struct ilp_sockdiag *d, int tid, const char *file, int family,
			 unsigned type, struct ilp_sock_query **pend, size_t npend)
{
	char path[64], line[512], lhex[33], rhex[33];
	unsigned char la[16], ra[16];
	unsigned lport, rport, st;
	struct listeners ls = { 0 };
	unsigned long ino;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/%s", tid, file);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f))	/* header */
		while (fgets(line, sizeof(line), f)) {
			struct ilp_sock_query *q;
			int listening;

			if (sscanf(line, " %*d: %32[0-9A-Fa-f]:%x %32[0-9A-Fa-f]:%x %x %*x:%*x %*x:%*x %*x %*u %*u %lu",
				   lhex, &lport, rhex, &rport, &st, &ino) != 6 || !ino)
				continue;
			listening = type == ILP_OBJ_TCP && st == TCP_LISTEN_V;
			q = find_q(pend, npend, ino);
			if (!q && !listening)
				continue;
			hex_addr(lhex, family, la);
			if (listening)
				listener_add(&ls, family, la, lport);
			if (!q)
				continue;
			hex_addr(rhex, family, ra);
			fmt_inet(q, family, type, listening, la, lport, ra, rport);
		}
	fclose(f);
	side_mark(d, pend, npend, family, &ls);
}

static void procnet_unix(int tid, struct ilp_sock_query **pend, size_t npend)
{
	char path[64], line[512], name[256];
	unsigned long ino;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/net/unix", tid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f))
		while (fgets(line, sizeof(line), f)) {
			struct ilp_sock_query *q;

			name[0] = '\0';
			n = sscanf(line, "%*x: %*x %*x %*x %*x %*x %lu %255s", &ino, name);
			if (n < 1 || !ino || !(q = find_q(pend, npend, ino)))
				continue;
			/* /proc shows an abstract name's leading NUL as '@' */
			if (n == 2 && name[0] == '@')
				fmt_unix(q, name, strlen(name));
			else
				fmt_unix(q, name, n == 2 ? strlen(name) : 0);
		}
	fclose(f);
}

static void procnet(struct ilp_sockdiag *d, int tid, struct ilp_sock_query **pend, size_t n)
{
	d->n_procnet += n;
	procnet_unix(tid, pend, n);
	procnet_inet(d, tid, "tcp", AF_INET, ILP_OBJ_TCP, pend, n);
	procnet_inet(d, tid, "tcp6", AF_INET6, ILP_OBJ_TCP, pend, n);
	procnet_inet(d, tid, "udp", AF_INET, ILP_OBJ_UDP, pend, n);
	procnet_inet(d, tid, "udp6", AF_INET6, ILP_OBJ_UDP, pend, n);
}

/* the queries of one namespace (pend[0..n), all unfound) */
static void lookup_ns(struct ilp_sockdiag *d, struct ilp_sock_query **pend, size_t n)
{
	static const struct { int family, proto; } dumps[] = {
		{ AF_INET, IPPROTO_TCP }, { AF_INET6, IPPROTO_TCP },
		{ AF_INET, IPPROTO_UDP }, { AF_INET6, IPPROTO_UDP },
	};
	int fd = ns_sock(d, pend[0]->tid, pend[0]->netns), left = 0;
	size_t i;

	if (fd < 0) {
		procnet(d, pend[0]->tid, pend, n);
		return;
	}
	d->n_diag += n;
	for (i = 0; i < n; i++)
		if (unix_exact(d, fd, pend[i]))
			goto fallback;
	for (i = 0; i < n; i++)
		left += !pend[i]->found;
	for (i = 0; left && i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		size_t k;

		if (inet_dump(d, fd, dumps[i].family, dumps[i].proto, pend, n))
			goto fallback;
		for (left = 0, k = 0; k < n; k++)
			left += !pend[k]->found;
	}
	return;
fallback:
	d->n_diag -= n;
	procnet(d, pend[0]->tid, pend, n);
}

void ilp_sockdiag_lookup(struct ilp_sockdiag *d, struct ilp_sock_query *q, size_t n)
{
	struct ilp_sock_query **pend;
	size_t i, k, np;

	if (!n)
		return;
	pend = malloc(n * sizeof(*pend));
	if (!pend)
		return;		/* nothing named: the callers say so */
	for (i = 0; i < n; i++) {
		q[i].found = 0;
		q[i].family = 0;
	}
	/* one namespace at a time (an unknown one, 0, alone) */
	for (i = 0; i < n; i++) {
		if (q[i].found)
			continue;
		for (np = 0, k = i; k < n; k++)
			if (!q[k].found && (k == i || (q[i].netns && q[k].netns == q[i].netns)))
				pend[np++] = &q[k];
		lookup_ns(d, pend, np);
		/* a query left unfound is marked so the loop does not ask again */
		for (k = 0; k < np; k++)
			if (!pend[k]->found)
				pend[k]->found = -1;
	}
	for (i = 0; i < n; i++)
		if (q[i].found < 0)
			q[i].found = 0;
	free(pend);
}
