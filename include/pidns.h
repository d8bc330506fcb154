/* SPDX-License-Identifier: MIT */
#ifndef ILP_PIDNS_H
#define ILP_PIDNS_H

/*
 * Running inside a pid namespace (a container, `unshare -p -f
 * --mount-proc`): the kernel's tracing knows every task by its pid in the
 * initial namespace (set_event_pid takes those; every event carries them),
 * while fork() and /proc here give pids of our namespace.  A child's
 * kernel pid is learnt from the kernel itself: before it execs, the child
 * writes a random token to the companion instance's trace_marker; the
 * record carries its pid as the kernel numbers it (common_pid), read back
 * from the buffer.  Its threads and children then follow through
 * event-fork.
 *
 * The report numbers processes as the kernel does (the host's pids).
 * /proc is read only for the process whose pid here is proved (the
 * command itself, with the threads it makes); for its child processes,
 * names read from /proc (fd paths, lock symbols) are left out, never
 * guessed.
 *
 * attach cannot learn the kernel pid of a process it did not start: it
 * refuses inside a pid namespace (ilp_pidns_nested).
 */

#include <sys/types.h>

struct ilp_instance;
struct ilp_pidns;

/* 1 if we are in a pid namespace other than the initial one (or cannot
 * tell: /proc/self/ns/pid unreadable), 0 if in the initial one. */
int ilp_pidns_nested(void);

/*
 * run, before fork: if nested, turns the companion instance's tracing on
 * (no effect on the capture: its buffer is cleared again by
 * ilp_pidns_learn) and opens its trace_marker for the child.  *out NULL
 * when not nested (nothing to learn).  0 or -errno.
 */
int ilp_pidns_new(struct ilp_instance *in, struct ilp_pidns **out);
/* In the child, before it waits to exec: one write(2) of the token.  NULL: no-op. */
void ilp_pidns_child(const struct ilp_pidns *ns);
/*
 * In the parent after fork: waits (at most 2 s) for the child's token in
 * the buffer and sets *kpid to the child's kernel pid (local: its pid
 * here); restores the companion (tracing off, buffer cleared).  With ns
 * NULL, *kpid = local.  0, -ETIMEDOUT (no token came), or -errno.
 */
int ilp_pidns_learn(struct ilp_pidns *ns, pid_t local, pid_t *kpid);
/* The pid /proc here knows kernel tid ktid's process by: ktid itself when
 * ns is NULL; the learnt child's pid here for the child and the threads
 * it made; else 0 (not proved: do not read /proc). */
pid_t ilp_pidns_proc_pid(const struct ilp_pidns *ns, pid_t ktid);
struct ilp_event;
/* Follows the proved process: a thread it creates (TASK_NEW with
 * CLONE_THREAD from a proved tid) is proved; an exited tid no longer is.
 * NULL: no-op. */
void ilp_pidns_on_event(struct ilp_pidns *ns, const struct ilp_event *ev);
/* Restores the companion if ilp_pidns_learn did not, frees.  Call it
 * before the instance is freed.  NULL is a no-op. */
void ilp_pidns_free(struct ilp_pidns *ns);

#endif
