// SPDX-License-Identifier: MIT
/*
 * fd -> object names from /proc, at decode time.  See include/resolve.h.
 *
 * Which calls: a table of names, turned into a number-indexed role array
 * once at ilp_resolver_new.  Which name wins after an open:
 *   1. the live fd's readlink, if the path argument (read from tracee
 *      memory) agrees with it (same last component, or the same file once
 *      made canonical): the fd was not closed and reused meanwhile;
 *   2. else the path argument, made absolute against /proc/TID/cwd (or the
 *      dirfd's path) and canonical (realpath), typed by stat(), flagged
 *      ILP_OBJ_F_FROM_ARG;
 *   3. else, if the argument cannot be read, the live fd's readlink only
 *      when the call is not an open (nothing to cross-check), or nothing.
 * Sockets: the inode from readlink is looked up in /proc/TID/net/ (that
 * thread's network namespace); a fresh socket() is named from its
 * arguments ("tcp (unconnected)"), connect/bind/listen name it again.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "idmap.h"
#include "pidns.h"
#include "resolve.h"
#include "syscalls.h"

#define SLOTS 1024		/* remembered enters, direct-mapped by tid */
#define POOL_CHUNK 65536
#define AT_FDCWD_V (-100)
#define EINPROGRESS_V 115

#define NF_NEVER (-1)
#define NF_ALWAYS (-2)
#define AT_SYMLINK_NOFOLLOW_V 0x100

enum rrole {
	RS_NONE = 0,
	RS_OPEN,	/* ret: new fd from the path in args[path] */
	RS_PATH,	/* path in args[path], no fd: stat, access */
	RS_SOCKET,	/* ret: new socket, family args[0], type args[1] */
	RS_RETFD,	/* ret: new fd (accept, eventfd, epoll...) */
	RS_ARG0,	/* args[0] renamed on success (connect, bind, listen) */
	RS_PAIR,	/* two fds at the int[2] in args[path] */
};

static const struct {
	const char *name;
	uint8_t role;
	int8_t path;	/* argument index of the path (or fd pair), -1 */
	int8_t dirfd;	/* argument index of the dirfd, -1 */
	int8_t nofollow;	/* a last symlink is not followed: NF_ALWAYS, or the
				 * index of a flags argument with AT_SYMLINK_NOFOLLOW */
} rrows[] = {
	{ "open", RS_OPEN, 0, -1, NF_NEVER },
	{ "creat", RS_OPEN, 0, -1, NF_NEVER },
	{ "openat", RS_OPEN, 1, 0, NF_NEVER },
	{ "openat2", RS_OPEN, 1, 0, NF_NEVER },
	{ "stat", RS_PATH, 0, -1, NF_NEVER },
	{ "lstat", RS_PATH, 0, -1, NF_ALWAYS },
	{ "stat64", RS_PATH, 0, -1, NF_NEVER },
	{ "lstat64", RS_PATH, 0, -1, NF_ALWAYS },
	{ "access", RS_PATH, 0, -1, NF_NEVER },
	{ "statfs", RS_PATH, 0, -1, NF_NEVER },
	{ "newfstatat", RS_PATH, 1, 0, 3 },
	{ "fstatat64", RS_PATH, 1, 0, 3 },
	{ "statx", RS_PATH, 1, 0, 2 },
	{ "faccessat", RS_PATH, 1, 0, NF_NEVER },
	{ "faccessat2", RS_PATH, 1, 0, 3 },
	{ "socket", RS_SOCKET, -1, -1, NF_NEVER },
	{ "accept", RS_RETFD, -1, -1, NF_NEVER },
	{ "accept4", RS_RETFD, -1, -1, NF_NEVER },
	{ "eventfd", RS_RETFD, -1, -1, NF_NEVER },
	{ "eventfd2", RS_RETFD, -1, -1, NF_NEVER },
	{ "memfd_create", RS_RETFD, -1, -1, NF_NEVER },
	{ "epoll_create", RS_RETFD, -1, -1, NF_NEVER },
	{ "epoll_create1", RS_RETFD, -1, -1, NF_NEVER },
	{ "timerfd_create", RS_RETFD, -1, -1, NF_NEVER },
	{ "inotify_init", RS_RETFD, -1, -1, NF_NEVER },
	{ "inotify_init1", RS_RETFD, -1, -1, NF_NEVER },
	{ "connect", RS_ARG0, -1, -1, NF_NEVER },
	{ "bind", RS_ARG0, -1, -1, NF_NEVER },
	{ "listen", RS_ARG0, -1, -1, NF_NEVER },
	{ "pipe", RS_PAIR, 0, -1, NF_NEVER },
	{ "pipe2", RS_PAIR, 0, -1, NF_NEVER },
	{ "socketpair", RS_PAIR, 3, -1, NF_NEVER },
};

struct rinfo {
	uint8_t role;
	int8_t path, dirfd, nofollow;
};

struct slot {
	int32_t tid, nr;	/* tid 0: empty */
	uint64_t args[6];
};

struct sock {
	unsigned long ino;
	unsigned type;
	const char *desc;	/* interned */
};

struct chunk {
	struct chunk *next;
	size_t used;
	char data[];
};

struct ilp_resolver {
	struct rinfo role[ILP_SC_MAX];
	int nr_connect, nr_socketpair;
	struct slot slots[SLOTS];
	/* intern pool */
	struct chunk *chunks;
	const char **set;
	size_t nset, setcap;
	/* socket table cache */
	struct sock *socks;
	size_t nsocks, sockcap;
	char link[PATH_MAX], arg[PATH_MAX], tmp[2 * PATH_MAX + 2];
	struct ilp_idmap canon;		/* interned absolute path -> interned canonical one */
	dev_t root_dev, mntns_dev;	/* our "/" and mount namespace: paths of threads */
	ino_t root_ino, mntns_ino;	/* with others are not made canonical here */
	int root_known;
	struct ilp_pidns *pidns;	/* in a pid namespace: kernel tid -> /proc pid */
};

/* ---- intern pool ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static char *pool_alloc(struct ilp_resolver *r, size_t len)
{
	struct chunk *c = r->chunks;
	size_t size = len > POOL_CHUNK ? len : POOL_CHUNK;
	char *p;

	if (!c || c->used + len > POOL_CHUNK) {
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->used = 0;
		c->next = r->chunks;
		r->chunks = c;
	}
	p = c->data + c->used;
	c->used += len;
	return p;
}

const char *ilp_resolver_intern(struct ilp_resolver *r, const char *s)
{
	size_t i, len;
	char *copy;

	if (r->setcap) {
		for (i = hash_str(s) & (r->setcap - 1); r->set[i]; i = (i + 1) & (r->setcap - 1))
			if (!strcmp(r->set[i], s))
				return r->set[i];
	}
	if ((r->nset + 1) * 2 > r->setcap) {
		size_t ncap = r->setcap ? r->setcap * 2 : 256, j;
		const char **set = calloc(ncap, sizeof(*set));

		if (!set)
			return NULL;
		for (i = 0; i < r->setcap; i++) {
			if (!r->set[i])
				continue;
			for (j = hash_str(r->set[i]) & (ncap - 1); set[j]; j = (j + 1) & (ncap - 1))
				;
			set[j] = r->set[i];
		}
		free(r->set);
		r->set = set;
		r->setcap = ncap;
	}
	len = strlen(s) + 1;
	copy = pool_alloc(r, len);
	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	for (i = hash_str(s) & (r->setcap - 1); r->set[i]; i = (i + 1) & (r->setcap - 1))
		;
	r->set[i] = copy;
	r->nset++;
	return copy;
}

/* ---- lifetime ---- */

int ilp_resolver_new(struct ilp_resolver **out)
{
	struct ilp_resolver *r = calloc(1, sizeof(*r));
	struct stat st;
	size_t i;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	for (i = 0; i < sizeof(rrows) / sizeof(rrows[0]); i++) {
		int nr = ilp_syscall_nr(rrows[i].name);

		if (nr < 0 || nr >= ILP_SC_MAX)
			continue;
		r->role[nr].role = rrows[i].role;
		r->role[nr].path = rrows[i].path;
		r->role[nr].dirfd = rrows[i].dirfd;
		r->role[nr].nofollow = rrows[i].nofollow;
	}
	r->nr_connect = ilp_syscall_nr("connect");
	r->nr_socketpair = ilp_syscall_nr("socketpair");
	if (!stat("/", &st)) {
		r->root_dev = st.st_dev;
		r->root_ino = st.st_ino;
		if (!stat("/proc/self/ns/mnt", &st)) {
			r->mntns_dev = st.st_dev;
			r->mntns_ino = st.st_ino;
			r->root_known = 1;
		}
	}
	*out = r;
	return 0;
}

void ilp_resolver_free(struct ilp_resolver *r)
{
	struct chunk *c, *next;

	if (!r)
		return;
	for (c = r->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(r->set);
	free(r->socks);
	ilp_idmap_release(&r->canon);
	free(r);
}

/* ---- /proc readers ---- */

/* NUL-terminated string at addr in tid's memory; 0 or -errno */
static int read_mem_str(int tid, uint64_t addr, char *buf, size_t size)
{
	char path[64];
	size_t got = 0;
	int fd, err = -EFAULT;

	if (!addr)
		return -EFAULT;
	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* page by page: the string may end just before an unmapped page */
	while (got + 1 < size) {
		uint64_t a = addr + got;
		size_t want = 4096 - (size_t)(a & 4095);
		ssize_t n;
		char *nul;

		if (want > size - 1 - got)
			want = size - 1 - got;
		n = pread(fd, buf + got, want, (off_t)a);
		if (n <= 0)
			break;
		nul = memchr(buf + got, '\0', (size_t)n);
		got += (size_t)n;
		if (nul) {
			err = 0;
			break;
		}
	}
	close(fd);
	return err;
}

static int read_mem(int tid, uint64_t addr, void *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, len, (off_t)addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

static int read_link(const char *path, char *buf, size_t size)
{
	ssize_t n = readlink(path, buf, size - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static void hex_to_addr(const char *hex, int family, unsigned port, char *out, size_t size)
{
	unsigned char a[16];
	char s[INET6_ADDRSTRLEN];
	size_t words = family == AF_INET ? 1 : 4, w;
	int ok = strlen(hex) == words * 8;	/* else a line we do not understand */

	for (w = 0; ok && w < words; w++) {
		char part[9], *end;
		uint32_t v;

		memcpy(part, hex + w * 8, 8);
		part[8] = '\0';
		v = (uint32_t)strtoul(part, &end, 16);
		ok = *end == '\0';
		memcpy(a + w * 4, &v, 4);	/* the kernel printed host-order words */
	}
	if (!ok || !inet_ntop(family, a, s, sizeof(s)))
		snprintf(s, sizeof(s), "?");
	if (family == AF_INET)
		snprintf(out, size, "%s:%u", s, port);
	else
		snprintf(out, size, "[%s]:%u", s, port);
}

static int sock_add(struct ilp_resolver *r, unsigned long ino, unsigned type, const char *desc)
{
	const char *d = ilp_resolver_intern(r, desc);

	if (!d)
		return -ENOMEM;
	if (r->nsocks == r->sockcap) {
		size_t cap = r->sockcap ? r->sockcap * 2 : 64;
		struct sock *v = realloc(r->socks, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->socks = v;
		r->sockcap = cap;
	}
	r->socks[r->nsocks].ino = ino;
	r->socks[r->nsocks].type = type;
	r->socks[r->nsocks].desc = d;
	r->nsocks++;
	return 0;
}

static void load_inet(struct ilp_resolver *r, int tid, const char *file, int family, unsigned type)
{
	char path[64], line[512], lhex[33], rhex[33], l[64], p[64], desc[160];
	unsigned lport, rport, st;
	unsigned long ino;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/%s", tid, file);
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {	/* header */
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*d: %32[0-9A-Fa-f]:%x %32[0-9A-Fa-f]:%x %x %*x:%*x %*x:%*x %*x %*u %*u %lu",
			   lhex, &lport, rhex, &rport, &st, &ino) != 6 || !ino)
			continue;
		hex_to_addr(lhex, family, lport, l, sizeof(l));
		hex_to_addr(rhex, family, rport, p, sizeof(p));
		if (type == ILP_OBJ_TCP && st == 0x0A)
			snprintf(desc, sizeof(desc), "%s (listening)", l);
		else if (!rport)
			snprintf(desc, sizeof(desc), "%s", l);
		else
			snprintf(desc, sizeof(desc), "%s -> %s", l, p);
		if (sock_add(r, ino, type, desc))
			break;
	}
	fclose(f);
}

static void load_unix(struct ilp_resolver *r, int tid)
{
	char path[64], line[512], name[256], desc[300];
	unsigned long ino;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/net/unix", tid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		name[0] = '\0';
		n = sscanf(line, "%*x: %*x %*x %*x %*x %*x %lu %255s", &ino, name);
		if (n < 1 || !ino)
			continue;
		if (n == 2 && name[0])
			snprintf(desc, sizeof(desc), "%s", name);
		else
			snprintf(desc, sizeof(desc), "socket:[%lu]", ino);
		if (sock_add(r, ino, ILP_OBJ_UNIX, desc))
			break;
	}
	fclose(f);
}

static const struct sock *sock_find(const struct ilp_resolver *r, unsigned long ino)
{
	size_t i;

	for (i = r->nsocks; i-- > 0;)	/* newest first: a reused inode */
		if (r->socks[i].ino == ino)
			return &r->socks[i];
	return NULL;
}

/* the socket's addresses; re-reads the tables once if ino is not cached */
static const struct sock *sock_lookup(struct ilp_resolver *r, int tid, unsigned long ino,
				      int reload)
{
	const struct sock *s = sock_find(r, ino);

	if (s && !reload)
		return s;
	r->nsocks = 0;	/* a fresh read: connections change state */
	load_inet(r, tid, "tcp", AF_INET, ILP_OBJ_TCP);
	load_inet(r, tid, "tcp6", AF_INET6, ILP_OBJ_TCP);
	load_inet(r, tid, "udp", AF_INET, ILP_OBJ_UDP);
	load_inet(r, tid, "udp6", AF_INET6, ILP_OBJ_UDP);
	load_unix(r, tid);
	return sock_find(r, ino);
}

static unsigned stat_type(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return ILP_OBJ_FILE;
	if (S_ISDIR(st.st_mode))
		return ILP_OBJ_DIR;
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		return ILP_OBJ_DEV;
	if (S_ISFIFO(st.st_mode))
		return ILP_OBJ_PIPE;
	return ILP_OBJ_FILE;
}

static int fd_cloexec(int tid, int fd)
{
	char path[64], line[128];
	unsigned long flags;
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tid, fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %lo", &flags) == 1) {
			ret = !!(flags & O_CLOEXEC);
			break;
		}
	fclose(f);
	return ret;
}

/* names what readlink said; reload: re-read socket tables even on a hit */
static int name_link(struct ilp_resolver *r, int tid, const char *fdpath, const char *link,
		     int reload, unsigned *type, const char **str)
{
	unsigned long ino;
	const struct sock *s;

	if (link[0] == '/') {
		*type = stat_type(fdpath);
		*str = ilp_resolver_intern(r, link);
	} else if (sscanf(link, "socket:[%lu]", &ino) == 1) {
		s = sock_lookup(r, tid, ino, reload);
		if (s) {
			*type = s->type;
			*str = s->desc;
		} else {
			*type = ILP_OBJ_SOCKET;
			*str = ilp_resolver_intern(r, link);
		}
	} else if (!strncmp(link, "pipe:", 5)) {
		*type = ILP_OBJ_PIPE;
		*str = ilp_resolver_intern(r, link);
	} else if (!strcmp(link, "anon_inode:[eventfd]")) {
		*type = ILP_OBJ_EVENTFD;
		*str = ilp_resolver_intern(r, link + 11);
	} else if (!strncmp(link, "anon_inode:", 11)) {
		*type = ILP_OBJ_ANON;
		*str = ilp_resolver_intern(r, link + 11);
	} else {
		*type = ILP_OBJ_OTHER;
		*str = ilp_resolver_intern(r, link);
	}
	return *str ? 0 : -ENOMEM;
}

static int resolve_fd(struct ilp_resolver *r, int tid, int fd, int with_flags, int reload,
		      unsigned *type, const char **str)
{
	char path[64];
	int err;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", tid, fd);
	err = read_link(path, r->link, sizeof(r->link));
	if (err)
		return err;
	err = name_link(r, tid, path, r->link, reload, type, str);
	if (!err && with_flags && fd_cloexec(tid, fd))
		*type |= ILP_OBJ_F_CLOEXEC;
	return err;
}

int ilp_resolve_fd(struct ilp_resolver *r, int tid, int fd, int with_flags,
		   unsigned *type, const char **str)
{
	if (r->pidns && (tid = ilp_pidns_proc_pid(r->pidns, tid)) <= 0)
		return -ESRCH;
	return resolve_fd(r, tid, fd, with_flags, 0, type, str);
}

void ilp_resolver_set_pidns(struct ilp_resolver *r, struct ilp_pidns *ns)
{
	r->pidns = ns;
}

int ilp_resolve_scan(struct ilp_resolver *r, int pid,
		     int (*fn)(void *ctx, int fd, unsigned type, const char *str), void *ctx)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int err = 0;

	if (r->pidns && (pid = ilp_pidns_proc_pid(r->pidns, pid)) <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while (!err && (de = readdir(d))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		unsigned type;
		const char *str;

		if (*end || end == de->d_name || fd < 0 || fd == dirfd(d))
			continue;
		if (resolve_fd(r, pid, (int)fd, 1, 0, &type, &str))
			continue;	/* closed meanwhile */
		err = fn(ctx, (int)fd, type, str);
	}
	closedir(d);
	return err;
}

/* procfs and devfs names are magic links (/proc/self, /dev/fd/N, /dev/stdin):
 * resolved here they would name the profiler's own files */
static int magic_path(const char *p)
{
	return !strncmp(p, "/proc/", 6) || !strcmp(p, "/proc") || !strncmp(p, "/dev/", 5);
}

/* 1 if thread tid sees our root and our mount namespace: only then does a
 * path of its mean the same file here */
static int same_view(const struct ilp_resolver *r, int tid)
{
	char link[64];
	struct stat st;

	if (!r->root_known)
		return 0;
	snprintf(link, sizeof(link), "/proc/%d/root", tid);
	if (stat(link, &st) || st.st_dev != r->root_dev || st.st_ino != r->root_ino)
		return 0;
	snprintf(link, sizeof(link), "/proc/%d/ns/mnt", tid);
	return !stat(link, &st) && st.st_dev == r->mntns_dev && st.st_ino == r->mntns_ino;
}

/* realpath of interned path p, cached (fresh: recomputed); p itself when
 * it cannot be resolved or resolves into /proc or /dev; NULL on ENOMEM */
static const char *real_cached(struct ilp_resolver *r, const char *p, int fresh)
{
	char real[PATH_MAX];
	const char *c = fresh ? NULL : ilp_idmap_get(&r->canon, (uint64_t)(uintptr_t)p);

	if (c)
		return c;
	if (!realpath(p, real))
		return p;	/* not cached: it may exist at the next call */
	if (magic_path(real))
		return p;	/* /etc/mtab -> /proc/self/mounts: ours, not the tracee's */
	c = ilp_resolver_intern(r, real);
	if (!c || ilp_idmap_put(&r->canon, (uint64_t)(uintptr_t)p, (void *)c))
		return NULL;
	return c;
}

/*
 * abs (interned, absolute) as the kernel names the file an fd holds:
 * symlinks and "." / ".." resolved (/lib/x.so -> /usr/lib/x.so on a merged
 * /usr), so an object has one name whether it came from /proc/TID/fd or
 * from the call's argument.  nofollow (lstat, AT_SYMLINK_NOFOLLOW) and a
 * file that does not exist: only the directory is resolved, the last name
 * kept.  Left as it is when the thread has another root or mount
 * namespace (the path means something else here) and for /proc and /dev
 * names.  Cached by path: a storm of opens or stats of the same paths
 * costs a stat of the thread's root and namespace each.  fresh: the cache
 * is not trusted (a symlink may have moved).  NULL on ENOMEM.
 */
static const char *canonical(struct ilp_resolver *r, int tid, const char *abs, int nofollow,
			     int fresh)
{
	char dir[PATH_MAX], buf[2 * PATH_MAX + 2];
	const char *slash, *base, *d, *c;
	struct stat st;

	if (magic_path(abs) || !same_view(r, tid))
		return abs;
	if (!nofollow && (c = fresh ? NULL : ilp_idmap_get(&r->canon, (uint64_t)(uintptr_t)abs)))
		return c;
	if (!nofollow && !lstat(abs, &st))
		return real_cached(r, abs, fresh);
	slash = strrchr(abs, '/');
	base = slash + 1;
	if (!slash || !*base || !strcmp(base, ".") || !strcmp(base, "..") ||
	    (size_t)(slash - abs) >= sizeof(dir))
		return abs;
	memcpy(dir, abs, (size_t)(slash - abs));
	dir[slash - abs] = '\0';
	if (!dir[0])
		return abs;	/* "/name": nothing to resolve above it */
	d = ilp_resolver_intern(r, dir);
	if (!d || !(d = real_cached(r, d, fresh)))
		return NULL;
	snprintf(buf, sizeof(buf), "%s%s%s", d, strcmp(d, "/") ? "/" : "", base);
	return ilp_resolver_intern(r, buf);
}

/* the path argument, absolute (interned in *abs; the raw argument in r->arg);
 * 0 or -errno */
static int arg_path(struct ilp_resolver *r, int tid, const struct slot *sl, const struct rinfo *ri,
		    const char **abs)
{
	char base[PATH_MAX], link[64];
	int dirfd = ri->dirfd >= 0 ? (int)sl->args[ri->dirfd] : AT_FDCWD_V;
	int err;

	err = read_mem_str(tid, sl->args[ri->path], r->arg, sizeof(r->arg));
	if (err)
		return err;
	if (!r->arg[0])
		return -ENOENT;	/* AT_EMPTY_PATH: about the dirfd itself */
	if (r->arg[0] == '/') {
		snprintf(r->tmp, sizeof(r->tmp), "%s", r->arg);
	} else {
		if (dirfd == AT_FDCWD_V)
			snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
		else
			snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, dirfd);
		if (read_link(link, base, sizeof(base)) || base[0] != '/')
			return -ENOENT;
		snprintf(r->tmp, sizeof(r->tmp), "%s%s%s", base, strcmp(base, "/") ? "/" : "",
			 r->arg);
	}
	*abs = ilp_resolver_intern(r, r->tmp);
	return *abs ? 0 : -ENOMEM;
}

/* 1 if the call does not follow a last symlink (lstat, AT_SYMLINK_NOFOLLOW) */
static int no_follow(const struct slot *sl, const struct rinfo *ri)
{
	if (ri->nofollow == NF_ALWAYS)
		return 1;
	return ri->nofollow >= 0 && (sl->args[ri->nofollow] & AT_SYMLINK_NOFOLLOW_V);
}

/* the path argument, canonical, and the type of what it names; 0 or -errno */
static int arg_name(struct ilp_resolver *r, int tid, const struct slot *sl, const struct rinfo *ri,
		    const char **str, unsigned *type)
{
	const char *abs;
	struct stat st;
	int err = arg_path(r, tid, sl, ri, &abs), nf = no_follow(sl, ri);

	if (err)
		return err;
	*str = canonical(r, tid, abs, nf, 0);
	if (!*str)
		return -ENOMEM;
	*type = nf && !lstat(*str, &st) && S_ISLNK(st.st_mode) ? ILP_OBJ_FILE : stat_type(*str);
	return 0;
}

/* last path component, trailing slashes ignored: compares "/a/b/" and "b" */
static int same_last(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), sa, sb;

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (lb > 1 && b[lb - 1] == '/')
		lb--;
	for (sa = la; sa > 0 && a[sa - 1] != '/'; sa--)
		;
	for (sb = lb; sb > 0 && b[sb - 1] != '/'; sb--)
		;
	return la - sa == lb - sb && !memcmp(a + sa, b + sb, la - sa);
}

static struct slot *slot_of(struct ilp_resolver *r, int tid)
{
	return &r->slots[(unsigned)tid & (SLOTS - 1)];
}

static void fill(struct ilp_event *out, const struct ilp_event *ev, int fd, unsigned type,
		 const char *str)
{
	memset(out, 0, sizeof(*out));
	out->ts = ev->ts;
	out->pid = ev->pid;
	out->tid = ev->tid;
	out->cpu = ev->cpu;
	out->nr = -1;
	out->kind = ILP_EV_FD_INFO;
	out->fd.fd = fd;
	out->fd.type = type;
	out->fd.str = str;
}

/* a fresh socket: "(unconnected, fd N)"; its type from socket()'s arguments */
static int sock_kind(uint64_t family, uint64_t stype, int fd, char *buf, size_t size,
		     unsigned *type)
{
	stype &= 0xf;
	if (family == AF_INET || family == AF_INET6)
		*type = stype == SOCK_STREAM ? ILP_OBJ_TCP : stype == SOCK_DGRAM ? ILP_OBJ_UDP
									  : ILP_OBJ_SOCKET;
	else if (family == AF_UNIX)
		*type = ILP_OBJ_UNIX;
	else
		return -ENOENT;
	snprintf(buf, size, "(unconnected%s, fd %d)", family == AF_INET6 ? ", ipv6" : "", fd);
	return 0;
}

/* connect's address from tracee memory, when the socket tables no longer
 * have it (closed by the time we decode): "? -> PEER" */
static int sock_peer_arg(int tid, uint64_t addr, uint64_t len, char *buf, size_t size,
			 unsigned *type)
{
	struct sockaddr_storage ss;
	char a[INET6_ADDRSTRLEN];

	memset(&ss, 0, sizeof(ss));
	if (!addr || len < sizeof(sa_family_t) || len > sizeof(ss) ||
	    read_mem(tid, addr, &ss, (size_t)len))
		return -EFAULT;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&ss;

		inet_ntop(AF_INET, &in->sin_addr, a, sizeof(a));
		snprintf(buf, size, "? -> %s:%u", a, ntohs(in->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof(a));
		snprintf(buf, size, "? -> [%s]:%u", a, ntohs(in6->sin6_port));
	} else if (ss.ss_family == AF_UNIX) {
		const struct sockaddr_un *un = (const void *)&ss;
		size_t n = (size_t)len - offsetof(struct sockaddr_un, sun_path);

		if (!n || n > sizeof(un->sun_path))
			return -EINVAL;
		if (un->sun_path[0])
			snprintf(buf, size, "-> %.*s", (int)strnlen(un->sun_path, n), un->sun_path);
		else
			snprintf(buf, size, "-> @%.*s", (int)(n - 1), un->sun_path + 1);
	} else {
		return -ENOENT;
	}
	*type = ILP_OBJ_SOCKET;	/* the model keeps the protocol socket() gave */
	return 0;
}

int ilp_resolver_on_event(struct ilp_resolver *r, const struct ilp_event *ev,
			  struct ilp_event out[ILP_RESOLVE_MAX])
{
	const struct rinfo *ri;
	struct slot *sl;
	unsigned type, atype;
	const char *str, *astr, *c;
	int have, fd, err, tid, n = 0;

	if (r->pidns)	/* threads of a proved process, exits */
		ilp_pidns_on_event(r->pidns, ev);
	if ((ev->kind != ILP_EV_SYS_ENTER && ev->kind != ILP_EV_SYS_EXIT) ||
	    ev->nr < 0 || ev->nr >= ILP_SC_MAX || !r->role[ev->nr].role)
		return 0;
	ri = &r->role[ev->nr];
	sl = slot_of(r, ev->tid);
	if (ev->kind == ILP_EV_SYS_ENTER) {
		sl->tid = ev->tid;
		sl->nr = ev->nr;
		memcpy(sl->args, ev->args, sizeof(sl->args));
		return 0;
	}
	have = sl->tid == ev->tid && sl->nr == ev->nr;
	sl->tid = 0;
	/* the thread as /proc here knows it: in a pid namespace, its
	 * process's pid here when proved (threads share its fds and memory),
	 * else no /proc read at all (pidns.h) */
	tid = r->pidns ? ilp_pidns_proc_pid(r->pidns, ev->tid) : ev->tid;
	if (tid <= 0 && ri->role != RS_SOCKET)
		return 0;
	switch (ri->role) {
	case RS_OPEN:
		if (ev->ret < 0) {
			if (have && !arg_name(r, tid, sl, ri, &astr, &atype))
				fill(&out[n++], ev, ILP_FD_PATHARG, atype, astr);
			return n;
		}
		fd = (int)ev->ret;
		err = resolve_fd(r, tid, fd, 0, 0, &type, &str);
		if (!have || arg_path(r, tid, sl, ri, &astr))
			return 0;	/* nothing to check a live fd against: could be reused */
		if (!err && same_last(str, r->arg)) {
			fill(&out[n++], ev, fd, type, str);
			return n;
		}
		/* a symlink, "..": the same file?  Asked again without the cache
		 * when it says no (a symlink re-pointed since) */
		c = canonical(r, tid, astr, 0, 0);
		if (c && !err && strcmp(str, c))
			c = canonical(r, tid, astr, 0, 1);
		if (!c)
			return 0;
		if (!err && !strcmp(str, c))
			fill(&out[n++], ev, fd, type, str);
		else
			fill(&out[n++], ev, fd, stat_type(c) | ILP_OBJ_F_FROM_ARG, c);
		return n;
	case RS_PATH:
		if (have && !arg_name(r, tid, sl, ri, &astr, &atype))
			fill(&out[n++], ev, ILP_FD_PATHARG, atype, astr);
		return n;
	case RS_SOCKET:
		if (ev->ret < 0 || !have ||
		    sock_kind(sl->args[0], sl->args[1], (int)ev->ret, r->tmp, sizeof(r->tmp), &type))
			return 0;
		str = ilp_resolver_intern(r, r->tmp);
		if (str)
			fill(&out[n++], ev, (int)ev->ret, type, str);
		return n;
	case RS_RETFD:
		if (ev->ret < 0 || resolve_fd(r, tid, (int)ev->ret, 0, 1, &type, &str))
			return 0;
		fill(&out[n++], ev, (int)ev->ret, type, str);
		return n;
	case RS_ARG0:
		if ((ev->ret != 0 && ev->ret != -EINPROGRESS_V) || !have)
			return 0;
		err = resolve_fd(r, tid, (int)sl->args[0], 0, 1, &type, &str);
		if (err || (type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_SOCKET) {
			/* gone, or not in the tables: connect's own argument, or keep the old name */
			if (ev->nr != r->nr_connect ||
			    sock_peer_arg(tid, sl->args[1], sl->args[2], r->tmp, sizeof(r->tmp),
					  &type) || !(str = ilp_resolver_intern(r, r->tmp)))
				return 0;
			type |= ILP_OBJ_F_FROM_ARG;
		}
		fill(&out[n++], ev, (int)sl->args[0], type, str);
		return n;
	case RS_PAIR: {
		int fds[2], ok[2], i;
		unsigned types[2];
		const char *strs[2];

		if (ev->ret != 0 || !have || read_mem(tid, sl->args[ri->path], fds, sizeof(fds)))
			return 0;
		for (i = 0; i < 2; i++)
			ok[i] = !resolve_fd(r, tid, fds[i], 0, 1, &types[i], &strs[i]);
		/* pipe()'s two fds are the two ends of one pipe: one end named
		 * names the other, already closed (a socketpair is two sockets) */
		for (i = 0; i < 2; i++)
			if (!ok[i] && ok[!i] && (types[!i] & ILP_OBJ_TYPE_MASK) == ILP_OBJ_PIPE &&
			    ev->nr != r->nr_socketpair) {
				types[i] = types[!i];	/* pipe2's flags are both ends' */
				strs[i] = strs[!i];
				ok[i] = 1;
			}
		for (i = 0; i < 2; i++)
			if (ok[i])
				fill(&out[n++], ev, fds[i], types[i], strs[i]);
		return n;
	}
	default:
		return 0;
	}
}
