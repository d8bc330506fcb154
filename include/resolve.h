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
 *   ilp_resolver_window_begin, ilp_resolver_window_add
 *                           the events about to be delivered and the ones
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

/**
 * ilp_resolver_new - makes an fd-name resolver
 * @out: set to it, to free with ilp_resolver_free(); NULL on error
 *
 * One resolver serves one capture, from one thread: none of its functions
 * is thread-safe.
 *
 * Returns 0, or -ENOMEM.
 */
int ilp_resolver_new(struct ilp_resolver **out);

/**
 * ilp_resolver_free - frees r, its facts, state and string pool
 * @r: the resolver; NULL is a no-op
 *
 * Every string it gave (ilp_resolver_intern(), ilp_resolve_scan(), the
 * FD_INFO events) is gone with it.  The pid namespace state given to
 * ilp_resolver_set_pidns() is not freed.
 */
void ilp_resolver_free(struct ilp_resolver *r);

/**
 * ilp_resolver_intern - a stable copy of s in r's string pool
 * @r: the resolver
 * @s: the string (not NULL); equal strings share one copy
 *
 * Returns the copy, owned by r and valid until ilp_resolver_free(); NULL
 * on ENOMEM or when the pool (16 MiB) is full and s is not in it (counted
 * in pool_dropped).
 */
const char *ilp_resolver_intern(struct ilp_resolver *r, const char *s);

#define ILP_RESOLVE_MAX 2	/* FD_INFO events one syscall exit can produce */

/**
 * ilp_resolver_on_record - phase one: reads what will not last, at once
 * @r: the resolver
 * @ev: a record just decoded, in its CPU's order (borrowed for the call)
 *
 * For a syscall exit that makes or names an fd: the fd's /proc link and
 * dev:ino, the path argument in memory, the cwd after a chdir; for an
 * ILP_EV_SYS_ARGSTR, a copy of the kernel's string.  Each is a fact kept,
 * stamped with when it was read, until its event is delivered to
 * ilp_resolver_on_event().  Sockets wait for ilp_resolver_round_end().
 * Also feeds the pid namespace state (ilp_resolver_set_pidns()) every
 * record.  Out of memory, a fact is not kept (its name is lost).
 */
void ilp_resolver_on_record(struct ilp_resolver *r, const struct ilp_event *ev);

/**
 * ilp_resolver_round_end - names the sockets met since the last round
 * @r: the resolver
 *
 * Called after every CPU was read: one sock_diag batch (sockdiag.h) for
 * every socket ilp_resolver_on_record() met.  Out of memory, they stay
 * unnamed.
 */
void ilp_resolver_round_end(struct ilp_resolver *r);

/**
 * ilp_resolver_window_begin - starts the window of events to deliver
 * @r: the resolver
 * @horizon: every event up to this time (CLOCK_MONOTONIC ns) has been
 *	read; UINT64_MAX: all (tracing is off)
 *
 * The window: the events about to be delivered and those read after them.
 * ilp_resolver_window_add() gives it the merged events from the next one
 * to deliver on, in time order, in pieces (a source merging its
 * events adds each piece while it is in the cache).
 * ilp_resolver_on_event() checks in this window that nothing (close,
 * dup2 onto it, close_range, exec) changed an fd between its call and
 * the /proc read.
 */
void ilp_resolver_window_begin(struct ilp_resolver *r, uint64_t horizon);

/**
 * ilp_resolver_window_add - the next events of the window begun last
 * @r: the resolver
 * @v: events after those added before, in time order, by pointer; read
 *	during the call only
 * @n: events at v
 */
void ilp_resolver_window_add(struct ilp_resolver *r, const struct ilp_event *const *v, size_t n);

/**
 * ilp_resolver_on_event - phase two: decides the names of a delivered event
 * @r: the resolver
 * @ev: each delivered event, in time order (ILP_EV_SYS_ARGSTR included:
 *	the source does not pass those on)
 * @out: the caller's array, filled with up to ILP_RESOLVE_MAX
 *	ILP_EV_FD_INFO events (same ts, pid, tid; fd.type carries
 *	ILP_OBJ_SRC(source)); their strings belong to r and stay valid until
 *	the next call
 *
 * Pairs a call's entry and exit, names its fds from the facts of phase
 * one in the order of trust (else "name lost", with the reason), and
 * tracks threads, processes, cwd and dirfds.  Frees the event's facts.
 *
 * Returns how many events it put in out (0..ILP_RESOLVE_MAX).
 */
int ilp_resolver_on_event(struct ilp_resolver *r, const struct ilp_event *ev,
			  struct ilp_event out[ILP_RESOLVE_MAX]);

/**
 * ilp_resolver_stopped_event - both phases at once, for a stopped tracee
 * @r: the resolver; from now on every name it gives is "call"
 * @ev: an event of a source whose tracee is stopped at each SYS_ENTER and
 *	SYS_EXIT it gives (ptrace), while it is stopped
 * @out: as for ilp_resolver_on_event()
 *
 * Reads the path argument at the entry (ilp_resolver_at_call()), then
 * runs ilp_resolver_on_record(), ilp_resolver_round_end() and
 * ilp_resolver_on_event().
 *
 * Returns how many events it put in out (0..ILP_RESOLVE_MAX).
 */
int ilp_resolver_stopped_event(struct ilp_resolver *r, const struct ilp_event *ev,
			       struct ilp_event out[ILP_RESOLVE_MAX]);

/**
 * ilp_resolver_at_call - --names=exact: reads a call's path at its entry
 * @r: the resolver
 * @tid: the thread, stopped at the entry of syscall nr before its
 *	SYS_ENTER event is recorded (a seccomp RET_TRACE stop)
 * @nr: the syscall
 * @args: its arguments
 *
 * Reads the path argument, and the cwd or dirfd it is relative to, now;
 * the call's exit then names its fd "call".  The copy waits in a
 * per-thread queue (at most 65536; the oldest then goes) for its entry.
 *
 * Returns 0; -ENOENT (nr takes no path); -ESRCH (the thread is gone, or an
 * unproved pid namespace process); -EFAULT (the path is unreadable or
 * longer than PATH_MAX); or -ENOMEM.
 */
int ilp_resolver_at_call(struct ilp_resolver *r, int tid, int nr, const uint64_t args[6]);

/**
 * ilp_resolver_at_exit - --names=exact: reads the fds a call made, at its exit
 * @r: the resolver
 * @tid: the thread, stopped at the exit of syscall nr after its SYS_EXIT
 *	event was recorded (a PTRACE_SYSCALL exit stop)
 * @nr: the syscall, one that makes or renames an fd (open, socket,
 *	accept, pipe, connect...: ilp_resolve_exit_call())
 * @args: the call's arguments, as at its entry
 * @ret: what it returned
 *
 * Reads the fd (/proc, sock_diag) or the pipe's two now; the exit's
 * FD_INFO then comes from this read, source "call".  The read waits in a
 * per-thread queue (at most 65536; the oldest then goes) for its event.
 *
 * Returns 0; -ENOENT (nr makes no fd, or failed); -ESRCH (an unproved pid
 * namespace process); or -ENOMEM.
 */
int ilp_resolver_at_exit(struct ilp_resolver *r, int tid, int nr, const uint64_t args[6],
			 int64_t ret);

/**
 * ilp_resolve_scan - names every open fd of a process
 * @r: the resolver
 * @pid: the process (attach, or run before exec); a kernel pid under
 *	ilp_resolver_set_pidns()
 * @fn: called as fn(ctx, fd, type, str) for each fd named: type has
 *	ILP_OBJ_F_CLOEXEC from fdinfo and ILP_OBJ_SRC(PROC) (or is
 *	UNRESOLVED, source LOST, when the pool is full); str is pooled in r,
 *	valid until ilp_resolver_free(); a non-zero return stops the calls
 * @ctx: passed to fn
 *
 * Also takes the process's cwd, for the paths it gives relative to it.
 * Out of memory, the fds not yet read are skipped.
 *
 * Returns 0, fn's non-zero return, -ESRCH (an unproved pid namespace
 * process), or opendir's -errno for /proc/PID/fd (-ENOENT: no such
 * process).
 */
int ilp_resolve_scan(struct ilp_resolver *r, int pid,
		     int (*fn)(void *ctx, int fd, unsigned type, const char *str), void *ctx);

struct ilp_pidns;

/**
 * ilp_resolver_set_pidns - reads /proc only through a pid namespace's proofs
 * @r: the resolver
 * @ns: the state (pidns.h), borrowed: it must outlive r; NULL: pids are
 *	/proc's (the default)
 *
 * Inside a pid namespace event pids are the kernel's; /proc is read for a
 * thread only through ns's proved translation (else no name: "lost"), and
 * ilp_resolver_on_record() feeds ns every record (it learns the threads as
 * they are decoded).  The pids the functions above take
 * (ilp_resolver_at_call()'s tid, ilp_resolve_scan()'s pid) are then kernel
 * pids.
 */
void ilp_resolver_set_pidns(struct ilp_resolver *r, struct ilp_pidns *ns);

/**
 * ilp_resolve_path_call - the syscalls whose path argument the resolver reads
 * @i: which one, from 0
 *
 * These are the events that may carry the kernel's copy (userstr.h).
 *
 * Returns the i-th name (static), or NULL past the end.
 */
const char *ilp_resolve_path_call(size_t i);

/**
 * ilp_resolve_exit_call - the syscalls ilp_resolver_at_exit() reads
 * @i: which one, from 0
 *
 * The calls that make or name an fd without a path (socket, accept, pipe,
 * connect...).
 *
 * Returns the i-th name (static), or NULL past the end.
 */
const char *ilp_resolve_exit_call(size_t i);

/* What the resolver counted (reports, tests). */
struct ilp_resolve_counts {
	uint64_t named[ILP_NAME_SRC_NSRC];	/* FD_INFO given, by source */
	uint64_t pool_dropped;			/* names not kept: pool full */
	uint64_t sock_diag, sock_procnet;	/* socket lookups, by way */
};
/**
 * ilp_resolver_counts - what the resolver counted, for reports and tests
 * @r: the resolver
 * @c: the caller's struct, filled
 */
void ilp_resolver_counts(const struct ilp_resolver *r, struct ilp_resolve_counts *c);

#endif
