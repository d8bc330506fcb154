// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the live reader's sub-buffer parser (rbpage.h):
 * the input's first byte chooses the commit field's size (4 or 8), the
 * rest is the page, in a buffer of exactly its size so ASan sees any read
 * past it.  Every record must lie inside the data the commit covers, and
 * the walk must end.  `make fuzz-rbpage` builds it with clang
 * -fsanitize=fuzzer,address,undefined and runs it for FUZZ_TIME seconds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rbpage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ilp_rbpage p;
	struct ilp_rbrec r;
	unsigned char *page;
	size_t n = 0, psize;
	int long_size;

	if (size < 1)
		return 0;
	long_size = data[0] & 1 ? 8 : 4;
	psize = size - 1;
	page = malloc(psize ? psize : 1);
	if (!page)
		return 0;
	memcpy(page, data + 1, psize);
	if (ilp_rbpage_load(&p, page, psize, long_size) == 0) {
		if (p.data + p.size > page + psize)
			abort();
		while (ilp_rbpage_next(&p, &r)) {
			const unsigned char *d = r.data;

			if (d < p.data || d + r.size > p.data + p.size || ++n > psize / 4)
				abort();
		}
	}
	free(page);
	return 0;
}
