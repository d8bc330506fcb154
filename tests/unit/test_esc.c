// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/util/esc.c: what a terminal could act on (control
 * characters, C1, bidi controls, invalid UTF-8) comes out as \xNN, a
 * backslash doubled, everything else unchanged; cuts at whole characters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "esc.h"

static void test_clean_passes(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(ilp_esc(buf, sizeof(buf), "/tmp/a b.txt"), "/tmp/a b.txt");
	/* valid UTF-8, 2, 3 and 4 bytes */
	assert_string_equal(ilp_esc(buf, sizeof(buf), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
			    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_string_equal(ilp_esc(buf, sizeof(buf), NULL), "");
	assert_true(ilp_esc_clean("/usr/lib/x.so"));
	assert_true(ilp_esc_clean(NULL));
}

static void test_controls(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(ilp_esc(buf, sizeof(buf), "a\nb"), "a\\x0ab");
	assert_string_equal(ilp_esc(buf, sizeof(buf), "\x1b[31mred\x1b[0m"),
			    "\\x1b[31mred\\x1b[0m");
	assert_string_equal(ilp_esc(buf, sizeof(buf), "\t\r\x7f"), "\\x09\\x0d\\x7f");
	/* C1 CSI as UTF-8 (U+009B), and as a lone byte (invalid UTF-8) */
	assert_string_equal(ilp_esc(buf, sizeof(buf), "x\xc2\x9b" "y"), "x\\xc2\\x9by");
	assert_string_equal(ilp_esc(buf, sizeof(buf), "x\x9by"), "x\\x9by");
	/* bidi override U+202E and isolate U+2066 */
	assert_string_equal(ilp_esc(buf, sizeof(buf), "a\xe2\x80\xae" "b\xe2\x81\xa6"),
			    "a\\xe2\\x80\\xaeb\\xe2\\x81\\xa6");
	/* a backslash is doubled: "\x0a" in a name is not a newline */
	assert_string_equal(ilp_esc(buf, sizeof(buf), "a\\x0a"), "a\\\\x0a");
	assert_false(ilp_esc_clean("a\nb"));
	assert_false(ilp_esc_clean("a\\b"));
}

static void test_invalid_utf8(void **state)
{
	char buf[128];

	(void)state;
	/* a lone continuation byte, an overlong '/', a surrogate, a cut sequence */
	assert_string_equal(ilp_esc(buf, sizeof(buf), "\x80"), "\\x80");
	assert_string_equal(ilp_esc(buf, sizeof(buf), "\xc0\xaf"), "\\xc0\\xaf");
	assert_string_equal(ilp_esc(buf, sizeof(buf), "\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(ilp_esc(buf, sizeof(buf), "ab\xe2\x82"), "ab\\xe2\\x82");
	assert_string_equal(ilp_esc(buf, sizeof(buf), "name \n\xff.txt"), "name \\x0a\\xff.txt");
}

static void test_cut_whole(void **state)
{
	char buf[8];

	(void)state;
	/* "ab" + a 4-byte escape does not fit in 7 bytes + NUL after "abc" */
	assert_string_equal(ilp_esc(buf, sizeof(buf), "abcd\n"), "abcd");
	assert_string_equal(ilp_esc(buf, sizeof(buf), "abc\ndef"), "abc\\x0a");
	/* a 3-byte character is not split */
	assert_string_equal(ilp_esc(buf, 6, "abc\xe2\x82\xac"), "abc");
	assert_string_equal(ilp_esc(buf, 1, "abc"), "");
}

static void test_fputs_and_dup(void **state)
{
	char *mem = NULL, *d;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	char long_name[3000];

	(void)state;
	assert_non_null(f);
	memset(long_name, '\n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(ilp_esc_fputs("x\x01y", f), 0);
	assert_int_equal(ilp_esc_fputs(long_name, f), 0);
	fclose(f);
	assert_int_equal(len, 3 + 3 + (sizeof(long_name) - 1) * 4);
	assert_memory_equal(mem, "x\\x01y\\x0a\\x0a", 14);
	free(mem);
	d = ilp_esc_dup(long_name);
	assert_non_null(d);
	assert_int_equal(strlen(d), (sizeof(long_name) - 1) * 4);	/* never cut */
	free(d);
}

static void test_escv_ring(void **state)
{
	struct ilp_escv v = { .i = 0 };
	const char *a = ilp_escv(&v, "a\n"), *b = ilp_escv(&v, "b\t");

	(void)state;
	/* two strings in one printf: both alive */
	assert_string_equal(a, "a\\x0a");
	assert_string_equal(b, "b\\x09");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_passes),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_cut_whole),
		cmocka_unit_test(test_fputs_and_dup),
		cmocka_unit_test(test_escv_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
