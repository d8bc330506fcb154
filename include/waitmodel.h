/* SPDX-License-Identifier: MIT */
#ifndef ILP_WAITMODEL_H
#define ILP_WAITMODEL_H

/*
 * Where the waiting happens below the syscall: off-CPU time inside calls
 * (model_sched.c), block requests (model_block.c), futex and kernel lock
 * contention (model_lock.c).  Pure C, no I/O: fed by model.c from the same
 * event stream; read after ilp_model_index() through the accessors below.
 *
 * Names (device "vda", lock "hot_lock") are facts the model cannot know:
 * the capture asks its resolvers for them (ilp_wait_name_objects) and the
 * model keeps the strings.
 */

#include <stddef.h>
#include <stdint.h>

#include "hist.h"
#include "vocab.h"

struct ilp_model;
struct ilp_proc;
struct ilp_wproc;	/* one process's waiting: blocking calls, locks, I/O */

/* What a blocking call waited on. */
enum ilp_wobj_kind {
	ILP_WOBJ_NONE = 0,	/* nothing known: "-" */
	ILP_WOBJ_FD,		/* obj = fd (args[0] of an fd call) */
	ILP_WOBJ_FUTEX,		/* obj = futex address */
	ILP_WOBJ_TIMER,		/* nanosleep, clock_nanosleep */
	ILP_WOBJ_CHILD,		/* wait4, waitid: obj = pid argument */
};

/* sched_switch prev_state classes for time off the CPU */
enum ilp_off_state {
	ILP_OFF_S,		/* interruptible sleep: waiting for an event (pipe, socket, futex, timer) */
	ILP_OFF_D,		/* uninterruptible: usually disk I/O */
	ILP_OFF_R,		/* runnable: preempted, or woken and waiting for a CPU */
	ILP_OFF_NSTATES
};

/* ---- blocking calls (model_sched.c) ---- */

/* Per syscall of a process: calls that went off the CPU at least once. */
struct ilp_sc_offcpu {
	int nr;
	uint64_t calls;		/* every completed call of nr (from the model) */
	uint64_t total_ns;	/* their wall-clock time */
	uint64_t blocked_calls;	/* calls with some off-CPU time */
	uint64_t on_ns;		/* total_ns - off-CPU time */
	uint64_t off_ns[ILP_OFF_NSTATES];
};

/* Calls aggregated by (thread, syscall, object), off-CPU time only. */
struct ilp_blocking {
	int tid;
	int nr;
	int okind;		/* enum ilp_wobj_kind */
	uint64_t obj;
	uint32_t dev;		/* last block device the thread's I/O went to in such a call, 0 */
	const struct ilp_fdobj *fobj;	/* ILP_WOBJ_FD: what the fd was at the calls (an fd
					 * closed and reopened is another row), NULL if unknown */
	uint64_t calls;
	uint64_t wall_ns, max_ns;
	uint64_t off_ns[ILP_OFF_NSTATES];
	const char *wfunc;	/* --sleep-stacks: the kernel function the calls slept
				 * in longest (ksleep.h), NULL: unknown */
	const char *wreason;	/* its reason in plain words, NULL: none known */
};

/* One call at or above the slow threshold. */
struct ilp_slow_call {
	int tid;
	int nr;
	int okind;
	uint64_t obj;
	uint32_t dev;
	int64_t ret;
	uint64_t start_ts;	/* enter, ns CLOCK_MONOTONIC */
	uint64_t wall_ns;
	uint64_t share_ns;	/* its wall share (ilp_proc_share_ns) */
	uint64_t off_ns[ILP_OFF_NSTATES];
	const struct ilp_fdobj *fobj;	/* ILP_WOBJ_FD: what the fd was at the call, NULL if unknown */
	const struct ilp_fdobj *cobj;	/* the object its time was counted on: fobj, or for a
					 * call naming a path (open, stat) that path's object;
					 * NULL: none (the process's other calls) */
	uint32_t ksid;			/* the model's: its longest sleep's stack */
	const char *wfunc;		/* --sleep-stacks: where it slept longest, NULL: unknown */
	const char *wreason;		/* its reason in plain words, NULL: none known */
};

#define ILP_SLOW_DEFAULT_NS 100000000ull	/* --slow default: 100 ms */
#define ILP_SLOW_MAX 1000		/* slow calls kept per process; more are counted */
#define ILP_SET_MAX 8			/* tids kept per waiter/waker set; more are counted */

/**
 * ilp_model_set_slow - sets the slow-call threshold (--slow)
 * @m: the model
 * @ns: calls at least this long are kept as slow calls (at most
 *	ILP_SLOW_MAX per process); 0: none kept
 *
 * The default is ILP_SLOW_DEFAULT_NS.  Set it before feeding.
 */
void ilp_model_set_slow(struct ilp_model *m, uint64_t ns);

/**
 * ilp_model_slow - the slow-call threshold
 * @m: the model
 *
 * Returns it in ns (0: no slow calls kept).
 */
uint64_t ilp_model_slow(const struct ilp_model *m);

/**
 * ilp_proc_wait - a process's waiting
 * @p: the process
 *
 * Every ilp_wproc_*() accessor takes NULL (0 or NULL back).
 *
 * Returns its wait data, inside the model, or NULL if it never waited
 * off-CPU, on a lock or on a disk.
 */
const struct ilp_wproc *ilp_proc_wait(const struct ilp_proc *p);

/**
 * ilp_wproc_noffcpu - how many syscalls of the process went off-CPU
 * @w: the process's wait data; NULL: 0
 *
 * Returns the number of rows of ilp_wproc_offcpu() (after
 * ilp_model_index()).
 */
size_t ilp_wproc_noffcpu(const struct ilp_wproc *w);

/**
 * ilp_wproc_offcpu - a syscall's off-CPU time
 * @w: the process's wait data; NULL: NULL
 * @i: the row, by off-CPU time descending
 *
 * Returns the row, inside the model, valid until the model is fed, indexed
 * again or freed; NULL if i is out of range.
 */
const struct ilp_sc_offcpu *ilp_wproc_offcpu(const struct ilp_wproc *w, size_t i);

/**
 * ilp_wproc_nblocking - how many blocking-call rows the process shows
 * @w: the process's wait data; NULL: 0
 *
 * Returns the number of rows of ilp_wproc_blocking().
 */
size_t ilp_wproc_nblocking(const struct ilp_wproc *w);

/**
 * ilp_wproc_blocking - blocking calls aggregated by (thread, syscall, object)
 * @w: the process's wait data; NULL: NULL
 * @i: the row, by off-CPU S+D time descending
 *
 * Returns the row, inside the model, valid until the model is fed, indexed
 * again or freed; NULL if i is out of range.
 */
const struct ilp_blocking *ilp_wproc_blocking(const struct ilp_wproc *w, size_t i);

/**
 * ilp_wproc_nslow - how many slow calls the process keeps
 * @w: the process's wait data; NULL: 0
 *
 * Returns the number kept, at most ILP_SLOW_MAX (the others are counted
 * by ilp_wproc_slow_dropped()).
 */
size_t ilp_wproc_nslow(const struct ilp_wproc *w);

/**
 * ilp_wproc_slow - a slow call
 * @w: the process's wait data; NULL: NULL
 * @i: which, by start time
 *
 * Returns the call, inside the model, valid until the model is fed, indexed
 * again or freed; NULL if i is out of range.
 */
const struct ilp_slow_call *ilp_wproc_slow(const struct ilp_wproc *w, size_t i);

/**
 * ilp_wproc_slow_dropped - slow calls past ILP_SLOW_MAX
 * @w: the process's wait data; NULL: 0
 *
 * Returns how many slow calls were counted but not kept.
 */
uint64_t ilp_wproc_slow_dropped(const struct ilp_wproc *w);

/* ---- user locks: futexes (model_lock.c) ---- */

/*
 * futex(2) op, with FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256)
 * masked off.  Waits: WAIT 0, WAIT_BITSET 9, LOCK_PI 6, LOCK_PI2 13,
 * WAIT_REQUEUE_PI 11.  Wakes: WAKE 1, WAKE_BITSET 10, UNLOCK_PI 7, WAKE_OP 5,
 * REQUEUE 3, CMP_REQUEUE 4 (and CMP_REQUEUE_PI 12).
 */
enum ilp_futex_class {
	ILP_FUTEX_OTHER = 0,
	ILP_FUTEX_WAIT,		/* the caller sleeps until woken or timed out */
	ILP_FUTEX_WAKE,		/* the caller wakes waiters on uaddr */
};
/**
 * ilp_futex_op_class - what a futex(2) op is
 * @op: the op argument (FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME are
 *	masked off)
 * @kind: set to the enum ilp_ulock_kind the op tells; may be NULL
 *
 * Returns the enum ilp_futex_class: ILP_FUTEX_WAIT, ILP_FUTEX_WAKE, or
 * ILP_FUTEX_OTHER (TRYLOCK_PI, FD...).
 */
int ilp_futex_op_class(uint64_t op, int *kind);

/**
 * ilp_futex_call_class - what a futex(2) call is, op and word together
 * @args: the call's arguments (uaddr, op, val, ...)
 * @kind: set to the enum ilp_ulock_kind; may be NULL
 *
 * As ilp_futex_op_class(args[1]), but a FUTEX_WAIT while the word reads 0
 * (val) is an event wait, ILP_ULOCK_COND: no lock reads 0 while held
 * (glibc, musl, Rust and Go's runtime locks all mean "free" by it), an
 * event does (Go's runtime parks its threads so).
 *
 * Returns the enum ilp_futex_class.
 */
int ilp_futex_call_class(const uint64_t *args, int *kind);

/* What the futex ops used on an address tell about it. */
enum ilp_ulock_kind {
	ILP_ULOCK_WAIT,		/* FUTEX_WAIT: glibc mutex slow path (lowlevellock) or a plain wait */
	ILP_ULOCK_COND,		/* FUTEX_WAIT_BITSET: glibc condvar, semaphore, rwlock, barrier */
	ILP_ULOCK_PI,		/* LOCK_PI, LOCK_PI2: priority-inheritance mutex */
	ILP_ULOCK_REQUEUE_PI,	/* WAIT_REQUEUE_PI: condvar on a PI mutex */
	ILP_ULOCK_WAITV,	/* futex_waitv: the address is the waiter array */
	ILP_ULOCK_NKINDS
};
/**
 * ilp_ulock_kind_name - the name of a user lock kind
 * @kind: enum ilp_ulock_kind
 *
 * Returns "mutex", "cond/sem", "pi-mutex", "cond-pi" or "waitv" (static),
 * "?" for a value out of range.
 */
const char *ilp_ulock_kind_name(int kind);

/* a thread in a waiter/waker set, with how many times */
struct ilp_tidcount {
	int tid;
	uint64_t n;
};

struct ilp_ulock {
	uint64_t uaddr;
	int kind;			/* enum ilp_ulock_kind of the most frequent wait op */
	uint64_t waits;			/* wait calls that slept and were woken (ret 0) */
	uint64_t wait_ns, max_ns;	/* their wall time */
	uint64_t timeouts, timeout_ns;	/* ETIMEDOUT: slept the whole timeout */
	uint64_t sleep_share;		/* wall share of the waits and timeouts */
	uint64_t eagain;		/* EAGAIN: value changed before sleeping, no wait */
	uint64_t intr;			/* EINTR and other errors */
	uint64_t wake_calls;		/* FUTEX_WAKE-like calls on uaddr (woken or not) */
	uint64_t woken;			/* waiters those calls reported woken (sum of rets) */
	struct ilp_hist *hist;		/* wait time of waits + timeouts */
	struct ilp_tidcount waiters[ILP_SET_MAX];	/* by count desc */
	size_t nwaiters;
	uint64_t waiters_more;		/* waits by threads beyond the set */
	struct ilp_tidcount wakers[ILP_SET_MAX];	/* sched_waking of a waiter, by count desc */
	size_t nwakers;
	uint64_t wakers_more;
	struct ilp_tidcount wakecallers[ILP_SET_MAX];	/* threads calling FUTEX_WAKE on it */
	size_t nwakecallers;
	uint64_t wakecallers_more;
	const char *name;		/* "hot_lock", "[heap]+0x10"; NULL until named */
};

/*
 * Memory is bounded per process: ILP_ULOCK_MAX futex addresses are kept
 * apart (when the table is full, the addresses that never slept, wake-only
 * or EAGAIN ones, are let go first), ILP_KLOCK_MAX kernel lock addresses;
 * the calls on any further address are counted together in one record,
 * *_more (uaddr / addr 0, not among the listed ones), with how many
 * distinct addresses it holds (*exact 0: at least that many).  NULL if the
 * process stayed under the cap.
 */
#define ILP_ULOCK_MAX 4096u
#define ILP_KLOCK_MAX 4096u
/**
 * ilp_wproc_ulock_more - the futex addresses past ILP_ULOCK_MAX, together
 * @w: the process's wait data; NULL: NULL
 * @naddrs: set to how many distinct addresses the record holds (when it
 *	returns a record)
 * @exact: set to 1 when naddrs is exact, 0 when it is a lower bound
 *
 * Returns the record (uaddr 0), inside the model, valid until the model is fed, indexed
 * again or freed; NULL if the
 * process stayed under the cap (naddrs and exact untouched).
 */
const struct ilp_ulock *ilp_wproc_ulock_more(const struct ilp_wproc *w, uint64_t *naddrs,
					     int *exact);

/**
 * ilp_wproc_futex_calls - completed calls of the futex family
 * @w: the process's wait data; NULL: 0
 *
 * futex, futex_wait, futex_wake, futex_waitv, every op: what the lock
 * table accounts for.
 *
 * Returns their number.
 */
uint64_t ilp_wproc_futex_calls(const struct ilp_wproc *w);

/**
 * ilp_wproc_nulocks - how many user locks the process lists
 * @w: the process's wait data; NULL: 0
 *
 * Returns the number of locks with at least one wait attempt (the rows of
 * ilp_wproc_ulock()).
 */
size_t ilp_wproc_nulocks(const struct ilp_wproc *w);

/**
 * ilp_wproc_find_ulock - the user lock at an address
 * @w: the process's wait data; NULL: NULL
 * @uaddr: the futex address
 *
 * Returns the lock (listed or not), inside the model, valid until the model is fed, indexed
 * again or freed; NULL if
 * none is kept apart at uaddr.
 */
const struct ilp_ulock *ilp_wproc_find_ulock(const struct ilp_wproc *w, uint64_t uaddr);

/**
 * ilp_wproc_ulock - a user lock of the process
 * @w: the process's wait data; NULL: NULL
 * @i: the row, by sleeps (waits + timeouts) descending, then wait time
 *	descending
 *
 * Returns the lock, inside the model, valid until the model is fed, indexed
 * again or freed; NULL if i is out of range.
 */
const struct ilp_ulock *ilp_wproc_ulock(const struct ilp_wproc *w, size_t i);

/* ---- kernel locks: lock:contention_begin/end (model_lock.c) ---- */

struct ilp_klock {
	uint64_t addr;
	uint32_t flags;			/* LCB_F_*: SPIN 1, READ 2, WRITE 4, RT 8, PERCPU 16, MUTEX 32 */
	uint64_t waits, wait_ns, max_ns;
	uint64_t wait_share;		/* wall share of the waits inside syscalls, carved out of
					 * those calls' shares (a wait in a page fault has none) */
	uint64_t errors;		/* contention_end with ret != 0 */
	struct ilp_hist *hist;
	struct ilp_tidcount waiters[ILP_SET_MAX];
	size_t nwaiters;
	uint64_t waiters_more;
	const char *name;		/* kallsyms symbol, NULL if unknown */
};
/**
 * ilp_klock_type - the type of a kernel lock
 * @flags: its LCB_F_* flags
 *
 * Returns "mutex", "spinlock", "rwsem:read", ... (static).
 */
const char *ilp_klock_type(uint32_t flags);

/**
 * ilp_wproc_nklocks - how many kernel locks the process waited on
 * @w: the process's wait data; NULL: 0
 *
 * Only the locks with a wait since ilp_model_reset_stats() (if any), as of
 * the last ilp_model_index().
 *
 * Returns the number of rows of ilp_wproc_klock().
 */
size_t ilp_wproc_nklocks(const struct ilp_wproc *w);

/**
 * ilp_wproc_klock - a kernel lock the process waited on
 * @w: the process's wait data; NULL: NULL
 * @i: the row, by wait time descending (then address)
 *
 * Returns the lock, inside the model, valid until the model is fed, indexed
 * again or freed; NULL if i is out of range.
 */
const struct ilp_klock *ilp_wproc_klock(const struct ilp_wproc *w, size_t i);

/**
 * ilp_wproc_klock_more - the kernel lock addresses past ILP_KLOCK_MAX, together
 * @w: the process's wait data; NULL: NULL
 * @naddrs: set to how many distinct addresses the record holds (when it
 *	returns a record)
 * @exact: set to 1 when naddrs is exact, 0 when it is a lower bound
 *
 * Returns the record (addr 0), inside the model, valid until the model is fed, indexed
 * again or freed; NULL if the
 * process stayed under the cap (naddrs and exact untouched).
 */
const struct ilp_klock *ilp_wproc_klock_more(const struct ilp_wproc *w, uint64_t *naddrs,
					     int *exact);

/* ---- block I/O (model_block.c) ---- */

enum ilp_blk_op { ILP_BLK_READ, ILP_BLK_WRITE, ILP_BLK_FLUSH, ILP_BLK_DISCARD,
		  ILP_BLK_OTHER, ILP_BLK_NOPS };
/**
 * ilp_blk_op_of - the op of a block request
 * @rwbs: the kernel's rwbs text ("WS", "FWFS", "R"...)
 *
 * Returns the enum ilp_blk_op: DISCARD if it has a 'D', else WRITE for a
 * 'W', READ for an 'R', FLUSH for an 'F', else OTHER.
 */
int ilp_blk_op_of(const char *rwbs);

struct ilp_blk_stats {
	uint64_t requests;		/* completed */
	uint64_t bytes;
	uint64_t ops[ILP_BLK_NOPS];	/* requests per op */
	uint64_t op_bytes[ILP_BLK_NOPS];
	uint64_t errors;		/* completed with an error */
	struct ilp_hist *size;		/* bytes per request */
	struct ilp_hist *q2c;		/* queued (bio) or inserted -> complete, ns */
	struct ilp_hist *d2c;		/* issued to the device -> complete, ns */
};

/*
 * Writeback: a flusher's bios between writeback_single_inode_start and
 * writeback_single_inode are that inode's.  Who dirtied it is known when a
 * traced task dirtied a page of it (writeback_dirty_folio, in the task's
 * context) during the capture; data dirtied before the capture or by
 * untraced tasks is "untraced".  I/O by kernel threads outside such a
 * bracket (journal commits, metadata, swap) is neither.
 */
enum ilp_blk_wb {
	ILP_WB_NONE = 0,	/* not inode writeback by a kernel thread, or unknown */
	ILP_WB_TRACED,		/* written back for wb_pid: it dirtied inode wb_ino */
	ILP_WB_UNTRACED,	/* writeback of data no traced task dirtied */
};

/* Who submitted requests to a device. */
struct ilp_blk_submitter {
	int pid;			/* traced process; 0: not traced (comm says who) */
	char comm[16];			/* kernel thread or other task ("kworker/u4:1", "jbd2/vda-8") */
	int kernel;			/* comm looks like a kernel thread (kworker, jbd2, ...) */
	int wb;				/* enum ilp_blk_wb (pid 0 only) */
	int wb_pid;			/* ILP_WB_TRACED: the process that dirtied the data */
	char wb_comm[16];		/* its comm */
	uint64_t wb_ino;		/* ILP_WB_TRACED: the inode written back */
	int wb_shared;			/* other traced processes dirtied that inode too */
	struct ilp_blk_stats st;
};

struct ilp_blkdev;
/**
 * ilp_model_nblkdevs - how many block devices the capture saw
 * @m: the model
 *
 * Only the devices with something counted (requests, merges, requeues,
 * unmatched completions) since ilp_model_reset_stats() (if any), as of
 * the last ilp_model_index().
 *
 * Returns the number of devices (by bytes descending after
 * ilp_model_index()).
 */
size_t ilp_model_nblkdevs(const struct ilp_model *m);

/**
 * ilp_model_blkdev - a block device
 * @m: the model
 * @i: which, < ilp_model_nblkdevs()
 *
 * Returns the device, inside the model, valid until ilp_model_free(); NULL
 * if i is out of range.
 */
const struct ilp_blkdev *ilp_model_blkdev(const struct ilp_model *m, size_t i);

/**
 * ilp_model_find_blkdev - the block device with a dev_t
 * @m: the model
 * @dev: the kernel dev_t (major << 20 | minor)
 *
 * Returns the device, inside the model, or NULL if the capture saw none.
 */
const struct ilp_blkdev *ilp_model_find_blkdev(const struct ilp_model *m, uint32_t dev);

/**
 * ilp_blkdev_dev - a device's number
 * @d: the device (not NULL)
 *
 * Returns its kernel dev_t, major << 20 | minor.
 */
uint32_t ilp_blkdev_dev(const struct ilp_blkdev *d);

/**
 * ilp_blkdev_name - a device's name
 * @d: the device (not NULL)
 *
 * Returns "vda", a copy the model keeps, or NULL until it is named
 * (ilp_wait_name_objects()).
 */
const char *ilp_blkdev_name(const struct ilp_blkdev *d);

/**
 * ilp_blkdev_stats - a device's request statistics
 * @d: the device (not NULL)
 *
 * Returns the statistics of all its completed requests, inside the model.
 */
const struct ilp_blk_stats *ilp_blkdev_stats(const struct ilp_blkdev *d);

/**
 * ilp_blkdev_nsubmitters - how many submitters a device had
 * @d: the device (not NULL)
 *
 * Returns the number of rows of ilp_blkdev_submitter().
 */
size_t ilp_blkdev_nsubmitters(const struct ilp_blkdev *d);

/**
 * ilp_blkdev_submitter - who submitted requests to a device
 * @d: the device (not NULL)
 * @i: the row, by bytes descending
 *
 * Returns the submitter, inside the model, valid until the model is fed, indexed
 * again or freed; NULL if i is out of
 * range.
 */
const struct ilp_blk_submitter *ilp_blkdev_submitter(const struct ilp_blkdev *d, size_t i);

/**
 * ilp_blkdev_unmatched - completions never seen queued or issued
 * @d: the device (not NULL)
 *
 * Returns how many completions were of requests in flight at the start.
 */
uint64_t ilp_blkdev_unmatched(const struct ilp_blkdev *d);

/**
 * ilp_blkdev_requeues - requests the device requeued
 * @d: the device (not NULL)
 *
 * Returns their number.
 */
uint64_t ilp_blkdev_requeues(const struct ilp_blkdev *d);

/**
 * ilp_blkdev_merges - bios or requests merged
 * @d: the device (not NULL)
 *
 * Returns their number.
 */
uint64_t ilp_blkdev_merges(const struct ilp_blkdev *d);

/*
 * Individual requests, for timelines (perfetto): besides its aggregates the
 * model keeps, per device, the ILP_BLK_REQS_TOP completed requests with the
 * longest service time (ties: the earliest completed stays).  Service time
 * is issue -> complete, or (queue, else insert) -> complete when the issue
 * was not seen (start_ts says which).  Memory is fixed: two arrays of
 * ILP_BLK_REQS_TOP records per device (a min-heap and its sorted view),
 * allocated at the device's first matched completion; no allocation per
 * request; O(1) per request that is not among the slowest, O(log K) when
 * it is.  Unmatched completions (issued before tracing) are not kept.
 */
#define ILP_BLK_REQS_TOP 256	/* requests kept per device */

struct ilp_blk_req {
	uint64_t queue_ts;		/* bio queued (block_bio_queue), 0 if not seen */
	uint64_t insert_ts;		/* request inserted, 0 if not seen */
	uint64_t issue_ts;		/* issued to the device (last issue after a requeue), 0 */
	uint64_t complete_ts;
	uint64_t start_ts;		/* issue_ts, else queue_ts, else insert_ts */
	uint64_t dur_ns;		/* complete_ts - start_ts: the ranking key */
	uint64_t sector;
	uint32_t dev;
	uint32_t bytes;
	int op;				/* enum ilp_blk_op */
	char rwbs[8];			/* as the kernel printed it at completion */
	int error;			/* completion error (negative errno), 0 */
	int pid, tid;			/* traced submitter (process, thread); 0: not traced */
	char comm[16];			/* submitter: the process's comm, or the task's */
	int kernel;			/* untraced submitter that looks like a kernel thread */
	int wb_pid;			/* writeback for this traced process (pid 0 only), 0 */
};

/**
 * ilp_blkdev_nreqs - how many individual requests a device keeps
 * @d: the device (not NULL)
 *
 * Returns the number kept, at most ILP_BLK_REQS_TOP (after
 * ilp_model_index()).
 */
size_t ilp_blkdev_nreqs(const struct ilp_blkdev *d);

/**
 * ilp_blkdev_req - a kept request, for timelines
 * @d: the device (not NULL)
 * @i: which, in start_ts order (then complete_ts, sector)
 *
 * Valid after ilp_model_index().
 *
 * Returns the request, inside the model, valid until the model is fed, indexed
 * again or freed; NULL if i >= the count.
 */
const struct ilp_blk_req *ilp_blkdev_req(const struct ilp_blkdev *d, size_t i);

/**
 * ilp_blkdev_reqs_seen - matched completions offered to the kept set
 * @d: the device (not NULL)
 *
 * Returns how many were offered, kept or not.
 */
uint64_t ilp_blkdev_reqs_seen(const struct ilp_blkdev *d);

/**
 * ilp_wproc_blk - the requests a process submitted, all devices
 * @w: the process's wait data; NULL: NULL
 *
 * Returns the statistics, inside the model, or NULL if it submitted none.
 */
const struct ilp_blk_stats *ilp_wproc_blk(const struct ilp_wproc *w);

/**
 * ilp_wproc_blk_writeback - the requests kernel threads wrote back for a process
 * @w: the process's wait data; NULL: NULL
 *
 * Data it dirtied, written back by a flusher (ILP_WB_TRACED).
 *
 * Returns the statistics, inside the model, or NULL if there were none.
 */
const struct ilp_blk_stats *ilp_wproc_blk_writeback(const struct ilp_wproc *w);

/* ---- names (the capture resolves them; the model keeps them) ---- */

/* enum ilp_name_kind: vocab.h */
/*
 * Writes the name of (kind, pid, key) into buf: 0 (named), -EAGAIN (not
 * now, ask again at the next call), or another -errno (no name: the model
 * stops asking).
 */
typedef int (*ilp_namer_fn)(void *ctx, int kind, int pid, uint64_t key, char *buf,
			    size_t size);
/**
 * ilp_wait_name_objects - asks fn for the names of the objects not named yet
 * @m: the model
 * @fn: the namer: devices, user locks and kernel locks are asked once
 *	each; an object is asked again at the next call only when fn
 *	returned -EAGAIN
 * @ctx: passed to fn
 *
 * The model keeps a copy of every name fn gives.  Cheap when nothing is
 * left to name.
 *
 * Returns 0, or -ENOMEM (some names are then not kept).
 */
int ilp_wait_name_objects(struct ilp_model *m, ilp_namer_fn fn, void *ctx);

#endif
