/*
 * cond_hold MS - a condition wait under a mutex: main locks cond_lock,
 * starts a signaller thread, and waits on the condition until it is set
 * (the wait releases cond_lock); the signaller sleeps MS milliseconds,
 * then locks cond_lock (it can only once main waits), sets the condition,
 * signals and unlocks; main unlocks.  So cond_lock is held three times, for
 * microseconds each (main before and after its wait, the signaller), never
 * across the MS-long wait: a profiler that counts a hold across a
 * pthread_cond_wait sees at least MS.  Prints "cond_lock ADDRESS LINE",
 * LINE the source line of the wait.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

pthread_mutex_t cond_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ready;
static long ms;

static void *signaller(void *arg)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	(void)arg;
	nanosleep(&ts, NULL);
	pthread_mutex_lock(&cond_lock);
	ready = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&cond_lock);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	int line;

	if (argc != 2 || (ms = atol(argv[1])) < 0) {
		fprintf(stderr, "usage: cond_hold MS\n");
		return 2;
	}
	pthread_mutex_lock(&cond_lock);
	if (pthread_create(&th, NULL, signaller, NULL))
		return 1;
	line = __LINE__ + 1;
	while (!ready) pthread_cond_wait(&cond, &cond_lock);
	pthread_mutex_unlock(&cond_lock);
	pthread_join(th, NULL);
	printf("cond_lock %p %d\n", (void *)&cond_lock, line);
	return 0;
}
