/* SPDX-License-Identifier: MIT */
#ifndef ILP_TEST_SUMRULE_H
#define ILP_TEST_SUMRULE_H

/*
 * The sum rule every findings test checks (docs/detectors.md): the savings
 * of all findings, nested ones included, add up to at most the wall time
 * and at most the profiled threads' time inside syscalls; the syscalls
 * they remove, to at most the calls made (syscalls and completed io_uring
 * requests: a finding on requests removes requests).  Counted here from the model's
 * plain totals, independently of the ledger that should make it true.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "analyze.h"
#include "model.h"
#include "uringmodel.h"

static inline void assert_sum_rule(const struct ilp_model *m, const struct ilp_findings *f,
				   uint64_t wall_ns)
{
	uint64_t saving = 0, calls = 0, sys_ns = 0, sys_calls = 0;
	size_t i;

	for (i = 0; i < ilp_model_nprocs(m); i++) {
		sys_ns += ilp_proc_total_ns(ilp_model_proc(m, i));
		sys_calls += ilp_proc_calls(ilp_model_proc(m, i));
		if (ilp_proc_uring(ilp_model_proc(m, i)))
			sys_calls += ilp_uproc_totals(ilp_proc_uring(ilp_model_proc(m, i)))->completed;
	}
	for (i = 0; i < f->n; i++) {
		saving += f->v[i].saving_ns;
		calls += f->v[i].saving_calls;
	}
	if (saving > wall_ns || saving > sys_ns || calls > sys_calls)
		fail_msg("sum rule: savings %llu ns (wall %llu ns, in syscalls %llu ns),"
			 " %llu calls removed of %llu", (unsigned long long)saving,
			 (unsigned long long)wall_ns, (unsigned long long)sys_ns,
			 (unsigned long long)calls, (unsigned long long)sys_calls);
}

#endif
