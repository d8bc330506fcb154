// SPDX-License-Identifier: MIT
/* Unit tests for src/report/diffmask.c: what diff masks in names, and what it keeps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "diffmask.h"

static void expect(const char *name, const char *want)
{
	char out[256];

	ilp_diff_mask(name, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_inodes_and_addresses(void **state)
{
	(void)state;
	expect("demo: pipe pipe:[305833]", "demo: pipe pipe:[*]");
	expect("demo: nplus1 pipe pipe:[305833] (requests on pipe pipe:[305832])",
	       "demo: nplus1 pipe pipe:[*] (requests on pipe pipe:[*])");
	expect("app: read fd:6 (socket socket:[12])", "app: read fd:6 (socket socket:[*])");
	expect("demo: [anon]@0x7f97e8c0c990", "demo: [anon]@0x*");
	expect("demo: futex futex:0x55d0c0ffee10", "demo: futex futex:0x*");
	/* kept: short hex, a hex-looking word, a symbol, an fd number, a heap offset */
	expect("pb: wait4 child:15227", "pb: wait4 child:*");
	expect("pb: wait4 child:-1", "pb: wait4 child:-1");
	expect("app: [heap]+0x10", "app: [heap]+0x10");
	expect("app: hot_lock", "app: hot_lock");
	expect("app: read fd:3 (pipe pipe:[x1])", "app: read fd:3 (pipe pipe:[x1])");
	expect("app: abc0x12345678", "app: abc0x12345678");
}

static void test_ports(void **state)
{
	(void)state;
	expect("cli: tcp 127.0.0.1:50566 -> 127.0.0.1:5432", "cli: tcp 127.0.0.1:* -> 127.0.0.1:5432");
	expect("srv: tcp 10.0.0.1:8080 -> 10.0.0.9:60999", "srv: tcp 10.0.0.1:8080 -> 10.0.0.9:*");
	expect("cli: tcp6 [::1]:40000 -> [::1]:32767", "cli: tcp6 [::1]:* -> [::1]:32767");
	expect("cli: udp 127.0.0.1:61000 -> 127.0.0.1:53", "cli: udp 127.0.0.1:61000 -> 127.0.0.1:53");
	/* not a port: a time, an IPv6 group, a label */
	expect("x: 12:34567", "x: 12:34567");
	expect("x: v1.2.3.4:40000", "x: v1.2.3.4:40000");
	expect("x: tcp6 [2001:db8::1]:443", "x: tcp6 [2001:db8::1]:443");
	expect("app: read", "app: read");
}

static void test_temp_files(void **state)
{
	(void)state;
	/* mkstemp's and mktemp(1)'s suffixes */
	expect("demo: file /var/tmp/iolockprof-demo-5o5K7O", "demo: file /var/tmp/iolockprof-demo-*");
	expect("t: file /tmp/tmp.vScpfClKPi", "t: file /tmp/tmp.*");
	expect("t: fsync fd:3 (file /tmp/ilp-dio.Xz8v9q) dev:vda", "t: fsync fd:3 (file /tmp/ilp-dio.*) dev:vda");
	/* under a temporary directory: directories too, any suffix, Python's
	 * and O_TMPFILE's names */
	expect("t: file /tmp/ilp-test.segt4q/app.conf", "t: file /tmp/ilp-test.*/app.conf");
	expect("t: file /tmp/demo-abcdef", "t: file /tmp/demo-*");
	expect("t: file /dev/shm/sem.ABCDEF", "t: file /dev/shm/sem.*");
	expect("p: file /tmp/tmpk3j9x2ab", "p: file /tmp/tmp*");
	expect("j: file /tmp/#1234567 (deleted)", "j: file /tmp/#*");
	/* process and terminal numbers; a file deleted in one run */
	expect("a: file /proc/1234/status", "a: file /proc/*/status");
	expect("a: file /proc/self/status", "a: file /proc/self/status");
	expect("a: dev /dev/pts/3", "a: dev /dev/pts/*");
	expect("a: file /var/log/app.log (deleted)", "a: file /var/log/app.log");
	/* kept: words, short suffixes, one class only, no separator, not a path */
	expect("a: file /var/lib/app/server-backup", "a: file /var/lib/app/server-backup");
	expect("a: file /usr/lib/x86_64-linux-gnu/libc.so.6", "a: file /usr/lib/x86_64-linux-gnu/libc.so.6");
	expect("a: file /data/db-123456", "a: file /data/db-123456");
	expect("a: file /data/ABCDEFGH", "a: file /data/ABCDEFGH");
	expect("a: file /srv/run-Ab3dEf/x.log", "a: file /srv/run-Ab3dEf/x.log");
	expect("a: file /tmp/x.log", "a: file /tmp/x.log");
	expect("a: lock tmp.Ab3dEf", "a: lock tmp.Ab3dEf");
	expect("a: file /", "a: file /");
	/* the argument mark says how the name was found, not what it is */
	expect("a: file /etc/ld.so.cache (name from call argument)", "a: file /etc/ld.so.cache");
	/* why a name was lost depends on the run's timing: the same object */
	expect("a: fd 3 (name lost: closed before it could be read; --names=exact keeps it)",
	       "a: fd 3 (name lost)");
	expect("a: read fd:5 (fd 5 (name lost: its fd number was reused before it could be read))",
	       "a: read fd:5 (fd 5 (name lost))");
	expect("a: read fd:3 (file /tmp/x.Ab3dEf (name from call argument))",
	       "a: read fd:3 (file /tmp/x.*)");
}

static void test_truncation(void **state)
{
	char out[8];

	(void)state;
	ilp_diff_mask("pipe pipe:[305833]", out, sizeof(out));
	assert_string_equal(out, "pipe pi");
	ilp_diff_mask("x", out, 1);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inodes_and_addresses),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_temp_files),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
