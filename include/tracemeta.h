/* SPDX-License-Identifier: MIT */
#ifndef ILP_TRACEMETA_H
#define ILP_TRACEMETA_H

/*
 * What `record` knows outside the ring buffer travels inside the trace as
 * trace_marker lines of our instance (ftrace:print records), one fact per
 * line, each carrying the time of the fact it states:
 *
 *   iolockprof: begin v=1 ts=NS cmd=COMMAND LINE
 *   iolockprof: task ts=NS pid=P tid=T comm=NAME
 *   iolockprof: fd ts=NS pid=P tid=T fd=F type=T str=PATH OR PEER
 *   iolockprof: name ts=NS kind=dev|ulock|klock pid=P key=K str=NAME
 *   iolockprof: end ts=NS lost=N exit=S
 *
 * The last key takes the rest of the line; control characters in it are
 * written as '?'.  See docs/trace-format.md.
 */

#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define ILP_META_PREFIX "iolockprof: "
#define ILP_META_VERSION 1
#define ILP_META_MAX 1024	/* longest line written (trace_marker takes more) */

enum ilp_meta_kind {
	ILP_META_BEGIN = 1,
	ILP_META_TASK,
	ILP_META_FD,
	ILP_META_END,
	ILP_META_NAME,
};

struct ilp_meta {
	int kind;		/* enum ilp_meta_kind */
	uint64_t ts;
	int version;		/* BEGIN */
	uint64_t lost;		/* END */
	int exit_status;	/* END: -1 if none */
	struct ilp_event ev;	/* TASK, FD as the event to feed; ev.fd.str points into text */
	int name_kind;		/* NAME: enum ilp_name_kind (vocab.h) */
	int name_pid;		/* NAME: 0 for devices and kernel locks */
	uint64_t name_key;	/* NAME: dev_t or lock address */
	char text[ILP_META_MAX];	/* BEGIN: the command; FD, NAME: the string */
};

/* Formats a line (no newline) into buf; returns its length, or -ENOSPC /
 * -EINVAL (an event kind that is not metadata). */
int ilp_meta_format_event(char *buf, size_t len, const struct ilp_event *ev);
int ilp_meta_format_begin(char *buf, size_t len, uint64_t ts, const char *command);
/* A device or lock name the capture resolved (kind: enum ilp_name_kind). */
int ilp_meta_format_name(char *buf, size_t len, uint64_t ts, int kind, int pid, uint64_t key,
			 const char *name);
int ilp_meta_format_end(char *buf, size_t len, uint64_t ts, uint64_t lost, int exit_status);

/* Parses one marker text (len bytes, need not be NUL-terminated; a
 * trailing newline is ignored).  1 and *m filled, 0 if it is not an
 * iolockprof line, -EINVAL if it is one but malformed. */
int ilp_meta_parse(const char *s, size_t len, struct ilp_meta *m);

#endif
