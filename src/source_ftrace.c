// SPDX-License-Identifier: MIT
/*
 * The ftrace source: reads every CPU's trace_pipe_raw of our private
 * instance, decodes the records with libtraceevent's kbuffer, and delivers
 * struct ilp_event in timestamp order.
 *
 * Decoding looks up each event's id and field offsets once, at open; per
 * record it reads fixed offsets.  Decoded events go into per-CPU vectors
 * that are reused drain after drain (no malloc per event).  Ordering: a
 * drain first notes the time it starts, reads every CPU, merges the CPUs'
 * runs with what the last drain held back, and delivers only events older
 * than the *previous* drain's start: everything stamped before then was
 * committed before this drain read the buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event-parse.h>
#include <kbuffer.h>
#include <tracefs.h>

#include "instance.h"
#include "source.h"

struct evvec {
	struct ilp_event *v;
	size_t n, cap, pos;	/* pos: merge cursor */
};

struct field {
	int off, size;
};

struct ftrace_ids {
	int sys_enter, sys_exit, newtask, exec, exit;
	struct field enter_id, enter_args;
	struct field exit_id, exit_ret;
	struct field nt_pid, nt_comm, nt_flags;
	struct field ex_filename, ex_pid, ex_old_pid;
	struct field pe_pid, pe_group_dead;
};

struct ilp_ftrace {
	struct tep_handle *tep;
	struct kbuffer *kbuf;
	int ncpus;
	int *fds;
	struct evvec *cpu;	/* ncpus decode vectors + 1 for injected events */
	struct evvec held;	/* merged, not yet delivered */
	struct evvec merged;
	void *page;
	int page_size;
	uint64_t prev_start;	/* start of the previous drain */
	struct ilp_source_counters counters;
};

uint64_t ilp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int vec_reserve(struct evvec *v, size_t extra)
{
	size_t cap;
	struct ilp_event *nv;

	if (v->n + extra <= v->cap)
		return 0;
	cap = v->cap ? v->cap : 4096;
	while (cap < v->n + extra)
		cap *= 2;
	nv = realloc(v->v, cap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	v->v = nv;
	v->cap = cap;
	return 0;
}

static struct ilp_event *vec_push(struct evvec *v)
{
	if (v->n == v->cap && vec_reserve(v, 1))
		return NULL;
	return &v->v[v->n++];
}

static int find_field(struct tep_event *ev, const char *name, struct field *f, int required)
{
	struct tep_format_field *ff = tep_find_field(ev, name);

	if (!ff) {
		f->off = -1;
		f->size = 0;
		return required ? -ENOENT : 0;
	}
	f->off = ff->offset;
	f->size = ff->size;
	return 0;
}

static int event_id(struct tep_handle *tep, const char *sys, const char *name,
		    struct tep_event **out)
{
	struct tep_event *ev = tep_find_event_by_name(tep, sys, name);

	*out = ev;
	return ev ? ev->id : -1;
}

static int lookup_ids(struct tep_handle *tep, struct ftrace_ids *ids)
{
	struct tep_event *e;
	int err = 0;

	ids->sys_enter = event_id(tep, "raw_syscalls", "sys_enter", &e);
	if (!e)
		return -ENOENT;
	err |= find_field(e, "id", &ids->enter_id, 1);
	err |= find_field(e, "args", &ids->enter_args, 1);
	ids->sys_exit = event_id(tep, "raw_syscalls", "sys_exit", &e);
	if (!e)
		return -ENOENT;
	err |= find_field(e, "id", &ids->exit_id, 1);
	err |= find_field(e, "ret", &ids->exit_ret, 1);
	ids->newtask = event_id(tep, "task", "task_newtask", &e);
	if (!e)
		return -ENOENT;
	err |= find_field(e, "pid", &ids->nt_pid, 1);
	err |= find_field(e, "comm", &ids->nt_comm, 1);
	err |= find_field(e, "clone_flags", &ids->nt_flags, 1);
	ids->exec = event_id(tep, "sched", "sched_process_exec", &e);
	if (!e)
		return -ENOENT;
	err |= find_field(e, "filename", &ids->ex_filename, 1);
	err |= find_field(e, "pid", &ids->ex_pid, 1);
	err |= find_field(e, "old_pid", &ids->ex_old_pid, 1);
	ids->exit = event_id(tep, "sched", "sched_process_exit", &e);
	if (!e)
		return -ENOENT;
	err |= find_field(e, "pid", &ids->pe_pid, 1);
	err |= find_field(e, "group_dead", &ids->pe_group_dead, 0);
	return err ? -ENOENT : 0;
}

/* fixed-offset readers; records are native-endian (same machine) */
static inline int64_t rd_s64(const unsigned char *d, struct field f)
{
	int64_t v;

	memcpy(&v, d + f.off, 8);
	return v;
}

static inline uint64_t rd_u(const unsigned char *d, struct field f)
{
	uint64_t v8;
	uint32_t v4;
	uint16_t v2;

	switch (f.size) {
	case 8: memcpy(&v8, d + f.off, 8); return v8;
	case 4: memcpy(&v4, d + f.off, 4); return v4;
	case 2: memcpy(&v2, d + f.off, 2); return v2;
	case 1: return d[f.off];
	default: return 0;
	}
}

static inline int32_t rd_s32(const unsigned char *d, struct field f)
{
	int32_t v;

	memcpy(&v, d + f.off, 4);
	return v;
}

static void copy_comm(char *dst, const unsigned char *src, size_t max)
{
	size_t i;

	for (i = 0; i + 1 < ILP_COMM_LEN && i < max && src[i]; i++)
		dst[i] = (char)src[i];
	dst[i] = '\0';
}

/* the ids live right after the struct in the same allocation */
static struct ftrace_ids *ids_of(struct ilp_ftrace *f)
{
	return (struct ftrace_ids *)(f + 1);
}

static int decode(struct ilp_ftrace *f, const struct ftrace_ids *ids, const unsigned char *d,
		  unsigned long long ts, int cpu, struct evvec *out)
{
	struct ilp_event *ev;
	uint16_t type;
	int32_t tid;

	memcpy(&type, d, 2);
	memcpy(&tid, d + 4, 4);
	ev = vec_push(out);
	if (!ev)
		return -ENOMEM;
	ev->ts = ts;
	ev->pid = 0;
	ev->tid = tid;
	ev->cpu = (uint16_t)cpu;
	ev->nr = -1;
	if (type == ids->sys_enter) {
		ev->kind = ILP_EV_SYS_ENTER;
		ev->nr = (int32_t)rd_s64(d, ids->enter_id);
		memcpy(ev->args, d + ids->enter_args.off, sizeof(ev->args));
	} else if (type == ids->sys_exit) {
		ev->kind = ILP_EV_SYS_EXIT;
		ev->nr = (int32_t)rd_s64(d, ids->exit_id);
		ev->ret = rd_s64(d, ids->exit_ret);
	} else if (type == ids->newtask) {
		memset(&ev->task, 0, sizeof(ev->task));
		ev->kind = ILP_EV_TASK_NEW;
		ev->task.child = rd_s32(d, ids->nt_pid);
		ev->task.clone_flags = rd_u(d, ids->nt_flags);
		copy_comm(ev->task.comm, d + ids->nt_comm.off, (size_t)ids->nt_comm.size);
	} else if (type == ids->exec) {
		uint32_t loc;
		const char *name, *slash;
		size_t len;

		memset(&ev->task, 0, sizeof(ev->task));
		ev->kind = ILP_EV_EXEC;
		/* the exec'ing thread becomes the leader: pid is the new tid */
		ev->tid = rd_s32(d, ids->ex_pid);
		ev->pid = ev->tid;
		memcpy(&loc, d + ids->ex_filename.off, 4);
		name = (const char *)d + (loc & 0xffff);
		len = loc >> 16;
		slash = memrchr(name, '/', len);
		if (slash) {
			len -= (size_t)(slash + 1 - name);
			name = slash + 1;
		}
		copy_comm(ev->task.comm, (const unsigned char *)name, len);
	} else if (type == ids->exit) {
		memset(&ev->task, 0, sizeof(ev->task));
		ev->kind = ILP_EV_TASK_EXIT;
		ev->tid = rd_s32(d, ids->pe_pid);
		if (ids->pe_group_dead.off >= 0)
			ev->task.group_dead = rd_u(d, ids->pe_group_dead) != 0;
	} else {
		out->n--;
		f->counters.unknown++;
		return 0;
	}
	f->counters.records++;
	return 0;
}

static int decode_page(struct ilp_ftrace *f, int cpu, void *page)
{
	const struct ftrace_ids *ids = ids_of(f);
	unsigned long long ts;
	unsigned char *d;
	int missed, err;

	if (kbuffer_load_subbuffer(f->kbuf, page) < 0)
		return -EINVAL;
	f->counters.pages++;
	missed = kbuffer_missed_events(f->kbuf);
	if (missed > 0)
		f->counters.missed += (uint64_t)missed;
	else if (missed < 0)
		f->counters.missed += 1;	/* some lost, count unknown */
	for (d = kbuffer_read_event(f->kbuf, &ts); d; d = kbuffer_next_event(f->kbuf, &ts)) {
		err = decode(f, ids, d, ts, cpu, &f->cpu[cpu]);
		if (err)
			return err;
	}
	return 0;
}

int ilp_ftrace_open(struct ilp_instance *in, struct ilp_ftrace **out)
{
	static const char *systems[] = { "raw_syscalls", "task", "sched", NULL };
	struct tracefs_instance *ti = ilp_instance_tracefs(in);
	struct ilp_ftrace *f;
	int cpu, err = -ENOMEM;

	*out = NULL;
	f = calloc(1, sizeof(*f) + sizeof(struct ftrace_ids));
	if (!f)
		return -ENOMEM;
	f->ncpus = ilp_instance_ncpus(in);
	f->fds = malloc(sizeof(int) * (size_t)f->ncpus);
	f->cpu = calloc((size_t)f->ncpus + 1, sizeof(*f->cpu));
	if (!f->fds || !f->cpu)
		goto out;
	for (cpu = 0; cpu < f->ncpus; cpu++)
		f->fds[cpu] = -1;
	err = -ENOENT;
	f->tep = tracefs_local_events_system(NULL, systems);
	if (!f->tep)
		goto out;
	err = lookup_ids(f->tep, ids_of(f));
	if (err)
		goto out;
	f->kbuf = tep_kbuffer(f->tep);
	if (!f->kbuf) {
		err = -ENOMEM;
		goto out;
	}
	f->page_size = tep_get_sub_buffer_size(f->tep);
	if (f->page_size <= 0)
		f->page_size = getpagesize();
	f->page = malloc((size_t)f->page_size);
	if (!f->page) {
		err = -ENOMEM;
		goto out;
	}
	for (cpu = 0; cpu < f->ncpus; cpu++) {
		char file[64];

		snprintf(file, sizeof(file), "per_cpu/cpu%d/trace_pipe_raw", cpu);
		f->fds[cpu] = tracefs_instance_file_open(ti, file, O_RDONLY | O_NONBLOCK);
		if (f->fds[cpu] < 0) {
			err = errno ? -errno : -EIO;
			goto out;
		}
	}
	*out = f;
	return 0;
out:
	ilp_ftrace_close(f);
	return err;
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
		for (cpu = 0; cpu <= f->ncpus; cpu++)
			free(f->cpu[cpu].v);
	free(f->held.v);
	free(f->merged.v);
	free(f->cpu);
	free(f->fds);
	free(f->page);
	/* the kbuffer from tep_kbuffer() belongs to the tep */
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

/* Reads one CPU until it has nothing more, bounded so a busy writer cannot
 * keep us here forever. */
static int read_cpu(struct ilp_ftrace *f, int cpu)
{
	int rounds, err;
	ssize_t r;

	for (rounds = 0; rounds < 1 << 16; rounds++) {
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
		err = decode_page(f, cpu, f->page);
		if (err)
			return err;
	}
	return 0;
}

/* k-way merge of the held events and every CPU run into f->merged */
static int merge_all(struct ilp_ftrace *f)
{
	int nsrc = f->ncpus + 2, s, best;
	size_t total = f->held.n;
	struct evvec *src[nsrc];

	src[0] = &f->held;
	for (s = 0; s <= f->ncpus; s++) {
		src[s + 1] = &f->cpu[s];
		total += f->cpu[s].n;
	}
	f->merged.n = 0;
	if (vec_reserve(&f->merged, total))
		return -ENOMEM;
	for (s = 0; s < nsrc; s++)
		src[s]->pos = 0;
	for (;;) {
		best = -1;
		for (s = 0; s < nsrc; s++) {
			if (src[s]->pos == src[s]->n)
				continue;
			if (best < 0 || src[s]->v[src[s]->pos].ts < src[best]->v[src[best]->pos].ts)
				best = s;
		}
		if (best < 0)
			break;
		f->merged.v[f->merged.n++] = src[best]->v[src[best]->pos++];
	}
	for (s = 0; s < nsrc; s++)
		src[s]->n = 0;
	return 0;
}

int ilp_ftrace_drain(struct ilp_ftrace *f, int final, ilp_event_fn fn, void *ctx)
{
	uint64_t start = ilp_now_ns(), limit;
	size_t i;
	int cpu, err;
	struct evvec tmp;

	for (cpu = 0; cpu < f->ncpus; cpu++) {
		err = read_cpu(f, cpu);
		if (err)
			return err;
	}
	err = merge_all(f);
	if (err)
		return err;
	limit = final ? UINT64_MAX : f->prev_start;
	f->prev_start = start;
	for (i = 0; i < f->merged.n && f->merged.v[i].ts <= limit; i++) {
		err = fn(&f->merged.v[i], ctx);
		if (err)
			break;
	}
	/* keep the rest for the next drain: swap buffers, no copy of the vector */
	tmp = f->held;
	f->held = f->merged;
	f->merged = tmp;
	if (i)
		memmove(f->held.v, f->held.v + i, (f->held.n - i) * sizeof(*f->held.v));
	f->held.n -= i;
	return err;
}

int ilp_ftrace_inject(struct ilp_ftrace *f, const struct ilp_event *ev)
{
	struct evvec *v = &f->cpu[f->ncpus];
	struct ilp_event *slot;

	/* injected events must stay sorted among themselves */
	if (v->n && v->v[v->n - 1].ts > ev->ts)
		return -EINVAL;
	slot = vec_push(v);
	if (!slot)
		return -ENOMEM;
	*slot = *ev;
	return 0;
}

const struct ilp_source_counters *ilp_ftrace_counters(const struct ilp_ftrace *f)
{
	return &f->counters;
}
