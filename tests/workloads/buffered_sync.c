/*
 * buffered_sync PATH KIB - writes KIB KiB to PATH (created or truncated)
 * through the page cache, 64 KiB per write(2), then calls syncfs(2) on it
 * and closes it.  Nothing is written to the disk by write(2): the pages
 * are only dirtied (writeback:writeback_dirty_folio, in this process).
 * syncfs queues the file system's writeback to its flusher kworker and
 * waits for it: the data requests (KIB KiB of writes) are submitted by the
 * kworker, inside writeback_single_inode for PATH's inode, while this
 * process sleeps in syncfs.  (fsync(2) would submit them from this process
 * itself.)  Journal and metadata writes go to jbd2 and the block device's
 * own writeback, not to PATH's inode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io_common.h"

#define CHUNK (64 * 1024)

int main(int argc, char **argv)
{
	static char buf[CHUNK];
	long kib, left;
	int fd;

	if (argc != 3 || parse_count(argv[2], &kib) || kib < 1 || kib % 64) {
		fprintf(stderr, "usage: buffered_sync PATH KIB (a multiple of 64)\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "buffered_sync: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(buf, 'b', sizeof(buf));
	for (left = kib * 1024; left > 0; left -= CHUNK) {
		if (write(fd, buf, CHUNK) != CHUNK) {
			fprintf(stderr, "buffered_sync: write: %s\n", strerror(errno));
			return 1;
		}
	}
	if (syncfs(fd)) {
		fprintf(stderr, "buffered_sync: syncfs: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	hold();
	return 0;
}
