// SPDX-License-Identifier: MIT
/*
 * The decoder (src/decode/decode.c) on formats a trace file can carry:
 * __data_loc fields read only when the format gives them their 4 bytes
 * (a 2-byte filename field made the exec decoder read 2 bytes past the
 * field, and past the record when the field ended it).
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

#define EXEC_ID 300

/* the fields every event format starts with */
#define COMMON_FIELDS \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

/* a decoder of the one format fmt (n bytes), which must decode system:name */
static struct ilp_decoder *parsed(struct tep_handle **tep, const char *fmt, int n,
				  const char *system, const char *name)
{
	struct ilp_decoder *d = NULL;

	*tep = tep_alloc();
	assert_non_null(*tep);
	assert_int_equal(tep_parse_event(*tep, fmt, (unsigned long)n, system), 0);
	assert_int_equal(ilp_decoder_new_any(*tep, &d), 0);
	assert_true(ilp_decoder_has(d, system, name));
	return d;
}

/* sched_process_exec with filename's __data_loc at offset off, size size,
 * pid at pid_off */
static struct ilp_decoder *exec_decoder(struct tep_handle **tep, int off, int size, int pid_off)
{
	char fmt[1024];
	int n;

	n = snprintf(fmt, sizeof(fmt),
		     "name: sched_process_exec\nID: %d\nformat:\n"
		     COMMON_FIELDS
		     "\tfield:pid_t pid;\toffset:%d;\tsize:4;\tsigned:1;\n"
		     "\tfield:__data_loc char[] filename;\toffset:%d;\tsize:%d;\tsigned:0;\n\n"
		     "print fmt: \"filename=%%s pid=%%d\", __get_str(filename), REC->pid\n",
		     EXEC_ID, pid_off, off, size);
	return parsed(tep, fmt, n, "sched", "sched_process_exec");
}

/* a record: common header, pid 42 at pid_off, a 4-byte loc at loc_off
 * (when >= 0) naming "/bin/app" at 24 */
static unsigned char *exec_record(size_t size, int pid_off, int loc_off)
{
	unsigned char *r = calloc(1, size);
	uint16_t type = EXEC_ID;
	int32_t pid = 42;
	uint32_t loc = (9u << 16) | 24u;

	assert_non_null(r);
	memcpy(r, &type, 2);
	memcpy(r + 4, &pid, 4);
	memcpy(r + pid_off, &pid, 4);
	if (loc_off >= 0)
		memcpy(r + loc_off, &loc, 4);
	if (size >= 24 + 9)
		memcpy(r + 24, "/bin/app", 9);
	return r;
}

/* a proper 4-byte __data_loc: decoded, the comm from the file name */
static void test_exec_data_loc(void **state)
{
	struct tep_handle *tep;
	struct ilp_decoder *d = exec_decoder(&tep, 12, 4, 8);
	unsigned char *r = exec_record(40, 8, 12);
	struct ilp_event ev;

	(void)state;
	assert_int_equal(ilp_decode(d, r, 40, 7, 0, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_EXEC);
	assert_int_equal(ev.pid, 42);
	assert_string_equal(ev.task.comm, "app");
	free(r);
	ilp_decoder_free(d);
	tep_free(tep);
}

/* a 2-byte __data_loc field whose next 2 bytes (pid's) would make a
 * valid loc: malformed, never read past the field */
static void test_short_data_loc_field(void **state)
{
	struct tep_handle *tep;
	struct ilp_decoder *d = exec_decoder(&tep, 8, 2, 12);
	unsigned char *r = exec_record(40, 12, 8);	/* loc spans 8..11 */
	struct ilp_event ev;

	(void)state;
	assert_int_equal(ilp_decode(d, r, 40, 7, 0, &ev), -EINVAL);
	free(r);
	ilp_decoder_free(d);
	tep_free(tep);
}

/* the short field ends the record: reading 4 bytes would leave the
 * allocation (ASan: heap-buffer-overflow) */
static void test_short_data_loc_at_end(void **state)
{
	struct tep_handle *tep;
	struct ilp_decoder *d = exec_decoder(&tep, 12, 2, 8);
	unsigned char *r = exec_record(14, 8, -1);
	struct ilp_event ev;

	(void)state;
	assert_int_equal(ilp_decode(d, r, 14, 7, 0, &ev), -EINVAL);
	free(r);
	ilp_decoder_free(d);
	tep_free(tep);
}

#define USTACK_ID 13

/* ftrace:user_stack as Linux 6.18 gives it, with ncallers entries */
static struct ilp_decoder *ustack_decoder(struct tep_handle **tep, int ncallers)
{
	char fmt[1024];
	int n;

	n = snprintf(fmt, sizeof(fmt),
		     "name: user_stack\nID: %d\nformat:\n"
		     COMMON_FIELDS
		     "\tfield:unsigned int tgid;\toffset:8;\tsize:4;\tsigned:0;\n"
		     "\tfield:unsigned long caller[%d];\toffset:16;\tsize:%d;\tsigned:0;\n\n"
		     "print fmt: \"\\t=> %%ps\\n\", (void *)REC->caller[0]\n",
		     USTACK_ID, ncallers, ncallers * 8);
	return parsed(tep, fmt, n, "ftrace", "user_stack");
}

/* thread 43 of process 42; pcs 1..npcs, then zeros */
static void ustack_record(unsigned char *r, size_t size, int npcs)
{
	uint16_t type = USTACK_ID;
	int32_t tid = 43;
	uint32_t tgid = 42;

	memset(r, 0, size);
	memcpy(r, &type, 2);
	memcpy(r + 4, &tid, 4);
	memcpy(r + 8, &tgid, 4);
	for (int i = 0; i < npcs && 16 + 8 * (size_t)(i + 1) <= size; i++) {
		uint64_t pc = 0x7f0000001000ull + (uint64_t)i;

		memcpy(r + 16 + 8 * i, &pc, 8);
	}
}

/* the kernel's 8 callers: pid is the tgid, tid the thread, the pcs as
 * they are (0 ends them); a record shorter than its callers: malformed */
static void test_user_stack(void **state)
{
	struct tep_handle *tep;
	struct ilp_decoder *d = ustack_decoder(&tep, 8);
	unsigned char r[80];
	struct ilp_event ev;
	uint64_t pc[ILP_USTACK_PCS];

	(void)state;
	ustack_record(r, sizeof(r), 3);
	assert_int_equal(ilp_decode(d, r, sizeof(r), 7, 1, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_USTACK);
	assert_int_equal(ev.pid, 42);
	assert_int_equal(ev.tid, 43);
	assert_int_equal(ev.cpu, 1);
	/* the pcs stay in the record: the source copies them */
	assert_int_equal(ev.ustack.n, ILP_USTACK_PCS);
	assert_ptr_equal(ev.ustack.raw, r + 16);
	assert_null(ev.ustack.pc);
	memcpy(pc, ev.ustack.raw, sizeof(pc));
	assert_true(pc[0] == 0x7f0000001000ull && pc[2] == 0x7f0000001002ull);
	assert_true(pc[3] == 0 && pc[7] == 0);
	assert_int_equal(ilp_decode(d, r, 72, 7, 1, &ev), -EINVAL);
	ilp_decoder_free(d);
	tep_free(tep);
	/* a kernel keeping 16: the first ILP_USTACK_PCS only */
	d = ustack_decoder(&tep, 16);
	{
		unsigned char big[144];

		ustack_record(big, sizeof(big), 16);
		assert_int_equal(ilp_decode(d, big, sizeof(big), 7, 0, &ev), 1);
		assert_int_equal(ev.ustack.n, ILP_USTACK_PCS);
		memcpy(pc, ev.ustack.raw, sizeof(pc));
		assert_true(pc[ILP_USTACK_PCS - 1] == 0x7f0000001000ull + ILP_USTACK_PCS - 1);
	}
	ilp_decoder_free(d);
	tep_free(tep);
}

static void parse_uprobe(struct tep_handle *tep, const char *group, const char *name, int id,
			 int ret)
{
	char fmt[1024];
	int n;

	n = snprintf(fmt, sizeof(fmt),
		     "name: %s\nID: %d\nformat:\n"
		     "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		     "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		     "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		     "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		     "%s\n"
		     "print fmt: \"x\"\n", name, id,
		     ret ? "\tfield:unsigned long __probe_func;\toffset:8;\tsize:8;\tsigned:0;\n"
			   "\tfield:unsigned long __probe_ret_ip;\toffset:16;\tsize:8;\tsigned:0;\n"
			   "\tfield:s32 ret;\toffset:24;\tsize:4;\tsigned:1;\n"
			 : !strncmp(name, "unlock", 6) ?
			   "\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
			   "\tfield:u64 mutex;\toffset:16;\tsize:8;\tsigned:0;\n"
			 : "\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
			   "\tfield:u64 mutex;\toffset:16;\tsize:8;\tsigned:0;\n"
			   "\tfield:u64 site;\toffset:24;\tsize:8;\tsigned:0;\n");
	assert_int_equal(tep_parse_event(tep, fmt, (unsigned long)n, group), 0);
}

static void uprobe_record(unsigned char *r, uint16_t type, int32_t tid, uint64_t a, uint64_t b)
{
	memset(r, 0, 32);
	memcpy(r, &type, 2);
	memcpy(r + 4, &tid, 4);
	memcpy(r + 16, &a, 8);
	memcpy(r + 24, &b, 8);
}

/* --lock-holds: the session group's events decode by their row ("lock_0",
 * "lock_ret_1", "condwait_0"); another group's, or a name of no row, not */
static void test_uprobe_events(void **state)
{
	struct tep_handle *tep = tep_alloc();
	struct ilp_decoder *d = NULL;
	unsigned char r[32];
	struct ilp_event ev;

	(void)state;
	if (!ilp_uprobe_spec_count())
		skip();		/* not x86-64: no fetch arguments */
	assert_non_null(tep);
	parse_uprobe(tep, "iolockprof_abc", "lock_0", 2001, 0);
	parse_uprobe(tep, "iolockprof_abc", "lock_ret_1", 2002, 1);
	parse_uprobe(tep, "iolockprof_abc", "unlock_0", 2003, 0);
	parse_uprobe(tep, "iolockprof_abc", "condwait_0", 2004, 0);
	parse_uprobe(tep, "iolockprof_abc", "bogus_0", 2005, 0);
	parse_uprobe(tep, "iolockprof_xyz", "lock_0", 2006, 0);
	assert_int_equal(ilp_decoder_new_any(tep, &d), 0);
	assert_int_equal(ilp_decoder_add_uprobes(d, tep, "iolockprof_abc"), 4);

	uprobe_record(r, 2001, 77, 0x5000, 0x401234);
	assert_int_equal(ilp_decode(d, r, 32, 9, 1, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_ULOCK_CALL);
	assert_int_equal(ev.ulock.op, ILP_ULOCK_OP_LOCK);
	assert_int_equal(ev.tid, 77);
	assert_int_equal(ev.ts, 9);
	assert_int_equal(ev.ulock.addr, 0x5000);
	assert_int_equal(ev.ulock.site, 0x401234);

	uprobe_record(r, 2002, 77, 0, 16);	/* ret (s32 at 24): EBUSY */
	assert_int_equal(ilp_decode(d, r, 28, 10, 1, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_ULOCK_RET);
	assert_int_equal(ev.ulock.op, ILP_ULOCK_OP_LOCK);
	assert_int_equal(ev.ulock.ret, 16);

	uprobe_record(r, 2003, 78, 0x5000, 0);
	assert_int_equal(ilp_decode(d, r, 24, 11, 0, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_ULOCK_UNLOCK);
	assert_int_equal(ev.ulock.addr, 0x5000);

	uprobe_record(r, 2004, 78, 0x5000, 0x402000);
	assert_int_equal(ilp_decode(d, r, 32, 12, 0, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_ULOCK_CALL);
	assert_int_equal(ev.ulock.op, ILP_ULOCK_OP_COND);
	/* shorter than its fields */
	assert_int_equal(ilp_decode(d, r, 30, 12, 0, &ev), -EINVAL);
	/* not ours */
	uprobe_record(r, 2005, 78, 0, 0);
	assert_int_equal(ilp_decode(d, r, 32, 13, 0, &ev), 0);
	uprobe_record(r, 2006, 78, 0, 0);
	assert_int_equal(ilp_decode(d, r, 32, 13, 0, &ev), 0);
	ilp_decoder_free(d);
	tep_free(tep);
}

#define KSTACK_ID 4
static void test_kernel_stack(void **state)
{
	static const char fmt[] =
		"name: kernel_stack\nID: 4\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:int size;\toffset:8;\tsize:4;\tsigned:1;\n"
		"\tfield:unsigned long caller[8];\toffset:16;\tsize:64;\tsigned:0;\n\n"
		"print fmt: \"\\t=> %ps\\n\", (void *)REC->caller[0]\n";
	uint64_t ips[3] = { 0xffffffff81000010ull, 0xffffffff81000020ull, 0xffffffff81000030ull };
	unsigned char rec[16 + sizeof(ips)] = { 0 };
	uint16_t type = KSTACK_ID;
	int32_t pid = 77, n = 3;
	struct ilp_decoder *d = NULL;
	struct tep_handle *tep = tep_alloc();
	struct ilp_event ev;
	uint64_t got;

	(void)state;
	assert_non_null(tep);
	assert_int_equal(tep_parse_event(tep, fmt, sizeof(fmt) - 1, "ftrace"), 0);
	assert_int_equal(ilp_decoder_new_any(tep, &d), 0);
	assert_true(ilp_decoder_has(d, "ftrace", "kernel_stack"));
	memcpy(rec, &type, 2);
	memcpy(rec + 4, &pid, 4);
	memcpy(rec + 8, &n, 4);
	memcpy(rec + 16, ips, sizeof(ips));
	assert_int_equal(ilp_decode(d, rec, sizeof(rec), 1000, 1, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_KSTACK);
	assert_int_equal(ev.tid, 77);
	assert_int_equal(ev.kstack.n, 3);
	assert_ptr_equal(ev.kstack.raw, rec + 16);
	assert_null(ev.kstack.ip);	/* the source's copy, not the decoder's */
	memcpy(&got, (const unsigned char *)ev.kstack.raw + 16, 8);
	assert_int_equal(got, ips[2]);
	/* a size past the record's end: only what it holds */
	n = 9;
	memcpy(rec + 8, &n, 4);
	assert_int_equal(ilp_decode(d, rec, sizeof(rec), 1000, 1, &ev), 1);
	assert_int_equal(ev.kstack.n, 3);
	n = -1;
	memcpy(rec + 8, &n, 4);
	assert_int_equal(ilp_decode(d, rec, sizeof(rec), 1000, 1, &ev), -EINVAL);
	ilp_decoder_free(d);
	tep_free(tep);
}

/* io_uring_submit_req and io_uring_complete as Linux 6.18 formats them */
#define HDR "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
static const char submit_fmt[] = "name: io_uring_submit_req\nID: 400\nformat:\n" HDR
	"\tfield:void * ctx;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:void * req;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long long user_data;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:u8 opcode;\toffset:32;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned long long flags;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\tfield:bool sq_thread;\toffset:48;\tsize:1;\tsigned:0;\n"
	"\tfield:__data_loc char[] op_str;\toffset:52;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"ring %p, req %p, opcode %s\", REC->ctx, REC->req, __get_str(op_str)\n";
static const char complete_fmt[] = "name: io_uring_complete\nID: 401\nformat:\n" HDR
	"\tfield:void * ctx;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:void * req;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 user_data;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:int res;\toffset:32;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned cflags;\toffset:36;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 extra1;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 extra2;\toffset:48;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"ring %p, req %p, result %d\", REC->ctx, REC->req, REC->res\n";

/* a submit (opcode 23 "WRITE", registered file) and its completion (-11) */
static void test_uring_submit_complete(void **state)
{
	struct tep_handle *tep = tep_alloc();
	struct ilp_decoder *d = NULL;
	unsigned char r[64] = { 0 };
	uint64_t ctx = 0xffff888012340000ull, req = 0xffff888056780000ull, flags = 1;
	uint16_t type;
	uint32_t loc = (6u << 16) | 56u;
	int32_t pid = 77, res = -11;
	struct ilp_event ev;

	(void)state;
	assert_non_null(tep);
	assert_int_equal(tep_parse_event(tep, submit_fmt, sizeof(submit_fmt) - 1, "io_uring"), 0);
	assert_int_equal(tep_parse_event(tep, complete_fmt, sizeof(complete_fmt) - 1, "io_uring"), 0);
	assert_int_equal(ilp_decoder_new_any(tep, &d), 0);
	assert_true(ilp_decoder_has(d, "io_uring", "io_uring_submit_req"));
	assert_true(ilp_decoder_has(d, "io_uring", "io_uring_complete"));
	assert_false(ilp_decoder_has(d, "io_uring", "io_uring_file_get"));
	type = 400;
	memcpy(r, &type, 2);
	memcpy(r + 4, &pid, 4);
	memcpy(r + 8, &ctx, 8);
	memcpy(r + 16, &req, 8);
	r[32] = 23;
	memcpy(r + 40, &flags, 8);
	memcpy(r + 52, &loc, 4);
	memcpy(r + 56, "WRITE", 6);
	assert_int_equal(ilp_decode(d, r, 62, 5, 1, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_URING_SUBMIT);
	assert_int_equal(ev.tid, 77);
	assert_true(ev.uring.ctx == ctx);
	assert_true(ev.uring.req == req);
	assert_int_equal(ev.uring.opcode, 23);
	assert_int_equal(ev.uring.flags, ILP_URING_F_FIXED_FILE);
	assert_string_equal(ev.uring.op, "WRITE");
	memset(r, 0, sizeof(r));
	type = 401;
	memcpy(r, &type, 2);
	memcpy(r + 4, &pid, 4);
	memcpy(r + 8, &ctx, 8);
	memcpy(r + 16, &req, 8);
	memcpy(r + 32, &res, 4);
	assert_int_equal(ilp_decode(d, r, 56, 6, 0, &ev), 1);
	assert_int_equal(ev.kind, ILP_EV_URING_COMPLETE);
	assert_true(ev.uring.req == req);
	assert_int_equal(ev.uring.res, -11);
	/* shorter than its fields: malformed */
	assert_int_equal(ilp_decode(d, r, 30, 6, 0, &ev), -EINVAL);
	ilp_decoder_free(d);
	tep_free(tep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_data_loc),
		cmocka_unit_test(test_short_data_loc_field),
		cmocka_unit_test(test_short_data_loc_at_end),
		cmocka_unit_test(test_user_stack),
		cmocka_unit_test(test_uprobe_events),
		cmocka_unit_test(test_kernel_stack),
		cmocka_unit_test(test_uring_submit_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
