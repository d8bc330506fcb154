/*
 * dio_write PATH N - N O_DIRECT writes of 4096 bytes each, at offsets 0,
 * 4096, ... of PATH, an existing file of at least N * 4096 bytes whose
 * blocks are written (e.g. dd if=/dev/zero of=PATH bs=4096 count=N
 * conv=fsync): overwriting allocated blocks changes no metadata, so each
 * write is exactly one 4096-byte write request submitted by this process,
 * and nothing else is.  Exits 3 if the file system refuses O_DIRECT (tmpfs).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	void *buf;
	long n, i;
	int fd;

	if (argc != 3 || (n = atol(argv[2])) < 1) {
		fprintf(stderr, "usage: dio_write PATH N\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "dio_write: %s: %s\n", argv[1], strerror(errno));
		return errno == EINVAL ? 3 : 1;
	}
	if (posix_memalign(&buf, 4096, 4096))
		return 1;
	memset(buf, 'd', 4096);
	for (i = 0; i < n; i++) {
		if (pwrite(fd, buf, 4096, (off_t)i * 4096) != 4096) {
			fprintf(stderr, "dio_write: pwrite: %s\n", strerror(errno));
			return errno == EINVAL ? 3 : 1;
		}
	}
	close(fd);
	free(buf);
	return 0;
}
