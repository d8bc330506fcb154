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

/**
 * ilp_name_src_name - the name of where an object's name came from
 * @type: an object's type | flags (ilp_fdobj_type), its source included
 *
 * Returns a static string: "call", "kernel", "proc", "arg", "lost",
 * "unresolved" (an unresolved fd whose name was not lost: no name at all),
 * or "unknown" (ILP_NAME_SRC_NONE, or out of range).
 */
const char *ilp_name_src_name(unsigned type);

/**
 * ilp_obj_type_name - the name of an object type
 * @type: an object's type (flags ignored)
 *
 * Returns a static string: "file", "tcp", ...; "?" if out of range.
 */
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
/**
 * ilp_io_cat - the category a call counts in on its object
 * @cls: the call's class (ilp_syscall_class)
 *
 * Data calls first (positioned, else stream read or write), then sync,
 * open, stat, close; the rest is other.
 *
 * Returns an enum ilp_io_cat (never ILP_IO_NCATS).
 */
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
	int client;				/* it asks: outbound, or (its side not known)
						 * the first data call seen was a write and
						 * it did not come from accept */
	int accepted;				/* it came from accept/accept4, or the kernel's
						 * socket table had its local address listening
						 * (ILP_OBJ_F_ACCEPTED): the server's side */
	int outbound;				/* the process connected it, or the kernel's
						 * socket table said so (ILP_OBJ_F_OUTBOUND):
						 * the client's side */
	/* request/response over two objects: a stream read returning data on
	 * this object by a thread whose previous stream data call was a write
	 * on another object (the request): the N+1 detector's pair case */
	uint64_t pair_trips, pair_wait_ns, pair_share;
	int pair_nr;				/* syscall of the last read closing a pair */
	int pair_first;				/* the first read returning data here closed a pair */
	int pair_multi;				/* requests went to more than one other object */
	const struct ilp_fdobj *pair_req;	/* the request object of the first pair */
	uint64_t first_sync_ts, last_sync_ts;	/* exit times of the first and last sync */
	uint64_t requests;			/* of ops: io_uring requests, counted as the
						 * call they stand for (ilp_fdm_request) */
	struct ilp_hist *lat;			/* latency of every call */
	struct ilp_hist *rsize, *wsize;		/* bytes per stream read / write (NULL: none) */
	struct ilp_hist *psize;			/* bytes per positioned call (NULL: none) */
};

struct ilp_model;
struct ilp_proc;
struct ilp_fdproc;	/* one process's fd table and objects */
struct ilp_fdobj;

/**
 * ilp_proc_fds - a process's fd state
 * @p: the process (model.c)
 *
 * Returns its fd table and objects, owned by the model; NULL if it never
 * touched an fd (every ilp_fdproc_* accessor below that says so takes
 * NULL).
 */
const struct ilp_fdproc *ilp_proc_fds(const struct ilp_proc *p);

/**
 * ilp_fdproc_nobjs - how many objects a process made calls on
 * @f: the process's fd state; may be NULL
 *
 * Returns the objects with at least one call as of the last
 * ilp_model_index(); 0 for NULL.
 */
size_t ilp_fdproc_nobjs(const struct ilp_fdproc *f);

/**
 * ilp_fdproc_obj - the i-th object, by total time descending
 * @f: the process's fd state (indexed); may be NULL
 * @i: the index, < ilp_fdproc_nobjs()
 *
 * Ties: more calls first, then creation order.
 *
 * Returns the object, owned by the model (objects live as long as it);
 * NULL if i is out of range.
 */
const struct ilp_fdobj *ilp_fdproc_obj(const struct ilp_fdproc *f, size_t i);

/**
 * ilp_fdproc_more - the calls past the process's caps
 * @f: the process's fd state; may be NULL
 * @nobjs: set to the distinct objects folded in (when it returns non-NULL)
 * @exact: set to 0 when *nobjs is a lower bound (at least that many), else 1
 * @nfds: set to the fds opened past ILP_FD_SPARSE_MAX
 *
 * The calls on objects past the first ILP_FDOBJ_MAX of the process and on
 * fds opened past ILP_FD_SPARSE_MAX are counted together on one object,
 * not among ilp_fdproc_obj()'s, so no detector takes it for one object.
 *
 * Returns that object, owned by the model; NULL if the process stayed
 * under both caps (the outputs are then not set).
 */
const struct ilp_fdobj *ilp_fdproc_more(const struct ilp_fdproc *f, uint64_t *nobjs, int *exact,
					uint64_t *nfds);

/**
 * ilp_fdproc_fd - the object an fd refers to now
 * @f: the process's fd state; may be NULL
 * @fd: the fd
 *
 * Returns the object, owned by the model; NULL if fd is not open, or open
 * with nothing known of it.
 */
const struct ilp_fdobj *ilp_fdproc_fd(const struct ilp_fdproc *f, int fd);

/**
 * ilp_fdproc_call_obj - the object the process's last fd call counted on
 * @f: the process's fd state; may be NULL
 *
 * The object the fd argument of the last ilp_fdm_call() of the process
 * named then, even if the call closed it.
 *
 * Returns the object, owned by the model; NULL if that call took no fd.
 */
const struct ilp_fdobj *ilp_fdproc_call_obj(const struct ilp_fdproc *f);

/**
 * ilp_fdproc_take_rename - takes the last rename of a socket, once
 * @f: the process's fd state; may be NULL
 * @tid: set to the thread of the connect/bind/listen
 * @enter_ts: set to when that call entered
 * @from: set to the object the socket was
 * @to: set to the object it is now
 *
 * After ilp_fdm_info() renamed the socket of a connect/bind/listen, so
 * that whoever kept the call with its object (ilp_fdproc_call_obj) can
 * name the peer.  The outputs are set only when it returns 1.
 *
 * Returns 1 the first time after such a rename, else 0.
 */
int ilp_fdproc_take_rename(struct ilp_fdproc *f, int *tid, uint64_t *enter_ts,
			   const struct ilp_fdobj **from, const struct ilp_fdobj **to);

/**
 * ilp_fdproc_take_counted - takes the last call counted late, once
 * @f: the process's fd state; may be NULL
 * @tid: set to the call's thread
 * @enter_ts: set to when it entered
 * @obj: set to the object it was counted on
 *
 * After a call that waited for the source's name (open, stat by path...)
 * was counted on its object, so that whoever kept the call learns where
 * its time went.  The outputs are set only when it returns 1.
 *
 * Returns 1 the first time after such a call was counted, else 0.
 */
int ilp_fdproc_take_counted(struct ilp_fdproc *f, int *tid, uint64_t *enter_ts,
			    const struct ilp_fdobj **obj);

/**
 * ilp_fdproc_fd_cloexec - tells whether an fd is close-on-exec
 * @f: the process's fd state; may be NULL
 * @fd: the fd
 *
 * Returns 1 if fd is open and close-on-exec, 0 if open and not, -1 if not
 * open.
 */
int ilp_fdproc_fd_cloexec(const struct ilp_fdproc *f, int fd);

/**
 * ilp_fdproc_find - an object by type and description
 * @f: the process's fd state; may be NULL
 * @type: the object's type (flags ignored)
 * @desc: its description ("/tmp/x", "127.0.0.1:5 -> 127.0.0.1:6")
 *
 * Finds objects with any number of calls, even none.
 *
 * Returns the object, owned by the model; NULL if none.
 */
const struct ilp_fdobj *ilp_fdproc_find(const struct ilp_fdproc *f, unsigned type,
					const char *desc);

/**
 * ilp_fdobj_type - an object's type
 * @o: the object
 *
 * Returns its type | flags | ILP_OBJ_SRC(the best source of its name).
 */
unsigned ilp_fdobj_type(const struct ilp_fdobj *o);

/*
 * The other end of a pipe or socket, for naming the peer a thread waits
 * on (detect/peer.c).  A pipe's two ends are one object ("pipe:[ino]"):
 * which end each fd is comes from pipe() (fds[0] reads, fds[1] writes),
 * dup, fork, and the data calls made on it.
 */

/**
 * ilp_fdobj_ends - which ends of a pipe or socket the process had
 * @o: the object
 *
 * Returns the ends the process held or used: ILP_END_READ | ILP_END_WRITE
 * (vocab.h), 0 if unknown.
 */
unsigned ilp_fdobj_ends(const struct ilp_fdobj *o);

/**
 * ilp_fdobj_writer_tid - who wrote on an object last
 * @o: the object
 *
 * Returns the last thread of the process that wrote data on it, 0 if none.
 */
int ilp_fdobj_writer_tid(const struct ilp_fdobj *o);

/**
 * ilp_fdobj_pair - a socketpair's other socket
 * @o: the object
 *
 * Returns the other socket of the pair (owned by the model), NULL if none
 * is known.
 */
const struct ilp_fdobj *ilp_fdobj_pair(const struct ilp_fdobj *o);

/**
 * ilp_fdobj_peer - the process at the other end, as the system named it
 * @o: the object
 *
 * Found outside the trace (ilp_model_name_peers), from /proc.
 *
 * Returns the peer, inside o; NULL if none was found.
 */
const struct ilp_peer *ilp_fdobj_peer(const struct ilp_fdobj *o);

/**
 * ilp_model_name_peers - asks who is at the other end of the long reads
 * @m: the model
 * @now_ts: now, on the events' clock
 * @fn: the namer (peer.h: ilp_peer_lookup reads /proc)
 * @ctx: passed to fn
 *
 * For each pipe or socket a live thread has been blocked reading for at
 * least half the --slow threshold (50 ms by default, and with --slow 0)
 * at now_ts, fn is asked for the process at the other end, once per
 * object (again later if it says -EAGAIN), and the answer is kept
 * (ilp_fdobj_peer).  Call after each drain, while the processes live.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_model_name_peers(struct ilp_model *m, uint64_t now_ts, ilp_peer_fn fn, void *ctx);

/**
 * ilp_fdobj_desc - an object's description
 * @o: the object
 *
 * Returns the description without its type ("/tmp/x", "fd 3 (unresolved)"),
 * inside o.
 */
const char *ilp_fdobj_desc(const struct ilp_fdobj *o);

/**
 * ilp_fdobj_same_desc - whether two objects have the same description
 * @a: an object
 * @b: another
 *
 * The descriptions alone, whatever the types ("/d" as a file and as a
 * directory is one name); a hash of each, kept with the object, is
 * compared first (the loop model asks this per step).
 *
 * Returns 1 if ilp_fdobj_desc(a) and ilp_fdobj_desc(b) are equal, else 0.
 */
int ilp_fdobj_same_desc(const struct ilp_fdobj *a, const struct ilp_fdobj *b);

/**
 * ilp_fdobj_tid - the one thread that used an object
 * @o: the object
 *
 * Returns the only thread that did calls on it, 0 if several did.
 */
int ilp_fdobj_tid(const struct ilp_fdobj *o);

/**
 * ilp_fdobj_stats - an object's I/O counters
 * @o: the object
 *
 * Returns the counters, inside o.
 */
const struct ilp_io_stats *ilp_fdobj_stats(const struct ilp_fdobj *o);

/**
 * ilp_fdobj_format - an object's name as the reports show it
 * @o: the object
 * @buf: where the text goes (the caller's)
 * @size: bytes at buf, the NUL included
 *
 * "file /tmp/x", "tcp 127.0.0.1:5 -> 127.0.0.1:6", with ILP_OBJ_ARG_MARK
 * after a name taken from a call's argument; an unresolved fd or the
 * "more" object is its description alone ("fd 3 (unresolved)").
 *
 * Returns what snprintf returns.
 */
int ilp_fdobj_format(const struct ilp_fdobj *o, char *buf, size_t size);

/* ---- hooks for model.c only ---- */
struct ilp_fdm;		/* per model: syscall numbers looked up once */

/**
 * ilp_fdm_new - makes the per-model part of the fd model
 *
 * Looks up the syscall numbers the fd model cares about, once.
 *
 * Returns it, to free with ilp_fdm_free(), or NULL on ENOMEM.
 */
struct ilp_fdm *ilp_fdm_new(void);

/**
 * ilp_fdm_free - frees the per-model part
 * @fdm: it; NULL is a no-op
 */
void ilp_fdm_free(struct ilp_fdm *fdm);

/**
 * ilp_fdproc_free - frees a process's fd state, objects and loops
 * @f: the fd state; NULL is a no-op
 *
 * Every object and loop got from it is dangling afterwards.
 */
void ilp_fdproc_free(struct ilp_fdproc *f);

/**
 * ilp_fdm_call - one completed call of a process
 * @fdm: the per-model part
 * @fp: the process's fd state; *fp NULL: allocated on first need (the
 *	caller owns it, to free with ilp_fdproc_free())
 * @tid: the calling thread
 * @nr: the syscall
 * @cls: its ilp_syscall_class(nr) (the caller has it already)
 * @args: its six arguments, copied
 * @ret: its return value
 * @enter_ts: when it entered
 * @exit_ts: when it returned
 * @share: its wall share, ns
 *
 * Counts the call on the object its fd argument names and applies what it
 * does to the fd table (open, dup, close, fcntl...); a call that creates
 * or names an fd waits for the source's FD_INFO (ilp_fdm_info) until the
 * next call or info of the process.  A call not about fds costs nothing.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_fdm_call(const struct ilp_fdm *fdm, struct ilp_fdproc **fp, int tid, int nr,
		 unsigned cls, const uint64_t args[6], int64_t ret, uint64_t enter_ts,
		 uint64_t exit_ts, uint64_t share);

/**
 * ilp_fdm_request - one completed io_uring request of a process
 * @fdm: the per-model part
 * @fp: the process's fd state; *fp NULL: allocated (the caller owns it)
 * @tid: the submitting thread
 * @nr: the syscall it stands for (read, write, fsync...)
 * @fd: its fd
 * @res: its result
 * @submit_ts: when it was submitted
 * @complete_ts: when it completed
 *
 * Counted on the fd's object as the call nr would be (ilp_fdm_call), with
 * no wall share (the thread waits in io_uring_enter, counted there), and
 * in the object's requests.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_fdm_request(const struct ilp_fdm *fdm, struct ilp_fdproc **fp, int tid, int nr, int fd,
		    int64_t res, uint64_t submit_ts, uint64_t complete_ts);

/**
 * ilp_fdproc_add_share - gives an object's cell wall share taken from another call
 * @f: the process's fd state
 * @o: one of its objects
 * @cat: the cell (enum ilp_io_cat)
 * @ns: the share, ns: the caller counted it on no other object
 *
 * The io_uring requests an io_uring_enter call waited for get that call's
 * share (model.c): what a fix of theirs would save.
 */
void ilp_fdproc_add_share(struct ilp_fdproc *f, const struct ilp_fdobj *o, int cat, uint64_t ns);

/**
 * ilp_fdm_info - what the source knows of an fd
 * @fdm: the per-model part
 * @fp: the process's fd state; *fp NULL: allocated (the caller owns it)
 * @ev: an ILP_EV_FD_INFO event; its string is copied
 *
 * Binds the fd to the object (type, str), by the rules at the top of this
 * file: completes the call that waited for it, or (the attach scan, a
 * second name) replaces the fd's name only with one as trusted or more.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_fdm_info(const struct ilp_fdm *fdm, struct ilp_fdproc **fp, const struct ilp_event *ev);

/**
 * ilp_fdm_thread_exit - a thread of the process exited
 * @f: the process's fd state; may be NULL
 * @tid: the thread
 *
 * Its loop tracking ends (ilp_loopt_retire): its last call counted first,
 * the tracker freed if it holds no loop.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_fdm_thread_exit(struct ilp_fdproc *f, int tid);

/**
 * ilp_fdm_name_peer - asks for the peer of the object an fd refers to
 * @f: the process's fd state; may be NULL
 * @pid: the process
 * @fd: the fd a thread is blocked reading
 * @fn: the namer (peer.h)
 * @ctx: passed to fn
 *
 * Only pipes and sockets (and unresolved fds), once per object: fn's
 * -EAGAIN asks again later, any other answer is final.
 *
 * Returns 0, or -ENOMEM when fn says so.
 */
int ilp_fdm_name_peer(struct ilp_fdproc *f, int pid, int fd, ilp_peer_fn fn, void *ctx);

/**
 * ilp_fdm_fork - a fork: the child's table becomes a copy of the parent's
 * @parent: the parent's fd state; NULL: nothing to copy
 * @child: the child's; *child NULL: allocated (the caller owns it)
 *
 * Each open fd with its object (interned in the child), close-on-exec
 * flag, pipe end and socketpair partner.
 *
 * Returns 0 or -ENOMEM (the child's table then partly copied).
 */
int ilp_fdm_fork(const struct ilp_fdproc *parent, struct ilp_fdproc **child);

/**
 * ilp_fdm_exec - an exec: the fds marked close-on-exec are closed
 * @f: the process's fd state; NULL is a no-op
 */
void ilp_fdm_exec(struct ilp_fdproc *f);

/**
 * ilp_fdm_index - builds the process's sorted views
 * @f: the process's fd state; NULL is a no-op
 * @final: the trace is over: runs of loops end
 *
 * Commits the call still waiting for a name, sorts the objects with calls
 * by total time, and lists every thread's loops (their runs in progress
 * counted).
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_fdm_index(struct ilp_fdproc *f, int final);

/**
 * ilp_fdm_reset - a new window (ilp_model_reset_stats)
 * @f: the process's fd state; NULL is a no-op
 *
 * The call still waiting for a name is committed (it belongs to the
 * window that ends), then every object's counters start again from 0:
 * calls, times, bytes, histograms, round trips, syncs, the thread(s) that
 * made its calls, and its loops' iterations (ilp_loopt_reset).  What the
 * model knows stays: the fd table, the objects and their names, what an
 * object is (accepted, client, which pipe ends, its peer and socketpair
 * partner, where the next positioned call is expected) and each thread's
 * last data call.  The objects with no call since are out of the view.
 *
 * Returns 0 or -ENOMEM (committing the pending call).
 */
int ilp_fdm_reset(struct ilp_fdproc *f);

#endif
