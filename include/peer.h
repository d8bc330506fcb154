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

/**
 * ilp_peer_lookup - the ilp_peer_fn that reads /proc
 * @ctx: unused: pass NULL
 * @pid: the process the fd belongs to
 * @fd: the fd, a pipe, FIFO or socket the model knows
 * @type: its enum ilp_obj_type (ILP_OBJ_UNIX, ILP_OBJ_TCP: how to find a
 *	socket's peer; ILP_OBJ_PIPE: desc is checked)
 * @desc: the model's name of it; a pipe's must be what /proc/PID/fd/FD
 *	says (may be NULL: not checked)
 * @out: zeroed, then filled with the first other process holding the peer
 *	end (a pipe's or FIFO's write end), and how many more hold it
 *
 * Reads /proc, and asks sock_diag for a unix socket's peer; never stops or
 * signals a process.  The scan of every process's fds costs some
 * milliseconds.  The caller itself is never named as the peer.
 *
 * Returns 0 with *out filled; -ESRCH when the fd is gone; -ESTALE when the
 * pipe is not desc (the fd or pid was reused); -ENOENT when it has no peer
 * found (not a pipe or socket, another socket type, no holder); or
 * opendir's -errno for /proc.  It never returns -EAGAIN: none of these is
 * worth asking again.
 */
int ilp_peer_lookup(void *ctx, int pid, int fd, unsigned type, const char *desc,
		    struct ilp_peer *out);

/* ---- the parts, for tests ---- */

/**
 * ilp_peer_link_inode - the inode of a /proc/PID/fd link
 * @link: the link text, "pipe:[123]", "socket:[456]"
 * @kind: the kind expected, "pipe" or "socket"
 *
 * Returns the inode (123, 456), or 0 if link is not such a link of kind.
 */
uint64_t ilp_peer_link_inode(const char *link, const char *kind);

/**
 * ilp_peer_tcp_row - parses one row of /proc/net/tcp or tcp6
 * @line: the row (after the header line)
 * @local: the caller's buffer, set to the local address as a hex string
 *	("0100007F:1F90")
 * @remote: the same for the remote address
 * @size: bytes at local and at remote (an address longer than size - 1 or
 *	than 63 characters is refused)
 * @inode: set to the socket's inode
 *
 * Returns 0, or -EINVAL if the line is not such a row (local and remote
 * are then left alone).
 */
int ilp_peer_tcp_row(const char *line, char *local, char *remote, size_t size, uint64_t *inode);

#endif
