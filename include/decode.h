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
};

struct ilp_tracepoint {
	const char *system;
	const char *name;
	unsigned flags;		/* enum ilp_tp_flags */
};

/* the filter an event gets in our instance (we need only some of it), or NULL */
const char *ilp_tracepoint_filter(const struct ilp_tracepoint *tp);

/* The tracepoints the decoder understands: i < ilp_tracepoint_count(). */
size_t ilp_tracepoint_count(void);
const struct ilp_tracepoint *ilp_tracepoint(size_t i);

/* Event systems to load formats for (NULL-terminated). */
const char *const *ilp_tracepoint_systems(void);

/* Builds a decoder for the formats in tep.  -ENOENT if a required event
 * is missing.  The tep must outlive the decoder. */
int ilp_decoder_new(struct tep_handle *tep, struct ilp_decoder **out);
/* Same, for a trace file: events it lacks (even required ones) are just
 * absent (see ilp_decoder_has); formats whose fields lie outside a record
 * count as absent. */
int ilp_decoder_new_any(struct tep_handle *tep, struct ilp_decoder **out);
void ilp_decoder_free(struct ilp_decoder *d);	/* NULL ok */

/* Is this event present (its format was found)? */
int ilp_decoder_has(const struct ilp_decoder *d, const char *system, const char *name);

/*
 * Decodes one record (the event data, starting at common_type).  Returns 1
 * and fills *ev, 0 if the record is of a type we skip, or -EINVAL if it is
 * malformed (shorter than its fields).
 */
int ilp_decode(const struct ilp_decoder *d, const void *data, size_t size,
	       uint64_t ts, int cpu, struct ilp_event *ev);

/*
 * Syscall events that carry the user string (Linux 6.19+): the kernel
 * copies the string a pointer argument points to into the event, as a
 * "__data_loc char[] __ARG_val" field after the arguments.  Found in the
 * event's format, never from the kernel version.
 *
 * ilp_userstr_arg: for a syscalls:sys_enter_X format, the index of the
 * argument the kernel copies (its name in argname, if not NULL), or -1.
 * ilp_decoder_add_userstr: decode every such event of tep as
 * ILP_EV_SYS_ARGSTR (the first copied argument); the number added, or
 * -ENOMEM.
 *
 * The copy: non-printable bytes replaced by '.', and a string longer than
 * the instance's syscall_user_buf_size cut there with "..." appended; a
 * faulting read leaves it empty (len 0).
 */
int ilp_userstr_arg(struct tep_event *ev, char *argname, size_t size);
int ilp_decoder_add_userstr(struct ilp_decoder *d, struct tep_handle *tep);

#endif
