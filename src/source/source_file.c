// SPDX-License-Identifier: MIT
/*
 * The trace-file source: a trace-cmd trace.dat, read with libtracecmd.
 *
 * Offline, so simple: read every record of every buffer instance, decode it
 * with the shared decoder (decode.c) or, for `trace-cmd record -e syscalls`
 * files, with the per-syscall events' own formats; turn iolockprof's
 * trace_marker facts (tracemeta.h) into events at the time they state;
 * sort the lot by time (stable) and deliver.
 *
 * A file made by plain trace-cmd may lack what the model needs to group
 * threads into processes; then each thread is named from the file's
 * saved_cmdlines and shown as its own process, and info.lacks says so.
 * Everything read from the file is input: a corrupt file is an error
 * (-EINVAL and one line in *why), never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event-parse.h>
#include <trace-cmd/trace-cmd.h>

#include "decode.h"
#include "evsort.h"
#include "idmap.h"
#include "source.h"
#include "tracemeta.h"

#define MAX_EVENT_ID 65535
#define SC_ARGS 6

/* one per-syscall event (syscalls:sys_enter_X / sys_exit_X) */
struct scev {
	int kind;		/* ILP_EV_SYS_ENTER or _EXIT */
	int nr_off, nr_size;
	int nargs;
	int off[SC_ARGS], size[SC_ARGS];	/* enter: args; exit: off[0] is ret */
	size_t min_size;
};

struct evvec {
	struct ilp_event *v;
	size_t n, cap;
};

struct objname {
	int kind, pid;
	uint64_t key;
	char *str;
	size_t older;		/* index + 1 of an older name with the same hash, 0 */
};

struct ilp_tracefile {
	struct tracecmd_input *in;
	struct tep_handle *tep;
	struct ilp_decoder *dec;
	int print_id, print_buf_off;	/* ftrace:print, -1 if absent */
	struct scev *sc;		/* per-syscall event descriptors */
	int32_t *sc_by_id;		/* event id -> index in sc, -1 */
	int sc_max_id;
	struct evvec ev;
	char **strs;			/* FD_INFO strings, owned */
	size_t nstrs, strs_cap;
	struct ilp_idmap named;		/* tids given a TASK_INFO from cmdlines */
	struct objname *names;		/* device and lock names (name facts) */
	size_t nnames, names_cap;
	struct ilp_idmap name_idx;	/* name_hash -> index + 1 of the newest such name */
	uint64_t first_ts, last_ts;
	uint64_t kind_count[ILP_EV_KIND_MAX];
	int seen_begin, seen_end, bad_meta;
	uint64_t end_lost;
	int err;
	char command[ILP_META_MAX];
	char lacks[512];
	struct ilp_tracefile_info info;
	struct ilp_source_counters counters;
};

static struct ilp_event *push(struct ilp_tracefile *f)
{
	if (f->ev.n == f->ev.cap) {
		size_t cap = f->ev.cap ? f->ev.cap * 2 : 4096;
		struct ilp_event *v = realloc(f->ev.v, cap * sizeof(*v));

		if (!v)
			return NULL;
		f->ev.v = v;
		f->ev.cap = cap;
	}
	return &f->ev.v[f->ev.n++];
}

static int valid_field(const struct tep_format_field *ff)
{
	return ff && ff->offset >= 0 && ff->size > 0 && ff->offset <= MAX_EVENT_ID &&
	       ff->size <= 8;
}

/* syscalls:sys_enter_X / sys_exit_X: __syscall_nr, then args in order / ret */
static int map_syscall_events(struct ilp_tracefile *f)
{
	int i, n = tep_get_events_count(f->tep), nsc = 0, max_id = -1;
	struct tep_event *e;

	f->sc = calloc((size_t)(n > 0 ? n : 1), sizeof(*f->sc));
	if (!f->sc)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		e = tep_get_event(f->tep, i);
		if (e && e->system && e->name && !strcmp(e->system, "syscalls") &&
		    e->id >= 0 && e->id <= MAX_EVENT_ID && e->id > max_id)
			max_id = e->id;
	}
	f->sc_max_id = max_id;
	if (max_id < 0)
		return 0;
	f->sc_by_id = malloc(sizeof(*f->sc_by_id) * (size_t)(max_id + 1));
	if (!f->sc_by_id)
		return -ENOMEM;
	for (i = 0; i <= max_id; i++)
		f->sc_by_id[i] = -1;
	for (i = 0; i < n; i++) {
		struct tep_format_field *ff, *nr;
		struct scev *s = &f->sc[nsc];
		int enter;

		e = tep_get_event(f->tep, i);
		if (!e || !e->system || !e->name || strcmp(e->system, "syscalls") ||
		    e->id < 0 || e->id > MAX_EVENT_ID)
			continue;
		if (!strncmp(e->name, "sys_enter_", 10))
			enter = 1;
		else if (!strncmp(e->name, "sys_exit_", 9))
			enter = 0;
		else
			continue;
		nr = tep_find_field(e, "__syscall_nr");
		if (!valid_field(nr))
			continue;
		memset(s, 0, sizeof(*s));
		s->kind = enter ? ILP_EV_SYS_ENTER : ILP_EV_SYS_EXIT;
		s->nr_off = nr->offset;
		s->nr_size = nr->size;
		s->min_size = (size_t)(nr->offset + nr->size);
		if (enter) {
			for (ff = e->format.fields; ff && s->nargs < SC_ARGS; ff = ff->next) {
				if (ff == nr || !ff->name || ff->offset <= nr->offset)
					continue;
				if (!valid_field(ff))
					break;
				s->off[s->nargs] = ff->offset;
				s->size[s->nargs++] = ff->size;
				if ((size_t)(ff->offset + ff->size) > s->min_size)
					s->min_size = (size_t)(ff->offset + ff->size);
			}
		} else {
			ff = tep_find_field(e, "ret");
			if (!valid_field(ff))
				continue;
			s->off[0] = ff->offset;
			s->size[0] = ff->size;
			if ((size_t)(ff->offset + ff->size) > s->min_size)
				s->min_size = (size_t)(ff->offset + ff->size);
		}
		f->sc_by_id[e->id] = nsc++;
	}
	return 0;
}

static uint64_t rd(const unsigned char *d, int off, int size, int sign)
{
	uint64_t v8 = 0;
	uint32_t v4;
	uint16_t v2;

	switch (size) {
	case 8: memcpy(&v8, d + off, 8); return v8;
	case 4: memcpy(&v4, d + off, 4); return sign ? (uint64_t)(int64_t)(int32_t)v4 : v4;
	case 2: memcpy(&v2, d + off, 2); return sign ? (uint64_t)(int64_t)(int16_t)v2 : v2;
	case 1: return sign ? (uint64_t)(int64_t)(int8_t)d[off] : d[off];
	default: return 0;
	}
}

/* 1 and *ev filled, 0 not a syscalls event, -EINVAL too short */
static int decode_syscall_event(const struct ilp_tracefile *f, const unsigned char *d,
				size_t size, uint64_t ts, int cpu, struct ilp_event *ev)
{
	const struct scev *s;
	uint16_t type;
	int32_t tid;
	int i;

	if (size < 8 || f->sc_max_id < 0)
		return 0;
	memcpy(&type, d, 2);
	if ((int)type > f->sc_max_id || f->sc_by_id[type] < 0)
		return 0;
	s = &f->sc[f->sc_by_id[type]];
	if (size < s->min_size)
		return -EINVAL;
	memcpy(&tid, d + 4, 4);
	memset(ev, 0, sizeof(*ev));
	ev->ts = ts;
	ev->tid = tid;
	ev->cpu = (uint16_t)cpu;
	ev->kind = (uint16_t)s->kind;
	ev->nr = (int32_t)rd(d, s->nr_off, s->nr_size, 1);
	if (s->kind == ILP_EV_SYS_ENTER)
		for (i = 0; i < s->nargs; i++)
			ev->args[i] = rd(d, s->off[i], s->size[i], 0);
	else
		ev->ret = (int64_t)rd(d, s->off[0], s->size[0], 1);
	return 1;
}

/* *arr holds at least need elements of elem bytes (capacity doubles): 0 or -ENOMEM */
static int vec_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *v;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	v = realloc(*arr, ncap * elem);
	if (!v)
		return -ENOMEM;
	*arr = v;
	*cap = ncap;
	return 0;
}

static int keep_str(struct ilp_tracefile *f, const char *s, const char **out)
{
	char **v;

	if (vec_grow((void **)&f->strs, &f->strs_cap, f->nstrs + 1, sizeof(*v)))
		return -ENOMEM;
	v = f->strs;
	v[f->nstrs] = strdup(s);
	if (!v[f->nstrs])
		return -ENOMEM;
	*out = v[f->nstrs++];
	return 0;
}

static uint64_t name_hash(int kind, int pid, uint64_t key)
{
	return (key ^ ((uint64_t)(uint32_t)pid << 32 | (uint32_t)kind)) * 0x9e3779b97f4a7c15ull;
}

/* a name fact: the newest for (kind, pid, key) is the one asked for */
static int name_add(struct ilp_tracefile *f, int kind, int pid, uint64_t key, const char *str)
{
	uint64_t h = name_hash(kind, pid, key);
	struct objname *v;

	if (vec_grow((void **)&f->names, &f->names_cap, f->nnames + 1, sizeof(*v)))
		return -ENOMEM;
	v = &f->names[f->nnames];
	v->str = strdup(str);
	if (!v->str)
		return -ENOMEM;
	v->kind = kind;
	v->pid = pid;
	v->key = key;
	v->older = (size_t)(uintptr_t)ilp_idmap_probe(&f->name_idx, h);
	if (ilp_idmap_put(&f->name_idx, h, (void *)(uintptr_t)(f->nnames + 1))) {
		free(v->str);
		return -ENOMEM;
	}
	f->nnames++;
	return 0;
}

/* an ftrace:print record: an iolockprof fact, or someone else's marker */
static int on_print(struct ilp_tracefile *f, const unsigned char *d, size_t size)
{
	struct ilp_meta m;
	struct ilp_event *ev;
	size_t off = (size_t)f->print_buf_off;
	int r;

	if (off >= size)
		return 0;
	r = ilp_meta_parse((const char *)d + off, size - off, &m);
	if (r <= 0) {
		if (r < 0)
			f->bad_meta++;
		return 0;
	}
	switch (m.kind) {
	case ILP_META_BEGIN:
		if (!f->seen_begin) {
			f->seen_begin = 1;
			f->info.start_ts = m.ts;
			snprintf(f->command, sizeof(f->command), "%s", m.text);
		}
		return 0;
	case ILP_META_NAME:
		return name_add(f, m.name_kind, m.name_pid, m.name_key, m.text);
	case ILP_META_END:
		f->seen_end = 1;
		f->info.end_ts = m.ts;
		f->end_lost = m.lost;
		f->info.exit_status = m.exit_status;
		return 0;
	default:
		break;
	}
	ev = push(f);
	if (!ev)
		return -ENOMEM;
	*ev = m.ev;
	if (m.kind == ILP_META_FD && keep_str(f, m.text, &ev->fd.str)) {
		f->ev.n--;
		return -ENOMEM;
	}
	f->kind_count[ev->kind]++;
	return 0;
}

static int on_record(struct tracecmd_input *in, struct tep_record *rec, int cpu, void *ctx)
{
	struct ilp_tracefile *f = ctx;
	const unsigned char *d = rec->data;
	struct ilp_event *ev;
	size_t size;
	uint16_t type;
	int r;

	(void)in;
	if (!d || rec->size <= 0)
		return 0;
	size = (size_t)rec->size;
	if (rec->missed_events > 0)
		f->counters.missed += (uint64_t)rec->missed_events;
	else if (rec->missed_events < 0)
		f->counters.missed++;
	if (!f->first_ts || rec->ts < f->first_ts)
		f->first_ts = rec->ts;
	if (rec->ts > f->last_ts)
		f->last_ts = rec->ts;
	ev = push(f);
	if (!ev) {
		f->err = -ENOMEM;
		return -1;
	}
	r = ilp_decode(f->dec, d, size, rec->ts, cpu, ev);
	if (r == 1 && ev->kind == ILP_EV_USTACK)
		ev->ustack.raw = NULL;	/* it pointed into the record: no pcs (never sent on) */
	if (r == 0)
		r = decode_syscall_event(f, d, size, rec->ts, cpu, ev);
	if (r == 1) {
		f->counters.records++;
		if (ev->kind < ILP_EV_KIND_MAX)
			f->kind_count[ev->kind]++;
		return 0;
	}
	f->ev.n--;
	if (r < 0) {
		f->counters.malformed++;
		return 0;
	}
	if (size < 2)
		return 0;
	memcpy(&type, d, 2);
	if (f->print_id >= 0 && type == f->print_id) {
		f->err = on_print(f, d, size);
		return f->err ? -1 : 0;
	}
	f->counters.unknown++;
	return 0;
}

/*
 * A file without iolockprof facts or task events: name each thread from
 * the file's saved_cmdlines, as its own process, at its first event.
 */
static int name_threads(struct ilp_tracefile *f)
{
	size_t i, n = f->ev.n;
	int err;

	for (i = 0; i < n; i++) {
		struct ilp_event *ev = &f->ev.v[i], *ti;
		const char *comm;
		uint64_t ts;
		int32_t tid = ev->tid;

		if (tid <= 0 || ilp_idmap_get(&f->named, (uint64_t)tid))
			continue;
		err = ilp_idmap_put(&f->named, (uint64_t)tid, f);	/* any non-NULL value */
		if (err)
			return err;
		ts = ev->ts;
		ti = push(f);
		if (!ti)
			return -ENOMEM;
		memset(ti, 0, sizeof(*ti));
		ti->ts = ts;
		ti->kind = ILP_EV_TASK_INFO;
		ti->pid = tid;
		ti->tid = tid;
		ti->nr = -1;
		comm = tep_data_comm_from_pid(f->tep, tid);
		snprintf(ti->task.comm, sizeof(ti->task.comm), "%s",
			 comm && strcmp(comm, "<...>") ? comm : "");
	}
	return 0;
}

/* 1 if the file has the event's format (recorded, even with no record) */
static int has_event(const struct ilp_tracefile *f, const char *sys, const char *name)
{
	return tep_find_event_by_name(f->tep, sys, name) != NULL;
}

/* appends "; " (after the first) and what */
static void gap(char *buf, size_t size, const char *what)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%s", len ? "; " : "", what);
}

/*
 * What a file not recorded by iolockprof lacks, in one line: the facts
 * (fd names), the task events (processes), and each part of the report a
 * missing event family leaves empty.
 */
static void describe_gaps(struct ilp_tracefile *f)
{
	int tasks = f->kind_count[ILP_EV_TASK_NEW] || f->kind_count[ILP_EV_EXEC] ||
		    f->kind_count[ILP_EV_TASK_EXIT];

	f->lacks[0] = '\0';
	if (!f->kind_count[ILP_EV_SYS_ENTER] && !f->kind_count[ILP_EV_SYS_EXIT]) {
		snprintf(f->lacks, sizeof(f->lacks), "trace has no syscall events "
			 "(record them with trace-cmd record -e raw_syscalls or -e syscalls)");
	} else if (f->info.recorded) {
		if (f->bad_meta)
			snprintf(f->lacks, sizeof(f->lacks), "%d iolockprof fact(s) in the trace "
				 "could not be read", f->bad_meta);
	} else {
		if (!f->kind_count[ILP_EV_FD_INFO])
			gap(f->lacks, sizeof(f->lacks), "not recorded by iolockprof: no fd names "
			    "(objects show as \"fd N (unresolved)\")");
		else
			gap(f->lacks, sizeof(f->lacks), "no iolockprof begin fact");
		if (!tasks)
			gap(f->lacks, sizeof(f->lacks), "trace lacks task_newtask/"
			    "sched_process_exec/sched_process_exit: threads are shown as "
			    "separate processes");
		else
			gap(f->lacks, sizeof(f->lacks), "threads that existed before tracing "
			    "are shown as separate processes");
		if (!has_event(f, "sched", "sched_switch"))
			gap(f->lacks, sizeof(f->lacks), "no sched_switch: no off-CPU time");
		if (!has_event(f, "block", "block_rq_complete"))
			gap(f->lacks, sizeof(f->lacks), "no block_rq_complete: no Disk I/O");
	}
	f->info.lacks = f->lacks[0] ? f->lacks : NULL;
}

/* tracecmd_init_data() prints "File possibly truncated" on stdout */
/* the file starts with trace-cmd's magic: "\027\010\104tracing" */
static int has_magic(int fd)
{
	static const char magic[] = "\027\010\104tracing";
	char buf[sizeof(magic) - 1];

	return pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf) &&
	       !memcmp(buf, magic, sizeof(buf));
}

/*
 * libtracecmd's handle of the file open as fd (a copy of it: the handle
 * closes its own), read from the start, headers and CPU data initialised;
 * its messages (printed on stdout) silenced.  NULL if it cannot.  Opening
 * by fd, never by path: the file read is the one the caller checked.
 */
static struct tracecmd_input *open_trace(int fd)
{
	struct tracecmd_input *in;
	int saved, null, dfd;

	dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dfd < 0 || lseek(dfd, 0, SEEK_SET) < 0) {
		if (dfd >= 0)
			close(dfd);
		return NULL;
	}
	tracecmd_set_loglevel(TEP_LOG_NONE);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, STDOUT_FILENO);
	in = tracecmd_open_fd(dfd, TRACECMD_FL_LOAD_NO_PLUGINS |
				   TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS);
	fflush(stdout);
	if (saved >= 0 && null >= 0)
		dup2(saved, STDOUT_FILENO);
	if (saved >= 0)
		close(saved);
	if (null >= 0)
		close(null);
	return in;
}


/*
 * libtracecmd 1.3 crashes on some corrupt files (a bad buffer-instance
 * entry in a version-7 file: tracecmd_buffer_instance_handle() frees its
 * half-built handle wrongly; see tests/fuzz/known/).  iolockprof reads
 * every file in a sandboxed child (tracefile_reader.c), where a crash is
 * one line.  A caller that parses in its own process (the fuzzer, with
 * ILP_TRACEFILE_PROBE) has the library's whole walk of the file -- open,
 * init, every record of every buffer instance, close -- run first in a
 * child with stdio on /dev/null; only if the child comes back alive is the
 * file read for real by the same calls in the same order, where the fuzzer
 * sees iolockprof's own parsing.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ILP_HAVE_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(ILP_HAVE_SANITIZER)
void __sanitizer_set_death_callback(void (*cb)(void));
#endif

/* the child's exit status: what the library could not do (no crash) */
enum {
	PROBE_OK = 0,
	PROBE_OPEN = 3,
	PROBE_FORMATS,
	PROBE_INSTANCE,
};

static int probe_record(struct tracecmd_input *in, struct tep_record *rec, int cpu, void *ctx)
{
	(void)in;
	(void)rec;
	(void)cpu;
	(void)ctx;
	return 0;
}

static void probe_child(int fd, unsigned limit_s)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP };
	struct tracecmd_input *in, *b;
	int null, i, nbuf;

	/* die of the signal itself: no handler (the fuzzer's, a sanitizer's)
	 * may report or write a crash file from here */
	for (i = 0; i < (int)(sizeof(sigs) / sizeof(sigs[0])); i++)
		signal(sigs[i], SIG_DFL);
#if defined(__SANITIZE_ADDRESS__) || defined(ILP_HAVE_SANITIZER)
	__sanitizer_set_death_callback(NULL);
#endif
	/* a library that loops on a corrupt file, or a lock some other
	 * thread held at fork (a threaded host: the fuzzer), dies of SIGALRM */
	signal(SIGALRM, SIG_DFL);
	alarm(limit_s);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	in = open_trace(fd);
	if (!in)
		_exit(PROBE_OPEN);
	if (!tracecmd_get_tep(in))
		_exit(PROBE_FORMATS);
	tep_set_loglevel(TEP_LOG_NONE);
	tracecmd_iterate_events(in, NULL, 0, probe_record, NULL);
	nbuf = tracecmd_buffer_instances(in);
	for (i = 0; i < nbuf && i < 64; i++) {
		b = tracecmd_buffer_instance_handle(in, i);
		if (!b)
			_exit(PROBE_INSTANCE);
		tracecmd_iterate_events(b, NULL, 0, probe_record, NULL);
		tracecmd_close(b);
	}
	tracecmd_close(in);
	_exit(0);
}

/*
 * 0 if libtracecmd walks the file without crashing, -EINVAL if it does not.
 * The walk may take PROBE_BASE_S seconds plus one per PROBE_MB_PER_S MiB of
 * file (it reads far faster): longer, and the file is taken as corrupt.
 */
#define PROBE_BASE_S 5
#define PROBE_MB_PER_S 10

static int probe_file(int fd, off_t size, const char **why)
{
	unsigned limit_s = PROBE_BASE_S + (unsigned)(size / (PROBE_MB_PER_S << 20));
	int status;
	pid_t pid, r;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		probe_child(fd, limit_s);
	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	switch (WIFEXITED(status) ? WEXITSTATUS(status) : -1) {
	case PROBE_OK:
		return 0;
	case PROBE_OPEN:
		*why = ILP_TRACEFILE_WHY_OPEN;
		break;
	case PROBE_FORMATS:
		*why = "the trace has no event formats";
		break;
	case PROBE_INSTANCE:
		*why = "a buffer instance in the trace is corrupt or truncated";
		break;
	default:
		*why = ILP_TRACEFILE_WHY_CRASH;
		break;
	}
	return -EINVAL;
}

static int open_file(struct ilp_tracefile *f, int fd, const char **why)
{
	struct tep_event *print;
	int i, nbuf, err;

	f->in = open_trace(fd);
	if (!f->in) {
		*why = ILP_TRACEFILE_WHY_OPEN;
		return -EINVAL;
	}
	f->tep = tracecmd_get_tep(f->in);
	if (!f->tep) {
		*why = "the trace has no event formats";
		return -EINVAL;
	}
	tep_set_loglevel(TEP_LOG_NONE);
	err = ilp_decoder_new_any(f->tep, &f->dec);
	if (err) {
		*why = "cannot read the trace's event formats";
		return err;
	}
	err = map_syscall_events(f);
	if (err)
		return err;
	f->print_id = -1;
	print = tep_find_event_by_name(f->tep, "ftrace", "print");
	if (print && print->id >= 0 && print->id <= MAX_EVENT_ID) {
		struct tep_format_field *buf = tep_find_field(print, "buf");

		if (buf && buf->offset >= 8 && buf->offset <= MAX_EVENT_ID) {
			f->print_id = print->id;
			f->print_buf_off = buf->offset;
		}
	}
	f->info.exit_status = -1;
	if (tracecmd_iterate_events(f->in, NULL, 0, on_record, f) < 0 && f->err)
		return f->err;
	nbuf = tracecmd_buffer_instances(f->in);
	for (i = 0; i < nbuf && i < 64; i++) {
		struct tracecmd_input *b = tracecmd_buffer_instance_handle(f->in, i);

		if (!b) {
			*why = "a buffer instance in the trace is corrupt or truncated";
			return -EINVAL;
		}
		err = tracecmd_iterate_events(b, NULL, 0, on_record, f);
		tracecmd_close(b);
		if (err < 0 && f->err)
			return f->err;
	}
	f->info.recorded = f->seen_begin;
	if (f->seen_begin && !f->seen_end) {
		*why = "the trace is truncated (iolockprof's end record is missing)";
		return -EINVAL;
	}
	if (!f->info.recorded && !f->kind_count[ILP_EV_TASK_NEW] &&
	    !f->kind_count[ILP_EV_EXEC] && !f->kind_count[ILP_EV_TASK_INFO]) {
		err = name_threads(f);
		if (err)
			return err;
	}
	err = ilp_events_sort(f->ev.v, f->ev.n);
	if (err)
		return err;
	if (!f->seen_begin)
		f->info.start_ts = f->first_ts;
	if (f->last_ts > f->info.end_ts)
		f->info.end_ts = f->last_ts;
	if (f->info.end_ts < f->info.start_ts)
		f->info.end_ts = f->info.start_ts;
	f->info.lost = f->end_lost > f->counters.missed ? f->end_lost : f->counters.missed;
	f->info.command = f->command;
	describe_gaps(f);
	return 0;
}

int ilp_tracefile_open_fd(int fd, unsigned flags, struct ilp_tracefile **out, const char **why)
{
	struct ilp_tracefile *f;
	struct stat st;
	int err;

	*out = NULL;
	*why = NULL;
	if (fstat(fd, &st))
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		return -EINVAL;
	}
	if (st.st_size == 0) {
		*why = "the file is empty";
		return -EINVAL;
	}
	if (!has_magic(fd)) {
		*why = ILP_TRACEFILE_WHY_MAGIC;
		return -EINVAL;
	}
	if (flags & ILP_TRACEFILE_PROBE) {
		err = probe_file(fd, st.st_size, why);
		if (err)
			return err;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	err = open_file(f, fd, why);
	if (err) {
		ilp_tracefile_close(f);
		return err;
	}
	*out = f;
	return 0;
}

void ilp_tracefile_close(struct ilp_tracefile *f)
{
	size_t i;

	if (!f)
		return;
	ilp_decoder_free(f->dec);
	if (f->in)
		tracecmd_close(f->in);	/* frees the tep too */
	free(f->sc);
	free(f->sc_by_id);
	free(f->ev.v);
	for (i = 0; i < f->nstrs; i++)
		free(f->strs[i]);
	free(f->strs);
	ilp_idmap_release(&f->named);
	ilp_idmap_release(&f->name_idx);
	for (i = 0; i < f->nnames; i++)
		free(f->names[i].str);
	free(f->names);
	free(f);
}

int ilp_tracefile_deliver(struct ilp_tracefile *f, ilp_event_fn fn, void *ctx)
{
	size_t i;
	int err;

	for (i = 0; i < f->ev.n; i++) {
		err = fn(&f->ev.v[i], ctx);
		if (err)
			return err;
	}
	return 0;
}

int ilp_tracefile_name(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	const struct ilp_tracefile *f = ctx;
	size_t i;

	/* newest first, along the names with the same hash */
	for (i = (size_t)(uintptr_t)ilp_idmap_peek(&f->name_idx, name_hash(kind, pid, key)); i;
	     i = f->names[i - 1].older) {
		const struct objname *n = &f->names[i - 1];

		if (n->kind == kind && n->pid == pid && n->key == key) {
			snprintf(buf, size, "%s", n->str);
			return 0;
		}
	}
	return -ENOENT;
}

int ilp_tracefile_each_name(const struct ilp_tracefile *f,
			    int (*fn)(void *ctx, int kind, int pid, uint64_t key, const char *name),
			    void *ctx)
{
	size_t i;
	int err;

	for (i = 0; i < f->nnames; i++) {
		err = fn(ctx, f->names[i].kind, f->names[i].pid, f->names[i].key, f->names[i].str);
		if (err)
			return err;
	}
	return 0;
}

const struct ilp_tracefile_info *ilp_tracefile_info(const struct ilp_tracefile *f)
{
	return &f->info;
}

const struct ilp_source_counters *ilp_tracefile_counters(const struct ilp_tracefile *f)
{
	return &f->counters;
}
