// SPDX-License-Identifier: MIT
/* procfs: threads, names and pids from /proc; see include/procfs.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"

#define ILP_PID_MAX 4194304	/* PID_MAX_LIMIT on 64-bit */

/* a whole decimal number in 1..ILP_PID_MAX, else 0 */
static pid_t pid_of(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > ILP_PID_MAX)
		return 0;
	return (pid_t)v;
}

int ilp_procfs_parse_pid(const char *s, pid_t *out)
{
	pid_t p = pid_of(s);

	if (!p)
		return -EINVAL;
	*out = p;
	return 0;
}

int ilp_procfs_each_task(pid_t pid, int (*fn)(void *ctx, pid_t tid), void *ctx)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int err = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	while (!err && (de = readdir(d))) {
		pid_t tid = pid_of(de->d_name);	/* "." and ".." are not */

		if (tid)
			err = fn(ctx, tid);
	}
	closedir(d);
	return err;
}

int ilp_procfs_comm(pid_t tid, char *buf, size_t len)
{
	char path[64];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)tid);
	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	else
		err = -EIO;
	fclose(f);
	return err;
}

pid_t ilp_procfs_tgid(pid_t tid)
{
	char path[64], line[256];
	pid_t tgid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Tgid:", 5)) {
			line[strcspn(line, "\n")] = '\0';
			tgid = pid_of(line + 5 + strspn(line + 5, " \t"));
			break;
		}
	fclose(f);
	return tgid;
}
