/* SPDX-License-Identifier: MIT */
#ifndef ILP_LOOPMODEL_H
#define ILP_LOOPMODEL_H

/*
 * Loops (src/model/model_loop.c): per thread, a sequence of calls on the
 * same objects repeated in the same order, such as a transaction per item
 * (open journal -> pwrite x10 -> fdatasync x2 -> close -> unlink -> fsync
 * dir, 300 times).  Pure C, no I/O, fed by the fd model with every call it
 * counts on an object (and the path calls it cannot name: unlink, rename,
 * mkdir...: a step with no object).
 *
 * How: a thread's calls become steps; a run of the same call on the same
 * object is one step (pwrite x10 is one step, whatever the count).  The
 * last 2 * ILP_LOOP_PERIOD steps stay in a ring; for every period p, the
 * length of the current run of steps equal to the step p back is kept.
 * Two full copies of a period (p >= 2), step for step the same, lock the
 * thread on that sequence (and count the earlier copies still in the ring,
 * matched as later ones are, a missed name matching its step, a name for
 * a step the lock saw lost only in a copy with a step on one of the
 * loop's named objects; a sequence that is copies of a
 * shorter one but for missed names is the shorter one);
 * from then on each step is matched against it in O(1): a complete match
 * is an iteration.  Steps that do not match (noise: a log write now and
 * then) are skipped; an iteration counts when its steps came in order, up
 * to 2 of them skipped (an item with less to do: nothing to unlink), and
 * is dropped when it met more noise than it has steps (another kind of
 * item).  A step on an unresolved fd (a name the source missed) matches a
 * step of the same syscall on another object, and so does the same name
 * typed otherwise: the iteration counts, an unresolved fd's calls are kept
 * apart as the step's alternate object.  A new sequence starts at the open
 * of the object whose life in an iteration is longest (an item begins
 * there); the first item counts when the repetition began up to 2 steps
 * into it.  No iteration for 2 periods' worth of steps ends the run; the
 * iteration in progress then counts if more than half its steps came (the
 * last item has no next one to begin: a transaction's lock, taken at the
 * start of the next item, ends the sequence).  A
 * longer period confirmed while the short one keeps meeting noise takes
 * over (an inner pattern seen first), and the short one's iterations in
 * that span are dropped.
 *
 * Cost: a new step (not a run going on) finds the earlier steps equal to
 * it among the 64 before through a small table of their keys and a chain
 * of each step's previous copy, and updates only the periods that changed
 * (those where it repeats the step p back, those where a repetition
 * ends): O(1) on a stream where nothing repeats; in a lock with no noise
 * in the ring (no other period can take over), a step is matched alone
 * and the table and the periods are made again from the ring only when
 * needed (after noise, when the lock ends).  Memory: per thread that made
 * calls on objects, a tracker of under 1 KiB and a ring of the last steps
 * and their keys (64 B a step, 8 steps at first, doubled while full up to
 * 128: 8 KiB; freed when the thread exits), 200 B + 240 B a
 * step of the sequence while locked, and at most ILP_LOOP_SEQS distinct
 * sequences of 200 B a step (when full, one with fewer than 4 iterations
 * makes room): bounded by threads and distinct sequences, never by
 * events.
 */

#include <stddef.h>
#include <stdint.h>

#define ILP_LOOP_PERIOD 64	/* steps per iteration at most */
#define ILP_LOOP_SEQS 16	/* distinct sequences kept per thread */
#define ILP_LOOP_ALTS 4		/* other objects kept per step (missed names) */

struct ilp_fdobj;

struct ilp_loop_step {
	int nr;				/* the syscall */
	const struct ilp_fdobj *obj;	/* its object; NULL: a path call the model cannot name */
	uint64_t calls, ns, share;	/* over the counted iterations: calls, their time
					 * and their wall share */
	int wild;			/* obj is an unresolved fd (its name lost) */
	/* the other objects seen at this step, when one of the two is an
	 * unresolved fd (a name the source missed in some iterations, each fd
	 * whose name was lost for another reason another object): the calls
	 * each took, counted apart (the last slot takes any more) */
	size_t nalt;
	const struct ilp_fdobj *alt[ILP_LOOP_ALTS];
	uint64_t alt_calls[ILP_LOOP_ALTS], alt_ns[ILP_LOOP_ALTS], alt_share[ILP_LOOP_ALTS];
};

struct ilp_loop {
	int tid;
	uint64_t iterations;		/* complete iterations counted */
	uint64_t episodes;		/* runs they came in (noise or other work between) */
	uint64_t first_ts, last_ts;	/* enter of the first iteration, exit of the last */
	size_t nsteps;
	struct ilp_loop_step steps[];	/* nsteps, in order, from the first step seen */
};

struct ilp_fdproc;

/**
 * ilp_fdproc_nloops - how many loops a process's threads made
 * @f: the process's fd state (ilp_proc_fds); may be NULL
 *
 * The list is built by ilp_model_index (each thread's sequences, the run
 * in progress counted so far).
 *
 * Returns the number of loops as of the last index; 0 for NULL.
 */
size_t ilp_fdproc_nloops(const struct ilp_fdproc *f);

/**
 * ilp_fdproc_loop - one loop of a process
 * @f: the process's fd state; may be NULL
 * @i: the index, < ilp_fdproc_nloops()
 *
 * Returns the loop, owned by the model: read it before the next event is
 * fed (a thread's new sequence may take the place of one with few
 * iterations); NULL if i is out of range.
 */
const struct ilp_loop *ilp_fdproc_loop(const struct ilp_fdproc *f, size_t i);

/* ---- for the fd model (model_fd.c) ---- */
struct ilp_loopt;	/* one thread's tracker */

/**
 * ilp_loopt_new - makes a thread's loop tracker
 * @tid: the thread
 *
 * The ring of steps is allocated at the first call.
 *
 * Returns the tracker, to free with ilp_loopt_free(), or NULL on ENOMEM.
 */
struct ilp_loopt *ilp_loopt_new(int tid);

/**
 * ilp_loopt_free - frees a tracker and its loops
 * @t: the tracker; NULL is a no-op
 *
 * The loops ilp_loopt_loop() returned are dangling afterwards.
 */
void ilp_loopt_free(struct ilp_loopt *t);

/**
 * ilp_loopt_call - one completed call of the thread
 * @t: the thread's tracker
 * @nr: the syscall
 * @obj: the object it was counted on (the fd model's); NULL: a path call
 *	the model cannot name
 * @wild: obj is an unresolved fd (its name lost)
 * @lat: its latency, ns
 * @share: its wall share, ns
 * @exit_ts: its exit time
 *
 * A call after a retire (a thread reusing the tid) starts a new ring.
 *
 * Returns 0 or -ENOMEM (the step is then not taken).
 */
int ilp_loopt_call(struct ilp_loopt *t, int nr, const struct ilp_fdobj *obj, int wild,
		   uint64_t lat, uint64_t share, uint64_t exit_ts);

/**
 * ilp_loopt_retire - the thread exited
 * @t: the thread's tracker
 *
 * Its run ends (the iteration in progress counted if more than half its
 * steps came), its ring is freed: memory stays with live threads and
 * found loops.
 *
 * Returns 1 if it holds no loop (the caller frees it), else 0.
 */
int ilp_loopt_retire(struct ilp_loopt *t);

/**
 * ilp_loopt_flush - counts the iterations of the run in progress
 * @t: the thread's tracker
 * @final: the trace is over: the run ends
 *
 * An index: the iterations counted stay counted, whatever comes next.
 */
void ilp_loopt_flush(struct ilp_loopt *t, int final);

/**
 * ilp_loopt_reset - a new window (ilp_model_reset_stats)
 * @t: the thread's tracker
 *
 * The iterations completed so far are counted and then forgotten: every
 * sequence starts again at 0 iterations, calls and time, its episodes 1
 * if its run goes on (its next iterations count in the new window), else
 * 0.  What the tracker learned stays: the sequences, the ring of recent
 * steps, the iteration in progress (counted when it completes).
 */
void ilp_loopt_reset(struct ilp_loopt *t);

/**
 * ilp_loopt_nloops - how many sequences the thread has
 * @t: the thread's tracker; may be NULL
 *
 * Returns the distinct sequences kept (at most ILP_LOOP_SEQS); 0 for NULL.
 */
size_t ilp_loopt_nloops(const struct ilp_loopt *t);

/**
 * ilp_loopt_loop - one sequence of the thread
 * @t: the thread's tracker; may be NULL
 * @i: the index, < ilp_loopt_nloops()
 *
 * Returns the loop, owned by t: valid until the next ilp_loopt_call() (a
 * new sequence may take the place of one with few iterations), the next
 * ilp_loopt_flush() or ilp_loopt_retire() (a sequence that counted no
 * iteration goes), or ilp_loopt_free(); NULL if i is out of range.
 */
const struct ilp_loop *ilp_loopt_loop(const struct ilp_loopt *t, size_t i);

#endif
