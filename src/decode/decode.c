// SPDX-License-Identifier: MIT
/*
 * Ftrace records -> struct ilp_event.  See include/decode.h.
 *
 * To decode a new tracepoint: add a row to `rows` (system, name, flags,
 * the field names its decoder reads — a leading '?' marks a field older
 * kernels lack, a leading '*' an array whose record holds only as many
 * elements as it says (its format size is not required) — and the
 * decoder), then write the decoder: it reads the fields through f[i] in
 * the order the row names them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "decode.h"

#define MAX_FIELDS 8

struct field {
	int off, size;	/* off -1: optional field absent */
};

struct row;
typedef int (*decode_fn)(const struct field *f, const unsigned char *d, size_t size,
			 struct ilp_event *ev);

struct row {
	struct ilp_tracepoint tp;
	const char *fields[MAX_FIELDS + 1];
	int kind;		/* enum ilp_event_kind this row produces */
	decode_fn fn;
};

struct resolved {
	int id;			/* -1: event absent */
	size_t min_size;	/* record must hold every present field */
	struct field f[MAX_FIELDS];
};

/* a syscalls:sys_enter_X event with the kernel's copy of a path argument */
struct ustr_ev {
	struct field nr, ptr, loc;	/* __syscall_nr, the pointer argument, __ARG_val */
	int arg;			/* which argument */
	size_t min_size;
};

/* a uprobe event of --lock-holds (a row of specs) */
struct uprobe_ev {
	struct field addr, site, ret;	/* off -1: not in this event */
	int kind;
	uint32_t op;
	size_t min_size;
};

#define UPROBE_BASE 0x4000	/* by_id values from here: uprobe events */

struct ilp_decoder {
	struct resolved *res;	/* one per row */
	int16_t *by_id;		/* event id -> row index (< NROWS), NROWS + user-string
				 * event index, or -1 */
	int max_id;
	struct ustr_ev *ustr;
	size_t nustr;
	struct uprobe_ev *uev;
	size_t nuev;
};

/* ---- field readers: records are native-endian (same machine) ---- */

static uint64_t rd_u(const unsigned char *d, struct field f)
{
	uint64_t v8;
	uint32_t v4;
	uint16_t v2;

	if (f.off < 0)
		return 0;
	switch (f.size) {
	case 8: memcpy(&v8, d + f.off, 8); return v8;
	case 4: memcpy(&v4, d + f.off, 4); return v4;
	case 2: memcpy(&v2, d + f.off, 2); return v2;
	case 1: return d[f.off];
	default: return 0;
	}
}

static int64_t rd_s(const unsigned char *d, struct field f)
{
	switch (f.size) {
	case 8: return (int64_t)rd_u(d, f);
	case 4: return (int32_t)(uint32_t)rd_u(d, f);
	case 2: return (int16_t)(uint16_t)rd_u(d, f);
	case 1: return (int8_t)rd_u(d, f);
	default: return 0;
	}
}

static void copy_str(char *dst, size_t dstlen, const unsigned char *src, size_t max)
{
	size_t i;

	for (i = 0; i + 1 < dstlen && i < max && src[i]; i++)
		dst[i] = (char)src[i];
	dst[i] = '\0';
}

/* __data_loc string: returns its bytes and length, or NULL if out of
 * bounds.  The loc is 4 bytes: a trace file's format may give the field
 * fewer (the record holds only off + size bytes of it). */
static const unsigned char *data_loc(const unsigned char *d, size_t size, struct field f,
				     size_t *len)
{
	uint32_t loc;
	size_t off;

	if (f.off < 0 || f.size < 4)
		return NULL;
	memcpy(&loc, d + f.off, 4);
	off = loc & 0xffff;
	*len = loc >> 16;
	if (off > size || *len > size - off)
		return NULL;
	return d + off;
}

/* ---- decoders, one per row ---- */

/* a syscall's id: a long, 8 bytes on a 64-bit kernel (read without rd_s's switch) */
static inline int32_t rd_nr(const unsigned char *d, struct field f)
{
	int64_t v;

	if (f.size != 8)
		return (int32_t)rd_s(d, f);
	memcpy(&v, d + f.off, 8);
	return (int32_t)v;
}

static int dec_sys_enter(const struct field *f, const unsigned char *d, size_t size,
			 struct ilp_event *ev)
{
	(void)size;
	ev->nr = rd_nr(d, f[0]);
	if (f[1].size < (int)sizeof(ev->args))
		return -EINVAL;
	memcpy(ev->args, d + f[1].off, sizeof(ev->args));
	return 1;
}

static int dec_sys_exit(const struct field *f, const unsigned char *d, size_t size,
			struct ilp_event *ev)
{
	(void)size;
	ev->nr = rd_nr(d, f[0]);
	if (f[1].size == 8)
		memcpy(&ev->ret, d + f[1].off, 8);
	else
		ev->ret = rd_s(d, f[1]);
	return 1;
}

static int dec_newtask(const struct field *f, const unsigned char *d, size_t size,
		       struct ilp_event *ev)
{
	(void)size;
	ev->task.child = (int32_t)rd_s(d, f[0]);
	copy_str(ev->task.comm, sizeof(ev->task.comm), d + f[1].off, (size_t)f[1].size);
	ev->task.clone_flags = rd_u(d, f[2]);
	return 1;
}

static int dec_exec(const struct field *f, const unsigned char *d, size_t size,
		    struct ilp_event *ev)
{
	const unsigned char *name, *slash;
	size_t len;

	/* the exec'ing thread becomes the leader: pid is the new tid */
	ev->tid = (int32_t)rd_s(d, f[1]);
	ev->pid = ev->tid;
	name = data_loc(d, size, f[0], &len);
	if (!name)
		return -EINVAL;
	slash = memrchr(name, '/', len);
	if (slash) {
		len -= (size_t)(slash + 1 - name);
		name = slash + 1;
	}
	copy_str(ev->task.comm, sizeof(ev->task.comm), name, len);
	return 1;
}

static int dec_exit(const struct field *f, const unsigned char *d, size_t size,
		    struct ilp_event *ev)
{
	(void)size;
	ev->tid = (int32_t)rd_s(d, f[0]);
	ev->task.group_dead = f[1].off >= 0 ? rd_u(d, f[1]) != 0 : 0;
	return 1;
}

/* sched_switch: the event's tid is prev; prev_state 0 = preempted (R) */
static int dec_switch(const struct field *f, const unsigned char *d, size_t size,
		      struct ilp_event *ev)
{
	(void)size;
	ev->tid = (int32_t)rd_s(d, f[0]);
	ev->sched.prev_state = (int32_t)(rd_u(d, f[1]) & 0xffff);
	ev->sched.next = (int32_t)rd_s(d, f[2]);
	return 1;
}

/* sched_waking: runs in the waker's context (tid), pid is the wakee */
static int dec_waking(const struct field *f, const unsigned char *d, size_t size,
		      struct ilp_event *ev)
{
	(void)size;
	ev->sched.target = (int32_t)rd_s(d, f[0]);
	return 1;
}

/* block_*: dev, sector, nr_sector, then ?bytes, ?rwbs, ?comm, ?error */
static int dec_block(const struct field *f, const unsigned char *d, size_t size,
		     struct ilp_event *ev)
{
	uint64_t nr_sector = rd_u(d, f[2]);

	(void)size;
	ev->block.dev = (uint32_t)rd_u(d, f[0]);
	ev->block.sector = rd_u(d, f[1]);
	ev->block.bytes = f[3].off >= 0 ? (uint32_t)rd_u(d, f[3]) : (uint32_t)(nr_sector * 512);
	if (f[4].off >= 0)
		copy_str(ev->block.rwbs, sizeof(ev->block.rwbs), d + f[4].off, (size_t)f[4].size);
	if (f[5].off >= 0)
		copy_str(ev->block.comm, sizeof(ev->block.comm), d + f[5].off, (size_t)f[5].size);
	ev->block.error = f[6].off >= 0 ? (int32_t)rd_s(d, f[6]) : 0;
	return 1;
}

static int dec_lock_begin(const struct field *f, const unsigned char *d, size_t size,
			  struct ilp_event *ev)
{
	(void)size;
	ev->lock.addr = rd_u(d, f[0]);
	ev->lock.flags = (uint32_t)rd_u(d, f[1]);
	return 1;
}

static int dec_lock_end(const struct field *f, const unsigned char *d, size_t size,
			struct ilp_event *ev)
{
	(void)size;
	ev->lock.addr = rd_u(d, f[0]);
	ev->lock.ret = (int32_t)rd_s(d, f[1]);
	return 1;
}

/*
 * writeback_*: bdi name ("254:0" for a block device), ino.  The name is
 * kept as the dev_t it spells, or a hash of it if it spells none (a bdi
 * name like "btrfs-1"): the model only compares it with other writeback
 * events' names.
 */
static int dec_wb(const struct field *f, const unsigned char *d, size_t size,
		  struct ilp_event *ev)
{
	char name[40];
	unsigned int ma, mi;
	uint32_t h = 2166136261u;
	char *end;
	size_t i;

	(void)size;
	copy_str(name, sizeof(name), d + f[0].off, (size_t)f[0].size);
	ma = (unsigned int)strtoul(name, &end, 10);
	if (end != name && *end == ':') {
		char *e2;

		mi = (unsigned int)strtoul(end + 1, &e2, 10);
		if (e2 != end + 1 && !*e2) {
			ev->wb.dev = (uint32_t)(ma << 20 | (mi & 0xfffff));
			goto ino;
		}
	}
	for (i = 0; name[i]; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	ev->wb.dev = h | 1u << 31;	/* no real dev_t has a major >= 2048 */
ino:
	ev->wb.ino = rd_u(d, f[1]);
	return 1;
}

/* filemap:mm_filemap_get_pages: s_dev is already MAJ << 20 | MIN */
static int dec_file(const struct field *f, const unsigned char *d, size_t size,
		    struct ilp_event *ev)
{
	(void)size;
	ev->wb.dev = (uint32_t)rd_u(d, f[0]);
	ev->wb.ino = rd_u(d, f[1]);
	return 1;
}

/*
 * ftrace:user_stack (options/userstacktrace, --stacks): the user stack of
 * the event just before it on the CPU, as the kernel's frame-pointer walk
 * found it: caller[0] the user ip, then return addresses, 0 past the end.
 * The pcs stay in the record (ustack.raw): the source copies them.  It
 * pairs the stack with its syscall entry (source_ftrace.c).
 */
static int dec_user_stack(const struct field *f, const unsigned char *d, size_t size,
			  struct ilp_event *ev)
{
	size_t n = (size_t)f[1].size / 8;

	(void)size;
	ev->pid = (int32_t)rd_u(d, f[0]);
	if (n > ILP_USTACK_PCS)
		n = ILP_USTACK_PCS;
	ev->ustack.raw = d + f[1].off;
	ev->ustack.n = (uint32_t)n;
	return 1;
}

/*
 * ftrace:kernel_stack (the --sleep-stacks trigger's record): "size" is the
 * number of addresses, which follow at "caller" up to the record's end (the
 * format's caller[8] is only the first ones).
 */
static int dec_kstack(const struct field *f, const unsigned char *d, size_t size,
		      struct ilp_event *ev)
{
	int64_t n = rd_s(d, f[0]);
	size_t room;

	if (n < 0 || (size_t)f[1].off > size)
		return -EINVAL;
	room = (size - (size_t)f[1].off) / sizeof(uint64_t);
	if ((uint64_t)n > room)
		n = (int64_t)room;
	ev->kstack.raw = d + f[1].off;
	ev->kstack.n = (uint32_t)n;
	return 1;
}

/*
 * io_uring_*: the ring, the request, then per event (the row's order):
 * CREATE fd; SUBMIT opcode, flags, ?op_str; FILE fd; ASYNC opcode;
 * COMPLETE res; FAILED opcode, error; CQWAIT min_events; SHORT wanted, got.
 * A slot the event lacks is named "?-".
 */
static int dec_uring(const struct field *f, const unsigned char *d, size_t size,
		     struct ilp_event *ev)
{
	const unsigned char *op;
	size_t len;

	ev->uring.ctx = rd_u(d, f[0]);
	ev->uring.req = rd_u(d, f[1]);
	switch (ev->kind) {
	case ILP_EV_URING_CREATE:
	case ILP_EV_URING_FILE:
		ev->uring.fd = (int32_t)rd_s(d, f[2]);
		break;
	case ILP_EV_URING_SUBMIT:
		ev->uring.opcode = (uint16_t)rd_u(d, f[2]);
		ev->uring.flags = (uint32_t)rd_u(d, f[3]);
		op = data_loc(d, size, f[4], &len);
		if (op)
			copy_str(ev->uring.op, sizeof(ev->uring.op), op, len);
		break;
	case ILP_EV_URING_ASYNC:
		ev->uring.opcode = (uint16_t)rd_u(d, f[2]);
		break;
	case ILP_EV_URING_FAILED:
		ev->uring.opcode = (uint16_t)rd_u(d, f[2]);
		ev->uring.res = (int32_t)rd_s(d, f[3]);
		break;
	case ILP_EV_URING_COMPLETE:
	case ILP_EV_URING_CQWAIT:
		ev->uring.res = (int32_t)rd_s(d, f[2]);
		break;
	case ILP_EV_URING_SHORT:
		ev->uring.fd = (int32_t)rd_u(d, f[2]);
		ev->uring.res = (int32_t)rd_u(d, f[3]);
		break;
	default:
		return -EINVAL;
	}
	return 1;
}

/* the slots dec_block reads; "?-" names no field: a slot this event lacks */
#define BLOCK_FIELDS(bytes, comm, error) \
	{ "dev", "sector", "nr_sector", bytes, "?rwbs", comm, error }

/* the rows of every syscall's entry and exit: decoded without the indirect call */
enum { ROW_SYS_ENTER, ROW_SYS_EXIT };

static const struct row rows[] = {
	[ROW_SYS_ENTER] = { { "raw_syscalls", "sys_enter", ILP_TP_REQUIRED | ILP_TP_SYSCALL },
	  { "id", "args" }, ILP_EV_SYS_ENTER, dec_sys_enter },
	[ROW_SYS_EXIT] = { { "raw_syscalls", "sys_exit", ILP_TP_REQUIRED | ILP_TP_SYSCALL },
	  { "id", "ret" }, ILP_EV_SYS_EXIT, dec_sys_exit },
	{ { "task", "task_newtask", ILP_TP_REQUIRED },
	  { "pid", "comm", "clone_flags" }, ILP_EV_TASK_NEW, dec_newtask },
	{ { "sched", "sched_process_exec", ILP_TP_REQUIRED },
	  { "filename", "pid" }, ILP_EV_EXEC, dec_exec },
	{ { "sched", "sched_process_exit", ILP_TP_REQUIRED },
	  { "pid", "?group_dead" }, ILP_EV_TASK_EXIT, dec_exit },
	/* the pid filter passes sched_switch when prev or next is traced, and
	 * sched_waking when the waker or the wakee is: both stay filtered */
	{ { "sched", "sched_switch", 0 },
	  { "prev_pid", "prev_state", "next_pid" }, ILP_EV_SCHED_SWITCH, dec_switch },
	{ { "sched", "sched_waking", 0 },
	  { "pid" }, ILP_EV_WAKEUP, dec_waking },
	{ { "lock", "contention_begin", 0 },
	  { "lock_addr", "flags" }, ILP_EV_LOCK_BEGIN, dec_lock_begin },
	{ { "lock", "contention_end", 0 },
	  { "lock_addr", "ret" }, ILP_EV_LOCK_END, dec_lock_end },
	/* block: issue/complete run in kworkers and interrupts, and writeback
	 * bios are queued by kernel threads: all in the unfiltered companion
	 * instance; the model tells traced submitters by their tid */
	{ { "block", "block_bio_queue", ILP_TP_UNFILTERED },
	  BLOCK_FIELDS("?-", "?comm", "?-"), ILP_EV_BLOCK_QUEUE, dec_block },
	{ { "block", "block_bio_backmerge", ILP_TP_UNFILTERED },
	  BLOCK_FIELDS("?-", "?comm", "?-"), ILP_EV_BLOCK_BACKMERGE, dec_block },
	{ { "block", "block_bio_frontmerge", ILP_TP_UNFILTERED },
	  BLOCK_FIELDS("?-", "?comm", "?-"), ILP_EV_BLOCK_FRONTMERGE, dec_block },
	{ { "block", "block_rq_insert", ILP_TP_UNFILTERED },
	  BLOCK_FIELDS("?bytes", "?comm", "?-"), ILP_EV_BLOCK_INSERT, dec_block },
	{ { "block", "block_rq_issue", ILP_TP_UNFILTERED },
	  BLOCK_FIELDS("?bytes", "?comm", "?-"), ILP_EV_BLOCK_ISSUE, dec_block },
	{ { "block", "block_rq_requeue", ILP_TP_UNFILTERED },
	  BLOCK_FIELDS("?-", "?-", "?-"), ILP_EV_BLOCK_REQUEUE, dec_block },
	{ { "block", "block_rq_merge", ILP_TP_UNFILTERED },
	  BLOCK_FIELDS("?bytes", "?comm", "?-"), ILP_EV_BLOCK_RQMERGE, dec_block },
	{ { "block", "block_rq_complete", ILP_TP_UNFILTERED },
	  BLOCK_FIELDS("?-", "?-", "?error"), ILP_EV_BLOCK_COMPLETE, dec_block },
	/* writeback: a traced task dirtying a page cache page (in its context,
	 * filtered: once per page turning dirty; writeback_dirty_page before
	 * 5.18), and a flusher writing an inode back (unfiltered: the bios it
	 * queues in between are that inode's) */
	{ { "writeback", "writeback_dirty_folio", 0 },
	  { "name", "ino" }, ILP_EV_WB_DIRTY, dec_wb },
	{ { "writeback", "writeback_dirty_page", 0 },
	  { "name", "ino" }, ILP_EV_WB_DIRTY, dec_wb },
	{ { "writeback", "writeback_single_inode_start", ILP_TP_UNFILTERED },
	  { "name", "ino" }, ILP_EV_WB_START, dec_wb },
	{ { "writeback", "writeback_single_inode", ILP_TP_UNFILTERED },
	  { "name", "ino" }, ILP_EV_WB_END, dec_wb },
	/* the file a read's fd holds (the resolver confirms a name with it):
	 * only the first page, so a read storm costs at most a page of events */
	{ { "filemap", "mm_filemap_get_pages", 0 },
	  { "s_dev", "i_ino" }, ILP_EV_FILE_READ, dec_file },
	/* --stacks: written after each event of the instance by
	 * options/userstacktrace; never enabled as an event */
	{ { "ftrace", "user_stack", ILP_TP_OPTION },
	  { "tgid", "caller" }, ILP_EV_USTACK, dec_user_stack },
	/* a sleep's kernel stack: written by the sched_switch trigger of
	 * --sleep-stacks (instance.c), never enabled by itself */
	{ { "ftrace", "kernel_stack", ILP_TP_TRIGGERED },
	  { "size", "*caller" }, ILP_EV_KSTACK, dec_kstack },
	/* io_uring: completions run in io-wq workers and task work, SQPOLL
	 * submits from its own thread: all unfiltered; the model keeps the
	 * rings and requests of traced processes (by ctx and req) */
	{ { "io_uring", "io_uring_create", ILP_TP_UNFILTERED },
	  { "ctx", "?-", "fd" }, ILP_EV_URING_CREATE, dec_uring },
	{ { "io_uring", "io_uring_submit_req", ILP_TP_UNFILTERED },
	  { "ctx", "req", "opcode", "flags", "?op_str" }, ILP_EV_URING_SUBMIT, dec_uring },
	{ { "io_uring", "io_uring_file_get", ILP_TP_UNFILTERED },
	  { "ctx", "req", "fd" }, ILP_EV_URING_FILE, dec_uring },
	{ { "io_uring", "io_uring_queue_async_work", ILP_TP_UNFILTERED },
	  { "ctx", "req", "opcode" }, ILP_EV_URING_ASYNC, dec_uring },
	{ { "io_uring", "io_uring_complete", ILP_TP_UNFILTERED },
	  { "ctx", "req", "res" }, ILP_EV_URING_COMPLETE, dec_uring },
	{ { "io_uring", "io_uring_req_failed", ILP_TP_UNFILTERED },
	  { "ctx", "req", "opcode", "error" }, ILP_EV_URING_FAILED, dec_uring },
	{ { "io_uring", "io_uring_cqring_wait", ILP_TP_UNFILTERED },
	  { "ctx", "?-", "min_events" }, ILP_EV_URING_CQWAIT, dec_uring },
	{ { "io_uring", "io_uring_short_write", ILP_TP_UNFILTERED },
	  { "ctx", "?-", "wanted", "got" }, ILP_EV_URING_SHORT, dec_uring },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

size_t ilp_tracepoint_count(void)
{
	return NROWS;
}

const struct ilp_tracepoint *ilp_tracepoint(size_t i)
{
	return i < NROWS ? &rows[i].tp : NULL;
}

const char *ilp_tracepoint_filter(const struct ilp_tracepoint *tp)
{
	/* mm_filemap_get_pages: the first page of a file is enough to tell
	 * which file a read's fd holds; a read storm then costs a page of events */
	if (!strcmp(tp->system, "filemap") && !strcmp(tp->name, "mm_filemap_get_pages"))
		return "index == 0";
	return NULL;
}

const char *const *ilp_tracepoint_systems(void)
{
	static const char *const systems[] = { "raw_syscalls", "task", "sched",
					       "block", "lock", "writeback", "filemap", "io_uring",
					       NULL };
	return systems;
}

static int resolve_row(struct tep_handle *tep, const struct row *r, struct resolved *res,
		       int any)
{
	struct tep_event *ev = tep_find_event_by_name(tep, r->tp.system, r->tp.name);
	int i;

	res->id = -1;
	res->min_size = 4;
	if (!ev || ev->id < 0 || ev->id > INT16_MAX)
		return (r->tp.flags & ILP_TP_REQUIRED) && !any ? -ENOENT : 0;
	for (i = 0; i < MAX_FIELDS && r->fields[i]; i++) {
		const char *name = r->fields[i];
		int optional = name[0] == '?';
		int flexible = name[0] == '*';	/* an array running to the record's end */
		struct tep_format_field *ff = tep_find_field(ev, name + optional + flexible);

		/* a trace file's formats are input: no field outside a record */
		if (ff && (ff->offset < 0 || ff->size < 0 || ff->offset > 65535 || ff->size > 65535))
			ff = NULL;
		if (!ff) {
			if (!optional)
				return (r->tp.flags & ILP_TP_REQUIRED) && !any ? -ENOENT : 0;
			res->f[i].off = -1;
			res->f[i].size = 0;
			continue;
		}
		res->f[i].off = ff->offset;
		res->f[i].size = ff->size;
		if ((size_t)(ff->offset + (flexible ? 0 : ff->size)) > res->min_size)
			res->min_size = (size_t)(ff->offset + (flexible ? 0 : ff->size));
	}
	res->id = ev->id;
	return 0;
}

static int decoder_new(struct tep_handle *tep, int any, struct ilp_decoder **out);

int ilp_decoder_new(struct tep_handle *tep, struct ilp_decoder **out)
{
	return decoder_new(tep, 0, out);
}

int ilp_decoder_new_any(struct tep_handle *tep, struct ilp_decoder **out)
{
	return decoder_new(tep, 1, out);
}

static int decoder_new(struct tep_handle *tep, int any, struct ilp_decoder **out)
{
	struct ilp_decoder *d;
	size_t i;
	int err = -ENOMEM;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->res = calloc(NROWS, sizeof(*d->res));
	if (!d->res)
		goto out;
	d->max_id = -1;
	for (i = 0; i < NROWS; i++) {
		err = resolve_row(tep, &rows[i], &d->res[i], any);
		if (err)
			goto out;
		if (d->res[i].id > d->max_id)
			d->max_id = d->res[i].id;
	}
	err = -ENOMEM;
	d->by_id = malloc(sizeof(*d->by_id) * (size_t)(d->max_id + 1));
	if (d->max_id >= 0 && !d->by_id)
		goto out;
	for (i = 0; (int)i <= d->max_id; i++)
		d->by_id[i] = -1;
	for (i = 0; i < NROWS; i++)
		if (d->res[i].id >= 0)
			d->by_id[d->res[i].id] = (int16_t)i;
	*out = d;
	return 0;
out:
	ilp_decoder_free(d);
	return err;
}

void ilp_decoder_free(struct ilp_decoder *d)
{
	if (!d)
		return;
	free(d->res);
	free(d->by_id);
	free(d->ustr);
	free(d->uev);
	free(d);
}

int ilp_decoder_has(const struct ilp_decoder *d, const char *system, const char *name)
{
	size_t i;

	for (i = 0; i < NROWS; i++)
		if (!strcmp(rows[i].tp.system, system) && !strcmp(rows[i].tp.name, name))
			return d->res[i].id >= 0;
	return 0;
}

/* ---- syscall events that carry the user string (Linux 6.19+) ---- */

int ilp_userstr_arg(struct tep_event *ev, char *argname, size_t size)
{
	struct tep_format_field **fields, *f;
	int i, arg = -1, idx = 0;

	if (!ev || !ev->system || !ev->name || strcmp(ev->system, "syscalls") ||
	    strncmp(ev->name, "sys_enter_", 10))
		return -1;
	fields = tep_event_fields(ev);
	if (!fields)
		return -1;
	/* after __syscall_nr, one field per argument, then one
	 * "__data_loc char[] __ARG_val" per argument the kernel copied */
	for (i = 0; fields[i] && arg < 0; i++) {
		size_t len;

		f = fields[i];
		len = strlen(f->name);
		if (!strcmp(f->name, "__syscall_nr"))
			continue;
		if (len > 6 && !strncmp(f->name, "__", 2) && !strcmp(f->name + len - 4, "_val") &&
		    (f->flags & TEP_FIELD_IS_DYNAMIC) && (f->flags & TEP_FIELD_IS_STRING)) {
			struct tep_format_field *a;
			int k;

			/* its argument: the field named ARG */
			for (k = 0, idx = 0; fields[k]; k++) {
				a = fields[k];
				if (!strcmp(a->name, "__syscall_nr") || !strncmp(a->name, "__", 2))
					continue;
				if (strlen(a->name) == len - 6 && !strncmp(a->name, f->name + 2, len - 6)) {
					arg = idx;
					if (argname)
						snprintf(argname, size, "%s", a->name);
					break;
				}
				idx++;
			}
		}
	}
	free(fields);
	return arg < 6 ? arg : -1;
}

/* by_id covers id: 0 or -ENOMEM */
static int by_id_grow(struct ilp_decoder *d, int id)
{
	int16_t *v;
	int k;

	if (id <= d->max_id)
		return 0;
	v = realloc(d->by_id, sizeof(*v) * (size_t)(id + 1));
	if (!v)
		return -ENOMEM;
	for (k = d->max_id + 1; k <= id; k++)
		v[k] = -1;
	d->by_id = v;
	d->max_id = id;
	return 0;
}

int ilp_decoder_add_userstr(struct ilp_decoder *d, struct tep_handle *tep)
{
	int i, n = tep_get_events_count(tep), added = 0;

	for (i = 0; i < n; i++) {
		struct tep_event *ev = tep_get_event(tep, i);
		struct tep_format_field *nr, *ptr, *loc;
		char name[64], lname[80];
		struct ustr_ev *u;
		int arg = ilp_userstr_arg(ev, name, sizeof(name));

		if (arg < 0 || ev->id < 0 || ev->id > INT16_MAX)
			continue;
		snprintf(lname, sizeof(lname), "__%s_val", name);
		nr = tep_find_field(ev, "__syscall_nr");
		ptr = tep_find_field(ev, name);
		loc = tep_find_field(ev, lname);
		if (!nr || !ptr || !loc || loc->size < 4 || ptr->size != 8 ||
		    nr->offset < 0 || ptr->offset < 0 || loc->offset < 0 ||
		    nr->offset + nr->size > 65535 || ptr->offset + 8 > 65535 ||
		    loc->offset + 4 > 65535)
			continue;
		if (by_id_grow(d, ev->id))
			goto nomem;
		u = realloc(d->ustr, (d->nustr + 1) * sizeof(*u));
		if (!u)
			goto nomem;
		d->ustr = u;
		u += d->nustr;
		u->nr = (struct field){ nr->offset, nr->size };
		u->ptr = (struct field){ ptr->offset, 8 };
		u->loc = (struct field){ loc->offset, 4 };
		u->arg = arg;
		u->min_size = (size_t)loc->offset + 4;
		if ((size_t)(ptr->offset + 8) > u->min_size)
			u->min_size = (size_t)ptr->offset + 8;
		d->by_id[ev->id] = (int16_t)(NROWS + d->nustr);
		d->nustr++;
		added++;
	}
	return added;
nomem:
	return -ENOMEM;
}

static int dec_userstr(const struct ustr_ev *u, const unsigned char *d, size_t size,
		       struct ilp_event *ev)
{
	const unsigned char *str;
	size_t len;

	if (size < u->min_size)
		return -EINVAL;
	ev->kind = ILP_EV_SYS_ARGSTR;
	ev->nr = (int32_t)rd_s(d, u->nr);
	ev->ustr.ptr = rd_u(d, u->ptr);
	ev->ustr.arg = u->arg;
	str = data_loc(d, size, u->loc, &len);
	if (!str)
		return -EINVAL;
	ev->ustr.str = (const char *)str;
	ev->ustr.len = (uint32_t)len;
	return 1;
}

/* ---- user lock holds: uprobe events (--lock-holds) ---- */

/*
 * The symbols are libc's exported names at their default version (glibc
 * 2.36: pthread_mutex_lock@@GLIBC_2.2.5, at the same address as its alias
 * __pthread_mutex_lock, so one probe sees calls through either name;
 * pthread_cond_wait@@GLIBC_2.3.2, whose compat @GLIBC_2.2.5 version for
 * old binaries calls it).  The condition waits unlock and relock the mutex
 * through glibc-internal functions (__pthread_mutex_unlock_usercnt,
 * __pthread_mutex_cond_lock), not these entry points: a wait is seen once,
 * as its own call.
 */

/* a call's entry (the mutex in register reg, the return address on the
 * stack) and its return (the value it returns) */
#define CALL_RET(ev, sym, op, reg, req)						\
	{ ev, sym, 0, ILP_EV_ULOCK_CALL, op, "mutex=%" reg ":x64 site=+0(%sp):x64", req },	\
	{ ev "_ret", sym, 1, ILP_EV_ULOCK_RET, op, "ret=$retval:s32", req }

static const struct ilp_uprobe_spec specs[] = {
#if defined(__x86_64__)
	CALL_RET("lock", "pthread_mutex_lock", ILP_ULOCK_OP_LOCK, "di", 1),
	{ "unlock", "pthread_mutex_unlock", 0, ILP_EV_ULOCK_UNLOCK, 0, "mutex=%di:x64", 1 },
	CALL_RET("trylock", "pthread_mutex_trylock", ILP_ULOCK_OP_TRYLOCK, "di", 0),
	CALL_RET("timedlock", "pthread_mutex_timedlock", ILP_ULOCK_OP_LOCK, "di", 0),
	CALL_RET("clocklock", "pthread_mutex_clocklock", ILP_ULOCK_OP_LOCK, "di", 0),
	/* the mutex is the second argument of the condition waits */
	CALL_RET("condwait", "pthread_cond_wait", ILP_ULOCK_OP_COND, "si", 0),
	CALL_RET("condtimedwait", "pthread_cond_timedwait", ILP_ULOCK_OP_COND, "si", 0),
	CALL_RET("condclockwait", "pthread_cond_clockwait", ILP_ULOCK_OP_COND, "si", 0),
#endif
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

#define NSPECS (sizeof(specs) / sizeof(specs[0]) - 1)

size_t ilp_uprobe_spec_count(void)
{
	return NSPECS;
}

const struct ilp_uprobe_spec *ilp_uprobe_spec(size_t i)
{
	return i < NSPECS ? &specs[i] : NULL;
}

/* the row an event name "EVENT_N" is a copy of, or NULL */
static const struct ilp_uprobe_spec *spec_of(const char *name)
{
	const char *us = strrchr(name, '_');
	size_t i, len;

	if (!us || !us[1] || strspn(us + 1, "0123456789") != strlen(us + 1))
		return NULL;
	len = (size_t)(us - name);
	for (i = 0; i < NSPECS; i++)
		if (strlen(specs[i].event) == len && !strncmp(specs[i].event, name, len))
			return &specs[i];
	return NULL;
}

static struct field uprobe_field(struct tep_event *ev, const char *name, size_t *min_size)
{
	struct tep_format_field *ff = tep_find_field(ev, name);
	struct field f = { -1, 0 };

	if (!ff || ff->offset < 0 || ff->size <= 0 || ff->size > 8 || ff->offset > 65535)
		return f;
	f.off = ff->offset;
	f.size = ff->size;
	if ((size_t)(ff->offset + ff->size) > *min_size)
		*min_size = (size_t)(ff->offset + ff->size);
	return f;
}

int ilp_decoder_add_uprobes(struct ilp_decoder *d, struct tep_handle *tep, const char *group)
{
	int i, n = tep_get_events_count(tep), added = 0;

	for (i = 0; i < n; i++) {
		struct tep_event *ev = tep_get_event(tep, i);
		const struct ilp_uprobe_spec *sp;
		struct uprobe_ev u = { .min_size = 8 }, *v;

		if (!ev || !ev->system || !ev->name || strcmp(ev->system, group) ||
		    ev->id < 0 || ev->id > INT16_MAX || d->nuev >= INT16_MAX - UPROBE_BASE)
			continue;
		sp = spec_of(ev->name);
		if (!sp)
			continue;
		u.kind = sp->kind;
		u.op = sp->op;
		u.addr = uprobe_field(ev, "mutex", &u.min_size);
		u.site = uprobe_field(ev, "site", &u.min_size);
		u.ret = uprobe_field(ev, "ret", &u.min_size);
		if ((sp->kind == ILP_EV_ULOCK_RET && u.ret.off < 0) ||
		    (sp->kind != ILP_EV_ULOCK_RET && u.addr.off < 0) ||
		    (sp->kind == ILP_EV_ULOCK_CALL && u.site.off < 0))
			continue;
		if (by_id_grow(d, ev->id))
			return -ENOMEM;
		v = realloc(d->uev, (d->nuev + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		d->uev = v;
		d->uev[d->nuev] = u;
		d->by_id[ev->id] = (int16_t)(UPROBE_BASE + d->nuev);
		d->nuev++;
		added++;
	}
	return added;
}

static int dec_uprobe(const struct uprobe_ev *u, const unsigned char *d, size_t size,
		      struct ilp_event *ev)
{
	if (size < u->min_size)
		return -EINVAL;
	ev->kind = (uint16_t)u->kind;
	ev->ulock.op = u->op;
	ev->ulock.addr = rd_u(d, u->addr);
	ev->ulock.site = rd_u(d, u->site);
	ev->ulock.ret = (int32_t)rd_s(d, u->ret);
	return 1;
}

int ilp_decode(const struct ilp_decoder *d, const void *data, size_t size,
	       uint64_t ts, int cpu, struct ilp_event *ev)
{
	const unsigned char *p = data;
	uint16_t type;
	int32_t tid;
	int row;

	if (size < 8)
		return -EINVAL;
	memcpy(&type, p, 2);
	if ((int)type > d->max_id || d->by_id[type] < 0)
		return 0;
	row = d->by_id[type];
	if (row < (int)NROWS && size < d->res[row].min_size)
		return -EINVAL;
	memcpy(&tid, p + 4, 4);
	memset(ev, 0, sizeof(*ev));
	ev->ts = ts;
	ev->tid = tid;
	ev->cpu = (uint16_t)cpu;
	ev->nr = -1;
	if (row == ROW_SYS_EXIT) {
		ev->kind = ILP_EV_SYS_EXIT;
		return dec_sys_exit(d->res[row].f, p, size, ev);
	}
	if (row == ROW_SYS_ENTER) {
		ev->kind = ILP_EV_SYS_ENTER;
		return dec_sys_enter(d->res[row].f, p, size, ev);
	}
	if (row >= UPROBE_BASE)
		return dec_uprobe(&d->uev[row - UPROBE_BASE], p, size, ev);
	if (row >= (int)NROWS)
		return dec_userstr(&d->ustr[row - (int)NROWS], p, size, ev);
	ev->kind = (uint16_t)rows[row].kind;
	return rows[row].fn(d->res[row].f, p, size, ev);
}
