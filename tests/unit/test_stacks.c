// SPDX-License-Identifier: MIT
/* Unit tests for src/model/stacks.c: interning, call-site choice, merging by
 * site, sort order, frame formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "analyze.h"
#include "stacks.h"
#include "syscalls.h"

#define LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"
#define APP "/home/u/app"

/* a stack: libc's write wrapper, then fn at line, then main */
static int add_stack(struct ilp_stacks *s, int pid, int nr, uint64_t pc, const char *fn,
		     int line, uint64_t calls, uint64_t ns_each)
{
	uint64_t pcs[3] = { 0x7f0000001000ull, pc, 0x401000 };
	int is_new, id;
	uint64_t i;

	id = ilp_stacks_intern(s, pid, nr, pcs, 3, &is_new);
	assert_true(id >= 0);
	if (is_new) {
		assert_int_equal(ilp_stacks_name_frame(s, id, 0, "__write", "write.c", 26, LIBC), 0);
		assert_int_equal(ilp_stacks_name_frame(s, id, 1, fn, "/src/app.c", line, APP), 0);
		assert_int_equal(ilp_stacks_name_frame(s, id, 2, "main", "/src/app.c", 60, APP), 0);
	}
	for (i = 0; i < calls; i++)
		ilp_stacks_add(s, id, ns_each);
	return id;
}

static void test_intern(void **state)
{
	struct ilp_stacks *s = ilp_stacks_new();
	uint64_t a[2] = { 1, 2 }, b[2] = { 1, 3 };
	int is_new, id1, id2, id3, id4;

	(void)state;
	assert_non_null(s);
	id1 = ilp_stacks_intern(s, 10, 1, a, 2, &is_new);
	assert_int_equal(is_new, 1);
	id2 = ilp_stacks_intern(s, 10, 1, a, 2, &is_new);
	assert_int_equal(is_new, 0);
	assert_int_equal(id1, id2);
	id3 = ilp_stacks_intern(s, 10, 1, b, 2, &is_new);	/* other pcs */
	assert_int_equal(is_new, 1);
	id4 = ilp_stacks_intern(s, 10, 0, a, 2, &is_new);	/* other syscall */
	assert_int_equal(is_new, 1);
	assert_true(id3 != id1 && id4 != id1 && id4 != id3);
	assert_int_equal(ilp_stacks_intern(s, 11, 1, a, 2, &is_new), 3);	/* other pid */
	assert_int_equal(ilp_stacks_intern(s, 10, 1, a, 1, &is_new), 4);	/* shorter */
	assert_int_equal(ilp_stacks_intern(s, 10, 1, a, 0, &is_new), -EINVAL);
	/* no calls yet: nothing listed */
	assert_int_equal(ilp_stacks_index(s), 0);
	assert_int_equal(ilp_stacks_count(s), 0);
	ilp_stacks_free(s);
	ilp_stacks_free(NULL);
}

/* many distinct stacks: the table grows and every one is found again */
static void test_many(void **state)
{
	struct ilp_stacks *s = ilp_stacks_new();
	uint64_t pcs[4];
	int i, is_new;

	(void)state;
	for (i = 0; i < 5000; i++) {
		pcs[0] = 0x1000; pcs[1] = (uint64_t)i; pcs[2] = 7; pcs[3] = (uint64_t)i * 3;
		assert_int_equal(ilp_stacks_intern(s, 1, 1, pcs, 4, &is_new), i);
		assert_int_equal(is_new, 1);
	}
	for (i = 0; i < 5000; i++) {
		pcs[0] = 0x1000; pcs[1] = (uint64_t)i; pcs[2] = 7; pcs[3] = (uint64_t)i * 3;
		assert_int_equal(ilp_stacks_intern(s, 1, 1, pcs, 4, &is_new), i);
		assert_int_equal(is_new, 0);
		ilp_stacks_add(s, i, (uint64_t)i);
	}
	assert_int_equal(ilp_stacks_index(s), 0);
	assert_int_equal(ilp_stacks_count(s), 5000);
	assert_int_equal(ilp_stacks_get(s, 0)->total_ns, 4999);
	assert_int_equal(ilp_stacks_get(s, 4999)->total_ns, 0);
	assert_null(ilp_stacks_get(s, 5000));
	ilp_stacks_free(s);
}

static void test_site_and_merge(void **state)
{
	struct ilp_stacks *s = ilp_stacks_new();
	struct ilp_stack sites[4];
	const struct ilp_stack *st;
	char buf[128];
	uint64_t pcs[2] = { 0x7f0000002000ull, 0x7f0000003000ull };
	int is_new, id;
	size_t n;

	(void)state;
	/* fetch_user line 42 from two different callers (two stacks, one site) */
	add_stack(s, 100, 1, 0x401100, "fetch_user", 42, 10, 1000);
	{
		uint64_t p2[3] = { 0x7f0000001000ull, 0x401100, 0x401200 };

		id = ilp_stacks_intern(s, 100, 1, p2, 3, &is_new);
		assert_int_equal(is_new, 1);
		ilp_stacks_name_frame(s, id, 0, "__write", "write.c", 26, LIBC);
		ilp_stacks_name_frame(s, id, 1, "fetch_user", "/src/app.c", 42, APP);
		ilp_stacks_name_frame(s, id, 2, "other", "/src/app.c", 70, APP);
		ilp_stacks_add(s, id, 5000);
	}
	add_stack(s, 100, 1, 0x401300, "save_user", 50, 3, 4000);	/* 12000 ns */
	add_stack(s, 200, 1, 0x401100, "fetch_user", 42, 1, 1);	/* other process */
	/* only system frames: the site is the innermost frame with a line */
	id = ilp_stacks_intern(s, 100, 257, pcs, 2, &is_new);
	ilp_stacks_name_frame(s, id, 0, "__open_nocancel", NULL, 0, LIBC);
	ilp_stacks_name_frame(s, id, 1, "_dl_map_object", "dl-load.c", 2100,
			      "/lib64/ld-linux-x86-64.so.2");
	ilp_stacks_add(s, id, 100);
	assert_int_equal(ilp_stacks_index(s), 0);
	assert_int_equal(ilp_stacks_count(s), 5);
	st = ilp_stacks_get(s, 0);
	assert_int_equal(st->total_ns, 12000);
	assert_int_equal(st->site, 1);
	assert_string_equal(st->frames[st->site].func, "save_user");

	n = ilp_stacks_sites(s, 100, -1, sites, 4);
	assert_int_equal(n, 3);
	/* fetch_user: 10 x 1000 + 5000 merged, ahead of save_user after the merge */
	assert_string_equal(sites[0].frames[0].func, "fetch_user");
	assert_int_equal(sites[0].calls, 11);
	assert_int_equal(sites[0].total_ns, 15000);
	assert_int_equal(sites[0].max_ns, 5000);
	assert_string_equal(sites[1].frames[0].func, "save_user");
	assert_int_equal(sites[1].calls, 3);
	assert_string_equal(sites[2].frames[0].func, "_dl_map_object");
	assert_int_equal(sites[2].nr, 257);
	assert_int_equal(ilp_stacks_sites(s, 100, 257, sites, 4), 1);
	assert_int_equal(ilp_stacks_sites(s, 100, -1, sites, 1), 1);
	assert_int_equal(sites[0].total_ns, 15000);
	assert_int_equal(ilp_stacks_sites(s, 999, -1, sites, 4), 0);

	ilp_stack_frame_fmt(&sites[0].frames[0], buf, sizeof(buf));
	assert_string_equal(buf, "fetch_user (app.c:42)");
	ilp_stacks_free(s);
}

static void test_findings_sites(void **state)
{
	struct ilp_stacks *s = ilp_stacks_new();
	struct ilp_finding fv[3];
	struct ilp_findings fs = { fv, 3, 3 };

	int w = ilp_syscall_nr("write");

	(void)state;
	memset(fv, 0, sizeof(fv));
	add_stack(s, 100, w, 0x401100, "fetch_user", 42, 10, 1000);
	/* fewer calls but more time (a few slow ones): not the site to fix */
	add_stack(s, 100, w, 0x401300, "save_user", 50, 2, 9000);
	assert_int_equal(ilp_stacks_index(s), 0);
	assert_string_equal(ilp_stacks_get(s, 0)->frames[1].func, "save_user");
	fv[0].pid = 100;
	fv[0].nr = w;
	fv[1].pid = 100;	/* several syscalls: no site, whatever "what" says */
	fv[1].nr = -1;
	strcpy(fv[1].what, "12 writes of 1 B (median) on /dev/null");
	fv[2].pid = 100;	/* no stack of that syscall */
	fv[2].nr = ilp_syscall_nr("read");
	ilp_findings_set_sites(&fs, s);
	assert_string_equal(fv[0].site, "write from fetch_user (app.c:42) (10 of 12 write calls)");
	assert_string_equal(fv[1].site, "");
	assert_string_equal(fv[2].site, "");
	ilp_stacks_free(s);
}

/* a 1-frame stack in module mod (a walk that stopped at once), calls times */
static void add_short(struct ilp_stacks *s, int pid, uint64_t pc, const char *fn,
		      const char *mod, uint64_t calls)
{
	int is_new, id = ilp_stacks_intern(s, pid, 1, &pc, 1, &is_new);

	assert_true(id >= 0);
	if (is_new && mod)
		assert_int_equal(ilp_stacks_name_frame(s, id, 0, fn, NULL, 0, mod), 0);
	while (calls--)
		ilp_stacks_add(s, id, 1000);
}

static void test_no_fp(void **state)
{
	struct ilp_stacks *s = ilp_stacks_new();
	uint64_t without, of;

	(void)state;
	assert_non_null(s);
	/* pid 1: 3 calls with a frame of the program, 3 without: not more
	 * than half, no hint; the loader's and execve's (frame 0 unnamed)
	 * stacks are not counted */
	add_stack(s, 1, 1, 0x401100, "fetch_user", 21, 3, 1000);
	add_short(s, 1, 0x7f0000001000ull, "__write", LIBC, 3);
	add_short(s, 1, 0x7f0000900000ull, "__mmap", "/lib64/ld-linux-x86-64.so.2", 50);
	add_short(s, 1, 0x7f0000a00000ull, NULL, NULL, 50);
	/* pid 2: 4 of 5 without: the hint */
	add_stack(s, 2, 1, 0x401100, "fetch_user", 21, 1, 1000);
	add_short(s, 2, 0x7f0000001000ull, "__write", LIBC, 4);
	/* pid 3: a frame in the program's module but in no function (a
	 * walk gone astray) is no frame of the program */
	add_short(s, 3, 0x401234, NULL, APP, 2);
	assert_int_equal(ilp_stacks_index(s), 0);
	/* not frame-pointer walks (ptrace's DWARF stacks): never */
	assert_int_equal(ilp_stacks_no_fp(s, 2, &without, &of), 0);
	assert_int_equal(of, 0);
	ilp_stacks_set_fp_walks(s);
	assert_int_equal(ilp_stacks_no_fp(s, 1, &without, &of), 0);
	assert_int_equal(without, 3);
	assert_int_equal(of, 6);
	assert_int_equal(ilp_stacks_no_fp(s, 2, &without, &of), 1);
	assert_int_equal(without, 4);
	assert_int_equal(of, 5);
	assert_int_equal(ilp_stacks_no_fp(s, 3, NULL, NULL), 1);
	/* one more call without a frame of the program: 4 of 7, the hint */
	add_short(s, 1, 0x7f0000001000ull, "__write", LIBC, 1);
	assert_int_equal(ilp_stacks_index(s), 0);
	assert_int_equal(ilp_stacks_no_fp(s, 1, &without, &of), 1);
	assert_int_equal(without, 4);
	assert_int_equal(of, 7);
	assert_int_equal(ilp_stacks_no_fp(s, 4, NULL, NULL), 0);	/* no stack */
	assert_int_equal(ilp_stacks_no_fp(NULL, 1, NULL, NULL), 0);
	ilp_stacks_free(s);
}

static void test_fmt(void **state)
{
	struct ilp_stack_frame f = { 0x401234, NULL, NULL, 0, NULL };
	char buf[64];

	(void)state;
	ilp_stack_frame_fmt(&f, buf, sizeof(buf));
	assert_string_equal(buf, "0x401234");
	assert_int_equal(ilp_stack_frame_unnamed(&f), 1);	/* a bare address */
	f.module = "/usr/bin/app";
	assert_int_equal(ilp_stack_frame_unnamed(&f), 0);	/* in a file: stripped */
	f.module = NULL;
	f.func = "main";
	assert_int_equal(ilp_stack_frame_unnamed(&f), 0);
	ilp_stack_frame_fmt(&f, buf, sizeof(buf));
	assert_string_equal(buf, "main");
	f.file = "/a/b/c.c";
	f.line = 7;
	ilp_stack_frame_fmt(&f, buf, sizeof(buf));
	assert_string_equal(buf, "main (c.c:7)");
	f.func = NULL;
	ilp_stack_frame_fmt(&f, buf, sizeof(buf));
	assert_string_equal(buf, "0x401234 (c.c:7)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_site_and_merge),
		cmocka_unit_test(test_findings_sites),
		cmocka_unit_test(test_no_fp),
		cmocka_unit_test(test_fmt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
