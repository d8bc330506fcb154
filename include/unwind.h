/* SPDX-License-Identifier: MIT */
#ifndef ILP_UNWIND_H
#define ILP_UNWIND_H

/*
 * User stack unwinding with libdw (elfutils): DWARF CFI, so it works
 * without frame pointers.  For the ptrace backend only: the thread must be
 * ptrace-stopped by us.  One Dwfl per process, made by the symbolizer
 * (symbolize.h) from its snapshot of the process's maps, with the ELF
 * files it has read, at first use, and dropped at exec or exit; the pcs
 * are named by the same symbolizer (ilp_symbolize_pc).
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ilp_unwind;

struct ilp_symbolizer;

/**
 * ilp_unwind_new - makes an unwinder
 * @out: set to it, to free with ilp_unwind_free(); NULL on error
 * @sym: the symbolizer whose snapshots and ELF files make each process's
 *	Dwfl (borrowed: it must outlive the unwinder)
 *
 * Returns 0, or -ENOMEM.
 */
int ilp_unwind_new(struct ilp_unwind **out, struct ilp_symbolizer *sym);

/**
 * ilp_unwind_free - drops every process's Dwfl and frees u
 * @u: the unwinder; NULL is a no-op
 *
 */
void ilp_unwind_free(struct ilp_unwind *u);

/**
 * ilp_unwind_stack - unwinds a stopped thread's user stack
 * @u: the unwinder
 * @pid: the thread's process (its Dwfl is made by the symbolizer from
 *	its snapshot of /proc/PID/maps at first use)
 * @tid: the thread, ptrace-stopped by us
 * @pcs: the caller's array, filled innermost first: pcs[0] is the exact
 *	pc, callers' entries are return address - 1 (inside the call
 *	instruction, so they symbolize to the calling line)
 * @max: entries at pcs, > 0
 *
 * A pc outside every known module (a library loaded since) makes the
 * maps be read again (when the snapshot is old enough), once per unwind.
 * Name the pcs with ilp_symbolize_pc().
 *
 * Returns the number of frames (at most max); or, when not even one frame
 * was found, -EINVAL (max 0), -ESRCH (the process's maps or registers
 * cannot be read, or out of memory), or -ENOENT.
 */
int ilp_unwind_stack(struct ilp_unwind *u, pid_t pid, pid_t tid, uint64_t *pcs, size_t max);

/**
 * ilp_unwind_forget - drops what u knows of a process
 * @u: the unwinder; NULL is a no-op
 * @pid: the process, which exec'd or exited: its address space is gone
 *
 * The symbolizer keeps its snapshot for names (ilp_symbolizer_exec()
 * drops it at an exec).
 */
void ilp_unwind_forget(struct ilp_unwind *u, pid_t pid);

#endif
