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

/* "vda", else "major:minor" */
const char *ilp_wait_dev_name(const struct ilp_model *m, uint32_t dev, char *buf, size_t size);
/* the lock's name ("hot_lock", "[heap]+0x10"), else "0x7f..." */
const char *ilp_wait_ulock_name(const struct ilp_wproc *w, uint64_t uaddr, char *buf,
				size_t size);
/*
 * What a blocking call waited on (enum ilp_wobj_kind): "fd:3 (file /x)",
 * "futex:hot_lock", "timer", "child:12", "-"; " dev:vda" appended when the
 * call's I/O went to a device.  fobj: for ILP_WOBJ_FD, what the fd was at
 * the call (NULL: only "fd:3"; the fd table at the end may name another).
 */
const char *ilp_wait_object(const struct ilp_model *m, const struct ilp_proc *p, int kind,
			    uint64_t obj, const struct ilp_fdobj *fobj, uint32_t dev, char *buf,
			    size_t size);

#endif
