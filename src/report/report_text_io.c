// SPDX-License-Identifier: MIT
/*
 * "I/O by object" table of the text report (pt-ioprofile with latency):
 * per process, the objects its fds named (files, sockets, pipes...) with
 * the most time inside calls on them, `top` rows.  Column
 * widths come from the data (strace count.c style).  Formatting only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "esc.h"
#include "fdmodel.h"
#include "hist.h"
#include "report_text_parts.h"
#include "fmt.h"

#define OBJ_MAX 64	/* longer names keep their tail: "file ...dir/file" */
#define CELL (OBJ_MAX + sizeof(ILP_OBJ_ARG_MARK) + 16)

typedef void (*io_cell_fn)(char *buf, size_t size, const struct ilp_fdobj *o);

struct io_col {
	const char *header;
	int left;
	io_cell_fn cell;
};

/* a name longer than OBJ_MAX keeps its tail ("file ...dir/file"); the
 * "(name from call argument)" mark comes on top of it.  The name is
 * escaped (esc.h) before it is cut, at a whole character or escape. */
static void c_obj(char *buf, size_t size, const struct ilp_fdobj *o)
{
	unsigned type = ilp_fdobj_type(o);
	const char *tname = ilp_obj_type_name(type), *cut;
	const char *mark = (type & ILP_OBJ_F_FROM_ARG) ? ILP_OBJ_ARG_MARK : "";
	char desc[ILP_ESC_CELL], full[ILP_ESC_CELL];
	size_t head = strlen(tname) + 1, dlen;

	ilp_esc(desc, sizeof(desc), ilp_fdobj_desc(o));
	dlen = strlen(desc);
	if ((type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_UNRESOLVED || head + dlen <= OBJ_MAX ||
	    head + 3 >= OBJ_MAX) {
		ilp_fdobj_format(o, full, sizeof(full));
		ilp_esc(buf, size, full);
		return;
	}
	cut = desc + dlen - (OBJ_MAX - head - 3);
	/* not inside a UTF-8 character or a \xNN escape */
	while (*cut && ((*cut & 0xc0) == 0x80 || (cut > desc && cut[-1] == '\\') ||
			(cut - desc >= 2 && cut[-2] == '\\' && cut[-1] == 'x') ||
			(cut - desc >= 3 && cut[-3] == '\\' && cut[-2] == 'x')))
		cut++;
	snprintf(buf, size, "%s ...%s%s", tname, cut, mark);
}

#define U64_CELL(name, expr)							\
	static void name(char *buf, size_t size, const struct ilp_fdobj *o)	\
	{									\
		const struct ilp_io_stats *s = ilp_fdobj_stats(o);		\
		snprintf(buf, size, "%" PRIu64, (uint64_t)(expr));		\
	}

U64_CELL(c_calls, s->ops)
U64_CELL(c_reads, s->reads)
U64_CELL(c_writes, s->writes)
U64_CELL(c_rbytes, s->rbytes)
U64_CELL(c_wbytes, s->wbytes)
U64_CELL(c_syncs, s->syncs)
U64_CELL(c_other, s->opens + s->stats + s->closes + s->others)

static void c_time(char *buf, size_t size, const struct ilp_fdobj *o)
{
	ilp_fmt_time(buf, size, ilp_fdobj_stats(o)->total_ns);
}

static void c_p99(char *buf, size_t size, const struct ilp_fdobj *o)
{
	const struct ilp_hist *h = ilp_fdobj_stats(o)->lat;

	if (!h || !ilp_hist_count(h))
		snprintf(buf, size, "-");
	else
		ilp_fmt_time(buf, size, ilp_hist_percentile(h, 99.0));
}

static const struct io_col cols[] = {
	{ "object", 1, c_obj },
	{ "calls", 0, c_calls },
	{ "reads", 0, c_reads },
	{ "writes", 0, c_writes },
	{ "read B", 0, c_rbytes },
	{ "written B", 0, c_wbytes },
	{ "syncs", 0, c_syncs },
	{ "other", 0, c_other },
	{ "time", 0, c_time },
	{ "p99", 0, c_p99 },
};

#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* row i of the table: the top objects, then the "more" object if any */
static const struct ilp_fdobj *row(const struct ilp_fdproc *fds, size_t i, size_t shown,
				   const struct ilp_fdobj *more)
{
	return i < shown ? ilp_fdproc_obj(fds, i) : more;
}

int ilp_text_io(FILE *out, const struct ilp_proc *p, int top)
{
	const struct ilp_fdproc *fds = ilp_proc_fds(p);
	size_t n = ilp_fdproc_nobjs(fds), shown = n < (size_t)top ? n : (size_t)top, rows;
	uint64_t more_objs = 0, more_fds = 0;
	int width[NCOLS], r = 0, exact = 1;
	const struct ilp_fdobj *more = ilp_fdproc_more(fds, &more_objs, &exact, &more_fds);
	char cell[CELL];
	size_t c, i;

	if (!n && !more)
		return 0;
	rows = shown + (more != NULL);
	for (c = 0; c < NCOLS; c++) {
		width[c] = (int)strlen(cols[c].header);
		for (i = 0; i < rows; i++) {
			cols[c].cell(cell, sizeof(cell), row(fds, i, shown, more));
			if ((int)strlen(cell) > width[c])
				width[c] = (int)strlen(cell);
		}
	}
	r |= fprintf(out, "\n  I/O by object (time inside calls on it; top %zu of %zu):\n",
		     shown, n) < 0;
	r |= fprintf(out, "  ") < 0;
	for (c = 0; c < NCOLS; c++)
		r |= fprintf(out, "%s%*s", c ? "  " : "", cols[c].left ? -width[c] : width[c],
			     cols[c].header) < 0;
	r |= fprintf(out, "\n") < 0;
	for (i = 0; i < rows; i++) {
		if (i == shown && shown < n)
			r |= fprintf(out, "  ... %zu more objects\n", n - shown) < 0;
		r |= fprintf(out, "  ") < 0;
		for (c = 0; c < NCOLS; c++) {
			cols[c].cell(cell, sizeof(cell), row(fds, i, shown, more));
			r |= fprintf(out, "%s%*s", c ? "  " : "",
				     cols[c].left ? -width[c] : width[c], cell) < 0;
		}
		r |= fprintf(out, "\n") < 0;
	}
	if (!more && shown < n)
		r |= fprintf(out, "  ... %zu more objects\n", n - shown) < 0;
	if (more)
		r |= fprintf(out, "  (the last row: the calls on %s%" PRIu64 " objects past the first %u "
			     "and on %" PRIu64 " fds opened past the %u fds >= 1024 tracked, counted "
			     "together)\n", exact ? "" : "at least ", more_objs, ILP_FDOBJ_MAX,
			     more_fds, ILP_FD_SPARSE_MAX) < 0;
	return r ? (errno ? -errno : -EIO) : 0;
}
