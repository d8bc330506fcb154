/* SPDX-License-Identifier: MIT */
#ifndef ILP_TRACEDAT_H
#define ILP_TRACEDAT_H

/*
 * Writing a trace-cmd trace.dat (libtracecmd's output API), the file
 * `record` leaves: header pages, the formats of the event systems decode.c
 * reads plus ftrace's, printk formats, saved_cmdlines, the trace clock, and
 * each CPU's raw ring-buffer pages as trace_pipe_raw gave them.  No
 * kallsyms (the file stays small and leaks no kernel addresses).
 */

/**
 * ilp_tracedat_write - writes a trace.dat
 * @fd: where: an empty regular file, positioned at 0 (an outfile.h
 *	temporary file the caller commits or discards); the caller's, left open
 * @ncpus: entries at cpu_files
 * @cpu_files: cpu_files[i] is the path of CPU i's raw pages, concatenated
 *	(an empty file: no data); the caller reads and removes them
 * @clock: the instance's trace clock ("mono")
 *
 * libtracecmd writes a file version 6, uncompressed, without kallsyms.
 *
 * Returns 0; -EIO when a libtracecmd step fails; or the -errno of
 * duplicating fd or of creating the output handle.
 */
int ilp_tracedat_write(int fd, int ncpus, char *const *cpu_files, const char *clock);

#endif
