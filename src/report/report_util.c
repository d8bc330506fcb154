// SPDX-License-Identifier: MIT
/* Formatting helpers shared by the human-readable reporters. */

#include <inttypes.h>
#include <stdio.h>

#include "report_util.h"

/* round(v * mult / div), half up, without overflowing for any u64 v */
static uint64_t round_scaled(uint64_t v, uint64_t div, uint64_t mult)
{
	return v / div * mult + ((v % div) * mult + div / 2) / div;
}

int ilp_fmt_time(char *buf, size_t size, uint64_t ns)
{
	static const struct {
		const char *name;
		uint64_t div;
	} units[] = {
		{ "us", 1000 },
		{ "ms", 1000000 },
		{ "s", 1000000000 },
	};
	size_t n = sizeof(units) / sizeof(units[0]);
	uint64_t q;

	if (ns < 1000)
		return snprintf(buf, size, "%" PRIu64 " ns", ns);
	for (size_t i = 0; i < n; i++) {
		const char *u = units[i].name;
		uint64_t div = units[i].div;

		q = round_scaled(ns, div, 100);
		if (q < 1000)
			return snprintf(buf, size, "%" PRIu64 ".%02" PRIu64 " %s",
					q / 100, q % 100, u);
		q = round_scaled(ns, div, 10);
		if (q < 1000)
			return snprintf(buf, size, "%" PRIu64 ".%" PRIu64 " %s",
					q / 10, q % 10, u);
		q = round_scaled(ns, div, 1);
		if (q < 1000 || i == n - 1)
			return snprintf(buf, size, "%" PRIu64 " %s", q, u);
	}
	return snprintf(buf, size, "?");	/* not reached */
}

void ilp_slots_span(const uint64_t *slot, int n, int *first, uint64_t *peak)
{
	int i;

	*first = -1;
	*peak = 0;
	for (i = 0; i < n; i++) {
		if (slot[i] && *first < 0)
			*first = i;
		if (slot[i] > *peak)
			*peak = slot[i];
	}
}
