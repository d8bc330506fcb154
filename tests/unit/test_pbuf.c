// SPDX-License-Identifier: MIT
/*
 * pbuf.h: varints, fields and the string table, byte for byte, and a tiny
 * pprof profile built with them, whose bytes were computed by hand and
 * read back by an independent decoder:
 *   protoc --decode=perftools.profiles.Profile tests/fixtures/profile.proto
 * gives
 *   sample_type { type: 1 unit: 2 }
 *   sample { location_id: 1 value: 5 }
 *   location { id: 1 line { function_id: 1 } }
 *   function { id: 1 name: 3 }
 *   string_table: "" string_table: "wait" string_table: "nanoseconds"
 *   string_table: "f"
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

#include "pbuf.h"

#define assert_bytes(pb, ...)                                                    \
	do {                                                                     \
		static const uint8_t want_[] = { __VA_ARGS__ };                  \
		assert_int_equal((pb)->err, 0);                                  \
		assert_int_equal((pb)->len, sizeof(want_));                      \
		assert_memory_equal((pb)->buf, want_, sizeof(want_));            \
	} while (0)

static void test_varint(void **state)
{
	struct ilp_pb pb = { 0 };

	(void)state;
	ilp_pb_varint(&pb, 0);
	ilp_pb_varint(&pb, 1);
	ilp_pb_varint(&pb, 127);
	ilp_pb_varint(&pb, 128);
	ilp_pb_varint(&pb, 300);
	assert_bytes(&pb, 0x00, 0x01, 0x7f, 0x80, 0x01, 0xac, 0x02);
	pb.len = 0;
	ilp_pb_varint(&pb, UINT64_MAX);	/* 64 bits: ten bytes */
	assert_bytes(&pb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
	pb.len = 0;
	ilp_pb_varint(&pb, (uint64_t)(int64_t)-1);	/* int64 -1: no zigzag */
	assert_int_equal(pb.len, 10);
	ilp_pb_release(&pb);
	assert_null(pb.buf);
}

static void test_fields(void **state)
{
	struct ilp_pb pb = { 0 }, sub = { 0 };
	uint64_t v[] = { 3, 270, 86942 };

	(void)state;
	ilp_pb_uint(&pb, 1, 150);	/* the protobuf docs' example: 08 96 01 */
	ilp_pb_uint(&pb, 2, 0);		/* 0: not written */
	ilp_pb_bytes(&pb, 2, "testing", 7);
	ilp_pb_bytes(&pb, 6, "", 0);	/* an empty string is written */
	ilp_pb_uint(&pb, 16, 1);	/* field 16: a two-byte tag */
	assert_bytes(&pb, 0x08, 0x96, 0x01, 0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g',
		     0x32, 0x00, 0x80, 0x01, 0x01);
	pb.len = 0;
	ilp_pb_packed(&pb, 4, v, 3);	/* the docs' packed example: 22 06 03 8e 02 9e a7 05 */
	ilp_pb_packed(&pb, 5, v, 0);	/* nothing */
	assert_bytes(&pb, 0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05);
	pb.len = 0;
	ilp_pb_uint(&sub, 1, 150);
	ilp_pb_msg(&pb, 3, &sub);	/* the docs' embedded example: 1a 03 08 96 01 */
	ilp_pb_append(&pb, &sub);
	assert_bytes(&pb, 0x1a, 0x03, 0x08, 0x96, 0x01, 0x08, 0x96, 0x01);
	/* an error is sticky and travels with the message */
	sub.err = -ENOMEM;
	ilp_pb_msg(&pb, 3, &sub);
	assert_int_equal(pb.err, -ENOMEM);
	ilp_pb_release(&pb);
	ilp_pb_release(&sub);
}

static void test_strtab(void **state)
{
	struct ilp_pb_strtab t = { 0 };
	char name[16];
	int is_new;

	(void)state;
	assert_int_equal(ilp_pb_strtab_id(&t, "wait", &is_new), 1);	/* "" took 0 */
	assert_int_equal(is_new, 1);
	assert_int_equal(ilp_pb_strtab_id(&t, "", &is_new), 0);
	assert_int_equal(is_new, 0);
	assert_int_equal(ilp_pb_strtab_id(&t, "calls", NULL), 2);
	assert_int_equal(ilp_pb_strtab_id(&t, "wait", &is_new), 1);
	assert_int_equal(is_new, 0);
	/* through several growths: ids stay, each string once */
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_equal(ilp_pb_strtab_id(&t, name, NULL), 3 + i);
	}
	for (int i = 999; i >= 0; i--) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_equal(ilp_pb_strtab_id(&t, name, &is_new), 3 + i);
		assert_int_equal(is_new, 0);
	}
	assert_int_equal(t.n, 1003);
	assert_string_equal(t.s[0], "");
	assert_string_equal(t.s[2], "calls");
	ilp_pb_strtab_release(&t);
	assert_int_equal(t.n, 0);
	/* a table whose first string is "" */
	assert_int_equal(ilp_pb_strtab_id(&t, "", &is_new), 0);
	assert_int_equal(is_new, 1);
	assert_int_equal(ilp_pb_strtab_id(&t, "x", NULL), 1);
	ilp_pb_strtab_release(&t);
}

/* the profile of the comment above */
static void test_tiny_profile(void **state)
{
	struct ilp_pb pb = { 0 }, m = { 0 }, line = { 0 };
	struct ilp_pb_strtab t = { 0 };
	uint64_t loc = 1, val = 5;

	(void)state;
	ilp_pb_uint(&m, 1, (uint64_t)ilp_pb_strtab_id(&t, "wait", NULL));
	ilp_pb_uint(&m, 2, (uint64_t)ilp_pb_strtab_id(&t, "nanoseconds", NULL));
	ilp_pb_msg(&pb, 1, &m);		/* sample_type */
	m.len = 0;
	ilp_pb_packed(&m, 1, &loc, 1);
	ilp_pb_packed(&m, 2, &val, 1);
	ilp_pb_msg(&pb, 2, &m);		/* sample */
	m.len = 0;
	ilp_pb_uint(&m, 1, 1);
	ilp_pb_uint(&line, 1, 1);
	ilp_pb_msg(&m, 4, &line);
	ilp_pb_msg(&pb, 4, &m);		/* location */
	m.len = 0;
	ilp_pb_uint(&m, 1, 1);
	ilp_pb_uint(&m, 2, (uint64_t)ilp_pb_strtab_id(&t, "f", NULL));
	ilp_pb_msg(&pb, 5, &m);		/* function */
	for (size_t i = 0; i < t.n; i++)
		ilp_pb_bytes(&pb, 6, t.s[i], strlen(t.s[i]));
	assert_bytes(&pb,
		0x0a, 0x04, 0x08, 0x01, 0x10, 0x02,
		0x12, 0x06, 0x0a, 0x01, 0x01, 0x12, 0x01, 0x05,
		0x22, 0x06, 0x08, 0x01, 0x22, 0x02, 0x08, 0x01,
		0x2a, 0x04, 0x08, 0x01, 0x10, 0x03,
		0x32, 0x00,
		0x32, 0x04, 'w', 'a', 'i', 't',
		0x32, 0x0b, 'n', 'a', 'n', 'o', 's', 'e', 'c', 'o', 'n', 'd', 's',
		0x32, 0x01, 'f');
	ilp_pb_release(&pb);
	ilp_pb_release(&m);
	ilp_pb_release(&line);
	ilp_pb_strtab_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_varint),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_strtab),
		cmocka_unit_test(test_tiny_profile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
