// SPDX-License-Identifier: MIT
/* Names of what calls waited on, shared by the reporters (include/report_wait.h). */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fdmodel.h"
#include "model.h"
#include "report_wait.h"
#include "waitmodel.h"

const char *ilp_wait_dev_name(const struct ilp_model *m, uint32_t dev, char *buf, size_t size)
{
	const struct ilp_blkdev *d = ilp_model_find_blkdev(m, dev);

	if (d && ilp_blkdev_name(d))
		snprintf(buf, size, "%s", ilp_blkdev_name(d));
	else
		snprintf(buf, size, "%u:%u", dev >> 20, dev & 0xfffff);
	return buf;
}

const char *ilp_wait_ulock_name(const struct ilp_wproc *w, uint64_t uaddr, char *buf,
				size_t size)
{
	const struct ilp_ulock *l = w ? ilp_wproc_find_ulock(w, uaddr) : NULL;

	if (l && l->name)
		snprintf(buf, size, "%s", l->name);
	else
		snprintf(buf, size, "0x%" PRIx64, uaddr);
	return buf;
}

const char *ilp_wait_object(const struct ilp_model *m, const struct ilp_proc *p, int kind,
			    uint64_t obj, const struct ilp_fdobj *fobj, uint32_t dev, char *buf,
			    size_t size)
{
	char tmp[256] = "", dn[32];
	size_t len;

	switch (kind) {
	case ILP_WOBJ_FD:
		if (fobj)
			ilp_fdobj_format(fobj, tmp, sizeof(tmp));
		snprintf(buf, size, "fd:%d%s%s%s", (int)obj, tmp[0] ? " (" : "", tmp,
			 tmp[0] ? ")" : "");
		break;
	case ILP_WOBJ_FUTEX:
		snprintf(buf, size, "futex:%s",
			 ilp_wait_ulock_name(ilp_proc_wait(p), obj, tmp, sizeof(tmp)));
		break;
	case ILP_WOBJ_TIMER:
		snprintf(buf, size, "timer");
		break;
	case ILP_WOBJ_CHILD:
		snprintf(buf, size, "child:%d", (int)(int64_t)obj);
		break;
	default:
		snprintf(buf, size, "-");
		break;
	}
	len = strlen(buf);
	if (dev && len + 1 < size)
		snprintf(buf + len, size - len, " dev:%s", ilp_wait_dev_name(m, dev, dn, sizeof(dn)));
	return buf;
}
