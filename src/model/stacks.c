// SPDX-License-Identifier: MIT
/*
 * Call-site aggregation (include/stacks.h).  Stacks live in one growing
 * array; an open-addressing hash (linear probing, load <= 1/2) maps
 * (pid, nr, pcs) to an index.  Memory grows with distinct stacks only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stacks.h"

struct entry {
	struct ilp_stack st;
	struct ilp_stack_frame *frames;
	uint64_t hash;
};

struct ilp_stacks {
	struct entry *v;
	size_t n, cap;
	int32_t *table;		/* index + 1; 0 = empty */
	size_t tsize;		/* power of two */
	const struct ilp_stack **sorted;
	size_t nsorted;
	int fp_walks;		/* ilp_stacks_set_fp_walks() */
};

struct ilp_stacks *ilp_stacks_new(void)
{
	return calloc(1, sizeof(struct ilp_stacks));
}

void ilp_stacks_free(struct ilp_stacks *s)
{
	size_t i, j;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		for (j = 0; j < s->v[i].st.nframes; j++) {
			free((char *)s->v[i].frames[j].func);
			free((char *)s->v[i].frames[j].file);
			free((char *)s->v[i].frames[j].module);
		}
		free(s->v[i].frames);
	}
	free(s->v);
	free(s->table);
	free(s->sorted);
	free(s);
}

static uint64_t hash_key(int pid, int nr, const uint64_t *pcs, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	h = (h ^ (uint32_t)pid) * 1099511628211ull;
	h = (h ^ (uint32_t)nr) * 1099511628211ull;
	for (i = 0; i < n; i++)
		h = (h ^ pcs[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static int same(const struct entry *e, uint64_t h, int pid, int nr, const uint64_t *pcs, size_t n)
{
	size_t i;

	if (e->hash != h || e->st.pid != pid || e->st.nr != nr || e->st.nframes != n)
		return 0;
	for (i = 0; i < n; i++)
		if (e->frames[i].pc != pcs[i])
			return 0;
	return 1;
}

static int rehash(struct ilp_stacks *s, size_t tsize)
{
	int32_t *t = calloc(tsize, sizeof(*t));
	size_t i, k;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < s->n; i++) {
		for (k = s->v[i].hash & (tsize - 1); t[k]; k = (k + 1) & (tsize - 1))
			;
		t[k] = (int32_t)i + 1;
	}
	free(s->table);
	s->table = t;
	s->tsize = tsize;
	return 0;
}

int ilp_stacks_intern(struct ilp_stacks *s, int pid, int nr, const uint64_t *pcs,
		      size_t n, int *is_new)
{
	struct entry *e;
	uint64_t h;
	size_t k;

	*is_new = 0;
	if (!n)
		return -EINVAL;
	if (n > ILP_STACK_MAX)
		n = ILP_STACK_MAX;
	h = hash_key(pid, nr, pcs, n);
	if (s->tsize) {
		for (k = h & (s->tsize - 1); s->table[k]; k = (k + 1) & (s->tsize - 1))
			if (same(&s->v[s->table[k] - 1], h, pid, nr, pcs, n))
				return s->table[k] - 1;
	}
	if (s->n >= INT32_MAX - 1)
		return -ENOMEM;
	if ((s->n + 1) * 2 > s->tsize && rehash(s, s->tsize ? s->tsize * 2 : 64))
		return -ENOMEM;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct entry *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	e = &s->v[s->n];
	memset(e, 0, sizeof(*e));
	e->frames = calloc(n, sizeof(*e->frames));
	if (!e->frames)
		return -ENOMEM;
	for (k = 0; k < n; k++)
		e->frames[k].pc = pcs[k];
	e->hash = h;
	e->st.pid = pid;
	e->st.nr = nr;
	e->st.nframes = n;
	for (k = h & (s->tsize - 1); s->table[k]; k = (k + 1) & (s->tsize - 1))
		;
	s->table[k] = (int32_t)s->n + 1;
	*is_new = 1;
	return (int)s->n++;
}

static int is_system_module(const char *m)
{
	static const char *const dirs[] = { "/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/" };
	size_t i;

	if (!m)
		return 1;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(m, dirs[i], strlen(dirs[i])))
			return 1;
	return m[0] == '[' || strstr(m, "linux-vdso") != NULL;
}

static size_t pick_site(const struct entry *e)
{
	size_t j;

	for (j = 0; j < e->st.nframes; j++)
		if (e->frames[j].module && !is_system_module(e->frames[j].module))
			return j;
	for (j = 0; j < e->st.nframes; j++)
		if (e->frames[j].file && e->frames[j].line > 0)
			return j;
	return 0;
}

int ilp_stacks_name_frame(struct ilp_stacks *s, int id, size_t i, const char *func,
			  const char *file, int line, const char *module)
{
	struct ilp_stack_frame *f;
	struct entry *e;

	if (id < 0 || (size_t)id >= s->n || i >= s->v[id].st.nframes)
		return -EINVAL;
	e = &s->v[id];
	f = &e->frames[i];
	free((char *)f->func);
	free((char *)f->file);
	free((char *)f->module);
	f->func = func ? strdup(func) : NULL;
	f->file = file ? strdup(file) : NULL;
	f->module = module ? strdup(module) : NULL;
	f->line = line;
	e->st.site = pick_site(e);
	if ((func && !f->func) || (file && !f->file) || (module && !f->module))
		return -ENOMEM;
	return 0;
}

void ilp_stacks_add(struct ilp_stacks *s, int id, uint64_t ns)
{
	struct ilp_stack *st;

	if (id < 0 || (size_t)id >= s->n)
		return;
	st = &s->v[id].st;
	st->calls++;
	st->total_ns += ns;
	if (ns > st->max_ns)
		st->max_ns = ns;
}

static int by_total(const void *a, const void *b)
{
	const struct ilp_stack *x = *(const struct ilp_stack *const *)a;
	const struct ilp_stack *y = *(const struct ilp_stack *const *)b;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x < y ? -1 : x > y;
}

int ilp_stacks_index(struct ilp_stacks *s)
{
	const struct ilp_stack **v;
	size_t i, n = 0;

	v = realloc(s->sorted, (s->n ? s->n : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->sorted = v;
	for (i = 0; i < s->n; i++) {
		s->v[i].st.frames = s->v[i].frames;
		if (s->v[i].st.calls)
			v[n++] = &s->v[i].st;
	}
	qsort(v, n, sizeof(*v), by_total);
	s->nsorted = n;
	return 0;
}

size_t ilp_stacks_count(const struct ilp_stacks *s)
{
	return s ? s->nsorted : 0;
}

const struct ilp_stack *ilp_stacks_get(const struct ilp_stacks *s, size_t i)
{
	return i < s->nsorted ? s->sorted[i] : NULL;
}

static int same_site(const struct ilp_stack_frame *a, const struct ilp_stack_frame *b)
{
	if (a->file || b->file)
		return a->file && b->file && a->line == b->line && !strcmp(a->file, b->file) &&
		       ((!a->func && !b->func) || (a->func && b->func && !strcmp(a->func, b->func)));
	if (a->func || b->func)
		return a->func && b->func && !strcmp(a->func, b->func);
	return a->pc == b->pc;
}

size_t ilp_stacks_sites(const struct ilp_stacks *s, int pid, int nr,
			struct ilp_stack *out, size_t max)
{
	struct ilp_stack *v = out;
	size_t i, j, n = 0, cap = max;

	if (!s || !max)
		return 0;
	/* merge every site first (a merged sum can overtake): room for all */
	if (s->nsorted > max) {
		v = malloc(s->nsorted * sizeof(*v));
		if (v)
			cap = s->nsorted;
		else
			v = out;	/* out of memory: the first max sites only */
	}
	for (i = 0; i < s->nsorted; i++) {
		const struct ilp_stack *st = s->sorted[i];
		const struct ilp_stack_frame *f = &st->frames[st->site];

		if (st->pid != pid || (nr >= 0 && st->nr != nr))
			continue;
		for (j = 0; j < n; j++)
			if (v[j].nr == st->nr && same_site(&v[j].frames[0], f))
				break;
		if (j == n) {
			if (n == cap)
				continue;
			v[n] = *st;
			v[n].frames = f;
			v[n].nframes = 1;
			v[n].site = 0;
			n++;
			continue;
		}
		v[j].calls += st->calls;
		v[j].total_ns += st->total_ns;
		if (st->max_ns > v[j].max_ns)
			v[j].max_ns = st->max_ns;
	}
	/* merged sums can reorder: sort again (stable on first appearance) */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j].total_ns > v[j - 1].total_ns; j--) {
			struct ilp_stack t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	if (n > max)
		n = max;
	if (v != out) {
		memcpy(out, v, n * sizeof(*v));
		free(v);
	}
	return n;
}

void ilp_stacks_set_fp_walks(struct ilp_stacks *s)
{
	s->fp_walks = 1;
}

/* the dynamic loader: ld-linux-x86-64.so.2, ld64.so.1, ld-musl-x86_64.so.1 */
static int is_loader(const char *m)
{
	const char *b = m ? strrchr(m, '/') : NULL;

	b = b ? b + 1 : m;
	return b && (!strncmp(b, "ld-", 3) || !strncmp(b, "ld64.", 5) || !strncmp(b, "ld.so", 5));
}

int ilp_stacks_no_fp(const struct ilp_stacks *s, int pid, uint64_t *without, uint64_t *of)
{
	uint64_t none = 0, all = 0;
	size_t i, j;

	for (i = 0; s && s->fp_walks && i < s->nsorted; i++) {
		const struct ilp_stack *st = s->sorted[i];
		const struct ilp_stack_frame *f = st->frames;

		/* the loader's own calls at start-up, and calls of an
		 * unknown frame 0 (execve: the image before), say nothing
		 * of the program */
		if (st->pid != pid || !f[0].module || is_loader(f[0].module))
			continue;
		all += st->calls;
		for (j = 0; j < st->nframes; j++)
			if (f[j].func && !is_system_module(f[j].module))
				break;
		if (j == st->nframes)
			none += st->calls;
	}
	if (without)
		*without = none;
	if (of)
		*of = all;
	return all && none * 2 > all;
}

int ilp_stack_frame_unnamed(const struct ilp_stack_frame *f)
{
	return !f->func && !f->file && !f->module;
}

void ilp_stack_frame_fmt(const struct ilp_stack_frame *f, char *buf, size_t len)
{
	const char *file = f->file, *slash;

	if (file && (slash = strrchr(file, '/')))
		file = slash + 1;
	if (f->func && file && f->line > 0)
		snprintf(buf, len, "%s (%s:%d)", f->func, file, f->line);
	else if (f->func)
		snprintf(buf, len, "%s", f->func);
	else if (file && f->line > 0)
		snprintf(buf, len, "0x%" PRIx64 " (%s:%d)", f->pc, file, f->line);
	else
		snprintf(buf, len, "0x%" PRIx64, f->pc);
}
