// SPDX-License-Identifier: MIT
/*
 * trace.dat writer on libtracecmd's output API, used as trace-cmd's own
 * record_data() uses it (tracecmd/trace-record.c): create, write headers,
 * options, cmdlines, then append the per-CPU data files.
 *
 * libtracecmd 1.3 exports these functions but its public header does not
 * declare them (they live in trace-cmd-private.h); the declarations below
 * are copied from that header for libtracecmd 1.3.x.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <trace-cmd/trace-cmd.h>

#include "decode.h"
#include "tracedat.h"

/* ---- from trace-cmd-private.h (libtracecmd 1.3) ---- */
struct tracecmd_output;
struct tracecmd_option;
struct tracecmd_event_list {
	struct tracecmd_event_list *next;
	const char *glob;
};
#define TRACECMD_OPTION_TRACECLOCK 4
struct tracecmd_output *tracecmd_output_create_fd(int fd);
int tracecmd_output_set_kallsyms(struct tracecmd_output *handle, const char *kallsyms);
int tracecmd_output_set_version(struct tracecmd_output *handle, int file_version);
int tracecmd_output_write_headers(struct tracecmd_output *handle,
				  struct tracecmd_event_list *list);
void tracecmd_set_out_clock(struct tracecmd_output *handle, const char *clock);
void tracecmd_set_quiet(struct tracecmd_output *handle, bool set_quiet);
struct tracecmd_option *tracecmd_add_option(struct tracecmd_output *handle,
					    unsigned short id, int size, const void *data);
int tracecmd_write_cmdlines(struct tracecmd_output *handle);
int tracecmd_append_cpu_data(struct tracecmd_output *handle,
			     int cpus, char * const *cpu_data_files);
void tracecmd_output_close(struct tracecmd_output *handle);
/* ---- */

#define MAX_SYSTEMS 32

int ilp_tracedat_write(int fd, int ncpus, char *const *cpu_files, const char *clock)
{
	struct tracecmd_event_list list[MAX_SYSTEMS];
	const char *const *systems = ilp_tracepoint_systems();
	char globs[MAX_SYSTEMS][64], clockopt[64];
	struct tracecmd_output *out;
	size_t n = 0, i;
	int err = -EIO;

	/* the systems decode.c reads (ftrace's are always written) */
	for (i = 0; systems[i] && n < MAX_SYSTEMS; i++)
		snprintf(globs[n++], sizeof(globs[0]), "%s/*", systems[i]);
	for (i = 0; i < n; i++) {
		list[i].glob = globs[i];
		list[i].next = i + 1 < n ? &list[i + 1] : NULL;
	}
	/* the library warns on stderr of things that are fine here (no
	 * buffer description in a version-6 file): errors come back as -1 */
	tracecmd_set_loglevel(TEP_LOG_NONE);
	/* a copy of fd: tracecmd_output_close() closes the one it is given */
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	errno = 0;
	out = tracecmd_output_create_fd(fd);
	if (!out) {
		err = errno ? -errno : -EIO;
		close(fd);
		return err;
	}
	tracecmd_set_quiet(out, true);
	/* a path that does not exist: an empty kallsyms section */
	if (tracecmd_output_set_kallsyms(out, "/nonexistent/iolockprof-no-kallsyms"))
		goto out;
	/*
	 * File version 6, uncompressed: every trace-cmd and KernelShark reads
	 * it, and libtracecmd 1.3 writes a broken version-7 file when kallsyms
	 * is left out of a compressed one.
	 */
	if (tracecmd_output_set_version(out, 6))
		goto out;
	tracecmd_set_out_clock(out, clock);
	if (tracecmd_output_write_headers(out, list))
		goto out;
	snprintf(clockopt, sizeof(clockopt), "[%s]", clock);
	tracecmd_add_option(out, TRACECMD_OPTION_TRACECLOCK, (int)strlen(clockopt) + 1, clockopt);
	if (tracecmd_write_cmdlines(out))
		goto out;
	if (tracecmd_append_cpu_data(out, ncpus, cpu_files) < 0)
		goto out;
	err = 0;
out:
	tracecmd_output_close(out);
	return err;
}
