/*
 * fifo_writer FIFO MS - the peer outside the trace: opens FIFO for
 * writing (waits for a reader), prints "ready", sleeps MS milliseconds,
 * writes "x\n" and exits 0.  A traced reader's read(2) of the FIFO waits
 * for it all that time.
 */
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "wl_common.h"

int main(int argc, char **argv)
{
	struct timespec ts;
	long ms;
	int fd;

	if (argc != 3 || parse_count(argv[2], &ms)) {
		fprintf(stderr, "usage: fifo_writer FIFO MS\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts))
		;
	if (write(fd, "x\n", 2) != 2)
		return 1;
	close(fd);
	return 0;
}
