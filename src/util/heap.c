// SPDX-License-Identifier: MIT
/* Binary heap over fixed-size elements; see include/heap.h. */
#include <stdint.h>

#include "heap.h"

static void swap(unsigned char *a, unsigned char *b, size_t size)
{
	while (size--) {
		unsigned char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

#define AT(i) ((unsigned char *)base + (i) * size)

void ilp_heap_up(void *base, size_t size, size_t i, ilp_heap_before_fn before)
{
	while (i) {
		size_t up = (i - 1) / 2;

		if (!before(AT(i), AT(up)))
			break;
		swap(AT(i), AT(up), size);
		i = up;
	}
}

void ilp_heap_down(void *base, size_t size, size_t n, size_t i, ilp_heap_before_fn before)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && before(AT(l), AT(m)))
			m = l;
		if (r < n && before(AT(r), AT(m)))
			m = r;
		if (m == i)
			return;
		swap(AT(i), AT(m), size);
		i = m;
	}
}
