// SPDX-License-Identifier: MIT
/* Unit tests for src/util/syscalls.c: generated names, class bits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "syscalls.h"

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ilp_syscall_name(SYS_write), "write");
	assert_string_equal(ilp_syscall_name(SYS_read), "read");
	assert_string_equal(ilp_syscall_name(SYS_openat), "openat");
	assert_string_equal(ilp_syscall_name(SYS_pread64), "pread64");
	assert_string_equal(ilp_syscall_name(SYS_futex), "futex");
#ifdef __x86_64__
	assert_string_equal(ilp_syscall_name(0), "read");
	assert_string_equal(ilp_syscall_name(1), "write");
	assert_string_equal(ilp_syscall_name(257), "openat");
#endif
}

static void test_unknown_names(void **state)
{
	const char *a, *b;

	(void)state;
	assert_string_equal(ilp_syscall_name(9999), "syscall_9999");
	assert_string_equal(ilp_syscall_name(-1), "syscall_-1");
	assert_string_equal(ilp_syscall_name(ILP_SC_MAX), "syscall_1024");
	assert_string_equal(ilp_syscall_name(ILP_SC_MAX - 1), "syscall_1023");
	/* below ILP_SC_MAX the strings are stable, two can be held at once */
	a = ilp_syscall_name(ILP_SC_MAX - 1);
	b = ilp_syscall_name(ILP_SC_MAX - 2);
	assert_string_equal(a, "syscall_1023");
	assert_string_equal(b, "syscall_1022");
#ifdef __x86_64__
	assert_string_equal(ilp_syscall_name(400), "syscall_400");	/* gap 335..423 */
#endif
}

static void test_nr(void **state)
{
	(void)state;
	assert_int_equal(ilp_syscall_nr("openat"), SYS_openat);
	assert_int_equal(ilp_syscall_nr("write"), SYS_write);
	assert_int_equal(ilp_syscall_nr("read"), SYS_read);
	assert_int_equal(ilp_syscall_nr("nope"), -ENOENT);
	assert_int_equal(ilp_syscall_nr(""), -ENOENT);
	assert_int_equal(ilp_syscall_nr("syscall_1"), -ENOENT);
	assert_int_equal(ilp_syscall_nr("Write"), -ENOENT);
	assert_int_equal(ilp_syscall_nr(NULL), -ENOENT);
}

/* every name the table knows maps back to its own number */
static void test_round_trip(void **state)
{
	int nr, n = ilp_syscall_count(), known = 0;

	(void)state;
	for (nr = 0; nr < n; nr++) {
		const char *name = ilp_syscall_name(nr);

		if (!strncmp(name, "syscall_", 8))
			continue;
		assert_int_equal(ilp_syscall_nr(name), nr);
		known++;
	}
	assert_true(known > 100);
}

static void test_count(void **state)
{
	(void)state;
	assert_true(ilp_syscall_count() > SYS_openat);
	assert_true(ilp_syscall_count() > SYS_write);
	assert_true(ilp_syscall_count() <= ILP_SC_MAX);
	/* the last number is a known one */
	assert_true(strncmp(ilp_syscall_name(ilp_syscall_count() - 1), "syscall_", 8) != 0);
#ifdef __x86_64__
	assert_int_equal(ilp_syscall_count(), SYS_set_mempolicy_home_node + 1);
#endif
}

/* each syscall's class bits; numbers no syscall has: none */
static const struct {
	int nr;
	unsigned cls;
} class_rows[] = {
	{ SYS_pread64, ILP_SC_READ | ILP_SC_POS | ILP_SC_FD0 },
	{ SYS_pwrite64, ILP_SC_WRITE | ILP_SC_POS | ILP_SC_FD0 },
	{ SYS_read, ILP_SC_READ | ILP_SC_FD0 },
	{ SYS_write, ILP_SC_WRITE | ILP_SC_FD0 },
	{ SYS_readv, ILP_SC_READ | ILP_SC_FD0 },
	{ SYS_preadv2, ILP_SC_READ | ILP_SC_POS | ILP_SC_FD0 },
	{ SYS_pwritev2, ILP_SC_WRITE | ILP_SC_POS | ILP_SC_FD0 },
	{ SYS_recvfrom, ILP_SC_READ | ILP_SC_NET | ILP_SC_FD0 },
	{ SYS_recvmmsg, ILP_SC_READ | ILP_SC_NET | ILP_SC_FD0 },
	{ SYS_sendmsg, ILP_SC_WRITE | ILP_SC_NET | ILP_SC_FD0 },
	{ SYS_sendfile, ILP_SC_WRITE | ILP_SC_FD0 },
	{ SYS_fsync, ILP_SC_SYNC | ILP_SC_FD0 },
	{ SYS_fdatasync, ILP_SC_SYNC | ILP_SC_FD0 },
	{ SYS_sync, ILP_SC_SYNC },
	{ SYS_openat, ILP_SC_OPEN },
	{ SYS_socket, ILP_SC_NET },
	{ SYS_connect, ILP_SC_NET | ILP_SC_FD0 },
	{ SYS_accept4, ILP_SC_NET | ILP_SC_FD0 },
	{ SYS_futex, ILP_SC_WAIT },
	{ SYS_ppoll, ILP_SC_WAIT },
	{ SYS_epoll_pwait, ILP_SC_WAIT | ILP_SC_FD0 },
	{ SYS_clock_nanosleep, ILP_SC_WAIT },
	{ SYS_wait4, ILP_SC_WAIT },
	{ SYS_fstat, ILP_SC_STAT | ILP_SC_FD0 },
	{ SYS_statx, ILP_SC_STAT },
	{ SYS_faccessat, ILP_SC_STAT },
	{ SYS_close, ILP_SC_CLOSE | ILP_SC_FD0 },
	{ SYS_lseek, ILP_SC_FD0 },
	{ SYS_ioctl, ILP_SC_FD0 },
	{ SYS_getdents64, ILP_SC_FD0 },
	{ SYS_getpid, 0 },
	{ SYS_mmap, 0 },
#ifdef SYS_open
	{ SYS_open, ILP_SC_OPEN },
#endif
#ifdef SYS_newfstatat
	{ SYS_newfstatat, ILP_SC_STAT },
#endif
#ifdef SYS_poll
	{ SYS_poll, ILP_SC_WAIT },
#endif
#ifdef SYS_close_range
	{ SYS_close_range, ILP_SC_CLOSE },
#endif
#ifdef SYS_futex_waitv
	{ SYS_futex_waitv, ILP_SC_WAIT },
#endif
	{ -1, 0 },
	{ 9999, 0 },
	{ ILP_SC_MAX, 0 },
};

static void test_classes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(class_rows) / sizeof(class_rows[0]); i++)
		if (ilp_syscall_class(class_rows[i].nr) != class_rows[i].cls)
			fail_msg("class of %d (%s): %#x, want %#x", class_rows[i].nr,
				 ilp_syscall_name(class_rows[i].nr),
				 ilp_syscall_class(class_rows[i].nr), class_rows[i].cls);
}

/* ---- strace's classes (-e trace=%CLASS), as strace 6.1 has them for x86_64 ---- */

#ifdef __x86_64__
/* the exact members of a class: every syscall in it is listed, and no other */
struct class_set {
	const char *name;
	const char *const *members;	/* NULL-terminated */
};

static const char *const memory_set[] = {
	"mmap", "mprotect", "munmap", "brk", "mremap", "msync", "mincore", "madvise",
	"shmat", "shmdt", "mlock", "munlock", "mlockall", "munlockall", "io_setup",
	"io_destroy", "remap_file_pages", "mbind", "set_mempolicy", "get_mempolicy",
	"migrate_pages", "move_pages", "mlock2", "pkey_mprotect", "io_uring_register",
	"set_mempolicy_home_node", NULL };
static const char *const network_set[] = {
	"sendfile", "socket", "connect", "accept", "sendto", "recvfrom", "sendmsg",
	"recvmsg", "shutdown", "bind", "listen", "getsockname", "getpeername",
	"socketpair", "setsockopt", "getsockopt", "getpmsg", "putpmsg", "accept4",
	"recvmmsg", "sendmmsg", NULL };
static const char *const process_set[] = {
	"clone", "fork", "vfork", "execve", "exit", "wait4", "kill", "rt_sigqueueinfo",
	"tkill", "tgkill", "waitid", "rt_tgsigqueueinfo", "execveat", "pidfd_send_signal",
	"clone3", "exit_group", NULL };
static const char *const signal_set[] = {
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "pause", "kill", "rt_sigpending",
	"rt_sigtimedwait", "rt_sigqueueinfo", "rt_sigsuspend", "sigaltstack", "tkill",
	"tgkill", "signalfd", "signalfd4", "rt_tgsigqueueinfo", "pidfd_send_signal",
	"io_uring_enter", NULL };
static const char *const ipc_set[] = {
	"shmget", "shmat", "shmctl", "semget", "semop", "semctl", "shmdt", "msgget",
	"msgsnd", "msgrcv", "msgctl", "semtimedop", NULL };
static const char *const creds_set[] = {
	"getuid", "getgid", "setuid", "setgid", "geteuid", "getegid", "setreuid",
	"setregid", "getgroups", "setgroups", "setresuid", "getresuid", "setresgid",
	"getresgid", "setfsuid", "setfsgid", "capget", "capset", "prctl", NULL };
static const char *const clock_set[] = {
	"gettimeofday", "adjtimex", "settimeofday", "time", "clock_settime",
	"clock_gettime", "clock_getres", "clock_adjtime", NULL };
static const char *const stat_set[] = { "stat", NULL };
static const char *const lstat_set[] = { "lstat", NULL };
static const char *const fstat_set[] = { "fstat", "newfstatat", "statx", NULL };
static const char *const stat_any_set[] = { "stat", "fstat", "lstat", "newfstatat", "statx", NULL };
static const char *const statfs_set[] = { "statfs", NULL };
static const char *const fstatfs_set[] = { "fstatfs", NULL };
static const char *const statfs_any_set[] = { "ustat", "statfs", "fstatfs", NULL };
static const char *const pure_set[] = {
	"getpid", "getuid", "getgid", "geteuid", "getegid", "getppid", "getpgrp", "gettid",
	NULL };

static const struct class_set exact_sets[] = {
	{ "%memory", memory_set }, { "%network", network_set }, { "%net", network_set },
	{ "%process", process_set }, { "%signal", signal_set }, { "%ipc", ipc_set },
	{ "%creds", creds_set }, { "%clock", clock_set }, { "%stat", stat_set },
	{ "%lstat", lstat_set }, { "%fstat", fstat_set }, { "%%stat", stat_any_set },
	{ "%statfs", statfs_set }, { "%fstatfs", fstatfs_set },
	{ "%%statfs", statfs_any_set }, { "%pure", pure_set },
};

static int listed(const char *const *set, const char *name)
{
	for (; *set; set++)
		if (!strcmp(*set, name))
			return 1;
	return 0;
}

static void test_strace_exact_sets(void **state)
{
	size_t i;
	int nr;

	(void)state;
	for (i = 0; i < sizeof(exact_sets) / sizeof(exact_sets[0]); i++) {
		int cls = ilp_strace_class_by_name(exact_sets[i].name);

		assert_true(cls > 0);
		for (nr = 0; nr < ilp_syscall_count(); nr++) {
			const char *name = ilp_syscall_name(nr);
			int in = !!(ilp_syscall_strace_class(nr) & (unsigned)cls);

			if (in != listed(exact_sets[i].members, name))
				fail_msg("%s: %s is %s", exact_sets[i].name, name,
					 in ? "in it, and should not be" : "not in it, and should be");
		}
		for (const char *const *m = exact_sets[i].members; *m; m++)
			assert_true(ilp_syscall_nr(*m) >= 0);	/* none is misspelt */
	}
}

/* the two large classes: their size, and who is in and who is not */
static void test_strace_file_desc(void **state)
{
	static const char *const file_in[] = {
		"open", "openat", "openat2", "creat", "stat", "lstat", "newfstatat", "statx",
		"access", "faccessat", "faccessat2", "unlink", "unlinkat", "rename",
		"renameat2", "mkdir", "rmdir", "execve", "readlink", "chdir", "truncate",
		"statfs", "getcwd", "inotify_add_watch", "utimensat", NULL };
	static const char *const file_out[] = {
		"read", "write", "close", "fstat", "fstatfs", "fsync", "mmap", "getdents64",
		"ftruncate", "fchdir", "fchmod", "open_by_handle_at", "socket", NULL };
	static const char *const desc_in[] = {
		"read", "write", "close", "fsync", "fdatasync", "pread64", "pwrite64",
		"readv", "writev", "open", "openat", "creat", "fstat", "newfstatat", "statx",
		"lseek", "mmap", "dup", "dup2", "dup3", "pipe", "pipe2", "poll", "ppoll",
		"select", "epoll_wait", "ioctl", "fcntl", "sendfile", "splice", "eventfd2",
		"getdents64", "ftruncate", "fallocate", "sync_file_range", "io_uring_enter",
		NULL };
	static const char *const desc_out[] = {
		"socket", "connect", "sendto", "recvfrom", "sendmsg", "stat", "lstat",
		"unlink", "access", "brk", "mprotect", "futex", "nanosleep", "clock_nanosleep",
		"wait4", "getpid", "sync", "msync", NULL };
	int file = ilp_strace_class_by_name("%file"), desc = ilp_strace_class_by_name("%desc");
	int nr, nfile = 0, ndesc = 0;
	const char *const *m;

	(void)state;
	assert_true(file > 0 && desc > 0);
	for (m = file_in; *m; m++)
		if (!(ilp_syscall_strace_class(ilp_syscall_nr(*m)) & (unsigned)file))
			fail_msg("%%file lacks %s", *m);
	for (m = file_out; *m; m++)
		if (ilp_syscall_strace_class(ilp_syscall_nr(*m)) & (unsigned)file)
			fail_msg("%%file has %s", *m);
	for (m = desc_in; *m; m++)
		if (!(ilp_syscall_strace_class(ilp_syscall_nr(*m)) & (unsigned)desc))
			fail_msg("%%desc lacks %s", *m);
	for (m = desc_out; *m; m++)
		if (ilp_syscall_strace_class(ilp_syscall_nr(*m)) & (unsigned)desc)
			fail_msg("%%desc has %s", *m);
	for (nr = 0; nr < ilp_syscall_count(); nr++) {
		nfile += !!(ilp_syscall_strace_class(nr) & (unsigned)file);
		ndesc += !!(ilp_syscall_strace_class(nr) & (unsigned)desc);
	}
	assert_int_equal(nfile, 67);
	assert_int_equal(ndesc, 123);
}
#endif

static void test_strace_class_names(void **state)
{
	const char *name;
	int i;

	(void)state;
	assert_int_equal(ilp_strace_class_by_name("%file"), ILP_TRACE_FILE);
	assert_int_equal(ilp_strace_class_by_name("%net"), ILP_TRACE_NETWORK);
	assert_int_equal(ilp_strace_class_by_name("%network"), ILP_TRACE_NETWORK);
	assert_int_equal(ilp_strace_class_by_name("%%stat"), ILP_TRACE_STAT_ANY);
	assert_int_equal(ilp_strace_class_by_name("file"), -ENOENT);	/* strace: deprecated */
	assert_int_equal(ilp_strace_class_by_name("%files"), -ENOENT);
	assert_int_equal(ilp_strace_class_by_name("%"), -ENOENT);
	assert_int_equal(ilp_strace_class_by_name(NULL), -ENOENT);
	for (i = 0; (name = ilp_strace_class_name(i)); i++)
		assert_true(ilp_strace_class_by_name(name) > 0);
	assert_int_equal(i, 18);
	assert_null(ilp_strace_class_name(-1));
	/* no number outside the table is in a class */
	assert_int_equal(ilp_syscall_strace_class(-1), 0);
	assert_int_equal(ilp_syscall_strace_class(ILP_SC_MAX), 0);
	assert_int_equal(ilp_syscall_strace_class(SYS_futex), 0);
	assert_int_equal(ilp_syscall_strace_class(SYS_read), ILP_TRACE_DESC);
	assert_int_equal(ilp_syscall_strace_class(SYS_openat), ILP_TRACE_FILE | ILP_TRACE_DESC);
}

/* the lazy nr table is built once even when threads race for it */
static void *race(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)(ilp_syscall_class(SYS_pread64) ==
				   (ILP_SC_READ | ILP_SC_POS | ILP_SC_FD0));
}

static void test_threads(void **state)
{
	pthread_t t[8];
	size_t i;

	(void)state;
	for (i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race, NULL), 0);
	for (i = 0; i < 8; i++) {
		void *ok;

		assert_int_equal(pthread_join(t[i], &ok), 0);
		assert_true(ok != NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_nr),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_strace_class_names),
#ifdef __x86_64__
		cmocka_unit_test(test_strace_exact_sets),
		cmocka_unit_test(test_strace_file_desc),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
