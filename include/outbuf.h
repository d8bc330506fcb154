/* SPDX-License-Identifier: MIT */
#ifndef ILP_OUTBUF_H
#define ILP_OUTBUF_H

/*
 * The output sink every reporter writes through: a FILE * and the first
 * failed write (-EIO), after which later writes are skipped, so a
 * reporter checks once at the end instead of after every printf.
 *
 * struct ilp_out is for reporters that own their sink; the (FILE *, int
 * *err) forms serve writers that keep the pair in a struct of their own
 * (struct ilp_jw in json.h).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct ilp_out {
	FILE *f;
	int err;		/* 0, or -EIO after the first failed write */
};

/**
 * ilp_out_vprintf - vfprintf to f unless an earlier write failed
 * @f: the stream (the caller's)
 * @err: the caller's remembered error: 0, or the first failure's -errno
 * @fmt: printf format
 * @ap: its arguments
 *
 * Does nothing when *err is set already.  A failed write sets *err to
 * -errno, or -EIO when errno says nothing.
 */
void ilp_out_vprintf(FILE *f, int *err, const char *fmt, va_list ap);

/**
 * ilp_out_write - fwrite to f unless an earlier write failed
 * @f: the stream (the caller's)
 * @err: the caller's remembered error: 0, or the first failure's -errno
 * @s: the bytes to write
 * @n: how many; 0 writes nothing
 *
 * Does nothing when *err is set already.  A short write sets *err to
 * -errno, or -EIO when errno says nothing.
 */
void ilp_out_write(FILE *f, int *err, const void *s, size_t n);

/**
 * ilp_out_printf - printf to the sink unless an earlier write failed
 * @o: the sink; o->err is set (-errno, else -EIO) by the first failed write
 * @fmt: printf format
 * @...: its arguments
 *
 * ilp_out_vprintf() on o->f and o->err.
 */
__attribute__((format(printf, 2, 3)))
void ilp_out_printf(struct ilp_out *o, const char *fmt, ...);

/**
 * ilp_out_esc - writes s escaped for a terminal (esc.h), any length
 * @o: the sink; o->err is set (-errno, else -EIO) by a failed write
 * @s: the text; NULL is taken as ""
 *
 * Does nothing when o->err is set already.
 */
void ilp_out_esc(struct ilp_out *o, const char *s);

/**
 * ilp_out_finish - flushes the sink and says whether every write succeeded
 * @o: the sink; its stream stays open (the caller closes it)
 *
 * Returns o->err: 0, the first failed write's -errno, or the flush's
 * (e.g. -ENOSPC for a full disk; -EIO when errno says nothing).
 */
int ilp_out_finish(struct ilp_out *o);

#endif
