/*
 * Shared by the io_* workloads: argument parsing, and the short hold at
 * the end.  The live ftrace source names fds from /proc when it decodes
 * them (within ~50 ms); a process that exits the instant its loop ends
 * takes its last fds' names with it.  Real programs rarely end right
 * after their I/O loop; the workloads hold HOLD_MS so the counts they are
 * tested on are all named.
 */
#ifndef IO_COMMON_H
#define IO_COMMON_H

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#define HOLD_MS 300

static int parse_count(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return (errno || end == s || *end || *out < 0) ? -1 : 0;
}

static void hold(void)
{
	struct timespec ts = { 0, HOLD_MS * 1000000L };

	nanosleep(&ts, NULL);
}

#endif
