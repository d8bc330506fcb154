// SPDX-License-Identifier: MIT
/*
 * --stacks: gives each finding the call site that makes most of its calls
 * ("N+1 loop in fetch_user at app.c:42").  Reads the findings and the
 * call-site aggregates (stacks.h); sets finding.site only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyze.h"
#include "stacks.h"
#include "syscalls.h"

#define FRAME_LEN 200

void ilp_findings_set_sites(struct ilp_findings *fs, const struct ilp_stacks *s)
{
	struct ilp_stack *sites;
	size_t i, j, n, max = s ? ilp_stacks_count(s) : 0;
	char where[FRAME_LEN];

	if (!max)
		return;
	sites = malloc(max * sizeof(*sites));
	if (!sites)
		return;		/* out of memory: findings without a site */
	for (i = 0; i < fs->n; i++) {
		struct ilp_finding *f = &fs->v[i];
		const struct ilp_stack *top;
		uint64_t calls = 0;

		int nr = f->nr;		/* -1: several syscalls, no one site */

		if (nr < 0 || !(n = ilp_stacks_sites(s, f->pid, nr, sites, max)))
			continue;
		/*
		 * The site that makes most of the calls, not the one with the
		 * most time: the fix (buffer, batch) is made where the calls
		 * are, and the time of a few slow calls is noise (sites come
		 * sorted by time: a tie goes to the slower).
		 */
		top = &sites[0];
		for (j = 0; j < n; j++) {
			calls += sites[j].calls;
			if (sites[j].calls > top->calls)
				top = &sites[j];
		}
		ilp_stack_frame_fmt(&top->frames[0], where, sizeof(where));
		snprintf(f->site, sizeof(f->site), "%s %s %s (%" PRIu64 " of %" PRIu64 " %s calls)%s",
			 ilp_syscall_name(nr), where[0] == '0' ? "at" : "from", where, top->calls,
			 calls, ilp_syscall_name(nr),
			 ilp_stack_frame_unnamed(&top->frames[0]) ? ILP_FRAME_UNNAMED_WHY : "");
	}
	free(sites);
}
