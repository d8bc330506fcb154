// SPDX-License-Identifier: MIT
/*
 * --sleep-stacks: gives each finding the kernel function its calls slept
 * in longest ("fsync waited in jbd2_log_wait_commit (journal commit)").
 * Reads the findings and the blocking rows (waitmodel.h: each row knows
 * where its calls slept); sets finding.waited only.
 */
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "model.h"
#include "syscalls.h"
#include "waitmodel.h"

#define FUNCS_MAX 16	/* distinct functions summed per finding; more are rare */

static void set_waited(struct ilp_finding *f, const struct ilp_wproc *wp)
{
	const char *func[FUNCS_MAX], *reason[FUNCS_MAX];
	uint64_t ns[FUNCS_MAX];
	int nr[FUNCS_MAX];
	size_t n = 0, i, j, best = 0;

	for (i = 0; i < ilp_wproc_nblocking(wp); i++) {
		const struct ilp_blocking *b = ilp_wproc_blocking(wp, i);

		if (!b->wfunc || (f->tid && b->tid != f->tid) || (f->nr >= 0 && b->nr != f->nr) ||
		    (f->fobj && b->fobj != f->fobj))
			continue;
		for (j = 0; j < n; j++)
			if (func[j] == b->wfunc && nr[j] == b->nr)
				break;
		if (j == n) {
			if (n == FUNCS_MAX)
				continue;
			func[n] = b->wfunc;
			reason[n] = b->wreason;
			nr[n] = b->nr;
			ns[n++] = 0;
		}
		ns[j] += b->off_ns[ILP_OFF_S] + b->off_ns[ILP_OFF_D];
	}
	if (!n)
		return;
	for (j = 1; j < n; j++)
		if (ns[j] > ns[best])
			best = j;
	snprintf(f->waited, sizeof(f->waited), "%s waited in %s%s%s%s", ilp_syscall_name(nr[best]),
		 func[best], reason[best] ? " (" : "", reason[best] ? reason[best] : "",
		 reason[best] ? ")" : "");
}

void ilp_findings_set_waited(struct ilp_findings *fs, const struct ilp_model *m)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		const struct ilp_proc *p = ilp_model_find_proc(m, fs->v[i].pid);

		if (p)
			set_waited(&fs->v[i], ilp_proc_wait(p));
	}
}
