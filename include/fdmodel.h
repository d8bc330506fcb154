/* SPDX-License-Identifier: MIT */
#ifndef ILP_FDMODEL_H
#define ILP_FDMODEL_H

/*
 * The fd model (src/model/model_fd.c): per process, what each fd is (an object:
 * a file path, a socket with its addresses, a pipe...) and the I/O done on
 * each object.  Pure C, no I/O: fed by model.c from the same event stream.
 *
 * Objects are interned per process by (type, description): the same path
 * opened 1000 times through different fds is one object, which is what
 * "repeated work on one path" needs.  Memory grows with distinct objects
 * and open fds, never with events, and is capped per process: the first
 * ILP_FDOBJ_MAX objects are kept apart, fds at or above 1024 are tracked
 * up to ILP_FD_SPARSE_MAX of them; calls past either cap are counted
 * together on the process's "more" object (ilp_fdproc_more).
 *
 * What the model believes about an fd, in order:
 *   - ILP_EV_FD_INFO(fd, type, str) binds fd to the object (type, str);
 *   - dup/dup2/dup3/fcntl(F_DUPFD*) copy the old fd's object; close and
 *     close_range forget the fd; fork (TASK_NEW without CLONE_THREAD)
 *     copies the table; exec drops the fds marked close-on-exec (O_CLOEXEC
 *     and friends in the creating call's flags, fcntl(F_SETFD), dup3's
 *     flags, close_range(CLOSE_RANGE_CLOEXEC), or ILP_OBJ_F_CLOEXEC from
 *     the source);
 *   - an fd used with no object known is "fd N (unresolved)": never a guess;
 *   - a call failing with EBADF on an fd not known open creates nothing and
 *     is counted on no object (read(1048575) names no fd);
 *   - an FD_INFO of source LOST names the fd "fd N (name lost: WHY)";
 *   - an FD_INFO that does not complete a call (the attach scan, a second
 *     name for the same fd) replaces the fd's name only when its source is
 *     as trusted as the one the fd has, or more (enum ilp_name_src).
 */

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "vocab.h"
#include "hist.h"
#include "peer.h"

#define ILP_FDOBJ_MAX 4096u		/* objects kept apart per process */
#define ILP_FD_SPARSE_MAX 16384u	/* fds >= 1024 tracked per process */

/* "call", "kernel", "proc", "arg", "lost", "unresolved" (no name at all),
 * "unknown" (ILP_NAME_SRC_NONE): an object's name_source (type | flags) */
const char *ilp_name_src_name(unsigned type);


/* "file", "tcp", ... for a type (flags ignored); "?" if out of range */
const char *ilp_obj_type_name(unsigned type);

/*
 * What a call counts as on its object: the cells of the findings' ledger
 * (src/detect/ledger.c).  Every call counted on an object is in exactly
 * one category: data calls by direction (stream or positioned), then
 * sync, open, stat, close, and the rest.
 */
enum ilp_io_cat {
	ILP_IO_OPEN,		/* open/openat/creat (failed ones too, by path) */
	ILP_IO_STAT,		/* fstat and stat-by-path */
	ILP_IO_CLOSE,
	ILP_IO_SREAD,		/* stream reads: read, readv, recvfrom... */
	ILP_IO_SWRITE,		/* stream writes */
	ILP_IO_POS,		/* positioned reads and writes: pread64, pwrite64... */
	ILP_IO_SYNC,		/* fsync, fdatasync, sync_file_range */
	ILP_IO_OTHER,		/* lseek, fcntl, ioctl, connect, fchown... */
	ILP_IO_NCATS
};
/* the category of a call of class cls (ilp_syscall_class) on its object */
int ilp_io_cat(unsigned cls);

/* Per-object I/O counters; every time is wall-clock time inside the calls. */
struct ilp_io_stats {
	uint64_t ops, total_ns, errors;		/* every completed call on the object */
	/* per category: calls and their wall share (the ns of the wall time
	 * the calls had to themselves, model_share.c); share_ns: all of them */
	uint64_t cat_calls[ILP_IO_NCATS], cat_share[ILP_IO_NCATS], share_ns;
	uint64_t reads, writes;			/* data calls, positioned ones included */
	uint64_t rbytes, wbytes;		/* bytes moved (sum of positive returns) */
	uint64_t read_ns, write_ns;
	uint64_t syncs, sync_ns;		/* fsync, fdatasync, sync_file_range */
	uint64_t opens, open_ns;		/* open/openat/creat (failed ones too, by path) */
	uint64_t stats, stat_ns;		/* fstat and stat-by-path */
	uint64_t closes, close_ns;
	uint64_t others, other_ns;		/* lseek, fcntl, ioctl, connect, ... */
	/* stream data calls (not positioned): the unbuffered detector */
	uint64_t sreads, swrites, srbytes, swbytes, sread_ns, swrite_ns;
	int sread_nr, swrite_nr;		/* the syscall of most stream reads / writes */
	uint64_t sread_vote, swrite_vote;	/* (Boyer-Moore majority vote; internal) */
	/* positioned data calls (pread64, pwrite64, preadv...): the random detector */
	uint64_t pops, pops_random, pbytes, pos_ns;
	/* request/response: a read returning data right after a write on the object */
	uint64_t round_trips, rt_wait_ns, rt_share;
	int rt_nr;				/* syscall of the last read closing a round trip */
	int client;				/* first data call on it was a write (and not accepted) */
	int accepted;				/* the object came from accept/accept4 */
	/* request/response over two objects: a stream read returning data on
	 * this object by a thread whose previous stream data call was a write
	 * on another object (the request): the N+1 detector's pair case */
	uint64_t pair_trips, pair_wait_ns, pair_share;
	int pair_nr;				/* syscall of the last read closing a pair */
	int pair_first;				/* the first read returning data here closed a pair */
	int pair_multi;				/* requests went to more than one other object */
	const struct ilp_fdobj *pair_req;	/* the request object of the first pair */
	uint64_t first_sync_ts, last_sync_ts;	/* exit times of the first and last sync */
	struct ilp_hist *lat;			/* latency of every call */
	struct ilp_hist *rsize, *wsize;		/* bytes per stream read / write (NULL: none) */
	struct ilp_hist *psize;			/* bytes per positioned call (NULL: none) */
};

struct ilp_model;
struct ilp_proc;
struct ilp_fdproc;	/* one process's fd table and objects */
struct ilp_fdobj;

/* The process's fd state (model.c), NULL if it never touched an fd. */
const struct ilp_fdproc *ilp_proc_fds(const struct ilp_proc *p);

/* Objects with at least one call, by total time desc (after ilp_model_index). NULL-safe. */
size_t ilp_fdproc_nobjs(const struct ilp_fdproc *f);
const struct ilp_fdobj *ilp_fdproc_obj(const struct ilp_fdproc *f, size_t i);
/*
 * The calls on objects past the first ILP_FDOBJ_MAX of the process and on
 * fds opened past ILP_FD_SPARSE_MAX, counted together on one object (not
 * among ilp_fdproc_obj's, so no detector takes it for one object), or NULL
 * if the process stayed under both caps.  *nobjs: distinct objects folded
 * in (*exact 0: at least that many), *nfds: fds opened past the fd cap.
 */
const struct ilp_fdobj *ilp_fdproc_more(const struct ilp_fdproc *f, uint64_t *nobjs, int *exact,
					uint64_t *nfds);
/* the object fd currently refers to (NULL: not open, or open with nothing known) */
const struct ilp_fdobj *ilp_fdproc_fd(const struct ilp_fdproc *f, int fd);
/* the object the last ilp_fdm_call of the process counted its call on (the
 * one its fd argument named then, even if the call closed it); NULL if that
 * call took no fd */
const struct ilp_fdobj *ilp_fdproc_call_obj(const struct ilp_fdproc *f);
/*
 * 1 once after ilp_fdm_info renamed the socket of a connect/bind/listen
 * (thread tid, entered at enter_ts) from *from to *to, so that whoever kept
 * the call with its object (ilp_fdproc_call_obj) can name the peer; else 0.
 */
int ilp_fdproc_take_rename(struct ilp_fdproc *f, int *tid, uint64_t *enter_ts,
			   const struct ilp_fdobj **from, const struct ilp_fdobj **to);
/*
 * 1 once after a call that waited for the source's name (open, stat by
 * path...: thread tid, entered at enter_ts) was counted on *obj, so that
 * whoever kept the call learns where its time went; else 0.
 */
int ilp_fdproc_take_counted(struct ilp_fdproc *f, int *tid, uint64_t *enter_ts,
			    const struct ilp_fdobj **obj);
/* 1 if fd is open and close-on-exec, 0 if not, -1 if not open */
int ilp_fdproc_fd_cloexec(const struct ilp_fdproc *f, int fd);
/* the object of that type and description, any number of calls; NULL if none */
const struct ilp_fdobj *ilp_fdproc_find(const struct ilp_fdproc *f, unsigned type,
					const char *desc);

unsigned ilp_fdobj_type(const struct ilp_fdobj *o);	/* type | flags | ILP_OBJ_SRC(best source) */

/*
 * The other end of a pipe or socket, for naming the peer a thread waits
 * on (detect/peer.c).  A pipe's two ends are one object ("pipe:[ino]"):
 * which end each fd is comes from pipe() (fds[0] reads, fds[1] writes),
 * dup, fork, and the data calls made on it.
 */
/* ILP_END_READ, ILP_END_WRITE: vocab.h */
/* the ends the process held or used (ILP_END_*) */
unsigned ilp_fdobj_ends(const struct ilp_fdobj *o);
/* the last thread of the process that wrote data on it, 0 if none */
int ilp_fdobj_writer_tid(const struct ilp_fdobj *o);
/* socketpair(): the other socket of the pair, NULL if none known */
const struct ilp_fdobj *ilp_fdobj_pair(const struct ilp_fdobj *o);
/* the peer the system named for o, outside the trace (ilp_model_name_peers),
 * NULL if none */
const struct ilp_peer *ilp_fdobj_peer(const struct ilp_fdobj *o);

/*
 * Asks fn (peer.h: ilp_peer_lookup reads /proc) for the process at the
 * other end of each pipe or socket a thread has been blocked reading, at
 * now_ts (the events' clock), for at least half the --slow threshold (50 ms
 * by default), once per object, and keeps the answer.  Call after each
 * drain, while the processes live.  0 or -ENOMEM.
 */
int ilp_model_name_peers(struct ilp_model *m, uint64_t now_ts, ilp_peer_fn fn, void *ctx);
const char *ilp_fdobj_desc(const struct ilp_fdobj *o);
/* the only thread that did calls on it, 0 if several */
int ilp_fdobj_tid(const struct ilp_fdobj *o);
const struct ilp_io_stats *ilp_fdobj_stats(const struct ilp_fdobj *o);
/* "file /tmp/x", "tcp 127.0.0.1:5 -> 127.0.0.1:6", "fd 3 (unresolved)" */
int ilp_fdobj_format(const struct ilp_fdobj *o, char *buf, size_t size);

/* ---- hooks for model.c only ---- */
struct ilp_fdm;		/* per model: syscall numbers looked up once */

struct ilp_fdm *ilp_fdm_new(void);
void ilp_fdm_free(struct ilp_fdm *fdm);
void ilp_fdproc_free(struct ilp_fdproc *f);

/* A completed call of process *fp (allocated on first need), share its wall
 * share: 0 or -ENOMEM */
int ilp_fdm_call(const struct ilp_fdm *fdm, struct ilp_fdproc **fp, int tid, int nr,
		 const uint64_t args[6], int64_t ret, uint64_t enter_ts, uint64_t exit_ts,
		 uint64_t share);
int ilp_fdm_info(const struct ilp_fdm *fdm, struct ilp_fdproc **fp, const struct ilp_event *ev);
/* thread tid of the process exited: its loop tracking ends (0 or -ENOMEM) */
int ilp_fdm_thread_exit(struct ilp_fdproc *f, int tid);
/* the peer of the object fd refers to, asked of fn once (ilp_model_name_peers) */
int ilp_fdm_name_peer(struct ilp_fdproc *f, int pid, int fd, ilp_peer_fn fn, void *ctx);
/* fork: child's table becomes a copy of parent's (parent NULL: nothing) */
int ilp_fdm_fork(const struct ilp_fdproc *parent, struct ilp_fdproc **child);
void ilp_fdm_exec(struct ilp_fdproc *f);
/* commits pending state, builds the sorted view (final: the trace is over,
 * runs of loops end): 0 or -ENOMEM */
int ilp_fdm_index(struct ilp_fdproc *f, int final);

#endif
