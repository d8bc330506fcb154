// SPDX-License-Identifier: MIT
/*
 * The resolver's reads: /proc/TID/fd links, tracee memory, stat and
 * realpath as the tracee sees the file.  Paths are only ever resolved when
 * absolute: nothing here depends on the profiler's working directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "resolve_internal.h"

#define CANON_MAX 4096		/* cached canonical names; all dropped when full */

struct canon {
	struct canon *next;	/* same hash */
	char *abs, *real;
};

uint64_t ilp_res_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * n bytes of tid's memory at a into buf, with no file opened (the tracee
 * waits while --names=exact reads it: process_vm_readv is one call), else
 * through /proc/TID/mem (*fd: opened on first need).  Bytes read, or -1.
 */
static ssize_t read_at(int tid, int *fd, uint64_t a, void *buf, size_t n)
{
	struct iovec local = { buf, n }, remote = { (void *)(uintptr_t)a, n };
	char path[64];
	ssize_t r;

	if (*fd < 0) {
		r = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (r >= 0 || (errno != ENOSYS && errno != EPERM))
			return r;
		snprintf(path, sizeof(path), "/proc/%d/mem", tid);
		*fd = open(path, O_RDONLY | O_CLOEXEC);
		if (*fd < 0)
			return -1;
	}
	return pread(*fd, buf, n, (off_t)a);
}

int ilp_res_read_str(int tid, uint64_t addr, char **out)
{
	char buf[PATH_MAX];
	size_t got = 0;
	int fd = -1, err = -EFAULT;

	*out = NULL;
	if (!addr)
		return -EFAULT;
	/* page by page: the string may end just before an unmapped page */
	while (got + 1 < sizeof(buf)) {
		uint64_t a = addr + got;
		size_t want = 4096 - (size_t)(a & 4095);
		ssize_t n;
		char *nul;

		if (want > sizeof(buf) - 1 - got)
			want = sizeof(buf) - 1 - got;
		n = read_at(tid, &fd, a, buf + got, want);
		if (n <= 0) {
			if (n < 0 && errno == ESRCH)
				err = -ESRCH;
			break;
		}
		nul = memchr(buf + got, '\0', (size_t)n);
		got += (size_t)n;
		if (nul) {
			err = 0;
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	if (err)
		return err;
	*out = strdup(buf);
	return *out ? 0 : -ENOMEM;
}

int ilp_res_read_mem(int tid, uint64_t addr, void *buf, size_t len)
{
	int fd = -1;
	ssize_t n = read_at(tid, &fd, addr, buf, len);
	int err = n < 0 ? -errno : 0;

	if (fd >= 0)
		close(fd);
	if (err)
		return err == -ESRCH || err == -ENOENT ? err : -EFAULT;
	return n == (ssize_t)len ? 0 : -EFAULT;
}

int ilp_res_link(const char *path, char **out)
{
	char buf[PATH_MAX + 16];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	*out = NULL;
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	*out = strdup(buf);
	return *out ? 0 : -ENOMEM;
}

unsigned ilp_res_mode_type(mode_t mode)
{
	if (S_ISDIR(mode))
		return ILP_OBJ_DIR;
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return ILP_OBJ_DEV;
	if (S_ISFIFO(mode))
		return ILP_OBJ_PIPE;
	return ILP_OBJ_FILE;
}

void ilp_res_snap(struct ilp_resolver *r, int tid, int fd, struct snap *s)
{
	char path[64];
	struct stat st;
	int err;

	ilp_res_snap_release(s);
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", tid, fd);
	err = ilp_res_link(path, &s->link);
	s->at = ilp_res_now();
	if (err) {
		/* no such fd, or no such process at all */
		snprintf(path, sizeof(path), "/proc/%d", tid);
		s->state = err == -ENOENT && !access(path, F_OK) ? SNAP_GONE :
			   err == -ENOMEM ? SNAP_NONE : SNAP_NOPROC;
		return;
	}
	s->state = SNAP_OK;
	if (!stat(path, &st)) {	/* follows the magic link: the open file itself */
		s->stat_ok = 1;
		s->dev = st.st_dev;
		s->ino = st.st_ino;
		s->mode = st.st_mode;
	}
	s->sock = ilp_sock_link_ino(s->link);
	if (s->sock) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", tid);
		if (!stat(path, &st))
			s->netns = st.st_ino;
	}
	(void)r;
}

void ilp_res_snap_release(struct snap *s)
{
	free(s->link);
	free(s->sdesc);
	memset(s, 0, sizeof(*s));
}

int ilp_res_snap_name(const struct snap *s, unsigned *type, char *buf, size_t size)
{
	const char *l = s->link;

	if (s->state != SNAP_OK || !l)
		return -ENOENT;
	if (l[0] == '/') {
		*type = s->stat_ok ? ilp_res_mode_type(s->mode) : ILP_OBJ_FILE;
		snprintf(buf, size, "%s", l);
	} else if (s->sock) {
		if (s->sock_found) {
			*type = s->stype;
			snprintf(buf, size, "%s", s->sdesc);
		} else {
			*type = ILP_OBJ_SOCKET;
			snprintf(buf, size, "%s", l);
		}
	} else if (!strncmp(l, "pipe:", 5)) {
		*type = ILP_OBJ_PIPE;
		snprintf(buf, size, "%s", l);
	} else if (!strcmp(l, "anon_inode:[eventfd]")) {
		*type = ILP_OBJ_EVENTFD;
		snprintf(buf, size, "%s", l + 11);
	} else if (!strncmp(l, "anon_inode:", 11)) {
		*type = ILP_OBJ_ANON;
		snprintf(buf, size, "%s", l + 11);
	} else {
		*type = ILP_OBJ_OTHER;
		snprintf(buf, size, "%s", l);
	}
	return 0;
}

int ilp_res_same_view(const struct ilp_resolver *r, int tid)
{
	char link[64];
	struct stat st;

	if (!r->root_known)
		return 0;
	snprintf(link, sizeof(link), "/proc/%d/root", tid);
	if (stat(link, &st))
		return -1;
	if (st.st_dev != r->root_dev || st.st_ino != r->root_ino)
		return 0;
	snprintf(link, sizeof(link), "/proc/%d/ns/mnt", tid);
	if (stat(link, &st))
		return -1;
	return st.st_dev == r->mntns_dev && st.st_ino == r->mntns_ino;
}

int ilp_res_stat(int tid, int view, const char *abs, int nofollow, struct stat *st)
{
	char path[PATH_MAX + 64];

	if (abs[0] != '/')
		return -EINVAL;	/* never relative to the profiler's cwd */
	if (view == 1) {
		if (nofollow ? lstat(abs, st) : stat(abs, st))
			return -errno;
		return 0;
	}
	/* another root or mount namespace: the path as the thread sees it */
	if (snprintf(path, sizeof(path), "/proc/%d/root%s", tid, abs) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (nofollow ? lstat(path, st) : stat(path, st))
		return -errno;
	return 0;
}

/* procfs and devfs names are magic links (/proc/self, /dev/fd/N, /dev/stdin):
 * resolved here they would name the profiler's own files */
static int magic_path(const char *p)
{
	return !strncmp(p, "/proc/", 6) || !strcmp(p, "/proc") || !strncmp(p, "/dev/", 5);
}

static struct canon *canon_find(struct ilp_resolver *r, const char *abs, uint64_t h)
{
	struct canon *c;

	for (c = ilp_umap_get(&r->canon, h); c; c = c->next)
		if (!strcmp(c->abs, abs))
			return c;
	return NULL;
}

void ilp_res_canon_release(struct ilp_resolver *r)
{
	size_t i;

	for (i = 0; i < r->canon.cap; i++) {
		struct canon *c = ilp_umap_slot(&r->canon, i, NULL), *next;

		for (; c; c = next) {
			next = c->next;
			free(c->abs);
			free(c->real);
			free(c);
		}
	}
	ilp_umap_release(&r->canon);
}

/* realpath of abs, cached (fresh: recomputed); 0 and buf, or -errno */
static int real_cached(struct ilp_resolver *r, const char *abs, int fresh, char *buf, size_t size)
{
	uint64_t h = ilp_siphash(r->hkey, abs, strlen(abs));
	struct canon *c = canon_find(r, abs, h), *head;
	char real[PATH_MAX];

	if (c && !fresh) {
		snprintf(buf, size, "%s", c->real);
		return 0;
	}
	if (!realpath(abs, real))
		return -errno;	/* not cached: it may exist at the next call */
	if (magic_path(real))
		return -EXDEV;	/* /etc/mtab -> /proc/self/mounts: ours, not the tracee's */
	snprintf(buf, size, "%s", real);
	if (c) {
		char *s = strdup(real);

		if (s) {
			free(c->real);
			c->real = s;
		}
		return 0;
	}
	if (r->canon.n >= CANON_MAX)
		ilp_res_canon_release(r);	/* a cache: start again */
	c = calloc(1, sizeof(*c));
	if (!c)
		return 0;
	c->abs = strdup(abs);
	c->real = strdup(real);
	head = ilp_umap_get(&r->canon, h);
	c->next = head;
	if (!c->abs || !c->real || ilp_umap_put(&r->canon, h, c)) {
		free(c->abs);
		free(c->real);
		free(c);
	}
	return 0;
}

/*
 * abs as the kernel names the file an fd holds: symlinks and "." / ".."
 * resolved (/lib/x.so -> /usr/lib/x.so on a merged /usr), so a file has one
 * name whether it came from /proc or from the argument.  nofollow (lstat,
 * AT_SYMLINK_NOFOLLOW) and a file that does not exist: only the directory
 * is resolved.  Left as it is for a thread with another root or mount
 * namespace (realpath here would walk our tree) and for /proc and /dev.
 */
int ilp_res_canonical(struct ilp_resolver *r, int tid, int view, const char *abs, int nofollow,
		      char *buf, size_t size)
{
	char dir[PATH_MAX], d[PATH_MAX];
	const char *slash, *base;
	struct stat st;

	(void)tid;
	snprintf(buf, size, "%s", abs);
	if (abs[0] != '/')
		return -EINVAL;
	if (magic_path(abs) || view != 1)
		return 0;
	if (!nofollow && !lstat(abs, &st)) {
		if (real_cached(r, abs, 0, buf, size))
			snprintf(buf, size, "%s", abs);
		return 0;
	}
	slash = strrchr(abs, '/');
	base = slash + 1;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..") ||
	    (size_t)(slash - abs) >= sizeof(dir) || slash == abs)
		return 0;
	memcpy(dir, abs, (size_t)(slash - abs));
	dir[slash - abs] = '\0';
	if (real_cached(r, dir, 0, d, sizeof(d)))
		return 0;
	snprintf(buf, size, "%s%s%s", d, strcmp(d, "/") ? "/" : "", base);
	return 0;
}
