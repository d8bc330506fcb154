// SPDX-License-Identifier: MIT
/*
 * The detector registry and the one analysis pass the reporters get their
 * findings from.  To add a detector: docs/adding-a-detector.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "fdmodel.h"
#include "fmt.h"
#include "waitmodel.h"

/* The order is the ledger's priority (ledger.c): a detector claims the
 * calls and time no detector above it took.  The loop first (it groups),
 * the specific ones next (each on one category of one object), then
 * repeat (every call on a path), then the locks (their own cells), then
 * slowcall (what is left, and it skips the calls the others report). */
static const struct ilp_detector detectors[] = {
	/* first: a loop's calls are its saving; the findings on its objects
	 * nest under it with what it left */
	{ "loop", ilp_detect_loop,
	  "the same calls on the same objects repeated per item: batch the iterations" },
	{ "nplus1", ilp_detect_nplus1,
	  "request/response round trips on one socket or one peer's connections: batch or pipeline them" },
	{ "fsync", ilp_detect_fsync,
	  "many syncs per second on one file: group the commits" },
	{ "random", ilp_detect_random,
	  "small positioned reads/writes at scattered offsets on one file" },
	{ "unbuffered", ilp_detect_unbuffered,
	  "many small reads or writes on one object: a buffer would merge them" },
	{ "repeat", ilp_detect_repeat,
	  "the same path opened or stat'ed again and again: keep the fd or cache" },
	{ "hotlock", ilp_detect_hotlock,
	  "a user or kernel lock whose contended waits take a large share of wall time" },
	{ "slowcall", ilp_detect_slowcall,
	  "single calls above --slow, per thread, syscall and object" },
};

#define NDETECTORS (sizeof(detectors) / sizeof(detectors[0]))

size_t ilp_detector_count(void)
{
	return NDETECTORS;
}

const struct ilp_detector *ilp_detector(size_t i)
{
	return i < NDETECTORS ? &detectors[i] : NULL;
}

void ilp_thresholds_default(struct ilp_thresholds *th)
{
	th->min_ops = 1000;
	th->small_bytes = 512;
	th->buffer_bytes = 65536;
	th->nplus1_min = 100;
	th->repeat_min = 100;
	th->fsync_min = 10;
	th->fsync_per_s = 10;
	th->random_pct = 20;
	th->min_saving_ns = 1000000;
	th->lock_min = 10;
	th->lock_pct = 5;
	th->lock_ns = 50000000;
	th->loop_min = 20;
	th->slow_ns = ILP_SLOW_DEFAULT_NS;	/* the wait model's own, so both agree */
}

uint64_t ilp_share_pm(uint64_t ns, uint64_t wall_ns)
{
	if (!wall_ns)
		return 0;
	if (ns <= UINT64_MAX / 1000)
		return (ns * 1000 + wall_ns / 2) / wall_ns;
	return (uint64_t)((double)ns * 1000.0 / (double)wall_ns + 0.5);
}

uint64_t ilp_scale(uint64_t v, uint64_t num, uint64_t den)
{
	if (!den)
		return 0;
	return (uint64_t)((unsigned __int128)v * num / den);
}

struct ilp_finding *ilp_finding_add(struct ilp_findings *out, const char *kind, const char *label,
				    const struct ilp_proc *p)
{
	struct ilp_finding *f;

	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 8;

		f = realloc(out->v, cap * sizeof(*f));
		if (!f)
			return NULL;
		out->v = f;
		out->cap = cap;
	}
	f = &out->v[out->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->label = label;
	f->nr = -1;
	f->pid = ilp_proc_pid(p);
	strncpy(f->comm, ilp_proc_comm(p), sizeof(f->comm) - 1);
	return f;
}

int ilp_analyze_each_obj(const struct ilp_analysis *a, const struct ilp_proc *p,
			 struct ilp_findings *out, ilp_obj_fn fn)
{
	const struct ilp_fdproc *fds = ilp_proc_fds(p);
	size_t i;
	int err;

	for (i = 0; i < ilp_fdproc_nobjs(fds); i++) {
		const struct ilp_fdobj *o = ilp_fdproc_obj(fds, i);

		err = fn(a, p, o, ilp_fdobj_stats(o), out);
		if (err)
			return err;
	}
	return 0;
}

struct ilp_finding *ilp_finding_add_obj(struct ilp_findings *out, const char *kind,
					const char *label, const struct ilp_proc *p,
					const struct ilp_fdobj *o)
{
	struct ilp_finding *f = ilp_finding_add(out, kind, label, p);

	if (!f)
		return NULL;
	f->tid = ilp_fdobj_tid(o);
	f->obj_type = ilp_fdobj_type(o);
	f->fobj = o;
	ilp_fdobj_format(o, f->object, sizeof(f->object));
	return f;
}

void ilp_share_text(struct ilp_share_text *st, uint64_t ns, uint64_t wall_ns)
{
	uint64_t pm = ilp_share_pm(ns, wall_ns);

	ilp_fmt_time(st->time, sizeof(st->time), ns);
	snprintf(st->share, sizeof(st->share), "%" PRIu64 ".%" PRIu64 "%% of wall time",
		 pm / 10, pm % 10);
}

void ilp_evidence_requests(struct ilp_finding *f, const struct ilp_io_stats *s)
{
	size_t n = strlen(f->evidence);

	if (s->requests && n < sizeof(f->evidence))
		snprintf(f->evidence + n, sizeof(f->evidence) - n,
			 "; %" PRIu64 " of the calls were io_uring requests (submit to"
			 " complete, overlapping: their wait is io_uring_enter's)", s->requests);
}

int ilp_finding_minor(const struct ilp_finding *f)
{
	return !f->nested && f->severity == ILP_SEV_LOW;
}

void ilp_findings_release(struct ilp_findings *f)
{
	if (!f)
		return;
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static int finding_cmp(const void *a, const void *b)
{
	const struct ilp_finding *x = a, *y = b;
	int c;

	if (x->saving_ns != y->saving_ns)
		return x->saving_ns > y->saving_ns ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	c = strcmp(x->kind, y->kind);
	return c ? c : strcmp(x->object, y->object);
}

/* nested findings under their group: the larger time first */
static int child_cmp(const void *a, const void *b)
{
	const struct ilp_finding *x = a, *y = b;

	if (x->time_ns != y->time_ns)
		return x->time_ns > y->time_ns ? -1 : 1;
	return finding_cmp(a, b);
}

/* the loop finding f nests under (the one saving most), SIZE_MAX if none */
static size_t group_of(const struct ilp_findings *fs, size_t i)
{
	const struct ilp_finding *f = &fs->v[i];
	size_t j, best = SIZE_MAX;

	if (!f->fobj || f->loop)
		return SIZE_MAX;
	for (j = 0; j < fs->n; j++) {
		const struct ilp_finding *g = &fs->v[j];

		if (g->loop && g->pid == f->pid && ilp_loop_has_obj(g->loop, f->fobj) &&
		    (best == SIZE_MAX || g->saving_ns > fs->v[best].saving_ns))
			best = j;
	}
	return best;
}

/* exactly: under 1 % of the wall time low, from 10 % high */
static int severity(uint64_t saving_ns, uint64_t wall_ns)
{
	unsigned __int128 pct100 = (unsigned __int128)saving_ns * 100;

	if (!wall_ns)
		return ILP_SEV_LOW;	/* no wall time known: no share */
	if (pct100 >= (unsigned __int128)wall_ns * 10)
		return ILP_SEV_HIGH;
	return pct100 >= wall_ns ? ILP_SEV_MEDIUM : ILP_SEV_LOW;
}

/* out in its final order: groups and single findings saving at least
 * min_saving_ns, ranked, each group followed by its nested findings */
static int arrange(struct ilp_findings *out, uint64_t min_saving_ns, uint64_t wall_ns)
{
	size_t n = out->n, i, j, k = 0, top = 0, *group = NULL;
	struct ilp_findings src = { 0 };
	int err = -ENOMEM;

	if (!n)
		return 0;
	src.v = malloc(n * sizeof(*src.v));
	group = malloc(n * sizeof(*group));
	if (!src.v || !group)
		goto out;
	memcpy(src.v, out->v, n * sizeof(*src.v));
	src.n = n;
	for (i = 0; i < n; i++) {
		group[i] = group_of(&src, i);
		src.v[i].severity = severity(src.v[i].saving_ns, wall_ns);
		src.v[i].nchildren = 0;
		src.v[i].nested = group[i] != SIZE_MAX;
	}
	for (i = 0; i < n; i++)
		if (group[i] == SIZE_MAX && src.v[i].saving_ns >= min_saving_ns)
			out->v[top++] = src.v[i];
	if (top > 1)
		qsort(out->v, top, sizeof(*out->v), finding_cmp);
	/* from the end: each group makes room for its nested findings */
	for (i = 0; i < top; i++)
		for (j = 0; j < n; j++)
			if (group[j] != SIZE_MAX && out->v[i].loop &&
			    src.v[group[j]].loop == out->v[i].loop)
				out->v[i].nchildren++;
	for (i = top, k = top; i-- > 0;)
		k += out->v[i].nchildren;
	out->n = k;
	for (i = top; i-- > 0;) {
		size_t nc = out->v[i].nchildren, c = 0;

		k -= nc + 1;
		out->v[k] = out->v[i];
		for (j = 0; j < n && c < nc; j++)
			if (group[j] != SIZE_MAX && src.v[group[j]].loop == out->v[k].loop)
				out->v[k + 1 + c++] = src.v[j];
		if (nc > 1)
			qsort(&out->v[k + 1], nc, sizeof(*out->v), child_cmp);
	}
	err = 0;
out:
	free(group);
	free(src.v);
	return err;
}

int ilp_analyze(const struct ilp_model *m, const struct ilp_thresholds *th, uint64_t wall_ns,
		struct ilp_findings *out)
{
	struct ilp_analysis a = { m, th, wall_ns, ilp_ledger_new() };
	size_t i, d;
	int err = 0;

	out->n = 0;
	if (!a.ledger)
		return -ENOMEM;
	for (i = 0; i < ilp_model_nprocs(m) && !err; i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		for (d = 0; d < NDETECTORS && !err; d++)
			err = detectors[d].fn(&a, p, out);
	}
	ilp_ledger_free(a.ledger);
	return err ? err : arrange(out, th->min_saving_ns, wall_ns);
}
