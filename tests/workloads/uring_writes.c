/*
 * uring_writes N SYNCS PATH - through io_uring (liburing): N writes of 64
 * bytes to PATH (created/truncated, opened with openat(2)), write i at
 * offset i * 64 (one after the other), submitted in batches of N / SYNCS; each
 * batch is followed by one IORING_OP_FSYNC, submitted alone and waited for
 * (io_uring_submit_and_wait).  So: N write requests, SYNCS fsync requests,
 * one ring, one file.  Then holds 300 ms and exits 0.  Prints nothing
 * (with WL_TIME=1, the loop's time: wl_common.h).
 * Expected findings: [unbuffered] N writes on file PATH (median 64 B),
 * [fsync storm] SYNCS syncs on file PATH.
 */
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io_common.h"

#define REC 64

static int reap(struct io_uring *ring, unsigned n, unsigned want_res)
{
	struct io_uring_cqe *cqe;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (io_uring_wait_cqe(ring, &cqe))
			return -1;
		if (cqe->res != (int)want_res && !(want_res == 0 && cqe->res == 0))
			return -1;
		io_uring_cqe_seen(ring, cqe);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct io_uring ring;
	char rec[REC];
	long n, syncs, i, batch;
	long long t0;
	int fd;

	if (argc != 4 || parse_count(argv[1], &n) || parse_count(argv[2], &syncs) ||
	    syncs < 1 || n % syncs) {
		fprintf(stderr, "usage: uring_writes N SYNCS PATH (SYNCS divides N)\n");
		return 2;
	}
	batch = n / syncs;
	memset(rec, 'u', sizeof(rec));
	rec[sizeof(rec) - 1] = '\n';
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return 1;
	if (io_uring_queue_init(batch < 64 ? 64 : (unsigned)batch, &ring, 0))
		return 1;
	t0 = now_ns();
	for (i = 0; i < n; i += batch) {
		struct io_uring_sqe *sqe;
		long k;

		for (k = 0; k < batch; k++) {
			sqe = io_uring_get_sqe(&ring);
			if (!sqe)
				return 1;
			io_uring_prep_write(sqe, fd, rec, sizeof(rec), (__u64)(i + k) * REC);
		}
		if (io_uring_submit_and_wait(&ring, (unsigned)batch) != batch ||
		    reap(&ring, (unsigned)batch, REC))
			return 1;
		sqe = io_uring_get_sqe(&ring);
		if (!sqe)
			return 1;
		io_uring_prep_fsync(sqe, fd, 0);
		if (io_uring_submit_and_wait(&ring, 1) != 1 || reap(&ring, 1, 0))
			return 1;
	}
	if (wl_time_report(t0, now_ns()))
		return 1;
	io_uring_queue_exit(&ring);
	close(fd);
	hold();
	return 0;
}
