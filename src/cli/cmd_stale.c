// SPDX-License-Identifier: MIT
/*
 * iolockprof --remove-stale: removes the tracefs instances of iolockprof
 * sessions that are provably dead (include/owner.h), what every session
 * does when it starts, and says what it decided about each one.  The
 * integration tests' runner uses it to clean up with the same proof.
 */
#include <stdio.h>

#include "cli.h"
#include "instance.h"

static void say(void *ctx, const char *name, enum ilp_stale_verdict v)
{
	static const char *const what[] = {
		[ILP_STALE_REMOVED] = "removed (its session is dead)",
		[ILP_STALE_LIVE] = "kept (its session is alive)",
		[ILP_STALE_UNPROVABLE] = "kept (no lock file: an older iolockprof's, or a "
					 "container's; remove it by hand once it is unused)",
		[ILP_STALE_BUSY] = "kept (its session is dead, but a file of it is open; "
				   "removed by a later session)",
	};

	(void)ctx;
	printf("%s: %s\n", name, what[v]);
}

int ilp_cmd_remove_stale(void)
{
	int err = ilp_tracefs_check();

	if (!err)
		err = ilp_instance_remove_stale(say, NULL);
	if (err < 0) {
		ilp_error("--remove-stale", err);
		return ILP_EXIT_FAIL;
	}
	return 0;
}
