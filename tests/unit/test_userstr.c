// SPDX-License-Identifier: MIT
/*
 * Syscall events that carry the user string (Linux 6.19+), from a format
 * fixture: the field is found in the format (never from the kernel
 * version), and a record of such an event decodes as ILP_EV_SYS_ARGSTR
 * with the kernel's copy of the path.  The test machine's kernel lacks the
 * field: its live format is the negative case.
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

#include <event-parse.h>

#include "decode.h"
#include "event.h"

/* the same event on Linux 6.18: no copy */
static const char fmt_618[] =
	"name: sys_enter_openat\n"
	"ID: 782\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx\", "
	"((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename)), "
	"((unsigned long)(REC->flags)), ((unsigned long)(REC->mode))\n";

static char *fixture(size_t *len)
{
	const char *dir = getenv("ILP_FIXTURES");
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/format_sys_enter_openat_userstr.txt",
		 dir ? dir : "tests/fixtures");
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static struct tep_handle *parse(const char *text, size_t len)
{
	struct tep_handle *tep = tep_alloc();

	assert_non_null(tep);
	assert_int_equal(tep_parse_event(tep, text, len, "syscalls"), 0);
	return tep;
}

static void test_field_found_in_format(void **state)
{
	size_t len;
	char *text = fixture(&len), name[32] = "";
	struct tep_handle *tep = parse(text, len), *old = parse(fmt_618, strlen(fmt_618));

	(void)state;
	/* filename is openat's argument 1 (dfd is 0) */
	assert_int_equal(ilp_userstr_arg(tep_find_event_by_name(tep, "syscalls", "sys_enter_openat"),
					 name, sizeof(name)), 1);
	assert_string_equal(name, "filename");
	assert_int_equal(ilp_userstr_arg(tep_find_event_by_name(old, "syscalls", "sys_enter_openat"),
					 name, sizeof(name)), -1);
	assert_int_equal(ilp_userstr_arg(NULL, NULL, 0), -1);
	tep_free(tep);
	tep_free(old);
	free(text);
}

/* a record as the kernel writes it: the arguments, then the copy */
static size_t record(unsigned char *r, size_t size, const char *path, size_t copied)
{
	uint16_t type = 782;
	int32_t pid = 4242, nr = 257;
	uint64_t dfd = (uint64_t)-100, ptr = 0x7ffd12345678ull, flags = 0x80000, mode = 0;
	uint32_t loc = (uint32_t)(copied << 16 | 52);

	assert_true(52 + copied <= size);
	memset(r, 0, size);
	memcpy(r, &type, 2);
	memcpy(r + 4, &pid, 4);
	memcpy(r + 8, &nr, 4);
	memcpy(r + 16, &dfd, 8);
	memcpy(r + 24, &ptr, 8);
	memcpy(r + 32, &flags, 8);
	memcpy(r + 40, &mode, 8);
	memcpy(r + 48, &loc, 4);
	memcpy(r + 52, path, copied);
	return 52 + copied;
}

static void test_decode_copy(void **state)
{
	size_t len, n;
	char *text = fixture(&len);
	struct tep_handle *tep = parse(text, len), *old = parse(fmt_618, strlen(fmt_618));
	struct ilp_decoder *d = NULL, *dold = NULL;
	unsigned char rec[128];
	struct ilp_event ev;

	(void)state;
	assert_int_equal(ilp_decoder_new_any(tep, &d), 0);
	assert_int_equal(ilp_decoder_add_userstr(d, tep), 1);
	n = record(rec, sizeof(rec), "/etc/passwd", 12);
	assert_int_equal(ilp_decode(d, rec, n, 1000, 1, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_SYS_ARGSTR);
	assert_int_equal(ev.nr, 257);
	assert_int_equal(ev.tid, 4242);
	assert_int_equal(ev.ts, 1000);
	assert_int_equal(ev.ustr.arg, 1);
	assert_int_equal(ev.ustr.ptr, 0x7ffd12345678ull);
	assert_int_equal(ev.ustr.len, 12);
	assert_memory_equal(ev.ustr.str, "/etc/passwd", 12);
	/* the string's length beyond the record: malformed, not read */
	rec[50] = 200;
	assert_int_equal(ilp_decode(d, rec, n, 1000, 1, &ev), -EINVAL);
	/* a record shorter than its fields */
	assert_int_equal(ilp_decode(d, rec, 40, 1000, 1, &ev), -EINVAL);
	/* without the field, the event is not decoded at all */
	assert_int_equal(ilp_decoder_new_any(old, &dold), 0);
	assert_int_equal(ilp_decoder_add_userstr(dold, old), 0);
	n = record(rec, sizeof(rec), "/etc/passwd", 12);
	assert_int_equal(ilp_decode(dold, rec, 48, 1000, 1, &ev), 0);
	ilp_decoder_free(d);
	ilp_decoder_free(dold);
	tep_free(tep);
	tep_free(old);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_found_in_format),
		cmocka_unit_test(test_decode_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
