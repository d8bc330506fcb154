// SPDX-License-Identifier: MIT
/*
 * The live status line: on a terminal, while a capture runs, one line on
 * stderr redrawn about twice a second (elapsed time, events, lost events,
 * the top wait so far) and cleared before any report is written, so the
 * report reads as if it had never been there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fmt.h"
#include "model.h"
#include "report.h"
#include "status.h"
#include "syscalls.h"


int ilp_status_wanted(enum ilp_status_when when)
{
	pid_t fg;

	if (when != ILP_STATUS_AUTO)
		return when == ILP_STATUS_ALWAYS;
	if (!isatty(STDERR_FILENO))
		return 0;
	/* a background job does not draw over the shell's line */
	fg = tcgetpgrp(STDERR_FILENO);
	return fg < 0 || fg == getpgrp();
}

static size_t width(void)
{
	struct winsize ws;

	if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 20)
		return ws.ws_col - 1;	/* the last column would wrap on some terminals */
	return 79;
}

int ilp_status_line(char *buf, size_t size, uint64_t elapsed_ns, uint64_t events,
		    uint64_t lost, const struct ilp_top_wait *top)
{
	char t[ILP_FMT_TIME_LEN], w[ILP_FMT_TIME_LEN];
	int n;

	ilp_fmt_time(t, sizeof(t), elapsed_ns);
	n = snprintf(buf, size, "iolockprof: %s, %llu events, %llu lost", t,
		     (unsigned long long)events, (unsigned long long)lost);
	if (top && n >= 0 && (size_t)n < size) {
		ilp_fmt_time(w, sizeof(w), top->ns);
		n += snprintf(buf + n, size - (size_t)n, "; top wait: %s %s %s (pid %d)",
			      top->comm && *top->comm ? top->comm : "?",
			      ilp_syscall_name(top->nr), w, top->pid);
	}
	if (n < 0)
		return -EIO;
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return 0;
}

void ilp_status_draw(struct ilp_status *st, const struct ilp_model *m, uint64_t now,
		     const struct ilp_report_info *info)
{
	struct ilp_top_wait top;
	char line[512];
	size_t cols;

	if (!st->on || now < st->next)
		return;
	st->next = now + ILP_STATUS_NS;
	if (ilp_status_line(line, sizeof(line), now > info->start_ts ? now - info->start_ts : 0,
			    info->events, info->lost,
			    ilp_model_top_wait(m, now, &top) ? NULL : &top))
		return;
	/* never wider than the terminal: a wrapped line cannot be cleared */
	cols = width();
	if (strlen(line) > cols)
		line[cols] = '\0';
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	st->shown = 1;
}

void ilp_status_clear(struct ilp_status *st)
{
	if (!st->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	st->shown = 0;
}
