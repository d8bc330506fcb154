// SPDX-License-Identifier: MIT
/*
 * Unit tests for the ptrace backend's seccomp-bpf filter builder and
 * syscall set (src/source/source_ptrace.c): the program is run through a small
 * classic-BPF interpreter for every syscall number, and once for real in a
 * forked child (the kernel must accept it; a traced number with no tracer
 * fails with ENOSYS, the others run).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "ptrace.h"
#include "syscalls.h"

#define OTHER_ARCH 0x12345678u

/* The subset of classic BPF the builder may emit; anything else fails. */
static uint32_t run_bpf(const struct sock_filter *p, int len, uint32_t nr, uint32_t arch)
{
	uint32_t a = 0;
	int pc = 0, steps = 0;

	while (pc >= 0 && pc < len) {
		const struct sock_filter *f = &p[pc];

		assert_true(++steps <= len);	/* forward jumps only */
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k == offsetof(struct seccomp_data, nr))
				a = nr;
			else if (f->k == offsetof(struct seccomp_data, arch))
				a = arch;
			else
				fail_msg("load of offset %u", f->k);
			pc++;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += 1 + (a == f->k ? f->jt : f->jf);
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += 1 + (a >= f->k ? f->jt : f->jf);
			break;
		case BPF_JMP | BPF_JA:
			pc += 1 + (int)f->k;
			break;
		case BPF_RET | BPF_K:
			return f->k;
		default:
			fail_msg("opcode 0x%x at %d", f->code, pc);
		}
	}
	fail_msg("fell off the program at %d", pc);
	return 0;
}

static int in_set(const int *v, size_t n, int x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* every number 0..1100 traced iff in nrs; other arch and x32 allowed */
static void check_program(const int *nrs, size_t n)
{
	size_t max = ilp_seccomp_size(n);
	struct sock_filter *p = calloc(max, sizeof(*p));
	uint32_t arch = ilp_seccomp_arch();
	int len, nr;

	assert_non_null(p);
	len = ilp_seccomp_build(nrs, n, arch, p, max);
	assert_int_equal(len, (int)max);
	for (nr = 0; nr <= 1100; nr++) {
		uint32_t want = in_set(nrs, n, nr) ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW;

		assert_int_equal(run_bpf(p, len, (uint32_t)nr, arch), want);
		assert_int_equal(run_bpf(p, len, (uint32_t)nr, OTHER_ARCH), SECCOMP_RET_ALLOW);
	}
	for (nr = 0; nr < (int)n; nr++)	/* x32 alias of a traced number */
		assert_int_equal(run_bpf(p, len, 0x40000000u | (uint32_t)nrs[nr], arch),
				 SECCOMP_RET_ALLOW);
	free(p);
}

static void test_small_set(void **state)
{
	int nrs[] = { 74, 1, 0 };	/* unsorted */

	(void)state;
	check_program(nrs, 3);
}

static void test_empty_set(void **state)
{
	struct sock_filter p[16];
	int len, nr;

	(void)state;
	len = ilp_seccomp_build(NULL, 0, ilp_seccomp_arch(), p, 16);
	assert_int_equal(len, 7);
	for (nr = 0; nr < 600; nr++)
		assert_int_equal(run_bpf(p, len, (uint32_t)nr, ilp_seccomp_arch()),
				 SECCOMP_RET_ALLOW);
}

/* more than one block of compares: offsets stay within 8 bits */
static void test_many_blocks(void **state)
{
	int nrs[300], i;

	(void)state;
	for (i = 0; i < 300; i++)
		nrs[i] = 3 * i + 1;
	check_program(nrs, 300);
	check_program(nrs, 64);
	check_program(nrs, 65);
	check_program(nrs, 128);
}

static void test_too_small(void **state)
{
	struct sock_filter p[8];
	int nrs[] = { 1, 2, 3 };

	(void)state;
	assert_int_equal(ilp_seccomp_build(nrs, 3, ilp_seccomp_arch(), p, 8), -E2BIG);
	assert_int_equal(ilp_seccomp_build(nrs, 3, ilp_seccomp_arch(), p,
					   ilp_seccomp_size(3) - 1), -E2BIG);
}

static void test_syscall_set_list(void **state)
{
	int in[] = { 74, 1, 1, 0, 74 }, out[8];

	(void)state;
	assert_int_equal(ilp_ptrace_syscall_set(in, 5, out, 8), 3);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 74);
	assert_int_equal(ilp_ptrace_syscall_set(in, 5, out, 4), -E2BIG);
}

static void test_syscall_set_default(void **state)
{
	int out[ILP_SC_MAX], n, i, nr;

	(void)state;
	n = ilp_ptrace_syscall_set(NULL, 0, out, ILP_SC_MAX);
	assert_true(n > 10);
	for (i = 1; i < n; i++)
		assert_true(out[i - 1] < out[i]);
	/* the classes, plus the fd makers, nothing else */
	for (i = 0; i < n; i++)
		assert_true((ilp_syscall_class(out[i]) & ILP_PTRACE_CLASSES) ||
			    out[i] == ilp_syscall_nr("pipe2") || out[i] == ilp_syscall_nr("pipe") ||
			    out[i] == ilp_syscall_nr("dup") || out[i] == ilp_syscall_nr("dup2") ||
			    out[i] == ilp_syscall_nr("dup3") || out[i] == ilp_syscall_nr("fcntl") ||
			    out[i] == ilp_syscall_nr("eventfd") || out[i] == ilp_syscall_nr("eventfd2") ||
			    out[i] == ilp_syscall_nr("socketpair") ||
			    out[i] == ilp_syscall_nr("memfd_create") ||
			    out[i] == ilp_syscall_nr("timerfd_create") ||
			    out[i] == ilp_syscall_nr("signalfd4") ||
			    out[i] == ilp_syscall_nr("epoll_create") ||
			    out[i] == ilp_syscall_nr("epoll_create1") ||
			    out[i] == ilp_syscall_nr("inotify_init1") ||
			    out[i] == ilp_syscall_nr("io_uring_setup"));
	assert_true(in_set(out, (size_t)n, ilp_syscall_nr("pipe2")));
	assert_true(in_set(out, (size_t)n, ilp_syscall_nr("io_uring_setup")));
	assert_true(in_set(out, (size_t)n, ilp_syscall_nr("dup2")));
	for (nr = 0; nr < ilp_syscall_count() && nr < ILP_SC_MAX; nr++)
		if (ilp_syscall_class(nr) & ILP_PTRACE_CLASSES)
			assert_true(in_set(out, (size_t)n, nr));
	assert_true(in_set(out, (size_t)n, ilp_syscall_nr("write")));
	assert_true(in_set(out, (size_t)n, ilp_syscall_nr("fsync")));
	assert_true(in_set(out, (size_t)n, ilp_syscall_nr("futex")));
	assert_true(in_set(out, (size_t)n, ilp_syscall_nr("openat")));
	assert_false(in_set(out, (size_t)n, ilp_syscall_nr("getppid")));
	assert_false(in_set(out, (size_t)n, ilp_syscall_nr("exit_group")));
	assert_false(in_set(out, (size_t)n, ilp_syscall_nr("mmap")));
	check_program(out, (size_t)n);
}

/* The kernel accepts the program: with no tracer, a traced call fails
 * with ENOSYS and the others run. */
static void test_kernel_accepts(void **state)
{
	int nrs[] = { ilp_syscall_nr("getppid") };
	struct sock_filter p[32];
	int len, status;
	pid_t pid;

	(void)state;
	len = ilp_seccomp_build(nrs, 1, ilp_seccomp_arch(), p, 32);
	assert_true(len > 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sock_fprog fp = { (unsigned short)len, p };
		long r;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp))
			_exit(10);
		errno = 0;
		r = syscall(SYS_getppid);
		if (r != -1 || errno != ENOSYS)
			_exit(11);
		if (syscall(SYS_getpid) != getpid())
			_exit(12);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_set),
		cmocka_unit_test(test_empty_set),
		cmocka_unit_test(test_many_blocks),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_syscall_set_list),
		cmocka_unit_test(test_syscall_set_default),
		cmocka_unit_test(test_kernel_accepts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
