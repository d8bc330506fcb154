/*
 * uncontended N - one thread locks and unlocks a mutex N times: never
 * contended, so glibc makes no futex call and a profiler must report no
 * lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

pthread_mutex_t quiet_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long counter;

int main(int argc, char **argv)
{
	long n, i;

	if (argc != 2 || (n = atol(argv[1])) < 1) {
		fprintf(stderr, "usage: uncontended N\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&quiet_lock);
		counter++;
		pthread_mutex_unlock(&quiet_lock);
	}
	return counter == (unsigned long)n ? 0 : 1;
}
