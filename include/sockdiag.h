/* SPDX-License-Identifier: MIT */
#ifndef ILP_SOCKDIAG_H
#define ILP_SOCKDIAG_H

/*
 * Socket inode -> addresses, for the fd-name resolver (resolve.c): the one
 * socket asked about, never a table of every socket on the host.
 *
 *   unix   NETLINK_SOCK_DIAG unix_diag, exact lookup by inode
 *   inet   NETLINK_SOCK_DIAG inet_diag dumps of tcp/tcp6/udp/udp6, once per
 *          batch for every inode still unnamed (the kernel has no lookup
 *          of an inet socket by inode)
 *
 * Each socket is looked up in its own thread's network namespace: the
 * netlink socket is opened after setns() to /proc/TID/ns/net (kept open
 * per namespace, a few at most).  Where sock_diag is unavailable (no
 * module, no CAP_SYS_ADMIN for setns), the thread's /proc/TID/net/ tables
 * are read once per batch instead, and only the asked inodes kept.
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
	unsigned type;		/* ILP_OBJ_TCP, _UDP, _UNIX */
	char desc[160];		/* "127.0.0.1:5 -> 127.0.0.1:6", "0.0.0.0:80 (listening)",
				 * "/run/x.sock", "@abstract", "socket:[ino]" */
};

int ilp_sockdiag_new(struct ilp_sockdiag **out);	/* 0 or -ENOMEM */
void ilp_sockdiag_free(struct ilp_sockdiag *d);		/* NULL ok */

/* Names every query it can (found = 1); the others stay found = 0. */
void ilp_sockdiag_lookup(struct ilp_sockdiag *d, struct ilp_sock_query *q, size_t n);

/* "socket:[ino]" -> ino; 0 if s is not a socket link */
unsigned long ilp_sock_link_ino(const char *s);

/* how many lookups went through sock_diag and through /proc/TID/net (tests) */
void ilp_sockdiag_counts(const struct ilp_sockdiag *d, uint64_t *diag, uint64_t *procnet);

#endif
