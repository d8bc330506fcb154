/* SPDX-License-Identifier: MIT */
#ifndef ILP_VOCAB_H
#define ILP_VOCAB_H

/*
 * The words every layer shares, at the bottom of the pipeline: what kind
 * of object an fd is, where its name came from, what kind of name a
 * capture resolves for the model.  Sources write them into events
 * (ILP_EV_FD_INFO fd.type, ILP_EV_NAME); the model keeps them; reporters
 * print them.  Only enums and macros: no code, no includes.
 */

/* ILP_EV_FD_INFO fd.type: low byte the object type, higher bits flags. */
enum ilp_obj_type {
	ILP_OBJ_UNRESOLVED = 0,	/* "fd N (unresolved)" */
	ILP_OBJ_FILE,		/* regular file: absolute path */
	ILP_OBJ_DIR,
	ILP_OBJ_DEV,		/* character or block device: path */
	ILP_OBJ_PIPE,		/* "pipe:[inode]" */
	ILP_OBJ_TCP,		/* "LOCAL -> PEER", "LOCAL (listening)", or "(unconnected)" */
	ILP_OBJ_UDP,
	ILP_OBJ_UNIX,		/* path, "@abstract", or "socket:[inode]" */
	ILP_OBJ_SOCKET,		/* other or unknown socket family */
	ILP_OBJ_EVENTFD,
	ILP_OBJ_ANON,		/* other anon inodes: "[eventpoll]", "[timerfd]"... */
	ILP_OBJ_OTHER,		/* whatever readlink gave, e.g. a deleted file */
	ILP_OBJ_MORE,		/* the calls past the model's caps (ilp_fdproc_more) */
	ILP_OBJ_NTYPES
};

#define ILP_OBJ_TYPE_MASK	0xffu
#define ILP_OBJ_F_FROM_ARG	(1u << 8)	/* legacy (trace files of older versions): a
						 * name read from the call's path argument in
						 * tracee memory and never verified */
#define ILP_OBJ_F_CLOEXEC	(1u << 9)	/* the fd is close-on-exec (fdinfo flags) */
/*
 * A connected TCP socket's side, from the kernel's socket table at the
 * lookup (bits 13, 14; neither: not known): its local address is a
 * listening socket's (a connection accepted here: the server's side), or
 * no listener's and its port one connect() picks (connected from here:
 * the client's side).
 */
#define ILP_OBJ_F_ACCEPTED	(1u << 13)
#define ILP_OBJ_F_OUTBOUND	(1u << 14)
#define ILP_OBJ_F_SIDE_MASK	(ILP_OBJ_F_ACCEPTED | ILP_OBJ_F_OUTBOUND)
/* what ilp_fdobj_format appends to a name with ILP_OBJ_F_FROM_ARG */
#define ILP_OBJ_ARG_MARK	" (name from call argument)"

/*
 * Where a name came from, in FD_INFO fd.type bits 10..12, most trusted
 * last (the order of trust: README "Where names come from").  Every
 * source except LOST gives the real name; LOST says no source could make
 * it certain, and the event's str says why ("closed before it could be
 * read"): the model names the fd "fd N (name lost: WHY)".
 */
enum ilp_name_src {
	ILP_NAME_SRC_NONE = 0,	/* not said (synthetic events, older trace files) */
	ILP_NAME_SRC_LOST,	/* no certain name: str is the reason */
	ILP_NAME_SRC_ARG,	/* the path argument read from tracee memory after
				 * the call, verified against the fd (same dev:ino) or
				 * confirmed by a later event of the fd */
	ILP_NAME_SRC_PROC,	/* /proc/PID/fd (and fdinfo, sock_diag, /proc/PID/net)
				 * while the fd was open, unchanged since the call */
	ILP_NAME_SRC_KERNEL,	/* the copy of the argument the kernel made at the
				 * call (the syscall event's string field) */
	ILP_NAME_SRC_CALL,	/* read at the call while the tracee was stopped
				 * (the ptrace backend, --names=exact) */
	ILP_NAME_SRC_NSRC
};
#define ILP_OBJ_SRC_SHIFT	10
#define ILP_OBJ_SRC_MASK	(7u << ILP_OBJ_SRC_SHIFT)
#define ILP_OBJ_SRC(src)	((unsigned)(src) << ILP_OBJ_SRC_SHIFT)
/* the enum ilp_name_src of an FD_INFO type or an object's type */
#define ILP_OBJ_SRC_OF(type)	(((type) & ILP_OBJ_SRC_MASK) >> ILP_OBJ_SRC_SHIFT)

/*
 * FD_INFO fd value meaning "str is the path argument of the call this
 * thread just completed" (stat, access, a failed open...): the call is
 * counted on that path's object, no fd is bound.
 */
#define ILP_FD_PATHARG (-100)

/* The other end of a pipe: which ends a process held or used (bits). */
#define ILP_END_READ	1u
#define ILP_END_WRITE	2u

/* What a resolved name names (the capture resolves; the model keeps). */
enum ilp_name_kind {
	ILP_NAME_DEV,		/* key = dev_t (pid 0) */
	ILP_NAME_ULOCK,		/* key = futex address in process pid */
	ILP_NAME_KLOCK,		/* key = kernel address (pid 0) */
	ILP_NAME_CODE,		/* key = code address in process pid: a lock call's
				 * site, "worker (mutex_storm.c:42)" (--lock-holds) */
	ILP_NAME_KFUNC,		/* key = kernel code address (pid 0): its function's
				 * name alone ("anon_pipe_read"), no offset */
};

/* Frames kept per user call stack (--stacks), innermost first. */
#define ILP_STACK_MAX 32

#endif
