/* SPDX-License-Identifier: MIT */
/* Synthetic event builders shared by test_sched.c, test_lock.c, test_block.c. */
#ifndef TEST_WAIT_HELPERS_H
#define TEST_WAIT_HELPERS_H

#include <string.h>

#include "event.h"
#include "model.h"
#include "syscalls.h"
#include "waitmodel.h"

#define MS 1000000ull
#define US 1000ull

static inline struct ilp_event ev_info(uint64_t ts, int pid, int tid, const char *comm)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = ILP_EV_TASK_INFO };

	strncpy(e.task.comm, comm, ILP_COMM_LEN - 1);
	return e;
}

static inline struct ilp_event ev_enter(uint64_t ts, int pid, int tid, int nr, uint64_t a0,
					uint64_t a1)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = ILP_EV_SYS_ENTER, .nr = nr };

	e.args[0] = a0;
	e.args[1] = a1;
	return e;
}

/* a futex call (op) on addr, its word read as val (a sleeping mutex waiter
 * of glibc sees 2: locked, with waiters) */
static inline struct ilp_event ev_futex(uint64_t ts, int pid, int tid, int nr, uint64_t addr,
					uint64_t op, uint64_t val)
{
	struct ilp_event e = ev_enter(ts, pid, tid, nr, addr, op);

	e.args[2] = val;
	return e;
}

static inline struct ilp_event ev_exit(uint64_t ts, int pid, int tid, int nr, int64_t ret)
{
	struct ilp_event e = { .ts = ts, .pid = pid, .tid = tid, .kind = ILP_EV_SYS_EXIT, .nr = nr };

	e.ret = ret;
	return e;
}

static inline struct ilp_event ev_switch(uint64_t ts, int prev, int state, int next)
{
	struct ilp_event e = { .ts = ts, .tid = prev, .kind = ILP_EV_SCHED_SWITCH };

	e.sched.prev_state = state;
	e.sched.next = next;
	return e;
}

static inline struct ilp_event ev_waking(uint64_t ts, int waker, int target)
{
	struct ilp_event e = { .ts = ts, .tid = waker, .kind = ILP_EV_WAKEUP };

	e.sched.target = target;
	return e;
}

static inline struct ilp_event ev_block(uint64_t ts, int tid, int kind, uint32_t dev,
					uint64_t sector, uint32_t bytes, const char *rwbs,
					const char *comm)
{
	struct ilp_event e = { .ts = ts, .tid = tid, .kind = (uint16_t)kind };

	e.block.dev = dev;
	e.block.sector = sector;
	e.block.bytes = bytes;
	strncpy(e.block.rwbs, rwbs, sizeof(e.block.rwbs) - 1);
	strncpy(e.block.comm, comm, sizeof(e.block.comm) - 1);
	return e;
}

#endif
