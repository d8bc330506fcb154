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

#endif
