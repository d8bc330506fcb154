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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
