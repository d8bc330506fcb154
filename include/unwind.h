/* SPDX-License-Identifier: MIT */
#ifndef ILP_UNWIND_H
#define ILP_UNWIND_H

/*
 * User stack unwinding and symbolization with libdw (elfutils): DWARF CFI,
 * so it works without frame pointers.  For the ptrace backend only: the
 * thread must be ptrace-stopped by us.  One Dwfl per process, built from
 * /proc/PID/maps at first use and dropped at exec or exit.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ilp_unwind;

int ilp_unwind_new(struct ilp_unwind **out);	/* 0 or -ENOMEM */
void ilp_unwind_free(struct ilp_unwind *u);	/* NULL is a no-op */

/*
 * Unwinds thread tid of process pid (stopped by our ptrace): pcs[0] is the
 * exact pc, callers' entries are return address - 1 (inside the call
 * instruction, so they symbolize to the calling line).  Returns the number
 * of frames (at most max), or -errno when not even one frame was found.
 */
int ilp_unwind_stack(struct ilp_unwind *u, pid_t pid, pid_t tid, uint64_t *pcs, size_t max);

/*
 * Names pc of process pid: *func (symbol, NULL if none), *file and *line
 * (NULL/0 without line info), *module (the mapped file).  Strings stay valid until the next call for
 * another pc or ilp_unwind_forget(pid).  0 or -ENOENT (no module).
 */
int ilp_unwind_symbolize(struct ilp_unwind *u, pid_t pid, uint64_t pc, const char **func,
			 const char **file, int *line, const char **module);

/* pid exec'd or exited: its address space is gone. */
void ilp_unwind_forget(struct ilp_unwind *u, pid_t pid);

#endif
