// SPDX-License-Identifier: MIT
/*
 * --format pprof: the wait stacks as a gzipped profile.proto, the format of
 * github.com/google/pprof (proto/profile.proto), which `go tool pprof`,
 * Pyroscope, Parca and Grafana read.
 *
 *   sample_type          wait/nanoseconds (the default), calls/count,
 *                        kernel_lock_wait/nanoseconds, kernel_lock_waits/count
 *   sample               one per stack of include/fold.h (ilp_fold_proc with
 *                        threads and kernel locks), the leaf first:
 *                          object, syscall, thread, process
 *                          syscall, call sites innermost first, process (--stacks)
 *                          klock:NAME (TYPE), process
 *                        values: a syscall stack [ns, calls, 0, 0], a kernel
 *                        lock [0, 0, ns, waits] (that time is inside some
 *                        syscall's already: apart, nothing is counted twice)
 *   label                pid, tid (numbers); syscall, object, lock (strings),
 *                        where the stack has them
 *   location, function   one each per distinct frame; a call-site frame has
 *                        its function, file, line and pc (stacks.h)
 *   time_nanos           the capture's (or the interval's) start, wall clock,
 *                        when known (not for report -i: trace files do not
 *                        carry it); duration_nanos its span
 *   period_type, period  wait/nanoseconds, 1 (every call is counted: no sampling)
 *   comment              iolockprof's version and the capture's facts (attach
 *                        --continuous: "sampled: ..." with the duty)
 *
 * Processes in report order (ilp_report_proc_shown).  Formatting only.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "fold.h"
#include "model.h"
#include "pbuf.h"
#include "report.h"
#include "stacks.h"
#include "syscalls.h"

#ifndef ILP_VERSION
#error "build with -DILP_VERSION='\"x.y.z\"' (the Makefile does)"
#endif

/* profile.proto's field numbers */
enum {
	PROFILE_SAMPLE_TYPE = 1, PROFILE_SAMPLE = 2, PROFILE_LOCATION = 4, PROFILE_FUNCTION = 5,
	PROFILE_STRING_TABLE = 6, PROFILE_TIME_NANOS = 9, PROFILE_DURATION_NANOS = 10,
	PROFILE_PERIOD_TYPE = 11, PROFILE_PERIOD = 12, PROFILE_COMMENT = 13,
	PROFILE_DEFAULT_SAMPLE_TYPE = 14,
	VALUETYPE_TYPE = 1, VALUETYPE_UNIT = 2,
	SAMPLE_LOCATION_ID = 1, SAMPLE_VALUE = 2, SAMPLE_LABEL = 3,
	LABEL_KEY = 1, LABEL_STR = 2, LABEL_NUM = 3,
	LOCATION_ID = 1, LOCATION_ADDRESS = 3, LOCATION_LINE = 4,
	LINE_FUNCTION_ID = 1, LINE_LINE = 2,
	FUNCTION_ID = 1, FUNCTION_NAME = 2, FUNCTION_SYSTEM_NAME = 3, FUNCTION_FILENAME = 4,
};

/* the sample types, in the order of each sample's values */
static const char *const types[][2] = {
	{ "wait", "nanoseconds" }, { "calls", "count" },
	{ "kernel_lock_wait", "nanoseconds" }, { "kernel_lock_waits", "count" },
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

/* the frame kinds (fold.h), in the functions' system names */
static const char *const kinds[ILP_FRAME_NKINDS] = {
	[ILP_FRAME_PROC] = "process", [ILP_FRAME_THREAD] = "thread", [ILP_FRAME_SITE] = "site",
	[ILP_FRAME_SYSCALL] = "syscall", [ILP_FRAME_OBJECT] = "object",
	[ILP_FRAME_KLOCK] = "klock",
};

struct pprof {
	struct ilp_pb out;		/* the profile, but for the parts below */
	struct ilp_pb locs, funcs;	/* its locations and functions, in id order */
	struct ilp_pb_strtab str;	/* its string table */
	struct ilp_pb_strtab frames;	/* a key per distinct frame: its id is the index */
	int err;
};

static int64_t str(struct pprof *pp, const char *s)
{
	int64_t id = ilp_pb_strtab_id(&pp->str, s, NULL);

	if (id < 0) {
		pp->err = (int)id;
		return 0;
	}
	return id;
}

/* the location (and function) of frame i of a stack: its id, 0 on ENOMEM */
static uint64_t location(struct pprof *pp, const struct ilp_fold_stack *s, size_t i)
{
	const struct ilp_stack_frame *sf = s->sites ? s->sites[i] : NULL;
	const char *name = s->frames[i].name, *file = "";
	char key[ILP_FRAME_NAME + 4200];	/* kind, name, file (up to PATH_MAX), line */
	struct ilp_pb fn = { 0 }, loc = { 0 }, line = { 0 };
	int64_t id, line_no = 0;
	int is_new;

	if (sf && sf->func)
		name = sf->func;
	if (sf) {
		file = sf->file ? sf->file : "";
		line_no = sf->line;
	}
	snprintf(key, sizeof(key), "%d\x1f%s\x1f%s\x1f%" PRId64, s->frames[i].kind, name, file,
		 line_no);
	id = ilp_pb_strtab_id(&pp->frames, key, &is_new);
	if (id <= 0) {
		pp->err = id < 0 ? (int)id : -EINVAL;
		return 0;
	}
	if (!is_new)
		return (uint64_t)id;
	ilp_pb_uint(&fn, FUNCTION_ID, (uint64_t)id);
	ilp_pb_uint(&fn, FUNCTION_NAME, (uint64_t)str(pp, name));
	/* the kind in the system name: a thread named as its process stays
	 * another function (pprof merges functions of equal names) */
	snprintf(key, sizeof(key), "%s:%s", kinds[s->frames[i].kind], name);
	ilp_pb_uint(&fn, FUNCTION_SYSTEM_NAME, (uint64_t)str(pp, key));
	ilp_pb_uint(&fn, FUNCTION_FILENAME, (uint64_t)str(pp, file));
	ilp_pb_msg(&pp->funcs, PROFILE_FUNCTION, &fn);
	ilp_pb_uint(&line, LINE_FUNCTION_ID, (uint64_t)id);
	ilp_pb_uint(&line, LINE_LINE, (uint64_t)line_no);
	ilp_pb_uint(&loc, LOCATION_ID, (uint64_t)id);
	ilp_pb_uint(&loc, LOCATION_ADDRESS, sf ? sf->pc : 0);
	ilp_pb_msg(&loc, LOCATION_LINE, &line);
	ilp_pb_msg(&pp->locs, PROFILE_LOCATION, &loc);
	ilp_pb_release(&fn);
	ilp_pb_release(&line);
	ilp_pb_release(&loc);
	return (uint64_t)id;
}

static void label(struct pprof *pp, struct ilp_pb *sample, const char *key, const char *sval,
		  int64_t num)
{
	struct ilp_pb l = { 0 };

	ilp_pb_uint(&l, LABEL_KEY, (uint64_t)str(pp, key));
	if (sval)
		ilp_pb_uint(&l, LABEL_STR, (uint64_t)str(pp, sval));
	else
		ilp_pb_uint(&l, LABEL_NUM, (uint64_t)num);
	ilp_pb_msg(sample, SAMPLE_LABEL, &l);
	ilp_pb_release(&l);
}

static int add_sample(void *ctx, const struct ilp_fold_stack *s)
{
	struct pprof *pp = ctx;
	const struct ilp_frame *leaf = &s->frames[s->n - 1];
	int klock = leaf->kind == ILP_FRAME_KLOCK;
	uint64_t ids[ILP_FOLD_DEPTH], v[NTYPES] = { 0 };
	struct ilp_pb sample = { 0 };

	for (size_t i = 0; i < s->n; i++)
		ids[i] = location(pp, s, s->n - 1 - i);
	v[klock ? 2 : 0] = s->ns;
	v[klock ? 3 : 1] = s->calls;
	ilp_pb_packed(&sample, SAMPLE_LOCATION_ID, ids, s->n);
	ilp_pb_packed(&sample, SAMPLE_VALUE, v, NTYPES);
	label(pp, &sample, "pid", NULL, s->pid);
	if (s->tid)
		label(pp, &sample, "tid", NULL, s->tid);
	if (s->nr >= 0)
		label(pp, &sample, "syscall", ilp_syscall_name(s->nr), 0);
	if (leaf->kind == ILP_FRAME_OBJECT)
		label(pp, &sample, "object", leaf->name, 0);
	if (s->lock)
		label(pp, &sample, "lock", s->lock, 0);
	ilp_pb_msg(&pp->out, PROFILE_SAMPLE, &sample);
	ilp_pb_release(&sample);
	return pp->err;
}

static void value_type(struct pprof *pp, unsigned field, const char *type, const char *unit)
{
	struct ilp_pb vt = { 0 };

	ilp_pb_uint(&vt, VALUETYPE_TYPE, (uint64_t)str(pp, type));
	ilp_pb_uint(&vt, VALUETYPE_UNIT, (uint64_t)str(pp, unit));
	ilp_pb_msg(&pp->out, field, &vt);
	ilp_pb_release(&vt);
}

static void comment(struct pprof *pp, const char *s)
{
	ilp_pb_uint(&pp->out, PROFILE_COMMENT, (uint64_t)str(pp, s));
}

/* the capture's facts, one comment each */
static void comments(struct pprof *pp, const struct ilp_report_info *info)
{
	char buf[ILP_FRAME_NAME + 64], span[ILP_REPORT_INTERIM_LEN];

	comment(pp, "iolockprof " ILP_VERSION);
	snprintf(buf, sizeof(buf), "command: %s", info->command ? info->command : "");
	comment(pp, buf);
	snprintf(buf, sizeof(buf), "backend: %s", info->backend ? info->backend : "?");
	comment(pp, buf);
	snprintf(buf, sizeof(buf), "events: %" PRIu64 ", lost: %" PRIu64 "%s", info->events,
		 info->lost, info->lost ? " (counts are lower bounds)" : "");
	comment(pp, buf);
	if (info->exit_status >= 0) {
		snprintf(buf, sizeof(buf), "exit status: %d", info->exit_status);
		comment(pp, buf);
	}
	if (info->interim || info->window_ts) {
		ilp_report_interim_str(info, span, sizeof(span));
		comment(pp, span);
	}
	if (info->duty > 0) {	/* attach --continuous */
		snprintf(buf, sizeof(buf), "sampled: %g %% duty, %.3f s of %.3f s captured; "
			 "only the calls a capture saw whole are counted", info->duty * 100,
			 (double)info->captured_ns / 1e9, (double)ilp_report_span_ns(info) / 1e9);
		comment(pp, buf);
	}
	if (info->note)
		comment(pp, info->note);
}

/* the whole profile, uncompressed, in pp->out */
static void encode(struct pprof *pp, const struct ilp_model *m,
		   const struct ilp_report_info *info)
{
	const struct ilp_stacks *st = info->window_ts ? NULL : info->stacks;
	uint64_t span = ilp_report_span_ns(info);
	uint64_t t0 = info->window_ts ? info->window_ts : info->start_ts;

	for (size_t i = 0; i < NTYPES; i++)
		value_type(pp, PROFILE_SAMPLE_TYPE, types[i][0], types[i][1]);
	for (size_t i = 0; i < ilp_model_nprocs(m) && !pp->err; i++) {
		const struct ilp_proc *p = ilp_model_proc(m, i);

		if (ilp_report_proc_shown(m, p))
			pp->err = ilp_fold_proc(m, p, st, ILP_FOLD_THREADS | ILP_FOLD_KLOCKS,
						add_sample, pp);
	}
	value_type(pp, PROFILE_PERIOD_TYPE, types[0][0], types[0][1]);
	ilp_pb_uint(&pp->out, PROFILE_PERIOD, 1);
	comments(pp, info);
	ilp_pb_uint(&pp->out, PROFILE_DEFAULT_SAMPLE_TYPE, (uint64_t)str(pp, types[0][0]));
	if (info->start_wall_ns)
		ilp_pb_uint(&pp->out, PROFILE_TIME_NANOS,
			    info->start_wall_ns + (t0 > info->start_ts ? t0 - info->start_ts : 0));
	ilp_pb_uint(&pp->out, PROFILE_DURATION_NANOS, span);
	/* the parts kept apart, then the string table, now whole */
	ilp_pb_append(&pp->out, &pp->locs);
	ilp_pb_append(&pp->out, &pp->funcs);
	for (size_t i = 0; i < pp->str.n; i++)
		ilp_pb_bytes(&pp->out, PROFILE_STRING_TABLE, pp->str.s[i], strlen(pp->str.s[i]));
	if (!pp->err)
		pp->err = pp->out.err;
}

/* the bytes, gzipped (RFC 1952, what pprof and the servers read), to out */
static int gzip_write(FILE *out, const uint8_t *data, size_t len)
{
	unsigned char buf[16384];
	z_stream z = { 0 };
	int zr, err = 0;

	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	z.next_in = (unsigned char *)(uintptr_t)data;
	do {
		size_t chunk = len > (1u << 30) ? (1u << 30) : len;

		z.avail_in = (uInt)chunk;
		len -= chunk;
		do {
			z.next_out = buf;
			z.avail_out = sizeof(buf);
			zr = deflate(&z, len ? Z_NO_FLUSH : Z_FINISH);
			if (zr == Z_STREAM_ERROR) {
				err = -EIO;
				break;
			}
			if (fwrite(buf, 1, sizeof(buf) - z.avail_out, out) !=
			    sizeof(buf) - z.avail_out)
				err = -EIO;
		} while (!err && z.avail_out == 0);
	} while (!err && len);
	deflateEnd(&z);
	return err;
}

int ilp_report_pprof(FILE *out, const struct ilp_model *m, const struct ilp_report_info *info,
		     const struct ilp_report_opts *opts)
{
	struct pprof pp = { 0 };
	int err;

	(void)opts;
	encode(&pp, m, info);
	err = pp.err;
	if (!err)
		err = gzip_write(out, pp.out.buf, pp.out.len);
	ilp_pb_release(&pp.out);
	ilp_pb_release(&pp.locs);
	ilp_pb_release(&pp.funcs);
	ilp_pb_strtab_release(&pp.str);
	ilp_pb_strtab_release(&pp.frames);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	return err;
}
