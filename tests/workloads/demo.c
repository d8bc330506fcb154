/*
 * demo - the bundled workload for `make demo`: a small "service" that
 * blocks in the ways iolockprof is meant to find, in about one second.
 *
 *   1. log writer: 8000 small unbuffered write(2)s to a temp file, with an
 *      fsync(2) after every 2000 lines (an fsync storm in miniature);
 *   2. request/response: 250 round trips over a pair of pipes to a
 *      "backend" thread that sleeps 2 ms per request (N+1 round trips);
 *   3. hot lock: 3 threads take one mutex 60 times each and hold it for
 *      1 ms (futex contention);
 *   4. read-back: the log file re-read in 32-byte read(2)s;
 *   (1 and 4 take a few ms each: well above --min-saving's 1 ms on a fast
 *   machine, under 1% of the run on a slow one);
 *   5. a slow answer: one read(2) on a pipe waits 150 ms for a "cache
 *      warm-up" thread (a slow call, off-CPU in S state); the thread answers
 *      with one writev(2), so write(2) calls stay 8000 + 2 * 250 + 1;
 *   6. orders: 40 orders saved one transaction each, as an embedded
 *      database in autocommit mode does: open a journal, pwrite(2) x4,
 *      fdatasync(2) x2, close, unlink, fsync(2) of the directory (a loop
 *      of transactions: one finding, the syncs nested under it).
 *
 * The temp file lives in $TMPDIR (default /var/tmp, usually a real disk)
 * and is always removed.  A one-line summary goes to stdout at the end.
 * With WL_TIME=1, the whole run's elapsed time goes to stderr as
 * "loop_ns: <ns>" (one writev(2), like the other workloads).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wl_common.h"

#define LOG_LINES	8000
#define FSYNC_EVERY	2000
#define ROUND_TRIPS	250
#define LOCK_THREADS	3
#define LOCK_ROUNDS	60
#define ORDERS		40
#define ORDER_PAGES	4

static pthread_mutex_t hot_lock = PTHREAD_MUTEX_INITIALIZER;
static long hot_counter;

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int log_writer(int fd)
{
	char line[96];
	int i, len;

	for (i = 0; i < LOG_LINES; i++) {
		len = snprintf(line, sizeof(line),
			       "2024-01-01T00:00:%02d.%03dZ INFO request %d handled\n",
			       i / 1000 % 60, i % 1000, i);
		if (write_all(fd, line, (size_t)len))
			return -1;
		if ((i + 1) % FSYNC_EVERY == 0 && fsync(fd))
			return -1;
	}
	return 0;
}

struct backend {
	int req_rd, resp_wr;
};

static void *backend_main(void *arg)
{
	struct backend *b = arg;
	char req[32];
	ssize_t n;

	while ((n = read(b->req_rd, req, sizeof(req))) > 0) {
		sleep_ms(2);	/* "query latency" */
		if (write_all(b->resp_wr, "OK\n", 3))
			break;
	}
	close(b->resp_wr);
	return NULL;
}

static int round_trips(void)
{
	int req[2], resp[2], i, err = -1;
	struct backend b;
	pthread_t tid;
	char buf[32];

	if (pipe(req))
		return -1;
	if (pipe(resp)) {
		close(req[0]);
		close(req[1]);
		return -1;
	}
	b.req_rd = req[0];
	b.resp_wr = resp[1];
	if (pthread_create(&tid, NULL, backend_main, &b)) {
		close(req[0]); close(req[1]); close(resp[0]); close(resp[1]);
		return -1;
	}
	for (i = 0; i < ROUND_TRIPS; i++) {
		int len = snprintf(buf, sizeof(buf), "GET %d\n", i);

		if (write_all(req[1], buf, (size_t)len) || read(resp[0], buf, sizeof(buf)) <= 0)
			goto out;
	}
	err = 0;
out:
	close(req[1]);		/* backend sees EOF and exits */
	pthread_join(tid, NULL);
	close(req[0]);
	close(resp[0]);
	return err;
}

static void *lock_worker(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < LOCK_ROUNDS; i++) {
		pthread_mutex_lock(&hot_lock);
		hot_counter++;
		sleep_ms(1);	/* work done while holding the lock */
		pthread_mutex_unlock(&hot_lock);
	}
	return NULL;
}

static int hot_lock_phase(void)
{
	pthread_t tids[LOCK_THREADS];
	int i, n = 0;

	for (i = 0; i < LOCK_THREADS; i++) {
		if (pthread_create(&tids[i], NULL, lock_worker, NULL))
			break;
		n++;
	}
	for (i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	return n == LOCK_THREADS ? 0 : -1;
}

static void *warmup_main(void *arg)
{
	int fd = *(int *)arg;
	struct iovec iov = { "R", 1 };

	sleep_ms(150);	/* "warming the cache" */
	if (writev(fd, &iov, 1) != 1)
		return arg;
	return NULL;
}

static int slow_answer(void)
{
	int p[2], err = -1;
	pthread_t tid;
	void *ret = NULL;
	char c;

	if (pipe(p))
		return -1;
	if (pthread_create(&tid, NULL, warmup_main, &p[1]) == 0) {
		err = read(p[0], &c, 1) == 1 ? 0 : -1;
		pthread_join(tid, &ret);
		if (ret)
			err = -1;
	}
	close(p[0]);
	close(p[1]);
	return err;
}

/* one order, one transaction: the journal created, written, synced and deleted */
static int save_order(const char *journal, int dirfd, int order)
{
	char page[512];
	int fd, i;

	memset(page, 'o', sizeof(page));
	snprintf(page, sizeof(page), "order %d", order);
	fd = open(journal, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	for (i = 0; i < ORDER_PAGES; i++)
		if (pwrite(fd, page, sizeof(page), (off_t)i * (off_t)sizeof(page)) != (ssize_t)sizeof(page)) {
			close(fd);
			return -1;
		}
	if (fdatasync(fd) || fdatasync(fd)) {	/* the pages, then the header */
		close(fd);
		return -1;
	}
	if (close(fd) || unlink(journal))
		return -1;
	return fsync(dirfd);
}

static int orders(const char *dir, const char *path)
{
	char journal[4200];
	int dirfd, i, err = 0;

	if (snprintf(journal, sizeof(journal), "%s-journal", path) >= (int)sizeof(journal))
		return -1;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	for (i = 0; i < ORDERS && !err; i++)
		err = save_order(journal, dirfd, i);
	close(dirfd);
	return err;
}

static long read_back(int fd)
{
	char buf[32];
	long total = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	return n < 0 ? -1 : total;
}

int main(void)
{
	const char *dir = getenv("TMPDIR");
	long long t0 = now_ns();
	char path[4096];
	long bytes = -1;
	int fd, status = 1;

	if (!dir || !*dir)
		dir = "/var/tmp";
	if (snprintf(path, sizeof(path), "%s/iolockprof-demo-XXXXXX", dir) >= (int)sizeof(path))
		return 1;
	fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "demo: mkstemp in %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (log_writer(fd)) {
		fprintf(stderr, "demo: log writer: %s\n", strerror(errno));
		goto out;
	}
	if (round_trips()) {
		fprintf(stderr, "demo: round trips failed\n");
		goto out;
	}
	if (hot_lock_phase()) {
		fprintf(stderr, "demo: could not start lock threads\n");
		goto out;
	}
	bytes = read_back(fd);
	if (bytes < 0) {
		fprintf(stderr, "demo: read back: %s\n", strerror(errno));
		goto out;
	}
	if (slow_answer()) {
		fprintf(stderr, "demo: slow answer failed\n");
		goto out;
	}
	if (orders(dir, path)) {
		fprintf(stderr, "demo: orders: %s\n", strerror(errno));
		goto out;
	}
	printf("demo: %d log lines (%ld bytes), %d round trips, %ld lock rounds, %d orders\n",
	       LOG_LINES, bytes, ROUND_TRIPS, hot_counter, ORDERS);
	status = 0;
out:
	close(fd);
	unlink(path);
	fflush(stdout);
	if (wl_time_report(t0, now_ns()))
		status = 1;
	return status;
}
