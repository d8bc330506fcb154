// SPDX-License-Identifier: MIT
/*
 * A ring-buffer sub-buffer's header (include/rbpage.h); its records are
 * read by the inline ilp_rbpage_next().
 */
#include <errno.h>

#include "rbpage.h"

int ilp_rbpage_load(struct ilp_rbpage *p, const void *page, size_t page_size, int long_size)
{
	const unsigned char *s = page;
	size_t start = long_size == 8 ? 16 : 12, room;
	uint64_t commit, stored;

	memset(p, 0, sizeof(*p));
	if ((long_size != 4 && long_size != 8) || page_size < start)
		return -EINVAL;
	room = page_size - start;
	memcpy(&p->ts, s, 8);
	if (long_size == 8)
		memcpy(&commit, s + 8, 8);
	else
		commit = ilp_rb_u32(s + 8);
	p->data = s + start;
	p->size = (uint32_t)(commit & ILP_RB_COMMIT_MASK);
	if (p->size > room) {
		p->size = (uint32_t)room;
		p->corrupt = 1;
	}
	if (commit & ILP_RB_MISSED_EVENTS) {
		p->missed = -1;
		if ((commit & ILP_RB_MISSED_STORED) && !p->corrupt &&
		    room - p->size >= (size_t)long_size) {
			if (long_size == 8)
				memcpy(&stored, p->data + p->size, 8);
			else
				stored = ilp_rb_u32(p->data + p->size);
			p->missed = stored > INT64_MAX ? -1 : (int64_t)stored;
		}
	}
	return 0;
}
