// SPDX-License-Identifier: MIT
/* Syscall events with the kernel's copy of a path (include/userstr.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <tracefs.h>

#include "decode.h"
#include "resolve.h"
#include "syscalls.h"
#include "userstr.h"

#define USER_BUF_MAX "165"	/* the kernel caps syscall_user_buf_size there */

/* 1 if the event's format (in ti) has the copy; the format parsed into tep
 * when tep is given */
static int has_copy(struct tracefs_instance *ti, const char *event, struct tep_handle *tep)
{
	struct tep_handle *own = tep ? NULL : tep_alloc();
	struct tep_handle *t = tep ? tep : own;
	struct tep_event *ev;
	char *fmt;
	int size = 0, ok = 0;

	if (!t)
		return 0;
	fmt = tracefs_event_file_read(ti, "syscalls", event, "format", &size);
	if (fmt && size > 0 && !tep_parse_event(t, fmt, (unsigned long)size, "syscalls")) {
		ev = tep_find_event_by_name(t, "syscalls", event);
		ok = ilp_userstr_arg(ev, NULL, 0) >= 0;
	}
	free(fmt);
	tep_free(own);
	return ok;
}

static int wanted(const char *call, const int *nrs, size_t n)
{
	int nr = ilp_syscall_nr(call);
	size_t i;

	if (nr < 0)
		return 0;
	if (!n)
		return 1;
	for (i = 0; i < n; i++)
		if (nrs[i] == nr)
			return 1;
	return 0;
}

int ilp_userstr_enable(struct tracefs_instance *ti, const int *nrs, size_t n)
{
	const char *call;
	char event[64];
	size_t i;
	int on = 0;

	for (i = 0; (call = ilp_resolve_path_call(i)); i++) {
		snprintf(event, sizeof(event), "sys_enter_%s", call);
		if (!wanted(call, nrs, n) || !tracefs_event_file_exists(ti, "syscalls", event, "format") ||
		    !has_copy(ti, event, NULL))
			continue;
		if (!on && tracefs_file_exists(ti, "syscall_user_buf_size"))
			tracefs_instance_file_write(ti, "syscall_user_buf_size", USER_BUF_MAX);
		/* by its file: tracefs_event_enable() walks all of tracefs */
		if (tracefs_event_file_write(ti, "syscalls", event, "enable", "1") >= 0)
			on++;
	}
	return on;
}

int ilp_userstr_load(struct tracefs_instance *ti, struct tep_handle *tep, struct ilp_decoder *dec)
{
	const char *call;
	char event[64], *en;
	size_t i;
	int loaded = 0;

	for (i = 0; (call = ilp_resolve_path_call(i)); i++) {
		snprintf(event, sizeof(event), "sys_enter_%s", call);
		if (!tracefs_event_file_exists(ti, "syscalls", event, "enable"))
			continue;
		en = tracefs_event_file_read(ti, "syscalls", event, "enable", NULL);
		if (en && en[0] == '1' && has_copy(ti, event, tep))
			loaded++;
		free(en);
	}
	return loaded ? ilp_decoder_add_userstr(dec, tep) : 0;
}
