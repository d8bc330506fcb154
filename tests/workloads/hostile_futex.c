/*
 * hostile_futex N T M - futex calls on N distinct addresses, then a hot
 * lock.  For each of N ints of one calloc'd array (N distinct futex
 * addresses): one FUTEX_WAIT_PRIVATE whose value does not match (fails
 * at once with EAGAIN: a wait attempt that never sleeps) and one
 * FUTEX_WAKE_PRIVATE (wakes nobody, returns 0): exactly 2N futex(2)
 * calls, N EAGAIN, by the main thread, before any thread exists.  Then T
 * threads lock and unlock the global mutex hot_lock M times each (as
 * mutex_storm): the contended lock a profiler must still name after the
 * N addresses.  Prints "hot_lock ADDR" and "array ADDR" on stdout first.
 * Exit 0, 1 on error.
 */
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wl_common.h"
#include "wl_mutex.h"

pthread_mutex_t hot_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long counter;
static long rounds;

static void *worker(void *arg)
{
	(void)arg;
	wl_contend(&hot_lock, &counter, rounds);
	return NULL;
}

int main(int argc, char **argv)
{
	long n, t, i;
	int *a;

	if (argc != 4 || parse_count(argv[1], &n) || parse_count(argv[2], &t) ||
	    parse_count(argv[3], &rounds) || n < 1 || t > 64) {
		fprintf(stderr, "usage: hostile_futex N THREADS M   (THREADS <= 64)\n");
		return 2;
	}
	a = calloc((size_t)n, sizeof(*a));
	if (!a)
		return 1;
	printf("hot_lock %p\narray %p\n", (void *)&hot_lock, (void *)a);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		if (syscall(SYS_futex, &a[i], FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0) != -1)
			return 1;
		if (syscall(SYS_futex, &a[i], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) != 0)
			return 1;
	}
	if (wl_threads(t, worker))
		return 1;
	free(a);
	return counter == (unsigned long)t * (unsigned long)rounds * 200 ? 0 : 1;
}
