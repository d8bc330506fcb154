// SPDX-License-Identifier: MIT
/*
 * The ftrace source: reads every CPU's trace_pipe_raw of our private
 * instance, parses its pages (rbpage.h) and decodes the records, and delivers
 * struct ilp_event in timestamp order.
 *
 * Decoding (decode.c) looks up each event's id and field offsets once, at
 * open; per record it reads fixed offsets.  Decoded events go into per-CPU vectors
 * that are reused drain after drain (no malloc per event).  Ordering: a
 * drain first notes the time it starts and reads every CPU to its end;
 * then it notes the time again and reads what came meanwhile; it merges
 * the CPUs' runs and delivers only events older than its first start
 * and than the commit slack before its second (or than the previous
 * drain's second start): everything stamped before then was committed
 * before the second pass read the buffers, and the fd names read from
 * /proc in the first pass can be checked against every event up to their
 * reads (resolve.h's window).  record, whose tap writes every page read
 * whole, reads once and delivers what came before the previous drain's
 * start.  What is held back stays in its CPU's vector (each event is
 * written once, where it is decoded): the merge orders pointers.  A
 * vector is a ring, so what is held back is never moved: the delivered
 * events' slots take the next ones, and only a ring that is full grows.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "decode.h"
#include "instance.h"
#include "ipool.h"
#include "rbpage.h"
#include "resolve.h"
#include "source.h"
#include "userstr.h"

#define PAGES_PER_ROUND 1024	/* per CPU per merge round: 4 MiB of 4 KiB pages */
#define MAX_ROUNDS 64		/* per live drain; the rest waits for the next */
/*
 * ... and no more rounds after this long: a round of an open storm's
 * records (a /proc read per open) takes a fraction of a second, and the
 * session checks -d, signals and the target's exit only between drains
 * (attach -d 0.1 to one ran until the target ended, 52 s).
 */
#define DRAIN_BUDGET_NS 100000000ull
/*
 * An event is stamped when its writer reserves it and read once committed:
 * a writer interrupted meanwhile (an irq and the softirqs after it, a vCPU
 * the host took away) commits later than events stamped after it.  What
 * was stamped in the last COMMIT_SLACK_NS before a drain's second pass
 * waits for the next drain (a light load's drains, SHORT_GAP_MS apart,
 * gave it that long before).
 */
#define COMMIT_SLACK_NS 2000000ull

static uint64_t before_slack(uint64_t t)
{
	return t > COMMIT_SLACK_NS ? t - COMMIT_SLACK_NS : 0;
}

/*
 * A ring of cap (a power of 2) events: n, pos and cur count events since
 * the vector began (or grew), and event i is at v[i & (cap - 1)] (vat()).
 */
struct evvec {
	struct ilp_event *v;
	size_t n, cap;
	size_t pos;		/* the first not yet delivered */
	size_t cur;		/* merge cursor */
	uint64_t (*pcs)[ILP_USTACK_PCS];	/* --stacks: cap rows, the pcs of
						 * the USTACK event in v's same slot
						 * (made at the first) */
};

static inline struct ilp_event *vat(const struct evvec *v, size_t i)
{
	return &v->v[i & (v->cap - 1)];
}

/* the merged events before end that follow the previous run come from vector src */
struct run {
	size_t end;
	int src;
};

/* --stacks: the last record on a CPU that is not a user_stack */
struct prev_rec {
	int32_t tid;
	int valid;		/* 0: none, or events were lost since */
	int exit;		/* it was a syscall exit */
};

struct ilp_ftrace {
	struct tep_handle *tep;
	struct ilp_decoder *dec;
	int long_size;		/* the page header's commit field: the kernel's long */
	int ncpus;		/* buffers read: the main instance's CPUs, then
				 * the companion's (instance.h) as extra ones */
	int nmain;		/* CPUs of the main instance */
	int *fds;
	struct evvec *cpu;	/* ncpus decode vectors + 1 for injected events */
	struct evvec pend;	/* injected while a drain delivers: moved to
				 * cpu[ncpus] by the next drain */
	const struct ilp_event **ord;	/* the merge: undelivered events in time order */
	struct run *runs;	/* ... in runs of one vector each */
	size_t ord_n, ord_cap, nruns;
	void *page;
	int page_size;
	uint64_t replay_step;	/* open_dir: ns of trace per round; 0 live */
	uint64_t replay_now;	/* open_dir: read each CPU up to here */
	uint64_t *cpu_ts;	/* open_dir: per CPU, the last record read */
	uint64_t prev_start;	/* start of the last pass of the previous drain */
	uint64_t *last_ts;	/* per CPU: last record read in this round */
	struct prev_rec *prev;	/* per CPU: the record read last */
	struct ilp_source_counters counters;
	struct ilp_resolver *res;	/* fd names from /proc at decode time */
	const struct ilp_ftrace_tap *tap;	/* record: sees raw pages, injections */
	struct ilp_ipool *kstacks;	/* --sleep-stacks: each distinct kernel stack once */
};

/*
 * A sleep's kernel stack (ILP_EV_KSTACK) points into its page: the copy it
 * gets instead lives as long as the source, so an event held back past
 * this drain still has it.  Distinct stacks are few (one per kernel path
 * a task sleeps in); past KSTACKS_MAX the event carries none.
 */
#define KSTACKS_MAX 65536

static void kstack_keep(struct ilp_ftrace *f, struct ilp_event *ev)
{
	if (!f->kstacks)
		f->kstacks = ilp_ipool_new(KSTACKS_MAX);
	ev->kstack.ip = f->kstacks ? ilp_ipool_intern(f->kstacks, ev->kstack.raw,
						      ev->kstack.n, NULL) : NULL;
	ev->kstack.raw = NULL;
	if (!ev->kstack.ip)
		ev->kstack.n = 0;
}

uint64_t ilp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* room for extra more undelivered events: the ring grows (the only copy) */
static int vec_reserve(struct evvec *v, size_t extra)
{
	size_t cap, i, held = v->n - v->pos;
	struct ilp_event *nv;

	if (held + extra <= v->cap)
		return 0;
	cap = v->cap ? v->cap : 4096;
	while (cap < held + extra)
		cap *= 2;
	nv = malloc(cap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	if (v->pcs) {
		uint64_t (*np)[ILP_USTACK_PCS] = malloc(cap * sizeof(*np));

		if (!np) {
			free(nv);
			return -ENOMEM;
		}
		for (i = 0; i < held; i++) {
			size_t at = (v->pos + i) & (v->cap - 1);

			if (v->v[at].kind == ILP_EV_USTACK) {
				memcpy(np[i], v->pcs[at], sizeof(np[i]));
				v->v[at].ustack.pc = np[i];
			}
		}
		free(v->pcs);
		v->pcs = np;
	}
	for (i = 0; i < held; i++)	/* no pointer into v lives outside a drain's delivery */
		nv[i] = *vat(v, v->pos + i);
	free(v->v);
	v->v = nv;
	v->cap = cap;
	v->n = held;
	v->pos = 0;
	return 0;
}

static struct ilp_event *vec_push(struct evvec *v)
{
	if (v->n - v->pos == v->cap && vec_reserve(v, 1))
		return NULL;
	return vat(v, v->n++);
}

/*
 * A user stack's pcs (in its page) go to the row of its slot, zero past
 * the last: they live as long as the event.  0, or -ENOMEM.
 */
static int ustack_keep(struct evvec *v, struct ilp_event *ev)
{
	uint64_t *row;

	if (!v->pcs) {
		v->pcs = malloc(v->cap * sizeof(*v->pcs));
		if (!v->pcs)
			return -ENOMEM;
	}
	row = v->pcs[ev - v->v];
	memcpy(row, ev->ustack.raw, ev->ustack.n * sizeof(*row));
	memset(row + ev->ustack.n, 0, (ILP_USTACK_PCS - ev->ustack.n) * sizeof(*row));
	ev->ustack.raw = NULL;
	ev->ustack.pc = row;
	return 0;
}

/*
 * --stacks: the kernel writes a user_stack record after each event of the
 * instance, in the same task (options/userstacktrace).  One whose CPU's
 * last other record is a syscall exit of the same thread is that exit's
 * stack (half of them in a syscall storm): dropped here, the thread is out
 * of its call.  The others go on, the entries' among them: right after
 * the entry, or later (an interrupt's event and its stack can come
 * between; a syscall tracepoint can be preempted between its event and
 * the stack, which then lands after a sched_switch, maybe on another
 * CPU), or after lost events; the stack filter (ustack_feed.c) takes the
 * first of a thread inside a call, whichever event it came with: a
 * thread's user stack does not change while it is inside a syscall.
 * 1: keep ev.
 */
static int pair_ustack(struct ilp_ftrace *f, int cpu, const void *d, size_t size,
		       const struct ilp_event *ev, int r)
{
	struct prev_rec *p = &f->prev[cpu];
	int32_t tid = 0;

	if (size >= 8)
		memcpy(&tid, (const char *)d + 4, 4);	/* common_pid, whatever the type */
	if (r > 0 && ev->kind == ILP_EV_USTACK) {
		if (p->valid && p->exit && p->tid == tid)
			return 0;
		f->counters.ustacks++;
		return 1;
	}
	p->valid = 1;
	p->exit = r > 0 && ev->kind == ILP_EV_SYS_EXIT;
	p->tid = tid;
	return 1;
}

static int decode_page(struct ilp_ftrace *f, int cpu, void *page)
{
	struct ilp_rbpage pg;
	struct ilp_rbrec rec;
	struct ilp_event *ev;
	struct evvec *out = &f->cpu[cpu];
	int r;

	if (ilp_rbpage_load(&pg, page, (size_t)f->page_size, f->long_size) < 0)
		return -EINVAL;
	f->counters.pages++;
	if (pg.missed > 0)
		f->counters.missed += (uint64_t)pg.missed;
	else if (pg.missed < 0)
		f->counters.missed += 1;	/* some lost, count unknown */
	if (pg.missed)
		f->prev[cpu].valid = 0;	/* the record before this page's first is lost */
	/* room for the most records a page holds (8 bytes each, header included) */
	if (vec_reserve(out, pg.size / 8))
		return -ENOMEM;
	while (ilp_rbpage_next(&pg, &rec)) {
		f->last_ts[cpu] = rec.ts;
		ev = vat(out, out->n++);
		r = ilp_decode(f->dec, rec.data, rec.size, rec.ts,
			       cpu < f->nmain ? cpu : cpu - f->nmain, ev);
		if (!pair_ustack(f, cpu, rec.data, rec.size, ev, r)) {
			out->n--;
			continue;
		}
		if (r <= 0) {
			out->n--;
			if (r < 0)
				f->counters.malformed++;
			else
				f->counters.unknown++;
			continue;
		}
		f->counters.records++;
		/* what will not last (an fd's /proc link, a path in memory),
		 * read at once; the names are decided at delivery */
		ilp_resolver_on_record(f->res, ev);
		/* what points into the page: ARGSTR, USTACK, KSTACK (one test
		 * for the calls) */
		if (ev->kind < ILP_EV_SYS_ARGSTR || ev->kind > ILP_EV_KSTACK)
			continue;
		if (ev->kind == ILP_EV_SYS_ARGSTR)
			ev->ustr.str = NULL;	/* it pointed into the page */
		else if (ev->kind == ILP_EV_KSTACK)
			kstack_keep(f, ev);
		else if (ev->kind == ILP_EV_USTACK && ustack_keep(out, ev))
			return -ENOMEM;
	}
	if (pg.corrupt)
		f->counters.malformed++;	/* the rest of the page is skipped */
	return 0;
}

/*
 * A tep with what decoding needs: the header page and the formats of the
 * events of decode.c's table (the kernel's copies of paths are added by
 * userstr.c).  tracefs_local_events_system() parses every event of the
 * systems and loads /proc/kallsyms, the printk formats and saved_cmdlines
 * besides: 0.1 to 0.3 s of every run's start-up, and none of it is read.
 * An event the kernel lacks is left out (the decoder says if it was
 * required).
 */
/* a whole file under dir (dir/rel), NUL-terminated, for tep; NULL if none */
static char *dir_file_read(const char *dir, const char *rel, int *size)
{
	char path[4096], *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t r;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, rel) >= (int)sizeof(path))
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 8192;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(fd, buf + len, 4096);
		if (r <= 0) {
			if (r == 0 && len) {
				buf[len] = '\0';
				*size = (int)len;
				close(fd);
				return buf;
			}
			break;
		}
		len += (size_t)r;
	}
	close(fd);
	free(buf);
	return NULL;
}

/* a format file: the instance's, or dir's copy (EVENTS/SYSTEM/NAME/format) */
static char *format_read(struct tracefs_instance *ti, const char *dir, const char *system,
			 const char *name, int *size)
{
	char rel[256];

	if (!dir)
		return tracefs_event_file_read(ti, system, name, "format", size);
	snprintf(rel, sizeof(rel), "events/%s/%s/format", system, name);
	return dir_file_read(dir, rel, size);
}

static struct tep_handle *load_formats(struct tracefs_instance *ti, const char *dir)
{
	struct tep_handle *tep = tep_alloc();
	char *buf;
	int size = 0;
	size_t i;

	if (!tep)
		return NULL;
	buf = dir ? dir_file_read(dir, "events/header_page", &size) :
		    tracefs_instance_file_read(NULL, "events/header_page", &size);
	if (!buf || size <= 0 || tep_parse_header_page(tep, buf, (unsigned long)size, sizeof(long))) {
		free(buf);
		tep_free(tep);
		return NULL;
	}
	free(buf);
	/* the kernel's long, as the page header's commit field has it */
	tep_set_long_size(tep, tep_get_header_page_size(tep));
	for (i = 0; i < ilp_tracepoint_count(); i++) {
		const struct ilp_tracepoint *tp = ilp_tracepoint(i);

		size = 0;
		buf = format_read(ti, dir, tp->system, tp->name, &size);
		if (buf && size > 0)
			tep_parse_event(tep, buf, (unsigned long)size, tp->system);
		free(buf);
	}
	return tep;
}

/* --lock-holds: the formats of our uprobe group's events, decoded too */
static int load_uprobes(struct ilp_ftrace *f, struct ilp_instance *in)
{
	const char *group = ilp_instance_uprobe_group(in);
	struct tracefs_instance *ti = ilp_instance_tracefs(in);
	char name[64];
	size_t i;
	int lib, size, n;

	if (!group)
		return 0;
	for (lib = 0; lib < ILP_UPROBE_LIBS_MAX; lib++)
		for (i = 0; i < ilp_uprobe_spec_count(); i++) {
			char *buf;

			snprintf(name, sizeof(name), "%s_%d", ilp_uprobe_spec(i)->event, lib);
			size = 0;
			buf = tracefs_event_file_read(ti, group, name, "format", &size);
			if (buf && size > 0)
				tep_parse_event(f->tep, buf, (unsigned long)size, group);
			free(buf);
		}
	n = ilp_decoder_add_uprobes(f->dec, f->tep, group);
	return n < 0 ? n : n ? 0 : -ENOENT;
}

/* what every reader needs: the vectors, formats, decoder, resolver, page */
static int reader_new(struct tracefs_instance *ti, const char *dir, int nmain, int nsys,
		      struct ilp_ftrace **out)
{
	struct ilp_ftrace *f;
	int cpu;

	*out = f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->nmain = nmain;
	f->ncpus = nmain + nsys;
	f->fds = malloc(sizeof(int) * (size_t)f->ncpus);
	f->cpu = calloc((size_t)f->ncpus + 1, sizeof(*f->cpu));
	f->last_ts = calloc((size_t)f->ncpus, sizeof(*f->last_ts));
	f->prev = calloc((size_t)f->ncpus, sizeof(*f->prev));
	if (!f->fds || !f->cpu || !f->last_ts || !f->prev)
		return -ENOMEM;
	for (cpu = 0; cpu < f->ncpus; cpu++)
		f->fds[cpu] = -1;
	f->tep = load_formats(ti, dir);
	if (!f->tep)
		return -ENOENT;
	/* rbpage.h reads the host's order: the live kernel's */
	f->long_size = tep_get_header_page_size(f->tep);
	if ((f->long_size != 4 && f->long_size != 8) ||
	    tep_is_file_bigendian(f->tep) != tep_is_local_bigendian(f->tep))
		return -EINVAL;
	f->page_size = tep_get_sub_buffer_size(f->tep);
	if (f->page_size <= 0)
		f->page_size = getpagesize();
	f->page = malloc((size_t)f->page_size);
	if (!f->page)
		return -ENOMEM;
	cpu = ilp_decoder_new(f->tep, &f->dec);
	return cpu ? cpu : ilp_resolver_new(&f->res);
}

int ilp_ftrace_open(struct ilp_instance *in, struct ilp_ftrace **out)
{
	struct tracefs_instance *ti = ilp_instance_tracefs(in);
	struct ilp_ftrace *f;
	int cpu, err;

	*out = NULL;
	err = reader_new(ti, NULL, ilp_instance_ncpus(in), ilp_instance_sys_ncpus(in), &f);
	if (!err && ilp_userstr_load(ti, f->tep, f->dec) < 0)
		err = -ENOMEM;
	if (!err)
		err = load_uprobes(f, in);
	for (cpu = 0; !err && cpu < f->ncpus; cpu++) {
		char file[64];

		snprintf(file, sizeof(file), "per_cpu/cpu%d/trace_pipe_raw",
			 cpu < f->nmain ? cpu : cpu - f->nmain);
		f->fds[cpu] = tracefs_instance_file_open(cpu < f->nmain ? ti : ilp_instance_sys_tracefs(in),
							 file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (f->fds[cpu] < 0)
			err = errno ? -errno : -EIO;
	}
	if (err) {
		ilp_ftrace_close(f);
		return err;
	}
	*out = f;
	return 0;
}

int ilp_ftrace_open_dir(const char *dir, int ncpus, unsigned round_ms, struct ilp_ftrace **out)
{
	struct ilp_ftrace *f;
	int cpu, err;

	*out = NULL;
	err = reader_new(NULL, dir, ncpus, 0, &f);
	if (!err && round_ms) {
		f->replay_step = round_ms * 1000000ull;
		f->cpu_ts = calloc((size_t)ncpus, sizeof(*f->cpu_ts));
		if (!f->cpu_ts)
			err = -ENOMEM;
	}
	for (cpu = 0; !err && cpu < f->ncpus; cpu++) {
		char file[4096];

		snprintf(file, sizeof(file), "%s/cpu%d.raw", dir, cpu);
		f->fds[cpu] = open(file, O_RDONLY | O_CLOEXEC);
		if (f->fds[cpu] < 0)
			err = -errno;
	}
	if (err) {
		ilp_ftrace_close(f);
		return err;
	}
	*out = f;
	return 0;
}

void ilp_ftrace_close(struct ilp_ftrace *f)
{
	int cpu;

	if (!f)
		return;
	if (f->fds)
		for (cpu = 0; cpu < f->ncpus; cpu++)
			if (f->fds[cpu] >= 0)
				close(f->fds[cpu]);
	if (f->cpu)
		for (cpu = 0; cpu <= f->ncpus; cpu++) {
			free(f->cpu[cpu].v);
			free(f->cpu[cpu].pcs);
		}
	free(f->pend.v);
	free(f->ord);
	free(f->runs);
	free(f->cpu);
	free(f->last_ts);
	free(f->prev);
	free(f->cpu_ts);
	free(f->fds);
	free(f->page);
	ilp_decoder_free(f->dec);
	ilp_resolver_free(f->res);
	ilp_ipool_free(f->kstacks);
	tep_free(f->tep);
	free(f);
}

size_t ilp_ftrace_pollfds(struct ilp_ftrace *f, struct pollfd *fds, size_t max)
{
	size_t i;

	for (i = 0; i < (size_t)f->ncpus && i < max; i++) {
		fds[i].fd = f->fds[i];
		fds[i].events = POLLIN;
		fds[i].revents = 0;
	}
	return i;
}

/*
 * Reads up to PAGES_PER_ROUND sub-buffers of one CPU: 1 if it may hold
 * more, 0 if it is empty, or -errno.  Reading in rounds bounds the memory
 * a drain needs, whatever the event rate.
 */
static int read_cpu(struct ilp_ftrace *f, int cpu)
{
	int pages, err;
	ssize_t r;

	for (pages = 0; pages < PAGES_PER_ROUND; pages++) {
		if (f->replay_step && f->cpu_ts[cpu] > f->replay_now) {
			/* a live drain would not have these yet */
			f->last_ts[cpu] = f->cpu_ts[cpu];
			return 1;
		}
		r = read(f->fds[cpu], f->page, (size_t)f->page_size);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return -errno;
		}
		if (r == 0)
			return 0;
		if (r < f->page_size)
			memset((char *)f->page + r, 0, (size_t)(f->page_size - r));
		if (f->tap && f->tap->page) {
			err = f->tap->page(f->tap->ctx, cpu, f->page, (size_t)f->page_size);
			if (err)
				return err;
		}
		err = decode_page(f, cpu, f->page);
		if (err)
			return err;
		if (f->cpu_ts && f->last_ts[cpu])
			f->cpu_ts[cpu] = f->last_ts[cpu];	/* open_dir: per page */
	}
	return 1;
}

static int ord_reserve(struct ilp_ftrace *f, size_t total)
{
	const struct ilp_event **o;
	struct run *runs;
	size_t cap;

	if (total <= f->ord_cap)
		return 0;
	cap = f->ord_cap ? f->ord_cap : 4096;
	while (cap < total)
		cap *= 2;
	o = realloc(f->ord, cap * sizeof(*o));
	if (!o)
		return -ENOMEM;
	f->ord = o;
	runs = realloc(f->runs, cap * sizeof(*runs));
	if (!runs)
		return -ENOMEM;
	f->runs = runs;
	f->ord_cap = cap;
	return 0;
}

/* events merged between two additions to the resolver's window: still in the cache */
#define WINDOW_PIECE 128

/*
 * k-way merge of every vector's undelivered events into f->ord: pointers,
 * valid until the next read.  Equal times go to the lower vector first.
 * A vector's run is taken while it stays ahead of the others' heads (a
 * CPU's events mostly come in long runs), up to a piece for the window
 * (the next pass picks the same vector again).  The resolver's window
 * (begun by the caller) gets the events as they are merged.
 */
static int merge_all(struct ilp_ftrace *f)
{
	int nsrc = f->ncpus + 1, s, nact = 0, best, second, k;
	size_t total = 0, added = 0, cur, n;
	int act[nsrc];

	for (s = 0; s < nsrc; s++) {
		struct evvec *v = &f->cpu[s];

		v->cur = v->pos;
		total += v->n - v->pos;
		if (v->n > v->pos)
			act[nact++] = s;
	}
	f->ord_n = 0;
	f->nruns = 0;
	if (ord_reserve(f, total))
		return -ENOMEM;
	while (nact > 0) {
		const struct evvec *bv;
		const struct ilp_event *e, *stop;
		uint64_t lim;
		size_t seg;
		int tie;

		best = 0;
		second = -1;
		for (k = 1; k < nact; k++) {
			uint64_t t = vat(&f->cpu[act[k]], f->cpu[act[k]].cur)->ts;

			if (t < vat(&f->cpu[act[best]], f->cpu[act[best]].cur)->ts) {
				second = best;
				best = k;
			} else if (second < 0 || t < vat(&f->cpu[act[second]], f->cpu[act[second]].cur)->ts) {
				second = k;
			}
		}
		bv = &f->cpu[act[best]];
		/* the run: while ahead of the second head (at an equal time,
		 * only if its vector comes first) */
		lim = second < 0 ? UINT64_MAX : vat(&f->cpu[act[second]], f->cpu[act[second]].cur)->ts;
		s = act[best];
		tie = second >= 0 && s < act[second];
		cur = bv->cur;
		n = f->ord_n;
		/* up to the vector's end, the ring's wrap or the piece's end:
		 * a run cut there goes on in the next pass */
		e = vat(bv, cur);
		seg = bv->cap - (cur & (bv->cap - 1));
		if (seg > bv->n - cur)
			seg = bv->n - cur;
		if (seg > WINDOW_PIECE - (n - added))
			seg = WINDOW_PIECE - (n - added);
		stop = e + seg;
		do {
			f->ord[n++] = e++;
		} while (e < stop && (e->ts < lim || (tie && e->ts == lim)));
		cur += n - f->ord_n;
		f->cpu[s].cur = cur;
		if (f->nruns && f->runs[f->nruns - 1].src == s)
			f->runs[f->nruns - 1].end = n;	/* the same run, cut for the window */
		else
			f->runs[f->nruns++] = (struct run){ n, s };
		f->ord_n = n;
		if (cur == bv->n) {
			memmove(&act[best], &act[best + 1], (size_t)(nact - best - 1) * sizeof(*act));
			nact--;
		}
		if (f->ord_n - added >= WINDOW_PIECE || !nact) {
			ilp_resolver_window_add(f->res, f->ord + added, f->ord_n - added);
			added = f->ord_n;
		}
	}
	return 0;
}

/* the injections made since the last drain, after the earlier ones */
static int take_pending(struct ilp_ftrace *f)
{
	struct evvec *v = &f->cpu[f->ncpus];
	size_t i;

	if (!f->pend.n)
		return 0;
	if (vec_reserve(v, f->pend.n))
		return -ENOMEM;
	for (i = 0; i < f->pend.n; i++)
		*vat(v, v->n++) = *vat(&f->pend, i);
	f->pend.n = 0;
	return 0;
}

/*
 * Delivers the merged events stamped up to limit; keeps the rest in their
 * vectors.  Each goes through the resolver first, which may add the
 * FD_INFO of the fd a call made (record's tap gets those too, at their own
 * ts); the kernel's path copies stay with the resolver, which checks its
 * /proc reads against the window merge_all gave it.
 */
static int deliver(struct ilp_ftrace *f, uint64_t limit, ilp_event_fn fn, void *ctx)
{
	struct ilp_event info[ILP_RESOLVE_MAX];
	size_t i, j, start;
	int err = 0, n, k;

	for (i = 0; i < f->ord_n && f->ord[i]->ts <= limit; i++) {
		const struct ilp_event *ev = f->ord[i];

		n = ilp_resolver_on_event(f->res, ev, info);
		if (ev->kind != ILP_EV_SYS_ARGSTR)
			err = fn(ev, ctx);
		for (k = 0; !err && k < n; k++) {
			if (f->tap && f->tap->inject)
				err = f->tap->inject(f->tap->ctx, &info[k]);
			if (!err)
				err = fn(&info[k], ctx);
		}
		if (err) {
			i++;
			break;
		}
	}
	/* each vector's delivered events are the first of its undelivered */
	for (j = 0, start = 0; j < f->nruns && start < i; start = f->runs[j++].end)
		f->cpu[f->runs[j].src].pos += (f->runs[j].end < i ? f->runs[j].end : i) - start;
	f->ord_n = 0;
	f->nruns = 0;
	return err;
}

/* open_dir: the first round reads a page of each CPU, the next ones
 * round_ms of trace more each */
static uint64_t replay_next(const struct ilp_ftrace *f)
{
	uint64_t first = UINT64_MAX;
	int cpu;

	if (f->replay_now)
		return f->replay_now + f->replay_step;
	for (cpu = 0; cpu < f->ncpus; cpu++)
		if (f->cpu_ts[cpu] && f->cpu_ts[cpu] < first)
			first = f->cpu_ts[cpu];
	return first == UINT64_MAX ? 0 : first + f->replay_step;
}

int ilp_ftrace_drain(struct ilp_ftrace *f, int final, ilp_event_fn fn, void *ctx)
{
	uint64_t start = ilp_now_ns(), t0 = start, base = final ? UINT64_MAX : f->prev_start;
	/* record's tap writes every page read whole: a second pass would add
	 * a partial page per CPU to its file at every drain */
	int cpu, r, more, rounds = 0, second = final || (f->tap && f->tap->page);

	f->prev_start = start;
	for (;;) {
		uint64_t limit = base, horizon = final ? UINT64_MAX : start;

		more = 0;
		r = take_pending(f);
		if (r)
			return r;
		for (cpu = 0; cpu < f->ncpus; cpu++) {
			f->last_ts[cpu] = 0;
			r = read_cpu(f, cpu);
			if (r < 0)
				return r;
			/* a CPU with more to read may hold events older than
			 * the limit: deliver only up to what we read of it */
			if (r > 0) {
				more = 1;
				if (f->last_ts[cpu] < limit)
					limit = f->last_ts[cpu];
				if (f->last_ts[cpu] < horizon)
					horizon = f->last_ts[cpu];
			}
		}
		if (f->replay_step) {
			/* as live after its second pass: every CPU is read
			 * up to replay_now, what came after it (and in the
			 * slack before it) waits */
			if (more && before_slack(f->replay_now) < limit)
				limit = before_slack(f->replay_now);
			f->replay_now = replay_next(f);	/* the next round_ms */
		}
		ilp_resolver_round_end(f->res);	/* the round's sockets, in one lookup */
		if (!more && !second) {
			/*
			 * Every CPU was read to its end after start: whatever
			 * came before start is here, and the /proc reads its
			 * records made are done.  A second pass reads what
			 * came meanwhile (a few ms): the window then reaches
			 * past those reads, and the events up to start (and
			 * before the commit slack) go out in this drain
			 * instead of the next: merged and windowed once, not
			 * twice.  The previous drain's start stays a limit.
			 */
			uint64_t now = ilp_now_ns(), upto = before_slack(now);

			second = 1;
			if (upto > start)
				upto = start;
			if (upto > base)	/* never less than the previous drain's start */
				base = upto;
			start = f->prev_start = now;
			continue;
		}
		ilp_resolver_window_begin(f->res, horizon);
		r = merge_all(f);
		if (r)
			return r;
		r = deliver(f, limit, fn, ctx);
		if (r)
			return r;
		/* live: a writer faster than us must not keep us here */
		if (!more || (!final && (++rounds >= MAX_ROUNDS ||
					 ilp_now_ns() - t0 >= DRAIN_BUDGET_NS)))
			return 0;
	}
}

int ilp_ftrace_inject(struct ilp_ftrace *f, const struct ilp_event *ev)
{
	const struct evvec *in = &f->cpu[f->ncpus];
	struct evvec *v = &f->pend;	/* not in[]: a drain may be delivering from it */
	struct ilp_event *slot;

	/* injected events must stay sorted among themselves */
	if ((v->n && vat(v, v->n - 1)->ts > ev->ts) ||
	    (!v->n && in->n > in->pos && vat(in, in->n - 1)->ts > ev->ts))
		return -EINVAL;
	if (f->tap && f->tap->inject) {
		int err = f->tap->inject(f->tap->ctx, ev);

		if (err)
			return err;
	}
	slot = vec_push(v);
	if (!slot)
		return -ENOMEM;
	*slot = *ev;
	return 0;
}

void ilp_ftrace_set_tap(struct ilp_ftrace *f, const struct ilp_ftrace_tap *tap)
{
	f->tap = tap;
}

const struct ilp_source_counters *ilp_ftrace_counters(const struct ilp_ftrace *f)
{
	return &f->counters;
}

struct ilp_resolver *ilp_ftrace_resolver(struct ilp_ftrace *f)
{
	return f->res;
}
