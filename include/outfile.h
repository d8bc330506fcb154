/* SPDX-License-Identifier: MIT */
#ifndef ILP_OUTFILE_H
#define ILP_OUTFILE_H

/*
 * Files iolockprof writes, usually as root: reports (-o), record's trace
 * file and its per-CPU side files.  A path a user typed may point into a
 * directory others can write (/tmp), so:
 *
 *  - The target is written as a temporary file in its own directory
 *    (".NAME.XXXXXX", created O_EXCL, mode 0600) and renamed over the
 *    target by ilp_outfile_commit: a reader never sees half a report, a
 *    failed run leaves the target as it was, and a symlink planted at the
 *    target is replaced, never followed.
 *  - Mode: reports 0666 & ~umask, as fopen would make them, or an existing
 *    target's mode; traces always 0600 (they hold command lines, paths and
 *    process names).  An existing regular target keeps its owner and group.
 *  - An existing target that is neither a regular file nor a symlink (a
 *    FIFO, device, directory or socket) is refused with -EBADFD (checked
 *    with lstat: never opened, so a FIFO cannot hang us).
 *  - Reports only: "-" and "/dev/stdout" write to standard output,
 *    "/dev/stderr" to standard error, "/dev/null" nowhere, directly (no
 *    temporary file); a trace needs a regular file (-EBADFD).
 *  - Side files (record's per-CPU pages) are named after the temporary
 *    file (".NAME.XXXXXX.cpuN": nothing at NAME.cpuN is touched) and
 *    created O_EXCL|O_NOFOLLOW, mode 0600: something already at their path
 *    (a file, a symlink) is an error (-EEXIST), never followed or truncated.
 */

#include <stdio.h>

enum ilp_outfile_kind {
	ILP_OUT_REPORT,
	ILP_OUT_TRACE,
};

struct ilp_outfile;

/* Checks path and creates the temporary file.  0 or -errno; *out NULL on error. */
int ilp_outfile_open(const char *path, enum ilp_outfile_kind kind, struct ilp_outfile **out);
/* The stream to write (buffered; the temporary file, or stdout...). */
FILE *ilp_outfile_stream(struct ilp_outfile *f);
/*
 * Flushes, checks that every write succeeded, gives the file its mode and
 * owner, renames it over the target.  0 or -errno (the temporary file is
 * then removed and the target left as it was).  NULL, or committed
 * already: 0.
 */
int ilp_outfile_commit(struct ilp_outfile *f);
/*
 * What is written so far becomes the target, whole, and writing goes on
 * in a copy, through the same stream: for interim reports (--interval).
 * Direct files are only flushed.  0 or -errno.  NULL: 0.
 */
int ilp_outfile_publish(struct ilp_outfile *f);
/* Closes; an uncommitted temporary file is removed.  NULL is a no-op. */
void ilp_outfile_free(struct ilp_outfile *f);

/*
 * A side file of f, at its temporary file's path + suffix:
 * O_CREAT|O_EXCL|O_NOFOLLOW, 0600.  *path (malloc'd) for the caller to
 * read and unlink.  0 or -errno (-EBADFD: f is written directly).
 */
int ilp_outfile_side(struct ilp_outfile *f, const char *suffix, FILE **out, char **path);

#endif
