/*
 * hostile_fifo_maps DIR T N - a tracee that lays a trap for whoever opens
 * the paths of its /proc/PID/maps by name: it copies its own executable
 * to DIR/lib.so, maps the copy, deletes it and creates a FIFO named
 * "DIR/lib.so (deleted)" (the name maps now shows for the mapping), then
 * T threads each lock and unlock one global mutex, hot_lock, N times (as
 * mutex_storm) and then heap_lock, a mutex in malloc'd memory, so a
 * profiler names the contended locks from the maps: an address in no
 * mapped ELF file (heap_lock) makes it look at every file mapping.
 * A profiler that opens "DIR/lib.so (deleted)" blocks forever in open(2):
 * nobody ever writes to the FIFO.  Then it holds 300 ms (io_common.h: the
 * locks are named while it lives) and removes the FIFO.
 * Prints "hot_lock ADDR", "heap_lock ADDR" and "fifo PATH" on stdout; exit 0, 1 on error.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_common.h"
#include "wl_mutex.h"

pthread_mutex_t hot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t *heap_lock;
static volatile unsigned long counter, heap_counter;
static long iters;

static void *worker(void *arg)
{
	long i;

	(void)arg;
	for (i = 0; i < iters; i++) {
		wl_contend(&hot_lock, &counter, 1);
		wl_contend(heap_lock, &heap_counter, 1);
	}
	return NULL;
}

/* copies /proc/self/exe to path: 0, -1 */
static int copy_self(const char *path)
{
	char buf[65536];
	ssize_t n;
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out, err = 0;

	if (in < 0)
		return -1;
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			err = -1;
	if (n < 0)
		err = -1;
	close(in);
	close(out);
	return err;
}

int main(int argc, char **argv)
{
	char lib[4096], fifo[4096 + 16];
	long t;
	void *map;
	int fd;

	if (argc != 4 || parse_count(argv[2], &t) || parse_count(argv[3], &iters) ||
	    t < 1 || t > 64 || iters < 1) {
		fprintf(stderr, "usage: hostile_fifo_maps DIR THREADS N   (1 <= THREADS <= 64)\n");
		return 2;
	}
	snprintf(lib, sizeof(lib), "%s/lib.so", argv[1]);
	snprintf(fifo, sizeof(fifo), "%s (deleted)", lib);
	if (copy_self(lib)) {
		perror(lib);
		return 1;
	}
	fd = open(lib, O_RDONLY | O_CLOEXEC);
	map = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED || close(fd) || unlink(lib) || mkfifo(fifo, 0600)) {
		perror(lib);
		return 1;
	}
	heap_lock = malloc(sizeof(*heap_lock));
	if (!heap_lock || pthread_mutex_init(heap_lock, NULL))
		return 1;
	printf("hot_lock %p\nheap_lock %p\nfifo %s\n", (void *)&hot_lock, (void *)heap_lock, fifo);
	fflush(stdout);
	if (wl_threads(t, worker))
		return 1;
	hold();
	unlink(fifo);
	munmap(map, 4096);
	free(heap_lock);
	return counter == (unsigned long)t * (unsigned long)iters * 200 && heap_counter == counter ?
	       0 : 1;
}
