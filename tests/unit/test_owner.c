// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/source/owner.c: instance ownership proved by flock,
 * on plain directories standing in for tracefs's "instances" and the lock
 * directory (the protocol is the same; rmdir of a plain directory fails
 * with ENOTEMPTY where tracefs says EBUSY).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "owner.h"

struct env {
	char root[64];		/* mkdtemp */
	char inst[96];		/* root/instances */
	char lockdir[96];	/* root/lock */
	int dirfd;
};

struct verdicts {
	char names[16][ILP_OWNER_NAME_MAX];
	enum ilp_stale_verdict v[16];
	int n;
};

static void note(void *ctx, const char *name, enum ilp_stale_verdict v)
{
	struct verdicts *vs = ctx;

	assert_true(vs->n < 16);
	snprintf(vs->names[vs->n], sizeof(vs->names[0]), "%s", name);
	vs->v[vs->n++] = v;
}

/* the verdict on name, or -1 if there was none */
static int verdict_of(const struct verdicts *vs, const char *name)
{
	int i;

	for (i = 0; i < vs->n; i++)
		if (!strcmp(vs->names[i], name))
			return (int)vs->v[i];
	return -1;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	snprintf(e->root, sizeof(e->root), "/tmp/ilp-owner-test.XXXXXX");
	assert_non_null(mkdtemp(e->root));
	snprintf(e->inst, sizeof(e->inst), "%s/instances", e->root);
	snprintf(e->lockdir, sizeof(e->lockdir), "%s/lock", e->root);
	assert_int_equal(mkdir(e->inst, 0755), 0);
	assert_int_equal(ilp_owner_lockdir(e->lockdir, 1, &e->dirfd), 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[160];

	close(e->dirfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->root);
	assert_int_equal(system(cmd), 0);
	unsetenv("ILP_TEST_INSTANCE_TOKENS");
	free(e);
	return 0;
}

static void mkpath(const char *dir, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(mkdir(p, 0750), 0);
}

static int exists(const char *dir, const char *name)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return lstat(p, &st) == 0;
}

/* creates dir/name as an empty file; returns an open fd on it */
static int mkfile(const char *dir, const char *name)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	return fd;
}

static void test_name_kind(void **state)
{
	(void)state;
	assert_int_equal(ilp_owner_name_kind("iolockprof-abcdefghijklmnop"), ILP_OWNER_OURS);
	assert_int_equal(ilp_owner_name_kind("iolockprof-abcdefghijklmnop-sys"), ILP_OWNER_OURS_SYS);
	assert_int_equal(ilp_owner_name_kind("iolockprof-1234"), ILP_OWNER_OLD);
	assert_int_equal(ilp_owner_name_kind("iolockprof-1234-sys"), ILP_OWNER_OLD);
	assert_int_equal(ilp_owner_name_kind("iolockprof-0"), ILP_OWNER_OLD);
	/* a letter short, a capital, a digit, an extra suffix: not ours */
	assert_int_equal(ilp_owner_name_kind("iolockprof-abcdefghijklmno"), ILP_OWNER_OTHER);
	assert_int_equal(ilp_owner_name_kind("iolockprof-Abcdefghijklmnop"), ILP_OWNER_OTHER);
	assert_int_equal(ilp_owner_name_kind("iolockprof-abcdefghijklmno1"), ILP_OWNER_OTHER);
	assert_int_equal(ilp_owner_name_kind("iolockprof-abcdefghijklmnop-x"), ILP_OWNER_OTHER);
	assert_int_equal(ilp_owner_name_kind("iolockprof-"), ILP_OWNER_OTHER);
	assert_int_equal(ilp_owner_name_kind("iolockprof--sys"), ILP_OWNER_OTHER);
	assert_int_equal(ilp_owner_name_kind("iolockprof-12a"), ILP_OWNER_OTHER);
	assert_int_equal(ilp_owner_name_kind("perf-abcdefghijklmnop"), ILP_OWNER_OTHER);
}

static void test_lockdir_refused(void **state)
{
	struct env *e = *state;
	char p[128], link[128];
	struct stat st;
	int fd;

	/* made 0700 */
	assert_int_equal(fstat(e->dirfd, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* a symlink to a good directory is refused */
	snprintf(link, sizeof(link), "%s/link", e->root);
	assert_int_equal(symlink(e->lockdir, link), 0);
	assert_int_equal(ilp_owner_lockdir(link, 1, &fd), -EUCLEAN);
	assert_int_equal(fd, -1);
	/* group-writable */
	snprintf(p, sizeof(p), "%s/gw", e->root);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(chmod(p, 0770), 0);
	assert_int_equal(ilp_owner_lockdir(p, 1, &fd), -EUCLEAN);
	/* a file */
	close(mkfile(e->root, "file"));
	snprintf(p, sizeof(p), "%s/file", e->root);
	assert_int_equal(ilp_owner_lockdir(p, 1, &fd), -EUCLEAN);
	/* not there, not to be made */
	snprintf(p, sizeof(p), "%s/none", e->root);
	assert_int_equal(ilp_owner_lockdir(p, 0, &fd), -ENOENT);
	/* another owner's (needs root to make one) */
	if (geteuid() == 0) {
		snprintf(p, sizeof(p), "%s/foreign", e->root);
		assert_int_equal(mkdir(p, 0700), 0);
		assert_int_equal(chown(p, 4321, 4321), 0);
		assert_int_equal(ilp_owner_lockdir(p, 1, &fd), -EUCLEAN);
	}
}

static void test_claim_release(void **state)
{
	struct env *e = *state;
	struct ilp_owner ow;
	char lock[256], buf[32];
	int fd;

	/* the first test token's lock file exists (another session): skipped */
	setenv("ILP_TEST_INSTANCE_TOKENS", "aaaaaaaaaaaaaaaa,bad,bbbbbbbbbbbbbbbb", 1);
	close(mkfile(e->lockdir, "iolockprof-aaaaaaaaaaaaaaaa.lock"));
	ilp_owner_init(&ow, e->dirfd);
	assert_int_equal(ilp_owner_claim(&ow), 0);
	assert_string_equal(ow.name, "iolockprof-bbbbbbbbbbbbbbbb");
	assert_true(ow.lockfd >= 0);
	/* it holds the flock: another open file cannot take it */
	snprintf(lock, sizeof(lock), "%s/%s.lock", e->lockdir, ow.name);
	fd = open(lock, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	/* and says whose it is */
	memset(buf, 0, sizeof(buf));
	assert_true(read(fd, buf, sizeof(buf) - 1) > 0);
	assert_int_equal(atoi(buf), (int)getpid());
	close(fd);
	/* released keeping the file: unlocked, still there */
	ilp_owner_release(&ow, 0);
	assert_int_equal(ow.lockfd, -1);
	fd = open(lock, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	close(fd);
	/* tokens used up: random ones, 16 letters */
	assert_int_equal(ilp_owner_claim(&ow), 0);
	assert_int_equal(ilp_owner_name_kind(ow.name), ILP_OWNER_OURS);
	assert_string_not_equal(ow.name, "iolockprof-bbbbbbbbbbbbbbbb");
	snprintf(lock, sizeof(lock), "%s.lock", ow.name);
	ilp_owner_release(&ow, 1);
	assert_false(exists(e->lockdir, lock));
	ilp_owner_release(&ow, 1);	/* unclaimed: a no-op */
}

static void test_stale_verdicts(void **state)
{
	struct env *e = *state;
	struct verdicts vs = { 0 };
	int live;

	/* dead: lock file nobody holds, both instances */
	close(mkfile(e->lockdir, "iolockprof-deaddeaddeaddead.lock"));
	mkpath(e->inst, "iolockprof-deaddeaddeaddead");
	mkpath(e->inst, "iolockprof-deaddeaddeaddead-sys");
	/* live: its lock is held (by this process, through another open file) */
	live = mkfile(e->lockdir, "iolockprof-livelivelivelive.lock");
	assert_int_equal(flock(live, LOCK_EX | LOCK_NB), 0);
	mkpath(e->inst, "iolockprof-livelivelivelive");
	mkpath(e->inst, "iolockprof-livelivelivelive-sys");
	/* no lock file: unprovable */
	mkpath(e->inst, "iolockprof-nolocknolocknolo");
	/* older versions' names, including a pid 0 */
	mkpath(e->inst, "iolockprof-123");
	mkpath(e->inst, "iolockprof-123-sys");
	mkpath(e->inst, "iolockprof-0");
	/* not ours at all */
	mkpath(e->inst, "iolockprof-Foo");
	mkpath(e->inst, "perf");
	/* an orphan lock file (died before its mkdir) */
	close(mkfile(e->lockdir, "iolockprof-orphanorphanorph.lock"));
	/* dead, but its instance cannot be removed (tracefs: a file open in it) */
	close(mkfile(e->lockdir, "iolockprof-busybusybusybusy.lock"));
	mkpath(e->inst, "iolockprof-busybusybusybusy");
	mkpath(e->inst, "iolockprof-busybusybusybusy/x");
	/* a lock file that is a symlink (to a free one): not proof */
	close(mkfile(e->root, "target.lock"));
	assert_int_equal(symlinkat("../target.lock", e->dirfd, "iolockprof-symlinksymlinksy.lock"), 0);
	mkpath(e->inst, "iolockprof-symlinksymlinksy");

	assert_int_equal(ilp_owner_remove_stale(e->inst, e->dirfd, note, &vs), 2);
	assert_int_equal(verdict_of(&vs, "iolockprof-deaddeaddeaddead"), ILP_STALE_REMOVED);
	assert_false(exists(e->inst, "iolockprof-deaddeaddeaddead"));
	assert_false(exists(e->inst, "iolockprof-deaddeaddeaddead-sys"));
	assert_false(exists(e->lockdir, "iolockprof-deaddeaddeaddead.lock"));

	assert_int_equal(verdict_of(&vs, "iolockprof-livelivelivelive"), ILP_STALE_LIVE);
	assert_true(exists(e->inst, "iolockprof-livelivelivelive"));
	assert_true(exists(e->inst, "iolockprof-livelivelivelive-sys"));
	assert_true(exists(e->lockdir, "iolockprof-livelivelivelive.lock"));

	assert_int_equal(verdict_of(&vs, "iolockprof-nolocknolocknolo"), ILP_STALE_UNPROVABLE);
	assert_true(exists(e->inst, "iolockprof-nolocknolocknolo"));
	assert_int_equal(verdict_of(&vs, "iolockprof-123"), ILP_STALE_UNPROVABLE);
	assert_int_equal(verdict_of(&vs, "iolockprof-0"), ILP_STALE_UNPROVABLE);
	assert_true(exists(e->inst, "iolockprof-123"));
	assert_true(exists(e->inst, "iolockprof-123-sys"));
	assert_true(exists(e->inst, "iolockprof-0"));
	assert_int_equal(verdict_of(&vs, "iolockprof-Foo"), -1);
	assert_int_equal(verdict_of(&vs, "perf"), -1);
	assert_true(exists(e->inst, "iolockprof-Foo"));
	assert_true(exists(e->inst, "perf"));

	assert_int_equal(verdict_of(&vs, "iolockprof-orphanorphanorph"), ILP_STALE_REMOVED);
	assert_false(exists(e->lockdir, "iolockprof-orphanorphanorph.lock"));

	assert_int_equal(verdict_of(&vs, "iolockprof-busybusybusybusy"), ILP_STALE_BUSY);
	assert_true(exists(e->inst, "iolockprof-busybusybusybusy"));
	assert_true(exists(e->lockdir, "iolockprof-busybusybusybusy.lock"));

	assert_int_equal(verdict_of(&vs, "iolockprof-symlinksymlinksy"), ILP_STALE_UNPROVABLE);
	assert_true(exists(e->inst, "iolockprof-symlinksymlinksy"));
	assert_true(exists(e->lockdir, "iolockprof-symlinksymlinksy.lock"));
	assert_int_equal(vs.n, 8);

	/* the live one ends: its instances go with its lock file, by the next pass */
	close(live);
	memset(&vs, 0, sizeof(vs));
	assert_int_equal(ilp_owner_remove_stale(e->inst, e->dirfd, note, &vs), 1);
	assert_int_equal(verdict_of(&vs, "iolockprof-livelivelivelive"), ILP_STALE_REMOVED);
	assert_false(exists(e->inst, "iolockprof-livelivelivelive"));
	/* no lock directory: nothing is provable, nothing removed */
	memset(&vs, 0, sizeof(vs));
	close(mkfile(e->lockdir, "iolockprof-deaddeaddeaddead.lock"));
	mkpath(e->inst, "iolockprof-deaddeaddeaddead");
	assert_int_equal(ilp_owner_remove_stale(e->inst, -1, note, &vs), 0);
	assert_int_equal(verdict_of(&vs, "iolockprof-deaddeaddeaddead"), ILP_STALE_UNPROVABLE);
	assert_true(exists(e->inst, "iolockprof-deaddeaddeaddead"));
	assert_int_equal(ilp_owner_remove_stale("/nonexistent/ilp", e->dirfd, NULL, NULL), -ENOENT);
}

/* A session killed by SIGKILL: live while it runs, removed after. */
static void test_killed_session(void **state)
{
	struct env *e = *state;
	struct verdicts vs = { 0 };
	struct ilp_owner ow;
	char name[ILP_OWNER_NAME_MAX] = { 0 }, sys[ILP_OWNER_NAME_MAX + 8], lock[96 + ILP_OWNER_NAME_MAX];
	int p[2], status;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		ilp_owner_init(&ow, e->dirfd);
		if (ilp_owner_claim(&ow))
			_exit(1);
		mkpath(e->inst, ow.name);
		snprintf(sys, sizeof(sys), "%s-sys", ow.name);
		mkpath(e->inst, sys);
		if (write(p[1], ow.name, strlen(ow.name)) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	assert_true(read(p[0], name, sizeof(name) - 1) > 0);
	close(p[0]);
	snprintf(sys, sizeof(sys), "%s-sys", name);
	snprintf(lock, sizeof(lock), "%s.lock", name);
	assert_int_equal(ilp_owner_remove_stale(e->inst, e->dirfd, note, &vs), 0);
	assert_int_equal(verdict_of(&vs, name), ILP_STALE_LIVE);
	assert_true(exists(e->inst, name));
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	memset(&vs, 0, sizeof(vs));
	assert_int_equal(ilp_owner_remove_stale(e->inst, e->dirfd, note, &vs), 1);
	assert_int_equal(verdict_of(&vs, name), ILP_STALE_REMOVED);
	assert_false(exists(e->inst, name));
	assert_false(exists(e->inst, sys));
	assert_false(exists(e->lockdir, lock));
}

/* Two sessions offered the same token: the second finds its lock file
 * (O_EXCL) and takes the next one; nothing of the first is touched. */
static void test_claim_taken_token(void **state)
{
	struct env *e = *state;
	struct ilp_owner a, b;

	setenv("ILP_TEST_INSTANCE_TOKENS", "cccccccccccccccc,cccccccccccccccc,dddddddddddddddd", 1);
	ilp_owner_init(&a, e->dirfd);
	ilp_owner_init(&b, e->dirfd);
	assert_int_equal(ilp_owner_claim(&a), 0);
	assert_string_equal(a.name, "iolockprof-cccccccccccccccc");
	/* b is offered the same token next: its lock file exists, so another */
	b.ntest = 1;
	assert_int_equal(ilp_owner_claim(&b), 0);
	assert_string_equal(b.name, "iolockprof-dddddddddddddddd");
	ilp_owner_release(&a, 1);
	ilp_owner_release(&b, 1);
	assert_false(exists(e->lockdir, "iolockprof-cccccccccccccccc.lock"));
	assert_false(exists(e->lockdir, "iolockprof-dddddddddddddddd.lock"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_kind),
		cmocka_unit_test_setup_teardown(test_lockdir_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_taken_token, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
