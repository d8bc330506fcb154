/* SPDX-License-Identifier: MIT */
#ifndef ILP_RESOLVE_H
#define ILP_RESOLVE_H

/*
 * fd -> object names, with where each name came from (source side: this
 * module does I/O; the model never does).  The order of trust, most
 * trusted first (enum ilp_name_src in vocab.h; README "Where names come
 * from"):
 *
 *   call    the path argument read while the tracee was stopped at the
 *           call: the ptrace backend, and --names=exact
 *           (ilp_resolver_at_call), with the cwd or dirfd of that moment
 *   kernel  the copy of the argument the kernel put in the syscall event
 *           (ILP_EV_SYS_ARGSTR, Linux 6.19+), taken only when it is whole
 *           (not cut at syscall_user_buf_size) and, where the kernel may have
 *           written '.' for a byte, agrees with the argument in memory;
 *           relative paths resolved against the cwd and dirfds the resolver
 *           tracked, never the profiler's
 *   proc    /proc/TID/fd/N (sockets through sock_diag, sockdiag.h) read as
 *           soon as the call's exit is decoded, kept only when the window of
 *           events proves the fd unchanged between the call and the read (no
 *           close, dup2 onto it, close_range or exec of the process)
 *   arg     the path argument read from tracee memory after the call, kept
 *           only when confirmed: resolved (cwd, dirfd), printable, naming an
 *           existing file whose dev:ino the kernel reported dirtied inside a
 *           write on that fd (writeback_dirty_folio) before it was closed
 *
 * Otherwise the fd is "name lost", with the reason ("closed before it could
 * be read; --names=exact keeps it"): never a guess, never bytes of reused
 * memory.
 *
 * Two steps per event, for the live ftrace source:
 *   ilp_resolver_on_record  each decoded record, per CPU, at once: what only
 *                           an early read can get (the fd's /proc link and
 *                           dev:ino, the argument in memory, the cwd after a
 *                           chdir), stamped with when it was read;
 *   ilp_resolver_round_end  after every CPU was read: the sockets met in the
 *                           round, named in one batch (sock_diag);
 *   ilp_resolver_window     the events about to be delivered and the ones
 *                           read after them, and up to when all are read;
 *   ilp_resolver_on_event   each delivered event, in time order: pairs a
 *                           call's entry and exit, decides the name from the
 *                           facts above, tracks cwd and dirfds.
 * A stopped source (ptrace: the tracee waits at each entry and exit) calls
 * ilp_resolver_stopped_event instead, and every name it gives is "call".
 *
 * Memory: facts live until their event is delivered; per-thread and
 * per-process state until they exit; the string pool (names injected at
 * attach) is capped, names beyond it are "lost: name table full".
 */

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "vocab.h"

struct ilp_resolver;

int ilp_resolver_new(struct ilp_resolver **out);	/* 0 or -ENOMEM */
void ilp_resolver_free(struct ilp_resolver *r);		/* NULL ok */

/* a stable copy of s, valid until ilp_resolver_free; NULL on ENOMEM or
 * when the pool is full and s is not in it */
const char *ilp_resolver_intern(struct ilp_resolver *r, const char *s);

#define ILP_RESOLVE_MAX 2	/* FD_INFO events one syscall exit can produce */

void ilp_resolver_on_record(struct ilp_resolver *r, const struct ilp_event *ev);
void ilp_resolver_round_end(struct ilp_resolver *r);
/*
 * v[0..n): the merged events from the next one to deliver on, in time
 * order; every event up to horizon (CLOCK_MONOTONIC ns) has been read
 * (UINT64_MAX: all, tracing is off).  Valid until the next call.
 */
void ilp_resolver_window(struct ilp_resolver *r, const struct ilp_event *v, size_t n,
			 uint64_t horizon);
/*
 * Each delivered event, in time order (ILP_EV_SYS_ARGSTR included: the
 * source does not pass those on).  Fills up to ILP_RESOLVE_MAX
 * ILP_EV_FD_INFO events (same ts, pid, tid; fd.type carries
 * ILP_OBJ_SRC(source)) and returns how many; their strings are valid until
 * the next call.
 */
int ilp_resolver_on_event(struct ilp_resolver *r, const struct ilp_event *ev,
			  struct ilp_event out[ILP_RESOLVE_MAX]);

/* A source whose tracee is stopped at each SYS_ENTER and SYS_EXIT it gives
 * (ptrace): both steps at once, names read at the call. */
int ilp_resolver_stopped_event(struct ilp_resolver *r, const struct ilp_event *ev,
			       struct ilp_event out[ILP_RESOLVE_MAX]);

/*
 * --names=exact: thread tid is stopped at the entry of syscall nr with
 * these arguments, before its SYS_ENTER event is recorded (a seccomp
 * RET_TRACE stop).  Reads the path argument, and the cwd or dirfd it is
 * relative to, now; the call's exit then names its fd "call".  0,
 * -ENOENT (nr takes no path), or -errno of the read.
 */
int ilp_resolver_at_call(struct ilp_resolver *r, int tid, int nr, const uint64_t args[6]);

/*
 * --names=exact, for the calls that make or rename an fd (open, socket,
 * accept, pipe, connect...): thread tid is stopped at the exit of syscall
 * nr, which returned ret (args: the call's, as at its entry), after its
 * SYS_EXIT event was recorded (a PTRACE_SYSCALL exit stop).  Reads the fd
 * (/proc, sock_diag) or the pipe's two now; the exit's FD_INFO then comes
 * from this read, source "call".  0, -ENOENT (nr makes no fd, or failed),
 * -ESRCH (an unproved pid namespace process), -ENOMEM.
 */
int ilp_resolver_at_exit(struct ilp_resolver *r, int tid, int nr, const uint64_t args[6],
			 int64_t ret);

/*
 * Calls fn for every open fd of process pid (attach, run before exec),
 * with ILP_OBJ_F_CLOEXEC from fdinfo and ILP_OBJ_SRC(PROC); str is pooled.
 * Also takes the process's cwd, for the paths it gives relative to it.
 * 0 or -errno (fn's non-zero return stops).
 */
int ilp_resolve_scan(struct ilp_resolver *r, int pid,
		     int (*fn)(void *ctx, int fd, unsigned type, const char *str), void *ctx);

struct ilp_pidns;
/*
 * Inside a pid namespace (pidns.h): event pids are the kernel's; /proc is
 * read for a thread only through ns's proved translation (else no name:
 * "lost"), and ilp_resolver_on_record feeds ns every record (it learns
 * the threads as they are decoded).  The pids the functions above take
 * (ilp_resolver_at_call's tid, ilp_resolve_scan's pid) are then kernel
 * pids.  ns must outlive r; NULL: pids are /proc's (the default).
 */
void ilp_resolver_set_pidns(struct ilp_resolver *r, struct ilp_pidns *ns);

/* Names of the syscalls whose path argument the resolver reads (i < n;
 * NULL past the end): the events that may carry the kernel's copy. */
const char *ilp_resolve_path_call(size_t i);
/* Names of the syscalls that make or name an fd without a path (socket,
 * accept, pipe, connect...): ilp_resolver_at_exit's (i < n; NULL past). */
const char *ilp_resolve_exit_call(size_t i);

/* What the resolver counted (reports, tests). */
struct ilp_resolve_counts {
	uint64_t named[ILP_NAME_SRC_NSRC];	/* FD_INFO given, by source */
	uint64_t pool_dropped;			/* names not kept: pool full */
	uint64_t sock_diag, sock_procnet;	/* socket lookups, by way */
};
void ilp_resolver_counts(const struct ilp_resolver *r, struct ilp_resolve_counts *c);

#endif
