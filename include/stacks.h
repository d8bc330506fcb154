/* SPDX-License-Identifier: MIT */
#ifndef ILP_STACKS_H
#define ILP_STACKS_H

/*
 * Call-site aggregation for --stacks: completed syscalls
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

/**
 * ilp_stacks_new - makes an empty stack table
 *
 * Returns the table, to free with ilp_stacks_free(), or NULL on ENOMEM.
 */
struct ilp_stacks *ilp_stacks_new(void);

/**
 * ilp_stacks_free - frees s, its stacks and their frame names
 * @s: the table; NULL is a no-op
 */
void ilp_stacks_free(struct ilp_stacks *s);

/**
 * ilp_stacks_intern - the id of a stack, created if new
 * @s: the table
 * @pid: the process
 * @nr: the syscall number
 * @pcs: the program counters, innermost first (copied)
 * @n: entries at pcs, > 0; only the first ILP_STACK_MAX are kept
 * @is_new: set to 1 when the stack was created (name its frames with
 *	ilp_stacks_name_frame()), else 0
 *
 * Pointers from ilp_stacks_get() and ilp_stacks_sites() are invalid after
 * it: call ilp_stacks_index() again.
 *
 * Returns the id (>= 0), -EINVAL (n == 0), or -ENOMEM.
 */
int ilp_stacks_intern(struct ilp_stacks *s, int pid, int nr, const uint64_t *pcs,
		      size_t n, int *is_new);

/**
 * ilp_stacks_name_frame - names a frame of a stack
 * @s: the table
 * @id: the stack, from ilp_stacks_intern()
 * @i: the frame, 0 innermost
 * @func: its function (copied; NULL: unknown)
 * @file: its source file (copied; NULL: no line info)
 * @line: its source line (0: unknown)
 * @module: the mapped file the pc is in (copied; NULL: unknown)
 *
 * Replaces an earlier name of the frame and picks the stack's call site
 * again (see above).
 *
 * Returns 0, -EINVAL (no such stack or frame), or -ENOMEM (a copy failed:
 * that string is NULL).
 */
int ilp_stacks_name_frame(struct ilp_stacks *s, int id, size_t i, const char *func,
			  const char *file, int line, const char *module);

/**
 * ilp_stacks_add - counts a completed call of a stack
 * @s: the table
 * @id: the stack, from ilp_stacks_intern(); an unknown id is ignored
 * @ns: how long the call took
 */
void ilp_stacks_add(struct ilp_stacks *s, int id, uint64_t ns);

/**
 * ilp_stacks_index - sorts the stacks for reading
 * @s: the table
 *
 * The stacks with at least one completed call, by total time, descending
 * (then calls, descending; then pid, nr, and the order they were
 * interned).  Needed before ilp_stacks_count(), ilp_stacks_get(),
 * ilp_stacks_sites(), and again after ilp_stacks_intern().
 *
 * Returns 0, or -ENOMEM (the previous index stays).
 */
int ilp_stacks_index(struct ilp_stacks *s);

/**
 * ilp_stacks_count - how many stacks the index holds
 * @s: the table, indexed; NULL is allowed
 *
 * Returns the number of stacks with at least one completed call at the
 * last ilp_stacks_index(); 0 for NULL.
 */
size_t ilp_stacks_count(const struct ilp_stacks *s);

/**
 * ilp_stacks_get - the i-th stack of the index
 * @s: the table, indexed
 * @i: which, < ilp_stacks_count()
 *
 * Returns the stack, owned by s (its frames too), valid until the next
 * ilp_stacks_intern() or ilp_stacks_free(); NULL when i is out of range.
 */
const struct ilp_stack *ilp_stacks_get(const struct ilp_stacks *s, size_t i);

/**
 * ilp_stacks_sites - the call sites of a process and syscall
 * @s: the table, indexed; NULL is allowed
 * @pid: the process
 * @nr: the syscall; < 0: any
 * @out: the caller's array, filled with up to max sites: the stacks
 *	merged by call site (function, file, line) and syscall, with calls,
 *	total and max summed, by total time descending; each has nframes 1
 *	(the site frame only), pointing into s
 * @max: entries at out
 *
 * Every site is merged before the first max are kept (out of memory: the
 * sites of the first max stacks only).
 *
 * Returns the number filled.
 */
size_t ilp_stacks_sites(const struct ilp_stacks *s, int pid, int nr,
			struct ilp_stack *out, size_t max);

/**
 * ilp_stacks_set_fp_walks - notes that the stacks are frame-pointer walks
 * @s: the table
 *
 * The ftrace backend's stacks are the kernel's walks of the frame-pointer
 * chain (options/userstacktrace): a program built without frame pointers
 * gives stacks with none of its frames.  ilp_stacks_no_fp() tells.
 */
void ilp_stacks_set_fp_walks(struct ilp_stacks *s);

/**
 * ilp_stacks_no_fp - tells whether a process's stacks miss its frames
 * @s: the table, indexed; NULL is allowed
 * @pid: the process
 * @without: set to the calls counted whose stack has no frame of the
 *	program; may be NULL
 * @of: set to the calls counted; may be NULL
 *
 * Only for frame-pointer walks (ilp_stacks_set_fp_walks()).  The calls
 * counted are the process's completed calls whose frame 0 is named and
 * not in the dynamic loader (its own start-up calls, and a frame 0 of
 * the image before an exec, say nothing of the program).  A frame of the
 * program is a frame with a function, in a module that is not a system
 * library (see the call site above).  A walk through code built without
 * frame pointers stops at once or wanders off into addresses of no
 * function, so such stacks have none.
 *
 * Returns 1 when more than half of the calls counted have a stack without
 * a frame of the program (the program, or most of what it runs, has no
 * frame pointers), else 0.
 */
int ilp_stacks_no_fp(const struct ilp_stacks *s, int pid, uint64_t *without, uint64_t *of);

/**
 * ilp_stack_frame_fmt - a frame for people
 * @f: the frame
 * @buf: the caller's buffer, set to "fetch_user (stacks.c:42)" (the
 *	file's base name), "fetch_user", "0x401234 (stacks.c:42)" or
 *	"0x401234", cut to fit
 * @len: bytes at buf
 */
void ilp_stack_frame_fmt(const struct ilp_stack_frame *f, char *buf, size_t len);

/* what a text report adds after a frame of no function, file or module
 * (ilp_stack_frame_unnamed): the address is not a name, and says why */
#define ILP_FRAME_UNNAMED_WHY \
	" (not named: in no file its process had mapped when its maps were read," \
	" or the process had exited by then)"

/**
 * ilp_stack_frame_unnamed - whether a frame is a bare address
 * @f: the frame
 *
 * Returns 1 when the frame has no function, no source file and no module
 * (the symbolizer found no mapping for it: a process that exited before
 * its maps were read, or code in no file), else 0.
 */
int ilp_stack_frame_unnamed(const struct ilp_stack_frame *f);

struct ilp_findings;
struct ilp_model;

/**
 * ilp_findings_set_sites - names the call site of each finding
 * @fs: the findings; each one's site text is set
 * @s: the table, indexed; NULL or empty: nothing is set
 *
 * Implemented in src/detect/analyze_sites.c.  For a finding with one
 * syscall (nr >= 0), the site of that syscall in its process that makes
 * most of its calls, with their share ("write from f (a.c:3) (90 of 100
 * write calls)").  Out of memory, findings stay without a site.
 */
void ilp_findings_set_sites(struct ilp_findings *fs, const struct ilp_stacks *s);

/**
 * ilp_report_text_sites - the text report's "call sites" section
 * @out: the stream
 * @m: the model: its processes, in its order
 * @s: the table, indexed
 * @since_start: the report covers one interval and the table the whole
 *	capture so far: the title says so
 *
 * Implemented in src/report/report_sites.c.  Per process of m, the top
 * call sites by time inside the call.
 *
 * Returns 0, or -EIO if out has an error.
 */
int ilp_report_text_sites(FILE *out, const struct ilp_model *m, const struct ilp_stacks *s,
			  int since_start);

#endif
