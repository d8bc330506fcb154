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

size_t ilp_detector_count(void);
const struct ilp_detector *ilp_detector(size_t i);

/*
 * Runs every detector on every process of an indexed model, nests the
 * findings on a loop's objects under the loop's finding, drops the groups
 * and findings saving less than th->min_saving_ns (nested ones stay with
 * their group), ranks the rest by saving_ns desc (then pid, kind, object),
 * each group followed by its nested findings (by time_ns desc).  out is
 * reset first.  0 or -ENOMEM.
 */
int ilp_analyze(const struct ilp_model *m, const struct ilp_thresholds *th, uint64_t wall_ns,
		struct ilp_findings *out);
void ilp_findings_release(struct ilp_findings *f);	/* frees the insides */
/* a top-level finding saving under 1 % of the wall time (severity low): the
 * text and html reports fold it, with its group, unless --all */
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
struct ilp_ledger *ilp_ledger_new(void);	/* NULL on ENOMEM */
void ilp_ledger_free(struct ilp_ledger *l);	/* NULL is a no-op */
struct ilp_fdobj;
struct ilp_ulock;
struct ilp_klock;
/* each: adds what it got to c; 0, -ENOMEM or -EINVAL */
int ilp_claim_io(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_fdobj *o,
		 int cat, uint64_t calls, uint64_t share_ns);
/* num/den of all the calls (and their share) of o in category cat */
int ilp_claim_io_part(const struct ilp_analysis *a, struct ilp_claim *c,
		      const struct ilp_fdobj *o, int cat, uint64_t num, uint64_t den);
int ilp_claim_ulock(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_proc *p,
		    const struct ilp_ulock *u, uint64_t calls, uint64_t share_ns);
int ilp_claim_klock(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_proc *p,
		    const struct ilp_klock *k, uint64_t share_ns);
/* the process's calls on no object and no lock */
int ilp_claim_rest(const struct ilp_analysis *a, struct ilp_claim *c, const struct ilp_proc *p,
		   uint64_t calls, uint64_t share_ns);

/* ---- for detectors ---- */
/* a zeroed finding appended to out, pid/comm/severity filled later; NULL on ENOMEM */
struct ilp_finding *ilp_finding_add(struct ilp_findings *out, const char *kind, const char *label,
				    const struct ilp_proc *p);
struct ilp_fdobj;
struct ilp_io_stats;

/* one fd object of p with its stats: 0, or -errno to stop */
typedef int (*ilp_obj_fn)(const struct ilp_analysis *a, const struct ilp_proc *p,
			  const struct ilp_fdobj *o, const struct ilp_io_stats *s,
			  struct ilp_findings *out);
/* calls fn for every object p made calls on (ilp_proc_fds); first error or 0 */
int ilp_analyze_each_obj(const struct ilp_analysis *a, const struct ilp_proc *p,
			 struct ilp_findings *out, ilp_obj_fn fn);
/* ilp_finding_add() about object o: tid, obj_type and object are filled */
struct ilp_finding *ilp_finding_add_obj(struct ilp_findings *out, const char *kind,
					const char *label, const struct ilp_proc *p,
					const struct ilp_fdobj *o);
/* ns as "45.2 ms" (time) and its share "3.1% of wall time" (share), for evidence */
struct ilp_share_text {
	char time[ILP_FMT_TIME_LEN];
	char share[48];
};
void ilp_share_text(struct ilp_share_text *st, uint64_t ns, uint64_t wall_ns);
/* v * num / den without overflow (0 if den is 0) */
uint64_t ilp_scale(uint64_t v, uint64_t num, uint64_t den);
/* per mille of wall time, for "(3.1% of wall time)" */
uint64_t ilp_share_pm(uint64_t ns, uint64_t wall_ns);

/* the detectors (one file each) */
int ilp_detect_loop(const struct ilp_analysis *a, const struct ilp_proc *p,
		    struct ilp_findings *out);
int ilp_detect_unbuffered(const struct ilp_analysis *a, const struct ilp_proc *p,
			  struct ilp_findings *out);
int ilp_detect_nplus1(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out);
int ilp_detect_repeat(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out);
int ilp_detect_fsync(const struct ilp_analysis *a, const struct ilp_proc *p,
		     struct ilp_findings *out);
int ilp_detect_random(const struct ilp_analysis *a, const struct ilp_proc *p,
		      struct ilp_findings *out);
int ilp_detect_hotlock(const struct ilp_analysis *a, const struct ilp_proc *p,
		       struct ilp_findings *out);
int ilp_detect_slowcall(const struct ilp_analysis *a, const struct ilp_proc *p,
			struct ilp_findings *out);
/* what one detector's rule says, for another not to report the same calls */
struct ilp_ulock;
struct ilp_fdobj;
/* the user lock is a [hot lock] */
int ilp_hotlock_ulock_fires(const struct ilp_analysis *a, const struct ilp_ulock *l);
/* o is the object an [N+1] finding blocks on (its round trips' reads) */
int ilp_nplus1_obj_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);
/*
 * Who a wait on o (a pipe or socket, read by thread tid of p) waits for,
 * into buf: "waiting for pid 812 (pyenv), which holds the write end",
 * "waiting for thread 813 (worker) of this process, ...", or one /proc
 * named outside the trace (peers.c).  1 if found, else 0 (buf "").
 */
int ilp_peer_describe(const struct ilp_analysis *a, const struct ilp_proc *p,
		      const struct ilp_fdobj *o, int tid, char *buf, size_t size);
/* o is one of the loop's objects */
int ilp_loop_has_obj(const struct ilp_loop *l, const struct ilp_fdobj *o);
/* the per-object detectors fire on o (whatever the ledger grants them) */
int ilp_fsync_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);
int ilp_repeat_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);
int ilp_random_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);
int ilp_unbuffered_fires(const struct ilp_analysis *a, const struct ilp_fdobj *o);

#endif
