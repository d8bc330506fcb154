/* SPDX-License-Identifier: MIT */
#ifndef ILP_SOCKDIAG_H
#define ILP_SOCKDIAG_H

/*
 * Socket inode -> addresses, for the fd-name resolver (resolve.c): the
 * sockets asked about, and of the rest of a table only its listening TCP
 * sockets' addresses (for the sides below), never a table of every socket.
 *
 *   unix   NETLINK_SOCK_DIAG unix_diag, exact lookup by inode
 *   inet   NETLINK_SOCK_DIAG inet_diag dumps of tcp/tcp6/udp/udp6, once per
 *          batch for every inode still unnamed (the kernel has no lookup
 *          of an inet socket by inode); the same dump's listening sockets
 *          tell a connected TCP socket's side: accepted here (its local
 *          address is a listener's, or a wildcard listener's port), or
 *          connected from here (no listener's, and a port connect()
 *          picks: ip_local_port_range), else not known
 *
 * Each socket is looked up in its own thread's network namespace: the
 * netlink socket is opened after setns() to /proc/TID/ns/net (kept open
 * per namespace, a few at most).  Where sock_diag is unavailable (no
 * module, no CAP_SYS_ADMIN for setns), the thread's /proc/TID/net/ tables
 * are read once per batch instead, and only the asked inodes (and the
 * listeners) kept.
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_sockdiag;

struct ilp_sock_query {
	unsigned long ino;	/* socket inode ("socket:[ino]") */
	uint64_t netns;		/* inode of /proc/TID/ns/net, 0 if unknown */
	int tid;		/* a thread that has the socket (its namespace, its /proc) */
	/* out */
	int found;
	unsigned type;		/* ILP_OBJ_TCP, _UDP, _UNIX; a connected TCP
				 * socket's also ILP_OBJ_F_ACCEPTED (its local
				 * address is a listener's) or ILP_OBJ_F_OUTBOUND
				 * (no listener's) */
	char desc[160];		/* "127.0.0.1:5 -> 127.0.0.1:6", "0.0.0.0:80 (listening)",
				 * "/run/x.sock", "@abstract", "socket:[ino]" */
	/* the lookup's own: a connected TCP socket's local address */
	int family;
	unsigned lport;
	unsigned char la[16];
};

/**
 * ilp_sockdiag_new - makes a socket resolver
 * @out: set to it, to free with ilp_sockdiag_free(); NULL on error
 *
 * Opens our own network namespace (/proc/self/ns/net), to come back to
 * after a lookup in another one; without it, sockets of other namespaces
 * are read from /proc/TID/net instead.
 *
 * Returns 0, or -ENOMEM.
 */
int ilp_sockdiag_new(struct ilp_sockdiag **out);

/**
 * ilp_sockdiag_free - closes the netlink sockets and frees d
 * @d: the resolver; NULL is a no-op
 */
void ilp_sockdiag_free(struct ilp_sockdiag *d);

/**
 * ilp_sockdiag_lookup - names the sockets of a batch of queries
 * @d: the resolver
 * @q: the caller's queries: ino, netns and tid in; found, type and desc out
 * @n: queries at q
 *
 * Names every query it can (found = 1, type, desc); the others are left
 * found = 0 (also all of them when memory runs out).  Queries are asked
 * one network namespace at a time; to open a netlink socket in another
 * namespace the calling thread setns()es there and back.  Not thread-safe
 * on one d (d holds the receive buffer).
 */
void ilp_sockdiag_lookup(struct ilp_sockdiag *d, struct ilp_sock_query *q, size_t n);

/**
 * ilp_sock_link_ino - the inode of a socket fd's link
 * @s: the link text, "socket:[ino]"
 *
 * Returns ino, or 0 if s is not a socket link.
 */
unsigned long ilp_sock_link_ino(const char *s);

/**
 * ilp_sockdiag_counts - how many lookups went which way, for tests
 * @d: the resolver
 * @diag: set to the number of queries looked up through sock_diag
 * @procnet: set to the number read from /proc/TID/net
 */
void ilp_sockdiag_counts(const struct ilp_sockdiag *d, uint64_t *diag, uint64_t *procnet);

#endif
