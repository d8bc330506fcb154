// SPDX-License-Identifier: MIT
/* The duty cycle of attach --continuous, see include/duty.h. */
#include "duty.h"

void ilp_duty_init(struct ilp_duty *d, double ratio, uint64_t period_ns, uint64_t t0)
{
	double on;

	d->t0 = t0;
	d->period_ns = period_ns ? period_ns : 1;
	on = ratio >= 1 ? (double)d->period_ns : ratio * (double)d->period_ns;
	d->on_ns = on < 1 ? 1 : on >= (double)d->period_ns ? d->period_ns : (uint64_t)on;
}

int ilp_duty_on(const struct ilp_duty *d, uint64_t t)
{
	if (t < d->t0)
		return 0;
	return (t - d->t0) % d->period_ns < d->on_ns;
}

uint64_t ilp_duty_next(const struct ilp_duty *d, uint64_t t)
{
	uint64_t start, off;

	if (t < d->t0)
		return d->t0;
	if (d->on_ns >= d->period_ns)
		return UINT64_MAX;
	start = t - (t - d->t0) % d->period_ns;	/* this period's */
	off = start + d->on_ns;
	return t < off ? off : start + d->period_ns;
}

/* the capture time in [t0, t0 + x) */
static uint64_t on_before(const struct ilp_duty *d, uint64_t x)
{
	uint64_t rem = x % d->period_ns;

	return x / d->period_ns * d->on_ns + (rem < d->on_ns ? rem : d->on_ns);
}

uint64_t ilp_duty_on_ns(const struct ilp_duty *d, uint64_t a, uint64_t b)
{
	if (a < d->t0)
		a = d->t0;
	if (b <= a)
		return 0;
	return on_before(d, b - d->t0) - on_before(d, a - d->t0);
}
