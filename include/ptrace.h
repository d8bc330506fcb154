/* SPDX-License-Identifier: MIT */
#ifndef ILP_PTRACE_H
#define ILP_PTRACE_H

/*
 * The ptrace backend: profiling without tracefs (not root, containers).
 *
 * `run` forks the command, PTRACE_SEIZEs it, and the child installs a
 * seccomp-bpf filter that returns SECCOMP_RET_TRACE for the profiled
 * syscalls only (every other syscall runs at full speed), then execs.  A
 * seccomp stop is the syscall's entry; the tracer asks for that one call's
 * exit stop (PTRACE_SYSCALL) and lets the rest run (PTRACE_CONT).
 * `attach` cannot add a filter to a running process: it seizes every thread
 * and stops at every syscall entry and exit (PTRACE_SYSCALL).
 *
 * Both produce the same struct ilp_event stream as the ftrace source
 * (SYS_ENTER/EXIT, TASK_NEW/INFO/EXEC/EXIT, FD_INFO with paths read from
 * tracee memory at entry), so the model and every report work unchanged.
 * It cannot see disk requests, kernel locks or off-CPU state, and each
 * traced call costs two tracer stops: latencies include that overhead.
 */

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "source.h"
#include "syscalls.h"
#include "vocab.h"

struct ilp_opts;
struct ilp_symbolizer;

/*
 * Where --stacks puts what the tracer unwinds (the caller wires it to a
 * store, stacks.h: the source knows no model).  intern: the id of the
 * stack (pid, nr, pcs[0..n)), *is_new set when first seen (then the
 * tracer names its frames with name_frame); id >= 0 or -errno.  add: a
 * completed call of stack id that took ns.
 */
struct ilp_stack_sink {
	void *ctx;
	int (*intern)(void *ctx, int pid, int nr, const uint64_t *pcs, size_t n, int *is_new);
	int (*name_frame)(void *ctx, int id, size_t i, const char *func, const char *file,
			  int line, const char *module);
	void (*add)(void *ctx, int id, uint64_t ns);
};

/* Classes profiled by default under ptrace (everything else runs unstopped):
 * read, write, sync, open, net, wait (futex too), stat, close. */
#define ILP_PTRACE_CLASSES (ILP_SC_READ | ILP_SC_WRITE | ILP_SC_SYNC | ILP_SC_OPEN | \
			    ILP_SC_NET | ILP_SC_WAIT | ILP_SC_STAT | ILP_SC_CLOSE)

/**
 * ilp_ptrace_syscall_set - the syscall numbers to profile
 * @nrs: the -e list, or NULL
 * @n: numbers at nrs; 0: no -e list
 * @out: the caller's array, filled sorted and unique
 * @max: entries at out
 *
 * The -e list if given, else every number whose class is in
 * ILP_PTRACE_CLASSES, plus the calls that make or change fds (pipe2, dup*,
 * fcntl, eventfd2, socketpair...) for the fd table.
 *
 * Returns the count, or -E2BIG when max is too small.
 */
int ilp_ptrace_syscall_set(const int *nrs, size_t n, int *out, size_t max);

/**
 * ilp_seccomp_build - builds the seccomp-bpf program
 * @nrs: the syscall numbers to stop at; need not be sorted
 * @n: numbers at nrs
 * @arch: the AUDIT_ARCH_* the numbers are of
 * @prog: the caller's array, filled with the program
 * @max: entries at prog
 *
 * For arch and a number in nrs, SECCOMP_RET_TRACE; anything else (other
 * numbers, another arch, x32 numbers) SECCOMP_RET_ALLOW.
 *
 * Returns the number of instructions written (ilp_seccomp_size(n)), or
 * -E2BIG when that is more than max or than BPF_MAXINSNS.
 */
int ilp_seccomp_build(const int *nrs, size_t n, uint32_t arch,
		      struct sock_filter *prog, size_t max);

/**
 * ilp_seccomp_arch - the AUDIT_ARCH_* of this build
 *
 * Returns AUDIT_ARCH_X86_64, _AARCH64 or _RISCV64, or 0 if unknown: then
 * no filter can be built (run fails with -ENOTSUP; attach-style tracing
 * still works).
 */
uint32_t ilp_seccomp_arch(void);

/**
 * ilp_seccomp_size - the instructions a program for n numbers takes
 * @n: how many syscall numbers
 *
 * Returns the exact size ilp_seccomp_build() writes, to size its array.
 */
size_t ilp_seccomp_size(size_t n);

/* ---- the tracer (src/source/source_ptrace.c) ---- */
struct ilp_ptrace;

struct ilp_ptrace_opts {
	const int *syscalls;	/* profiled numbers (ilp_ptrace_syscall_set) */
	size_t nsyscalls;
	int seccomp;		/* 1: run mode (tracees carry our filter) */
	const struct ilp_stack_sink *stacks;	/* non-NULL: unwind at each profiled entry */
	struct ilp_symbolizer *sym;	/* with stacks: names their frames (symbolize.h) */
	/*
	 * --names=exact under ftrace: the tracer only reads names for this
	 * resolver (the ftrace source's), at the seccomp stop of a path-taking
	 * call (ilp_resolver_at_call) and at the exit stop of a call that
	 * makes an fd without a path (ilp_resolver_at_exit); it emits no event
	 * (ftrace gives them all).  syscalls: ilp_ptrace_names_set's.
	 */
	struct ilp_resolver *names_for;
};

/**
 * ilp_ptrace_names_set - the syscalls --names=exact stops at
 * @out: the caller's array, filled sorted and unique: the resolver's
 *	path-taking and fd-making calls (ilp_resolve_path_call(),
 *	ilp_resolve_exit_call()) this architecture has
 * @max: entries at out
 *
 * Returns the count, or -E2BIG when max is too small.
 */
int ilp_ptrace_names_set(int *out, size_t max);

/**
 * ilp_ptrace_new - makes a tracer
 * @o: its options; the struct is copied, but the tracer keeps pointers to
 *	o->syscalls, o->stacks, o->sym and o->names_for, which must outlive it
 * @fn: called with each event the tracer emits (from ilp_ptrace_poll(),
 *	ilp_ptrace_attach(), ilp_ptrace_seize_child()); the event is valid
 *	during the call only
 * @ctx: passed to fn
 * @out: set to the tracer, to free with ilp_ptrace_free(); NULL on error
 *
 * With o->seccomp the filter is built here, so that the child only
 * installs it.  ptrace is per thread: every call on the tracer after it
 * seized a tracee must come from the thread that seized it.
 *
 * Returns 0, -ENOMEM, -ENOTSUP (o->seccomp on an architecture without
 * ilp_seccomp_arch()), or -E2BIG (too many syscalls for one filter).
 */
int ilp_ptrace_new(const struct ilp_ptrace_opts *o, ilp_event_fn fn, void *ctx,
		   struct ilp_ptrace **out);

/**
 * ilp_ptrace_free - frees the tracer
 * @pt: the tracer; NULL is a no-op
 *
 * Does not detach: call ilp_ptrace_detach_all() first.
 */
void ilp_ptrace_free(struct ilp_ptrace *pt);

/**
 * ilp_ptrace_seize_child - run: seizes the forked command
 * @pt: the tracer
 * @pid: a forked child that waits until we have seized it (the session's
 *	gate); its wait status is then kept (ilp_ptrace_exit_status())
 *
 * Emits its TASK_INFO and names the fds it inherits (not in --names=exact
 * mode: the ftrace backend does that).
 *
 * Returns 0, PTRACE_SEIZE's -errno (-EPERM, -ESRCH), or -ENOMEM.
 */
int ilp_ptrace_seize_child(struct ilp_ptrace *pt, pid_t pid);

/**
 * ilp_ptrace_child_setup - in the child, just before exec: the filter
 * @pt: the tracer (the parent's copy, in the child's memory)
 *
 * Sets no_new_privs and installs the seccomp filter ilp_ptrace_new()
 * built; no allocation.
 *
 * Returns 0, -ENOTSUP (no filter: the tracer was made without seccomp),
 * or the -errno of prctl or seccomp.
 */
int ilp_ptrace_child_setup(const struct ilp_ptrace *pt);

/**
 * ilp_ptrace_attach - attach: seizes every thread of a process
 * @pt: the tracer
 * @pid: the process
 *
 * Lists /proc/PID/task again until no new thread appears (at most 16
 * passes), seizing each thread, emitting its TASK_INFO, and naming the
 * fds open before we came.
 *
 * Returns 0 once at least one thread is seized; -ESRCH (no such process,
 * or every thread ended); PTRACE_SEIZE's -errno (-EPERM: not allowed);
 * or -ENOMEM, or /proc's -errno.
 */
int ilp_ptrace_attach(struct ilp_ptrace *pt, pid_t pid);

/**
 * ilp_ptrace_poll - handles every stop that is ready
 * @pt: the tracer
 *
 * waitpid WNOHANG until none is ready, then handles each tracee's stop
 * once and resumes it: all are collected before any is resumed, so none
 * starves.  Emits the events through the tracer's fn.
 *
 * Returns how many stops were handled (0: none ready), -ECHILD when no
 * tracee is left, -ENOMEM when not even one could be collected, or
 * waitpid's -errno.
 */
int ilp_ptrace_poll(struct ilp_ptrace *pt);

/**
 * ilp_ptrace_detach_all - interrupts and detaches every tracee (they run on)
 * @pt: the tracer
 * @timeout_ms: how long to wait for the tracees' stops, at most
 *
 * Tasks created meanwhile are detached too; a pending signal is passed on
 * at detach.
 *
 * Returns 0, or -ETIMEDOUT (some tracees are still attached).
 */
int ilp_ptrace_detach_all(struct ilp_ptrace *pt, int timeout_ms);

/**
 * ilp_ptrace_kill_all - SIGKILLs every traced process (run, stopped early)
 * @pt: the tracer
 *
 * Their ends are then collected by ilp_ptrace_poll().
 */
void ilp_ptrace_kill_all(struct ilp_ptrace *pt);

/**
 * ilp_ptrace_ntasks - how many tracees are attached
 * @pt: the tracer
 *
 * Returns the number of tracees currently attached.
 */
size_t ilp_ptrace_ntasks(const struct ilp_ptrace *pt);

/**
 * ilp_ptrace_exit_status - the wait status of the seized command
 * @pt: the tracer
 * @pid: the pid given to ilp_ptrace_seize_child()
 *
 * Returns pid's wait status once it has ended, else -1 (also for any
 * other pid).
 */
int ilp_ptrace_exit_status(const struct ilp_ptrace *pt, pid_t pid);

struct ilp_ptrace_counters {
	uint64_t stops;		/* tracer stops handled (the overhead) */
	uint64_t events;	/* ilp_events emitted */
	uint64_t unwinds;	/* --stacks: stacks unwound */
};
/**
 * ilp_ptrace_counters - what the tracer counted
 * @pt: the tracer
 *
 * Returns its counters, owned by pt, updated as it runs, valid until
 * ilp_ptrace_free().
 */
const struct ilp_ptrace_counters *ilp_ptrace_counters(const struct ilp_ptrace *pt);

#endif
