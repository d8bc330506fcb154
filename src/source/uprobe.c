// SPDX-License-Identifier: MIT
/*
 * --lock-holds' uprobes: find the libc a process maps and its functions,
 * define a session's probes in its own group, remove them.  See
 * include/uprobe.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tracefs.h>

#include "decode.h"
#include "owner.h"
#include "symbolize_internal.h"
#include "uprobe.h"

/* libc.so.6, libc.so, libc-2.31.so: the C library's file names */
static int is_libc(const char *path)
{
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	if (!strcmp(b, "libc.so.6") || !strcmp(b, "libc.so"))
		return 1;
	return !strncmp(b, "libc-", 5) && strlen(b) > 8 && !strcmp(b + strlen(b) - 3, ".so");
}

/* the executable mapping of pid's libc into m (m->path malloc'ed) */
static int find_libc_map(int pid, struct ilp_map *m)
{
	char path[64], line[8192];
	int err = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (fgets(line, sizeof(line), f)) {
		char perms[8] = "";
		struct ilp_map c;

		if (sscanf(line, "%*x-%*x %7s", perms) != 1 || perms[2] != 'x')
			continue;
		if (ilp_map_parse(line, &c))
			continue;
		if (c.ino && is_libc(c.path)) {
			*m = c;
			err = 0;
			break;
		}
		free(c.path);
	}
	fclose(f);
	return err;
}

int ilp_uprobe_check(void)
{
	char *path = tracefs_get_tracing_file("uprobe_events");
	int r;

	if (!path)
		return -ENOTSUP;
	r = access(path, W_OK) ? (errno == ENOENT ? -ENOTSUP : -EACCES) : 0;
	tracefs_put_tracing_file(path);
	return r;
}

int ilp_uprobe_libc_of(int pid, struct ilp_uprobe_lib *lib)
{
	struct ilp_elffiles *fs;
	struct ilp_elffile *ef;
	struct ilp_map m;
	struct stat st;
	size_t i;
	int err;

	memset(lib, 0, sizeof(*lib));
	if (!ilp_uprobe_spec_count())
		return -ENOTSUP;
	err = find_libc_map(pid, &m);
	if (err)
		return err;
	snprintf(lib->path, sizeof(lib->path), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, pid,
		 m.start, m.end);
	snprintf(lib->shown, sizeof(lib->shown), "%s", m.path);
	lib->dev = m.dev;
	lib->ino = m.ino;
	err = -ENOENT;
	/* the kernel resolves this path when the probe is defined: the file
	 * the process maps, checked as the symbolizer checks it */
	if (stat(lib->path, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_ino != m.ino ||
	    (uint64_t)st.st_dev != m.dev)
		goto out;
	fs = ilp_elffiles_new();
	if (!fs) {
		err = -ENOMEM;
		goto out;
	}
	ef = ilp_elffile_get(fs, pid, -1, &m, &err);
	err = -ENOENT;
	for (i = 0; ef && i < ilp_uprobe_spec_count() && i < ILP_UPROBE_SPECS_MAX; i++) {
		const struct ilp_uprobe_spec *sp = ilp_uprobe_spec(i);

		if (ilp_elffile_func_offset(ef, sp->symbol, &lib->off[i]) && sp->required)
			break;
		if (i + 1 == ilp_uprobe_spec_count())
			err = 0;
	}
	ilp_elffiles_free(fs);
out:
	free(m.path);
	return err;
}

void ilp_uprobe_group_of(const char *base, char *buf, size_t size)
{
	size_t plen = strlen(ILP_OWNER_PREFIX);

	snprintf(buf, size, ILP_UPROBE_GROUP_PREFIX "%s",
		 strncmp(base, ILP_OWNER_PREFIX, plen) ? base : base + plen);
}

/* one command into uprobe_events: 0 or -errno */
static int command(const char *cmd)
{
	char *path = tracefs_get_tracing_file("uprobe_events");
	ssize_t n;
	int fd, err = 0;

	if (!path)
		return -ENODEV;
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	tracefs_put_tracing_file(path);
	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

int ilp_uprobe_create(const char *group, int idx, const struct ilp_uprobe_lib *lib)
{
	char cmd[512];
	size_t i;
	int err;

	for (i = 0; i < ilp_uprobe_spec_count() && i < ILP_UPROBE_SPECS_MAX; i++) {
		const struct ilp_uprobe_spec *sp = ilp_uprobe_spec(i);

		if (!lib->off[i])
			continue;
		snprintf(cmd, sizeof(cmd), "%c:%s/%s_%d %s:0x%" PRIx64 " %s\n",
			 sp->retprobe ? 'r' : 'p', group, sp->event, idx, lib->path, lib->off[i],
			 sp->fetch);
		err = command(cmd);
		if (err && sp->required)
			return err;
	}
	return 0;
}

/* the names of group's events now defined, each with a trailing NUL and
 * an empty name last, in a malloc'ed buffer; NULL: *err says why */
static char *group_events(const char *group, int *err)
{
	char *path = tracefs_get_tracing_file("uprobe_events"), *line = NULL, *out = NULL;
	size_t glen = strlen(group), off = 0, cap = 0, lcap = 0;
	ssize_t n;
	FILE *f;

	*err = -ENOMEM;
	if (!path)
		return NULL;
	f = fopen(path, "re");
	tracefs_put_tracing_file(path);
	if (!f) {
		*err = errno == ENOENT ? 0 : -errno;	/* no uprobes in this kernel: none */
		return *err ? NULL : calloc(1, 1);
	}
	/* "p:GROUP/EVENT PATH:0xOFF ARGS" */
	while ((n = getline(&line, &lcap, f)) >= 0) {
		size_t len;
		char *e;

		if (n < 3 || line[1] != ':' || strncmp(line + 2, group, glen) || line[2 + glen] != '/')
			continue;
		e = line + 3 + glen;
		len = strcspn(e, " \t\n");
		if (off + len + 2 > cap) {
			char *v = realloc(out, cap = (off + len + 2) * 2);

			if (!v)
				goto out;
			out = v;
		}
		memcpy(out + off, e, len);
		out[off + len] = '\0';
		off += len + 1;
	}
	if (!out)
		out = malloc(1);
	if (out) {
		out[off] = '\0';
		*err = 0;
	}
out:
	if (*err) {
		free(out);
		out = NULL;
	}
	free(line);
	fclose(f);
	return out;
}

int ilp_uprobe_remove_group(const char *group)
{
	char cmd[256], *names, *e;
	int err, r;

	names = group_events(group, &err);
	if (!names)
		return err;
	for (e = names; *e; e += strlen(e) + 1) {
		snprintf(cmd, sizeof(cmd), "-:%s/%s\n", group, e);
		r = command(cmd);
		if (r && r != -ENOENT && !err)
			err = r;
	}
	free(names);
	return err;
}

int ilp_uprobe_remove_owned(const char *base)
{
	char group[ILP_UPROBE_GROUP_MAX];

	if (ilp_owner_name_kind(base) != ILP_OWNER_OURS)
		return 0;
	ilp_uprobe_group_of(base, group, sizeof(group));
	return ilp_uprobe_remove_group(group);
}
