// SPDX-License-Identifier: MIT
/*
 * The resolver's order of trust, one rule per test.  The "tracee" is this
 * test process: its real fds, its memory (the path arguments) and its
 * /proc; the events are synthetic, stamped in the past so the /proc reads
 * come after them, as in a live capture.
 *
 *   call    read at the call (--names=exact, the ptrace backend): names a
 *           closed fd; relative to the dirfd of that moment
 *   kernel  the kernel's copy: whole and unambiguous only; relative to the
 *           cwd the resolver tracked, never the profiler's
 *   proc    the /proc read, kept only when no close/dup2/exec of the fd
 *           came between the call and the read, and the read is not past
 *           the horizon
 *   arg     the argument in memory, only when the kernel reported its
 *           file's dev:ino inside a read or write on the fd
 *   lost    otherwise, with the reason
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "event.h"
#include "fdmodel.h"
#include "resolve.h"
#include "syscalls.h"

#define AT_FDCWD_V ((uint64_t)(int64_t)-100)
#define MS 1000000ull
/* every event read up to a minute from now: past any /proc read of the
 * run, however slow the machine (1 ms was not, once: a read late for the
 * horizon is lost, and a test of a valid read failed) */
#define SOON (now_ns() + 60000 * MS)

struct ctx {
	struct ilp_resolver *r;
	int tid;
	char dir[64];			/* a scratch directory */
	struct ilp_event ev[64];	/* the window, in time order */
	size_t n;
	uint64_t t0;
	/* what phase two gave for each event of the last run */
	int nres[64];
	struct ilp_event res[64][ILP_RESOLVE_MAX];
	char str[64][ILP_RESOLVE_MAX][4200];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int NR(const char *name)
{
	int nr = ilp_syscall_nr(name);

	assert_true(nr >= 0);
	return nr;
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	assert_int_equal(ilp_resolver_new(&c->r), 0);
	c->tid = getpid();
	snprintf(c->dir, sizeof(c->dir), "/tmp/ilp-resolve-XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	c->t0 = now_ns() - 50 * MS;	/* the calls happened before the reads */
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	char cmd[128];

	ilp_resolver_free(c->r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", c->dir);
	assert_int_equal(system(cmd), 0);
	free(c);
	return 0;
}

/* an event of the window, dt us after t0 */
static struct ilp_event *ev(struct ctx *c, int kind, int nr, uint64_t dt_us)
{
	struct ilp_event *e = &c->ev[c->n++];

	assert_true(c->n <= 64);
	memset(e, 0, sizeof(*e));
	e->ts = c->t0 + dt_us * 1000;
	e->tid = c->tid;
	e->kind = (uint16_t)kind;
	e->nr = nr;
	return e;
}

static struct ilp_event *enter(struct ctx *c, const char *call, uint64_t dt, uint64_t a0,
			       uint64_t a1, uint64_t a2)
{
	struct ilp_event *e = ev(c, ILP_EV_SYS_ENTER, NR(call), dt);

	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
	return e;
}

static struct ilp_event *leave(struct ctx *c, const char *call, uint64_t dt, int64_t ret)
{
	struct ilp_event *e = ev(c, ILP_EV_SYS_EXIT, NR(call), dt);

	e->ret = ret;
	return e;
}

/*
 * Phase one for every event of the window (decoded now: its /proc reads
 * happen now), then the window with horizon, then phase two for each;
 * what each event gave is kept in res[i].
 */
static void run(struct ctx *c, uint64_t horizon)
{
	size_t i;
	int k;

	for (i = 0; i < c->n; i++)
		ilp_resolver_on_record(c->r, &c->ev[i]);
	ilp_resolver_round_end(c->r);
	{
		const struct ilp_event *v[c->n ? c->n : 1];

		for (i = 0; i < c->n; i++)
			v[i] = &c->ev[i];
		ilp_resolver_window_begin(c->r, horizon);
		ilp_resolver_window_add(c->r, v, c->n);
	}
	for (i = 0; i < c->n; i++) {
		c->nres[i] = ilp_resolver_on_event(c->r, &c->ev[i], c->res[i]);
		for (k = 0; k < c->nres[i]; k++) {
			snprintf(c->str[i][k], sizeof(c->str[i][k]), "%s", c->res[i][k].fd.str);
			c->res[i][k].fd.str = c->str[i][k];
		}
	}
	c->n = 0;
}

/* event i of the last run gave, as its k-th FD_INFO, this name */
static void expect_name(struct ctx *c, int i, int k, int fd, unsigned src, unsigned type,
			const char *str)
{
	const struct ilp_event *e = &c->res[i][k];

	if (c->nres[i] <= k)
		fail_msg("event %d gave %d names, want at least %d", i, c->nres[i], k + 1);
	assert_int_equal(e->kind, ILP_EV_FD_INFO);
	assert_int_equal(e->fd.fd, fd);
	assert_string_equal(ilp_name_src_name(e->fd.type), ilp_name_src_name(ILP_OBJ_SRC(src) | type));
	assert_int_equal(e->fd.type & ILP_OBJ_TYPE_MASK, type);
	assert_string_equal(e->fd.str, str);
}

#define LOST_CLOSED "closed before it could be read; --names=exact keeps it"

static void make_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static uint32_t kdev(dev_t d)
{
	return (uint32_t)(major(d) << 20 | minor(d));
}

/* proc: an fd still open when read, nothing changed it since the call */
static void test_proc_while_open(void **state)
{
	struct ctx *c = *state;
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/open.txt", c->dir);
	make_file(path, "x");
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)path, O_RDONLY);
	leave(c, "openat", 20, fd);
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_PROC, ILP_OBJ_FILE, path);
	close(fd);
}

/* proc, refused: the fd number was closed and reused before the read (it
 * names b by then): the first open's name is lost, never b */
static void test_proc_reused_is_lost(void **state)
{
	struct ctx *c = *state;
	char a[128], b[128];
	int fd;

	snprintf(a, sizeof(a), "%s/a.txt", c->dir);
	snprintf(b, sizeof(b), "%s/b.txt", c->dir);
	make_file(a, "a");
	make_file(b, "b");
	fd = open(b, O_RDONLY);
	assert_true(fd >= 0);
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)a, O_RDONLY);
	leave(c, "openat", 20, fd);
	enter(c, "close", 30, (uint64_t)fd, 0, 0);
	leave(c, "close", 31, 0);
	enter(c, "openat", 40, AT_FDCWD_V, (uint64_t)(uintptr_t)b, O_RDONLY);
	leave(c, "openat", 50, fd);
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED,
		    "its fd number was reused before it could be read; --names=exact keeps it");
	expect_name(c, 5, 0, fd, ILP_NAME_SRC_PROC, ILP_OBJ_FILE, b);
	/* dup2 onto it, and exec, change an fd as close does */
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)a, O_RDONLY);
	leave(c, "openat", 20, fd);
	enter(c, "dup2", 30, 0, (uint64_t)fd, 0);
	leave(c, "dup2", 31, fd);
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED,
		    "its fd number was reused before it could be read; --names=exact keeps it");
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)a, O_RDONLY);
	leave(c, "openat", 20, fd);
	ev(c, ILP_EV_EXEC, -1, 30)->pid = c->tid;
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED,
		    "its fd number was reused before it could be read; --names=exact keeps it");
	close(fd);
}

/* lost: closed before the read, and nothing confirms the argument */
static void test_gone_is_lost(void **state)
{
	struct ctx *c = *state;
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/gone.txt", c->dir);
	make_file(path, "x");
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)path, O_RDONLY);
	leave(c, "openat", 20, fd);
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);
}

/* proc, refused: a read after the horizon cannot be checked */
static void test_late_read_is_lost(void **state)
{
	struct ctx *c = *state;
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/late.txt", c->dir);
	make_file(path, "x");
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)path, O_RDONLY);
	leave(c, "openat", 20, fd);
	run(c, c->t0 + 30 * 1000);	/* every event read up to t0 + 30 us only */
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED,
		    "read too late to be checked; --names=exact keeps it");
	close(fd);
}

/* a read on fd (its first page of st's file read inside it), then close */
static void read_close(struct ctx *c, int fd, const struct stat *st, uint64_t dt)
{
	struct ilp_event *e;

	enter(c, "read", dt, (uint64_t)fd, 0, 4096);
	e = ev(c, ILP_EV_FILE_READ, -1, dt + 1);
	e->wb.dev = kdev(st->st_dev);
	e->wb.ino = st->st_ino;
	leave(c, "read", dt + 2, 12);
	enter(c, "close", dt + 10, (uint64_t)fd, 0, 0);
	leave(c, "close", dt + 11, 0);
}

/* arg: the fd is gone, the argument in memory names a file whose dev:ino
 * the kernel reported inside a read on that fd */
static void test_arg_confirmed(void **state)
{
	struct ctx *c = *state;
	char path[128], wrong[128];
	struct stat st;
	struct ilp_event *e;
	int fd;

	snprintf(path, sizeof(path), "%s/conf.txt", c->dir);
	snprintf(wrong, sizeof(wrong), "%s/other.txt", c->dir);
	make_file(path, "key = value\n");
	make_file(wrong, "other\n");
	assert_int_equal(stat(path, &st), 0);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)path, O_RDONLY);
	leave(c, "openat", 20, fd);
	read_close(c, fd, &st, 30);
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_ARG, ILP_OBJ_FILE, path);

	/* memory names another file (a reused buffer): not the inode read */
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)wrong, O_RDONLY);
	leave(c, "openat", 20, fd);
	read_close(c, fd, &st, 30);
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);

	/* a report after the fd was closed (maybe reused) confirms nothing */
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)path, O_RDONLY);
	leave(c, "openat", 20, fd);
	enter(c, "close", 25, (uint64_t)fd, 0, 0);
	leave(c, "close", 26, 0);
	read_close(c, fd, &st, 30);
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);

	/* nor one from another thread of another process */
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)path, O_RDONLY);
	leave(c, "openat", 20, fd);
	e = ev(c, ILP_EV_FILE_READ, -1, 31);
	e->tid = c->tid + 100000;
	e->wb.dev = kdev(st.st_dev);
	e->wb.ino = st.st_ino;
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);
}

/* call: read at the call, before the entry event: names even a closed
 * fd; relative to the dirfd of that moment */
static void test_call_copy(void **state)
{
	struct ctx *c = *state;
	char rel[] = "called.txt", want[160];
	uint64_t args[6] = { 0 };
	int dfd;

	snprintf(want, sizeof(want), "%s/called.txt", c->dir);
	make_file(want, "x");
	dfd = open(c->dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	args[0] = (uint64_t)dfd;
	args[1] = (uint64_t)(uintptr_t)rel;
	assert_int_equal(ilp_resolver_at_call(c->r, c->tid, NR("openat"), args), 0);
	close(dfd);	/* gone before anything else reads it */
	c->t0 = now_ns();	/* the entry comes after the stop */
	enter(c, "openat", 10, (uint64_t)dfd, (uint64_t)(uintptr_t)rel, O_RDONLY);
	leave(c, "openat", 20, 99);
	run(c, UINT64_MAX);
	expect_name(c, 1, 0, 99, ILP_NAME_SRC_CALL, ILP_OBJ_FILE, want);
	/* a path call (stat) takes its copy too: its name, no fd */
	args[0] = AT_FDCWD_V;
	args[1] = (uint64_t)(uintptr_t)want;
	assert_int_equal(ilp_resolver_at_call(c->r, c->tid, NR("newfstatat"), args), 0);
	c->t0 = now_ns();
	enter(c, "newfstatat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)want, 0);
	leave(c, "newfstatat", 20, 0);
	run(c, UINT64_MAX);
	expect_name(c, 1, 0, ILP_FD_PATHARG, ILP_NAME_SRC_CALL, ILP_OBJ_FILE, want);
	/* a copy read after an entry is a later call's: not this one's */
	c->t0 = now_ns() - 50 * MS;
	assert_int_equal(ilp_resolver_at_call(c->r, c->tid, NR("newfstatat"), args), 0);
	enter(c, "newfstatat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)rel, 0);
	leave(c, "newfstatat", 20, 0);
	run(c, UINT64_MAX);
	assert_int_equal(c->nres[1], 0);
	/* a call that takes no path has no copy */
	assert_int_equal(ilp_resolver_at_call(c->r, c->tid, NR("read"), args), -ENOENT);
}

/* call, at the exit: a thread stopped at the exit of a call that made an
 * fd (--names=exact's exit stop): the fd read then names it, even closed
 * before anything else could read it */
static void test_call_at_exit(void **state)
{
	struct ctx *c = *state;
	uint64_t args[6] = { 0 };
	char path[128];
	int fd, p[2];

	snprintf(path, sizeof(path), "%s/exit.txt", c->dir);
	make_file(path, "x");
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	args[0] = AT_FDCWD_V;
	args[1] = (uint64_t)(uintptr_t)path;
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)path, O_RDONLY);
	leave(c, "openat", 20, fd);
	/* the stop comes after the exit's event; then the program closes it */
	assert_int_equal(ilp_resolver_at_exit(c->r, c->tid, NR("openat"), args, fd), 0);
	close(fd);
	run(c, SOON);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_CALL, ILP_OBJ_FILE, path);
	/* a pipe's two fds, read at the stop */
	assert_int_equal(pipe(p), 0);
	args[0] = (uint64_t)(uintptr_t)p;
	c->t0 = now_ns() - 10 * MS;
	enter(c, "pipe2", 10, (uint64_t)(uintptr_t)p, 0, 0);
	leave(c, "pipe2", 20, 0);
	assert_int_equal(ilp_resolver_at_exit(c->r, c->tid, NR("pipe2"), args, 0), 0);
	close(p[0]);
	close(p[1]);
	run(c, SOON);
	assert_int_equal(c->nres[1], 2);
	assert_int_equal(ILP_OBJ_SRC_OF(c->res[1][0].fd.type), ILP_NAME_SRC_CALL);
	assert_int_equal(ILP_OBJ_SRC_OF(c->res[1][1].fd.type), ILP_NAME_SRC_CALL);
	/* a read older than the exit is of an exit never seen: not used */
	fd = open(path, O_RDONLY);
	args[0] = AT_FDCWD_V;
	assert_int_equal(ilp_resolver_at_exit(c->r, c->tid, NR("openat"), args, fd), 0);
	close(fd);
	c->t0 = now_ns() + 1000;	/* this exit comes after that read */
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)path, O_RDONLY);
	leave(c, "openat", 20, fd);
	run(c, UINT64_MAX);
	expect_name(c, 1, 0, fd, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);
	/* no fd made: nothing to read */
	assert_int_equal(ilp_resolver_at_exit(c->r, c->tid, NR("openat"), args, -2), -ENOENT);
	assert_int_equal(ilp_resolver_at_exit(c->r, c->tid, NR("newfstatat"), args, 0), -ENOENT);
	c->t0 = now_ns() - 50 * MS;
}

static struct ilp_event *argstr(struct ctx *c, const char *call, uint64_t dt, const char *copy,
				size_t len, const void *ptr, int arg)
{
	struct ilp_event *e = ev(c, ILP_EV_SYS_ARGSTR, NR(call), dt);

	e->ustr.str = copy;
	e->ustr.len = (uint32_t)len;
	e->ustr.ptr = (uint64_t)(uintptr_t)ptr;
	e->ustr.arg = arg;
	return e;
}

/* kernel: the copy names a closed fd, relative to the cwd the resolver
 * tracked from a chdir, not the profiler's own cwd */
static void test_kernel_copy(void **state)
{
	struct ctx *c = *state;
	char sub[128], rel[] = "kcopy", want[192], mem[] = "/tmp/x.y";
	static const char cut[] = "/a/very/long/path/cut/by/the/kernel...";
	static const char full[] = "/a/very/long/path/cut/by/the/kernel/at/its/size";

	snprintf(sub, sizeof(sub), "%s/sub", c->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(want, sizeof(want), "%s/kcopy", sub);
	enter(c, "chdir", 10, (uint64_t)(uintptr_t)sub, 0, 0);
	argstr(c, "chdir", 11, sub, strlen(sub) + 1, sub, 0);
	leave(c, "chdir", 20, 0);
	/* the copy may come before its entry */
	argstr(c, "openat", 29, rel, sizeof(rel), rel, 1);
	enter(c, "openat", 30, AT_FDCWD_V, (uint64_t)(uintptr_t)rel, O_RDONLY | O_CREAT);
	leave(c, "openat", 40, 77);
	run(c, SOON);
	expect_name(c, 5, 0, 77, ILP_NAME_SRC_KERNEL, ILP_OBJ_FILE, want);

	/* a cut copy (no NUL: "..." appended) is not a name */
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)full, O_RDONLY);
	argstr(c, "openat", 11, cut, sizeof(cut) - 1, full, 1);
	leave(c, "openat", 20, 78);
	run(c, SOON);
	expect_name(c, 2, 0, 78, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);

	/* '.' may stand for a byte the kernel could not print: taken only when
	 * memory holds the same bytes ... */
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)mem, O_RDONLY);
	argstr(c, "openat", 11, "/tmp/x.y", 9, mem, 1);
	leave(c, "openat", 20, 79);
	run(c, SOON);
	expect_name(c, 2, 0, 79, ILP_NAME_SRC_KERNEL, ILP_OBJ_FILE, "/tmp/x.y");
	/* ... not when it holds something else (the byte was a newline) */
	mem[6] = '\n';
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)mem, O_RDONLY);
	argstr(c, "openat", 11, "/tmp/x.y", 9, mem, 1);
	leave(c, "openat", 20, 80);
	run(c, SOON);
	expect_name(c, 2, 0, 80, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);
}

/* a relative name with no certain base is not used: a chdir whose cwd
 * read may be another's (a second chdir came before it), or a dirfd
 * never named */
static void test_relative_without_base(void **state)
{
	struct ctx *c = *state;
	char rel[] = "nobase", other[] = "/nonexistent";

	enter(c, "chdir", 10, (uint64_t)(uintptr_t)c->dir, 0, 0);
	leave(c, "chdir", 20, 0);
	enter(c, "chdir", 25, (uint64_t)(uintptr_t)other, 0, 0);
	leave(c, "chdir", 26, -ENOENT);
	argstr(c, "openat", 29, rel, sizeof(rel), rel, 1);
	enter(c, "openat", 30, AT_FDCWD_V, (uint64_t)(uintptr_t)rel, O_RDONLY);
	leave(c, "openat", 40, 81);
	run(c, SOON);
	expect_name(c, 6, 0, 81, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);
	argstr(c, "openat", 29, rel, sizeof(rel), rel, 1);
	enter(c, "openat", 30, 555, (uint64_t)(uintptr_t)rel, O_RDONLY);
	leave(c, "openat", 40, 82);
	run(c, SOON);
	expect_name(c, 2, 0, 82, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);
}

/* a dirfd named for certain is the base of openat(dirfd, "rel") until closed */
static void test_dirfd_base(void **state)
{
	struct ctx *c = *state;
	char rel[] = "in-dir", want[160];
	int dfd = open(c->dir, O_RDONLY | O_DIRECTORY);

	assert_true(dfd >= 0);
	snprintf(want, sizeof(want), "%s/in-dir", c->dir);
	enter(c, "openat", 10, AT_FDCWD_V, (uint64_t)(uintptr_t)c->dir, O_RDONLY | O_DIRECTORY);
	leave(c, "openat", 20, dfd);
	argstr(c, "openat", 29, rel, sizeof(rel), rel, 1);
	enter(c, "openat", 30, (uint64_t)dfd, (uint64_t)(uintptr_t)rel, O_RDONLY);
	leave(c, "openat", 40, 83);
	run(c, SOON);
	expect_name(c, 1, 0, dfd, ILP_NAME_SRC_PROC, ILP_OBJ_DIR, c->dir);
	expect_name(c, 4, 0, 83, ILP_NAME_SRC_KERNEL, ILP_OBJ_FILE, want);
	enter(c, "close", 10, (uint64_t)dfd, 0, 0);
	leave(c, "close", 11, 0);
	argstr(c, "openat", 29, rel, sizeof(rel), rel, 1);
	enter(c, "openat", 30, (uint64_t)dfd, (uint64_t)(uintptr_t)rel, O_RDONLY);
	leave(c, "openat", 40, 84);
	run(c, SOON);
	expect_name(c, 4, 0, 84, ILP_NAME_SRC_LOST, ILP_OBJ_UNRESOLVED, LOST_CLOSED);
	close(dfd);
}

/* a stopped source (ptrace): every name is read at the call */
static void test_stopped_source(void **state)
{
	struct ctx *c = *state;
	struct ilp_event e = { 0 }, out[ILP_RESOLVE_MAX];
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/stopped.txt", c->dir);
	make_file(path, "x");
	e.tid = c->tid;
	e.ts = now_ns();
	e.kind = ILP_EV_SYS_ENTER;
	e.nr = NR("openat");
	e.args[0] = AT_FDCWD_V;
	e.args[1] = (uint64_t)(uintptr_t)path;
	assert_int_equal(ilp_resolver_stopped_event(c->r, &e, out), 0);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	memset(e.args, 0, sizeof(e.args));
	e.kind = ILP_EV_SYS_EXIT;
	e.ts = now_ns();
	e.ret = fd;
	assert_int_equal(ilp_resolver_stopped_event(c->r, &e, out), 1);
	c->nres[0] = 1;
	c->res[0][0] = out[0];
	expect_name(c, 0, 0, fd, ILP_NAME_SRC_CALL, ILP_OBJ_FILE, path);
	close(fd);
}

/* pipe: the fds read from memory, named when both ends are one pipe */
static void test_pipe_pair(void **state)
{
	struct ctx *c = *state;
	char want[64];
	struct stat st;
	int p[2], q[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(fstat(p[0], &st), 0);
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	enter(c, "pipe2", 10, (uint64_t)(uintptr_t)p, 0, 0);
	leave(c, "pipe2", 20, 0);
	run(c, SOON);
	assert_int_equal(c->nres[1], 2);
	expect_name(c, 1, 0, p[0], ILP_NAME_SRC_PROC, ILP_OBJ_PIPE, want);
	expect_name(c, 1, 1, p[1], ILP_NAME_SRC_PROC, ILP_OBJ_PIPE, want);
	/* memory that holds two fds of different pipes: not this call's */
	assert_int_equal(pipe(q), 0);
	q[1] = p[1];
	enter(c, "pipe2", 10, (uint64_t)(uintptr_t)q, 0, 0);
	leave(c, "pipe2", 20, 0);
	run(c, SOON);
	assert_int_equal(c->nres[1], 0);
	/* another pipe into the same buffer since: the fds may be its */
	enter(c, "pipe2", 10, (uint64_t)(uintptr_t)p, 0, 0);
	leave(c, "pipe2", 20, 0);
	enter(c, "pipe2", 30, (uint64_t)(uintptr_t)p, 0, 0);
	leave(c, "pipe2", 40, 0);
	run(c, SOON);
	assert_int_equal(c->nres[1], 0);
	close(p[0]);
	close(p[1]);
	close(q[0]);
}

/* the scan names the fds a process has, from /proc */
static int scan_one(void *ctx, int fd, unsigned type, const char *str)
{
	char *want = ctx;

	if (!strcmp(str, want)) {
		assert_int_equal(ILP_OBJ_SRC_OF(type), ILP_NAME_SRC_PROC);
		snprintf(want, 8, "%d", fd);
	}
	return 0;
}

static void test_scan(void **state)
{
	struct ctx *c = *state;
	char path[128], got[128];
	int fd;

	snprintf(path, sizeof(path), "%s/scanned.txt", c->dir);
	make_file(path, "x");
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	snprintf(got, sizeof(got), "%s", path);
	assert_int_equal(ilp_resolve_scan(c->r, c->tid, scan_one, got), 0);
	assert_int_equal(atoi(got), fd);
	close(fd);
}

/* another process's scan: each of its fds 0..SCAN_FDS-1 once, whatever
 * fd number our own /proc/PID/fd directory happens to get */
#define SCAN_FDS 64

static int scan_count(void *ctx, int fd, unsigned type, const char *str)
{
	int *seen = ctx;

	(void)str;
	assert_int_equal(ILP_OBJ_SRC_OF(type), ILP_NAME_SRC_PROC);
	if (fd >= 0 && fd < SCAN_FDS)
		seen[fd]++;
	return 0;
}

static void test_scan_other(void **state)
{
	struct ctx *c = *state;
	int ready[2], hold[2], seen[SCAN_FDS] = { 0 }, status, i;
	char b;
	pid_t child;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(hold), 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {	/* every fd 0..SCAN_FDS-1 open, then wait for the parent */
		int keep = fcntl(hold[0], F_DUPFD, SCAN_FDS), tell = fcntl(ready[1], F_DUPFD, SCAN_FDS);

		/* the parent's ends closed here, whatever fd numbers they got:
		 * its close of hold[1] is what ends the wait */
		close(hold[1]);
		close(ready[0]);
		if (keep < 0 || tell < 0)
			_exit(1);
		for (i = 0; i < SCAN_FDS; i++)
			if (dup2(keep, i) != i)
				_exit(1);
		if (write(tell, "r", 1) != 1 || read(keep, &b, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	assert_int_equal(read(ready[0], &b, 1), 1);
	assert_int_equal(ilp_resolve_scan(c->r, child, scan_count, seen), 0);
	close(hold[1]);		/* the child's read returns: it exits */
	close(ready[0]);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (i = 0; i < SCAN_FDS; i++)
		assert_int_equal(seen[i], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_proc_while_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proc_reused_is_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gone_is_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_read_is_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arg_confirmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_at_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_without_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirfd_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stopped_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_other, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
