/* SPDX-License-Identifier: MIT */
#ifndef ILP_USERSTR_H
#define ILP_USERSTR_H

/*
 * Syscall events that carry the kernel's copy of a path argument (Linux
 * 6.19+, decode.h): which to enable in our instance and load for decoding.
 * Only the path-taking calls the resolver names (ilp_resolve_path_call),
 * and only where the event's format has the string field: a kernel without
 * it costs nothing.
 */

#include <stddef.h>

struct tracefs_instance;
struct tep_handle;
struct ilp_decoder;

/**
 * ilp_userstr_enable - enables the syscall events that carry a path's copy
 * @ti: our instance
 * @nrs: the -e list of syscall numbers; only these calls are enabled
 *	(when n > 0)
 * @n: numbers at nrs; 0: every such call
 *
 * Enables syscalls:sys_enter_X for every path-taking call the resolver
 * names (ilp_resolve_path_call()) whose format has the string field, and
 * raises the instance's syscall_user_buf_size to the kernel's maximum so
 * paths are cut as rarely as possible.  An event that fails to enable is
 * skipped.
 *
 * Returns how many it enabled (0: none, e.g. an older kernel).
 */
int ilp_userstr_enable(struct tracefs_instance *ti, const int *nrs, size_t n);

/**
 * ilp_userstr_load - makes the decoder decode the enabled path events
 * @ti: the instance ilp_userstr_enable() enabled them in
 * @tep: where their formats are parsed (the caller's)
 * @dec: the decoder; it decodes them as ILP_EV_SYS_ARGSTR then
 *
 * Returns the number of events the decoder added (0: none enabled), or
 * -ENOMEM.
 */
int ilp_userstr_load(struct tracefs_instance *ti, struct tep_handle *tep, struct ilp_decoder *dec);

#endif
