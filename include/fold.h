/* SPDX-License-Identifier: MIT */
#ifndef ILP_FOLD_H
#define ILP_FOLD_H

/*
 * A process's wait time as stacks of frames (src/report/fold.c): the one
 * place the folded format and the HTML flame graph get their stacks from.
 *
 *   process;thread;syscall;object NS   the off-CPU part of the calls, by
 *                                      what they waited on (waitmodel.h
 *                                      blocking rows, wall time)
 *   process;thread;syscall NS          the rest of the time inside them
 *   process;site...;syscall NS         with --stacks (ptrace): the user
 *                                      call stacks, outermost frame first
 *
 * NS = nanoseconds the thread spent inside that syscall: completed calls'
 * total plus the time so far of calls still in progress; a blocking row
 * takes at most what is left of its syscall's time.  Call stacks carry
 * completed calls only and no thread.  Stacks of NS 0 are not made.
 *
 * Each stack also has its CALLS, the calls its NS is the time of: a
 * blocking row's calls (completed calls that went off-CPU on that
 * object), the rest of the thread's calls of that syscall on the
 * syscall's own stack (completed ones and those in progress), a call
 * stack's completed calls.  So the CALLS of a thread's (or process's)
 * stacks of one syscall add up to its calls completed and in progress,
 * unless a stack of 0 ns (not made) had some (a clock that counts whole
 * microseconds: ptrace's).
 * Order: threads by tid, syscalls by total time (the model's order), the
 * blocking rows in the model's order; call stacks in ilp_stacks order.
 */

#include <stddef.h>
#include <stdint.h>

#include "vocab.h"		/* ILP_STACK_MAX */

struct ilp_model;
struct ilp_proc;
struct ilp_stacks;

enum ilp_frame_kind {
	ILP_FRAME_PROC,		/* "comm-pid" ("?-pid" if never named) */
	ILP_FRAME_THREAD,	/* "comm-tid" */
	ILP_FRAME_SITE,		/* a user call-stack frame: "fetch (app.c:42)" (stacks.h) */
	ILP_FRAME_SYSCALL,	/* "write" */
	ILP_FRAME_OBJECT,	/* what the call waited on: "fd:3 (file /x)" (report_wait.h) */
	ILP_FRAME_KLOCK,	/* a kernel lock: "klock:mmap_lock (rwsem:read)" (ILP_FOLD_KLOCKS) */
	ILP_FRAME_NKINDS
};

/* a frame name's longest form, NUL included (longer names are cut) */
#define ILP_FRAME_NAME 512
/* frames in a stack at most: process, thread or call stack, syscall, object */
#define ILP_FOLD_DEPTH (ILP_STACK_MAX + 3)

struct ilp_frame {
	int kind;		/* enum ilp_frame_kind */
	const char *name;	/* as the model has it, not escaped; never NULL or "" */
};

struct ilp_stack_frame;

/* one stack, as the callback gets it */
struct ilp_fold_stack {
	const struct ilp_frame *frames;	/* [0] the process, outermost first */
	size_t n;		/* frames, 2 .. ILP_FOLD_DEPTH */
	uint64_t ns;		/* > 0 */
	uint64_t calls;		/* the calls ns is the time of (above); 0: none known */
	int pid;		/* the process */
	int tid;		/* the thread; 0 for a call stack (no thread) */
	int nr;			/* the syscall (the frame of kind ILP_FRAME_SYSCALL) */
	const char *lock;	/* a futex call's lock, as the reports name it ("hot_lock",
				 * "0x7f..."); NULL if the stack has no futex object */
	/* per frame, for call stacks: sites[i] is frames[i]'s call-stack frame
	 * (function, file, line, pc: stacks.h) when frames[i] is of kind
	 * ILP_FRAME_SITE, else NULL; the array is NULL when there is none */
	const struct ilp_stack_frame *const *sites;
};

/* called once per stack; its strings live until it returns.  0 to go on */
typedef int (*ilp_fold_fn)(void *ctx, const struct ilp_fold_stack *s);

#define ILP_FOLD_THREADS 1	/* a thread frame under the process (not with call stacks) */
/*
 * after the syscall stacks, one stack per kernel lock the process waited
 * on (lock:contention_begin/end, waitmodel.h): process;klock:NAME (TYPE),
 * NS its wait time, CALLS its waits, nr -1, tid 0, lock its name; the
 * addresses past ILP_KLOCK_MAX together as "klock:(N other addresses)".
 * That time is inside the syscalls' (or page faults'), not beside it:
 * a consumer keeps the two apart (pprof: sample types of their own).
 */
#define ILP_FOLD_KLOCKS 2

/**
 * ilp_fold_proc - hands each stack of a process's wait time to a callback
 * @m: the model, indexed (ilp_model_index())
 * @p: the process, one of m's
 * @st: the --stacks call stacks, indexed (ilp_stacks_index()); NULL: none
 * @flags: ILP_FOLD_THREADS, ILP_FOLD_KLOCKS, both or 0
 * @fn: called once per stack, in the order above; its frames' names live
 *	until it returns (copy what is kept)
 * @ctx: passed to fn
 *
 * The process's call stacks if @st has some for it, else its per-thread
 * syscalls (and the objects they waited on), as described above; then,
 * with ILP_FOLD_KLOCKS, its kernel locks.
 *
 * Returns 0, or the first nonzero value @fn returned (no call after it).
 */
int ilp_fold_proc(const struct ilp_model *m, const struct ilp_proc *p,
		  const struct ilp_stacks *st, int flags, ilp_fold_fn fn, void *ctx);

#endif
