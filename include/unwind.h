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

/**
 * ilp_unwind_new - makes an unwinder
 * @out: set to it, to free with ilp_unwind_free(); NULL on error
 *
 * Returns 0, or -ENOMEM.
 */
int ilp_unwind_new(struct ilp_unwind **out);

/**
 * ilp_unwind_free - drops every process's Dwfl and frees u
 * @u: the unwinder; NULL is a no-op
 *
 * Strings ilp_unwind_symbolize() returned are gone with it.
 */
void ilp_unwind_free(struct ilp_unwind *u);

/**
 * ilp_unwind_stack - unwinds a stopped thread's user stack
 * @u: the unwinder
 * @pid: the thread's process (its Dwfl is built from /proc/PID/maps at
 *	first use)
 * @tid: the thread, ptrace-stopped by us
 * @pcs: the caller's array, filled innermost first: pcs[0] is the exact
 *	pc, callers' entries are return address - 1 (inside the call
 *	instruction, so they symbolize to the calling line)
 * @max: entries at pcs, > 0
 *
 * A pc outside every known module (a library loaded since) makes the
 * module list be read again, once per unwind.
 *
 * Returns the number of frames (at most max); or, when not even one frame
 * was found, -EINVAL (max 0), -ESRCH (the process's maps or registers
 * cannot be read, or out of memory), or -ENOENT.
 */
int ilp_unwind_stack(struct ilp_unwind *u, pid_t pid, pid_t tid, uint64_t *pcs, size_t max);

/**
 * ilp_unwind_symbolize - names a pc of a process
 * @u: the unwinder
 * @pid: the process
 * @pc: the address (as ilp_unwind_stack() gave it)
 * @func: set to the symbol, NULL if none
 * @file: set to the source file, NULL without line info
 * @line: set to the source line, 0 without line info
 * @module: set to the mapped file, NULL on error
 *
 * The strings belong to u: they stay valid until the next call for
 * another pc, ilp_unwind_forget(pid) or ilp_unwind_free().
 *
 * Returns 0; -ENOENT (pc is in no module); or -ESRCH (the process's maps
 * cannot be read, or out of memory).
 */
int ilp_unwind_symbolize(struct ilp_unwind *u, pid_t pid, uint64_t pc, const char **func,
			 const char **file, int *line, const char **module);

/**
 * ilp_unwind_forget - drops what u knows of a process
 * @u: the unwinder; NULL is a no-op
 * @pid: the process, which exec'd or exited: its address space is gone
 */
void ilp_unwind_forget(struct ilp_unwind *u, pid_t pid);

#endif
