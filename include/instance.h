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

#define ILP_INSTANCE_PREFIX ILP_OWNER_PREFIX
/* the companion instance "iolockprof-<token>-sys": no pid filter, only the
 * ILP_TP_UNFILTERED events (block I/O); created, started, stopped, counted
 * and removed with the main one */
#define ILP_INSTANCE_SYS_SUFFIX ILP_OWNER_SYS_SUFFIX

struct ilp_instance_opts {
	size_t buffer_kb;		/* per-CPU ring buffer size */
	const int *syscalls;		/* NULL: all syscalls; else these numbers ... */
	size_t nsyscalls;		/* ... (the -e list) */
};

/*
 * Makes sure tracefs is mounted (mounting it at /sys/kernel/tracing if not)
 * and usable by us.  0, -EACCES/-EPERM (not root), -ENODEV (no tracefs).
 */
int ilp_tracefs_check(void);

/*
 * Removes the instances of iolockprof sessions that are provably dead
 * (include/owner.h); note (may be NULL) hears every verdict.  Number of
 * sessions removed, or -errno.
 */
int ilp_instance_remove_stale(ilp_stale_note_fn note, void *ctx);

/*
 * Creates and configures the instance with tracing off and no pid in the
 * filter yet.  0 or -errno (-EUCLEAN: ILP_LOCK_DIR is not a directory only
 * we can write; -ETIMEDOUT: instance creation hangs in the kernel, given
 * up after 10 s); *out NULL on error.
 */
int ilp_instance_new(const struct ilp_instance_opts *o, struct ilp_instance **out);
/* Disables tracing, removes the instance and frees.  NULL is a no-op. */
void ilp_instance_free(struct ilp_instance *in);

/* Adds tids to set_event_pid (event-fork is on: children follow). */
int ilp_instance_add_pids(struct ilp_instance *in, const pid_t *tids, size_t n);
int ilp_instance_start(struct ilp_instance *in);	/* events on, tracing on */
int ilp_instance_stop(struct ilp_instance *in);		/* tracing off */
/* Every event off, the companion's tracing off, the main buffer still on:
 * no more events come, but trace_marker lines still land in the buffer
 * (record writes its last facts after the final drain).  0 or -EIO. */
int ilp_instance_events_off(struct ilp_instance *in);

const char *ilp_instance_name(const struct ilp_instance *in);
/*
 * Writes line into the instance's buffer (its trace_marker, the fd that
 * holds the instance: no path, no open per line).  0 or -errno.
 */
int ilp_instance_mark(struct ilp_instance *in, const char *line);
struct tracefs_instance *ilp_instance_tracefs(struct ilp_instance *in);
int ilp_instance_ncpus(const struct ilp_instance *in);
/* the companion's tracefs instance and CPU count (NULL / 0 if none) */
struct tracefs_instance *ilp_instance_sys_tracefs(struct ilp_instance *in);
int ilp_instance_sys_ncpus(const struct ilp_instance *in);
/* Events the kernel lost so far: overrun + dropped + commit overrun over
 * all CPUs of both instances. */
uint64_t ilp_instance_lost(struct ilp_instance *in);

#endif
