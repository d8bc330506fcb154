// SPDX-License-Identifier: MIT
/*
 * fd -> object names, in the order of trust of include/resolve.h.
 *
 * Phase one (ilp_resolver_on_record, each record as soon as it is decoded,
 * in its CPU's order) reads what will not last: the fd a call made, from
 * /proc/TID/fd, with its dev:ino; the path argument in memory; the cwd a
 * chdir left.  Each read is a fact, stamped with its time, kept by (tid,
 * ts) of the event it belongs to.
 *
 * Phase two (ilp_resolver_on_event, each event in time order, as the
 * source delivers it) pairs a call's entry and exit, and decides:
 *
 *   1. a copy of the path made at the call (read while stopped: "call";
 *      the kernel's, whole and unambiguous: "kernel") names the fd, made
 *      absolute against the cwd or dirfd of that call;
 *   2. else the /proc read, if the window of events proves the fd was not
 *      closed, dup2'ed over or exec'ed away between the call and the read
 *      ("proc"); a " (deleted)" name keeps the path the call used when the
 *      argument agrees;
 *   3. else the argument read from memory, when it is printable, resolves,
 *      and the kernel reported that very file (dev:ino) dirtied inside a
 *      write on the fd before its close ("arg");
 *   4. else "name lost", with the reason.
 *
 * cwd and dirfds are tracked per process from certain facts only: the
 * scan at attach (or before exec for run), fork, chdir/fchdir named by a
 * copy or by a /proc read the window proves, and the directories certain
 * names gave.  Where a base is not known, a relative path is not used.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pidns.h"
#include "resolve_internal.h"

#define EINPROGRESS_V 115
#define CLONE_THREAD_V 0x00010000ull
#define CLOSE_RANGE_CLOEXEC_F (1u << 2)
#define AT_SYMLINK_NOFOLLOW_V 0x100
#define NF_NEVER (-1)
#define NF_ALWAYS (-2)
#define POOL_MAX (16u << 20)	/* bytes of pooled names (attach scans) */
#define ATQ_MAX 65536		/* --names=exact copies waiting per thread */
#define DELETED " (deleted)"

static const struct {
	const char *name;
	uint8_t role, sub;
	int8_t path;	/* argument index of the path (or fd pair), -1 */
	int8_t dirfd;	/* argument index of the dirfd, -1 */
	int8_t nofollow;	/* a last symlink is not followed: NF_ALWAYS, or the
				 * index of a flags argument with AT_SYMLINK_NOFOLLOW */
} rrows[] = {
	{ "open", RS_OPEN, 0, 0, -1, NF_NEVER },
	{ "creat", RS_OPEN, 0, 0, -1, NF_NEVER },
	{ "openat", RS_OPEN, 0, 1, 0, NF_NEVER },
	{ "openat2", RS_OPEN, 0, 1, 0, NF_NEVER },
	{ "stat", RS_PATH, 0, 0, -1, NF_NEVER },
	{ "lstat", RS_PATH, 0, 0, -1, NF_ALWAYS },
	{ "stat64", RS_PATH, 0, 0, -1, NF_NEVER },
	{ "lstat64", RS_PATH, 0, 0, -1, NF_ALWAYS },
	{ "access", RS_PATH, 0, 0, -1, NF_NEVER },
	{ "statfs", RS_PATH, 0, 0, -1, NF_NEVER },
	{ "newfstatat", RS_PATH, 0, 1, 0, 3 },
	{ "fstatat64", RS_PATH, 0, 1, 0, 3 },
	{ "statx", RS_PATH, 0, 1, 0, 2 },
	{ "faccessat", RS_PATH, 0, 1, 0, NF_NEVER },
	{ "faccessat2", RS_PATH, 0, 1, 0, 3 },
	{ "socket", RS_SOCKET, 0, -1, -1, NF_NEVER },
	{ "accept", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "accept4", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "eventfd", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "eventfd2", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "memfd_create", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "epoll_create", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "epoll_create1", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "timerfd_create", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "inotify_init", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "inotify_init1", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "io_uring_setup", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "signalfd", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "signalfd4", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "fanotify_init", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "pidfd_open", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "pidfd_getfd", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "perf_event_open", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "userfaultfd", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "memfd_secret", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "open_by_handle_at", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "open_tree", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "fsopen", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "fspick", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "fsmount", RS_RETFD, 0, -1, -1, NF_NEVER },
	{ "connect", RS_ARG0, 0, -1, -1, NF_NEVER },
	{ "bind", RS_ARG0, 0, -1, -1, NF_NEVER },
	{ "listen", RS_ARG0, 0, -1, -1, NF_NEVER },
	{ "pipe", RS_PAIR, 0, 0, -1, NF_NEVER },
	{ "pipe2", RS_PAIR, 0, 0, -1, NF_NEVER },
	{ "socketpair", RS_PAIR, 0, 3, -1, NF_NEVER },
	{ "chdir", RS_CHDIR, 0, 0, -1, NF_NEVER },
	{ "fchdir", RS_FCHDIR, 0, -1, -1, NF_NEVER },
	{ "close", RS_FDGONE, FG_CLOSE, -1, -1, NF_NEVER },
	{ "close_range", RS_FDGONE, FG_RANGE, -1, -1, NF_NEVER },
	{ "dup2", RS_FDGONE, FG_DUP, -1, -1, NF_NEVER },
	{ "dup3", RS_FDGONE, FG_DUP, -1, -1, NF_NEVER },
	{ "chroot", RS_FDGONE, FG_ROOT, -1, -1, NF_NEVER },
	{ "pivot_root", RS_FDGONE, FG_ROOT, -1, -1, NF_NEVER },
	{ "unshare", RS_FDGONE, FG_ROOT, -1, -1, NF_NEVER },
	{ "setns", RS_FDGONE, FG_ROOT, -1, -1, NF_NEVER },
};

#define NROWS (sizeof(rrows) / sizeof(rrows[0]))

const char *ilp_resolve_path_call(size_t i)
{
	size_t k;

	for (k = 0; k < NROWS; k++)
		if ((rrows[k].role == RS_OPEN || rrows[k].role == RS_PATH ||
		     rrows[k].role == RS_CHDIR) && !i--)
			return rrows[k].name;
	return NULL;
}

const char *ilp_resolve_exit_call(size_t i)
{
	size_t k;

	for (k = 0; k < NROWS; k++)
		if ((rrows[k].role == RS_RETFD || rrows[k].role == RS_PAIR ||
		     rrows[k].role == RS_SOCKET || rrows[k].role == RS_ARG0) && !i--)
			return rrows[k].name;
	return NULL;
}

/* ---- state ---- */

static void fact_free(struct fact *f);

static void copy_release(struct copy *c)
{
	free(c->raw);
	free(c->abs);
	memset(c, 0, sizeof(*c));
}

struct tstate *ilp_res_thread(struct ilp_resolver *r, int tid)
{
	struct tstate *t = ilp_umap_get(&r->threads, (uint64_t)(uint32_t)tid);

	if (t)
		return t;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tid = tid;
	t->pid = tid;	/* a thread first seen alone is its own process */
	if (ilp_umap_put(&r->threads, (uint64_t)(uint32_t)tid, t)) {
		free(t);
		return NULL;
	}
	return t;
}

static void thread_free(struct tstate *t)
{
	size_t i;

	if (!t)
		return;
	copy_release(&t->copy);
	copy_release(&t->kpend);
	for (i = 0; i < t->natq; i++)
		copy_release(&t->atq[(t->atq_head + i) % t->atq_cap]);
	free(t->atq);
	while (t->exitq) {
		struct fact *f = t->exitq;

		t->exitq = f->next;
		fact_free(f);
	}
	free(t);
}

int ilp_res_ptid(const struct ilp_resolver *r, int ktid)
{
	return r->pidns ? ilp_pidns_proc_pid(r->pidns, ktid) : ktid;
}

int ilp_res_pid_of(const struct ilp_resolver *r, int tid)
{
	const struct tstate *t = ilp_umap_get(&r->threads, (uint64_t)(uint32_t)tid);

	return t ? t->pid : tid;
}

static struct pstate *proc_get(struct ilp_resolver *r, int pid)
{
	struct pstate *p = ilp_umap_get(&r->procs, (uint64_t)(uint32_t)pid);

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->view = -1;
	if (ilp_umap_put(&r->procs, (uint64_t)(uint32_t)pid, p)) {
		free(p);
		return NULL;
	}
	return p;
}

static void dirs_clear(struct pstate *p)
{
	size_t i;

	for (i = 0; i < p->ndirs; i++)
		free(p->dirs[i].path);
	p->ndirs = 0;
}

static void proc_free(struct pstate *p)
{
	if (!p)
		return;
	dirs_clear(p);
	free(p->dirs);
	free(p->cwd);
	free(p);
}

static const char *dir_of(const struct pstate *p, int fd)
{
	size_t i;

	for (i = 0; p && i < p->ndirs; i++)
		if (p->dirs[i].fd == fd)
			return p->dirs[i].path;
	return NULL;
}

static void dir_forget(struct pstate *p, int lo, int hi)
{
	size_t i = 0;

	while (p && i < p->ndirs) {
		if (p->dirs[i].fd >= lo && p->dirs[i].fd <= hi) {
			free(p->dirs[i].path);
			p->dirs[i] = p->dirs[--p->ndirs];
		} else {
			i++;
		}
	}
}

static void dir_set(struct pstate *p, int fd, const char *path)
{
	char *s;

	if (!p)
		return;
	dir_forget(p, fd, fd);
	if (p->ndirs == p->dircap) {
		size_t cap = p->dircap ? p->dircap * 2 : 8;
		struct dirfd *v = realloc(p->dirs, cap * sizeof(*v));

		if (!v)
			return;
		p->dirs = v;
		p->dircap = cap;
	}
	s = strdup(path);
	if (!s)
		return;
	p->dirs[p->ndirs].fd = fd;
	p->dirs[p->ndirs++].path = s;
}

static void set_cwd(struct pstate *p, const char *cwd)
{
	char *s = cwd && cwd[0] == '/' ? strdup(cwd) : NULL;

	if (!p) {
		free(s);
		return;
	}
	free(p->cwd);
	p->cwd = s;	/* NULL: not known */
}

/* the view of process p (its root and mount namespace ours?), asked once */
static int view_of(struct ilp_resolver *r, struct pstate *p, int tid)
{
	if (tid <= 0)
		return 0;	/* not proved (pid namespace): never our view */
	if (!p)
		return ilp_res_same_view(r, tid) == 1;
	if (p->view < 0)
		p->view = (int8_t)ilp_res_same_view(r, tid);
	if (p->view < 0)	/* gone before we could ask */
		return 0;
	return p->view;
}

/* ---- facts ---- */

static uint64_t fact_key(int tid, uint64_t ts)
{
	return ts * 0x9e3779b97f4a7c15ull ^ (uint64_t)(uint32_t)tid;
}

static struct fact *fact_new(struct ilp_resolver *r, int tid, uint64_t ts, int nr)
{
	uint64_t k = fact_key(tid, ts);
	struct fact *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->tid = tid;
	f->ts = ts;
	f->nr = nr;
	f->next = ilp_umap_get(&r->facts, k);
	if (ilp_umap_put(&r->facts, k, f)) {
		free(f);
		return NULL;
	}
	return f;
}

static void fact_free(struct fact *f)
{
	if (!f)
		return;
	ilp_res_snap_release(&f->snap[0]);
	ilp_res_snap_release(&f->snap[1]);
	free(f->arg);
	free(f->cwd);
	free(f->kcopy);
	free(f);
}

/* the fact of (tid, ts), removed from the table (the caller frees it) */
static struct fact *fact_take(struct ilp_resolver *r, int tid, uint64_t ts)
{
	uint64_t k = fact_key(tid, ts);
	struct fact *head = ilp_umap_get(&r->facts, k), **pp, *f;

	for (pp = &head; (f = *pp); pp = &f->next)
		if (f->tid == tid && f->ts == ts)
			break;
	if (!f)
		return NULL;
	*pp = f->next;
	if (head)
		ilp_umap_put(&r->facts, k, head);
	else
		ilp_umap_del(&r->facts, k);
	/* a socket lookup still waiting for it is dropped (round_end has run
	 * for every round before delivery; this is only an error path) */
	if (f->snap[0].sock_asked || f->snap[1].sock_asked) {
		struct fact **q;

		for (q = &r->pending; *q; q = &(*q)->pnext)
			if (*q == f) {
				*q = f->pnext;
				break;
			}
	}
	f->next = NULL;
	return f;
}

/* ---- lifetime ---- */

int ilp_resolver_new(struct ilp_resolver **out)
{
	struct ilp_resolver *r = calloc(1, sizeof(*r));
	struct stat st;
	size_t i;
	int err;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	for (i = 0; i < NROWS; i++) {
		int nr = ilp_syscall_nr(rrows[i].name);

		if (nr < 0 || nr >= ILP_SC_MAX)
			continue;
		r->role[nr].role = rrows[i].role;
		r->role[nr].sub = rrows[i].sub;
		r->role[nr].path = rrows[i].path;
		r->role[nr].dirfd = rrows[i].dirfd;
		r->role[nr].nofollow = rrows[i].nofollow;
	}
	for (i = 0; i < ILP_SC_MAX; i++)
		r->role[i].wdata = (ilp_syscall_class((int)i) & (ILP_SC_WRITE | ILP_SC_READ)) &&
				   (ilp_syscall_class((int)i) & ILP_SC_FD0);
	r->nr_socketpair = ilp_syscall_nr("socketpair");
	r->nr_connect = ilp_syscall_nr("connect");
	r->nr_openat2 = ilp_syscall_nr("openat2");
	ilp_hash_key(r->hkey);
	if (!stat("/", &st)) {
		r->root_dev = st.st_dev;
		r->root_ino = st.st_ino;
		if (!stat("/proc/self/ns/mnt", &st)) {
			r->mntns_dev = st.st_dev;
			r->mntns_ino = st.st_ino;
			r->root_known = 1;
		}
	}
	r->full_reason = ilp_spool_intern(&r->pool, "name table full: names past 16 MiB not kept");
	r->pool.max_bytes = POOL_MAX;
	err = r->full_reason ? ilp_sockdiag_new(&r->sd) : -ENOMEM;
	if (err) {
		ilp_resolver_free(r);
		return err;
	}
	*out = r;
	return 0;
}

void ilp_resolver_free(struct ilp_resolver *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->facts.cap; i++) {
		struct fact *f = ilp_umap_slot(&r->facts, i, NULL), *next;

		for (; f; f = next) {
			next = f->next;
			fact_free(f);
		}
	}
	ilp_umap_release(&r->facts);
	for (i = 0; i < r->threads.cap; i++)
		thread_free(ilp_umap_slot(&r->threads, i, NULL));
	ilp_umap_release(&r->threads);
	for (i = 0; i < r->procs.cap; i++)
		proc_free(ilp_umap_slot(&r->procs, i, NULL));
	ilp_umap_release(&r->procs);
	ilp_spool_release(&r->pool);
	ilp_res_canon_release(r);
	ilp_res_window_release(&r->w);
	ilp_sockdiag_free(r->sd);
	free(r);
}

void ilp_resolver_set_pidns(struct ilp_resolver *r, struct ilp_pidns *ns)
{
	r->pidns = ns;
}

const char *ilp_resolver_intern(struct ilp_resolver *r, const char *s)
{
	return ilp_spool_intern(&r->pool, s);
}

void ilp_resolver_counts(const struct ilp_resolver *r, struct ilp_resolve_counts *c)
{
	*c = r->counts;
	c->pool_dropped = r->pool.dropped;
	ilp_sockdiag_counts(r->sd, &c->sock_diag, &c->sock_procnet);
}

/* ---- phase one ---- */

static struct p1slot *slot1(struct ilp_resolver *r, int cpu, int tid)
{
	return &r->slots[((unsigned)tid * 31u + (unsigned)cpu) & (SLOTS1 - 1)];
}

static void ask_sock(struct ilp_resolver *r, struct fact *f, struct snap *s)
{
	if (s->state != SNAP_OK || !s->sock || s->sock_asked)
		return;
	s->sock_asked = 1;
	if (f->snap[0].sock_asked + f->snap[1].sock_asked == 1) {	/* first of the fact */
		f->pnext = r->pending;
		r->pending = f;
	}
}

static int ends_with(const char *s, const char *tail)
{
	size_t ls = strlen(s), lt = strlen(tail);

	return ls >= lt && !strcmp(s + ls - lt, tail);
}

/* 1 if the exit of a call of role ri (ret, args: NULL if not known) has
 * something to read */
static int exit_wants(const struct rinfo *ri, int64_t ret, const uint64_t *args)
{
	switch (ri->role) {
	case RS_OPEN:
	case RS_PATH:
		return 1;
	case RS_RETFD:
		return ret >= 0;
	case RS_ARG0:
		return (ret == 0 || ret == -EINPROGRESS_V) && args;
	case RS_PAIR:
		return ret == 0 && args;
	case RS_CHDIR:
	case RS_FCHDIR:
		return ret == 0;
	default:
		return 0;
	}
}

/* the reads the exit of a call of role ri needs, now, into f (thread pt as
 * /proc knows it); args NULL when phase one could not pair the entry */
static void exit_reads(struct ilp_resolver *r, struct fact *f, int pt, const struct rinfo *ri,
		       int64_t ret, const uint64_t *args)
{
	char path[64];
	int fds[2], i;

	f->ptid = pt;
	switch (ri->role) {
	case RS_OPEN:
	case RS_PATH:
		if (ri->role == RS_OPEN && ret >= 0) {
			f->nfd = 1;
			f->fds[0] = (int)ret;
			ilp_res_snap(r, pt, (int)ret, &f->snap[0]);
		}
		/* the argument: for a fd that is gone, a " (deleted)" name, a
		 * kernel copy to check; never needed when read at the call */
		if (args && !r->stopped && !f->stopped) {
			f->arg_ptr = args[ri->path];
			f->arg_state = ilp_res_read_str(pt, f->arg_ptr, &f->arg) ? 2 : 1;
			f->arg_at = ilp_res_now();
		}
		break;
	case RS_RETFD:
	case RS_ARG0:
		f->nfd = 1;
		f->fds[0] = ri->role == RS_RETFD ? (int)ret : (int)args[0];
		ilp_res_snap(r, pt, f->fds[0], &f->snap[0]);
		ask_sock(r, f, &f->snap[0]);
		break;
	case RS_PAIR:
		if (ilp_res_read_mem(pt, args[ri->path], fds, sizeof(fds)))
			break;
		f->pair_state = 1;
		f->pair_at = ilp_res_now();
		f->nfd = 2;
		for (i = 0; i < 2; i++) {
			f->fds[i] = fds[i];
			ilp_res_snap(r, pt, fds[i], &f->snap[i]);
			ask_sock(r, f, &f->snap[i]);
		}
		break;
	case RS_CHDIR:
	case RS_FCHDIR:
		snprintf(path, sizeof(path), "/proc/%d/cwd", pt);
		if (ilp_res_link(path, &f->cwd) || ends_with(f->cwd, DELETED)) {
			free(f->cwd);
			f->cwd = NULL;
		}
		f->cwd_at = ilp_res_now();
		break;
	}
	for (i = 0; f->stopped && i < f->nfd; i++)
		f->snap[i].stopped = 1;
}

/* a copy ilp_resolver_at_call made waits for tid's next call nr: its
 * exit needs no reads of its own (the tracer-stopped read is exact) */
static int exact_pending(struct ilp_resolver *r, int tid, int nr)
{
	struct tstate *t = ilp_umap_get(&r->threads, (uint64_t)(uint32_t)tid);

	return t && t->natq && t->atq[t->atq_head].nr == nr;
}

static void record_exit(struct ilp_resolver *r, const struct ilp_event *ev)
{
	const struct rinfo *ri = &r->role[ev->nr];
	struct p1slot *sl = slot1(r, ev->cpu, ev->tid);
	const uint64_t *args = sl->tid == ev->tid && sl->nr == ev->nr ? sl->args : NULL;
	int pt = ilp_res_ptid(r, ev->tid);
	struct fact *f;

	if (args)
		sl->tid = 0;
	if (pt <= 0)
		return;	/* a pid namespace's unproved process: no /proc read (pidns.h) */
	if (exact_pending(r, ev->tid, ev->nr))
		return;	/* --names=exact read it at the call: no late read to pay for */
	if (!exit_wants(ri, ev->ret, args) || !(f = fact_new(r, ev->tid, ev->ts, ev->nr)))
		return;
	exit_reads(r, f, pt, ri, ev->ret, args);
}

static __attribute__((noinline)) void on_record(struct ilp_resolver *r, const struct ilp_event *ev)
{
	struct fact *f;

	switch (ev->kind) {
	case ILP_EV_SYS_ARGSTR:
		f = fact_new(r, ev->tid, ev->ts, ev->nr);
		if (!f)
			return;
		f->kcopy = malloc((size_t)ev->ustr.len + 1);
		if (!f->kcopy)
			return;
		memcpy(f->kcopy, ev->ustr.str, ev->ustr.len);
		f->kcopy[ev->ustr.len] = '\0';
		/* the kernel ends a whole copy with its NUL; a cut one with "..." */
		f->kcut = !ev->ustr.len || ev->ustr.str[ev->ustr.len - 1] != '\0';
		f->kcopy_len = strlen(f->kcopy);
		f->kptr = ev->ustr.ptr;
		return;
	case ILP_EV_SYS_ENTER:
		if (r->role[ev->nr].role && r->role[ev->nr].role != RS_FDGONE) {
			struct p1slot *sl = slot1(r, ev->cpu, ev->tid);

			sl->tid = ev->tid;
			sl->nr = ev->nr;
			sl->cpu = ev->cpu;
			memcpy(sl->args, ev->args, sizeof(sl->args));
		}
		return;
	case ILP_EV_SYS_EXIT:
		if (r->role[ev->nr].role)
			record_exit(r, ev);
		return;
	default:
		return;
	}
}

/* most records: a call that names nothing, out before on_record's prologue */
void ilp_resolver_on_record(struct ilp_resolver *r, const struct ilp_event *ev)
{
	if (r->pidns)	/* threads of a proved process, exits: as they are decoded */
		ilp_pidns_on_event(r->pidns, ev);
	if (ev->nr < 0 || ev->nr >= ILP_SC_MAX)
		return;
	if (ev->kind == ILP_EV_SYS_ENTER || ev->kind == ILP_EV_SYS_EXIT) {
		if (!r->role[ev->nr].role)
			return;
	} else if (ev->kind != ILP_EV_SYS_ARGSTR) {
		return;
	}
	on_record(r, ev);
}

void ilp_resolver_round_end(struct ilp_resolver *r)
{
	struct ilp_sock_query *q;
	struct fact *f;
	size_t n = 0, i;
	int k;

	for (f = r->pending; f; f = f->pnext)
		n += (size_t)(f->snap[0].sock_asked + f->snap[1].sock_asked);
	if (!n)
		return;
	q = calloc(n, sizeof(*q));
	if (q) {
		for (i = 0, f = r->pending; f; f = f->pnext)
			for (k = 0; k < 2; k++)
				if (f->snap[k].sock_asked) {
					q[i].ino = f->snap[k].sock;
					q[i].netns = f->snap[k].netns;
					q[i++].tid = f->ptid;
				}
		ilp_sockdiag_lookup(r->sd, q, n);
		for (i = 0, f = r->pending; f; f = f->pnext)
			for (k = 0; k < 2; k++)
				if (f->snap[k].sock_asked) {
					struct snap *s = &f->snap[k];

					if (q[i].found && (s->sdesc = strdup(q[i].desc))) {
						s->sock_found = 1;
						s->stype = q[i].type;
					}
					i++;
				}
		free(q);
	}
	for (f = r->pending; f; f = f->pnext)
		f->snap[0].sock_asked = f->snap[1].sock_asked = 0;
	r->pending = NULL;
}

void ilp_resolver_window_begin(struct ilp_resolver *r, uint64_t horizon)
{
	ilp_res_window_begin(r, horizon);
}

void ilp_resolver_window_add(struct ilp_resolver *r, const struct ilp_event *const *v, size_t n)
{
	ilp_res_window_add(r, v, n);
}

/* ---- phase two: the decisions ---- */

enum sv { SV_VALID, SV_GONE, SV_REUSED, SV_LATE, SV_NOPROC, SV_NONE };

/* src into dst, cut to size (a name is never longer than PATH_MAX + a few) */
static void scopy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *const lost_why[] = {
	[SV_VALID] = "",
	[SV_GONE] = "closed before it could be read",
	[SV_REUSED] = "its fd number was reused before it could be read",
	[SV_LATE] = "read too late to be checked",
	[SV_NOPROC] = "the process exited before it could be read",
	[SV_NONE] = "not read",
};

/* what the /proc read of fd is worth for the call that ended at exit_ts */
static enum sv snap_check(const struct ilp_resolver *r, int pid, int fd, uint64_t exit_ts,
			  const struct snap *s)
{
	if (!s || s->state == SNAP_NONE)
		return SV_NONE;
	if (s->state == SNAP_GONE)
		return SV_GONE;
	if (s->state == SNAP_NOPROC)
		return SV_NOPROC;
	if (r->stopped || !r->w.valid || s->stopped)
		return SV_VALID;	/* read while the tracee waited at the call */
	if (s->at > r->w.horizon)
		return SV_LATE;
	return ilp_res_fd_changed(r, pid, fd, exit_ts, s->at) ? SV_REUSED : SV_VALID;
}

static void put(struct ilp_resolver *r, struct ilp_event *out, int i, const struct ilp_event *ev,
		int fd, unsigned type, unsigned src, const char *str)
{
	memset(out, 0, sizeof(*out));
	out->ts = ev->ts;
	out->pid = ev->pid;
	out->tid = ev->tid;
	out->cpu = ev->cpu;
	out->nr = -1;
	out->kind = ILP_EV_FD_INFO;
	out->fd.fd = fd;
	out->fd.type = (type & ~ILP_OBJ_SRC_MASK) | ILP_OBJ_SRC(src);
	scopy(r->out[i], sizeof(r->out[i]), str);
	out->fd.str = r->out[i];
	r->counts.named[src < ILP_NAME_SRC_NSRC ? src : 0]++;
}

static void put_lost(struct ilp_resolver *r, struct ilp_event *out, int i,
		     const struct ilp_event *ev, int fd, const char *why)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s%s", why, r->stopped ? "" : "; --names=exact keeps it");
	put(r, out, i, ev, fd, ILP_OBJ_UNRESOLVED, ILP_NAME_SRC_LOST, buf);
}

static int printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* raw made absolute against the cwd or dirfd tracked for the call; a
 * malloc'd string, or NULL when no certain base is known */
static char *absolute(const struct pstate *p, const struct rinfo *ri, const uint64_t *args,
		      const char *raw)
{
	const char *base;
	char *s;

	if (!raw || !raw[0])
		return NULL;	/* "": AT_EMPTY_PATH, about the dirfd itself */
	if (raw[0] == '/')
		return strdup(raw);
	if (ri->dirfd < 0 || (int)args[ri->dirfd] == AT_FDCWD_V)
		base = p ? p->cwd : NULL;
	else
		base = dir_of(p, (int)args[ri->dirfd]);
	if (!base || base[0] != '/')
		return NULL;
	if (asprintf(&s, "%s%s%s", base, strcmp(base, "/") ? "/" : "", raw) < 0)
		return NULL;
	return s;
}

/* 1 if the call does not follow a last symlink (lstat, AT_SYMLINK_NOFOLLOW) */
static int no_follow(const struct rinfo *ri, const uint64_t *args)
{
	if (ri->nofollow == NF_ALWAYS)
		return 1;
	return ri->nofollow >= 0 && (args[ri->nofollow] & AT_SYMLINK_NOFOLLOW_V);
}

/*
 * The absolute path a copy made at the call gives, or NULL: "call" copies
 * carry it; a kernel copy is used when whole and unambiguous (no '.' the
 * kernel may have written for a byte, unless the argument read from memory
 * is the same bytes) and its base is known.
 */
static char *copy_path(const struct copy *c, const struct pstate *p, const struct rinfo *ri,
		       const uint64_t *args, const struct fact *f)
{
	if (!c->src)
		return NULL;
	if (c->src == ILP_NAME_SRC_CALL)
		return c->abs ? strdup(c->abs) : NULL;
	if (!c->exact && !(f && f->arg_state == 1 && f->arg && !strcmp(f->arg, c->raw)))
		return NULL;
	return absolute(p, ri, args, c->raw);
}

static unsigned stat_type(int tid, int view, const char *abs, int nofollow)
{
	struct stat st;

	if (ilp_res_stat(tid, view, abs, nofollow, &st))
		return ILP_OBJ_FILE;
	if (nofollow && S_ISLNK(st.st_mode))
		return ILP_OBJ_FILE;
	return ilp_res_mode_type(st.st_mode);
}

/* 1 if the kernel reported abs's file dirtied inside a write on fd */
static int confirmed(const struct ilp_resolver *r, int tid, int pid, int view, int fd,
		     uint64_t exit_ts, const char *abs)
{
	struct stat st;

	if (!r->w.valid || ilp_res_stat(tid, view, abs, 0, &st) || !S_ISREG(st.st_mode))
		return 0;
	return ilp_res_dirtied(r, pid, fd, exit_ts,
			       (uint32_t)(major(st.st_dev) << 20 | (minor(st.st_dev) & 0xfffff)),
			       (uint64_t)st.st_ino);
}

/* a DIR name given with certainty: the process's dirfd from now on */
static void note_dir(struct pstate *p, int fd, unsigned type, const char *name)
{
	if ((type & ILP_OBJ_TYPE_MASK) == ILP_OBJ_DIR && name[0] == '/')
		dir_set(p, fd, name);
	else
		dir_forget(p, fd, fd);
}

/* open/openat/creat that returned fd */
static int name_open(struct ilp_resolver *r, const struct ilp_event *ev, const struct tstate *t,
		     int have, struct fact *f, struct ilp_event *out)
{
	const struct rinfo *ri = &r->role[ev->nr];
	int fd = (int)ev->ret, pid = t->pid, view;
	struct pstate *p = proc_get(r, pid);
	struct snap *s = f && f->nfd ? &f->snap[0] : NULL;
	enum sv sv = snap_check(r, pid, fd, ev->ts, s);
	char *abs = have ? copy_path(&t->copy, p, ri, t->args, f) : NULL;
	char name[PATH_MAX + 64], *cand = NULL;
	unsigned type = ILP_OBJ_FILE, src;
	int pt = ilp_res_ptid(r, ev->tid);

	view = view_of(r, p, pt);
	if (abs) {
		/* a copy made at the call: the name it gives */
		src = t->copy.src;
		ilp_res_canonical(r, pt, view, abs, 0, name, sizeof(name));
		if (sv == SV_VALID && !ilp_res_snap_name(s, &type, r->tmp, sizeof(r->tmp)) &&
		    r->tmp[0] == '/' && strcmp(r->tmp, name) && !ends_with(r->tmp, DELETED)) {
			/* a symlink moved since: the file the fd holds is the truth */
			scopy(name, sizeof(name), r->tmp);
			src = ILP_NAME_SRC_PROC;
		} else if (sv != SV_VALID) {
			type = stat_type(pt, view, name, 0);
		}
		put(r, out, 0, ev, fd, type, src, name);
		free(abs);
		note_dir(p, fd, type, name);
		return 1;
	}
	if (sv == SV_VALID && !ilp_res_snap_name(s, &type, name, sizeof(name))) {
		src = r->stopped || s->stopped ? ILP_NAME_SRC_CALL : ILP_NAME_SRC_PROC;
		/* unlinked since: the path the call used, when its argument agrees */
		if (name[0] == '/' && ends_with(name, DELETED) && have && f && f->arg_state == 1 &&
		    (cand = absolute(p, ri, t->args, f->arg))) {
			if (strlen(cand) == strlen(name) - strlen(DELETED) &&
			    !strncmp(cand, name, strlen(cand)))
				name[strlen(cand)] = '\0';
			free(cand);
		}
		put(r, out, 0, ev, fd, type, src, name);
		note_dir(p, fd, type, name);
		return 1;
	}
	/* the fd is gone (or was reused): the argument, if the kernel confirms
	 * it (when it was read does not matter: the confirmation is by inode) */
	if (have && f && !f->arg_state && ri->path >= 0 && !r->stopped && pt > 0) {
		f->arg_state = ilp_res_read_str(pt, t->args[ri->path], &f->arg) ? 2 : 1;
		f->arg_at = ilp_res_now();
	}
	if (have && f && f->arg_state == 1 && printable(f->arg) &&
	    (cand = absolute(p, ri, t->args, f->arg)) &&
	    confirmed(r, pt, pid, view, fd, ev->ts, cand)) {
		ilp_res_canonical(r, pt, view, cand, 0, name, sizeof(name));
		put(r, out, 0, ev, fd, ILP_OBJ_FILE, ILP_NAME_SRC_ARG, name);
		free(cand);
		dir_forget(p, fd, fd);
		return 1;
	}
	free(cand);
	dir_forget(p, fd, fd);
	put_lost(r, out, 0, ev, fd, lost_why[sv]);
	return 1;
}

/* a call that takes a path and makes no fd (stat, access, a failed open):
 * named only by a copy made at the call */
static int name_path(struct ilp_resolver *r, const struct ilp_event *ev, const struct tstate *t,
		     struct fact *f, struct ilp_event *out)
{
	const struct rinfo *ri = &r->role[ev->nr];
	struct pstate *p = proc_get(r, t->pid);
	char *abs = copy_path(&t->copy, p, ri, t->args, f), name[PATH_MAX + 64];
	int nf = no_follow(ri, t->args), view, pt = ilp_res_ptid(r, ev->tid);

	if (!abs)
		return 0;
	view = view_of(r, p, pt);
	ilp_res_canonical(r, pt, view, abs, nf, name, sizeof(name));
	put(r, out, 0, ev, ILP_FD_PATHARG, stat_type(pt, view, name, nf), t->copy.src, name);
	free(abs);
	return 1;
}

/* the fd a call made or renamed, named by its /proc read only */
static int name_fd(struct ilp_resolver *r, const struct ilp_event *ev, int pid, int fd,
		   struct snap *s, int i, struct ilp_event *out)
{
	enum sv sv = snap_check(r, pid, fd, ev->ts, s);
	char name[PATH_MAX + 64];
	unsigned type;

	if (sv == SV_VALID && !ilp_res_snap_name(s, &type, name, sizeof(name))) {
		put(r, out + i, i, ev, fd, type,
		    r->stopped || s->stopped ? ILP_NAME_SRC_CALL : ILP_NAME_SRC_PROC, name);
		note_dir(proc_get(r, pid), fd, type, name);
	} else {
		put_lost(r, out + i, i, ev, fd, lost_why[sv]);
	}
	return 1;
}

/* a fresh socket: "(unconnected, fd N)", its protocol from socket()'s arguments */
static int name_socket(struct ilp_resolver *r, const struct ilp_event *ev, const uint64_t *args,
		       struct ilp_event *out)
{
	uint64_t family = args[0], stype = args[1] & 0xf;
	unsigned type;
	char buf[64];

	if (family == AF_INET || family == AF_INET6)
		type = stype == SOCK_STREAM ? ILP_OBJ_TCP : stype == SOCK_DGRAM ? ILP_OBJ_UDP
									 : ILP_OBJ_SOCKET;
	else if (family == AF_UNIX)
		type = ILP_OBJ_UNIX;
	else
		return 0;
	snprintf(buf, sizeof(buf), "(unconnected%s, fd %d)", family == AF_INET6 ? ", ipv6" : "",
		 (int)ev->ret);
	put(r, out, 0, ev, (int)ev->ret, type,
	    r->stopped ? ILP_NAME_SRC_CALL : ILP_NAME_SRC_KERNEL, buf);
	return 1;
}

/* pipe, pipe2, socketpair: the two fds the call wrote to memory */
static int name_pair(struct ilp_resolver *r, const struct ilp_event *ev, int pid, uint64_t ptr,
		     struct fact *f, struct ilp_event *out)
{
	char names[2][PATH_MAX + 64];
	unsigned types[2];
	enum sv sv[2];
	int ok[2], i, n = 0, pipe = ev->nr != r->nr_socketpair;

	if (!f || f->pair_state != 1)
		return 0;	/* the fd numbers are not known: nothing to name */
	/* the numbers were read from memory: another pipe made since may
	 * have written the same buffer */
	if (!r->stopped && r->w.valid && ilp_res_pair_between(r, pid, ptr, ev->ts, f->pair_at))
		return 0;
	for (i = 0; i < 2; i++) {
		sv[i] = snap_check(r, pid, f->fds[i], ev->ts, &f->snap[i]);
		ok[i] = sv[i] == SV_VALID &&
			!ilp_res_snap_name(&f->snap[i], &types[i], names[i], sizeof(names[i]));
	}
	/* the two ends of one pipe; two sockets */
	if (ok[0] && ok[1] && (pipe ? strcmp(names[0], names[1]) || types[0] != ILP_OBJ_PIPE
				    : !f->snap[0].sock || !f->snap[1].sock))
		return 0;	/* not what this call made: numbers from reused memory */
	for (i = 0; i < 2; i++)
		if (!ok[i] && ok[!i] && pipe && types[!i] == ILP_OBJ_PIPE && sv[i] == SV_GONE) {
			/* one end named names the other, already closed */
			types[i] = types[!i];
			scopy(names[i], sizeof(names[i]), names[!i]);
			ok[i] = 1;
		}
	if (!ok[0] && !ok[1])
		return 0;
	for (i = 0; i < 2; i++) {
		if (ok[i])
			put(r, out + n, n, ev, f->fds[i], types[i],
			    r->stopped || f->stopped ? ILP_NAME_SRC_CALL : ILP_NAME_SRC_PROC, names[i]);
		else
			put_lost(r, out + n, n, ev, f->fds[i], lost_why[sv[i]]);
		n++;
	}
	return n;
}

/* chdir, fchdir: the cwd the process has after the call, when certain */
static void track_cwd(struct ilp_resolver *r, const struct ilp_event *ev, const struct tstate *t,
		      int have, struct fact *f)
{
	const struct rinfo *ri = &r->role[ev->nr];
	struct pstate *p = proc_get(r, t->pid);
	char *abs = NULL, name[PATH_MAX + 64];
	const char *dir;

	if (!p || ev->ret != 0)
		return;
	if (have && ri->role == RS_CHDIR && (abs = copy_path(&t->copy, p, ri, t->args, f))) {
		int pt = ilp_res_ptid(r, ev->tid);

		ilp_res_canonical(r, pt, view_of(r, p, pt), abs, 0, name, sizeof(name));
		set_cwd(p, name);
		free(abs);
		return;
	}
	if (have && ri->role == RS_FCHDIR && (dir = dir_of(p, (int)t->args[0]))) {
		set_cwd(p, dir);
		return;
	}
	/* the cwd read after the call, if nothing could have changed it since */
	if (f && f->cwd && (r->stopped || !r->w.valid ||
			    (f->cwd_at <= r->w.horizon &&
			     !ilp_res_cwd_changed(r, t->pid, ev->ts, f->cwd_at))))
		set_cwd(p, f->cwd);
	else
		set_cwd(p, NULL);
}

/* close, dup2, dup3, close_range, chroot...: what the process's fds and
 * root no longer are */
static void track_fds(struct ilp_resolver *r, const struct ilp_event *ev, const struct tstate *t)
{
	const struct rinfo *ri = &r->role[ev->nr];
	struct pstate *p = ilp_umap_get(&r->procs, (uint64_t)(uint32_t)t->pid);
	const char *old;

	if (!p)
		return;
	switch (ri->sub) {
	case FG_CLOSE:
		dir_forget(p, (int)t->args[0], (int)t->args[0]);
		break;
	case FG_DUP:
		if (ev->ret < 0)
			break;
		old = dir_of(p, (int)t->args[0]);
		if (old) {
			char *s = strdup(old);

			if (s) {
				dir_set(p, (int)t->args[1], s);
				free(s);
			}
		} else {
			dir_forget(p, (int)t->args[1], (int)t->args[1]);
		}
		break;
	case FG_RANGE:
		if (ev->ret == 0 && !(t->args[2] & CLOSE_RANGE_CLOEXEC_F))
			dir_forget(p, (int)(unsigned)t->args[0],
				   t->args[1] > 0x7fffffff ? 0x7fffffff : (int)t->args[1]);
		break;
	case FG_ROOT:
		if (ev->ret == 0) {
			p->view = -1;
			set_cwd(p, NULL);	/* the same directory, another way to name it */
		}
		break;
	}
}

/* the read ilp_resolver_at_exit made at this exit's stop, or NULL; reads
 * of exits never seen (read before this one's event) are dropped */
static struct fact *take_exitq(struct tstate *t, const struct ilp_event *ev)
{
	struct fact *f;

	while ((f = t->exitq)) {
		if (f->at < ev->ts) {	/* an earlier exit's: its event never came */
			t->exitq = f->next;
			t->nexitq--;
			fact_free(f);
			continue;
		}
		if (f->nr != ev->nr || f->ret != ev->ret)
			return NULL;	/* a later call's: this exit had no stop */
		t->exitq = f->next;
		t->nexitq--;
		f->next = NULL;
		return f;
	}
	return NULL;
}

static int on_exit_ev(struct ilp_resolver *r, const struct ilp_event *ev,
		      struct ilp_event out[ILP_RESOLVE_MAX])
{
	const struct rinfo *ri = &r->role[ev->nr];
	struct tstate *t = ilp_res_thread(r, ev->tid);
	struct fact *f = fact_take(r, ev->tid, ev->ts), *sf;
	int have, n = 0;

	if (!t) {
		fact_free(f);
		return 0;
	}
	if (t->exitq && (sf = take_exitq(t, ev))) {
		/* read at the exit stop: certain; what phase one read, not needed */
		if (f && f->arg_state == 1 && !sf->arg_state) {
			sf->arg = f->arg;
			sf->arg_state = 1;
			f->arg = NULL;
		}
		fact_free(f);
		f = sf;
	}
	have = t->in_call && t->nr == ev->nr;
	t->in_call = 0;
	switch (ri->role) {
	case RS_OPEN:
		if (ev->ret >= 0)
			n = name_open(r, ev, t, have, f, out);
		else if (have)
			n = name_path(r, ev, t, f, out);
		break;
	case RS_PATH:
		if (have)
			n = name_path(r, ev, t, f, out);
		break;
	case RS_SOCKET:
		if (ev->ret >= 0 && have)
			n = name_socket(r, ev, t->args, out);
		break;
	case RS_RETFD:
		if (ev->ret >= 0)
			n = name_fd(r, ev, t->pid, (int)ev->ret, f && f->nfd ? &f->snap[0] : NULL, 0, out);
		break;
	case RS_ARG0:
		/* a socket the lookup could not find (bound, not listening: in no
		 * table sock_diag dumps) keeps the name socket() gave it */
		if ((ev->ret == 0 || ev->ret == -EINPROGRESS_V) && have && f && f->nfd &&
		    f->fds[0] == (int)t->args[0] &&
		    !(f->snap[0].state == SNAP_OK && f->snap[0].sock && !f->snap[0].sock_found))
			n = name_fd(r, ev, t->pid, (int)t->args[0], &f->snap[0], 0, out);
		break;
	case RS_PAIR:
		if (ev->ret == 0 && have)
			n = name_pair(r, ev, t->pid, t->args[ri->path], f, out);
		break;
	case RS_CHDIR:
	case RS_FCHDIR:
		track_cwd(r, ev, t, have, f);
		break;
	case RS_FDGONE:
		if (have)
			track_fds(r, ev, t);
		break;
	}
	copy_release(&t->copy);
	fact_free(f);
	return n;
}

/* the next --names=exact copy of tid that is this call's; older ones are
 * of calls whose entry never came (filtered, lost) */
static void take_atq(struct tstate *t, const struct ilp_event *ev, int path)
{
	while (t->natq) {
		struct copy *c = &t->atq[t->atq_head];

		if (c->nr == ev->nr && path >= 0 && c->ptr == ev->args[path]) {
			copy_release(&t->copy);
			t->copy = *c;
			memset(c, 0, sizeof(*c));
			t->atq_head = (t->atq_head + 1) % t->atq_cap;
			t->natq--;
			return;
		}
		/* read after this entry: a later call's (the stop comes before
		 * the entry it belongs to); kept */
		if (c->at > ev->ts)
			return;
		copy_release(c);
		t->atq_head = (t->atq_head + 1) % t->atq_cap;
		t->natq--;
	}
}

static __attribute__((noinline)) int on_event(struct ilp_resolver *r, const struct ilp_event *ev,
						struct ilp_event out[ILP_RESOLVE_MAX])
{
	struct tstate *t;
	struct pstate *p, *pp;
	struct fact *f;

	switch (ev->kind) {
	case ILP_EV_TASK_INFO:
		if (ev->pid > 0 && (t = ilp_res_thread(r, ev->tid)))
			t->pid = ev->pid;
		return 0;
	case ILP_EV_TASK_NEW:
		t = ilp_res_thread(r, ev->task.child);
		if (!t)
			return 0;
		t->pid = (ev->task.clone_flags & CLONE_THREAD_V) ? ilp_res_pid_of(r, ev->tid)
								 : ev->task.child;
		if (!(ev->task.clone_flags & CLONE_THREAD_V) &&
		    (pp = ilp_umap_get(&r->procs, (uint64_t)(uint32_t)ilp_res_pid_of(r, ev->tid))) &&
		    (p = proc_get(r, ev->task.child))) {
			size_t i;

			/* a fork: the child has its parent's cwd and fds */
			set_cwd(p, pp->cwd);
			p->view = pp->view;
			dirs_clear(p);
			for (i = 0; i < pp->ndirs; i++)
				dir_set(p, pp->dirs[i].fd, pp->dirs[i].path);
		}
		return 0;
	case ILP_EV_EXEC:
		if ((t = ilp_res_thread(r, ev->tid)))
			t->pid = ev->pid ? ev->pid : ev->tid;
		if ((p = ilp_umap_get(&r->procs, (uint64_t)(uint32_t)(ev->pid ? ev->pid : ev->tid)))) {
			dirs_clear(p);	/* close-on-exec ones are gone: which, we do not know */
			p->view = -1;
		}
		return 0;
	case ILP_EV_TASK_EXIT:
		t = ilp_umap_del(&r->threads, (uint64_t)(uint32_t)ev->tid);
		if (ev->task.group_dead)
			proc_free(ilp_umap_del(&r->procs, (uint64_t)(uint32_t)(t ? t->pid : ev->tid)));
		thread_free(t);
		return 0;
	case ILP_EV_SYS_ARGSTR:
		f = fact_take(r, ev->tid, ev->ts);
		t = ilp_res_thread(r, ev->tid);
		if (f && f->kcopy && t) {
			const struct rinfo *ri = ev->nr >= 0 && ev->nr < ILP_SC_MAX ? &r->role[ev->nr] : NULL;
			struct copy c = { 0 };

			c.src = ILP_NAME_SRC_KERNEL;
			c.nr = ev->nr;
			c.ptr = f->kptr;
			/* whole, and no '.' that may stand for a byte the kernel could not print */
			c.exact = !f->kcut && !strchr(f->kcopy, '.');
			c.raw = f->kcopy;
			f->kcopy = NULL;
			if (ri && ri->path >= 0 && t->in_call && t->nr == ev->nr &&
			    t->args[ri->path] == c.ptr && !t->copy.src) {
				t->copy = c;	/* the entry came first */
			} else {
				copy_release(&t->kpend);
				t->kpend = c;
				t->kpend_ts = ev->ts;
			}
		}
		fact_free(f);
		return 0;
	case ILP_EV_SYS_ENTER:
		if (ev->nr < 0 || ev->nr >= ILP_SC_MAX || !r->role[ev->nr].role ||
		    !(t = ilp_res_thread(r, ev->tid)))
			return 0;
		copy_release(&t->copy);
		t->in_call = 1;
		t->nr = ev->nr;
		t->enter_ts = ev->ts;
		memcpy(t->args, ev->args, sizeof(t->args));
		if (r->role[ev->nr].path >= 0) {
			int path = r->role[ev->nr].path;

			take_atq(t, ev, path);
			if (!t->copy.src && t->kpend.src && t->kpend.nr == ev->nr &&
			    t->kpend.ptr == ev->args[path]) {
				t->copy = t->kpend;
				memset(&t->kpend, 0, sizeof(t->kpend));
			}
		}
		copy_release(&t->kpend);
		return 0;
	case ILP_EV_SYS_EXIT:
		if (ev->nr < 0 || ev->nr >= ILP_SC_MAX || !r->role[ev->nr].role)
			return 0;
		return on_exit_ev(r, ev, out);
	default:
		return 0;
	}
}

/* the kinds on_event acts on, besides calls */
#define ON_EVENT_KINDS (1ull << ILP_EV_TASK_INFO | 1ull << ILP_EV_TASK_NEW | 1ull << ILP_EV_EXEC | \
			1ull << ILP_EV_TASK_EXIT | 1ull << ILP_EV_SYS_ARGSTR)

int ilp_resolver_on_event(struct ilp_resolver *r, const struct ilp_event *ev,
			  struct ilp_event out[ILP_RESOLVE_MAX])
{
	/* most events: a call the names do not need, or an event of no
	 * concern to them (tested before on_event's prologue and its switch,
	 * whose jump on kind is mispredicted more often than these) */
	if (ev->kind == ILP_EV_SYS_ENTER || ev->kind == ILP_EV_SYS_EXIT) {
		if (ev->nr < 0 || ev->nr >= ILP_SC_MAX || !r->role[ev->nr].role)
			return 0;
	} else if (ev->kind >= 64 || !(ON_EVENT_KINDS >> ev->kind & 1)) {
		return 0;
	}
	return on_event(r, ev, out);
}

/* ---- read at the call: the ptrace backend, --names=exact ---- */

int ilp_resolver_at_call(struct ilp_resolver *r, int tid, int nr, const uint64_t args[6])
{
	const struct rinfo *ri;
	struct tstate *t;
	struct copy c = { 0 };
	char link[64], *base = NULL;
	int err, pt;

	if (nr < 0 || nr >= ILP_SC_MAX)
		return -ENOENT;
	ri = &r->role[nr];
	if ((ri->role != RS_OPEN && ri->role != RS_PATH && ri->role != RS_CHDIR) || ri->path < 0)
		return -ENOENT;
	pt = ilp_res_ptid(r, tid);
	if (pt <= 0)
		return -ESRCH;	/* a pid namespace's unproved process (pidns.h) */
	t = ilp_res_thread(r, tid);
	if (!t)
		return -ENOMEM;
	err = ilp_res_read_str(pt, args[ri->path], &c.raw);
	if (err)
		return err;
	c.src = ILP_NAME_SRC_CALL;
	c.nr = nr;
	c.ptr = args[ri->path];
	c.at = ilp_res_now();
	if (c.raw[0] == '/') {
		c.abs = strdup(c.raw);
	} else if (c.raw[0]) {
		/* the base of that moment: the tracee is stopped, it is exact */
		if (ri->dirfd < 0 || (int)args[ri->dirfd] == AT_FDCWD_V)
			snprintf(link, sizeof(link), "/proc/%d/cwd", pt);
		else
			snprintf(link, sizeof(link), "/proc/%d/fd/%d", pt, (int)args[ri->dirfd]);
		if (!ilp_res_link(link, &base) && base[0] == '/' && !ends_with(base, DELETED) &&
		    asprintf(&c.abs, "%s%s%s", base, strcmp(base, "/") ? "/" : "", c.raw) < 0)
			c.abs = NULL;
		free(base);
	}
	if (t->natq == t->atq_cap) {
		size_t cap = t->atq_cap ? t->atq_cap * 2 : 8, i;
		struct copy *v;

		if (t->atq_cap >= ATQ_MAX) {
			/* the oldest goes: its call falls back to the other sources */
			copy_release(&t->atq[t->atq_head]);
			t->atq_head = (t->atq_head + 1) % t->atq_cap;
			t->natq--;
		} else {
			v = calloc(cap, sizeof(*v));
			if (!v) {
				copy_release(&c);
				return -ENOMEM;
			}
			for (i = 0; i < t->natq; i++)
				v[i] = t->atq[(t->atq_head + i) % t->atq_cap];
			free(t->atq);
			t->atq = v;
			t->atq_cap = cap;
			t->atq_head = 0;
		}
	}
	t->atq[(t->atq_head + t->natq) % t->atq_cap] = c;
	t->natq++;
	return 0;
}

#define EXITQ_MAX 65536	/* --names=exact reads waiting per thread */

int ilp_resolver_at_exit(struct ilp_resolver *r, int tid, int nr, const uint64_t args[6],
			 int64_t ret)
{
	const struct rinfo *ri;
	struct tstate *t;
	struct fact *f;
	int pt;

	if (nr < 0 || nr >= ILP_SC_MAX)
		return -ENOENT;
	ri = &r->role[nr];
	if (!exit_wants(ri, ret, args) || ri->role == RS_PATH || ri->role == RS_CHDIR ||
	    ri->role == RS_FCHDIR || (ri->role == RS_OPEN && ret < 0))
		return -ENOENT;	/* no fd made or renamed */
	pt = ilp_res_ptid(r, tid);
	if (pt <= 0)
		return -ESRCH;
	t = ilp_res_thread(r, tid);
	f = calloc(1, sizeof(*f));
	if (!t || !f) {
		free(f);
		return -ENOMEM;
	}
	f->tid = tid;
	f->nr = nr;
	f->ret = ret;
	f->stopped = 1;
	r->exit_reads = 1;
	exit_reads(r, f, pt, ri, ret, args);
	ilp_resolver_round_end(r);	/* its socket, now */
	f->at = ilp_res_now();
	if (t->nexitq >= EXITQ_MAX) {	/* the oldest goes: its call uses the other sources */
		struct fact *old = t->exitq;

		t->exitq = old->next;
		t->nexitq--;
		fact_free(old);
	}
	if (t->exitq)
		t->exitq_tail->next = f;
	else
		t->exitq = f;
	t->exitq_tail = f;
	t->nexitq++;
	return 0;
}

int ilp_resolver_stopped_event(struct ilp_resolver *r, const struct ilp_event *ev,
			       struct ilp_event out[ILP_RESOLVE_MAX])
{
	r->stopped = 1;
	if (ev->kind == ILP_EV_SYS_ENTER && ev->nr >= 0 && ev->nr < ILP_SC_MAX)
		ilp_resolver_at_call(r, ev->tid, ev->nr, ev->args);
	ilp_resolver_on_record(r, ev);
	ilp_resolver_round_end(r);
	return ilp_resolver_on_event(r, ev, out);
}

/* ---- the fds a process has (attach, run before exec) ---- */

static int fd_cloexec(int pid, int fd)
{
	char path[64], line[128];
	unsigned long flags;
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %lo", &flags) == 1) {
			ret = !!(flags & O_CLOEXEC);
			break;
		}
	fclose(f);
	return ret;
}

int ilp_resolve_scan(struct ilp_resolver *r, int pid,
		     int (*fn)(void *ctx, int fd, unsigned type, const char *str), void *ctx)
{
	struct fact *all = NULL, *f, *next;
	char path[64], *cwd = NULL, name[PATH_MAX + 64];
	struct pstate *p = proc_get(r, pid);	/* by the events' pid */
	int err = 0, pp = ilp_res_ptid(r, pid);	/* /proc's */
	int self = pp == (int)getpid();
	struct dirent *de;
	DIR *d;

	if (pp <= 0)
		return -ESRCH;	/* a pid namespace's unproved process (pidns.h) */
	snprintf(path, sizeof(path), "/proc/%d/fd", pp);
	d = opendir(path);
	if (!d)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%d/cwd", pp);
	if (!ilp_res_link(path, &cwd) && !ends_with(cwd, DELETED))
		set_cwd(p, cwd);
	free(cwd);
	if (p)
		p->view = (int8_t)ilp_res_same_view(r, pp);
	/* every fd first, then the sockets among them in one lookup */
	while ((de = readdir(d))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);

		/* our own directory fd is in the listing only when we scan ourselves */
		if (*end || end == de->d_name || fd < 0 || (self && fd == dirfd(d)))
			continue;
		f = calloc(1, sizeof(*f));
		if (!f)
			break;
		f->tid = pid;
		f->ptid = pp;
		f->fds[0] = (int)fd;
		f->nfd = 1;
		ilp_res_snap(r, pp, (int)fd, &f->snap[0]);
		ask_sock(r, f, &f->snap[0]);
		f->next = all;
		all = f;
	}
	closedir(d);
	ilp_resolver_round_end(r);
	for (f = all; f; f = next) {
		unsigned type;
		const char *s;

		next = f->next;
		if (!err && !ilp_res_snap_name(&f->snap[0], &type, name, sizeof(name))) {
			note_dir(p, f->fds[0], type, name);
			s = ilp_resolver_intern(r, name);
			if (!s) {
				type = ILP_OBJ_UNRESOLVED | ILP_OBJ_SRC(ILP_NAME_SRC_LOST);
				s = r->full_reason;
			} else {
				type |= ILP_OBJ_SRC(ILP_NAME_SRC_PROC);
				r->counts.named[ILP_NAME_SRC_PROC]++;
			}
			if (fd_cloexec(pp, f->fds[0]))
				type |= ILP_OBJ_F_CLOEXEC;
			err = fn(ctx, f->fds[0], type, s);
		}
		fact_free(f);
	}
	return err;
}
