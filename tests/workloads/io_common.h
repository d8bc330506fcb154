/*
 * Shared by the io_* workloads (with wl_common.h): the short hold at
 * the end.  The live ftrace source names fds from /proc when it decodes
 * them (within ~50 ms); a process that exits the instant its loop ends
 * takes its last fds' names with it.  Real programs rarely end right
 * after their I/O loop; the workloads hold HOLD_MS so the counts they are
 * tested on are all named.
 */
#ifndef IO_COMMON_H
#define IO_COMMON_H

#include <time.h>

#include "wl_common.h"

#define HOLD_MS 300

static void hold(void)
{
	struct timespec ts = { 0, HOLD_MS * 1000000L };

	nanosleep(&ts, NULL);
}

#endif
