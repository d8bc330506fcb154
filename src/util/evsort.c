// SPDX-License-Identifier: MIT
/* Events into time order: a stable merge sort of ascending runs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evsort.h"

int ilp_events_sort(struct ilp_event *v, size_t n)
{
	struct ilp_event *tmp, *src = v, *dst, *t;
	size_t runs = 1, i, r, k, *bd;

	for (i = 1; i < n; i++)
		runs += v[i].ts < v[i - 1].ts;
	if (runs == 1)
		return 0;
	tmp = malloc(n * sizeof(*tmp));
	bd = malloc((runs + 1) * sizeof(*bd));	/* where each run starts, then n */
	if (!tmp || !bd) {
		free(tmp);
		free(bd);
		return -ENOMEM;
	}
	bd[0] = 0;
	for (i = 1, r = 1; i < n; i++)
		if (v[i].ts < v[i - 1].ts)
			bd[r++] = i;
	bd[runs] = n;
	dst = tmp;
	while (runs > 1) {
		/* runs r and r + 1 into one, which starts at bd[k] (k <= r:
		 * the entries still to read are past it) */
		for (r = 0, k = 0; r < runs; r += 2, k++) {
			size_t a = bd[r], mid = bd[r + 1 < runs ? r + 1 : runs];
			size_t b = mid, hi = bd[r + 2 < runs ? r + 2 : runs], o = a;

			while (a < mid && b < hi)	/* the left one first at equal times */
				dst[o++] = src[b].ts < src[a].ts ? src[b++] : src[a++];
			memcpy(dst + o, src + a, (mid - a) * sizeof(*dst));
			o += mid - a;
			memcpy(dst + o, src + b, (hi - b) * sizeof(*dst));
			bd[k] = bd[r];
		}
		bd[k] = n;
		runs = k;
		t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*src));
	free(tmp);
	free(bd);
	return 0;
}
