// SPDX-License-Identifier: MIT
/* Unit tests for src/util/outfile.c: files written safely as root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "outfile.h"

struct env {
	char dir[64];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	snprintf(e->dir, sizeof(e->dir), "/tmp/ilp-outfile-test.XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

static void path_of(const struct env *e, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", e->dir, name);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static const char *get(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* entries of the directory but "." and ".." */
static int entries(const struct env *e)
{
	struct dirent *de;
	DIR *d = opendir(e->dir);
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

static void test_symlink_replaced(void **state)
{
	struct env *e = *state;
	char victim[128], target[128], buf[64];
	struct ilp_outfile *o;
	struct stat st;

	path_of(e, "victim", victim, sizeof(victim));
	path_of(e, "report", target, sizeof(target));
	put(victim, "precious");
	assert_int_equal(symlink(victim, target), 0);
	assert_int_equal(ilp_outfile_open(target, ILP_OUT_REPORT, &o), 0);
	fputs("the report\n", ilp_outfile_stream(o));
	/* nothing visible until the commit: the symlink is still there */
	assert_int_equal(lstat(target, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(entries(e), 3);	/* victim, report, the temporary file */
	assert_int_equal(ilp_outfile_commit(o), 0);
	assert_int_equal(ilp_outfile_commit(o), 0);	/* twice: a no-op */
	ilp_outfile_free(o);
	assert_string_equal(get(victim, buf, sizeof(buf)), "precious");
	assert_int_equal(lstat(target, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(get(target, buf, sizeof(buf)), "the report\n");
	assert_int_equal(entries(e), 2);
}

static void test_modes_and_owner(void **state)
{
	struct env *e = *state;
	char report[128], trace[128];
	struct ilp_outfile *o;
	struct stat st;
	mode_t mask = umask(022);

	path_of(e, "report", report, sizeof(report));
	path_of(e, "trace", trace, sizeof(trace));
	/* a new report: 0666 & ~umask; a trace: 0600 */
	assert_int_equal(ilp_outfile_open(report, ILP_OUT_REPORT, &o), 0);
	assert_int_equal(ilp_outfile_commit(o), 0);
	ilp_outfile_free(o);
	assert_int_equal(stat(report, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	put(trace, "old");
	assert_int_equal(chmod(trace, 0644), 0);
	assert_int_equal(ilp_outfile_open(trace, ILP_OUT_TRACE, &o), 0);
	assert_int_equal(ilp_outfile_commit(o), 0);
	ilp_outfile_free(o);
	assert_int_equal(stat(trace, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* an existing report keeps its mode, and (as root) its owner */
	assert_int_equal(chmod(report, 0640), 0);
	if (geteuid() == 0)
		assert_int_equal(chown(report, 4321, 4322), 0);
	assert_int_equal(ilp_outfile_open(report, ILP_OUT_REPORT, &o), 0);
	assert_int_equal(ilp_outfile_commit(o), 0);
	ilp_outfile_free(o);
	assert_int_equal(stat(report, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	if (geteuid() == 0) {
		assert_int_equal(st.st_uid, 4321);
		assert_int_equal(st.st_gid, 4322);
	}
	umask(mask);
}

static void test_not_committed(void **state)
{
	struct env *e = *state;
	char target[128], buf[64];
	struct ilp_outfile *o;

	path_of(e, "report", target, sizeof(target));
	put(target, "old report");
	assert_int_equal(ilp_outfile_open(target, ILP_OUT_REPORT, &o), 0);
	fputs("half a rep", ilp_outfile_stream(o));
	ilp_outfile_free(o);	/* the run failed */
	assert_string_equal(get(target, buf, sizeof(buf)), "old report");
	assert_int_equal(entries(e), 1);
	ilp_outfile_free(NULL);
	assert_int_equal(ilp_outfile_commit(NULL), 0);
	assert_int_equal(ilp_outfile_publish(NULL), 0);
}

static void test_refused(void **state)
{
	struct env *e = *state;
	char p[128];
	struct ilp_outfile *o = (void *)1;

	path_of(e, "fifo", p, sizeof(p));
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(ilp_outfile_open(p, ILP_OUT_REPORT, &o), -EBADFD);
	assert_null(o);
	assert_int_equal(ilp_outfile_open(e->dir, ILP_OUT_REPORT, &o), -EISDIR);
	path_of(e, "", p, sizeof(p));	/* "dir/" */
	assert_int_equal(ilp_outfile_open(p, ILP_OUT_REPORT, &o), -EISDIR);
	assert_int_equal(ilp_outfile_open("/dev/full", ILP_OUT_REPORT, &o), -EBADFD);
	assert_int_equal(ilp_outfile_open("/nonexistent/x", ILP_OUT_REPORT, &o), -ENOENT);
	/* the aliases are for reports; a trace needs a regular file */
	assert_int_equal(ilp_outfile_open("-", ILP_OUT_TRACE, &o), -EBADFD);
	assert_int_equal(ilp_outfile_open("/dev/null", ILP_OUT_TRACE, &o), -EBADFD);
	assert_int_equal(entries(e), 1);
}

static void test_aliases(void **state)
{
	static const char *const names[] = { "-", "/dev/stdout", "/dev/stderr", "/dev/null" };
	struct ilp_outfile *o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(ilp_outfile_open(names[i], ILP_OUT_REPORT, &o), 0);
		assert_non_null(ilp_outfile_stream(o));
		assert_int_equal(ilp_outfile_publish(o), 0);
		assert_int_equal(ilp_outfile_commit(o), 0);
		ilp_outfile_free(o);
	}
	/* our own stdout and stderr are still open */
	assert_true(fcntl(1, F_GETFD) >= 0);
	assert_true(fcntl(2, F_GETFD) >= 0);
}

static void test_publish(void **state)
{
	struct env *e = *state;
	char target[128], buf[64];
	struct ilp_outfile *o;
	FILE *f;

	path_of(e, "live", target, sizeof(target));
	assert_int_equal(ilp_outfile_open(target, ILP_OUT_REPORT, &o), 0);
	f = ilp_outfile_stream(o);
	fputs("one\n", f);
	assert_int_equal(ilp_outfile_publish(o), 0);
	assert_string_equal(get(target, buf, sizeof(buf)), "one\n");
	assert_ptr_equal(ilp_outfile_stream(o), f);	/* the same stream goes on */
	fputs("two\n", f);
	fflush(f);
	assert_string_equal(get(target, buf, sizeof(buf)), "one\n");	/* not yet */
	assert_int_equal(ilp_outfile_publish(o), 0);
	assert_string_equal(get(target, buf, sizeof(buf)), "one\ntwo\n");
	fputs("three\n", f);
	assert_int_equal(ilp_outfile_commit(o), 0);
	ilp_outfile_free(o);
	assert_string_equal(get(target, buf, sizeof(buf)), "one\ntwo\nthree\n");
	assert_int_equal(entries(e), 1);
}

static void test_side_files(void **state)
{
	struct env *e = *state;
	char target[128], victim[128], buf[64], *path = NULL, *path2 = NULL;
	struct ilp_outfile *o;
	FILE *f = NULL, *g = NULL;

	path_of(e, "t.dat", target, sizeof(target));
	path_of(e, "victim", victim, sizeof(victim));
	put(victim, "precious");
	assert_int_equal(ilp_outfile_open(target, ILP_OUT_TRACE, &o), 0);
	assert_int_equal(ilp_outfile_side(o, ".cpu0", &f, &path), 0);
	assert_non_null(strstr(path, "/.t.dat."));
	fputs("pages", f);
	fclose(f);
	/* already there (a planted symlink, or ours twice): never followed */
	assert_int_equal(ilp_outfile_side(o, ".cpu0", &g, &path2), -EEXIST);
	assert_null(g);
	assert_null(path2);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(ilp_outfile_side(o, ".cpu0", &g, &path2), -EEXIST);
	assert_string_equal(get(victim, buf, sizeof(buf)), "precious");
	unlink(path);
	free(path);
	ilp_outfile_free(o);
	assert_int_equal(entries(e), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_symlink_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modes_and_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_committed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_side_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
