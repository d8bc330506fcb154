/*
 * names MODE DIR [N] - the naming cases of tests/integration/t_names*.sh.
 * Every file is created under DIR; the counts each object must show are
 * exact.  Exit 0, or 1 on a failed call.  Prints nothing.
 *
 *   overwrite  the path built in a heap buffer (4 KiB), opened, the buffer
 *              overwritten with bytes that are no path (0xf3) and freed, then
 *              5000 writes of 2 B to DIR/overwrite.txt, close
 *   many N     N different files DIR/many-I.txt, each opened, written
 *              (2 B) and closed, the path built in one reused buffer; then
 *              300 ms before the exit (as io_common.h's hold: a process
 *              that exits at once takes its memory with it)
 *   keep N     the same, each path in a buffer of its own, kept
 *   cwd        chdir(DIR/a), open("rel.txt"), 50 writes, close;
 *              chdir(DIR/b), the same; openat(dirfd of DIR/a, "at.txt"),
 *              50 writes, close; each fd held 100 ms before its close;
 *              then 300 ms before the dirfd's close and the exit
 *   cwdquick   the same, no hold before each close
 *   odd        DIR/"a b\nc\xff.txt": 2000 writes of 2 B, held 100 ms
 *   rename     DIR/before.txt opened, renamed to DIR/after.txt, held
 *              100 ms, 2000 writes of 2 B, close
 *   unlink     DIR/gone.txt opened, unlinked, 2000 writes of 2 B, held
 *              100 ms, close
 *   reuse      DIR/first.txt opened (fd F), 1 write, closed; DIR/second.txt
 *              opened (the same fd F), 2000 writes of 2 B, held 100 ms, close
 *   hold       DIR itself is the file: 2000 writes of 2 B, held 100 ms
 *              (the mount namespace case)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wl_common.h"

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int writes(int fd, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (write(fd, "ab", 2) != 2)
			return -1;
	return 0;
}

/* open path (relative to dirfd), n writes, hold, close */
static int one(int dirfd, const char *path, int n, long hold_ms)
{
	int fd = openat(dirfd, path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || writes(fd, n))
		return -1;
	nap(hold_ms);
	return close(fd);
}

static int overwrite(const char *dir)
{
	size_t len = 4096;	/* past malloc's small-chunk caches: free leaves the bytes */
	char *p = malloc(len);
	int fd;

	if (!p)
		return -1;
	snprintf(p, len, "%s/overwrite.txt", dir);
	fd = open(p, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
	/* the argument's memory now holds no path at all, then is freed */
	memset(p, 0xf3, len - 1);
	p[len - 1] = '\0';
	free(p);
	if (fd < 0 || writes(fd, 5000))
		return -1;
	return close(fd);
}

static int many(const char *dir, long n, int keep)
{
	char buf[4096], *p = buf;
	long i;

	for (i = 0; i < n; i++) {
		if (keep && !(p = malloc(strlen(dir) + 32)))
			return -1;
		snprintf(p, keep ? strlen(dir) + 32 : sizeof(buf), "%s/many-%ld.txt", dir, i);
		if (one(AT_FDCWD, p, 1, 0))
			return -1;
		/* keep: never freed, the path stays what the call read */
	}
	nap(300);
	return 0;
}

static int cwd(const char *dir, long hold_ms)
{
	char path[4096];
	int dfd;

	snprintf(path, sizeof(path), "%s/a", dir);
	if (chdir(path) || one(AT_FDCWD, "rel.txt", 50, hold_ms))
		return -1;
	snprintf(path, sizeof(path), "%s/b", dir);
	if (chdir(path) || one(AT_FDCWD, "rel.txt", 50, hold_ms))
		return -1;
	snprintf(path, sizeof(path), "%s/a", dir);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || one(dfd, "at.txt", 50, hold_ms))
		return -1;
	nap(300);	/* alive while its calls are decoded (its memory, its cwd) */
	return close(dfd);
}

int main(int argc, char **argv)
{
	static char first[4096], second[4096], path[4096];
	const char *mode = argc > 2 ? argv[1] : "", *dir = argc > 2 ? argv[2] : "";
	long n = 0;
	int fd, rc = -1;

	if (argc < 3 || argc > 4 || (argc == 4 && parse_count(argv[3], &n))) {
		fprintf(stderr, "usage: names MODE DIR [N]\n");
		return 2;
	}
	if (!strcmp(mode, "overwrite")) {
		rc = overwrite(dir);
	} else if (!strcmp(mode, "many") || !strcmp(mode, "keep")) {
		rc = many(dir, n, mode[0] == 'k');
	} else if (!strcmp(mode, "cwd") || !strcmp(mode, "cwdquick")) {
		rc = cwd(dir, mode[3] ? 0 : 100);
	} else if (!strcmp(mode, "odd")) {
		snprintf(path, sizeof(path), "%s/a b\nc\xff.txt", dir);
		rc = one(AT_FDCWD, path, 2000, 100);
	} else if (!strcmp(mode, "rename")) {
		snprintf(first, sizeof(first), "%s/before.txt", dir);
		snprintf(second, sizeof(second), "%s/after.txt", dir);
		fd = open(first, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0 && !rename(first, second)) {
			nap(100);
			rc = writes(fd, 2000) ? -1 : close(fd);
		}
	} else if (!strcmp(mode, "unlink")) {
		snprintf(first, sizeof(first), "%s/gone.txt", dir);
		fd = open(first, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0 && !unlink(first) && !writes(fd, 2000)) {
			nap(100);
			rc = close(fd);
		}
	} else if (!strcmp(mode, "reuse")) {
		snprintf(first, sizeof(first), "%s/first.txt", dir);
		snprintf(second, sizeof(second), "%s/second.txt", dir);
		rc = one(AT_FDCWD, first, 1, 0) || one(AT_FDCWD, second, 2000, 100) ? -1 : 0;
	} else if (!strcmp(mode, "hold")) {
		rc = one(AT_FDCWD, dir, 2000, 100);
	} else {
		fprintf(stderr, "names: unknown mode %s\n", mode);
		return 2;
	}
	return rc ? 1 : 0;
}
