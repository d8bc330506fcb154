// SPDX-License-Identifier: MIT
/*
 * The sandboxed trace-file reader (include/source.h): `report -i` parses a
 * file it did not make, as root as often as not, with a library
 * (libtracecmd) that crashes on some corrupt files.  So:
 *
 *   - the file is opened once, here, without blocking (a FIFO planted at
 *     the path is refused, not waited on) and must be a regular file; it
 *     is never opened again by path;
 *   - a child parses it from that fd (ilp_tracefile_open_fd) with limits on
 *     CPU time, memory and file size, no privileges (root becomes nobody;
 *     no_new_privs), no fd but the file, the pipe and /dev/null, and a
 *     seccomp filter that lets it read, map memory, write to its pipe and
 *     exit, nothing else (open, unlink, kill, fork, socket... fail);
 *   - the child streams what it decoded back through a pipe, as records
 *     (struct wire_hdr + payload): the file's facts first (INFO, NAMEs),
 *     then every EVENT in time order, then END with the counters; or one
 *     ERROR with the reason.  The parent checks every record (type, size,
 *     event kind, strings terminated) before it believes it: a child that
 *     was subverted by the file can send garbage, never corrupt us.
 *
 * A child that dies (a crash, the CPU limit) or sends what it must not is
 * one line for the user, never a crash of iolockprof.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source.h"
#include "vocab.h"

#define WIRE_MAX (64u * 1024)		/* the largest record, header included */
#define READ_CHUNK (256u * 1024)	/* bytes read per pump */
#define CPU_BASE_S 10			/* the child's CPU limit: this, plus ... */
#define CPU_MB_PER_S 5			/* ... a second per this many MiB of file */
#define MEM_BASE_MB 1024		/* the child's address space: this, plus ... */
#define MEM_PER_FILE_BYTE 32		/* ... this many bytes per byte of file */
#define NOBODY 65534
#define CHILD_FILE_FD 3
#define CHILD_PIPE_FD 4

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ILP_READER_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define ILP_READER_SANITIZED 1
#endif

enum wire_type {
	W_INFO = 1,	/* struct wire_info, command, lacks */
	W_NAME,		/* struct wire_name, name */
	W_EVENT,	/* struct ilp_event; FD_INFO: its string after it */
	W_END,		/* struct ilp_source_counters */
	W_ERROR,	/* int32 -errno, the reason */
};

struct wire_hdr {
	uint32_t type;
	uint32_t len;		/* payload bytes */
};

struct wire_info {
	uint64_t start_ts, end_ts, lost;
	int32_t exit_status, recorded;
	uint32_t command_len, lacks_len;	/* each with its NUL */
};

struct wire_name {
	int32_t kind, pid;
	uint64_t key;
};

struct name {
	int kind, pid;
	uint64_t key;
	size_t seq;		/* arrival order */
	char *str;
};

struct ilp_tracereader {
	pid_t pid;		/* the child, -1 once reaped */
	int fd;			/* the pipe's read end */
	off_t size;		/* of the file */
	unsigned char *buf;	/* received, not yet taken */
	size_t len, cap;
	struct ilp_tracefile_info info;
	char *command, *lacks;
	struct name *names;	/* sorted by (kind, pid, key) once the events start */
	size_t nnames, names_cap;
	int names_sorted;
	struct ilp_source_counters counters;
	int ended;		/* END received */
	char why[160];
};

/* ---------------- the child ---------------- */

struct wbuf {
	int fd;
	size_t n;
	unsigned char b[WIRE_MAX * 2];
};

static int wflush(struct wbuf *w)
{
	size_t off = 0;
	ssize_t r;

	while (off < w->n) {
		r = write(w->fd, w->b + off, w->n - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPIPE;
		off += (size_t)r;
	}
	w->n = 0;
	return 0;
}

/* one record: header, then a and b (either may be empty) */
static int wsend(struct wbuf *w, uint32_t type, const void *a, size_t alen, const void *b,
		 size_t blen)
{
	struct wire_hdr h = { type, (uint32_t)(alen + blen) };

	if (sizeof(h) + alen + blen > WIRE_MAX)
		return 0;	/* cannot be sent: left out (a name longer than 64 KiB) */
	if (w->n + sizeof(h) + alen + blen > sizeof(w->b) && wflush(w))
		return -EPIPE;
	memcpy(w->b + w->n, &h, sizeof(h));
	w->n += sizeof(h);
	if (alen)
		memcpy(w->b + w->n, a, alen);
	w->n += alen;
	if (blen)
		memcpy(w->b + w->n, b, blen);
	w->n += blen;
	return 0;
}

static int send_name(void *ctx, int kind, int pid, uint64_t key, const char *name)
{
	struct wire_name wn = { kind, pid, key };

	return wsend(ctx, W_NAME, &wn, sizeof(wn), name, strlen(name) + 1);
}

static int send_event(const struct ilp_event *ev, void *ctx)
{
	struct ilp_event e = *ev;

	if (e.kind == ILP_EV_SYS_ARGSTR)
		return 0;	/* the resolver's, never the model's (its bytes are a pointer) */
	if (e.kind == ILP_EV_USTACK)
		return 0;	/* live --stacks only: no call sites from a file */
	if (e.kind == ILP_EV_FD_INFO) {
		const char *s = e.fd.str ? e.fd.str : "";

		e.fd.str = NULL;
		return wsend(ctx, W_EVENT, &e, sizeof(e), s, strlen(s) + 1);
	}
	return wsend(ctx, W_EVENT, &e, sizeof(e), NULL, 0);
}

static void limit(int res, rlim_t v)
{
	struct rlimit rl = { v, v };

	setrlimit(res, &rl);
}

/*
 * The calls the parser may make: reading its file (read, pread, lseek,
 * fstat, mmap), memory, writing to its pipe, time, exiting.  Anything else
 * (open, unlink, rename, kill, socket, fork, exec, ptrace...) fails with
 * EPERM, so a parser the file subverted can only write garbage into the
 * pipe.  Another architecture's calls (x32, i386) kill it.  A sanitizer
 * runtime makes calls of its own: not under one.
 */
static int allow_only(void)
{
#if !defined(ILP_READER_SANITIZED) && defined(__x86_64__)
	static const int ok[] = {
		SYS_read, SYS_write, SYS_pread64, SYS_readv, SYS_writev, SYS_lseek, SYS_fstat,
		SYS_newfstatat, SYS_statx, SYS_mmap, SYS_munmap, SYS_mremap, SYS_mprotect,
		SYS_brk, SYS_madvise, SYS_close, SYS_exit, SYS_exit_group, SYS_rt_sigreturn,
		SYS_rt_sigprocmask, SYS_futex, SYS_getpid, SYS_gettid, SYS_clock_gettime,
		SYS_getrandom, SYS_fcntl, SYS_sched_yield, SYS_dup, SYS_dup2, SYS_dup3,
		SYS_sysinfo, SYS_uname,
	};
	enum { N = sizeof(ok) / sizeof(ok[0]) };
	struct sock_filter prog[5 + N + 2];
	struct sock_fprog fprog = { (unsigned short)(5 + N + 2), prog };
	size_t i;

	prog[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					       offsetof(struct seccomp_data, arch));
	prog[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	prog[2] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	prog[3] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					       offsetof(struct seccomp_data, nr));
	/* x32 numbers have bit 30 set: none is allowed */
	prog[4] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, N + 1, 0);
	for (i = 0; i < N; i++)	/* on a match, jump to the ALLOW after the EPERM */
		prog[5 + i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							   (unsigned)ok[i], (uint8_t)(N - i), 0);
	prog[5 + N] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						   SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	prog[6 + N] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog))
		return -errno;
#endif
	return 0;
}

/* The child's cage: limits, no fds but ours, no privileges, a few calls.
 * 0 or -errno. */
static int cage(off_t size)
{
	rlim_t cpu = CPU_BASE_S + (rlim_t)(size / ((off_t)CPU_MB_PER_S << 20));
	struct rlimit rl = { cpu, cpu + 5 };
	int null;

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return -errno;
	/* libtracecmd prints on stdout and stderr: never to the user */
	if (dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0 ||
	    dup2(null, STDERR_FILENO) < 0)
		return -errno;
	close(null);
	if (syscall(SYS_close_range, CHILD_PIPE_FD + 1, ~0u, 0))
		return -errno;
	if (setrlimit(RLIMIT_CPU, &rl))
		return -errno;
#ifndef ILP_READER_SANITIZED	/* a sanitizer reserves terabytes of address space */
	limit(RLIMIT_AS, ((rlim_t)MEM_BASE_MB << 20) + (rlim_t)size * MEM_PER_FILE_BYTE);
#endif
	limit(RLIMIT_FSIZE, 0);
	limit(RLIMIT_CORE, 0);
	limit(RLIMIT_NOFILE, CHILD_PIPE_FD + 4);
	if (chdir("/"))
		return -errno;
	if (geteuid() == 0) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			return -errno;
		limit(RLIMIT_NPROC, 0);	/* nobody forks nothing (counted per user) */
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		return -errno;
	return allow_only();
}

static void child_main(off_t size)
{
	static struct wbuf w;
	const struct ilp_tracefile_info *fi;
	struct ilp_tracefile *f = NULL;
	struct wire_info wi = { 0 };
	const char *why = NULL;
	int32_t err;

	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP,
				     SIGPIPE, SIGXCPU };
	size_t i;

	/* die of the signal itself: no handler inherited (a test framework's,
	 * a sanitizer's) may report, write a file or exit with a status */
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], SIG_DFL);
	w.fd = CHILD_PIPE_FD;
	err = cage(size);
	if (err)
		_exit(125);
	err = ilp_tracefile_open_fd(CHILD_FILE_FD, 0, &f, &why);
	if (err) {
		if (!why)
			why = "";
		wsend(&w, W_ERROR, &err, sizeof(err), why, strlen(why) + 1);
		wflush(&w);
		_exit(0);
	}
	fi = ilp_tracefile_info(f);
	wi.start_ts = fi->start_ts;
	wi.end_ts = fi->end_ts;
	wi.lost = fi->lost;
	wi.exit_status = fi->exit_status;
	wi.recorded = fi->recorded;
	wi.command_len = (uint32_t)strlen(fi->command) + 1;
	wi.lacks_len = fi->lacks ? (uint32_t)strlen(fi->lacks) + 1 : 0;
	if (sizeof(wi) + wi.command_len + wi.lacks_len + sizeof(struct wire_hdr) > WIRE_MAX)
		wi.command_len = 1, wi.lacks_len = 0;	/* cannot be: ILP_META_MAX */
	{
		char info[WIRE_MAX];

		memcpy(info, fi->command, wi.command_len - 1);
		info[wi.command_len - 1] = '\0';
		if (wi.lacks_len)
			memcpy(info + wi.command_len, fi->lacks, wi.lacks_len);
		if (wsend(&w, W_INFO, &wi, sizeof(wi), info, wi.command_len + wi.lacks_len))
			_exit(0);
	}
	if (ilp_tracefile_each_name(f, send_name, &w) ||
	    ilp_tracefile_deliver(f, send_event, &w) ||
	    wsend(&w, W_END, ilp_tracefile_counters(f), sizeof(struct ilp_source_counters),
		  NULL, 0))
		_exit(0);	/* the parent left */
	wflush(&w);
	_exit(0);
}

/* ---------------- the parent ---------------- */

/*
 * The child's end, once it said END or closed the pipe: it has nothing
 * left to do, so it gets REAP_GRACE_MS to exit; one that lingers (a child
 * the file subverted, pausing) is killed.
 */
#define REAP_GRACE_MS 1000
static int reap(struct ilp_tracereader *r, int *status)
{
	pid_t p;
	int i;

	if (r->pid <= 0)
		return -ECHILD;
	for (i = 0; i < REAP_GRACE_MS / 10; i++) {
		p = waitpid(r->pid, status, WNOHANG);
		if (p == r->pid || (p < 0 && errno != EINTR))
			break;
		usleep(10000);
	}
	if (p != r->pid) {
		kill(r->pid, SIGKILL);
		do
			p = waitpid(r->pid, status, 0);
		while (p < 0 && errno == EINTR);
	}
	r->pid = -1;
	return p < 0 ? -errno : 0;
}

/* the child ended before END: why, from how it ended */
static int child_gone(struct ilp_tracereader *r, const char **why)
{
	int status = 0;

	if (reap(r, &status))
		snprintf(r->why, sizeof(r->why), "the trace reader vanished");
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
		snprintf(r->why, sizeof(r->why),
			 "reading the trace took more than %lld s of CPU: it is corrupt or hostile",
			 (long long)(CPU_BASE_S + r->size / ((off_t)CPU_MB_PER_S << 20)));
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		snprintf(r->why, sizeof(r->why), "the trace reader was killed (its CPU limit "
			 "of %lld s, or out of memory)",
			 (long long)(CPU_BASE_S + r->size / ((off_t)CPU_MB_PER_S << 20) + 5));
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		snprintf(r->why, sizeof(r->why), "the trace reader made a call its sandbox forbids");
	else if (WIFSIGNALED(status))
		snprintf(r->why, sizeof(r->why), "%s", ILP_TRACEFILE_WHY_CRASH);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 125)
		snprintf(r->why, sizeof(r->why), "the trace reader could not drop its privileges");
	else
		snprintf(r->why, sizeof(r->why), "the trace reader stopped early");
	*why = r->why;
	return -EINVAL;
}

static int bad(struct ilp_tracereader *r, const char **why, const char *what)
{
	snprintf(r->why, sizeof(r->why), "the trace reader sent %s", what);
	*why = r->why;
	return -EINVAL;
}

/* a NUL within s[0..n), at s[n - 1] */
static int terminated(const void *s, size_t n)
{
	return n > 0 && ((const char *)s)[n - 1] == '\0' && memchr(s, '\0', n) == (const char *)s + n - 1;
}

static int take_info(struct ilp_tracereader *r, const unsigned char *p, size_t n, const char **why)
{
	struct wire_info wi;

	if (n < sizeof(wi) || r->command)
		return bad(r, why, "a malformed header");
	memcpy(&wi, p, sizeof(wi));
	p += sizeof(wi);
	n -= sizeof(wi);
	if ((size_t)wi.command_len + wi.lacks_len != n || !terminated(p, wi.command_len) ||
	    (wi.lacks_len && !terminated(p + wi.command_len, wi.lacks_len)))
		return bad(r, why, "a malformed header");
	r->command = strdup((const char *)p);
	if (wi.lacks_len)
		r->lacks = strdup((const char *)p + wi.command_len);
	if (!r->command || (wi.lacks_len && !r->lacks))
		return -ENOMEM;
	r->info.command = r->command;
	r->info.lacks = r->lacks;
	r->info.start_ts = wi.start_ts;
	r->info.end_ts = wi.end_ts;
	r->info.lost = wi.lost;
	r->info.exit_status = wi.exit_status;
	r->info.recorded = !!wi.recorded;
	return 0;
}

static int take_name(struct ilp_tracereader *r, const unsigned char *p, size_t n, const char **why)
{
	struct wire_name wn;
	struct name *v;

	if (n <= sizeof(wn) || !terminated(p + sizeof(wn), n - sizeof(wn)) || r->names_sorted)
		return bad(r, why, "a malformed name");
	memcpy(&wn, p, sizeof(wn));
	/* a name fact is a trace_marker line of some 40 bytes at least */
	if (r->nnames >= 1024 + (size_t)r->size / 32)
		return bad(r, why, "more names than the file can hold");
	if (r->nnames == r->names_cap) {
		size_t cap = r->names_cap ? r->names_cap * 2 : 64;

		v = realloc(r->names, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->names = v;
		r->names_cap = cap;
	}
	v = r->names;
	v[r->nnames].str = strdup((const char *)p + sizeof(wn));
	if (!v[r->nnames].str)
		return -ENOMEM;
	v[r->nnames].kind = wn.kind;
	v[r->nnames].pid = wn.pid;
	v[r->nnames].seq = r->nnames;
	v[r->nnames++].key = wn.key;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	const struct name *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return 0;
}

/* same object: the later fact first */
static int name_order(const void *a, const void *b)
{
	const struct name *x = a, *y = b;
	int c = name_cmp(a, b);

	return c ? c : (x->seq > y->seq ? -1 : x->seq < y->seq);
}

/* names arrive before the events: sorted once */
static void sort_names(struct ilp_tracereader *r)
{
	if (r->names_sorted)
		return;
	r->names_sorted = 1;
	if (r->nnames > 1)
		qsort(r->names, r->nnames, sizeof(*r->names), name_order);
}

static int take_event(struct ilp_tracereader *r, const unsigned char *p, size_t n,
		      ilp_event_fn fn, void *ctx, const char **why)
{
	struct ilp_event ev;

	if (n < sizeof(ev) || !r->command)
		return bad(r, why, "a malformed event");
	memcpy(&ev, p, sizeof(ev));
	if (ev.kind < ILP_EV_SYS_ENTER || ev.kind >= ILP_EV_KIND_MAX ||
	    ev.kind == ILP_EV_SYS_ARGSTR || ev.kind == ILP_EV_USTACK)
		return bad(r, why, "an event of an unknown kind");
	if (ev.kind == ILP_EV_FD_INFO) {
		if (!terminated(p + sizeof(ev), n - sizeof(ev)))
			return bad(r, why, "a malformed event");
		ev.fd.str = (const char *)p + sizeof(ev);
	} else if (n != sizeof(ev)) {
		return bad(r, why, "a malformed event");
	}
	if (ev.kind == ILP_EV_TASK_NEW || ev.kind == ILP_EV_EXEC || ev.kind == ILP_EV_TASK_INFO)
		ev.task.comm[ILP_COMM_LEN - 1] = '\0';
	if (ev.kind >= ILP_EV_BLOCK_INSERT && ev.kind <= ILP_EV_BLOCK_RQMERGE) {
		ev.block.rwbs[sizeof(ev.block.rwbs) - 1] = '\0';
		ev.block.comm[ILP_COMM_LEN - 1] = '\0';
	}
	sort_names(r);
	return fn(&ev, ctx);
}

/*
 * Takes the complete records in r->buf, events to fn.  0, 1 after END, or
 * -errno/-EINVAL.
 */
static int take(struct ilp_tracereader *r, ilp_event_fn fn, void *ctx, const char **why)
{
	size_t off = 0;
	int err = 0;

	while (!err && r->len - off >= sizeof(struct wire_hdr)) {
		struct wire_hdr h;
		const unsigned char *p;

		memcpy(&h, r->buf + off, sizeof(h));
		if (h.len > WIRE_MAX - sizeof(h)) {
			err = bad(r, why, "a record too large");
			break;
		}
		if (r->len - off - sizeof(h) < h.len)
			break;	/* the rest of it comes later */
		p = r->buf + off + sizeof(h);
		off += sizeof(h) + h.len;
		switch (h.type) {
		case W_INFO:
			err = take_info(r, p, h.len, why);
			break;
		case W_NAME:
			err = take_name(r, p, h.len, why);
			break;
		case W_EVENT:
			err = take_event(r, p, h.len, fn, ctx, why);
			break;
		case W_END:
			if (h.len != sizeof(r->counters) || !r->command) {
				err = bad(r, why, "a malformed end");
				break;
			}
			memcpy(&r->counters, p, sizeof(r->counters));
			r->ended = 1;
			err = 1;
			break;
		case W_ERROR: {
			int32_t e;

			if (h.len < sizeof(e) || !terminated(p + sizeof(e), h.len - sizeof(e))) {
				err = bad(r, why, "a malformed error");
				break;
			}
			memcpy(&e, p, sizeof(e));
			snprintf(r->why, sizeof(r->why), "%s", (const char *)p + sizeof(e));
			if (e == -ENOMEM)
				snprintf(r->why, sizeof(r->why), "reading the trace needs more memory "
					 "than %llu MiB: it is corrupt or hostile",
					 (unsigned long long)(MEM_BASE_MB + (r->size * MEM_PER_FILE_BYTE >> 20)));
			*why = r->why[0] ? r->why : NULL;
			err = e < 0 && e != -ENOMEM ? e : -EINVAL;
			break;
		}
		default:
			err = bad(r, why, "a record of an unknown type");
			break;
		}
	}
	if (off) {
		memmove(r->buf, r->buf + off, r->len - off);
		r->len -= off;
	}
	return err;
}

/* Reads what the pipe holds (what fits: a partial record and a chunk):
 * 1 read some, 0 none now, -EPIPE EOF. */
static int fill(struct ilp_tracereader *r)
{
	ssize_t n;

	if (r->len >= r->cap)
		return 0;	/* cannot be: take() leaves less than a record */
	do
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (n == 0)
		return -EPIPE;
	r->len += (size_t)n;
	return 1;
}

int ilp_tracereader_pump(struct ilp_tracereader *r, ilp_event_fn fn, void *ctx, const char **why)
{
	int err, rounds;

	*why = NULL;
	if (r->ended)
		return 1;
	for (rounds = 0; rounds < 16; rounds++) {
		err = take(r, fn, ctx, why);
		if (err)
			break;
		err = fill(r);
		if (err == -EPIPE)
			return r->len ? bad(r, why, "a truncated record") : child_gone(r, why);
		if (err <= 0)
			break;	/* 0: nothing more now */
		err = 0;	/* read some: take it */
	}
	if (err == 1) {	/* END: the child exits */
		int status;

		reap(r, &status);
	}
	return err;
}

int ilp_tracereader_open(const char *path, struct ilp_tracereader **out)
{
	struct ilp_tracereader *r;
	int fd, p[2] = { -1, -1 }, err;
	struct stat st;

	*out = NULL;
	/* never blocks (a FIFO at the path) and never a controlling tty */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EBADFD;
	}
	r = calloc(1, sizeof(*r));
	if (r) {
		r->cap = READ_CHUNK + WIRE_MAX;	/* a partial record and a chunk: never more */
		r->buf = malloc(r->cap);
	}
	if (!r || !r->buf || pipe2(p, O_CLOEXEC)) {
		err = r && r->buf ? -errno : -ENOMEM;
		if (r)
			free(r->buf);
		free(r);
		close(fd);
		return err;
	}
	r->fd = p[0];
	r->size = st.st_size;
	r->info.exit_status = -1;
	fflush(NULL);
	r->pid = fork();
	if (r->pid < 0) {
		err = -errno;
		close(fd);
		close(p[1]);
		ilp_tracereader_close(r);
		return err;
	}
	if (r->pid == 0) {
		/* the file and the pipe at known numbers (moved above them first:
		 * with stdio closed, the file may itself be fd 1 or 3),
		 * everything else closed */
		int hf = fcntl(fd, F_DUPFD, CHILD_PIPE_FD + 1);
		int hp = fcntl(p[1], F_DUPFD, CHILD_PIPE_FD + 1);

		if (hf < 0 || hp < 0 || dup2(hf, CHILD_FILE_FD) < 0 || dup2(hp, CHILD_PIPE_FD) < 0)
			_exit(125);
		child_main(st.st_size);
	}
	close(fd);
	close(p[1]);
	if (fcntl(r->fd, F_SETFL, O_NONBLOCK)) {
		err = -errno;
		ilp_tracereader_close(r);
		return err;
	}
	*out = r;
	return 0;
}

int ilp_tracereader_has_info(const struct ilp_tracereader *r)
{
	return r->command != NULL;
}

void ilp_tracereader_close(struct ilp_tracereader *r)
{
	int status;
	size_t i;

	if (!r)
		return;
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		reap(r, &status);
	}
	if (r->fd >= 0)
		close(r->fd);
	free(r->buf);
	free(r->command);
	free(r->lacks);
	for (i = 0; i < r->nnames; i++)
		free(r->names[i].str);
	free(r->names);
	free(r);
}

int ilp_tracereader_fd(const struct ilp_tracereader *r)
{
	return r->fd;
}

const struct ilp_tracefile_info *ilp_tracereader_info(const struct ilp_tracereader *r)
{
	return &r->info;
}

const struct ilp_source_counters *ilp_tracereader_counters(const struct ilp_tracereader *r)
{
	return &r->counters;
}

int ilp_tracereader_name(void *ctx, int kind, int pid, uint64_t key, char *buf, size_t size)
{
	struct ilp_tracereader *r = ctx;
	struct name k = { kind, pid, key, 0, NULL }, *n;

	sort_names(r);
	n = bsearch(&k, r->names, r->nnames, sizeof(*r->names), name_cmp);
	if (!n)
		return -ENOENT;
	while (n > r->names && !name_cmp(n - 1, &k))
		n--;	/* the first of equal keys is the last fact */
	snprintf(buf, size, "%s", n->str);
	return 0;
}
