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

/*
 * Writes the file to fd (an empty regular file, positioned at 0: an
 * outfile.h temporary file the caller commits or discards).
 * cpu_files[i]: CPU i's pages, concatenated (empty file: no data).
 * clock: the instance's trace clock ("mono").  0 or -errno.
 */
int ilp_tracedat_write(int fd, int ncpus, char *const *cpu_files, const char *clock);

#endif
