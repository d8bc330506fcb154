/*
 * Shared by the lock workloads: contention on a mutex, with a little work
 * inside the critical section so the lock is contended, in T threads.
 */
#ifndef WL_MUTEX_H
#define WL_MUTEX_H

#include <pthread.h>

/* rounds times: lock, 200 increments of *counter, unlock */
static inline void wl_contend(pthread_mutex_t *lock, volatile unsigned long *counter, long rounds)
{
	long i;
	int k;

	for (i = 0; i < rounds; i++) {
		pthread_mutex_lock(lock);
		for (k = 0; k < 200; k++)
			(*counter)++;
		pthread_mutex_unlock(lock);
	}
}

/* runs fn in n threads (n <= 64) and joins them all: 0, or -1 if one
 * could not be started */
static inline int wl_threads(long n, void *(*fn)(void *))
{
	pthread_t th[64];
	long i, started;
	int err = 0;

	for (started = 0; started < n && started < 64; started++)
		if (pthread_create(&th[started], NULL, fn, NULL)) {
			err = -1;
			break;
		}
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return err;
}

#endif
