// SPDX-License-Identifier: MIT
/*
 * Syscall names and class bits, see include/syscalls.h.
 *
 * Names come from build/gen/syscalls_gen.h (scripts/gen-syscalls.sh: every
 * __NR_name of this architecture, sorted by number).  Classes come from the
 * hand-written, strace-style table below, keyed by name so that one table
 * serves every architecture: a name this architecture lacks is skipped.
 *
 * strace's classes (-e trace=%file...) come from src/util/syscalls_strace.h,
 * rows made by scripts/strace-classes.sh from strace itself, also by name.
 *
 * ilp_syscall_class() runs per event, so the tables are joined once into
 * dense nr-indexed arrays (pthread_once; read-only afterwards).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "syscalls.h"

struct ilp_sc_row {
	int nr;
	const char *name;
};

static const struct ilp_sc_row ilp_sc_rows[] = {
#include "syscalls_gen.h"
};

#define ILP_SC_NROWS	(sizeof(ilp_sc_rows) / sizeof(ilp_sc_rows[0]))

/* short aliases for the table only */
#define RD	ILP_SC_READ
#define WR	ILP_SC_WRITE
#define SY	ILP_SC_SYNC
#define OP	ILP_SC_OPEN
#define NT	ILP_SC_NET
#define WT	ILP_SC_WAIT
#define ST	ILP_SC_STAT
#define CL	ILP_SC_CLOSE
#define F0	ILP_SC_FD0
#define PS	ILP_SC_POS

/*
 * One row per name.  F0 means args[0] is an fd the call acts on; a dirfd
 * (openat, newfstatat...) does not count, it is often AT_FDCWD.
 * *_time64 and 32-bit variants are listed so other architectures classify.
 */
static const struct ilp_sc_class_row {
	const char *name;
	unsigned cls;
} ilp_sc_classes[] = {
	/* data in */
	{ "read",		RD | F0 },
	{ "readv",		RD | F0 },
	{ "pread64",		RD | F0 | PS },
	{ "preadv",		RD | F0 | PS },
	{ "preadv2",		RD | F0 | PS },
	{ "recv",		RD | NT | F0 },
	{ "recvfrom",		RD | NT | F0 },
	{ "recvmsg",		RD | NT | F0 },
	{ "recvmmsg",		RD | NT | F0 },
	{ "recvmmsg_time64",	RD | NT | F0 },
	/* data out */
	{ "write",		WR | F0 },
	{ "writev",		WR | F0 },
	{ "pwrite64",		WR | F0 | PS },
	{ "pwritev",		WR | F0 | PS },
	{ "pwritev2",		WR | F0 | PS },
	{ "send",		WR | NT | F0 },
	{ "sendto",		WR | NT | F0 },
	{ "sendmsg",		WR | NT | F0 },
	{ "sendmmsg",		WR | NT | F0 },
	{ "sendfile",		WR | F0 },
	{ "sendfile64",		WR | F0 },
	/* flush to storage */
	{ "fsync",		SY | F0 },
	{ "fdatasync",		SY | F0 },
	{ "sync_file_range",	SY | F0 },
	{ "sync_file_range2",	SY | F0 },
	{ "arm_sync_file_range", SY | F0 },
	{ "syncfs",		SY | F0 },
	{ "sync",		SY },
	{ "msync",		SY },
	/* fd from a path */
	{ "open",		OP },
	{ "openat",		OP },
	{ "openat2",		OP },
	{ "creat",		OP },
	{ "open_by_handle_at",	OP },
	/* sockets without data */
	{ "socket",		NT },
	{ "socketpair",		NT },
	{ "socketcall",		NT },
	{ "connect",		NT | F0 },
	{ "accept",		NT | F0 },
	{ "accept4",		NT | F0 },
	{ "bind",		NT | F0 },
	{ "listen",		NT | F0 },
	{ "shutdown",		NT | F0 },
	{ "getsockopt",		NT | F0 },
	{ "setsockopt",		NT | F0 },
	{ "getsockname",	NT | F0 },
	{ "getpeername",	NT | F0 },
	/* waits by design */
	{ "poll",		WT },
	{ "ppoll",		WT },
	{ "ppoll_time64",	WT },
	{ "select",		WT },
	{ "_newselect",		WT },
	{ "pselect6",		WT },
	{ "pselect6_time64",	WT },
	{ "epoll_wait",		WT | F0 },
	{ "epoll_pwait",	WT | F0 },
	{ "epoll_pwait2",	WT | F0 },
	{ "futex",		WT },
	{ "futex_time64",	WT },
	{ "futex_waitv",	WT },
	{ "futex_wait",		WT },
	{ "nanosleep",		WT },
	{ "clock_nanosleep",	WT },
	{ "clock_nanosleep_time64", WT },
	/* continues a wait a signal or task work (io_uring's TWA_SIGNAL)
	 * interrupted: only sleeps, futex and poll waits have a restart block */
	{ "restart_syscall",	WT },
	{ "wait4",		WT },
	{ "waitid",		WT },
	{ "waitpid",		WT },
	{ "pause",		WT },
	{ "rt_sigtimedwait",	WT },
	{ "rt_sigtimedwait_time64", WT },
	{ "rt_sigsuspend",	WT },
	{ "semtimedop",		WT },
	{ "semtimedop_time64",	WT },
	/* metadata */
	{ "stat",		ST },
	{ "stat64",		ST },
	{ "fstat",		ST | F0 },
	{ "fstat64",		ST | F0 },
	{ "lstat",		ST },
	{ "lstat64",		ST },
	{ "newfstatat",		ST },
	{ "fstatat64",		ST },
	{ "statx",		ST },
	{ "access",		ST },
	{ "faccessat",		ST },
	{ "faccessat2",		ST },
	{ "statfs",		ST },
	{ "fstatfs",		ST | F0 },
	/* release an fd (close_range takes a range, not one fd) */
	{ "close",		CL | F0 },
	{ "close_range",	CL },
	/* other calls on an fd */
	{ "lseek",		F0 },
	{ "_llseek",		F0 },
	{ "ioctl",		F0 },
	{ "fcntl",		F0 },
	{ "fcntl64",		F0 },
	{ "getdents",		F0 },
	{ "getdents64",		F0 },
	{ "ftruncate",		F0 },
	{ "ftruncate64",	F0 },
	{ "fallocate",		F0 },
	{ "fadvise64",		F0 },
	{ "fadvise64_64",	F0 },
	{ "readahead",		F0 },
	{ "flock",		F0 },
	{ "fchmod",		F0 },
	{ "fchown",		F0 },
	{ "fchdir",		F0 },
	{ "dup",		F0 },
	{ "dup2",		F0 },
	{ "dup3",		F0 },
	{ "splice",		F0 },
	{ "tee",		F0 },
	{ "vmsplice",		F0 },
	{ "copy_file_range",	F0 },
	{ "epoll_ctl",		F0 },
	{ "io_uring_enter",	F0 },
	{ "fgetxattr",		F0 },
	{ "fsetxattr",		F0 },
	{ "flistxattr",		F0 },
	{ "fremovexattr",	F0 },
	{ "inotify_add_watch",	F0 },
	{ "timerfd_settime",	F0 },
	{ "timerfd_gettime",	F0 },
};

#undef RD
#undef WR
#undef SY
#undef OP
#undef NT
#undef WT
#undef ST
#undef CL
#undef F0
#undef PS

#define ILP_SC_NCLASSES	(sizeof(ilp_sc_classes) / sizeof(ilp_sc_classes[0]))

/* strace's flag names (its sysent_shorthand_defs.h), for the rows only */
#define TF	ILP_TRACE_FILE
#define TI	ILP_TRACE_IPC
#define TN	ILP_TRACE_NETWORK
#define TP	ILP_TRACE_PROCESS
#define TS	ILP_TRACE_SIGNAL
#define TD	ILP_TRACE_DESC
#define TM	ILP_TRACE_MEMORY
#define TC	ILP_TRACE_CREDS
#define TCL	ILP_TRACE_CLOCK
#define TST	ILP_TRACE_STAT
#define TLST	ILP_TRACE_LSTAT
#define TFST	ILP_TRACE_FSTAT
#define TSTA	ILP_TRACE_STAT_ANY
#define TSF	ILP_TRACE_STATFS
#define TFSF	ILP_TRACE_FSTATFS
#define TSFA	ILP_TRACE_STATFS_ANY
#define PU	ILP_TRACE_PURE

/* the syscalls in some class of strace's, x86_64's, in number order */
static const struct ilp_sc_class_row ilp_sc_strace[] = {
#include "syscalls_strace.h"
};

/* every class name -e takes, as strace spells them */
static const struct ilp_sc_class_row ilp_strace_classes[] = {
	{ "%file", TF },
	{ "%process", TP },
	{ "%network", TN },
	{ "%net", TN },
	{ "%signal", TS },
	{ "%ipc", TI },
	{ "%desc", TD },
	{ "%memory", TM },
	{ "%creds", TC },
	{ "%clock", TCL },
	{ "%stat", TST },
	{ "%lstat", TLST },
	{ "%fstat", TFST },
	{ "%%stat", TSTA },
	{ "%statfs", TSF },
	{ "%fstatfs", TFSF },
	{ "%%statfs", TSFA },
	{ "%pure", PU },
};

#undef TF
#undef TI
#undef TN
#undef TP
#undef TS
#undef TD
#undef TM
#undef TC
#undef TCL
#undef TST
#undef TLST
#undef TFST
#undef TSTA
#undef TSF
#undef TFSF
#undef TSFA
#undef PU

#define ILP_SC_NSTRACE	(sizeof(ilp_sc_strace) / sizeof(ilp_sc_strace[0]))
#define ILP_SC_NSTRACE_CLASSES	(sizeof(ilp_strace_classes) / sizeof(ilp_strace_classes[0]))

/* "syscall_-2147483648" fits */
#define ILP_SC_UNKNOWN_LEN	24

/* nr -> name/class, filled once by ilp_sc_init(), read-only afterwards */
static struct {
	const char *name[ILP_SC_MAX];
	unsigned cls[ILP_SC_MAX];
	unsigned strace[ILP_SC_MAX];	/* ILP_TRACE_* */
	char unknown[ILP_SC_MAX][ILP_SC_UNKNOWN_LEN];	/* "syscall_NNN" */
	int count;
} ilp_sc;
static pthread_once_t ilp_sc_once = PTHREAD_ONCE_INIT;
static atomic_int ilp_sc_done;	/* ilp_sc is filled: no pthread_once (a call
				 * into libc, several per event) */

static unsigned ilp_sc_lookup(const struct ilp_sc_class_row *rows, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].name, name))
			return rows[i].cls;
	return 0;
}

static void ilp_sc_init(void)
{
	size_t i;
	int nr;

	for (nr = 0; nr < ILP_SC_MAX; nr++) {
		snprintf(ilp_sc.unknown[nr], ILP_SC_UNKNOWN_LEN, "syscall_%d", nr);
		ilp_sc.name[nr] = ilp_sc.unknown[nr];
	}
	for (i = 0; i < ILP_SC_NROWS; i++) {
		nr = ilp_sc_rows[i].nr;
		if (nr < 0 || nr >= ILP_SC_MAX)
			continue;
		ilp_sc.name[nr] = ilp_sc_rows[i].name;
		ilp_sc.cls[nr] = ilp_sc_lookup(ilp_sc_classes, ILP_SC_NCLASSES,
					       ilp_sc_rows[i].name);
		ilp_sc.strace[nr] = ilp_sc_lookup(ilp_sc_strace, ILP_SC_NSTRACE,
						  ilp_sc_rows[i].name);
		if (nr + 1 > ilp_sc.count)
			ilp_sc.count = nr + 1;
	}
	atomic_store_explicit(&ilp_sc_done, 1, memory_order_release);
}

static void ilp_sc_ready(void)
{
	if (!atomic_load_explicit(&ilp_sc_done, memory_order_acquire))
		pthread_once(&ilp_sc_once, ilp_sc_init);
}

/*
 * Names of numbers in [0, ILP_SC_MAX) are stable for the life of the
 * process, "syscall_NNN" included.  For a number outside that range the
 * string lives in a per-thread buffer that the next such call overwrites.
 */
const char *ilp_syscall_name(int nr)
{
	static _Thread_local char buf[ILP_SC_UNKNOWN_LEN];

	if (nr >= 0 && nr < ILP_SC_MAX) {
		ilp_sc_ready();
		return ilp_sc.name[nr];
	}
	snprintf(buf, sizeof(buf), "syscall_%d", nr);
	return buf;
}

int ilp_syscall_nr(const char *name)
{
	size_t i;

	if (!name)
		return -ENOENT;
	for (i = 0; i < ILP_SC_NROWS; i++)
		if (!strcmp(ilp_sc_rows[i].name, name))
			return ilp_sc_rows[i].nr;
	return -ENOENT;
}

unsigned ilp_syscall_class(int nr)
{
	if (nr < 0 || nr >= ILP_SC_MAX)
		return 0;
	ilp_sc_ready();
	return ilp_sc.cls[nr];
}

int ilp_syscall_count(void)
{
	ilp_sc_ready();
	return ilp_sc.count;
}

unsigned ilp_syscall_strace_class(int nr)
{
	if (nr < 0 || nr >= ILP_SC_MAX)
		return 0;
	ilp_sc_ready();
	return ilp_sc.strace[nr];
}

int ilp_strace_class_by_name(const char *name)
{
	unsigned cls = name ? ilp_sc_lookup(ilp_strace_classes, ILP_SC_NSTRACE_CLASSES, name) : 0;

	return cls ? (int)cls : -ENOENT;
}

const char *ilp_strace_class_name(int i)
{
	return i >= 0 && (size_t)i < ILP_SC_NSTRACE_CLASSES ? ilp_strace_classes[i].name : NULL;
}
