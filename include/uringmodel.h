/* SPDX-License-Identifier: MIT */
#ifndef ILP_URINGMODEL_H
#define ILP_URINGMODEL_H

/*
 * The io_uring model (src/model/model_uring.c): pure C, no I/O.  A
 * syscall profiler sees a few io_uring_enter calls; the io_uring
 * tracepoints (ILP_EV_URING_*) show each request:
 *
 *   - a request is submitted (SUBMIT: ring, request, opcode), takes its fd
 *     (FILE; a registered file has no such event, the SUBMIT's flags say
 *     it is one), may be punted to an io-wq worker (ASYNC), and completes
 *     (COMPLETE, with its result) in whatever context the kernel chose: an
 *     io-wq worker, task work, an interrupt.  The events of one request are
 *     paired by its kernel address (reused only once it completed) and the
 *     request belongs to the process that submitted it: the traced thread
 *     of the SUBMIT, or, for a ring that submits from its own thread
 *     (SQPOLL), the process that made the ring (CREATE);
 *   - latency is submit -> complete, per opcode and per file;
 *   - waiting for completions is io_uring_enter's time: the calls that ask
 *     for completions (IORING_ENTER_GETEVENTS), and of those the ones the
 *     kernel made wait (a CQWAIT inside the call);
 *   - requests of rings no traced process made or submitted to are not
 *     kept (the events come system-wide), nor completions of requests
 *     submitted before the trace began (counted in lost).
 *
 * The model gives each completed request back to its caller (model.c),
 * which counts data and sync requests on their file in the fd model as
 * the syscall they stand for (ilp_uring_done.nr), so that the detectors
 * read one kind of evidence, and then names the file of the per-file row
 * (ilp_uring_count).  Memory grows with rings, processes, opcodes and
 * files, and with requests in flight (recycled), never with events.
 */

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "hist.h"

#define ILP_URING_ENTER_GETEVENTS 1u	/* io_uring_enter's flags: wait for completions */
#define ILP_URING_CQWAIT_SLOTS 8	/* threads per process with a wait mark */
#define ILP_URING_CELLS 4		/* (file, category) cells one wait credits */

struct ilp_uring;	/* per model: rings, requests in flight, processes */
struct ilp_uproc;	/* one process's io_uring statistics */
struct ilp_fdobj;
struct ilp_proc;

/* Requests of one opcode, in one process. */
struct ilp_uring_op_stats {
	int opcode;			/* IORING_OP_* */
	char name[ILP_URING_OP_LEN];	/* the kernel's name ("WRITE"); "op N" if it gave none */
	uint64_t requests;		/* completed */
	uint64_t errors;		/* completed with a result < 0 */
	uint64_t total_ns, max_ns;	/* submit -> complete */
	uint64_t bytes;			/* data requests: sum of positive results */
	uint64_t punted;		/* queued to an io-wq worker (async offload) */
	uint64_t unfinished;		/* submitted, not completed by the end */
	struct ilp_hist *hist;		/* latency of the completed ones */
};

/* Requests of one opcode on one file, in one process. */
struct ilp_uring_file_stats {
	const struct ilp_fdobj *obj;	/* the file as the fd model names it; NULL:
					 * a registered file (fixed), or an fd the
					 * fd model knows nothing of (fd) */
	int fixed;			/* a registered file: the tracepoints carry no
					 * index, all of them are one row per opcode */
	int fd;				/* the fd (-1 for a registered file) */
	int opcode;
	const char *name;		/* the opcode's name (its ilp_uring_op_stats) */
	uint64_t requests, errors, total_ns, max_ns, bytes;
	struct ilp_hist *hist;		/* latency */
};

/* One process's totals. */
struct ilp_uring_totals {
	uint64_t rings;			/* rings it made (io_uring_create) */
	uint64_t submitted, completed;
	uint64_t punted;		/* queued to io-wq workers */
	uint64_t failed;		/* failed before or at issue (io_uring_req_failed) */
	uint64_t short_writes;		/* writes that wrote less than asked */
	uint64_t unfinished;		/* in flight at the end */
	uint64_t lost;			/* completions on its rings of requests not
					 * seen submitted (before the trace began) */
	uint64_t getevents, getevents_ns;	/* io_uring_enter calls asking for
						 * completions, their time */
	uint64_t waits, wait_ns;	/* of those, the ones that waited (cqring_wait) */
	uint64_t enters;		/* every io_uring_enter call */
};

/* A completed request, handed back by ilp_uring_feed() */
struct ilp_uring_done {
	struct ilp_uproc *up;		/* its process's statistics */
	void *owner;			/* what the caller gave for that process */
	int tid;			/* the submitting thread */
	int fd;				/* its fd; -1: registered file, or none */
	int fixed;			/* its file is a registered one */
	int opcode;
	int nr;				/* the syscall it stands for in the fd model:
					 * reads and writes as read, readv, write,
					 * writev (the tracepoints carry no offset:
					 * never positioned calls), fsync,
					 * sync_file_range, send and recv as sendto
					 * and recvfrom, sendmsg, recvmsg; -1 for the
					 * rest (open, close, poll, timeout...) */
	int64_t res;			/* the result (bytes, 0, -errno) */
	uint64_t submit_ts, complete_ts;
};

/* Requests of one file and category that completed while their thread
 * waited in io_uring_enter (ilp_uring_waited) */
struct ilp_uring_cell {
	const struct ilp_fdobj *obj;
	int cat;			/* enum ilp_io_cat */
	uint64_t n;			/* requests */
};

/**
 * ilp_uring_new - makes an empty io_uring model
 *
 * Returns it, to free with ilp_uring_free(), or NULL on ENOMEM.
 */
struct ilp_uring *ilp_uring_new(void);

/**
 * ilp_uring_free - frees the model, its processes' statistics included
 * @u: the model; NULL is a no-op
 */
void ilp_uring_free(struct ilp_uring *u);

/**
 * ilp_uring_feed - applies one ILP_EV_URING_* event
 * @u: the model
 * @ev: the event (any other kind does nothing)
 * @up: the statistics of the traced process ev->tid belongs to (*up NULL:
 *	allocated here on first need, owned by u), or NULL when ev->tid is
 *	not traced (an io-wq worker, an SQPOLL thread, another program)
 * @owner: kept with a new *up, handed back in done->owner
 * @done: filled when the event completes a request
 *
 * Returns 1 when done was filled, 0, or -ENOMEM (the event is dropped).
 */
int ilp_uring_feed(struct ilp_uring *u, const struct ilp_event *ev, struct ilp_uproc **up,
		   void *owner, struct ilp_uring_done *done);

/**
 * ilp_uring_count - counts a completed request
 * @u: the model
 * @d: the request, from ilp_uring_feed()
 * @obj: its file as the fd model names it now; NULL if none
 *
 * Returns 0 or -ENOMEM (the opcode's counts are whole, the file's row is
 * missing).
 */
int ilp_uring_count(struct ilp_uring *u, const struct ilp_uring_done *d,
		    const struct ilp_fdobj *obj);

/**
 * ilp_uring_enter - one io_uring_enter call of a traced thread completed
 * @up: its process's statistics; *up NULL: allocated (owned by u)
 * @u: the model
 * @owner: kept with a new *up
 * @tid: the thread
 * @enter_ts: when the call entered
 * @exit_ts: when it returned
 * @flags: its flags argument (ILP_URING_ENTER_GETEVENTS)
 *
 * A call asking for completions counts in getevents; one in which the
 * thread's CQWAIT fell counts in waits.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_uring_enter(struct ilp_uring *u, struct ilp_uproc **up, void *owner, int tid,
		    uint64_t enter_ts, uint64_t exit_ts, uint64_t flags);

/**
 * ilp_uring_waited - a request completed while its thread waited for it
 * @u: the model
 * @up: the process's statistics; *up NULL: allocated (owned by u)
 * @owner: kept with a new *up
 * @tid: the submitting thread, inside io_uring_enter now
 * @obj: the request's file (fd model)
 * @cat: the category it counted in there (enum ilp_io_cat)
 *
 * The io_uring_enter call's wall share goes to the requests it waited for
 * (ilp_uring_take_waited): the time a fix of theirs would save.  At most
 * ILP_URING_CELLS (file, category) cells per call; the requests of
 * further ones leave their part with the call.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_uring_waited(struct ilp_uring *u, struct ilp_uproc **up, void *owner, int tid,
		     const struct ilp_fdobj *obj, int cat);

/**
 * ilp_uring_take_waited - the cells a thread's io_uring_enter waited for, once
 * @up: the process's statistics; may be NULL
 * @tid: the thread, whose io_uring_enter call returns now
 * @cells: set to up to ILP_URING_CELLS cells
 * @other: set to the requests it waited for that are in no cell
 *
 * Returns the number of cells set (0: it waited for no request); they are
 * forgotten.
 */
size_t ilp_uring_take_waited(struct ilp_uproc *up, int tid,
			     struct ilp_uring_cell cells[ILP_URING_CELLS], uint64_t *other);

/**
 * ilp_uring_finish - the end of the trace
 * @u: the model
 *
 * Requests still in flight count as unfinished (per opcode and process).
 */
void ilp_uring_finish(struct ilp_uring *u);

/**
 * ilp_uring_index - sorts every process's opcodes and files for the accessors
 * @u: the model
 *
 * Opcodes and files by total time, descending (then more requests, then
 * opcode).
 *
 * Returns 0 or -ENOMEM (a view is then empty).
 */
int ilp_uring_index(struct ilp_uring *u);

/**
 * ilp_uring_reset_stats - counts from 0, keeps the state
 * @u: the model
 *
 * Rings, requests in flight and processes stay; every count goes to 0.
 */
void ilp_uring_reset_stats(struct ilp_uring *u);

/**
 * ilp_uring_file_format - the name of a file row
 * @f: the row
 * @buf: where the name goes
 * @size: bytes at buf
 *
 * The object's name as ilp_fdobj_format() gives it (a real name, or "fd N
 * (name lost: WHY)"), "registered file (index not traced)", or "fd N
 * (unresolved)" for an fd the fd model knows nothing of.
 *
 * Returns the length of the whole name (snprintf's rule).
 */
int ilp_uring_file_format(const struct ilp_uring_file_stats *f, char *buf, size_t size);

/**
 * ilp_proc_uring - a process's io_uring statistics
 * @p: the process (model.c)
 *
 * Returns them, owned by the model; NULL if it used no io_uring that the
 * trace saw (every ilp_uproc_* accessor takes NULL).
 */
const struct ilp_uproc *ilp_proc_uring(const struct ilp_proc *p);

/**
 * ilp_uproc_totals - a process's totals
 * @p: its statistics; may be NULL
 *
 * Returns the totals, owned by the model; NULL for NULL.
 */
const struct ilp_uring_totals *ilp_uproc_totals(const struct ilp_uproc *p);

/**
 * ilp_uproc_op - the i-th opcode of a process, by total time descending
 * @p: its statistics (indexed); may be NULL
 * @i: the index
 *
 * Returns the opcode's statistics, owned by the model; NULL past the last.
 */
const struct ilp_uring_op_stats *ilp_uproc_op(const struct ilp_uproc *p, size_t i);

/**
 * ilp_uproc_file - the i-th (file, opcode) row of a process, by total time
 * @p: its statistics (indexed); may be NULL
 * @i: the index
 *
 * Returns the row, owned by the model; NULL past the last.
 */
const struct ilp_uring_file_stats *ilp_uproc_file(const struct ilp_uproc *p, size_t i);

#endif
