/* SPDX-License-Identifier: MIT */
#ifndef ILP_DECODE_H
#define ILP_DECODE_H

/*
 * Ftrace record -> struct ilp_event, shared by the live ftrace source and
 * the trace-file source.  The tracepoints we use are one table in
 * decode.c: each row names the event, how it is enabled, and its decoder.
 * Field offsets are looked up once per event type when the decoder is
 * built; decoding a record reads fixed offsets only.
 */

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct tep_handle;
struct tep_event;
struct ilp_decoder;

enum ilp_tp_flags {
	ILP_TP_REQUIRED = 1 << 0,	/* capture fails without it */
	ILP_TP_SYSCALL = 1 << 1,	/* takes the -e syscall filter */
	ILP_TP_UNFILTERED = 1 << 2,	/* runs outside the traced tasks' context
					 * (interrupts, kworkers): enabled in the
					 * unfiltered companion instance */
	ILP_TP_OPTION = 1 << 3,		/* written by an instance option, never
					 * enabled (ftrace:user_stack, by
					 * options/userstacktrace): its format
					 * is read, nothing else */
	ILP_TP_TRIGGERED = 1 << 4,	/* has no enable file: written by a trigger
					 * (ftrace:kernel_stack, --sleep-stacks) */
};

struct ilp_tracepoint {
	const char *system;
	const char *name;
	unsigned flags;		/* enum ilp_tp_flags */
};

/**
 * ilp_tracepoint_filter - the filter a tracepoint gets in our instance
 * @tp: a row of the table (ilp_tracepoint)
 *
 * We need only some of a few events: mm_filemap_get_pages only for the
 * first page of a file ("index == 0"), which is enough to tell which file a
 * read's fd holds, so a read storm costs at most a page of events.
 *
 * Returns the filter (static), or NULL when the event takes none.
 */
const char *ilp_tracepoint_filter(const struct ilp_tracepoint *tp);

/**
 * ilp_tracepoint_count - how many tracepoints the decoder understands
 *
 * Returns the number of rows of the table.
 */
size_t ilp_tracepoint_count(void);

/**
 * ilp_tracepoint - a tracepoint the decoder understands
 * @i: the row, < ilp_tracepoint_count()
 *
 * Returns the row (static), or NULL if i is out of range.
 */
const struct ilp_tracepoint *ilp_tracepoint(size_t i);

/**
 * ilp_tracepoint_systems - the event systems to load formats for
 *
 * Returns a static NULL-terminated array of system names.
 */
const char *const *ilp_tracepoint_systems(void);

/**
 * ilp_decoder_new - builds a decoder for the formats of a live instance
 * @tep: the event formats; read only here (the decoder keeps offsets,
 *	no pointer into it)
 * @out: set to the decoder, to free with ilp_decoder_free(); NULL on error
 *
 * Field offsets are looked up here, once per event type.  An event with no
 * format in tep (not a required one) is absent (see ilp_decoder_has).
 *
 * Returns 0, -ENOENT if a required event or one of its fields is missing,
 * or -ENOMEM.
 */
int ilp_decoder_new(struct tep_handle *tep, struct ilp_decoder **out);

/**
 * ilp_decoder_new_any - builds a decoder for the formats of a trace file
 * @tep: the event formats; read only here (the decoder keeps offsets,
 *	no pointer into it)
 * @out: set to the decoder, to free with ilp_decoder_free(); NULL on error
 *
 * As ilp_decoder_new(), but the events the file lacks (even required ones)
 * are just absent (see ilp_decoder_has), and so are those whose format is
 * not usable: a field missing, or lying outside a record.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_decoder_new_any(struct tep_handle *tep, struct ilp_decoder **out);

/**
 * ilp_decoder_free - frees a decoder
 * @d: the decoder; NULL is a no-op
 */
void ilp_decoder_free(struct ilp_decoder *d);

/**
 * ilp_decoder_has - tells whether the decoder decodes an event
 * @d: the decoder
 * @system: the event's system ("block")
 * @name: the event's name ("block_rq_issue")
 *
 * Returns 1 if the event is one of the table's and its format was found
 * (and usable), else 0.
 */
int ilp_decoder_has(const struct ilp_decoder *d, const char *system, const char *name);

/**
 * ilp_decode - decodes one record
 * @d: the decoder
 * @data: the event data, starting at common_type
 * @size: bytes at data
 * @ts: the record's time stamp (ns, CLOCK_MONOTONIC)
 * @cpu: the CPU whose buffer held it
 * @ev: filled when the record is decoded (zeroed first); an ILP_EV_SYS_ARGSTR
 *	event's ustr.str, an ILP_EV_USTACK's ustack.raw and an ILP_EV_KSTACK's
 *	kstack.raw point into data, valid only as long as data is
 *
 * Reads fixed offsets only; no allocation.
 *
 * Returns 1 and fills *ev, 0 if the record is of a type we skip, or
 * -EINVAL if it is malformed (shorter than its fields).
 */
int ilp_decode(const struct ilp_decoder *d, const void *data, size_t size,
	       uint64_t ts, int cpu, struct ilp_event *ev);

/*
 * Syscall events that carry the user string (Linux 6.19+): the kernel
 * copies the string a pointer argument points to into the event, as a
 * "__data_loc char[] __ARG_val" field after the arguments.  Found in the
 * event's format, never from the kernel version.
 *
 * The copy: non-printable bytes replaced by '.', and a string longer than
 * the instance's syscall_user_buf_size cut there with "..." appended; a
 * faulting read leaves it empty (len 0).
 */

/**
 * ilp_userstr_arg - which argument a syscall event carries the string of
 * @ev: a format; any other than a syscalls:sys_enter_X has none
 * @argname: set to the argument's name when there is one; may be NULL
 * @size: bytes at argname, the NUL included
 *
 * Returns the index (0-5) of the argument the kernel copies, or -1.
 */
int ilp_userstr_arg(struct tep_event *ev, char *argname, size_t size);

/**
 * ilp_decoder_add_userstr - decodes the string-carrying syscall events too
 * @d: the decoder
 * @tep: the event formats; read only here
 *
 * Every sys_enter_X event of tep that carries a user string (the first
 * copied argument) is decoded as ILP_EV_SYS_ARGSTR from then on.
 *
 * Returns the number of events added, or -ENOMEM (the ones added before
 * stay).
 */
int ilp_decoder_add_userstr(struct ilp_decoder *d, struct tep_handle *tep);


/*
 * User lock holds (--lock-holds): uprobes on libc's mutex and condition
 * variable functions, one event per row of a table here, in an event
 * group of the session's own ("iolockprof_<token>", uprobe.h).  Each
 * libc probed has its own copy of the events, "EVENT_N" (N: its index).
 * The fetch arguments are x86-64's (the first argument in %di, the
 * second in %si, the return address at +0(%sp)).
 */
struct ilp_uprobe_spec {
	const char *event;	/* "lock", "lock_ret" (then "_N") */
	const char *symbol;	/* "pthread_mutex_lock": its default version */
	int retprobe;		/* 1: at the function's return (uretprobe) */
	int kind;		/* ILP_EV_ULOCK_CALL, _RET or _UNLOCK */
	uint32_t op;		/* enum ilp_ulock_op (CALL, RET) */
	const char *fetch;	/* the fetch arguments: "mutex=%di:x64 site=+0(%sp):x64" */
	int required;		/* without it, no holds at all */
};

/**
 * ilp_uprobe_spec_count - how many uprobe events --lock-holds uses
 *
 * Returns the number of rows of the table (0 where the fetch arguments
 * are not known: not x86-64).
 */
size_t ilp_uprobe_spec_count(void);

/**
 * ilp_uprobe_spec - a uprobe event --lock-holds uses
 * @i: the row, < ilp_uprobe_spec_count()
 *
 * Returns the row (static), or NULL if i is out of range.
 */
const struct ilp_uprobe_spec *ilp_uprobe_spec(size_t i);

/**
 * ilp_decoder_add_uprobes - decodes a group's uprobe events too
 * @d: the decoder
 * @tep: the event formats, with the group's events parsed; read only here
 * @group: the event group ("iolockprof_<token>")
 *
 * Every event of the group named after a row of the table ("lock_0") whose
 * fields are there is decoded as the row's ILP_EV_ULOCK_* from then on.
 *
 * Returns the number of events added, or -ENOMEM (the ones added before
 * stay).
 */
int ilp_decoder_add_uprobes(struct ilp_decoder *d, struct tep_handle *tep, const char *group);

#endif
