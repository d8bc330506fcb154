// SPDX-License-Identifier: MIT
/*
 * Text report: the "Lock holds" section (--lock-holds) and the "held"
 * line under each contended lock of "Locks (user)".  Formatting only:
 * every number and name comes from include/holdmodel.h accessors (after
 * ilp_model_index).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "esc.h"
#include "fmt.h"
#include "holdmodel.h"
#include "model.h"
#include "outbuf.h"
#include "report_text_parts.h"
#include "waitmodel.h"

#define TOP_HOLD_LOCKS 10
#define TOP_SITES 3

#define T ilp_text_time

/* a site's name, or its address when it has none */
static const char *site_name(const struct ilp_hold_site *s, char *buf, size_t size)
{
	if (!s->pc)
		snprintf(buf, size, "(other sites)");
	else if (s->name && s->name[0])
		snprintf(buf, size, "%s", s->name);
	else
		snprintf(buf, size, "0x%" PRIx64, s->pc);
	return buf;
}

void ilp_text_hold_line(struct ilp_out *w, const struct ilp_hold_lock *l)
{
	struct ilp_escv e = { .i = 0 };
	struct tbuf t = { .i = 0 };
	char name[512];

	ilp_out_printf(w, "    held %" PRIu64 " time%s, total %s, max %s", l->holds,
		       l->holds == 1 ? "" : "s", T(&t, l->total_ns), T(&t, l->max_ns));
	if (l->nsites)
		ilp_out_printf(w, ", longest at %s",
			       ilp_escv(&e, site_name(&l->sites[0], name, sizeof(name))));
	ilp_out_printf(w, "\n");
}

/* what the holds do not count, when there is any */
static void not_counted(struct ilp_out *w, const struct ilp_hold_lock *l)
{
	static const struct {
		size_t off;
		const char *what;
	} parts[] = {
		{ offsetof(struct ilp_hold_lock, partial), "unlocks with no hold seen" },
		{ offsetof(struct ilp_hold_lock, lost), "holds whose unlock was lost" },
		{ offsetof(struct ilp_hold_lock, open), "held at the end" },
	};
	size_t i;
	int any = 0;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		uint64_t v;

		memcpy(&v, (const char *)l + parts[i].off, sizeof(v));
		if (!v)
			continue;
		ilp_out_printf(w, "%s%" PRIu64 " %s", any ? ", " : "    not counted: ", v,
			       parts[i].what);
		any = 1;
	}
	if (any)
		ilp_out_printf(w, "\n");
}

static void lock_rows(struct ilp_out *w, const struct ilp_hproc *hp, const struct ilp_wproc *wp)
{
	struct ilp_escv e = { .i = 0 };
	size_t n = ilp_hproc_nlocks(hp), k, j;
	struct tbuf t = { .i = 0 };
	char name[512];

	ilp_out_printf(w, "  %-24s %9s %9s %9s %9s %8s %9s\n", "lock", "holds", "total", "avg",
		       "max", "waits", "wait");
	for (k = 0; k < n && k < TOP_HOLD_LOCKS; k++) {
		const struct ilp_hold_lock *l = ilp_hproc_lock(hp, k);
		const struct ilp_ulock *u = ilp_wproc_find_ulock(wp, l->addr);

		if (l->name)
			snprintf(name, sizeof(name), "%s", l->name);
		else
			snprintf(name, sizeof(name), "0x%" PRIx64, l->addr);
		ilp_out_printf(w, "  %-24s %9" PRIu64 " %9s %9s %9s %8" PRIu64 " %9s\n",
			       ilp_escv(&e, name), l->holds, T(&t, l->total_ns),
			       l->holds ? T(&t, l->total_ns / l->holds) : "-", T(&t, l->max_ns),
			       u ? u->waits : 0, T(&t, u ? u->wait_ns : 0));
		ilp_out_printf(w, "    address 0x%" PRIx64 "  hold time p50 %s  p99 %s\n", l->addr,
			       T(&t, ilp_hist_percentile(l->hist, 50)),
			       T(&t, ilp_hist_percentile(l->hist, 99)));
		ilp_text_hold_line(w, l);
		if (l->recursive || l->cond_waits || l->exit_held || l->failed)
			ilp_out_printf(w, "    recursive acquires %" PRIu64 ", released by cond waits %"
				       PRIu64 ", ended by thread exit %" PRIu64 ", failed lock calls %"
				       PRIu64 "\n", l->recursive, l->cond_waits, l->exit_held,
				       l->failed);
		not_counted(w, l);
		for (j = 0; j < l->nsites && j < TOP_SITES; j++) {
			const struct ilp_hold_site *s = &l->sites[j];

			ilp_out_printf(w, "    from %-40s %9" PRIu64 " holds  total %s  max %s\n",
				       ilp_escv(&e, site_name(s, name, sizeof(name))), s->holds,
				       T(&t, s->total_ns), T(&t, s->max_ns));
		}
		if (l->nsites > TOP_SITES || l->site_more)
			ilp_out_printf(w, "    ... %zu more call sites\n",
				       l->nsites > TOP_SITES ? l->nsites - TOP_SITES : 0);
	}
	if (n > TOP_HOLD_LOCKS)
		ilp_out_printf(w, "  ... %zu more mutexes\n", n - TOP_HOLD_LOCKS);
	if (ilp_hproc_untracked(hp))
		ilp_out_printf(w, "  %" PRIu64 " lock events on mutexes past the %u kept apart, "
			       "not counted\n", ilp_hproc_untracked(hp), ILP_HOLD_LOCK_MAX);
}

int ilp_text_holds(FILE *out, const struct ilp_model *m, const struct ilp_report_info *info)
{
	struct ilp_out w = { out, 0 };
	struct ilp_escv e = { .i = 0 };
	size_t np = ilp_model_nprocs(m), i, shown = 0;

	if (!info || !info->lock_holds)
		return 0;
	ilp_out_printf(&w, "\n== Lock holds ==\n");
	ilp_out_printf(&w, "pthread mutexes, from uprobes on libc (--lock-holds): a hold runs "
		       "from the lock call's return to the unlock (a cond wait releases it); "
		       "times include the probes' own traps\n");
	for (i = 0; i < np; i++) {
		const struct ilp_proc *pr = ilp_model_proc(m, i);
		const struct ilp_hproc *hp = ilp_model_hproc(m, ilp_proc_pid(pr));

		if (!ilp_hproc_nlocks(hp))
			continue;
		shown++;
		ilp_out_printf(&w, "pid %d (%s)  mutexes: %zu\n", ilp_proc_pid(pr),
			       ilp_escv(&e, ilp_proc_comm(pr)[0] ? ilp_proc_comm(pr) : "?"),
			       ilp_hproc_nlocks(hp));
		lock_rows(&w, hp, ilp_proc_wait(pr));
	}
	if (!shown)
		ilp_out_printf(&w, "no pthread mutex was locked\n");
	return w.err;
}
