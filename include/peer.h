/* SPDX-License-Identifier: MIT */
#ifndef ILP_PEER_H
#define ILP_PEER_H

/*
 * The process at the other end of a pipe or socket a traced thread waits
 * on, from /proc (src/source/peer.c): the names the trace cannot give
 * when the peer is not traced.  The model asks (ilp_model_name_peers,
 * fdmodel.h) after each drain, for the threads blocked in a read on a pipe
 * or socket, once per object; the lookup reads /proc, so it runs while the
 * processes live.
 *
 *   pipe:   the processes holding the same pipe:[inode], and which end
 *           (the fd's O_ACCMODE in /proc/PID/fdinfo): the write end's;
 *   unix:   the peer socket's inode (sock_diag, UNIX_DIAG_PEER), then its
 *           holder;
 *   tcp:    the connection's other side in /proc/PID/net/tcp{,6} (a peer
 *           on this host, in the same network namespace), then its holder.
 */

#include <stddef.h>
#include <stdint.h>

#define ILP_PEER_COMM 16

/* a process at the other end */
struct ilp_peer {
	int pid;
	char comm[ILP_PEER_COMM];
	unsigned ends;		/* ILP_END_* (vocab.h) it holds, pipes; 0 unknown */
	int others;		/* more processes hold that end too */
};

/*
 * Finds the peer of fd in process pid (type: enum ilp_obj_type, desc: the
 * model's name of it: a pipe's must be what /proc/PID/fd/FD says, else the
 * fd or pid was reused and -ESTALE says so): 0 with *out filled, -EAGAIN to
 * be asked again later, or another -errno (none: do not ask again).
 */
typedef int (*ilp_peer_fn)(void *ctx, int pid, int fd, unsigned type, const char *desc,
			   struct ilp_peer *out);

/* the ilp_peer_fn that reads /proc (ctx unused: pass NULL) */
int ilp_peer_lookup(void *ctx, int pid, int fd, unsigned type, const char *desc,
		    struct ilp_peer *out);

/* ---- the parts, for tests ---- */

/* "pipe:[123]", "socket:[456]" -> 123, 456; 0 if not such a link */
uint64_t ilp_peer_link_inode(const char *link, const char *kind);
/*
 * One line of /proc/net/tcp or tcp6 (after the header): its local and
 * remote address as hex strings (copied, at most 40 chars each) and its
 * inode; 0, or -EINVAL if the line is not such a row.
 */
int ilp_peer_tcp_row(const char *line, char *local, char *remote, size_t size, uint64_t *inode);

#endif
