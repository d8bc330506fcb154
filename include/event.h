/* SPDX-License-Identifier: MIT */
#ifndef ILP_EVENT_H
#define ILP_EVENT_H

/*
 * struct ilp_event: the one normalized event every source produces and the
 * model consumes.  Sources (ftrace, trace file, ptrace) know their own
 * formats; everything after decode sees only this struct.
 *
 * Times are nanoseconds on CLOCK_MONOTONIC (the ftrace instance uses the
 * "mono" trace clock, so live and synthetic events share one time base).
 */

#include <stdint.h>

enum ilp_event_kind {
	ILP_EV_SYS_ENTER = 1,	/* nr, args[6] */
	ILP_EV_SYS_EXIT,	/* nr, ret */
	ILP_EV_TASK_NEW,	/* tid created task.child with task.clone_flags */
	ILP_EV_EXEC,		/* tid (and its process) exec'd task.comm */
	ILP_EV_TASK_EXIT,	/* thread tid ended; task.group_dead: last one */
	ILP_EV_TASK_INFO,	/* source-known fact: tid belongs to pid, named comm
				 * (attach time, first sight of a thread) */
	ILP_EV_KIND_MAX
};

#define ILP_COMM_LEN 16

struct ilp_event {
	uint64_t ts;		/* ns, CLOCK_MONOTONIC */
	int32_t pid;		/* process (tgid); 0 when the source does not know */
	int32_t tid;		/* thread that emitted the event */
	uint16_t kind;		/* enum ilp_event_kind */
	uint16_t cpu;
	int32_t nr;		/* syscall number (SYS_ENTER / SYS_EXIT) */
	union {
		uint64_t args[6];		/* SYS_ENTER */
		int64_t ret;			/* SYS_EXIT */
		struct {
			int32_t child;		/* TASK_NEW: the new task's tid */
			int32_t group_dead;	/* TASK_EXIT: whole process ended */
			uint64_t clone_flags;	/* TASK_NEW */
			char comm[ILP_COMM_LEN]; /* TASK_NEW, EXEC, TASK_INFO */
		} task;
	};
};

#endif
