/* SPDX-License-Identifier: MIT */
#ifndef ILP_RBPAGE_H
#define ILP_RBPAGE_H

/*
 * One ftrace ring-buffer sub-buffer (a page read from trace_pipe_raw),
 * parsed as the kernel writes it (kernel/trace/ring_buffer.c) and as
 * libtraceevent's kbuffer reads it, for the live reader's hot loop: no
 * function pointer per word, no call per record, and every length checked
 * against the data the page's commit covers, so a corrupt page ends early
 * instead of reading out of bounds.
 *
 * The page: a u64 time stamp, the commit (the kernel's long: 4 or 8 bytes,
 * from events/header_page) whose low 27 bits are the bytes of data and
 * whose bit 31 says events were lost before this page (bit 30: their count
 * is stored as a long right after the data), then the data at 12 or 16.
 * Each entry has a u32 header, type_len:5 (low bits) and time_delta:27:
 * type_len 1..28 is a record of 4 * type_len bytes, 0 one whose length is
 * the next u32 (less its own 4, rounded up to 4), 29 padding (a discarded
 * record: the next u32 is its length after that u32's own start; its
 * delta counts, as kbuffer counts it), 30 a time extend (delta + (next u32
 * << 27)), 31 an absolute time stamp (the same, the 5 high bits kept from
 * the time so far).  Host byte order only: the live reader reads its own
 * kernel; trace files (any machine's) keep libtraceevent's kbuffer.
 *
 * The struct is open so a caller can keep it on its stack and the
 * compiler can inline ilp_rbpage_next() into its loop.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ILP_RB_TYPE_DATA_MAX	28	/* type_len 1..28: 4 * type_len bytes of data */
#define ILP_RB_TYPE_PADDING	29
#define ILP_RB_TYPE_TIME_EXTEND	30
#define ILP_RB_TYPE_TIME_STAMP	31
#define ILP_RB_TS_SHIFT		27
#define ILP_RB_TS_MSB		(0xf8ull << 56)	/* not in an absolute time stamp */
#define ILP_RB_COMMIT_MASK	((1u << 27) - 1)
#define ILP_RB_MISSED_EVENTS	(1ull << 31)
#define ILP_RB_MISSED_STORED	(1ull << 30)

struct ilp_rbpage {
	const unsigned char *data;	/* the page's data (after its header) */
	uint32_t size;			/* bytes of data, within the page */
	uint32_t pos;			/* the next entry, from data */
	uint64_t ts;			/* the time of the last entry read */
	int64_t missed;			/* lost before this page: 0, a count, or -1
					 * (some, how many unknown) */
	int corrupt;			/* an entry ran past the data, or the commit
					 * past the page: what was left is skipped */
};

struct ilp_rbrec {
	uint64_t ts;		/* its time stamp */
	const void *data;	/* its payload, in the page */
	uint32_t size;		/* bytes of payload (kbuffer_event_size) */
};

/**
 * ilp_rbpage_load - starts reading a sub-buffer
 * @p: the reader state to fill
 * @page: the sub-buffer, page_size bytes (borrowed: records point into it)
 * @page_size: its bytes (the kernel's sub-buffer size)
 * @long_size: the size of the page header's commit field, 4 or 8
 *	(tep_get_header_page_size)
 *
 * A commit beyond the page is cut to it and marks the page corrupt; a
 * missed-events count stored beyond the page is unknown (-1).
 *
 * Returns 0, or -EINVAL: long_size is neither 4 nor 8, or the page is
 * smaller than its header.
 */
int ilp_rbpage_load(struct ilp_rbpage *p, const void *page, size_t page_size, int long_size);

/**
 * ilp_rb_u32 - a u32 of the page, in host order, at any alignment
 * @s: where it is
 *
 * Returns the value.
 */
static inline uint32_t ilp_rb_u32(const unsigned char *s)
{
	uint32_t v;

	memcpy(&v, s, sizeof(v));
	return v;
}

/**
 * ilp_rbpage_next - the next record of the page
 * @p: the reader state (ilp_rbpage_load)
 * @rec: filled with the record's time stamp, payload and size
 *
 * Time extends, absolute time stamps and padding move the time and are
 * skipped.  An entry that does not fit in the data ends the page and
 * sets p->corrupt; padding that runs past the data (the kernel's filler
 * to the page's end) ends it quietly.
 *
 * Returns 1 with a record in @rec, or 0 at the end of the page.
 */
static inline int ilp_rbpage_next(struct ilp_rbpage *p, struct ilp_rbrec *rec)
{
	const unsigned char *d = p->data;
	uint32_t pos = p->pos, end = p->size, hdr, tl, off, len, x;

	while (end - pos >= 4) {
		hdr = ilp_rb_u32(d + pos);
		tl = hdr & 31;
		if (tl - 1 < ILP_RB_TYPE_DATA_MAX) {
			off = 4;
			len = tl * 4;
		} else if (end - pos < 8) {
			if (tl == ILP_RB_TYPE_PADDING)
				goto out;
			goto bad;
		} else {
			x = ilp_rb_u32(d + pos + 4);
			switch (tl) {
			case 0:
				if (x < 4)
					goto bad;
				off = 8;
				len = ((x - 4) + 3) & ~3u;
				break;
			case ILP_RB_TYPE_PADDING:
				p->ts += hdr >> 5;
				if (x > end - pos - 4)
					goto out;
				pos += 4 + x;
				continue;
			case ILP_RB_TYPE_TIME_EXTEND:
				p->ts += ((uint64_t)x << ILP_RB_TS_SHIFT) + (hdr >> 5);
				pos += 8;
				continue;
			default:	/* ILP_RB_TYPE_TIME_STAMP */
				p->ts = (((uint64_t)x << ILP_RB_TS_SHIFT) + (hdr >> 5)) |
					(p->ts & ILP_RB_TS_MSB);
				pos += 8;
				continue;
			}
		}
		if (len > end - pos - off)
			goto bad;
		p->ts += hdr >> 5;
		p->pos = pos + off + len;
		rec->ts = p->ts;
		rec->data = d + pos + off;
		rec->size = len;
		return 1;
	}
	if (pos == end)
		goto out;
bad:
	p->corrupt = 1;
out:
	p->pos = end;
	return 0;
}

#endif
