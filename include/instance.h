/* SPDX-License-Identifier: MIT */
#ifndef ILP_INSTANCE_H
#define ILP_INSTANCE_H

/*
 * A private tracefs instance, "iolockprof-<random token>", configured for
 * one capture, owned provably (include/owner.h: a lock the kernel drops
 * when we die, and a file held open inside so rmdir fails while we live).
 * Never touches the top-level buffer, other tools' instances, or another
 * session's unless its owner is provably dead.  ilp_instance_free()
 * removes the instance; call it on every exit path.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ilp_instance;
struct tracefs_instance;

#include "owner.h"
#include "uprobe.h"

#define ILP_INSTANCE_PREFIX ILP_OWNER_PREFIX
/* the companion instance "iolockprof-<token>-sys": no pid filter, only the
 * ILP_TP_UNFILTERED events (block I/O); created, started, stopped, counted
 * and removed with the main one */
#define ILP_INSTANCE_SYS_SUFFIX ILP_OWNER_SYS_SUFFIX

struct ilp_instance_opts {
	size_t buffer_kb;		/* per-CPU ring buffer size */
	const int *syscalls;		/* NULL: all syscalls; else these numbers ... */
	size_t nsyscalls;		/* ... (the -e list) */
	int user_stacks;		/* --stacks: options/userstacktrace on the
					 * main instance (a user_stack record after
					 * each of its events) */
	const struct ilp_uprobe_lib *holds;	/* --lock-holds: the libcs to probe ... */
	size_t nholds;			/* ... (uprobe.h), 0: none */
	int sleep_stacks;		/* --sleep-stacks: the kernel stack of every
					 * sleep (a sched_switch trigger) */
};

/**
 * ilp_tracefs_check - makes sure tracefs is mounted and usable by us
 *
 * Mounts tracefs at /sys/kernel/tracing if it is not mounted.
 *
 * Returns 0, -EACCES or -EPERM (not root: the instances directory is not
 * writable, or the mount is refused), or -ENODEV (no tracefs).
 */
int ilp_tracefs_check(void);

/**
 * ilp_instance_remove_stale - removes the instances of dead sessions
 * @note: hears every verdict on an iolockprof name (owner.h); may be NULL
 * @ctx: passed to note
 *
 * Only sessions whose owner is provably dead (include/owner.h: its lock
 * can be taken) lose their instances; no lock directory yet means nothing
 * of ours is provably dead.
 *
 * Returns the number of sessions removed, or -errno (-ENODEV: no tracefs;
 * -EUCLEAN: ILP_LOCK_DIR is not a directory only we can write).
 */
int ilp_instance_remove_stale(ilp_stale_note_fn note, void *ctx);

/**
 * ilp_instance_new - creates and configures the instance
 * @o: buffer size and the -e syscall list; read only during the call
 * @out: set to the instance, to free with ilp_instance_free() on every exit
 *	path; NULL on error
 *
 * Claims a fresh name (another one if the directory exists: nothing of
 * anyone else's is removed), makes the instance and its companion, each
 * with its trace_marker held open, and sets them up: "mono" trace clock,
 * buffer_kb per CPU (the companion's smaller), no overwrite (events lost
 * to a full buffer are dropped and counted), event-fork on, the decoder's
 * events enabled (the -e filter on the syscall ones), with o->holds its
 * own uprobes defined and enabled in it alone (uprobe.h), and with
 * o->sleep_stacks a stacktrace trigger on sched_switch for tasks leaving
 * the CPU asleep (removed before the events are turned off and before the
 * instance is removed).  Tracing is off and no pid is in the filter yet.
 * On error, whatever was made is removed.
 *
 * Returns 0 or -errno: -EUCLEAN (ILP_LOCK_DIR is not a directory only we
 * can write), -ETIMEDOUT (instance creation hangs in the kernel, given up
 * after 10 s), -ENOENT (a required event cannot be enabled), -ENOTSUP (no
 * event-fork option), -EAGAIN (8 fresh names were all taken), -EIO (a
 * tracefs write failed), -ENOMEM.
 */
int ilp_instance_new(const struct ilp_instance_opts *o, struct ilp_instance **out);

/**
 * ilp_instance_uprobe_group - the event group of the instance's uprobes
 * @in: the instance
 *
 * Returns "iolockprof_<token>" (--lock-holds: uprobe.h), or NULL when the
 * instance has none.
 */
const char *ilp_instance_uprobe_group(const struct ilp_instance *in);

/**
 * ilp_instance_free - disables tracing, removes the instance and frees it
 * @in: the instance; NULL is a no-op
 *
 * Both instances go, then the uprobes of --lock-holds; the lock file goes
 * only once all are gone: if one stays (busy), a later session removes it
 * when it can.
 */
void ilp_instance_free(struct ilp_instance *in);

/**
 * ilp_instance_add_pids - adds tids to the instance's pid filter
 * @in: the instance
 * @tids: the thread ids (set_event_pid); read only during the call
 * @n: how many; 0 does nothing
 *
 * Event-fork is on: the children of these tasks follow by themselves.
 *
 * Returns 0, -ENOMEM, or the -errno of the write to set_event_pid.
 */
int ilp_instance_add_pids(struct ilp_instance *in, const pid_t *tids, size_t n);

/**
 * ilp_instance_start - turns tracing on, in both instances
 * @in: the instance
 *
 * The events were enabled by ilp_instance_new().
 *
 * Returns 0 or -EIO.
 */
int ilp_instance_start(struct ilp_instance *in);

/**
 * ilp_instance_stop - turns tracing off, in both instances
 * @in: the instance
 *
 * Returns 0 or -EIO.
 */
int ilp_instance_stop(struct ilp_instance *in);

/**
 * ilp_instance_events_off - no more events, the marker still works
 * @in: the instance
 *
 * Every event off, the companion's tracing off, the main buffer still on:
 * no more events come, but trace_marker lines still land in the buffer
 * (record writes its last facts after the final drain).
 *
 * Returns 0 or -EIO.
 */
int ilp_instance_events_off(struct ilp_instance *in);

/**
 * ilp_instance_capture - pauses or resumes the events (attach --continuous)
 * @in: the instance, started
 * @on: 0 to pause, 1 to resume
 *
 * Pausing writes 0 to the enable file of each event the instances have
 * on (listed from their set_event at the first pause), which removes the
 * kernel's tracepoint hooks: between captures the traced tasks run at
 * full speed (tracing_on 0 would only stop the writes).  The pid filter
 * stays, and follows new threads meanwhile.  Resuming enables the same
 * events again.  Events are enabled and disabled one at a time: the
 * caller drops what a partly enabled set recorded (the first events
 * before the resume returned).
 *
 * Returns 0, -EIO if an enable file could not be written, or -ENOMEM.
 */
int ilp_instance_capture(struct ilp_instance *in, int on);

/**
 * ilp_instance_name - the instance's name
 * @in: the instance
 *
 * Returns "iolockprof-<token>", owned by in (valid until ilp_instance_free).
 */
const char *ilp_instance_name(const struct ilp_instance *in);

/**
 * ilp_instance_mark - writes a line into the instance's buffer
 * @in: the instance
 * @line: the text (NUL-terminated), written as it is: one marker entry
 *
 * Goes through the trace_marker fd that holds the instance: no path, no
 * open per line.
 *
 * Returns 0, -EBADF (no marker held), the -errno of the write, or -EIO
 * (a short write).
 */
int ilp_instance_mark(struct ilp_instance *in, const char *line);

/**
 * ilp_instance_tracefs - the libtracefs handle of the main instance
 * @in: the instance
 *
 * Returns the handle, owned by in (valid until ilp_instance_free).
 */
struct tracefs_instance *ilp_instance_tracefs(struct ilp_instance *in);

/**
 * ilp_instance_ncpus - how many per-CPU buffers the main instance has
 * @in: the instance
 *
 * Returns the number of CPUs.
 */
int ilp_instance_ncpus(const struct ilp_instance *in);

/**
 * ilp_instance_sys_tracefs - the libtracefs handle of the companion
 * @in: the instance
 *
 * Returns the companion's handle, owned by in (valid until
 * ilp_instance_free); NULL if there is none.
 */
struct tracefs_instance *ilp_instance_sys_tracefs(struct ilp_instance *in);

/**
 * ilp_instance_sys_ncpus - how many per-CPU buffers the companion has
 * @in: the instance
 *
 * Returns the number of CPUs, 0 if there is no companion.
 */
int ilp_instance_sys_ncpus(const struct ilp_instance *in);

/**
 * ilp_instance_lost - the events the kernel lost so far
 * @in: the instance
 *
 * Read from per_cpu/cpuN/stats (a CPU whose stats cannot be read counts 0).
 *
 * Returns overrun + dropped + commit overrun over all CPUs of both
 * instances.
 */
uint64_t ilp_instance_lost(struct ilp_instance *in);

#endif
