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
#include "report_util.h"

_Static_assert(sizeof(((struct ilp_share_text *)0)->time) >= ILP_FMT_TIME_LEN,
	       "ilp_share_text.time holds any ilp_fmt_time()");

/* The order is the ledger's priority (ledger.c): a detector claims the
 * calls and time no detector above it took.  The specific ones first (each
 * on one category of one object), then repeat (every call on a path),
 * then the locks (their own cells), then slowcall (what is left, and it
 * skips the calls the others report). */
static const struct ilp_detector detectors[] = {
	{ "nplus1", ilp_detect_nplus1,
	  "request/response round trips on one socket: batch or pipeline them" },
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

int ilp_analyze(const struct ilp_model *m, const struct ilp_thresholds *th, uint64_t wall_ns,
		struct ilp_findings *out)
{
	struct ilp_analysis a = { m, th, wall_ns, ilp_ledger_new() };
	size_t i, d, keep = 0;
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
	if (err)
		return err;
	for (i = 0; i < out->n; i++) {
		struct ilp_finding *f = &out->v[i];
		uint64_t pm = ilp_share_pm(f->saving_ns, wall_ns);

		if (f->saving_ns < th->min_saving_ns)
			continue;
		f->severity = pm >= 100 ? ILP_SEV_HIGH : pm >= 10 ? ILP_SEV_MEDIUM : ILP_SEV_LOW;
		if (keep != i)
			out->v[keep] = *f;
		keep++;
	}
	out->n = keep;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), finding_cmp);
	return 0;
}
