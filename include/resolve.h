/* SPDX-License-Identifier: MIT */
#ifndef ILP_RESOLVE_H
#define ILP_RESOLVE_H

/*
 * fd -> object names, read from /proc while the fd still lives (source
 * side: this module does I/O; the model never does).
 *
 *   /proc/TID/fd/N       readlink: path, "socket:[ino]", "pipe:[ino]", anon inodes
 *   /proc/TID/fdinfo/N   flags (O_CLOEXEC), at attach time
 *   /proc/TID/net/{tcp,tcp6,udp,udp6,unix}   socket inode -> addresses (cached;
 *                        re-read only when an inode is not found)
 *   /proc/TID/mem        the path argument of an open/stat, when the fd is
 *                        already gone (or was reused) by the time we decode
 *
 * Strings are interned in a pool that lives as long as the resolver:
 * memory grows with distinct names, not with events.  A name that cannot
 * be found is never guessed: no event, and the model says "unresolved".
 */

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "fdmodel.h"

struct ilp_resolver;

int ilp_resolver_new(struct ilp_resolver **out);	/* 0 or -ENOMEM */
void ilp_resolver_free(struct ilp_resolver *r);		/* NULL ok */

/* a stable copy of s, valid until ilp_resolver_free; NULL on ENOMEM */
const char *ilp_resolver_intern(struct ilp_resolver *r, const char *s);

#define ILP_RESOLVE_MAX 2	/* FD_INFO events one syscall exit can produce */

/*
 * Called by the source for every decoded event, in each CPU's order.
 * Remembers the arguments of fd-creating and path-taking calls at
 * SYS_ENTER (a fixed direct-mapped table by tid: no malloc per event);
 * at their SYS_EXIT, fills up to ILP_RESOLVE_MAX ILP_EV_FD_INFO events
 * (same ts, pid, tid) in out and returns how many.
 */
int ilp_resolver_on_event(struct ilp_resolver *r, const struct ilp_event *ev,
			  struct ilp_event out[ILP_RESOLVE_MAX]);

/*
 * What fd of thread tid is now: *type (enum ilp_obj_type | ILP_OBJ_F_*)
 * and *str (interned).  with_flags: also read fdinfo for O_CLOEXEC.
 * 0, or -errno (-ENOENT: no such fd).
 */
int ilp_resolve_fd(struct ilp_resolver *r, int tid, int fd, int with_flags,
		   unsigned *type, const char **str);

/*
 * Calls fn for every open fd of process pid (attach/run start), with
 * ILP_OBJ_F_CLOEXEC from fdinfo.  0 or -errno (fn's non-zero return stops).
 */
int ilp_resolve_scan(struct ilp_resolver *r, int pid,
		     int (*fn)(void *ctx, int fd, unsigned type, const char *str), void *ctx);

struct ilp_pidns;
/*
 * Inside a pid namespace (pidns.h): event pids are the kernel's; /proc is
 * read for a thread only through ns's proved translation (else no name),
 * and ilp_resolver_on_event feeds ns every event (it learns the threads).
 * The pids the functions above take are then kernel pids.  ns must
 * outlive r; NULL: pids are /proc's (the default).
 */
void ilp_resolver_set_pidns(struct ilp_resolver *r, struct ilp_pidns *ns);

#endif
