// SPDX-License-Identifier: MIT
/*
 * Flame graph layout (include/flame.h).  The stacks are kept as they come
 * (frames in one array, names in one pool); the layout sorts them like
 * flamegraph.pl sorts its folded lines, frame by frame, so equal prefixes
 * are neighbours, and walks them once with the path of open frames: a
 * frame opens where a stack leaves the previous one's path, at the time
 * laid out so far, and closes (drawn, or hidden into its parent) when a
 * stack leaves it.  Memory grows with the frames added.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flame.h"

struct stack {
	size_t first, n;	/* its frames: fr[first .. first + n) */
	uint64_t ns;
	const struct ilp_frame *f;	/* set by the layout, once the arrays stop moving */
};

struct frame {
	int kind;
	size_t name;		/* offset in pool */
};

struct ilp_flame {
	struct stack *st;
	size_t nst, capst;
	struct frame *fr;
	size_t nfr, capfr;
	char *pool;
	size_t npool, cappool;
	struct ilp_frame *view;	/* fr with names as pointers, for the layout */
};

struct ilp_flame *ilp_flame_new(void)
{
	return calloc(1, sizeof(struct ilp_flame));
}

void ilp_flame_free(struct ilp_flame *f)
{
	if (!f)
		return;
	free(f->st);
	free(f->fr);
	free(f->pool);
	free(f->view);
	free(f);
}

/* room for need more elements of size sz in *v (n used, *cap allocated) */
static int grow(void **v, size_t *cap, size_t n, size_t need, size_t sz)
{
	size_t c = *cap ? *cap : 16;
	void *nv;

	if (n + need <= *cap)
		return 0;
	while (c < n + need)
		c *= 2;
	nv = realloc(*v, c * sz);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = c;
	return 0;
}

int ilp_flame_add(struct ilp_flame *f, const struct ilp_frame *frames, size_t n, uint64_t ns)
{
	size_t chars = 0;

	if (!n || n > ILP_FOLD_DEPTH)
		return -EINVAL;
	if (!ns)
		return 0;
	for (size_t i = 0; i < n; i++)
		chars += strlen(frames[i].name) + 1;
	if (grow((void **)&f->st, &f->capst, f->nst, 1, sizeof(*f->st)) ||
	    grow((void **)&f->fr, &f->capfr, f->nfr, n, sizeof(*f->fr)) ||
	    grow((void **)&f->pool, &f->cappool, f->npool, chars, 1))
		return -ENOMEM;
	f->st[f->nst++] = (struct stack){ .first = f->nfr, .n = n, .ns = ns };
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(frames[i].name) + 1;

		f->fr[f->nfr++] = (struct frame){ frames[i].kind, f->npool };
		memcpy(f->pool + f->npool, frames[i].name, len);
		f->npool += len;
	}
	return 0;
}

static int frame_cmp(const struct ilp_frame *a, const struct ilp_frame *b)
{
	int c = strcmp(a->name, b->name);

	return c ? c : (a->kind > b->kind) - (a->kind < b->kind);
}

/* frame by frame; a stack before the longer ones it is a prefix of */
static int stack_cmp(const void *pa, const void *pb)
{
	const struct stack *a = pa, *b = pb;

	for (size_t i = 0; i < a->n && i < b->n; i++) {
		int c = frame_cmp(&a->f[i], &b->f[i]);

		if (c)
			return c;
	}
	return (a->n > b->n) - (a->n < b->n);
}

static int rect_cmp(const void *pa, const void *pb)
{
	const struct ilp_flame_rect *a = pa, *b = pb;

	if (a->depth != b->depth)
		return a->depth - b->depth;
	return (a->x > b->x) - (a->x < b->x);
}

struct open {
	const struct ilp_frame *f;
	uint64_t left_ns, ns, hidden_ns;
};

struct lay {
	double width, min_w;
	struct ilp_flame_rects *out;
	struct open path[ILP_FOLD_DEPTH];
	size_t depth;		/* open frames */
};

/* closes the innermost open frame: drawn, or its time hidden in its parent's */
static void close_frame(struct lay *l)
{
	struct open *o = &l->path[--l->depth];
	double total = (double)l->out->total_ns;
	double w = (double)o->ns * l->width / total;
	struct ilp_flame_rect *r;

	if (w < l->min_w) {
		if (l->depth)
			l->path[l->depth - 1].hidden_ns += o->ns;
		return;
	}
	r = &l->out->v[l->out->n++];
	*r = (struct ilp_flame_rect){
		.name = o->f->name, .kind = o->f->kind, .depth = (int)l->depth, .ns = o->ns,
		.hidden_ns = o->hidden_ns, .x = (double)o->left_ns * l->width / total, .w = w,
		.pct = (double)o->ns * 100.0 / total,
	};
	if ((int)l->depth + 1 > l->out->rows)
		l->out->rows = (int)l->depth + 1;
}

int ilp_flame_layout(struct ilp_flame *f, double width, double min_w,
		     struct ilp_flame_rects *out)
{
	struct lay l = { .width = width, .min_w = min_w, .out = out };
	uint64_t left = 0;
	struct ilp_frame *view;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < f->nst; i++)
		out->total_ns += f->st[i].ns;
	if (!out->total_ns)
		return 0;
	view = realloc(f->view, f->nfr * sizeof(*view));
	out->v = malloc(f->nfr * sizeof(*out->v));
	if (view)
		f->view = view;
	if (!view || !out->v) {
		free(out->v);
		out->v = NULL;
		return -ENOMEM;
	}
	for (size_t i = 0; i < f->nfr; i++)
		view[i] = (struct ilp_frame){ f->fr[i].kind, f->pool + f->fr[i].name };
	for (size_t i = 0; i < f->nst; i++)
		f->st[i].f = view + f->st[i].first;
	qsort(f->st, f->nst, sizeof(*f->st), stack_cmp);
	for (size_t i = 0; i < f->nst; i++) {
		const struct stack *s = &f->st[i];
		size_t same = 0;

		while (same < l.depth && same < s->n && !frame_cmp(l.path[same].f, &s->f[same]))
			same++;
		while (l.depth > same)
			close_frame(&l);
		for (; l.depth < s->n; l.depth++)
			l.path[l.depth] = (struct open){ .f = &s->f[l.depth], .left_ns = left };
		for (size_t d = 0; d < s->n; d++)
			l.path[d].ns += s->ns;
		left += s->ns;
	}
	while (l.depth)
		close_frame(&l);
	qsort(out->v, out->n, sizeof(*out->v), rect_cmp);
	return 0;
}

void ilp_flame_rects_release(struct ilp_flame_rects *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

void ilp_flame_color(int kind, const char *name, char buf[8])
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	unsigned v1, v2, v3, r, g, b;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	v1 = h & 0xff;
	v2 = h >> 8 & 0xff;
	v3 = h >> 16 & 0xff;
	switch (kind) {
	case ILP_FRAME_PROC:
	case ILP_FRAME_THREAD:		/* flamegraph.pl's "yellow" */
		r = g = 175 + 55 * v1 / 255;
		b = 50 + 20 * v1 / 255;
		break;
	case ILP_FRAME_SITE:		/* "hot", its red third: apart from the syscalls */
		r = 205 + 50 * v3 / 255;
		g = 80 * v1 / 255;
		b = 55 * v2 / 255;
		break;
	case ILP_FRAME_OBJECT:		/* "io": off-CPU */
		r = g = 80 + 60 * v1 / 255;
		b = 190 + 55 * v1 / 255;
		break;
	default:			/* syscalls: "orange" */
		r = 190 + 65 * v1 / 255;
		g = 90 + 65 * v1 / 255;
		b = 0;
		break;
	}
	buf[0] = '#';
	for (int i = 0; i < 3; i++) {
		unsigned c = i == 0 ? r : i == 1 ? g : b;

		buf[1 + 2 * i] = "0123456789abcdef"[c >> 4];
		buf[2 + 2 * i] = "0123456789abcdef"[c & 15];
	}
	buf[7] = '\0';
}

size_t ilp_flame_label(const char *s, double w, double glyph, int *dots)
{
	double room = w - 2 * ILP_FLAME_TEXT_PAD;
	size_t fit = room > 0 && glyph > 0 ? (size_t)(room / glyph) : 0;
	size_t chars = 0, i;

	*dots = 0;
	for (i = 0; s[i]; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (chars <= fit)
		return i;
	if (fit < 3)
		return 0;
	/* the bytes of the first fit - 2 characters */
	chars = 0;
	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == fit - 2)
			break;
	}
	*dots = 1;
	return i;
}
