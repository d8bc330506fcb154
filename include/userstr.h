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

/*
 * Enables syscalls:sys_enter_X for every such call whose format has the
 * field (and that the -e list nrs[0..n) has, when n > 0), and raises the
 * instance's syscall_user_buf_size to the kernel's maximum so paths are
 * cut as rarely as possible.  Returns how many it enabled (0: none, e.g.
 * an older kernel).
 */
int ilp_userstr_enable(struct tracefs_instance *ti, const int *nrs, size_t n);

/*
 * Parses into tep the formats of the events ilp_userstr_enable enabled in
 * ti, and makes dec decode them (ILP_EV_SYS_ARGSTR).  The number added, or
 * -ENOMEM.
 */
int ilp_userstr_load(struct tracefs_instance *ti, struct tep_handle *tep, struct ilp_decoder *dec);

#endif
