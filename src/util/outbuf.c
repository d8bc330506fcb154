// SPDX-License-Identifier: MIT
/* Output sink with remembered write errors (include/outbuf.h). */

#include <errno.h>

#include "esc.h"
#include "outbuf.h"

void ilp_out_vprintf(FILE *f, int *err, const char *fmt, va_list ap)
{
	if (*err)
		return;
	if (vfprintf(f, fmt, ap) < 0)
		*err = errno ? -errno : -EIO;
}

void ilp_out_write(FILE *f, int *err, const void *s, size_t n)
{
	if (*err || !n)
		return;
	if (fwrite(s, 1, n, f) != n)
		*err = errno ? -errno : -EIO;
}

void ilp_out_printf(struct ilp_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ilp_out_vprintf(o->f, &o->err, fmt, ap);
	va_end(ap);
}

void ilp_out_esc(struct ilp_out *o, const char *s)
{
	if (!o->err && ilp_esc_fputs(s, o->f))
		o->err = errno ? -errno : -EIO;
}

int ilp_out_finish(struct ilp_out *o)
{
	errno = 0;
	if (!o->err && (fflush(o->f) || ferror(o->f)))
		o->err = errno ? -errno : -EIO;	/* e.g. -ENOSPC for a full disk */
	return o->err;
}
