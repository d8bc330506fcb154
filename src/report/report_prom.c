// SPDX-License-Identifier: MIT
/*
 * --format prom: the Prometheus text exposition format (version 0.0.4), as
 * node_exporter's textfile collector and promtool read it.  Per process
 * and syscall: calls, errors and a latency histogram; per user and kernel
 * lock: a wait-time histogram; per block device: request and byte counters
 * by op and the issue-to-complete and queue-to-complete histograms; each
 * finding's saving; the capture's own facts.  Every family has its HELP
 * and TYPE lines once, before its samples; times are seconds.  Locks carry
 * their address and devices their major:minor, so no two series share a
 * label set.  Histogram
 * buckets are powers of two from 1 us to 2^26 us (67 s), counted from the
 * model's histograms (within their 1 % bucket error at a boundary).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "hist.h"
#include "model.h"
#include "report.h"
#include "report_wait.h"
#include "syscalls.h"
#include "waitmodel.h"

#define PROM_BUCKETS 27		/* le = 2^0 .. 2^26 us */
#define LABELS 768		/* one sample's label text */

/* v as a label value: backslash, double quote and newline escaped */
static void label_value(char *buf, size_t size, const char *v)
{
	size_t n = 0;

	for (; v && *v && n + 3 < size; v++) {
		if (*v == '\\' || *v == '"') {
			buf[n++] = '\\';
			buf[n++] = *v;
		} else if (*v == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else {
			buf[n++] = *v;
		}
	}
	buf[n] = '\0';
}

/* appends name="value" (escaped) to the label text in buf */
static void label(char *buf, size_t size, const char *name, const char *value)
{
	char v[LABELS / 2];
	size_t n = strlen(buf);

	label_value(v, sizeof(v), value);
	snprintf(buf + n, size - n, "%s%s=\"%s\"", n ? "," : "", name, v);
}

static void label_int(char *buf, size_t size, const char *name, long long value)
{
	char v[24];

	snprintf(v, sizeof(v), "%lld", value);
	label(buf, size, name, v);
}

/* two locks may share a name (a symbol, a call site): the address makes
 * each series its own */
static void label_hex(char *buf, size_t size, const char *name, uint64_t value)
{
	char v[24];

	snprintf(v, sizeof(v), "0x%" PRIx64, value);
	label(buf, size, name, v);
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample_u64(FILE *out, const char *name, const char *labels, uint64_t v)
{
	fprintf(out, "%s{%s} %" PRIu64 "\n", name, labels, v);
}

static void sample_s(FILE *out, const char *name, const char *labels, uint64_t ns)
{
	fprintf(out, "%s{%s} %.9f\n", name, labels, (double)ns / 1e9);
}

/* one histogram's bucket, sum and count samples (the family's TYPE was
 * written); h NULL or empty: all buckets 0 */
static void histogram(FILE *out, const char *name, const char *labels, const struct ilp_hist *h)
{
	uint64_t slots[65] = { 0 }, cum = 0;
	const char *sep = *labels ? "," : "";
	int n = h ? ilp_hist_log2_unit(h, 1000, slots) : 0;

	/* slot i counts 2^(i-1) <= v/1us < 2^i: values below 2^i us are the
	 * slots up to i */
	for (int i = 0; i < PROM_BUCKETS; i++) {
		cum += i < n ? slots[i] : 0;
		fprintf(out, "%s_bucket{%s%sle=\"%.6f\"} %" PRIu64 "\n", name, labels, sep,
			(double)(1ull << i) / 1e6, cum);
	}
	fprintf(out, "%s_bucket{%s%sle=\"+Inf\"} %" PRIu64 "\n", name, labels, sep,
		h ? ilp_hist_count(h) : 0);
	fprintf(out, "%s_sum{%s} %.9f\n", name, labels, h ? (double)ilp_hist_sum(h) / 1e9 : 0.0);
	fprintf(out, "%s_count{%s} %" PRIu64 "\n", name, labels, h ? ilp_hist_count(h) : 0);
}

static void proc_labels(char *buf, size_t size, const struct ilp_proc *p)
{
	buf[0] = '\0';
	label_int(buf, size, "pid", ilp_proc_pid(p));
	label(buf, size, "comm", ilp_proc_comm(p));
}

static void syscalls(FILE *out, const struct ilp_model *m)
{
	static const struct {
		const char *name, *type, *help;
	} fams[] = {
		{ "iolockprof_syscall_calls_total", "counter",
		  "System calls completed (enter and exit both seen)." },
		{ "iolockprof_syscall_errors_total", "counter",
		  "System calls completed with an error return (-4095 to -1)." },
		{ "iolockprof_syscall_in_progress", "gauge",
		  "System calls entered and not yet returned when the report was made." },
		{ "iolockprof_syscall_duration_seconds", "histogram",
		  "Wall-clock time from syscall enter to exit, completed calls." },
	};
	char lb[LABELS];

	for (size_t f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		family(out, fams[f].name, fams[f].type, fams[f].help);
		for (size_t i = 0; i < ilp_model_nprocs(m); i++) {
			const struct ilp_proc *p = ilp_model_proc(m, i);

			if (!ilp_report_proc_shown(m, p))
				continue;
			for (size_t k = 0; k < ilp_proc_nsyscalls(p); k++) {
				const struct ilp_sc_stats *sc = ilp_proc_syscall(p, k);

				proc_labels(lb, sizeof(lb), p);
				label(lb, sizeof(lb), "syscall", ilp_syscall_name(sc->nr));
				if (f == 0)
					sample_u64(out, fams[f].name, lb, sc->calls);
				else if (f == 1)
					sample_u64(out, fams[f].name, lb, sc->errors);
				else if (f == 2)
					sample_u64(out, fams[f].name, lb, sc->unfinished);
				else
					histogram(out, fams[f].name, lb, sc->hist);
			}
		}
	}
}

static void locks(FILE *out, const struct ilp_model *m)
{
	char lb[LABELS], name[256];

	family(out, "iolockprof_user_lock_wait_seconds", "histogram",
	       "Time threads slept on a contended user lock (futex wait, timeouts included).");
	for (size_t i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);
		const struct ilp_wproc *wp = ilp_proc_wait(p);

		if (!wp || !ilp_report_proc_shown(m, p))
			continue;
		for (size_t k = 0; k < ilp_wproc_nulocks(wp); k++) {
			const struct ilp_ulock *l = ilp_wproc_ulock(wp, k);

			proc_labels(lb, sizeof(lb), p);
			label(lb, sizeof(lb), "lock", ilp_wait_ulock_name(wp, l->uaddr, name,
								       sizeof(name)));
			label_hex(lb, sizeof(lb), "address", l->uaddr);
			histogram(out, "iolockprof_user_lock_wait_seconds", lb, l->hist);
		}
	}
	family(out, "iolockprof_kernel_lock_wait_seconds", "histogram",
	       "Time threads waited on a contended kernel lock (lock:contention_begin/end).");
	for (size_t i = 0; i < ilp_model_nprocs(m); i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);
		const struct ilp_wproc *wp = ilp_proc_wait(p);

		if (!wp || !ilp_report_proc_shown(m, p))
			continue;
		for (size_t k = 0; k < ilp_wproc_nklocks(wp); k++) {
			const struct ilp_klock *l = ilp_wproc_klock(wp, k);

			snprintf(name, sizeof(name), "0x%" PRIx64, l->addr);
			proc_labels(lb, sizeof(lb), p);
			label(lb, sizeof(lb), "lock", l->name ? l->name : name);
			label_hex(lb, sizeof(lb), "address", l->addr);
			label(lb, sizeof(lb), "type", ilp_klock_type(l->flags));
			histogram(out, "iolockprof_kernel_lock_wait_seconds", lb, l->hist);
		}
	}
}

static void disks(FILE *out, const struct ilp_model *m)
{
	static const char *const ops[ILP_BLK_NOPS] = { "read", "write", "flush", "discard", "other" };
	char lb[LABELS], name[32];

	for (int f = 0; f < 4; f++) {
		static const char *const names[] = {
			"iolockprof_disk_requests_total", "iolockprof_disk_bytes_total",
			"iolockprof_disk_issue_to_complete_seconds",
			"iolockprof_disk_queue_to_complete_seconds",
		};
		static const char *const helps[] = {
			"Block requests completed, by op.",
			"Bytes of the block requests completed, by op.",
			"Device time of a block request: issued to the driver -> complete.",
			"Block request time from queued (bio) or inserted -> complete.",
		};

		family(out, names[f], f < 2 ? "counter" : "histogram", helps[f]);
		for (size_t i = 0; i < ilp_model_nblkdevs(m); i++) {
			const struct ilp_blkdev *d = ilp_model_blkdev(m, i);
			const struct ilp_blk_stats *s = ilp_blkdev_stats(d);

			uint32_t dv = ilp_blkdev_dev(d);

			lb[0] = '\0';
			label(lb, sizeof(lb), "device", ilp_wait_dev_name(m, dv, name, sizeof(name)));
			snprintf(name, sizeof(name), "%u:%u", dv >> 20, dv & 0xfffff);
			label(lb, sizeof(lb), "dev", name);
			if (f >= 2) {
				histogram(out, names[f], lb, f == 2 ? s->d2c : s->q2c);
				continue;
			}
			for (int o = 0; o < ILP_BLK_NOPS; o++) {
				char lo[LABELS];

				memcpy(lo, lb, sizeof(lo));
				label(lo, sizeof(lo), "op", ops[o]);
				sample_u64(out, names[f], lo, f == 0 ? s->ops[o] : s->op_bytes[o]);
			}
		}
	}
}

static void findings(FILE *out, const struct ilp_report_info *info)
{
	char lb[LABELS];

	if (!info->ndetectors)
		return;
	family(out, "iolockprof_finding_saving_seconds", "gauge",
	       "Wall time the fix of a finding would save (docs/detectors.md); savings add up.");
	for (size_t i = 0; i < info->nfindings; i++) {
		const struct ilp_finding *f = &info->findings[i];

		lb[0] = '\0';
		label_int(lb, sizeof(lb), "pid", f->pid);
		label(lb, sizeof(lb), "comm", f->comm);
		label(lb, sizeof(lb), "detector", f->kind);
		label(lb, sizeof(lb), "object", f->object);
		label_int(lb, sizeof(lb), "rank", (long long)i + 1);
		sample_s(out, "iolockprof_finding_saving_seconds", lb, f->saving_ns);
	}
}

int ilp_report_prom(FILE *out, const struct ilp_model *m, const struct ilp_report_info *info,
		    const struct ilp_report_opts *opts)
{
	uint64_t wall = info->end_ts > info->start_ts ? info->end_ts - info->start_ts : 0;
	char lb[LABELS] = "";

	(void)opts;
	family(out, "iolockprof_info", "gauge",
	       "The profiler and the capture: version, backend, command; always 1.");
	label(lb, sizeof(lb), "version", ILP_VERSION);
	label(lb, sizeof(lb), "backend", info->backend ? info->backend : "");
	label(lb, sizeof(lb), "command", info->command ? info->command : "");
	label(lb, sizeof(lb), "interim", info->interim ? "true" : "false");
	sample_u64(out, "iolockprof_info", lb, 1);
	family(out, "iolockprof_capture_duration_seconds", "gauge",
	       "Wall time the capture has covered.");
	fprintf(out, "iolockprof_capture_duration_seconds %.9f\n", (double)wall / 1e9);
	family(out, "iolockprof_events_total", "counter", "Trace events decoded.");
	fprintf(out, "iolockprof_events_total %" PRIu64 "\n", info->events);
	family(out, "iolockprof_lost_events_total", "counter",
	       "Trace events the kernel's ring buffer lost (0: the counts are exact).");
	fprintf(out, "iolockprof_lost_events_total %" PRIu64 "\n", info->lost);
	if (info->duty > 0) {	/* attach --continuous */
		family(out, "iolockprof_sampling_duty_ratio", "gauge",
		       "The share of each duty period captured (--continuous --duty): every "
		       "count covers only the captured time.");
		fprintf(out, "iolockprof_sampling_duty_ratio %.3f\n", info->duty);
		family(out, "iolockprof_sampling_captured_seconds_total", "counter",
		       "Time the events were on (captured), of capture_duration_seconds.");
		fprintf(out, "iolockprof_sampling_captured_seconds_total %.9f\n",
			(double)info->captured_ns / 1e9);
	}
	syscalls(out, m);
	locks(out, m);
	disks(out, m);
	findings(out, info);
	if (fflush(out) || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}
