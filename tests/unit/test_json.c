// SPDX-License-Identifier: MIT
/*
 * JSON writer and strict parser (src/util/json.c): valid documents with exact
 * values, invalid ones with the exact line:column of the error, the depth
 * and size limits, string escapes both ways.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "json.h"

static struct ilp_json_doc *parse_ok(const char *s)
{
	struct ilp_json_doc *d = NULL;
	struct ilp_json_error e;
	int err = ilp_json_parse(s, strlen(s), NULL, &d, &e);

	if (err)
		print_error("parse of '%s' failed: %d:%d: %s\n", s, e.line, e.col, e.msg);
	assert_int_equal(err, 0);
	assert_non_null(d);
	return d;
}

static void test_valid_document(void **state)
{
	const char *s = " {\"a\": [1, -2, 3.5, 1e3, true, false, null],\n"
			"  \"big\": 18446744073709551615, \"min\": -9223372036854775808,\n"
			"  \"s\": \"x\\\"y\\\\z\\/\\n\\t\\u00e9\\ud83d\\ude00\", \"e\": {}, \"z\": []} ";
	struct ilp_json_doc *d = parse_ok(s);
	const struct ilp_json *r = ilp_json_root(d), *a;
	uint64_t u;
	int64_t i;
	double x;
	size_t len;
	const char *str;

	(void)state;
	assert_int_equal(ilp_json_type(r), ILP_JSON_OBJECT);
	assert_int_equal(ilp_json_len(r), 6);
	assert_string_equal(ilp_json_key_at(r, 0), "a");
	a = ilp_json_get(r, "a");
	assert_int_equal(ilp_json_type(a), ILP_JSON_ARRAY);
	assert_int_equal(ilp_json_len(a), 7);
	assert_int_equal(ilp_json_u64(ilp_json_at(a, 0), &u), 0);
	assert_int_equal(u, 1);
	assert_int_equal(ilp_json_u64(ilp_json_at(a, 1), &u), -ERANGE);
	assert_int_equal(ilp_json_i64(ilp_json_at(a, 1), &i), 0);
	assert_int_equal(i, -2);
	assert_int_equal(ilp_json_u64(ilp_json_at(a, 2), &u), -EINVAL);
	assert_int_equal(ilp_json_double(ilp_json_at(a, 2), &x), 0);
	assert_true(x == 3.5);
	assert_int_equal(ilp_json_u64(ilp_json_at(a, 3), &u), -EINVAL);	/* exponent */
	assert_int_equal(ilp_json_double(ilp_json_at(a, 3), &x), 0);
	assert_true(x == 1000.0);
	assert_int_equal(ilp_json_bool(ilp_json_at(a, 4)), 1);
	assert_int_equal(ilp_json_bool(ilp_json_at(a, 5)), 0);
	assert_int_equal(ilp_json_type(ilp_json_at(a, 6)), ILP_JSON_NULL);
	assert_null(ilp_json_at(a, 7));
	assert_int_equal(ilp_json_u64(ilp_json_get(r, "big"), &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(ilp_json_i64(ilp_json_get(r, "big"), &i), -ERANGE);
	assert_int_equal(ilp_json_i64(ilp_json_get(r, "min"), &i), 0);
	assert_true(i == INT64_MIN);
	str = ilp_json_str(ilp_json_get(r, "s"), &len);
	assert_non_null(str);
	assert_int_equal(len, strlen("x\"y\\z/\n\t\xc3\xa9\xf0\x9f\x98\x80"));
	assert_string_equal(str, "x\"y\\z/\n\t\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(ilp_json_len(ilp_json_get(r, "e")), 0);
	assert_int_equal(ilp_json_type(ilp_json_get(r, "z")), ILP_JSON_ARRAY);
	assert_null(ilp_json_get(r, "nope"));
	assert_int_equal(ilp_json_get_u64(r, "nope", 7), 7);
	ilp_json_doc_free(d);
	ilp_json_doc_free(NULL);
}

static void test_scalars_and_nul(void **state)
{
	struct ilp_json_doc *d = parse_ok("\"a\\u0000b\"");
	size_t len;
	const char *s = ilp_json_str(ilp_json_root(d), &len);
	uint64_t u;

	(void)state;
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a\0b", 3);
	ilp_json_doc_free(d);
	d = parse_ok("0");
	assert_int_equal(ilp_json_u64(ilp_json_root(d), &u), 0);
	assert_int_equal(u, 0);
	ilp_json_doc_free(d);
	d = parse_ok("-0.0e-2");
	assert_int_equal(ilp_json_type(ilp_json_root(d)), ILP_JSON_NUMBER);
	ilp_json_doc_free(d);
	d = parse_ok("18446744073709551616");	/* still JSON; not a u64 */
	assert_int_equal(ilp_json_u64(ilp_json_root(d), &u), -ERANGE);
	ilp_json_doc_free(d);
}

static const struct bad_case {
	const char *in;
	int err, line, col;
	const char *msg;	/* substring */
} bad_cases[] = {
	{ "", -EINVAL, 1, 1, "end of input" },
	{ "   ", -EINVAL, 1, 4, "end of input" },
	{ "[1,]", -EINVAL, 1, 4, "trailing comma" },
	{ "{\"a\":1,}", -EINVAL, 1, 8, "trailing comma" },
	{ "{\"a\" 1}", -EINVAL, 1, 6, "':' expected" },
	{ "{a:1}", -EINVAL, 1, 2, "object key" },
	{ "[01]", -EINVAL, 1, 3, "leading zero" },
	{ "[1.]", -EINVAL, 1, 4, "after '.'" },
	{ "[1e+]", -EINVAL, 1, 5, "exponent" },
	{ "[-]", -EINVAL, 1, 3, "digit expected" },
	{ "[+1]", -EINVAL, 1, 2, "value expected, got '+'" },
	{ "\n  [1 2]", -EINVAL, 2, 6, "',' or ']' expected, got '2'" },
	{ "[1,\n\n 2,\n   x]", -EINVAL, 4, 4, "value expected, got 'x'" },
	{ "\"abc", -EINVAL, 1, 1, "unterminated string" },
	{ "[\"a\x01\"]", -EINVAL, 1, 4, "control character 0x01" },
	{ "[\"a\\q\"]", -EINVAL, 1, 4, "unknown escape" },
	{ "\"\\u12g4\"", -EINVAL, 1, 6, "bad hex digit" },
	{ "\"\\ud800\"", -EINVAL, 1, 2, "high surrogate" },
	{ "\"\\udc00\"", -EINVAL, 1, 2, "lone low surrogate" },
	{ "\"\\ud800\\u0041\"", -EINVAL, 1, 2, "high surrogate" },
	{ "\"\xff\"", -EINVAL, 1, 2, "invalid UTF-8" },
	{ "\"\xc0\xaf\"", -EINVAL, 1, 2, "invalid UTF-8" },	/* overlong '/' */
	{ "\"\xed\xa0\x80\"", -EINVAL, 1, 2, "invalid UTF-8" },	/* encoded surrogate */
	{ "nul", -EINVAL, 1, 1, "expected 'null'" },
	{ "truex", -EINVAL, 1, 5, "after the value" },
	{ "[1] x", -EINVAL, 1, 5, "unexpected 'x' after the value" },
	{ "{} {}", -EINVAL, 1, 4, "after the value" },
	{ "[NaN]", -EINVAL, 1, 2, "value expected" },
	{ "// c\n1", -EINVAL, 1, 1, "value expected" },
	{ "\xef\xbb\xbf{}", -EINVAL, 1, 1, "byte 0xef" },	/* BOM */
	{ "[1,\xff]", -EINVAL, 1, 4, "byte 0xff" },
};

static void test_invalid_positions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct ilp_json_doc *d = (void *)1;
		struct ilp_json_error e;
		int err = ilp_json_parse(c->in, strlen(c->in), NULL, &d, &e);

		if (err != c->err || e.line != c->line || e.col != c->col ||
		    !strstr(e.msg, c->msg))
			fail_msg("case %zu '%s': got %d %d:%d '%s', want %d %d:%d '%s'", i, c->in,
				 err, e.line, e.col, e.msg, c->err, c->line, c->col, c->msg);
		assert_null(d);
	}
}

static void test_limits(void **state)
{
	struct ilp_json_limits lim = { .max_depth = 3 };
	struct ilp_json_doc *d = NULL;
	struct ilp_json_error e;
	char deep[2 * ILP_JSON_MAX_DEPTH + 3];
	size_t n;

	(void)state;
	assert_int_equal(ilp_json_parse("[[[1]]]", 7, &lim, &d, &e), 0);
	ilp_json_doc_free(d);
	assert_int_equal(ilp_json_parse("[[[[1]]]]", 9, &lim, &d, &e), -E2BIG);
	assert_int_equal(e.line, 1);
	assert_int_equal(e.col, 4);
	assert_non_null(strstr(e.msg, "deeper than 3"));
	assert_int_equal(ilp_json_parse("{\"a\":{\"b\":{\"c\":{}}}}", 20, &lim, &d, &e), -E2BIG);
	assert_int_equal(e.col, 16);

	/* default depth: 64 levels pass, 65 fail */
	for (n = 0; n < ILP_JSON_MAX_DEPTH; n++) {
		deep[n] = '[';
		deep[2 * ILP_JSON_MAX_DEPTH - 1 - n] = ']';
	}
	assert_int_equal(ilp_json_parse(deep, 2 * ILP_JSON_MAX_DEPTH, NULL, &d, &e), 0);
	ilp_json_doc_free(d);
	memmove(deep + 1, deep, 2 * ILP_JSON_MAX_DEPTH);
	deep[0] = '[';
	deep[2 * ILP_JSON_MAX_DEPTH + 1] = ']';
	assert_int_equal(ilp_json_parse(deep, 2 * ILP_JSON_MAX_DEPTH + 2, NULL, &d, &e), -E2BIG);
	assert_int_equal(e.col, ILP_JSON_MAX_DEPTH + 1);

	lim.max_depth = 0;
	lim.max_size = 10;
	assert_int_equal(ilp_json_parse("[1,2,3,4,5]", 11, &lim, &d, &e), -E2BIG);
	assert_non_null(strstr(e.msg, "larger than 10 bytes"));
	assert_int_equal(ilp_json_parse("[1,2,3,45]", 10, &lim, &d, &e), 0);
	ilp_json_doc_free(d);
}

static void test_parse_file(void **state)
{
	char path[] = "/tmp/ilp-json-XXXXXX";
	struct ilp_json_limits lim = { .max_size = 4 };
	struct ilp_json_doc *d = NULL;
	struct ilp_json_error e;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\n \"k\": tru }", 13), 13);
	close(fd);
	assert_int_equal(ilp_json_parse_file(path, NULL, &d, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 7);
	assert_int_equal(ilp_json_parse_file(path, &lim, &d, &e), -E2BIG);
	unlink(path);
	assert_int_equal(ilp_json_parse_file(path, NULL, &d, &e), -ENOENT);
	assert_null(d);
}

static void test_escape(void **state)
{
	const char in[] = "a\"b\\c\n\r\t\b\f\x01\x1f\x7f\xff\xc3\xa9\xe2\x82";
	char buf[128], small[8];
	size_t n;

	(void)state;
	n = ilp_json_escape(buf, sizeof(buf), in, sizeof(in) - 1);
	assert_string_equal(buf, "a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\\ufffd\xc3\xa9"
			    "\\ufffd\\ufffd");
	assert_int_equal(n, strlen(buf));
	/* truncation keeps whole escapes and reports the full length */
	n = ilp_json_escape(small, sizeof(small), "ab\ncd", 5);
	assert_int_equal(n, 6);
	assert_string_equal(small, "ab\\ncd");
	n = ilp_json_escape(small, 5, "ab\ncd", 5);
	assert_string_equal(small, "ab\\n");
	n = ilp_json_escape(small, 4, "ab\ncd", 5);
	assert_string_equal(small, "ab");
}

static char *render(void (*fn)(struct ilp_jw *), int pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ilp_jw w;

	assert_non_null(f);
	ilp_jw_init(&w, f, pretty);
	fn(&w);
	assert_int_equal(ilp_jw_finish(&w), 0);
	fclose(f);
	return buf;
}

static void doc1(struct ilp_jw *w)
{
	ilp_jw_obj_begin(w);
	ilp_jw_ku64(w, "n", UINT64_MAX);
	ilp_jw_ki64(w, "i", INT64_MIN);
	ilp_jw_key(w, "a");
	ilp_jw_arr_begin(w);
	ilp_jw_str(w, "x\ty");
	ilp_jw_null(w);
	ilp_jw_bool(w, 1);
	ilp_jw_ns_as_us(w, 1234567);
	ilp_jw_ns_as_us(w, 5);
	ilp_jw_obj_begin(w);
	ilp_jw_obj_end(w);
	ilp_jw_arr_end(w);
	ilp_jw_key(w, "e");
	ilp_jw_arr_begin(w);
	ilp_jw_arr_end(w);
	ilp_jw_kstr(w, "k\"", "\xff");
	ilp_jw_obj_end(w);
}

static void doc_or_null(struct ilp_jw *w)
{
	ilp_jw_obj_begin(w);
	ilp_jw_kstr_or_null(w, "f", "anon_pipe_read");
	ilp_jw_kstr_or_null(w, "r", NULL);
	ilp_jw_obj_end(w);
}

static void test_writer_or_null(void **state)
{
	char *c = render(doc_or_null, 0);

	(void)state;
	assert_string_equal(c, "{\"f\":\"anon_pipe_read\",\"r\":null}\n");
	free(c);
}

static void test_writer(void **state)
{
	char *c = render(doc1, 0), *p = render(doc1, 1);
	struct ilp_json_doc *d;
	const char *s;

	(void)state;
	assert_string_equal(c, "{\"n\":18446744073709551615,\"i\":-9223372036854775808,"
			    "\"a\":[\"x\\ty\",null,true,1234.567,0.005,{}],\"e\":[],"
			    "\"k\\\"\":\"\\ufffd\"}\n");
	assert_string_equal(p, "{\n  \"n\": 18446744073709551615,\n"
			    "  \"i\": -9223372036854775808,\n"
			    "  \"a\": [\n    \"x\\ty\",\n    null,\n    true,\n    1234.567,\n"
			    "    0.005,\n    {}\n  ],\n  \"e\": [],\n  \"k\\\"\": \"\\ufffd\"\n}\n");
	/* what the writer writes, the parser reads back */
	d = parse_ok(p);
	s = ilp_json_get_str(ilp_json_root(d), "k\"");
	assert_string_equal(s, "\xef\xbf\xbd");
	assert_string_equal(ilp_json_str(ilp_json_at(ilp_json_get(ilp_json_root(d), "a"), 0), NULL),
			    "x\ty");
	ilp_json_doc_free(d);
	free(c);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_document),
		cmocka_unit_test(test_scalars_and_nul),
		cmocka_unit_test(test_invalid_positions),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_writer_or_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
