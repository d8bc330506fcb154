// SPDX-License-Identifier: MIT
/*
 * fold.h: the stacks of a process's wait time with what each callback
 * gets beside the frames: ns, calls, pid, tid, syscall, lock, and the
 * call-stack frames of --stacks; ILP_FOLD_KLOCKS's kernel-lock stacks.
 * The folded and flame outputs built on it are held byte for byte in
 * test_report_formats.c; the pprof format built on it is read back here,
 * gunzipped and decoded by a small reader of its own.
 *
 *   pid 100 "app", tid 100: futex wait on LOCK off-CPU (S) for 20 of its
 *     21 us, a futex wait that does not sleep (1 us, EAGAIN), writes of
 *     1, 2 and 3 us; a kernel mutex waited on for 500 us
 *   tid 101 "w": inside a write at the end, 1 ms so far
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "fold.h"
#include "report.h"
#include "stacks.h"
#include "wait_helpers.h"

#define LOCK 0x1000ull
#define KLOCK 0xffffffff81000000ull
#define END (100 * MS)

static void feed(struct ilp_model *m, struct ilp_event ev)
{
	assert_int_equal(ilp_model_feed(m, &ev), 0);
}

static struct ilp_model *build(void)
{
	struct ilp_model *m = ilp_model_new();
	int fx = ilp_syscall_nr("futex"), wr = ilp_syscall_nr("write");
	struct ilp_event b = { .ts = 50 * MS, .tid = 100, .kind = ILP_EV_LOCK_BEGIN };
	struct ilp_event e = { .ts = 50 * MS + 500 * US, .tid = 100, .kind = ILP_EV_LOCK_END };

	assert_non_null(m);
	feed(m, ev_info(1, 100, 100, "app"));
	feed(m, ev_info(2, 100, 101, "w"));
	feed(m, ev_futex(1 * MS, 100, 100, fx, LOCK, 0 | 128, 2));
	feed(m, ev_switch(1 * MS + 1 * US, 100, 1, 0));
	feed(m, ev_exit(1 * MS + 21 * US, 100, 100, fx, 0));
	feed(m, ev_futex(2 * MS, 100, 100, fx, LOCK, 0 | 128, 2));
	feed(m, ev_exit(2 * MS + 1 * US, 100, 100, fx, -11));
	for (int i = 1; i <= 3; i++) {
		feed(m, ev_enter(i * 3 * MS, 100, 100, wr, 1, 0));
		feed(m, ev_exit(i * 3 * MS + i * US, 100, 100, wr, 1));
	}
	b.lock.addr = e.lock.addr = KLOCK;
	b.lock.flags = 32;	/* MUTEX */
	feed(m, b);
	feed(m, e);
	feed(m, ev_enter(END - 1 * MS, 100, 101, wr, 1, 0));
	ilp_model_finish(m, END);
	assert_int_equal(ilp_model_index(m, END), 0);
	return m;
}

struct got {
	char text[4096];
	size_t len;
	int stop_at;		/* return 1 at this stack (1-based); 0: never */
	int n;
};

/* "frame;frame ns calls pid tid syscall lock" per stack */
static int collect(void *ctx, const struct ilp_fold_stack *s)
{
	struct got *g = ctx;

	for (size_t i = 0; i < s->n; i++)
		g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "%s%s",
					   i ? ";" : "", s->frames[i].name);
	g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len,
				   " %llu %llu %d %d %s %s\n", (unsigned long long)s->ns,
				   (unsigned long long)s->calls, s->pid, s->tid,
				   s->nr >= 0 ? ilp_syscall_name(s->nr) : "-",
				   s->lock ? s->lock : "-");
	assert_null(s->sites);
	return ++g->n == g->stop_at;
}

/* every stack with its calls; the syscall's calls add up over its stacks */
static void test_fold_calls(void **state)
{
	struct ilp_model *m = build();
	const struct ilp_proc *p = ilp_model_find_proc(m, 100);
	struct got g = { 0 };

	(void)state;
	assert_int_equal(ilp_fold_proc(m, p, NULL, ILP_FOLD_THREADS, collect, &g), 0);
	assert_string_equal(g.text,
		"app-100;app-100;futex;futex:0x1000 21000 1 100 100 futex 0x1000\n"
		"app-100;app-100;futex 1000 1 100 100 futex -\n"
		"app-100;app-100;write 6000 3 100 100 write -\n"
		"app-100;w-101;write 1000000 1 100 101 write -\n");
	ilp_model_free(m);
}

/* ILP_FOLD_KLOCKS: the kernel locks after the syscalls; no thread frame
 * without ILP_FOLD_THREADS; the callback's nonzero return stops it */
static void test_fold_klocks(void **state)
{
	struct ilp_model *m = build();
	const struct ilp_proc *p = ilp_model_find_proc(m, 100);
	struct got g = { 0 };

	(void)state;
	assert_int_equal(ilp_fold_proc(m, p, NULL, ILP_FOLD_KLOCKS, collect, &g), 0);
	assert_string_equal(g.text,
		"app-100;futex;futex:0x1000 21000 1 100 100 futex 0x1000\n"
		"app-100;futex 1000 1 100 100 futex -\n"
		"app-100;write 6000 3 100 100 write -\n"
		"app-100;write 1000000 1 100 101 write -\n"
		"app-100;klock:0xffffffff81000000 (mutex) 500000 1 100 0 - 0xffffffff81000000\n");
	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	assert_int_equal(ilp_fold_proc(m, p, NULL, ILP_FOLD_KLOCKS, collect, &g), 1);
	assert_int_equal(g.n, 2);
	ilp_model_free(m);
}

struct sites_got {
	int n;
};

/* --stacks: each site frame's call-stack frame beside it; the calls */
static int check_sites(void *ctx, const struct ilp_fold_stack *s)
{
	struct sites_got *g = ctx;

	g->n++;
	assert_int_equal(s->n, 4);
	assert_non_null(s->sites);
	assert_null(s->sites[0]);	/* the process */
	assert_string_equal(s->sites[1]->func, "main");	/* outermost first */
	assert_string_equal(s->sites[1]->file, "/src/app.c");
	assert_int_equal(s->sites[1]->line, 42);
	assert_int_equal(s->sites[1]->pc, 0x401233);
	assert_string_equal(s->sites[2]->func, "__write");
	assert_null(s->sites[3]);	/* the syscall */
	assert_string_equal(s->frames[3].name, "write");
	assert_int_equal(s->ns, 3000);
	assert_int_equal(s->calls, 2);
	assert_int_equal(s->tid, 0);
	assert_int_equal(s->pid, 100);
	return 0;
}

static void test_fold_sites(void **state)
{
	struct ilp_model *m = build();
	struct ilp_stacks *st = ilp_stacks_new();
	uint64_t pcs[2] = { 0x7f0000001000ull, 0x401233 };
	struct sites_got g = { 0 };
	int is_new, id;

	(void)state;
	assert_non_null(st);
	id = ilp_stacks_intern(st, 100, ilp_syscall_nr("write"), pcs, 2, &is_new);
	assert_true(id >= 0);
	assert_int_equal(ilp_stacks_name_frame(st, id, 0, "__write", "write.c", 26,
					       "/usr/lib/libc.so.6"), 0);
	assert_int_equal(ilp_stacks_name_frame(st, id, 1, "main", "/src/app.c", 42, "/app"), 0);
	ilp_stacks_add(st, id, 1000);
	ilp_stacks_add(st, id, 2000);
	assert_int_equal(ilp_stacks_index(st), 0);
	assert_int_equal(ilp_fold_proc(m, ilp_model_find_proc(m, 100), st, ILP_FOLD_THREADS,
				       check_sites, &g), 0);
	assert_int_equal(g.n, 1);
	ilp_stacks_free(st);
	ilp_model_free(m);
}

/* ---- pprof: gunzipped and decoded ---- */

#define MAXN 64

struct pf {
	char *str[MAXN];
	size_t nstr;
	uint64_t fn_name[MAXN], fn_sys[MAXN], fn_file[MAXN];	/* by function id */
	uint64_t loc_fn[MAXN], loc_line[MAXN], loc_addr[MAXN];	/* by location id */
	struct {
		uint64_t locs[8], vals[4];
		size_t nlocs, nvals;
		char labels[256];
	} smp[MAXN];
	size_t nsmp;
	uint64_t sample_type[4][2], period_type[2], period, dflt, time_ns, dur_ns;
	size_t ntypes, ncomments;
	uint64_t comment[8];
};

static uint64_t varint(const uint8_t **p, const uint8_t *end)
{
	uint64_t v = 0;

	for (int sh = 0; *p < end; sh += 7) {
		uint8_t b = *(*p)++;

		v |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80))
			return v;
	}
	fail_msg("varint past the end");
	return 0;
}

/* calls fn(ctx, field, value, bytes, len) per field of [p, end) */
static void fields(const uint8_t *p, const uint8_t *end,
		   void (*fn)(void *, unsigned, uint64_t, const uint8_t *, size_t), void *ctx)
{
	while (p < end) {
		uint64_t tag = varint(&p, end), v = 0, len = 0;
		const uint8_t *b = NULL;

		if ((tag & 7) == 0) {
			v = varint(&p, end);
		} else {
			assert_int_equal(tag & 7, 2);
			len = varint(&p, end);
			assert_true(len <= (uint64_t)(end - p));
			b = p;
			p += len;
		}
		fn(ctx, (unsigned)(tag >> 3), v, b, len);
	}
}

static void packed(const uint8_t *b, size_t len, uint64_t *out, size_t *n, size_t max)
{
	const uint8_t *end = b + len;

	while (b < end) {
		assert_true(*n < max);
		out[(*n)++] = varint(&b, end);
	}
}

struct two { uint64_t v[8]; };

static void get_two(void *ctx, unsigned f, uint64_t v, const uint8_t *b, size_t len)
{
	struct two *t = ctx;

	(void)b;
	(void)len;
	if (f < 8)
		t->v[f] = v;
}

static void label_fn(void *ctx, unsigned f, uint64_t v, const uint8_t *b, size_t len)
{
	struct two *t = ctx;

	(void)b;
	(void)len;
	t->v[f] = v;
}

struct smp_ctx {
	struct pf *pf;
	size_t i;
	struct two labels[8];
	size_t nlabels;
};

static void sample_fn(void *ctx, unsigned f, uint64_t v, const uint8_t *b, size_t len)
{
	struct smp_ctx *c = ctx;

	(void)v;
	if (f == 1)
		packed(b, len, c->pf->smp[c->i].locs, &c->pf->smp[c->i].nlocs, 8);
	else if (f == 2)
		packed(b, len, c->pf->smp[c->i].vals, &c->pf->smp[c->i].nvals, 4);
	else if (f == 3) {
		assert_true(c->nlabels < 8);
		memset(&c->labels[c->nlabels], 0, sizeof(c->labels[0]));
		fields(b, b + len, label_fn, &c->labels[c->nlabels++]);
	}
}

/* Line: function_id in v[1], line in v[2] */
static void line_fn(void *ctx, unsigned f, uint64_t v, const uint8_t *b, size_t len)
{
	(void)b;
	(void)len;
	if (f == 1 || f == 2)
		((uint64_t *)ctx)[f] = v;
}

static void loc_fn(void *ctx, unsigned f, uint64_t v, const uint8_t *b, size_t len)
{
	struct two *t = ctx;

	if (f == 1)
		t->v[0] = v;
	else if (f == 3)
		t->v[3] = v;
	else if (f == 4)
		fields(b, b + len, line_fn, t->v);
}

static void profile_fn(void *ctx, unsigned f, uint64_t v, const uint8_t *b, size_t len)
{
	struct pf *pf = ctx;
	struct two t = { { 0 } };

	switch (f) {
	case 1:
	case 11:
		fields(b, b + len, get_two, &t);
		if (f == 11) {
			pf->period_type[0] = t.v[1];
			pf->period_type[1] = t.v[2];
		} else {
			assert_true(pf->ntypes < 4);
			pf->sample_type[pf->ntypes][0] = t.v[1];
			pf->sample_type[pf->ntypes++][1] = t.v[2];
		}
		break;
	case 2: {
		struct smp_ctx c = { .pf = pf, .i = pf->nsmp++ };

		assert_true(c.i < MAXN);
		fields(b, b + len, sample_fn, &c);
		/* labels as text after the string table is read: kept raw */
		for (size_t k = 0; k < c.nlabels; k++) {
			size_t o = strlen(pf->smp[c.i].labels);

			snprintf(pf->smp[c.i].labels + o, sizeof(pf->smp[0].labels) - o,
				 "%s%llu=%llu:%llu", k ? " " : "",
				 (unsigned long long)c.labels[k].v[1],
				 (unsigned long long)c.labels[k].v[2],
				 (unsigned long long)c.labels[k].v[3]);
		}
		break;
	}
	case 4:
		fields(b, b + len, loc_fn, &t);
		assert_true(t.v[0] > 0 && t.v[0] < MAXN);
		pf->loc_fn[t.v[0]] = t.v[1];
		pf->loc_line[t.v[0]] = t.v[2];
		pf->loc_addr[t.v[0]] = t.v[3];
		break;
	case 5:
		fields(b, b + len, get_two, &t);
		assert_true(t.v[1] > 0 && t.v[1] < MAXN);
		pf->fn_name[t.v[1]] = t.v[2];
		pf->fn_sys[t.v[1]] = t.v[3];
		pf->fn_file[t.v[1]] = t.v[4];
		break;
	case 6:
		assert_true(pf->nstr < MAXN);
		pf->str[pf->nstr] = strndup((const char *)b, len);
		pf->nstr++;
		break;
	case 9: pf->time_ns = v; break;
	case 10: pf->dur_ns = v; break;
	case 12: pf->period = v; break;
	case 13: assert_true(pf->ncomments < 8); pf->comment[pf->ncomments++] = v; break;
	case 14: pf->dflt = v; break;
	default: fail_msg("unexpected field %u", f);
	}
}

static const char *S(const struct pf *pf, uint64_t i)
{
	assert_true(i < pf->nstr);
	return pf->str[i];
}

/* "frame<-frame<-... values labels" per sample, names from the string table */
static void pf_text(const struct pf *pf, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < pf->nsmp; i++) {
		const char *l = pf->smp[i].labels;

		for (size_t k = 0; k < pf->smp[i].nlocs; k++)
			o += (size_t)snprintf(out + o, size - o, "%s%s", k ? "<-" : "",
					      S(pf, pf->fn_name[pf->loc_fn[pf->smp[i].locs[k]]]));
		for (size_t k = 0; k < pf->smp[i].nvals; k++)
			o += (size_t)snprintf(out + o, size - o, " %llu",
					      (unsigned long long)pf->smp[i].vals[k]);
		/* labels: key=str:num, with the strings looked up */
		while (*l) {
			unsigned long long key, sv, num;
			int n = 0;

			assert_int_equal(sscanf(l, "%llu=%llu:%llu%n", &key, &sv, &num, &n), 3);
			if (sv)
				o += (size_t)snprintf(out + o, size - o, " %s=%s", S(pf, key),
						      S(pf, sv));
			else
				o += (size_t)snprintf(out + o, size - o, " %s=%llu", S(pf, key),
						      num);
			l += n;
			while (*l == ' ')
				l++;
		}
		o += (size_t)snprintf(out + o, size - o, "\n");
	}
}

static void pprof_read(const struct ilp_model *m, const struct ilp_report_info *inf,
		       struct pf *pf)
{
	struct ilp_report_opts opts = { 0 };
	char *gz = NULL;
	size_t gzlen = 0;
	uint8_t raw[16384];
	z_stream z = { 0 };
	FILE *f = open_memstream(&gz, &gzlen);

	assert_non_null(f);
	assert_int_equal(ilp_report_pprof(f, m, inf, &opts), 0);
	fclose(f);
	assert_true(gzlen > 18);
	assert_int_equal((uint8_t)gz[0], 0x1f);	/* gzip's magic */
	assert_int_equal((uint8_t)gz[1], 0x8b);
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (uint8_t *)gz;
	z.avail_in = (uInt)gzlen;
	z.next_out = raw;
	z.avail_out = sizeof(raw);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	memset(pf, 0, sizeof(*pf));
	fields(raw, raw + z.total_out, profile_fn, pf);
	inflateEnd(&z);
	free(gz);
}

static void pf_free(struct pf *pf)
{
	for (size_t i = 0; i < pf->nstr; i++)
		free(pf->str[i]);
}

/* every stack a sample, the leaf first; values by sample type; labels */
static void test_pprof(void **state)
{
	struct ilp_model *m = build();
	struct ilp_report_info inf = {
		.command = "app -x", .backend = "ftrace", .start_ts = 0, .end_ts = END,
		.start_wall_ns = 1700000000000000000ull, .events = 30, .lost = 0,
		.exit_status = 0,
	};
	struct pf pf;
	char text[4096];

	(void)state;
	pprof_read(m, &inf, &pf);
	assert_int_equal(pf.ntypes, 4);
	assert_string_equal(S(&pf, pf.sample_type[0][0]), "wait");
	assert_string_equal(S(&pf, pf.sample_type[0][1]), "nanoseconds");
	assert_string_equal(S(&pf, pf.sample_type[1][0]), "calls");
	assert_string_equal(S(&pf, pf.sample_type[1][1]), "count");
	assert_string_equal(S(&pf, pf.sample_type[2][0]), "kernel_lock_wait");
	assert_string_equal(S(&pf, pf.sample_type[3][0]), "kernel_lock_waits");
	assert_string_equal(S(&pf, pf.dflt), "wait");
	assert_string_equal(S(&pf, pf.period_type[0]), "wait");
	assert_string_equal(S(&pf, pf.period_type[1]), "nanoseconds");
	assert_int_equal(pf.period, 1);
	assert_int_equal(pf.time_ns, 1700000000000000000ull);
	assert_int_equal(pf.dur_ns, END);
	assert_string_equal(S(&pf, 0), "");
	pf_text(&pf, text, sizeof(text));
	assert_string_equal(text,
		"futex:0x1000<-futex<-app-100<-app-100 21000 1 0 0"
		" pid=100 tid=100 syscall=futex object=futex:0x1000 lock=0x1000\n"
		"futex<-app-100<-app-100 1000 1 0 0 pid=100 tid=100 syscall=futex\n"
		"write<-app-100<-app-100 6000 3 0 0 pid=100 tid=100 syscall=write\n"
		"write<-w-101<-app-100 1000000 1 0 0 pid=100 tid=101 syscall=write\n"
		"klock:0xffffffff81000000 (mutex)<-app-100 0 0 500000 1"
		" pid=100 lock=0xffffffff81000000\n");
	/* a thread and its process of one name are two functions */
	assert_string_equal(S(&pf, pf.fn_sys[pf.loc_fn[pf.smp[0].locs[2]]]), "thread:app-100");
	assert_string_equal(S(&pf, pf.fn_sys[pf.loc_fn[pf.smp[0].locs[3]]]), "process:app-100");
	assert_int_equal(pf.ncomments, 5);
	assert_string_equal(S(&pf, pf.comment[0]), "iolockprof " ILP_VERSION);
	assert_string_equal(S(&pf, pf.comment[1]), "command: app -x");
	assert_string_equal(S(&pf, pf.comment[2]), "backend: ftrace");
	assert_string_equal(S(&pf, pf.comment[3]), "events: 30, lost: 0");
	assert_string_equal(S(&pf, pf.comment[4]), "exit status: 0");
	pf_free(&pf);
	/* an interval's profile starts at the interval; no wall clock: no time */
	inf.interim = 1;
	inf.interval = 2;
	inf.window_ts = END / 2;
	inf.exit_status = -1;
	pprof_read(m, &inf, &pf);
	assert_int_equal(pf.time_ns, 1700000000000000000ull + END / 2);
	assert_int_equal(pf.dur_ns, END / 2);
	assert_int_equal(pf.ncomments, 5);
	assert_string_equal(S(&pf, pf.comment[4]),
			    "interim report 2, interval +50.0 ms to +100 ms");
	pf_free(&pf);
	inf.start_wall_ns = 0;
	pprof_read(m, &inf, &pf);
	assert_int_equal(pf.time_ns, 0);
	pf_free(&pf);
	ilp_model_free(m);
}

/* --stacks: the call sites' functions with their file and line */
static void test_pprof_sites(void **state)
{
	struct ilp_model *m = build();
	struct ilp_stacks *st = ilp_stacks_new();
	uint64_t pcs[2] = { 0x7f0000001000ull, 0x401233 };
	struct ilp_report_info inf = { .end_ts = END, .exit_status = -1 };
	struct pf pf;
	char text[4096];
	int is_new, id;

	(void)state;
	id = ilp_stacks_intern(st, 100, ilp_syscall_nr("write"), pcs, 2, &is_new);
	assert_true(id >= 0);
	assert_int_equal(ilp_stacks_name_frame(st, id, 0, "__write", "write.c", 26, NULL), 0);
	assert_int_equal(ilp_stacks_name_frame(st, id, 1, "main", "/src/app.c", 42, NULL), 0);
	ilp_stacks_add(st, id, 1000);
	ilp_stacks_add(st, id, 2000);
	assert_int_equal(ilp_stacks_index(st), 0);
	inf.stacks = st;
	pprof_read(m, &inf, &pf);
	pf_text(&pf, text, sizeof(text));
	assert_string_equal(text,
		"write<-__write<-main<-app-100 3000 2 0 0 pid=100 syscall=write\n"
		"klock:0xffffffff81000000 (mutex)<-app-100 0 0 500000 1"
		" pid=100 lock=0xffffffff81000000\n");
	{
		uint64_t loc = pf.smp[0].locs[2], fn = pf.loc_fn[loc];	/* main */

		assert_string_equal(S(&pf, pf.fn_file[fn]), "/src/app.c");
		assert_string_equal(S(&pf, pf.fn_sys[fn]), "site:main");
		assert_int_equal(pf.loc_line[loc], 42);
		assert_int_equal(pf.loc_addr[loc], 0x401233);
	}
	ilp_stacks_free(st);
	pf_free(&pf);
	ilp_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_calls),
		cmocka_unit_test(test_fold_klocks),
		cmocka_unit_test(test_fold_sites),
		cmocka_unit_test(test_pprof),
		cmocka_unit_test(test_pprof_sites),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
