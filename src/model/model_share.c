// SPDX-License-Identifier: MIT
/*
 * Wall share: see share_internal.h.  A call inside [enter, exit] gets
 * integral(exit) - integral(enter), where the integral grows by dt / k
 * while k >= 1 threads are inside counted calls.
 */
#include "share_internal.h"

void ilp_share_advance(struct ilp_share_clock *c, uint64_t ts)
{
	uint64_t dt;

	if (ts <= c->ts)
		return;
	dt = ts - c->ts;
	c->ts = ts;
	if (c->k == 1)		/* the common cases without a 128-bit division */
		c->acc += (ilp_share_t)dt << ILP_SHARE_FRAC;
	else if (c->k && dt < (1ull << (64 - ILP_SHARE_FRAC)))
		c->acc += (dt << ILP_SHARE_FRAC) / c->k;
	else if (c->k)
		c->acc += ((ilp_share_t)dt << ILP_SHARE_FRAC) / c->k;
}

void ilp_share_enter(struct ilp_share_clock *c, struct ilp_share_slot *s, uint64_t ts,
		     int counted)
{
	ilp_share_advance(c, ts);
	if (s->on)
		c->k--;		/* an enter replaced an enter: the old call is lost */
	s->on = counted;
	s->carved = 0;
	if (counted) {
		c->k++;
		s->a0 = c->acc;
	}
}

uint64_t ilp_share_exit(struct ilp_share_clock *c, struct ilp_share_slot *s, uint64_t ts)
{
	uint64_t ns;

	if (!s->on)
		return 0;
	ilp_share_advance(c, ts);
	c->k--;
	s->on = 0;
	ns = (uint64_t)((c->acc - s->a0) >> ILP_SHARE_FRAC);
	return ns > s->carved ? ns - s->carved : 0;
}

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
