// SPDX-License-Identifier: MIT
/*
 * Perfetto / chrome://tracing: Chrome trace-event JSON ("JSON Object
 * Format"):
 *
 *   { "displayTimeUnit": "ns",
 *     "otherData": { "tool", "version", "command", "calls_per_process" },
 *     "traceEvents": [ metadata..., complete events... ] }
 *
 * - "M" events: process_name (pid, name = comm) for every process shown,
 *   thread_name (pid, tid, name = comm) for every thread with a kept call.
 * - "X" events: the longest calls the model keeps per process (at most
 *   ILP_CALLS_TOP, see callsmodel.h; "otherData.calls_per_process" says
 *   the bound), ts/dur in microseconds with 3 decimals (exact ns), ts on
 *   CLOCK_MONOTONIC, args: ret, arg0, dur_ns, object.  cat "syscall", name
 *   = syscall name, plus the fd's object when known ("read file /x";
 *   the fd's object as the model knows it at the end of the capture);
 *   futex calls on an address the lock table knows are cat "lock", name
 *   "futex <lock name>" (lock waits per thread, with the lock's name).
 *   Disk requests are not on the timeline: the model keeps no individual
 *   block requests.
 *
 * Formatting only: every number comes from the model's accessors.
 */

#include <errno.h>
#include <stdio.h>

#include "callsmodel.h"
#include "fdmodel.h"
#include "json.h"
#include "model.h"
#include "report.h"
#include "report_wait.h"
#include "syscalls.h"
#include "waitmodel.h"

#ifndef ILP_VERSION
#error "build with -DILP_VERSION='\"x.y.z\"' (the Makefile does)"
#endif

static void meta(struct ilp_jw *w, const char *what, int pid, int tid, const char *name)
{
	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "ph", "M");
	ilp_jw_kstr(w, "name", what);
	ilp_jw_ki64(w, "pid", pid);
	ilp_jw_ki64(w, "tid", tid);
	ilp_jw_key(w, "args");
	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "name", name && *name ? name : "?");
	ilp_jw_obj_end(w);
	ilp_jw_obj_end(w);
}

/* thread t has a kept call in set */
static int has_call(const struct ilp_calls *set, int tid)
{
	for (size_t i = 0; i < ilp_calls_count(set); i++)
		if (ilp_calls_get(set, i)->tid == tid)
			return 1;
	return 0;
}

static void perfetto_meta(struct ilp_jw *w, const struct ilp_proc *p)
{
	const struct ilp_calls *set = ilp_proc_top_calls(p);

	meta(w, "process_name", ilp_proc_pid(p), ilp_proc_pid(p), ilp_proc_comm(p));
	for (size_t i = 0; i < ilp_proc_nthreads_seen(p); i++) {
		const struct ilp_thread *t = ilp_proc_thread(p, i);

		if (has_call(set, ilp_thread_tid(t)))
			meta(w, "thread_name", ilp_proc_pid(p), ilp_thread_tid(t),
			     ilp_thread_comm(t));
	}
}

/* the call's category and its name with the object; obj: the object alone or "" */
static const char *call_name(const struct ilp_model *m, const struct ilp_proc *p,
			     const struct ilp_call *c, char *name, size_t size, char *obj,
			     size_t osize)
{
	const struct ilp_wproc *wp = ilp_proc_wait(p);
	unsigned cls = ilp_syscall_class(c->nr);
	const char *cat = "syscall";

	obj[0] = '\0';
	if ((cls & ILP_SC_WAIT) && wp && ilp_wproc_find_ulock(wp, c->arg0)) {
		ilp_wait_object(m, p, ILP_WOBJ_FUTEX, c->arg0, 0, obj, osize);
		cat = "lock";
	} else if ((cls & ILP_SC_FD0) && ilp_fdproc_fd(ilp_proc_fds(p), (int)c->arg0)) {
		ilp_fdobj_format(ilp_fdproc_fd(ilp_proc_fds(p), (int)c->arg0), obj, osize);
	}
	snprintf(name, size, "%s%s%s", ilp_syscall_name(c->nr), obj[0] ? " " : "", obj);
	return cat;
}

static void perfetto_calls(struct ilp_jw *w, const struct ilp_model *m, const struct ilp_proc *p)
{
	const struct ilp_calls *set = ilp_proc_top_calls(p);
	char name[640], obj[512];

	for (size_t i = 0; i < ilp_calls_count(set); i++) {
		const struct ilp_call *c = ilp_calls_get(set, i);
		const char *cat = call_name(m, p, c, name, sizeof(name), obj, sizeof(obj));

		ilp_jw_obj_begin(w);
		ilp_jw_kstr(w, "ph", "X");
		ilp_jw_kstr(w, "cat", cat);
		ilp_jw_kstr(w, "name", name);
		ilp_jw_ki64(w, "pid", ilp_proc_pid(p));
		ilp_jw_ki64(w, "tid", c->tid);
		ilp_jw_key(w, "ts");
		ilp_jw_ns_as_us(w, c->start_ts);
		ilp_jw_key(w, "dur");
		ilp_jw_ns_as_us(w, c->dur_ns);
		ilp_jw_key(w, "args");
		ilp_jw_obj_begin(w);
		ilp_jw_ki64(w, "ret", c->ret);
		ilp_jw_ku64(w, "arg0", c->arg0);
		ilp_jw_ku64(w, "dur_ns", c->dur_ns);
		ilp_jw_kstr(w, "object", obj);
		ilp_jw_obj_end(w);
		ilp_jw_obj_end(w);
	}
}

int ilp_report_perfetto(FILE *out, const struct ilp_model *m,
			const struct ilp_report_info *info,
			const struct ilp_report_opts *opts)
{
	struct ilp_jw w;
	size_t i;

	(void)opts;
	ilp_jw_init(&w, out, 0);
	ilp_jw_obj_begin(&w);
	ilp_jw_kstr(&w, "displayTimeUnit", "ns");
	ilp_jw_key(&w, "otherData");
	ilp_jw_obj_begin(&w);
	ilp_jw_kstr(&w, "tool", "iolockprof");
	ilp_jw_kstr(&w, "version", ILP_VERSION);
	ilp_jw_kstr(&w, "command", info->command ? info->command : "");
	ilp_jw_ku64(&w, "calls_per_process", ilp_calls_cap(NULL));
	ilp_jw_kstr(&w, "note", "only the longest calls of each process are shown");
	ilp_jw_obj_end(&w);
	ilp_jw_key(&w, "traceEvents");
	ilp_jw_arr_begin(&w);
	for (i = 0; i < ilp_model_nprocs(m); i++)
		if (ilp_report_proc_shown(m, ilp_model_proc(m, i)))
			perfetto_meta(&w, ilp_model_proc(m, i));
	for (i = 0; i < ilp_model_nprocs(m); i++)
		if (ilp_report_proc_shown(m, ilp_model_proc(m, i)))
			perfetto_calls(&w, m, ilp_model_proc(m, i));
	ilp_jw_arr_end(&w);
	ilp_jw_obj_end(&w);
	return ilp_jw_finish(&w);
}
