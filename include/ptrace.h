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

/*
 * The syscall numbers to profile: the -e list if given (nrs, n), else every
 * number whose class is in ILP_PTRACE_CLASSES, plus the calls that make or
 * change fds (pipe2, dup*, fcntl, eventfd2, socketpair...) for the fd table.  Fills out (sorted, unique,
 * at most max); returns the count or -E2BIG.
 */
int ilp_ptrace_syscall_set(const int *nrs, size_t n, int *out, size_t max);

/*
 * Builds the seccomp-bpf program: for arch (AUDIT_ARCH_*) and a syscall
 * number in nrs, SECCOMP_RET_TRACE; anything else (other numbers, another
 * arch, x32 numbers) SECCOMP_RET_ALLOW.  nrs need not be sorted.  Returns
 * the number of instructions written to prog (at most max), or -E2BIG.
 */
int ilp_seccomp_build(const int *nrs, size_t n, uint32_t arch,
		      struct sock_filter *prog, size_t max);
/* The AUDIT_ARCH_* of this build (0 if unknown: no filter, attach-style). */
uint32_t ilp_seccomp_arch(void);
/* Instructions needed for n numbers (upper bound for ilp_seccomp_build). */
size_t ilp_seccomp_size(size_t n);

/* ---- the tracer (src/source/source_ptrace.c) ---- */
struct ilp_ptrace;

struct ilp_ptrace_opts {
	const int *syscalls;	/* profiled numbers (ilp_ptrace_syscall_set) */
	size_t nsyscalls;
	int seccomp;		/* 1: run mode (tracees carry our filter) */
	const struct ilp_stack_sink *stacks;	/* non-NULL: unwind at each profiled entry */
	/*
	 * --names=exact under ftrace: the tracer only reads names for this
	 * resolver (the ftrace source's), at the seccomp stop of a path-taking
	 * call (ilp_resolver_at_call) and at the exit stop of a call that
	 * makes an fd without a path (ilp_resolver_at_exit); it emits no event
	 * (ftrace gives them all).  syscalls: ilp_ptrace_names_set's.
	 */
	struct ilp_resolver *names_for;
};

/* The syscalls --names=exact stops at (sorted, unique, at most max): the
 * resolver's path-taking and fd-making calls.  The count or -E2BIG. */
int ilp_ptrace_names_set(int *out, size_t max);

/* 0 or -errno; the tracer keeps pointers to o's arrays. */
int ilp_ptrace_new(const struct ilp_ptrace_opts *o, ilp_event_fn fn, void *ctx,
		   struct ilp_ptrace **out);
/* Frees (does not detach: call ilp_ptrace_detach_all first).  NULL ok. */
void ilp_ptrace_free(struct ilp_ptrace *pt);

/*
 * run: seizes pid, a forked child that waits until we have (the session's
 * gate), and names what it inherits.  0 or -errno.
 */
int ilp_ptrace_seize_child(struct ilp_ptrace *pt, pid_t pid);
/* In that child, just before exec: no_new_privs and the seccomp filter
 * (built by ilp_ptrace_new; no allocation here).  0 or -errno. */
int ilp_ptrace_child_setup(const struct ilp_ptrace *pt);
/* Seizes every thread of pid (re-listing until stable); emits TASK_INFO.
 * 0, -ESRCH, -EPERM... */
int ilp_ptrace_attach(struct ilp_ptrace *pt, pid_t pid);

/*
 * Handles every stop that is ready (waitpid WNOHANG), each tracee's once:
 * all are collected before any is resumed, so none starves.  Returns how
 * many were handled (0: none ready), -ECHILD when no tracee is left, or
 * -errno.
 */
int ilp_ptrace_poll(struct ilp_ptrace *pt);
/* Interrupts and detaches every tracee (they run on).  Waits at most
 * timeout_ms.  0 or -ETIMEDOUT. */
int ilp_ptrace_detach_all(struct ilp_ptrace *pt, int timeout_ms);
/* SIGKILLs every traced process (run, stopped early). */
void ilp_ptrace_kill_all(struct ilp_ptrace *pt);
/* Number of tracees currently attached. */
size_t ilp_ptrace_ntasks(const struct ilp_ptrace *pt);
/* wait status of pid if it was traced and has ended, else -1 */
int ilp_ptrace_exit_status(const struct ilp_ptrace *pt, pid_t pid);

struct ilp_ptrace_counters {
	uint64_t stops;		/* tracer stops handled (the overhead) */
	uint64_t events;	/* ilp_events emitted */
	uint64_t unwinds;	/* --stacks: stacks unwound */
};
const struct ilp_ptrace_counters *ilp_ptrace_counters(const struct ilp_ptrace *pt);

#endif
