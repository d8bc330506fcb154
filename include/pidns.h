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

struct ilp_event;
struct ilp_instance;
struct ilp_pidns;

/**
 * ilp_pidns_nested - tells whether we run inside a pid namespace
 *
 * Returns 1 if we are in a pid namespace other than the initial one (or
 * cannot tell: /proc/self/ns/pid unreadable; learning is right anywhere),
 * 0 if in the initial one.
 */
int ilp_pidns_nested(void);

/**
 * ilp_pidns_new - readies the learning of a child's kernel pid (run, before fork)
 * @in: the session's instance; its companion instance is borrowed by the
 *	result: free the result (ilp_pidns_free()) before the instance
 * @out: set to the new state, to free with ilp_pidns_free(); NULL when not
 *	nested (nothing to learn) and on error
 *
 * If nested, turns the companion instance's tracing on (no effect on the
 * capture: its buffer is cleared again by ilp_pidns_learn()), in raw
 * format, and opens its trace_marker for the child.
 *
 * Returns 0; -ENOMEM; -EIO (no companion instance, or tracing could not
 * be turned on); or the -errno of getrandom or of opening trace_marker.
 */
int ilp_pidns_new(struct ilp_instance *in, struct ilp_pidns **out);

/**
 * ilp_pidns_child - the child's half: writes its token to trace_marker
 * @ns: the state; NULL is a no-op
 *
 * Called in the child before it waits to exec: one write(2), async-signal-
 * safe.  A failed write is not reported: the parent times out and says so.
 */
void ilp_pidns_child(const struct ilp_pidns *ns);

/**
 * ilp_pidns_learn - the parent's half: the child's kernel pid
 * @ns: the state; NULL: *kpid = local, nothing else
 * @local: the child's pid here (what fork returned)
 * @kpid: set to the child's kernel pid, or to local when it is not learnt
 *
 * Waits (at most 2 s, polling the companion's "trace") for the child's
 * token and proves the child's kernel pid (ilp_pidns_proc_pid() then maps
 * it to local).  Restores the companion (tracing off, buffer cleared)
 * either way.
 *
 * Returns 0, -ETIMEDOUT (no token came), or -ENOMEM.
 */
int ilp_pidns_learn(struct ilp_pidns *ns, pid_t local, pid_t *kpid);

/**
 * ilp_pidns_proc_pid - the pid by which /proc here knows a kernel tid's process
 * @ns: the state; NULL when not nested
 * @ktid: a kernel tid (as events carry it)
 *
 * Returns ktid itself when ns is NULL; the learnt child's pid here for the
 * child and the threads it made (until they exit); else 0: not proved, do
 * not read /proc for it.
 */
pid_t ilp_pidns_proc_pid(const struct ilp_pidns *ns, pid_t ktid);

/**
 * ilp_pidns_on_event - follows the proved process through an event
 * @ns: the state; NULL is a no-op
 * @ev: the event, borrowed for the call
 *
 * A thread a proved tid creates (TASK_NEW with CLONE_THREAD) is proved;
 * an exited tid no longer is (its number may be reused).  Out of memory,
 * a new thread stays unproved: a name less, never a wrong one.
 */
void ilp_pidns_on_event(struct ilp_pidns *ns, const struct ilp_event *ev);

/**
 * ilp_pidns_free - restores the companion if ilp_pidns_learn() did not, frees
 * @ns: the state; NULL is a no-op
 *
 * Call it before the instance given to ilp_pidns_new() is freed.
 */
void ilp_pidns_free(struct ilp_pidns *ns);

#endif
