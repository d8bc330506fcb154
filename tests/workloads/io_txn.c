/*
 * io_txn N DIR - a transaction per statement against a journal, as an
 * embedded database in autocommit mode does it, N times: open(DIR/journal,
 * O_CREAT), pwrite(2) x10 of 512 B at offsets 0, 512, ..., fdatasync(2) x2,
 * close, unlink(DIR/journal), fsync(2) of DIR (opened once, before the
 * loop); then holds 300 ms and exits 0.  Prints nothing.
 * Expected finding: one [loop], a transaction per item, N times:
 * openat A -> pwrite64 x10 A -> fdatasync x2 A -> close A -> unlink ->
 * fsync B (A = file DIR/journal, B = dir DIR).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io_common.h"

#define PAGES 10
#define PAGE 512

static int txn(const char *journal, int dirfd, const char *page)
{
	int fd = open(journal, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), i;

	if (fd < 0)
		return -1;
	for (i = 0; i < PAGES; i++)
		if (pwrite(fd, page, PAGE, (off_t)i * PAGE) != PAGE)
			goto fail;
	if (fdatasync(fd) || fdatasync(fd))	/* the records, then the header */
		goto fail;
	if (close(fd) || unlink(journal) || fsync(dirfd))
		return -1;
	return 0;
fail:
	close(fd);
	return -1;
}

int main(int argc, char **argv)
{
	char journal[4096], page[PAGE];
	long n, i;
	int dirfd;

	if (argc != 3 || parse_count(argv[1], &n) ||
	    snprintf(journal, sizeof(journal), "%s/journal", argv[2]) >= (int)sizeof(journal)) {
		fprintf(stderr, "usage: io_txn N DIR\n");
		return 2;
	}
	memset(page, 'p', sizeof(page));
	dirfd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return 1;
	for (i = 0; i < n; i++)
		if (txn(journal, dirfd, page))
			return 1;
	close(dirfd);
	hold();
	return 0;
}
