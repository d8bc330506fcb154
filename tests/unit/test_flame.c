// SPDX-License-Identifier: MIT
/*
 * The flame graph layout (src/report/flame.c): exact rectangles for known
 * stacks, the min-width cut-off, order independence, colours and labels.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "flame.h"

/* adds "a;b;c" (kinds: process, then syscall, then object) */
static void add(struct ilp_flame *f, const char *stack, uint64_t ns)
{
	static const int kinds[] = { ILP_FRAME_PROC, ILP_FRAME_SYSCALL, ILP_FRAME_OBJECT };
	struct ilp_frame fr[3];
	char buf[128], *save = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save), n++)
		fr[n] = (struct ilp_frame){ kinds[n], t };
	assert_int_equal(ilp_flame_add(f, fr, n, ns), 0);
}

static void check(const struct ilp_flame_rect *r, const char *name, int depth, double x,
		  double w, uint64_t ns, uint64_t hidden)
{
	assert_string_equal(r->name, name);
	assert_int_equal(r->depth, depth);
	/* exact: x = left * width / total in doubles is the correctly rounded
	 * quotient, the same double as the literal */
	if (r->x != x || r->w != w)
		fail_msg("%s: x %g w %g, want x %g w %g", name, r->x, r->w, x, w);
	assert_int_equal(r->ns, ns);
	assert_int_equal(r->hidden_ns, hidden);
}

/* 1000 ns on 1000 px: 1 px per ns; siblings by name, a frame's own time
 * left of its children, equal stacks merged */
static void test_layout(void **state)
{
	struct ilp_flame *f = ilp_flame_new();
	struct ilp_flame_rects r;

	(void)state;
	assert_non_null(f);
	add(f, "app-1;write", 400);
	add(f, "app-1;read;fd:3", 300);
	add(f, "app-1;read", 50);
	add(f, "app-1;fsync", 50);
	add(f, "app-1;write", 200);
	assert_int_equal(ilp_flame_layout(f, 1000, 1, &r), 0);
	assert_int_equal(r.total_ns, 1000);
	assert_int_equal(r.rows, 3);
	assert_int_equal(r.n, 5);
	check(&r.v[0], "app-1", 0, 0, 1000, 1000, 0);
	check(&r.v[1], "fsync", 1, 0, 50, 50, 0);
	check(&r.v[2], "read", 1, 50, 350, 350, 0);
	check(&r.v[3], "write", 1, 400, 600, 600, 0);
	check(&r.v[4], "fd:3", 2, 100, 300, 300, 0);
	assert_int_equal(r.v[0].kind, ILP_FRAME_PROC);
	assert_int_equal(r.v[3].kind, ILP_FRAME_SYSCALL);
	assert_int_equal(r.v[4].kind, ILP_FRAME_OBJECT);
	assert_true(r.v[0].pct == 100.0 && r.v[3].pct == 60.0 && r.v[1].pct == 5.0);
	ilp_flame_rects_release(&r);
	assert_null(r.v);
	ilp_flame_free(f);
	ilp_flame_free(NULL);
}

/* 1000 ns on 100 px, min 1 px: poll (5 ns, 0.5 px) is not drawn, nor its
 * timer above it: its 5 ns are the process's hidden time; fd:4 (5 ns)
 * under read is read's; the gaps stay where they were */
static void test_min_width(void **state)
{
	struct ilp_flame *f = ilp_flame_new();
	struct ilp_flame_rects r;

	(void)state;
	add(f, "p-1;read;fd:3", 990);
	add(f, "p-1;poll;timer", 4);
	add(f, "p-1;poll", 1);
	add(f, "p-1;read;fd:4", 5);
	assert_int_equal(ilp_flame_layout(f, 100, 1, &r), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.rows, 3);
	check(&r.v[0], "p-1", 0, 0, 100, 1000, 5);
	check(&r.v[1], "read", 1, 0.5, 99.5, 995, 5);
	check(&r.v[2], "fd:3", 2, 0.5, 99, 990, 0);
	ilp_flame_rects_release(&r);
	/* min 0: everything drawn, 0.5 px wide or not */
	assert_int_equal(ilp_flame_layout(f, 100, 0, &r), 0);
	assert_int_equal(r.n, 6);
	check(&r.v[1], "poll", 1, 0, 0.5, 5, 0);
	check(&r.v[3], "timer", 2, 0.1, 0.4, 4, 0);
	check(&r.v[5], "fd:4", 2, 99.5, 0.5, 5, 0);
	ilp_flame_rects_release(&r);
	/* min above the whole width: nothing drawn */
	assert_int_equal(ilp_flame_layout(f, 100, 101, &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.rows, 0);
	assert_int_equal(r.total_ns, 1000);
	ilp_flame_rects_release(&r);
	ilp_flame_free(f);
}

/* the same stacks in another order give the same rectangles; a name
 * that is a syscall in one stack and a call-stack frame in another is two
 * frames (kind after name) */
static void test_order_and_kind(void **state)
{
	static const char *const st[] = { "a;x", "a;y;z", "a;y", "a;w" };
	static const uint64_t ns[] = { 30, 20, 10, 40 };
	struct ilp_flame *f[2] = { ilp_flame_new(), ilp_flame_new() };
	struct ilp_flame_rects r[2];
	struct ilp_frame two[2] = { { ILP_FRAME_PROC, "a" }, { ILP_FRAME_SITE, "x" } };

	(void)state;
	for (int i = 0; i < 4; i++) {
		add(f[0], st[i], ns[i]);
		add(f[1], st[3 - i], ns[3 - i]);
	}
	assert_int_equal(ilp_flame_add(f[0], two, 2, 100), 0);
	assert_int_equal(ilp_flame_add(f[1], two, 2, 100), 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(ilp_flame_layout(f[k], 200, 1, &r[k]), 0);
	assert_int_equal(r[0].n, 6);
	assert_int_equal(r[1].n, r[0].n);
	for (size_t i = 0; i < r[0].n; i++) {
		assert_string_equal(r[0].v[i].name, r[1].v[i].name);
		assert_int_equal(r[0].v[i].kind, r[1].v[i].kind);
		assert_true(r[0].v[i].x == r[1].v[i].x && r[0].v[i].w == r[1].v[i].w);
	}
	check(&r[0].v[0], "a", 0, 0, 200, 200, 0);
	check(&r[0].v[1], "w", 1, 0, 40, 40, 0);
	check(&r[0].v[2], "x", 1, 40, 100, 100, 0);	/* SITE before SYSCALL */
	assert_int_equal(r[0].v[2].kind, ILP_FRAME_SITE);
	check(&r[0].v[3], "x", 1, 140, 30, 30, 0);
	assert_int_equal(r[0].v[3].kind, ILP_FRAME_SYSCALL);
	check(&r[0].v[4], "y", 1, 170, 30, 30, 0);
	check(&r[0].v[5], "z", 2, 180, 20, 20, 0);
	for (int k = 0; k < 2; k++) {
		ilp_flame_rects_release(&r[k]);
		ilp_flame_free(f[k]);
	}
}

static void test_empty_and_bad(void **state)
{
	struct ilp_flame *f = ilp_flame_new();
	struct ilp_frame fr[ILP_FOLD_DEPTH + 1];
	struct ilp_flame_rects r;

	(void)state;
	for (size_t i = 0; i <= ILP_FOLD_DEPTH; i++)
		fr[i] = (struct ilp_frame){ ILP_FRAME_SITE, "f" };
	assert_int_equal(ilp_flame_add(f, fr, 0, 5), -EINVAL);
	assert_int_equal(ilp_flame_add(f, fr, ILP_FOLD_DEPTH + 1, 5), -EINVAL);
	assert_int_equal(ilp_flame_add(f, fr, 2, 0), 0);	/* nothing */
	assert_int_equal(ilp_flame_layout(f, 100, 1, &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.rows, 0);
	assert_int_equal(r.total_ns, 0);
	ilp_flame_rects_release(&r);
	/* the deepest stack there can be: one rect per frame */
	assert_int_equal(ilp_flame_add(f, fr, ILP_FOLD_DEPTH, 7), 0);
	assert_int_equal(ilp_flame_layout(f, 100, 1, &r), 0);
	assert_int_equal(r.n, ILP_FOLD_DEPTH);
	assert_int_equal(r.rows, ILP_FOLD_DEPTH);
	assert_true(r.v[ILP_FOLD_DEPTH - 1].w == 100);
	ilp_flame_rects_release(&r);
	ilp_flame_free(f);
}

/* pinned: a name has the same colour in every report */
static void test_color(void **state)
{
	char c[8], d[8];

	(void)state;
	ilp_flame_color(ILP_FRAME_SYSCALL, "write", c);
	assert_string_equal(c, "#d57100");
	ilp_flame_color(ILP_FRAME_OBJECT, "fd:3", c);
	assert_string_equal(c, "#5656c4");
	ilp_flame_color(ILP_FRAME_PROC, "app-100", c);
	assert_string_equal(c, "#d6d640");
	ilp_flame_color(ILP_FRAME_SITE, "main", c);
	assert_string_equal(c, "#e90230");
	/* the kind sets the hue: one name, four palettes */
	ilp_flame_color(ILP_FRAME_THREAD, "write", d);
	ilp_flame_color(ILP_FRAME_SYSCALL, "write", c);
	assert_string_not_equal(c, d);
	/* call-stack frames (red) never take a syscall's orange: green 0..80
	 * against 90..155 */
	for (int i = 0; i < 256; i++) {
		char name[16];
		unsigned gs, gc;

		snprintf(name, sizeof(name), "f%d", i);
		ilp_flame_color(ILP_FRAME_SITE, name, c);
		ilp_flame_color(ILP_FRAME_SYSCALL, name, d);
		assert_int_equal(sscanf(c + 3, "%2x", &gs), 1);
		assert_int_equal(sscanf(d + 3, "%2x", &gc), 1);
		assert_true(gs <= 80 && gc >= 90 && gc <= 155);
	}
	ilp_flame_color(ILP_FRAME_THREAD, "", d);
	assert_string_equal(d, "#d9d941");	/* FNV-1a basis 0x811c9dc5: v1 0xc5 */
}

static void test_label(void **state)
{
	int dots = -1;

	(void)state;
	/* 100 px: 94 px of room, 13 glyphs of 7.2 px */
	assert_int_equal(ilp_flame_label("write", 100, 7.2, &dots), 5);
	assert_int_equal(dots, 0);
	assert_int_equal(ilp_flame_label("abcdefghijklm", 100, 7.2, &dots), 13);
	assert_int_equal(dots, 0);
	assert_int_equal(ilp_flame_label("abcdefghijklmn", 100, 7.2, &dots), 11);
	assert_int_equal(dots, 1);
	/* 27 px: 2 glyphs: "ab" whole, nothing of a longer name */
	assert_int_equal(ilp_flame_label("ab", 27, 7.2, &dots), 2);
	assert_int_equal(dots, 0);
	assert_int_equal(ilp_flame_label("abc", 27, 7.2, &dots), 0);
	assert_int_equal(dots, 0);
	/* 3 glyphs: one character and ".." */
	assert_int_equal(ilp_flame_label("abcd", 28, 7.2, &dots), 1);
	assert_int_equal(dots, 1);
	/* UTF-8: 4 glyphs of "ééééé" are 2 characters (4 bytes) and ".." */
	assert_int_equal(ilp_flame_label("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 40, 7.2, &dots), 4);
	assert_int_equal(dots, 1);
	assert_int_equal(ilp_flame_label("x", 5, 7.2, &dots), 0);
	assert_int_equal(ilp_flame_label("", 5, 7.2, &dots), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_min_width),
		cmocka_unit_test(test_order_and_kind),
		cmocka_unit_test(test_empty_and_bad),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
