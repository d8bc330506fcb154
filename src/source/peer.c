// SPDX-License-Identifier: MIT
/*
 * The process at the other end of a pipe or socket, from /proc: see
 * include/peer.h.  Reads /proc (and asks sock_diag for a unix socket's
 * peer); never stops or signals a process.  The scan of every process's
 * fds costs some milliseconds: the model asks once per object, and only
 * for a thread blocked in a read on it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vocab.h"
#include "peer.h"
#include "procfs.h"

#define ADDR_LEN 64

uint64_t ilp_peer_link_inode(const char *link, const char *kind)
{
	size_t n = strlen(kind);
	uint64_t ino = 0;
	const char *p;

	if (strncmp(link, kind, n) || strncmp(link + n, ":[", 2))
		return 0;
	for (p = link + n + 2; *p >= '0' && *p <= '9'; p++)
		ino = ino * 10 + (uint64_t)(*p - '0');
	return p[0] == ']' && !p[1] ? ino : 0;
}

int ilp_peer_tcp_row(const char *line, char *local, char *remote, size_t size, uint64_t *inode)
{
	char l[ADDR_LEN], r[ADDR_LEN];

	if (sscanf(line, "%*s %63s %63s %*s %*s %*s %*s %*s %*s %" SCNu64, l, r, inode) != 3 ||
	    !strchr(l, ':') || !strchr(r, ':') || strlen(l) >= size || strlen(r) >= size)
		return -EINVAL;
	strcpy(local, l);
	strcpy(remote, r);
	return 0;
}

/* the O_ACCMODE of fd in process pid (fdinfo "flags:" octal), -1 if unknown */
static int accmode(int pid, const char *fd)
{
	char path[320], line[128];
	unsigned long flags;
	int mode = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %lo", &flags) == 1) {
			mode = (int)(flags & 3);
			break;
		}
	fclose(f);
	return mode;
}

/* one holder found: the first names the peer, the others are counted */
static void holder(struct ilp_peer *out, int pid, unsigned ends)
{
	if (out->pid == pid)
		return;
	if (out->pid) {
		out->others++;
		return;
	}
	out->pid = pid;
	out->ends = ends;
	ilp_procfs_comm(pid, out->comm, sizeof(out->comm));
}

/* fd's link names the object: kind:[ino], or the path of a FIFO (kind NULL) */
static int same(const char *link, const char *kind, uint64_t ino, const char *path)
{
	return kind ? ilp_peer_link_inode(link, kind) == ino : !strcmp(link, path);
}

/* whether process q holds the object (write: its write end), and which end */
static int holds(int q, const char *kind, uint64_t ino, const char *path, int write,
		 unsigned *ends)
{
	char fdpath[320], link[PATH_MAX];
	struct dirent *de;
	int found = 0, mode;
	DIR *d;
	ssize_t n;

	snprintf(fdpath, sizeof(fdpath), "/proc/%d/fd", q);
	d = opendir(fdpath);
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(fdpath, sizeof(fdpath), "/proc/%d/fd/%s", q, de->d_name);
		n = readlink(fdpath, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (!same(link, kind, ino, path))
			continue;
		mode = accmode(q, de->d_name);
		if (write && mode != O_WRONLY && mode != O_RDWR)
			continue;
		*ends = mode == O_WRONLY ? ILP_END_WRITE : mode == O_RDONLY ? ILP_END_READ :
			mode == O_RDWR ? ILP_END_READ | ILP_END_WRITE : 0;
		found = 1;
	}
	closedir(d);
	return found;
}

/* every process holding kind:[ino] or the FIFO path (but skip, and us):
 * the first into out */
static int scan(const char *kind, uint64_t ino, const char *path, int skip, int write,
		struct ilp_peer *out)
{
	int self = (int)getpid(), q;
	struct dirent *de;
	unsigned ends;
	DIR *d = opendir("/proc");

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		q = atoi(de->d_name);
		if (q == skip || q == self)
			continue;
		if (holds(q, kind, ino, path, write, &ends))
			holder(out, q, ends);
	}
	closedir(d);
	return out->pid ? 0 : -ENOENT;
}

/* the inode of the unix socket connected to ino (sock_diag), 0 if none */
static uint64_t unix_peer(uint64_t ino)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req r;
	} req;
	union {
		struct nlmsghdr nlh;
		char buf[8192];
	} resp;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint64_t peer = 0;
	struct nlmsghdr *h;
	ssize_t n;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0)
		return 0;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_states = ~0u;
	req.r.udiag_ino = (uint32_t)ino;
	req.r.udiag_show = UDIAG_SHOW_PEER;
	req.r.udiag_cookie[0] = req.r.udiag_cookie[1] = ~0u;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto out;
	n = recv(fd, resp.buf, sizeof(resp.buf), 0);
	for (h = &resp.nlh; n > 0 && NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
		struct unix_diag_msg *m = NLMSG_DATA(h);
		struct rtattr *a;
		int len;

		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || m->udiag_ino != (uint32_t)ino)
			break;
		len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
		for (a = (struct rtattr *)(m + 1); RTA_OK(a, len); a = RTA_NEXT(a, len))
			if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= (int)sizeof(uint32_t))
				peer = *(uint32_t *)RTA_DATA(a);
		break;
	}
out:
	close(fd);
	return peer;
}

/* the inode of the other side of tcp socket ino of process pid, on this host */
static uint64_t tcp_peer(int pid, uint64_t ino)
{
	static const char *const files[] = { "tcp", "tcp6" };
	char path[64], line[512], l[ADDR_LEN], r[ADDR_LEN], ml[ADDR_LEN] = "", mr[ADDR_LEN] = "";
	uint64_t i, peer = 0;
	size_t k;
	FILE *f;

	for (k = 0; k < 2 && !peer; k++) {
		snprintf(path, sizeof(path), "/proc/%d/net/%s", pid, files[k]);
		/* our row first, then the row that is its mirror */
		for (int pass = 0; pass < 2 && !peer; pass++) {
			f = fopen(path, "re");
			if (!f)
				break;
			while (fgets(line, sizeof(line), f)) {
				if (ilp_peer_tcp_row(line, l, r, sizeof(l), &i))
					continue;
				if (!pass && i == ino) {
					strcpy(ml, l);
					strcpy(mr, r);
					break;
				}
				if (pass && i != ino && !strcmp(l, mr) && !strcmp(r, ml)) {
					peer = i;
					break;
				}
			}
			fclose(f);
			if (!pass && !ml[0])
				break;	/* not in this file */
		}
	}
	return peer;
}

int ilp_peer_lookup(void *ctx, int pid, int fd, unsigned type, const char *desc,
		    struct ilp_peer *out)
{
	char path[64], link[PATH_MAX];
	uint64_t ino, peer;
	struct stat st;
	ssize_t n;

	(void)ctx;
	(void)desc;
	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -ESRCH;	/* gone, or closed: no second chance */
	link[n] = '\0';
	/* the fd must still be what the model knows (a pipe's inode, a FIFO's
	 * path): else it was closed and reused, or the pid is another's now */
	if ((type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_PIPE && desc && strcmp(link, desc))
		return -ESTALE;
	if ((ino = ilp_peer_link_inode(link, "pipe")))
		return scan("pipe", ino, NULL, pid, 1, out);
	if (link[0] == '/' && !stat(path, &st) && S_ISFIFO(st.st_mode))	/* a FIFO by its path */
		return scan(NULL, 0, link, pid, 1, out);
	ino = ilp_peer_link_inode(link, "socket");
	if (!ino)
		return -ENOENT;
	switch (type & ILP_OBJ_TYPE_MASK) {
	case ILP_OBJ_UNIX:
		peer = unix_peer(ino);
		break;
	case ILP_OBJ_TCP:
		peer = tcp_peer(pid, ino);
		break;
	default:
		peer = 0;
		break;
	}
	return peer ? scan("socket", peer, NULL, 0, 0, out) : -ENOENT;
}
