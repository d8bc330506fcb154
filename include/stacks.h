/* SPDX-License-Identifier: MIT */
#ifndef ILP_STACKS_H
#define ILP_STACKS_H

/*
 * Call-site aggregation for --stacks (ptrace backend): completed syscalls
 * per (process, syscall, user call stack), with their count and time.
 * Pure C, no I/O: a source interns a stack of program counters at the
 * syscall's entry (and names its frames the first time the stack is seen),
 * then adds the call's latency at its exit.  Reporters read the sorted
 * view; the "call site" of a stack is the innermost frame of the program
 * itself: the first frame whose module is not a system library (under
 * /lib, /lib64, /usr/lib, /usr/lib64, or the vDSO), past libc's wrappers;
 * if there is none (the dynamic loader's own calls), the innermost frame
 * with source file:line, else frame 0.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vocab.h"		/* ILP_STACK_MAX: frames kept per stack */

struct ilp_stacks;

struct ilp_stack_frame {
	uint64_t pc;		/* exact pc of frame 0, return address - 1 for callers */
	const char *func;	/* NULL: unknown */
	const char *file;	/* NULL: no line info */
	int line;		/* 0: unknown */
	const char *module;	/* mapped file the pc is in ("/usr/lib/.../libc.so.6"); NULL: unknown */
};

struct ilp_stack {
	int pid;
	int nr;			/* syscall number */
	uint64_t calls;		/* completed calls made from this stack */
	uint64_t total_ns;
	uint64_t max_ns;
	size_t nframes;
	const struct ilp_stack_frame *frames;	/* [0] innermost */
	size_t site;		/* index of the call site frame (see above) */
};

struct ilp_stacks *ilp_stacks_new(void);	/* NULL on ENOMEM */
void ilp_stacks_free(struct ilp_stacks *s);	/* NULL is a no-op */

/*
 * The id of the stack (pid, nr, pcs[0..n)), created if new (then *is_new
 * is set: name its frames with ilp_stacks_name_frame).  n is capped at
 * ILP_STACK_MAX.  id >= 0, or -ENOMEM / -EINVAL (n == 0).
 */
int ilp_stacks_intern(struct ilp_stacks *s, int pid, int nr, const uint64_t *pcs,
		      size_t n, int *is_new);
/* Names frame i of stack id (strings are copied; NULL ok).  0 or -errno. */
int ilp_stacks_name_frame(struct ilp_stacks *s, int id, size_t i, const char *func,
			  const char *file, int line, const char *module);
/* A completed call of stack id that took ns. */
void ilp_stacks_add(struct ilp_stacks *s, int id, uint64_t ns);

/* Sorts by total time, descending (then pid, nr, id).  0 or -ENOMEM. */
int ilp_stacks_index(struct ilp_stacks *s);
/* After ilp_stacks_index: stacks with at least one completed call. */
size_t ilp_stacks_count(const struct ilp_stacks *s);
const struct ilp_stack *ilp_stacks_get(const struct ilp_stacks *s, size_t i);

/*
 * The stacks of process pid and syscall nr (nr < 0: any), in index order,
 * merged by call site (function, file, line): fills up to max sites, each
 * with calls/total/max summed; returns the number filled.  Frames point into
 * s.  The sites' nframes is 1 (the site frame only).
 */
size_t ilp_stacks_sites(const struct ilp_stacks *s, int pid, int nr,
			struct ilp_stack *out, size_t max);

/* "fetch_user (stacks.c:42)", "fetch_user", or "0x401234" into buf. */
void ilp_stack_frame_fmt(const struct ilp_stack_frame *f, char *buf, size_t len);

/*
 * Names the call site of each finding (src/detect/analyze_sites.c): for a finding
 * with a syscall (nr >= 0), the site of that syscall in its process that
 * makes most of its calls, with their share.  After ilp_stacks_index.
 */
struct ilp_findings;
void ilp_findings_set_sites(struct ilp_findings *fs, const struct ilp_stacks *s);

/*
 * Text report section "call sites" (src/report/report_sites.c): per process of m,
 * the top call sites by time inside the call.  After ilp_stacks_index.
 * 0 or -EIO.
 */
struct ilp_model;
int ilp_report_text_sites(FILE *out, const struct ilp_model *m, const struct ilp_stacks *s);

#endif
