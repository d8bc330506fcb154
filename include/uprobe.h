/* SPDX-License-Identifier: MIT */
#ifndef ILP_UPROBE_H
#define ILP_UPROBE_H

/*
 * --lock-holds: uprobes on the libc the traced processes map
 * (pthread_mutex_lock and friends: decode.h's table).  Uprobe definitions
 * are global (tracefs uprobe_events), so each session puts its own in an
 * event group named after its instance: "iolockprof_<token>" for the
 * instance "iolockprof-<token>" (a group name takes no '-'), enables them
 * only in its private instance, and removes them on every exit path
 * (instance.c).  A killed session's group is removed by the next one
 * under the instances' rule (owner.h): only once its lock can be taken.
 * A probe enabled in an instance cannot be removed (EBUSY): the instance
 * goes first.  Groups of other names are never touched.
 *
 * A uprobe traps (int3) in every process that maps the file, traced or
 * not, while it is enabled: the pid filter drops the others' events, not
 * their cost.
 */

#include <stddef.h>
#include <stdint.h>

#define ILP_UPROBE_GROUP_PREFIX "iolockprof_"
#define ILP_UPROBE_SPECS_MAX 32
#define ILP_UPROBE_LIBS_MAX 8
#define ILP_UPROBE_GROUP_MAX 64

/* A libc to probe: where the kernel finds it, and the functions' offsets. */
struct ilp_uprobe_lib {
	char path[96];		/* "/proc/PID/map_files/START-END": the mapped file itself */
	char shown[256];	/* its path in the process, for people */
	uint64_t dev, ino;
	uint64_t off[ILP_UPROBE_SPECS_MAX];	/* per decode.h spec row; 0: not found */
};

/**
 * ilp_uprobe_check - tells whether this kernel takes uprobe events
 *
 * Returns 0, or -ENOTSUP (no uprobe_events in tracefs: a kernel without
 * CONFIG_UPROBE_EVENTS) or -EACCES (not writable by us).
 */
int ilp_uprobe_check(void);

/**
 * ilp_uprobe_libc_of - the libc a process maps, and its functions' offsets
 * @pid: the process (its /proc number)
 * @lib: filled: the file (through /proc/PID/map_files, so a process in
 *	another root or with a deleted file is probed on its own file) and
 *	the file offset of each spec row's symbol (default version)
 *
 * The libc is the mapped file named libc.so.6 (or libc.so, libc-*.so); it
 * is opened and checked as the symbolizer opens every mapped file.
 *
 * Returns 0, -ESRCH (no such process), -ENOENT (it maps no libc, or a libc
 * without pthread_mutex_lock/unlock: static, or not glibc-like),
 * -ENOTSUP (not x86-64: no fetch arguments known), or -ENOMEM.
 */
int ilp_uprobe_libc_of(int pid, struct ilp_uprobe_lib *lib);

/**
 * ilp_uprobe_group_of - the uprobe group of a session
 * @base: its instance name, "iolockprof-<token>"
 * @buf: set to "iolockprof_<token>"
 * @size: bytes at buf (ILP_UPROBE_GROUP_MAX is enough)
 */
void ilp_uprobe_group_of(const char *base, char *buf, size_t size);

/**
 * ilp_uprobe_create - defines a group's probes on a libc
 * @group: the session's group
 * @idx: the libc's index among the session's (the events' "_N" suffix)
 * @lib: the libc (ilp_uprobe_libc_of)
 *
 * One uprobe or uretprobe per spec row whose symbol was found.  Not
 * enabled anywhere yet.
 *
 * Returns 0, or the -errno of the write of a required one (the ones made
 * stay: ilp_uprobe_remove_group removes them).
 */
int ilp_uprobe_create(const char *group, int idx, const struct ilp_uprobe_lib *lib);

/**
 * ilp_uprobe_remove_group - removes every probe of a group
 * @group: the group; must be ours (a live session's probes are never
 *	passed here)
 *
 * Returns 0 (none left, or there never were), -EBUSY (a probe is still
 * enabled in some instance: it stays), or another -errno.
 */
int ilp_uprobe_remove_group(const char *group);

/**
 * ilp_uprobe_remove_owned - removes the probes of a dead session
 * @base: the session's instance name, "iolockprof-<token>"
 *
 * For ilp_owner_remove_stale_also(): called once base's lock is ours.
 *
 * Returns as ilp_uprobe_remove_group().
 */
int ilp_uprobe_remove_owned(const char *base);

#endif
