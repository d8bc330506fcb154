// SPDX-License-Identifier: MIT
/*
 * Wall share: see share_internal.h (advance, enter and exit are inline
 * there).  A call inside [enter, exit] gets
 * integral(exit) - integral(enter), where the integral grows by dt / k
 * while k >= 1 threads are inside counted calls.
 */
#include "share_internal.h"

ilp_share_t ilp_share_mark(struct ilp_share_clock *c, uint64_t ts)
{
	ilp_share_advance(c, ts);
	return c->acc;
}

uint64_t ilp_share_carve(struct ilp_share_clock *c, struct ilp_share_slot *s, ilp_share_t mark,
			 uint64_t ts)
{
	uint64_t ns;

	if (!s->on || mark < s->a0)
		return 0;	/* not in a counted call, or the wait began before it */
	ilp_share_advance(c, ts);
	ns = (uint64_t)((c->acc - mark) >> ILP_SHARE_FRAC);
	s->carved += ns;
	return ns;
}
