// SPDX-License-Identifier: MIT
/* Time formatting shared by the detectors' texts and the reporters. */

#include <inttypes.h>
#include <stdio.h>

#include "fmt.h"

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
