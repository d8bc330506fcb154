/*
 * mutex_storm T N - T threads each lock and unlock one global mutex,
 * hot_lock, N times, with a little work inside the critical section, so
 * the lock is contended: the futex waits are on &hot_lock (glibc's
 * FUTEX_WAIT on the lock word) and the wakes come from the unlockers.
 * Built with symbols (the Makefile's -g, no strip): a profiler can name
 * &hot_lock.  Prints the address of hot_lock on stdout.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "wl_mutex.h"

pthread_mutex_t hot_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long counter;
static long iters;

static void *worker(void *arg)
{
	(void)arg;
	wl_contend(&hot_lock, &counter, iters);
	return NULL;
}

int main(int argc, char **argv)
{
	long t;

	if (argc != 3 || (t = atol(argv[1])) < 1 || t > 64 || (iters = atol(argv[2])) < 1) {
		fprintf(stderr, "usage: mutex_storm THREADS N\n");
		return 2;
	}
	printf("hot_lock %p\n", (void *)&hot_lock);
	fflush(stdout);
	if (wl_threads(t, worker))
		return 1;
	return counter == (unsigned long)t * (unsigned long)iters * 200 ? 0 : 1;
}
