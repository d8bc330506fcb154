// SPDX-License-Identifier: MIT
/*
 * Perfetto / chrome://tracing: Chrome trace-event JSON ("JSON Object
 * Format"):
 *
 *   { "displayTimeUnit": "ns",
 *     "otherData": { "tool", "version", "command", "calls_per_process",
 *                    "note", "disk_requests_per_device", "disk_note",
 *                    "sampling_note" (attach --continuous only) },
 *     "traceEvents": [ metadata..., complete events... ] }
 *
 * - "M" events: process_name (pid, name = comm) for every process shown,
 *   thread_name (pid, tid, name = comm) for every thread with a kept call.
 * - "X" events: the longest calls the model keeps per process (at most
 *   ILP_CALLS_TOP, see callsmodel.h; "otherData.calls_per_process" says
 *   the bound), ts/dur in microseconds with 3 decimals (exact ns), ts on
 *   CLOCK_MONOTONIC, args: ret, arg0, dur_ns, object.  cat "syscall", name
 *   = syscall name, plus the fd's object when known ("read file /x";
 *   what the fd was at the call);
 *   futex calls on an address the lock table knows are cat "lock", name
 *   "futex <lock name>" (lock waits per thread, with the lock's name).
 * - Disk requests: the slowest requests the model keeps per device (at
 *   most ILP_BLK_REQS_TOP, see waitmodel.h; "otherData.
 *   disk_requests_per_device" says the bound) on a synthetic process per
 *   device: pid ILP_PERFETTO_DISK_PID + 1000 * i (i: the device's index in
 *   the model's device order, by bytes desc), named "disk vda (254:0)"
 *   ("disk 254:0" when the device has no name).  Requests that overlap in
 *   time go to separate thread tracks (lanes: each request takes the first
 *   lane free at its start), tid = pid + 1 + lane, named "requests #N"
 *   (N = lane + 1).  One "X" event per request: cat "disk", name = the op
 *   ("read", "write", "flush", "discard", "other"), ts = issue (or queue,
 *   insert when the issue was not seen), dur = to the completion; args:
 *   bytes, sector, rw (rwbs), submitter ("dio (pid 12 tid 13)",
 *   "kworker/u8:1 (kernel thread)", "cat (not traced)"), submitter_pid and
 *   submitter_tid (0: not traced), queue_to_issue_ns (queue, else insert,
 *   to issue; null when either is unknown), dur_ns, error, and
 *   writeback_for_pid when a kernel thread wrote back a traced process's
 *   data.
 * - "i" events (thread scope, cat "disk", name "disk <op> queued") on the
 *   submitting thread's track at the request's queue (else insert, else
 *   start) time, for each kept request a shown traced process submitted;
 *   args: device, bytes, sector.
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

/* first synthetic pid of the disk tracks: above any Linux pid (PID_MAX_LIMIT 2^22) */
#define ILP_PERFETTO_DISK_PID 1000000000

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
		ilp_wait_object(m, p, ILP_WOBJ_FUTEX, c->arg0, NULL, 0, obj, osize);
		cat = "lock";
	} else if ((cls & ILP_SC_FD0) && c->fobj) {
		ilp_fdobj_format(c->fobj, obj, osize);
	}
	snprintf(name, size, "%s%s%s", ilp_syscall_name(c->nr), obj[0] ? " " : "", obj);
	return cat;
}

/*
 * Opens a complete ("X") event up to its args object: the caller writes the
 * args, then closes both objects.
 */
static void x_begin(struct ilp_jw *w, const char *cat, const char *name, int pid, int tid,
		    uint64_t start_ns, uint64_t dur_ns)
{
	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "ph", "X");
	ilp_jw_kstr(w, "cat", cat);
	ilp_jw_kstr(w, "name", name);
	ilp_jw_ki64(w, "pid", pid);
	ilp_jw_ki64(w, "tid", tid);
	ilp_jw_key(w, "ts");
	ilp_jw_ns_as_us(w, start_ns);
	ilp_jw_key(w, "dur");
	ilp_jw_ns_as_us(w, dur_ns);
	ilp_jw_key(w, "args");
	ilp_jw_obj_begin(w);
}

static void perfetto_calls(struct ilp_jw *w, const struct ilp_model *m, const struct ilp_proc *p)
{
	const struct ilp_calls *set = ilp_proc_top_calls(p);
	char name[640], obj[512];

	for (size_t i = 0; i < ilp_calls_count(set); i++) {
		const struct ilp_call *c = ilp_calls_get(set, i);
		const char *cat = call_name(m, p, c, name, sizeof(name), obj, sizeof(obj));

		x_begin(w, cat, name, ilp_proc_pid(p), c->tid, c->start_ts, c->dur_ns);
		ilp_jw_ki64(w, "ret", c->ret);
		ilp_jw_ku64(w, "arg0", c->arg0);
		ilp_jw_ku64(w, "dur_ns", c->dur_ns);
		ilp_jw_kstr(w, "object", obj);
		ilp_jw_obj_end(w);
		ilp_jw_obj_end(w);
	}
}

static const char *const blk_op_names[ILP_BLK_NOPS] = { "read", "write", "flush", "discard",
							"other" };

static const char *blk_op_name(int op)
{
	return op >= 0 && op < ILP_BLK_NOPS ? blk_op_names[op] : "other";
}

/* one kept request on the disk track (pid, tid) */
static void disk_req(struct ilp_jw *w, const struct ilp_blk_req *r, int pid, int tid)
{
	uint64_t from = r->queue_ts ? r->queue_ts : r->insert_ts;
	char who[80];

	if (r->pid)
		snprintf(who, sizeof(who), "%s (pid %d tid %d)", r->comm, r->pid, r->tid);
	else
		snprintf(who, sizeof(who), "%s (%s)", r->comm[0] ? r->comm : "?",
			 r->kernel ? "kernel thread" : "not traced");
	x_begin(w, "disk", blk_op_name(r->op), pid, tid, r->start_ts, r->dur_ns);
	ilp_jw_ku64(w, "bytes", r->bytes);
	ilp_jw_ku64(w, "sector", r->sector);
	ilp_jw_kstr(w, "rw", r->rwbs);
	ilp_jw_kstr(w, "submitter", who);
	ilp_jw_ki64(w, "submitter_pid", r->pid);
	ilp_jw_ki64(w, "submitter_tid", r->tid);
	ilp_jw_ku64_or_null(w, "queue_to_issue_ns", from && r->issue_ts && r->issue_ts >= from,
			    r->issue_ts - from);
	ilp_jw_ku64(w, "dur_ns", r->dur_ns);
	ilp_jw_ki64(w, "error", r->error);
	if (r->wb_pid)
		ilp_jw_ki64(w, "writeback_for_pid", r->wb_pid);
	ilp_jw_obj_end(w);
	ilp_jw_obj_end(w);
}

/* the request's mark on the submitting thread's track */
static void disk_queued(struct ilp_jw *w, const struct ilp_blk_req *r, const char *dev)
{
	uint64_t ts = r->queue_ts ? r->queue_ts : r->insert_ts ? r->insert_ts : r->start_ts;
	char name[32];

	snprintf(name, sizeof(name), "disk %s queued", blk_op_name(r->op));
	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "ph", "i");
	ilp_jw_kstr(w, "s", "t");
	ilp_jw_kstr(w, "cat", "disk");
	ilp_jw_kstr(w, "name", name);
	ilp_jw_ki64(w, "pid", r->pid);
	ilp_jw_ki64(w, "tid", r->tid);
	ilp_jw_key(w, "ts");
	ilp_jw_ns_as_us(w, ts);
	ilp_jw_key(w, "args");
	ilp_jw_obj_begin(w);
	ilp_jw_kstr(w, "device", dev);
	ilp_jw_ku64(w, "bytes", r->bytes);
	ilp_jw_ku64(w, "sector", r->sector);
	ilp_jw_obj_end(w);
	ilp_jw_obj_end(w);
}

/* device i's track: a process, one thread per lane, its kept requests */
static void perfetto_disk(struct ilp_jw *w, const struct ilp_model *m, size_t i)
{
	const struct ilp_blkdev *d = ilp_model_blkdev(m, i);
	size_t n = ilp_blkdev_nreqs(d), nlanes = 0, j, l;
	int pid = ILP_PERFETTO_DISK_PID + 1000 * (int)i;
	uint64_t lane_end[ILP_BLK_REQS_TOP];
	uint16_t lane[ILP_BLK_REQS_TOP];
	uint32_t dv = ilp_blkdev_dev(d);
	char name[96], dev[64];

	if (!n)
		return;
	/* requests come in start order: first lane whose last request ended */
	for (j = 0; j < n && j < ILP_BLK_REQS_TOP; j++) {
		const struct ilp_blk_req *r = ilp_blkdev_req(d, j);

		for (l = 0; l < nlanes && lane_end[l] > r->start_ts; l++)
			;
		if (l == nlanes)
			nlanes++;
		lane_end[l] = r->start_ts + r->dur_ns;
		lane[j] = (uint16_t)l;
	}
	if (ilp_blkdev_name(d))
		snprintf(name, sizeof(name), "disk %s (%u:%u)", ilp_blkdev_name(d), dv >> 20,
			 dv & 0xfffff);
	else
		snprintf(name, sizeof(name), "disk %u:%u", dv >> 20, dv & 0xfffff);
	meta(w, "process_name", pid, pid, name);
	for (l = 0; l < nlanes; l++) {
		snprintf(name, sizeof(name), "requests #%zu", l + 1);
		meta(w, "thread_name", pid, pid + 1 + (int)l, name);
	}
	for (j = 0; j < n && j < ILP_BLK_REQS_TOP; j++)
		disk_req(w, ilp_blkdev_req(d, j), pid, pid + 1 + lane[j]);
	ilp_wait_dev_name(m, dv, dev, sizeof(dev));
	for (j = 0; j < n && j < ILP_BLK_REQS_TOP; j++) {
		const struct ilp_blk_req *r = ilp_blkdev_req(d, j);
		const struct ilp_proc *p = r->pid ? ilp_model_find_proc(m, r->pid) : NULL;

		if (p && r->tid && ilp_report_proc_shown(m, p))
			disk_queued(w, r, dev);
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
	ilp_jw_ku64(&w, "disk_requests_per_device", ILP_BLK_REQS_TOP);
	ilp_jw_kstr(&w, "disk_note", "only the slowest requests of each device "
		    "(issue to complete) are shown");
	if (info->duty > 0) {	/* attach --continuous */
		char sn[160];

		snprintf(sn, sizeof(sn), "sampled: %g %% duty, %.3f s of %.3f s captured; "
			 "only the calls a capture saw whole are shown", info->duty * 100,
			 (double)info->captured_ns / 1e9, (double)ilp_report_span_ns(info) / 1e9);
		ilp_jw_kstr(&w, "sampling_note", sn);
	}
	ilp_jw_obj_end(&w);
	ilp_jw_key(&w, "traceEvents");
	ilp_jw_arr_begin(&w);
	for (i = 0; i < ilp_model_nprocs(m); i++)
		if (ilp_report_proc_shown(m, ilp_model_proc(m, i)))
			perfetto_meta(&w, ilp_model_proc(m, i));
	for (i = 0; i < ilp_model_nprocs(m); i++)
		if (ilp_report_proc_shown(m, ilp_model_proc(m, i)))
			perfetto_calls(&w, m, ilp_model_proc(m, i));
	for (i = 0; i < ilp_model_nblkdevs(m); i++)
		perfetto_disk(&w, m, i);
	ilp_jw_arr_end(&w);
	ilp_jw_obj_end(&w);
	return ilp_jw_finish(&w);
}
