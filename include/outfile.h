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

/**
 * ilp_outfile_open - checks path and creates the file to write
 * @path: the target a user typed (copied); for reports "-", "/dev/stdout",
 *	"/dev/stderr" and "/dev/null" are written directly
 * @kind: ILP_OUT_REPORT or ILP_OUT_TRACE (modes and aliases: see above)
 * @out: set to the new file, to free with ilp_outfile_free(); NULL on error
 *
 * Creates the temporary file ".NAME.XXXXXX" next to the target (O_EXCL,
 * 0600), or opens the direct stream.
 *
 * Returns 0, -EBADFD (the target is not a regular file or symlink, or a
 * trace to an alias), -EISDIR (a directory, or a path ending in '/'),
 * -ENOMEM, or the -errno of lstat or mkostemp (e.g. -EACCES, -ENOENT).
 */
int ilp_outfile_open(const char *path, enum ilp_outfile_kind kind, struct ilp_outfile **out);

/**
 * ilp_outfile_stream - the stream to write
 * @f: the file
 *
 * Returns the buffered stream (the temporary file, or stdout...), owned by
 * f: not to be closed by the caller.  NULL once ilp_outfile_commit() has
 * run (even when it failed).
 */
FILE *ilp_outfile_stream(struct ilp_outfile *f);

/**
 * ilp_outfile_commit - makes what was written the target
 * @f: the file; NULL, or committed already, is a no-op
 *
 * Flushes, checks that every write succeeded, gives the file its mode and
 * owner, closes it and renames it over the target.  On error the target is
 * left as it was and ilp_outfile_free() removes the temporary file.
 * The stream is closed either way.
 *
 * Returns 0, or the -errno of the first failed write, flush, fchmod,
 * fchown (not -EPERM), fclose or rename (-EIO when errno says nothing).
 */
int ilp_outfile_commit(struct ilp_outfile *f);

/**
 * ilp_outfile_publish - makes what is written so far the target, and goes on
 * @f: the file; NULL, or committed already, is a no-op
 *
 * For interim reports (--interval): what is written so far becomes the
 * target, whole, and writing goes on in a copy, through the same stream
 * (its fd now the copy's).  Direct files are only flushed.
 *
 * Returns 0, or the -errno of the flush, the copy, fchmod, fchown or rename
 * (-EIO when errno says nothing); the target then holds what it did.
 */
int ilp_outfile_publish(struct ilp_outfile *f);

/**
 * ilp_outfile_free - closes and frees f
 * @f: the file; NULL is a no-op
 *
 * An uncommitted temporary file is removed; the target stays as it was.
 */
void ilp_outfile_free(struct ilp_outfile *f);

/**
 * ilp_outfile_side - creates a side file of f
 * @f: the file, written through a temporary file
 * @suffix: appended to the temporary file's path (e.g. ".cpu0")
 * @out: set to the side file's stream, the caller's to fclose; NULL on error
 * @path: set to its path, malloc'd, for the caller to read, unlink and
 *	free(); NULL on error
 *
 * Created O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600: nothing already at the
 * path is followed or truncated.
 *
 * Returns 0, -EBADFD (f is written directly), -ENOMEM, or open's -errno
 * (-EEXIST: something is at the path already).
 */
int ilp_outfile_side(struct ilp_outfile *f, const char *suffix, FILE **out, char **path);

#endif
