/* SPDX-License-Identifier: MIT */
#ifndef ILP_SYSCALLS_H
#define ILP_SYSCALLS_H

/*
 * The syscall table, generated at build time from the system's
 * <sys/syscall.h> (scripts/gen-syscalls.sh), with class bits that the model
 * and detectors use instead of comparing names.
 */

#include <stdint.h>

#define ILP_SC_MAX 1024		/* numbers at or above are "syscall_NNN" */

enum ilp_sc_class {
	ILP_SC_READ  = 1u << 0,	/* moves data in: read, pread64, recvfrom... */
	ILP_SC_WRITE = 1u << 1,	/* moves data out: write, pwrite64, sendto... */
	ILP_SC_SYNC  = 1u << 2,	/* flushes to storage: fsync, fdatasync, sync_file_range */
	ILP_SC_OPEN  = 1u << 3,	/* creates an fd from a path: open, openat, creat */
	ILP_SC_NET   = 1u << 4,	/* socket calls: socket, connect, accept, send*, recv* */
	ILP_SC_WAIT  = 1u << 5,	/* waits by design: poll, select, epoll_wait, futex, nanosleep, wait4 */
	ILP_SC_STAT  = 1u << 6,	/* metadata by path or fd: stat, fstat, newfstatat, statx, access */
	ILP_SC_CLOSE = 1u << 7,	/* releases an fd: close, close_range */
	ILP_SC_FD0   = 1u << 8,	/* args[0] is an fd */
	ILP_SC_POS   = 1u << 9,	/* positioned I/O: pread64, pwrite64, preadv... */
};

/**
 * ilp_syscall_name - the name of a syscall number
 * @nr: the number, any value
 *
 * Thread-safe (the table is built once, under pthread_once).
 *
 * Returns "write", or "syscall_NNN" for a number the table does not know.
 * For numbers in [0, ILP_SC_MAX) the string is static, stable for the life
 * of the process; for a number outside that range it lives in a per-thread
 * buffer that the next such call in the same thread overwrites.
 */
const char *ilp_syscall_name(int nr);

/**
 * ilp_syscall_nr - the number of a syscall name
 * @name: the name as the table spells it ("write"); NULL is allowed
 *
 * "syscall_NNN" names are not parsed.
 *
 * Returns the number, or -ENOENT for NULL or a name this architecture
 * does not have.
 */
int ilp_syscall_nr(const char *name);

/**
 * ilp_syscall_class - the class bits of a syscall number
 * @nr: the number, any value
 *
 * Cheap (an array index after the first call): it runs per event.
 *
 * Returns the enum ilp_sc_class bits, 0 for an unclassified or unknown
 * number.
 */
unsigned ilp_syscall_class(int nr);

/**
 * ilp_syscall_count - how many numbers the table spans
 *
 * Returns the highest known syscall number + 1 (at most ILP_SC_MAX).
 */
int ilp_syscall_count(void);

/*
 * strace's syscall classes, for -e trace=%file and the like: membership as
 * strace (6.1) defines it for x86_64, in src/util/syscalls_strace.h, made
 * by scripts/strace-classes.sh from strace itself.  Keyed by name, so
 * another architecture gets the same class for the calls it shares.
 */
enum ilp_strace_class {
	ILP_TRACE_FILE     = 1u << 0,	/* %file: takes a file name */
	ILP_TRACE_IPC      = 1u << 1,	/* %ipc: SysV IPC */
	ILP_TRACE_NETWORK  = 1u << 2,	/* %network, %net */
	ILP_TRACE_PROCESS  = 1u << 3,	/* %process: process lifecycle */
	ILP_TRACE_SIGNAL   = 1u << 4,	/* %signal */
	ILP_TRACE_DESC     = 1u << 5,	/* %desc: file descriptor related */
	ILP_TRACE_MEMORY   = 1u << 6,	/* %memory: memory mapping */
	ILP_TRACE_CREDS    = 1u << 7,	/* %creds: user/group ids, capabilities */
	ILP_TRACE_CLOCK    = 1u << 8,	/* %clock: read or set system clocks */
	ILP_TRACE_STAT     = 1u << 9,	/* %stat: stat variants */
	ILP_TRACE_LSTAT    = 1u << 10,	/* %lstat */
	ILP_TRACE_FSTAT    = 1u << 11,	/* %fstat: fstat, fstatat, statx */
	ILP_TRACE_STAT_ANY = 1u << 12,	/* %%stat: any of the three */
	ILP_TRACE_STATFS   = 1u << 13,	/* %statfs */
	ILP_TRACE_FSTATFS  = 1u << 14,	/* %fstatfs */
	ILP_TRACE_STATFS_ANY = 1u << 15,	/* %%statfs: both, and ustat */
	ILP_TRACE_PURE     = 1u << 16,	/* %pure: no arguments, never fail */
};

/**
 * ilp_syscall_strace_class - strace's classes of a syscall number
 * @nr: the number, any value
 *
 * Cheap (an array index after the first call), thread-safe.
 *
 * Returns the enum ilp_strace_class bits, 0 for a call in no class or an
 * unknown number.
 */
unsigned ilp_syscall_strace_class(int nr);

/**
 * ilp_strace_class_by_name - the class of a name as -e trace= types it
 * @name: "%file", with its % ("%%stat" with both); NULL is allowed
 *
 * strace's deprecated spelling without the % ("file") is not taken.
 *
 * Returns one enum ilp_strace_class bit, or -ENOENT for NULL or a name
 * strace has no class of.
 */
int ilp_strace_class_by_name(const char *name);

/**
 * ilp_strace_class_name - the i-th class name, for listing them
 * @i: 0 to the number of names - 1
 *
 * Every spelling -e takes, "%net" and "%network" both, in strace's man
 * page order.
 *
 * Returns a static string, or NULL for @i out of range.
 */
const char *ilp_strace_class_name(int i);

#endif
