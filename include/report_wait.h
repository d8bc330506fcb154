/* SPDX-License-Identifier: MIT */
#ifndef ILP_REPORT_WAIT_H
#define ILP_REPORT_WAIT_H

/*
 * Names of the things waited on (include/waitmodel.h), formatted the same
 * way by every reporter (json, html, perfetto, folded).  Formatting only.
 */

#include <stddef.h>
#include <stdint.h>

struct ilp_model;
struct ilp_proc;
struct ilp_wproc;
struct ilp_fdobj;

/**
 * ilp_wait_dev_name - a block device's name for reports
 * @m: the model, which knows the devices' names
 * @dev: the kernel dev_t (major << 20 | minor)
 * @buf: the caller's buffer, set to "vda", else "major:minor" (cut to fit)
 * @size: bytes at buf
 *
 * Returns buf.
 */
const char *ilp_wait_dev_name(const struct ilp_model *m, uint32_t dev, char *buf, size_t size);

/**
 * ilp_wait_ulock_name - a user lock's name for reports
 * @w: the process's wait data (NULL: no name)
 * @uaddr: the lock's address
 * @buf: the caller's buffer, set to the lock's name ("hot_lock",
 *	"[heap]+0x10"), else "0x7f..." (cut to fit)
 * @size: bytes at buf
 *
 * Returns buf.
 */
const char *ilp_wait_ulock_name(const struct ilp_wproc *w, uint64_t uaddr, char *buf,
				size_t size);

/**
 * ilp_wait_object - what a blocking call waited on, for reports
 * @m: the model (device names)
 * @p: the process (its user locks' names)
 * @kind: enum ilp_wobj_kind
 * @obj: the object: the fd, the futex address, the child's pid
 * @fobj: for ILP_WOBJ_FD, what the fd was at the call (NULL: only "fd:3";
 *	the fd table at the end may name another)
 * @dev: the device the call's I/O went to, 0 if none
 * @buf: the caller's buffer, set to "fd:3 (file /x)", "futex:hot_lock",
 *	"timer", "child:12", "-"; " dev:vda" appended when dev is set (cut
 *	to fit)
 * @size: bytes at buf
 *
 * Returns buf.
 */
const char *ilp_wait_object(const struct ilp_model *m, const struct ilp_proc *p, int kind,
			    uint64_t obj, const struct ilp_fdobj *fobj, uint32_t dev, char *buf,
			    size_t size);

#endif
