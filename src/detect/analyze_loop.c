// SPDX-License-Identifier: MIT
/*
 * Loops: one thread repeating the same sequence of calls on the same
 * objects, in order (the model's loops, include/loopmodel.h): a
 * transaction per item (open journal -> pwrite x10 -> fdatasync x2 ->
 * close -> unlink -> fsync dir), a request per item, files reopened per
 * item.  One finding for the whole loop; the findings on its objects
 * (the syncs, the reopens, random I/O on the journal) nest under it.
 *
 * Fires when iterations >= th->loop_min and either
 *   - the sequence touches >= 2 objects and has a per-item overhead step
 *     (an open, close, sync or stat, or a path call such as unlink), or
 *   - >= 2 of the per-object detectors fire on its objects (it groups
 *     them: one cause, not several findings);
 * and it is not a plain request/response loop (every step a stream read
 * or write on a socket, pipe or unresolved fd: N+1's, which knows the
 * client from the server).
 *
 * Saving ("up to"): batching every iteration into one leaves one
 * iteration's calls: (n - 1) / n of each step's calls and wall share.
 * The loop claims first (the detector table's first row): the findings
 * nested under it get what it left (ledger.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "fdmodel.h"
#include "loopmodel.h"
#include "fmt.h"
#include "syscalls.h"

#define MAX_OBJS 26		/* named A..Z; more share "?" */

/* a step as shown: its resolved object (the unresolved fds that stood for
 * it in some iterations are the step's others) */
struct vstep {
	const struct ilp_loop_step *s;
	int nr;
	const struct ilp_fdobj *obj;	/* NULL: a path call with no name */
	uint64_t calls, ns;		/* on every object of the step */
};

/* the loop as shown: its steps, objects as letters */
struct view {
	struct vstep v[ILP_LOOP_PERIOD];
	size_t n;
	const struct ilp_fdobj *objs[MAX_OBJS];
	size_t nobjs;
	int more;		/* more distinct objects than letters */
};

static int cat_of(int nr)
{
	return ilp_io_cat(ilp_syscall_class(nr));
}

static int ipc(const struct ilp_fdobj *o)
{
	unsigned t = ilp_fdobj_type(o) & ILP_OBJ_TYPE_MASK;

	return t == ILP_OBJ_PIPE || t == ILP_OBJ_TCP || t == ILP_OBJ_UDP || t == ILP_OBJ_UNIX ||
	       t == ILP_OBJ_SOCKET || t == ILP_OBJ_UNRESOLVED;
}

static int lost(const struct ilp_fdobj *o)
{
	return (ilp_fdobj_type(o) & ILP_OBJ_TYPE_MASK) == ILP_OBJ_UNRESOLVED;
}

static void view_of(const struct ilp_loop *l, struct view *w)
{
	size_t k, i;

	memset(w, 0, sizeof(*w));
	for (k = 0; k < l->nsteps; k++) {
		const struct ilp_loop_step *s = &l->steps[k];
		struct vstep *v = &w->v[k];

		v->s = s;
		v->nr = s->nr;
		v->obj = s->obj;
		v->calls = s->calls;
		v->ns = s->ns;
		for (i = 0; i < s->nalt; i++) {
			v->calls += s->alt_calls[i];
			v->ns += s->alt_ns[i];
			if (s->wild && v->obj == s->obj && !lost(s->alt[i]))
				v->obj = s->alt[i];	/* show the resolved one */
		}
	}
	w->n = l->nsteps;	/* from the model's start: the open an item begins with */
	for (k = 0; k < w->n; k++) {
		const struct ilp_fdobj *o = w->v[k].obj;

		if (!o)
			continue;
		for (i = 0; i < w->nobjs && w->objs[i] != o; i++)
			;
		if (i < w->nobjs)
			continue;
		if (w->nobjs < MAX_OBJS)
			w->objs[w->nobjs++] = o;
		else
			w->more = 1;
	}
}

static char letter(const struct view *w, const struct ilp_fdobj *o)
{
	size_t i;

	for (i = 0; i < w->nobjs; i++)
		if (w->objs[i] == o)
			return (char)('A' + i);
	return '?';
}

int ilp_loop_has_obj(const struct ilp_loop *l, const struct ilp_fdobj *o)
{
	size_t k, i;

	for (k = 0; o && k < l->nsteps; k++) {
		if (l->steps[k].obj == o)
			return 1;
		for (i = 0; i < l->steps[k].nalt; i++)
			if (l->steps[k].alt[i] == o)
				return 1;
	}
	return 0;
}

enum pattern { P_SAME, P_OPENS, P_REQUEST, P_TXN };

static int pattern_of(const struct view *w, int *overhead, int *pure_rr)
{
	int p = P_SAME, wrote = 0;
	size_t k;

	*overhead = 0;
	*pure_rr = 1;
	for (k = 0; k < w->n; k++) {
		const struct vstep *s = &w->v[k];
		int cat = cat_of(s->nr);

		if (!s->obj || cat == ILP_IO_OPEN || cat == ILP_IO_CLOSE || cat == ILP_IO_SYNC ||
		    cat == ILP_IO_STAT)
			*overhead = 1;
		if (!s->obj || !ipc(s->obj) || (cat != ILP_IO_SREAD && cat != ILP_IO_SWRITE))
			*pure_rr = 0;
		if (cat == ILP_IO_SYNC)
			p = P_TXN;
		else if (s->obj && ipc(s->obj) && cat == ILP_IO_SWRITE)
			wrote = 1;
		else if (wrote && s->obj && ipc(s->obj) && cat == ILP_IO_SREAD && p < P_REQUEST)
			p = P_REQUEST;
		else if (cat == ILP_IO_OPEN && p < P_OPENS)
			p = P_OPENS;
	}
	return p;
}

static const char *const pattern_words[] = {
	[P_SAME] = "the same calls per item",
	[P_OPENS] = "files opened per item",
	[P_REQUEST] = "a request per item",
	[P_TXN] = "a transaction per item",
};

/* o is the fd an open step of the loop made: whatever its name, it is a
 * file the iteration opened, not the fd's earlier or unrelated use */
static int opened_here(const struct view *w, const struct ilp_fdobj *o)
{
	size_t k;

	for (k = 0; k < w->n; k++)
		if (w->v[k].obj == o && cat_of(w->v[k].nr) == ILP_IO_OPEN)
			return 1;
	return 0;
}

/* the loop's objects with a name: a lost name may stand for anything (the
 * fd's old object, another file), so it does not make a loop alone */
static size_t named(const struct view *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->nobjs; i++)
		n += !lost(w->objs[i]);
	return n;
}

/* the per-object detectors that fire on the loop's named objects, and on
 * the lost-named fds of a file each iteration opens itself: fast mode loses
 * a short-lived file's name in some or all items (an object per reason it
 * was lost: closed, reused, the process gone, each a step's other object),
 * and a detector that fires on such an fd already takes it for one object,
 * so the loop groups its finding (one cause, one finding) instead of
 * leaving two beside it */
static int grouped(const struct ilp_analysis *a, const struct view *w)
{
	const struct ilp_fdobj *seen[ILP_LOOP_PERIOD * (1 + ILP_LOOP_ALTS)];
	size_t nseen = 0, k, i, j;
	int n = 0;

	for (k = 0; k < w->n; k++) {
		const struct ilp_loop_step *s = w->v[k].s;
		int here = w->v[k].obj && opened_here(w, w->v[k].obj);

		for (i = 0; i <= s->nalt; i++) {
			const struct ilp_fdobj *o = i ? s->alt[i - 1] : s->obj;

			if (!o || (lost(o) && !here))
				continue;
			for (j = 0; j < nseen && seen[j] != o; j++)
				;
			if (j < nseen)
				continue;
			seen[nseen++] = o;
			n += ilp_fsync_fires(a, o) + ilp_repeat_fires(a, o) + ilp_random_fires(a, o) +
			     ilp_unbuffered_fires(a, o) + ilp_nplus1_obj_fires(a, o);
		}
	}
	return n;
}

/* calls / n to a tenth: "10", "2.5" */
static void avg(char *buf, size_t size, uint64_t calls, uint64_t n)
{
	uint64_t tenths = n ? (calls * 10 + n / 2) / n : 0;

	if (tenths % 10)
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64, tenths / 10, tenths % 10);
	else
		snprintf(buf, size, "%" PRIu64, tenths / 10);
}

/* " x10", " x2.5" (calls per iteration), or "" for one */
static void per_iter(char *buf, size_t size, uint64_t calls, uint64_t n)
{
	char a[24];

	avg(a, sizeof(a), calls, n);
	if (!strcmp(a, "1"))
		buf[0] = '\0';
	else
		snprintf(buf, size, " x%s", a);
}

/* appends to buf at *len, never past size (a cut is marked "...") */
static void append(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len >= size - 1)
		return;
	if (*len + n >= size - 1) {
		n = size - 1 - *len;
		memcpy(buf + *len, s, n);
		*len += n;
		buf[*len] = '\0';
		if (size > 4)
			memcpy(buf + size - 4, "...", 4);
		return;
	}
	memcpy(buf + *len, s, n + 1);
	*len += n;
}

/* "fd 5" of "fd 5 (name lost: ...)": how the legend names an fd whose name
 * was lost (the reason is the object's own finding's business) */
static const char *fdno(const struct ilp_fdobj *o, char *buf, size_t size)
{
	const char *d = ilp_fdobj_desc(o), *paren = strstr(d, " (");

	snprintf(buf, size, "%.*s", paren ? (int)(paren - d) : (int)strlen(d), d);
	return buf;
}

static void describe(struct ilp_finding *f, const struct ilp_loop *l, const struct view *w,
		     int pattern)
{
	char legend[ILP_FINDING_TEXT] = "", piece[2 * ILP_FINDING_OBJ + 64],
	     name[ILP_FINDING_OBJ], other[ILP_FINDING_OBJ], x[32];
	size_t k, j, len = 0, llen = 0, olen = 0, i, nlost;
	int n;

	for (i = 0; i < w->nobjs; i++) {
		ilp_fdobj_format(w->objs[i], name, sizeof(name));
		snprintf(piece, sizeof(piece), "%s%c = %s", i ? ", " : "", (char)('A' + i), name);
		append(legend, sizeof(legend), &llen, piece);
		snprintf(piece, sizeof(piece), "%s%s", i ? ", " : "", name);
		append(f->object, sizeof(f->object), &olen, piece);
		/* the fds whose name was lost in some iterations of its steps */
		nlost = 0;
		for (k = 0; k < w->n; k++) {
			const struct ilp_loop_step *st = w->v[k].s;

			if (w->v[k].obj != w->objs[i])
				continue;
			for (j = 0; j <= st->nalt; j++) {
				const struct ilp_fdobj *o = j < st->nalt ? st->alt[j] : st->obj;

				if (o == w->objs[i] || !lost(o) || strstr(legend, fdno(o, other, sizeof(other))))
					continue;
				snprintf(piece, sizeof(piece), nlost++ ? ", %s" : ", its name lost in some"
					 " iterations (%s", other);
				append(legend, sizeof(legend), &llen, piece);
			}
		}
		if (nlost)
			append(legend, sizeof(legend), &llen, ")");
	}
	if (w->more) {
		append(legend, sizeof(legend), &llen, ", ...");
		append(f->object, sizeof(f->object), &olen, ", ...");
	}
	n = snprintf(f->what, sizeof(f->what), "%s, %" PRIu64 " times: ", pattern_words[pattern],
		     l->iterations);
	len = n > 0 ? (size_t)n : 0;
	for (k = 0; k < w->n; k++) {
		const struct vstep *s = &w->v[k];

		per_iter(x, sizeof(x), s->calls, l->iterations);
		if (s->obj)
			snprintf(piece, sizeof(piece), "%s%s%s %c", k ? " -> " : "",
				 ilp_syscall_name(s->nr), x, letter(w, s->obj));
		else
			snprintf(piece, sizeof(piece), "%s%s%s", k ? " -> " : "",
				 ilp_syscall_name(s->nr), x);
		/* keep room for the legend */
		if (len + strlen(piece) + llen + 8 >= sizeof(f->what)) {
			append(f->what, sizeof(f->what), &len, " -> ...");
			break;
		}
		append(f->what, sizeof(f->what), &len, piece);
	}
	if (llen) {
		append(f->what, sizeof(f->what), &len, " (");
		append(f->what, sizeof(f->what), &len, legend);
		append(f->what, sizeof(f->what), &len, ")");
	}
}

/*
 * (n - 1) / n of every step's calls and share, on each of its objects:
 * the step's calls rounded down once, split over its object and its
 * alternates by largest remainder (each part at most its own calls)
 */
static int claim(const struct ilp_analysis *a, const struct ilp_proc *p,
		 const struct ilp_loop *l, struct ilp_claim *cl)
{
	uint64_t n = l->iterations;
	size_t k, i;
	int err = 0;

	for (k = 0; k < l->nsteps && !err; k++) {
		const struct ilp_loop_step *s = &l->steps[k];
		uint64_t calls[1 + ILP_LOOP_ALTS], part[1 + ILP_LOOP_ALTS], total = 0, given = 0;
		size_t np = 1 + s->nalt, best;

		calls[0] = s->calls;
		for (i = 0; i < s->nalt; i++)
			calls[1 + i] = s->alt_calls[i];
		for (i = 0; i < np; i++) {
			total += calls[i];
			part[i] = ilp_scale(calls[i], n - 1, n);
			given += part[i];
		}
		while (given < ilp_scale(total, n - 1, n)) {	/* the remainders, largest first */
			for (best = np, i = 0; i < np; i++)
				if (part[i] < calls[i] &&
				    (best == np || calls[i] * (n - 1) % n > calls[best] * (n - 1) % n))
					best = i;
			if (best == np)
				break;
			part[best]++;
			given++;
		}
		err = s->obj ? ilp_claim_io(a, cl, s->obj, cat_of(s->nr), part[0],
					    ilp_scale(s->share, n - 1, n))
			     : ilp_claim_rest(a, cl, p, part[0], ilp_scale(s->share, n - 1, n));
		for (i = 0; !err && i < s->nalt; i++)
			err = ilp_claim_io(a, cl, s->alt[i], cat_of(s->nr), part[1 + i],
					   ilp_scale(s->alt_share[i], n - 1, n));
	}
	return err;
}

static void fix_of(struct ilp_finding *f, int pattern, int overhead)
{
	switch (pattern) {
	case P_TXN:
		snprintf(f->fix, sizeof(f->fix),
			 "batch the items: one transaction and one sync per batch, not per item"
			 " (BEGIN ... COMMIT around many statements, or a group commit)%s",
			 overhead ? "; keep the files open across items instead of creating,"
				    " opening and deleting them per item" : "");
		break;
	case P_REQUEST:
		snprintf(f->fix, sizeof(f->fix),
			 "batch the requests: one request (or one pipelined exchange) for many items");
		break;
	case P_OPENS:
		snprintf(f->fix, sizeof(f->fix),
			 "open the files once and keep them open across items (or cache what is read)");
		break;
	default:
		snprintf(f->fix, sizeof(f->fix), "do the per-item calls once per batch of items");
		break;
	}
}

static int loop_finding(const struct ilp_analysis *a, const struct ilp_proc *p,
			const struct ilp_loop *l, struct ilp_findings *out)
{
	const struct ilp_thresholds *th = a->th;
	uint64_t n = l->iterations, calls = 0, ns = 0;
	char per[ILP_FMT_TIME_LEN], top[ILP_FMT_TIME_LEN], span[ILP_FMT_TIME_LEN], x[32], c[24],
	     on[8];
	const struct vstep *costly;
	struct ilp_claim cl = { 0 };
	struct ilp_share_text st;
	struct ilp_finding *f;
	struct view w;
	int overhead, pure_rr, pattern;
	size_t k;

	if (n < th->loop_min || n < 2)
		return 0;
	view_of(l, &w);
	pattern = pattern_of(&w, &overhead, &pure_rr);
	if (pure_rr || !((overhead && named(&w) + w.more >= 2) || grouped(a, &w) >= 2))
		return 0;
	f = ilp_finding_add(out, "loop", "loop", p);
	if (!f || claim(a, p, l, &cl))
		return -ENOMEM;
	f->tid = l->tid;
	f->loop = l;
	f->count = n;
	f->threshold = th->loop_min;
	costly = &w.v[0];
	for (k = 0; k < w.n; k++) {
		calls += w.v[k].calls;
		ns += w.v[k].ns;
		if (w.v[k].ns > costly->ns)
			costly = &w.v[k];
	}
	f->time_ns = ns;
	f->saving_calls = cl.calls;
	f->saving_ns = cl.share_ns;
	describe(f, l, &w, pattern);
	ilp_fmt_time(per, sizeof(per), ns / n);
	ilp_fmt_time(top, sizeof(top), costly->ns / n);
	ilp_fmt_time(span, sizeof(span), l->last_ts > l->first_ts ? l->last_ts - l->first_ts : 0);
	ilp_share_text(&st, ns, a->wall_ns);
	per_iter(x, sizeof(x), costly->calls, n);
	avg(c, sizeof(c), calls, n);
	if (costly->obj)
		snprintf(on, sizeof(on), " on %c", letter(&w, costly->obj));
	else
		on[0] = '\0';
	snprintf(f->evidence, sizeof(f->evidence),
		 "each iteration: %s calls in %s (%s%s%s: %s); %s inside the loop's calls (%s),"
		 " over %s", c, per, ilp_syscall_name(costly->nr), x, on, top, st.time, st.share,
		 span);
	snprintf(f->why, sizeof(f->why),
		 "the same %zu steps on %zu object%s, in order, %" PRIu64 " times >= %" PRIu64
		 " (--loop-min)%s", w.n, w.nobjs, w.nobjs == 1 ? "" : "s", n, th->loop_min,
		 pattern == P_TXN ? "; every iteration syncs" :
		 pattern == P_REQUEST ? "; every iteration writes a request and reads the answer" :
		 pattern == P_OPENS ? "; every iteration opens its files again" : "");
	fix_of(f, pattern, overhead);
	return 0;
}

int ilp_detect_loop(const struct ilp_analysis *a, const struct ilp_proc *p,
		    struct ilp_findings *out)
{
	const struct ilp_fdproc *fds = ilp_proc_fds(p);
	size_t i;
	int err;

	for (i = 0; i < ilp_fdproc_nloops(fds); i++) {
		err = loop_finding(a, p, ilp_fdproc_loop(fds, i), out);
		if (err)
			return err;
	}
	return 0;
}
