// SPDX-License-Identifier: MIT
/*
 * Instance ownership proved by the kernel: lock files, names, the removal
 * of dead sessions' instances.  The protocol is drawn in include/owner.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "owner.h"

#define CLAIM_TRIES 16
#define TEST_TOKENS_ENV "ILP_TEST_INSTANCE_TOKENS"

int ilp_owner_lockdir(const char *dir, int create, int *dirfd)
{
	struct stat st;
	int fd, err;

	*dirfd = -1;
	if (create && mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)	/* a symlink: ELOOP or ENOTDIR */
		return errno == ELOOP || errno == ENOTDIR ? -EUCLEAN : -errno;
	err = -EUCLEAN;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	/* anyone else who can write here could plant or remove lock files */
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		goto out;
	*dirfd = fd;
	return 0;
out:
	close(fd);
	return err;
}

void ilp_owner_init(struct ilp_owner *ow, int dirfd)
{
	memset(ow, 0, sizeof(*ow));
	ow->dirfd = dirfd;
	ow->lockfd = -1;
}

static int token_ok(const char *s, size_t len)
{
	size_t i;

	if (len != ILP_TOKEN_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

enum ilp_owner_name ilp_owner_name_kind(const char *name)
{
	size_t plen = strlen(ILP_OWNER_PREFIX), slen = strlen(ILP_OWNER_SYS_SUFFIX), len, i;
	const char *s = name + plen;
	int sys;

	if (strncmp(name, ILP_OWNER_PREFIX, plen))
		return ILP_OWNER_OTHER;
	len = strlen(s);
	sys = len > slen && !strcmp(s + len - slen, ILP_OWNER_SYS_SUFFIX);
	if (sys)
		len -= slen;
	if (token_ok(s, len))
		return sys ? ILP_OWNER_OURS_SYS : ILP_OWNER_OURS;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return ILP_OWNER_OTHER;
	return len ? ILP_OWNER_OLD : ILP_OWNER_OTHER;
}

/* The next token: from ILP_TEST_INSTANCE_TOKENS first, then random. */
static int next_token(struct ilp_owner *ow, char *tok)
{
	const char *env = getenv(TEST_TOKENS_ENV);
	unsigned char rnd[ILP_TOKEN_LEN];
	size_t i, off = 0;
	unsigned n = 0;

	while (env && *env) {
		size_t len = strcspn(env, ",");

		if (n++ == ow->ntest) {
			ow->ntest++;
			if (token_ok(env, len)) {
				memcpy(tok, env, len);
				tok[len] = '\0';
				return 0;
			}
		}
		env += len + (env[len] == ',');
	}
	while (off < sizeof(rnd)) {
		ssize_t r = getrandom(rnd + off, sizeof(rnd) - off, 0);

		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0)
			off += (size_t)r;
	}
	for (i = 0; i < ILP_TOKEN_LEN; i++)
		tok[i] = (char)('a' + rnd[i] % 26);
	tok[ILP_TOKEN_LEN] = '\0';
	return 0;
}

/* Is dirfd/name (not followed) the file fd has open? */
static int same_file(int dirfd, const char *name, int fd)
{
	struct stat a, b;

	return !fstat(fd, &a) && !fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int ilp_owner_claim(struct ilp_owner *ow)
{
	char tok[ILP_TOKEN_LEN + 1], lock[ILP_OWNER_NAME_MAX + 8], pid[24];
	int tries, fd, err;

	for (tries = 0; tries < CLAIM_TRIES; tries++) {
		err = next_token(ow, tok);
		if (err)
			return err;
		snprintf(ow->name, sizeof(ow->name), ILP_OWNER_PREFIX "%s", tok);
		snprintf(lock, sizeof(lock), "%s.lock", ow->name);
		fd = openat(ow->dirfd, lock, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno == EEXIST)
			continue;	/* a live session's, or a dead one's not yet cleaned */
		if (fd < 0)
			return -errno;
		/* a cleaner may have locked our new file (it had no instance
		 * yet) and unlinked it: then the path is no longer our file */
		if (flock(fd, LOCK_EX | LOCK_NB) || !same_file(ow->dirfd, lock, fd)) {
			close(fd);
			continue;
		}
		/* for people: which process holds it (in its pid namespace) */
		snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
		if (write(fd, pid, strlen(pid)) < 0) {
			/* informational only */
		}
		ow->lockfd = fd;
		return 0;
	}
	ow->name[0] = '\0';
	return -EAGAIN;
}

void ilp_owner_release(struct ilp_owner *ow, int remove)
{
	char lock[ILP_OWNER_NAME_MAX + 8];

	if (ow->lockfd < 0)
		return;
	snprintf(lock, sizeof(lock), "%s.lock", ow->name);
	/* unlink before close: while we hold the lock, no cleaner acts on it */
	if (remove && same_file(ow->dirfd, lock, ow->lockfd))
		unlinkat(ow->dirfd, lock, 0);
	close(ow->lockfd);
	ow->lockfd = -1;
	ow->name[0] = '\0';
}

int ilp_owner_remove_instance(const char *instances, const char *name)
{
	char path[1024];
	int fd;

	snprintf(path, sizeof(path), "%s/%s/tracing_on", instances, name);
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		if (write(fd, "0", 1) < 0) {
			/* rmdir still tries */
		}
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/%s", instances, name);
	if (rmdir(path) && errno != ENOENT)
		return -errno;
	return 0;
}

/* Judges (and removes) one session's name; see include/owner.h. */
static enum ilp_stale_verdict judge(const char *instances, int dirfd, const char *base,
				    ilp_stale_also_fn also)
{
	char lock[ILP_OWNER_NAME_MAX + 8], sys[ILP_OWNER_NAME_MAX + 8];
	enum ilp_stale_verdict v = ILP_STALE_UNPROVABLE;
	struct stat st;
	int fd;

	if (dirfd < 0)
		return v;
	snprintf(lock, sizeof(lock), "%s.lock", base);
	fd = openat(dirfd, lock, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return v;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
		goto out;
	v = ILP_STALE_LIVE;
	/* a held lock is a live session; a path that is no longer this file
	 * was just cleaned or claimed by someone else */
	if (flock(fd, LOCK_EX | LOCK_NB) || !same_file(dirfd, lock, fd))
		goto out;
	v = ILP_STALE_BUSY;
	snprintf(sys, sizeof(sys), "%s" ILP_OWNER_SYS_SUFFIX, base);
	if (ilp_owner_remove_instance(instances, sys) || ilp_owner_remove_instance(instances, base))
		goto out;
	/* what else it owned (its uprobes), now that its instances are gone */
	if (also && also(base))
		goto out;
	unlinkat(dirfd, lock, 0);
	v = ILP_STALE_REMOVED;
out:
	close(fd);
	return v;
}

struct names {
	char **v;
	size_t n, cap;
};

static int names_add(struct names *ns, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strlen(ns->v[i]) == len && !strncmp(ns->v[i], name, len))
			return 0;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 16;
		char **v = realloc(ns->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n] = strndup(name, len);
	if (!ns->v[ns->n])
		return -ENOMEM;
	ns->n++;
	return 0;
}

static void names_release(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

/*
 * Base names of the iolockprof instances in instances (ours: to judge;
 * older versions': unprovable) and of the lock files in dirfd.
 */
static int collect(const char *instances, int dirfd, struct names *ours, struct names *old)
{
	size_t slen = strlen(ILP_OWNER_SYS_SUFFIX);
	struct dirent *de;
	DIR *d;
	int err = 0, fd;

	d = opendir(instances);
	if (!d)
		return -errno;
	while (!err && (de = readdir(d))) {
		enum ilp_owner_name k = ilp_owner_name_kind(de->d_name);
		size_t len = strlen(de->d_name);

		if (k == ILP_OWNER_OURS || k == ILP_OWNER_OURS_SYS)
			err = names_add(ours, de->d_name, k == ILP_OWNER_OURS_SYS ? len - slen : len);
		else if (k == ILP_OWNER_OLD)
			err = names_add(old, de->d_name, len > slen &&
					!strcmp(de->d_name + len - slen, ILP_OWNER_SYS_SUFFIX)
					? len - slen : len);
	}
	closedir(d);
	if (err || dirfd < 0)
		return err;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;	/* no orphan lock files cleaned this time */
	}
	while (!err && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char base[ILP_OWNER_NAME_MAX];

		if (len <= 5 || len - 5 >= sizeof(base) || strcmp(de->d_name + len - 5, ".lock"))
			continue;
		memcpy(base, de->d_name, len - 5);
		base[len - 5] = '\0';
		if (ilp_owner_name_kind(base) == ILP_OWNER_OURS)
			err = names_add(ours, base, len - 5);
	}
	closedir(d);
	return err;
}

int ilp_owner_remove_stale(const char *instances, int dirfd, ilp_stale_note_fn note, void *ctx)
{
	return ilp_owner_remove_stale_also(instances, dirfd, NULL, note, ctx);
}

int ilp_owner_remove_stale_also(const char *instances, int dirfd, ilp_stale_also_fn also,
				ilp_stale_note_fn note, void *ctx)
{
	struct names ours = { 0 }, old = { 0 };
	int err, removed = 0;
	size_t i;

	err = collect(instances, dirfd, &ours, &old);
	if (err)
		goto out;
	for (i = 0; i < ours.n; i++) {
		enum ilp_stale_verdict v = judge(instances, dirfd, ours.v[i], also);

		if (v == ILP_STALE_REMOVED)
			removed++;
		if (note)
			note(ctx, ours.v[i], v);
	}
	for (i = 0; note && i < old.n; i++)
		note(ctx, old.v[i], ILP_STALE_UNPROVABLE);
out:
	names_release(&ours);
	names_release(&old);
	return err ? err : removed;
}
