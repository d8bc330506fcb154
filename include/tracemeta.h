/* SPDX-License-Identifier: MIT */
#ifndef ILP_TRACEMETA_H
#define ILP_TRACEMETA_H

/*
 * What `record` knows outside the ring buffer travels inside the trace as
 * trace_marker lines of our instance (ftrace:print records), one fact per
 * line, each carrying the time of the fact it states:
 *
 *   iolockprof: begin v=1 ts=NS cmd=COMMAND LINE
 *   iolockprof: task ts=NS pid=P tid=T [gated=1] comm=NAME
 *   iolockprof: fd ts=NS pid=P tid=T fd=F type=T str=PATH OR PEER
 *   iolockprof: name ts=NS kind=dev|ulock|klock pid=P key=K str=NAME
 *   iolockprof: end ts=NS lost=N exit=S
 *
 * The last key takes the rest of the line; when it has a control character
 * or a backslash, its key gets an 'x' (strx=) and those bytes are written
 * \xNN (a backslash \\), so the line stays one line and the value comes back
 * exactly.  See docs/trace-format.md.
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

/**
 * ilp_meta_format_event - formats a task or fd fact as a marker line
 * @buf: the caller's buffer, set to the line (no newline), NUL-terminated
 * @len: bytes at buf (ILP_META_MAX is enough for a line we parse back)
 * @ev: an ILP_EV_TASK_INFO or ILP_EV_FD_INFO event (ev->fd.str NULL is "")
 *
 * Returns the line's length, -ENOSPC when it does not fit, or -EINVAL for
 * an event kind that is not metadata.
 */
int ilp_meta_format_event(char *buf, size_t len, const struct ilp_event *ev);

/**
 * ilp_meta_format_begin - formats the begin line
 * @buf: the caller's buffer, set to the line (no newline), NUL-terminated
 * @len: bytes at buf
 * @ts: the capture's start, in trace clock ns
 * @command: the traced command line (NULL is "")
 *
 * Returns the line's length, or -ENOSPC when it does not fit.
 */
int ilp_meta_format_begin(char *buf, size_t len, uint64_t ts, const char *command);

/**
 * ilp_meta_format_name - formats a device or lock name the capture resolved
 * @buf: the caller's buffer, set to the line (no newline), NUL-terminated
 * @len: bytes at buf
 * @ts: when it was resolved, in trace clock ns
 * @kind: enum ilp_name_kind (vocab.h)
 * @pid: the process of a user lock; 0 for devices and kernel locks
 * @key: the dev_t or lock address
 * @name: the name (NULL is "")
 *
 * Returns the line's length, -ENOSPC when it does not fit, or -EINVAL for
 * an unknown kind.
 */
int ilp_meta_format_name(char *buf, size_t len, uint64_t ts, int kind, int pid, uint64_t key,
			 const char *name);

/**
 * ilp_meta_format_end - formats the end line
 * @buf: the caller's buffer, set to the line (no newline), NUL-terminated
 * @len: bytes at buf
 * @ts: the capture's end, in trace clock ns
 * @lost: events the ring buffer lost
 * @exit_status: the traced command's exit status, -1 if none
 *
 * Returns the line's length, or -ENOSPC when it does not fit.
 */
int ilp_meta_format_end(char *buf, size_t len, uint64_t ts, uint64_t lost, int exit_status);

/**
 * ilp_meta_parse - parses one marker text
 * @s: the text; need not be NUL-terminated (it ends at a NUL or at len);
 *	a trailing newline is ignored
 * @len: bytes at s
 * @m: the caller's struct, filled (cleared first when s is an iolockprof
 *	line); for TASK and FD, m->ev is the event to feed, and its fd.str
 *	points into m->text: m must not move while the event is used
 *
 * Escaped values (KEYx=) come back decoded.
 *
 * Returns 1 with *m filled, 0 if it is not an iolockprof line (*m left
 * alone), or -EINVAL if it is one but malformed (or longer than
 * ILP_META_MAX).
 */
int ilp_meta_parse(const char *s, size_t len, struct ilp_meta *m);

#endif
