// SPDX-License-Identifier: MIT
/*
 * --stacks: gives each finding the call site that makes most of its calls
 * ("N+1 loop in fetch_user at app.c:42").  Reads the findings and the
 * call-site aggregates (stacks.h); sets finding.site only.
 */
#include <inttypes.h>
#include <stdio.h>

#include "analyze.h"
#include "stacks.h"
#include "syscalls.h"

#define FRAME_LEN 200

void ilp_findings_set_sites(struct ilp_findings *fs, const struct ilp_stacks *s)
{
	struct ilp_stack top;
	char where[FRAME_LEN];
	uint64_t calls;
	size_t i;

	for (i = 0; s && i < fs->n; i++) {
		struct ilp_finding *f = &fs->v[i];

		int nr = f->nr;		/* -1: several syscalls, no one site */

		if (nr < 0 || !ilp_stacks_sites(s, f->pid, nr, &top, 1))
			continue;
		/* every site of nr in pid, for the share */
		calls = 0;
		for (size_t j = 0; j < ilp_stacks_count(s); j++) {
			const struct ilp_stack *st = ilp_stacks_get(s, j);

			if (st->pid == f->pid && st->nr == nr)
				calls += st->calls;
		}
		ilp_stack_frame_fmt(&top.frames[0], where, sizeof(where));
		snprintf(f->site, sizeof(f->site), "%s %s %s (%" PRIu64 " of %" PRIu64 " %s calls)",
			 ilp_syscall_name(nr), where[0] == '0' ? "at" : "from", where, top.calls,
			 calls, ilp_syscall_name(nr));
	}
}
