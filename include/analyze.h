/* SPDX-License-Identifier: MIT */
#ifndef ILP_ANALYZE_H
#define ILP_ANALYZE_H

/*
 * Analyzers: detectors read the model (after ilp_model_index) and emit
 * findings: what pattern, where, the evidence, why it fired (the numbers
 * against the thresholds), the fix and what the fix would save.  One file
 * per detector (src/analyze_<name>.c), registered in the table of
 * src/detect/analyze.c.  docs/detectors.md documents every threshold;
 * docs/adding-a-detector.md is the checklist for a new one.
 */

#include <stddef.h>
#include <stdint.h>

#include "fmt.h"
#include "model.h"

/*
 * Thresholds; ilp_thresholds_default() gives the documented defaults.  The
 * command line sets them through the option table (src/cli/options.c),
 * each flag naming its field there.
 */
struct ilp_thresholds {
	uint64_t min_ops;	/* --min-ops: unbuffered/random need this many calls on one object (1000) */
	uint64_t small_bytes;	/* --small-bytes: median size below this is small I/O (512) */
	uint64_t buffer_bytes;	/* the buffer the unbuffered fix suggests (65536) */
	uint64_t nplus1_min;	/* --nplus1-min: request/response round trips on one socket (100) */
	uint64_t repeat_min;	/* --repeat-min: opens + stats of one path (100) */
	uint64_t fsync_min;	/* --fsync-min: syncs of one file (10) */
	uint64_t fsync_per_s;	/* a storm: at least this many syncs per second (10) */
	uint64_t random_pct;	/* --random-pct: share of positioned calls not at the previous end (20) */
	uint64_t min_saving_ns;	/* --min-saving: drop findings saving less (1 ms) */
	uint64_t lock_min;	/* --lock-min: hot lock needs this many contended waits (10) */
	uint64_t lock_pct;	/* --lock-pct: ... and wait time >= this % of wall time (5), */
	uint64_t lock_ns;	/* --lock-ms: ... or >= this much wait time (50 ms) */
	uint64_t loop_min;	/* --loop-min: iterations of a loop of calls (20) */
	uint64_t slow_ns;	/* --slow: a single call this long is slow (100 ms; 0: none);
				 * the wait model keeps the calls at or above it
				 * (ilp_model_set_slow), the slowcall detector reports them */
	int no_offcpu;		/* not a threshold: the backend saw no scheduler events
				 * (ptrace), so no on/off-CPU split can be stated */
};

/**
 * ilp_thresholds_default - the documented default thresholds
 * @th: filled with every threshold's default (the values above; slow_ns is
 *	the wait model's ILP_SLOW_DEFAULT_NS, so both agree); no_offcpu, not
 *	a threshold, is left as it was
 */
void ilp_thresholds_default(struct ilp_thresholds *th);

enum ilp_severity {
	ILP_SEV_LOW = 1,	/* saving < 1 % of the wall time */
	ILP_SEV_MEDIUM,		/* 1 % to 10 % */
	ILP_SEV_HIGH,		/* >= 10 % */
};

#define ILP_FINDING_OBJ 256
#define ILP_FINDING_TEXT 1024

struct ilp_loop;

struct ilp_finding {
	const char *kind;	/* detector name: "unbuffered", "nplus1", ... (static) */
	const char *label;	/* what the text report shows in brackets: "N+1" (static) */
	int severity;		/* enum ilp_severity */
	int pid, tid;		/* tid 0: several threads */
	char comm[ILP_COMM_LEN];
	char object[ILP_FINDING_OBJ];	/* "tcp 127.0.0.1:41234 -> 127.0.0.1:6379" */
	unsigned obj_type;	/* enum ilp_obj_type | flags */
	int nr;			/* the pattern's main syscall, -1 if several */
	uint64_t count;		/* calls, round trips, opens+stats, syncs... (see docs) */
	uint64_t bytes;		/* bytes moved by those calls */
	uint64_t size;		/* median bytes per call (unbuffered, random), else 0 */
	uint64_t time_ns;	/* time inside the pattern's calls */
	uint64_t threshold;	/* the count threshold it passed */
	uint64_t saving_ns;	/* estimated time the fix saves */
	uint64_t saving_calls;	/* estimated syscalls the fix removes */
	char what[ILP_FINDING_TEXT];	/* "20000 writes of 1 B on file /tmp/x" */
	char evidence[ILP_FINDING_TEXT];	/* "45.2 ms in write (3.1% of wall time)" */
	char why[ILP_FINDING_TEXT];	/* "20000 writes >= 1000 (--min-ops) ..." */
	char fix[ILP_FINDING_TEXT];	/* "buffer the writes (64 KiB: 20000 -> 1 calls)" */
	char site[ILP_FINDING_TEXT];	/* --stacks (ptrace): the top call site of nr in pid,
					 * "fetch_user (app.c:42) (1000 of 1500 write calls)"; "" if unknown */
	char waited[ILP_FINDING_OBJ];	/* --sleep-stacks: where its calls slept most in the
					 * kernel, "fsync waited in jbd2_log_wait_commit
					 * (journal commit)"; "" if unknown */
	const struct ilp_fdobj *fobj;	/* the fd object it is about (the model's), NULL */
	const struct ilp_loop *loop;	/* a loop finding: its loop (the model's), else NULL */
	/* grouping: a finding on an object of a loop nests under the loop's
	 * finding, right after it in the list (docs/detectors.md) */
	size_t nchildren;	/* a group: the findings nested under it, which follow it */
	int nested;		/* 1: inside the group before it (its saving is what the
				 * group left: the group's saving covers its calls) */
};

struct ilp_findings {
	struct ilp_finding *v;
	size_t n, cap;
};

struct ilp_ledger;

/* What a detector reads. */
struct ilp_analysis {
	const struct ilp_model *m;
	const struct ilp_thresholds *th;
	uint64_t wall_ns;	/* capture duration, for shares of wall time */
	struct ilp_ledger *ledger;	/* what the savings are taken from (ledger.c) */
};

typedef int (*ilp_detector_fn)(const struct ilp_analysis *a, const struct ilp_proc *p,
			       struct ilp_findings *out);

struct ilp_detector {
	const char *name;	/* "unbuffered" */
	ilp_detector_fn fn;	/* called once per process */
	const char *doc;	/* one line */
};

/**
 * ilp_detector_count - how many detectors the table holds
 *
 * Returns the number of detectors.
 */
size_t ilp_detector_count(void);

/**
 * ilp_detector - one detector of the table
 * @i: the index, < ilp_detector_count(); the table's order is the
 *	ledger's priority
 *
 * Returns the detector (static), or NULL if i is out of range.
 */
const struct ilp_detector *ilp_detector(size_t i);

/**
 * ilp_analyze - runs every detector and ranks the findings
 * @m: an indexed model (ilp_model_index); read only
 * @th: the thresholds
 * @wall_ns: the capture's duration, for shares of wall time and severity
 *	(0: unknown, every finding low)
 * @out: the findings; reset first (its memory reused), then filled; the
 *	caller releases it with ilp_findings_release()
 *
 * Runs every detector on every process, in the table's order (a fresh
 * ledger for the pass), nests the findings on a loop's objects under the
 * loop's finding, sets each severity, drops the groups and findings saving
 * less than th->min_saving_ns (nested ones stay with their group), ranks
 * the rest by saving_ns desc (then pid, kind, object), each group followed
 * by its nested findings (by time_ns desc).  The findings point into m
 * (fobj, loop): read them while m lives.
 *
 * Returns 0, or -ENOMEM (out then holds what was found so far, unranked).
 */
int ilp_analyze(const struct ilp_model *m, const struct ilp_thresholds *th, uint64_t wall_ns,
		struct ilp_findings *out);

/**
 * ilp_findings_set_waited - says where each finding's calls slept
 * @fs: the findings (ilp_analyze's); each gets finding.waited, or keeps ""
 * @m: the indexed model, with sleep stacks (--sleep-stacks, ksleep.h)
 *
 * A finding's calls are its process's blocking calls of its thread (when
 * it has one), its syscall (when it has one) and its fd object (when it
 * has one): the kernel function they slept in longest, summed over them.
 */
void ilp_findings_set_waited(struct ilp_findings *fs, const struct ilp_model *m);

/**
 * ilp_findings_release - frees the insides of a findings list
 * @f: the list (the caller's struct); NULL is a no-op
 *
 * The list is empty (zeroed) afterwards.
 */
void ilp_findings_release(struct ilp_findings *f);

/**
 * ilp_finding_minor - tells whether a finding is folded as minor
 * @f: a ranked finding (ilp_analyze)
 *
 * Minor: a top-level finding saving under 1 % of the wall time (severity
 * low); the text and html reports fold it, with its group, unless --all.
 *
 * Returns 1 if minor, else 0 (nested findings are never minor themselves).
 */
int ilp_finding_minor(const struct ilp_finding *f);

/*
 * ---- the ledger (src/detect/ledger.c): savings that add up ----
 *
 * A finding's saving is what it claims: calls and their wall share
 * (ilp_proc_share_ns), taken from the model's disjoint cells (an fd
 * object's category, a futex lock, a kernel lock, the process's other
 * calls).  A claim gets what the cell still holds; what it got is gone
 * for the detectors after it (table order).  So each call and its time
 * count toward at most one saving, and all savings add up to at most the
 * wall time and the threads' time inside syscalls.
 */
struct ilp_claim {
	uint64_t calls;		/* calls taken */
	uint64_t share_ns;	/* their wall share: the saving */
};

/**
 * ilp_ledger_new - makes an empty ledger
 *
 * Cells are made on their first claim: memory grows with the cells the
 * findings touch.
 *
 * Returns the ledger, to free with ilp_ledger_free(), or NULL on ENOMEM.
 */
struct ilp_ledger *ilp_ledger_new(void);

/**
 * ilp_ledger_free - frees a ledger
 * @l: the ledger; NULL is a no-op
 */
void ilp_ledger_free(struct ilp_ledger *l);

struct ilp_fdobj;
struct ilp_ulock;
struct ilp_klock;

/**
 * ilp_claim_io - claims calls of one category on an fd object
 * @a: the analysis (its ledger)
 * @c: what was got is added to it
 * @o: the object
 * @cat: the category, enum ilp_io_cat
 * @calls: the calls asked for
 * @share_ns: their wall share asked for
 *
 * The cell starts with the object's calls and share in cat; the claim gets
 * what it still holds, up to what is asked.
 *
 * Returns 0, -EINVAL (cat out of range), or -ENOMEM.
 */
int ilp_claim_io(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_fdobj *o,
		 int cat, uint64_t calls, uint64_t share_ns);

/**
 * ilp_claim_io_part - claims a fraction of a category's calls on an object
 * @a: the analysis (its ledger)
 * @c: what was got is added to it
 * @o: the object
 * @cat: the category, enum ilp_io_cat
 * @num: the fraction's numerator
 * @den: its denominator (0: nothing asked)
 *
 * Asks for num/den of all the calls (and their share) of o in category
 * cat, as ilp_claim_io() does.
 *
 * Returns 0, -EINVAL (cat out of range), or -ENOMEM.
 */
int ilp_claim_io_part(const struct ilp_analysis *a, struct ilp_claim *c,
		      const struct ilp_fdobj *o, int cat, uint64_t num, uint64_t den);

/**
 * ilp_claim_ulock - claims waits on a user (futex) lock
 * @a: the analysis (its ledger)
 * @c: what was got is added to it
 * @p: the process the lock is in
 * @u: the lock (waitmodel.h); its cell starts with its waits and timeouts
 *	and their sleep share
 * @calls: the calls asked for
 * @share_ns: their wall share asked for
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_claim_ulock(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_proc *p,
		    const struct ilp_ulock *u, uint64_t calls, uint64_t share_ns);

/**
 * ilp_claim_klock - claims wait time on a kernel lock
 * @a: the analysis (its ledger)
 * @c: what was got is added to it (share only: the waits are inside
 *	calls, carved out of them, so no call is taken)
 * @p: the process
 * @k: the lock (waitmodel.h); its cell starts with its wait share
 * @share_ns: the wall share asked for
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_claim_klock(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_proc *p,
		    const struct ilp_klock *k, uint64_t share_ns);

/**
 * ilp_claim_rest - claims the process's calls on no object and no lock
 * @a: the analysis (its ledger)
 * @c: what was got is added to it
 * @p: the process; its cell starts with its calls and share less those of
 *	its objects and locks
 * @calls: the calls asked for
 * @share_ns: their wall share asked for
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_claim_rest(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_proc *p,
		   uint64_t calls, uint64_t share_ns);

/* ---- for detectors ---- */

/**
 * ilp_finding_add - appends a new finding
 * @out: the list it goes to (grown as needed)
 * @kind: the detector's name, static (kept as a pointer)
 * @label: what the text report shows in brackets, static (kept as a pointer)
 * @p: the process it is about: pid and comm are filled from it
 *
 * The rest is zeroed (nr -1); the severity is set by ilp_analyze().
 *
 * Returns the finding, inside out: valid until the next add to out; NULL
 * on ENOMEM.
 */
struct ilp_finding *ilp_finding_add(struct ilp_findings *out, const char *kind, const char *label,
				    const struct ilp_proc *p);
struct ilp_fdobj;
struct ilp_io_stats;

/* one fd object of p with its stats: 0, or -errno to stop */

typedef int (*ilp_obj_fn)(const struct ilp_analysis *a, const struct ilp_proc *p,
			  const struct ilp_fdobj *o, const struct ilp_io_stats *s,
			  struct ilp_findings *out);
/**
 * ilp_analyze_each_obj - calls fn for every object p made calls on
 * @a: the analysis, passed to fn
 * @p: the process (its objects: ilp_proc_fds)
 * @out: passed to fn
 * @fn: called with each object and its stats, by total time descending
 *
 * Returns 0, or the first error fn returns (which stops the walk).
 */
int ilp_analyze_each_obj(const struct ilp_analysis *a, const struct ilp_proc *p,
			 struct ilp_findings *out, ilp_obj_fn fn);

/**
 * ilp_finding_add_obj - appends a new finding about one fd object
 * @out: the list it goes to
 * @kind: the detector's name, static
 * @label: the text report's label, static
 * @p: the process
 * @o: the object (the model's: kept as fobj)
 *
 * As ilp_finding_add(), and tid (the object's only thread, 0 if several),
 * obj_type, fobj and object (ilp_fdobj_format) are filled.
 *
 * Returns the finding, inside out; NULL on ENOMEM.
 */
struct ilp_finding *ilp_finding_add_obj(struct ilp_findings *out, const char *kind,
					const char *label, const struct ilp_proc *p,
					const struct ilp_fdobj *o);
/* ns as "45.2 ms" (time) and its share "3.1% of wall time" (share), for evidence */
struct ilp_share_text {
	char time[ILP_FMT_TIME_LEN];
	char share[48];
};

/**
 * ilp_share_text - a time and its share of wall time, as text
 * @st: filled: st->time "45.2 ms" (ilp_fmt_time), st->share "3.1% of wall
 *	time" (0.0% when wall_ns is 0)
 * @ns: the time
 * @wall_ns: the wall time
 *
 * For a finding's evidence.
 */
void ilp_share_text(struct ilp_share_text *st, uint64_t ns, uint64_t wall_ns);

/**
 * ilp_evidence_requests - says which of an object's calls were io_uring requests
 * @f: the finding; ", N of them io_uring requests (...)" is appended to
 *	its evidence when the object had any
 * @s: the object's counters
 *
 * A request's time is submit -> complete: requests overlap, and the
 * thread waits for them in io_uring_enter (counted there), so they carry
 * no saving of their own; the evidence says so.
 */
void ilp_evidence_requests(struct ilp_finding *f, const struct ilp_io_stats *s);

/**
 * ilp_scale - v * num / den without overflow
 * @v: the value
 * @num: the numerator
 * @den: the denominator
 *
 * Computed in 128 bits, rounded down.
 *
 * Returns v * num / den, 0 if den is 0 (and the low 64 bits of a result
 * that does not fit).
 */
uint64_t ilp_scale(uint64_t v, uint64_t num, uint64_t den);

/**
 * ilp_share_pm - a time's share of wall time, per mille
 * @ns: the time
 * @wall_ns: the wall time
 *
 * For "(3.1% of wall time)": rounded half up.
 *
 * Returns ns * 1000 / wall_ns, 0 if wall_ns is 0.
 */
uint64_t ilp_share_pm(uint64_t ns, uint64_t wall_ns);

/*
 * The detectors (one file each, src/detect/analyze_<name>.c; their rules
 * and thresholds: docs/detectors.md).  Each is called once per process,
 * in the table's order, appends its findings on p to out with the saving
 * the ledger grants them, and returns 0 or -ENOMEM (the first error stops
 * the pass).
 */

/**
 * ilp_detect_loop - the same calls on the same objects repeated per item
 * @a: the analysis
 * @p: the process
 * @out: the findings are appended to it
 *
 * First in the table: a loop's calls are its saving; the findings on its
 * objects nest under it with what it left.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_detect_loop(const struct ilp_analysis *a, const struct ilp_proc *p,
		    struct ilp_findings *out);

/**
 * ilp_detect_unbuffered - many small reads or writes on one object
 * @a: the analysis
 * @p: the process
 * @out: the findings are appended to it
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_detect_unbuffered(const struct ilp_analysis *a, const struct ilp_proc *p,
			  struct ilp_findings *out);

/**
 * ilp_detect_nplus1 - request/response round trips on one socket or pipe
 * @a: the analysis
 * @p: the process
 * @out: the findings are appended to it
 *
 * Returns 0, -ENOMEM, or -EINVAL (a text could not be formatted).
 */
int ilp_detect_nplus1(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out);

/**
 * ilp_detect_repeat - the same path opened or stat'ed again and again
 * @a: the analysis
 * @p: the process
 * @out: the findings are appended to it
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_detect_repeat(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out);

/**
 * ilp_detect_fsync - many syncs per second on one file
 * @a: the analysis
 * @p: the process
 * @out: the findings are appended to it
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_detect_fsync(const struct ilp_analysis *a, const struct ilp_proc *p,
		     struct ilp_findings *out);

/**
 * ilp_detect_random - small positioned reads/writes at scattered offsets
 * @a: the analysis
 * @p: the process
 * @out: the findings are appended to it
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_detect_random(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out);

/**
 * ilp_detect_hotlock - user or kernel locks whose contended waits cost much
 * @a: the analysis
 * @p: the process
 * @out: the findings are appended to it
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_detect_hotlock(const struct ilp_analysis *a, const struct ilp_proc *p,
		       struct ilp_findings *out);

/**
 * ilp_detect_slowcall - single calls above --slow
 * @a: the analysis
 * @p: the process
 * @out: the findings are appended to it
 *
 * Last in the table: per thread, syscall and object, with what is left,
 * skipping the calls the other detectors report.
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_detect_slowcall(const struct ilp_analysis *a, const struct ilp_proc *p,
			struct ilp_findings *out);

/* what one detector's rule says, for another not to report the same calls */
struct ilp_ulock;
struct ilp_fdobj;

/**
 * ilp_hotlock_ulock_fires - tells whether a user lock is a [hot lock]
 * @a: the analysis (its thresholds and wall time)
 * @l: the lock; may be NULL
 *
 * A mutex-like futex (wait or PI) whose waits and timeouts reach
 * --lock-min and whose wait time reaches --lock-ms or --lock-pct of the
 * wall time.
 *
 * Returns 1 if it fires, else 0 (also for NULL).
 */
int ilp_hotlock_ulock_fires(const struct ilp_analysis *a, const struct ilp_ulock *l);

/**
 * ilp_nplus1_obj_fires - tells whether an [N+1] finding blocks on an object
 * @a: the analysis (the model and thresholds)
 * @o: the object
 *
 * o is the object the round trips' reads block on: the answer side of a
 * request/response pair, or a socket whose own round trips fire.
 *
 * Returns 1 if it does, else 0.
 */
int ilp_nplus1_obj_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);

/**
 * ilp_peer_describe - who a wait on a pipe or socket waits for
 * @a: the analysis (the model)
 * @p: the waiting process
 * @o: the pipe or socket it reads
 * @tid: the reading thread
 * @buf: where the text goes (the caller's)
 * @size: bytes at buf, the NUL included (at least 1)
 *
 * peers.c.  "waiting for pid 812 (pyenv), which holds the write end",
 * "waiting for thread 813 (worker) of this process, ...", or one /proc
 * named outside the trace ("... (not traced)"); "(and N more processes)"
 * when others would do.
 *
 * Returns 1 if found, else 0 (buf "").
 */
int ilp_peer_describe(const struct ilp_analysis *a, const struct ilp_proc *p,
		      const struct ilp_fdobj *o, int tid, char *buf, size_t size);

/**
 * ilp_loop_has_obj - tells whether an object is one of a loop's
 * @l: the loop
 * @o: the object; NULL is none of them
 *
 * A step's alternate objects (missed names) count too.
 *
 * Returns 1 if o is one of the loop's objects, else 0.
 */
int ilp_loop_has_obj(const struct ilp_loop *l, const struct ilp_fdobj *o);

/*
 * The per-object detectors' rules: each says whether its detector fires
 * on o, whatever the ledger grants it.
 */

/**
 * ilp_fsync_fires - tells whether the fsync detector fires on an object
 * @a: the analysis (its thresholds)
 * @o: the object
 *
 * Returns 1 if it does, else 0.
 */
int ilp_fsync_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);

/**
 * ilp_repeat_fires - tells whether the repeat detector fires on an object
 * @a: the analysis (its thresholds)
 * @o: the object
 *
 * Returns 1 if it does, else 0.
 */
int ilp_repeat_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);

/**
 * ilp_random_fires - tells whether the random detector fires on an object
 * @a: the analysis (its thresholds)
 * @o: the object
 *
 * Returns 1 if it does, else 0.
 */
int ilp_random_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);

/**
 * ilp_unbuffered_fires - tells whether the unbuffered detector fires on o
 * @a: the analysis (its thresholds)
 * @o: the object
 *
 * In either direction, reads or writes.
 *
 * Returns 1 if it does, else 0.
 */
int ilp_unbuffered_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);

#endif
