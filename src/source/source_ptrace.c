// SPDX-License-Identifier: MIT
/*
 * The ptrace source (include/ptrace.h): turns ptrace stops into ilp_events.
 *
 * Stops handled (all tracees are PTRACE_SEIZEd, so group-stops and the
 * initial stop of auto-attached children are PTRACE_EVENT_STOPs):
 *   seccomp stop (run)           profiled entry: SYS_ENTER, then PTRACE_SYSCALL
 *                                for this call's exit stop only
 *   syscall-enter-stop (attach)  SYS_ENTER if profiled
 *   syscall-exit-stop            SYS_EXIT (+ FD_INFO for an fd made from a
 *                                path read at entry), then PTRACE_CONT (run)
 *   clone/fork/vfork event       TASK_NEW (CLONE_THREAD from /proc/TID/status)
 *   exec event                   EXEC with the new comm
 *   PTRACE_EVENT_STOP            group-stop: PTRACE_LISTEN; else resume
 *   signal-delivery-stop         resumed with the same signal: delivered
 *   exited / killed              TASK_EXIT (group_dead for the leader)
 * Times are CLOCK_MONOTONIC read when the tracer sees the stop.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmap.h"
#include "procfs.h"
#include "resolve.h"
#include "ptrace.h"
#include "syscalls.h"
#include "symbolize.h"
#include "unwind.h"

#define SECCOMP_CHUNK 64	/* compares per block: jump offsets stay < 256 */

struct task {
	uint64_t args[6];	/* names mode: the entry's, for the exit */
	pid_t tid;
	pid_t pid;		/* tgid */
	int in_call;		/* SYS_ENTER emitted, exit pending */
	int nr;
	int stack_id;		/* --stacks: id of the entry's stack, -1 none */
	uint64_t enter_ts;
	int listening;		/* in group-stop (PTRACE_LISTEN) */
	size_t idx;		/* in ilp_ptrace.t */
};

struct ilp_ptrace {
	struct ilp_ptrace_opts o;
	ilp_event_fn fn;
	void *ctx;
	uint8_t profiled[ILP_SC_MAX / 8];
	uint8_t at_call[ILP_SC_MAX / 8];	/* names mode: read the path at entry */
	uint8_t at_exit[ILP_SC_MAX / 8];	/* names mode: read the fd at exit */
	int nr_open, nr_creat, nr_openat, nr_openat2;
	struct task **t;	/* the tasks traced now */
	size_t nt, cap;
	struct ilp_idmap byid;	/* tid -> task (or &task_gone) */
	struct ready { pid_t tid; int status; } *got;	/* the stops of one poll */
	size_t ngot_cap;
	pid_t root;		/* spawned child */
	int root_status;	/* its wait status, -1 until it ended */
	struct ilp_unwind *uw;
	struct ilp_resolver *res;	/* fd -> object, read while the tracee is stopped */
	struct sock_filter *prog;	/* run: the seccomp filter the child installs */
	size_t prog_len;
	uint64_t pcs[ILP_STACK_MAX];
	struct ilp_ptrace_counters c;
};

/* ---------------- syscall set and seccomp filter ---------------- */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* out[0..k) sorted, duplicates dropped: the count left */
static int sort_unique(int *out, size_t k)
{
	size_t i, j;

	qsort(out, k, sizeof(*out), cmp_int);
	for (i = 0, j = 0; i < k; i++)
		if (!j || out[j - 1] != out[i])
			out[j++] = out[i];
	return (int)j;
}

static const char *const fd_makers[] = {
	"pipe", "pipe2", "dup", "dup2", "dup3", "fcntl", "eventfd", "eventfd2",
	"socketpair", "memfd_create", "timerfd_create", "signalfd4", "epoll_create",
	"epoll_create1", "inotify_init1",
	"io_uring_setup",	/* so the report can say its requests are not seen */
	NULL
};

int ilp_ptrace_syscall_set(const int *nrs, size_t n, int *out, size_t max)
{
	size_t i, k = 0;
	int nr;

	if (nrs && n) {
		for (i = 0; i < n; i++) {
			if (k == max)
				return -E2BIG;
			out[k++] = nrs[i];
		}
	} else {
		for (nr = 0; nr < ilp_syscall_count() && nr < ILP_SC_MAX; nr++) {
			if (!(ilp_syscall_class(nr) & ILP_PTRACE_CLASSES))
				continue;
			if (k == max)
				return -E2BIG;
			out[k++] = nr;
		}
		/* calls that make or change fds, rare and cheap: without them
		 * the fd table would not know pipes, dups, eventfds... */
		for (i = 0; fd_makers[i]; i++) {
			nr = ilp_syscall_nr(fd_makers[i]);
			if (nr < 0)
				continue;
			if (k == max)
				return -E2BIG;
			out[k++] = nr;
		}
	}
	return sort_unique(out, k);
}

int ilp_ptrace_names_set(int *out, size_t max)
{
	const char *name;
	size_t i, k = 0;
	int nr, pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; (name = pass ? ilp_resolve_exit_call(i) : ilp_resolve_path_call(i)); i++) {
			nr = ilp_syscall_nr(name);
			if (nr < 0)
				continue;	/* not on this architecture */
			if (k == max)
				return -E2BIG;
			out[k++] = nr;
		}
	return sort_unique(out, k);
}

uint32_t ilp_seccomp_arch(void)
{
#if defined(__x86_64__)
	return AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
	return AUDIT_ARCH_AARCH64;
#elif defined(__riscv) && __riscv_xlen == 64
	return AUDIT_ARCH_RISCV64;
#else
	return 0;
#endif
}

size_t ilp_seccomp_size(size_t n)
{
	/* arch check (3), x32 check (3), per block of SECCOMP_CHUNK: the
	 * compares, a jump over, RET_TRACE; final RET_ALLOW */
	return 7 + n + 2 * ((n + SECCOMP_CHUNK - 1) / SECCOMP_CHUNK);
}

int ilp_seccomp_build(const int *nrs, size_t n, uint32_t arch,
		      struct sock_filter *prog, size_t max)
{
	size_t k = 0, i, b, len, total = ilp_seccomp_size(n);

	if (total > max || total > BPF_MAXINSNS)
		return -E2BIG;
	/* another arch (e.g. int 0x80 from a 64-bit process): allow */
	prog[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, arch));
	prog[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0);
	prog[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, nr));
	/* x32 numbers (bit 30): allow */
	prog[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
	prog[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (b = 0; b < n; b += SECCOMP_CHUNK) {
		len = n - b < SECCOMP_CHUNK ? n - b : SECCOMP_CHUNK;
		for (i = 0; i < len; i++)	/* match: jump to this block's RET_TRACE */
			prog[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
				(uint32_t)nrs[b + i], (uint8_t)(len - i), 0);
		prog[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0);
		prog[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	}
	prog[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return (int)k;
}

static int bit(const uint8_t *set, int nr)
{
	return nr >= 0 && nr < ILP_SC_MAX && (set[nr / 8] & (1u << (nr % 8)));
}

static void set_bit(uint8_t *set, int nr)
{
	if (nr >= 0 && nr < ILP_SC_MAX)
		set[nr / 8] |= (uint8_t)(1u << (nr % 8));
}

/* ---------------- task table ---------------- */

/* the map's value of a task that is gone (the map has no removal) */
static char task_gone;

static struct task *find_task(struct ilp_ptrace *pt, pid_t tid)
{
	void *v = ilp_idmap_get(&pt->byid, (uint64_t)(uint32_t)tid);

	return v == &task_gone ? NULL : v;
}

static struct task *add_task(struct ilp_ptrace *pt, pid_t tid, pid_t pid)
{
	struct task *t = find_task(pt, tid);

	if (t)
		return t;
	if (pt->nt == pt->cap) {
		size_t cap = pt->cap ? pt->cap * 2 : 16;
		struct task **v = realloc(pt->t, cap * sizeof(*v));

		if (!v)
			return NULL;
		pt->t = v;
		pt->cap = cap;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tid = tid;
	t->pid = pid > 0 ? pid : tid;
	t->stack_id = -1;
	if (ilp_idmap_put(&pt->byid, (uint64_t)(uint32_t)tid, t)) {
		free(t);
		return NULL;
	}
	t->idx = pt->nt;
	pt->t[pt->nt++] = t;
	return t;
}

static void del_task(struct ilp_ptrace *pt, pid_t tid)
{
	struct task *t = find_task(pt, tid);

	if (!t)
		return;
	ilp_idmap_put(&pt->byid, (uint64_t)(uint32_t)tid, &task_gone);	/* replaces: no ENOMEM */
	pt->t[t->idx] = pt->t[--pt->nt];
	pt->t[t->idx]->idx = t->idx;
	free(t);
}

/* ---------------- events ---------------- */

static void emit(struct ilp_ptrace *pt, struct ilp_event *ev)
{
	struct ilp_event out[ILP_RESOLVE_MAX];
	int i, n = 0;

	if (pt->o.names_for)
		return;	/* names mode: ftrace gives every event */

	/*
	 * The same resolver as the ftrace source, but every name is read at
	 * the call: the tracee is stopped at this entry or exit, so the path
	 * argument in its memory and /proc/TID/fd are what the call saw.
	 */
	if (ev->kind == ILP_EV_SYS_ENTER || ev->kind == ILP_EV_SYS_EXIT ||
	    ev->kind == ILP_EV_TASK_NEW || ev->kind == ILP_EV_EXEC || ev->kind == ILP_EV_TASK_EXIT ||
	    ev->kind == ILP_EV_TASK_INFO)
		n = ilp_resolver_stopped_event(pt->res, ev, out);
	pt->c.events++;
	pt->fn(ev, pt->ctx);
	for (i = 0; i < n; i++) {
		pt->c.events++;
		pt->fn(&out[i], pt->ctx);
	}
}

struct scan_ctx {
	struct ilp_ptrace *pt;
	const struct task *t;
};

static int scan_one(void *ctx, int fd, unsigned type, const char *str)
{
	struct scan_ctx *sc = ctx;
	struct ilp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ilp_now_ns();
	ev.kind = ILP_EV_FD_INFO;
	ev.pid = sc->t->pid;
	ev.tid = sc->t->tid;
	ev.nr = -1;
	ev.fd.fd = fd;
	ev.fd.type = type;
	ev.fd.str = str;
	sc->pt->c.events++;
	sc->pt->fn(&ev, sc->pt->ctx);
	return 0;
}

/* fds the process already has (attach; run: what the child inherits) */
static void scan_fds(struct ilp_ptrace *pt, const struct task *t)
{
	struct scan_ctx sc = { pt, t };

	ilp_resolve_scan(pt->res, t->pid, scan_one, &sc);
}

static void ev_init(struct ilp_event *ev, int kind, const struct task *t, uint64_t ts)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = ts;
	ev->kind = (uint16_t)kind;
	ev->pid = t->pid;
	ev->tid = t->tid;
	ev->nr = -1;
}

static void emit_task_info(struct ilp_ptrace *pt, const struct task *t)
{
	struct ilp_event ev;

	ev_init(&ev, ILP_EV_TASK_INFO, t, ilp_now_ns());
	ilp_procfs_comm(t->tid, ev.task.comm, sizeof(ev.task.comm));
	emit(pt, &ev);
}

int ilp_ptrace_new(const struct ilp_ptrace_opts *o, ilp_event_fn fn, void *ctx,
		   struct ilp_ptrace **out)
{
	struct ilp_ptrace *pt;
	size_t i;
	int err = -ENOMEM;

	*out = NULL;
	pt = calloc(1, sizeof(*pt));
	if (!pt)
		return -ENOMEM;
	pt->o = *o;
	pt->fn = fn;
	pt->ctx = ctx;
	pt->root = -1;
	pt->root_status = -1;
	for (i = 0; i < o->nsyscalls; i++)
		set_bit(pt->profiled, o->syscalls[i]);
	if (o->names_for) {
		const char *name;

		for (i = 0; (name = ilp_resolve_path_call(i)); i++)
			set_bit(pt->at_call, ilp_syscall_nr(name));
		for (i = 0; (name = ilp_resolve_exit_call(i)); i++)
			set_bit(pt->at_exit, ilp_syscall_nr(name));
	}
	pt->nr_open = ilp_syscall_nr("open");
	pt->nr_creat = ilp_syscall_nr("creat");
	pt->nr_openat = ilp_syscall_nr("openat");
	pt->nr_openat2 = ilp_syscall_nr("openat2");
	if (o->stacks && (err = o->sym ? ilp_unwind_new(&pt->uw, o->sym) : -EINVAL))
		goto out;
	err = ilp_resolver_new(&pt->res);
	if (err)
		goto out;
	if (o->seccomp) {	/* built here: the child only installs it */
		size_t max = ilp_seccomp_size(o->nsyscalls);
		int len;

		err = -ENOTSUP;
		if (!ilp_seccomp_arch())
			goto out;
		err = -ENOMEM;
		pt->prog = calloc(max, sizeof(*pt->prog));
		if (!pt->prog)
			goto out;
		len = ilp_seccomp_build(o->syscalls, o->nsyscalls, ilp_seccomp_arch(), pt->prog, max);
		err = len;
		if (len < 0)
			goto out;
		pt->prog_len = (size_t)len;
	}
	*out = pt;
	return 0;
out:
	ilp_ptrace_free(pt);
	return err;
}

void ilp_ptrace_free(struct ilp_ptrace *pt)
{
	size_t i;

	if (!pt)
		return;
	for (i = 0; i < pt->nt; i++)
		free(pt->t[i]);
	free(pt->t);
	ilp_idmap_release(&pt->byid);
	free(pt->got);
	ilp_unwind_free(pt->uw);
	ilp_resolver_free(pt->res);
	free(pt->prog);
	free(pt);
}

size_t ilp_ptrace_ntasks(const struct ilp_ptrace *pt)
{
	return pt->nt;
}

int ilp_ptrace_exit_status(const struct ilp_ptrace *pt, pid_t pid)
{
	return pid == pt->root ? pt->root_status : -1;
}

const struct ilp_ptrace_counters *ilp_ptrace_counters(const struct ilp_ptrace *pt)
{
	return &pt->c;
}

static int is_profiled(const struct ilp_ptrace *pt, int nr)
{
	return bit(pt->profiled, nr);
}

static void record_stack(struct ilp_ptrace *pt, struct task *t, int nr)
{
	struct ilp_pcname pn;
	int n, id, is_new;
	size_t i;

	t->stack_id = -1;
	n = ilp_unwind_stack(pt->uw, t->pid, t->tid, pt->pcs, ILP_STACK_MAX);
	if (n <= 0)
		return;
	pt->c.unwinds++;
	id = pt->o.stacks->intern(pt->o.stacks->ctx, t->pid, nr, pt->pcs, (size_t)n, &is_new);
	if (id < 0)
		return;
	if (is_new)
		for (i = 0; i < (size_t)n; i++) {
			if (ilp_symbolize_pc(pt->o.sym, t->pid, pt->pcs[i], &pn))
				continue;
			pt->o.stacks->name_frame(pt->o.stacks->ctx, id, i,
						 pn.func[0] ? pn.func : NULL, pn.file, pn.line,
						 pn.module);
		}
	t->stack_id = id;
}

/* names mode: the path now; the exit stop asked for a call that makes an fd */
static void names_enter(struct ilp_ptrace *pt, struct task *t, int nr, const uint64_t *args)
{
	if (bit(pt->at_call, nr))
		ilp_resolver_at_call(pt->o.names_for, t->tid, nr, args);
	if (bit(pt->at_exit, nr)) {
		t->in_call = 1;
		t->nr = nr;
		memcpy(t->args, args, sizeof(t->args));
	}
}

static void on_enter(struct ilp_ptrace *pt, struct task *t, int nr, const uint64_t *args)
{
	struct ilp_event ev;

	if (pt->o.names_for) {
		names_enter(pt, t, nr, args);
		return;
	}
	if (!is_profiled(pt, nr))
		return;
	if (pt->o.stacks)
		record_stack(pt, t, nr);
	ev_init(&ev, ILP_EV_SYS_ENTER, t, ilp_now_ns());
	ev.nr = nr;
	memcpy(ev.args, args, sizeof(ev.args));
	t->in_call = 1;
	t->nr = nr;
	t->enter_ts = ev.ts;
	emit(pt, &ev);
}

static void on_exit_stop(struct ilp_ptrace *pt, struct task *t, int64_t ret)
{
	struct ilp_event ev;

	if (!t->in_call)
		return;
	if (pt->o.names_for) {
		t->in_call = 0;
		ilp_resolver_at_exit(pt->o.names_for, t->tid, t->nr, t->args, ret);
		return;
	}
	ev_init(&ev, ILP_EV_SYS_EXIT, t, ilp_now_ns());
	ev.nr = t->nr;
	ev.ret = ret;
	t->in_call = 0;
	emit(pt, &ev);
	if (t->stack_id >= 0) {
		pt->o.stacks->add(pt->o.stacks->ctx, t->stack_id,
				  ev.ts > t->enter_ts ? ev.ts - t->enter_ts : 0);
		t->stack_id = -1;
	}
}

/* ---------------- starting ---------------- */

static long trace_opts(const struct ilp_ptrace *pt)
{
	long o = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		 PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;

	if (pt->o.seccomp)
		o |= PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL;
	return o;
}

int ilp_ptrace_child_setup(const struct ilp_ptrace *pt)
{
	struct sock_fprog fprog;

	if (!pt->prog)
		return -ENOTSUP;
	fprog.len = (unsigned short)pt->prog_len;
	fprog.filter = pt->prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog))
		return -errno;
	return 0;
}

int ilp_ptrace_seize_child(struct ilp_ptrace *pt, pid_t pid)
{
	struct task *t;

	if (ptrace(PTRACE_SEIZE, pid, 0, trace_opts(pt)))
		return -errno;
	t = add_task(pt, pid, pid);
	if (!t)
		return -ENOMEM;
	/* before it runs: what it inherits (the exec drops cloexec ones);
	 * names mode: the ftrace backend does that */
	if (!pt->o.names_for) {
		emit_task_info(pt, t);
		scan_fds(pt, t);
	}
	pt->root = pid;
	pt->root_status = -1;
	return 0;
}

struct seize {
	struct ilp_ptrace *pt;
	pid_t pid;
	int n;
};

static int seize_one(void *ctx, pid_t tid)
{
	struct seize *sz = ctx;
	struct ilp_ptrace *pt = sz->pt;
	struct task *t;

	if (find_task(pt, tid))
		return 0;
	if (ptrace(PTRACE_SEIZE, tid, 0, trace_opts(pt)))
		return errno == ESRCH ? 0 : -errno;	/* ESRCH: thread ended meanwhile */
	t = add_task(pt, tid, sz->pid);
	if (!t) {
		ptrace(PTRACE_DETACH, tid, 0, 0);
		return -ENOMEM;
	}
	/* stop it once, so it resumes under PTRACE_SYSCALL */
	ptrace(PTRACE_INTERRUPT, tid, 0, 0);
	emit_task_info(pt, t);
	if (tid == sz->pid)
		scan_fds(pt, t);	/* fds open before we came */
	sz->n++;
	return 0;
}

/* Seizes the threads of pid not yet traced.  Number seized or -errno. */
static int seize_threads(struct ilp_ptrace *pt, pid_t pid)
{
	struct seize sz = { pt, pid, 0 };
	int err = ilp_procfs_each_task(pid, seize_one, &sz);

	return err ? err : sz.n;
}

int ilp_ptrace_attach(struct ilp_ptrace *pt, pid_t pid)
{
	int pass, n, total = 0;

	for (pass = 0; pass < 16; pass++) {
		n = seize_threads(pt, pid);
		if (n < 0)
			return total && n == -ESRCH ? 0 : n;
		if (!n && pass)
			break;
		total += n;
	}
	return total ? 0 : -ESRCH;
}

/* ---------------- the stop loop ---------------- */

static int resume_req(const struct ilp_ptrace *pt, const struct task *t)
{
	return (!pt->o.seccomp || t->in_call) ? PTRACE_SYSCALL : PTRACE_CONT;
}

static void resume(struct ilp_ptrace *pt, struct task *t, int sig)
{
	ptrace((enum __ptrace_request)resume_req(pt, t), t->tid, 0, (long)sig);
}

static void on_new_task(struct ilp_ptrace *pt, struct task *parent, int event)
{
	unsigned long msg = 0;
	struct ilp_event ev;
	struct task *child;
	pid_t ctid, tgid;

	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &msg))
		return;
	ctid = (pid_t)msg;
	tgid = ctid;
	if (event == PTRACE_EVENT_CLONE) {
		tgid = ilp_procfs_tgid(ctid);
		if (!tgid)
			tgid = ctid;
	}
	ev_init(&ev, ILP_EV_TASK_NEW, parent, ilp_now_ns());
	ev.task.child = ctid;
	ev.task.clone_flags = tgid == parent->pid ? CLONE_THREAD : 0;
	ilp_procfs_comm(parent->tid, ev.task.comm, sizeof(ev.task.comm));
	emit(pt, &ev);
	child = find_task(pt, ctid);
	if (!child)
		add_task(pt, ctid, tgid);
	else
		child->pid = tgid;
}

static void on_exec(struct ilp_ptrace *pt, struct task *t)
{
	unsigned long former = 0;
	struct ilp_event ev;

	/* a thread other than the leader exec'd: it now has the leader's tid */
	if (!ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &former) && (pid_t)former != t->tid)
		del_task(pt, (pid_t)former);
	if (pt->uw)
		ilp_unwind_forget(pt->uw, t->pid);
	t->in_call = 0;
	t->stack_id = -1;
	ev_init(&ev, ILP_EV_EXEC, t, ilp_now_ns());
	ilp_procfs_comm(t->tid, ev.task.comm, sizeof(ev.task.comm));
	emit(pt, &ev);
}

static void on_gone(struct ilp_ptrace *pt, pid_t tid, int status)
{
	struct task *t = find_task(pt, tid);
	struct ilp_event ev;

	if (tid == pt->root)
		pt->root_status = status;
	if (!t)
		return;
	ev_init(&ev, ILP_EV_TASK_EXIT, t, ilp_now_ns());
	ev.task.group_dead = t->tid == t->pid;
	emit(pt, &ev);
	if (pt->uw && t->tid == t->pid)
		ilp_unwind_forget(pt->uw, t->pid);
	del_task(pt, tid);
}

static void on_syscall_stop(struct ilp_ptrace *pt, struct task *t)
{
	struct __ptrace_syscall_info si;
	long r;

	r = ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(si), &si);
	if (r <= 0) {
		resume(pt, t, 0);
		return;
	}
	switch (si.op) {
	case PTRACE_SYSCALL_INFO_SECCOMP:
		on_enter(pt, t, (int)si.seccomp.nr, si.seccomp.args);
		break;
	case PTRACE_SYSCALL_INFO_ENTRY:
		on_enter(pt, t, (int)si.entry.nr, si.entry.args);
		break;
	case PTRACE_SYSCALL_INFO_EXIT:
		on_exit_stop(pt, t, si.exit.rval);
		break;
	default:
		break;
	}
	resume(pt, t, 0);
}

static void on_stop(struct ilp_ptrace *pt, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	struct task *t = find_task(pt, tid);

	if (!t) {
		/* a new child's first stop before its parent's clone event */
		t = add_task(pt, tid, ilp_procfs_tgid(tid));
		if (!t) {
			ptrace(PTRACE_CONT, tid, 0, 0);
			return;
		}
	}
	t->listening = 0;
	if (sig == (SIGTRAP | 0x80)) {
		on_syscall_stop(pt, t);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_syscall_stop(pt, t);
		return;
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
		on_new_task(pt, t, event);
		resume(pt, t, 0);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec(pt, t);
		resume(pt, t, 0);
		return;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			/* group-stop: stay stopped, but let us see SIGCONT */
			t->listening = 1;
			ptrace(PTRACE_LISTEN, tid, 0, 0);
		} else {
			resume(pt, t, 0);	/* PTRACE_INTERRUPT or a new child's first stop */
		}
		return;
	case 0:
		break;
	default:
		resume(pt, t, 0);
		return;
	}
	/* signal-delivery-stop: deliver it */
	resume(pt, t, sig);
}

/*
 * Every ready stop is first collected, then handled: a tracee is resumed
 * only once every other one with a stop ready got its turn.  waitpid(-1)
 * reports the first ready tracee in the kernel's list, so handling (and
 * resuming) each at once, or collecting only some, let the busy tracees at
 * the head of the list starve the rest (600 attached processes: 85 never
 * completed a call).
 */
int ilp_ptrace_poll(struct ilp_ptrace *pt)
{
	int status, err = 0;
	size_t n = 0, i;
	pid_t tid;

	for (;;) {
		tid = waitpid(-1, &status, __WALL | WNOHANG);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD && !n)
				return -errno;
			break;
		}
		if (tid == 0)
			break;
		if (n == pt->ngot_cap) {
			size_t cap = pt->ngot_cap ? pt->ngot_cap * 2 : 64;
			struct ready *v = realloc(pt->got, cap * sizeof(*v));

			if (!v) {	/* handle what we have; the rest stays ready */
				err = -ENOMEM;
				if (!n)
					return err;
				break;
			}
			pt->got = v;
			pt->ngot_cap = cap;
		}
		pt->got[n].tid = tid;
		pt->got[n++].status = status;
	}
	for (i = 0; i < n; i++) {
		pt->c.stops++;
		status = pt->got[i].status;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			on_gone(pt, pt->got[i].tid, status);
		else if (WIFSTOPPED(status))
			on_stop(pt, pt->got[i].tid, status);
	}
	if (!n && !pt->nt)
		return -ECHILD;
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

void ilp_ptrace_kill_all(struct ilp_ptrace *pt)
{
	size_t i;

	for (i = 0; i < pt->nt; i++)
		kill(pt->t[i]->pid, SIGKILL);
}

int ilp_ptrace_detach_all(struct ilp_ptrace *pt, int timeout_ms)
{
	uint64_t end = ilp_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	size_t i;
	int status;
	pid_t tid;

	for (i = 0; i < pt->nt; i++)
		ptrace(PTRACE_INTERRUPT, pt->t[i]->tid, 0, 0);
	while (pt->nt) {
		struct task *t;
		int sig = 0;

		tid = waitpid(-1, &status, __WALL | WNOHANG);
		if (tid < 0 && errno == EINTR)
			continue;
		if (tid < 0)
			break;
		if (tid == 0) {
			if (ilp_now_ns() >= end)
				return -ETIMEDOUT;
			usleep(1000);
			continue;
		}
		pt->c.stops++;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			on_gone(pt, tid, status);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		t = find_task(pt, tid);
		if (!t) {	/* a child created just now: it is ours, let it go */
			ptrace(PTRACE_DETACH, tid, 0, 0);
			continue;
		}
		switch (status >> 16) {
		case 0:
			/* signal-delivery-stop: pass the signal on at detach */
			if (WSTOPSIG(status) != (SIGTRAP | 0x80))
				sig = WSTOPSIG(status);
			break;
		case PTRACE_EVENT_CLONE:
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
			/* the new task is auto-attached: take it, detach it later */
			on_new_task(pt, t, status >> 16);
			{
				unsigned long msg = 0;

				if (!ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg))
					ptrace(PTRACE_INTERRUPT, (pid_t)msg, 0, 0);
			}
			break;
		default:
			break;
		}
		if (t->in_call)		/* it was inside a profiled call */
			t->in_call = 0;
		ptrace(PTRACE_DETACH, tid, 0, (long)sig);
		del_task(pt, tid);
	}
	return 0;
}
