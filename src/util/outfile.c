// SPDX-License-Identifier: MIT
/*
 * Output files written safely as root: a temporary file renamed over the
 * target, side files that never follow or truncate.  See include/outfile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

struct ilp_outfile {
	FILE *f;
	char *path;		/* the target */
	char *tmp;		/* the temporary file; NULL: written directly */
	enum ilp_outfile_kind kind;
	int committed;
};

/* "-" and /dev/stdout: 1, /dev/stderr: 2, /dev/null: 0, else -1 */
static int alias_of(const char *path)
{
	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		return 1;
	if (!strcmp(path, "/dev/stderr"))
		return 2;
	if (!strcmp(path, "/dev/null"))
		return 0;
	return -1;
}

static int open_direct(struct ilp_outfile *o, int alias)
{
	int fd = alias ? fcntl(alias, F_DUPFD_CLOEXEC, 3) : open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		return -errno;
	}
	return 0;
}

/* Creates a temporary file ".BASE.XXXXXX" next to path (O_EXCL, 0600);
 * its name in *tmp.  fd or -errno. */
static int new_tmp(const char *path, char **tmp)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int fd;

	/* "dir/.base.XXXXXX"; "/x": "/.x.XXXXXX"; "x": "./.x.XXXXXX" */
	if (asprintf(tmp, "%.*s/.%s.XXXXXX", slash ? (int)(slash - path) : 1,
		     slash ? path : ".", base) < 0) {
		*tmp = NULL;
		return -ENOMEM;
	}
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		free(*tmp);
		*tmp = NULL;
	}
	return fd;
}

/* Checks the target, creates the temporary file next to it. */
static int open_tmp(struct ilp_outfile *o)
{
	const char *slash = strrchr(o->path, '/');
	int fd;
	struct stat st;

	if (!*(slash ? slash + 1 : o->path))
		return -EISDIR;
	if (!lstat(o->path, &st)) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
			return -EBADFD;
	} else if (errno != ENOENT) {
		return -errno;
	}
	fd = new_tmp(o->path, &o->tmp);
	if (fd < 0)
		return fd;
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		return -errno;	/* free() removes the file */
	}
	return 0;
}

int ilp_outfile_open(const char *path, enum ilp_outfile_kind kind, struct ilp_outfile **out)
{
	struct ilp_outfile *o;
	int alias = alias_of(path), err;

	*out = NULL;
	if (alias >= 0 && kind == ILP_OUT_TRACE)
		return -EBADFD;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->kind = kind;
	o->path = strdup(path);
	err = o->path ? 0 : -ENOMEM;
	if (!err)
		err = alias >= 0 ? open_direct(o, alias) : open_tmp(o);
	if (err) {
		ilp_outfile_free(o);
		return err;
	}
	*out = o;
	return 0;
}

FILE *ilp_outfile_stream(struct ilp_outfile *f)
{
	return f->f;
}

/* The final mode and owner: see include/outfile.h. */
static int finish_mode(struct ilp_outfile *o)
{
	int fd = fileno(o->f);
	mode_t mode, mask;
	struct stat st;
	int have = !lstat(o->path, &st) && S_ISREG(st.st_mode);

	mask = umask(0);
	umask(mask);
	mode = o->kind == ILP_OUT_TRACE ? 0600 : have ? (st.st_mode & 0777) : (0666 & ~mask);
	if (fchmod(fd, mode))
		return -errno;
	/* someone's file stays theirs (EPERM when not root: it is ours then) */
	if (have && fchown(fd, st.st_uid, st.st_gid) && errno != EPERM)
		return -errno;
	return 0;
}

int ilp_outfile_commit(struct ilp_outfile *o)
{
	int err = 0;

	if (!o || o->committed)
		return 0;
	if (fflush(o->f) || ferror(o->f))
		err = errno ? -errno : -EIO;
	if (!err && o->tmp)
		err = finish_mode(o);
	if (fclose(o->f) && !err)
		err = -errno;
	o->f = NULL;
	if (!err && o->tmp && rename(o->tmp, o->path))
		err = -errno;
	if (err)
		return err;	/* free() removes the temporary file */
	o->committed = 1;
	return 0;
}

/* Copies what fd holds into a fresh temporary file: fd of it or -errno. */
static int copy_to_new(struct ilp_outfile *o, int fd, char **tmp)
{
	char buf[65536];
	off_t off = 0;
	ssize_t n;
	int nfd = new_tmp(o->path, tmp);

	if (nfd < 0)
		return nfd;
	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		if (write(nfd, buf, (size_t)n) != n)
			break;
		off += n;
	}
	if (n != 0) {
		n = errno ? -errno : -EIO;
		close(nfd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return (int)n;
	}
	return nfd;
}

int ilp_outfile_publish(struct ilp_outfile *o)
{
	char *next = NULL;
	int err, nfd;

	if (!o || o->committed)
		return 0;
	if (fflush(o->f) || ferror(o->f))
		return errno ? -errno : -EIO;
	if (!o->tmp)
		return 0;
	/* this file becomes the target, whole; writing goes on in a copy,
	 * under the same stream (its fd now the copy's: callers keep it) */
	nfd = copy_to_new(o, fileno(o->f), &next);
	if (nfd < 0)
		return nfd;
	err = finish_mode(o);
	if (!err && rename(o->tmp, o->path))
		err = -errno;
	if (!err && dup3(nfd, fileno(o->f), O_CLOEXEC) < 0)
		err = -errno;	/* (cannot happen: both fds are valid) */
	close(nfd);
	if (err) {
		unlink(next);
		free(next);
		return err;
	}
	free(o->tmp);
	o->tmp = next;
	return 0;
}

void ilp_outfile_free(struct ilp_outfile *o)
{
	if (!o)
		return;
	if (o->f)
		fclose(o->f);
	if (o->tmp && !o->committed)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	free(o);
}

int ilp_outfile_side(struct ilp_outfile *f, const char *suffix, FILE **out, char **path)
{
	int fd;

	*out = NULL;
	*path = NULL;
	if (!f->tmp)
		return -EBADFD;
	if (asprintf(path, "%s%s", f->tmp, suffix) < 0) {
		*path = NULL;
		return -ENOMEM;
	}
	fd = open(*path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	*out = fdopen(fd, "w");
	if (*out)
		return 0;
	close(fd);
	unlink(*path);
fail:
	fd = -errno;
	free(*path);
	*path = NULL;
	return fd;
}
